#pragma once

#include "services/plans/ports/milestone_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Milestones in the `milestones` table (titles sealed).
class SociMilestoneRepository final : public MilestoneRepository {
 public:
  explicit SociMilestoneRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const MilestoneRecord& record) override;
  absl::StatusOr<std::optional<MilestoneRecord>> FindByRequestId(
      std::string_view clinic_id, std::string_view request_id) override;
  absl::StatusOr<std::vector<std::string>> GoalIdsWithMilestone(std::string_view clinic_id,
                                                                std::string_view plan_id) override;
  absl::StatusOr<std::vector<MilestoneRecord>> ListOfClient(std::string_view clinic_id,
                                                            std::string_view client_id,
                                                            std::string_view after_id,
                                                            int limit) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
