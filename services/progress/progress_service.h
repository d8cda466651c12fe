#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "confide/v1/progress.pb.h"
#include "services/api/method_table.h"
#include "services/crypto/ports/client_data_cipher.h"

namespace confide {

// Request checks, run by the pipeline after authorization.
absl::Status ValidateGetProgress(const v1::GetProgressRequest& request);
absl::Status ValidateListDueItems(const v1::ListDueItemsRequest& request);
absl::Status ValidateListCaseload(const v1::ListCaseloadRequest& request);

// Progress made visible (confide.v1.ProgressService). Access has been decided by the pipeline;
// these keep the record's rules: the patient and a partner see only programmes that have been
// activated (a draft is NOT_FOUND to them) and goals only as they may see the plan; everything
// is counted in the programme's time zone from the practice log's aggregate queries (one row
// per day or per dilator size, never one per session), so two years of daily practice cost
// about 730 rows per item.
class ProgressService {
 public:
  explicit ProgressService(ClientDataCipher& cipher) : cipher_(cipher) {}

  // One programme's progress: per item weeks, adherence, streaks, trends and the dilator
  // timeline; milestones; goals achieved. Two aggregate queries per dilator item, one per other
  // item, plus the programme (and its plan when it has one).
  absl::StatusOr<v1::Progress> GetProgress(const v1::GetProgressRequest& request,
                                           RequestScope& scope);
  // What is due today across her ACTIVE programmes. DISCREET wording names each item by its
  // discreet title (or "Practice time") and leaves out its category and dilator size, so
  // nothing on a shared screen says what the practice is.
  absl::StatusOr<v1::ListDueItemsResponse> ListDueItems(const v1::ListDueItemsRequest& request,
                                                        RequestScope& scope);
  // The calling clinician's care-team clients with an ACTIVE programme, those needing
  // attention first. Cost: one keyset page of clients per 500, then per client one query for
  // her active programmes and, when she has one, four indexed aggregates (latest practice,
  // pain over two 7-day windows, pending suggestions): O(clients) small queries, no log rows.
  absl::StatusOr<v1::ListCaseloadResponse> ListCaseload(const v1::ListCaseloadRequest& request,
                                                        RequestScope& scope);

  // Adds GetProgress, ListDueItems and ListCaseload to `table`.
  void Register(MethodTable& table);

 private:
  ClientDataCipher& cipher_;
};

}  // namespace confide
