#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace confide::app {

// Everything confide-server and confidectl read from outside. Precedence: defaults < TOML
// file (--config) < CONFIDE_* environment variables < command-line flags.
struct ServerConfig {
  std::string database_url = "sqlite:./data/confide.db";
  int database_connections = 4;
  std::string rest_address = "127.0.0.1";
  int rest_port = 8080;
  // Comma-separated addresses of reverse proxies whose X-Forwarded-For is believed.
  std::string trusted_proxies;
  // PEM certificate chain and private key: when both are set the REST port speaks HTTPS only
  // (TLS 1.2+, Mozilla "intermediate"). scripts/run makes a self-signed one for development.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Comma-separated origins (e.g. "https://app.example.org") allowed to call the API from a
  // browser; empty (the default) allows none. The portal is same-origin and needs none.
  std::string cors_allowed_origins;
  // Attempts per minute per client address at sign-in, invitation and password-reset calls.
  int sign_in_attempts_per_minute = 20;
  std::string grpc_address = "127.0.0.1";
  int grpc_port = 50051;
  int io_threads = 2;
  int workers = 8;
  int queue_capacity = 1024;
  int64_t body_limit_bytes = int64_t{1024} * 1024;
  // argon2id cost; OWASP's minimum is 19 MiB, t=2.
  int argon2_memory_kib = 65536;
  int argon2_time_cost = 3;
  int staff_session_hours = 8;
  int staff_idle_minutes = 15;
  int patient_session_hours = 24 * 30;
  int patient_idle_minutes = 30;
  // Consecutive failed sign-ins before an email, or an address, is locked (with backoff).
  int lockout_email_threshold = 5;
  int lockout_address_threshold = 20;
  // The clinic master key (64 hex characters, mode 0600): seals TOTP secrets and other secrets
  // at rest. Create it with `confidectl keygen`.
  std::string master_key_file = "./data/master.key";
  // Comma-separated master key files (a TOML array of strings in the config file) of keys being
  // rotated away from: values sealed under them still open, nothing new is sealed under them
  // (docs/security.md, "Key rotation"). Empty outside a rotation.
  std::string previous_master_key_files;
  bool migrate_on_start = true;
  // When set, the server writes {"rest":PORT,"grpc":PORT} here once listening (tests use port 0).
  std::string ports_file;
  std::string log_level = "info";
  // Audit trail (docs/audit.md): how often the leading server seals new events into signed
  // batches, the most events one sealing transaction takes, and how long events are kept before
  // `confidectl audit prune` may archive and remove them (HIPAA: 6 years).
  int audit_seal_interval_ms = 1000;
  int audit_seal_batch_events = 1000;
  int audit_retention_years = 6;
  // The patient portal (docs/portal.md): the folder holding portal/, docs/ and node_modules/
  // (the repository's web/), served at /, /docs/ and /docs/vendor/. When the default folder is
  // missing the server runs without a portal; a folder that was set must exist.
  std::string portal_web_dir = "web";
  // The portal signs a patient out after this long without input.
  int portal_idle_minutes = 10;
  // Where the portal's quick-exit button goes: an everyday page.
  std::string portal_quick_exit_url = "https://www.bbc.co.uk/weather";
};

// Reads `path` (TOML) over `config`. Unknown keys are errors: a typo must not silently fall
// back to a default.
absl::Status ApplyConfigFile(const std::string& path, ServerConfig& config);

// Applies CONFIDE_DATABASE_URL, CONFIDE_REST_PORT, ... over `config`.
absl::Status ApplyEnvironment(ServerConfig& config);

// Checks ranges; INVALID_ARGUMENT naming the setting.
absl::Status ValidateConfig(const ServerConfig& config);

}  // namespace confide::app
