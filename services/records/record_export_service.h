#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "confide/v1/records.pb.h"
#include "services/api/method_table.h"
#include "services/assessments/instrument_catalogue.h"
#include "services/auth/ports/secret_generator.h"
#include "services/crypto/ports/client_data_cipher.h"

namespace confide {

// Record export (RecordService.ExportClientRecord) for a transfer of care or a patient's access
// request: the client's whole record, machine-readable and as a printable HTML document, read in
// one transaction. Access has been decided by the pipeline (kExportRecord: care-team clinicians
// only); this enforces the note rules (signed notes only; psychotherapy notes only on request
// and only those the caller may read).
class RecordExportService {
 public:
  // `digests` recompute signed notes' content hashes, so a changed note is never exported.
  RecordExportService(ClientDataCipher& cipher, SecretGenerator& digests);

  absl::StatusOr<v1::ClientRecordExport> Export(const v1::ExportClientRecordRequest& request,
                                                RequestScope& scope);

  // Adds RecordService.ExportClientRecord to `table`.
  void Register(MethodTable& table);

 private:
  ClientDataCipher& cipher_;
  const SecretGenerator& digests_;
  const InstrumentCatalogue catalogue_;
};

// The request's own checks: a client id, and a purpose (it goes on record with the export).
absl::Status ValidateExportClientRecord(const v1::ExportClientRecordRequest& request);

}  // namespace confide
