#include "services/audit/audit_export_records.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace confide::audit_export {
namespace {

using json = nlohmann::ordered_json;

constexpr char kExt[] = "urn:confide:audit:";
constexpr size_t kExtSize = sizeof(kExt) - 1;
constexpr std::string_view kDicom = "http://dicom.nema.org/resources/ontology/DCM";
constexpr std::string_view kEventType = "http://terminology.hl7.org/CodeSystem/audit-event-type";
constexpr std::string_view kEntityType = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
constexpr std::string_view kObjectRole = "http://terminology.hl7.org/CodeSystem/object-role";
constexpr std::string_view kSecurityRoleType =
    "http://terminology.hl7.org/CodeSystem/extra-security-role-type";
constexpr std::string_view kSourceType =
    "http://terminology.hl7.org/CodeSystem/security-source-type";
constexpr std::string_view kActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

void AppendKey(std::string& out, std::string_view key) {
  out.push_back(',');
  out.push_back('"');
  out.append(key);
  out.append("\":");
}

void AppendStringField(std::string& out, std::string_view key, std::string_view value) {
  AppendKey(out, key);
  AppendJsonString(out, value);
}

std::string OutcomeCode(std::string_view outcome) {
  if (outcome == "success") {
    return "0";
  }
  if (outcome == "denied") {
    return "4";
  }
  return "8";
}

bool OutcomeIsCoded(std::string_view outcome) {
  return outcome == "success" || outcome == "denied" || outcome == "failure";
}

std::string OutcomeFromCode(std::string_view code) {
  if (code == "0") {
    return "success";
  }
  if (code == "4") {
    return "denied";
  }
  if (code == "8") {
    return "failure";
  }
  return "";
}

json Coding(std::string_view system, std::string_view code, std::string_view display = {}) {
  json coding = json::object();
  coding["system"] = std::string(system);
  coding["code"] = std::string(code);
  if (!display.empty()) {
    coding["display"] = std::string(display);
  }
  return coding;
}

json StringExtension(std::string_view name, std::string_view value) {
  return json{{"url", absl::StrCat(kExt, std::string(name))}, {"valueString", std::string(value)}};
}

const json* Member(const json& object, const char* key) {
  if (!object.is_object()) {
    return nullptr;
  }
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string StringAt(const json* value) {
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

const json* Path(const json& root, std::initializer_list<const char*> keys) {
  const json* at = &root;
  for (const char* key : keys) {
    at = Member(*at, key);
    if (at == nullptr) {
      return nullptr;
    }
  }
  return at;
}

const json* First(const json* array) {
  return array != nullptr && array->is_array() && !array->empty() ? &(*array)[0] : nullptr;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        if (u < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

std::string NdjsonEventLine(const EventRecord& record) {
  const AuditEvent& e = record.event;
  std::string out;
  out.reserve(400 + record.proof.size() * 67);
  out.append("{\"record\":\"event\"");
  AppendKey(out, "batch");
  absl::StrAppend(&out, record.batch_no);
  AppendKey(out, "leaf_index");
  absl::StrAppend(&out, record.leaf_index);
  AppendKey(out, "seq");
  absl::StrAppend(&out, e.seq);
  AppendStringField(out, "id", e.id);
  AppendStringField(out, "time", AuditTimeText(e.time));
  AppendStringField(out, "actor_user_id", e.actor_user_id);
  AppendStringField(out, "actor_role", e.actor_role);
  AppendStringField(out, "clinic_id", e.clinic_id);
  AppendStringField(out, "action", e.action);
  AppendStringField(out, "resource", e.resource);
  AppendStringField(out, "client_id", e.client_id);
  AppendStringField(out, "outcome", e.outcome);
  AppendStringField(out, "status_code", e.status_code);
  AppendStringField(out, "request_id", e.request_id);
  AppendStringField(out, "source_address", e.source_address);
  AppendKey(out, "break_glass");
  out.append(e.break_glass ? "true" : "false");
  AppendStringField(out, "detail", e.detail);
  AppendKey(out, "proof");
  out.push_back('[');
  for (size_t i = 0; i < record.proof.size(); ++i) {
    if (i > 0) {
      out.push_back(',');
    }
    AppendJsonString(out, record.proof[i]);
  }
  out.append("]}");
  return out;
}

std::string PreambleJson(const AuditExportPreamble& preamble) {
  std::string out = "{\"record\":\"preamble\"";
  AppendStringField(out, "format", kFormatName);
  AppendKey(out, "version");
  absl::StrAppend(&out, kFormatVersion);
  AppendStringField(out, "clinic_id", preamble.clinic_id);
  AppendKey(out, "scope");
  out.append("{\"start_time\":");
  if (preamble.start_time.has_value()) {
    AppendJsonString(out, AuditTimeText(*preamble.start_time));
  } else {
    out.append("null");
  }
  AppendKey(out, "end_time");
  if (preamble.end_time.has_value()) {
    AppendJsonString(out, AuditTimeText(*preamble.end_time));
  } else {
    out.append("null");
  }
  AppendKey(out, "first_batch");
  absl::StrAppend(&out, preamble.first_batch_no);
  AppendKey(out, "last_batch");
  absl::StrAppend(&out, preamble.last_batch_no);
  out.push_back('}');
  AppendStringField(out, "export_time", AuditTimeText(preamble.export_time));
  AppendKey(out, "checkpoint");
  out.append(CheckpointJson(preamble.checkpoint));
  AppendKey(out, "keys");
  out.push_back('[');
  for (size_t i = 0; i < preamble.keys.size(); ++i) {
    if (i > 0) {
      out.push_back(',');
    }
    const AuditSigningKeyRecord& key = preamble.keys[i];
    out.append("{\"key_id\":");
    AppendJsonString(out, key.key_id);
    AppendStringField(out, "algorithm", "Ed25519");
    AppendStringField(out, "public_key", key.public_key);
    AppendStringField(out, "create_time", AuditTimeText(key.create_time));
    AppendKey(out, "retire_time");
    if (key.retire_time.has_value()) {
      AppendJsonString(out, AuditTimeText(*key.retire_time));
    } else {
      out.append("null");
    }
    out.push_back('}');
  }
  out.append("]}");
  return out;
}

std::string SummaryJson(const AuditExportSummary& summary) {
  return absl::StrCat("{\"record\":\"end\",\"batches\":", summary.batches,
                      ",\"events\":", summary.events, ",\"chain_headers\":", summary.chain_headers,
                      "}");
}

std::string HeaderRecordJson(const AuditBatchHeader& header, bool with_events) {
  return absl::StrCat("{\"record\":\"", with_events ? "batch" : "header",
                      "\",\"checkpoint\":", CheckpointJson(header), "}");
}

const std::vector<std::string>& CsvColumns() {
  static const std::vector<std::string>* const kColumns = new std::vector<std::string>{
      "record",         "batch",         "leaf_index", "seq",         "id",
      "time",           "actor_user_id", "actor_role", "clinic_id",   "action",
      "resource",       "client_id",     "outcome",    "status_code", "request_id",
      "source_address", "break_glass",   "detail",     "proof",       "json"};
  return *kColumns;
}

std::vector<std::string> CsvEventFields(const EventRecord& record) {
  const AuditEvent& e = record.event;
  return {"event",
          absl::StrCat(record.batch_no),
          absl::StrCat(record.leaf_index),
          absl::StrCat(e.seq),
          e.id,
          AuditTimeText(e.time),
          e.actor_user_id,
          e.actor_role,
          e.clinic_id,
          e.action,
          e.resource,
          e.client_id,
          e.outcome,
          e.status_code,
          e.request_id,
          e.source_address,
          e.break_glass ? "true" : "false",
          e.detail,
          absl::StrJoin(record.proof, " "),
          ""};
}

std::vector<std::string> CsvOtherFields(std::string_view kind, int64_t batch_no,
                                        std::string_view json_text) {
  std::vector<std::string> fields(CsvColumns().size());
  fields[0] = std::string(kind);
  if (batch_no > 0) {
    fields[1] = absl::StrCat(batch_no);
  }
  fields.back() = std::string(json_text);
  return fields;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) {
      out.push_back(',');
    }
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out.append(f);
      continue;
    }
    out.push_back('"');
    for (char c : f) {
      if (c == '"') {
        out.push_back('"');
      }
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.append("\r\n");
  return out;
}

std::string_view FhirActionCode(std::string_view rpc_full_name) {
  const size_t dot = rpc_full_name.rfind('.');
  const std::string_view method =
      dot == std::string_view::npos ? rpc_full_name : rpc_full_name.substr(dot + 1);
  for (const char* prefix : {"Get", "List", "Search", "Read", "Export", "Download"}) {
    if (absl::StartsWith(absl::string_view(method.data(), method.size()), prefix)) {
      return "R";
    }
  }
  for (const char* prefix : {"Create", "Add", "Invite", "Start", "Open", "Record"}) {
    if (absl::StartsWith(absl::string_view(method.data(), method.size()), prefix)) {
      return "C";
    }
  }
  for (const char* prefix : {"Update", "Set", "Change", "Edit", "Amend", "Sign", "Archive"}) {
    if (absl::StartsWith(absl::string_view(method.data(), method.size()), prefix)) {
      return "U";
    }
  }
  for (const char* prefix : {"Delete", "Erase", "Remove", "Revoke"}) {
    if (absl::StartsWith(absl::string_view(method.data(), method.size()), prefix)) {
      return "D";
    }
  }
  return "E";
}

json FhirAuditEvent(const EventRecord& record) {
  const AuditEvent& e = record.event;
  json resource = json::object();
  resource["resourceType"] = "AuditEvent";
  if (!e.id.empty()) {
    resource["id"] = e.id;
  }
  json extensions = json::array();
  extensions.push_back(StringExtension("sequence", absl::StrCat(e.seq)));
  if (!e.request_id.empty()) {
    extensions.push_back(StringExtension("request-id", e.request_id));
  }
  if (!e.detail.empty()) {
    extensions.push_back(StringExtension("detail", e.detail));
  }
  if (!OutcomeIsCoded(e.outcome)) {
    extensions.push_back(StringExtension("outcome", e.outcome));
  }
  json proof = json::array();
  proof.push_back(json{{"url", "batch"}, {"valueString", absl::StrCat(record.batch_no)}});
  proof.push_back(json{{"url", "leafIndex"}, {"valueInteger", record.leaf_index}});
  for (const std::string& hash : record.proof) {
    proof.push_back(json{{"url", "path"}, {"valueString", hash}});
  }
  extensions.push_back(json{{"url", absl::StrCat(kExt, "inclusion-proof")}, {"extension", proof}});
  resource["extension"] = std::move(extensions);
  if (!e.client_id.empty()) {
    resource["type"] = Coding(kDicom, "110110", "Patient Record");
  } else {
    resource["type"] = Coding(kEventType, "rest", "RESTful Operation");
  }
  if (!e.action.empty()) {
    resource["subtype"] = json::array({Coding("urn:confide:rpc", e.action)});
  }
  resource["action"] = std::string(FhirActionCode(e.action));
  resource["recorded"] = AuditTimeText(e.time);
  resource["outcome"] = OutcomeCode(e.outcome);
  if (!e.status_code.empty()) {
    resource["outcomeDesc"] = e.status_code;
  }
  if (e.break_glass) {
    resource["purposeOfEvent"] = json::array(
        {json{{"coding", json::array({Coding(kActReason, "BTG", "break the glass")})}}});
  }
  json agent = json::object();
  agent["type"] =
      json{{"coding", json::array({Coding(kSecurityRoleType, "humanuser", "human user")})}};
  if (!e.actor_role.empty()) {
    agent["role"] =
        json::array({json{{"coding", json::array({Coding("urn:confide:role", e.actor_role)})}}});
  }
  if (!e.actor_user_id.empty()) {
    agent["who"] =
        json{{"identifier", {{"system", "urn:confide:user"}, {"value", e.actor_user_id}}}};
  }
  agent["requestor"] = true;
  if (!e.source_address.empty()) {
    agent["network"] = json{{"address", e.source_address}, {"type", "2"}};
  }
  resource["agent"] = json::array({std::move(agent)});
  json observer = json::object();
  if (!e.clinic_id.empty()) {
    observer["identifier"] = json{{"system", "urn:confide:clinic"}, {"value", e.clinic_id}};
  }
  observer["display"] = "Confide";
  resource["source"] =
      json{{"site", "Confide"},
           {"observer", std::move(observer)},
           {"type", json::array({Coding(kSourceType, "4", "Application Server")})}};
  json entities = json::array();
  if (!e.client_id.empty()) {
    entities.push_back(json{{"what", {{"reference", absl::StrCat("Patient/", e.client_id)}}},
                            {"type", Coding(kEntityType, "1", "Person")},
                            {"role", Coding(kObjectRole, "1", "Patient")}});
  }
  if (!e.resource.empty()) {
    entities.push_back(json{
        {"what", {{"identifier", {{"system", "urn:confide:resource"}, {"value", e.resource}}}}},
        {"type", Coding(kEntityType, "2", "System Object")}});
  }
  if (!entities.empty()) {
    resource["entity"] = std::move(entities);
  }
  return resource;
}

EventRecord EventFromFhir(const json& resource) {
  EventRecord record;
  AuditEvent& e = record.event;
  e.id = StringAt(Member(resource, "id"));
  std::string outcome_extension;
  bool has_outcome_extension = false;
  if (const json* extensions = Member(resource, "extension");
      extensions != nullptr && extensions->is_array()) {
    for (const json& ext : *extensions) {
      const std::string url = StringAt(Member(ext, "url"));
      if (!absl::StartsWith(url, kExt)) {
        continue;
      }
      const std::string name = url.substr(kExtSize);
      const std::string value = StringAt(Member(ext, "valueString"));
      if (name == "sequence") {
        (void)absl::SimpleAtoi(value, &e.seq);
      } else if (name == "request-id") {
        e.request_id = value;
      } else if (name == "detail") {
        e.detail = value;
      } else if (name == "outcome") {
        outcome_extension = value;
        has_outcome_extension = true;
      } else if (name == "inclusion-proof") {
        const json* parts = Member(ext, "extension");
        if (parts == nullptr || !parts->is_array()) {
          continue;
        }
        for (const json& part : *parts) {
          const std::string part_url = StringAt(Member(part, "url"));
          if (part_url == "batch") {
            (void)absl::SimpleAtoi(StringAt(Member(part, "valueString")), &record.batch_no);
          } else if (part_url == "leafIndex") {
            const json* v = Member(part, "valueInteger");
            if (v != nullptr && v->is_number_integer()) {
              record.leaf_index = v->get<int64_t>();
            }
          } else if (part_url == "path") {
            record.proof.push_back(StringAt(Member(part, "valueString")));
          }
        }
      }
    }
  }
  if (const json* subtype = First(Member(resource, "subtype"))) {
    e.action = StringAt(Member(*subtype, "code"));
  }
  if (const std::optional<absl::Time> t =
          ParseAuditTimeText(StringAt(Member(resource, "recorded")))) {
    e.time = *t;
  }
  e.outcome = has_outcome_extension ? outcome_extension
                                    : OutcomeFromCode(StringAt(Member(resource, "outcome")));
  e.status_code = StringAt(Member(resource, "outcomeDesc"));
  e.break_glass = Member(resource, "purposeOfEvent") != nullptr;
  if (const json* agent = First(Member(resource, "agent"))) {
    if (const json* role = First(Member(*agent, "role"))) {
      if (const json* coding = First(Member(*role, "coding"))) {
        e.actor_role = StringAt(Member(*coding, "code"));
      }
    }
    e.actor_user_id = StringAt(Path(*agent, {"who", "identifier", "value"}));
    e.source_address = StringAt(Path(*agent, {"network", "address"}));
  }
  e.clinic_id = StringAt(Path(resource, {"source", "observer", "identifier", "value"}));
  if (const json* entities = Member(resource, "entity");
      entities != nullptr && entities->is_array()) {
    for (const json& entity : *entities) {
      const std::string reference = StringAt(Path(entity, {"what", "reference"}));
      if (absl::StartsWith(reference, "Patient/")) {
        e.client_id = reference.substr(8);
        continue;
      }
      const std::string value = StringAt(Path(entity, {"what", "identifier", "value"}));
      if (!value.empty()) {
        e.resource = value;
      }
    }
  }
  return record;
}

json FhirEventEntry(const EventRecord& record) {
  return json{{"fullUrl", absl::StrCat("urn:uuid:", record.event.id)},
              {"resource", FhirAuditEvent(record)}};
}

json FhirBinaryEntry(std::string_view full_url, std::string_view id, std::string_view content_type,
                     std::string_view json_text) {
  return json{
      {"fullUrl", std::string(full_url)},
      {"resource",
       {{"resourceType", "Binary"},
        {"id", std::string(id)},
        {"contentType", std::string(content_type)},
        {"data", absl::Base64Escape(absl::string_view(json_text.data(), json_text.size()))}}}};
}

std::vector<std::string> HexProof(const std::vector<std::string>& raw_proof) {
  std::vector<std::string> out;
  out.reserve(raw_proof.size());
  for (const std::string& hash : raw_proof) {
    out.push_back(absl::BytesToHexString(hash));
  }
  return out;
}

}  // namespace confide::audit_export
