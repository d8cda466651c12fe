#include "adapters/http/http_server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/beast.h"
// clang-format off
#include <boost/beast/ssl.hpp>
// clang-format on
#include "adapters/http/client_address.h"
#include "adapters/http/cors_policy.h"
#include "adapters/http/gzip.h"
#include "adapters/http/http_status_mapping.h"
#include "adapters/http/portal_cookies.h"
#include "adapters/http/request_transcoder.h"
#include "adapters/http/security_headers.h"
#include "adapters/http/sign_in_rate_limiter.h"
#include "adapters/http/tls_context.h"
#include "services/api/bearer_token.h"
#include "services/api/error_info.h"
#include "services/api/request_id.h"

namespace confide::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {
// What a drain needs of a connection, whichever stream it runs on.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void CloseIfIdle() = 0;
};
}  // namespace

struct HttpServer::Shared {
  Shared(HttpServerOptions options_in, Pipeline& pipeline_in, const HttpRuleRouter& router_in,
         BoundedExecutor& executor_in, std::function<absl::Status()> readiness_in,
         IdGenerator& ids_in)
      : options(std::move(options_in)),
        pipeline(pipeline_in),
        router(router_in),
        executor(executor_in),
        readiness(std::move(readiness_in)),
        ids(ids_in),
        cors(options.cors_allowed_origins),
        sign_in_limiter(options.sign_in_attempts_per_minute) {}

  HttpServerOptions options;
  Pipeline& pipeline;
  const HttpRuleRouter& router;
  BoundedExecutor& executor;
  std::function<absl::Status()> readiness;
  IdGenerator& ids;
  CorsPolicy cors;
  SignInRateLimiter sign_in_limiter;
  // Set by Start() when TLS is configured.
  std::unique_ptr<asio::ssl::context> tls;
  std::atomic<int> open_sessions{0};
  // Set on SIGTERM: /readyz answers 503 so a load balancer stops sending, and every response
  // closes its connection.
  std::atomic<bool> draining{false};
  // Live sessions, so a drain can close the idle keep-alive ones at once.
  std::mutex sessions_mu;
  std::vector<std::weak_ptr<SessionBase>> sessions;
  // Declared after what sessions touch: destroying the io_context destroys the handlers still
  // queued in it, and with them the last sessions, which update the counters above.
  asio::io_context io{};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{};
  tcp::acceptor acceptor{io};
};

namespace {

using Response = bhttp::response<bhttp::string_body>;
using Request = bhttp::request<bhttp::string_body>;
using Clock = std::chrono::steady_clock;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr std::string_view kLoginMethod = "confide.v1.AuthService.Login";
constexpr std::string_view kLogoutMethod = "confide.v1.AuthService.Logout";

std::string_view View(boost::beast::string_view text) { return {text.data(), text.size()}; }

bool IsJsonContentType(std::string_view value) {
  std::string type(value.substr(0, value.find(';')));
  type = absl::AsciiStrToLower(absl::StripAsciiWhitespace(type));
  return type == "application/json";
}

std::string_view HeaderOr(const Request& request, std::string_view name) {
  auto header = request.find(boost::beast::string_view(name.data(), name.size()));
  return header == request.end() ? std::string_view() : View(header->value());
}

bool ChangesState(bhttp::verb method) {
  return method != bhttp::verb::get && method != bhttp::verb::head &&
         method != bhttp::verb::options;
}

// A portal sign-in answers with cookies, not with the token in the body: takes the token out
// of the LoginResponse and returns it.
std::string TakeSessionToken(google::protobuf::Message& response) {
  const google::protobuf::FieldDescriptor* field =
      response.GetDescriptor()->FindFieldByName("session_token");
  if (field == nullptr) {
    return {};
  }
  std::string token = response.GetReflection()->GetString(response, field);
  response.GetReflection()->ClearField(&response, field);
  return token;
}

// One connection: strand-serialized, one request at a time, a fresh parser with limits per
// request, a timeout before every read and write. `Stream` is a plain TCP stream or a TLS
// stream over one.
template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  // `shared` outlives every session: it owns the io_context that runs (and, when destroyed,
  // frees) them.
  Session(Stream stream, HttpServer::Shared& shared)
      : stream_(std::move(stream)), shared_(&shared) {
    ++shared_->open_sessions;
  }
  ~Session() override { --shared_->open_sessions; }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Run() {
    {
      std::lock_guard<std::mutex> lock(shared_->sessions_mu);
      auto& sessions = shared_->sessions;
      if (sessions.size() > 64 &&
          sessions.size() > 2 * static_cast<size_t>(shared_->open_sessions)) {
        std::erase_if(sessions, [](const std::weak_ptr<SessionBase>& s) { return s.expired(); });
      }
      sessions.push_back(this->weak_from_this());
    }
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->Start(); });
  }

  // On drain: a connection waiting for its next request is closed now; one in the middle of a
  // request closes after answering it.
  void CloseIfIdle() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->idle_) {
        self->Close();
      }
    });
  }

 private:
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  void Start() {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      // The handshake has the same deadline as a request: a client that opens a connection
      // and says nothing cannot hold it.
      idle_ = true;
      Tcp().expires_after(shared_->options.read_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) {
                                  return self->Close();
                                }
                                self->ReadRequest();
                              });
    } else {
      ReadRequest();
    }
  }

  void ReadRequest() {
    if (shared_->draining.load()) {
      return Close();
    }
    idle_ = true;
    parser_.emplace();
    parser_->body_limit(shared_->options.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(shared_->options.header_limit));
    Tcp().expires_after(shared_->options.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    idle_ = false;
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::ssl::error::stream_truncated) {
      return Close();
    }
    // Nothing of the previous request on this connection may reach this one's answer or log.
    started_ = Clock::now();
    request_id_ = shared_->ids.NewId();
    rpc_name_.clear();
    keep_alive_ = false;
    version_ = 11;
    head_ = false;
    accepts_gzip_ = false;
    gzip_allowed_ = true;
    cookie_session_ = false;
    clear_portal_cookies_ = false;
    origin_.clear();
    allow_.clear();
    retry_after_.clear();
    extra_headers_.clear();
    if (ec == bhttp::error::body_limit) {
      return SendError(
          413, absl::InvalidArgumentError(absl::StrCat("request body is larger than ",
                                                       shared_->options.body_limit, " bytes")));
    }
    if (ec == bhttp::error::header_limit) {
      return SendError(431, absl::InvalidArgumentError("request headers are too large"));
    }
    if (ec) {
      return SendError(400, absl::InvalidArgumentError("malformed HTTP request"));
    }
    Handle(parser_->release());
  }

  void Handle(Request request) {
    keep_alive_ = request.keep_alive();
    version_ = request.version();
    head_ = request.method() == bhttp::verb::head;
    accepts_gzip_ = AcceptsGzip(HeaderOr(request, "Accept-Encoding"));
    if (std::string_view id = HeaderOr(request, "x-request-id"); IsAcceptableRequestId(id)) {
      request_id_ = std::string(id);
    }
    if (std::string_view origin = HeaderOr(request, "Origin");
        !origin.empty() && shared_->cors.Allows(origin)) {
      origin_ = std::string(origin);
    }
    const std::string_view target = View(request.target());
    const size_t question = target.find('?');
    const std::string_view path = target.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    const std::string method(request.method_string());
    if (path == "/healthz") {
      rpc_name_ = "healthz";
      return SendJson(200, R"({"status":"SERVING"})");
    }
    if (path == "/readyz") {
      rpc_name_ = "readyz";
      return CheckReadiness();
    }
    if (request.method() == bhttp::verb::options &&
        !HeaderOr(request, "Access-Control-Request-Method").empty()) {
      return AnswerPreflight();
    }
    if (request.method() == bhttp::verb::get || request.method() == bhttp::verb::head) {
      if (const StaticFile* file = shared_->options.static_site.Find(path); file != nullptr) {
        rpc_name_ = "static";
        return SendStaticFile(*file, HeaderOr(request, "If-None-Match"));
      }
    }
    std::optional<RouteMatch> match = shared_->router.Match(method, path);
    if (!match.has_value()) {
      rpc_name_ = "unmatched";
      if (std::string allowed = shared_->router.AllowedMethods(path); !allowed.empty()) {
        allow_ = allowed;
        return SendError(405, absl::InvalidArgumentError(
                                  absl::StrCat("HTTP method ", method, " is not allowed here")));
      }
      return SendError(404, absl::NotFoundError("no such endpoint"));
    }
    rpc_name_ = match->route->method->full_name;
    const MethodSpec& spec = *match->route->method;
    // Not for the public methods, refusals included: their answers hold secrets next to what
    // the caller sent, the shape compression side channels (BREACH) need.
    gzip_allowed_ = !spec.is_public;
    if (!request.body().empty()) {
      auto content_type = request.find(bhttp::field::content_type);
      if (content_type == request.end() || !IsJsonContentType(View(content_type->value()))) {
        return SendError(415, absl::InvalidArgumentError(
                                  "request body must be sent as Content-Type: application/json"));
      }
    }
    CallContext call;
    call.request_id = request_id_;
    call.source_address = SourceAddress(request);
    if (spec.is_public) {
      int retry_after = 0;
      if (!shared_->sign_in_limiter.TryAcquire(call.source_address, Clock::now(), &retry_after)) {
        retry_after_ = absl::StrCat(retry_after);
        return SendJson(429,
                        StatusToJson(absl::ResourceExhaustedError(absl::StrCat(
                            "too many sign-in attempts from this address; try again in ",
                            retry_after, " seconds"))),
                        absl::StatusCode::kResourceExhausted);
      }
    }
    if (absl::Status auth = Authenticate(request, spec, call); !auth.ok()) {
      return SendStatus(auth);
    }
    absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
        BuildRequestMessage(*match, request.body(), query, shared_->options.json);
    if (!message.ok()) {
      return SendStatus(message.status());
    }
    const bool portal_login =
        spec.full_name == kLoginMethod && HeaderOr(request, kSessionModeHeader) == "cookie";
    shared_->pipeline.Dispatch(
        spec, *std::move(message), std::move(call),
        [self = this->shared_from_this(), portal_login](RpcResult result) {
          // Back onto this connection's strand: handlers never touch the socket.
          auto shared_result = std::make_shared<RpcResult>(std::move(result));
          asio::post(self->stream_.get_executor(), [self, shared_result, portal_login] {
            if (!shared_result->ok()) {
              return self->SendStatus(shared_result->status());
            }
            google::protobuf::Message& response = ***shared_result;
            if (portal_login) {
              self->StartPortalSession(TakeSessionToken(response));
            }
            self->SendJson(200, ResponseToJson(response));
          });
        });
  }

  std::string SourceAddress(const Request& request) {
    beast::error_code ignored;
    const std::string peer = Tcp().socket().remote_endpoint(ignored).address().to_string();
    // Proxies may append their own header line rather than extend the client's: read them all,
    // in order, as one list.
    std::string forwarded_for;
    auto [first, last] = request.equal_range("X-Forwarded-For");
    for (auto line = first; line != last; ++line) {
      absl::StrAppend(&forwarded_for, forwarded_for.empty() ? "" : ",",
                      std::string(View(line->value())));
    }
    return ClientAddress(peer, forwarded_for, shared_->options.trusted_proxies);
  }

  // The session token comes from the Authorization header (API clients) or the portal's
  // cookie. A cookie request that changes state must prove it came from the portal's own page
  // (X-CSRF-Token); public methods ignore the cookie, so a stale one never blocks signing in.
  absl::Status Authenticate(const Request& request, const MethodSpec& spec, CallContext& call) {
    if (std::string_view auth = HeaderOr(request, "Authorization"); !auth.empty()) {
      call.bearer_token = BearerTokenFrom(auth);
      return absl::OkStatus();
    }
    if (spec.is_public) {
      return absl::OkStatus();
    }
    std::optional<std::string> token = CookieValue(HeaderOr(request, "Cookie"), kSessionCookie);
    if (!token.has_value() || token->empty()) {
      return absl::OkStatus();
    }
    cookie_session_ = true;
    if (ChangesState(request.method()) &&
        !CsrfTokenMatches(HeaderOr(request, kCsrfHeader), *token)) {
      return absl::PermissionDeniedError(
          "the X-CSRF-Token header is missing or does not match this session; reload the page");
    }
    // Only after the CSRF check: a refused sign-out must not clear the cookies either.
    if (spec.full_name == kLogoutMethod) {
      clear_portal_cookies_ = true;
    }
    call.bearer_token = *std::move(token);
    return absl::OkStatus();
  }

  void StartPortalSession(const std::string& token) {
    if (token.empty()) {
      return;
    }
    extra_headers_.emplace_back("Set-Cookie", SessionCookie(token));
    extra_headers_.emplace_back("Set-Cookie", CsrfCookie(token));
  }

  void AnswerPreflight() {
    rpc_name_ = "preflight";
    if (origin_.empty()) {
      return SendError(403, absl::PermissionDeniedError(
                                "this origin may not call the API from a browser (CORS)"));
    }
    auto response = NewResponse(204, ContentKind::kApi);
    response->set(bhttp::field::access_control_allow_methods, CorsPolicy::kAllowMethods);
    response->set(bhttp::field::access_control_allow_headers, CorsPolicy::kAllowHeaders);
    response->set(bhttp::field::access_control_max_age, CorsPolicy::kMaxAgeSeconds);
    Write(std::move(response), absl::StatusCode::kOk);
  }

  void CheckReadiness() {
    if (shared_->draining.load()) {
      return SendStatus(absl::UnavailableError("the server is shutting down"));
    }
    auto self = this->shared_from_this();
    bool queued = shared_->executor.TrySubmit([self] {
      absl::Status ready = self->shared_->readiness();
      asio::post(self->stream_.get_executor(), [self, ready] {
        if (ready.ok()) {
          self->SendJson(200, R"({"status":"READY"})");
        } else {
          self->SendStatus(absl::UnavailableError(ready.message()));
        }
      });
    });
    if (!queued) {
      SendStatus(absl::UnavailableError("the server is busy"));
    }
  }

  void SendStatus(const absl::Status& status) {
    // A sign-in lockout says how long it lasts; other refusals are worth retrying at once.
    retry_after_ = ErrorMetadata(status, "retryAfterSeconds");
    if (status.code() == absl::StatusCode::kUnauthenticated && cookie_session_) {
      // The portal's session has ended (idle, revoked, expired): drop its cookies.
      clear_portal_cookies_ = true;
    }
    SendJson(HttpStatusFor(status.code()), StatusToJson(status), status.code());
  }

  void SendError(int http_status, const absl::Status& status) {
    keep_alive_ = false;  // after a framing error the rest of the stream cannot be trusted
    SendJson(http_status, StatusToJson(status), status.code());
  }

  // A response with the headers every answer carries.
  std::shared_ptr<Response> NewResponse(int http_status, ContentKind kind) {
    auto response = std::make_shared<Response>(static_cast<bhttp::status>(http_status), version_);
    response->set(bhttp::field::server, "confide");
    response->set("X-Request-Id", request_id_);
    for (const auto& [name, value] : SecurityHeaders(kind, shared_->tls != nullptr)) {
      response->set(boost::beast::string_view(name.data(), name.size()),
                    boost::beast::string_view(value.data(), value.size()));
    }
    if (shared_->cors.enabled()) {
      // Whether the answer names an origin depends on the request's Origin, whichever it was.
      response->insert(bhttp::field::vary, "Origin");
    }
    if (!origin_.empty()) {
      response->set(bhttp::field::access_control_allow_origin, origin_);
      response->set(bhttp::field::access_control_expose_headers, CorsPolicy::kExposeHeaders);
    }
    for (const auto& [name, value] : extra_headers_) {
      response->insert(name, value);
    }
    extra_headers_.clear();
    if (clear_portal_cookies_) {
      response->insert(bhttp::field::set_cookie, ExpiredCookie(kSessionCookie));
      response->insert(bhttp::field::set_cookie, ExpiredCookie(kCsrfCookie));
      clear_portal_cookies_ = false;
    }
    return response;
  }

  void SendJson(int http_status, std::string body, absl::StatusCode code = absl::StatusCode::kOk) {
    auto response = NewResponse(http_status, ContentKind::kApi);
    response->set(bhttp::field::content_type, "application/json");
    response->set(bhttp::field::cache_control, "no-store");
    if (!allow_.empty()) {
      response->set(bhttp::field::allow, allow_);
      allow_.clear();
    }
    if (http_status == 429 || http_status == 503) {
      response->set(bhttp::field::retry_after, retry_after_.empty() ? "1" : retry_after_);
      retry_after_.clear();
    }
    if (gzip_allowed_ && accepts_gzip_ && body.size() >= kGzipMinimumBytes) {
      if (std::optional<std::string> gzip = GzipCompress(body); gzip.has_value()) {
        body = *std::move(gzip);
        response->set(bhttp::field::content_encoding, "gzip");
      }
    }
    if (accepts_gzip_) {
      response->insert(bhttp::field::vary, "Accept-Encoding");
    }
    response->body() = std::move(body);
    Write(std::move(response), code);
  }

  void SendStaticFile(const StaticFile& file, std::string_view if_none_match) {
    const bool not_modified = IfNoneMatchMatches(if_none_match, file.etag);
    auto response = NewResponse(not_modified ? 304 : 200, file.kind);
    response->set(bhttp::field::etag, file.etag);
    response->set(bhttp::field::cache_control, file.cache_control);
    // Inserted, not set: a CORS Vary: Origin may already be there.
    response->insert(bhttp::field::vary, "Accept-Encoding");
    if (!not_modified) {
      response->set(bhttp::field::content_type, file.content_type);
      const bool gzip = accepts_gzip_ && !file.gzip_body.empty();
      if (gzip) {
        response->set(bhttp::field::content_encoding, "gzip");
      }
      response->body() = gzip ? file.gzip_body : file.body;
    }
    Write(std::move(response), absl::StatusCode::kOk);
  }

  void Write(std::shared_ptr<Response> response, absl::StatusCode code) {
    response->keep_alive(keep_alive_ && !shared_->draining.load());
    response->prepare_payload();
    if (head_) {
      // A HEAD answer has a GET's headers, Content-Length included, and never a body
      // (RFC 9110 9.3.2): body bytes would be read as the start of the next answer.
      response->body().clear();
    }
    const int http_status = static_cast<int>(response->result_int());
    const double millis = std::chrono::duration_cast<std::chrono::duration<double, std::milli>>(
                              Clock::now() - started_)
                              .count();
    // Request ids, RPC names, codes and timings only: never paths' values, bodies or tokens.
    spdlog::info(
        R"({{"msg":"request","request_id":"{}","rpc":"{}","http_status":{},"code":"{}","ms":{:.3f}}})",
        request_id_, rpc_name_, http_status, absl::StatusCodeToString(code), millis);
    response_ = std::move(response);
    Tcp().expires_after(shared_->options.write_timeout);
    bhttp::async_write(stream_, *response_,
                       beast::bind_front_handler(&Session::OnWrite, this->shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t) {
    const bool close = ec || !response_->keep_alive();
    response_.reset();
    if (ec) {
      return Close();
    }
    if (close) {
      return Linger();
    }
    ReadRequest();
  }

  // Closing a socket with unread input makes the kernel send a reset, which can destroy the
  // error response (e.g. 413) before the client reads it. So: send FIN, then read and discard
  // what the client is still sending, for a bounded time and amount.
  void Linger() {
    beast::error_code ignored;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Tcp().expires_after(kLingerTime);
    DiscardInput();
  }

  void DiscardInput() {
    stream_.async_read_some(asio::buffer(discard_), [self = this->shared_from_this()](
                                                        beast::error_code ec, std::size_t bytes) {
      self->discarded_ += bytes;
      if (ec || self->discarded_ > kMaxLingerBytes) {
        return self->Close();
      }
      self->DiscardInput();
    });
  }

  void Close() {
    beast::error_code ignored;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Tcp().socket().close(ignored);
  }

  Stream stream_;
  HttpServer::Shared* shared_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<Response> response_;
  std::string request_id_;
  std::string rpc_name_;
  // The Allow header of a 405 answer.
  std::string allow_;
  // Retry-After seconds named by the answer's ErrorInfo (a sign-in lockout); empty for "1".
  std::string retry_after_;
  // The request's Origin when CORS allows it; empty otherwise.
  std::string origin_;
  // Set-Cookie lines for the next response.
  std::vector<std::pair<std::string, std::string>> extra_headers_;
  static constexpr std::chrono::seconds kLingerTime{2};
  static constexpr std::size_t kMaxLingerBytes = std::size_t{8} * 1024 * 1024;
  std::array<char, std::size_t{16} * 1024> discard_{};
  std::size_t discarded_ = 0;
  bool idle_ = false;
  bool keep_alive_ = false;
  bool accepts_gzip_ = false;
  bool gzip_allowed_ = true;
  // The current request authenticated by the portal's cookie.
  bool cookie_session_ = false;
  // The answer expires the portal's cookies (a sign-out, or a cookie session that has ended).
  bool clear_portal_cookies_ = false;
  // The current request is a HEAD: its answer is sent without a body.
  bool head_ = false;
  unsigned version_ = 11;
  Clock::time_point started_;
};

void StartSession(tcp::socket socket, HttpServer::Shared& shared) {
  if (shared.tls != nullptr) {
    std::make_shared<Session<TlsStream>>(TlsStream(std::move(socket), *shared.tls), shared)->Run();
  } else {
    std::make_shared<Session<PlainStream>>(PlainStream(std::move(socket)), shared)->Run();
  }
}

void Accept(HttpServer::Shared& shared) {
  shared.acceptor.async_accept(
      asio::make_strand(shared.io), [&shared](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !shared.acceptor.is_open()) {
          return;
        }
        if (ec) {
          // Out of descriptors (EMFILE) and the like: retrying at once would spin a core.
          auto timer = std::make_shared<asio::steady_timer>(shared.io);
          timer->expires_after(std::chrono::milliseconds(100));
          timer->async_wait([&shared, timer](beast::error_code) { Accept(shared); });
          return;
        }
        if (shared.open_sessions.load() >= shared.options.max_connections) {
          beast::error_code ignored;
          socket.close(ignored);
        } else {
          StartSession(std::move(socket), shared);
        }
        Accept(shared);
      });
}

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, Pipeline& pipeline, const HttpRuleRouter& router,
                       BoundedExecutor& executor, std::function<absl::Status()> readiness,
                       IdGenerator& ids)
    : shared_(std::make_unique<Shared>(std::move(options), pipeline, router, executor,
                                       std::move(readiness), ids)) {}

HttpServer::~HttpServer() { Stop(); }

absl::Status HttpServer::Start() {
  const HttpServerOptions& options = shared_->options;
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    absl::StatusOr<std::unique_ptr<asio::ssl::context>> tls =
        MakeServerTlsContext(options.tls_cert_file, options.tls_key_file);
    if (!tls.ok()) {
      return tls.status();
    }
    shared_->tls = *std::move(tls);
  }
  beast::error_code ec;
  const asio::ip::address address = asio::ip::make_address(shared_->options.address, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("rest.address is not an IP address: ", shared_->options.address));
  }
  tcp::endpoint endpoint(address, shared_->options.port);
  tcp::acceptor& acceptor = shared_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return absl::FailedPreconditionError(absl::StrCat("cannot listen for REST on ",
                                                      shared_->options.address, ":",
                                                      shared_->options.port, ": ", ec.message()));
  }
  shared_->work.emplace(shared_->io.get_executor());
  Accept(*shared_);
  for (int i = 0; i < shared_->options.io_threads; ++i) {
    threads_.emplace_back([shared = shared_.get()] { shared->io.run(); });
  }
  return absl::OkStatus();
}

uint16_t HttpServer::port() const {
  beast::error_code ec;
  return shared_->acceptor.local_endpoint(ec).port();
}

void HttpServer::StopAccepting() {
  asio::post(shared_->io, [shared = shared_.get()] {
    beast::error_code ignored;
    shared->acceptor.close(ignored);
  });
}

void HttpServer::BeginDrain() {
  shared_->draining.store(true);
  StopAccepting();
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard<std::mutex> lock(shared_->sessions_mu);
    for (const std::weak_ptr<SessionBase>& weak : shared_->sessions) {
      if (auto session = weak.lock()) {
        live.push_back(std::move(session));
      }
    }
  }
  for (const std::shared_ptr<SessionBase>& session : live) {
    session->CloseIfIdle();
  }
}

bool HttpServer::WaitForConnectionsToClose(std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (shared_->open_sessions.load() > 0) {
    if (std::chrono::steady_clock::now() >= until) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void HttpServer::Stop() {
  if (threads_.empty()) {
    return;
  }
  StopAccepting();
  shared_->work.reset();
  shared_->io.stop();
  for (std::thread& thread : threads_) {
    thread.join();
  }
  threads_.clear();
}

}  // namespace confide::http
