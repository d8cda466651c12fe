#include "adapters/http/tls_context.h"

#include <openssl/ssl.h>

#include "absl/strings/str_cat.h"

namespace confide::http {

namespace {

namespace ssl = boost::asio::ssl;

// https://ssl-config.mozilla.org/ "intermediate" (guidelines 5.7). TLS 1.3 suites are
// OpenSSL's defaults, which are the profile's.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
constexpr char kGroups[] = "X25519:prime256v1:secp384r1";

}  // namespace

absl::StatusOr<std::unique_ptr<ssl::context>> MakeServerTlsContext(const std::string& cert_file,
                                                                   const std::string& key_file) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1 ||
      SSL_CTX_set1_groups_list(native, kGroups) != 1) {
    return absl::InternalError("OpenSSL refused the TLS profile");
  }
  // Finite-field DHE with the RFC 7919 group OpenSSL picks for the key size (ffdhe2048).
  SSL_CTX_set_dh_auto(native, 1);
  // The profile leaves the cipher choice to the client (every offered suite is strong, and
  // clients know whether they have AES hardware).
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  boost::system::error_code ec;
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("rest.tls_cert_file: cannot use ", cert_file, ": ", ec.message()));
  }
  context->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("rest.tls_key_file: cannot use ", key_file, ": ", ec.message()));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return absl::InvalidArgumentError(
        "rest.tls_key_file: the private key does not match rest.tls_cert_file");
  }
  return context;
}

}  // namespace confide::http
