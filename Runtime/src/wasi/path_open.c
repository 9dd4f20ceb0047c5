/* path_open: opens a file or directory beneath a directory fd (sandbox.c keeps it there) and gives it
 * the lowest free guest fd.
 *
 * The host access mode follows the requested rights as wasmtime reads them: fd_read (or fd_readdir) asks for
 * reading, fd_write (or O_APPEND, O_TRUNC, which cannot work without it) for writing. fd_datasync,
 * fd_allocate and fd_filestat_set_size do not: a directory's own rights include them (fd_table.c), so a
 * guest reopening "." with the rights fd_fdstat_get reported would otherwise ask to write a directory and
 * get EISDIR. The new fd's rights are then what that mode allows on that file type (fd_table.c), whatever
 * else was asked for: generous, as wasmtime is. A directory is never opened for writing: O_DIRECTORY with
 * fd_write is EISDIR, as open(2) and wasmtime say.
 *
 * Beneath a read-only directory (a --readonly-dir), a request that could change the file system is EPERM
 * before anything is opened, as wasmtime refuses it without DirPerms::MUTATE: O_CREAT, O_TRUNC, O_EXCL,
 * O_APPEND, and the rights fd_write, fd_allocate and fd_filestat_set_size (which wasi-libc and Rust's std
 * ask for only when opening for writing). What is opened is read-only in turn (fd_table.c). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "guest.h"
#include "sandbox.h"
#include "wasi_state.h"

#define KILN_WANTS_READ (KILN_WASI_RIGHT_FD_READ | KILN_WASI_RIGHT_FD_READDIR)

/* Whether a request asks to write: fd_write, or a flag that means nothing without it. */
static int wants_write(u32 oflags, u64 rights, u32 fdflags) {
  return (rights & KILN_WASI_RIGHT_FD_WRITE) != 0 || (fdflags & KILN_WASI_FDFLAG_APPEND) ||
         (oflags & KILN_WASI_OFLAG_TRUNC);
}

/* Whether a request could change the file system, which a read-only directory refuses. */
static int wants_change(u32 oflags, u64 rights, u32 fdflags) {
  const u64 writing = KILN_WASI_RIGHT_FD_WRITE | KILN_WASI_RIGHT_FD_ALLOCATE | KILN_WASI_RIGHT_FD_FILESTAT_SET_SIZE;
  return wants_write(oflags, rights, fdflags) || (rights & writing) != 0 ||
         (oflags & (KILN_WASI_OFLAG_CREAT | KILN_WASI_OFLAG_EXCL)) != 0;
}

/* The open(2) flags for a WASI request. */
static int host_flags(u32 dirflags, u32 oflags, u64 rights, u32 fdflags) {
  int fl = O_NOCTTY;
  int read = (rights & KILN_WANTS_READ) != 0;
  int write = wants_write(oflags, rights, fdflags);
  /* Opened for reading even when writing was asked for, so a path that is not a directory fails with
   * ENOTDIR first; path_open then refuses the directory with EISDIR. */
  if (oflags & KILN_WASI_OFLAG_DIRECTORY) fl |= O_RDONLY | O_DIRECTORY;
  else if (read && write) fl |= O_RDWR;
  else if (write) fl |= O_WRONLY;
  else fl |= O_RDONLY;
  if (oflags & KILN_WASI_OFLAG_CREAT) fl |= O_CREAT;
  if (oflags & KILN_WASI_OFLAG_EXCL) fl |= O_EXCL;
  if (oflags & KILN_WASI_OFLAG_TRUNC) fl |= O_TRUNC;
  if (fdflags & KILN_WASI_FDFLAG_APPEND) fl |= O_APPEND;
  if (fdflags & KILN_WASI_FDFLAG_DSYNC) fl |= O_DSYNC;
  if (fdflags & KILN_WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
  if (fdflags & KILN_WASI_FDFLAG_RSYNC) fl |= O_RSYNC;
  if (fdflags & KILN_WASI_FDFLAG_SYNC) fl |= O_SYNC;
  if (!(dirflags & KILN_WASI_LOOKUP_SYMLINK_FOLLOW)) fl |= O_NOFOLLOW;
  return fl;
}

u32 kiln_wasi_path_open(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 dirflags, u32 path, u32 path_len, u32 oflags,
                        u64 rights_base, u64 rights_inheriting, u32 fdflags, u32 opened_fd_out) {
  (void)rights_inheriting;
  if ((oflags & ~0xFu) != 0 || (fdflags & ~0x1Fu) != 0) return KILN_WASI_EINVAL;
  u64 needs = KILN_WASI_RIGHT_PATH_OPEN;
  if (oflags & KILN_WASI_OFLAG_CREAT) needs |= KILN_WASI_RIGHT_PATH_CREATE_FILE;
  if (oflags & KILN_WASI_OFLAG_TRUNC) needs |= KILN_WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
  kiln_wasi_fd* dir;
  u32 err = kiln_wasi_dir_lookup(ctx, fd, needs, &dir);
  if (err != KILN_WASI_ESUCCESS) return err;
  const u8 read_only = dir->read_only;
  if (read_only && wants_change(oflags, rights_base, fdflags)) return KILN_WASI_EPERM;
  u8* out = kiln_guest_range(mem, opened_fd_out, 4);
  if (out == NULL) return KILN_WASI_EFAULT;
  char* p;
  err = kiln_wasi_guest_path(mem, path, path_len, &p);
  if (err != KILN_WASI_ESUCCESS) return err;
  int host;
  err = kiln_sandbox_open(dir->host, p, host_flags(dirflags, oflags, rights_base, fdflags), 0666, &host);
  free(p);
  if (err != KILN_WASI_ESUCCESS) return err;
  if ((oflags & KILN_WASI_OFLAG_DIRECTORY) && wants_write(oflags, rights_base, fdflags)) {
    close(host);
    return KILN_WASI_EISDIR;
  }
  u32 opened;
  err = kiln_wasi_fd_insert(kiln_wasi_state(ctx), host, &opened); /* may move the table: dir is stale now */
  if (err != KILN_WASI_ESUCCESS) return err;
  kiln_wasi_state(ctx)->fds[opened].read_only = read_only;
  kiln_put_u32(out, opened);
  return KILN_WASI_ESUCCESS;
}
