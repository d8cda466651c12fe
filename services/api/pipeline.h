#pragma once

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "services/api/bounded_executor.h"
#include "services/api/method_table.h"
#include "services/auth/authenticator.h"
#include "services/common/clock.h"
#include "services/common/id_generator.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

using RpcResult = absl::StatusOr<std::unique_ptr<google::protobuf::Message>>;

// The steps every RPC goes through, whichever transport brought it: authenticate → authorize →
// validate → handle → audit, all in one unit of work so the audit event commits with the work.
class Pipeline {
 public:
  Pipeline(const MethodTable& methods, const Authenticator& authenticator,
           TransactionRunner& transactions, BoundedExecutor& executor, const Clock& clock,
           IdGenerator& ids)
      : methods_(methods),
        authenticator_(authenticator),
        transactions_(transactions),
        executor_(executor),
        clock_(clock),
        ids_(ids) {}

  // Runs `request` on the executor and calls `done` exactly once, on an executor thread, or at
  // once with RESOURCE_EXHAUSTED when the executor's queue is full.
  void Dispatch(const MethodSpec& method, std::unique_ptr<google::protobuf::Message> request,
                CallContext call, std::function<void(RpcResult)> done);

  // Runs `request` on the calling thread. Never throws.
  RpcResult Execute(const MethodSpec& method, const google::protobuf::Message& request,
                    const CallContext& call);

  const MethodTable& methods() const { return methods_; }

 private:
  RpcResult Run(const MethodSpec& method, const google::protobuf::Message& request,
                const CallContext& call);

  const MethodTable& methods_;
  const Authenticator& authenticator_;
  TransactionRunner& transactions_;
  BoundedExecutor& executor_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace confide
