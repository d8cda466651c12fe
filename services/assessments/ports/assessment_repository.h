#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/assessments.pb.h"
#include "confide/v1/auth.pb.h"

namespace confide {

// One administration of an instrument. Who, what and when are plain columns; the answers and
// the score are clinical content and stay sealed (ClientDataCipher) in `content_sealed`.
struct AssessmentRecord {
  std::string id;
  std::string clinic_id;
  std::string client_id;
  std::string instrument_id;
  std::string instrument_version;
  v1::AdministrationMode mode = v1::ADMINISTRATION_MODE_UNSPECIFIED;
  std::string administered_by;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  absl::Time complete_time;
  // The submitter's request id, or empty.
  std::string request_id;
  std::string content_sealed;
};

struct AssessmentQuery {
  std::string clinic_id;
  std::string client_id;
  // When set, only this instrument's administrations.
  std::string instrument_id;
  // Keyset cursor over ids (newest first): only ids less than this.
  std::string before_id;
  int limit = 50;
};

// Administrations of all clinics; every method is scoped by clinic and client.
class AssessmentRepository {
 public:
  virtual ~AssessmentRepository() = default;
  // ALREADY_EXISTS on a duplicate id or a request id already used in the clinic.
  virtual absl::Status Insert(const AssessmentRecord& record) = 0;
  // Returns the administration, or nullopt when the client has none with this id.
  virtual absl::StatusOr<std::optional<AssessmentRecord>> Find(std::string_view clinic_id,
                                                               std::string_view client_id,
                                                               std::string_view id) = 0;
  // Returns the administration submitted with this request id in the clinic, or nullopt.
  virtual absl::StatusOr<std::optional<AssessmentRecord>> FindByRequestId(
      std::string_view clinic_id, std::string_view request_id) = 0;
  // Up to query.limit administrations, newest (highest id) first.
  virtual absl::StatusOr<std::vector<AssessmentRecord>> List(const AssessmentQuery& query) = 0;
};

}  // namespace confide
