/* zlib_bench: zlib's deflate and inflate with a round-trip check (Kiln benchmark corpus, a WASI command
 * built from Debian's zlib 1.2.13 sources; see README.md).
 *
 *   zlib [KIB [PASSES]]      input size in KiB (default 4096) and passes over it (default 4)
 *
 * Each pass changes a few bytes of the input (corpus.h), compresses it with deflate at level 6 (zlib's
 * default: lazy matching over hash chains, Huffman coding), fed 1 MiB at a time as a stream, and
 * inflates it back twice (one call; then 64 KiB of output at a time), checking both against the input.
 * A mismatch prints a message and exits 1.
 *
 * Prints the compressed size of the first and last passes and a 64-bit FNV-1a checksum over every
 * compressed stream and the last round-tripped data.
 */
#include "corpus.h"
#include "zlib.h"

#define LEVEL 6
#define FEED (1u << 20)

static size_t deflate_all(const uint8_t* in, size_t n, uint8_t* out, size_t capacity) {
  z_stream s;
  memset(&s, 0, sizeof s);
  if (deflateInit(&s, LEVEL) != Z_OK) return 0;
  s.next_out = out;
  s.avail_out = (uInt)capacity;
  size_t fed = 0;
  int status;
  do {
    size_t chunk = n - fed < FEED ? n - fed : FEED;
    s.next_in = (Bytef*)(in + fed);
    s.avail_in = (uInt)chunk;
    fed += chunk;
    status = deflate(&s, fed == n ? Z_FINISH : Z_NO_FLUSH);
  } while (fed < n && status == Z_OK);
  size_t size = status == Z_STREAM_END ? (size_t)s.total_out : 0;
  deflateEnd(&s);
  return size;
}

/* Inflates in[0..n) into out, giving inflate STEP bytes of output room at a time (all at once if 0). */
static size_t inflate_all(const uint8_t* in, size_t n, uint8_t* out, size_t capacity, size_t step) {
  z_stream s;
  memset(&s, 0, sizeof s);
  if (inflateInit(&s) != Z_OK) return (size_t)-1;
  s.next_in = (Bytef*)in;
  s.avail_in = (uInt)n;
  s.next_out = out;
  int status = Z_OK;
  while (status == Z_OK) {
    size_t room = capacity - (size_t)s.total_out;
    if (step != 0 && room > step) room = step;
    if (room == 0) break;
    s.avail_out = (uInt)room;
    status = inflate(&s, Z_NO_FLUSH);
  }
  size_t size = status == Z_STREAM_END ? (size_t)s.total_out : (size_t)-1;
  inflateEnd(&s);
  return size;
}

int main(int argc, char** argv) {
  long kib = 4096, passes = 4;
  if (!corpus_argument(argc, argv, 1, 1, 1L << 20, &kib) || !corpus_argument(argc, argv, 2, 1, 1L << 20, &passes) ||
      argc > 3) {
    fprintf(stderr, "usage: zlib [KIB [PASSES]], 1 <= KIB <= 1048576, 1 <= PASSES <= 1048576\n");
    return 2;
  }
  size_t n = (size_t)kib << 10;
  size_t capacity = (size_t)deflateBound(NULL, (uLong)n);
  uint8_t* input = malloc(n);
  uint8_t* packed = malloc(capacity);
  uint8_t* output = malloc(n);
  if (input == NULL || packed == NULL || output == NULL) {
    fprintf(stderr, "zlib: out of memory\n");
    return 1;
  }
  corpus_make(input, n);
  uint64_t checksum = FNV_OFFSET;
  size_t first = 0, last = 0;
  for (long pass = 0; pass < passes; pass++) {
    if (pass > 0) corpus_perturb(input, n, pass);
    size_t packed_size = deflate_all(input, n, packed, capacity);
    if (packed_size == 0) {
      printf("zlib: deflate failed in pass %ld\n", pass);
      return 1;
    }
    for (int round = 0; round < 2; round++) {
      memset(output, 0, n);
      size_t size = inflate_all(packed, packed_size, output, n, round == 0 ? 0 : 65536);
      if (size != n || memcmp(input, output, n) != 0) {
        printf("zlib: round trip FAILED in pass %ld (%zu bytes back of %zu)\n", pass, size, n);
        return 1;
      }
    }
    checksum = fnv1a(checksum, packed, packed_size);
    if (pass == 0) first = packed_size;
    last = packed_size;
  }
  checksum = fnv1a(checksum, output, n);
  printf("zlib %s, level %d: %zu bytes -> %zu bytes (%.2f%%), last pass %zu bytes\n", zlibVersion(), LEVEL, n, first,
         100.0 * (double)first / (double)n, last);
  printf("%ld passes, each inflated twice, round trips ok\n", passes);
  printf("checksum: %016" PRIx64 "\n", checksum);
  free(input);
  free(packed);
  free(output);
  return 0;
}
