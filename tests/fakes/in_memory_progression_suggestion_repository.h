#pragma once

#include "services/programmes/ports/progression_suggestion_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

class InMemoryProgressionSuggestionRepository final : public ProgressionSuggestionRepository {
 public:
  explicit InMemoryProgressionSuggestionRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const ProgressionSuggestionRecord& /*record*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgressionSuggestionRepository::Insert");
  }
  absl::StatusOr<std::optional<ProgressionSuggestionRecord>> Find(
      std::string_view /*clinic_id*/, std::string_view /*client_id*/,
      std::string_view /*suggestion_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgressionSuggestionRepository::Find");
  }
  absl::StatusOr<std::optional<ProgressionSuggestionRecord>> FindPending(
      std::string_view /*clinic_id*/, std::string_view /*programme_id*/,
      std::string_view /*item_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgressionSuggestionRepository::FindPending");
  }
  absl::StatusOr<std::vector<ProgressionSuggestionRecord>> ListOfClient(
      std::string_view /*clinic_id*/, std::string_view /*client_id*/, int /*status*/,
      std::string_view /*after_id*/, int /*limit*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgressionSuggestionRepository::ListOfClient");
  }
  absl::Status Decide(const ProgressionSuggestionRecord& /*decided*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgressionSuggestionRepository::Decide");
  }
  absl::StatusOr<int> SupersedePending(std::string_view /*clinic_id*/,
                                       std::string_view /*programme_id*/,
                                       std::string_view /*item_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgressionSuggestionRepository::SupersedePending");
  }
  absl::StatusOr<int> CountPendingOfClient(std::string_view /*clinic_id*/,
                                           std::string_view /*client_id*/) override {
    (void)db_;
    return absl::UnimplementedError(
        "InMemoryProgressionSuggestionRepository::CountPendingOfClient");
  }

 private:
  InMemoryDatabase& db_;
};

}  // namespace confide
