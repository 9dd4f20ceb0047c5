/* jacobi-1d: 1D Jacobi stencil, after PolyBench/C 4.2.1 stencils/jacobi-1d (Kiln benchmark corpus, a WASI command).
 *
 *   jacobi-1d [N [TSTEPS]]      array length (default 4000) and time steps (default 280000)
 *
 * Every time step averages each interior element of A with its two neighbours into B (times 0.33333), then
 * B back into A: two streaming three-point sweeps over arrays that stay in the L1 cache, so the loop is
 * limited by f64 add/multiply throughput. Loop nests, data type (double) and initialisation as published.
 *
 * Prints two elements of A and a 64-bit checksum over the bits of every element of A.
 */
#pragma STDC FP_CONTRACT OFF
#include "kernels.h"

static void init_array(int n, double A[n], double B[n]) {
  int i;
  for (i = 0; i < n; i++) {
    A[i] = ((double) i+ 2) / n;
    B[i] = ((double) i+ 3) / n;
  }
}

static void kernel_jacobi_1d(int tsteps, int n, double A[n], double B[n]) {
  int t, i;
  for (t = 0; t < tsteps; t++) {
    for (i = 1; i < n - 1; i++)
      B[i] = 0.33333 * (A[i-1] + A[i] + A[i + 1]);
    for (i = 1; i < n - 1; i++)
      A[i] = 0.33333 * (B[i-1] + B[i] + B[i + 1]);
  }
}

int main(int argc, char** argv) {
  int n, tsteps;
  if (argc > 3 || !size_arg(argc, argv, 1, 4000, 3, 100000000, &n) ||
      !size_arg(argc, argv, 2, 280000, 0, 100000000, &tsteps))
    return usage("jacobi-1d [N [TSTEPS]], 3 <= N <= 100000000, 0 <= TSTEPS <= 100000000");
  double* A = xmalloc(sizeof(double[n]));
  double* B = xmalloc(sizeof(double[n]));
  init_array(n, A, B);
  kernel_jacobi_1d(tsteps, n, A, B);
  printf("jacobi-1d: N=%d TSTEPS=%d\n", n, tsteps);
  print_double("A[N/2]", A[n / 2], 0);
  print_double("A[N/3]", A[n / 3], 1);
  print_checksum(checksum_doubles(0, A, (size_t)n));
  free(A);
  free(B);
  return 0;
}
