#include "services/api/pipeline.h"

#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/audit/ports/audit_log.h"
#include "services/clients/ports/client_repository.h"
#include "services/common/text_checks.h"

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

// Resolves the target client, asks the policy, validates and runs the handler. Sets `denied`
// when the policy refused, so the audit event says so.
RpcResult AuthorizeAndHandle(const MethodSpec& method, const google::protobuf::Message& request,
                             RequestScope& scope, bool& denied) {
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
    Decision decision = Decide(who, *method.action, facts.has_value() ? &*facts : nullptr);
    if (decision != Decision::kAllow) {
      denied = true;
      return Refusal(decision);
    }
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
  if (method.prepare) {
    PrepareScope prepare_scope{.transactions = transactions_,
                               .call = call,
                               .audit = base_event,
                               .prepared = prepared,
                               .now = now};
    if (method.validate) {
      prepare_status = method.validate(request);
    }
    if (prepare_status.ok()) {
      prepare_status = method.prepare(request, prepare_scope);
    }
  }
  RpcResult result = absl::InternalError("handler did not run");
  absl::Status transaction = transactions_.Run(method.mode, [&](UnitOfWork& uow) -> absl::Status {
    std::optional<Principal> principal;
    if (!method.is_public) {
      absl::StatusOr<Principal> who = authenticator_.Authenticate(uow, call.bearer_token, now);
      if (!who.ok()) {
        // Nothing was touched and no clinic is known: there is nothing to audit.
        result = who.status();
        return absl::OkStatus();
      }
      principal = *std::move(who);
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
    event.outcome = work.ok() ? "success" : (denied ? "denied" : "failure");
    event.status_code = absl::StatusCodeToString(work.code());
    return uow.audit().Append(event);
  });
  if (!transaction.ok()) {
    return transaction;
  }
  return result;
}

}  // namespace confide
