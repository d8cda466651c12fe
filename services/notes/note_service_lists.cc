// NoteService's two lists: the notes a clinician may see, and the session summaries the
// patient reads. Both are keyset pages over the client's notes, newest session first.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "services/api/list_page.h"
#include "services/api/page_token.h"
#include "services/notes/note_service.h"
#include "services/notes/note_store.h"

namespace confide {
namespace {

constexpr std::string_view kNotesList = "notes";
constexpr std::string_view kSummariesList = "sessionSummaries";

// Whether a list may go on after the note `after_id` (a page token's keyset): only when that
// note is one the same list shows the caller. The repository resumes after the named note's
// (session start, id) whoever may see it, so a token naming a hidden note (a colleague's
// draft, a psychotherapy note) would otherwise tell when its session was, and one naming any
// note that it exists. A token for such a note ends the list, as one for a vanished note does.
absl::StatusOr<bool> MayResumeAfter(RequestScope& scope, const std::string& after_id,
                                    absl::FunctionRef<bool(const NoteRecord&)> listed) {
  if (after_id.empty()) {
    return true;
  }
  absl::StatusOr<std::optional<NoteRecord>> after =
      scope.uow.notes().Find(scope.principal->clinic_id, scope.client_id, after_id);
  if (!after.ok()) {
    return after.status();
  }
  return after->has_value() && listed(**after);
}

// A signed session note with a summary for the patient: what ListSessionSummaries shows.
bool IsSummaryListed(const NoteRecord& note) {
  return note.kind == v1::NOTE_KIND_SESSION && note.state == v1::NOTE_STATE_SIGNED &&
         !note.patient_summary_sealed.empty();
}

}  // namespace

absl::StatusOr<v1::ListNotesResponse> NoteService::List(const v1::ListNotesRequest& request,
                                                        RequestScope& scope) {
  const Principal& who = *scope.principal;
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/notes");
  absl::StatusOr<ListPage> page =
      StartListPage(request.page_size(), request.page_token(), kNotesList, "ListNotes");
  if (!page.ok()) {
    return page.status();
  }
  absl::StatusOr<bool> resumes =
      MayResumeAfter(scope, page->after, [&](const NoteRecord& n) { return MayReadNote(who, n); });
  if (!resumes.ok()) {
    return resumes.status();
  }
  if (!*resumes) {
    return v1::ListNotesResponse();
  }
  // One row more than the page shows tells whether there is a next page.
  absl::StatusOr<std::vector<NoteRecord>> notes =
      scope.uow.notes().List(NoteListQuery{.clinic_id = who.clinic_id,
                                           .client_id = scope.client_id,
                                           .viewer_user_id = who.user_id,
                                           .unsigned_only_of_viewer = true,
                                           .include_discarded = request.include_discarded(),
                                           .after_id = page->after,
                                           .limit = page->size + 1});
  if (!notes.ok()) {
    return notes.status();
  }
  v1::ListNotesResponse response;
  std::optional<bool> reader_on_team;
  const int shown = std::min(page->size, static_cast<int>(notes->size()));
  for (int i = 0; i < shown; ++i) {
    const NoteRecord& note = (*notes)[i];
    if (!MayReadNote(who, note)) {
      continue;  // The query already leaves these out; kept as the one rule's safety net.
    }
    if (note.kind == v1::NOTE_KIND_PSYCHOTHERAPY && note.author_user_id != who.user_id) {
      // A reader who has left the care team reads no longer (the query cannot know). Asked
      // once per page: the answer is the caller's, not the note's.
      if (!reader_on_team.has_value()) {
        absl::StatusOr<bool> on_team = ReaderStillOnCareTeam(scope, note);
        if (!on_team.ok()) {
          return on_team.status();
        }
        reader_on_team = *on_team;
      }
      if (!*reader_on_team) {
        continue;
      }
    }
    absl::StatusOr<v1::Note> opened = OpenNote(cipher_, digests_, scope, note);
    if (!opened.ok()) {
      return opened.status();
    }
    *response.add_notes() = *std::move(opened);
  }
  if (static_cast<int>(notes->size()) > page->size) {
    response.set_next_page_token(EncodePageToken(kNotesList, (*notes)[shown - 1].id));
  }
  return response;
}

absl::StatusOr<v1::ListSessionSummariesResponse> NoteService::ListSummaries(
    const v1::ListSessionSummariesRequest& request, RequestScope& scope) {
  scope.audit.resource = absl::StrCat("clients/", scope.client_id, "/sessionSummaries");
  absl::StatusOr<ListPage> page = StartListPage(request.page_size(), request.page_token(),
                                                kSummariesList, "ListSessionSummaries");
  if (!page.ok()) {
    return page.status();
  }
  absl::StatusOr<bool> resumes = MayResumeAfter(scope, page->after, IsSummaryListed);
  if (!resumes.ok()) {
    return resumes.status();
  }
  if (!*resumes) {
    return v1::ListSessionSummariesResponse();
  }
  absl::StatusOr<std::vector<NoteRecord>> notes =
      scope.uow.notes().List(NoteListQuery{.clinic_id = scope.principal->clinic_id,
                                           .client_id = scope.client_id,
                                           .viewer_user_id = scope.principal->user_id,
                                           .unsigned_only_of_viewer = true,
                                           .only_signed_with_summary = true,
                                           .after_id = page->after,
                                           .limit = page->size + 1});
  if (!notes.ok()) {
    return notes.status();
  }
  v1::ListSessionSummariesResponse response;
  const int shown = std::min(page->size, static_cast<int>(notes->size()));
  for (int i = 0; i < shown; ++i) {
    const NoteRecord& record = (*notes)[i];
    if (!IsSummaryListed(record)) {
      continue;  // Never a psychotherapy note or an unsigned one, whatever the query returned.
    }
    // Opened whole so the summary is verified against the signed hash; only the summary and
    // the session's facts leave this function.
    absl::StatusOr<v1::Note> note = OpenNoteContent(cipher_, digests_, scope, record);
    if (!note.ok()) {
      return note.status();
    }
    v1::PatientSessionSummary* summary = response.add_summaries();
    summary->set_note_id(record.id);
    *summary->mutable_session_start_time() = note->session().start_time();
    summary->set_session_type(note->session().type());
    summary->set_modality(note->session().modality());
    summary->set_clinician_user_id(record.author_user_id);
    *summary->mutable_summary() = note->patient_summary();
  }
  if (static_cast<int>(notes->size()) > page->size) {
    response.set_next_page_token(EncodePageToken(kSummariesList, (*notes)[shown - 1].id));
  }
  return response;
}

}  // namespace confide
