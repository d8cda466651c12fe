#include "adapters/grpc/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/support/byte_buffer.h>
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "services/api/bearer_token.h"
#include "services/api/request_id.h"
#include "services/api/rpc_status.h"

namespace confide::grpc_adapter {
namespace {

// "/confide.v1.ClientService/GetClient" → "confide.v1.ClientService.GetClient".
std::string FullMethodName(const std::string& path) {
  std::string name = path.empty() || path[0] != '/' ? path : path.substr(1);
  const size_t slash = name.rfind('/');
  if (slash != std::string::npos) {
    name[slash] = '.';
  }
  return name;
}

std::string Metadata(const grpc::GenericCallbackServerContext* context, const char* key) {
  const auto& metadata = context->client_metadata();
  auto it = metadata.find(key);
  return it == metadata.end() ? "" : std::string(it->second.data(), it->second.size());
}

// "ipv4:127.0.0.1:5555" → "127.0.0.1"; the audit trail wants the address, not the port.
std::string PeerAddress(const std::string& peer) {
  std::string address = peer;
  const size_t scheme = address.find(':');
  if (scheme != std::string::npos) {
    address = address.substr(scheme + 1);
  }
  const size_t port = address.rfind(':');
  if (port != std::string::npos) {
    address = address.substr(0, port);
  }
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  return address;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      static_cast<std::string>(status.message()),
                      ToRpcStatus(status).SerializeAsString());
}

// One unary call: read the request, dispatch, write the response and finish — once.
class UnaryCall final : public grpc::ServerGenericBidiReactor {
 public:
  UnaryCall(grpc::GenericCallbackServerContext* context, Pipeline& pipeline, IdGenerator& ids)
      : context_(context), pipeline_(pipeline), ids_(ids) {
    method_ = pipeline_.methods().Find(FullMethodName(context_->method()));
    if (method_ == nullptr) {
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "no such RPC"));
      return;
    }
    StartRead(&request_bytes_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the call carried no request"));
      return;
    }
    std::unique_ptr<google::protobuf::Message> request(method_->request_prototype->New());
    grpc::Slice slice;
    if (!request_bytes_.TrySingleSlice(&slice).ok() &&
        !request_bytes_.DumpToSingleSlice(&slice).ok()) {
      Finish(grpc::Status(grpc::StatusCode::INTERNAL, "cannot read the request"));
      return;
    }
    if (!request->ParseFromArray(slice.begin(), static_cast<int>(slice.size()))) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "the request is not a valid protobuf message for this RPC"));
      return;
    }
    CallContext call;
    call.bearer_token = BearerTokenFrom(Metadata(context_, "authorization"));
    call.request_id = Metadata(context_, "x-request-id");
    if (!IsAcceptableRequestId(call.request_id)) {
      call.request_id = ids_.NewId();
    }
    call.source_address = PeerAddress(context_->peer());
    call.over_grpc = true;
    started_ = std::chrono::steady_clock::now();
    pipeline_.Dispatch(*method_, std::move(request), call,
                       [this, request_id = call.request_id](RpcResult result) {
                         Complete(std::move(result), request_id);
                       });
  }

  void OnWriteDone(bool) override {}
  void OnDone() override { delete this; }

 private:
  void Complete(RpcResult result, const std::string& request_id) {
    const double millis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
            .count();
    spdlog::info(
        R"({{"msg":"request","request_id":"{}","rpc":"{}","transport":"grpc","code":"{}","ms":{:.3f}}})",
        request_id, method_->full_name, absl::StatusCodeToString(result.status().code()), millis);
    if (!result.ok()) {
      Finish(ToGrpcStatus(result.status()));
      return;
    }
    std::string bytes = (*result)->SerializeAsString();
    grpc::Slice slice(bytes);
    response_bytes_ = grpc::ByteBuffer(&slice, 1);
    StartWriteAndFinish(&response_bytes_, grpc::WriteOptions(), grpc::Status::OK);
  }

  grpc::GenericCallbackServerContext* context_;
  Pipeline& pipeline_;
  IdGenerator& ids_;
  const MethodSpec* method_ = nullptr;
  grpc::ByteBuffer request_bytes_;
  grpc::ByteBuffer response_bytes_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

class GenericRpcService final : public grpc::CallbackGenericService {
 public:
  GenericRpcService(Pipeline& pipeline, IdGenerator& ids) : pipeline_(pipeline), ids_(ids) {}
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    return new UnaryCall(context, pipeline_, ids_);
  }

 private:
  Pipeline& pipeline_;
  IdGenerator& ids_;
};

GrpcServer::GrpcServer(GrpcServerOptions options, Pipeline& pipeline, IdGenerator& ids)
    : options_(std::move(options)), service_(std::make_unique<GenericRpcService>(pipeline, ids)) {}

GrpcServer::~GrpcServer() { Shutdown(std::chrono::milliseconds(0)); }

absl::Status GrpcServer::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::StrCat(options_.address, ":", options_.port),
                           grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options_.max_message_bytes));
  builder.RegisterCallbackGenericService(service_.get());
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot listen for gRPC on ", options_.address, ":", options_.port));
  }
  bound_port_ = static_cast<uint16_t>(port);
  return absl::OkStatus();
}

void GrpcServer::Shutdown(std::chrono::milliseconds grace) {
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now() + grace);
    server_->Wait();
    server_.reset();
  }
}

}  // namespace confide::grpc_adapter
