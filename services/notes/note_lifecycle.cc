#include "services/notes/note_lifecycle.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace confide {
namespace {

absl::Status Refused(std::string_view why) {
  return absl::FailedPreconditionError(std::string(why));
}

absl::Status FromDraft(NoteEvent event) {
  switch (event) {
    case NoteEvent::kUpdate:
    case NoteEvent::kSign:
    case NoteEvent::kDiscard:
      return absl::OkStatus();
    case NoteEvent::kCosign:
      return Refused("the note is a draft; it can be co-signed once its author signs it");
    case NoteEvent::kAddAddendum:
      return Refused("the note is a draft; change the draft instead of adding an addendum");
    case NoteEvent::kShare:
      // A draft is its author's alone; sharing it would show nothing until it is signed.
      return Refused("the note is a draft; sign it before sharing it");
  }
  return Refused("the note is a draft");
}

absl::Status FromSigned(const NoteFacts& note, NoteEvent event) {
  switch (event) {
    case NoteEvent::kUpdate:
      return Refused("the note is signed and cannot be changed; add an addendum instead");
    case NoteEvent::kSign:
      return Refused("the note is signed already");
    case NoteEvent::kDiscard:
      return Refused("the note is signed and can never be discarded; add an addendum instead");
    case NoteEvent::kCosign:
      if (!note.cosigner_named) {
        return Refused("the note is signed and was not sent for co-signature");
      }
      if (note.cosigned) {
        return Refused("the note is signed and co-signed already");
      }
      return absl::OkStatus();
    case NoteEvent::kAddAddendum:
    case NoteEvent::kShare:
      return absl::OkStatus();
  }
  return Refused("the note is signed");
}

absl::Status FromDiscarded(NoteEvent event) {
  return Refused(absl::StrCat("the note is discarded; a discarded note cannot be ",
                              event == NoteEvent::kUpdate        ? "changed"
                              : event == NoteEvent::kSign        ? "signed"
                              : event == NoteEvent::kDiscard     ? "discarded again"
                              : event == NoteEvent::kCosign      ? "co-signed"
                              : event == NoteEvent::kAddAddendum ? "given addenda"
                                                                 : "shared"));
}

}  // namespace

std::string_view NoteEventName(NoteEvent event) {
  switch (event) {
    case NoteEvent::kUpdate:
      return "update";
    case NoteEvent::kSign:
      return "sign";
    case NoteEvent::kDiscard:
      return "discard";
    case NoteEvent::kCosign:
      return "cosign";
    case NoteEvent::kAddAddendum:
      return "add_addendum";
    case NoteEvent::kShare:
      return "share";
  }
  return "unknown";
}

absl::Status CheckNoteTransition(const NoteFacts& note, NoteEvent event) {
  if (event == NoteEvent::kShare && note.kind != v1::NOTE_KIND_PSYCHOTHERAPY) {
    // Whatever its state: a session note is the care team's record, not its author's to share.
    return Refused("the note is a session note; only psychotherapy notes are shared");
  }
  switch (note.state) {
    case v1::NOTE_STATE_DRAFT:
      return FromDraft(event);
    case v1::NOTE_STATE_SIGNED:
      return FromSigned(note, event);
    case v1::NOTE_STATE_DISCARDED:
      return FromDiscarded(event);
    default:
      return Refused("the note is in an unknown state and cannot be changed");
  }
}

absl::Status CheckNoteActor(const NoteFacts& note, const NoteActor& who, NoteEvent event) {
  if (!who.is_clinician) {
    return NotAClinician();
  }
  switch (event) {
    case NoteEvent::kUpdate:
    case NoteEvent::kSign:
    case NoteEvent::kDiscard:
    case NoteEvent::kShare:
      if (!who.is_author) {
        return absl::PermissionDeniedError(
            absl::StrCat("only the note's author may ", std::string(NoteEventName(event)), " it"));
      }
      return absl::OkStatus();
    case NoteEvent::kCosign:
      if (!who.is_named_cosigner) {
        return absl::PermissionDeniedError(
            "only the clinician named at signing may co-sign the note");
      }
      return absl::OkStatus();
    case NoteEvent::kAddAddendum:
      if (note.kind == v1::NOTE_KIND_PSYCHOTHERAPY && !who.is_author) {
        return absl::PermissionDeniedError("only the author adds addenda to a psychotherapy note");
      }
      return absl::OkStatus();
  }
  return absl::PermissionDeniedError("not allowed");
}

absl::Status AuthorizeNoteEvent(const NoteFacts& note, const NoteActor& who, NoteEvent event) {
  if (!who.is_clinician) {
    return NotAClinician();
  }
  if (absl::Status state = CheckNoteTransition(note, event); !state.ok()) {
    return state;
  }
  return CheckNoteActor(note, who, event);
}

absl::Status NotAClinician() {
  return absl::PermissionDeniedError("only clinicians write, sign and amend notes");
}

}  // namespace confide
