/* Wasm integer operators that C does not give directly. Integers are unsigned in generated code (u32/u64):
 * unsigned arithmetic wraps like Wasm's, while signed overflow, oversized shifts and __builtin_clz(0) are
 * undefined in C. Signed views go through kiln_s32/kiln_s64, which avoid even the implementation-defined
 * out-of-range conversion. */
#ifndef KILN_INTEGER_H
#define KILN_INTEGER_H

#include "kiln_abi.h"
#include "kiln_attrs.h"
#include "kiln_trap.h"

#ifdef __cplusplus
extern "C" {
#endif

static inline s32 kiln_s32(u32 x) {
  return x <= 0x7FFFFFFFu ? (s32)x : (s32)(x - 0x80000000u) - 0x7FFFFFFF - 1;
}
static inline s64 kiln_s64(u64 x) {
  return x <= 0x7FFFFFFFFFFFFFFFu ? (s64)x : (s64)(x - 0x8000000000000000u) - 0x7FFFFFFFFFFFFFFF - 1;
}

/* Division: C's INT_MIN / -1 is undefined (and raises SIGFPE on x86), so it is checked first. */
static inline u32 kiln_i32_div_s(kiln_ctx* ctx, u32 a, u32 b) {
  if (KILN_UNLIKELY(b == 0)) kiln_trap(ctx, KILN_TRAP_INTEGER_DIVIDE_BY_ZERO);
  if (KILN_UNLIKELY(a == 0x80000000u && b == 0xFFFFFFFFu)) kiln_trap(ctx, KILN_TRAP_INTEGER_OVERFLOW);
  return (u32)(kiln_s32(a) / kiln_s32(b));
}
static inline u32 kiln_i32_div_u(kiln_ctx* ctx, u32 a, u32 b) {
  if (KILN_UNLIKELY(b == 0)) kiln_trap(ctx, KILN_TRAP_INTEGER_DIVIDE_BY_ZERO);
  return a / b;
}
static inline u32 kiln_i32_rem_s(kiln_ctx* ctx, u32 a, u32 b) {
  if (KILN_UNLIKELY(b == 0)) kiln_trap(ctx, KILN_TRAP_INTEGER_DIVIDE_BY_ZERO);
  if (b == 0xFFFFFFFFu) return 0; /* Wasm defines INT_MIN rem -1 = 0; C leaves it undefined */
  return (u32)(kiln_s32(a) % kiln_s32(b));
}
static inline u32 kiln_i32_rem_u(kiln_ctx* ctx, u32 a, u32 b) {
  if (KILN_UNLIKELY(b == 0)) kiln_trap(ctx, KILN_TRAP_INTEGER_DIVIDE_BY_ZERO);
  return a % b;
}
static inline u64 kiln_i64_div_s(kiln_ctx* ctx, u64 a, u64 b) {
  if (KILN_UNLIKELY(b == 0)) kiln_trap(ctx, KILN_TRAP_INTEGER_DIVIDE_BY_ZERO);
  if (KILN_UNLIKELY(a == 0x8000000000000000u && b == 0xFFFFFFFFFFFFFFFFu))
    kiln_trap(ctx, KILN_TRAP_INTEGER_OVERFLOW);
  return (u64)(kiln_s64(a) / kiln_s64(b));
}
static inline u64 kiln_i64_div_u(kiln_ctx* ctx, u64 a, u64 b) {
  if (KILN_UNLIKELY(b == 0)) kiln_trap(ctx, KILN_TRAP_INTEGER_DIVIDE_BY_ZERO);
  return a / b;
}
static inline u64 kiln_i64_rem_s(kiln_ctx* ctx, u64 a, u64 b) {
  if (KILN_UNLIKELY(b == 0)) kiln_trap(ctx, KILN_TRAP_INTEGER_DIVIDE_BY_ZERO);
  if (b == 0xFFFFFFFFFFFFFFFFu) return 0;
  return (u64)(kiln_s64(a) % kiln_s64(b));
}
static inline u64 kiln_i64_rem_u(kiln_ctx* ctx, u64 a, u64 b) {
  if (KILN_UNLIKELY(b == 0)) kiln_trap(ctx, KILN_TRAP_INTEGER_DIVIDE_BY_ZERO);
  return a % b;
}

/* The builtins are undefined for 0, which Wasm defines as the bit width. */
static inline u32 kiln_i32_clz(u32 a) { return a == 0 ? 32u : (u32)__builtin_clz(a); }
static inline u32 kiln_i32_ctz(u32 a) { return a == 0 ? 32u : (u32)__builtin_ctz(a); }
static inline u32 kiln_i32_popcnt(u32 a) { return (u32)__builtin_popcount(a); }
static inline u64 kiln_i64_clz(u64 a) { return a == 0 ? 64u : (u64)__builtin_clzll(a); }
static inline u64 kiln_i64_ctz(u64 a) { return a == 0 ? 64u : (u64)__builtin_ctzll(a); }
static inline u64 kiln_i64_popcnt(u64 a) { return (u64)__builtin_popcountll(a); }

/* Wasm takes shift and rotate counts modulo the width; C shifts by >= the width are undefined. */
static inline u32 kiln_i32_shl(u32 a, u32 b) { return a << (b & 31u); }
static inline u32 kiln_i32_shr_u(u32 a, u32 b) { return a >> (b & 31u); }
/* ~(~a >> b) shifts ones in without right-shifting a negative signed value (implementation-defined). */
static inline u32 kiln_i32_shr_s(u32 a, u32 b) {
  b &= 31u;
  return (a & 0x80000000u) ? ~(~a >> b) : a >> b;
}
static inline u32 kiln_i32_rotl(u32 a, u32 b) {
  b &= 31u;
  return (a << b) | (a >> ((32u - b) & 31u));
}
static inline u32 kiln_i32_rotr(u32 a, u32 b) {
  b &= 31u;
  return (a >> b) | (a << ((32u - b) & 31u));
}
static inline u64 kiln_i64_shl(u64 a, u64 b) { return a << (b & 63u); }
static inline u64 kiln_i64_shr_u(u64 a, u64 b) { return a >> (b & 63u); }
static inline u64 kiln_i64_shr_s(u64 a, u64 b) {
  b &= 63u;
  return (a & 0x8000000000000000u) ? ~(~a >> b) : a >> b;
}
static inline u64 kiln_i64_rotl(u64 a, u64 b) {
  b &= 63u;
  return (a << b) | (a >> ((64u - b) & 63u));
}
static inline u64 kiln_i64_rotr(u64 a, u64 b) {
  b &= 63u;
  return (a >> b) | (a << ((64u - b) & 63u));
}

/* Sign extension as (x ^ signbit) - signbit in unsigned arithmetic: no narrowing conversion needed. */
static inline u32 kiln_i32_extend8_s(u32 a) { return ((a & 0xFFu) ^ 0x80u) - 0x80u; }
static inline u32 kiln_i32_extend16_s(u32 a) { return ((a & 0xFFFFu) ^ 0x8000u) - 0x8000u; }
static inline u64 kiln_i64_extend8_s(u64 a) { return ((a & 0xFFu) ^ 0x80u) - 0x80u; }
static inline u64 kiln_i64_extend16_s(u64 a) { return ((a & 0xFFFFu) ^ 0x8000u) - 0x8000u; }
static inline u64 kiln_i64_extend32_s(u64 a) { return ((a & 0xFFFFFFFFu) ^ 0x80000000u) - 0x80000000u; }

#ifdef __cplusplus
}
#endif
#endif
