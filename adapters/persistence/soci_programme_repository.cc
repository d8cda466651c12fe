#include "adapters/persistence/soci_programme_repository.h"

#include "soci/soci.h"

namespace confide::persistence {

absl::Status SociProgrammeRepository::Insert(const ProgrammeRecord& /*record*/,
                                             std::string_view /*create_request_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgrammeRepository::Insert");
}

absl::Status SociProgrammeRepository::InsertVersion(const ProgrammeVersionRecord& /*record*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgrammeRepository::InsertVersion");
}

absl::StatusOr<std::optional<ProgrammeRecord>> SociProgrammeRepository::Find(
    std::string_view /*clinic_id*/, std::string_view /*client_id*/,
    std::string_view /*programme_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgrammeRepository::Find");
}

absl::StatusOr<std::optional<ProgrammeRecord>> SociProgrammeRepository::FindByCreateRequestId(
    std::string_view /*clinic_id*/, std::string_view /*request_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgrammeRepository::FindByCreateRequestId");
}

absl::StatusOr<std::vector<ProgrammeRecord>> SociProgrammeRepository::ListOfClient(
    std::string_view /*clinic_id*/, std::string_view /*client_id*/,
    const std::vector<int>& /*statuses*/, std::string_view /*after_id*/, int /*limit*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgrammeRepository::ListOfClient");
}

absl::StatusOr<std::optional<ProgrammeVersionRecord>> SociProgrammeRepository::FindVersion(
    std::string_view /*clinic_id*/, std::string_view /*programme_id*/, int /*version*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgrammeRepository::FindVersion");
}

absl::StatusOr<std::vector<ProgrammeVersionRecord>> SociProgrammeRepository::ListVersions(
    std::string_view /*clinic_id*/, std::string_view /*programme_id*/, int /*before_version*/,
    int /*limit*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgrammeRepository::ListVersions");
}

absl::Status SociProgrammeRepository::Update(const ProgrammeRecord& /*next*/,
                                             int /*expected_revision*/) {
  (void)sql_;
  return absl::UnimplementedError("SociProgrammeRepository::Update");
}

}  // namespace confide::persistence
