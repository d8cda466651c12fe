#include "adapters/crypto/argon2_password_hasher.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

// The smallest costs libargon2 accepts comfortably, so the suite stays fast.
Argon2Params FastParams() {
  Argon2Params params;
  params.time_cost = 1;
  params.memory_kib = 1024;
  params.parallelism = 1;
  return params;
}

TEST(Argon2PasswordHasherTest, HashIsArgon2idPhcStringWithConfiguredCosts) {
  Argon2PasswordHasher hasher(FastParams());
  absl::StatusOr<std::string> hash = hasher.Hash("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << *hash;
}

TEST(Argon2PasswordHasherTest, VerifyAcceptsThePasswordThatWasHashed) {
  Argon2PasswordHasher hasher(FastParams());
  absl::StatusOr<std::string> hash = hasher.Hash("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_TRUE(hasher.Verify("correct horse battery staple", *hash));
}

TEST(Argon2PasswordHasherTest, VerifyRejectsAWrongPassword) {
  Argon2PasswordHasher hasher(FastParams());
  absl::StatusOr<std::string> hash = hasher.Hash("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_FALSE(hasher.Verify("correct horse battery stapler", *hash));
  EXPECT_FALSE(hasher.Verify("", *hash));
}

TEST(Argon2PasswordHasherTest, VerifyReturnsFalseForMalformedHashes) {
  Argon2PasswordHasher hasher(FastParams());
  EXPECT_FALSE(hasher.Verify("secret", ""));
  EXPECT_FALSE(hasher.Verify("secret", "not a hash"));
  EXPECT_FALSE(hasher.Verify("secret", "$argon2id$v=19$m=1024,t=1,p=1$"));
  EXPECT_FALSE(hasher.Verify("secret", "$argon2id$v=19$m=1024,t=1,p=1$!!!!$????"));
  // Another algorithm's PHC string is not an argon2id hash.
  EXPECT_FALSE(
      hasher.Verify("secret", "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"));
}

// libargon2 reads a C string; bytes after a NUL must not be ignored into a successful match.
TEST(Argon2PasswordHasherTest, VerifyRejectsAValidHashFollowedByANulAndTrailingBytes) {
  Argon2PasswordHasher hasher(FastParams());
  absl::StatusOr<std::string> hash = hasher.Hash("secret");
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_FALSE(hasher.Verify("secret", *hash + std::string(1, '\0') + "trailing"));
}

TEST(Argon2PasswordHasherTest, HashingTheSamePasswordTwiceGivesDifferentHashes) {
  Argon2PasswordHasher hasher(FastParams());
  absl::StatusOr<std::string> first = hasher.Hash("secret");
  absl::StatusOr<std::string> second = hasher.Hash("secret");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_NE(*first, *second);
  EXPECT_TRUE(hasher.Verify("secret", *first));
  EXPECT_TRUE(hasher.Verify("secret", *second));
}

TEST(Argon2PasswordHasherTest, EmptyPasswordHashesAndVerifies) {
  Argon2PasswordHasher hasher(FastParams());
  absl::StatusOr<std::string> hash = hasher.Hash("");
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_TRUE(hasher.Verify("", *hash));
  EXPECT_FALSE(hasher.Verify("x", *hash));
}

// More callers than slots must queue, not fail.
TEST(Argon2PasswordHasherTest, CallersBeyondMaxConcurrentWaitAndAllSucceed) {
  Argon2Params params = FastParams();
  params.max_concurrent = 1;
  Argon2PasswordHasher hasher(params);
  constexpr int kCallers = 8;
  std::vector<int> verified(kCallers, 0);  // Not vector<bool>: callers write concurrently.
  std::vector<std::thread> callers;
  callers.reserve(kCallers);
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&hasher, &verified, i] {
      const std::string password = "password-" + std::to_string(i);
      absl::StatusOr<std::string> hash = hasher.Hash(password);
      verified[i] = hash.ok() && hasher.Verify(password, *hash);
    });
  }
  for (std::thread& caller : callers) {
    caller.join();
  }
  for (int i = 0; i < kCallers; ++i) {
    EXPECT_TRUE(verified[i]) << "caller " << i;
  }
}

TEST(Argon2PasswordHasherDeathTest, InvalidParamsStopTheServerAtConstruction) {
  Argon2Params no_slots = FastParams();
  no_slots.max_concurrent = 0;
  EXPECT_DEATH(Argon2PasswordHasher{no_slots}, "max_concurrent");

  Argon2Params too_little_memory = FastParams();
  too_little_memory.memory_kib = 4;
  EXPECT_DEATH(Argon2PasswordHasher{too_little_memory}, "memory_kib");
}

}  // namespace
namespace {

TEST(Argon2RehashTest, HashFromOtherCostsNeedsRehashAndOwnHashDoesNot) {
  Argon2PasswordHasher cheap({.time_cost = 1, .memory_kib = 1024});
  Argon2PasswordHasher stronger({.time_cost = 2, .memory_kib = 2048});
  absl::StatusOr<std::string> hash = cheap.Hash("correct horse");
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(cheap.NeedsRehash(*hash));
  EXPECT_TRUE(stronger.NeedsRehash(*hash));
  EXPECT_TRUE(cheap.NeedsRehash("not a hash"));
}

}  // namespace
}  // namespace confide
