#pragma once

#include "services/auth/ports/sign_in_throttle_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Failed sign-in counters in the `sign_in_throttle` table.
class SociSignInThrottleRepository final : public SignInThrottleRepository {
 public:
  explicit SociSignInThrottleRepository(soci::session& sql) : sql_(sql) {}

  absl::StatusOr<std::optional<ThrottleRecord>> Find(std::string_view key) override;
  absl::Status Put(const ThrottleRecord& record) override;
  absl::Status Clear(std::string_view key) override;
  absl::Status ForgetOlderThan(absl::Time cutoff) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
