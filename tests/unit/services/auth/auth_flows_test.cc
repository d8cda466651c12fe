// Identity flows end to end: the real auth, account, staff, portal, break-glass, care-team and
// client services behind the real Pipeline, over the in-memory database, with a clock the test
// moves.

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/openssl_message_authenticator.h"
#include "confide/v1/access.pb.h"
#include "confide/v1/auth.pb.h"
#include "confide/v1/clients.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/empty.pb.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/api/bounded_executor.h"
#include "services/api/error_info.h"
#include "services/api/field_errors.h"
#include "services/api/method_table.h"
#include "services/api/pipeline.h"
#include "services/auth/account_service.h"
#include "services/auth/auth_service.h"
#include "services/auth/authenticator.h"
#include "services/auth/invitations.h"
#include "services/auth/password_checker.h"
#include "services/auth/sign_in_throttle.h"
#include "services/auth/totp.h"
#include "services/break_glass/break_glass_service.h"
#include "services/care_team/care_team_service.h"
#include "services/clients/client_service.h"
#include "services/common/base32.h"
#include "services/common/timestamps.h"
#include "services/consents/ports/consent_repository.h"
#include "services/messaging/ports/outbox.h"
#include "services/partners/portal_access_service.h"
#include "services/policy/access_policy.h"
#include "services/staff/staff_service.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/fakes/fake_password_hasher.h"
#include "tests/fakes/fake_secret_generator.h"
#include "tests/fakes/in_memory_unit_of_work.h"
#include "tests/fakes/pipeline_test_support.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// A step boundary of RFC 6238's 30-second steps.
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 30, 0), absl::UTCTimeZone());
constexpr char kPassword[] = "demo-Confide-2026";
constexpr char kWrongPassword[] = "guess-it-1234";
constexpr char kClinicA[] = "clinic-a";
constexpr char kClinicB[] = "clinic-b";
constexpr char kSourceAddress[] = "198.51.100.7";
// Every enrolled account's TOTP secret (raw bytes, RFC 6238's test key); each account keeps its
// own last-used step.
constexpr char kTotpSecret[] = "12345678901234567890";

constexpr char kSamId[] = "00000000-0000-7000-8000-0000000005a1";
constexpr char kAlexId[] = "00000000-0000-7000-8000-0000000005a2";
constexpr char kAdminId[] = "00000000-0000-7000-8000-0000000005a3";
constexpr char kAuditorId[] = "00000000-0000-7000-8000-0000000005a4";
constexpr char kNoraId[] = "00000000-0000-7000-8000-0000000005a5";
constexpr char kJoUserId[] = "00000000-0000-7000-8000-0000000005a6";
constexpr char kOtherId[] = "00000000-0000-7000-8000-0000000005b1";
constexpr char kSam[] = "sam@demo.confide.test";
constexpr char kAlex[] = "alex@demo.confide.test";
constexpr char kAdmin[] = "admin@demo.confide.test";
constexpr char kAuditor[] = "auditor@demo.confide.test";
constexpr char kNora[] = "nora@demo.confide.test";
constexpr char kJo[] = "jo@demo.confide.test";

constexpr char kJoId[] = "00000000-0000-7000-8000-00000000c001";
constexpr char kRileyId[] = "00000000-0000-7000-8000-00000000c002";
constexpr char kCaseyId[] = "00000000-0000-7000-8000-00000000c003";
constexpr char kMissingClientId[] = "00000000-0000-7000-8000-00000000c0ff";

constexpr char kLogin[] = "confide.v1.AuthService.Login";
constexpr char kListMySessions[] = "confide.v1.AuthService.ListMySessions";
constexpr char kRevokeMySession[] = "confide.v1.AuthService.RevokeMySession";
constexpr char kChangePassword[] = "confide.v1.AuthService.ChangePassword";
constexpr char kResetPassword[] = "confide.v1.AuthService.ResetPassword";
constexpr char kRequestReset[] = "confide.v1.AuthService.RequestPasswordReset";
constexpr char kAcceptInvitation[] = "confide.v1.AuthService.AcceptInvitation";
constexpr char kBeginTotp[] = "confide.v1.AuthService.BeginTotpEnrollment";
constexpr char kConfirmTotp[] = "confide.v1.AuthService.ConfirmTotpEnrollment";
constexpr char kGetClient[] = "confide.v1.ClientService.GetClient";
constexpr char kListClients[] = "confide.v1.ClientService.ListClients";
constexpr char kInviteStaff[] = "confide.v1.StaffService.InviteStaff";
constexpr char kDeactivateStaff[] = "confide.v1.StaffService.DeactivateStaff";
constexpr char kIssueReset[] = "confide.v1.StaffService.IssueStaffPasswordReset";
constexpr char kAddCareTeamMember[] = "confide.v1.CareTeamService.AddCareTeamMember";
constexpr char kInvitePartner[] = "confide.v1.PortalAccessService.InvitePartner";
constexpr char kInviteToPortal[] = "confide.v1.PortalAccessService.InviteClientToPortal";
constexpr char kRevokePartner[] = "confide.v1.PortalAccessService.RevokePartner";
constexpr char kGetPartnerView[] = "confide.v1.PortalAccessService.GetPartnerView";
constexpr char kBreakGlass[] = "confide.v1.BreakGlassService.BreakGlass";

std::map<std::string, std::string> ErrorMetadata(const absl::Status& status) {
  auto payload = status.GetPayload(std::string(kErrorInfoPayloadUrl));
  google::rpc::ErrorInfo info;
  if (!payload.has_value() || !info.ParseFromString(std::string(*payload))) {
    return {};
  }
  return {info.metadata().begin(), info.metadata().end()};
}

// The whole answer a caller sees, for "the same answer" comparisons.
struct Answer {
  absl::StatusCode code;
  std::string message;
  std::string reason;
  std::map<std::string, std::string> metadata;
  bool operator==(const Answer&) const = default;
};

Answer AnswerOf(const absl::Status& status) {
  return {status.code(), std::string(status.message()), ErrorReason(status), ErrorMetadata(status)};
}

void PrintTo(const Answer& a, std::ostream* os) {
  *os << absl::StatusCodeToString(a.code) << " \"" << a.message << "\" reason=" << a.reason;
  for (const auto& [k, v] : a.metadata) {
    *os << " " << k << "=" << v;
  }
}

class AuthFlowsTest : public ::testing::Test {
 protected:
  AuthFlowsTest() {
    auth_service_.Register(table_);
    account_service_.Register(table_);
    staff_service_.Register(table_);
    portal_service_.Register(table_);
    break_glass_service_.Register(table_);
    care_team_service_.Register(table_);
    client_service_.Register(table_);
    Seed();
  }

  // Clinic A: clinicians Sam (care team of Jo) and Alex (care team of Riley), admin, auditor,
  // clinician Nora (care team of Jo, no TOTP enrolled) and patient Jo; clinic B: clinician Other
  // and client Casey. Every staff member but Nora has TOTP enrolled; Jo has none.
  void Seed() {
    const SeedDirectory directory{
        .clinics = {kClinicA, kClinicB},
        .users =
            {
                {kSamId, kSam, kClinicA, v1::ROLE_CLINICIAN, "", kTotpSecret},
                {kAlexId, kAlex, kClinicA, v1::ROLE_CLINICIAN, "", kTotpSecret},
                {kAdminId, kAdmin, kClinicA, v1::ROLE_ADMIN, "", kTotpSecret},
                {kAuditorId, kAuditor, kClinicA, v1::ROLE_AUDITOR, "", kTotpSecret},
                {kNoraId, kNora, kClinicA, v1::ROLE_CLINICIAN, "", ""},
                {kJoUserId, kJo, kClinicA, v1::ROLE_PATIENT, kJoId, ""},
                {kOtherId, "other@demo.confide.test", kClinicB, v1::ROLE_CLINICIAN, "",
                 kTotpSecret},
            },
        .password_hash = "h:" + std::string(kPassword),
        .clients = {{kJoId, kClinicA, "Given", {kSamId, kNoraId}},
                    {kRileyId, kClinicA, "Given", {kAlexId}},
                    {kCaseyId, kClinicB, "Given", {kOtherId}}},
    };
    const absl::Status seeded = db_.Seed([&](UnitOfWork& uow) -> absl::Status {
      if (absl::Status s = SeedAll(uow, directory, box_, kNow); !s.ok()) {
        return s;
      }
      // Jo has consented to involving a partner: inviting one requires it.
      return uow.consents().Insert(ConsentRecord{.id = "00000000-0000-7000-8000-00000000d001",
                                                 .clinic_id = kClinicA,
                                                 .client_id = kJoId,
                                                 .kind = v1::CONSENT_KIND_PARTNER_INVOLVEMENT,
                                                 .text_version = "2026-01",
                                                 .state = v1::CONSENT_STATE_GIVEN,
                                                 .give_time = kNow,
                                                 .recorded_by_user_id = kSamId,
                                                 .recorded_by_role = v1::ROLE_CLINICIAN},
                                   "");
    });
    ASSERT_TRUE(seeded.ok()) << seeded;
  }

  template <typename Response>
  absl::StatusOr<Response> Call(std::string_view method, const google::protobuf::Message& request,
                                const std::string& token) {
    return CallThroughPipeline<Response>(
        pipeline_, method, request,
        CallContext{
            .bearer_token = token, .request_id = "req-1", .source_address = source_address_});
  }

  // --- Sign-in ---

  std::string CodeAt(int64_t step_offset) const {
    return TotpCode(mac_, kTotpSecret, TotpStep(clock_.Now()) + step_offset);
  }

  absl::StatusOr<v1::LoginResponse> Login(const std::string& email, const std::string& password,
                                          const std::string& totp_code = "",
                                          const std::string& recovery_code = "") {
    v1::LoginRequest request;
    request.set_email(email);
    request.set_password(password);
    request.set_totp_code(totp_code);
    request.set_recovery_code(recovery_code);
    return Call<v1::LoginResponse>(kLogin, request, "");
  }

  // A code for `email`'s account no sign-in has used yet: the current step's, or the next one's
  // when the current one was used (still within the ±1 window).
  std::string FreshCode(const std::string& email) const {
    int64_t last = 0;
    for (const auto& [id, user] : db_.Committed().users) {
      if (user.user.email() == email) {
        last = user.totp_last_step;
      }
    }
    const int64_t current = TotpStep(clock_.Now());
    for (int64_t step = current; step <= current + 1; ++step) {
      if (step > last) {
        return TotpCode(mac_, kTotpSecret, step);
      }
    }
    ADD_FAILURE() << "no unused TOTP code left at this time for " << email;
    return "";
  }

  // Signs in with the right password and (for enrolled accounts) a fresh code; returns the
  // session token, or "" after recording a failure.
  std::string SignIn(const std::string& email, const std::string& password = kPassword) {
    absl::StatusOr<v1::LoginResponse> login = Login(email, password, FreshCode(email));
    if (!login.ok()) {
      ADD_FAILURE() << "sign-in of " << email << " failed: " << login.status();
      return "";
    }
    return login->session_token();
  }

  // --- Calls ---

  absl::StatusOr<v1::Client> GetClient(const std::string& token, const std::string& client_id) {
    v1::GetClientRequest request;
    request.set_client_id(client_id);
    return Call<v1::Client>(kGetClient, request, token);
  }

  absl::StatusOr<v1::ListMySessionsResponse> ListMySessions(const std::string& token) {
    return Call<v1::ListMySessionsResponse>(kListMySessions, v1::ListMySessionsRequest(), token);
  }

  absl::Status RevokeMySession(const std::string& token, const std::string& session_id) {
    v1::RevokeMySessionRequest request;
    request.set_session_id(session_id);
    return Call<google::protobuf::Empty>(kRevokeMySession, request, token).status();
  }

  absl::Status ChangePassword(const std::string& token, const std::string& current,
                              const std::string& next) {
    v1::ChangePasswordRequest request;
    request.set_current_password(current);
    request.set_new_password(next);
    return Call<google::protobuf::Empty>(kChangePassword, request, token).status();
  }

  absl::Status RequestReset(const std::string& email) {
    v1::RequestPasswordResetRequest request;
    request.set_email(email);
    return Call<google::protobuf::Empty>(kRequestReset, request, "").status();
  }

  absl::Status ResetPassword(const std::string& reset_token, const std::string& next) {
    v1::ResetPasswordRequest request;
    request.set_token(reset_token);
    request.set_new_password(next);
    return Call<google::protobuf::Empty>(kResetPassword, request, "").status();
  }

  absl::StatusOr<v1::User> AcceptInvitation(const std::string& invitation_token,
                                            const std::string& password) {
    v1::AcceptInvitationRequest request;
    request.set_token(invitation_token);
    request.set_password(password);
    return Call<v1::User>(kAcceptInvitation, request, "");
  }

  absl::StatusOr<v1::Invitation> InviteStaff(const std::string& admin, const std::string& email) {
    v1::InviteStaffRequest request;
    request.set_email(email);
    request.set_display_name("New Clinician");
    request.set_role(v1::ROLE_CLINICIAN);
    request.set_discipline(v1::DISCIPLINE_SEX_THERAPIST);
    return Call<v1::Invitation>(kInviteStaff, request, admin);
  }

  absl::StatusOr<v1::Invitation> IssueReset(const std::string& admin, const std::string& user_id) {
    v1::IssueStaffPasswordResetRequest request;
    request.set_user_id(user_id);
    return Call<v1::Invitation>(kIssueReset, request, admin);
  }

  absl::StatusOr<v1::StaffMember> Deactivate(const std::string& admin, const std::string& user_id) {
    v1::DeactivateStaffRequest request;
    request.set_user_id(user_id);
    return Call<v1::StaffMember>(kDeactivateStaff, request, admin);
  }

  absl::StatusOr<v1::Invitation> InvitePartner(const std::string& token, const std::string& email,
                                               const std::string& client_id = "me") {
    v1::InvitePartnerRequest request;
    request.set_client_id(client_id);
    request.set_email(email);
    request.set_display_name("Pat");
    request.add_shares(v1::PARTNER_SHARE_PLAN_SUMMARY);
    request.add_shares(v1::PARTNER_SHARE_GOALS);
    return Call<v1::Invitation>(kInvitePartner, request, token);
  }

  absl::StatusOr<v1::PartnerView> GetPartnerView(const std::string& partner) {
    v1::GetPartnerViewRequest request;
    request.set_client_id(kJoId);
    return Call<v1::PartnerView>(kGetPartnerView, request, partner);
  }

  absl::StatusOr<v1::BreakGlassGrant> BreakGlass(const std::string& token,
                                                 const std::string& client_id,
                                                 const std::string& reason) {
    v1::BreakGlassRequest request;
    request.set_client_id(client_id);
    request.set_reason(reason);
    return Call<v1::BreakGlassGrant>(kBreakGlass, request, token);
  }

  // Enrols the signed-in caller in TOTP; returns the raw secret and the recovery codes.
  std::pair<std::string, std::vector<std::string>> EnrollTotp(const std::string& token) {
    absl::StatusOr<v1::BeginTotpEnrollmentResponse> begun =
        Call<v1::BeginTotpEnrollmentResponse>(kBeginTotp, v1::BeginTotpEnrollmentRequest(), token);
    if (!begun.ok()) {
      ADD_FAILURE() << "BeginTotpEnrollment: " << begun.status();
      return {};
    }
    std::optional<std::string> secret = Base32Decode(begun->secret());
    if (!secret.has_value()) {
      ADD_FAILURE() << "the secret is not base32: " << begun->secret();
      return {};
    }
    v1::ConfirmTotpEnrollmentRequest confirm;
    confirm.set_totp_code(TotpCode(mac_, *secret, TotpStep(clock_.Now())));
    absl::StatusOr<v1::ConfirmTotpEnrollmentResponse> confirmed =
        Call<v1::ConfirmTotpEnrollmentResponse>(kConfirmTotp, confirm, token);
    if (!confirmed.ok()) {
      ADD_FAILURE() << "ConfirmTotpEnrollment: " << confirmed.status();
      return {};
    }
    return {*secret, {confirmed->recovery_codes().begin(), confirmed->recovery_codes().end()}};
  }

  // --- State ---

  std::string SessionIdOf(const std::string& token) const {
    for (const auto& [id, session] : db_.Committed().sessions) {
      if (session.token_digest == secrets_.Digest(token)) {
        return id;
      }
    }
    ADD_FAILURE() << "no stored session for the token";
    return "";
  }

  std::string PasswordHashOf(const std::string& user_id) const {
    return db_.Committed().users.at(user_id).password_hash;
  }

  std::optional<ThrottleRecord> EmailThrottle(const std::string& email) const {
    const InMemoryDatabase committed = db_.Committed();
    auto it = committed.sign_in_throttle.find(EmailThrottleKey(mac_, lockout_, email));
    if (it == committed.sign_in_throttle.end()) {
      return std::nullopt;
    }
    return it->second;
  }

  // The token of the newest committed outbox message to `email`, opened as the mail relay
  // would; "" after recording a failure when there is none.
  std::string TokenSentTo(const std::string& email) const {
    const std::string to = absl::AsciiStrToLower(email);
    const InMemoryDatabase committed = db_.Committed();
    const OutboundMessage* newest = nullptr;
    for (const auto& [id, message] : committed.outbox) {
      if (message.recipient_email == to &&
          (newest == nullptr ||
           std::tie(newest->create_time, newest->id) < std::tie(message.create_time, message.id))) {
        newest = &message;
      }
    }
    if (newest == nullptr) {
      ADD_FAILURE() << "no message to " << email << " in the outbox";
      return "";
    }
    absl::StatusOr<std::string> token =
        box_.Open(newest->token_sealed, OutboundTokenContext(newest->id));
    if (!token.ok()) {
      ADD_FAILURE() << "the token to " << email << " does not open: " << token.status();
      return "";
    }
    return *token;
  }

  // Drops the committed audit trail (only to keep long simulations fast).
  void ForgetAuditEvents() {
    ASSERT_TRUE(db_.Seed([](UnitOfWork& uow) {
                     dynamic_cast<InMemoryUnitOfWork&>(uow).state().audit_events.clear();
                     return absl::OkStatus();
                   })
                    .ok());
  }

  AuditEvent LastAuditEvent() const { return LastAuditEventOf(db_); }

  FakeClock clock_{kNow};
  FakeIdGenerator session_ids_{"session"};
  FakeIdGenerator account_ids_{"account"};
  FakeIdGenerator staff_ids_{"staff"};
  FakeIdGenerator portal_ids_{"portal"};
  FakeIdGenerator grant_ids_{"grant"};
  FakeIdGenerator client_ids_{"client"};
  FakeIdGenerator event_ids_{"event"};
  FakeSecretGenerator secrets_;
  FakePasswordHasher hasher_;
  InMemoryTransactionRunner db_;
  MethodTable table_;
  AesGcmSecretBox box_{std::string(32, 'k')};
  OpenSslMessageAuthenticator mac_;
  PasswordChecker passwords_{hasher_, secrets_};
  const LockoutPolicy lockout_{};
  AuthService auth_service_{passwords_, secrets_,        session_ids_, box_,
                            mac_,       SessionPolicy{}, lockout_};
  AccountService account_service_{passwords_, secrets_, account_ids_, box_, mac_};
  StaffService staff_service_{secrets_, staff_ids_, box_};
  PortalAccessService portal_service_{secrets_, portal_ids_, box_};
  BreakGlassService break_glass_service_{grant_ids_, box_};
  CareTeamService care_team_service_;
  ClientService client_service_{client_ids_};
  Authenticator authenticator_{secrets_};
  BoundedExecutor executor_{1, 4};
  Pipeline pipeline_{table_, authenticator_, db_, executor_, clock_, event_ids_};
  std::string source_address_ = kSourceAddress;
};

// ============================== TOTP ==========================================================

TEST_F(AuthFlowsTest, TotpCodeOneStepEitherSideIsAccepted) {
  absl::StatusOr<v1::LoginResponse> behind = Login(kSam, kPassword, CodeAt(-1));
  EXPECT_TRUE(behind.ok()) << behind.status();
  absl::StatusOr<v1::LoginResponse> ahead = Login(kSam, kPassword, CodeAt(+1));
  EXPECT_TRUE(ahead.ok()) << ahead.status();
  EXPECT_TRUE(Login(kAlex, kPassword, CodeAt(0)).ok());
}

TEST_F(AuthFlowsTest, TotpCodeTwoStepsAwayIsRefusedAsMfaCodeInvalid) {
  for (int offset : {-2, +2}) {
    SCOPED_TRACE(offset);
    const absl::Status status = Login(kSam, kPassword, CodeAt(offset)).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(ErrorReason(status), "MFA_CODE_INVALID");
  }
  EXPECT_THAT(db_.Committed().sessions, IsEmpty());
}

TEST_F(AuthFlowsTest, TotpCodeIsAcceptedOnlyOnce) {
  const std::string code = CodeAt(0);
  ASSERT_TRUE(Login(kSam, kPassword, code).ok());

  const absl::Status replay = Login(kSam, kPassword, code).status();
  EXPECT_EQ(replay.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ErrorReason(replay), "MFA_CODE_INVALID");
  // An earlier step's code, though within the window, is older than the one used.
  EXPECT_EQ(ErrorReason(Login(kSam, kPassword, CodeAt(-1)).status()), "MFA_CODE_INVALID");
  // Still usable half a minute later (only one step per sign-in is burnt).
  clock_.Advance(absl::Seconds(30));
  EXPECT_TRUE(Login(kSam, kPassword, CodeAt(0)).ok());
}

TEST_F(AuthFlowsTest, PasswordWithoutCodeIsMfaRequiredAndNotCountedTowardsLockout) {
  for (int i = 0; i < 2 * lockout_.email_threshold; ++i) {
    const absl::Status status = Login(kSam, kPassword).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(ErrorReason(status), "MFA_REQUIRED");
  }
  EXPECT_THAT(db_.Committed().sign_in_throttle, IsEmpty());
  EXPECT_THAT(db_.Committed().sessions, IsEmpty());
  absl::StatusOr<v1::LoginResponse> login = Login(kSam, kPassword, CodeAt(0));
  EXPECT_TRUE(login.ok()) << login.status();
}

TEST_F(AuthFlowsTest, WrongTotpCodesCountTowardsLockout) {
  for (int i = 0; i < lockout_.email_threshold; ++i) {
    EXPECT_EQ(ErrorReason(Login(kSam, kPassword, CodeAt(+3)).status()), "MFA_CODE_INVALID");
  }
  EXPECT_EQ(ErrorReason(Login(kSam, kPassword, CodeAt(0)).status()), "SIGN_IN_LOCKED");
}

TEST_F(AuthFlowsTest, RecoveryCodeWorksOnceIgnoringCaseDashesAndSpaces) {
  const std::string nora = SignIn(kNora);
  const auto [secret, codes] = EnrollTotp(nora);
  ASSERT_THAT(codes, SizeIs(10));

  const std::string relaxed = absl::AsciiStrToLower(absl::StrReplaceAll(codes[0], {{"-", ""}}));
  absl::StatusOr<v1::LoginResponse> first = Login(kNora, kPassword, "", relaxed);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->mfa_enrollment_required());
  EXPECT_TRUE(GetClient(first->session_token(), kJoId).ok());

  const absl::Status again = Login(kNora, kPassword, "", codes[0]).status();
  EXPECT_EQ(again.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ErrorReason(again), "MFA_CODE_INVALID");

  const std::string spaced = absl::StrReplaceAll(codes[1], {{"-", " "}});
  EXPECT_TRUE(Login(kNora, kPassword, "", spaced).ok());
  EXPECT_EQ(ErrorReason(Login(kNora, kPassword, "", "AAAA-BBBB-CCCC-DDDD").status()),
            "MFA_CODE_INVALID");
}

// ============================== Lockout =======================================================

TEST_F(AuthFlowsTest, FiveFailuresLockTheEmail) {
  for (int i = 0; i < lockout_.email_threshold; ++i) {
    EXPECT_EQ(Login(kSam, kWrongPassword).status().code(), absl::StatusCode::kUnauthenticated)
        << "attempt " << i + 1;
  }
  const absl::Status locked = Login(kSam, kPassword, CodeAt(0)).status();
  EXPECT_EQ(locked.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrorReason(locked), "SIGN_IN_LOCKED");
  EXPECT_EQ(ErrorMetadata(locked),
            (std::map<std::string, std::string>{{"retryAfterSeconds", "30"}}));
  EXPECT_THAT(db_.Committed().sessions, IsEmpty());

  const AuditEvent event = LastAuditEvent();
  EXPECT_EQ(event.action, kLogin);
  EXPECT_EQ(event.status_code, "RESOURCE_EXHAUSTED");
  EXPECT_NE(event.outcome, "success");
}

TEST_F(AuthFlowsTest, FourFailuresDoNotLock) {
  for (int i = 0; i < lockout_.email_threshold - 1; ++i) {
    ASSERT_FALSE(Login(kSam, kWrongPassword).ok());
  }
  absl::StatusOr<v1::LoginResponse> login = Login(kSam, kPassword, CodeAt(0));
  EXPECT_TRUE(login.ok()) << login.status();
}

// A lockout must not reveal which emails have accounts.
TEST_F(AuthFlowsTest, UnknownEmailLocksWithTheSameAnswerAsAKnownOne) {
  const std::string unknown = "nobody@demo.confide.test";
  for (int i = 0; i < lockout_.email_threshold; ++i) {
    const absl::Status known_failure = Login(kSam, kWrongPassword).status();
    const absl::Status unknown_failure = Login(unknown, kWrongPassword).status();
    EXPECT_EQ(AnswerOf(unknown_failure), AnswerOf(known_failure)) << "attempt " << i + 1;
  }
  const absl::Status known = Login(kSam, kPassword, CodeAt(0)).status();
  const absl::Status unknown_locked = Login(unknown, kPassword).status();
  EXPECT_EQ(unknown_locked.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrorReason(unknown_locked), "SIGN_IN_LOCKED");
  EXPECT_EQ(AnswerOf(unknown_locked), AnswerOf(known));
}

TEST_F(AuthFlowsTest, WhileLockedTheRightPasswordIsRefusedWithoutCheckingIt) {
  for (int i = 0; i < lockout_.email_threshold; ++i) {
    ASSERT_FALSE(Login(kSam, kWrongPassword).ok());
  }
  const int verifications = hasher_.verify_calls();
  clock_.Advance(absl::Seconds(29));
  const absl::Status locked = Login(kSam, kPassword, CodeAt(0)).status();
  EXPECT_EQ(ErrorReason(locked), "SIGN_IN_LOCKED");
  EXPECT_EQ(ErrorMetadata(locked)["retryAfterSeconds"], "1");
  EXPECT_EQ(hasher_.verify_calls(), verifications);
  // Refused attempts while locked are not failures: they do not lengthen the lock.
  clock_.Advance(absl::Seconds(1));
  absl::StatusOr<v1::LoginResponse> login = Login(kSam, kPassword, CodeAt(0));
  EXPECT_TRUE(login.ok()) << login.status();
}

TEST_F(AuthFlowsTest, LockDoublesWithEachFurtherFailureUpToFifteenMinutes) {
  for (int i = 0; i < lockout_.email_threshold; ++i) {
    ASSERT_FALSE(Login(kSam, kWrongPassword).ok());
  }
  const std::vector<int> expected_seconds = {30, 60, 120, 240, 480, 900};
  std::vector<int> seen;
  for (size_t i = 0; i < expected_seconds.size(); ++i) {
    const absl::Status locked = Login(kSam, kPassword, CodeAt(0)).status();
    EXPECT_EQ(ErrorReason(locked), "SIGN_IN_LOCKED");
    seen.push_back(std::stoi(ErrorMetadata(locked)["retryAfterSeconds"]));
    clock_.Advance(absl::Seconds(expected_seconds[i]));
    if (i + 1 < expected_seconds.size()) {
      // The first attempt after the lock passes fails again and locks for twice as long.
      EXPECT_EQ(Login(kSam, kWrongPassword).status().code(), absl::StatusCode::kUnauthenticated);
    }
  }
  EXPECT_EQ(seen, expected_seconds);
  EXPECT_EQ(absl::Seconds(seen.back()), lockout_.max_lock);
}

TEST_F(AuthFlowsTest, AfterTheLockPassesTheRightPasswordWorksAndClearsTheCount) {
  for (int i = 0; i < lockout_.email_threshold; ++i) {
    ASSERT_FALSE(Login(kSam, kWrongPassword).ok());
  }
  clock_.Advance(lockout_.first_lock);
  absl::StatusOr<v1::LoginResponse> login = Login(kSam, kPassword, CodeAt(0));
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_FALSE(EmailThrottle(kSam).has_value());

  // Counting starts again from zero: four more failures do not lock.
  for (int i = 0; i < lockout_.email_threshold - 1; ++i) {
    ASSERT_FALSE(Login(kSam, kWrongPassword).ok());
  }
  ASSERT_TRUE(EmailThrottle(kSam).has_value());
  EXPECT_EQ(EmailThrottle(kSam)->failures, lockout_.email_threshold - 1);
  absl::StatusOr<v1::LoginResponse> again = Login(kSam, kPassword, CodeAt(+1));
  EXPECT_TRUE(again.ok()) << again.status();
}

// Waiting out the longest lock does not reset the count: failures are remembered for an hour.
TEST_F(AuthFlowsTest, WaitingOutAFifteenMinuteLockDoesNotResetTheCount) {
  ASSERT_GT(lockout_.forget_after, lockout_.max_lock);
  for (int i = 0; i < lockout_.email_threshold + 5; ++i) {
    (void)Login(kSam, kWrongPassword);
    clock_.Advance(lockout_.max_lock);
  }
  ASSERT_TRUE(EmailThrottle(kSam).has_value());
  EXPECT_EQ(EmailThrottle(kSam)->failures, lockout_.email_threshold + 5);
  ASSERT_FALSE(Login(kSam, kWrongPassword).ok());
  EXPECT_EQ(EmailThrottle(kSam)->locked_until, clock_.Now() + lockout_.max_lock);
}

// Records of failures for made-up emails do not pile up: each new failure deletes the ones
// older than the forget period.
TEST_F(AuthFlowsTest, OldFailureRecordsAreDeletedByLaterFailures) {
  ASSERT_FALSE(Login("made.up.1@example.test", kWrongPassword).ok());
  ASSERT_TRUE(EmailThrottle("made.up.1@example.test").has_value());
  clock_.Advance(lockout_.forget_after + absl::Seconds(1));
  ASSERT_FALSE(Login("made.up.2@example.test", kWrongPassword).ok());
  EXPECT_FALSE(EmailThrottle("made.up.1@example.test").has_value());
  EXPECT_TRUE(EmailThrottle("made.up.2@example.test").has_value());
}

TEST_F(AuthFlowsTest, FailuresOlderThanTheForgetPeriodAreForgotten) {
  for (int i = 0; i < lockout_.email_threshold - 1; ++i) {
    ASSERT_FALSE(Login(kSam, kWrongPassword).ok());
  }
  clock_.Advance(lockout_.forget_after);
  ASSERT_FALSE(Login(kSam, kWrongPassword).ok());
  ASSERT_TRUE(EmailThrottle(kSam).has_value());
  EXPECT_EQ(EmailThrottle(kSam)->failures, 1);
  absl::StatusOr<v1::LoginResponse> login = Login(kSam, kPassword, CodeAt(0));
  EXPECT_TRUE(login.ok()) << login.status();
}

TEST_F(AuthFlowsTest, FailuresWithinTheForgetPeriodAreRemembered) {
  for (int i = 0; i < lockout_.email_threshold - 1; ++i) {
    ASSERT_FALSE(Login(kSam, kWrongPassword).ok());
  }
  clock_.Advance(lockout_.forget_after - absl::Seconds(1));
  ASSERT_FALSE(Login(kSam, kWrongPassword).ok());
  EXPECT_EQ(ErrorReason(Login(kSam, kPassword, CodeAt(0)).status()), "SIGN_IN_LOCKED");
}

TEST_F(AuthFlowsTest, TwentyFailuresFromOneAddressLockThatAddressForEveryEmail) {
  ASSERT_EQ(lockout_.address_threshold, 20);
  for (int i = 0; i < lockout_.address_threshold; ++i) {
    // A different email each time, so no email reaches its own threshold.
    EXPECT_EQ(Login(absl::StrCat("guess", i, "@demo.confide.test"), kWrongPassword).status().code(),
              absl::StatusCode::kUnauthenticated)
        << "attempt " << i + 1;
  }
  const int verifications = hasher_.verify_calls();
  const absl::Status locked = Login(kSam, kPassword, CodeAt(0)).status();
  EXPECT_EQ(locked.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ErrorReason(locked), "SIGN_IN_LOCKED");
  EXPECT_EQ(ErrorMetadata(locked)["retryAfterSeconds"], "30");
  EXPECT_EQ(hasher_.verify_calls(), verifications);

  // The same account from another address is not affected.
  source_address_ = "203.0.113.9";
  absl::StatusOr<v1::LoginResponse> elsewhere = Login(kSam, kPassword, CodeAt(0));
  EXPECT_TRUE(elsewhere.ok()) << elsewhere.status();
}

TEST_F(AuthFlowsTest, NineteenFailuresFromOneAddressDoNotLockIt) {
  for (int i = 0; i < lockout_.address_threshold - 1; ++i) {
    ASSERT_FALSE(Login(absl::StrCat("guess", i, "@demo.confide.test"), kWrongPassword).ok());
  }
  absl::StatusOr<v1::LoginResponse> login = Login(kSam, kPassword, CodeAt(0));
  EXPECT_TRUE(login.ok()) << login.status();
}

// ============================== Same argon2 work ==============================================

TEST_F(AuthFlowsTest, UnknownEmailAndWrongPasswordEachCostExactlyOneVerification) {
  int before = hasher_.verify_calls();
  ASSERT_FALSE(Login("nobody@demo.confide.test", kWrongPassword).ok());
  EXPECT_EQ(hasher_.verify_calls() - before, 1);

  before = hasher_.verify_calls();
  ASSERT_FALSE(Login(kSam, kWrongPassword).ok());
  EXPECT_EQ(hasher_.verify_calls() - before, 1);

  before = hasher_.verify_calls();
  ASSERT_TRUE(Login(kSam, kPassword, CodeAt(0)).ok());
  EXPECT_EQ(hasher_.verify_calls() - before, 1);
}

// ============================== Sessions ======================================================

TEST_F(AuthFlowsTest, StaffSessionEndsAfterFifteenIdleMinutes) {
  const std::string sam = SignIn(kSam);
  clock_.Advance(absl::Minutes(15));
  EXPECT_EQ(GetClient(sam, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
}

// A token of an ended session may be a stolen one: its use is recorded under its account.
TEST_F(AuthFlowsTest, UseOfAnEndedSessionIsAuditedUnderItsAccount) {
  const std::string sam = SignIn(kSam);
  clock_.Advance(absl::Minutes(15));
  ASSERT_EQ(GetClient(sam, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
  const AuditEvent event = LastAuditEvent();
  EXPECT_EQ(event.actor_user_id, kSamId);
  EXPECT_EQ(event.clinic_id, kClinicA);
  EXPECT_EQ(event.outcome, "denied");
  EXPECT_EQ(event.status_code, "UNAUTHENTICATED");
  EXPECT_EQ(event.client_id, "");
}

TEST_F(AuthFlowsTest, StaffRequestAtFourteenMinutesKeepsTheSessionAlive) {
  const std::string sam = SignIn(kSam);
  clock_.Advance(absl::Minutes(14));
  ASSERT_TRUE(GetClient(sam, kJoId).ok());
  clock_.Advance(absl::Minutes(14));  // 28 minutes after sign-in, 14 after the last request
  ASSERT_TRUE(GetClient(sam, kJoId).ok());
  clock_.Advance(absl::Minutes(15));
  EXPECT_EQ(GetClient(sam, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
}

// Activity is recorded at most every kTouchInterval, so idle time counts from the last recorded
// request: a request within 30 s of the last record does not move it.
TEST_F(AuthFlowsTest, ActivityIsRecordedAtMostEveryThirtySeconds) {
  const std::string sam = SignIn(kSam);
  const std::string session_id = SessionIdOf(sam);
  clock_.Advance(Authenticator::kTouchInterval - absl::Seconds(1));
  ASSERT_TRUE(GetClient(sam, kJoId).ok());
  EXPECT_EQ(db_.Committed().sessions.at(session_id).last_seen_time, kNow);

  clock_.Advance(absl::Seconds(1));
  ASSERT_TRUE(GetClient(sam, kJoId).ok());
  EXPECT_EQ(db_.Committed().sessions.at(session_id).last_seen_time,
            kNow + Authenticator::kTouchInterval);
  clock_.Advance(absl::Minutes(15) - absl::Seconds(1));
  EXPECT_TRUE(GetClient(sam, kJoId).ok());
}

TEST_F(AuthFlowsTest, RequestWithinTheTouchIntervalDoesNotExtendTheSession) {
  const std::string sam = SignIn(kSam);
  clock_.Advance(Authenticator::kTouchInterval - absl::Seconds(1));
  ASSERT_TRUE(GetClient(sam, kJoId).ok());
  clock_.Set(kNow + absl::Minutes(15));
  EXPECT_EQ(GetClient(sam, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthFlowsTest, PatientSessionEndsAfterThirtyIdleMinutes) {
  const std::string jo = SignIn(kJo);
  clock_.Advance(absl::Minutes(29));
  ASSERT_TRUE(GetClient(jo, "me").ok());
  clock_.Advance(absl::Minutes(29));
  ASSERT_TRUE(GetClient(jo, "me").ok());
  clock_.Advance(absl::Minutes(30));
  EXPECT_EQ(GetClient(jo, "me").status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthFlowsTest, StaffSessionEndsAfterEightHoursDespiteActivity) {
  absl::StatusOr<v1::LoginResponse> login = Login(kSam, kPassword, CodeAt(0));
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_EQ(FromTimestamp(login->expire_time()), kNow + absl::Hours(8));
  const std::string& sam = login->session_token();
  while (clock_.Now() + absl::Minutes(10) < kNow + absl::Hours(8)) {
    clock_.Advance(absl::Minutes(10));
    ASSERT_TRUE(GetClient(sam, kJoId).ok()) << clock_.Now() - kNow;
  }
  clock_.Set(kNow + absl::Hours(8) - absl::Seconds(1));
  ASSERT_TRUE(GetClient(sam, kJoId).ok());
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(GetClient(sam, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthFlowsTest, PatientSessionEndsAfterThirtyDaysDespiteActivity) {
  absl::StatusOr<v1::LoginResponse> login = Login(kJo, kPassword);
  ASSERT_TRUE(login.ok()) << login.status();
  const absl::Time end = kNow + absl::Hours(24 * 30);
  EXPECT_EQ(FromTimestamp(login->expire_time()), end);
  const std::string& jo = login->session_token();
  for (int requests = 1; clock_.Now() + absl::Minutes(29) < end; ++requests) {
    clock_.Advance(absl::Minutes(29));
    ASSERT_TRUE(ListMySessions(jo).ok()) << clock_.Now() - kNow;
    if (requests % 100 == 0) {
      ForgetAuditEvents();  // ~1500 requests: keep each transaction's copy of the database small
    }
  }
  clock_.Set(end - absl::Seconds(1));
  ASSERT_TRUE(ListMySessions(jo).ok());
  clock_.Set(end);
  EXPECT_EQ(ListMySessions(jo).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthFlowsTest, ListMySessionsShowsOnlyLiveSessionsAndMarksTheCurrentOne) {
  const std::string idle = SignIn(kSam);  // last seen at kNow: idles out at kNow+15m
  clock_.Advance(absl::Minutes(1));
  const std::string other = SignIn(kSam);  // last seen at kNow+1m: idles out at kNow+16m
  clock_.Advance(absl::Minutes(1));
  const std::string logged_out = SignIn(kSam);
  ASSERT_TRUE(Call<google::protobuf::Empty>("confide.v1.AuthService.Logout", v1::LogoutRequest(),
                                            logged_out)
                  .ok());
  clock_.Advance(absl::Minutes(1));
  const std::string current = SignIn(kSam);
  const std::string alex = SignIn(kAlex);  // someone else's
  clock_.Set(kNow + absl::Minutes(15) + absl::Seconds(30));

  absl::StatusOr<v1::ListMySessionsResponse> list = ListMySessions(current);
  ASSERT_TRUE(list.ok()) << list.status();
  std::map<std::string, bool> listed;
  for (const v1::Session& session : list->sessions()) {
    listed[session.id()] = session.current();
    EXPECT_EQ(session.source_address(), kSourceAddress);
    if (session.id() == SessionIdOf(other)) {
      EXPECT_EQ(FromTimestamp(session.idle_expire_time()), kNow + absl::Minutes(16));
      EXPECT_EQ(FromTimestamp(session.expire_time()), kNow + absl::Minutes(1) + absl::Hours(8));
    }
  }
  EXPECT_EQ(listed, (std::map<std::string, bool>{{SessionIdOf(current), true},
                                                 {SessionIdOf(other), false}}));
  EXPECT_EQ(listed.count(SessionIdOf(alex)), 0u);
  EXPECT_EQ(GetClient(idle, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(GetClient(other, kJoId).ok());
}

TEST_F(AuthFlowsTest, RevokeMySessionEndsThatSessionOnly) {
  const std::string first = SignIn(kSam);
  const std::string second = SignIn(kSam);
  ASSERT_TRUE(RevokeMySession(second, SessionIdOf(first)).ok());
  EXPECT_EQ(GetClient(first, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(GetClient(second, kJoId).ok());
}

TEST_F(AuthFlowsTest, RevokingAnotherUsersSessionIsNotFoundAndLeavesItWorking) {
  const std::string sam = SignIn(kSam);
  const std::string alex = SignIn(kAlex);
  const absl::Status status = RevokeMySession(sam, SessionIdOf(alex));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(AnswerOf(status),
            AnswerOf(RevokeMySession(sam, "00000000-0000-7000-8000-00000000dead")));
  EXPECT_FALSE(db_.Committed().sessions.at(SessionIdOf(alex)).revoke_time.has_value());
  EXPECT_TRUE(ListMySessions(alex).ok());
  EXPECT_TRUE(GetClient(alex, kRileyId).ok());
}

// ============================== Staff without TOTP ============================================

TEST_F(AuthFlowsTest, StaffWithoutTotpGetsASessionThatMayOnlyEnrol) {
  absl::StatusOr<v1::LoginResponse> login = Login(kNora, kPassword);
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_TRUE(login->mfa_enrollment_required());
  const std::string& nora = login->session_token();

  const absl::Status existing = GetClient(nora, kJoId).status();
  EXPECT_EQ(existing.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorReason(existing), "MFA_ENROLLMENT_REQUIRED");
  EXPECT_EQ(LastAuditEvent().outcome, "denied");
  const absl::Status missing = GetClient(nora, kMissingClientId).status();
  EXPECT_EQ(AnswerOf(missing), AnswerOf(existing));
  EXPECT_EQ(LastAuditEvent().outcome, "denied");
  EXPECT_EQ(AnswerOf(GetClient(nora, kCaseyId).status()), AnswerOf(existing));
  EXPECT_EQ(
      AnswerOf(
          Call<v1::ListClientsResponse>(kListClients, v1::ListClientsRequest(), nora).status()),
      AnswerOf(existing));
  // Session management is allowed.
  EXPECT_TRUE(ListMySessions(nora).ok());
}

TEST_F(AuthFlowsTest, PatientWithoutTotpIsNotAskedToEnrol) {
  absl::StatusOr<v1::LoginResponse> login = Login(kJo, kPassword);
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_FALSE(login->mfa_enrollment_required());
  EXPECT_TRUE(GetClient(login->session_token(), "me").ok());
}

// docs/security.md: an unenrolled staff session "may only call BeginTotpEnrollment, then
// ConfirmTotpEnrollment, plus list/revoke sessions and sign out. Every other RPC answers 403
// MFA_ENROLLMENT_REQUIRED".
TEST_F(AuthFlowsTest, UnenrolledStaffSessionMayNotChangePassword) {
  const std::string nora = SignIn(kNora);
  const absl::Status status = ChangePassword(nora, kPassword, "a-new-Password-2026");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_EQ(ErrorReason(status), "MFA_ENROLLMENT_REQUIRED");
  EXPECT_EQ(PasswordHashOf(kNoraId), "h:" + std::string(kPassword));
}

TEST_F(AuthFlowsTest, ConfirmingTotpEnrollmentReturnsTenCodesAndUnlocksTheSession) {
  const std::string nora = SignIn(kNora);
  const auto [secret, codes] = EnrollTotp(nora);
  ASSERT_FALSE(secret.empty());
  EXPECT_THAT(codes, SizeIs(10));
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 10u);

  absl::StatusOr<v1::Client> jo = GetClient(nora, kJoId);
  EXPECT_TRUE(jo.ok()) << jo.status();

  // From now on the account needs the second factor.
  EXPECT_EQ(ErrorReason(Login(kNora, kPassword).status()), "MFA_REQUIRED");
  absl::StatusOr<v1::LoginResponse> login =
      Login(kNora, kPassword, TotpCode(mac_, secret, TotpStep(clock_.Now()) + 1));
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_FALSE(login->mfa_enrollment_required());
  EXPECT_TRUE(GetClient(login->session_token(), kJoId).ok());
}

// Someone who learnt the password before the owner enrolled keeps an unverified session: once
// the owner's factor exists, that session can neither replace it nor outlive its confirmation.
TEST_F(AuthFlowsTest, AnUnverifiedSessionCannotTakeOverAnEnrolledFactor) {
  const std::string intruder = SignIn(kNora);
  const std::string owner = SignIn(kNora);
  const auto [secret, codes] = EnrollTotp(owner);
  ASSERT_THAT(codes, SizeIs(10));
  // Confirming ended every other session of the account.
  EXPECT_EQ(GetClient(intruder, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(GetClient(owner, kJoId).ok());
  const std::string sealed = db_.Committed().users.at(kNoraId).totp_secret_sealed;

  // A fresh password-only session of the enrolled account does not exist (MFA_REQUIRED), and a
  // session that somehow lacks the factor is refused re-enrolment.
  EXPECT_EQ(ErrorReason(Login(kNora, kPassword).status()), "MFA_REQUIRED");
  ASSERT_TRUE(db_.Seed([&](UnitOfWork& uow) {
                   return uow.sessions().Insert(
                       SessionRecord{.id = "00000000-0000-7000-8000-00000000beef",
                                     .token_digest = secrets_.Digest("unverified-token"),
                                     .user_id = kNoraId,
                                     .clinic_id = kClinicA,
                                     .create_time = clock_.Now(),
                                     .expire_time = clock_.Now() + absl::Hours(1),
                                     .revoke_time = std::nullopt,
                                     .last_seen_time = clock_.Now(),
                                     .idle_timeout = absl::ZeroDuration(),
                                     .mfa_verified = false,
                                     .source_address = "203.0.113.9"});
                 })
                  .ok());
  const absl::Status begin = Call<v1::BeginTotpEnrollmentResponse>(
                                 kBeginTotp, v1::BeginTotpEnrollmentRequest(), "unverified-token")
                                 .status();
  EXPECT_EQ(begin.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(db_.Committed().users.at(kNoraId).totp_secret_sealed, sealed);
  EXPECT_TRUE(db_.Committed().users.at(kNoraId).totp_pending_sealed.empty());
}

// Made-up reset and invitation tokens cost no argon2 hash, so they cannot starve sign-ins.
TEST_F(AuthFlowsTest, UnknownTokensAreRefusedBeforeAnyPasswordHashing) {
  const int before = hasher_.hash_calls();
  v1::ResetPasswordRequest reset;
  reset.set_token("made-up-token");
  reset.set_new_password("new-Password-2026");
  const absl::Status reset_status =
      Call<google::protobuf::Empty>(kResetPassword, reset, "").status();
  EXPECT_EQ(reset_status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(reset_status), ElementsAre("token"));
  EXPECT_EQ(AcceptInvitation("made-up-token", "new-Password-2026").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(hasher_.hash_calls(), before);
}

TEST_F(AuthFlowsTest, ConfirmWithAWrongCodeNamesTheFieldAndLeavesTheSessionLocked) {
  const std::string nora = SignIn(kNora);
  absl::StatusOr<v1::BeginTotpEnrollmentResponse> begun =
      Call<v1::BeginTotpEnrollmentResponse>(kBeginTotp, v1::BeginTotpEnrollmentRequest(), nora);
  ASSERT_TRUE(begun.ok()) << begun.status();
  std::optional<std::string> secret = Base32Decode(begun->secret());
  ASSERT_TRUE(secret.has_value());
  v1::ConfirmTotpEnrollmentRequest confirm;
  confirm.set_totp_code(TotpCode(mac_, *secret, TotpStep(clock_.Now()) + 3));
  const absl::Status status =
      Call<v1::ConfirmTotpEnrollmentResponse>(kConfirmTotp, confirm, nora).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("totp_code"));
  EXPECT_EQ(ErrorReason(GetClient(nora, kJoId).status()), "MFA_ENROLLMENT_REQUIRED");
  EXPECT_TRUE(db_.Committed().users.at(kNoraId).totp_secret_sealed.empty());
}

TEST_F(AuthFlowsTest, EnrollmentStoresOnlyTheSealedSecretAndCodeDigests) {
  const std::string nora = SignIn(kNora);
  const auto [secret, codes] = EnrollTotp(nora);
  ASSERT_THAT(codes, SizeIs(10));
  const InMemoryDatabase committed = db_.Committed();
  const UserRecord& stored = committed.users.at(kNoraId);

  EXPECT_FALSE(stored.totp_secret_sealed.empty());
  EXPECT_TRUE(stored.totp_pending_sealed.empty());
  EXPECT_FALSE(absl::StrContains(stored.totp_secret_sealed, secret));
  EXPECT_FALSE(absl::StrContains(stored.totp_secret_sealed, Base32Encode(secret)));
  absl::StatusOr<std::string> opened =
      box_.Open(stored.totp_secret_sealed, TotpSecretContext(kNoraId));
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, secret);
  // Bound to the account: not usable as another account's secret.
  EXPECT_FALSE(box_.Open(stored.totp_secret_sealed, TotpSecretContext(kSamId)).ok());

  std::set<std::string> digests;
  for (const auto& [key, used] : committed.recovery_codes) {
    if (key.first == kNoraId) {
      digests.insert(key.second);
      EXPECT_FALSE(used.has_value());
    }
  }
  std::set<std::string> expected;
  for (const std::string& code : codes) {
    expected.insert(secrets_.Digest(NormalizeRecoveryCode(code)));
    EXPECT_EQ(digests.count(code), 0u);
    EXPECT_EQ(digests.count(NormalizeRecoveryCode(code)), 0u);
  }
  EXPECT_EQ(digests, expected);
}

// ============================== Passwords and invitations =====================================

TEST_F(AuthFlowsTest, ChangePasswordWithWrongCurrentPasswordNamesTheFieldAndKeepsTheHash) {
  const std::string sam = SignIn(kSam);
  const absl::Status status = ChangePassword(sam, kWrongPassword, "a-new-Password-2026");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("current_password"));
  EXPECT_EQ(PasswordHashOf(kSamId), "h:" + std::string(kPassword));
  EXPECT_TRUE(GetClient(sam, kJoId).ok());
}

TEST_F(AuthFlowsTest, ChangePasswordEndsOtherSessionsButNotTheCallers) {
  const std::string elsewhere = SignIn(kSam);
  const std::string here = SignIn(kSam);
  const std::string alex = SignIn(kAlex);
  ASSERT_TRUE(ChangePassword(here, kPassword, "a-new-Password-2026").ok());

  EXPECT_EQ(PasswordHashOf(kSamId), "h:a-new-Password-2026");
  EXPECT_EQ(GetClient(elsewhere, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(GetClient(here, kJoId).ok());
  EXPECT_TRUE(ListMySessions(alex).ok());
  clock_.Advance(absl::Seconds(30));
  EXPECT_FALSE(Login(kSam, kPassword, FreshCode(kSam)).ok());
  EXPECT_TRUE(Login(kSam, "a-new-Password-2026", FreshCode(kSam)).ok());
}

TEST_F(AuthFlowsTest, ResetPasswordTokenWorksOnceAndEndsAllSessions) {
  const std::string admin = SignIn(kAdmin);
  const std::string sam1 = SignIn(kSam);
  const std::string sam2 = SignIn(kSam);
  absl::StatusOr<v1::Invitation> reset = IssueReset(admin, kSamId);
  ASSERT_TRUE(reset.ok()) << reset.status();
  EXPECT_EQ(FromTimestamp(reset->expire_time()), kNow + absl::Hours(1));
  EXPECT_EQ(reset->sent_to(), kSam);
  const std::string reset_token = TokenSentTo(kSam);

  ASSERT_TRUE(ResetPassword(reset_token, "a-reset-Password-2026").ok());
  EXPECT_EQ(PasswordHashOf(kSamId), "h:a-reset-Password-2026");
  EXPECT_EQ(GetClient(sam1, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(GetClient(sam2, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(ListMySessions(admin).ok());

  const absl::Status again = ResetPassword(reset_token, "another-Password-2026");
  EXPECT_EQ(again.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(again), ElementsAre("token"));
  EXPECT_EQ(PasswordHashOf(kSamId), "h:a-reset-Password-2026");

  clock_.Advance(absl::Seconds(30));
  EXPECT_TRUE(Login(kSam, "a-reset-Password-2026", FreshCode(kSam)).ok());
}

// "Forgot my password": the same answer for every address; a link only to an active account's
// own address, at most one an hour per address.
TEST_F(AuthFlowsTest, RequestedPasswordResetGoesOnlyToAnActiveAccountAndIsPaced) {
  auto messages_to = [&](const std::string& email) {
    int count = 0;
    for (const auto& [id, message] : db_.Committed().outbox) {
      count += message.recipient_email == email ? 1 : 0;
    }
    return count;
  };
  const std::string jo = SignIn(kJo);
  EXPECT_TRUE(RequestReset("  JO@demo.confide.test ").ok());
  EXPECT_TRUE(RequestReset("nobody@demo.confide.test").ok());
  EXPECT_EQ(messages_to(kJo), 1);
  EXPECT_EQ(messages_to("nobody@demo.confide.test"), 0);
  EXPECT_EQ(db_.Committed().outbox.begin()->second.kind, MessageKind::kPasswordReset);

  // A second request within the hour sends nothing more; an hour later it does.
  EXPECT_TRUE(RequestReset(kJo).ok());
  EXPECT_EQ(messages_to(kJo), 1);
  clock_.Advance(absl::Hours(1));
  EXPECT_TRUE(RequestReset(kJo).ok());
  EXPECT_EQ(messages_to(kJo), 2);

  // The link works and ends her sessions.
  ASSERT_TRUE(ResetPassword(TokenSentTo(kJo), "a-reset-Password-2026").ok());
  EXPECT_EQ(PasswordHashOf(kJoUserId), "h:a-reset-Password-2026");
  EXPECT_EQ(GetClient(jo, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(RequestReset("not-an-email").code(), absl::StatusCode::kInvalidArgument);
}

// An anonymous request cannot cancel a reset an admin sent, nor is it recorded as the account
// holder's action.
TEST_F(AuthFlowsTest, RequestedResetLeavesAnAdminsResetWorkingAndHasNoActor) {
  const std::string admin = SignIn(kAdmin);
  ASSERT_TRUE(IssueReset(admin, kSamId).ok());
  const std::string admins_link = TokenSentTo(kSam);
  ASSERT_TRUE(RequestReset(kSam).ok());
  const AuditEvent event = LastAuditEvent();
  EXPECT_EQ(event.actor_user_id, "");
  EXPECT_EQ(event.clinic_id, kClinicA);
  EXPECT_NE(TokenSentTo(kSam), admins_link);
  EXPECT_TRUE(ResetPassword(admins_link, "admins-link-Password-26").ok());
}

TEST_F(AuthFlowsTest, ResetPasswordTokenExpiresAfterAnHour) {
  const std::string admin = SignIn(kAdmin);
  absl::StatusOr<v1::Invitation> reset = IssueReset(admin, kSamId);
  ASSERT_TRUE(reset.ok()) << reset.status();
  clock_.Advance(absl::Hours(1));
  const absl::Status status = ResetPassword(TokenSentTo(kSam), "a-reset-Password-2026");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("token"));
  EXPECT_EQ(PasswordHashOf(kSamId), "h:" + std::string(kPassword));
}

TEST_F(AuthFlowsTest, ResetPasswordTokenWorksJustBeforeItsHourIsUp) {
  const std::string admin = SignIn(kAdmin);
  absl::StatusOr<v1::Invitation> reset = IssueReset(admin, kSamId);
  ASSERT_TRUE(reset.ok()) << reset.status();
  clock_.Advance(absl::Hours(1) - absl::Seconds(1));
  EXPECT_TRUE(ResetPassword(TokenSentTo(kSam), "a-reset-Password-2026").ok());
}

TEST_F(AuthFlowsTest, StaffInvitationWorksOnceAndMakesAnAccountThatMustEnrol) {
  const std::string admin = SignIn(kAdmin);
  absl::StatusOr<v1::Invitation> invitation = InviteStaff(admin, "New.Person@Demo.Confide.test");
  ASSERT_TRUE(invitation.ok()) << invitation.status();
  EXPECT_EQ(FromTimestamp(invitation->expire_time()), kNow + absl::Hours(72));

  const std::string token = TokenSentTo("new.person@demo.confide.test");
  absl::StatusOr<v1::User> user = AcceptInvitation(token, "new-Password-2026");
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->role(), v1::ROLE_CLINICIAN);
  EXPECT_EQ(user->clinic_id(), kClinicA);
  EXPECT_EQ(user->email(), "new.person@demo.confide.test");
  EXPECT_EQ(PasswordHashOf(user->id()), "h:new-Password-2026");

  const absl::Status again = AcceptInvitation(token, "other-Password-2026").status();
  EXPECT_EQ(again.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(again), ElementsAre("token"));

  absl::StatusOr<v1::LoginResponse> login =
      Login("new.person@demo.confide.test", "new-Password-2026");
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_TRUE(login->mfa_enrollment_required());
}

TEST_F(AuthFlowsTest, InvitationExpiresAfterSeventyTwoHours) {
  const std::string admin = SignIn(kAdmin);
  absl::StatusOr<v1::Invitation> invitation = InviteStaff(admin, "late@demo.confide.test");
  ASSERT_TRUE(invitation.ok()) << invitation.status();
  const std::string token = TokenSentTo("late@demo.confide.test");
  clock_.Advance(absl::Hours(72));
  const absl::Status status = AcceptInvitation(token, "new-Password-2026").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("token"));
  EXPECT_FALSE(Login("late@demo.confide.test", "new-Password-2026").ok());
}

TEST_F(AuthFlowsTest, InvitationForAnEmailWithAnAccountIsAlreadyExists) {
  const std::string admin = SignIn(kAdmin);
  absl::StatusOr<v1::Invitation> invitation = InviteStaff(admin, kAlex);
  ASSERT_TRUE(invitation.ok()) << invitation.status();
  const absl::Status status = AcceptInvitation(TokenSentTo(kAlex), "new-Password-2026").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(PasswordHashOf(kAlexId), "h:" + std::string(kPassword));
  // The redemption was rolled back with the failed insert: the token is not spent.
  for (const auto& [id, token] : db_.Committed().one_time_tokens) {
    EXPECT_FALSE(token.use_time.has_value());
  }
}

// A newer portal invitation for a client replaces the older one whatever its address (a
// mistyped or no longer safe address must not keep a working link), so a client record gets at
// most one portal account.
TEST_F(AuthFlowsTest, NewerPortalInvitationReplacesTheOlderOneWhateverTheAddress) {
  const std::string alex = SignIn(kAlex);
  std::vector<std::string> tokens;
  for (const char* email : {"riley.old@example.test", "riley.new@example.test"}) {
    v1::InviteClientToPortalRequest request;
    request.set_client_id(kRileyId);
    request.set_email(email);
    absl::StatusOr<v1::Invitation> invitation =
        Call<v1::Invitation>(kInviteToPortal, request, alex);
    ASSERT_TRUE(invitation.ok()) << invitation.status();
    tokens.push_back(TokenSentTo(email));
  }
  EXPECT_EQ(AcceptInvitation(tokens[0], "riley-Password-1").status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<v1::User> account = AcceptInvitation(tokens[1], "riley-Password-2");
  ASSERT_TRUE(account.ok()) << account.status();
  EXPECT_EQ(account->client_id(), kRileyId);
  EXPECT_FALSE(Login("riley.old@example.test", "riley-Password-1").ok());
  EXPECT_TRUE(Login("riley.new@example.test", "riley-Password-2").ok());
}

// The inviter never sees the token: the answer says where it went, and the outbox holds it only
// sealed, bound to its message.
TEST_F(AuthFlowsTest, InvitationAnswerHasNoTokenAndTheOutboxHoldsItOnlySealed) {
  const std::string admin = SignIn(kAdmin);
  absl::StatusOr<v1::Invitation> invitation = InviteStaff(admin, "Sealed.Person@Demo.Confide.test");
  ASSERT_TRUE(invitation.ok()) << invitation.status();
  EXPECT_EQ(invitation->sent_to(), "sealed.person@demo.confide.test");
  EXPECT_FALSE(invitation->id().empty());

  const InMemoryDatabase committed = db_.Committed();
  ASSERT_THAT(committed.outbox, SizeIs(1));
  const OutboundMessage& message = committed.outbox.begin()->second;
  EXPECT_EQ(message.recipient_email, "sealed.person@demo.confide.test");
  EXPECT_EQ(message.kind, MessageKind::kStaffInvitation);
  EXPECT_EQ(message.clinic_id, kClinicA);
  EXPECT_EQ(message.create_time, kNow);
  EXPECT_FALSE(message.sent_time.has_value());

  const std::string token = TokenSentTo("sealed.person@demo.confide.test");
  ASSERT_FALSE(token.empty());
  EXPECT_FALSE(message.token_sealed.empty());
  EXPECT_FALSE(absl::StrContains(message.token_sealed, token));
  // Bound to its message: not openable as another message's token.
  EXPECT_FALSE(box_.Open(message.token_sealed, OutboundTokenContext("other-message")).ok());
  // The answer does not carry it in any field.
  EXPECT_FALSE(absl::StrContains(invitation->SerializeAsString(), token));
  // The tokens table holds only its digest.
  ASSERT_TRUE(committed.one_time_tokens.contains(invitation->id()));
  EXPECT_EQ(committed.one_time_tokens.at(invitation->id()).token_digest, secrets_.Digest(token));

  EXPECT_TRUE(AcceptInvitation(token, "new-Password-2026").ok());
}

// Re-inviting a patient who already has an account sends a password reset to the account's
// address, never to the one in the request (which could be anyone's).
TEST_F(AuthFlowsTest, PortalReInvitationOfAnExistingAccountSendsAResetToTheAccountsEmail) {
  const std::string sam = SignIn(kSam);
  v1::InviteClientToPortalRequest request;
  request.set_client_id(kJoId);
  request.set_email("someone.else@example.test");
  absl::StatusOr<v1::Invitation> invitation = Call<v1::Invitation>(kInviteToPortal, request, sam);
  ASSERT_TRUE(invitation.ok()) << invitation.status();
  EXPECT_EQ(invitation->sent_to(), kJo);
  EXPECT_EQ(FromTimestamp(invitation->expire_time()), kNow + absl::Hours(1));

  const InMemoryDatabase committed = db_.Committed();
  ASSERT_THAT(committed.outbox, SizeIs(1));
  const OutboundMessage& message = committed.outbox.begin()->second;
  EXPECT_EQ(message.recipient_email, kJo);
  EXPECT_EQ(message.kind, MessageKind::kPasswordReset);
  for (const auto& [id, queued] : committed.outbox) {
    EXPECT_NE(queued.recipient_email, "someone.else@example.test");
  }

  ASSERT_TRUE(ResetPassword(TokenSentTo(kJo), "jo-reset-Password-2026").ok());
  EXPECT_EQ(PasswordHashOf(kJoUserId), "h:jo-reset-Password-2026");
}

// Acceptance checks the partner-involvement consent itself (an invitation issued while a
// withdrawal was under way escapes the withdrawal's revocation) and answers exactly like an
// unknown, used or revoked token, without saying that consent was withdrawn.
TEST_F(AuthFlowsTest, PartnerInvitationWithoutConsentInForceIsRefusedLikeAnUnusableToken) {
  const std::string jo = SignIn(kJo);
  ASSERT_TRUE(InvitePartner(jo, "pat@partner.test").ok());
  const std::string token = TokenSentTo("pat@partner.test");
  const absl::Status withdrawn = db_.Seed([](UnitOfWork& uow) {
    return uow.consents().End(kClinicA, "00000000-0000-7000-8000-00000000d001",
                              v1::CONSENT_STATE_WITHDRAWN, kNow, kJoUserId, v1::ROLE_PATIENT);
  });
  ASSERT_TRUE(withdrawn.ok()) << withdrawn;

  const absl::Status refused = AcceptInvitation(token, "partner-Password-1").status();
  const absl::Status unknown = AcceptInvitation("made-up-token", "partner-Password-1").status();

  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused, unknown);
  EXPECT_THAT(ViolatedFields(refused), ElementsAre("token"));
  const InMemoryDatabase committed = db_.Committed();
  EXPECT_THAT(committed.partner_links, IsEmpty());
  for (const auto& [id, user] : committed.users) {
    EXPECT_NE(user.user.email(), "pat@partner.test");
  }
}

// The patient invites her partner with two shares; accepting makes the account and the link.
TEST_F(AuthFlowsTest, PartnerInvitationLinksThePartnerWithTheChosenShares) {
  const std::string jo = SignIn(kJo);
  absl::StatusOr<v1::Invitation> invitation = InvitePartner(jo, "pat@partner.test");
  ASSERT_TRUE(invitation.ok()) << invitation.status();
  const std::string token = TokenSentTo("pat@partner.test");
  absl::StatusOr<v1::User> partner = AcceptInvitation(token, "partner-Password-1");
  ASSERT_TRUE(partner.ok()) << partner.status();
  EXPECT_EQ(partner->role(), v1::ROLE_PARTNER);
  EXPECT_EQ(partner->client_id(), kJoId);
  EXPECT_EQ(partner->clinic_id(), kClinicA);

  const InMemoryDatabase committed = db_.Committed();
  ASSERT_THAT(committed.partner_links, SizeIs(1));
  const PartnerLinkRecord& link = committed.partner_links.begin()->second;
  EXPECT_EQ(link.partner_user_id, partner->id());
  EXPECT_EQ(link.client_id, kJoId);
  EXPECT_EQ(link.clinic_id, kClinicA);
  EXPECT_EQ(link.shares,
            ShareBit(v1::PARTNER_SHARE_PLAN_SUMMARY) | ShareBit(v1::PARTNER_SHARE_GOALS));
  EXPECT_FALSE(link.revoke_time.has_value());

  absl::StatusOr<v1::LoginResponse> login = Login("pat@partner.test", "partner-Password-1");
  ASSERT_TRUE(login.ok()) << login.status();
  absl::StatusOr<v1::PartnerView> view = GetPartnerView(login->session_token());
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_THAT(view->shares(), ElementsAre(v1::PARTNER_SHARE_PLAN_SUMMARY, v1::PARTNER_SHARE_GOALS));

  EXPECT_EQ(AcceptInvitation(token, "partner-Password-1").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// ============================== Deactivation ==================================================

TEST_F(AuthFlowsTest, DeactivateStaffEndsTheirSessionsAtOnce) {
  const std::string admin = SignIn(kAdmin);
  const std::string sam = SignIn(kSam);
  ASSERT_TRUE(GetClient(sam, kJoId).ok());
  absl::StatusOr<v1::StaffMember> deactivated = Deactivate(admin, kSamId);
  ASSERT_TRUE(deactivated.ok()) << deactivated.status();
  EXPECT_FALSE(deactivated->active());

  EXPECT_EQ(GetClient(sam, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(db_.Committed().sessions.at(SessionIdOf(sam)).revoke_time.has_value());
}

TEST_F(AuthFlowsTest, DeactivatedAccountCannotSignInWithTheRightPasswordAndCode) {
  const std::string admin = SignIn(kAdmin);
  ASSERT_TRUE(Deactivate(admin, kSamId).ok());
  const size_t sessions_before = db_.Committed().sessions.size();

  const absl::Status status = Login(kSam, kPassword, CodeAt(0)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  // Indistinguishable from a wrong password.
  EXPECT_EQ(AnswerOf(status), AnswerOf(Login(kAlex, kWrongPassword).status()));
  EXPECT_EQ(db_.Committed().sessions.size(), sessions_before);
}

// ============================== Break-glass ===================================================

TEST_F(AuthFlowsTest, BreakGlassGrantsAccessForSixtyMinutesFlaggedInTheAuditTrail) {
  const std::string alex = SignIn(kAlex);
  EXPECT_EQ(GetClient(alex, kJoId).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(LastAuditEvent().outcome, "denied");

  const std::string reason = "Crisis call; her clinician is away";
  absl::StatusOr<v1::BreakGlassGrant> grant = BreakGlass(alex, kJoId, reason);
  ASSERT_TRUE(grant.ok()) << grant.status();
  EXPECT_EQ(FromTimestamp(grant->expire_time()), kNow + absl::Minutes(60));
  EXPECT_TRUE(LastAuditEvent().break_glass);
  EXPECT_EQ(LastAuditEvent().outcome, "success");

  // Requests every ten minutes (staff sessions idle out after fifteen).
  for (int minutes = 0; minutes < 60; minutes += 10) {
    SCOPED_TRACE(minutes);
    absl::StatusOr<v1::Client> jo = GetClient(alex, kJoId);
    ASSERT_TRUE(jo.ok()) << jo.status();
    const AuditEvent event = LastAuditEvent();
    EXPECT_EQ(event.actor_user_id, kAlexId);
    EXPECT_EQ(event.outcome, "success");
    EXPECT_TRUE(event.break_glass);
    clock_.Advance(absl::Minutes(10));
  }
  // Sixty minutes after the grant.
  EXPECT_EQ(GetClient(alex, kJoId).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(LastAuditEvent().outcome, "denied");
  EXPECT_FALSE(LastAuditEvent().break_glass);

  // Her own clients are not flagged.
  ASSERT_TRUE(GetClient(alex, kRileyId).ok());
  EXPECT_FALSE(LastAuditEvent().break_glass);
  // Every successful read of Jo's record by Alex was under the grant.
  for (const AuditEvent& event : db_.AuditEvents()) {
    if (event.actor_user_id == kAlexId && event.client_id == kJoId && event.outcome == "success") {
      EXPECT_TRUE(event.break_glass) << event.action;
    }
  }
}

TEST_F(AuthFlowsTest, BreakGlassReasonIsStoredSealed) {
  const std::string alex = SignIn(kAlex);
  const std::string reason = "Crisis call; her clinician is away";
  absl::StatusOr<v1::BreakGlassGrant> grant = BreakGlass(alex, kJoId, reason);
  ASSERT_TRUE(grant.ok()) << grant.status();

  const InMemoryDatabase committed = db_.Committed();
  ASSERT_THAT(committed.break_glass_grants, SizeIs(1));
  const BreakGlassRecord& stored = committed.break_glass_grants.begin()->second;
  EXPECT_EQ(stored.id, grant->id());
  EXPECT_EQ(stored.user_id, kAlexId);
  EXPECT_EQ(stored.client_id, kJoId);
  EXPECT_FALSE(stored.reason_sealed.empty());
  EXPECT_FALSE(absl::StrContains(stored.reason_sealed, reason));
  EXPECT_FALSE(absl::StrContains(stored.reason_sealed, "Crisis"));
  absl::StatusOr<std::string> opened =
      box_.Open(stored.reason_sealed, "break_glass_grants.reason_sealed:" + stored.id);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, reason);
  for (const AuditEvent& event : committed.audit_events) {
    EXPECT_FALSE(absl::StrContains(event.resource, "Crisis"));
  }
}

// ============================== Partners ======================================================

class AuthFlowsPartnerTest : public AuthFlowsTest {
 protected:
  // Jo invites Pat, who accepts and signs in.
  void SetUp() override {
    jo_ = SignIn(kJo);
    absl::StatusOr<v1::Invitation> invitation = InvitePartner(jo_, "pat@partner.test");
    ASSERT_TRUE(invitation.ok()) << invitation.status();
    absl::StatusOr<v1::User> partner =
        AcceptInvitation(TokenSentTo("pat@partner.test"), "partner-Password-1");
    ASSERT_TRUE(partner.ok()) << partner.status();
    partner_id_ = partner->id();
    ASSERT_THAT(db_.Committed().partner_links, SizeIs(1));
    link_id_ = db_.Committed().partner_links.begin()->first;
    pat_ = SignIn("pat@partner.test", "partner-Password-1");
    ASSERT_TRUE(GetPartnerView(pat_).ok());
  }

  absl::StatusOr<v1::PartnerLink> RevokePartner() {
    v1::RevokePartnerRequest request;
    request.set_client_id("me");
    request.set_partner_link_id(link_id_);
    return Call<v1::PartnerLink>(kRevokePartner, request, jo_);
  }

  std::string jo_;
  std::string pat_;
  std::string partner_id_;
  std::string link_id_;
};

TEST_F(AuthFlowsPartnerTest, RevokingAPartnerEndsTheirAccessAtOnce) {
  absl::StatusOr<v1::PartnerLink> revoked = RevokePartner();
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_TRUE(revoked->has_revoke_time());

  EXPECT_EQ(GetPartnerView(pat_).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ListMySessions(pat_).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthFlowsPartnerTest, RevokedPartnerWhoSignsInAgainSeesNothing) {
  ASSERT_TRUE(RevokePartner().ok());
  absl::StatusOr<v1::LoginResponse> login = Login("pat@partner.test", "partner-Password-1");
  if (!login.ok()) {
    SUCCEED() << "sign-in refused: " << login.status();
    return;
  }
  const absl::Status view = GetPartnerView(login->session_token()).status();
  EXPECT_EQ(view.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(LastAuditEvent().outcome, "denied");
}

// services/auth/authenticator.h: Authenticate "returns the principal of a live session: ... of an
// active account (and, for partners, a live partner link)".
TEST_F(AuthFlowsPartnerTest, RevokedPartnerGetsNoUsableSession) {
  ASSERT_TRUE(RevokePartner().ok());
  absl::StatusOr<v1::LoginResponse> login = Login("pat@partner.test", "partner-Password-1");
  if (!login.ok()) {
    SUCCEED() << "sign-in refused: " << login.status();
    return;
  }
  EXPECT_EQ(ListMySessions(login->session_token()).status().code(),
            absl::StatusCode::kUnauthenticated)
      << "a partner whose link is revoked still authenticates";
}

// ============================== Denials are audited ===========================================

TEST_F(AuthFlowsPartnerTest, EveryPolicyDenialIsAuditedAsDenied) {
  const std::string sam = SignIn(kSam);
  const std::string alex = SignIn(kAlex);
  const std::string nora = SignIn(kNora);
  const std::string auditor = SignIn(kAuditor);

  struct Case {
    std::string what;
    std::string action;
    absl::Status status;
  };
  std::vector<Case> cases;
  auto run = [&](std::string what, std::string action, absl::Status status) {
    cases.push_back({std::move(what), std::move(action), std::move(status)});
    const AuditEvent event = LastAuditEvent();
    EXPECT_EQ(event.action, cases.back().action) << cases.back().what;
    EXPECT_EQ(event.outcome, "denied") << cases.back().what;
    EXPECT_EQ(event.status_code, absl::StatusCodeToString(cases.back().status.code()))
        << cases.back().what;
    EXPECT_FALSE(cases.back().status.ok()) << cases.back().what;
  };

  run("unenrolled staff reads a client", kGetClient, GetClient(nora, kJoId).status());
  run("clinician off the care team reads a client", kGetClient, GetClient(alex, kJoId).status());
  run("patient reads another client", kGetClient, GetClient(jo_, kRileyId).status());
  run("auditor lists clients", kListClients,
      Call<v1::ListClientsResponse>(kListClients, v1::ListClientsRequest(), auditor).status());
  run("care-team clinician breaks glass", kBreakGlass,
      BreakGlass(sam, kJoId, "no reason to do this at all").status());
  run("clinician deactivates staff", kDeactivateStaff, Deactivate(sam, kAlexId).status());
  run("clinician invites a partner", kInvitePartner,
      InvitePartner(sam, "x@partner.test", kJoId).status());
  {
    v1::AddCareTeamMemberRequest request;
    request.set_client_id("me");
    request.set_user_id(kAlexId);
    run("patient changes her care team", kAddCareTeamMember,
        Call<v1::ListCareTeamResponse>(kAddCareTeamMember, request, jo_).status());
  }
  run("partner reads the client record", kGetClient, GetClient(pat_, kJoId).status());
  run("partner reads another client", kGetPartnerView, [&] {
    v1::GetPartnerViewRequest request;
    request.set_client_id(kRileyId);
    return Call<v1::PartnerView>(kGetPartnerView, request, pat_).status();
  }());
}

// Tenancy is a refusal like any other (access_policy.h: "a record of another clinic is NOT_FOUND
// for everyone"); a probe of another clinic's record must show up among the denials.
// Another clinic's record is audited exactly like one that does not exist, so not even the
// caller's clinic's audit trail shows that it exists elsewhere (docs/security.md).
TEST_F(AuthFlowsTest, ReadingAnotherClinicsClientIsAuditedLikeANonexistentOne) {
  const std::string sam = SignIn(kSam);
  EXPECT_EQ(GetClient(sam, kCaseyId).status().code(), absl::StatusCode::kNotFound);
  const AuditEvent other_clinic = LastAuditEvent();
  EXPECT_EQ(GetClient(sam, "00000000-0000-7000-8000-0000deadbeef").status().code(),
            absl::StatusCode::kNotFound);
  const AuditEvent nonexistent = LastAuditEvent();
  EXPECT_EQ(other_clinic.status_code, "NOT_FOUND");
  EXPECT_EQ(other_clinic.outcome, nonexistent.outcome);
  EXPECT_EQ(other_clinic.status_code, nonexistent.status_code);
}

}  // namespace
}  // namespace confide
