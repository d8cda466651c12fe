#include "notes_api_test_support.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>

#include "confide/v1/notes.pb.h"

namespace confide::api_test {
namespace {

std::string Deterministic(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

bool ParseNote(const nlohmann::json& json, google::protobuf::Message* out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  return google::protobuf::util::JsonStringToMessage(json.dump(), out, options).ok();
}

}  // namespace

std::string NotesPath(const std::string& client_id) {
  return "/v1/clients/" + client_id + "/notes";
}

std::string NotePath(const std::string& client_id, const std::string& note_id) {
  return NotesPath(client_id) + "/" + note_id;
}

std::string SummariesPath(const std::string& client_id) {
  return "/v1/clients/" + client_id + "/sessionSummaries";
}

std::vector<std::string> NoteMarkers::All() const {
  return {subjective,    objective, assessment,       plan,      pelvic_comments, homework_set,
          risk_comments, summary,   summary_homework, next_steps};
}

NoteMarkers NotesApiTestBase::NewNoteMarkers(const std::string& tag) {
  const std::string u = Unique();
  return NoteMarkers{.subjective = "zq" + tag + "subj" + u,
                     .objective = "zq" + tag + "obj" + u,
                     .assessment = "zq" + tag + "assess" + u,
                     .plan = "zq" + tag + "plan" + u,
                     .pelvic_comments = "zq" + tag + "pelvic" + u,
                     .homework_set = "zq" + tag + "homework" + u,
                     .risk_comments = "zq" + tag + "risk" + u,
                     .summary = "zq" + tag + "summary" + u,
                     .summary_homework = "zq" + tag + "sumhome" + u,
                     .next_steps = "zq" + tag + "next" + u};
}

nlohmann::json FullNoteBody(const NoteMarkers& m, const std::string& kind) {
  nlohmann::json note = {
      {"kind", kind},
      {"session",
       {{"startTime", "2026-11-02T09:30:00Z"},
        {"durationMinutes", 50},
        {"modality", "SESSION_MODALITY_IN_PERSON"},
        {"type", "SESSION_TYPE_PELVIC_FLOOR_PHYSIOTHERAPY"}}},
      {"soap",
       {{"subjective", m.subjective},
        {"objective", m.objective},
        {"assessment", m.assessment},
        {"plan", m.plan}}},
      {"pelvicFloorFindings",
       {{"examination", "PELVIC_EXAMINATION_EXTERNAL"},
        {"muscleTone", "MUSCLE_TONE_HIGH"},
        {"abilityToRelax", "RELAXATION_ABILITY_PARTIAL"},
        {"tenderPoints",
         {{{"clockPosition", 4}, {"depth", "TISSUE_DEPTH_SUPERFICIAL"}, {"painScore", 6}},
          {{"clockPosition", 8}, {"depth", "TISSUE_DEPTH_DEEP"}, {"painScore", 3}}}},
        {"dilatorSizeTolerated", 2},
        {"homeProgrammeReviewed", true},
        {"comments", m.pelvic_comments}}},
      {"therapyDetails",
       {{"interventionsUsed",
         {"INTERVENTION_KIND_PELVIC_FLOOR_DOWN_TRAINING",
          "INTERVENTION_KIND_MINDFULNESS_AND_BREATHING"}},
        {"homeworkSet", m.homework_set},
        {"riskScreen", {{"level", "RISK_LEVEL_NONE_IDENTIFIED"}, {"comments", m.risk_comments}}}}}};
  if (kind == "NOTE_KIND_SESSION") {
    note["patientSummary"] = {
        {"summary", m.summary}, {"homework", m.summary_homework}, {"nextSteps", m.next_steps}};
  }
  return note;
}

nlohmann::json MinimalNoteBody(const std::string& text) {
  return {{"kind", "NOTE_KIND_SESSION"},
          {"session",
           {{"startTime", "2026-10-15T14:00:00Z"},
            {"durationMinutes", 45},
            {"modality", "SESSION_MODALITY_TELEHEALTH"},
            {"type", "SESSION_TYPE_THERAPY"}}},
          {"freeText", {{"text", text}}}};
}

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    return "";
  }
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    char two[3];
    std::snprintf(two, sizeof(two), "%02x", digest[i]);
    hex += two;
  }
  return hex;
}

std::string ExpectedContentHash(const nlohmann::json& note) {
  v1::Note full;
  if (!ParseNote(note, &full)) {
    return "";
  }
  v1::Note canonical;
  canonical.set_id(full.id());
  canonical.set_client_id(full.client_id());
  canonical.set_kind(full.kind());
  if (full.has_session()) {
    *canonical.mutable_session() = full.session();
  }
  switch (full.body_case()) {
    case v1::Note::kSoap:
      *canonical.mutable_soap() = full.soap();
      break;
    case v1::Note::kDap:
      *canonical.mutable_dap() = full.dap();
      break;
    case v1::Note::kBirp:
      *canonical.mutable_birp() = full.birp();
      break;
    case v1::Note::kFreeText:
      *canonical.mutable_free_text() = full.free_text();
      break;
    case v1::Note::BODY_NOT_SET:
      break;
  }
  if (full.has_pelvic_floor_findings()) {
    *canonical.mutable_pelvic_floor_findings() = full.pelvic_floor_findings();
  }
  if (full.has_therapy_details()) {
    *canonical.mutable_therapy_details() = full.therapy_details();
  }
  if (full.has_patient_summary()) {
    *canonical.mutable_patient_summary() = full.patient_summary();
  }
  canonical.set_author_user_id(full.author_user_id());
  return Sha256Hex(Deterministic(canonical));
}

std::string ExpectedAddendumHash(const std::string& note_id, const nlohmann::json& addendum) {
  v1::Addendum full;
  if (!ParseNote(addendum, &full)) {
    return "";
  }
  v1::Addendum canonical;
  canonical.set_id(full.id());
  canonical.set_text(full.text());
  canonical.mutable_signature()->set_user_id(full.signature().user_id());
  *canonical.mutable_signature()->mutable_time() = full.signature().time();
  return Sha256Hex(note_id + Deterministic(canonical));
}

nlohmann::json ContentOf(const nlohmann::json& note) {
  nlohmann::json content = nlohmann::json::object();
  for (const char* key :
       {"id", "clientId", "kind", "session", "soap", "dap", "birp", "freeText",
        "pelvicFloorFindings", "therapyDetails", "patientSummary", "authorUserId"}) {
    if (note.is_object() && note.contains(key)) {
      content[key] = note[key];
    }
  }
  return content;
}

std::vector<std::string> NoteIdsIn(const nlohmann::json& list) {
  std::vector<std::string> ids;
  if (list.is_object() && list.contains("notes")) {
    for (const nlohmann::json& note : list["notes"]) {
      ids.push_back(note.value("id", ""));
    }
  }
  return ids;
}

std::vector<std::string> SummaryNoteIdsIn(const nlohmann::json& list) {
  std::vector<std::string> ids;
  if (list.is_object() && list.contains("summaries")) {
    for (const nlohmann::json& summary : list["summaries"]) {
      ids.push_back(summary.value("noteId", ""));
    }
  }
  return ids;
}

bool HasId(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

HttpResponse NotesApiTestBase::PostNote(const std::string& client_id, const nlohmann::json& body,
                                        const std::string& token, const std::string& request_id) {
  std::string path = NotesPath(client_id);
  if (!request_id.empty()) {
    path += "?requestId=" + request_id;
  }
  return Rest().Post(path, body, token);
}

nlohmann::json NotesApiTestBase::CreateNote(const std::string& client_id,
                                            const nlohmann::json& body, const std::string& token) {
  HttpResponse created = PostNote(client_id, body, token);
  EXPECT_EQ(created.status, 200) << created.body;
  return created.status == 200 ? created.Json() : nlohmann::json();
}

HttpResponse NotesApiTestBase::GetNote(const std::string& client_id, const std::string& note_id,
                                       const std::string& token) {
  return Rest().Get(NotePath(client_id, note_id), token);
}

HttpResponse NotesApiTestBase::ListNotes(const std::string& client_id, const std::string& token,
                                         const std::string& query) {
  return Rest().Get(NotesPath(client_id) + query, token);
}

HttpResponse NotesApiTestBase::ListSummaries(const std::string& client_id, const std::string& token,
                                             const std::string& query) {
  return Rest().Get(SummariesPath(client_id) + query, token);
}

HttpResponse NotesApiTestBase::Update(const nlohmann::json& note, const std::string& mask,
                                      nlohmann::json fields, const std::string& token,
                                      const std::string& etag) {
  fields["etag"] = etag;
  return Rest().Patch(
      NotePath(note.value("clientId", ""), note.value("id", "")) + "?updateMask=" + mask, fields,
      token);
}

HttpResponse NotesApiTestBase::Sign(const nlohmann::json& note, const std::string& token,
                                    const std::string& cosigner_user_id) {
  nlohmann::json body = {{"etag", note.value("etag", "")}};
  if (!cosigner_user_id.empty()) {
    body["cosignerUserId"] = cosigner_user_id;
  }
  return Rest().Post(NotePath(note.value("clientId", ""), note.value("id", "")) + ":sign", body,
                     token);
}

HttpResponse NotesApiTestBase::Cosign(const nlohmann::json& note, const std::string& token,
                                      const std::string& content_hash) {
  return Rest().Post(NotePath(note.value("clientId", ""), note.value("id", "")) + ":cosign",
                     {{"contentHash", content_hash}}, token);
}

HttpResponse NotesApiTestBase::Discard(const nlohmann::json& note, const std::string& token) {
  return Rest().Post(NotePath(note.value("clientId", ""), note.value("id", "")) + ":discard",
                     {{"etag", note.value("etag", "")}}, token);
}

HttpResponse NotesApiTestBase::AddAddendum(const nlohmann::json& note, const std::string& text,
                                           const std::string& token,
                                           const std::string& request_id) {
  std::string path = NotePath(note.value("clientId", ""), note.value("id", "")) + "/addenda";
  if (!request_id.empty()) {
    path += "?requestId=" + request_id;
  }
  return Rest().Post(path, {{"text", text}}, token);
}

HttpResponse NotesApiTestBase::Share(const nlohmann::json& note,
                                     const std::vector<std::string>& readers,
                                     const std::string& token) {
  return Rest().Post(NotePath(note.value("clientId", ""), note.value("id", "")) + ":share",
                     {{"readerUserIds", readers}}, token);
}

nlohmann::json NotesApiTestBase::CreateSigned(const std::string& client_id,
                                              const nlohmann::json& body, const std::string& token,
                                              const std::string& cosigner_user_id) {
  const nlohmann::json draft = CreateNote(client_id, body, token);
  if (!draft.is_object()) {
    return nullptr;
  }
  HttpResponse signed_note = Sign(draft, token, cosigner_user_id);
  EXPECT_EQ(signed_note.status, 200) << signed_note.body;
  return signed_note.status == 200 ? signed_note.Json() : nlohmann::json();
}

std::string NotesApiTestBase::NewClientOfSam() {
  const nlohmann::json client = CreateClient(TokenOf(kSamEmail));
  return client.is_object() ? client.value("id", "") : "";
}

void NotesApiTestBase::AddToCareTeam(const std::string& client_id, const std::string& user_id) {
  HttpResponse added = Rest().Post("/v1/clients/" + client_id + "/careTeam", {{"userId", user_id}},
                                   TokenOf(kSamEmail));
  EXPECT_EQ(added.status, 200) << added.body;
}

void NotesApiTestBase::PutAdminOnCareTeam(const std::string& client_id) {
  Query("INSERT INTO care_team_members (client_id, user_id, is_primary, added_time) VALUES ('" +
        client_id + "', '" + kAdminUserId + "', 0, 1)");
}

std::string NotesApiTestBase::One(const std::string& sql) {
  const std::vector<std::string> rows = Query(sql);
  EXPECT_EQ(rows.size(), 1u) << sql;
  return rows.size() == 1 ? rows[0] : "";
}

int NotesApiTestBase::NoteCount(const std::string& client_id) {
  // Ids in these queries are server-generated UUIDs or the fixture's constants: safe in SQL.
  const std::string count = One("SELECT COUNT(*) FROM notes WHERE client_id = '" + client_id + "'");
  return count.empty() ? -1 : std::stoi(count);
}

}  // namespace confide::api_test
