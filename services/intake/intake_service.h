#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "confide/v1/intake.pb.h"
#include "services/api/method_table.h"
#include "services/crypto/ports/client_data_cipher.h"

namespace confide {

// The structured intake (one per client). Access has been decided by the pipeline when these
// run (kReadIntake, kWriteIntake, kWriteClinical); they enforce the intake's own rules: etags,
// who may change it in which status, and what a patient may read. Every answer is sealed with
// `client_data` before it is stored.
class IntakeService {
 public:
  explicit IntakeService(ClientDataCipher& client_data) : client_data_(client_data) {}

  absl::StatusOr<v1::Intake> Get(const v1::GetIntakeRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Intake> Update(const v1::UpdateIntakeRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Intake> Submit(const v1::SubmitIntakeRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Intake> Review(const v1::ReviewIntakeRequest& request, RequestScope& scope);

  // Adds the four IntakeService RPCs to `table`.
  void Register(MethodTable& table);

 private:
  ClientDataCipher& client_data_;
};

// The client's (scope.client_id's) saved intake as the caller may read it, exactly as GetIntake
// answers it, or nullopt when nothing was saved yet. For readers of the whole record (the record
// export); it names no audit resource.
absl::StatusOr<std::optional<v1::Intake>> ReadSavedIntake(ClientDataCipher& client_data,
                                                          RequestScope& scope);

}  // namespace confide
