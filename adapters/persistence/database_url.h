#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace confide::persistence {

enum class Dialect { kSqlite, kPostgresql };

// A parsed `database.url`: `sqlite:<path>` or `postgresql://user:pass@host:port/db`.
struct DatabaseUrl {
  Dialect dialect = Dialect::kSqlite;
  // What the soci backend takes: the SQLite file path, or a libpq keyword/value string made
  // from the URI (soci 4.0 mangles URIs).
  std::string connect_string;
};

// INVALID_ARGUMENT naming the accepted forms when `url` is neither.
absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(std::string_view url);

// "sqlite" or "postgresql": the folder name of the dialect's migrations.
std::string_view DialectName(Dialect dialect);

}  // namespace confide::persistence
