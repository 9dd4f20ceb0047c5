/* SHA-256 (FIPS 180-4), for the launcher's cache checks: the same digests Kiln's Swift side computes with
 * swift-crypto, without linking it (see main.c for why the launcher is plain C). */
#ifndef KILN_LAUNCHER_SHA256_H
#define KILN_LAUNCHER_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256 {
  uint32_t state[8];
  uint64_t length; /* bytes hashed so far */
  uint8_t block[64];
  size_t used; /* bytes waiting in block */
} sha256;

/* Nonzero: the portable code even where the CPU has SHA instructions (tests compare the two). */
extern int sha256_portable_only;
/* Whether this CPU runs the SHA-instruction path. */
int sha256_has_sha_instructions(void);

void sha256_init(sha256* h);
void sha256_update(sha256* h, const void* data, size_t n);
/* The digest as 64 lowercase hex digits and a NUL. */
void sha256_final_hex(sha256* h, char hex[65]);

#endif
