#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/persistence/database_url.h"

namespace soci {
class session;
}

namespace confide::persistence {

// One numbered SQL file of one dialect, e.g. {"sqlite", "0001_initial", "CREATE ..."}.
struct Migration {
  std::string dialect;
  std::string name;
  std::string sql;
};

// The migrations compiled into this binary, in file-name order.
const std::vector<Migration>& EmbeddedMigrations();

// Applies, in order, each migration of `dialect` not yet in `schema_migrations`, each in its own
// transaction. Returns the names applied now. Refuses (FAILED_PRECONDITION) a database that has
// migrations this binary does not know: it was migrated by a newer version.
absl::StatusOr<std::vector<std::string>> ApplyMigrations(soci::session& sql, Dialect dialect);

// True when every migration of this binary has been applied (what /readyz checks).
absl::StatusOr<bool> MigrationsApplied(soci::session& sql, Dialect dialect);

}  // namespace confide::persistence
