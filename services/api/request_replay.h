#pragma once

#include <optional>
#include <string>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/api/method_table.h"

namespace confide {

// Idempotent creates (CreatePlan, RecordMilestone): a request retried with the same request id
// returns what the first one made instead of making it twice.

// The result of the earlier request `earlier` (looked up by request id in the caller's clinic),
// made by `open`; nullopt when there was none. Only for the same client: the caller may see
// this client's records, and a guessed request id must not reveal another client's, so one
// used for another client is ALREADY_EXISTS.
template <typename Result, typename Record>
absl::StatusOr<std::optional<Result>> ReplayEarlier(
    const RequestScope& scope, absl::StatusOr<std::optional<Record>> earlier,
    absl::FunctionRef<absl::StatusOr<Result>(const Record&)> open) {
  if (!earlier.ok()) {
    return earlier.status();
  }
  if (!earlier->has_value()) {
    return std::nullopt;
  }
  if ((*earlier)->client_id != scope.client_id) {
    return absl::AlreadyExistsError("request_id was already used for another request");
  }
  absl::StatusOr<Result> result = open(**earlier);
  if (!result.ok()) {
    return result.status();
  }
  return *std::move(result);
}

// Runs `create` unless `replay` finds an earlier request with `request_id`, whose result it
// returns instead. When `create` fails with ALREADY_EXISTS because a retry of the same request
// won a race to store, the loser returns the winner's result too. Without a request id there
// is nothing to replay.
template <typename Result>
absl::StatusOr<Result> CreateOnce(const std::string& request_id,
                                  absl::FunctionRef<absl::StatusOr<std::optional<Result>>()> replay,
                                  absl::FunctionRef<absl::StatusOr<Result>()> create) {
  if (request_id.empty()) {
    return create();
  }
  absl::StatusOr<std::optional<Result>> before = replay();
  if (!before.ok()) {
    return before.status();
  }
  if (before->has_value()) {
    return **std::move(before);
  }
  absl::StatusOr<Result> made = create();
  if (made.status().code() != absl::StatusCode::kAlreadyExists) {
    return made;
  }
  absl::StatusOr<std::optional<Result>> winner = replay();
  if (!winner.ok()) {
    return winner.status();
  }
  if (winner->has_value()) {
    return **std::move(winner);
  }
  return made;
}

}  // namespace confide
