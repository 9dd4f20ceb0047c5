/* The WASI state behind ctx->host and the helpers the src/wasi files share: the fd table, errno
 * translation, guest strings. Private to src/wasi. */
#ifndef KILN_WASI_STATE_H
#define KILN_WASI_STATE_H

#include <pthread.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "kiln_wasi.h"
#include "wasi_types.h"

/* kiln_ctx.host is a void*; the magic tells a kiln_wasi from other host data. */
#define KILN_WASI_MAGIC 0x4b574153u /* "KWAS" */
/* Longest guest path accepted (bytes, without a terminator): Linux's PATH_MAX minus the NUL. */
#define KILN_WASI_PATH_MAX 4095u
/* Most iovecs handed to one host call (Linux's IOV_MAX); a longer list reads or writes less, as POSIX allows. */
#define KILN_WASI_IOV_MAX 1024u
/* Most fds the guest may hold at once. */
#define KILN_WASI_FD_LIMIT 65536u

/* One guest fd. host < 0 marks a free slot. */
typedef struct kiln_wasi_fd {
  int host;
  u8 filetype;                /* KILN_WASI_FILETYPE_* */
  u8 is_preopen;
  u8 read_only;               /* a --readonly-dir or an fd opened beneath one (fd_table.c) */
  u64 rights_base, rights_inheriting;
  char* preopen_name;         /* guest path of a preopen */
  u32 preopen_name_len;
  void* dir;                  /* fd_readdir's DIR stream, opened on first use */
  u64 dir_next;               /* the cookie of the entry the stream returns next */
} kiln_wasi_fd;

struct kiln_wasi {
  u32 magic;
  /* Threads (wasi-threads) share the state: calls that cannot block hold the lock; `spawn` is the host's. */
  pthread_mutex_t lock;
  kiln_wasi_spawn_fn spawn;
  u32 live_threads; /* atomic */
  u32 argc, envc;
  char** argv;                /* argc strings */
  char** envp;                /* envc "NAME=VALUE" strings */
  u64 argv_bytes, envp_bytes; /* sums of strlen + 1 */
  /* KILN_WASI_FD_LIMIT slots allocated once (untouched pages cost nothing), so that an entry never moves
   * under a call running without the lock; nfds of them are in use (initialised), published atomically. */
  kiln_wasi_fd* fds;
  u32 nfds;
};

/* ctx->host as WASI state, or NULL. */
KILN_HIDDEN kiln_wasi* kiln_wasi_state(kiln_ctx* ctx);

/* errno.c: a host errno as a WASI errno (EIO for ones WASI lacks). */
KILN_HIDDEN u32 kiln_wasi_errno(int host_errno);

/* fd_table.c */
/* The rights that change the file system, which a read-only fd keeps (so that fd_fdstat_get reports what
 * wasmtime reports, and wasi-libc derives the same rights from them) but never gets to use. */
#define KILN_WASI_RIGHTS_MUTATE                                                                          \
  (KILN_WASI_RIGHT_FD_WRITE | KILN_WASI_RIGHT_FD_ALLOCATE | KILN_WASI_RIGHT_FD_FILESTAT_SET_SIZE |         \
   KILN_WASI_RIGHT_FD_FILESTAT_SET_TIMES | KILN_WASI_RIGHT_PATH_CREATE_DIRECTORY |                         \
   KILN_WASI_RIGHT_PATH_CREATE_FILE | KILN_WASI_RIGHT_PATH_LINK_SOURCE | KILN_WASI_RIGHT_PATH_LINK_TARGET | \
   KILN_WASI_RIGHT_PATH_RENAME_SOURCE | KILN_WASI_RIGHT_PATH_RENAME_TARGET |                               \
   KILN_WASI_RIGHT_PATH_FILESTAT_SET_SIZE | KILN_WASI_RIGHT_PATH_FILESTAT_SET_TIMES |                       \
   KILN_WASI_RIGHT_PATH_SYMLINK | KILN_WASI_RIGHT_PATH_REMOVE_DIRECTORY | KILN_WASI_RIGHT_PATH_UNLINK_FILE)
/* The guest fd's entry if it is open and holds `rights`: else EBADF (also when ctx has no WASI state),
 * or ENOTCAPABLE for a missing right (EBADF for a missing fd_read/fd_write, as POSIX reports it), or EPERM
 * when the fd is read-only and `rights` would change the file system. */
KILN_HIDDEN u32 kiln_wasi_fd_lookup(kiln_ctx* ctx, u32 fd, u64 rights, kiln_wasi_fd** out);
/* The same for a directory fd used by path_*: ENOTDIR when it is not a directory. */
KILN_HIDDEN u32 kiln_wasi_dir_lookup(kiln_ctx* ctx, u32 fd, u64 rights, kiln_wasi_fd** out);
/* Takes ownership of host (closed on failure) and places it in the lowest free slot. */
KILN_HIDDEN u32 kiln_wasi_fd_insert(kiln_wasi* w, int host, u32* fd_out);
/* Closes the host fd and the readdir stream and frees the slot. */
KILN_HIDDEN void kiln_wasi_fd_release(kiln_wasi_fd* e);
/* The WASI filetype of a host file (sockets are asked for their type). */
KILN_HIDDEN u8 kiln_wasi_filetype(int host, mode_t mode);

/* fd_stat.c */
/* struct stat as a 64-byte filestat at p. */
KILN_HIDDEN void kiln_wasi_put_filestat(u8* p, const struct stat* st, int host);
/* WASI (atim, mtim, fst_flags) as utimensat's times; EINVAL for contradictory flags. */
KILN_HIDDEN u32 kiln_wasi_timespecs(u64 atim, u64 mtim, u32 fst_flags, struct timespec ts[2]);

/* path.c: the guest path [ptr, ptr + len) as a NUL-terminated malloc'd string. EFAULT, ENAMETOOLONG,
 * EINVAL for an embedded NUL, ENOMEM. */
KILN_HIDDEN u32 kiln_wasi_guest_path(kiln_memory* mem, u32 ptr, u32 len, char** out);

/* clock.c: the host clock for a WASI clock id; 0 or EINVAL. */
KILN_HIDDEN u32 kiln_wasi_clock(u32 id, clockid_t* out);
/* A timespec as WASI nanoseconds (saturating; times before 1970 read as 0). */
KILN_HIDDEN u64 kiln_wasi_ns(const struct timespec* ts);

#endif
