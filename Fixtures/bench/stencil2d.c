/* stencil2d: a 2D five-point Jacobi stencil, heat diffusion on an N x N f32 grid
 * (Kiln benchmark corpus, a WASI command).
 *
 *   stencil2d [N [STEPS]]      grid order (default 1024) and number of sweeps (default 3000)
 *
 * Measures: streaming f32 arithmetic over three neighbouring rows at once, with two buffers swapped every
 * sweep. The top edge is held at 1.0 (a heat source), the other edges at 0.0, and the interior starts random;
 * every sweep replaces each interior cell by 0.5*cell + 0.125*(north+south+west+east), with the additions in
 * a fixed order so every engine computes the same bits. Two grids of 1024 x 1024 are 8 MiB.
 *
 * Prints the grid's total heat, the centre cell, and a 64-bit checksum over the bits of every cell.
 */
#pragma STDC FP_CONTRACT OFF
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t next_random(void) { /* xorshift64 */
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static uint64_t mix(uint64_t hash, uint64_t value) {
  hash = (hash ^ value) * 0x9E3779B97F4A7C15ull;
  return hash ^ (hash >> 29);
}

static uint32_t float_bits(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  return bits;
}

static void sweep(const float* restrict in, float* restrict out, uint32_t n) {
  for (uint32_t i = 1; i + 1 < n; i++) {
    const float* north = in + (size_t)(i - 1) * n;
    const float* row = in + (size_t)i * n;
    const float* south = in + (size_t)(i + 1) * n;
    float* dst = out + (size_t)i * n;
    for (uint32_t j = 1; j + 1 < n; j++) {
      float neighbours = (north[j] + south[j]) + (row[j - 1] + row[j + 1]);
      dst[j] = 0.5f * row[j] + 0.125f * neighbours;
    }
  }
}

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1024;
  long steps = argc > 2 ? strtol(argv[2], NULL, 10) : 3000;
  if (n < 3 || n > 16384 || steps < 0) {
    fprintf(stderr, "usage: stencil2d [N [STEPS]], 3 <= N <= 16384, STEPS >= 0\n");
    return 2;
  }
  size_t cells = (size_t)n * (size_t)n;
  float* a = malloc(cells * sizeof(float));
  float* b = malloc(cells * sizeof(float));
  if (a == NULL || b == NULL) {
    fprintf(stderr, "stencil2d: out of memory\n");
    return 1;
  }
  for (long i = 0; i < n; i++) {
    for (long j = 0; j < n; j++) {
      float v;
      if (i == 0) v = 1.0f;
      else if (i == n - 1 || j == 0 || j == n - 1) v = 0.0f;
      else v = (float)(next_random() >> 40) * (1.0f / 16777216.0f);
      a[(size_t)i * n + j] = v;
    }
  }
  memcpy(b, a, cells * sizeof(float)); /* the edges of both buffers stay fixed */

  for (long s = 0; s < steps; s++) {
    sweep(a, b, (uint32_t)n);
    float* t = a;
    a = b;
    b = t;
  }

  uint64_t checksum = 0;
  double heat = 0.0;
  for (size_t i = 0; i < cells; i++) {
    checksum = mix(checksum, float_bits(a[i]));
    heat = heat + a[i];
  }
  printf("stencil2d: N=%ld steps=%ld\n", n, steps);
  printf("heat=%.17g centre=%.9g\n", heat, (double)a[(size_t)(n / 2) * n + n / 2]);
  printf("checksum: %016" PRIx64 "\n", checksum);
  free(a);
  free(b);
  return 0;
}
