#include "services/consents/consent_validation.h"

#include <string>

#include "services/api/field_checker.h"
#include "services/api/request_fields.h"
#include "services/common/text_checks.h"

namespace confide {
namespace {

constexpr size_t kMaxTextVersionLength = 40;

}  // namespace

absl::Status ValidateRecordConsent(const v1::RecordConsentRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  if (request.kind() == v1::CONSENT_KIND_UNSPECIFIED || !v1::ConsentKind_IsValid(request.kind())) {
    check.Fail("kind", "must be a known consent kind (not CONSENT_KIND_UNSPECIFIED)");
  }
  const std::string& version = request.text_version();
  if (version.empty() || version.size() > kMaxTextVersionLength || !IsPrintableAscii(version) ||
      version.find_first_not_of(' ') == std::string::npos) {
    check.Fail("text_version", "is required: 1 to 40 printable ASCII characters, e.g. 2026-01");
  }
  check.Add(CheckRequestId("request_id", request.request_id()));
  return check.Result();
}

absl::Status ValidateWithdrawConsent(const v1::WithdrawConsentRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  check.Add(CheckRecordId("consent_id", request.consent_id()));
  return check.Result();
}

absl::Status ValidateListConsents(const v1::ListConsentsRequest& request) {
  FieldChecker check;
  check.Add(CheckClientId("client_id", request.client_id()));
  return check.Result();
}

}  // namespace confide
