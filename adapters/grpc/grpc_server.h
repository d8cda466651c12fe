#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "services/api/pipeline.h"
#include "services/common/id_generator.h"

namespace grpc {
class Server;
}

namespace confide::grpc_adapter {

struct GrpcServerOptions {
  std::string address = "127.0.0.1";
  // 0 picks a free port (tests); port() tells which.
  uint16_t port = 50051;
  size_t max_message_bytes = size_t{1024} * 1024;
};

class GenericRpcService;

// The gRPC transport: one CallbackGenericService that hands every call to the shared pipeline
// by its full method name and finishes it once when the pipeline answers. Adds the standard
// health and reflection services.
class GrpcServer {
 public:
  // `ids` names calls that arrive without a usable x-request-id.
  GrpcServer(GrpcServerOptions options, Pipeline& pipeline, IdGenerator& ids);
  ~GrpcServer();
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  // FAILED_PRECONDITION when the port cannot be bound.
  absl::Status Start();
  uint16_t port() const { return bound_port_; }
  // Stops accepting calls and waits up to `grace` for calls in flight.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  GrpcServerOptions options_;
  std::unique_ptr<GenericRpcService> service_;
  std::unique_ptr<grpc::Server> server_;
  uint16_t bound_port_ = 0;
};

}  // namespace confide::grpc_adapter
