/* The WASI preview1 host of the wasm2c peer of `make bench`: all 46 preview1 functions, so that any preview1
 * command links. What the corpus uses works as in a real host: args_*, environ_* (an empty environment, as
 * `kiln run` and the wasmtime runner give), clock_res_get/clock_time_get (the POSIX clocks), random_get
 * (getrandom), fd_write/fd_read/fd_seek/fd_tell/fd_fdstat_get/fd_filestat_get/fd_close on the standard
 * streams 0-2, fd_prestat_get (there are no preopens: EBADF from fd 3 on, which ends wasi-libc's scan),
 * sched_yield and proc_exit. There is no file system: every other fd is EBADF, the path_* functions and
 * fd_readdir, which need a directory, are ENOTDIR on 0-2; what a stream cannot do is ENOTSUP, and
 * poll_oneoff and proc_raise are ENOSYS. Guest pointers are checked against the memory's current size
 * (EFAULT), as a real host does.
 * > Note: <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md>
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasm2c_wasi.h"

typedef struct w2c_wasi__snapshot__preview1 wasi_t;
#define WASI(name) w2c_wasi__snapshot__preview1_##name

enum {
  WASI_ESUCCESS = 0, WASI_EAGAIN = 6, WASI_EBADF = 8, WASI_EFAULT = 21, WASI_EINTR = 27, WASI_EINVAL = 28,
  WASI_EIO = 29, WASI_ENOSYS = 52, WASI_ENOTDIR = 54, WASI_ENOTSUP = 58, WASI_ESPIPE = 70
};
enum { FILETYPE_UNKNOWN = 0, FILETYPE_CHARACTER_DEVICE = 2, FILETYPE_DIRECTORY = 3, FILETYPE_REGULAR_FILE = 4,
       FILETYPE_SOCKET_STREAM = 6, FILETYPE_SYMBOLIC_LINK = 7 };

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
    case EAGAIN: return WASI_EAGAIN;
    case EBADF: return WASI_EBADF;
    case EINTR: return WASI_EINTR;
    case EINVAL: return WASI_EINVAL;
    case ESPIPE: return WASI_ESPIPE;
    case EFAULT: return WASI_EFAULT;
    default: return WASI_EIO;
  }
}

static int stdio_fd(u32 fd) { return fd <= 2; }

/* ---- args and environment ---- */

u32 WASI(args_sizes_get)(wasi_t* w, u32 argc_out, u32 buf_size_out) {
  uint8_t* pc = guest(w, argc_out, 4);
  uint8_t* ps = guest(w, buf_size_out, 4);
  if (pc == NULL || ps == NULL) return WASI_EFAULT;
  uint32_t size = 0;
  for (int i = 0; i < w->argc; i++) size += (uint32_t)strlen(w->argv[i]) + 1;
  put_u32(pc, (uint32_t)w->argc);
  put_u32(ps, size);
  return WASI_ESUCCESS;
}

u32 WASI(args_get)(wasi_t* w, u32 argv_out, u32 buf_out) {
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

u32 WASI(environ_sizes_get)(wasi_t* w, u32 count_out, u32 buf_size_out) {
  uint8_t* pc = guest(w, count_out, 4);
  uint8_t* ps = guest(w, buf_size_out, 4);
  if (pc == NULL || ps == NULL) return WASI_EFAULT;
  put_u32(pc, 0);
  put_u32(ps, 0);
  return WASI_ESUCCESS;
}

u32 WASI(environ_get)(wasi_t* w, u32 environ_out, u32 buf_out) {
  (void)w, (void)environ_out, (void)buf_out;
  return WASI_ESUCCESS;
}

/* ---- clocks, randomness, scheduling, process ---- */

static int posix_clock(u32 id, clockid_t* out) {
  switch (id) {
    case 0: *out = CLOCK_REALTIME; return 1;
    case 1: *out = CLOCK_MONOTONIC; return 1;
    case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return 1;
    case 3: *out = CLOCK_THREAD_CPUTIME_ID; return 1;
    default: return 0;
  }
}

u32 WASI(clock_res_get)(wasi_t* w, u32 id, u32 out) {
  clockid_t clock;
  if (!posix_clock(id, &clock)) return WASI_EINVAL;
  uint8_t* p = guest(w, out, 8);
  if (p == NULL) return WASI_EFAULT;
  struct timespec ts;
  if (clock_getres(clock, &ts) != 0) return wasi_errno(errno);
  put_u64(p, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
  return WASI_ESUCCESS;
}

u32 WASI(clock_time_get)(wasi_t* w, u32 id, u64 precision, u32 out) {
  (void)precision;
  clockid_t clock;
  if (!posix_clock(id, &clock)) return WASI_EINVAL;
  uint8_t* p = guest(w, out, 8);
  if (p == NULL) return WASI_EFAULT;
  struct timespec ts;
  if (clock_gettime(clock, &ts) != 0) return wasi_errno(errno);
  put_u64(p, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
  return WASI_ESUCCESS;
}

u32 WASI(random_get)(wasi_t* w, u32 buf, u32 len) {
  uint8_t* p = guest(w, buf, len);
  if (p == NULL) return WASI_EFAULT;
  while (len > 0) {
    ssize_t n = getrandom(p, len, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return wasi_errno(errno);
    }
    p += n;
    len -= (u32)n;
  }
  return WASI_ESUCCESS;
}

u32 WASI(sched_yield)(wasi_t* w) {
  (void)w;
  sched_yield();
  return WASI_ESUCCESS;
}

u32 WASI(poll_oneoff)(wasi_t* w, u32 in, u32 out, u32 nsubscriptions, u32 nevents_out) {
  (void)w, (void)in, (void)out, (void)nsubscriptions, (void)nevents_out;
  return WASI_ENOSYS;
}

void WASI(proc_exit)(wasi_t* w, u32 code) {
  (void)w;
  exit((int)(code & 0xff));
}

u32 WASI(proc_raise)(wasi_t* w, u32 sig) {
  (void)w, (void)sig;
  return WASI_ENOSYS;
}

/* ---- the standard streams ---- */

/* iovs_len iovecs at iovs, each (buf, len), to read into or write from; total bytes in *total. */
static u32 transfer(wasi_t* w, u32 fd, u32 iovs, u32 iovs_len, u32 total_out, int writing) {
  uint8_t* pn = guest(w, total_out, 4);
  uint8_t* pi = guest(w, iovs, 8ull * iovs_len);
  if (pn == NULL || pi == NULL) return WASI_EFAULT;
  uint32_t total = 0;
  for (uint32_t i = 0; i < iovs_len; i++) {
    uint32_t buf = get_u32(pi + 8 * i), len = get_u32(pi + 8 * i + 4);
    uint8_t* pb = guest(w, buf, len);
    if (pb == NULL) return WASI_EFAULT;
    while (len > 0) {
      ssize_t n = writing ? write((int)fd, pb, len) : read((int)fd, pb, len);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (total > 0) break; /* report the partial transfer, as readv/writev would */
        return wasi_errno(errno);
      }
      if (n == 0) break; /* end of file */
      pb += n;
      len -= (uint32_t)n;
      total += (uint32_t)n;
    }
    if (len > 0) break; /* short read: stop, as readv would */
  }
  put_u32(pn, total);
  return WASI_ESUCCESS;
}

u32 WASI(fd_write)(wasi_t* w, u32 fd, u32 iovs, u32 iovs_len, u32 nwritten_out) {
  if (!stdio_fd(fd)) return WASI_EBADF;
  return transfer(w, fd, iovs, iovs_len, nwritten_out, 1);
}

u32 WASI(fd_read)(wasi_t* w, u32 fd, u32 iovs, u32 iovs_len, u32 nread_out) {
  if (!stdio_fd(fd)) return WASI_EBADF;
  return transfer(w, fd, iovs, iovs_len, nread_out, 0);
}

static uint8_t filetype(mode_t mode) {
  if (S_ISCHR(mode)) return FILETYPE_CHARACTER_DEVICE;
  if (S_ISREG(mode)) return FILETYPE_REGULAR_FILE;
  if (S_ISDIR(mode)) return FILETYPE_DIRECTORY;
  if (S_ISSOCK(mode)) return FILETYPE_SOCKET_STREAM;
  if (S_ISLNK(mode)) return FILETYPE_SYMBOLIC_LINK;
  return FILETYPE_UNKNOWN;
}

u32 WASI(fd_fdstat_get)(wasi_t* w, u32 fd, u32 out) {
  if (!stdio_fd(fd)) return WASI_EBADF;
  uint8_t* p = guest(w, out, 24);
  if (p == NULL) return WASI_EFAULT;
  struct stat st;
  if (fstat((int)fd, &st) != 0) return wasi_errno(errno);
  uint8_t type = filetype(st.st_mode);
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

u32 WASI(fd_filestat_get)(wasi_t* w, u32 fd, u32 out) {
  if (!stdio_fd(fd)) return WASI_EBADF;
  uint8_t* p = guest(w, out, 64);
  if (p == NULL) return WASI_EFAULT;
  struct stat st;
  if (fstat((int)fd, &st) != 0) return wasi_errno(errno);
  memset(p, 0, 64);
  put_u64(p, (uint64_t)st.st_dev);
  put_u64(p + 8, (uint64_t)st.st_ino);
  p[16] = filetype(st.st_mode);
  put_u64(p + 24, (uint64_t)st.st_nlink);
  put_u64(p + 32, (uint64_t)st.st_size);
  put_u64(p + 40, (uint64_t)st.st_atim.tv_sec * 1000000000ull + (uint64_t)st.st_atim.tv_nsec);
  put_u64(p + 48, (uint64_t)st.st_mtim.tv_sec * 1000000000ull + (uint64_t)st.st_mtim.tv_nsec);
  put_u64(p + 56, (uint64_t)st.st_ctim.tv_sec * 1000000000ull + (uint64_t)st.st_ctim.tv_nsec);
  return WASI_ESUCCESS;
}

u32 WASI(fd_seek)(wasi_t* w, u32 fd, u64 offset, u32 whence, u32 newoffset_out) {
  if (!stdio_fd(fd)) return WASI_EBADF;
  uint8_t* p = guest(w, newoffset_out, 8);
  if (p == NULL) return WASI_EFAULT;
  int how = whence == 0 ? SEEK_SET : whence == 1 ? SEEK_CUR : whence == 2 ? SEEK_END : -1;
  if (how < 0) return WASI_EINVAL;
  off_t at = lseek((int)fd, (off_t)(int64_t)offset, how);
  if (at < 0) return wasi_errno(errno);
  put_u64(p, (uint64_t)at);
  return WASI_ESUCCESS;
}

u32 WASI(fd_tell)(wasi_t* w, u32 fd, u32 offset_out) {
  return WASI(fd_seek)(w, fd, 0, 1, offset_out);
}

u32 WASI(fd_close)(wasi_t* w, u32 fd) {
  (void)w;
  if (!stdio_fd(fd)) return WASI_EBADF;
  return close((int)fd) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

u32 WASI(fd_sync)(wasi_t* w, u32 fd) {
  (void)w;
  if (!stdio_fd(fd)) return WASI_EBADF;
  return fsync((int)fd) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

u32 WASI(fd_datasync)(wasi_t* w, u32 fd) { return WASI(fd_sync)(w, fd); }

/* No preopened directories: fd 3, where wasi-libc's scan starts, is already EBADF. */
u32 WASI(fd_prestat_get)(wasi_t* w, u32 fd, u32 out) {
  (void)w, (void)fd, (void)out;
  return WASI_EBADF;
}

u32 WASI(fd_prestat_dir_name)(wasi_t* w, u32 fd, u32 path, u32 len) {
  (void)w, (void)fd, (void)path, (void)len;
  return WASI_EBADF;
}

/* ---- the rest: a stream supports none of it, and there is no other fd ---- */

#define ON_STDIO(fd) ((fd) <= 2 ? WASI_ENOTSUP : WASI_EBADF)
#define AT_DIR(fd) ((fd) <= 2 ? WASI_ENOTDIR : WASI_EBADF) /* the path_* functions' fd must be a directory */

u32 WASI(fd_advise)(wasi_t* w, u32 fd, u64 offset, u64 len, u32 advice) {
  (void)w, (void)offset, (void)len, (void)advice;
  return stdio_fd(fd) ? WASI_ESUCCESS : WASI_EBADF; /* advice may be ignored */
}
u32 WASI(fd_allocate)(wasi_t* w, u32 fd, u64 offset, u64 len) {
  (void)w, (void)offset, (void)len;
  return ON_STDIO(fd);
}
u32 WASI(fd_fdstat_set_flags)(wasi_t* w, u32 fd, u32 flags) {
  (void)w, (void)flags;
  return ON_STDIO(fd);
}
u32 WASI(fd_fdstat_set_rights)(wasi_t* w, u32 fd, u64 base, u64 inheriting) {
  (void)w, (void)base, (void)inheriting;
  return ON_STDIO(fd);
}
u32 WASI(fd_filestat_set_size)(wasi_t* w, u32 fd, u64 size) {
  (void)w, (void)size;
  return ON_STDIO(fd);
}
u32 WASI(fd_filestat_set_times)(wasi_t* w, u32 fd, u64 atim, u64 mtim, u32 flags) {
  (void)w, (void)atim, (void)mtim, (void)flags;
  return ON_STDIO(fd);
}
u32 WASI(fd_pread)(wasi_t* w, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 out) {
  (void)w, (void)iovs, (void)iovs_len, (void)offset, (void)out;
  return stdio_fd(fd) ? WASI_ESPIPE : WASI_EBADF;
}
u32 WASI(fd_pwrite)(wasi_t* w, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 out) {
  (void)w, (void)iovs, (void)iovs_len, (void)offset, (void)out;
  return stdio_fd(fd) ? WASI_ESPIPE : WASI_EBADF;
}
u32 WASI(fd_readdir)(wasi_t* w, u32 fd, u32 buf, u32 len, u64 cookie, u32 out) {
  (void)w, (void)buf, (void)len, (void)cookie, (void)out;
  return AT_DIR(fd);
}
u32 WASI(fd_renumber)(wasi_t* w, u32 fd, u32 to) {
  (void)w, (void)to;
  return ON_STDIO(fd);
}
u32 WASI(path_create_directory)(wasi_t* w, u32 fd, u32 path, u32 len) {
  (void)w, (void)path, (void)len;
  return AT_DIR(fd);
}
u32 WASI(path_filestat_get)(wasi_t* w, u32 fd, u32 flags, u32 path, u32 len, u32 out) {
  (void)w, (void)flags, (void)path, (void)len, (void)out;
  return AT_DIR(fd);
}
u32 WASI(path_filestat_set_times)(wasi_t* w, u32 fd, u32 flags, u32 path, u32 len, u64 atim, u64 mtim, u32 fst) {
  (void)w, (void)flags, (void)path, (void)len, (void)atim, (void)mtim, (void)fst;
  return AT_DIR(fd);
}
u32 WASI(path_link)(wasi_t* w, u32 fd, u32 flags, u32 path, u32 len, u32 to_fd, u32 to, u32 to_len) {
  (void)w, (void)flags, (void)path, (void)len, (void)to_fd, (void)to, (void)to_len;
  return AT_DIR(fd);
}
u32 WASI(path_open)(wasi_t* w, u32 fd, u32 dirflags, u32 path, u32 len, u32 oflags, u64 base, u64 inheriting,
                    u32 fdflags, u32 fd_out) {
  (void)w, (void)dirflags, (void)path, (void)len, (void)oflags, (void)base, (void)inheriting, (void)fdflags,
      (void)fd_out;
  return AT_DIR(fd);
}
u32 WASI(path_readlink)(wasi_t* w, u32 fd, u32 path, u32 len, u32 buf, u32 buf_len, u32 out) {
  (void)w, (void)path, (void)len, (void)buf, (void)buf_len, (void)out;
  return AT_DIR(fd);
}
u32 WASI(path_remove_directory)(wasi_t* w, u32 fd, u32 path, u32 len) {
  (void)w, (void)path, (void)len;
  return AT_DIR(fd);
}
u32 WASI(path_rename)(wasi_t* w, u32 fd, u32 path, u32 len, u32 to_fd, u32 to, u32 to_len) {
  (void)w, (void)path, (void)len, (void)to_fd, (void)to, (void)to_len;
  return AT_DIR(fd);
}
u32 WASI(path_symlink)(wasi_t* w, u32 old, u32 old_len, u32 fd, u32 path, u32 len) {
  (void)w, (void)old, (void)old_len, (void)path, (void)len;
  return AT_DIR(fd);
}
u32 WASI(path_unlink_file)(wasi_t* w, u32 fd, u32 path, u32 len) {
  (void)w, (void)path, (void)len;
  return AT_DIR(fd);
}
u32 WASI(sock_accept)(wasi_t* w, u32 fd, u32 flags, u32 fd_out) {
  (void)w, (void)flags, (void)fd_out;
  return ON_STDIO(fd);
}
u32 WASI(sock_recv)(wasi_t* w, u32 fd, u32 iovs, u32 iovs_len, u32 flags, u32 n_out, u32 flags_out) {
  (void)w, (void)iovs, (void)iovs_len, (void)flags, (void)n_out, (void)flags_out;
  return ON_STDIO(fd);
}
u32 WASI(sock_send)(wasi_t* w, u32 fd, u32 iovs, u32 iovs_len, u32 flags, u32 n_out) {
  (void)w, (void)iovs, (void)iovs_len, (void)flags, (void)n_out;
  return ON_STDIO(fd);
}
u32 WASI(sock_shutdown)(wasi_t* w, u32 fd, u32 how) {
  (void)w, (void)how;
  return ON_STDIO(fd);
}
