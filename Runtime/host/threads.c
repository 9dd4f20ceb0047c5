/* wasi-threads on the host side: `thread-spawn` starts a native thread that runs `wasi_thread_start(tid,
 * start_arg)` in a new instance of the spawning instance's module. The new instance gets the spawner's imports
 * (its shared memory above all, and any host function or table) and its WASI state; it defines its own
 * globals, tables and unshared memories, and runs the module's init and start function as any instance does
 * (toolchains initialise a shared memory once, behind an atomic flag in the start function). Each thread has
 * its own kiln_ctx, as each Wasm thread is its own store: traps, the stack limit and exceptions are per thread.
 *
 * The WASI state counts the threads still running (kiln_wasi_live_threads), so that a host embedding Kiln frees a
 * store only after them. As in wasmtime, the program is one process: proc_exit in any thread exits it with that status, and a trap in
 * any thread prints it (with the thread's id) and ends the program with 134. A thread whose wasi_thread_start
 * returns frees its instance; the main thread returning from _start ends the program and every thread with it.
 * > Note: <https://github.com/WebAssembly/wasi-threads> */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiln_command.h"
#include "kiln_host.h"
#include "kiln_threads.h"
#include "kiln_trap.h"

/* The ids the proposal allows: 1 to 2^29 - 1 (the top bits are left for the guest's own use). */
#define KILN_THREAD_ID_MAX 0x1FFFFFFFu
/* Native stack for a guest thread: wasi-libc gives its threads their own shadow stack in linear memory, so this
 * holds only native frames; 8 MiB as glibc's default main thread. */
#define KILN_THREAD_STACK (8u << 20)

static u32 kiln_next_thread_id = 1;
/* One report at a time, so two threads trapping at once print one trap whole and exit once. */
static pthread_mutex_t kiln_report_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct kiln_thread {
  kiln_ctx ctx;
  kiln_instance* instance;
  const kiln_module* module;
  u32 start; /* the function index of wasi_thread_start */
  u32 id, arg;
} kiln_thread;

/* wasi_thread_start: an exported function of type (i32, i32) -> (). */
static int kiln_find_thread_start(const kiln_module* m, u32* index) {
  static const char name[] = "wasi_thread_start";
  for (u32 i = 0; i < m->num_exports; i++) {
    const kiln_export* e = &m->exports[i];
    if (e->kind != KILN_EXTERN_FUNC || e->name_length != sizeof name - 1 || memcmp(e->name, name, sizeof name - 1) != 0)
      continue;
    const kiln_functype* type = &m->types[m->func_types[e->index]];
    if (strcmp(type->params, "ii") != 0 || type->results[0] != 0) return -1;
    *index = e->index;
    return 0;
  }
  return -1;
}

/* Ends the program as `kiln run` does after a trap in thread `id`: the trap and its backtrace, then 134. */
static _Noreturn void kiln_thread_failed(kiln_thread* t, int code) {
  pthread_mutex_lock(&kiln_report_lock);
  if (code == KILN_TRAP_EXIT) exit(t->ctx.exit_code);
  char place[64];
  snprintf(place, sizeof place, "wasi_thread_start (thread %u)", t->id);
  kiln_command_print_failure(&t->ctx, t->instance, t->module, code, "", place, NULL);
  exit(134);
}

static void* kiln_thread_main(void* arg) {
  kiln_thread* t = arg;
  kiln_value args[2], none[1];
  args[0].i32 = t->id;
  args[1].i32 = t->arg;
  kiln_trampoline call = t->module->trampolines[t->module->func_types[t->start]];
  int code = kiln_invoke(&t->ctx, call, &t->instance->funcs[t->start], args, none);
  if (code != 0) kiln_thread_failed(t, code);
  kiln_wasi* wasi = t->ctx.host;
  t->module->free(t->instance);
  free(t);
  /* The last touch of the store's things: from here on, its host may free them (and unload the artifact). */
  kiln_wasi_thread_ended(wasi);
  return NULL;
}

/* The spawner's imports, entry by entry, into the new instance (before its init, as a linker would). */
static void kiln_share_imports(const kiln_module* m, kiln_instance* to, const kiln_instance* from) {
  for (u32 i = 0; i < m->num_imports; i++) {
    const kiln_import* entry = &m->imports[i];
    switch (entry->kind) {
      case KILN_EXTERN_FUNC: to->funcs[entry->index] = from->funcs[entry->index]; break;
      case KILN_EXTERN_TABLE: to->tables[entry->index] = from->tables[entry->index]; break;
      case KILN_EXTERN_MEMORY: to->memories[entry->index] = from->memories[entry->index]; break;
      case KILN_EXTERN_GLOBAL: to->globals[entry->index] = from->globals[entry->index]; break;
      case KILN_EXTERN_TAG: to->tags[entry->index] = from->tags[entry->index]; break;
      default: break;
    }
  }
}

s32 kiln_thread_spawn(kiln_wasi* wasi, kiln_instance* parent, u32 start_arg) {
  const kiln_module* m = parent->module;
  u32 start;
  if (kiln_find_thread_start(m, &start) != 0) return -1;
  const u32 id = __atomic_fetch_add(&kiln_next_thread_id, 1, __ATOMIC_RELAXED);
  if (id > KILN_THREAD_ID_MAX) return -1;
  kiln_thread* t = calloc(1, sizeof *t);
  if (t == NULL) return -1;
  t->module = m;
  t->start = start;
  t->id = id;
  t->arg = start_arg;
  /* The spawner's limits, budget and clock, as one store's settings. */
  const kiln_ctx* from = parent->ctx;
  kiln_ctx_init(&t->ctx);
  t->ctx.max_memory_pages = from->max_memory_pages;
  t->ctx.max_store_memory_bytes = from->max_store_memory_bytes;
  t->ctx.max_table_elements = from->max_table_elements;
  t->ctx.max_wasm_stack = from->max_wasm_stack;
  t->ctx.fuel = from->fuel;
  t->ctx.epoch = from->epoch;
  t->ctx.epoch_deadline = from->epoch_deadline;
  t->ctx.epoch_callback = from->epoch_callback;
  t->ctx.epoch_userdata = from->epoch_userdata;
  t->ctx.host = wasi;
  t->instance = m->alloc(&t->ctx);
  if (t->instance == NULL) {
    free(t);
    return -1;
  }
  kiln_share_imports(m, t->instance, parent);
  /* Instantiated on the spawner's thread: a failure is thread-spawn's -1, not a second program's trap. */
  int code = kiln_invoke_init(&t->ctx, m->init, t->instance);
  if (code == 0 && m->start != NULL) code = kiln_invoke_init(&t->ctx, m->start, t->instance);
  if (code == KILN_TRAP_EXIT) kiln_thread_failed(t, code);
  pthread_attr_t attributes;
  pthread_t thread;
  if (code != 0 || pthread_attr_init(&attributes) != 0) {
    m->free(t->instance);
    free(t);
    return -1;
  }
  kiln_wasi_thread_started(wasi);
  int started = pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED) == 0 &&
                pthread_attr_setstacksize(&attributes, KILN_THREAD_STACK) == 0 &&
                pthread_create(&thread, &attributes, kiln_thread_main, t) == 0;
  pthread_attr_destroy(&attributes);
  if (!started) {
    kiln_wasi_thread_ended(wasi);
    m->free(t->instance);
    free(t);
    return -1;
  }
  return (s32)id;
}
