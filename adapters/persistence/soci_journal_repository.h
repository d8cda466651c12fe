#pragma once

#include "services/journal/ports/journal_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// The patient's journal in `journal_entries` (content sealed).
class SociJournalRepository final : public JournalRepository {
 public:
  explicit SociJournalRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const JournalEntryRecord& record) override;
  absl::StatusOr<std::optional<JournalEntryRecord>> Find(std::string_view clinic_id,
                                                         std::string_view client_id,
                                                         std::string_view entry_id) override;
  absl::StatusOr<std::optional<JournalEntryRecord>> FindByRequestId(
      std::string_view clinic_id, std::string_view request_id) override;
  absl::StatusOr<std::vector<JournalEntryRecord>> List(
      std::string_view clinic_id, std::string_view client_id, JournalAudience audience,
      std::optional<absl::Time> after_write_time, std::string_view after_id, int limit) override;
  absl::Status Update(const JournalEntryRecord& next, int expected_revision) override;
  absl::Status Delete(std::string_view clinic_id, std::string_view client_id,
                      std::string_view entry_id, int expected_revision) override;

 private:
  soci::session& sql_;
};

}  // namespace confide::persistence
