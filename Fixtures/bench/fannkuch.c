/* fannkuch: pancake flipping over every permutation of 1..N (Kiln benchmark corpus, a WASI command).
 *
 *   fannkuch [N [ROUNDS]]      permutation length, 3 <= N <= 12 (default 10), and rounds (default 4)
 *
 * Measures: integer, branchy, cache-resident code with short, unpredictable loops. The permutations are
 * visited in the order of the rotation ("counting") scheme: the next one rotates a prefix of the previous
 * one left by one, and a counter per position says when to widen the prefix. For each permutation the
 * first element k says how many elements to reverse at the front; that repeats until 1 comes first. The
 * program counts the flips, keeps the most, and forms an alternating sum (even-numbered permutations add
 * their flips, odd-numbered ones subtract them). Round 0 starts from the identity (for N=7 the sum is
 * 228 and the most flips 16; for N=10, 73196 and 38); round k starts from the identity with elements 0 and
 * k mod N exchanged, which visits the same N! permutations in another order, so its alternating sum differs.
 *
 * Prints each round's alternating sum, the most flips, the number of permutations, and a checksum over
 * the flip counts of every permutation in order.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_N 12

/* Reverses perm[0..k] repeatedly (k = perm[0]) until perm[0] == 0; returns the number of reversals. */
static uint32_t count_flips(const uint8_t* start, int n) {
  uint8_t perm[MAX_N];
  for (int i = 0; i < n; i++) perm[i] = start[i];
  uint32_t flips = 0;
  uint8_t k = perm[0];
  while (k != 0) {
    for (int lo = 0, hi = k; lo < hi; lo++, hi--) {
      uint8_t t = perm[lo];
      perm[lo] = perm[hi];
      perm[hi] = t;
    }
    flips++;
    k = perm[0];
  }
  return flips;
}

/* One round: every permutation, starting from the identity with its first and `swap`th elements exchanged. */
static void run_round(int n, int swap, int64_t* alternating, uint32_t* max_flips, uint64_t* permutations,
                      uint64_t* checksum) {
  uint8_t perm[MAX_N];
  uint8_t count[MAX_N];
  for (int i = 0; i < n; i++) perm[i] = (uint8_t)i;
  perm[0] = (uint8_t)swap;
  perm[swap] = 0;
  uint64_t index = 0;
  int r = n;
  for (;;) {
    for (; r > 1; r--) count[r - 1] = (uint8_t)r;
    uint32_t flips = perm[0] != 0 ? count_flips(perm, n) : 0;
    if (flips > *max_flips) *max_flips = flips;
    *alternating += (index & 1) ? -(int64_t)flips : (int64_t)flips;
    *checksum = (*checksum ^ flips) * 0x100000001B3ull;
    index++;
    /* The next permutation: rotate perm[0..r] left by one until a position's counter has not run out. */
    for (;;) {
      if (r == n) {
        *permutations += index;
        return;
      }
      uint8_t first = perm[0];
      for (int i = 0; i < r; i++) perm[i] = perm[i + 1];
      perm[r] = first;
      if (--count[r] > 0) break;
      r++;
    }
  }
}

int main(int argc, char** argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
  long rounds = argc > 2 ? strtol(argv[2], NULL, 10) : 4;
  if (n < 3 || n > MAX_N || rounds < 1 || rounds > 1000) {
    fprintf(stderr, "usage: fannkuch [N [ROUNDS]], 3 <= N <= %d, 1 <= ROUNDS <= 1000\n", MAX_N);
    return 2;
  }
  uint32_t max_flips = 0;
  uint64_t permutations = 0;
  uint64_t checksum = 0xCBF29CE484222325ull;
  printf("fannkuch: N=%ld rounds=%ld\n", n, rounds);
  for (long k = 0; k < rounds; k++) {
    int64_t alternating = 0;
    run_round((int)n, (int)(k % n), &alternating, &max_flips, &permutations, &checksum);
    printf("round %ld: alternating sum=%" PRId64 "\n", k, alternating);
  }
  printf("permutations=%" PRIu64 " max flips=%" PRIu32 "\n", permutations, max_flips);
  printf("checksum: %016" PRIx64 "\n", checksum);
  return 0;
}
