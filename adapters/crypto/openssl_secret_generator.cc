#include "adapters/crypto/openssl_secret_generator.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"

namespace confide {
namespace {

// 256 bits: out of reach of online guessing for the lifetime of any session.
constexpr size_t kTokenBytes = 32;

[[noreturn]] void AbortOnOpenSslFailure(const char* what) {
  char detail[256];
  ERR_error_string_n(ERR_get_error(), detail, sizeof(detail));
  std::fprintf(stderr, "confide: fatal: OpenSSL %s failed (%s); refusing to handle sessions\n",
               what, detail);
  std::abort();
}

}  // namespace

std::string OpenSslSecretGenerator::NewSessionToken() {
  unsigned char bytes[kTokenBytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    AbortOnOpenSslFailure("RAND_bytes");
  }
  // absl's web-safe alphabet is base64url (RFC 4648 section 5) and omits the padding.
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

std::string OpenSslSecretGenerator::RandomBytes(size_t count) {
  std::string bytes(count, '\0');
  // RAND_bytes takes an int count; no caller asks for gigabytes, so larger requests go in pieces.
  size_t filled = 0;
  while (filled < count) {
    const size_t chunk = std::min<size_t>(count - filled, 1 << 20);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data() + filled),
                   static_cast<int>(chunk)) != 1) {
      AbortOnOpenSslFailure("RAND_bytes");
    }
    filled += chunk;
  }
  return bytes;
}

std::string OpenSslSecretGenerator::Digest(std::string_view token) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  // A failure here must not fall back to some constant: every token would share one digest.
  if (EVP_Digest(token.data(), token.size(), digest, &digest_size, EVP_sha256(), nullptr) != 1) {
    AbortOnOpenSslFailure("EVP_Digest(SHA-256)");
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), digest_size));
}

}  // namespace confide
