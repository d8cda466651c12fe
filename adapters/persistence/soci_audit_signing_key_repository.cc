#include "adapters/persistence/soci_audit_signing_key_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kKeyColumns[] =
    "key_id, clinic_id, public_key, sealed_private_key, create_time, retire_time";

// Runs `query` (selecting kKeyColumns, one placeholder bound to `clinic`) and returns its rows.
std::vector<AuditSigningKeyRecord> FetchKeys(soci::session& sql, const std::string& query,
                                             std::string& clinic) {
  std::vector<AuditSigningKeyRecord> keys;
  AuditSigningKeyRecord row;
  long long create_time = 0, retire_time = 0;
  soci::indicator retire_ind = soci::i_null;
  soci::statement st =
      (sql.prepare << query, soci::into(row.key_id), soci::into(row.clinic_id),
       soci::into(row.public_key), soci::into(row.sealed_private_key), soci::into(create_time),
       soci::into(retire_time, retire_ind), soci::use(clinic));
  st.execute();
  while (st.fetch()) {
    AuditSigningKeyRecord key = row;
    key.create_time = absl::FromUnixMicros(create_time);
    key.retire_time = retire_ind == soci::i_ok
                          ? std::optional<absl::Time>(absl::FromUnixMicros(retire_time))
                          : std::nullopt;
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace

absl::StatusOr<std::optional<AuditSigningKeyRecord>> SociAuditSigningKeyRepository::FindActive(
    std::string_view clinic_id) {
  try {
    std::string clinic(clinic_id);
    std::vector<AuditSigningKeyRecord> keys =
        FetchKeys(sql_,
                  std::string("SELECT ") + kKeyColumns +
                      " FROM audit_signing_keys WHERE clinic_id = :clinic AND retire_time IS NULL",
                  clinic);
    if (keys.empty()) {
      return std::nullopt;
    }
    return keys.front();
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_signing_keys.find_active");
  }
}

absl::Status SociAuditSigningKeyRepository::Insert(const AuditSigningKeyRecord& key) {
  try {
    AuditSigningKeyRecord k = key;  // soci binds by non-const reference
    long long create_time = absl::ToUnixMicros(k.create_time);
    long long retire_time = k.retire_time.has_value() ? absl::ToUnixMicros(*k.retire_time) : 0;
    soci::indicator retire_ind = k.retire_time.has_value() ? soci::i_ok : soci::i_null;
    sql_ << "INSERT INTO audit_signing_keys (key_id, clinic_id, public_key, sealed_private_key, "
            "create_time, retire_time) VALUES (:key_id, :clinic, :public_key, :sealed, "
            ":create_time, :retire_time)",
        soci::use(k.key_id), soci::use(k.clinic_id), soci::use(k.public_key),
        soci::use(k.sealed_private_key), soci::use(create_time), soci::use(retire_time, retire_ind);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_signing_keys.insert");
  }
}

absl::StatusOr<std::vector<AuditSigningKeyRecord>> SociAuditSigningKeyRepository::ListForClinic(
    std::string_view clinic_id) {
  try {
    std::string clinic(clinic_id);
    return FetchKeys(sql_,
                     std::string("SELECT ") + kKeyColumns +
                         " FROM audit_signing_keys WHERE clinic_id = :clinic "
                         "ORDER BY create_time, key_id",
                     clinic);
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_signing_keys.list_for_clinic");
  }
}

absl::Status SociAuditSigningKeyRepository::Retire(std::string_view key_id, absl::Time when) {
  try {
    std::string id(key_id);
    long long retire_time = absl::ToUnixMicros(when);
    soci::statement st = (sql_.prepare << "UPDATE audit_signing_keys SET retire_time = :when "
                                          "WHERE key_id = :key_id AND retire_time IS NULL",
                          soci::use(retire_time), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::NotFoundError("no active audit signing key with this id");
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "audit_signing_keys.retire");
  }
}

}  // namespace confide::persistence
