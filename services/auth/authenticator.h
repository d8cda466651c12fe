#pragma once

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/auth/ports/secret_generator.h"
#include "services/auth/ports/session_repository.h"
#include "services/common/principal.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// A caller established from a live session.
struct Authentication {
  Principal principal;
  // The session's last-seen time is old enough to be worth recording (see kTouchInterval).
  bool touch_due = false;
};

// Turns a bearer token into the caller's principal. Every failure is the same UNAUTHENTICATED
// answer, so a caller learns nothing about which part was wrong.
class Authenticator {
 public:
  // Activity is recorded at most this often per session, so reads do not each cost a write; the
  // idle timeout is therefore enforced to within this interval.
  static constexpr absl::Duration kTouchInterval = absl::Seconds(30);

  explicit Authenticator(const SecretGenerator& secrets) : secrets_(secrets) {}

  // Returns the principal of a live session: not revoked, before its absolute expiry, used
  // within its idle timeout, of an active account (and, for partners, a live partner link).
  // Service accounts' tokens are accepted only when `over_grpc`. When the token names a stored
  // session that is refused (ended, expired, idle, account deactivated), `refused` receives it,
  // so the attempt can be audited under that account.
  absl::StatusOr<Authentication> Authenticate(
      UnitOfWork& uow, std::string_view bearer_token, absl::Time now, bool over_grpc,
      std::optional<SessionRecord>* refused = nullptr) const;

 private:
  const SecretGenerator& secrets_;
};

}  // namespace confide
