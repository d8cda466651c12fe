#pragma once

#include <utility>

#include "absl/status/statusor.h"
#include "confide/v1/assessments.pb.h"
#include "services/api/method_table.h"
#include "services/assessments/instrument_catalogue.h"
#include "services/assessments/ports/assessment_repository.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/client_data_cipher.h"

namespace confide {

// Validated measures: the instruments the server scores, and each client's administrations
// with their scores, sealed at rest. Access has been decided by the pipeline when these run.
class AssessmentService {
 public:
  AssessmentService(IdGenerator& ids, ClientDataCipher& cipher,
                    InstrumentCatalogue catalogue = InstrumentCatalogue::Standard())
      : ids_(ids), cipher_(cipher), catalogue_(std::move(catalogue)) {}

  absl::StatusOr<v1::ListInstrumentsResponse> ListInstruments(
      const v1::ListInstrumentsRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Instrument> GetInstrument(const v1::GetInstrumentRequest& request,
                                               RequestScope& scope);
  // Scores the answers on the server and stores the administration: self-report when the
  // patient submits for herself (self-report instruments only), clinician-administered when
  // staff do. A retry (same request_id, client, submitter and instrument) returns the first
  // result; any other reuse of the request_id is ALREADY_EXISTS. Every result is shaped for
  // the caller (ShapeForCaller: partners see a summary, patients patient wording).
  absl::StatusOr<v1::Assessment> Submit(const v1::SubmitAssessmentRequest& request,
                                        RequestScope& scope);
  absl::StatusOr<v1::Assessment> Get(const v1::GetAssessmentRequest& request, RequestScope& scope);
  // Newest first, each with its change from the previous administration of its instrument
  // (looked up beyond the page when needed).
  absl::StatusOr<v1::ListAssessmentsResponse> List(const v1::ListAssessmentsRequest& request,
                                                   RequestScope& scope);

  // Adds the five AssessmentService RPCs to `table`.
  void Register(MethodTable& table);

 private:
  // Submit without shaping the result for the caller.
  absl::StatusOr<v1::Assessment> Store(const v1::SubmitAssessmentRequest& request,
                                       RequestScope& scope);

  IdGenerator& ids_;
  ClientDataCipher& cipher_;
  const InstrumentCatalogue catalogue_;
};

// One page of ListAssessments as it answers it: the client's (query.client_id's) administrations
// newest first, at most query.limit of them, those before query.before_id, each with its change
// from the previous one and shaped for the caller, and next_page_token when more follow. Names
// no audit resource; readers of the whole record (the record export) page through it.
absl::StatusOr<v1::ListAssessmentsResponse> ReadAssessmentsPage(
    ClientDataCipher& cipher, const InstrumentCatalogue& catalogue, AssessmentQuery query,
    RequestScope& scope);

}  // namespace confide
