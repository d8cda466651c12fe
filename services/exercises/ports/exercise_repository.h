#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// A library exercise's row: what changes as it is edited. Its content lives in its versions.
struct ExerciseRecord {
  std::string id;
  std::string clinic_id;
  int latest_version = 0;
  // The latest version's title, category (v1::ExerciseCategory) and archived flag.
  std::string title;
  int category = 0;
  bool archived = false;
  // The starter set's key (e.g. "kegels-gentle"); empty for the clinic's own exercises.
  std::string starter_key;
  absl::Time create_time;
  // Empty for the starter set.
  std::string created_by;
};

// One version of an exercise, written once and never changed.
struct ExerciseVersionRecord {
  std::string exercise_id;
  int version = 0;
  std::string clinic_id;
  // Empty for the starter set.
  std::string author_user_id;
  absl::Time create_time;
  // Protobuf JSON of the v1::Exercise content (no client data, so not sealed); the output-only
  // fields come from the columns.
  std::string content_json;
};

struct ExerciseListQuery {
  std::string clinic_id;
  // 0: every category.
  int category = 0;
  bool include_archived = false;
  // Keyset: those after (title, id) when after_id is not empty; ordered by title, then id.
  std::string after_title;
  std::string after_id;
  int limit = 50;
};

class ExerciseRepository {
 public:
  virtual ~ExerciseRepository() = default;
  // Inserts an exercise. ALREADY_EXISTS when the id, a non-empty starter key in the clinic, or a
  // non-empty `create_request_id` in the clinic was used before.
  virtual absl::Status Insert(const ExerciseRecord& record, std::string_view create_request_id) = 0;
  // ALREADY_EXISTS when the exercise already has that version.
  virtual absl::Status InsertVersion(const ExerciseVersionRecord& record) = 0;
  virtual absl::StatusOr<std::optional<ExerciseRecord>> Find(std::string_view clinic_id,
                                                             std::string_view exercise_id) = 0;
  virtual absl::StatusOr<std::optional<ExerciseRecord>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) = 0;
  virtual absl::StatusOr<std::optional<ExerciseRecord>> FindByStarterKey(
      std::string_view clinic_id, std::string_view starter_key) = 0;
  virtual absl::StatusOr<std::vector<ExerciseRecord>> List(const ExerciseListQuery& query) = 0;
  virtual absl::StatusOr<std::optional<ExerciseVersionRecord>> FindVersion(
      std::string_view clinic_id, std::string_view exercise_id, int version) = 0;
  // Moves latest_version from `expected` to `next` and sets the listing columns from the new
  // version. ABORTED when it is no longer `expected`; NOT_FOUND when there is no such exercise.
  virtual absl::Status AdvanceLatest(std::string_view clinic_id, std::string_view exercise_id,
                                     int expected, int next, std::string_view title, int category,
                                     bool archived) = 0;
};

}  // namespace confide
