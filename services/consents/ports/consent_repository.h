#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/auth.pb.h"
#include "confide/v1/consents.pb.h"

namespace confide {

// One grant of a consent. A row records what was agreed (kind, text version, when, by whom);
// later events only end it (state, end_time, withdrawn_by_user_id, withdrawn_by_role). Nothing
// here is free text, so nothing is sealed.
struct ConsentRecord {
  std::string id;
  std::string clinic_id;
  std::string client_id;
  v1::ConsentKind kind = v1::CONSENT_KIND_UNSPECIFIED;
  std::string text_version;
  v1::ConsentState state = v1::CONSENT_STATE_UNSPECIFIED;
  absl::Time give_time;
  std::string recorded_by_user_id;
  v1::Role recorded_by_role = v1::ROLE_UNSPECIFIED;
  // Set once withdrawn or superseded.
  std::optional<absl::Time> end_time;
  // Set once withdrawn; empty otherwise.
  std::string withdrawn_by_user_id;
  // The role of withdrawn_by_user_id when it withdrew; ROLE_UNSPECIFIED otherwise.
  v1::Role withdrawn_by_role = v1::ROLE_UNSPECIFIED;
};

class ConsentRepository {
 public:
  virtual ~ConsentRepository() = default;
  // ALREADY_EXISTS when `record_request_id` (when not empty) was used before in the clinic, or
  // when the client already has a grant of this kind in force.
  virtual absl::Status Insert(const ConsentRecord& record, std::string_view record_request_id) = 0;
  // The consent in the clinic with this id, or nullopt.
  virtual absl::StatusOr<std::optional<ConsentRecord>> Find(std::string_view clinic_id,
                                                            std::string_view consent_id) = 0;
  // The consent an earlier RecordConsent with this request id made in the clinic, or nullopt.
  virtual absl::StatusOr<std::optional<ConsentRecord>> FindByRecordRequestId(
      std::string_view clinic_id, std::string_view request_id) = 0;
  // The client's grant of `kind` in force (state GIVEN), or nullopt.
  virtual absl::StatusOr<std::optional<ConsentRecord>> FindInForce(std::string_view clinic_id,
                                                                   std::string_view client_id,
                                                                   v1::ConsentKind kind) = 0;
  // As FindInForce, and the grant found stays in force until the caller's transaction ends: on
  // PostgreSQL the row is read FOR SHARE, so a concurrent End (a withdrawal) waits for this
  // transaction to commit and then sees what it wrote (e.g. a new partner link); SQLite write
  // transactions already run one at a time. Only inside a write transaction.
  virtual absl::StatusOr<std::optional<ConsentRecord>> LockInForce(std::string_view clinic_id,
                                                                   std::string_view client_id,
                                                                   v1::ConsentKind kind) = 0;
  // The client's consents, newest grant first (ties by id, newest first); only those in force
  // when `in_force_only`.
  virtual absl::StatusOr<std::vector<ConsentRecord>> ListOfClient(std::string_view clinic_id,
                                                                  std::string_view client_id,
                                                                  bool in_force_only) = 0;
  // Ends a grant in force in the clinic: sets `state` (WITHDRAWN or SUPERSEDED), end_time,
  // withdrawn_by_user_id and withdrawn_by_role (empty and ROLE_UNSPECIFIED for a supersession).
  // FAILED_PRECONDITION when the clinic has no such consent in force (e.g. ended by a concurrent
  // request).
  virtual absl::Status End(std::string_view clinic_id, std::string_view consent_id,
                           v1::ConsentState state, absl::Time end_time,
                           std::string_view withdrawn_by_user_id, v1::Role withdrawn_by_role) = 0;
};

}  // namespace confide
