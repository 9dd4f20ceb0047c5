/* 2mm: two matrix multiplications D = alpha*A*B*C + beta*D, after PolyBench/C 4.2.1 linear-algebra/kernels/2mm
 * (Kiln benchmark corpus, a WASI command).
 *
 *   2mm [NI]      rows of A and D (default 580); NJ = NI + NI/8, NK = NI + 3*NI/8 and NL = NI + NI/2, the
 *                 shape of PolyBench's LARGE dataset (800, 900, 1100, 1200)
 *
 * tmp = alpha*A*B, then D = beta*D + tmp*C, both in i-j-k order as published: each element is a dot
 * product of a row with a column, so the inner loop strides down a column (a cache miss per step at these
 * sizes) and carries a serial f64 sum. Loop nests, data type (double), alpha = 1.5, beta = 1.2 and
 * initialisation as published.
 *
 * Prints two elements of D and a 64-bit checksum over the bits of every element of D.
 */
#pragma STDC FP_CONTRACT OFF
#include "kernels.h"

static void init_array(int ni, int nj, int nk, int nl, double* alpha, double* beta, double A[ni][nk],
                       double B[nk][nj], double C[nj][nl], double D[ni][nl]) {
  int i, j;
  *alpha = 1.5;
  *beta = 1.2;
  for (i = 0; i < ni; i++)
    for (j = 0; j < nk; j++)
      A[i][j] = (double) ((i*j+1) % ni) / ni;
  for (i = 0; i < nk; i++)
    for (j = 0; j < nj; j++)
      B[i][j] = (double) (i*(j+1) % nj) / nj;
  for (i = 0; i < nj; i++)
    for (j = 0; j < nl; j++)
      C[i][j] = (double) ((i*(j+3)+1) % nl) / nl;
  for (i = 0; i < ni; i++)
    for (j = 0; j < nl; j++)
      D[i][j] = (double) (i*(j+2) % nk) / nk;
}

static void kernel_2mm(int ni, int nj, int nk, int nl, double alpha, double beta, double tmp[ni][nj],
                       double A[ni][nk], double B[nk][nj], double C[nj][nl], double D[ni][nl]) {
  int i, j, k;
  /* D := alpha*A*B*C + beta*D */
  for (i = 0; i < ni; i++)
    for (j = 0; j < nj; j++) {
      tmp[i][j] = 0.0;
      for (k = 0; k < nk; ++k)
        tmp[i][j] += alpha * A[i][k] * B[k][j];
    }
  for (i = 0; i < ni; i++)
    for (j = 0; j < nl; j++) {
      D[i][j] *= beta;
      for (k = 0; k < nj; ++k)
        D[i][j] += tmp[i][k] * C[k][j];
    }
}

int main(int argc, char** argv) {
  int ni;
  if (argc > 2 || !size_arg(argc, argv, 1, 580, 1, 8000, &ni)) return usage("2mm [NI], 1 <= NI <= 8000");
  int nj = ni + ni / 8, nk = ni + 3 * ni / 8, nl = ni + ni / 2;
  double alpha, beta;
  double (*tmp)[nj] = xmalloc(sizeof(double[ni][nj]));
  double (*A)[nk] = xmalloc(sizeof(double[ni][nk]));
  double (*B)[nj] = xmalloc(sizeof(double[nk][nj]));
  double (*C)[nl] = xmalloc(sizeof(double[nj][nl]));
  double (*D)[nl] = xmalloc(sizeof(double[ni][nl]));
  init_array(ni, nj, nk, nl, &alpha, &beta, A, B, C, D);
  kernel_2mm(ni, nj, nk, nl, alpha, beta, tmp, A, B, C, D);
  printf("2mm: NI=%d NJ=%d NK=%d NL=%d\n", ni, nj, nk, nl);
  print_double("D[NI/2][NL/3]", D[ni / 2][nl / 3], 0);
  print_double("D[NI-1][NL-1]", D[ni - 1][nl - 1], 1);
  print_checksum(checksum_doubles(0, &D[0][0], (size_t)ni * nl));
  free(tmp);
  free(A);
  free(B);
  free(C);
  free(D);
  return 0;
}
