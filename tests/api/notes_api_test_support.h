#pragma once

// What the session-note API tests share (notes_api_test.cc, psychotherapy_notes_api_test.cc):
// request paths, note bodies filled with marker text, the REST calls of NoteService, and an
// independent computation of the content hashes the server records at signing.

#include <string>
#include <vector>

#include "api_test_fixture.h"
#include "grpc_api_test_fixture.h"
#include "nlohmann/json.hpp"

namespace confide::api_test {

inline constexpr int kAlreadyExistsCode = 6;
inline constexpr int kDataLoss = 15;

// A well-formed id that names no note anywhere.
inline constexpr char kNonexistentNoteId[] = "0190d000-0000-7000-8000-0000000dead1";

std::string NotesPath(const std::string& client_id);
std::string NotePath(const std::string& client_id, const std::string& note_id);
std::string SummariesPath(const std::string& client_id);

// Text unique to one note, one per free-text field, so a test can look for each anywhere (the
// database, the server's log, audit events, error answers).
struct NoteMarkers {
  std::string subjective, objective, assessment, plan;
  std::string pelvic_comments, homework_set, risk_comments;
  std::string summary, summary_homework, next_steps;

  std::vector<std::string> All() const;
};

// A complete session note (SOAP body, external pelvic-floor findings, therapy details, patient
// summary) holding `m`'s markers; `kind` is a NoteKind name.
nlohmann::json FullNoteBody(const NoteMarkers& m, const std::string& kind = "NOTE_KIND_SESSION");
// A minimal valid session note: session details and a free-text body.
nlohmann::json MinimalNoteBody(const std::string& text);

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(const std::string& bytes);
// The content hash of a note as returned by the REST API, computed the way the contract
// defines it (docs/clinical-records.md): SHA-256 of the deterministic serialization of a
// v1::Note holding only id, client_id, kind, session, body, pelvic_floor_findings,
// therapy_details, patient_summary and author_user_id. "" when the JSON is not a Note.
std::string ExpectedContentHash(const nlohmann::json& note);
// The content hash of one addendum of note `note_id` (an Addendum as returned): SHA-256 of the
// note id followed by the deterministic serialization of a v1::Addendum holding its id, text
// and a Signature with only user_id and time.
std::string ExpectedAddendumHash(const std::string& note_id, const nlohmann::json& addendum);

// The content part of a note: what signing locks (body, session, findings, details, summary,
// kind, author, id, client).
nlohmann::json ContentOf(const nlohmann::json& note);

// The ids of the notes in a ListNotes answer (or of the notes in a ListSessionSummaries answer).
std::vector<std::string> NoteIdsIn(const nlohmann::json& list);
std::vector<std::string> SummaryNoteIdsIn(const nlohmann::json& list);
// Whether `ids` holds `id`.
bool HasId(const std::vector<std::string>& ids, const std::string& id);

class NotesApiTestBase : public GrpcApiTestBase {
 protected:
  // Distinctive text that cannot occur by chance: `tag` plus a process-unique suffix.
  static NoteMarkers NewNoteMarkers(const std::string& tag);

  // POST a note for `client_id`; the answer as it came.
  static HttpResponse PostNote(const std::string& client_id, const nlohmann::json& body,
                               const std::string& token, const std::string& request_id = "");
  // Creates a note; fails the test and returns null when refused.
  static nlohmann::json CreateNote(const std::string& client_id, const nlohmann::json& body,
                                   const std::string& token);
  static HttpResponse GetNote(const std::string& client_id, const std::string& note_id,
                              const std::string& token);
  static HttpResponse ListNotes(const std::string& client_id, const std::string& token,
                                const std::string& query = "");
  static HttpResponse ListSummaries(const std::string& client_id, const std::string& token,
                                    const std::string& query = "");
  // PATCH `fields` (plus `etag`) under `mask` (REST field-mask text, e.g. "soap.plan").
  static HttpResponse Update(const nlohmann::json& note, const std::string& mask,
                             nlohmann::json fields, const std::string& token,
                             const std::string& etag);
  static HttpResponse Sign(const nlohmann::json& note, const std::string& token,
                           const std::string& cosigner_user_id = "");
  static HttpResponse Cosign(const nlohmann::json& note, const std::string& token,
                             const std::string& content_hash);
  static HttpResponse Discard(const nlohmann::json& note, const std::string& token);
  static HttpResponse AddAddendum(const nlohmann::json& note, const std::string& text,
                                  const std::string& token, const std::string& request_id = "");
  static HttpResponse Share(const nlohmann::json& note, const std::vector<std::string>& readers,
                            const std::string& token);

  // Creates a note as `token` and signs it; null (and a failure) when refused.
  static nlohmann::json CreateSigned(const std::string& client_id, const nlohmann::json& body,
                                     const std::string& token,
                                     const std::string& cosigner_user_id = "");

  // A new client of the demo clinic created by Sam (care team: Sam only, no consents); its id,
  // or "" (and a failure).
  static std::string NewClientOfSam();
  // Adds clinician `user_id` to the care team of `client_id` (as Sam); fails the test when
  // refused.
  static void AddToCareTeam(const std::string& client_id, const std::string& user_id);
  // Puts the demo admin on the care team of `client_id`. The API adds clinicians only; an admin
  // is on a care team when a member's role changed to admin later (the policy keeps a rule for
  // it), which this test makes directly in the database.
  static void PutAdminOnCareTeam(const std::string& client_id);

  // One value from a query answering one row; fails the test otherwise.
  static std::string One(const std::string& sql);
  // The number of notes stored for the client (of any state).
  static int NoteCount(const std::string& client_id);
};

}  // namespace confide::api_test
