// The note lifecycle over every (state, event) pair: the allowed transitions, each illegal one
// refused with FAILED_PRECONDITION naming the note's state, and who may cause each event.

#include "services/notes/note_lifecycle.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace confide {
namespace {

using ::testing::HasSubstr;

constexpr v1::NoteState kAllStates[] = {v1::NOTE_STATE_UNSPECIFIED, v1::NOTE_STATE_DRAFT,
                                        v1::NOTE_STATE_SIGNED, v1::NOTE_STATE_DISCARDED};
constexpr v1::NoteKind kKinds[] = {v1::NOTE_KIND_SESSION, v1::NOTE_KIND_PSYCHOTHERAPY};

// The co-signature facts a note may have: none asked, asked and pending, asked and given.
std::vector<NoteFacts> FactsFor(v1::NoteState state, v1::NoteKind kind) {
  return {NoteFacts{.state = state, .kind = kind},
          NoteFacts{.state = state, .kind = kind, .cosigner_named = true},
          NoteFacts{.state = state, .kind = kind, .cosigner_named = true, .cosigned = true}};
}

// The transitions notes.proto and the brief allow, written out independently of the code.
bool Allowed(const NoteFacts& note, NoteEvent event) {
  switch (note.state) {
    case v1::NOTE_STATE_DRAFT:
      return event == NoteEvent::kUpdate || event == NoteEvent::kSign ||
             event == NoteEvent::kDiscard;
    case v1::NOTE_STATE_SIGNED:
      switch (event) {
        case NoteEvent::kCosign:
          return note.cosigner_named && !note.cosigned;
        case NoteEvent::kAddAddendum:
          return true;
        case NoteEvent::kShare:
          return note.kind == v1::NOTE_KIND_PSYCHOTHERAPY;
        default:
          return false;
      }
    default:
      return false;
  }
}

std::string StateWord(v1::NoteState state) {
  switch (state) {
    case v1::NOTE_STATE_DRAFT:
      return "a draft";
    case v1::NOTE_STATE_SIGNED:
      return "signed";
    case v1::NOTE_STATE_DISCARDED:
      return "discarded";
    default:
      return "in an unknown state";
  }
}

TEST(NoteLifecycleTest, EveryStateAndEventPairIsDecidedAsDesigned) {
  int allowed = 0;
  int refused = 0;
  for (v1::NoteState state : kAllStates) {
    for (v1::NoteKind kind : kKinds) {
      for (const NoteFacts& note : FactsFor(state, kind)) {
        for (NoteEvent event : kAllNoteEvents) {
          const std::string pair =
              absl::StrCat(v1::NoteState_Name(state), " ", v1::NoteKind_Name(kind),
                           " named=", note.cosigner_named, " cosigned=", note.cosigned, " ",
                           std::string(NoteEventName(event)));
          const absl::Status status = CheckNoteTransition(note, event);
          if (Allowed(note, event)) {
            ++allowed;
            EXPECT_TRUE(status.ok()) << pair << ": " << status;
            continue;
          }
          ++refused;
          EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << pair;
          if (event == NoteEvent::kShare && kind == v1::NOTE_KIND_SESSION) {
            EXPECT_THAT(status.message(), HasSubstr("session note")) << pair;
          } else {
            EXPECT_THAT(status.message(), HasSubstr("the note is " + StateWord(state))) << pair;
          }
        }
      }
    }
  }
  // 4 states x 2 kinds x 3 co-signature facts x 6 events.
  EXPECT_EQ(allowed + refused, 4 * 2 * 3 * 6);
  // Drafts: update, sign, discard (6 variants each); signed: addendum (6), share
  // (psychotherapy, 3), cosign (pending only, 2).
  EXPECT_EQ(allowed, 3 * 6 + 6 + 3 + 2);
}

TEST(NoteLifecycleTest, RefusalsSayWhatToDoInstead) {
  const NoteFacts signed_note{.state = v1::NOTE_STATE_SIGNED, .kind = v1::NOTE_KIND_SESSION};
  EXPECT_THAT(CheckNoteTransition(signed_note, NoteEvent::kUpdate).message(),
              HasSubstr("add an addendum instead"));
  EXPECT_THAT(CheckNoteTransition(signed_note, NoteEvent::kDiscard).message(),
              HasSubstr("never be discarded"));
  EXPECT_THAT(CheckNoteTransition(signed_note, NoteEvent::kCosign).message(),
              HasSubstr("not sent for co-signature"));
  const NoteFacts cosigned{.state = v1::NOTE_STATE_SIGNED,
                           .kind = v1::NOTE_KIND_SESSION,
                           .cosigner_named = true,
                           .cosigned = true};
  EXPECT_THAT(CheckNoteTransition(cosigned, NoteEvent::kCosign).message(),
              HasSubstr("co-signed already"));
  const NoteFacts draft{.state = v1::NOTE_STATE_DRAFT, .kind = v1::NOTE_KIND_PSYCHOTHERAPY};
  EXPECT_THAT(CheckNoteTransition(draft, NoteEvent::kAddAddendum).message(),
              HasSubstr("change the draft instead"));
  EXPECT_THAT(CheckNoteTransition(draft, NoteEvent::kShare).message(),
              HasSubstr("sign it before sharing"));
}

TEST(NoteLifecycleTest, AuthorOnlyEventsRefuseEveryoneElse) {
  const NoteFacts note{.state = v1::NOTE_STATE_DRAFT, .kind = v1::NOTE_KIND_PSYCHOTHERAPY};
  const NoteActor author{.is_clinician = true, .is_author = true};
  const NoteActor colleague{.is_clinician = true};
  for (NoteEvent event :
       {NoteEvent::kUpdate, NoteEvent::kSign, NoteEvent::kDiscard, NoteEvent::kShare}) {
    EXPECT_TRUE(CheckNoteActor(note, author, event).ok()) << NoteEventName(event);
    const absl::Status other = CheckNoteActor(note, colleague, event);
    EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied) << NoteEventName(event);
    EXPECT_THAT(other.message(), HasSubstr("only the note's author"));
  }
}

TEST(NoteLifecycleTest, OnlyTheNamedCosignerCosigns) {
  const NoteFacts note{
      .state = v1::NOTE_STATE_SIGNED, .kind = v1::NOTE_KIND_SESSION, .cosigner_named = true};
  EXPECT_TRUE(
      CheckNoteActor(note, {.is_clinician = true, .is_named_cosigner = true}, NoteEvent::kCosign)
          .ok());
  EXPECT_EQ(
      CheckNoteActor(note, {.is_clinician = true, .is_author = true}, NoteEvent::kCosign).code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckNoteActor(note, {.is_clinician = true}, NoteEvent::kCosign).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(NoteLifecycleTest, AddendaToPsychotherapyNotesAreTheAuthorsAlone) {
  const NoteActor colleague{.is_clinician = true};
  const NoteActor author{.is_clinician = true, .is_author = true};
  const NoteFacts session{.state = v1::NOTE_STATE_SIGNED, .kind = v1::NOTE_KIND_SESSION};
  const NoteFacts psychotherapy{.state = v1::NOTE_STATE_SIGNED,
                                .kind = v1::NOTE_KIND_PSYCHOTHERAPY};
  EXPECT_TRUE(CheckNoteActor(session, colleague, NoteEvent::kAddAddendum).ok());
  EXPECT_TRUE(CheckNoteActor(psychotherapy, author, NoteEvent::kAddAddendum).ok());
  EXPECT_EQ(CheckNoteActor(psychotherapy, colleague, NoteEvent::kAddAddendum).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(NoteLifecycleTest, NonCliniciansAreRefusedWhateverTheState) {
  const NoteActor admin{.is_author = true, .is_named_cosigner = true};
  for (v1::NoteState state : kAllStates) {
    for (NoteEvent event : kAllNoteEvents) {
      const absl::Status status = AuthorizeNoteEvent(
          NoteFacts{.state = state, .kind = v1::NOTE_KIND_SESSION}, admin, event);
      EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied)
          << v1::NoteState_Name(state) << " " << NoteEventName(event);
      EXPECT_THAT(status.message(), HasSubstr("only clinicians"));
    }
  }
}

TEST(NoteLifecycleTest, StateIsDecidedBeforeThePerson) {
  // A colleague trying to change a signed note learns the way forward (an addendum), which
  // she may take; on a draft she could not see, the service already answered NOT_FOUND.
  const NoteFacts signed_note{.state = v1::NOTE_STATE_SIGNED, .kind = v1::NOTE_KIND_SESSION};
  EXPECT_EQ(AuthorizeNoteEvent(signed_note, {.is_clinician = true}, NoteEvent::kUpdate).code(),
            absl::StatusCode::kFailedPrecondition);
  const NoteFacts draft{.state = v1::NOTE_STATE_DRAFT, .kind = v1::NOTE_KIND_SESSION};
  EXPECT_EQ(AuthorizeNoteEvent(draft, {.is_clinician = true}, NoteEvent::kSign).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      AuthorizeNoteEvent(draft, {.is_clinician = true, .is_author = true}, NoteEvent::kSign).ok());
}

}  // namespace
}  // namespace confide
