// The identity and access repositories (MFA, sessions, sign-in throttle, one-time tokens, care
// teams, partner links, break-glass grants, the outbox) against a real database: SQLite or
// PostgreSQL, whichever CONFIDE_TEST_DATABASE names.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "adapters/persistence/database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/audit/ports/audit_log.h"
#include "services/auth/ports/one_time_token_repository.h"
#include "services/auth/ports/session_repository.h"
#include "services/auth/ports/sign_in_throttle_repository.h"
#include "services/auth/ports/user_repository.h"
#include "services/break_glass/ports/break_glass_repository.h"
#include "services/clients/ports/care_team_repository.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/timestamps.h"
#include "services/messaging/ports/outbox.h"
#include "services/partners/ports/partner_link_repository.h"
#include "services/storage/ports/unit_of_work.h"
#include "soci/soci.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Ids sort like their numbers, which keyset pagination and "ordered by id" rely on.
std::string Id(int n) { return absl::StrFormat("00000000-0000-7000-8000-%012d", 5000 + n); }

const std::string kClient1 = Id(1);
const std::string kClient2 = Id(2);
const std::string kClientInB = Id(3);

template <typename Record>
std::vector<std::string> IdsOf(const std::vector<Record>& records) {
  std::vector<std::string> ids;
  for (const Record& record : records) {
    ids.push_back(record.id);
  }
  return ids;
}

std::vector<std::string> UserIdsOf(const std::vector<UserRecord>& records) {
  std::vector<std::string> ids;
  for (const UserRecord& record : records) {
    ids.push_back(record.user.id());
  }
  return ids;
}

UserRecord NewUser(const std::string& id, const std::string& clinic_id, v1::Role role,
                   const std::string& client_id = "") {
  UserRecord record{.password_hash = "$argon2id$" + id};
  record.user.set_id(id);
  record.user.set_clinic_id(clinic_id);
  record.user.set_email(id + "@example.org");
  record.user.set_display_name("User " + id.substr(id.size() - 4));
  record.user.set_role(role);
  record.user.set_client_id(client_id);
  return record;
}

// A migrated scratch database holding clinics A and B, their clinicians, and clients 1 and 2
// in clinic A and one client in clinic B.
class IdentityRepositoryTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    absl::Status seeded =
        InsertClients({NewClient(kClient1, kClinicA), NewClient(kClient2, kClinicA),
                       NewClient(kClientInB, kClinicB)});
    ASSERT_TRUE(seeded.ok()) << seeded;
  }

  std::optional<UserRecord> FindUser(const std::string& id) {
    absl::StatusOr<std::optional<UserRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.users().FindById(id); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  std::optional<SessionRecord> FindSession(const std::string& digest) {
    absl::StatusOr<std::optional<SessionRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.sessions().FindByDigest(digest); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  std::vector<CareTeamMemberRecord> CareTeam(const std::string& client_id) {
    absl::StatusOr<std::vector<CareTeamMemberRecord>> team =
        Read([&](UnitOfWork& uow) { return uow.care_teams().List(client_id); });
    EXPECT_TRUE(team.ok()) << team.status();
    return team.ok() ? *team : std::vector<CareTeamMemberRecord>{};
  }

  // The user ids of the client's primary members (at most one, if the invariant holds).
  std::vector<std::string> PrimariesOf(const std::string& client_id) {
    std::vector<std::string> primaries;
    for (const CareTeamMemberRecord& member : CareTeam(client_id)) {
      if (member.is_primary) {
        primaries.push_back(member.user_id);
      }
    }
    return primaries;
  }
};

// ---- Users ----

TEST_F(IdentityRepositoryTest, TotpFieldsRoundTripThroughInsertAndFind) {
  UserRecord dana = NewUser(Id(101), kClinicA, v1::ROLE_CLINICIAN);
  dana.totp_secret_sealed = "sealed:secret";
  dana.totp_pending_sealed = "sealed:pending";
  dana.totp_last_step = 57'239'057'123LL;  // beyond 32 bits
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.users().Insert(dana, kCreateTime); }).ok());

  std::optional<UserRecord> found = FindUser(Id(101));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->totp_secret_sealed, "sealed:secret");
  EXPECT_EQ(found->totp_pending_sealed, "sealed:pending");
  EXPECT_EQ(found->totp_last_step, 57'239'057'123LL);
  EXPECT_EQ(found->user.role(), v1::ROLE_CLINICIAN);
  EXPECT_EQ(found->password_hash, dana.password_hash);
}

TEST_F(IdentityRepositoryTest, UpdateTotpSecretsStoresBothAndUnknownUserIsNotFound) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) {
                return uow.users().UpdateTotpSecrets(kAlice, "", "sealed:pending");
              }).ok());
  std::optional<UserRecord> pending = FindUser(kAlice);
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->totp_secret_sealed, "");
  EXPECT_EQ(pending->totp_pending_sealed, "sealed:pending");

  // Confirming enrolment: the pending secret becomes the secret.
  ASSERT_TRUE(Write([](UnitOfWork& uow) {
                return uow.users().UpdateTotpSecrets(kAlice, "sealed:pending", "");
              }).ok());
  std::optional<UserRecord> enrolled = FindUser(kAlice);
  ASSERT_TRUE(enrolled.has_value());
  EXPECT_EQ(enrolled->totp_secret_sealed, "sealed:pending");
  EXPECT_EQ(enrolled->totp_pending_sealed, "");

  absl::Status unknown =
      Write([](UnitOfWork& uow) { return uow.users().UpdateTotpSecrets(Id(999), "x", ""); });
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound) << unknown;
}

// A TOTP code is good once: the same or an older step is refused (replay).
TEST_F(IdentityRepositoryTest, AdvanceTotpStepSucceedsOnlyForAGreaterStep) {
  auto advance = [&](int64_t step) {
    return WriteReturning(
        [&](UnitOfWork& uow) { return uow.users().AdvanceTotpStep(kAlice, step); });
  };
  absl::StatusOr<bool> first = advance(1000);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(*first);
  absl::StatusOr<bool> replay = advance(1000);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_FALSE(*replay);
  absl::StatusOr<bool> older = advance(999);
  ASSERT_TRUE(older.ok()) << older.status();
  EXPECT_FALSE(*older);
  absl::StatusOr<bool> next = advance(1001);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_TRUE(*next);

  std::optional<UserRecord> found = FindUser(kAlice);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->totp_last_step, 1001);

  absl::StatusOr<bool> unknown =
      WriteReturning([](UnitOfWork& uow) { return uow.users().AdvanceTotpStep(Id(999), 5); });
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_FALSE(*unknown);
}

TEST_F(IdentityRepositoryTest, SetActiveDeactivatesAndReactivatesAndUnknownUserIsNotFound) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) {
                return uow.users().SetActive(kAlice, false, kCreateTime + absl::Hours(1));
              }).ok());
  std::optional<UserRecord> inactive = FindUser(kAlice);
  ASSERT_TRUE(inactive.has_value());
  EXPECT_FALSE(inactive->active);

  ASSERT_TRUE(Write([](UnitOfWork& uow) {
                return uow.users().SetActive(kAlice, true, kCreateTime + absl::Hours(2));
              }).ok());
  std::optional<UserRecord> active = FindUser(kAlice);
  ASSERT_TRUE(active.has_value());
  EXPECT_TRUE(active->active);

  absl::Status unknown =
      Write([](UnitOfWork& uow) { return uow.users().SetActive(Id(999), false, kCreateTime); });
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound) << unknown;
}

// A partner account is bound to the same client record as the patient; only the patient is
// "the patient of the client".
TEST_F(IdentityRepositoryTest, FindPatientOfClientReturnsThePatientAccountInThatClinicOnly) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) -> absl::Status {
                for (const UserRecord& user :
                     {NewUser(Id(101), kClinicA, v1::ROLE_PARTNER, kClient1),
                      NewUser(Id(102), kClinicA, v1::ROLE_PATIENT, kClient1)}) {
                  if (absl::Status s = uow.users().Insert(user, kCreateTime); !s.ok()) {
                    return s;
                  }
                }
                return absl::OkStatus();
              }).ok());

  absl::StatusOr<std::optional<UserRecord>> patient =
      Read([](UnitOfWork& uow) { return uow.users().FindPatientOfClient(kClinicA, kClient1); });
  ASSERT_TRUE(patient.ok()) << patient.status();
  ASSERT_TRUE(patient->has_value());
  EXPECT_EQ((*patient)->user.id(), Id(102));
  EXPECT_EQ((*patient)->user.role(), v1::ROLE_PATIENT);
  EXPECT_EQ((*patient)->user.client_id(), kClient1);

  for (const auto& [clinic, client] : {std::pair{kClinicB, kClient1}, {kClinicA, kClient2}}) {
    absl::StatusOr<std::optional<UserRecord>> none =
        Read([&](UnitOfWork& uow) { return uow.users().FindPatientOfClient(clinic, client); });
    ASSERT_TRUE(none.ok()) << none.status();
    EXPECT_FALSE(none->has_value()) << clinic << " " << client;
  }
}

TEST_F(IdentityRepositoryTest, ListReturnsTheClinicsUsersByIdFilteredByRolesAfterTheCursor) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) -> absl::Status {
                for (const UserRecord& user :
                     {NewUser(Id(101), kClinicA, v1::ROLE_PATIENT, kClient1),
                      NewUser(Id(102), kClinicA, v1::ROLE_ADMIN),
                      NewUser(Id(103), kClinicA, v1::ROLE_PARTNER, kClient1),
                      NewUser(Id(104), kClinicB, v1::ROLE_ADMIN)}) {
                  if (absl::Status s = uow.users().Insert(user, kCreateTime); !s.ok()) {
                    return s;
                  }
                }
                return absl::OkStatus();
              }).ok());
  auto list = [&](UserQuery query) {
    absl::StatusOr<std::vector<UserRecord>> users =
        Read([&](UnitOfWork& uow) { return uow.users().List(query); });
    EXPECT_TRUE(users.ok()) << users.status();
    return users.ok() ? UserIdsOf(*users) : std::vector<std::string>{};
  };

  EXPECT_THAT(list({.clinic_id = kClinicA}), ElementsAre(kAlice, kBea, Id(101), Id(102), Id(103)));
  EXPECT_THAT(list({.clinic_id = kClinicA, .roles = {v1::ROLE_CLINICIAN, v1::ROLE_ADMIN}}),
              ElementsAre(kAlice, kBea, Id(102)));
  EXPECT_THAT(list({.clinic_id = kClinicA, .roles = {v1::ROLE_AUDITOR}}), IsEmpty());
  EXPECT_THAT(list({.clinic_id = kClinicA, .limit = 2}), ElementsAre(kAlice, kBea));
  EXPECT_THAT(list({.clinic_id = kClinicA, .after_id = kBea, .limit = 2}),
              ElementsAre(Id(101), Id(102)));
  EXPECT_THAT(list({.clinic_id = kClinicA,
                    .roles = {v1::ROLE_PATIENT, v1::ROLE_PARTNER},
                    .after_id = Id(101)}),
              ElementsAre(Id(103)));
  EXPECT_THAT(list({.clinic_id = kClinicB}), ElementsAre(kCai, Id(104)));
}

TEST_F(IdentityRepositoryTest, RecoveryCodeIsUsableOnceAndReplacingForgetsTheOldOnes) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) {
                return uow.users().ReplaceRecoveryCodes(kAlice, {"d1", "d2", "d3"});
              }).ok());
  auto count = [&](const char* user) {
    absl::StatusOr<int> n =
        Read([&](UnitOfWork& uow) { return uow.users().CountUnusedRecoveryCodes(user); });
    EXPECT_TRUE(n.ok()) << n.status();
    return n.ok() ? *n : -1;
  };
  auto use = [&](const char* user, const char* digest) {
    absl::StatusOr<bool> used = WriteReturning([&](UnitOfWork& uow) {
      return uow.users().UseRecoveryCode(user, digest, kCreateTime + absl::Hours(1));
    });
    EXPECT_TRUE(used.ok()) << used.status();
    return used.ok() && *used;
  };
  EXPECT_EQ(count(kAlice), 3);
  EXPECT_EQ(count(kBea), 0);

  EXPECT_TRUE(use(kAlice, "d2"));
  EXPECT_FALSE(use(kAlice, "d2"));
  EXPECT_FALSE(use(kAlice, "unknown"));
  EXPECT_FALSE(use(kBea, "d1"));  // another account's code
  EXPECT_EQ(count(kAlice), 2);

  ASSERT_TRUE(Write([](UnitOfWork& uow) {
                return uow.users().ReplaceRecoveryCodes(kAlice, {"e1", "e2"});
              }).ok());
  EXPECT_EQ(count(kAlice), 2);
  EXPECT_FALSE(use(kAlice, "d1"));
  EXPECT_TRUE(use(kAlice, "e1"));
  EXPECT_EQ(count(kAlice), 1);
}

// ---- Sessions ----

SessionRecord NewSession(int n, const std::string& user_id, absl::Time create_time,
                         absl::Duration lifetime = absl::Hours(12)) {
  return SessionRecord{.id = Id(300 + n),
                       .token_digest = absl::StrFormat("digest-%d", n),
                       .user_id = user_id,
                       .clinic_id = user_id == kCai ? kClinicB : kClinicA,
                       .create_time = create_time,
                       .expire_time = create_time + lifetime,
                       .last_seen_time = create_time,
                       .idle_timeout = absl::Minutes(30),
                       .source_address = "203.0.113.7"};
}

absl::Status InsertSessions(UnitOfWork& uow, const std::vector<SessionRecord>& sessions) {
  for (const SessionRecord& session : sessions) {
    if (absl::Status s = uow.sessions().Insert(session); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

TEST_F(IdentityRepositoryTest, SessionRoundTripsEveryField) {
  SessionRecord session = NewSession(1, kAlice, kCreateTime);
  session.last_seen_time = kCreateTime + absl::Microseconds(1'234'567);
  session.idle_timeout = absl::Minutes(15) + absl::Microseconds(3);
  session.mfa_verified = true;
  session.source_address = "2001:db8::1";
  session.revoke_time = kCreateTime + absl::Hours(1);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.sessions().Insert(session); }).ok());

  std::optional<SessionRecord> found = FindSession("digest-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, session.id);
  EXPECT_EQ(found->token_digest, "digest-1");
  EXPECT_EQ(found->user_id, kAlice);
  EXPECT_EQ(found->clinic_id, kClinicA);
  EXPECT_EQ(found->create_time, session.create_time);
  EXPECT_EQ(found->expire_time, session.expire_time);
  EXPECT_EQ(found->revoke_time, session.revoke_time);
  EXPECT_EQ(found->last_seen_time, session.last_seen_time);
  EXPECT_EQ(found->idle_timeout, session.idle_timeout);
  EXPECT_TRUE(found->mfa_verified);
  EXPECT_EQ(found->source_address, "2001:db8::1");
}

TEST_F(IdentityRepositoryTest, TouchMovesLastSeenForwardOnly) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) {
                return InsertSessions(uow, {NewSession(1, kAlice, kCreateTime)});
              }).ok());
  const absl::Time later = kCreateTime + absl::Minutes(10);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.sessions().Touch(Id(301), later); }).ok());
  std::optional<SessionRecord> touched = FindSession("digest-1");
  ASSERT_TRUE(touched.has_value());
  EXPECT_EQ(touched->last_seen_time, later);

  // A slower request that started earlier commits last: last_seen_time stays.
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.sessions().Touch(Id(301), later - absl::Minutes(1));
              }).ok());
  std::optional<SessionRecord> again = FindSession("digest-1");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->last_seen_time, later);
}

TEST_F(IdentityRepositoryTest, MarkMfaVerifiedSetsTheFlagAndUnknownSessionIsNotFound) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) {
                return InsertSessions(uow, {NewSession(1, kAlice, kCreateTime)});
              }).ok());
  std::optional<SessionRecord> before = FindSession("digest-1");
  ASSERT_TRUE(before.has_value());
  EXPECT_FALSE(before->mfa_verified);

  ASSERT_TRUE(Write([](UnitOfWork& uow) { return uow.sessions().MarkMfaVerified(Id(301)); }).ok());
  std::optional<SessionRecord> after = FindSession("digest-1");
  ASSERT_TRUE(after.has_value());
  EXPECT_TRUE(after->mfa_verified);

  absl::Status unknown =
      Write([](UnitOfWork& uow) { return uow.sessions().MarkMfaVerified(Id(999)); });
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound) << unknown;
}

TEST_F(IdentityRepositoryTest, RevokeAllOfUserRevokesHerOtherLiveSessionsAndCountsThem) {
  const absl::Time now = kCreateTime + absl::Hours(1);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return InsertSessions(
                    uow, {NewSession(1, kAlice, kCreateTime), NewSession(2, kAlice, kCreateTime),
                          NewSession(3, kAlice, kCreateTime),
                          // Already past its absolute expiry: dead, not counted.
                          NewSession(4, kAlice, kCreateTime, absl::Minutes(30)),
                          NewSession(5, kBea, kCreateTime)});
              }).ok());
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.sessions().Revoke(Id(303), kCreateTime + absl::Minutes(5));
              }).ok());

  absl::StatusOr<int> revoked = WriteReturning(
      [&](UnitOfWork& uow) { return uow.sessions().RevokeAllOfUser(kAlice, Id(301), now); });
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(*revoked, 1);  // session 2 only

  std::optional<SessionRecord> kept = FindSession("digest-1");
  ASSERT_TRUE(kept.has_value());
  EXPECT_FALSE(kept->revoke_time.has_value());
  std::optional<SessionRecord> second = FindSession("digest-2");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->revoke_time, now);
  std::optional<SessionRecord> earlier = FindSession("digest-3");
  ASSERT_TRUE(earlier.has_value());
  EXPECT_EQ(earlier->revoke_time, kCreateTime + absl::Minutes(5));
  std::optional<SessionRecord> beas = FindSession("digest-5");
  ASSERT_TRUE(beas.has_value());
  EXPECT_FALSE(beas->revoke_time.has_value());

  absl::StatusOr<int> again = WriteReturning(
      [&](UnitOfWork& uow) { return uow.sessions().RevokeAllOfUser(kAlice, Id(301), now); });
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 0);

  // With nothing kept (sign out everywhere) the last one goes too.
  absl::StatusOr<int> everywhere = WriteReturning(
      [&](UnitOfWork& uow) { return uow.sessions().RevokeAllOfUser(kAlice, "", now); });
  ASSERT_TRUE(everywhere.ok()) << everywhere.status();
  EXPECT_EQ(*everywhere, 1);
}

TEST_F(IdentityRepositoryTest, ListLiveOfUserReturnsHerUnrevokedUnexpiredSessionsNewestFirst) {
  const absl::Time now = kCreateTime + absl::Hours(1);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                if (absl::Status s =
                        InsertSessions(uow, {NewSession(1, kAlice, kCreateTime),
                                             NewSession(2, kAlice, kCreateTime + absl::Minutes(20)),
                                             NewSession(3, kAlice, kCreateTime + absl::Minutes(10)),
                                             NewSession(4, kAlice, kCreateTime + absl::Minutes(30)),
                                             NewSession(5, kAlice, kCreateTime, absl::Minutes(59)),
                                             NewSession(6, kBea, kCreateTime + absl::Minutes(40))});
                    !s.ok()) {
                  return s;
                }
                return uow.sessions().Revoke(Id(304), kCreateTime + absl::Minutes(31));
              }).ok());

  absl::StatusOr<std::vector<SessionRecord>> live =
      Read([&](UnitOfWork& uow) { return uow.sessions().ListLiveOfUser(kAlice, now); });
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_THAT(IdsOf(*live), ElementsAre(Id(302), Id(303), Id(301)));
  ASSERT_FALSE(live->empty());
  EXPECT_EQ(live->front().source_address, "203.0.113.7");
  EXPECT_EQ(live->front().idle_timeout, absl::Minutes(30));
}

// ---- Sign-in throttle ----

// Old failures (made-up emails included) are deleted, but not a key still locked or recent.
TEST_F(IdentityRepositoryTest, ThrottleForgetsOnlyKeysWhoseFailuresAndLockEndedBeforeTheCutoff) {
  const absl::Time cutoff = kCreateTime + absl::Hours(1);
  const ThrottleRecord old{.key = "email:old",
                           .failures = 3,
                           .last_failure_time = kCreateTime,
                           .locked_until = absl::UnixEpoch()};
  const ThrottleRecord still_locked{.key = "email:locked",
                                    .failures = 9,
                                    .last_failure_time = kCreateTime,
                                    .locked_until = cutoff + absl::Minutes(1)};
  const ThrottleRecord recent{.key = "address:203.0.113.7",
                              .failures = 1,
                              .last_failure_time = cutoff,
                              .locked_until = absl::UnixEpoch()};
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                for (const ThrottleRecord& record : {old, still_locked, recent}) {
                  if (absl::Status s = uow.sign_in_throttle().Put(record); !s.ok()) {
                    return s;
                  }
                }
                return uow.sign_in_throttle().ForgetOlderThan(cutoff);
              }).ok());
  for (const auto& [key, kept] :
       {std::pair{old.key, false}, {still_locked.key, true}, {recent.key, true}}) {
    absl::StatusOr<std::optional<ThrottleRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.sign_in_throttle().Find(key); });
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_EQ(found->has_value(), kept) << key;
  }
}

TEST_F(IdentityRepositoryTest, ThrottlePutInsertsThenReplacesAndClearForgets) {
  constexpr char kKey[] = "email:4f2a";
  absl::StatusOr<std::optional<ThrottleRecord>> none =
      Read([&](UnitOfWork& uow) { return uow.sign_in_throttle().Find(kKey); });
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());

  const ThrottleRecord first{.key = kKey,
                             .failures = 1,
                             .last_failure_time = kCreateTime,
                             .locked_until = absl::UnixEpoch()};
  const ThrottleRecord fifth{.key = kKey,
                             .failures = 5,
                             .last_failure_time = kCreateTime + absl::Seconds(40),
                             .locked_until = kCreateTime + absl::Minutes(15)};
  for (const ThrottleRecord& record : {first, fifth}) {
    ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.sign_in_throttle().Put(record); }).ok());
    absl::StatusOr<std::optional<ThrottleRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.sign_in_throttle().Find(kKey); });
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->key, kKey);
    EXPECT_EQ((*found)->failures, record.failures);
    EXPECT_EQ((*found)->last_failure_time, record.last_failure_time);
    EXPECT_EQ((*found)->locked_until, record.locked_until);
  }
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.sign_in_throttle().Put({.key = "address:203.0.113.7",
                                                   .failures = 2,
                                                   .last_failure_time = kCreateTime});
              }).ok());

  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.sign_in_throttle().Clear(kKey); }).ok());
  absl::StatusOr<std::optional<ThrottleRecord>> cleared =
      Read([&](UnitOfWork& uow) { return uow.sign_in_throttle().Find(kKey); });
  ASSERT_TRUE(cleared.ok()) << cleared.status();
  EXPECT_FALSE(cleared->has_value());
  absl::StatusOr<std::optional<ThrottleRecord>> other =
      Read([&](UnitOfWork& uow) { return uow.sign_in_throttle().Find("address:203.0.113.7"); });
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE(other->has_value());
  EXPECT_EQ((*other)->failures, 2);
}

// ---- One-time tokens ----

OneTimeTokenRecord NewToken(int n, TokenPurpose purpose, const std::string& email,
                            const std::string& user_id = "") {
  return OneTimeTokenRecord{.id = Id(400 + n),
                            .token_digest = absl::StrFormat("token-%d", n),
                            .purpose = purpose,
                            .clinic_id = kClinicA,
                            .email = email,
                            .user_id = user_id,
                            .created_by = kAlice,
                            .create_time = kCreateTime,
                            .expire_time = kCreateTime + absl::Hours(72)};
}

std::optional<OneTimeTokenRecord> FindTokenIn(UnitOfWork& uow, const std::string& digest) {
  absl::StatusOr<std::optional<OneTimeTokenRecord>> found =
      uow.one_time_tokens().FindByDigest(digest);
  EXPECT_TRUE(found.ok()) << found.status();
  return found.ok() ? *found : std::nullopt;
}

TEST_F(IdentityRepositoryTest, OneTimeTokenRoundTripsEveryField) {
  OneTimeTokenRecord token = NewToken(1, TokenPurpose::kPartnerInvitation, "sam@example.org");
  token.display_name = "Sam Rivera";
  token.role = v1::ROLE_PARTNER;
  token.discipline = v1::DISCIPLINE_OTHER;
  token.client_id = kClient1;
  token.user_id = kBea;
  token.partner_shares = 0b1011;
  token.use_time = kCreateTime + absl::Hours(1);
  token.revoke_time = kCreateTime + absl::Hours(2);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.one_time_tokens().Insert(token); }).ok());

  absl::StatusOr<std::optional<OneTimeTokenRecord>> found =
      Read([](UnitOfWork& uow) { return uow.one_time_tokens().FindByDigest("token-1"); });
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  const OneTimeTokenRecord& f = **found;
  EXPECT_EQ(f.id, token.id);
  EXPECT_EQ(f.token_digest, "token-1");
  EXPECT_EQ(f.purpose, TokenPurpose::kPartnerInvitation);
  EXPECT_EQ(f.clinic_id, kClinicA);
  EXPECT_EQ(f.email, "sam@example.org");
  EXPECT_EQ(f.display_name, "Sam Rivera");
  EXPECT_EQ(f.role, v1::ROLE_PARTNER);
  EXPECT_EQ(f.discipline, v1::DISCIPLINE_OTHER);
  EXPECT_EQ(f.client_id, kClient1);
  EXPECT_EQ(f.user_id, kBea);
  EXPECT_EQ(f.partner_shares, 0b1011u);
  EXPECT_EQ(f.created_by, kAlice);
  EXPECT_EQ(f.create_time, token.create_time);
  EXPECT_EQ(f.expire_time, token.expire_time);
  EXPECT_EQ(f.use_time, token.use_time);
  EXPECT_EQ(f.revoke_time, token.revoke_time);

  absl::StatusOr<std::optional<OneTimeTokenRecord>> unknown =
      Read([](UnitOfWork& uow) { return uow.one_time_tokens().FindByDigest("token-9"); });
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_FALSE(unknown->has_value());
}

TEST_F(IdentityRepositoryTest, TokenIsMarkedUsedOnceAndARevokedTokenNever) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) -> absl::Status {
                for (const OneTimeTokenRecord& token :
                     {NewToken(1, TokenPurpose::kStaffInvitation, "dana@example.org"),
                      NewToken(2, TokenPurpose::kPasswordReset, "", kBea)}) {
                  if (absl::Status s = uow.one_time_tokens().Insert(token); !s.ok()) {
                    return s;
                  }
                }
                return uow.one_time_tokens().RevokeOutstanding(
                    NewToken(0, TokenPurpose::kPasswordReset, "", kBea), kCreateTime);
              }).ok());
  const absl::Time when = kCreateTime + absl::Hours(1);
  auto mark_used = [&](const std::string& id) {
    absl::StatusOr<bool> used =
        WriteReturning([&](UnitOfWork& uow) { return uow.one_time_tokens().MarkUsed(id, when); });
    EXPECT_TRUE(used.ok()) << used.status();
    return used.ok() && *used;
  };

  EXPECT_TRUE(mark_used(Id(401)));
  EXPECT_FALSE(mark_used(Id(401)));
  EXPECT_FALSE(mark_used(Id(402)));
  EXPECT_FALSE(mark_used(Id(499)));

  absl::StatusOr<std::optional<OneTimeTokenRecord>> used =
      Read([](UnitOfWork& uow) { return uow.one_time_tokens().FindByDigest("token-1"); });
  ASSERT_TRUE(used.ok()) << used.status();
  ASSERT_TRUE(used->has_value());
  EXPECT_EQ((*used)->use_time, when);
  EXPECT_FALSE((*used)->revoke_time.has_value());
}

// A newer invitation replaces older ones: only unused tokens of that purpose for that email (or
// user) are revoked.
TEST_F(IdentityRepositoryTest, RevokeOutstandingRevokesOnlyUnusedTokensOfThatPurposeAndPerson) {
  const absl::Time used_at = kCreateTime + absl::Minutes(5);
  const absl::Time revoked_at = kCreateTime + absl::Minutes(10);
  ASSERT_TRUE(
      Write([&](UnitOfWork& uow) -> absl::Status {
        for (const OneTimeTokenRecord& token :
             {NewToken(1, TokenPurpose::kStaffInvitation, "dana@example.org"),
              NewToken(2, TokenPurpose::kStaffInvitation, "dana@example.org"),
              NewToken(3, TokenPurpose::kStaffInvitation, "eli@example.org"),
              NewToken(4, TokenPurpose::kPatientInvitation, "dana@example.org"),
              NewToken(5, TokenPurpose::kPasswordReset, "", kAlice),
              NewToken(6, TokenPurpose::kPasswordReset, "", kBea)}) {
          if (absl::Status s = uow.one_time_tokens().Insert(token); !s.ok()) {
            return s;
          }
        }
        absl::StatusOr<bool> used = uow.one_time_tokens().MarkUsed(Id(402), used_at);
        if (!used.ok()) {
          return used.status();
        }
        // Emails compare lowercase, as for accounts.
        if (absl::Status s = uow.one_time_tokens().RevokeOutstanding(
                NewToken(0, TokenPurpose::kStaffInvitation, "Dana@Example.ORG"), revoked_at);
            !s.ok()) {
          return s;
        }
        return uow.one_time_tokens().RevokeOutstanding(
            NewToken(0, TokenPurpose::kPasswordReset, "", kAlice), revoked_at);
      }).ok());

  absl::Status tokens = Write([&](UnitOfWork& uow) -> absl::Status {
    std::optional<OneTimeTokenRecord> t1 = FindTokenIn(uow, "token-1");
    std::optional<OneTimeTokenRecord> t2 = FindTokenIn(uow, "token-2");
    std::optional<OneTimeTokenRecord> t3 = FindTokenIn(uow, "token-3");
    std::optional<OneTimeTokenRecord> t4 = FindTokenIn(uow, "token-4");
    std::optional<OneTimeTokenRecord> t5 = FindTokenIn(uow, "token-5");
    std::optional<OneTimeTokenRecord> t6 = FindTokenIn(uow, "token-6");
    if (!t1 || !t2 || !t3 || !t4 || !t5 || !t6) {
      return absl::NotFoundError("a token is missing");
    }
    EXPECT_EQ(t1->revoke_time, revoked_at);
    EXPECT_FALSE(t2->revoke_time.has_value()) << "used tokens stay as they were";
    EXPECT_EQ(t2->use_time, used_at);
    EXPECT_FALSE(t3->revoke_time.has_value()) << "another email";
    EXPECT_FALSE(t4->revoke_time.has_value()) << "another purpose";
    EXPECT_EQ(t5->revoke_time, revoked_at);
    EXPECT_FALSE(t6->revoke_time.has_value()) << "another user";
    return absl::OkStatus();
  });
  EXPECT_TRUE(tokens.ok()) << tokens;

  absl::Status neither = Write([](UnitOfWork& uow) {
    return uow.one_time_tokens().RevokeOutstanding(
        NewToken(0, TokenPurpose::kPasswordReset, "", ""), kCreateTime);
  });
  EXPECT_EQ(neither.code(), absl::StatusCode::kInvalidArgument) << neither;
}

// Patient and partner invitations are replaced per client record, whatever the address, and
// never across clinics.
TEST_F(IdentityRepositoryTest, RevokeOutstandingForAClientIgnoresTheEmailAndOtherClinics) {
  OneTimeTokenRecord old_address = NewToken(1, TokenPurpose::kPatientInvitation, "old@example.org");
  old_address.client_id = std::string("client-1");
  OneTimeTokenRecord other_client = NewToken(2, TokenPurpose::kPatientInvitation, "x@example.org");
  other_client.client_id = std::string("client-2");
  OneTimeTokenRecord other_clinic = NewToken(3, TokenPurpose::kStaffInvitation, "dana@example.org");
  other_clinic.clinic_id = kClinicB;
  ASSERT_TRUE(
      Write([&](UnitOfWork& uow) -> absl::Status {
        for (const OneTimeTokenRecord& token : {old_address, other_client, other_clinic}) {
          if (absl::Status s = uow.one_time_tokens().Insert(token); !s.ok()) {
            return s;
          }
        }
        OneTimeTokenRecord newer = NewToken(0, TokenPurpose::kPatientInvitation, "new@example.org");
        newer.client_id = std::string("client-1");
        if (absl::Status s = uow.one_time_tokens().RevokeOutstanding(newer, kCreateTime); !s.ok()) {
          return s;
        }
        return uow.one_time_tokens().RevokeOutstanding(
            NewToken(0, TokenPurpose::kStaffInvitation, "dana@example.org"), kCreateTime);
      }).ok());
  absl::Status checked = Write([&](UnitOfWork& uow) -> absl::Status {
    std::optional<OneTimeTokenRecord> t1 = FindTokenIn(uow, "token-1");
    std::optional<OneTimeTokenRecord> t2 = FindTokenIn(uow, "token-2");
    std::optional<OneTimeTokenRecord> t3 = FindTokenIn(uow, "token-3");
    if (!t1 || !t2 || !t3) {
      return absl::NotFoundError("a token is missing");
    }
    EXPECT_EQ(t1->revoke_time, kCreateTime) << "same client, another address";
    EXPECT_FALSE(t2->revoke_time.has_value()) << "another client";
    EXPECT_FALSE(t3->revoke_time.has_value()) << "another clinic";
    return absl::OkStatus();
  });
  EXPECT_TRUE(checked.ok()) << checked;
}

// ---- Care teams ----

CareTeamMemberRecord Member(const std::string& client_id, const std::string& user_id,
                            bool is_primary = false) {
  return {.client_id = client_id,
          .user_id = user_id,
          .is_primary = is_primary,
          .added_time = kCreateTime + absl::Microseconds(7)};
}

TEST_F(IdentityRepositoryTest, CareTeamMembersAreAddedListedByUserIdAndRemoved) {
  ASSERT_TRUE(
      Write([](UnitOfWork& uow) -> absl::Status {
        for (const CareTeamMemberRecord& member :
             {Member(kClient1, kBea), Member(kClient1, kAlice, true), Member(kClient2, kBea)}) {
          if (absl::Status s = uow.care_teams().Add(member); !s.ok()) {
            return s;
          }
        }
        return absl::OkStatus();
      }).ok());

  std::vector<CareTeamMemberRecord> team = CareTeam(kClient1);
  ASSERT_EQ(team.size(), 2u);
  EXPECT_EQ(team[0].client_id, kClient1);
  EXPECT_EQ(team[0].user_id, kAlice);
  EXPECT_TRUE(team[0].is_primary);
  EXPECT_EQ(team[0].added_time, kCreateTime + absl::Microseconds(7));
  EXPECT_EQ(team[1].user_id, kBea);
  EXPECT_FALSE(team[1].is_primary);

  absl::Status again =
      Write([](UnitOfWork& uow) { return uow.care_teams().Add(Member(kClient1, kBea)); });
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists) << again;

  ASSERT_TRUE(Write([](UnitOfWork& uow) { return uow.care_teams().Remove(kClient1, kBea); }).ok());
  std::vector<CareTeamMemberRecord> after = CareTeam(kClient1);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].user_id, kAlice);
  EXPECT_EQ(CareTeam(kClient2).size(), 1u);

  absl::Status removed_twice =
      Write([](UnitOfWork& uow) { return uow.care_teams().Remove(kClient1, kBea); });
  EXPECT_EQ(removed_twice.code(), absl::StatusCode::kNotFound) << removed_twice;
}

TEST_F(IdentityRepositoryTest, SetPrimaryLeavesExactlyOnePrimaryAndRefusesNonMembers) {
  ASSERT_TRUE(
      Write([](UnitOfWork& uow) -> absl::Status {
        for (const CareTeamMemberRecord& member :
             {Member(kClient1, kAlice), Member(kClient1, kBea), Member(kClient2, kAlice, true)}) {
          if (absl::Status s = uow.care_teams().Add(member); !s.ok()) {
            return s;
          }
        }
        return absl::OkStatus();
      }).ok());
  EXPECT_THAT(PrimariesOf(kClient1), IsEmpty());

  ASSERT_TRUE(
      Write([](UnitOfWork& uow) { return uow.care_teams().SetPrimary(kClient1, kAlice); }).ok());
  EXPECT_THAT(PrimariesOf(kClient1), ElementsAre(kAlice));

  ASSERT_TRUE(
      Write([](UnitOfWork& uow) { return uow.care_teams().SetPrimary(kClient1, kBea); }).ok());
  EXPECT_THAT(PrimariesOf(kClient1), ElementsAre(kBea));

  // Adding a primary member demotes the one before.
  ASSERT_TRUE(Write([](UnitOfWork& uow) {
                return uow.care_teams().Add(Member(kClient2, kBea, true));
              }).ok());
  EXPECT_THAT(PrimariesOf(kClient2), ElementsAre(kBea));

  // Cai is not on client 1's team: refused, and Bea stays primary.
  absl::Status outsider =
      Write([](UnitOfWork& uow) { return uow.care_teams().SetPrimary(kClient1, kCai); });
  EXPECT_EQ(outsider.code(), absl::StatusCode::kNotFound) << outsider;
  EXPECT_THAT(PrimariesOf(kClient1), ElementsAre(kBea));
  // Another client's team is untouched throughout.
  EXPECT_THAT(PrimariesOf(kClient2), ElementsAre(kBea));
}

TEST_F(IdentityRepositoryTest, ClientCareTeamCarriesThePrimaryFlag) {
  ClientRecord client = NewClient(Id(9), kClinicA);
  v1::CareTeamMember* alice = client.client.add_care_team();
  alice->set_user_id(kAlice);
  alice->set_primary(true);
  client.client.add_care_team()->set_user_id(kBea);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.clients().Insert(client, ""); }).ok());

  absl::StatusOr<std::optional<ClientRecord>> found =
      Read([](UnitOfWork& uow) { return uow.clients().Find(kClinicA, Id(9)); });
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  ASSERT_EQ((*found)->client.care_team_size(), 2);
  for (const v1::CareTeamMember& member : (*found)->client.care_team()) {
    EXPECT_EQ(member.primary(), member.user_id() == kAlice) << member.user_id();
  }
  EXPECT_THAT(PrimariesOf(Id(9)), ElementsAre(kAlice));
}

// ---- Partner links ----

class PartnerLinkTest : public IdentityRepositoryTest {
 protected:
  void SetUp() override {
    IdentityRepositoryTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(Write([](UnitOfWork& uow) -> absl::Status {
                  for (const UserRecord& user :
                       {NewUser(kSam, kClinicA, v1::ROLE_PARTNER, kClient1),
                        NewUser(kRo, kClinicA, v1::ROLE_PARTNER, kClient1)}) {
                    if (absl::Status s = uow.users().Insert(user, kCreateTime); !s.ok()) {
                      return s;
                    }
                  }
                  return absl::OkStatus();
                }).ok());
  }

  static PartnerLinkRecord Link(int n, const std::string& partner, uint32_t shares) {
    return {.id = Id(600 + n),
            .clinic_id = kClinicA,
            .client_id = kClient1,
            .partner_user_id = partner,
            .shares = shares,
            .create_time = kCreateTime + absl::Minutes(n),
            .update_time = kCreateTime + absl::Minutes(n)};
  }

  std::optional<PartnerLinkRecord> FindLink(const std::string& clinic, const std::string& id) {
    absl::StatusOr<std::optional<PartnerLinkRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.partner_links().Find(clinic, id); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  std::optional<PartnerLinkRecord> LiveOf(const std::string& partner) {
    absl::StatusOr<std::optional<PartnerLinkRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.partner_links().FindLiveOfPartner(partner); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  static inline const std::string kSam = Id(201);
  static inline const std::string kRo = Id(202);
};

TEST_F(PartnerLinkTest, InsertedLinkRoundTripsAndIsFoundOnlyInItsClinic) {
  PartnerLinkRecord link = Link(1, kSam, 0b101);
  link.update_time = kCreateTime + absl::Hours(3);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.partner_links().Insert(link); }).ok());

  std::optional<PartnerLinkRecord> found = FindLink(kClinicA, link.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, link.id);
  EXPECT_EQ(found->clinic_id, kClinicA);
  EXPECT_EQ(found->client_id, kClient1);
  EXPECT_EQ(found->partner_user_id, kSam);
  EXPECT_EQ(found->shares, 0b101u);
  EXPECT_EQ(found->create_time, link.create_time);
  EXPECT_EQ(found->update_time, link.update_time);
  EXPECT_FALSE(found->revoke_time.has_value());

  EXPECT_FALSE(FindLink(kClinicB, link.id).has_value());
  EXPECT_FALSE(FindLink(kClinicA, Id(699)).has_value());
  std::optional<PartnerLinkRecord> live = LiveOf(kSam);
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(live->id, link.id);
  EXPECT_FALSE(LiveOf(kRo).has_value());
}

TEST_F(PartnerLinkTest, UpdateSharesReplacesThemUntilTheLinkIsRevoked) {
  ASSERT_TRUE(
      Write([&](UnitOfWork& uow) { return uow.partner_links().Insert(Link(1, kSam, 1)); }).ok());
  const absl::Time updated = kCreateTime + absl::Hours(1);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.partner_links().UpdateShares(Id(601), 0b110, updated);
              }).ok());
  std::optional<PartnerLinkRecord> found = FindLink(kClinicA, Id(601));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->shares, 0b110u);
  EXPECT_EQ(found->update_time, updated);

  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.partner_links().Revoke(Id(601), updated + absl::Hours(1));
              }).ok());
  absl::Status after_revoke = Write([&](UnitOfWork& uow) {
    return uow.partner_links().UpdateShares(Id(601), 0b111, updated + absl::Hours(2));
  });
  EXPECT_EQ(after_revoke.code(), absl::StatusCode::kNotFound) << after_revoke;
  absl::Status unknown =
      Write([&](UnitOfWork& uow) { return uow.partner_links().UpdateShares(Id(699), 1, updated); });
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound) << unknown;
  std::optional<PartnerLinkRecord> unchanged = FindLink(kClinicA, Id(601));
  ASSERT_TRUE(unchanged.has_value());
  EXPECT_EQ(unchanged->shares, 0b110u);
}

TEST_F(PartnerLinkTest, RevokingTwiceKeepsTheFirstTimeAndEndsTheLiveLink) {
  ASSERT_TRUE(
      Write([&](UnitOfWork& uow) { return uow.partner_links().Insert(Link(1, kSam, 1)); }).ok());
  const absl::Time first = kCreateTime + absl::Hours(1);
  for (absl::Time when : {first, first + absl::Hours(1)}) {
    ASSERT_TRUE(
        Write([&](UnitOfWork& uow) { return uow.partner_links().Revoke(Id(601), when); }).ok());
  }
  std::optional<PartnerLinkRecord> found = FindLink(kClinicA, Id(601));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->revoke_time, first);
  EXPECT_EQ(found->update_time, first);
  EXPECT_FALSE(LiveOf(kSam).has_value());
}

TEST_F(PartnerLinkTest, ListOfClientIncludesRevokedLinksOrderedById) {
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                for (const PartnerLinkRecord& link :
                     {Link(3, kRo, 1), Link(1, kSam, 1), Link(2, kSam, 2)}) {
                  if (absl::Status s = uow.partner_links().Insert(link); !s.ok()) {
                    return s;
                  }
                }
                return uow.partner_links().Revoke(Id(601), kCreateTime + absl::Hours(1));
              }).ok());

  absl::StatusOr<std::vector<PartnerLinkRecord>> links =
      Read([](UnitOfWork& uow) { return uow.partner_links().ListOfClient(kClinicA, kClient1); });
  ASSERT_TRUE(links.ok()) << links.status();
  EXPECT_THAT(IdsOf(*links), ElementsAre(Id(601), Id(602), Id(603)));
  EXPECT_TRUE((*links)[0].revoke_time.has_value());

  for (const auto& [clinic, client] : {std::pair{kClinicB, kClient1}, {kClinicA, kClient2}}) {
    absl::StatusOr<std::vector<PartnerLinkRecord>> none =
        Read([&](UnitOfWork& uow) { return uow.partner_links().ListOfClient(clinic, client); });
    ASSERT_TRUE(none.ok()) << none.status();
    EXPECT_THAT(*none, IsEmpty());
  }
  // Sam's revoked link is skipped for his live one.
  std::optional<PartnerLinkRecord> live = LiveOf(kSam);
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(live->id, Id(602));
}

// ---- Break glass ----

BreakGlassRecord Grant(int n, const std::string& clinic, const std::string& client,
                       const std::string& user, absl::Time create_time, absl::Duration lifetime) {
  return {.id = Id(700 + n),
          .clinic_id = clinic,
          .client_id = client,
          .user_id = user,
          .reason_sealed = absl::StrFormat("sealed:reason-%d", n),
          .create_time = create_time,
          .expire_time = create_time + lifetime};
}

TEST_F(IdentityRepositoryTest, LiveUntilIsTheLatestExpiryOfGrantsLiveNow) {
  const absl::Time now = kCreateTime + absl::Hours(2);
  auto live_until = [&](const char* user, const std::string& client) {
    absl::StatusOr<std::optional<absl::Time>> until =
        Read([&](UnitOfWork& uow) { return uow.break_glass().LiveUntil(user, client, now); });
    EXPECT_TRUE(until.ok()) << until.status();
    return until.ok() ? *until : std::nullopt;
  };
  // Expired an hour ago.
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.break_glass().Insert(
                    Grant(1, kClinicA, kClient1, kBea, kCreateTime, absl::Hours(1)));
              }).ok());
  EXPECT_EQ(live_until(kBea, kClient1), std::nullopt);

  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                for (const BreakGlassRecord& grant :
                     {Grant(2, kClinicA, kClient1, kBea, now - absl::Minutes(30), absl::Hours(1)),
                      Grant(3, kClinicA, kClient1, kBea, now - absl::Minutes(50), absl::Hours(1)),
                      Grant(4, kClinicA, kClient2, kAlice, now, absl::Hours(4))}) {
                  if (absl::Status s = uow.break_glass().Insert(grant); !s.ok()) {
                    return s;
                  }
                }
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(live_until(kBea, kClient1), now + absl::Minutes(30));
  EXPECT_EQ(live_until(kBea, kClient2), std::nullopt);
  EXPECT_EQ(live_until(kAlice, kClient1), std::nullopt);
  // A grant expires at its expire_time exactly.
  absl::StatusOr<std::optional<absl::Time>> at_expiry = Read([&](UnitOfWork& uow) {
    return uow.break_glass().LiveUntil(kBea, kClient1, now + absl::Minutes(30));
  });
  ASSERT_TRUE(at_expiry.ok()) << at_expiry.status();
  EXPECT_EQ(*at_expiry, std::nullopt);
}

TEST_F(IdentityRepositoryTest, BreakGlassListIsNewestFirstByClinicAndClientAfterTheCursor) {
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                for (const BreakGlassRecord& grant :
                     {Grant(1, kClinicA, kClient1, kBea, kCreateTime, absl::Hours(1)),
                      Grant(2, kClinicA, kClient2, kBea, kCreateTime, absl::Hours(1)),
                      Grant(3, kClinicA, kClient1, kAlice, kCreateTime, absl::Hours(1)),
                      Grant(4, kClinicB, kClientInB, kCai, kCreateTime, absl::Hours(1))}) {
                  if (absl::Status s = uow.break_glass().Insert(grant); !s.ok()) {
                    return s;
                  }
                }
                return absl::OkStatus();
              }).ok());
  auto list = [&](BreakGlassQuery query) {
    absl::StatusOr<std::vector<BreakGlassRecord>> grants =
        Read([&](UnitOfWork& uow) { return uow.break_glass().List(query); });
    EXPECT_TRUE(grants.ok()) << grants.status();
    return grants.ok() ? *grants : std::vector<BreakGlassRecord>{};
  };

  EXPECT_THAT(IdsOf(list({.clinic_id = kClinicA})), ElementsAre(Id(703), Id(702), Id(701)));
  EXPECT_THAT(IdsOf(list({.clinic_id = kClinicA, .client_id = kClient1})),
              ElementsAre(Id(703), Id(701)));
  EXPECT_THAT(IdsOf(list({.clinic_id = kClinicA, .before_id = Id(703), .limit = 1})),
              ElementsAre(Id(702)));
  EXPECT_THAT(IdsOf(list({.clinic_id = kClinicA, .client_id = kClient1, .before_id = Id(703)})),
              ElementsAre(Id(701)));
  std::vector<BreakGlassRecord> in_b = list({.clinic_id = kClinicB});
  ASSERT_EQ(in_b.size(), 1u);
  const BreakGlassRecord expected =
      Grant(4, kClinicB, kClientInB, kCai, kCreateTime, absl::Hours(1));
  EXPECT_EQ(in_b[0].id, expected.id);
  EXPECT_EQ(in_b[0].clinic_id, kClinicB);
  EXPECT_EQ(in_b[0].client_id, kClientInB);
  EXPECT_EQ(in_b[0].user_id, kCai);
  EXPECT_EQ(in_b[0].reason_sealed, "sealed:reason-4");
  EXPECT_EQ(in_b[0].create_time, expected.create_time);
  EXPECT_EQ(in_b[0].expire_time, expected.expire_time);
}

// ---- Outbox ----

OutboundMessage NewMessage(int n, const std::string& clinic_id, MessageKind kind,
                           absl::Time create_time) {
  return OutboundMessage{.id = Id(n),
                         .clinic_id = clinic_id,
                         .kind = kind,
                         .recipient_email = absl::StrFormat("to-%d@example.org", n),
                         .token_sealed = absl::StrFormat("v1.sealed-%d", n),
                         .create_time = create_time};
}

TEST_F(IdentityRepositoryTest, OutboxListsUnsentMessagesOldestFirstAndMarksEachSentOnce) {
  const std::vector<OutboundMessage> messages = {
      NewMessage(610, kClinicA, MessageKind::kPasswordReset, kCreateTime + absl::Seconds(2)),
      NewMessage(612, kClinicA, MessageKind::kStaffInvitation, kCreateTime),
      NewMessage(611, kClinicB, MessageKind::kPatientInvitation, kCreateTime),
      NewMessage(609, kClinicA, MessageKind::kPartnerInvitation, kCreateTime + absl::Seconds(1)),
  };
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                for (const OutboundMessage& message : messages) {
                  if (absl::Status s = uow.outbox().Enqueue(message); !s.ok()) {
                    return s;
                  }
                }
                return absl::OkStatus();
              }).ok());
  EXPECT_FALSE(Write([&](UnitOfWork& uow) { return uow.outbox().Enqueue(messages[0]); }).ok())
      << "a second message with the same id";

  auto pending = [&](int limit) {
    absl::StatusOr<std::vector<OutboundMessage>> listed =
        Read([&](UnitOfWork& uow) { return uow.outbox().ListPending(limit); });
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? *listed : std::vector<OutboundMessage>{};
  };
  // By create time, then id.
  const std::vector<OutboundMessage> all = pending(10);
  EXPECT_THAT(IdsOf(all), ElementsAre(Id(611), Id(612), Id(609), Id(610)));
  EXPECT_THAT(IdsOf(pending(2)), ElementsAre(Id(611), Id(612)));
  ASSERT_FALSE(all.empty());
  const OutboundMessage& first = all[0];
  EXPECT_EQ(first.clinic_id, kClinicB);
  EXPECT_EQ(first.kind, MessageKind::kPatientInvitation);
  EXPECT_EQ(first.recipient_email, "to-611@example.org");
  EXPECT_EQ(first.token_sealed, "v1.sealed-611");
  EXPECT_EQ(first.create_time, kCreateTime);
  EXPECT_FALSE(first.sent_time.has_value());
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3].kind, MessageKind::kPasswordReset);
  EXPECT_EQ(all[3].create_time, kCreateTime + absl::Seconds(2));

  const absl::Time when = kCreateTime + absl::Minutes(5) + absl::Microseconds(7);
  auto mark_sent = [&](const std::string& id) {
    absl::StatusOr<bool> sent =
        WriteReturning([&](UnitOfWork& uow) { return uow.outbox().MarkSent(id, when); });
    EXPECT_TRUE(sent.ok()) << sent.status();
    return sent.ok() && *sent;
  };
  EXPECT_TRUE(mark_sent(Id(612)));
  EXPECT_FALSE(mark_sent(Id(612)));
  EXPECT_FALSE(mark_sent(Id(699)));
  EXPECT_THAT(IdsOf(pending(10)), ElementsAre(Id(611), Id(609), Id(610)));

  std::unique_ptr<soci::session> sql = scratch_->OpenSession();
  std::string id = Id(612);
  long long sent_time = 0;
  *sql << "SELECT sent_time FROM outbound_messages WHERE id = :id", soci::use(id),
      soci::into(sent_time);
  ASSERT_TRUE(sql->got_data());
  EXPECT_EQ(sent_time, absl::ToUnixMicros(when));
}

// ---- Audit ----

TEST_F(IdentityRepositoryTest, AuditEventBreakGlassFlagIsStored) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) -> absl::Status {
                for (bool break_glass : {false, true}) {
                  AuditEvent event{.id = break_glass ? "evt-glass" : "evt-team",
                                   .time = kCreateTime,
                                   .actor_user_id = kBea,
                                   .actor_role = "ROLE_CLINICIAN",
                                   .clinic_id = kClinicA,
                                   .action = "confide.v1.ClientService.GetClient",
                                   .resource = "clients/" + kClient1,
                                   .client_id = kClient1,
                                   .outcome = "success",
                                   .status_code = "OK",
                                   .request_id = "req-1",
                                   .source_address = "127.0.0.1",
                                   .break_glass = break_glass};
                  if (absl::Status s = uow.audit().Append(event); !s.ok()) {
                    return s;
                  }
                }
                return absl::OkStatus();
              }).ok());

  std::unique_ptr<soci::session> sql = scratch_->OpenSession();
  for (const auto& [id, expected] : {std::pair{"evt-team", 0}, {"evt-glass", 1}}) {
    std::string event_id = id;
    int break_glass = -1;
    *sql << "SELECT break_glass FROM audit_events WHERE id = :id", soci::use(event_id),
        soci::into(break_glass);
    ASSERT_TRUE(sql->got_data()) << id;
    EXPECT_EQ(break_glass, expected) << id;
  }
}

}  // namespace
}  // namespace confide::persistence
