//===- ThreadsTest.cpp - the runtime's thread pool ------------------------===//
//
// Part of Yizhuang.
//
//===----------------------------------------------------------------------===//

#include "yz/runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace {

struct Counts {
  std::vector<std::atomic<int>> hits;
  std::set<std::thread::id> threads;
  std::mutex lock;
  explicit Counts(int64_t n) : hits(n) {}
};

void count(void *ctx, int64_t i) {
  auto *c = static_cast<Counts *>(ctx);
  c->hits[i].fetch_add(1);
  std::lock_guard<std::mutex> guard(c->lock);
  c->threads.insert(std::this_thread::get_id());
}

/// Runs n tasks on a model compiled for `compiled` threads; each must run
/// exactly once. Returns the number of distinct threads that ran them.
size_t runOnce(int32_t compiled, int64_t n) {
  Counts c(n);
  yz_parallel_for(compiled, n, count, &c);
  for (int64_t i = 0; i < n; ++i)
    EXPECT_EQ(c.hits[i].load(), 1) << "task " << i << " of " << n;
  return c.threads.size();
}

TEST(Threads, EveryTaskRunsOnce) {
  for (int64_t n : {1, 2, 3, 7, 64, 1000})
    for (int32_t threads : {1, 2, 3, 4})
      runOnce(threads, n);
  EXPECT_EQ(runOnce(1, 100), 1u); // one thread: the caller alone
  EXPECT_EQ(runOnce(2, 1), 1u);   // fewer tasks than threads
}

TEST(Threads, ManyJobsInARow) {
  // Jobs follow each other faster than workers go to sleep, and after they
  // do: none may be lost.
  for (int round = 0; round < 1000; ++round)
    runOnce(3, 5);
}

TEST(Threads, FewerTasksThanWorkers) {
  // Jobs that need fewer threads than the pool has, between full ones: the
  // idle workers must not read the next job half-written.
  for (int round = 0; round < 500; ++round) {
    runOnce(4, 1 + round % 3);
    runOnce(4, 50);
  }
}

TEST(Threads, SleepingWorkersWake) {
  // After a pause longer than the workers spin they sleep on the condition
  // variable; the next jobs (published without the lock) must wake them,
  // and a job published just as one goes to sleep must not be lost.
  runOnce(3, 30);
  for (int round = 0; round < 20; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(round % 4 * 5));
    EXPECT_EQ(runOnce(3, 30), 3u);
  }
}

TEST(Threads, OverridesComeFirst) {
  unsetenv("YZ_THREADS");
  EXPECT_EQ(yz_set_threads(0), 0);
  EXPECT_EQ(yz_threads_for(4), 4);
  setenv("YZ_THREADS", "2", 1);
  EXPECT_EQ(yz_threads_for(4), 2);
  EXPECT_EQ(yz_set_threads(3), 0);
  EXPECT_EQ(yz_threads_for(4), 3); // the API call over the environment
  EXPECT_EQ(yz_set_threads(0), 3);
  EXPECT_EQ(yz_threads_for(4), 2);
  setenv("YZ_THREADS", "junk", 1);
  EXPECT_EQ(yz_threads_for(4), 4); // unreadable: the compiled count
  unsetenv("YZ_THREADS");
  EXPECT_EQ(yz_threads_for(0), 1);
  EXPECT_EQ(yz_threads_for(100000), 256);
  yz_set_threads(1);
  EXPECT_EQ(runOnce(4, 50), 1u); // forced to one thread
  yz_set_threads(0);
}

TEST(Threads, ConcurrentCallersRunTheirOwn) {
  // Two application threads calling at once: both complete, every task once.
  std::thread other([] {
    for (int i = 0; i < 200; ++i)
      runOnce(2, 17);
  });
  for (int i = 0; i < 200; ++i)
    runOnce(2, 13);
  other.join();
}

} // namespace
