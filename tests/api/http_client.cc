#include "http_client.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility> (DESIGN.md,
// "Known pitfalls"): <utility> must come before any Boost.Asio/Beast header.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <utility>

namespace confide::api_test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// Generous: only a hung server ever reaches it.
constexpr std::chrono::seconds kStepTimeout{30};
constexpr std::uint64_t kMaxResponseBody = 64 * 1024 * 1024;

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower;
}

// Runs one asynchronous step to completion on `io` and returns its error code.
template <typename Start>
beast::error_code RunStep(asio::io_context& io, Start start) {
  beast::error_code result;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  io.restart();
  io.run();
  return result;
}

}  // namespace

nlohmann::json HttpResponse::Json() const {
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

HttpResponse HttpClient::Send(std::string_view method, std::string_view target, std::string body,
                              std::string_view token, const HeaderList& headers) const {
  std::string request;
  request.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  request.append("Host: 127.0.0.1:").append(std::to_string(port_)).append("\r\n");
  request.append("Connection: close\r\n");
  bool has_content_type = false;
  for (const auto& [name, value] : headers) {
    has_content_type = has_content_type || Lower(name) == "content-type";
    request.append(name).append(": ").append(value).append("\r\n");
  }
  if (!body.empty() && !has_content_type) {
    request.append("Content-Type: application/json\r\n");
  }
  if (!token.empty()) {
    request.append("Authorization: Bearer ").append(token).append("\r\n");
  }
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    request.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  request.append("\r\n").append(body);
  return SendRaw(request);
}

HttpResponse HttpClient::SendRaw(std::string_view bytes) const {
  HttpResponse response;
  asio::io_context io;
  beast::tcp_stream stream(io);
  const tcp::endpoint server(asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port_));

  stream.expires_after(kStepTimeout);
  if (beast::error_code ec =
          RunStep(io, [&](auto handler) { stream.async_connect(server, std::move(handler)); })) {
    response.error = "connect: " + ec.message();
    return response;
  }

  stream.expires_after(kStepTimeout);
  const beast::error_code write_error = RunStep(io, [&](auto handler) {
    asio::async_write(stream, asio::buffer(bytes.data(), bytes.size()), std::move(handler));
  });
  if (write_error == beast::error::timeout) {
    response.error = "write timed out";
    return response;
  }

  stream.expires_after(kStepTimeout);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kMaxResponseBody);
  if (beast::error_code ec = RunStep(io, [&](auto handler) {
        bhttp::async_read(stream, buffer, parser, std::move(handler));
      })) {
    response.error = "read: " + ec.message();
    if (write_error) {
      response.error += " (after write: " + write_error.message() + ")";
    }
    return response;
  }
  bhttp::response<bhttp::string_body> message = parser.release();
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    std::string& value = response.headers[Lower(
        std::string_view(field.name_string().data(), field.name_string().size()))];
    // A repeated header (Set-Cookie) keeps every line, one per line.
    value += (value.empty() ? "" : "\n") + std::string(field.value().data(), field.value().size());
  }
  response.body = std::move(message.body());
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return response;
}

}  // namespace confide::api_test
