#include "services/partners/portal_access_service.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/api/field_errors.h"
#include "services/auth/invitations.h"
#include "services/auth/ports/session_repository.h"
#include "services/auth/ports/user_repository.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/text_checks.h"
#include "services/common/timestamps.h"
#include "services/consents/consent_requirements.h"
#include "services/partners/partner_revocation.h"
#include "services/partners/ports/partner_link_repository.h"
#include "services/policy/access_policy.h"
#include "services/staff/staff_service.h"

namespace confide {
namespace {

absl::Status PartnerNotFound() { return absl::NotFoundError("partner link not found"); }

absl::Status ValidateShares(const google::protobuf::RepeatedField<int>& shares) {
  for (int share : shares) {
    if (share == v1::PARTNER_SHARE_UNSPECIFIED || !v1::PartnerShare_IsValid(share)) {
      return InvalidField("shares", "holds an unknown share kind");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateClientId(std::string_view client_id) {
  return client_id.empty() ? InvalidField("client_id", "is required") : absl::OkStatus();
}

absl::Status ValidateLink(std::string_view client_id, std::string_view link_id) {
  std::vector<FieldViolation> violations;
  if (client_id.empty()) {
    violations.push_back({"client_id", "is required"});
  }
  if (link_id.empty()) {
    violations.push_back({"partner_link_id", "is required"});
  }
  return InvalidFields(violations);
}

// The patient's own link `link_id`; NOT_FOUND for links of other clients.
absl::StatusOr<PartnerLinkRecord> FindLink(RequestScope& scope, std::string_view link_id) {
  if (!IsUuidText(link_id)) {
    return PartnerNotFound();
  }
  absl::StatusOr<std::optional<PartnerLinkRecord>> link =
      scope.uow.partner_links().Find(scope.principal->clinic_id, link_id);
  if (!link.ok()) {
    return link.status();
  }
  if (!link->has_value() || (*link)->client_id != scope.client_id) {
    return PartnerNotFound();
  }
  return **std::move(link);
}

absl::StatusOr<v1::PartnerLink> ToPartnerLink(UnitOfWork& uow, const PartnerLinkRecord& record) {
  v1::PartnerLink link;
  link.set_id(record.id);
  link.set_partner_user_id(record.partner_user_id);
  absl::StatusOr<std::optional<UserRecord>> partner = uow.users().FindById(record.partner_user_id);
  if (!partner.ok()) {
    return partner.status();
  }
  if (partner->has_value()) {
    link.set_partner_display_name((*partner)->user.display_name());
  }
  for (v1::PartnerShare share : BitsToShares(record.shares)) {
    link.add_shares(share);
  }
  *link.mutable_create_time() = ToTimestamp(record.create_time);
  *link.mutable_update_time() = ToTimestamp(record.update_time);
  if (record.revoke_time.has_value()) {
    *link.mutable_revoke_time() = ToTimestamp(*record.revoke_time);
  }
  return link;
}

}  // namespace

uint32_t SharesToBits(const google::protobuf::RepeatedField<int>& shares) {
  uint32_t bits = 0;
  for (int share : shares) {
    bits |= ShareBit(share);
  }
  return bits;
}

std::vector<v1::PartnerShare> BitsToShares(uint32_t bits) {
  std::vector<v1::PartnerShare> shares;
  for (int share = v1::PartnerShare_MIN; share <= v1::PartnerShare_MAX; ++share) {
    if (share != v1::PARTNER_SHARE_UNSPECIFIED && (bits & ShareBit(share)) != 0) {
      shares.push_back(static_cast<v1::PartnerShare>(share));
    }
  }
  return shares;
}

absl::StatusOr<v1::Invitation> PortalAccessService::InviteClient(
    const v1::InviteClientToPortalRequest& request, RequestScope& scope) {
  absl::StatusOr<std::optional<ClientRecord>> client =
      scope.uow.clients().Find(scope.principal->clinic_id, scope.client_id);
  if (!client.ok()) {
    return client.status();
  }
  if (!client->has_value()) {
    return absl::NotFoundError("client not found");
  }
  absl::StatusOr<std::optional<UserRecord>> account =
      scope.uow.users().FindPatientOfClient(scope.principal->clinic_id, scope.client_id);
  if (!account.ok()) {
    return account.status();
  }
  OneTimeTokenRecord record;
  record.clinic_id = scope.principal->clinic_id;
  record.client_id = scope.client_id;
  record.created_by = scope.principal->user_id;
  if (account->has_value()) {
    // She already has an account: a reset link goes to the account's own address.
    record.purpose = TokenPurpose::kPasswordReset;
    record.user_id = (*account)->user.id();
    return IssueOneTimeToken(scope.uow, secrets_, ids_, box_, std::move(record),
                             (*account)->user.email(), scope.now, kPasswordResetLifetime);
  }
  const v1::Client& c = (*client)->client;
  record.purpose = TokenPurpose::kPatientInvitation;
  record.email = absl::AsciiStrToLower(request.email().empty() ? c.email() : request.email());
  if (absl::Status email = ValidateInviteEmail(record.email, "email"); !email.ok()) {
    return InvalidField("email", "is required when the client record has no email address");
  }
  record.display_name = c.preferred_name().empty() ? c.legal_given_name() : c.preferred_name();
  record.role = v1::ROLE_PATIENT;
  const std::string recipient = record.email;
  return IssueOneTimeToken(scope.uow, secrets_, ids_, box_, std::move(record), recipient, scope.now,
                           kInvitationLifetime);
}

absl::StatusOr<v1::Invitation> PortalAccessService::InvitePartner(
    const v1::InvitePartnerRequest& request, RequestScope& scope) {
  // No partner is invited or shown anything without the client's consent to involve one.
  if (absl::Status consent = RequireConsent(scope.uow, scope.principal->clinic_id, scope.client_id,
                                            v1::CONSENT_KIND_PARTNER_INVOLVEMENT);
      !consent.ok()) {
    return consent;
  }
  OneTimeTokenRecord record;
  record.purpose = TokenPurpose::kPartnerInvitation;
  record.clinic_id = scope.principal->clinic_id;
  record.client_id = scope.client_id;
  record.email = NormalizeEmail(request.email());
  record.display_name = std::string(absl::StripAsciiWhitespace(request.display_name()));
  record.role = v1::ROLE_PARTNER;
  record.partner_shares = SharesToBits(request.shares());
  record.created_by = scope.principal->user_id;
  const std::string recipient = record.email;
  return IssueOneTimeToken(scope.uow, secrets_, ids_, box_, std::move(record), recipient, scope.now,
                           kInvitationLifetime);
}

absl::StatusOr<v1::ListPartnersResponse> PortalAccessService::ListPartners(RequestScope& scope) {
  absl::StatusOr<std::vector<PartnerLinkRecord>> links =
      scope.uow.partner_links().ListOfClient(scope.principal->clinic_id, scope.client_id);
  if (!links.ok()) {
    return links.status();
  }
  v1::ListPartnersResponse response;
  for (const PartnerLinkRecord& record : *links) {
    absl::StatusOr<v1::PartnerLink> link = ToPartnerLink(scope.uow, record);
    if (!link.ok()) {
      return link.status();
    }
    *response.add_partners() = *std::move(link);
  }
  return response;
}

absl::StatusOr<v1::PartnerLink> PortalAccessService::UpdateShares(
    const v1::UpdatePartnerSharesRequest& request, RequestScope& scope) {
  absl::StatusOr<PartnerLinkRecord> link = FindLink(scope, request.partner_link_id());
  if (!link.ok()) {
    return link.status();
  }
  if (link->revoke_time.has_value()) {
    return absl::FailedPreconditionError("the partner link is revoked; invite the partner again");
  }
  const uint32_t shares = SharesToBits(request.shares());
  // Showing the partner more needs the client's consent in force; showing her less (or the
  // same) never does, so a client can always narrow what a partner sees.
  if ((shares & ~link->shares) != 0) {
    if (absl::Status consent =
            RequireConsent(scope.uow, scope.principal->clinic_id, scope.client_id,
                           v1::CONSENT_KIND_PARTNER_INVOLVEMENT);
        !consent.ok()) {
      return consent;
    }
  }
  link->shares = shares;
  link->update_time = scope.now;
  if (absl::Status s = scope.uow.partner_links().UpdateShares(link->id, link->shares, scope.now);
      !s.ok()) {
    return s;
  }
  return ToPartnerLink(scope.uow, *link);
}

absl::StatusOr<v1::PartnerLink> PortalAccessService::Revoke(const v1::RevokePartnerRequest& request,
                                                            RequestScope& scope) {
  absl::StatusOr<PartnerLinkRecord> link = FindLink(scope, request.partner_link_id());
  if (!link.ok()) {
    return link.status();
  }
  if (absl::Status s = RevokePartnerLink(scope.uow, *link, scope.now); !s.ok()) {
    return s;
  }
  return ToPartnerLink(scope.uow, *link);
}

absl::StatusOr<v1::PartnerView> PortalAccessService::GetPartnerView(RequestScope& scope) {
  absl::StatusOr<std::optional<ClientRecord>> client =
      scope.uow.clients().Find(scope.principal->clinic_id, scope.client_id);
  if (!client.ok()) {
    return client.status();
  }
  absl::StatusOr<std::optional<PartnerLinkRecord>> link =
      scope.uow.partner_links().FindLiveOfPartner(scope.principal->user_id);
  if (!link.ok()) {
    return link.status();
  }
  if (!client->has_value() || !link->has_value()) {
    return absl::NotFoundError("client not found");
  }
  const v1::Client& c = (*client)->client;
  v1::PartnerView view;
  view.set_client_id(c.id());
  view.set_display_name(c.preferred_name().empty() ? c.legal_given_name() : c.preferred_name());
  for (v1::PartnerShare share : BitsToShares((*link)->shares)) {
    view.add_shares(share);
  }
  return view;
}

void PortalAccessService::Register(MethodTable& table) {
  table.Add(MethodDefinition<v1::InviteClientToPortalRequest, v1::Invitation>{
      .full_name = "confide.v1.PortalAccessService.InviteClientToPortal",
      .mode = TransactionMode::kWrite,
      .action = Action::kInviteToPortal,
      .target_client = [](const v1::InviteClientToPortalRequest& r) { return r.client_id(); },
      .validate =
          [](const v1::InviteClientToPortalRequest& r) {
            if (absl::Status id = ValidateClientId(r.client_id()); !id.ok()) {
              return id;
            }
            return r.email().empty() ? absl::OkStatus() : ValidateInviteEmail(r.email(), "email");
          },
      .handler = [this](const auto& r, RequestScope& s) { return InviteClient(r, s); }});
  table.Add(MethodDefinition<v1::InvitePartnerRequest, v1::Invitation>{
      .full_name = "confide.v1.PortalAccessService.InvitePartner",
      .mode = TransactionMode::kWrite,
      .action = Action::kManagePartners,
      .target_client = [](const v1::InvitePartnerRequest& r) { return r.client_id(); },
      .validate =
          [](const v1::InvitePartnerRequest& r) {
            std::vector<FieldViolation> violations;
            if (r.client_id().empty()) {
              violations.push_back({"client_id", "is required"});
            }
            if (!ValidateInviteEmail(r.email(), "email").ok()) {
              violations.push_back({"email", "must be an email address (at most 254 characters)"});
            }
            if (!ValidateDisplayName(r.display_name(), "display_name", true).ok()) {
              violations.push_back({"display_name", "is required (at most 200 characters)"});
            }
            if (!ValidateShares(r.shares()).ok()) {
              violations.push_back({"shares", "holds an unknown share kind"});
            }
            return InvalidFields(violations);
          },
      .handler = [this](const auto& r, RequestScope& s) { return InvitePartner(r, s); }});
  table.Add(MethodDefinition<v1::ListPartnersRequest, v1::ListPartnersResponse>{
      .full_name = "confide.v1.PortalAccessService.ListPartners",
      .mode = TransactionMode::kRead,
      .action = Action::kManagePartners,
      .target_client = [](const v1::ListPartnersRequest& r) { return r.client_id(); },
      .validate = [](const v1::ListPartnersRequest& r) { return ValidateClientId(r.client_id()); },
      .handler = [this](const auto&, RequestScope& s) { return ListPartners(s); }});
  table.Add(MethodDefinition<v1::UpdatePartnerSharesRequest, v1::PartnerLink>{
      .full_name = "confide.v1.PortalAccessService.UpdatePartnerShares",
      .mode = TransactionMode::kWrite,
      .action = Action::kManagePartners,
      .target_client = [](const v1::UpdatePartnerSharesRequest& r) { return r.client_id(); },
      .validate =
          [](const v1::UpdatePartnerSharesRequest& r) {
            if (absl::Status link = ValidateLink(r.client_id(), r.partner_link_id()); !link.ok()) {
              return link;
            }
            return ValidateShares(r.shares());
          },
      .handler = [this](const auto& r, RequestScope& s) { return UpdateShares(r, s); }});
  table.Add(MethodDefinition<v1::RevokePartnerRequest, v1::PartnerLink>{
      .full_name = "confide.v1.PortalAccessService.RevokePartner",
      .mode = TransactionMode::kWrite,
      .action = Action::kManagePartners,
      .target_client = [](const v1::RevokePartnerRequest& r) { return r.client_id(); },
      .validate =
          [](const v1::RevokePartnerRequest& r) {
            return ValidateLink(r.client_id(), r.partner_link_id());
          },
      .handler = [this](const auto& r, RequestScope& s) { return Revoke(r, s); }});
  table.Add(MethodDefinition<v1::GetPartnerViewRequest, v1::PartnerView>{
      .full_name = "confide.v1.PortalAccessService.GetPartnerView",
      .mode = TransactionMode::kRead,
      .action = Action::kReadPartnerView,
      .target_client = [](const v1::GetPartnerViewRequest& r) { return r.client_id(); },
      .validate =
          [](const v1::GetPartnerViewRequest& r) { return ValidateClientId(r.client_id()); },
      .handler = [this](const auto&, RequestScope& s) { return GetPartnerView(s); }});
}

}  // namespace confide
