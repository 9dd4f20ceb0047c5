/* kernels.h: the little the loop-kernel programs share (Kiln benchmark corpus, after PolyBench/C 4.2.1's
 * polybench.h, but only what a WASI command needs): strict size arguments, allocation, and the checksum.
 *
 * Every kernel prints a few lines ending in `checksum: <16 hex digits>`, a 64-bit mix of the bits of every
 * element of its output arrays, so the output of every engine can be compared byte for byte with the
 * native build. A NaN's sign and payload are not fixed by Wasm (an engine may return any NaN from an
 * operation that makes one), so the checksum and the printed values map every NaN to one canonical NaN.
 */
#ifndef KILN_KERNELS_H
#define KILN_KERNELS_H
#pragma STDC FP_CONTRACT OFF
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* argv[index] as an int in [min, max], or fallback when there are not that many arguments. Digits only
 * (no sign, no spaces, no suffix). Returns 0 when the argument is not such a number. */
static inline int size_arg(int argc, char** argv, int index, int fallback, int min, int max, int* out) {
  if (index >= argc) {
    *out = fallback;
    return 1;
  }
  const char* text = argv[index];
  long value = 0;
  if (*text == '\0') return 0;
  for (; *text != '\0'; text++) {
    if (*text < '0' || *text > '9') return 0;
    value = value * 10 + (*text - '0');
    if (value > max) return 0;
  }
  if (value < min) return 0;
  *out = (int)value;
  return 1;
}

static inline int usage(const char* line) {
  fprintf(stderr, "usage: %s\n", line);
  return 2;
}

static inline void* xmalloc(size_t bytes) {
  void* p = malloc(bytes);
  if (p == NULL) {
    fprintf(stderr, "out of memory (%zu bytes)\n", bytes);
    exit(1);
  }
  return p;
}

static inline uint64_t checksum_mix(uint64_t hash, uint64_t value) {
  hash = (hash ^ value) * 0x9E3779B97F4A7C15ull;
  return hash ^ (hash >> 29);
}

static inline uint64_t double_bits(double d) {
  uint64_t bits;
  if (d != d) return 0x7FF8000000000000ull; /* the canonical NaN */
  memcpy(&bits, &d, sizeof bits);
  return bits;
}

/* Mixes count doubles from p, in memory order, into hash. */
static inline uint64_t checksum_doubles(uint64_t hash, const double* p, size_t count) {
  for (size_t i = 0; i < count; i++) hash = checksum_mix(hash, double_bits(p[i]));
  return hash;
}

static inline uint64_t checksum_ints(uint64_t hash, const int* p, size_t count) {
  for (size_t i = 0; i < count; i++) hash = checksum_mix(hash, (uint32_t)p[i]);
  return hash;
}

/* Prints "label=value" with 17 significant digits (NaN as "nan"), then a space or, if last, a newline. */
static inline void print_double(const char* label, double d, int last) {
  if (d != d)
    printf("%s=nan", label);
  else
    printf("%s=%.17g", label, d);
  putchar(last ? '\n' : ' ');
}

static inline void print_checksum(uint64_t hash) { printf("checksum: %016" PRIx64 "\n", hash); }

#endif
