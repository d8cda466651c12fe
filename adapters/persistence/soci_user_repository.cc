#include "adapters/persistence/soci_user_repository.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kColumns[] =
    "id, clinic_id, email, display_name, role, discipline, client_id, password_hash, active, "
    "totp_secret_sealed, totp_pending_sealed, totp_last_step";

// One row of `users` as soci binds it, every column into a typed variable.
struct UserRow {
  std::string id, clinic_id, email, display_name, client_id, password_hash, totp_secret_sealed,
      totp_pending_sealed;
  int role = 0, discipline = 0, active = 0;
  long long totp_last_step = 0;

  UserRecord ToRecord() const {
    UserRecord record;
    record.user.set_id(id);
    record.user.set_clinic_id(clinic_id);
    record.user.set_email(email);
    record.user.set_display_name(display_name);
    record.user.set_role(static_cast<v1::Role>(role));
    record.user.set_discipline(static_cast<v1::Discipline>(discipline));
    record.user.set_client_id(client_id);
    record.password_hash = password_hash;
    record.active = active != 0;
    record.totp_secret_sealed = totp_secret_sealed;
    record.totp_pending_sealed = totp_pending_sealed;
    record.totp_last_step = totp_last_step;
    return record;
  }
};

// Binds the columns of kColumns, in order, into `row`.
void BindInto(soci::statement& st, UserRow& row) {
  st.exchange(soci::into(row.id));
  st.exchange(soci::into(row.clinic_id));
  st.exchange(soci::into(row.email));
  st.exchange(soci::into(row.display_name));
  st.exchange(soci::into(row.role));
  st.exchange(soci::into(row.discipline));
  st.exchange(soci::into(row.client_id));
  st.exchange(soci::into(row.password_hash));
  st.exchange(soci::into(row.active));
  st.exchange(soci::into(row.totp_secret_sealed));
  st.exchange(soci::into(row.totp_pending_sealed));
  st.exchange(soci::into(row.totp_last_step));
}

}  // namespace

absl::StatusOr<std::optional<UserRecord>> SociUserRepository::FindByEmail(std::string_view email) {
  return FindWhere("email", absl::AsciiStrToLower(std::string(email)));
}

absl::StatusOr<std::optional<UserRecord>> SociUserRepository::FindById(std::string_view user_id) {
  return FindWhere("id", user_id);
}

absl::StatusOr<std::optional<UserRecord>> SociUserRepository::FindWhere(const char* column,
                                                                        std::string_view value) {
  try {
    std::string key(value);
    UserRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(key, "key"));
    st.alloc();
    // `column` is one of two literals chosen above, never input.
    st.prepare(absl::StrCat("SELECT ", kColumns, " FROM users WHERE ", column, " = :key"));
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.ToRecord();
  } catch (const std::exception& e) {
    return StatusFromException(e, "users.find");
  }
}

absl::StatusOr<std::optional<UserRecord>> SociUserRepository::FindPatientOfClient(
    std::string_view clinic_id, std::string_view client_id) {
  try {
    std::string clinic(clinic_id), client(client_id);
    int patient = v1::ROLE_PATIENT;
    UserRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(clinic, "clinic_id"));
    st.exchange(soci::use(client, "client_id"));
    st.exchange(soci::use(patient, "role"));
    st.alloc();
    st.prepare(absl::StrCat("SELECT ", kColumns,
                            " FROM users WHERE clinic_id = :clinic_id AND client_id = :client_id"
                            " AND role = :role ORDER BY id LIMIT 1"));
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.ToRecord();
  } catch (const std::exception& e) {
    return StatusFromException(e, "users.find_patient_of_client");
  }
}

absl::StatusOr<std::vector<UserRecord>> SociUserRepository::List(const UserQuery& query) {
  try {
    std::string clinic = query.clinic_id, after = query.after_id;
    int limit = query.limit;
    // The IN list is built from enum numbers, never from input text.
    std::string role_filter;
    if (!query.roles.empty()) {
      std::string numbers;
      for (v1::Role role : query.roles) {
        absl::StrAppend(&numbers, numbers.empty() ? "" : ", ", static_cast<int>(role));
      }
      role_filter = absl::StrCat(" AND role IN (", numbers, ")");
    }
    UserRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(clinic, "clinic_id"));
    st.exchange(soci::use(after, "after_id"));
    st.exchange(soci::use(limit, "limit"));
    st.alloc();
    st.prepare(absl::StrCat("SELECT ", kColumns,
                            " FROM users WHERE clinic_id = :clinic_id AND id > :after_id",
                            role_filter, " ORDER BY id LIMIT :limit"));
    st.define_and_bind();
    std::vector<UserRecord> records;
    st.execute();
    while (st.fetch()) {
      records.push_back(row.ToRecord());
    }
    return records;
  } catch (const std::exception& e) {
    return StatusFromException(e, "users.list");
  }
}

absl::Status SociUserRepository::Insert(const UserRecord& record, absl::Time now) {
  try {
    const v1::User& u = record.user;
    std::string id = u.id(), clinic_id = u.clinic_id(), email = absl::AsciiStrToLower(u.email()),
                display_name = u.display_name(), client_id = u.client_id(),
                password_hash = record.password_hash, totp_secret = record.totp_secret_sealed,
                totp_pending = record.totp_pending_sealed;
    int role = u.role(), discipline = u.discipline(), active = record.active ? 1 : 0;
    long long totp_last_step = record.totp_last_step;
    long long create_time = absl::ToUnixMicros(now);
    sql_ << "INSERT INTO users (id, clinic_id, email, display_name, role, discipline, client_id, "
            "password_hash, active, totp_secret_sealed, totp_pending_sealed, totp_last_step, "
            "create_time, update_time) VALUES (:id, :clinic_id, :email, :display_name, :role, "
            ":discipline, :client_id, :password_hash, :active, :totp_secret, :totp_pending, "
            ":totp_last_step, :create_time, :update_time)",
        soci::use(id), soci::use(clinic_id), soci::use(email), soci::use(display_name),
        soci::use(role), soci::use(discipline), soci::use(client_id), soci::use(password_hash),
        soci::use(active), soci::use(totp_secret), soci::use(totp_pending),
        soci::use(totp_last_step), soci::use(create_time), soci::use(create_time);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "users.insert");
  }
}

absl::Status SociUserRepository::UpdatePasswordHash(std::string_view user_id,
                                                    std::string_view password_hash) {
  try {
    std::string id(user_id), hash(password_hash);
    soci::statement st = (sql_.prepare << "UPDATE users SET password_hash = :hash WHERE id = :id",
                          soci::use(hash), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::NotFoundError("no such account");
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "users.update_password_hash");
  }
}

absl::Status SociUserRepository::SetActive(std::string_view user_id, bool active, absl::Time now) {
  try {
    std::string id(user_id);
    int value = active ? 1 : 0;
    long long update_time = absl::ToUnixMicros(now);
    soci::statement st =
        (sql_.prepare << "UPDATE users SET active = :active, update_time = :now WHERE id = :id",
         soci::use(value), soci::use(update_time), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::NotFoundError("no such account");
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "users.set_active");
  }
}

absl::Status SociUserRepository::UpdateTotpSecrets(std::string_view user_id,
                                                   std::string_view secret_sealed,
                                                   std::string_view pending_sealed) {
  try {
    std::string id(user_id), secret(secret_sealed), pending(pending_sealed);
    soci::statement st = (sql_.prepare << "UPDATE users SET totp_secret_sealed = :secret, "
                                          "totp_pending_sealed = :pending WHERE id = :id",
                          soci::use(secret), soci::use(pending), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::NotFoundError("no such account");
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "users.update_totp_secrets");
  }
}

absl::StatusOr<bool> SociUserRepository::AdvanceTotpStep(std::string_view user_id, int64_t step) {
  try {
    std::string id(user_id);
    long long new_step = step;
    // Conditional in the database, so of two concurrent sign-ins with one code only one wins.
    soci::statement st = (sql_.prepare << "UPDATE users SET totp_last_step = :step WHERE id = :id "
                                          "AND totp_last_step < :step_again",
                          soci::use(new_step), soci::use(id), soci::use(new_step));
    st.execute(true);
    return st.get_affected_rows() == 1;
  } catch (const std::exception& e) {
    return StatusFromException(e, "users.advance_totp_step");
  }
}

absl::Status SociUserRepository::ReplaceRecoveryCodes(
    std::string_view user_id, const std::vector<std::string>& code_digests) {
  try {
    std::string id(user_id);
    sql_ << "DELETE FROM recovery_codes WHERE user_id = :id", soci::use(id);
    std::string digest;
    soci::statement insert =
        (sql_.prepare << "INSERT INTO recovery_codes (user_id, code_digest, use_time) "
                         "VALUES (:id, :digest, 0)",
         soci::use(id), soci::use(digest));
    for (const std::string& code_digest : code_digests) {
      digest = code_digest;
      insert.execute(true);
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "users.replace_recovery_codes");
  }
}

absl::StatusOr<bool> SociUserRepository::UseRecoveryCode(std::string_view user_id,
                                                         std::string_view code_digest,
                                                         absl::Time now) {
  try {
    std::string id(user_id), digest(code_digest);
    long long use_time = absl::ToUnixMicros(now);
    soci::statement st =
        (sql_.prepare << "UPDATE recovery_codes SET use_time = :now WHERE user_id = :id "
                         "AND code_digest = :digest AND use_time = 0",
         soci::use(use_time), soci::use(id), soci::use(digest));
    st.execute(true);
    return st.get_affected_rows() == 1;
  } catch (const std::exception& e) {
    return StatusFromException(e, "users.use_recovery_code");
  }
}

absl::StatusOr<int> SociUserRepository::CountUnusedRecoveryCodes(std::string_view user_id) {
  try {
    std::string id(user_id);
    long long count = 0;
    sql_ << "SELECT COUNT(*) FROM recovery_codes WHERE user_id = :id AND use_time = 0",
        soci::use(id), soci::into(count);
    return static_cast<int>(count);
  } catch (const std::exception& e) {
    return StatusFromException(e, "users.count_unused_recovery_codes");
  }
}

}  // namespace confide::persistence
