/* wasi_sandbox: tries to get out of the WASI sandbox, one way per sub-test, through the raw preview1 calls
 * (not wasi-libc's path lookup, which would refuse some of these before the host saw them).
 *
 *   wasi_sandbox TEST      TEST: dotdot, absolute, symlink, race, badfd, efault
 *
 * Each check prints the errno it got and the errno it expected; the program exits 0 only if every check
 * held, 1 otherwise. The first preopened directory is the sandbox. The host side lays it out first
 * (Tests/KilnDifferentialTests/SandboxTests.swift does):
 *
 *   SANDBOX/inside.txt             "inside\n"
 *   SANDBOX/sub/data.txt           "inside\n"
 *   SANDBOX/etc_link      -> /etc
 *   SANDBOX/passwd_link   -> /etc/passwd
 *   SANDBOX/out_link      -> OUTSIDE (absolute)
 *   SANDBOX/rel_out_link  -> ../outside
 *   SANDBOX/inside_link   -> inside.txt
 *   SANDBOX/sub/up_link   -> ..
 *   SANDBOX/sub/up2_link  -> ../..
 *   SANDBOX/flip, SANDBOX/flipdir   symlinks the host keeps swapping during `race`
 *   OUTSIDE = SANDBOX/../outside, holding secret.txt and data.txt, both "SECRET\n"
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define OK 0
#define NOTCAPABLE __WASI_ERRNO_NOTCAPABLE /* 76 */
#define BADF __WASI_ERRNO_BADF             /* 8 */
#define FAULT __WASI_ERRNO_FAULT           /* 21 */
#define LOOP __WASI_ERRNO_LOOP             /* 32 */
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
#define READ_RIGHTS (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FILESTAT_GET)
/* Every right but fd_write, as wasi-libc asks for a directory: a directory opened with fd_write is EISDIR. */
#define DIR_RIGHTS ((__wasi_rights_t)0x1FFFFFFF & ~__WASI_RIGHTS_FD_WRITE)

/* The raw imports, for pointers the <wasi/api.h> wrappers cannot pass (they take strlen of a path). */
#define WASI_IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))
WASI_IMPORT("path_open")
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len, int32_t oflags, int64_t base,
                      int64_t inheriting, int32_t fdflags, int32_t opened);
WASI_IMPORT("random_get") int32_t raw_random_get(int32_t buf, int32_t len);
WASI_IMPORT("clock_time_get") int32_t raw_clock_time_get(int32_t id, int64_t precision, int32_t time);
WASI_IMPORT("args_sizes_get") int32_t raw_args_sizes_get(int32_t argc, int32_t size);
WASI_IMPORT("fd_prestat_dir_name") int32_t raw_fd_prestat_dir_name(int32_t fd, int32_t path, int32_t len);

static int failures = 0;
static __wasi_fd_t sandbox = 3;

static void expect(const char* what, int got, int expected) {
  int ok = got == expected;
  printf("%-58s got %2d, expected %2d: %s\n", what, got, expected, ok ? "ok" : "FAILED");
  failures += !ok;
}

static void expect_true(const char* what, int holds) {
  printf("%-58s %s\n", what, holds ? "ok" : "FAILED");
  failures += !holds;
}

static int open_at(__wasi_fd_t dir, __wasi_lookupflags_t lookup, const char* path, __wasi_oflags_t oflags,
                   __wasi_fd_t* fd) {
  __wasi_rights_t rights = oflags & __WASI_OFLAGS_DIRECTORY ? DIR_RIGHTS : READ_RIGHTS | __WASI_RIGHTS_FD_WRITE;
  return __wasi_path_open(dir, lookup, path, oflags, rights, DIR_RIGHTS, 0, fd);
}

/* Opens path beneath the sandbox; on success reads up to 63 bytes into text and closes it. */
static int open_read(__wasi_lookupflags_t lookup, const char* path, char text[64]) {
  __wasi_fd_t fd;
  text[0] = '\0';
  int error = open_at(sandbox, lookup, path, 0, &fd);
  if (error != OK) return error;
  __wasi_iovec_t iov = {(uint8_t*)text, 63};
  __wasi_size_t n = 0;
  error = __wasi_fd_read(fd, &iov, 1, &n);
  text[error == OK ? n : 0] = '\0';
  (void)__wasi_fd_close(fd);
  return error;
}

static void expect_open(const char* path, __wasi_lookupflags_t lookup, __wasi_oflags_t oflags, int expected) {
  __wasi_fd_t fd = 0;
  int error = open_at(sandbox, lookup, path, oflags, &fd);
  if (error == OK) (void)__wasi_fd_close(fd);
  char what[128];
  snprintf(what, sizeof what, "path_open(%s%s%s)", path, lookup & FOLLOW ? ", follow" : "",
           oflags & __WASI_OFLAGS_CREAT ? ", creat" : oflags & __WASI_OFLAGS_DIRECTORY ? ", directory" : "");
  expect(what, error, expected);
}

static void test_dotdot(void) {
  expect_open(".", 0, __WASI_OFLAGS_DIRECTORY, OK);
  __wasi_fd_t fd;
  expect("path_open(., directory, fd_write)",
         __wasi_path_open(sandbox, 0, ".", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS | __WASI_RIGHTS_FD_WRITE, 0, 0, &fd),
         __WASI_ERRNO_ISDIR);
  expect_open("sub/../inside.txt", 0, 0, OK);
  expect_open("..", 0, __WASI_OFLAGS_DIRECTORY, NOTCAPABLE);
  expect_open("../outside/secret.txt", 0, 0, NOTCAPABLE);
  expect_open("./../outside/secret.txt", FOLLOW, 0, NOTCAPABLE);
  expect_open("sub/../../outside/secret.txt", FOLLOW, 0, NOTCAPABLE);
  expect_open("sub/../sub/../../outside", 0, __WASI_OFLAGS_DIRECTORY, NOTCAPABLE);
  expect_open("../escape_created.txt", 0, __WASI_OFLAGS_CREAT, NOTCAPABLE);
  expect_open("../outside/escape_created.txt", 0, __WASI_OFLAGS_CREAT, NOTCAPABLE);
  expect("path_create_directory(../escape_dir)", __wasi_path_create_directory(sandbox, "../escape_dir"), NOTCAPABLE);
  expect("path_unlink_file(../outside/secret.txt)", __wasi_path_unlink_file(sandbox, "../outside/secret.txt"),
         NOTCAPABLE);
  expect("path_rename(inside.txt -> ../outside/moved.txt)",
         __wasi_path_rename(sandbox, "inside.txt", sandbox, "../outside/moved.txt"), NOTCAPABLE);
  expect("path_rename(../outside/secret.txt -> stolen.txt)",
         __wasi_path_rename(sandbox, "../outside/secret.txt", sandbox, "stolen.txt"), NOTCAPABLE);
  __wasi_filestat_t stat;
  expect("path_filestat_get(../outside/secret.txt)",
         __wasi_path_filestat_get(sandbox, FOLLOW, "../outside/secret.txt", &stat), NOTCAPABLE);
  /* A directory fd opened inside the sandbox is no way out either. */
  __wasi_fd_t sub;
  int error = open_at(sandbox, 0, "sub", __WASI_OFLAGS_DIRECTORY, &sub);
  expect("path_open(sub, directory)", error, OK);
  if (error == OK) {
    __wasi_fd_t fd;
    expect("path_open(sub fd: ../../outside/secret.txt)", open_at(sub, 0, "../../outside/secret.txt", 0, &fd),
           NOTCAPABLE);
    expect("path_open(sub fd: ../inside.txt)", open_at(sub, 0, "../inside.txt", 0, &fd), NOTCAPABLE);
    (void)__wasi_fd_close(sub);
  }
}

static void test_absolute(void) {
  expect_open("/etc/passwd", 0, 0, NOTCAPABLE);
  expect_open("/etc/passwd", FOLLOW, 0, NOTCAPABLE);
  expect_open("/", 0, __WASI_OFLAGS_DIRECTORY, NOTCAPABLE);
  expect_open("/tmp/kiln_sandbox_escape.txt", 0, __WASI_OFLAGS_CREAT, NOTCAPABLE);
  __wasi_filestat_t stat;
  expect("path_filestat_get(/etc/passwd)", __wasi_path_filestat_get(sandbox, FOLLOW, "/etc/passwd", &stat),
         NOTCAPABLE);
  expect("path_create_directory(/tmp/kiln_escape_dir)", __wasi_path_create_directory(sandbox, "/tmp/kiln_escape_dir"),
         NOTCAPABLE);
}

static void test_symlink(void) {
  char text[64];
  /* The setup is there, and links that stay inside work. */
  uint8_t target[64] = {0};
  __wasi_size_t length = 0;
  expect("path_readlink(etc_link)", __wasi_path_readlink(sandbox, "etc_link", target, sizeof target - 1, &length), OK);
  expect_true("  etc_link reads \"/etc\"", length == 4 && memcmp(target, "/etc", 4) == 0);
  expect("path_open(inside_link, follow) reads", open_read(FOLLOW, "inside_link", text), OK);
  expect_true("  inside_link gives \"inside\"", strcmp(text, "inside\n") == 0);
  expect("path_open(sub/up_link/inside.txt, follow)", open_read(FOLLOW, "sub/up_link/inside.txt", text), OK);
  expect("path_symlink(inside.txt <- guest_link)", __wasi_path_symlink("inside.txt", sandbox, "guest_link"), OK);
  expect("path_open(guest_link, follow)", open_read(FOLLOW, "guest_link", text), OK);
  expect("path_unlink_file(guest_link)", __wasi_path_unlink_file(sandbox, "guest_link"), OK);

  /* Links that lead out. */
  expect_open("etc_link/passwd", 0, 0, NOTCAPABLE);
  expect_open("etc_link/passwd", FOLLOW, 0, NOTCAPABLE);
  expect_open("etc_link", FOLLOW, __WASI_OFLAGS_DIRECTORY, NOTCAPABLE);
  expect_open("etc_link/", 0, __WASI_OFLAGS_DIRECTORY, NOTCAPABLE);
  expect_open("passwd_link", FOLLOW, 0, NOTCAPABLE);
  expect_open("passwd_link", 0, 0, LOOP); /* a final symlink, not followed: O_NOFOLLOW's ELOOP */
  expect_open("out_link/secret.txt", FOLLOW, 0, NOTCAPABLE);
  expect_open("rel_out_link/secret.txt", FOLLOW, 0, NOTCAPABLE);
  expect_open("sub/up2_link/outside/secret.txt", FOLLOW, 0, NOTCAPABLE);
  expect_open("out_link/escape_created.txt", FOLLOW, __WASI_OFLAGS_CREAT, NOTCAPABLE);
  expect_open("rel_out_link/escape_created.txt", 0, __WASI_OFLAGS_CREAT, NOTCAPABLE);
  __wasi_filestat_t stat;
  expect("path_filestat_get(passwd_link, follow)", __wasi_path_filestat_get(sandbox, FOLLOW, "passwd_link", &stat),
         NOTCAPABLE);
  expect("path_filestat_get(etc_link/passwd)", __wasi_path_filestat_get(sandbox, 0, "etc_link/passwd", &stat),
         NOTCAPABLE);
  expect("path_create_directory(out_link/escape_dir)", __wasi_path_create_directory(sandbox, "out_link/escape_dir"),
         NOTCAPABLE);
  expect("path_unlink_file(out_link/secret.txt)", __wasi_path_unlink_file(sandbox, "out_link/secret.txt"),
         NOTCAPABLE);
  expect("path_link(out_link/secret.txt -> hard.txt)",
         __wasi_path_link(sandbox, FOLLOW, "out_link/secret.txt", sandbox, "hard.txt"), NOTCAPABLE);
  expect("path_link(passwd_link -> hard.txt, follow)",
         __wasi_path_link(sandbox, FOLLOW, "passwd_link", sandbox, "hard.txt"), NOTCAPABLE);
}

/* The host swaps flip (inside.txt / ../outside/secret.txt / OUTSIDE/secret.txt) and flipdir (sub / ../outside)
 * while this opens them over and over: the outside content must never come back. */
static void test_race(void) {
  __wasi_timestamp_t start = 0, now = 0;
  (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &start);
  unsigned long opens = 0, inside = 0, denied = 0, outside = 0, other = 0;
  int last_other = 0;
  for (;;) {
    char text[64];
    const char* path = opens % 2 ? "flipdir/data.txt" : "flip";
    int error = open_read(FOLLOW, path, text);
    opens++;
    if (error == OK && strcmp(text, "inside\n") == 0) inside++;
    else if (error == OK && strstr(text, "SECRET") != NULL) outside++;
    else if (error == NOTCAPABLE) denied++;
    else {
      other++;
      last_other = error;
    }
    (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &now);
    double seconds = (double)(now - start) / 1e9;
    if (opens >= 2000 && seconds >= 1.0 && inside > 0 && denied > 0) break;
    if (seconds >= 20.0) break;
  }
  printf("race: %lu opens, %lu inside, %lu denied, %lu other (last errno %d)\n", opens, inside, denied, other,
         last_other);
  expect("race: times the outside content was read", (int)outside, 0);
  expect_true("race: both targets seen (the host was flipping)", inside > 0 && denied > 0);
  expect("race: results other than inside or NOTCAPABLE", (int)other, 0);
}

static void test_badfd(void) {
  char byte = 'x';
  __wasi_ciovec_t out = {(const uint8_t*)&byte, 1};
  __wasi_iovec_t in = {(uint8_t*)&byte, 1};
  __wasi_size_t n;
  __wasi_filesize_t offset;
  __wasi_fdstat_t fdstat;
  __wasi_prestat_t prestat;
  __wasi_fd_t fd;
  uint8_t buffer[128];
  expect("fd_write(77)", __wasi_fd_write(77, &out, 1, &n), BADF);
  expect("fd_read(77)", __wasi_fd_read(77, &in, 1, &n), BADF);
  expect("fd_pread(77)", __wasi_fd_pread(77, &in, 1, 0, &n), BADF);
  expect("fd_seek(77)", __wasi_fd_seek(77, 0, __WASI_WHENCE_SET, &offset), BADF);
  expect("fd_fdstat_get(77)", __wasi_fd_fdstat_get(77, &fdstat), BADF);
  expect("fd_prestat_get(77)", __wasi_fd_prestat_get(77, &prestat), BADF);
  expect("fd_readdir(77)", __wasi_fd_readdir(77, buffer, sizeof buffer, 0, &n), BADF);
  expect("path_open(77, inside.txt)", open_at(77, 0, "inside.txt", 0, &fd), BADF);
  expect("fd_renumber(77, 78)", __wasi_fd_renumber(77, 78), BADF);
  expect("fd_close(77)", __wasi_fd_close(77), BADF);
  expect("fd_write(0x7fffffff)", __wasi_fd_write(0x7fffffff, &out, 1, &n), BADF);
  expect("fd_write(0xffffffff)", __wasi_fd_write(0xffffffff, &out, 1, &n), BADF);
  /* A descriptor that was open and has been closed. */
  int error = open_at(sandbox, 0, "inside.txt", 0, &fd);
  expect("path_open(inside.txt)", error, OK);
  if (error == OK) {
    expect("fd_close(inside.txt)", __wasi_fd_close(fd), OK);
    expect("fd_read(closed fd)", __wasi_fd_read(fd, &in, 1, &n), BADF);
    expect("fd_close(closed fd)", __wasi_fd_close(fd), BADF);
  }
  expect_true("still running", 1);
}

static void test_efault(void) {
  /* A page of our own at the top of memory, so that the bytes we watch there belong to nobody else. */
  __builtin_wasm_memory_grow(0, 1);
  const uint32_t end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
  volatile uint8_t* last = (volatile uint8_t*)(uintptr_t)(end - 4);
  for (int i = 0; i < 4; i++) last[i] = (uint8_t)(0xA0 + i);
  printf("memory ends at 0x%08x\n", end);

  __wasi_size_t n = 0;
  __wasi_ciovec_t out = {(const uint8_t*)(uintptr_t)(end - 4), 100};
  expect("fd_write(1, buf=end-4, len=100)", __wasi_fd_write(1, &out, 1, &n), FAULT);
  __wasi_ciovec_t wrap = {(const uint8_t*)(uintptr_t)0xFFFFFFF0u, 0x20};
  expect("fd_write(1, buf=0xfffffff0, len=0x20) (wraps)", __wasi_fd_write(1, &wrap, 1, &n), FAULT);
  __wasi_ciovec_t empty = {(const uint8_t*)"", 0};
  expect("fd_write(1, iovs=end-4)", __wasi_fd_write(1, (const __wasi_ciovec_t*)(uintptr_t)(end - 4), 1, &n), FAULT);
  expect("fd_write(1, iovs_len=0x20000000)", __wasi_fd_write(1, &empty, 0x20000000, &n), FAULT);
  expect("fd_write(1, nwritten=end-2)", __wasi_fd_write(1, &empty, 1, (__wasi_size_t*)(uintptr_t)(end - 2)), FAULT);

  __wasi_fd_t fd;
  int error = open_at(sandbox, 0, "inside.txt", 0, &fd);
  expect("path_open(inside.txt)", error, OK);
  if (error == OK) {
    __wasi_iovec_t in = {(uint8_t*)(uintptr_t)(end - 4), 100};
    expect("fd_read(inside.txt, buf=end-4, len=100)", __wasi_fd_read(fd, &in, 1, &n), FAULT);
    expect("fd_pread(inside.txt, buf=end-4, len=100)", __wasi_fd_pread(fd, &in, 1, 0, &n), FAULT);
    (void)__wasi_fd_close(fd);
  }
  expect("random_get(buf=end-4, len=100)", raw_random_get((int32_t)(end - 4), 100), FAULT);
  expect("clock_time_get(time=end-4)", raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, (int32_t)(end - 4)), FAULT);
  expect("args_sizes_get(size=end)", raw_args_sizes_get((int32_t)(uintptr_t)&n, (int32_t)end), FAULT);
  expect("fd_prestat_dir_name(path=end-2, len=8)", raw_fd_prestat_dir_name((int32_t)sandbox, (int32_t)(end - 2), 8),
         FAULT);
  int32_t opened = 0;
  expect("path_open(path=end-4, len=100)",
         raw_path_open((int32_t)sandbox, 0, (int32_t)(end - 4), 100, 0, READ_RIGHTS, 0, 0, (int32_t)(uintptr_t)&opened),
         FAULT);
  int unchanged = 1;
  for (int i = 0; i < 4; i++) unchanged &= last[i] == (uint8_t)(0xA0 + i);
  expect_true("last 4 bytes of memory unchanged", unchanged);
  expect_true("still running after the faults", 1);
}

int main(int argc, char** argv) {
  __wasi_prestat_t prestat;
  if (__wasi_fd_prestat_get(sandbox, &prestat) != OK || prestat.tag != __WASI_PREOPENTYPE_DIR) {
    printf("wasi_sandbox: fd 3 is not a preopened directory (run with --dir)\n");
    return 2;
  }
  const char* test = argc > 1 ? argv[1] : "";
  printf("wasi_sandbox %s\n", test);
  if (strcmp(test, "dotdot") == 0) test_dotdot();
  else if (strcmp(test, "absolute") == 0) test_absolute();
  else if (strcmp(test, "symlink") == 0) test_symlink();
  else if (strcmp(test, "race") == 0) test_race();
  else if (strcmp(test, "badfd") == 0) test_badfd();
  else if (strcmp(test, "efault") == 0) test_efault();
  else {
    printf("usage: wasi_sandbox dotdot|absolute|symlink|race|badfd|efault\n");
    return 2;
  }
  printf("%s: %d failed\n", test, failures);
  return failures == 0 ? 0 : 1;
}
