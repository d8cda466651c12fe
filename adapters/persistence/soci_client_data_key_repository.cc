#include "adapters/persistence/soci_client_data_key_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {

absl::StatusOr<std::optional<ClientDataKeyRecord>> SociClientDataKeyRepository::Find(
    std::string_view clinic_id, std::string_view client_id) {
  try {
    std::string clinic(clinic_id), client(client_id);
    ClientDataKeyRecord record;
    long long create_time = 0, erase_time = 0;
    sql_ << "SELECT clinic_id, client_id, wrapped_key, create_time, erase_time "
            "FROM client_data_keys WHERE clinic_id = :clinic_id AND client_id = :client_id",
        soci::use(clinic), soci::use(client), soci::into(record.clinic_id),
        soci::into(record.client_id), soci::into(record.wrapped_key), soci::into(create_time),
        soci::into(erase_time);
    if (!sql_.got_data()) {
      return std::nullopt;
    }
    record.create_time = absl::FromUnixMicros(create_time);
    if (erase_time != 0) {
      record.erase_time = absl::FromUnixMicros(erase_time);
    }
    return record;
  } catch (const std::exception& e) {
    return StatusFromException(e, "client_data_keys.find");
  }
}

absl::Status SociClientDataKeyRepository::Insert(const ClientDataKeyRecord& record) {
  try {
    std::string clinic = record.clinic_id, client = record.client_id, wrapped = record.wrapped_key;
    long long create_time = absl::ToUnixMicros(record.create_time);
    sql_ << "INSERT INTO client_data_keys (clinic_id, client_id, wrapped_key, create_time) "
            "VALUES (:clinic_id, :client_id, :wrapped_key, :create_time)",
        soci::use(clinic), soci::use(client), soci::use(wrapped), soci::use(create_time);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "client_data_keys.insert");
  }
}

absl::StatusOr<DataKeyErasure> SociClientDataKeyRepository::Erase(std::string_view clinic_id,
                                                                  std::string_view client_id,
                                                                  absl::Time now) {
  try {
    std::string clinic(clinic_id), client(client_id);
    long long create_time = absl::ToUnixMicros(now), erase_time = create_time,
              update_time = create_time;
    // One statement for both cases, so a key made concurrently by a first Seal (PostgreSQL)
    // cannot slip in between a check and an insert. The WHERE keeps a first erasure's time.
    soci::statement st =
        (sql_.prepare << "INSERT INTO client_data_keys "
                         "(clinic_id, client_id, wrapped_key, create_time, erase_time) "
                         "VALUES (:clinic_id, :client_id, '', :create_time, :erase_time) "
                         "ON CONFLICT (clinic_id, client_id) DO UPDATE "
                         "SET wrapped_key = '', erase_time = :update_time "
                         "WHERE client_data_keys.erase_time = 0",
         soci::use(clinic), soci::use(client), soci::use(create_time), soci::use(erase_time),
         soci::use(update_time));
    st.execute(true);
    const bool erased_now = st.get_affected_rows() > 0;
    long long stored_time = 0;
    sql_ << "SELECT erase_time FROM client_data_keys "
            "WHERE clinic_id = :clinic_id AND client_id = :client_id",
        soci::use(clinic), soci::use(client), soci::into(stored_time);
    return DataKeyErasure{.erase_time = absl::FromUnixMicros(stored_time),
                          .erased_now = erased_now};
  } catch (const std::exception& e) {
    return StatusFromException(e, "client_data_keys.erase");
  }
}

}  // namespace confide::persistence
