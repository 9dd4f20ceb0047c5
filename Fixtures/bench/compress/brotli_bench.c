/* brotli_bench: Brotli compression and decompression with a round-trip check (Kiln benchmark corpus, a
 * WASI command built from the C sources of Brotli 1.2.0 in its PyPI sdist; see README.md).
 *
 *   brotli [KIB [PASSES]]      input size in KiB (default 3072) and passes over it (default 2)
 *
 * Each pass changes a few bytes of the input (corpus.h), compresses all of it with BrotliEncoderCompress
 * at quality QUALITY (window 2^22, generic mode: hash chains with several candidates per bucket, context
 * modelling, block splitting), and decompresses it six times with BrotliDecoderDecompress (compress once, decompress often, as
 * for web content), checking each
 * against the input. A mismatch prints a message and exits 1.
 *
 * Quality 7: at 5 and 6, 64-bit builds of Brotli 1.2 use match finders written with SSE2 intrinsics
 * (hashers H58/H68, BROTLI_MAX_SIMD_QUALITY in common/platform.h) where 32-bit builds such as wasm32 use
 * the plain C ones (H5/H6). They find the same matches (the outputs are equal), but the native baseline
 * would then run other code than the wasm does. From quality 7 both run the plain ones.
 *
 * Prints the compressed size of the first and last passes and a 64-bit FNV-1a checksum over every
 * compressed stream and the last round-tripped data.
 */
#include "corpus.h"
#include <brotli/decode.h>
#include <brotli/encode.h>

#ifndef QUALITY
#define QUALITY 7
#endif
#define WINDOW 22
#define DECODE_ROUNDS 6

int main(int argc, char** argv) {
  long kib = 3072, passes = 2;
  if (!corpus_argument(argc, argv, 1, 1, 1L << 20, &kib) || !corpus_argument(argc, argv, 2, 1, 1L << 20, &passes) ||
      argc > 3) {
    fprintf(stderr, "usage: brotli [KIB [PASSES]], 1 <= KIB <= 1048576, 1 <= PASSES <= 1048576\n");
    return 2;
  }
  size_t n = (size_t)kib << 10;
  size_t capacity = BrotliEncoderMaxCompressedSize(n);
  uint8_t* input = malloc(n);
  uint8_t* packed = malloc(capacity);
  uint8_t* output = malloc(n);
  if (capacity == 0 || input == NULL || packed == NULL || output == NULL) {
    fprintf(stderr, "brotli: out of memory\n");
    return 1;
  }
  corpus_make(input, n);
  uint64_t checksum = FNV_OFFSET;
  size_t first = 0, last = 0;
  for (long pass = 0; pass < passes; pass++) {
    if (pass > 0) corpus_perturb(input, n, pass);
    size_t packed_size = capacity;
    if (!BrotliEncoderCompress(QUALITY, WINDOW, BROTLI_MODE_GENERIC, n, input, &packed_size, packed)) {
      printf("brotli: compression failed in pass %ld\n", pass);
      return 1;
    }
    for (int round = 0; round < DECODE_ROUNDS; round++) {
      memset(output, 0, n);
      size_t size = n;
      BrotliDecoderResult result = BrotliDecoderDecompress(packed_size, packed, &size, output);
      if (result != BROTLI_DECODER_RESULT_SUCCESS || size != n || memcmp(input, output, n) != 0) {
        printf("brotli: round trip FAILED in pass %ld (result %d, %zu bytes back of %zu)\n", pass, (int)result, size, n);
        return 1;
      }
    }
    checksum = fnv1a(checksum, packed, packed_size);
    if (pass == 0) first = packed_size;
    last = packed_size;
  }
  checksum = fnv1a(checksum, output, n);
  uint32_t version = BrotliEncoderVersion();
  printf("brotli %u.%u.%u, quality %d, window %d: %zu bytes -> %zu bytes (%.2f%%), last pass %zu bytes\n",
         (unsigned)(version >> 24), (unsigned)(version >> 12 & 0xFFF), (unsigned)(version & 0xFFF), QUALITY, WINDOW, n,
         first, 100.0 * (double)first / (double)n, last);
  printf("%ld passes, each decompressed %d times, round trips ok\n", passes, DECODE_ROUNDS);
  printf("checksum: %016" PRIx64 "\n", checksum);
  free(input);
  free(packed);
  free(output);
  return 0;
}
