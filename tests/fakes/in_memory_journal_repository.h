#pragma once

#include <algorithm>
#include <string>
#include <tuple>

#include "services/journal/ports/journal_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

// The journal over InMemoryDatabase::journal_entries, with the SQL adapter's ordering, filters
// and conditional writes.
class InMemoryJournalRepository final : public JournalRepository {
 public:
  explicit InMemoryJournalRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const JournalEntryRecord& record) override {
    if (db_.journal_entries.contains(record.id)) {
      return absl::AlreadyExistsError("journal entry id already used");
    }
    if (!record.request_id.empty()) {
      for (const auto& [id, entry] : db_.journal_entries) {
        if (entry.clinic_id == record.clinic_id && entry.request_id == record.request_id) {
          return absl::AlreadyExistsError("request id already used");
        }
      }
    }
    db_.journal_entries.emplace(record.id, record);
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<JournalEntryRecord>> Find(std::string_view clinic_id,
                                                         std::string_view client_id,
                                                         std::string_view entry_id) override {
    const JournalEntryRecord* entry = Stored(clinic_id, client_id, entry_id);
    if (entry == nullptr) {
      return std::nullopt;
    }
    return *entry;
  }

  absl::StatusOr<std::optional<JournalEntryRecord>> FindByRequestId(
      std::string_view clinic_id, std::string_view request_id) override {
    if (request_id.empty()) {
      return std::nullopt;
    }
    for (const auto& [id, entry] : db_.journal_entries) {
      if (entry.clinic_id == clinic_id && entry.request_id == request_id) {
        return entry;
      }
    }
    return std::nullopt;
  }

  absl::StatusOr<std::vector<JournalEntryRecord>> List(
      std::string_view clinic_id, std::string_view client_id, JournalAudience audience,
      std::optional<absl::Time> after_write_time, std::string_view after_id, int limit) override {
    const bool resumes = !after_id.empty() && after_write_time.has_value();
    const std::string after(after_id);
    const absl::Time after_time = after_write_time.value_or(absl::InfinitePast());
    std::vector<JournalEntryRecord> entries;
    for (const auto& [id, entry] : db_.journal_entries) {
      if (entry.clinic_id != clinic_id || entry.client_id != client_id) {
        continue;
      }
      if ((audience == JournalAudience::kCareTeam && !entry.shared_with_care_team) ||
          (audience == JournalAudience::kPartner && !entry.shared_with_partner)) {
        continue;
      }
      if (resumes && std::tie(entry.write_time, entry.id) >= std::tie(after_time, after)) {
        continue;
      }
      entries.push_back(entry);
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return std::tie(a.write_time, a.id) > std::tie(b.write_time, b.id);
    });
    if (static_cast<int>(entries.size()) > std::max(limit, 0)) {
      entries.resize(std::max(limit, 0));
    }
    return entries;
  }

  absl::Status Update(const JournalEntryRecord& next, int expected_revision) override {
    JournalEntryRecord* entry = Stored(next.clinic_id, next.client_id, next.id);
    if (entry == nullptr) {
      return absl::NotFoundError("journal entry not found");
    }
    if (entry->revision != expected_revision) {
      return absl::AbortedError("the journal entry was changed since it was read");
    }
    entry->write_time = next.write_time;
    entry->shared_with_care_team = next.shared_with_care_team;
    entry->shared_with_partner = next.shared_with_partner;
    entry->content_sealed = next.content_sealed;
    entry->revision = expected_revision + 1;
    entry->update_time = next.update_time;
    return absl::OkStatus();
  }

  absl::Status Delete(std::string_view clinic_id, std::string_view client_id,
                      std::string_view entry_id, int expected_revision) override {
    JournalEntryRecord* entry = Stored(clinic_id, client_id, entry_id);
    if (entry == nullptr) {
      return absl::NotFoundError("journal entry not found");
    }
    if (entry->revision != expected_revision) {
      return absl::AbortedError("the journal entry was changed since it was read");
    }
    db_.journal_entries.erase(entry->id);
    return absl::OkStatus();
  }

 private:
  JournalEntryRecord* Stored(std::string_view clinic_id, std::string_view client_id,
                             std::string_view entry_id) {
    auto it = db_.journal_entries.find(std::string(entry_id));
    if (it == db_.journal_entries.end() || it->second.clinic_id != clinic_id ||
        it->second.client_id != client_id) {
      return nullptr;
    }
    return &it->second;
  }

  InMemoryDatabase& db_;
};

}  // namespace confide
