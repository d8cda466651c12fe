#include "services/notes/note_service.h"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/api/etag.h"
#include "services/api/field_checker.h"
#include "services/api/field_errors.h"
#include "services/api/request_replay.h"
#include "services/clients/writable_client.h"
#include "services/common/timestamps.h"
#include "services/consents/consent_requirements.h"
#include "services/notes/note_content.h"
#include "services/notes/note_lifecycle.h"
#include "services/notes/note_participants.h"
#include "services/notes/note_store.h"
#include "services/notes/note_validation.h"

namespace confide {
namespace {

using google::protobuf::util::FieldMaskUtil;

absl::Status ChangedMeanwhile() { return absl::AbortedError("the note changed; reload and retry"); }

NoteFacts FactsOf(const NoteRecord& note) {
  return NoteFacts{.state = static_cast<v1::NoteState>(note.state),
                   .kind = static_cast<v1::NoteKind>(note.kind),
                   .cosigner_named = !note.cosigner_user_id.empty(),
                   .cosigned = note.cosign_time.has_value()};
}

NoteActor ActorOf(const Principal& who, const NoteRecord& note) {
  return NoteActor{
      .is_clinician = who.role == v1::ROLE_CLINICIAN,
      .is_author = who.user_id == note.author_user_id,
      .is_named_cosigner = !note.cosigner_user_id.empty() && who.user_id == note.cosigner_user_id};
}

// The note `note_id` of the client, when the caller may see it and may cause `event` on it
// now: NOT_FOUND, PERMISSION_DENIED (not a clinician, or not the one who may), or
// FAILED_PRECONDITION (the note's state, or an archived client).
absl::StatusOr<NoteRecord> LoadForEvent(RequestScope& scope, const std::string& note_id,
                                        NoteEvent event) {
  absl::StatusOr<NoteRecord> note = LoadVisibleNote(scope, note_id);
  if (!note.ok()) {
    return note.status();
  }
  scope.audit.resource = NoteResource(scope.client_id, note->id);
  if (absl::Status allowed =
          AuthorizeNoteEvent(FactsOf(*note), ActorOf(*scope.principal, *note), event);
      !allowed.ok()) {
    return allowed;
  }
  if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
    return writable;
  }
  return note;
}

// The fields of a note its author writes, from a request's note (the rest is output only).
v1::Note WrittenFields(const v1::Note& note) {
  v1::Note written = NoteContent(note);
  written.set_kind(note.kind());
  if (note.has_session()) {
    *written.mutable_session() = note.session();
  }
  if (note.has_patient_summary()) {
    *written.mutable_patient_summary() = note.patient_summary();
  }
  return written;
}

// Checks the content to be stored and, when it records an internal examination, that the
// client's consent to one is in force (locked for the transaction: consent_requirements.h).
absl::Status CheckStorable(RequestScope& scope, const v1::Note& note) {
  if (absl::Status valid = ValidateNoteContent(note, "note", scope.now); !valid.ok()) {
    return valid;
  }
  if (HasInternalExamination(note)) {
    return RequireConsent(scope.uow, scope.principal->clinic_id, scope.client_id,
                          v1::CONSENT_KIND_INTERNAL_EXAMINATION);
  }
  return absl::OkStatus();
}

// OK when `user_id` may be handed the note (co-signer, reader): a clinician on the client's
// care team other than the author. INVALID_ARGUMENT naming `field` otherwise.
absl::Status CheckColleague(RequestScope& scope, const NoteRecord& note, const std::string& user_id,
                            FieldChecker& check, std::string_view field) {
  if (user_id == note.author_user_id) {
    check.Fail(field, "must name a clinician other than the note's author");
    return absl::OkStatus();
  }
  absl::StatusOr<bool> colleague = IsCareTeamClinician(scope, user_id);
  if (!colleague.ok()) {
    return colleague.status();
  }
  if (!*colleague) {
    check.Fail(field, "must name a clinician on the client's care team");
  }
  return absl::OkStatus();
}

std::vector<std::string> Sorted(const std::set<std::string>& ids) {
  return std::vector<std::string>(ids.begin(), ids.end());
}

}  // namespace

absl::StatusOr<v1::Note> NoteService::Reopen(RequestScope& scope, const NoteRecord& before) {
  absl::StatusOr<std::optional<NoteRecord>> after =
      scope.uow.notes().Find(before.clinic_id, before.client_id, before.id);
  if (!after.ok()) {
    return after.status();
  }
  if (!after->has_value()) {
    return ChangedMeanwhile();
  }
  return OpenNote(cipher_, digests_, scope, **after);
}

absl::StatusOr<v1::Note> NoteService::Create(const v1::CreateNoteRequest& request,
                                             RequestScope& scope) {
  const Principal& who = *scope.principal;
  const auto replay = [&]() -> absl::StatusOr<std::optional<v1::Note>> {
    return ReplayEarlier<v1::Note, NoteRecord>(
        scope, scope.uow.notes().FindByCreateRequestId(who.clinic_id, request.request_id()),
        [&](const NoteRecord& earlier) -> absl::StatusOr<v1::Note> {
          if (earlier.author_user_id != who.user_id || !MayReadNote(who, earlier)) {
            // Someone else's request: neither its note nor that it exists is the caller's.
            return absl::AlreadyExistsError("request_id was already used for another request");
          }
          scope.audit.resource = NoteResource(scope.client_id, earlier.id);
          return OpenNote(cipher_, digests_, scope, earlier);
        });
  };
  return CreateOnce<v1::Note>(request.request_id(), replay, [&]() -> absl::StatusOr<v1::Note> {
    if (who.role != v1::ROLE_CLINICIAN) {
      return NotAClinician();
    }
    if (absl::Status writable = RequireWritableClient(scope); !writable.ok()) {
      return writable;
    }
    const absl::Time now = StoredTime(scope.now);
    NoteRecord record{.id = ids_.NewId(),
                      .clinic_id = who.clinic_id,
                      .client_id = scope.client_id,
                      .kind = request.note().kind(),
                      .state = v1::NOTE_STATE_DRAFT,
                      .author_user_id = who.user_id,
                      .version = 1,
                      .create_time = now,
                      .update_time = now};
    // Before validation, so a refused create is audited with the note it would have made.
    scope.audit.resource = NoteResource(scope.client_id, record.id);
    v1::Note note = WrittenFields(request.note());
    // Fields this server does not know (a newer client's, or smuggled) are never stored.
    note.DiscardUnknownFields();
    NormalizeNoteContent(note);
    if (absl::Status storable = CheckStorable(scope, note); !storable.ok()) {
      return storable;
    }
    SetSession(note.session(), record);
    if (absl::Status sealed = SealNote(cipher_, scope, note, record); !sealed.ok()) {
      return sealed;
    }
    // In a savepoint: a retry that won the race makes this insert fail, and the replay
    // that follows must still be able to read (PostgreSQL aborts a failed transaction).
    if (absl::Status inserted = scope.uow.Atomically(
            [&] { return scope.uow.notes().Insert(record, request.request_id()); });
        !inserted.ok()) {
      return inserted;
    }
    return NoteOf(record, note);
  });
}

absl::StatusOr<v1::Note> NoteService::Get(const v1::GetNoteRequest& request, RequestScope& scope) {
  absl::StatusOr<NoteRecord> note = LoadVisibleNote(scope, request.note_id());
  if (!note.ok()) {
    return note.status();
  }
  scope.audit.resource = NoteResource(scope.client_id, note->id);
  return OpenNote(cipher_, digests_, scope, *note);
}

absl::StatusOr<v1::Note> NoteService::Update(const v1::UpdateNoteRequest& request,
                                             RequestScope& scope) {
  absl::StatusOr<NoteRecord> record = LoadForEvent(scope, request.note().id(), NoteEvent::kUpdate);
  if (!record.ok()) {
    return record.status();
  }
  if (request.note().etag() != EtagOf(record->version)) {
    return StaleEtag("note");
  }
  if (absl::Status mask = ValidateNoteUpdateMask(request.update_mask()); !mask.ok()) {
    return mask;
  }
  absl::StatusOr<v1::Note> current = OpenNoteContent(cipher_, digests_, scope, *record);
  if (!current.ok()) {
    return current.status();
  }
  v1::Note next = WrittenFields(*current);
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(WrittenFields(request.note()), request.update_mask(), options,
                                &next);
  // The kind is fixed at creation, whatever the request's note says.
  next.set_kind(static_cast<v1::NoteKind>(record->kind));
  next.DiscardUnknownFields();
  NormalizeNoteContent(next);
  if (absl::Status storable = CheckStorable(scope, next); !storable.ok()) {
    return storable;
  }
  NoteRecord changed = *record;
  SetSession(next.session(), changed);
  changed.update_time = StoredTime(scope.now);
  changed.version = record->version + 1;
  if (absl::Status sealed = SealNote(cipher_, scope, next, changed); !sealed.ok()) {
    return sealed;
  }
  absl::StatusOr<bool> updated = scope.uow.notes().UpdateDraft(changed, record->version);
  if (!updated.ok()) {
    return updated.status();
  }
  if (!*updated) {
    return ChangedMeanwhile();
  }
  return NoteOf(changed, next);
}

absl::StatusOr<v1::Note> NoteService::Sign(const v1::SignNoteRequest& request,
                                           RequestScope& scope) {
  const Principal& who = *scope.principal;
  absl::StatusOr<NoteRecord> record = LoadForEvent(scope, request.note_id(), NoteEvent::kSign);
  if (!record.ok()) {
    return record.status();
  }
  if (request.etag() != EtagOf(record->version)) {
    return StaleEtag("note");
  }
  const std::string& cosigner = request.cosigner_user_id();
  if (!cosigner.empty()) {
    FieldChecker check;
    if (absl::Status s = CheckColleague(scope, *record, cosigner, check, "cosigner_user_id");
        !s.ok()) {
      return s;
    }
    if (!check.ok()) {
      return check.Result();
    }
  }
  absl::StatusOr<v1::Note> draft = OpenNoteContent(cipher_, digests_, scope, *record);
  if (!draft.ok()) {
    return draft.status();
  }
  // What was valid when written may no longer be (a consent withdrawn since): signing is the
  // moment the content becomes the record, so it is checked again.
  if (absl::Status storable = CheckStorable(scope, *draft); !storable.ok()) {
    return storable;
  }
  NoteRecord signed_note = *record;
  signed_note.state = v1::NOTE_STATE_SIGNED;
  signed_note.signed_by_user_id = who.user_id;
  signed_note.sign_time = StoredTime(scope.now);
  signed_note.update_time = *signed_note.sign_time;
  signed_note.content_hash = NoteContentHash(digests_, *draft);
  signed_note.cosigner_user_id = cosigner;
  absl::StatusOr<bool> signed_ok = scope.uow.notes().Sign(signed_note, record->version);
  if (!signed_ok.ok()) {
    return signed_ok.status();
  }
  if (!*signed_ok) {
    return ChangedMeanwhile();
  }
  if (!cosigner.empty() && record->kind == v1::NOTE_KIND_PSYCHOTHERAPY) {
    // The supervisor must read what she co-signs: naming her shares the note with her.
    std::set<std::string> readers(record->reader_user_ids.begin(), record->reader_user_ids.end());
    readers.insert(cosigner);
    if (absl::Status shared =
            scope.uow.notes().SetReaders(record->clinic_id, record->id, Sorted(readers));
        !shared.ok()) {
      return shared;
    }
  }
  return Reopen(scope, *record);
}

absl::StatusOr<v1::Note> NoteService::Cosign(const v1::CosignNoteRequest& request,
                                             RequestScope& scope) {
  absl::StatusOr<NoteRecord> record = LoadForEvent(scope, request.note_id(), NoteEvent::kCosign);
  if (!record.ok()) {
    return record.status();
  }
  // The stored content must still be what was signed before anyone vouches for it.
  absl::StatusOr<v1::Note> note = OpenNoteContent(cipher_, digests_, scope, *record);
  if (!note.ok()) {
    return note.status();
  }
  if (request.content_hash() != record->content_hash) {
    return absl::FailedPreconditionError(
        "content_hash is not the hash of the note's signed content; read the note again and "
        "review it before co-signing");
  }
  absl::StatusOr<bool> cosigned =
      scope.uow.notes().Cosign(record->clinic_id, record->id, StoredTime(scope.now));
  if (!cosigned.ok()) {
    return cosigned.status();
  }
  if (!*cosigned) {
    return ChangedMeanwhile();
  }
  return Reopen(scope, *record);
}

absl::StatusOr<v1::Note> NoteService::Discard(const v1::DiscardNoteRequest& request,
                                              RequestScope& scope) {
  absl::StatusOr<NoteRecord> record = LoadForEvent(scope, request.note_id(), NoteEvent::kDiscard);
  if (!record.ok()) {
    return record.status();
  }
  if (request.etag() != EtagOf(record->version)) {
    return StaleEtag("note");
  }
  absl::StatusOr<bool> discarded =
      scope.uow.notes().Discard(record->clinic_id, record->id, record->version,
                                scope.principal->user_id, StoredTime(scope.now));
  if (!discarded.ok()) {
    return discarded.status();
  }
  if (!*discarded) {
    return ChangedMeanwhile();
  }
  return Reopen(scope, *record);
}

absl::StatusOr<v1::Note> NoteService::AddAddendum(const v1::AddAddendumRequest& request,
                                                  RequestScope& scope) {
  const Principal& who = *scope.principal;
  const auto replay = [&]() -> absl::StatusOr<std::optional<v1::Note>> {
    return ReplayEarlier<v1::Note, AddendumRecord>(
        scope, scope.uow.notes().FindAddendumByRequestId(who.clinic_id, request.request_id()),
        [&](const AddendumRecord& earlier) -> absl::StatusOr<v1::Note> {
          if (earlier.note_id != request.note_id() || earlier.author_user_id != who.user_id) {
            return absl::AlreadyExistsError("request_id was already used for another request");
          }
          absl::StatusOr<NoteRecord> note = LoadVisibleNote(scope, earlier.note_id);
          if (!note.ok()) {
            return note.status();
          }
          scope.audit.resource = NoteResource(scope.client_id, note->id);
          return OpenNote(cipher_, digests_, scope, *note);
        });
  };
  return CreateOnce<v1::Note>(request.request_id(), replay, [&]() -> absl::StatusOr<v1::Note> {
    absl::StatusOr<NoteRecord> record =
        LoadForEvent(scope, request.note_id(), NoteEvent::kAddAddendum);
    if (!record.ok()) {
      return record.status();
    }
    // Verified first: an addendum vouches for the note it amends.
    absl::StatusOr<v1::Note> note = OpenNote(cipher_, digests_, scope, *record);
    if (!note.ok()) {
      return note.status();
    }
    const std::string& text = request.addendum().text();
    AddendumRecord addendum{.id = ids_.NewId(),
                            .note_id = record->id,
                            .clinic_id = record->clinic_id,
                            .client_id = record->client_id,
                            .author_user_id = who.user_id,
                            .create_time = StoredTime(scope.now)};
    addendum.content_hash = AddendumContentHash(digests_, record->id, addendum.id, who.user_id,
                                                addendum.create_time, text);
    if (absl::Status sealed = SealAddendumText(cipher_, scope, text, addendum); !sealed.ok()) {
      return sealed;
    }
    if (absl::Status inserted = scope.uow.Atomically(
            [&] { return scope.uow.notes().InsertAddendum(addendum, request.request_id()); });
        !inserted.ok()) {
      return inserted;
    }
    *note->add_addenda() = AddendumOf(addendum, text);
    return note;
  });
}

absl::StatusOr<v1::Note> NoteService::Share(const v1::SharePsychotherapyNoteRequest& request,
                                            RequestScope& scope) {
  absl::StatusOr<NoteRecord> record = LoadForEvent(scope, request.note_id(), NoteEvent::kShare);
  if (!record.ok()) {
    return record.status();
  }
  FieldChecker check;
  std::set<std::string> readers;
  for (int i = 0; i < request.reader_user_ids_size(); ++i) {
    const std::string& reader = request.reader_user_ids(i);
    if (absl::Status s =
            CheckColleague(scope, *record, reader, check, absl::StrCat("reader_user_ids[", i, "]"));
        !s.ok()) {
      return s;
    }
    readers.insert(reader);
  }
  if (!check.ok()) {
    return check.Result();
  }
  if (!record->cosigner_user_id.empty() && !record->cosign_time.has_value()) {
    // A co-signer still to co-sign keeps reading what she was asked to vouch for.
    readers.insert(record->cosigner_user_id);
  }
  if (absl::Status set =
          scope.uow.notes().SetReaders(record->clinic_id, record->id, Sorted(readers));
      !set.ok()) {
    return set;
  }
  return Reopen(scope, *record);
}

}  // namespace confide
