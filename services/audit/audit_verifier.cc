#include "services/audit/audit_verifier.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "services/audit/audit_export.h"
#include "services/audit/audit_export_records.h"
#include "services/audit/audit_leaf.h"
#include "services/audit/batch_builder.h"
#include "services/audit/merkle.h"
#include "services/audit/ports/audit_trail_repository.h"

namespace confide {
namespace {

using audit_export::EventRecord;
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Collects findings, keeping the first max_findings.
class Findings {
 public:
  Findings(AuditVerifyReport& report, int max_findings, std::string unit)
      : report_(report), max_(max_findings), unit_(std::move(unit)) {}

  void Add(AuditFindingKind kind, int64_t line, std::string_view clinic_id, int64_t batch_no,
           int64_t seq, std::string message) {
    ++report_.finding_count;
    if (static_cast<int>(report_.findings.size()) >= max_) {
      return;
    }
    report_.findings.push_back(AuditFinding{.kind = kind,
                                            .line = line,
                                            .unit = unit_,
                                            .clinic_id = std::string(clinic_id),
                                            .batch_no = batch_no,
                                            .seq = seq,
                                            .message = std::move(message)});
  }

 private:
  AuditVerifyReport& report_;
  int max_;
  std::string unit_;
};

// RFC 6962 MTH built leaf by leaf in O(log n) memory (a compact range): the same root as
// merkle::RootFromLeafHashes without holding the batch.
class StreamingRoot {
 public:
  explicit StreamingRoot(const Sha256Hasher& hasher) : hasher_(hasher) {}
  void Add(std::string leaf_hash) {
    stack_.emplace_back(1, std::move(leaf_hash));
    while (stack_.size() >= 2 &&
           stack_[stack_.size() - 1].first == stack_[stack_.size() - 2].first) {
      auto right = std::move(stack_.back());
      stack_.pop_back();
      auto& left = stack_.back();
      left.second = merkle::NodeHash(hasher_, left.second, right.second);
      left.first *= 2;
    }
  }
  std::string Root() const {
    if (stack_.empty()) {
      return hasher_.Hash("");
    }
    std::string acc = stack_.back().second;
    for (size_t i = stack_.size() - 1; i-- > 0;) {
      acc = merkle::NodeHash(hasher_, stack_[i].second, acc);
    }
    return acc;
  }
  void Reset() { stack_.clear(); }

 private:
  const Sha256Hasher& hasher_;
  std::vector<std::pair<uint64_t, std::string>> stack_;
};

bool HexToRaw(std::string_view hex, std::string& out) {
  if (hex.size() % 2 != 0) {
    return false;
  }
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  out = absl::HexStringToBytes(Av(hex));
  return true;
}

// Checks headers one after another: hash, key, signature, and the link to the previous one.
class HeaderChecker {
 public:
  HeaderChecker(const Sha256Hasher& hasher, const CheckpointSigner& signer, Findings& findings)
      : hasher_(hasher), signer_(signer), findings_(findings) {}

  // Adds a key (base64 public key); a key whose id is not the hash of its bytes is refused.
  void AddKey(const AuditSigningKeyRecord& key, int64_t line) {
    std::string raw;
    if (!absl::Base64Unescape(key.public_key, &raw) || raw.size() != 32 ||
        AuditKeyId(hasher_, raw) != key.key_id) {
      findings_.Add(AuditFindingKind::kUnknownKey, line, key.clinic_id, 0, 0,
                    absl::StrCat("key ", key.key_id, " does not match its key id"));
      return;
    }
    keys_[key.key_id] = raw;
  }

  // `expected_first`: the batch the chain must start at when there is no previous header (0 =
  // any).
  void Check(const AuditBatchHeader& h, int64_t line, int64_t expected_first) {
    const std::string& clinic = h.clinic_id;
    if (HeaderHash(hasher_, h) != h.header_hash) {
      findings_.Add(AuditFindingKind::kEdited, line, clinic, h.batch_no, 0,
                    "the header's fields do not match its header hash");
    }
    auto key = keys_.find(h.key_id);
    std::string signature;
    if (key == keys_.end()) {
      findings_.Add(AuditFindingKind::kUnknownKey, line, clinic, h.batch_no, 0,
                    absl::StrCat("the header is signed with key ", h.key_id,
                                 ", which is not among the verification keys"));
    } else if (!absl::Base64Unescape(h.signature, &signature) ||
               !signer_.Verify(key->second, CheckpointBytes(h), signature)) {
      findings_.Add(AuditFindingKind::kBadSignature, line, clinic, h.batch_no, 0,
                    "the header's signature does not verify with its key");
    }
    if (prev_.has_value()) {
      const AuditBatchHeader& p = *prev_;
      if (h.batch_no <= p.batch_no) {
        findings_.Add(
            AuditFindingKind::kReordered, line, clinic, h.batch_no, 0,
            absl::StrCat("header of batch ", h.batch_no, " comes after batch ", p.batch_no));
      } else if (h.batch_no != p.batch_no + 1) {
        findings_.Add(AuditFindingKind::kBrokenChain, line, clinic, h.batch_no, 0,
                      absl::StrCat("headers of batches ", p.batch_no + 1, " to ", h.batch_no - 1,
                                   " are missing"));
      } else {
        if (h.prev_hash != p.header_hash) {
          findings_.Add(AuditFindingKind::kBrokenChain, line, clinic, h.batch_no, 0,
                        "the header does not link to the previous header's hash");
        }
        if (h.seq_after != p.seq_through || h.tree_size != p.tree_size + h.leaf_count) {
          findings_.Add(AuditFindingKind::kBrokenChain, line, clinic, h.batch_no, 0,
                        "the header's sequence range or tree size does not follow the previous "
                        "header");
        }
      }
    } else {
      if (expected_first > 0 && h.batch_no != expected_first) {
        findings_.Add(AuditFindingKind::kBrokenChain, line, clinic, h.batch_no, 0,
                      absl::StrCat("the chain starts at batch ", h.batch_no, ", expected batch ",
                                   expected_first));
      }
      if (h.batch_no == 1 &&
          (h.prev_hash != GenesisHash() || h.seq_after != 0 || h.tree_size != h.leaf_count)) {
        findings_.Add(AuditFindingKind::kBrokenChain, line, clinic, h.batch_no, 0,
                      "the first batch does not start the chain");
      }
    }
    if (h.leaf_count < 0 || h.seq_through <= h.seq_after) {
      findings_.Add(AuditFindingKind::kEdited, line, clinic, h.batch_no, 0,
                    "the header's counts are impossible");
    }
    prev_ = h;
    ++checked_;
  }

  const std::optional<AuditBatchHeader>& previous() const { return prev_; }
  int64_t checked() const { return checked_; }
  void Restart() { prev_.reset(); }

 private:
  const Sha256Hasher& hasher_;
  const CheckpointSigner& signer_;
  Findings& findings_;
  std::map<std::string, std::string> keys_;
  std::optional<AuditBatchHeader> prev_;
  int64_t checked_ = 0;
};

// The format-independent checks of an export, fed one record at a time.
class ExportChecker {
 public:
  ExportChecker(const Sha256Hasher& hasher, const CheckpointSigner& signer,
                const AuditVerifyOptions& options, AuditVerifyReport& report, Findings& findings)
      : hasher_(hasher),
        options_(options),
        report_(report),
        findings_(findings),
        headers_(hasher, signer, findings),
        root_(hasher) {}

  void Malformed(int64_t line, std::string message) {
    findings_.Add(AuditFindingKind::kMalformed, line, clinic_, current_batch(), 0,
                  std::move(message));
  }
  void Edited(int64_t line, int64_t seq, std::string message) {
    findings_.Add(AuditFindingKind::kEdited, line, clinic_, current_batch(), seq,
                  std::move(message));
  }

  bool AcceptRecord(int64_t line) {
    if (ended_) {
      findings_.Add(AuditFindingKind::kInserted, line, clinic_, 0, 0,
                    "content after the closing record");
      return false;
    }
    if (!preamble_.has_value()) {
      Malformed(line, "a record before the preamble");
      return false;
    }
    return true;
  }

  void Preamble(int64_t line, const AuditExportPreamble& preamble, std::string_view format,
                int64_t version) {
    if (preamble_.has_value() || ended_) {
      findings_.Add(AuditFindingKind::kInserted, line, clinic_, 0, 0, "a second preamble");
      return;
    }
    if (format != audit_export::kFormatName || version != audit_export::kFormatVersion) {
      Malformed(line, "not a Confide audit export of a version this verifier knows");
    }
    preamble_ = preamble;
    clinic_ = preamble.clinic_id;
    report_.clinic_id = clinic_;
    report_.checkpoint = preamble.checkpoint;
    if (options_.pinned_keys.has_value()) {
      for (const AuditSigningKeyRecord& key : *options_.pinned_keys) {
        headers_.AddKey(key, 0);
      }
    } else {
      report_.used_embedded_keys = true;
      for (AuditSigningKeyRecord key : preamble.keys) {
        key.clinic_id = clinic_;
        headers_.AddKey(key, line);
      }
    }
    const int64_t first = preamble.first_batch_no;
    const int64_t last = preamble.last_batch_no;
    if ((first == 0) != (last == 0) || first > last || last > preamble.checkpoint.batch_no) {
      Edited(line, 0, "the preamble's scope is impossible");
    }
  }

  void Header(int64_t line, const AuditBatchHeader& h, bool with_events) {
    CloseBatch();
    if (!AcceptRecord(line)) {
      return;
    }
    if (h.clinic_id != clinic_) {
      findings_.Add(AuditFindingKind::kEdited, line, h.clinic_id, h.batch_no, 0,
                    "a header of another clinic");
    }
    const bool in_scope = preamble_->first_batch_no > 0 &&
                          h.batch_no >= preamble_->first_batch_no &&
                          h.batch_no <= preamble_->last_batch_no;
    if (with_events != in_scope) {
      findings_.Add(AuditFindingKind::kEdited, line, clinic_, h.batch_no, 0,
                    with_events ? "a batch with events outside the export's scope"
                                : "a batch of the export's scope without its events");
    }
    const int64_t expected_first =
        preamble_->first_batch_no > 0 ? preamble_->first_batch_no : preamble_->checkpoint.batch_no;
    headers_.Check(h, line, expected_first);
    if (options_.saved_checkpoint.has_value() &&
        options_.saved_checkpoint->clinic_id == h.clinic_id &&
        options_.saved_checkpoint->batch_no == h.batch_no) {
      report_.saved_checkpoint_checked = true;
      if (options_.saved_checkpoint->header_hash != h.header_hash) {
        findings_.Add(AuditFindingKind::kCheckpointMismatch, line, clinic_, h.batch_no, 0,
                      "the saved checkpoint's batch has a different header hash here: the trail "
                      "was rewritten since the checkpoint was saved");
      }
    }
    if (with_events) {
      ++batches_;
      active_ = true;
      batch_ = h;
      HexToRaw(h.root_hash, batch_root_);
      count_ = 0;
      next_index_ = 0;
      last_seq_ = h.seq_after;
      root_.Reset();
      pending_.clear();
      in_order_ = true;
    } else {
      ++chain_headers_;
    }
  }

  void Event(int64_t line, const EventRecord& r) {
    if (!AcceptRecord(line)) {
      return;
    }
    const int64_t seq = r.event.seq;
    if (!active_) {
      findings_.Add(AuditFindingKind::kInserted, line, clinic_, r.batch_no, seq,
                    "an event outside every batch of the export");
      return;
    }
    ++events_;
    ++count_;
    ++report_.events_verified;
    if (r.batch_no != batch_.batch_no) {
      Edited(line, seq,
             absl::StrCat("the event names batch ", r.batch_no, " but follows batch ",
                          batch_.batch_no, "'s header"));
    }
    if (r.event.clinic_id != clinic_) {
      Edited(line, seq, "an event of another clinic");
    }
    // The inclusion proof is checked when the batch closes: against the tree rebuilt once from
    // the batch's leaves when that tree has the signed root (one comparison per event), or
    // hash by hash (RFC 9162 2.1.3.2) when it does not, to say which events fail.
    PendingEvent pending{.line = line, .seq = seq, .leaf_index = r.leaf_index};
    pending.leaf = merkle::LeafHash(hasher_, AuditLeafBytes(r.event));
    pending.proof.reserve(r.proof.size());
    for (const std::string& hex : r.proof) {
      std::string raw;
      if (!HexToRaw(hex, raw) || raw.size() != 32) {
        pending.proof_ok = false;
      }
      pending.proof.push_back(std::move(raw));
    }
    if (r.leaf_index != count_ - 1) {
      in_order_ = false;
    }
    if (r.leaf_index != next_index_) {
      if (r.leaf_index < next_index_) {
        findings_.Add(seq == last_seq_ ? AuditFindingKind::kInserted : AuditFindingKind::kReordered,
                      line, clinic_, batch_.batch_no, seq,
                      seq == last_seq_ ? "the event appears twice"
                                       : absl::StrCat("leaf ", r.leaf_index, " comes after leaf ",
                                                      next_index_ - 1));
      } else {
        findings_.Add(AuditFindingKind::kMissing, line, clinic_, batch_.batch_no, seq,
                      absl::StrCat("events at leaf index ", next_index_, " to ", r.leaf_index - 1,
                                   " are missing"));
      }
    }
    next_index_ = r.leaf_index + 1;
    if (seq <= batch_.seq_after || seq > batch_.seq_through) {
      Edited(line, seq, "the event's seq is outside its batch's range");
    } else if (seq <= last_seq_ && r.leaf_index >= 0) {
      if (seq != last_seq_) {
        findings_.Add(AuditFindingKind::kReordered, line, clinic_, batch_.batch_no, seq,
                      "events are out of sequence order");
      }
    }
    last_seq_ = std::max(last_seq_, seq);
    root_.Add(pending.leaf);
    if (count_ <= batch_.leaf_count) {
      pending_.push_back(std::move(pending));
    } else if (!pending.proof_ok || pending.leaf_index < 0 ||
               !merkle::VerifyInclusion(
                   hasher_, pending.leaf, static_cast<uint64_t>(pending.leaf_index),
                   static_cast<uint64_t>(std::max<int64_t>(batch_.leaf_count, 0)), pending.proof,
                   batch_root_)) {
      // More events than the header signs: never buffered (bounded memory), checked now.
      Edited(line, seq,
             "the event does not match its inclusion proof (a field, the proof or the leaf "
             "index was changed)");
    }
  }

  void End(int64_t line, const AuditExportSummary& summary) {
    CloseBatch();
    if (!AcceptRecord(line)) {
      return;
    }
    ended_ = true;
    const std::optional<AuditBatchHeader>& last = headers_.previous();
    const AuditBatchHeader& checkpoint = preamble_->checkpoint;
    if (!last.has_value() || last->batch_no < checkpoint.batch_no) {
      findings_.Add(
          AuditFindingKind::kTruncated, line, clinic_, last.has_value() ? last->batch_no : 0, 0,
          absl::StrCat("the headers stop before the checkpoint (batch ", checkpoint.batch_no, ")"));
    } else if (last->batch_no != checkpoint.batch_no ||
               last->header_hash != checkpoint.header_hash ||
               CheckpointJson(*last) != CheckpointJson(checkpoint)) {
      // Every field, not just the hash: the report shows the preamble's checkpoint.
      findings_.Add(AuditFindingKind::kEdited, line, clinic_, last->batch_no, 0,
                    "the preamble's checkpoint differs from the last header");
    }
    if (preamble_->first_batch_no > 0 &&
        batches_ != preamble_->last_batch_no - preamble_->first_batch_no + 1) {
      findings_.Add(AuditFindingKind::kMissing, line, clinic_, 0, 0,
                    absl::StrCat("the export carries ", batches_,
                                 " batches with events; its scope "
                                 "has ",
                                 preamble_->last_batch_no - preamble_->first_batch_no + 1));
    }
    if (summary.batches != batches_ || summary.events != events_ ||
        summary.chain_headers != chain_headers_) {
      Edited(
          line, 0,
          absl::StrCat("the closing record counts ", summary.events, " events, ", summary.batches,
                       " batches and ", summary.chain_headers, " chain headers; the export has ",
                       events_, ", ", batches_, " and ", chain_headers_));
    }
  }

  void Finish(int64_t last_line) {
    CloseBatch();
    if (!preamble_.has_value()) {
      Malformed(last_line, "no preamble: this is not a Confide audit export");
    } else if (!ended_) {
      findings_.Add(AuditFindingKind::kTruncated, last_line, clinic_, 0, 0,
                    "the export ends before its closing record (it was cut off)");
    }
    report_.headers_verified = headers_.checked();
    report_.batches_with_events = batches_;
    if (options_.saved_checkpoint.has_value() && !report_.saved_checkpoint_checked) {
      const AuditBatchHeader& saved = *options_.saved_checkpoint;
      std::string why;
      if (saved.clinic_id != clinic_) {
        why = "the saved checkpoint is for another clinic";
      } else if (preamble_.has_value() && saved.batch_no > preamble_->checkpoint.batch_no) {
        why = absl::StrCat("the saved checkpoint (batch ", saved.batch_no,
                           ") is newer than the export's (batch ", preamble_->checkpoint.batch_no,
                           "): the trail lost batches, or the export predates the checkpoint");
      } else {
        why =
            absl::StrCat("the export's headers do not reach back to the saved checkpoint's batch ",
                         saved.batch_no, "; export a range that includes it");
      }
      findings_.Add(AuditFindingKind::kCheckpointMismatch, 0, clinic_, saved.batch_no, 0, why);
    }
  }

 private:
  int64_t current_batch() const { return active_ ? batch_.batch_no : 0; }

  void CloseBatch() {
    if (!active_) {
      return;
    }
    active_ = false;
    const bool tree_matches =
        count_ == batch_.leaf_count && in_order_ && root_.Root() == batch_root_;
    std::vector<std::vector<std::string>> expected;
    if (tree_matches) {
      std::vector<std::string> leaves;
      leaves.reserve(pending_.size());
      for (const PendingEvent& p : pending_) {
        leaves.push_back(p.leaf);
      }
      expected = merkle::AllInclusionProofs(hasher_, leaves);
    }
    for (size_t k = 0; k < pending_.size(); ++k) {
      const PendingEvent& p = pending_[k];
      if (tree_matches && p.proof_ok && k < expected.size() && p.proof == expected[k]) {
        continue;
      }
      if (p.proof_ok && p.leaf_index >= 0 &&
          merkle::VerifyInclusion(hasher_, p.leaf, static_cast<uint64_t>(p.leaf_index),
                                  static_cast<uint64_t>(std::max<int64_t>(batch_.leaf_count, 0)),
                                  p.proof, batch_root_)) {
        continue;
      }
      findings_.Add(AuditFindingKind::kEdited, p.line, clinic_, batch_.batch_no, p.seq,
                    "the event does not match its inclusion proof (a field, the proof or the "
                    "leaf index was changed)");
    }
    pending_.clear();
    if (count_ != batch_.leaf_count) {
      findings_.Add(
          count_ < batch_.leaf_count ? AuditFindingKind::kMissing : AuditFindingKind::kInserted, 0,
          clinic_, batch_.batch_no, 0,
          absl::StrCat("batch ", batch_.batch_no, " has ", count_,
                       " events; its signed header says ", batch_.leaf_count));
    } else if (root_.Root() != batch_root_) {
      findings_.Add(AuditFindingKind::kEdited, 0, clinic_, batch_.batch_no, 0,
                    absl::StrCat("batch ", batch_.batch_no,
                                 "'s events, in file order, do not rebuild its signed root"));
    }
  }

  const Sha256Hasher& hasher_;
  const AuditVerifyOptions& options_;
  AuditVerifyReport& report_;
  Findings& findings_;
  HeaderChecker headers_;
  StreamingRoot root_;
  struct PendingEvent {
    int64_t line = 0;
    int64_t seq = 0;
    int64_t leaf_index = 0;
    std::string leaf;
    std::vector<std::string> proof;
    bool proof_ok = true;
  };
  // The open batch's events, until it closes (one batch at most).
  std::vector<PendingEvent> pending_;
  bool in_order_ = true;
  std::optional<AuditExportPreamble> preamble_;
  std::string clinic_;
  bool ended_ = false;
  bool active_ = false;
  AuditBatchHeader batch_;
  std::string batch_root_;
  int64_t count_ = 0;
  int64_t next_index_ = 0;
  int64_t last_seq_ = 0;
  int64_t batches_ = 0;
  int64_t events_ = 0;
  int64_t chain_headers_ = 0;
};

// --- Reading JSON records ---

const Json* Member(const Json& object, const char* key) {
  if (!object.is_object()) {
    return nullptr;
  }
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool GetString(const Json& object, const char* key, std::string& out) {
  const Json* v = Member(object, key);
  if (v == nullptr || !v->is_string()) {
    return false;
  }
  out = v->get<std::string>();
  return true;
}

bool GetInt(const Json& object, const char* key, int64_t& out) {
  const Json* v = Member(object, key);
  if (v == nullptr || !v->is_number_integer()) {
    return false;
  }
  out = v->get<int64_t>();
  return true;
}

bool GetOptionalTime(const Json& object, const char* key, std::optional<absl::Time>& out) {
  const Json* v = Member(object, key);
  if (v == nullptr) {
    return false;
  }
  if (v->is_null()) {
    out.reset();
    return true;
  }
  if (!v->is_string()) {
    return false;
  }
  out = ParseAuditTimeText(v->get<std::string>());
  return out.has_value();
}

struct ParsedPreamble {
  AuditExportPreamble preamble;
  std::string format;
  int64_t version = 0;
};

bool ParsePreamble(const Json& j, ParsedPreamble& out) {
  std::string export_time;
  const Json* scope = Member(j, "scope");
  const Json* checkpoint = Member(j, "checkpoint");
  const Json* keys = Member(j, "keys");
  if (!GetString(j, "format", out.format) || !GetInt(j, "version", out.version) ||
      !GetString(j, "clinic_id", out.preamble.clinic_id) || scope == nullptr ||
      checkpoint == nullptr || keys == nullptr || !keys->is_array() ||
      !GetString(j, "export_time", export_time) ||
      !GetOptionalTime(*scope, "start_time", out.preamble.start_time) ||
      !GetOptionalTime(*scope, "end_time", out.preamble.end_time) ||
      !GetInt(*scope, "first_batch", out.preamble.first_batch_no) ||
      !GetInt(*scope, "last_batch", out.preamble.last_batch_no)) {
    return false;
  }
  std::optional<absl::Time> t = ParseAuditTimeText(export_time);
  if (!t.has_value()) {
    return false;
  }
  out.preamble.export_time = *t;
  absl::StatusOr<AuditBatchHeader> header = ParseCheckpointJson(checkpoint->dump());
  if (!header.ok()) {
    return false;
  }
  out.preamble.checkpoint = *std::move(header);
  for (const Json& key : *keys) {
    AuditSigningKeyRecord record;
    std::string create_time;
    std::optional<absl::Time> retire_time;
    if (!GetString(key, "key_id", record.key_id) ||
        !GetString(key, "public_key", record.public_key) ||
        !GetString(key, "create_time", create_time) ||
        !GetOptionalTime(key, "retire_time", retire_time)) {
      return false;
    }
    std::optional<absl::Time> created = ParseAuditTimeText(create_time);
    if (!created.has_value()) {
      return false;
    }
    record.create_time = *created;
    record.retire_time = retire_time;
    out.preamble.keys.push_back(std::move(record));
  }
  return true;
}

bool ParseSummary(const Json& j, AuditExportSummary& out) {
  return GetInt(j, "batches", out.batches) && GetInt(j, "events", out.events) &&
         GetInt(j, "chain_headers", out.chain_headers);
}

bool ParseNdjsonEvent(const Json& j, EventRecord& r) {
  AuditEvent& e = r.event;
  std::string time;
  const Json* bg = Member(j, "break_glass");
  const Json* proof = Member(j, "proof");
  if (!GetInt(j, "batch", r.batch_no) || !GetInt(j, "leaf_index", r.leaf_index) ||
      !GetInt(j, "seq", e.seq) || !GetString(j, "id", e.id) || !GetString(j, "time", time) ||
      !GetString(j, "actor_user_id", e.actor_user_id) ||
      !GetString(j, "actor_role", e.actor_role) || !GetString(j, "clinic_id", e.clinic_id) ||
      !GetString(j, "action", e.action) || !GetString(j, "resource", e.resource) ||
      !GetString(j, "client_id", e.client_id) || !GetString(j, "outcome", e.outcome) ||
      !GetString(j, "status_code", e.status_code) || !GetString(j, "request_id", e.request_id) ||
      !GetString(j, "source_address", e.source_address) || bg == nullptr || !bg->is_boolean() ||
      !GetString(j, "detail", e.detail) || proof == nullptr || !proof->is_array()) {
    return false;
  }
  std::optional<absl::Time> t = ParseAuditTimeText(time);
  if (!t.has_value()) {
    return false;
  }
  e.time = *t;
  e.break_glass = bg->get<bool>();
  for (const Json& hash : *proof) {
    if (!hash.is_string()) {
      return false;
    }
    r.proof.push_back(hash.get<std::string>());
  }
  return true;
}

// Reads an NDJSON event line laid out exactly as the writer lays it out, without a general JSON
// parser (the verifier's hot path). False when the line is laid out any other way: the general
// parser then reads it and the re-rendering comparison reports what differs.
class CanonicalLine {
 public:
  explicit CanonicalLine(std::string_view s) : s_(s) {}
  bool Lit(std::string_view lit) {
    if (s_.compare(pos_, lit.size(), lit) != 0) {
      return false;
    }
    pos_ += lit.size();
    return true;
  }
  bool Int(int64_t& out) {
    size_t end = pos_;
    if (end < s_.size() && s_[end] == '-') {
      ++end;
    }
    while (end < s_.size() && s_[end] >= '0' && s_[end] <= '9') {
      ++end;
    }
    if (end == pos_ || !absl::SimpleAtoi(Av(s_.substr(pos_, end - pos_)), &out)) {
      return false;
    }
    pos_ = end;
    return true;
  }
  bool Bool(bool& out) {
    if (Lit("true")) {
      out = true;
      return true;
    }
    out = false;
    return Lit("false");
  }
  bool Str(std::string& out) {
    out.clear();
    if (pos_ >= s_.size() || s_[pos_] != '"') {
      return false;
    }
    ++pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') {
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return false;
      }
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) {
        return false;
      }
      switch (s_[pos_++]) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'u': {
          // Only the control characters the writer escapes this way.
          if (s_.compare(pos_, 2, "00") != 0 || pos_ + 4 > s_.size()) {
            return false;
          }
          int v = 0;
          if (!absl::SimpleHexAtoi(Av(s_.substr(pos_ + 2, 2)), &v) || v >= 0x20) {
            return false;
          }
          out.push_back(static_cast<char>(v));
          pos_ += 4;
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }
  bool AtEnd() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

bool ParseCanonicalEvent(std::string_view line, EventRecord& r) {
  CanonicalLine p(line);
  AuditEvent& e = r.event;
  std::string time;
  if (!(p.Lit("{\"record\":\"event\",\"batch\":") && p.Int(r.batch_no) &&
        p.Lit(",\"leaf_index\":") && p.Int(r.leaf_index) && p.Lit(",\"seq\":") && p.Int(e.seq) &&
        p.Lit(",\"id\":") && p.Str(e.id) && p.Lit(",\"time\":") && p.Str(time) &&
        p.Lit(",\"actor_user_id\":") && p.Str(e.actor_user_id) && p.Lit(",\"actor_role\":") &&
        p.Str(e.actor_role) && p.Lit(",\"clinic_id\":") && p.Str(e.clinic_id) &&
        p.Lit(",\"action\":") && p.Str(e.action) && p.Lit(",\"resource\":") && p.Str(e.resource) &&
        p.Lit(",\"client_id\":") && p.Str(e.client_id) && p.Lit(",\"outcome\":") &&
        p.Str(e.outcome) && p.Lit(",\"status_code\":") && p.Str(e.status_code) &&
        p.Lit(",\"request_id\":") && p.Str(e.request_id) && p.Lit(",\"source_address\":") &&
        p.Str(e.source_address) && p.Lit(",\"break_glass\":") && p.Bool(e.break_glass) &&
        p.Lit(",\"detail\":") && p.Str(e.detail) && p.Lit(",\"proof\":["))) {
    return false;
  }
  r.proof.clear();
  if (!p.Lit("]")) {
    do {
      std::string hash;
      if (!p.Str(hash)) {
        return false;
      }
      r.proof.push_back(std::move(hash));
    } while (p.Lit(","));
    if (!p.Lit("]")) {
      return false;
    }
  }
  if (!p.Lit("}") || !p.AtEnd()) {
    return false;
  }
  const std::optional<absl::Time> t = ParseAuditTimeText(time);
  if (!t.has_value()) {
    return false;
  }
  e.time = *t;
  return true;
}

// Handles one JSON record (an NDJSON line, or the JSON a CSV row or FHIR Binary carries).
// `text` is the record as it appeared, compared with its canonical rendering.
void HandleJsonRecord(ExportChecker& checker, int64_t line, std::string_view text,
                      std::string_view expected_kind) {
  if (expected_kind.empty()) {
    EventRecord fast;
    if (ParseCanonicalEvent(text, fast)) {
      if (audit_export::NdjsonEventLine(fast) != text) {
        checker.Edited(line, fast.event.seq,
                       "the event record is not as written (a field was changed)");
      }
      checker.Event(line, fast);
      return;
    }
  }
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    checker.Malformed(line, "the record is not valid JSON (damaged or cut off)");
    return;
  }
  std::string kind;
  GetString(j, "record", kind);
  if (!expected_kind.empty() && kind != expected_kind) {
    checker.Malformed(line, "the record's kind does not match where it appears");
    return;
  }
  if (kind == "event") {
    EventRecord r;
    if (!ParseNdjsonEvent(j, r)) {
      checker.Malformed(line, "an event record with missing or mistyped fields");
      return;
    }
    if (audit_export::NdjsonEventLine(r) != text) {
      checker.Edited(line, r.event.seq, "the event record is not as written (a field was changed)");
    }
    checker.Event(line, r);
  } else if (kind == "batch" || kind == "header") {
    const Json* cp = Member(j, "checkpoint");
    absl::StatusOr<AuditBatchHeader> h =
        cp != nullptr ? ParseCheckpointJson(cp->dump()) : absl::InvalidArgumentError("none");
    if (!h.ok()) {
      checker.Malformed(line, "a header record without a readable checkpoint");
      return;
    }
    if (audit_export::HeaderRecordJson(*h, kind == "batch") != text) {
      checker.Edited(line, 0, "the header record is not as written (a field was changed)");
    }
    checker.Header(line, *h, kind == "batch");
  } else if (kind == "preamble") {
    ParsedPreamble p;
    if (!ParsePreamble(j, p)) {
      checker.Malformed(line, "an unreadable preamble");
      return;
    }
    if (audit_export::PreambleJson(p.preamble) != text) {
      checker.Edited(line, 0, "the preamble is not as written (a field was changed)");
    }
    checker.Preamble(line, p.preamble, p.format, p.version);
  } else if (kind == "end") {
    AuditExportSummary s;
    if (!ParseSummary(j, s) || audit_export::SummaryJson(s) != text) {
      checker.Edited(line, 0, "the closing record is not as written");
    }
    checker.End(line, s);
  } else {
    checker.Malformed(line, "a record of unknown kind");
  }
}

void VerifyNdjson(std::istream& in, ExportChecker& checker) {
  std::string line;
  int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    HandleJsonRecord(checker, line_no, line, "");
  }
  checker.Finish(line_no);
}

// RFC 4180 record reader. Returns false at end of input; `complete` is false when the input
// ends inside a quoted field.
bool ReadCsvRecord(std::istream& in, std::vector<std::string>& fields, bool& complete) {
  fields.clear();
  complete = true;
  int c = in.get();
  if (c == EOF) {
    return false;
  }
  std::string field;
  bool quoted = false;
  bool field_started_quoted = false;
  while (true) {
    if (c == EOF) {
      if (quoted) {
        complete = false;
      }
      fields.push_back(std::move(field));
      return true;
    }
    const char ch = static_cast<char>(c);
    if (quoted) {
      if (ch == '"') {
        if (in.peek() == '"') {
          in.get();
          field.push_back('"');
        } else {
          quoted = false;
        }
      } else {
        field.push_back(ch);
      }
    } else if (ch == '"' && field.empty() && !field_started_quoted) {
      quoted = true;
      field_started_quoted = true;
    } else if (ch == ',') {
      fields.push_back(std::move(field));
      field.clear();
      field_started_quoted = false;
    } else if (ch == '\r' && in.peek() == '\n') {
      in.get();
      fields.push_back(std::move(field));
      return true;
    } else if (ch == '\n') {
      fields.push_back(std::move(field));
      return true;
    } else {
      field.push_back(ch);
    }
    c = in.get();
  }
}

bool ParseInt(const std::string& text, int64_t& out) {
  return !text.empty() && absl::SimpleAtoi(text, &out) && absl::StrCat(out) == text;
}

void VerifyCsv(std::istream& in, ExportChecker& checker) {
  std::vector<std::string> fields;
  bool complete = true;
  int64_t row = 0;
  const std::vector<std::string>& columns = audit_export::CsvColumns();
  while (ReadCsvRecord(in, fields, complete)) {
    ++row;
    if (!complete) {
      checker.Malformed(row, "the row ends inside a quoted field (cut off)");
      break;
    }
    if (row == 1) {
      if (fields != columns) {
        checker.Malformed(row, "the column names are not an audit export's");
      }
      continue;
    }
    if (fields.size() != columns.size()) {
      checker.Malformed(row, "the row has the wrong number of columns");
      continue;
    }
    const std::string& kind = fields[0];
    if (kind == "event") {
      EventRecord r;
      AuditEvent& e = r.event;
      std::optional<absl::Time> t = ParseAuditTimeText(fields[5]);
      if (!ParseInt(fields[1], r.batch_no) || !ParseInt(fields[2], r.leaf_index) ||
          !ParseInt(fields[3], e.seq) || !t.has_value() ||
          (fields[16] != "true" && fields[16] != "false")) {
        checker.Malformed(row, "an event row with unreadable numbers, time or flag");
        continue;
      }
      e.id = fields[4];
      e.time = *t;
      e.actor_user_id = fields[6];
      e.actor_role = fields[7];
      e.clinic_id = fields[8];
      e.action = fields[9];
      e.resource = fields[10];
      e.client_id = fields[11];
      e.outcome = fields[12];
      e.status_code = fields[13];
      e.request_id = fields[14];
      e.source_address = fields[15];
      e.break_glass = fields[16] == "true";
      e.detail = fields[17];
      if (!fields[18].empty()) {
        r.proof = absl::StrSplit(fields[18], ' ');
      }
      if (audit_export::CsvEventFields(r) != fields) {
        checker.Edited(row, e.seq, "the event row is not as written (a field was changed)");
      }
      checker.Event(row, r);
      continue;
    }
    const std::string& json = fields.back();
    int64_t batch_no = 0;
    if (!fields[1].empty()) {
      ParseInt(fields[1], batch_no);
    }
    if (kind == "batch" || kind == "header") {
      absl::StatusOr<AuditBatchHeader> h = ParseCheckpointJson(json);
      if (!h.ok()) {
        checker.Malformed(row, "a header row without a readable checkpoint");
        continue;
      }
      if (audit_export::CsvOtherFields(kind, h->batch_no, CheckpointJson(*h)) != fields) {
        checker.Edited(row, 0, "the header row is not as written (a field was changed)");
      }
      checker.Header(row, *h, kind == "batch");
    } else if (kind == "preamble" || kind == "end") {
      if (audit_export::CsvOtherFields(kind, 0, json) != fields) {
        checker.Edited(row, 0, "the row is not as written (a field was changed)");
      }
      HandleJsonRecord(checker, row, json, kind);
    } else {
      checker.Malformed(row, "a row of unknown kind");
    }
  }
  checker.Finish(row);
}

void HandleFhirEntry(ExportChecker& checker, int64_t entry_no, const OrderedJson& entry) {
  const OrderedJson* resource = nullptr;
  if (entry.is_object()) {
    auto it = entry.find("resource");
    if (it != entry.end()) {
      resource = &*it;
    }
  }
  if (resource == nullptr || !resource->is_object() || !resource->contains("resourceType")) {
    checker.Malformed(entry_no, "a Bundle entry without a resource");
    return;
  }
  const OrderedJson& type = (*resource)["resourceType"];
  if (type == "AuditEvent") {
    EventRecord r = audit_export::EventFromFhir(*resource);
    if (audit_export::FhirEventEntry(r) != entry) {
      checker.Edited(entry_no, r.event.seq,
                     "the AuditEvent is not as written (a visible field was changed)");
    }
    checker.Event(entry_no, r);
    return;
  }
  if (type != "Binary") {
    checker.Malformed(entry_no, "a Bundle entry that is neither an AuditEvent nor a Binary");
    return;
  }
  const auto text_of = [&](const char* key) {
    auto it = resource->find(key);
    return it != resource->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const std::string content_type = text_of("contentType");
  std::string json;
  if (!absl::Base64Unescape(text_of("data"), &json)) {
    checker.Malformed(entry_no, "a Binary whose data is not base64");
    return;
  }
  auto url_it = entry.find("fullUrl");
  const std::string url =
      url_it != entry.end() && url_it->is_string() ? url_it->get<std::string>() : "";
  if (content_type == audit_export::kBatchContentType ||
      content_type == audit_export::kHeaderContentType) {
    const bool with_events = content_type == audit_export::kBatchContentType;
    absl::StatusOr<AuditBatchHeader> h = ParseCheckpointJson(json);
    if (!h.ok()) {
      checker.Malformed(entry_no, "a header Binary without a readable checkpoint");
      return;
    }
    const std::string rendered = CheckpointJson(*h);
    if (rendered != json ||
        audit_export::FhirBinaryEntry(absl::StrCat("urn:confide:audit-batch:", h->batch_no),
                                      absl::StrCat(with_events ? "batch-" : "header-", h->batch_no),
                                      content_type, rendered) != entry) {
      checker.Edited(entry_no, 0, "the header entry is not as written (a field was changed)");
    }
    checker.Header(entry_no, *h, with_events);
    return;
  }
  std::string_view kind;
  std::string_view expected_url;
  std::string_view id;
  if (content_type == audit_export::kPreambleContentType) {
    kind = "preamble";
    expected_url = "urn:confide:audit-export:preamble";
    id = "preamble";
  } else if (content_type == audit_export::kEndContentType) {
    kind = "end";
    expected_url = "urn:confide:audit-export:end";
    id = "end";
  } else {
    checker.Malformed(entry_no, "a Binary of unknown content type");
    return;
  }
  if (audit_export::FhirBinaryEntry(expected_url, id, content_type, json) != entry) {
    checker.Edited(entry_no, 0, "the entry is not as written (a field was changed)");
  }
  HandleJsonRecord(checker, entry_no, json, kind);
}

void VerifyFhir(std::istream& in, ExportChecker& checker) {
  int64_t entry_no = 0;
  bool in_entries = false;
  std::string root_key;
  auto callback = [&](int depth, OrderedJson::parse_event_t event, OrderedJson& parsed) {
    if (depth == 1 && event == OrderedJson::parse_event_t::key) {
      root_key = parsed.get<std::string>();
      in_entries = root_key == "entry";
    }
    if (depth == 2 && in_entries && event == OrderedJson::parse_event_t::object_end) {
      ++entry_no;
      HandleFhirEntry(checker, entry_no, parsed);
      return false;
    }
    return true;
  };
  OrderedJson bundle = OrderedJson::parse(in, callback, /*allow_exceptions=*/false);
  if (bundle.is_discarded()) {
    checker.Malformed(entry_no + 1,
                      "the Bundle is not complete JSON after this entry (cut off or damaged)");
  } else {
    bool ok = bundle.is_object() && bundle.size() == 4 && bundle.contains("timestamp") &&
              bundle.value("resourceType", "") == "Bundle" &&
              bundle.value("type", "") == "collection" && bundle.contains("entry") &&
              bundle["entry"].is_array() && bundle["entry"].empty();
    if (!ok) {
      checker.Malformed(0, "the Bundle's own elements are not those of an audit export");
    }
  }
  checker.Finish(entry_no);
}

// Serves `prefix` then the rest of `in`.
class PrefixedBuffer : public std::streambuf {
 public:
  PrefixedBuffer(std::string prefix, std::istream& in) : prefix_(std::move(prefix)), in_(in) {
    setg(prefix_.data(), prefix_.data(), prefix_.data() + prefix_.size());
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) {
      return traits_type::to_int_type(*gptr());
    }
    in_.read(buffer_, sizeof(buffer_));
    const std::streamsize n = in_.gcount();
    if (n <= 0) {
      return traits_type::eof();
    }
    setg(buffer_, buffer_, buffer_ + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::string prefix_;
  std::istream& in_;
  char buffer_[1 << 16];
};

// Whether `e` is the sealed record of `prune`: the event `confidectl audit prune` writes into
// the pruned clinic's own chain in the prune's transaction (apps/audit_prune_command.cc), whose
// detail states the same through batch, through seq and archive digest.
bool PruneEventVouchesFor(const AuditEvent& e, const AuditPruneRecord& prune) {
  if (e.action != "confidectl.AuditPrune" || e.outcome != "success" ||
      e.clinic_id != prune.clinic_id) {
    return false;
  }
  std::map<std::string, std::string, std::less<>> fields;
  for (absl::string_view part : absl::StrSplit(Av(e.detail), ' ', absl::SkipEmpty())) {
    const size_t eq = part.find('=');
    if (eq == absl::string_view::npos) {
      continue;
    }
    fields.emplace(part.substr(0, eq), part.substr(eq + 1));
  }
  const auto field = [&](std::string_view key) {
    auto it = fields.find(key);
    return it == fields.end() ? std::string() : it->second;
  };
  return field("through_batch") == absl::StrCat(prune.through_batch_no) &&
         field("through_seq") == absl::StrCat(prune.through_seq) &&
         field("archive_sha256") == prune.archive_sha256;
}

}  // namespace

std::string_view AuditFindingKindName(AuditFindingKind kind) {
  switch (kind) {
    case AuditFindingKind::kEdited:
      return "edited";
    case AuditFindingKind::kMissing:
      return "missing";
    case AuditFindingKind::kInserted:
      return "inserted";
    case AuditFindingKind::kReordered:
      return "reordered";
    case AuditFindingKind::kTruncated:
      return "truncated";
    case AuditFindingKind::kBadSignature:
      return "bad signature";
    case AuditFindingKind::kBrokenChain:
      return "broken chain";
    case AuditFindingKind::kUnknownKey:
      return "unknown key";
    case AuditFindingKind::kMalformed:
      return "malformed";
    case AuditFindingKind::kCheckpointMismatch:
      return "checkpoint mismatch";
  }
  return "";
}

std::string DescribeFinding(const AuditFinding& f) {
  std::vector<std::string> where;
  if (f.line > 0) {
    where.push_back(absl::StrCat(f.unit, " ", f.line));
  }
  if (!f.clinic_id.empty()) {
    where.push_back(absl::StrCat("clinic ", f.clinic_id));
  }
  if (f.batch_no > 0) {
    where.push_back(absl::StrCat("batch ", f.batch_no));
  }
  if (f.seq > 0) {
    where.push_back(absl::StrCat("seq ", f.seq));
  }
  std::string out;
  for (size_t i = 0; i < where.size(); ++i) {
    absl::StrAppend(&out, i > 0 ? ", " : "", where[i]);
  }
  if (!out.empty()) {
    out.append(": ");
  }
  absl::StrAppend(&out, std::string(AuditFindingKindName(f.kind)), ": ", f.message);
  return out;
}

absl::StatusOr<AuditVerifyReport> VerifyAuditExport(std::istream& in, const Sha256Hasher& hasher,
                                                    const CheckpointSigner& signer,
                                                    const AuditVerifyOptions& options) {
  std::string prefix(16, '\0');
  in.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
  prefix.resize(static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  if (in.bad()) {
    return absl::UnavailableError("cannot read the export");
  }
  in.clear(in.rdstate() & ~std::ios::failbit & ~std::ios::eofbit);
  AuditVerifyReport report;
  std::string_view unit = "line";
  if (prefix.rfind("record,", 0) == 0) {
    report.source = "csv";
    unit = "row";
  } else if (prefix.rfind("{\"resourceType\"", 0) == 0) {
    report.source = "fhir";
    unit = "entry";
  } else {
    report.source = "ndjson";
  }
  PrefixedBuffer buffer(prefix, in);
  std::istream stream(&buffer);
  Findings findings(report, options.max_findings, std::string(unit));
  ExportChecker checker(hasher, signer, options, report, findings);
  if (report.source == "csv") {
    VerifyCsv(stream, checker);
  } else if (report.source == "fhir") {
    VerifyFhir(stream, checker);
  } else {
    VerifyNdjson(stream, checker);
  }
  if (in.bad()) {
    return absl::UnavailableError("cannot read the export");
  }
  return report;
}

absl::StatusOr<AuditVerifyReport> VerifyAuditDatabase(TransactionRunner& transactions,
                                                      const Sha256Hasher& hasher,
                                                      const CheckpointSigner& signer,
                                                      const AuditVerifyOptions& options) {
  AuditVerifyReport report;
  report.source = "database";
  Findings findings(report, options.max_findings, "line");
  int64_t sealed_through = 0;
  std::vector<std::string> clinics;
  absl::Status status = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
    absl::StatusOr<int64_t> sealed = uow.audit_trail().LockSealedThrough();
    if (!sealed.ok()) {
      return sealed.status();
    }
    sealed_through = *sealed;
    if (options.clinic_id.has_value()) {
      clinics = {*options.clinic_id};
      return absl::OkStatus();
    }
    absl::StatusOr<std::vector<std::string>> ids = uow.audit_trail().ClinicIds();
    if (!ids.ok()) {
      return ids.status();
    }
    clinics = *std::move(ids);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    return status;
  }
  constexpr int kPage = 64;
  for (const std::string& clinic : clinics) {
    HeaderChecker headers(hasher, signer, findings);
    std::optional<AuditPruneRecord> prune;
    status = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
      absl::StatusOr<std::optional<AuditPruneRecord>> last = uow.audit_trail().LastPrune(clinic);
      if (!last.ok()) {
        return last.status();
      }
      prune = *last;
      if (options.pinned_keys.has_value()) {
        for (const AuditSigningKeyRecord& key : *options.pinned_keys) {
          headers.AddKey(key, 0);
        }
        return absl::OkStatus();
      }
      absl::StatusOr<std::vector<AuditSigningKeyRecord>> keys =
          uow.audit_signing_keys().ListForClinic(clinic);
      if (!keys.ok()) {
        return keys.status();
      }
      for (const AuditSigningKeyRecord& key : *keys) {
        headers.AddKey(key, 0);
      }
      return absl::OkStatus();
    });
    if (!status.ok()) {
      return status;
    }
    // The clinic's latest prune record (every prune starts at batch 1, so it subsumes earlier
    // ones) is trusted only when a sealed confidectl.AuditPrune event in a verified batch after
    // it states the same range and archive digest: prune records can be INSERTed by anyone who
    // can write the database, and the triggers then allow deleting the events they name.
    const int64_t pruned_through = prune.has_value() ? prune->through_batch_no : 0;
    bool prune_boundary_seen = false;
    bool prune_vouched = false;
    int64_t next = 1;
    bool saved_seen = false;
    while (true) {
      std::vector<std::pair<AuditBatchHeader, std::vector<AuditEvent>>> page;
      status = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
        page.clear();
        absl::StatusOr<std::vector<AuditBatchHeader>> batches =
            uow.audit_trail().ListBatches(clinic, next, kPage);
        if (!batches.ok()) {
          return batches.status();
        }
        for (AuditBatchHeader& h : *batches) {
          std::vector<AuditEvent> events;
          if (h.batch_no > pruned_through) {
            absl::StatusOr<std::vector<AuditEvent>> read = uow.audit_trail().ClinicEventsInRange(
                clinic, h.seq_after, h.seq_through,
                static_cast<int>(
                    std::min<int64_t>(std::max<int64_t>(h.leaf_count, 0) + 1, 1 << 30)));
            if (!read.ok()) {
              return read.status();
            }
            events = *std::move(read);
          }
          page.emplace_back(std::move(h), std::move(events));
        }
        return absl::OkStatus();
      });
      if (!status.ok()) {
        return status;
      }
      if (page.empty()) {
        break;
      }
      for (const auto& [h, events] : page) {
        const int64_t findings_before = report.finding_count;
        headers.Check(h, 0, 1);
        const bool header_verified = report.finding_count == findings_before;
        if (options.saved_checkpoint.has_value() && options.saved_checkpoint->clinic_id == clinic &&
            options.saved_checkpoint->batch_no == h.batch_no) {
          saved_seen = true;
          report.saved_checkpoint_checked = true;
          if (options.saved_checkpoint->header_hash != h.header_hash) {
            findings.Add(AuditFindingKind::kCheckpointMismatch, 0, clinic, h.batch_no, 0,
                         "the saved checkpoint's batch has a different header hash in the "
                         "database: the trail was rewritten since it was saved");
          }
        }
        next = h.batch_no + 1;
        if (prune.has_value() && h.batch_no == pruned_through) {
          prune_boundary_seen = true;
          if (h.seq_through != prune->through_seq) {
            findings.Add(AuditFindingKind::kEdited, 0, clinic, h.batch_no, 0,
                         absl::StrCat("the prune record's range (through seq ", prune->through_seq,
                                      ") does not end where batch ", h.batch_no, " ends (seq ",
                                      h.seq_through, ")"));
          }
        }
        if (h.batch_no <= pruned_through) {
          ++report.pruned_batches;
          continue;
        }
        ++report.batches_with_events;
        report.events_verified += static_cast<int64_t>(events.size());
        const int64_t n = static_cast<int64_t>(events.size());
        if (n != h.leaf_count) {
          findings.Add(n < h.leaf_count ? AuditFindingKind::kMissing : AuditFindingKind::kInserted,
                       0, clinic, h.batch_no, 0,
                       absl::StrCat("the database has ", n, " events in batch ", h.batch_no,
                                    "'s range (seq ", h.seq_after + 1, " to ", h.seq_through,
                                    "); its signed header says ", h.leaf_count));
          continue;
        }
        if (BatchRootHex(hasher, events) != h.root_hash) {
          findings.Add(AuditFindingKind::kEdited, 0, clinic, h.batch_no, 0,
                       absl::StrCat("an event in batch ", h.batch_no, " (seq ", h.seq_after + 1,
                                    " to ", h.seq_through,
                                    ") was changed since it was sealed: the events do not rebuild "
                                    "the signed root"));
        } else if (prune.has_value() && !prune_vouched && header_verified) {
          for (const AuditEvent& e : events) {
            prune_vouched |= PruneEventVouchesFor(e, *prune);
          }
        }
      }
    }
    report.headers_verified += headers.checked();
    const int64_t covered = headers.previous().has_value() ? headers.previous()->seq_through : 0;
    if (headers.previous().has_value()) {
      report.checkpoint = headers.previous();
    }
    if (covered < sealed_through) {
      std::vector<AuditEvent> stray;
      status = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
        absl::StatusOr<std::vector<AuditEvent>> read =
            uow.audit_trail().ClinicEventsInRange(clinic, covered, sealed_through, 1000);
        if (!read.ok()) {
          return read.status();
        }
        stray = *std::move(read);
        return absl::OkStatus();
      });
      if (!status.ok()) {
        return status;
      }
      for (const AuditEvent& e : stray) {
        findings.Add(AuditFindingKind::kInserted, 0, clinic, 0, e.seq,
                     "an event at or below the sealed horizon that no batch holds (added after "
                     "sealing)");
      }
    }
    // Events above the sealed horizon (and above this clinic's last batch): not sealed yet.
    bool unsealed_prune_event = false;
    for (int64_t after = std::max(covered, sealed_through);;) {
      std::vector<AuditEvent> unsealed;
      status = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
        absl::StatusOr<std::vector<AuditEvent>> read = uow.audit_trail().ClinicEventsInRange(
            clinic, after, std::numeric_limits<int64_t>::max(), 1000);
        if (!read.ok()) {
          return read.status();
        }
        unsealed = *std::move(read);
        return absl::OkStatus();
      });
      if (!status.ok()) {
        return status;
      }
      if (unsealed.empty()) {
        break;
      }
      report.unsealed_events += static_cast<int64_t>(unsealed.size());
      for (const AuditEvent& e : unsealed) {
        unsealed_prune_event |= prune.has_value() && PruneEventVouchesFor(e, *prune);
      }
      after = unsealed.back().seq;
    }
    if (prune.has_value()) {
      const std::string range = absl::StrCat("batches 1 to ", prune->through_batch_no,
                                             ", through seq ", prune->through_seq);
      if (!prune_boundary_seen) {
        findings.Add(AuditFindingKind::kMissing, 0, clinic, prune->through_batch_no, 0,
                     absl::StrCat("the prune record (", range,
                                  ") names a batch that is not in "
                                  "the chain"));
      }
      if (prune_vouched) {
        // Accepted: the pruned batches were checked by header only.
      } else if (unsealed_prune_event) {
        findings.Add(AuditFindingKind::kMissing, 0, clinic, prune->through_batch_no, 0,
                     absl::StrCat("unverified prune, seal first: the prune record (", range,
                                  ") is stated only by a confidectl.AuditPrune event that is not "
                                  "sealed yet; verify again once it is sealed"));
      } else {
        findings.Add(
            AuditFindingKind::kMissing, 0, clinic, prune->through_batch_no, 0,
            absl::StrCat("the prune record (", range, ", archive SHA-256 ", prune->archive_sha256,
                         ") has no sealed confidectl.AuditPrune event in a verified batch "
                         "stating it: the events of those batches may have been deleted "
                         "under a forged prune record"));
      }
    }
    if (options.saved_checkpoint.has_value() && options.saved_checkpoint->clinic_id == clinic &&
        !saved_seen) {
      findings.Add(AuditFindingKind::kCheckpointMismatch, 0, clinic,
                   options.saved_checkpoint->batch_no, 0,
                   "the saved checkpoint's batch is not in the database: the trail lost batches");
    }
  }
  return report;
}

std::string FormatVerifyReport(const AuditVerifyReport& report) {
  std::string out;
  if (report.source == "database") {
    absl::StrAppend(&out, "Verified the database's audit trail: ", report.headers_verified,
                    " signed batch headers, ", report.events_verified, " events in ",
                    report.batches_with_events, " batches");
    if (report.pruned_batches > 0) {
      absl::StrAppend(&out, "; ", report.pruned_batches, " pruned batches checked by header only");
    }
    if (report.unsealed_events > 0) {
      absl::StrAppend(&out, "; ", report.unsealed_events,
                      " events not sealed yet (not verifiable until the sealer takes them, "
                      "normally within seconds)");
    }
    out.append(".\n");
  } else {
    absl::StrAppend(&out, "Verified a ", report.source, " export of clinic \"", report.clinic_id,
                    "\": ", report.events_verified, " events in ", report.batches_with_events,
                    " batches, ", report.headers_verified, " signed batch headers");
    if (report.checkpoint.has_value()) {
      absl::StrAppend(&out, ", up to checkpoint batch ", report.checkpoint->batch_no,
                      " (header hash ", report.checkpoint->header_hash, ")");
    }
    out.append(".\n");
    if (report.used_embedded_keys) {
      out.append(
          "Keys: the export's own embedded keys were used. Pass --keys with the keys published "
          "at /v1/audit/keys to pin them independently.\n");
    } else {
      out.append("Keys: the pinned keys given with --keys were used.\n");
    }
  }
  if (report.saved_checkpoint_checked) {
    bool mismatch = false;
    for (const AuditFinding& f : report.findings) {
      mismatch |= f.kind == AuditFindingKind::kCheckpointMismatch;
    }
    if (!mismatch) {
      out.append(
          "Saved checkpoint: found in the chain with the same header hash (the trail only "
          "grew since).\n");
    }
  }
  for (const AuditFinding& f : report.findings) {
    absl::StrAppend(&out, "  ", DescribeFinding(f), "\n");
  }
  if (report.finding_count > static_cast<int64_t>(report.findings.size())) {
    absl::StrAppend(&out, "  ... and ", report.finding_count - report.findings.size(),
                    " more findings.\n");
  }
  if (report.ok()) {
    out.append("Result: OK, no tampering found.\n");
  } else {
    absl::StrAppend(&out, "Result: FAILED, ", report.finding_count,
                    report.finding_count == 1 ? " finding.\n" : " findings.\n");
  }
  return out;
}

}  // namespace confide
