#include "adapters/crypto/openssl_message_authenticator.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace confide {
namespace {

[[noreturn]] void AbortOnOpenSslFailure(const char* what) {
  char detail[256];
  ERR_error_string_n(ERR_get_error(), detail, sizeof(detail));
  std::fprintf(stderr, "confide: fatal: OpenSSL %s failed (%s); refusing to check codes\n", what,
               detail);
  std::abort();
}

}  // namespace

std::string OpenSslMessageAuthenticator::HmacSha1(std::string_view key,
                                                  std::string_view message) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  // HMAC() takes an int key length; a key past that is no one's TOTP secret.
  if (key.size() > static_cast<size_t>(INT32_MAX) ||
      HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac,
           &mac_size) == nullptr) {
    AbortOnOpenSslFailure("HMAC(SHA-1)");
  }
  return std::string(reinterpret_cast<const char*>(mac), mac_size);
}

}  // namespace confide
