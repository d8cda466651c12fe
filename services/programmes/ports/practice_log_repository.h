#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// One logged practice session. Numbers are plain columns so progress is computed in SQL; her
// words are sealed.
struct PracticeLogRecord {
  std::string id;
  std::string clinic_id;
  std::string client_id;
  std::string programme_id;
  int programme_version = 0;
  std::string item_id;
  absl::Time practiced_at;
  // YYYY-MM-DD of practiced_at in the programme's time zone.
  std::string local_date;
  int duration_minutes = 0;
  // v1::PracticeCompletion.
  int completion = 0;
  // 0 when none.
  int dilator_size = 0;
  // -1 when none.
  int pain = -1;
  int anxiety = -1;
  // ClientDataCipher text ({"practice_logs", "feelings", id}); empty when she wrote nothing.
  std::string feelings_sealed;
  // The progression suggestion this session led to; empty when none.
  std::string suggestion_id;
  std::string recorded_by_user_id;
  absl::Time create_time;
  std::string request_id;
};

struct PracticeLogQuery {
  std::string clinic_id;
  std::string client_id;
  // Optional filters (empty: all).
  std::string programme_id;
  std::string item_id;
  // Practice in [start, end) when set.
  std::optional<absl::Time> start;
  std::optional<absl::Time> end;
  // Keyset: newest practice first (practiced_at desc, id desc); those after this pair when
  // after_id is not empty.
  std::optional<absl::Time> after_practiced_at;
  std::string after_id;
  int limit = 50;
};

// One day's totals of one item (her calendar day), from an aggregate query.
struct PracticeDayTotals {
  std::string local_date;
  // Sessions FULLY or PARTLY done, and SKIPPED.
  int done = 0;
  int skipped = 0;
  // Over done sessions with a score.
  int pain_sum = 0;
  int pain_count = 0;
  int anxiety_sum = 0;
  int anxiety_count = 0;
  // -1 when no done session had a score.
  int max_pain = -1;
  // Done sessions with pain 0.
  int pain_free = 0;
};

// One dilator size's totals of one item (done sessions only).
struct PracticeSizeTotals {
  int size = 0;
  std::string first_date;
  std::string last_date;
  absl::Time first_practiced_at;
  int sessions = 0;
  // Distinct local dates.
  int days = 0;
};

// A done session's scores, for the progression rule.
struct PracticeScore {
  absl::Time practiced_at;
  int pain = -1;
  int anxiety = -1;
};

class PracticeLogRepository {
 public:
  virtual ~PracticeLogRepository() = default;
  // ALREADY_EXISTS when the id or the request id (in the clinic) was used before.
  virtual absl::Status Insert(const PracticeLogRecord& record) = 0;
  virtual absl::StatusOr<std::optional<PracticeLogRecord>> FindByRequestId(
      std::string_view clinic_id, std::string_view request_id) = 0;
  virtual absl::StatusOr<std::vector<PracticeLogRecord>> List(const PracticeLogQuery& query) = 0;
  // Per-day totals of one item for local dates in [from_date, to_date] (YYYY-MM-DD; an empty
  // bound is open), oldest first: one row per day with any log (GROUP BY local_date).
  virtual absl::StatusOr<std::vector<PracticeDayTotals>> DailyTotals(std::string_view clinic_id,
                                                                     std::string_view programme_id,
                                                                     std::string_view item_id,
                                                                     std::string_view from_date,
                                                                     std::string_view to_date) = 0;
  // Per-size totals of one dilator item (done sessions with a size), in the order first used.
  virtual absl::StatusOr<std::vector<PracticeSizeTotals>> SizeTotals(std::string_view clinic_id,
                                                                     std::string_view programme_id,
                                                                     std::string_view item_id) = 0;
  // Done sessions of one item at `size` recorded (create_time) at or after `since`: how many,
  // and the scores of the latest `latest` of them by practice time (newest first). `since` is a
  // server time (when the size became current, or a decision on it), so it is compared with the
  // server's create_time, never with the phone's practiced_at.
  virtual absl::StatusOr<int> CountAtSize(std::string_view clinic_id, std::string_view programme_id,
                                          std::string_view item_id, int size, absl::Time since) = 0;
  virtual absl::StatusOr<std::vector<PracticeScore>> LatestAtSize(std::string_view clinic_id,
                                                                  std::string_view programme_id,
                                                                  std::string_view item_id,
                                                                  int size, absl::Time since,
                                                                  int latest) = 0;
  // The client's most recent practice time (any programme, skipped included); nullopt if none.
  virtual absl::StatusOr<std::optional<absl::Time>> LatestPracticeTime(
      std::string_view clinic_id, std::string_view client_id) = 0;
  // Sum and count of pain scores of the client's done sessions practised in [start, end).
  virtual absl::StatusOr<std::pair<int, int>> PainTotals(std::string_view clinic_id,
                                                         std::string_view client_id,
                                                         absl::Time start, absl::Time end) = 0;
  // Crypto-erasure: deletes every log of the client (her scores, sizes, durations and sealed
  // words with the rows). Returns how many.
  virtual absl::StatusOr<int> DeleteAllOfClient(std::string_view clinic_id,
                                                std::string_view client_id) = 0;
};

}  // namespace confide
