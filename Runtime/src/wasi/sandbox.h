/* Path resolution that never leaves a preopen. See sandbox.c for the rules. Private to src/wasi. */
#ifndef KILN_WASI_SANDBOX_H
#define KILN_WASI_SANDBOX_H

#include <sys/types.h>

#include "kiln_abi.h"
#include "kiln_attrs.h"

/* Symlinks followed in one resolution before ELOOP (Linux's own limit). */
#define KILN_SANDBOX_MAX_LINKS 40

/* Opens `path` beneath the directory fd `base` with open(2) flags and mode (O_CLOEXEC is added; with
 * O_NOFOLLOW a final symlink is not followed). Absolute paths, `..` above base and symlinks that lead
 * outside it give ENOTCAPABLE. Returns a WASI errno; on success *out is the new host fd. */
KILN_HIDDEN u32 kiln_sandbox_open(int base, const char* path, int flags, mode_t mode, int* out);

/* An entry named by a path, as a directory fd beneath base plus one component within it, for the *at()
 * calls that act on an entry (mkdirat, unlinkat, renameat, linkat, symlinkat, readlinkat, fstatat,
 * utimensat). Every caller must use the no-follow form of its call: if the entry is a symlink, that
 * symlink is what the call must act on. */
typedef struct kiln_sandbox_entry {
  int dir;        /* base itself, or an fd this struct owns */
  int owned;
  const char* name;
  char* storage;
} kiln_sandbox_entry;

/* KILN_AT_FOLLOW: a final symlink is followed (within base), so `name` is not a symlink on return.
 * KILN_AT_ENTRY: the call names the entry itself (create, remove, rename, link target): a trailing slash
 * stays on `name` and never follows anything. Without ENTRY, a trailing slash follows like FOLLOW and the
 * entry must be a directory. A final `.` or `..` resolves the whole path and names it as ".". */
#define KILN_AT_FOLLOW 1
#define KILN_AT_ENTRY 2
KILN_HIDDEN u32 kiln_sandbox_at(int base, const char* path, int how, kiln_sandbox_entry* at);
KILN_HIDDEN void kiln_sandbox_at_release(kiln_sandbox_entry* at);

/* A symlink's target (malloc'd, NUL-terminated); name may be "" for an O_PATH fd of the link itself. */
KILN_HIDDEN u32 kiln_sandbox_readlink(int dir, const char* name, char** out);

/* The fallback when openat2 is missing: a component-by-component walk with O_NOFOLLOW (sandbox_walk.c).
 * Same contract as kiln_sandbox_open. */
KILN_HIDDEN u32 kiln_sandbox_walk_open(int base, const char* path, int flags, mode_t mode, int* out);

/* For tests: 0 makes kiln_sandbox_open use the walk even where openat2 works; 1 goes back to probing. */
KILN_HIDDEN void kiln_sandbox_use_openat2(int enabled);

#endif
