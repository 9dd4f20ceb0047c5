/* Integer operators and float<->int conversions (RELIABILITY.md items 30-36). The file is compiled with
 * -fsanitize=undefined -fno-sanitize-recover, so any C-level UB in a helper aborts the run. */
#include <stdint.h>

#include "kt.h"

static void test_div_rem(kiln_ctx* ctx) {
  const int DIV0 = KILN_TRAP_INTEGER_DIVIDE_BY_ZERO, OVF = KILN_TRAP_INTEGER_OVERFLOW;
  CHECK_EQ(kiln_i32_div_s(ctx, (u32)-7, 2), (u32)-3); /* truncates toward zero */
  CHECK_EQ(kiln_i32_div_u(ctx, (u32)-7, 2), 0x7FFFFFFCu);
  CHECK_EQ(kiln_i32_rem_s(ctx, (u32)-7, 2), (u32)-1); /* sign of the dividend */
  CHECK_EQ(kiln_i32_rem_s(ctx, 7, (u32)-2), 1);
  CHECK_EQ(kiln_i32_rem_u(ctx, (u32)-7, 2), 1);
  CHECK_EQ(kiln_i32_div_s(ctx, 0x80000000u, 2), 0xC0000000u);
  CHECK_EQ(kiln_i32_div_s(ctx, 0x80000001u, 0xFFFFFFFFu), 0x7FFFFFFFu);
  CHECK_EQ(kiln_i32_rem_s(ctx, 0x80000000u, 0xFFFFFFFFu), 0); /* item 30 */
  CHECK_EQ(kiln_i32_rem_s(ctx, 5, 0xFFFFFFFFu), 0);
  CHECK_EQ(kiln_i32_div_u(ctx, 0x80000000u, 0xFFFFFFFFu), 0);
  EXPECT_TRAP(ctx, OVF, kiln_i32_div_s(ctx, 0x80000000u, 0xFFFFFFFFu));
  EXPECT_TRAP(ctx, DIV0, kiln_i32_div_s(ctx, 1, 0));
  EXPECT_TRAP(ctx, DIV0, kiln_i32_div_s(ctx, 0x80000000u, 0));
  EXPECT_TRAP(ctx, DIV0, kiln_i32_div_u(ctx, 1, 0));
  EXPECT_TRAP(ctx, DIV0, kiln_i32_rem_s(ctx, 1, 0));
  EXPECT_TRAP(ctx, DIV0, kiln_i32_rem_u(ctx, 1, 0));

  const u64 MIN = 0x8000000000000000u, NEG1 = 0xFFFFFFFFFFFFFFFFu;
  CHECK_EQ(kiln_i64_div_s(ctx, (u64)-7, 2), (u64)-3);
  CHECK_EQ(kiln_i64_div_u(ctx, (u64)-7, 2), 0x7FFFFFFFFFFFFFFCu);
  CHECK_EQ(kiln_i64_rem_s(ctx, (u64)-7, 2), (u64)-1);
  CHECK_EQ(kiln_i64_rem_u(ctx, (u64)-7, 2), 1);
  CHECK_EQ(kiln_i64_div_s(ctx, MIN + 1, NEG1), 0x7FFFFFFFFFFFFFFFu);
  CHECK_EQ(kiln_i64_rem_s(ctx, MIN, NEG1), 0);
  EXPECT_TRAP(ctx, OVF, kiln_i64_div_s(ctx, MIN, NEG1));
  EXPECT_TRAP(ctx, DIV0, kiln_i64_div_s(ctx, 1, 0));
  EXPECT_TRAP(ctx, DIV0, kiln_i64_div_u(ctx, 1, 0));
  EXPECT_TRAP(ctx, DIV0, kiln_i64_rem_s(ctx, MIN, 0));
  EXPECT_TRAP(ctx, DIV0, kiln_i64_rem_u(ctx, 1, 0));
}

static void test_bit_counts(kiln_ctx* ctx) {
  (void)ctx;
  CHECK_EQ(kiln_i32_clz(0), 32); /* item 34 */
  CHECK_EQ(kiln_i32_ctz(0), 32);
  CHECK_EQ(kiln_i32_popcnt(0), 0);
  CHECK_EQ(kiln_i32_clz(1), 31);
  CHECK_EQ(kiln_i32_clz(0x80000000u), 0);
  CHECK_EQ(kiln_i32_ctz(0x80000000u), 31);
  CHECK_EQ(kiln_i32_popcnt(0xFFFFFFFFu), 32);
  CHECK_EQ(kiln_i32_popcnt(0x80008000u), 2);
  CHECK_EQ(kiln_i64_clz(0), 64);
  CHECK_EQ(kiln_i64_ctz(0), 64);
  CHECK_EQ(kiln_i64_popcnt(0), 0);
  CHECK_EQ(kiln_i64_clz(1), 63);
  CHECK_EQ(kiln_i64_ctz(0x8000000000000000u), 63);
  CHECK_EQ(kiln_i64_clz(0x00008000000000000u), 12);
  CHECK_EQ(kiln_i64_popcnt(0xFFFFFFFFFFFFFFFFu), 64);
  CHECK_EQ(kiln_i64_popcnt(0xAAAAAAAA55555555u), 32);
}

/* Item 32: counts are taken modulo the width. */
static void test_shifts(kiln_ctx* ctx) {
  (void)ctx;
  static const u32 counts[] = {0, 1, 31, 32, 33, 63, 64, 0xFFFFFFFFu, 0x80000000u};
  int ok = 1;
  for (unsigned i = 0; i < sizeof counts / sizeof counts[0]; i++) {
    u32 c = counts[i], k = c % 32;
    ok &= kiln_i32_shl(0x12345679u, c) == (u32)(0x12345679ull << k);
    ok &= kiln_i32_shr_u(0x92345679u, c) == (0x92345679u >> k);
    ok &= kiln_i32_rotl(0x92345679u, c) == (k ? (0x92345679u << k) | (0x92345679u >> (32 - k)) : 0x92345679u);
    ok &= kiln_i32_rotr(0x92345679u, c) == (k ? (0x92345679u >> k) | (0x92345679u << (32 - k)) : 0x92345679u);
    u64 d = (u64)c * 3u, j = d % 64;
    ok &= kiln_i64_shl(0x123456789ABCDEF1u, d) == (0x123456789ABCDEF1u << j);
    ok &= kiln_i64_shr_u(0xF23456789ABCDEF1u, d) == (0xF23456789ABCDEF1u >> j);
    ok &= kiln_i64_rotl(0xF23456789ABCDEF1u, d) ==
          (j ? (0xF23456789ABCDEF1u << j) | (0xF23456789ABCDEF1u >> (64 - j)) : 0xF23456789ABCDEF1u);
    ok &= kiln_i64_rotr(0xF23456789ABCDEF1u, d) ==
          (j ? (0xF23456789ABCDEF1u >> j) | (0xF23456789ABCDEF1u << (64 - j)) : 0xF23456789ABCDEF1u);
  }
  CHECK(ok);
  CHECK_EQ(kiln_i32_shl(1, 32), 1);
  CHECK_EQ(kiln_i32_shl(1, 33), 2);
  CHECK_EQ(kiln_i32_shl(1, 0xFFFFFFFFu), 0x80000000u);
  CHECK_EQ(kiln_i32_shr_s(0x80000000u, 31), 0xFFFFFFFFu);
  CHECK_EQ(kiln_i32_shr_s(0x80000000u, 32), 0x80000000u);
  CHECK_EQ(kiln_i32_shr_s(0x80000000u, 33), 0xC0000000u);
  CHECK_EQ(kiln_i32_shr_s(0x7FFFFFFFu, 0xFFFFFFFFu), 0);
  CHECK_EQ(kiln_i32_shr_s(0xFFFFFFF0u, 2), 0xFFFFFFFCu);
  CHECK_EQ(kiln_i32_shr_u(0x80000000u, 33), 0x40000000u);
  CHECK_EQ(kiln_i32_rotl(0x80000001u, 1), 3);
  CHECK_EQ(kiln_i32_rotl(0x80000001u, 33), 3);
  CHECK_EQ(kiln_i32_rotr(3, 0xFFFFFFFFu), 6);
  CHECK_EQ(kiln_i64_shl(1, 64), 1);
  CHECK_EQ(kiln_i64_shl(1, 0xFFFFFFFFFFFFFFFFu), 0x8000000000000000u);
  CHECK_EQ(kiln_i64_shr_s(0x8000000000000000u, 63), 0xFFFFFFFFFFFFFFFFu);
  CHECK_EQ(kiln_i64_shr_s(0x8000000000000000u, 65), 0xC000000000000000u);
  CHECK_EQ(kiln_i64_shr_s(0x4000000000000000u, 0xFFFFFFFFFFFFFFFEu), 1);
  CHECK_EQ(kiln_i64_rotl(0x8000000000000001u, 65), 3);
  CHECK_EQ(kiln_i64_rotr(3, 0xFFFFFFFFFFFFFFFFu), 6);
}

static void test_extend(kiln_ctx* ctx) {
  (void)ctx;
  CHECK_EQ(kiln_i32_extend8_s(0x7F), 0x7F);
  CHECK_EQ(kiln_i32_extend8_s(0x80), 0xFFFFFF80u);
  CHECK_EQ(kiln_i32_extend8_s(0x12345680u), 0xFFFFFF80u);
  CHECK_EQ(kiln_i32_extend16_s(0x8000), 0xFFFF8000u);
  CHECK_EQ(kiln_i32_extend16_s(0xABCD7FFFu), 0x7FFF);
  CHECK_EQ(kiln_i64_extend8_s(0xFF), 0xFFFFFFFFFFFFFFFFu);
  CHECK_EQ(kiln_i64_extend16_s(0x123457FFFu), 0x7FFF);
  CHECK_EQ(kiln_i64_extend32_s(0x80000000u), 0xFFFFFFFF80000000u);
  CHECK_EQ(kiln_i64_extend32_s(0xFFFFFFFF7FFFFFFFu), 0x7FFFFFFF);
  CHECK_EQ((u32)kiln_s32(0x80000000u), 0x80000000u);
  CHECK(kiln_s32(0x80000000u) == INT32_MIN && kiln_s32(0xFFFFFFFFu) == -1 && kiln_s32(0x7FFFFFFFu) == INT32_MAX);
  CHECK(kiln_s64(0x8000000000000000u) == INT64_MIN && kiln_s64(0xFFFFFFFFFFFFFFFFu) == -1);
}

/* Item 33: the operators generated code emits inline wrap as unsigned C arithmetic (no UBSan report). */
static void test_wrapping(kiln_ctx* ctx) {
  (void)ctx;
  volatile u32 a = 0x7FFFFFFFu, b = 0xFFFFFFFFu;
  CHECK_EQ((u32)(a + 1u), 0x80000000u);
  CHECK_EQ((u32)(b * b), 1);
  CHECK_EQ((u32)(0u - b), 1);
  volatile u64 c = 0x7FFFFFFFFFFFFFFFu;
  CHECK_EQ((u64)(c + 1u), 0x8000000000000000u);
  CHECK_EQ((u64)(c * c), 1);
}

#define F32(bits) kiln_f32_reinterpret_i32(bits)
#define F64(bits) kiln_f64_reinterpret_i64(bits)

/* Item 35 (conversions.wast): exact range checks. */
static void test_trapping_truncation(kiln_ctx* ctx) {
  const int INV = KILN_TRAP_INVALID_CONVERSION, OVF = KILN_TRAP_INTEGER_OVERFLOW;
  const f32 nanf = F32(0x7FC00000u), snanf = F32(0x7FA00000u), neg_nanf = F32(0xFFC00000u);
  const f64 nan = F64(0x7FF8000000000000u), snan = F64(0x7FF4000000000000u);
  const f32 inff = F32(0x7F800000u);
  const f64 inf = F64(0x7FF0000000000000u);

  CHECK_EQ(kiln_i32_trunc_f32_s(ctx, -1.9f), (u32)-1);
  CHECK_EQ(kiln_i32_trunc_f32_s(ctx, -0.0f), 0);
  CHECK_EQ(kiln_i32_trunc_f32_s(ctx, 2147483520.0f), 2147483520u);
  CHECK_EQ(kiln_i32_trunc_f32_s(ctx, -2147483648.0f), 0x80000000u);
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f32_s(ctx, 2147483648.0f));
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f32_s(ctx, -2147483904.0f));
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f32_s(ctx, inff));
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f32_s(ctx, -inff));
  EXPECT_TRAP(ctx, INV, kiln_i32_trunc_f32_s(ctx, nanf));
  EXPECT_TRAP(ctx, INV, kiln_i32_trunc_f32_s(ctx, snanf));
  EXPECT_TRAP(ctx, INV, kiln_i32_trunc_f32_s(ctx, neg_nanf));

  CHECK_EQ(kiln_i32_trunc_f32_u(ctx, -0.9f), 0);
  CHECK_EQ(kiln_i32_trunc_f32_u(ctx, 4294967040.0f), 4294967040u);
  CHECK_EQ(kiln_i32_trunc_f32_u(ctx, 2147483648.0f), 0x80000000u);
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f32_u(ctx, 4294967296.0f));
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f32_u(ctx, -1.0f));
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f32_u(ctx, inff));
  EXPECT_TRAP(ctx, INV, kiln_i32_trunc_f32_u(ctx, nanf));

  CHECK_EQ(kiln_i32_trunc_f64_s(ctx, -2147483648.9), 0x80000000u);
  CHECK_EQ(kiln_i32_trunc_f64_s(ctx, 2147483647.9), 0x7FFFFFFFu);
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f64_s(ctx, -2147483649.0));
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f64_s(ctx, 2147483648.0));
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f64_s(ctx, -inf));
  EXPECT_TRAP(ctx, INV, kiln_i32_trunc_f64_s(ctx, nan));
  EXPECT_TRAP(ctx, INV, kiln_i32_trunc_f64_s(ctx, snan));

  CHECK_EQ(kiln_i32_trunc_f64_u(ctx, -0.9), 0);
  CHECK_EQ(kiln_i32_trunc_f64_u(ctx, 4294967295.9), 0xFFFFFFFFu);
  CHECK_EQ(kiln_i32_trunc_f64_u(ctx, 1e8), 100000000u);
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f64_u(ctx, -1.0));
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f64_u(ctx, 4294967296.0));
  EXPECT_TRAP(ctx, OVF, kiln_i32_trunc_f64_u(ctx, 1e16));
  EXPECT_TRAP(ctx, INV, kiln_i32_trunc_f64_u(ctx, nan));

  CHECK_EQ(kiln_i64_trunc_f32_s(ctx, -9223372036854775808.0f), 0x8000000000000000u);
  CHECK_EQ(kiln_i64_trunc_f32_s(ctx, 9223371487098961920.0f), 9223371487098961920u);
  CHECK_EQ(kiln_i64_trunc_f32_s(ctx, -1.5f), (u64)-1);
  EXPECT_TRAP(ctx, OVF, kiln_i64_trunc_f32_s(ctx, 9223372036854775808.0f));
  EXPECT_TRAP(ctx, OVF, kiln_i64_trunc_f32_s(ctx, -9223373136366403584.0f));
  EXPECT_TRAP(ctx, INV, kiln_i64_trunc_f32_s(ctx, nanf));

  CHECK_EQ(kiln_i64_trunc_f32_u(ctx, 18446742974197923840.0f), 18446742974197923840u);
  CHECK_EQ(kiln_i64_trunc_f32_u(ctx, -0.9f), 0);
  EXPECT_TRAP(ctx, OVF, kiln_i64_trunc_f32_u(ctx, 18446744073709551616.0f));
  EXPECT_TRAP(ctx, OVF, kiln_i64_trunc_f32_u(ctx, -1.0f));
  EXPECT_TRAP(ctx, INV, kiln_i64_trunc_f32_u(ctx, snanf));

  CHECK_EQ(kiln_i64_trunc_f64_s(ctx, -9223372036854775808.0), 0x8000000000000000u);
  CHECK_EQ(kiln_i64_trunc_f64_s(ctx, 9223372036854774784.0), 9223372036854774784u);
  EXPECT_TRAP(ctx, OVF, kiln_i64_trunc_f64_s(ctx, 9223372036854775808.0));
  EXPECT_TRAP(ctx, OVF, kiln_i64_trunc_f64_s(ctx, -9223372036854777856.0));
  EXPECT_TRAP(ctx, INV, kiln_i64_trunc_f64_s(ctx, nan));

  CHECK_EQ(kiln_i64_trunc_f64_u(ctx, 18446744073709549568.0), 18446744073709549568u);
  CHECK_EQ(kiln_i64_trunc_f64_u(ctx, -0.99999999999999989), 0);
  CHECK_EQ(kiln_i64_trunc_f64_u(ctx, 1e16), 10000000000000000u);
  EXPECT_TRAP(ctx, OVF, kiln_i64_trunc_f64_u(ctx, 18446744073709551616.0));
  EXPECT_TRAP(ctx, OVF, kiln_i64_trunc_f64_u(ctx, -1.0));
  EXPECT_TRAP(ctx, OVF, kiln_i64_trunc_f64_u(ctx, inf));
  EXPECT_TRAP(ctx, INV, kiln_i64_trunc_f64_u(ctx, nan));
}

/* Item 36: saturating truncation never traps and never reaches an out-of-range C cast. */
static void test_saturating_truncation(kiln_ctx* ctx) {
  (void)ctx;
  const f32 nanf = F32(0x7FC00000u), inff = F32(0x7F800000u);
  const f64 nan = F64(0xFFF8000000000001u), inf = F64(0x7FF0000000000000u);
  CHECK_EQ(kiln_i32_trunc_sat_f32_s(nanf), 0);
  CHECK_EQ(kiln_i32_trunc_sat_f32_s(inff), 0x7FFFFFFFu);
  CHECK_EQ(kiln_i32_trunc_sat_f32_s(-inff), 0x80000000u);
  CHECK_EQ(kiln_i32_trunc_sat_f32_s(2147483648.0f), 0x7FFFFFFFu);
  CHECK_EQ(kiln_i32_trunc_sat_f32_s(-2147483904.0f), 0x80000000u);
  CHECK_EQ(kiln_i32_trunc_sat_f32_s(-2147483648.0f), 0x80000000u);
  CHECK_EQ(kiln_i32_trunc_sat_f32_s(-1.5f), (u32)-1);
  CHECK_EQ(kiln_i32_trunc_sat_f32_u(nanf), 0);
  CHECK_EQ(kiln_i32_trunc_sat_f32_u(-inff), 0);
  CHECK_EQ(kiln_i32_trunc_sat_f32_u(-0.9f), 0);
  CHECK_EQ(kiln_i32_trunc_sat_f32_u(-1.0f), 0);
  CHECK_EQ(kiln_i32_trunc_sat_f32_u(4294967040.0f), 4294967040u);
  CHECK_EQ(kiln_i32_trunc_sat_f32_u(4294967296.0f), 0xFFFFFFFFu);
  CHECK_EQ(kiln_i32_trunc_sat_f32_u(inff), 0xFFFFFFFFu);
  CHECK_EQ(kiln_i32_trunc_sat_f64_s(nan), 0);
  CHECK_EQ(kiln_i32_trunc_sat_f64_s(-2147483648.9), 0x80000000u);
  CHECK_EQ(kiln_i32_trunc_sat_f64_s(-2147483649.0), 0x80000000u);
  CHECK_EQ(kiln_i32_trunc_sat_f64_s(2147483647.9), 0x7FFFFFFFu);
  CHECK_EQ(kiln_i32_trunc_sat_f64_s(2147483648.0), 0x7FFFFFFFu);
  CHECK_EQ(kiln_i32_trunc_sat_f64_s(-inf), 0x80000000u);
  CHECK_EQ(kiln_i32_trunc_sat_f64_u(nan), 0);
  CHECK_EQ(kiln_i32_trunc_sat_f64_u(-0.9), 0);
  CHECK_EQ(kiln_i32_trunc_sat_f64_u(-1e300), 0);
  CHECK_EQ(kiln_i32_trunc_sat_f64_u(4294967295.9), 0xFFFFFFFFu);
  CHECK_EQ(kiln_i32_trunc_sat_f64_u(4294967296.0), 0xFFFFFFFFu);
  CHECK_EQ(kiln_i32_trunc_sat_f64_u(inf), 0xFFFFFFFFu);
  CHECK_EQ(kiln_i64_trunc_sat_f32_s(nanf), 0);
  CHECK_EQ(kiln_i64_trunc_sat_f32_s(9223372036854775808.0f), 0x7FFFFFFFFFFFFFFFu);
  CHECK_EQ(kiln_i64_trunc_sat_f32_s(-9223372036854775808.0f), 0x8000000000000000u);
  CHECK_EQ(kiln_i64_trunc_sat_f32_s(-inff), 0x8000000000000000u);
  CHECK_EQ(kiln_i64_trunc_sat_f32_u(nanf), 0);
  CHECK_EQ(kiln_i64_trunc_sat_f32_u(18446744073709551616.0f), 0xFFFFFFFFFFFFFFFFu);
  CHECK_EQ(kiln_i64_trunc_sat_f32_u(18446742974197923840.0f), 18446742974197923840u);
  CHECK_EQ(kiln_i64_trunc_sat_f32_u(-inff), 0);
  CHECK_EQ(kiln_i64_trunc_sat_f64_s(nan), 0);
  CHECK_EQ(kiln_i64_trunc_sat_f64_s(9223372036854775808.0), 0x7FFFFFFFFFFFFFFFu);
  CHECK_EQ(kiln_i64_trunc_sat_f64_s(-9223372036854777856.0), 0x8000000000000000u);
  CHECK_EQ(kiln_i64_trunc_sat_f64_s(-9223372036854775808.0), 0x8000000000000000u);
  CHECK_EQ(kiln_i64_trunc_sat_f64_s(inf), 0x7FFFFFFFFFFFFFFFu);
  CHECK_EQ(kiln_i64_trunc_sat_f64_u(nan), 0);
  CHECK_EQ(kiln_i64_trunc_sat_f64_u(-0.5), 0);
  CHECK_EQ(kiln_i64_trunc_sat_f64_u(18446744073709549568.0), 18446744073709549568u);
  CHECK_EQ(kiln_i64_trunc_sat_f64_u(18446744073709551616.0), 0xFFFFFFFFFFFFFFFFu);
  CHECK_EQ(kiln_i64_trunc_sat_f64_u(inf), 0xFFFFFFFFFFFFFFFFu);
}

/* conversions.wast: the cases where converting through a wider type would round twice. */
static void test_int_to_float(kiln_ctx* ctx) {
  (void)ctx;
  CHECK_F32_BITS(kiln_f32_convert_i32_s(0x80000000u), 0xCF000000u);
  CHECK_F32_BITS(kiln_f32_convert_i32_s(0xFFFFFFFFu), 0xBF800000u);
  CHECK_F32_BITS(kiln_f32_convert_i32_s(16777217u), 0x4B800000u); /* 1.6777216e7, ties to even */
  CHECK_F32_BITS(kiln_f32_convert_i32_s((u32)-16777219), 0xCB800002u);
  CHECK_F32_BITS(kiln_f32_convert_i32_u(0xFFFFFFFFu), 0x4F800000u);
  CHECK_F32_BITS(kiln_f32_convert_i32_u(0x80000080u), 0x4F000000u);
  CHECK_F32_BITS(kiln_f32_convert_i32_u(0x80000081u), 0x4F000001u);
  CHECK_F32_BITS(kiln_f32_convert_i32_u(0x80000180u), 0x4F000002u);
  CHECK_F32_BITS(kiln_f32_convert_i64_s(0x8000000000000000u), 0xDF000000u);
  CHECK_F32_BITS(kiln_f32_convert_i64_s(9007199791611905u), 0x5A000001u); /* 0x1.000002p+53 */
  CHECK_F32_BITS(kiln_f32_convert_i64_s((u64)-9007199791611905), 0xDA000001u);
  CHECK_F32_BITS(kiln_f32_convert_i64_u(0xFFFFFFFFFFFFFFFFu), 0x5F800000u);
  CHECK_F32_BITS(kiln_f32_convert_i64_u(0x8000008000000001u), 0x5F000001u);
  CHECK_F32_BITS(kiln_f32_convert_i64_u(0xFFFFFE8000000001u), 0x5F7FFFFFu);
  CHECK_F32_BITS(kiln_f32_convert_i64_u(9007199791611905u), 0x5A000001u);
  CHECK_F32_BITS(kiln_f32_convert_i64_u(0x7FFFFFBFFFFFFFFFu), 0x5EFFFFFFu); /* 0x1.fffffep+62 */
  CHECK_F32_BITS(kiln_f32_convert_i32_u(0xFFFFFE81u), 0x4F7FFFFFu);
  CHECK_F64_BITS(kiln_f64_convert_i32_s(0x80000000u), 0xC1E0000000000000u);
  CHECK_F64_BITS(kiln_f64_convert_i32_u(0xFFFFFFFFu), 0x41EFFFFFFFE00000u);
  CHECK_F64_BITS(kiln_f64_convert_i64_s(0x8000000000000000u), 0xC3E0000000000000u);
  CHECK_F64_BITS(kiln_f64_convert_i64_s(9007199254740993u), 0x4340000000000000u); /* ties to even */
  CHECK_F64_BITS(kiln_f64_convert_i64_s(9007199254740995u), 0x4340000000000002u);
  CHECK_F64_BITS(kiln_f64_convert_i64_u(0xFFFFFFFFFFFFFFFFu), 0x43F0000000000000u);
  CHECK_F64_BITS(kiln_f64_convert_i64_u(0x8000000000000400u), 0x43E0000000000000u);
  CHECK_F64_BITS(kiln_f64_convert_i64_u(0x8000000000000401u), 0x43E0000000000001u);
  CHECK_F64_BITS(kiln_f64_convert_i64_u(0xFFFFFFFFFFFFF400u), 0x43EFFFFFFFFFFFFEu);
  CHECK_F64_BITS(kiln_f64_convert_i64_u(0xFFFFFFFFFFFFF401u), 0x43EFFFFFFFFFFFFFu);
  CHECK_F64_BITS(kiln_f64_convert_i64_u(9007199254740995u), 0x4340000000000002u);

  CHECK_F32_BITS(kiln_f32_demote_f64(0x1.fffffe0000000p-127), 0x00800000u); /* rounds up to FLT_MIN */
  CHECK_F32_BITS(kiln_f32_demote_f64(0x1.fffffefffffffp+127), 0x7F7FFFFFu);
  CHECK_F32_BITS(kiln_f32_demote_f64(0x1.ffffffp+127), 0x7F800000u);
  CHECK_F32_BITS(kiln_f32_demote_f64(-0.0), 0x80000000u);
  CHECK(__builtin_isnan(kiln_f32_demote_f64(F64(0x7FF4000000000000u))));
  CHECK_F64_BITS(kiln_f64_promote_f32(F32(0x00000001u)), 0x36A0000000000000u);
  CHECK_F64_BITS(kiln_f64_promote_f32(F32(0xFF7FFFFFu)), 0xC7EFFFFFE0000000u);
  CHECK(__builtin_isnan(kiln_f64_promote_f32(F32(0x7FA00000u))));
}

const kt_test kt_numeric_tests[] = {
    {"integer div/rem", test_div_rem},
    {"integer bit counts", test_bit_counts},
    {"integer shifts and rotates", test_shifts},
    {"integer sign extension", test_extend},
    {"integer wrapping", test_wrapping},
    {"trapping truncation", test_trapping_truncation},
    {"saturating truncation", test_saturating_truncation},
    {"int to float", test_int_to_float},
    {NULL, NULL},
};
