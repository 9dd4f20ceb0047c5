/* Exception handling: tags, exceptions, and the handlers of try_table.
 *
 * A try_table installs a kiln_handler (a jmp_buf in its function's frame) at the head of ctx->handler's
 * chain and removes it on every way out of its body; a throw longjmps to the innermost handler, whose
 * function then matches the tag against its catch clauses and branches, or throws on. So code that never
 * throws pays only for installing and removing handlers where it enters and leaves a try_table, nothing
 * elsewhere; a throw costs a longjmp per try_table between it and the catch. With no handler left the
 * exception ends guest execution at the host boundary as KILN_TRAP_EXCEPTION (never a trap that Wasm
 * could catch: traps go to ctx->jmp, not through the handlers). */
#ifndef KILN_EXCEPTION_H
#define KILN_EXCEPTION_H

#include <setjmp.h>
#include <stddef.h>

#include "kiln_abi.h"
#include "kiln_attrs.h"
#include "kiln_trap.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kiln_handler {
  jmp_buf jmp;
  struct kiln_handler* prev;
} kiln_handler;

/* An exception: its tag and payload. An exnref is a pointer to one. */
typedef struct kiln_exception {
  const kiln_tag* tag;
  struct kiln_exception* next_kept; /* ctx->kept_exceptions */
  u32 kept;                         /* on that list */
  u32 holds;                        /* legacy catch clauses that may rethrow it (kiln_exception_hold) */
  u32 count;
  kiln_value values[];
} kiln_exception;

/* A new exception of `count` payload values (traps out of memory). */
KILN_HIDDEN kiln_exception* kiln_exception_new(kiln_ctx* ctx, const kiln_tag* tag, u32 count);
/* The same without trapping: NULL when out of memory (for the host, which must not longjmp). */
KILN_HIDDEN kiln_exception* kiln_exception_alloc(const kiln_tag* tag, u32 count);
/* The payload's values (for the host, which cannot reach a flexible array member). */
KILN_HIDDEN kiln_value* kiln_exception_payload(kiln_exception* e);
/* Throws `e` to the innermost handler, or to the host boundary when there is none. */
KILN_HIDDEN _Noreturn void kiln_throw(kiln_ctx* ctx, kiln_exception* e);
/* throw_ref: traps on null. */
KILN_HIDDEN _Noreturn void kiln_throw_ref(kiln_ctx* ctx, void* exnref);
/* A caught exception whose reference the catching code keeps (catch_ref, catch_all_ref): owned by the
 * store from now on. Returns `e`. */
KILN_HIDDEN kiln_exception* kiln_exception_keep(kiln_ctx* ctx, kiln_exception* e);
/* A caught exception nothing refers to any more (catch, catch_all): freed, unless the store keeps it or a
 * legacy catch clause holds it. */
KILN_HIDDEN void kiln_exception_done(kiln_ctx* ctx, kiln_exception* e);
/* A legacy catch clause that a rethrow names holds its exception until the clause ends, however it ends
 * (normally, by a branch or return: kiln_exception_release(ctx, e, NULL); by an exception leaving it: the
 * clause's cleanup handler passes that exception as in_flight, which is not freed when it is `e` itself).
 * Counted, because one exception can be held by several clauses at once (caught again after a rethrow). */
KILN_HIDDEN void kiln_exception_hold(kiln_exception* e);
KILN_HIDDEN void kiln_exception_release(kiln_ctx* ctx, kiln_exception* e, const kiln_exception* in_flight);
/* Writes `[i32 3, f64 2.5]`, the payload of `e`, into out (at most n bytes, NUL-terminated): what an uncaught
 * exception carries, for the host's message. */
KILN_HIDDEN void kiln_exception_format(const kiln_exception* e, char* out, size_t n);
/* Writes what names e's tag as seen from `inst` into out (at most n bytes, NUL-terminated): `tag 1 (export
 * "e")`, `tag 1` when not exported, `a tag of another instance` when inst has no such tag. */
KILN_HIDDEN void kiln_exception_tag_name(const kiln_instance* inst, const kiln_exception* e, char* out, size_t n);
/* A host function's exception, or its failure (ctx->host_trap): the adapter that called the host function
 * throws it, or traps, once the host function has returned. */
KILN_HIDDEN _Noreturn void kiln_host_throw(kiln_ctx* ctx);
/* Frees every kept exception (when the store goes). */
KILN_HIDDEN void kiln_ctx_release_exceptions(kiln_ctx* ctx);

#ifdef __cplusplus
}
#endif
#endif
