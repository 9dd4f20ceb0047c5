/* wasi_pthread: the few pthreads calls parsort.c makes, on the wasi-threads ABI, for zig's wasi-libc (Kiln fixture).
 * The Kiln team's own source, under the same terms as the rest of this repository (MIT-style).
 *
 * Why it exists: zig cc (PyPI ziglang 0.17.1) has no wasm32-wasi-threads target, and its wasi-libc is built for
 * the single-threaded model only: its pthread_create is a stub that returns EAGAIN, pthread_mutex_lock returns
 * EDEADLK on a held mutex and pthread_barrier_wait traps for a count above 1. Compiled ahead of parsort.c (so its
 * definitions are in place before parsort.o's references could pull those stubs out of libc.a, which zig lists
 * first), this file provides, on the standard wasi-threads ABI that wasi-libc's THREAD_MODEL=posix build also uses:
 *
 *   pthread_create   allocates one block (TLS image, then the thread's stack) and calls the import
 *                    "wasi" "thread-spawn" (i32 start_arg) -> i32 tid, a negative tid being a failure;
 *   wasi_thread_start  the export the host calls in the new thread's instance with (tid, start_arg): it sets the
 *                    instance's __stack_pointer from start_arg (module-level assembly, since C code may use the
 *                    stack before any C statement runs), then __wasm_init_tls gives the thread its own TLS;
 *   pthread_join     memory.atomic.wait32 until the thread's done flag is set (the thread sets it, then
 *                    memory.atomic.notify, as its last memory access), then frees the block;
 *   pthread_mutex_lock/unlock   a three-state futex mutex (0 free, 1 locked, 2 locked with waiters);
 *   pthread_barrier_init/wait/destroy   a counter and a generation word, waiters sleep on the generation.
 *
 * Limits, none of which parsort.c meets: attributes (a non-NULL attr) are refused with ENOTSUP; no
 * pthread_exit, detach, cancellation, cleanup handlers or thread-specific data; malloc, free and stdio in zig's
 * single-threaded libc take no locks, so only one thread at a time may use them (parsort.c uses them in the main
 * thread only, before the workers start and after they are joined; pthread_create and pthread_join run there).
 */
#if !defined(__wasm__)
#error "wasi_pthread.c is for wasm32 wasi-threads builds only; native builds use the system's pthreads"
#endif
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define THREAD_STACK_SIZE (256 * 1024)

/* wasi-threads: spawns a thread that calls the export wasi_thread_start(tid, start_arg) in a new instance. */
__attribute__((import_module("wasi"), import_name("thread-spawn"))) int32_t __wasi_thread_spawn(void *start_arg);

/* Synthesized by wasm-ld for a shared memory: copies the TLS image to block and points __tls_base at it. */
extern void __wasm_init_tls(void *block);

struct thread {
  void *stack_top;  /* offset 0: read by wasi_thread_start before any C code runs */
  void *(*entry)(void *);
  void *arg;
  void *result;
  void *tls;
  _Atomic int32_t done; /* 0 running, 1 finished: the word pthread_join waits on */
};

/* The export: __stack_pointer = ((struct thread *)start_arg)->stack_top, then the C part. */
__asm__(".globaltype __stack_pointer, i32\n"
        ".functype wasi_thread_start_c (i32, i32) -> ()\n"
        ".export_name wasi_thread_start, wasi_thread_start\n"
        ".globl wasi_thread_start\n"
        ".type wasi_thread_start,@function\n"
        "wasi_thread_start:\n"
        ".functype wasi_thread_start (i32, i32) -> ()\n"
        "  local.get 1\n"
        "  i32.load 0\n"
        "  global.set __stack_pointer\n"
        "  local.get 0\n"
        "  local.get 1\n"
        "  call wasi_thread_start_c\n"
        "  end_function\n");

__attribute__((used)) void wasi_thread_start_c(int32_t tid, struct thread *t) {
  (void)tid;
  __wasm_init_tls(t->tls);
  t->result = t->entry(t->arg);
  atomic_store(&t->done, 1);
  __builtin_wasm_memory_atomic_notify((int *)&t->done, UINT32_MAX);
  /* Nothing of t, its stack or its TLS is touched after this: pthread_join may free them now. */
}

int pthread_create(pthread_t *restrict res, const pthread_attr_t *restrict attr, void *(*entry)(void *),
                   void *restrict arg) {
  if (attr) return ENOTSUP;
  size_t tls_align = __builtin_wasm_tls_align(), tls_size = __builtin_wasm_tls_size();
  if (tls_align < 16) tls_align = 16;
  size_t tls_room = (tls_size + tls_align - 1) & ~(tls_align - 1);
  char *block = aligned_alloc(tls_align, tls_room + THREAD_STACK_SIZE + sizeof(struct thread));
  if (!block) return EAGAIN;
  /* [TLS | stack, growing down | struct thread] */
  struct thread *t = (struct thread *)(block + tls_room + THREAD_STACK_SIZE);
  memset(t, 0, sizeof *t);
  t->tls = block;
  t->stack_top = block + tls_room + THREAD_STACK_SIZE; /* 16-aligned: tls_room and the size are */
  t->entry = entry;
  t->arg = arg;
  if (__wasi_thread_spawn(t) < 0) {
    free(block);
    return EAGAIN;
  }
  *res = (pthread_t)t;
  return 0;
}

int pthread_join(pthread_t thread, void **result) {
  struct thread *t = (struct thread *)thread;
  while (atomic_load(&t->done) == 0) __builtin_wasm_memory_atomic_wait32((int *)&t->done, 0, -1);
  if (result) *result = t->result;
  free(t->tls);
  return 0;
}

/* Mutex: word 0 of the musl pthread_mutex_t, zero (free) in PTHREAD_MUTEX_INITIALIZER. */
_Static_assert(sizeof(pthread_mutex_t) >= sizeof(_Atomic int32_t), "pthread_mutex_t too small");
static _Atomic int32_t *mutex_word(pthread_mutex_t *m) { return (_Atomic int32_t *)(void *)m; }

int pthread_mutex_init(pthread_mutex_t *restrict m, const pthread_mutexattr_t *restrict attr) {
  (void)attr;
  memset(m, 0, sizeof *m);
  return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m) {
  (void)m;
  return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m) {
  _Atomic int32_t *w = mutex_word(m);
  int32_t c = 0;
  if (atomic_compare_exchange_strong(w, &c, 1)) return 0;
  if (c != 2) c = atomic_exchange(w, 2);
  while (c != 0) {
    __builtin_wasm_memory_atomic_wait32((int *)w, 2, -1);
    c = atomic_exchange(w, 2);
  }
  return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m) {
  _Atomic int32_t *w = mutex_word(m);
  if (atomic_exchange(w, 0) == 2) __builtin_wasm_memory_atomic_notify((int *)w, 1);
  return 0;
}

/* Barrier: words 0..2 of the musl pthread_barrier_t. */
struct barrier {
  _Atomic int32_t arrived;
  _Atomic int32_t generation;
  int32_t count;
};
_Static_assert(sizeof(pthread_barrier_t) >= sizeof(struct barrier), "pthread_barrier_t too small");

int pthread_barrier_init(pthread_barrier_t *restrict b, const pthread_barrierattr_t *restrict attr,
                         unsigned count) {
  (void)attr;
  if (count == 0 || count > INT32_MAX) return EINVAL;
  struct barrier *s = (struct barrier *)(void *)b;
  atomic_init(&s->arrived, 0);
  atomic_init(&s->generation, 0);
  s->count = (int32_t)count;
  return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *b) {
  (void)b;
  return 0;
}

int pthread_barrier_wait(pthread_barrier_t *b) {
  struct barrier *s = (struct barrier *)(void *)b;
  int32_t generation = atomic_load(&s->generation);
  if (atomic_fetch_add(&s->arrived, 1) + 1 == s->count) {
    /* The last to arrive resets the count before it opens the barrier, so no one can arrive early at the next. */
    atomic_store(&s->arrived, 0);
    atomic_fetch_add(&s->generation, 1);
    __builtin_wasm_memory_atomic_notify((int *)&s->generation, UINT32_MAX);
    return PTHREAD_BARRIER_SERIAL_THREAD;
  }
  while (atomic_load(&s->generation) == generation)
    __builtin_wasm_memory_atomic_wait32((int *)&s->generation, generation, -1);
  return 0;
}
