/* The threads proposal's atomic instructions, on any memory, shared or not.
 *
 * Every atomic access checks its alignment, and then its bounds against the size read atomically (the memory may
 * be a shared one that another thread grows): an atomic access at an address that is not a multiple of its width
 * traps, it is not merely slow. The effective address is idx + off, and a memory's `data` is page
 * aligned, so the host address has the same alignment and C's __atomic builtins apply to it directly. They
 * are sequentially consistent, as every Wasm atomic is. A narrow read-modify-write zero-extends what it read;
 * its operands are wrapped to its width (cmpxchg compares the wrapped expected value).
 *
 * memory.atomic.wait and notify are out of line (src/wait.c): they need the shared memory's queues.
 * > Note: <https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md> */
#ifndef KILN_ATOMIC_H
#define KILN_ATOMIC_H

#include "kiln_abi.h"
#include "kiln_attrs.h"
#include "kiln_shared_memory.h"
#include "kiln_trap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Alignment first, then bounds, as the spec's interpreter checks them (an address both misaligned and out of
 * bounds traps as misaligned). The low bits of idx + off are the same whether or not the sum wraps. */
static inline u8* kiln_atomic_ptr(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 n) {
  if (KILN_UNLIKELY(((idx + off) & (n - 1)) != 0)) kiln_trap(ctx, KILN_TRAP_UNALIGNED_ATOMIC);
  /* The shared-memory bounds check (the size read atomically) suits any memory. */
  return kiln_shared_ptr(ctx, m, idx, off, n);
}

static inline u32 kiln_i32_atomic_load(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return __atomic_load_n((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_load(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return __atomic_load_n((u64*)kiln_atomic_ptr(ctx, m, idx, off, 8), __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_load8_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return __atomic_load_n((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_load16_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return __atomic_load_n((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_load8_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return __atomic_load_n((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_load16_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return __atomic_load_n((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_load32_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return __atomic_load_n((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), __ATOMIC_SEQ_CST);
}
static inline void kiln_i32_atomic_store(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  __atomic_store_n((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline void kiln_i64_atomic_store(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  __atomic_store_n((u64*)kiln_atomic_ptr(ctx, m, idx, off, 8), (u64)value, __ATOMIC_SEQ_CST);
}
static inline void kiln_i32_atomic_store8(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  __atomic_store_n((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline void kiln_i32_atomic_store16(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  __atomic_store_n((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline void kiln_i64_atomic_store8(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  __atomic_store_n((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline void kiln_i64_atomic_store16(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  __atomic_store_n((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline void kiln_i64_atomic_store32(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  __atomic_store_n((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
/* Read-modify-writes: the value before the operation. */
static inline u32 kiln_i32_atomic_rmw_add(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_add((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw_add(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_add((u64*)kiln_atomic_ptr(ctx, m, idx, off, 8), (u64)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw8_add_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_add((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw16_add_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_add((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw8_add_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_add((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw16_add_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_add((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw32_add_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_add((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw_sub(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_sub((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw_sub(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_sub((u64*)kiln_atomic_ptr(ctx, m, idx, off, 8), (u64)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw8_sub_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_sub((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw16_sub_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_sub((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw8_sub_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_sub((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw16_sub_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_sub((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw32_sub_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_sub((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw_and(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_and((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw_and(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_and((u64*)kiln_atomic_ptr(ctx, m, idx, off, 8), (u64)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw8_and_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_and((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw16_and_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_and((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw8_and_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_and((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw16_and_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_and((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw32_and_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_and((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw_or(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_or((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw_or(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_or((u64*)kiln_atomic_ptr(ctx, m, idx, off, 8), (u64)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw8_or_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_or((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw16_or_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_or((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw8_or_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_or((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw16_or_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_or((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw32_or_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_or((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw_xor(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_xor((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw_xor(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_xor((u64*)kiln_atomic_ptr(ctx, m, idx, off, 8), (u64)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw8_xor_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_xor((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw16_xor_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_fetch_xor((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw8_xor_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_xor((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw16_xor_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_xor((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw32_xor_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_fetch_xor((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw_xchg(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_exchange_n((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw_xchg(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_exchange_n((u64*)kiln_atomic_ptr(ctx, m, idx, off, 8), (u64)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw8_xchg_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_exchange_n((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw16_xchg_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  return __atomic_exchange_n((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw8_xchg_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_exchange_n((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), (u8)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw16_xchg_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_exchange_n((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), (u16)value, __ATOMIC_SEQ_CST);
}
static inline u64 kiln_i64_atomic_rmw32_xchg_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  return __atomic_exchange_n((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), (u32)value, __ATOMIC_SEQ_CST);
}
static inline u32 kiln_i32_atomic_rmw_cmpxchg(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 expected, u32 replacement) {
  u32 seen = (u32)expected;
  __atomic_compare_exchange_n((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), &seen, (u32)replacement, 0, __ATOMIC_SEQ_CST,
                              __ATOMIC_SEQ_CST);
  return seen;
}
static inline u64 kiln_i64_atomic_rmw_cmpxchg(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 expected, u64 replacement) {
  u64 seen = (u64)expected;
  __atomic_compare_exchange_n((u64*)kiln_atomic_ptr(ctx, m, idx, off, 8), &seen, (u64)replacement, 0, __ATOMIC_SEQ_CST,
                              __ATOMIC_SEQ_CST);
  return seen;
}
static inline u32 kiln_i32_atomic_rmw8_cmpxchg_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 expected, u32 replacement) {
  u8 seen = (u8)expected;
  __atomic_compare_exchange_n((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), &seen, (u8)replacement, 0, __ATOMIC_SEQ_CST,
                              __ATOMIC_SEQ_CST);
  return seen;
}
static inline u32 kiln_i32_atomic_rmw16_cmpxchg_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 expected, u32 replacement) {
  u16 seen = (u16)expected;
  __atomic_compare_exchange_n((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), &seen, (u16)replacement, 0, __ATOMIC_SEQ_CST,
                              __ATOMIC_SEQ_CST);
  return seen;
}
static inline u64 kiln_i64_atomic_rmw8_cmpxchg_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 expected, u64 replacement) {
  u8 seen = (u8)expected;
  __atomic_compare_exchange_n((u8*)kiln_atomic_ptr(ctx, m, idx, off, 1), &seen, (u8)replacement, 0, __ATOMIC_SEQ_CST,
                              __ATOMIC_SEQ_CST);
  return seen;
}
static inline u64 kiln_i64_atomic_rmw16_cmpxchg_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 expected, u64 replacement) {
  u16 seen = (u16)expected;
  __atomic_compare_exchange_n((u16*)kiln_atomic_ptr(ctx, m, idx, off, 2), &seen, (u16)replacement, 0, __ATOMIC_SEQ_CST,
                              __ATOMIC_SEQ_CST);
  return seen;
}
static inline u64 kiln_i64_atomic_rmw32_cmpxchg_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 expected, u64 replacement) {
  u32 seen = (u32)expected;
  __atomic_compare_exchange_n((u32*)kiln_atomic_ptr(ctx, m, idx, off, 4), &seen, (u32)replacement, 0, __ATOMIC_SEQ_CST,
                              __ATOMIC_SEQ_CST);
  return seen;
}

static inline void kiln_atomic_fence(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

/* memory.atomic.wait32/64 at a checked, aligned address p of memory m: 0 when notified, 1 when *p did not
 * hold `expected`, 2 when `timeout_ns` (negative: none) passed first. Traps unless m is shared. */
KILN_HIDDEN u32 kiln_atomic_wait(kiln_ctx* ctx, kiln_memory* m, u8* p, u64 expected, int is64, s64 timeout_ns);
/* memory.atomic.notify: wakes up to `count` waiters at p, oldest first; how many it woke (0 for an unshared m). */
KILN_HIDDEN u32 kiln_atomic_notify_at(kiln_memory* m, u8* p, u32 count);

static inline u32 kiln_memory_atomic_wait32(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 expected, u64 timeout) {
  return kiln_atomic_wait(ctx, m, kiln_atomic_ptr(ctx, m, idx, off, 4), expected, 0, (s64)timeout);
}
static inline u32 kiln_memory_atomic_wait64(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 expected, u64 timeout) {
  return kiln_atomic_wait(ctx, m, kiln_atomic_ptr(ctx, m, idx, off, 8), expected, 1, (s64)timeout);
}
static inline u32 kiln_memory_atomic_notify(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 count) {
  return kiln_atomic_notify_at(m, kiln_atomic_ptr(ctx, m, idx, off, 4), count);
}

#ifdef __cplusplus
}
#endif
#endif
