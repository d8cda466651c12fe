#include "services/intake/intake_validation.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/api/field_checker.h"
#include "services/api/field_errors.h"
#include "services/api/request_fields.h"
#include "services/common/text_checks.h"

namespace confide {
namespace {

// Every known value other than UNSPECIFIED, each at most once: a longer list cannot be valid.
int KnownValueCount(const google::protobuf::EnumDescriptor* values) {
  return values->value_count() - 1;
}

// Answers written in the client's words may have line breaks and tabs; nothing else below
// U+0020 (PostgreSQL cannot even store NUL).
bool IsMultiLineText(std::string_view text) {
  std::string without_breaks(text);
  std::erase_if(without_breaks, [](char c) { return c == '\n' || c == '\r' || c == '\t'; });
  return HasNoControlCharacters(without_breaks);
}

// The intake's free-text answers, bounded in characters (code points) as the proto documents.
void Text(FieldChecker& check, std::string_view field, const std::string& value, size_t max,
          bool multi_line) {
  if (!IsValidUtf8(value)) {
    check.Fail(field, "must be UTF-8 text");
  } else if (CharacterCount(value) > max) {
    check.Fail(field, absl::StrCat("must be at most ", max, " characters"));
  } else if (multi_line ? !IsMultiLineText(value) : !HasNoControlCharacters(value)) {
    check.Fail(field, multi_line ? "must not contain control characters other than line breaks"
                                 : "must not contain control characters");
  }
}

// A short single-line answer (names, pronouns).
void Line(FieldChecker& check, std::string_view field, const std::string& value, size_t max) {
  Text(check, field, value, max, /*multi_line=*/false);
}

// A free-text answer in the client's or clinician's words.
void Prose(FieldChecker& check, std::string_view field, const std::string& value, size_t max) {
  Text(check, field, value, max, /*multi_line=*/true);
}

std::string Indexed(std::string_view field, int index) {
  return absl::StrCat(std::string(field), "[", index, "]");
}

void CheckRating(FieldChecker& check, const std::string& field, bool has, int32_t value) {
  if (has && (value < 0 || value > 10)) {
    check.Fail(field, "must be between 0 and 10");
  }
}

// A repeated enum: every entry a known value other than UNSPECIFIED, none twice.
// Refuses a list longer than `max` once, without looking at its entries.
void CheckEnumList(FieldChecker& check, std::string_view field,
                   const google::protobuf::RepeatedField<int>& values, bool (*is_valid)(int),
                   int max, std::string_view what) {
  if (values.size() > max) {
    check.Fail(field, absl::StrCat("must have at most ", max, " entries"));
    return;
  }
  std::set<int> seen;
  for (int i = 0; i < values.size(); ++i) {
    const int value = values.Get(i);
    if (value == 0 || !is_valid(value)) {
      check.Fail(Indexed(field, i), absl::StrCat("must be a known ", std::string(what)));
    } else if (!seen.insert(value).second) {
      check.Fail(Indexed(field, i), "is listed twice");
    }
  }
}

void CheckPresentingProblem(const v1::PresentingProblem& problem, FieldChecker& check) {
  CheckEnumList(check, "presenting_problem.conditions", problem.conditions(),
                v1::PainCondition_IsValid, MaxIntakeConditions(), "pain condition");
  const bool has_other = std::find(problem.conditions().begin(), problem.conditions().end(),
                                   v1::PAIN_CONDITION_OTHER) != problem.conditions().end();
  if (!has_other && !problem.condition_other().empty()) {
    check.Fail("presenting_problem.condition_other", "is only for conditions including OTHER");
  }
  Line(check, "presenting_problem.condition_other", problem.condition_other(),
       kMaxIntakeConditionOther);
  Prose(check, "presenting_problem.onset", problem.onset(), kMaxIntakeOnset);
  Prose(check, "presenting_problem.description", problem.description(), kMaxIntakeLongText);
  if (problem.situations_size() > MaxIntakeSituations()) {
    check.Fail("presenting_problem.situations",
               absl::StrCat("must have at most ", MaxIntakeSituations(), " entries"));
    return;
  }
  std::set<int> seen;
  for (int i = 0; i < problem.situations_size(); ++i) {
    const v1::SituationExperience& item = problem.situations(i);
    const std::string at = Indexed("presenting_problem.situations", i);
    if (item.situation() == v1::PENETRATION_SITUATION_UNSPECIFIED ||
        !v1::PenetrationSituation_IsValid(item.situation())) {
      check.Fail(at + ".situation", "must be a known penetration situation");
    } else if (!seen.insert(item.situation()).second) {
      check.Fail(at + ".situation", "is listed twice");
    }
    if (item.outcome() == v1::SITUATION_OUTCOME_UNSPECIFIED ||
        !v1::SituationOutcome_IsValid(item.outcome())) {
      check.Fail(at + ".outcome", "must be a known outcome");
    }
    CheckRating(check, at + ".pain_rating", item.has_pain_rating(), item.pain_rating());
    if (item.has_pain_rating() && item.outcome() == v1::SITUATION_OUTCOME_NOT_TRIED) {
      check.Fail(at + ".pain_rating", "must be unset when the situation was not tried");
    }
  }
}

void CheckTrauma(const v1::TraumaHistory& trauma, FieldChecker& check) {
  if (!v1::TraumaDisclosure_IsValid(trauma.disclosure())) {
    check.Fail("trauma_history.disclosure", "must be a known answer");
  }
  if (!trauma.details().empty() && trauma.disclosure() != v1::TRAUMA_DISCLOSURE_YES) {
    // Details are written only when the client chose to write them (disclosure YES).
    check.Fail("trauma_history.details", "is only for disclosure YES");
  }
  Prose(check, "trauma_history.details", trauma.details(), kMaxIntakeLongText);
}

void CheckAnxiety(const v1::AnxietyAndFear& anxiety, FieldChecker& check) {
  CheckRating(check, "anxiety.fear_of_pain", anxiety.has_fear_of_pain(), anxiety.fear_of_pain());
  CheckRating(check, "anxiety.anxiety_about_penetration", anxiety.has_anxiety_about_penetration(),
              anxiety.anxiety_about_penetration());
  Prose(check, "anxiety.notes", anxiety.notes(), kMaxIntakeText);
}

void CheckMedical(const v1::MedicalHistory& medical, FieldChecker& check) {
  CheckEnumList(check, "medical_history.factors", medical.factors(), v1::MedicalFactor_IsValid,
                MaxIntakeMedicalFactors(), "medical factor");
  Prose(check, "medical_history.medications", medical.medications(), kMaxIntakeText);
  Prose(check, "medical_history.details", medical.details(), kMaxIntakeText);
}

void CheckTreatments(const v1::Intake& intake, FieldChecker& check) {
  if (intake.prior_treatments_size() > kMaxPriorTreatments) {
    check.Fail("prior_treatments",
               absl::StrCat("must have at most ", kMaxPriorTreatments, " entries"));
    return;
  }
  for (int i = 0; i < intake.prior_treatments_size(); ++i) {
    const v1::PriorTreatment& item = intake.prior_treatments(i);
    const std::string at = Indexed("prior_treatments", i);
    if (item.kind() == v1::PRIOR_TREATMENT_KIND_UNSPECIFIED ||
        !v1::PriorTreatmentKind_IsValid(item.kind())) {
      check.Fail(at + ".kind", "must be a known treatment");
    }
    // UNSPECIFIED: the client did not say.
    if (!v1::TreatmentHelpfulness_IsValid(item.helpfulness())) {
      check.Fail(at + ".helpfulness", "must be a known answer");
    }
    Prose(check, at + ".notes", item.notes(), kMaxIntakeTreatmentNotes);
  }
}

void CheckRelationship(const v1::RelationshipContext& relationship, FieldChecker& check) {
  if (!v1::RelationshipStatus_IsValid(relationship.status())) {
    check.Fail("relationship.status", "must be a known relationship status");
  }
  Prose(check, "relationship.notes", relationship.notes(), kMaxIntakeText);
}

// The list caps of the answers, checked on the request before anything else looks at its
// entries: every later check is linear in the (now small) lists.
void CheckListSizes(FieldChecker& check, std::string_view prefix, const v1::Intake& intake) {
  const auto cap = [&](std::string_view field, int size, int max) {
    if (size > max) {
      check.Fail(absl::StrCat(std::string(prefix), ".", std::string(field)),
                 absl::StrCat("must have at most ", max, " entries"));
    }
  };
  cap("presenting_problem.conditions", intake.presenting_problem().conditions_size(),
      MaxIntakeConditions());
  cap("presenting_problem.situations", intake.presenting_problem().situations_size(),
      MaxIntakeSituations());
  cap("medical_history.factors", intake.medical_history().factors_size(),
      MaxIntakeMedicalFactors());
  cap("prior_treatments", intake.prior_treatments_size(), kMaxPriorTreatments);
}

void CheckEtag(FieldChecker& check, const std::string& field, const std::string& etag) {
  if (etag.empty()) {
    check.Fail(field, "is required: send the etag of the intake you read (\"v0\" for a new one)");
  } else if (etag.size() > kMaxRecordIdLength) {
    check.Fail(field, "is not an etag this server gave");
  }
}

}  // namespace

int MaxIntakeConditions() { return KnownValueCount(v1::PainCondition_descriptor()); }
int MaxIntakeSituations() { return KnownValueCount(v1::PenetrationSituation_descriptor()); }
int MaxIntakeMedicalFactors() { return KnownValueCount(v1::MedicalFactor_descriptor()); }

absl::Status ValidateIntakeAnswers(const v1::Intake& intake, std::string_view prefix) {
  FieldChecker check(prefix);
  CheckPresentingProblem(intake.presenting_problem(), check);
  CheckTrauma(intake.trauma_history(), check);
  CheckAnxiety(intake.anxiety(), check);
  CheckMedical(intake.medical_history(), check);
  CheckTreatments(intake, check);
  CheckRelationship(intake.relationship(), check);
  Prose(check, "hopes", intake.hopes(), kMaxIntakeText);
  Line(check, "preferred_name", intake.preferred_name(), kMaxIntakeNameText);
  Line(check, "pronouns", intake.pronouns(), kMaxIntakeNameText);
  return check.Result();
}

bool IsUpdatableIntakePath(const std::string& path) {
  static constexpr const char* kPaths[] = {"presenting_problem",
                                           "trauma_history",
                                           "anxiety",
                                           "medical_history",
                                           "prior_treatments",
                                           "relationship",
                                           "hopes",
                                           "preferred_name",
                                           "pronouns"};
  for (const char* allowed : kPaths) {
    if (path == allowed || absl::StartsWith(path, absl::StrCat(allowed, "."))) {
      return true;
    }
  }
  return false;
}

absl::Status ValidateGetIntake(const v1::GetIntakeRequest& request) {
  FieldChecker check("");
  check.Add(CheckClientId("client_id", request.client_id()));
  return check.Result();
}

absl::Status ValidateUpdateIntake(const v1::UpdateIntakeRequest& request) {
  FieldChecker check("");
  check.Add(CheckClientId("intake.client_id", request.intake().client_id()));
  CheckEtag(check, "intake.etag", request.intake().etag());
  CheckListSizes(check, "intake", request.intake());
  if (request.update_mask().paths_size() == 0) {
    check.Fail("update_mask", "must name at least one field");
  }
  for (int i = 0; i < request.update_mask().paths_size(); ++i) {
    if (!IsUpdatableIntakePath(request.update_mask().paths(i))) {
      // Named by index: the path is the caller's own text and is never quoted back.
      check.Fail(Indexed("update_mask.paths", i),
                 "cannot update this path: only the intake's answers can be changed");
    }
  }
  if (absl::Status shape = check.Result(); !shape.ok()) {
    return shape;
  }
  if (!google::protobuf::util::FieldMaskUtil::IsValidFieldMask<v1::Intake>(request.update_mask())) {
    return InvalidField("update_mask", "names a field that does not exist");
  }
  return absl::OkStatus();
}

absl::Status ValidateSubmitIntake(const v1::SubmitIntakeRequest& request) {
  FieldChecker check("");
  check.Add(CheckClientId("client_id", request.client_id()));
  CheckEtag(check, "etag", request.etag());
  return check.Result();
}

absl::Status ValidateReviewIntake(const v1::ReviewIntakeRequest& request) {
  FieldChecker check("");
  check.Add(CheckClientId("client_id", request.client_id()));
  CheckEtag(check, "etag", request.etag());
  if (absl::StripAsciiWhitespace(request.clinician_summary()).empty()) {
    check.Fail("clinician_summary", "is required");
  }
  Prose(check, "clinician_summary", request.clinician_summary(), kMaxClinicianSummary);
  return check.Result();
}

absl::Status CheckIntakeEditable(bool caller_is_patient, v1::IntakeStatus status) {
  if (status == v1::INTAKE_STATUS_REVIEWED) {
    return absl::FailedPreconditionError(
        "the intake has been reviewed and is locked; later changes belong in the care record");
  }
  if (caller_is_patient && status != v1::INTAKE_STATUS_DRAFT) {
    return absl::FailedPreconditionError(
        "the intake was submitted; ask your care team to change it");
  }
  return absl::OkStatus();
}

absl::Status CheckIntakeSubmittable(const v1::Intake& answers, v1::IntakeStatus status) {
  if (status != v1::INTAKE_STATUS_DRAFT) {
    return absl::FailedPreconditionError("only a draft intake can be submitted");
  }
  if (answers.presenting_problem().conditions_size() == 0) {
    // The stored intake is not ready, not the request wrong: a precondition.
    return absl::FailedPreconditionError(
        "intake.presenting_problem.conditions is empty: name at least one pain condition "
        "(UpdateIntake) before submitting");
  }
  return absl::OkStatus();
}

absl::Status CheckIntakeReviewable(v1::IntakeStatus status) {
  if (status != v1::INTAKE_STATUS_SUBMITTED) {
    return absl::FailedPreconditionError("only a submitted intake can be reviewed");
  }
  return absl::OkStatus();
}

}  // namespace confide
