/* clock_res_get and clock_time_get over the host's POSIX clocks. All four WASI clocks exist on Linux; a
 * host without the CPU-time clocks reports EINVAL for them, as an unknown id does. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <time.h>

#include "guest.h"
#include "wasi_state.h"

u32 kiln_wasi_clock(u32 id, clockid_t* out) {
  switch (id) {
    case KILN_WASI_CLOCK_REALTIME: *out = CLOCK_REALTIME; return KILN_WASI_ESUCCESS;
    case KILN_WASI_CLOCK_MONOTONIC: *out = CLOCK_MONOTONIC; return KILN_WASI_ESUCCESS;
#ifdef CLOCK_PROCESS_CPUTIME_ID
    case KILN_WASI_CLOCK_PROCESS_CPUTIME: *out = CLOCK_PROCESS_CPUTIME_ID; return KILN_WASI_ESUCCESS;
#endif
#ifdef CLOCK_THREAD_CPUTIME_ID
    case KILN_WASI_CLOCK_THREAD_CPUTIME: *out = CLOCK_THREAD_CPUTIME_ID; return KILN_WASI_ESUCCESS;
#endif
    default: return KILN_WASI_EINVAL;
  }
}

u64 kiln_wasi_ns(const struct timespec* ts) {
  if (ts->tv_sec < 0) return 0;
  if ((u64)ts->tv_sec > (UINT64_MAX - 999999999u) / 1000000000u) return UINT64_MAX;
  return (u64)ts->tv_sec * 1000000000u + (u64)ts->tv_nsec;
}

u32 kiln_wasi_clock_res_get(kiln_ctx* ctx, kiln_memory* mem, u32 id, u32 resolution_out) {
  (void)ctx;
  clockid_t clock;
  struct timespec ts;
  u32 err = kiln_wasi_clock(id, &clock);
  if (err != KILN_WASI_ESUCCESS) return err;
  u8* p = kiln_guest_range(mem, resolution_out, 8);
  if (p == NULL) return KILN_WASI_EFAULT;
  if (clock_getres(clock, &ts) != 0) return kiln_wasi_errno(errno);
  u64 ns = kiln_wasi_ns(&ts);
  kiln_put_u64(p, ns == 0 ? 1 : ns);
  return KILN_WASI_ESUCCESS;
}

/* The precision argument is a hint; the host clock's own precision is what we have. */
u32 kiln_wasi_clock_time_get(kiln_ctx* ctx, kiln_memory* mem, u32 id, u64 precision, u32 time_out) {
  (void)ctx;
  (void)precision;
  clockid_t clock;
  struct timespec ts;
  u32 err = kiln_wasi_clock(id, &clock);
  if (err != KILN_WASI_ESUCCESS) return err;
  u8* p = kiln_guest_range(mem, time_out, 8);
  if (p == NULL) return KILN_WASI_EFAULT;
  if (clock_gettime(clock, &ts) != 0) return kiln_wasi_errno(errno);
  kiln_put_u64(p, kiln_wasi_ns(&ts));
  return KILN_WASI_ESUCCESS;
}
