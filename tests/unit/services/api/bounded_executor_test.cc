#include "services/api/bounded_executor.h"

#include <atomic>
#include <future>
#include <latch>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace confide {
namespace {

// Keeps the executor's only worker busy until Release(), so the queue can be filled on purpose.
class BlockedWorker {
 public:
  explicit BlockedWorker(BoundedExecutor& executor) {
    started_future_ = started_.get_future();
    // The task holds its own copy of the release signal, so it never touches this object
    // after Release().
    EXPECT_TRUE(executor.TrySubmit([this, released = released_] {
      started_.set_value();
      released.wait();
    }));
    started_future_.wait();
  }
  ~BlockedWorker() { Release(); }

  void Release() {
    if (!released_flag_.exchange(true)) {
      release_.set_value();
    }
  }

 private:
  std::promise<void> started_;
  std::future<void> started_future_;
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
  std::atomic<bool> released_flag_{false};
};

TEST(BoundedExecutorTest, RunsEverySubmittedTask) {
  BoundedExecutor executor(4, 100);
  std::atomic<int> ran{0};
  std::latch done(50);
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(executor.TrySubmit([&] {
      ++ran;
      done.count_down();
    }));
  }
  done.wait();
  EXPECT_EQ(ran.load(), 50);
}

TEST(BoundedExecutorTest, RunsTasksOffTheSubmittingThread) {
  BoundedExecutor executor(1, 1);
  std::promise<std::thread::id> ran_on;
  ASSERT_TRUE(executor.TrySubmit([&] { ran_on.set_value(std::this_thread::get_id()); }));
  EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
}

TEST(BoundedExecutorTest, RefusesAtOnceWhenTheQueueIsFull) {
  BoundedExecutor executor(1, 1);
  BlockedWorker blocked(executor);
  std::atomic<int> ran{0};

  EXPECT_TRUE(executor.TrySubmit([&] { ++ran; }));
  EXPECT_EQ(executor.QueueDepth(), 1u);
  EXPECT_FALSE(executor.TrySubmit([&] { ++ran; }));
  EXPECT_EQ(executor.QueueDepth(), 1u);

  blocked.Release();
  executor.Shutdown();
  EXPECT_EQ(ran.load(), 1);
}

TEST(BoundedExecutorTest, AcceptsAgainOnceTheQueueHasRoom) {
  BoundedExecutor executor(1, 1);
  std::promise<void> queued_ran;
  {
    BlockedWorker blocked(executor);
    ASSERT_TRUE(executor.TrySubmit([&] { queued_ran.set_value(); }));
    ASSERT_FALSE(executor.TrySubmit([] {}));
  }
  queued_ran.get_future().wait();

  std::promise<void> later_ran;
  ASSERT_TRUE(executor.TrySubmit([&] { later_ran.set_value(); }));
  later_ran.get_future().wait();
}

TEST(BoundedExecutorTest, ShutdownRunsTasksStillQueued) {
  BoundedExecutor executor(1, 10);
  std::atomic<int> ran{0};
  BlockedWorker blocked(executor);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(executor.TrySubmit([&] { ++ran; }));
  }
  EXPECT_EQ(executor.QueueDepth(), 5u);

  // Shutdown starts while all five wait behind the blocked task, and must still run them.
  std::thread stopper([&] { executor.Shutdown(); });
  blocked.Release();
  stopper.join();
  EXPECT_EQ(ran.load(), 5);
  EXPECT_EQ(executor.QueueDepth(), 0u);
}

TEST(BoundedExecutorTest, RefusesTasksAfterShutdown) {
  BoundedExecutor executor(2, 10);
  executor.Shutdown();
  EXPECT_FALSE(executor.TrySubmit([] {}));
}

TEST(BoundedExecutorTest, ShutdownTwiceIsHarmless) {
  BoundedExecutor executor(2, 10);
  std::atomic<int> ran{0};
  ASSERT_TRUE(executor.TrySubmit([&] { ++ran; }));
  executor.Shutdown();
  executor.Shutdown();
  EXPECT_EQ(ran.load(), 1);
}

}  // namespace
}  // namespace confide
