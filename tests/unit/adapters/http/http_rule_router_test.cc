#include "adapters/http/http_rule_router.h"

#include <gtest/gtest.h>

#include "adapters/http/http_status_mapping.h"
#include "adapters/http/request_transcoder.h"
#include "confide/v1/auth.pb.h"
#include "confide/v1/clients.pb.h"
#include "services/clients/client_service.h"
#include "tests/fakes/fake_id_generator.h"

namespace confide::http {
namespace {

// The routes come from the real protos' annotations through the real method table.
class HttpRuleRouterTest : public ::testing::Test {
 protected:
  HttpRuleRouterTest() : clients_(ids_) {
    clients_.Register(methods_);
    absl::StatusOr<HttpRuleRouter> router = HttpRuleRouter::Build(methods_);
    EXPECT_TRUE(router.ok()) << router.status();
    router_ = *std::move(router);
  }

  std::string RpcFor(std::string_view method, std::string_view path) {
    std::optional<RouteMatch> match = router_.Match(method, path);
    return match.has_value() ? match->route->method->full_name : "";
  }

  FakeIdGenerator ids_;
  ClientService clients_;
  MethodTable methods_;
  HttpRuleRouter router_;
};

TEST_F(HttpRuleRouterTest, EveryClientRpcHasItsAnnotatedRoute) {
  EXPECT_EQ(RpcFor("POST", "/v1/clients"), "confide.v1.ClientService.CreateClient");
  EXPECT_EQ(RpcFor("GET", "/v1/clients/abc"), "confide.v1.ClientService.GetClient");
  EXPECT_EQ(RpcFor("GET", "/v1/clients"), "confide.v1.ClientService.ListClients");
  EXPECT_EQ(RpcFor("POST", "/v1/clients:search"), "confide.v1.ClientService.ListClients");
  EXPECT_EQ(RpcFor("PATCH", "/v1/clients/abc"), "confide.v1.ClientService.UpdateClient");
  EXPECT_EQ(RpcFor("POST", "/v1/clients/abc:archive"), "confide.v1.ClientService.ArchiveClient");
}

TEST_F(HttpRuleRouterTest, UnknownPathAndWrongMethodAreTold) {
  EXPECT_EQ(RpcFor("GET", "/v1/nothing"), "");
  EXPECT_EQ(router_.AllowedMethods("/v1/nothing"), "");
  EXPECT_EQ(RpcFor("DELETE", "/v1/clients/abc"), "");
  EXPECT_EQ(router_.AllowedMethods("/v1/clients/abc"), "GET, PATCH");
}

TEST_F(HttpRuleRouterTest, BodyFieldPathVariableAndQueryBuildTheRequest) {
  std::optional<RouteMatch> match = router_.Match("PATCH", "/v1/clients/c-1");
  ASSERT_TRUE(match.has_value());
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message = BuildRequestMessage(
      *match, R"({"preferredName":"May","etag":"v3"})", "updateMask=preferredName,pronouns", {});
  ASSERT_TRUE(message.ok()) << message.status();
  const auto& request = static_cast<const v1::UpdateClientRequest&>(**message);
  EXPECT_EQ(request.client().id(), "c-1");
  EXPECT_EQ(request.client().preferred_name(), "May");
  EXPECT_EQ(request.client().etag(), "v3");
  ASSERT_EQ(request.update_mask().paths_size(), 2);
  EXPECT_EQ(request.update_mask().paths(0), "preferred_name");
  EXPECT_EQ(request.update_mask().paths(1), "pronouns");
}

TEST_F(HttpRuleRouterTest, QueryParametersSetScalarsAndEnumsByName) {
  std::optional<RouteMatch> match = router_.Match("GET", "/v1/clients");
  ASSERT_TRUE(match.has_value());
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
      BuildRequestMessage(*match, "", "pageSize=3&status=CLIENT_STATUS_ACTIVE&page_token=abc", {});
  ASSERT_TRUE(message.ok()) << message.status();
  const auto& request = static_cast<const v1::ListClientsRequest&>(**message);
  EXPECT_EQ(request.page_size(), 3);
  EXPECT_EQ(request.status(), v1::CLIENT_STATUS_ACTIVE);
  EXPECT_EQ(request.page_token(), "abc");
}

TEST_F(HttpRuleRouterTest, BadQueryParametersNameTheField) {
  std::optional<RouteMatch> match = router_.Match("GET", "/v1/clients");
  ASSERT_TRUE(match.has_value());
  for (const char* query : {"pageSize=lots", "status=NOT_A_STATUS", "colour=blue"}) {
    absl::StatusOr<std::unique_ptr<google::protobuf::Message>> message =
        BuildRequestMessage(*match, "", query, {});
    ASSERT_FALSE(message.ok()) << query;
    EXPECT_EQ(message.status().code(), absl::StatusCode::kInvalidArgument);
  }
  auto unknown = BuildRequestMessage(*match, "", "colour=blue", {});
  EXPECT_NE(unknown.status().message().find("colour"), std::string::npos);
}

TEST_F(HttpRuleRouterTest, UnknownBodyFieldIsRefusedAndNamedWithoutItsValue) {
  std::optional<RouteMatch> match = router_.Match("POST", "/v1/clients");
  ASSERT_TRUE(match.has_value());
  auto message =
      BuildRequestMessage(*match, R"({"legalGivenName":"A","secretField":"Zyxwv"})", "", {});
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(message.status().message().find("Zyxwv"), std::string::npos);
}

TEST_F(HttpRuleRouterTest, WrongJsonTypeIsRefusedWithoutEchoingTheValue) {
  std::optional<RouteMatch> match = router_.Match("POST", "/v1/clients:search");
  ASSERT_TRUE(match.has_value());
  auto message = BuildRequestMessage(*match, R"({"pageSize":"Zyxwv"})", "", {});
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.status().message().find("Zyxwv"), std::string::npos);
}

TEST_F(HttpRuleRouterTest, BodyOnRouteWithoutBodyIsRefused) {
  std::optional<RouteMatch> match = router_.Match("GET", "/v1/clients/x");
  ASSERT_TRUE(match.has_value());
  EXPECT_FALSE(BuildRequestMessage(*match, "{}", "", {}).ok());
}

TEST(HttpStatusMappingTest, CanonicalCodesMapAsDesignSays) {
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kFailedPrecondition), 400);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kAborted), 409);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kInternal), 500);
}

TEST(StatusToJsonTest, CarriesCodeMessageAndDetails) {
  absl::Status status = absl::NotFoundError("client not found");
  EXPECT_EQ(StatusToJson(status), R"({"code":5,"message":"client not found"})");
}

}  // namespace
}  // namespace confide::http

namespace confide::http {
namespace {

TEST_F(HttpRuleRouterTest, QueryCannotOverrideThePathOrFillTheBody) {
  std::optional<RouteMatch> get = router_.Match("GET", "/v1/clients/jo");
  ASSERT_TRUE(get.has_value());
  auto retarget = BuildRequestMessage(*get, "", "clientId=riley", {});
  ASSERT_FALSE(retarget.ok());
  EXPECT_EQ(retarget.status().code(), absl::StatusCode::kInvalidArgument);

  std::optional<RouteMatch> create = router_.Match("POST", "/v1/clients");
  ASSERT_TRUE(create.has_value());
  EXPECT_FALSE(BuildRequestMessage(*create, "{}", "client.legalGivenName=X", {}).ok());
  // A field outside the body is fine: the idempotency key of a create.
  auto with_request_id =
      BuildRequestMessage(*create, R"({"legalGivenName":"A"})", "requestId=r-1", {});
  ASSERT_TRUE(with_request_id.ok()) << with_request_id.status();
  EXPECT_EQ(static_cast<const v1::CreateClientRequest&>(**with_request_id).request_id(), "r-1");
}

}  // namespace
}  // namespace confide::http

namespace confide::http {
namespace {

// Two spellings of one field are a duplicate key that the JSON pre-check cannot see.
TEST_F(HttpRuleRouterTest, FieldGivenUnderBothItsNamesIsRefused) {
  std::optional<RouteMatch> create = router_.Match("POST", "/v1/clients");
  ASSERT_TRUE(create.has_value());
  auto top = BuildRequestMessage(
      *create, R"({"legalGivenName":"Alice","legal_given_name":"Mallory"})", "", {});
  ASSERT_FALSE(top.ok());
  EXPECT_NE(top.status().message().find("legal_given_name"), std::string::npos);
  auto nested = BuildRequestMessage(
      *create, R"({"discreetContact":{"voicemailOk":true,"voicemail_ok":false}})", "", {});
  EXPECT_FALSE(nested.ok());
}

TEST_F(HttpRuleRouterTest, InvalidUtf8InUrlValuesIsRefused) {
  std::optional<RouteMatch> list = router_.Match("GET", "/v1/clients");
  ASSERT_TRUE(list.has_value());
  auto message = BuildRequestMessage(*list, "", "namePrefix=%FF", {});
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace confide::http
