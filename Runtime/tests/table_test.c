/* Tables and call_indirect (RELIABILITY.md items 14, 17, 18, 27). */
#include <stdint.h>
#include <string.h>

#include "kt.h"

#define P(n) ((void*)(uintptr_t)(n)) /* distinct non-null entries */

static void new_table(kiln_table* t, u32 min, u32 max) {
  int rc = kiln_table_new(t, KILN_EXTERNREF, min, max);
  CHECK_EQ(rc, 0);
}

static int entries_are(kiln_table* t, const uintptr_t* want, u32 n) {
  if (t->size != n) return 0;
  for (u32 i = 0; i < n; i++)
    if ((uintptr_t)t->elements[i] != want[i]) return 0;
  return 1;
}

static void test_new_get_set(kiln_ctx* ctx) {
  kiln_table t;
  new_table(&t, 3, 10);
  CHECK_EQ(kiln_table_size(&t), 3);
  CHECK_EQ(t.max, 10);
  CHECK_EQ(t.elem_type, KILN_EXTERNREF);
  CHECK(kiln_table_get(ctx, &t, 0) == NULL && kiln_table_get(ctx, &t, 2) == NULL);
  kiln_table_set(ctx, &t, 2, P(7));
  CHECK(kiln_table_get(ctx, &t, 2) == P(7));
  EXPECT_TRAP(ctx, KILN_TRAP_TABLE_OUT_OF_BOUNDS, kiln_table_get(ctx, &t, 3));
  EXPECT_TRAP(ctx, KILN_TRAP_TABLE_OUT_OF_BOUNDS, kiln_table_set(ctx, &t, 3, P(1)));
  EXPECT_TRAP(ctx, KILN_TRAP_TABLE_OUT_OF_BOUNDS, kiln_table_get(ctx, &t, 0xFFFFFFFFu));
  kiln_table_free(&t);
  CHECK(t.elements == NULL && t.size == 0);

  CHECK_EQ(kiln_table_new(&t, KILN_FUNCREF, 2, 1), -1);
  CHECK_EQ(kiln_table_new(&t, KILN_FUNCREF, KILN_TABLE_ELEMENTS_LIMIT + 1, KILN_TABLE_NO_MAX), -1);
  new_table(&t, 0, 0);
  EXPECT_TRAP(ctx, KILN_TRAP_TABLE_OUT_OF_BOUNDS, kiln_table_get(ctx, &t, 0));
  kiln_table_free(&t);
}

/* Item 18: table.grow fails cleanly (-1, table unchanged) and grows with amortised reallocation. */
static void test_grow(kiln_ctx* ctx) {
  kiln_table t;
  new_table(&t, 0, 10);
  CHECK_EQ(kiln_table_grow(ctx, &t, P(1), 0), 0);
  CHECK_EQ(kiln_table_grow(ctx, &t, P(1), 1), 0);
  CHECK_EQ(kiln_table_grow(ctx, &t, P(2), 2), 1);
  CHECK_EQ(kiln_table_grow(ctx, &t, NULL, 1), 3);
  static const uintptr_t want[] = {1, 2, 2, 0};
  CHECK(entries_are(&t, want, 4));
  CHECK_EQ(kiln_table_grow(ctx, &t, P(9), 7), 0xFFFFFFFFu); /* past max */
  CHECK_EQ(kiln_table_grow(ctx, &t, P(9), 0xFFFFFFFFu), 0xFFFFFFFFu);
  CHECK(entries_are(&t, want, 4));
  CHECK_EQ(kiln_table_grow(ctx, &t, P(3), 6), 4);
  CHECK_EQ(kiln_table_size(&t), 10);
  CHECK_EQ(kiln_table_grow(ctx, &t, P(3), 0), 10);
  CHECK_EQ(kiln_table_grow(ctx, &t, P(3), 1), 0xFFFFFFFFu);
  kiln_table_free(&t);

  new_table(&t, 1, KILN_TABLE_NO_MAX);
  CHECK_EQ(kiln_table_grow(ctx, &t, NULL, 0xFFFFFFF0u), 0xFFFFFFFFu); /* table_grow.wast, no u32 wrap */
  CHECK_EQ(kiln_table_grow(ctx, &t, NULL, 0xFFFFFFFFu), 0xFFFFFFFFu);
  CHECK_EQ(kiln_table_grow(ctx, &t, NULL, KILN_TABLE_ELEMENTS_LIMIT), 0xFFFFFFFFu);
  CHECK_EQ(kiln_table_size(&t), 1);
  u32 grew = 1;
  for (u32 i = 0; i < 1000; i++) grew &= kiln_table_grow(ctx, &t, P(i + 1), 1) == i + 1;
  CHECK(grew);
  CHECK(t.capacity >= t.size && t.capacity < 2 * t.size + 2); /* doubling, not one-by-one */
  CHECK(kiln_table_get(ctx, &t, 1000) == P(1000));
  kiln_table_free(&t);
}

/* Items 14, 17: bulk table operations trap before touching anything. */
static void test_bulk(kiln_ctx* ctx) {
  kiln_table t;
  new_table(&t, 6, 6);
  const int OOB = KILN_TRAP_TABLE_OUT_OF_BOUNDS;
  kiln_table_fill(ctx, &t, 1, P(5), 2);
  static const uintptr_t filled[] = {0, 5, 5, 0, 0, 0};
  CHECK(entries_are(&t, filled, 6));
  kiln_table_fill(ctx, &t, 6, P(1), 0);
  EXPECT_TRAP(ctx, OOB, kiln_table_fill(ctx, &t, 7, P(1), 0));
  EXPECT_TRAP(ctx, OOB, kiln_table_fill(ctx, &t, 4, P(1), 3));
  EXPECT_TRAP(ctx, OOB, kiln_table_fill(ctx, &t, 0xFFFFFFFFu, P(1), 2));
  CHECK(entries_are(&t, filled, 6));

  for (u32 i = 0; i < 6; i++) kiln_table_set(ctx, &t, i, P(i + 1));
  kiln_table_copy(ctx, &t, &t, 1, 0, 4); /* forward overlap */
  static const uintptr_t fwd[] = {1, 1, 2, 3, 4, 6};
  CHECK(entries_are(&t, fwd, 6));
  for (u32 i = 0; i < 6; i++) kiln_table_set(ctx, &t, i, P(i + 1));
  kiln_table_copy(ctx, &t, &t, 0, 1, 4); /* backward overlap */
  static const uintptr_t back[] = {2, 3, 4, 5, 5, 6};
  CHECK(entries_are(&t, back, 6));
  kiln_table_copy(ctx, &t, &t, 6, 6, 0);
  EXPECT_TRAP(ctx, OOB, kiln_table_copy(ctx, &t, &t, 7, 0, 0));
  EXPECT_TRAP(ctx, OOB, kiln_table_copy(ctx, &t, &t, 0, 7, 0));
  EXPECT_TRAP(ctx, OOB, kiln_table_copy(ctx, &t, &t, 3, 0, 4)); /* table_copy.wast: no partial copy */
  EXPECT_TRAP(ctx, OOB, kiln_table_copy(ctx, &t, &t, 0, 3, 4));
  CHECK(entries_are(&t, back, 6));

  kiln_table other;
  new_table(&other, 2, 2);
  kiln_table_copy(ctx, &other, &t, 0, 4, 2);
  static const uintptr_t copied[] = {5, 6};
  CHECK(entries_are(&other, copied, 2));
  EXPECT_TRAP(ctx, OOB, kiln_table_copy(ctx, &other, &t, 0, 0, 3));
  CHECK(entries_are(&other, copied, 2));
  kiln_table_free(&other);

  void* const items[] = {P(10), P(11), P(12)};
  kiln_table_init(ctx, &t, items, 3, 4, 1, 2);
  static const uintptr_t inited[] = {2, 3, 4, 5, 11, 12};
  CHECK(entries_are(&t, inited, 6));
  kiln_table_init(ctx, &t, items, 3, 6, 3, 0);
  EXPECT_TRAP(ctx, OOB, kiln_table_init(ctx, &t, items, 3, 5, 0, 2));
  EXPECT_TRAP(ctx, OOB, kiln_table_init(ctx, &t, items, 3, 0, 2, 2));
  EXPECT_TRAP(ctx, OOB, kiln_table_init(ctx, &t, items, 3, 0, 4, 0));
  /* After elem.drop the segment is empty. */
  EXPECT_TRAP(ctx, OOB, kiln_table_init(ctx, &t, items, 0, 0, 0, 1));
  kiln_table_init(ctx, &t, NULL, 0, 3, 0, 0);
  EXPECT_TRAP(ctx, OOB, kiln_table_init(ctx, &t, NULL, 0, 7, 0, 0));
  CHECK(entries_are(&t, inited, 6));
  kiln_table_free(&t);

  new_table(&t, 0, 0); /* n == 0 on an empty table with no storage */
  kiln_table_fill(ctx, &t, 0, NULL, 0);
  kiln_table_copy(ctx, &t, &t, 0, 0, 0);
  kiln_table_init(ctx, &t, NULL, 0, 0, 0, 0);
  kiln_table_free(&t);
}

/* Item 27: call_indirect's three checks, and structural type equality across modules. */
static u32 dummy(kiln_instance* self, u32 x) {
  (void)self;
  return x + 1;
}

static void test_funcref_for_call(kiln_ctx* ctx) {
  static const kiln_functype i_i = {"i", "i", NULL};
  static const kiln_functype i_i_other_module = {"i", "i", NULL};
  static const kiln_functype ij_f = {"ij", "f", NULL};
  static const kiln_functype empty = {"", "", NULL};
  kiln_funcref f = {&i_i, (void*)dummy, NULL, NULL};
  kiln_funcref g = {&empty, (void*)dummy, NULL, NULL};
  kiln_table t;
  CHECK_EQ(kiln_table_new(&t, KILN_FUNCREF, 3, 3), 0);
  kiln_table_set(ctx, &t, 0, (void*)&f);
  kiln_table_set(ctx, &t, 2, (void*)&g);

  CHECK(kiln_funcref_for_call(ctx, &t, 0, &i_i) == &f);
  CHECK(kiln_funcref_for_call(ctx, &t, 0, &i_i_other_module) == &f);
  CHECK(kiln_funcref_for_call(ctx, &t, 2, &empty) == &g);
  const kiln_funcref* callee = kiln_funcref_for_call(ctx, &t, 0, &i_i);
  CHECK_EQ(((u32(*)(kiln_instance*, u32))callee->fn)(callee->instance, 41), 42);
  EXPECT_TRAP(ctx, KILN_TRAP_UNDEFINED_ELEMENT, kiln_funcref_for_call(ctx, &t, 3, &i_i));
  EXPECT_TRAP(ctx, KILN_TRAP_UNDEFINED_ELEMENT, kiln_funcref_for_call(ctx, &t, 0xFFFFFFFFu, &i_i));
  EXPECT_TRAP(ctx, KILN_TRAP_UNINITIALIZED_ELEMENT, kiln_funcref_for_call(ctx, &t, 1, &i_i));
  EXPECT_TRAP(ctx, KILN_TRAP_INDIRECT_CALL_TYPE_MISMATCH, kiln_funcref_for_call(ctx, &t, 0, &ij_f));
  EXPECT_TRAP(ctx, KILN_TRAP_INDIRECT_CALL_TYPE_MISMATCH, kiln_funcref_for_call(ctx, &t, 2, &i_i));
  EXPECT_TRAP(ctx, KILN_TRAP_INDIRECT_CALL_TYPE_MISMATCH, kiln_funcref_for_call(ctx, &t, 0, &empty));

  static const kiln_functype results_differ = {"i", "", NULL};
  static const kiln_functype prefix = {"ii", "i", NULL};
  CHECK(!kiln_functype_equal(&i_i, &results_differ));
  CHECK(!kiln_functype_equal(&i_i, &prefix));
  CHECK(kiln_functype_equal(&i_i, &i_i_other_module));
  kiln_table_free(&t);
}

/* Typed function references: types that the same strings spell apart are told apart by their keys, and a
 * typed type never equals a Wasm 2.0 one; call_ref checks only for null. */
static void test_typed_functypes(kiln_ctx* ctx) {
  static const kiln_functype plain = {"r", "", NULL};
  static const kiln_functype to_a = {"r", "", "aaaa"};
  static const kiln_functype to_a_other_module = {"r", "", "aaaa"};
  static const kiln_functype to_b = {"r", "", "bbbb"};
  CHECK(kiln_functype_equal(&to_a, &to_a_other_module));
  CHECK(!kiln_functype_equal(&to_a, &to_b));
  CHECK(!kiln_functype_equal(&to_a, &plain));
  CHECK(!kiln_functype_equal(&plain, &to_a));

  kiln_funcref f = {&to_a, (void*)dummy, NULL, NULL};
  kiln_table t;
  CHECK_EQ(kiln_table_new(&t, KILN_FUNCREF, 1, 1), 0);
  kiln_table_set(ctx, &t, 0, (void*)&f);
  CHECK(kiln_funcref_for_call(ctx, &t, 0, &to_a_other_module) == &f);
  EXPECT_TRAP(ctx, KILN_TRAP_INDIRECT_CALL_TYPE_MISMATCH, kiln_funcref_for_call(ctx, &t, 0, &to_b));
  kiln_table_free(&t);

  CHECK(kiln_funcref_for_call_ref(ctx, &f) == &f);
  EXPECT_TRAP(ctx, KILN_TRAP_NULL_FUNCTION_REFERENCE, kiln_funcref_for_call_ref(ctx, NULL));
  CHECK(kiln_ref_as_non_null(ctx, &f) == &f);
  EXPECT_TRAP(ctx, KILN_TRAP_NULL_REFERENCE, kiln_ref_as_non_null(ctx, NULL));
  CHECK(strcmp(kiln_trap_message(KILN_TRAP_NULL_FUNCTION_REFERENCE), "null function reference") == 0);
  CHECK(strcmp(kiln_trap_message(KILN_TRAP_NULL_REFERENCE), "null reference") == 0);
}

/* Exceptions: a throw lands at the innermost handler with its payload; with none it ends at the entry
 * boundary as KILN_TRAP_EXCEPTION; throw_ref of null traps; a kept exception survives its catch. */
static void test_exceptions(kiln_ctx* ctx) {
  static const kiln_functype payload = {"i", "", NULL};
  kiln_tag tag = {&payload};
  kiln_handler outer, inner;
  volatile int caught = 0;
  outer.prev = ctx->handler;
  ctx->handler = &outer;
  if (setjmp(outer.jmp) == 0) {
    inner.prev = ctx->handler;
    ctx->handler = &inner;
    if (setjmp(inner.jmp) == 0) {
      kiln_exception* e = kiln_exception_new(ctx, &tag, 1);
      e->values[0].i32 = 77;
      kiln_throw(ctx, e);
    }
    /* The inner handler caught it; pass it on to the outer one, as an unmatched try_table does. */
    ctx->handler = inner.prev;
    CHECK(ctx->exception->tag == &tag);
    kiln_throw(ctx, ctx->exception);
  }
  ctx->handler = outer.prev;
  caught = ctx->exception->values[0].i32;
  CHECK_EQ(caught, 77);
  kiln_exception* kept = kiln_exception_keep(ctx, ctx->exception);
  kiln_exception_done(ctx, kept); /* kept: not freed */
  CHECK_EQ(kept->values[0].i32, 77);

  EXPECT_TRAP(ctx, KILN_TRAP_EXCEPTION, kiln_throw(ctx, kiln_exception_new(ctx, &tag, 1)));
  kiln_exception_done(ctx, ctx->exception);
  EXPECT_TRAP(ctx, KILN_TRAP_NULL_EXCEPTION_REFERENCE, kiln_throw_ref(ctx, NULL));
  kiln_ctx_release_exceptions(ctx);
  CHECK(ctx->kept_exceptions == NULL);
}

/* The store's element limit: table.grow past it returns -1, a definition past it is an instantiation error. */
static void test_element_limit(kiln_ctx* ctx) {
  kiln_table t;
  ctx->max_table_elements = 10;
  kiln_table_define(ctx, &t, 0, KILN_FUNCREF, 4, KILN_TABLE_NO_MAX);
  CHECK_EQ(kiln_table_grow(ctx, &t, NULL, 6), 4);
  CHECK_EQ(kiln_table_grow(ctx, &t, NULL, 1), 0xFFFFFFFFu);
  CHECK_EQ(kiln_table_grow64(ctx, &t, NULL, 1), UINT64_MAX);
  CHECK_EQ(t.size, 10);
  CHECK_EQ(kiln_table_grow(NULL, &t, NULL, 1), 10); /* no store, no limit */
  kiln_table_free(&t);
  kiln_table u;
  EXPECT_TRAP(ctx, KILN_TRAP_INSTANTIATION, kiln_table_define(ctx, &u, 3, KILN_FUNCREF, 11, 20));
  CHECK(ctx->trap_detail != NULL &&
        strcmp(ctx->trap_detail, "table 3 needs 11 elements at minimum but --max-table-elements is 10") == 0);
  ctx->max_table_elements = 0;
}

const kt_test kt_table_tests[] = {
    {"table new/get/set", test_new_get_set},
    {"table grow", test_grow},
    {"table bulk", test_bulk},
    {"table funcref_for_call", test_funcref_for_call},
    {"table typed function types", test_typed_functypes},
    {"exceptions", test_exceptions},
    {"table element limit", test_element_limit},
    {NULL, NULL},
};
