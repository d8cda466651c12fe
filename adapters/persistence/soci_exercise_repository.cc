#include "adapters/persistence/soci_exercise_repository.h"

#include "soci/soci.h"

namespace confide::persistence {

absl::Status SociExerciseRepository::Insert(const ExerciseRecord& /*record*/,
                                            std::string_view /*create_request_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociExerciseRepository::Insert");
}

absl::Status SociExerciseRepository::InsertVersion(const ExerciseVersionRecord& /*record*/) {
  (void)sql_;
  return absl::UnimplementedError("SociExerciseRepository::InsertVersion");
}

absl::StatusOr<std::optional<ExerciseRecord>> SociExerciseRepository::Find(
    std::string_view /*clinic_id*/, std::string_view /*exercise_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociExerciseRepository::Find");
}

absl::StatusOr<std::optional<ExerciseRecord>> SociExerciseRepository::FindByCreateRequestId(
    std::string_view /*clinic_id*/, std::string_view /*request_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociExerciseRepository::FindByCreateRequestId");
}

absl::StatusOr<std::optional<ExerciseRecord>> SociExerciseRepository::FindByStarterKey(
    std::string_view /*clinic_id*/, std::string_view /*starter_key*/) {
  (void)sql_;
  return absl::UnimplementedError("SociExerciseRepository::FindByStarterKey");
}

absl::StatusOr<std::vector<ExerciseRecord>> SociExerciseRepository::List(
    const ExerciseListQuery& /*query*/) {
  (void)sql_;
  return absl::UnimplementedError("SociExerciseRepository::List");
}

absl::StatusOr<std::optional<ExerciseVersionRecord>> SociExerciseRepository::FindVersion(
    std::string_view /*clinic_id*/, std::string_view /*exercise_id*/, int /*version*/) {
  (void)sql_;
  return absl::UnimplementedError("SociExerciseRepository::FindVersion");
}

absl::Status SociExerciseRepository::AdvanceLatest(std::string_view /*clinic_id*/,
                                                   std::string_view /*exercise_id*/,
                                                   int /*expected*/, int /*next*/,
                                                   std::string_view /*title*/, int /*category*/,
                                                   bool /*archived*/) {
  (void)sql_;
  return absl::UnimplementedError("SociExerciseRepository::AdvanceLatest");
}

}  // namespace confide::persistence
