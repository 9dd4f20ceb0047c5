/* Threads under contention: the runtime's atomics, wait and notify, and shared-memory growth, from many native
 * threads at once, each with its own kiln_ctx as each Wasm thread has. Run as it is by `make test-runtime`, and
 * built with -fsanitize=thread by `make sanitize`, where ThreadSanitizer checks that the runtime itself has no
 * data race (its queues, its lock, the published size).
 *
 * Every scenario ends with a count that only exact atomicity gives: a lost update, a missed wake-up (a hang, or
 * a count short), or a spurious out-of-bounds trap fails it. Last line: `N passed, M failed`. */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "kiln.h"
#include "kiln_host.h"

#define THREADS 8
static int passed, failed;

static void check(int ok, const char* what, unsigned long long got, unsigned long long want) {
  if (ok) {
    passed++;
    return;
  }
  failed++;
  printf("FAIL %s: got %llu, want %llu\n", what, got, want);
}

static kiln_memory shared;

/* A worker: its own ctx and trap boundary; an unexpected trap is a failure (counted under the lock below). */
typedef struct worker {
  pthread_t thread;
  int id;
  int trapped;
  void (*body)(kiln_ctx* ctx, int id);
} worker;

static void* run_worker(void* arg) {
  worker* w = arg;
  kiln_ctx ctx;
  jmp_buf env;
  kiln_ctx_init(&ctx);
  ctx.jmp = &env;
  if (setjmp(env) == 0) w->body(&ctx, w->id);
  else w->trapped = ctx.trap_code;
  return NULL;
}

static void run_all(const char* name, void (*body)(kiln_ctx*, int), int count) {
  worker workers[THREADS];
  for (int i = 0; i < count; i++) {
    workers[i] = (worker){.id = i, .body = body};
    pthread_create(&workers[i].thread, NULL, run_worker, &workers[i]);
  }
  for (int i = 0; i < count; i++) {
    pthread_join(workers[i].thread, NULL);
    if (workers[i].trapped) {
      failed++;
      printf("FAIL %s: thread %d trapped \"%s\"\n", name, i, kiln_trap_message(workers[i].trapped));
    }
  }
}

/* 1. Read-modify-writes of every width on neighbouring addresses. */
#define ROUNDS 100000
static void rmw_body(kiln_ctx* ctx, int id) {
  (void)id;
  for (int i = 0; i < ROUNDS; i++) {
    kiln_i32_atomic_rmw_add(ctx, &shared, 0, 0, 1);
    kiln_i64_atomic_rmw_add(ctx, &shared, 8, 0, 3);
    kiln_i32_atomic_rmw16_add_u(ctx, &shared, 16, 0, 1); /* wraps at 2^16: checked modulo */
    kiln_i32_atomic_rmw8_sub_u(ctx, &shared, 18, 0, 1);
    kiln_i32_atomic_rmw_xor(ctx, &shared, 20, 0, 0xFFFFFFFFu);
  }
}

/* 2. A mutex made of cmpxchg, wait and notify (wasi-libc's shape: 0 free, 1 locked, 2 locked with waiters)
 * guarding a counter that is read and written with plain shared-memory accesses. */
static void lock(kiln_ctx* ctx) {
  u32 c = kiln_i32_atomic_rmw_cmpxchg(ctx, &shared, 64, 0, 0, 1);
  if (c == 0) return;
  if (c != 2) c = kiln_i32_atomic_rmw_xchg(ctx, &shared, 64, 0, 2);
  while (c != 0) {
    kiln_memory_atomic_wait32(ctx, &shared, 64, 0, 2, (u64)-1);
    c = kiln_i32_atomic_rmw_xchg(ctx, &shared, 64, 0, 2);
  }
}
static void unlock(kiln_ctx* ctx) {
  if (kiln_i32_atomic_rmw_xchg(ctx, &shared, 64, 0, 0) == 2) kiln_memory_atomic_notify(ctx, &shared, 64, 0, 1);
}
#define LOCKED_ROUNDS 20000
static void mutex_body(kiln_ctx* ctx, int id) {
  (void)id;
  for (int i = 0; i < LOCKED_ROUNDS; i++) {
    lock(ctx);
    kiln_shared_i64_store(ctx, &shared, 72, 0, kiln_shared_i64_load(ctx, &shared, 72, 0) + 1);
    unlock(ctx);
  }
}

/* 3. Ping-pong: thread 0 waits for odd turns, thread 1 for even ones; every turn is one wait and one notify. */
#define TURNS 20000
static void pingpong_body(kiln_ctx* ctx, int id) {
  for (u32 turn = (u32)id; turn < TURNS; turn += 2) {
    u32 now;
    while ((now = kiln_i32_atomic_load(ctx, &shared, 128, 0)) != turn) kiln_memory_atomic_wait32(ctx, &shared, 128, 0, now, (u64)-1);
    kiln_i32_atomic_store(ctx, &shared, 128, 0, turn + 1);
    kiln_memory_atomic_notify(ctx, &shared, 128, 0, 1);
  }
}

/* 4. Timeouts among notifies of other addresses (the same buckets): a timed-out waiter leaves its queue. */
static void timeout_body(kiln_ctx* ctx, int id) {
  for (int i = 0; i < 200; i++) {
    if (id % 2 == 0) {
      u32 r = kiln_memory_atomic_wait32(ctx, &shared, 256 + 4u * (u32)id, 0, 0, 1000);
      if (r != 2) kiln_i32_atomic_rmw_add(ctx, &shared, 512, 0, 1); /* nobody notifies these: must time out */
    } else {
      kiln_memory_atomic_notify(ctx, &shared, 256 + 4u * (u32)id, 0, 0xFFFFFFFFu);
    }
  }
}

/* 5. Growth while other threads use the memory: each reads the published size and accesses its last word, which
 * must never trap; sizes seen only increase. */
static void grow_body(kiln_ctx* ctx, int id) {
  if (id == 0) {
    for (int i = 0; i < 15; i++) kiln_memory_grow(ctx, &shared, 1);
    return;
  }
  u32 last = 0;
  for (int i = 0; i < 3000; i++) {
    u32 pages = kiln_shared_memory_size(&shared);
    if (pages < last) kiln_i32_atomic_rmw_add(ctx, &shared, 516, 0, 1);
    last = pages;
    kiln_i32_atomic_rmw_add(ctx, &shared, (u64)pages * KILN_PAGE_SIZE - 4, 0, 1);
  }
}

int main(void) {
  if (kiln_memory_new(&shared, 1, 16, 0) != 0 || kiln_memory_make_shared(&shared) != 0) {
    printf("FAIL cannot create a shared memory\n0 passed, 1 failed\n");
    return 1;
  }
  run_all("rmw", rmw_body, THREADS);
  kiln_ctx ctx;
  kiln_ctx_init(&ctx);
  check(kiln_i32_atomic_load(&ctx, &shared, 0, 0) == THREADS * ROUNDS, "i32 add", kiln_i32_atomic_load(&ctx, &shared, 0, 0), THREADS * ROUNDS);
  check(kiln_i64_atomic_load(&ctx, &shared, 8, 0) == 3ull * THREADS * ROUNDS, "i64 add", kiln_i64_atomic_load(&ctx, &shared, 8, 0), 3ull * THREADS * ROUNDS);
  check(kiln_i32_atomic_load16_u(&ctx, &shared, 16, 0) == (THREADS * ROUNDS) % 65536, "rmw16 add", kiln_i32_atomic_load16_u(&ctx, &shared, 16, 0), (THREADS * ROUNDS) % 65536);
  check(kiln_i32_atomic_load8_u(&ctx, &shared, 18, 0) == (256 - (THREADS * ROUNDS) % 256) % 256, "rmw8 sub", kiln_i32_atomic_load8_u(&ctx, &shared, 18, 0), (256 - (THREADS * ROUNDS) % 256) % 256);
  check(kiln_i32_atomic_load8_u(&ctx, &shared, 19, 0) == 0, "rmw8 sub stays in its byte", kiln_i32_atomic_load8_u(&ctx, &shared, 19, 0), 0);
  check(kiln_i32_atomic_load(&ctx, &shared, 20, 0) == 0, "xor an even number of times", kiln_i32_atomic_load(&ctx, &shared, 20, 0), 0);

  run_all("mutex", mutex_body, THREADS);
  check(kiln_i64_atomic_load(&ctx, &shared, 72, 0) == (u64)THREADS * LOCKED_ROUNDS, "mutex-guarded plain counter", kiln_i64_atomic_load(&ctx, &shared, 72, 0), (u64)THREADS * LOCKED_ROUNDS);
  check(kiln_i32_atomic_load(&ctx, &shared, 64, 0) == 0, "mutex free at the end", kiln_i32_atomic_load(&ctx, &shared, 64, 0), 0);

  run_all("ping-pong", pingpong_body, 2);
  check(kiln_i32_atomic_load(&ctx, &shared, 128, 0) == TURNS, "ping-pong turns", kiln_i32_atomic_load(&ctx, &shared, 128, 0), TURNS);

  run_all("timeouts", timeout_body, THREADS);
  check(kiln_i32_atomic_load(&ctx, &shared, 512, 0) == 0, "waits on unnotified addresses time out", kiln_i32_atomic_load(&ctx, &shared, 512, 0), 0);
  check(kiln_memory_atomic_notify(&ctx, &shared, 256, 0, 0xFFFFFFFFu) == 0, "timed-out waiters left their queue", 1, 0);

  run_all("grow", grow_body, 4);
  check(kiln_shared_memory_size(&shared) == 16, "grown to the maximum", kiln_shared_memory_size(&shared), 16);
  check(kiln_memory_grow(&ctx, &shared, 1) == KILN_GROW_FAILED, "no growth past the maximum", 0, 0);
  check(kiln_i32_atomic_load(&ctx, &shared, 516, 0) == 0, "sizes only increase", kiln_i32_atomic_load(&ctx, &shared, 516, 0), 0);
  check(shared.data != NULL && shared.reserved >= 16ull * KILN_PAGE_SIZE, "never moved: reserved to its reach", shared.reserved, 16ull * KILN_PAGE_SIZE);

  kiln_memory_free(&shared);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
