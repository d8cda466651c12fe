#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "confide/v1/notes.pb.h"

namespace confide {

// The note lifecycle as a pure state machine, so every (state, event) pair can be tested
// without storage:
//
//   DRAFT --update--> DRAFT          (author)
//   DRAFT --sign--> SIGNED           (author)
//   DRAFT --discard--> DISCARDED     (author)
//   SIGNED --cosign--> SIGNED        (the clinician named at signing, once)
//   SIGNED --addendum--> SIGNED      (any clinician who may see it; psychotherapy: author)
//   SIGNED --share--> SIGNED         (psychotherapy notes only; author)
//   DISCARDED: terminal.
//
// Only clinicians write notes. The pipeline has already decided that the caller may write the
// client's clinical record, and the note was loaded only if the caller may see it.

enum class NoteEvent {
  kUpdate,
  kSign,
  kDiscard,
  kCosign,
  kAddAddendum,
  kShare,
};

// The facts of a stored note the lifecycle depends on.
struct NoteFacts {
  v1::NoteState state = v1::NOTE_STATE_UNSPECIFIED;
  v1::NoteKind kind = v1::NOTE_KIND_UNSPECIFIED;
  // Signed naming a co-signer...
  bool cosigner_named = false;
  // ...who has co-signed.
  bool cosigned = false;
};

// Who asks, relative to the note.
struct NoteActor {
  bool is_clinician = false;
  bool is_author = false;
  bool is_named_cosigner = false;
};

// Every event, for exhaustive tests.
inline constexpr NoteEvent kAllNoteEvents[] = {NoteEvent::kUpdate,      NoteEvent::kSign,
                                               NoteEvent::kDiscard,     NoteEvent::kCosign,
                                               NoteEvent::kAddAddendum, NoteEvent::kShare};

// "update", "sign", ... as messages and tests name the event.
std::string_view NoteEventName(NoteEvent event);

// Whether `event` may happen to a note with these facts: OK, or FAILED_PRECONDITION whose
// message names the note's state and what to do instead ("the note is signed; add an addendum
// instead"). Independent of who asks.
absl::Status CheckNoteTransition(const NoteFacts& note, NoteEvent event);

// Whether `who` may cause `event` on the note: OK, or PERMISSION_DENIED naming who may.
// Independent of the note's state.
absl::Status CheckNoteActor(const NoteFacts& note, const NoteActor& who, NoteEvent event);

// The whole decision in the order a caller learns it: a non-clinician is refused whatever the
// note's state (PERMISSION_DENIED), then the state (FAILED_PRECONDITION), then who may do it
// (PERMISSION_DENIED).
absl::Status AuthorizeNoteEvent(const NoteFacts& note, const NoteActor& who, NoteEvent event);

// Refusal of a note write by someone who is not a clinician (admins on the care team read
// session notes but never write them).
absl::Status NotAClinician();

}  // namespace confide
