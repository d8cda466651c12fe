#pragma once

#include "services/plans/ports/plan_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Therapy plans in `plans` and their versions in `plan_versions` (content sealed).
class SociPlanRepository final : public PlanRepository {
 public:
  explicit SociPlanRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const PlanRecord& record, std::string_view create_request_id) override;
  absl::Status InsertVersion(const PlanVersionRecord& record) override;
  absl::StatusOr<std::optional<PlanRecord>> Find(std::string_view clinic_id,
                                                 std::string_view client_id,
                                                 std::string_view plan_id) override;
  absl::StatusOr<std::optional<PlanRecord>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) override;
  absl::StatusOr<std::vector<PlanRecord>> ListOfClient(std::string_view clinic_id,
                                                       std::string_view client_id,
                                                       std::string_view after_id,
                                                       int limit) override;
  absl::StatusOr<std::optional<PlanVersionRecord>> FindVersion(std::string_view clinic_id,
                                                               std::string_view plan_id,
                                                               int version) override;
  absl::StatusOr<std::vector<PlanVersionRecord>> ListVersions(std::string_view clinic_id,
                                                              std::string_view plan_id,
                                                              int before_version,
                                                              int limit) override;
  absl::Status AdvanceLatest(std::string_view clinic_id, std::string_view plan_id, int expected,
                             int next) override;
  absl::Status SetShared(std::string_view clinic_id, std::string_view plan_id, int version,
                         absl::Time share_time) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
