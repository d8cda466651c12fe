#include "services/consents/consent_validation.h"

#include <string>
#include <string_view>
#include <vector>

#include "services/api/field_errors.h"

namespace confide {
namespace {

constexpr size_t kMaxIdLength = 64;
constexpr size_t kMaxTextVersionLength = 40;
constexpr size_t kMaxRequestIdLength = 100;

// Printable ASCII (space to '~'): versions and request ids are labels, never prose.
bool IsPrintableAscii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) {
      return false;
    }
  }
  return true;
}

void CheckClientId(const std::string& client_id, std::vector<FieldViolation>& violations) {
  if (client_id.empty() || client_id.size() > kMaxIdLength) {
    violations.push_back({"client_id", "is required (a client id or `me`, at most 64 characters)"});
  }
}

}  // namespace

absl::Status ValidateRecordConsent(const v1::RecordConsentRequest& request) {
  std::vector<FieldViolation> violations;
  CheckClientId(request.client_id(), violations);
  if (request.kind() == v1::CONSENT_KIND_UNSPECIFIED || !v1::ConsentKind_IsValid(request.kind())) {
    violations.push_back({"kind", "must be a known consent kind (not CONSENT_KIND_UNSPECIFIED)"});
  }
  const std::string& version = request.text_version();
  if (version.empty() || version.size() > kMaxTextVersionLength || !IsPrintableAscii(version) ||
      version.find_first_not_of(' ') == std::string::npos) {
    violations.push_back(
        {"text_version", "is required: 1 to 40 printable ASCII characters, e.g. 2026-01"});
  }
  const std::string& request_id = request.request_id();
  if (request_id.size() > kMaxRequestIdLength || !IsPrintableAscii(request_id)) {
    violations.push_back({"request_id", "must be 1 to 100 printable ASCII characters when set"});
  }
  return InvalidFields(violations);
}

absl::Status ValidateWithdrawConsent(const v1::WithdrawConsentRequest& request) {
  std::vector<FieldViolation> violations;
  CheckClientId(request.client_id(), violations);
  if (request.consent_id().empty() || request.consent_id().size() > kMaxIdLength) {
    violations.push_back({"consent_id", "is required (at most 64 characters)"});
  }
  return InvalidFields(violations);
}

absl::Status ValidateListConsents(const v1::ListConsentsRequest& request) {
  std::vector<FieldViolation> violations;
  CheckClientId(request.client_id(), violations);
  return InvalidFields(violations);
}

}  // namespace confide
