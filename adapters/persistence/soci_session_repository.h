#pragma once

#include "services/auth/ports/session_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Sign-in sessions in the `sessions` table (token digests only).
class SociSessionRepository final : public SessionRepository {
 public:
  explicit SociSessionRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const SessionRecord& session) override;
  absl::StatusOr<std::optional<SessionRecord>> FindByDigest(std::string_view digest) override;
  absl::Status Revoke(std::string_view session_id, absl::Time when) override;
  absl::StatusOr<int> RevokeAllOfUser(std::string_view user_id, std::string_view keep_session_id,
                                      absl::Time when) override;
  absl::Status Touch(std::string_view session_id, absl::Time when) override;
  absl::Status MarkMfaVerified(std::string_view session_id) override;
  absl::StatusOr<std::vector<SessionRecord>> ListLiveOfUser(std::string_view user_id,
                                                            absl::Time now) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
