/* Linear memory lifetime and growth, and the bulk memory instructions.
 *
 * Bounds mode "explicit": a memory reserves (PROT_NONE, no swap accounting) what it can reach, its maximum
 * capped by the store's page limit, up to KILN_INITIAL_RESERVATION (or its minimum, if more), and grows by
 * making more of the reservation accessible, so `data` normally stays put. Growth past the reservation moves
 * it (mremap, which moves page tables rather than bytes, else a copy) into one twice as large. Under an
 * address-space limit (ulimit -v) the first reservation can fail: the memory then takes the largest of its
 * halves, down to its minimum, that the OS grants. A shared memory, which must never move, reserves its whole
 * reach (kiln_memory_reserve_whole). That is safe because nothing keeps `data` across a call that
 * can grow memory: generated code reloads its view of memory 0 after every call and memory.grow (and its
 * versioned loops contain neither), the bulk helpers below and the WASI functions (src/wasi/guest.h) take
 * the address afresh on each call and never grow memory, and the host only creates guarded memories.
 *
 * Bounds mode "guard": the 8 GiB reservation is what checks the bounds, so it cannot shrink or move; when
 * the OS refuses it, instantiation says how much was asked and that --bounds explicit asks for less.
 *
 * Fresh anonymous pages read as zero, which is what memory.grow promises. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mremap; MAP_ANONYMOUS / MAP_NORESERVE under -std=c11 */
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "kiln_memory.h"
#include "kiln_limits.h"

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

/* The page count and what follows from it: the size, and the limit the index-only checks compare with.
 * Atomic stores, for a shared memory's other threads (kiln_shared_memory.h): the pages are accessible
 * before the new size is published. */
static void kiln_memory_set_pages(kiln_memory* m, u64 pages) {
  __atomic_store_n(&m->limit, kiln_memory_limit(pages * KILN_PAGE_SIZE), __ATOMIC_RELEASE);
  __atomic_store_n(&m->pages, pages, __ATOMIC_RELEASE);
  __atomic_store_n(&m->size, pages * KILN_PAGE_SIZE, __ATOMIC_RELEASE);
}

/* The most an explicit-mode memory reserves when it is made. Releasing a reservation costs the kernel a walk
 * over its whole range: a small module's instantiation and release took 22 us with a 4 GiB reservation, a
 * quarter of it in munmap's page-table walk. Past this, growth moves the memory (mremap, no copy). */
#define KILN_INITIAL_RESERVATION (256ull << 20)

/* An inaccessible reservation of `bytes` (a non-zero multiple of the page size), or NULL with errno set. */
static u8* kiln_reserve(u64 bytes) {
  if (bytes > SIZE_MAX) {
    errno = ENOMEM;
    return NULL;
  }
  void* p = mmap(NULL, (size_t)bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

int kiln_memory_new(kiln_memory* m, u64 min_pages, u64 max_pages, u64 limit_pages) {
  memset(m, 0, sizeof *m);
  if (min_pages > max_pages || max_pages > KILN_MAX_PAGES) {
    errno = EINVAL;
    return -1;
  }
  /* Growth past the store's limit can never succeed, so there is no point reserving it. */
  u64 reach_pages = max_pages;
  if (limit_pages != 0 && reach_pages > limit_pages) reach_pages = limit_pages;
  if (min_pages > reach_pages) {
    errno = EINVAL;
    return -1;
  }
  const u64 reach = reach_pages * KILN_PAGE_SIZE; /* at most 2^32: no overflow */
  const u64 min_bytes = min_pages * KILN_PAGE_SIZE;
  /* A 0-page reach reserves nothing; every access then fails the size check. Otherwise the whole reach,
   * or under an address-space limit the largest half of it (down to the minimum) the OS grants. A 0-page
   * minimum may end with no reservation at all: growth then maps one. */
  u8* data = NULL;
  u64 ask = reach;
  if (ask > KILN_INITIAL_RESERVATION) ask = min_bytes > KILN_INITIAL_RESERVATION ? min_bytes : KILN_INITIAL_RESERVATION;
  while (ask != 0) {
    data = kiln_reserve(ask);
    if (data != NULL || ask <= min_bytes) break;
    ask = (ask / 2) & ~(u64)(KILN_PAGE_SIZE - 1);
    if (ask < min_bytes) ask = min_bytes;
  }
  if (ask != 0 && data == NULL) return -1; /* not even the minimum: errno says why */
  if (min_bytes != 0 && mprotect(data, (size_t)min_bytes, PROT_READ | PROT_WRITE) != 0) {
    int e = errno;
    munmap(data, (size_t)ask);
    errno = e;
    return -1;
  }
  m->data = data;
  kiln_memory_set_pages(m, min_pages);
  m->max_pages = max_pages;
  m->reserved = data != NULL ? ask : 0;
  m->reach = reach;
  return 0;
}

int kiln_memory_new_guarded(kiln_ctx* ctx, kiln_memory* m, u64 min_pages, u64 max_pages, u64 limit_pages) {
  memset(m, 0, sizeof *m);
  if (min_pages > max_pages || max_pages > KILN_MAX_PAGES || (limit_pages != 0 && min_pages > limit_pages)) {
    errno = EINVAL;
    return -1;
  }
  u8* p = kiln_reserve(KILN_GUARD_BYTES);
  if (p == NULL) return -1;
  if (min_pages != 0 && mprotect(p, (size_t)(min_pages * KILN_PAGE_SIZE), PROT_READ | PROT_WRITE) != 0) {
    int e = errno;
    munmap(p, (size_t)KILN_GUARD_BYTES);
    errno = e;
    return -1;
  }
  m->data = p;
  kiln_memory_set_pages(m, min_pages);
  m->max_pages = max_pages;
  /* Growth stays within 4 GiB (max_pages); the rest of the reservation is the guard. */
  m->reserved = KILN_GUARD_BYTES;
  m->reach = (limit_pages != 0 && limit_pages < max_pages ? limit_pages : max_pages) * KILN_PAGE_SIZE;
  m->guard_next = ctx->guarded;
  if (ctx->guarded != NULL) ctx->guarded->guard_link = &m->guard_next;
  m->guard_link = &ctx->guarded;
  ctx->guarded = m;
  return 0;
}

/* "4 GiB", "1 MiB", "320 KiB": a multiple of 64 KiB for a person. */
static void kiln_format_bytes(char* out, size_t n, u64 bytes) {
  if (bytes != 0 && bytes % (1ull << 30) == 0) snprintf(out, n, "%llu GiB", (unsigned long long)(bytes >> 30));
  else if (bytes != 0 && bytes % (1ull << 20) == 0) snprintf(out, n, "%llu MiB", (unsigned long long)(bytes >> 20));
  else snprintf(out, n, "%llu KiB", (unsigned long long)(bytes >> 10));
}

void kiln_memory_define(kiln_ctx* ctx, kiln_memory* m, u32 index, u64 min_pages, u64 max_pages, int guarded) {
  /* A memory that fails to be defined is an empty one, whatever its storage held before. */
  memset(m, 0, sizeof *m);
  const u64 limit = ctx->max_memory_pages;
  /* A 64-bit memory may declare up to 2^48 pages; it reaches at most KILN_MAX_PAGES (kiln_memory.h). */
  const u64 declared_max = max_pages;
  if (max_pages > KILN_MAX_PAGES) max_pages = min_pages > KILN_MAX_PAGES ? min_pages : KILN_MAX_PAGES;
  if (limit != 0 && min_pages > limit) {
    kiln_instantiation_failed(ctx, "memory %u needs %llu pages at minimum but --max-memory-pages is %llu", index,
                              (unsigned long long)min_pages, (unsigned long long)limit);
  }
  if (kiln_store_memory_take(ctx, min_pages * KILN_PAGE_SIZE) != 0) {
    char minimum[32], cap[32];
    kiln_format_bytes(minimum, sizeof minimum, min_pages * KILN_PAGE_SIZE);
    kiln_format_bytes(cap, sizeof cap, ctx->max_store_memory_bytes);
    kiln_instantiation_failed(ctx, "memory %u needs %s at minimum, more than the store's memories may hold (--max-store-memory %s)",
                              index, minimum, cap);
  }
  int rc = guarded ? kiln_memory_new_guarded(ctx, m, min_pages, max_pages, limit)
                   : kiln_memory_new(m, min_pages, max_pages, limit);
  if (rc == 0) {
    m->max_pages = declared_max; /* growth still stops at the reach */
    return;
  }
  const char* why = strerror(errno);
  char asked[32], least[32];
  if (guarded) {
    kiln_format_bytes(asked, sizeof asked, KILN_GUARD_BYTES - KILN_PAGE_SIZE);
    kiln_instantiation_failed(ctx,
                              "memory %u: cannot reserve the %s of address space that --bounds guard needs: %s "
                              "(compile with --bounds explicit, which reserves no more than --max-memory-pages)",
                              index, asked, why);
  }
  const u64 reach_pages = limit != 0 && limit < max_pages ? limit : max_pages;
  kiln_format_bytes(asked, sizeof asked, reach_pages * KILN_PAGE_SIZE);
  kiln_format_bytes(least, sizeof least, min_pages * KILN_PAGE_SIZE);
  kiln_instantiation_failed(ctx,
                            "memory %u: cannot reserve %s (%llu pages) of address space, nor its minimum of %s: %s "
                            "(lower what memories may grow to with --max-memory-pages N, or raise ulimit -v)",
                            index, asked, (unsigned long long)reach_pages, least, why);
}

void kiln_memory_free(kiln_memory* m) {
  kiln_memory_unshare(m);
  if (m->guard_link != NULL) {
    *m->guard_link = m->guard_next;
    if (m->guard_next != NULL) m->guard_next->guard_link = m->guard_link;
  }
  if (m->data != NULL && m->reserved != 0) munmap(m->data, (size_t)m->reserved);
  memset(m, 0, sizeof *m);
}

/* Replaces an explicit-mode memory's reservation, too small for `bytes`, with one of at least `bytes`
 * (twice the old one when the OS allows, for the growth after this), contents kept. 0, or -1 with the
 * memory as it was (its contents and size; the reservation may have shrunk to the accessible part).
 * On Linux mremap moves the accessible pages without copying them and needs only the extra address
 * space, which matters under the very address-space limit that made the reservation small. */
static int kiln_memory_move(kiln_memory* m, u64 bytes) {
  u64 roomy = m->reserved * 2 > bytes ? m->reserved * 2 : bytes;
  if (roomy > m->reach) roomy = m->reach;
  if (roomy > SIZE_MAX || bytes > SIZE_MAX) return -1;
  if (m->size == 0) { /* nothing to keep: the old reservation goes first, to leave room for the new */
    if (m->data != NULL) munmap(m->data, (size_t)m->reserved);
    m->data = NULL;
    m->reserved = 0; /* a 0-page memory without a reservation is a valid one, should the next fail */
    u8* p = kiln_reserve(roomy);
    if (p == NULL) roomy = bytes, p = kiln_reserve(bytes);
    if (p == NULL) return -1;
    m->data = p;
    m->reserved = roomy;
    return 0;
  }
#ifdef MREMAP_MAYMOVE
  /* mremap needs one mapping: drop the inaccessible tail, so only the accessible pages remain. */
  if (m->reserved > m->size && munmap(m->data + m->size, (size_t)(m->reserved - m->size)) == 0) m->reserved = m->size;
  if (m->reserved == m->size) {
    u64 got = roomy;
    void* p = mremap(m->data, (size_t)m->size, (size_t)roomy, MREMAP_MAYMOVE);
    if (p == MAP_FAILED) got = bytes, p = mremap(m->data, (size_t)m->size, (size_t)bytes, MREMAP_MAYMOVE);
    if (p != MAP_FAILED) {
      /* The new pages are as accessible as the old; only what memory.grow commits may be. */
      if (got > m->size) mprotect((u8*)p + m->size, (size_t)(got - m->size), PROT_NONE);
      m->data = p;
      m->reserved = got;
      return 0;
    }
  }
#endif
  /* Elsewhere (or when mremap refuses): a new reservation, a copy, the old one released. */
  u8* p = kiln_reserve(roomy);
  if (p == NULL) roomy = bytes, p = kiln_reserve(bytes);
  if (p == NULL) return -1;
  if (mprotect(p, (size_t)m->size, PROT_READ | PROT_WRITE) != 0) {
    munmap(p, (size_t)roomy);
    return -1;
  }
  memcpy(p, m->data, (size_t)m->size);
  munmap(m->data, (size_t)m->reserved);
  m->data = p;
  m->reserved = roomy;
  return 0;
}

int kiln_memory_reserve_whole(kiln_memory* m) {
  if (kiln_memory_is_guarded(m) || m->reserved >= m->reach) return 0;
  return kiln_memory_move(m, m->reach);
}

static u32 kiln_memory_grow_locked(kiln_ctx* ctx, kiln_memory* m, u32 delta);

/* A shared memory's growth holds its lock: two threads growing at once each get their own old size. */
u32 kiln_memory_grow(kiln_ctx* ctx, kiln_memory* m, u32 delta) {
  if (!m->shared) return kiln_memory_grow_locked(ctx, m, delta);
  kiln_memory_grow_lock(m);
  const u32 old = kiln_memory_grow_locked(ctx, m, delta);
  kiln_memory_grow_unlock(m);
  return old;
}

static u32 kiln_memory_grow_locked(kiln_ctx* ctx, kiln_memory* m, u32 delta) {
  u64 old_pages = m->pages;
  if (delta == 0) return (u32)old_pages; /* even when the memory already exceeds a lowered limit */
  u64 new_pages = old_pages + delta; /* at most 2^16 + 2^32: all sizes below stay far from 2^64 */
  if (new_pages > m->max_pages) return KILN_GROW_FAILED;
  if (ctx != NULL && ctx->max_memory_pages != 0 && new_pages > ctx->max_memory_pages) return KILN_GROW_FAILED;
  u64 new_size = new_pages * KILN_PAGE_SIZE;
  if (new_size > m->reach) return KILN_GROW_FAILED;
  /* Past the reservation (explicit mode under an address-space limit): `data` moves; never a shared memory's,
   * whose reservation is its whole reach (kiln_memory_share). */
  if (new_size > m->reserved && (kiln_memory_is_guarded(m) || m->shared || kiln_memory_move(m, new_size) != 0))
    return KILN_GROW_FAILED;
  if (kiln_store_memory_take(ctx, new_size - m->size) != 0) return KILN_GROW_FAILED;
  if (mprotect(m->data + m->size, (size_t)(new_size - m->size), PROT_READ | PROT_WRITE) != 0) {
    if (ctx != NULL) ctx->memory_bytes -= new_size - m->size;
    return KILN_GROW_FAILED; /* the OS refused (overcommit policy, address-space limit) */
  }
  kiln_memory_set_pages(m, new_pages);
  return (u32)old_pages;
}

u64 kiln_memory_grow64(kiln_ctx* ctx, kiln_memory* m, u64 delta) {
  if (delta > KILN_MAX_PAGES) return KILN_GROW_FAILED64; /* more than any memory may reach */
  const u32 old = kiln_memory_grow(ctx, m, (u32)delta);
  return old == KILN_GROW_FAILED ? KILN_GROW_FAILED64 : old; /* pages never reach 2^32 - 1 */
}

void kiln_memory_init(kiln_ctx* ctx, kiln_memory* m, const u8* data, u32 data_len, u64 d, u32 s, u32 n) {
  if (KILN_UNLIKELY(!kiln_memory_range_ok(d, n, kiln_memory_bulk_size(m)) || !kiln_memory_range_ok(s, n, data_len)))
    kiln_trap(ctx, KILN_TRAP_MEMORY_OUT_OF_BOUNDS);
  if (n != 0) memcpy(m->data + d, data + s, n);
}
