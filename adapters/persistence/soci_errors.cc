#include "adapters/persistence/soci_errors.h"

#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "soci/postgresql/soci-postgresql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace confide::persistence {
namespace {

std::string SqlState(const std::exception& e) {
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    return pg->sqlstate();
  }
  return "";
}

}  // namespace

bool IsConnectionLost(const std::exception& e) {
  if (const auto* soci_error = dynamic_cast<const soci::soci_error*>(&e)) {
    if (soci_error->get_error_category() == soci::soci_error::connection_error) {
      return true;
    }
  }
  const std::string state = SqlState(e);
  return absl::StartsWith(state, "08") || absl::StartsWith(state, "57P");
}

bool IsRetryable(const std::exception& e) {
  const std::string state = SqlState(e);
  if (state == "40001" || state == "40P01") {
    return true;
  }
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    return lite->result() == SQLITE_BUSY || lite->result() == SQLITE_LOCKED;
  }
  return false;
}

absl::Status StatusFromException(const std::exception& e, std::string_view context) {
  std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"database error\",\"context\":\"%.*s\"}\n",
               static_cast<int>(context.size()), context.data());
  const std::string state = SqlState(e);
  if (state == "23505") {
    return absl::AlreadyExistsError("a record with this identity already exists");
  }
  // Class 22 (data exception): a value the column cannot hold. Validation should have caught it;
  // this keeps a miss from turning into a 500.
  if (state.size() == 5 && state.compare(0, 2, "22") == 0) {
    return absl::InvalidArgumentError("a value in the request cannot be stored");
  }
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    if (lite->result() == SQLITE_CONSTRAINT &&
        absl::StrContains(e.what(), "UNIQUE constraint failed")) {
      return absl::AlreadyExistsError("a record with this identity already exists");
    }
  }
  if (IsConnectionLost(e) || IsRetryable(e)) {
    return absl::UnavailableError("the database is unavailable; retry shortly");
  }
  return absl::InternalError("internal storage error");
}

}  // namespace confide::persistence
