/* What a shared memory (threads) has beyond its bytes: the lock its growth takes, and the queues of threads
 * waiting in memory.atomic.wait.
 *
 * The state hangs off the memory, not off a global table: every artifact carries its own copy of the runtime,
 * and a memory one module exports may be waited on by another module's code. Waiters are hashed by address
 * into buckets, each with a mutex and a FIFO list. A waiter checks the value and enqueues itself under its
 * bucket's lock, so a notify that follows the store it waits for cannot miss it. It then sleeps on a futex
 * word of its own, outside the lock; notify dequeues it, sets the word and wakes it, all under the lock. The
 * waiter, once woken, takes the lock once more before it returns, so that notify has finished with the
 * waiter's word (on the waiter's stack) before it goes. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* syscall */
#endif
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "kiln_atomic.h"
#include "kiln_limits.h"
#include "kiln_memory.h"

#define KILN_WAIT_BUCKETS 64u

typedef struct kiln_waiter {
  u8* address;
  u32 woken; /* the futex word: 0 until notify dequeues the waiter */
  struct kiln_waiter* next;
  struct kiln_waiter* prev;
} kiln_waiter;

typedef struct kiln_wait_bucket {
  pthread_mutex_t lock;
  kiln_waiter* head; /* oldest first */
  kiln_waiter* tail;
} kiln_wait_bucket;

struct kiln_shared_state {
  pthread_mutex_t grow_lock;
  kiln_wait_bucket buckets[KILN_WAIT_BUCKETS];
};

/* data must never move: the reservation must be all the memory can reach (src/memory.c reserves less at
 * first, and growth past it would move the bytes under other threads' feet). */
int kiln_memory_make_shared(kiln_memory* m) {
  if (kiln_memory_reserve_whole(m) != 0) {
    errno = ENOMEM;
    return -1;
  }
  struct kiln_shared_state* state = calloc(1, sizeof *state);
  if (state == NULL) return -1;
  pthread_mutex_init(&state->grow_lock, NULL);
  for (u32 i = 0; i < KILN_WAIT_BUCKETS; i++) pthread_mutex_init(&state->buckets[i].lock, NULL);
  m->shared_state = state;
  m->shared = 1;
  return 0;
}

void kiln_memory_share(kiln_ctx* ctx, kiln_memory* m, u32 index) {
  if (kiln_memory_reserve_whole(m) != 0)
    kiln_instantiation_failed(ctx,
                              "shared memory %u: cannot reserve all %llu pages it may grow to, and a shared memory "
                              "cannot move (lower its reach with --max-memory-pages N, or raise ulimit -v)",
                              index, (unsigned long long)(m->reach / KILN_PAGE_SIZE));
  if (kiln_memory_make_shared(m) != 0)
    kiln_instantiation_failed(ctx, "shared memory %u: out of memory for its wait queues", index);
}

void kiln_memory_unshare(kiln_memory* m) {
  struct kiln_shared_state* state = m->shared_state;
  if (state == NULL) return;
  pthread_mutex_destroy(&state->grow_lock);
  for (u32 i = 0; i < KILN_WAIT_BUCKETS; i++) pthread_mutex_destroy(&state->buckets[i].lock);
  free(state);
  m->shared_state = NULL;
}

void kiln_memory_grow_lock(kiln_memory* m) {
  if (m->shared_state != NULL) pthread_mutex_lock(&m->shared_state->grow_lock);
}

void kiln_memory_grow_unlock(kiln_memory* m) {
  if (m->shared_state != NULL) pthread_mutex_unlock(&m->shared_state->grow_lock);
}

static kiln_wait_bucket* kiln_bucket(struct kiln_shared_state* state, const u8* p) {
  /* Addresses are 4- or 8-byte aligned; the multiplier spreads neighbouring words over the buckets. */
  u64 h = ((u64)(uintptr_t)p >> 2) * 0x9E3779B97F4A7C15ull;
  return &state->buckets[h >> 58 & (KILN_WAIT_BUCKETS - 1)];
}

static void kiln_unlink(kiln_wait_bucket* b, kiln_waiter* w) {
  if (w->prev != NULL) w->prev->next = w->next;
  else b->head = w->next;
  if (w->next != NULL) w->next->prev = w->prev;
  else b->tail = w->prev;
  w->next = w->prev = NULL;
}

static u64 kiln_now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (u64)t.tv_sec * 1000000000ull + (u64)t.tv_nsec;
}

/* Sleeps while *word is 0, at most `ns` nanoseconds (UINT64_MAX: no limit); may return early. */
static void kiln_sleep_on(u32* word, u64 ns) {
#ifdef __linux__
  struct timespec t, *limit = NULL;
  if (ns != UINT64_MAX) {
    t.tv_sec = (time_t)(ns / 1000000000ull);
    t.tv_nsec = (long)(ns % 1000000000ull);
    limit = &t;
  }
  syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 0, limit, NULL, 0);
#else
  /* No futex: poll the word every 50 µs (or less, near the deadline). */
  (void)word;
  struct timespec t = {0, (long)(ns < 50000 ? ns : 50000)};
  nanosleep(&t, NULL);
#endif
}

static void kiln_wake(u32* word) {
#ifdef __linux__
  syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
#else
  (void)word;
#endif
}

u32 kiln_atomic_wait(kiln_ctx* ctx, kiln_memory* m, u8* p, u64 expected, int is64, s64 timeout_ns) {
  if (!m->shared || m->shared_state == NULL) kiln_trap(ctx, KILN_TRAP_EXPECTED_SHARED_MEMORY);
  kiln_wait_bucket* b = kiln_bucket(m->shared_state, p);
  const u64 start = timeout_ns >= 0 ? kiln_now_ns() : 0;
  pthread_mutex_lock(&b->lock);
  const u64 seen = is64 ? __atomic_load_n((u64*)p, __ATOMIC_SEQ_CST) : __atomic_load_n((u32*)p, __ATOMIC_SEQ_CST);
  if (seen != (is64 ? expected : (u32)expected)) {
    pthread_mutex_unlock(&b->lock);
    return 1;
  }
  kiln_waiter w = {p, 0, NULL, b->tail};
  if (b->tail != NULL) b->tail->next = &w;
  else b->head = &w;
  b->tail = &w;
  pthread_mutex_unlock(&b->lock);

  while (!__atomic_load_n(&w.woken, __ATOMIC_ACQUIRE)) {
    u64 left = UINT64_MAX;
    if (timeout_ns >= 0) {
      const u64 spent = kiln_now_ns() - start;
      if (spent >= (u64)timeout_ns) break;
      left = (u64)timeout_ns - spent;
    }
    kiln_sleep_on(&w.woken, left);
  }
  pthread_mutex_lock(&b->lock);
  const u32 woken = __atomic_load_n(&w.woken, __ATOMIC_ACQUIRE);
  if (!woken) kiln_unlink(b, &w); /* timed out, and no notify took it meanwhile */
  pthread_mutex_unlock(&b->lock);
  return woken ? 0 : 2;
}

u32 kiln_atomic_notify_at(kiln_memory* m, u8* p, u32 count) {
  if (!m->shared || m->shared_state == NULL || count == 0) return 0;
  kiln_wait_bucket* b = kiln_bucket(m->shared_state, p);
  u32 woken = 0;
  pthread_mutex_lock(&b->lock);
  for (kiln_waiter* w = b->head; w != NULL && woken < count;) {
    kiln_waiter* next = w->next;
    if (w->address == p) {
      kiln_unlink(b, w);
      __atomic_store_n(&w->woken, 1, __ATOMIC_RELEASE);
      kiln_wake(&w->woken);
      woken++;
    }
    w = next;
  }
  pthread_mutex_unlock(&b->lock);
  return woken;
}
