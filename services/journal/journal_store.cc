#include "services/journal/journal_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/api/etag.h"
#include "services/common/timestamps.h"
#include "services/crypto/sealed_message.h"

namespace confide {
namespace {

constexpr std::string_view kEntriesTable = "journal_entries";
constexpr std::string_view kContentColumn = "content";

// What is sealed: her words only. Sharing flags and times stay plain so lists filter in SQL.
v1::JournalEntry ContentOf(const v1::JournalEntry& entry) {
  v1::JournalEntry content;
  content.set_text(entry.text());
  content.set_mood(entry.mood());
  *content.mutable_tags() = entry.tags();
  return content;
}

}  // namespace

std::string JournalEntryResource(std::string_view client_id, std::string_view entry_id) {
  return absl::StrCat("clients/", std::string(client_id), "/journalEntries/",
                      std::string(entry_id));
}

absl::Status SealContent(ClientDataCipher& cipher, UnitOfWork& uow, const v1::JournalEntry& entry,
                         JournalEntryRecord& record) {
  absl::StatusOr<std::string> sealed =
      SealMessage(cipher, uow, record.clinic_id, record.client_id,
                  FieldLocation{kEntriesTable, kContentColumn, record.id}, ContentOf(entry));
  if (!sealed.ok()) {
    return sealed.status();
  }
  record.content_sealed = *std::move(sealed);
  return absl::OkStatus();
}

absl::StatusOr<JournalEntryRecord> SealNewEntry(ClientDataCipher& cipher, UnitOfWork& uow,
                                                std::string_view clinic_id,
                                                const v1::JournalEntry& entry,
                                                std::string_view request_id, absl::Time now) {
  JournalEntryRecord record{.id = entry.id(),
                            .clinic_id = std::string(clinic_id),
                            .client_id = entry.client_id(),
                            .write_time = StoredTime(FromTimestamp(entry.write_time())),
                            .shared_with_care_team = entry.shared_with_care_team(),
                            .shared_with_partner = entry.shared_with_partner(),
                            .revision = 1,
                            .create_time = StoredTime(now),
                            .update_time = StoredTime(now),
                            .request_id = std::string(request_id)};
  if (absl::Status sealed = SealContent(cipher, uow, entry, record); !sealed.ok()) {
    return sealed;
  }
  return record;
}

absl::StatusOr<v1::JournalEntry> OpenEntry(ClientDataCipher& cipher, UnitOfWork& uow,
                                           const JournalEntryRecord& record) {
  v1::JournalEntry content;
  if (absl::Status opened = OpenMessage(cipher, uow, record.clinic_id, record.client_id,
                                        FieldLocation{kEntriesTable, kContentColumn, record.id},
                                        record.content_sealed, &content);
      !opened.ok()) {
    return opened;
  }
  return EntryOf(record, content);
}

v1::JournalEntry EntryOf(const JournalEntryRecord& record, const v1::JournalEntry& content) {
  v1::JournalEntry entry = ContentOf(content);
  entry.set_id(record.id);
  entry.set_client_id(record.client_id);
  entry.set_shared_with_care_team(record.shared_with_care_team);
  entry.set_shared_with_partner(record.shared_with_partner);
  *entry.mutable_write_time() = ToTimestamp(record.write_time);
  *entry.mutable_create_time() = ToTimestamp(record.create_time);
  *entry.mutable_update_time() = ToTimestamp(record.update_time);
  entry.set_etag(EtagOf(record.revision));
  return entry;
}

}  // namespace confide
