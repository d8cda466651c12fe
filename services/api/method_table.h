#pragma once

#include <any>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "services/audit/audit_event.h"
#include "services/common/principal.h"
#include "services/policy/access_policy.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// What a transport knows about a call before the pipeline runs it.
struct CallContext {
  // The bearer token from `Authorization` (REST) or `authorization` metadata (gRPC); may be empty.
  std::string bearer_token;
  // The caller's request id (x-request-id) or one the transport generated; logged and audited.
  std::string request_id;
  std::string source_address;
  // Service tokens are accepted over gRPC only.
  bool over_grpc = false;
};

// What a handler gets besides its request: who calls, the open unit of work, and the audit event
// it may enrich (e.g. the resource it touched).
struct RequestScope {
  // Null only for public methods (Login).
  const Principal* principal;
  UnitOfWork& uow;
  const CallContext& call;
  // The client the request targets after resolving `me`; empty for clinic-level methods.
  std::string client_id;
  AuditEvent& audit;
  absl::Time now;
  // What the method's prepare step left for the handler (empty without one).
  const std::any* prepared = nullptr;
  // Writes that must commit even though the call fails (a failed sign-in counts towards
  // lockout): run after the handler's own writes are rolled back, in the same transaction.
  std::function<absl::Status(UnitOfWork&)> record_failure;
};

// What a prepare step gets: no open transaction (it may run its own read transactions), the
// audit event it may enrich, and a slot for what the handler needs.
struct PrepareScope {
  // The caller, authenticated in a read transaction first; null for public methods.
  const Principal* principal;
  TransactionRunner& transactions;
  const CallContext& call;
  AuditEvent& audit;
  std::any& prepared;
  absl::Time now;
};

// One RPC of the method table, type-erased so both transports can drive it from bytes or JSON.
struct MethodSpec {
  using Handler = std::function<absl::StatusOr<std::unique_ptr<google::protobuf::Message>>(
      const google::protobuf::Message&, RequestScope&)>;

  // Full name, e.g. "confide.v1.ClientService.GetClient".
  std::string full_name;
  const google::protobuf::MethodDescriptor* descriptor = nullptr;
  const google::protobuf::Message* request_prototype = nullptr;
  TransactionMode mode = TransactionMode::kRead;
  // Public methods run without a session (Login, ResetPassword, AcceptInvitation).
  bool is_public = false;
  // May be called by a staff session that has not passed the second factor yet (enrolment,
  // listing and ending sessions). Every other method refuses such a session.
  bool allowed_before_mfa = false;
  // The access the policy is asked for; unset only for public and session-only methods.
  std::optional<Action> action;
  // Returns the client id the request targets (`me` allowed); null for clinic-level methods.
  std::function<std::string(const google::protobuf::Message&)> target_client;
  // Checks the request's fields after authorization; null when there is nothing to check.
  std::function<absl::Status(const google::protobuf::Message&)> validate;
  Handler handler;
  // Optional CPU-heavy work done before the transaction opens (password hashing), so it never
  // holds the SQLite writer or a pooled connection. Runs after validation (and, for methods
  // with a session, after authentication). An error ends the call: it is audited as a failure
  // and the handler does not run. Only for session-only and public methods (no policy action).
  std::function<absl::Status(const google::protobuf::Message&, PrepareScope&)> prepare;
};

// How one typed RPC is registered; `MethodTable::Add` erases the types.
template <typename Request, typename Response>
struct MethodDefinition {
  std::string full_name;
  TransactionMode mode = TransactionMode::kRead;
  bool is_public = false;
  bool allowed_before_mfa = false;
  std::optional<Action> action;
  std::function<std::string(const Request&)> target_client;
  std::function<absl::Status(const Request&)> validate;
  std::function<absl::StatusOr<Response>(const Request&, RequestScope&)> handler;
  std::function<absl::Status(const Request&, PrepareScope&)> prepare;
};

// The one table of RPCs, keyed by full name, shared by the gRPC and REST transports.
class MethodTable {
 public:
  // Registers a method. Aborts at start-up when the name is not an RPC of the generated
  // descriptors with these request and response types: a typo must not reach production.
  template <typename Request, typename Response>
  void Add(MethodDefinition<Request, Response> def);

  // Returns the method or null.
  const MethodSpec* Find(std::string_view full_name) const;
  std::vector<const MethodSpec*> All() const;

 private:
  void Insert(MethodSpec spec, const google::protobuf::Descriptor* request_type,
              const google::protobuf::Descriptor* response_type);

  std::map<std::string, MethodSpec, std::less<>> methods_;
};

template <typename Request, typename Response>
void MethodTable::Add(MethodDefinition<Request, Response> def) {
  MethodSpec spec;
  spec.full_name = def.full_name;
  spec.request_prototype = &Request::default_instance();
  spec.mode = def.mode;
  spec.is_public = def.is_public;
  spec.allowed_before_mfa = def.allowed_before_mfa;
  spec.action = def.action;
  if (def.target_client) {
    spec.target_client = [f = std::move(def.target_client)](const google::protobuf::Message& m) {
      return f(static_cast<const Request&>(m));
    };
  }
  if (def.validate) {
    spec.validate = [f = std::move(def.validate)](const google::protobuf::Message& m) {
      return f(static_cast<const Request&>(m));
    };
  }
  if (def.prepare) {
    spec.prepare = [f = std::move(def.prepare)](const google::protobuf::Message& m,
                                                PrepareScope& s) {
      return f(static_cast<const Request&>(m), s);
    };
  }
  spec.handler = [f = std::move(def.handler)](const google::protobuf::Message& m, RequestScope& s)
      -> absl::StatusOr<std::unique_ptr<google::protobuf::Message>> {
    absl::StatusOr<Response> response = f(static_cast<const Request&>(m), s);
    if (!response.ok()) {
      return response.status();
    }
    return std::make_unique<Response>(*std::move(response));
  };
  Insert(std::move(spec), Request::descriptor(), Response::descriptor());
}

}  // namespace confide
