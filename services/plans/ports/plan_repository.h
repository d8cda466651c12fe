#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// A therapy plan's row: what changes as the plan moves on. Its content lives in its versions.
struct PlanRecord {
  std::string id;
  std::string clinic_id;
  std::string client_id;
  int latest_version = 0;
  // The version the patient sees; 0 while none is shared.
  int shared_version = 0;
  // When shared_version was shared; nullopt while none is.
  std::optional<absl::Time> share_time;
  absl::Time create_time;
  std::string created_by;
};

// One version of a plan, written once and never changed.
struct PlanVersionRecord {
  std::string plan_id;
  int version = 0;
  std::string clinic_id;
  std::string client_id;
  std::string author_user_id;
  absl::Time create_time;
  // ClientDataCipher text of the serialized v1::TherapyPlan content (title, problems, goals,
  // interventions, dates, patient summary); the output-only fields come from the columns.
  std::string content_sealed;
};

class PlanRepository {
 public:
  virtual ~PlanRepository() = default;
  // Inserts a plan. ALREADY_EXISTS when the id, or a non-empty `create_request_id` in the
  // clinic, was used before.
  virtual absl::Status Insert(const PlanRecord& record, std::string_view create_request_id) = 0;
  // Inserts a version. ALREADY_EXISTS when the plan already has that version.
  virtual absl::Status InsertVersion(const PlanVersionRecord& record) = 0;
  // The client's plan with this id in the clinic, or nullopt.
  virtual absl::StatusOr<std::optional<PlanRecord>> Find(std::string_view clinic_id,
                                                         std::string_view client_id,
                                                         std::string_view plan_id) = 0;
  // The plan an earlier create with this request id made in the clinic, or nullopt.
  virtual absl::StatusOr<std::optional<PlanRecord>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) = 0;
  // The client's plans, newest first: at most `limit`, those older than plan `after_id` when it
  // is not empty (a keyset page: ids are time-ordered UUIDv7).
  virtual absl::StatusOr<std::vector<PlanRecord>> ListOfClient(std::string_view clinic_id,
                                                               std::string_view client_id,
                                                               std::string_view after_id,
                                                               int limit) = 0;
  // One version of a plan of the clinic, or nullopt.
  virtual absl::StatusOr<std::optional<PlanVersionRecord>> FindVersion(std::string_view clinic_id,
                                                                       std::string_view plan_id,
                                                                       int version) = 0;
  // A plan's versions, newest first: at most `limit`, those below `before_version` when it is
  // not 0 (a keyset page).
  virtual absl::StatusOr<std::vector<PlanVersionRecord>> ListVersions(std::string_view clinic_id,
                                                                      std::string_view plan_id,
                                                                      int before_version,
                                                                      int limit) = 0;
  // Moves latest_version from `expected` to `next`. ABORTED when it is no longer `expected`
  // (another change got there first); NOT_FOUND when there is no such plan.
  virtual absl::Status AdvanceLatest(std::string_view clinic_id, std::string_view plan_id,
                                     int expected, int next) = 0;
  // Records `version` as the one shared with the patient. NOT_FOUND when there is no such plan.
  virtual absl::Status SetShared(std::string_view clinic_id, std::string_view plan_id, int version,
                                 absl::Time share_time) = 0;
};

}  // namespace confide
