#include "adapters/crypto/aes_gcm_secret_box.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace confide {
namespace {

constexpr size_t kKeyBytes = 32;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;
constexpr size_t kKeyIdChars = 8;
constexpr std::string_view kVersionPrefix = "v1.";
// A key file is 64 hex characters and perhaps a newline; anything much larger is not one.
constexpr size_t kMaxKeyFileBytes = 4096;

struct CipherContextDeleter {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextDeleter>;

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// Wipes `text` in a way the compiler cannot optimise out.
void Wipe(std::string& text) {
  if (!text.empty()) {
    OPENSSL_cleanse(text.data(), text.size());
  }
}

// Deliberately says nothing about the input: the caller may log the message.
absl::Status Malformed() { return absl::DataLossError("sealed secret is malformed"); }

// Decodes unpadded base64url, refusing anything but its canonical form (one spelling per byte
// string), so a value cannot be altered without the tag check seeing different bytes.
bool DecodeBase64Url(std::string_view text, std::string& bytes) {
  for (const char c : text) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return false;
    }
  }
  return absl::WebSafeBase64Unescape(absl::string_view(text.data(), text.size()), &bytes) &&
         absl::WebSafeBase64Escape(bytes) == text;
}

absl::Status ErrnoStatus(int error_number, const std::string& message) {
  return absl::Status(absl::ErrnoToStatusCode(error_number),
                      absl::StrCat(message, ": ", std::strerror(error_number)));
}

}  // namespace

std::string MasterKeyId(std::string_view key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_Digest(key.data(), key.size(), digest, &digest_size, EVP_sha256(), nullptr) != 1) {
    std::fprintf(stderr, "confide: fatal: OpenSSL EVP_Digest(SHA-256) failed\n");
    std::abort();
  }
  return absl::BytesToHexString(
             absl::string_view(reinterpret_cast<const char*>(digest), digest_size))
      .substr(0, kKeyIdChars);
}

AesGcmSecretBox::AesGcmSecretBox(std::string key, std::vector<std::string> previous_keys) {
  keys_.reserve(1 + previous_keys.size());
  keys_.push_back(Key{std::move(key), ""});
  for (std::string& previous : previous_keys) {
    keys_.push_back(Key{std::move(previous), ""});
  }
  for (Key& k : keys_) {
    if (k.bytes.size() != kKeyBytes) {
      std::fprintf(stderr, "confide: fatal: a master key must be %zu bytes, not %zu\n", kKeyBytes,
                   k.bytes.size());
      std::abort();
    }
    k.id = MasterKeyId(k.bytes);
  }
}

AesGcmSecretBox::~AesGcmSecretBox() {
  for (Key& k : keys_) {
    Wipe(k.bytes);
  }
}

const AesGcmSecretBox::Key* AesGcmSecretBox::FindKey(std::string_view id) const {
  for (const Key& k : keys_) {
    if (k.id == id) {
      return &k;
    }
  }
  return nullptr;
}

absl::StatusOr<std::string> AesGcmSecretBox::Seal(std::string_view plaintext,
                                                  std::string_view context) const {
  if (plaintext.size() > static_cast<size_t>(INT_MAX) - kTagBytes ||
      context.size() > static_cast<size_t>(INT_MAX)) {
    return absl::InternalError("secret too large to seal");
  }
  // nonce || ciphertext || tag; GCM's ciphertext is as long as the plaintext.
  std::string payload(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(payload.data());
  unsigned char* ciphertext = nonce + kNonceBytes;
  if (RAND_bytes(nonce, kNonceBytes) != 1) {
    return absl::InternalError("OpenSSL RAND_bytes failed");
  }
  CipherContext cipher(EVP_CIPHER_CTX_new());
  int length = 0;
  int final_length = 0;
  if (cipher == nullptr ||
      EVP_EncryptInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, Bytes(keys_.front().bytes),
                         nonce) != 1 ||
      EVP_EncryptUpdate(cipher.get(), nullptr, &length, Bytes(context),
                        static_cast<int>(context.size())) != 1 ||
      EVP_EncryptUpdate(cipher.get(), ciphertext, &length, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(cipher.get(), ciphertext + length, &final_length) != 1 ||
      static_cast<size_t>(length) + static_cast<size_t>(final_length) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          ciphertext + plaintext.size()) != 1) {
    ERR_clear_error();
    return absl::InternalError("AES-256-GCM encryption failed");
  }
  return std::string(kVersionPrefix) + keys_.front().id + "." + absl::WebSafeBase64Escape(payload);
}

absl::StatusOr<std::string> AesGcmSecretBox::Open(std::string_view sealed,
                                                  std::string_view context) const {
  if (sealed.substr(0, kVersionPrefix.size()) != kVersionPrefix) {
    return Malformed();
  }
  sealed.remove_prefix(kVersionPrefix.size());
  if (sealed.size() < kKeyIdChars + 1 || sealed[kKeyIdChars] != '.') {
    return Malformed();
  }
  const Key* key = FindKey(sealed.substr(0, kKeyIdChars));
  if (key == nullptr) {
    return absl::DataLossError("secret was sealed under another master key");
  }
  sealed.remove_prefix(kKeyIdChars + 1);
  std::string payload;
  if (!DecodeBase64Url(sealed, payload) || payload.size() < kNonceBytes + kTagBytes ||
      context.size() > static_cast<size_t>(INT_MAX)) {
    return Malformed();
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(payload.data());
  const unsigned char* ciphertext = nonce + kNonceBytes;
  const size_t ciphertext_size = payload.size() - kNonceBytes - kTagBytes;
  // The tag is const in spirit; OpenSSL's ctrl interface just takes a void*.
  unsigned char tag[kTagBytes];
  std::memcpy(tag, ciphertext + ciphertext_size, kTagBytes);

  std::string plaintext(ciphertext_size, '\0');
  CipherContext cipher(EVP_CIPHER_CTX_new());
  if (cipher == nullptr) {
    return absl::InternalError("OpenSSL EVP_CIPHER_CTX_new failed");
  }
  int length = 0;
  int final_length = 0;
  const bool opened =
      EVP_DecryptInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, Bytes(key->bytes), nonce) == 1 &&
      EVP_DecryptUpdate(cipher.get(), nullptr, &length, Bytes(context),
                        static_cast<int>(context.size())) == 1 &&
      EVP_DecryptUpdate(cipher.get(), reinterpret_cast<unsigned char*>(plaintext.data()), &length,
                        ciphertext, static_cast<int>(ciphertext_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag) == 1 &&
      EVP_DecryptFinal_ex(cipher.get(), reinterpret_cast<unsigned char*>(plaintext.data()) + length,
                          &final_length) == 1;
  ERR_clear_error();
  if (!opened) {
    // Never hand back bytes that failed authentication.
    Wipe(plaintext);
    return absl::DataLossError(
        "sealed secret failed authentication (altered, or sealed for another context)");
  }
  return plaintext;
}

absl::StatusOr<std::string> LoadMasterKeyFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return ErrnoStatus(errno, absl::StrCat("cannot open master key file ", path));
  }
  // Checked on the open descriptor, so the file cannot be swapped between check and read.
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    ::close(fd);
    return ErrnoStatus(error, absl::StrCat("cannot stat master key file ", path));
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("master key file ", path, " is not a regular file"));
  }
  if ((info.st_mode & 077) != 0) {
    ::close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("master key file ", path,
                     " is accessible to group or others; restrict it with: chmod 600 ", path));
  }
  std::string content(kMaxKeyFileBytes + 1, '\0');
  size_t size = 0;
  while (size < content.size()) {
    const ssize_t got = ::read(fd, content.data() + size, content.size() - size);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      const int error = errno;
      ::close(fd);
      Wipe(content);
      return ErrnoStatus(error, absl::StrCat("cannot read master key file ", path));
    }
    if (got == 0) {
      break;
    }
    size += static_cast<size_t>(got);
  }
  ::close(fd);
  const absl::string_view hex = absl::StripAsciiWhitespace(absl::string_view(content.data(), size));
  bool all_hex = hex.size() == 2 * kKeyBytes;
  for (const char c : hex) {
    all_hex = all_hex && absl::ascii_isxdigit(static_cast<unsigned char>(c));
  }
  if (!all_hex) {
    Wipe(content);
    return absl::InvalidArgumentError(
        absl::StrCat("master key file ", path, " must hold exactly 64 hex characters (32 bytes)"));
  }
  std::string key = absl::HexStringToBytes(hex);
  Wipe(content);
  return key;
}

absl::Status WriteNewMasterKeyFile(const std::string& path) {
  unsigned char bytes[kKeyBytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    ERR_clear_error();
    return absl::InternalError("OpenSSL RAND_bytes failed");
  }
  std::string content = absl::StrCat(
      absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(bytes), kKeyBytes)),
      "\n");
  OPENSSL_cleanse(bytes, sizeof(bytes));

  // O_EXCL: never replace a key that may already protect stored secrets.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    Wipe(content);
    return ErrnoStatus(error, absl::StrCat("cannot create master key file ", path));
  }
  size_t written = 0;
  int error = 0;
  while (written < content.size()) {
    const ssize_t put = ::write(fd, content.data() + written, content.size() - written);
    if (put < 0 && errno == EINTR) {
      continue;
    }
    if (put < 0) {
      error = errno;
      break;
    }
    written += static_cast<size_t>(put);
  }
  Wipe(content);
  if (error == 0 && ::fsync(fd) != 0) {
    error = errno;
  }
  if (::close(fd) != 0 && error == 0) {
    error = errno;
  }
  if (error != 0) {
    ::unlink(path.c_str());
    return ErrnoStatus(error, absl::StrCat("cannot write master key file ", path));
  }
  return absl::OkStatus();
}

}  // namespace confide
