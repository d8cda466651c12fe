#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/persistence/database_url.h"
#include "services/audit/ports/sealer_leadership.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide::persistence {

struct DatabaseOptions {
  // sqlite:<path> or postgresql://...
  std::string url;
  // SQLite read connections or PostgreSQL pool size.
  int connections = 4;
  int lease_timeout_ms = 5000;
};

// The composition root's handle on storage: the transaction runner of the configured dialect,
// plus migrations and the readiness probe.
class Database {
 public:
  // Opens the database; does not migrate. UNAVAILABLE when it cannot be reached,
  // INVALID_ARGUMENT for a bad url.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const DatabaseOptions& options);
  ~Database();

  TransactionRunner& transactions() { return *runner_; }
  Dialect dialect() const { return url_.dialect; }

  // Applies pending migrations; returns the names applied now.
  absl::StatusOr<std::vector<std::string>> Migrate();
  // OK when the database answers and every migration of this binary is applied.
  absl::Status CheckReady();
  // Who seals the audit trail: on PostgreSQL an advisory lock on a connection of its own (not
  // the pool's), on SQLite always this process.
  std::unique_ptr<SealerLeadership> NewSealerLeadership() const;

 private:
  Database(DatabaseUrl url, std::unique_ptr<TransactionRunner> runner)
      : url_(std::move(url)), runner_(std::move(runner)) {}

  DatabaseUrl url_;
  std::unique_ptr<TransactionRunner> runner_;
};

}  // namespace confide::persistence
