#include "services/exercises/exercise_versioning.h"

#include <string>

#include "google/protobuf/util/field_mask_util.h"
#include "services/common/timestamps.h"
#include "services/exercises/exercise_validation.h"

namespace confide {

using google::protobuf::util::FieldMaskUtil;

v1::Exercise ExerciseContent(const v1::Exercise& exercise) {
  v1::Exercise content = exercise;
  content.clear_id();
  content.clear_version();
  content.clear_starter();
  content.clear_author_user_id();
  content.clear_version_create_time();
  content.clear_create_time();
  content.clear_etag();
  return content;
}

absl::StatusOr<v1::Exercise> FirstExerciseVersion(const v1::Exercise& requested,
                                                  std::string_view exercise_id,
                                                  std::string_view author_user_id, absl::Time now) {
  v1::Exercise exercise = ExerciseContent(requested);
  // Fields this server does not know (a newer client's, or smuggled) are never stored.
  exercise.DiscardUnknownFields();
  if (absl::Status valid = ValidateExerciseContent(exercise, "exercise"); !valid.ok()) {
    return valid;
  }
  exercise.set_id(std::string(exercise_id));
  exercise.set_version(1);
  exercise.set_author_user_id(std::string(author_user_id));
  *exercise.mutable_version_create_time() = ToTimestamp(now);
  *exercise.mutable_create_time() = ToTimestamp(now);
  return exercise;
}

absl::StatusOr<v1::Exercise> NextExerciseVersion(const v1::Exercise& latest,
                                                 const v1::Exercise& changes,
                                                 const google::protobuf::FieldMask& mask,
                                                 std::string_view author_user_id, absl::Time now) {
  if (absl::Status valid = ValidateExerciseUpdateMask(mask); !valid.ok()) {
    return valid;
  }
  v1::Exercise next = ExerciseContent(latest);
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(ExerciseContent(changes), mask, options, &next);
  // Unknown fields inside replaced messages (media) survive the merge: drop them.
  next.DiscardUnknownFields();
  if (absl::Status valid = ValidateExerciseContent(next, "exercise"); !valid.ok()) {
    return valid;
  }
  next.set_id(latest.id());
  next.set_version(latest.version() + 1);
  next.set_starter(latest.starter());
  next.set_author_user_id(std::string(author_user_id));
  *next.mutable_version_create_time() = ToTimestamp(now);
  *next.mutable_create_time() = latest.create_time();
  return next;
}

}  // namespace confide
