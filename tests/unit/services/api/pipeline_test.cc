#include "services/api/pipeline.h"

#include <future>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/cord.h"
#include "absl/strings/escaping.h"
#include "absl/time/time.h"
#include "adapters/crypto/aes_gcm_secret_box.h"
#include "adapters/crypto/openssl_message_authenticator.h"
#include "confide/v1/auth.pb.h"
#include "confide/v1/clients.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/empty.pb.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/api/bounded_executor.h"
#include "services/api/field_errors.h"
#include "services/api/method_table.h"
#include "services/auth/auth_service.h"
#include "services/auth/authenticator.h"
#include "services/auth/password_checker.h"
#include "services/auth/totp.h"
#include "services/clients/client_service.h"
#include "services/common/timestamps.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/fakes/fake_password_hasher.h"
#include "tests/fakes/fake_secret_generator.h"
#include "tests/fakes/gated_transaction_runner.h"
#include "tests/fakes/in_memory_unit_of_work.h"
#include "tests/fakes/pipeline_test_support.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 30, 0), absl::UTCTimeZone());
constexpr char kPassword[] = "demo-Confide-2026";
constexpr char kClinicA[] = "clinic-a";
constexpr char kClinicB[] = "clinic-b";
constexpr char kRequestId[] = "req-7";
constexpr char kJoId[] = "00000000-0000-7000-8000-00000000c001";
constexpr char kCaseyId[] = "00000000-0000-7000-8000-00000000c003";
constexpr char kSourceAddress[] = "198.51.100.7";
// Sam's TOTP secret (raw bytes, RFC 6238's test key).
constexpr char kTotpSecret[] = "12345678901234567890";

constexpr char kLogin[] = "confide.v1.AuthService.Login";
constexpr char kLogout[] = "confide.v1.AuthService.Logout";
constexpr char kCreateClient[] = "confide.v1.ClientService.CreateClient";
constexpr char kGetClient[] = "confide.v1.ClientService.GetClient";
constexpr char kListClients[] = "confide.v1.ClientService.ListClients";
constexpr char kUpdateClient[] = "confide.v1.ClientService.UpdateClient";

CallContext Context(std::string token) {
  return CallContext{
      .bearer_token = std::move(token), .request_id = kRequestId, .source_address = kSourceAddress};
}

v1::Client NewClient(std::string given_name) {
  v1::Client client;
  client.set_legal_given_name(std::move(given_name));
  client.set_legal_family_name("Example");
  client.set_date_of_birth("1990-01-05");
  return client;
}

// The real ClientService and AuthService behind the real pipeline, over an in-memory database
// holding two clinics:
//   clinic A: clinicians Sam and Alex, an admin, an auditor, and patient Jo (client-jo, whose
//             care team is Sam only);
//   clinic B: clinician Other and client-casey (care team: Other).
class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest() {
    client_service_.Register(table_);
    auth_service_.Register(table_);
    Seed();
  }

  void Seed() {
    // Each client's given name is its id.
    const SeedDirectory directory{
        .clinics = {kClinicA, kClinicB},
        .users =
            {
                {"sam", "sam@demo.confide.test", kClinicA, v1::ROLE_CLINICIAN, "", kTotpSecret},
                {"alex", "alex@demo.confide.test", kClinicA, v1::ROLE_CLINICIAN, "", ""},
                {"admin", "admin@demo.confide.test", kClinicA, v1::ROLE_ADMIN, "", ""},
                {"auditor", "auditor@demo.confide.test", kClinicA, v1::ROLE_AUDITOR, "", ""},
                {"jo", "jo@demo.confide.test", kClinicA, v1::ROLE_PATIENT, kJoId, ""},
                {"other", "other@demo.confide.test", kClinicB, v1::ROLE_CLINICIAN, "", ""},
            },
        .password_hash = "h:" + std::string(kPassword),
        .clients = {{kJoId, kClinicA, kJoId, {"sam"}}, {kCaseyId, kClinicB, kCaseyId, {"other"}}},
    };
    const absl::Status seeded =
        db_.Seed([&](UnitOfWork& uow) { return SeedAll(uow, directory, box_, kNow); });
    ASSERT_TRUE(seeded.ok()) << seeded;
  }

  // Stores a session for `user_id` directly and returns its token.
  std::string SignIn(const std::string& user_id, absl::Duration lifetime = absl::Hours(1),
                     std::optional<absl::Time> revoke_time = std::nullopt) {
    const std::string token = "tok-" + user_id + "-" + std::to_string(++sessions_made_);
    const absl::Status stored = db_.Seed([&](UnitOfWork& uow) -> absl::Status {
      absl::StatusOr<std::optional<UserRecord>> user = uow.users().FindById(user_id);
      if (!user.ok() || !user->has_value()) {
        return absl::NotFoundError("no such test user");
      }
      return uow.sessions().Insert(SessionRecord{.id = "session-" + token,
                                                 .token_digest = secrets_.Digest(token),
                                                 .user_id = user_id,
                                                 .clinic_id = (*user)->user.clinic_id(),
                                                 .create_time = clock_.Now(),
                                                 .expire_time = clock_.Now() + lifetime,
                                                 .revoke_time = revoke_time,
                                                 .last_seen_time = clock_.Now(),
                                                 .idle_timeout = absl::ZeroDuration(),
                                                 .mfa_verified = true,
                                                 .source_address = kSourceAddress});
    });
    EXPECT_TRUE(stored.ok()) << stored;
    return token;
  }

  template <typename Response>
  absl::StatusOr<Response> Call(Pipeline& pipeline, std::string_view method,
                                const google::protobuf::Message& request,
                                const std::string& token) {
    return CallThroughPipeline<Response>(pipeline, method, request, Context(token));
  }

  template <typename Response>
  absl::StatusOr<Response> Call(std::string_view method, const google::protobuf::Message& request,
                                const std::string& token) {
    return Call<Response>(pipeline_, method, request, token);
  }

  // Signs in with the current TOTP code of Sam's secret (ignored for accounts without TOTP).
  absl::StatusOr<v1::LoginResponse> Login(const std::string& email, const std::string& password) {
    return LoginWithCode(email, password, TotpCode(mac_, kTotpSecret, TotpStep(clock_.Now())));
  }

  absl::StatusOr<v1::LoginResponse> LoginWithCode(const std::string& email,
                                                  const std::string& password,
                                                  const std::string& totp_code) {
    v1::LoginRequest request;
    request.set_email(email);
    request.set_password(password);
    request.set_totp_code(totp_code);
    return Call<v1::LoginResponse>(kLogin, request, "");
  }

  absl::StatusOr<v1::Client> GetClient(const std::string& token, const std::string& client_id) {
    v1::GetClientRequest request;
    request.set_client_id(client_id);
    return Call<v1::Client>(kGetClient, request, token);
  }

  absl::StatusOr<v1::Client> CreateClient(const std::string& token, const v1::Client& client,
                                          const std::string& request_id = "") {
    v1::CreateClientRequest request;
    *request.mutable_client() = client;
    request.set_request_id(request_id);
    return Call<v1::Client>(kCreateClient, request, token);
  }

  absl::StatusOr<v1::ListClientsResponse> ListClients(const std::string& token,
                                                      const v1::ListClientsRequest& request) {
    return Call<v1::ListClientsResponse>(kListClients, request, token);
  }

  absl::StatusOr<v1::Client> UpdatePreferredName(const std::string& token,
                                                 const std::string& client_id,
                                                 const std::string& etag,
                                                 const std::string& preferred_name) {
    v1::UpdateClientRequest request;
    request.mutable_client()->set_id(client_id);
    request.mutable_client()->set_etag(etag);
    request.mutable_client()->set_preferred_name(preferred_name);
    request.mutable_update_mask()->add_paths("preferred_name");
    return Call<v1::Client>(kUpdateClient, request, token);
  }

  std::optional<ClientRecord> StoredClient(const std::string& client_id) const {
    InMemoryDatabase committed = db_.Committed();
    auto it = committed.clients.find(client_id);
    if (it == committed.clients.end()) {
      return std::nullopt;
    }
    return it->second;
  }

  AuditEvent LastAuditEvent() const { return LastAuditEventOf(db_); }

  FakeClock clock_{kNow};
  FakeIdGenerator client_ids_{"client"};
  FakeIdGenerator session_ids_{"session"};
  FakeIdGenerator event_ids_{"event"};
  FakeSecretGenerator secrets_;
  FakePasswordHasher hasher_;
  InMemoryTransactionRunner db_;
  MethodTable table_;
  ClientService client_service_{client_ids_};
  AesGcmSecretBox box_{std::string(32, 'k')};
  OpenSslMessageAuthenticator mac_;
  PasswordChecker passwords_{hasher_, secrets_};
  AuthService auth_service_{passwords_, secrets_,        session_ids_,   box_,
                            mac_,       SessionPolicy{}, LockoutPolicy{}};
  Authenticator authenticator_{secrets_};
  BoundedExecutor executor_{2, 16};
  Pipeline pipeline_{table_, authenticator_, db_, executor_, clock_, event_ids_};
  int sessions_made_ = 0;
};

// --- Authentication -------------------------------------------------------------------------

// No clinic is known without a session, so there is nothing an audit event could belong to.
TEST_F(PipelineTest, RequestWithoutTokenIsUnauthenticatedAndWritesNoAuditEvent) {
  EXPECT_EQ(GetClient("", kJoId).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(db_.AuditEvents(), IsEmpty());
}

TEST_F(PipelineTest, RequestWithUnknownTokenIsUnauthenticated) {
  SignIn("sam");
  EXPECT_EQ(GetClient("tok-made-up", kJoId).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(db_.AuditEvents(), IsEmpty());
}

TEST_F(PipelineTest, SessionIsUnauthenticatedFromItsExpiryTime) {
  const std::string token = SignIn("sam", absl::Hours(1));
  clock_.Advance(absl::Hours(1) - absl::Seconds(1));
  EXPECT_TRUE(GetClient(token, kJoId).ok());

  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(GetClient(token, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(PipelineTest, RevokedSessionIsUnauthenticated) {
  const std::string token = SignIn("sam", absl::Hours(1), kNow - absl::Minutes(1));
  EXPECT_EQ(GetClient(token, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(PipelineTest, LoginReturnsATokenThatAuthenticatesLaterRequests) {
  absl::StatusOr<v1::LoginResponse> login = Login("sam@demo.confide.test", kPassword);
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_EQ(login->user().id(), "sam");
  EXPECT_FALSE(login->session_token().empty());

  absl::StatusOr<v1::Client> jo = GetClient(login->session_token(), kJoId);
  ASSERT_TRUE(jo.ok()) << jo.status();
  EXPECT_EQ(jo->id(), kJoId);
  EXPECT_EQ(LastAuditEvent().actor_user_id, "sam");
}

// A stolen copy of the database must not yield usable tokens.
TEST_F(PipelineTest, LoginStoresOnlyTheDigestOfTheToken) {
  absl::StatusOr<v1::LoginResponse> login = Login("sam@demo.confide.test", kPassword);
  ASSERT_TRUE(login.ok()) << login.status();
  const InMemoryDatabase committed = db_.Committed();
  ASSERT_THAT(committed.sessions, SizeIs(1));
  const SessionRecord& session = committed.sessions.begin()->second;
  EXPECT_EQ(session.token_digest, "d:" + login->session_token());
  EXPECT_EQ(session.user_id, "sam");
}

TEST_F(PipelineTest, LoginIgnoresEmailCaseAndSurroundingSpace) {
  EXPECT_TRUE(Login("  Sam@Demo.Confide.TEST ", kPassword).ok());
}

TEST_F(PipelineTest, StaffSessionFromLoginEndsAfterEightHours) {
  absl::StatusOr<v1::LoginResponse> login = Login("sam@demo.confide.test", kPassword);
  ASSERT_TRUE(login.ok()) << login.status();
  EXPECT_EQ(FromTimestamp(login->expire_time()), kNow + absl::Hours(8));

  clock_.Advance(absl::Hours(8));
  EXPECT_EQ(GetClient(login->session_token(), kJoId).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(PipelineTest, WrongPasswordIsUnauthenticatedAndAuditedAsFailure) {
  absl::StatusOr<v1::LoginResponse> login = Login("sam@demo.confide.test", "guess-1234");
  EXPECT_EQ(login.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(db_.Committed().sessions, IsEmpty());

  const AuditEvent event = LastAuditEvent();
  EXPECT_EQ(event.action, kLogin);
  EXPECT_EQ(event.outcome, "failure");
  EXPECT_EQ(event.status_code, "UNAUTHENTICATED");
  EXPECT_EQ(event.actor_user_id, "sam");
  EXPECT_EQ(event.clinic_id, kClinicA);
  EXPECT_EQ(event.request_id, kRequestId);
  EXPECT_EQ(event.source_address, kSourceAddress);
}

// Sign-in must not reveal which emails have accounts.
TEST_F(PipelineTest, UnknownEmailGetsTheSameAnswerAsWrongPassword) {
  const absl::Status wrong_password = Login("sam@demo.confide.test", "guess-1234").status();
  const absl::Status unknown_email = Login("nobody@demo.confide.test", "guess-1234").status();
  EXPECT_EQ(unknown_email.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown_email.code(), wrong_password.code());
  EXPECT_EQ(unknown_email.message(), wrong_password.message());
  EXPECT_EQ(LastAuditEvent().outcome, "failure");
}

TEST_F(PipelineTest, InactiveAccountCannotSignInEvenWithTheRightPassword) {
  ASSERT_TRUE(db_.Seed([](UnitOfWork& uow) {
                   UserRecord user{.password_hash = "h:" + std::string(kPassword), .active = false};
                   user.user.set_id("gone");
                   user.user.set_clinic_id(kClinicA);
                   user.user.set_email("gone@demo.confide.test");
                   user.user.set_role(v1::ROLE_CLINICIAN);
                   return uow.users().Insert(user, kNow);
                 })
                  .ok());
  const absl::Status status = Login("gone@demo.confide.test", kPassword).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status.message(), Login("sam@demo.confide.test", "guess-1234").status().message());
}

// An account whose password hash was made under an older cost setting ("old:" to the fake).
void SeedAccountWithOldHash(InMemoryTransactionRunner& db, const std::string& id) {
  ASSERT_TRUE(db.Seed([&](UnitOfWork& uow) {
                  UserRecord user{.password_hash = "old:" + std::string(kPassword)};
                  user.user.set_id(id);
                  user.user.set_clinic_id(kClinicA);
                  user.user.set_email(id + "@demo.confide.test");
                  user.user.set_role(v1::ROLE_CLINICIAN);
                  return uow.users().Insert(user, kNow);
                }).ok());
}

// After the argon2 cost setting changes, each account's hash is replaced at its next sign-in.
TEST_F(PipelineTest, SignInReplacesAHashMadeWithOlderSettings) {
  SeedAccountWithOldHash(db_, "veteran");
  ASSERT_TRUE(Login("veteran@demo.confide.test", kPassword).ok());
  EXPECT_EQ(db_.Committed().users.at("veteran").password_hash, "h:" + std::string(kPassword));
  EXPECT_TRUE(Login("veteran@demo.confide.test", kPassword).ok());
}

TEST_F(PipelineTest, FailedSignInLeavesAnOldHashAlone) {
  SeedAccountWithOldHash(db_, "veteran");
  EXPECT_FALSE(Login("veteran@demo.confide.test", "guess-1234").ok());
  EXPECT_EQ(db_.Committed().users.at("veteran").password_hash, "old:" + std::string(kPassword));
}

TEST_F(PipelineTest, LogoutRevokesTheSession) {
  absl::StatusOr<v1::LoginResponse> login = Login("sam@demo.confide.test", kPassword);
  ASSERT_TRUE(login.ok()) << login.status();
  const std::string& token = login->session_token();

  EXPECT_TRUE(Call<google::protobuf::Empty>(kLogout, v1::LogoutRequest(), token).ok());
  EXPECT_EQ(GetClient(token, kJoId).status().code(), absl::StatusCode::kUnauthenticated);
}

// --- Authorization and audit ----------------------------------------------------------------

TEST_F(PipelineTest, ClinicianWhoCreatesAClientJoinsItsCareTeam) {
  const std::string alex = SignIn("alex");
  absl::StatusOr<v1::Client> created = CreateClient(alex, NewClient("Riley"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_FALSE(created->id().empty());
  ASSERT_THAT(created->care_team(), SizeIs(1));
  EXPECT_EQ(created->care_team(0).user_id(), "alex");

  absl::StatusOr<v1::Client> fetched = GetClient(alex, created->id());
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->legal_given_name(), "Riley");
}

TEST_F(PipelineTest, SuccessfulCreateIsAuditedWithTheNewClient) {
  const std::string alex = SignIn("alex");
  absl::StatusOr<v1::Client> created = CreateClient(alex, NewClient("Riley"));
  ASSERT_TRUE(created.ok()) << created.status();

  const AuditEvent event = LastAuditEvent();
  EXPECT_FALSE(event.id.empty());
  EXPECT_EQ(event.time, kNow);
  EXPECT_EQ(event.action, kCreateClient);
  EXPECT_EQ(event.outcome, "success");
  EXPECT_EQ(event.status_code, "OK");
  EXPECT_EQ(event.client_id, created->id());
  EXPECT_EQ(event.resource, "clients/" + created->id());
  EXPECT_EQ(event.actor_user_id, "alex");
  EXPECT_EQ(event.actor_role, "clinician");
  EXPECT_EQ(event.clinic_id, kClinicA);
  EXPECT_EQ(event.request_id, kRequestId);
  EXPECT_EQ(event.source_address, kSourceAddress);
}

TEST_F(PipelineTest, ClinicianNotOnCareTeamGetsNotFoundAndTheDenialIsAudited) {
  EXPECT_EQ(GetClient(SignIn("alex"), kJoId).status().code(), absl::StatusCode::kNotFound);

  const AuditEvent event = LastAuditEvent();
  EXPECT_EQ(event.action, kGetClient);
  EXPECT_EQ(event.outcome, "denied");
  EXPECT_EQ(event.status_code, "NOT_FOUND");
  EXPECT_EQ(event.actor_user_id, "alex");
  EXPECT_EQ(event.client_id, kJoId);
  EXPECT_EQ(event.resource, std::string("clients/") + kJoId);
}

// A caller must not learn that a record exists by the way she is turned away.
TEST_F(PipelineTest, RecordOffCareTeamLooksExactlyLikeOneThatDoesNotExist) {
  const std::string alex = SignIn("alex");
  const absl::Status hidden = GetClient(alex, kJoId).status();
  const absl::Status missing = GetClient(alex, "client-does-not-exist").status();
  EXPECT_EQ(hidden.code(), missing.code());
  EXPECT_EQ(hidden.message(), missing.message());
}

TEST_F(PipelineTest, ClientOfAnotherClinicIsNotFound) {
  const std::string sam = SignIn("sam");
  EXPECT_EQ(GetClient(sam, kCaseyId).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(GetClient(SignIn("other"), kJoId).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(PipelineTest, UpdateOfAnotherClinicsClientIsNotFoundAndChangesNothing) {
  const std::string sam = SignIn("sam");
  EXPECT_EQ(UpdatePreferredName(sam, kCaseyId, "v1", "Changed").status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(StoredClient(kCaseyId).has_value());
  EXPECT_EQ(StoredClient(kCaseyId)->client.preferred_name(), "");
  EXPECT_EQ(StoredClient(kCaseyId)->version, 1);
}

TEST_F(PipelineTest, AdminReadsButMayNotUpdateAClientOfHerClinic) {
  const std::string admin = SignIn("admin");
  absl::StatusOr<v1::Client> jo = GetClient(admin, kJoId);
  ASSERT_TRUE(jo.ok()) << jo.status();

  EXPECT_EQ(UpdatePreferredName(admin, kJoId, jo->etag(), "Joey").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(LastAuditEvent().outcome, "denied");
  EXPECT_EQ(StoredClient(kJoId)->client.preferred_name(), "");
}

TEST_F(PipelineTest, MeResolvesToThePatientsOwnClient) {
  absl::StatusOr<v1::Client> me = GetClient(SignIn("jo"), "me");
  ASSERT_TRUE(me.ok()) << me.status();
  EXPECT_EQ(me->id(), kJoId);
  EXPECT_EQ(LastAuditEvent().client_id, kJoId);
  EXPECT_EQ(LastAuditEvent().resource, std::string("clients/") + kJoId);
}

TEST_F(PipelineTest, MeForAClinicianIsNotFound) {
  EXPECT_EQ(GetClient(SignIn("sam"), "me").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(PipelineTest, PatientListSeesOnlyHerOwnRecord) {
  const std::string sam = SignIn("sam");
  ASSERT_TRUE(CreateClient(sam, NewClient("Riley")).ok());

  absl::StatusOr<v1::ListClientsResponse> list = ListClients(SignIn("jo"), {});
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_THAT(list->clients(), SizeIs(1));
  EXPECT_EQ(list->clients(0).id(), kJoId);
}

TEST_F(PipelineTest, AuditorMayNotListClientsAndTheDenialIsAudited) {
  EXPECT_EQ(ListClients(SignIn("auditor"), {}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(LastAuditEvent().outcome, "denied");
  EXPECT_EQ(LastAuditEvent().actor_role, "auditor");
}

// --- Validation and transactions ------------------------------------------------------------

TEST_F(PipelineTest, InvalidFieldIsInvalidArgumentNamingTheFieldAndStoresNothing) {
  const size_t clients_before = db_.Committed().clients.size();
  v1::Client client = NewClient("Riley");
  client.set_date_of_birth("2024-02-30");

  const absl::Status status = CreateClient(SignIn("sam"), client).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("client.date_of_birth"));
  EXPECT_EQ(db_.Committed().clients.size(), clients_before);

  const AuditEvent event = LastAuditEvent();
  EXPECT_EQ(event.action, kCreateClient);
  EXPECT_EQ(event.outcome, "failure");
  EXPECT_EQ(event.status_code, "INVALID_ARGUMENT");
}

// The unit of work's savepoint: a handler that wrote and then failed leaves no trace but its
// audit event, which commits in the same transaction.
TEST_F(PipelineTest, HandlerThatWritesThenFailsLeavesOnlyItsAuditEvent) {
  MethodTable table;
  table.Add(MethodDefinition<v1::CreateClientRequest, v1::Client>{
      .full_name = kCreateClient,
      .mode = TransactionMode::kWrite,
      .action = Action::kCreateClient,
      .handler = [](const v1::CreateClientRequest& request,
                    RequestScope& scope) -> absl::StatusOr<v1::Client> {
        ClientRecord record{.clinic_id = scope.principal->clinic_id, .client = request.client()};
        record.client.set_id("client-half-written");
        if (absl::Status inserted = scope.uow.clients().Insert(record, "req-half");
            !inserted.ok()) {
          return inserted;
        }
        return InvalidField("client.date_of_birth", "found wanting after the write");
      }});
  Pipeline pipeline(table, authenticator_, db_, executor_, clock_, event_ids_);
  v1::CreateClientRequest request;
  *request.mutable_client() = NewClient("Riley");

  const absl::Status status =
      Call<v1::Client>(pipeline, kCreateClient, request, SignIn("sam")).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);

  const InMemoryDatabase committed = db_.Committed();
  EXPECT_EQ(committed.clients.count("client-half-written"), 0u);
  EXPECT_THAT(committed.client_create_requests, IsEmpty());
  ASSERT_THAT(committed.audit_events, SizeIs(1));
  EXPECT_EQ(committed.audit_events[0].action, kCreateClient);
  EXPECT_EQ(committed.audit_events[0].outcome, "failure");
  EXPECT_EQ(committed.audit_events[0].status_code, "INVALID_ARGUMENT");
}

TEST_F(PipelineTest, UpdateThatMakesTheRecordInvalidIsRefusedAndChangesNothing) {
  const std::string sam = SignIn("sam");
  absl::StatusOr<v1::Client> jo = GetClient(sam, kJoId);
  ASSERT_TRUE(jo.ok()) << jo.status();
  v1::UpdateClientRequest request;
  request.mutable_client()->set_id(kJoId);
  request.mutable_client()->set_etag(jo->etag());
  request.mutable_client()->set_email("not-an-email");
  request.mutable_update_mask()->add_paths("email");

  const absl::Status status = Call<v1::Client>(kUpdateClient, request, sam).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("client.email"));
  EXPECT_EQ(StoredClient(kJoId)->client.email(), "");
  EXPECT_EQ(StoredClient(kJoId)->version, 1);
}

TEST_F(PipelineTest, UpdateWithCurrentEtagChangesTheFieldAndTheEtag) {
  const std::string sam = SignIn("sam");
  absl::StatusOr<v1::Client> jo = GetClient(sam, kJoId);
  ASSERT_TRUE(jo.ok()) << jo.status();

  absl::StatusOr<v1::Client> updated = UpdatePreferredName(sam, kJoId, jo->etag(), "Joey");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->preferred_name(), "Joey");
  EXPECT_NE(updated->etag(), jo->etag());
  EXPECT_EQ(StoredClient(kJoId)->client.preferred_name(), "Joey");
}

// Two clinicians editing at once: the second save must not silently overwrite the first.
TEST_F(PipelineTest, UpdateWithStaleEtagIsAbortedAndKeepsTheFirstEdit) {
  const std::string sam = SignIn("sam");
  absl::StatusOr<v1::Client> jo = GetClient(sam, kJoId);
  ASSERT_TRUE(jo.ok()) << jo.status();
  ASSERT_TRUE(UpdatePreferredName(sam, kJoId, jo->etag(), "Joey").ok());

  EXPECT_EQ(UpdatePreferredName(sam, kJoId, jo->etag(), "Jojo").status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(StoredClient(kJoId)->client.preferred_name(), "Joey");
}

// A phone that lost the first answer retries; the clinic must not get a duplicate client.
TEST_F(PipelineTest, CreateRetriedWithTheSameRequestIdReturnsTheSameClient) {
  const std::string sam = SignIn("sam");
  const size_t clients_before = db_.Committed().clients.size();

  absl::StatusOr<v1::Client> first = CreateClient(sam, NewClient("Riley"), "retry-1");
  absl::StatusOr<v1::Client> second = CreateClient(sam, NewClient("Riley"), "retry-1");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->id(), first->id());
  EXPECT_EQ(second->etag(), first->etag());
  EXPECT_EQ(db_.Committed().clients.size(), clients_before + 1);
}

TEST_F(PipelineTest, CreatesWithDifferentRequestIdsMakeDifferentClients) {
  const std::string sam = SignIn("sam");
  absl::StatusOr<v1::Client> first = CreateClient(sam, NewClient("Riley"), "retry-1");
  absl::StatusOr<v1::Client> second = CreateClient(sam, NewClient("Riley"), "retry-2");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(second->id(), first->id());
}

TEST_F(PipelineTest, RequestIdOfAnotherClinicDoesNotReplayItsCreate) {
  absl::StatusOr<v1::Client> in_a = CreateClient(SignIn("sam"), NewClient("Riley"), "retry-1");
  absl::StatusOr<v1::Client> in_b = CreateClient(SignIn("other"), NewClient("Robin"), "retry-1");
  ASSERT_TRUE(in_a.ok() && in_b.ok());
  EXPECT_NE(in_b->id(), in_a->id());
  EXPECT_EQ(in_b->legal_given_name(), "Robin");
  EXPECT_EQ(StoredClient(in_b->id())->clinic_id, kClinicB);
}

// A guessed or leaked request_id must not hand a clinician off the care team the record that the
// first create made.
TEST_F(PipelineTest, CreateReplayRevealsNothingToACallerWhoMayNotSeeTheClient) {
  absl::StatusOr<v1::Client> created = CreateClient(SignIn("sam"), NewClient("Riley"), "retry-1");
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string alex = SignIn("alex");
  ASSERT_EQ(GetClient(alex, created->id()).status().code(), absl::StatusCode::kNotFound);

  absl::StatusOr<v1::Client> replay = CreateClient(alex, NewClient("Someone"), "retry-1");
  EXPECT_FALSE(replay.ok() && replay->id() == created->id())
      << "Alex received a client whose care team she is not on";
  EXPECT_NE(LastAuditEvent().outcome, "success");
}

// --- Pagination ----------------------------------------------------------------------------

TEST_F(PipelineTest, ListPagesReturnEveryClientExactlyOnceInCreationOrder) {
  const std::string alex = SignIn("alex");
  std::vector<std::string> created;
  for (int i = 1; i <= 5; ++i) {
    absl::StatusOr<v1::Client> client = CreateClient(alex, NewClient("Client" + std::to_string(i)));
    ASSERT_TRUE(client.ok()) << client.status();
    created.push_back(client->id());
  }

  std::vector<std::string> listed;
  std::vector<int> page_sizes;
  v1::ListClientsRequest request;
  request.set_page_size(2);
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<v1::ListClientsResponse> page = ListClients(alex, request);
    ASSERT_TRUE(page.ok()) << page.status();
    page_sizes.push_back(page->clients_size());
    for (const v1::Client& client : page->clients()) {
      listed.push_back(client.id());
    }
    if (page->next_page_token().empty()) {
      break;
    }
    request.set_page_token(page->next_page_token());
  }
  EXPECT_THAT(page_sizes, ElementsAre(2, 2, 1));
  EXPECT_THAT(listed, ElementsAreArray(created));
  EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()).size(), listed.size());
}

TEST_F(PipelineTest, PageTokenNotFromAListResponseIsInvalidArgument) {
  const std::string sam = SignIn("sam");
  for (const std::string& token :
       {std::string("not-a-token!"), std::string("bm90LWEtdG9rZW4"),
        absl::WebSafeBase64Escape(std::string("clients:v1:")),
        absl::WebSafeBase64Escape(std::string("programmes:v1:client-jo"))}) {
    SCOPED_TRACE(token);
    v1::ListClientsRequest request;
    request.set_page_token(token);
    const absl::Status status = ListClients(sam, request).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(ViolatedFields(status), ElementsAre("page_token"));
  }
}

// --- Dispatch on the executor ---------------------------------------------------------------

TEST_F(PipelineTest, DispatchRunsTheRequestOnAWorkerAndAnswersOnce) {
  const std::string sam = SignIn("sam");
  auto request = std::make_unique<v1::GetClientRequest>();
  request->set_client_id(kJoId);
  std::promise<std::pair<RpcResult, std::thread::id>> answered;
  std::future<std::pair<RpcResult, std::thread::id>> answer = answered.get_future();

  pipeline_.Dispatch(*table_.Find(kGetClient), std::move(request), Context(sam),
                     [&answered](RpcResult result) {
                       answered.set_value({std::move(result), std::this_thread::get_id()});
                     });
  auto [result, thread] = answer.get();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(dynamic_cast<const v1::Client&>(**result).id(), kJoId);
  EXPECT_NE(thread, std::this_thread::get_id());
}

// I/O threads must never wait for a busy server: a full queue is answered on the spot.
TEST_F(PipelineTest, DispatchAnswersResourceExhaustedAtOnceWhenTheQueueIsFull) {
  GatedTransactionRunner slow_db(db_);
  BoundedExecutor executor(1, 1);
  Pipeline pipeline(table_, authenticator_, slow_db, executor, clock_, event_ids_);
  const MethodSpec& get_client = *table_.Find(kGetClient);
  const std::string sam = SignIn("sam");
  auto request = [] {
    auto r = std::make_unique<v1::GetClientRequest>();
    r->set_client_id(kJoId);
    return r;
  };
  std::promise<RpcResult> running_answered;
  std::promise<RpcResult> queued_answered;
  std::future<RpcResult> running = running_answered.get_future();
  std::future<RpcResult> queued = queued_answered.get_future();

  pipeline.Dispatch(get_client, request(), Context(sam),
                    [&](RpcResult r) { running_answered.set_value(std::move(r)); });
  slow_db.AwaitWaiting(1);  // the only worker is now busy with the first request
  pipeline.Dispatch(get_client, request(), Context(sam),
                    [&](RpcResult r) { queued_answered.set_value(std::move(r)); });

  std::optional<RpcResult> refused;
  std::thread::id refused_on;
  pipeline.Dispatch(get_client, request(), Context(sam), [&](RpcResult r) {
    refused = std::move(r);
    refused_on = std::this_thread::get_id();
  });
  // Answered before Dispatch returned, on the calling thread.
  const bool answered_at_once = refused.has_value();
  const absl::StatusCode refused_code =
      answered_at_once ? refused->status().code() : absl::StatusCode::kOk;

  slow_db.Open();
  const RpcResult first = running.get();
  const RpcResult second = queued.get();
  executor.Shutdown();

  EXPECT_TRUE(answered_at_once);
  EXPECT_EQ(refused_code, absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(refused_on, std::this_thread::get_id());
  EXPECT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(second.ok()) << second.status();
}

}  // namespace
}  // namespace confide
