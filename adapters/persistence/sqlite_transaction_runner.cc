#include "adapters/persistence/sqlite_transaction_runner.h"

#include <stdexcept>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/persistence/soci_errors.h"
#include "adapters/persistence/soci_unit_of_work.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace confide::persistence {

struct SqliteTransactionRunner::WriteJob {
  absl::FunctionRef<absl::Status(UnitOfWork&)> work;
  absl::Status result;
  bool done = false;
};

namespace {}  // namespace

void OpenSqliteSession(soci::session& sql, const std::string& path, int busy_timeout_ms,
                       SqliteConnection kind) {
  sql.open(soci::sqlite3, absl::StrCat("db=", path, " timeout=", busy_timeout_ms / 1000 + 1));
  // busy_timeout defaults to 0 and foreign_keys to off in SQLite; WAL lets reads run beside the
  // writer; synchronous=FULL makes every commit durable (clinical data must never be lost).
  sql << "PRAGMA busy_timeout = " << busy_timeout_ms;
  sql << "PRAGMA foreign_keys = ON";
  if (kind == SqliteConnection::kWriter) {
    sql << "PRAGMA journal_mode = WAL";
    sql << "PRAGMA synchronous = FULL";
  } else {
    sql << "PRAGMA query_only = ON";
  }
}

SqliteTransactionRunner::SqliteTransactionRunner(const SqliteOptions& options) : options_(options) {
  try {
    writer_ = std::make_unique<soci::session>();
    OpenSqliteSession(*writer_, options_.path, options_.busy_timeout_ms, SqliteConnection::kWriter);
    readers_ = std::make_unique<soci::connection_pool>(options_.read_connections);
    for (int i = 0; i < options_.read_connections; ++i) {
      soci::session& reader = readers_->at(i);
      OpenSqliteSession(reader, options_.path, options_.busy_timeout_ms, SqliteConnection::kReader);
    }
  } catch (const std::exception& e) {
    throw std::runtime_error(
        absl::StrCat("cannot open SQLite database ", options_.path, ": ", e.what()));
  }
  writer_thread_ = std::thread([this] { WriterLoop(); });
}

SqliteTransactionRunner::~SqliteTransactionRunner() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  writer_thread_.join();
}

absl::Status SqliteTransactionRunner::Run(TransactionMode mode,
                                          absl::FunctionRef<absl::Status(UnitOfWork&)> work) {
  return mode == TransactionMode::kWrite ? RunWrite(work) : RunRead(work);
}

absl::Status SqliteTransactionRunner::RunWrite(absl::FunctionRef<absl::Status(UnitOfWork&)> work) {
  WriteJob job{work, absl::OkStatus(), false};
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) {
    return absl::UnavailableError("the server is shutting down");
  }
  queue_.push_back(&job);
  work_ready_.notify_one();
  work_done_.wait(lock, [&job] { return job.done; });
  return job.result;
}

absl::Status SqliteTransactionRunner::RunRead(absl::FunctionRef<absl::Status(UnitOfWork&)> work) {
  std::size_t position = 0;
  if (!readers_->try_lease(position, options_.lease_timeout_ms)) {
    return absl::UnavailableError("the database is busy; retry shortly");
  }
  soci::session& sql = readers_->at(position);
  BufferedAuditLog audit;
  absl::Status status;
  try {
    sql << "BEGIN";
    SociUnitOfWork uow(sql, &audit);
    status = work(uow);
    sql << (status.ok() ? "COMMIT" : "ROLLBACK");
  } catch (const std::exception& e) {
    try {
      sql << "ROLLBACK";
    } catch (const std::exception&) {
      // The transaction is already gone; nothing more to undo.
    }
    status = StatusFromException(e, "sqlite read");
  }
  readers_->give_back(position);
  if (!status.ok() || audit.events().empty()) {
    return status;
  }
  // No response leaves before its audit event is durable.
  return RunWrite([&audit](UnitOfWork& uow) -> absl::Status {
    for (const AuditEvent& event : audit.events()) {
      if (absl::Status appended = uow.audit().Append(event); !appended.ok()) {
        return appended;
      }
    }
    return absl::OkStatus();
  });
}

void SqliteTransactionRunner::WriterLoop() {
  for (;;) {
    std::vector<WriteJob*> group;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;
      }
      while (!queue_.empty() && static_cast<int>(group.size()) < options_.max_group_size) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    CommitGroup(group);
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (WriteJob* job : group) {
        job->done = true;
      }
    }
    work_done_.notify_all();
  }
}

void SqliteTransactionRunner::CommitGroup(std::vector<WriteJob*>& group) {
  soci::session& sql = *writer_;
  try {
    sql << "BEGIN IMMEDIATE";
  } catch (const std::exception& e) {
    absl::Status failed = StatusFromException(e, "sqlite begin");
    for (WriteJob* job : group) {
      job->result = failed;
    }
    return;
  }
  SociUnitOfWork uow(sql);
  auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
  for (size_t i = 0; i < group.size(); ++i) {
    // Each transaction of the group is a savepoint: one that fails is undone alone.
    group[i]->result = uow.Atomically([&] { return group[i]->work(uow); });
    // SQLITE_FULL, IOERR or NOMEM roll back the whole group; running on would commit the rest
    // one by one in autocommit while the group reports failure. Fail them all instead.
    if (sqlite_api::sqlite3_get_autocommit(backend->conn_) != 0) {
      for (WriteJob* job : group) {
        job->result = absl::UnavailableError("the database could not commit; retry shortly");
      }
      return;
    }
  }
  try {
    sql << "COMMIT";
  } catch (const std::exception& e) {
    absl::Status failed = StatusFromException(e, "sqlite commit");
    try {
      sql << "ROLLBACK";
    } catch (const std::exception&) {
      // Already rolled back by SQLite.
    }
    for (WriteJob* job : group) {
      job->result = failed;
    }
  }
}

}  // namespace confide::persistence
