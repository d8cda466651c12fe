#pragma once

#include "services/assessments/ports/assessment_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Administrations in the `assessments` table (answers and score sealed by the service).
class SociAssessmentRepository final : public AssessmentRepository {
 public:
  explicit SociAssessmentRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const AssessmentRecord& record) override;
  absl::StatusOr<std::optional<AssessmentRecord>> Find(std::string_view clinic_id,
                                                       std::string_view client_id,
                                                       std::string_view id) override;
  absl::StatusOr<std::optional<AssessmentRecord>> FindByRequestId(
      std::string_view clinic_id, std::string_view request_id) override;
  absl::StatusOr<std::vector<AssessmentRecord>> List(const AssessmentQuery& query) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
