/* adi: alternating-direction implicit solver for 2D heat diffusion, after PolyBench/C 4.2.1 stencils/adi
 * (Kiln benchmark corpus, a WASI command).
 *
 *   adi [N [TSTEPS]]      grid order (default 1000) and time steps (default 30)
 *
 * Every time step does a column sweep then a row sweep, each a tridiagonal (Thomas) solve per line: a
 * forward elimination with two f64 divisions per element carrying a serial dependence along the line,
 * then a back substitution. The column sweep reads u and writes v column-wise (a stride of a row per
 * step), the row sweep the other way round. Four N x N grids (u, v, p, q: 31 MiB at N = 1000). Loop
 * nests, data type (double), coefficients and initialisation as published.
 *
 * Prints two cells of u and a 64-bit checksum over the bits of every cell of u.
 */
#pragma STDC FP_CONTRACT OFF
#include "kernels.h"

static void init_array(int n, double u[n][n]) {
  int i, j;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++) {
      u[i][j] = (double)(i + n-j) / n;
    }
}

/* Based on a Fortran code fragment from Figure 5 of "Automatic Data and Computation Decomposition on
 * Distributed Memory Parallel Computers" by Peizong Lee and Zvi Meir Kedem, TOPLAS, 2002 (as PolyBench says). */
static void kernel_adi(int tsteps, int n, double u[n][n], double v[n][n], double p[n][n], double q[n][n]) {
  int t, i, j;
  double DX, DY, DT;
  double B1, B2;
  double mul1, mul2;
  double a, b, c, d, e, f;

  DX = 1.0/(double)n;
  DY = 1.0/(double)n;
  DT = 1.0/(double)tsteps;
  B1 = 2.0;
  B2 = 1.0;
  mul1 = B1 * DT / (DX * DX);
  mul2 = B2 * DT / (DY * DY);

  a = -mul1 / 2.0;
  b = 1.0+mul1;
  c = a;
  d = -mul2 / 2.0;
  e = 1.0+mul2;
  f = d;

  for (t=1; t<=tsteps; t++) {
    /* Column Sweep */
    for (i=1; i<n-1; i++) {
      v[0][i] = 1.0;
      p[i][0] = 0.0;
      q[i][0] = v[0][i];
      for (j=1; j<n-1; j++) {
        p[i][j] = -c / (a*p[i][j-1]+b);
        q[i][j] = (-d*u[j][i-1]+(1.0+2.0*d)*u[j][i] - f*u[j][i+1]-a*q[i][j-1])/(a*p[i][j-1]+b);
      }

      v[n-1][i] = 1.0;
      for (j=n-2; j>=1; j--) {
        v[j][i] = p[i][j] * v[j+1][i] + q[i][j];
      }
    }
    /* Row Sweep */
    for (i=1; i<n-1; i++) {
      u[i][0] = 1.0;
      p[i][0] = 0.0;
      q[i][0] = u[i][0];
      for (j=1; j<n-1; j++) {
        p[i][j] = -f / (d*p[i][j-1]+e);
        q[i][j] = (-a*v[i-1][j]+(1.0+2.0*a)*v[i][j] - c*v[i+1][j]-d*q[i][j-1])/(d*p[i][j-1]+e);
      }
      u[i][n-1] = 1.0;
      for (j=n-2; j>=1; j--) {
        u[i][j] = p[i][j] * u[i][j+1] + q[i][j];
      }
    }
  }
}

int main(int argc, char** argv) {
  int n, tsteps;
  if (argc > 3 || !size_arg(argc, argv, 1, 1000, 3, 16384, &n) ||
      !size_arg(argc, argv, 2, 30, 1, 1000000, &tsteps))
    return usage("adi [N [TSTEPS]], 3 <= N <= 16384, 1 <= TSTEPS <= 1000000");
  double (*u)[n] = xmalloc(sizeof(double[n][n]));
  double (*v)[n] = xmalloc(sizeof(double[n][n]));
  double (*p)[n] = xmalloc(sizeof(double[n][n]));
  double (*q)[n] = xmalloc(sizeof(double[n][n]));
  init_array(n, u);
  kernel_adi(tsteps, n, u, v, p, q);
  printf("adi: N=%d TSTEPS=%d\n", n, tsteps);
  print_double("u[N/2][N/3]", u[n / 2][n / 3], 0);
  print_double("u[N-2][1]", u[n - 2][1], 1);
  print_checksum(checksum_doubles(0, &u[0][0], (size_t)n * n));
  free(u);
  free(v);
  free(p);
  free(q);
  return 0;
}
