#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "adapters/persistence/database_url.h"

namespace soci {
class session;
}

namespace confide::persistence {

// An empty database of the dialect CONFIDE_TEST_DATABASE names ("sqlite", the default, or
// "postgresql"), made for one test and removed when destroyed: a temp file for SQLite, a
// `confide_t_<hex>` database on the CONFIDE_TEST_POSTGRES_URL server for PostgreSQL.
class ScratchDatabase {
 public:
  // FAILED_PRECONDITION for an unknown dialect or a missing CONFIDE_TEST_POSTGRES_URL,
  // UNAVAILABLE when the PostgreSQL server cannot be reached: a PostgreSQL run must fail, never
  // quietly pass on SQLite.
  static absl::StatusOr<std::unique_ptr<ScratchDatabase>> Create();
  ~ScratchDatabase();

  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  Dialect dialect() const { return dialect_; }
  // What persistence::Database::Open takes: sqlite:<path> or postgresql://.../confide_t_<hex>.
  const std::string& url() const { return url_; }

  // A connection of the test's own, outside the runner under test, for raw SQL.
  std::unique_ptr<soci::session> OpenSession() const;

 private:
  ScratchDatabase(Dialect dialect, std::string url, std::string server_url, std::string name)
      : dialect_(dialect),
        url_(std::move(url)),
        server_url_(std::move(server_url)),
        name_(std::move(name)) {}

  Dialect dialect_;
  std::string url_;
  // PostgreSQL only: the server's own URL (where CREATE/DROP DATABASE run) and our database.
  std::string server_url_;
  std::string name_;
};

}  // namespace confide::persistence
