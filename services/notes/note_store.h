#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "confide/v1/notes.pb.h"
#include "services/api/method_table.h"
#include "services/auth/ports/secret_generator.h"
#include "services/common/principal.h"
#include "services/crypto/ports/client_data_cipher.h"
#include "services/notes/ports/note_repository.h"

namespace confide {

// Notes as stored: the note row with its session facts in plain columns, its content and
// patient summary sealed under the client's data key, and its addenda. Everything that reads
// a note for a caller goes through here, so who may see a note and how it is opened and
// verified are decided in one place.

// The audit resource of a note: ids only, never note text.
std::string NoteResource(std::string_view client_id, std::string_view note_id);

// Whether `who` may see `note` at all (beyond the policy's client-level decision): a draft
// only its author; a discarded note only its author (it was a draft nobody else saw); a
// psychotherapy note only its author and its readers. A signed session note: anyone the
// policy let read the client's notes.
bool MayReadNote(const Principal& who, const NoteRecord& note);

// MayReadNote's rule for a psychotherapy note's readers, with the one fact it cannot know: a
// reader reads the note only while she is a clinician on the client's care team (the author
// shared it with the team). A former member reaching the client by break-glass no longer
// does. True for every other note and for the author.
absl::StatusOr<bool> ReaderStillOnCareTeam(RequestScope& scope, const NoteRecord& note);

// The full note (content and summary opened, addenda attached, output-only fields and etag
// set). A signed note's content hash is recomputed and compared with the stored one, and each
// addendum's too: DATA_LOSS when one differs (the stored content was changed). Does not check
// MayReadNote: callers do.
absl::StatusOr<v1::Note> OpenNote(ClientDataCipher& cipher, const SecretGenerator& digests,
                                  RequestScope& scope, const NoteRecord& record);

// The client's (scope.client_id's) note `note_id` in the caller's clinic, when the caller may
// see it (MayReadNote and ReaderStillOnCareTeam); NOT_FOUND for any other, so a note of another
// client or clinic, or one the caller may not see, is indistinguishable from none.
absl::StatusOr<NoteRecord> LoadVisibleNote(RequestScope& scope, std::string_view note_id);

// OpenNote without the addenda: the content and summary opened and, for a signed note, the
// content hash verified (DATA_LOSS when it differs). For lists that show no addenda.
absl::StatusOr<v1::Note> OpenNoteContent(ClientDataCipher& cipher, const SecretGenerator& digests,
                                         RequestScope& scope, const NoteRecord& record);

// Seals `note`'s content (NoteContent) and patient summary (none when it has none) for
// `record` (its clinic, client and id must be set) into record.content_sealed and
// record.patient_summary_sealed.
absl::Status SealNote(ClientDataCipher& cipher, RequestScope& scope, const v1::Note& note,
                      NoteRecord& record);

// Seals an addendum's text for `record` (its clinic, client and id must be set) into
// record.text_sealed.
absl::Status SealAddendumText(ClientDataCipher& cipher, RequestScope& scope, std::string_view text,
                              AddendumRecord& record);

}  // namespace confide
