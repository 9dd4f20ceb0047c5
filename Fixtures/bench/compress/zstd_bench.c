/* zstd_bench: Zstandard compression and decompression with a round-trip check (Kiln benchmark corpus, a
 * WASI command built from the zstd 1.5.7 sources bundled in PyPI zstandard 0.25.0; see README.md).
 *
 *   zstd [KIB [PASSES]]      input size in KiB (default 8192) and passes over it (default 4)
 *
 * Each pass changes a few bytes of the input (corpus.h), then
 *   - compresses all of it at level 3 (zstd's default: double-fast match finder) with ZSTD_compressCCtx and
 *     decompresses it three times with ZSTD_decompressDCtx;
 *   - compresses a slice of KIB/64 KiB (at least 1 KiB; a different slice each pass) at level 19 (btultra2:
 *     binary-tree match finder and optimal parsing) and decompresses it once.
 * Every decompression is checked against the input; a mismatch prints a message and exits 1. One context
 * of each kind is reused throughout, single-threaded.
 *
 * Prints the compressed sizes of the first pass and a 64-bit FNV-1a checksum over every compressed frame
 * and the last pass's round-tripped input.
 */
#include "corpus.h"
#include "zstd.h"

#define FAST_LEVEL 3
#define HIGH_LEVEL 19
#define FAST_ROUNDS 3

static void check_round_trip(const uint8_t* in, size_t n, const uint8_t* out, size_t size, int level, long pass) {
  if (ZSTD_isError(size) || size != n || memcmp(in, out, n) != 0) {
    printf("zstd: level %d round trip FAILED in pass %ld (%s)\n", level, pass,
           ZSTD_isError(size) ? ZSTD_getErrorName(size) : "data differ");
    exit(1);
  }
}

int main(int argc, char** argv) {
  long kib = 8192, passes = 4;
  if (!corpus_argument(argc, argv, 1, 1, 1L << 20, &kib) || !corpus_argument(argc, argv, 2, 1, 1L << 20, &passes) ||
      argc > 3) {
    fprintf(stderr, "usage: zstd [KIB [PASSES]], 1 <= KIB <= 1048576, 1 <= PASSES <= 1048576\n");
    return 2;
  }
  size_t n = (size_t)kib << 10;
  size_t slice = n / 64 < 1024 ? 1024 : n / 64;
  size_t capacity = ZSTD_compressBound(n);
  uint8_t* input = malloc(n);
  uint8_t* packed = malloc(capacity);
  uint8_t* output = malloc(n);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  if (input == NULL || packed == NULL || output == NULL || cctx == NULL || dctx == NULL) {
    fprintf(stderr, "zstd: out of memory\n");
    return 1;
  }
  corpus_make(input, n);
  uint64_t checksum = FNV_OFFSET;
  size_t first_fast = 0, first_high = 0;
  for (long pass = 0; pass < passes; pass++) {
    if (pass > 0) corpus_perturb(input, n, pass);

    size_t packed_size = ZSTD_compressCCtx(cctx, packed, capacity, input, n, FAST_LEVEL);
    if (ZSTD_isError(packed_size)) {
      printf("zstd: level %d compression failed: %s\n", FAST_LEVEL, ZSTD_getErrorName(packed_size));
      return 1;
    }
    checksum = fnv1a(checksum, packed, packed_size);
    if (pass == 0) first_fast = packed_size;
    for (int round = 0; round < FAST_ROUNDS; round++) {
      memset(output, 0, n);
      size_t size = ZSTD_decompressDCtx(dctx, output, n, packed, packed_size);
      check_round_trip(input, n, output, size, FAST_LEVEL, pass);
    }
    if (pass == passes - 1) checksum = fnv1a(checksum, output, n);

    size_t start = (size_t)pass * 40503u * 1024u % (n - slice + 1);
    packed_size = ZSTD_compressCCtx(cctx, packed, capacity, input + start, slice, HIGH_LEVEL);
    if (ZSTD_isError(packed_size)) {
      printf("zstd: level %d compression failed: %s\n", HIGH_LEVEL, ZSTD_getErrorName(packed_size));
      return 1;
    }
    checksum = fnv1a(checksum, packed, packed_size);
    if (pass == 0) first_high = packed_size;
    size_t size = ZSTD_decompressDCtx(dctx, output, slice, packed, packed_size);
    check_round_trip(input + start, slice, output, size, HIGH_LEVEL, pass);
  }
  printf("zstd %s, level %d: %zu bytes -> %zu bytes (%.2f%%)\n", ZSTD_versionString(), FAST_LEVEL, n, first_fast,
         100.0 * (double)first_fast / (double)n);
  printf("level %d: %zu-byte slice -> %zu bytes (%.2f%%)\n", HIGH_LEVEL, slice, first_high,
         100.0 * (double)first_high / (double)slice);
  printf("%ld passes, round trips ok\n", passes);
  printf("checksum: %016" PRIx64 "\n", checksum);
  ZSTD_freeCCtx(cctx);
  ZSTD_freeDCtx(dctx);
  free(input);
  free(packed);
  free(output);
  return 0;
}
