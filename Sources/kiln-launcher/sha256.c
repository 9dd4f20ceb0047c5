/* SHA-256 as FIPS 180-4 describes it, with the x86 SHA extensions where the CPU has them. Every cached run
 * hashes its module and its artifact: for SQLite that is 7.9 MB, which the plain C below hashed in about
 * 40 ms (4% of the benchmark's run, native's whole run has no such cost), the SHA instructions in about 4. */
#include "sha256.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#define KILN_SHA_NI 1
#endif

static const uint32_t k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress_portable(uint32_t s[8], const uint8_t* p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++) {
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  }
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
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
  s[0] += a;
  s[1] += b;
  s[2] += c;
  s[3] += d;
  s[4] += e;
  s[5] += f;
  s[6] += g;
  s[7] += h;
}

#ifdef KILN_SHA_NI
/* The 64 rounds as sha256rnds2 wants them: the state split into ABEF and CDGH, four message words and their
 * round constants per pair of instructions, the schedule extended by sha256msg1/msg2 (Intel's "New
 * Instructions Supporting the Secure Hash Algorithm on Intel Architecture Processors", 2013). */
__attribute__((target("sha,sse4.1,ssse3"))) static void compress_sha_ni(uint32_t s[8], const uint8_t* p) {
  const __m128i big_endian = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_loadu_si128((const __m128i*)&s[0]);
  __m128i hgfe = _mm_loadu_si128((const __m128i*)&s[4]);
  __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
  const __m128i abef_in = abef, cdgh_in = cdgh;
  __m128i w[4]; /* the last sixteen message words, four to a register */
#pragma clang loop unroll(full)
  for (int g = 0; g < 16; g++) {
    __m128i words;
    if (g < 4) {
      words = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i*)(p + 16 * g)), big_endian);
    } else {
      /* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time */
      __m128i partial = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
      partial = _mm_add_epi32(partial, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
      words = _mm_sha256msg2_epu32(partial, w[(g + 3) & 3]);
    }
    w[g & 3] = words;
    __m128i with_constants = _mm_add_epi32(words, _mm_loadu_si128((const __m128i*)&k[4 * g]));
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, with_constants);
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(with_constants, 0x0E));
  }
  abef = _mm_add_epi32(abef, abef_in);
  cdgh = _mm_add_epi32(cdgh, cdgh_in);
  __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128((__m128i*)&s[0], _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128((__m128i*)&s[4], _mm_alignr_epi8(dchg, feba, 8));
}

static int cpu_has_sha_ni(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1)) return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return (b & bit_SHA) != 0;
}
#endif

int sha256_portable_only;

int sha256_has_sha_instructions(void) {
#ifdef KILN_SHA_NI
  static int has = -1;
  if (has < 0) has = cpu_has_sha_ni();
  return has;
#else
  return 0;
#endif
}

static void compress(uint32_t s[8], const uint8_t* p) {
#ifdef KILN_SHA_NI
  if (!sha256_portable_only && sha256_has_sha_instructions()) {
    compress_sha_ni(s, p);
    return;
  }
#endif
  compress_portable(s, p);
}

void sha256_init(sha256* h) {
  static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(h->state, initial, sizeof initial);
  h->length = 0;
  h->used = 0;
}

void sha256_update(sha256* h, const void* data, size_t n) {
  const uint8_t* p = data;
  h->length += n;
  if (h->used > 0) {
    size_t take = 64 - h->used < n ? 64 - h->used : n;
    memcpy(h->block + h->used, p, take);
    h->used += take;
    p += take;
    n -= take;
    if (h->used < 64) return;
    compress(h->state, h->block);
    h->used = 0;
  }
  for (; n >= 64; p += 64, n -= 64) compress(h->state, p);
  memcpy(h->block, p, n);
  h->used = n;
}

void sha256_final_hex(sha256* h, char hex[65]) {
  uint64_t bits = h->length * 8;
  uint8_t pad = 0x80;
  sha256_update(h, &pad, 1);
  uint8_t zero = 0;
  while (h->used != 56) sha256_update(h, &zero, 1);
  uint8_t length[8];
  for (int i = 0; i < 8; i++) length[i] = (uint8_t)(bits >> (56 - 8 * i));
  sha256_update(h, length, 8);
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 8; i++) {
    for (int j = 0; j < 4; j++) {
      uint8_t byte = (uint8_t)(h->state[i] >> (24 - 8 * j));
      hex[8 * i + 2 * j] = digits[byte >> 4];
      hex[8 * i + 2 * j + 1] = digits[byte & 15];
    }
  }
  hex[64] = 0;
}
