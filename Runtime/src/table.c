/* Table lifetime and growth, and the bulk table instructions. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kiln_limits.h"
#include "kiln_table.h"
#include "kiln_trap.h"

#define KILN_TABLE_GROW_FAILED 0xFFFFFFFFu

int kiln_table_new(kiln_table* t, u8 elem_type, u32 min, u32 max) {
  memset(t, 0, sizeof *t);
  if (min > max || min > KILN_TABLE_ELEMENTS_LIMIT) return -1;
  void** elements = NULL;
  if (min != 0) {
    elements = calloc(min, sizeof(void*)); /* all-zero bits are NULL on every target Kiln supports */
    if (elements == NULL) return -1;
  }
  t->elements = elements;
  t->size = min;
  t->capacity = min;
  t->max = max;
  t->elem_type = elem_type;
  return 0;
}

void kiln_table_free(kiln_table* t) {
  free(t->elements);
  memset(t, 0, sizeof *t);
}

void kiln_table_define(kiln_ctx* ctx, kiln_table* t, u32 index, u8 elem_type, u32 min, u32 max) {
  if (!kiln_table_elements_ok(ctx, min)) {
    kiln_instantiation_failed(ctx, "table %u needs %u elements at minimum but --max-table-elements is %llu", index, min,
                              (unsigned long long)ctx->max_table_elements);
  }
  if (kiln_table_new(t, elem_type, min, max) != 0) kiln_trap(ctx, KILN_TRAP_OUT_OF_MEMORY);
}

u32 kiln_table_grow(kiln_ctx* ctx, kiln_table* t, void* init, u32 n) {
  /* Growth failure is a result (-1), never a trap: past the table's maximum, the store's limit, or memory. */
  u64 old_size = t->size;
  u64 new_size = old_size + n;
  if (new_size > t->max || new_size > KILN_TABLE_ELEMENTS_LIMIT || !kiln_table_elements_ok(ctx, new_size))
    return KILN_TABLE_GROW_FAILED;
  if (new_size > t->capacity) {
    /* Doubling keeps repeated table.grow 1 linear overall; the caps keep the byte count small. */
    u64 capacity = (u64)t->capacity * 2;
    if (capacity < new_size) capacity = new_size;
    if (capacity > t->max) capacity = t->max;
    if (capacity > KILN_TABLE_ELEMENTS_LIMIT) capacity = KILN_TABLE_ELEMENTS_LIMIT;
    if (capacity > SIZE_MAX / sizeof(void*)) return KILN_TABLE_GROW_FAILED;
    void** elements = realloc(t->elements, (size_t)capacity * sizeof(void*));
    if (elements == NULL) return KILN_TABLE_GROW_FAILED; /* the old block is still valid and unchanged */
    t->elements = elements;
    t->capacity = (u32)capacity;
  }
  for (u64 i = old_size; i < new_size; i++) t->elements[i] = init;
  t->size = (u32)new_size;
  return (u32)old_size;
}

static int kiln_range_ok(u64 offset, u64 n, u64 length) { return offset <= length && n <= length - offset; }

u64 kiln_table_grow64(kiln_ctx* ctx, kiln_table* t, void* init, u64 n) {
  if (n > KILN_TABLE_ELEMENTS_LIMIT) return UINT64_MAX; /* more than any table may hold */
  const u32 old = kiln_table_grow(ctx, t, init, (u32)n);
  return old == 0xFFFFFFFFu ? UINT64_MAX : old; /* sizes stay below the limit */
}

void kiln_table_fill(kiln_ctx* ctx, kiln_table* t, u64 i, void* v, u64 n) {
  if (KILN_UNLIKELY(!kiln_range_ok(i, n, t->size))) kiln_trap(ctx, KILN_TRAP_TABLE_OUT_OF_BOUNDS);
  for (u64 k = 0; k < n; k++) t->elements[i + k] = v;
}

void kiln_table_copy(kiln_ctx* ctx, kiln_table* dst, kiln_table* src, u64 d, u64 s, u64 n) {
  if (KILN_UNLIKELY(!kiln_range_ok(d, n, dst->size) || !kiln_range_ok(s, n, src->size)))
    kiln_trap(ctx, KILN_TRAP_TABLE_OUT_OF_BOUNDS);
  if (n != 0) memmove(dst->elements + d, src->elements + s, (size_t)n * sizeof(void*));
}

void kiln_table_init(kiln_ctx* ctx, kiln_table* t, void* const* items, u32 items_len, u64 d, u32 s, u32 n) {
  if (KILN_UNLIKELY(!kiln_range_ok(d, n, t->size) || !kiln_range_ok(s, n, items_len)))
    kiln_trap(ctx, KILN_TRAP_TABLE_OUT_OF_BOUNDS);
  if (n != 0) memcpy(t->elements + d, items + s, (size_t)n * sizeof(void*));
}

int kiln_functype_strings_equal(const kiln_functype* a, const kiln_functype* b) {
  if (strcmp(a->params, b->params) != 0 || strcmp(a->results, b->results) != 0) return 0;
  if (a->key == NULL || b->key == NULL) return a->key == b->key;
  return strcmp(a->key, b->key) == 0;
}
