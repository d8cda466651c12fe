#include "services/consents/consent_requirements.h"

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/api/error_info.h"
#include "services/consents/ports/consent_repository.h"

namespace confide {

std::string ConsentDisplayName(v1::ConsentKind kind) {
  std::string name = v1::ConsentKind_Name(kind);
  constexpr absl::string_view kPrefix = "CONSENT_KIND_";
  if (absl::StartsWith(name, kPrefix)) {
    name = name.substr(kPrefix.size());
  }
  return absl::StrCat(absl::AsciiStrToLower(absl::StrReplaceAll(name, {{"_", " "}})), " consent");
}

absl::Status RequireConsent(UnitOfWork& uow, std::string_view clinic_id, std::string_view client_id,
                            v1::ConsentKind kind) {
  // Locked, not only read: a withdrawal running at the same time waits for this transaction and
  // then sees (and ends) whatever it created on the strength of the consent.
  absl::StatusOr<std::optional<ConsentRecord>> in_force =
      uow.consents().LockInForce(clinic_id, client_id, kind);
  if (!in_force.ok()) {
    return in_force.status();
  }
  if (in_force->has_value()) {
    return absl::OkStatus();
  }
  const std::string enum_name = v1::ConsentKind_Name(kind);
  return WithErrorInfo(
      absl::FailedPreconditionError(absl::StrCat(ConsentDisplayName(kind), " (", enum_name,
                                                 ") is not in force for this client; record it "
                                                 "first")),
      kConsentRequiredReason, {{"consent", enum_name}});
}

}  // namespace confide
