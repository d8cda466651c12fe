#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/intake.pb.h"

namespace confide {

// A client's intake as stored: the lifecycle in plain columns, every answer sealed. The
// patient's answers and the clinician's summary are sealed separately (ClientDataCipher, one
// FieldLocation each), so the summary is decrypted only for callers who may read it, never
// along with the answers for the patient.
struct IntakeRecord {
  std::string clinic_id;
  // One intake per client: the client id is the row's key.
  std::string client_id;
  v1::IntakeStatus status = v1::INTAKE_STATUS_DRAFT;
  // 0 for an intake never saved; the first save stores 1.
  int64_t version = 0;
  absl::Time create_time;
  absl::Time update_time;
  std::optional<absl::Time> submit_time;
  std::optional<absl::Time> review_time;
  // Empty until reviewed.
  std::string reviewed_by_user_id;
  // Sealed serialized v1::Intake holding the answers only (output-only fields cleared).
  std::string answers_sealed;
  // Sealed clinician summary; empty until reviewed.
  std::string clinician_summary_sealed;
};

class IntakeRepository {
 public:
  virtual ~IntakeRepository() = default;
  // The client's intake in this clinic, or nullopt.
  virtual absl::StatusOr<std::optional<IntakeRecord>> Find(std::string_view clinic_id,
                                                           std::string_view client_id) = 0;
  // ALREADY_EXISTS when the client already has one (a concurrent first save).
  virtual absl::Status Insert(const IntakeRecord& record) = 0;
  // Replaces the row when its version is still `expected_version`; ABORTED otherwise (a plain
  // status: the service words the reply).
  virtual absl::Status Update(const IntakeRecord& record, int64_t expected_version) = 0;
};

}  // namespace confide
