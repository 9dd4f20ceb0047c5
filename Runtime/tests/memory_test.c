/* Linear memory: bounds checks, growth, bulk operations (RELIABILITY.md items 1-2, 5-10, 12-14, 19-22). */
#define _GNU_SOURCE /* fork/rlimit under -std=c11 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kt.h"

#define PAGE ((u64)KILN_PAGE_SIZE)

static void new_memory(kiln_memory* m, u64 min, u64 max) {
  int rc = kiln_memory_new(m, min, max, 0);
  CHECK_EQ(rc, 0);
  if (rc != 0) abort(); /* the rest of the test would dereference NULL */
}

static void test_new_and_free(kiln_ctx* ctx) {
  kiln_memory m;
  new_memory(&m, 1, 2);
  CHECK_EQ(m.pages, 1);
  CHECK_EQ(m.size, PAGE);
  CHECK_EQ(m.max_pages, 2);
  CHECK_EQ(m.reserved, 2 * PAGE);
  CHECK_EQ(kiln_memory_size(&m), 1);
  CHECK_EQ(kiln_i64_load(ctx, &m, 0, 0) | kiln_i64_load(ctx, &m, PAGE - 8, 0), 0); /* committed pages are zero */
  kiln_memory_free(&m);
  CHECK(m.data == NULL && m.size == 0 && m.reserved == 0);

  CHECK_EQ(kiln_memory_new(&m, 3, 2, 0), -1); /* min > max */
  CHECK(m.data == NULL && m.size == 0);
  CHECK_EQ(kiln_memory_new(&m, 0, 65537, 0), -1); /* past 4 GiB */
  CHECK_EQ(kiln_memory_new(&m, 11, 65536, 10), -1); /* min past the store limit */
}

static void test_round_trip_and_endianness(kiln_ctx* ctx) {
  kiln_memory m;
  new_memory(&m, 1, 1);
  kiln_i32_store(ctx, &m, 1, 0, 0x11223344u); /* unaligned on purpose: alignment is only a hint */
  CHECK_EQ(kiln_i32_load8_u(ctx, &m, 1, 0), 0x44);
  CHECK_EQ(kiln_i32_load8_u(ctx, &m, 4, 0), 0x11);
  CHECK_EQ(kiln_i32_load(ctx, &m, 1, 0), 0x11223344u);
  kiln_i64_store(ctx, &m, 8, 0, 0x8899AABBCCDDEEFFu);
  CHECK_EQ(kiln_i64_load(ctx, &m, 8, 0), 0x8899AABBCCDDEEFFu);
  CHECK_EQ(kiln_i32_load8_s(ctx, &m, 8, 0), 0xFFFFFFFFu);
  CHECK_EQ(kiln_i32_load8_u(ctx, &m, 8, 0), 0xFFu);
  CHECK_EQ(kiln_i32_load16_s(ctx, &m, 8, 0), 0xFFFFEEFFu);
  CHECK_EQ(kiln_i32_load16_u(ctx, &m, 8, 0), 0xEEFFu);
  CHECK_EQ(kiln_i64_load8_s(ctx, &m, 8, 0), 0xFFFFFFFFFFFFFFFFu);
  CHECK_EQ(kiln_i64_load8_u(ctx, &m, 8, 0), 0xFFu);
  CHECK_EQ(kiln_i64_load16_s(ctx, &m, 8, 0), 0xFFFFFFFFFFFFEEFFu);
  CHECK_EQ(kiln_i64_load16_u(ctx, &m, 8, 0), 0xEEFFu);
  CHECK_EQ(kiln_i64_load32_s(ctx, &m, 8, 0), 0xFFFFFFFFCCDDEEFFu);
  CHECK_EQ(kiln_i64_load32_u(ctx, &m, 8, 0), 0xCCDDEEFFu);
  CHECK_EQ(kiln_i64_load32_s(ctx, &m, 12, 0), 0xFFFFFFFF8899AABBu);
  kiln_i32_store(ctx, &m, 16, 0, 0x7F);
  CHECK_EQ(kiln_i32_load8_s(ctx, &m, 16, 0), 0x7F);
  CHECK_EQ(kiln_i64_load16_s(ctx, &m, 16, 0), 0x7F);
  CHECK_EQ(kiln_i64_load32_s(ctx, &m, 16, 0), 0x7F);

  kiln_i32_store8(ctx, &m, 32, 0, 0x12345678u);
  kiln_i32_store16(ctx, &m, 33, 0, 0x9ABCDEF0u);
  kiln_i64_store8(ctx, &m, 35, 0, 0x1122334455667788u);
  kiln_i64_store16(ctx, &m, 36, 0, 0x1122334455667788u);
  kiln_i64_store32(ctx, &m, 38, 0, 0x1122334455667788u);
  CHECK_EQ(kiln_i64_load(ctx, &m, 32, 0), 0x7788778888DEF078ull);
  CHECK_EQ(kiln_i32_load16_u(ctx, &m, 40, 0), 0x5566);

  /* Floats keep their exact bits, signalling NaNs included. */
  kiln_f32_store(ctx, &m, 64, 0, kiln_f32_reinterpret_i32(0x7FA00001u));
  CHECK_EQ(kiln_i32_load(ctx, &m, 64, 0), 0x7FA00001u);
  CHECK_F32_BITS(kiln_f32_load(ctx, &m, 64, 0), 0x7FA00001u);
  kiln_f64_store(ctx, &m, 72, 0, kiln_f64_reinterpret_i64(0xFFF4000000000001u));
  CHECK_EQ(kiln_i64_load(ctx, &m, 72, 0), 0xFFF4000000000001u);
  CHECK_F64_BITS(kiln_f64_load(ctx, &m, 72, 0), 0xFFF4000000000001u);

  kiln_v128 v;
  for (int i = 0; i < 16; i++) v[i] = (u8)(i * 17);
  kiln_v128_store(ctx, &m, 99, 0, v);
  kiln_v128 w = kiln_v128_load(ctx, &m, 99, 0);
  CHECK(memcmp(&v, &w, 16) == 0);
  CHECK_EQ(kiln_i32_load8_u(ctx, &m, 99 + 15, 0), 255);
  kiln_memory_free(&m);
}

/* Item 5: an access of N bytes at size-N succeeds; at size-N+1 it traps and stores nothing. */
static void test_edges_every_width(kiln_ctx* ctx) {
  kiln_memory m;
  new_memory(&m, 1, 1);
  const u64 S = m.size;
  memset(m.data + S - 32, 0xA5, 32);
  kiln_v128 v;
  memset(&v, 0x11, 16);

  CHECK_EQ(kiln_i32_load8_u(ctx, &m, S - 1, 0), 0xA5);
  CHECK_EQ(kiln_i32_load8_s(ctx, &m, S - 1, 0), 0xFFFFFFA5u);
  CHECK_EQ(kiln_i32_load16_u(ctx, &m, S - 2, 0), 0xA5A5);
  CHECK_EQ(kiln_i32_load16_s(ctx, &m, S - 2, 0), 0xFFFFA5A5u);
  CHECK_EQ(kiln_i32_load(ctx, &m, S - 4, 0), 0xA5A5A5A5u);
  CHECK_EQ(kiln_i64_load(ctx, &m, S - 8, 0), 0xA5A5A5A5A5A5A5A5u);
  CHECK_EQ(kiln_i64_load8_u(ctx, &m, S - 1, 0), 0xA5);
  CHECK_EQ(kiln_i64_load16_u(ctx, &m, S - 2, 0), 0xA5A5);
  CHECK_EQ(kiln_i64_load32_u(ctx, &m, S - 4, 0), 0xA5A5A5A5u);
  CHECK_F32_BITS(kiln_f32_load(ctx, &m, S - 4, 0), 0xA5A5A5A5u);
  CHECK_F64_BITS(kiln_f64_load(ctx, &m, S - 8, 0), 0xA5A5A5A5A5A5A5A5u);
  kiln_v128 w = kiln_v128_load(ctx, &m, S - 16, 0);
  CHECK_EQ(w[0] + w[15], 0xA5 * 2);

  const int OOB = KILN_TRAP_MEMORY_OUT_OF_BOUNDS;
  EXPECT_TRAP(ctx, OOB, kiln_i32_load8_u(ctx, &m, S, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i32_load8_s(ctx, &m, S, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i32_load16_u(ctx, &m, S - 1, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i32_load16_s(ctx, &m, S - 1, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i32_load(ctx, &m, S - 3, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i64_load(ctx, &m, S - 7, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i64_load8_s(ctx, &m, S, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i64_load8_u(ctx, &m, S, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i64_load16_s(ctx, &m, S - 1, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i64_load16_u(ctx, &m, S - 1, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i64_load32_s(ctx, &m, S - 3, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i64_load32_u(ctx, &m, S - 3, 0));
  EXPECT_TRAP(ctx, OOB, kiln_f32_load(ctx, &m, S - 3, 0));
  EXPECT_TRAP(ctx, OOB, kiln_f64_load(ctx, &m, S - 7, 0));
  EXPECT_TRAP(ctx, OOB, kiln_v128_load(ctx, &m, S - 15, 0)); /* item 10: straddling the end */

  EXPECT_TRAP(ctx, OOB, kiln_i32_store8(ctx, &m, S, 0, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i32_store16(ctx, &m, S - 1, 0, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i32_store(ctx, &m, S - 3, 0, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i64_store(ctx, &m, S - 7, 0, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i64_store8(ctx, &m, S, 0, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i64_store16(ctx, &m, S - 1, 0, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i64_store32(ctx, &m, S - 3, 0, 0));
  EXPECT_TRAP(ctx, OOB, kiln_f32_store(ctx, &m, S - 3, 0, 0.0f));
  EXPECT_TRAP(ctx, OOB, kiln_f64_store(ctx, &m, S - 7, 0, 0.0));
  EXPECT_TRAP(ctx, OOB, kiln_v128_store(ctx, &m, S - 15, 0, v));
  int untouched = 1;
  for (u64 i = S - 32; i < S; i++) untouched &= m.data[i] == 0xA5;
  CHECK(untouched); /* no partial store */

  kiln_i32_store8(ctx, &m, S - 1, 0, 1);
  kiln_i32_store16(ctx, &m, S - 2, 0, 2);
  kiln_i32_store(ctx, &m, S - 4, 0, 4);
  kiln_i64_store(ctx, &m, S - 8, 0, 8);
  kiln_i64_store8(ctx, &m, S - 1, 0, 1);
  kiln_i64_store16(ctx, &m, S - 2, 0, 2);
  kiln_i64_store32(ctx, &m, S - 4, 0, 4);
  kiln_f32_store(ctx, &m, S - 4, 0, 1.0f);
  kiln_f64_store(ctx, &m, S - 8, 0, 1.0);
  kiln_v128_store(ctx, &m, S - 16, 0, v);
  CHECK_EQ(kiln_i64_load(ctx, &m, S - 8, 0), 0x1111111111111111u);
  kiln_memory_free(&m);
}

/* Items 1, 2, 6, 7, 9: address arithmetic is 64-bit and never wraps into bounds. */
static void test_address_overflow(kiln_ctx* ctx) {
  kiln_memory m;
  new_memory(&m, 1, 1);
  const int OOB = KILN_TRAP_MEMORY_OUT_OF_BOUNDS;
  EXPECT_TRAP(ctx, OOB, kiln_i32_load8_u(ctx, &m, 0xFFFFFFFFu, 1u)); /* item 1 */
  EXPECT_TRAP(ctx, OOB, kiln_i32_load(ctx, &m, 1u, 0xFFFFFFFFu));    /* item 2 */
  EXPECT_TRAP(ctx, OOB, kiln_i64_load(ctx, &m, 0xFFFFFFFFu, 0xFFFFFFFFu));
  EXPECT_TRAP(ctx, OOB, kiln_i64_store(ctx, &m, 0xFFFFFFFFFFFFFFF0u, 0, 1)); /* item 3: no wrap in the check */
  EXPECT_TRAP(ctx, OOB, kiln_i32_load(ctx, &m, 0xFFFFFFFFFFFFFFFFu, 0));
  CHECK_EQ(kiln_i64_load(ctx, &m, 0, 0), 0); /* guest byte 0 unchanged */
  u32 index = 0x80000000u;                                                   /* item 6: zero-extended */
  EXPECT_TRAP(ctx, OOB, kiln_i32_load(ctx, &m, (u64)index, 0u));
  /* Item 7: the index wraps in 32 bits before the offset is added. */
  kiln_i32_store(ctx, &m, 8, 0, 0xCAFEu);
  CHECK_EQ(kiln_i32_load(ctx, &m, (u64)kiln_i32_shl(0x20000001u, 3), 0u), 0xCAFEu);
  /* Item 9: a dead load still traps. */
  EXPECT_TRAP(ctx, OOB, (void)kiln_i32_load(ctx, &m, 65536, 0));
  kiln_memory_free(&m);
}

/* The index and the offset arrive apart (kiln_memory_ptr): an index below m->limit passes with any offset up
 * to KILN_SLACK minus the width without adding them, and everything else takes the exact test. Each case sits
 * on one side of an edge: the limit, KILN_SLACK, the end of memory, and the limit moving with growth. */
static void test_index_and_offset(kiln_ctx* ctx) {
  kiln_memory m;
  new_memory(&m, 1, 2);
  const u64 S = m.size;
  const u64 L = m.limit;
  CHECK_EQ(L, S - KILN_SLACK);
  CHECK_EQ(kiln_memory_limit(KILN_SLACK), 0);
  CHECK_EQ(kiln_memory_limit(KILN_SLACK + 1), 1);
  const int OOB = KILN_TRAP_MEMORY_OUT_OF_BOUNDS;
  kiln_i32_store(ctx, &m, L - 1, KILN_SLACK - 4, 0x01020304u); /* the last 4 bytes but one: fast path */
  CHECK_EQ(kiln_i32_load(ctx, &m, S - 5, 0), 0x01020304u);
  kiln_i32_store(ctx, &m, L, KILN_SLACK - 4, 0x05060708u); /* the very last 4 bytes: at the limit, exact */
  CHECK_EQ(kiln_i32_load(ctx, &m, L - 1, KILN_SLACK - 3), 0x05060708u); /* offset + 4 past KILN_SLACK */
  EXPECT_TRAP(ctx, OOB, kiln_i32_store(ctx, &m, L + 1, KILN_SLACK - 4, 0));
  EXPECT_TRAP(ctx, OOB, kiln_i32_load(ctx, &m, L, KILN_SLACK - 3));
  CHECK_EQ(kiln_i64_load(ctx, &m, L - 1, KILN_SLACK - 7) >> 32, 0x05060708u); /* ends at the end, exact */
  EXPECT_TRAP(ctx, OOB, kiln_i64_load(ctx, &m, L, KILN_SLACK - 7)); /* ends one byte past */
  EXPECT_TRAP(ctx, OOB, kiln_v128_load(ctx, &m, 0, S - 15));
  EXPECT_TRAP(ctx, OOB, kiln_i32_load8_u(ctx, &m, 0, S));
  EXPECT_TRAP(ctx, OOB, kiln_i32_load(ctx, &m, 0xFFFFFFFFFFFFFFFFu, 1)); /* a memory64 address: no wrap */
  /* An offset so large that offset + width wraps to a small number still takes the exact test. */
  EXPECT_TRAP(ctx, OOB, kiln_i32_load(ctx, &m, 0, 0xFFFFFFFFFFFFFFFEu));
  EXPECT_TRAP(ctx, OOB, kiln_memory_check(ctx, &m, 0, 0, S + 1)); /* a widened check's span past KILN_SLACK */
  CHECK_EQ(kiln_i32_load(ctx, &m, S - 4, 0), 0x05060708u); /* the trapping store wrote nothing */
  CHECK_EQ(kiln_memory_grow(ctx, &m, 1), 1);
  CHECK_EQ(m.limit, 2 * S - KILN_SLACK);
  kiln_i32_store(ctx, &m, L + 1, KILN_SLACK - 4, 0x0A0B0C0Du); /* in bounds once memory has grown */
  CHECK_EQ(kiln_i32_load(ctx, &m, S - KILN_SLACK + 1, KILN_SLACK - 4), 0x0A0B0C0Du);
  EXPECT_TRAP(ctx, OOB, kiln_i32_load(ctx, &m, 2 * S - 3, 0));
  kiln_memory_free(&m);
  kiln_memory empty;
  new_memory(&empty, 0, 1);
  CHECK_EQ(empty.limit, 0);
  EXPECT_TRAP(ctx, OOB, kiln_i32_load8_u(ctx, &empty, 0, 0));
  kiln_memory_free(&empty);
}

/* Item 8: with malloc'd backing under ASan, a load at size-8 reads exactly 8 bytes. */
static void test_exact_read_size(kiln_ctx* ctx) {
  u8* bytes = malloc(PAGE);
  if (bytes == NULL) abort();
  memset(bytes, 0, PAGE);
  bytes[PAGE - 1] = 0x80; /* the sign bit of the f64 at size-8 */
  kiln_memory m = {.data = bytes, .size = PAGE, .limit = kiln_memory_limit(PAGE), .pages = 1, .max_pages = 1};
  f64 x = kiln_f64_copysign(1.5, kiln_f64_load(ctx, &m, PAGE - 8, 0));
  CHECK_F64_BITS(x, 0xBFF8000000000000u);
  CHECK_EQ(kiln_i32_load8_u(ctx, &m, PAGE - 1, 0), 0x80);
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_f64_load(ctx, &m, PAGE - 7, 0));
  free(bytes);
}

/* Items 19, 20: memory.grow returns the old size or -1, never traps, and new pages are zero. */
static void test_grow(kiln_ctx* ctx) {
  kiln_memory m;
  new_memory(&m, 1, 4);
  u8* base = m.data;
  kiln_i32_store(ctx, &m, 100, 0, 42);
  CHECK_EQ(kiln_memory_grow(ctx, &m, 0), 1);
  CHECK_EQ(kiln_memory_grow(ctx, &m, 2), 1);
  CHECK_EQ(kiln_memory_size(&m), 3);
  CHECK_EQ(m.size, 3 * PAGE);
  CHECK(m.data == base); /* within the reservation data stays put */
  CHECK_EQ(kiln_i32_load(ctx, &m, 100, 0), 42);
  CHECK_EQ(kiln_i64_load(ctx, &m, PAGE, 0) | kiln_i64_load(ctx, &m, 3 * PAGE - 8, 0), 0);
  kiln_i32_store(ctx, &m, 3 * PAGE - 4, 0, 7);
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_i32_load(ctx, &m, 3 * PAGE, 0));
  CHECK_EQ(kiln_memory_grow(ctx, &m, 2), KILN_GROW_FAILED); /* past max */
  CHECK_EQ(kiln_memory_grow(ctx, &m, 0xFFFFFFFFu), KILN_GROW_FAILED);
  CHECK_EQ(kiln_memory_grow(ctx, &m, 0x10000u), KILN_GROW_FAILED);
  CHECK_EQ(m.pages, 3);
  CHECK_EQ(m.size, 3 * PAGE);
  CHECK_EQ(kiln_memory_grow(ctx, &m, 1), 3);
  CHECK_EQ(kiln_memory_grow(NULL, &m, 0), 4); /* ctx is optional */
  kiln_memory_free(&m);

  /* The store's limit caps growth below the declared maximum. */
  new_memory(&m, 1, 65536);
  ctx->max_memory_pages = 3;
  CHECK_EQ(kiln_memory_grow(ctx, &m, 3), KILN_GROW_FAILED);
  CHECK_EQ(kiln_memory_grow(ctx, &m, 2), 1);
  CHECK_EQ(kiln_memory_grow(ctx, &m, 1), KILN_GROW_FAILED);
  ctx->max_memory_pages = 2;
  CHECK_EQ(kiln_memory_grow(ctx, &m, 0), 3); /* grow 0 reports the size even above a lowered limit */
  ctx->max_memory_pages = 0;                 /* 0: no store limit */
  CHECK_EQ(kiln_memory_grow(ctx, &m, 1), 3);
  ctx->max_memory_pages = KILN_MAX_PAGES;
  kiln_memory_free(&m);

  /* limit_pages caps the reservation; growth past it fails even without a ctx. */
  CHECK_EQ(kiln_memory_new(&m, 1, 65536, 2), 0);
  CHECK_EQ(m.reserved, 2 * PAGE);
  CHECK_EQ(m.max_pages, 65536);
  CHECK_EQ(kiln_memory_grow(NULL, &m, 2), KILN_GROW_FAILED);
  CHECK_EQ(kiln_memory_grow(NULL, &m, 1), 1);
  kiln_memory_free(&m);
}

/* Item 19: 0-page memories. */
static void test_zero_pages(kiln_ctx* ctx) {
  kiln_memory m;
  new_memory(&m, 0, 0);
  CHECK_EQ(m.reserved, 0);
  CHECK_EQ(kiln_memory_grow(ctx, &m, 0), 0);
  CHECK_EQ(kiln_memory_grow(ctx, &m, 1), KILN_GROW_FAILED);
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_i32_load8_u(ctx, &m, 0, 0));
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_i32_store8(ctx, &m, 0, 0, 1));
  kiln_memory_fill(ctx, &m, 0, 0, 0); /* n == 0 at offset == size: fine, even with no data */
  kiln_memory_copy(ctx, &m, &m, 0, 0, 0);
  kiln_memory_init(ctx, &m, NULL, 0, 0, 0, 0);
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_memory_fill(ctx, &m, 1, 0, 0));
  kiln_memory_free(&m);

  new_memory(&m, 0, 1);
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_i32_load8_u(ctx, &m, 0, 0));
  CHECK_EQ(kiln_memory_grow(ctx, &m, 0), 0);
  CHECK_EQ(kiln_memory_grow(ctx, &m, 1), 0);
  CHECK_EQ(kiln_i64_load(ctx, &m, PAGE - 8, 0), 0);
  kiln_memory_free(&m);
}

/* A memory reserves at most 256 MiB (or its minimum) when made: releasing a 4 GiB reservation cost a small
 * module's instantiation a quarter of its time. Growth past the reservation moves the memory into one twice as
 * large, contents kept and new pages zero; a shared memory's reservation is its whole reach, and never moves. */
static void test_initial_reservation(kiln_ctx* ctx) {
  kiln_memory m;
  new_memory(&m, 1, 65536);
  CHECK_EQ(m.reserved, 4096 * PAGE);
  CHECK_EQ(m.reach, 65536 * PAGE);
  kiln_i32_store(ctx, &m, 100, 0, 0xC0FFEEu);
  CHECK_EQ(kiln_memory_grow(ctx, &m, 4095), 1); /* exactly the reservation: stays put */
  CHECK_EQ(m.reserved, 4096 * PAGE);
  kiln_i32_store(ctx, &m, 4096 * PAGE - 4, 0, 0x12345678u);
  CHECK_EQ(kiln_memory_grow(ctx, &m, 1), 4096); /* one page past: moves into twice as much */
  CHECK_EQ(m.reserved, 8192 * PAGE);
  CHECK_EQ(kiln_i32_load(ctx, &m, 100, 0), 0xC0FFEEu);
  CHECK_EQ(kiln_i32_load(ctx, &m, 4096 * PAGE - 4, 0), 0x12345678u);
  CHECK_EQ(kiln_i64_load(ctx, &m, 4097 * PAGE - 8, 0), 0);
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_i32_load(ctx, &m, 4097 * PAGE - 3, 0));
  kiln_memory_free(&m);
  /* A minimum above it is reserved whole. */
  new_memory(&m, 5000, 65536);
  CHECK_EQ(m.reserved, 5000 * PAGE);
  kiln_memory_free(&m);
  /* Shared: the whole reach, before anything is written. */
  new_memory(&m, 1, 65536);
  CHECK_EQ(kiln_memory_make_shared(&m), 0);
  CHECK_EQ(m.reserved, 65536 * PAGE);
  u8* base = m.data;
  CHECK_EQ(kiln_memory_grow(ctx, &m, 5000), 1);
  CHECK(m.data == base);
  kiln_memory_free(&m);
}

/* Item 22: the 4 GiB maximum either grows fully or fails cleanly; sizes are 64-bit. */
static void test_four_gib(kiln_ctx* ctx) {
  kiln_memory m;
  new_memory(&m, 0, 65536);
  CHECK_EQ(m.reserved, 4096 * PAGE); /* 256 MiB at first (KILN_INITIAL_RESERVATION); growth moves it */
  u32 old = kiln_memory_grow(ctx, &m, 65536);
  if (old == KILN_GROW_FAILED) {
    printf("note: the OS refused to commit 4 GiB; checked that growth failed cleanly\n");
    CHECK_EQ(m.pages, 0);
  } else {
    CHECK_EQ(old, 0);
    CHECK_EQ(m.size, (u64)1 << 32);
    CHECK_EQ(kiln_memory_size(&m), 65536);
    kiln_i32_store8(ctx, &m, 0xFFFFFFFFu, 0, 0x5A);
    CHECK_EQ(kiln_i32_load8_u(ctx, &m, 0xFFFFFFFFu, 0), 0x5A);
    CHECK_EQ(kiln_i32_load(ctx, &m, 0xFFFFFFFCu, 0), 0x5A000000u);
    EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_i32_load(ctx, &m, 0xFFFFFFFDu, 0));
    EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_i32_load8_u(ctx, &m, 0xFFFFFFFFu, 1u));
    kiln_memory_fill(ctx, &m, 0xFFFFFFF0u, 0x77, 16);
    CHECK_EQ(kiln_i64_load(ctx, &m, 0xFFFFFFF8u, 0), 0x7777777777777777u);
    EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_memory_fill(ctx, &m, 0xFFFFFFF0u, 0, 17));
    CHECK_EQ(kiln_memory_grow(ctx, &m, 0), 65536);
    CHECK_EQ(kiln_memory_grow(ctx, &m, 1), KILN_GROW_FAILED);
  }
  kiln_memory_free(&m);
}

/* Item 21: when the OS refuses the reservation or the commit, the result is -1, not a crash. Run in a child
 * with a tight address-space limit so the limit cannot affect the other tests. */
static void test_os_refusal(kiln_ctx* ctx) {
  (void)ctx;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    kiln_memory m;
    if (kiln_memory_new(&m, 1, 2, 0) != 0) _exit(10);
    /* The next mapping of any size fails; the reservation of 4 GiB certainly does. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0) _exit(11);
    FILE* f = fopen("/proc/self/statm", "r");
    unsigned long vm_pages = 0;
    if (f == NULL || fscanf(f, "%lu", &vm_pages) != 1) _exit(12);
    fclose(f);
    rl.rlim_cur = (rlim_t)vm_pages * (rlim_t)sysconf(_SC_PAGESIZE) + (rlim_t)(16u << 20);
    if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(13);
    kiln_memory big; /* a 64 MiB minimum cannot fit in 16 MiB, whatever the fallback */
    if (kiln_memory_new(&big, 1024, 65536, 0) != -1) _exit(20);
    if (big.data != NULL || big.size != 0) _exit(21);
    if (kiln_memory_grow(NULL, &m, 1) != 1) _exit(22); /* a committed grow inside the reservation */
    _exit(0);
  }
  int status = 0;
  CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK_EQ(WEXITSTATUS(status), 0);
}

/* Lowers this process's address-space limit to what it uses now plus `headroom` bytes; 0 or -1. */
static int limit_address_space(u64 headroom) {
  struct rlimit rl;
  FILE* f = fopen("/proc/self/statm", "r");
  unsigned long vm_pages = 0;
  if (getrlimit(RLIMIT_AS, &rl) != 0 || f == NULL || fscanf(f, "%lu", &vm_pages) != 1) return -1;
  fclose(f);
  rl.rlim_cur = (rlim_t)vm_pages * (rlim_t)sysconf(_SC_PAGESIZE) + (rlim_t)headroom;
  return setrlimit(RLIMIT_AS, &rl);
}

/* Whether every byte of [from, to) of m reads as `value`. */
static int bytes_are(const kiln_memory* m, u64 from, u64 to, u8 value) {
  for (u64 i = from; i < to; i++)
    if (m->data[i] != value) return 0;
  return 1;
}

/* Runs stmt, which must trap KILN_TRAP_INSTANTIATION with a detail containing `want`; 0 if it does. */
#define DETAIL_HAS(ctx, stmt, want)                                                                  \
  ({                                                                                                \
    jmp_buf env_;                                                                                   \
    jmp_buf* const saved_ = (ctx)->jmp;                                                             \
    int ok_ = 0;                                                                                    \
    (ctx)->jmp = &env_;                                                                             \
    if (setjmp(env_) == 0) {                                                                        \
      stmt;                                                                                         \
    } else {                                                                                        \
      ok_ = (ctx)->trap_code == KILN_TRAP_INSTANTIATION && (ctx)->trap_detail != NULL &&           \
            strstr((ctx)->trap_detail, (want)) != NULL;                                             \
      if (!ok_) printf("detail: %s\n", (ctx)->trap_detail ? (ctx)->trap_detail : "(none)");       \
    }                                                                                               \
    (ctx)->jmp = saved_;                                                                            \
    ok_;                                                                                            \
  })

/* Item 21 under an address-space limit (ulimit -v), in a child: the 4 GiB reservation of a memory without
 * a maximum fails, so it takes a smaller one and moves when it grows past it, contents kept; only when not
 * even the minimum fits does creation fail, with a message naming the size and the option. Returns the
 * number of the first check that failed, 0 if none. */
static int reservation_fallback_child(kiln_ctx* ctx) {
  if (limit_address_space(64u << 20) != 0) return 1;
  /* Ballast takes most of the headroom while a memory is created, so its reservation is small and there is
   * room, once the ballast is gone, to grow past it. */
  const size_t ballast_bytes = 40u << 20;
  void* ballast = mmap(NULL, ballast_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (ballast == MAP_FAILED) return 1;
  kiln_memory m;
  if (kiln_memory_new(&m, 1, 65536, 0) != 0) return 2;
  munmap(ballast, ballast_bytes);
  if (m.reach != 65536 * PAGE || m.reserved >= m.reach || m.reserved < PAGE) return 3;
  kiln_i32_store(ctx, &m, 100, 0, 0xC0FFEEu);
  kiln_i32_store(ctx, &m, PAGE - 4, 0, 0x12345678u);
  const u64 first = m.reserved;
  u32 delta = (u32)(first / PAGE); /* one page past the reservation */
  if (kiln_memory_grow(ctx, &m, delta) != 1) return 4;
  if (m.pages != 1 + delta || m.size != (1 + delta) * PAGE || m.reserved < m.size) return 5;
  if (kiln_i32_load(ctx, &m, 100, 0) != 0xC0FFEEu || kiln_i32_load(ctx, &m, PAGE - 4, 0) != 0x12345678u) return 6;
  if (!bytes_are(&m, PAGE, m.size, 0)) return 7; /* grown pages are zero */
  kiln_i64_store(ctx, &m, m.size - 8, 0, 0x1122334455667788u);
  /* Growth the address space cannot hold fails cleanly and leaves the memory as it was. */
  const u64 pages = m.pages;
  if (kiln_memory_grow(ctx, &m, 4096) != KILN_GROW_FAILED) return 8;
  if (m.pages != pages || m.size != pages * PAGE) return 9;
  if (kiln_i32_load(ctx, &m, 100, 0) != 0xC0FFEEu || kiln_i64_load(ctx, &m, m.size - 8, 0) != 0x1122334455667788u) return 10;
  if (kiln_memory_grow(ctx, &m, 1) != pages) return 11; /* and later growth still works */
  if (kiln_i64_load(ctx, &m, m.size - 8, 0) != 0 || kiln_i32_load(ctx, &m, 100, 0) != 0xC0FFEEu) return 12;
  kiln_memory_free(&m);

  /* A 0-page minimum with a small reservation: growth past it maps a fresh one. */
  kiln_memory z;
  ballast = mmap(NULL, ballast_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (ballast == MAP_FAILED) return 13;
  if (kiln_memory_new(&z, 0, 65536, 0) != 0 || z.size != 0 || z.reserved >= z.reach) return 13;
  munmap(ballast, ballast_bytes);
  u32 past = (u32)(z.reserved / PAGE) + 1;
  if (kiln_memory_grow(ctx, &z, past) != 0 || z.size != past * PAGE || !bytes_are(&z, 0, z.size, 0)) return 14;
  kiln_i32_store(ctx, &z, z.size - 4, 0, 9);
  kiln_memory_free(&z);

  /* Not even the minimum (256 MiB): the message says what was asked and which option lowers it. */
  kiln_memory big;
  if (kiln_memory_new(&big, 4096, 65536, 0) != -1 || big.data != NULL) return 15;
  if (!DETAIL_HAS(ctx, kiln_memory_define(ctx, &big, 2, 4096, 65536, 0),
                  "memory 2: cannot reserve 4 GiB (65536 pages) of address space, nor its minimum of 256 MiB: "))
    return 16;
  if (!DETAIL_HAS(ctx, kiln_memory_define(ctx, &big, 2, 4096, 65536, 0), "--max-memory-pages N")) return 17;
  ctx->max_memory_pages = 8192;
  if (!DETAIL_HAS(ctx, kiln_memory_define(ctx, &big, 0, 4096, 65536, 0), "cannot reserve 512 MiB (8192 pages)"))
    return 18;
  ctx->max_memory_pages = KILN_MAX_PAGES;
  /* Bounds mode guard cannot shrink its 8 GiB: the message points at --bounds explicit. */
  kiln_memory g;
  if (!DETAIL_HAS(ctx, kiln_memory_define(ctx, &g, 0, 1, 1, 1),
                  "memory 0: cannot reserve the 8 GiB of address space that --bounds guard needs"))
    return 19;
  if (!DETAIL_HAS(ctx, kiln_memory_define(ctx, &g, 0, 1, 1, 1), "--bounds explicit")) return 20;
  if (ctx->guarded != NULL) return 21; /* the failed memory is not left on the store's list */
  /* What fits is defined without a trap. */
  kiln_memory small;
  kiln_memory_define(ctx, &small, 0, 2, 65536, 0);
  if (small.size != 2 * PAGE) return 22;
  kiln_memory_free(&small);
  return 0;
}

static void test_reservation_fallback(kiln_ctx* ctx) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) _exit(reservation_fallback_child(ctx));
  int status = 0;
  CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK_EQ(WEXITSTATUS(status), 0); /* else: the number of the check in reservation_fallback_child */
}

/* Bounds explicit and guard alike: a minimum above the store's page limit is an instantiation error that
 * names the limit, not a trap. */
static void test_minimum_above_limit(kiln_ctx* ctx) {
  kiln_memory m;
  ctx->max_memory_pages = 16;
  for (int guarded = 0; guarded <= 1; guarded++) {
    EXPECT_TRAP(ctx, KILN_TRAP_INSTANTIATION, kiln_memory_define(ctx, &m, 0, 17, 65536, guarded));
    CHECK(ctx->trap_detail != NULL &&
          strcmp(ctx->trap_detail, "memory 0 needs 17 pages at minimum but --max-memory-pages is 16") == 0);
    CHECK(m.data == NULL && m.size == 0);
  }
  kiln_memory_define(ctx, &m, 0, 16, 65536, 0); /* exactly the limit is fine */
  CHECK_EQ(m.size, 16 * PAGE);
  CHECK_EQ(m.reserved, 16 * PAGE);
  CHECK_EQ(kiln_memory_grow(ctx, &m, 1), KILN_GROW_FAILED);
  kiln_memory_free(&m);
  ctx->max_memory_pages = KILN_MAX_PAGES;
}

/* The store's limit on all its memories together: instantiation past it is an error naming it, growth past
 * it returns -1 (both memories count; a failed grow counts nothing), and memories the host made are free. */
static void test_store_memory_limit(kiln_ctx* ctx) {
  kiln_memory a, b;
  ctx->max_store_memory_bytes = 4 * PAGE;
  ctx->memory_bytes = 0;
  kiln_memory_define(ctx, &a, 0, 2, 65536, 0);
  EXPECT_TRAP(ctx, KILN_TRAP_INSTANTIATION, kiln_memory_define(ctx, &b, 1, 3, 65536, 0));
  CHECK(ctx->trap_detail != NULL &&
        strcmp(ctx->trap_detail,
               "memory 1 needs 192 KiB at minimum, more than the store's memories may hold (--max-store-memory 256 KiB)") == 0);
  kiln_memory_define(ctx, &b, 1, 1, 65536, 0);
  CHECK_EQ(ctx->memory_bytes, 3 * PAGE);
  CHECK_EQ(kiln_memory_grow(ctx, &a, 2), KILN_GROW_FAILED);
  CHECK_EQ(ctx->memory_bytes, 3 * PAGE);
  CHECK_EQ(kiln_memory_grow(ctx, &b, 1), 1);
  CHECK_EQ(kiln_memory_grow(ctx, &a, 1), KILN_GROW_FAILED);
  CHECK_EQ(kiln_memory_grow64(ctx, &a, 1), KILN_GROW_FAILED64);
  CHECK_EQ(kiln_memory_grow(NULL, &a, 1), 2); /* no store, no limit */
  CHECK_EQ(ctx->memory_bytes, 4 * PAGE);
  kiln_memory_free(&a);
  kiln_memory_free(&b);
  ctx->max_store_memory_bytes = 0;
  ctx->memory_bytes = 0;
}

/* Items 12-14: bulk memory bounds, overlap and dropped segments. */
static void test_bulk(kiln_ctx* ctx) {
  kiln_memory m;
  new_memory(&m, 1, 1);
  const u32 S = (u32)m.size;
  const int OOB = KILN_TRAP_MEMORY_OUT_OF_BOUNDS;

  kiln_memory_fill(ctx, &m, 10, 0x1234, 5); /* value truncates to a byte */
  CHECK_EQ(kiln_i64_load(ctx, &m, 8, 0), 0x0000003434343434ull << 16);
  kiln_memory_fill(ctx, &m, S, 0, 0);
  kiln_memory_fill(ctx, &m, S - 4, 0xEE, 4);
  EXPECT_TRAP(ctx, OOB, kiln_memory_fill(ctx, &m, S + 1, 0, 0));
  EXPECT_TRAP(ctx, OOB, kiln_memory_fill(ctx, &m, S - 3, 0x11, 4));
  EXPECT_TRAP(ctx, OOB, kiln_memory_fill(ctx, &m, 0xFFFFFFFFu, 0x11, 2)); /* d + n wraps in u32 */
  CHECK_EQ(kiln_i32_load(ctx, &m, S - 4, 0), 0xEEEEEEEEu);                  /* nothing written */
  CHECK_EQ(kiln_i32_load8_u(ctx, &m, 0, 0), 0);

  /* memmove semantics both ways. */
  for (u32 i = 0; i < 8; i++) kiln_i32_store8(ctx, &m, 100 + i, 0, i + 1);
  kiln_memory_copy(ctx, &m, &m, 102, 100, 6); /* forward overlap */
  CHECK_EQ(kiln_i64_load(ctx, &m, 100, 0), 0x0605040302010201ull);
  for (u32 i = 0; i < 8; i++) kiln_i32_store8(ctx, &m, 100 + i, 0, i + 1);
  kiln_memory_copy(ctx, &m, &m, 100, 102, 6); /* backward overlap */
  CHECK_EQ(kiln_i64_load(ctx, &m, 100, 0), 0x0807080706050403ull);
  kiln_memory_copy(ctx, &m, &m, S, 0, 0);
  kiln_memory_copy(ctx, &m, &m, 0, S, 0);
  EXPECT_TRAP(ctx, OOB, kiln_memory_copy(ctx, &m, &m, S + 1, 0, 0));
  EXPECT_TRAP(ctx, OOB, kiln_memory_copy(ctx, &m, &m, 0, S + 1, 0));
  EXPECT_TRAP(ctx, OOB, kiln_memory_copy(ctx, &m, &m, 100, S - 4, 8));
  EXPECT_TRAP(ctx, OOB, kiln_memory_copy(ctx, &m, &m, S - 4, 100, 8));
  CHECK_EQ(kiln_i32_load(ctx, &m, S - 4, 0), 0xEEEEEEEEu);
  CHECK_EQ(kiln_i64_load(ctx, &m, 100, 0), 0x0807080706050403ull);

  /* Between two memories. */
  kiln_memory other;
  new_memory(&other, 2, 2);
  kiln_memory_copy(ctx, &other, &m, (u32)(2 * PAGE - 8), 100, 8);
  CHECK_EQ(kiln_i64_load(ctx, &other, 2 * PAGE - 8, 0), 0x0807080706050403ull);
  EXPECT_TRAP(ctx, OOB, kiln_memory_copy(ctx, &m, &other, 0, S, S + 1));
  CHECK_EQ(kiln_i32_load8_u(ctx, &m, 0, 0), 0);
  kiln_memory_free(&other);

  static const u8 segment[] = {1, 2, 3, 4, 5};
  kiln_memory_init(ctx, &m, segment, 5, 200, 1, 4);
  CHECK_EQ(kiln_i32_load(ctx, &m, 200, 0), 0x05040302u);
  kiln_memory_init(ctx, &m, segment, 5, S, 5, 0); /* n == 0 at both ends */
  EXPECT_TRAP(ctx, OOB, kiln_memory_init(ctx, &m, segment, 5, 300, 2, 4));
  EXPECT_TRAP(ctx, OOB, kiln_memory_init(ctx, &m, segment, 5, S - 2, 0, 4));
  EXPECT_TRAP(ctx, OOB, kiln_memory_init(ctx, &m, segment, 5, S + 1, 0, 0));
  EXPECT_TRAP(ctx, OOB, kiln_memory_init(ctx, &m, segment, 5, 0, 6, 0));
  CHECK_EQ(kiln_i32_load(ctx, &m, 300, 0), 0);
  CHECK_EQ(kiln_i32_load(ctx, &m, S - 4, 0), 0xEEEEEEEEu);
  /* Item 14: after data.drop the length is 0. */
  EXPECT_TRAP(ctx, OOB, kiln_memory_init(ctx, &m, segment, 0, 0, 0, 1));
  kiln_memory_init(ctx, &m, segment, 0, 0, 0, 0);
  kiln_memory_init(ctx, &m, NULL, 0, 10, 0, 0);
  EXPECT_TRAP(ctx, OOB, kiln_memory_init(ctx, &m, NULL, 0, 0, 1, 0));
  kiln_memory_free(&m);
}

/* memory64: kiln_address64 traps when idx + offset or its end overflows u64, or leaves the memory; bulk
 * operations take u64 ranges without wrapping; grow64 fails past what any memory may reach. */
static void test_memory64(kiln_ctx* ctx) {
  kiln_memory m;
  new_memory(&m, 1, 2);
  CHECK_EQ(kiln_address64(ctx, &m, 8, 16, 4), 24);
  CHECK_EQ(kiln_address64(ctx, &m, KILN_PAGE_SIZE - 4, 0, 4), KILN_PAGE_SIZE - 4);
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_address64(ctx, &m, UINT64_MAX - 15, 16, 8)); /* wraps to 0 */
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_address64(ctx, &m, 0, UINT64_MAX, 1));
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_address64(ctx, &m, UINT64_MAX - 3, 0, 4)); /* end wraps */
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_address64(ctx, &m, KILN_PAGE_SIZE - 3, 0, 4));
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_memory_fill(ctx, &m, UINT64_MAX, 0, 2));
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_memory_fill(ctx, &m, 2, 0, UINT64_MAX));
  EXPECT_TRAP(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS, kiln_memory_copy(ctx, &m, &m, 0, (u64)1 << 32, 1));
  kiln_memory_fill(ctx, &m, KILN_PAGE_SIZE, 0, 0);
  CHECK_EQ(kiln_memory_grow64(ctx, &m, (u64)1 << 32), KILN_GROW_FAILED64);
  CHECK_EQ(kiln_memory_grow64(ctx, &m, UINT64_MAX), KILN_GROW_FAILED64);
  CHECK_EQ(kiln_memory_grow64(ctx, &m, 1), 1);
  CHECK_EQ(kiln_memory_size64(&m), 2);
  CHECK_EQ(kiln_memory_grow64(ctx, &m, 1), KILN_GROW_FAILED64); /* past the maximum of 2 */
  kiln_memory_free(&m);
}

const kt_test kt_memory_tests[] = {
    {"memory new/free", test_new_and_free},
    {"memory round trip", test_round_trip_and_endianness},
    {"memory edges", test_edges_every_width},
    {"memory address overflow", test_address_overflow},
    {"memory index and offset", test_index_and_offset},
    {"memory exact read size", test_exact_read_size},
    {"memory grow", test_grow},
    {"memory zero pages", test_zero_pages},
    {"memory initial reservation", test_initial_reservation},
    {"memory 4 GiB", test_four_gib},
    {"memory OS refusal", test_os_refusal},
    {"memory reservation fallback", test_reservation_fallback},
    {"memory minimum above limit", test_minimum_above_limit},
    {"memory store limit", test_store_memory_limit},
    {"memory bulk", test_bulk},
    {"memory64", test_memory64},
    {NULL, NULL},
};
