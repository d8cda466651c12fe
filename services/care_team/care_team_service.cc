#include "services/care_team/care_team_service.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/auth/ports/user_repository.h"
#include "services/clients/ports/care_team_repository.h"
#include "services/common/text_checks.h"

namespace confide {
namespace {

absl::Status ClinicianNotFound() {
  return absl::NotFoundError("no clinician with this user_id in the clinic");
}

// An active clinician of the caller's clinic; NOT_FOUND otherwise.
absl::StatusOr<UserRecord> FindClinician(UnitOfWork& uow, const Principal& who,
                                         std::string_view user_id) {
  if (!IsUuidText(user_id)) {
    return ClinicianNotFound();
  }
  absl::StatusOr<std::optional<UserRecord>> found = uow.users().FindById(user_id);
  if (!found.ok()) {
    return found.status();
  }
  if (!found->has_value() || (*found)->user.clinic_id() != who.clinic_id ||
      (*found)->user.role() != v1::ROLE_CLINICIAN || !(*found)->active) {
    return ClinicianNotFound();
  }
  return **std::move(found);
}

absl::Status ValidateMember(std::string_view client_id, std::string_view user_id) {
  std::vector<FieldViolation> violations;
  if (client_id.empty()) {
    violations.push_back({"client_id", "is required"});
  }
  if (user_id.empty()) {
    violations.push_back({"user_id", "is required"});
  }
  return InvalidFields(violations);
}

}  // namespace

absl::StatusOr<v1::ListCareTeamResponse> CareTeamService::List(RequestScope& scope) {
  absl::StatusOr<std::vector<CareTeamMemberRecord>> members =
      scope.uow.care_teams().List(scope.client_id);
  if (!members.ok()) {
    return members.status();
  }
  v1::ListCareTeamResponse response;
  for (const CareTeamMemberRecord& member : *members) {
    absl::StatusOr<std::optional<UserRecord>> user = scope.uow.users().FindById(member.user_id);
    if (!user.ok()) {
      return user.status();
    }
    v1::CareTeamMemberView* view = response.add_members();
    view->set_user_id(member.user_id);
    view->set_primary(member.is_primary);
    if (user->has_value()) {
      view->set_display_name((*user)->user.display_name());
      view->set_discipline((*user)->user.discipline());
    }
  }
  return response;
}

absl::StatusOr<v1::ListCareTeamResponse> CareTeamService::Add(
    const v1::AddCareTeamMemberRequest& request, RequestScope& scope) {
  absl::StatusOr<UserRecord> clinician =
      FindClinician(scope.uow, *scope.principal, request.user_id());
  if (!clinician.ok()) {
    return clinician.status();
  }
  absl::Status added = scope.uow.care_teams().Add(CareTeamMemberRecord{.client_id = scope.client_id,
                                                                       .user_id = request.user_id(),
                                                                       .is_primary = false,
                                                                       .added_time = scope.now});
  if (!added.ok()) {
    return added.code() == absl::StatusCode::kAlreadyExists
               ? absl::AlreadyExistsError("the clinician is already on the care team")
               : added;
  }
  if (request.primary()) {
    if (absl::Status primary =
            scope.uow.care_teams().SetPrimary(scope.client_id, request.user_id());
        !primary.ok()) {
      return primary;
    }
  }
  return List(scope);
}

absl::StatusOr<v1::ListCareTeamResponse> CareTeamService::Remove(
    const v1::RemoveCareTeamMemberRequest& request, RequestScope& scope) {
  absl::Status removed = scope.uow.care_teams().Remove(scope.client_id, request.user_id());
  if (!removed.ok()) {
    return removed.code() == absl::StatusCode::kNotFound
               ? absl::NotFoundError("the user is not on the care team")
               : removed;
  }
  return List(scope);
}

absl::StatusOr<v1::ListCareTeamResponse> CareTeamService::SetPrimary(
    const v1::SetPrimaryClinicianRequest& request, RequestScope& scope) {
  absl::Status primary = scope.uow.care_teams().SetPrimary(scope.client_id, request.user_id());
  if (!primary.ok()) {
    return primary.code() == absl::StatusCode::kNotFound
               ? absl::NotFoundError("the user is not on the care team")
               : primary;
  }
  return List(scope);
}

void CareTeamService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::ListCareTeamRequest, v1::ListCareTeamResponse>{
      .full_name = "confide.v1.CareTeamService.ListCareTeam",
      .mode = TransactionMode::kRead,
      .action = Action::kReadCareTeam,
      .target_client = [](const v1::ListCareTeamRequest& r) { return r.client_id(); },
      .validate =
          [](const v1::ListCareTeamRequest& r) {
            return r.client_id().empty() ? InvalidField("client_id", "is required")
                                         : absl::OkStatus();
          },
      .handler = [this](const auto&, RequestScope& s) { return List(s); }});
  table.Add(MethodDefinition<v1::AddCareTeamMemberRequest, v1::ListCareTeamResponse>{
      .full_name = "confide.v1.CareTeamService.AddCareTeamMember",
      .mode = TransactionMode::kWrite,
      .action = Action::kManageCareTeam,
      .target_client = [](const v1::AddCareTeamMemberRequest& r) { return r.client_id(); },
      .validate =
          [](const v1::AddCareTeamMemberRequest& r) {
            return ValidateMember(r.client_id(), r.user_id());
          },
      .handler = [this](const auto& r, RequestScope& s) { return Add(r, s); }});
  table.Add(MethodDefinition<v1::RemoveCareTeamMemberRequest, v1::ListCareTeamResponse>{
      .full_name = "confide.v1.CareTeamService.RemoveCareTeamMember",
      .mode = TransactionMode::kWrite,
      .action = Action::kManageCareTeam,
      .target_client = [](const v1::RemoveCareTeamMemberRequest& r) { return r.client_id(); },
      .validate =
          [](const v1::RemoveCareTeamMemberRequest& r) {
            return ValidateMember(r.client_id(), r.user_id());
          },
      .handler = [this](const auto& r, RequestScope& s) { return Remove(r, s); }});
  table.Add(MethodDefinition<v1::SetPrimaryClinicianRequest, v1::ListCareTeamResponse>{
      .full_name = "confide.v1.CareTeamService.SetPrimaryClinician",
      .mode = TransactionMode::kWrite,
      .action = Action::kManageCareTeam,
      .target_client = [](const v1::SetPrimaryClinicianRequest& r) { return r.client_id(); },
      .validate =
          [](const v1::SetPrimaryClinicianRequest& r) {
            return ValidateMember(r.client_id(), r.user_id());
          },
      .handler = [this](const auto& r, RequestScope& s) { return SetPrimary(r, s); }});
}

}  // namespace confide
