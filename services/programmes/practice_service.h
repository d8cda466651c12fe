#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/programmes.pb.h"
#include "services/api/method_table.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/client_data_cipher.h"

namespace confide {

// The practice log and the dilator ladder's suggestions (the practice RPCs of
// confide.v1.ProgrammeService; ProgrammeService registers the others). Access has been decided
// by the pipeline; these enforce the record's rules: she logs only against her own ACTIVE
// programme, a retried log (same request_id) returns the first one, her words are sealed, and a
// suggestion never changes the programme until a clinician accepts it.
class PracticeService {
 public:
  PracticeService(ClientDataCipher& cipher, IdGenerator& ids) : cipher_(cipher), ids_(ids) {}

  // Logs one session; for a dilator item done at its current size, evaluates the ladder's rule
  // and may make a PENDING suggestion (at most one per item).
  absl::StatusOr<v1::PracticeLog> LogPractice(const v1::LogPracticeRequest& request,
                                              RequestScope& scope);
  // Newest practice first.
  absl::StatusOr<v1::ListPracticeLogsResponse> ListPracticeLogs(
      const v1::ListPracticeLogsRequest& request, RequestScope& scope);
  // Newest first.
  absl::StatusOr<v1::ListProgressionSuggestionsResponse> ListProgressionSuggestions(
      const v1::ListProgressionSuggestionsRequest& request, RequestScope& scope);
  // PENDING → ACCEPTED, then a new programme version with the item at the suggested size.
  absl::StatusOr<v1::Programme> Accept(const v1::DecideProgressionSuggestionRequest& request,
                                       RequestScope& scope);
  // PENDING → DECLINED; the programme does not change.
  absl::StatusOr<v1::ProgressionSuggestion> Decline(
      const v1::DecideProgressionSuggestionRequest& request, RequestScope& scope);

  // Adds LogPractice, ListPracticeLogs, ListProgressionSuggestions,
  // AcceptProgressionSuggestion and DeclineProgressionSuggestion to `table`.
  void Register(MethodTable& table);

 private:
  ClientDataCipher& cipher_;
  IdGenerator& ids_;
};

}  // namespace confide
