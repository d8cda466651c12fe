#pragma once

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "confide/v1/notes.pb.h"
#include "google/protobuf/field_mask.pb.h"

namespace confide {

// The field checks of NoteService's requests. Every failure is INVALID_ARGUMENT naming the
// field as the caller sent it (google.rpc.BadRequest); no message quotes a value.

// Bounds from notes.proto's comments. Lengths are in characters (code points).
inline constexpr size_t kMaxSectionLength = 20'000;
inline constexpr size_t kMaxFreeTextLength = 50'000;
inline constexpr size_t kMaxCommentLength = 5'000;
inline constexpr size_t kMaxAddendumLength = 20'000;
inline constexpr int kMaxTenderPoints = 24;
inline constexpr int kMaxNoteInterventions = 13;
inline constexpr int kMaxNoteReaders = 20;
inline constexpr int kMaxSessionMinutes = 600;
inline constexpr int kMaxDilatorSize = 10;
// An update mask names at most this many paths, each at most this long (the longest a note
// has, "pelvic_floor_findings.home_programme_reviewed", is 45).
inline constexpr int kMaxUpdateMaskPaths = 32;
inline constexpr size_t kMaxUpdateMaskPathLength = 64;

// The content of a note as it would be stored (after an update's merge): kind, session, body,
// findings, therapy details and patient summary. `now` bounds the session's start (at most a
// day ahead). `prefix` is the note's path in the request ("note").
absl::Status ValidateNoteContent(const v1::Note& note, std::string_view prefix, absl::Time now);

// The update mask of UpdateNote: at least one path, each one of session, soap, dap, birp,
// free_text, pelvic_floor_findings, therapy_details, patient_summary or a sub-field of one.
absl::Status ValidateNoteUpdateMask(const google::protobuf::FieldMask& mask);

// The requests' own fields, checked before the handler runs (the content is checked by the
// handler, which knows the time and the stored draft).
absl::Status ValidateCreateNote(const v1::CreateNoteRequest& request);
absl::Status ValidateGetNote(const v1::GetNoteRequest& request);
absl::Status ValidateListNotes(const v1::ListNotesRequest& request);
absl::Status ValidateUpdateNote(const v1::UpdateNoteRequest& request);
absl::Status ValidateSignNote(const v1::SignNoteRequest& request);
absl::Status ValidateCosignNote(const v1::CosignNoteRequest& request);
absl::Status ValidateDiscardNote(const v1::DiscardNoteRequest& request);
absl::Status ValidateAddAddendum(const v1::AddAddendumRequest& request);
absl::Status ValidateSharePsychotherapyNote(const v1::SharePsychotherapyNoteRequest& request);
absl::Status ValidateListSessionSummaries(const v1::ListSessionSummariesRequest& request);

}  // namespace confide
