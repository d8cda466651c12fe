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

// The SecretBox context a client's data key is wrapped (sealed by the master key) under.
inline std::string DataKeyWrapContext(std::string_view clinic_id, std::string_view client_id) {
  std::string context = "client_data_keys:";
  context.append(clinic_id).append("/").append(client_id);
  return context;
}

// What ClientDataKeyRepository::Erase did.
struct DataKeyErasure {
  // When the client's key was erased: now, or the time of an earlier erasure.
  absl::Time erase_time;
  // False when the key had already been erased before this call.
  bool erased_now = false;
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
  // Crypto-erasure: empties the client's wrapped key and sets its erase time to `now`. When she
  // has no key yet, stores an erased row, so none can be made for her later. An erased key stays
  // erased at its first erase time (erased_now false).
  virtual absl::StatusOr<DataKeyErasure> Erase(std::string_view clinic_id,
                                               std::string_view client_id, absl::Time now) = 0;
};

}  // namespace confide
