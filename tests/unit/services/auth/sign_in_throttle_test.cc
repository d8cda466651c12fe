#include "services/auth/sign_in_throttle.h"

#include <string>

#include "adapters/crypto/openssl_message_authenticator.h"
#include "adapters/crypto/openssl_secret_generator.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

// The lockout table names an email by a keyed HMAC, so a leaked table gives no digest of typed
// addresses (or of passwords typed into the email field) to look up or crack offline.
TEST(EmailThrottleKeyTest, IsAKeyedHmacThatNeitherShowsNorPlainlyHashesTheEmail) {
  OpenSslMessageAuthenticator mac;
  OpenSslSecretGenerator secrets;
  LockoutPolicy one;
  one.email_key_secret = "secret-one";
  LockoutPolicy two;
  two.email_key_secret = "secret-two";
  const std::string email = "jo.patient@demo.confide.test";

  const std::string key = EmailThrottleKey(mac, one, email);
  EXPECT_EQ(key, EmailThrottleKey(mac, one, email));
  EXPECT_EQ(key.rfind("email:", 0), 0u);
  EXPECT_EQ(key.size(), std::string("email:").size() + 40);  // hex of 20 bytes
  EXPECT_EQ(key.find(email), std::string::npos);
  EXPECT_NE(key, "email:" + secrets.Digest(email));
  EXPECT_NE(key, EmailThrottleKey(mac, two, email));
  EXPECT_NE(key, EmailThrottleKey(mac, one, "riley.patient@demo.confide.test"));
}

}  // namespace
}  // namespace confide
