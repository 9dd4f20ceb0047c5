/* The component-by-component walk used where openat2 is missing (sandbox.c has the rules).
 *
 * Each directory on the way is opened with O_PATH | O_NOFOLLOW relative to the previous one and kept open,
 * so the walk always holds the real directory it checked: a symlink swapped in later cannot redirect it.
 * A symlink is read through its own O_PATH fd and its target spliced in front of the rest of the path;
 * `..` pops back to the fd of the parent we came through and is refused at the starting directory. The
 * last component is opened with O_NOFOLLOW added, and followed by hand when it is a symlink and the
 * caller asked to follow. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox.h"
#include "wasi_state.h"

/* Directory depth the walk will hold fds for. */
#define KILN_WALK_MAX_DEPTH 1024

typedef struct walk {
  int base;
  int stack[KILN_WALK_MAX_DEPTH]; /* stack[0] = base, not owned; the rest are owned */
  int depth;                      /* stack[depth - 1] is the current directory */
  char* rest;                     /* the path still to walk (owned) */
  int links;
} walk;

static int walk_cur(const walk* w) { return w->stack[w->depth - 1]; }

static void walk_free(walk* w) {
  for (int i = 1; i < w->depth; i++) close(w->stack[i]);
  w->depth = 1;
  free(w->rest);
  w->rest = NULL;
}

/* rest := target + "/" + tail, or just target when tail is empty and no slash must follow it. The tail
 * may point into the old rest: it is copied before that is freed. */
static u32 walk_splice(walk* w, const char* target, const char* tail, int slash) {
  if (++w->links > KILN_SANDBOX_MAX_LINKS) return KILN_WASI_ELOOP;
  if (target[0] == '/') return KILN_WASI_ENOTCAPABLE;
  if (target[0] == '\0') return KILN_WASI_ENOENT;
  size_t tl = strlen(target), rl = strlen(tail);
  char* next = malloc(tl + rl + 2);
  if (next == NULL) return KILN_WASI_ENOMEM;
  memcpy(next, target, tl);
  if (rl == 0 && !slash) {
    next[tl] = '\0';
  } else {
    next[tl] = '/';
    memcpy(next + tl + 1, tail, rl + 1);
  }
  free(w->rest);
  w->rest = next;
  return KILN_WASI_ESUCCESS;
}

static int open_retrying(int dir, const char* name, int flags, mode_t mode) {
  int fd;
  do fd = openat(dir, name, flags | O_CLOEXEC, mode); while (fd < 0 && errno == EINTR);
  return fd;
}

/* Opens the last component. If it is a symlink to follow, splices its target in and sets *again. */
static u32 walk_last(walk* w, const char* name, int flags, mode_t mode, int* out, int* again) {
  int follow = !(flags & O_NOFOLLOW);
  int fd = open_retrying(walk_cur(w), name, flags | O_NOFOLLOW, mode);
  struct stat st;
  if (fd >= 0) {
    /* Only O_PATH opens a symlink itself under O_NOFOLLOW; then it must be followed by hand. */
    if (!follow || !(flags & O_PATH) || fstat(fd, &st) != 0 || !S_ISLNK(st.st_mode)) {
      *out = fd;
      return KILN_WASI_ESUCCESS;
    }
    close(fd);
  } else {
    int e = errno;
    if (!follow || (e != ELOOP && e != ENOTDIR && e != EMLINK)) return kiln_wasi_errno(e);
    if (fstatat(walk_cur(w), name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISLNK(st.st_mode))
      return kiln_wasi_errno(e);
  }
  char* target = NULL;
  u32 err = kiln_sandbox_readlink(walk_cur(w), name, &target);
  if (err != KILN_WASI_ESUCCESS) return err;
  err = walk_splice(w, target, "", 0);
  free(target);
  if (err == KILN_WASI_ESUCCESS) *again = 1;
  return err;
}

static u32 walk_run(walk* w, int flags, mode_t mode, int* out) {
  size_t pos = 0;
  for (;;) {
    const char* r = w->rest;
    while (r[pos] == '/') pos++;
    if (r[pos] == '\0') /* the path ended with a slash after a directory */
      return walk_last(w, ".", flags & ~O_NOFOLLOW, mode, out, &(int){0});
    size_t s = pos;
    while (r[pos] != '\0' && r[pos] != '/') pos++;
    size_t q = pos;
    while (r[q] == '/') q++;
    int last = r[q] == '\0', slash = q > pos;
    char name[256];
    if (pos - s >= sizeof name) return KILN_WASI_ENAMETOOLONG;
    memcpy(name, r + s, pos - s);
    name[pos - s] = '\0';
    if (strcmp(name, "..") == 0) {
      if (w->depth == 1) return KILN_WASI_ENOTCAPABLE; /* above the starting directory */
      close(w->stack[--w->depth]);
    }
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
      if (last) return walk_last(w, ".", flags & ~O_NOFOLLOW, mode, out, &(int){0});
      continue;
    }
    if (last && !slash) {
      int again = 0;
      u32 err = walk_last(w, name, flags, mode, out, &again);
      if (!again) return err;
      pos = 0;
      continue;
    }
    /* A directory on the way (or a last component with a trailing slash): symlinks are followed. */
    int fd = open_retrying(walk_cur(w), name, O_PATH | O_NOFOLLOW, 0);
    if (fd < 0) return kiln_wasi_errno(errno);
    struct stat st;
    if (fstat(fd, &st) != 0) {
      int e = errno;
      close(fd);
      return kiln_wasi_errno(e);
    }
    if (S_ISLNK(st.st_mode)) {
      char* target = NULL;
      u32 err = kiln_sandbox_readlink(fd, "", &target); /* the link this fd holds, not a re-lookup */
      close(fd);
      if (err == KILN_WASI_ESUCCESS) err = walk_splice(w, target, r + q, slash);
      free(target);
      if (err != KILN_WASI_ESUCCESS) return err;
      pos = 0;
      continue;
    }
    if (!S_ISDIR(st.st_mode) || w->depth == KILN_WALK_MAX_DEPTH) {
      close(fd);
      return S_ISDIR(st.st_mode) ? KILN_WASI_ENAMETOOLONG : KILN_WASI_ENOTDIR;
    }
    w->stack[w->depth++] = fd;
    pos = q;
  }
}

u32 kiln_sandbox_walk_open(int base, const char* path, int flags, mode_t mode, int* out) {
  if (path[0] == '/') return KILN_WASI_ENOTCAPABLE;
  if (path[0] == '\0') return KILN_WASI_ENOENT;
  walk* w = malloc(sizeof *w);
  if (w == NULL) return KILN_WASI_ENOMEM;
  w->base = base;
  w->stack[0] = base;
  w->depth = 1;
  w->links = 0;
  w->rest = strdup(path);
  u32 err = w->rest == NULL ? KILN_WASI_ENOMEM : walk_run(w, flags, mode, out);
  walk_free(w);
  free(w);
  return err;
}
