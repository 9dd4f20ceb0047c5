/* simd_scan: a SIMD benchmark and differential fixture (a WASI command).
 *
 *   simd_scan [SIZE [PASSES]]     SIZE bytes of data (default 8388608), PASSES over them (default 64)
 *
 * Fills a byte buffer and two float arrays from a fixed xorshift seed, then on every pass:
 *   - counts one target byte (a different one each pass),
 *   - builds a 16-bin histogram of the bytes' high nibbles, sums the bytes and finds the largest,
 *   - computes a float dot product and a sum of squares (the second array shifted by the pass number).
 * It prints the results and a 64-bit checksum over all of them.
 *
 * Built with -msimd128 the passes use <wasm_simd128.h>; without it, a scalar path runs instead. The scalar
 * path keeps four float accumulators and combines them in the same order as the vector lanes, so both
 * builds print the same bytes (wasm has no fused multiply-add, so nothing is contracted).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

/* Everything one pass computes. */
typedef struct {
  uint64_t target_count;
  uint64_t nibble_histogram[16];
  uint64_t byte_sum;
  uint32_t byte_max;
  float dot;
  float squares;
} pass_result;

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t next_random(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static void fill(uint8_t* bytes, size_t size, float* x, float* y, size_t floats, size_t shift) {
  for (size_t i = 0; i < size; i += 8) {
    uint64_t r = next_random();
    for (size_t k = 0; k < 8 && i + k < size; k++) bytes[i + k] = (uint8_t)(r >> (8 * k));
  }
  for (size_t i = 0; i < floats; i++) x[i] = (float)(next_random() & 0xFFFF) / 65536.0f - 0.5f;
  for (size_t i = 0; i < floats + shift; i++) y[i] = (float)(next_random() & 0xFFFF) / 32768.0f - 1.0f;
}

/* The bytes after the last whole 16-byte block, and the floats after the last whole group of 4. */
static void scan_bytes_tail(const uint8_t* bytes, size_t start, size_t size, uint8_t target, pass_result* r) {
  for (size_t i = start; i < size; i++) {
    uint8_t b = bytes[i];
    r->target_count += b == target;
    r->nibble_histogram[b >> 4]++;
    r->byte_sum += b;
    if (b > r->byte_max) r->byte_max = b;
  }
}

#ifdef __wasm_simd128__

/* Adds the 16 u8 lanes of a per-block counter (each at most 255) to a u32x4 total. */
static inline v128_t widen_counts(v128_t total, v128_t counts) {
  return wasm_i32x4_add(total, wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(counts)));
}

static uint64_t sum_u32x4(v128_t v) {
  return (uint64_t)wasm_u32x4_extract_lane(v, 0) + wasm_u32x4_extract_lane(v, 1) + wasm_u32x4_extract_lane(v, 2)
         + wasm_u32x4_extract_lane(v, 3);
}

static void scan_bytes(const uint8_t* bytes, size_t size, uint8_t target, pass_result* r) {
  const size_t blocks = size / 16;
  const v128_t needle = wasm_i8x16_splat((int8_t)target);
  v128_t count_total = wasm_i32x4_splat(0);
  v128_t sum_total = wasm_i32x4_splat(0);
  v128_t max = wasm_i8x16_splat(0);
  v128_t histogram_total[16];
  for (int b = 0; b < 16; b++) histogram_total[b] = wasm_i32x4_splat(0);

  size_t block = 0;
  while (block < blocks) {
    /* u8 lane counters overflow after 255 blocks: widen them at least that often. */
    size_t end = blocks - block > 255 ? block + 255 : blocks;
    v128_t count = wasm_i8x16_splat(0);
    v128_t histogram[16];
    for (int b = 0; b < 16; b++) histogram[b] = wasm_i8x16_splat(0);
    for (; block < end; block++) {
      v128_t v = wasm_v128_load(bytes + block * 16);
      count = wasm_i8x16_sub(count, wasm_i8x16_eq(v, needle)); /* eq is all-ones (-1) where equal */
      v128_t high = wasm_u8x16_shr(v, 4);
#pragma clang loop unroll(full) /* keeps the 16 counters in locals rather than memory */
      for (int b = 0; b < 16; b++) histogram[b] = wasm_i8x16_sub(histogram[b], wasm_i8x16_eq(high, wasm_i8x16_splat((int8_t)b)));
      sum_total = wasm_i32x4_add(sum_total, wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(v)));
      max = wasm_u8x16_max(max, v);
    }
    count_total = widen_counts(count_total, count);
    for (int b = 0; b < 16; b++) histogram_total[b] = widen_counts(histogram_total[b], histogram[b]);
  }

  r->target_count = sum_u32x4(count_total);
  for (int b = 0; b < 16; b++) r->nibble_histogram[b] = sum_u32x4(histogram_total[b]);
  r->byte_sum = sum_u32x4(sum_total);
  uint8_t lanes[16];
  wasm_v128_store(lanes, max);
  r->byte_max = 0;
  for (int i = 0; i < 16; i++) if (lanes[i] > r->byte_max) r->byte_max = lanes[i];
  scan_bytes_tail(bytes, blocks * 16, size, target, r);
}

static void scan_floats(const float* x, const float* y, size_t n, pass_result* r) {
  v128_t dot = wasm_f32x4_splat(0.0f);
  v128_t squares = wasm_f32x4_splat(0.0f);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t a = wasm_v128_load(x + i);
    v128_t b = wasm_v128_load(y + i);
    dot = wasm_f32x4_add(dot, wasm_f32x4_mul(a, b));
    squares = wasm_f32x4_add(squares, wasm_f32x4_mul(a, a));
  }
  float d = wasm_f32x4_extract_lane(dot, 0) + wasm_f32x4_extract_lane(dot, 1);
  d = d + wasm_f32x4_extract_lane(dot, 2);
  d = d + wasm_f32x4_extract_lane(dot, 3);
  float s = wasm_f32x4_extract_lane(squares, 0) + wasm_f32x4_extract_lane(squares, 1);
  s = s + wasm_f32x4_extract_lane(squares, 2);
  s = s + wasm_f32x4_extract_lane(squares, 3);
  for (; i < n; i++) {
    d = d + x[i] * y[i];
    s = s + x[i] * x[i];
  }
  r->dot = d;
  r->squares = s;
}

#else /* the scalar path */

static void scan_bytes(const uint8_t* bytes, size_t size, uint8_t target, pass_result* r) {
  scan_bytes_tail(bytes, 0, size, target, r);
}

static void scan_floats(const float* x, const float* y, size_t n, pass_result* r) {
  float dot[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  float squares[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    for (int lane = 0; lane < 4; lane++) {
      dot[lane] = dot[lane] + x[i + lane] * y[i + lane];
      squares[lane] = squares[lane] + x[i + lane] * x[i + lane];
    }
  }
  float d = dot[0] + dot[1];
  d = d + dot[2];
  d = d + dot[3];
  float s = squares[0] + squares[1];
  s = s + squares[2];
  s = s + squares[3];
  for (; i < n; i++) {
    d = d + x[i] * y[i];
    s = s + x[i] * x[i];
  }
  r->dot = d;
  r->squares = s;
}

#endif

/* FNV-1a over the bytes of a value. */
static uint64_t mix(uint64_t hash, const void* value, size_t size) {
  const uint8_t* p = value;
  for (size_t i = 0; i < size; i++) hash = (hash ^ p[i]) * 0x100000001B3ull;
  return hash;
}

static uint32_t float_bits(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  return bits;
}

int main(int argc, char** argv) {
  size_t size = argc > 1 ? strtoul(argv[1], NULL, 10) : 8u << 20;
  /* About 0.3 s (simd128) and 0.8 s (scalar) compiled natively by kiln run --opt 2 on the team's x86-64 build machine. */
  unsigned passes = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 64;
  if (size == 0 || passes == 0) {
    fprintf(stderr, "usage: simd_scan [SIZE [PASSES]], both positive\n");
    return 2;
  }
  const size_t floats = size / 8;
  uint8_t* bytes = malloc(size);
  float* x = malloc((floats + 1) * sizeof(float));
  float* y = malloc((floats + passes + 1) * sizeof(float));
  if (bytes == NULL || x == NULL || y == NULL) {
    fprintf(stderr, "simd_scan: cannot allocate %zu bytes\n", size);
    return 1;
  }
  fill(bytes, size, x, y, floats, passes);

  printf("simd_scan: %zu bytes, %zu floats, %u passes, %s\n", size, floats, passes,
#ifdef __wasm_simd128__
         "simd128"
#else
         "scalar"
#endif
  );
  uint64_t checksum = 0xCBF29CE484222325ull;
  pass_result total = {0};
  for (unsigned pass = 0; pass < passes; pass++) {
    pass_result r = {0};
    uint8_t target = (uint8_t)(pass * 37 + 11);
    scan_bytes(bytes, size, target, &r);
    scan_floats(x, y + pass, floats, &r);
    checksum = mix(checksum, &r.target_count, sizeof r.target_count);
    checksum = mix(checksum, r.nibble_histogram, sizeof r.nibble_histogram);
    checksum = mix(checksum, &r.byte_sum, sizeof r.byte_sum);
    checksum = mix(checksum, &r.byte_max, sizeof r.byte_max);
    uint32_t bits[2] = {float_bits(r.dot), float_bits(r.squares)};
    checksum = mix(checksum, bits, sizeof bits);
    if (pass == 0 || pass + 1 == passes) {
      printf("pass %u: count(%u)=%llu sum=%llu max=%u dot=%.6e (0x%08x) squares=%.6e (0x%08x)\n", pass, target,
             (unsigned long long)r.target_count, (unsigned long long)r.byte_sum, r.byte_max, (double)r.dot, bits[0],
             (double)r.squares, bits[1]);
      printf("pass %u: high nibbles", pass);
      for (int b = 0; b < 16; b++) printf(" %llu", (unsigned long long)r.nibble_histogram[b]);
      printf("\n");
    }
    total.target_count += r.target_count;
  }
  printf("targets counted: %llu\n", (unsigned long long)total.target_count);
  printf("checksum: %016llx\n", (unsigned long long)checksum);
  free(bytes);
  free(x);
  free(y);
  return 0;
}
