/* path_* calls on entries: create_directory, remove_directory, unlink_file, rename, symlink, readlink,
 * link, filestat_get, filestat_set_times. Each resolves its path(s) with kiln_sandbox_at (sandbox.c) and
 * acts with the no-follow *at() call on what that returns. path_open is in path_open.c. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"
#include "sandbox.h"
#include "wasi_state.h"

u32 kiln_wasi_guest_path(kiln_memory* mem, u32 ptr, u32 len, char** out) {
  const u8* p = kiln_guest_range(mem, ptr, len);
  if (p == NULL) return KILN_WASI_EFAULT;
  if (len > KILN_WASI_PATH_MAX) return KILN_WASI_ENAMETOOLONG;
  if (memchr(p, '\0', len) != NULL) return KILN_WASI_EINVAL; /* the host cannot express it */
  char* s = malloc((size_t)len + 1);
  if (s == NULL) return KILN_WASI_ENOMEM;
  memcpy(s, p, len);
  s[len] = '\0';
  *out = s;
  return KILN_WASI_ESUCCESS;
}

/* Looks up the directory fd with `rights`, reads the guest path and resolves it. */
static u32 resolve(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u64 rights, u32 path, u32 path_len, int how,
                   kiln_sandbox_entry* at) {
  kiln_wasi_fd* e;
  char* p;
  u32 err = kiln_wasi_dir_lookup(ctx, fd, rights, &e);
  if (err == KILN_WASI_ESUCCESS) err = kiln_wasi_guest_path(mem, path, path_len, &p);
  if (err != KILN_WASI_ESUCCESS) return err;
  err = kiln_sandbox_at(e->host, p, how, at);
  free(p);
  return err;
}

static u32 host_result(int r) { return r == 0 ? KILN_WASI_ESUCCESS : kiln_wasi_errno(errno); }

u32 kiln_wasi_path_create_directory(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 path, u32 path_len) {
  kiln_sandbox_entry at;
  u32 err = resolve(ctx, mem, fd, KILN_WASI_RIGHT_PATH_CREATE_DIRECTORY, path, path_len, KILN_AT_ENTRY, &at);
  if (err != KILN_WASI_ESUCCESS) return err;
  err = host_result(mkdirat(at.dir, at.name, 0777));
  kiln_sandbox_at_release(&at);
  return err;
}

u32 kiln_wasi_path_remove_directory(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 path, u32 path_len) {
  kiln_sandbox_entry at;
  u32 err = resolve(ctx, mem, fd, KILN_WASI_RIGHT_PATH_REMOVE_DIRECTORY, path, path_len, KILN_AT_ENTRY, &at);
  if (err != KILN_WASI_ESUCCESS) return err;
  err = host_result(unlinkat(at.dir, at.name, AT_REMOVEDIR));
  kiln_sandbox_at_release(&at);
  return err;
}

u32 kiln_wasi_path_unlink_file(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 path, u32 path_len) {
  kiln_sandbox_entry at;
  u32 err = resolve(ctx, mem, fd, KILN_WASI_RIGHT_PATH_UNLINK_FILE, path, path_len, KILN_AT_ENTRY, &at);
  if (err != KILN_WASI_ESUCCESS) return err;
  err = host_result(unlinkat(at.dir, at.name, 0));
  kiln_sandbox_at_release(&at);
  return err;
}

u32 kiln_wasi_path_rename(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 old_path, u32 old_path_len, u32 new_fd,
                          u32 new_path, u32 new_path_len) {
  kiln_sandbox_entry from, to;
  u32 err = resolve(ctx, mem, fd, KILN_WASI_RIGHT_PATH_RENAME_SOURCE, old_path, old_path_len, KILN_AT_ENTRY, &from);
  if (err != KILN_WASI_ESUCCESS) return err;
  err = resolve(ctx, mem, new_fd, KILN_WASI_RIGHT_PATH_RENAME_TARGET, new_path, new_path_len, KILN_AT_ENTRY, &to);
  if (err == KILN_WASI_ESUCCESS) {
    err = host_result(renameat(from.dir, from.name, to.dir, to.name));
    kiln_sandbox_at_release(&to);
  }
  kiln_sandbox_at_release(&from);
  return err;
}

/* The link's contents are not resolved now, but an absolute target could never be followed from inside
 * the sandbox, so it is refused up front (as cap-std does). */
u32 kiln_wasi_path_symlink(kiln_ctx* ctx, kiln_memory* mem, u32 old_path, u32 old_path_len, u32 fd, u32 new_path,
                           u32 new_path_len) {
  char* target;
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_dir_lookup(ctx, fd, KILN_WASI_RIGHT_PATH_SYMLINK, &e);
  if (err == KILN_WASI_ESUCCESS) err = kiln_wasi_guest_path(mem, old_path, old_path_len, &target);
  if (err != KILN_WASI_ESUCCESS) return err;
  kiln_sandbox_entry at;
  if (target[0] == '/') err = KILN_WASI_ENOTCAPABLE;
  else err = resolve(ctx, mem, fd, KILN_WASI_RIGHT_PATH_SYMLINK, new_path, new_path_len, KILN_AT_ENTRY, &at);
  if (err == KILN_WASI_ESUCCESS) {
    err = host_result(symlinkat(target, at.dir, at.name));
    kiln_sandbox_at_release(&at);
  }
  free(target);
  return err;
}

/* A target longer than the buffer is truncated to it (bufused == buf_len), as wasmtime does. */
u32 kiln_wasi_path_readlink(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 path, u32 path_len, u32 buf,
                            u32 buf_len, u32 bufused_out) {
  u8* out = kiln_guest_range(mem, buf, buf_len);
  u8* used = kiln_guest_range(mem, bufused_out, 4);
  kiln_wasi_fd* e;
  u32 err = kiln_wasi_dir_lookup(ctx, fd, KILN_WASI_RIGHT_PATH_READLINK, &e);
  if (err != KILN_WASI_ESUCCESS) return err;
  if (out == NULL || used == NULL) return KILN_WASI_EFAULT;
  kiln_sandbox_entry at;
  err = resolve(ctx, mem, fd, KILN_WASI_RIGHT_PATH_READLINK, path, path_len, 0, &at);
  if (err != KILN_WASI_ESUCCESS) return err;
  char* target;
  err = kiln_sandbox_readlink(at.dir, at.name, &target);
  kiln_sandbox_at_release(&at);
  if (err != KILN_WASI_ESUCCESS) return err;
  size_t n = strlen(target);
  if (n > buf_len) n = buf_len;
  memcpy(out, target, n);
  kiln_put_u32(used, (u32)n);
  free(target);
  return KILN_WASI_ESUCCESS;
}

/* Hard links: both ends resolve beneath their preopens, so nothing outside can be linked in. */
u32 kiln_wasi_path_link(kiln_ctx* ctx, kiln_memory* mem, u32 old_fd, u32 old_flags, u32 old_path,
                        u32 old_path_len, u32 new_fd, u32 new_path, u32 new_path_len) {
  kiln_sandbox_entry from, to;
  int how = (old_flags & KILN_WASI_LOOKUP_SYMLINK_FOLLOW) ? KILN_AT_FOLLOW : 0;
  u32 err = resolve(ctx, mem, old_fd, KILN_WASI_RIGHT_PATH_LINK_SOURCE, old_path, old_path_len, how, &from);
  if (err != KILN_WASI_ESUCCESS) return err;
  err = resolve(ctx, mem, new_fd, KILN_WASI_RIGHT_PATH_LINK_TARGET, new_path, new_path_len, KILN_AT_ENTRY, &to);
  if (err == KILN_WASI_ESUCCESS) {
    err = host_result(linkat(from.dir, from.name, to.dir, to.name, 0)); /* 0: never follows */
    kiln_sandbox_at_release(&to);
  }
  kiln_sandbox_at_release(&from);
  return err;
}

u32 kiln_wasi_path_filestat_get(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 flags, u32 path, u32 path_len,
                                u32 filestat_out) {
  u8* out = kiln_guest_range(mem, filestat_out, KILN_WASI_FILESTAT_SIZE);
  kiln_sandbox_entry at;
  int how = (flags & KILN_WASI_LOOKUP_SYMLINK_FOLLOW) ? KILN_AT_FOLLOW : 0;
  u32 err = resolve(ctx, mem, fd, KILN_WASI_RIGHT_PATH_FILESTAT_GET, path, path_len, how, &at);
  if (err != KILN_WASI_ESUCCESS) return err;
  struct stat st;
  if (out == NULL) err = KILN_WASI_EFAULT;
  else if (fstatat(at.dir, at.name, &st, AT_SYMLINK_NOFOLLOW) != 0) err = kiln_wasi_errno(errno);
  else kiln_wasi_put_filestat(out, &st, -1);
  kiln_sandbox_at_release(&at);
  return err;
}

u32 kiln_wasi_path_filestat_set_times(kiln_ctx* ctx, kiln_memory* mem, u32 fd, u32 flags, u32 path, u32 path_len,
                                      u64 atim, u64 mtim, u32 fst_flags) {
  struct timespec ts[2];
  u32 err = kiln_wasi_timespecs(atim, mtim, fst_flags, ts);
  if (err != KILN_WASI_ESUCCESS) return err;
  kiln_sandbox_entry at;
  int how = (flags & KILN_WASI_LOOKUP_SYMLINK_FOLLOW) ? KILN_AT_FOLLOW : 0;
  err = resolve(ctx, mem, fd, KILN_WASI_RIGHT_PATH_FILESTAT_SET_TIMES, path, path_len, how, &at);
  if (err != KILN_WASI_ESUCCESS) return err;
  err = host_result(utimensat(at.dir, at.name, ts, AT_SYMLINK_NOFOLLOW));
  kiln_sandbox_at_release(&at);
  return err;
}
