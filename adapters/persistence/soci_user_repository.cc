#include "adapters/persistence/soci_user_repository.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {

absl::StatusOr<std::optional<UserRecord>> SociUserRepository::FindByEmail(std::string_view email) {
  return FindWhere("email", absl::AsciiStrToLower(std::string(email)));
}

absl::StatusOr<std::optional<UserRecord>> SociUserRepository::FindById(std::string_view user_id) {
  return FindWhere("id", user_id);
}

absl::StatusOr<std::optional<UserRecord>> SociUserRepository::FindWhere(const char* column,
                                                                        std::string_view value) {
  try {
    std::string key(value), id, clinic_id, email, display_name, client_id, password_hash;
    int role = 0, discipline = 0, active = 0;
    // `column` is one of two literals chosen above, never input.
    sql_ << absl::StrCat(
        "SELECT id, clinic_id, email, display_name, role, discipline, client_id, "
        "password_hash, active FROM users WHERE ",
        column, " = :key"),
        soci::use(key), soci::into(id), soci::into(clinic_id), soci::into(email),
        soci::into(display_name), soci::into(role), soci::into(discipline), soci::into(client_id),
        soci::into(password_hash), soci::into(active);
    if (!sql_.got_data()) {
      return std::nullopt;
    }
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
    return record;
  } catch (const std::exception& e) {
    return StatusFromException(e, "users.find");
  }
}

absl::Status SociUserRepository::Insert(const UserRecord& record, absl::Time now) {
  try {
    const v1::User& u = record.user;
    std::string id = u.id(), clinic_id = u.clinic_id(), email = absl::AsciiStrToLower(u.email()),
                display_name = u.display_name(), client_id = u.client_id(),
                password_hash = record.password_hash;
    int role = u.role(), discipline = u.discipline(), active = record.active ? 1 : 0;
    long long create_time = absl::ToUnixMicros(now);
    sql_ << "INSERT INTO users (id, clinic_id, email, display_name, role, discipline, client_id, "
            "password_hash, active, create_time) VALUES (:id, :clinic_id, :email, :display_name, "
            ":role, :discipline, :client_id, :password_hash, :active, :create_time)",
        soci::use(id), soci::use(clinic_id), soci::use(email), soci::use(display_name),
        soci::use(role), soci::use(discipline), soci::use(client_id), soci::use(password_hash),
        soci::use(active), soci::use(create_time);
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

}  // namespace confide::persistence
