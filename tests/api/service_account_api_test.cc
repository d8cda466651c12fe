// Service accounts through the real server (DESIGN.md and proto/confide/v1/access.proto,
// CreateServiceAccount): an admin creates one over REST and gets a 365-day service token; a clinic
// system uses it over gRPC to create, list and read client demographics of its clinic, stripped
// of clinical fields, and nothing else. The token is refused over REST, the account cannot sign
// in or have its password reset, and deactivating it revokes the token at once. Every refusal is
// audited; events are found by the x-request-id each call sends.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "confide/v1/access.grpc.pb.h"
#include "confide/v1/auth.grpc.pb.h"
#include "confide/v1/clients.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// One service account as CreateServiceAccount returned it.
struct ServiceAccount {
  std::string user_id;
  std::string email;
  std::string token;
};

class ServiceAccountApiTest : public GrpcApiTestBase {
 protected:
  // A fresh request id for one call, so its audit events can be found.
  static std::string NewRequestId() { return "sa-" + Unique(); }

  // POST /v1/staff/serviceAccounts as the demo admin; fails the test when refused.
  static ServiceAccount Create(const std::string& display_name = "Billing export") {
    HttpResponse created = Rest().Post("/v1/staff/serviceAccounts", {{"displayName", display_name}},
                                       TokenOf(kAdminEmail));
    EXPECT_EQ(created.status, 200) << created.error << " " << created.body;
    const nlohmann::json body = created.Json();
    if (created.status != 200 || !body.is_object() || !body.contains("user") ||
        !body.contains("token")) {
      ADD_FAILURE() << "create service account: HTTP " << created.status << " " << created.body;
      return {};
    }
    return ServiceAccount{body["user"].value("id", ""), body["user"].value("email", ""),
                          body["token"].get<std::string>()};
  }

  static grpc::Status ListClients(const std::string& token, v1::ListClientsResponse* response,
                                  const std::string& request_id = "") {
    v1::ListClientsRequest request;
    request.set_page_size(500);
    return v1::ClientService::NewStub(channel())->ListClients(Context(token, request_id).get(),
                                                              request, response);
  }

  static grpc::Status GetClient(const std::string& token, const std::string& id, v1::Client* client,
                                const std::string& request_id = "") {
    v1::GetClientRequest request;
    request.set_client_id(id);
    return v1::ClientService::NewStub(channel())->GetClient(Context(token, request_id).get(),
                                                            request, client);
  }

  // The audit events of one request as "actor|role|action|client|outcome|status" rows.
  static std::vector<std::string> EventsOf(const std::string& request_id) {
    // `request_id` is the test's own [a-z0-9-] text, safe to splice into SQL.
    return Query(
        "SELECT actor_user_id, actor_role, action, client_id, outcome, status_code "
        "FROM audit_events WHERE request_id = '" +
        request_id + "' ORDER BY seq");
  }

  // Every staff member ListStaff shows the demo admin, over all pages.
  static std::vector<nlohmann::json> AllStaff() {
    std::vector<nlohmann::json> staff;
    std::string page_token;
    for (int page = 0; page < 20; ++page) {
      HttpResponse list = Rest().Get(
          "/v1/staff?pageSize=500" + (page_token.empty() ? "" : "&pageToken=" + page_token),
          TokenOf(kAdminEmail));
      EXPECT_EQ(list.status, 200) << list.body;
      const nlohmann::json body = list.Json();
      if (list.status != 200 || !body.is_object()) {
        break;
      }
      for (const nlohmann::json& member : body.value("staff", nlohmann::json::array())) {
        staff.push_back(member);
      }
      page_token = body.value("nextPageToken", "");
      if (page_token.empty()) {
        break;
      }
    }
    return staff;
  }
};

std::string Row(std::vector<std::string> columns) {
  std::string row;
  for (size_t i = 0; i < columns.size(); ++i) {
    row += (i == 0 ? "" : "|") + columns[i];
  }
  return row;
}

// An admin's or service account's view of a client: no presenting concern, no referral source.
void ExpectNoClinicalFields(const v1::Client& client) {
  SCOPED_TRACE(client.id());
  EXPECT_EQ(client.presenting_concern(), v1::PRESENTING_CONCERN_UNSPECIFIED);
  EXPECT_THAT(client.presenting_concern_other(), IsEmpty());
  EXPECT_THAT(client.referral_source(), IsEmpty());
}

TEST_F(ServiceAccountApiTest, AdminCreatesOneOverRestAndGetsAYearLongToken) {
  const std::string request_id = NewRequestId();
  HttpResponse created = Rest().Send("POST", "/v1/staff/serviceAccounts",
                                     nlohmann::json{{"displayName", "Billing export"}}.dump(),
                                     TokenOf(kAdminEmail), {{"X-Request-Id", request_id}});

  ASSERT_EQ(created.status, 200) << created.body;
  v1::ServiceAccountToken account;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(created.body, &account).ok())
      << created.body;
  EXPECT_FALSE(account.token().empty());
  EXPECT_FALSE(account.user().id().empty());
  EXPECT_EQ(account.user().role(), v1::ROLE_SERVICE);
  EXPECT_EQ(account.user().display_name(), "Billing export");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  constexpr int64_t kYear = 365 * 24 * 3600;
  EXPECT_NEAR(static_cast<double>(account.expire_time().seconds()),
              static_cast<double>(now + kYear), 300.0);
  EXPECT_THAT(EventsOf(request_id), ElementsAre(Row({kAdminUserId, "admin",
                                                     "confide.v1.StaffService.CreateServiceAccount",
                                                     "", "success", "OK"})));
}

TEST_F(ServiceAccountApiTest, ListsEveryClientOfTheClinicOverGrpcWithoutClinicalFields) {
  const ServiceAccount account = Create();
  ASSERT_FALSE(account.token.empty());
  v1::ListClientsResponse response;

  grpc::Status status = ListClients(account.token, &response);

  ASSERT_TRUE(status.ok()) << Describe(status);
  std::set<std::string> ids;
  for (const v1::Client& client : response.clients()) {
    ids.insert(client.id());
    ExpectNoClinicalFields(client);
  }
  // Jo and Riley both, though no care team includes the account; never Other Clinic's Casey.
  EXPECT_TRUE(ids.contains(kJoClientId));
  EXPECT_TRUE(ids.contains(kRileyClientId));
  EXPECT_FALSE(ids.contains(kCaseyClientId));
}

TEST_F(ServiceAccountApiTest, ReadsAClientOverGrpcWithoutClinicalFields) {
  const ServiceAccount account = Create();
  ASSERT_FALSE(account.token.empty());
  v1::Client jo;

  grpc::Status status = GetClient(account.token, kJoClientId, &jo);

  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(jo.id(), kJoClientId);
  EXPECT_EQ(jo.legal_given_name(), "Jo");
  ExpectNoClinicalFields(jo);
  // The same record as Sam (on Jo's care team) sees it does carry them.
  v1::Client as_sam;
  ASSERT_TRUE(GetClient(TokenOf(kSamEmail), kJoClientId, &as_sam).ok());
  EXPECT_NE(as_sam.presenting_concern(), v1::PRESENTING_CONCERN_UNSPECIFIED);
  EXPECT_FALSE(as_sam.referral_source().empty());
}

TEST_F(ServiceAccountApiTest, CreatesAClientOverGrpc) {
  const ServiceAccount account = Create();
  ASSERT_FALSE(account.token.empty());
  v1::CreateClientRequest request;
  request.mutable_client()->set_legal_given_name("Given" + Unique());
  request.mutable_client()->set_legal_family_name("Family" + Unique());
  v1::Client created;

  grpc::Status status = v1::ClientService::NewStub(channel())->CreateClient(
      Context(account.token).get(), request, &created);

  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_FALSE(created.id().empty());
  EXPECT_EQ(created.legal_family_name(), request.client().legal_family_name());
  ExpectNoClinicalFields(created);
  v1::Client read;
  ASSERT_TRUE(GetClient(account.token, created.id(), &read).ok());
  EXPECT_EQ(read.id(), created.id());
  // The admin of the clinic sees the new record too.
  EXPECT_EQ(Rest().Get("/v1/clients/" + created.id(), TokenOf(kAdminEmail)).status, 200);
}

TEST_F(ServiceAccountApiTest, ReadsTheClinicOverGrpc) {
  const ServiceAccount account = Create();
  ASSERT_FALSE(account.token.empty());
  v1::Clinic clinic;

  grpc::Status status = v1::ClinicService::NewStub(channel())->GetMyClinic(
      Context(account.token).get(), v1::GetMyClinicRequest(), &clinic);

  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(clinic.id(), "0190d000-0000-7000-8000-000000000001");
}

// Everything beyond client demographics is refused over gRPC, and each refusal is audited as
// 'denied' under the account.
TEST_F(ServiceAccountApiTest, EverythingElseIsPermissionDeniedAndAuditedAsDenied) {
  const ServiceAccount account = Create();
  ASSERT_FALSE(account.token.empty());
  struct Refused {
    std::string rpc;
    std::string client_id;
    std::string request_id;
    grpc::Status status;
  };
  std::vector<Refused> calls;
  {
    const std::string id = NewRequestId();
    v1::ListCareTeamRequest request;
    request.set_client_id(kJoClientId);
    v1::ListCareTeamResponse response;
    calls.push_back({"CareTeamService.ListCareTeam", kJoClientId, id,
                     v1::CareTeamService::NewStub(channel())->ListCareTeam(
                         Context(account.token, id).get(), request, &response)});
  }
  {
    const std::string id = NewRequestId();
    v1::InviteClientToPortalRequest request;
    request.set_client_id(kJoClientId);
    v1::Invitation response;
    calls.push_back({"PortalAccessService.InviteClientToPortal", kJoClientId, id,
                     v1::PortalAccessService::NewStub(channel())->InviteClientToPortal(
                         Context(account.token, id).get(), request, &response)});
  }
  {
    const std::string id = NewRequestId();
    v1::BreakGlassRequest request;
    request.set_client_id(kJoClientId);
    request.set_reason("Nightly export needs the full record");
    v1::BreakGlassGrant response;
    calls.push_back({"BreakGlassService.BreakGlass", kJoClientId, id,
                     v1::BreakGlassService::NewStub(channel())->BreakGlass(
                         Context(account.token, id).get(), request, &response)});
  }
  {
    const std::string id = NewRequestId();
    v1::ListStaffResponse response;
    calls.push_back({"StaffService.ListStaff", "", id,
                     v1::StaffService::NewStub(channel())->ListStaff(
                         Context(account.token, id).get(), v1::ListStaffRequest(), &response)});
  }
  {
    const std::string id = NewRequestId();
    v1::InviteStaffRequest request;
    request.set_email("new.admin." + Unique() + "@demo.confide.test");
    request.set_display_name("New Admin");
    request.set_role(v1::ROLE_ADMIN);
    v1::Invitation response;
    calls.push_back({"StaffService.InviteStaff", "", id,
                     v1::StaffService::NewStub(channel())->InviteStaff(
                         Context(account.token, id).get(), request, &response)});
  }

  for (const Refused& call : calls) {
    SCOPED_TRACE(call.rpc);
    EXPECT_EQ(call.status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << Describe(call.status);
    EXPECT_THAT(EventsOf(call.request_id),
                ElementsAre(Row({account.user_id, "service", "confide.v1." + call.rpc,
                                 call.client_id, "denied", "PERMISSION_DENIED"})));
  }
}

// Another clinic's record is answered exactly like one that exists nowhere, on the wire and in
// the audit trail (where, as for every caller, it reads as a miss: tests/api/audit_api_test.cc).
TEST_F(ServiceAccountApiTest, AnotherClinicsClientIsNotFound) {
  const ServiceAccount account = Create();
  ASSERT_FALSE(account.token.empty());
  const std::string casey_request = NewRequestId();
  const std::string nobody_request = NewRequestId();
  v1::Client casey;
  v1::Client nobody;

  grpc::Status casey_status = GetClient(account.token, kCaseyClientId, &casey, casey_request);
  grpc::Status nobody_status =
      GetClient(account.token, kNonexistentClientId, &nobody, nobody_request);

  EXPECT_EQ(casey_status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(casey_status);
  EXPECT_TRUE(casey.id().empty());
  EXPECT_EQ(casey_status.error_code(), nobody_status.error_code());
  EXPECT_EQ(casey_status.error_message(), nobody_status.error_message());
  EXPECT_EQ(casey_status.error_details(), nobody_status.error_details());
  const std::string get = "confide.v1.ClientService.GetClient";
  EXPECT_THAT(
      EventsOf(casey_request),
      ElementsAre(Row({account.user_id, "service", get, kCaseyClientId, "failure", "NOT_FOUND"})));
  EXPECT_THAT(EventsOf(nobody_request),
              ElementsAre(Row({account.user_id, "service", get, kNonexistentClientId, "failure",
                               "NOT_FOUND"})));
}

TEST_F(ServiceAccountApiTest, TokenIsRefusedOverRest) {
  const ServiceAccount account = Create();
  ASSERT_FALSE(account.token.empty());
  // It works over gRPC...
  v1::Client jo;
  ASSERT_TRUE(GetClient(account.token, kJoClientId, &jo).ok());
  const std::string request_id = NewRequestId();

  // ...but not over REST, for the same call or any other.
  HttpResponse get = Rest().Send("GET", std::string("/v1/clients/") + kJoClientId, "",
                                 account.token, {{"X-Request-Id", request_id}});
  HttpResponse list = Rest().Get("/v1/clients", account.token);
  HttpResponse clinic = Rest().Get("/v1/clinic", account.token);

  EXPECT_TRUE(IsErrorAnswer(get, 401, kUnauthenticated));
  EXPECT_TRUE(IsErrorAnswer(list, 401, kUnauthenticated));
  EXPECT_TRUE(IsErrorAnswer(clinic, 401, kUnauthenticated));
  EXPECT_EQ(get.body.find("Jo"), std::string::npos) << get.body;
  // The refused attempt is audited under the account, as a denial.
  const std::vector<std::string> events =
      Query("SELECT actor_user_id, outcome, status_code FROM audit_events WHERE request_id = '" +
            request_id + "'");
  EXPECT_THAT(events, ElementsAre(Row({account.user_id, "denied", "UNAUTHENTICATED"})));
}

TEST_F(ServiceAccountApiTest, CannotSignIn) {
  const ServiceAccount account = Create();
  ASSERT_FALSE(account.email.empty());

  // Any password, including the placeholder stored in place of a password hash.
  // (Four attempts in all, below the per-email lockout threshold.)
  for (const char* password : {kDemoPassword, "any-Password-2026", "!service-account"}) {
    SCOPED_TRACE(password);
    HttpResponse login = LogIn(account.email, password);
    EXPECT_EQ(login.status, 401) << login.body;
    EXPECT_EQ(login.Json().value("sessionToken", ""), "") << login.body;
  }
  v1::LoginRequest request;
  request.set_email(account.email);
  request.set_password("any-Password-2026");
  v1::LoginResponse response;
  grpc::Status status =
      v1::AuthService::NewStub(channel())->Login(Context("").get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
  EXPECT_TRUE(response.session_token().empty());
}

TEST_F(ServiceAccountApiTest, PasswordResetIsFailedPrecondition) {
  const ServiceAccount account = Create();
  ASSERT_FALSE(account.user_id.empty());

  HttpResponse reset = Rest().Post("/v1/staff/" + account.user_id + ":issuePasswordReset",
                                   nlohmann::json::object(), TokenOf(kAdminEmail));

  EXPECT_TRUE(IsErrorAnswer(reset, 400, kFailedPrecondition));
}

TEST_F(ServiceAccountApiTest, ClinicianCannotCreateOne) {
  const std::string request_id = NewRequestId();
  HttpResponse created = Rest().Send("POST", "/v1/staff/serviceAccounts",
                                     nlohmann::json{{"displayName", "Sam's export"}}.dump(),
                                     TokenOf(kSamEmail), {{"X-Request-Id", request_id}});

  EXPECT_TRUE(IsErrorAnswer(created, 403, kPermissionDenied));
  EXPECT_EQ(created.body.find("token\""), std::string::npos) << created.body;
  EXPECT_THAT(EventsOf(request_id), ElementsAre(Row({kSamUserId, "clinician",
                                                     "confide.v1.StaffService.CreateServiceAccount",
                                                     "", "denied", "PERMISSION_DENIED"})));
}

TEST_F(ServiceAccountApiTest, ListStaffShowsItAsAServiceAccount) {
  const ServiceAccount account = Create("Scheduling sync " + Unique());
  ASSERT_FALSE(account.user_id.empty());

  int found = 0;
  for (const nlohmann::json& member : AllStaff()) {
    if (member["user"].value("id", "") != account.user_id) {
      continue;
    }
    ++found;
    EXPECT_EQ(member["user"].value("role", ""), "ROLE_SERVICE") << member.dump();
    EXPECT_EQ(member.value("active", false), true) << member.dump();
  }
  EXPECT_EQ(found, 1);
}

TEST_F(ServiceAccountApiTest, DeactivationRevokesTheTokenAtOnce) {
  const ServiceAccount account = Create();
  ASSERT_FALSE(account.token.empty());
  v1::ListClientsResponse before;
  ASSERT_TRUE(ListClients(account.token, &before).ok());

  HttpResponse deactivated = Rest().Post("/v1/staff/" + account.user_id + ":deactivate",
                                         nlohmann::json::object(), TokenOf(kAdminEmail));
  ASSERT_EQ(deactivated.status, 200) << deactivated.body;
  // proto3 JSON leaves a false `active` out.
  EXPECT_FALSE(deactivated.Json().value("active", false)) << deactivated.body;

  const std::string request_id = NewRequestId();
  v1::ListClientsResponse after;
  grpc::Status list = ListClients(account.token, &after, request_id);
  v1::Client jo;
  grpc::Status get = GetClient(account.token, kJoClientId, &jo);
  EXPECT_EQ(list.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(list);
  EXPECT_EQ(after.clients_size(), 0);
  EXPECT_EQ(get.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(get);
  EXPECT_TRUE(jo.id().empty());
  const std::vector<std::string> events = Query(
      "SELECT actor_user_id, action, outcome, status_code FROM audit_events WHERE request_id = '" +
      request_id + "'");
  EXPECT_THAT(events, ElementsAre(Row({account.user_id, "confide.v1.ClientService.ListClients",
                                       "denied", "UNAUTHENTICATED"})));

  // Reactivating the account does not bring the revoked token back.
  HttpResponse reactivated = Rest().Post("/v1/staff/" + account.user_id + ":reactivate",
                                         nlohmann::json::object(), TokenOf(kAdminEmail));
  ASSERT_EQ(reactivated.status, 200) << reactivated.body;
  grpc::Status again = ListClients(account.token, &after);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(again);
}

}  // namespace
}  // namespace confide::api_test
