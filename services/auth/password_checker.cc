#include "services/auth/password_checker.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "services/api/field_errors.h"
#include "services/common/text_checks.h"

namespace confide {
namespace {

constexpr size_t kMinPasswordLength = 12;
// Long enough for any passphrase, short enough that hashing cannot be used to burn CPU.
constexpr size_t kMaxPasswordLength = 256;

absl::Status Busy() {
  return absl::ResourceExhaustedError("too many sign-ins at once; retry in a few seconds");
}

}  // namespace

PasswordChecker::PasswordChecker(PasswordHasher& hasher, SecretGenerator& secrets,
                                 SignInLimits limits)
    : hasher_(hasher), max_wait_(limits.max_wait), slots_(std::max(1, limits.max_concurrent)) {
  absl::StatusOr<std::string> dummy = hasher_.Hash(secrets.NewSessionToken());
  if (!dummy.ok()) {
    std::fprintf(stderr, "auth: cannot compute the dummy password hash: %s\n",
                 dummy.status().ToString().c_str());
    std::abort();
  }
  dummy_hash_ = *std::move(dummy);
}

absl::StatusOr<bool> PasswordChecker::Verify(std::string_view password,
                                             std::string_view encoded_hash) {
  if (!slots_.try_acquire_for(absl::ToChronoMilliseconds(max_wait_))) {
    return Busy();
  }
  const bool known = !encoded_hash.empty();
  const bool matches = hasher_.Verify(password, known ? encoded_hash : dummy_hash_);
  slots_.release();
  return known && matches;
}

absl::StatusOr<std::string> PasswordChecker::Hash(std::string_view password) {
  if (!slots_.try_acquire_for(absl::ToChronoMilliseconds(max_wait_))) {
    return Busy();
  }
  absl::StatusOr<std::string> hash = hasher_.Hash(password);
  slots_.release();
  return hash;
}

absl::Status CheckNewPassword(std::string_view password, std::string_view field) {
  if (password.size() < kMinPasswordLength || password.size() > kMaxPasswordLength ||
      !IsValidUtf8(password)) {
    return InvalidField(field, "must be 12 to 256 characters");
  }
  return absl::OkStatus();
}

}  // namespace confide
