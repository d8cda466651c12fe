#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace confide {

// A session note as stored. The session's facts (time, length, modality, type) are plain
// columns so lists can be ordered and the patient's summaries listed without opening notes;
// everything written about the session is sealed under the client's data key.
struct NoteRecord {
  std::string id;
  std::string clinic_id;
  std::string client_id;
  // v1::NoteKind and v1::NoteState values.
  int kind = 0;
  int state = 0;
  std::string author_user_id;
  absl::Time session_start_time;
  int duration_minutes = 0;
  // v1::SessionModality and v1::SessionType values.
  int modality = 0;
  int session_type = 0;
  // ClientDataCipher text of the serialized note content (body, findings, therapy details);
  // empty once the draft was discarded.
  std::string content_sealed;
  // ClientDataCipher text of the serialized v1::SessionSummary; empty when there is none.
  std::string patient_summary_sealed;
  // Bumped by every change; the note's etag is made from it.
  int version = 1;
  absl::Time create_time;
  absl::Time update_time;
  // Set when signed: never changed afterwards.
  std::string signed_by_user_id;
  std::optional<absl::Time> sign_time;
  // Lowercase hex SHA-256 of the signed content's canonical form.
  std::string content_hash;
  // The supervisor asked to co-sign (empty when none), and when they did.
  std::string cosigner_user_id;
  std::optional<absl::Time> cosign_time;
  // Set when discarded.
  std::string discarded_by_user_id;
  std::optional<absl::Time> discard_time;
  // Psychotherapy notes: who besides the author may read it (sorted).
  std::vector<std::string> reader_user_ids;
};

// An addendum to a signed note: written once, never changed or deleted.
struct AddendumRecord {
  std::string id;
  std::string note_id;
  std::string clinic_id;
  std::string client_id;
  std::string author_user_id;
  absl::Time create_time;
  // ClientDataCipher text of the addendum's text.
  std::string text_sealed;
  // Lowercase hex SHA-256 of the addendum's canonical form (signed as it is added).
  std::string content_hash;
};

// Which of a client's notes a list returns.
struct NoteListQuery {
  std::string clinic_id;
  std::string client_id;
  // Psychotherapy notes are returned only when this user is their author or a reader.
  std::string viewer_user_id;
  // Drafts and discarded notes are returned only when `viewer_user_id` is their author (the
  // service's per-note rule, applied here so that pages stay full). Off: whoever wrote them.
  bool unsigned_only_of_viewer = false;
  bool include_discarded = false;
  // Only signed session notes that carry a patient summary (the patient's view).
  bool only_signed_with_summary = false;
  // Keyset page: the notes after this note in the list's order (newest session first, then
  // newest id first); empty for the first page.
  std::string after_id;
  int limit = 50;
};

class NoteRepository {
 public:
  virtual ~NoteRepository() = default;
  // ALREADY_EXISTS when the id, or a non-empty `create_request_id` in the clinic, was used.
  virtual absl::Status Insert(const NoteRecord& record, std::string_view create_request_id) = 0;
  // The client's note with this id in the clinic (readers included), or nullopt.
  virtual absl::StatusOr<std::optional<NoteRecord>> Find(std::string_view clinic_id,
                                                         std::string_view client_id,
                                                         std::string_view note_id) = 0;
  // The note an earlier CreateNote with this request id made in the clinic, or nullopt.
  virtual absl::StatusOr<std::optional<NoteRecord>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) = 0;
  // Replaces the draft's session facts, sealed content, summary and update time with
  // `next`'s and sets its version to next.version, only while it is a draft at
  // `expected_version`. Returns false (changing nothing) otherwise.
  virtual absl::StatusOr<bool> UpdateDraft(const NoteRecord& next, int expected_version) = 0;
  // Signs the draft at `expected_version`: state SIGNED, signer, time, hash and co-signer from
  // `signed_note`, version expected_version + 1. Returns false (changing nothing) otherwise.
  virtual absl::StatusOr<bool> Sign(const NoteRecord& signed_note, int expected_version) = 0;
  // Records the co-signature of a signed note that asks for one and has none yet. Returns
  // false (changing nothing) otherwise.
  virtual absl::StatusOr<bool> Cosign(std::string_view clinic_id, std::string_view note_id,
                                      absl::Time cosign_time) = 0;
  // Discards the draft at `expected_version`: state DISCARDED, content and summary emptied,
  // who and when recorded, version bumped. Returns false (changing nothing) otherwise.
  virtual absl::StatusOr<bool> Discard(std::string_view clinic_id, std::string_view note_id,
                                       int expected_version, std::string_view by_user_id,
                                       absl::Time when) = 0;
  // Replaces a note's readers and bumps its version.
  virtual absl::Status SetReaders(std::string_view clinic_id, std::string_view note_id,
                                  const std::vector<std::string>& reader_user_ids) = 0;
  virtual absl::StatusOr<std::vector<NoteRecord>> List(const NoteListQuery& query) = 0;

  // ALREADY_EXISTS when the id, or a non-empty `request_id` in the clinic, was used.
  virtual absl::Status InsertAddendum(const AddendumRecord& record,
                                      std::string_view request_id) = 0;
  // The note's addenda, oldest first.
  virtual absl::StatusOr<std::vector<AddendumRecord>> ListAddenda(std::string_view clinic_id,
                                                                  std::string_view note_id) = 0;
  // The addendum an earlier AddAddendum with this request id made in the clinic, or nullopt.
  virtual absl::StatusOr<std::optional<AddendumRecord>> FindAddendumByRequestId(
      std::string_view clinic_id, std::string_view request_id) = 0;
};

}  // namespace confide
