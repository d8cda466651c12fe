#pragma once

#include "services/programmes/ports/practice_log_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

class InMemoryPracticeLogRepository final : public PracticeLogRepository {
 public:
  explicit InMemoryPracticeLogRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const PracticeLogRecord& /*record*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryPracticeLogRepository::Insert");
  }
  absl::StatusOr<std::optional<PracticeLogRecord>> FindByRequestId(
      std::string_view /*clinic_id*/, std::string_view /*request_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryPracticeLogRepository::FindByRequestId");
  }
  absl::StatusOr<std::vector<PracticeLogRecord>> List(const PracticeLogQuery& /*query*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryPracticeLogRepository::List");
  }
  absl::StatusOr<std::vector<PracticeDayTotals>> DailyTotals(
      std::string_view /*clinic_id*/, std::string_view /*programme_id*/,
      std::string_view /*item_id*/, std::string_view /*from_date*/,
      std::string_view /*to_date*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryPracticeLogRepository::DailyTotals");
  }
  absl::StatusOr<std::vector<PracticeSizeTotals>> SizeTotals(
      std::string_view /*clinic_id*/, std::string_view /*programme_id*/,
      std::string_view /*item_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryPracticeLogRepository::SizeTotals");
  }
  absl::StatusOr<int> CountAtSize(std::string_view /*clinic_id*/, std::string_view /*programme_id*/,
                                  std::string_view /*item_id*/, int /*size*/,
                                  absl::Time /*since*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryPracticeLogRepository::CountAtSize");
  }
  absl::StatusOr<std::vector<PracticeScore>> LatestAtSize(std::string_view /*clinic_id*/,
                                                          std::string_view /*programme_id*/,
                                                          std::string_view /*item_id*/,
                                                          int /*size*/, absl::Time /*since*/,
                                                          int /*latest*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryPracticeLogRepository::LatestAtSize");
  }
  absl::StatusOr<std::optional<absl::Time>> LatestPracticeTime(
      std::string_view /*clinic_id*/, std::string_view /*client_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryPracticeLogRepository::LatestPracticeTime");
  }
  absl::StatusOr<std::pair<int, int>> PainTotals(std::string_view /*clinic_id*/,
                                                 std::string_view /*client_id*/,
                                                 absl::Time /*start*/,
                                                 absl::Time /*end*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryPracticeLogRepository::PainTotals");
  }

 private:
  InMemoryDatabase& db_;
};

}  // namespace confide
