#include "adapters/crypto/openssl_sha256_hasher.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <string>

namespace confide {

std::string OpenSslSha256Hasher::Hash(std::string_view data) const { return Hash3(data, {}, {}); }

std::string OpenSslSha256Hasher::Hash3(std::string_view a, std::string_view b,
                                       std::string_view c) const {
  // SHA256_* is deprecated in OpenSSL 3 for EVP; the EVP context is per call, so this stays
  // thread-safe without locking.
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  unsigned int size = 0;
  const bool ok =
      ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
      EVP_DigestUpdate(ctx, a.data(), a.size()) == 1 &&
      EVP_DigestUpdate(ctx, b.data(), b.size()) == 1 &&
      EVP_DigestUpdate(ctx, c.data(), c.size()) == 1 &&
      EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(digest.data()), &size) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || size != SHA256_DIGEST_LENGTH) {
    std::abort();
  }
  return digest;
}

}  // namespace confide
