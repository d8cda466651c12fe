#pragma once

#include "services/programmes/ports/progression_suggestion_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Dilator progression suggestions in `progression_suggestions`.
class SociProgressionSuggestionRepository final : public ProgressionSuggestionRepository {
 public:
  explicit SociProgressionSuggestionRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const ProgressionSuggestionRecord& record) override;
  absl::StatusOr<std::optional<ProgressionSuggestionRecord>> Find(
      std::string_view clinic_id, std::string_view client_id,
      std::string_view suggestion_id) override;
  absl::StatusOr<std::optional<ProgressionSuggestionRecord>> FindPending(
      std::string_view clinic_id, std::string_view programme_id, std::string_view item_id) override;
  absl::StatusOr<std::vector<ProgressionSuggestionRecord>> ListOfClient(std::string_view clinic_id,
                                                                        std::string_view client_id,
                                                                        int status,
                                                                        std::string_view after_id,
                                                                        int limit) override;
  absl::Status Decide(const ProgressionSuggestionRecord& decided) override;
  absl::StatusOr<int> SupersedePending(std::string_view clinic_id, std::string_view programme_id,
                                       std::string_view item_id) override;
  absl::StatusOr<int> CountPendingOfClient(std::string_view clinic_id,
                                           std::string_view client_id) override;
  absl::StatusOr<std::optional<absl::Time>> LatestDeclineTime(std::string_view clinic_id,
                                                              std::string_view client_id,
                                                              std::string_view programme_id,
                                                              std::string_view item_id,
                                                              int from_size) override;
  absl::StatusOr<int> DeleteAllOfClient(std::string_view clinic_id,
                                        std::string_view client_id) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
