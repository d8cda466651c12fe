#include "adapters/persistence/soci_session_repository.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kColumns[] =
    "id, token_digest, user_id, clinic_id, create_time, expire_time, revoke_time, "
    "last_seen_time, idle_timeout_micros, mfa_verified, source_address";

// One row of `sessions` as soci binds it.
struct SessionRow {
  std::string id, token_digest, user_id, clinic_id, source_address;
  long long create_time = 0, expire_time = 0, revoke_time = 0, last_seen_time = 0,
            idle_timeout_micros = 0;
  int mfa_verified = 0;

  SessionRecord ToRecord() const {
    SessionRecord session{.id = id,
                          .token_digest = token_digest,
                          .user_id = user_id,
                          .clinic_id = clinic_id,
                          .create_time = absl::FromUnixMicros(create_time),
                          .expire_time = absl::FromUnixMicros(expire_time),
                          .last_seen_time = absl::FromUnixMicros(last_seen_time),
                          .idle_timeout = absl::Microseconds(idle_timeout_micros),
                          .mfa_verified = mfa_verified != 0,
                          .source_address = source_address};
    if (revoke_time != 0) {
      session.revoke_time = absl::FromUnixMicros(revoke_time);
    }
    return session;
  }
};

// Binds the columns of kColumns, in order, into `row`.
void BindInto(soci::statement& st, SessionRow& row) {
  st.exchange(soci::into(row.id));
  st.exchange(soci::into(row.token_digest));
  st.exchange(soci::into(row.user_id));
  st.exchange(soci::into(row.clinic_id));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.expire_time));
  st.exchange(soci::into(row.revoke_time));
  st.exchange(soci::into(row.last_seen_time));
  st.exchange(soci::into(row.idle_timeout_micros));
  st.exchange(soci::into(row.mfa_verified));
  st.exchange(soci::into(row.source_address));
}

}  // namespace

absl::Status SociSessionRepository::Insert(const SessionRecord& session) {
  try {
    std::string id = session.id, digest = session.token_digest, user_id = session.user_id,
                clinic_id = session.clinic_id, source_address = session.source_address;
    long long create_time = absl::ToUnixMicros(session.create_time),
              expire_time = absl::ToUnixMicros(session.expire_time),
              revoke_time = session.revoke_time ? absl::ToUnixMicros(*session.revoke_time) : 0,
              last_seen_time = absl::ToUnixMicros(session.last_seen_time),
              idle_timeout = absl::ToInt64Microseconds(session.idle_timeout);
    int mfa_verified = session.mfa_verified ? 1 : 0;
    sql_ << "INSERT INTO sessions (id, token_digest, user_id, clinic_id, create_time, "
            "expire_time, revoke_time, last_seen_time, idle_timeout_micros, mfa_verified, "
            "source_address) VALUES (:id, :digest, :user_id, :clinic_id, :create_time, "
            ":expire_time, :revoke_time, :last_seen_time, :idle_timeout, :mfa_verified, "
            ":source_address)",
        soci::use(id), soci::use(digest), soci::use(user_id), soci::use(clinic_id),
        soci::use(create_time), soci::use(expire_time), soci::use(revoke_time),
        soci::use(last_seen_time), soci::use(idle_timeout), soci::use(mfa_verified),
        soci::use(source_address);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "sessions.insert");
  }
}

absl::StatusOr<std::optional<SessionRecord>> SociSessionRepository::FindByDigest(
    std::string_view digest) {
  try {
    std::string key(digest);
    SessionRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(key, "digest"));
    st.alloc();
    st.prepare(absl::StrCat("SELECT ", kColumns, " FROM sessions WHERE token_digest = :digest"));
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.ToRecord();
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

absl::StatusOr<int> SociSessionRepository::RevokeAllOfUser(std::string_view user_id,
                                                           std::string_view keep_session_id,
                                                           absl::Time when) {
  try {
    std::string user(user_id), keep(keep_session_id);
    long long revoke_time = absl::ToUnixMicros(when);
    // Sessions already past their absolute expiry are dead anyway: left alone and not counted.
    soci::statement st =
        (sql_.prepare << "UPDATE sessions SET revoke_time = :when WHERE user_id = :user_id "
                         "AND revoke_time = 0 AND expire_time > :now AND id <> :keep",
         soci::use(revoke_time), soci::use(user), soci::use(revoke_time), soci::use(keep));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
  } catch (const std::exception& e) {
    return StatusFromException(e, "sessions.revoke_all_of_user");
  }
}

absl::Status SociSessionRepository::Touch(std::string_view session_id, absl::Time when) {
  try {
    std::string id(session_id);
    long long last_seen_time = absl::ToUnixMicros(when);
    // Never backwards: of two overlapping requests the one that commits last may be the older.
    sql_ << "UPDATE sessions SET last_seen_time = :when WHERE id = :id "
            "AND last_seen_time < :when_again",
        soci::use(last_seen_time), soci::use(id), soci::use(last_seen_time);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "sessions.touch");
  }
}

absl::Status SociSessionRepository::MarkMfaVerified(std::string_view session_id) {
  try {
    std::string id(session_id);
    soci::statement st =
        (sql_.prepare << "UPDATE sessions SET mfa_verified = 1 WHERE id = :id", soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::NotFoundError("no such session");
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "sessions.mark_mfa_verified");
  }
}

absl::StatusOr<std::vector<SessionRecord>> SociSessionRepository::ListLiveOfUser(
    std::string_view user_id, absl::Time now) {
  try {
    std::string user(user_id);
    long long now_micros = absl::ToUnixMicros(now);
    SessionRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(user, "user_id"));
    st.exchange(soci::use(now_micros, "now"));
    st.alloc();
    st.prepare(absl::StrCat("SELECT ", kColumns,
                            " FROM sessions WHERE user_id = :user_id AND revoke_time = 0"
                            " AND expire_time > :now ORDER BY create_time DESC, id DESC"
                            " LIMIT 100"));
    st.define_and_bind();
    std::vector<SessionRecord> sessions;
    st.execute();
    while (st.fetch()) {
      sessions.push_back(row.ToRecord());
    }
    return sessions;
  } catch (const std::exception& e) {
    return StatusFromException(e, "sessions.list_live_of_user");
  }
}

}  // namespace confide::persistence
