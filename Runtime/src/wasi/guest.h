/* The one door into guest memory for WASI calls. Every pointer and length the guest passes is checked by
 * kiln_guest_range before a byte is touched; nothing else in src/wasi reads mem->data. The sum is
 * computed in 64 bits and the comparison is written so it cannot overflow even for 64-bit addresses.
 * A returned pointer is good until memory grows (growth may move `data`, src/memory.c): a WASI call never
 * grows memory or runs guest code, so it may use its pointers until it returns, and no longer. */
#ifndef KILN_WASI_GUEST_H
#define KILN_WASI_GUEST_H

#include <string.h>

#include "kiln_abi.h"

/* A valid address for the empty range of a memory with no pages (data may then be NULL, and NULL + 0 is
 * undefined in C). Never written: every copy through it has length 0. */
static u8 kiln_guest_nothing_;

/* The host address of guest bytes [ptr, ptr + len), or NULL (EFAULT) if any of them lies outside mem. */
static inline u8* kiln_guest_range(kiln_memory* mem, u64 ptr, u64 len) {
  if (mem == NULL) return NULL;
  /* Atomic: another thread may grow a shared memory (threads) meanwhile; a shared memory's data never moves. */
  const u64 size = __atomic_load_n(&mem->size, __ATOMIC_ACQUIRE);
  if (ptr > size || size - ptr < len) return NULL;
  if (mem->data == NULL) return &kiln_guest_nothing_; /* size 0: only (0, 0) gets here */
  return mem->data + ptr;
}

/* Little-endian fields inside a range kiln_guest_range returned (or any host buffer). */
static inline u16 kiln_get_u16(const u8* p) { u16 v; memcpy(&v, p, 2); return v; }
static inline u32 kiln_get_u32(const u8* p) { u32 v; memcpy(&v, p, 4); return v; }
static inline u64 kiln_get_u64(const u8* p) { u64 v; memcpy(&v, p, 8); return v; }
static inline void kiln_put_u16(u8* p, u16 v) { memcpy(p, &v, 2); }
static inline void kiln_put_u32(u8* p, u32 v) { memcpy(p, &v, 4); }
static inline void kiln_put_u64(u8* p, u64 v) { memcpy(p, &v, 8); }

#endif
