#include "adapters/persistence/soci_practice_log_repository.h"

#include "soci/soci.h"

namespace confide::persistence {

absl::Status SociPracticeLogRepository::Insert(const PracticeLogRecord& /*record*/) {
  (void)sql_;
  return absl::UnimplementedError("SociPracticeLogRepository::Insert");
}

absl::StatusOr<std::optional<PracticeLogRecord>> SociPracticeLogRepository::FindByRequestId(
    std::string_view /*clinic_id*/, std::string_view /*request_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociPracticeLogRepository::FindByRequestId");
}

absl::StatusOr<std::vector<PracticeLogRecord>> SociPracticeLogRepository::List(
    const PracticeLogQuery& /*query*/) {
  (void)sql_;
  return absl::UnimplementedError("SociPracticeLogRepository::List");
}

absl::StatusOr<std::vector<PracticeDayTotals>> SociPracticeLogRepository::DailyTotals(
    std::string_view /*clinic_id*/, std::string_view /*programme_id*/, std::string_view /*item_id*/,
    std::string_view /*from_date*/, std::string_view /*to_date*/) {
  (void)sql_;
  return absl::UnimplementedError("SociPracticeLogRepository::DailyTotals");
}

absl::StatusOr<std::vector<PracticeSizeTotals>> SociPracticeLogRepository::SizeTotals(
    std::string_view /*clinic_id*/, std::string_view /*programme_id*/,
    std::string_view /*item_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociPracticeLogRepository::SizeTotals");
}

absl::StatusOr<int> SociPracticeLogRepository::CountAtSize(std::string_view /*clinic_id*/,
                                                           std::string_view /*programme_id*/,
                                                           std::string_view /*item_id*/,
                                                           int /*size*/, absl::Time /*since*/) {
  (void)sql_;
  return absl::UnimplementedError("SociPracticeLogRepository::CountAtSize");
}

absl::StatusOr<std::vector<PracticeScore>> SociPracticeLogRepository::LatestAtSize(
    std::string_view /*clinic_id*/, std::string_view /*programme_id*/, std::string_view /*item_id*/,
    int /*size*/, absl::Time /*since*/, int /*latest*/) {
  (void)sql_;
  return absl::UnimplementedError("SociPracticeLogRepository::LatestAtSize");
}

absl::StatusOr<std::optional<absl::Time>> SociPracticeLogRepository::LatestPracticeTime(
    std::string_view /*clinic_id*/, std::string_view /*client_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociPracticeLogRepository::LatestPracticeTime");
}

absl::StatusOr<std::pair<int, int>> SociPracticeLogRepository::PainTotals(
    std::string_view /*clinic_id*/, std::string_view /*client_id*/, absl::Time /*start*/,
    absl::Time /*end*/) {
  (void)sql_;
  return absl::UnimplementedError("SociPracticeLogRepository::PainTotals");
}

}  // namespace confide::persistence
