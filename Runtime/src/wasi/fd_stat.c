/* fd_fdstat_get/set_flags/set_rights and fd_filestat_get/set_size/set_times. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"
#include "wasi_state.h"

void kiln_wasi_put_filestat(u8* p, const struct stat* st, int host) {
  memset(p, 0, KILN_WASI_FILESTAT_SIZE);
  kiln_put_u64(p + 0, (u64)st->st_dev);
  kiln_put_u64(p + 8, (u64)st->st_ino);
  p[16] = kiln_wasi_filetype(host, st->st_mode);
  kiln_put_u64(p + 24, (u64)st->st_nlink);
  kiln_put_u64(p + 32, st->st_size < 0 ? 0 : (u64)st->st_size);
  kiln_put_u64(p + 40, kiln_wasi_ns(&st->st_atim));
  kiln_put_u64(p + 48, kiln_wasi_ns(&st->st_mtim));
  kiln_put_u64(p + 56, kiln_wasi_ns(&st->st_ctim));
}

/* One WASI timestamp as a timespec; values past the host's time_t range clamp to its maximum. */
static struct timespec timespec_of(u64 ns) {
  struct timespec ts;
  ts.tv_sec = (time_t)(ns / 1000000000u);
  ts.tv_nsec = (long)(ns % 1000000000u);
  return ts;
}

u32 kiln_wasi_timespecs(u64 atim, u64 mtim, u32 fst_flags, struct timespec ts[2]) {
  if ((fst_flags & ~0xFu) != 0) return KILN_WASI_EINVAL;
  if ((fst_flags & KILN_WASI_FST_ATIM) && (fst_flags & KILN_WASI_FST_ATIM_NOW)) return KILN_WASI_EINVAL;
  if ((fst_flags & KILN_WASI_FST_MTIM) && (fst_flags & KILN_WASI_FST_MTIM_NOW)) return KILN_WASI_EINVAL;
  ts[0].tv_sec = ts[1].tv_sec = 0;
  ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
  if (fst_flags & KILN_WASI_FST_ATIM) ts[0] = timespec_of(atim);
  if (fst_flags & KILN_WASI_FST_ATIM_NOW) ts[0].tv_nsec = UTIME_NOW;
  if (fst_flags & KILN_WASI_FST_MTIM) ts[1] = timespec_of(mtim);
  if (fst_flags & KILN_WASI_FST_MTIM_NOW) ts[1].tv_nsec = UTIME_NOW;
  return KILN_WASI_ESUCCESS;
}

u32 kiln_wasi_fd_fdstat_get(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 fdstat_out) {
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, 0, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  u8* p = kiln_guest_range(mem, fdstat_out, KILN_WASI_FDSTAT_SIZE);
  if (p == NULL) return KILN_WASI_EFAULT;
  int fl = fcntl(e->host, F_GETFL);
  if (fl < 0) return kiln_wasi_errno(errno);
  u16 flags = 0;
  if (fl & O_APPEND) flags |= KILN_WASI_FDFLAG_APPEND;
  if (fl & O_NONBLOCK) flags |= KILN_WASI_FDFLAG_NONBLOCK;
  if ((fl & O_SYNC) == O_SYNC) flags |= KILN_WASI_FDFLAG_SYNC; /* Linux: O_SYNC includes O_DSYNC's bit */
  else if (fl & O_DSYNC) flags |= KILN_WASI_FDFLAG_DSYNC;
  memset(p, 0, KILN_WASI_FDSTAT_SIZE);
  p[0] = e->filetype;
  kiln_put_u16(p + 2, flags);
  kiln_put_u64(p + 8, e->rights_base);
  kiln_put_u64(p + 16, e->rights_inheriting);
  return KILN_WASI_ESUCCESS;
}

/* Only APPEND and NONBLOCK can change on an open Linux fd; the sync flags are fixed at open. */
u32 kiln_wasi_fd_fdstat_set_flags(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 flags) {
  (void)mem;
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, KILN_WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  if ((flags & ~0x1Fu) != 0) return KILN_WASI_EINVAL;
  if (e->read_only && (flags & KILN_WASI_FDFLAG_APPEND)) return KILN_WASI_EPERM; /* only writes append */
  int fl = fcntl(e->host, F_GETFL);
  if (fl < 0) return kiln_wasi_errno(errno);
  int have_sync = (fl & O_SYNC) == O_SYNC, have_dsync = (fl & O_DSYNC) != 0;
  int want_sync = (flags & (KILN_WASI_FDFLAG_SYNC | KILN_WASI_FDFLAG_RSYNC)) != 0;
  int want_dsync = want_sync || (flags & KILN_WASI_FDFLAG_DSYNC) != 0;
  if (want_sync != have_sync || want_dsync != have_dsync) return KILN_WASI_ENOTSUP;
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & KILN_WASI_FDFLAG_APPEND) fl |= O_APPEND;
  if (flags & KILN_WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
  return fcntl(e->host, F_SETFL, fl) == 0 ? KILN_WASI_ESUCCESS : kiln_wasi_errno(errno);
}

/* Rights can be dropped, never gained. */
u32 kiln_wasi_fd_fdstat_set_rights(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 rights_base,
                                   u64 rights_inheriting) {
  (void)mem;
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, 0, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  if ((rights_base & ~e->rights_base) != 0 || (rights_inheriting & ~e->rights_inheriting) != 0)
    return KILN_WASI_ENOTCAPABLE;
  e->rights_base = rights_base;
  e->rights_inheriting = rights_inheriting;
  return KILN_WASI_ESUCCESS;
}

u32 kiln_wasi_fd_filestat_get(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 filestat_out) {
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, KILN_WASI_RIGHT_FD_FILESTAT_GET, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  u8* p = kiln_guest_range(mem, filestat_out, KILN_WASI_FILESTAT_SIZE);
  if (p == NULL) return KILN_WASI_EFAULT;
  struct stat st;
  if (fstat(e->host, &st) != 0) return kiln_wasi_errno(errno);
  kiln_wasi_put_filestat(p, &st, e->host);
  return KILN_WASI_ESUCCESS;
}

u32 kiln_wasi_fd_filestat_set_size(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 size) {
  (void)mem;
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, KILN_WASI_RIGHT_FD_FILESTAT_SET_SIZE, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  if (size > INT64_MAX) return KILN_WASI_EFBIG;
  int r;
  do r = ftruncate(e->host, (off_t)size); while (r != 0 && errno == EINTR);
  return r == 0 ? KILN_WASI_ESUCCESS : kiln_wasi_errno(errno);
}

u32 kiln_wasi_fd_filestat_set_times(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 atim, u64 mtim,
                                    u32 fst_flags) {
  (void)mem;
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, KILN_WASI_RIGHT_FD_FILESTAT_SET_TIMES, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  struct timespec ts[2];
  err = kiln_wasi_timespecs(atim, mtim, fst_flags, ts);
  if (err != KILN_WASI_ESUCCESS) return err;
  return futimens(e->host, ts) == 0 ? KILN_WASI_ESUCCESS : kiln_wasi_errno(errno);
}
