/* A minimal QuickJS command for wasm32-wasi (Kiln's large fixture): the upstream qjs needs
   quickjs-libc.c, which the PyPI sdist does not ship. Usage: qjs [-e SCRIPT] [FILE]...
   Defines print(...) and console.log(...); evaluates each script as global code, runs pending jobs,
   and exits 1 after printing an uncaught exception. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quickjs.h"

static JSValue js_print(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  for (int i = 0; i < argc; i++) {
    const char *s = JS_ToCString(ctx, argv[i]);
    if (!s) return JS_EXCEPTION;
    fputs(i ? " " : "", stdout);
    fputs(s, stdout);
    JS_FreeCString(ctx, s);
  }
  fputc('\n', stdout);
  return JS_UNDEFINED;
}

static void dump_exception(JSContext *ctx) {
  JSValue e = JS_GetException(ctx);
  const char *s = JS_ToCString(ctx, e);
  fprintf(stderr, "uncaught: %s\n", s ? s : "(unprintable)");
  if (s) JS_FreeCString(ctx, s);
  if (JS_IsError(ctx, e)) {
    JSValue stack = JS_GetPropertyStr(ctx, e, "stack");
    const char *t = JS_IsUndefined(stack) ? NULL : JS_ToCString(ctx, stack);
    if (t) { fputs(t, stderr); JS_FreeCString(ctx, t); }
    JS_FreeValue(ctx, stack);
  }
  JS_FreeValue(ctx, e);
}

static int eval(JSContext *ctx, const char *src, size_t len, const char *name) {
  JSValue v = JS_Eval(ctx, src, len, name, JS_EVAL_TYPE_GLOBAL);
  int failed = JS_IsException(v);
  if (failed) dump_exception(ctx);
  JS_FreeValue(ctx, v);
  JSContext *job;
  for (;;) {
    int r = JS_ExecutePendingJob(JS_GetRuntime(ctx), &job);
    if (r == 0) break;
    if (r < 0) { dump_exception(job); failed = 1; }
  }
  return failed;
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap + 1);
  size_t r;
  while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) { cap *= 2; buf = realloc(buf, cap + 1); }
  }
  fclose(f);
  if (buf) buf[n] = 0;
  *len = n;
  return buf;
}

int main(int argc, char **argv) {
  JSRuntime *rt = JS_NewRuntime();
  JSContext *ctx = rt ? JS_NewContext(rt) : NULL;
  if (!ctx) { fputs("qjs: cannot allocate the JS runtime\n", stderr); return 2; }
  JSValue global = JS_GetGlobalObject(ctx);
  JS_SetPropertyStr(ctx, global, "print", JS_NewCFunction(ctx, js_print, "print", 1));
  JSValue console = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, console, "log", JS_NewCFunction(ctx, js_print, "log", 1));
  JS_SetPropertyStr(ctx, global, "console", console);
  JS_FreeValue(ctx, global);
  int status = 0;
  for (int i = 1; i < argc && status == 0; i++) {
    if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
      const char *src = argv[++i];
      status = eval(ctx, src, strlen(src), "<cmdline>");
    } else {
      size_t len;
      char *src = read_file(argv[i], &len);
      if (!src) { fprintf(stderr, "qjs: cannot read %s\n", argv[i]); status = 2; break; }
      status = eval(ctx, src, len, argv[i]);
      free(src);
    }
  }
  fflush(stdout);
  JS_FreeContext(ctx);
  JS_FreeRuntime(rt);
  return status;
}
