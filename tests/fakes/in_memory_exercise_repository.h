#pragma once

#include "services/exercises/ports/exercise_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

class InMemoryExerciseRepository final : public ExerciseRepository {
 public:
  explicit InMemoryExerciseRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const ExerciseRecord& /*record*/,
                      std::string_view /*create_request_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryExerciseRepository::Insert");
  }
  absl::Status InsertVersion(const ExerciseVersionRecord& /*record*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryExerciseRepository::InsertVersion");
  }
  absl::StatusOr<std::optional<ExerciseRecord>> Find(std::string_view /*clinic_id*/,
                                                     std::string_view /*exercise_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryExerciseRepository::Find");
  }
  absl::StatusOr<std::optional<ExerciseRecord>> FindByCreateRequestId(
      std::string_view /*clinic_id*/, std::string_view /*request_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryExerciseRepository::FindByCreateRequestId");
  }
  absl::StatusOr<std::optional<ExerciseRecord>> FindByStarterKey(
      std::string_view /*clinic_id*/, std::string_view /*starter_key*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryExerciseRepository::FindByStarterKey");
  }
  absl::StatusOr<std::vector<ExerciseRecord>> List(const ExerciseListQuery& /*query*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryExerciseRepository::List");
  }
  absl::StatusOr<std::optional<ExerciseVersionRecord>> FindVersion(std::string_view /*clinic_id*/,
                                                                   std::string_view /*exercise_id*/,
                                                                   int /*version*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryExerciseRepository::FindVersion");
  }
  absl::Status AdvanceLatest(std::string_view /*clinic_id*/, std::string_view /*exercise_id*/,
                             int /*expected*/, int /*next*/, std::string_view /*title*/,
                             int /*category*/, bool /*archived*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryExerciseRepository::AdvanceLatest");
  }

 private:
  InMemoryDatabase& db_;
};

}  // namespace confide
