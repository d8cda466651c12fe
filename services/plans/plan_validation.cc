#include "services/plans/plan_validation.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/api/field_checker.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/api/request_fields.h"
#include "services/api/text_fields.h"
#include "services/common/text_checks.h"

namespace confide {
namespace {

constexpr size_t kMaxItemId = 64;
constexpr std::string_view kMe = "me";

void Line(FieldChecker& check, const std::string& field, const std::string& value, size_t max) {
  CheckLine(check, field, value, max);
}

void Prose(FieldChecker& check, const std::string& field, const std::string& value, size_t max) {
  CheckProse(check, field, value, max);
}

// An optional date.
void Date(FieldChecker& check, const std::string& field, const std::string& value) {
  if (!value.empty() && !IsPlanDate(value)) {
    check.Fail(field, "must be a calendar date YYYY-MM-DD");
  }
}

std::string Indexed(const std::string& field, int i) { return absl::StrCat(field, "[", i, "]"); }

absl::CivilDay UtcDay(absl::Time now) { return absl::ToCivilDay(now, absl::UTCTimeZone()); }

// "Not in the future" allows one day past the UTC date: east of UTC (up to UTC+14) it is
// already tomorrow while UTC is still today.
bool IsAfterToday(const std::string& date, absl::Time now) {
  absl::CivilDay day;
  return absl::ParseCivilTime(date, &day) && day > UtcDay(now) + 1;
}

// The repeated fields' bounds, checked before anything walks them (ids, links): a request with
// 100,000 goals is refused before its goals are looked at. `prefix` is the plan's path.
void CheckCounts(const v1::TherapyPlan& plan, FieldChecker& check) {
  if (plan.problems_size() > kMaxProblems) {
    check.Fail("problems", absl::StrCat("may hold at most ", kMaxProblems, " problems"));
  }
  if (plan.goals_size() > kMaxGoals) {
    check.Fail("goals", absl::StrCat("may hold at most ", kMaxGoals, " goals"));
  } else {
    for (int i = 0; i < plan.goals_size(); ++i) {
      if (plan.goals(i).problem_ids_size() > kMaxGoalProblems) {
        check.Fail(absl::StrCat("goals[", i, "].problem_ids"),
                   absl::StrCat("may name at most ", kMaxGoalProblems, " problems"));
      }
    }
  }
  if (plan.interventions_size() > kMaxInterventions) {
    check.Fail("interventions",
               absl::StrCat("may hold at most ", kMaxInterventions, " interventions"));
  }
  if (plan.disciplines_size() > kMaxDisciplines) {
    check.Fail("disciplines", absl::StrCat("may hold at most ", kMaxDisciplines, " disciplines"));
  }
}

void CheckProblems(const v1::TherapyPlan& plan, FieldChecker& check) {
  if (plan.problems_size() > kMaxProblems) {
    check.Fail("problems", absl::StrCat("may hold at most ", kMaxProblems, " problems"));
    return;
  }
  std::set<std::string> ids;
  for (int i = 0; i < plan.problems_size(); ++i) {
    const v1::Problem& problem = plan.problems(i);
    const std::string at = Indexed("problems", i);
    if (!IsPlanItemId(problem.id())) {
      check.Fail(at + ".id", "must be 1-64 of A-Z, a-z, 0-9, '_' and '-'");
    } else if (!ids.insert(problem.id()).second) {
      check.Fail(at + ".id", "is used by another problem of the plan");
    }
    Prose(check, at + ".clinical_description", problem.clinical_description(), kMaxClinicalText);
    Prose(check, at + ".patient_description", problem.patient_description(), kMaxPatientText);
  }
}

void CheckGoals(const v1::TherapyPlan& plan, absl::Time now, FieldChecker& check) {
  if (plan.goals_size() > kMaxGoals) {
    check.Fail("goals", absl::StrCat("may hold at most ", kMaxGoals, " goals"));
    return;
  }
  std::set<std::string> problem_ids;
  for (const v1::Problem& problem : plan.problems()) {
    problem_ids.insert(problem.id());
  }
  std::set<std::string> ids;
  for (int i = 0; i < plan.goals_size(); ++i) {
    const v1::Goal& goal = plan.goals(i);
    const std::string at = Indexed("goals", i);
    if (!IsPlanItemId(goal.id())) {
      check.Fail(at + ".id", "must be 1-64 of A-Z, a-z, 0-9, '_' and '-'");
    } else if (!ids.insert(goal.id()).second) {
      check.Fail(at + ".id", "is used by another goal of the plan");
    }
    Prose(check, at + ".clinical_wording", goal.clinical_wording(), kMaxClinicalText);
    Prose(check, at + ".patient_wording", goal.patient_wording(), kMaxPatientText);
    Prose(check, at + ".measure", goal.measure(), kMaxPatientText);
    Date(check, at + ".target_date", goal.target_date());
    if (!v1::GoalStatus_IsValid(goal.status())) {
      check.Fail(at + ".status", "is not a known goal status");
    }
    if (goal.status() == v1::GOAL_STATUS_ACHIEVED) {
      if (goal.achieved_date().empty()) {
        check.Fail(at + ".achieved_date", "is required for an achieved goal");
      } else if (!IsPlanDate(goal.achieved_date())) {
        check.Fail(at + ".achieved_date", "must be a calendar date YYYY-MM-DD");
      } else if (IsAfterToday(goal.achieved_date(), now)) {
        check.Fail(at + ".achieved_date", "must not be in the future");
      }
    } else if (!goal.achieved_date().empty()) {
      check.Fail(at + ".achieved_date", "is only for goals whose status is ACHIEVED");
    }
    if (goal.problem_ids_size() > kMaxGoalProblems) {
      check.Fail(at + ".problem_ids",
                 absl::StrCat("may name at most ", kMaxGoalProblems, " problems"));
      continue;
    }
    std::set<std::string> linked;
    for (int j = 0; j < goal.problem_ids_size(); ++j) {
      if (problem_ids.count(goal.problem_ids(j)) == 0) {
        check.Fail(Indexed(at + ".problem_ids", j), "names no problem of the plan");
      } else if (!linked.insert(goal.problem_ids(j)).second) {
        check.Fail(Indexed(at + ".problem_ids", j), "names a problem twice");
      }
    }
  }
}

void CheckInterventions(const v1::TherapyPlan& plan, FieldChecker& check) {
  if (plan.interventions_size() > kMaxInterventions) {
    check.Fail("interventions",
               absl::StrCat("may hold at most ", kMaxInterventions, " interventions"));
    return;
  }
  for (int i = 0; i < plan.interventions_size(); ++i) {
    const v1::PlannedIntervention& intervention = plan.interventions(i);
    const std::string at = Indexed("interventions", i);
    if (intervention.kind() == v1::INTERVENTION_KIND_UNSPECIFIED ||
        !v1::InterventionKind_IsValid(intervention.kind())) {
      check.Fail(at + ".kind", "must be a known intervention kind");
    }
    if (!v1::PlanDiscipline_IsValid(intervention.discipline())) {
      check.Fail(at + ".discipline", "is not a known discipline");
    }
    Prose(check, at + ".clinical_detail", intervention.clinical_detail(), kMaxClinicalText);
    Prose(check, at + ".patient_description", intervention.patient_description(), kMaxPatientText);
  }
}

void CheckDisciplines(const v1::TherapyPlan& plan, FieldChecker& check) {
  if (plan.disciplines_size() > kMaxDisciplines) {
    check.Fail("disciplines", absl::StrCat("may hold at most ", kMaxDisciplines, " disciplines"));
    return;
  }
  std::set<int> seen;
  for (int i = 0; i < plan.disciplines_size(); ++i) {
    const int discipline = plan.disciplines(i);
    if (discipline == v1::PLAN_DISCIPLINE_UNSPECIFIED || !v1::PlanDiscipline_IsValid(discipline)) {
      check.Fail(Indexed("disciplines", i), "must be a known discipline");
    } else if (!seen.insert(discipline).second) {
      check.Fail(Indexed("disciplines", i), "is listed twice");
    }
  }
}

// Hands out "<stem>-<n>" ids that are not in `used`, counting up: each call resumes where the
// last stopped, so giving k ids among u used ones takes O((k + u) log u), not O(k * u).
class FreeIds {
 public:
  FreeIds(std::string stem, std::set<std::string> used)
      : stem_(std::move(stem)), used_(std::move(used)) {}
  std::string Next() {
    for (;;) {
      std::string id = absl::StrCat(stem_, "-", ++n_);
      if (used_.insert(id).second) {
        return id;
      }
    }
  }

 private:
  std::string stem_;
  std::set<std::string> used_;
  long long n_ = 0;
};

// OK, or INVALID_ARGUMENT for the one field `violation` names.
absl::Status FieldOk(std::optional<FieldViolation> violation) {
  return violation.has_value() ? InvalidFields({*std::move(violation)}) : absl::OkStatus();
}

// The client and plan a request names; INVALID_ARGUMENT naming each one missing.
absl::Status CheckClientAndPlan(const std::string& client_id, const std::string& plan_id) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", client_id));
  check.Add(CheckRecordId("plan_id", plan_id));
  return check.Result();
}

// A client id and an optional request id (the idempotency key of a create).
absl::Status CheckClientAndRequestId(const std::string& client_id, const std::string& request_id) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", client_id));
  check.Add(CheckRequestId("request_id", request_id));
  return check.Result();
}

// What is wrong with an UpdatePlan mask, or "" when nothing is. Paths are not echoed: the
// caller chose their text.
std::string UpdateMaskProblem(const google::protobuf::FieldMask& mask) {
  static constexpr std::string_view kContentPaths[] = {
      "title",         "status",      "problems",         "goals",
      "interventions", "disciplines", "next_review_date", "patient_summary"};
  static constexpr std::string_view kOutputOnlyPaths[] = {"id",
                                                          "client_id",
                                                          "version",
                                                          "author_user_id",
                                                          "version_create_time",
                                                          "shared_version",
                                                          "create_time",
                                                          "etag"};
  if (mask.paths_size() == 0) {
    return "names no field to change";
  }
  for (const std::string& path : mask.paths()) {
    for (std::string_view fixed : kOutputOnlyPaths) {
      if (path == fixed || path.rfind(std::string(fixed) + ".", 0) == 0) {
        return "names an output-only field";
      }
    }
  }
  for (const std::string& path : mask.paths()) {
    bool content = false;
    for (std::string_view allowed : kContentPaths) {
      content = content || path == allowed;
    }
    if (!content) {
      // Repeated fields are replaced whole: "goals.status" names no single field.
      return "names a field UpdatePlan cannot change (title, status, problems, goals, "
             "interventions, disciplines, next_review_date, patient_summary)";
    }
  }
  return "";
}

}  // namespace

bool IsPlanDate(std::string_view text) {
  // Strictly YYYY-MM-DD; absl's parser alone would also accept other widths.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  absl::CivilDay day;
  if (!absl::ParseCivilTime(absl::string_view(text.data(), text.size()), &day)) {
    return false;
  }
  return absl::FormatCivilTime(day) == text && day.year() >= 1900 && day.year() <= 2100;
}

bool IsPlanItemId(std::string_view id) {
  if (id.empty() || id.size() > kMaxItemId) {
    return false;
  }
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

void AssignMissingItemIds(v1::TherapyPlan& plan, const v1::TherapyPlan* before) {
  std::set<std::string> problem_ids, goal_ids;
  for (const v1::TherapyPlan* source : {static_cast<const v1::TherapyPlan*>(&plan), before}) {
    if (source == nullptr) {
      continue;
    }
    for (const v1::Problem& problem : source->problems()) {
      problem_ids.insert(problem.id());
    }
    for (const v1::Goal& goal : source->goals()) {
      goal_ids.insert(goal.id());
    }
  }
  FreeIds new_problem_ids("problem", std::move(problem_ids));
  for (v1::Problem& problem : *plan.mutable_problems()) {
    if (problem.id().empty()) {
      problem.set_id(new_problem_ids.Next());
    }
  }
  FreeIds new_goal_ids("goal", std::move(goal_ids));
  for (v1::Goal& goal : *plan.mutable_goals()) {
    if (goal.id().empty()) {
      goal.set_id(new_goal_ids.Next());
    }
  }
}

absl::Status ValidatePlanContent(const v1::TherapyPlan& plan, std::string_view prefix,
                                 absl::Time now) {
  FieldChecker check(prefix);
  if (absl::StripAsciiWhitespace(plan.title()).empty()) {
    check.Fail("title", "is required");
  }
  Line(check, "title", plan.title(), kMaxPlanTitle);
  if (!v1::PlanStatus_IsValid(plan.status())) {
    check.Fail("status", "is not a known plan status");
  }
  CheckProblems(plan, check);
  CheckGoals(plan, now, check);
  CheckInterventions(plan, check);
  CheckDisciplines(plan, check);
  Date(check, "next_review_date", plan.next_review_date());
  Prose(check, "patient_summary", plan.patient_summary(), kMaxPatientSummary);
  return check.Result();
}

absl::Status ValidatePlanUpdateMask(const google::protobuf::FieldMask& mask) {
  const std::string problem = UpdateMaskProblem(mask);
  return problem.empty() ? absl::OkStatus() : InvalidField("update_mask", problem);
}

absl::Status ValidateMilestoneFields(const v1::Milestone& milestone, std::string_view prefix,
                                     absl::Time now) {
  FieldChecker check(prefix);
  if (absl::StripAsciiWhitespace(milestone.title()).empty()) {
    check.Fail("title", "is required");
  }
  Prose(check, "title", milestone.title(), kMaxMilestoneTitle);
  if (milestone.achieved_date().empty()) {
    check.Fail("achieved_date", "is required");
  } else if (!IsPlanDate(milestone.achieved_date())) {
    check.Fail("achieved_date", "must be a calendar date YYYY-MM-DD");
  } else if (IsAfterToday(milestone.achieved_date(), now)) {
    check.Fail("achieved_date", "must not be in the future");
  }
  if (!milestone.plan_id().empty() && !IsUuidText(milestone.plan_id())) {
    check.Fail("plan_id", "names no plan of this client");
  }
  if (!milestone.goal_id().empty()) {
    if (milestone.plan_id().empty()) {
      check.Fail("goal_id", "needs plan_id: a goal belongs to a plan");
    } else if (!IsPlanItemId(milestone.goal_id())) {
      check.Fail("goal_id", "must be 1-64 of A-Z, a-z, 0-9, '_' and '-'");
    }
  }
  return check.Result();
}

absl::Status ValidateCreatePlan(const v1::CreatePlanRequest& request) {
  if (request.client_id() == kMe) {
    return InvalidField("client_id", "must name the client: plans are written by clinicians");
  }
  if (absl::Status s = CheckClientAndRequestId(request.client_id(), request.request_id());
      !s.ok()) {
    return s;
  }
  FieldChecker check("plan");
  CheckCounts(request.plan(), check);
  return check.Result();
}

absl::Status ValidateGetPlan(const v1::GetPlanRequest& request) {
  if (absl::Status s = CheckClientAndPlan(request.client_id(), request.plan_id()); !s.ok()) {
    return s;
  }
  return request.version() < 0 ? InvalidField("version", "must be 0 (latest) or a version")
                               : absl::OkStatus();
}

absl::Status ValidateListPlans(const v1::ListPlansRequest& request) {
  if (absl::Status s = FieldOk(CheckClientId("client_id", request.client_id())); !s.ok()) {
    return s;
  }
  return EffectivePageSize(request.page_size()).status();
}

absl::Status ValidateListPlanVersions(const v1::ListPlanVersionsRequest& request) {
  if (absl::Status s = CheckClientAndPlan(request.client_id(), request.plan_id()); !s.ok()) {
    return s;
  }
  return EffectivePageSize(request.page_size()).status();
}

absl::Status ValidateUpdatePlan(const v1::UpdatePlanRequest& request) {
  FieldChecker fields;
  fields.Add(CheckClientId("plan.client_id", request.plan().client_id()));
  fields.Add(CheckRecordId("plan.id", request.plan().id()));
  if (request.plan().etag().empty()) {
    fields.Fail("plan.etag", "is required: send the etag of the version you changed");
  }
  if (std::string problem = UpdateMaskProblem(request.update_mask()); !problem.empty()) {
    fields.Fail("update_mask", problem);
  }
  if (!fields.ok()) {
    return fields.Result();
  }
  FieldChecker check("plan");
  CheckCounts(request.plan(), check);
  return check.Result();
}

absl::Status ValidateSharePlanVersion(const v1::SharePlanVersionRequest& request) {
  if (absl::Status s = CheckClientAndPlan(request.client_id(), request.plan_id()); !s.ok()) {
    return s;
  }
  return request.version() < 0 ? InvalidField("version", "must be 0 (latest) or a version")
                               : absl::OkStatus();
}

absl::Status ValidateListSharedPlans(const v1::ListSharedPlansRequest& request) {
  return FieldOk(CheckClientId("client_id", request.client_id()));
}

absl::Status ValidateRecordMilestone(const v1::RecordMilestoneRequest& request) {
  return CheckClientAndRequestId(request.client_id(), request.request_id());
}

absl::Status ValidateListMilestones(const v1::ListMilestonesRequest& request) {
  if (absl::Status s = FieldOk(CheckClientId("client_id", request.client_id())); !s.ok()) {
    return s;
  }
  return EffectivePageSize(request.page_size()).status();
}

}  // namespace confide
