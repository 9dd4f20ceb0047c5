/* heat-3d: 3D heat equation stencil, after PolyBench/C 4.2.1 stencils/heat-3d (Kiln benchmark corpus, a WASI command).
 *
 *   heat-3d [N [TSTEPS]]      cube edge (default 120) and time steps (default 200)
 *
 * Every time step applies a seven-point stencil (the second difference along each axis times 0.125, plus
 * the centre) to every interior cell of the N x N x N grid A, into B, then B back into A: nine rows in three
 * planes are live at once. Two grids of 120^3 are 26 MiB. Loop nests, data type (double) and initialisation
 * as published (the time loop counts t = 1 .. TSTEPS).
 *
 * Prints two cells of A and a 64-bit checksum over the bits of every cell of A.
 */
#pragma STDC FP_CONTRACT OFF
#include "kernels.h"

static void init_array(int n, double A[n][n][n], double B[n][n][n]) {
  int i, j, k;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      for (k = 0; k < n; k++)
        A[i][j][k] = B[i][j][k] = (double) (i + j + (n-k))* 10 / (n);
}

static void kernel_heat_3d(int tsteps, int n, double A[n][n][n], double B[n][n][n]) {
  int t, i, j, k;
  for (t = 1; t <= tsteps; t++) {
    for (i = 1; i < n-1; i++) {
      for (j = 1; j < n-1; j++) {
        for (k = 1; k < n-1; k++) {
          B[i][j][k] =   0.125 * (A[i+1][j][k] - 2.0 * A[i][j][k] + A[i-1][j][k])
                       + 0.125 * (A[i][j+1][k] - 2.0 * A[i][j][k] + A[i][j-1][k])
                       + 0.125 * (A[i][j][k+1] - 2.0 * A[i][j][k] + A[i][j][k-1])
                       + A[i][j][k];
        }
      }
    }
    for (i = 1; i < n-1; i++) {
      for (j = 1; j < n-1; j++) {
        for (k = 1; k < n-1; k++) {
          A[i][j][k] =   0.125 * (B[i+1][j][k] - 2.0 * B[i][j][k] + B[i-1][j][k])
                       + 0.125 * (B[i][j+1][k] - 2.0 * B[i][j][k] + B[i][j-1][k])
                       + 0.125 * (B[i][j][k+1] - 2.0 * B[i][j][k] + B[i][j][k-1])
                       + B[i][j][k];
        }
      }
    }
  }
}

int main(int argc, char** argv) {
  int n, tsteps;
  if (argc > 3 || !size_arg(argc, argv, 1, 120, 3, 600, &n) ||
      !size_arg(argc, argv, 2, 200, 0, 1000000, &tsteps))
    return usage("heat-3d [N [TSTEPS]], 3 <= N <= 600, 0 <= TSTEPS <= 1000000");
  double (*A)[n][n] = xmalloc(sizeof(double[n][n][n]));
  double (*B)[n][n] = xmalloc(sizeof(double[n][n][n]));
  init_array(n, A, B);
  kernel_heat_3d(tsteps, n, A, B);
  printf("heat-3d: N=%d TSTEPS=%d\n", n, tsteps);
  print_double("A[N/2][N/3][N/4]", A[n / 2][n / 3][n / 4], 0);
  print_double("A[1][N-2][1]", A[1][n - 2][1], 1);
  print_checksum(checksum_doubles(0, &A[0][0][0], (size_t)n * n * n));
  free(A);
  free(B);
  return 0;
}
