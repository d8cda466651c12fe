#include "services/programmes/practice_validation.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/api/field_checker.h"
#include "services/api/page_token.h"
#include "services/api/request_fields.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"

namespace confide {
namespace {

constexpr size_t kMaxItemId = 64;
// Timestamp's own range (RFC 3339 years 0001-9999): anything else cannot be a practice time.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;

bool IsItemId(std::string_view id) {
  if (id.empty() || id.size() > kMaxItemId) {
    return false;
  }
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

bool IsValidTimestamp(const google::protobuf::Timestamp& t) {
  return t.seconds() >= kMinTimestampSeconds && t.seconds() <= kMaxTimestampSeconds &&
         t.nanos() >= 0 && t.nanos() <= 999999999;
}

bool IsDone(v1::PracticeCompletion completion) {
  return completion == v1::PRACTICE_COMPLETION_FULLY ||
         completion == v1::PRACTICE_COMPLETION_PARTLY;
}

// Her words: line breaks and tabs are fine, other control characters are not.
void Feelings(FieldChecker& check, const std::string& value) {
  if (CharacterCount(value) > kMaxFeelings) {
    check.Fail("feelings", absl::StrCat("must be at most ", kMaxFeelings, " characters"));
    return;
  }
  if (!IsValidUtf8(value)) {
    check.Fail("feelings", "must be UTF-8 text");
    return;
  }
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\r' && c != '\t') || byte == 0x7f) {
      check.Fail("feelings", "must not hold control characters other than line breaks and tabs");
      return;
    }
  }
}

void Score(FieldChecker& check, std::string_view field, bool has, int value) {
  if (has && (value < 0 || value > kMaxScore)) {
    check.Fail(field, absl::StrCat("must be 0 to ", kMaxScore));
  }
}

absl::Status ClientAndPage(std::string_view client_id, int page_size) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", client_id));
  if (page_size < 0 || page_size > kMaxPageSize) {
    check.Fail("page_size",
               absl::StrCat("must be 0 (default ", kDefaultPageSize, ") to ", kMaxPageSize));
  }
  return check.Result();
}

absl::Status Decide(const v1::DecideProgressionSuggestionRequest& request, bool accept) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  check.Add(CheckRecordId("suggestion_id", request.suggestion_id()));
  if (accept && request.programme_etag().empty()) {
    check.Fail("programme_etag", "is required: send the etag of the programme you reviewed");
  } else if (request.programme_etag().size() > 64 || !IsPrintableAscii(request.programme_etag())) {
    check.Fail("programme_etag", "must be an etag from GetProgramme");
  }
  return check.Result();
}

}  // namespace

absl::Status ValidateLogPractice(const v1::LogPracticeRequest& request) {
  FieldChecker fields;
  fields.Add(CheckClientId("client_id", request.client_id()));
  if (request.request_id().empty()) {
    fields.Fail("request_id",
                "is required: generate it when the session is recorded so a retry is safe");
  } else {
    fields.Add(CheckRequestId("request_id", request.request_id()));
  }
  if (!fields.ok()) {
    return fields.Result();
  }
  const v1::PracticeLog& log = request.log();
  FieldChecker check("log");
  check.Add(CheckRecordId("programme_id", log.programme_id()));
  if (log.programme_version() < 0) {
    check.Fail("programme_version", "must be 0 (the latest) or a version of the programme");
  }
  if (!IsItemId(log.item_id())) {
    check.Fail("item_id", "is required: the id of an item of the programme");
  }
  if (!log.has_practiced_at()) {
    check.Fail("practiced_at", "is required: when she practised");
  } else if (!IsValidTimestamp(log.practiced_at())) {
    check.Fail("practiced_at", "must be a valid time");
  }
  if (log.duration_minutes() < 0 || log.duration_minutes() > kMaxPracticeMinutes) {
    check.Fail("duration_minutes", absl::StrCat("must be 0 to ", kMaxPracticeMinutes));
  }
  if (!v1::PracticeCompletion_IsValid(log.completion()) ||
      log.completion() == v1::PRACTICE_COMPLETION_UNSPECIFIED) {
    check.Fail("completion", "is required: FULLY, PARTLY or SKIPPED");
  }
  if (log.dilator_size() < 0) {
    check.Fail("dilator_size", "must be one of her set's sizes");
  }
  Score(check, "pain", log.has_pain(), log.pain());
  Score(check, "anxiety", log.has_anxiety(), log.anxiety());
  Feelings(check, log.feelings());
  return check.Result();
}

absl::Status CheckPracticeAgainst(const v1::PracticeLog& log, const v1::ProgrammeItem& item,
                                  absl::Time now) {
  FieldChecker check("log");
  const absl::Time practiced_at = FromTimestamp(log.practiced_at());
  if (practiced_at > now + kMaxPracticeAhead) {
    check.Fail("practiced_at", "must not be more than 10 minutes in the future");
  } else if (practiced_at < now - kMaxPracticeAge) {
    check.Fail("practiced_at", "must not be more than 90 days ago");
  }
  const bool skipped = log.completion() == v1::PRACTICE_COMPLETION_SKIPPED;
  const bool dilator = item.has_dilator();
  if (skipped) {
    if (log.has_pain()) {
      check.Fail("pain", "must not be set for a skipped session");
    }
    if (log.has_anxiety()) {
      check.Fail("anxiety", "must not be set for a skipped session");
    }
    if (log.dilator_size() != 0) {
      check.Fail("dilator_size", "must not be set for a skipped session");
    }
  } else if (IsDone(log.completion())) {
    if (log.duration_minutes() == 0) {
      check.Fail("duration_minutes", "must be 1 to 240 unless the session was skipped");
    }
    if (!log.has_pain()) {
      check.Fail("pain", "is required unless the session was skipped (0 means no pain)");
    }
    if (!log.has_anxiety()) {
      check.Fail("anxiety", "is required unless the session was skipped (0 means none)");
    }
    if (dilator) {
      bool in_set = false;
      for (const v1::DilatorSize& size : item.dilator().set().sizes()) {
        in_set = in_set || size.size() == log.dilator_size();
      }
      if (!in_set) {
        check.Fail("dilator_size", "must be one of her dilator set's sizes");
      }
    }
  }
  if (!dilator && log.dilator_size() != 0) {
    check.Fail("dilator_size", "is only for dilator items");
  }
  return check.Result();
}

absl::Status ValidateListPracticeLogs(const v1::ListPracticeLogsRequest& request) {
  if (absl::Status s = ClientAndPage(request.client_id(), request.page_size()); !s.ok()) {
    return s;
  }
  FieldChecker check;
  if (request.programme_id().size() > kMaxRecordIdLength) {
    check.Fail("programme_id", "must be at most 64 characters");
  }
  if (!request.item_id().empty() && !IsItemId(request.item_id())) {
    check.Fail("item_id", "must be an item id (1-64 of A-Z, a-z, 0-9, '_' and '-')");
  }
  if (request.has_start_time() && !IsValidTimestamp(request.start_time())) {
    check.Fail("start_time", "must be a valid time");
  }
  if (request.has_end_time() && !IsValidTimestamp(request.end_time())) {
    check.Fail("end_time", "must be a valid time");
  }
  if (check.ok() && request.has_start_time() && request.has_end_time() &&
      FromTimestamp(request.end_time()) < FromTimestamp(request.start_time())) {
    check.Fail("end_time", "must not be before start_time");
  }
  return check.Result();
}

absl::Status ValidateListProgressionSuggestions(
    const v1::ListProgressionSuggestionsRequest& request) {
  if (absl::Status s = ClientAndPage(request.client_id(), request.page_size()); !s.ok()) {
    return s;
  }
  if (!v1::SuggestionStatus_IsValid(request.status())) {
    return InvalidField("status", "must be a suggestion status");
  }
  return absl::OkStatus();
}

absl::Status ValidateAcceptProgressionSuggestion(
    const v1::DecideProgressionSuggestionRequest& request) {
  return Decide(request, /*accept=*/true);
}

absl::Status ValidateDeclineProgressionSuggestion(
    const v1::DecideProgressionSuggestionRequest& request) {
  return Decide(request, /*accept=*/false);
}

}  // namespace confide
