/* cholesky: Cholesky decomposition A = L*L^T, in place, after PolyBench/C 4.2.1 linear-algebra/solvers/cholesky
 * (Kiln benchmark corpus, a WASI command).
 *
 *   cholesky [N]      matrix order (default 900)
 *
 * The initialisation is PolyBench's (the same as lu's): a lower-triangular L with unit diagonal, then
 * A = L*L^T through an N x N temporary in t-r-s order, an N^3 loop nest that is part of the run. The kernel
 * overwrites the lower triangle of A with L, row by row: dot products of two rows, a division per element
 * and one sqrt per row (the only libm function used; IEEE sqrt is correctly rounded everywhere). Loop nests,
 * data type (double) and initialisation as published.
 *
 * Prints two elements of L and a 64-bit checksum over the bits of every element of A (PolyBench prints
 * the lower triangle; the upper one still holds the initial matrix).
 */
#pragma STDC FP_CONTRACT OFF
#include <math.h>
#include "kernels.h"

static void init_array(int n, double A[n][n]) {
  int i, j;
  for (i = 0; i < n; i++) {
    for (j = 0; j <= i; j++)
      A[i][j] = (double)(-j % n) / n + 1;
    for (j = i+1; j < n; j++) {
      A[i][j] = 0;
    }
    A[i][i] = 1;
  }

  /* Make the matrix positive semi-definite. */
  int r, s, t;
  double (*B)[n] = xmalloc(sizeof(double[n][n]));
  for (r = 0; r < n; ++r)
    for (s = 0; s < n; ++s)
      B[r][s] = 0;
  for (t = 0; t < n; ++t)
    for (r = 0; r < n; ++r)
      for (s = 0; s < n; ++s)
        B[r][s] += A[r][t] * A[s][t];
  for (r = 0; r < n; ++r)
    for (s = 0; s < n; ++s)
      A[r][s] = B[r][s];
  free(B);
}

static void kernel_cholesky(int n, double A[n][n]) {
  int i, j, k;
  for (i = 0; i < n; i++) {
    /* j < i */
    for (j = 0; j < i; j++) {
      for (k = 0; k < j; k++) {
        A[i][j] -= A[i][k] * A[j][k];
      }
      A[i][j] /= A[j][j];
    }
    /* i == j case */
    for (k = 0; k < i; k++) {
      A[i][i] -= A[i][k] * A[i][k];
    }
    A[i][i] = sqrt(A[i][i]);
  }
}

int main(int argc, char** argv) {
  int n;
  if (argc > 2 || !size_arg(argc, argv, 1, 900, 1, 8000, &n)) return usage("cholesky [N], 1 <= N <= 8000");
  double (*A)[n] = xmalloc(sizeof(double[n][n]));
  init_array(n, A);
  kernel_cholesky(n, A);
  printf("cholesky: N=%d\n", n);
  print_double("A[N/2][N/3]", A[n / 2][n / 3], 0);
  print_double("A[N-1][N-1]", A[n - 1][n - 1], 1);
  print_checksum(checksum_doubles(0, &A[0][0], (size_t)n * n));
  free(A);
  return 0;
}
