#pragma once

#include "services/auth/ports/user_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Accounts in the `users` table, and their recovery codes in `recovery_codes`.
class SociUserRepository final : public UserRepository {
 public:
  explicit SociUserRepository(soci::session& sql) : sql_(sql) {}

  absl::StatusOr<std::optional<UserRecord>> FindByEmail(std::string_view email) override;
  absl::StatusOr<std::optional<UserRecord>> FindById(std::string_view user_id) override;
  absl::StatusOr<std::optional<UserRecord>> FindPatientOfClient(
      std::string_view clinic_id, std::string_view client_id) override;
  absl::StatusOr<std::vector<UserRecord>> List(const UserQuery& query) override;
  absl::Status Insert(const UserRecord& record, absl::Time now) override;
  absl::Status UpdatePasswordHash(std::string_view user_id,
                                  std::string_view password_hash) override;
  absl::Status SetActive(std::string_view user_id, bool active, absl::Time now) override;
  absl::Status UpdateTotpSecrets(std::string_view user_id, std::string_view secret_sealed,
                                 std::string_view pending_sealed) override;
  absl::StatusOr<bool> AdvanceTotpStep(std::string_view user_id, int64_t step) override;
  absl::Status ReplaceRecoveryCodes(std::string_view user_id,
                                    const std::vector<std::string>& code_digests) override;
  absl::StatusOr<bool> UseRecoveryCode(std::string_view user_id, std::string_view code_digest,
                                       absl::Time now) override;
  absl::StatusOr<int> CountUnusedRecoveryCodes(std::string_view user_id) override;

 private:
  absl::StatusOr<std::optional<UserRecord>> FindWhere(const char* column, std::string_view value);

  soci::session& sql_;
};

}  // namespace confide::persistence
