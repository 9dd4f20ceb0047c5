/* syrk: symmetric rank-k update C = alpha*A*A^T + beta*C (lower triangle), after PolyBench/C 4.2.1
 * linear-algebra/blas/syrk (Kiln benchmark corpus, a WASI command).
 *
 *   syrk [N [M]]      order of C (default 1200) and columns of A (default N - N/6, the shape of PolyBench's
 *                     LARGE dataset, N = 1200, M = 1000)
 *
 * Row i of C's lower triangle is scaled by beta, then for every k the column k of A (rows 0..i), times
 * alpha*A[i][k], is added into it: the inner loop walks A[j][k] down a column (a stride of a row per step)
 * into a contiguous row of C. Loop nests, data type (double), alpha = 1.5, beta = 1.2 and initialisation
 * as published.
 *
 * Prints two elements of C and a 64-bit checksum over the bits of every element of C (the upper triangle
 * keeps its initial values, as in PolyBench, which prints all of C).
 */
#pragma STDC FP_CONTRACT OFF
#include "kernels.h"

static void init_array(int n, int m, double* alpha, double* beta, double C[n][n], double A[n][m]) {
  int i, j;
  *alpha = 1.5;
  *beta = 1.2;
  for (i = 0; i < n; i++)
    for (j = 0; j < m; j++)
      A[i][j] = (double) ((i*j+1)%n) / n;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      C[i][j] = (double) ((i*j+2)%m) / m;
}

static void kernel_syrk(int n, int m, double alpha, double beta, double C[n][n], double A[n][m]) {
  int i, j, k;
  for (i = 0; i < n; i++) {
    for (j = 0; j <= i; j++)
      C[i][j] *= beta;
    for (k = 0; k < m; k++) {
      for (j = 0; j <= i; j++)
        C[i][j] += alpha * A[i][k] * A[j][k];
    }
  }
}

int main(int argc, char** argv) {
  int n, m;
  if (argc > 3 || !size_arg(argc, argv, 1, 1200, 1, 8000, &n) ||
      !size_arg(argc, argv, 2, n - n / 6, 1, 8000, &m))
    return usage("syrk [N [M]], 1 <= N <= 8000, 1 <= M <= 8000");
  double alpha, beta;
  double (*C)[n] = xmalloc(sizeof(double[n][n]));
  double (*A)[m] = xmalloc(sizeof(double[n][m]));
  init_array(n, m, &alpha, &beta, C, A);
  kernel_syrk(n, m, alpha, beta, C, A);
  printf("syrk: N=%d M=%d\n", n, m);
  print_double("C[N/2][N/3]", C[n / 2][n / 3], 0);
  print_double("C[N-1][0]", C[n - 1][0], 1);
  print_checksum(checksum_doubles(0, &C[0][0], (size_t)n * n));
  free(C);
  free(A);
  return 0;
}
