#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/crypto/ports/client_data_key_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

// The clinical record's repositories over InMemoryDatabase, for unit tests of one class.

class InMemoryClientDataKeyRepository final : public ClientDataKeyRepository {
 public:
  explicit InMemoryClientDataKeyRepository(InMemoryDatabase& db) : db_(db) {}

  absl::StatusOr<std::optional<ClientDataKeyRecord>> Find(std::string_view clinic_id,
                                                          std::string_view client_id) override {
    auto it = db_.client_data_keys.find({std::string(clinic_id), std::string(client_id)});
    if (it == db_.client_data_keys.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::Status Insert(const ClientDataKeyRecord& record) override {
    if (!db_.client_data_keys.emplace(std::make_pair(record.clinic_id, record.client_id), record)
             .second) {
      return absl::AlreadyExistsError("client has a data key");
    }
    return absl::OkStatus();
  }

 private:
  InMemoryDatabase& db_;
};

}  // namespace confide
