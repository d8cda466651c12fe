#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/records.pb.h"
#include "services/api/method_table.h"
#include "services/assessments/instrument_catalogue.h"
#include "services/auth/ports/secret_generator.h"
#include "services/crypto/ports/client_data_cipher.h"

namespace confide {

// What a record export holds besides the always-included parts.
struct ClientRecordScope {
  // Psychotherapy notes the caller may read (MayReadNote) are included only when set.
  bool include_psychotherapy_notes = false;
};

// The whole clinical record of scope.client_id as the care team reads it, from the scope's one
// transaction: the client, her intake (when saved), consents, measures (answers and scores,
// newest first), every version of every plan (each plan's newest version first), milestones,
// her signed notes with their addenda, oldest session first, every version of every home
// programme, her practice logs (newest first, with her feelings), the ladder's progression
// suggestions, and the journal entries she shares with her care team. Drafts and discarded
// notes and private journal entries are never included; psychotherapy notes only as `what`
// says. Every list is read to its end, page by page, so nothing is silently cut off. NOT_FOUND
// when the client is not in the caller's clinic; DATA_LOSS when a signed note's content no
// longer matches its hash.
absl::StatusOr<v1::ClientRecord> ReadClientRecord(ClientDataCipher& cipher,
                                                  const SecretGenerator& digests,
                                                  const InstrumentCatalogue& catalogue,
                                                  const ClientRecordScope& what,
                                                  RequestScope& scope);

}  // namespace confide
