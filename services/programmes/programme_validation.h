#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "confide/v1/exercises.pb.h"
#include "confide/v1/programmes.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace confide {

// Home programme limits (programmes.proto is the contract).
inline constexpr int kMaxProgrammeTitle = 200;
inline constexpr int kMaxPatientMessage = 5000;
inline constexpr int kMaxProgrammeItems = 50;
inline constexpr int kMaxItemInstructions = 2000;
inline constexpr int kMaxItemGoals = 20;
inline constexpr int kMaxDilatorBrand = 100;
inline constexpr int kMinDilatorSizes = 2;
inline constexpr int kMaxDilatorSizes = 12;

// True for a programme item id: 1-64 of [A-Za-z0-9_-].
bool IsProgrammeItemId(std::string_view id);

// The checks a programme's content passes on its own, before the library and the plan are
// looked at: title, message, time zone (IANA), item count and ids (unique), each item's dates,
// schedule, dose ranges, goal id shapes, instructions and dilator prescription ranges.
// INVALID_ARGUMENT naming every wrong field below `prefix` (e.g. "programme.items[2].dose.sets").
absl::Status ValidateProgrammeContent(const v1::Programme& programme, std::string_view prefix);

// The checks of one item against the exercise version it prescribes: a dilator prescription
// for, and only for, a DILATOR exercise (whose schedule and dose stay empty); a schedule for
// every other item; a dose setting only the parameters the exercise accepts. `prefix` names the
// item ("programme.items[0]").
absl::Status ValidateItemAgainstExercise(const v1::ProgrammeItem& item,
                                         const v1::Exercise& exercise, std::string_view prefix);

// The fields UpdateProgramme may change: title, patient_message, plan_id, time_zone, items.
absl::Status ValidateProgrammeUpdateMask(const google::protobuf::FieldMask& mask);

absl::Status ValidateCreateProgramme(const v1::CreateProgrammeRequest& request);
absl::Status ValidateGetProgramme(const v1::GetProgrammeRequest& request);
absl::Status ValidateListProgrammes(const v1::ListProgrammesRequest& request);
absl::Status ValidateListProgrammeVersions(const v1::ListProgrammeVersionsRequest& request);
absl::Status ValidateUpdateProgramme(const v1::UpdateProgrammeRequest& request);
absl::Status ValidateChangeProgrammeStatus(const v1::ChangeProgrammeStatusRequest& request);

}  // namespace confide
