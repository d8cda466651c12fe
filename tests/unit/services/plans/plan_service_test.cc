// PlanService over the in-memory unit of work, called as the pipeline calls it (access already
// decided): milestones from achieved goals, goals for partners by share, links of milestones,
// and request ids that must not reach another client's plan.

#include "services/plans/plan_service.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "confide/v1/access.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "services/crypto/ports/client_data_cipher.h"
#include "services/policy/access_policy.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/fakes/in_memory_unit_of_work.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "00000000-0000-7000-8000-00000000c001";
constexpr char kRiley[] = "00000000-0000-7000-8000-00000000c002";
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 30, 0), absl::UTCTimeZone());

// Seals as hex behind the location it was sealed for, and refuses to open it anywhere else, as
// the real cipher's associated data does.
class FakeCipher final : public ClientDataCipher {
 public:
  absl::StatusOr<std::string> Seal(UnitOfWork&, std::string_view clinic_id,
                                   std::string_view client_id, const FieldLocation& where,
                                   std::string_view plaintext) override {
    return absl::StrCat(
        Label(clinic_id, client_id, where),
        absl::BytesToHexString(absl::string_view(plaintext.data(), plaintext.size())));
  }
  absl::StatusOr<std::string> Open(UnitOfWork&, std::string_view clinic_id,
                                   std::string_view client_id, const FieldLocation& where,
                                   std::string_view sealed) override {
    const std::string label = Label(clinic_id, client_id, where);
    if (!absl::StartsWith(absl::string_view(sealed.data(), sealed.size()), label)) {
      return absl::DataLossError("sealed for another place");
    }
    return absl::HexStringToBytes(
        absl::string_view(sealed.data() + label.size(), sealed.size() - label.size()));
  }

 private:
  static std::string Label(std::string_view clinic_id, std::string_view client_id,
                           const FieldLocation& where) {
    return absl::StrCat("[", std::string(clinic_id), "/", std::string(client_id), "/",
                        std::string(where.table), ".", std::string(where.column), "/",
                        std::string(where.row_id), "]");
  }
};

Principal Sam() {
  return Principal{.user_id = "sam",
                   .clinic_id = kClinic,
                   .role = v1::ROLE_CLINICIAN,
                   .session_id = "s",
                   .mfa_verified = true};
}
Principal Kim() {
  return Principal{.user_id = "kim",
                   .clinic_id = kClinic,
                   .role = v1::ROLE_PARTNER,
                   .client_id = kJo,
                   .session_id = "s"};
}
Principal Jo() {
  return Principal{.user_id = "jo",
                   .clinic_id = kClinic,
                   .role = v1::ROLE_PATIENT,
                   .client_id = kJo,
                   .session_id = "s"};
}

v1::TherapyPlan NewPlan() {
  v1::TherapyPlan plan;
  plan.set_title("CLINICAL-TITLE");
  v1::Goal* goal = plan.add_goals();
  goal->set_id("g1");
  goal->set_clinical_wording("CLINICAL-WORDING");
  goal->set_patient_wording("Use the size 2 dilator");
  goal->set_status(v1::GOAL_STATUS_IN_PROGRESS);
  v1::Goal* other = plan.add_goals();
  other->set_id("g2");
  other->set_patient_wording("Breathe down");
  other->set_status(v1::GOAL_STATUS_ACHIEVED);
  other->set_achieved_date("2026-02-01");
  plan.set_patient_summary("Step by step");
  return plan;
}

class PlanServiceTest : public ::testing::Test {
 protected:
  PlanServiceTest() : uow_(Seeded()) {}

  static InMemoryDatabase Seeded() {
    InMemoryDatabase db;
    for (const char* id : {kJo, kRiley}) {
      ClientRecord client{.clinic_id = kClinic};
      client.client.set_id(id);
      db.clients.emplace(id, client);
    }
    return db;
  }

  // Runs `call` as the pipeline would for `who` on `client_id`.
  template <typename Call>
  auto As(const Principal& who, const std::string& client_id, Call call) {
    AuditEvent audit;
    CallContext context;
    RequestScope scope{.principal = &who,
                       .uow = uow_,
                       .call = context,
                       .client_id = client_id,
                       .audit = audit,
                       .now = kNow};
    auto result = call(scope);
    last_resource_ = audit.resource;
    return result;
  }

  v1::TherapyPlan Create(const std::string& request_id = "") {
    v1::CreatePlanRequest request;
    request.set_client_id(kJo);
    *request.mutable_plan() = NewPlan();
    request.set_request_id(request_id);
    absl::StatusOr<v1::TherapyPlan> plan =
        As(Sam(), kJo, [&](RequestScope& s) { return service_.Create(request, s); });
    EXPECT_TRUE(plan.ok()) << plan.status();
    return plan.ok() ? *plan : v1::TherapyPlan();
  }

  absl::StatusOr<v1::TherapyPlan> AchieveFirstGoal(const v1::TherapyPlan& plan) {
    v1::UpdatePlanRequest request;
    *request.mutable_plan() = plan;
    request.mutable_plan()->mutable_goals(0)->set_status(v1::GOAL_STATUS_ACHIEVED);
    request.mutable_plan()->mutable_goals(0)->set_achieved_date("2026-03-01");
    request.mutable_update_mask()->add_paths("goals");
    return As(Sam(), kJo, [&](RequestScope& s) { return service_.Update(request, s); });
  }

  void LinkKim(uint32_t shares) {
    uow_.state().partner_links["link"] = PartnerLinkRecord{.id = "link",
                                                           .clinic_id = kClinic,
                                                           .client_id = kJo,
                                                           .partner_user_id = "kim",
                                                           .shares = shares};
  }

  v1::ListSharedPlansResponse SharedFor(const Principal& who) {
    absl::StatusOr<v1::ListSharedPlansResponse> shared =
        As(who, kJo, [&](RequestScope& s) { return service_.ListShared(s); });
    EXPECT_TRUE(shared.ok()) << shared.status();
    return shared.ok() ? *shared : v1::ListSharedPlansResponse();
  }

  void ShareLatest(const std::string& plan_id) {
    v1::SharePlanVersionRequest request;
    request.set_client_id(kJo);
    request.set_plan_id(plan_id);
    absl::StatusOr<v1::TherapyPlan> shared =
        As(Sam(), kJo, [&](RequestScope& s) { return service_.Share(request, s); });
    ASSERT_TRUE(shared.ok()) << shared.status();
  }

  FakeCipher cipher_;
  FakeIdGenerator ids_{"plans"};
  PlanService service_{cipher_, ids_};
  InMemoryUnitOfWork uow_;
  std::string last_resource_;
};

TEST_F(PlanServiceTest, GoalNewlyAchievedRecordsOneMilestoneWithItsPatientWording) {
  const v1::TherapyPlan first = Create();

  absl::StatusOr<v1::TherapyPlan> v2 = AchieveFirstGoal(first);

  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->version(), 2);
  ASSERT_EQ(uow_.state().milestones.size(), 1u);
  const MilestoneRecord& milestone = uow_.state().milestones.begin()->second;
  EXPECT_EQ(milestone.plan_id, first.id());
  EXPECT_EQ(milestone.goal_id, "g1");
  EXPECT_EQ(milestone.achieved_date, "2026-03-01");
  EXPECT_EQ(milestone.recorded_by_user_id, "sam");
  EXPECT_EQ(milestone.recorded_by_role, v1::ROLE_CLINICIAN);
  absl::StatusOr<v1::ListMilestonesResponse> listed =
      As(Jo(), kJo, [&](RequestScope& s) { return service_.ListMilestones(s); });
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->milestones_size(), 1);
  EXPECT_EQ(listed->milestones(0).title(), "Use the size 2 dilator");
}

TEST_F(PlanServiceTest, StaleUpdateStoresNothing) {
  const v1::TherapyPlan first = Create();
  ASSERT_TRUE(AchieveFirstGoal(first).ok());

  absl::StatusOr<v1::TherapyPlan> stale = AchieveFirstGoal(first);

  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(uow_.state().plan_versions.size(), 2u);
  EXPECT_EQ(uow_.state().milestones.size(), 1u);
}

TEST_F(PlanServiceTest, VersionContentIsSealedForItsOwnRow) {
  const v1::TherapyPlan first = Create();

  const PlanVersionRecord& row = uow_.state().plan_versions.at({first.id(), 1});
  EXPECT_THAT(row.content_sealed,
              HasSubstr("/plan_versions.content_sealed/" + first.id() + "/v1]"));
  EXPECT_THAT(row.content_sealed, Not(HasSubstr("CLINICAL")));
  EXPECT_EQ(last_resource_, absl::StrCat("clients/", kJo, "/plans/", first.id()));
}

TEST_F(PlanServiceTest, PartnerSeesGoalsOnlyWithTheGoalsShare) {
  const v1::TherapyPlan plan = Create();
  ShareLatest(plan.id());

  LinkKim(ShareBit(v1::PARTNER_SHARE_PLAN_SUMMARY));
  v1::ListSharedPlansResponse without = SharedFor(Kim());
  LinkKim(ShareBit(v1::PARTNER_SHARE_PLAN_SUMMARY) | ShareBit(v1::PARTNER_SHARE_GOALS));
  v1::ListSharedPlansResponse with = SharedFor(Kim());

  ASSERT_EQ(without.plans_size(), 1);
  EXPECT_THAT(without.plans(0).goals(), IsEmpty());
  EXPECT_EQ(without.plans(0).patient_summary(), "Step by step");
  ASSERT_EQ(with.plans_size(), 1);
  EXPECT_EQ(with.plans(0).goals_size(), 2);
  EXPECT_EQ(SharedFor(Jo()).plans(0).goals_size(), 2);
  EXPECT_THAT(with.SerializeAsString(), Not(HasSubstr("CLINICAL")));
}

TEST_F(PlanServiceTest, UnsharedPlanIsAbsentForThePatient) {
  Create();

  EXPECT_THAT(SharedFor(Jo()).plans(), IsEmpty());
}

TEST_F(PlanServiceTest, MilestoneGoalMustBeAGoalOfThePlan) {
  const v1::TherapyPlan plan = Create();
  v1::RecordMilestoneRequest request;
  request.set_client_id("me");
  request.mutable_milestone()->set_title("First time without pain");
  request.mutable_milestone()->set_achieved_date("2026-03-01");
  request.mutable_milestone()->set_plan_id(plan.id());
  request.mutable_milestone()->set_goal_id("g9");

  absl::StatusOr<v1::Milestone> unknown_goal =
      As(Jo(), kJo, [&](RequestScope& s) { return service_.RecordMilestone(request, s); });
  request.mutable_milestone()->set_goal_id("g1");
  absl::StatusOr<v1::Milestone> recorded =
      As(Jo(), kJo, [&](RequestScope& s) { return service_.RecordMilestone(request, s); });
  absl::StatusOr<v1::Milestone> for_riley =
      As(Sam(), kRiley, [&](RequestScope& s) { return service_.RecordMilestone(request, s); });

  EXPECT_EQ(unknown_goal.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->recorded_by_role(), v1::ROLE_PATIENT);
  EXPECT_EQ(recorded->goal_id(), "g1");
  // The plan is Jo's: it is no plan of Riley's.
  EXPECT_EQ(for_riley.status().code(), absl::StatusCode::kInvalidArgument);
}

// A guessed request id must not return another client's plan.
TEST_F(PlanServiceTest, CreateRequestIdOfAnotherClientIsAlreadyExists) {
  const v1::TherapyPlan first = Create("retry-1");
  v1::CreatePlanRequest request;
  request.set_client_id(kRiley);
  *request.mutable_plan() = NewPlan();
  request.set_request_id("retry-1");

  absl::StatusOr<v1::TherapyPlan> other =
      As(Sam(), kRiley, [&](RequestScope& s) { return service_.Create(request, s); });
  const v1::TherapyPlan again = Create("retry-1");

  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(uow_.state().plans.size(), 1u);
}

}  // namespace
}  // namespace confide
