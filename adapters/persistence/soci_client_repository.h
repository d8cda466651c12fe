#pragma once

#include "services/clients/ports/client_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Client records in the `clients` and `care_team_members` tables (SQLite and PostgreSQL).
class SociClientRepository final : public ClientRepository {
 public:
  explicit SociClientRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const ClientRecord& record, std::string_view create_request_id) override;
  absl::StatusOr<std::optional<ClientRecord>> Find(std::string_view clinic_id,
                                                   std::string_view client_id) override;
  absl::StatusOr<std::optional<std::string>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) override;
  absl::StatusOr<std::optional<ClientAccessFacts>> FindAccessFacts(
      std::string_view clinic_id, std::string_view client_id) override;
  absl::StatusOr<std::vector<ClientRecord>> List(const ClientQuery& query) override;
  absl::Status Update(const ClientRecord& record, int64_t expected_version) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
