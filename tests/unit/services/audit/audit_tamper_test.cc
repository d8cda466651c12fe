// Applies random single mutations to exports in every format and asserts that the verifier
// detects every one of them (and nothing on the untouched exports).

#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/audit/audit_export_records.h"
#include "tests/unit/services/audit/audit_test_trail.h"

namespace confide {
namespace {

using OrderedJson = nlohmann::ordered_json;
using testing_audit::BuildTrail;
using testing_audit::ExportTrail;
using testing_audit::TestTrail;
using testing_audit::Verify;

enum class Mutation {
  kEditEventField,
  kDeleteEvent,
  kInsertCopiedEvent,
  kInsertForgedEvent,
  kSwapEvents,
  kTruncate,
  kEditHeader,
  kDropHeader,
  kEditProofHash,
};
constexpr Mutation kMutations[] = {
    Mutation::kEditEventField,    Mutation::kDeleteEvent, Mutation::kInsertCopiedEvent,
    Mutation::kInsertForgedEvent, Mutation::kSwapEvents,  Mutation::kTruncate,
    Mutation::kEditHeader,        Mutation::kDropHeader,  Mutation::kEditProofHash};
const char* const kMutationNames[] = {"edit event field",    "delete event", "insert copied event",
                                      "insert forged event", "swap events",  "truncate",
                                      "edit header",         "drop header",  "edit proof hash"};

// An export split into records that can be cut and rejoined: NDJSON lines, CSV rows, or the
// FHIR Bundle's lines (one entry per line).
struct Records {
  AuditExportFormat format;
  std::vector<std::string> items;
  std::string separator;

  std::string Join() const { return absl::StrJoin(items, separator) + separator; }
};

Records Split(AuditExportFormat format, const std::string& text) {
  Records r{format, {}, format == AuditExportFormat::kCsv ? "\r\n" : "\n"};
  std::string body = text.substr(0, text.size() - r.separator.size());
  r.items = absl::StrSplit(body, r.separator);
  return r;
}

bool IsEvent(const Records& r, size_t i) {
  const std::string& s = r.items[i];
  switch (r.format) {
    case AuditExportFormat::kNdjson:
      return s.rfind("{\"record\":\"event\"", 0) == 0;
    case AuditExportFormat::kCsv:
      return s.rfind("event,", 0) == 0;
    case AuditExportFormat::kFhirR4:
      return s.find("\"resourceType\":\"AuditEvent\"") != std::string::npos;
  }
  return false;
}

bool IsHeader(const Records& r, size_t i) {
  const std::string& s = r.items[i];
  switch (r.format) {
    case AuditExportFormat::kNdjson:
      return s.rfind("{\"record\":\"batch\"", 0) == 0 || s.rfind("{\"record\":\"header\"", 0) == 0;
    case AuditExportFormat::kCsv:
      return s.rfind("batch,", 0) == 0 || s.rfind("header,", 0) == 0;
    case AuditExportFormat::kFhirR4:
      return s.find("urn:confide:audit-batch:") != std::string::npos;
  }
  return false;
}

std::vector<size_t> Indexes(const Records& r, bool (*pred)(const Records&, size_t)) {
  std::vector<size_t> out;
  for (size_t i = 0; i < r.items.size(); ++i) {
    if (pred(r, i)) out.push_back(i);
  }
  return out;
}

// Changes one primitive value somewhere in `j` (depth first, the `pick`-th primitive), keeping
// its type: strings get one character replaced (or become "x"), numbers move by one, booleans
// flip. Returns false when `j` has no primitives.
void CollectPrimitives(OrderedJson& j, std::vector<OrderedJson*>& out) {
  if (j.is_structured()) {
    for (auto& child : j) CollectPrimitives(child, out);
  } else {
    out.push_back(&j);
  }
}

void MutatePrimitive(OrderedJson& v, std::mt19937& rng) {
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.empty()) {
      s = "x";
    } else {
      const size_t at = rng() % s.size();
      const char c = s[at];
      s[at] = c == '0' ? '1' : (c == 'a' ? 'b' : (std::isdigit(c) ? '0' : 'a'));
    }
    v = s;
  } else if (v.is_boolean()) {
    v = !v.get<bool>();
  } else if (v.is_number_integer()) {
    v = v.get<int64_t>() + (rng() % 2 == 0 ? 1 : -1);
  } else if (v.is_null()) {
    v = "x";
  }
}

// Splits an item into prefix + JSON (FHIR lines start with ','; CSV rows are fields).
std::string EditJsonItem(const std::string& item, std::mt19937& rng, const char* only_key) {
  const bool comma = !item.empty() && item[0] == ',';
  OrderedJson j = OrderedJson::parse(comma ? item.substr(1) : item);
  std::vector<OrderedJson*> values;
  if (only_key != nullptr) {
    CollectPrimitives(j[only_key], values);
  } else {
    CollectPrimitives(j, values);
  }
  MutatePrimitive(*values[rng() % values.size()], rng);
  return (comma ? "," : "") + j.dump();
}

std::vector<std::string> CsvFields(const std::string& row) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < row.size(); ++i) {
    const char c = row[i];
    if (quoted) {
      if (c == '"' && i + 1 < row.size() && row[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(field);
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  fields.push_back(field);
  return fields;
}

std::string CsvRow(const std::vector<std::string>& fields) {
  std::string line = audit_export::CsvLine(fields);
  return line.substr(0, line.size() - 2);
}

std::string EditEvent(const Records& r, const std::string& item, std::mt19937& rng) {
  switch (r.format) {
    case AuditExportFormat::kNdjson:
      return EditJsonItem(item, rng, nullptr);
    case AuditExportFormat::kCsv: {
      std::vector<std::string> fields = CsvFields(item);
      const size_t at = 1 + rng() % (fields.size() - 2);  // not the kind, not json
      OrderedJson v = fields[at];
      MutatePrimitive(v, rng);
      fields[at] = v.get<std::string>();
      return CsvRow(fields);
    }
    case AuditExportFormat::kFhirR4:
      return EditJsonItem(item, rng, nullptr);
  }
  return item;
}

std::string EditProof(const Records& r, const std::string& item, std::mt19937& rng) {
  auto flip = [&](std::string& hex) {
    const size_t at = rng() % hex.size();
    hex[at] = hex[at] == 'f' ? '0' : (hex[at] == '9' ? 'a' : static_cast<char>(hex[at] + 1));
  };
  if (r.format == AuditExportFormat::kCsv) {
    std::vector<std::string> fields = CsvFields(item);
    std::vector<std::string> proof = absl::StrSplit(fields[18], ' ');
    flip(proof[rng() % proof.size()]);
    fields[18] = absl::StrJoin(proof, " ");
    return CsvRow(fields);
  }
  const bool comma = item[0] == ',';
  OrderedJson j = OrderedJson::parse(comma ? item.substr(1) : item);
  if (r.format == AuditExportFormat::kNdjson) {
    OrderedJson& proof = j["proof"];
    OrderedJson& target = proof[rng() % proof.size()];
    std::string hex = target.get<std::string>();
    flip(hex);
    target = hex;
  } else {
    std::vector<OrderedJson*> paths;
    for (auto& ext : j["resource"]["extension"]) {
      if (ext["url"] != "urn:confide:audit:inclusion-proof") continue;
      for (auto& part : ext["extension"]) {
        if (part["url"] == "path") paths.push_back(&part["valueString"]);
      }
    }
    OrderedJson& target = *paths[rng() % paths.size()];
    std::string hex = target.get<std::string>();
    flip(hex);
    target = hex;
  }
  return (comma ? "," : "") + j.dump();
}

std::string EditHeader(const Records& r, const std::string& item, std::mt19937& rng) {
  switch (r.format) {
    case AuditExportFormat::kNdjson:
      return EditJsonItem(item, rng, "checkpoint");
    case AuditExportFormat::kCsv: {
      std::vector<std::string> fields = CsvFields(item);
      if (rng() % 4 == 0) {
        OrderedJson v = fields[1];
        MutatePrimitive(v, rng);
        fields[1] = v.get<std::string>();
      } else {
        fields.back() = EditJsonItem(fields.back(), rng, nullptr);
      }
      return CsvRow(fields);
    }
    case AuditExportFormat::kFhirR4: {
      OrderedJson j = OrderedJson::parse(item.substr(1));
      if (rng() % 4 == 0) {
        std::vector<OrderedJson*> values;
        CollectPrimitives(j, values);
        MutatePrimitive(*values[rng() % values.size()], rng);
      } else {
        std::string data;
        absl::Base64Unescape(j["resource"]["data"].get<std::string>(), &data);
        j["resource"]["data"] = absl::Base64Escape(EditJsonItem(data, rng, nullptr));
      }
      return "," + j.dump();
    }
  }
  return item;
}

// Applies `m`; returns the mutated text (equal to the original when the mutation was a no-op).
std::string Apply(Mutation m, AuditExportFormat format, const std::string& text,
                  std::mt19937& rng) {
  Records r = Split(format, text);
  const std::vector<size_t> events = Indexes(r, IsEvent);
  const std::vector<size_t> headers = Indexes(r, IsHeader);
  const size_t first_body = format == AuditExportFormat::kNdjson ? 1 : 2;
  switch (m) {
    case Mutation::kEditEventField: {
      const size_t i = events[rng() % events.size()];
      r.items[i] = EditEvent(r, r.items[i], rng);
      break;
    }
    case Mutation::kDeleteEvent:
      r.items.erase(r.items.begin() + static_cast<long>(events[rng() % events.size()]));
      break;
    case Mutation::kInsertCopiedEvent:
    case Mutation::kInsertForgedEvent: {
      std::string copy = r.items[events[rng() % events.size()]];
      if (m == Mutation::kInsertForgedEvent) copy = EditEvent(r, copy, rng);
      const size_t at = first_body + rng() % (r.items.size() - first_body);
      r.items.insert(r.items.begin() + static_cast<long>(at), copy);
      break;
    }
    case Mutation::kSwapEvents: {
      const size_t a = events[rng() % events.size()];
      const size_t b = events[rng() % events.size()];
      std::swap(r.items[a], r.items[b]);
      break;
    }
    case Mutation::kTruncate:
      return text.substr(0, rng() % (text.size() - 1));
    case Mutation::kEditHeader: {
      const size_t i = headers[rng() % headers.size()];
      r.items[i] = EditHeader(r, r.items[i], rng);
      break;
    }
    case Mutation::kDropHeader:
      r.items.erase(r.items.begin() + static_cast<long>(headers[rng() % headers.size()]));
      break;
    case Mutation::kEditProofHash: {
      std::vector<size_t> with_proof;
      for (size_t i : events) {
        if (r.format == AuditExportFormat::kCsv
                ? !CsvFields(r.items[i])[18].empty()
                : r.items[i].find("\"path\"") != std::string::npos ||
                      r.items[i].find("\"proof\":[\"") != std::string::npos) {
          with_proof.push_back(i);
        }
      }
      const size_t i = with_proof[rng() % with_proof.size()];
      r.items[i] = EditProof(r, r.items[i], rng);
      break;
    }
  }
  return r.Join();
}

TEST(AuditTamperTest, EveryRandomSingleMutationIsDetected) {
  OpenSslSha256Hasher hasher;
  OpenSslCheckpointSigner signer;
  const TestTrail trail = BuildTrail(hasher, signer, 7);
  std::mt19937 rng(20261126);
  constexpr int kPerFormatAndMutation = 45;  // 3 formats x 9 mutations x 45 = 1,215 cases
  int cases = 0;
  std::map<std::string, int> by_kind;
  for (AuditExportFormat format :
       {AuditExportFormat::kNdjson, AuditExportFormat::kCsv, AuditExportFormat::kFhirR4}) {
    // A full export and a scoped one (batches 2..5, then chain headers 6..7).
    const std::string exports[] = {ExportTrail(hasher, trail, format, 1, 7),
                                   ExportTrail(hasher, trail, format, 2, 5)};
    for (const std::string& text : exports) {
      const AuditVerifyReport clean = Verify(text, hasher, signer);
      ASSERT_TRUE(clean.ok()) << FormatVerifyReport(clean);
      ASSERT_EQ(Split(format, text).Join(), text);
    }
    for (size_t m = 0; m < std::size(kMutations); ++m) {
      for (int n = 0; n < kPerFormatAndMutation; ++n) {
        const std::string& text = exports[n % 2];
        std::string mutated;
        for (int attempt = 0; attempt < 20 && (mutated.empty() || mutated == text); ++attempt) {
          mutated = Apply(kMutations[m], format, text, rng);
        }
        if (mutated == text) continue;  // e.g. a swap of an event with itself
        ++cases;
        const AuditVerifyReport report = Verify(mutated, hasher, signer);
        EXPECT_FALSE(report.ok()) << AuditExportFormatName(format) << " / " << kMutationNames[m]
                                  << " not detected:\n"
                                  << mutated;
        if (!report.findings.empty()) {
          ++by_kind[std::string(AuditFindingKindName(report.findings[0].kind))];
        }
      }
    }
  }
  EXPECT_GE(cases, 1000);
  std::string summary;
  for (const auto& [kind, count] : by_kind) summary += kind + "=" + std::to_string(count) + " ";
  std::printf("tamper cases: %d, first finding kinds: %s\n", cases, summary.c_str());
}

}  // namespace
}  // namespace confide
