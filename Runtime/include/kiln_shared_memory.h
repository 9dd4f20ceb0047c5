/* Plain (non-atomic) loads and stores of a shared memory (threads).
 *
 * Other threads may grow a shared memory, and read or write the same bytes, while an access runs. So an
 * access here differs from kiln_memory.h's in two ways:
 *  - its bounds check reads the memory's size with an atomic load, from the descriptor itself (never from a
 *    function's local view, which could be older than a growth another thread made and published to this
 *    one); a shared memory's `data` never moves (src/memory.c), so the address stays good;
 *  - the bytes are read and written through volatile lvalues of the access's width, so clang makes exactly
 *    one load or store per access: it neither merges, repeats nor drops them. C calls a race between such an
 *    access and another thread's undefined, as it does wasm2c's relaxed atomics; what clang emits for both is
 *    one plain instruction, which is what Wasm's non-atomic accesses promise (each access reads or writes its
 *    bytes once; a racing pair may see either value).
 * Accesses to shared memories are always checked this way, in both bounds modes.
 *
 * SIMD's extending, splat, zero and lane accesses are one scalar access of their width composed with the
 * lane operation on its value (kiln_simd.h), so they read each byte once as well. Bulk operations
 * (kiln_memory.h) read the size atomically for every memory and copy with memmove and memset: Wasm's bulk
 * operations on a shared memory are non-atomic byte accesses. */
#ifndef KILN_SHARED_MEMORY_H
#define KILN_SHARED_MEMORY_H

#include "kiln_abi.h"
#include "kiln_attrs.h"
#include "kiln_integer.h"
#include "kiln_memory.h"
#include "kiln_simd.h"
#include "kiln_trap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The memory's size now: growth by another thread is published with a release store (src/memory.c). */
static inline u64 kiln_shared_size(const kiln_memory* m) { return __atomic_load_n(&m->size, __ATOMIC_ACQUIRE); }

/* The checked effective address of n bytes at idx + off of a shared memory (any u64 idx and off: nothing wraps);
 * a 64-bit shared memory's accesses use it directly, as kiln_address64 for an unshared one. */
static inline u64 kiln_shared_address64(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 n) {
  u64 addr, end;
  if (KILN_UNLIKELY(__builtin_add_overflow(idx, off, &addr) || __builtin_add_overflow(addr, n, &end) ||
                    end > kiln_shared_size(m)))
    kiln_trap(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS);
  return addr;
}

/* Its host address. */
static inline u8* kiln_shared_ptr(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 n) {
  return m->data + kiln_shared_address64(ctx, m, idx, off, n);
}

static inline u32 kiln_shared_memory_size(const kiln_memory* m) { return (u32)__atomic_load_n(&m->pages, __ATOMIC_ACQUIRE); }
static inline u64 kiln_shared_memory_size64(const kiln_memory* m) { return __atomic_load_n(&m->pages, __ATOMIC_ACQUIRE); }

/* One access of each width; aligned(1) because Wasm's alignment is only a hint for non-atomic accesses. */
typedef volatile u16 kiln_shared_u16 __attribute__((aligned(1)));
typedef volatile u32 kiln_shared_u32 __attribute__((aligned(1)));
typedef volatile u64 kiln_shared_u64 __attribute__((aligned(1)));
typedef volatile kiln_v128 kiln_shared_v128 __attribute__((aligned(1)));

static inline u32 kiln_shared_i32_load8_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return *(volatile u8*)kiln_shared_ptr(ctx, m, idx, off, 1);
}
static inline u32 kiln_shared_i32_load16_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return *(kiln_shared_u16*)kiln_shared_ptr(ctx, m, idx, off, 2);
}
static inline u32 kiln_shared_i32_load(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return *(kiln_shared_u32*)kiln_shared_ptr(ctx, m, idx, off, 4);
}
static inline u64 kiln_shared_i64_load(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return *(kiln_shared_u64*)kiln_shared_ptr(ctx, m, idx, off, 8);
}
static inline kiln_v128 kiln_shared_v128_load(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return *(kiln_shared_v128*)kiln_shared_ptr(ctx, m, idx, off, 16);
}
static inline f32 kiln_shared_f32_load(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u32 bits = kiln_shared_i32_load(ctx, m, idx, off);
  f32 v;
  memcpy(&v, &bits, 4);
  return v;
}
static inline f64 kiln_shared_f64_load(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u64 bits = kiln_shared_i64_load(ctx, m, idx, off);
  f64 v;
  memcpy(&v, &bits, 8);
  return v;
}
static inline u32 kiln_shared_i32_load8_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i32_extend8_s(kiln_shared_i32_load8_u(ctx, m, idx, off));
}
static inline u32 kiln_shared_i32_load16_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i32_extend16_s(kiln_shared_i32_load16_u(ctx, m, idx, off));
}
static inline u64 kiln_shared_i64_load8_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_shared_i32_load8_u(ctx, m, idx, off);
}
static inline u64 kiln_shared_i64_load8_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i64_extend8_s(kiln_shared_i32_load8_u(ctx, m, idx, off));
}
static inline u64 kiln_shared_i64_load16_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_shared_i32_load16_u(ctx, m, idx, off);
}
static inline u64 kiln_shared_i64_load16_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i64_extend16_s(kiln_shared_i32_load16_u(ctx, m, idx, off));
}
static inline u64 kiln_shared_i64_load32_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_shared_i32_load(ctx, m, idx, off);
}
static inline u64 kiln_shared_i64_load32_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i64_extend32_s(kiln_shared_i32_load(ctx, m, idx, off));
}

static inline void kiln_shared_i32_store8(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  *(volatile u8*)kiln_shared_ptr(ctx, m, idx, off, 1) = (u8)value;
}
static inline void kiln_shared_i32_store16(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  *(kiln_shared_u16*)kiln_shared_ptr(ctx, m, idx, off, 2) = (u16)value;
}
static inline void kiln_shared_i32_store(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  *(kiln_shared_u32*)kiln_shared_ptr(ctx, m, idx, off, 4) = value;
}
static inline void kiln_shared_i64_store(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  *(kiln_shared_u64*)kiln_shared_ptr(ctx, m, idx, off, 8) = value;
}
static inline void kiln_shared_v128_store(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 value) {
  *(kiln_shared_v128*)kiln_shared_ptr(ctx, m, idx, off, 16) = value;
}
static inline void kiln_shared_f32_store(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, f32 value) {
  u32 bits;
  memcpy(&bits, &value, 4);
  kiln_shared_i32_store(ctx, m, idx, off, bits);
}
static inline void kiln_shared_f64_store(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, f64 value) {
  u64 bits;
  memcpy(&bits, &value, 8);
  kiln_shared_i64_store(ctx, m, idx, off, bits);
}
static inline void kiln_shared_i64_store8(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  kiln_shared_i32_store8(ctx, m, idx, off, (u32)value);
}
static inline void kiln_shared_i64_store16(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  kiln_shared_i32_store16(ctx, m, idx, off, (u32)value);
}
static inline void kiln_shared_i64_store32(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  kiln_shared_i32_store(ctx, m, idx, off, (u32)value);
}

/* SIMD: the scalar access, then the lane operation (the low 64 bits of a splat hold the loaded bytes). */
static inline kiln_v128 kiln_shared_v128_load8x8_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i16x8_extend_low_i8x16_s(kiln_i64x2_splat(kiln_shared_i64_load(ctx, m, idx, off)));
}
static inline kiln_v128 kiln_shared_v128_load8x8_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i16x8_extend_low_i8x16_u(kiln_i64x2_splat(kiln_shared_i64_load(ctx, m, idx, off)));
}
static inline kiln_v128 kiln_shared_v128_load16x4_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i32x4_extend_low_i16x8_s(kiln_i64x2_splat(kiln_shared_i64_load(ctx, m, idx, off)));
}
static inline kiln_v128 kiln_shared_v128_load16x4_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i32x4_extend_low_i16x8_u(kiln_i64x2_splat(kiln_shared_i64_load(ctx, m, idx, off)));
}
static inline kiln_v128 kiln_shared_v128_load32x2_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i64x2_extend_low_i32x4_s(kiln_i64x2_splat(kiln_shared_i64_load(ctx, m, idx, off)));
}
static inline kiln_v128 kiln_shared_v128_load32x2_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i64x2_extend_low_i32x4_u(kiln_i64x2_splat(kiln_shared_i64_load(ctx, m, idx, off)));
}
static inline kiln_v128 kiln_shared_v128_load8_splat(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i8x16_splat(kiln_shared_i32_load8_u(ctx, m, idx, off));
}
static inline kiln_v128 kiln_shared_v128_load16_splat(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i16x8_splat(kiln_shared_i32_load16_u(ctx, m, idx, off));
}
static inline kiln_v128 kiln_shared_v128_load32_splat(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i32x4_splat(kiln_shared_i32_load(ctx, m, idx, off));
}
static inline kiln_v128 kiln_shared_v128_load64_splat(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i64x2_splat(kiln_shared_i64_load(ctx, m, idx, off));
}
static inline kiln_v128 kiln_shared_v128_load32_zero(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i32x4_replace_lane((kiln_v128){0}, 0, kiln_shared_i32_load(ctx, m, idx, off));
}
static inline kiln_v128 kiln_shared_v128_load64_zero(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i64x2_replace_lane((kiln_v128){0}, 0, kiln_shared_i64_load(ctx, m, idx, off));
}
static inline kiln_v128 kiln_shared_v128_load8_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  return kiln_i8x16_replace_lane(v, lane, kiln_shared_i32_load8_u(ctx, m, idx, off));
}
static inline kiln_v128 kiln_shared_v128_load16_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  return kiln_i16x8_replace_lane(v, lane, kiln_shared_i32_load16_u(ctx, m, idx, off));
}
static inline kiln_v128 kiln_shared_v128_load32_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  return kiln_i32x4_replace_lane(v, lane, kiln_shared_i32_load(ctx, m, idx, off));
}
static inline kiln_v128 kiln_shared_v128_load64_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  return kiln_i64x2_replace_lane(v, lane, kiln_shared_i64_load(ctx, m, idx, off));
}
static inline void kiln_shared_v128_store8_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  kiln_shared_i32_store8(ctx, m, idx, off, kiln_i8x16_extract_lane_u(v, lane));
}
static inline void kiln_shared_v128_store16_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  kiln_shared_i32_store16(ctx, m, idx, off, kiln_i16x8_extract_lane_u(v, lane));
}
static inline void kiln_shared_v128_store32_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  kiln_shared_i32_store(ctx, m, idx, off, kiln_i32x4_extract_lane(v, lane));
}
static inline void kiln_shared_v128_store64_lane(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 v, int lane) {
  kiln_shared_i64_store(ctx, m, idx, off, kiln_i64x2_extract_lane(v, lane));
}

#ifdef __cplusplus
}
#endif
#endif
