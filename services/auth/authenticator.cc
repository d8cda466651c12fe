#include "services/auth/authenticator.h"

#include "services/auth/ports/session_repository.h"
#include "services/auth/ports/user_repository.h"
#include "services/partners/ports/partner_link_repository.h"

namespace confide {
namespace {

// Tokens are 43 base64url characters; anything far longer is not worth hashing.
constexpr size_t kMaxTokenLength = 256;

absl::Status Unauthenticated() {
  return absl::UnauthenticatedError(
      "sign in first: a valid session is required (Authorization: Bearer, or the portal's cookie)");
}

bool IsLive(const SessionRecord& session, absl::Time now) {
  if (session.revoke_time.has_value() || session.expire_time <= now) {
    return false;
  }
  // Sessions made before idle timeouts existed have none.
  return session.idle_timeout <= absl::ZeroDuration() ||
         session.last_seen_time + session.idle_timeout > now;
}

}  // namespace

absl::StatusOr<Authentication> Authenticator::Authenticate(
    UnitOfWork& uow, std::string_view bearer_token, absl::Time now, bool over_grpc,
    std::optional<SessionRecord>* refused) const {
  if (bearer_token.empty() || bearer_token.size() > kMaxTokenLength) {
    return Unauthenticated();
  }
  absl::StatusOr<std::optional<SessionRecord>> session =
      uow.sessions().FindByDigest(secrets_.Digest(bearer_token));
  if (!session.ok()) {
    return session.status();
  }
  if (!session->has_value()) {
    return Unauthenticated();
  }
  // From here on the token names a real session: a refusal is worth auditing under its account.
  auto refuse = [&]() {
    if (refused != nullptr) {
      *refused = **session;
    }
    return Unauthenticated();
  };
  if (!IsLive(**session, now)) {
    return refuse();
  }
  absl::StatusOr<std::optional<UserRecord>> user = uow.users().FindById((*session)->user_id);
  if (!user.ok()) {
    return user.status();
  }
  if (!user->has_value() || !(*user)->active) {
    return refuse();
  }
  const v1::User& profile = (*user)->user;
  if (profile.role() == v1::ROLE_SERVICE && !over_grpc) {
    // Clinic systems integrate over gRPC; a leaked service token is no use in a browser.
    return refuse();
  }
  if (profile.role() == v1::ROLE_PARTNER) {
    // A partner account exists for its link; once the patient revokes it, the account is out.
    absl::StatusOr<std::optional<PartnerLinkRecord>> link =
        uow.partner_links().FindLiveOfPartner(profile.id());
    if (!link.ok()) {
      return link.status();
    }
    if (!link->has_value()) {
      return refuse();
    }
  }
  Authentication result;
  result.principal = Principal{.user_id = profile.id(),
                               .clinic_id = profile.clinic_id(),
                               .role = profile.role(),
                               .client_id = profile.client_id(),
                               .session_id = (*session)->id,
                               .mfa_verified = (*session)->mfa_verified};
  result.touch_due = now - (*session)->last_seen_time >= kTouchInterval;
  return result;
}

}  // namespace confide
