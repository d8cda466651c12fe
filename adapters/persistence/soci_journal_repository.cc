#include "adapters/persistence/soci_journal_repository.h"

#include "soci/soci.h"

namespace confide::persistence {

absl::Status SociJournalRepository::Insert(const JournalEntryRecord& /*record*/) {
  (void)sql_;
  return absl::UnimplementedError("SociJournalRepository::Insert");
}

absl::StatusOr<std::optional<JournalEntryRecord>> SociJournalRepository::Find(
    std::string_view /*clinic_id*/, std::string_view /*client_id*/, std::string_view /*entry_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociJournalRepository::Find");
}

absl::StatusOr<std::optional<JournalEntryRecord>> SociJournalRepository::FindByRequestId(
    std::string_view /*clinic_id*/, std::string_view /*request_id*/) {
  (void)sql_;
  return absl::UnimplementedError("SociJournalRepository::FindByRequestId");
}

absl::StatusOr<std::vector<JournalEntryRecord>> SociJournalRepository::List(
    std::string_view /*clinic_id*/, std::string_view /*client_id*/, JournalAudience /*audience*/,
    std::optional<absl::Time> /*after_write_time*/, std::string_view /*after_id*/, int /*limit*/) {
  (void)sql_;
  return absl::UnimplementedError("SociJournalRepository::List");
}

absl::Status SociJournalRepository::Update(const JournalEntryRecord& /*next*/,
                                           int /*expected_revision*/) {
  (void)sql_;
  return absl::UnimplementedError("SociJournalRepository::Update");
}

absl::Status SociJournalRepository::Delete(std::string_view /*clinic_id*/,
                                           std::string_view /*client_id*/,
                                           std::string_view /*entry_id*/,
                                           int /*expected_revision*/) {
  (void)sql_;
  return absl::UnimplementedError("SociJournalRepository::Delete");
}

}  // namespace confide::persistence
