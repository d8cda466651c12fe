#pragma once

#include <condition_variable>
#include <mutex>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide {

// A slow database: every transaction waits at the gate until the test opens it, then runs on
// `inner`. Lets a test keep a request "in flight" for as long as it needs, e.g. to fill the
// executor's queue, without sleeping. Thread-safe.
class GatedTransactionRunner final : public TransactionRunner {
 public:
  explicit GatedTransactionRunner(TransactionRunner& inner) : inner_(inner) {}

  absl::Status Run(TransactionMode mode,
                   absl::FunctionRef<absl::Status(UnitOfWork&)> work) override {
    {
      std::unique_lock lock(mutex_);
      ++waiting_;
      changed_.notify_all();
      changed_.wait(lock, [this] { return open_; });
      --waiting_;
    }
    return inner_.Run(mode, work);
  }

  // Blocks until `count` transactions are waiting at the closed gate.
  void AwaitWaiting(int count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return waiting_ >= count; });
  }

  // Lets every waiting and later transaction through.
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  TransactionRunner& inner_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;  // Guarded by mutex_.
  int waiting_ = 0;    // Guarded by mutex_.
};

}  // namespace confide
