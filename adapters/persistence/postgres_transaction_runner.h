#pragma once

#include <memory>
#include <string>

#include "services/storage/ports/unit_of_work.h"

namespace soci {
class connection_pool;
class session;
}  // namespace soci

namespace confide::persistence {

struct PostgresOptions {
  // A libpq URI: postgresql://user:password@host:port/database
  std::string url;
  int pool_size = 8;
  // How long a request waits for a free connection before answering UNAVAILABLE (soci's
  // lease() would wait forever).
  int lease_timeout_ms = 5000;
  // Runs of a transaction that hit a serialization failure or deadlock.
  int max_attempts = 3;
};

// PostgreSQL through a pool of soci sessions. Each Run leases a connection, runs the work in
// one transaction (synchronous_commit=on, so COMMIT returns once durable), retries
// serialization failures, and replaces connections found broken.
class PostgresTransactionRunner final : public TransactionRunner {
 public:
  // Opens the pool. Throws std::runtime_error when the server cannot be reached: a start-up
  // error.
  explicit PostgresTransactionRunner(const PostgresOptions& options);
  ~PostgresTransactionRunner() override;

  absl::Status Run(TransactionMode mode,
                   absl::FunctionRef<absl::Status(UnitOfWork&)> work) override;

  // Leases a session for maintenance work (migrations, readiness); null on timeout.
  class Lease {
   public:
    Lease(soci::connection_pool& pool, std::size_t position) : pool_(&pool), position_(position) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), position_(other.position_) {
      other.pool_ = nullptr;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    soci::session& session();

   private:
    soci::connection_pool* pool_;
    std::size_t position_;
  };
  std::unique_ptr<Lease> TryLease();

 private:
  absl::Status RunOnce(soci::session& sql, absl::FunctionRef<absl::Status(UnitOfWork&)> work,
                       bool& retry);

  PostgresOptions options_;
  std::unique_ptr<soci::connection_pool> pool_;
};

}  // namespace confide::persistence
