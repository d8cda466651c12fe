#include "services/journal/journal_validation.h"

#include <optional>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/api/request_fields.h"
#include "services/common/text_checks.h"

namespace confide {
namespace {

constexpr std::string_view kMaskPaths[] = {"text", "mood", "tags", "shared_with_care_team",
                                           "shared_with_partner"};
// Five fields may change; a longer mask is refused before any path is looked at.
constexpr int kMaxMaskPaths = 16;

bool Masks(const google::protobuf::FieldMask& mask, std::string_view field) {
  for (const std::string& path : mask.paths()) {
    if (path == field) {
      return true;
    }
  }
  return false;
}

// What is wrong with an UpdateJournalEntry mask, or "" when nothing is. Paths are not echoed:
// the caller chose their text.
std::string UpdateMaskProblem(const google::protobuf::FieldMask& mask) {
  if (mask.paths_size() == 0) {
    return "names no field to change";
  }
  if (mask.paths_size() > kMaxMaskPaths) {
    return absl::StrCat("names more than ", kMaxMaskPaths, " fields");
  }
  for (const std::string& path : mask.paths()) {
    bool allowed = false;
    for (std::string_view field : kMaskPaths) {
      allowed = allowed || path == field;
    }
    if (!allowed) {
      return "names a field UpdateJournalEntry cannot change (text, mood, tags, "
             "shared_with_care_team, shared_with_partner)";
    }
  }
  return "";
}

absl::Status FieldOk(std::optional<FieldViolation> violation) {
  return violation.has_value() ? InvalidFields({*violation}) : absl::OkStatus();
}

}  // namespace

void CheckJournalText(const v1::JournalEntry& entry, FieldChecker& check) {
  const std::string& text = entry.text();
  if (absl::StripAsciiWhitespace(text).empty()) {
    check.Fail("text", "is required");
    return;
  }
  if (CharacterCount(text) > kMaxJournalText) {
    check.Fail("text", absl::StrCat("must be at most ", kMaxJournalText, " characters"));
    return;
  }
  if (!IsValidUtf8(text)) {
    check.Fail("text", "must be UTF-8 text");
    return;
  }
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\r' && c != '\t') || byte == 0x7f) {
      check.Fail("text", "must not hold control characters other than line breaks and tabs");
      return;
    }
  }
}

void CheckJournalMood(const v1::JournalEntry& entry, FieldChecker& check) {
  if (!v1::Mood_IsValid(entry.mood())) {
    check.Fail("mood", "is not a known mood");
  }
}

void CheckJournalTags(const v1::JournalEntry& entry, FieldChecker& check) {
  if (entry.tags_size() > kMaxJournalTags) {
    check.Fail("tags", absl::StrCat("may hold at most ", kMaxJournalTags, " tags"));
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < entry.tags_size(); ++i) {
    const std::string& tag = entry.tags(i);
    const std::string field = absl::StrCat("tags[", i, "]");
    if (absl::StripAsciiWhitespace(tag).empty()) {
      check.Fail(field, "must not be empty");
    } else if (CharacterCount(tag) > kMaxJournalTag) {
      check.Fail(field, absl::StrCat("must be at most ", kMaxJournalTag, " characters"));
    } else if (!IsValidUtf8(tag) || !HasNoControlCharacters(tag)) {
      check.Fail(field, "must be UTF-8 text on one line");
    } else if (!seen.insert(tag).second) {
      check.Fail(field, "is listed twice");
    }
  }
}

absl::Status CheckJournalWriteTime(const google::protobuf::Timestamp& write_time, absl::Time now) {
  if (write_time.nanos() < 0 || write_time.nanos() > 999'999'999) {
    return InvalidField("entry.write_time", "is not a valid timestamp");
  }
  const absl::Time when =
      absl::FromUnixSeconds(write_time.seconds()) + absl::Nanoseconds(write_time.nanos());
  if (when > now + kJournalWriteTimeSlack) {
    return InvalidField("entry.write_time", "must not be in the future");
  }
  if (when < now - kMaxJournalBackdating) {
    return InvalidField("entry.write_time", "must be within the last 90 days");
  }
  return absl::OkStatus();
}

absl::Status ValidateCreateJournalEntry(const v1::CreateJournalEntryRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  check.Add(CheckRequestId("request_id", request.request_id()));
  FieldChecker entry = check.Nested("entry");
  CheckJournalText(request.entry(), entry);
  CheckJournalMood(request.entry(), entry);
  CheckJournalTags(request.entry(), entry);
  check.Absorb(entry);
  return check.Result();
}

absl::Status ValidateGetJournalEntry(const v1::GetJournalEntryRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  check.Add(CheckRecordId("entry_id", request.entry_id()));
  return check.Result();
}

absl::Status ValidateListJournalEntries(const v1::ListJournalEntriesRequest& request) {
  if (absl::Status s = FieldOk(CheckClientId("client_id", request.client_id())); !s.ok()) {
    return s;
  }
  return EffectivePageSize(request.page_size()).status();
}

absl::Status ValidateUpdateJournalEntry(const v1::UpdateJournalEntryRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("entry.client_id", request.entry().client_id()));
  check.Add(CheckRecordId("entry.id", request.entry().id()));
  if (request.entry().etag().empty()) {
    check.Fail("entry.etag", "is required: send the etag of the entry you changed");
  }
  const std::string mask_problem = UpdateMaskProblem(request.update_mask());
  if (!mask_problem.empty()) {
    check.Fail("update_mask", mask_problem);
    return check.Result();
  }
  FieldChecker entry = check.Nested("entry");
  if (Masks(request.update_mask(), "text")) {
    CheckJournalText(request.entry(), entry);
  }
  if (Masks(request.update_mask(), "mood")) {
    CheckJournalMood(request.entry(), entry);
  }
  if (Masks(request.update_mask(), "tags")) {
    CheckJournalTags(request.entry(), entry);
  }
  check.Absorb(entry);
  return check.Result();
}

absl::Status ValidateDeleteJournalEntry(const v1::DeleteJournalEntryRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  check.Add(CheckRecordId("entry_id", request.entry_id()));
  if (request.etag().empty()) {
    check.Fail("etag", "is required: send the etag of the entry you delete");
  }
  return check.Result();
}

}  // namespace confide
