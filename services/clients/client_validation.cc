#include "services/clients/client_validation.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/api/field_checker.h"
#include "services/api/field_errors.h"
#include "services/common/text_checks.h"

namespace confide {
namespace {

constexpr size_t kMaxNameLength = 200;
constexpr size_t kMaxShortText = 200;
constexpr size_t kMaxConcernText = 500;
constexpr size_t kMaxIdLength = 64;

// Every free-text field goes through here: a length cap, UTF-8 and no control characters.
void MaxLength(FieldChecker& check, std::string_view field, const std::string& value, size_t max) {
  if (value.size() > max) {
    check.Fail(field, absl::StrCat("must be at most ", max, " characters"));
  } else if (!IsValidUtf8(value) || !HasNoControlCharacters(value)) {
    check.Fail(field, "must be UTF-8 text without control characters");
  }
}

void Required(FieldChecker& check, std::string_view field, const std::string& value) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    check.Fail(field, "is required");
  }
}

bool IsCalendarDate(const std::string& text) {
  // Strictly YYYY-MM-DD; absl's parser alone would also accept other widths.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return false;
  }
  return absl::FormatCivilTime(day) == text && day.year() >= 1900;
}

bool IsPlausibleEmail(const std::string& email) {
  const size_t at = email.find('@');
  return at != std::string::npos && at > 0 && at + 1 < email.size() &&
         email.find('@', at + 1) == std::string::npos && email.find(' ') == std::string::npos &&
         email.find('.', at) != std::string::npos;
}

bool IsPhone(const std::string& phone) {
  int digits = 0;
  for (char c : phone) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 5 && digits <= 15;
}

void CheckClient(const v1::Client& client, FieldChecker& check) {
  Required(check, "legal_given_name", client.legal_given_name());
  Required(check, "legal_family_name", client.legal_family_name());
  MaxLength(check, "legal_given_name", client.legal_given_name(), kMaxNameLength);
  MaxLength(check, "legal_family_name", client.legal_family_name(), kMaxNameLength);
  MaxLength(check, "preferred_name", client.preferred_name(), kMaxNameLength);
  MaxLength(check, "pronouns", client.pronouns(), 50);
  MaxLength(check, "date_of_birth", client.date_of_birth(), 10);
  MaxLength(check, "email", client.email(), 254);
  MaxLength(check, "phone", client.phone(), 32);
  if (!client.date_of_birth().empty() && !IsCalendarDate(client.date_of_birth())) {
    check.Fail("date_of_birth", "must be a real calendar date written YYYY-MM-DD");
  }
  if (!client.email().empty() &&
      (client.email().size() > 254 || !IsPlausibleEmail(client.email()))) {
    check.Fail("email", "must be an email address like name@example.org");
  }
  if (!client.phone().empty() && !IsPhone(client.phone())) {
    check.Fail("phone", "must be 5 to 15 digits, optionally with spaces, +, -, ( and )");
  }
  MaxLength(check, "discreet_contact.safe_times_to_call",
            client.discreet_contact().safe_times_to_call(), kMaxShortText);
  if (!v1::ContactChannel_IsValid(client.discreet_contact().preferred_channel())) {
    check.Fail("discreet_contact.preferred_channel", "is not a known contact channel");
  }
  MaxLength(check, "emergency_contact.name", client.emergency_contact().name(), kMaxNameLength);
  MaxLength(check, "emergency_contact.relationship", client.emergency_contact().relationship(),
            kMaxShortText);
  MaxLength(check, "emergency_contact.phone", client.emergency_contact().phone(), 32);
  if (!client.emergency_contact().phone().empty() && !IsPhone(client.emergency_contact().phone())) {
    check.Fail("emergency_contact.phone",
               "must be 5 to 15 digits, optionally with spaces, +, -, ( and )");
  }
  MaxLength(check, "referral_source", client.referral_source(), kMaxShortText);
  if (!v1::PresentingConcern_IsValid(client.presenting_concern())) {
    check.Fail("presenting_concern", "is not a known presenting concern");
  }
  if (client.presenting_concern() == v1::PRESENTING_CONCERN_OTHER) {
    Required(check, "presenting_concern_other", client.presenting_concern_other());
  }
  MaxLength(check, "presenting_concern_other", client.presenting_concern_other(), kMaxConcernText);
  if (!v1::ClientStatus_IsValid(client.status())) {
    check.Fail("status", "is not a known client status");
  }
}

int StatusRank(v1::ClientStatus status) {
  switch (status) {
    case v1::CLIENT_STATUS_ENQUIRY:
      return 1;
    case v1::CLIENT_STATUS_INTAKE:
      return 2;
    case v1::CLIENT_STATUS_ACTIVE:
      return 3;
    case v1::CLIENT_STATUS_DISCHARGED:
      return 4;
    default:
      return 0;
  }
}

}  // namespace

absl::Status ValidateClientFields(const v1::Client& client, std::string_view prefix) {
  FieldChecker check(prefix);
  CheckClient(client, check);
  return check.Result();
}

absl::Status ValidateBirthDateNotInFuture(const v1::Client& client, std::string_view prefix,
                                          absl::Time now) {
  absl::CivilDay born;
  if (client.date_of_birth().empty() || !absl::ParseCivilTime(client.date_of_birth(), &born)) {
    return absl::OkStatus();  // emptiness and format are ValidateClientFields' job
  }
  if (born > absl::ToCivilDay(now, absl::UTCTimeZone())) {
    FieldChecker check(prefix);
    check.Fail("date_of_birth", "must not be in the future");
    return check.Result();
  }
  return absl::OkStatus();
}

absl::Status ValidateCreateClient(const v1::CreateClientRequest& request) {
  FieldChecker check;
  if (!request.has_client()) {
    check.Fail("client", "is required");
    return check.Result();
  }
  FieldChecker client = check.Nested("client");
  CheckClient(request.client(), client);
  const v1::ClientStatus status = request.client().status();
  if (status == v1::CLIENT_STATUS_DISCHARGED || status == v1::CLIENT_STATUS_ARCHIVED) {
    client.Fail("status", "a new client starts as ENQUIRY, INTAKE or ACTIVE");
  }
  check.Absorb(client);
  MaxLength(check, "request_id", request.request_id(), kMaxIdLength);
  return check.Result();
}

absl::Status ValidateGetClient(const v1::GetClientRequest& request) {
  if (request.client_id().empty() || request.client_id().size() > kMaxIdLength) {
    return InvalidField("client_id", "is required and at most 64 characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateListClients(const v1::ListClientsRequest& request) {
  FieldChecker check;
  if (request.page_size() < 0 || request.page_size() > 500) {
    check.Fail("page_size", "must be between 0 and 500 (0 means 50)");
  }
  if (!v1::ClientStatus_IsValid(request.status())) {
    check.Fail("status", "is not a known client status");
  }
  MaxLength(check, "name_prefix", request.name_prefix(), kMaxNameLength);
  MaxLength(check, "page_token", request.page_token(), 512);
  return check.Result();
}

absl::Status ValidateUpdateClient(const v1::UpdateClientRequest& request) {
  FieldChecker check;
  if (request.client().id().empty()) {
    check.Fail("client.id", "is required");
  }
  if (request.client().etag().empty()) {
    check.Fail("client.etag", "is required: send the etag of the record you edited");
  }
  if (request.update_mask().paths_size() == 0) {
    check.Fail("update_mask", "must name at least one field");
  }
  return check.Result();
}

absl::Status ValidateArchiveClient(const v1::ArchiveClientRequest& request) {
  FieldChecker check;
  if (request.client_id().empty()) {
    check.Fail("client_id", "is required");
  }
  if (request.etag().empty()) {
    check.Fail("etag", "is required: send the etag of the record you archive");
  }
  return check.Result();
}

bool IsAllowedStatusChange(v1::ClientStatus from, v1::ClientStatus to) {
  if (from == to) {
    return true;
  }
  if (from == v1::CLIENT_STATUS_DISCHARGED && to == v1::CLIENT_STATUS_ACTIVE) {
    return true;
  }
  return StatusRank(from) > 0 && StatusRank(to) > StatusRank(from);
}

}  // namespace confide
