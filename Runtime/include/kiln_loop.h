/* Loop versioning. A loop whose memory addresses are affine in its induction variables gets every such
 * access checked once, before the loop, for all of its iterations; when that check holds, a copy of the
 * loop runs with those accesses unchecked (and a counted back edge clang can vectorize), otherwise the
 * original loop runs with a check per access, so a trap still happens at exactly the access and iteration
 * the spec says, after the earlier iterations' stores.
 *
 * Addresses are handled as exact integers (__int128 never overflows here: a local is < 2^32, coefficients
 * and constants are < 2^40, trip counts <= 2^32). An i32 expression's value is that integer's residue mod
 * 2^32; when the integer lies in [0, 2^32) at the first and the last iteration it lies there at every
 * iteration (it is affine in the iteration), so the residue is the integer itself and the span check is
 * exact. */
#ifndef KILN_LOOP_H
#define KILN_LOOP_H

#include <stdbool.h>
#include <string.h>

#include "kiln_abi.h"
#include "kiln_attrs.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef __int128 kiln_i128;

/* The fewest iterations for which a versioned loop's unchecked copy runs; shorter loops run the original.
 * A short loop gains nothing from the copy (nothing to vectorize, and its per-access checks cost about what
 * the span checks do), while interpreters enter such loops once per operation: SQLite's VDBE stores an
 * integer's 1 to 8 bytes in a loop. From 1 to 8, with the loops' code otherwise the same, callgrind counted
 * SQLite's instructions -3.6% in guard mode (its interpreter function -8.6%, now level with wasm2c's) and
 * -1.5% with explicit checks. */
#ifndef KILN_LOOP_MIN_TRIPS
#define KILN_LOOP_MIN_TRIPS 8u
#endif

/* A local's value at loop entry as the exact integer the checks work with. Any integer congruent to it
 * mod 2^32 is sound (a check that proves an address in [0, 2^32) proves it equal to the Wasm value), so
 * this picks the one most likely to pass: the signed reading while memory is at most 2 GiB (every address
 * is then below 2^31, so pointers read the same either way, and a negative index counting up to zero, the
 * shape clang gives `for (i = 1; i < n - 1; i++)` once it has rebased the index, lands inside the array),
 * the unsigned one above that (pointers past 2 GiB). Every use before one loop sees the same size. */
static inline kiln_i128 kiln_loop_local(const kiln_memory* m, u32 value) {
  return m->size <= 0x80000000ull ? (kiln_i128)(s32)value : (kiln_i128)value;
}

/* Trips of a do-while loop that continues while counter != end, where the counter compared in iteration
 * k is first + step*k (mod 2^32). 0 when that is not a whole number of steps (the counter would wrap). */
static inline u64 kiln_loop_trips_ne(u32 first, u32 end, s64 step) {
  if (step == 0) return 0;
  u64 distance = step > 0 ? (u32)(end - first) : (u32)(first - end);
  u64 magnitude = step > 0 ? (u64)step : (u64)0 - (u64)step;
  if (distance % magnitude != 0) return 0;
  return distance / magnitude + 1;
}

/* Trips of a do-while loop that continues while counter < end (unsigned), counter first + step*k with
 * step > 0. 0 when the counter could wrap past 2^32 before reaching end. */
static inline u64 kiln_loop_trips_lt_u(u32 first, u32 end, s64 step) {
  if (step <= 0 || (u64)end + (u64)step > 0x100000000ull) return 0;
  if (first >= end) return 1;
  return ((u64)end - first + (u64)step - 1) / (u64)step + 1;
}

/* The same for a signed compare. */
static inline u64 kiln_loop_trips_lt_s(u32 first, u32 end, s64 step) {
  s64 a = (s32)first, b = (s32)end;
  if (step <= 0 || b + step > 0x80000000ll) return 0;
  if (a >= b) return 1;
  return (u64)((b - a + step - 1) / step) + 1;
}

/* Trips of a loop that continues while counter > end (unsigned), counting down by -step > 0. */
static inline u64 kiln_loop_trips_gt_u(u32 first, u32 end, s64 step) {
  if (step >= 0 || (s64)end + step < -1) return 0;
  if (first <= end) return 1;
  return ((u64)first - end + (u64)(-step) - 1) / (u64)(-step) + 1;
}

static inline u64 kiln_loop_trips_gt_s(u32 first, u32 end, s64 step) {
  s64 a = (s32)first, b = (s32)end;
  if (step >= 0 || b + step < -0x80000000ll - 1) return 0;
  if (a <= b) return 1;
  return (u64)((a - b + (-step) - 1) / (-step)) + 1;
}

/* Whether the access of `extent` bytes (memarg offset + access size) at index first + step*k stays inside
 * the 32-bit index space and memory m for k = 0 .. trips-1 (trips >= 1). */
static inline bool kiln_loop_span_ok(const kiln_memory* m, kiln_i128 first, kiln_i128 step, u64 trips, u64 extent) {
  kiln_i128 last = first + step * (kiln_i128)(trips - 1);
  kiln_i128 low = first < last ? first : last, high = first < last ? last : first;
  return low >= 0 && high <= 0xffffffffll && (u64)high + extent <= m->size;
}

/* Whether two groups of accesses never touch the same byte in any iteration: each group spans
 * [first, end) in iteration 0 and moves by step per iteration. Checked before a loop whose fast copy tells
 * clang the iterations are independent (its own runtime alias checks cannot tell a base+0 from a base+8
 * access of the same array, which Wasm code unrolled by two is full of). */
static inline bool kiln_loop_disjoint(kiln_i128 first_a, kiln_i128 end_a, kiln_i128 step_a, kiln_i128 first_b,
                                      kiln_i128 end_b, kiln_i128 step_b, u64 trips) {
  kiln_i128 da = step_a * (kiln_i128)(trips - 1), db = step_b * (kiln_i128)(trips - 1);
  kiln_i128 low_a = first_a + (da < 0 ? da : 0), high_a = end_a + (da > 0 ? da : 0);
  kiln_i128 low_b = first_b + (db < 0 ? db : 0), high_b = end_b + (db > 0 ? db : 0);
  return high_a <= low_b || high_b <= low_a;
}

/* A versioned loop's pointer into memory: one per group of accesses, at the group's lowest byte in the
 * first iteration (a typedef so one declaration can name several). */
typedef u8* kiln_loop_ptr;

/* Accesses already proven in bounds by kiln_loop_span_ok, through a pointer derived from a kiln_loop_ptr. */
#define KILN_AT_LOAD(name, type, n)                                                      \
  static inline type name(const u8* p) {                                               \
    type v;                                                                            \
    memcpy(&v, p, n);                                                                  \
    return v;                                                                          \
  }
#define KILN_AT_STORE(name, type, n) \
  static inline void name(u8* p, type v) { memcpy(p, &v, n); }

KILN_AT_LOAD(kiln_i32_load_at, u32, 4)
KILN_AT_LOAD(kiln_i64_load_at, u64, 8)
KILN_AT_LOAD(kiln_f32_load_at, f32, 4)
KILN_AT_LOAD(kiln_f64_load_at, f64, 8)
KILN_AT_LOAD(kiln_v128_load_at, kiln_v128, 16)
KILN_AT_LOAD(kiln_u8_load_at, u8, 1)
KILN_AT_LOAD(kiln_u16_load_at, u16, 2)
KILN_AT_STORE(kiln_i32_store_at, u32, 4)
KILN_AT_STORE(kiln_i64_store_at, u64, 8)
KILN_AT_STORE(kiln_f32_store_at, f32, 4)
KILN_AT_STORE(kiln_f64_store_at, f64, 8)
KILN_AT_STORE(kiln_v128_store_at, kiln_v128, 16)
KILN_AT_STORE(kiln_u8_store_at, u8, 1)
KILN_AT_STORE(kiln_u16_store_at, u16, 2)
#undef KILN_AT_LOAD
#undef KILN_AT_STORE

#ifdef __cplusplus
}
#endif

#endif
