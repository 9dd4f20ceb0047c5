/* monocypher_bench: hashing, authenticated encryption and signatures with Monocypher (Kiln benchmark corpus,
 * real programs; a WASI command built with monocypher.c from PyPI `pymonocypher` 4.0.3.4, which bundles
 * Monocypher 4.0.3: portable C, no assembly, no SIMD).
 *
 *   monocypher_bench [MIB [PASSES]]    default 4 MiB, 8 passes (the run time is about linear in PASSES)
 *
 * Each pass over a MIB-MiB buffer of generated data: BLAKE2b-512 of the whole buffer, keyed BLAKE2b-256 of
 * every 4 KiB block, XChaCha20-Poly1305 encryption (crypto_aead_lock) and decryption with a check of the
 * tag and the plaintext (crypto_aead_unlock), ChaCha20 (IETF) and a Poly1305 tag of the ciphertext; the next
 * pass encrypts the previous ciphertext; and 40 times: an Ed25519 key pair, a signature over a 512-byte
 * message, its verification (and the rejection of a corrupted copy), and an X25519 key exchange whose two
 * sides must agree. At the end one Argon2id (1 MiB, 3 passes). Self-checks: the BLAKE2b-512 test vector
 * of "abc", and every decryption, verification and exchange; a failure exits 1. Prints counts and a 64-bit
 * FNV-1a checksum over every hash, tag, ciphertext, signature and shared key.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "monocypher.h"

static uint64_t rng_state = 0xB5AD4ECEDA1CE2A9ull;

static uint64_t next_random(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

static void fill(uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(next_random() >> 56);
}

static uint64_t checksum = 0xCBF29CE484222325ull;

static void mix(const void *data, size_t n) {
  const uint8_t *p = data;
  for (size_t i = 0; i < n; i++) checksum = (checksum ^ p[i]) * 0x100000001B3ull;
}

static void fail(const char *what, long i) {
  fprintf(stderr, "monocypher_bench: %s failed (%ld)\n", what, i);
  exit(1);
}

static int parse_count(const char *s, long min, long max, long *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == 0 || *end != 0 || v < min || v > max) return 0;
  *out = v;
  return 1;
}

static void hex(char *out, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", p[i]);
}

int main(int argc, char **argv) {
  long mib = 4, passes = 8, signatures = 0;
  if (argc > 3 || (argc > 1 && !parse_count(argv[1], 1, 1024, &mib)) ||
      (argc > 2 && !parse_count(argv[2], 1, 100000, &passes))) {
    fprintf(stderr, "usage: monocypher_bench [MIB [PASSES]]  (default 4 8)\n");
    return 2;
  }

  /* Self-check: BLAKE2b-512("abc") (RFC 7693, appendix A). */
  uint8_t hash[64];
  char text[129];
  crypto_blake2b(hash, 64, (const uint8_t *)"abc", 3);
  hex(text, hash, 64);
  if (strcmp(text, "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                   "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923") != 0) fail("BLAKE2b test vector", 0);

  size_t size = (size_t)mib << 20;
  uint8_t *plain = malloc(size), *cipher = malloc(size), *check = malloc(size);
  if (!plain || !cipher || !check) fail("malloc", 0);
  fill(plain, size);
  uint8_t key[32], nonce[24], ad[40], mac[16];
  fill(key, sizeof key);
  fill(ad, sizeof ad);

  uint8_t seed[32], secret[64], public[32], signature[64], message[512];
  uint8_t x_secret_a[32], x_secret_b[32], x_public_a[32], x_public_b[32], shared_a[32], shared_b[32];
  long rejected = 0;
  for (long pass = 0; pass < passes; pass++) {
    crypto_blake2b(hash, 64, plain, size);
    mix(hash, 64);
    for (size_t block = 0; block < size; block += 4096) {
      crypto_blake2b_keyed(hash, 32, key, 32, plain + block, 4096);
      mix(hash, 8);
    }
    fill(nonce, sizeof nonce);
    crypto_aead_lock(cipher, mac, key, nonce, ad, sizeof ad, plain, size);
    mix(mac, 16);
    mix(cipher, 64);
    if (crypto_aead_unlock(check, mac, key, nonce, ad, sizeof ad, cipher, size) != 0) fail("aead_unlock", pass);
    if (memcmp(check, plain, size) != 0) fail("aead round trip", pass);
    uint32_t counter = crypto_chacha20_ietf(check, cipher, size, key, nonce, (uint32_t)pass);
    mix(&counter, sizeof counter);
    crypto_poly1305(mac, check, size, key);
    mix(mac, 16);
    uint8_t *t = plain; plain = cipher; cipher = t; /* the next pass encrypts this ciphertext */
    key[pass % 32] ^= mac[0];
    for (int k = 0; k < 40; k++, signatures++) {
      long i = signatures;
      fill(seed, 32);
      crypto_eddsa_key_pair(secret, public, seed);
      fill(message, sizeof message);
      crypto_eddsa_sign(signature, secret, message, sizeof message);
      mix(signature, 64);
      if (crypto_eddsa_check(signature, public, message, sizeof message) != 0) fail("eddsa_check", i);
      message[i % sizeof message] ^= 1;
      if (crypto_eddsa_check(signature, public, message, sizeof message) == 0) fail("eddsa_check of a forgery", i);
      rejected++;
      fill(x_secret_a, 32);
      fill(x_secret_b, 32);
      crypto_x25519_public_key(x_public_a, x_secret_a);
      crypto_x25519_public_key(x_public_b, x_secret_b);
      crypto_x25519(shared_a, x_secret_a, x_public_b);
      crypto_x25519(shared_b, x_secret_b, x_public_a);
      if (crypto_verify32(shared_a, shared_b) != 0) fail("x25519 agreement", i);
      mix(shared_a, 32);
    }
  }

  void *work_area = malloc(1024 * 1024);
  if (!work_area) fail("malloc", 0);
  crypto_argon2_config config = {CRYPTO_ARGON2_ID, 1024, 3, 1};
  crypto_argon2_inputs inputs = {(const uint8_t *)"correct horse battery staple", key, 28, 16};
  crypto_argon2(hash, 32, work_area, config, inputs, crypto_argon2_no_extras);
  mix(hash, 32);
  hex(text, hash, 32);

  printf("monocypher 4.0.3: %ld MiB x %ld passes, %ld signatures\n", mib, passes, signatures);
  printf("aead: %ld MiB sealed and opened; eddsa: %ld signed, %ld verified, %ld forgeries rejected; x25519: %ld exchanges\n",
         mib * passes, signatures, signatures, rejected, signatures);
  printf("argon2id: %s\n", text);
  printf("checksum: %016" PRIx64 "\n", checksum);
  free(work_area);
  free(plain);
  free(cipher);
  free(check);
  return 0;
}
