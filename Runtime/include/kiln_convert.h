/* Conversions between integers and floats. A C float-to-int cast is undefined when the truncated value does
 * not fit, so each one is range-checked first. The bounds are powers of two (exact in every float type),
 * and the comparisons are written so that NaN fails them. */
#ifndef KILN_CONVERT_H
#define KILN_CONVERT_H

#include "kiln_abi.h"
#include "kiln_attrs.h"
#include "kiln_integer.h"
#include "kiln_trap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Trapping truncation: NaN is an invalid conversion, anything else whose truncation does not fit overflows.
 * Bounds are open where a fraction still truncates into range: i32.trunc_f64_s(-2147483648.9) is INT_MIN
 * and i32.trunc_f64_u(-0.9) is 0. */
#define KILN_TRUNC_CHECK(ctx, x, in_range)                                                \
  do {                                                                                    \
    if (KILN_UNLIKELY(__builtin_isnan(x))) kiln_trap((ctx), KILN_TRAP_INVALID_CONVERSION); \
    if (KILN_UNLIKELY(!(in_range))) kiln_trap((ctx), KILN_TRAP_INTEGER_OVERFLOW);          \
  } while (0)

static inline u32 kiln_i32_trunc_f32_s(kiln_ctx* ctx, f32 x) {
  KILN_TRUNC_CHECK(ctx, x, x >= -0x1p31f && x < 0x1p31f); /* no f32 lies strictly between -2^31-1 and -2^31 */
  return (u32)(s32)x;
}
static inline u32 kiln_i32_trunc_f32_u(kiln_ctx* ctx, f32 x) {
  KILN_TRUNC_CHECK(ctx, x, x > -1.0f && x < 0x1p32f);
  return (u32)x;
}
static inline u32 kiln_i32_trunc_f64_s(kiln_ctx* ctx, f64 x) {
  KILN_TRUNC_CHECK(ctx, x, x > -2147483649.0 && x < 0x1p31);
  return (u32)(s32)x;
}
static inline u32 kiln_i32_trunc_f64_u(kiln_ctx* ctx, f64 x) {
  KILN_TRUNC_CHECK(ctx, x, x > -1.0 && x < 0x1p32);
  return (u32)x;
}
/* Below 2^63 the spacing of f32 and f64 exceeds 1, so -2^63 is the last value that fits. */
static inline u64 kiln_i64_trunc_f32_s(kiln_ctx* ctx, f32 x) {
  KILN_TRUNC_CHECK(ctx, x, x >= -0x1p63f && x < 0x1p63f);
  return (u64)(s64)x;
}
static inline u64 kiln_i64_trunc_f32_u(kiln_ctx* ctx, f32 x) {
  KILN_TRUNC_CHECK(ctx, x, x > -1.0f && x < 0x1p64f);
  return (u64)x;
}
static inline u64 kiln_i64_trunc_f64_s(kiln_ctx* ctx, f64 x) {
  KILN_TRUNC_CHECK(ctx, x, x >= -0x1p63 && x < 0x1p63);
  return (u64)(s64)x;
}
static inline u64 kiln_i64_trunc_f64_u(kiln_ctx* ctx, f64 x) {
  KILN_TRUNC_CHECK(ctx, x, x > -1.0 && x < 0x1p64);
  return (u64)x;
}

/* Saturating truncation: NaN is 0, out-of-range values clamp. Values in (-1, 0) reach the unsigned casts,
 * which is defined: they truncate to 0. */
static inline u32 kiln_i32_trunc_sat_f32_s(f32 x) {
  if (__builtin_isnan(x)) return 0;
  if (x < -0x1p31f) return 0x80000000u;
  if (x >= 0x1p31f) return 0x7FFFFFFFu;
  return (u32)(s32)x;
}
static inline u32 kiln_i32_trunc_sat_f32_u(f32 x) {
  if (!(x > -1.0f)) return 0; /* also NaN */
  if (x >= 0x1p32f) return 0xFFFFFFFFu;
  return (u32)x;
}
static inline u32 kiln_i32_trunc_sat_f64_s(f64 x) {
  if (__builtin_isnan(x)) return 0;
  if (x < -0x1p31) return 0x80000000u;
  if (x >= 0x1p31) return 0x7FFFFFFFu;
  return (u32)(s32)x;
}
static inline u32 kiln_i32_trunc_sat_f64_u(f64 x) {
  if (!(x > -1.0)) return 0;
  if (x >= 0x1p32) return 0xFFFFFFFFu;
  return (u32)x;
}
static inline u64 kiln_i64_trunc_sat_f32_s(f32 x) {
  if (__builtin_isnan(x)) return 0;
  if (x < -0x1p63f) return 0x8000000000000000u;
  if (x >= 0x1p63f) return 0x7FFFFFFFFFFFFFFFu;
  return (u64)(s64)x;
}
static inline u64 kiln_i64_trunc_sat_f32_u(f32 x) {
  if (!(x > -1.0f)) return 0;
  if (x >= 0x1p64f) return 0xFFFFFFFFFFFFFFFFu;
  return (u64)x;
}
static inline u64 kiln_i64_trunc_sat_f64_s(f64 x) {
  if (__builtin_isnan(x)) return 0;
  if (x < -0x1p63) return 0x8000000000000000u;
  if (x >= 0x1p63) return 0x7FFFFFFFFFFFFFFFu;
  return (u64)(s64)x;
}
static inline u64 kiln_i64_trunc_sat_f64_u(f64 x) {
  if (!(x > -1.0)) return 0;
  if (x >= 0x1p64) return 0xFFFFFFFFFFFFFFFFu;
  return (u64)x;
}

/* Integer to float: C casts round to nearest-even directly from the integer (clang's unsigned 64-bit
 * sequence halves with a sticky bit, avoiding double rounding); tests/numeric_test.c pins the hard cases. */
static inline f32 kiln_f32_convert_i32_s(u32 x) { return (f32)kiln_s32(x); }
static inline f32 kiln_f32_convert_i32_u(u32 x) { return (f32)x; }
static inline f32 kiln_f32_convert_i64_s(u64 x) { return (f32)kiln_s64(x); }
static inline f32 kiln_f32_convert_i64_u(u64 x) { return (f32)x; }
static inline f64 kiln_f64_convert_i32_s(u32 x) { return (f64)kiln_s32(x); }
static inline f64 kiln_f64_convert_i32_u(u32 x) { return (f64)x; }
static inline f64 kiln_f64_convert_i64_s(u64 x) { return (f64)kiln_s64(x); }
static inline f64 kiln_f64_convert_i64_u(u64 x) { return (f64)x; }

/* Canonicalized first, so that clang cannot fold demote(promote(x)) back to x (a signaling NaN must come out
 * quiet); the canonicalize costs nothing where the input is already an arithmetic result. */
static inline f32 kiln_f32_demote_f64(f64 x) {
#if defined(__has_builtin) && __has_builtin(__builtin_canonicalize)
  x = __builtin_canonicalize(x);
#endif
  return (f32)x;
}
static inline f64 kiln_f64_promote_f32(f32 x) { return (f64)x; }

#ifdef __cplusplus
}
#endif
#endif
