#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/clients.pb.h"
#include "services/api/method_table.h"
#include "services/common/id_generator.h"

namespace confide {

// Client records. Access has already been decided by the pipeline when these run; they enforce
// the record's own rules (etags, status changes, idempotent create).
class ClientService {
 public:
  explicit ClientService(IdGenerator& ids) : ids_(ids) {}

  absl::StatusOr<v1::Client> Create(const v1::CreateClientRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Client> Get(const v1::GetClientRequest& request, RequestScope& scope);
  absl::StatusOr<v1::ListClientsResponse> List(const v1::ListClientsRequest& request,
                                               RequestScope& scope);
  absl::StatusOr<v1::Client> Update(const v1::UpdateClientRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Client> Archive(const v1::ArchiveClientRequest& request, RequestScope& scope);

  // Adds the five ClientService RPCs to `table`.
  void Register(MethodTable& table);

 private:
  IdGenerator& ids_;
};

}  // namespace confide
