#include "services/notes/note_validation.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/api/field_checker.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/api/request_fields.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"

namespace confide {
namespace {

constexpr std::string_view kMe = "me";
constexpr size_t kContentHashLength = 64;

std::string Indexed(std::string_view field, int i) {
  return absl::StrCat(std::string(field), "[", i, "]");
}

// Prose may hold line breaks and tabs, nothing else below U+0020.
void Prose(FieldChecker& check, std::string_view field, const std::string& value, size_t max) {
  if (!IsValidUtf8(value)) {
    check.Fail(field, "must be UTF-8 text");
    return;
  }
  if (CharacterCount(value) > max) {
    check.Fail(field, absl::StrCat("must be at most ", max, " characters"));
    return;
  }
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\r' && c != '\t') || byte == 0x7f) {
      check.Fail(field, "must not hold control characters other than line breaks and tabs");
      return;
    }
  }
}

// Clients must name the client: `me` is a patient's word, and patients never see notes.
void NamedClient(FieldChecker& check, std::string_view field, const std::string& client_id) {
  if (client_id == kMe) {
    check.Fail(field, "must name the client: notes are written and read by clinicians");
  } else {
    check.Add(CheckClientId(field, client_id));
  }
}

void ClientAndNote(FieldChecker& check, const std::string& client_id, const std::string& note_id) {
  NamedClient(check, "client_id", client_id);
  check.Add(CheckRecordId("note_id", note_id));
}

void Etag(FieldChecker& check, std::string_view field, const std::string& etag) {
  if (etag.empty()) {
    check.Fail(field, "is required: send the etag of the note you read");
  } else if (etag.size() > 64 || !IsPrintableAscii(etag)) {
    check.Fail(field, "is not an etag this service gave");
  }
}

void CheckSession(const v1::Note& note, absl::Time now, FieldChecker& check) {
  if (!note.has_session()) {
    check.Fail("session", "is required: when, how long, how and what kind of session");
    return;
  }
  const v1::SessionDetails& session = note.session();
  if (!session.has_start_time()) {
    check.Fail("session.start_time", "is required");
  } else {
    const google::protobuf::Timestamp& start = session.start_time();
    static const absl::Time kEarliest =
        absl::FromCivil(absl::CivilDay(1900, 1, 1), absl::UTCTimeZone());
    if (start.nanos() < 0 || start.nanos() > 999'999'999) {
      check.Fail("session.start_time", "is not a valid timestamp");
    } else if (FromTimestamp(start) < kEarliest) {
      check.Fail("session.start_time", "must not be before 1900");
    } else if (FromTimestamp(start) > now + absl::Hours(24)) {
      check.Fail("session.start_time", "must not be more than a day in the future");
    }
  }
  if (session.duration_minutes() < 1 || session.duration_minutes() > kMaxSessionMinutes) {
    check.Fail("session.duration_minutes",
               absl::StrCat("must be 1 to ", kMaxSessionMinutes, " minutes"));
  }
  if (session.modality() == v1::SESSION_MODALITY_UNSPECIFIED ||
      !v1::SessionModality_IsValid(session.modality())) {
    check.Fail("session.modality", "is required: IN_PERSON or TELEHEALTH");
  }
  if (session.type() == v1::SESSION_TYPE_UNSPECIFIED || !v1::SessionType_IsValid(session.type())) {
    check.Fail("session.type", "is required and must be a known session type");
  }
}

void CheckBody(const v1::Note& note, FieldChecker& check) {
  switch (note.body_case()) {
    case v1::Note::kSoap:
      Prose(check, "soap.subjective", note.soap().subjective(), kMaxSectionLength);
      Prose(check, "soap.objective", note.soap().objective(), kMaxSectionLength);
      Prose(check, "soap.assessment", note.soap().assessment(), kMaxSectionLength);
      Prose(check, "soap.plan", note.soap().plan(), kMaxSectionLength);
      break;
    case v1::Note::kDap:
      Prose(check, "dap.data", note.dap().data(), kMaxSectionLength);
      Prose(check, "dap.assessment", note.dap().assessment(), kMaxSectionLength);
      Prose(check, "dap.plan", note.dap().plan(), kMaxSectionLength);
      break;
    case v1::Note::kBirp:
      Prose(check, "birp.behavior", note.birp().behavior(), kMaxSectionLength);
      Prose(check, "birp.intervention", note.birp().intervention(), kMaxSectionLength);
      Prose(check, "birp.response", note.birp().response(), kMaxSectionLength);
      Prose(check, "birp.plan", note.birp().plan(), kMaxSectionLength);
      break;
    case v1::Note::kFreeText:
      Prose(check, "free_text.text", note.free_text().text(), kMaxFreeTextLength);
      break;
    case v1::Note::BODY_NOT_SET:
      break;
  }
}

// The repeated fields' bounds, checked before anything walks them: a request with 100,000
// tender points is refused before its points are looked at.
void CheckCounts(const v1::Note& note, FieldChecker& check) {
  if (note.pelvic_floor_findings().tender_points_size() > kMaxTenderPoints) {
    check.Fail("pelvic_floor_findings.tender_points",
               absl::StrCat("may hold at most ", kMaxTenderPoints, " tender points"));
  }
  if (note.therapy_details().interventions_used_size() > kMaxNoteInterventions) {
    check.Fail("therapy_details.interventions_used",
               absl::StrCat("may hold at most ", kMaxNoteInterventions, " interventions"));
  }
}

void CheckFindings(const v1::PelvicFloorFindings& findings, FieldChecker& check) {
  if (!v1::PelvicExamination_IsValid(findings.examination())) {
    check.Fail("pelvic_floor_findings.examination", "is not a known examination");
  }
  if (!v1::MuscleTone_IsValid(findings.muscle_tone())) {
    check.Fail("pelvic_floor_findings.muscle_tone", "is not a known muscle tone");
  }
  if (!v1::RelaxationAbility_IsValid(findings.ability_to_relax())) {
    check.Fail("pelvic_floor_findings.ability_to_relax", "is not a known relaxation ability");
  }
  if (findings.tender_points_size() <= kMaxTenderPoints) {
    for (int i = 0; i < findings.tender_points_size(); ++i) {
      const v1::TenderPoint& point = findings.tender_points(i);
      const std::string at = Indexed("pelvic_floor_findings.tender_points", i);
      if (point.clock_position() < 1 || point.clock_position() > 12) {
        check.Fail(at + ".clock_position", "must be 1 to 12");
      }
      if (!v1::TissueDepth_IsValid(point.depth())) {
        check.Fail(at + ".depth", "is not a known tissue depth");
      }
      if (point.pain_score() < 0 || point.pain_score() > 10) {
        check.Fail(at + ".pain_score", "must be 0 to 10");
      }
    }
  }
  if (findings.dilator_size_tolerated() < 0 ||
      findings.dilator_size_tolerated() > kMaxDilatorSize) {
    check.Fail("pelvic_floor_findings.dilator_size_tolerated",
               "must be 1 to 10, or 0 when not assessed");
  }
  Prose(check, "pelvic_floor_findings.comments", findings.comments(), kMaxCommentLength);
}

void CheckTherapy(const v1::TherapyDetails& therapy, FieldChecker& check) {
  if (therapy.interventions_used_size() <= kMaxNoteInterventions) {
    std::set<int> seen;
    for (int i = 0; i < therapy.interventions_used_size(); ++i) {
      const int kind = therapy.interventions_used(i);
      const std::string at = Indexed("therapy_details.interventions_used", i);
      if (kind == v1::INTERVENTION_KIND_UNSPECIFIED || !v1::InterventionKind_IsValid(kind)) {
        check.Fail(at, "must be a known intervention kind");
      } else if (!seen.insert(kind).second) {
        check.Fail(at, "is listed twice");
      }
    }
  }
  Prose(check, "therapy_details.homework_set", therapy.homework_set(), kMaxCommentLength);
  if (!v1::RiskLevel_IsValid(therapy.risk_screen().level())) {
    check.Fail("therapy_details.risk_screen.level", "is not a known risk level");
  }
  Prose(check, "therapy_details.risk_screen.comments", therapy.risk_screen().comments(),
        kMaxCommentLength);
}

void CheckSummary(const v1::Note& note, FieldChecker& check) {
  const v1::SessionSummary& summary = note.patient_summary();
  const bool any =
      !summary.summary().empty() || !summary.homework().empty() || !summary.next_steps().empty();
  if (any && note.kind() == v1::NOTE_KIND_PSYCHOTHERAPY) {
    check.Fail("patient_summary",
               "is for session notes only: a psychotherapy note never reaches the patient");
    return;
  }
  Prose(check, "patient_summary.summary", summary.summary(), kMaxCommentLength);
  Prose(check, "patient_summary.homework", summary.homework(), kMaxCommentLength);
  Prose(check, "patient_summary.next_steps", summary.next_steps(), kMaxCommentLength);
}

// What is wrong with an UpdateNote mask, or "" when nothing is. Paths are not echoed: the
// caller chose their text.
std::string UpdateMaskProblem(const google::protobuf::FieldMask& mask) {
  static constexpr std::string_view kContentPaths[] = {
      "session",         "soap",           "dap", "birp", "free_text", "pelvic_floor_findings",
      "therapy_details", "patient_summary"};
  if (mask.paths_size() == 0) {
    return "names no field to change";
  }
  // Bounded before any path is split: protobuf's descriptor lookup splits a path into one
  // string per dot, so a 4 MB path of dots would cost hundreds of megabytes.
  if (mask.paths_size() > kMaxUpdateMaskPaths) {
    return absl::StrCat("names more than ", kMaxUpdateMaskPaths, " fields");
  }
  for (const std::string& path : mask.paths()) {
    // Protobuf's lookup skips empty parts, so "soap..plan." would pass as "soap.plan".
    if (path.size() > kMaxUpdateMaskPathLength || path.empty() || path.front() == '.' ||
        path.back() == '.' || path.find("..") != std::string::npos) {
      return "names a field a note does not have";
    }
    const std::string_view whole = path;
    const std::string_view top = whole.substr(0, whole.find('.'));
    bool content = false;
    for (std::string_view allowed : kContentPaths) {
      content = content || top == allowed;
    }
    if (!content) {
      return "names a field UpdateNote cannot change (session, soap, dap, birp, free_text, "
             "pelvic_floor_findings, therapy_details, patient_summary, or a field inside one)";
    }
    if (!google::protobuf::util::FieldMaskUtil::GetFieldDescriptors(v1::Note::descriptor(), path,
                                                                    nullptr)) {
      return "names a field a note does not have";
    }
  }
  return "";
}

bool IsLowercaseHex(const std::string& text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::Status ValidateNoteContent(const v1::Note& note, std::string_view prefix, absl::Time now) {
  FieldChecker check(prefix);
  if (note.kind() != v1::NOTE_KIND_SESSION && note.kind() != v1::NOTE_KIND_PSYCHOTHERAPY) {
    check.Fail("kind", "is required: SESSION or PSYCHOTHERAPY");
  }
  CheckSession(note, now, check);
  CheckCounts(note, check);
  CheckBody(note, check);
  CheckFindings(note.pelvic_floor_findings(), check);
  CheckTherapy(note.therapy_details(), check);
  CheckSummary(note, check);
  return check.Result();
}

absl::Status ValidateNoteUpdateMask(const google::protobuf::FieldMask& mask) {
  const std::string problem = UpdateMaskProblem(mask);
  return problem.empty() ? absl::OkStatus() : InvalidField("update_mask", problem);
}

absl::Status ValidateCreateNote(const v1::CreateNoteRequest& request) {
  FieldChecker check;
  NamedClient(check, "client_id", request.client_id());
  check.Add(CheckRequestId("request_id", request.request_id()));
  if (!check.ok()) {
    return check.Result();
  }
  FieldChecker note("note");
  CheckCounts(request.note(), note);
  return note.Result();
}

absl::Status ValidateGetNote(const v1::GetNoteRequest& request) {
  FieldChecker check;
  ClientAndNote(check, request.client_id(), request.note_id());
  return check.Result();
}

absl::Status ValidateListNotes(const v1::ListNotesRequest& request) {
  FieldChecker check;
  NamedClient(check, "client_id", request.client_id());
  if (!check.ok()) {
    return check.Result();
  }
  return EffectivePageSize(request.page_size()).status();
}

absl::Status ValidateUpdateNote(const v1::UpdateNoteRequest& request) {
  FieldChecker check;
  NamedClient(check, "note.client_id", request.note().client_id());
  check.Add(CheckRecordId("note.id", request.note().id()));
  Etag(check, "note.etag", request.note().etag());
  if (std::string problem = UpdateMaskProblem(request.update_mask()); !problem.empty()) {
    check.Fail("update_mask", problem);
  }
  if (!check.ok()) {
    return check.Result();
  }
  FieldChecker note("note");
  CheckCounts(request.note(), note);
  return note.Result();
}

absl::Status ValidateSignNote(const v1::SignNoteRequest& request) {
  FieldChecker check;
  ClientAndNote(check, request.client_id(), request.note_id());
  Etag(check, "etag", request.etag());
  if (!request.cosigner_user_id().empty()) {
    check.Add(CheckRecordId("cosigner_user_id", request.cosigner_user_id()));
  }
  return check.Result();
}

absl::Status ValidateCosignNote(const v1::CosignNoteRequest& request) {
  FieldChecker check;
  ClientAndNote(check, request.client_id(), request.note_id());
  if (request.content_hash().size() != kContentHashLength ||
      !IsLowercaseHex(request.content_hash())) {
    check.Fail("content_hash",
               "is required: the note's signature.content_hash (64 lowercase hex digits)");
  }
  return check.Result();
}

absl::Status ValidateDiscardNote(const v1::DiscardNoteRequest& request) {
  FieldChecker check;
  ClientAndNote(check, request.client_id(), request.note_id());
  Etag(check, "etag", request.etag());
  return check.Result();
}

absl::Status ValidateAddAddendum(const v1::AddAddendumRequest& request) {
  FieldChecker check;
  ClientAndNote(check, request.client_id(), request.note_id());
  check.Add(CheckRequestId("request_id", request.request_id()));
  const std::string& text = request.addendum().text();
  if (IsValidUtf8(text) && absl::StripAsciiWhitespace(text).empty()) {
    check.Fail("addendum.text", "is required");
  } else {
    Prose(check, "addendum.text", text, kMaxAddendumLength);
  }
  return check.Result();
}

absl::Status ValidateSharePsychotherapyNote(const v1::SharePsychotherapyNoteRequest& request) {
  FieldChecker check;
  ClientAndNote(check, request.client_id(), request.note_id());
  if (request.reader_user_ids_size() > kMaxNoteReaders) {
    check.Fail("reader_user_ids", absl::StrCat("may name at most ", kMaxNoteReaders, " readers"));
    return check.Result();
  }
  std::set<std::string> seen;
  for (int i = 0; i < request.reader_user_ids_size(); ++i) {
    const std::string& reader = request.reader_user_ids(i);
    const std::string at = Indexed("reader_user_ids", i);
    if (std::optional<FieldViolation> bad = CheckRecordId(at, reader); bad.has_value()) {
      check.Add(bad);
    } else if (!seen.insert(reader).second) {
      check.Fail(at, "names a reader twice");
    }
  }
  return check.Result();
}

absl::Status ValidateListSessionSummaries(const v1::ListSessionSummariesRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  if (!check.ok()) {
    return check.Result();
  }
  return EffectivePageSize(request.page_size()).status();
}

}  // namespace confide
