#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/audit.pb.h"
#include "services/api/method_table.h"
#include "services/audit/ports/sha256_hasher.h"
#include "services/crypto/ports/secret_box.h"

namespace confide {

// confide.v1.AuditService: query, verifiable export, checkpoint and keys, and the patient's
// record access report.
class AuditService {
 public:
  // `box` opens break-glass reasons for the access report; `hasher` builds export proofs.
  AuditService(const SecretBox& box, const Sha256Hasher& hasher) : box_(box), hasher_(hasher) {}

  void Register(MethodTable& table);

  // The caller's clinic's events, newest first, filtered; keyset-paged.
  absl::StatusOr<v1::ListAuditEventsResponse> ListAuditEvents(
      const v1::ListAuditEventsRequest& request, RequestScope& scope);
  // The clinic's latest signed batch header; NOT_FOUND while nothing is sealed.
  absl::StatusOr<v1::AuditCheckpoint> GetAuditCheckpoint(
      const v1::GetAuditCheckpointRequest& request, RequestScope& scope);
  // The clinic's checkpoint keys, oldest first.
  absl::StatusOr<v1::ListAuditKeysResponse> ListAuditKeys(const v1::ListAuditKeysRequest& request,
                                                          RequestScope& scope);
  // Who accessed the client's record, in plain language, newest first.
  absl::StatusOr<v1::ListRecordAccessResponse> ListRecordAccess(
      const v1::ListRecordAccessRequest& request, RequestScope& scope);

 private:
  const SecretBox& box_;
  const Sha256Hasher& hasher_;
};

}  // namespace confide
