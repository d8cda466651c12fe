#include "services/audit/audit_export.h"

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/audit/audit_export_records.h"
#include "services/audit/audit_verifier.h"
#include "tests/unit/services/audit/audit_test_trail.h"

namespace confide {
namespace {

using testing_audit::BuildTrail;
using testing_audit::ExportTrail;
using testing_audit::TestTrail;
using testing_audit::Verify;

constexpr AuditExportFormat kFormats[] = {AuditExportFormat::kNdjson, AuditExportFormat::kCsv,
                                          AuditExportFormat::kFhirR4};

class AuditExportTest : public ::testing::Test {
 protected:
  OpenSslSha256Hasher hasher_;
  OpenSslCheckpointSigner signer_;
  TestTrail trail_ = BuildTrail(hasher_, signer_, 6);
};

std::string Describe(const AuditVerifyReport& report) { return FormatVerifyReport(report); }

TEST_F(AuditExportTest, UntouchedExportsVerifyInEveryFormatAndScope) {
  int64_t total_events = 0;
  for (const auto& events : trail_.events) total_events += static_cast<int64_t>(events.size());
  for (AuditExportFormat format : kFormats) {
    SCOPED_TRACE(std::string(AuditExportFormatName(format)));
    const AuditVerifyReport full =
        Verify(ExportTrail(hasher_, trail_, format, 1, 6), hasher_, signer_);
    EXPECT_TRUE(full.ok()) << Describe(full);
    EXPECT_EQ(full.events_verified, total_events);
    EXPECT_EQ(full.batches_with_events, 6);
    EXPECT_EQ(full.headers_verified, 6);
    EXPECT_TRUE(full.used_embedded_keys);
    EXPECT_EQ(full.source, AuditExportFormatName(format));

    const AuditVerifyReport scoped =
        Verify(ExportTrail(hasher_, trail_, format, 2, 4), hasher_, signer_);
    EXPECT_TRUE(scoped.ok()) << Describe(scoped);
    EXPECT_EQ(scoped.batches_with_events, 3);
    EXPECT_EQ(scoped.headers_verified, 5);

    const AuditVerifyReport empty =
        Verify(ExportTrail(hasher_, trail_, format, 0, 0), hasher_, signer_);
    EXPECT_TRUE(empty.ok()) << Describe(empty);
    EXPECT_EQ(empty.events_verified, 0);
    EXPECT_EQ(empty.headers_verified, 1);
  }
}

TEST_F(AuditExportTest, SavedCheckpointMustBeInTheChainWithTheSameHash) {
  for (AuditExportFormat format : kFormats) {
    const std::string text = ExportTrail(hasher_, trail_, format, 1, 6);
    AuditVerifyOptions options;
    options.saved_checkpoint = trail_.headers[2];
    AuditVerifyReport report = Verify(text, hasher_, signer_, options);
    EXPECT_TRUE(report.ok()) << Describe(report);
    EXPECT_TRUE(report.saved_checkpoint_checked);

    options.saved_checkpoint->header_hash[0] =
        options.saved_checkpoint->header_hash[0] == 'a' ? 'b' : 'a';
    report = Verify(text, hasher_, signer_, options);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.findings[0].kind, AuditFindingKind::kCheckpointMismatch);

    // A checkpoint newer than the export: the trail lost batches (or the export is stale).
    AuditBatchHeader newer = trail_.headers.back();
    newer.batch_no += 3;
    options.saved_checkpoint = newer;
    report = Verify(text, hasher_, signer_, options);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.findings[0].kind, AuditFindingKind::kCheckpointMismatch);
  }
}

// The preamble's checkpoint is what the report shows as "the checkpoint": any field of it that
// differs from the last (signed) header is an edit, not just its batch number and hash.
TEST_F(AuditExportTest, APreambleCheckpointDifferingFromTheLastHeaderInAnyFieldIsFound) {
  AuditExportPreamble preamble;
  preamble.clinic_id = trail_.clinic_id;
  preamble.first_batch_no = 2;
  preamble.last_batch_no = 4;
  preamble.checkpoint = trail_.headers.back();
  preamble.keys = trail_.keys;
  preamble.export_time = absl::FromUnixMicros(1800000000123456);
  preamble.start_time = absl::FromUnixSeconds(1790000000);
  const std::vector<void (*)(AuditBatchHeader&)> edits = {
      [](AuditBatchHeader& h) { h.tree_size += 1; },
      [](AuditBatchHeader& h) { h.leaf_count += 1; },
      [](AuditBatchHeader& h) { h.seq_through += 1; },
      [](AuditBatchHeader& h) { h.seal_time += absl::Seconds(1); },
      [](AuditBatchHeader& h) { h.root_hash = std::string(64, 'e'); },
      [](AuditBatchHeader& h) { h.signature = absl::Base64Escape(std::string(64, 'x')); }};
  for (AuditExportFormat format : kFormats) {
    const std::string text = ExportTrail(hasher_, trail_, format, 2, 4);
    const std::string original = ExportPreamble(format, preamble);
    ASSERT_EQ(text.rfind(original, 0), 0u);
    for (size_t k = 0; k < edits.size(); ++k) {
      SCOPED_TRACE(absl::StrCat(std::string(AuditExportFormatName(format)), " edit ", k));
      AuditExportPreamble edited = preamble;
      edits[k](edited.checkpoint);
      const AuditVerifyReport report =
          Verify(ExportPreamble(format, edited) + text.substr(original.size()), hasher_, signer_);
      ASSERT_FALSE(report.ok());
      EXPECT_EQ(report.findings[0].kind, AuditFindingKind::kEdited) << Describe(report);
      EXPECT_NE(report.findings[0].message.find("the preamble's checkpoint differs"),
                std::string::npos)
          << Describe(report);
    }
  }
}

TEST_F(AuditExportTest, PinnedKeysReplaceTheEmbeddedOnes) {
  const std::string text = ExportTrail(hasher_, trail_, AuditExportFormat::kNdjson, 1, 6);
  AuditVerifyOptions options;
  options.pinned_keys = trail_.keys;
  AuditVerifyReport report = Verify(text, hasher_, signer_, options);
  EXPECT_TRUE(report.ok()) << Describe(report);
  EXPECT_FALSE(report.used_embedded_keys);

  // An attacker's export re-signed with its own key verifies only with the embedded keys.
  TestTrail forged = BuildTrail(hasher_, signer_, 6);
  forged.clinic_id = trail_.clinic_id;
  const std::string forged_text = ExportTrail(hasher_, forged, AuditExportFormat::kNdjson, 1, 6);
  report = Verify(forged_text, hasher_, signer_, options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.findings[0].kind, AuditFindingKind::kUnknownKey);
}

TEST_F(AuditExportTest, FindingsSayWhatAndWhereInPlainWords) {
  std::string text = ExportTrail(hasher_, trail_, AuditExportFormat::kNdjson, 1, 6);
  // Line 4 is the second event of batch 1: change its actor.
  std::istringstream lines(text);
  std::vector<std::string> all;
  for (std::string line; std::getline(lines, line);) all.push_back(line);
  const std::string actor = trail_.events[0][1].actor_user_id;
  ASSERT_FALSE(actor.empty());
  all[3].replace(all[3].find(actor), actor.size(), std::string(actor.size(), '9'));
  std::string edited;
  for (const std::string& line : all) edited += line + "\n";
  const AuditVerifyReport report = Verify(edited, hasher_, signer_);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.findings[0].kind, AuditFindingKind::kEdited);
  EXPECT_EQ(report.findings[0].line, 4);
  EXPECT_EQ(report.findings[0].batch_no, 1);
  EXPECT_EQ(report.findings[0].seq, trail_.events[0][1].seq);
  const std::string described = DescribeFinding(report.findings[0]);
  EXPECT_NE(described.find("line 4"), std::string::npos) << described;
  EXPECT_NE(described.find("inclusion proof"), std::string::npos) << described;
  EXPECT_NE(FormatVerifyReport(report).find("FAILED"), std::string::npos);
}

TEST_F(AuditExportTest, FhirRecoversEveryLeafField) {
  for (const auto& events : trail_.events) {
    for (const AuditEvent& event : events) {
      audit_export::EventRecord record{
          .batch_no = 3, .leaf_index = 2, .event = event, .proof = {std::string(64, 'a')}};
      const audit_export::EventRecord back =
          audit_export::EventFromFhir(audit_export::FhirAuditEvent(record));
      EXPECT_EQ(back.batch_no, 3);
      EXPECT_EQ(back.leaf_index, 2);
      EXPECT_EQ(back.proof, record.proof);
      EXPECT_EQ(audit_export::NdjsonEventLine(back), audit_export::NdjsonEventLine(record));
    }
  }
}

// The Bundle validates against the R4 AuditEvent structure: every required element is there
// and every code comes from the system it belongs to.
TEST_F(AuditExportTest, FhirBundleHasTheR4AuditEventStructure) {
  const std::string text = ExportTrail(hasher_, trail_, AuditExportFormat::kFhirR4, 1, 6);
  const nlohmann::json bundle = nlohmann::json::parse(text);
  EXPECT_EQ(bundle["resourceType"], "Bundle");
  EXPECT_EQ(bundle["type"], "collection");
  EXPECT_TRUE(bundle["timestamp"].is_string());
  const std::set<std::string> actions = {"C", "R", "U", "D", "E"};
  const std::set<std::string> outcomes = {"0", "4", "8", "12"};
  int audit_events = 0;
  int binaries = 0;
  for (const nlohmann::json& entry : bundle["entry"]) {
    ASSERT_TRUE(entry["fullUrl"].is_string());
    const nlohmann::json& r = entry["resource"];
    if (r["resourceType"] == "Binary") {
      ++binaries;
      EXPECT_TRUE(r["contentType"].is_string());
      EXPECT_TRUE(r["data"].is_string());
      continue;
    }
    ASSERT_EQ(r["resourceType"], "AuditEvent");
    ++audit_events;
    // type 1..1 (Coding), from DICOM or the HL7 audit-event-type system.
    ASSERT_TRUE(r.contains("type"));
    const std::string type_system = r["type"]["system"];
    EXPECT_TRUE(type_system == "http://dicom.nema.org/resources/ontology/DCM" ||
                type_system == "http://terminology.hl7.org/CodeSystem/audit-event-type");
    if (type_system == "http://dicom.nema.org/resources/ontology/DCM") {
      EXPECT_EQ(r["type"]["code"], "110110");
    } else {
      EXPECT_EQ(r["type"]["code"], "rest");
    }
    for (const nlohmann::json& subtype : r["subtype"]) {
      EXPECT_EQ(subtype["system"], "urn:confide:rpc");
      EXPECT_TRUE(subtype["code"].is_string());
    }
    EXPECT_TRUE(actions.count(r["action"].get<std::string>()));
    // recorded 1..1, an instant.
    ASSERT_TRUE(r["recorded"].is_string());
    EXPECT_TRUE(ParseAuditTimeText(r["recorded"].get<std::string>()).has_value());
    EXPECT_TRUE(outcomes.count(r["outcome"].get<std::string>()));
    // agent 1..*, each with requestor 1..1.
    ASSERT_TRUE(r["agent"].is_array());
    ASSERT_FALSE(r["agent"].empty());
    for (const nlohmann::json& agent : r["agent"]) {
      ASSERT_TRUE(agent["requestor"].is_boolean());
      EXPECT_EQ(agent["type"]["coding"][0]["system"],
                "http://terminology.hl7.org/CodeSystem/extra-security-role-type");
      if (agent.contains("network")) {
        EXPECT_EQ(agent["network"]["type"], "2");
        EXPECT_TRUE(agent["network"]["address"].is_string());
      }
      if (agent.contains("who")) {
        EXPECT_TRUE(agent["who"]["identifier"]["value"].is_string());
      }
    }
    // source 1..1 with observer 1..1.
    ASSERT_TRUE(r["source"]["observer"].is_object());
    EXPECT_EQ(r["source"]["type"][0]["system"],
              "http://terminology.hl7.org/CodeSystem/security-source-type");
    for (const nlohmann::json& entity : r.value("entity", nlohmann::json::array())) {
      EXPECT_EQ(entity["type"]["system"],
                "http://terminology.hl7.org/CodeSystem/audit-entity-type");
      if (entity.contains("role")) {
        EXPECT_EQ(entity["role"]["system"], "http://terminology.hl7.org/CodeSystem/object-role");
        EXPECT_TRUE(entity["what"]["reference"].get<std::string>().rfind("Patient/", 0) == 0);
      }
    }
    for (const nlohmann::json& purpose : r.value("purposeOfEvent", nlohmann::json::array())) {
      EXPECT_EQ(purpose["coding"][0]["system"],
                "http://terminology.hl7.org/CodeSystem/v3-ActReason");
      EXPECT_EQ(purpose["coding"][0]["code"], "BTG");
    }
    // Every extension has an absolute url and exactly one value or nested extensions.
    for (const nlohmann::json& ext : r["extension"]) {
      EXPECT_EQ(ext["url"].get<std::string>().rfind("urn:confide:audit:", 0), 0u);
      EXPECT_EQ(ext.size(), 2u);
    }
    // FHIR strings are never empty.
    std::vector<const nlohmann::json*> stack = {&r};
    while (!stack.empty()) {
      const nlohmann::json* at = stack.back();
      stack.pop_back();
      if (at->is_string()) {
        EXPECT_FALSE(at->get<std::string>().empty());
      }
      if (at->is_structured()) {
        for (const nlohmann::json& child : *at) stack.push_back(&child);
      }
    }
  }
  EXPECT_EQ(audit_events, 3 + 8 + 5 + 2 + 13 + 4);
  EXPECT_EQ(binaries, 1 + 6 + 1);
}

TEST_F(AuditExportTest, CheckpointJsonRoundTripsAndReadsTheRestForm) {
  const AuditBatchHeader& h = trail_.headers[1];
  absl::StatusOr<AuditBatchHeader> back = ParseCheckpointJson(CheckpointJson(h));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(CheckpointBytes(*back), CheckpointBytes(h));
  EXPECT_EQ(back->header_hash, h.header_hash);
  EXPECT_EQ(back->signature, h.signature);
  // snake_case (preserve_proto_field_names) is read too.
  absl::StatusOr<AuditBatchHeader> snake = ParseCheckpointJson(
      R"({"clinic_id":"c","batch_number":"7","sequence_through":12,"header_hash":"ab"})");
  ASSERT_TRUE(snake.ok());
  EXPECT_EQ(snake->batch_no, 7);
  EXPECT_EQ(snake->seq_through, 12);
  EXPECT_FALSE(ParseCheckpointJson("not json").ok());
  absl::StatusOr<std::vector<AuditSigningKeyRecord>> keys = ParseAuditKeysJson(
      R"({"keys":[{"keyId":"k1","algorithm":"Ed25519","publicKey":"AAAA","createTime":"2026-01-01T00:00:00Z"}]})");
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].key_id, "k1");
}

TEST_F(AuditExportTest, TimesAreFixedWidthMicroseconds) {
  EXPECT_EQ(AuditTimeText(absl::FromUnixMicros(1790000000000001)), "2026-09-21T14:13:20.000001Z");
  EXPECT_EQ(ParseAuditTimeText("2026-09-21T14:13:20.000001Z"),
            absl::FromUnixMicros(1790000000000001));
  EXPECT_FALSE(ParseAuditTimeText("yesterday").has_value());
}

TEST_F(AuditExportTest, NotAnExportIsMalformed) {
  for (const std::string& text : {std::string(), std::string("hello\n"), std::string("{}\n")}) {
    const AuditVerifyReport report = Verify(text, hasher_, signer_);
    EXPECT_FALSE(report.ok());
  }
}

}  // namespace
}  // namespace confide
