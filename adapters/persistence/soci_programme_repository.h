#pragma once

#include "services/programmes/ports/programme_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Home programmes in `programmes` and their versions in `programme_versions` (content sealed).
class SociProgrammeRepository final : public ProgrammeRepository {
 public:
  explicit SociProgrammeRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const ProgrammeRecord& record, std::string_view create_request_id) override;
  absl::Status InsertVersion(const ProgrammeVersionRecord& record) override;
  absl::StatusOr<std::optional<ProgrammeRecord>> Find(std::string_view clinic_id,
                                                      std::string_view client_id,
                                                      std::string_view programme_id) override;
  absl::StatusOr<std::optional<ProgrammeRecord>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) override;
  absl::StatusOr<std::vector<ProgrammeRecord>> ListOfClient(std::string_view clinic_id,
                                                            std::string_view client_id,
                                                            const std::vector<int>& statuses,
                                                            std::string_view after_id,
                                                            int limit) override;
  absl::StatusOr<std::optional<ProgrammeVersionRecord>> FindVersion(std::string_view clinic_id,
                                                                    std::string_view programme_id,
                                                                    int version) override;
  absl::StatusOr<std::vector<ProgrammeVersionRecord>> ListVersions(std::string_view clinic_id,
                                                                   std::string_view programme_id,
                                                                   int before_version,
                                                                   int limit) override;
  absl::Status Update(const ProgrammeRecord& next, int expected_revision) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
