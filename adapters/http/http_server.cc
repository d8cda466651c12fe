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
#include "adapters/http/client_address.h"
#include "adapters/http/http_status_mapping.h"
#include "adapters/http/request_transcoder.h"
#include "services/api/bearer_token.h"
#include "services/api/error_info.h"
#include "services/api/request_id.h"

namespace confide::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {
class Session;
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
        ids(ids_in) {}

  HttpServerOptions options;
  Pipeline& pipeline;
  const HttpRuleRouter& router;
  BoundedExecutor& executor;
  std::function<absl::Status()> readiness;
  IdGenerator& ids;
  std::atomic<int> open_sessions{0};
  // Set on SIGTERM: /readyz answers 503 so a load balancer stops sending, and every response
  // closes its connection.
  std::atomic<bool> draining{false};
  // Live sessions, so a drain can close the idle keep-alive ones at once.
  std::mutex sessions_mu;
  std::vector<std::weak_ptr<Session>> sessions;
  // Declared after what sessions touch: destroying the io_context destroys the handlers still
  // queued in it, and with them the last sessions, which update the counters above.
  asio::io_context io{};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{};
  tcp::acceptor acceptor{io};
};

namespace {

using Response = bhttp::response<bhttp::string_body>;
using Clock = std::chrono::steady_clock;

std::string_view View(boost::beast::string_view text) { return {text.data(), text.size()}; }

bool IsJsonContentType(std::string_view value) {
  std::string type(value.substr(0, value.find(';')));
  type = absl::AsciiStrToLower(absl::StripAsciiWhitespace(type));
  return type == "application/json";
}

// One connection: strand-serialized, one request at a time, a fresh parser with limits per
// request, a timeout before every read and write.
class Session : public std::enable_shared_from_this<Session> {
 public:
  // `shared` outlives every session: it owns the io_context that runs (and, when destroyed,
  // frees) them.
  Session(tcp::socket socket, HttpServer::Shared& shared)
      : stream_(std::move(socket)), shared_(&shared) {
    ++shared_->open_sessions;
  }
  ~Session() { --shared_->open_sessions; }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Run() {
    {
      std::lock_guard<std::mutex> lock(shared_->sessions_mu);
      auto& sessions = shared_->sessions;
      if (sessions.size() > 64 &&
          sessions.size() > 2 * static_cast<size_t>(shared_->open_sessions)) {
        std::erase_if(sessions, [](const std::weak_ptr<Session>& s) { return s.expired(); });
      }
      sessions.push_back(weak_from_this());
    }
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::ReadRequest, shared_from_this()));
  }

  // On drain: a connection waiting for its next request is closed now; one in the middle of a
  // request closes after answering it.
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        self->Close();
      }
    });
  }

 private:
  void ReadRequest() {
    if (shared_->draining.load()) {
      return Close();
    }
    idle_ = true;
    parser_.emplace();
    parser_->body_limit(shared_->options.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(shared_->options.header_limit));
    stream_.expires_after(shared_->options.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    idle_ = false;
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
      return Close();
    }
    started_ = Clock::now();
    request_id_ = shared_->ids.NewId();
    keep_alive_ = false;
    version_ = 11;
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

  void Handle(bhttp::request<bhttp::string_body> request) {
    keep_alive_ = request.keep_alive();
    version_ = request.version();
    if (auto header = request.find("x-request-id");
        header != request.end() && IsAcceptableRequestId(View(header->value()))) {
      request_id_ = std::string(View(header->value()));
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
    if (!request.body().empty()) {
      auto content_type = request.find(bhttp::field::content_type);
      if (content_type == request.end() || !IsJsonContentType(View(content_type->value()))) {
        return SendError(415, absl::InvalidArgumentError(
                                  "request body must be sent as Content-Type: application/json"));
      }
    }
    absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
        BuildRequestMessage(*match, request.body(), query, shared_->options.json);
    if (!message.ok()) {
      return SendStatus(message.status());
    }
    CallContext call;
    if (auto auth = request.find(bhttp::field::authorization); auth != request.end()) {
      call.bearer_token = BearerTokenFrom(View(auth->value()));
    }
    call.request_id = request_id_;
    beast::error_code ignored;
    const std::string peer = stream_.socket().remote_endpoint(ignored).address().to_string();
    // Proxies may append their own header line rather than extend the client's: read them all,
    // in order, as one list.
    std::string forwarded_for;
    auto [first, last] = request.equal_range("X-Forwarded-For");
    for (auto line = first; line != last; ++line) {
      absl::StrAppend(&forwarded_for, forwarded_for.empty() ? "" : ",",
                      std::string(View(line->value())));
    }
    call.source_address = ClientAddress(peer, forwarded_for, shared_->options.trusted_proxies);
    const MethodSpec& spec = *match->route->method;
    shared_->pipeline.Dispatch(
        spec, *std::move(message), std::move(call), [self = shared_from_this()](RpcResult result) {
          // Back onto this connection's strand: handlers never touch the socket.
          auto shared_result = std::make_shared<RpcResult>(std::move(result));
          asio::post(self->stream_.get_executor(), [self, shared_result] {
            if (shared_result->ok()) {
              self->SendJson(200, ResponseToJson(***shared_result));
            } else {
              self->SendStatus(shared_result->status());
            }
          });
        });
  }

  void CheckReadiness() {
    if (shared_->draining.load()) {
      return SendStatus(absl::UnavailableError("the server is shutting down"));
    }
    auto self = shared_from_this();
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
    SendJson(HttpStatusFor(status.code()), StatusToJson(status), status.code());
  }

  void SendError(int http_status, const absl::Status& status) {
    keep_alive_ = false;  // after a framing error the rest of the stream cannot be trusted
    SendJson(http_status, StatusToJson(status), status.code());
  }

  void SendJson(int http_status, std::string body, absl::StatusCode code = absl::StatusCode::kOk) {
    auto response = std::make_shared<Response>(static_cast<bhttp::status>(http_status), version_);
    response->set(bhttp::field::server, "confide");
    response->set(bhttp::field::content_type, "application/json");
    response->set(bhttp::field::cache_control, "no-store");
    response->set("X-Content-Type-Options", "nosniff");
    response->set("X-Request-Id", request_id_);
    if (!allow_.empty()) {
      response->set(bhttp::field::allow, allow_);
      allow_.clear();
    }
    if (http_status == 429 || http_status == 503) {
      response->set(bhttp::field::retry_after, retry_after_.empty() ? "1" : retry_after_);
      retry_after_.clear();
    }
    response->keep_alive(keep_alive_ && !shared_->draining.load());
    response->body() = std::move(body);
    response->prepare_payload();
    const double millis =
        std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
    // Request ids, RPC names, codes and timings only: never paths' values, bodies or tokens.
    spdlog::info(
        R"({{"msg":"request","request_id":"{}","rpc":"{}","http_status":{},"code":"{}","ms":{:.3f}}})",
        request_id_, rpc_name_, http_status, absl::StatusCodeToString(code), millis);
    response_ = response;
    stream_.expires_after(shared_->options.write_timeout);
    bhttp::async_write(stream_, *response_,
                       beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
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
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    DiscardInput();
  }

  void DiscardInput() {
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                              self->discarded_ += bytes;
                              if (ec || self->discarded_ > kMaxLingerBytes) {
                                return self->Close();
                              }
                              self->DiscardInput();
                            });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
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
  static constexpr std::chrono::seconds kLingerTime{2};
  static constexpr std::size_t kMaxLingerBytes = std::size_t{8} * 1024 * 1024;
  std::array<char, std::size_t{16} * 1024> discard_{};
  std::size_t discarded_ = 0;
  bool idle_ = false;
  bool keep_alive_ = false;
  unsigned version_ = 11;
  Clock::time_point started_;
};

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
          std::make_shared<Session>(std::move(socket), shared)->Run();
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
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(shared_->sessions_mu);
    for (const std::weak_ptr<Session>& weak : shared_->sessions) {
      if (auto session = weak.lock()) {
        live.push_back(std::move(session));
      }
    }
  }
  for (const std::shared_ptr<Session>& session : live) {
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
