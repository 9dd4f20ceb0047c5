/* crc32: CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) over a large buffer
 * (Kiln benchmark corpus, a WASI command).
 *
 *   crc32 [MIB [PASSES]]      buffer size in MiB (default 32) and passes over it (default 48)
 *
 * Measures: table lookups indexed by bit-field extraction, shifts and xors, reading 8 bytes at a time from
 * a buffer much larger than the cache ("slicing-by-8": eight 256-entry tables, 8 KiB, so the lookups stay
 * in L1). The tables are built at start-up; the program checks the standard check value
 * (crc32("123456789") = cbf43926) and the sliced CRC against the bit-at-a-time one over the first 64 KiB,
 * and exits 1 if either differs. Pass p computes the CRC of the buffer continued from the previous pass's
 * CRC, after flipping one byte, so no pass can be skipped.
 *
 * Prints the final CRC and a 64-bit checksum over every pass's CRC.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t table[8][256];

static void build_tables(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    table[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; i++)
    for (int t = 1; t < 8; t++) table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xFF];
}

/* Bit at a time: the reference. */
static uint32_t crc32_bitwise(uint32_t crc, const uint8_t* p, size_t n) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

static uint32_t crc32_sliced(uint32_t crc, const uint8_t* p, size_t n) {
  crc = ~crc;
  while (n >= 8) {
    uint32_t lo = ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24) ^ crc;
    uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
    crc = table[7][lo & 0xFF] ^ table[6][(lo >> 8) & 0xFF] ^ table[5][(lo >> 16) & 0xFF] ^ table[4][lo >> 24] ^
          table[3][hi & 0xFF] ^ table[2][(hi >> 8) & 0xFF] ^ table[1][(hi >> 16) & 0xFF] ^ table[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) crc = (crc >> 8) ^ table[0][(crc ^ *p++) & 0xFF];
  return ~crc;
}

int main(int argc, char** argv) {
  long mib = argc > 1 ? strtol(argv[1], NULL, 10) : 32;
  long passes = argc > 2 ? strtol(argv[2], NULL, 10) : 48;
  if (mib < 1 || mib > 1024 || passes < 1) {
    fprintf(stderr, "usage: crc32 [MIB [PASSES]], 1 <= MIB <= 1024, PASSES >= 1\n");
    return 2;
  }
  build_tables();
  size_t size = (size_t)mib << 20;
  uint8_t* buffer = malloc(size);
  if (buffer == NULL) {
    fprintf(stderr, "crc32: out of memory\n");
    return 1;
  }
  uint64_t x = 0xF1EA5EEDDEADBEEFull;
  for (size_t i = 0; i < size; i += 8) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    for (int k = 0; k < 8; k++) buffer[i + k] = (uint8_t)(x >> (8 * k));
  }

  uint32_t check = crc32_sliced(0, (const uint8_t*)"123456789", 9);
  size_t prefix = size < 65536 ? size : 65536;
  if (check != 0xCBF43926u || crc32_sliced(0, buffer + 3, prefix - 3) != crc32_bitwise(0, buffer + 3, prefix - 3)) {
    printf("crc32: self-test failed (check value %08" PRIx32 ")\n", check);
    return 1;
  }

  uint32_t crc = 0;
  uint64_t checksum = 0;
  for (long p = 0; p < passes; p++) {
    buffer[(size_t)p * 7919 % size] ^= 0x5A;
    crc = crc32_sliced(crc, buffer, size - (size_t)(p % 8)); /* lengths that end mid-word too */
    checksum = (checksum ^ crc) * 0x100000001B3ull;
  }
  printf("crc32: %ld MiB x %ld passes, self-test ok\n", mib, passes);
  printf("last crc: %08" PRIx32 "\n", crc);
  printf("checksum: %016" PRIx64 "\n", checksum);
  free(buffer);
  return 0;
}
