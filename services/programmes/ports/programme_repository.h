#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// A home programme's row: what changes as it moves on. Its content lives in its versions.
struct ProgrammeRecord {
  std::string id;
  std::string clinic_id;
  std::string client_id;
  int latest_version = 0;
  // v1::ProgrammeStatus.
  int status = 0;
  // +1 on every change (new version or status change); the etag is made from it.
  int revision = 1;
  // The latest version's IANA time zone.
  std::string time_zone;
  // First activation; nullopt while never activated.
  std::optional<absl::Time> activate_time;
  absl::Time create_time;
  std::string created_by;
};

// One version of a programme, written once and never changed.
struct ProgrammeVersionRecord {
  std::string programme_id;
  int version = 0;
  std::string clinic_id;
  std::string client_id;
  std::string author_user_id;
  absl::Time create_time;
  // ClientDataCipher text ({"programme_versions", "content", "<programme id>/<version>"}) of the
  // serialized v1::Programme content (title, patient_message, plan_id, time_zone, items); the
  // output-only fields come from the columns.
  std::string content_sealed;
};

class ProgrammeRepository {
 public:
  virtual ~ProgrammeRepository() = default;
  // ALREADY_EXISTS when the id, or a non-empty `create_request_id` in the clinic, was used.
  virtual absl::Status Insert(const ProgrammeRecord& record,
                              std::string_view create_request_id) = 0;
  // ALREADY_EXISTS when the programme already has that version.
  virtual absl::Status InsertVersion(const ProgrammeVersionRecord& record) = 0;
  virtual absl::StatusOr<std::optional<ProgrammeRecord>> Find(std::string_view clinic_id,
                                                              std::string_view client_id,
                                                              std::string_view programme_id) = 0;
  virtual absl::StatusOr<std::optional<ProgrammeRecord>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) = 0;
  // The client's programmes, newest first: at most `limit`, older than `after_id` when it is not
  // empty. With `statuses` not empty, only programmes in one of them.
  virtual absl::StatusOr<std::vector<ProgrammeRecord>> ListOfClient(
      std::string_view clinic_id, std::string_view client_id, const std::vector<int>& statuses,
      std::string_view after_id, int limit) = 0;
  virtual absl::StatusOr<std::optional<ProgrammeVersionRecord>> FindVersion(
      std::string_view clinic_id, std::string_view programme_id, int version) = 0;
  // Newest first: at most `limit`, below `before_version` when it is not 0.
  virtual absl::StatusOr<std::vector<ProgrammeVersionRecord>> ListVersions(
      std::string_view clinic_id, std::string_view programme_id, int before_version, int limit) = 0;
  // Writes latest_version, status, time_zone and activate_time from `next` and revision + 1,
  // when the stored revision is still `expected_revision`: ABORTED otherwise (another change got
  // there first); NOT_FOUND when there is no such programme.
  virtual absl::Status Update(const ProgrammeRecord& next, int expected_revision) = 0;
};

}  // namespace confide
