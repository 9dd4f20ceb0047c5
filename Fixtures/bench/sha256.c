/* sha256: SHA-256 (FIPS 180-4) over a large buffer (Kiln benchmark corpus, a WASI command).
 *
 *   sha256 [MIB [PASSES]]      buffer size in MiB (default 16) and passes over it (default 16)
 *
 * Measures: 32-bit rotates, shifts, xors and adds in a long dependency chain (the compression function),
 * with big-endian loads from a buffer much larger than the cache. The buffer is filled from a fixed
 * xorshift seed; pass p hashes it with its first 32 bytes replaced by the previous pass's digest, so no
 * pass can be skipped. Before that, the program checks the FIPS test vectors "" and "abc" and a
 * two-block message, and exits 1 if any differs.
 *
 * Prints the last digest and a 64-bit checksum over every pass's digest.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  uint32_t state[8];
  uint64_t length; /* bytes hashed so far */
  uint8_t block[64];
  uint32_t used; /* bytes waiting in block */
} sha256_ctx;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t state[8], const uint8_t* p) {
  uint32_t w[64];
  for (int t = 0; t < 16; t++)
    w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 | (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
  for (int t = 16; t < 64; t++) {
    uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int t = 0; t < 64; t++) {
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a, state[1] += b, state[2] += c, state[3] += d;
  state[4] += e, state[5] += f, state[6] += g, state[7] += h;
}

static void sha256_init(sha256_ctx* ctx) {
  static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(ctx->state, initial, sizeof initial);
  ctx->length = 0;
  ctx->used = 0;
}

static void sha256_update(sha256_ctx* ctx, const uint8_t* data, size_t size) {
  ctx->length += size;
  while (size > 0) {
    if (ctx->used == 0 && size >= 64) { /* whole blocks straight from the caller's buffer */
      compress(ctx->state, data);
      data += 64;
      size -= 64;
      continue;
    }
    size_t take = 64 - ctx->used < size ? 64 - ctx->used : size;
    memcpy(ctx->block + ctx->used, data, take);
    ctx->used += (uint32_t)take;
    data += take;
    size -= take;
    if (ctx->used == 64) {
      compress(ctx->state, ctx->block);
      ctx->used = 0;
    }
  }
}

static void sha256_final(sha256_ctx* ctx, uint8_t digest[32]) {
  uint64_t bits = ctx->length * 8;
  uint8_t pad[72] = {0x80};
  size_t padding = (ctx->used < 56 ? 56 : 120) - ctx->used;
  for (int i = 0; i < 8; i++) pad[padding + i] = (uint8_t)(bits >> (56 - 8 * i));
  sha256_update(ctx, pad, padding + 8);
  for (int i = 0; i < 32; i++) digest[i] = (uint8_t)(ctx->state[i / 4] >> (24 - 8 * (i % 4)));
}

static void to_hex(const uint8_t digest[32], char out[65]) {
  for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

static int self_test(void) {
  static const char* inputs[3] = {"", "abc", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"};
  static const char* expected[3] = {
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"};
  for (int i = 0; i < 3; i++) {
    sha256_ctx ctx;
    uint8_t digest[32];
    char hex[65];
    sha256_init(&ctx);
    sha256_update(&ctx, (const uint8_t*)inputs[i], strlen(inputs[i]));
    sha256_final(&ctx, digest);
    to_hex(digest, hex);
    if (strcmp(hex, expected[i]) != 0) {
      printf("self-test %d failed: %s\n", i, hex);
      return 0;
    }
  }
  return 1;
}

int main(int argc, char** argv) {
  long mib = argc > 1 ? strtol(argv[1], NULL, 10) : 16;
  long passes = argc > 2 ? strtol(argv[2], NULL, 10) : 16;
  if (mib < 1 || mib > 1024 || passes < 1) {
    fprintf(stderr, "usage: sha256 [MIB [PASSES]], 1 <= MIB <= 1024, PASSES >= 1\n");
    return 2;
  }
  if (!self_test()) return 1;
  size_t size = (size_t)mib << 20;
  uint8_t* buffer = malloc(size);
  if (buffer == NULL) {
    fprintf(stderr, "sha256: out of memory\n");
    return 1;
  }
  uint64_t x = 0x0123456789ABCDEFull;
  for (size_t i = 0; i < size; i += 8) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    memcpy(buffer + i, &x, 8); /* little-endian on every target the corpus runs on */
  }

  uint8_t digest[32] = {0};
  uint64_t checksum = 0;
  for (long p = 0; p < passes; p++) {
    memcpy(buffer, digest, 32);
    sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, buffer, size - 7); /* an odd length, so the final block is partial */
    sha256_final(&ctx, digest);
    for (int i = 0; i < 32; i++) checksum = (checksum ^ digest[i]) * 0x100000001B3ull;
  }
  char hex[65];
  to_hex(digest, hex);
  printf("sha256: %ld MiB x %ld passes, self-test ok\n", mib, passes);
  printf("last digest: %s\n", hex);
  printf("checksum: %016" PRIx64 "\n", checksum);
  free(buffer);
  return 0;
}
