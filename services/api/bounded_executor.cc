#include "services/api/bounded_executor.h"

#include <utility>

namespace confide {

BoundedExecutor::BoundedExecutor(int threads, size_t queue_capacity) : capacity_(queue_capacity) {
  if (threads < 1) {
    threads = 1;  // a pool with no workers would accept tasks that never run
  }
  workers_.reserve(threads);
  for (int i = 0; i < threads; ++i) {
    workers_.emplace_back([this] { WorkLoop(); });
  }
}

BoundedExecutor::~BoundedExecutor() { Shutdown(); }

bool BoundedExecutor::TrySubmit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= capacity_) {
      return false;
    }
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

void BoundedExecutor::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  ready_.notify_all();
  std::call_once(joined_, [this] {
    for (std::thread& worker : workers_) {
      if (worker.get_id() == std::this_thread::get_id()) {
        worker.detach();  // joining ourselves would throw; the loop ends after this task
      } else if (worker.joinable()) {
        worker.join();
      }
    }
  });
}

bool BoundedExecutor::stopping() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stopping_;
}

size_t BoundedExecutor::QueueDepth() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void BoundedExecutor::WorkLoop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // stopping and drained
      }
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace confide
