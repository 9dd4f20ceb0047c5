/* The host's entry boundary: the setjmp every trap longjmps to, and the native stack limit that turns
 * runaway recursion into a "call stack exhausted" trap instead of a SIGSEGV. */
#define _GNU_SOURCE /* pthread_getattr_np */
#include <pthread.h>
#if defined(__GLIBC__)
#include <execinfo.h>
#endif
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

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
#define KILN_FAULT_STACK (64u * 1024u)

/* The epoch of a store nobody gave one: it never advances, so the deadline never passes. */
static const u64 kiln_still_epoch = 0;

/* glibc loads its unwinder on the first backtrace(), which must not happen inside the fault handler: done
 * before guest code with guarded memories first runs. Not for every store: loading it costs a cached run
 * 0.2 ms (1.77 ms against 1.97 ms), and a trap elsewhere loads it with the whole stack reserve to spare. */
static void kiln_preload_unwinder(void) {
#if defined(__GLIBC__)
  static int loaded;
  if (__atomic_exchange_n(&loaded, 1, __ATOMIC_RELAXED)) return;
  void* frames[2];
  (void)backtrace(frames, 2);
#endif
}

void kiln_ctx_init(kiln_ctx* ctx) {
  memset(ctx, 0, sizeof *ctx);
  ctx->max_memory_pages = KILN_MAX_PAGES;
  ctx->fuel = UINT64_MAX;
  ctx->epoch = &kiln_still_epoch;
  ctx->epoch_deadline = UINT64_MAX;
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

/* Bounds mode "guard": an access past a guarded memory's size faults inside its reservation. While guest
 * code runs on this thread (kiln_running), such a fault becomes an out-of-bounds trap: the handler
 * longjmps to the boundary like kiln_trap (SA_NODEFER, so the signal is not left blocked). Any other fault
 * goes to the handler that was installed before Kiln's (the Swift runtime's, a host's own, or the default
 * action), so a crash in the host is still a crash. The handler runs on an alternate stack of its own. */
static _Thread_local kiln_ctx* kiln_running;
static struct sigaction kiln_previous_segv, kiln_previous_bus;

static void kiln_chain(int sig, siginfo_t* info, void* context) {
  const struct sigaction* previous = sig == SIGBUS ? &kiln_previous_bus : &kiln_previous_segv;
  if (previous->sa_flags & SA_SIGINFO) {
    previous->sa_sigaction(sig, info, context);
  } else if (previous->sa_handler == SIG_DFL || previous->sa_handler == SIG_IGN) {
    sigaction(sig, previous, NULL); /* returning re-runs the access, which now takes the default action */
  } else {
    previous->sa_handler(sig);
  }
}

/* The faulting instruction, from the signal's saved registers. */
static void* kiln_fault_pc(void* context) {
  const ucontext_t* uc = context;
#if defined(__x86_64__)
  return (void*)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
  return (void*)uc->uc_mcontext.pc;
#else
  (void)uc;
  return NULL;
#endif
}

static void kiln_on_fault(int sig, siginfo_t* info, void* context) {
  kiln_ctx* ctx = kiln_running;
  if (ctx != NULL && ctx->jmp != NULL) {
    const u8* address = (const u8*)info->si_addr;
    for (const kiln_memory* m = ctx->guarded; m != NULL; m = m->guard_next) {
      if (address >= m->data && address < m->data + m->reserved)
        kiln_trap_at_fault(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_fault_pc(context));
    }
  }
  kiln_chain(sig, info, context);
}

static void kiln_install_fault_handler(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = kiln_on_fault;
  action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  sigaction(SIGSEGV, &action, &kiln_previous_segv);
  sigaction(SIGBUS, &action, &kiln_previous_bus);
}

/* Once per process for the handler, once per thread for its alternate stack (kept for the thread's life). */
static void kiln_prepare_guard(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  static _Thread_local int has_stack;
  pthread_once(&once, kiln_install_fault_handler);
  kiln_preload_unwinder();
  if (has_stack) return;
  stack_t current;
  if (sigaltstack(NULL, &current) == 0 && !(current.ss_flags & SS_DISABLE)) {
    has_stack = 1; /* the host's own alternate stack serves */
    return;
  }
  stack_t stack = {.ss_sp = malloc(KILN_FAULT_STACK), .ss_size = KILN_FAULT_STACK, .ss_flags = 0};
  if (stack.ss_sp != NULL && sigaltstack(&stack, NULL) == 0) has_stack = 1;
}

/* The boundary shared by both entry points. Nothing that is read after the longjmp is modified after the
 * setjmp (saved values are consts captured before it), so no local needs to be volatile. */
static int kiln_guard(kiln_ctx* ctx, void (*body)(void* arg), void* arg) {
  jmp_buf* const saved_jmp = ctx->jmp;
  char* const saved_limit = ctx->stack_limit;
  /* Guest code entered from here throws to its own handlers or to this boundary, never across the host
   * frames in between to an outer guest's handler. */
  struct kiln_handler* const saved_handler = ctx->handler;
  kiln_ctx* const saved_running = kiln_running;
  jmp_buf env;
  if (ctx->guarded != NULL) kiln_prepare_guard();
  ctx->trap_code = KILN_TRAP_NONE;
  ctx->trap_detail = NULL;
  if (setjmp(env) != 0) {
    ctx->jmp = saved_jmp;
    ctx->handler = saved_handler;
    ctx->stack_limit = saved_limit;
    kiln_running = saved_running;
    return ctx->trap_code != KILN_TRAP_NONE ? ctx->trap_code : KILN_TRAP_HOST;
  }
  ctx->jmp = &env;
  ctx->handler = NULL;
  kiln_running = ctx;
  /* A nested entry (guest → host function → guest) runs on the same thread: keep the outer limit. A store's
   * --max-wasm-stack measures from the outermost entry, and never lets the guest past the thread's own. */
  if (saved_limit == NULL) {
    char* limit = kiln_thread_stack_limit();
    uintptr_t here = kiln_stack_pointer();
    if (ctx->max_wasm_stack != 0 && ctx->max_wasm_stack < here && here - ctx->max_wasm_stack > (uintptr_t)limit)
      limit = (char*)(here - ctx->max_wasm_stack);
    ctx->stack_limit = limit;
  }
  body(arg);
  ctx->jmp = saved_jmp;
  ctx->handler = saved_handler;
  ctx->stack_limit = saved_limit;
  kiln_running = saved_running;
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
