/* The host's entry boundary: the setjmp every trap longjmps to, and the native stack limit that turns
 * runaway recursion into a "call stack exhausted" trap instead of a SIGSEGV. */
#define _GNU_SOURCE /* pthread_getattr_np */
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include "kiln_host.h"
#include "kiln_memory.h"
#include "kiln_trap.h"

/* Stack kept free below the limit: for the frame that trips KILN_ENTER, host functions called near the
 * limit (WASI, libc), and the trap path. AddressSanitizer's frames and interceptors need much more. */
#if defined(__SANITIZE_ADDRESS__)
#define KILN_STACK_RESERVE (1024u * 1024u)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KILN_STACK_RESERVE (1024u * 1024u)
#endif
#endif
#ifndef KILN_STACK_RESERVE
#define KILN_STACK_RESERVE (128u * 1024u)
#endif

void kiln_ctx_init(kiln_ctx* ctx) {
  memset(ctx, 0, sizeof *ctx);
  ctx->max_memory_pages = KILN_MAX_PAGES;
}

/* The lowest address KILN_ENTER lets guest frames reach on the calling thread. A thread's stack never
 * moves, and reading the main thread's bounds parses /proc/self/maps, so each thread computes it once. */
static char* kiln_thread_stack_limit(void) {
  static _Thread_local char* cached;
  if (cached != NULL) return cached;
  uintptr_t low = 0, size = 0;
#if defined(__APPLE__)
  uintptr_t high = (uintptr_t)pthread_get_stackaddr_np(pthread_self());
  size = (uintptr_t)pthread_get_stacksize_np(pthread_self());
  low = high - size;
#else
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* addr = NULL;
    size_t bytes = 0;
    if (pthread_attr_getstack(&attr, &addr, &bytes) == 0) {
      low = (uintptr_t)addr;
      size = bytes;
    }
    pthread_attr_destroy(&attr);
  }
#endif
  if (size == 0) {
    /* Bounds unknown: assume 1 MiB below the current frame, less than any default thread stack. */
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    size = 1024u * 1024u;
    low = here > size ? here - size : 0;
  }
  /* A small stack keeps at least half of itself usable rather than trapping on the first call. */
  uintptr_t reserve = KILN_STACK_RESERVE < size / 2 ? KILN_STACK_RESERVE : size / 2;
  cached = (char*)(low + reserve);
  return cached;
}

/* The boundary shared by both entry points. Nothing that is read after the longjmp is modified after the
 * setjmp (saved values are consts captured before it), so no local needs to be volatile. */
static int kiln_guard(kiln_ctx* ctx, void (*body)(void* arg), void* arg) {
  jmp_buf* const saved_jmp = ctx->jmp;
  char* const saved_limit = ctx->stack_limit;
  jmp_buf env;
  ctx->trap_code = KILN_TRAP_NONE;
  ctx->trap_detail = NULL;
  if (setjmp(env) != 0) {
    ctx->jmp = saved_jmp;
    ctx->stack_limit = saved_limit;
    return ctx->trap_code != KILN_TRAP_NONE ? ctx->trap_code : KILN_TRAP_HOST;
  }
  ctx->jmp = &env;
  /* A nested entry (guest → host function → guest) runs on the same thread: keep the outer limit. */
  if (saved_limit == NULL) ctx->stack_limit = kiln_thread_stack_limit();
  body(arg);
  ctx->jmp = saved_jmp;
  ctx->stack_limit = saved_limit;
  return KILN_TRAP_NONE;
}

typedef struct {
  kiln_trampoline trampoline;
  const kiln_funcref* f;
  const kiln_value* args;
  kiln_value* results;
} kiln_call;

static void kiln_run_call(void* arg) {
  kiln_call* call = arg;
  call->trampoline(call->f, call->args, call->results);
}

int kiln_invoke(kiln_ctx* ctx, kiln_trampoline t, const kiln_funcref* f, const kiln_value* args,
                kiln_value* results) {
  kiln_call call = {t, f, args, results};
  return kiln_guard(ctx, kiln_run_call, &call);
}

typedef struct {
  void (*fn)(kiln_instance*);
  kiln_instance* inst;
} kiln_init_call;

static void kiln_run_init(void* arg) {
  kiln_init_call* call = arg;
  call->fn(call->inst);
}

int kiln_invoke_init(kiln_ctx* ctx, void (*fn)(kiln_instance*), kiln_instance* inst) {
  kiln_init_call call = {fn, inst};
  return kiln_guard(ctx, kiln_run_init, &call);
}
