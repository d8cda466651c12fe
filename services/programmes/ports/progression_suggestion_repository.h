#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// A dilator ladder's suggestion to move a size up or down, waiting for a clinician.
struct ProgressionSuggestionRecord {
  std::string id;
  std::string clinic_id;
  std::string client_id;
  std::string programme_id;
  int programme_version = 0;
  std::string item_id;
  // v1::ProgressionDirection.
  int direction = 0;
  int from_size = 0;
  int to_size = 0;
  int sessions_at_size = 0;
  int window_sessions = 0;
  int window_max_pain = 0;
  int window_max_anxiety = 0;
  std::string practice_log_id;
  // v1::SuggestionStatus.
  int status = 0;
  absl::Time create_time;
  // Empty / nullopt while PENDING (and for SUPERSEDED).
  std::string decided_by_user_id;
  std::optional<absl::Time> decide_time;
  // ACCEPTED: the programme version it made; 0 otherwise.
  int accepted_version = 0;
};

class ProgressionSuggestionRepository {
 public:
  virtual ~ProgressionSuggestionRepository() = default;
  // ALREADY_EXISTS when the id was used or the item already has a PENDING suggestion.
  virtual absl::Status Insert(const ProgressionSuggestionRecord& record) = 0;
  virtual absl::StatusOr<std::optional<ProgressionSuggestionRecord>> Find(
      std::string_view clinic_id, std::string_view client_id, std::string_view suggestion_id) = 0;
  virtual absl::StatusOr<std::optional<ProgressionSuggestionRecord>> FindPending(
      std::string_view clinic_id, std::string_view programme_id, std::string_view item_id) = 0;
  // Newest first; `status` 0 for every status; older than `after_id` when it is not empty.
  virtual absl::StatusOr<std::vector<ProgressionSuggestionRecord>> ListOfClient(
      std::string_view clinic_id, std::string_view client_id, int status, std::string_view after_id,
      int limit) = 0;
  // PENDING → `decided.status` with decided_by_user_id, decide_time and accepted_version from
  // `decided`. ABORTED when it is no longer PENDING; NOT_FOUND when there is no such suggestion.
  virtual absl::Status Decide(const ProgressionSuggestionRecord& decided) = 0;
  // Every PENDING suggestion of the item → SUPERSEDED (the size changed another way). Returns
  // how many.
  virtual absl::StatusOr<int> SupersedePending(std::string_view clinic_id,
                                               std::string_view programme_id,
                                               std::string_view item_id) = 0;
  // When the care team last DECLINED a suggestion of the item made at `from_size`; nullopt when
  // never. A decline says "not yet": the ladder then weighs only sessions after it.
  virtual absl::StatusOr<std::optional<absl::Time>> LatestDeclineTime(std::string_view clinic_id,
                                                                      std::string_view client_id,
                                                                      std::string_view programme_id,
                                                                      std::string_view item_id,
                                                                      int from_size) = 0;
  virtual absl::StatusOr<int> CountPendingOfClient(std::string_view clinic_id,
                                                   std::string_view client_id) = 0;
  // Crypto-erasure: deletes every suggestion of the client (their pain, anxiety and size
  // evidence with the rows). Returns how many.
  virtual absl::StatusOr<int> DeleteAllOfClient(std::string_view clinic_id,
                                                std::string_view client_id) = 0;
};

}  // namespace confide
