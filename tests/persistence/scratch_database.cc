#include "tests/persistence/scratch_database.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <random>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "soci/postgresql/soci-postgresql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"
#include "tests/support/random_hex.h"

namespace confide::persistence {
namespace {

// The same libpq URI naming another database: postgresql://u:p@host:port/<database>?params.
std::string WithDatabase(const std::string& server_url, const std::string& database) {
  const std::size_t authority = server_url.find("://");
  const std::size_t slash =
      server_url.find('/', authority == std::string::npos ? 0 : authority + 3);
  if (slash == std::string::npos) {
    const std::size_t query = server_url.find('?');
    if (query == std::string::npos) {
      return absl::StrCat(server_url, "/", database);
    }
    return absl::StrCat(server_url.substr(0, query), "/", database, server_url.substr(query));
  }
  const std::size_t query = server_url.find('?', slash);
  const std::string rest = query == std::string::npos ? "" : server_url.substr(query);
  return absl::StrCat(server_url.substr(0, slash + 1), database, rest);
}

// A soci session on a postgresql:// URL; soci takes the driver's keyword/value form, not the URI.
std::unique_ptr<soci::session> OpenPostgresSession(const std::string& url) {
  absl::StatusOr<DatabaseUrl> parsed = ParseDatabaseUrl(url);
  if (!parsed.ok()) {
    throw std::invalid_argument(parsed.status().ToString());
  }
  return std::make_unique<soci::session>(soci::postgresql, parsed->connect_string);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ScratchDatabase>> ScratchDatabase::Create() {
  const char* dialect_env = std::getenv("CONFIDE_TEST_DATABASE");
  const std::string dialect = dialect_env == nullptr ? "sqlite" : dialect_env;
  if (dialect == "sqlite") {
    const std::string path = (std::filesystem::temp_directory_path() /
                              absl::StrCat("confide_t_", test_support::RandomHex(), ".db"))
                                 .string();
    return std::unique_ptr<ScratchDatabase>(
        new ScratchDatabase(Dialect::kSqlite, absl::StrCat("sqlite:", path), "", path));
  }
  if (dialect != "postgresql") {
    return absl::FailedPreconditionError(
        absl::StrCat("CONFIDE_TEST_DATABASE must be sqlite or postgresql, not '", dialect, "'"));
  }
  const char* server_env = std::getenv("CONFIDE_TEST_POSTGRES_URL");
  if (server_env == nullptr || *server_env == '\0') {
    return absl::FailedPreconditionError(
        "CONFIDE_TEST_DATABASE=postgresql needs CONFIDE_TEST_POSTGRES_URL "
        "(postgresql://user:password@host:port/database of a role with CREATEDB; "
        "scripts/start-postgres prints one)");
  }
  const std::string server_url = server_env;
  const std::string name = absl::StrCat("confide_t_", test_support::RandomHex());
  try {
    std::unique_ptr<soci::session> server = OpenPostgresSession(server_url);
    // `name` is our own hex, never input: safe to splice into DDL, which takes no parameters.
    *server << "CREATE DATABASE " << name;
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat(
        "cannot create a scratch database on the CONFIDE_TEST_POSTGRES_URL server: ", e.what()));
  }
  return std::unique_ptr<ScratchDatabase>(
      new ScratchDatabase(Dialect::kPostgresql, WithDatabase(server_url, name), server_url, name));
}

ScratchDatabase::~ScratchDatabase() {
  if (dialect_ == Dialect::kSqlite) {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(absl::StrCat(name_, suffix), ignored);
    }
    return;
  }
  try {
    std::unique_ptr<soci::session> server = OpenPostgresSession(server_url_);
    // FORCE ends connections a failed test may have left open.
    *server << "DROP DATABASE IF EXISTS " << name_ << " WITH (FORCE)";
  } catch (const std::exception& e) {
    std::fprintf(stderr, "could not drop scratch database %s: %s\n", name_.c_str(), e.what());
  }
}

std::unique_ptr<soci::session> ScratchDatabase::OpenSession() const {
  if (dialect_ == Dialect::kSqlite) {
    auto sql =
        std::make_unique<soci::session>(soci::sqlite3, absl::StrCat("db=", name_, " timeout=5"));
    *sql << "PRAGMA busy_timeout = 5000";
    return sql;
  }
  return OpenPostgresSession(url_);
}

}  // namespace confide::persistence
