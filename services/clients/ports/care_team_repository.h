#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

struct CareTeamMemberRecord {
  std::string client_id;
  std::string user_id;
  bool is_primary = false;
  absl::Time added_time;
};

// Who treats a client. At most one member is primary.
class CareTeamRepository {
 public:
  virtual ~CareTeamRepository() = default;
  // The client's care team ordered by user id.
  virtual absl::StatusOr<std::vector<CareTeamMemberRecord>> List(std::string_view client_id) = 0;
  // Adds a member; ALREADY_EXISTS when already on the team.
  virtual absl::Status Add(const CareTeamMemberRecord& member) = 0;
  // Removes a member; NOT_FOUND when not on the team.
  virtual absl::Status Remove(std::string_view client_id, std::string_view user_id) = 0;
  // Makes `user_id` the only primary member; NOT_FOUND when not on the team.
  virtual absl::Status SetPrimary(std::string_view client_id, std::string_view user_id) = 0;
};

}  // namespace confide
