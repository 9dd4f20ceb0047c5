/* Read-only preopens (kiln_wasi_new_with_flags, `--readonly-dir`): a standalone program like wasi_test.c
 * that calls kiln_wasi_* directly. Guest fd 3 is a read-only preopen of a scratch tree under /tmp, fd 4 a
 * writable one beside it. Every call that could change the tree through fd 3, or through an fd opened
 * beneath it, must fail (EPERM; fd_write and fd_pwrite EBADF, as wasmtime says) and leave the host tree
 * exactly as it was; reading, stat, readdir and seeking must still work, and fd 4 must stay writable.
 * The last line is `N passed, M failed`. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiln_memory.h"
#include "kiln_wasi.h"
#include "../src/wasi/wasi_types.h"

static int passed, failed;
static kiln_memory mem;
static kiln_ctx ctx;
static char root[256]; /* root/ro is the read-only preopen, root/rw the writable one */

static void record(int ok, int line, const char* what, unsigned long long got, unsigned long long want) {
  if (ok) {
    passed++;
    return;
  }
  failed++;
  printf("FAIL wasi_readonly_test.c:%d: %s (got %llu, want %llu)\n", line, what, got, want);
}
#define CHECK(c) record(!!(c), __LINE__, #c, 0, 1)
#define CHECK_EQ(got, want)                                                             \
  do {                                                                                  \
    unsigned long long g_ = (unsigned long long)(got), w_ = (unsigned long long)(want); \
    record(g_ == w_, __LINE__, #got " == " #want, g_, w_);                              \
  } while (0)

enum { PATH = 0x1000, PATH2 = 0x1800, OUT = 0x100, IOV = 0x200, DATA = 0x2000 };
enum { RO = 3, RW = 4 };
#define ALL_RIGHTS 0x1FFFFFFFull
/* What wasi-libc asks for when it opens for reading: everything but the writing rights. */
#define READ_RIGHTS                                                                                  \
  (ALL_RIGHTS & ~(KILN_WASI_RIGHT_FD_DATASYNC | KILN_WASI_RIGHT_FD_WRITE | KILN_WASI_RIGHT_FD_ALLOCATE | \
                  KILN_WASI_RIGHT_FD_FILESTAT_SET_SIZE))
#define F KILN_WASI_LOOKUP_SYMLINK_FOLLOW

static void put(u32 addr, const char* s) { memcpy(mem.data + addr, s, strlen(s)); }
static u32 rd32(u32 addr) { u32 v; memcpy(&v, mem.data + addr, 4); return v; }
static u64 rd64(u32 addr) { u64 v; memcpy(&v, mem.data + addr, 8); return v; }
static void wr32(u32 addr, u32 v) { memcpy(mem.data + addr, &v, 4); }

static void sh(const char* fmt, const char* a) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, fmt, a, a, a, a, a, a);
  if (system(cmd) != 0) {
    printf("setup failed: %s\n", cmd);
    exit(2);
  }
}

/* path_open beneath `dir`; the errno, the new fd in *fd. */
static u32 open_at(u32 dir, const char* path, u32 oflags, u64 rights, u32 fdflags, u32* fd) {
  put(PATH, path);
  wr32(OUT, 0xFFFFFFFFu);
  u32 e = kiln_wasi_path_open(&ctx, &mem, dir, F, PATH, (u32)strlen(path), oflags, rights, ALL_RIGHTS, fdflags, OUT);
  *fd = rd32(OUT);
  return e;
}

/* `ls -lR --full-time` of the read-only tree with contents: what must not change. */
static char* snapshot(void) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "cd %s/ro && ls -laR --full-time --time=ctime . | grep -v ' \\.\\.$' && cat file sub/inner", root);
  FILE* p = popen(cmd, "r");
  if (p == NULL) exit(2);
  const size_t cap = 1 << 16;
  char* s = calloc(cap, 1);
  if (s == NULL) exit(2);
  size_t n = fread(s, 1, cap - 1, p);
  s[n] = 0;
  pclose(p);
  return s;
}

static u32 write_to(u32 fd, const char* s) {
  put(DATA, s);
  wr32(IOV, DATA), wr32(IOV + 4, (u32)strlen(s));
  return kiln_wasi_fd_write(&ctx, &mem, fd, IOV, 1, OUT);
}

/* Reading through the read-only preopen works as through any other. */
static void test_reads(void) {
  u32 fd;
  CHECK_EQ(kiln_wasi_fd_prestat_get(&ctx, &mem, RO, OUT), 0);
  CHECK_EQ(open_at(RO, "file", 0, READ_RIGHTS, 0, &fd), 0);
  wr32(IOV, DATA), wr32(IOV + 4, 64);
  CHECK_EQ(kiln_wasi_fd_read(&ctx, &mem, fd, IOV, 1, OUT), 0);
  CHECK_EQ(rd32(OUT), 6);
  CHECK(memcmp(mem.data + DATA, "hello\n", 6) == 0);
  CHECK_EQ(kiln_wasi_fd_seek(&ctx, &mem, fd, 1, KILN_WASI_WHENCE_SET, OUT), 0);
  CHECK_EQ(kiln_wasi_fd_tell(&ctx, &mem, fd, OUT), 0);
  CHECK_EQ(rd64(OUT), 1);
  wr32(IOV + 4, 3);
  CHECK_EQ(kiln_wasi_fd_pread(&ctx, &mem, fd, IOV, 1, 2, OUT), 0);
  CHECK(memcmp(mem.data + DATA, "llo", 3) == 0);
  CHECK_EQ(kiln_wasi_fd_filestat_get(&ctx, &mem, fd, DATA), 0);
  CHECK_EQ(rd64(DATA + 32), 6);
  CHECK_EQ(kiln_wasi_fd_advise(&ctx, &mem, fd, 0, 6, KILN_WASI_ADVICE_SEQUENTIAL), 0);
  CHECK_EQ(kiln_wasi_fd_fdstat_set_flags(&ctx, &mem, fd, KILN_WASI_FDFLAG_NONBLOCK), 0); /* changes no file */
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  put(PATH, "sub/inner");
  CHECK_EQ(kiln_wasi_path_filestat_get(&ctx, &mem, RO, 0, PATH, 9, DATA), 0);
  CHECK_EQ(mem.data[DATA + 16], KILN_WASI_FILETYPE_REGULAR_FILE);
  put(PATH, "link");
  CHECK_EQ(kiln_wasi_path_readlink(&ctx, &mem, RO, PATH, 4, DATA, 64, OUT), 0);
  CHECK_EQ(rd32(OUT), 4);
  CHECK_EQ(kiln_wasi_fd_readdir(&ctx, &mem, RO, DATA, 4096, 0, OUT), 0);
  CHECK(rd32(OUT) > 6 * KILN_WASI_DIRENT_SIZE); /* ., .., file, sub, empty, link */
  CHECK_EQ(kiln_wasi_fd_filestat_get(&ctx, &mem, RO, DATA), 0);
  CHECK_EQ(mem.data[DATA + 16], KILN_WASI_FILETYPE_DIRECTORY);
  CHECK_EQ(open_at(RO, "sub", KILN_WASI_OFLAG_DIRECTORY, READ_RIGHTS, 0, &fd), 0);
  CHECK_EQ(kiln_wasi_fd_readdir(&ctx, &mem, fd, DATA, 4096, 0, OUT), 0);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
}

/* path_open refuses anything that could write, create or truncate, before opening anything. */
static void test_open_refusals(void) {
  u32 fd;
  const u64 r = KILN_WASI_RIGHT_FD_READ;
  CHECK_EQ(open_at(RO, "new", KILN_WASI_OFLAG_CREAT, r, 0, &fd), KILN_WASI_EPERM);
  CHECK_EQ(open_at(RO, "new", KILN_WASI_OFLAG_CREAT | KILN_WASI_OFLAG_EXCL, r, 0, &fd), KILN_WASI_EPERM);
  CHECK_EQ(open_at(RO, "file", KILN_WASI_OFLAG_EXCL, r, 0, &fd), KILN_WASI_EPERM);
  CHECK_EQ(open_at(RO, "file", KILN_WASI_OFLAG_TRUNC, r, 0, &fd), KILN_WASI_EPERM);
  CHECK_EQ(open_at(RO, "file", 0, r | KILN_WASI_RIGHT_FD_WRITE, 0, &fd), KILN_WASI_EPERM);
  CHECK_EQ(open_at(RO, "file", 0, KILN_WASI_RIGHT_FD_WRITE, 0, &fd), KILN_WASI_EPERM);
  CHECK_EQ(open_at(RO, "file", 0, r | KILN_WASI_RIGHT_FD_ALLOCATE, 0, &fd), KILN_WASI_EPERM);
  CHECK_EQ(open_at(RO, "file", 0, r | KILN_WASI_RIGHT_FD_FILESTAT_SET_SIZE, 0, &fd), KILN_WASI_EPERM);
  CHECK_EQ(open_at(RO, "file", 0, r, KILN_WASI_FDFLAG_APPEND, &fd), KILN_WASI_EPERM);
  CHECK_EQ(open_at(RO, "missing", 0, ALL_RIGHTS, 0, &fd), KILN_WASI_EPERM); /* refused before the lookup */
  /* A directory opened beneath it is read-only in turn. */
  u32 sub, refused;
  CHECK_EQ(open_at(RO, "sub", KILN_WASI_OFLAG_DIRECTORY, READ_RIGHTS, 0, &sub), 0);
  CHECK_EQ(open_at(sub, "new", KILN_WASI_OFLAG_CREAT, r, 0, &refused), KILN_WASI_EPERM);
  CHECK_EQ(open_at(sub, "inner", 0, r | KILN_WASI_RIGHT_FD_WRITE, 0, &refused), KILN_WASI_EPERM);
  put(PATH, "made");
  CHECK_EQ(kiln_wasi_path_create_directory(&ctx, &mem, sub, PATH, 4), KILN_WASI_EPERM);
  put(PATH, "inner");
  CHECK_EQ(kiln_wasi_path_unlink_file(&ctx, &mem, sub, PATH, 5), KILN_WASI_EPERM);
  u32 inner;
  CHECK_EQ(open_at(sub, "inner", 0, READ_RIGHTS, 0, &inner), 0);
  CHECK_EQ(kiln_wasi_fd_filestat_set_times(&ctx, &mem, inner, 0, 0, KILN_WASI_FST_MTIM_NOW), KILN_WASI_EPERM);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, inner), 0);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, sub), 0);
}

/* A file opened for reading beneath it cannot be written, grown, truncated, retimed or set to append. */
static void test_file_refusals(void) {
  u32 fd;
  CHECK_EQ(open_at(RO, "file", 0, READ_RIGHTS, 0, &fd), 0);
  CHECK_EQ(write_to(fd, "x"), KILN_WASI_EBADF);
  wr32(IOV + 4, 1);
  CHECK_EQ(kiln_wasi_fd_pwrite(&ctx, &mem, fd, IOV, 1, 0, OUT), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_fd_allocate(&ctx, &mem, fd, 0, 4096), KILN_WASI_EPERM);
  CHECK_EQ(kiln_wasi_fd_filestat_set_size(&ctx, &mem, fd, 0), KILN_WASI_EPERM);
  CHECK_EQ(kiln_wasi_fd_filestat_set_times(&ctx, &mem, fd, 0, 1000000000ull, KILN_WASI_FST_MTIM), KILN_WASI_EPERM);
  CHECK_EQ(kiln_wasi_fd_fdstat_set_flags(&ctx, &mem, fd, KILN_WASI_FDFLAG_APPEND), KILN_WASI_EPERM);
  /* Moved to another number, it is still read-only. */
  u32 other;
  CHECK_EQ(open_at(RO, "sub/inner", 0, READ_RIGHTS, 0, &other), 0);
  CHECK_EQ(kiln_wasi_fd_renumber(&ctx, &mem, fd, other), 0);
  CHECK_EQ(kiln_wasi_fd_filestat_set_size(&ctx, &mem, other, 0), KILN_WASI_EPERM);
  CHECK_EQ(kiln_wasi_fd_filestat_set_times(&ctx, &mem, other, 0, 0, KILN_WASI_FST_ATIM_NOW), KILN_WASI_EPERM);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, other), 0);
}

/* The preopen itself: every path_* call that changes an entry, and its own times. */
static void test_path_refusals(void) {
  CHECK_EQ(write_to(RO, "x"), KILN_WASI_EBADF);
  CHECK_EQ(kiln_wasi_fd_filestat_set_times(&ctx, &mem, RO, 0, 0, KILN_WASI_FST_MTIM_NOW), KILN_WASI_EPERM);
  CHECK_EQ(kiln_wasi_fd_fdstat_set_flags(&ctx, &mem, RO, KILN_WASI_FDFLAG_APPEND), KILN_WASI_EPERM);
  put(PATH, "made");
  CHECK_EQ(kiln_wasi_path_create_directory(&ctx, &mem, RO, PATH, 4), KILN_WASI_EPERM);
  put(PATH, "file");
  CHECK_EQ(kiln_wasi_path_unlink_file(&ctx, &mem, RO, PATH, 4), KILN_WASI_EPERM);
  put(PATH, "link");
  CHECK_EQ(kiln_wasi_path_unlink_file(&ctx, &mem, RO, PATH, 4), KILN_WASI_EPERM);
  put(PATH, "empty");
  CHECK_EQ(kiln_wasi_path_remove_directory(&ctx, &mem, RO, PATH, 5), KILN_WASI_EPERM);
  put(PATH, "file"), put(PATH2, "renamed");
  CHECK_EQ(kiln_wasi_path_rename(&ctx, &mem, RO, PATH, 4, RO, PATH2, 7), KILN_WASI_EPERM);
  CHECK_EQ(kiln_wasi_path_rename(&ctx, &mem, RO, PATH, 4, RW, PATH2, 7), KILN_WASI_EPERM);  /* out of it */
  put(PATH, "mine"), put(PATH2, "file");
  CHECK_EQ(kiln_wasi_path_rename(&ctx, &mem, RW, PATH, 4, RO, PATH2, 4), KILN_WASI_EPERM);  /* over its file */
  put(PATH, "file"), put(PATH2, "hard");
  CHECK_EQ(kiln_wasi_path_link(&ctx, &mem, RO, 0, PATH, 4, RO, PATH2, 4), KILN_WASI_EPERM);
  CHECK_EQ(kiln_wasi_path_link(&ctx, &mem, RO, 0, PATH, 4, RW, PATH2, 4), KILN_WASI_EPERM); /* a writable name */
  put(PATH, "mine");
  CHECK_EQ(kiln_wasi_path_link(&ctx, &mem, RW, 0, PATH, 4, RO, PATH2, 4), KILN_WASI_EPERM);
  put(PATH, "file"), put(PATH2, "sym");
  CHECK_EQ(kiln_wasi_path_symlink(&ctx, &mem, PATH, 4, RO, PATH2, 3), KILN_WASI_EPERM);
  put(PATH, "file");
  CHECK_EQ(kiln_wasi_path_filestat_set_times(&ctx, &mem, RO, 0, PATH, 4, 0, 1000000000ull, KILN_WASI_FST_MTIM),
           KILN_WASI_EPERM);
  put(PATH, "link");
  CHECK_EQ(kiln_wasi_path_filestat_set_times(&ctx, &mem, RO, F, PATH, 4, 0, 0, KILN_WASI_FST_ATIM_NOW), KILN_WASI_EPERM);
}

/* The writable preopen beside it is not affected. */
static void test_writable_beside(void) {
  u32 fd;
  CHECK_EQ(open_at(RW, "new", KILN_WASI_OFLAG_CREAT, KILN_WASI_RIGHT_FD_READ | KILN_WASI_RIGHT_FD_WRITE, 0, &fd), 0);
  CHECK_EQ(write_to(fd, "written"), 0);
  CHECK_EQ(kiln_wasi_fd_filestat_set_size(&ctx, &mem, fd, 3), 0);
  CHECK_EQ(kiln_wasi_fd_close(&ctx, &mem, fd), 0);
  put(PATH, "made");
  CHECK_EQ(kiln_wasi_path_create_directory(&ctx, &mem, RW, PATH, 4), 0);
  put(PATH, "new"), put(PATH2, "made/new");
  CHECK_EQ(kiln_wasi_path_rename(&ctx, &mem, RW, PATH, 3, RW, PATH2, 8), 0);
}

int main(void) {
  strcpy(root, "/tmp/kiln-wasi-readonly-XXXXXX");
  if (mkdtemp(root) == NULL) return 2;
  sh("mkdir -p %s/ro/sub %s/ro/empty %s/rw && echo hello > %s/ro/file && echo inner > %s/ro/sub/inner", root);
  sh("ln -s file %s/ro/link && echo mine > %s/rw/mine", root);
  char ro[300], rw[300];
  snprintf(ro, sizeof ro, "%s/ro", root);
  snprintf(rw, sizeof rw, "%s/rw", root);
  if (kiln_memory_new(&mem, 1, 1, 0) != 0) return 2;
  const char* hosts[] = {ro, rw};
  const char* guests[] = {"/ro", "/rw"};
  const u32 flags[] = {KILN_WASI_PREOPEN_READ_ONLY, 0};
  kiln_wasi* w = kiln_wasi_new_with_flags(0, NULL, 0, NULL, 2, hosts, guests, flags);
  if (w == NULL) return 2;
  ctx.host = w;
  char* before = snapshot();
  test_reads();
  test_open_refusals();
  test_file_refusals();
  test_path_refusals();
  test_writable_beside();
  char* after = snapshot();
  CHECK(strcmp(before, after) == 0);
  if (strcmp(before, after) != 0) printf("the read-only tree changed:\n--- before\n%s--- after\n%s", before, after);
  free(before);
  free(after);
  kiln_wasi_free(w);
  kiln_memory_free(&mem);
  sh("rm -rf %s", root);
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
