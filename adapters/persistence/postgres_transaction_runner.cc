#include "adapters/persistence/postgres_transaction_runner.h"

#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "adapters/persistence/soci_errors.h"
#include "adapters/persistence/soci_unit_of_work.h"
#include "soci/postgresql/soci-postgresql.h"
#include "soci/soci.h"

namespace confide::persistence {

PostgresTransactionRunner::Lease::~Lease() {
  if (pool_ != nullptr) {
    pool_->give_back(position_);
  }
}

soci::session& PostgresTransactionRunner::Lease::session() { return pool_->at(position_); }

PostgresTransactionRunner::PostgresTransactionRunner(const PostgresOptions& options)
    : options_(options), pool_(std::make_unique<soci::connection_pool>(options.pool_size)) {
  try {
    for (int i = 0; i < options_.pool_size; ++i) {
      soci::session& sql = pool_->at(i);
      sql.open(soci::postgresql, options_.url);
      sql << "SET synchronous_commit = on";
    }
  } catch (const std::exception&) {
    // The driver's message can include the connection string and so the password.
    throw std::runtime_error(
        "cannot connect to PostgreSQL (check database.url and that the "
        "server is running)");
  }
}

PostgresTransactionRunner::~PostgresTransactionRunner() = default;

std::unique_ptr<PostgresTransactionRunner::Lease> PostgresTransactionRunner::TryLease() {
  std::size_t position = 0;
  if (!pool_->try_lease(position, options_.lease_timeout_ms)) {
    return nullptr;
  }
  return std::make_unique<Lease>(*pool_, position);
}

// Both modes run the same way: on PostgreSQL a read's audit event commits with the read.
absl::Status PostgresTransactionRunner::Run(TransactionMode /*mode*/,
                                            absl::FunctionRef<absl::Status(UnitOfWork&)> work) {
  std::unique_ptr<Lease> lease = TryLease();
  if (lease == nullptr) {
    return absl::UnavailableError("the database is busy; retry shortly");
  }
  absl::Status status;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    bool retry = false;
    status = RunOnce(lease->session(), work, retry);
    if (!retry) {
      break;
    }
  }
  return status;
}

absl::Status PostgresTransactionRunner::RunOnce(soci::session& sql,
                                                absl::FunctionRef<absl::Status(UnitOfWork&)> work,
                                                bool& retry) {
  if (!sql.is_connected()) {
    try {
      sql.reconnect();
      sql << "SET synchronous_commit = on";
    } catch (const std::exception&) {
      return absl::UnavailableError("the database is unavailable; retry shortly");
    }
  }
  try {
    sql << "BEGIN";
    SociUnitOfWork uow(sql);
    absl::Status status = work(uow);
    sql << (status.ok() ? "COMMIT" : "ROLLBACK");
    if (status.code() == absl::StatusCode::kInternal && !sql.is_connected()) {
      // A repository saw the connection die mid-request: that is an outage, not a bug.
      return absl::UnavailableError("the database is unavailable; retry shortly");
    }
    return status;
  } catch (const std::exception& e) {
    try {
      sql << "ROLLBACK";
    } catch (const std::exception&) {
      // A broken connection has no transaction left to roll back.
    }
    if (IsConnectionLost(e)) {
      try {
        sql.reconnect();
        sql << "SET synchronous_commit = on";
        // Only a transaction that never reached COMMIT is safe to run again; a lost
        // connection during COMMIT leaves its outcome unknown, so report it instead.
      } catch (const std::exception&) {
        // Still down: the caller gets UNAVAILABLE below.
      }
    }
    retry = IsRetryable(e);
    if (!sql.is_connected()) {
      return absl::UnavailableError("the database is unavailable; retry shortly");
    }
    return StatusFromException(e, "postgresql transaction");
  }
}

}  // namespace confide::persistence
