#include "adapters/crypto/openssl_checkpoint_signer.h"

#include <openssl/evp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"

namespace confide {
namespace {

constexpr size_t kKeySize = 32;
constexpr size_t kSignatureSize = 64;

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

absl::StatusOr<Ed25519KeyPair> OpenSslCheckpointSigner::GenerateKey() const {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    return absl::InternalError("cannot generate an Ed25519 key");
  }
  Pkey key(raw);
  Ed25519KeyPair pair;
  pair.private_key.resize(kKeySize);
  pair.public_key.resize(kKeySize);
  size_t private_size = kKeySize;
  size_t public_size = kKeySize;
  if (EVP_PKEY_get_raw_private_key(key.get(),
                                   reinterpret_cast<unsigned char*>(pair.private_key.data()),
                                   &private_size) != 1 ||
      EVP_PKEY_get_raw_public_key(
          key.get(), reinterpret_cast<unsigned char*>(pair.public_key.data()), &public_size) != 1 ||
      private_size != kKeySize || public_size != kKeySize) {
    return absl::InternalError("cannot read the Ed25519 key");
  }
  return pair;
}

absl::StatusOr<std::string> OpenSslCheckpointSigner::Sign(std::string_view private_key,
                                                          std::string_view message) const {
  if (private_key.size() != kKeySize) {
    return absl::InvalidArgumentError("an Ed25519 private key is 32 bytes");
  }
  Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, Bytes(private_key),
                                        private_key.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  std::string signature(kSignatureSize, '\0');
  size_t size = kSignatureSize;
  if (!key || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     Bytes(message), message.size()) != 1 ||
      size != kSignatureSize) {
    return absl::InternalError("cannot sign with Ed25519");
  }
  return signature;
}

bool OpenSslCheckpointSigner::Verify(std::string_view public_key, std::string_view message,
                                     std::string_view signature) const {
  if (public_key.size() != kKeySize || signature.size() != kSignatureSize) {
    return false;
  }
  Pkey key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, Bytes(public_key), public_key.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  return key && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(message),
                          message.size()) == 1;
}

}  // namespace confide
