/* Data on fds: fd_read, fd_write, fd_pread, fd_pwrite, fd_seek, fd_tell, fd_sync, fd_datasync,
 * fd_advise, fd_allocate.
 *
 * Every iovec is checked against linear memory before the host call, and so is the result pointer, so a
 * bad pointer fails with EFAULT before any byte moves in either direction. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "guest.h"
#include "wasi_state.h"

/* The guest's iovec array as host iovecs (at most KILN_WASI_IOV_MAX of them). */
static u32 host_iovecs(kiln_memory* mem, u32 iovs, u32 iovs_len, struct iovec* out, int* n) {
  u32 count = iovs_len > KILN_WASI_IOV_MAX ? KILN_WASI_IOV_MAX : iovs_len;
  const u8* list = kiln_guest_range(mem, iovs, (u64)iovs_len * KILN_WASI_IOVEC_SIZE);
  if (list == NULL) return KILN_WASI_EFAULT;
  for (u32 i = 0; i < count; i++) {
    u32 buf = kiln_get_u32(list + (u64)i * KILN_WASI_IOVEC_SIZE);
    u32 len = kiln_get_u32(list + (u64)i * KILN_WASI_IOVEC_SIZE + 4);
    u8* p = kiln_guest_range(mem, buf, len);
    if (p == NULL) return KILN_WASI_EFAULT;
    out[i].iov_base = p;
    out[i].iov_len = len;
  }
  *n = (int)count;
  return KILN_WASI_ESUCCESS;
}

enum { IO_READ, IO_WRITE, IO_PREAD, IO_PWRITE };

static u32 transfer(kiln_ctx* ctx, kiln_memory* mem, int kind, u32 fd, u32 iovs, u32 iovs_len, u64 offset,
                    u32 result_out) {
  static const u64 rights[] = {
      [IO_READ] = KILN_WASI_RIGHT_FD_READ,
      [IO_WRITE] = KILN_WASI_RIGHT_FD_WRITE,
      [IO_PREAD] = KILN_WASI_RIGHT_FD_READ | KILN_WASI_RIGHT_FD_SEEK,
      [IO_PWRITE] = KILN_WASI_RIGHT_FD_WRITE | KILN_WASI_RIGHT_FD_SEEK,
  };
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, rights[kind], &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  struct iovec v[KILN_WASI_IOV_MAX];
  int n = 0;
  err = host_iovecs(mem, iovs, iovs_len, v, &n);
  if (err != KILN_WASI_ESUCCESS) return err;
  u8* result = kiln_guest_range(mem, result_out, 4);
  if (result == NULL) return KILN_WASI_EFAULT;
  if ((kind == IO_PREAD || kind == IO_PWRITE) && offset > INT64_MAX) return KILN_WASI_EINVAL;
  ssize_t r;
  do {
    switch (kind) {
      case IO_READ: r = readv(e->host, v, n); break;
      case IO_WRITE: r = writev(e->host, v, n); break;
      case IO_PREAD: r = preadv(e->host, v, n, (off_t)offset); break;
      default: r = pwritev(e->host, v, n, (off_t)offset); break;
    }
  } while (r < 0 && errno == EINTR);
  if (r < 0) return kiln_wasi_errno(errno);
  kiln_put_u32(result, (u32)r); /* Linux moves at most 2 GiB - 4 KiB per call */
  return KILN_WASI_ESUCCESS;
}

u32 kiln_wasi_fd_read(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 iovs, u32 iovs_len, u32 nread_out) {
  return transfer(ctx, mem, IO_READ, fd, iovs, iovs_len, 0, nread_out);
}

u32 kiln_wasi_fd_write(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 iovs, u32 iovs_len, u32 nwritten_out) {
  return transfer(ctx, mem, IO_WRITE, fd, iovs, iovs_len, 0, nwritten_out);
}

u32 kiln_wasi_fd_pread(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 iovs, u32 iovs_len, u64 offset,
                       u32 nread_out) {
  return transfer(ctx, mem, IO_PREAD, fd, iovs, iovs_len, offset, nread_out);
}

/* On a file opened with O_APPEND, Linux writes at the end whatever the offset (wasi-testsuite accepts it). */
u32 kiln_wasi_fd_pwrite(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 iovs, u32 iovs_len, u64 offset,
                        u32 nwritten_out) {
  return transfer(ctx, mem, IO_PWRITE, fd, iovs, iovs_len, offset, nwritten_out);
}

u32 kiln_wasi_fd_seek(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 offset, u32 whence, u32 newoffset_out) {
  int how;
  switch (whence) {
    case KILN_WASI_WHENCE_SET: how = SEEK_SET; break;
    case KILN_WASI_WHENCE_CUR: how = SEEK_CUR; break;
    case KILN_WASI_WHENCE_END: how = SEEK_END; break;
    default: return KILN_WASI_EINVAL;
  }
  /* Asking where we are is fd_tell's right; moving needs fd_seek. */
  u64 right = how == SEEK_CUR && offset == 0 ? KILN_WASI_RIGHT_FD_TELL : KILN_WASI_RIGHT_FD_SEEK;
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, right, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  u8* p = kiln_guest_range(mem, newoffset_out, 8);
  if (p == NULL) return KILN_WASI_EFAULT;
  off_t r = lseek(e->host, (off_t)(s64)offset, how); /* the filedelta is signed */
  if (r < 0) return kiln_wasi_errno(errno);
  kiln_put_u64(p, (u64)r);
  return KILN_WASI_ESUCCESS;
}

u32 kiln_wasi_fd_tell(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 offset_out) {
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, KILN_WASI_RIGHT_FD_TELL, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  u8* p = kiln_guest_range(mem, offset_out, 8);
  if (p == NULL) return KILN_WASI_EFAULT;
  off_t r = lseek(e->host, 0, SEEK_CUR);
  if (r < 0) return kiln_wasi_errno(errno);
  kiln_put_u64(p, (u64)r);
  return KILN_WASI_ESUCCESS;
}

u32 kiln_wasi_fd_sync(kiln_ctx* ctx, kiln_memory* mem, u32 fd) {
  (void)mem;
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, KILN_WASI_RIGHT_FD_SYNC, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  return fsync(e->host) == 0 ? KILN_WASI_ESUCCESS : kiln_wasi_errno(errno);
}

u32 kiln_wasi_fd_datasync(kiln_ctx* ctx, kiln_memory* mem, u32 fd) {
  (void)mem;
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, KILN_WASI_RIGHT_FD_DATASYNC, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  return fdatasync(e->host) == 0 ? KILN_WASI_ESUCCESS : kiln_wasi_errno(errno);
}

/* Offsets and lengths above INT64_MAX cannot be host off_t values: EINVAL, as for a negative one. */
u32 kiln_wasi_fd_advise(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 offset, u64 len, u32 advice) {
  (void)mem;
  int how;
  switch (advice) {
    case KILN_WASI_ADVICE_NORMAL: how = POSIX_FADV_NORMAL; break;
    case KILN_WASI_ADVICE_SEQUENTIAL: how = POSIX_FADV_SEQUENTIAL; break;
    case KILN_WASI_ADVICE_RANDOM: how = POSIX_FADV_RANDOM; break;
    case KILN_WASI_ADVICE_WILLNEED: how = POSIX_FADV_WILLNEED; break;
    case KILN_WASI_ADVICE_DONTNEED: how = POSIX_FADV_DONTNEED; break;
    case KILN_WASI_ADVICE_NOREUSE: how = POSIX_FADV_NOREUSE; break;
    default: return KILN_WASI_EINVAL;
  }
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, KILN_WASI_RIGHT_FD_ADVISE, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  if (offset > INT64_MAX || len > INT64_MAX) return KILN_WASI_EINVAL;
  int r = posix_fadvise(e->host, (off_t)offset, (off_t)len, how);
  return kiln_wasi_errno(r); /* posix_fadvise returns the error number */
}

u32 kiln_wasi_fd_allocate(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 offset, u64 len) {
  (void)mem;
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, KILN_WASI_RIGHT_FD_ALLOCATE, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  if (offset > INT64_MAX || len > INT64_MAX) return KILN_WASI_EINVAL;
  if (offset + len > INT64_MAX) return KILN_WASI_EFBIG;
  int r = posix_fallocate(e->host, (off_t)offset, (off_t)len);
  return kiln_wasi_errno(r);
}
