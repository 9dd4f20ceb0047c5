/* WASI preview1 runtime tests: a standalone program (its own main) that calls kiln_wasi_* directly on a
 * 1-page kiln_memory, with a scratch directory tree under /tmp as the only preopen (guest "/").
 *
 *   clang -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror -fsanitize=undefined,address \
 *     -I Runtime/include Runtime/tests/wasi_test.c Runtime/src/[*].c Runtime/src/wasi/[*].c -lm
 * (with the brackets read as plain wildcards).
 *
 * Every escape test runs twice: with openat2 (RESOLVE_BENEATH) and with the O_NOFOLLOW walk that replaces
 * it on old kernels. The last line is `N passed, M failed`. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kiln_memory.h"
#include "kiln_wasi.h"
#include "../src/wasi/sandbox.h"
#include "../src/wasi/wasi_types.h"

static int passed, failed;
static kiln_memory mem;
static kiln_ctx ctx;
static kiln_wasi* w;
static char root[256];    /* the temp tree: root/box is the preopen, root/outside is not */
static char box[300];
static const char* mode_name = "openat2";

static void record(int ok, int line, const char* what, unsigned long long got, unsigned long long want) {
  if (ok) {
    passed++;
    return;
  }
  failed++;
  printf("FAIL wasi_test.c:%d [%s]: %s (got %llu, want %llu)\n", line, mode_name, what, got, want);
}
#define CHECK(c) record(!!(c), __LINE__, #c, 0, 1)
#define CHECK_EQ(got, want)                                                                     \
  do {                                                                                          \
    unsigned long long g_ = (unsigned long long)(got), w_ = (unsigned long long)(want);         \
    record(g_ == w_, __LINE__, #got " == " #want, g_, w_);                                      \
  } while (0)

/* Guest memory, as the test sees it (the runtime itself only goes through kiln_guest_range). */
static u32 put(u32 addr, const void* p, size_t n) { memcpy(mem.data + addr, p, n); return addr; }
static u32 rd32(u32 addr) { u32 v; memcpy(&v, mem.data + addr, 4); return v; }
static u64 rd64(u32 addr) { u64 v; memcpy(&v, mem.data + addr, 8); return v; }
static void wr32(u32 addr, u32 v) { memcpy(mem.data + addr, &v, 4); }
static void wr64(u32 addr, u64 v) { memcpy(mem.data + addr, &v, 8); }

enum { PATH = 0x1000, PATH2 = 0x1800, OUT = 0x100, IOV = 0x200, DATA = 0x2000, BIG = 0x8000 };
#define ALL_RIGHTS 0x1FFFFFFFull
#define PREOPEN 3u
/* What wasi-libc asks for when it opens a directory: everything but fd_write (which is EISDIR). */
#define DIR_RIGHTS (ALL_RIGHTS & ~KILN_WASI_RIGHT_FD_WRITE)

/* path_open relative to the preopen; returns the errno, the fd in *fd. */
static u32 open_path(const char* path, u32 lookup, u32 oflags, u64 rights, u32 fdflags, u32* fd) {
  put(PATH, path, strlen(path));
  wr32(OUT, 0xFFFFFFFFu);
  u32 e = kiln_wasi_path_open(&ctx, &mem, PREOPEN, lookup, PATH, (u32)strlen(path), oflags, rights, ALL_RIGHTS, fdflags, OUT);
  *fd = rd32(OUT);
  return e;
}

static u32 stat_path(const char* path, u32 lookup, struct stat* unused) {
  (void)unused;
  put(PATH, path, strlen(path));
  return kiln_wasi_path_filestat_get(&ctx, &mem, PREOPEN, lookup, PATH, (u32)strlen(path), DATA);
}

static u32 write_fd(u32 fd, const char* s) {
  put(DATA, s, strlen(s));
  wr32(IOV, DATA);
  wr32(IOV + 4, (u32)strlen(s));
  return kiln_wasi_fd_write(&ctx, &mem, fd, IOV, 1, OUT);
}

static void sh(const char* fmt, const char* a) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, fmt, a, a, a, a);
  if (system(cmd) != 0) {
    printf("setup failed: %s\n", cmd);
    exit(2);
  }
}

static void make_tree(void) {
  strcpy(root, "/tmp/kiln-wasi-test-XXXXXX");
  if (mkdtemp(root) == NULL) exit(2);
  snprintf(box, sizeof box, "%s/box", root);
  sh("mkdir -p %s/box/a/b %s/box/rd %s/outside && echo secret > %s/outside/secret", root);
  sh("echo hello > %s/box/file && echo inner > %s/box/a/b/passwd && ln -s /etc %s/box/link_etc", root);
  sh("ln -s ../outside %s/box/link_up && ln -s a/b %s/box/link_in && ln -s loop2 %s/box/loop1 && ln -s loop1 %s/box/loop2", root);
  sh("mkdir %s/box/swap && echo inner > %s/box/swap/passwd && ln -s /etc %s/box/other", root);
  sh("ln -s a/../../outside/secret %s/box/link_sneaky && ln -s ../../../outside %s/box/a/b/deep_up", root);
  for (int i = 0; i < 40; i++) {
    char p[512];
    snprintf(p, sizeof p, "%s/rd/entry-%02d-with-a-long-name-to-fill-buffers", box, i);
    int fd = open(p, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) exit(2);
    close(fd);
  }
}

static void test_args_environ(void) {
  CHECK_EQ(kiln_wasi_args_sizes_get(&ctx, &mem, OUT, OUT + 4), 0);
  CHECK_EQ(rd32(OUT), 3);
  CHECK_EQ(rd32(OUT + 4), strlen("prog") + strlen("the \"second\" arg") + strlen("new\nline") + 3);
  CHECK_EQ(kiln_wasi_args_get(&ctx, &mem, IOV, DATA), 0);
  CHECK_EQ(rd32(IOV), DATA);
  CHECK(strcmp((char*)mem.data + rd32(IOV + 4), "the \"second\" arg") == 0);
  CHECK(strcmp((char*)mem.data + rd32(IOV + 8), "new\nline") == 0);
  CHECK_EQ(kiln_wasi_environ_sizes_get(&ctx, &mem, OUT, OUT + 4), 0);
  CHECK_EQ(rd32(OUT), 2); /* exactly the configured variables, nothing inherited */
  CHECK_EQ(kiln_wasi_environ_get(&ctx, &mem, IOV, DATA), 0);
  CHECK(strcmp((char*)mem.data + rd32(IOV), "a=text") == 0);
  CHECK(strcmp((char*)mem.data + rd32(IOV + 4), "c=escap \" ing\nx") == 0);
  /* Outputs past the end of memory: EFAULT. */
  CHECK_EQ(kiln_wasi_args_sizes_get(&ctx, &mem, 65534, OUT), KILN_WASI_EFAULT);
  CHECK_EQ(kiln_wasi_args_get(&ctx, &mem, IOV, 65530), KILN_WASI_EFAULT);
  CHECK_EQ(kiln_wasi_environ_get(&ctx, &mem, 0xFFFFFFFFu, DATA), KILN_WASI_EFAULT);
}

static void test_no_state(void) {
  kiln_ctx bare = {0};
  CHECK_EQ(kiln_wasi_args_sizes_get(&bare, &mem, OUT, OUT + 4), KILN_WASI_ENOSYS);
  CHECK_EQ(kiln_wasi_fd_write(&bare, &mem, 1, IOV, 0, OUT), KILN_WASI_EBADF);
  int not_wasi = 7;
  bare.host = &not_wasi;
  CHECK_EQ(kiln_wasi_environ_sizes_get(&bare, &mem, OUT, OUT + 4), KILN_WASI_ENOSYS);
}

static void test_proc_exit(void) {
  jmp_buf jb;
  ctx.jmp = &jb;
  ctx.exit_code = -1;
  if (setjmp(jb) == 0) {
    kiln_wasi_proc_exit(&ctx, &mem, 33);
  }
  CHECK_EQ(ctx.trap_code, KILN_TRAP_EXIT);
  CHECK_EQ(ctx.exit_code, 33);
  ctx.jmp = NULL;
  CHECK_EQ(kiln_wasi_proc_raise(&ctx, &mem, 6), KILN_WASI_ENOSYS);
  CHECK_EQ(kiln_wasi_sched_yield(&ctx, &mem), 0);
}

static void test_clocks(void) {
  for (u32 id = 0; id < 4; id++) {
    CHECK_EQ(kiln_wasi_clock_res_get(&ctx, &mem, id, OUT), 0);
    CHECK(rd64(OUT) > 0);
    CHECK_EQ(kiln_wasi_clock_time_get(&ctx, &mem, id, 1, OUT), 0);
  }
  CHECK_EQ(kiln_wasi_clock_time_get(&ctx, &mem, KILN_WASI_CLOCK_REALTIME, 1, OUT), 0);
  CHECK(rd64(OUT) > 1600000000ull * 1000000000ull);
  CHECK_EQ(kiln_wasi_clock_time_get(&ctx, &mem, 4, 1, OUT), KILN_WASI_EINVAL);
  CHECK_EQ(kiln_wasi_clock_res_get(&ctx, &mem, 99, OUT), KILN_WASI_EINVAL);
  CHECK_EQ(kiln_wasi_clock_time_get(&ctx, &mem, 0, 1, 65531), KILN_WASI_EFAULT);
}

static void test_random(void) {
  CHECK_EQ(kiln_wasi_random_get(&ctx, &mem, 65536, 0), 0); /* empty range at the very end */
  CHECK_EQ(kiln_wasi_random_get(&ctx, &mem, 0, 65536), 0); /* all of memory */
  CHECK_EQ(kiln_wasi_random_get(&ctx, &mem, 65537, 0), KILN_WASI_EFAULT);
  CHECK_EQ(kiln_wasi_random_get(&ctx, &mem, 1, 65536), KILN_WASI_EFAULT);
  CHECK_EQ(kiln_wasi_random_get(&ctx, &mem, 0xFFFFFFFFu, 0xFFFFFFFFu), KILN_WASI_EFAULT);
  kiln_memory big;
  CHECK_EQ(kiln_memory_new(&big, 512, 512, 0), 0); /* 32 MiB: more than one getrandom call returns */
  CHECK_EQ(kiln_wasi_random_get(&ctx, &big, 0, 512u * 65536u), 0);
  int nonzero = 0;
  for (u32 i = 32u * 1024 * 1024 - 64; i < 32u * 1024 * 1024; i++) nonzero |= big.data[i];
  CHECK(nonzero);
  kiln_memory_free(&big);
}

/* fd_write to a pipe standing in for stdout, and iovecs that run past the end of memory. */
static void test_write_pipe(void) {
  int p[2], saved = dup(1);
  CHECK(pipe(p) == 0);
  fflush(stdout);
  dup2(p[1], 1);
  kiln_wasi* piped = kiln_wasi_new(0, NULL, 0, NULL, 0, NULL, NULL);
  dup2(saved, 1);
  close(saved);
  close(p[1]);
  kiln_ctx c = {0};
  c.host = piped;
  put(DATA, "hello", 5);
  wr32(IOV, DATA), wr32(IOV + 4, 3), wr32(IOV + 8, DATA + 3), wr32(IOV + 12, 2);
  CHECK_EQ(kiln_wasi_fd_write(&c, &mem, 1, IOV, 2, OUT), 0);
  CHECK_EQ(rd32(OUT), 5);
  wr32(IOV + 8, 65530), wr32(IOV + 12, 7); /* second iovec ends one byte past memory */
  CHECK_EQ(kiln_wasi_fd_write(&c, &mem, 1, IOV, 2, OUT), KILN_WASI_EFAULT);
  wr32(IOV + 8, 0xFFFFFFF0u), wr32(IOV + 12, 0x20); /* would wrap in 32 bits */
  CHECK_EQ(kiln_wasi_fd_write(&c, &mem, 1, IOV, 2, OUT), KILN_WASI_EFAULT);
  CHECK_EQ(kiln_wasi_fd_write(&c, &mem, 1, 65532, 1, OUT), KILN_WASI_EFAULT); /* the iovec array itself */
  CHECK_EQ(kiln_wasi_fd_write(&c, &mem, 1, IOV, 0x20000000u, OUT), KILN_WASI_EFAULT);
  wr32(IOV + 4, 3);
  CHECK_EQ(kiln_wasi_fd_write(&c, &mem, 1, IOV, 1, 65533), KILN_WASI_EFAULT); /* nwritten out of range */
  kiln_wasi_free(piped);
  char buf[64];
  ssize_t n = read(p[0], buf, sizeof buf); /* only the first write arrived; the failed ones wrote nothing */
  CHECK_EQ(n, 5);
  CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
  close(p[0]);
  CHECK_EQ(kiln_wasi_fd_write(&ctx, &mem, 0xFFFF85A7u, IOV, 1, OUT), KILN_WASI_EBADF); /* fd -31337 */
  CHECK_EQ(kiln_wasi_fd_write(&ctx, &mem, 99, IOV, 1, OUT), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, 99), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_fd_read(&ctx, &mem, 1000000, IOV, 1, OUT), KILN_WASI_EBADF);
}

static void test_prestat(void) {
  CHECK_EQ(kiln_wasi_fd_prestat_get(&ctx, &mem, PREOPEN, OUT), 0);
  CHECK_EQ(mem.data[OUT], 0);
  CHECK_EQ(rd32(OUT + 4), 1);
  CHECK_EQ(kiln_wasi_fd_prestat_dir_name(&ctx, &mem, PREOPEN, DATA, 1), 0);
  CHECK_EQ(mem.data[DATA], '/');
  CHECK_EQ(kiln_wasi_fd_prestat_dir_name(&ctx, &mem, PREOPEN, DATA, 0), KILN_WASI_ENAMETOOLONG);
  CHECK_EQ(kiln_wasi_fd_prestat_dir_name(&ctx, &mem, PREOPEN, 65536, 1), KILN_WASI_EFAULT);
  CHECK_EQ(kiln_wasi_fd_prestat_get(&ctx, &mem, PREOPEN + 1, OUT), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_fd_prestat_get(&ctx, &mem, 1, OUT), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_fd_fdstat_get(&ctx, &mem, PREOPEN, OUT), 0);
  CHECK_EQ(mem.data[OUT], KILN_WASI_FILETYPE_DIRECTORY);
  CHECK(rd64(OUT + 8) & KILN_WASI_RIGHT_PATH_OPEN);
  CHECK(rd64(OUT + 16) & KILN_WASI_RIGHT_FD_READ);
  CHECK_EQ(kiln_wasi_sock_shutdown(&ctx, &mem, PREOPEN, 1), KILN_WASI_ENOTSOCK);
  CHECK_EQ(kiln_wasi_sock_shutdown(&ctx, &mem, 1, 1), KILN_WASI_ENOTSOCK);
  CHECK_EQ(kiln_wasi_sock_shutdown(&ctx, &mem, 50, 1), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_sock_accept(&ctx, &mem, 50, 0, OUT), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_sock_recv(&ctx, &mem, 0, IOV, 1, 0, OUT, OUT + 4), KILN_WASI_ENOTSOCK);
  CHECK_EQ(kiln_wasi_sock_send(&ctx, &mem, 2, IOV, 1, 0, OUT), KILN_WASI_ENOTSOCK);
}

/* Escapes: every one refused, whatever the resolver. */
static void test_escapes(void) {
  u32 fd;
  const u32 F = KILN_WASI_LOOKUP_SYMLINK_FOLLOW;
  CHECK_EQ(open_path("../outside/secret", F, 0, ALL_RIGHTS, 0, &fd), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(open_path("..", F, 0, ALL_RIGHTS, 0, &fd), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(open_path("a/../../outside/secret", F, 0, ALL_RIGHTS, 0, &fd), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(open_path("/etc/passwd", F, 0, ALL_RIGHTS, 0, &fd), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(open_path("link_etc/passwd", F, 0, ALL_RIGHTS, 0, &fd), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(open_path("link_up/secret", F, 0, ALL_RIGHTS, 0, &fd), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(open_path("link_sneaky", F, 0, ALL_RIGHTS, 0, &fd), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(open_path("a/b/deep_up/secret", F, 0, ALL_RIGHTS, 0, &fd), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(open_path("link_etc", F, KILN_WASI_OFLAG_DIRECTORY, DIR_RIGHTS, 0, &fd), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(open_path("link_up/new", F, KILN_WASI_OFLAG_CREAT, ALL_RIGHTS, 0, &fd), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(open_path("loop1", F, 0, ALL_RIGHTS, 0, &fd), KILN_WASI_ELOOP);
  CHECK_EQ(open_path("link_in", 0, 0, KILN_WASI_RIGHT_FD_READ, 0, &fd), KILN_WASI_ELOOP); /* no follow */
  char outside[512];
  snprintf(outside, sizeof outside, "%s/outside/new", root);
  CHECK(access(outside, F_OK) != 0);
  /* Entry operations: stat, utimes, link, rename, mkdir, unlink, readlink, symlink. */
  CHECK_EQ(stat_path("link_etc/passwd", F, NULL), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(stat_path("link_etc", F, NULL), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(stat_path("link_etc/", 0, NULL), KILN_WASI_ENOTCAPABLE); /* a trailing slash follows */
  CHECK_EQ(stat_path("link_etc", 0, NULL), 0);
  CHECK_EQ(mem.data[DATA + 16], KILN_WASI_FILETYPE_SYMBOLIC_LINK);
  CHECK_EQ(stat_path("../outside/secret", 0, NULL), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(stat_path("/etc", 0, NULL), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(stat_path("..", 0, NULL), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(stat_path("a/b/../../..", 0, NULL), KILN_WASI_ENOTCAPABLE);
  put(PATH, "link_up", 7);
  CHECK_EQ(kiln_wasi_path_filestat_set_times(&ctx, &mem, PREOPEN, F, PATH, 7, 0, 0, KILN_WASI_FST_MTIM), KILN_WASI_ENOTCAPABLE);
  put(PATH, "link_up/secret", 14), put(PATH2, "stolen", 6);
  CHECK_EQ(kiln_wasi_path_link(&ctx, &mem, PREOPEN, F, PATH, 14, PREOPEN, PATH2, 6), KILN_WASI_ENOTCAPABLE);
  put(PATH, "../outside/secret", 17);
  CHECK_EQ(kiln_wasi_path_link(&ctx, &mem, PREOPEN, 0, PATH, 17, PREOPEN, PATH2, 6), KILN_WASI_ENOTCAPABLE);
  put(PATH, "link_sneaky", 11);
  CHECK_EQ(kiln_wasi_path_link(&ctx, &mem, PREOPEN, F, PATH, 11, PREOPEN, PATH2, 6), KILN_WASI_ENOTCAPABLE);
  put(PATH, "file", 4), put(PATH2, "../stolen", 9);
  CHECK_EQ(kiln_wasi_path_rename(&ctx, &mem, PREOPEN, PATH, 4, PREOPEN, PATH2, 9), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(kiln_wasi_path_link(&ctx, &mem, PREOPEN, 0, PATH, 4, PREOPEN, PATH2, 9), KILN_WASI_ENOTCAPABLE);
  put(PATH, "link_up/x", 9);
  CHECK_EQ(kiln_wasi_path_create_directory(&ctx, &mem, PREOPEN, PATH, 9), KILN_WASI_ENOTCAPABLE);
  put(PATH, "link_up/secret", 14);
  CHECK_EQ(kiln_wasi_path_unlink_file(&ctx, &mem, PREOPEN, PATH, 14), KILN_WASI_ENOTCAPABLE);
  put(PATH, "/etc/passwd", 11), put(PATH2, "abs", 3);
  CHECK_EQ(kiln_wasi_path_symlink(&ctx, &mem, PATH, 11, PREOPEN, PATH2, 3), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(kiln_wasi_path_readlink(&ctx, &mem, PREOPEN, PATH, 11, DATA, 64, OUT), KILN_WASI_ENOTCAPABLE);
  snprintf(outside, sizeof outside, "%s/outside/secret", root);
  struct stat st;
  CHECK(stat(outside, &st) == 0 && st.st_nlink == 1); /* no hard link was made to it */
  snprintf(outside, sizeof outside, "%s/stolen", root);
  CHECK(access(outside, F_OK) != 0);
}

/* Legitimate paths through symlinks and `..` that stay inside. */
static void test_inside(void) {
  u32 fd;
  const u32 F = KILN_WASI_LOOKUP_SYMLINK_FOLLOW;
  CHECK_EQ(open_path("link_in/passwd", F, 0, KILN_WASI_RIGHT_FD_READ, 0, &fd), 0);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  CHECK_EQ(open_path("a/b/../../file", F, 0, KILN_WASI_RIGHT_FD_READ, 0, &fd), 0);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  CHECK_EQ(open_path("a/..", F, KILN_WASI_OFLAG_DIRECTORY, DIR_RIGHTS, 0, &fd), 0);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  CHECK_EQ(open_path(".", F, KILN_WASI_OFLAG_DIRECTORY, DIR_RIGHTS, 0, &fd), 0);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  CHECK_EQ(open_path("link_in/", F, 0, KILN_WASI_RIGHT_FD_READDIR, 0, &fd), 0);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  CHECK_EQ(open_path("file/", F, 0, KILN_WASI_RIGHT_FD_READ, 0, &fd), KILN_WASI_ENOTDIR);
  CHECK_EQ(open_path("missing", F, 0, KILN_WASI_RIGHT_FD_READ, 0, &fd), KILN_WASI_ENOENT);
  CHECK_EQ(open_path("", F, 0, KILN_WASI_RIGHT_FD_READ, 0, &fd), KILN_WASI_ENOENT);
  CHECK_EQ(stat_path("link_in", F, NULL), 0);
  CHECK_EQ(mem.data[DATA + 16], KILN_WASI_FILETYPE_DIRECTORY);
  CHECK_EQ(stat_path("a/b/..", 0, NULL), 0);
  CHECK_EQ(mem.data[DATA + 16], KILN_WASI_FILETYPE_DIRECTORY);
  CHECK_EQ(stat_path("file/", 0, NULL), KILN_WASI_ENOTDIR);
  /* Bad path arguments. */
  put(PATH, "fi\0le", 5);
  CHECK_EQ(kiln_wasi_path_open(&ctx, &mem, PREOPEN, 0, PATH, 5, 0, 2, 0, 0, OUT), KILN_WASI_EINVAL);
  CHECK_EQ(kiln_wasi_path_open(&ctx, &mem, PREOPEN, 0, 65530, 10, 0, 2, 0, 0, OUT), KILN_WASI_EFAULT);
  CHECK_EQ(kiln_wasi_path_open(&ctx, &mem, PREOPEN, 0, PATH, 4, 0, 2, 0, 0, 65535), KILN_WASI_EFAULT);
  memset(mem.data + BIG, 'a', 5000);
  CHECK_EQ(kiln_wasi_path_open(&ctx, &mem, PREOPEN, 0, BIG, 5000, 0, 2, 0, 0, OUT), KILN_WASI_ENAMETOOLONG);
  CHECK_EQ(kiln_wasi_path_open(&ctx, &mem, 1, 0, PATH, 1, 0, 2, 0, 0, OUT), KILN_WASI_ENOTDIR);
  CHECK_EQ(kiln_wasi_path_open(&ctx, &mem, 77, 0, PATH, 1, 0, 2, 0, 0, OUT), KILN_WASI_EBADF);
}

/* The access mode comes from fd_read and fd_write alone: reopening a directory with the very rights
 * fd_fdstat_get reports for it (fd_datasync, fd_allocate, fd_filestat_set_size among them) opens it, and a
 * directory asked for with fd_write is EISDIR, as open(2) and wasmtime have it. */
static void test_directory_access_mode(void) {
  u32 fd;
  const u32 F = KILN_WASI_LOOKUP_SYMLINK_FOLLOW;
  CHECK_EQ(kiln_wasi_fd_fdstat_get(&ctx, &mem, PREOPEN, OUT), 0);
  const u64 base = rd64(OUT + 8);
  CHECK(base & KILN_WASI_RIGHT_FD_DATASYNC); /* the rights that used to ask for writing */
  const u64 extra = KILN_WASI_RIGHT_FD_DATASYNC | KILN_WASI_RIGHT_FD_ALLOCATE | KILN_WASI_RIGHT_FD_FILESTAT_SET_SIZE;
  CHECK_EQ(open_path(".", F, 0, base, 0, &fd), 0);
  CHECK_EQ(kiln_wasi_fd_fdstat_get(&ctx, &mem, fd, OUT), 0);
  CHECK_EQ(mem.data[OUT], KILN_WASI_FILETYPE_DIRECTORY);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  CHECK_EQ(open_path(".", F, KILN_WASI_OFLAG_DIRECTORY, base | extra, 0, &fd), 0);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  CHECK_EQ(open_path("a", F, KILN_WASI_OFLAG_DIRECTORY, extra, 0, &fd), 0);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  /* fd_allocate alone on a file no longer opens it for writing: writes are refused. */
  CHECK_EQ(open_path("file", F, 0, KILN_WASI_RIGHT_FD_READ | extra, 0, &fd), 0);
  CHECK_EQ(write_fd(fd, "x"), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  /* fd_write on a directory. */
  wr32(OUT, 0xFFFFFFFFu);
  CHECK_EQ(open_path(".", F, KILN_WASI_OFLAG_DIRECTORY, base | KILN_WASI_RIGHT_FD_WRITE, 0, &fd), KILN_WASI_EISDIR);
  CHECK_EQ(fd, 0xFFFFFFFFu); /* no fd was handed out */
  CHECK_EQ(open_path("a", F, KILN_WASI_OFLAG_DIRECTORY, KILN_WASI_RIGHT_FD_WRITE, 0, &fd), KILN_WASI_EISDIR);
  CHECK_EQ(open_path("a", F, 0, KILN_WASI_RIGHT_FD_WRITE, 0, &fd), KILN_WASI_EISDIR);
  CHECK_EQ(open_path("file", F, KILN_WASI_OFLAG_DIRECTORY, KILN_WASI_RIGHT_FD_WRITE, 0, &fd), KILN_WASI_ENOTDIR);
  CHECK_EQ(open_path("missing", F, KILN_WASI_OFLAG_DIRECTORY, KILN_WASI_RIGHT_FD_WRITE, 0, &fd), KILN_WASI_ENOENT);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, 4), KILN_WASI_EBADF); /* nothing leaked into the fd table */
}

/* A symlink swapped in and out of the path while it is being resolved: renameat2(RENAME_EXCHANGE) flips
 * "swap" (a real directory holding passwd) and "other" (a symlink to /etc) as fast as it can. Whatever
 * either name is at the moment of the open, we must get the inner passwd or a refusal, never /etc's. */
static atomic_int swapping;
static void* swapper(void* arg) {
  (void)arg;
  char a[512], b[512];
  snprintf(a, sizeof a, "%s/swap", box);
  snprintf(b, sizeof b, "%s/other", box);
  while (atomic_load(&swapping)) renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
  return NULL;
}

static void test_swapped_symlink(void) {
  struct stat etc;
  if (stat("/etc/passwd", &etc) != 0) return;
  pthread_t t;
  atomic_store(&swapping, 1);
  if (pthread_create(&t, NULL, swapper, NULL) != 0) return;
  int escaped = 0, opened = 0, refused = 0;
  time_t start = time(NULL);
  /* At least 4000 rounds, and on until both states were seen (a single CPU may run the swapper late). */
  for (int i = 0; i < 4000 || ((opened == 0 || refused == 0) && time(NULL) - start < 5); i++) {
    u32 fd;
    u32 e = open_path(i % 2 ? "swap/passwd" : "other/passwd", KILN_WASI_LOOKUP_SYMLINK_FOLLOW, 0,
                      KILN_WASI_RIGHT_FD_READ, 0, &fd);
    if (e == 0) {
      opened++;
      if (kiln_wasi_fd_filestat_get(&ctx, &mem, fd, DATA) != 0 ||
          (rd64(DATA + 8) == (u64)etc.st_ino && rd64(DATA) == (u64)etc.st_dev))
        escaped++;
      kiln_wasi_fd_close(&ctx, &mem, fd);
    } else if (e == KILN_WASI_ENOTCAPABLE) {
      refused++;
    }
    if (stat_path(i % 2 ? "other/passwd" : "swap/passwd", KILN_WASI_LOOKUP_SYMLINK_FOLLOW, NULL) == 0 &&
        rd64(DATA + 8) == (u64)etc.st_ino && rd64(DATA) == (u64)etc.st_dev)
      escaped++;
  }
  atomic_store(&swapping, 0);
  pthread_join(t, NULL);
  CHECK_EQ(escaped, 0);
  CHECK(opened > 0 && refused > 0); /* both states of the race were seen */
}

static void test_renumber(void) {
  u32 fd, fd2;
  CHECK_EQ(open_path("file", KILN_WASI_LOOKUP_SYMLINK_FOLLOW, 0, KILN_WASI_RIGHT_FD_READ, 0, &fd), 0);
  CHECK_EQ(kiln_wasi_fd_renumber(&ctx, &mem, fd, fd), 0); /* CVE-2025-53901: must not close it */
  CHECK_EQ(kiln_wasi_fd_fdstat_get(&ctx, &mem, fd, OUT), 0);
  CHECK_EQ(kiln_wasi_fd_renumber(&ctx, &mem, PREOPEN, PREOPEN), 0);
  CHECK_EQ(open_path("a/b/passwd", KILN_WASI_LOOKUP_SYMLINK_FOLLOW, 0, KILN_WASI_RIGHT_FD_READ, 0, &fd2), 0);
  CHECK_EQ(kiln_wasi_fd_renumber(&ctx, &mem, fd2, fd), 0); /* fd now reads a/b/passwd, fd2 is gone */
  CHECK_EQ(kiln_wasi_fd_fdstat_get(&ctx, &mem, fd2, OUT), KILN_WASI_EBADF);
  wr32(IOV, DATA), wr32(IOV + 4, 16);
  CHECK_EQ(kiln_wasi_fd_read(&ctx, &mem, fd, IOV, 1, OUT), 0);
  CHECK_EQ(rd32(OUT), 6);
  CHECK(memcmp(mem.data + DATA, "inner\n", 6) == 0);
  CHECK_EQ(kiln_wasi_fd_renumber(&ctx, &mem, fd, 500), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_fd_renumber(&ctx, &mem, 500, fd), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), KILN_WASI_EBADF);
}

static void test_file_io(void) {
  u32 fd;
  const u32 F = KILN_WASI_LOOKUP_SYMLINK_FOLLOW;
  u64 rw = KILN_WASI_RIGHT_FD_READ | KILN_WASI_RIGHT_FD_WRITE | KILN_WASI_RIGHT_FD_SEEK;
  CHECK_EQ(open_path("new.txt", F, KILN_WASI_OFLAG_CREAT | KILN_WASI_OFLAG_EXCL, rw, 0, &fd), 0);
  CHECK_EQ(write_fd(fd, "0123456789"), 0);
  CHECK_EQ(rd32(OUT), 10);
  CHECK_EQ(kiln_wasi_fd_seek(&ctx, &mem, fd, (u64)-4, KILN_WASI_WHENCE_CUR, OUT), 0);
  CHECK_EQ(rd64(OUT), 6);
  CHECK_EQ(kiln_wasi_fd_tell(&ctx, &mem, fd, OUT), 0);
  CHECK_EQ(rd64(OUT), 6);
  CHECK_EQ(kiln_wasi_fd_seek(&ctx, &mem, fd, 0, 3, OUT), KILN_WASI_EINVAL);
  CHECK_EQ(kiln_wasi_fd_seek(&ctx, &mem, fd, (u64)-100, KILN_WASI_WHENCE_SET, OUT), KILN_WASI_EINVAL);
  wr32(IOV, DATA), wr32(IOV + 4, 3);
  CHECK_EQ(kiln_wasi_fd_pread(&ctx, &mem, fd, IOV, 1, 2, OUT), 0);
  CHECK_EQ(rd32(OUT), 3);
  CHECK(memcmp(mem.data + DATA, "234", 3) == 0);
  put(DATA, "xy", 2), wr32(IOV + 4, 2);
  CHECK_EQ(kiln_wasi_fd_pwrite(&ctx, &mem, fd, IOV, 1, 8, OUT), 0);
  CHECK_EQ(kiln_wasi_fd_tell(&ctx, &mem, fd, OUT), 0);
  CHECK_EQ(rd64(OUT), 6); /* pread/pwrite leave the offset alone */
  CHECK_EQ(kiln_wasi_fd_filestat_get(&ctx, &mem, fd, DATA), 0);
  CHECK_EQ(mem.data[DATA + 16], KILN_WASI_FILETYPE_REGULAR_FILE);
  CHECK_EQ(rd64(DATA + 32), 10);
  CHECK_EQ(kiln_wasi_fd_filestat_set_size(&ctx, &mem, fd, 4), 0);
  CHECK_EQ(kiln_wasi_fd_filestat_set_times(&ctx, &mem, fd, 1000000000ull, 2000000000ull, KILN_WASI_FST_ATIM | KILN_WASI_FST_MTIM), 0);
  CHECK_EQ(kiln_wasi_fd_filestat_get(&ctx, &mem, fd, DATA), 0);
  CHECK_EQ(rd64(DATA + 32), 4);
  CHECK_EQ(rd64(DATA + 48), 2000000000ull);
  CHECK_EQ(kiln_wasi_fd_filestat_set_times(&ctx, &mem, fd, 0, 0, KILN_WASI_FST_ATIM | KILN_WASI_FST_ATIM_NOW), KILN_WASI_EINVAL);
  CHECK_EQ(kiln_wasi_fd_sync(&ctx, &mem, fd), 0);
  CHECK_EQ(kiln_wasi_fd_datasync(&ctx, &mem, fd), 0);
  CHECK_EQ(kiln_wasi_fd_advise(&ctx, &mem, fd, 0, 100, KILN_WASI_ADVICE_SEQUENTIAL), 0);
  CHECK_EQ(kiln_wasi_fd_advise(&ctx, &mem, fd, 0, 100, 9), KILN_WASI_EINVAL);
  CHECK_EQ(kiln_wasi_fd_allocate(&ctx, &mem, fd, 0, 100), 0);
  CHECK_EQ(kiln_wasi_fd_filestat_get(&ctx, &mem, fd, DATA), 0);
  CHECK_EQ(rd64(DATA + 32), 100);
  CHECK_EQ(kiln_wasi_fd_fdstat_set_flags(&ctx, &mem, fd, KILN_WASI_FDFLAG_APPEND), 0);
  CHECK_EQ(kiln_wasi_fd_fdstat_get(&ctx, &mem, fd, OUT), 0);
  CHECK_EQ(rd32(OUT) >> 16, KILN_WASI_FDFLAG_APPEND);
  CHECK_EQ(kiln_wasi_fd_fdstat_set_flags(&ctx, &mem, fd, KILN_WASI_FDFLAG_SYNC), KILN_WASI_ENOTSUP);
  /* Rights: drop fd_read, then reading fails; rights cannot come back. */
  CHECK_EQ(kiln_wasi_fd_fdstat_set_rights(&ctx, &mem, fd, KILN_WASI_RIGHT_FD_WRITE, 0), 0);
  CHECK_EQ(kiln_wasi_fd_read(&ctx, &mem, fd, IOV, 1, OUT), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_fd_tell(&ctx, &mem, fd, OUT), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(kiln_wasi_fd_fdstat_set_rights(&ctx, &mem, fd, rw, 0), KILN_WASI_ENOTCAPABLE);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  /* A read-only open reports fd_read but not fd_write, and writing fails with EBADF. */
  CHECK_EQ(open_path("file", F, 0, KILN_WASI_RIGHT_FD_READ | KILN_WASI_RIGHT_FD_SEEK, 0, &fd), 0);
  CHECK_EQ(kiln_wasi_fd_fdstat_get(&ctx, &mem, fd, OUT), 0);
  CHECK(rd64(OUT + 8) & KILN_WASI_RIGHT_FD_READ);
  CHECK(!(rd64(OUT + 8) & KILN_WASI_RIGHT_FD_WRITE));
  CHECK_EQ(write_fd(fd, "no"), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_fd_readdir(&ctx, &mem, fd, DATA, 64, 0, OUT), KILN_WASI_ENOTDIR);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  CHECK_EQ(open_path("new.txt", F, KILN_WASI_OFLAG_CREAT | KILN_WASI_OFLAG_EXCL, rw, 0, &fd), KILN_WASI_EEXIST);
  CHECK_EQ(open_path("new.txt", F, KILN_WASI_OFLAG_TRUNC, rw, 0, &fd), 0);
  CHECK_EQ(kiln_wasi_fd_filestat_get(&ctx, &mem, fd, DATA), 0);
  CHECK_EQ(rd64(DATA + 32), 0);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
}

static void test_path_ops(void) {
  const u32 F = KILN_WASI_LOOKUP_SYMLINK_FOLLOW;
  put(PATH, "d1", 2);
  CHECK_EQ(kiln_wasi_path_create_directory(&ctx, &mem, PREOPEN, PATH, 2), 0);
  CHECK_EQ(kiln_wasi_path_create_directory(&ctx, &mem, PREOPEN, PATH, 2), KILN_WASI_EEXIST);
  put(PATH, "d1", 2), put(PATH2, "d2", 2);
  CHECK_EQ(kiln_wasi_path_rename(&ctx, &mem, PREOPEN, PATH, 2, PREOPEN, PATH2, 2), 0);
  CHECK_EQ(stat_path("d2", 0, NULL), 0);
  put(PATH, "a/b/passwd", 10), put(PATH2, "d2/hard", 7);
  CHECK_EQ(kiln_wasi_path_link(&ctx, &mem, PREOPEN, 0, PATH, 10, PREOPEN, PATH2, 7), 0);
  CHECK_EQ(stat_path("d2/hard", 0, NULL), 0);
  CHECK_EQ(rd64(DATA + 24), 2);
  put(PATH, "../a/b/passwd", 13), put(PATH2, "d2/sym", 6);
  CHECK_EQ(kiln_wasi_path_symlink(&ctx, &mem, PATH, 13, PREOPEN, PATH2, 6), 0);
  CHECK_EQ(stat_path("d2/sym", F, NULL), 0);
  CHECK_EQ(mem.data[DATA + 16], KILN_WASI_FILETYPE_REGULAR_FILE);
  CHECK_EQ(kiln_wasi_path_readlink(&ctx, &mem, PREOPEN, PATH2, 6, DATA, 64, OUT), 0);
  CHECK_EQ(rd32(OUT), 13);
  CHECK(memcmp(mem.data + DATA, "../a/b/passwd", 13) == 0);
  CHECK_EQ(kiln_wasi_path_readlink(&ctx, &mem, PREOPEN, PATH2, 6, DATA, 4, OUT), 0); /* truncated */
  CHECK_EQ(rd32(OUT), 4);
  CHECK_EQ(kiln_wasi_path_readlink(&ctx, &mem, PREOPEN, PATH2, 6, 65534, 4, OUT), KILN_WASI_EFAULT);
  put(PATH, "file", 4);
  CHECK_EQ(kiln_wasi_path_readlink(&ctx, &mem, PREOPEN, PATH, 4, DATA, 64, OUT), KILN_WASI_EINVAL);
  put(PATH, "d2/sym", 6);
  CHECK_EQ(kiln_wasi_path_filestat_set_times(&ctx, &mem, PREOPEN, F, PATH, 6, 0, 3000000000ull, KILN_WASI_FST_MTIM), 0);
  CHECK_EQ(stat_path("a/b/passwd", 0, NULL), 0);
  CHECK_EQ(rd64(DATA + 48), 3000000000ull); /* followed to the target */
  put(PATH, "d2", 2);
  CHECK_EQ(kiln_wasi_path_unlink_file(&ctx, &mem, PREOPEN, PATH, 2), KILN_WASI_EISDIR);
  CHECK_EQ(kiln_wasi_path_remove_directory(&ctx, &mem, PREOPEN, PATH, 2), KILN_WASI_ENOTEMPTY);
  put(PATH, "file/", 5);
  CHECK_EQ(kiln_wasi_path_unlink_file(&ctx, &mem, PREOPEN, PATH, 5), KILN_WASI_ENOTDIR);
  put(PATH, "d2/sym", 6);
  CHECK_EQ(kiln_wasi_path_unlink_file(&ctx, &mem, PREOPEN, PATH, 6), 0);
  put(PATH, "d2/hard", 7);
  CHECK_EQ(kiln_wasi_path_unlink_file(&ctx, &mem, PREOPEN, PATH, 7), 0);
  put(PATH, "d2/", 3);
  CHECK_EQ(kiln_wasi_path_remove_directory(&ctx, &mem, PREOPEN, PATH, 3), 0);
  CHECK_EQ(stat_path("d2", 0, NULL), KILN_WASI_ENOENT);
  put(PATH, "x", 1);
  CHECK_EQ(kiln_wasi_path_create_directory(&ctx, &mem, 1, PATH, 1), KILN_WASI_ENOTDIR);
}

/* Reads a directory the way wasi-libc does: resume from the last whole entry's cookie, and grow the buffer
 * when not even one entry fits. */
static void test_readdir(void) {
  u32 fd;
  CHECK_EQ(open_path("rd", 0, KILN_WASI_OFLAG_DIRECTORY, DIR_RIGHTS, 0, &fd), 0);
  int seen[40] = {0}, dots = 0, bad = 0, total = 0;
  u64 cookie = 0;
  u32 size = 32;
  for (int calls = 0; calls < 1000; calls++) {
    CHECK_EQ(kiln_wasi_fd_readdir(&ctx, &mem, fd, BIG, size, cookie, OUT), 0);
    u32 used = rd32(OUT), pos = 0;
    int whole = 0;
    while (pos + KILN_WASI_DIRENT_SIZE <= used) {
      u32 namlen = rd32(BIG + pos + 16);
      if (pos + KILN_WASI_DIRENT_SIZE + namlen > used) break;
      char name[256] = {0};
      memcpy(name, mem.data + BIG + pos + KILN_WASI_DIRENT_SIZE, namlen < 255 ? namlen : 255);
      struct stat st;
      char full[700];
      snprintf(full, sizeof full, "%s/rd/%s", box, name);
      if (lstat(full, &st) != 0 || (u64)st.st_ino != rd64(BIG + pos + 8)) bad++;
      int i;
      if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) dots++;
      else if (sscanf(name, "entry-%d-", &i) == 1 && i >= 0 && i < 40) seen[i]++;
      else bad++;
      if (mem.data[BIG + pos + 20] != (name[0] == '.' ? KILN_WASI_FILETYPE_DIRECTORY : KILN_WASI_FILETYPE_REGULAR_FILE)) bad++;
      cookie = rd64(BIG + pos);
      pos += KILN_WASI_DIRENT_SIZE + namlen;
      whole++;
      total++;
    }
    if (used < size) break;
    if (whole == 0) size *= 2;
  }
  CHECK_EQ(dots, 2);
  CHECK_EQ(bad, 0);
  CHECK_EQ(total, 42);
  int all_once = 1;
  for (int i = 0; i < 40; i++) all_once &= seen[i] == 1;
  CHECK(all_once);
  CHECK_EQ(kiln_wasi_fd_readdir(&ctx, &mem, fd, BIG, 4096, 1000, OUT), 0); /* past the end */
  CHECK_EQ(rd32(OUT), 0);
  CHECK_EQ(kiln_wasi_fd_readdir(&ctx, &mem, fd, BIG, 4096, 0, OUT), 0); /* rewinds */
  CHECK(rd32(OUT) > 40 * KILN_WASI_DIRENT_SIZE);
  CHECK_EQ(kiln_wasi_fd_readdir(&ctx, &mem, fd, 65000, 4096, 0, OUT), KILN_WASI_EFAULT);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
}

static void test_poll(void) {
  u32 fd;
  CHECK_EQ(open_path("file", 0, 0, KILN_WASI_RIGHT_FD_READ, 0, &fd), 0);
  memset(mem.data + BIG, 0, 3 * KILN_WASI_SUBSCRIPTION_SIZE);
  wr64(BIG, 11), mem.data[BIG + 8] = KILN_WASI_EVENT_CLOCK;
  wr32(BIG + 16, KILN_WASI_CLOCK_MONOTONIC), wr64(BIG + 24, 2000000); /* 2 ms */
  CHECK_EQ(kiln_wasi_poll_oneoff(&ctx, &mem, BIG, DATA, 1, OUT), 0);
  CHECK_EQ(rd32(OUT), 1);
  CHECK_EQ(rd64(DATA), 11);
  CHECK_EQ(mem.data[DATA + 10], KILN_WASI_EVENT_CLOCK);
  u32 s = BIG + KILN_WASI_SUBSCRIPTION_SIZE;
  wr64(s, 22), mem.data[s + 8] = KILN_WASI_EVENT_FD_READ, wr32(s + 16, fd);
  s += KILN_WASI_SUBSCRIPTION_SIZE;
  wr64(s, 33), mem.data[s + 8] = KILN_WASI_EVENT_FD_WRITE, wr32(s + 16, 4242);
  wr64(BIG + 24, 10000000000ull); /* 10 s: must not be waited for, the file is ready */
  CHECK_EQ(kiln_wasi_poll_oneoff(&ctx, &mem, BIG, DATA, 3, OUT), 0);
  CHECK_EQ(rd32(OUT), 2);
  CHECK_EQ(rd64(DATA), 22);
  CHECK_EQ(rd64(DATA + 16), 6); /* "hello\n" unread */
  CHECK_EQ(rd64(DATA + 32), 33);
  CHECK_EQ(rd32(DATA + 32 + 8) & 0xFFFF, KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_poll_oneoff(&ctx, &mem, BIG, DATA, 0, OUT), KILN_WASI_EINVAL);
  CHECK_EQ(kiln_wasi_poll_oneoff(&ctx, &mem, 65500, DATA, 3, OUT), KILN_WASI_EFAULT);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
}

static void test_new_failures(void) {
  const char* missing[] = {"/nonexistent/kiln/dir"};
  errno = 0;
  CHECK(kiln_wasi_new(0, NULL, 0, NULL, 1, missing, NULL) == NULL);
  CHECK_EQ(errno, ENOENT);
  const char* file[] = {"/etc/passwd"};
  CHECK(kiln_wasi_new(0, NULL, 0, NULL, 1, file, NULL) == NULL);
  CHECK_EQ(errno, ENOTDIR);
  kiln_wasi_free(NULL);
}

static void run_sandbox_tests(void) {
  test_escapes();
  test_inside();
  test_swapped_symlink();
}

int main(void) {
  make_tree();
  if (kiln_memory_new(&mem, 1, 1, 0) != 0) return 2;
  const char* argv[] = {"prog", "the \"second\" arg", "new\nline"};
  const char* envp[] = {"a=text", "c=escap \" ing\nx"};
  const char* host[] = {box};
  const char* guest[] = {"/"};
  w = kiln_wasi_new(3, argv, 2, envp, 1, host, guest);
  if (w == NULL) return 2;
  ctx.host = w;
  test_args_environ();
  test_no_state();
  test_proc_exit();
  test_clocks();
  test_random();
  test_write_pipe();
  test_prestat();
  test_directory_access_mode();
  run_sandbox_tests();
  kiln_sandbox_use_openat2(0);
  mode_name = "walk";
  run_sandbox_tests();
  test_renumber();
  test_file_io();
  test_path_ops();
  test_readdir();
  kiln_sandbox_use_openat2(1);
  mode_name = "openat2";
  test_renumber();
  test_poll();
  test_new_failures();
  kiln_wasi_free(w);
  kiln_memory_free(&mem);
  sh("rm -rf %s", root);
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
