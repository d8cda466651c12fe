#include "adapters/persistence/soci_progression_suggestion_repository.h"

#include "soci/soci.h"

namespace confide::persistence {

absl::Status SociProgressionSuggestionRepository::Insert(
    const ProgressionSuggestionRecord& /*record*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgressionSuggestionRepository::Insert");
}

absl::StatusOr<std::optional<ProgressionSuggestionRecord>>
SociProgressionSuggestionRepository::Find(std::string_view /*clinic_id*/,
                                          std::string_view /*client_id*/,
                                          std::string_view /*suggestion_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgressionSuggestionRepository::Find");
}

absl::StatusOr<std::optional<ProgressionSuggestionRecord>>
SociProgressionSuggestionRepository::FindPending(std::string_view /*clinic_id*/,
                                                 std::string_view /*programme_id*/,
                                                 std::string_view /*item_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgressionSuggestionRepository::FindPending");
}

absl::StatusOr<std::vector<ProgressionSuggestionRecord>>
SociProgressionSuggestionRepository::ListOfClient(std::string_view /*clinic_id*/,
                                                  std::string_view /*client_id*/, int /*status*/,
                                                  std::string_view /*after_id*/, int /*limit*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgressionSuggestionRepository::ListOfClient");
}

absl::Status SociProgressionSuggestionRepository::Decide(
    const ProgressionSuggestionRecord& /*decided*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgressionSuggestionRepository::Decide");
}

absl::StatusOr<int> SociProgressionSuggestionRepository::SupersedePending(
    std::string_view /*clinic_id*/, std::string_view /*programme_id*/,
    std::string_view /*item_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgressionSuggestionRepository::SupersedePending");
}

absl::StatusOr<int> SociProgressionSuggestionRepository::CountPendingOfClient(
    std::string_view /*clinic_id*/, std::string_view /*client_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgressionSuggestionRepository::CountPendingOfClient");
}

}  // namespace confide::persistence
