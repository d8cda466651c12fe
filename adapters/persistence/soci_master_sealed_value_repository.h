#pragma once

#include "services/crypto/ports/master_sealed_value_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// The master-key-sealed columns (client_data_keys, users, break_glass_grants,
// outbound_messages) read and rewritten for a master-key rotation.
class SociMasterSealedValueRepository final : public MasterSealedValueRepository {
 public:
  explicit SociMasterSealedValueRepository(soci::session& sql) : sql_(sql) {}

  absl::StatusOr<std::vector<MasterSealedValue>> List(MasterSealedColumn column) override;
  absl::Status Replace(MasterSealedColumn column, const MasterSealedValue& value,
                       std::string_view resealed) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
