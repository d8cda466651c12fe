// The consent repository against a real database: SQLite or PostgreSQL, whichever
// CONFIDE_TEST_DATABASE names.

#include "services/consents/ports/consent_repository.h"

#include <atomic>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/timestamps.h"
#include "services/storage/ports/unit_of_work.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string Id(int n) { return absl::StrFormat("00000000-0000-7000-8000-%012d", 7000 + n); }

const std::string kClient1 = Id(1);
const std::string kClient2 = Id(2);
const std::string kClientInB = Id(3);

ConsentRecord NewConsent(const std::string& id, const std::string& client_id, v1::ConsentKind kind,
                         absl::Time give_time) {
  return ConsentRecord{.id = id,
                       .clinic_id = kClinicA,
                       .client_id = client_id,
                       .kind = kind,
                       .text_version = "2026-01",
                       .state = v1::CONSENT_STATE_GIVEN,
                       .give_time = give_time,
                       .recorded_by_user_id = kAlice,
                       .recorded_by_role = v1::ROLE_CLINICIAN};
}

std::vector<std::string> IdsOf(const std::vector<ConsentRecord>& records) {
  std::vector<std::string> ids;
  for (const ConsentRecord& record : records) {
    ids.push_back(record.id);
  }
  return ids;
}

// A migrated scratch database with clinics A and B, their clinicians, clients 1 and 2 in
// clinic A and one client in clinic B.
class ConsentRepositoryTest : public MigratedDatabaseTest {
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

  absl::Status Insert(const ConsentRecord& record, const std::string& request_id = "") {
    return Write([&](UnitOfWork& uow) { return uow.consents().Insert(record, request_id); });
  }

  std::optional<ConsentRecord> Find(const std::string& clinic_id, const std::string& id) {
    absl::StatusOr<std::optional<ConsentRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.consents().Find(clinic_id, id); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  std::vector<std::string> List(const std::string& client_id, bool in_force_only) {
    absl::StatusOr<std::vector<ConsentRecord>> listed = Read([&](UnitOfWork& uow) {
      return uow.consents().ListOfClient(kClinicA, client_id, in_force_only);
    });
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? IdsOf(*listed) : std::vector<std::string>{};
  }
};

TEST_F(ConsentRepositoryTest, RoundTripsEveryFieldOfAGrantAndOfItsEnd) {
  ConsentRecord given =
      NewConsent(Id(101), kClient1, v1::CONSENT_KIND_INTERNAL_EXAMINATION, kCreateTime);
  given.text_version = "v 2026-01 ~!";
  given.recorded_by_user_id = kBea;
  given.recorded_by_role = v1::ROLE_PATIENT;
  ASSERT_TRUE(Insert(given, "request-1").ok());

  std::optional<ConsentRecord> found = Find(kClinicA, Id(101));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, Id(101));
  EXPECT_EQ(found->clinic_id, kClinicA);
  EXPECT_EQ(found->client_id, kClient1);
  EXPECT_EQ(found->kind, v1::CONSENT_KIND_INTERNAL_EXAMINATION);
  EXPECT_EQ(found->text_version, "v 2026-01 ~!");
  EXPECT_EQ(found->state, v1::CONSENT_STATE_GIVEN);
  EXPECT_EQ(found->give_time, kCreateTime);
  EXPECT_EQ(found->recorded_by_user_id, kBea);
  EXPECT_EQ(found->recorded_by_role, v1::ROLE_PATIENT);
  EXPECT_FALSE(found->end_time.has_value());
  EXPECT_EQ(found->withdrawn_by_user_id, "");
  EXPECT_EQ(found->withdrawn_by_role, v1::ROLE_UNSPECIFIED);

  const absl::Time ended = kCreateTime + absl::Microseconds(3'600'000'001);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.consents().End(kClinicA, Id(101), v1::CONSENT_STATE_WITHDRAWN, ended,
                                          kAlice, v1::ROLE_CLINICIAN);
              }).ok());
  found = Find(kClinicA, Id(101));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, v1::CONSENT_STATE_WITHDRAWN);
  ASSERT_TRUE(found->end_time.has_value());
  EXPECT_EQ(*found->end_time, ended);
  EXPECT_EQ(found->withdrawn_by_user_id, kAlice);
  EXPECT_EQ(found->withdrawn_by_role, v1::ROLE_CLINICIAN);
  // What was agreed is untouched by the end.
  EXPECT_EQ(found->text_version, "v 2026-01 ~!");
  EXPECT_EQ(found->give_time, kCreateTime);
  EXPECT_EQ(found->recorded_by_user_id, kBea);
}

TEST_F(ConsentRepositoryTest, FindStaysInsideTheClinic) {
  ASSERT_TRUE(Insert(NewConsent(Id(101), kClient1, v1::CONSENT_KIND_TREATMENT, kCreateTime)).ok());
  EXPECT_TRUE(Find(kClinicA, Id(101)).has_value());
  EXPECT_FALSE(Find(kClinicB, Id(101)).has_value());
  EXPECT_FALSE(Find(kClinicA, Id(199)).has_value());
}

TEST_F(ConsentRepositoryTest, EndingTwiceIsAFailedPrecondition) {
  ASSERT_TRUE(Insert(NewConsent(Id(101), kClient1, v1::CONSENT_KIND_TREATMENT, kCreateTime)).ok());
  auto end = [&](const std::string& clinic_id, const std::string& id) {
    return Write([&](UnitOfWork& uow) {
      return uow.consents().End(clinic_id, id, v1::CONSENT_STATE_SUPERSEDED, kCreateTime, "",
                                v1::ROLE_UNSPECIFIED);
    });
  };
  // Another clinic cannot end it.
  EXPECT_EQ(end(kClinicB, Id(101)).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Find(kClinicA, Id(101))->state, v1::CONSENT_STATE_GIVEN);
  EXPECT_TRUE(end(kClinicA, Id(101)).ok());
  EXPECT_EQ(end(kClinicA, Id(101)).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(end(kClinicA, Id(199)).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Find(kClinicA, Id(101))->state, v1::CONSENT_STATE_SUPERSEDED);
  EXPECT_EQ(Find(kClinicA, Id(101))->withdrawn_by_user_id, "");
  EXPECT_EQ(Find(kClinicA, Id(101))->withdrawn_by_role, v1::ROLE_UNSPECIFIED);
}

TEST_F(ConsentRepositoryTest, AtMostOneGrantOfAKindIsInForcePerClient) {
  ASSERT_TRUE(Insert(NewConsent(Id(101), kClient1, v1::CONSENT_KIND_TREATMENT, kCreateTime)).ok());
  EXPECT_EQ(Insert(NewConsent(Id(102), kClient1, v1::CONSENT_KIND_TREATMENT, kCreateTime)).code(),
            absl::StatusCode::kAlreadyExists);
  // Another kind, or another client, is independent.
  EXPECT_TRUE(Insert(NewConsent(Id(103), kClient1, v1::CONSENT_KIND_TELEHEALTH, kCreateTime)).ok());
  EXPECT_TRUE(Insert(NewConsent(Id(104), kClient2, v1::CONSENT_KIND_TREATMENT, kCreateTime)).ok());
  // Once the first has ended, a new grant of the kind may be in force.
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.consents().End(kClinicA, Id(101), v1::CONSENT_STATE_SUPERSEDED,
                                          kCreateTime, "", v1::ROLE_UNSPECIFIED);
              }).ok());
  EXPECT_TRUE(Insert(NewConsent(Id(105), kClient1, v1::CONSENT_KIND_TREATMENT, kCreateTime)).ok());

  absl::StatusOr<std::optional<ConsentRecord>> in_force = Read([&](UnitOfWork& uow) {
    return uow.consents().FindInForce(kClinicA, kClient1, v1::CONSENT_KIND_TREATMENT);
  });
  ASSERT_TRUE(in_force.ok()) << in_force.status();
  ASSERT_TRUE(in_force->has_value());
  EXPECT_EQ((*in_force)->id, Id(105));
  // The locking variant finds the same grant (inside a write transaction: FOR SHARE on
  // PostgreSQL, a plain select on SQLite).
  std::optional<ConsentRecord> locked;
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                absl::StatusOr<std::optional<ConsentRecord>> found =
                    uow.consents().LockInForce(kClinicA, kClient1, v1::CONSENT_KIND_TREATMENT);
                if (found.ok()) {
                  locked = *found;
                }
                return found.status();
              }).ok());
  ASSERT_TRUE(locked.has_value());
  EXPECT_EQ(locked->id, Id(105));
  absl::StatusOr<std::optional<ConsentRecord>> none = Read([&](UnitOfWork& uow) {
    return uow.consents().FindInForce(kClinicA, kClient1, v1::CONSENT_KIND_RESEARCH_DATA_SHARING);
  });
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());
  // Another clinic never sees it.
  absl::StatusOr<std::optional<ConsentRecord>> elsewhere = Read([&](UnitOfWork& uow) {
    return uow.consents().FindInForce(kClinicB, kClient1, v1::CONSENT_KIND_TREATMENT);
  });
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_FALSE(elsewhere->has_value());
}

TEST_F(ConsentRepositoryTest, ListsNewestFirstAllOrOnlyThoseInForce) {
  ASSERT_TRUE(Insert(NewConsent(Id(101), kClient1, v1::CONSENT_KIND_TREATMENT, kCreateTime)).ok());
  ASSERT_TRUE(Insert(NewConsent(Id(102), kClient1, v1::CONSENT_KIND_TELEHEALTH,
                                kCreateTime + absl::Minutes(2)))
                  .ok());
  ASSERT_TRUE(Insert(NewConsent(Id(103), kClient1, v1::CONSENT_KIND_PORTAL_MESSAGES,
                                kCreateTime + absl::Minutes(1)))
                  .ok());
  ASSERT_TRUE(Insert(NewConsent(Id(104), kClient2, v1::CONSENT_KIND_TREATMENT, kCreateTime)).ok());
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.consents().End(kClinicA, Id(102), v1::CONSENT_STATE_WITHDRAWN,
                                          kCreateTime, kAlice, v1::ROLE_PATIENT);
              }).ok());
  EXPECT_THAT(List(kClient1, false), ElementsAre(Id(102), Id(103), Id(101)));
  EXPECT_THAT(List(kClient1, true), ElementsAre(Id(103), Id(101)));
  EXPECT_THAT(List(kClientInB, false), IsEmpty());
}

TEST_F(ConsentRepositoryTest, FindsByRecordRequestIdWithinTheClinicOnly) {
  ASSERT_TRUE(
      Insert(NewConsent(Id(101), kClient1, v1::CONSENT_KIND_TREATMENT, kCreateTime), "retry-1")
          .ok());
  // The same request id again in the clinic is refused, whatever the record.
  EXPECT_EQ(
      Insert(NewConsent(Id(102), kClient2, v1::CONSENT_KIND_TREATMENT, kCreateTime), "retry-1")
          .code(),
      absl::StatusCode::kAlreadyExists);
  // Rows without a request id never collide.
  EXPECT_TRUE(Insert(NewConsent(Id(103), kClient1, v1::CONSENT_KIND_TELEHEALTH, kCreateTime)).ok());
  EXPECT_TRUE(
      Insert(NewConsent(Id(104), kClient1, v1::CONSENT_KIND_PORTAL_MESSAGES, kCreateTime)).ok());

  absl::StatusOr<std::optional<ConsentRecord>> found = Read(
      [&](UnitOfWork& uow) { return uow.consents().FindByRecordRequestId(kClinicA, "retry-1"); });
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, Id(101));
  for (const auto& [clinic, request_id] :
       {std::pair{kClinicB, "retry-1"}, std::pair{kClinicA, "other"}, std::pair{kClinicA, ""}}) {
    absl::StatusOr<std::optional<ConsentRecord>> none = Read(
        [&](UnitOfWork& uow) { return uow.consents().FindByRecordRequestId(clinic, request_id); });
    ASSERT_TRUE(none.ok()) << none.status();
    EXPECT_FALSE(none->has_value()) << clinic << " " << request_id;
  }
}

// What RequireConsent relies on: a transaction that locked the grant (LockInForce) keeps it in
// force until it commits, so a withdrawal running at the same time waits and then sees what
// that transaction created on the strength of the consent (here a second grant standing in for
// a new partner link). On PostgreSQL this is the FOR SHARE row lock against End's UPDATE; on
// SQLite write transactions never overlap. Without the lock, PostgreSQL would end the grant at
// once and the withdrawal's next read would miss the row written afterwards.
TEST_F(ConsentRepositoryTest, AWithdrawalWaitsForATransactionThatLockedTheGrant) {
  ASSERT_TRUE(
      Insert(NewConsent(Id(101), kClient1, v1::CONSENT_KIND_PARTNER_INVOLVEMENT, kCreateTime))
          .ok());
  std::promise<void> locked;
  std::future<void> locked_future = locked.get_future();
  std::atomic<bool> relied_committed = false;
  std::thread relying([&] {
    absl::Status relied = Write([&](UnitOfWork& uow) -> absl::Status {
      absl::StatusOr<std::optional<ConsentRecord>> grant =
          uow.consents().LockInForce(kClinicA, kClient1, v1::CONSENT_KIND_PARTNER_INVOLVEMENT);
      locked.set_value();
      if (!grant.ok() || !grant->has_value()) {
        return grant.ok() ? absl::FailedPreconditionError("not in force") : grant.status();
      }
      // Long enough for the withdrawal to reach its UPDATE while this transaction is open.
      absl::SleepFor(absl::Milliseconds(300));
      return uow.consents().Insert(
          NewConsent(Id(201), kClient1, v1::CONSENT_KIND_TELEHEALTH, kCreateTime), "");
    });
    relied_committed = relied.ok();
  });
  locked_future.wait();

  std::vector<std::string> seen_by_withdrawal;
  absl::Status withdrawn = Write([&](UnitOfWork& uow) -> absl::Status {
    if (absl::Status s = uow.consents().End(kClinicA, Id(101), v1::CONSENT_STATE_WITHDRAWN,
                                            kCreateTime, kAlice, v1::ROLE_CLINICIAN);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<std::vector<ConsentRecord>> listed =
        uow.consents().ListOfClient(kClinicA, kClient1, /*in_force_only=*/false);
    if (!listed.ok()) {
      return listed.status();
    }
    seen_by_withdrawal = IdsOf(*listed);
    return absl::OkStatus();
  });
  relying.join();

  ASSERT_TRUE(relied_committed);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn;
  EXPECT_THAT(seen_by_withdrawal, ::testing::Contains(Id(201)));
  EXPECT_EQ(Find(kClinicA, Id(101))->state, v1::CONSENT_STATE_WITHDRAWN);
}

}  // namespace
}  // namespace confide::persistence
