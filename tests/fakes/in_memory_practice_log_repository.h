#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "confide/v1/programmes.pb.h"
#include "services/programmes/ports/practice_log_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

// The practice log over InMemoryDatabase::practice_logs; the aggregates compute what the SQL
// GROUP BY queries of SociPracticeLogRepository return, by walking every log.
class InMemoryPracticeLogRepository final : public PracticeLogRepository {
 public:
  explicit InMemoryPracticeLogRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const PracticeLogRecord& record) override {
    if (db_.practice_logs.count(record.id) > 0) {
      return absl::AlreadyExistsError("practice log id already used");
    }
    for (const auto& [id, log] : db_.practice_logs) {
      if (log.clinic_id == record.clinic_id && log.request_id == record.request_id) {
        return absl::AlreadyExistsError("request id already used");
      }
    }
    db_.practice_logs[record.id] = record;
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<PracticeLogRecord>> FindByRequestId(
      std::string_view clinic_id, std::string_view request_id) override {
    for (const auto& [id, log] : db_.practice_logs) {
      if (log.clinic_id == clinic_id && log.request_id == request_id) {
        return log;
      }
    }
    return std::nullopt;
  }
  absl::StatusOr<std::vector<PracticeLogRecord>> List(const PracticeLogQuery& query) override {
    std::vector<PracticeLogRecord> out;
    for (const auto& [id, log] : db_.practice_logs) {
      if (log.clinic_id != query.clinic_id || log.client_id != query.client_id ||
          (!query.programme_id.empty() && log.programme_id != query.programme_id) ||
          (!query.item_id.empty() && log.item_id != query.item_id) ||
          (query.start && log.practiced_at < *query.start) ||
          (query.end && log.practiced_at >= *query.end)) {
        continue;
      }
      if (!query.after_id.empty() && query.after_practiced_at &&
          !(log.practiced_at < *query.after_practiced_at ||
            (log.practiced_at == *query.after_practiced_at && log.id < query.after_id))) {
        continue;
      }
      out.push_back(log);
    }
    std::sort(out.begin(), out.end(), [](const PracticeLogRecord& a, const PracticeLogRecord& b) {
      return std::tie(b.practiced_at, b.id) < std::tie(a.practiced_at, a.id);
    });
    if (static_cast<int>(out.size()) > query.limit) {
      out.resize(query.limit);
    }
    return out;
  }
  absl::StatusOr<std::vector<PracticeDayTotals>> DailyTotals(std::string_view clinic_id,
                                                             std::string_view programme_id,
                                                             std::string_view item_id,
                                                             std::string_view from_date,
                                                             std::string_view to_date) override {
    std::map<std::string, PracticeDayTotals> days;
    for (const PracticeLogRecord& log : OfItem(clinic_id, programme_id, item_id)) {
      if ((!from_date.empty() && log.local_date < from_date) ||
          (!to_date.empty() && log.local_date > to_date)) {
        continue;
      }
      PracticeDayTotals& day = days[log.local_date];
      day.local_date = log.local_date;
      if (!IsDone(log)) {
        day.skipped += log.completion == v1::PRACTICE_COMPLETION_SKIPPED;
        continue;
      }
      ++day.done;
      if (log.pain >= 0) {
        day.pain_sum += log.pain;
        ++day.pain_count;
        day.pain_free += log.pain == 0;
      }
      if (log.anxiety >= 0) {
        day.anxiety_sum += log.anxiety;
        ++day.anxiety_count;
      }
      day.max_pain = std::max(day.max_pain, log.pain);
    }
    std::vector<PracticeDayTotals> out;
    for (auto& [date, day] : days) {
      out.push_back(day);
    }
    return out;
  }
  absl::StatusOr<std::vector<PracticeSizeTotals>> SizeTotals(std::string_view clinic_id,
                                                             std::string_view programme_id,
                                                             std::string_view item_id) override {
    std::map<int, PracticeSizeTotals> sizes;
    std::map<int, std::set<std::string>> dates;
    for (const PracticeLogRecord& log : OfItem(clinic_id, programme_id, item_id)) {
      if (!IsDone(log) || log.dilator_size <= 0) {
        continue;
      }
      PracticeSizeTotals& size = sizes[log.dilator_size];
      if (size.sessions == 0) {
        size.size = log.dilator_size;
        size.first_date = size.last_date = log.local_date;
        size.first_practiced_at = log.practiced_at;
      }
      size.first_date = std::min(size.first_date, log.local_date);
      size.last_date = std::max(size.last_date, log.local_date);
      size.first_practiced_at = std::min(size.first_practiced_at, log.practiced_at);
      ++size.sessions;
      dates[log.dilator_size].insert(log.local_date);
      size.days = static_cast<int>(dates[log.dilator_size].size());
    }
    std::vector<PracticeSizeTotals> out;
    for (auto& [n, size] : sizes) {
      out.push_back(size);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const PracticeSizeTotals& a, const PracticeSizeTotals& b) {
                       return a.first_practiced_at < b.first_practiced_at;
                     });
    return out;
  }
  absl::StatusOr<int> CountAtSize(std::string_view clinic_id, std::string_view programme_id,
                                  std::string_view item_id, int size, absl::Time since) override {
    int n = 0;
    for (const PracticeLogRecord& log : OfItem(clinic_id, programme_id, item_id)) {
      n += IsDone(log) && log.dilator_size == size && log.create_time >= since;
    }
    return n;
  }
  absl::StatusOr<std::vector<PracticeScore>> LatestAtSize(std::string_view clinic_id,
                                                          std::string_view programme_id,
                                                          std::string_view item_id, int size,
                                                          absl::Time since, int latest) override {
    std::vector<PracticeScore> out;
    for (const PracticeLogRecord& log : OfItem(clinic_id, programme_id, item_id)) {
      if (IsDone(log) && log.dilator_size == size && log.create_time >= since) {
        out.push_back(PracticeScore{
            .practiced_at = log.practiced_at, .pain = log.pain, .anxiety = log.anxiety});
      }
    }
    std::sort(out.begin(), out.end(), [](const PracticeScore& a, const PracticeScore& b) {
      return a.practiced_at > b.practiced_at;
    });
    if (static_cast<int>(out.size()) > latest) {
      out.resize(latest);
    }
    return out;
  }
  absl::StatusOr<std::optional<absl::Time>> LatestPracticeTime(
      std::string_view clinic_id, std::string_view client_id) override {
    std::optional<absl::Time> latest;
    for (const auto& [id, log] : db_.practice_logs) {
      if (log.clinic_id == clinic_id && log.client_id == client_id &&
          (!latest || log.practiced_at > *latest)) {
        latest = log.practiced_at;
      }
    }
    return latest;
  }
  absl::StatusOr<std::pair<int, int>> PainTotals(std::string_view clinic_id,
                                                 std::string_view client_id, absl::Time start,
                                                 absl::Time end) override {
    int sum = 0, count = 0;
    for (const auto& [id, log] : db_.practice_logs) {
      if (log.clinic_id == clinic_id && log.client_id == client_id && IsDone(log) &&
          log.pain >= 0 && log.practiced_at >= start && log.practiced_at < end) {
        sum += log.pain;
        ++count;
      }
    }
    return std::make_pair(sum, count);
  }
  absl::StatusOr<int> DeleteAllOfClient(std::string_view clinic_id,
                                        std::string_view client_id) override {
    return static_cast<int>(std::erase_if(db_.practice_logs, [&](const auto& entry) {
      return entry.second.clinic_id == clinic_id && entry.second.client_id == client_id;
    }));
  }

 private:
  static bool IsDone(const PracticeLogRecord& log) {
    return log.completion == v1::PRACTICE_COMPLETION_FULLY ||
           log.completion == v1::PRACTICE_COMPLETION_PARTLY;
  }

  std::vector<PracticeLogRecord> OfItem(std::string_view clinic_id, std::string_view programme_id,
                                        std::string_view item_id) const {
    std::vector<PracticeLogRecord> out;
    for (const auto& [id, log] : db_.practice_logs) {
      if (log.clinic_id == clinic_id && log.programme_id == programme_id &&
          log.item_id == item_id) {
        out.push_back(log);
      }
    }
    return out;
  }

  InMemoryDatabase& db_;
};

}  // namespace confide
