/* gemm: general matrix multiply C = alpha*A*B + beta*C, after PolyBench/C 4.2.1 linear-algebra/blas/gemm
 * (Kiln benchmark corpus, a WASI command).
 *
 *   gemm [NI]      rows of C (default 1150); NJ = NI + NI/10 and NK = NI + NI/5, the shape of
 *                  PolyBench's LARGE dataset (1000 x 1100 x 1200)
 *
 * Row i of C is scaled by beta, then for every k the row k of B, times alpha*A[i][k], is added into it
 * (i-k-j order: the inner loop streams a row of B into a row of C and vectorizes). Loop nests, data type
 * (double), alpha = 1.5, beta = 1.2 and initialisation as published.
 *
 * Prints two elements of C and a 64-bit checksum over the bits of every element of C.
 */
#pragma STDC FP_CONTRACT OFF
#include "kernels.h"

static void init_array(int ni, int nj, int nk, double* alpha, double* beta, double C[ni][nj], double A[ni][nk],
                       double B[nk][nj]) {
  int i, j;
  *alpha = 1.5;
  *beta = 1.2;
  for (i = 0; i < ni; i++)
    for (j = 0; j < nj; j++)
      C[i][j] = (double) ((i*j+1) % ni) / ni;
  for (i = 0; i < ni; i++)
    for (j = 0; j < nk; j++)
      A[i][j] = (double) (i*(j+1) % nk) / nk;
  for (i = 0; i < nk; i++)
    for (j = 0; j < nj; j++)
      B[i][j] = (double) (i*(j+2) % nj) / nj;
}

static void kernel_gemm(int ni, int nj, int nk, double alpha, double beta, double C[ni][nj], double A[ni][nk],
                        double B[nk][nj]) {
  int i, j, k;
  for (i = 0; i < ni; i++) {
    for (j = 0; j < nj; j++)
      C[i][j] *= beta;
    for (k = 0; k < nk; k++) {
      for (j = 0; j < nj; j++)
        C[i][j] += alpha * A[i][k] * B[k][j];
    }
  }
}

int main(int argc, char** argv) {
  int ni;
  if (argc > 2 || !size_arg(argc, argv, 1, 1150, 1, 8000, &ni)) return usage("gemm [NI], 1 <= NI <= 8000");
  int nj = ni + ni / 10, nk = ni + ni / 5;
  double alpha, beta;
  double (*C)[nj] = xmalloc(sizeof(double[ni][nj]));
  double (*A)[nk] = xmalloc(sizeof(double[ni][nk]));
  double (*B)[nj] = xmalloc(sizeof(double[nk][nj]));
  init_array(ni, nj, nk, &alpha, &beta, C, A, B);
  kernel_gemm(ni, nj, nk, alpha, beta, C, A, B);
  printf("gemm: NI=%d NJ=%d NK=%d\n", ni, nj, nk);
  print_double("C[NI/2][NJ/3]", C[ni / 2][nj / 3], 0);
  print_double("C[NI-1][NJ-1]", C[ni - 1][nj - 1], 1);
  print_checksum(checksum_doubles(0, &C[0][0], (size_t)ni * nj));
  free(C);
  free(A);
  free(B);
  return 0;
}
