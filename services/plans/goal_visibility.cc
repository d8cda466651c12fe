#include "services/plans/goal_visibility.h"

#include <optional>

#include "services/clients/ports/client_repository.h"
#include "services/partners/ports/partner_link_repository.h"
#include "services/policy/access_policy.h"

namespace confide {

absl::StatusOr<bool> MaySeeGoals(RequestScope& scope) {
  const Principal& who = *scope.principal;
  if (who.role != v1::ROLE_PARTNER) {
    return true;
  }
  absl::StatusOr<std::optional<ClientAccessFacts>> facts =
      scope.uow.clients().FindAccessFacts(who.clinic_id, scope.client_id);
  if (!facts.ok()) {
    return facts.status();
  }
  absl::StatusOr<std::optional<PartnerLinkRecord>> link =
      scope.uow.partner_links().FindLiveOfPartner(who.user_id);
  if (!link.ok()) {
    return link.status();
  }
  if (!facts->has_value() || !link->has_value() || (*link)->client_id != scope.client_id) {
    return false;
  }
  CallerRelation relation{.partner_shares = (*link)->shares};
  return Decide(who, Action::kReadGoals, &**facts, relation) == Decision::kAllow;
}

}  // namespace confide
