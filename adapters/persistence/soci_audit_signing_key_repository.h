#pragma once

#include "services/audit/ports/audit_signing_key_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Checkpoint signing keys in `audit_signing_keys` (private keys master-sealed).
class SociAuditSigningKeyRepository final : public AuditSigningKeyRepository {
 public:
  explicit SociAuditSigningKeyRepository(soci::session& sql) : sql_(sql) {}

  absl::StatusOr<std::optional<AuditSigningKeyRecord>> FindActive(
      std::string_view clinic_id) override;
  absl::Status Insert(const AuditSigningKeyRecord& key) override;
  absl::StatusOr<std::vector<AuditSigningKeyRecord>> ListForClinic(
      std::string_view clinic_id) override;
  absl::Status Retire(std::string_view key_id, absl::Time when) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
