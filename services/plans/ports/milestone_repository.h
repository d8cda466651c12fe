#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/auth.pb.h"

namespace confide {

// A small victory of a client's, recorded by her, her care team, or by a goal becoming achieved.
struct MilestoneRecord {
  std::string id;
  std::string clinic_id;
  std::string client_id;
  // Empty when not linked to a plan or goal.
  std::string plan_id;
  std::string goal_id;
  std::string recorded_by_user_id;
  v1::Role recorded_by_role = v1::ROLE_UNSPECIFIED;
  // YYYY-MM-DD.
  std::string achieved_date;
  absl::Time create_time;
  // Empty when the caller sent none.
  std::string request_id;
  // ClientDataCipher text of the title.
  std::string title_sealed;
};

class MilestoneRepository {
 public:
  virtual ~MilestoneRepository() = default;
  // ALREADY_EXISTS when the id, or a non-empty request id in the clinic, was used before, or
  // when the record names a goal (non-empty goal_id) of a plan that already has its milestone:
  // a goal has at most one.
  virtual absl::Status Insert(const MilestoneRecord& record) = 0;
  // The goal ids of `plan_id` that already have their milestone.
  virtual absl::StatusOr<std::vector<std::string>> GoalIdsWithMilestone(
      std::string_view clinic_id, std::string_view plan_id) = 0;
  // The milestone an earlier record call with this request id made in the clinic, or nullopt.
  virtual absl::StatusOr<std::optional<MilestoneRecord>> FindByRequestId(
      std::string_view clinic_id, std::string_view request_id) = 0;
  // The client's milestones, newest first: by achieved date, then by when they were recorded,
  // then by id. At most `limit`, those after milestone `after_id` in that order when it is not
  // empty (a keyset page; an `after_id` that is not the client's gives an empty page).
  virtual absl::StatusOr<std::vector<MilestoneRecord>> ListOfClient(std::string_view clinic_id,
                                                                    std::string_view client_id,
                                                                    std::string_view after_id,
                                                                    int limit) = 0;
};

}  // namespace confide
