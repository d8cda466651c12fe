#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "confide/v1/exercises.pb.h"
#include "services/exercises/ports/exercise_repository.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// Library exercises as stored: a row with the latest version's listing columns, and each
// version's content as plain protobuf JSON (the library holds no client data). Everything that
// reads or writes a version goes through here.

// The audit resource of an exercise: its id only, never its text.
std::string ExerciseResource(std::string_view exercise_id);

// Version `version` (0: the latest) of exercise `exercise_id` of clinic `clinic_id`, with its
// output-only fields filled (id, version, archived, starter, author, times, etag). NOT_FOUND when
// the clinic has no such exercise or version, including an id that is not an id at all.
absl::StatusOr<v1::Exercise> LoadExerciseVersion(UnitOfWork& uow, std::string_view clinic_id,
                                                 std::string_view exercise_id, int version);

// `record`'s version `version` (which must exist); NOT_FOUND when it does not.
absl::StatusOr<v1::Exercise> LoadExerciseVersion(UnitOfWork& uow, const ExerciseRecord& record,
                                                 int version);

// What a patient (or partner) may read of an exercise: without the clinician notes and the
// contraindications.
v1::Exercise PatientView(v1::Exercise exercise);

// The stored content of `exercise`: the fields a version writes, without the output-only ones
// that come from the columns.
std::string ExerciseContentJson(const v1::Exercise& exercise);

// Stores `exercise` (a full version with its output-only fields) as a version row.
// ALREADY_EXISTS when the exercise already has a version of that number.
absl::Status StoreExerciseVersion(UnitOfWork& uow, std::string_view clinic_id,
                                  const v1::Exercise& exercise);

// ListExercises' cursor: the last exercise shown (title and id, the list's order), bound to
// the request's filters (category, include_archived) so it is refused by a list filtered
// otherwise. Holds library titles only, never client data.
struct ExerciseCursor {
  std::string title;
  std::string id;
};
std::string EncodeExercisePageToken(const v1::ListExercisesRequest& request,
                                    const ExerciseRecord& last);
// INVALID_ARGUMENT naming page_token for a token that is not from EncodeExercisePageToken for a
// request with the same filters.
absl::StatusOr<ExerciseCursor> DecodeExercisePageToken(const v1::ListExercisesRequest& request);

// The etag of a version: UpdateExercise goes ahead only with the latest version's.
std::string ExerciseEtag(int version);

}  // namespace confide
