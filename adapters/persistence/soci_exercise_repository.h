#pragma once

#include "services/exercises/ports/exercise_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Library exercises in `exercises` and their versions in `exercise_versions` (plain JSON).
class SociExerciseRepository final : public ExerciseRepository {
 public:
  explicit SociExerciseRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const ExerciseRecord& record, std::string_view create_request_id) override;
  absl::Status InsertVersion(const ExerciseVersionRecord& record) override;
  absl::StatusOr<std::optional<ExerciseRecord>> Find(std::string_view clinic_id,
                                                     std::string_view exercise_id) override;
  absl::StatusOr<std::optional<ExerciseRecord>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) override;
  absl::StatusOr<std::optional<ExerciseRecord>> FindByStarterKey(
      std::string_view clinic_id, std::string_view starter_key) override;
  absl::StatusOr<std::vector<ExerciseRecord>> List(const ExerciseListQuery& query) override;
  absl::StatusOr<std::optional<ExerciseVersionRecord>> FindVersion(std::string_view clinic_id,
                                                                   std::string_view exercise_id,
                                                                   int version) override;
  absl::Status AdvanceLatest(std::string_view clinic_id, std::string_view exercise_id, int expected,
                             int next, std::string_view title, int category,
                             bool archived) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
