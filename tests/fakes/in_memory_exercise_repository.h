#pragma once

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

#include "services/exercises/ports/exercise_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

// The exercise library in memory, with the SQL adapters' uniqueness rules and (title, id) order
// (byte order, as SQLite's BINARY collation).
class InMemoryExerciseRepository final : public ExerciseRepository {
 public:
  explicit InMemoryExerciseRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const ExerciseRecord& record, std::string_view create_request_id) override {
    if (db_.exercises.contains(record.id)) {
      return absl::AlreadyExistsError("exercise id taken");
    }
    if (!record.starter_key.empty()) {
      for (const auto& [id, other] : db_.exercises) {
        if (other.clinic_id == record.clinic_id && other.starter_key == record.starter_key) {
          return absl::AlreadyExistsError("starter key taken");
        }
      }
    }
    if (!create_request_id.empty() &&
        !db_.exercise_create_requests
             .emplace(std::make_pair(record.clinic_id, std::string(create_request_id)), record.id)
             .second) {
      return absl::AlreadyExistsError("request id taken");
    }
    db_.exercises.emplace(record.id, record);
    return absl::OkStatus();
  }

  absl::Status InsertVersion(const ExerciseVersionRecord& record) override {
    if (!db_.exercises.contains(record.exercise_id)) {
      return absl::FailedPreconditionError("no such exercise");
    }
    if (!db_.exercise_versions.emplace(std::make_pair(record.exercise_id, record.version), record)
             .second) {
      return absl::AlreadyExistsError("version taken");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<ExerciseRecord>> Find(std::string_view clinic_id,
                                                     std::string_view exercise_id) override {
    auto it = db_.exercises.find(std::string(exercise_id));
    if (it == db_.exercises.end() || it->second.clinic_id != clinic_id) {
      return std::nullopt;
    }
    return it->second;
  }

  absl::StatusOr<std::optional<ExerciseRecord>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) override {
    if (request_id.empty()) {
      return std::nullopt;
    }
    auto it = db_.exercise_create_requests.find(
        std::make_pair(std::string(clinic_id), std::string(request_id)));
    if (it == db_.exercise_create_requests.end()) {
      return std::nullopt;
    }
    return Find(clinic_id, it->second);
  }

  absl::StatusOr<std::optional<ExerciseRecord>> FindByStarterKey(
      std::string_view clinic_id, std::string_view starter_key) override {
    if (starter_key.empty()) {
      return std::nullopt;
    }
    for (const auto& [id, record] : db_.exercises) {
      if (record.clinic_id == clinic_id && record.starter_key == starter_key) {
        return record;
      }
    }
    return std::nullopt;
  }

  absl::StatusOr<std::vector<ExerciseRecord>> List(const ExerciseListQuery& query) override {
    std::vector<ExerciseRecord> rows;
    for (const auto& [id, record] : db_.exercises) {
      if (record.clinic_id != query.clinic_id ||
          (query.category != 0 && record.category != query.category) ||
          (!query.include_archived && record.archived)) {
        continue;
      }
      if (!query.after_id.empty() &&
          std::tie(record.title, record.id) <= std::tie(query.after_title, query.after_id)) {
        continue;
      }
      rows.push_back(record);
    }
    std::sort(rows.begin(), rows.end(), [](const ExerciseRecord& a, const ExerciseRecord& b) {
      return std::tie(a.title, a.id) < std::tie(b.title, b.id);
    });
    if (static_cast<int>(rows.size()) > query.limit) {
      rows.resize(std::max(query.limit, 0));
    }
    return rows;
  }

  absl::StatusOr<std::optional<ExerciseVersionRecord>> FindVersion(std::string_view clinic_id,
                                                                   std::string_view exercise_id,
                                                                   int version) override {
    auto it = db_.exercise_versions.find(std::make_pair(std::string(exercise_id), version));
    if (it == db_.exercise_versions.end() || it->second.clinic_id != clinic_id) {
      return std::nullopt;
    }
    return it->second;
  }

  absl::Status AdvanceLatest(std::string_view clinic_id, std::string_view exercise_id, int expected,
                             int next, std::string_view title, int category,
                             bool archived) override {
    auto it = db_.exercises.find(std::string(exercise_id));
    if (it == db_.exercises.end() || it->second.clinic_id != clinic_id) {
      return absl::NotFoundError("exercise not found");
    }
    if (it->second.latest_version != expected) {
      return absl::AbortedError("the exercise has a newer version");
    }
    it->second.latest_version = next;
    it->second.title = std::string(title);
    it->second.category = category;
    it->second.archived = archived;
    return absl::OkStatus();
  }

 private:
  InMemoryDatabase& db_;
};

}  // namespace confide
