#pragma once

#include "services/crypto/ports/client_data_key_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Per-client data keys in the `client_data_keys` table (each wrapped by the master key).
class SociClientDataKeyRepository final : public ClientDataKeyRepository {
 public:
  explicit SociClientDataKeyRepository(soci::session& sql) : sql_(sql) {}

  absl::StatusOr<std::optional<ClientDataKeyRecord>> Find(std::string_view clinic_id,
                                                          std::string_view client_id) override;
  absl::Status Insert(const ClientDataKeyRecord& record) override;
  absl::StatusOr<DataKeyErasure> Erase(std::string_view clinic_id, std::string_view client_id,
                                       absl::Time now) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
