// The intakes table against a real database (SQLite or PostgreSQL, whichever
// CONFIDE_TEST_DATABASE names): every column of a record round-trips, one intake per client,
// updates are guarded by the version, and a clinic never finds another clinic's intake.

#include "services/intake/ports/intake_repository.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/timestamps.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

constexpr char kJo[] = "00000000-0000-7000-8000-000000007001";

void ExpectSameRecord(const IntakeRecord& got, const IntakeRecord& want) {
  EXPECT_EQ(got.clinic_id, want.clinic_id);
  EXPECT_EQ(got.client_id, want.client_id);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.version, want.version);
  EXPECT_EQ(got.create_time, want.create_time);
  EXPECT_EQ(got.update_time, want.update_time);
  EXPECT_EQ(got.submit_time, want.submit_time);
  EXPECT_EQ(got.review_time, want.review_time);
  EXPECT_EQ(got.reviewed_by_user_id, want.reviewed_by_user_id);
  EXPECT_EQ(got.answers_sealed, want.answers_sealed);
  EXPECT_EQ(got.clinician_summary_sealed, want.clinician_summary_sealed);
}

class IntakeRepositoryTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    ClientRecord jo{.clinic_id = kClinicA};
    jo.client.set_id(kJo);
    jo.client.set_legal_given_name("Jo");
    jo.client.set_legal_family_name("Demo");
    jo.client.set_status(v1::CLIENT_STATUS_INTAKE);
    *jo.client.mutable_create_time() = ToTimestamp(kCreateTime);
    *jo.client.mutable_update_time() = ToTimestamp(kCreateTime);
    ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.clients().Insert(jo, ""); }).ok());
  }

  static IntakeRecord Draft() {
    return IntakeRecord{.clinic_id = kClinicA,
                        .client_id = kJo,
                        .status = v1::INTAKE_STATUS_DRAFT,
                        .version = 1,
                        .create_time = kCreateTime,
                        .update_time = kCreateTime,
                        .answers_sealed = "v1.sealed-answers.AAAA"};
  }

  // Every column set to a distinct value, times microsecond-precise.
  static IntakeRecord Reviewed() {
    IntakeRecord record = Draft();
    record.status = v1::INTAKE_STATUS_REVIEWED;
    record.version = 3;
    record.update_time = kCreateTime + absl::Microseconds(3'000'001);
    record.submit_time = kCreateTime + absl::Microseconds(1'000'007);
    record.review_time = kCreateTime + absl::Microseconds(2'000'011);
    record.reviewed_by_user_id = kAlice;
    record.answers_sealed = "v1.sealed-answers.BBBB";
    record.clinician_summary_sealed = "v1.sealed-summary.CCCC";
    return record;
  }

  std::optional<IntakeRecord> Find(const char* clinic_id = kClinicA) {
    absl::StatusOr<std::optional<IntakeRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.intakes().Find(clinic_id, kJo); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }
};

TEST_F(IntakeRepositoryTest, NoIntakeIsNullopt) { EXPECT_FALSE(Find().has_value()); }

TEST_F(IntakeRepositoryTest, DraftRoundTripsWithUnsetTimesAsNullopt) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) { return uow.intakes().Insert(Draft()); }).ok());
  std::optional<IntakeRecord> found = Find();
  ASSERT_TRUE(found.has_value());
  ExpectSameRecord(*found, Draft());
  EXPECT_FALSE(found->submit_time.has_value());
  EXPECT_FALSE(found->review_time.has_value());
}

TEST_F(IntakeRepositoryTest, EveryColumnOfAReviewedIntakeRoundTrips) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) { return uow.intakes().Insert(Reviewed()); }).ok());
  std::optional<IntakeRecord> found = Find();
  ASSERT_TRUE(found.has_value());
  ExpectSameRecord(*found, Reviewed());
}

TEST_F(IntakeRepositoryTest, OneIntakePerClient) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) { return uow.intakes().Insert(Draft()); }).ok());
  EXPECT_EQ(Write([](UnitOfWork& uow) { return uow.intakes().Insert(Draft()); }).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(IntakeRepositoryTest, UpdateReplacesEveryColumnButCreateTimeAtTheExpectedVersion) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) { return uow.intakes().Insert(Draft()); }).ok());
  IntakeRecord next = Reviewed();
  next.create_time = kCreateTime + absl::Hours(5);  // not a column an update may change
  ASSERT_TRUE(Write([&](UnitOfWork& uow) { return uow.intakes().Update(next, 1); }).ok());
  std::optional<IntakeRecord> found = Find();
  ASSERT_TRUE(found.has_value());
  IntakeRecord want = Reviewed();
  want.create_time = kCreateTime;
  ExpectSameRecord(*found, want);
}

TEST_F(IntakeRepositoryTest, UpdateAtAStaleVersionIsAbortedAndChangesNothing) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) { return uow.intakes().Insert(Draft()); }).ok());
  EXPECT_EQ(Write([](UnitOfWork& uow) { return uow.intakes().Update(Reviewed(), 2); }).code(),
            absl::StatusCode::kAborted);
  std::optional<IntakeRecord> found = Find();
  ASSERT_TRUE(found.has_value());
  ExpectSameRecord(*found, Draft());
}

TEST_F(IntakeRepositoryTest, AnotherClinicNeitherFindsNorUpdatesIt) {
  ASSERT_TRUE(Write([](UnitOfWork& uow) { return uow.intakes().Insert(Draft()); }).ok());
  EXPECT_FALSE(Find(kClinicB).has_value());
  IntakeRecord foreign = Reviewed();
  foreign.clinic_id = kClinicB;
  foreign.version = 2;
  EXPECT_EQ(Write([&](UnitOfWork& uow) { return uow.intakes().Update(foreign, 1); }).code(),
            absl::StatusCode::kAborted);
  ExpectSameRecord(*Find(), Draft());
}

TEST_F(IntakeRepositoryTest, AnIntakeNeedsAnExistingClient) {
  IntakeRecord orphan = Draft();
  orphan.client_id = "00000000-0000-7000-8000-000000007999";
  EXPECT_FALSE(Write([&](UnitOfWork& uow) { return uow.intakes().Insert(orphan); }).ok());
}

}  // namespace
}  // namespace confide::persistence
