#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "confide/v1/journal.pb.h"
#include "services/crypto/ports/client_data_cipher.h"
#include "services/journal/ports/journal_repository.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// Journal entries as stored: who may see an entry is plain, what she wrote (text, mood, tags)
// is one sealed v1::JournalEntry under her data key at {"journal_entries", "content", id}.
// Everything that reads or writes an entry's content goes through here (the service and the
// demo data), so the sealing location is decided in one place.

// The audit resource of an entry: ids only, never journal text.
std::string JournalEntryResource(std::string_view client_id, std::string_view entry_id);

// The record for `entry` (its id, client, sharing flags and write time as given; text, mood
// and tags sealed), at revision 1, created and updated at `now`.
absl::StatusOr<JournalEntryRecord> SealNewEntry(ClientDataCipher& cipher, UnitOfWork& uow,
                                                std::string_view clinic_id,
                                                const v1::JournalEntry& entry,
                                                std::string_view request_id, absl::Time now);

// Replaces the sealed content of `record` with the text, mood and tags of `entry`.
absl::Status SealContent(ClientDataCipher& cipher, UnitOfWork& uow, const v1::JournalEntry& entry,
                         JournalEntryRecord& record);

// The whole entry as its author sees it, from its record and its opened `content` (text, mood,
// tags): output-only fields filled, etag from the revision.
v1::JournalEntry EntryOf(const JournalEntryRecord& record, const v1::JournalEntry& content);

// The whole entry as its author sees it: content opened, output-only fields filled, etag from
// the revision. DATA_LOSS or FAILED_PRECONDITION (erased) as ClientDataCipher::Open.
absl::StatusOr<v1::JournalEntry> OpenEntry(ClientDataCipher& cipher, UnitOfWork& uow,
                                           const JournalEntryRecord& record);

}  // namespace confide
