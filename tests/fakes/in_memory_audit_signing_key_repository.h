#pragma once

#include <algorithm>
#include <tuple>

#include "services/audit/ports/audit_signing_key_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

class InMemoryAuditSigningKeyRepository final : public AuditSigningKeyRepository {
 public:
  explicit InMemoryAuditSigningKeyRepository(InMemoryDatabase& db) : db_(db) {}

  absl::StatusOr<std::optional<AuditSigningKeyRecord>> FindActive(
      std::string_view clinic_id) override {
    for (const auto& [id, key] : db_.audit_signing_keys) {
      if (key.clinic_id == clinic_id && !key.retire_time.has_value()) {
        return key;
      }
    }
    return std::nullopt;
  }
  absl::Status Insert(const AuditSigningKeyRecord& key) override {
    absl::StatusOr<std::optional<AuditSigningKeyRecord>> active = FindActive(key.clinic_id);
    if ((active->has_value() && !key.retire_time.has_value()) ||
        db_.audit_signing_keys.contains(key.key_id)) {
      return absl::AlreadyExistsError("a record with this identity already exists");
    }
    db_.audit_signing_keys.emplace(key.key_id, key);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<AuditSigningKeyRecord>> ListForClinic(
      std::string_view clinic_id) override {
    std::vector<AuditSigningKeyRecord> keys;
    for (const auto& [id, key] : db_.audit_signing_keys) {
      if (key.clinic_id == clinic_id) {
        keys.push_back(key);
      }
    }
    std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
      return std::tie(a.create_time, a.key_id) < std::tie(b.create_time, b.key_id);
    });
    return keys;
  }
  absl::Status Retire(std::string_view key_id, absl::Time when) override {
    auto it = db_.audit_signing_keys.find(std::string(key_id));
    if (it == db_.audit_signing_keys.end() || it->second.retire_time.has_value()) {
      return absl::NotFoundError("no active audit signing key with this id");
    }
    it->second.retire_time = when;
    return absl::OkStatus();
  }

 private:
  InMemoryDatabase& db_;
};

}  // namespace confide
