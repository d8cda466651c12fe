// The gateway's browser-facing behaviour, against a real confide-server over real sockets: the
// portal's cookie sessions with CSRF protection, static files with caching and gzip, security
// headers, CORS and the sign-in rate limit. (TLS is tested with openssl s_client in
// tests/browser/tls.test.mjs.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

// <utility> before any Boost.Asio header (DESIGN.md, "Known pitfalls").
#include <utility>
// clang-format off
#include <boost/asio.hpp>
// clang-format on
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tests/api/api_test_fixture.h"
#include "tests/api/http_client.h"
#include "tests/api/test_server.h"

namespace confide::api_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAllowedOrigin[] = "https://app.example.org";
// Long enough to be worth compressing (the gateway leaves bodies under 1 KiB alone).
const std::string kAppScript = "// portal\n" + std::string(4000, 'x') + "\n";

std::string Gunzip(const std::string& data) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) {
    return "<inflateInit2 failed>";
  }
  std::string out(size_t{64} * 1024, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = inflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return result == Z_STREAM_END ? out : "<not gzip>";
}

// A Set-Cookie line's value for `name`, "" when absent.
std::string SetCookieLine(const HttpResponse& response, std::string_view name) {
  auto it = response.headers.find("set-cookie");
  if (it == response.headers.end()) {
    return "";
  }
  std::string_view lines = it->second;
  while (!lines.empty()) {
    const size_t end = lines.find('\n');
    std::string_view line = lines.substr(0, end);
    if (line.starts_with(std::string(name) + "=")) {
      return std::string(line);
    }
    lines = end == std::string_view::npos ? std::string_view() : lines.substr(end + 1);
  }
  return "";
}

// Writes `bytes` (several requests, the last with Connection: close) on one connection and
// returns everything the server sends back until it closes it.
std::string ExchangeOnOneConnection(int port, std::string_view bytes) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)}, ec);
  if (ec) {
    return "<connect: " + ec.message() + ">";
  }
  boost::asio::write(socket, boost::asio::buffer(bytes.data(), bytes.size()), ec);
  std::string received;
  std::array<char, 4096> chunk{};
  while (!ec) {
    const size_t n = socket.read_some(boost::asio::buffer(chunk), ec);
    received.append(chunk.data(), n);
  }
  return received;
}

// How many Set-Cookie lines name `name`.
int SetCookieCount(const HttpResponse& response, std::string_view name) {
  auto it = response.headers.find("set-cookie");
  if (it == response.headers.end()) {
    return 0;
  }
  int count = 0;
  for (size_t at = it->second.find(std::string(name) + "="); at != std::string::npos;
       at = it->second.find(std::string(name) + "=", at + 1)) {
    ++count;
  }
  return count;
}

// "name=value; Path=/..." → "value".
std::string CookieValueOf(const std::string& set_cookie_line) {
  const size_t equals = set_cookie_line.find('=');
  const size_t semicolon = set_cookie_line.find(';');
  return set_cookie_line.substr(equals + 1, semicolon - equals - 1);
}

struct PortalSession {
  std::string session;
  std::string csrf;
  std::string CookieHeader() const {
    return "__Host-confide-session=" + session + "; __Host-confide-csrf=" + csrf;
  }
};

class PortalGatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    web_dir_ = std::filesystem::temp_directory_path() / ("confide_web_" + std::to_string(getpid()));
    std::filesystem::create_directories(web_dir_ / "portal" / "js");
    std::filesystem::create_directories(web_dir_ / "docs");
    std::ofstream(web_dir_ / "portal" / "index.html") << "<!doctype html><title>Confide</title>";
    std::ofstream(web_dir_ / "portal" / "js" / "app.js") << kAppScript;
    std::ofstream(web_dir_ / "portal" / ".secret") << "not published";
    std::ofstream(web_dir_ / "docs" / "index.html") << "<!doctype html><title>API</title>";
    start_error_.clear();
    server_ = TestServer::Start(&start_error_,
                                {"CONFIDE_PORTAL_WEB_DIR=" + web_dir_.string(),
                                 std::string("CONFIDE_REST_CORS_ALLOWED_ORIGINS=") + kAllowedOrigin,
                                 "CONFIDE_PORTAL_IDLE_MINUTES=7"});
  }
  static void TearDownTestSuite() {
    server_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(web_dir_, ignored);
  }
  void SetUp() override { ASSERT_NE(server_, nullptr) << start_error_; }

  static HttpClient Rest() { return HttpClient(server_->rest_port()); }

  // Signs Jo in the way the portal does.
  static PortalSession PortalLogin() {
    HttpResponse login =
        Rest().Send("POST", "/v1/auth/login",
                    nlohmann::json{{"email", kJoEmail}, {"password", kDemoPassword}}.dump(), "",
                    {{"X-Confide-Session", "cookie"}});
    EXPECT_EQ(login.status, 200) << login.body;
    return PortalSession{CookieValueOf(SetCookieLine(login, "__Host-confide-session")),
                         CookieValueOf(SetCookieLine(login, "__Host-confide-csrf"))};
  }

  // How many journal entries Jo has, read through her portal session.
  static int JournalCount(const PortalSession& s) {
    HttpResponse list =
        Rest().Send("GET", "/v1/clients/me/journalEntries", "", "", {{"Cookie", s.CookieHeader()}});
    return static_cast<int>(list.Json().value("entries", nlohmann::json::array()).size());
  }

  static inline std::unique_ptr<TestServer> server_;
  static inline std::string start_error_;
  static inline std::filesystem::path web_dir_;
};

TEST_F(PortalGatewayTest, PortalSignInSetsHttpOnlyStrictCookiesAndKeepsTheTokenOutOfTheBody) {
  HttpResponse login =
      Rest().Send("POST", "/v1/auth/login",
                  nlohmann::json{{"email", kJoEmail}, {"password", kDemoPassword}}.dump(), "",
                  {{"X-Confide-Session", "cookie"}});
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_FALSE(login.Json().contains("sessionToken")) << login.body;
  EXPECT_EQ(login.Json()["user"]["email"], kJoEmail);
  const std::string session = SetCookieLine(login, "__Host-confide-session");
  EXPECT_THAT(session, HasSubstr("; HttpOnly"));
  EXPECT_THAT(session, HasSubstr("; Secure"));
  EXPECT_THAT(session, HasSubstr("; SameSite=Strict"));
  EXPECT_THAT(session, HasSubstr("; Path=/"));
  EXPECT_THAT(session, Not(HasSubstr("Max-Age")));
  const std::string csrf = SetCookieLine(login, "__Host-confide-csrf");
  EXPECT_THAT(csrf, HasSubstr("; SameSite=Strict"));
  EXPECT_THAT(csrf, Not(HasSubstr("HttpOnly")));  // the page reads it to echo it back
  EXPECT_EQ(CookieValueOf(csrf).size(), 64U);
}

TEST_F(PortalGatewayTest, ApiSignInStillAnswersWithABearerTokenAndNoCookies) {
  HttpResponse login =
      Rest().Post("/v1/auth/login", {{"email", kJoEmail}, {"password", kDemoPassword}});
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_TRUE(login.Json().contains("sessionToken"));
  EXPECT_EQ(login.headers.count("set-cookie"), 0U);
}

TEST_F(PortalGatewayTest, TheCookieAuthenticatesReads) {
  PortalSession s = PortalLogin();
  HttpResponse due =
      Rest().Send("GET", "/v1/clients/me/dueItems", "", "", {{"Cookie", s.CookieHeader()}});
  EXPECT_EQ(due.status, 200) << due.body;
  HttpResponse none = Rest().Get("/v1/clients/me/dueItems");
  EXPECT_EQ(none.status, 401);
}

TEST_F(PortalGatewayTest, ACookieWriteWithoutTheCsrfTokenIsRefusedAndStoresNothing) {
  PortalSession s = PortalLogin();
  const int before = JournalCount(s);
  const std::string entry = nlohmann::json{{"text", "a forged entry"}}.dump();
  HttpResponse missing = Rest().Send("POST", "/v1/clients/me/journalEntries", entry, "",
                                     {{"Cookie", s.CookieHeader()}});
  EXPECT_EQ(missing.status, 403) << missing.body;
  EXPECT_THAT(missing.Json().value("message", ""), HasSubstr("X-CSRF-Token"));
  HttpResponse wrong =
      Rest().Send("POST", "/v1/clients/me/journalEntries", entry, "",
                  {{"Cookie", s.CookieHeader()}, {"X-CSRF-Token", std::string(64, '0')}});
  EXPECT_EQ(wrong.status, 403) << wrong.body;
  // Another session's token does not fit this one.
  PortalSession other = PortalLogin();
  HttpResponse borrowed = Rest().Send("POST", "/v1/clients/me/journalEntries", entry, "",
                                      {{"Cookie", s.CookieHeader()}, {"X-CSRF-Token", other.csrf}});
  EXPECT_EQ(borrowed.status, 403) << borrowed.body;
  const int after = JournalCount(s);
  EXPECT_EQ(after, before);
}

// Only a Bearer token exempts a request from the CSRF check: an empty Authorization header, or
// a method spelled in lower case, does not turn a forged cookie write into an API call.
TEST_F(PortalGatewayTest, NoSpellingOfARequestSkipsTheCsrfCheck) {
  PortalSession s = PortalLogin();
  const int before = JournalCount(s);
  const std::string entry = nlohmann::json{{"text", "a forged entry"}}.dump();
  HttpResponse empty_authorization =
      Rest().Send("POST", "/v1/clients/me/journalEntries", entry, "",
                  {{"Cookie", s.CookieHeader()}, {"Authorization", ""}});
  EXPECT_EQ(empty_authorization.status, 403) << empty_authorization.body;
  HttpResponse lower_case = Rest().Send("post", "/v1/clients/me/journalEntries", entry, "",
                                        {{"Cookie", s.CookieHeader()}});
  EXPECT_NE(lower_case.status, 200) << lower_case.body;
  HttpResponse duplicate = Rest().Send(
      "POST", "/v1/clients/me/journalEntries", entry, "",
      {{"Cookie", "__Host-confide-session=; " + s.CookieHeader()}, {"X-CSRF-Token", s.csrf}});
  EXPECT_EQ(duplicate.status, 401) << duplicate.body;
  const int after = JournalCount(s);
  EXPECT_EQ(after, before);
}

TEST_F(PortalGatewayTest, ACookieWriteWithItsCsrfTokenWorks) {
  PortalSession s = PortalLogin();
  const int before = JournalCount(s);
  HttpResponse created = Rest().Send("POST", "/v1/clients/me/journalEntries",
                                     nlohmann::json{{"text", "a calmer evening"}}.dump(), "",
                                     {{"Cookie", s.CookieHeader()}, {"X-CSRF-Token", s.csrf}});
  EXPECT_EQ(created.status, 200) << created.body;
  const int after = JournalCount(s);
  EXPECT_EQ(after, before + 1);
}

TEST_F(PortalGatewayTest, SigningOutClearsTheCookiesAndEndsTheSession) {
  PortalSession s = PortalLogin();
  HttpResponse logout = Rest().Send("POST", "/v1/auth/logout", "{}", "",
                                    {{"Cookie", s.CookieHeader()}, {"X-CSRF-Token", s.csrf}});
  ASSERT_EQ(logout.status, 200) << logout.body;
  EXPECT_THAT(SetCookieLine(logout, "__Host-confide-session"), HasSubstr("Max-Age=0"));
  EXPECT_THAT(SetCookieLine(logout, "__Host-confide-csrf"), HasSubstr("Max-Age=0"));
  HttpResponse after =
      Rest().Send("GET", "/v1/clients/me/dueItems", "", "", {{"Cookie", s.CookieHeader()}});
  EXPECT_EQ(after.status, 401);
  // The ended session's cookies are cleared on its refusal too.
  EXPECT_THAT(SetCookieLine(after, "__Host-confide-session"), HasSubstr("Max-Age=0"));
}

// A sign-out refused for its missing CSRF token is refused whole: a page on a sibling subdomain
// (same site, so SameSite does not stop it) must not be able to wipe the portal's cookies.
TEST_F(PortalGatewayTest, ASignOutRefusedForItsCsrfTokenLeavesTheCookiesAlone) {
  PortalSession s = PortalLogin();
  HttpResponse forged =
      Rest().Send("POST", "/v1/auth/logout", "", "", {{"Cookie", s.CookieHeader()}});
  EXPECT_EQ(forged.status, 403) << forged.body;
  EXPECT_EQ(forged.headers.count("set-cookie"), 0U) << forged.headers["set-cookie"];
  HttpResponse me = Rest().Send("GET", "/v1/auth/me", "", "", {{"Cookie", s.CookieHeader()}});
  EXPECT_EQ(me.status, 200) << me.body;
}

TEST_F(PortalGatewayTest, SigningOutOfAnEndedSessionClearsEachCookieOnce) {
  PortalSession s = PortalLogin();
  const HeaderList headers = {{"Cookie", s.CookieHeader()}, {"X-CSRF-Token", s.csrf}};
  ASSERT_EQ(Rest().Send("POST", "/v1/auth/logout", "{}", "", headers).status, 200);
  HttpResponse again = Rest().Send("POST", "/v1/auth/logout", "{}", "", headers);
  EXPECT_EQ(again.status, 401) << again.body;
  EXPECT_EQ(SetCookieCount(again, "__Host-confide-session"), 1) << again.headers["set-cookie"];
  EXPECT_EQ(SetCookieCount(again, "__Host-confide-csrf"), 1) << again.headers["set-cookie"];
}

TEST_F(PortalGatewayTest, APageReloadedWithTheCookieLearnsWhoIsSignedIn) {
  PortalSession s = PortalLogin();
  HttpResponse me = Rest().Send("GET", "/v1/auth/me", "", "", {{"Cookie", s.CookieHeader()}});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json()["email"], kJoEmail);
  EXPECT_EQ(me.Json()["role"], "ROLE_PATIENT");
  EXPECT_EQ(me.Json()["clientId"], "0190d000-0000-7000-8000-00000000c001");
  EXPECT_FALSE(me.Json().contains("passwordHash"));
  HttpResponse kim =
      Rest().Post("/v1/auth/login", {{"email", kKimEmail}, {"password", kDemoPassword}});
  ASSERT_EQ(kim.status, 200);
  HttpResponse partner = Rest().Get("/v1/auth/me", kim.Json()["sessionToken"].get<std::string>());
  EXPECT_EQ(partner.Json()["role"], "ROLE_PARTNER");
  EXPECT_EQ(Rest().Get("/v1/auth/me").status, 401);
}

TEST_F(PortalGatewayTest, AStaleCookieDoesNotStopSigningInAgain) {
  HttpResponse login = Rest().Send(
      "POST", "/v1/auth/login",
      nlohmann::json{{"email", kJoEmail}, {"password", kDemoPassword}}.dump(), "",
      {{"X-Confide-Session", "cookie"}, {"Cookie", "__Host-confide-session=ended-long-ago"}});
  EXPECT_EQ(login.status, 200) << login.body;
}

TEST_F(PortalGatewayTest, TheBearerHeaderWinsOverACookie) {
  HttpResponse api =
      Rest().Post("/v1/auth/login", {{"email", kRileyEmail}, {"password", kDemoPassword}});
  ASSERT_EQ(api.status, 200);
  PortalSession jo = PortalLogin();
  // A Bearer request needs no CSRF token: browsers never add Authorization on their own.
  HttpResponse created = Rest().Send(
      "POST", "/v1/clients/me/journalEntries", nlohmann::json{{"text", "riley's own words"}}.dump(),
      api.Json()["sessionToken"].get<std::string>(), {{"Cookie", jo.CookieHeader()}});
  ASSERT_EQ(created.status, 200) << created.body;
  HttpResponse jo_list =
      Rest().Send("GET", "/v1/clients/me/journalEntries", "", "", {{"Cookie", jo.CookieHeader()}});
  EXPECT_THAT(jo_list.body, Not(HasSubstr("riley's own words")));
}

TEST_F(PortalGatewayTest, ThePortalIsServedWithAStrictPolicyAndRevalidation) {
  HttpResponse index = Rest().Get("/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>Confide</title>");
  EXPECT_EQ(index.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(index.headers["cache-control"], "no-cache");
  EXPECT_THAT(index.headers["content-security-policy"], HasSubstr("script-src 'self';"));
  EXPECT_THAT(index.headers["content-security-policy"], HasSubstr("frame-ancestors 'none'"));
  EXPECT_THAT(index.headers["content-security-policy"], Not(HasSubstr("unsafe-inline")));
  EXPECT_EQ(index.headers["x-frame-options"], "DENY");
  EXPECT_EQ(index.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(index.headers["referrer-policy"], "no-referrer");
  // Plain HTTP (a TLS-terminating proxy in front, or tests): no HSTS over it.
  EXPECT_EQ(index.headers.count("strict-transport-security"), 0U);
  const std::string etag = index.headers["etag"];
  ASSERT_FALSE(etag.empty());
  HttpResponse again = Rest().Send("GET", "/", "", "", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

// Caches send lists and "*", and a proxy that re-encodes a body weakens its tag (W/"...").
TEST_F(PortalGatewayTest, IfNoneMatchListsAndWeakTagsRevalidate) {
  const std::string etag = Rest().Get("/").headers["etag"];
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(Rest().Send("GET", "/", "", "", {{"If-None-Match", "\"old\", " + etag}}).status, 304);
  EXPECT_EQ(Rest().Send("GET", "/", "", "", {{"If-None-Match", "W/" + etag}}).status, 304);
  EXPECT_EQ(Rest().Send("GET", "/", "", "", {{"If-None-Match", "*"}}).status, 304);
  EXPECT_EQ(Rest().Send("GET", "/", "", "", {{"If-None-Match", "\"old\""}}).status, 200);
}

// A HEAD answer carries a GET's headers and no body; a body would be read as the start of the
// next answer on a kept-alive connection (a proxy's pooled one too).
TEST_F(PortalGatewayTest, HeadAnswersHaveNoBodySoTheNextAnswerOnTheConnectionIsIntact) {
  const std::string received =
      ExchangeOnOneConnection(server_->rest_port(),
                              "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                              "HEAD /no-such-page HTTP/1.1\r\nHost: x\r\n\r\n"
                              "HEAD /js/app.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"
                              "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  // Each header block is followed directly by the next status line (the 404 closes the
  // connection, so the app.js and last answers never come).
  const size_t first_end = received.find("\r\n\r\n");
  ASSERT_NE(first_end, std::string::npos) << received;
  EXPECT_TRUE(received.substr(0, first_end).starts_with("HTTP/1.1 200")) << received;
  EXPECT_THAT(received.substr(0, first_end), HasSubstr("Content-Length: 20"));
  EXPECT_TRUE(received.substr(first_end + 4).starts_with("HTTP/1.1 404")) << received;
  const size_t second_end = received.find("\r\n\r\n", first_end + 4);
  EXPECT_EQ(second_end + 4, received.size()) << received;

  const std::string file =
      ExchangeOnOneConnection(server_->rest_port(),
                              "HEAD /js/app.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"
                              "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const size_t file_end = file.find("\r\n\r\n");
  ASSERT_NE(file_end, std::string::npos) << file;
  EXPECT_THAT(file.substr(0, file_end), HasSubstr("Content-Encoding: gzip"));
  EXPECT_TRUE(file.substr(file_end + 4).starts_with("HTTP/1.1 200")) << file;
}

// A framing error answered on a kept-alive connection is logged as what it is, not under the
// name of the connection's previous request.
TEST_F(PortalGatewayTest, AMalformedRequestIsNotLoggedUnderThePreviousRequestsName) {
  const std::string received =
      ExchangeOnOneConnection(server_->rest_port(),
                              "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: h9-first\r\n\r\n"
                              "NOT HTTP AT ALL\r\n\r\n");
  ASSERT_THAT(received, HasSubstr("HTTP/1.1 400"));
  const std::string log = server_->Log();
  const size_t first = log.find(R"("request_id":"h9-first")");
  ASSERT_NE(first, std::string::npos);
  const size_t next_line = log.find(R"("http_status":400)", first);
  ASSERT_NE(next_line, std::string::npos) << log.substr(first);
  const size_t line_start = log.rfind('\n', next_line);
  EXPECT_THAT(log.substr(line_start, next_line - line_start), Not(HasSubstr(R"("rpc":"healthz")")));
}

TEST_F(PortalGatewayTest, StaticFilesAreGzippedForClientsThatAcceptIt) {
  HttpResponse plain = Rest().Get("/js/app.js");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.body, kAppScript);
  EXPECT_EQ(plain.headers["content-type"], "text/javascript; charset=utf-8");
  HttpResponse gzip = Rest().Send("GET", "/js/app.js", "", "", {{"Accept-Encoding", "gzip, br"}});
  ASSERT_EQ(gzip.status, 200);
  EXPECT_EQ(gzip.headers["content-encoding"], "gzip");
  EXPECT_LT(gzip.body.size(), kAppScript.size());
  EXPECT_EQ(Gunzip(gzip.body), kAppScript);
  EXPECT_THAT(gzip.headers["vary"], HasSubstr("Accept-Encoding"));
  HttpResponse refused =
      Rest().Send("GET", "/js/app.js", "", "", {{"Accept-Encoding", "gzip;q=0"}});
  EXPECT_EQ(refused.headers.count("content-encoding"), 0U);
}

TEST_F(PortalGatewayTest, LargeJsonAnswersAreGzippedButSignInAnswersNever) {
  PortalSession s = PortalLogin();
  HttpResponse programmes =
      Rest().Send("GET", "/v1/clients/me/programmes", "", "",
                  {{"Cookie", s.CookieHeader()}, {"Accept-Encoding", "gzip"}});
  ASSERT_EQ(programmes.status, 200);
  ASSERT_EQ(programmes.headers["content-encoding"], "gzip");
  nlohmann::json exercises = nlohmann::json::parse(Gunzip(programmes.body), nullptr, false);
  EXPECT_FALSE(exercises.is_discarded());
  HttpResponse login =
      Rest().Send("POST", "/v1/auth/login",
                  nlohmann::json{{"email", kJoEmail}, {"password", kDemoPassword}}.dump(), "",
                  {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(login.headers.count("content-encoding"), 0U);
}

TEST_F(PortalGatewayTest, OnlyPublishedFilesAreServed) {
  EXPECT_EQ(Rest().Get("/.secret").status, 404);
  EXPECT_EQ(Rest().Get("/../CMakeLists.txt").status, 404);
  EXPECT_EQ(Rest().Get("/js/%2e%2e/index.html").status, 404);
  HttpResponse missing = Rest().Get("/nothing-here.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Json()["code"], 5);
  // The API reference page, with and without the trailing slash.
  EXPECT_EQ(Rest().Get("/docs/").body, "<!doctype html><title>API</title>");
  EXPECT_EQ(Rest().Get("/docs").status, 200);
}

TEST_F(PortalGatewayTest, ThePortalConfigurationComesFromTheServerSettings) {
  HttpResponse config = Rest().Get("/config.json");
  ASSERT_EQ(config.status, 200);
  EXPECT_EQ(config.Json()["idleMinutes"], 7);
  EXPECT_EQ(config.Json()["quickExitUrl"], "https://www.bbc.co.uk/weather");
}

TEST_F(PortalGatewayTest, TheOpenApiDocumentDescribesTheRestApi) {
  HttpResponse document = Rest().Get("/v1/openapi.json");
  ASSERT_EQ(document.status, 200);
  EXPECT_EQ(document.headers["content-type"], "application/json");
  nlohmann::json api = document.Json();
  ASSERT_TRUE(api.is_object()) << document.body.substr(0, 200);
  EXPECT_EQ(api["swagger"], "2.0");
  EXPECT_TRUE(api["paths"].contains("/v1/auth/login"));
  EXPECT_TRUE(api["paths"]["/v1/auth/me"].contains("get"));
  EXPECT_GE(api["paths"].size(), 80U);
}

TEST_F(PortalGatewayTest, ApiAnswersCarryTheSecurityHeaders) {
  HttpResponse health = Rest().Get("/healthz");
  EXPECT_THAT(health.headers["content-security-policy"], HasSubstr("default-src 'none'"));
  EXPECT_EQ(health.headers["x-frame-options"], "DENY");
  EXPECT_EQ(health.headers["cross-origin-opener-policy"], "same-origin");
  HttpResponse refused = Rest().Get("/v1/clients/me/dueItems");
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.headers["x-content-type-options"], "nosniff");
}

TEST_F(PortalGatewayTest, CorsAnswersOnlyTheAllowedOrigins) {
  HttpResponse preflight =
      Rest().Send("OPTIONS", "/v1/clients/me/dueItems", "", "",
                  {{"Origin", kAllowedOrigin}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.headers["access-control-allow-origin"], kAllowedOrigin);
  EXPECT_THAT(preflight.headers["access-control-allow-headers"], HasSubstr("Authorization"));
  EXPECT_EQ(preflight.headers.count("access-control-allow-credentials"), 0U);
  HttpResponse allowed = Rest().Send("GET", "/healthz", "", "", {{"Origin", kAllowedOrigin}});
  EXPECT_EQ(allowed.headers["access-control-allow-origin"], kAllowedOrigin);

  HttpResponse other_preflight =
      Rest().Send("OPTIONS", "/v1/clients/me/dueItems", "", "",
                  {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_EQ(other_preflight.status, 403);
  EXPECT_EQ(other_preflight.headers.count("access-control-allow-origin"), 0U);
  HttpResponse other = Rest().Send("GET", "/healthz", "", "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other.headers.count("access-control-allow-origin"), 0U);
  // A suffix of an allowed origin is not that origin.
  HttpResponse suffix =
      Rest().Send("GET", "/healthz", "", "", {{"Origin", "https://app.example.org.evil"}});
  EXPECT_EQ(suffix.headers.count("access-control-allow-origin"), 0U);
}

// With CORS on, whether an answer carries Access-Control-Allow-Origin depends on the request's
// Origin, so every answer says so (Vary: Origin), or a shared cache could hand one origin's
// answer to another; a static file's Vary: Accept-Encoding must not replace it.
TEST_F(PortalGatewayTest, EveryAnswerVariesByOriginWhenCorsIsOn) {
  HttpResponse file = Rest().Send("GET", "/js/app.js", "", "",
                                  {{"Origin", kAllowedOrigin}, {"Accept-Encoding", "gzip"}});
  EXPECT_EQ(file.headers["access-control-allow-origin"], kAllowedOrigin);
  EXPECT_THAT(file.headers["vary"], HasSubstr("Origin"));
  EXPECT_THAT(file.headers["vary"], HasSubstr("Accept-Encoding"));
  EXPECT_THAT(Rest().Get("/js/app.js").headers["vary"], HasSubstr("Origin"));
  EXPECT_THAT(Rest().Get("/healthz").headers["vary"], HasSubstr("Origin"));
  EXPECT_THAT(
      Rest().Send("GET", "/healthz", "", "", {{"Origin", "https://evil.example"}}).headers["vary"],
      HasSubstr("Origin"));
}

TEST(PortalGatewayRateLimitTest, SignInAttemptsFromOneAddressAreRateLimited) {
  std::string error;
  std::unique_ptr<TestServer> server =
      TestServer::Start(&error, {"CONFIDE_REST_SIGN_IN_ATTEMPTS_PER_MINUTE=3"});
  ASSERT_NE(server, nullptr) << error;
  HttpClient rest(server->rest_port());
  const nlohmann::json wrong = {{"email", kRileyEmail}, {"password", "not-the-password"}};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(rest.Post("/v1/auth/login", wrong).status, 401) << "attempt " << i;
  }
  HttpResponse limited =
      rest.Post("/v1/auth/login", {{"email", kJoEmail}, {"password", kDemoPassword}});
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.Json()["code"], 8);
  EXPECT_THAT(limited.Json().value("message", ""), HasSubstr("sign-in attempts"));
  const int retry_after = std::atoi(limited.headers["retry-after"].c_str());
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 20);
  // Calls with a session are not sign-ins and are not limited.
  EXPECT_EQ(rest.Get("/healthz").status, 200);
  EXPECT_EQ(server->Stop(), "");
}

}  // namespace
}  // namespace confide::api_test
