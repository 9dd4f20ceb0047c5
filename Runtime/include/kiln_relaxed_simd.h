/* Relaxed SIMD (Wasm 3.0): the operations whose result the spec lets an engine choose among a few, for
 * speed on each architecture. Kiln's choice is fixed, the same at every optimization level, bounds mode and
 * --target-cpu, so a module gives the same answers wherever its artifact runs:
 * - relaxed_swizzle, relaxed_laneselect, relaxed_trunc_*_u: the exact operations they relax (swizzle,
 *   bitselect, trunc_sat), already a few instructions on x86-64.
 * - relaxed_trunc_f32x4_s, relaxed_trunc_f64x2_s_zero: x86's cvttps2dq/cvttpd2dq, whose NaN and
 *   out-of-range lanes are INT32_MIN.
 * - relaxed_madd/nmadd: unfused, a*b rounded then +c rounded (baseline x86-64 has no FMA; a fused result
 *   would depend on --target-cpu).
 * - relaxed_min/max: x86's minps/maxps, `a < b ? a : b` and `a > b ? a : b` (NaN or equal zeros: b).
 * - relaxed_q15mulr_s: x86's pmulhrsw, (a*b + 2^14) >> 15 in 16 bits (-32768 * -32768 wraps to -32768).
 * - relaxed_dot_i8x16_i7x16_s and _add_s: both operands signed, the i16 pair sums wrapping.
 * Each helper is plain vector C whose results equal those choices; where an x86 intrinsic is that choice it
 * is used directly (SSE2 is part of every x86-64). */
#ifndef KILN_RELAXED_SIMD_H
#define KILN_RELAXED_SIMD_H

#include "kiln_simd.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

static inline kiln_v128 kiln_i8x16_relaxed_swizzle(kiln_v128 a, kiln_v128 s) { return kiln_i8x16_swizzle(a, s); }

/* The portable form of the choice; Runtime/tests/simd_test.c checks the intrinsic against it. */
static inline kiln_v128 kiln_i32x4_relaxed_trunc_f32x4_s_portable(kiln_v128 a) {
  kiln_f32x4 x = (kiln_f32x4)a;
  kiln_v128 fits = (kiln_v128)((x >= -0x1p31f) & (x < 0x1p31f));
  kiln_v128 r = (kiln_v128)__builtin_convertvector((kiln_f32x4)(a & fits), kiln_i32x4);
  return kiln_simd_select(fits, r, kiln_i32x4_splat(0x80000000u));
}
static inline kiln_v128 kiln_i32x4_relaxed_trunc_f32x4_s(kiln_v128 a) {
#if defined(__SSE2__)
  return (kiln_v128)_mm_cvttps_epi32((__m128)a);
#else
  return kiln_i32x4_relaxed_trunc_f32x4_s_portable(a);
#endif
}
static inline kiln_v128 kiln_i32x4_relaxed_trunc_f32x4_u(kiln_v128 a) { return kiln_i32x4_trunc_sat_f32x4_u(a); }

static inline s32 kiln_relaxed_trunc_f64_s(f64 x) {
  return (x >= -0x1p31 && x < 0x1p31) ? (s32)x : INT32_MIN; /* NaN fails both comparisons */
}
static inline kiln_v128 kiln_i32x4_relaxed_trunc_f64x2_s_zero_portable(kiln_v128 a) {
  kiln_f64x2 x = (kiln_f64x2)a;
  return (kiln_v128)(kiln_i32x4){kiln_relaxed_trunc_f64_s(x[0]), kiln_relaxed_trunc_f64_s(x[1]), 0, 0};
}
static inline kiln_v128 kiln_i32x4_relaxed_trunc_f64x2_s_zero(kiln_v128 a) {
#if defined(__SSE2__)
  return (kiln_v128)_mm_cvttpd_epi32((__m128d)a);
#else
  return kiln_i32x4_relaxed_trunc_f64x2_s_zero_portable(a);
#endif
}
static inline kiln_v128 kiln_i32x4_relaxed_trunc_f64x2_u_zero(kiln_v128 a) { return kiln_i32x4_trunc_sat_f64x2_u_zero(a); }

/* The runtime and generated code build with -ffp-contract=off: these stay two roundings. */
static inline kiln_v128 kiln_f32x4_relaxed_madd(kiln_v128 a, kiln_v128 b, kiln_v128 c) {
  return (kiln_v128)((kiln_f32x4)a * (kiln_f32x4)b + (kiln_f32x4)c);
}
static inline kiln_v128 kiln_f32x4_relaxed_nmadd(kiln_v128 a, kiln_v128 b, kiln_v128 c) {
  return (kiln_v128)(-((kiln_f32x4)a * (kiln_f32x4)b) + (kiln_f32x4)c);
}
static inline kiln_v128 kiln_f64x2_relaxed_madd(kiln_v128 a, kiln_v128 b, kiln_v128 c) {
  return (kiln_v128)((kiln_f64x2)a * (kiln_f64x2)b + (kiln_f64x2)c);
}
static inline kiln_v128 kiln_f64x2_relaxed_nmadd(kiln_v128 a, kiln_v128 b, kiln_v128 c) {
  return (kiln_v128)(-((kiln_f64x2)a * (kiln_f64x2)b) + (kiln_f64x2)c);
}

static inline kiln_v128 kiln_i8x16_relaxed_laneselect(kiln_v128 a, kiln_v128 b, kiln_v128 m) { return kiln_v128_bitselect(a, b, m); }
static inline kiln_v128 kiln_i16x8_relaxed_laneselect(kiln_v128 a, kiln_v128 b, kiln_v128 m) { return kiln_v128_bitselect(a, b, m); }
static inline kiln_v128 kiln_i32x4_relaxed_laneselect(kiln_v128 a, kiln_v128 b, kiln_v128 m) { return kiln_v128_bitselect(a, b, m); }
static inline kiln_v128 kiln_i64x2_relaxed_laneselect(kiln_v128 a, kiln_v128 b, kiln_v128 m) { return kiln_v128_bitselect(a, b, m); }

static inline kiln_v128 kiln_f32x4_relaxed_min(kiln_v128 a, kiln_v128 b) {
  return kiln_simd_select((kiln_v128)((kiln_f32x4)a < (kiln_f32x4)b), a, b);
}
static inline kiln_v128 kiln_f32x4_relaxed_max(kiln_v128 a, kiln_v128 b) {
  return kiln_simd_select((kiln_v128)((kiln_f32x4)a > (kiln_f32x4)b), a, b);
}
static inline kiln_v128 kiln_f64x2_relaxed_min(kiln_v128 a, kiln_v128 b) {
  return kiln_simd_select((kiln_v128)((kiln_f64x2)a < (kiln_f64x2)b), a, b);
}
static inline kiln_v128 kiln_f64x2_relaxed_max(kiln_v128 a, kiln_v128 b) {
  return kiln_simd_select((kiln_v128)((kiln_f64x2)a > (kiln_f64x2)b), a, b);
}

/* In 32-bit lanes, where a*b + 2^14 cannot overflow; the conversion to u16 keeps the low 16 bits. */
static inline kiln_v128 kiln_i16x8_relaxed_q15mulr_s(kiln_v128 a, kiln_v128 b) {
  kiln_i16x8 p = (kiln_i16x8)a, q = (kiln_i16x8)b;
  kiln_i32x4 lo = __builtin_convertvector(__builtin_shufflevector(p, p, 0, 1, 2, 3), kiln_i32x4) *
                      __builtin_convertvector(__builtin_shufflevector(q, q, 0, 1, 2, 3), kiln_i32x4) + 0x4000;
  kiln_i32x4 hi = __builtin_convertvector(__builtin_shufflevector(p, p, 4, 5, 6, 7), kiln_i32x4) *
                      __builtin_convertvector(__builtin_shufflevector(q, q, 4, 5, 6, 7), kiln_i32x4) + 0x4000;
  kiln_u16x4 l = __builtin_convertvector((kiln_u32x4)(lo >> 15), kiln_u16x4);
  kiln_u16x4 h = __builtin_convertvector((kiln_u32x4)(hi >> 15), kiln_u16x4);
  return (kiln_v128)__builtin_shufflevector(l, h, 0, 1, 2, 3, 4, 5, 6, 7);
}

/* Products of i8 lanes fit in 16 bits; the pair sums wrap (unsigned lanes: no signed overflow). */
static inline kiln_v128 kiln_i16x8_relaxed_dot_i8x16_i7x16_s(kiln_v128 a, kiln_v128 b) {
  kiln_i8x16 x = (kiln_i8x16)a, y = (kiln_i8x16)b;
  kiln_i16x8 even = __builtin_convertvector(__builtin_shufflevector(x, x, 0, 2, 4, 6, 8, 10, 12, 14), kiln_i16x8) *
                    __builtin_convertvector(__builtin_shufflevector(y, y, 0, 2, 4, 6, 8, 10, 12, 14), kiln_i16x8);
  kiln_i16x8 odd = __builtin_convertvector(__builtin_shufflevector(x, x, 1, 3, 5, 7, 9, 11, 13, 15), kiln_i16x8) *
                   __builtin_convertvector(__builtin_shufflevector(y, y, 1, 3, 5, 7, 9, 11, 13, 15), kiln_i16x8);
  return (kiln_v128)((kiln_u16x8)even + (kiln_u16x8)odd);
}
static inline kiln_v128 kiln_i32x4_relaxed_dot_i8x16_i7x16_add_s(kiln_v128 a, kiln_v128 b, kiln_v128 c) {
  kiln_v128 pairs = kiln_i16x8_relaxed_dot_i8x16_i7x16_s(a, b);
  return (kiln_v128)((kiln_u32x4)kiln_i32x4_extadd_pairwise_i16x8_s(pairs) + (kiln_u32x4)c);
}

#ifdef __cplusplus
}
#endif
#endif
