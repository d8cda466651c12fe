// Therapy plans and milestones over REST (and one call over gRPC), against the real
// confide-server: every field round-trips, changes make new versions and leave old ones as they
// were, the patient and her partner see only the shared version in patient wording, an achieved
// goal becomes a milestone once a version showing it is shared (never before), lists page, and
// nothing of the plan is stored in clear.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "api_test_fixture.h"
#include "confide/v1/plans.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc_api_test_fixture.h"
#include "gtest/gtest.h"

namespace confide::api_test {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kAlreadyExists = 6;

std::string PlansPath(const std::string& client_id) {
  return "/v1/clients/" + client_id + "/plans";
}

std::string PlanPath(const std::string& client_id, const std::string& plan_id) {
  return PlansPath(client_id) + "/" + plan_id;
}

// Text that must never leave the care team, each unique to one plan.
struct Markers {
  std::string title, clinical_description, clinical_wording, measure, clinical_detail;
  // Patient wording: readable by the patient once shared, never stored in clear.
  std::string patient_problem, patient_goal, patient_intervention, summary;

  std::vector<std::string> Clinical() const {
    return {title, clinical_description, clinical_wording, measure, clinical_detail};
  }
  std::vector<std::string> All() const {
    return {title,           clinical_description, clinical_wording, measure, clinical_detail,
            patient_problem, patient_intervention, patient_goal,     summary};
  }
};

class PlansApiTest : public GrpcApiTestBase {
 protected:
  static Markers NewMarkers() {
    const std::string u = Unique();
    return Markers{.title = "zqtitle" + u,
                   .clinical_description = "zqclindesc" + u,
                   .clinical_wording = "zqclinword" + u,
                   .measure = "zqmeasure" + u,
                   .clinical_detail = "zqclindetail" + u,
                   .patient_problem = "zqpatproblem" + u,
                   .patient_goal = "zqpatgoal" + u,
                   .patient_intervention = "zqpatinterv" + u,
                   .summary = "zqsummary" + u};
  }

  static nlohmann::json PlanBody(const Markers& m) {
    return {{"title", m.title},
            {"status", "PLAN_STATUS_ACTIVE"},
            {"problems",
             {{{"id", "pain"},
               {"clinicalDescription", m.clinical_description},
               {"patientDescription", m.patient_problem}}}},
            {"goals",
             {{{"id", "size-3"},
               {"clinicalWording", m.clinical_wording},
               {"patientWording", m.patient_goal},
               {"measure", m.measure},
               {"targetDate", "2027-06-01"},
               {"status", "GOAL_STATUS_IN_PROGRESS"},
               {"problemIds", {"pain"}}}}},
            {"interventions",
             {{{"kind", "INTERVENTION_KIND_GRADED_DILATOR_EXPOSURE"},
               {"clinicalDetail", m.clinical_detail},
               {"patientDescription", m.patient_intervention},
               {"discipline", "PLAN_DISCIPLINE_PELVIC_FLOOR_PHYSIOTHERAPY"}}}},
            {"disciplines",
             {"PLAN_DISCIPLINE_SEX_THERAPY", "PLAN_DISCIPLINE_PELVIC_FLOOR_PHYSIOTHERAPY"}},
            {"nextReviewDate", "2027-01-31"},
            {"patientSummary", m.summary}};
  }

  // Creates a plan for Jo as Sam; fails the test and returns null when refused.
  static nlohmann::json CreatePlan(const Markers& m, const std::string& request_id = "") {
    nlohmann::json body = PlanBody(m);
    std::string path = PlansPath(kJoClientId);
    if (!request_id.empty()) {
      path += "?requestId=" + request_id;
    }
    HttpResponse created = Rest().Post(path, body, TokenOf(kSamEmail));
    EXPECT_EQ(created.status, 200) << created.body;
    return created.status == 200 ? created.Json() : nlohmann::json();
  }

  static HttpResponse Update(const nlohmann::json& plan, const std::string& mask,
                             const nlohmann::json& fields, const std::string& token) {
    nlohmann::json body = fields;
    body["etag"] = plan.value("etag", "");
    return Rest().Patch(PlanPath(kJoClientId, plan.value("id", "")) + "?updateMask=" + mask, body,
                        token);
  }

  // Jo's milestones linked to `plan_id`.
  static std::vector<nlohmann::json> MilestonesOfPlan(const std::string& plan_id) {
    HttpResponse listed = Rest().Get("/v1/clients/me/milestones?pageSize=500", TokenOf(kJoEmail));
    EXPECT_EQ(listed.status, 200) << listed.body;
    std::vector<nlohmann::json> out;
    if (listed.status == 200 && listed.Json().contains("milestones")) {
      const nlohmann::json milestones = listed.Json();
      for (const nlohmann::json& milestone : milestones["milestones"]) {
        if (milestone.value("planId", "") == plan_id) {
          out.push_back(milestone);
        }
      }
    }
    return out;
  }

  static HttpResponse Share(const std::string& plan_id, int version) {
    return Rest().Post(PlanPath(kJoClientId, plan_id) + ":share", {{"version", version}},
                       TokenOf(kSamEmail));
  }
};

// The shared plan with this id in a ListSharedPlans answer, or null.
nlohmann::json SharedPlanOf(const nlohmann::json& list, const std::string& plan_id) {
  if (list.contains("plans")) {
    for (const nlohmann::json& plan : list["plans"]) {
      if (plan.value("planId", "") == plan_id) {
        return plan;
      }
    }
  }
  return nullptr;
}

void ExpectNoneOf(const std::string& text, const std::vector<std::string>& markers) {
  for (const std::string& marker : markers) {
    EXPECT_THAT(text, Not(HasSubstr(marker)));
  }
}

// --- The care team's plan ---

TEST_F(PlansApiTest, CreatedPlanRoundTripsEveryField) {
  const Markers m = NewMarkers();
  const nlohmann::json created = CreatePlan(m);
  ASSERT_TRUE(created.is_object());

  HttpResponse got = Rest().Get(PlanPath(kJoClientId, created["id"]), TokenOf(kAlexEmail));

  ASSERT_EQ(got.status, 200) << got.body;
  const nlohmann::json plan = got.Json();
  const nlohmann::json sent = PlanBody(m);
  for (const auto& [key, value] : sent.items()) {
    EXPECT_EQ(plan[key], value) << key;
  }
  EXPECT_EQ(plan["id"], created["id"]);
  EXPECT_EQ(plan.value("clientId", ""), kJoClientId);
  EXPECT_EQ(plan.value("version", 0), 1);
  EXPECT_EQ(plan.value("etag", ""), "v1");
  EXPECT_EQ(plan.value("authorUserId", ""), kSamUserId);
  EXPECT_FALSE(plan.value("createTime", "").empty());
  EXPECT_EQ(plan.value("versionCreateTime", ""), plan.value("createTime", ""));
  EXPECT_FALSE(plan.contains("sharedVersion"));
  EXPECT_EQ(created, plan);
}

TEST_F(PlansApiTest, MissingItemIdsAreGeneratedAndBadContentNamesTheField) {
  nlohmann::json body = PlanBody(NewMarkers());
  body["goals"][0].erase("id");
  body["goals"][0]["problemIds"] = {"no-such-problem"};
  body["nextReviewDate"] = "2027-02-30";

  HttpResponse refused = Rest().Post(PlansPath(kJoClientId), body, TokenOf(kSamEmail));

  ASSERT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(refused.Json()), Contains("plan.goals[0].problem_ids[0]"));
  EXPECT_THAT(ViolatedFields(refused.Json()), Contains("plan.next_review_date"));

  body["goals"][0]["problemIds"] = {"pain"};
  body["nextReviewDate"] = "2027-02-28";
  HttpResponse created = Rest().Post(PlansPath(kJoClientId), body, TokenOf(kSamEmail));
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.Json()["goals"][0].value("id", ""), "goal-1");
}

TEST_F(PlansApiTest, RetriedCreateWithTheSameRequestIdReturnsTheFirstPlan) {
  const std::string request_id = "plan-" + Unique();
  const nlohmann::json first = CreatePlan(NewMarkers(), request_id);
  const nlohmann::json again = CreatePlan(NewMarkers(), request_id);

  ASSERT_TRUE(first.is_object());
  EXPECT_EQ(again["id"], first["id"]);
  EXPECT_EQ(again["title"], first["title"]);
}

TEST_F(PlansApiTest, RequestIdFollowsTheSharedRuleOfAtMostOneHundredPrintableCharacters) {
  HttpResponse refused = Rest().Post(PlansPath(kJoClientId) + "?requestId=" + std::string(101, 'r'),
                                     PlanBody(NewMarkers()), TokenOf(kSamEmail));

  ASSERT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument)) << refused.body;
  EXPECT_THAT(ViolatedFields(refused.Json()), Contains("request_id"));
  EXPECT_TRUE(CreatePlan(NewMarkers(), std::string(80, 'r') + Unique().substr(0, 20)).is_object());
}

TEST_F(PlansApiTest, UpdateMakesVersionTwoAndVersionOneStaysReadableAndUnchanged) {
  const Markers m = NewMarkers();
  const nlohmann::json v1 = CreatePlan(m);
  ASSERT_TRUE(v1.is_object());

  HttpResponse updated =
      Update(v1, "title,patientSummary", {{"title", "Renamed"}, {"patientSummary", "Next step"}},
             TokenOf(kAlexEmail));

  ASSERT_EQ(updated.status, 200) << updated.body;
  const nlohmann::json v2 = updated.Json();
  EXPECT_EQ(v2.value("version", 0), 2);
  EXPECT_EQ(v2.value("etag", ""), "v2");
  EXPECT_EQ(v2.value("title", ""), "Renamed");
  EXPECT_EQ(v2.value("patientSummary", ""), "Next step");
  EXPECT_EQ(v2["goals"], v1["goals"]);
  EXPECT_EQ(v2.value("authorUserId", ""), kAlexUserId);
  EXPECT_EQ(v2["createTime"], v1["createTime"]);

  HttpResponse latest = Rest().Get(PlanPath(kJoClientId, v1["id"]), TokenOf(kSamEmail));
  EXPECT_EQ(latest.Json(), v2);
  HttpResponse old = Rest().Get(PlanPath(kJoClientId, v1["id"]) + "?version=1", TokenOf(kSamEmail));
  ASSERT_EQ(old.status, 200) << old.body;
  EXPECT_EQ(old.Json(), v1);

  HttpResponse versions =
      Rest().Get(PlanPath(kJoClientId, v1["id"]) + "/versions", TokenOf(kSamEmail));
  ASSERT_EQ(versions.status, 200) << versions.body;
  ASSERT_EQ(versions.Json()["versions"].size(), 2u);
  EXPECT_EQ(versions.Json()["versions"][0], v2);
  EXPECT_EQ(versions.Json()["versions"][1], v1);

  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get(PlanPath(kJoClientId, v1["id"]) + "?version=3", TokenOf(kSamEmail)),
                    404, kNotFound));
}

TEST_F(PlansApiTest, ListPlansShowsTheLatestVersionsNewestFirst) {
  const nlohmann::json older = CreatePlan(NewMarkers());
  const nlohmann::json newer = CreatePlan(NewMarkers());
  ASSERT_TRUE(older.is_object() && newer.is_object());
  ASSERT_EQ(Update(older, "title", {{"title", "Older, changed"}}, TokenOf(kSamEmail)).status, 200);

  HttpResponse list = Rest().Get(PlansPath(kJoClientId), TokenOf(kSamEmail));

  ASSERT_EQ(list.status, 200) << list.body;
  std::vector<std::string> ids;
  // Kept in a variable: a range-for over a member of a temporary would dangle.
  const nlohmann::json plans = list.Json();
  for (const nlohmann::json& plan : plans["plans"]) {
    ids.push_back(plan.value("id", ""));
    if (plan["id"] == older["id"]) {
      EXPECT_EQ(plan.value("version", 0), 2);
    }
  }
  auto newer_at = std::find(ids.begin(), ids.end(), newer.value("id", ""));
  auto older_at = std::find(ids.begin(), ids.end(), older.value("id", ""));
  ASSERT_NE(newer_at, ids.end());
  ASSERT_NE(older_at, ids.end());
  EXPECT_LT(newer_at, older_at);
}

TEST_F(PlansApiTest, StaleEtagIsConflict) {
  const nlohmann::json v1 = CreatePlan(NewMarkers());
  ASSERT_TRUE(v1.is_object());
  ASSERT_EQ(Update(v1, "title", {{"title", "First change"}}, TokenOf(kSamEmail)).status, 200);

  HttpResponse stale = Update(v1, "title", {{"title", "Lost update"}}, TokenOf(kAlexEmail));

  EXPECT_TRUE(IsErrorAnswer(stale, 409, kAborted));
  EXPECT_EQ(Rest().Get(PlanPath(kJoClientId, v1["id"]), TokenOf(kSamEmail)).Json()["title"],
            "First change");
}

TEST_F(PlansApiTest, OutputOnlyFieldInTheMaskIsRefusedNamingUpdateMask) {
  const nlohmann::json v1 = CreatePlan(NewMarkers());
  ASSERT_TRUE(v1.is_object());

  HttpResponse refused = Update(v1, "version", {{"version", 9}}, TokenOf(kSamEmail));

  ASSERT_TRUE(IsErrorAnswer(refused, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(refused.Json()), Contains("update_mask"));
}

TEST_F(PlansApiTest, ClinicianOfAnotherClinicFindsNothing) {
  const nlohmann::json plan = CreatePlan(NewMarkers());
  ASSERT_TRUE(plan.is_object());
  const std::string other = TokenOf(kOtherTherapistEmail);

  EXPECT_TRUE(IsErrorAnswer(Rest().Get(PlanPath(kJoClientId, plan["id"]), other), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(PlansPath(kJoClientId), other), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Rest().Post(PlansPath(kJoClientId), PlanBody(NewMarkers()), other), 404,
                            kNotFound));
  EXPECT_TRUE(
      IsErrorAnswer(Rest().Get("/v1/clients/" + std::string(kJoClientId) + "/sharedPlans", other),
                    404, kNotFound));
}

TEST_F(PlansApiTest, UnknownPlanOrVersionIsNotFound) {
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Get(PlanPath(kJoClientId, kNonexistentClientId), TokenOf(kSamEmail)), 404, kNotFound));
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(PlanPath(kJoClientId, "not-an-id"), TokenOf(kSamEmail)), 404,
                            kNotFound));
  const nlohmann::json plan = CreatePlan(NewMarkers());
  ASSERT_TRUE(plan.is_object());
  EXPECT_TRUE(IsErrorAnswer(Share(plan["id"], 2), 404, kNotFound));
  // Riley's care team includes Sam, but the plan is Jo's.
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(PlanPath(kRileyClientId, plan["id"]), TokenOf(kSamEmail)),
                            404, kNotFound));
}

// --- What the patient and her partner see ---

TEST_F(PlansApiTest, PatientMayNotReadTheClinicalPlan) {
  const nlohmann::json plan = CreatePlan(NewMarkers());
  ASSERT_TRUE(plan.is_object());
  const std::string jo = TokenOf(kJoEmail);

  for (const std::string& client : {std::string(kJoClientId), std::string("me")}) {
    EXPECT_TRUE(
        IsErrorAnswer(Rest().Get(PlanPath(client, plan["id"]), jo), 403, kPermissionDenied));
    EXPECT_TRUE(IsErrorAnswer(Rest().Get(PlansPath(client), jo), 403, kPermissionDenied));
    EXPECT_TRUE(IsErrorAnswer(Rest().Get(PlanPath(client, plan["id"]) + "/versions", jo), 403,
                              kPermissionDenied));
  }
  EXPECT_TRUE(
      IsErrorAnswer(Update(plan, "title", {{"title", "Mine"}}, jo), 403, kPermissionDenied));
}

TEST_F(PlansApiTest, PatientSeesOnlyTheSharedVersionInPatientWording) {
  const Markers m = NewMarkers();
  const nlohmann::json v1 = CreatePlan(m);
  ASSERT_TRUE(v1.is_object());
  const std::string jo = TokenOf(kJoEmail);

  HttpResponse before = Rest().Get("/v1/clients/me/sharedPlans", jo);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_TRUE(SharedPlanOf(before.Json(), v1["id"]).is_null());

  HttpResponse shared = Share(v1["id"], 0);
  ASSERT_EQ(shared.status, 200) << shared.body;
  EXPECT_EQ(shared.Json().value("sharedVersion", 0), 1);
  const std::string newer_summary = "zqunshared" + Unique();
  ASSERT_EQ(
      Update(v1, "patientSummary", {{"patientSummary", newer_summary}}, TokenOf(kSamEmail)).status,
      200);

  HttpResponse after = Rest().Get("/v1/clients/me/sharedPlans", jo);

  ASSERT_EQ(after.status, 200) << after.body;
  const nlohmann::json plan = SharedPlanOf(after.Json(), v1["id"]);
  ASSERT_TRUE(plan.is_object()) << after.body;
  EXPECT_EQ(plan.value("version", 0), 1);
  EXPECT_EQ(plan.value("status", ""), "PLAN_STATUS_ACTIVE");
  EXPECT_EQ(plan.value("patientSummary", ""), m.summary);
  EXPECT_EQ(plan["problems"], nlohmann::json({m.patient_problem}));
  ASSERT_EQ(plan["goals"].size(), 1u);
  EXPECT_EQ(plan["goals"][0].value("patientWording", ""), m.patient_goal);
  EXPECT_EQ(plan["goals"][0].value("targetDate", ""), "2027-06-01");
  EXPECT_EQ(plan["goals"][0].value("status", ""), "GOAL_STATUS_IN_PROGRESS");
  EXPECT_EQ(plan["interventions"][0].value("patientDescription", ""), m.patient_intervention);
  EXPECT_EQ(plan["interventions"][0].value("kind", ""),
            "INTERVENTION_KIND_GRADED_DILATOR_EXPOSURE");
  EXPECT_EQ(plan["goals"][0].value("id", ""), "size-3");
  EXPECT_EQ(plan["disciplines"], nlohmann::json({"PLAN_DISCIPLINE_SEX_THERAPY",
                                                 "PLAN_DISCIPLINE_PELVIC_FLOOR_PHYSIOTHERAPY"}));
  EXPECT_EQ(plan.value("nextReviewDate", ""), "2027-01-31");
  // shareTime is when the version was shared, as the plan's row holds it.
  const std::vector<std::string> stored =
      Query("SELECT share_time FROM plans WHERE id = '" + v1.value("id", "") + "'");
  ASSERT_EQ(stored.size(), 1u);
  long long share_micros = 0;
  ASSERT_TRUE(absl::SimpleAtoi(stored[0], &share_micros)) << stored[0];
  absl::Time share_time;
  std::string error;
  ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, plan.value("shareTime", ""), &share_time, &error))
      << error;
  EXPECT_EQ(absl::ToUnixMicros(share_time), share_micros);
  // The care team's view says which version is shared.
  HttpResponse got = Rest().Get(PlanPath(kJoClientId, v1["id"]), TokenOf(kSamEmail));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json().value("version", 0), 2);
  EXPECT_EQ(got.Json().value("sharedVersion", 0), 1);
  ExpectNoneOf(after.body, m.Clinical());
  EXPECT_THAT(after.body, Not(HasSubstr(newer_summary)));
  for (const char* clinical_key :
       {"title", "clinicalWording", "clinicalDetail", "clinicalDescription", "measure"}) {
    EXPECT_THAT(after.body, Not(HasSubstr(clinical_key)));
  }

  // Sharing the newer version replaces what she sees.
  ASSERT_EQ(Share(v1["id"], 2).status, 200);
  const nlohmann::json now_shared =
      SharedPlanOf(Rest().Get("/v1/clients/me/sharedPlans", jo).Json(), v1["id"]);
  EXPECT_EQ(now_shared.value("version", 0), 2);
  EXPECT_EQ(now_shared.value("patientSummary", ""), newer_summary);
}

// Kim holds only the plan-summary share in the demo clinic: the plan, but not its goals.
TEST_F(PlansApiTest, PartnerWithPlanSummaryShareSeesTheSharedPlanWithoutGoals) {
  const Markers m = NewMarkers();
  const nlohmann::json plan = CreatePlan(m);
  ASSERT_TRUE(plan.is_object());
  ASSERT_EQ(Share(plan["id"], 1).status, 200);

  HttpResponse seen =
      Rest().Get("/v1/clients/" + std::string(kJoClientId) + "/sharedPlans", TokenOf(kKimEmail));

  ASSERT_EQ(seen.status, 200) << seen.body;
  const nlohmann::json shared = SharedPlanOf(seen.Json(), plan["id"]);
  ASSERT_TRUE(shared.is_object()) << seen.body;
  EXPECT_EQ(shared.value("patientSummary", ""), m.summary);
  EXPECT_FALSE(shared.contains("goals"));
  EXPECT_THAT(seen.body, Not(HasSubstr(m.patient_goal)));
  ExpectNoneOf(seen.body, m.Clinical());
  EXPECT_TRUE(IsErrorAnswer(Rest().Get(PlanPath(kJoClientId, plan["id"]), TokenOf(kKimEmail)), 403,
                            kPermissionDenied));
}

// --- Milestones ---

// A milestone must not show the patient what an unshared version says: achieving a goal records
// nothing she sees until a version showing it is shared; then the goal has exactly one.
TEST_F(PlansApiTest, AchievedGoalBecomesAMilestoneOnlyWhenItsVersionIsShared) {
  const Markers m = NewMarkers();
  const nlohmann::json v1 = CreatePlan(m);
  ASSERT_TRUE(v1.is_object());
  const std::string plan_id = v1.value("id", "");
  nlohmann::json goals = v1["goals"];
  goals[0]["status"] = "GOAL_STATUS_ACHIEVED";
  goals[0]["achievedDate"] = "2026-01-15";

  HttpResponse updated = Update(v1, "goals", {{"goals", goals}}, TokenOf(kSamEmail));
  ASSERT_EQ(updated.status, 200) << updated.body;
  const nlohmann::json v2 = updated.Json();
  EXPECT_EQ(v2["goals"][0].value("achievedDate", ""), "2026-01-15");
  EXPECT_TRUE(MilestonesOfPlan(plan_id).empty());
  EXPECT_TRUE(Query("SELECT id FROM milestones WHERE plan_id = '" + plan_id + "'").empty());

  // Goal.achieved_date round-trips through GetPlan and ListPlanVersions.
  HttpResponse got = Rest().Get(PlanPath(kJoClientId, plan_id), TokenOf(kSamEmail));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json()["goals"][0].value("achievedDate", ""), "2026-01-15");
  HttpResponse versions =
      Rest().Get(PlanPath(kJoClientId, plan_id) + "/versions", TokenOf(kSamEmail));
  ASSERT_EQ(versions.status, 200) << versions.body;
  nlohmann::json listed_versions = versions.Json();
  ASSERT_EQ(listed_versions["versions"].size(), 2u) << versions.body;
  EXPECT_EQ(listed_versions["versions"][0]["goals"][0].value("achievedDate", ""), "2026-01-15");
  EXPECT_FALSE(listed_versions["versions"][1]["goals"][0].contains("achievedDate"));

  ASSERT_EQ(Share(plan_id, 2).status, 200);
  std::vector<nlohmann::json> milestones = MilestonesOfPlan(plan_id);
  ASSERT_EQ(milestones.size(), 1u);
  const nlohmann::json& milestone = milestones[0];
  EXPECT_EQ(milestone.value("title", ""), m.patient_goal);
  EXPECT_EQ(milestone.value("goalId", ""), "size-3");
  EXPECT_EQ(milestone.value("achievedDate", ""), "2026-01-15");
  EXPECT_EQ(milestone.value("clientId", ""), kJoClientId);
  EXPECT_EQ(milestone.value("recordedByUserId", ""), kSamUserId);
  EXPECT_EQ(milestone.value("recordedByRole", ""), "ROLE_CLINICIAN");
  EXPECT_FALSE(milestone.value("createTime", "").empty());
  nlohmann::json shared =
      SharedPlanOf(Rest().Get("/v1/clients/me/sharedPlans", TokenOf(kJoEmail)).Json(), plan_id);
  ASSERT_TRUE(shared.is_object());
  ASSERT_TRUE(shared.contains("goals")) << shared.dump();
  EXPECT_EQ(shared["goals"][0].value("achievedDate", ""), "2026-01-15");
  EXPECT_EQ(shared["goals"][0].value("id", ""), milestone.value("goalId", ""));

  // Re-sharing, or a later version that keeps (or re-sets) the goal achieved, adds none.
  ASSERT_EQ(Share(plan_id, 2).status, 200);
  goals[0]["status"] = "GOAL_STATUS_IN_PROGRESS";
  goals[0].erase("achievedDate");
  HttpResponse undone = Update(v2, "goals", {{"goals", goals}}, TokenOf(kSamEmail));
  ASSERT_EQ(undone.status, 200) << undone.body;
  goals[0]["status"] = "GOAL_STATUS_ACHIEVED";
  goals[0]["achievedDate"] = "2026-01-20";
  HttpResponse again = Update(undone.Json(), "goals", {{"goals", goals}}, TokenOf(kSamEmail));
  ASSERT_EQ(again.status, 200) << again.body;
  ASSERT_EQ(Share(plan_id, 4).status, 200);
  EXPECT_EQ(MilestonesOfPlan(plan_id).size(), 1u);
  ExpectNoneOf(Rest().Get("/v1/clients/me/milestones", TokenOf(kJoEmail)).body, m.Clinical());
}

// A plan created with a goal already ACHIEVED gets its milestone through the same path: when
// the version is shared.
TEST_F(PlansApiTest, GoalAchievedAtCreationBecomesAMilestoneWhenShared) {
  const Markers m = NewMarkers();
  nlohmann::json body = PlanBody(m);
  body["goals"][0]["status"] = "GOAL_STATUS_ACHIEVED";
  body["goals"][0]["achievedDate"] = "2026-01-10";
  HttpResponse created = Rest().Post(PlansPath(kJoClientId), body, TokenOf(kSamEmail));
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string plan_id = created.Json().value("id", "");
  EXPECT_TRUE(MilestonesOfPlan(plan_id).empty());

  ASSERT_EQ(Share(plan_id, 1).status, 200);

  const std::vector<nlohmann::json> milestones = MilestonesOfPlan(plan_id);
  ASSERT_EQ(milestones.size(), 1u);
  EXPECT_EQ(milestones[0].value("achievedDate", ""), "2026-01-10");
}

// The care team links a milestone to a plan and goal; the patient may link only a plan shared
// with her, never a goal.
TEST_F(PlansApiTest, RecordMilestoneLinksAsAllowed) {
  const Markers m = NewMarkers();
  const nlohmann::json plan = CreatePlan(m);
  ASSERT_TRUE(plan.is_object());
  const std::string plan_id = plan.value("id", "");
  const std::string milestones_path = "/v1/clients/" + std::string(kJoClientId) + "/milestones";

  HttpResponse by_sam = Rest().Post(milestones_path,
                                    {{"title", "Size 3 reached"},
                                     {"achievedDate", "2026-02-01"},
                                     {"planId", plan_id},
                                     {"goalId", "size-3"}},
                                    TokenOf(kSamEmail));
  ASSERT_EQ(by_sam.status, 200) << by_sam.body;
  EXPECT_EQ(by_sam.Json().value("planId", ""), plan_id);
  EXPECT_EQ(by_sam.Json().value("goalId", ""), "size-3");
  EXPECT_FALSE(by_sam.Json().value("createTime", "").empty());
  EXPECT_FALSE(by_sam.Json().value("id", "").empty());
  // The goal has its milestone now.
  EXPECT_TRUE(IsErrorAnswer(Rest().Post(milestones_path,
                                        {{"title", "Again"},
                                         {"achievedDate", "2026-02-01"},
                                         {"planId", plan_id},
                                         {"goalId", "size-3"}},
                                        TokenOf(kSamEmail)),
                            409, kAlreadyExists));

  const std::string jo = TokenOf(kJoEmail);
  HttpResponse unshared =
      Rest().Post("/v1/clients/me/milestones",
                  {{"title", "Mine"}, {"achievedDate", "2026-02-01"}, {"planId", plan_id}}, jo);
  ASSERT_TRUE(IsErrorAnswer(unshared, 400, kInvalidArgument)) << unshared.body;
  EXPECT_THAT(ViolatedFields(unshared.Json()), Contains("milestone.plan_id"));
  EXPECT_THAT(unshared.body, Not(HasSubstr("latest")));
  ASSERT_EQ(Share(plan_id, 1).status, 200);
  HttpResponse goal = Rest().Post("/v1/clients/me/milestones",
                                  {{"title", "Mine"},
                                   {"achievedDate", "2026-02-01"},
                                   {"planId", plan_id},
                                   {"goalId", "size-3"}},
                                  jo);
  ASSERT_TRUE(IsErrorAnswer(goal, 400, kInvalidArgument)) << goal.body;
  EXPECT_THAT(ViolatedFields(goal.Json()), Contains("milestone.goal_id"));
  HttpResponse mine =
      Rest().Post("/v1/clients/me/milestones",
                  {{"title", "Mine"}, {"achievedDate", "2026-02-01"}, {"planId", plan_id}}, jo);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json().value("planId", ""), plan_id);
  EXPECT_FALSE(mine.Json().value("createTime", "").empty());
}

// Lists page with opaque tokens: every item once, newest first.
TEST_F(PlansApiTest, ListsPageWithTokens) {
  nlohmann::json plan = CreatePlan(NewMarkers());
  ASSERT_TRUE(plan.is_object());
  const std::string plan_id = plan.value("id", "");
  for (int i = 0; i < 2; ++i) {
    HttpResponse next =
        Update(plan, "title", {{"title", "T" + std::to_string(i)}}, TokenOf(kSamEmail));
    ASSERT_EQ(next.status, 200) << next.body;
    plan = next.Json();
  }
  std::vector<int> versions;
  std::string token;
  for (int page = 0; page < 5; ++page) {
    HttpResponse listed =
        Rest().Get(PlanPath(kJoClientId, plan_id) + "/versions?pageSize=2&pageToken=" + token,
                   TokenOf(kSamEmail));
    ASSERT_EQ(listed.status, 200) << listed.body;
    const nlohmann::json answer = listed.Json();
    for (const nlohmann::json& version : answer["versions"]) {
      versions.push_back(version.value("version", 0));
    }
    token = answer.value("nextPageToken", "");
    if (token.empty()) {
      break;
    }
  }
  EXPECT_EQ(versions, (std::vector<int>{3, 2, 1}));

  const nlohmann::json second = CreatePlan(NewMarkers());
  ASSERT_TRUE(second.is_object());
  HttpResponse first_page = Rest().Get(PlansPath(kJoClientId) + "?pageSize=1", TokenOf(kSamEmail));
  ASSERT_EQ(first_page.status, 200) << first_page.body;
  ASSERT_EQ(first_page.Json()["plans"].size(), 1u);
  EXPECT_EQ(first_page.Json()["plans"][0]["id"], second["id"]);
  HttpResponse next_page = Rest().Get(PlansPath(kJoClientId) + "?pageSize=1&pageToken=" +
                                          first_page.Json().value("nextPageToken", ""),
                                      TokenOf(kSamEmail));
  ASSERT_EQ(next_page.status, 200) << next_page.body;
  ASSERT_EQ(next_page.Json()["plans"].size(), 1u);
  EXPECT_EQ(next_page.Json()["plans"][0]["id"], plan["id"]);

  for (const char* bad : {"?pageSize=501", "?pageToken=bogus"}) {
    EXPECT_TRUE(
        IsErrorAnswer(Rest().Get("/v1/clients/me/milestones" + std::string(bad), TokenOf(kJoEmail)),
                      400, kInvalidArgument))
        << bad;
  }
  HttpResponse milestones = Rest().Get("/v1/clients/me/milestones?pageSize=1", TokenOf(kJoEmail));
  ASSERT_EQ(milestones.status, 200) << milestones.body;
  EXPECT_LE(milestones.Json().value("milestones", nlohmann::json::array()).size(), 1u);
}

TEST_F(PlansApiTest, PatientRecordsHerOwnMilestoneOncePerRequestId) {
  const std::string title = "zqmilestone" + Unique();
  const std::string path = "/v1/clients/me/milestones?requestId=m-" + Unique();
  const nlohmann::json body = {{"title", title}, {"achievedDate", "2026-02-01"}};

  HttpResponse first = Rest().Post(path, body, TokenOf(kJoEmail));
  HttpResponse again = Rest().Post(path, body, TokenOf(kJoEmail));

  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json()["id"], first.Json()["id"]);
  EXPECT_EQ(first.Json().value("recordedByRole", ""), "ROLE_PATIENT");
  HttpResponse listed = Rest().Get("/v1/clients/me/milestones", TokenOf(kJoEmail));
  int copies = 0;
  const nlohmann::json milestones = listed.Json();
  for (const nlohmann::json& milestone : milestones["milestones"]) {
    copies += milestone.value("title", "") == title ? 1 : 0;
  }
  EXPECT_EQ(copies, 1);
  EXPECT_TRUE(Query("SELECT id FROM milestones WHERE title_sealed LIKE '%" + title + "%'").empty());
}

TEST_F(PlansApiTest, MilestoneInTheFutureOrForAnUnknownPlanIsRefused) {
  HttpResponse future =
      Rest().Post("/v1/clients/me/milestones", {{"title", "Soon"}, {"achievedDate", "2999-01-01"}},
                  TokenOf(kJoEmail));
  ASSERT_TRUE(IsErrorAnswer(future, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(future.Json()), Contains("milestone.achieved_date"));

  HttpResponse unknown = Rest().Post(
      "/v1/clients/me/milestones",
      {{"title", "Done"}, {"achievedDate", "2026-01-01"}, {"planId", kNonexistentClientId}},
      TokenOf(kJoEmail));
  ASSERT_TRUE(IsErrorAnswer(unknown, 400, kInvalidArgument));
  EXPECT_THAT(ViolatedFields(unknown.Json()), Contains("milestone.plan_id"));

  // Kim's demo link shares no progress summary.
  EXPECT_TRUE(IsErrorAnswer(
      Rest().Get("/v1/clients/" + std::string(kJoClientId) + "/milestones", TokenOf(kKimEmail)),
      403, kPermissionDenied));
}

// --- At rest ---

TEST_F(PlansApiTest, DatabaseHoldsNoPlanOrMilestoneTextInClear) {
  const Markers m = NewMarkers();
  const nlohmann::json v1 = CreatePlan(m);
  ASSERT_TRUE(v1.is_object());
  nlohmann::json goals = v1["goals"];
  goals[0]["status"] = "GOAL_STATUS_ACHIEVED";
  goals[0]["achievedDate"] = "2026-01-20";
  ASSERT_EQ(Update(v1, "goals", {{"goals", goals}}, TokenOf(kSamEmail)).status, 200);
  ASSERT_EQ(Share(v1.value("id", ""), 2).status, 200);  // makes the goal's milestone

  const std::string plan_id = v1.value("id", "");  // server-generated UUID: safe in SQL
  const std::vector<std::string> versions =
      Query("SELECT version, content_sealed FROM plan_versions WHERE plan_id = '" + plan_id + "'");
  const std::vector<std::string> milestones =
      Query("SELECT goal_id, title_sealed FROM milestones WHERE plan_id = '" + plan_id + "'");
  const std::vector<std::string> plans = Query("SELECT * FROM plans WHERE id = '" + plan_id + "'");

  ASSERT_EQ(versions.size(), 2u);
  ASSERT_EQ(milestones.size(), 1u);
  ASSERT_EQ(plans.size(), 1u);
  for (const std::vector<std::string>* rows : {&versions, &milestones, &plans}) {
    for (const std::string& row : *rows) {
      ExpectNoneOf(row, m.All());
    }
  }
}

// --- Audit ---

TEST_F(PlansApiTest, ReadIsAuditedWithThePlanAsResource) {
  const nlohmann::json plan = CreatePlan(NewMarkers());
  ASSERT_TRUE(plan.is_object());
  const std::string request_id = "plan-audit-" + Unique();

  HttpResponse got = Rest().Send("GET", PlanPath(kJoClientId, plan["id"]), "", TokenOf(kSamEmail),
                                 {{"x-request-id", request_id}});

  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Query("SELECT resource FROM audit_events WHERE request_id = '" + request_id + "'"),
            std::vector<std::string>{"clients/" + std::string(kJoClientId) + "/plans/" +
                                     plan.value("id", "")});
}

// --- gRPC ---

TEST_F(PlansApiTest, GetPlanOverGrpcReturnsTheSameVersion) {
  const Markers m = NewMarkers();
  const nlohmann::json created = CreatePlan(m);
  ASSERT_TRUE(created.is_object());
  v1::GetPlanRequest request;
  request.set_client_id(kJoClientId);
  request.set_plan_id(created.value("id", ""));
  v1::TherapyPlan plan;

  grpc::Status status = v1::PlanService::NewStub(channel())->GetPlan(
      Context(TokenOf(kSamEmail)).get(), request, &plan);

  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(plan.version(), 1);
  EXPECT_EQ(plan.title(), m.title);
  EXPECT_EQ(plan.goals(0).clinical_wording(), m.clinical_wording);
  EXPECT_EQ(plan.etag(), "v1");

  v1::ListSharedPlansRequest shared_request;
  shared_request.set_client_id("me");
  v1::ListSharedPlansResponse shared;
  status = v1::PlanService::NewStub(channel())->ListSharedPlans(Context(TokenOf(kJoEmail)).get(),
                                                                shared_request, &shared);
  ASSERT_TRUE(status.ok()) << Describe(status);
  v1::GetPlanRequest refused_request = request;
  refused_request.set_client_id("me");
  status = v1::PlanService::NewStub(channel())->GetPlan(Context(TokenOf(kJoEmail)).get(),
                                                        refused_request, &plan);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
}

}  // namespace
}  // namespace confide::api_test
