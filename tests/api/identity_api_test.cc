// Identity and access against the real confide-server (DESIGN.md, "Identity and access" and
// "Signing in, and the demo clinic"): staff second factor and its enrolment, invitations, staff
// management, sessions, passwords, portal and partner access, care teams, break-glass, lockout,
// and the audit trail of refusals.
//
// A TOTP code is good once per account and the suite's fixture has already used the current
// code of every demo staff account, so no test here signs demo staff in again: tests that need
// staff sign-ins invite and enrol staff of their own, and compute codes for them below.

#include <grpcpp/grpcpp.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api_test_fixture.h"
#include "confide/v1/access.grpc.pb.h"
#include "confide/v1/auth.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

constexpr int kResourceExhausted = 8;
constexpr char kDemoClinicId[] = "0190d000-0000-7000-8000-000000000001";
constexpr char kJoUserId[] = "0190d000-0000-7000-8000-00000000a005";
constexpr char kRileyUserId[] = "0190d000-0000-7000-8000-00000000a006";
constexpr char kStrongPassword[] = "correct-horse-battery-staple";
constexpr char kOtherStrongPassword[] = "another-long-passphrase-2026";
constexpr int64_t kTotpStepSeconds = 30;

// --- RFC 6238 for the tests' own staff accounts ---

// RFC 4648 base32 (upper case, padding optional) to bytes; "" when the text is not base32.
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

// The 6-digit HMAC-SHA1 TOTP code of `base32_secret` for time step `step` (30 s steps).
std::string TotpCode(const std::string& base32_secret, int64_t step) {
  const std::string key = Base32Decode(base32_secret);
  unsigned char message[8];
  const auto counter = static_cast<uint64_t>(step);
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

int64_t CurrentTotpStep() { return static_cast<int64_t>(std::time(nullptr)) / kTotpStepSeconds; }

// A six-digit code that is no code of `base32_secret` anywhere near now.
std::string WrongTotpCode(const std::string& base32_secret) {
  std::set<std::string> near;
  const int64_t now = CurrentTotpStep();
  for (int64_t step = now - 3; step <= now + 3; ++step) {
    near.insert(TotpCode(base32_secret, step));
  }
  for (int candidate = 123456;; candidate = (candidate + 111111) % 1000000) {
    char code[8];
    std::snprintf(code, sizeof(code), "%06d", candidate);
    if (near.count(code) == 0) {
      return code;
    }
  }
}

// --- Reading answers ---

// The google.rpc.ErrorInfo reason of an error answer, or "".
std::string ReasonOf(const HttpResponse& response) {
  const nlohmann::json body = response.Json();
  if (!body.is_object() || !body.contains("details") || !body["details"].is_array()) {
    return "";
  }
  for (const nlohmann::json& detail : body["details"]) {
    if (detail.value("@type", "") == "type.googleapis.com/google.rpc.ErrorInfo") {
      return detail.value("reason", "");
    }
  }
  return "";
}

// Seconds since the epoch of an RFC 3339 UTC timestamp ("2026-01-02T03:04:05.678Z"); -1 when
// it is not one.
int64_t EpochSeconds(const std::string& rfc3339) {
  std::tm tm{};
  if (std::sscanf(rfc3339.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6 ||
      rfc3339.empty() || rfc3339.back() != 'Z') {
    return -1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm));
}

std::vector<std::string> MemberIds(const nlohmann::json& care_team) {
  std::vector<std::string> ids;
  if (care_team.is_object() && care_team.contains("members")) {
    for (const nlohmann::json& member : care_team["members"]) {
      ids.push_back(member.value("userId", ""));
    }
  }
  return ids;
}

// The user ids marked primary in a ListCareTeamResponse.
std::vector<std::string> PrimaryIds(const nlohmann::json& care_team) {
  std::vector<std::string> ids;
  if (care_team.is_object() && care_team.contains("members")) {
    for (const nlohmann::json& member : care_team["members"]) {
      if (member.value("primary", false)) {
        ids.push_back(member.value("userId", ""));
      }
    }
  }
  return ids;
}

std::vector<std::string> SharesOf(const nlohmann::json& holder) {
  std::vector<std::string> shares;
  if (holder.is_object() && holder.contains("shares")) {
    for (const nlohmann::json& share : holder["shares"]) {
      shares.push_back(share.get<std::string>());
    }
  }
  return shares;
}

std::string ClientPath(const std::string& id) { return "/v1/clients/" + id; }

// A staff account a test invited and (usually) enrolled itself.
struct StaffAccount {
  std::string id;
  std::string email;
  std::string password;
  // Base32; empty until enrolment began.
  std::string secret;
  // A session: enrol-only until enrolment is confirmed.
  std::string token;
  std::vector<std::string> recovery_codes;
  // The last TOTP step this account used; a sign-in needs a later one.
  int64_t last_step = 0;
};

// A patient with a portal account, made through the portal invitation.
struct PortalPatient {
  std::string client_id;
  std::string user_id;
  std::string email;
  std::string password;
};

class IdentityApiTest : public GrpcApiTestBase {
 protected:
  static std::string RequestId() { return "identity-" + Unique(); }

  // A request tagged with a fresh X-Request-Id, which it stores in `request_id`.
  static HttpResponse SendTagged(std::string_view method, const std::string& path,
                                 const std::string& body, const std::string& token,
                                 std::string* request_id) {
    *request_id = RequestId();
    return Rest().Send(method, path, body, token, {{"X-Request-Id", *request_id}});
  }

  // The audit events of one request as "action|outcome|status_code|break_glass" rows.
  static std::vector<std::string> EventsOf(const std::string& request_id) {
    // `request_id` is the test's own [a-z0-9-] text, safe to splice into SQL.
    return Query(
        "SELECT action, outcome, status_code, break_glass FROM audit_events WHERE request_id = '" +
        request_id + "' ORDER BY seq");
  }

  // One column of one row, or "" (with a failure) when there is not exactly one row.
  static std::string QueryOne(const std::string& sql) {
    const std::vector<std::string> rows = Query(sql);
    if (rows.size() != 1) {
      ADD_FAILURE() << rows.size() << " rows for: " << sql;
      return "";
    }
    return rows[0];
  }

  static HttpResponse InviteStaffAs(const std::string& token, const std::string& email,
                                    const std::string& role = "ROLE_CLINICIAN") {
    nlohmann::json body = {{"email", email}, {"displayName", "Staff " + Unique()}, {"role", role}};
    if (role == "ROLE_CLINICIAN") {
      body["discipline"] = "DISCIPLINE_OTHER";
    }
    return Rest().Post("/v1/staff:invite", body, token);
  }

  static HttpResponse Accept(const std::string& token, const std::string& password) {
    return Rest().Post("/v1/auth/invitations:accept", {{"token", token}, {"password", password}});
  }

  // Signs `email` in and returns the session token ("" with a failure when refused).
  static std::string SignIn(const std::string& email, const std::string& password,
                            const nlohmann::json& extra = nlohmann::json::object()) {
    nlohmann::json body = {{"email", email}, {"password", password}};
    body.update(extra);
    HttpResponse login = Rest().Post("/v1/auth/login", body);
    if (login.status != 200) {
      ADD_FAILURE() << "sign-in of " << email << ": HTTP " << login.status << " " << login.body;
      return "";
    }
    return login.Json().value("sessionToken", "");
  }

  // The next TOTP code `staff` may sign in with: a step after the last one used, which the
  // server accepts while it is within one step of its clock.
  static std::string NextTotpCode(StaffAccount& staff) {
    staff.last_step = std::max(staff.last_step + 1, CurrentTotpStep());
    return TotpCode(staff.secret, staff.last_step);
  }

  // Invites a clinician as the demo admin, accepts the invitation and signs in (a session that
  // may only enrol); with `enrol`, also enrols TOTP, which makes the session a full one.
  static ::testing::AssertionResult NewStaff(StaffAccount* staff, bool enrol = true) {
    staff->email = "staff-" + Unique() + "@clinic.test";
    staff->password = kStrongPassword;
    HttpResponse invited = InviteStaffAs(TokenOf(kAdminEmail), staff->email);
    if (invited.status != 200) {
      return ::testing::AssertionFailure() << "invite: " << invited.status << " " << invited.body;
    }
    HttpResponse accepted = Accept(TokenSentTo(staff->email), staff->password);
    if (accepted.status != 200) {
      return ::testing::AssertionFailure() << "accept: " << accepted.status << " " << accepted.body;
    }
    staff->id = accepted.Json().value("id", "");
    HttpResponse login = LogIn(staff->email, staff->password);
    if (login.status != 200 || !login.Json().value("mfaEnrollmentRequired", false)) {
      return ::testing::AssertionFailure()
             << "first sign-in: " << login.status << " " << login.body;
    }
    staff->token = login.Json().value("sessionToken", "");
    if (!enrol) {
      return ::testing::AssertionSuccess();
    }
    HttpResponse begun = Rest().Post("/v1/auth/totp:begin", nlohmann::json::object(), staff->token);
    if (begun.status != 200) {
      return ::testing::AssertionFailure() << "begin: " << begun.status << " " << begun.body;
    }
    staff->secret = begun.Json().value("secret", "");
    staff->last_step = CurrentTotpStep();
    HttpResponse confirmed =
        Rest().Post("/v1/auth/totp:confirm",
                    {{"totpCode", TotpCode(staff->secret, staff->last_step)}}, staff->token);
    if (confirmed.status != 200) {
      return ::testing::AssertionFailure()
             << "confirm: " << confirmed.status << " " << confirmed.body;
    }
    const nlohmann::json body = confirmed.Json();
    for (const nlohmann::json& code : body["recoveryCodes"]) {
      staff->recovery_codes.push_back(code.get<std::string>());
    }
    return ::testing::AssertionSuccess();
  }

  // Sam creates a client with an email address and invites her to the portal; she accepts.
  static ::testing::AssertionResult NewPortalPatient(PortalPatient* patient) {
    patient->email = "patient-" + Unique() + "@example.test";
    patient->password = kStrongPassword;
    const nlohmann::json client = CreateClient(TokenOf(kSamEmail), {{"email", patient->email}});
    if (!client.is_object()) {
      return ::testing::AssertionFailure() << "no client";
    }
    patient->client_id = client.value("id", "");
    HttpResponse invited = Rest().Post(ClientPath(patient->client_id) + ":inviteToPortal",
                                       nlohmann::json::object(), TokenOf(kSamEmail));
    if (invited.status != 200) {
      return ::testing::AssertionFailure() << "invite: " << invited.status << " " << invited.body;
    }
    HttpResponse accepted = Accept(TokenSentTo(patient->email), patient->password);
    if (accepted.status != 200) {
      return ::testing::AssertionFailure() << "accept: " << accepted.status << " " << accepted.body;
    }
    patient->user_id = accepted.Json().value("id", "");
    return ::testing::AssertionSuccess();
  }

  // The clinic's staff as the admin sees them, by user id.
  static std::map<std::string, nlohmann::json> StaffById() {
    std::map<std::string, nlohmann::json> staff;
    HttpResponse list = Rest().Get("/v1/staff?pageSize=500", TokenOf(kAdminEmail));
    EXPECT_EQ(list.status, 200) << list.body;
    const nlohmann::json body = list.Json();
    if (body.is_object() && body.contains("staff")) {
      for (const nlohmann::json& member : body["staff"]) {
        staff[member["user"].value("id", "")] = member;
      }
    }
    return staff;
  }
};

// --- The tests' TOTP helper ---

// The helper below every staff test agrees with the server's own tool on the demo secret.
TEST_F(IdentityApiTest, TotpHelperAgreesWithConfidectlOnTheDemoSecret) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int64_t step = CurrentTotpStep();
    const std::string theirs = DemoTotpCode();
    if (step != CurrentTotpStep()) {
      continue;  // A step boundary passed meanwhile.
    }
    EXPECT_EQ(TotpCode(kDemoTotpSecret, step), theirs);
    return;
  }
  FAIL() << "no stable TOTP step to compare in";
}

// --- Staff second factor ---

TEST_F(IdentityApiTest, StaffPasswordAloneOrAWrongCodeOpensNoSession) {
  StaffAccount staff;
  ASSERT_TRUE(NewStaff(&staff));
  const std::string sessions_sql =
      "SELECT COUNT(*) FROM sessions WHERE user_id = '" + staff.id + "'";
  const std::string sessions_before = QueryOne(sessions_sql);

  HttpResponse password_only = LogIn(staff.email, staff.password);
  HttpResponse wrong_code = LogInWithTotp(staff.email, staff.password, WrongTotpCode(staff.secret));

  EXPECT_TRUE(IsErrorAnswer(password_only, 401, kUnauthenticated));
  EXPECT_THAT(password_only.body, HasSubstr("MFA_REQUIRED"));
  EXPECT_EQ(ReasonOf(password_only), "MFA_REQUIRED");
  EXPECT_FALSE(password_only.Json().contains("sessionToken"));
  EXPECT_TRUE(IsErrorAnswer(wrong_code, 401, kUnauthenticated));
  EXPECT_EQ(ReasonOf(wrong_code), "MFA_CODE_INVALID") << wrong_code.body;
  EXPECT_FALSE(wrong_code.Json().contains("sessionToken"));
  EXPECT_EQ(QueryOne(sessions_sql), sessions_before);
  // A wrong password is refused as such, whatever code comes with it.
  HttpResponse wrong_password =
      LogInWithTotp(staff.email, "not-the-password-at-all", WrongTotpCode(staff.secret));
  EXPECT_TRUE(IsErrorAnswer(wrong_password, 401, kUnauthenticated));
  EXPECT_EQ(ReasonOf(wrong_password), "");
}

TEST_F(IdentityApiTest, StaffTotpCodeSignsInOnceAndItsReplayIsRefused) {
  StaffAccount staff;
  ASSERT_TRUE(NewStaff(&staff));
  const std::string code = NextTotpCode(staff);

  HttpResponse first = LogInWithTotp(staff.email, staff.password, code);
  HttpResponse replay = LogInWithTotp(staff.email, staff.password, code);

  ASSERT_EQ(first.status, 200) << first.body;
  const nlohmann::json session = first.Json();
  EXPECT_FALSE(session.value("mfaEnrollmentRequired", false));
  EXPECT_EQ(session["user"].value("id", ""), staff.id);
  EXPECT_EQ(session["user"].value("role", ""), "ROLE_CLINICIAN");
  EXPECT_EQ(Rest().Get("/v1/clients", session.value("sessionToken", "")).status, 200);
  EXPECT_TRUE(IsErrorAnswer(replay, 401, kUnauthenticated));
  EXPECT_EQ(ReasonOf(replay), "MFA_CODE_INVALID") << replay.body;
  EXPECT_FALSE(replay.Json().contains("sessionToken"));
  // The code the enrolment confirmed with is spent too.
  HttpResponse enrolment_code =
      LogInWithTotp(staff.email, staff.password, TotpCode(staff.secret, staff.last_step - 1));
  EXPECT_EQ(ReasonOf(enrolment_code), "MFA_CODE_INVALID") << enrolment_code.body;
}

TEST_F(IdentityApiTest, RecoveryCodeSignsInOnceAndItsReuseIsRefused) {
  StaffAccount staff;
  ASSERT_TRUE(NewStaff(&staff));
  ASSERT_EQ(staff.recovery_codes.size(), 10u);
  const std::string code = staff.recovery_codes[0];

  HttpResponse first =
      Rest().Post("/v1/auth/login",
                  {{"email", staff.email}, {"password", staff.password}, {"recoveryCode", code}});
  HttpResponse reuse =
      Rest().Post("/v1/auth/login",
                  {{"email", staff.email}, {"password", staff.password}, {"recoveryCode", code}});

  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_FALSE(first.Json().value("mfaEnrollmentRequired", false));
  EXPECT_EQ(Rest().Get("/v1/clients", first.Json().value("sessionToken", "")).status, 200);
  EXPECT_TRUE(IsErrorAnswer(reuse, 401, kUnauthenticated));
  EXPECT_EQ(ReasonOf(reuse), "MFA_CODE_INVALID") << reuse.body;
  EXPECT_EQ(QueryOne("SELECT COUNT(*) FROM recovery_codes WHERE user_id = '" + staff.id +
                     "' AND use_time <> 0"),
            "1");
  // Another code still works, typed without dashes and in lower case.
  std::string typed;
  for (char c : staff.recovery_codes[1]) {
    if (c != '-') {
      typed.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  HttpResponse other =
      Rest().Post("/v1/auth/login",
                  {{"email", staff.email}, {"password", staff.password}, {"recoveryCode", typed}});
  EXPECT_EQ(other.status, 200) << other.body;
}

// --- Staff invitation and enrolment ---

TEST_F(IdentityApiTest, StaffInvitationAcceptanceAndTotpEnrolmentEndToEnd) {
  const std::string email = "new-staff-" + Unique() + "@clinic.test";
  HttpResponse invited = InviteStaffAs(TokenOf(kAdminEmail), email);
  ASSERT_EQ(invited.status, 200) << invited.body;
  const std::string invitation_token = TokenSentTo(email);
  const std::string invitation_id = invited.Json().value("id", "");
  ASSERT_FALSE(invitation_token.empty());
  const int64_t expires = EpochSeconds(invited.Json().value("expireTime", ""));
  EXPECT_NEAR(static_cast<double>(expires - std::time(nullptr)), 72 * 3600.0, 300.0);
  // Only a digest of the invitation token is kept.
  const std::string digest =
      QueryOne("SELECT token_digest FROM one_time_tokens WHERE id = '" + invitation_id + "'");
  EXPECT_FALSE(digest.empty());
  EXPECT_THAT(digest, Not(HasSubstr(invitation_token)));

  HttpResponse accepted = Rest().Post(
      "/v1/auth/invitations:accept",
      {{"token", invitation_token}, {"password", kStrongPassword}, {"displayName", "Dr New"}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const nlohmann::json user = accepted.Json();
  const std::string user_id = user.value("id", "");
  EXPECT_EQ(user.value("email", ""), email);
  EXPECT_EQ(user.value("displayName", ""), "Dr New");
  EXPECT_EQ(user.value("role", ""), "ROLE_CLINICIAN");
  EXPECT_EQ(user.value("discipline", ""), "DISCIPLINE_OTHER");
  EXPECT_EQ(user.value("clinicId", ""), kDemoClinicId);
  auto listed = StaffById();
  ASSERT_TRUE(listed.count(user_id)) << "not in ListStaff";
  EXPECT_TRUE(listed[user_id].value("active", false));
  EXPECT_FALSE(listed[user_id].value("mfaEnrolled", false));

  HttpResponse login = LogIn(email, kStrongPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_TRUE(login.Json().value("mfaEnrollmentRequired", false));
  const std::string token = login.Json().value("sessionToken", "");
  HttpResponse too_early = Rest().Get("/v1/clients", token);
  EXPECT_TRUE(IsErrorAnswer(too_early, 403, kPermissionDenied));
  EXPECT_EQ(ReasonOf(too_early), "MFA_ENROLLMENT_REQUIRED") << too_early.body;

  HttpResponse begun = Rest().Post("/v1/auth/totp:begin", nlohmann::json::object(), token);
  ASSERT_EQ(begun.status, 200) << begun.body;
  const std::string secret = begun.Json().value("secret", "");
  ASSERT_EQ(Base32Decode(secret).size(), 20u) << secret;
  EXPECT_THAT(begun.Json().value("otpauthUri", ""), HasSubstr("secret=" + secret));
  HttpResponse wrong =
      Rest().Post("/v1/auth/totp:confirm", {{"totpCode", WrongTotpCode(secret)}}, token);
  EXPECT_TRUE(IsErrorAnswer(wrong, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(wrong.Json()), Contains("totp_code"));
  EXPECT_FALSE(StaffById()[user_id].value("mfaEnrolled", false));

  HttpResponse confirmed = Rest().Post("/v1/auth/totp:confirm",
                                       {{"totpCode", TotpCode(secret, CurrentTotpStep())}}, token);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  std::vector<std::string> codes;
  const nlohmann::json confirmation = confirmed.Json();
  for (const nlohmann::json& code : confirmation["recoveryCodes"]) {
    codes.push_back(code.get<std::string>());
  }
  EXPECT_EQ(codes.size(), 10u) << confirmed.body;
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), codes.size());
  // The same session now does the work.
  EXPECT_EQ(Rest().Get("/v1/clients", token).status, 200);
  EXPECT_TRUE(StaffById()[user_id].value("mfaEnrolled", false));

  // No plaintext second factor in the database.
  const std::string sealed =
      QueryOne("SELECT totp_secret_sealed FROM users WHERE id = '" + user_id + "'");
  EXPECT_EQ(sealed.rfind("v1.", 0), 0u) << sealed;
  EXPECT_THAT(sealed, Not(HasSubstr(secret)));
  EXPECT_EQ(QueryOne("SELECT length(totp_pending_sealed) FROM users WHERE id = '" + user_id + "'"),
            "0");
  const std::vector<std::string> digests =
      Query("SELECT code_digest FROM recovery_codes WHERE user_id = '" + user_id + "'");
  EXPECT_EQ(digests.size(), 10u);
  for (const std::string& code : codes) {
    std::string bare;
    for (char c : code) {
      if (c != '-') {
        bare.push_back(c);
      }
    }
    for (const std::string& stored : digests) {
      EXPECT_THAT(stored, Not(HasSubstr(code)));
      EXPECT_THAT(stored, Not(HasSubstr(bare)));
    }
  }
}

// The inviter never sees the token: the answer names the address it went to, and the outbox
// row holds the token only sealed.
TEST_F(IdentityApiTest, InvitationAnswerHasNoTokenAndTheOutboxHoldsItOnlySealed) {
  const std::string unique = Unique();
  const std::string email = "sealed-" + unique + "@clinic.test";
  HttpResponse invited = InviteStaffAs(TokenOf(kAdminEmail), "Sealed-" + unique + "@Clinic.Test");
  ASSERT_EQ(invited.status, 200) << invited.body;
  const nlohmann::json answer = invited.Json();
  EXPECT_FALSE(answer.contains("token")) << invited.body;
  EXPECT_EQ(answer.value("sentTo", ""), email) << invited.body;
  EXPECT_FALSE(answer.value("id", "").empty()) << invited.body;

  const std::string token = TokenSentTo(email);
  ASSERT_FALSE(token.empty());
  EXPECT_THAT(invited.body, Not(HasSubstr(token)));
  const std::vector<std::string> sealed =
      Query("SELECT token_sealed FROM outbound_messages WHERE recipient_email = '" + email + "'");
  ASSERT_EQ(sealed.size(), 1u);
  EXPECT_EQ(sealed[0].rfind("v1.", 0), 0u) << sealed[0];
  EXPECT_THAT(sealed[0], Not(HasSubstr(token)));
  EXPECT_EQ(Accept(token, kStrongPassword).status, 200);
}

TEST_F(IdentityApiTest, InvitationTokenIsSingleUseAndUnknownTokensAreRefused) {
  const std::string email = "once-" + Unique() + "@clinic.test";
  HttpResponse invited = InviteStaffAs(TokenOf(kAdminEmail), email, "ROLE_AUDITOR");
  ASSERT_EQ(invited.status, 200) << invited.body;
  const std::string token = TokenSentTo(email);
  ASSERT_EQ(Accept(token, kStrongPassword).status, 200);

  HttpResponse again = Accept(token, kOtherStrongPassword);
  HttpResponse unknown = Accept("no-such-invitation-token-" + Unique(), kStrongPassword);

  EXPECT_TRUE(IsErrorAnswer(again, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(again.Json()), Contains("token"));
  EXPECT_TRUE(IsErrorAnswer(unknown, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(unknown.Json()), Contains("token"));
  EXPECT_EQ(QueryOne("SELECT COUNT(*) FROM users WHERE email = '" + email + "'"), "1");
  // The first password still stands.
  HttpResponse login = LogIn(email, kStrongPassword);
  EXPECT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.Json()["user"].value("role", ""), "ROLE_AUDITOR");
}

// "A new invitation or reset replaces older ones: only the latest link works."
TEST_F(IdentityApiTest, ReinvitingStaffReplacesTheEarlierInvitation) {
  const std::string email = "twice-" + Unique() + "@clinic.test";
  HttpResponse first = InviteStaffAs(TokenOf(kAdminEmail), email);
  ASSERT_EQ(first.status, 200) << first.body;
  // Read before the second invitation: TokenSentTo gives the newest message's token.
  const std::string first_token = TokenSentTo(email);
  HttpResponse second = InviteStaffAs(TokenOf(kAdminEmail), email);
  ASSERT_EQ(second.status, 200) << second.body;
  const std::string second_token = TokenSentTo(email);
  ASSERT_NE(first_token, second_token);

  HttpResponse stale = Accept(first_token, kStrongPassword);
  HttpResponse latest = Accept(second_token, kStrongPassword);

  EXPECT_TRUE(IsErrorAnswer(stale, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(stale.Json()), Contains("token"));
  EXPECT_EQ(latest.status, 200) << latest.body;
  EXPECT_EQ(QueryOne("SELECT COUNT(*) FROM users WHERE email = '" + email + "'"), "1");
}

// Until enrolment is confirmed the session may only enrol, list or end sessions; the refusal
// is the same whether or not the record exists, and is audited as a denial.
TEST_F(IdentityApiTest, UnenrolledStaffSessionMayOnlyEnrol) {
  StaffAccount staff;
  ASSERT_TRUE(NewStaff(&staff, /*enrol=*/false));

  std::string request_id;
  HttpResponse existing = SendTagged("GET", ClientPath(kJoClientId), "", staff.token, &request_id);
  HttpResponse missing = Rest().Get(ClientPath(kNonexistentClientId), staff.token);
  HttpResponse create =
      Rest().Post("/v1/clients", {{"legalGivenName", "A"}, {"legalFamilyName", "B"}}, staff.token);

  for (const HttpResponse* refused : {&existing, &missing, &create}) {
    EXPECT_TRUE(IsErrorAnswer(*refused, 403, kPermissionDenied));
    EXPECT_EQ(ReasonOf(*refused), "MFA_ENROLLMENT_REQUIRED") << refused->body;
  }
  EXPECT_EQ(existing.body, missing.body);
  EXPECT_THAT(
      EventsOf(request_id),
      UnorderedElementsAre("confide.v1.ClientService.GetClient|denied|PERMISSION_DENIED|0"));
  EXPECT_EQ(Rest().Get("/v1/auth/sessions", staff.token).status, 200);
  HttpResponse confirm_first =
      Rest().Post("/v1/auth/totp:confirm", {{"totpCode", "123456"}}, staff.token);
  EXPECT_TRUE(IsErrorAnswer(confirm_first, 400, kFailedPrecondition));
  EXPECT_EQ(Rest().Post("/v1/auth/logout", nlohmann::json::object(), staff.token).status, 200);
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/auth/sessions", staff.token), 401, kUnauthenticated));
}

// auth.proto: a session without a second factor "may only enrol (BeginTotpEnrollment,
// ConfirmTotpEnrollment), list or end sessions, until enrolment is confirmed".
TEST_F(IdentityApiTest, UnenrolledStaffSessionCannotChangeThePassword) {
  StaffAccount staff;
  ASSERT_TRUE(NewStaff(&staff, /*enrol=*/false));

  HttpResponse changed = Rest().Post(
      "/v1/auth/password:change",
      {{"currentPassword", staff.password}, {"newPassword", kOtherStrongPassword}}, staff.token);

  EXPECT_TRUE(IsErrorAnswer(changed, 403, kPermissionDenied));
  EXPECT_EQ(ReasonOf(changed), "MFA_ENROLLMENT_REQUIRED") << changed.body;
  EXPECT_EQ(LogIn(staff.email, staff.password).status, 200) << "the password changed";
}

TEST_F(IdentityApiTest, InvitingAnExistingEmailCreatesNoSecondAccount) {
  HttpResponse invited = InviteStaffAs(TokenOf(kAdminEmail), kAlexEmail);
  ASSERT_EQ(invited.status, 200) << invited.body;

  HttpResponse accepted = Accept(TokenSentTo(kAlexEmail), kStrongPassword);

  EXPECT_TRUE(IsErrorAnswer(accepted, 409));
  EXPECT_EQ(QueryOne(std::string("SELECT COUNT(*) FROM users WHERE email = '") + kAlexEmail + "'"),
            "1");
  // Alex's password is untouched: the right one still reaches the second-factor step.
  EXPECT_EQ(ReasonOf(LogIn(kAlexEmail, kDemoPassword)), "MFA_REQUIRED");
  EXPECT_EQ(Rest().Get("/v1/clients", TokenOf(kAlexEmail)).status, 200);
}

// --- Managing staff is the admin's job ---

TEST_F(IdentityApiTest, OnlyTheAdminInvitesStaff) {
  const std::string email = "not-invited-" + Unique() + "@clinic.test";
  for (const char* caller : {kSamEmail, kAuditorEmail, kJoEmail, kKimEmail}) {
    HttpResponse invited = InviteStaffAs(TokenOf(caller), email);
    EXPECT_TRUE(IsErrorAnswer(invited, 403, kPermissionDenied)) << caller;
    EXPECT_FALSE(invited.Json().contains("token")) << caller;
  }
  EXPECT_EQ(QueryOne("SELECT COUNT(*) FROM one_time_tokens WHERE email = '" + email + "'"), "0");
  EXPECT_EQ(
      QueryOne("SELECT COUNT(*) FROM outbound_messages WHERE recipient_email = '" + email + "'"),
      "0");
  HttpResponse list = Rest().Get("/v1/staff", TokenOf(kJoEmail));
  EXPECT_TRUE(IsErrorAnswer(list, 403, kPermissionDenied));
}

TEST_F(IdentityApiTest, DeactivatedStaffLoseSessionsAndSignInUntilReactivated) {
  StaffAccount staff;
  ASSERT_TRUE(NewStaff(&staff));
  ASSERT_EQ(Rest().Get("/v1/clients", staff.token).status, 200);
  const std::string admin = TokenOf(kAdminEmail);
  HttpResponse by_clinician = Rest().Post("/v1/staff/" + staff.id + ":deactivate",
                                          nlohmann::json::object(), TokenOf(kSamEmail));
  EXPECT_TRUE(IsErrorAnswer(by_clinician, 403, kPermissionDenied));
  EXPECT_EQ(Rest().Get("/v1/clients", staff.token).status, 200);
  const HttpResponse wrong_password = LogIn(staff.email, "not-the-password-at-all");

  HttpResponse deactivated =
      Rest().Post("/v1/staff/" + staff.id + ":deactivate", nlohmann::json::object(), admin);

  ASSERT_EQ(deactivated.status, 200) << deactivated.body;
  // proto3 JSON leaves false out.
  EXPECT_FALSE(deactivated.Json().value("active", false)) << deactivated.body;
  EXPECT_EQ(deactivated.Json()["user"].value("id", ""), staff.id);
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients", staff.token), 401, kUnauthenticated));
  EXPECT_FALSE(StaffById()[staff.id].value("active", false));
  // The right password (and no code, so no step is spent) reads exactly like a wrong one.
  HttpResponse signed_in = LogIn(staff.email, staff.password);
  EXPECT_TRUE(IsErrorAnswer(signed_in, 401, kUnauthenticated));
  EXPECT_EQ(signed_in.body, wrong_password.body);

  HttpResponse reactivated =
      Rest().Post("/v1/staff/" + staff.id + ":reactivate", nlohmann::json::object(), admin);

  ASSERT_EQ(reactivated.status, 200) << reactivated.body;
  EXPECT_TRUE(reactivated.Json().value("active", false));
  EXPECT_TRUE(reactivated.Json().value("mfaEnrolled", false));
  EXPECT_EQ(ReasonOf(LogIn(staff.email, staff.password)), "MFA_REQUIRED");
  const std::string token =
      SignIn(staff.email, staff.password, {{"totpCode", NextTotpCode(staff)}});
  EXPECT_EQ(Rest().Get("/v1/clients", token).status, 200);
  // Sessions ended by the deactivation stay ended.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients", staff.token), 401, kUnauthenticated));
}

TEST_F(IdentityApiTest, AdminCannotDeactivateHerself) {
  const std::string admin = TokenOf(kAdminEmail);

  HttpResponse refused = Rest().Post(std::string("/v1/staff/") + kAdminUserId + ":deactivate",
                                     nlohmann::json::object(), admin);

  EXPECT_TRUE(IsErrorAnswer(refused, 400, kFailedPrecondition));
  EXPECT_TRUE(StaffById()[kAdminUserId].value("active", false));
  EXPECT_EQ(Rest().Get("/v1/staff", admin).status, 200);
}

TEST_F(IdentityApiTest, AdminCannotManageAnotherClinicsStaffOrPatients) {
  const std::string admin = TokenOf(kAdminEmail);

  for (const char* user_id : {kOtherTherapistUserId, kJoUserId, kKimUserId,
                              "0190d000-0000-7000-8000-0000deadbeef", "not-a-uuid"}) {
    const std::string path = std::string("/v1/staff/") + user_id;
    EXPECT_TRUE(IsErrorAnswer(Rest().Post(path + ":deactivate", nlohmann::json::object(), admin),
                              404, kNotFound))
        << user_id;
    EXPECT_TRUE(IsErrorAnswer(
        Rest().Post(path + ":issuePasswordReset", nlohmann::json::object(), admin), 404, kNotFound))
        << user_id;
  }
  EXPECT_EQ(Rest().Get("/v1/clinic", TokenOf(kOtherTherapistEmail)).status, 200);
  EXPECT_EQ(Rest().Get("/v1/clients/me", TokenOf(kJoEmail)).status, 200);
  EXPECT_EQ(StaffById().count(kOtherTherapistUserId), 0u);
}

// --- Sessions and passwords (portal patients: no second factor, so any number of sign-ins) ---

TEST_F(IdentityApiTest, SessionListShowsTheCurrentOneAndRevokingAnotherEndsIt) {
  PortalPatient patient;
  ASSERT_TRUE(NewPortalPatient(&patient));
  const std::string phone = SignIn(patient.email, patient.password);
  const std::string laptop = SignIn(patient.email, patient.password);

  HttpResponse listed = Rest().Get("/v1/auth/sessions", laptop);

  ASSERT_EQ(listed.status, 200) << listed.body;
  const nlohmann::json sessions = listed.Json()["sessions"];
  ASSERT_EQ(sessions.size(), 2u) << listed.body;
  std::string laptop_id;
  std::string phone_id;
  for (const nlohmann::json& session : sessions) {
    (session.value("current", false) ? laptop_id : phone_id) = session.value("id", "");
    EXPECT_EQ(session.value("sourceAddress", ""), "127.0.0.1");
    EXPECT_GT(EpochSeconds(session.value("expireTime", "")),
              EpochSeconds(session.value("createTime", "")));
  }
  ASSERT_FALSE(laptop_id.empty());
  ASSERT_FALSE(phone_id.empty());
  ASSERT_NE(laptop_id, phone_id);

  HttpResponse revoked =
      Rest().Post("/v1/auth/sessions/" + phone_id + ":revoke", nlohmann::json::object(), laptop);

  EXPECT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients/me", phone), 401, kUnauthenticated));
  EXPECT_EQ(Rest().Get("/v1/clients/me", laptop).status, 200);
  const nlohmann::json after = Rest().Get("/v1/auth/sessions", laptop).Json();
  ASSERT_EQ(after["sessions"].size(), 1u);
  EXPECT_EQ(after["sessions"][0].value("id", ""), laptop_id);
  EXPECT_TRUE(after["sessions"][0].value("current", false));
}

TEST_F(IdentityApiTest, RevokingSomeoneElsesSessionIsNotFound) {
  PortalPatient patient;
  ASSERT_TRUE(NewPortalPatient(&patient));
  const std::string token = SignIn(patient.email, patient.password);
  const std::vector<std::string> riley_sessions = Query(
      std::string("SELECT id FROM sessions WHERE user_id = '") + kRileyUserId + "' ORDER BY id");
  ASSERT_FALSE(riley_sessions.empty());

  for (const std::string& id : riley_sessions) {
    HttpResponse revoked =
        Rest().Post("/v1/auth/sessions/" + id + ":revoke", nlohmann::json::object(), token);
    EXPECT_TRUE(IsErrorAnswer(revoked, 404, kNotFound)) << id;
  }
  EXPECT_EQ(Rest().Get("/v1/clients/me", TokenOf(kRileyEmail)).status, 200);
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Post("/v1/auth/sessions/not-a-session:revoke", nlohmann::json::object(), token), 400,
      kInvalidArgument));
}

TEST_F(IdentityApiTest, ChangePasswordWithTheWrongCurrentPasswordChangesNothing) {
  PortalPatient patient;
  ASSERT_TRUE(NewPortalPatient(&patient));
  const std::string caller = SignIn(patient.email, patient.password);
  const std::string other = SignIn(patient.email, patient.password);

  HttpResponse wrong = Rest().Post(
      "/v1/auth/password:change",
      {{"currentPassword", "not-the-password-at-all"}, {"newPassword", kOtherStrongPassword}},
      caller);
  HttpResponse too_short =
      Rest().Post("/v1/auth/password:change",
                  {{"currentPassword", patient.password}, {"newPassword", "short"}}, caller);

  EXPECT_TRUE(IsErrorAnswer(wrong, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(wrong.Json()), Contains("current_password"));
  EXPECT_TRUE(IsErrorAnswer(too_short, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(too_short.Json()), Contains("new_password"));
  EXPECT_EQ(Rest().Get("/v1/clients/me", other).status, 200);
  EXPECT_EQ(Rest().Get("/v1/clients/me", caller).status, 200);
  EXPECT_EQ(LogIn(patient.email, patient.password).status, 200);
  EXPECT_EQ(LogIn(patient.email, kOtherStrongPassword).status, 401);
}

TEST_F(IdentityApiTest, ChangePasswordEndsTheOtherSessionsButNotTheCallers) {
  PortalPatient patient;
  ASSERT_TRUE(NewPortalPatient(&patient));
  const std::string caller = SignIn(patient.email, patient.password);
  const std::string other = SignIn(patient.email, patient.password);

  HttpResponse changed = Rest().Post(
      "/v1/auth/password:change",
      {{"currentPassword", patient.password}, {"newPassword", kOtherStrongPassword}}, caller);

  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients/me", other), 401, kUnauthenticated));
  EXPECT_EQ(Rest().Get("/v1/clients/me", caller).status, 200);
  EXPECT_TRUE(IsErrorAnswer(LogIn(patient.email, patient.password), 401, kUnauthenticated));
  const std::string fresh = SignIn(patient.email, kOtherStrongPassword);
  EXPECT_EQ(Rest().Get("/v1/clients/me", fresh).Json().value("id", ""), patient.client_id);
}

TEST_F(IdentityApiTest, StaffPasswordResetSetsThePasswordEndsSessionsAndIsSingleUse) {
  StaffAccount staff;
  ASSERT_TRUE(NewStaff(&staff));
  EXPECT_TRUE(IsErrorAnswer(Rest().Post("/v1/staff/" + staff.id + ":issuePasswordReset",
                                        nlohmann::json::object(), TokenOf(kSamEmail)),
                            403, kPermissionDenied));

  HttpResponse issued = Rest().Post("/v1/staff/" + staff.id + ":issuePasswordReset",
                                    nlohmann::json::object(), TokenOf(kAdminEmail));

  ASSERT_EQ(issued.status, 200) << issued.body;
  EXPECT_EQ(issued.Json().value("sentTo", ""), staff.email);
  const std::string reset_token = TokenSentTo(staff.email);
  const int64_t expires = EpochSeconds(issued.Json().value("expireTime", ""));
  EXPECT_NEAR(static_cast<double>(expires - std::time(nullptr)), 3600.0, 300.0);
  EXPECT_THAT(QueryOne("SELECT token_digest FROM one_time_tokens WHERE id = '" +
                       issued.Json().value("id", "") + "'"),
              Not(HasSubstr(reset_token)));
  // Issuing alone ends nothing; an invitation token is no reset token.
  EXPECT_EQ(Rest().Get("/v1/clients", staff.token).status, 200);
  HttpResponse as_invitation = Accept(reset_token, kOtherStrongPassword);
  EXPECT_TRUE(IsErrorAnswer(as_invitation, 400, kInvalidArgument));

  HttpResponse reset = Rest().Post("/v1/auth/password:reset",
                                   {{"token", reset_token}, {"newPassword", kOtherStrongPassword}});

  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients", staff.token), 401, kUnauthenticated));
  HttpResponse again = Rest().Post("/v1/auth/password:reset",
                                   {{"token", reset_token}, {"newPassword", kStrongPassword}});
  EXPECT_TRUE(IsErrorAnswer(again, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(again.Json()), Contains("token"));
  EXPECT_EQ(ReasonOf(LogIn(staff.email, staff.password)), "");
  // The reset does not skip the second factor.
  EXPECT_EQ(ReasonOf(LogIn(staff.email, kOtherStrongPassword)), "MFA_REQUIRED");
  const std::string token =
      SignIn(staff.email, kOtherStrongPassword, {{"totpCode", NextTotpCode(staff)}});
  EXPECT_EQ(Rest().Get("/v1/clients", token).status, 200);
}

TEST_F(IdentityApiTest, PortalReinvitationOfAPatientWithAnAccountResetsHerPassword) {
  PortalPatient patient;
  ASSERT_TRUE(NewPortalPatient(&patient));
  const std::string session = SignIn(patient.email, patient.password);

  HttpResponse invited = Rest().Post(ClientPath(patient.client_id) + ":inviteToPortal",
                                     nlohmann::json::object(), TokenOf(kSamEmail));

  ASSERT_EQ(invited.status, 200) << invited.body;
  // The reset goes to her account's address.
  EXPECT_EQ(invited.Json().value("sentTo", ""), patient.email);
  const std::string token = TokenSentTo(patient.email);
  // Not a second account.
  EXPECT_TRUE(IsErrorAnswer(Accept(token, kOtherStrongPassword), 400, kInvalidArgument));
  EXPECT_EQ(Rest().Get("/v1/clients/me", session).status, 200);
  HttpResponse reset = Rest().Post("/v1/auth/password:reset",
                                   {{"token", token}, {"newPassword", kOtherStrongPassword}});
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients/me", session), 401, kUnauthenticated));
  EXPECT_TRUE(IsErrorAnswer(LogIn(patient.email, patient.password), 401, kUnauthenticated));
  const std::string fresh = SignIn(patient.email, kOtherStrongPassword);
  EXPECT_EQ(Rest().Get("/v1/clients/me", fresh).Json().value("id", ""), patient.client_id);
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Post("/v1/auth/password:reset", {{"token", token}, {"newPassword", kStrongPassword}}),
      400, kInvalidArgument));
  EXPECT_EQ(QueryOne("SELECT COUNT(*) FROM users WHERE email = '" + patient.email + "'"), "1");
}

// --- Portal invitations ---

TEST_F(IdentityApiTest, PatientPortalInvitationEndToEnd) {
  const std::string sam = TokenOf(kSamEmail);
  const std::string email = "portal-" + Unique() + "@example.test";
  const nlohmann::json client = CreateClient(sam, {{"email", email}, {"preferredName", "Robin"}});
  ASSERT_TRUE(client.is_object());
  const std::string client_id = client.value("id", "");

  HttpResponse invited =
      Rest().Post(ClientPath(client_id) + ":inviteToPortal", nlohmann::json::object(), sam);
  ASSERT_EQ(invited.status, 200) << invited.body;
  // Sent to the address on the client record.
  EXPECT_EQ(invited.Json().value("sentTo", ""), email);
  const std::string token = TokenSentTo(email);
  HttpResponse short_password = Accept(token, "short");
  EXPECT_TRUE(IsErrorAnswer(short_password, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(short_password.Json()), Contains("password"));
  HttpResponse accepted = Accept(token, kStrongPassword);

  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const nlohmann::json user = accepted.Json();
  EXPECT_EQ(user.value("role", ""), "ROLE_PATIENT");
  EXPECT_EQ(user.value("clientId", ""), client_id);
  EXPECT_EQ(user.value("email", ""), email);
  EXPECT_EQ(user.value("displayName", ""), "Robin");
  HttpResponse login = LogIn(email, kStrongPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_FALSE(login.Json().value("mfaEnrollmentRequired", false));
  const std::string session = login.Json().value("sessionToken", "");
  HttpResponse me = Rest().Get("/v1/clients/me", session);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json().value("id", ""), client_id);
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(ClientPath(kJoClientId), session), 404, kNotFound));
}

TEST_F(IdentityApiTest, PortalInvitationIsTheCareTeamsToSend) {
  const nlohmann::json client =
      CreateClient(TokenOf(kSamEmail), {{"email", "refused-" + Unique() + "@example.test"}});
  ASSERT_TRUE(client.is_object());
  const std::string path = ClientPath(client.value("id", "")) + ":inviteToPortal";

  HttpResponse by_alex = Rest().Post(path, nlohmann::json::object(), TokenOf(kAlexEmail));
  HttpResponse by_admin = Rest().Post(path, nlohmann::json::object(), TokenOf(kAdminEmail));
  HttpResponse by_patient = Rest().Post(path, nlohmann::json::object(), TokenOf(kJoEmail));
  HttpResponse other_clinic =
      Rest().Post(path, nlohmann::json::object(), TokenOf(kOtherTherapistEmail));

  EXPECT_TRUE(IsErrorAnswer(by_alex, 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(by_admin, 403, kPermissionDenied));
  EXPECT_TRUE(IsErrorAnswer(by_patient, 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(other_clinic, 404, kNotFound));
  EXPECT_EQ(QueryOne("SELECT COUNT(*) FROM one_time_tokens WHERE client_id = '" +
                     client.value("id", "") + "'"),
            "0");
}

TEST_F(IdentityApiTest, PortalInvitationNeedsAnEmailAddress) {
  const nlohmann::json client = CreateClient(TokenOf(kSamEmail));
  ASSERT_TRUE(client.is_object());

  HttpResponse invited = Rest().Post(ClientPath(client.value("id", "")) + ":inviteToPortal",
                                     nlohmann::json::object(), TokenOf(kSamEmail));

  EXPECT_TRUE(IsErrorAnswer(invited, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(invited.Json()), Contains("email"));
}

// --- Care teams ---

TEST_F(IdentityApiTest, CareTeamMemberGainsAndLosesAccessToTheClient) {
  const std::string sam = TokenOf(kSamEmail);
  const std::string alex = TokenOf(kAlexEmail);
  const nlohmann::json client = CreateClient(sam);
  ASSERT_TRUE(client.is_object());
  const std::string id = client.value("id", "");
  ASSERT_TRUE(IsErrorAnswer(Rest().Get(ClientPath(id), alex), 404, kNotFound));
  // Alex cannot add himself.
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Post(ClientPath(id) + "/careTeam", {{"userId", kAlexUserId}}, alex), 404, kNotFound));

  HttpResponse added = Rest().Post(ClientPath(id) + "/careTeam", {{"userId", kAlexUserId}}, sam);

  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_THAT(MemberIds(added.Json()), UnorderedElementsAre(kSamUserId, kAlexUserId));
  EXPECT_THAT(PrimaryIds(added.Json()), UnorderedElementsAre(kSamUserId));
  EXPECT_EQ(Rest().Get(ClientPath(id), alex).status, 200);
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Post(ClientPath(id) + "/careTeam", {{"userId", kAlexUserId}}, sam), 409));

  HttpResponse removed =
      Rest().Send("DELETE", ClientPath(id) + "/careTeam/" + kAlexUserId, "", sam);

  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_THAT(MemberIds(removed.Json()), UnorderedElementsAre(kSamUserId));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(ClientPath(id), alex), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Send("DELETE", ClientPath(id) + "/careTeam/" + kAlexUserId, "", sam), 404, kNotFound));
}

TEST_F(IdentityApiTest, SetPrimaryClinicianMovesThePrimaryFlag) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json client = CreateClient(sam);
  ASSERT_TRUE(client.is_object());
  const std::string id = client.value("id", "");
  const std::string make_alex_primary =
      ClientPath(id) + "/careTeam/" + kAlexUserId + ":makePrimary";
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Post(make_alex_primary, nlohmann::json::object(), sam), 404, kNotFound))
      << "Alex is not on the team yet";
  ASSERT_EQ(Rest().Post(ClientPath(id) + "/careTeam", {{"userId", kAlexUserId}}, sam).status, 200);

  HttpResponse primary = Rest().Post(make_alex_primary, nlohmann::json::object(), sam);

  ASSERT_EQ(primary.status, 200) << primary.body;
  EXPECT_THAT(PrimaryIds(primary.Json()), UnorderedElementsAre(kAlexUserId));
  const nlohmann::json listed = Rest().Get(ClientPath(id) + "/careTeam", sam).Json();
  EXPECT_THAT(PrimaryIds(listed), UnorderedElementsAre(kAlexUserId));
  EXPECT_THAT(MemberIds(listed), UnorderedElementsAre(kSamUserId, kAlexUserId));
}

TEST_F(IdentityApiTest, CareTeamTakesOnlyClinciansOfTheClinic) {
  const std::string sam = TokenOf(kSamEmail);
  const nlohmann::json client = CreateClient(sam);
  ASSERT_TRUE(client.is_object());
  const std::string id = client.value("id", "");

  for (const char* user_id : {kOtherTherapistUserId, kJoUserId, kKimUserId, kAdminUserId,
                              "0190d000-0000-7000-8000-0000deadbeef"}) {
    HttpResponse added = Rest().Post(ClientPath(id) + "/careTeam", {{"userId", user_id}}, sam);
    EXPECT_TRUE(IsErrorAnswer(added, 404, kNotFound)) << user_id;
  }
  HttpResponse listed = Rest().Get(ClientPath(id) + "/careTeam", sam);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_THAT(MemberIds(listed.Json()), UnorderedElementsAre(kSamUserId));
  // Another clinic's clinician cannot touch this team either.
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Post(ClientPath(id) + "/careTeam", {{"userId", kOtherTherapistUserId}},
                                TokenOf(kOtherTherapistEmail)),
                    404, kNotFound));
}

TEST_F(IdentityApiTest, PatientReadsHerOwnCareTeamOnly) {
  HttpResponse mine = Rest().Get("/v1/clients/me/careTeam", TokenOf(kJoEmail));
  HttpResponse hers = Rest().Get(ClientPath(kJoClientId) + "/careTeam", TokenOf(kRileyEmail));
  HttpResponse change =
      Rest().Post("/v1/clients/me/careTeam", {{"userId", kAlexUserId}}, TokenOf(kRileyEmail));

  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_THAT(MemberIds(mine.Json()), UnorderedElementsAre(kSamUserId, kAlexUserId));
  const nlohmann::json my_team = mine.Json();
  for (const nlohmann::json& member : my_team["members"]) {
    EXPECT_FALSE(member.value("displayName", "").empty());
  }
  EXPECT_TRUE(IsErrorAnswer(hers, 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(change, 403, kPermissionDenied));
  EXPECT_THAT(MemberIds(Rest().Get("/v1/clients/me/careTeam", TokenOf(kRileyEmail)).Json()),
              UnorderedElementsAre(kSamUserId));
}

// --- Partners ---

TEST_F(IdentityApiTest, PartnerSeesTheSharedViewAndNothingElse) {
  const std::string kim = TokenOf(kKimEmail);

  HttpResponse view = Rest().Get("/v1/clients/me/partnerView", kim);
  HttpResponse record = Rest().Get("/v1/clients/me", kim);
  HttpResponse riley = Rest().Get(ClientPath(kRileyClientId), kim);
  HttpResponse riley_view = Rest().Get(ClientPath(kRileyClientId) + "/partnerView", kim);
  HttpResponse care_team = Rest().Get("/v1/clients/me/careTeam", kim);

  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(view.Json().value("clientId", ""), kJoClientId);
  EXPECT_FALSE(view.Json().value("displayName", "").empty());
  EXPECT_THAT(SharesOf(view.Json()), Contains("PARTNER_SHARE_PLAN_SUMMARY"));
  EXPECT_TRUE(IsErrorAnswer(record, 403, kPermissionDenied));
  EXPECT_FALSE(record.Json().contains("legalGivenName"));
  EXPECT_TRUE(IsErrorAnswer(riley, 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(riley_view, 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(care_team, 403, kPermissionDenied));
  // The partner view is the partner's: Jo and Sam do not get it.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients/me/partnerView", TokenOf(kJoEmail)), 403,
                            kPermissionDenied));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(ClientPath(kJoClientId) + "/partnerView", TokenOf(kSamEmail)), 403,
                    kPermissionDenied));
}

TEST_F(IdentityApiTest, PatientListsHerPartners) {
  HttpResponse listed = Rest().Get("/v1/clients/me/partners", TokenOf(kJoEmail));

  ASSERT_EQ(listed.status, 200) << listed.body;
  const nlohmann::json partners = listed.Json()["partners"];
  ASSERT_FALSE(partners.empty());
  bool found = false;
  for (const nlohmann::json& link : partners) {
    if (link.value("id", "") == kKimPartnerLinkId) {
      found = true;
      EXPECT_EQ(link.value("partnerUserId", ""), kKimUserId);
      EXPECT_THAT(SharesOf(link), Contains("PARTNER_SHARE_PLAN_SUMMARY"));
      EXPECT_FALSE(link.contains("revokeTime"));
    }
  }
  EXPECT_TRUE(found) << listed.body;
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(ClientPath(kJoClientId) + "/partners", TokenOf(kRileyEmail)),
                            404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(ClientPath(kJoClientId) + "/partners", TokenOf(kSamEmail)),
                            403, kPermissionDenied));
}

TEST_F(IdentityApiTest, PartnerInvitationIsThePatientsAlone) {
  const nlohmann::json invitation = {{"email", "partner-" + Unique() + "@example.test"},
                                     {"displayName", "Partner"},
                                     {"shares", {"PARTNER_SHARE_PLAN_SUMMARY"}}};
  const std::string path = ClientPath(kJoClientId) + "/partners:invite";

  EXPECT_TRUE(
      IsErrorAnswer(Rest().Post(path, invitation, TokenOf(kSamEmail)), 403, kPermissionDenied));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Post(path, invitation, TokenOf(kAdminEmail)), 403, kPermissionDenied));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Post(path, invitation, TokenOf(kKimEmail)), 403, kPermissionDenied));
  EXPECT_TRUE(IsErrorAnswer(Rest().Post(path, invitation, TokenOf(kRileyEmail)), 404, kNotFound));
  EXPECT_EQ(QueryOne("SELECT COUNT(*) FROM one_time_tokens WHERE email = '" +
                     invitation["email"].get<std::string>() + "'"),
            "0");
}

TEST_F(IdentityApiTest, PatientInvitesUpdatesAndRevokesAPartner) {
  PortalPatient patient;
  ASSERT_TRUE(NewPortalPatient(&patient));
  const std::string me = SignIn(patient.email, patient.password);
  const std::string partner_email = "partner-" + Unique() + "@example.test";
  // Involving a partner needs her consent first.
  HttpResponse consent =
      Rest().Post("/v1/clients/me/consents",
                  {{"kind", "CONSENT_KIND_PARTNER_INVOLVEMENT"}, {"textVersion", "2026-01"}}, me);
  ASSERT_EQ(consent.status, 200) << consent.body;

  HttpResponse invited =
      Rest().Post("/v1/clients/me/partners:invite",
                  {{"email", partner_email},
                   {"displayName", "Alex Partner"},
                   {"shares", {"PARTNER_SHARE_PLAN_SUMMARY", "PARTNER_SHARE_GOALS"}}},
                  me);
  ASSERT_EQ(invited.status, 200) << invited.body;
  HttpResponse accepted = Accept(TokenSentTo(partner_email), kStrongPassword);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.Json().value("role", ""), "ROLE_PARTNER");
  EXPECT_EQ(accepted.Json().value("clientId", ""), patient.client_id);
  const std::string partner = SignIn(partner_email, kStrongPassword);
  HttpResponse view = Rest().Get("/v1/clients/me/partnerView", partner);
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(view.Json().value("clientId", ""), patient.client_id);
  EXPECT_THAT(SharesOf(view.Json()),
              UnorderedElementsAre("PARTNER_SHARE_PLAN_SUMMARY", "PARTNER_SHARE_GOALS"));
  HttpResponse listed = Rest().Get("/v1/clients/me/partners", me);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.Json()["partners"].size(), 1u) << listed.body;
  const std::string link_id = listed.Json()["partners"][0].value("id", "");
  EXPECT_EQ(listed.Json()["partners"][0].value("partnerDisplayName", ""), "Alex Partner");
  const std::string link_path = "/v1/clients/me/partners/" + link_id;
  // Jo cannot touch another patient's partner link.
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Post(link_path + ":revoke", nlohmann::json::object(), TokenOf(kJoEmail)),
                    404, kNotFound));

  HttpResponse updated = Rest().Post(link_path + ":updateShares",
                                     {{"shares", {"PARTNER_SHARE_PROGRESS_SUMMARY"}}}, me);

  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_THAT(SharesOf(updated.Json()), UnorderedElementsAre("PARTNER_SHARE_PROGRESS_SUMMARY"));
  EXPECT_THAT(SharesOf(Rest().Get("/v1/clients/me/partnerView", partner).Json()),
              UnorderedElementsAre("PARTNER_SHARE_PROGRESS_SUMMARY"));

  HttpResponse revoked = Rest().Post(link_path + ":revoke", nlohmann::json::object(), me);

  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_FALSE(revoked.Json().value("revokeTime", "").empty());
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get("/v1/clients/me/partnerView", partner), 401, kUnauthenticated));
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Post(link_path + ":updateShares", {{"shares", {"PARTNER_SHARE_GOALS"}}}, me), 400,
      kFailedPrecondition));
  const nlohmann::json after = Rest().Get("/v1/clients/me/partners", me).Json();
  ASSERT_EQ(after["partners"].size(), 1u);
  EXPECT_FALSE(after["partners"][0].value("revokeTime", "").empty());
  // Signing in again (if the server allows it at all) shows the partner nothing.
  HttpResponse again = LogIn(partner_email, kStrongPassword);
  if (again.status == 200) {
    EXPECT_TRUE(IsErrorAnswer(
        Rest().Get("/v1/clients/me/partnerView", again.Json().value("sessionToken", "")), 404,
        kNotFound));
  }
  // Kim, Jo's partner, is unaffected.
  EXPECT_EQ(Rest().Get("/v1/clients/me/partnerView", TokenOf(kKimEmail)).status, 200);
}

// --- Break-glass ---

TEST_F(IdentityApiTest, BreakGlassNeedsAReasonAndGrantsTimeLimitedFlaggedAccess) {
  const std::string alex = TokenOf(kAlexEmail);
  const std::string riley = ClientPath(kRileyClientId);
  ASSERT_TRUE(IsErrorAnswer(Rest().Get(riley, alex), 404, kNotFound));

  HttpResponse no_reason = Rest().Post(riley + ":breakGlass", {{"reason", "urgent"}}, alex);
  EXPECT_TRUE(IsErrorAnswer(no_reason, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(no_reason.Json()), Contains("reason"));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(riley, alex), 404, kNotFound));

  std::string grant_request;
  const std::string reason = "Patient in clinic with acute pain; Sam is away today";
  HttpResponse grant = SendTagged("POST", riley + ":breakGlass",
                                  nlohmann::json{{"reason", reason}}.dump(), alex, &grant_request);

  ASSERT_EQ(grant.status, 200) << grant.body;
  const nlohmann::json body = grant.Json();
  EXPECT_EQ(body.value("clientId", ""), kRileyClientId);
  EXPECT_EQ(body.value("userId", ""), kAlexUserId);
  EXPECT_EQ(body.value("reason", ""), reason);
  const int64_t created = EpochSeconds(body.value("createTime", ""));
  EXPECT_EQ(EpochSeconds(body.value("expireTime", "")) - created, 3600);
  EXPECT_NEAR(static_cast<double>(created - std::time(nullptr)), 0.0, 120.0);
  EXPECT_THAT(EventsOf(grant_request),
              UnorderedElementsAre("confide.v1.BreakGlassService.BreakGlass|success|OK|1"));

  std::string read_request;
  HttpResponse read = SendTagged("GET", riley, "", alex, &read_request);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json().value("id", ""), kRileyClientId);
  EXPECT_THAT(EventsOf(read_request),
              UnorderedElementsAre("confide.v1.ClientService.GetClient|success|OK|1"));
  // The care team's own reads are not flagged.
  std::string sam_request;
  ASSERT_EQ(SendTagged("GET", riley, "", TokenOf(kSamEmail), &sam_request).status, 200);
  EXPECT_THAT(EventsOf(sam_request),
              UnorderedElementsAre("confide.v1.ClientService.GetClient|success|OK|0"));
  // Emergency access is for care, not for changing who treats the client.
  EXPECT_TRUE(IsErrorAnswer(Rest().Post(riley + "/careTeam", {{"userId", kAlexUserId}}, alex), 403,
                            kPermissionDenied));
  EXPECT_THAT(MemberIds(Rest().Get(riley + "/careTeam", TokenOf(kSamEmail)).Json()),
              UnorderedElementsAre(kSamUserId));
}

TEST_F(IdentityApiTest, BreakGlassGrantsAreListedWithTheReasonToTheAdminOnly) {
  const nlohmann::json client = CreateClient(TokenOf(kSamEmail));
  ASSERT_TRUE(client.is_object());
  const std::string id = client.value("id", "");
  const std::string reason = "Covering for Sam: urgent question about exercises";
  HttpResponse grant = Rest().Post(ClientPath(id) + ":breakGlass",
                                   {{"reason", reason}, {"duration", "300s"}}, TokenOf(kAlexEmail));
  ASSERT_EQ(grant.status, 200) << grant.body;
  const std::string grant_id = grant.Json().value("id", "");
  EXPECT_EQ(EpochSeconds(grant.Json().value("expireTime", "")) -
                EpochSeconds(grant.Json().value("createTime", "")),
            300);
  const std::string list_path = "/v1/breakGlassGrants?clientId=" + id;

  HttpResponse by_admin = Rest().Get(list_path, TokenOf(kAdminEmail));
  HttpResponse by_auditor = Rest().Get(list_path, TokenOf(kAuditorEmail));
  HttpResponse by_clinician = Rest().Get(list_path, TokenOf(kSamEmail));
  HttpResponse by_patient = Rest().Get(list_path, TokenOf(kJoEmail));

  ASSERT_EQ(by_admin.status, 200) << by_admin.body;
  ASSERT_EQ(by_admin.Json()["grants"].size(), 1u) << by_admin.body;
  const nlohmann::json admin_view = by_admin.Json()["grants"][0];
  EXPECT_EQ(admin_view.value("id", ""), grant_id);
  EXPECT_EQ(admin_view.value("userId", ""), kAlexUserId);
  EXPECT_EQ(admin_view.value("clientId", ""), id);
  EXPECT_EQ(admin_view.value("reason", ""), reason);
  ASSERT_EQ(by_auditor.status, 200) << by_auditor.body;
  ASSERT_EQ(by_auditor.Json()["grants"].size(), 1u) << by_auditor.body;
  EXPECT_EQ(by_auditor.Json()["grants"][0].value("id", ""), grant_id);
  EXPECT_EQ(by_auditor.Json()["grants"][0].value("reason", ""), "");
  EXPECT_THAT(by_auditor.body, Not(HasSubstr("Covering for Sam")));
  EXPECT_TRUE(IsErrorAnswer(by_clinician, 403, kPermissionDenied));
  EXPECT_TRUE(IsErrorAnswer(by_patient, 403, kPermissionDenied));
  // The reason is sealed at rest.
  EXPECT_THAT(
      QueryOne("SELECT reason_sealed FROM break_glass_grants WHERE id = '" + grant_id + "'"),
      Not(HasSubstr("Covering")));
  // The unfiltered list has it too.
  EXPECT_THAT(Rest().Get("/v1/breakGlassGrants?pageSize=500", TokenOf(kAdminEmail)).body,
              HasSubstr(grant_id));
}

TEST_F(IdentityApiTest, BreakGlassIsRefusedToTheCareTeamOtherRolesAndOtherClinics) {
  const nlohmann::json request = {{"reason", "Checking something urgent for the patient"}};
  const std::string path = ClientPath(kRileyClientId) + ":breakGlass";

  EXPECT_TRUE(
      IsErrorAnswer(Rest().Post(path, request, TokenOf(kSamEmail)), 403, kPermissionDenied));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Post(path, request, TokenOf(kAdminEmail)), 403, kPermissionDenied));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Post(path, request, TokenOf(kOtherTherapistEmail)), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Rest().Post(path, request, TokenOf(kJoEmail)), 404, kNotFound));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Post(ClientPath(kRileyClientId) + ":breakGlass",
                                {{"reason", "A long enough reason here"}, {"duration", "18000s"}},
                                TokenOf(kAlexEmail)),
                    400, kInvalidArgument));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(ClientPath(kRileyClientId), TokenOf(kOtherTherapistEmail)),
                            404, kNotFound));
  EXPECT_EQ(QueryOne(std::string("SELECT COUNT(*) FROM break_glass_grants WHERE user_id IN ('") +
                     kSamUserId + "', '" + kAdminUserId + "', '" + kOtherTherapistUserId + "')"),
            "0");
}

// --- The audit trail of refusals ---

TEST_F(IdentityApiTest, DenialsAreAuditedAsDenied) {
  std::string forbidden_request;
  HttpResponse forbidden = SendTagged("POST", "/v1/staff:invite",
                                      nlohmann::json{{"email", "x-" + Unique() + "@clinic.test"},
                                                     {"displayName", "X"},
                                                     {"role", "ROLE_AUDITOR"}}
                                          .dump(),
                                      TokenOf(kSamEmail), &forbidden_request);
  std::string hidden_request;
  HttpResponse hidden = SendTagged("GET", ClientPath(kJoClientId) + "/careTeam", "",
                                   TokenOf(kRileyEmail), &hidden_request);

  ASSERT_TRUE(IsErrorAnswer(forbidden, 403, kPermissionDenied));
  ASSERT_TRUE(IsErrorAnswer(hidden, 404, kNotFound));
  EXPECT_THAT(
      EventsOf(forbidden_request),
      UnorderedElementsAre("confide.v1.StaffService.InviteStaff|denied|PERMISSION_DENIED|0"));
  EXPECT_THAT(EventsOf(hidden_request),
              UnorderedElementsAre("confide.v1.CareTeamService.ListCareTeam|denied|NOT_FOUND|0"));
  EXPECT_EQ(QueryOne("SELECT actor_user_id FROM audit_events WHERE request_id = '" +
                     hidden_request + "'"),
            kRileyUserId);
}

// --- Lockout ---

TEST_F(IdentityApiTest, FiveFailedSignInsLockKnownAndUnknownEmailsAlike) {
  PortalPatient patient;
  ASSERT_TRUE(NewPortalPatient(&patient));
  const std::string session = SignIn(patient.email, patient.password);
  const std::string unknown = "nobody-" + Unique() + "@example.test";

  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(
        IsErrorAnswer(LogIn(patient.email, "not-the-password-at-all"), 401, kUnauthenticated))
        << i;
    EXPECT_TRUE(IsErrorAnswer(LogIn(unknown, "not-the-password-at-all"), 401, kUnauthenticated))
        << i;
  }
  HttpResponse known_locked = LogIn(patient.email, patient.password);
  HttpResponse unknown_locked = LogIn(unknown, "not-the-password-at-all");

  for (const HttpResponse* locked : {&known_locked, &unknown_locked}) {
    EXPECT_TRUE(IsErrorAnswer(*locked, 429, kResourceExhausted));
    EXPECT_EQ(ReasonOf(*locked), "SIGN_IN_LOCKED") << locked->body;
    EXPECT_FALSE(locked->Json().contains("sessionToken"));
    // The first lock lasts 30 s; Retry-After says how long is left (rounded up).
    ASSERT_TRUE(locked->headers.count("retry-after")) << locked->body;
    const int retry_after = std::stoi(locked->headers.at("retry-after"));
    EXPECT_GE(retry_after, 25);
    EXPECT_LE(retry_after, 30);
  }
  // A lock stops sign-ins, not the sessions already open, and not other accounts.
  EXPECT_EQ(Rest().Get("/v1/clients/me", session).status, 200);
  PortalPatient other;
  ASSERT_TRUE(NewPortalPatient(&other));
  EXPECT_EQ(LogIn(other.email, other.password).status, 200);
}

TEST_F(IdentityApiTest, WrongTotpCodesCountTowardsTheLockout) {
  StaffAccount staff;
  ASSERT_TRUE(NewStaff(&staff));
  for (int i = 0; i < 5; ++i) {
    HttpResponse wrong = LogInWithTotp(staff.email, staff.password, WrongTotpCode(staff.secret));
    EXPECT_EQ(ReasonOf(wrong), "MFA_CODE_INVALID") << i << " " << wrong.body;
  }

  HttpResponse right = LogInWithTotp(staff.email, staff.password, NextTotpCode(staff));

  EXPECT_TRUE(IsErrorAnswer(right, 429, kResourceExhausted));
  EXPECT_EQ(ReasonOf(right), "SIGN_IN_LOCKED") << right.body;
  EXPECT_EQ(Rest().Get("/v1/clients", staff.token).status, 200);
}

// --- The same rules over gRPC ---

TEST_F(IdentityApiTest, GrpcStaffLoginWithoutCodeCarriesMfaRequiredErrorInfo) {
  v1::LoginRequest request;
  request.set_email(kSamEmail);
  request.set_password(kDemoPassword);
  v1::LoginResponse response;

  grpc::Status status =
      v1::AuthService::NewStub(channel())->Login(Context().get(), request, &response);

  ASSERT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  EXPECT_TRUE(response.session_token().empty());
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  std::string reason;
  for (const auto& detail : details.details()) {
    google::rpc::ErrorInfo info;
    if (detail.UnpackTo(&info)) {
      reason = info.reason();
    }
  }
  EXPECT_EQ(reason, "MFA_REQUIRED");
}

TEST_F(IdentityApiTest, GrpcStaffListAndBreakGlassFollowTheSameRules) {
  auto staff_stub = v1::StaffService::NewStub(channel());
  v1::ListStaffRequest list_request;
  list_request.set_page_size(500);
  v1::ListStaffResponse staff;
  grpc::Status listed =
      staff_stub->ListStaff(Context(TokenOf(kAdminEmail)).get(), list_request, &staff);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  bool found_sam = false;
  for (const v1::StaffMember& member : staff.staff()) {
    EXPECT_NE(member.user().role(), v1::ROLE_PATIENT);
    EXPECT_NE(member.user().role(), v1::ROLE_PARTNER);
    EXPECT_EQ(member.user().clinic_id(), kDemoClinicId);
    if (member.user().id() == kSamUserId) {
      found_sam = true;
      EXPECT_TRUE(member.active());
      EXPECT_TRUE(member.mfa_enrolled());
      EXPECT_EQ(member.user().discipline(), v1::DISCIPLINE_SEX_THERAPIST);
    }
  }
  EXPECT_TRUE(found_sam);

  v1::BreakGlassRequest request;
  request.set_client_id(kRileyClientId);
  request.set_reason("On the care team already, should be refused");
  v1::BreakGlassGrant grant;
  grpc::Status refused = v1::BreakGlassService::NewStub(channel())->BreakGlass(
      Context(TokenOf(kSamEmail)).get(), request, &grant);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED) << refused.error_message();
  EXPECT_TRUE(grant.id().empty());
}

// "Forgot my password" answers the same for every address; the link goes to the account.
TEST_F(IdentityApiTest, ForgottenPasswordLinkGoesToTheAccountAndResetsIt) {
  PortalPatient patient;
  ASSERT_TRUE(NewPortalPatient(&patient));
  const std::string old_session = SignIn(patient.email, patient.password);

  HttpResponse known = Rest().Post("/v1/auth/password:requestReset", {{"email", patient.email}});
  HttpResponse unknown = Rest().Post("/v1/auth/password:requestReset",
                                     {{"email", "nobody-" + Unique() + "@example.test"}});
  ASSERT_EQ(known.status, 200) << known.body;
  EXPECT_EQ(unknown.status, known.status);
  EXPECT_EQ(unknown.body, known.body);
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Post("/v1/auth/password:requestReset", {{"email", "not-an-email"}}), 400,
                    kInvalidArgument));

  const std::string token = TokenSentTo(patient.email);
  ASSERT_FALSE(token.empty());
  HttpResponse reset = Rest().Post("/v1/auth/password:reset",
                                   {{"token", token}, {"newPassword", "forgotten-Then-Reset-26"}});
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_TRUE(IsErrorAnswer(Rest().Get("/v1/clients/me", old_session), 401, kUnauthenticated));
  EXPECT_EQ(LogIn(patient.email, "forgotten-Then-Reset-26").status, 200);
  EXPECT_TRUE(IsErrorAnswer(LogIn(patient.email, patient.password), 401, kUnauthenticated));
}

// The server's log carries request ids, RPC names and codes only: no password, token, TOTP
// secret or email, whatever the suite did before this test.
TEST_F(IdentityApiTest, ServerLogHoldsNoSecretsOrEmails) {
  // Make sure the log has seen a sign-in, a failed one and an authenticated request.
  ASSERT_EQ(LogIn(kRileyEmail, kDemoPassword).status, 200);
  ASSERT_EQ(LogIn(kRileyEmail, "not-the-password-at-all").status, 401);
  ASSERT_EQ(Rest().Get("/v1/clients/me", TokenOf(kJoEmail)).status, 200);

  const std::string log = server().Log();
  ASSERT_NE(log.find("\"request\""), std::string::npos) << "the server logged no requests";
  for (const std::string& secret :
       {std::string(kDemoPassword), std::string("not-the-password-at-all"),
        std::string(kDemoTotpSecret), TokenOf(kJoEmail), TokenOf(kSamEmail), TokenOf(kKimEmail),
        std::string(kRileyEmail), std::string(kSamEmail), std::string("@demo.confide.test")}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "the server log contains " << secret;
  }
}

}  // namespace
}  // namespace confide::api_test
