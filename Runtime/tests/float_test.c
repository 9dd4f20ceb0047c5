/* Float operators (RELIABILITY.md items 37-39): bit-exact sign operations, Wasm min/max, rounding, sqrt.
 * The rounding helpers are also compared with libm over many random bit patterns. */
#include <math.h>
#include <stdint.h>

#include "kt.h"

#define F32(bits) kiln_f32_reinterpret_i32(bits)
#define F64(bits) kiln_f64_reinterpret_i64(bits)

static int is_arithmetic_nan32(f32 x) {
  u32 b = kiln_i32_reinterpret_f32(x);
  return (b & 0x7F800000u) == 0x7F800000u && (b & 0x00400000u) != 0;
}
static int is_arithmetic_nan64(f64 x) {
  u64 b = kiln_i64_reinterpret_f64(x);
  return (b & 0x7FF0000000000000u) == 0x7FF0000000000000u && (b & 0x0008000000000000u) != 0;
}

/* Item 37: NaN payloads survive the sign operations and reinterpretation exactly. */
static void test_sign_bits(kiln_ctx* ctx) {
  (void)ctx;
  CHECK_F32_BITS(kiln_f32_abs(F32(0xFFA00001u)), 0x7FA00001u);
  CHECK_F32_BITS(kiln_f32_neg(F32(0x7FA00001u)), 0xFFA00001u);
  CHECK_F32_BITS(kiln_f32_neg(F32(0x00000000u)), 0x80000000u);
  CHECK_F32_BITS(kiln_f32_copysign(F32(0x7FA00001u), -1.0f), 0xFFA00001u);
  CHECK_F32_BITS(kiln_f32_copysign(1.0f, F32(0xFFC00000u)), 0xBF800000u);
  CHECK_F32_BITS(kiln_f32_copysign(F32(0xFF800000u), 0.0f), 0x7F800000u);
  CHECK_F64_BITS(kiln_f64_abs(F64(0xFFF0000000000001u)), 0x7FF0000000000001u);
  CHECK_F64_BITS(kiln_f64_neg(F64(0x7FF4000000000000u)), 0xFFF4000000000000u);
  CHECK_F64_BITS(kiln_f64_copysign(F64(0x7FF0000000000001u), -0.0), 0xFFF0000000000001u);
  CHECK_F64_BITS(kiln_f64_copysign(2.0, F64(0xFFF8000000000000u)), 0xC000000000000000u);
  CHECK_EQ(kiln_i32_reinterpret_f32(kiln_f32_reinterpret_i32(0x7FA00001u)), 0x7FA00001u);
  CHECK_EQ(kiln_i64_reinterpret_f64(kiln_f64_reinterpret_i64(0xFFF0000000000001u)), 0xFFF0000000000001u);
  /* An arithmetic operation on a signalling NaN gives a quiet one. */
  volatile f32 snan = F32(0x7FA00000u);
  CHECK(is_arithmetic_nan32(snan + 1.0f));
}

/* Item 38: min/max are not fmin/fmax. */
static void test_min_max(kiln_ctx* ctx) {
  (void)ctx;
  const f32 nanf = F32(0x7FC00000u), snanf = F32(0x7FA00000u), inff = F32(0x7F800000u);
  const f64 nan = F64(0x7FF8000000000000u), snan = F64(0x7FF4000000000000u);
  CHECK_F32_BITS(kiln_f32_min(-0.0f, 0.0f), 0x80000000u);
  CHECK_F32_BITS(kiln_f32_min(0.0f, -0.0f), 0x80000000u);
  CHECK_F32_BITS(kiln_f32_max(-0.0f, 0.0f), 0x00000000u);
  CHECK_F32_BITS(kiln_f32_max(0.0f, -0.0f), 0x00000000u);
  CHECK_F32_BITS(kiln_f32_min(-0.0f, -0.0f), 0x80000000u);
  CHECK_F32_BITS(kiln_f32_max(-0.0f, -0.0f), 0x80000000u);
  CHECK_F32_BITS(kiln_f32_min(1.0f, 2.0f), 0x3F800000u);
  CHECK_F32_BITS(kiln_f32_max(1.0f, 2.0f), 0x40000000u);
  CHECK_F32_BITS(kiln_f32_min(-inff, 3.0f), 0xFF800000u);
  CHECK_F32_BITS(kiln_f32_max(-inff, inff), 0x7F800000u);
  CHECK(is_arithmetic_nan32(kiln_f32_min(1.0f, nanf)));
  CHECK(is_arithmetic_nan32(kiln_f32_min(nanf, 1.0f)));
  CHECK(is_arithmetic_nan32(kiln_f32_max(-inff, snanf)));
  CHECK(is_arithmetic_nan32(kiln_f32_max(snanf, nanf)));
  CHECK_F32_BITS(kiln_f32_min(1.0f, nanf), 0x7FC00000u); /* a canonical NaN stays canonical */
  CHECK_F64_BITS(kiln_f64_min(-0.0, 0.0), 0x8000000000000000u);
  CHECK_F64_BITS(kiln_f64_min(0.0, -0.0), 0x8000000000000000u);
  CHECK_F64_BITS(kiln_f64_max(-0.0, 0.0), 0x0000000000000000u);
  CHECK_F64_BITS(kiln_f64_max(0.0, -0.0), 0x0000000000000000u);
  CHECK_F64_BITS(kiln_f64_min(-1.5, 1e300), 0xBFF8000000000000u);
  CHECK_F64_BITS(kiln_f64_max(-1.5, 1e300), kiln_i64_reinterpret_f64(1e300));
  CHECK(is_arithmetic_nan64(kiln_f64_min(nan, 0.0)));
  CHECK(is_arithmetic_nan64(kiln_f64_max(0.0, snan)));
  CHECK(is_arithmetic_nan64(kiln_f64_min(snan, snan)));
}

/* Item 39 and friends: rounding to integers. */
static void test_rounding_cases(kiln_ctx* ctx) {
  (void)ctx;
  CHECK_F64_BITS(kiln_f64_nearest(2.5), kiln_i64_reinterpret_f64(2.0));
  CHECK_F64_BITS(kiln_f64_nearest(3.5), kiln_i64_reinterpret_f64(4.0));
  CHECK_F64_BITS(kiln_f64_nearest(-2.5), kiln_i64_reinterpret_f64(-2.0));
  CHECK_F64_BITS(kiln_f64_nearest(-0.5), 0x8000000000000000u);
  CHECK_F64_BITS(kiln_f64_nearest(0.5), 0);
  CHECK_F64_BITS(kiln_f64_nearest(0.5000000000000001), kiln_i64_reinterpret_f64(1.0));
  CHECK_F64_BITS(kiln_f64_nearest(4503599627370495.5), kiln_i64_reinterpret_f64(4503599627370496.0));
  CHECK_F64_BITS(kiln_f64_nearest(-4503599627370495.5), kiln_i64_reinterpret_f64(-4503599627370496.0));
  CHECK_F64_BITS(kiln_f64_nearest(4503599627370497.0), kiln_i64_reinterpret_f64(4503599627370497.0));
  CHECK_F32_BITS(kiln_f32_nearest(-0.5f), 0x80000000u);
  CHECK_F32_BITS(kiln_f32_nearest(2.5f), kiln_i32_reinterpret_f32(2.0f));
  CHECK_F32_BITS(kiln_f32_nearest(-3.5f), kiln_i32_reinterpret_f32(-4.0f));
  CHECK_F32_BITS(kiln_f32_nearest(8388607.5f), kiln_i32_reinterpret_f32(8388608.0f));
  CHECK_F32_BITS(kiln_f32_nearest(-8388609.0f), kiln_i32_reinterpret_f32(-8388609.0f));
  CHECK_F32_BITS(kiln_f32_nearest(F32(0x00000001u)), 0);
  CHECK_F32_BITS(kiln_f32_nearest(F32(0x80000001u)), 0x80000000u);

  CHECK_F32_BITS(kiln_f32_ceil(-0.5f), 0x80000000u);
  CHECK_F32_BITS(kiln_f32_ceil(0.5f), 0x3F800000u);
  CHECK_F32_BITS(kiln_f32_ceil(-1.5f), kiln_i32_reinterpret_f32(-1.0f));
  CHECK_F32_BITS(kiln_f32_ceil(8388607.5f), kiln_i32_reinterpret_f32(8388608.0f));
  CHECK_F32_BITS(kiln_f32_floor(-0.5f), kiln_i32_reinterpret_f32(-1.0f));
  CHECK_F32_BITS(kiln_f32_floor(0.5f), 0);
  CHECK_F32_BITS(kiln_f32_floor(-0.0f), 0x80000000u);
  CHECK_F32_BITS(kiln_f32_floor(-8388607.5f), kiln_i32_reinterpret_f32(-8388608.0f));
  CHECK_F32_BITS(kiln_f32_trunc(-0.9f), 0x80000000u);
  CHECK_F32_BITS(kiln_f32_trunc(-1.9f), kiln_i32_reinterpret_f32(-1.0f));
  CHECK_F64_BITS(kiln_f64_ceil(-0.5), 0x8000000000000000u);
  CHECK_F64_BITS(kiln_f64_floor(-0x1p-1074), kiln_i64_reinterpret_f64(-1.0));
  CHECK_F64_BITS(kiln_f64_floor(-4503599627370495.5), kiln_i64_reinterpret_f64(-4503599627370496.0));
  CHECK_F64_BITS(kiln_f64_ceil(4503599627370495.5), kiln_i64_reinterpret_f64(4503599627370496.0));
  CHECK_F64_BITS(kiln_f64_trunc(-0.9), 0x8000000000000000u);
  CHECK_F64_BITS(kiln_f64_trunc(1e300), kiln_i64_reinterpret_f64(1e300));

  /* NaN in, arithmetic NaN out; infinities unchanged. */
  const f32 snanf = F32(0x7FA00000u), inff = F32(0x7F800000u);
  const f64 snan = F64(0xFFF4000000000000u), inf = F64(0x7FF0000000000000u);
  CHECK(is_arithmetic_nan32(kiln_f32_ceil(snanf)) && is_arithmetic_nan32(kiln_f32_floor(snanf)));
  CHECK(is_arithmetic_nan32(kiln_f32_trunc(snanf)) && is_arithmetic_nan32(kiln_f32_nearest(snanf)));
  CHECK(is_arithmetic_nan32(kiln_f32_sqrt(snanf)) && is_arithmetic_nan32(kiln_f32_sqrt(-1.0f)));
  CHECK(is_arithmetic_nan64(kiln_f64_ceil(snan)) && is_arithmetic_nan64(kiln_f64_floor(snan)));
  CHECK(is_arithmetic_nan64(kiln_f64_trunc(snan)) && is_arithmetic_nan64(kiln_f64_nearest(snan)));
  CHECK(is_arithmetic_nan64(kiln_f64_sqrt(snan)) && is_arithmetic_nan64(kiln_f64_sqrt(-1.0)));
  CHECK_F32_BITS(kiln_f32_nearest(-inff), 0xFF800000u);
  CHECK_F32_BITS(kiln_f32_floor(inff), 0x7F800000u);
  CHECK_F64_BITS(kiln_f64_ceil(-inf), 0xFFF0000000000000u);
  CHECK_F64_BITS(kiln_f64_trunc(inf), 0x7FF0000000000000u);

  CHECK_F32_BITS(kiln_f32_sqrt(2.0f), 0x3FB504F3u);
  CHECK_F32_BITS(kiln_f32_sqrt(-0.0f), 0x80000000u);
  CHECK_F64_BITS(kiln_f64_sqrt(2.0), 0x3FF6A09E667F3BCDu);
  CHECK_F64_BITS(kiln_f64_sqrt(inf), 0x7FF0000000000000u);
}

static u64 rng_state = 0x9E3779B97F4A7C15u;
static u64 next_random(void) { /* splitmix64 */
  u64 z = (rng_state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

/* Random bit patterns, biased toward the exponents where rounding has work to do. */
static void test_rounding_against_libm(kiln_ctx* ctx) {
  (void)ctx;
  int bad32 = 0, bad64 = 0;
  for (int i = 0; i < 200000; i++) {
    u64 r = next_random();
    u32 b32 = (u32)r;
    u64 b64 = next_random();
    if (i & 1) b32 = (b32 & 0x807FFFFFu) | ((u32)(110 + (r >> 40) % 40) << 23);
    if (i & 1) b64 = (b64 & 0x800FFFFFFFFFFFFFu) | ((u64)(1000 + (r >> 40) % 80) << 52);
    f32 x = F32(b32);
    f64 y = F64(b64);
    if (__builtin_isnan(x)) {
      bad32 += !is_arithmetic_nan32(kiln_f32_floor(x)) + !is_arithmetic_nan32(kiln_f32_nearest(x));
    } else {
      bad32 += kiln_i32_reinterpret_f32(kiln_f32_ceil(x)) != kiln_i32_reinterpret_f32(ceilf(x));
      bad32 += kiln_i32_reinterpret_f32(kiln_f32_floor(x)) != kiln_i32_reinterpret_f32(floorf(x));
      bad32 += kiln_i32_reinterpret_f32(kiln_f32_trunc(x)) != kiln_i32_reinterpret_f32(truncf(x));
      bad32 += kiln_i32_reinterpret_f32(kiln_f32_nearest(x)) != kiln_i32_reinterpret_f32(rintf(x));
      bad32 += kiln_i32_reinterpret_f32(kiln_f32_sqrt(x)) != kiln_i32_reinterpret_f32(sqrtf(x)) && x >= 0;
    }
    if (__builtin_isnan(y)) {
      bad64 += !is_arithmetic_nan64(kiln_f64_ceil(y)) + !is_arithmetic_nan64(kiln_f64_trunc(y));
    } else {
      bad64 += kiln_i64_reinterpret_f64(kiln_f64_ceil(y)) != kiln_i64_reinterpret_f64(ceil(y));
      bad64 += kiln_i64_reinterpret_f64(kiln_f64_floor(y)) != kiln_i64_reinterpret_f64(floor(y));
      bad64 += kiln_i64_reinterpret_f64(kiln_f64_trunc(y)) != kiln_i64_reinterpret_f64(trunc(y));
      bad64 += kiln_i64_reinterpret_f64(kiln_f64_nearest(y)) != kiln_i64_reinterpret_f64(rint(y));
      bad64 += kiln_i64_reinterpret_f64(kiln_f64_sqrt(y)) != kiln_i64_reinterpret_f64(sqrt(y)) && y >= 0;
    }
  }
  CHECK_EQ(bad32, 0);
  CHECK_EQ(bad64, 0);
}

const kt_test kt_float_tests[] = {
    {"float sign bits", test_sign_bits},
    {"float min/max", test_min_max},
    {"float rounding cases", test_rounding_cases},
    {"float rounding vs libm", test_rounding_against_libm},
    {NULL, NULL},
};
