/*===- threads.c - the thread pool of multi-threaded models ----------------===
 *
 * Part of Yizhuang. yzc --threads=N makes each parallel loop nest tasks
 * over its outer loops and calls yz_parallel_for, which splits the tasks
 * into one contiguous range per thread, the caller taking the first. The
 * workers persist between calls. A model calls this once per nest, a few
 * hundred times per inference, so waking must be cheap: a job is published
 * by bumping an atomic generation (no lock unless a worker sleeps), which
 * the workers spin on for a while (about the length of a small nest)
 * before they sleep on a condition variable; the caller spins until the
 * workers are done. One job at a time: a call made while another runs
 * (from another application thread) runs its tasks itself.
 *===----------------------------------------------------------------------===*/

#include "yz/runtime.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

enum { kMaxThreads = 256, kSpins = 20000 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static _Atomic int32_t started;       /* workers created (under lock) */
static _Atomic int32_t override_;     /* yz_set_threads; 0: none */
static _Atomic uint64_t generation;   /* bumped per job */
static _Atomic int32_t pending;       /* workers yet to finish the job */
static _Atomic int32_t sleeping;      /* workers waiting on `wake` */
static atomic_flag busy = ATOMIC_FLAG_INIT;
/* The generation before the job a worker was created for, which it must
 * not take for done (it may first run after the job was published). */
static uint64_t start_generation[kMaxThreads];
static struct {
  int64_t n;
  int32_t threads;
  void (*task)(void *, int64_t);
  void *ctx;
} job; /* written before `generation` is bumped, read after */

static void run_range(int32_t part, int32_t parts, int64_t n,
                      void (*task)(void *, int64_t), void *ctx) {
  int64_t begin = n * part / parts, end = n * (part + 1) / parts;
  for (int64_t i = begin; i < end; ++i)
    task(ctx, i);
}

static void pause_(void) {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#endif
}

static void *worker(void *arg) {
  int32_t id = (int32_t)(intptr_t)arg; /* 1.. (the caller is 0) */
  uint64_t seen = start_generation[id];
  for (;;) {
    for (int s = 0; s < kSpins && atomic_load_explicit(
                                      &generation, memory_order_acquire) == seen;
         ++s)
      pause_();
    if (atomic_load_explicit(&generation, memory_order_acquire) == seen) {
      pthread_mutex_lock(&lock);
      atomic_fetch_add(&sleeping, 1);
      while (atomic_load(&generation) == seen)
        pthread_cond_wait(&wake, &lock);
      atomic_fetch_sub(&sleeping, 1);
      pthread_mutex_unlock(&lock);
    }
    seen = atomic_load_explicit(&generation, memory_order_acquire);
    /* Every worker, needed or not, reports back: the caller overwrites
     * `job` for the next call only when no worker can still read it. */
    if (id < job.threads)
      run_range(id, job.threads, job.n, job.task, job.ctx);
    atomic_fetch_sub_explicit(&pending, 1, memory_order_release);
  }
  return NULL;
}

int32_t yz_set_threads(int32_t threads) {
  return atomic_exchange(&override_, threads > 0 ? threads : 0);
}

int32_t yz_threads_for(int32_t compiled) {
  int32_t threads = atomic_load(&override_);
  if (threads == 0) {
    const char *env = getenv("YZ_THREADS");
    threads = env ? atoi(env) : 0;
  }
  if (threads <= 0)
    threads = compiled;
  if (threads < 1)
    threads = 1;
  return threads < kMaxThreads ? threads : kMaxThreads;
}

void yz_parallel_for(int32_t compiled, int64_t n,
                     void (*task)(void *ctx, int64_t i), void *ctx) {
  int32_t threads = yz_threads_for(compiled);
  if (threads > n)
    threads = (int32_t)n;
  if (threads <= 1 || atomic_flag_test_and_set(&busy)) {
    run_range(0, 1, n, task, ctx);
    return;
  }
  /* The lock only to create workers or wake sleeping ones: taken on
   * every call it doubled a fork and join (0.8 against 0.4 us for two
   * threads on a Xeon VM), a few hundred per inference. */
  int32_t workers = atomic_load(&started);
  if (workers < threads - 1) {
    pthread_mutex_lock(&lock);
    while ((workers = atomic_load(&started)) < threads - 1) {
      pthread_t t;
      start_generation[workers + 1] = atomic_load(&generation);
      if (pthread_create(&t, NULL, worker, (void *)(intptr_t)(workers + 1)))
        break; /* fewer threads than asked: the caller's range grows */
      pthread_detach(t);
      atomic_store(&started, workers + 1);
    }
    pthread_mutex_unlock(&lock);
  }
  if (threads > workers + 1)
    threads = workers + 1;
  job.n = n;
  job.threads = threads;
  job.task = task;
  job.ctx = ctx;
  /* Workers beyond `threads` see the job too, skip it and report. */
  atomic_store(&pending, workers);
  /* Sequentially consistent, as a sleeping worker's count and its check of
   * the generation are: either it sees this generation and does not wait,
   * or this sees it counted and wakes it (under the lock it waits with). */
  atomic_fetch_add(&generation, 1);
  if (atomic_load(&sleeping)) {
    pthread_mutex_lock(&lock);
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
  }
  run_range(0, threads, n, task, ctx);
  for (int s = 0; atomic_load_explicit(&pending, memory_order_acquire); ++s)
    if (s > kSpins)
      sched_yield();
    else
      pause_();
  atomic_flag_clear(&busy);
}
