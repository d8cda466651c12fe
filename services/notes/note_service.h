#pragma once

#include "absl/status/statusor.h"
#include "confide/v1/notes.pb.h"
#include "services/api/method_table.h"
#include "services/auth/ports/secret_generator.h"
#include "services/common/id_generator.h"
#include "services/crypto/ports/client_data_cipher.h"
#include "services/notes/ports/note_repository.h"

namespace confide {

// Session notes. Access to the client has already been decided by the pipeline when these
// run; they enforce each note's own rules: only clinicians write notes, a draft is its
// author's alone, a psychotherapy note is its author's and her readers' alone, signed content
// never changes (it is verified against its hash on every read), corrections are signed
// addenda, and a retried create or addendum (same request id) returns the first result.
class NoteService {
 public:
  NoteService(ClientDataCipher& cipher, IdGenerator& ids, SecretGenerator& digests)
      : cipher_(cipher), ids_(ids), digests_(digests) {}

  absl::StatusOr<v1::Note> Create(const v1::CreateNoteRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Note> Get(const v1::GetNoteRequest& request, RequestScope& scope);
  absl::StatusOr<v1::ListNotesResponse> List(const v1::ListNotesRequest& request,
                                             RequestScope& scope);
  absl::StatusOr<v1::Note> Update(const v1::UpdateNoteRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Note> Sign(const v1::SignNoteRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Note> Cosign(const v1::CosignNoteRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Note> Discard(const v1::DiscardNoteRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Note> AddAddendum(const v1::AddAddendumRequest& request, RequestScope& scope);
  absl::StatusOr<v1::Note> Share(const v1::SharePsychotherapyNoteRequest& request,
                                 RequestScope& scope);
  absl::StatusOr<v1::ListSessionSummariesResponse> ListSummaries(
      const v1::ListSessionSummariesRequest& request, RequestScope& scope);

  // Adds the RPCs of confide.v1.NoteService to `table`.
  void Register(MethodTable& table);

 private:
  // The stored note after a change, opened as callers read it.
  absl::StatusOr<v1::Note> Reopen(RequestScope& scope, const NoteRecord& before);

  ClientDataCipher& cipher_;
  IdGenerator& ids_;
  SecretGenerator& digests_;
};

}  // namespace confide
