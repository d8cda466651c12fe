#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// Time-limited emergency access to one client by a clinician outside the care team.
struct BreakGlassRecord {
  std::string id;
  std::string clinic_id;
  std::string client_id;
  std::string user_id;
  // SecretBox text of the reason the clinician gave (it may describe the client).
  std::string reason_sealed;
  absl::Time create_time;
  absl::Time expire_time;
};

struct BreakGlassQuery {
  std::string clinic_id;
  // When set, only grants to this client.
  std::string client_id;
  // Keyset cursor over ids (newest first): only ids less than this.
  std::string before_id;
  int limit = 50;
};

class BreakGlassRepository {
 public:
  virtual ~BreakGlassRepository() = default;
  virtual absl::Status Insert(const BreakGlassRecord& record) = 0;
  // The latest expiry of the user's grants to this client that are live at `now`, or nullopt.
  virtual absl::StatusOr<std::optional<absl::Time>> LiveUntil(std::string_view user_id,
                                                              std::string_view client_id,
                                                              absl::Time now) = 0;
  // Grants newest first.
  virtual absl::StatusOr<std::vector<BreakGlassRecord>> List(const BreakGlassQuery& query) = 0;
};

}  // namespace confide
