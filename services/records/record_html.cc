#include "services/records/record_html.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "services/common/timestamps.h"
#include "services/records/html_text.h"
#include "services/records/message_html.h"

namespace confide {
namespace {

// Nothing may load or run: no script, image, font, frame, form target or base URL; only the
// document's own <style>.
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

constexpr char kStyle[] = R"css(
body { font-family: Georgia, "Times New Roman", serif; margin: 2em auto; max-width: 50em;
       padding: 0 1em; color: #111; line-height: 1.4; }
h1, h2, h3, h4 { font-family: Helvetica, Arial, sans-serif; }
h2 { border-bottom: 2px solid #444; margin-top: 2em; }
.notice { border: 2px solid #900; padding: 0.6em 1em; font-weight: bold; }
.psychotherapy-marker { color: #900; font-weight: bold; }
article { border-top: 1px solid #bbb; margin-top: 1em; page-break-inside: avoid; }
article.psychotherapy { border-left: 4px solid #900; padding-left: 0.8em; }
dl { display: grid; grid-template-columns: minmax(10em, max-content) 1fr; gap: 0.2em 1em; }
dt { font-weight: bold; }
dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
dd dl { margin: 0; }
ul { margin: 0; padding-left: 1.2em; }
.hash { font-family: monospace; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
)css";

constexpr char kConfidentialityNotice[] =
    "Confidential health record. It contains sensitive clinical information about the client "
    "named in it and was released only for the purpose stated. Do not copy, forward or disclose "
    "it except as that purpose and the law allow; store it securely and destroy it when no "
    "longer needed.";

template <typename Enum>
std::string EnumWords(const google::protobuf::EnumDescriptor* type, Enum value) {
  const google::protobuf::EnumValueDescriptor* described =
      type->FindValueByNumber(static_cast<int>(value));
  return described != nullptr ? EnumValueWords(*described) : absl::StrCat(static_cast<int>(value));
}

// The names the document shows beside staff ids: the client's care team (who exports, authors
// notes and writes plans for her).
MessageHtmlOptions OptionsFor(const v1::ClientRecord& record) {
  MessageHtmlOptions options;
  for (const v1::CareTeamMember& member : record.client().care_team()) {
    if (!member.display_name().empty()) {
      options.user_names.emplace(member.user_id(), member.display_name());
    }
  }
  // The etag is for updating through the API; every section already belongs to this client.
  options.skipped_fields = {"etag", "client_id"};
  return options;
}

void AppendHeader(const v1::ClientRecordExport& record_export, const MessageHtmlOptions& options,
                  std::string& out) {
  const v1::Client& client = record_export.record().client();
  const std::string& name =
      client.preferred_name().empty() ? client.legal_given_name() : client.preferred_name();
  absl::StrAppend(&out, "<header>\n<p class=\"notice\">", HtmlEscape(kConfidentialityNotice),
                  "</p>\n", "<h1>Client record: ", HtmlEscape(name), " ",
                  HtmlEscape(client.legal_family_name()), "</h1>\n<dl>\n<dt>Exported</dt><dd>",
                  HtmlEscape(ReadableTime(FromTimestamp(record_export.export_time()))),
                  "</dd>\n<dt>Exported by</dt><dd>",
                  UserHtml(record_export.exported_by_user_id(), options),
                  "</dd>\n<dt>Purpose</dt><dd>",
                  HtmlEscape(EnumWords(v1::ExportPurpose_descriptor(), record_export.purpose())),
                  "</dd>\n<dt>Psychotherapy notes</dt><dd>",
                  record_export.includes_psychotherapy_notes()
                      ? "Included: only those the exporting clinician may read"
                      : "Not included",
                  "</dd>\n</dl>\n</header>\n");
}

void OpenSection(std::string_view id, std::string_view heading, std::string& out) {
  absl::StrAppend(&out, "<section id=\"", std::string(id), "\">\n<h2>", std::string(heading),
                  "</h2>\n");
}

void AppendNothing(std::string_view what, std::string& out) {
  absl::StrAppend(&out, "<p>No ", std::string(what), " on record.</p>\n");
}

void AppendClient(const v1::ClientRecord& record, const MessageHtmlOptions& options,
                  std::string& out) {
  OpenSection("client", "Client", out);
  AppendMessageHtml(record.client(), options, out);
  out += "</section>\n";
}

void AppendIntake(const v1::ClientRecord& record, const MessageHtmlOptions& options,
                  std::string& out) {
  OpenSection("intake", "Intake", out);
  if (record.has_intake()) {
    AppendMessageHtml(record.intake(), options, out);
  } else {
    AppendNothing("intake", out);
  }
  out += "</section>\n";
}

void AppendConsents(const v1::ClientRecord& record, const MessageHtmlOptions& options,
                    std::string& out) {
  OpenSection("consents", "Consents", out);
  if (record.consents().empty()) {
    AppendNothing("consents", out);
  }
  for (const v1::Consent& consent : record.consents()) {
    absl::StrAppend(&out, "<article>\n<h3>",
                    HtmlEscape(EnumWords(v1::ConsentKind_descriptor(), consent.kind())), ": ",
                    HtmlEscape(EnumWords(v1::ConsentState_descriptor(), consent.state())),
                    "</h3>\n");
    AppendMessageHtml(consent, options, out);
    out += "</article>\n";
  }
  out += "</section>\n";
}

void AppendMeasures(const v1::ClientRecord& record, const MessageHtmlOptions& options,
                    std::string& out) {
  OpenSection("measures", "Measures", out);
  if (record.assessments().empty()) {
    AppendNothing("measures", out);
  }
  for (const v1::Assessment& assessment : record.assessments()) {
    absl::StrAppend(&out, "<article>\n<h3>", HtmlEscape(assessment.instrument_id()), ", ",
                    HtmlEscape(ReadableTime(FromTimestamp(assessment.complete_time()))), "</h3>\n");
    AppendMessageHtml(assessment, options, out);
    out += "</article>\n";
  }
  out += "</section>\n";
}

void AppendPlans(const v1::ClientRecord& record, const MessageHtmlOptions& options,
                 std::string& out) {
  OpenSection("plans", "Plans", out);
  if (record.plan_versions().empty()) {
    AppendNothing("plans", out);
  }
  for (const v1::TherapyPlan& version : record.plan_versions()) {
    absl::StrAppend(&out, "<article>\n<h3>",
                    HtmlEscape(version.title().empty() ? "Plan" : version.title()), ", version ",
                    version.version(), "</h3>\n");
    AppendMessageHtml(version, options, out);
    out += "</article>\n";
  }
  out += "</section>\n";
}

void AppendMilestones(const v1::ClientRecord& record, const MessageHtmlOptions& options,
                      std::string& out) {
  OpenSection("milestones", "Milestones", out);
  if (record.milestones().empty()) {
    AppendNothing("milestones", out);
  }
  for (const v1::Milestone& milestone : record.milestones()) {
    absl::StrAppend(&out, "<article>\n<h3>", HtmlEscape(milestone.title()), "</h3>\n");
    AppendMessageHtml(milestone, options, out);
    out += "</article>\n";
  }
  out += "</section>\n";
}

void AppendSignature(std::string_view heading, const v1::Signature& signature,
                     const MessageHtmlOptions& options, std::string& out) {
  absl::StrAppend(&out, "<h4>", std::string(heading), "</h4>\n<dl>\n<dt>Signed by</dt><dd>",
                  UserHtml(signature.user_id(), options), "</dd>\n<dt>Signed</dt><dd>",
                  HtmlEscape(ReadableTime(FromTimestamp(signature.time()))),
                  "</dd>\n<dt>Content hash (SHA-256)</dt><dd class=\"hash\">",
                  HtmlEscape(signature.content_hash()), "</dd>\n</dl>\n");
}

void AppendNote(const v1::Note& note, const MessageHtmlOptions& options, std::string& out) {
  const bool psychotherapy = note.kind() == v1::NOTE_KIND_PSYCHOTHERAPY;
  absl::StrAppend(
      &out,
      psychotherapy ? "<article class=\"note psychotherapy\">\n" : "<article class=\"note\">\n",
      "<h3>", psychotherapy ? "Psychotherapy note: " : "Session note: ",
      HtmlEscape(EnumWords(v1::SessionType_descriptor(), note.session().type())), ", ",
      HtmlEscape(ReadableTime(FromTimestamp(note.session().start_time()))), "</h3>\n");
  if (psychotherapy) {
    out +=
        "<p class=\"psychotherapy-marker\">Psychotherapy note: the therapist's private process "
        "notes, kept apart from the session record and included at the exporting clinician's "
        "explicit request.</p>\n";
  }
  // The note's own content; signatures and addenda follow under their own headings.
  MessageHtmlOptions content_options = options;
  content_options.skipped_fields.insert({"signature", "cosignature", "addenda"});
  AppendMessageHtml(note, content_options, out);
  if (note.has_signature()) {
    AppendSignature("Signature", note.signature(), options, out);
  }
  if (note.has_cosignature()) {
    AppendSignature("Co-signature", note.cosignature(), options, out);
  }
  for (const v1::Addendum& addendum : note.addenda()) {
    absl::StrAppend(&out, "<section class=\"addendum\">\n<h4>Addendum, ",
                    HtmlEscape(ReadableTime(FromTimestamp(addendum.signature().time()))),
                    "</h4>\n<dl>\n<dt>Text</dt><dd>", HtmlEscape(addendum.text()),
                    "</dd>\n</dl>\n");
    AppendSignature("Addendum signature", addendum.signature(), options, out);
    out += "</section>\n";
  }
  out += "</article>\n";
}

void AppendNotes(const v1::ClientRecord& record, const MessageHtmlOptions& options,
                 std::string& out) {
  OpenSection("notes", "Session notes", out);
  if (record.notes().empty()) {
    AppendNothing("signed session notes", out);
  }
  for (const v1::Note& note : record.notes()) {
    AppendNote(note, options, out);
  }
  out += "</section>\n";
}

void AppendProgrammes(const v1::ClientRecord& record, const MessageHtmlOptions& options,
                      std::string& out) {
  OpenSection("programmes", "Home programmes", out);
  if (record.programme_versions().empty()) {
    AppendNothing("home programmes", out);
  }
  for (const v1::Programme& version : record.programme_versions()) {
    absl::StrAppend(&out, "<article>\n<h3>",
                    HtmlEscape(version.title().empty() ? "Programme" : version.title()),
                    ", version ", version.version(), " (",
                    HtmlEscape(EnumWords(v1::ProgrammeStatus_descriptor(), version.status())),
                    ")</h3>\n");
    AppendMessageHtml(version, options, out);
    out += "</article>\n";
  }
  out += "</section>\n";
}

// What a log's item is called: its exercise's title in the version she practised, else its id.
std::string ItemName(const v1::ClientRecord& record, const v1::PracticeLog& log) {
  for (const v1::Programme& version : record.programme_versions()) {
    if (version.id() != log.programme_id() || version.version() != log.programme_version()) {
      continue;
    }
    for (const v1::ProgrammeItem& item : version.items()) {
      if (item.id() == log.item_id() && !item.exercise().title().empty()) {
        return item.exercise().title();
      }
    }
  }
  return log.item_id();
}

void AppendPracticeLogs(const v1::ClientRecord& record, const MessageHtmlOptions& options,
                        std::string& out) {
  OpenSection("practice-log", "Practice log", out);
  if (record.practice_logs().empty()) {
    AppendNothing("practice sessions", out);
  }
  for (const v1::PracticeLog& log : record.practice_logs()) {
    absl::StrAppend(&out, "<article>\n<h3>",
                    HtmlEscape(ReadableDate(log.local_date()).value_or(log.local_date())), ": ",
                    HtmlEscape(ItemName(record, log)), ", ",
                    HtmlEscape(EnumWords(v1::PracticeCompletion_descriptor(), log.completion())),
                    "</h3>\n");
    AppendMessageHtml(log, options, out);
    out += "</article>\n";
  }
  out += "</section>\n";
}

void AppendProgressionSuggestions(const v1::ClientRecord& record, const MessageHtmlOptions& options,
                                  std::string& out) {
  OpenSection("progression-suggestions", "Dilator progression suggestions", out);
  if (record.progression_suggestions().empty()) {
    AppendNothing("progression suggestions", out);
  }
  for (const v1::ProgressionSuggestion& suggestion : record.progression_suggestions()) {
    absl::StrAppend(
        &out, "<article>\n<h3>",
        HtmlEscape(EnumWords(v1::ProgressionDirection_descriptor(), suggestion.direction())),
        " from size ", suggestion.from_size(), " to size ", suggestion.to_size(), ": ",
        HtmlEscape(EnumWords(v1::SuggestionStatus_descriptor(), suggestion.status())), "</h3>\n");
    AppendMessageHtml(suggestion, options, out);
    out += "</article>\n";
  }
  out += "</section>\n";
}

void AppendJournalEntries(const v1::ClientRecord& record, const MessageHtmlOptions& options,
                          std::string& out) {
  OpenSection("journal", "Journal entries shared with the care team", out);
  out +=
      "<p>Only the entries the client chose to share with her care team; her private entries "
      "are not part of this record.</p>\n";
  if (record.journal_entries().empty()) {
    AppendNothing("shared journal entries", out);
  }
  for (const v1::JournalEntry& entry : record.journal_entries()) {
    absl::StrAppend(&out, "<article>\n<h3>Journal entry, ",
                    HtmlEscape(ReadableTime(FromTimestamp(entry.write_time()))), "</h3>\n");
    // Whom else she shares it with is her business (always false here).
    MessageHtmlOptions entry_options = options;
    entry_options.skipped_fields.insert("shared_with_partner");
    AppendMessageHtml(entry, entry_options, out);
    out += "</article>\n";
  }
  out += "</section>\n";
}

}  // namespace

std::string RenderRecordHtml(const v1::ClientRecordExport& record_export) {
  const v1::ClientRecord& record = record_export.record();
  const MessageHtmlOptions options = OptionsFor(record);
  std::string out;
  absl::StrAppend(&out,
                  "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"",
                  kContentSecurityPolicy,
                  "\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
                  "<title>Client record</title>\n<style>",
                  kStyle, "</style>\n</head>\n<body>\n");
  AppendHeader(record_export, options, out);
  out += "<main>\n";
  AppendClient(record, options, out);
  AppendIntake(record, options, out);
  AppendConsents(record, options, out);
  AppendMeasures(record, options, out);
  AppendPlans(record, options, out);
  AppendMilestones(record, options, out);
  AppendNotes(record, options, out);
  AppendProgrammes(record, options, out);
  AppendPracticeLogs(record, options, out);
  AppendProgressionSuggestions(record, options, out);
  AppendJournalEntries(record, options, out);
  absl::StrAppend(&out, "</main>\n<footer>\n<p class=\"notice\">",
                  HtmlEscape(kConfidentialityNotice), "</p>\n</footer>\n</body>\n</html>\n");
  return out;
}

}  // namespace confide
