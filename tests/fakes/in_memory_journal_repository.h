#pragma once

#include "services/journal/ports/journal_repository.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {

class InMemoryJournalRepository final : public JournalRepository {
 public:
  explicit InMemoryJournalRepository(InMemoryDatabase& db) : db_(db) {}

  absl::Status Insert(const JournalEntryRecord& /*record*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryJournalRepository::Insert");
  }
  absl::StatusOr<std::optional<JournalEntryRecord>> Find(std::string_view /*clinic_id*/,
                                                         std::string_view /*client_id*/,
                                                         std::string_view /*entry_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryJournalRepository::Find");
  }
  absl::StatusOr<std::optional<JournalEntryRecord>> FindByRequestId(
      std::string_view /*clinic_id*/, std::string_view /*request_id*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryJournalRepository::FindByRequestId");
  }
  absl::StatusOr<std::vector<JournalEntryRecord>> List(
      std::string_view /*clinic_id*/, std::string_view /*client_id*/, JournalAudience /*audience*/,
      std::optional<absl::Time> /*after_write_time*/, std::string_view /*after_id*/,
      int /*limit*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryJournalRepository::List");
  }
  absl::Status Update(const JournalEntryRecord& /*next*/, int /*expected_revision*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryJournalRepository::Update");
  }
  absl::Status Delete(std::string_view /*clinic_id*/, std::string_view /*client_id*/,
                      std::string_view /*entry_id*/, int /*expected_revision*/) override {
    (void)db_;
    return absl::UnimplementedError("InMemoryJournalRepository::Delete");
  }

 private:
  InMemoryDatabase& db_;
};

}  // namespace confide
