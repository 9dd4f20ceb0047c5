/* Wasm float operators that C's operators or libm do not match exactly.
 *
 * - abs/neg/copysign are bit operations, so NaN payloads pass through unchanged (f32_bitwise.wast).
 * - min/max differ from fmin/fmax: NaN wins, and -0 < +0.
 * - ceil/floor/trunc are integer bit manipulation and nearest uses the 2^23 / 2^52 rounding trick, because
 *   the __builtin_ceil family compiles to libm calls on baseline x86-64 and artifacts link libc only.
 * - Operations that may see a NaN return `x + x` for it: that yields a quiet NaN with x's payload, which is
 *   what the spec requires of a signalling input (an "arithmetic" NaN).
 * The helpers rely on the default rounding mode (Wasm never changes it) and on float arithmetic being
 * evaluated in its own type. */
#ifndef KILN_FLOAT_H
#define KILN_FLOAT_H

#include <float.h>
#include <string.h>

#include "kiln_abi.h"
#include "kiln_attrs.h"

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#error "Kiln needs float and double arithmetic evaluated in their own precision (FLT_EVAL_METHOD == 0)"
#endif

#ifdef __cplusplus
extern "C" {
#endif

static inline u32 kiln_i32_reinterpret_f32(f32 x) {
  u32 b;
  memcpy(&b, &x, 4);
  return b;
}
static inline u64 kiln_i64_reinterpret_f64(f64 x) {
  u64 b;
  memcpy(&b, &x, 8);
  return b;
}
static inline f32 kiln_f32_reinterpret_i32(u32 b) {
  f32 x;
  memcpy(&x, &b, 4);
  return x;
}
static inline f64 kiln_f64_reinterpret_i64(u64 b) {
  f64 x;
  memcpy(&x, &b, 8);
  return x;
}

/* The constants ±0 and ±1, hidden from the optimizer. Wasm requires x-0, x+(-0), x*1, x/1 (and their
 * negating forms) to quiet a signaling NaN; clang, which treats signaling NaNs as quiet ones, folds them to
 * x or -x. An empty asm makes the constant's value unknown (it can still be hoisted out of loops). */
static inline f32 kiln_f32_identity(u32 b) {
  __asm__("" : "+r"(b));
  return kiln_f32_reinterpret_i32(b);
}
static inline f64 kiln_f64_identity(u64 b) {
  __asm__("" : "+r"(b));
  return kiln_f64_reinterpret_i64(b);
}

#define KILN_F32_SIGN 0x80000000u
#define KILN_F64_SIGN 0x8000000000000000u

static inline f32 kiln_f32_abs(f32 x) {
  return kiln_f32_reinterpret_i32(kiln_i32_reinterpret_f32(x) & ~KILN_F32_SIGN);
}
static inline f32 kiln_f32_neg(f32 x) {
  return kiln_f32_reinterpret_i32(kiln_i32_reinterpret_f32(x) ^ KILN_F32_SIGN);
}
static inline f32 kiln_f32_copysign(f32 a, f32 b) {
  return kiln_f32_reinterpret_i32((kiln_i32_reinterpret_f32(a) & ~KILN_F32_SIGN) |
                                  (kiln_i32_reinterpret_f32(b) & KILN_F32_SIGN));
}
static inline f64 kiln_f64_abs(f64 x) {
  return kiln_f64_reinterpret_i64(kiln_i64_reinterpret_f64(x) & ~KILN_F64_SIGN);
}
static inline f64 kiln_f64_neg(f64 x) {
  return kiln_f64_reinterpret_i64(kiln_i64_reinterpret_f64(x) ^ KILN_F64_SIGN);
}
static inline f64 kiln_f64_copysign(f64 a, f64 b) {
  return kiln_f64_reinterpret_i64((kiln_i64_reinterpret_f64(a) & ~KILN_F64_SIGN) |
                                  (kiln_i64_reinterpret_f64(b) & KILN_F64_SIGN));
}

/* Equal operands differ at most in the sign of zero: OR of the bits picks -0 for min, AND picks +0 for
 * max, and equal non-zero values have equal bits anyway. */
static inline f32 kiln_f32_min(f32 a, f32 b) {
  if (KILN_UNLIKELY(__builtin_isnan(a) || __builtin_isnan(b))) return a + b;
  if (a == b) return kiln_f32_reinterpret_i32(kiln_i32_reinterpret_f32(a) | kiln_i32_reinterpret_f32(b));
  return a < b ? a : b;
}
static inline f32 kiln_f32_max(f32 a, f32 b) {
  if (KILN_UNLIKELY(__builtin_isnan(a) || __builtin_isnan(b))) return a + b;
  if (a == b) return kiln_f32_reinterpret_i32(kiln_i32_reinterpret_f32(a) & kiln_i32_reinterpret_f32(b));
  return a > b ? a : b;
}
static inline f64 kiln_f64_min(f64 a, f64 b) {
  if (KILN_UNLIKELY(__builtin_isnan(a) || __builtin_isnan(b))) return a + b;
  if (a == b) return kiln_f64_reinterpret_i64(kiln_i64_reinterpret_f64(a) | kiln_i64_reinterpret_f64(b));
  return a < b ? a : b;
}
static inline f64 kiln_f64_max(f64 a, f64 b) {
  if (KILN_UNLIKELY(__builtin_isnan(a) || __builtin_isnan(b))) return a + b;
  if (a == b) return kiln_f64_reinterpret_i64(kiln_i64_reinterpret_f64(a) & kiln_i64_reinterpret_f64(b));
  return a > b ? a : b;
}

/* The unbiased exponent; >= the mantissa width means x is integral, infinite or NaN. */
static inline int kiln_f32_exponent(u32 bits) { return (int)((bits >> 23) & 0xFFu) - 127; }
static inline int kiln_f64_exponent(u64 bits) { return (int)((bits >> 52) & 0x7FFu) - 1023; }

/* x already has no fraction (or is inf/NaN): quiet a NaN, return anything else unchanged. */
static inline f32 kiln_f32_integral(f32 x) { return __builtin_isnan(x) ? x + x : x; }
static inline f64 kiln_f64_integral(f64 x) { return __builtin_isnan(x) ? x + x : x; }

static inline f32 kiln_f32_trunc(f32 x) {
  u32 bits = kiln_i32_reinterpret_f32(x);
  int e = kiln_f32_exponent(bits);
  if (e >= 23) return kiln_f32_integral(x);
  if (e < 0) return kiln_f32_reinterpret_i32(bits & KILN_F32_SIGN); /* |x| < 1: a zero of x's sign */
  return kiln_f32_reinterpret_i32(bits & ~(0x007FFFFFu >> e));
}
static inline f32 kiln_f32_floor(f32 x) {
  u32 bits = kiln_i32_reinterpret_f32(x);
  int e = kiln_f32_exponent(bits);
  if (e >= 23) return kiln_f32_integral(x);
  if (e < 0) {
    if ((bits & ~KILN_F32_SIGN) == 0) return x;
    return (bits & KILN_F32_SIGN) ? -1.0f : 0.0f;
  }
  u32 fraction = 0x007FFFFFu >> e;
  if ((bits & fraction) == 0) return x;
  if (bits & KILN_F32_SIGN) bits += fraction; /* away from zero; a carry bumps the exponent correctly */
  return kiln_f32_reinterpret_i32(bits & ~fraction);
}
static inline f32 kiln_f32_ceil(f32 x) {
  u32 bits = kiln_i32_reinterpret_f32(x);
  int e = kiln_f32_exponent(bits);
  if (e >= 23) return kiln_f32_integral(x);
  if (e < 0) {
    if ((bits & ~KILN_F32_SIGN) == 0) return x;
    return (bits & KILN_F32_SIGN) ? -0.0f : 1.0f;
  }
  u32 fraction = 0x007FFFFFu >> e;
  if ((bits & fraction) == 0) return x;
  if (!(bits & KILN_F32_SIGN)) bits += fraction;
  return kiln_f32_reinterpret_i32(bits & ~fraction);
}
/* Adding 2^23 leaves no fraction bits, so the FPU rounds |x| to an integer, ties to even; subtracting it
 * again is exact. copysign restores the sign, including -0 for -0.5. */
static inline f32 kiln_f32_nearest(f32 x) {
  u32 bits = kiln_i32_reinterpret_f32(x);
  if (kiln_f32_exponent(bits) >= 23) return kiln_f32_integral(x);
  f32 r = (kiln_f32_abs(x) + 0x1p23f) - 0x1p23f;
  return kiln_f32_copysign(r, x);
}

static inline f64 kiln_f64_trunc(f64 x) {
  u64 bits = kiln_i64_reinterpret_f64(x);
  int e = kiln_f64_exponent(bits);
  if (e >= 52) return kiln_f64_integral(x);
  if (e < 0) return kiln_f64_reinterpret_i64(bits & KILN_F64_SIGN);
  return kiln_f64_reinterpret_i64(bits & ~(0x000FFFFFFFFFFFFFu >> e));
}
static inline f64 kiln_f64_floor(f64 x) {
  u64 bits = kiln_i64_reinterpret_f64(x);
  int e = kiln_f64_exponent(bits);
  if (e >= 52) return kiln_f64_integral(x);
  if (e < 0) {
    if ((bits & ~KILN_F64_SIGN) == 0) return x;
    return (bits & KILN_F64_SIGN) ? -1.0 : 0.0;
  }
  u64 fraction = 0x000FFFFFFFFFFFFFu >> e;
  if ((bits & fraction) == 0) return x;
  if (bits & KILN_F64_SIGN) bits += fraction;
  return kiln_f64_reinterpret_i64(bits & ~fraction);
}
static inline f64 kiln_f64_ceil(f64 x) {
  u64 bits = kiln_i64_reinterpret_f64(x);
  int e = kiln_f64_exponent(bits);
  if (e >= 52) return kiln_f64_integral(x);
  if (e < 0) {
    if ((bits & ~KILN_F64_SIGN) == 0) return x;
    return (bits & KILN_F64_SIGN) ? -0.0 : 1.0;
  }
  u64 fraction = 0x000FFFFFFFFFFFFFu >> e;
  if ((bits & fraction) == 0) return x;
  if (!(bits & KILN_F64_SIGN)) bits += fraction;
  return kiln_f64_reinterpret_i64(bits & ~fraction);
}
static inline f64 kiln_f64_nearest(f64 x) {
  u64 bits = kiln_i64_reinterpret_f64(x);
  if (kiln_f64_exponent(bits) >= 52) return kiln_f64_integral(x);
  f64 r = (kiln_f64_abs(x) + 0x1p52) - 0x1p52;
  return kiln_f64_copysign(r, x);
}

/* IEEE sqrt is correctly rounded in hardware; the elementwise builtin reaches it without the errno-setting
 * libm call that __builtin_sqrt becomes under the default -fmath-errno. */
#if __has_builtin(__builtin_elementwise_sqrt)
static inline f32 kiln_f32_sqrt(f32 x) { return __builtin_elementwise_sqrt(x); }
static inline f64 kiln_f64_sqrt(f64 x) { return __builtin_elementwise_sqrt(x); }
#else
static inline f32 kiln_f32_sqrt(f32 x) { return __builtin_sqrtf(x); } /* needs libm */
static inline f64 kiln_f64_sqrt(f64 x) { return __builtin_sqrt(x); }
#endif

#ifdef __cplusplus
}
#endif
#endif
