#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/journal.pb.h"
#include "services/api/method_table.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/client_data_cipher.h"

namespace confide {

// The patient's journal. The pipeline has decided access when these run (only the patient
// writes; the patient, her care team and a partner holding the journal share read); these
// enforce each entry's own sharing: the clinicians on her care team see the entries she shares
// with her care team, her partner those she shares with her partner, and nobody else any: not
// an admin, even one on her care team, nor a clinician reaching her record by break-glass. Any
// other entry answers NOT_FOUND exactly as a made-up id does, and is absent from lists. A reader
// other than her sees only their own sharing flag and no etag. Text, mood and tags are sealed
// under her data key (journal_store.h); errors and audit events carry ids only.
class JournalService {
 public:
  JournalService(ClientDataCipher& cipher, IdGenerator& ids) : cipher_(cipher), ids_(ids) {}

  // A retry with the same request id returns the entry the first call made (as it is now).
  absl::StatusOr<v1::JournalEntry> Create(const v1::CreateJournalEntryRequest& request,
                                          RequestScope& scope);
  absl::StatusOr<v1::JournalEntry> Get(const v1::GetJournalEntryRequest& request,
                                       RequestScope& scope);
  // Newest written first; pages resume after the last entry's (write time, id).
  absl::StatusOr<v1::ListJournalEntriesResponse> List(const v1::ListJournalEntriesRequest& request,
                                                      RequestScope& scope);
  // ABORTED for a stale etag.
  absl::StatusOr<v1::JournalEntry> Update(const v1::UpdateJournalEntryRequest& request,
                                          RequestScope& scope);
  // Removes the row and its sealed text; the audit trail keeps the id. ABORTED for a stale etag.
  absl::StatusOr<v1::DeleteJournalEntryResponse> Delete(
      const v1::DeleteJournalEntryRequest& request, RequestScope& scope);

  // Adds the RPCs of confide.v1.JournalService to `table`.
  void Register(MethodTable& table);

 private:
  ClientDataCipher& cipher_;
  IdGenerator& ids_;
};

}  // namespace confide
