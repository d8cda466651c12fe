// Therapy plans, their versions and milestones against a real database (SQLite or PostgreSQL,
// whichever CONFIDE_TEST_DATABASE names): every field round-trips, versions are never changed,
// a stale latest version is ABORTED, and request ids are unique per clinic.

#include "services/plans/ports/plan_repository.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/timestamps.h"
#include "services/plans/ports/milestone_repository.h"
#include "soci/soci.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kJo[] = "00000000-0000-7000-8000-000000007001";
constexpr char kRiley[] = "00000000-0000-7000-8000-000000007002";
constexpr char kCasey[] = "00000000-0000-7000-8000-000000007003";  // clinic B

std::string PlanId(int n) { return absl::StrFormat("00000000-0000-7000-8000-%012d", 7100 + n); }
std::string MilestoneId(int n) {
  return absl::StrFormat("00000000-0000-7000-8000-%012d", 7200 + n);
}

PlanRecord NewPlan(int n, const std::string& client_id = kJo,
                   const std::string& clinic_id = kClinicA) {
  return PlanRecord{.id = PlanId(n),
                    .clinic_id = clinic_id,
                    .client_id = client_id,
                    .latest_version = 1,
                    .create_time = kCreateTime + absl::Seconds(n),
                    .created_by = clinic_id == kClinicA ? kAlice : kCai};
}

PlanVersionRecord NewVersion(const PlanRecord& plan, int version) {
  return PlanVersionRecord{.plan_id = plan.id,
                           .version = version,
                           .clinic_id = plan.clinic_id,
                           .client_id = plan.client_id,
                           .author_user_id = version == 1 ? kAlice : kBea,
                           .create_time = kCreateTime + absl::Minutes(version),
                           .content_sealed = absl::StrFormat("sealed:%s:v%d", plan.id, version)};
}

class PlanRepositoryTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    absl::Status seeded = InsertClients(
        {NewClient(kJo, kClinicA), NewClient(kRiley, kClinicA), NewClient(kCasey, kClinicB)});
    ASSERT_TRUE(seeded.ok()) << seeded;
  }

  absl::Status InsertPlan(const PlanRecord& plan, const std::string& request_id = "") {
    return Write([&](UnitOfWork& uow) -> absl::Status {
      if (absl::Status s = uow.plans().Insert(plan, request_id); !s.ok()) {
        return s;
      }
      return uow.plans().InsertVersion(NewVersion(plan, 1));
    });
  }

  std::optional<PlanRecord> Find(const std::string& plan_id, const std::string& client_id = kJo,
                                 const std::string& clinic_id = kClinicA) {
    absl::StatusOr<std::optional<PlanRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.plans().Find(clinic_id, client_id, plan_id); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }
};

TEST_F(PlanRepositoryTest, PlanAndVersionRoundTripEveryField) {
  const PlanRecord plan = NewPlan(1);
  ASSERT_TRUE(InsertPlan(plan).ok());

  std::optional<PlanRecord> found = Find(plan.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, plan.id);
  EXPECT_EQ(found->clinic_id, kClinicA);
  EXPECT_EQ(found->client_id, kJo);
  EXPECT_EQ(found->latest_version, 1);
  EXPECT_EQ(found->shared_version, 0);
  EXPECT_EQ(found->share_time, std::nullopt);
  EXPECT_EQ(found->create_time, plan.create_time);
  EXPECT_EQ(found->created_by, kAlice);

  absl::StatusOr<std::optional<PlanVersionRecord>> version =
      Read([&](UnitOfWork& uow) { return uow.plans().FindVersion(kClinicA, plan.id, 1); });
  ASSERT_TRUE(version.ok()) << version.status();
  ASSERT_TRUE(version->has_value());
  const PlanVersionRecord expected = NewVersion(plan, 1);
  EXPECT_EQ((*version)->plan_id, plan.id);
  EXPECT_EQ((*version)->version, 1);
  EXPECT_EQ((*version)->clinic_id, kClinicA);
  EXPECT_EQ((*version)->client_id, kJo);
  EXPECT_EQ((*version)->author_user_id, kAlice);
  EXPECT_EQ((*version)->create_time, expected.create_time);
  EXPECT_EQ((*version)->content_sealed, expected.content_sealed);
}

TEST_F(PlanRepositoryTest, PlanIsFoundOnlyForItsClientAndClinic) {
  ASSERT_TRUE(InsertPlan(NewPlan(1)).ok());

  EXPECT_EQ(Find(PlanId(1), kRiley), std::nullopt);
  EXPECT_EQ(Find(PlanId(1), kJo, kClinicB), std::nullopt);
  absl::StatusOr<std::optional<PlanVersionRecord>> version =
      Read([&](UnitOfWork& uow) { return uow.plans().FindVersion(kClinicB, PlanId(1), 1); });
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, std::nullopt);
}

TEST_F(PlanRepositoryTest, AdvanceLatestAddsVersionsAndRefusesAStaleExpectation) {
  const PlanRecord plan = NewPlan(1);
  ASSERT_TRUE(InsertPlan(plan).ok());
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                if (absl::Status s = uow.plans().AdvanceLatest(kClinicA, plan.id, 1, 2); !s.ok()) {
                  return s;
                }
                return uow.plans().InsertVersion(NewVersion(plan, 2));
              }).ok());

  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.plans().AdvanceLatest(kClinicA, plan.id, 1, 2);
            }).code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.plans().AdvanceLatest(kClinicB, plan.id, 2, 3);
            }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      Write([&](UnitOfWork& uow) { return uow.plans().InsertVersion(NewVersion(plan, 2)); }).code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Find(plan.id)->latest_version, 2);

  absl::StatusOr<std::vector<PlanVersionRecord>> versions =
      Read([&](UnitOfWork& uow) { return uow.plans().ListVersions(kClinicA, plan.id, 0, 100); });
  ASSERT_TRUE(versions.ok()) << versions.status();
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 2);
  EXPECT_EQ((*versions)[0].author_user_id, kBea);
  EXPECT_EQ((*versions)[1].version, 1);
  EXPECT_EQ((*versions)[1].content_sealed, NewVersion(plan, 1).content_sealed);
}

// What the database says when `statement` fails, or "" when it succeeds.
std::string FailureOf(soci::session& sql, const std::string& statement,
                      const std::string& plan_id) {
  try {
    if (plan_id.empty()) {
      sql << statement;
    } else {
      sql << statement, soci::use(plan_id);
    }
    return "";
  } catch (const soci::soci_error& e) {
    return e.what();
  }
}

// Old versions are the record of what was planned when: the database itself refuses to change
// or remove them, and says why (not some other failure, such as a foreign key).
TEST_F(PlanRepositoryTest, StoredVersionCannotBeUpdatedOrDeleted) {
  ASSERT_TRUE(InsertPlan(NewPlan(1)).ok());

  std::unique_ptr<soci::session> sql = scratch_->OpenSession();
  const std::string plan_id = PlanId(1);

  EXPECT_THAT(
      FailureOf(*sql, "UPDATE plan_versions SET content_sealed = 'forged' WHERE plan_id = :id",
                plan_id),
      HasSubstr("plan versions are never changed"));
  EXPECT_THAT(FailureOf(*sql, "DELETE FROM plan_versions WHERE plan_id = :id", plan_id),
              HasSubstr("plan versions are never changed"));
  if (scratch_->dialect() == Dialect::kPostgresql) {
    EXPECT_THAT(FailureOf(*sql, "TRUNCATE plan_versions CASCADE", ""),
                HasSubstr("plan versions are never changed"));
  }
  absl::StatusOr<std::optional<PlanVersionRecord>> version =
      Read([&](UnitOfWork& uow) { return uow.plans().FindVersion(kClinicA, plan_id, 1); });
  ASSERT_TRUE(version.ok()) << version.status();
  ASSERT_TRUE(version->has_value());
  EXPECT_EQ((*version)->content_sealed, NewVersion(NewPlan(1), 1).content_sealed);
}

TEST_F(PlanRepositoryTest, SetSharedRoundTripsVersionAndTime) {
  const PlanRecord plan = NewPlan(1);
  ASSERT_TRUE(InsertPlan(plan).ok());
  const absl::Time when = kCreateTime + absl::Hours(2) + absl::Microseconds(7);

  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.plans().SetShared(kClinicA, plan.id, 1, when);
              }).ok());

  std::optional<PlanRecord> found = Find(plan.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->shared_version, 1);
  EXPECT_EQ(found->share_time, when);
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.plans().SetShared(kClinicB, plan.id, 1, when);
            }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PlanRepositoryTest, ListOfClientIsNewestFirstAndOnlyThatClients) {
  for (int n : {1, 2, 3}) {
    ASSERT_TRUE(InsertPlan(NewPlan(n)).ok());
  }
  ASSERT_TRUE(InsertPlan(NewPlan(4, kRiley)).ok());
  ASSERT_TRUE(InsertPlan(NewPlan(5, kCasey, kClinicB)).ok());

  absl::StatusOr<std::vector<PlanRecord>> plans =
      Read([](UnitOfWork& uow) { return uow.plans().ListOfClient(kClinicA, kJo, "", 100); });
  ASSERT_TRUE(plans.ok()) << plans.status();
  std::vector<std::string> ids;
  for (const PlanRecord& plan : *plans) {
    ids.push_back(plan.id);
  }
  EXPECT_THAT(ids, ElementsAre(PlanId(3), PlanId(2), PlanId(1)));
  absl::StatusOr<std::vector<PlanRecord>> none =
      Read([](UnitOfWork& uow) { return uow.plans().ListOfClient(kClinicB, kJo, "", 100); });
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_THAT(*none, IsEmpty());
}

TEST_F(PlanRepositoryTest, CreateRequestIdIsUniquePerClinicAndFindsThePlan) {
  ASSERT_TRUE(InsertPlan(NewPlan(1), "retry-1").ok());
  ASSERT_TRUE(InsertPlan(NewPlan(2), "").ok());
  ASSERT_TRUE(InsertPlan(NewPlan(3), "").ok());  // empty ids never clash
  ASSERT_TRUE(InsertPlan(NewPlan(4, kCasey, kClinicB), "retry-1").ok());

  EXPECT_EQ(InsertPlan(NewPlan(5), "retry-1").code(), absl::StatusCode::kAlreadyExists);
  absl::StatusOr<std::optional<PlanRecord>> found =
      Read([](UnitOfWork& uow) { return uow.plans().FindByCreateRequestId(kClinicA, "retry-1"); });
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, PlanId(1));
  absl::StatusOr<std::optional<PlanRecord>> empty =
      Read([](UnitOfWork& uow) { return uow.plans().FindByCreateRequestId(kClinicA, ""); });
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(*empty, std::nullopt);
}

MilestoneRecord NewMilestone(int n, const std::string& achieved_date,
                             const std::string& request_id = "") {
  return MilestoneRecord{.id = MilestoneId(n),
                         .clinic_id = kClinicA,
                         .client_id = kJo,
                         .plan_id = n % 2 == 0 ? PlanId(1) : "",
                         .goal_id = n % 2 == 0 ? absl::StrFormat("goal-%d", n) : "",
                         .recorded_by_user_id = kAlice,
                         .recorded_by_role = v1::ROLE_CLINICIAN,
                         .achieved_date = achieved_date,
                         .create_time = kCreateTime + absl::Seconds(n),
                         .request_id = request_id,
                         .title_sealed = absl::StrFormat("sealed-title-%d", n)};
}

TEST_F(PlanRepositoryTest, MilestoneRoundTripsEveryFieldAndListsNewestFirst) {
  ASSERT_TRUE(InsertPlan(NewPlan(1)).ok());
  const std::vector<MilestoneRecord> milestones = {
      NewMilestone(1, "2026-03-01", "m-retry"), NewMilestone(2, "2026-03-05"),
      NewMilestone(3, "2026-03-05"), NewMilestone(4, "2026-02-10")};
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                for (const MilestoneRecord& m : milestones) {
                  if (absl::Status s = uow.milestones().Insert(m); !s.ok()) {
                    return s;
                  }
                }
                return absl::OkStatus();
              }).ok());

  absl::StatusOr<std::vector<MilestoneRecord>> listed =
      Read([](UnitOfWork& uow) { return uow.milestones().ListOfClient(kClinicA, kJo, "", 100); });
  ASSERT_TRUE(listed.ok()) << listed.status();
  std::vector<std::string> ids;
  for (const MilestoneRecord& m : *listed) {
    ids.push_back(m.id);
  }
  EXPECT_THAT(ids, ElementsAre(MilestoneId(3), MilestoneId(2), MilestoneId(1), MilestoneId(4)));
  const MilestoneRecord& two = (*listed)[1];
  EXPECT_EQ(two.clinic_id, kClinicA);
  EXPECT_EQ(two.client_id, kJo);
  EXPECT_EQ(two.plan_id, PlanId(1));
  EXPECT_EQ(two.goal_id, "goal-2");
  EXPECT_EQ(two.recorded_by_user_id, kAlice);
  EXPECT_EQ(two.recorded_by_role, v1::ROLE_CLINICIAN);
  EXPECT_EQ(two.achieved_date, "2026-03-05");
  EXPECT_EQ(two.create_time, kCreateTime + absl::Seconds(2));
  EXPECT_EQ(two.request_id, "");
  EXPECT_EQ(two.title_sealed, "sealed-title-2");

  absl::StatusOr<std::optional<MilestoneRecord>> replay =
      Read([](UnitOfWork& uow) { return uow.milestones().FindByRequestId(kClinicA, "m-retry"); });
  ASSERT_TRUE(replay.ok()) << replay.status();
  ASSERT_TRUE(replay->has_value());
  EXPECT_EQ((*replay)->id, MilestoneId(1));
  EXPECT_EQ((*replay)->request_id, "m-retry");
  EXPECT_EQ(Write([](UnitOfWork& uow) {
              return uow.milestones().Insert(NewMilestone(5, "2026-03-01", "m-retry"));
            }).code(),
            absl::StatusCode::kAlreadyExists);
  absl::StatusOr<std::vector<MilestoneRecord>> other_clinic =
      Read([](UnitOfWork& uow) { return uow.milestones().ListOfClient(kClinicB, kJo, "", 100); });
  ASSERT_TRUE(other_clinic.ok()) << other_clinic.status();
  EXPECT_THAT(*other_clinic, IsEmpty());
}

// A goal has one milestone: a second for the same plan and goal is ALREADY_EXISTS; milestones
// without a goal never clash.
TEST_F(PlanRepositoryTest, GoalHasAtMostOneMilestone) {
  ASSERT_TRUE(InsertPlan(NewPlan(1)).ok());
  ASSERT_TRUE(Write([](UnitOfWork& uow) {
                return uow.milestones().Insert(NewMilestone(2, "2026-03-01"));
              }).ok());
  ASSERT_TRUE(Write([](UnitOfWork& uow) {
                return uow.milestones().Insert(NewMilestone(1, "2026-03-01"));
              }).ok());
  ASSERT_TRUE(Write([](UnitOfWork& uow) {
                return uow.milestones().Insert(NewMilestone(3, "2026-03-01"));
              }).ok());

  MilestoneRecord again = NewMilestone(4, "2026-03-02");
  again.goal_id = "goal-2";
  EXPECT_EQ(Write([&](UnitOfWork& uow) { return uow.milestones().Insert(again); }).code(),
            absl::StatusCode::kAlreadyExists);
  absl::StatusOr<std::vector<std::string>> goals = Read(
      [](UnitOfWork& uow) { return uow.milestones().GoalIdsWithMilestone(kClinicA, PlanId(1)); });
  ASSERT_TRUE(goals.ok()) << goals.status();
  EXPECT_THAT(*goals, ElementsAre("goal-2"));
  absl::StatusOr<std::vector<std::string>> other_clinic = Read(
      [](UnitOfWork& uow) { return uow.milestones().GoalIdsWithMilestone(kClinicB, PlanId(1)); });
  ASSERT_TRUE(other_clinic.ok()) << other_clinic.status();
  EXPECT_THAT(*other_clinic, IsEmpty());
}

TEST_F(PlanRepositoryTest, ListsPageByKeyset) {
  for (int n : {1, 2, 3}) {
    ASSERT_TRUE(InsertPlan(NewPlan(n)).ok());
  }
  ASSERT_TRUE(InsertPlan(NewPlan(4, kRiley)).ok());
  absl::StatusOr<std::vector<PlanRecord>> plans =
      Read([](UnitOfWork& uow) { return uow.plans().ListOfClient(kClinicA, kJo, PlanId(3), 1); });
  ASSERT_TRUE(plans.ok()) << plans.status();
  ASSERT_EQ(plans->size(), 1u);
  EXPECT_EQ((*plans)[0].id, PlanId(2));

  const PlanRecord plan = NewPlan(1);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                for (int v = 2; v <= 4; ++v) {
                  if (absl::Status s = uow.plans().InsertVersion(NewVersion(plan, v)); !s.ok()) {
                    return s;
                  }
                }
                return absl::OkStatus();
              }).ok());
  absl::StatusOr<std::vector<PlanVersionRecord>> versions =
      Read([&](UnitOfWork& uow) { return uow.plans().ListVersions(kClinicA, plan.id, 4, 2); });
  ASSERT_TRUE(versions.ok()) << versions.status();
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 3);
  EXPECT_EQ((*versions)[1].version, 2);

  // Milestones: (achieved date, create time, id) newest first; 2 and 3 share a date.
  ASSERT_TRUE(Write([&](UnitOfWork& uow) -> absl::Status {
                for (const MilestoneRecord& m :
                     {NewMilestone(1, "2026-03-01"), NewMilestone(2, "2026-03-05"),
                      NewMilestone(3, "2026-03-05"), NewMilestone(4, "2026-02-10")}) {
                  if (absl::Status s = uow.milestones().Insert(m); !s.ok()) {
                    return s;
                  }
                }
                return absl::OkStatus();
              }).ok());
  std::vector<std::string> ids;
  std::string after;
  for (int page = 0; page < 5; ++page) {
    absl::StatusOr<std::vector<MilestoneRecord>> listed = Read(
        [&](UnitOfWork& uow) { return uow.milestones().ListOfClient(kClinicA, kJo, after, 1); });
    ASSERT_TRUE(listed.ok()) << listed.status();
    if (listed->empty()) {
      break;
    }
    ids.push_back((*listed)[0].id);
    after = (*listed)[0].id;
  }
  EXPECT_THAT(ids, ElementsAre(MilestoneId(3), MilestoneId(2), MilestoneId(1), MilestoneId(4)));
  absl::StatusOr<std::vector<MilestoneRecord>> foreign = Read([](UnitOfWork& uow) {
    return uow.milestones().ListOfClient(kClinicA, kRiley, MilestoneId(3), 10);
  });
  ASSERT_TRUE(foreign.ok()) << foreign.status();
  EXPECT_THAT(*foreign, IsEmpty());
}

}  // namespace
}  // namespace confide::persistence
