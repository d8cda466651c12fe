#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nlohmann/json.hpp"

namespace confide::api_test {

// One HTTP exchange as the client saw it.
struct HttpResponse {
  // 0 when no response arrived; `error` then says why.
  int status = 0;
  // Header names in lower case; a repeated header's lines joined with '\n'.
  std::map<std::string, std::string> headers;
  std::string body;
  std::string error;

  // The body as JSON, or a discarded value (is_discarded()) when it is not JSON.
  nlohmann::json Json() const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A tiny blocking HTTP/1.1 client on Beast: one connection per call, so a refusal that closes
// the connection cannot affect the next request. Every step is bounded by a timeout (a safety net
// against a hung server, never an assertion about speed).
class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}

  // Sends a well-formed request. A body is sent as application/json unless `headers` names a
  // Content-Type; `token`, when set, goes in `Authorization: Bearer`.
  HttpResponse Send(std::string_view method, std::string_view target, std::string body = "",
                    std::string_view token = "", const HeaderList& headers = {}) const;

  HttpResponse Get(std::string_view target, std::string_view token = "") const {
    return Send("GET", target, "", token);
  }
  HttpResponse Post(std::string_view target, const nlohmann::json& body,
                    std::string_view token = "") const {
    return Send("POST", target, body.dump(), token);
  }
  HttpResponse Patch(std::string_view target, const nlohmann::json& body,
                     std::string_view token = "") const {
    return Send("PATCH", target, body.dump(), token);
  }

  // Writes `bytes` to a fresh connection exactly as given (for malformed requests) and reads one
  // response. A write the server cut short (it may answer and close before reading everything)
  // still reads whatever response it sent.
  HttpResponse SendRaw(std::string_view bytes) const;

 private:
  int port_;
};

}  // namespace confide::api_test
