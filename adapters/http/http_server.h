#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "adapters/http/http_rule_router.h"
#include "adapters/http/json_precheck.h"
#include "adapters/http/static_site.h"
#include "services/api/bounded_executor.h"
#include "services/api/pipeline.h"
#include "services/common/id_generator.h"

namespace confide::http {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  // 0 picks a free port (tests); port() tells which.
  uint16_t port = 8080;
  int io_threads = 2;
  size_t body_limit = size_t{1024} * 1024;
  size_t header_limit = size_t{16} * 1024;
  // Open connections beyond this are closed at once, so idle or slow clients cannot exhaust
  // file descriptors and memory.
  int max_connections = 1024;
  // A slow or silent client cannot hold a connection longer than this per request.
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds write_timeout{30};
  JsonPrecheckLimits json;
  // Reverse proxies whose X-Forwarded-For is believed (see ClientAddress).
  std::vector<std::string> trusted_proxies;
  // PEM files; when both are set every connection is HTTPS (Mozilla "intermediate" profile,
  // tls_context.h) and responses carry HSTS.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Origins allowed to call the API from a browser (CORS); empty: none.
  std::vector<std::string> cors_allowed_origins;
  // Attempts per minute per client address at the public methods (sign-in, invitations,
  // password reset); see SignInRateLimiter.
  int sign_in_attempts_per_minute = 20;
  // The portal, the API reference, /config.json and /v1/openapi.json.
  StaticSite static_site;
};

// The REST gateway: Beast sessions that parse, route by the HttpRule table, build the request
// message and hand it to the shared pipeline. I/O threads never run handlers.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, Pipeline& pipeline, const HttpRuleRouter& router,
             BoundedExecutor& executor, std::function<absl::Status()> readiness, IdGenerator& ids);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O threads. FAILED_PRECONDITION when the address is taken,
  // INVALID_ARGUMENT when the TLS certificate or key cannot be used.
  absl::Status Start();
  uint16_t port() const;
  // Stops accepting new connections; requests in flight still complete.
  void StopAccepting();
  // Graceful stop, step one: stop accepting, answer /readyz with 503, close each connection
  // after its current response.
  void BeginDrain();
  // Waits until every connection has closed or `deadline` passed; true when all closed.
  bool WaitForConnectionsToClose(std::chrono::milliseconds deadline);
  // Closes everything and joins the I/O threads.
  void Stop();

  // Shared by the sessions in http_server.cc.
  struct Shared;

 private:
  std::unique_ptr<Shared> shared_;
  std::vector<std::thread> threads_;
};

}  // namespace confide::http
