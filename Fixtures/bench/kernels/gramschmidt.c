/* gramschmidt: QR decomposition by modified Gram-Schmidt, after PolyBench/C 4.2.1
 * linear-algebra/solvers/gramschmidt (Kiln benchmark corpus, a WASI command).
 *
 *   gramschmidt [M [N]]      rows (default 650) and columns (default M + M/5, the shape of PolyBench's
 *                            LARGE dataset, M = 1000, N = 1200)
 *
 * For every column k of A: its norm (one sqrt), Q's column k, then for every later column j a dot product
 * with Q's column k and an update of A's column j: all of it strided down columns of row-major arrays.
 * With N > M (as in PolyBench's datasets) the columns past the M-th are, in exact arithmetic, in the span
 * of the earlier ones: R's diagonal there holds rounding residue only, which Q's columns are divided by.
 * Every engine rounds the same way, so the bits still agree (and should a NaN ever arise, the checksum
 * maps it to the canonical NaN). sqrt is the only libm function. Loop nests, data type (double) and
 * initialisation as published.
 *
 * Prints two elements of R and a 64-bit checksum over the bits of every element of R, then of Q.
 */
#pragma STDC FP_CONTRACT OFF
#include <math.h>
#include "kernels.h"

static void init_array(int m, int n, double A[m][n], double R[n][n], double Q[m][n]) {
  int i, j;
  for (i = 0; i < m; i++)
    for (j = 0; j < n; j++) {
      A[i][j] = (((double) ((i*j) % m) / m )*100) + 10;
      Q[i][j] = 0.0;
    }
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      R[i][j] = 0.0;
}

static void kernel_gramschmidt(int m, int n, double A[m][n], double R[n][n], double Q[m][n]) {
  int i, j, k;
  double nrm;
  for (k = 0; k < n; k++) {
    nrm = 0.0;
    for (i = 0; i < m; i++)
      nrm += A[i][k] * A[i][k];
    R[k][k] = sqrt(nrm);
    for (i = 0; i < m; i++)
      Q[i][k] = A[i][k] / R[k][k];
    for (j = k + 1; j < n; j++) {
      R[k][j] = 0.0;
      for (i = 0; i < m; i++)
        R[k][j] += Q[i][k] * A[i][j];
      for (i = 0; i < m; i++)
        A[i][j] = A[i][j] - Q[i][k] * R[k][j];
    }
  }
}

int main(int argc, char** argv) {
  int m, n;
  if (argc > 3 || !size_arg(argc, argv, 1, 650, 1, 8000, &m) ||
      !size_arg(argc, argv, 2, m + m / 5, 1, 8000, &n))
    return usage("gramschmidt [M [N]], 1 <= M <= 8000, 1 <= N <= 8000");
  double (*A)[n] = xmalloc(sizeof(double[m][n]));
  double (*R)[n] = xmalloc(sizeof(double[n][n]));
  double (*Q)[n] = xmalloc(sizeof(double[m][n]));
  init_array(m, n, A, R, Q);
  kernel_gramschmidt(m, n, A, R, Q);
  printf("gramschmidt: M=%d N=%d\n", m, n);
  print_double("R[0][N-1]", R[0][n - 1], 0);
  print_double("R[N/3][N/2]", R[n / 3][n / 2], 1);
  uint64_t hash = checksum_doubles(0, &R[0][0], (size_t)n * n);
  print_checksum(checksum_doubles(hash, &Q[0][0], (size_t)m * n));
  free(A);
  free(R);
  free(Q);
  return 0;
}
