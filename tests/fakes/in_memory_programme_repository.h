#pragma once

#include "services/programmes/ports/programme_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

class InMemoryProgrammeRepository final : public ProgrammeRepository {
 public:
  explicit InMemoryProgrammeRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const ProgrammeRecord& /*record*/,
                      std::string_view /*create_request_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgrammeRepository::Insert");
  }
  absl::Status InsertVersion(const ProgrammeVersionRecord& /*record*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgrammeRepository::InsertVersion");
  }
  absl::StatusOr<std::optional<ProgrammeRecord>> Find(std::string_view /*clinic_id*/,
                                                      std::string_view /*client_id*/,
                                                      std::string_view /*programme_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgrammeRepository::Find");
  }
  absl::StatusOr<std::optional<ProgrammeRecord>> FindByCreateRequestId(
      std::string_view /*clinic_id*/, std::string_view /*request_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgrammeRepository::FindByCreateRequestId");
  }
  absl::StatusOr<std::vector<ProgrammeRecord>> ListOfClient(std::string_view /*clinic_id*/,
                                                            std::string_view /*client_id*/,
                                                            const std::vector<int>& /*statuses*/,
                                                            std::string_view /*after_id*/,
                                                            int /*limit*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgrammeRepository::ListOfClient");
  }
  absl::StatusOr<std::optional<ProgrammeVersionRecord>> FindVersion(
      std::string_view /*clinic_id*/, std::string_view /*programme_id*/, int /*version*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgrammeRepository::FindVersion");
  }
  absl::StatusOr<std::vector<ProgrammeVersionRecord>> ListVersions(
      std::string_view /*clinic_id*/, std::string_view /*programme_id*/, int /*before_version*/,
      int /*limit*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgrammeRepository::ListVersions");
  }
  absl::Status Update(const ProgrammeRecord& /*next*/, int /*expected_revision*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryProgrammeRepository::Update");
  }

 private:
  InMemoryDatabase& db_;
};

}  // namespace confide
