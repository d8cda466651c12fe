#include "services/exercises/exercise_store.h"

#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/api/etag.h"
#include "services/api/field_errors.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"
#include "services/exercises/exercise_versioning.h"

namespace confide {
namespace {

absl::Status ExerciseNotFound() { return absl::NotFoundError("exercise not found"); }

// A title of up to 200 characters is up to 800 bytes, its token about 1,100 characters.
constexpr size_t kMaxExercisePageToken = 2048;

std::string CursorPrefix(const v1::ListExercisesRequest& request) {
  return absl::StrCat("exercises:v1:", static_cast<int>(request.category()), ":",
                      request.include_archived() ? 1 : 0, ":");
}

}  // namespace

std::string ExerciseResource(std::string_view exercise_id) {
  return absl::StrCat("exercises/", std::string(exercise_id));
}

std::string EncodeExercisePageToken(const v1::ListExercisesRequest& request,
                                    const ExerciseRecord& last) {
  return absl::WebSafeBase64Escape(absl::StrCat(CursorPrefix(request), last.id, ":", last.title));
}

absl::StatusOr<ExerciseCursor> DecodeExercisePageToken(const v1::ListExercisesRequest& request) {
  const std::string& token = request.page_token();
  const std::string prefix = CursorPrefix(request);
  std::string decoded;
  if (token.size() > kMaxExercisePageToken || !absl::WebSafeBase64Unescape(token, &decoded) ||
      !absl::StartsWith(decoded, prefix) || decoded.size() < prefix.size() + 37 ||
      decoded[prefix.size() + 36] != ':') {
    return InvalidField("page_token",
                        "is not a token from a previous ListExercises response with these filters");
  }
  ExerciseCursor cursor{.title = decoded.substr(prefix.size() + 37),
                        .id = decoded.substr(prefix.size(), 36)};
  if (!IsUuidText(cursor.id) || !IsValidUtf8(cursor.title)) {
    return InvalidField("page_token",
                        "is not a token from a previous ListExercises response with these filters");
  }
  return cursor;
}

std::string ExerciseEtag(int version) { return EtagOf(version); }

std::string ExerciseContentJson(const v1::Exercise& exercise) {
  const v1::Exercise content = ExerciseContent(exercise);
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  // Printing a message this server built cannot fail: every field is a known, valid one.
  (void)google::protobuf::util::MessageToJsonString(content, &json, options);
  return json;
}

absl::Status StoreExerciseVersion(UnitOfWork& uow, std::string_view clinic_id,
                                  const v1::Exercise& exercise) {
  return uow.exercises().InsertVersion(
      ExerciseVersionRecord{.exercise_id = exercise.id(),
                            .version = exercise.version(),
                            .clinic_id = std::string(clinic_id),
                            .author_user_id = exercise.author_user_id(),
                            .create_time = FromTimestamp(exercise.version_create_time()),
                            .content_json = ExerciseContentJson(exercise)});
}

absl::StatusOr<v1::Exercise> LoadExerciseVersion(UnitOfWork& uow, const ExerciseRecord& record,
                                                 int version) {
  absl::StatusOr<std::optional<ExerciseVersionRecord>> row =
      uow.exercises().FindVersion(record.clinic_id, record.id, version);
  if (!row.ok()) {
    return row.status();
  }
  if (!row->has_value()) {
    return absl::NotFoundError("exercise version not found");
  }
  v1::Exercise exercise;
  google::protobuf::util::JsonParseOptions options;
  // A version written by a newer server may carry fields this one does not know.
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage((*row)->content_json, &exercise, options).ok()) {
    return absl::DataLossError("a stored exercise version is not readable");
  }
  exercise = ExerciseContent(exercise);
  exercise.set_id(record.id);
  exercise.set_version((*row)->version);
  exercise.set_starter(!record.starter_key.empty());
  exercise.set_author_user_id((*row)->author_user_id);
  *exercise.mutable_version_create_time() = ToTimestamp((*row)->create_time);
  *exercise.mutable_create_time() = ToTimestamp(record.create_time);
  exercise.set_etag(ExerciseEtag((*row)->version));
  return exercise;
}

absl::StatusOr<v1::Exercise> LoadExerciseVersion(UnitOfWork& uow, std::string_view clinic_id,
                                                 std::string_view exercise_id, int version) {
  if (!IsUuidText(exercise_id) || version < 0) {
    return ExerciseNotFound();
  }
  absl::StatusOr<std::optional<ExerciseRecord>> record =
      uow.exercises().Find(clinic_id, exercise_id);
  if (!record.ok()) {
    return record.status();
  }
  if (!record->has_value()) {
    return ExerciseNotFound();
  }
  return LoadExerciseVersion(uow, **record, version == 0 ? (*record)->latest_version : version);
}

v1::Exercise PatientView(v1::Exercise exercise) {
  exercise.clear_clinician_notes();
  exercise.clear_contraindications();
  return exercise;
}

}  // namespace confide
