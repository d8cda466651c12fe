#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "services/storage/ports/unit_of_work.h"

namespace soci {
class connection_pool;
class session;
}  // namespace soci

namespace confide::persistence {

struct SqliteOptions {
  std::string path;
  // Read-only connections for read transactions.
  int read_connections = 4;
  // How long a read waits for a free connection before answering UNAVAILABLE.
  int lease_timeout_ms = 5000;
  // SQLite's own wait for a lock held by another process (e.g. confidectl).
  int busy_timeout_ms = 5000;
  // Most write transactions committed with one fsync.
  int max_group_size = 64;
};

enum class SqliteConnection { kWriter, kReader };

// Opens and configures one SQLite connection the way every Confide connection must be:
// busy_timeout, foreign_keys, and WAL + synchronous=FULL for writers or query_only for readers.
// Throws soci::soci_error when the file cannot be opened.
void OpenSqliteSession(soci::session& sql, const std::string& path, int busy_timeout_ms,
                       SqliteConnection kind);

// SQLite with one writer thread: it owns the only write connection and commits queued write
// transactions in groups (each in its own savepoint), so a durable write costs a share of one
// fsync. Reads run on a pool of read-only connections under WAL; their audit events ride the
// writer's next group commit before Run returns.
class SqliteTransactionRunner final : public TransactionRunner {
 public:
  // Opens the connections (WAL, synchronous=FULL, foreign_keys=ON, busy_timeout) and starts the
  // writer thread. Throws std::runtime_error when the file cannot be opened: a start-up error.
  explicit SqliteTransactionRunner(const SqliteOptions& options);
  ~SqliteTransactionRunner() override;

  absl::Status Run(TransactionMode mode,
                   absl::FunctionRef<absl::Status(UnitOfWork&)> work) override;

 private:
  struct WriteJob;

  absl::Status RunWrite(absl::FunctionRef<absl::Status(UnitOfWork&)> work);
  absl::Status RunRead(absl::FunctionRef<absl::Status(UnitOfWork&)> work);
  void WriterLoop();
  void CommitGroup(std::vector<WriteJob*>& group);

  SqliteOptions options_;
  std::unique_ptr<soci::session> writer_;
  std::unique_ptr<soci::connection_pool> readers_;

  std::mutex mu_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  std::deque<WriteJob*> queue_;
  bool stopping_ = false;
  std::thread writer_thread_;
};

}  // namespace confide::persistence
