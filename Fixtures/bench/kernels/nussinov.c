/* nussinov: RNA secondary-structure prediction (Nussinov's dynamic program), after PolyBench/C 4.2.1
 * medley/nussinov (Kiln benchmark corpus, a WASI command).
 *
 *   nussinov [N]      sequence length (default 1500)
 *
 * Fills the upper triangle of the N x N int table from the bottom row up: each cell is the maximum of
 * its neighbours, a base-pair match and, over every split point k, table[i][k] + table[k+1][j] (a row
 * against a column: a strided, branchy integer max-reduction). The sequence is chars 0..3 (base is char)
 * and the table int, as published; loop nest, match/max_score and initialisation as published.
 *
 * Prints two scores and a 64-bit checksum over the bits of every element of the table (PolyBench prints
 * the upper triangle; the lower one stays 0).
 */
#include "kernels.h"

/* RNA bases represented as chars, range is [0,3] */
typedef char base;

#define match(b1, b2) (((b1)+(b2)) == 3 ? 1 : 0)
#define max_score(s1, s2) ((s1 >= s2) ? s1 : s2)

static void init_array(int n, base seq[n], int table[n][n]) {
  int i, j;
  /* base is AGCT/0..3 */
  for (i = 0; i < n; i++) {
    seq[i] = (base)((i+1)%4);
  }
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      table[i][j] = 0;
}

static void kernel_nussinov(int n, base seq[n], int table[n][n]) {
  int i, j, k;
  for (i = n-1; i >= 0; i--) {
    for (j = i+1; j < n; j++) {
      if (j-1 >= 0)
        table[i][j] = max_score(table[i][j], table[i][j-1]);
      if (i+1 < n)
        table[i][j] = max_score(table[i][j], table[i+1][j]);

      if (j-1 >= 0 && i+1 < n) {
        /* don't allow adjacent elements to bond */
        if (i < j-1)
          table[i][j] = max_score(table[i][j], table[i+1][j-1]+match(seq[i], seq[j]));
        else
          table[i][j] = max_score(table[i][j], table[i+1][j-1]);
      }

      for (k = i+1; k < j; k++) {
        table[i][j] = max_score(table[i][j], table[i][k] + table[k+1][j]);
      }
    }
  }
}

int main(int argc, char** argv) {
  int n;
  if (argc > 2 || !size_arg(argc, argv, 1, 1500, 1, 16384, &n)) return usage("nussinov [N], 1 <= N <= 16384");
  base* seq = xmalloc(sizeof(base[n]));
  int (*table)[n] = xmalloc(sizeof(int[n][n]));
  init_array(n, seq, table);
  kernel_nussinov(n, seq, table);
  printf("nussinov: N=%d\n", n);
  printf("table[0][N-1]=%d table[N/3][N/2]=%d\n", table[0][n - 1], table[n / 3][n / 2]);
  print_checksum(checksum_ints(0, &table[0][0], (size_t)n * n));
  free(seq);
  free(table);
  return 0;
}
