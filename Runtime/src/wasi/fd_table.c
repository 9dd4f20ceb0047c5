/* The guest's fd table: lookup with rights, insertion, fd_close, fd_renumber and the preopen queries.
 *
 * Rights are tracked minimally and generously, as wasmtime reports them: a file gets every fd_* right its
 * open mode allows, a directory every path_* right, and fd_fdstat_set_rights can only take rights away.
 * Character devices lack fd_seek/fd_tell, which is how wasi-libc's isatty recognises a terminal.
 *
 * A read-only fd (a --readonly-dir preopen, and everything path_open opens beneath one) refuses every right
 * that changes the file system with EPERM, as wasmtime refuses a preopen without DirPerms::MUTATE or
 * FilePerms::WRITE. Its files are opened for reading only (path_open.c), so fd_write and fd_pwrite still
 * fail with EBADF for the missing fd_write right, as in wasmtime and as write(2) on an O_RDONLY fd. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "guest.h"
#include "wasi_state.h"

u32 kiln_wasi_fd_lookup(kiln_ctx* ctx, u32 fd, u64 rights, kiln_wasi_fd** out) {
  kiln_wasi* w = kiln_wasi_state(ctx);
  if (w == NULL || fd >= __atomic_load_n(&w->nfds, __ATOMIC_ACQUIRE) || w->fds[fd].host < 0) return KILN_WASI_EBADF;
  kiln_wasi_fd* e = &w->fds[fd];
  u64 missing = rights & ~e->rights_base;
  if (missing != 0)
    return missing & (KILN_WASI_RIGHT_FD_READ | KILN_WASI_RIGHT_FD_WRITE) ? KILN_WASI_EBADF : KILN_WASI_ENOTCAPABLE;
  if (e->read_only && (rights & KILN_WASI_RIGHTS_MUTATE) != 0) return KILN_WASI_EPERM;
  *out = e;
  return KILN_WASI_ESUCCESS;
}

u32 kiln_wasi_dir_lookup(kiln_ctx* ctx, u32 fd, u64 rights, kiln_wasi_fd** out) {
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, 0, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  if (e->filetype != KILN_WASI_FILETYPE_DIRECTORY) return KILN_WASI_ENOTDIR;
  if ((rights & ~e->rights_base) != 0) return KILN_WASI_ENOTCAPABLE;
  if (e->read_only && (rights & KILN_WASI_RIGHTS_MUTATE) != 0) return KILN_WASI_EPERM;
  *out = e;
  return KILN_WASI_ESUCCESS;
}

u8 kiln_wasi_filetype(int host, mode_t mode) {
  if (S_ISREG(mode)) return KILN_WASI_FILETYPE_REGULAR_FILE;
  if (S_ISDIR(mode)) return KILN_WASI_FILETYPE_DIRECTORY;
  if (S_ISCHR(mode)) return KILN_WASI_FILETYPE_CHARACTER_DEVICE;
  if (S_ISBLK(mode)) return KILN_WASI_FILETYPE_BLOCK_DEVICE;
  if (S_ISLNK(mode)) return KILN_WASI_FILETYPE_SYMBOLIC_LINK;
  if (S_ISSOCK(mode)) {
    int type = 0;
    socklen_t len = sizeof type;
    if (host >= 0 && getsockopt(host, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM)
      return KILN_WASI_FILETYPE_SOCKET_DGRAM;
    return KILN_WASI_FILETYPE_SOCKET_STREAM;
  }
  return KILN_WASI_FILETYPE_UNKNOWN; /* FIFOs: WASI has no name for them */
}

/* The rights an fd of this type and open mode starts with. */
static void initial_rights(int host, u8 filetype, u64* base, u64* inheriting) {
  if (filetype == KILN_WASI_FILETYPE_DIRECTORY) {
    *base = KILN_WASI_RIGHTS_DIR;
    *inheriting = KILN_WASI_RIGHTS_DIR | KILN_WASI_RIGHTS_FILE;
    return;
  }
  u64 r = KILN_WASI_RIGHTS_FILE;
  if (filetype == KILN_WASI_FILETYPE_CHARACTER_DEVICE) r &= ~(KILN_WASI_RIGHT_FD_SEEK | KILN_WASI_RIGHT_FD_TELL);
  int fl = fcntl(host, F_GETFL);
  if (fl >= 0 && (fl & O_ACCMODE) == O_RDONLY) r &= ~KILN_WASI_RIGHT_FD_WRITE;
  if (fl >= 0 && (fl & O_ACCMODE) == O_WRONLY) r &= ~KILN_WASI_RIGHT_FD_READ;
  *base = r;
  *inheriting = 0;
}

u32 kiln_wasi_fd_insert(kiln_wasi* w, int host, u32* fd_out) {
  struct stat st;
  if (fstat(host, &st) != 0) {
    u32 err = kiln_wasi_errno(errno);
    close(host);
    return err;
  }
  u32 fd = 0;
  while (fd < w->nfds && w->fds[fd].host >= 0) fd++;
  if (fd == w->nfds) {
    if (w->nfds >= KILN_WASI_FD_LIMIT) {
      close(host);
      return KILN_WASI_EMFILE;
    }
    u32 n = w->nfds * 2 > KILN_WASI_FD_LIMIT ? KILN_WASI_FD_LIMIT : w->nfds * 2;
    for (u32 i = w->nfds; i < n; i++) w->fds[i].host = -1;
    __atomic_store_n(&w->nfds, n, __ATOMIC_RELEASE);
  }
  kiln_wasi_fd* e = &w->fds[fd];
  memset(e, 0, sizeof *e);
  e->host = host;
  e->filetype = kiln_wasi_filetype(host, st.st_mode);
  initial_rights(host, e->filetype, &e->rights_base, &e->rights_inheriting);
  *fd_out = fd;
  return KILN_WASI_ESUCCESS;
}

void kiln_wasi_fd_release(kiln_wasi_fd* e) {
  if (e->dir != NULL) closedir((DIR*)e->dir); /* its own fd, opened by fd_readdir */
  if (e->host >= 0) close(e->host);
  free(e->preopen_name);
  memset(e, 0, sizeof *e);
  e->host = -1;
}

u32 kiln_wasi_fd_close(kiln_ctx* ctx, kiln_memory* mem, u32 fd) {
  (void)mem;
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, 0, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  kiln_wasi_fd_release(e); /* close(2)'s own errors (EINTR, EIO on NFS) leave the fd closed anyway */
  return KILN_WASI_ESUCCESS;
}

/* Moves fd over to, closing what `to` held. Both must be open. Renumbering an fd onto itself does nothing
 * (closing `to` first would close `fd` too: CVE-2025-53901). */
u32 kiln_wasi_fd_renumber(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 to) {
  (void)mem;
  kiln_wasi_fd *from_e, *to_e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, 0, &from_e);
  if (err != KILN_WASI_ESUCCESS) return err;
  err = kiln_wasi_fd_lookup(ctx, to, 0, &to_e);
  if (err != KILN_WASI_ESUCCESS) return err;
  if (from_e == to_e) return KILN_WASI_ESUCCESS;
  kiln_wasi_fd_release(to_e);
  *to_e = *from_e;
  memset(from_e, 0, sizeof *from_e);
  from_e->host = -1;
  return KILN_WASI_ESUCCESS;
}

u32 kiln_wasi_fd_prestat_get(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 prestat_out) {
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, 0, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  if (!e->is_preopen) return KILN_WASI_EBADF; /* how wasi-libc learns where the preopens end */
  u8* p = kiln_guest_range(mem, prestat_out, KILN_WASI_PRESTAT_SIZE);
  if (p == NULL) return KILN_WASI_EFAULT;
  memset(p, 0, KILN_WASI_PRESTAT_SIZE); /* tag 0: a directory */
  kiln_put_u32(p + 4, e->preopen_name_len);
  return KILN_WASI_ESUCCESS;
}

u32 kiln_wasi_fd_prestat_dir_name(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 path, u32 path_len) {
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_fd_lookup(ctx, fd, 0, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  if (!e->is_preopen) return KILN_WASI_EBADF;
  if (path_len < e->preopen_name_len) return KILN_WASI_ENAMETOOLONG;
  u8* p = kiln_guest_range(mem, path, e->preopen_name_len);
  if (p == NULL) return KILN_WASI_EFAULT;
  memcpy(p, e->preopen_name, e->preopen_name_len); /* no NUL: the length says where it ends */
  return KILN_WASI_ESUCCESS;
}
