#pragma once

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "confide/v1/notes.pb.h"
#include "services/auth/ports/secret_generator.h"
#include "services/notes/ports/note_repository.h"

namespace confide {

// What a note holds and how it is fingerprinted. The session's facts are plain columns of the
// NoteRecord; everything written about the session (the body sections, pelvic-floor findings
// and therapy details) is the note's "content", stored as one v1::Note with only those fields
// set and sealed as one value; the patient summary is sealed on its own, so the patient's list
// opens only what she reads.

// Only the sealed content fields of `note`: body, pelvic_floor_findings, therapy_details.
v1::Note NoteContent(const v1::Note& note);

// Makes equal content look equal before it is stored: a note without a body is FREE_TEXT
// (the proto's default), and a patient summary with every field empty is no summary.
void NormalizeNoteContent(v1::Note& note);

// True when any field of the summary is set.
bool HasPatientSummary(const v1::Note& note);

// True when the note records an internal examination, which needs the client's
// internal-examination consent in force.
bool HasInternalExamination(const v1::Note& note);

// The session details as stored in the record's columns (start time in whole microseconds).
v1::SessionDetails SessionOf(const NoteRecord& record);
// Stores `session` in the record's columns, the start time cut to whole microseconds as the
// database keeps it, so what a write returns and hashes equals what a later read does.
void SetSession(const v1::SessionDetails& session, NoteRecord& record);

// The note as callers read it: the record's facts and output-only fields (state, author,
// times, signature, co-signature, readers, discard, etag) around `content` (NoteContent and
// patient summary; ignored fields are not copied). Addenda are not attached.
v1::Note NoteOf(const NoteRecord& record, const v1::Note& content);

// The canonical form a note's content hash is taken of: the deterministic serialization of a
// v1::Note holding only id, client_id, kind, session, body, pelvic_floor_findings,
// therapy_details, patient_summary and author_user_id of `note`.
std::string NoteCanonicalForm(const v1::Note& note);
// Lowercase hex SHA-256 of NoteCanonicalForm(note).
std::string NoteContentHash(const SecretGenerator& digests, const v1::Note& note);

// The canonical form of an addendum: the note id followed by the deterministic serialization
// of a v1::Addendum holding its id, its text and a Signature with only the author's user_id
// and the time it was added.
std::string AddendumCanonicalForm(std::string_view note_id, std::string_view addendum_id,
                                  std::string_view author_user_id, absl::Time create_time,
                                  std::string_view text);
// Lowercase hex SHA-256 of AddendumCanonicalForm(...).
std::string AddendumContentHash(const SecretGenerator& digests, std::string_view note_id,
                                std::string_view addendum_id, std::string_view author_user_id,
                                absl::Time create_time, std::string_view text);

// The addendum as callers read it: its text and its signature (author, time, hash).
v1::Addendum AddendumOf(const AddendumRecord& record, std::string text);

}  // namespace confide
