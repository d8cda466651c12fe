#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "confide/v1/auth.pb.h"

namespace confide {

// A user account as stored: the public profile plus what sign-in needs.
struct UserRecord {
  v1::User user;
  std::string password_hash;
  bool active = true;
};

// Staff, patient and partner accounts. Emails are unique across the deployment (sign-in names no
// clinic) and compared lowercase.
class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // Returns the account with this email, or nullopt.
  virtual absl::StatusOr<std::optional<UserRecord>> FindByEmail(std::string_view email) = 0;
  // Returns the account with this id, or nullopt.
  virtual absl::StatusOr<std::optional<UserRecord>> FindById(std::string_view user_id) = 0;
  // Stores a new account; ALREADY_EXISTS when the email is taken.
  virtual absl::Status Insert(const UserRecord& record, absl::Time now) = 0;
  // Replaces the password hash of an existing account; NOT_FOUND when there is none.
  virtual absl::Status UpdatePasswordHash(std::string_view user_id,
                                          std::string_view password_hash) = 0;
};

}  // namespace confide
