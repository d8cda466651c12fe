#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/programmes.pb.h"
#include "services/api/method_table.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/client_data_cipher.h"

namespace confide {

// Home programmes (the programme RPCs of confide.v1.ProgrammeService; the practice and
// suggestion RPCs are PracticeService's). Access has already been decided by the pipeline when
// these run; they enforce the programme's own rules: every change is a new sealed version and
// old versions never change; an item keeps the exercise version it was first prescribed; a
// status change or new version needs the latest etag; the patient and a partner see activated
// programmes only, without clinician notes; a retried create (same request id) returns the
// first result.
class ProgrammeService {
 public:
  ProgrammeService(ClientDataCipher& cipher, IdGenerator& ids) : cipher_(cipher), ids_(ids) {}

  absl::StatusOr<v1::Programme> Create(const v1::CreateProgrammeRequest& request,
                                       RequestScope& scope);
  absl::StatusOr<v1::Programme> Get(const v1::GetProgrammeRequest& request, RequestScope& scope);
  absl::StatusOr<v1::ListProgrammesResponse> List(const v1::ListProgrammesRequest& request,
                                                  RequestScope& scope);
  absl::StatusOr<v1::ListProgrammeVersionsResponse> ListVersions(
      const v1::ListProgrammeVersionsRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Programme> Update(const v1::UpdateProgrammeRequest& request,
                                       RequestScope& scope);
  // DRAFT or PAUSED → ACTIVE.
  absl::StatusOr<v1::Programme> Activate(const v1::ChangeProgrammeStatusRequest& request,
                                         RequestScope& scope);
  // ACTIVE → PAUSED.
  absl::StatusOr<v1::Programme> Pause(const v1::ChangeProgrammeStatusRequest& request,
                                      RequestScope& scope);
  // ACTIVE or PAUSED → ENDED.
  absl::StatusOr<v1::Programme> End(const v1::ChangeProgrammeStatusRequest& request,
                                    RequestScope& scope);

  // Adds the eight programme RPCs of confide.v1.ProgrammeService to `table`.
  void Register(MethodTable& table);

 private:
  // Fixes each item's id, exercise version and snapshot (kept from `previous` when the item
  // prescribes the same exercise) and checks it against its exercise and the plan's goals.
  absl::Status PrepareItems(RequestScope& scope, v1::Programme& content,
                            const v1::Programme* previous);
  absl::StatusOr<v1::Programme> ChangeStatus(const v1::ChangeProgrammeStatusRequest& request,
                                             RequestScope& scope, v1::ProgrammeStatus to);

  ClientDataCipher& cipher_;
  IdGenerator& ids_;
};

}  // namespace confide
