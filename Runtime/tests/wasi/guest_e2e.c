/* An end-to-end WASI guest: a wasi-libc program that exercises the preview1 calls through libc the way
 * real programs do (files, directories, links, readdir, escapes, sleeping, clocks, entropy, poll) and
 * prints `e2e done, 0 failures` and exits 0 when everything holds (exit 7 otherwise). Build and run:
 *
 *   python3 -m ziglang cc -target wasm32-wasi -O1 Runtime/tests/wasi/guest_e2e.c -o /tmp/guest_e2e.wasm
 *   mkdir -p /tmp/e2e-box && kiln run --dir /tmp/e2e-box::/ --env FOO=bar=baz /tmp/guest_e2e.wasm -- "a b" 'q"x'
 *
 * The box must start empty; the program leaves it empty again. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int fails;
#define CHECK(c) do { if (!(c)) { fails++; printf("FAIL %d: %s (errno %d %s)\n", __LINE__, #c, errno, strerror(errno)); } } while (0)

int main(int argc, char** argv) {
  CHECK(argc == 3 && strcmp(argv[1], "a b") == 0 && strcmp(argv[2], "q\"x") == 0);
  CHECK(getenv("FOO") && strcmp(getenv("FOO"), "bar=baz") == 0);
  CHECK(getenv("PATH") == NULL);
  /* files */
  int fd = open("t.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "abcdef", 6) == 6);
  CHECK(lseek(fd, 1, SEEK_SET) == 1);
  char buf[64] = {0};
  CHECK(read(fd, buf, 3) == 3 && memcmp(buf, "bcd", 3) == 0);
  CHECK(pwrite(fd, "ZZ", 2, 0) == 2);
  CHECK(pread(fd, buf, 6, 0) == 6 && memcmp(buf, "ZZcdef", 6) == 0);
  CHECK(ftruncate(fd, 3) == 0);
  struct stat st;
  CHECK(fstat(fd, &st) == 0 && st.st_size == 3 && S_ISREG(st.st_mode));
  CHECK(fsync(fd) == 0 && fdatasync(fd) == 0);
  CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
  CHECK(close(fd) == 0);
  fd = open("t.txt", O_RDONLY);
  CHECK(fd >= 0 && (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY);
  CHECK(write(fd, "x", 1) == -1 && errno == EBADF);
  close(fd);
  /* directories */
  CHECK(mkdir("d", 0755) == 0);
  CHECK(mkdir("d", 0755) == -1 && errno == EEXIST);
  CHECK(rename("t.txt", "d/u.txt") == 0);
  CHECK(stat("d/u.txt", &st) == 0 && st.st_size == 3);
  CHECK(link("d/u.txt", "d/hard") == 0);
  CHECK(symlink("u.txt", "d/sym") == 0);
  char lb[64] = {0};
  CHECK(readlink("d/sym", lb, sizeof lb) == 5 && memcmp(lb, "u.txt", 5) == 0);
  CHECK(lstat("d/sym", &st) == 0 && S_ISLNK(st.st_mode));
  CHECK(stat("d/sym", &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 2);
  DIR* d = opendir("d");
  CHECK(d != NULL);
  int n = 0;
  struct dirent* de;
  while (d && (de = readdir(d)) != NULL) n++;
  CHECK(n == 5);
  if (d) closedir(d);
  CHECK(unlink("d") == -1 && (errno == EISDIR || errno == EPERM));
  CHECK(rmdir("d") == -1 && errno == ENOTEMPTY);
  CHECK(unlink("d/sym") == 0 && unlink("d/hard") == 0 && unlink("d/u.txt") == 0 && rmdir("d") == 0);
  /* escapes */
  errno = 0;
  CHECK(open("../secret", O_RDONLY) == -1 && (errno == ENOTCAPABLE || errno == EPERM || errno == ENOENT));
  CHECK(symlink("/etc", "etc") == -1 && (errno == ENOTCAPABLE || errno == EPERM)); /* absolute targets */
  CHECK(open("/../../etc/passwd", O_RDONLY) == -1);
  CHECK(symlink("../..", "up") == 0);
  errno = 0;
  CHECK(open("up/etc/passwd", O_RDONLY) == -1 && errno == ENOTCAPABLE);
  CHECK(stat("up/etc", &st) == -1 && errno == ENOTCAPABLE);
  CHECK(unlink("up") == 0);
  /* time, sleep, random */
  struct timespec a, b;
  CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
  struct timespec req = {0, 20 * 1000 * 1000};
  CHECK(nanosleep(&req, NULL) == 0);
  CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
  long long ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
  CHECK(ns >= 20 * 1000 * 1000);
  char r[256];
  CHECK(getentropy(r, sizeof r) == 0);
  CHECK(clock_gettime(CLOCK_REALTIME, &a) == 0 && a.tv_sec > 1600000000);
  struct pollfd pfd = {.fd = 1, .events = POLLOUT};
  CHECK(poll(&pfd, 1, 1000) == 1 && (pfd.revents & POLLOUT));
  printf("e2e done, %d failures\n", fails);
  fprintf(stderr, "to stderr\n");
  return fails ? 7 : 0;
}
