#include "adapters/persistence/migrator.h"

#include <libpq-fe.h>

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "adapters/persistence/soci_errors.h"
#include "soci/postgresql/soci-postgresql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace confide::persistence {
namespace {

std::vector<const Migration*> MigrationsOf(Dialect dialect) {
  std::vector<const Migration*> selected;
  for (const Migration& m : EmbeddedMigrations()) {
    if (m.dialect == DialectName(dialect)) {
      selected.push_back(&m);
    }
  }
  std::sort(selected.begin(), selected.end(),
            [](const Migration* a, const Migration* b) { return a->name < b->name; });
  return selected;
}

// Migration files hold many statements (and PostgreSQL function bodies); soci prepares one
// statement at a time, so the file goes to the driver's own multi-statement call.
void ExecuteScript(soci::session& sql, Dialect dialect, const std::string& script) {
  if (dialect == Dialect::kSqlite) {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
    char* error = nullptr;
    if (sqlite_api::sqlite3_exec(backend->conn_, script.c_str(), nullptr, nullptr, &error) !=
        SQLITE_OK) {
      std::string message = error != nullptr ? error : "unknown error";
      sqlite_api::sqlite3_free(error);
      throw soci::soci_error(message);
    }
    return;
  }
  auto* backend = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
  PGresult* result = PQexec(backend->conn_, script.c_str());
  const ExecStatusType status = PQresultStatus(result);
  std::string message = PQresultErrorMessage(result);
  PQclear(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw soci::soci_error(message);
  }
}

void EnsureMigrationTable(soci::session& sql) {
  sql << "CREATE TABLE IF NOT EXISTS schema_migrations ("
         "name TEXT PRIMARY KEY, applied_time BIGINT NOT NULL)";
}

std::set<std::string> AppliedNames(soci::session& sql) {
  std::set<std::string> names;
  std::string name;
  soci::statement st = (sql.prepare << "SELECT name FROM schema_migrations", soci::into(name));
  st.execute();
  while (st.fetch()) {
    names.insert(name);
  }
  return names;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ApplyMigrations(soci::session& sql, Dialect dialect) {
  std::vector<std::string> applied_now;
  try {
    EnsureMigrationTable(sql);
    const std::vector<const Migration*> known = MigrationsOf(dialect);
    std::set<std::string> applied = AppliedNames(sql);
    for (const std::string& name : applied) {
      if (std::none_of(known.begin(), known.end(),
                       [&](const Migration* m) { return m->name == name; })) {
        return absl::FailedPreconditionError(
            absl::StrCat("database has migration ", name,
                         " that this binary does not know; run a newer confide-server"));
      }
    }
    for (const Migration* m : known) {
      if (applied.count(m->name) > 0) {
        continue;
      }
      // BEGIN IMMEDIATE on SQLite takes the write lock now, so two servers starting at once
      // cannot both apply the same migration.
      sql << (dialect == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
      try {
        if (dialect == Dialect::kPostgresql) {
          sql << "LOCK TABLE schema_migrations IN EXCLUSIVE MODE";
        }
        if (AppliedNames(sql).count(m->name) == 0) {
          ExecuteScript(sql, dialect, m->sql);
          long long now = absl::ToUnixMicros(absl::Now());
          sql << "INSERT INTO schema_migrations (name, applied_time) VALUES (:name, :time)",
              soci::use(m->name), soci::use(now);
          applied_now.push_back(m->name);
        }
        sql << "COMMIT";
      } catch (...) {
        sql << "ROLLBACK";
        throw;
      }
    }
  } catch (const std::exception& e) {
    return StatusFromException(e, "applying migrations");
  }
  return applied_now;
}

absl::StatusOr<bool> MigrationsApplied(soci::session& sql, Dialect dialect) {
  try {
    std::set<std::string> applied;
    try {
      applied = AppliedNames(sql);
    } catch (const soci::soci_error& e) {
      // Only a missing table means "not migrated"; anything else (a lost connection) is an
      // outage and must say so.
      const std::string what = e.what();
      if (what.find("schema_migrations") == std::string::npos) {
        throw;
      }
      return false;
    }
    for (const Migration* m : MigrationsOf(dialect)) {
      if (applied.count(m->name) == 0) {
        return false;
      }
    }
    return true;
  } catch (const std::exception& e) {
    return StatusFromException(e, "checking migrations");
  }
}

}  // namespace confide::persistence
