#include "apps/grpc_get_client.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>

#include "confide/v1/clients.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"

namespace confide::app {

int GetClientOverGrpc(const std::string& address, const std::string& token,
                      const std::string& client_id) {
  std::unique_ptr<v1::ClientService::Stub> stub =
      v1::ClientService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetClientRequest request;
  request.set_client_id(client_id);
  v1::Client client;
  const grpc::Status status = stub->GetClient(&context, request, &client);
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  if (!status.ok()) {
    google::rpc::Status details;
    details.set_code(status.error_code());
    details.set_message(status.error_message());
    if (!status.error_details().empty()) {
      details.ParseFromString(status.error_details());
    }
    (void)google::protobuf::util::MessageToJsonString(details, &json, options);
    std::fprintf(stderr, "%s", json.c_str());
    return 1;
  }
  (void)google::protobuf::util::MessageToJsonString(client, &json, options);
  std::printf("%s", json.c_str());
  return 0;
}

}  // namespace confide::app
