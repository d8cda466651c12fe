#include "adapters/persistence/database.h"

#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "adapters/persistence/migrator.h"
#include "adapters/persistence/postgres_transaction_runner.h"
#include "adapters/persistence/sealer_leadership.h"
#include "adapters/persistence/sqlite_transaction_runner.h"
#include "soci/postgresql/soci-postgresql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace confide::persistence {
namespace {

constexpr int kMaintenanceBusyTimeoutMs = 5000;

// A short-lived session of its own for maintenance, so migrations never share a connection
// with the runner's transactions.
std::unique_ptr<soci::session> OpenMaintenanceSession(const DatabaseUrl& url) {
  if (url.dialect == Dialect::kSqlite) {
    auto sql = std::make_unique<soci::session>();
    OpenSqliteSession(*sql, url.connect_string, kMaintenanceBusyTimeoutMs,
                      SqliteConnection::kWriter);
    return sql;
  }
  return std::make_unique<soci::session>(soci::postgresql, url.connect_string);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options) {
  absl::StatusOr<DatabaseUrl> url = ParseDatabaseUrl(options.url);
  if (!url.ok()) {
    return url.status();
  }
  try {
    std::unique_ptr<TransactionRunner> runner;
    if (url->dialect == Dialect::kSqlite) {
      runner = std::make_unique<SqliteTransactionRunner>(
          SqliteOptions{.path = url->connect_string,
                        .read_connections = options.connections,
                        .lease_timeout_ms = options.lease_timeout_ms});
    } else {
      runner = std::make_unique<PostgresTransactionRunner>(
          PostgresOptions{.url = url->connect_string,
                          .pool_size = options.connections,
                          .lease_timeout_ms = options.lease_timeout_ms});
    }
    return std::unique_ptr<Database>(new Database(*std::move(url), std::move(runner)));
  } catch (const std::exception& e) {
    return absl::UnavailableError(e.what());
  }
}

Database::~Database() = default;

absl::StatusOr<std::vector<std::string>> Database::Migrate() {
  try {
    std::unique_ptr<soci::session> sql = OpenMaintenanceSession(url_);
    return ApplyMigrations(*sql, url_.dialect);
  } catch (const std::exception&) {
    return absl::UnavailableError("cannot open the database to migrate it");
  }
}

absl::Status Database::CheckReady() {
  try {
    absl::StatusOr<bool> applied;
    if (url_.dialect == Dialect::kPostgresql) {
      auto* runner = static_cast<PostgresTransactionRunner*>(runner_.get());
      std::unique_ptr<PostgresTransactionRunner::Lease> lease = runner->TryLease();
      if (lease == nullptr) {
        return absl::UnavailableError("no database connection free");
      }
      applied = MigrationsApplied(lease->session(), url_.dialect);
    } else {
      soci::session sql;
      OpenSqliteSession(sql, url_.connect_string, kMaintenanceBusyTimeoutMs,
                        SqliteConnection::kReader);
      applied = MigrationsApplied(sql, url_.dialect);
    }
    if (!applied.ok()) {
      return applied.status();
    }
    return *applied ? absl::OkStatus()
                    : absl::UnavailableError("database migrations are not applied");
  } catch (const std::exception&) {
    return absl::UnavailableError("database unreachable");
  }
}

std::unique_ptr<SealerLeadership> Database::NewSealerLeadership() const {
  if (url_.dialect == Dialect::kSqlite) {
    return std::make_unique<SqliteSealerLeadership>();
  }
  // A follower retries every interval: a dead server must not hold it up for long.
  return std::make_unique<PostgresSealerLeadership>(url_.connect_string + " connect_timeout=5");
}

}  // namespace confide::persistence
