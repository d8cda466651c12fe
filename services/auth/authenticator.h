#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/auth/ports/secret_generator.h"
#include "services/common/principal.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// Turns a bearer token into the caller's principal. Every failure is the same UNAUTHENTICATED
// answer, so a caller learns nothing about which part was wrong.
class Authenticator {
 public:
  explicit Authenticator(const SecretGenerator& secrets) : secrets_(secrets) {}

  // Returns the principal of a live session (not revoked, not expired, account active).
  absl::StatusOr<Principal> Authenticate(UnitOfWork& uow, std::string_view bearer_token,
                                         absl::Time now) const;

 private:
  const SecretGenerator& secrets_;
};

}  // namespace confide
