/* Exceptions: allocation, throwing, and the exceptions a store keeps alive. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiln_exception.h"

kiln_exception* kiln_exception_alloc(const kiln_tag* tag, u32 count) {
  kiln_exception* e = malloc(sizeof(kiln_exception) + (size_t)count * sizeof(kiln_value));
  if (e == NULL) return NULL;
  e->tag = tag;
  e->next_kept = NULL;
  e->kept = 0;
  e->holds = 0;
  e->count = count;
  return e;
}

kiln_exception* kiln_exception_new(kiln_ctx* ctx, const kiln_tag* tag, u32 count) {
  kiln_exception* e = kiln_exception_alloc(tag, count);
  if (e == NULL) kiln_trap(ctx, KILN_TRAP_OUT_OF_MEMORY);
  return e;
}

kiln_value* kiln_exception_payload(kiln_exception* e) { return e->values; }

_Noreturn void kiln_throw(kiln_ctx* ctx, kiln_exception* e) {
  ctx->exception = e;
  kiln_handler* h = ctx->handler;
  if (h == NULL) kiln_trap(ctx, KILN_TRAP_EXCEPTION);
  longjmp(h->jmp, 1);
}

_Noreturn void kiln_throw_ref(kiln_ctx* ctx, void* exnref) {
  if (exnref == NULL) kiln_trap(ctx, KILN_TRAP_NULL_EXCEPTION_REFERENCE);
  kiln_throw(ctx, (kiln_exception*)exnref);
}

kiln_exception* kiln_exception_keep(kiln_ctx* ctx, kiln_exception* e) {
  if (!e->kept) {
    e->kept = 1;
    e->next_kept = ctx->kept_exceptions;
    ctx->kept_exceptions = e;
  }
  return e;
}

void kiln_exception_done(kiln_ctx* ctx, kiln_exception* e) {
  /* A rethrown exnref is a kept exception: it stays for whoever else holds the reference. */
  (void)ctx;
  if (!e->kept && e->holds == 0) free(e);
}

void kiln_exception_hold(kiln_exception* e) { e->holds++; }

void kiln_exception_release(kiln_ctx* ctx, kiln_exception* e, const kiln_exception* in_flight) {
  e->holds--;
  if (e != in_flight) kiln_exception_done(ctx, e);
}

void kiln_ctx_release_exceptions(kiln_ctx* ctx) {
  kiln_exception* e = ctx->kept_exceptions;
  while (e != NULL) {
    kiln_exception* next = e->next_kept;
    free(e);
    e = next;
  }
  ctx->kept_exceptions = NULL;
}

void kiln_exception_format(const kiln_exception* e, char* out, size_t n) {
  if (n == 0) return;
  const char* types = e->tag != NULL && e->tag->type != NULL ? e->tag->type->params : "";
  size_t used = (size_t)snprintf(out, n, "[");
  for (u32 i = 0; i < e->count && types[i] != '\0' && used < n; i++) {
    const kiln_value* v = &e->values[i];
    const char* sep = i == 0 ? "" : ", ";
    int w = 0;
    switch (types[i]) {
      case KILN_I32: w = snprintf(out + used, n - used, "%si32 %" PRId32, sep, (s32)v->i32); break;
      case KILN_I64: w = snprintf(out + used, n - used, "%si64 %" PRId64, sep, (s64)v->i64); break;
      case KILN_F32: w = snprintf(out + used, n - used, "%sf32 %g", sep, (double)v->f32); break;
      case KILN_F64: w = snprintf(out + used, n - used, "%sf64 %g", sep, v->f64); break;
      case KILN_V128: w = snprintf(out + used, n - used, "%sv128", sep); break;
      default: w = snprintf(out + used, n - used, "%s%s", sep, v->ref == NULL ? "ref.null" : "ref"); break;
    }
    if (w < 0) break;
    used += (size_t)w;
  }
  if (used < n) snprintf(out + used, n - used, "]");
}

void kiln_exception_tag_name(const kiln_instance* inst, const kiln_exception* e, char* out, size_t n) {
  if (n == 0) return;
  const kiln_module* m = inst != NULL ? inst->module : NULL;
  u32 count = m != NULL ? m->num_tags : 0;
  for (u32 i = 0; i < count; i++) {
    if (inst->tags[i] != e->tag) continue;
    for (u32 k = 0; k < m->num_exports; k++) {
      const kiln_export* x = &m->exports[k];
      if (x->kind == KILN_EXTERN_TAG && x->index == i && memchr(x->name, 0, x->name_length) == NULL) {
        snprintf(out, n, "tag %" PRIu32 " (export \"%.*s\")", i, (int)x->name_length, x->name);
        return;
      }
    }
    snprintf(out, n, "tag %" PRIu32, i);
    return;
  }
  snprintf(out, n, "a tag of another instance");
}

_Noreturn void kiln_host_throw(kiln_ctx* ctx) {
  if (ctx->host_trap) {
    ctx->host_trap = 0;
    kiln_trap(ctx, KILN_TRAP_HOST);
  }
  kiln_exception* e = ctx->host_exception;
  ctx->host_exception = NULL;
  kiln_throw(ctx, e);
}
