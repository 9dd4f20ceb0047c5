/* main() of a standalone executable (`kiln compile --exe`): the module's code, the runtime and WASI are
 * linked in, so it runs with no Kiln installed. It takes the same flags as `kiln run` and exits the same
 * way: the guest's proc_exit status, or 134 after printing `error: wasm trap: <reason>` to stderr. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiln.h"
#include "kiln_host.h"
#include "kiln_wasi.h"

extern const kiln_module kiln_module_descriptor;

static void usage(const char* self) {
  fprintf(stderr,
          "usage: %s [--dir HOST[::GUEST]]... [--env NAME[=VALUE]]... [--max-memory-pages N] [--] [ARGS...]\n",
          self);
  exit(2);
}

/* The exported function `name`, or NULL. */
static const kiln_export* find_export(const kiln_module* m, const char* name) {
  size_t length = strlen(name);
  for (u32 i = 0; i < m->num_exports; i++) {
    const kiln_export* e = &m->exports[i];
    if (e->kind == KILN_EXTERN_FUNC && e->name_length == length && memcmp(e->name, name, length) == 0) return e;
  }
  return NULL;
}

/* Exits as `kiln run` does for a finished call: 0, the proc_exit status, or 134 after a trap. */
static void finish(kiln_ctx* ctx, int code, const char* what) {
  if (code == 0) return;
  if (code == KILN_TRAP_EXIT) exit(ctx->exit_code);
  fprintf(stderr, "error: wasm trap: %s\n  while running \"%s\"\n", kiln_trap_message(code), what);
  exit(134);
}

int main(int argc, char** argv) {
  const kiln_module* m = &kiln_module_descriptor;
  const char** env = calloc((size_t)argc + 1, sizeof(char*));
  const char** hosts = calloc((size_t)argc + 1, sizeof(char*));
  const char** guests = calloc((size_t)argc + 1, sizeof(char*));
  const char** args = calloc((size_t)argc + 2, sizeof(char*));
  if (!env || !hosts || !guests || !args) return 1;
  int nenv = 0, npre = 0, nargs = 0;
  u64 max_pages = 65536;
  const char* program = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
  args[nargs++] = program;

  int i = 1;
  for (; i < argc; i++) {
    const char* a = argv[i];
    if (strcmp(a, "--") == 0) { i++; break; }
    if (strcmp(a, "--dir") == 0 && i + 1 < argc) {
      char* spec = strdup(argv[++i]);
      char* sep = spec ? strstr(spec, "::") : NULL;
      if (sep) { *sep = 0; guests[npre] = sep + 2; } else { guests[npre] = spec; }
      hosts[npre++] = spec;
    } else if (strcmp(a, "--env") == 0 && i + 1 < argc) {
      const char* e = argv[++i];
      if (strchr(e, '=')) {
        env[nenv++] = e;
      } else {
        const char* value = getenv(e);
        size_t n = strlen(e) + strlen(value ? value : "") + 2;
        char* joined = malloc(n);
        if (!joined) return 1;
        snprintf(joined, n, "%s=%s", e, value ? value : "");
        env[nenv++] = joined;
      }
    } else if (strcmp(a, "--max-memory-pages") == 0 && i + 1 < argc) {
      max_pages = strtoull(argv[++i], NULL, 10);
    } else if (strncmp(a, "--", 2) == 0) {
      usage(program);
    } else {
      break;
    }
  }
  for (; i < argc; i++) args[nargs++] = argv[i];

  /* A write to a closed pipe reaches the guest as EPIPE, as in `kiln run`. */
  signal(SIGPIPE, SIG_IGN);
  kiln_ctx ctx;
  kiln_ctx_init(&ctx);
  ctx.max_memory_pages = max_pages;
  kiln_wasi* wasi = kiln_wasi_new(nargs, args, nenv, env, npre, hosts, guests);
  if (!wasi) {
    fprintf(stderr, "%s: cannot preopen the directories given with --dir\n", program);
    return 1;
  }
  ctx.host = wasi;
  if (m->num_imports > 0) {
    fprintf(stderr, "%s: cannot link module: unknown import: \"%.*s\" \"%.*s\"\n", program, (int)m->imports[0].module_length,
            m->imports[0].module, (int)m->imports[0].name_length, m->imports[0].name);
    return 1;
  }
  kiln_instance* inst = m->alloc(&ctx);
  if (!inst) return 1;
  finish(&ctx, kiln_invoke_init(&ctx, m->init, inst), "instantiation");
  if (m->start) finish(&ctx, kiln_invoke_init(&ctx, m->start, inst), "start");
  const kiln_export* start = find_export(m, "_start");
  if (!start) {
    fprintf(stderr, "%s: not a command: no _start export\n", program);
    return 1;
  }
  kiln_value none[1];
  kiln_trampoline t = m->trampolines[m->func_types[start->index]];
  finish(&ctx, kiln_invoke(&ctx, t, &inst->funcs[start->index], none, none), "_start");
  m->free(inst);
  kiln_wasi_free(wasi);
  return 0;
}
