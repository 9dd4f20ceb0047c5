/* wasi_demo: a WASI command that touches each everyday part of WASI preview1 and prints only what is the
 * same on every engine and every run, so that two engines' outputs can be compared byte for byte.
 *
 *   wasi_demo DIR STATUS [ARGS…]
 *
 * DIR is the guest path of a preopened directory holding `input.txt`. The program reads that file, writes
 * `output.txt` (a digest of the input) and reads it back, lists DIR sorted by name, checks the clocks and
 * random_get, prints its arguments and the variables KILN_DEMO_GREETING, KILN_DEMO_EMPTY and
 * KILN_DEMO_MISSING, and exits with STATUS.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static int failures = 0;

static void fail(const char* what) {
  printf("FAILED: %s: errno %d (%s)\n", what, errno, strerror(errno));
  failures++;
}

static char* join(const char* dir, const char* name) {
  static char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

/* Reads a whole file into a malloc'd, NUL-terminated buffer; *size gets its length. */
static char* read_file(const char* path, size_t* size) {
  FILE* file = fopen(path, "rb");
  if (file == NULL) return NULL;
  size_t capacity = 256, length = 0;
  char* data = malloc(capacity);
  size_t n;
  while (data != NULL && (n = fread(data + length, 1, capacity - length - 1, file)) > 0) {
    length += n;
    if (capacity - length - 1 == 0) data = realloc(data, capacity *= 2);
  }
  fclose(file);
  if (data == NULL) return NULL;
  data[length] = '\0';
  *size = length;
  return data;
}

static void show_input(const char* dir) {
  size_t size = 0;
  char* text = read_file(join(dir, "input.txt"), &size);
  if (text == NULL) return fail("read input.txt");
  unsigned lines = 0, words = 0, in_word = 0;
  uint32_t hash = 2166136261u;
  for (size_t i = 0; i < size; i++) {
    unsigned char c = (unsigned char)text[i];
    lines += c == '\n';
    int space = c == ' ' || c == '\n' || c == '\t';
    words += !space && !in_word;
    in_word = !space;
    hash = (hash ^ c) * 16777619u;
  }
  printf("input.txt: %zu bytes, %u lines, %u words, fnv1a %08x\n", size, lines, words, hash);
  printf("input.txt first line: %.*s\n", (int)strcspn(text, "\n"), text);

  struct stat st;
  if (stat(join(dir, "input.txt"), &st) != 0) fail("stat input.txt");
  else printf("stat input.txt: regular file: %s, size matches: %s\n", S_ISREG(st.st_mode) ? "yes" : "no",
              (size_t)st.st_size == size ? "yes" : "no");

  /* Seek and pread-style access through a raw descriptor. */
  int fd = open(join(dir, "input.txt"), O_RDONLY);
  if (fd < 0) return fail("open input.txt");
  char tail[8] = {0};
  off_t end = lseek(fd, 0, SEEK_END);
  off_t at = lseek(fd, size >= 4 ? -4 : 0, SEEK_END);
  ssize_t got = read(fd, tail, 4);
  printf("lseek end: %lld, then at %lld read %zd bytes\n", (long long)end, (long long)at, got);
  close(fd);

  /* Write a digest of the input, then read it back. */
  char digest[256];
  int length = snprintf(digest, sizeof digest, "bytes=%zu\nlines=%u\nwords=%u\nfnv1a=%08x\n", size, lines, words, hash);
  FILE* out = fopen(join(dir, "output.txt"), "wb");
  if (out == NULL) return fail("create output.txt");
  size_t written = fwrite(digest, 1, (size_t)length, out);
  if (fclose(out) != 0) fail("close output.txt");
  size_t back_size = 0;
  char* back = read_file(join(dir, "output.txt"), &back_size);
  if (back == NULL) return fail("read output.txt");
  printf("output.txt: wrote %zu bytes, read back %zu, identical: %s\n", written, back_size,
         back_size == written && memcmp(back, digest, written) == 0 ? "yes" : "no");
  free(back);
  free(text);
}

static int compare_names(const void* a, const void* b) {
  return strcmp(*(char* const*)a, *(char* const*)b);
}

static void list_directory(const char* dir) {
  DIR* d = opendir(dir);
  if (d == NULL) return fail("opendir");
  char* names[64];
  size_t count = 0;
  struct dirent* entry;
  while ((entry = readdir(d)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    if (count < 64) names[count++] = strdup(entry->d_name);
  }
  closedir(d);
  qsort(names, count, sizeof names[0], compare_names);
  printf("directory: %zu entries:", count);
  for (size_t i = 0; i < count; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

static void check_clocks(void) {
  struct timespec first, now;
  if (clock_gettime(CLOCK_MONOTONIC, &first) != 0) return fail("clock_gettime(MONOTONIC)");
  int advanced = 0;
  for (int i = 0; i < 10000000 && !advanced; i++) {
    clock_gettime(CLOCK_MONOTONIC, &now);
    advanced = now.tv_sec > first.tv_sec || (now.tv_sec == first.tv_sec && now.tv_nsec > first.tv_nsec);
  }
  printf("monotonic clock advances: %s\n", advanced ? "yes" : "no");
  struct timespec real;
  if (clock_gettime(CLOCK_REALTIME, &real) != 0) return fail("clock_gettime(REALTIME)");
  printf("realtime after 2020: %s\n", real.tv_sec > 1577836800 ? "yes" : "no");
  __wasi_timestamp_t resolution = 0;
  __wasi_errno_t error = __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &resolution);
  printf("monotonic resolution reported: %s\n", error == 0 && resolution > 0 ? "yes" : "no");
}

static void check_random(void) {
  uint8_t bytes[32] = {0};
  __wasi_errno_t error = __wasi_random_get(bytes, sizeof bytes);
  int nonzero = 0;
  for (size_t i = 0; i < sizeof bytes; i++) nonzero |= bytes[i] != 0;
  printf("random bytes: %zu, not all zero: %s\n", error == 0 ? sizeof bytes : 0, nonzero ? "yes" : "no");
}

static void show_environment(void) {
  const char* names[] = {"KILN_DEMO_GREETING", "KILN_DEMO_EMPTY", "KILN_DEMO_MISSING"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const char* value = getenv(names[i]);
    if (value == NULL) printf("env %s: (unset)\n", names[i]);
    else printf("env %s: \"%s\"\n", names[i], value);
  }
}

int main(int argc, char** argv) {
  printf("argc: %d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]: \"%s\"\n", i, argv[i]);
  if (argc < 3) {
    fprintf(stderr, "usage: wasi_demo DIR STATUS [ARGS...]\n");
    return 2;
  }
  show_environment();
  show_input(argv[1]);
  list_directory(argv[1]);
  check_clocks();
  check_random();
  int status = atoi(argv[2]);
  printf("failures: %d\nexiting with status %d\n", failures, status);
  fflush(stdout);
  return failures == 0 ? status : 100;
}
