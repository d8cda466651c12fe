#include "services/plans/plan_store.h"

#include <optional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/api/etag.h"
#include "services/api/field_errors.h"
#include "services/api/page_token.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"
#include "services/crypto/sealed_message.h"
#include "services/plans/plan_versioning.h"

namespace confide {
namespace {

constexpr std::string_view kVersionsTable = "plan_versions";
constexpr std::string_view kContentColumn = "content_sealed";
constexpr std::string_view kVersionsListStem = "plan_versions.";

// The row id a version's content is sealed for: plan and version, so a sealed version copied
// to another version or plan does not open.
std::string VersionRowId(std::string_view plan_id, int version) {
  return absl::StrCat(std::string(plan_id), "/v", version);
}

absl::Status PlanNotFound() { return absl::NotFoundError("plan not found"); }

}  // namespace

std::string PlanResource(std::string_view client_id, std::string_view plan_id) {
  return absl::StrCat("clients/", std::string(client_id), "/plans/", std::string(plan_id));
}

absl::StatusOr<PlanRecord> LoadPlan(RequestScope& scope, std::string_view plan_id) {
  if (!IsUuidText(plan_id)) {
    return PlanNotFound();
  }
  absl::StatusOr<std::optional<PlanRecord>> plan =
      scope.uow.plans().Find(scope.principal->clinic_id, scope.client_id, plan_id);
  if (!plan.ok()) {
    return plan.status();
  }
  if (!plan->has_value()) {
    return PlanNotFound();
  }
  return **std::move(plan);
}

absl::Status StoreVersion(ClientDataCipher& cipher, RequestScope& scope,
                          const v1::TherapyPlan& version) {
  const std::string row_id = VersionRowId(version.id(), version.version());
  absl::StatusOr<std::string> sealed =
      SealMessage(cipher, scope.uow, scope.principal->clinic_id, version.client_id(),
                  FieldLocation{kVersionsTable, kContentColumn, row_id}, PlanContent(version));
  if (!sealed.ok()) {
    return sealed.status();
  }
  return scope.uow.plans().InsertVersion(
      PlanVersionRecord{.plan_id = version.id(),
                        .version = version.version(),
                        .clinic_id = scope.principal->clinic_id,
                        .client_id = version.client_id(),
                        .author_user_id = version.author_user_id(),
                        .create_time = FromTimestamp(version.version_create_time()),
                        .content_sealed = *std::move(sealed)});
}

absl::StatusOr<v1::TherapyPlan> OpenVersion(ClientDataCipher& cipher, RequestScope& scope,
                                            const PlanRecord& plan, const PlanVersionRecord& row) {
  const std::string row_id = VersionRowId(plan.id, row.version);
  v1::TherapyPlan version;
  if (absl::Status opened = OpenMessage(cipher, scope.uow, plan.clinic_id, plan.client_id,
                                        FieldLocation{kVersionsTable, kContentColumn, row_id},
                                        row.content_sealed, &version);
      !opened.ok()) {
    return opened;
  }
  version.set_id(plan.id);
  version.set_client_id(plan.client_id);
  version.set_version(row.version);
  version.set_author_user_id(row.author_user_id);
  *version.mutable_version_create_time() = ToTimestamp(row.create_time);
  version.set_shared_version(plan.shared_version);
  *version.mutable_create_time() = ToTimestamp(plan.create_time);
  version.set_etag(EtagOf(row.version));
  return version;
}

absl::StatusOr<v1::TherapyPlan> LoadVersion(ClientDataCipher& cipher, RequestScope& scope,
                                            const PlanRecord& plan, int number) {
  absl::StatusOr<std::optional<PlanVersionRecord>> row =
      scope.uow.plans().FindVersion(plan.clinic_id, plan.id, number);
  if (!row.ok()) {
    return row.status();
  }
  if (!row->has_value()) {
    return absl::NotFoundError("plan version not found");
  }
  return OpenVersion(cipher, scope, plan, **row);
}

// The cursor is a version number, not an id: page_token.h's token then names the list
// "plan_versions.<last version shown>" and holds the plan id, so a token works only for its
// own plan.
std::string EncodeVersionPageToken(std::string_view plan_id, int last_version) {
  return EncodePageToken(absl::StrCat(std::string(kVersionsListStem), last_version), plan_id);
}

absl::StatusOr<int> DecodeVersionPageToken(std::string_view plan_id, std::string_view token) {
  const absl::Status bad = InvalidField(
      "page_token", "is not a token from a previous ListPlanVersions response for this plan");
  std::string decoded;
  if (token.size() > 512 || !absl::WebSafeBase64Unescape(std::string(token), &decoded) ||
      decoded.rfind(kVersionsListStem, 0) != 0) {
    return bad;
  }
  const size_t colon = decoded.find(':');
  int version = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(decoded.substr(kVersionsListStem.size(), colon - kVersionsListStem.size()),
                        &version) ||
      version < 1) {
    return bad;
  }
  absl::StatusOr<std::string> plan =
      DecodePageToken(decoded.substr(0, colon), token, "ListPlanVersions");
  if (!plan.ok() || *plan != plan_id) {
    return bad;
  }
  return version;
}

}  // namespace confide
