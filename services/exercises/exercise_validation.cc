#include "services/exercises/exercise_validation.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/api/field_checker.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/api/request_fields.h"
#include "services/api/text_fields.h"
#include "services/common/text_checks.h"

namespace confide {
namespace {

// An UpdateExercise mask names at most the ten content fields; a few more leave room for a
// repeated name without walking an unbounded list.
constexpr int kMaxMaskPaths = 16;

std::string Indexed(const std::string& field, int i) { return absl::StrCat(field, "[", i, "]"); }

void Line(FieldChecker& check, const std::string& field, const std::string& value, size_t max) {
  CheckLine(check, field, value, max);
}

// A required line: present and not only spaces.
void RequiredLine(FieldChecker& check, const std::string& field, const std::string& value,
                  size_t max) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    check.Fail(field, "is required");
    return;
  }
  Line(check, field, value, max);
}

void Prose(FieldChecker& check, const std::string& field, const std::string& value, size_t max) {
  CheckProse(check, field, value, max);
}

// An https URL: the scheme, a host, and only printable ASCII without spaces (an IRI must be
// percent-encoded), so a link the portal renders cannot carry script or hide its target. No
// user info before the host either: "https://trusted.example@elsewhere.example/" opens
// elsewhere.example while reading as trusted.example.
bool IsHttpsUrl(const std::string& url) {
  constexpr absl::string_view kScheme = "https://";
  if (url.size() <= kScheme.size() || !absl::StartsWithIgnoreCase(url, kScheme)) {
    return false;
  }
  const char first_host_char = url[kScheme.size()];
  if (first_host_char == '/' || first_host_char == '?' || first_host_char == '#' ||
      first_host_char == ':') {
    return false;
  }
  const absl::string_view authority = absl::string_view(url).substr(
      kScheme.size(), url.find_first_of("/?#", kScheme.size()) - kScheme.size());
  if (absl::StrContains(authority, '@')) {
    return false;
  }
  for (char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\') {
      return false;
    }
  }
  return true;
}

// The repeated fields' bounds, checked before anything walks them.
void CheckCounts(const v1::Exercise& exercise, FieldChecker& check) {
  if (exercise.parameters_size() > kMaxParameters) {
    check.Fail("parameters", "may name each dose parameter at most once");
  }
  if (exercise.media_size() > kMaxMedia) {
    check.Fail("media", absl::StrCat("may hold at most ", kMaxMedia, " links"));
  }
  if (exercise.contraindications_size() > kMaxContraindications) {
    check.Fail("contraindications",
               absl::StrCat("may hold at most ", kMaxContraindications, " contraindications"));
  }
  if (exercise.disciplines_size() > kMaxExerciseDisciplines) {
    check.Fail("disciplines", "may name each discipline at most once");
  }
}

void CheckParameters(const v1::Exercise& exercise, FieldChecker& check) {
  std::set<int> seen;
  for (int i = 0; i < exercise.parameters_size(); ++i) {
    const int parameter = exercise.parameters(i);
    if (parameter == v1::DOSE_PARAMETER_UNSPECIFIED || !v1::DoseParameter_IsValid(parameter)) {
      check.Fail(Indexed("parameters", i), "must be a known dose parameter");
    } else if (!seen.insert(parameter).second) {
      check.Fail(Indexed("parameters", i), "is listed twice");
    }
  }
}

void CheckDisciplines(const v1::Exercise& exercise, FieldChecker& check) {
  std::set<int> seen;
  for (int i = 0; i < exercise.disciplines_size(); ++i) {
    const int discipline = exercise.disciplines(i);
    if (discipline == v1::PLAN_DISCIPLINE_UNSPECIFIED || !v1::PlanDiscipline_IsValid(discipline)) {
      check.Fail(Indexed("disciplines", i), "must be a known discipline");
    } else if (!seen.insert(discipline).second) {
      check.Fail(Indexed("disciplines", i), "is listed twice");
    }
  }
}

void CheckMedia(const v1::Exercise& exercise, FieldChecker& check) {
  for (int i = 0; i < exercise.media_size(); ++i) {
    const v1::MediaLink& link = exercise.media(i);
    const std::string at = Indexed("media", i);
    RequiredLine(check, at + ".title", link.title(), kMaxMediaTitle);
    if (link.url().empty()) {
      check.Fail(at + ".url", "is required");
    } else if (link.url().size() > kMaxMediaUrl) {
      check.Fail(at + ".url", absl::StrCat("must be at most ", kMaxMediaUrl, " characters"));
    } else if (!IsHttpsUrl(link.url())) {
      check.Fail(at + ".url", "must be an https URL without spaces");
    }
  }
}

void CheckContraindications(const v1::Exercise& exercise, FieldChecker& check) {
  for (int i = 0; i < exercise.contraindications_size(); ++i) {
    const std::string at = Indexed("contraindications", i);
    if (absl::StripAsciiWhitespace(exercise.contraindications(i)).empty()) {
      check.Fail(at, "must not be empty");
    } else {
      Prose(check, at, exercise.contraindications(i), kMaxContraindication);
    }
  }
}

// What is wrong with an UpdateExercise mask, or "" when nothing is. Paths are not echoed.
std::string UpdateMaskProblem(const google::protobuf::FieldMask& mask) {
  static constexpr std::string_view kContentPaths[] = {
      "title", "patient_instructions", "clinician_notes", "category",       "parameters",
      "media", "contraindications",    "disciplines",     "discreet_title", "archived"};
  static constexpr std::string_view kOutputOnlyPaths[] = {
      "id", "version", "starter", "author_user_id", "version_create_time", "create_time", "etag"};
  if (mask.paths_size() == 0) {
    return "names no field to change";
  }
  if (mask.paths_size() > kMaxMaskPaths) {
    return absl::StrCat("names more than ", kMaxMaskPaths, " fields");
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
      // Repeated fields are replaced whole: "media.url" names no single field.
      return "names a field UpdateExercise cannot change (title, patient_instructions, "
             "clinician_notes, category, parameters, media, contraindications, disciplines, "
             "discreet_title, archived)";
    }
  }
  return "";
}

}  // namespace

absl::Status ValidateExerciseContent(const v1::Exercise& exercise, std::string_view prefix) {
  FieldChecker check(prefix);
  CheckCounts(exercise, check);
  if (!check.ok()) {
    return check.Result();
  }
  RequiredLine(check, "title", exercise.title(), kMaxExerciseTitle);
  if (absl::StripAsciiWhitespace(exercise.patient_instructions()).empty()) {
    check.Fail("patient_instructions", "is required");
  } else {
    Prose(check, "patient_instructions", exercise.patient_instructions(), kMaxPatientInstructions);
  }
  Prose(check, "clinician_notes", exercise.clinician_notes(), kMaxClinicianNotes);
  if (exercise.category() == v1::EXERCISE_CATEGORY_UNSPECIFIED ||
      !v1::ExerciseCategory_IsValid(exercise.category())) {
    check.Fail("category", "must be a known exercise category");
  }
  CheckParameters(exercise, check);
  CheckMedia(exercise, check);
  CheckContraindications(exercise, check);
  CheckDisciplines(exercise, check);
  Line(check, "discreet_title", exercise.discreet_title(), kMaxDiscreetTitle);
  return check.Result();
}

absl::Status ValidateExerciseUpdateMask(const google::protobuf::FieldMask& mask) {
  const std::string problem = UpdateMaskProblem(mask);
  return problem.empty() ? absl::OkStatus() : InvalidField("update_mask", problem);
}

absl::Status ValidateCreateExercise(const v1::CreateExerciseRequest& request) {
  FieldChecker fields;
  fields.Add(CheckRequestId("request_id", request.request_id()));
  if (!fields.ok()) {
    return fields.Result();
  }
  FieldChecker check("exercise");
  CheckCounts(request.exercise(), check);
  return check.Result();
}

absl::Status ValidateGetExercise(const v1::GetExerciseRequest& request) {
  FieldChecker fields;
  fields.Add(CheckRecordId("exercise_id", request.exercise_id()));
  if (request.version() < 0) {
    fields.Fail("version", "must be 0 (latest) or a version");
  }
  return fields.Result();
}

absl::Status ValidateListExercises(const v1::ListExercisesRequest& request) {
  if (absl::Status size = EffectivePageSize(request.page_size()).status(); !size.ok()) {
    return size;
  }
  if (!v1::ExerciseCategory_IsValid(request.category())) {
    return InvalidField("category", "is not a known exercise category");
  }
  return absl::OkStatus();
}

absl::Status ValidateUpdateExercise(const v1::UpdateExerciseRequest& request) {
  FieldChecker fields;
  fields.Add(CheckRecordId("exercise.id", request.exercise().id()));
  if (request.exercise().etag().empty()) {
    fields.Fail("exercise.etag", "is required: send the etag of the version you changed");
  }
  if (std::string problem = UpdateMaskProblem(request.update_mask()); !problem.empty()) {
    fields.Fail("update_mask", problem);
  }
  if (!fields.ok()) {
    return fields.Result();
  }
  FieldChecker check("exercise");
  CheckCounts(request.exercise(), check);
  return check.Result();
}

}  // namespace confide
