#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// A clinic's Ed25519 checkpoint key. The private key is sealed under the master key
// (SecretBox, context "audit_signing_keys.private_key:<key_id>"); the public key is base64.
struct AuditSigningKeyRecord {
  // Lowercase hex SHA-256 of the raw public key.
  std::string key_id;
  // "" for the deployment's own trail.
  std::string clinic_id;
  std::string public_key;
  std::string sealed_private_key;
  absl::Time create_time;
  std::optional<absl::Time> retire_time;
};

// Checkpoint signing keys in `audit_signing_keys`: at most one active (unretired) per clinic.
class AuditSigningKeyRepository {
 public:
  virtual ~AuditSigningKeyRepository() = default;
  virtual absl::StatusOr<std::optional<AuditSigningKeyRecord>> FindActive(
      std::string_view clinic_id) = 0;
  // ALREADY_EXISTS when the clinic already has an active key.
  virtual absl::Status Insert(const AuditSigningKeyRecord& key) = 0;
  // Every key of the clinic, oldest first (retired ones still verify old checkpoints).
  virtual absl::StatusOr<std::vector<AuditSigningKeyRecord>> ListForClinic(
      std::string_view clinic_id) = 0;
  // NOT_FOUND when there is no such active key.
  virtual absl::Status Retire(std::string_view key_id, absl::Time when) = 0;
};

}  // namespace confide
