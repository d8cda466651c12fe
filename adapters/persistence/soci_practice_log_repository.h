#pragma once

#include <string>

#include "services/programmes/ports/practice_log_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Practice logs in `practice_logs`; progress aggregates are GROUP BY queries over its indexes.
class SociPracticeLogRepository final : public PracticeLogRepository {
 public:
  explicit SociPracticeLogRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const PracticeLogRecord& record) override;
  absl::StatusOr<std::optional<PracticeLogRecord>> FindByRequestId(
      std::string_view clinic_id, std::string_view request_id) override;
  absl::StatusOr<std::vector<PracticeLogRecord>> List(const PracticeLogQuery& query) override;
  absl::StatusOr<std::vector<PracticeDayTotals>> DailyTotals(std::string_view clinic_id,
                                                             std::string_view programme_id,
                                                             std::string_view item_id,
                                                             std::string_view from_date,
                                                             std::string_view to_date) override;
  absl::StatusOr<std::vector<PracticeSizeTotals>> SizeTotals(std::string_view clinic_id,
                                                             std::string_view programme_id,
                                                             std::string_view item_id) override;
  absl::StatusOr<int> CountAtSize(std::string_view clinic_id, std::string_view programme_id,
                                  std::string_view item_id, int size, absl::Time since) override;
  absl::StatusOr<std::vector<PracticeScore>> LatestAtSize(std::string_view clinic_id,
                                                          std::string_view programme_id,
                                                          std::string_view item_id, int size,
                                                          absl::Time since, int latest) override;
  absl::StatusOr<std::optional<absl::Time>> LatestPracticeTime(std::string_view clinic_id,
                                                               std::string_view client_id) override;
  absl::StatusOr<std::pair<int, int>> PainTotals(std::string_view clinic_id,
                                                 std::string_view client_id, absl::Time start,
                                                 absl::Time end) override;
  absl::StatusOr<int> DeleteAllOfClient(std::string_view clinic_id,
                                        std::string_view client_id) override;

  // The aggregate statements as they run, for EXPLAIN in the persistence test.
  static const std::string& DailyTotalsSql();
  static const std::string& SizeTotalsSql();
  static const std::string& CountAtSizeSql();
  static const std::string& LatestAtSizeSql();
  static const std::string& LatestPracticeTimeSql();
  static const std::string& PainTotalsSql();

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
