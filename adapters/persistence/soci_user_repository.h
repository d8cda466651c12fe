#pragma once

#include "services/auth/ports/user_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Accounts in the `users` table.
class SociUserRepository final : public UserRepository {
 public:
  explicit SociUserRepository(soci::session& sql) : sql_(sql) {}

  absl::StatusOr<std::optional<UserRecord>> FindByEmail(std::string_view email) override;
  absl::StatusOr<std::optional<UserRecord>> FindById(std::string_view user_id) override;
  absl::Status Insert(const UserRecord& record, absl::Time now) override;
  absl::Status UpdatePasswordHash(std::string_view user_id,
                                  std::string_view password_hash) override;

 private:
  absl::StatusOr<std::optional<UserRecord>> FindWhere(const char* column, std::string_view value);

  soci::session& sql_;
};

}  // namespace confide::persistence
