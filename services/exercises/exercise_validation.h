#pragma once

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"
#include "confide/v1/exercises.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace confide {

// Limits of an exercise (proto/confide/v1/exercises.proto comments), in characters.
inline constexpr size_t kMaxExerciseTitle = 200;
inline constexpr size_t kMaxPatientInstructions = 10000;
inline constexpr size_t kMaxClinicianNotes = 10000;
inline constexpr size_t kMaxMediaTitle = 200;
inline constexpr size_t kMaxMediaUrl = 2000;
inline constexpr size_t kMaxContraindication = 500;
inline constexpr size_t kMaxDiscreetTitle = 100;
inline constexpr int kMaxMedia = 10;
inline constexpr int kMaxContraindications = 20;
// At most one of each (there are five dose parameters and five disciplines), with room to name
// a duplicate precisely rather than refuse the list as too long.
inline constexpr int kMaxParameters = 10;
inline constexpr int kMaxExerciseDisciplines = 10;

// Checks an exercise's content as it would be stored: required title, instructions and
// category; lengths; known enums, each at most once; https media links; contraindication
// counts. Output-only fields are ignored. `prefix` is its path in the request ("exercise").
absl::Status ValidateExerciseContent(const v1::Exercise& exercise, std::string_view prefix);

// Paths UpdateExercise may change: the content fields (and `archived`), each replaced as a
// whole. INVALID_ARGUMENT naming update_mask for an empty mask, an output-only field or a name
// that is not a content field.
absl::Status ValidateExerciseUpdateMask(const google::protobuf::FieldMask& mask);

// Request checks that need no storage, run by the pipeline after authorization.
absl::Status ValidateCreateExercise(const v1::CreateExerciseRequest& request);
absl::Status ValidateGetExercise(const v1::GetExerciseRequest& request);
absl::Status ValidateListExercises(const v1::ListExercisesRequest& request);
absl::Status ValidateUpdateExercise(const v1::UpdateExerciseRequest& request);

}  // namespace confide
