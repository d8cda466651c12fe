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
#include "services/plans/milestone_service.h"
#include "services/policy/access_policy.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/fakes/in_memory_unit_of_work.h"
#include "tests/unit/services/plans/plan_test_support.h"

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
  MilestoneService milestones_{cipher_, ids_};
  InMemoryUnitOfWork uow_;
  std::string last_resource_;
};

// Achieving a goal in an unshared version shows the patient nothing; sharing the version gives
// each achieved goal its one milestone, in the shared version's patient wording.
TEST_F(PlanServiceTest, SharingAVersionWithAnAchievedGoalRecordsItsOneMilestone) {
  const v1::TherapyPlan first = Create();

  absl::StatusOr<v1::TherapyPlan> v2 = AchieveFirstGoal(first);

  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->version(), 2);
  EXPECT_TRUE(uow_.state().milestones.empty());
  ShareLatest(first.id());
  // g2 was ACHIEVED since version 1; g1 since version 2: both now shared, one milestone each.
  ASSERT_EQ(uow_.state().milestones.size(), 2u);
  const MilestoneRecord* g1 = nullptr;
  for (const auto& [id, milestone] : uow_.state().milestones) {
    if (milestone.goal_id == "g1") {
      g1 = &milestone;
    }
  }
  ASSERT_NE(g1, nullptr);
  EXPECT_EQ(g1->plan_id, first.id());
  EXPECT_EQ(g1->achieved_date, "2026-03-01");
  EXPECT_EQ(g1->recorded_by_user_id, "sam");
  EXPECT_EQ(g1->recorded_by_role, v1::ROLE_CLINICIAN);
  v1::ListMilestonesRequest request;
  request.set_client_id("me");
  absl::StatusOr<v1::ListMilestonesResponse> listed =
      As(Jo(), kJo, [&](RequestScope& s) { return milestones_.List(request, s); });
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->milestones_size(), 2);
  EXPECT_EQ(listed->milestones(0).title(), "Use the size 2 dilator");

  // Sharing again, or a later version with the goal still ACHIEVED, adds none.
  ShareLatest(first.id());
  absl::StatusOr<v1::TherapyPlan> v3 = AchieveFirstGoal(*v2);
  ASSERT_TRUE(v3.ok()) << v3.status();
  ShareLatest(first.id());
  EXPECT_EQ(uow_.state().milestones.size(), 2u);
}

TEST_F(PlanServiceTest, PartnerSeesGoalMilestonesOnlyWithTheGoalsShare) {
  const v1::TherapyPlan plan = Create();
  ShareLatest(plan.id());  // g2 is ACHIEVED: a goal milestone.
  v1::RecordMilestoneRequest own;
  own.set_client_id("me");
  own.mutable_milestone()->set_title("First time without pain");
  own.mutable_milestone()->set_achieved_date("2026-03-01");
  ASSERT_TRUE(As(Jo(), kJo, [&](RequestScope& s) { return milestones_.Record(own, s); }).ok());
  v1::ListMilestonesRequest request;
  request.set_client_id(kJo);
  const auto count_for_kim = [&] {
    absl::StatusOr<v1::ListMilestonesResponse> listed =
        As(Kim(), kJo, [&](RequestScope& s) { return milestones_.List(request, s); });
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? listed->milestones_size() : -1;
  };

  LinkKim(ShareBit(v1::PARTNER_SHARE_PROGRESS_SUMMARY));
  EXPECT_EQ(count_for_kim(), 1);
  LinkKim(ShareBit(v1::PARTNER_SHARE_PROGRESS_SUMMARY) | ShareBit(v1::PARTNER_SHARE_GOALS));
  EXPECT_EQ(count_for_kim(), 2);
}

TEST_F(PlanServiceTest, StaleUpdateStoresNothing) {
  const v1::TherapyPlan first = Create();
  ASSERT_TRUE(AchieveFirstGoal(first).ok());

  absl::StatusOr<v1::TherapyPlan> stale = AchieveFirstGoal(first);

  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(uow_.state().plan_versions.size(), 2u);
  EXPECT_TRUE(uow_.state().milestones.empty());
}

TEST_F(PlanServiceTest, VersionContentIsSealedForItsOwnRow) {
  const v1::TherapyPlan first = Create();

  const PlanVersionRecord& row = uow_.state().plan_versions.at({first.id(), 1});
  EXPECT_THAT(row.content_sealed,
              HasSubstr("/plan_versions.content_sealed/" + first.id() + "/v1]"));
  // What is stored is the cipher's output for that row: it opens there, to the content.
  absl::StatusOr<std::string> opened = cipher_.Open(
      uow_, kClinic, kJo, FieldLocation{"plan_versions", "content_sealed", first.id() + "/v1"},
      row.content_sealed);
  ASSERT_TRUE(opened.ok()) << opened.status();
  v1::TherapyPlan content;
  ASSERT_TRUE(content.ParseFromString(*opened));
  EXPECT_EQ(content.title(), "CLINICAL-TITLE");
  EXPECT_TRUE(content.id().empty());
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
  ASSERT_EQ(with.plans(0).goals_size(), 2);
  EXPECT_EQ(with.plans(0).goals(0).id(), "g1");
  EXPECT_EQ(with.plans(0).goals(1).achieved_date(), "2026-02-01");
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
  request.set_client_id(kJo);
  request.mutable_milestone()->set_title("First time without pain");
  request.mutable_milestone()->set_achieved_date("2026-03-01");
  request.mutable_milestone()->set_plan_id(plan.id());
  request.mutable_milestone()->set_goal_id("g9");

  absl::StatusOr<v1::Milestone> unknown_goal =
      As(Sam(), kJo, [&](RequestScope& s) { return milestones_.Record(request, s); });
  request.mutable_milestone()->set_goal_id("g1");
  absl::StatusOr<v1::Milestone> recorded =
      As(Sam(), kJo, [&](RequestScope& s) { return milestones_.Record(request, s); });
  absl::StatusOr<v1::Milestone> twice =
      As(Sam(), kJo, [&](RequestScope& s) { return milestones_.Record(request, s); });
  absl::StatusOr<v1::Milestone> for_riley =
      As(Sam(), kRiley, [&](RequestScope& s) { return milestones_.Record(request, s); });

  EXPECT_EQ(unknown_goal.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown_goal.status().message(), Not(HasSubstr("latest")));
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->recorded_by_role(), v1::ROLE_CLINICIAN);
  EXPECT_EQ(recorded->plan_id(), plan.id());
  EXPECT_EQ(recorded->goal_id(), "g1");
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(recorded->goal_id(), "g1");
  // The plan is Jo's: it is no plan of Riley's.
  EXPECT_EQ(for_riley.status().code(), absl::StatusCode::kInvalidArgument);
}

// The content of a stored version, unsealed (FakeCipher: hex behind its label).
v1::TherapyPlan StoredContent(const PlanVersionRecord& row) {
  const std::string& sealed = row.content_sealed;
  v1::TherapyPlan content;
  EXPECT_TRUE(content.ParseFromString(absl::HexStringToBytes(sealed.substr(sealed.find(']') + 1))));
  return content;
}

// Fields this server does not know (a newer client's, or smuggled) never reach the store, on
// create nor through an update mask's merge (which copies them inside replaced messages).
TEST_F(PlanServiceTest, UnknownFieldsAreNeverStored) {
  v1::CreatePlanRequest create;
  create.set_client_id(kJo);
  *create.mutable_plan() = NewPlan();
  UnknownOf(create.mutable_plan()).AddLengthDelimited(999, "hidden");
  UnknownOf(create.mutable_plan()->mutable_goals(0)).AddVarint(998, 7);
  absl::StatusOr<v1::TherapyPlan> first =
      As(Sam(), kJo, [&](RequestScope& s) { return service_.Create(create, s); });
  ASSERT_TRUE(first.ok()) << first.status();

  v1::UpdatePlanRequest update;
  *update.mutable_plan() = *first;
  UnknownOf(update.mutable_plan()->mutable_goals(0)).AddLengthDelimited(997, "x");
  update.mutable_update_mask()->add_paths("goals");
  absl::StatusOr<v1::TherapyPlan> second =
      As(Sam(), kJo, [&](RequestScope& s) { return service_.Update(update, s); });
  ASSERT_TRUE(second.ok()) << second.status();

  for (int version : {1, 2}) {
    const v1::TherapyPlan stored =
        StoredContent(uow_.state().plan_versions.at({first->id(), version}));
    EXPECT_FALSE(HasUnknownFields(stored)) << version;
    ASSERT_GT(stored.goals_size(), 0);
    EXPECT_FALSE(HasUnknownFields(stored.goals(0))) << version;
    EXPECT_EQ(stored.goals(0).clinical_wording(), "CLINICAL-WORDING");
  }
}

TEST_F(PlanServiceTest, ArchivedClientsPlansAndMilestonesAreReadOnly) {
  const v1::TherapyPlan plan = Create();
  uow_.state().clients.at(kJo).client.set_status(v1::CLIENT_STATUS_ARCHIVED);
  const auto archived = [](const absl::Status& status) {
    return status.code() == absl::StatusCode::kFailedPrecondition &&
           status.message() == "client is archived; archived records are read-only";
  };

  v1::CreatePlanRequest create;
  create.set_client_id(kJo);
  *create.mutable_plan() = NewPlan();
  EXPECT_TRUE(archived(
      As(Sam(), kJo, [&](RequestScope& s) { return service_.Create(create, s); }).status()));
  EXPECT_TRUE(archived(AchieveFirstGoal(plan).status()));
  v1::SharePlanVersionRequest share;
  share.set_client_id(kJo);
  share.set_plan_id(plan.id());
  EXPECT_TRUE(
      archived(As(Sam(), kJo, [&](RequestScope& s) { return service_.Share(share, s); }).status()));
  v1::RecordMilestoneRequest milestone;
  milestone.set_client_id("me");
  milestone.mutable_milestone()->set_title("First time without pain");
  milestone.mutable_milestone()->set_achieved_date("2026-03-01");
  EXPECT_TRUE(archived(
      As(Jo(), kJo, [&](RequestScope& s) { return milestones_.Record(milestone, s); }).status()));

  EXPECT_EQ(uow_.state().plans.size(), 1u);
  EXPECT_EQ(uow_.state().plan_versions.size(), 1u);
  EXPECT_TRUE(uow_.state().milestones.empty());
  v1::GetPlanRequest get;
  get.set_client_id(kJo);
  get.set_plan_id(plan.id());
  EXPECT_TRUE(As(Sam(), kJo, [&](RequestScope& s) { return service_.Get(get, s); }).ok());
  v1::ListPlansRequest list;
  list.set_client_id(kJo);
  EXPECT_TRUE(As(Sam(), kJo, [&](RequestScope& s) { return service_.List(list, s); }).ok());
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

// The patient links her own milestones to a plan she has been shown, never to a goal.
TEST_F(PlanServiceTest, PatientLinksOnlySharedPlansAndNoGoals) {
  const v1::TherapyPlan plan = Create();
  v1::RecordMilestoneRequest request;
  request.set_client_id("me");
  request.mutable_milestone()->set_title("First time without pain");
  request.mutable_milestone()->set_achieved_date("2026-03-01");
  request.mutable_milestone()->set_plan_id(plan.id());
  const auto record = [&] {
    return As(Jo(), kJo, [&](RequestScope& s) { return milestones_.Record(request, s); });
  };

  absl::StatusOr<v1::Milestone> unshared = record();
  ShareLatest(plan.id());
  request.mutable_milestone()->set_goal_id("g1");
  absl::StatusOr<v1::Milestone> with_goal = record();
  request.mutable_milestone()->clear_goal_id();
  absl::StatusOr<v1::Milestone> shared = record();

  EXPECT_EQ(unshared.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unshared.status().message(), Not(HasSubstr("latest")));
  EXPECT_EQ(with_goal.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(with_goal.status().message(), HasSubstr("only the care team"));
  ASSERT_TRUE(shared.ok()) << shared.status();
  EXPECT_EQ(shared->plan_id(), plan.id());
  EXPECT_EQ(shared->recorded_by_role(), v1::ROLE_PATIENT);
}

// A goal sent without an id in an update is a new goal: it never takes the id of a goal of the
// version the update starts from, even one the update removes.
TEST_F(PlanServiceTest, UpdatedGoalWithoutIdIsNewAndExistingGoalsKeepTheirIds) {
  const v1::TherapyPlan first = Create();
  v1::UpdatePlanRequest request;
  *request.mutable_plan() = first;
  request.mutable_plan()->mutable_goals()->RemoveLast();  // g2 goes.
  v1::Goal* added = request.mutable_plan()->add_goals();
  added->set_patient_wording("New");
  request.mutable_update_mask()->add_paths("goals");

  absl::StatusOr<v1::TherapyPlan> next =
      As(Sam(), kJo, [&](RequestScope& s) { return service_.Update(request, s); });

  ASSERT_TRUE(next.ok()) << next.status();
  ASSERT_EQ(next->goals_size(), 2);
  EXPECT_EQ(next->goals(0).id(), "g1");
  EXPECT_FALSE(next->goals(1).id().empty());
  EXPECT_NE(next->goals(1).id(), "g2");
}

TEST_F(PlanServiceTest, ListsPageWithOpaqueTokens) {
  const v1::TherapyPlan first = Create();
  v1::TherapyPlan latest = first;
  for (int i = 0; i < 2; ++i) {
    v1::UpdatePlanRequest update;
    *update.mutable_plan() = latest;
    update.mutable_plan()->set_title(absl::StrCat("Title ", i));
    update.mutable_update_mask()->add_paths("title");
    absl::StatusOr<v1::TherapyPlan> next =
        As(Sam(), kJo, [&](RequestScope& s) { return service_.Update(update, s); });
    ASSERT_TRUE(next.ok()) << next.status();
    latest = *next;
  }
  v1::ListPlanVersionsRequest request;
  request.set_client_id(kJo);
  request.set_plan_id(first.id());
  request.set_page_size(2);
  std::vector<int> seen;
  for (int page = 0; page < 3; ++page) {
    absl::StatusOr<v1::ListPlanVersionsResponse> listed =
        As(Sam(), kJo, [&](RequestScope& s) { return service_.ListVersions(request, s); });
    ASSERT_TRUE(listed.ok()) << listed.status();
    for (const v1::TherapyPlan& version : listed->versions()) {
      seen.push_back(version.version());
    }
    if (listed->next_page_token().empty()) {
      break;
    }
    request.set_page_token(listed->next_page_token());
  }
  EXPECT_THAT(seen, ElementsAre(3, 2, 1));

  request.set_page_token("not-a-token");
  EXPECT_EQ(As(Sam(), kJo, [&](RequestScope& s) { return service_.ListVersions(request, s); })
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace confide
