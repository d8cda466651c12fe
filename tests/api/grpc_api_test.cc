// The gRPC transport of the real confide-server: the same pipeline as REST behind generated
// stubs, with errors as grpc::Status carrying a serialized google.rpc.Status.

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "confide/v1/auth.grpc.pb.h"
#include "confide/v1/clients.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

class GrpcApiTest : public GrpcApiTestBase {
 protected:
  static std::unique_ptr<v1::ClientService::Stub> Clients() {
    return v1::ClientService::NewStub(channel());
  }

  static grpc::Status GetClient(const std::string& token, const std::string& id,
                                v1::Client* client) {
    v1::GetClientRequest request;
    request.set_client_id(id);
    return Clients()->GetClient(Context(token).get(), request, client);
  }
};

TEST_F(GrpcApiTest, LoginReturnsATokenThatWorksOnBothTransports) {
  v1::LoginRequest request;
  request.set_email(kRileyEmail);
  request.set_password(kDemoPassword);
  v1::LoginResponse response;

  grpc::Status status =
      v1::AuthService::NewStub(channel())->Login(Context().get(), request, &response);

  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_FALSE(response.session_token().empty());
  EXPECT_TRUE(response.has_expire_time());
  EXPECT_EQ(response.user().client_id(), kRileyClientId);
  v1::Client riley;
  EXPECT_TRUE(GetClient(response.session_token(), "me", &riley).ok());
  EXPECT_EQ(riley.id(), kRileyClientId);
  EXPECT_EQ(Rest().Get("/v1/clients/me", response.session_token()).status, 200);
}

TEST_F(GrpcApiTest, LoginWithWrongPasswordIsUnauthenticated) {
  v1::LoginRequest request;
  request.set_email(kRileyEmail);
  request.set_password("not-the-password");
  v1::LoginResponse response;

  grpc::Status status =
      v1::AuthService::NewStub(channel())->Login(Context().get(), request, &response);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
  EXPECT_TRUE(response.session_token().empty());
}

TEST_F(GrpcApiTest, ClientCreatedOverRestReadsTheSameOverGrpc) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json created = CreateClient(
      sam, {{"preferredName", "Kit"}, {"presentingConcern", "PRESENTING_CONCERN_VULVODYNIA"}});
  ASSERT_TRUE(created.is_object());
  v1::Client expected;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(created.dump(), &expected).ok());

  v1::Client client;
  grpc::Status status = GetClient(sam, created["id"], &client);

  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(client, expected))
      << client.DebugString() << "\nvs REST:\n"
      << expected.DebugString();
}

TEST_F(GrpcApiTest, ListClientsShowsTheCallersClients) {
  const std::string family = "Grpc" + Unique();
  const nlohmann::json created = CreateClient(TokenOf(kSamEmail), {{"legalFamilyName", family}});
  ASSERT_TRUE(created.is_object());
  v1::ListClientsRequest request;
  request.set_name_prefix(family);
  v1::ListClientsResponse response;

  grpc::Status status =
      Clients()->ListClients(Context(TokenOf(kSamEmail)).get(), request, &response);

  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(response.clients_size(), 1);
  EXPECT_EQ(response.clients(0).id(), created["id"]);
  EXPECT_TRUE(response.next_page_token().empty());
}

TEST_F(GrpcApiTest, CallWithoutTokenIsUnauthenticated) {
  v1::Client client;
  grpc::Status status = GetClient("", kJoClientId, &client);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
  EXPECT_EQ(GetClient("garbage-token", kJoClientId, &client).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(GrpcApiTest, OtherClinicGetsNotFound) {
  v1::Client client;
  grpc::Status status = GetClient(TokenOf(kOtherTherapistEmail), kJoClientId, &client);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
  EXPECT_TRUE(client.id().empty());
}

TEST_F(GrpcApiTest, UpdateWithStaleEtagIsAborted) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json created = CreateClient(sam, {{"preferredName", "One"}});
  ASSERT_TRUE(created.is_object());
  v1::UpdateClientRequest request;
  request.mutable_client()->set_id(created["id"]);
  request.mutable_client()->set_etag(created["etag"]);
  request.mutable_client()->set_preferred_name("Two");
  request.mutable_update_mask()->add_paths("preferred_name");
  v1::Client updated;
  grpc::Status first = Clients()->UpdateClient(Context(sam).get(), request, &updated);
  ASSERT_TRUE(first.ok()) << Describe(first);
  EXPECT_EQ(updated.preferred_name(), "Two");

  request.mutable_client()->set_preferred_name("Three");
  v1::Client ignored;
  grpc::Status stale = Clients()->UpdateClient(Context(sam).get(), request, &ignored);

  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED) << Describe(stale);
  v1::Client stored;
  ASSERT_TRUE(GetClient(sam, created["id"], &stored).ok());
  EXPECT_EQ(stored.preferred_name(), "Two");
}

TEST_F(GrpcApiTest, InvalidArgumentCarriesBadRequestDetails) {
  v1::ListClientsRequest request;
  request.set_page_size(501);
  v1::ListClientsResponse response;

  grpc::Status status =
      Clients()->ListClients(Context(TokenOf(kSamEmail)).get(), request, &response);

  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(details.message(), status.error_message());
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request)) << details.details(0).type_url();
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "page_size");
}

TEST_F(GrpcApiTest, UnknownMethodIsUnimplemented) {
  grpc::GenericStub stub(channel());
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  auto context = Context(TokenOf(kSamEmail));

  stub.UnaryCall(context.get(), "/confide.v1.ClientService/DeleteEverything", grpc::StubOptions(),
                 &request, &response, [&done](grpc::Status status) { done.set_value(status); });
  grpc::Status status = done.get_future().get();

  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED) << Describe(status);
}

// grpc.health.v1.Health/Check with an empty HealthCheckRequest (service ""); the answer is a
// HealthCheckResponse whose field 1 (status) is SERVING = 1, i.e. the bytes 08 01. The health
// protos are not generated here, hence the raw call.
TEST_F(GrpcApiTest, HealthCheckReportsServing) {
  grpc::GenericStub stub(channel());
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  auto context = Context();

  stub.UnaryCall(context.get(), "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                 &response, [&done](grpc::Status status) { done.set_value(status); });
  grpc::Status status = done.get_future().get();

  ASSERT_TRUE(status.ok()) << Describe(status);
  grpc::Slice slice;
  ASSERT_TRUE(response.DumpToSingleSlice(&slice).ok());
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(slice.begin()), slice.size()),
            std::string("\x08\x01", 2));
}

// The audit trail ties an event to its request by request id, so every call needs its own.
TEST_F(GrpcApiTest, CallsWithoutRequestIdAreAuditedUnderDistinctRequestIds) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json created = CreateClient(sam);
  ASSERT_TRUE(created.is_object());
  constexpr int kCalls = 20;
  for (int i = 0; i < kCalls; ++i) {
    v1::Client client;
    ASSERT_TRUE(GetClient(sam, created["id"], &client).ok());
  }

  const std::vector<std::string> ids = Query(
      "SELECT request_id FROM audit_events WHERE action = "
      "'confide.v1.ClientService.GetClient' AND client_id = '" +
      created["id"].get<std::string>() + "'");

  ASSERT_EQ(ids.size(), static_cast<size_t>(kCalls));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

// A caller's x-request-id lands in the JSON log and the audit trail, so gRPC applies REST's rule
// (1-64 of [A-Za-z0-9_-]) and replaces anything else.
// characters as adapters/http/http_server.cc's IsValidRequestId does.
TEST_F(GrpcApiTest, RequestIdWithUnsafeCharactersIsReplaced) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json created = CreateClient(sam);
  ASSERT_TRUE(created.is_object());
  auto context = Context(sam);
  context->AddMetadata("x-request-id", "forged\",\"actor\":\"someone-else");
  v1::GetClientRequest request;
  request.set_client_id(created["id"]);
  v1::Client client;
  ASSERT_TRUE(Clients()->GetClient(context.get(), request, &client).ok());

  const std::vector<std::string> ids = Query(
      "SELECT request_id FROM audit_events WHERE action = "
      "'confide.v1.ClientService.GetClient' AND client_id = '" +
      created["id"].get<std::string>() + "'");

  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0].find('"'), std::string::npos) << ids[0];
}

}  // namespace
}  // namespace confide::api_test
