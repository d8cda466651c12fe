#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "api_test_fixture.h"

namespace confide::api_test {

// A safety net against a hung server, never an assertion about speed.
inline constexpr std::chrono::seconds kCallDeadline{30};

// An ApiTest whose suite also holds one gRPC channel to the suite's server.
class GrpcApiTestBase : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ApiTest::SetUpTestSuite();
    if (Started()) {
      channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server().grpc_port()),
                                     grpc::InsecureChannelCredentials());
    }
  }
  static void TearDownTestSuite() {
    channel_.reset();
    ApiTest::TearDownTestSuite();
  }

  // A context with a deadline and, when set, the caller's session and an x-request-id.
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token = "",
                                                      const std::string& request_id = "") {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    if (!token.empty()) {
      context->AddMetadata("authorization", "Bearer " + token);
    }
    if (!request_id.empty()) {
      context->AddMetadata("x-request-id", request_id);
    }
    return context;
  }

  static const std::shared_ptr<grpc::Channel>& channel() { return channel_; }

 private:
  static inline std::shared_ptr<grpc::Channel> channel_;
};

// A grpc::Status as "<code> <message>", for failure messages.
inline std::string Describe(const grpc::Status& status) {
  return std::to_string(status.error_code()) + " " + status.error_message();
}

}  // namespace confide::api_test
