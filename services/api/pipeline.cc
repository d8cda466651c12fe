#include "services/api/pipeline.h"

#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/api/error_info.h"
#include "services/audit/ports/audit_log.h"
#include "services/auth/ports/session_repository.h"
#include "services/break_glass/ports/break_glass_repository.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/text_checks.h"
#include "services/partners/ports/partner_link_repository.h"

namespace confide {
namespace {

constexpr std::string_view kMe = "me";

absl::Status ClientNotFound() { return absl::NotFoundError("client not found"); }

// Maps a policy refusal to the answer the caller gets.
absl::Status Refusal(Decision decision) {
  return decision == Decision::kNotFound
             ? ClientNotFound()
             : absl::PermissionDeniedError("the caller's role may not perform this action");
}

absl::Status MfaEnrollmentRequired() {
  return WithErrorInfo(
      absl::PermissionDeniedError("this staff session has no second factor yet: enrol TOTP with "
                                  "AuthService.BeginTotpEnrollment and ConfirmTotpEnrollment"),
      "MFA_ENROLLMENT_REQUIRED");
}

// A staff session without a checked second factor may only call the enrolment methods.
bool NeedsMfaFirst(const MethodSpec& method, const Principal& who) {
  return IsStaffRole(who.role) && !who.mfa_verified && !method.allowed_before_mfa;
}

// Looks up what Decide needs beyond the record: the caller's break-glass grant or partner link.
absl::StatusOr<CallerRelation> RelationTo(const Principal& who, const ClientAccessFacts& client,
                                          UnitOfWork& uow, absl::Time now) {
  CallerRelation relation;
  if (who.role == v1::ROLE_CLINICIAN && !IsOnCareTeam(who, client)) {
    absl::StatusOr<std::optional<absl::Time>> until =
        uow.break_glass().LiveUntil(who.user_id, client.client_id, now);
    if (!until.ok()) {
      return until.status();
    }
    relation.break_glass_live = until->has_value();
  }
  if (who.role == v1::ROLE_PARTNER) {
    absl::StatusOr<std::optional<PartnerLinkRecord>> link =
        uow.partner_links().FindLiveOfPartner(who.user_id);
    if (!link.ok()) {
      return link.status();
    }
    if (link->has_value() && (*link)->client_id == client.client_id &&
        (*link)->clinic_id == who.clinic_id) {
      relation.partner_shares = (*link)->shares;
    }
  }
  return relation;
}

// Resolves the target client, asks the policy, validates and runs the handler. Sets `denied`
// when the policy refused, so the audit event says so.
RpcResult AuthorizeAndHandle(const MethodSpec& method, const google::protobuf::Message& request,
                             RequestScope& scope, bool& denied) {
  if (!method.is_public && NeedsMfaFirst(method, *scope.principal)) {
    // Before any lookup, so the answer is the same whether or not a record exists.
    denied = true;
    return MfaEnrollmentRequired();
  }
  if (!method.is_public && method.action.has_value()) {
    const Principal& who = *scope.principal;
    std::optional<ClientAccessFacts> facts;
    if (method.target_client) {
      std::string target = method.target_client(request);
      if (target == kMe) {
        target = who.client_id;
      }
      if (target.empty()) {
        // Let validation name the missing field; with nothing to name it is simply not found.
        if (method.validate) {
          if (absl::Status valid = method.validate(request); !valid.ok()) {
            return valid;
          }
        }
        return ClientNotFound();
      }
      // Ids are UUIDs: anything else cannot exist, and must not reach storage or the audit trail.
      if (!IsUuidText(target)) {
        return ClientNotFound();
      }
      scope.client_id = target;
      scope.audit.client_id = target;
      scope.audit.resource = absl::StrCat("clients/", target);
      absl::StatusOr<std::optional<ClientAccessFacts>> found =
          scope.uow.clients().FindAccessFacts(who.clinic_id, target);
      if (!found.ok()) {
        return found.status();
      }
      if (!found->has_value()) {
        return ClientNotFound();
      }
      facts = **found;
    }
    CallerRelation relation;
    if (facts.has_value()) {
      absl::StatusOr<CallerRelation> related = RelationTo(who, *facts, scope.uow, scope.now);
      if (!related.ok()) {
        return related.status();
      }
      relation = *related;
    }
    Decision decision =
        Decide(who, *method.action, facts.has_value() ? &*facts : nullptr, relation);
    if (decision != Decision::kAllow) {
      denied = true;
      return Refusal(decision);
    }
    scope.audit.break_glass = facts.has_value() && *method.action != Action::kBreakGlass &&
                              ServedByBreakGlass(who, *facts, relation);
  }
  // A method with a prepare step was validated before it (Pipeline::Run).
  if (method.validate && !method.prepare) {
    if (absl::Status valid = method.validate(request); !valid.ok()) {
      return valid;
    }
  }
  return method.handler(request, scope);
}

}  // namespace

void Pipeline::Dispatch(const MethodSpec& method,
                        std::unique_ptr<google::protobuf::Message> request, CallContext call,
                        std::function<void(RpcResult)> done) {
  // std::function needs a copyable callable, so the moved-in state rides in a shared_ptr.
  struct Pending {
    std::unique_ptr<google::protobuf::Message> request;
    CallContext call;
    std::function<void(RpcResult)> done;
  };
  auto pending =
      std::make_shared<Pending>(Pending{std::move(request), std::move(call), std::move(done)});
  bool queued = executor_.TrySubmit([this, &method, pending] {
    pending->done(Execute(method, *pending->request, pending->call));
  });
  if (!queued) {
    pending->done(
        executor_.stopping()
            ? absl::UnavailableError("the server is shutting down; retry on another server")
            : absl::ResourceExhaustedError("the server is busy; retry after a short wait"));
  }
}

RpcResult Pipeline::Execute(const MethodSpec& method, const google::protobuf::Message& request,
                            const CallContext& call) {
  try {
    return Run(method, request, call);
  } catch (const std::exception&) {
    // Handlers report errors as Status; an exception here is a bug, not a client error.
    return absl::InternalError("internal error");
  }
}

RpcResult Pipeline::Run(const MethodSpec& method, const google::protobuf::Message& request,
                        const CallContext& call) {
  const absl::Time now = clock_.Now();
  AuditEvent base_event;
  base_event.time = now;
  base_event.action = method.full_name;
  base_event.request_id = call.request_id;
  base_event.source_address = call.source_address;
  std::any prepared;
  absl::Status prepare_status;
  bool skip_prepare = false;
  if (method.prepare) {
    std::optional<Principal> caller;
    if (!method.is_public) {
      absl::Status authenticated = transactions_.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
        absl::StatusOr<Authentication> who =
            authenticator_.Authenticate(uow, call.bearer_token, now, call.over_grpc);
        if (!who.ok()) {
          return who.status();
        }
        caller = std::move(who->principal);
        return absl::OkStatus();
      });
      if (!authenticated.ok() && authenticated.code() != absl::StatusCode::kUnauthenticated) {
        return authenticated;
      }
      if (caller.has_value()) {
        base_event.actor_user_id = caller->user_id;
        base_event.actor_role = RoleName(caller->role);
        base_event.clinic_id = caller->clinic_id;
      }
    }
    // A refused caller's request does no work: the handler step below audits the refusal.
    // An unauthenticated caller is refused (and, for an ended session, audited) by the main
    // path, which authenticates again.
    skip_prepare = !method.is_public && (!caller.has_value() || NeedsMfaFirst(method, *caller));
    PrepareScope prepare_scope{.principal = caller.has_value() ? &*caller : nullptr,
                               .transactions = transactions_,
                               .call = call,
                               .audit = base_event,
                               .prepared = prepared,
                               .now = now};
    if (method.validate && !skip_prepare) {
      prepare_status = method.validate(request);
    }
    if (prepare_status.ok() && !skip_prepare) {
      prepare_status = method.prepare(request, prepare_scope);
    }
  }
  RpcResult result = absl::InternalError("handler did not run");
  std::string touch_session_id;
  absl::Status transaction = transactions_.Run(method.mode, [&](UnitOfWork& uow) -> absl::Status {
    std::optional<Principal> principal;
    if (!method.is_public) {
      std::optional<SessionRecord> refused;
      absl::StatusOr<Authentication> who =
          authenticator_.Authenticate(uow, call.bearer_token, now, call.over_grpc, &refused);
      if (!who.ok()) {
        result = who.status();
        if (!refused.has_value()) {
          // An unknown token names no account or clinic: there is nothing to audit it under.
          return absl::OkStatus();
        }
        // A token of an ended session (or a deactivated account) may be a stolen one: the
        // attempt goes into that clinic's trail.
        AuditEvent event = base_event;
        event.id = ids_.NewId();
        event.actor_user_id = refused->user_id;
        event.clinic_id = refused->clinic_id;
        event.resource = absl::StrCat("sessions/", refused->id);
        event.outcome = "denied";
        event.status_code = absl::StatusCodeToString(who.status().code());
        return uow.audit().Append(event);
      }
      principal = std::move(who->principal);
      if (who->touch_due) {
        touch_session_id = principal->session_id;
      }
    }
    AuditEvent event = base_event;
    event.id = ids_.NewId();
    if (principal.has_value()) {
      event.actor_user_id = principal->user_id;
      event.actor_role = RoleName(principal->role);
      event.clinic_id = principal->clinic_id;
    }
    RequestScope scope{.principal = principal.has_value() ? &*principal : nullptr,
                       .uow = uow,
                       .call = call,
                       .client_id = {},
                       .audit = event,
                       .now = now,
                       .prepared = &prepared};
    bool denied = false;
    absl::Status work = prepare_status;
    if (work.ok()) {
      work = uow.Atomically([&]() -> absl::Status {
        result = AuthorizeAndHandle(method, request, scope, denied);
        return result.status();
      });
    } else {
      result = prepare_status;
    }
    if (!work.ok() && scope.record_failure) {
      if (absl::Status recorded = scope.record_failure(uow); !recorded.ok()) {
        return recorded;
      }
    }
    event.outcome = work.ok() ? "success" : (denied ? "denied" : "failure");
    event.status_code = absl::StatusCodeToString(work.code());
    return uow.audit().Append(event);
  });
  if (!transaction.ok()) {
    return transaction;
  }
  if (!touch_session_id.empty()) {
    // Recorded after the call, in its own small write, so read requests stay on read
    // connections. A failure only makes the idle timeout count from an older time.
    transactions_
        .Run(TransactionMode::kWrite,
             [&](UnitOfWork& uow) { return uow.sessions().Touch(touch_session_id, now); })
        .IgnoreError();
  }
  return result;
}

}  // namespace confide
