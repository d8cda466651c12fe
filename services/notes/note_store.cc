#include "services/notes/note_store.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/text_checks.h"
#include "services/crypto/sealed_message.h"
#include "services/notes/note_content.h"
#include "services/notes/note_participants.h"

namespace confide {
namespace {

// Where each sealed value is bound (the cipher's associated data): a value copied to another
// note, addendum, column or client does not open.
constexpr std::string_view kNotesTable = "notes";
constexpr std::string_view kContentColumn = "content";
constexpr std::string_view kSummaryColumn = "patient_summary";
constexpr std::string_view kAddendaTable = "note_addenda";
constexpr std::string_view kTextColumn = "text";

absl::Status NoteNotFound() { return absl::NotFoundError("note not found"); }

// Words no note text: the tamper check's failure says what failed, never what was read.
absl::Status HashMismatch(std::string_view what) {
  return absl::DataLossError(
      absl::StrCat("the stored ", std::string(what), " no longer matches its signed content hash"));
}

absl::Status AttachAddenda(ClientDataCipher& cipher, const SecretGenerator& digests,
                           RequestScope& scope, const NoteRecord& record, v1::Note& note) {
  absl::StatusOr<std::vector<AddendumRecord>> addenda =
      scope.uow.notes().ListAddenda(record.clinic_id, record.id);
  if (!addenda.ok()) {
    return addenda.status();
  }
  for (const AddendumRecord& addendum : *addenda) {
    if (addendum.client_id != record.client_id) {
      return absl::DataLossError("a stored addendum belongs to another client");
    }
    absl::StatusOr<std::string> text =
        cipher.Open(scope.uow, record.clinic_id, record.client_id,
                    FieldLocation{kAddendaTable, kTextColumn, addendum.id}, addendum.text_sealed);
    if (!text.ok()) {
      return text.status();
    }
    if (AddendumContentHash(digests, record.id, addendum.id, addendum.author_user_id,
                            addendum.create_time, *text) != addendum.content_hash) {
      return HashMismatch("addendum");
    }
    *note.add_addenda() = AddendumOf(addendum, *std::move(text));
  }
  return absl::OkStatus();
}

}  // namespace

std::string NoteResource(std::string_view client_id, std::string_view note_id) {
  return absl::StrCat("clients/", std::string(client_id), "/notes/", std::string(note_id));
}

bool MayReadNote(const Principal& who, const NoteRecord& note) {
  // Notes are staff records: a patient reads session summaries, a partner nothing, an auditor
  // the audit trail. The policy already refuses them; this holds even where it is not asked.
  if (who.role != v1::ROLE_CLINICIAN && who.role != v1::ROLE_ADMIN) {
    return false;
  }
  if (who.clinic_id != note.clinic_id) {
    return false;
  }
  const bool author = who.user_id == note.author_user_id;
  if (note.state != v1::NOTE_STATE_SIGNED) {
    // A draft is its author's work in progress; a discarded note was a draft nobody else saw.
    return author;
  }
  switch (note.kind) {
    case v1::NOTE_KIND_SESSION:
      return true;
    case v1::NOTE_KIND_PSYCHOTHERAPY:
      return author || std::find(note.reader_user_ids.begin(), note.reader_user_ids.end(),
                                 who.user_id) != note.reader_user_ids.end();
    default:
      return false;
  }
}

absl::StatusOr<bool> ReaderStillOnCareTeam(RequestScope& scope, const NoteRecord& note) {
  if (note.kind != v1::NOTE_KIND_PSYCHOTHERAPY || scope.principal->user_id == note.author_user_id) {
    return true;
  }
  return IsCareTeamClinician(scope, scope.principal->user_id);
}

absl::StatusOr<v1::Note> OpenNoteContent(ClientDataCipher& cipher, const SecretGenerator& digests,
                                         RequestScope& scope, const NoteRecord& record) {
  v1::Note content;
  if (!record.content_sealed.empty()) {
    if (absl::Status opened = OpenMessage(cipher, scope.uow, record.clinic_id, record.client_id,
                                          FieldLocation{kNotesTable, kContentColumn, record.id},
                                          record.content_sealed, &content);
        !opened.ok()) {
      return opened;
    }
  }
  v1::SessionSummary summary;
  if (!record.patient_summary_sealed.empty()) {
    if (absl::Status opened = OpenMessage(cipher, scope.uow, record.clinic_id, record.client_id,
                                          FieldLocation{kNotesTable, kSummaryColumn, record.id},
                                          record.patient_summary_sealed, &summary);
        !opened.ok()) {
      return opened;
    }
    *content.mutable_patient_summary() = std::move(summary);
  }
  v1::Note note = NoteOf(record, content);
  if (record.state == v1::NOTE_STATE_SIGNED &&
      NoteContentHash(digests, note) != record.content_hash) {
    return HashMismatch("note");
  }
  return note;
}

absl::StatusOr<v1::Note> OpenNote(ClientDataCipher& cipher, const SecretGenerator& digests,
                                  RequestScope& scope, const NoteRecord& record) {
  absl::StatusOr<v1::Note> note = OpenNoteContent(cipher, digests, scope, record);
  if (!note.ok()) {
    return note.status();
  }
  if (absl::Status attached = AttachAddenda(cipher, digests, scope, record, *note);
      !attached.ok()) {
    return attached;
  }
  return note;
}

absl::StatusOr<NoteRecord> LoadVisibleNote(RequestScope& scope, std::string_view note_id) {
  if (!IsUuidText(note_id)) {
    return NoteNotFound();
  }
  absl::StatusOr<std::optional<NoteRecord>> note =
      scope.uow.notes().Find(scope.principal->clinic_id, scope.client_id, note_id);
  if (!note.ok()) {
    return note.status();
  }
  if (!note->has_value() || !MayReadNote(*scope.principal, **note)) {
    return NoteNotFound();
  }
  absl::StatusOr<bool> reader = ReaderStillOnCareTeam(scope, **note);
  if (!reader.ok()) {
    return reader.status();
  }
  if (!*reader) {
    return NoteNotFound();
  }
  return **std::move(note);
}

absl::Status SealNote(ClientDataCipher& cipher, RequestScope& scope, const v1::Note& note,
                      NoteRecord& record) {
  absl::StatusOr<std::string> content =
      SealMessage(cipher, scope.uow, record.clinic_id, record.client_id,
                  FieldLocation{kNotesTable, kContentColumn, record.id}, NoteContent(note));
  if (!content.ok()) {
    return content.status();
  }
  record.content_sealed = *std::move(content);
  record.patient_summary_sealed.clear();
  if (HasPatientSummary(note)) {
    absl::StatusOr<std::string> summary =
        SealMessage(cipher, scope.uow, record.clinic_id, record.client_id,
                    FieldLocation{kNotesTable, kSummaryColumn, record.id}, note.patient_summary());
    if (!summary.ok()) {
      return summary.status();
    }
    record.patient_summary_sealed = *std::move(summary);
  }
  return absl::OkStatus();
}

absl::Status SealAddendumText(ClientDataCipher& cipher, RequestScope& scope, std::string_view text,
                              AddendumRecord& record) {
  absl::StatusOr<std::string> sealed =
      cipher.Seal(scope.uow, record.clinic_id, record.client_id,
                  FieldLocation{kAddendaTable, kTextColumn, record.id}, text);
  if (!sealed.ok()) {
    return sealed.status();
  }
  record.text_sealed = *std::move(sealed);
  return absl::OkStatus();
}

}  // namespace confide
