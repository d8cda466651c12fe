#include "adapters/persistence/database_url.h"


namespace confide::persistence {

absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(std::string_view url) {
  if (url.starts_with("sqlite:")) {
    url.remove_prefix(7);
    if (url.starts_with("//")) {
      url.remove_prefix(2);
    }
    if (url.empty()) {
      return absl::InvalidArgumentError("database url: sqlite: needs a file path");
    }
    return DatabaseUrl{Dialect::kSqlite, std::string(url)};
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return DatabaseUrl{Dialect::kPostgresql, std::string(url)};
  }
  return absl::InvalidArgumentError(
      "database url must be sqlite:<path> or postgresql://user:password@host:port/database");
}

std::string_view DialectName(Dialect dialect) {
  return dialect == Dialect::kSqlite ? "sqlite" : "postgresql";
}

}  // namespace confide::persistence
