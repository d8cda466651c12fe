#include "services/clients/writable_client.h"

#include <optional>

#include "services/clients/ports/client_repository.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

absl::Status RequireWritableClient(RequestScope& scope) {
  absl::StatusOr<std::optional<ClientRecord>> client =
      scope.uow.clients().Find(scope.principal->clinic_id, scope.client_id);
  if (!client.ok()) {
    return client.status();
  }
  if (!client->has_value()) {
    return absl::NotFoundError("client not found");
  }
  if ((*client)->client.status() == v1::CLIENT_STATUS_ARCHIVED) {
    return absl::FailedPreconditionError("client is archived; archived records are read-only");
  }
  return absl::OkStatus();
}

}  // namespace confide
