/* trmm: triangular matrix multiply B = alpha*A^T*B (A unit lower triangular), after PolyBench/C 4.2.1
 * linear-algebra/blas/trmm (Kiln benchmark corpus, a WASI command).
 *
 *   trmm [M [N]]      rows of B and order of A (default 900) and columns of B (default M + M/5, the shape
 *                     of PolyBench's LARGE dataset, M = 1000, N = 1200)
 *
 * Every B[i][j] gains the dot product of column i of A below the diagonal with column j of B below row i
 * (both strided down columns, a serial f64 sum), then is scaled by alpha. Loop nests, data type (double),
 * alpha = 1.5 and initialisation as published (A's upper triangle is never set and never read).
 *
 * Prints two elements of B and a 64-bit checksum over the bits of every element of B.
 */
#pragma STDC FP_CONTRACT OFF
#include "kernels.h"

static void init_array(int m, int n, double* alpha, double A[m][m], double B[m][n]) {
  int i, j;
  *alpha = 1.5;
  for (i = 0; i < m; i++) {
    for (j = 0; j < i; j++) {
      A[i][j] = (double)((i+j) % m)/m;
    }
    A[i][i] = 1.0;
    for (j = 0; j < n; j++) {
      B[i][j] = (double)((n+(i-j)) % n)/n;
    }
  }
}

static void kernel_trmm(int m, int n, double alpha, double A[m][m], double B[m][n]) {
  int i, j, k;
  for (i = 0; i < m; i++)
    for (j = 0; j < n; j++) {
      for (k = i+1; k < m; k++)
        B[i][j] += A[k][i] * B[k][j];
      B[i][j] = alpha * B[i][j];
    }
}

int main(int argc, char** argv) {
  int m, n;
  if (argc > 3 || !size_arg(argc, argv, 1, 900, 1, 8000, &m) ||
      !size_arg(argc, argv, 2, m + m / 5, 1, 8000, &n))
    return usage("trmm [M [N]], 1 <= M <= 8000, 1 <= N <= 8000");
  double alpha;
  double (*A)[m] = xmalloc(sizeof(double[m][m]));
  double (*B)[n] = xmalloc(sizeof(double[m][n]));
  init_array(m, n, &alpha, A, B);
  kernel_trmm(m, n, alpha, A, B);
  printf("trmm: M=%d N=%d\n", m, n);
  print_double("B[M/2][N/3]", B[m / 2][n / 3], 0);
  print_double("B[0][N-1]", B[0][n - 1], 1);
  print_checksum(checksum_doubles(0, &B[0][0], (size_t)m * n));
  free(A);
  free(B);
  return 0;
}
