// The audit trail the real server writes (DESIGN.md, "Audit"): every RPC, allowed or refused,
// leaves exactly one event, durable before the response. Events are found by the X-Request-Id
// the test sends.

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api_test_fixture.h"
#include "confide/v1/access.pb.h"
#include "confide/v1/assessments.pb.h"
#include "confide/v1/audit.pb.h"
#include "confide/v1/auth.pb.h"
#include "confide/v1/clients.pb.h"
#include "confide/v1/consents.pb.h"
#include "confide/v1/exercises.pb.h"
#include "confide/v1/intake.pb.h"
#include "confide/v1/journal.pb.h"
#include "confide/v1/notes.pb.h"
#include "confide/v1/plans.pb.h"
#include "confide/v1/programmes.pb.h"
#include "confide/v1/progress.pb.h"
#include "confide/v1/records.pb.h"
#include "gmock/gmock.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

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

// --- Coverage: every RPC of every service writes exactly one event ---

// Every proto file's descriptors, referenced so that the linker keeps them in this binary (the
// generated pool knows only linked files). ProtoFilesOfTheApiAreAllWalked fails when a file in
// proto/confide/v1 is missing here.
const ::google::protobuf::internal::DescriptorTable* const kLinkedProtoFiles[] = {
    &descriptor_table_confide_2fv1_2faccess_2eproto,
    &descriptor_table_confide_2fv1_2fassessments_2eproto,
    &descriptor_table_confide_2fv1_2faudit_2eproto,
    &descriptor_table_confide_2fv1_2fauth_2eproto,
    &descriptor_table_confide_2fv1_2fclients_2eproto,
    &descriptor_table_confide_2fv1_2fconsents_2eproto,
    &descriptor_table_confide_2fv1_2fexercises_2eproto,
    &descriptor_table_confide_2fv1_2fintake_2eproto,
    &descriptor_table_confide_2fv1_2fjournal_2eproto,
    &descriptor_table_confide_2fv1_2fnotes_2eproto,
    &descriptor_table_confide_2fv1_2fplans_2eproto,
    &descriptor_table_confide_2fv1_2fprogrammes_2eproto,
    &descriptor_table_confide_2fv1_2fprogress_2eproto,
    &descriptor_table_confide_2fv1_2frecords_2eproto,
};

// One RPC as REST reaches it.
struct RestRpc {
  std::string full_name;  // "confide.v1.ClientService.GetClient"
  std::string http_method;
  std::string path_template;
  std::string body;  // the annotation's body: "", "*" or a field name
};

// The RPCs of every service in proto/confide/v1 with their google.api.http bindings, read from
// the descriptors (the same annotations the server's router is built from). RPCs without a
// binding are returned with an empty http_method.
std::vector<RestRpc> AllRpcs(std::vector<std::string>* missing_files) {
  std::vector<RestRpc> rpcs;
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(CONFIDE_PROTO_DIR)) {
    if (entry.path().extension() == ".proto") {
      names.insert("confide/v1/" + entry.path().filename().string());
    }
  }
  for (const std::string& name : names) {
    const google::protobuf::FileDescriptor* file = pool->FindFileByName(name);
    if (file == nullptr) {
      missing_files->push_back(name);
      continue;
    }
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const google::protobuf::MethodDescriptor* method = service->method(m);
        RestRpc rpc;
        rpc.full_name = method->full_name();
        if (method->options().HasExtension(google::api::http)) {
          const google::api::HttpRule& rule = method->options().GetExtension(google::api::http);
          switch (rule.pattern_case()) {
            case google::api::HttpRule::kGet:
              rpc.http_method = "GET";
              rpc.path_template = rule.get();
              break;
            case google::api::HttpRule::kPost:
              rpc.http_method = "POST";
              rpc.path_template = rule.post();
              break;
            case google::api::HttpRule::kPatch:
              rpc.http_method = "PATCH";
              rpc.path_template = rule.patch();
              break;
            case google::api::HttpRule::kPut:
              rpc.http_method = "PUT";
              rpc.path_template = rule.put();
              break;
            case google::api::HttpRule::kDelete:
              rpc.http_method = "DELETE";
              rpc.path_template = rule.delete_();
              break;
            default:
              break;
          }
          rpc.body = rule.body();
        }
        rpcs.push_back(rpc);
      }
    }
  }
  return rpcs;
}

// The path with every {variable} bound to an id that names nothing anywhere, so that no call of
// the walk changes a record other tests rely on.
std::string FillPath(const std::string& path_template) {
  std::string path;
  for (size_t i = 0; i < path_template.size(); ++i) {
    if (path_template[i] == '{') {
      i = path_template.find('}', i);
      path += kNonexistentClientId;
      continue;
    }
    path.push_back(path_template[i]);
  }
  return path;
}

class AuditCoverageApiTest : public AuditApiTest {
 protected:
  // Sends a request tagged with a fresh request id, which it returns.
  static std::string SendTagged(const std::string& method, const std::string& path,
                                const std::string& body, const std::string& token,
                                HttpResponse* response = nullptr) {
    const std::string request_id = "audit-" + Unique();
    HttpResponse answer = Rest().Send(method, path, body, token, {{"X-Request-Id", request_id}});
    EXPECT_NE(answer.status, 0) << method << " " << path << ": " << answer.error;
    if (response != nullptr) {
      *response = answer;
    }
    return request_id;
  }

  // Calls every RPC over REST as `token`'s caller (skipping `skip`) and checks that each
  // leaves exactly one event naming its RPC with an outcome, whatever the answer. Returns the
  // number of RPCs called, and counts the outcomes in `outcomes`.
  static int WalkEveryRpc(const std::string& token, const std::set<std::string>& skip,
                          std::map<std::string, int>* outcomes) {
    std::vector<std::string> missing;
    int called = 0;
    for (const RestRpc& rpc : AllRpcs(&missing)) {
      SCOPED_TRACE(rpc.full_name);
      if (skip.contains(rpc.full_name)) {
        continue;
      }
      if (rpc.http_method.empty()) {
        ADD_FAILURE() << "has no REST binding: this walk cannot call it";
        continue;
      }
      const std::string path = FillPath(rpc.path_template);
      const std::string body = rpc.body.empty() ? "" : "{}";
      HttpResponse response;
      const std::string request_id = SendTagged(rpc.http_method, path, body, token, &response);
      ++called;
      const std::vector<std::string> events =
          Query("SELECT action, outcome, status_code FROM audit_events WHERE request_id = '" +
                request_id + "'");
      if (events.size() != 1) {
        ADD_FAILURE() << events.size() << " audit events, want 1: " << rpc.http_method << " "
                      << path << " answered HTTP " << response.status << " " << response.body;
        continue;
      }
      EXPECT_EQ(events[0].substr(0, events[0].find('|')), rpc.full_name);
      const std::string rest = events[0].substr(events[0].find('|') + 1);
      const std::string outcome = rest.substr(0, rest.find('|'));
      EXPECT_TRUE(outcome == "success" || outcome == "denied" || outcome == "failure") << outcome;
      EXPECT_EQ(outcome == "success", response.status == 200) << rest;
      ++(*outcomes)[outcome];
    }
    return called;
  }

  // The event's actor ("" for none; the prefix keeps an empty row from being dropped).
  static std::string ActorOf(const std::string& request_id) {
    const std::vector<std::string> rows = Query(
        "SELECT 'actor:' || COALESCE(actor_user_id, '') FROM audit_events WHERE request_id = '" +
        request_id + "'");
    return rows.size() == 1 ? rows[0].substr(6) : "<" + std::to_string(rows.size()) + " events>";
  }

  // The event of one request as "action|outcome|status_code", or a note of how many there were.
  static std::string EventOf(const std::string& request_id) {
    const std::vector<std::string> rows =
        Query("SELECT action, outcome, status_code FROM audit_events WHERE request_id = '" +
              request_id + "'");
    return rows.size() == 1 ? rows[0] : "<" + std::to_string(rows.size()) + " events>";
  }
};

constexpr char kJoUserId[] = "0190d000-0000-7000-8000-00000000a005";
constexpr char kRileyUserId[] = "0190d000-0000-7000-8000-00000000a006";
constexpr char kStrongPassword[] = "correct-horse-battery-staple";

// RFC 4648 base32 to bytes ("" when not base32), for the TOTP codes of the test's own account.
std::string Base32Decode(std::string_view text) {
  std::string bytes;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') {
      break;
    }
    int value = 0;
    if (c >= 'A' && c <= 'Z') {
      value = c - 'A';
    } else if (c >= '2' && c <= '7') {
      value = c - '2' + 26;
    } else {
      return "";
    }
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return bytes;
}

// RFC 6238: the 6-digit HMAC-SHA1 code of `base32_secret` for the current 30-second step.
std::string CurrentTotpCode(const std::string& base32_secret) {
  const std::string key = Base32Decode(base32_secret);
  const auto counter = static_cast<uint64_t>(std::time(nullptr) / 30);
  unsigned char message[8];
  for (int i = 0; i < 8; ++i) {
    message[i] = static_cast<unsigned char>((counter >> (56 - 8 * i)) & 0xFF);
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  if (key.empty() ||
      HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message, sizeof(message), mac,
           &mac_size) == nullptr ||
      mac_size != 20) {
    return "";
  }
  const size_t offset = mac[19] & 0x0F;
  const uint32_t binary = ((static_cast<uint32_t>(mac[offset]) & 0x7F) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                          static_cast<uint32_t>(mac[offset + 3]);
  char code[8];
  std::snprintf(code, sizeof(code), "%06u", binary % 1000000u);
  return code;
}

TEST_F(AuditCoverageApiTest, ProtoFilesOfTheApiAreAllWalked) {
  std::vector<std::string> missing;
  const std::vector<RestRpc> rpcs = AllRpcs(&missing);
  EXPECT_THAT(missing, ::testing::IsEmpty())
      << "add these files' descriptor tables to kLinkedProtoFiles";
  EXPECT_GE(rpcs.size(), 90u);
  EXPECT_EQ(std::size(kLinkedProtoFiles), 14u);
}

// Every RPC, called by a signed-in clinician with ids that name nothing (so nothing changes),
// leaves exactly one event naming that RPC, whether it succeeded, was refused or failed.
TEST_F(AuditCoverageApiTest, EveryRpcWritesExactlyOneEventAsAClinician) {
  std::map<std::string, int> outcomes;
  // Logging out would end the suite's session; LogoutIsAudited covers it.
  const int called = WalkEveryRpc(TokenOf(kSamEmail), {"confide.v1.AuthService.Logout"}, &outcomes);
  EXPECT_GE(called, 90);
  std::printf("audit coverage as a clinician: %d RPCs, %d success, %d denied, %d failure\n", called,
              outcomes["success"], outcomes["denied"], outcomes["failure"]);
}

// The same walk as a patient, for whom most staff RPCs are refusals.
TEST_F(AuditCoverageApiTest, EveryRpcWritesExactlyOneEventAsAPatient) {
  std::map<std::string, int> outcomes;
  const int called =
      WalkEveryRpc(TokenOf(kRileyEmail), {"confide.v1.AuthService.Logout"}, &outcomes);
  EXPECT_GE(called, 90);
  EXPECT_GT(outcomes["denied"], 0);
  std::printf("audit coverage as a patient: %d RPCs, %d success, %d denied, %d failure\n", called,
              outcomes["success"], outcomes["denied"], outcomes["failure"]);
}

TEST_F(AuditCoverageApiTest, SignInIsAuditedOnSuccessAndOnFailureForKnownAndUnknownEmails) {
  HttpResponse response;
  const std::string ok = SendTagged(
      "POST", "/v1/auth/login",
      nlohmann::json{{"email", kJoEmail}, {"password", kDemoPassword}}.dump(), "", &response);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(EventOf(ok), "confide.v1.AuthService.Login|success|OK");
  EXPECT_EQ(ActorOf(ok), kJoUserId);

  const std::string known = SendTagged(
      "POST", "/v1/auth/login",
      nlohmann::json{{"email", kJoEmail}, {"password", "not-the-password"}}.dump(), "", &response);
  ASSERT_EQ(response.status, 401);
  EXPECT_EQ(EventOf(known), "confide.v1.AuthService.Login|failure|UNAUTHENTICATED");
  EXPECT_EQ(ActorOf(known), kJoUserId);

  const std::string unknown =
      SendTagged("POST", "/v1/auth/login",
                 nlohmann::json{{"email", "nobody-" + Unique() + "@example.test"},
                                {"password", "not-the-password"}}
                     .dump(),
                 "", &response);
  ASSERT_EQ(response.status, 401);
  EXPECT_EQ(EventOf(unknown), "confide.v1.AuthService.Login|failure|UNAUTHENTICATED");
  // An unknown email names no account; the event must not carry the typed address either.
  EXPECT_EQ(ActorOf(unknown), "");
  const std::vector<std::string> rows = Query(
      "SELECT resource, client_id, detail FROM audit_events WHERE request_id = '" + unknown + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0], ::testing::Not(HasSubstr("nobody-")));
}

TEST_F(AuditCoverageApiTest, LogoutIsAudited) {
  HttpResponse login = LogIn(kRileyEmail, kDemoPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token = login.Json().value("sessionToken", "");
  HttpResponse response;
  const std::string logout = SendTagged("POST", "/v1/auth/logout", "{}", token, &response);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(EventOf(logout), "confide.v1.AuthService.Logout|success|OK");
  EXPECT_EQ(ActorOf(logout), kRileyUserId);
  // The ended session's token, tried again, is audited as a denial under that account.
  const std::string again = SendTagged("GET", "/v1/auth/sessions", "", token, &response);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(EventOf(again), "confide.v1.AuthService.ListMySessions|denied|UNAUTHENTICATED");
  EXPECT_EQ(ActorOf(again), kRileyUserId);
}

// A new staff member's invitation, first sign-in, TOTP enrolment (a wrong code, then the right
// one), sign-in with a second factor, and deactivation: each step leaves its event.
TEST_F(AuditCoverageApiTest, MfaEnrolmentAndStaffDeactivationAreAudited) {
  const std::string email = "audit-staff-" + Unique() + "@clinic.test";
  HttpResponse response;
  const std::string invite = SendTagged("POST", "/v1/staff:invite",
                                        nlohmann::json{{"email", email},
                                                       {"displayName", "Audit Invitee"},
                                                       {"role", "ROLE_CLINICIAN"},
                                                       {"discipline", "DISCIPLINE_OTHER"}}
                                            .dump(),
                                        TokenOf(kAdminEmail), &response);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(EventOf(invite), "confide.v1.StaffService.InviteStaff|success|OK");
  const std::string invitation = TokenSentTo(email);
  ASSERT_FALSE(invitation.empty());

  const std::string accept = SendTagged(
      "POST", "/v1/auth/invitations:accept",
      nlohmann::json{{"token", invitation}, {"password", kStrongPassword}, {"displayName", "Dr A"}}
          .dump(),
      "", &response);
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string user_id = response.Json().value("id", "");
  EXPECT_EQ(EventOf(accept), "confide.v1.AuthService.AcceptInvitation|success|OK");

  const std::string login = SendTagged(
      "POST", "/v1/auth/login",
      nlohmann::json{{"email", email}, {"password", kStrongPassword}}.dump(), "", &response);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(EventOf(login), "confide.v1.AuthService.Login|success|OK");
  EXPECT_EQ(ActorOf(login), user_id);
  const std::string token = response.Json().value("sessionToken", "");

  const std::string before_mfa = SendTagged("GET", "/v1/clients", "", token, &response);
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(EventOf(before_mfa), "confide.v1.ClientService.ListClients|denied|PERMISSION_DENIED");

  const std::string begin = SendTagged("POST", "/v1/auth/totp:begin", "{}", token, &response);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(EventOf(begin), "confide.v1.AuthService.BeginTotpEnrollment|success|OK");
  const std::string secret = response.Json().value("secret", "");
  const std::string code = CurrentTotpCode(secret);
  ASSERT_EQ(code.size(), 6u);
  const std::string wrong_code = code == "000000" ? "111111" : "000000";

  const std::string wrong =
      SendTagged("POST", "/v1/auth/totp:confirm", nlohmann::json{{"totpCode", wrong_code}}.dump(),
                 token, &response);
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(EventOf(wrong),
            "confide.v1.AuthService.ConfirmTotpEnrollment|failure|INVALID_ARGUMENT");

  const std::string confirm = SendTagged(
      "POST", "/v1/auth/totp:confirm", nlohmann::json{{"totpCode", code}}.dump(), token, &response);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(EventOf(confirm), "confide.v1.AuthService.ConfirmTotpEnrollment|success|OK");
  EXPECT_EQ(ActorOf(confirm), user_id);

  const std::string deactivate = SendTagged("POST", "/v1/staff/" + user_id + ":deactivate", "{}",
                                            TokenOf(kAdminEmail), &response);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(EventOf(deactivate), "confide.v1.StaffService.DeactivateStaff|success|OK");
  EXPECT_EQ(ActorOf(deactivate), kAdminUserId);
}

// Care-team changes are permission changes: adding and removing a member are both audited, with
// the client they concern.
TEST_F(AuditCoverageApiTest, CareTeamChangesAreAudited) {
  const nlohmann::json client = CreateClient(TokenOf(kSamEmail));
  ASSERT_TRUE(client.is_object());
  const std::string client_id = client.value("id", "");
  HttpResponse response;
  const std::string add =
      SendTagged("POST", "/v1/clients/" + client_id + "/careTeam",
                 nlohmann::json{{"userId", kAlexUserId}}.dump(), TokenOf(kSamEmail), &response);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(EventOf(add), "confide.v1.CareTeamService.AddCareTeamMember|success|OK");
  const std::string remove =
      SendTagged("DELETE", "/v1/clients/" + client_id + "/careTeam/" + kAlexUserId, "",
                 TokenOf(kSamEmail), &response);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(EventOf(remove), "confide.v1.CareTeamService.RemoveCareTeamMember|success|OK");
  for (const std::string& request_id : {add, remove}) {
    EXPECT_THAT(Query("SELECT client_id FROM audit_events WHERE request_id = '" + request_id + "'"),
                ElementsAre(client_id));
  }
}

TEST_F(AuditCoverageApiTest, RefusalOfAStaffRpcToAPatientIsAuditedAsDenied) {
  HttpResponse response;
  const std::string request_id = SendTagged("GET", "/v1/staff", "", TokenOf(kJoEmail), &response);
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(EventOf(request_id), "confide.v1.StaffService.ListStaff|denied|PERMISSION_DENIED");
  EXPECT_EQ(ActorOf(request_id), kJoUserId);
}

TEST_F(AuditCoverageApiTest, RecordExportIsAuditedWithItsPurpose) {
  HttpResponse response;
  const std::string request_id =
      SendTagged("POST", std::string("/v1/clients/") + kJoClientId + ":exportRecord",
                 nlohmann::json{{"purpose", "EXPORT_PURPOSE_TRANSFER_OF_CARE"}}.dump(),
                 TokenOf(kSamEmail), &response);
  ASSERT_EQ(response.status, 200) << response.body.substr(0, 300);
  EXPECT_EQ(EventOf(request_id), "confide.v1.RecordService.ExportClientRecord|success|OK");
  const std::vector<std::string> rows =
      Query("SELECT client_id, detail FROM audit_events WHERE request_id = '" + request_id + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(rows[0], HasSubstr(kJoClientId));
  EXPECT_THAT(rows[0], HasSubstr("purpose=TRANSFER_OF_CARE"));
}

// Alex, outside a fresh client's care team, breaks the glass: the grant is audited, and both it
// and the read it allows are flagged as break-glass (the refusal before it is not).
TEST_F(AuditCoverageApiTest, BreakGlassAndTheReadsItAllowsAreAudited) {
  const nlohmann::json client = CreateClient(TokenOf(kSamEmail));
  ASSERT_TRUE(client.is_object());
  const std::string client_id = client.value("id", "");
  HttpResponse response;
  const std::string before =
      SendTagged("GET", "/v1/clients/" + client_id, "", TokenOf(kAlexEmail), &response);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(EventOf(before), "confide.v1.ClientService.GetClient|denied|NOT_FOUND");

  const std::string grant =
      SendTagged("POST", "/v1/clients/" + client_id + ":breakGlass",
                 nlohmann::json{{"reason", "audit coverage: urgent clinical question"}}.dump(),
                 TokenOf(kAlexEmail), &response);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(EventOf(grant), "confide.v1.BreakGlassService.BreakGlass|success|OK");

  const std::string read =
      SendTagged("GET", "/v1/clients/" + client_id, "", TokenOf(kAlexEmail), &response);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(EventOf(read), "confide.v1.ClientService.GetClient|success|OK");
  const std::string flag = "SELECT break_glass FROM audit_events WHERE request_id = '";
  EXPECT_THAT(Query(flag + before + "'"), ElementsAre(::testing::AnyOf("0", "f", "false")));
  EXPECT_THAT(Query(flag + grant + "'"), ElementsAre(::testing::AnyOf("1", "t", "true")));
  EXPECT_THAT(Query(flag + read + "'"), ElementsAre(::testing::AnyOf("1", "t", "true")));
  // Nothing the reason said reaches the trail.
  EXPECT_THAT(Query("SELECT count(*) FROM audit_events WHERE detail LIKE '%urgent%'"),
              ElementsAre("0"));
}

}  // namespace
}  // namespace confide::api_test
