#pragma once

#include "services/auth/ports/one_time_token_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Invitations and password resets in the `one_time_tokens` table (token digests only). Emails
// are stored and compared lowercase, as in `users`.
class SociOneTimeTokenRepository final : public OneTimeTokenRepository {
 public:
  explicit SociOneTimeTokenRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const OneTimeTokenRecord& record) override;
  absl::StatusOr<std::optional<OneTimeTokenRecord>> FindByDigest(std::string_view digest) override;
  absl::StatusOr<bool> MarkUsed(std::string_view id, absl::Time when) override;
  absl::Status RevokeOutstanding(const OneTimeTokenRecord& like, absl::Time when) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
