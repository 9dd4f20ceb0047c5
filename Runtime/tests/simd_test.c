/* SIMD helpers (kiln_simd.h): the spec's edge cases for every instruction family (RELIABILITY.md items 10,
 * 36-39 in their v128 form), then randomized comparisons of the vector helpers with lane-by-lane references
 * built on the exact scalar helpers. Standalone: the last line is `N passed, M failed` (N and M count
 * checks; a randomized comparison is one check), and the exit status is non-zero on failure. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiln_relaxed_simd.h"

static int passed, failed;
static const char* current = "?";

static void record(int ok, int line, const char* what, const char* detail) {
  if (ok) {
    passed++;
    return;
  }
  failed++;
  printf("FAIL %s (line %d): %s%s%s\n", current, line, what, detail ? ": " : "", detail ? detail : "");
}

#define CHECK(cond) record(!!(cond), __LINE__, #cond, NULL)

#define CHECK_EQ(got, want)                                                                 \
  do {                                                                                      \
    unsigned long long g_ = (unsigned long long)(got), w_ = (unsigned long long)(want);     \
    char d_[96];                                                                            \
    snprintf(d_, sizeof d_, "got 0x%llx, want 0x%llx", g_, w_);                            \
    record(g_ == w_, __LINE__, #got " == " #want, d_);                                      \
  } while (0)

static void hex(char* out, kiln_v128 v) {
  for (int i = 0; i < 16; i++) sprintf(out + 2 * i, "%02x", v[i]);
}

/* Whole-vector comparison, printed as bytes in lane order (lane 0 first). */
#define CHECK_V(got, want)                                                                  \
  do {                                                                                      \
    kiln_v128 g_ = (got), w_ = (want);                                                      \
    char d_[96], gh_[33], wh_[33];                                                      \
    hex(gh_, g_);                                                                           \
    hex(wh_, w_);                                                                           \
    snprintf(d_, sizeof d_, "got %s, want %s", gh_, wh_);                                   \
    record(memcmp(&g_, &w_, 16) == 0, __LINE__, #got, d_);                                  \
  } while (0)

/* Runs stmt; passes if it traps out of bounds. The previous ctx->jmp is restored either way. */
#define EXPECT_OOB(ctx, stmt)                                                               \
  do {                                                                                      \
    jmp_buf env_;                                                                           \
    jmp_buf* const saved_ = (ctx)->jmp;                                                     \
    (ctx)->trap_code = KILN_TRAP_NONE;                                                      \
    (ctx)->jmp = &env_;                                                                     \
    if (setjmp(env_) == 0) {                                                                \
      stmt;                                                                                 \
      (ctx)->jmp = saved_;                                                                  \
      record(0, __LINE__, #stmt, "did not trap");                                           \
    } else {                                                                                \
      (ctx)->jmp = saved_;                                                                  \
      record((ctx)->trap_code == KILN_TRAP_MEMORY_OUT_OF_BOUNDS, __LINE__, #stmt,           \
             kiln_trap_message((ctx)->trap_code));                                          \
    }                                                                                       \
  } while (0)

/* Vector literals, lane 0 first. */
#define I8X16(...) ((kiln_v128)(kiln_i8x16){__VA_ARGS__})
#define U8X16(...) ((kiln_v128)(kiln_u8x16){__VA_ARGS__})
#define I16X8(...) ((kiln_v128)(kiln_i16x8){__VA_ARGS__})
#define U16X8(...) ((kiln_v128)(kiln_u16x8){__VA_ARGS__})
#define I32X4(...) ((kiln_v128)(kiln_i32x4){__VA_ARGS__})
#define U32X4(...) ((kiln_v128)(kiln_u32x4){__VA_ARGS__})
#define I64X2(...) ((kiln_v128)(kiln_i64x2){__VA_ARGS__})
#define U64X2(...) ((kiln_v128)(kiln_u64x2){__VA_ARGS__})
#define F32X4(...) ((kiln_v128)(kiln_f32x4){__VA_ARGS__})
#define F64X2(...) ((kiln_v128)(kiln_f64x2){__VA_ARGS__})

#define F32(bits) kiln_f32_reinterpret_i32(bits)
#define F64(bits) kiln_f64_reinterpret_i64(bits)

static u32 lane32(kiln_v128 v, int i) { return ((kiln_u32x4)v)[i]; }
static u64 lane64(kiln_v128 v, int i) { return ((kiln_u64x2)v)[i]; }

static int is_nan32(u32 b) { return (b & 0x7F800000u) == 0x7F800000u && (b & 0x007FFFFFu) != 0; }
static int is_nan64(u64 b) { return (b & 0x7FF0000000000000u) == 0x7FF0000000000000u && (b & 0x000FFFFFFFFFFFFFu) != 0; }
/* Arithmetic NaN: quiet bit set (any sign, any payload); canonical: only the quiet bit. */
static int is_arith32(u32 b) { return is_nan32(b) && (b & 0x00400000u); }
static int is_arith64(u64 b) { return is_nan64(b) && (b & 0x0008000000000000u); }
static int is_canon32(u32 b) { return (b & 0x7FFFFFFFu) == 0x7FC00000u; }
static int is_canon64(u64 b) { return (b & 0x7FFFFFFFFFFFFFFFu) == 0x7FF8000000000000u; }

#define NAN32 0x7FC00000u
#define SNAN32 0x7FA00000u
#define NAN64 0x7FF8000000000000u
#define SNAN64 0x7FF4000000000000u

/* ---- Splat and lanes -------------------------------------------------------------------------------------- */

static void test_splat_and_lanes(void) {
  current = "splat/lanes";
  CHECK_V(kiln_i8x16_splat(0x1FFu), U8X16(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                          0xFF, 0xFF, 0xFF));
  CHECK_V(kiln_i16x8_splat(0x12345u), U16X8(0x2345, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345));
  CHECK_V(kiln_i32x4_splat(0x80000000u), U32X4(0x80000000u, 0x80000000u, 0x80000000u, 0x80000000u));
  CHECK_V(kiln_i64x2_splat(0x0123456789ABCDEFu), U64X2(0x0123456789ABCDEFu, 0x0123456789ABCDEFu));
  /* Float splats keep the exact bits: -0 stays -0, a signalling NaN stays signalling. */
  CHECK_V(kiln_f32x4_splat(-0.0f), U32X4(0x80000000u, 0x80000000u, 0x80000000u, 0x80000000u));
  CHECK_V(kiln_f32x4_splat(F32(0xFFA00001u)), U32X4(0xFFA00001u, 0xFFA00001u, 0xFFA00001u, 0xFFA00001u));
  CHECK_V(kiln_f64x2_splat(F64(SNAN64 | 1)), U64X2(SNAN64 | 1, SNAN64 | 1));

  kiln_v128 v = U8X16(0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xFF);
  CHECK_EQ(kiln_i8x16_extract_lane_s(v, 0), 0xFFFFFF80u);
  CHECK_EQ(kiln_i8x16_extract_lane_u(v, 0), 0x80u);
  CHECK_EQ(kiln_i8x16_extract_lane_s(v, 15), 0xFFFFFFFFu);
  CHECK_EQ(kiln_i8x16_extract_lane_u(v, 15), 0xFFu);
  CHECK_EQ(kiln_i8x16_extract_lane_s(v, 1), 1u);
  kiln_v128 h = U16X8(0x8000, 1, 2, 3, 4, 5, 6, 0xFFFF);
  CHECK_EQ(kiln_i16x8_extract_lane_s(h, 0), 0xFFFF8000u);
  CHECK_EQ(kiln_i16x8_extract_lane_u(h, 0), 0x8000u);
  CHECK_EQ(kiln_i16x8_extract_lane_s(h, 7), 0xFFFFFFFFu);
  CHECK_EQ(kiln_i16x8_extract_lane_u(h, 7), 0xFFFFu);
  CHECK_EQ(kiln_i32x4_extract_lane(U32X4(1, 2, 3, 0xFFFFFFFFu), 3), 0xFFFFFFFFu);
  CHECK_EQ(kiln_i64x2_extract_lane(U64X2(1, 0x8000000000000000u), 1), 0x8000000000000000u);
  CHECK_EQ(kiln_i32_reinterpret_f32(kiln_f32x4_extract_lane(U32X4(0, 0, 0x7FA00001u, 0), 2)), 0x7FA00001u);
  CHECK_EQ(kiln_i64_reinterpret_f64(kiln_f64x2_extract_lane(U64X2(0, SNAN64 | 5), 1)), SNAN64 | 5);

  CHECK_V(kiln_i8x16_replace_lane(kiln_i8x16_splat(0), 15, 0x1AB), U8X16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xAB));
  CHECK_V(kiln_i16x8_replace_lane(kiln_i16x8_splat(0), 7, 0x12345u), U16X8(0, 0, 0, 0, 0, 0, 0, 0x2345));
  CHECK_V(kiln_i32x4_replace_lane(kiln_i32x4_splat(7), 0, 0xDEADBEEFu), U32X4(0xDEADBEEFu, 7, 7, 7));
  CHECK_V(kiln_i64x2_replace_lane(kiln_i64x2_splat(7), 1, 0x8000000000000001u), U64X2(7, 0x8000000000000001u));
  CHECK_V(kiln_f32x4_replace_lane(kiln_f32x4_splat(1.0f), 3, F32(0xFFA00001u)),
          U32X4(0x3F800000u, 0x3F800000u, 0x3F800000u, 0xFFA00001u));
  CHECK_V(kiln_f64x2_replace_lane(kiln_f64x2_splat(1.0), 0, -0.0), U64X2(0x8000000000000000u, 0x3FF0000000000000u));
}

static void test_swizzle(void) {
  current = "swizzle";
  kiln_v128 a = U8X16(100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115);
  CHECK_V(kiln_i8x16_swizzle(a, U8X16(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)),
          U8X16(115, 114, 113, 112, 111, 110, 109, 108, 107, 106, 105, 104, 103, 102, 101, 100));
  /* Indices >= 16 give 0, including those whose low four bits are a valid index. */
  CHECK_V(kiln_i8x16_swizzle(a, U8X16(16, 17, 0x1F, 0x20, 0x70, 0x7F, 0x80, 0x8F, 0xF0, 0xFF, 0, 15, 255, 31, 5, 0x90)),
          U8X16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 115, 0, 0, 105, 0));
}

/* ---- Comparisons and bitwise ------------------------------------------------------------------------------- */

static void test_comparisons(void) {
  current = "comparisons";
  kiln_v128 a = I8X16(-128, 127, 0, -1, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  kiln_v128 b = I8X16(127, -128, 0, 1, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  CHECK_V(kiln_i8x16_lt_s(a, b), I8X16(-1, 0, 0, -1, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i8x16_lt_u(a, b), I8X16(0, -1, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i8x16_ge_u(a, b), I8X16(-1, 0, -1, -1, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
  CHECK_V(kiln_i8x16_eq(a, b), I8X16(0, 0, -1, 0, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
  CHECK_V(kiln_i16x8_gt_s(I16X8(-32768, 32767, 0, 0, 0, 0, 0, 1), I16X8(0, 0, 0, 0, 0, 0, 0, 0)),
          I16X8(0, -1, 0, 0, 0, 0, 0, -1));
  CHECK_V(kiln_i16x8_le_u(I16X8(-1, 1, 0, 0, 0, 0, 0, 2), I16X8(1, -1, 0, 0, 0, 0, 0, 1)),
          I16X8(0, -1, -1, -1, -1, -1, -1, 0));
  CHECK_V(kiln_i32x4_lt_u(I32X4(-1, 0, 1, 2), I32X4(0, -1, 1, 3)), I32X4(0, -1, 0, -1));
  CHECK_V(kiln_i32x4_ne(I32X4(-1, 0, 1, 2), I32X4(0, -1, 1, 3)), I32X4(-1, -1, 0, -1));
  CHECK_V(kiln_i64x2_lt_s(I64X2(-1, INT64_MAX), I64X2(0, INT64_MIN)), I64X2(-1, 0));
  CHECK_V(kiln_i64x2_ge_s(I64X2(INT64_MIN, 3), I64X2(INT64_MIN, 4)), I64X2(-1, 0));
  /* Floats: NaN is unordered (only ne is true), and -0 == +0. */
  kiln_v128 x = U32X4(NAN32, 0x80000000u, 0x3F800000u, SNAN32);
  kiln_v128 y = U32X4(NAN32, 0x00000000u, 0x40000000u, 0x3F800000u);
  CHECK_V(kiln_f32x4_eq(x, y), I32X4(0, -1, 0, 0));
  CHECK_V(kiln_f32x4_ne(x, y), I32X4(-1, 0, -1, -1));
  CHECK_V(kiln_f32x4_lt(x, y), I32X4(0, 0, -1, 0));
  CHECK_V(kiln_f32x4_ge(x, y), I32X4(0, -1, 0, 0));
  CHECK_V(kiln_f64x2_le(U64X2(NAN64, 0x8000000000000000u), U64X2(0, 0)), I64X2(0, -1));
  CHECK_V(kiln_f64x2_gt(F64X2(2.0, 1.0), F64X2(1.0, F64(NAN64))), I64X2(-1, 0));
}

static void test_bitwise(void) {
  current = "bitwise";
  kiln_v128 a = U64X2(0xFF00FF00FF00FF00u, 0x0123456789ABCDEFu), b = U64X2(0x0F0F0F0F0F0F0F0Fu, 0xFFFFFFFF00000000u);
  CHECK_V(kiln_v128_not(a), U64X2(0x00FF00FF00FF00FFu, 0xFEDCBA9876543210u));
  CHECK_V(kiln_v128_and(a, b), U64X2(0x0F000F000F000F00u, 0x0123456700000000u));
  CHECK_V(kiln_v128_andnot(a, b), U64X2(0xF000F000F000F000u, 0x0000000089ABCDEFu));
  CHECK_V(kiln_v128_or(a, b), U64X2(0xFF0FFF0FFF0FFF0Fu, 0xFFFFFFFF89ABCDEFu));
  CHECK_V(kiln_v128_xor(a, b), U64X2(0xF00FF00FF00FF00Fu, 0xFEDCBA9889ABCDEFu));
  /* bitselect(a, b, c): a's bits where c is 1. */
  CHECK_V(kiln_v128_bitselect(U64X2(~0ull, ~0ull), U64X2(0, 0), U64X2(0x00000000FFFFFFFFu, 0xAAAAAAAAAAAAAAAAu)),
          U64X2(0x00000000FFFFFFFFu, 0xAAAAAAAAAAAAAAAAu));
  CHECK_V(kiln_v128_bitselect(a, b, U64X2(0xFFFF0000FFFF0000u, 0)), U64X2(0xFF000F0FFF000F0Fu, 0xFFFFFFFF00000000u));
}

static void test_all_any_bitmask(void) {
  current = "any_true/all_true/bitmask";
  CHECK_EQ(kiln_v128_any_true(U64X2(0, 0)), 0u);
  CHECK_EQ(kiln_v128_any_true(U64X2(0, 1ull << 63)), 1u);
  CHECK_EQ(kiln_v128_any_true(U8X16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)), 1u);
  CHECK_EQ(kiln_i8x16_all_true(kiln_i8x16_splat(1)), 1u);
  CHECK_EQ(kiln_i8x16_all_true(U8X16(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0)), 0u);
  CHECK_EQ(kiln_i16x8_all_true(U16X8(0x100, 1, 1, 1, 1, 1, 1, 1)), 1u); /* a lane's zero low byte is fine */
  CHECK_EQ(kiln_i16x8_all_true(U16X8(1, 1, 1, 1, 1, 1, 1, 0)), 0u);
  CHECK_EQ(kiln_i32x4_all_true(U32X4(0x10000u, 1, 0x80000000u, 1)), 1u);
  CHECK_EQ(kiln_i32x4_all_true(U32X4(1, 1, 0, 1)), 0u);
  CHECK_EQ(kiln_i64x2_all_true(U64X2(1ull << 32, 1)), 1u);
  CHECK_EQ(kiln_i64x2_all_true(U64X2(1, 0)), 0u);
  CHECK_EQ(kiln_i8x16_bitmask(U8X16(0x80, 0x7F, 0xFF, 0, 0, 0, 0, 0x80, 0x80, 0, 0, 0, 0, 0, 0, 0xC0)), 0x8185u);
  CHECK_EQ(kiln_i8x16_bitmask(kiln_i8x16_splat(0x80)), 0xFFFFu);
  CHECK_EQ(kiln_i16x8_bitmask(U16X8(0x8000, 0x00FF, 0xFFFF, 0x7FFF, 0, 0, 0, 0x8001)), 0x85u);
  CHECK_EQ(kiln_i16x8_bitmask(kiln_i16x8_splat(0xFFFF)), 0xFFu);
  CHECK_EQ(kiln_i32x4_bitmask(U32X4(0x80000000u, 0x7FFFFFFFu, 0, 0xFFFFFFFFu)), 0x9u);
  CHECK_EQ(kiln_i64x2_bitmask(U64X2(0x7FFFFFFFFFFFFFFFu, 0x8000000000000000u)), 0x2u);
}

/* ---- Integer arithmetic -------------------------------------------------------------------------------------- */

static void test_integer_arithmetic(void) {
  current = "integer arithmetic";
  CHECK_V(kiln_i8x16_add(kiln_i8x16_splat(0xFF), kiln_i8x16_splat(2)), kiln_i8x16_splat(1));
  CHECK_V(kiln_i8x16_sub(kiln_i8x16_splat(0), kiln_i8x16_splat(1)), kiln_i8x16_splat(0xFF));
  CHECK_V(kiln_i16x8_mul(kiln_i16x8_splat(0x8000), kiln_i16x8_splat(0xFFFF)), kiln_i16x8_splat(0x8000)); /* wraps */
  CHECK_V(kiln_i16x8_mul(kiln_i16x8_splat(0xFFFF), kiln_i16x8_splat(0xFFFF)), kiln_i16x8_splat(1));
  CHECK_V(kiln_i32x4_mul(I32X4(INT32_MIN, 65536, -1, 3), I32X4(-1, 65536, -1, -5)), I32X4(INT32_MIN, 0, 1, -15));
  CHECK_V(kiln_i64x2_mul(U64X2(0xFFFFFFFFFFFFFFFFu, 0x100000001u), U64X2(0xFFFFFFFFFFFFFFFFu, 0x100000001u)),
          U64X2(1, 0x200000001u));
  CHECK_V(kiln_i64x2_add(U64X2(~0ull, 1), U64X2(1, 2)), U64X2(0, 3));
  CHECK_V(kiln_i64x2_sub(U64X2(0, 5), U64X2(1, 2)), U64X2(~0ull, 3));
  CHECK_V(kiln_i32x4_add(I32X4(INT32_MAX, 0, 0, 0), I32X4(1, 0, 0, 0)), I32X4(INT32_MIN, 0, 0, 0));
  CHECK_V(kiln_i32x4_sub(I32X4(INT32_MIN, 0, 0, 0), I32X4(1, 0, 0, 0)), I32X4(INT32_MAX, 0, 0, 0));
  CHECK_V(kiln_i16x8_add(I16X8(32767, 0, 0, 0, 0, 0, 0, 0), I16X8(1, 0, 0, 0, 0, 0, 0, 0)), I16X8(-32768, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_sub(I16X8(-32768, 0, 0, 0, 0, 0, 0, 0), I16X8(1, 0, 0, 0, 0, 0, 0, 0)), I16X8(32767, 0, 0, 0, 0, 0, 0, 0));
  /* neg and abs of the most negative value wrap to itself. */
  CHECK_V(kiln_i8x16_neg(I8X16(-128, 1, 0, 127, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
          I8X16(-128, -1, 0, -127, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i8x16_abs(I8X16(-128, 1, 0, 127, -1, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
          I8X16(-128, 1, 0, 127, 1, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_abs(I16X8(-32768, -32767, 5, -5, 0, 0, 0, 0)), I16X8(-32768, 32767, 5, 5, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_neg(I16X8(-32768, -32767, 5, -5, 0, 0, 0, 0)), I16X8(-32768, 32767, -5, 5, 0, 0, 0, 0));
  CHECK_V(kiln_i32x4_abs(I32X4(INT32_MIN, -1, 1, 0)), I32X4(INT32_MIN, 1, 1, 0));
  CHECK_V(kiln_i32x4_neg(I32X4(INT32_MIN, -1, 1, 0)), I32X4(INT32_MIN, 1, -1, 0));
  CHECK_V(kiln_i64x2_abs(I64X2(INT64_MIN, -7)), I64X2(INT64_MIN, 7));
  CHECK_V(kiln_i64x2_neg(I64X2(INT64_MIN, -7)), I64X2(INT64_MIN, 7));
  /* min/max: signedness matters. */
  kiln_v128 a = I8X16(-128, 127, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), b = I8X16(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  CHECK_V(kiln_i8x16_min_s(a, b), I8X16(-128, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i8x16_min_u(a, b), I8X16(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i8x16_max_s(a, b), I8X16(0, 127, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i8x16_max_u(a, b), I8X16(-128, 127, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_min_s(I16X8(-32768, 1, 0, 0, 0, 0, 0, 0), I16X8(0, -1, 0, 0, 0, 0, 0, 0)), I16X8(-32768, -1, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_max_u(I16X8(-32768, 1, 0, 0, 0, 0, 0, 0), I16X8(0, -1, 0, 0, 0, 0, 0, 0)), I16X8(-32768, -1, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_min_u(I16X8(-32768, 1, 0, 0, 0, 0, 0, 0), I16X8(0, -1, 0, 0, 0, 0, 0, 0)), I16X8(0, 1, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_max_s(I16X8(-32768, 1, 0, 0, 0, 0, 0, 0), I16X8(0, -1, 0, 0, 0, 0, 0, 0)), I16X8(0, 1, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i32x4_min_s(I32X4(INT32_MIN, -1, 3, 4), I32X4(INT32_MAX, 1, 3, -4)), I32X4(INT32_MIN, -1, 3, -4));
  CHECK_V(kiln_i32x4_min_u(I32X4(INT32_MIN, -1, 3, 4), I32X4(INT32_MAX, 1, 3, -4)), I32X4(INT32_MAX, 1, 3, 4));
  CHECK_V(kiln_i32x4_max_s(I32X4(INT32_MIN, -1, 3, 4), I32X4(INT32_MAX, 1, 3, -4)), I32X4(INT32_MAX, 1, 3, 4));
  CHECK_V(kiln_i32x4_max_u(I32X4(INT32_MIN, -1, 3, 4), I32X4(INT32_MAX, 1, 3, -4)), I32X4(INT32_MIN, -1, 3, -4));
  /* avgr_u rounds up and does not overflow at 255 + 255. */
  CHECK_V(kiln_i8x16_avgr_u(U8X16(255, 0, 1, 254, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), U8X16(255, 1, 2, 255, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
          U8X16(255, 1, 2, 255, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_avgr_u(U16X8(65535, 0, 1, 65534, 0, 0, 0, 0), U16X8(65535, 1, 2, 65535, 0, 0, 0, 0)),
          U16X8(65535, 1, 2, 65535, 0, 0, 0, 0));
  CHECK_V(kiln_i8x16_popcnt(U8X16(0, 1, 0x80, 0xFF, 0x55, 0xAA, 0x0F, 0xF0, 3, 7, 0x81, 0x7E, 0, 0, 0, 0)),
          U8X16(0, 1, 1, 8, 4, 4, 4, 4, 2, 3, 2, 6, 0, 0, 0, 0));
}

static void test_saturating(void) {
  current = "saturating arithmetic";
  CHECK_V(kiln_i8x16_add_sat_s(I8X16(127, -128, 100, -100, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), I8X16(1, -1, 100, -100, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
          I8X16(127, -128, 127, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i8x16_sub_sat_s(I8X16(-128, 127, 0, -1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), I8X16(1, -1, -128, 127, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
          I8X16(-128, 127, 127, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i8x16_add_sat_u(U8X16(255, 200, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), U8X16(1, 100, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
          U8X16(255, 255, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i8x16_sub_sat_u(U8X16(0, 100, 200, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), U8X16(1, 200, 100, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
          U8X16(0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_add_sat_s(I16X8(32767, -32768, 20000, -20000, 1, 0, 0, 0), I16X8(1, -1, 20000, -20000, -1, 0, 0, 0)),
          I16X8(32767, -32768, 32767, -32768, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_sub_sat_s(I16X8(-32768, 32767, 0, -1, 0, 0, 0, 0), I16X8(1, -1, -32768, 32767, 0, 0, 0, 0)),
          I16X8(-32768, 32767, 32767, -32768, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_add_sat_u(U16X8(65535, 40000, 1, 0, 0, 0, 0, 0), U16X8(1, 40000, 1, 0, 0, 0, 0, 0)), U16X8(65535, 65535, 2, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_sub_sat_u(U16X8(0, 1, 40000, 0, 0, 0, 0, 0), U16X8(1, 40000, 1, 0, 0, 0, 0, 0)), U16X8(0, 0, 39999, 0, 0, 0, 0, 0));

  /* q15mulr_sat_s: (a * b + 2^14) >> 15; -32768 * -32768 saturates to 32767. */
  CHECK_V(kiln_i16x8_q15mulr_sat_s(I16X8(-32768, -32768, 32767, 16384, -16384, 1, -1, 32767),
                                   I16X8(-32768, 32767, 32767, 16384, 16384, 16384, 16384, -32768)),
          I16X8(32767, -32767, 32766, 8192, -8192, 1, 0, -32767));
  CHECK_V(kiln_i16x8_q15mulr_sat_s(I16X8(-3, 3, -16385, 0, 0, 0, 0, 0), I16X8(16384, 16384, 1, 0, 0, 0, 0, 0)),
          I16X8(-1, 2, -1, 0, 0, 0, 0, 0)); /* + 2^14, then floor: -1.5 -> -1, 1.5 -> 2, -16385/32768 -> -1 */

  /* Narrowing saturates signed inputs. */
  kiln_v128 w = I16X8(-32768, -129, -128, -1, 0, 127, 128, 32767), z = I16X8(255, 256, 0, 0, 0, 0, 0, 1);
  CHECK_V(kiln_i8x16_narrow_i16x8_s(w, z), I8X16(-128, -128, -128, -1, 0, 127, 127, 127, 127, 127, 0, 0, 0, 0, 0, 1));
  CHECK_V(kiln_i8x16_narrow_i16x8_u(w, z), U8X16(0, 0, 0, 0, 0, 127, 128, 255, 255, 255, 0, 0, 0, 0, 0, 1));
  kiln_v128 d = I32X4(INT32_MIN, -32769, -32768, 65535), e = I32X4(32767, 32768, 65536, INT32_MAX);
  CHECK_V(kiln_i16x8_narrow_i32x4_s(d, e), I16X8(-32768, -32768, -32768, 32767, 32767, 32767, 32767, 32767));
  CHECK_V(kiln_i16x8_narrow_i32x4_u(d, e), U16X8(0, 0, 0, 65535, 32767, 32768, 65535, 65535));
}

static void test_shifts(void) {
  current = "shifts";
  kiln_v128 b = I8X16(-128, 1, -1, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  CHECK_V(kiln_i8x16_shl(b, 1), I8X16(0, 2, -2, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i8x16_shl(b, 9), kiln_i8x16_shl(b, 1)); /* count modulo 8 */
  CHECK_V(kiln_i8x16_shl(b, 8), b);
  CHECK_V(kiln_i8x16_shr_s(b, 7), I8X16(-1, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i8x16_shr_s(b, 0xFFFFFFF9u), kiln_i8x16_shr_s(b, 1));
  CHECK_V(kiln_i8x16_shr_u(b, 7), I8X16(1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  kiln_v128 h = I16X8(-32768, 1, -1, 0x4000, 0, 0, 0, 0);
  CHECK_V(kiln_i16x8_shl(h, 17), I16X8(0, 2, -2, -32768, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_shr_s(h, 15), I16X8(-1, 0, -1, 0, 0, 0, 0, 0));
  CHECK_V(kiln_i16x8_shr_u(h, 31), I16X8(1, 0, 1, 0, 0, 0, 0, 0));
  kiln_v128 s = I32X4(INT32_MIN, 1, -1, 0x40000000);
  CHECK_V(kiln_i32x4_shl(s, 33), I32X4(0, 2, -2, INT32_MIN));
  CHECK_V(kiln_i32x4_shr_s(s, 32), s);
  CHECK_V(kiln_i32x4_shr_s(s, 31), I32X4(-1, 0, -1, 0));
  CHECK_V(kiln_i32x4_shr_u(s, 63), I32X4(1, 0, 1, 0));
  kiln_v128 q = I64X2(INT64_MIN, -1);
  CHECK_V(kiln_i64x2_shl(q, 64), q);
  CHECK_V(kiln_i64x2_shl(q, 65), I64X2(0, -2));
  CHECK_V(kiln_i64x2_shr_s(q, 63), I64X2(-1, -1));
  CHECK_V(kiln_i64x2_shr_s(q, 127), I64X2(-1, -1));
  CHECK_V(kiln_i64x2_shr_u(q, 63), I64X2(1, 1));
  CHECK_V(kiln_i64x2_shr_u(q, 0xFFFFFFFFu), I64X2(1, 1));
}

static void test_widening(void) {
  current = "extend/extmul/extadd/dot";
  kiln_v128 b = I8X16(-128, -1, 0, 1, 127, 2, 3, 4, 5, 6, 7, 8, 9, -10, 11, -1);
  CHECK_V(kiln_i16x8_extend_low_i8x16_s(b), I16X8(-128, -1, 0, 1, 127, 2, 3, 4));
  CHECK_V(kiln_i16x8_extend_high_i8x16_s(b), I16X8(5, 6, 7, 8, 9, -10, 11, -1));
  CHECK_V(kiln_i16x8_extend_low_i8x16_u(b), I16X8(128, 255, 0, 1, 127, 2, 3, 4));
  CHECK_V(kiln_i16x8_extend_high_i8x16_u(b), I16X8(5, 6, 7, 8, 9, 246, 11, 255));
  kiln_v128 h = I16X8(-32768, -1, 1, 32767, 5, -6, 7, -8);
  CHECK_V(kiln_i32x4_extend_low_i16x8_s(h), I32X4(-32768, -1, 1, 32767));
  CHECK_V(kiln_i32x4_extend_high_i16x8_s(h), I32X4(5, -6, 7, -8));
  CHECK_V(kiln_i32x4_extend_low_i16x8_u(h), I32X4(32768, 65535, 1, 32767));
  CHECK_V(kiln_i32x4_extend_high_i16x8_u(h), I32X4(5, 65530, 7, 65528));
  kiln_v128 s = I32X4(INT32_MIN, -1, 7, -8);
  CHECK_V(kiln_i64x2_extend_low_i32x4_s(s), I64X2(INT32_MIN, -1));
  CHECK_V(kiln_i64x2_extend_high_i32x4_s(s), I64X2(7, -8));
  CHECK_V(kiln_i64x2_extend_low_i32x4_u(s), I64X2(0x80000000, 0xFFFFFFFF));
  CHECK_V(kiln_i64x2_extend_high_i32x4_u(s), I64X2(7, 0xFFFFFFF8));

  CHECK_V(kiln_i16x8_extmul_low_i8x16_s(b, b), I16X8(16384, 1, 0, 1, 16129, 4, 9, 16));
  CHECK_V(kiln_i16x8_extmul_high_i8x16_s(b, kiln_i8x16_splat(0x80)), I16X8(-640, -768, -896, -1024, -1152, 1280, -1408, 128));
  CHECK_V(kiln_i16x8_extmul_low_i8x16_u(b, b), U16X8(16384, 65025, 0, 1, 16129, 4, 9, 16));
  CHECK_V(kiln_i16x8_extmul_high_i8x16_u(b, kiln_i8x16_splat(0xFF)), U16X8(1275, 1530, 1785, 2040, 2295, 62730, 2805, 65025));
  CHECK_V(kiln_i32x4_extmul_low_i16x8_s(h, h), I32X4(0x40000000, 1, 1, 0x3FFF0001));
  CHECK_V(kiln_i32x4_extmul_high_i16x8_s(h, h), I32X4(25, 36, 49, 64));
  CHECK_V(kiln_i32x4_extmul_low_i16x8_u(h, h), U32X4(0x40000000u, 0xFFFE0001u, 1, 0x3FFF0001u));
  CHECK_V(kiln_i32x4_extmul_high_i16x8_u(h, kiln_i16x8_splat(0xFFFF)), U32X4(327675u, 0xFFF90006u, 458745u, 0xFFF70008u));
  CHECK_V(kiln_i64x2_extmul_low_i32x4_s(s, s), I64X2(0x4000000000000000, 1));
  CHECK_V(kiln_i64x2_extmul_high_i32x4_s(s, s), I64X2(49, 64));
  CHECK_V(kiln_i64x2_extmul_low_i32x4_u(s, s), U64X2(0x4000000000000000u, 0xFFFFFFFE00000001u));
  CHECK_V(kiln_i64x2_extmul_high_i32x4_u(s, kiln_i32x4_splat(0xFFFFFFFFu)), U64X2(0x6FFFFFFF9u, 0xFFFFFFF700000008u));

  CHECK_V(kiln_i16x8_extadd_pairwise_i8x16_s(b), I16X8(-129, 1, 129, 7, 11, 15, -1, 10));
  CHECK_V(kiln_i16x8_extadd_pairwise_i8x16_u(b), U16X8(383, 1, 129, 7, 11, 15, 255, 266));
  CHECK_V(kiln_i16x8_extadd_pairwise_i8x16_s(kiln_i8x16_splat(0x80)), kiln_i16x8_splat((u32)-256));
  CHECK_V(kiln_i16x8_extadd_pairwise_i8x16_u(kiln_i8x16_splat(0xFF)), kiln_i16x8_splat(510));
  CHECK_V(kiln_i32x4_extadd_pairwise_i16x8_s(h), I32X4(-32769, 32768, -1, -1));
  CHECK_V(kiln_i32x4_extadd_pairwise_i16x8_u(h), I32X4(98303, 32768, 65535, 65535));
  CHECK_V(kiln_i32x4_extadd_pairwise_i16x8_u(kiln_i16x8_splat(0xFFFF)), kiln_i32x4_splat(131070));

  /* dot: 2 * (-32768 * -32768) = 2^31 wraps to INT32_MIN. */
  CHECK_V(kiln_i32x4_dot_i16x8_s(kiln_i16x8_splat(0x8000), kiln_i16x8_splat(0x8000)), kiln_i32x4_splat(0x80000000u));
  CHECK_V(kiln_i32x4_dot_i16x8_s(I16X8(1, 2, 3, 4, -5, 6, 32767, 32767), I16X8(7, 8, 9, 10, 11, -12, 32767, -32768)),
          I32X4(23, 67, -127, -32767));
}

/* ---- Float arithmetic ---------------------------------------------------------------------------------------- */

static void test_float_sign_and_arith(void) {
  current = "float abs/neg/arith";
  /* abs/neg are bit operations: NaN payloads (signalling too) pass unchanged. */
  CHECK_V(kiln_f32x4_abs(U32X4(0xFFA00001u, 0x80000000u, 0xBF800000u, 0x7FC00000u)), U32X4(0x7FA00001u, 0, 0x3F800000u, 0x7FC00000u));
  CHECK_V(kiln_f32x4_neg(U32X4(0x7FA00001u, 0x00000000u, 0xBF800000u, 0xFFC00000u)), U32X4(0xFFA00001u, 0x80000000u, 0x3F800000u, 0x7FC00000u));
  CHECK_V(kiln_f64x2_abs(U64X2(0xFFF0000000000001u, 0x8000000000000000u)), U64X2(0x7FF0000000000001u, 0));
  CHECK_V(kiln_f64x2_neg(U64X2(SNAN64, 0)), U64X2(SNAN64 | 0x8000000000000000u, 0x8000000000000000u));

  CHECK_V(kiln_f32x4_add(F32X4(1.0f, 0x1p-149f, -0.0f, 0x1p127f), F32X4(2.0f, 0x1p-149f, -0.0f, 0x1p127f)),
          F32X4(3.0f, 0x1p-148f, -0.0f, F32(0x7F800000u)));
  CHECK_V(kiln_f32x4_sub(F32X4(1.0f, 0.0f, -0.0f, 1.0f), F32X4(0.5f, 0.0f, 0.0f, 0x1p-30f)), F32X4(0.5f, 0.0f, -0.0f, 1.0f));
  CHECK_V(kiln_f32x4_mul(F32X4(3.0f, -0.0f, 0x1p100f, 1.0f), F32X4(0.5f, 5.0f, 0x1p100f, 1.0f)),
          F32X4(1.5f, -0.0f, F32(0x7F800000u), 1.0f));
  CHECK_V(kiln_f32x4_div(F32X4(1.0f, -1.0f, 1.0f, 7.0f), F32X4(0.0f, 0.0f, 3.0f, 2.0f)),
          F32X4(F32(0x7F800000u), F32(0xFF800000u), 1.0f / 3.0f, 3.5f));
  CHECK_V(kiln_f64x2_add(F64X2(0.1, 1e308), F64X2(0.2, 1e308)), U64X2(0x3FD3333333333334u, 0x7FF0000000000000u));
  CHECK_V(kiln_f64x2_sub(F64X2(1.0, -0.0), F64X2(0x1p-60, 0.0)), F64X2(1.0, -0.0));
  CHECK_V(kiln_f64x2_mul(F64X2(1.5, -2.0), F64X2(-2.0, 0.25)), F64X2(-3.0, -0.5));
  CHECK_V(kiln_f64x2_div(F64X2(1.0, -0.0), F64X2(3.0, 5.0)), F64X2(1.0 / 3.0, -0.0));
  CHECK_V(kiln_f32x4_sqrt(F32X4(4.0f, 2.0f, -0.0f, F32(0x7F800000u))), F32X4(2.0f, 1.41421353816986083984375f, -0.0f, F32(0x7F800000u)));
  CHECK_V(kiln_f64x2_sqrt(F64X2(2.0, 0x1p-1074)), F64X2(1.4142135623730951, 0x1p-537));

  /* NaN results are NaN: 0/0, inf-inf, sqrt(-1) give canonical NaNs; a signalling input comes out quiet. */
  kiln_v128 n = kiln_f32x4_div(F32X4(0.0f, 1.0f, 1.0f, 1.0f), F32X4(0.0f, 1.0f, 1.0f, 1.0f));
  CHECK(is_canon32(lane32(n, 0)));
  n = kiln_f32x4_add(U32X4(SNAN32, 0x7F800000u, NAN32, 0), U32X4(0x3F800000u, 0xFF800000u, SNAN32, 0));
  CHECK(is_arith32(lane32(n, 0)) && is_canon32(lane32(n, 1)) && is_arith32(lane32(n, 2)));
  n = kiln_f32x4_sqrt(F32X4(-1.0f, F32(SNAN32), F32(0xFF800000u), 0.0f));
  CHECK(is_canon32(lane32(n, 0)) && is_arith32(lane32(n, 1)) && is_canon32(lane32(n, 2)));
  n = kiln_f64x2_mul(U64X2(SNAN64, 0), U64X2(0x3FF0000000000000u, 0x7FF0000000000000u));
  CHECK(is_arith64(lane64(n, 0)) && is_canon64(lane64(n, 1)));
  n = kiln_f64x2_sqrt(U64X2(0xBFF0000000000000u, SNAN64));
  CHECK(is_canon64(lane64(n, 0)) && is_arith64(lane64(n, 1)));
}

static void test_float_min_max(void) {
  current = "float min/max/pmin/pmax";
  /* Item 38 per lane: -0 < +0 in both argument orders; NaN wins. */
  kiln_v128 a = F32X4(-0.0f, 0.0f, 1.0f, -1.0f), b = F32X4(0.0f, -0.0f, 2.0f, F32(0xFF800000u));
  CHECK_V(kiln_f32x4_min(a, b), U32X4(0x80000000u, 0x80000000u, 0x3F800000u, 0xFF800000u));
  CHECK_V(kiln_f32x4_max(a, b), U32X4(0, 0, 0x40000000u, 0xBF800000u));
  CHECK_V(kiln_f32x4_min(F32X4(-0.0f, 0.0f, 0, 0), F32X4(-0.0f, 0.0f, 0, 0)), U32X4(0x80000000u, 0, 0, 0));
  CHECK_V(kiln_f32x4_max(F32X4(-0.0f, 0.0f, 0, 0), F32X4(-0.0f, 0.0f, 0, 0)), U32X4(0x80000000u, 0, 0, 0));
  kiln_v128 n = kiln_f32x4_min(U32X4(NAN32, 0x3FA00000u, SNAN32, 0xFFC00000u), U32X4(0x3FA00000u, NAN32, 0x3F800000u, 0xFF800000u));
  CHECK(is_canon32(lane32(n, 0)) && is_canon32(lane32(n, 1)) && is_arith32(lane32(n, 2)) && is_canon32(lane32(n, 3)));
  n = kiln_f32x4_max(U32X4(NAN32, 0x7F800000u, 0x7F800000u, 0), U32X4(0xFF800000u, NAN32, SNAN32, SNAN32 | 0x80000000u));
  CHECK(is_canon32(lane32(n, 0)) && is_canon32(lane32(n, 1)) && is_arith32(lane32(n, 2)) && is_arith32(lane32(n, 3)));
  CHECK_V(kiln_f64x2_min(F64X2(0.0, -0.0), F64X2(-0.0, 0.0)), U64X2(0x8000000000000000u, 0x8000000000000000u));
  CHECK_V(kiln_f64x2_max(F64X2(0.0, -0.0), F64X2(-0.0, 0.0)), U64X2(0, 0));
  CHECK_V(kiln_f64x2_min(F64X2(1.0, -5.0), F64X2(2.0, -3.0)), F64X2(1.0, -5.0));
  CHECK_V(kiln_f64x2_max(F64X2(1.0, -5.0), F64X2(2.0, -3.0)), F64X2(2.0, -3.0));
  n = kiln_f64x2_min(U64X2(NAN64, 0x3FF0000000000000u), U64X2(0x3FF4000000000000u, SNAN64));
  CHECK(is_canon64(lane64(n, 0)) && is_arith64(lane64(n, 1)));
  n = kiln_f64x2_max(U64X2(0xFFF0000000000000u, SNAN64), U64X2(NAN64, NAN64));
  CHECK(is_canon64(lane64(n, 0)) && is_arith64(lane64(n, 1)));

  /* pmin is b < a ? b : a, pmax a < b ? b : a: with a NaN or equal zeros, the result is a, bit for bit. */
  CHECK_V(kiln_f32x4_pmin(U32X4(SNAN32, 0x3F800000u, 0x80000000u, 0), U32X4(0x3F800000u, SNAN32 | 1, 0, 0x80000000u)),
          U32X4(SNAN32, 0x3F800000u, 0x80000000u, 0));
  CHECK_V(kiln_f32x4_pmax(U32X4(SNAN32, 0x3F800000u, 0x80000000u, 0), U32X4(0x3F800000u, SNAN32 | 1, 0, 0x80000000u)),
          U32X4(SNAN32, 0x3F800000u, 0x80000000u, 0));
  CHECK_V(kiln_f32x4_pmin(F32X4(2.0f, 1.0f, -1.0f, F32(0x7F800000u)), F32X4(1.0f, 2.0f, F32(0xFF800000u), 3.0f)),
          F32X4(1.0f, 1.0f, F32(0xFF800000u), 3.0f));
  CHECK_V(kiln_f32x4_pmax(F32X4(2.0f, 1.0f, -1.0f, F32(0x7F800000u)), F32X4(1.0f, 2.0f, F32(0xFF800000u), 3.0f)),
          F32X4(2.0f, 2.0f, -1.0f, F32(0x7F800000u)));
  CHECK_V(kiln_f64x2_pmin(U64X2(NAN64 | 7, 0x8000000000000000u), U64X2(0x3FF0000000000000u, 0)), U64X2(NAN64 | 7, 0x8000000000000000u));
  CHECK_V(kiln_f64x2_pmax(U64X2(0x3FF0000000000000u, 0), U64X2(SNAN64, 0x8000000000000000u)), U64X2(0x3FF0000000000000u, 0));
  CHECK_V(kiln_f64x2_pmin(F64X2(2.0, -2.0), F64X2(1.0, 1.0)), F64X2(1.0, -2.0));
  CHECK_V(kiln_f64x2_pmax(F64X2(2.0, -2.0), F64X2(1.0, 1.0)), F64X2(2.0, 1.0));
}

static void test_float_rounding(void) {
  current = "float ceil/floor/trunc/nearest";
  /* Item 39 per lane: ties to even, and the sign of a zero result is the input's. */
  CHECK_V(kiln_f32x4_nearest(F32X4(2.5f, -0.5f, 0.5f, 3.5f)), U32X4(0x40000000u, 0x80000000u, 0, 0x40800000u));
  CHECK_V(kiln_f32x4_nearest(F32X4(-2.5f, 0x1.fffffep22f, 8388609.0f, -1.5f)), F32X4(-2.0f, 0x1p23f, 8388609.0f, -2.0f));
  CHECK_V(kiln_f64x2_nearest(F64X2(2.5, -0.5)), U64X2(0x4000000000000000u, 0x8000000000000000u));
  CHECK_V(kiln_f64x2_nearest(F64X2(4503599627370497.0, 0x1.fffffffffffffp51)), F64X2(4503599627370497.0, 0x1p52));
  CHECK_V(kiln_f32x4_ceil(F32X4(-0.5f, 0.5f, -1.5f, 1.0f)), U32X4(0x80000000u, 0x3F800000u, 0xBF800000u, 0x3F800000u));
  CHECK_V(kiln_f32x4_floor(F32X4(-0.5f, 0.5f, -1.5f, -0.0f)), U32X4(0xBF800000u, 0, 0xC0000000u, 0x80000000u));
  CHECK_V(kiln_f32x4_trunc(F32X4(-0.7f, 0.7f, -1.5f, 1e30f)), U32X4(0x80000000u, 0, 0xBF800000u, 0x7149F2CAu));
  CHECK_V(kiln_f64x2_ceil(F64X2(-0.5, 0x1.0000000000001p0)), U64X2(0x8000000000000000u, 0x4000000000000000u));
  CHECK_V(kiln_f64x2_floor(F64X2(-0x1p-1074, 0.99999999999999989)), U64X2(0xBFF0000000000000u, 0));
  CHECK_V(kiln_f64x2_trunc(F64X2(-0.99999999999999989, -1e300)), F64X2(-0.0, -1e300));
  /* NaN lanes stay NaN (quiet), infinities stay. */
  kiln_v128 n = kiln_f32x4_ceil(U32X4(SNAN32, NAN32, 0x7F800000u, 0xFF800000u));
  CHECK(is_arith32(lane32(n, 0)) && is_canon32(lane32(n, 1)) && lane32(n, 2) == 0x7F800000u && lane32(n, 3) == 0xFF800000u);
  n = kiln_f32x4_nearest(U32X4(SNAN32, NAN32, 0x7F800000u, 0xFF800000u));
  CHECK(is_arith32(lane32(n, 0)) && is_canon32(lane32(n, 1)) && lane32(n, 2) == 0x7F800000u && lane32(n, 3) == 0xFF800000u);
  n = kiln_f32x4_floor(U32X4(SNAN32, NAN32, 0, 0));
  CHECK(is_arith32(lane32(n, 0)) && is_canon32(lane32(n, 1)));
  n = kiln_f32x4_trunc(U32X4(SNAN32, NAN32, 0, 0));
  CHECK(is_arith32(lane32(n, 0)) && is_canon32(lane32(n, 1)));
  n = kiln_f64x2_trunc(U64X2(SNAN64, NAN64));
  CHECK(is_arith64(lane64(n, 0)) && is_canon64(lane64(n, 1)));
  n = kiln_f64x2_nearest(U64X2(SNAN64, 0xFFF0000000000000u));
  CHECK(is_arith64(lane64(n, 0)) && lane64(n, 1) == 0xFFF0000000000000u);
  n = kiln_f64x2_ceil(U64X2(SNAN64, NAN64));
  CHECK(is_arith64(lane64(n, 0)) && is_canon64(lane64(n, 1)));
  n = kiln_f64x2_floor(U64X2(SNAN64, NAN64));
  CHECK(is_arith64(lane64(n, 0)) && is_canon64(lane64(n, 1)));
}

/* ---- Conversions ----------------------------------------------------------------------------------------------- */

static void test_conversions(void) {
  current = "conversions";
  /* Item 36 per lane: NaN -> 0, saturation, no UB. */
  CHECK_V(kiln_i32x4_trunc_sat_f32x4_s(U32X4(NAN32, 0x7F800000u, 0xFF800000u, SNAN32 | 0x80000000u)), I32X4(0, INT32_MAX, INT32_MIN, 0));
  CHECK_V(kiln_i32x4_trunc_sat_f32x4_s(F32X4(0x1p31f, -0x1p31f, 0x1.fffffep30f, -0x1.000002p31f)),
          I32X4(INT32_MAX, INT32_MIN, 2147483520, INT32_MIN));
  CHECK_V(kiln_i32x4_trunc_sat_f32x4_s(F32X4(-1.9f, 1.9f, -0.0f, 1e10f)), I32X4(-1, 1, 0, INT32_MAX));
  CHECK_V(kiln_i32x4_trunc_sat_f32x4_u(U32X4(NAN32, 0x7F800000u, 0xFF800000u, 0xBF7FFFFFu)), U32X4(0, 0xFFFFFFFFu, 0, 0));
  CHECK_V(kiln_i32x4_trunc_sat_f32x4_u(F32X4(0x1p32f, 0x1.fffffep31f, -1.0f, 1.9f)), U32X4(0xFFFFFFFFu, 0xFFFFFF00u, 0, 1));
  CHECK_V(kiln_i32x4_trunc_sat_f64x2_s_zero(F64X2(2147483647.9, -2147483648.9)), I32X4(INT32_MAX, INT32_MIN, 0, 0));
  CHECK_V(kiln_i32x4_trunc_sat_f64x2_s_zero(U64X2(NAN64, 0xFFF0000000000000u)), I32X4(0, INT32_MIN, 0, 0));
  CHECK_V(kiln_i32x4_trunc_sat_f64x2_s_zero(F64X2(2147483648.0, -2147483649.0)), I32X4(INT32_MAX, INT32_MIN, 0, 0));
  CHECK_V(kiln_i32x4_trunc_sat_f64x2_u_zero(F64X2(4294967295.9, -0.9)), U32X4(0xFFFFFFFFu, 0, 0, 0));
  CHECK_V(kiln_i32x4_trunc_sat_f64x2_u_zero(U64X2(SNAN64, 0x7FF0000000000000u)), U32X4(0, 0xFFFFFFFFu, 0, 0));
  CHECK_V(kiln_i32x4_trunc_sat_f64x2_u_zero(F64X2(4294967296.0, -1.0)), U32X4(0xFFFFFFFFu, 0, 0, 0));

  /* Integer to float rounds to nearest, ties to even. */
  CHECK_V(kiln_f32x4_convert_i32x4_s(I32X4(INT32_MIN, 16777217, -16777219, INT32_MAX)), F32X4(-0x1p31f, 16777216.0f, -16777220.0f, 0x1p31f));
  CHECK_V(kiln_f32x4_convert_i32x4_u(U32X4(0xFFFFFFFFu, 16777217u, 0x80000080u, 0x80000181u)),
          F32X4(0x1p32f, 16777216.0f, 0x1p31f, 2147484160.0f));
  CHECK_V(kiln_f64x2_convert_low_i32x4_s(I32X4(INT32_MIN, -1, 5, 6)), F64X2(-2147483648.0, -1.0));
  CHECK_V(kiln_f64x2_convert_low_i32x4_u(U32X4(0xFFFFFFFFu, 0x80000000u, 5, 6)), F64X2(4294967295.0, 2147483648.0));

  /* demote rounds and overflows to infinity; upper lanes are +0. promote is exact. NaNs stay NaN. */
  CHECK_V(kiln_f32x4_demote_f64x2_zero(F64X2(0x1.000001p0, 0x1p200)), U32X4(0x3F800000u, 0x7F800000u, 0, 0));
  CHECK_V(kiln_f32x4_demote_f64x2_zero(F64X2(-0x1.0000018p0, 0x1p-150)), U32X4(0xBF800001u, 0, 0, 0));
  CHECK_V(kiln_f32x4_demote_f64x2_zero(F64X2(-0.0, 0x1.fffffffp-127)), U32X4(0x80000000u, 0x00800000u, 0, 0));
  CHECK_V(kiln_f64x2_promote_low_f32x4(F32X4(1.5f, -0.0f, 7.0f, 8.0f)), F64X2(1.5, -0.0));
  CHECK_V(kiln_f64x2_promote_low_f32x4(F32X4(0x1p-149f, F32(0xFF800000u), 0, 0)), U64X2(0x36A0000000000000u, 0xFFF0000000000000u));
  kiln_v128 n = kiln_f32x4_demote_f64x2_zero(U64X2(NAN64, SNAN64));
  CHECK(is_canon32(lane32(n, 0)) && is_arith32(lane32(n, 1)) && lane32(n, 2) == 0 && lane32(n, 3) == 0);
  n = kiln_f64x2_promote_low_f32x4(U32X4(0xFFC00000u, SNAN32, 0, 0));
  CHECK(is_canon64(lane64(n, 0)) && is_arith64(lane64(n, 1)));
}

/* ---- Memory ---------------------------------------------------------------------------------------------------- */

static void test_memory(kiln_ctx* ctx) {
  current = "memory";
  kiln_memory m;
  if (kiln_memory_new(&m, 1, 1, 0) != 0) {
    record(0, __LINE__, "kiln_memory_new", "failed");
    return;
  }
  const u64 S = m.size;
  for (u32 i = 0; i < 32; i++) m.data[i] = (u8)(0x80 + i * 7); /* 80 87 8e 95 9c a3 aa b1 b8 bf c6 ... */
  for (u32 i = 0; i < 16; i++) m.data[S - 16 + i] = (u8)(0xF0 + i);

  CHECK_V(kiln_v128_load8x8_s(ctx, &m, 0, 0), I16X8(-128, -121, -114, -107, -100, -93, -86, -79));
  CHECK_V(kiln_v128_load8x8_u(ctx, &m, 0, 0), I16X8(128, 135, 142, 149, 156, 163, 170, 177));
  CHECK_V(kiln_v128_load16x4_s(ctx, &m, 1, 0), I32X4((s16)0x8E87, (s16)0x9C95, (s16)0xAAA3, (s16)0xB8B1));
  CHECK_V(kiln_v128_load16x4_u(ctx, &m, 1, 0), I32X4(0x8E87, 0x9C95, 0xAAA3, 0xB8B1));
  CHECK_V(kiln_v128_load32x2_s(ctx, &m, 0, 0), I64X2((s32)0x958E8780, (s32)0xB1AAA39C));
  CHECK_V(kiln_v128_load32x2_u(ctx, &m, 0, 0), I64X2(0x958E8780, 0xB1AAA39C));
  CHECK_V(kiln_v128_load8_splat(ctx, &m, 1, 0), kiln_i8x16_splat(0x87));
  CHECK_V(kiln_v128_load16_splat(ctx, &m, 1, 0), kiln_i16x8_splat(0x8E87));
  CHECK_V(kiln_v128_load32_splat(ctx, &m, 0, 0), kiln_i32x4_splat(0x958E8780u));
  CHECK_V(kiln_v128_load64_splat(ctx, &m, 0, 0), kiln_i64x2_splat(0xB1AAA39C958E8780u));
  CHECK_V(kiln_v128_load32_zero(ctx, &m, 0, 0), U32X4(0x958E8780u, 0, 0, 0));
  CHECK_V(kiln_v128_load64_zero(ctx, &m, 0, 0), U64X2(0xB1AAA39C958E8780u, 0));

  kiln_v128 v = kiln_i8x16_splat(0x11);
  CHECK_V(kiln_v128_load8_lane(ctx, &m, 1, 0, v, 15), U8X16(0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x87));
  CHECK_V(kiln_v128_load16_lane(ctx, &m, 1, 0, v, 0), U16X8(0x8E87, 0x1111, 0x1111, 0x1111, 0x1111, 0x1111, 0x1111, 0x1111));
  CHECK_V(kiln_v128_load32_lane(ctx, &m, 0, 0, v, 2), U32X4(0x11111111u, 0x11111111u, 0x958E8780u, 0x11111111u));
  CHECK_V(kiln_v128_load64_lane(ctx, &m, 0, 0, v, 1), U64X2(0x1111111111111111u, 0xB1AAA39C958E8780u));
  /* A float lane's signalling NaN round-trips bit for bit through a lane store and load. */
  kiln_v128 w = U32X4(0x01020304u, SNAN32 | 1, 0x05060708u, 0x8899AABBu);
  kiln_v128_store32_lane(ctx, &m, 100, 0, w, 1);
  CHECK_EQ(kiln_i32_load(ctx, &m, 100, 0), SNAN32 | 1);
  CHECK_V(kiln_v128_load32_lane(ctx, &m, 100, 0, kiln_i32x4_splat(0), 3), U32X4(0, 0, 0, SNAN32 | 1));
  kiln_v128_store8_lane(ctx, &m, 200, 0, w, 3);
  kiln_v128_store16_lane(ctx, &m, 201, 0, w, 7);
  kiln_v128_store64_lane(ctx, &m, 203, 0, w, 1);
  /* Byte 200 = byte lane 3 (0x01), 201..202 = 16-bit lane 7 (0x8899), 203..210 = 64-bit lane 1. */
  CHECK_EQ(m.data[200], 0x01u);
  CHECK_EQ(m.data[201], 0x99u);
  CHECK_EQ(m.data[202], 0x88u);
  CHECK_EQ(kiln_i64_load(ctx, &m, 203, 0), 0x8899AABB05060708u);

  /* Item 10: the last bytes are reachable, one byte further traps, and a trapping store writes nothing. */
  CHECK_V(kiln_v128_load64_zero(ctx, &m, S - 8, 0), U64X2(0xFFFEFDFCFBFAF9F8u, 0));
  CHECK_V(kiln_v128_load8x8_u(ctx, &m, S - 8, 0), U16X8(0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF));
  CHECK_V(kiln_v128_load32_splat(ctx, &m, S - 4, 0), kiln_i32x4_splat(0xFFFEFDFCu));
  CHECK_V(kiln_v128_load8_lane(ctx, &m, S - 1, 0, kiln_i8x16_splat(0), 0), U8X16(0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load8x8_s(ctx, &m, S - 7, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load8x8_u(ctx, &m, S, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load16x4_s(ctx, &m, S - 7, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load16x4_u(ctx, &m, S - 1, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load32x2_s(ctx, &m, S - 4, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load32x2_u(ctx, &m, 0xFFFFFFFFu + (u64)0xFFFFFFFFu, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load8_splat(ctx, &m, S, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load16_splat(ctx, &m, S - 1, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load32_splat(ctx, &m, S - 3, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load64_splat(ctx, &m, S - 7, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load32_zero(ctx, &m, S - 3, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load64_zero(ctx, &m, S - 7, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load8_lane(ctx, &m, S, 0, v, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load16_lane(ctx, &m, S - 1, 0, v, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load32_lane(ctx, &m, S - 3, 0, v, 0));
  EXPECT_OOB(ctx, (void)kiln_v128_load64_lane(ctx, &m, S - 7, 0, v, 0));
  kiln_v128 ones = kiln_i8x16_splat(0xAA);
  EXPECT_OOB(ctx, kiln_v128_store8_lane(ctx, &m, S, 0, ones, 0));
  EXPECT_OOB(ctx, kiln_v128_store16_lane(ctx, &m, S - 1, 0, ones, 0));
  EXPECT_OOB(ctx, kiln_v128_store32_lane(ctx, &m, S - 3, 0, ones, 0));
  EXPECT_OOB(ctx, kiln_v128_store64_lane(ctx, &m, S - 7, 0, ones, 0));
  CHECK_EQ(kiln_i64_load(ctx, &m, S - 8, 0), 0xFFFEFDFCFBFAF9F8u); /* untouched by the failed stores */
  kiln_v128_store64_lane(ctx, &m, S - 8, 0, ones, 1);
  CHECK_EQ(kiln_i64_load(ctx, &m, S - 8, 0), 0xAAAAAAAAAAAAAAAAu);
  kiln_memory_free(&m);
}

/* ---- Randomized comparisons with lane-by-lane references ------------------------------------------------------ */

#define ITERATIONS 3000

static u64 rng_state = 0x9E3779B97F4A7C15u;
static u64 rnd(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4F491F4F8F5u;
}

static const u32 special32[] = {
    0x00000000u, 0x80000000u, 0x3F800000u, 0xBF800000u, 0x3F000000u, 0xBF000000u, 0x3FC00000u, 0x40200000u,
    0xC0200000u, 0x40600000u, 0x7F800000u, 0xFF800000u, NAN32,       0xFFC00000u, SNAN32,      0xFFA00001u,
    0x7FC00001u, 0x7F7FFFFFu, 0x00000001u, 0x80800000u, 0x4B000000u, 0x4AFFFFFFu, 0x4B000001u, 0xCAFFFFFFu,
    0x4F000000u, 0x4EFFFFFFu, 0xCF000000u, 0xCF000001u, 0x4F800000u, 0x4F7FFFFFu, 0xBF7FFFFFu, 0x3F7FFFFFu,
};
static const u64 special64[] = {
    0, 0x8000000000000000u, 0x3FF0000000000000u, 0xBFF0000000000000u, 0x3FE0000000000000u, 0xBFE0000000000000u,
    0x4004000000000000u, 0xC004000000000000u, 0x7FF0000000000000u, 0xFFF0000000000000u, NAN64, 0xFFF8000000000000u,
    SNAN64, 0xFFF4000000000001u, 0x7FF8000000000001u, 0x7FEFFFFFFFFFFFFFu, 1, 0x4330000000000000u,
    0x432FFFFFFFFFFFFFu, 0x4330000000000001u, 0x41E0000000000000u, 0x41DFFFFFFFC00000u, 0xC1E0000000000000u,
    0xC1E0000000200000u, 0x41F0000000000000u, 0x41EFFFFFFFE00000u, 0xBFEFFFFFFFFFFFFFu, 0x47EFFFFFE0000000u,
    0x47EFFFFFF0000000u, 0x36A0000000000000u, 0x3690000000000000u, 0x380FFFFFF0000000u,
};

/* Bit patterns biased towards the interesting: specials, small magnitudes with fractions, integers near
 * the conversion bounds, and arbitrary bits. */
static u32 rnd_f32_bits(void) {
  u64 r = rnd();
  switch (r & 3) {
    case 0: return special32[(r >> 8) % (sizeof special32 / sizeof special32[0])];
    case 1: return (u32)(r >> 32);
    case 2: return (u32)((r >> 32) & 0x807FFFFFu) | (u32)((0x7F - 4 + ((r >> 8) % 40)) << 23); /* |x| in [2^-4, 2^36) */
    default: return special32[(r >> 16) % (sizeof special32 / sizeof special32[0])] + (u32)((r >> 40) & 3) - 1; /* neighbours */
  }
}
static u64 rnd_f64_bits(void) {
  u64 r = rnd();
  switch (r & 3) {
    case 0: return special64[(r >> 8) % (sizeof special64 / sizeof special64[0])];
    case 1: return rnd();
    case 2: return (rnd() & 0x800FFFFFFFFFFFFFu) | ((0x3FFu - 4 + (r >> 8) % 60) << 52);
    default: return special64[(r >> 16) % (sizeof special64 / sizeof special64[0])] + ((r >> 40) & 3) - 1;
  }
}
/* Integer lanes: each byte is 0x00, 0x01, 0x7F, 0x80, 0xFF or random, so every lane width sees its bounds. */
static kiln_v128 rnd_int_v(void) {
  static const u8 pick[] = {0x00, 0x01, 0x7F, 0x80, 0xFF};
  kiln_v128 v;
  u64 r = rnd(), s = rnd();
  for (int i = 0; i < 16; i++, r >>= 4) v[i] = (r & 15) < 5 ? pick[r & 15] : (u8)(s >> (i * 4));
  return v;
}
static kiln_v128 rnd_f32_v(void) { return U32X4(rnd_f32_bits(), rnd_f32_bits(), rnd_f32_bits(), rnd_f32_bits()); }
static kiln_v128 rnd_f64_v(void) { return U64X2(rnd_f64_bits(), rnd_f64_bits()); }

/* Lane access by width (little-endian lanes). */
static u64 get(kiln_v128 v, int w, int i) {
  u64 x = 0;
  memcpy(&x, (const u8*)&v + i * (w / 8), (size_t)(w / 8));
  return x;
}
static void put(kiln_v128* v, int w, int i, u64 x) { memcpy((u8*)v + i * (w / 8), &x, (size_t)(w / 8)); }
static u64 mask(int w) { return w == 64 ? ~0ull : (1ull << w) - 1; }
static s64 sx(u64 x, int w) {
  u64 m = 1ull << (w - 1);
  return kiln_s64(((x & mask(w)) ^ m) - m);
}
static s64 clamp(s64 x, s64 lo, s64 hi) { return x < lo ? lo : x > hi ? hi : x; }

/* Float lanes agree if their bits are equal, or, for an expected NaN, by the spec's rule: the result is an
 * arithmetic NaN, and canonical if every NaN operand (x, y) was canonical (vacuously so when none was).
 * Which operand's NaN comes out is free, so the reference's own NaN is not compared. */
static int same32(u32 got, u32 want, u32 x, u32 y, int exact) {
  if (exact || !is_nan32(want)) return got == want;
  int canonical = (!is_nan32(x) || is_canon32(x)) && (!is_nan32(y) || is_canon32(y));
  return is_arith32(got) && (!canonical || is_canon32(got));
}
static int same64(u64 got, u64 want, u64 x, u64 y, int exact) {
  if (exact || !is_nan64(want)) return got == want;
  int canonical = (!is_nan64(x) || is_canon64(x)) && (!is_nan64(y) || is_canon64(y));
  return is_arith64(got) && (!canonical || is_canon64(got));
}

static void report_random(int line, const char* name, int ok, kiln_v128 a, kiln_v128 b, kiln_v128 got) {
  char d[160], ah[33], bh[33], gh[33];
  hex(ah, a);
  hex(bh, b);
  hex(gh, got);
  snprintf(d, sizeof d, "a=%s b=%s got=%s", ah, bh, gh);
  record(ok, line, name, ok ? NULL : d);
}

/* Float ops checked lane by lane against a scalar reference (reference bits, so signalling NaNs survive). */
typedef kiln_v128 (*v_unary)(kiln_v128);
typedef kiln_v128 (*v_binary)(kiln_v128, kiln_v128);

static void rand_f32(int line, const char* name, v_binary op, u32 (*ref)(u32, u32), int exact) {
  for (int it = 0; it < ITERATIONS; it++) {
    kiln_v128 a = rnd_f32_v(), b = rnd_f32_v(), r = op(a, b);
    for (int i = 0; i < 4; i++)
      if (!same32(lane32(r, i), ref(lane32(a, i), lane32(b, i)), lane32(a, i), lane32(b, i), exact))
        return report_random(line, name, 0, a, b, r);
  }
  report_random(line, name, 1, U64X2(0, 0), U64X2(0, 0), U64X2(0, 0));
}
static void rand_f64(int line, const char* name, v_binary op, u64 (*ref)(u64, u64), int exact) {
  for (int it = 0; it < ITERATIONS; it++) {
    kiln_v128 a = rnd_f64_v(), b = rnd_f64_v(), r = op(a, b);
    for (int i = 0; i < 2; i++)
      if (!same64(lane64(r, i), ref(lane64(a, i), lane64(b, i)), lane64(a, i), lane64(b, i), exact))
        return report_random(line, name, 0, a, b, r);
  }
  report_random(line, name, 1, U64X2(0, 0), U64X2(0, 0), U64X2(0, 0));
}
/* Whole-vector reference (shape-changing and integer ops); when fw != 0 the result's lanes are `fw`-bit floats
 * converted from the other float width (demote, promote: operand lane i is result lane i). Unary ops
 * ignore b. */
static void rand_vec(int line, const char* name, v_binary op, kiln_v128 (*ref)(kiln_v128, kiln_v128),
                     kiln_v128 (*gen)(void), int fw) {
  for (int it = 0; it < ITERATIONS; it++) {
    kiln_v128 a = gen(), b = gen(), r = op(a, b), want = ref(a, b);
    int ok = 1;
    for (int i = 0; fw && i < 128 / fw; i++) {
      if (fw == 32) { /* from f64 lanes 0, 1; lanes 2, 3 are zero */
        u64 x = i < 2 ? lane64(a, i) : 0;
        ok &= same32(lane32(r, i), lane32(want, i), is_nan64(x) ? (is_canon64(x) ? NAN32 : SNAN32) : 0, 0, 0);
      } else { /* from f32 lanes 0, 1 */
        u32 x = lane32(a, i);
        ok &= same64(lane64(r, i), lane64(want, i), is_nan32(x) ? (is_canon32(x) ? NAN64 : SNAN64) : 0, 0, 0);
      }
    }
    if (!fw) ok = memcmp(&r, &want, 16) == 0;
    if (!ok) return report_random(line, name, 0, a, b, r);
  }
  report_random(line, name, 1, U64X2(0, 0), U64X2(0, 0), U64X2(0, 0));
}
#define RAND_F32(op, ref, exact) rand_f32(__LINE__, #op, op, ref, exact)
#define RAND_F64(op, ref, exact) rand_f64(__LINE__, #op, op, ref, exact)
#define RAND_VEC(op, ref, gen, fw) rand_vec(__LINE__, #op, op, ref, gen, fw)

/* Adapters so unary helpers fit the binary signature of the checkers. */
#define UNARY_AS_BINARY(fn) \
  static kiln_v128 fn##_2(kiln_v128 a, kiln_v128 b) { (void)b; return fn(a); }
UNARY_AS_BINARY(kiln_f32x4_ceil)
UNARY_AS_BINARY(kiln_f32x4_floor)
UNARY_AS_BINARY(kiln_f32x4_trunc)
UNARY_AS_BINARY(kiln_f32x4_nearest)
UNARY_AS_BINARY(kiln_f32x4_sqrt)
UNARY_AS_BINARY(kiln_f64x2_ceil)
UNARY_AS_BINARY(kiln_f64x2_floor)
UNARY_AS_BINARY(kiln_f64x2_trunc)
UNARY_AS_BINARY(kiln_f64x2_nearest)
UNARY_AS_BINARY(kiln_f64x2_sqrt)
UNARY_AS_BINARY(kiln_i32x4_trunc_sat_f32x4_s)
UNARY_AS_BINARY(kiln_i32x4_trunc_sat_f32x4_u)
UNARY_AS_BINARY(kiln_i32x4_trunc_sat_f64x2_s_zero)
UNARY_AS_BINARY(kiln_i32x4_trunc_sat_f64x2_u_zero)
UNARY_AS_BINARY(kiln_f32x4_convert_i32x4_s)
UNARY_AS_BINARY(kiln_f32x4_convert_i32x4_u)
UNARY_AS_BINARY(kiln_f32x4_demote_f64x2_zero)
UNARY_AS_BINARY(kiln_f64x2_promote_low_f32x4)
UNARY_AS_BINARY(kiln_i8x16_popcnt)
UNARY_AS_BINARY(kiln_i16x8_abs)

/* Scalar references on bit patterns. */
#define F32_REF2(name, expr) \
  static u32 name(u32 x, u32 y) { f32 a = F32(x), b = F32(y); (void)a; (void)b; return kiln_i32_reinterpret_f32(expr); }
#define F64_REF2(name, expr) \
  static u64 name(u64 x, u64 y) { f64 a = F64(x), b = F64(y); (void)a; (void)b; return kiln_i64_reinterpret_f64(expr); }
F32_REF2(ref32_min, kiln_f32_min(a, b))
F32_REF2(ref32_max, kiln_f32_max(a, b))
F32_REF2(ref32_pmin, b < a ? b : a)
F32_REF2(ref32_pmax, a < b ? b : a)
F32_REF2(ref32_add, a + b)
F32_REF2(ref32_div, a / b)
F32_REF2(ref32_ceil, kiln_f32_ceil(a))
F32_REF2(ref32_floor, kiln_f32_floor(a))
F32_REF2(ref32_trunc, kiln_f32_trunc(a))
F32_REF2(ref32_nearest, kiln_f32_nearest(a))
F32_REF2(ref32_sqrt, kiln_f32_sqrt(a))
F64_REF2(ref64_min, kiln_f64_min(a, b))
F64_REF2(ref64_max, kiln_f64_max(a, b))
F64_REF2(ref64_pmin, b < a ? b : a)
F64_REF2(ref64_pmax, a < b ? b : a)
F64_REF2(ref64_mul, a * b)
F64_REF2(ref64_sub, a - b)
F64_REF2(ref64_ceil, kiln_f64_ceil(a))
F64_REF2(ref64_floor, kiln_f64_floor(a))
F64_REF2(ref64_trunc, kiln_f64_trunc(a))
F64_REF2(ref64_nearest, kiln_f64_nearest(a))
F64_REF2(ref64_sqrt, kiln_f64_sqrt(a))

/* Comparison references: all ones or zero per lane. */
static u32 ref32_lt(u32 x, u32 y) { return F32(x) < F32(y) ? ~0u : 0; }
static u32 ref32_ne(u32 x, u32 y) { return F32(x) != F32(y) ? ~0u : 0; }
static u64 ref64_ge(u64 x, u64 y) { return F64(x) >= F64(y) ? ~0ull : 0; }
static u64 ref64_eq(u64 x, u64 y) { return F64(x) == F64(y) ? ~0ull : 0; }

/* Conversion references (whole vectors). */
static kiln_v128 ref_trunc_sat_s(kiln_v128 a, kiln_v128 b) {
  (void)b;
  kiln_v128 r;
  for (int i = 0; i < 4; i++) put(&r, 32, i, kiln_i32_trunc_sat_f32_s(F32(lane32(a, i))));
  return r;
}
static kiln_v128 ref_trunc_sat_u(kiln_v128 a, kiln_v128 b) {
  (void)b;
  kiln_v128 r;
  for (int i = 0; i < 4; i++) put(&r, 32, i, kiln_i32_trunc_sat_f32_u(F32(lane32(a, i))));
  return r;
}
static kiln_v128 ref_trunc_sat_f64_s(kiln_v128 a, kiln_v128 b) {
  (void)b;
  return U32X4(kiln_i32_trunc_sat_f64_s(F64(lane64(a, 0))), kiln_i32_trunc_sat_f64_s(F64(lane64(a, 1))), 0, 0);
}
static kiln_v128 ref_trunc_sat_f64_u(kiln_v128 a, kiln_v128 b) {
  (void)b;
  return U32X4(kiln_i32_trunc_sat_f64_u(F64(lane64(a, 0))), kiln_i32_trunc_sat_f64_u(F64(lane64(a, 1))), 0, 0);
}
static kiln_v128 ref_convert_s(kiln_v128 a, kiln_v128 b) {
  (void)b;
  kiln_v128 r;
  for (int i = 0; i < 4; i++) put(&r, 32, i, kiln_i32_reinterpret_f32(kiln_f32_convert_i32_s(lane32(a, i))));
  return r;
}
static kiln_v128 ref_convert_u(kiln_v128 a, kiln_v128 b) {
  (void)b;
  kiln_v128 r;
  for (int i = 0; i < 4; i++) put(&r, 32, i, kiln_i32_reinterpret_f32(kiln_f32_convert_i32_u(lane32(a, i))));
  return r;
}
static kiln_v128 ref_demote(kiln_v128 a, kiln_v128 b) {
  (void)b;
  return U32X4(kiln_i32_reinterpret_f32(kiln_f32_demote_f64(F64(lane64(a, 0)))),
               kiln_i32_reinterpret_f32(kiln_f32_demote_f64(F64(lane64(a, 1)))), 0, 0);
}
static kiln_v128 ref_promote(kiln_v128 a, kiln_v128 b) {
  (void)b;
  return U64X2(kiln_i64_reinterpret_f64(kiln_f64_promote_f32(F32(lane32(a, 0)))),
               kiln_i64_reinterpret_f64(kiln_f64_promote_f32(F32(lane32(a, 1)))));
}

/* Integer references. */
#define INT_REF2(name, w, expr)                                      \
  static kiln_v128 name(kiln_v128 va, kiln_v128 vb) {                \
    kiln_v128 r;                                                     \
    for (int i = 0; i < 128 / (w); i++) {                            \
      u64 a = get(va, w, i), b = get(vb, w, i);                      \
      s64 sa = sx(a, w), sb = sx(b, w);                              \
      (void)a; (void)b; (void)sa; (void)sb;                          \
      put(&r, w, i, (u64)(expr) & mask(w));                          \
    }                                                                \
    return r;                                                        \
  }
INT_REF2(ref_i8_add_sat_s, 8, clamp(sa + sb, -128, 127))
INT_REF2(ref_i8_sub_sat_s, 8, clamp(sa - sb, -128, 127))
INT_REF2(ref_i8_add_sat_u, 8, clamp((s64)(a + b), 0, 255))
INT_REF2(ref_i8_sub_sat_u, 8, clamp((s64)a - (s64)b, 0, 255))
INT_REF2(ref_i16_add_sat_s, 16, clamp(sa + sb, -32768, 32767))
INT_REF2(ref_i16_sub_sat_s, 16, clamp(sa - sb, -32768, 32767))
INT_REF2(ref_i16_add_sat_u, 16, clamp((s64)(a + b), 0, 65535))
INT_REF2(ref_i16_sub_sat_u, 16, clamp((s64)a - (s64)b, 0, 65535))
INT_REF2(ref_i8_avgr_u, 8, (a + b + 1) >> 1)
INT_REF2(ref_i16_avgr_u, 16, (a + b + 1) >> 1)
INT_REF2(ref_i8_min_s, 8, sa < sb ? a : b)
INT_REF2(ref_i16_max_u, 16, a > b ? a : b)
INT_REF2(ref_i32_min_u, 32, a < b ? a : b)
INT_REF2(ref_i32_max_s, 32, sa > sb ? a : b)
INT_REF2(ref_i64_lt_s, 64, sa < sb ? ~0ull : 0)
INT_REF2(ref_i16_lt_u, 16, a < b ? ~0ull : 0)
INT_REF2(ref_i64_mul, 64, a * b)
INT_REF2(ref_i8_popcnt, 8, kiln_i32_popcnt((u32)a))
INT_REF2(ref_i16_abs, 16, sa < 0 ? (u64)-sa : a)
/* (a * b + 2^14) >> 15 as an arithmetic shift of the biased product (exact in 64 bits), then saturated. */
INT_REF2(ref_q15mulr, 16, clamp(kiln_s64(kiln_i64_shr_s((u64)(sa * sb + 0x4000), 15)), -32768, 32767))

static kiln_v128 ref_narrow8(kiln_v128 a, kiln_v128 b, s64 lo, s64 hi) {
  kiln_v128 r;
  for (int i = 0; i < 8; i++) {
    put(&r, 8, i, (u64)clamp(sx(get(a, 16, i), 16), lo, hi));
    put(&r, 8, i + 8, (u64)clamp(sx(get(b, 16, i), 16), lo, hi));
  }
  return r;
}
static kiln_v128 ref_narrow16(kiln_v128 a, kiln_v128 b, s64 lo, s64 hi) {
  kiln_v128 r;
  for (int i = 0; i < 4; i++) {
    put(&r, 16, i, (u64)clamp(sx(get(a, 32, i), 32), lo, hi));
    put(&r, 16, i + 4, (u64)clamp(sx(get(b, 32, i), 32), lo, hi));
  }
  return r;
}
static kiln_v128 ref_narrow8_s(kiln_v128 a, kiln_v128 b) { return ref_narrow8(a, b, -128, 127); }
static kiln_v128 ref_narrow8_u(kiln_v128 a, kiln_v128 b) { return ref_narrow8(a, b, 0, 255); }
static kiln_v128 ref_narrow16_s(kiln_v128 a, kiln_v128 b) { return ref_narrow16(a, b, -32768, 32767); }
static kiln_v128 ref_narrow16_u(kiln_v128 a, kiln_v128 b) { return ref_narrow16(a, b, 0, 65535); }
static kiln_v128 ref_dot(kiln_v128 a, kiln_v128 b) {
  kiln_v128 r;
  for (int i = 0; i < 4; i++)
    put(&r, 32, i, (u64)(sx(get(a, 16, 2 * i), 16) * sx(get(b, 16, 2 * i), 16) +
                         sx(get(a, 16, 2 * i + 1), 16) * sx(get(b, 16, 2 * i + 1), 16)));
  return r;
}
static kiln_v128 ref_extmul_high_s16(kiln_v128 a, kiln_v128 b) {
  kiln_v128 r;
  for (int i = 0; i < 4; i++) put(&r, 32, i, (u64)(sx(get(a, 16, i + 4), 16) * sx(get(b, 16, i + 4), 16)));
  return r;
}
static kiln_v128 ref_extmul_low_u32(kiln_v128 a, kiln_v128 b) {
  kiln_v128 r;
  for (int i = 0; i < 2; i++) put(&r, 64, i, get(a, 32, i) * get(b, 32, i));
  return r;
}
static kiln_v128 ref_swizzle(kiln_v128 a, kiln_v128 s) {
  kiln_v128 r;
  for (int i = 0; i < 16; i++) r[i] = s[i] < 16 ? a[s[i]] : 0;
  return r;
}
/* Swizzle indices: mostly in range, the rest anywhere. */
static kiln_v128 rnd_swizzle_or_int(void) {
  kiln_v128 v = rnd_int_v();
  if (rnd() & 1)
    for (int i = 0; i < 16; i++) v[i] &= (u8)((v[i] & 0x40) ? 0xFF : 0x1F);
  return v;
}

static void test_random_float(void) {
  current = "random float vs scalar";
  RAND_F32(kiln_f32x4_min, ref32_min, 0);
  RAND_F32(kiln_f32x4_max, ref32_max, 0);
  RAND_F32(kiln_f32x4_pmin, ref32_pmin, 1);
  RAND_F32(kiln_f32x4_pmax, ref32_pmax, 1);
  RAND_F32(kiln_f32x4_add, ref32_add, 0);
  RAND_F32(kiln_f32x4_div, ref32_div, 0);
  RAND_F32(kiln_f32x4_lt, ref32_lt, 1);
  RAND_F32(kiln_f32x4_ne, ref32_ne, 1);
  RAND_F32(kiln_f32x4_ceil_2, ref32_ceil, 0);
  RAND_F32(kiln_f32x4_floor_2, ref32_floor, 0);
  RAND_F32(kiln_f32x4_trunc_2, ref32_trunc, 0);
  RAND_F32(kiln_f32x4_nearest_2, ref32_nearest, 0);
  RAND_F32(kiln_f32x4_sqrt_2, ref32_sqrt, 0);
  RAND_F64(kiln_f64x2_min, ref64_min, 0);
  RAND_F64(kiln_f64x2_max, ref64_max, 0);
  RAND_F64(kiln_f64x2_pmin, ref64_pmin, 1);
  RAND_F64(kiln_f64x2_pmax, ref64_pmax, 1);
  RAND_F64(kiln_f64x2_mul, ref64_mul, 0);
  RAND_F64(kiln_f64x2_sub, ref64_sub, 0);
  RAND_F64(kiln_f64x2_ge, ref64_ge, 1);
  RAND_F64(kiln_f64x2_eq, ref64_eq, 1);
  RAND_F64(kiln_f64x2_ceil_2, ref64_ceil, 0);
  RAND_F64(kiln_f64x2_floor_2, ref64_floor, 0);
  RAND_F64(kiln_f64x2_trunc_2, ref64_trunc, 0);
  RAND_F64(kiln_f64x2_nearest_2, ref64_nearest, 0);
  RAND_F64(kiln_f64x2_sqrt_2, ref64_sqrt, 0);
  RAND_VEC(kiln_i32x4_trunc_sat_f32x4_s_2, ref_trunc_sat_s, rnd_f32_v, 0);
  RAND_VEC(kiln_i32x4_trunc_sat_f32x4_u_2, ref_trunc_sat_u, rnd_f32_v, 0);
  RAND_VEC(kiln_i32x4_trunc_sat_f64x2_s_zero_2, ref_trunc_sat_f64_s, rnd_f64_v, 0);
  RAND_VEC(kiln_i32x4_trunc_sat_f64x2_u_zero_2, ref_trunc_sat_f64_u, rnd_f64_v, 0);
  RAND_VEC(kiln_f32x4_convert_i32x4_s_2, ref_convert_s, rnd_int_v, 0);
  RAND_VEC(kiln_f32x4_convert_i32x4_u_2, ref_convert_u, rnd_int_v, 0);
  RAND_VEC(kiln_f32x4_demote_f64x2_zero_2, ref_demote, rnd_f64_v, 32);
  RAND_VEC(kiln_f64x2_promote_low_f32x4_2, ref_promote, rnd_f32_v, 64);
}

static void test_random_integer(void) {
  current = "random integer vs scalar";
  RAND_VEC(kiln_i8x16_add_sat_s, ref_i8_add_sat_s, rnd_int_v, 0);
  RAND_VEC(kiln_i8x16_sub_sat_s, ref_i8_sub_sat_s, rnd_int_v, 0);
  RAND_VEC(kiln_i8x16_add_sat_u, ref_i8_add_sat_u, rnd_int_v, 0);
  RAND_VEC(kiln_i8x16_sub_sat_u, ref_i8_sub_sat_u, rnd_int_v, 0);
  RAND_VEC(kiln_i16x8_add_sat_s, ref_i16_add_sat_s, rnd_int_v, 0);
  RAND_VEC(kiln_i16x8_sub_sat_s, ref_i16_sub_sat_s, rnd_int_v, 0);
  RAND_VEC(kiln_i16x8_add_sat_u, ref_i16_add_sat_u, rnd_int_v, 0);
  RAND_VEC(kiln_i16x8_sub_sat_u, ref_i16_sub_sat_u, rnd_int_v, 0);
  RAND_VEC(kiln_i8x16_avgr_u, ref_i8_avgr_u, rnd_int_v, 0);
  RAND_VEC(kiln_i16x8_avgr_u, ref_i16_avgr_u, rnd_int_v, 0);
  RAND_VEC(kiln_i8x16_min_s, ref_i8_min_s, rnd_int_v, 0);
  RAND_VEC(kiln_i16x8_max_u, ref_i16_max_u, rnd_int_v, 0);
  RAND_VEC(kiln_i32x4_min_u, ref_i32_min_u, rnd_int_v, 0);
  RAND_VEC(kiln_i32x4_max_s, ref_i32_max_s, rnd_int_v, 0);
  RAND_VEC(kiln_i64x2_lt_s, ref_i64_lt_s, rnd_int_v, 0);
  RAND_VEC(kiln_i16x8_lt_u, ref_i16_lt_u, rnd_int_v, 0);
  RAND_VEC(kiln_i64x2_mul, ref_i64_mul, rnd_int_v, 0);
  RAND_VEC(kiln_i8x16_popcnt_2, ref_i8_popcnt, rnd_int_v, 0);
  RAND_VEC(kiln_i16x8_abs_2, ref_i16_abs, rnd_int_v, 0);
  RAND_VEC(kiln_i16x8_q15mulr_sat_s, ref_q15mulr, rnd_int_v, 0);
  RAND_VEC(kiln_i8x16_narrow_i16x8_s, ref_narrow8_s, rnd_int_v, 0);
  RAND_VEC(kiln_i8x16_narrow_i16x8_u, ref_narrow8_u, rnd_int_v, 0);
  RAND_VEC(kiln_i16x8_narrow_i32x4_s, ref_narrow16_s, rnd_int_v, 0);
  RAND_VEC(kiln_i16x8_narrow_i32x4_u, ref_narrow16_u, rnd_int_v, 0);
  RAND_VEC(kiln_i32x4_dot_i16x8_s, ref_dot, rnd_int_v, 0);
  RAND_VEC(kiln_i32x4_extmul_high_i16x8_s, ref_extmul_high_s16, rnd_int_v, 0);
  RAND_VEC(kiln_i64x2_extmul_low_i32x4_u, ref_extmul_low_u32, rnd_int_v, 0);
  RAND_VEC(kiln_i8x16_swizzle, ref_swizzle, rnd_swizzle_or_int, 0);

  /* Shifts by every count up to 3 * the lane width, bitmask and all_true, against lane-wise references. */
  int ok = 1;
  for (int it = 0; it < 300 && ok; it++) {
    kiln_v128 a = rnd_int_v();
    for (u32 c = 0; c < 192 && ok; c++) {
      static const int widths[] = {8, 16, 32, 64};
      for (int k = 0; k < 4 && ok; k++) {
        int w = widths[k];
        kiln_v128 l, rs, ru, wl, ws, wu;
        switch (w) {
          case 8: l = kiln_i8x16_shl(a, c), rs = kiln_i8x16_shr_s(a, c), ru = kiln_i8x16_shr_u(a, c); break;
          case 16: l = kiln_i16x8_shl(a, c), rs = kiln_i16x8_shr_s(a, c), ru = kiln_i16x8_shr_u(a, c); break;
          case 32: l = kiln_i32x4_shl(a, c), rs = kiln_i32x4_shr_s(a, c), ru = kiln_i32x4_shr_u(a, c); break;
          default: l = kiln_i64x2_shl(a, c), rs = kiln_i64x2_shr_s(a, c), ru = kiln_i64x2_shr_u(a, c); break;
        }
        for (int i = 0; i < 128 / w; i++) {
          u64 x = get(a, w, i), n = c % (u32)w;
          put(&wl, w, i, (x << n) & mask(w));
          put(&ws, w, i, kiln_i64_shr_s((u64)sx(x, w), n) & mask(w));
          put(&wu, w, i, x >> n);
        }
        ok = memcmp(&l, &wl, 16) == 0 && memcmp(&rs, &ws, 16) == 0 && memcmp(&ru, &wu, 16) == 0;
        if (!ok) report_random(__LINE__, "shifts", 0, a, kiln_i32x4_splat(c), w == 8 ? l : rs);
      }
    }
  }
  if (ok) report_random(__LINE__, "shifts", 1, U64X2(0, 0), U64X2(0, 0), U64X2(0, 0));

  ok = 1;
  for (int it = 0; it < ITERATIONS && ok; it++) {
    kiln_v128 a = rnd_int_v();
    u32 want[4] = {0, 0, 0, 0}, all[4] = {1, 1, 1, 1};
    static const int widths[] = {8, 16, 32, 64};
    for (int k = 0; k < 4; k++)
      for (int i = 0; i < 128 / widths[k]; i++) {
        u64 x = get(a, widths[k], i);
        want[k] |= (u32)(x >> (widths[k] - 1)) << i;
        all[k] &= x != 0;
      }
    ok = kiln_i8x16_bitmask(a) == want[0] && kiln_i16x8_bitmask(a) == want[1] && kiln_i32x4_bitmask(a) == want[2] &&
         kiln_i64x2_bitmask(a) == want[3] && kiln_i8x16_all_true(a) == all[0] && kiln_i16x8_all_true(a) == all[1] &&
         kiln_i32x4_all_true(a) == all[2] && kiln_i64x2_all_true(a) == all[3];
    if (!ok) report_random(__LINE__, "bitmask/all_true", 0, a, a, a);
  }
  if (ok) report_random(__LINE__, "bitmask/all_true", 1, U64X2(0, 0), U64X2(0, 0), U64X2(0, 0));
}


/* Relaxed SIMD (kiln_relaxed_simd.h): Kiln's fixed choice for each operation, and the x86 intrinsics of
 * the signed truncations against their portable forms on random and edge inputs. */
static void test_relaxed(void) {
  current = "relaxed";
  kiln_v128 t = kiln_i32x4_relaxed_trunc_f32x4_s((kiln_v128)(kiln_f32x4){__builtin_nanf(""), 3e9f, -3e9f, -7.9f});
  CHECK(memcmp(&t, &(kiln_i32x4){INT32_MIN, INT32_MIN, INT32_MIN, -7}, 16) == 0);
  t = kiln_i32x4_relaxed_trunc_f64x2_s_zero((kiln_v128)(kiln_f64x2){2147483647.9, -2147483648.9});
  CHECK(memcmp(&t, &(kiln_i32x4){2147483647, INT32_MIN, 0, 0}, 16) == 0);
  for (int i = 0; i < 20000; i++) {
    kiln_v128 f = rnd_f32_v(), d = rnd_f64_v();
    kiln_v128 a = kiln_i32x4_relaxed_trunc_f32x4_s(f), b = kiln_i32x4_relaxed_trunc_f32x4_s_portable(f);
    kiln_v128 c = kiln_i32x4_relaxed_trunc_f64x2_s_zero(d), e = kiln_i32x4_relaxed_trunc_f64x2_s_zero_portable(d);
    if (memcmp(&a, &b, 16) != 0 || memcmp(&c, &e, 16) != 0) {
      CHECK(!"intrinsic and portable relaxed_trunc differ");
      break;
    }
  }
  kiln_v128 m = kiln_f32x4_relaxed_min((kiln_v128)(kiln_f32x4){0.0f, -0.0f, __builtin_nanf(""), 1.0f},
                                       (kiln_v128)(kiln_f32x4){-0.0f, 0.0f, 2.0f, __builtin_nanf("")});
  kiln_u32x4 mu = (kiln_u32x4)m; /* equal zeros and NaNs: the second operand */
  CHECK(mu[0] == 0x80000000u && mu[1] == 0 && mu[2] == 0x40000000u && (mu[3] & 0x7FC00000u) == 0x7FC00000u);
  kiln_i16x8 q = (kiln_i16x8)kiln_i16x8_relaxed_q15mulr_s((kiln_v128)(kiln_i16x8){-32768, 16384, -1, 0, 0, 0, 0, 0},
                                                          (kiln_v128)(kiln_i16x8){-32768, 16384, 1, 0, 0, 0, 0, 0});
  CHECK(q[0] == -32768 && q[1] == 8192 && q[2] == 0); /* pmulhrsw wraps where q15mulr_sat_s saturates */
  kiln_f32x4 madd = (kiln_f32x4)kiln_f32x4_relaxed_madd((kiln_v128)(kiln_f32x4){0x1.000002p0f, 0, 0, 0},
                                                        (kiln_v128)(kiln_f32x4){0x1.000002p0f, 0, 0, 0},
                                                        (kiln_v128)(kiln_f32x4){-0x1.000004p0f, 0, 0, 0});
  CHECK(madd[0] == 0.0f); /* unfused: (1+2^-23)^2 rounds to 1+2^-22 first; fused would leave 2^-46 */
  kiln_i16x8 dot = (kiln_i16x8)kiln_i16x8_relaxed_dot_i8x16_i7x16_s(kiln_i8x16_splat(0x80u), kiln_i8x16_splat(0x80u));
  CHECK(dot[0] == -32768); /* -128 * -128 twice wraps in 16 bits */
  kiln_i32x4 dadd = (kiln_i32x4)kiln_i32x4_relaxed_dot_i8x16_i7x16_add_s(kiln_i8x16_splat(3), kiln_i8x16_splat(0xFEu), kiln_i32x4_splat(10));
  CHECK(dadd[0] == 10 - 24);
  kiln_v128 sw = kiln_i8x16_relaxed_swizzle(kiln_i8x16_splat(9), (kiln_v128)(kiln_u8x16){0, 15, 16, 200});
  CHECK(sw[0] == 9 && sw[1] == 9 && sw[2] == 0 && sw[3] == 0);
}

int main(void) {
  static kiln_ctx ctx; /* static: read after a longjmp */
  static jmp_buf env;
  ctx.jmp = &env;
  if (setjmp(env) != 0) { /* a trap no EXPECT_OOB asked for */
    record(0, __LINE__, "unexpected trap", kiln_trap_message(ctx.trap_code));
    printf("%d passed, %d failed\n", passed, failed);
    return 1;
  }
  test_splat_and_lanes();
  test_swizzle();
  test_comparisons();
  test_bitwise();
  test_all_any_bitmask();
  test_integer_arithmetic();
  test_saturating();
  test_shifts();
  test_widening();
  test_float_sign_and_arith();
  test_float_min_max();
  test_float_rounding();
  test_conversions();
  test_memory(&ctx);
  test_random_float();
  test_random_integer();
  test_relaxed();
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
