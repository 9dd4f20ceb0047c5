/* jacobi-2d: 2D Jacobi stencil, after PolyBench/C 4.2.1 stencils/jacobi-2d (Kiln benchmark corpus, a WASI command).
 *
 *   jacobi-2d [N [TSTEPS]]      grid order (default 1300) and time steps (default 330)
 *
 * Every time step replaces each interior cell of the N x N grid A by 0.2 times the sum of itself and its four
 * neighbours, into B, then B back into A: streaming f64 five-point sweeps over three rows at once. Two grids
 * of 1300 x 1300 are 26 MiB. Loop nests, data type (double) and initialisation as published.
 *
 * Prints two cells of A and a 64-bit checksum over the bits of every cell of A.
 */
#pragma STDC FP_CONTRACT OFF
#include "kernels.h"

static void init_array(int n, double A[n][n], double B[n][n]) {
  int i, j;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++) {
      A[i][j] = ((double) i*(j+2) + 2) / n;
      B[i][j] = ((double) i*(j+3) + 3) / n;
    }
}

static void kernel_jacobi_2d(int tsteps, int n, double A[n][n], double B[n][n]) {
  int t, i, j;
  for (t = 0; t < tsteps; t++) {
    for (i = 1; i < n - 1; i++)
      for (j = 1; j < n - 1; j++)
        B[i][j] = 0.2 * (A[i][j] + A[i][j-1] + A[i][1+j] + A[1+i][j] + A[i-1][j]);
    for (i = 1; i < n - 1; i++)
      for (j = 1; j < n - 1; j++)
        A[i][j] = 0.2 * (B[i][j] + B[i][j-1] + B[i][1+j] + B[1+i][j] + B[i-1][j]);
  }
}

int main(int argc, char** argv) {
  int n, tsteps;
  if (argc > 3 || !size_arg(argc, argv, 1, 1300, 3, 16384, &n) ||
      !size_arg(argc, argv, 2, 330, 0, 1000000, &tsteps))
    return usage("jacobi-2d [N [TSTEPS]], 3 <= N <= 16384, 0 <= TSTEPS <= 1000000");
  double (*A)[n] = xmalloc(sizeof(double[n][n]));
  double (*B)[n] = xmalloc(sizeof(double[n][n]));
  init_array(n, A, B);
  kernel_jacobi_2d(tsteps, n, A, B);
  printf("jacobi-2d: N=%d TSTEPS=%d\n", n, tsteps);
  print_double("A[N/2][N/3]", A[n / 2][n / 3], 0);
  print_double("A[N-2][N-2]", A[n - 2][n - 2], 1);
  print_checksum(checksum_doubles(0, &A[0][0], (size_t)n * n));
  free(A);
  free(B);
  return 0;
}
