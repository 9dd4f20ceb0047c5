/* The WASI preview1 imports of the benchmark corpus for the wasm2c peer of `make bench`: args_get,
 * args_sizes_get, fd_write, fd_fdstat_get, fd_seek, fd_close and proc_exit (what `wasm-objdump -x -j Import`
 * lists for every Fixtures/bench/wasm module). Only the standard streams 0-2 exist; any other fd is EBADF.
 * Guest pointers are checked against the memory's current size (EFAULT), as a real host does.
 * > Note: <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md>
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasm2c_wasi.h"

typedef struct Z_wasi_snapshot_preview1_instance_t wasi_t;

enum { WASI_ESUCCESS = 0, WASI_EBADF = 8, WASI_EFAULT = 21, WASI_EINVAL = 28, WASI_EIO = 29, WASI_ESPIPE = 70 };
enum { FILETYPE_UNKNOWN = 0, FILETYPE_CHARACTER_DEVICE = 2, FILETYPE_DIRECTORY = 3, FILETYPE_REGULAR_FILE = 4,
       FILETYPE_SOCKET_STREAM = 6 };

/* The guest range [addr, addr+len) as a host pointer, or NULL when it is not inside memory. */
static uint8_t* guest(wasi_t* w, uint32_t addr, uint64_t len) {
  if ((uint64_t)addr + len > w->memory->size) return NULL;
  return w->memory->data + addr;
}

static uint32_t get_u32(const uint8_t* p) { uint32_t v; memcpy(&v, p, 4); return v; } /* little-endian host */
static void put_u32(uint8_t* p, uint32_t v) { memcpy(p, &v, 4); }
static void put_u64(uint8_t* p, uint64_t v) { memcpy(p, &v, 8); }

static uint32_t wasi_errno(int e) {
  switch (e) {
    case EBADF: return WASI_EBADF;
    case EINVAL: return WASI_EINVAL;
    case ESPIPE: return WASI_ESPIPE;
    case EFAULT: return WASI_EFAULT;
    default: return WASI_EIO;
  }
}

u32 Z_wasi_snapshot_preview1Z_args_sizes_get(wasi_t* w, u32 argc_out, u32 buf_size_out) {
  uint8_t* pc = guest(w, argc_out, 4);
  uint8_t* ps = guest(w, buf_size_out, 4);
  if (pc == NULL || ps == NULL) return WASI_EFAULT;
  uint32_t size = 0;
  for (int i = 0; i < w->argc; i++) size += (uint32_t)strlen(w->argv[i]) + 1;
  put_u32(pc, (uint32_t)w->argc);
  put_u32(ps, size);
  return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_args_get(wasi_t* w, u32 argv_out, u32 buf_out) {
  uint8_t* pv = guest(w, argv_out, 4ull * (uint64_t)w->argc);
  if (pv == NULL) return WASI_EFAULT;
  uint32_t at = buf_out;
  for (int i = 0; i < w->argc; i++) {
    uint32_t n = (uint32_t)strlen(w->argv[i]) + 1;
    uint8_t* pb = guest(w, at, n);
    if (pb == NULL) return WASI_EFAULT;
    memcpy(pb, w->argv[i], n);
    put_u32(pv + 4 * i, at);
    at += n;
  }
  return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_write(wasi_t* w, u32 fd, u32 iovs, u32 iovs_len, u32 nwritten_out) {
  if (fd > 2) return WASI_EBADF;
  uint8_t* pn = guest(w, nwritten_out, 4);
  uint8_t* pi = guest(w, iovs, 8ull * iovs_len);
  if (pn == NULL || pi == NULL) return WASI_EFAULT;
  uint32_t total = 0;
  for (uint32_t i = 0; i < iovs_len; i++) {
    uint32_t buf = get_u32(pi + 8 * i), len = get_u32(pi + 8 * i + 4);
    uint8_t* pb = guest(w, buf, len);
    if (pb == NULL) return WASI_EFAULT;
    while (len > 0) {
      ssize_t n = write((int)fd, pb, len);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (total > 0) break; /* report the partial write, as writev would */
        return wasi_errno(errno);
      }
      pb += n;
      len -= (uint32_t)n;
      total += (uint32_t)n;
    }
  }
  put_u32(pn, total);
  return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(wasi_t* w, u32 fd, u32 out) {
  if (fd > 2) return WASI_EBADF;
  uint8_t* p = guest(w, out, 24);
  if (p == NULL) return WASI_EFAULT;
  struct stat st;
  if (fstat((int)fd, &st) != 0) return wasi_errno(errno);
  uint8_t type = FILETYPE_UNKNOWN;
  if (S_ISCHR(st.st_mode)) type = FILETYPE_CHARACTER_DEVICE;
  else if (S_ISREG(st.st_mode)) type = FILETYPE_REGULAR_FILE;
  else if (S_ISDIR(st.st_mode)) type = FILETYPE_DIRECTORY;
  else if (S_ISSOCK(st.st_mode)) type = FILETYPE_SOCKET_STREAM;
  int fl = fcntl((int)fd, F_GETFL);
  memset(p, 0, 24);
  p[0] = type;
  p[2] = (fl >= 0 && (fl & O_APPEND)) ? 1 : 0; /* fdflags: append */
  /* rights: everything but fd_seek/fd_tell on a terminal, so wasi-libc's isatty() sees a tty as one */
  uint64_t rights = ~0ull >> 35; /* the 29 preview1 rights */
  if (type == FILETYPE_CHARACTER_DEVICE) rights &= ~((1ull << 2) | (1ull << 5)); /* fd_seek, fd_tell */
  put_u64(p + 8, rights);
  put_u64(p + 16, rights);
  return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_seek(wasi_t* w, u32 fd, u64 offset, u32 whence, u32 newoffset_out) {
  if (fd > 2) return WASI_EBADF;
  uint8_t* p = guest(w, newoffset_out, 8);
  if (p == NULL) return WASI_EFAULT;
  int how = whence == 0 ? SEEK_SET : whence == 1 ? SEEK_CUR : whence == 2 ? SEEK_END : -1;
  if (how < 0) return WASI_EINVAL;
  off_t at = lseek((int)fd, (off_t)(int64_t)offset, how);
  if (at < 0) return wasi_errno(errno);
  put_u64(p, (uint64_t)at);
  return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_close(wasi_t* w, u32 fd) {
  (void)w;
  if (fd > 2) return WASI_EBADF;
  return close((int)fd) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

void Z_wasi_snapshot_preview1Z_proc_exit(wasi_t* w, u32 code) {
  (void)w;
  exit((int)(code & 0xff));
}
