#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace confide {

// A fixed pool of worker threads with a bounded queue. Handlers run here, never on an I/O
// thread; when the queue is full, TrySubmit refuses at once so the caller can answer
// RESOURCE_EXHAUSTED instead of hanging.
class BoundedExecutor {
 public:
  BoundedExecutor(int threads, size_t queue_capacity);
  ~BoundedExecutor();
  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // Queues `task`; false when the queue is full or the executor is stopping.
  bool TrySubmit(std::function<void()> task);
  // Runs every queued task, then joins the workers. Idempotent and safe from any thread,
  // including a worker (which is then left to finish on its own).
  void Shutdown();
  // Tasks waiting (not running).
  size_t QueueDepth() const;
  // True once Shutdown began: a refused task means "going away", not "busy".
  bool stopping() const;

 private:
  void WorkLoop();

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::once_flag joined_;
  std::vector<std::thread> workers_;
};

}  // namespace confide
