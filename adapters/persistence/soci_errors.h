#pragma once

#include <exception>
#include <string_view>

#include "absl/status/status.h"

namespace confide::persistence {

// Translates an exception thrown by soci (or the standard library under it) into a Status safe
// to show a client: unique violations become ALREADY_EXISTS, lost connections and lock
// timeouts UNAVAILABLE, everything else INTERNAL. The database's own message, which can quote
// values, never reaches the client; it goes to stderr under `context`.
absl::Status StatusFromException(const std::exception& e, std::string_view context);

// True for errors worth running the whole transaction again: PostgreSQL serialization
// failures and deadlocks, SQLite busy.
bool IsRetryable(const std::exception& e);

// True when the exception means the connection is gone and must be replaced.
bool IsConnectionLost(const std::exception& e);

}  // namespace confide::persistence
