/* Linear memory access. Every load and store checks its whole range against m->size before touching a
 * byte, so a failing store writes nothing. Callers pass the index (zero-extended to u64) and the constant
 * offset apart, so the common check can compare the index alone (kiln_memory_ptr); the sum is computed in
 * 64 bits, where it cannot wrap for a 32-bit memory, and the exact check cannot overflow either, which
 * keeps it correct for memory64 addresses too. Accesses go through memcpy: Wasm alignment is only a hint. */
#ifndef KILN_MEMORY_H
#define KILN_MEMORY_H

#include <string.h>

#include "kiln_abi.h"
#include "kiln_attrs.h"
#include "kiln_integer.h"
#include "kiln_trap.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "Kiln copies Wasm's little-endian values with memcpy, so it needs a little-endian target"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_PAGE_SIZE 65536u
/* 4 GiB: the most pages a 32-bit memory can have. */
#define KILN_MAX_PAGES 65536u
#define KILN_GROW_FAILED 0xFFFFFFFFu

/* An index below m->limit (size - KILN_SLACK, or 0) is in bounds for any access whose offset + width is at
 * most KILN_SLACK, whatever the offset: the common access then compares its index alone, with no add, and
 * accesses through one index at different offsets (a struct's fields) share that one comparison, which
 * clang merges. The last KILN_SLACK bytes of memory and larger offsets take the exact test. */
#define KILN_SLACK 4096u
static inline u64 kiln_memory_limit(u64 size) { return size > KILN_SLACK ? size - KILN_SLACK : 0; }

/* The checked address of n bytes at idx + off (off is the instruction's constant offset; a 32-bit memory's
 * idx is a zero-extended u32, a 64-bit memory's the address kiln_address64 already checked, with off 0). The
 * trap is a call to a noreturn function, so the compiler keeps the check even when the loaded value is dead.
 * The exact test computes its end with overflow checks, so it holds for any u64 address. */
static inline u8* kiln_memory_ptr(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 n) {
#if defined(KILN_BOUNDS_GUARD) && KILN_BOUNDS_GUARD
  /* Bounds mode "guard": the memory is guarded (checked at instantiation), so an index past `size` faults
   * in the reservation's inaccessible pages and the host's handler turns the fault into this trap. */
  (void)ctx;
  (void)n;
  return m->data + idx + off;
#endif
  /* Generated code passes off and n as literals, so after inlining clang keeps one of the two branches. Not
   * __builtin_constant_p: it is resolved only at the end of clang's pipeline, so every pass saw both. Not
   * `off + n <= KILN_SLACK` either: a huge off would wrap that sum into the index-only test. */
  if (n <= KILN_SLACK && off <= KILN_SLACK - n) {
    u64 end;
    if (KILN_UNLIKELY(idx >= m->limit) && (__builtin_add_overflow(idx, off + n, &end) || end > m->size))
      kiln_trap(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS);
  } else {
    u64 addr, end;
    if (KILN_UNLIKELY(__builtin_add_overflow(idx, off, &addr) || __builtin_add_overflow(addr, n, &end) ||
                      end > m->size)) {
      kiln_trap(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS);
    }
  }
  return m->data + idx + off;
}

/* The check of a load widened to cover later loads and stores through the same base (explicit bounds mode;
 * Sources/KilnLower/WidenedChecks.swift): traps unless [addr, addr + n) lies inside memory m. */
static inline void kiln_memory_check(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 n) { (void)kiln_memory_ptr(ctx, m, idx, off, n); }

/* Bounds mode "guard": a load is checked by the fault its bytes cause, so all of them must be read. clang
 * drops a load whose value is never used and narrows one whose value is only partly used (a wrap, a mask,
 * one lane) to the bytes used, which can stop short of the guard page: the access then returns instead of
 * trapping. Passing the whole value
 * to an empty asm (implicitly volatile: it has no outputs) makes clang load all of it, as wasm2c's
 * FORCE_READ does. Versioned loops' unchecked copies (kiln_loop.h) read without it: their range is checked. */
#if defined(KILN_BOUNDS_GUARD) && KILN_BOUNDS_GUARD
#define KILN_READ_INT(v) __asm__("" : : "r"(v))
#if defined(__x86_64__) || defined(__i386__)
#define KILN_READ_VEC(v) __asm__("" : : "x"(v))
#elif defined(__aarch64__)
#define KILN_READ_VEC(v) __asm__("" : : "w"(v))
#else
#define KILN_READ_VEC(v) __asm__("" : : "m"(v))
#endif
#else
#define KILN_READ_INT(v) ((void)0)
#define KILN_READ_VEC(v) ((void)0)
#endif

/* Makes clang keep the computation of x (bounds mode "guard": a dropped load must still fault). */
#define KILN_KEEP(x)                                 \
  do {                                               \
    __typeof__(x) kiln_kept = (x);                   \
    __asm__ volatile("" : : "m"(kiln_kept) : "memory"); \
  } while (0)

/* A compiler barrier: memory accesses are not moved across it (bounds mode "guard", once per loop iteration). */
#define KILN_ORDER() __asm__ volatile("" : : : "memory")

static inline u32 kiln_memory_size(kiln_memory* m) { return (u32)m->pages; }

/* Copies a memory's descriptor into a function's local view again after a call or memory.grow (it may have
 * grown, or moved). A memory never shrinks, so the new size is at least the old one: telling clang so keeps
 * every bound it proved before the call (PERF-LEADS.md, lead 5; Lua -5 % instructions). */
static inline void kiln_memory_refresh(kiln_memory* view, const kiln_memory* memory) {
  const u64 before = view->size;
  const u64 limit_before = view->limit; /* the limit grows with the size: checks against it hold too */
  *view = *memory;
  __builtin_assume(view->size >= before);
  __builtin_assume(view->limit >= limit_before);
}

static inline u32 kiln_i32_load(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u32 v;
  memcpy(&v, kiln_memory_ptr(ctx, m, idx, off, 4), 4);
  KILN_READ_INT(v);
  return v;
}
static inline u64 kiln_i64_load(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u64 v;
  memcpy(&v, kiln_memory_ptr(ctx, m, idx, off, 8), 8);
  KILN_READ_INT(v);
  return v;
}
static inline f32 kiln_f32_load(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  f32 v;
  memcpy(&v, kiln_memory_ptr(ctx, m, idx, off, 4), 4);
  KILN_READ_VEC(v);
  return v;
}
static inline f64 kiln_f64_load(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  f64 v;
  memcpy(&v, kiln_memory_ptr(ctx, m, idx, off, 8), 8);
  KILN_READ_VEC(v);
  return v;
}
static inline kiln_v128 kiln_v128_load(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  kiln_v128 v;
  memcpy(&v, kiln_memory_ptr(ctx, m, idx, off, 16), 16);
  KILN_READ_VEC(v);
  return v;
}

static inline u32 kiln_i32_load8_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u8 v = *kiln_memory_ptr(ctx, m, idx, off, 1);
  KILN_READ_INT(v); /* a byte cannot be narrowed, but a load whose value is unused can be dropped */
  return v;
}
static inline u32 kiln_i32_load8_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i32_extend8_s(kiln_i32_load8_u(ctx, m, idx, off));
}
static inline u32 kiln_i32_load16_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  u16 v;
  memcpy(&v, kiln_memory_ptr(ctx, m, idx, off, 2), 2);
  KILN_READ_INT(v);
  return v;
}
static inline u32 kiln_i32_load16_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i32_extend16_s(kiln_i32_load16_u(ctx, m, idx, off));
}

static inline u64 kiln_i64_load8_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i32_load8_u(ctx, m, idx, off);
}
static inline u64 kiln_i64_load8_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i64_extend8_s(kiln_i64_load8_u(ctx, m, idx, off));
}
static inline u64 kiln_i64_load16_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i32_load16_u(ctx, m, idx, off);
}
static inline u64 kiln_i64_load16_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i64_extend16_s(kiln_i32_load16_u(ctx, m, idx, off));
}
static inline u64 kiln_i64_load32_u(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i32_load(ctx, m, idx, off);
}
static inline u64 kiln_i64_load32_s(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off) {
  return kiln_i64_extend32_s(kiln_i32_load(ctx, m, idx, off));
}

static inline void kiln_i32_store(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  memcpy(kiln_memory_ptr(ctx, m, idx, off, 4), &value, 4);
}
static inline void kiln_i64_store(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  memcpy(kiln_memory_ptr(ctx, m, idx, off, 8), &value, 8);
}
static inline void kiln_f32_store(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, f32 value) {
  memcpy(kiln_memory_ptr(ctx, m, idx, off, 4), &value, 4);
}
static inline void kiln_f64_store(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, f64 value) {
  memcpy(kiln_memory_ptr(ctx, m, idx, off, 8), &value, 8);
}
/* One 16-byte store instruction at every -O level: at -O0 clang copies a memcpy of 16 bytes as two 8-byte
 * moves, so in bounds mode "guard" a store straddling the end of memory wrote its first half before the
 * second faulted (a trapping store must write nothing). */
typedef u8 kiln_v128_unaligned __attribute__((vector_size(16), aligned(1), may_alias));
static inline void kiln_v128_store(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, kiln_v128 value) {
  *(kiln_v128_unaligned*)kiln_memory_ptr(ctx, m, idx, off, 16) = value;
}
static inline void kiln_i32_store8(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  *kiln_memory_ptr(ctx, m, idx, off, 1) = (u8)value;
}
static inline void kiln_i32_store16(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u32 value) {
  u16 v = (u16)value;
  memcpy(kiln_memory_ptr(ctx, m, idx, off, 2), &v, 2);
}
static inline void kiln_i64_store8(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  *kiln_memory_ptr(ctx, m, idx, off, 1) = (u8)value;
}
static inline void kiln_i64_store16(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  u16 v = (u16)value;
  memcpy(kiln_memory_ptr(ctx, m, idx, off, 2), &v, 2);
}
static inline void kiln_i64_store32(kiln_ctx* ctx, kiln_memory* m, u64 idx, u64 off, u64 value) {
  u32 v = (u32)value;
  memcpy(kiln_memory_ptr(ctx, m, idx, off, 4), &v, 4);
}

/* Defined in src/memory.c. memory.grow never traps: it returns the old page count or KILN_GROW_FAILED. */
KILN_HIDDEN u32 kiln_memory_grow(kiln_ctx* ctx, kiln_memory* m, u32 delta);

/* 64-bit memories (memory64). An access's effective address idx + offset is checked here, in every bounds
 * mode: it may overflow u64, and guard pages cover 32-bit indices only, so a 64-bit memory always has
 * explicit checks. The helper the access then goes through checks again in explicit mode; clang merges the
 * two identical tests. Kiln gives a 64-bit memory at most KILN_MAX_PAGES pages (4 GiB), like a 32-bit one:
 * memory.grow past that returns -1, as the spec allows. */
static inline u64 kiln_address64(kiln_ctx* ctx, const kiln_memory* m, u64 idx, u64 offset, u64 n) {
  u64 addr, end;
  if (KILN_UNLIKELY(__builtin_add_overflow(idx, offset, &addr) || __builtin_add_overflow(addr, n, &end) ||
                    end > m->size))
    kiln_trap(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS);
  return addr;
}
static inline u64 kiln_memory_size64(const kiln_memory* m) { return m->pages; }
#define KILN_GROW_FAILED64 UINT64_MAX
KILN_HIDDEN u64 kiln_memory_grow64(kiln_ctx* ctx, kiln_memory* m, u64 delta);
/* Reserves the maximum (capped by limit_pages when non-zero, and by src/memory.c's initial reservation;
 * less when the OS refuses that; growth past the reservation then moves `data`) and commits min_pages; 0, or
 * -1 with errno set. */
KILN_HIDDEN int kiln_memory_new(kiln_memory* m, u64 min_pages, u64 max_pages, u64 limit_pages);
/* Makes an explicit-mode memory's reservation all it can reach (moving it if need be), so that `data` never
 * moves again: what a shared memory needs. 0, or -1 when the OS refuses the address space. */
KILN_HIDDEN int kiln_memory_reserve_whole(kiln_memory* m);
/* 8 GiB and a page: any u32 index + u32 offset + access size (< 2^33 + 16) stays inside. */
#define KILN_GUARD_BYTES ((1ull << 33) + KILN_PAGE_SIZE)
/* A memory reserving KILN_GUARD_BYTES, on ctx's list of guarded memories (its `data` never moves); 0, or -1
 * with errno set. */
KILN_HIDDEN int kiln_memory_new_guarded(kiln_ctx* ctx, kiln_memory* m, u64 min_pages, u64 max_pages, u64 limit_pages);
/* Memory `index` of an instance being initialised (generated kiln_init): kiln_memory_new_guarded when
 * `guarded`, else kiln_memory_new, with ctx's page limit. When the limit is below min_pages or the OS
 * refuses the memory, traps KILN_TRAP_INSTANTIATION with ctx->trap_detail saying how much was asked and which
 * option lowers it. */
KILN_HIDDEN void kiln_memory_define(kiln_ctx* ctx, kiln_memory* m, u32 index, u64 min_pages, u64 max_pages,
                                    int guarded);
static inline int kiln_memory_is_guarded(const kiln_memory* m) { return m->guard_link != NULL; }
/* Frees the reservation, and a shared memory's state (kiln_memory_unshare). */
KILN_HIDDEN void kiln_memory_free(kiln_memory* m);
/* Makes a memory just defined a shared one (threads): its whole reach reserved (kiln_memory_reserve_whole),
 * its lock and wait queues (src/shared_memory.c). Traps KILN_TRAP_INSTANTIATION when the OS refuses the
 * reservation (it could not grow without moving). */
KILN_HIDDEN void kiln_memory_share(kiln_ctx* ctx, kiln_memory* m, u32 index);
/* The same for the host: 0, or -1 (the reservation falls short of the reach, or no memory for the state). */
KILN_HIDDEN int kiln_memory_make_shared(kiln_memory* m);
KILN_HIDDEN void kiln_memory_unshare(kiln_memory* m);
/* Growth of a shared memory is serialised; no-ops for any other. */
KILN_HIDDEN void kiln_memory_grow_lock(kiln_memory* m);
KILN_HIDDEN void kiln_memory_grow_unlock(kiln_memory* m);

/* Bulk memory: the whole range is checked first, so a trap leaves memory untouched. */
/* Offsets and lengths are u64 for 64-bit memories; 32-bit ones pass zero-extended u32 values. */

/* The spec's bounds rule for bulk operations: offset + n must not exceed the length, computed without
 * wrapping (u64 offsets of memory64 included). n == 0 at offset == length is in bounds. */
static inline int kiln_memory_range_ok(u64 offset, u64 n, u64 length) { return offset <= length && n <= length - offset; }

/* The size a bulk operation checks against. Bulk helpers take the descriptor itself, which for a shared
 * memory (threads) another thread may grow meanwhile, so the size is an atomic load (a plain move on x86). */
static inline u64 kiln_memory_bulk_size(const kiln_memory* m) { return __atomic_load_n(&m->size, __ATOMIC_RELAXED); }

/* fill and copy are inline: libc's memcpy and memcmp compile to memory.copy, often of a few bytes, and out of
 * line the checks read the memory's size and base through the descriptor on every call (SQLite: 10.5M
 * instructions in kiln_memory_copy itself against 5.0M for wasm2c's inline memory_copy, 1.5 % of the run). */
static inline void kiln_memory_fill(kiln_ctx* ctx, kiln_memory* m, u64 d, u32 value, u64 n) {
  if (KILN_UNLIKELY(!kiln_memory_range_ok(d, n, kiln_memory_bulk_size(m)))) kiln_trap(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS);
  if (n != 0) memset(m->data + d, (int)(value & 0xFFu), n); /* n == 0: data may be NULL */
}
static inline void kiln_memory_copy(kiln_ctx* ctx, kiln_memory* dst, kiln_memory* src, u64 d, u64 s, u64 n) {
  if (KILN_UNLIKELY(!kiln_memory_range_ok(d, n, kiln_memory_bulk_size(dst)) ||
                    !kiln_memory_range_ok(s, n, kiln_memory_bulk_size(src))))
    kiln_trap(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS);
  if (n != 0) memmove(dst->data + d, src->data + s, n);
}
KILN_HIDDEN void kiln_memory_init(kiln_ctx* ctx, kiln_memory* m, const u8* data, u32 data_len, u64 d, u32 s,
                                  u32 n);

#ifdef __cplusplus
}
#endif
#endif
