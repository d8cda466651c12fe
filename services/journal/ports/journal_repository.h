#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// A journal entry's row. Text, mood and tags are sealed together; who may see it is plain.
struct JournalEntryRecord {
  std::string id;
  std::string clinic_id;
  std::string client_id;
  absl::Time write_time;
  bool shared_with_care_team = false;
  bool shared_with_partner = false;
  // ClientDataCipher text ({"journal_entries", "content", id}) of a serialized v1::JournalEntry
  // holding text, mood and tags only.
  std::string content_sealed;
  // +1 on every change; the etag is made from it.
  int revision = 1;
  absl::Time create_time;
  absl::Time update_time;
  std::string request_id;
};

// Which entries a reader may see.
enum class JournalAudience {
  // The patient herself: every entry.
  kOwner,
  kCareTeam,
  kPartner,
};

class JournalRepository {
 public:
  virtual ~JournalRepository() = default;
  // ALREADY_EXISTS when the id or a non-empty request id (in the clinic) was used before.
  virtual absl::Status Insert(const JournalEntryRecord& record) = 0;
  virtual absl::StatusOr<std::optional<JournalEntryRecord>> Find(std::string_view clinic_id,
                                                                 std::string_view client_id,
                                                                 std::string_view entry_id) = 0;
  virtual absl::StatusOr<std::optional<JournalEntryRecord>> FindByRequestId(
      std::string_view clinic_id, std::string_view request_id) = 0;
  // Newest written first (write_time desc, id desc), only what `audience` may see; after the
  // (after_write_time, after_id) pair when after_id is not empty.
  virtual absl::StatusOr<std::vector<JournalEntryRecord>> List(
      std::string_view clinic_id, std::string_view client_id, JournalAudience audience,
      std::optional<absl::Time> after_write_time, std::string_view after_id, int limit) = 0;
  // Writes everything but ids, create_time and request_id, with revision + 1, when the stored
  // revision is still `expected_revision`: ABORTED otherwise; NOT_FOUND when there is none.
  virtual absl::Status Update(const JournalEntryRecord& next, int expected_revision) = 0;
  // ABORTED when the stored revision is not `expected_revision`; NOT_FOUND when there is none.
  virtual absl::Status Delete(std::string_view clinic_id, std::string_view client_id,
                              std::string_view entry_id, int expected_revision) = 0;
};

}  // namespace confide
