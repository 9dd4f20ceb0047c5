/* The fixed-width SIMD instructions (v128): one helper per instruction, named kiln_ + the spec name with
 * dots replaced by underscores (i8x16.add_sat_s -> kiln_i8x16_add_sat_s).
 *
 * Values cross the helpers as kiln_v128 (16 bytes); inside, each shape is a GNU vector type (kiln_i16x8,
 * kiln_f32x4, ...). Changing shape is a vector cast, which reinterprets the bits of a value (no pointer is
 * involved, so strict aliasing does not enter). Lane i of every shape is the Wasm lane i: Kiln only
 * targets little-endian hosts (kiln_memory.h checks).
 *
 * Where C would be undefined or the hardware differs from Wasm, the helpers take care:
 * - Integer arithmetic that may wrap is done on unsigned lanes (vector lanes do not promote to int, so a
 *   u16 lane product wraps like Wasm's). Signed lanes are used for comparisons, for sign extension, and
 *   for >>, which the vector extension defines as an arithmetic shift on signed lanes.
 * - Shift counts are taken modulo the lane width before shifting.
 * - Float-to-int conversions clear out-of-range and NaN lanes before converting (a C conversion of a value
 *   that does not fit is undefined) and saturate afterwards.
 * - Float min/max are Wasm's (NaN wins, -0 < +0), pmin/pmax are the spec's exact comparisons, abs/neg are
 *   bit operations, and the roundings are exact per lane (kiln_float.h), or SSE4.1 roundps where present.
 * - A NaN from arithmetic is computed by the FPU, which quiets signalling NaNs, so results are arithmetic
 *   NaNs as the spec requires (and canonical when the inputs were).
 * Selecting between two results uses bit masks (kiln_simd_select) instead of branches, so a selected NaN
 * keeps its payload bit for bit.
 *
 * Memory instructions check exactly the bytes they touch with kiln_memory_ptr (so a lane load straddling
 * the end traps and touches nothing) and copy with memcpy (alignment is only a hint). */
#ifndef KILN_SIMD_H
#define KILN_SIMD_H

#include <string.h>

#include "kiln_abi.h"
#include "kiln_attrs.h"
#include "kiln_trap.h"
#include "kiln_memory.h"
#include "kiln_float.h"
#include "kiln_convert.h"

#if defined(__SSE4_1__)
#include <smmintrin.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Lane views ---------------------------------------------------------------------------------------- */

typedef s8 kiln_i8x16 __attribute__((vector_size(16)));
typedef u8 kiln_u8x16 __attribute__((vector_size(16)));
typedef s16 kiln_i16x8 __attribute__((vector_size(16)));
typedef u16 kiln_u16x8 __attribute__((vector_size(16)));
typedef s32 kiln_i32x4 __attribute__((vector_size(16)));
typedef u32 kiln_u32x4 __attribute__((vector_size(16)));
typedef s64 kiln_i64x2 __attribute__((vector_size(16)));
typedef u64 kiln_u64x2 __attribute__((vector_size(16)));
typedef f32 kiln_f32x4 __attribute__((vector_size(16)));
typedef f64 kiln_f64x2 __attribute__((vector_size(16)));
/* Half vectors: the low or high 8 bytes, as widening and narrowing see them. */
typedef s8 kiln_i8x8 __attribute__((vector_size(8)));
typedef u8 kiln_u8x8 __attribute__((vector_size(8)));
typedef s16 kiln_i16x4 __attribute__((vector_size(8)));
typedef u16 kiln_u16x4 __attribute__((vector_size(8)));
typedef s32 kiln_i32x2 __attribute__((vector_size(8)));
typedef u32 kiln_u32x2 __attribute__((vector_size(8)));
typedef f32 kiln_f32x2 __attribute__((vector_size(8)));

/* Lanes of `a` where `mask` is all ones, of `b` where it is zero. Bit operations, so NaNs pass unchanged. */
static inline kiln_v128 kiln_simd_select(kiln_v128 mask, kiln_v128 a, kiln_v128 b) {
  return (a & mask) | (b & ~mask);
}

/* ---- Splat --------------------------------------------------------------------------------------------- */

static inline kiln_v128 kiln_i8x16_splat(u32 x) {
  u8 b = (u8)x;
  return (kiln_v128){b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b};
}
static inline kiln_v128 kiln_i16x8_splat(u32 x) {
  u16 h = (u16)x;
  return (kiln_v128)(kiln_u16x8){h, h, h, h, h, h, h, h};
}
static inline kiln_v128 kiln_i32x4_splat(u32 x) { return (kiln_v128)(kiln_u32x4){x, x, x, x}; }
static inline kiln_v128 kiln_i64x2_splat(u64 x) { return (kiln_v128)(kiln_u64x2){x, x}; }
/* An initializer, not `zero + x`: adding would turn -0 into +0 and quiet a signalling NaN. */
static inline kiln_v128 kiln_f32x4_splat(f32 x) { return (kiln_v128)(kiln_f32x4){x, x, x, x}; }
static inline kiln_v128 kiln_f64x2_splat(f64 x) { return (kiln_v128)(kiln_f64x2){x, x}; }

/* ---- Lanes (the lane index is a validated constant) ------------------------------------------------------ */

static inline u32 kiln_i8x16_extract_lane_s(kiln_v128 v, int lane) { return (u32)(s32)((kiln_i8x16)v)[lane]; }
static inline u32 kiln_i8x16_extract_lane_u(kiln_v128 v, int lane) { return ((kiln_u8x16)v)[lane]; }
static inline u32 kiln_i16x8_extract_lane_s(kiln_v128 v, int lane) { return (u32)(s32)((kiln_i16x8)v)[lane]; }
static inline u32 kiln_i16x8_extract_lane_u(kiln_v128 v, int lane) { return ((kiln_u16x8)v)[lane]; }
static inline u32 kiln_i32x4_extract_lane(kiln_v128 v, int lane) { return ((kiln_u32x4)v)[lane]; }
static inline u64 kiln_i64x2_extract_lane(kiln_v128 v, int lane) { return ((kiln_u64x2)v)[lane]; }
static inline f32 kiln_f32x4_extract_lane(kiln_v128 v, int lane) { return ((kiln_f32x4)v)[lane]; }
static inline f64 kiln_f64x2_extract_lane(kiln_v128 v, int lane) { return ((kiln_f64x2)v)[lane]; }

static inline kiln_v128 kiln_i8x16_replace_lane(kiln_v128 v, int lane, u32 x) {
  kiln_u8x16 t = (kiln_u8x16)v;
  t[lane] = (u8)x;
  return (kiln_v128)t;
}
static inline kiln_v128 kiln_i16x8_replace_lane(kiln_v128 v, int lane, u32 x) {
  kiln_u16x8 t = (kiln_u16x8)v;
  t[lane] = (u16)x;
  return (kiln_v128)t;
}
static inline kiln_v128 kiln_i32x4_replace_lane(kiln_v128 v, int lane, u32 x) {
  kiln_u32x4 t = (kiln_u32x4)v;
  t[lane] = x;
  return (kiln_v128)t;
}
static inline kiln_v128 kiln_i64x2_replace_lane(kiln_v128 v, int lane, u64 x) {
  kiln_u64x2 t = (kiln_u64x2)v;
  t[lane] = x;
  return (kiln_v128)t;
}
static inline kiln_v128 kiln_f32x4_replace_lane(kiln_v128 v, int lane, f32 x) {
  kiln_f32x4 t = (kiln_f32x4)v;
  t[lane] = x;
  return (kiln_v128)t;
}
static inline kiln_v128 kiln_f64x2_replace_lane(kiln_v128 v, int lane, f64 x) {
  kiln_f64x2 t = (kiln_f64x2)v;
  t[lane] = x;
  return (kiln_v128)t;
}

/* Lane i of the result is a[s[i]], or 0 when s[i] >= 16 (pshufb alone would use the low 4 bits of
 * s[i] < 128; adding 112 with unsigned saturation moves every index >= 16 to >= 128, which pshufb zeroes). */
static inline kiln_v128 kiln_i8x16_swizzle(kiln_v128 a, kiln_v128 s) {
#if defined(__SSE4_1__)
  return (kiln_v128)_mm_shuffle_epi8((__m128i)a, _mm_adds_epu8((__m128i)s, _mm_set1_epi8(0x70)));
#else
  kiln_v128 r = {0};
  for (int i = 0; i < 16; i++) r[i] = s[i] < 16 ? a[s[i]] : 0;
  return r;
#endif
}

/* ---- Comparisons: each lane becomes all ones (true) or zero ------------------------------------------------ */

static inline kiln_v128 kiln_i8x16_eq(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u8x16)a == (kiln_u8x16)b); }
static inline kiln_v128 kiln_i8x16_ne(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u8x16)a != (kiln_u8x16)b); }
static inline kiln_v128 kiln_i8x16_lt_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i8x16)a < (kiln_i8x16)b); }
static inline kiln_v128 kiln_i8x16_lt_u(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u8x16)a < (kiln_u8x16)b); }
static inline kiln_v128 kiln_i8x16_gt_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i8x16)a > (kiln_i8x16)b); }
static inline kiln_v128 kiln_i8x16_gt_u(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u8x16)a > (kiln_u8x16)b); }
static inline kiln_v128 kiln_i8x16_le_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i8x16)a <= (kiln_i8x16)b); }
static inline kiln_v128 kiln_i8x16_le_u(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u8x16)a <= (kiln_u8x16)b); }
static inline kiln_v128 kiln_i8x16_ge_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i8x16)a >= (kiln_i8x16)b); }
static inline kiln_v128 kiln_i8x16_ge_u(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u8x16)a >= (kiln_u8x16)b); }

static inline kiln_v128 kiln_i16x8_eq(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u16x8)a == (kiln_u16x8)b); }
static inline kiln_v128 kiln_i16x8_ne(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u16x8)a != (kiln_u16x8)b); }
static inline kiln_v128 kiln_i16x8_lt_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i16x8)a < (kiln_i16x8)b); }
static inline kiln_v128 kiln_i16x8_lt_u(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u16x8)a < (kiln_u16x8)b); }
static inline kiln_v128 kiln_i16x8_gt_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i16x8)a > (kiln_i16x8)b); }
static inline kiln_v128 kiln_i16x8_gt_u(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u16x8)a > (kiln_u16x8)b); }
static inline kiln_v128 kiln_i16x8_le_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i16x8)a <= (kiln_i16x8)b); }
static inline kiln_v128 kiln_i16x8_le_u(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u16x8)a <= (kiln_u16x8)b); }
static inline kiln_v128 kiln_i16x8_ge_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i16x8)a >= (kiln_i16x8)b); }
static inline kiln_v128 kiln_i16x8_ge_u(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u16x8)a >= (kiln_u16x8)b); }

static inline kiln_v128 kiln_i32x4_eq(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u32x4)a == (kiln_u32x4)b); }
static inline kiln_v128 kiln_i32x4_ne(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u32x4)a != (kiln_u32x4)b); }
static inline kiln_v128 kiln_i32x4_lt_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i32x4)a < (kiln_i32x4)b); }
static inline kiln_v128 kiln_i32x4_lt_u(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u32x4)a < (kiln_u32x4)b); }
static inline kiln_v128 kiln_i32x4_gt_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i32x4)a > (kiln_i32x4)b); }
static inline kiln_v128 kiln_i32x4_gt_u(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u32x4)a > (kiln_u32x4)b); }
static inline kiln_v128 kiln_i32x4_le_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i32x4)a <= (kiln_i32x4)b); }
static inline kiln_v128 kiln_i32x4_le_u(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u32x4)a <= (kiln_u32x4)b); }
static inline kiln_v128 kiln_i32x4_ge_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i32x4)a >= (kiln_i32x4)b); }
static inline kiln_v128 kiln_i32x4_ge_u(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u32x4)a >= (kiln_u32x4)b); }

static inline kiln_v128 kiln_i64x2_eq(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u64x2)a == (kiln_u64x2)b); }
static inline kiln_v128 kiln_i64x2_ne(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u64x2)a != (kiln_u64x2)b); }
static inline kiln_v128 kiln_i64x2_lt_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i64x2)a < (kiln_i64x2)b); }
static inline kiln_v128 kiln_i64x2_gt_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i64x2)a > (kiln_i64x2)b); }
static inline kiln_v128 kiln_i64x2_le_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i64x2)a <= (kiln_i64x2)b); }
static inline kiln_v128 kiln_i64x2_ge_s(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_i64x2)a >= (kiln_i64x2)b); }

/* C's float comparisons are IEEE's: every ordered comparison with a NaN is false, != is true. */
static inline kiln_v128 kiln_f32x4_eq(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f32x4)a == (kiln_f32x4)b); }
static inline kiln_v128 kiln_f32x4_ne(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f32x4)a != (kiln_f32x4)b); }
static inline kiln_v128 kiln_f32x4_lt(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f32x4)a < (kiln_f32x4)b); }
static inline kiln_v128 kiln_f32x4_gt(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f32x4)a > (kiln_f32x4)b); }
static inline kiln_v128 kiln_f32x4_le(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f32x4)a <= (kiln_f32x4)b); }
static inline kiln_v128 kiln_f32x4_ge(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f32x4)a >= (kiln_f32x4)b); }

static inline kiln_v128 kiln_f64x2_eq(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f64x2)a == (kiln_f64x2)b); }
static inline kiln_v128 kiln_f64x2_ne(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f64x2)a != (kiln_f64x2)b); }
static inline kiln_v128 kiln_f64x2_lt(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f64x2)a < (kiln_f64x2)b); }
static inline kiln_v128 kiln_f64x2_gt(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f64x2)a > (kiln_f64x2)b); }
static inline kiln_v128 kiln_f64x2_le(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f64x2)a <= (kiln_f64x2)b); }
static inline kiln_v128 kiln_f64x2_ge(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f64x2)a >= (kiln_f64x2)b); }

/* ---- Bitwise ----------------------------------------------------------------------------------------------- */

static inline kiln_v128 kiln_v128_not(kiln_v128 a) { return ~a; }
static inline kiln_v128 kiln_v128_and(kiln_v128 a, kiln_v128 b) { return a & b; }
static inline kiln_v128 kiln_v128_andnot(kiln_v128 a, kiln_v128 b) { return a & ~b; }
static inline kiln_v128 kiln_v128_or(kiln_v128 a, kiln_v128 b) { return a | b; }
static inline kiln_v128 kiln_v128_xor(kiln_v128 a, kiln_v128 b) { return a ^ b; }
/* Bits of a where c is 1, of b where c is 0. */
static inline kiln_v128 kiln_v128_bitselect(kiln_v128 a, kiln_v128 b, kiln_v128 c) { return kiln_simd_select(c, a, b); }

/* ---- Tests ------------------------------------------------------------------------------------------------- */

static inline u32 kiln_v128_any_true(kiln_v128 a) {
  kiln_u64x2 t = (kiln_u64x2)a;
  return (t[0] | t[1]) != 0;
}
/* All lanes non-zero: no lane compares equal to zero. */
static inline u32 kiln_i8x16_all_true(kiln_v128 a) { return !kiln_v128_any_true((kiln_v128)((kiln_u8x16)a == 0)); }
static inline u32 kiln_i16x8_all_true(kiln_v128 a) { return !kiln_v128_any_true((kiln_v128)((kiln_u16x8)a == 0)); }
static inline u32 kiln_i32x4_all_true(kiln_v128 a) { return !kiln_v128_any_true((kiln_v128)((kiln_u32x4)a == 0)); }
static inline u32 kiln_i64x2_all_true(kiln_v128 a) { return !kiln_v128_any_true((kiln_v128)((kiln_u64x2)a == 0)); }

/* Bit i of the result is the sign bit of lane i. Portably: give each negative lane a distinct power of two
 * as its weight, then add up the lanes of each 8-byte half with one multiplication (the weights are
 * distinct bits, so the sums never carry). */
static inline u32 kiln_i8x16_bitmask(kiln_v128 a) {
#if defined(__SSE4_1__)
  return (u32)_mm_movemask_epi8((__m128i)a);
#else
  const kiln_u8x16 weights = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
  kiln_u64x2 w = (kiln_u64x2)((kiln_u8x16)((kiln_i8x16)a < 0) & weights);
  return (u32)((w[0] * 0x0101010101010101u) >> 56) | (u32)((w[1] * 0x0101010101010101u) >> 56) << 8;
#endif
}
static inline u32 kiln_i16x8_bitmask(kiln_v128 a) {
#if defined(__SSE4_1__)
  /* Signed saturation keeps each lane's sign in its byte. */
  return (u32)_mm_movemask_epi8(_mm_packs_epi16((__m128i)a, _mm_setzero_si128()));
#else
  const kiln_u16x8 weights = {1, 2, 4, 8, 1, 2, 4, 8};
  kiln_u64x2 w = (kiln_u64x2)((kiln_u16x8)((kiln_i16x8)a < 0) & weights);
  return (u32)((w[0] * 0x0001000100010001u) >> 48) | (u32)((w[1] * 0x0001000100010001u) >> 48) << 4;
#endif
}
static inline u32 kiln_i32x4_bitmask(kiln_v128 a) {
#if defined(__SSE4_1__)
  return (u32)_mm_movemask_ps((__m128)a);
#else
  kiln_u32x4 x = (kiln_u32x4)a >> 31;
  return x[0] | x[1] << 1 | x[2] << 2 | x[3] << 3;
#endif
}
static inline u32 kiln_i64x2_bitmask(kiln_v128 a) {
  kiln_u64x2 x = (kiln_u64x2)a >> 63;
  return (u32)(x[0] | x[1] << 1);
}

/* ---- Integer arithmetic (on unsigned lanes, so wrapping is defined) --------------------------------------- */

static inline kiln_v128 kiln_i8x16_add(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u8x16)a + (kiln_u8x16)b); }
static inline kiln_v128 kiln_i8x16_sub(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u8x16)a - (kiln_u8x16)b); }
static inline kiln_v128 kiln_i8x16_neg(kiln_v128 a) { return (kiln_v128)(-(kiln_u8x16)a); }
static inline kiln_v128 kiln_i16x8_add(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u16x8)a + (kiln_u16x8)b); }
static inline kiln_v128 kiln_i16x8_sub(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u16x8)a - (kiln_u16x8)b); }
static inline kiln_v128 kiln_i16x8_mul(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u16x8)a * (kiln_u16x8)b); }
static inline kiln_v128 kiln_i16x8_neg(kiln_v128 a) { return (kiln_v128)(-(kiln_u16x8)a); }
static inline kiln_v128 kiln_i32x4_add(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u32x4)a + (kiln_u32x4)b); }
static inline kiln_v128 kiln_i32x4_sub(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u32x4)a - (kiln_u32x4)b); }
static inline kiln_v128 kiln_i32x4_mul(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u32x4)a * (kiln_u32x4)b); }
static inline kiln_v128 kiln_i32x4_neg(kiln_v128 a) { return (kiln_v128)(-(kiln_u32x4)a); }
static inline kiln_v128 kiln_i64x2_add(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u64x2)a + (kiln_u64x2)b); }
static inline kiln_v128 kiln_i64x2_sub(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u64x2)a - (kiln_u64x2)b); }
static inline kiln_v128 kiln_i64x2_mul(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_u64x2)a * (kiln_u64x2)b); }
static inline kiln_v128 kiln_i64x2_neg(kiln_v128 a) { return (kiln_v128)(-(kiln_u64x2)a); }

/* abs as (x ^ m) - m with m = all ones in negative lanes; the most negative value stays itself, as in Wasm. */
static inline kiln_v128 kiln_i8x16_abs(kiln_v128 a) {
  kiln_u8x16 m = (kiln_u8x16)((kiln_i8x16)a < 0);
  return (kiln_v128)(((kiln_u8x16)a ^ m) - m);
}
static inline kiln_v128 kiln_i16x8_abs(kiln_v128 a) {
  kiln_u16x8 m = (kiln_u16x8)((kiln_i16x8)a < 0);
  return (kiln_v128)(((kiln_u16x8)a ^ m) - m);
}
static inline kiln_v128 kiln_i32x4_abs(kiln_v128 a) {
  kiln_u32x4 m = (kiln_u32x4)((kiln_i32x4)a < 0);
  return (kiln_v128)(((kiln_u32x4)a ^ m) - m);
}
static inline kiln_v128 kiln_i64x2_abs(kiln_v128 a) {
  kiln_u64x2 m = (kiln_u64x2)((kiln_i64x2)a < 0);
  return (kiln_v128)(((kiln_u64x2)a ^ m) - m);
}

static inline kiln_v128 kiln_i8x16_min_s(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_i8x16)a < (kiln_i8x16)b), a, b); }
static inline kiln_v128 kiln_i8x16_min_u(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_u8x16)a < (kiln_u8x16)b), a, b); }
static inline kiln_v128 kiln_i8x16_max_s(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_i8x16)a > (kiln_i8x16)b), a, b); }
static inline kiln_v128 kiln_i8x16_max_u(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_u8x16)a > (kiln_u8x16)b), a, b); }
static inline kiln_v128 kiln_i16x8_min_s(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_i16x8)a < (kiln_i16x8)b), a, b); }
static inline kiln_v128 kiln_i16x8_min_u(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_u16x8)a < (kiln_u16x8)b), a, b); }
static inline kiln_v128 kiln_i16x8_max_s(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_i16x8)a > (kiln_i16x8)b), a, b); }
static inline kiln_v128 kiln_i16x8_max_u(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_u16x8)a > (kiln_u16x8)b), a, b); }
static inline kiln_v128 kiln_i32x4_min_s(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_i32x4)a < (kiln_i32x4)b), a, b); }
static inline kiln_v128 kiln_i32x4_min_u(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_u32x4)a < (kiln_u32x4)b), a, b); }
static inline kiln_v128 kiln_i32x4_max_s(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_i32x4)a > (kiln_i32x4)b), a, b); }
static inline kiln_v128 kiln_i32x4_max_u(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_u32x4)a > (kiln_u32x4)b), a, b); }

/* Rounding average (a + b + 1) / 2 without widening: a | b is a + b - (a & b), so (a | b) - ((a ^ b) >> 1)
 * = (a & b) + (a ^ b) - ((a ^ b) >> 1) = (a & b) + ceil((a ^ b) / 2), which cannot overflow. */
static inline kiln_v128 kiln_i8x16_avgr_u(kiln_v128 a, kiln_v128 b) {
  kiln_u8x16 x = (kiln_u8x16)a, y = (kiln_u8x16)b;
  return (kiln_v128)((x | y) - ((x ^ y) >> 1));
}
static inline kiln_v128 kiln_i16x8_avgr_u(kiln_v128 a, kiln_v128 b) {
  kiln_u16x8 x = (kiln_u16x8)a, y = (kiln_u16x8)b;
  return (kiln_v128)((x | y) - ((x ^ y) >> 1));
}

/* Population count per byte: the classic parallel bit count, which stays within each byte. */
static inline kiln_v128 kiln_i8x16_popcnt(kiln_v128 a) {
  kiln_u8x16 x = (kiln_u8x16)a;
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return (kiln_v128)((x + (x >> 4)) & 0x0F);
}

/* ---- Saturating arithmetic ----------------------------------------------------------------------------------
 * Computed with wrapping, then overflowing lanes are replaced. Signed: a sum overflows when both operands
 * have the sign the result lacks, a difference when the operands' signs differ and the result's differs
 * from a's; the saturated value has a's sign: (a >> (w-1)) + MAX is MAX for a >= 0 and MIN for a < 0.
 * Unsigned: a sum wrapped iff it is below an operand; a difference is clamped to 0 when b > a. */

static inline kiln_v128 kiln_i8x16_add_sat_s(kiln_v128 a, kiln_v128 b) {
  kiln_u8x16 x = (kiln_u8x16)a, y = (kiln_u8x16)b, r = x + y;
  kiln_v128 overflow = (kiln_v128)((kiln_i8x16)((r ^ x) & (r ^ y)) < 0);
  return kiln_simd_select(overflow, (kiln_v128)((x >> 7) + 0x7F), (kiln_v128)r);
}
static inline kiln_v128 kiln_i8x16_sub_sat_s(kiln_v128 a, kiln_v128 b) {
  kiln_u8x16 x = (kiln_u8x16)a, y = (kiln_u8x16)b, r = x - y;
  kiln_v128 overflow = (kiln_v128)((kiln_i8x16)((x ^ y) & (x ^ r)) < 0);
  return kiln_simd_select(overflow, (kiln_v128)((x >> 7) + 0x7F), (kiln_v128)r);
}
static inline kiln_v128 kiln_i8x16_add_sat_u(kiln_v128 a, kiln_v128 b) {
  kiln_u8x16 x = (kiln_u8x16)a, r = x + (kiln_u8x16)b;
  return (kiln_v128)(r | (kiln_u8x16)(r < x));
}
static inline kiln_v128 kiln_i8x16_sub_sat_u(kiln_v128 a, kiln_v128 b) {
  kiln_u8x16 x = (kiln_u8x16)a, y = (kiln_u8x16)b;
  return (kiln_v128)((x - y) & (kiln_u8x16)(x >= y));
}
static inline kiln_v128 kiln_i16x8_add_sat_s(kiln_v128 a, kiln_v128 b) {
  kiln_u16x8 x = (kiln_u16x8)a, y = (kiln_u16x8)b, r = x + y;
  kiln_v128 overflow = (kiln_v128)((kiln_i16x8)((r ^ x) & (r ^ y)) < 0);
  return kiln_simd_select(overflow, (kiln_v128)((x >> 15) + 0x7FFF), (kiln_v128)r);
}
static inline kiln_v128 kiln_i16x8_sub_sat_s(kiln_v128 a, kiln_v128 b) {
  kiln_u16x8 x = (kiln_u16x8)a, y = (kiln_u16x8)b, r = x - y;
  kiln_v128 overflow = (kiln_v128)((kiln_i16x8)((x ^ y) & (x ^ r)) < 0);
  return kiln_simd_select(overflow, (kiln_v128)((x >> 15) + 0x7FFF), (kiln_v128)r);
}
static inline kiln_v128 kiln_i16x8_add_sat_u(kiln_v128 a, kiln_v128 b) {
  kiln_u16x8 x = (kiln_u16x8)a, r = x + (kiln_u16x8)b;
  return (kiln_v128)(r | (kiln_u16x8)(r < x));
}
static inline kiln_v128 kiln_i16x8_sub_sat_u(kiln_v128 a, kiln_v128 b) {
  kiln_u16x8 x = (kiln_u16x8)a, y = (kiln_u16x8)b;
  return (kiln_v128)((x - y) & (kiln_u16x8)(x >= y));
}

/* (a * b + 2^14) >> 15 per i16 lane, saturated. The product of two i16 fits an i32 with room for the
 * rounding term; only -32768 * -32768 gives 32768, which saturates to 32767. */
static inline kiln_i16x4 kiln_simd_q15mulr_half(kiln_i32x4 x, kiln_i32x4 y) {
  kiln_i32x4 p = (x * y + 0x4000) >> 15;
  kiln_i32x4 max = {0x7FFF, 0x7FFF, 0x7FFF, 0x7FFF};
  p = (kiln_i32x4)kiln_simd_select((kiln_v128)(p > max), (kiln_v128)max, (kiln_v128)p);
  return __builtin_convertvector(p, kiln_i16x4);
}
static inline kiln_v128 kiln_i16x8_q15mulr_sat_s(kiln_v128 a, kiln_v128 b) {
  kiln_i16x8 x = (kiln_i16x8)a, y = (kiln_i16x8)b;
  kiln_i16x4 lo = kiln_simd_q15mulr_half(__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1, 2, 3), kiln_i32x4),
                                         __builtin_convertvector(__builtin_shufflevector(y, y, 0, 1, 2, 3), kiln_i32x4));
  kiln_i16x4 hi = kiln_simd_q15mulr_half(__builtin_convertvector(__builtin_shufflevector(x, x, 4, 5, 6, 7), kiln_i32x4),
                                         __builtin_convertvector(__builtin_shufflevector(y, y, 4, 5, 6, 7), kiln_i32x4));
  return (kiln_v128)__builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7);
}

/* ---- Shifts (count modulo the lane width; >> on signed lanes is arithmetic) ------------------------------ */

static inline kiln_v128 kiln_i8x16_shl(kiln_v128 a, u32 count) { return (kiln_v128)((kiln_u8x16)a << (count & 7u)); }
static inline kiln_v128 kiln_i8x16_shr_s(kiln_v128 a, u32 count) { return (kiln_v128)((kiln_i8x16)a >> (count & 7u)); }
static inline kiln_v128 kiln_i8x16_shr_u(kiln_v128 a, u32 count) { return (kiln_v128)((kiln_u8x16)a >> (count & 7u)); }
static inline kiln_v128 kiln_i16x8_shl(kiln_v128 a, u32 count) { return (kiln_v128)((kiln_u16x8)a << (count & 15u)); }
static inline kiln_v128 kiln_i16x8_shr_s(kiln_v128 a, u32 count) { return (kiln_v128)((kiln_i16x8)a >> (count & 15u)); }
static inline kiln_v128 kiln_i16x8_shr_u(kiln_v128 a, u32 count) { return (kiln_v128)((kiln_u16x8)a >> (count & 15u)); }
static inline kiln_v128 kiln_i32x4_shl(kiln_v128 a, u32 count) { return (kiln_v128)((kiln_u32x4)a << (count & 31u)); }
static inline kiln_v128 kiln_i32x4_shr_s(kiln_v128 a, u32 count) { return (kiln_v128)((kiln_i32x4)a >> (count & 31u)); }
static inline kiln_v128 kiln_i32x4_shr_u(kiln_v128 a, u32 count) { return (kiln_v128)((kiln_u32x4)a >> (count & 31u)); }
static inline kiln_v128 kiln_i64x2_shl(kiln_v128 a, u32 count) { return (kiln_v128)((kiln_u64x2)a << (count & 63u)); }
static inline kiln_v128 kiln_i64x2_shr_s(kiln_v128 a, u32 count) { return (kiln_v128)((kiln_i64x2)a >> (count & 63u)); }
static inline kiln_v128 kiln_i64x2_shr_u(kiln_v128 a, u32 count) { return (kiln_v128)((kiln_u64x2)a >> (count & 63u)); }

/* ---- Widening: extend, extmul, extadd_pairwise, dot ----------------------------------------------------------
 * __builtin_shufflevector picks the low or high half (or the even or odd lanes), __builtin_convertvector
 * sign- or zero-extends by the source lane type. The widened products and sums cannot overflow, except
 * dot's sum of two products, which is added as unsigned so that 2 * (-32768 * -32768) wraps as in Wasm. */

static inline kiln_v128 kiln_i16x8_extend_low_i8x16_s(kiln_v128 a) {
  kiln_i8x16 x = (kiln_i8x16)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1, 2, 3, 4, 5, 6, 7), kiln_i16x8);
}
static inline kiln_v128 kiln_i16x8_extend_high_i8x16_s(kiln_v128 a) {
  kiln_i8x16 x = (kiln_i8x16)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 8, 9, 10, 11, 12, 13, 14, 15), kiln_i16x8);
}
static inline kiln_v128 kiln_i16x8_extend_low_i8x16_u(kiln_v128 a) {
  kiln_u8x16 x = (kiln_u8x16)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1, 2, 3, 4, 5, 6, 7), kiln_u16x8);
}
static inline kiln_v128 kiln_i16x8_extend_high_i8x16_u(kiln_v128 a) {
  kiln_u8x16 x = (kiln_u8x16)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 8, 9, 10, 11, 12, 13, 14, 15), kiln_u16x8);
}
static inline kiln_v128 kiln_i32x4_extend_low_i16x8_s(kiln_v128 a) {
  kiln_i16x8 x = (kiln_i16x8)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1, 2, 3), kiln_i32x4);
}
static inline kiln_v128 kiln_i32x4_extend_high_i16x8_s(kiln_v128 a) {
  kiln_i16x8 x = (kiln_i16x8)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 4, 5, 6, 7), kiln_i32x4);
}
static inline kiln_v128 kiln_i32x4_extend_low_i16x8_u(kiln_v128 a) {
  kiln_u16x8 x = (kiln_u16x8)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1, 2, 3), kiln_u32x4);
}
static inline kiln_v128 kiln_i32x4_extend_high_i16x8_u(kiln_v128 a) {
  kiln_u16x8 x = (kiln_u16x8)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 4, 5, 6, 7), kiln_u32x4);
}
static inline kiln_v128 kiln_i64x2_extend_low_i32x4_s(kiln_v128 a) {
  kiln_i32x4 x = (kiln_i32x4)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1), kiln_i64x2);
}
static inline kiln_v128 kiln_i64x2_extend_high_i32x4_s(kiln_v128 a) {
  kiln_i32x4 x = (kiln_i32x4)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 2, 3), kiln_i64x2);
}
static inline kiln_v128 kiln_i64x2_extend_low_i32x4_u(kiln_v128 a) {
  kiln_u32x4 x = (kiln_u32x4)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1), kiln_u64x2);
}
static inline kiln_v128 kiln_i64x2_extend_high_i32x4_u(kiln_v128 a) {
  kiln_u32x4 x = (kiln_u32x4)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 2, 3), kiln_u64x2);
}

/* extmul = extend both operands, then multiply (the product always fits the wide lane). */
static inline kiln_v128 kiln_i16x8_extmul_low_i8x16_s(kiln_v128 a, kiln_v128 b) {
  return (kiln_v128)((kiln_i16x8)kiln_i16x8_extend_low_i8x16_s(a) * (kiln_i16x8)kiln_i16x8_extend_low_i8x16_s(b));
}
static inline kiln_v128 kiln_i16x8_extmul_high_i8x16_s(kiln_v128 a, kiln_v128 b) {
  return (kiln_v128)((kiln_i16x8)kiln_i16x8_extend_high_i8x16_s(a) * (kiln_i16x8)kiln_i16x8_extend_high_i8x16_s(b));
}
static inline kiln_v128 kiln_i16x8_extmul_low_i8x16_u(kiln_v128 a, kiln_v128 b) {
  return (kiln_v128)((kiln_u16x8)kiln_i16x8_extend_low_i8x16_u(a) * (kiln_u16x8)kiln_i16x8_extend_low_i8x16_u(b));
}
static inline kiln_v128 kiln_i16x8_extmul_high_i8x16_u(kiln_v128 a, kiln_v128 b) {
  return (kiln_v128)((kiln_u16x8)kiln_i16x8_extend_high_i8x16_u(a) * (kiln_u16x8)kiln_i16x8_extend_high_i8x16_u(b));
}
static inline kiln_v128 kiln_i32x4_extmul_low_i16x8_s(kiln_v128 a, kiln_v128 b) {
  return (kiln_v128)((kiln_i32x4)kiln_i32x4_extend_low_i16x8_s(a) * (kiln_i32x4)kiln_i32x4_extend_low_i16x8_s(b));
}
static inline kiln_v128 kiln_i32x4_extmul_high_i16x8_s(kiln_v128 a, kiln_v128 b) {
  return (kiln_v128)((kiln_i32x4)kiln_i32x4_extend_high_i16x8_s(a) * (kiln_i32x4)kiln_i32x4_extend_high_i16x8_s(b));
}
static inline kiln_v128 kiln_i32x4_extmul_low_i16x8_u(kiln_v128 a, kiln_v128 b) {
  return (kiln_v128)((kiln_u32x4)kiln_i32x4_extend_low_i16x8_u(a) * (kiln_u32x4)kiln_i32x4_extend_low_i16x8_u(b));
}
static inline kiln_v128 kiln_i32x4_extmul_high_i16x8_u(kiln_v128 a, kiln_v128 b) {
  return (kiln_v128)((kiln_u32x4)kiln_i32x4_extend_high_i16x8_u(a) * (kiln_u32x4)kiln_i32x4_extend_high_i16x8_u(b));
}
static inline kiln_v128 kiln_i64x2_extmul_low_i32x4_s(kiln_v128 a, kiln_v128 b) {
  return (kiln_v128)((kiln_i64x2)kiln_i64x2_extend_low_i32x4_s(a) * (kiln_i64x2)kiln_i64x2_extend_low_i32x4_s(b));
}
static inline kiln_v128 kiln_i64x2_extmul_high_i32x4_s(kiln_v128 a, kiln_v128 b) {
  return (kiln_v128)((kiln_i64x2)kiln_i64x2_extend_high_i32x4_s(a) * (kiln_i64x2)kiln_i64x2_extend_high_i32x4_s(b));
}
static inline kiln_v128 kiln_i64x2_extmul_low_i32x4_u(kiln_v128 a, kiln_v128 b) {
  return (kiln_v128)((kiln_u64x2)kiln_i64x2_extend_low_i32x4_u(a) * (kiln_u64x2)kiln_i64x2_extend_low_i32x4_u(b));
}
static inline kiln_v128 kiln_i64x2_extmul_high_i32x4_u(kiln_v128 a, kiln_v128 b) {
  return (kiln_v128)((kiln_u64x2)kiln_i64x2_extend_high_i32x4_u(a) * (kiln_u64x2)kiln_i64x2_extend_high_i32x4_u(b));
}

/* Sum of each pair of adjacent lanes, widened. */
static inline kiln_v128 kiln_i16x8_extadd_pairwise_i8x16_s(kiln_v128 a) {
  kiln_i8x16 x = (kiln_i8x16)a;
  return (kiln_v128)(__builtin_convertvector(__builtin_shufflevector(x, x, 0, 2, 4, 6, 8, 10, 12, 14), kiln_i16x8) +
                     __builtin_convertvector(__builtin_shufflevector(x, x, 1, 3, 5, 7, 9, 11, 13, 15), kiln_i16x8));
}
static inline kiln_v128 kiln_i16x8_extadd_pairwise_i8x16_u(kiln_v128 a) {
  kiln_u8x16 x = (kiln_u8x16)a;
  return (kiln_v128)(__builtin_convertvector(__builtin_shufflevector(x, x, 0, 2, 4, 6, 8, 10, 12, 14), kiln_u16x8) +
                     __builtin_convertvector(__builtin_shufflevector(x, x, 1, 3, 5, 7, 9, 11, 13, 15), kiln_u16x8));
}
static inline kiln_v128 kiln_i32x4_extadd_pairwise_i16x8_s(kiln_v128 a) {
  kiln_i16x8 x = (kiln_i16x8)a;
  return (kiln_v128)(__builtin_convertvector(__builtin_shufflevector(x, x, 0, 2, 4, 6), kiln_i32x4) +
                     __builtin_convertvector(__builtin_shufflevector(x, x, 1, 3, 5, 7), kiln_i32x4));
}
static inline kiln_v128 kiln_i32x4_extadd_pairwise_i16x8_u(kiln_v128 a) {
  kiln_u16x8 x = (kiln_u16x8)a;
  return (kiln_v128)(__builtin_convertvector(__builtin_shufflevector(x, x, 0, 2, 4, 6), kiln_u32x4) +
                     __builtin_convertvector(__builtin_shufflevector(x, x, 1, 3, 5, 7), kiln_u32x4));
}

static inline kiln_v128 kiln_i32x4_dot_i16x8_s(kiln_v128 a, kiln_v128 b) {
  kiln_i16x8 x = (kiln_i16x8)a, y = (kiln_i16x8)b;
  kiln_i32x4 even = __builtin_convertvector(__builtin_shufflevector(x, x, 0, 2, 4, 6), kiln_i32x4) *
                    __builtin_convertvector(__builtin_shufflevector(y, y, 0, 2, 4, 6), kiln_i32x4);
  kiln_i32x4 odd = __builtin_convertvector(__builtin_shufflevector(x, x, 1, 3, 5, 7), kiln_i32x4) *
                   __builtin_convertvector(__builtin_shufflevector(y, y, 1, 3, 5, 7), kiln_i32x4);
  return (kiln_v128)((kiln_u32x4)even + (kiln_u32x4)odd);
}

/* ---- Narrowing (saturating): clamp the signed wide lanes to the narrow range, then convert ----------------
 * The conversion is to unsigned narrow lanes, which keeps the low bits (modulo 2^8 or 2^16): exact for both
 * the signed and the unsigned range, and never an out-of-range conversion to a signed type. */

static inline kiln_u8x8 kiln_simd_narrow_half_8(kiln_v128 v, s16 lo, s16 hi) {
  kiln_i16x8 x = (kiln_i16x8)v;
  kiln_i16x8 min = {lo, lo, lo, lo, lo, lo, lo, lo}, max = {hi, hi, hi, hi, hi, hi, hi, hi};
  x = (kiln_i16x8)kiln_simd_select((kiln_v128)(x < min), (kiln_v128)min, (kiln_v128)x);
  x = (kiln_i16x8)kiln_simd_select((kiln_v128)(x > max), (kiln_v128)max, (kiln_v128)x);
  return __builtin_convertvector(x, kiln_u8x8);
}
static inline kiln_u16x4 kiln_simd_narrow_half_16(kiln_v128 v, s32 lo, s32 hi) {
  kiln_i32x4 x = (kiln_i32x4)v;
  kiln_i32x4 min = {lo, lo, lo, lo}, max = {hi, hi, hi, hi};
  x = (kiln_i32x4)kiln_simd_select((kiln_v128)(x < min), (kiln_v128)min, (kiln_v128)x);
  x = (kiln_i32x4)kiln_simd_select((kiln_v128)(x > max), (kiln_v128)max, (kiln_v128)x);
  return __builtin_convertvector(x, kiln_u16x4);
}
static inline kiln_v128 kiln_i8x16_narrow_i16x8_s(kiln_v128 a, kiln_v128 b) {
  kiln_u8x8 lo = kiln_simd_narrow_half_8(a, -128, 127), hi = kiln_simd_narrow_half_8(b, -128, 127);
  return (kiln_v128)__builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}
static inline kiln_v128 kiln_i8x16_narrow_i16x8_u(kiln_v128 a, kiln_v128 b) {
  kiln_u8x8 lo = kiln_simd_narrow_half_8(a, 0, 255), hi = kiln_simd_narrow_half_8(b, 0, 255);
  return (kiln_v128)__builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}
static inline kiln_v128 kiln_i16x8_narrow_i32x4_s(kiln_v128 a, kiln_v128 b) {
  kiln_u16x4 lo = kiln_simd_narrow_half_16(a, -32768, 32767), hi = kiln_simd_narrow_half_16(b, -32768, 32767);
  return (kiln_v128)__builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7);
}
static inline kiln_v128 kiln_i16x8_narrow_i32x4_u(kiln_v128 a, kiln_v128 b) {
  kiln_u16x4 lo = kiln_simd_narrow_half_16(a, 0, 65535), hi = kiln_simd_narrow_half_16(b, 0, 65535);
  return (kiln_v128)__builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7);
}

/* ---- Float arithmetic ---------------------------------------------------------------------------------------- */

/* Sign bit operations: NaN payloads pass through unchanged. */
static inline kiln_v128 kiln_f32x4_abs(kiln_v128 a) { return (kiln_v128)((kiln_u32x4)a & 0x7FFFFFFFu); }
static inline kiln_v128 kiln_f32x4_neg(kiln_v128 a) { return (kiln_v128)((kiln_u32x4)a ^ 0x80000000u); }
static inline kiln_v128 kiln_f64x2_abs(kiln_v128 a) { return (kiln_v128)((kiln_u64x2)a & 0x7FFFFFFFFFFFFFFFu); }
static inline kiln_v128 kiln_f64x2_neg(kiln_v128 a) { return (kiln_v128)((kiln_u64x2)a ^ 0x8000000000000000u); }

static inline kiln_v128 kiln_f32x4_add(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f32x4)a + (kiln_f32x4)b); }
static inline kiln_v128 kiln_f32x4_sub(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f32x4)a - (kiln_f32x4)b); }
static inline kiln_v128 kiln_f32x4_mul(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f32x4)a * (kiln_f32x4)b); }
static inline kiln_v128 kiln_f32x4_div(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f32x4)a / (kiln_f32x4)b); }
static inline kiln_v128 kiln_f64x2_add(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f64x2)a + (kiln_f64x2)b); }
static inline kiln_v128 kiln_f64x2_sub(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f64x2)a - (kiln_f64x2)b); }
static inline kiln_v128 kiln_f64x2_mul(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f64x2)a * (kiln_f64x2)b); }
static inline kiln_v128 kiln_f64x2_div(kiln_v128 a, kiln_v128 b) { return (kiln_v128)((kiln_f64x2)a / (kiln_f64x2)b); }

/* Correctly rounded in hardware (see kiln_float.h for why not __builtin_sqrt). */
static inline kiln_v128 kiln_f32x4_sqrt(kiln_v128 a) {
#if __has_builtin(__builtin_elementwise_sqrt)
  return (kiln_v128)__builtin_elementwise_sqrt((kiln_f32x4)a);
#else
  kiln_f32x4 x = (kiln_f32x4)a;
  for (int i = 0; i < 4; i++) x[i] = kiln_f32_sqrt(x[i]);
  return (kiln_v128)x;
#endif
}
static inline kiln_v128 kiln_f64x2_sqrt(kiln_v128 a) {
#if __has_builtin(__builtin_elementwise_sqrt)
  return (kiln_v128)__builtin_elementwise_sqrt((kiln_f64x2)a);
#else
  kiln_f64x2 x = (kiln_f64x2)a;
  for (int i = 0; i < 2; i++) x[i] = kiln_f64_sqrt(x[i]);
  return (kiln_v128)x;
#endif
}

/* Wasm min/max, per lane as kiln_f32_min: the smaller (larger) operand when they compare unequal; when they
 * compare equal they differ at most in the sign of zero, and OR of the bits picks -0 (AND picks +0); when
 * either is NaN, a + b, a quiet NaN built from the operands' payloads (canonical if they were). */
static inline kiln_v128 kiln_f32x4_min(kiln_v128 a, kiln_v128 b) {
  kiln_f32x4 x = (kiln_f32x4)a, y = (kiln_f32x4)b;
  kiln_v128 r = kiln_simd_select((kiln_v128)(x < y), a, kiln_simd_select((kiln_v128)(y < x), b, a | b));
  return kiln_simd_select((kiln_v128)((x != x) | (y != y)), (kiln_v128)(x + y), r);
}
static inline kiln_v128 kiln_f32x4_max(kiln_v128 a, kiln_v128 b) {
  kiln_f32x4 x = (kiln_f32x4)a, y = (kiln_f32x4)b;
  kiln_v128 r = kiln_simd_select((kiln_v128)(x > y), a, kiln_simd_select((kiln_v128)(y > x), b, a & b));
  return kiln_simd_select((kiln_v128)((x != x) | (y != y)), (kiln_v128)(x + y), r);
}
static inline kiln_v128 kiln_f64x2_min(kiln_v128 a, kiln_v128 b) {
  kiln_f64x2 x = (kiln_f64x2)a, y = (kiln_f64x2)b;
  kiln_v128 r = kiln_simd_select((kiln_v128)(x < y), a, kiln_simd_select((kiln_v128)(y < x), b, a | b));
  return kiln_simd_select((kiln_v128)((x != x) | (y != y)), (kiln_v128)(x + y), r);
}
static inline kiln_v128 kiln_f64x2_max(kiln_v128 a, kiln_v128 b) {
  kiln_f64x2 x = (kiln_f64x2)a, y = (kiln_f64x2)b;
  kiln_v128 r = kiln_simd_select((kiln_v128)(x > y), a, kiln_simd_select((kiln_v128)(y > x), b, a & b));
  return kiln_simd_select((kiln_v128)((x != x) | (y != y)), (kiln_v128)(x + y), r);
}

/* pmin is exactly `b < a ? b : a` and pmax `a < b ? b : a`: a NaN operand or equal zeros give a,
 * bit for bit. */
static inline kiln_v128 kiln_f32x4_pmin(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_f32x4)b < (kiln_f32x4)a), b, a); }
static inline kiln_v128 kiln_f32x4_pmax(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_f32x4)a < (kiln_f32x4)b), b, a); }
static inline kiln_v128 kiln_f64x2_pmin(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_f64x2)b < (kiln_f64x2)a), b, a); }
static inline kiln_v128 kiln_f64x2_pmax(kiln_v128 a, kiln_v128 b) { return kiln_simd_select((kiln_v128)((kiln_f64x2)a < (kiln_f64x2)b), b, a); }

/* Rounding to an integral value. SSE4.1 roundps/roundpd are exact (nearest is ties-to-even, a signalling NaN
 * comes out quiet); elsewhere the exact scalar helpers of kiln_float.h run per lane, because the
 * __builtin_ceil family becomes libm calls on baseline x86-64. */
#if defined(__SSE4_1__)
#define KILN_SIMD_ROUND_PS(a, mode) ((kiln_v128)_mm_round_ps((__m128)(a), (mode) | _MM_FROUND_NO_EXC))
#define KILN_SIMD_ROUND_PD(a, mode) ((kiln_v128)_mm_round_pd((__m128d)(a), (mode) | _MM_FROUND_NO_EXC))
static inline kiln_v128 kiln_f32x4_ceil(kiln_v128 a) { return KILN_SIMD_ROUND_PS(a, _MM_FROUND_TO_POS_INF); }
static inline kiln_v128 kiln_f32x4_floor(kiln_v128 a) { return KILN_SIMD_ROUND_PS(a, _MM_FROUND_TO_NEG_INF); }
static inline kiln_v128 kiln_f32x4_trunc(kiln_v128 a) { return KILN_SIMD_ROUND_PS(a, _MM_FROUND_TO_ZERO); }
static inline kiln_v128 kiln_f32x4_nearest(kiln_v128 a) { return KILN_SIMD_ROUND_PS(a, _MM_FROUND_TO_NEAREST_INT); }
static inline kiln_v128 kiln_f64x2_ceil(kiln_v128 a) { return KILN_SIMD_ROUND_PD(a, _MM_FROUND_TO_POS_INF); }
static inline kiln_v128 kiln_f64x2_floor(kiln_v128 a) { return KILN_SIMD_ROUND_PD(a, _MM_FROUND_TO_NEG_INF); }
static inline kiln_v128 kiln_f64x2_trunc(kiln_v128 a) { return KILN_SIMD_ROUND_PD(a, _MM_FROUND_TO_ZERO); }
static inline kiln_v128 kiln_f64x2_nearest(kiln_v128 a) { return KILN_SIMD_ROUND_PD(a, _MM_FROUND_TO_NEAREST_INT); }
#undef KILN_SIMD_ROUND_PS
#undef KILN_SIMD_ROUND_PD
#else
static inline kiln_v128 kiln_f32x4_ceil(kiln_v128 a) {
  kiln_f32x4 x = (kiln_f32x4)a;
  for (int i = 0; i < 4; i++) x[i] = kiln_f32_ceil(x[i]);
  return (kiln_v128)x;
}
static inline kiln_v128 kiln_f32x4_floor(kiln_v128 a) {
  kiln_f32x4 x = (kiln_f32x4)a;
  for (int i = 0; i < 4; i++) x[i] = kiln_f32_floor(x[i]);
  return (kiln_v128)x;
}
static inline kiln_v128 kiln_f32x4_trunc(kiln_v128 a) {
  kiln_f32x4 x = (kiln_f32x4)a;
  for (int i = 0; i < 4; i++) x[i] = kiln_f32_trunc(x[i]);
  return (kiln_v128)x;
}
static inline kiln_v128 kiln_f32x4_nearest(kiln_v128 a) {
  kiln_f32x4 x = (kiln_f32x4)a;
  for (int i = 0; i < 4; i++) x[i] = kiln_f32_nearest(x[i]);
  return (kiln_v128)x;
}
static inline kiln_v128 kiln_f64x2_ceil(kiln_v128 a) {
  kiln_f64x2 x = (kiln_f64x2)a;
  for (int i = 0; i < 2; i++) x[i] = kiln_f64_ceil(x[i]);
  return (kiln_v128)x;
}
static inline kiln_v128 kiln_f64x2_floor(kiln_v128 a) {
  kiln_f64x2 x = (kiln_f64x2)a;
  for (int i = 0; i < 2; i++) x[i] = kiln_f64_floor(x[i]);
  return (kiln_v128)x;
}
static inline kiln_v128 kiln_f64x2_trunc(kiln_v128 a) {
  kiln_f64x2 x = (kiln_f64x2)a;
  for (int i = 0; i < 2; i++) x[i] = kiln_f64_trunc(x[i]);
  return (kiln_v128)x;
}
static inline kiln_v128 kiln_f64x2_nearest(kiln_v128 a) {
  kiln_f64x2 x = (kiln_f64x2)a;
  for (int i = 0; i < 2; i++) x[i] = kiln_f64_nearest(x[i]);
  return (kiln_v128)x;
}
#endif

/* ---- Conversions --------------------------------------------------------------------------------------------- */

/* Saturating truncation: lanes whose truncation does not fit (and NaN lanes, which fail every comparison)
 * are zeroed before __builtin_convertvector, for which they would be undefined; the lanes beyond the range
 * are then set to the bound. NaN stays 0. */
static inline kiln_v128 kiln_i32x4_trunc_sat_f32x4_s(kiln_v128 a) {
  kiln_f32x4 x = (kiln_f32x4)a;
  kiln_v128 fits = (kiln_v128)((x >= -0x1p31f) & (x < 0x1p31f));
  kiln_v128 r = (kiln_v128)__builtin_convertvector((kiln_f32x4)(a & fits), kiln_i32x4);
  r = kiln_simd_select((kiln_v128)(x >= 0x1p31f), kiln_i32x4_splat(0x7FFFFFFFu), r);
  return kiln_simd_select((kiln_v128)(x < -0x1p31f), kiln_i32x4_splat(0x80000000u), r);
}
/* (-1, 0) truncates to 0, which fits. */
static inline kiln_v128 kiln_i32x4_trunc_sat_f32x4_u(kiln_v128 a) {
  kiln_f32x4 x = (kiln_f32x4)a;
  kiln_v128 fits = (kiln_v128)((x > -1.0f) & (x < 0x1p32f));
  kiln_v128 r = (kiln_v128)__builtin_convertvector((kiln_f32x4)(a & fits), kiln_u32x4);
  return kiln_simd_select((kiln_v128)(x >= 0x1p32f), kiln_i32x4_splat(0xFFFFFFFFu), r);
}
/* Two lanes: the scalar saturating conversions; the upper two result lanes are zero. */
static inline kiln_v128 kiln_i32x4_trunc_sat_f64x2_s_zero(kiln_v128 a) {
  kiln_f64x2 x = (kiln_f64x2)a;
  return (kiln_v128)(kiln_u32x4){kiln_i32_trunc_sat_f64_s(x[0]), kiln_i32_trunc_sat_f64_s(x[1]), 0, 0};
}
static inline kiln_v128 kiln_i32x4_trunc_sat_f64x2_u_zero(kiln_v128 a) {
  kiln_f64x2 x = (kiln_f64x2)a;
  return (kiln_v128)(kiln_u32x4){kiln_i32_trunc_sat_f64_u(x[0]), kiln_i32_trunc_sat_f64_u(x[1]), 0, 0};
}

/* Integer to float rounds to nearest, ties to even (exactly for f64x2: every i32 is a double). */
static inline kiln_v128 kiln_f32x4_convert_i32x4_s(kiln_v128 a) { return (kiln_v128)__builtin_convertvector((kiln_i32x4)a, kiln_f32x4); }
static inline kiln_v128 kiln_f32x4_convert_i32x4_u(kiln_v128 a) { return (kiln_v128)__builtin_convertvector((kiln_u32x4)a, kiln_f32x4); }
static inline kiln_v128 kiln_f64x2_convert_low_i32x4_s(kiln_v128 a) {
  kiln_i32x4 x = (kiln_i32x4)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1), kiln_f64x2);
}
static inline kiln_v128 kiln_f64x2_convert_low_i32x4_u(kiln_v128 a) {
  kiln_u32x4 x = (kiln_u32x4)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1), kiln_f64x2);
}

/* Float to float: the FPU rounds to nearest, sends out-of-range values to infinity, and quiets NaNs. */
static inline kiln_v128 kiln_f32x4_demote_f64x2_zero(kiln_v128 a) {
  kiln_f32x2 d = __builtin_convertvector((kiln_f64x2)a, kiln_f32x2);
  return (kiln_v128)__builtin_shufflevector(d, (kiln_f32x2){0.0f, 0.0f}, 0, 1, 2, 3);
}
static inline kiln_v128 kiln_f64x2_promote_low_f32x4(kiln_v128 a) {
  kiln_f32x4 x = (kiln_f32x4)a;
  return (kiln_v128)__builtin_convertvector(__builtin_shufflevector(x, x, 0, 1), kiln_f64x2);
}

/* ---- Memory: extending loads, splat and zero loads, lane loads and stores ------------------------------------ */

static inline kiln_v128 kiln_v128_load8x8_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u64 bits;
  memcpy(&bits, kiln_memory_ptr(ctx, m, idx, off, 8), 8);
  KILN_READ_INT(bits);
  kiln_i8x8 v;
  memcpy(&v, &bits, 8);
  return (kiln_v128)__builtin_convertvector(v, kiln_i16x8);
}
static inline kiln_v128 kiln_v128_load8x8_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u64 bits;
  memcpy(&bits, kiln_memory_ptr(ctx, m, idx, off, 8), 8);
  KILN_READ_INT(bits);
  kiln_u8x8 v;
  memcpy(&v, &bits, 8);
  return (kiln_v128)__builtin_convertvector(v, kiln_u16x8);
}
static inline kiln_v128 kiln_v128_load16x4_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u64 bits;
  memcpy(&bits, kiln_memory_ptr(ctx, m, idx, off, 8), 8);
  KILN_READ_INT(bits);
  kiln_i16x4 v;
  memcpy(&v, &bits, 8);
  return (kiln_v128)__builtin_convertvector(v, kiln_i32x4);
}
static inline kiln_v128 kiln_v128_load16x4_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u64 bits;
  memcpy(&bits, kiln_memory_ptr(ctx, m, idx, off, 8), 8);
  KILN_READ_INT(bits);
  kiln_u16x4 v;
  memcpy(&v, &bits, 8);
  return (kiln_v128)__builtin_convertvector(v, kiln_u32x4);
}
static inline kiln_v128 kiln_v128_load32x2_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u64 bits;
  memcpy(&bits, kiln_memory_ptr(ctx, m, idx, off, 8), 8);
  KILN_READ_INT(bits);
  kiln_i32x2 v;
  memcpy(&v, &bits, 8);
  return (kiln_v128)__builtin_convertvector(v, kiln_i64x2);
}
static inline kiln_v128 kiln_v128_load32x2_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u64 bits;
  memcpy(&bits, kiln_memory_ptr(ctx, m, idx, off, 8), 8);
  KILN_READ_INT(bits);
  kiln_u32x2 v;
  memcpy(&v, &bits, 8);
  return (kiln_v128)__builtin_convertvector(v, kiln_u64x2);
}

static inline kiln_v128 kiln_v128_load8_splat(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u8 x = *kiln_memory_ptr(ctx, m, idx, off, 1);
  KILN_READ_INT(x);
  return kiln_i8x16_splat(x);
}
static inline kiln_v128 kiln_v128_load16_splat(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u16 x;
  memcpy(&x, kiln_memory_ptr(ctx, m, idx, off, 2), 2);
  KILN_READ_INT(x);
  return kiln_i16x8_splat(x);
}
static inline kiln_v128 kiln_v128_load32_splat(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u32 x;
  memcpy(&x, kiln_memory_ptr(ctx, m, idx, off, 4), 4);
  KILN_READ_INT(x);
  return kiln_i32x4_splat(x);
}
static inline kiln_v128 kiln_v128_load64_splat(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u64 x;
  memcpy(&x, kiln_memory_ptr(ctx, m, idx, off, 8), 8);
  KILN_READ_INT(x);
  return kiln_i64x2_splat(x);
}
static inline kiln_v128 kiln_v128_load32_zero(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u32 x;
  memcpy(&x, kiln_memory_ptr(ctx, m, idx, off, 4), 4);
  KILN_READ_INT(x);
  return (kiln_v128)(kiln_u32x4){x, 0, 0, 0};
}
static inline kiln_v128 kiln_v128_load64_zero(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u64 x;
  memcpy(&x, kiln_memory_ptr(ctx, m, idx, off, 8), 8);
  KILN_READ_INT(x);
  return (kiln_v128)(kiln_u64x2){x, 0};
}

/* Lane loads and stores move the lane's bits as an integer, so a float lane's NaN payload is untouched. */
static inline kiln_v128 kiln_v128_load8_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  u8 x = *kiln_memory_ptr(ctx, m, idx, off, 1);
  KILN_READ_INT(x);
  return kiln_i8x16_replace_lane(v, lane, x);
}
static inline kiln_v128 kiln_v128_load16_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  u16 x;
  memcpy(&x, kiln_memory_ptr(ctx, m, idx, off, 2), 2);
  KILN_READ_INT(x);
  return kiln_i16x8_replace_lane(v, lane, x);
}
static inline kiln_v128 kiln_v128_load32_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  u32 x;
  memcpy(&x, kiln_memory_ptr(ctx, m, idx, off, 4), 4);
  KILN_READ_INT(x);
  return kiln_i32x4_replace_lane(v, lane, x);
}
static inline kiln_v128 kiln_v128_load64_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  u64 x;
  memcpy(&x, kiln_memory_ptr(ctx, m, idx, off, 8), 8);
  KILN_READ_INT(x);
  return kiln_i64x2_replace_lane(v, lane, x);
}
static inline void kiln_v128_store8_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  *kiln_memory_ptr(ctx, m, idx, off, 1) = v[lane];
}
static inline void kiln_v128_store16_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  u16 x = ((kiln_u16x8)v)[lane];
  memcpy(kiln_memory_ptr(ctx, m, idx, off, 2), &x, 2);
}
static inline void kiln_v128_store32_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  u32 x = ((kiln_u32x4)v)[lane];
  memcpy(kiln_memory_ptr(ctx, m, idx, off, 4), &x, 4);
}
static inline void kiln_v128_store64_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  u64 x = ((kiln_u64x2)v)[lane];
  memcpy(kiln_memory_ptr(ctx, m, idx, off, 8), &x, 8);
}

#ifdef __cplusplus
}
#endif
#endif
