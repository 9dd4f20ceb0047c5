/* matmul: dense linear algebra, C = A x B for N x N double matrices (Kiln benchmark corpus, a WASI command).
 *
 *   matmul [N]      the matrices' order (default 1536)
 *
 * Measures: f64 multiply-add throughput over row-major arrays and the cost of the bounds-checked loads and
 * stores in a tight inner loop. The product runs in i-k-j order in 64-wide blocks of k, so the inner loop
 * streams a row of B into a row of C (it vectorizes natively; three N x N matrices are 54 MiB at N=1536).
 * Each element of C is accumulated in the same order by every engine and nothing is contracted into fused
 * multiply-adds, so the checksum is exact.
 *
 * Prints the trace, one element, and a 64-bit checksum over the bits of every element of C.
 */
#pragma STDC FP_CONTRACT OFF
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 64

static uint64_t rng_state = 0x853C49E6748FEA9Bull;

static uint64_t next_random(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

/* A double in [-1, 1) with 53 random bits. */
static double random_unit(void) { return (double)(next_random() >> 11) * (2.0 / 9007199254740992.0) - 1.0; }

static uint64_t mix(uint64_t hash, uint64_t value) {
  hash = (hash ^ value) * 0x9E3779B97F4A7C15ull;
  return hash ^ (hash >> 29);
}

static uint64_t double_bits(double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return bits;
}

static void multiply(const double* a, const double* b, double* c, uint32_t n) {
  memset(c, 0, (size_t)n * n * sizeof(double));
  for (uint32_t k0 = 0; k0 < n; k0 += BLOCK) {
    uint32_t k1 = k0 + BLOCK < n ? k0 + BLOCK : n;
    for (uint32_t i = 0; i < n; i++) {
      double* ci = c + (size_t)i * n;
      for (uint32_t k = k0; k < k1; k++) {
        const double aik = a[(size_t)i * n + k];
        const double* bk = b + (size_t)k * n;
        for (uint32_t j = 0; j < n; j++) ci[j] = ci[j] + aik * bk[j];
      }
    }
  }
}

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1536;
  if (n < 1 || n > 8192) {
    fprintf(stderr, "usage: matmul [N], 1 <= N <= 8192\n");
    return 2;
  }
  size_t count = (size_t)n * (size_t)n;
  double* a = malloc(count * sizeof(double));
  double* b = malloc(count * sizeof(double));
  double* c = malloc(count * sizeof(double));
  if (a == NULL || b == NULL || c == NULL) {
    fprintf(stderr, "matmul: out of memory\n");
    return 1;
  }
  for (size_t i = 0; i < count; i++) a[i] = random_unit();
  for (size_t i = 0; i < count; i++) b[i] = random_unit();

  multiply(a, b, c, (uint32_t)n);

  uint64_t checksum = 0;
  double trace = 0.0;
  for (size_t i = 0; i < count; i++) checksum = mix(checksum, double_bits(c[i]));
  for (long i = 0; i < n; i++) trace = trace + c[(size_t)i * n + i];
  printf("matmul: N=%ld\n", n);
  printf("trace=%.17g c[N/2][N/3]=%.17g\n", trace, c[(size_t)(n / 2) * n + n / 3]);
  printf("checksum: %016" PRIx64 "\n", checksum);
  free(a);
  free(b);
  free(c);
  return 0;
}
