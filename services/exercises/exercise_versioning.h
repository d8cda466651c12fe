#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/exercises.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace confide {

// What a version stores: the exercise without its output-only fields (id, version, starter,
// author, times, etag), which the rows hold.
v1::Exercise ExerciseContent(const v1::Exercise& exercise);

// Version 1 of a new exercise from what the caller sent: output-only fields replaced, then
// validated (INVALID_ARGUMENT naming the field under "exercise").
absl::StatusOr<v1::Exercise> FirstExerciseVersion(const v1::Exercise& requested,
                                                  std::string_view exercise_id,
                                                  std::string_view author_user_id, absl::Time now);

// The version after `latest`: `latest` with the fields named in `mask` replaced by those of
// `changes` (repeated fields as a whole), version + 1, authored by `author_user_id` at `now`.
// Id, starter flag and create time stay those of `latest`. INVALID_ARGUMENT naming update_mask
// for a bad mask, or naming the field when the result is not a valid exercise.
absl::StatusOr<v1::Exercise> NextExerciseVersion(const v1::Exercise& latest,
                                                 const v1::Exercise& changes,
                                                 const google::protobuf::FieldMask& mask,
                                                 std::string_view author_user_id, absl::Time now);

}  // namespace confide
