/* seidel-2d: 2D Gauss-Seidel stencil, after PolyBench/C 4.2.1 stencils/seidel-2d (Kiln benchmark corpus, a WASI command).
 *
 *   seidel-2d [N [TSTEPS]]      grid order (default 1000) and time steps (default 80)
 *
 * Every time step replaces each interior cell of the N x N grid A, in place, by the mean of its 3 x 3
 * neighbourhood (divided by 9.0): each update reads the cell just written to its left and the row just
 * updated above, a serial dependence chain through an f64 division that does not vectorize. Loop nests,
 * data type (double) and initialisation as published.
 *
 * Prints two cells of A and a 64-bit checksum over the bits of every cell of A.
 */
#pragma STDC FP_CONTRACT OFF
#include "kernels.h"

static void init_array(int n, double A[n][n]) {
  int i, j;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      A[i][j] = ((double) i*(j+2) + 2) / n;
}

static void kernel_seidel_2d(int tsteps, int n, double A[n][n]) {
  int t, i, j;
  for (t = 0; t <= tsteps - 1; t++)
    for (i = 1; i<= n - 2; i++)
      for (j = 1; j <= n - 2; j++)
        A[i][j] = (A[i-1][j-1] + A[i-1][j] + A[i-1][j+1]
                   + A[i][j-1] + A[i][j] + A[i][j+1]
                   + A[i+1][j-1] + A[i+1][j] + A[i+1][j+1])/9.0;
}

int main(int argc, char** argv) {
  int n, tsteps;
  if (argc > 3 || !size_arg(argc, argv, 1, 1000, 3, 16384, &n) ||
      !size_arg(argc, argv, 2, 80, 0, 1000000, &tsteps))
    return usage("seidel-2d [N [TSTEPS]], 3 <= N <= 16384, 0 <= TSTEPS <= 1000000");
  double (*A)[n] = xmalloc(sizeof(double[n][n]));
  init_array(n, A);
  kernel_seidel_2d(tsteps, n, A);
  printf("seidel-2d: N=%d TSTEPS=%d\n", n, tsteps);
  print_double("A[N/2][N/3]", A[n / 2][n / 3], 0);
  print_double("A[N-2][N-2]", A[n - 2][n - 2], 1);
  print_checksum(checksum_doubles(0, &A[0][0], (size_t)n * n));
  free(A);
  return 0;
}
