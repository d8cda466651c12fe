#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/clients.pb.h"

namespace confide {

// A client record with the optimistic-concurrency version its etag is made from.
struct ClientRecord {
  std::string clinic_id;
  v1::Client client;
  int64_t version = 1;
};

// What access decisions need to know about a client, without loading the record itself.
struct ClientAccessFacts {
  std::string clinic_id;
  std::string client_id;
  std::vector<std::string> care_team_user_ids;
};

struct ClientQuery {
  std::string clinic_id;
  // When set, only clients whose care team includes this user.
  std::string care_team_user_id;
  // Only this status; UNSPECIFIED means any.
  v1::ClientStatus status = v1::CLIENT_STATUS_UNSPECIFIED;
  // Leave out archived clients.
  bool exclude_archived = false;
  // When set, only this client (a patient listing her own record).
  std::string only_client_id;
  // Lowercase name prefix; empty matches all.
  std::string name_prefix;
  // Keyset cursor: only ids greater than this.
  std::string after_id;
  int limit = 50;
};

// Client records of all clinics; every method is scoped by clinic id.
class ClientRepository {
 public:
  virtual ~ClientRepository() = default;
  // Stores a new record at version 1 with its care team; ALREADY_EXISTS on a duplicate id or
  // create request id.
  virtual absl::Status Insert(const ClientRecord& record, std::string_view create_request_id) = 0;
  // Returns the record, care team included, or nullopt when no such client is in the clinic.
  virtual absl::StatusOr<std::optional<ClientRecord>> Find(std::string_view clinic_id,
                                                           std::string_view client_id) = 0;
  // Returns the id of the client created with this request id, or nullopt.
  virtual absl::StatusOr<std::optional<std::string>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) = 0;
  // Returns the facts access decisions need, or nullopt when no such client is in the clinic.
  virtual absl::StatusOr<std::optional<ClientAccessFacts>> FindAccessFacts(
      std::string_view clinic_id, std::string_view client_id) = 0;
  // Returns up to query.limit records ordered by id.
  virtual absl::StatusOr<std::vector<ClientRecord>> List(const ClientQuery& query) = 0;
  // Replaces the stored fields with record's when the stored version equals expected_version,
  // and stores record.version; ABORTED when the version moved on.
  virtual absl::Status Update(const ClientRecord& record, int64_t expected_version) = 0;
};

}  // namespace confide
