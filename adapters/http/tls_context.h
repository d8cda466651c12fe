#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "adapters/http/beast.h"
// clang-format off
#include <boost/asio/ssl/context.hpp>
// clang-format on

namespace confide::http {

// A server TLS context with Mozilla's "intermediate" profile (TLS 1.2 and 1.3 only, AEAD
// ciphers with forward secrecy, X25519/P-256/P-384, no session tickets) over the PEM
// certificate chain and private key at these paths. INVALID_ARGUMENT naming the setting
// (rest.tls_cert_file / rest.tls_key_file) when a file cannot be used or they do not match.
absl::StatusOr<std::unique_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& cert_file, const std::string& key_file);

}  // namespace confide::http
