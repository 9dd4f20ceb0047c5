/* A WASI command run the way `kiln run` runs it (kiln_command.h). */
#define _GNU_SOURCE
#include "kiln_command.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiln_backtrace.h"
#include "kiln_exception.h"
#include "kiln_host.h"
#include "kiln_memory.h"
#include "kiln_threads.h"
#include "kiln_trap.h"

int kiln_command_init(kiln_command* c, int argc, const char* program) {
  memset(c, 0, sizeof *c);
  size_t room = (size_t)argc + 2;
  c->args = calloc(room, sizeof(char*));
  c->env = calloc(room, sizeof(char*));
  c->hosts = calloc(room, sizeof(char*));
  c->guests = calloc(room, sizeof(char*));
  c->preopen_flags = calloc(room, sizeof(u32));
  c->max_pages = 65536;
  if (!c->args || !c->env || !c->hosts || !c->guests || !c->preopen_flags) return -1;
  c->args[c->nargs++] = program;
  return 0;
}

void kiln_command_argument(kiln_command* c, const char* argument) { c->args[c->nargs++] = argument; }

/* The value of option `name` at argv[*i]: the rest of `--name=value`, else the next word. NULL if argv[*i]
 * is another option; *missing when it is this one without a value. */
static const char* option_value(const char* name, int argc, char** argv, int* i, int* missing) {
  const char* word = argv[*i];
  size_t n = strlen(name);
  if (strncmp(word, name, n) != 0) return NULL;
  if (word[n] == '=') return word + n + 1;
  if (word[n] != 0) return NULL;
  if (*i + 1 >= argc) {
    *missing = 1;
    return NULL;
  }
  return argv[++*i];
}

static int add_dir(kiln_command* c, const char* spec, u32 flags) {
  char* host = strdup(spec);
  if (!host) return -1;
  char* separator = strstr(host, "::");
  if (separator) {
    *separator = 0;
    c->guests[c->npre] = separator + 2;
  } else {
    c->guests[c->npre] = host;
  }
  c->preopen_flags[c->npre] = flags;
  c->hosts[c->npre++] = host;
  return 1;
}

/* NAME=VALUE as given, or NAME with the host's value, left out when the host does not set it (as
 * `kiln run --env` and wasmtime do). */
static int add_env(kiln_command* c, const char* entry) {
  if (strchr(entry, '=')) {
    c->env[c->nenv++] = entry;
    return 1;
  }
  const char* value = getenv(entry);
  if (value == NULL) return 1;
  size_t n = strlen(entry) + strlen(value) + 2;
  char* joined = malloc(n);
  if (!joined) return -1;
  snprintf(joined, n, "%s=%s", entry, value);
  c->env[c->nenv++] = joined;
  return 1;
}

/* Decimal digits only, as `kiln run` reads a UInt64: no sign, no spaces, no overflow. */
static int read_u64(const char* text, u64* value) {
  if (*text == 0 || strspn(text, "0123456789") != strlen(text)) return -1;
  errno = 0;
  *value = strtoull(text, NULL, 10);
  return errno == ERANGE ? -1 : 0;
}

/* A size as `kiln run` reads one: a number with an optional binary multiple K, M, G or T (either case),
 * optionally followed by B or iB; above 0. */
static int read_size(const char* text, u64* bytes) {
  size_t digits = strspn(text, "0123456789.");
  const char* unit = text + digits;
  double scale = 1;
  const char* multiples = "KMGT";
  const char* found = *unit ? strchr(multiples, *unit >= 'a' && *unit <= 'z' ? *unit - 'a' + 'A' : *unit) : NULL;
  if (found != NULL && *unit != 0) {
    for (const char* m = multiples; m <= found; m++) scale *= 1024;
    unit++;
  }
  if (digits == 0 || !(*unit == 0 || strcmp(unit, "B") == 0 || strcmp(unit, "b") == 0 || strcmp(unit, "iB") == 0 ||
                       strcmp(unit, "ib") == 0))
    return -1;
  char number[64];
  if (digits >= sizeof number) return -1;
  memcpy(number, text, digits);
  number[digits] = 0;
  char* end;
  double value = strtod(number, &end) * scale;
  if (*end != 0 || !(value >= 1) || value >= 9.2e18) return -1;
  *bytes = (u64)value;
  return 0;
}

/* A number with an optional unit, ms, s (the default), m or h, as `kiln run --timeout` reads it. */
static int read_duration(const char* text, double* seconds) {
  static const struct {
    const char* unit;
    double scale;
  } units[] = {{"ms", 0.001}, {"s", 1}, {"m", 60}, {"h", 3600}};
  size_t n = strlen(text), digits = strspn(text, "0123456789.");
  double scale = 1;
  if (digits == 0) return -1;
  if (digits < n) {
    size_t k = 0;
    while (k < sizeof units / sizeof *units && strcmp(text + digits, units[k].unit) != 0) k++;
    if (k == sizeof units / sizeof *units) return -1;
    scale = units[k].scale;
  }
  char number[64];
  if (digits >= sizeof number) return -1;
  memcpy(number, text, digits);
  number[digits] = 0;
  char* end;
  double value = strtod(number, &end);
  if (*end != 0 || !(value * scale > 0) || value * scale > 1e9) return -1;
  *seconds = value * scale;
  return 0;
}

int kiln_command_option(kiln_command* c, int argc, char** argv, int* i) {
  int start = *i, missing = 0;
  const char* value;
  if ((value = option_value("--dir", argc, argv, i, &missing))) {
    if (add_dir(c, value, 0) < 0) return -1;
  } else if ((value = option_value("--readonly-dir", argc, argv, i, &missing))) {
    if (add_dir(c, value, KILN_WASI_PREOPEN_READ_ONLY) < 0) return -1;
  } else if ((value = option_value("--env", argc, argv, i, &missing))) {
    if (add_env(c, value) < 0) return -1;
  } else if ((value = option_value("--argv0", argc, argv, i, &missing))) {
    c->argv0 = value;
    c->args[0] = value;
  } else if ((value = option_value("--max-memory-pages", argc, argv, i, &missing))) {
    if (read_u64(value, &c->max_pages) < 0) return -1;
  } else if ((value = option_value("--max-store-memory", argc, argv, i, &missing))) {
    if (read_size(value, &c->max_store_memory) < 0) return -1;
  } else if ((value = option_value("--max-table-elements", argc, argv, i, &missing))) {
    if (read_u64(value, &c->max_table_elements) < 0 || c->max_table_elements == 0) return -1;
  } else if ((value = option_value("--max-wasm-stack", argc, argv, i, &missing))) {
    if (read_size(value, &c->max_wasm_stack) < 0) return -1;
  } else if ((value = option_value("--fuel", argc, argv, i, &missing))) {
    if (read_u64(value, &c->fuel) < 0) return -1;
    c->fuel_text = value;
  } else if ((value = option_value("--timeout", argc, argv, i, &missing))) {
    if (read_duration(value, &c->timeout_seconds) < 0) return -1;
    c->timeout_text = value;
  } else {
    return missing ? -1 : 0;
  }
  (*i)++;
  return *i > start ? 1 : 0;
}

static const kiln_export* find_export(const kiln_module* m, const char* name) {
  size_t length = strlen(name);
  for (u32 i = 0; i < m->num_exports; i++) {
    const kiln_export* e = &m->exports[i];
    if (e->kind == KILN_EXTERN_FUNC && e->name_length == length && memcmp(e->name, name, length) == 0) return e;
  }
  return NULL;
}

/* The memories the module imports, made to their import's type: a 32-bit one guarded (it then suits code built
 * with either bounds mode), shared when the import is, within --max-memory-pages. They live as long as the
 * process (every thread's instance uses them). 0, or -1 when one cannot be made. */
static int create_imported_memories(kiln_command_run* run) {
  const kiln_module* m = run->module;
  for (u32 i = 0; i < m->num_imports; i++) {
    const kiln_import* entry = &m->imports[i];
    kiln_memory* memory = calloc(1, sizeof *memory);
    if (memory == NULL) return -1;
    const u64 limit = run->ctx.max_memory_pages;
    const u64 max = entry->has_max ? entry->max : KILN_MAX_PAGES;
    int rc = entry->is64 ? kiln_memory_new(memory, entry->min, max < KILN_MAX_PAGES ? max : KILN_MAX_PAGES, limit)
                         : kiln_memory_new_guarded(&run->ctx, memory, entry->min, max, limit);
    if (rc != 0 || (entry->shared && kiln_memory_make_shared(memory) != 0)) {
      if (rc == 0) kiln_memory_free(memory);
      free(memory);
      return -1;
    }
    memory->has_max = entry->has_max;
    memory->is64 = entry->is64;
    run->instance->memories[entry->index] = memory;
  }
  return 0;
}

kiln_command_status kiln_command_prepare(kiln_command_run* run, const kiln_module* m, const kiln_command* c) {
  memset(run, 0, sizeof *run);
  run->module = m;
  run->command = c;
  kiln_ctx_init(&run->ctx);
  run->ctx.max_memory_pages = c->max_pages;
  run->ctx.max_store_memory_bytes = c->max_store_memory;
  run->ctx.max_table_elements = c->max_table_elements;
  run->ctx.max_wasm_stack = c->max_wasm_stack;
  /* A budget the code cannot enforce is refused rather than ignored. */
  if (c->fuel_text && !(m->interruption & KILN_INTERRUPT_FUEL)) return KILN_COMMAND_NO_FUEL_CHECKS;
  if (c->timeout_text && !(m->interruption & KILN_INTERRUPT_EPOCH)) return KILN_COMMAND_NO_EPOCH_CHECKS;
  if (c->fuel_text) run->ctx.fuel = c->fuel;
  /* WASI imports (wasi-threads' thread-spawn too) are bound when the module is compiled; a memory import (a
   * wasi-threads program's shared memory, or any --import-memory build) the command creates; anything else is
   * unknown to a command. */
  for (u32 i = 0; i < m->num_imports; i++)
    if (m->imports[i].kind != KILN_EXTERN_MEMORY) return KILN_COMMAND_IMPORTS;
  run->start = find_export(m, "_start");
  if (!run->start) return KILN_COMMAND_NO_START;
  run->wasi = kiln_wasi_new_with_flags(c->nargs, c->args, c->nenv, c->env, c->npre, c->hosts, c->guests, c->preopen_flags);
  if (!run->wasi) return KILN_COMMAND_NO_PREOPEN;
  run->ctx.host = run->wasi;
  kiln_wasi_set_spawn(run->wasi, kiln_thread_spawn);
  run->instance = m->alloc(&run->ctx);
  if (!run->instance || create_imported_memories(run) != 0) {
    if (run->instance) m->free(run->instance);
    run->instance = NULL;
    kiln_wasi_free(run->wasi);
    run->wasi = NULL;
    return KILN_COMMAND_NO_MEMORY;
  }
  return KILN_COMMAND_READY;
}

void kiln_command_print_backtrace(const kiln_ctx* ctx, const kiln_module* m) {
  kiln_wasm_frame frames[KILN_TRAP_FRAMES];
  int count = kiln_backtrace_frames(ctx, m, frames, KILN_TRAP_FRAMES);
  if (count == 0) return;
  fprintf(stderr, "wasm backtrace:\n");
  for (int i = 0; i < count; i++) {
    char text[200];
    kiln_backtrace_describe(&frames[i], text, sizeof text);
    fprintf(stderr, "  %2d: %s\n", i, text);
  }
}

void kiln_command_print_failure(const kiln_ctx* ctx, const kiln_instance* inst, const kiln_module* m, int code,
                                const char* why, const char* place, const char* module) {
  if (code == KILN_TRAP_EXCEPTION && ctx->exception != NULL) {
    char payload[256], tag[160];
    kiln_exception_format(ctx->exception, payload, sizeof payload);
    kiln_exception_tag_name(inst, ctx->exception, tag, sizeof tag);
    fprintf(stderr, "error: uncaught wasm exception: %s, payload %s\n", tag, payload);
  } else {
    fprintf(stderr, "error: wasm trap: %s%s\n", kiln_trap_message(code), why);
  }
  fprintf(stderr, "  while running %s%s%s\n", place, module ? " of " : "", module ? module : "");
  kiln_command_print_backtrace(ctx, m);
}

/* Exits as `kiln run` does once a call has ended: not at all when it returned, else with the proc_exit
 * status, or 134 after printing the trap. */
static void finish(kiln_command_run* run, int code, const char* place, const char* module) {
  if (code == 0) return;
  if (code == KILN_TRAP_EXIT) exit(run->ctx.exit_code);
  const kiln_command* c = run->command;
  char why[160] = "";
  if (code == KILN_TRAP_INTERRUPT && c->timeout_text) snprintf(why, sizeof why, " (--timeout %s reached)", c->timeout_text);
  if (code == KILN_TRAP_OUT_OF_FUEL && c->fuel_text) snprintf(why, sizeof why, " (--fuel %s)", c->fuel_text);
  kiln_command_print_failure(&run->ctx, run->instance, run->module, code, why, place, module);
  exit(134);
}

/* The epoch --timeout advances: one command runs per process. */
static u64 command_epoch;

static void* timeout_thread(void* arg) {
  double seconds = *(const double*)arg;
  struct timespec left = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
  while (nanosleep(&left, &left) != 0 && errno == EINTR) {
  }
  kiln_epoch_advance(&command_epoch);
  return NULL;
}

/* The guest traps with "interrupt" at its first check once `seconds` have passed (the deadline is one tick
 * away). Without a timer thread the run could not be stopped, so failing to start one ends the command. */
static void start_timeout(kiln_command_run* run) {
  run->ctx.epoch = &command_epoch;
  run->ctx.epoch_deadline = kiln_epoch_now(&command_epoch) + 1;
  pthread_attr_t attributes;
  pthread_t thread;
  if (pthread_attr_init(&attributes) != 0 || pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED) != 0 ||
      pthread_create(&thread, &attributes, timeout_thread, (void*)&run->command->timeout_seconds) != 0) {
    fprintf(stderr, "error: --timeout: cannot start a timer thread\n");
    exit(1);
  }
  pthread_attr_destroy(&attributes);
}

void kiln_command_exec(kiln_command_run* run, const kiln_command_places* places) {
  const kiln_module* m = run->module;
  if (run->command->timeout_text) start_timeout(run);
  int code = kiln_invoke_init(&run->ctx, m->init, run->instance);
  if (code == KILN_TRAP_INSTANTIATION) { /* a limit, not a trap: reported as `kiln run` reports it */
    const char* detail = run->ctx.trap_detail ? run->ctx.trap_detail : "out of memory";
    if (places->module) fprintf(stderr, "%s: cannot instantiate module: %s\n", places->module, detail);
    else fprintf(stderr, "error: cannot instantiate module: %s\n", detail);
    exit(1);
  }
  finish(run, code, places->init, places->module);
  if (m->start) finish(run, kiln_invoke_init(&run->ctx, m->start, run->instance), places->start, places->module);
  kiln_value none[1];
  kiln_trampoline t = m->trampolines[m->func_types[run->start->index]];
  finish(run, kiln_invoke(&run->ctx, t, &run->instance->funcs[run->start->index], none, none), places->entry,
         places->module);
  m->free(run->instance);
  kiln_wasi_free(run->wasi);
  exit(0);
}
