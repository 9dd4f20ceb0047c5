/* The path-escape rules: what a guest path may reach from a preopen.
 *
 * A guest path is resolved beneath the directory fd it is relative to and nowhere else:
 *  - absolute paths are refused (ENOTCAPABLE): the guest has no root of its own;
 *  - `..` may climb back up to that directory but never above it (ENOTCAPABLE);
 *  - symlinks are followed only while they stay beneath it: an absolute target, or one that climbs out,
 *    is refused (ENOTCAPABLE), and a loop gives ELOOP after 40 links;
 *  - /proc-style magic links are never followed.
 * On Linux >= 5.6 the kernel enforces all of this atomically: openat2 with RESOLVE_BENEATH checks every
 * step of the walk it performs itself, so a symlink swapped in after any check of ours cannot redirect
 * it. Where openat2 is missing (ENOSYS, or refused by a seccomp filter) sandbox_walk.c walks component by
 * component with O_NOFOLLOW, holding an fd for each directory on the way.
 *
 * Operations on an entry rather than an open file (mkdir, unlink, rename, link, symlink, readlink, stat,
 * utimes) resolve the parent directory this way, hold it as an fd, and act on the last component with
 * the no-follow *at() call; when that component must be followed, its symlink target is spliced into the
 * path and resolved again, under the same rules. Hard links can therefore only be made between entries
 * beneath preopens. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#if defined(__has_include) && __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#else
struct open_how {
  uint64_t flags, mode, resolve;
};
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_BENEATH 0x08
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#define KILN_HAVE_OPENAT2 1
#endif

#include "sandbox.h"
#include "wasi_state.h"

/* 0: not probed yet; 1: openat2 enforces RESOLVE_BENEATH; -1: use the walk. Per runtime copy, and every
 * copy reaches the same answer, so the duplication is harmless. */
static int openat2_state;

void kiln_sandbox_use_openat2(int enabled) { openat2_state = enabled ? 0 : -1; }

/* Probes with a request RESOLVE_BENEATH must refuse with EXDEV; anything else (ENOSYS on old kernels,
 * EPERM from seccomp filters that predate openat2) means it cannot be relied on. */
static int openat2_usable(void) {
#ifdef KILN_HAVE_OPENAT2
  if (openat2_state == 0) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_BENEATH;
    long r = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how);
    if (r >= 0) close((int)r);
    openat2_state = r < 0 && errno == EXDEV ? 1 : -1;
  }
  return openat2_state == 1;
#else
  return 0;
#endif
}

u32 kiln_sandbox_open(int base, const char* path, int flags, mode_t mode, int* out) {
  if (path[0] == '/') return KILN_WASI_ENOTCAPABLE;
  if (path[0] == '\0') return KILN_WASI_ENOENT;
  if (!openat2_usable()) return kiln_sandbox_walk_open(base, path, flags, mode, out);
#ifdef KILN_HAVE_OPENAT2
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = (uint64_t)(unsigned)(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (uint64_t)(mode & 07777) : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int tries = 0;; tries++) {
    long r = syscall(SYS_openat2, base, path, &how, sizeof how);
    if (r >= 0) {
      *out = (int)r;
      return KILN_WASI_ESUCCESS;
    }
    /* EAGAIN: a concurrent rename made the kernel unsure a `..` stayed beneath; it asks for a retry. */
    if (errno == EINTR || (errno == EAGAIN && tries < 16)) continue;
    return errno == EXDEV ? KILN_WASI_ENOTCAPABLE : kiln_wasi_errno(errno);
  }
#else
  return KILN_WASI_ENOSYS;
#endif
}

u32 kiln_sandbox_readlink(int dir, const char* name, char** out) {
  char* buf = malloc(KILN_WASI_PATH_MAX + 1);
  if (buf == NULL) return KILN_WASI_ENOMEM;
  ssize_t n = readlinkat(dir, name, buf, KILN_WASI_PATH_MAX + 1);
  if (n < 0 || n > (ssize_t)KILN_WASI_PATH_MAX) {
    u32 err = n < 0 ? kiln_wasi_errno(errno) : KILN_WASI_ENAMETOOLONG;
    free(buf);
    return err;
  }
  buf[n] = '\0';
  *out = buf;
  return KILN_WASI_ESUCCESS;
}

static int is_dot_or_dotdot(const char* s, size_t n) {
  return (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

void kiln_sandbox_at_release(kiln_sandbox_entry* at) {
  if (at->owned && at->dir >= 0) close(at->dir);
  free(at->storage);
  at->dir = -1;
  at->owned = 0;
  at->name = NULL;
  at->storage = NULL;
}

/* Replaces the last component of *path (which starts at `start`) by a symlink's target: the target is
 * relative to the directory holding the link, which is exactly the prefix before `start`. */
static u32 splice_target(char** path, size_t start, const char* target, int slash) {
  if (target[0] == '/') return KILN_WASI_ENOTCAPABLE;
  if (target[0] == '\0') return KILN_WASI_ENOENT;
  size_t tl = strlen(target);
  char* next = malloc(start + tl + 2);
  if (next == NULL) return KILN_WASI_ENOMEM;
  memcpy(next, *path, start);
  memcpy(next + start, target, tl);
  size_t n = start + tl;
  if (slash) next[n++] = '/';
  next[n] = '\0';
  free(*path);
  *path = next;
  return KILN_WASI_ESUCCESS;
}

u32 kiln_sandbox_at(int base, const char* path, int how, kiln_sandbox_entry* at) {
  at->dir = -1;
  at->owned = 0;
  at->name = NULL;
  at->storage = NULL;
  if (path[0] == '/') return KILN_WASI_ENOTCAPABLE;
  if (path[0] == '\0') return KILN_WASI_ENOENT;
  char* cur = strdup(path);
  if (cur == NULL) return KILN_WASI_ENOMEM;
  u32 err = KILN_WASI_ESUCCESS;
  for (int links = 0;;) {
    /* cur never starts with '/', so the last component is non-empty. */
    size_t len = strlen(cur), end = len;
    while (end > 0 && cur[end - 1] == '/') end--;
    size_t start = end;
    while (start > 0 && cur[start - 1] != '/') start--;
    int slash = end < len;
    if (is_dot_or_dotdot(cur + start, end - start)) { /* the directory the whole path names */
      int fd;
      err = kiln_sandbox_open(base, cur, O_PATH | O_DIRECTORY, 0, &fd);
      if (err != KILN_WASI_ESUCCESS) break;
      at->dir = fd;
      at->owned = 1;
      at->name = ".";
      at->storage = cur;
      return KILN_WASI_ESUCCESS;
    }
    int dir = base, owned = 0;
    if (start > 0) {
      char saved = cur[start];
      cur[start] = '\0';
      err = kiln_sandbox_open(base, cur, O_PATH | O_DIRECTORY, 0, &dir);
      cur[start] = saved;
      if (err != KILN_WASI_ESUCCESS) break;
      owned = 1;
    }
    cur[end] = '\0';
    int follow = (how & KILN_AT_FOLLOW) || (slash && !(how & KILN_AT_ENTRY));
    struct stat st;
    if (follow && fstatat(dir, cur + start, &st, AT_SYMLINK_NOFOLLOW) == 0) {
      if (S_ISLNK(st.st_mode)) {
        char* target = NULL;
        err = ++links > KILN_SANDBOX_MAX_LINKS ? KILN_WASI_ELOOP : kiln_sandbox_readlink(dir, cur + start, &target);
        if (err == KILN_WASI_ESUCCESS) err = splice_target(&cur, start, target, slash);
        free(target);
        if (owned) close(dir);
        if (err != KILN_WASI_ESUCCESS) break;
        continue;
      }
      if (slash && !(how & KILN_AT_ENTRY) && !S_ISDIR(st.st_mode)) {
        if (owned) close(dir);
        err = KILN_WASI_ENOTDIR;
        break;
      }
    }
    if (slash && (how & KILN_AT_ENTRY)) cur[end] = '/'; /* the host call sees the trailing slash */
    at->dir = dir;
    at->owned = owned;
    at->name = cur + start;
    at->storage = cur;
    return KILN_WASI_ESUCCESS;
  }
  free(cur);
  return err;
}
