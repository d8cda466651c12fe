#pragma once

#include <semaphore>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/auth.pb.h"
#include "google/protobuf/empty.pb.h"
#include "services/api/method_table.h"
#include "services/auth/ports/password_hasher.h"
#include "services/auth/ports/secret_generator.h"
#include "services/common/id_generator.h"

namespace confide {

struct SessionLifetimes {
  absl::Duration staff = absl::Hours(8);
  absl::Duration patient = absl::Hours(24 * 30);
};

// How many password checks may run at once, and how long a sign-in waits for a turn before it
// is told to retry. argon2id is slow and memory-hungry on purpose; without this a flood of
// sign-ins would occupy every executor worker and starve clinical requests.
struct SignInLimits {
  int max_concurrent = 2;
  absl::Duration max_wait = absl::Seconds(2);
};

// Sign-in and sign-out.
class AuthService {
 public:
  // Hashes a throwaway password once, so unknown emails cost the same verification time as
  // known ones and sign-in timing does not reveal which accounts exist.
  AuthService(PasswordHasher& hasher, SecretGenerator& secrets, IdGenerator& ids,
              SessionLifetimes lifetimes, SignInLimits limits = {});

  // Looks the account up and checks the password, outside any transaction (argon2id is slow on
  // purpose); leaves the user id for Login.
  absl::Status VerifyPassword(const v1::LoginRequest& request, PrepareScope& scope);
  // Opens a session for the account VerifyPassword accepted.
  absl::StatusOr<v1::LoginResponse> Login(const v1::LoginRequest& request, RequestScope& scope);
  absl::StatusOr<google::protobuf::Empty> Logout(const v1::LogoutRequest& request,
                                                 RequestScope& scope);

  // Adds Login and Logout to `table`.
  void Register(MethodTable& table);

 private:
  PasswordHasher& hasher_;
  SecretGenerator& secrets_;
  IdGenerator& ids_;
  SessionLifetimes lifetimes_;
  std::string dummy_hash_;
  absl::Duration max_wait_;
  std::counting_semaphore<> sign_in_slots_;
};

}  // namespace confide
