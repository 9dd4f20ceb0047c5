/* A WASI command run the way `kiln run` runs it (kiln_command.h). */
#define _GNU_SOURCE
#include "kiln_command.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiln_exception.h"
#include "kiln_host.h"
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
    /* Decimal digits only, as `kiln run` reads a UInt64: no sign, no spaces, no overflow. */
    if (*value == 0 || strspn(value, "0123456789") != strlen(value)) return -1;
    errno = 0;
    c->max_pages = strtoull(value, NULL, 10);
    if (errno == ERANGE) return -1;
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

kiln_command_status kiln_command_prepare(kiln_command_run* run, const kiln_module* m, const kiln_command* c) {
  memset(run, 0, sizeof *run);
  run->module = m;
  kiln_ctx_init(&run->ctx);
  run->ctx.max_memory_pages = c->max_pages;
  /* WASI imports are bound when the module is compiled; anything left is unknown to a command. */
  if (m->num_imports > 0) return KILN_COMMAND_IMPORTS;
  run->start = find_export(m, "_start");
  if (!run->start) return KILN_COMMAND_NO_START;
  run->wasi = kiln_wasi_new_with_flags(c->nargs, c->args, c->nenv, c->env, c->npre, c->hosts, c->guests, c->preopen_flags);
  if (!run->wasi) return KILN_COMMAND_NO_PREOPEN;
  run->ctx.host = run->wasi;
  run->instance = m->alloc(&run->ctx);
  if (!run->instance) {
    kiln_wasi_free(run->wasi);
    run->wasi = NULL;
    return KILN_COMMAND_NO_MEMORY;
  }
  return KILN_COMMAND_READY;
}

/* Exits as `kiln run` does once a call has ended: not at all when it returned, else with the proc_exit
 * status, or 134 after printing the trap. */
static void finish(kiln_command_run* run, int code, const char* place, const char* module) {
  if (code == 0) return;
  if (code == KILN_TRAP_EXIT) exit(run->ctx.exit_code);
  if (code == KILN_TRAP_EXCEPTION && run->ctx.exception != NULL) {
    char payload[256], tag[160];
    kiln_exception_format(run->ctx.exception, payload, sizeof payload);
    kiln_exception_tag_name(run->instance, run->ctx.exception, tag, sizeof tag);
    fprintf(stderr, "error: uncaught wasm exception: %s, payload %s\n  while running %s%s%s\n", tag, payload, place,
            module ? " of " : "", module ? module : "");
    exit(134);
  }
  fprintf(stderr, "error: wasm trap: %s\n  while running %s%s%s\n", kiln_trap_message(code), place,
          module ? " of " : "", module ? module : "");
  exit(134);
}

void kiln_command_exec(kiln_command_run* run, const kiln_command_places* places) {
  const kiln_module* m = run->module;
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
