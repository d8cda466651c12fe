#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// A client's data key as stored: wrapped (sealed) by the master key, never in clear.
struct ClientDataKeyRecord {
  std::string clinic_id;
  std::string client_id;
  // Empty once the key was erased.
  std::string wrapped_key;
  absl::Time create_time;
  // Set when the key was erased (crypto-erasure of the client's clinical content).
  std::optional<absl::Time> erase_time;
};

// The per-client data keys of envelope encryption, in `client_data_keys`.
class ClientDataKeyRepository {
 public:
  virtual ~ClientDataKeyRepository() = default;
  // Returns the client's key row, or nullopt when none was made yet.
  virtual absl::StatusOr<std::optional<ClientDataKeyRecord>> Find(std::string_view clinic_id,
                                                                  std::string_view client_id) = 0;
  // Stores a new key. ALREADY_EXISTS when the client has one (two first writes raced).
  virtual absl::Status Insert(const ClientDataKeyRecord& record) = 0;
};

}  // namespace confide
