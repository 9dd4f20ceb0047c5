/* simd_dot: a SIMD similarity search, f32 and i16 dot products of a query against every row of a matrix
 * (Kiln benchmark corpus, a WASI command).
 *
 *   simd_dot [ROWS [QUERIES]]      rows of 256 elements (default 4096) and queries (default 4000)
 *
 * Measures: v128 arithmetic (f32x4.mul/add, i32x4.dot_i16x8_s, i16x8 add and shift, shuffles, lane
 * extraction) over a cache-resident matrix. Each query computes the f32 dot product of the query with
 * every row of an f32 matrix and the i16 dot product with every row of an i16 matrix, and picks the best
 * row of each; the next query moves towards a row picked from those (q = 0.75q + 0.25row; s = (s + row) >> 1,
 * with row (31 best + k) mod ROWS after query k), so no query can be skipped or reordered.
 *
 * Built with -msimd128 the kernels use <wasm_simd128.h>; otherwise (native builds) a plain-C path runs. It
 * keeps eight f32 accumulators and reduces them in the same order as the vector lanes ((a0+a4)+(a2+a6)) +
 * ((a1+a5)+(a3+a7)), so both print the same bytes; the i16 products are exact integers.
 *
 * Prints the last query's best rows and scores and a 64-bit checksum over every score.
 */
#pragma STDC FP_CONTRACT OFF
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define DIM 256

static uint64_t rng_state = 0x510E527FADE682D1ull;

static uint64_t next_random(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

static uint64_t mix(uint64_t hash, uint64_t value) {
  hash = (hash ^ value) * 0x9E3779B97F4A7C15ull;
  return hash ^ (hash >> 29);
}

#ifdef __wasm_simd128__

static float dot_f32(const float* x, const float* y) {
  v128_t a = wasm_f32x4_splat(0.0f), b = wasm_f32x4_splat(0.0f);
  for (int i = 0; i < DIM; i += 8) {
    a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(x + i), wasm_v128_load(y + i)));
    b = wasm_f32x4_add(b, wasm_f32x4_mul(wasm_v128_load(x + i + 4), wasm_v128_load(y + i + 4)));
  }
  v128_t s = wasm_f32x4_add(a, b);                          /* lanes a0+a4, a1+a5, a2+a6, a3+a7 */
  s = wasm_f32x4_add(s, wasm_i32x4_shuffle(s, s, 2, 3, 0, 1)); /* (a0+a4)+(a2+a6), (a1+a5)+(a3+a7) */
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1);
}

static int32_t dot_i16(const int16_t* x, const int16_t* y) {
  v128_t acc = wasm_i32x4_splat(0);
  for (int i = 0; i < DIM; i += 8)
    acc = wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(wasm_v128_load(x + i), wasm_v128_load(y + i)));
  acc = wasm_i32x4_add(acc, wasm_i32x4_shuffle(acc, acc, 2, 3, 0, 1));
  return wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1);
}

static void step_f32(float* q, const float* row) {
  const v128_t keep = wasm_f32x4_splat(0.75f), take = wasm_f32x4_splat(0.25f);
  for (int i = 0; i < DIM; i += 4) {
    v128_t old = wasm_f32x4_mul(keep, wasm_v128_load(q + i));
    wasm_v128_store(q + i, wasm_f32x4_add(old, wasm_f32x4_mul(take, wasm_v128_load(row + i))));
  }
}

static void step_i16(int16_t* s, const int16_t* row) {
  for (int i = 0; i < DIM; i += 8)
    wasm_v128_store(s + i, wasm_i16x8_shr(wasm_i16x8_add(wasm_v128_load(s + i), wasm_v128_load(row + i)), 1));
}

#else

static float dot_f32(const float* x, const float* y) {
  float a[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < DIM; i += 8)
    for (int l = 0; l < 8; l++) a[l] = a[l] + x[i + l] * y[i + l];
  return ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]));
}

static int32_t dot_i16(const int16_t* x, const int16_t* y) {
  int32_t sum = 0;
  for (int i = 0; i < DIM; i++) sum += (int32_t)x[i] * y[i];
  return sum;
}

static void step_f32(float* q, const float* row) {
  for (int i = 0; i < DIM; i++) q[i] = 0.75f * q[i] + 0.25f * row[i];
}

static void step_i16(int16_t* s, const int16_t* row) {
  for (int i = 0; i < DIM; i++) s[i] = (int16_t)(((int32_t)s[i] + row[i]) >> 1); /* arithmetic shift, as i16x8.shr_s */
}
#endif

int main(int argc, char** argv) {
  long rows = argc > 1 ? strtol(argv[1], NULL, 10) : 4096;
  long queries = argc > 2 ? strtol(argv[2], NULL, 10) : 4000;
  if (rows < 1 || rows > 1000000 || queries < 1) {
    fprintf(stderr, "usage: simd_dot [ROWS [QUERIES]], 1 <= ROWS <= 1000000, QUERIES >= 1\n");
    return 2;
  }
  float* f = aligned_alloc(16, (size_t)rows * DIM * sizeof(float));
  int16_t* s = aligned_alloc(16, (size_t)rows * DIM * sizeof(int16_t));
  float* q = aligned_alloc(16, DIM * sizeof(float));
  int16_t* qs = aligned_alloc(16, DIM * sizeof(int16_t));
  if (f == NULL || s == NULL || q == NULL || qs == NULL) {
    fprintf(stderr, "simd_dot: out of memory\n");
    return 1;
  }
  for (size_t i = 0; i < (size_t)rows * DIM; i++) {
    uint64_t r = next_random();
    f[i] = (float)(r >> 40) * (1.0f / 8388608.0f) - 1.0f; /* [-1, 1) */
    s[i] = (int16_t)((int32_t)((r >> 8) % 2001) - 1000);  /* [-1000, 1000] */
  }
  for (int i = 0; i < DIM; i++) {
    uint64_t r = next_random();
    q[i] = (float)(r >> 40) * (1.0f / 8388608.0f) - 1.0f;
    qs[i] = (int16_t)((int32_t)((r >> 8) % 2001) - 1000);
  }

  uint64_t checksum = 0;
  long best_f = 0, best_s = 0;
  float best_f_score = 0;
  int32_t best_s_score = 0;
  for (long k = 0; k < queries; k++) {
    best_f = best_s = -1;
    for (long r = 0; r < rows; r++) {
      float d = dot_f32(f + (size_t)r * DIM, q);
      int32_t e = dot_i16(s + (size_t)r * DIM, qs);
      uint32_t bits;
      memcpy(&bits, &d, sizeof bits);
      checksum = mix(checksum, (uint64_t)bits << 32 | (uint32_t)e);
      if (best_f < 0 || d > best_f_score) best_f = r, best_f_score = d;
      if (best_s < 0 || e > best_s_score) best_s = r, best_s_score = e;
    }
    step_f32(q, f + (size_t)((best_f * 31 + k) % rows) * DIM);
    step_i16(qs, s + (size_t)((best_s * 31 + k) % rows) * DIM);
  }
  printf("simd_dot: %ld rows x %d, %ld queries\n", rows, DIM, queries);
  printf("last query: best f32 row %ld (%.9g), best i16 row %ld (%" PRId32 ")\n", best_f, (double)best_f_score, best_s,
         best_s_score);
  printf("checksum: %016" PRIx64 "\n", checksum);
  free(f);
  free(s);
  free(q);
  free(qs);
  return 0;
}
