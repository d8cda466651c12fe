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
};

// Reads `path` (TOML) over `config`. Unknown keys are errors: a typo must not silently fall
// back to a default.
absl::Status ApplyConfigFile(const std::string& path, ServerConfig& config);

// Applies CONFIDE_DATABASE_URL, CONFIDE_REST_PORT, ... over `config`.
absl::Status ApplyEnvironment(ServerConfig& config);

// Checks ranges; INVALID_ARGUMENT naming the setting.
absl::Status ValidateConfig(const ServerConfig& config);

}  // namespace confide::app
