/* editdistance: a dynamic-programming kernel, Levenshtein distance (Kiln benchmark corpus, a WASI command).
 *
 *   editdistance [N]      length of the first string (default 16000)
 *
 * Measures: a branchy, serially dependent integer recurrence. The first string is N random bytes over a
 * four-letter alphabet; the second is a copy with about 10% of positions substituted, deleted or followed
 * by an insertion. The full N x M table is evaluated row by row with two rows of u32 (each cell is the
 * minimum of three neighbours, and its left neighbour was computed one step earlier, so it does not
 * vectorize). Then the same for the second string against the first one reversed.
 *
 * Prints both lengths, both distances, and a 64-bit checksum over the last row of each table.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t next_random(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static uint64_t mix(uint64_t hash, uint64_t value) {
  hash = (hash ^ value) * 0x9E3779B97F4A7C15ull;
  return hash ^ (hash >> 29);
}

static inline uint32_t min3(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t m = a < b ? a : b;
  return m < c ? m : c;
}

/* Levenshtein distance of a[0..n) and b[0..m); folds the final row into *checksum. */
static uint32_t distance(const uint8_t* a, uint32_t n, const uint8_t* b, uint32_t m, uint32_t* prev, uint32_t* cur,
                         uint64_t* checksum) {
  for (uint32_t j = 0; j <= m; j++) prev[j] = j;
  for (uint32_t i = 1; i <= n; i++) {
    const uint8_t ai = a[i - 1];
    cur[0] = i;
    uint32_t left = i;
    for (uint32_t j = 1; j <= m; j++) {
      uint32_t substitute = prev[j - 1] + (ai != b[j - 1]);
      left = min3(prev[j] + 1, left + 1, substitute);
      cur[j] = left;
    }
    uint32_t* t = prev;
    prev = cur;
    cur = t;
  }
  for (uint32_t j = 0; j <= m; j++) *checksum = mix(*checksum, prev[j]);
  return prev[m];
}

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 16000;
  if (n < 1 || n > 1000000) {
    fprintf(stderr, "usage: editdistance [N], 1 <= N <= 1000000\n");
    return 2;
  }
  static const uint8_t alphabet[4] = {'A', 'C', 'G', 'T'};
  uint8_t* a = malloc((size_t)n);
  uint8_t* b = malloc((size_t)n * 2 + 1);
  uint8_t* r = malloc((size_t)n);
  uint32_t* rows = malloc(((size_t)n * 2 + 2) * 2 * sizeof(uint32_t));
  if (a == NULL || b == NULL || r == NULL || rows == NULL) {
    fprintf(stderr, "editdistance: out of memory\n");
    return 1;
  }
  for (long i = 0; i < n; i++) a[i] = alphabet[next_random() & 3];
  uint32_t m = 0;
  for (long i = 0; i < n; i++) {
    uint32_t roll = (uint32_t)(next_random() % 1000);
    if (roll < 40) {
      b[m++] = alphabet[next_random() & 3]; /* substitution (sometimes by the same letter) */
    } else if (roll < 70) {
      /* deletion */
    } else if (roll < 100) {
      b[m++] = a[i];
      b[m++] = alphabet[next_random() & 3]; /* insertion */
    } else {
      b[m++] = a[i];
    }
  }
  for (long i = 0; i < n; i++) r[i] = a[n - 1 - i];

  uint64_t checksum = 0;
  uint32_t* prev = rows;
  uint32_t* cur = rows + (size_t)n * 2 + 2;
  uint32_t d1 = distance(a, (uint32_t)n, b, m, prev, cur, &checksum);
  uint32_t d2 = distance(b, m, r, (uint32_t)n, prev, cur, &checksum);
  printf("editdistance: N=%ld M=%" PRIu32 "\n", n, m);
  printf("distance(a, b)=%" PRIu32 " distance(b, reverse(a))=%" PRIu32 "\n", d1, d2);
  printf("checksum: %016" PRIx64 "\n", checksum);
  free(a);
  free(b);
  free(r);
  free(rows);
  return 0;
}
