/* A WASI probe for the tests of `make bench` (Scripts/bench/testdata/README.md): `probe N TEXT` hashes TEXT N
 * times and checks on the way what a WASI host must give a command: argv, the clocks, random bytes, the end
 * of stdin, stdout's type, no file system. Every line is the same natively and under any correct engine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: probe N TEXT\n");
    return 2;
  }
  long n = atol(argv[1]);
  uint64_t h = 1469598103934665603ull; /* FNV-1a, n times over TEXT */
  struct timespec a, b, res;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++)
    for (const char* p = argv[2]; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
  clock_gettime(CLOCK_MONOTONIC, &b);
  int later = b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec);
  printf("monotonic clock: %s\n", later ? "ok" : "goes back");
  printf("clock resolution: %s\n", clock_getres(CLOCK_MONOTONIC, &res) == 0 ? "ok" : "fails");
  printf("realtime clock: %s\n", time(NULL) > 1600000000 ? "ok" : "before 2020");
  unsigned char bytes[32] = {0};
  int nonzero = 0;
  if (getentropy(bytes, sizeof bytes) == 0)
    for (size_t i = 0; i < sizeof bytes; i++) nonzero |= bytes[i];
  printf("random: %s\n", nonzero ? "ok" : "fails");
  printf("stdin: %s\n", getchar() == EOF ? "at its end" : "has data");
  printf("stdout a terminal: %s\n", isatty(1) ? "yes" : "no");
  printf("fopen: %s\n", fopen("/nonexistent/probe", "r") ? "opens" : "fails");
  printf("argc %d, text of %zu bytes, %ld passes\n", argc, strlen(argv[2]), n);
  printf("checksum: %016llx\n", (unsigned long long)h);
  return 0;
}
