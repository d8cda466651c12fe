#include "adapters/persistence/soci_session_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {

absl::Status SociSessionRepository::Insert(const SessionRecord& session) {
  try {
    std::string id = session.id, digest = session.token_digest, user_id = session.user_id,
                clinic_id = session.clinic_id;
    long long create_time = absl::ToUnixMicros(session.create_time),
              expire_time = absl::ToUnixMicros(session.expire_time);
    sql_ << "INSERT INTO sessions (id, token_digest, user_id, clinic_id, create_time, "
            "expire_time) VALUES (:id, :digest, :user_id, :clinic_id, :create_time, :expire_time)",
        soci::use(id), soci::use(digest), soci::use(user_id), soci::use(clinic_id),
        soci::use(create_time), soci::use(expire_time);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "sessions.insert");
  }
}

absl::StatusOr<std::optional<SessionRecord>> SociSessionRepository::FindByDigest(
    std::string_view digest) {
  try {
    std::string key(digest);
    SessionRecord session;
    long long create_time = 0, expire_time = 0, revoke_time = 0;
    sql_ << "SELECT id, token_digest, user_id, clinic_id, create_time, expire_time, revoke_time "
            "FROM sessions WHERE token_digest = :digest",
        soci::use(key), soci::into(session.id), soci::into(session.token_digest),
        soci::into(session.user_id), soci::into(session.clinic_id), soci::into(create_time),
        soci::into(expire_time), soci::into(revoke_time);
    if (!sql_.got_data()) {
      return std::nullopt;
    }
    session.create_time = absl::FromUnixMicros(create_time);
    session.expire_time = absl::FromUnixMicros(expire_time);
    if (revoke_time != 0) {
      session.revoke_time = absl::FromUnixMicros(revoke_time);
    }
    return session;
  } catch (const std::exception& e) {
    return StatusFromException(e, "sessions.find");
  }
}

absl::Status SociSessionRepository::Revoke(std::string_view session_id, absl::Time when) {
  try {
    std::string id(session_id);
    long long revoke_time = absl::ToUnixMicros(when);
    sql_ << "UPDATE sessions SET revoke_time = :when WHERE id = :id AND revoke_time = 0",
        soci::use(revoke_time), soci::use(id);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "sessions.revoke");
  }
}

}  // namespace confide::persistence
