#pragma once

#include <optional>
#include <string>
#include <vector>

#include "confide/v1/programmes.pb.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

class InMemoryProgressionSuggestionRepository final : public ProgressionSuggestionRepository {
 public:
  explicit InMemoryProgressionSuggestionRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const ProgressionSuggestionRecord& record) override {
    if (db_.progression_suggestions.count(record.id) > 0) {
      return absl::AlreadyExistsError("suggestion id already used");
    }
    if (record.status == v1::SUGGESTION_STATUS_PENDING) {
      for (const auto& [id, s] : db_.progression_suggestions) {
        if (s.status == v1::SUGGESTION_STATUS_PENDING && s.programme_id == record.programme_id &&
            s.item_id == record.item_id) {
          return absl::AlreadyExistsError("the item already has a pending suggestion");
        }
      }
    }
    db_.progression_suggestions[record.id] = record;
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<ProgressionSuggestionRecord>> Find(
      std::string_view clinic_id, std::string_view client_id,
      std::string_view suggestion_id) override {
    auto it = db_.progression_suggestions.find(std::string(suggestion_id));
    if (it == db_.progression_suggestions.end() || it->second.clinic_id != clinic_id ||
        it->second.client_id != client_id) {
      return std::nullopt;
    }
    return it->second;
  }
  absl::StatusOr<std::optional<ProgressionSuggestionRecord>> FindPending(
      std::string_view clinic_id, std::string_view programme_id,
      std::string_view item_id) override {
    for (const auto& [id, s] : db_.progression_suggestions) {
      if (s.clinic_id == clinic_id && s.programme_id == programme_id && s.item_id == item_id &&
          s.status == v1::SUGGESTION_STATUS_PENDING) {
        return s;
      }
    }
    return std::nullopt;
  }
  absl::StatusOr<std::vector<ProgressionSuggestionRecord>> ListOfClient(std::string_view clinic_id,
                                                                        std::string_view client_id,
                                                                        int status,
                                                                        std::string_view after_id,
                                                                        int limit) override {
    std::vector<ProgressionSuggestionRecord> out;
    for (auto it = db_.progression_suggestions.rbegin();
         it != db_.progression_suggestions.rend() && static_cast<int>(out.size()) < limit; ++it) {
      const ProgressionSuggestionRecord& s = it->second;
      if (s.clinic_id == clinic_id && s.client_id == client_id &&
          (status == 0 || s.status == status) && (after_id.empty() || s.id < after_id)) {
        out.push_back(s);
      }
    }
    return out;
  }
  absl::Status Decide(const ProgressionSuggestionRecord& decided) override {
    auto it = db_.progression_suggestions.find(decided.id);
    if (it == db_.progression_suggestions.end() || it->second.clinic_id != decided.clinic_id) {
      return absl::NotFoundError("suggestion not found");
    }
    if (it->second.status != v1::SUGGESTION_STATUS_PENDING) {
      return absl::AbortedError("the suggestion was already decided");
    }
    it->second.status = decided.status;
    it->second.decided_by_user_id = decided.decided_by_user_id;
    it->second.decide_time = decided.decide_time;
    it->second.accepted_version = decided.accepted_version;
    return absl::OkStatus();
  }
  absl::StatusOr<int> SupersedePending(std::string_view clinic_id, std::string_view programme_id,
                                       std::string_view item_id) override {
    int n = 0;
    for (auto& [id, s] : db_.progression_suggestions) {
      if (s.clinic_id == clinic_id && s.programme_id == programme_id && s.item_id == item_id &&
          s.status == v1::SUGGESTION_STATUS_PENDING) {
        s.status = v1::SUGGESTION_STATUS_SUPERSEDED;
        ++n;
      }
    }
    return n;
  }
  absl::StatusOr<int> CountPendingOfClient(std::string_view clinic_id,
                                           std::string_view client_id) override {
    int n = 0;
    for (const auto& [id, s] : db_.progression_suggestions) {
      n += s.clinic_id == clinic_id && s.client_id == client_id &&
           s.status == v1::SUGGESTION_STATUS_PENDING;
    }
    return n;
  }
  absl::StatusOr<std::optional<absl::Time>> LatestDeclineTime(std::string_view clinic_id,
                                                              std::string_view client_id,
                                                              std::string_view programme_id,
                                                              std::string_view item_id,
                                                              int from_size) override {
    std::optional<absl::Time> latest;
    for (const auto& [id, s] : db_.progression_suggestions) {
      if (s.clinic_id == clinic_id && s.client_id == client_id && s.programme_id == programme_id &&
          s.item_id == item_id && s.from_size == from_size &&
          s.status == v1::SUGGESTION_STATUS_DECLINED && s.decide_time.has_value() &&
          (!latest || *s.decide_time > *latest)) {
        latest = s.decide_time;
      }
    }
    return latest;
  }
  absl::StatusOr<int> DeleteAllOfClient(std::string_view clinic_id,
                                        std::string_view client_id) override {
    return static_cast<int>(std::erase_if(db_.progression_suggestions, [&](const auto& entry) {
      return entry.second.clinic_id == clinic_id && entry.second.client_id == client_id;
    }));
  }

 private:
  InMemoryDatabase& db_;
};

}  // namespace confide
