#include "adapters/persistence/database_url.h"

#include <libpq-fe.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace confide::persistence {
namespace {

// soci 4.0's PostgreSQL backend re-splits its connect string into key=value pairs (to pick out
// its own `singlerows` option) and joins them again, so a libpq URI reaches PQconnectdb as
// "postgresql://...=" and never connects. libpq parses the URI here instead and soci gets
// keyword/value pairs: each value quoted for libpq ('...' with \ and ' escaped) and, when it
// holds a space, wrapped in the double quotes soci itself strips.
absl::StatusOr<std::string> KeywordValueConnectString(const std::string& uri) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return absl::InvalidArgumentError(
        "database url is not a valid postgresql://user:password@host:port/database URI");
  }
  std::string out;
  bool representable = true;
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr || *option->val == '\0') {
      continue;
    }
    const std::string value = option->val;
    std::string quoted = "'";
    for (char c : value) {
      if (c == '\\' || c == '\'') {
        quoted.push_back('\\');
      }
      quoted.push_back(c);
    }
    quoted.push_back('\'');
    if (value.find_first_of(" \t\r\n") != std::string::npos) {
      representable = representable && value.find('"') == std::string::npos;
      quoted = absl::StrCat("\"", quoted, "\"");
    }
    absl::StrAppend(&out, out.empty() ? "" : " ", option->keyword, "=", quoted);
  }
  PQconninfoFree(options);
  if (!representable) {
    return absl::InvalidArgumentError(
        "database url: a value with both spaces and '\"' cannot be passed to the driver");
  }
  return out;
}

}  // namespace

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
    absl::StatusOr<std::string> connect_string = KeywordValueConnectString(std::string(url));
    if (!connect_string.ok()) {
      return connect_string.status();
    }
    return DatabaseUrl{Dialect::kPostgresql, *std::move(connect_string)};
  }
  return absl::InvalidArgumentError(
      "database url must be sqlite:<path> or postgresql://user:password@host:port/database");
}

std::string_view DialectName(Dialect dialect) {
  return dialect == Dialect::kSqlite ? "sqlite" : "postgresql";
}

}  // namespace confide::persistence
