// The versioning rule of therapy plans: a change makes version n+1 from the latest version and
// the fields of the update mask; everything else, and every earlier version, stays as it was.

#include "services/plans/plan_versioning.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/api/field_errors.h"
#include "services/common/timestamps.h"
#include "tests/fakes/pipeline_test_support.h"
#include "tests/unit/services/plans/plan_test_support.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const absl::Time kMonday =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 10, 0, 0), absl::UTCTimeZone());
const absl::Time kLater = kMonday + absl::Hours(30);

google::protobuf::FieldMask Mask(std::vector<std::string> paths) {
  google::protobuf::FieldMask mask;
  for (std::string& path : paths) {
    mask.add_paths(std::move(path));
  }
  return mask;
}

v1::TherapyPlan RequestedPlan() {
  v1::TherapyPlan plan;
  plan.set_title("Dilator programme");
  v1::Problem* problem = plan.add_problems();
  problem->set_id("pain");
  problem->set_clinical_description("Primary vaginismus, lifelong");
  problem->set_patient_description("Penetration hurts");
  v1::Goal* goal = plan.add_goals();
  goal->set_clinical_wording("Dilator size 3, 5 min, pain <= 2/10");
  goal->set_patient_wording("Use the size 3 dilator comfortably");
  goal->set_target_date("2026-06-01");
  goal->add_problem_ids("pain");
  plan.add_disciplines(v1::PLAN_DISCIPLINE_SEX_THERAPY);
  plan.set_patient_summary("We will go step by step.");
  return plan;
}

v1::TherapyPlan VersionOne() {
  absl::StatusOr<v1::TherapyPlan> first =
      FirstPlanVersion(RequestedPlan(), "plan-1", "client-1", "sam", kMonday);
  EXPECT_TRUE(first.ok()) << first.status();
  return first.ok() ? *first : v1::TherapyPlan();
}

TEST(FirstPlanVersionTest, IsVersionOneWithDefaultsGeneratedIdsAndOutputFieldsReplaced) {
  v1::TherapyPlan requested = RequestedPlan();
  requested.set_id("chosen-by-caller");
  requested.set_version(7);
  requested.set_shared_version(3);
  requested.set_author_user_id("mallory");

  absl::StatusOr<v1::TherapyPlan> first =
      FirstPlanVersion(requested, "plan-1", "client-1", "sam", kMonday);

  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->id(), "plan-1");
  EXPECT_EQ(first->client_id(), "client-1");
  EXPECT_EQ(first->version(), 1);
  EXPECT_EQ(first->shared_version(), 0);
  EXPECT_EQ(first->author_user_id(), "sam");
  EXPECT_EQ(FromTimestamp(first->version_create_time()), kMonday);
  EXPECT_EQ(FromTimestamp(first->create_time()), kMonday);
  EXPECT_EQ(first->status(), v1::PLAN_STATUS_ACTIVE);
  EXPECT_EQ(first->goals(0).id(), "goal-1");
  EXPECT_EQ(first->goals(0).status(), v1::GOAL_STATUS_NOT_STARTED);
  EXPECT_EQ(first->problems(0).id(), "pain");
}

TEST(FirstPlanVersionTest, InvalidContentIsRefusedNamingTheField) {
  v1::TherapyPlan requested = RequestedPlan();
  requested.mutable_goals(0)->add_problem_ids("no-such-problem");

  absl::StatusOr<v1::TherapyPlan> first =
      FirstPlanVersion(requested, "plan-1", "client-1", "sam", kMonday);

  EXPECT_EQ(first.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(first.status()), ElementsAre("plan.goals[0].problem_ids[1]"));
}

// Unknown fields (a newer client's, or smuggled) are dropped from what is stored: on a first
// version, and inside the messages an update mask's merge replaces.
TEST(FirstPlanVersionTest, UnknownFieldsAreDropped) {
  v1::TherapyPlan requested = RequestedPlan();
  UnknownOf(&requested).AddLengthDelimited(999, "hidden");
  UnknownOf(requested.mutable_goals(0)).AddVarint(998, 1);
  absl::StatusOr<v1::TherapyPlan> first =
      FirstPlanVersion(requested, "plan-1", "client-1", "sam", kMonday);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(HasUnknownFields(*first));
  EXPECT_FALSE(HasUnknownFields(first->goals(0)));
  EXPECT_FALSE(HasUnknownFields(first->problems(0)));
}

TEST(NextPlanVersionTest, UnknownFieldsInsideMergedMessagesAreDropped) {
  const v1::TherapyPlan one = VersionOne();
  v1::TherapyPlan changes = one;
  UnknownOf(changes.mutable_goals(0)).AddLengthDelimited(999, "hidden");
  UnknownOf(changes.mutable_problems(0)).AddVarint(998, 1);
  absl::StatusOr<v1::TherapyPlan> v2 =
      NextPlanVersion(one, changes, Mask({"goals", "problems"}), "alex", kLater);
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_FALSE(HasUnknownFields(v2->goals(0)));
  EXPECT_FALSE(HasUnknownFields(v2->problems(0)));
  EXPECT_EQ(v2->goals(0).id(), one.goals(0).id());
}

TEST(NextPlanVersionTest, ReplacesOnlyMaskedFieldsAndCountsUp) {
  const v1::TherapyPlan one = VersionOne();
  v1::TherapyPlan changes;
  changes.set_title("Renamed");
  changes.set_patient_summary("ignored: not in the mask");

  absl::StatusOr<v1::TherapyPlan> v2 =
      NextPlanVersion(one, changes, Mask({"title"}), "alex", kLater);

  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->version(), 2);
  EXPECT_EQ(v2->title(), "Renamed");
  EXPECT_EQ(v2->patient_summary(), one.patient_summary());
  EXPECT_EQ(v2->goals_size(), 1);
  EXPECT_EQ(v2->author_user_id(), "alex");
  EXPECT_EQ(FromTimestamp(v2->version_create_time()), kLater);
  EXPECT_EQ(FromTimestamp(v2->create_time()), kMonday);
  EXPECT_EQ(v2->id(), one.id());
  EXPECT_EQ(v2->client_id(), one.client_id());
}

TEST(NextPlanVersionTest, RepeatedFieldsAreReplacedWholeAndNewItemsGetFreeIds) {
  const v1::TherapyPlan one = VersionOne();
  v1::TherapyPlan changes;
  *changes.add_goals() = one.goals(0);
  changes.add_goals()->set_patient_wording("Try sensate focus");

  absl::StatusOr<v1::TherapyPlan> v2 =
      NextPlanVersion(one, changes, Mask({"goals"}), "alex", kLater);

  ASSERT_TRUE(v2.ok()) << v2.status();
  ASSERT_EQ(v2->goals_size(), 2);
  EXPECT_EQ(v2->goals(0).id(), "goal-1");
  EXPECT_EQ(v2->goals(1).id(), "goal-2");
  EXPECT_EQ(v2->goals(1).status(), v1::GOAL_STATUS_NOT_STARTED);
}

TEST(NextPlanVersionTest, ClearingAFieldThroughTheMaskEmptiesIt) {
  v1::TherapyPlan one = VersionOne();
  one.set_next_review_date("2026-04-01");

  absl::StatusOr<v1::TherapyPlan> v2 =
      NextPlanVersion(one, v1::TherapyPlan(), Mask({"next_review_date", "goals"}), "alex", kLater);

  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->next_review_date(), "");
  EXPECT_THAT(v2->goals(), IsEmpty());
}

TEST(NextPlanVersionTest, OutputOnlyUnknownOrEmptyMaskIsRefusedNamingUpdateMask) {
  const v1::TherapyPlan one = VersionOne();
  for (const std::vector<std::string>& paths :
       std::vector<std::vector<std::string>>{{"version"},
                                             {"title", "shared_version"},
                                             {"etag"},
                                             {"id"},
                                             {"author_user_id"},
                                             {"goals.status"},
                                             {"no_such_field"},
                                             {}}) {
    absl::StatusOr<v1::TherapyPlan> v2 =
        NextPlanVersion(one, v1::TherapyPlan(), Mask(paths), "alex", kLater);
    EXPECT_EQ(v2.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(ViolatedFields(v2.status()), ElementsAre("update_mask"));
  }
}

TEST(NextPlanVersionTest, ResultMustBeAValidPlan) {
  const v1::TherapyPlan one = VersionOne();
  v1::TherapyPlan changes;
  changes.set_title(std::string(201, 'x'));

  absl::StatusOr<v1::TherapyPlan> v2 =
      NextPlanVersion(one, changes, Mask({"title"}), "alex", kLater);

  EXPECT_EQ(v2.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(v2.status()), ElementsAre("plan.title"));
}

TEST(PlanContentTest, DropsEveryOutputOnlyField) {
  v1::TherapyPlan plan = VersionOne();
  plan.set_etag("v1");
  plan.set_shared_version(1);

  v1::TherapyPlan content = PlanContent(plan);

  EXPECT_EQ(content.id(), "");
  EXPECT_EQ(content.client_id(), "");
  EXPECT_EQ(content.version(), 0);
  EXPECT_EQ(content.author_user_id(), "");
  EXPECT_FALSE(content.has_version_create_time());
  EXPECT_FALSE(content.has_create_time());
  EXPECT_EQ(content.shared_version(), 0);
  EXPECT_EQ(content.etag(), "");
  EXPECT_EQ(content.title(), plan.title());
}

}  // namespace
}  // namespace confide
