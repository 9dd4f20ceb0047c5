/* Linear memory lifetime and growth, and the bulk memory instructions.
 *
 * A memory reserves its whole possible size once (PROT_NONE, no swap accounting) and grows by making more
 * of the reservation accessible, so `data` never moves and generated code may keep it across calls.
 * Fresh anonymous pages read as zero, which is what memory.grow promises. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS / MAP_NORESERVE under -std=c11 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "kiln_memory.h"

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

int kiln_memory_new(kiln_memory* m, u64 min_pages, u64 max_pages, u64 limit_pages) {
  memset(m, 0, sizeof *m);
  if (min_pages > max_pages || max_pages > KILN_MAX_PAGES) return -1;
  /* Growth past the store's limit can never succeed, so there is no point reserving it. */
  u64 reserve_pages = max_pages;
  if (limit_pages != 0 && reserve_pages > limit_pages) reserve_pages = limit_pages;
  if (min_pages > reserve_pages) return -1;
  u64 reserve_bytes = reserve_pages * KILN_PAGE_SIZE; /* at most 2^32: no overflow */
  if (reserve_bytes > SIZE_MAX) return -1;
  u8* data = NULL; /* a 0-page maximum reserves nothing; every access then fails the size check */
  if (reserve_bytes != 0) {
    void* p = mmap(NULL, (size_t)reserve_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return -1;
    if (min_pages != 0 && mprotect(p, (size_t)(min_pages * KILN_PAGE_SIZE), PROT_READ | PROT_WRITE) != 0) {
      munmap(p, (size_t)reserve_bytes);
      return -1;
    }
    data = p;
  }
  m->data = data;
  m->pages = min_pages;
  m->size = min_pages * KILN_PAGE_SIZE;
  m->max_pages = max_pages;
  m->reserved = reserve_bytes;
  return 0;
}

int kiln_memory_new_guarded(kiln_ctx* ctx, kiln_memory* m, u64 min_pages, u64 max_pages, u64 limit_pages) {
  memset(m, 0, sizeof *m);
  if (min_pages > max_pages || max_pages > KILN_MAX_PAGES) return -1;
  if (limit_pages != 0 && min_pages > limit_pages) return -1;
  if (KILN_GUARD_BYTES > SIZE_MAX) return -1;
  void* p = mmap(NULL, (size_t)KILN_GUARD_BYTES, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return -1;
  if (min_pages != 0 && mprotect(p, (size_t)(min_pages * KILN_PAGE_SIZE), PROT_READ | PROT_WRITE) != 0) {
    munmap(p, (size_t)KILN_GUARD_BYTES);
    return -1;
  }
  m->data = p;
  m->pages = min_pages;
  m->size = min_pages * KILN_PAGE_SIZE;
  m->max_pages = max_pages;
  /* Growth stays within 4 GiB (max_pages); the rest of the reservation is the guard. */
  m->reserved = KILN_GUARD_BYTES;
  m->guard_next = ctx->guarded;
  if (ctx->guarded != NULL) ctx->guarded->guard_link = &m->guard_next;
  m->guard_link = &ctx->guarded;
  ctx->guarded = m;
  return 0;
}

void kiln_memory_free(kiln_memory* m) {
  if (m->guard_link != NULL) {
    *m->guard_link = m->guard_next;
    if (m->guard_next != NULL) m->guard_next->guard_link = m->guard_link;
  }
  if (m->data != NULL && m->reserved != 0) munmap(m->data, (size_t)m->reserved);
  memset(m, 0, sizeof *m);
}

u32 kiln_memory_grow(kiln_ctx* ctx, kiln_memory* m, u32 delta) {
  u64 old_pages = m->pages;
  if (delta == 0) return (u32)old_pages; /* even when the memory already exceeds a lowered limit */
  u64 new_pages = old_pages + delta; /* at most 2^16 + 2^32: all sizes below stay far from 2^64 */
  if (new_pages > m->max_pages) return KILN_GROW_FAILED;
  if (ctx != NULL && ctx->max_memory_pages != 0 && new_pages > ctx->max_memory_pages) return KILN_GROW_FAILED;
  u64 new_size = new_pages * KILN_PAGE_SIZE;
  if (new_size > m->reserved) return KILN_GROW_FAILED;
  if (mprotect(m->data + m->size, (size_t)(new_size - m->size), PROT_READ | PROT_WRITE) != 0)
    return KILN_GROW_FAILED; /* the OS refused (overcommit policy, address-space limit) */
  m->pages = new_pages;
  m->size = new_size;
  return (u32)old_pages;
}

/* The spec's bounds rule for bulk operations: offset + n must not exceed the length, computed without
 * wrapping. n == 0 at offset == length is in bounds. */
static int kiln_range_ok(u32 offset, u32 n, u64 length) { return (u64)offset + n <= length; }

void kiln_memory_fill(kiln_ctx* ctx, kiln_memory* m, u32 d, u32 value, u32 n) {
  if (KILN_UNLIKELY(!kiln_range_ok(d, n, m->size))) kiln_trap(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS);
  if (n != 0) memset(m->data + d, (int)(value & 0xFFu), n); /* n == 0: data may be NULL */
}

void kiln_memory_copy(kiln_ctx* ctx, kiln_memory* dst, kiln_memory* src, u32 d, u32 s, u32 n) {
  if (KILN_UNLIKELY(!kiln_range_ok(d, n, dst->size) || !kiln_range_ok(s, n, src->size)))
    kiln_trap(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS);
  if (n != 0) memmove(dst->data + d, src->data + s, n);
}

void kiln_memory_init(kiln_ctx* ctx, kiln_memory* m, const u8* data, u32 data_len, u32 d, u32 s, u32 n) {
  if (KILN_UNLIKELY(!kiln_range_ok(d, n, m->size) || !kiln_range_ok(s, n, data_len)))
    kiln_trap(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS);
  if (n != 0) memcpy(m->data + d, data + s, n);
}
