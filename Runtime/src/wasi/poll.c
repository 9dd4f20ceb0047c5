/* poll_oneoff (clock and fd subscriptions) and sched_yield.
 *
 * Subscriptions are copied out of guest memory first (the event array may overlap them). Bad ones (an
 * unknown fd, clock or tag) become error events at once and the call does not block. Otherwise it waits
 * in ppoll until an fd is ready or the earliest clock deadline passes; every clock deadline is measured
 * on CLOCK_MONOTONIC (an absolute timeout is converted with its own clock first), so a sleep is not cut
 * short or stretched by the realtime clock moving. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"
#include "wasi_state.h"

typedef struct sub {
  u64 userdata;
  u8 type;        /* KILN_WASI_EVENT_* */
  u16 error;      /* set: report at once */
  u64 deadline;   /* clock: CLOCK_MONOTONIC ns */
  int host;       /* fd: host fd, and its index in the pollfd array */
  int slot;
} sub;

static u64 now_ns(clockid_t clock) {
  struct timespec ts;
  if (clock_gettime(clock, &ts) != 0) return 0;
  return kiln_wasi_ns(&ts);
}

static void parse(kiln_ctx* ctx, const u8* p, sub* s, u64 now) {
  memset(s, 0, sizeof *s);
  s->userdata = kiln_get_u64(p);
  s->type = p[8];
  s->slot = -1;
  if (s->type == KILN_WASI_EVENT_CLOCK) {
    clockid_t clock;
    u64 timeout = kiln_get_u64(p + 24);
    u16 flags = kiln_get_u16(p + 40);
    if (kiln_wasi_clock(kiln_get_u32(p + 16), &clock) != KILN_WASI_ESUCCESS || (flags & ~1u) != 0) {
      s->error = KILN_WASI_EINVAL;
      return;
    }
    if (flags & KILN_WASI_SUBCLOCK_ABSTIME) {
      u64 c = now_ns(clock);
      timeout = timeout > c ? timeout - c : 0;
    }
    s->deadline = timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
  } else if (s->type == KILN_WASI_EVENT_FD_READ || s->type == KILN_WASI_EVENT_FD_WRITE) {
    kiln_wasi_fd* e;
    s->error = (u16)kiln_wasi_fd_lookup(ctx, kiln_get_u32(p + 16), 0, &e);
    if (s->error == KILN_WASI_ESUCCESS) s->host = e->host;
  } else {
    s->error = KILN_WASI_EINVAL;
  }
}

/* Bytes ready to read: what is left of a regular file, or what a pipe or socket holds. */
static u64 readable_bytes(int host) {
  struct stat st;
  if (fstat(host, &st) == 0 && S_ISREG(st.st_mode)) {
    off_t pos = lseek(host, 0, SEEK_CUR);
    return pos >= 0 && st.st_size > pos ? (u64)(st.st_size - pos) : 0;
  }
  int n = 0;
  return ioctl(host, FIONREAD, &n) == 0 && n > 0 ? (u64)n : 0;
}

static void put_event(u8* out, u32* n, const sub* s, u16 error, u64 nbytes, u16 flags) {
  u8* p = out + (u64)*n * KILN_WASI_EVENT_SIZE;
  memset(p, 0, KILN_WASI_EVENT_SIZE);
  kiln_put_u64(p, s->userdata);
  kiln_put_u16(p + 8, error);
  p[10] = s->type;
  kiln_put_u64(p + 16, nbytes);
  kiln_put_u16(p + 24, flags);
  (*n)++;
}

/* Waits until an fd is ready or the deadline passes. Returns ppoll's count, or -1 with errno. */
static int wait_until(struct pollfd* fds, nfds_t nfds, u64 deadline, int immediate) {
  for (;;) {
    struct timespec ts, *tp = NULL;
    if (immediate) {
      ts.tv_sec = 0;
      ts.tv_nsec = 0;
      tp = &ts;
    } else if (deadline != UINT64_MAX) {
      u64 now = now_ns(CLOCK_MONOTONIC), left = deadline > now ? deadline - now : 0;
      ts.tv_sec = (time_t)(left / 1000000000u);
      ts.tv_nsec = (long)(left % 1000000000u);
      tp = &ts;
    }
    int r = ppoll(fds, nfds, tp, NULL);
    if (r >= 0 || errno != EINTR) return r;
  }
}

u32 kiln_wasi_poll_oneoff(kiln_ctx* ctx, kiln_memory* mem, u32 in, u32 out, u32 nsubscriptions,
                          u32 nevents_out) {
  if (nsubscriptions == 0) return KILN_WASI_EINVAL;
  const u8* ip = kiln_guest_range(mem, in, (u64)nsubscriptions * KILN_WASI_SUBSCRIPTION_SIZE);
  u8* op = kiln_guest_range(mem, out, (u64)nsubscriptions * KILN_WASI_EVENT_SIZE);
  u8* np = kiln_guest_range(mem, nevents_out, 4);
  if (ip == NULL || op == NULL || np == NULL) return KILN_WASI_EFAULT;
  sub* subs = calloc(nsubscriptions, sizeof *subs);
  struct pollfd* fds = calloc(nsubscriptions, sizeof *fds);
  if (subs == NULL || fds == NULL) {
    free(subs);
    free(fds);
    return KILN_WASI_ENOMEM;
  }
  u64 now = now_ns(CLOCK_MONOTONIC), deadline = UINT64_MAX;
  nfds_t nfds = 0;
  int immediate = 0;
  for (u32 i = 0; i < nsubscriptions; i++) {
    sub* s = &subs[i];
    parse(ctx, ip + (u64)i * KILN_WASI_SUBSCRIPTION_SIZE, s, now);
    if (s->error != KILN_WASI_ESUCCESS) {
      immediate = 1;
    } else if (s->type == KILN_WASI_EVENT_CLOCK) {
      if (s->deadline < deadline) deadline = s->deadline;
    } else {
      s->slot = (int)nfds;
      fds[nfds].fd = s->host;
      fds[nfds].events = s->type == KILN_WASI_EVENT_FD_READ ? POLLIN : POLLOUT;
      nfds++;
    }
  }
  u32 err = KILN_WASI_ESUCCESS, n = 0;
  int ready = wait_until(fds, nfds, deadline, immediate);
  if (ready < 0) {
    err = kiln_wasi_errno(errno);
  } else {
    u64 later = now_ns(CLOCK_MONOTONIC);
    int clock_fired = 0;
    for (u32 i = 0; i < nsubscriptions; i++) {
      const sub* s = &subs[i];
      if (s->error != KILN_WASI_ESUCCESS) {
        put_event(op, &n, s, s->error, 0, 0);
      } else if (s->type == KILN_WASI_EVENT_CLOCK) {
        if (s->deadline <= later) put_event(op, &n, s, 0, 0, 0), clock_fired = 1;
      } else if (fds[s->slot].revents != 0) {
        short rev = fds[s->slot].revents;
        u16 flags = (rev & POLLHUP) ? KILN_WASI_EVENTRW_HANGUP : 0;
        u16 error = (rev & POLLNVAL) ? KILN_WASI_EBADF : (rev & POLLERR) && !(rev & (POLLIN | POLLOUT)) ? KILN_WASI_EIO : 0;
        u64 nbytes = error == 0 && s->type == KILN_WASI_EVENT_FD_READ ? readable_bytes(s->host) : 0;
        put_event(op, &n, s, error, nbytes, flags);
      }
    }
    /* ppoll timed out: the earliest clock has fired even if our clock read rounds below it. */
    if (n == 0 && !clock_fired && ready == 0 && deadline != UINT64_MAX)
      for (u32 i = 0; i < nsubscriptions && n == 0; i++)
        if (subs[i].type == KILN_WASI_EVENT_CLOCK && subs[i].deadline == deadline) put_event(op, &n, &subs[i], 0, 0, 0);
    kiln_put_u32(np, n);
  }
  free(subs);
  free(fds);
  return err;
}

u32 kiln_wasi_sched_yield(kiln_ctx* ctx, kiln_memory* mem) {
  (void)ctx;
  (void)mem;
  sched_yield();
  return KILN_WASI_ESUCCESS;
}
