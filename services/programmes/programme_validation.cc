#include "services/programmes/programme_validation.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/api/field_checker.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/api/request_fields.h"
#include "services/api/text_fields.h"
#include "services/common/text_checks.h"
#include "services/programmes/local_day.h"

namespace confide {
namespace {

constexpr size_t kMaxItemId = 64;
constexpr std::string_view kMe = "me";

std::string Indexed(std::string_view field, int i) {
  return absl::StrCat(std::string(field), "[", i, "]");
}

void Line(FieldChecker& check, const std::string& field, const std::string& value, size_t max) {
  CheckLine(check, field, value, max);
}

void Prose(FieldChecker& check, const std::string& field, const std::string& value, size_t max) {
  CheckProse(check, field, value, max);
}

// `value` is 0 (unset) or within [low, high].
void OptionalRange(FieldChecker& check, const std::string& field, int value, int low, int high) {
  if (value != 0 && (value < low || value > high)) {
    check.Fail(field, absl::StrCat("must be 0 (not set) or ", low, "-", high));
  }
}

void Range(FieldChecker& check, const std::string& field, int value, int low, int high) {
  if (value < low || value > high) {
    check.Fail(field, absl::StrCat("must be ", low, "-", high));
  }
}

void CheckSchedule(const v1::Schedule& schedule, const std::string& at, FieldChecker& check) {
  switch (schedule.period()) {
    case v1::SCHEDULE_PERIOD_DAY:
      Range(check, at + ".times_per_period", schedule.times_per_period(), 1, 10);
      break;
    case v1::SCHEDULE_PERIOD_WEEK:
      Range(check, at + ".times_per_period", schedule.times_per_period(), 1, 50);
      if (schedule.days_of_week_size() > 0) {
        check.Fail(at + ".days_of_week", "is only for a schedule whose period is DAY");
      }
      break;
    default:
      check.Fail(at + ".period", "must be DAY or WEEK");
      return;
  }
  if (schedule.days_of_week_size() > 7) {
    check.Fail(at + ".days_of_week", "may name each day at most once");
    return;
  }
  std::set<int> days;
  for (int d = 0; d < schedule.days_of_week_size(); ++d) {
    const int day = schedule.days_of_week(d);
    if (day == v1::WEEKDAY_UNSPECIFIED || !v1::Weekday_IsValid(day)) {
      check.Fail(Indexed(at + ".days_of_week", d), "must be a day of the week");
    } else if (!days.insert(day).second) {
      check.Fail(Indexed(at + ".days_of_week", d), "names a day twice");
    }
  }
}

void CheckDose(const v1::Dose& dose, const std::string& at, FieldChecker& check) {
  OptionalRange(check, at + ".sets", dose.sets(), 1, 20);
  OptionalRange(check, at + ".reps", dose.reps(), 1, 100);
  OptionalRange(check, at + ".hold_seconds", dose.hold_seconds(), 1, 120);
  OptionalRange(check, at + ".rest_seconds", dose.rest_seconds(), 1, 300);
  OptionalRange(check, at + ".duration_minutes", dose.duration_minutes(), 1, 240);
}

void CheckDilator(const v1::DilatorPrescription& dilator, const std::string& at,
                  FieldChecker& check) {
  const v1::DilatorSet& set = dilator.set();
  Line(check, at + ".set.brand", set.brand(), kMaxDilatorBrand);
  const int n = set.sizes_size();
  if (n < kMinDilatorSizes || n > kMaxDilatorSizes) {
    check.Fail(at + ".set.sizes",
               absl::StrCat("must hold ", kMinDilatorSizes, "-", kMaxDilatorSizes, " sizes"));
  } else {
    for (int i = 0; i < n; ++i) {
      const v1::DilatorSize& size = set.sizes(i);
      const std::string s = Indexed(at + ".set.sizes", i);
      if (size.size() != i + 1) {
        check.Fail(s + ".size", "must number the sizes 1..N in order");
      }
      if (size.diameter_mm() < 1 || size.diameter_mm() > 60) {
        check.Fail(s + ".diameter_mm", "must be 1-60");
      } else if (i > 0 && size.diameter_mm() <= set.sizes(i - 1).diameter_mm()) {
        check.Fail(s + ".diameter_mm", "must be larger than the size before");
      }
    }
    if (dilator.current_size() < 1 || dilator.current_size() > n) {
      check.Fail(at + ".current_size", "must be one of the set's sizes");
    }
  }
  Range(check, at + ".minutes_per_session", dilator.minutes_per_session(), 1, 60);
  Range(check, at + ".sessions_per_week", dilator.sessions_per_week(), 1, 21);
  const v1::ProgressionRule& rule = dilator.rule();
  const std::string r = at + ".rule";
  Range(check, r + ".step_up_after_sessions", rule.step_up_after_sessions(), 1, 50);
  if (rule.step_up_window_sessions() < 1 ||
      rule.step_up_window_sessions() > std::max(1, rule.step_up_after_sessions())) {
    check.Fail(r + ".step_up_window_sessions", "must be 1 to step_up_after_sessions");
  }
  Range(check, r + ".step_up_max_pain", rule.step_up_max_pain(), 0, 10);
  Range(check, r + ".step_up_max_anxiety", rule.step_up_max_anxiety(), 0, 10);
  Range(check, r + ".step_down_after_sessions", rule.step_down_after_sessions(), 1, 10);
  if (rule.step_down_min_pain() < 1 || rule.step_down_min_pain() > 10) {
    check.Fail(r + ".step_down_min_pain", "must be 1-10");
  } else if (rule.step_down_min_pain() <= rule.step_up_max_pain()) {
    check.Fail(r + ".step_down_min_pain", "must be above step_up_max_pain");
  }
}

void CheckItem(const v1::ProgrammeItem& item, const std::string& at, std::set<std::string>& ids,
               FieldChecker& check) {
  // An empty id is a new item: the server gives it one.
  if (!item.id().empty()) {
    if (!IsProgrammeItemId(item.id())) {
      check.Fail(at + ".id", "must be 1-64 of A-Z, a-z, 0-9, '_' and '-'");
    } else if (!ids.insert(item.id()).second) {
      check.Fail(at + ".id", "is used by another item of the programme");
    }
  }
  if (item.exercise_id().empty()) {
    check.Fail(at + ".exercise_id", "is required");
  } else if (!IsUuidText(item.exercise_id())) {
    check.Fail(at + ".exercise_id", "names no exercise of the library");
  }
  if (item.exercise_version() < 0) {
    check.Fail(at + ".exercise_version", "must be 0 (latest) or a version");
  }
  if (item.goal_ids_size() > kMaxItemGoals) {
    check.Fail(at + ".goal_ids", absl::StrCat("may name at most ", kMaxItemGoals, " goals"));
  } else {
    std::set<std::string> goals;
    for (int g = 0; g < item.goal_ids_size(); ++g) {
      if (!IsProgrammeItemId(item.goal_ids(g))) {
        check.Fail(Indexed(at + ".goal_ids", g), "names no goal of the programme's plan");
      } else if (!goals.insert(item.goal_ids(g)).second) {
        check.Fail(Indexed(at + ".goal_ids", g), "names a goal twice");
      }
    }
  }
  if (item.has_schedule()) {
    CheckSchedule(item.schedule(), at + ".schedule", check);
  }
  if (item.has_dose()) {
    CheckDose(item.dose(), at + ".dose", check);
  }
  absl::CivilDay start, end;
  bool start_ok = false;
  if (item.start_date().empty()) {
    check.Fail(at + ".start_date", "is required");
  } else if (!ParseLocalDate(item.start_date(), &start)) {
    check.Fail(at + ".start_date", "must be a calendar date YYYY-MM-DD");
  } else {
    start_ok = true;
  }
  if (!item.end_date().empty()) {
    if (!ParseLocalDate(item.end_date(), &end)) {
      check.Fail(at + ".end_date", "must be a calendar date YYYY-MM-DD");
    } else if (start_ok && end < start) {
      check.Fail(at + ".end_date", "must not be before start_date");
    }
  }
  Prose(check, at + ".instructions", item.instructions(), kMaxItemInstructions);
  if (item.has_dilator()) {
    CheckDilator(item.dilator(), at + ".dilator", check);
  }
}

absl::Status FieldOk(std::optional<FieldViolation> violation) {
  return violation.has_value() ? InvalidFields({*std::move(violation)}) : absl::OkStatus();
}

absl::Status CheckClientAndProgramme(const std::string& client_id,
                                     const std::string& programme_id) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", client_id));
  check.Add(CheckRecordId("programme_id", programme_id));
  return check.Result();
}

// Bounds on the repeated fields, checked before anything walks them.
void CheckCounts(const v1::Programme& programme, FieldChecker& check) {
  if (programme.items_size() > kMaxProgrammeItems) {
    check.Fail("items", absl::StrCat("may hold at most ", kMaxProgrammeItems, " items"));
  }
}

// What is wrong with an UpdateProgramme mask, or "" when nothing is. Paths are not echoed.
std::string UpdateMaskProblem(const google::protobuf::FieldMask& mask) {
  static constexpr std::string_view kContentPaths[] = {"title", "patient_message", "plan_id",
                                                       "time_zone", "items"};
  if (mask.paths_size() == 0) {
    return "names no field to change";
  }
  // Bounded before anything walks them (the mask is merged path by path).
  if (mask.paths_size() > static_cast<int>(std::size(kContentPaths))) {
    return absl::StrCat("names more than ", std::size(kContentPaths), " fields");
  }
  for (const std::string& path : mask.paths()) {
    if (std::find(std::begin(kContentPaths), std::end(kContentPaths), path) ==
        std::end(kContentPaths)) {
      return "names a field UpdateProgramme cannot change (title, patient_message, plan_id, "
             "time_zone, items)";
    }
  }
  return "";
}

}  // namespace

bool IsProgrammeItemId(std::string_view id) {
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

absl::Status ValidateProgrammeContent(const v1::Programme& programme, std::string_view prefix) {
  FieldChecker check(prefix);
  if (absl::StripAsciiWhitespace(programme.title()).empty()) {
    check.Fail("title", "is required");
  }
  Line(check, "title", programme.title(), kMaxProgrammeTitle);
  Prose(check, "patient_message", programme.patient_message(), kMaxPatientMessage);
  if (!programme.plan_id().empty() && !IsUuidText(programme.plan_id())) {
    check.Fail("plan_id", "names no plan of this client");
  }
  if (programme.time_zone().empty()) {
    check.Fail("time_zone", "is required (an IANA time zone such as Europe/London)");
  } else if (absl::StatusOr<absl::TimeZone> zone = LoadProgrammeZone(programme.time_zone());
             !zone.ok()) {
    check.Fail("time_zone", "must be an IANA time zone such as Europe/London");
  }
  if (programme.items_size() == 0) {
    check.Fail("items", "must hold at least one item");
  } else if (programme.items_size() > kMaxProgrammeItems) {
    check.Fail("items", absl::StrCat("may hold at most ", kMaxProgrammeItems, " items"));
  } else {
    std::set<std::string> ids;
    for (int i = 0; i < programme.items_size(); ++i) {
      CheckItem(programme.items(i), Indexed("items", i), ids, check);
    }
  }
  return check.Result();
}

absl::Status ValidateItemAgainstExercise(const v1::ProgrammeItem& item,
                                         const v1::Exercise& exercise, std::string_view prefix) {
  FieldChecker check(prefix);
  if (exercise.category() == v1::EXERCISE_CATEGORY_DILATOR) {
    if (!item.has_dilator()) {
      check.Fail("dilator", "is required for a dilator exercise");
    }
    if (item.has_schedule()) {
      check.Fail("schedule", "must be empty for a dilator item: use dilator.sessions_per_week");
    }
    if (item.has_dose()) {
      check.Fail("dose", "must be empty for a dilator item: use dilator.minutes_per_session");
    }
    return check.Result();
  }
  if (item.has_dilator()) {
    check.Fail("dilator", "is only for an exercise of category DILATOR");
  }
  if (!item.has_schedule()) {
    check.Fail("schedule", "is required");
  }
  const std::set<int> accepted(exercise.parameters().begin(), exercise.parameters().end());
  const v1::Dose& dose = item.dose();
  const struct {
    int value;
    v1::DoseParameter parameter;
    std::string_view field;
  } settings[] = {
      {dose.sets(), v1::DOSE_PARAMETER_SETS, "dose.sets"},
      {dose.reps(), v1::DOSE_PARAMETER_REPS, "dose.reps"},
      {dose.hold_seconds(), v1::DOSE_PARAMETER_HOLD_SECONDS, "dose.hold_seconds"},
      {dose.rest_seconds(), v1::DOSE_PARAMETER_REST_SECONDS, "dose.rest_seconds"},
      {dose.duration_minutes(), v1::DOSE_PARAMETER_DURATION_MINUTES, "dose.duration_minutes"}};
  for (const auto& setting : settings) {
    if (setting.value != 0 && accepted.count(setting.parameter) == 0) {
      check.Fail(setting.field, "is not a parameter this exercise accepts");
    }
  }
  return check.Result();
}

absl::Status ValidateProgrammeUpdateMask(const google::protobuf::FieldMask& mask) {
  const std::string problem = UpdateMaskProblem(mask);
  return problem.empty() ? absl::OkStatus() : InvalidField("update_mask", problem);
}

absl::Status ValidateCreateProgramme(const v1::CreateProgrammeRequest& request) {
  if (request.client_id() == kMe) {
    return InvalidField("client_id", "must name the client: programmes are written by clinicians");
  }
  FieldChecker fields;
  fields.Add(CheckClientId("client_id", request.client_id()));
  fields.Add(CheckRequestId("request_id", request.request_id()));
  if (!request.programme().client_id().empty() &&
      request.programme().client_id() != request.client_id()) {
    fields.Fail("programme.client_id", "must be empty or the client_id of the request");
  }
  if (!fields.ok()) {
    return fields.Result();
  }
  FieldChecker check("programme");
  CheckCounts(request.programme(), check);
  return check.Result();
}

absl::Status ValidateGetProgramme(const v1::GetProgrammeRequest& request) {
  if (absl::Status s = CheckClientAndProgramme(request.client_id(), request.programme_id());
      !s.ok()) {
    return s;
  }
  return request.version() < 0 ? InvalidField("version", "must be 0 (latest) or a version")
                               : absl::OkStatus();
}

absl::Status ValidateListProgrammes(const v1::ListProgrammesRequest& request) {
  if (absl::Status s = FieldOk(CheckClientId("client_id", request.client_id())); !s.ok()) {
    return s;
  }
  return EffectivePageSize(request.page_size()).status();
}

absl::Status ValidateListProgrammeVersions(const v1::ListProgrammeVersionsRequest& request) {
  if (absl::Status s = CheckClientAndProgramme(request.client_id(), request.programme_id());
      !s.ok()) {
    return s;
  }
  return EffectivePageSize(request.page_size()).status();
}

absl::Status ValidateUpdateProgramme(const v1::UpdateProgrammeRequest& request) {
  FieldChecker fields;
  if (request.programme().client_id() == kMe) {
    fields.Fail("programme.client_id",
                "must name the client: programmes are written by clinicians");
  } else {
    fields.Add(CheckClientId("programme.client_id", request.programme().client_id()));
  }
  fields.Add(CheckRecordId("programme.id", request.programme().id()));
  if (request.programme().etag().empty()) {
    fields.Fail("programme.etag", "is required: send the etag of the version you changed");
  }
  if (std::string problem = UpdateMaskProblem(request.update_mask()); !problem.empty()) {
    fields.Fail("update_mask", problem);
  }
  if (!fields.ok()) {
    return fields.Result();
  }
  FieldChecker check("programme");
  CheckCounts(request.programme(), check);
  return check.Result();
}

absl::Status ValidateChangeProgrammeStatus(const v1::ChangeProgrammeStatusRequest& request) {
  FieldChecker check;
  if (request.client_id() == kMe) {
    check.Fail("client_id", "must name the client: programmes are managed by clinicians");
  } else {
    check.Add(CheckClientId("client_id", request.client_id()));
  }
  check.Add(CheckRecordId("programme_id", request.programme_id()));
  if (request.etag().empty()) {
    check.Fail("etag", "is required: send the etag of the programme you read");
  }
  return check.Result();
}

}  // namespace confide
