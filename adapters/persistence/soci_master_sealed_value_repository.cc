#include "adapters/persistence/soci_master_sealed_value_repository.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

// Where a column lives. The names come from this table only, never from input, so building SQL
// from them is safe.
struct ColumnSql {
  const char* table;
  const char* id;
  const char* value;
};

ColumnSql SqlOf(MasterSealedColumn column) {
  switch (column) {
    case MasterSealedColumn::kClientDataKey:
      return {"client_data_keys", "client_id", "wrapped_key"};
    case MasterSealedColumn::kTotpSecret:
      return {"users", "id", "totp_secret_sealed"};
    case MasterSealedColumn::kPendingTotpSecret:
      return {"users", "id", "totp_pending_sealed"};
    case MasterSealedColumn::kBreakGlassReason:
      return {"break_glass_grants", "id", "reason_sealed"};
    case MasterSealedColumn::kOutboundToken:
      return {"outbound_messages", "id", "token_sealed"};
    case MasterSealedColumn::kAuditSigningKey:
      return {"audit_signing_keys", "key_id", "sealed_private_key"};
  }
  return {"", "", ""};
}

// PostgreSQL runs each statement of a READ COMMITTED transaction on what others committed up to
// then: without a lock a server could add or change a value between the rotation's reads and its
// commit (sealed under an old key, lost once that key is destroyed). SHARE ROW EXCLUSIVE lets
// servers read on but makes their writes to these tables wait for the rotation's end. All of them
// at once, always in this order, so two rotations cannot deadlock each other. (SQLite: the write
// transaction already excludes every other writer.)
constexpr char kLockAllTables[] =
    "LOCK TABLE client_data_keys, users, break_glass_grants, outbound_messages, "
    "audit_signing_keys IN SHARE ROW EXCLUSIVE MODE";

}  // namespace

absl::StatusOr<std::vector<MasterSealedValue>> SociMasterSealedValueRepository::List(
    MasterSealedColumn column) {
  const ColumnSql where = SqlOf(column);
  try {
    if (sql_.get_backend_name() == "postgresql") {
      // Taken again by later calls in the same transaction: a no-op.
      sql_ << kLockAllTables;
    }
    std::vector<MasterSealedValue> values;
    MasterSealedValue row;
    soci::statement st =
        (sql_.prepare << absl::StrCat("SELECT clinic_id, ", where.id, ", ", where.value, " FROM ",
                                      where.table, " WHERE ", where.value, " <> '' ORDER BY ",
                                      "clinic_id, ", where.id),
         soci::into(row.clinic_id), soci::into(row.row_id), soci::into(row.sealed));
    st.execute();
    while (st.fetch()) {
      values.push_back(row);
    }
    return values;
  } catch (const std::exception& e) {
    return StatusFromException(e, absl::StrCat("master_sealed_values.list ", where.table));
  }
}

absl::Status SociMasterSealedValueRepository::Replace(MasterSealedColumn column,
                                                      const MasterSealedValue& value,
                                                      std::string_view resealed) {
  const ColumnSql where = SqlOf(column);
  try {
    std::string new_value(resealed), clinic = value.clinic_id, id = value.row_id,
                                     old_value = value.sealed;
    soci::statement st =
        (sql_.prepare << absl::StrCat("UPDATE ", where.table, " SET ", where.value,
                                      " = :new_value WHERE clinic_id = :clinic_id AND ", where.id,
                                      " = :id AND ", where.value, " = :old_value"),
         soci::use(new_value), soci::use(clinic), soci::use(id), soci::use(old_value));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::AbortedError(absl::StrCat(std::string(MasterSealedColumnName(column)),
                                             " of row ", id,
                                             " changed during the rotation; run it again"));
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, absl::StrCat("master_sealed_values.replace ", where.table));
  }
}

}  // namespace confide::persistence
