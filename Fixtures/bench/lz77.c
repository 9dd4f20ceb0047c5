/* lz77: an LZ77 compressor and decompressor with a round-trip check (Kiln benchmark corpus, a WASI command).
 *
 *   lz77 [KIB]      input size in KiB (default 32768)
 *
 * Measures: byte-granular loads and compares, hash-chain walks (random access into a 64 KiB window), and
 * varint encoding and decoding. The input is text-like: words from a 1024-word vocabulary made of random
 * letters, picked with a skewed distribution, with punctuation and line breaks, and every 64 KiB a 600-byte
 * run of random bytes. The compressor is greedy with hash chains (4-byte hash, 32 candidates, matches of
 * 4..1024 bytes up to 65535 back). Its output is a sequence of (literal count, literals, match length,
 * distance) with LEB128 counts, ended by a match length of 0. The decompressor rebuilds the input, which
 * must equal the original byte for byte; otherwise the program exits 1.
 *
 * Prints the sizes, the number of matches, and a 64-bit FNV-1a checksum over the compressed stream.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 65536
#define HASH_BITS 15
#define MAX_CHAIN 32
#define MIN_MATCH 4
#define MAX_MATCH 1024

static uint64_t rng_state = 0x6A09E667F3BCC909ull;

static uint64_t next_random(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

static void make_input(uint8_t* out, size_t size) {
  static char words[1024][12];
  for (int w = 0; w < 1024; w++) {
    int length = 2 + (int)(next_random() % 9);
    for (int i = 0; i < length; i++) words[w][i] = (char)('a' + next_random() % 26);
    words[w][length] = 0;
  }
  size_t pos = 0, next_noise = 65536;
  uint32_t in_sentence = 0;
  while (pos < size) {
    if (pos >= next_noise) {
      for (int i = 0; i < 600 && pos < size; i++) out[pos++] = (uint8_t)next_random();
      next_noise += 65536;
      continue;
    }
    uint64_t r = next_random();
    uint32_t index = (uint32_t)((r & 1023) * ((r >> 10) & 1023) >> 10); /* small indices are common */
    for (const char* p = words[index]; *p && pos < size; p++) out[pos++] = (uint8_t)*p;
    if (++in_sentence > 6 + (r >> 20) % 12) {
      in_sentence = 0;
      if (pos < size) out[pos++] = '.';
      if (pos < size) out[pos++] = (r >> 40) % 5 == 0 ? '\n' : ' ';
    } else if (pos < size) {
      out[pos++] = ' ';
    }
  }
}

static uint8_t* put_varint(uint8_t* out, uint32_t v) {
  while (v >= 0x80) {
    *out++ = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  *out++ = (uint8_t)v;
  return out;
}

static inline uint32_t hash4(const uint8_t* p) {
  uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* Compresses in[0..n) into out (at least 2n + 16 bytes); returns the compressed size. */
static size_t compress(const uint8_t* in, size_t n, uint8_t* out, int32_t* head, int32_t* prev, uint32_t* matches) {
  for (uint32_t i = 0; i < (1u << HASH_BITS); i++) head[i] = -1;
  uint8_t* o = out;
  size_t pos = 0, literal_start = 0;
  while (pos < n) {
    uint32_t best_length = 0, best_distance = 0;
    if (pos + MIN_MATCH <= n) {
      uint32_t h = hash4(in + pos);
      uint32_t limit = n - pos < MAX_MATCH ? (uint32_t)(n - pos) : MAX_MATCH;
      int32_t candidate = head[h];
      for (int chain = MAX_CHAIN; candidate >= 0 && pos - (size_t)candidate < WINDOW && chain > 0; chain--) {
        const uint8_t* a = in + candidate;
        const uint8_t* b = in + pos;
        if (a[best_length] == b[best_length]) {
          uint32_t length = 0;
          while (length < limit && a[length] == b[length]) length++;
          if (length > best_length) {
            best_length = length;
            best_distance = (uint32_t)(pos - (size_t)candidate);
            if (length == limit) break;
          }
        }
        int32_t older = prev[candidate & (WINDOW - 1)];
        if (older >= candidate) break;
        candidate = older;
      }
    }
    size_t advance = best_length >= MIN_MATCH ? best_length : 1;
    for (size_t end = pos + advance; pos < end; pos++) { /* every position goes into the chains */
      if (pos + MIN_MATCH <= n) {
        uint32_t h = hash4(in + pos);
        prev[pos & (WINDOW - 1)] = head[h];
        head[h] = (int32_t)pos;
      }
    }
    if (best_length >= MIN_MATCH) {
      size_t literals = pos - best_length - literal_start;
      o = put_varint(o, (uint32_t)literals);
      memcpy(o, in + literal_start, literals);
      o += literals;
      o = put_varint(o, best_length);
      o = put_varint(o, best_distance);
      literal_start = pos;
      (*matches)++;
    }
  }
  o = put_varint(o, (uint32_t)(n - literal_start));
  memcpy(o, in + literal_start, n - literal_start);
  o += n - literal_start;
  o = put_varint(o, 0);
  return (size_t)(o - out);
}

static int get_varint(const uint8_t** p, const uint8_t* end, uint32_t* v) {
  uint32_t value = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (*p >= end) return 0;
    uint8_t byte = *(*p)++;
    value |= (uint32_t)(byte & 0x7F) << shift;
    if (byte < 0x80) {
      *v = value;
      return 1;
    }
  }
  return 0;
}

/* Decompresses in[0..n) into out (capacity bytes); returns the size, or (size_t)-1 if the stream is bad. */
static size_t decompress(const uint8_t* in, size_t n, uint8_t* out, size_t capacity) {
  const uint8_t* p = in;
  const uint8_t* end = in + n;
  size_t o = 0;
  for (;;) {
    uint32_t literals, length, distance;
    if (!get_varint(&p, end, &literals) || literals > (size_t)(end - p) || literals > capacity - o) return (size_t)-1;
    memcpy(out + o, p, literals);
    p += literals;
    o += literals;
    if (!get_varint(&p, end, &length)) return (size_t)-1;
    if (length == 0) return o;
    if (!get_varint(&p, end, &distance) || distance == 0 || distance > o || length > capacity - o) return (size_t)-1;
    const uint8_t* from = out + o - distance;
    for (uint32_t i = 0; i < length; i++) out[o + i] = from[i]; /* may overlap: byte by byte */
    o += length;
  }
}

int main(int argc, char** argv) {
  long kib = argc > 1 ? strtol(argv[1], NULL, 10) : 32768;
  if (kib < 1 || kib > 512 * 1024) {
    fprintf(stderr, "usage: lz77 [KIB], 1 <= KIB <= 524288\n");
    return 2;
  }
  size_t n = (size_t)kib << 10;
  uint8_t* input = malloc(n);
  uint8_t* packed = malloc(2 * n + 16);
  uint8_t* output = malloc(n);
  int32_t* head = malloc(sizeof(int32_t) << HASH_BITS);
  int32_t* prev = malloc(sizeof(int32_t) * WINDOW);
  if (input == NULL || packed == NULL || output == NULL || head == NULL || prev == NULL) {
    fprintf(stderr, "lz77: out of memory\n");
    return 1;
  }
  make_input(input, n);
  uint32_t matches = 0;
  size_t packed_size = compress(input, n, packed, head, prev, &matches);
  size_t unpacked_size = decompress(packed, packed_size, output, n);
  if (unpacked_size != n || memcmp(input, output, n) != 0) {
    printf("lz77: round trip FAILED (%zu bytes back of %zu)\n", unpacked_size, n);
    return 1;
  }
  uint64_t checksum = 0xCBF29CE484222325ull;
  for (size_t i = 0; i < packed_size; i++) checksum = (checksum ^ packed[i]) * 0x100000001B3ull;
  printf("lz77: %zu bytes -> %zu bytes (%.2f%%), %" PRIu32 " matches, round trip ok\n", n, packed_size,
         100.0 * (double)packed_size / (double)n, matches);
  printf("checksum: %016" PRIx64 "\n", checksum);
  free(input);
  free(packed);
  free(output);
  free(head);
  free(prev);
  return 0;
}
