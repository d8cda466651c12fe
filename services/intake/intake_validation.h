#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "confide/v1/intake.pb.h"

namespace confide {

// Length caps of the intake's free text, in characters (Unicode code points), as
// proto/confide/v1/intake.proto documents them.
inline constexpr size_t kMaxIntakeConditionOther = 500;
inline constexpr size_t kMaxIntakeOnset = 2000;
inline constexpr size_t kMaxIntakeLongText = 10000;
inline constexpr size_t kMaxIntakeText = 5000;
inline constexpr size_t kMaxIntakeTreatmentNotes = 2000;
inline constexpr size_t kMaxIntakeNameText = 100;
inline constexpr size_t kMaxClinicianSummary = 20000;
// More prior treatments than this is not an intake any more.
inline constexpr int kMaxPriorTreatments = 50;
// The enum lists hold each known value at most once, so no more entries than known values
// (UNSPECIFIED excluded). Longer lists are refused before their entries are looked at.
int MaxIntakeConditions();
int MaxIntakeSituations();
int MaxIntakeMedicalFactors();

// Checks the answers a caller may set on an intake (every input field). `prefix` is the path of
// the intake in the request ("intake"), so errors name fields as the caller sent them, e.g.
// "intake.presenting_problem.situations[1].pain_rating". Descriptions never quote a value.
absl::Status ValidateIntakeAnswers(const v1::Intake& intake, std::string_view prefix);

// True for an update_mask path naming an input field (or a field inside one).
bool IsUpdatableIntakePath(const std::string& path);

absl::Status ValidateGetIntake(const v1::GetIntakeRequest& request);
// Shape only: client id, etag, list caps and a mask of input fields (a bad path is named by its
// index, "update_mask.paths[2]", never quoted). The answers are checked after the
// mask is applied to the stored intake (ValidateIntakeAnswers).
absl::Status ValidateUpdateIntake(const v1::UpdateIntakeRequest& request);
absl::Status ValidateSubmitIntake(const v1::SubmitIntakeRequest& request);
absl::Status ValidateReviewIntake(const v1::ReviewIntakeRequest& request);

// Whether a caller may change an intake in `status`: a patient only her draft (after that she
// asks her care team), the care team until it is reviewed, nobody once reviewed. OK or
// FAILED_PRECONDITION saying what to do instead.
absl::Status CheckIntakeEditable(bool caller_is_patient, v1::IntakeStatus status);
// DRAFT → SUBMITTED needs a draft naming at least one pain condition (FAILED_PRECONDITION
// naming intake.presenting_problem.conditions otherwise).
absl::Status CheckIntakeSubmittable(const v1::Intake& answers, v1::IntakeStatus status);
// SUBMITTED → REVIEWED.
absl::Status CheckIntakeReviewable(v1::IntakeStatus status);

}  // namespace confide
