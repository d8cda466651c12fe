// The audit trail the real server writes (DESIGN.md, "Audit"): every read of a client record,
// allowed or refused, leaves an event, durable before the response. Events are found by the
// X-Request-Id the test sends.

#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::ElementsAre;

constexpr char kDemoClinicId[] = "0190d000-0000-7000-8000-000000000001";
constexpr char kGetClient[] = "confide.v1.ClientService.GetClient";

class AuditApiTest : public ApiTest {
 protected:
  // GET /v1/clients/{id} as `email`, tagged with a fresh request id, which it returns.
  static std::string GetClientAs(const std::string& email, const std::string& id,
                                 int* http_status) {
    const std::string request_id = "audit-" + Unique();
    HttpResponse response =
        Rest().Send("GET", "/v1/clients/" + id, "", TokenOf(email), {{"X-Request-Id", request_id}});
    *http_status = response.status;
    return request_id;
  }

  // The audit events of one request as "actor|role|clinic|action|client|outcome|status" rows.
  static std::vector<std::string> EventsOf(const std::string& request_id) {
    // `request_id` is the test's own [a-z0-9-] text, safe to splice into SQL.
    return Query(
        "SELECT actor_user_id, actor_role, clinic_id, action, client_id, outcome, status_code "
        "FROM audit_events WHERE request_id = '" +
        request_id + "' ORDER BY seq");
  }
};

std::string Row(std::vector<std::string> columns) {
  std::string row;
  for (size_t i = 0; i < columns.size(); ++i) {
    row += (i == 0 ? "" : "|") + columns[i];
  }
  return row;
}

TEST_F(AuditApiTest, CareTeamReadIsAuditedAsSuccess) {
  int status = 0;
  const std::string request_id = GetClientAs(kSamEmail, kJoClientId, &status);

  ASSERT_EQ(status, 200);
  EXPECT_THAT(EventsOf(request_id), ElementsAre(Row({kSamUserId, "clinician", kDemoClinicId,
                                                     kGetClient, kJoClientId, "success", "OK"})));
}

// The policy refuses Alex (not on Riley's care team): the caller sees NOT_FOUND, the trail
// records the refusal as a denial.
TEST_F(AuditApiTest, ReadOffTheCareTeamIsAuditedAsDenied) {
  int status = 0;
  const std::string request_id = GetClientAs(kAlexEmail, kRileyClientId, &status);

  ASSERT_EQ(status, 404);
  EXPECT_THAT(EventsOf(request_id),
              ElementsAre(Row({kAlexUserId, "clinician", kDemoClinicId, kGetClient, kRileyClientId,
                               "denied", "NOT_FOUND"})));
}

// Another clinic's lookup is scoped to its own clinic, where Jo's id names nothing: the event
// lands in the caller's clinic and reads exactly like a miss on an id that exists nowhere, so
// not even the audit trail tells Other Clinic that Jo exists.
TEST_F(AuditApiTest, ReadFromAnotherClinicIsAuditedLikeANonexistentRecord) {
  int jo_status = 0;
  int nobody_status = 0;
  const std::string jo = GetClientAs(kOtherTherapistEmail, kJoClientId, &jo_status);
  const std::string nobody =
      GetClientAs(kOtherTherapistEmail, kNonexistentClientId, &nobody_status);

  ASSERT_EQ(jo_status, 404);
  ASSERT_EQ(nobody_status, 404);
  const std::string other_clinic = "0190d000-0000-7000-8000-000000000002";
  EXPECT_THAT(EventsOf(jo), ElementsAre(Row({kOtherTherapistUserId, "clinician", other_clinic,
                                             kGetClient, kJoClientId, "failure", "NOT_FOUND"})));
  EXPECT_THAT(EventsOf(nobody),
              ElementsAre(Row({kOtherTherapistUserId, "clinician", other_clinic, kGetClient,
                               kNonexistentClientId, "failure", "NOT_FOUND"})));
}

TEST_F(AuditApiTest, FailedSignInIsAuditedForTheAccount) {
  const std::string request_id = "audit-" + Unique();
  HttpResponse login =
      Rest().Send("POST", "/v1/auth/login",
                  nlohmann::json{{"email", kSamEmail}, {"password", "not-the-password"}}.dump(), "",
                  {{"X-Request-Id", request_id}});

  ASSERT_EQ(login.status, 401);
  // The same role names as every other event, so an auditor can filter on one vocabulary.
  EXPECT_THAT(EventsOf(request_id),
              ElementsAre(Row({kSamUserId, "clinician", kDemoClinicId,
                               "confide.v1.AuthService.Login", "", "failure", "UNAUTHENTICATED"})));
}

TEST_F(AuditApiTest, AuditEventsCarryNoClinicalContentOrCredentials) {
  int status = 0;
  const std::string request_id = GetClientAs(kSamEmail, kJoClientId, &status);
  ASSERT_EQ(status, 200);

  const std::vector<std::string> rows = Query(
      "SELECT id, time, actor_user_id, actor_role, clinic_id, action, resource, client_id, "
      "outcome, status_code, request_id, source_address FROM audit_events WHERE request_id = '" +
      request_id + "'");

  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0], ::testing::HasSubstr("|clients/" + std::string(kJoClientId) + "|"));
  EXPECT_THAT(rows[0], ::testing::HasSubstr("|127.0.0.1"));
  for (const char* secret : {"Jo|", "Example", "1994-05-17", "jo.patient", "Bearer"}) {
    EXPECT_THAT(rows[0], ::testing::Not(::testing::HasSubstr(secret)));
  }
  EXPECT_THAT(rows[0], ::testing::Not(::testing::HasSubstr(TokenOf(kSamEmail))));
}

}  // namespace
}  // namespace confide::api_test
