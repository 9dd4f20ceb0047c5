/* Tables and call_indirect. Entries are `const kiln_funcref*` (funcref tables) or host pointers (externref);
 * NULL is the null reference. Range checks use 64-bit sums, so i + n cannot wrap. */
#ifndef KILN_TABLE_H
#define KILN_TABLE_H

#include <string.h>

#include "kiln_abi.h"
#include "kiln_attrs.h"
#include "kiln_trap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* No table grows past this many entries (80 MB of pointers), whatever its declared maximum: table.grow by
 * 0xFFFFFFF0 with no maximum must fail cleanly rather than commit 32 GiB and fill it. Wasmtime uses the
 * same default. */
#define KILN_TABLE_ELEMENTS_LIMIT 10000000u
#define KILN_TABLE_NO_MAX 0xFFFFFFFFu

static inline u32 kiln_table_size(kiln_table* t) { return t->size; }
/* 64-bit tables (table64) take and give u64 indices and sizes; they hold as many entries as any table. */
static inline u64 kiln_table_size64(kiln_table* t) { return t->size; }

/* Indices are u64 (a 32-bit table's are zero-extended), so a table64 index is never truncated. */
static inline void* kiln_table_get(kiln_ctx* ctx, kiln_table* t, u64 i) {
  if (KILN_UNLIKELY(i >= t->size)) kiln_trap(ctx, KILN_TRAP_TABLE_OUT_OF_BOUNDS);
  return t->elements[i];
}

static inline void kiln_table_set(kiln_ctx* ctx, kiln_table* t, u64 i, void* v) {
  if (KILN_UNLIKELY(i >= t->size)) kiln_trap(ctx, KILN_TRAP_TABLE_OUT_OF_BOUNDS);
  t->elements[i] = v;
}

/* Structural: a module's own types match by pointer, an equal type from another module by its strings
 * (kiln_functype_strings_equal, out of line and cold: inlined, its string loads were hoisted into the
 * entry of every function with a call_indirect; PERF-LEADS.md, lead 3). */
KILN_HIDDEN int kiln_functype_strings_equal(const kiln_functype* a, const kiln_functype* b)
    __attribute__((cold, noinline));

static inline int kiln_functype_equal(const kiln_functype* a, const kiln_functype* b) {
  return KILN_LIKELY(a == b) || kiln_functype_strings_equal(a, b);
}

/* The callee of call_indirect, checked in the order the spec scripts expect. */
static inline const kiln_funcref* kiln_funcref_for_call(kiln_ctx* ctx, kiln_table* t, u64 i,
                                                        const kiln_functype* expected) {
  if (KILN_UNLIKELY(i >= t->size)) kiln_trap(ctx, KILN_TRAP_UNDEFINED_ELEMENT);
  const kiln_funcref* f = (const kiln_funcref*)t->elements[i];
  if (KILN_UNLIKELY(f == NULL)) kiln_trap(ctx, KILN_TRAP_UNINITIALIZED_ELEMENT);
  if (KILN_UNLIKELY(!kiln_functype_equal(f->type, expected)))
    kiln_trap(ctx, KILN_TRAP_INDIRECT_CALL_TYPE_MISMATCH);
  return f;
}

/* The callee of call_ref and return_call_ref: validation proved its type, only null is left to check. */
static inline const kiln_funcref* kiln_funcref_for_call_ref(kiln_ctx* ctx, kiln_ref r) {
  if (KILN_UNLIKELY(r == NULL)) kiln_trap(ctx, KILN_TRAP_NULL_FUNCTION_REFERENCE);
  return (const kiln_funcref*)r;
}

/* ref.as_non_null. */
static inline kiln_ref kiln_ref_as_non_null(kiln_ctx* ctx, kiln_ref r) {
  if (KILN_UNLIKELY(r == NULL)) kiln_trap(ctx, KILN_TRAP_NULL_REFERENCE);
  return r;
}

/* Defined in src/table.c. */
KILN_HIDDEN int kiln_table_new(kiln_table* t, u8 elem_type, u32 min, u32 max);

/* A table the module defines, at instantiation: kiln_table_new under the store's element limit (an
 * instantiation error naming it) and out of memory as a trap. `index` is its index, for the message. */
KILN_HIDDEN void kiln_table_define(kiln_ctx* ctx, kiln_table* t, u32 index, u8 elem_type, u32 min, u32 max);
KILN_HIDDEN void kiln_table_free(kiln_table* t);
/* Returns the old size, or 0xFFFFFFFF (table unchanged) past max, past the limit, or out of memory. */
KILN_HIDDEN u32 kiln_table_grow(kiln_ctx* ctx, kiln_table* t, void* init, u32 n);
/* table64: the old size, or UINT64_MAX. */
KILN_HIDDEN u64 kiln_table_grow64(kiln_ctx* ctx, kiln_table* t, void* init, u64 n);
/* Bulk operations check the whole range first: a trap leaves the table untouched. Offsets and lengths are
 * u64 for table64; 32-bit tables pass zero-extended u32 values. */
KILN_HIDDEN void kiln_table_fill(kiln_ctx* ctx, kiln_table* t, u64 i, void* v, u64 n);
KILN_HIDDEN void kiln_table_copy(kiln_ctx* ctx, kiln_table* dst, kiln_table* src, u64 d, u64 s, u64 n);
KILN_HIDDEN void kiln_table_init(kiln_ctx* ctx, kiln_table* t, void* const* items, u32 items_len, u64 d, u32 s,
                                 u32 n);

#ifdef __cplusplus
}
#endif
#endif
