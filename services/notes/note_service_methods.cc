// The RPC table of confide.v1.NoteService: each method's transaction mode, policy action,
// target client, request checks and handler.

#include "services/notes/note_service.h"
#include "services/notes/note_validation.h"

namespace confide {

void NoteService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::CreateNoteRequest, v1::Note>{
      .full_name = "confide.v1.NoteService.CreateNote",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::CreateNoteRequest& r) { return r.client_id(); },
      .validate = ValidateCreateNote,
      .handler = [this](const auto& r, RequestScope& s) { return Create(r, s); }});
  table.Add(MethodDefinition<v1::GetNoteRequest, v1::Note>{
      .full_name = "confide.v1.NoteService.GetNote",
      .mode = TransactionMode::kRead,
      .action = Action::kReadNotes,
      .target_client = [](const v1::GetNoteRequest& r) { return r.client_id(); },
      .validate = ValidateGetNote,
      .handler = [this](const auto& r, RequestScope& s) { return Get(r, s); }});
  table.Add(MethodDefinition<v1::ListNotesRequest, v1::ListNotesResponse>{
      .full_name = "confide.v1.NoteService.ListNotes",
      .mode = TransactionMode::kRead,
      .action = Action::kReadNotes,
      .target_client = [](const v1::ListNotesRequest& r) { return r.client_id(); },
      .validate = ValidateListNotes,
      .handler = [this](const auto& r, RequestScope& s) { return List(r, s); }});
  table.Add(MethodDefinition<v1::UpdateNoteRequest, v1::Note>{
      .full_name = "confide.v1.NoteService.UpdateNote",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::UpdateNoteRequest& r) { return r.note().client_id(); },
      .validate = ValidateUpdateNote,
      .handler = [this](const auto& r, RequestScope& s) { return Update(r, s); }});
  table.Add(MethodDefinition<v1::SignNoteRequest, v1::Note>{
      .full_name = "confide.v1.NoteService.SignNote",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::SignNoteRequest& r) { return r.client_id(); },
      .validate = ValidateSignNote,
      .handler = [this](const auto& r, RequestScope& s) { return Sign(r, s); }});
  table.Add(MethodDefinition<v1::CosignNoteRequest, v1::Note>{
      .full_name = "confide.v1.NoteService.CosignNote",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::CosignNoteRequest& r) { return r.client_id(); },
      .validate = ValidateCosignNote,
      .handler = [this](const auto& r, RequestScope& s) { return Cosign(r, s); }});
  table.Add(MethodDefinition<v1::DiscardNoteRequest, v1::Note>{
      .full_name = "confide.v1.NoteService.DiscardNote",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::DiscardNoteRequest& r) { return r.client_id(); },
      .validate = ValidateDiscardNote,
      .handler = [this](const auto& r, RequestScope& s) { return Discard(r, s); }});
  table.Add(MethodDefinition<v1::AddAddendumRequest, v1::Note>{
      .full_name = "confide.v1.NoteService.AddAddendum",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::AddAddendumRequest& r) { return r.client_id(); },
      .validate = ValidateAddAddendum,
      .handler = [this](const auto& r, RequestScope& s) { return AddAddendum(r, s); }});
  table.Add(MethodDefinition<v1::SharePsychotherapyNoteRequest, v1::Note>{
      .full_name = "confide.v1.NoteService.SharePsychotherapyNote",
      .mode = TransactionMode::kWrite,
      .action = Action::kWriteClinical,
      .target_client = [](const v1::SharePsychotherapyNoteRequest& r) { return r.client_id(); },
      .validate = ValidateSharePsychotherapyNote,
      .handler = [this](const auto& r, RequestScope& s) { return Share(r, s); }});
  table.Add(MethodDefinition<v1::ListSessionSummariesRequest, v1::ListSessionSummariesResponse>{
      .full_name = "confide.v1.NoteService.ListSessionSummaries",
      .mode = TransactionMode::kRead,
      .action = Action::kReadSessionSummaries,
      .target_client = [](const v1::ListSessionSummariesRequest& r) { return r.client_id(); },
      .validate = ValidateListSessionSummaries,
      .handler = [this](const auto& r, RequestScope& s) { return ListSummaries(r, s); }});
}

}  // namespace confide
