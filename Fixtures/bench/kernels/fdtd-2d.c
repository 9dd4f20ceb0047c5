/* fdtd-2d: 2D finite-difference time-domain kernel, after PolyBench/C 4.2.1 stencils/fdtd-2d
 * (Kiln benchmark corpus, a WASI command).
 *
 *   fdtd-2d [NX [TMAX]]      grid rows (default 1000; NY = NX + NX/5 columns, as in PolyBench's LARGE
 *                            dataset, 1000 x 1200) and time steps (default 280)
 *
 * Every time step sets the first row of the electric field ey from the source _fict_[t], updates ey and ex
 * from the magnetic field hz, then hz from ex and ey: three streaming sweeps over three NX x NY f64 arrays
 * (27 MiB at the default). Loop nests, data type (double) and initialisation as published.
 *
 * Prints one element of each field and a 64-bit checksum over the bits of every element of ex, ey and hz
 * (in that order).
 */
#pragma STDC FP_CONTRACT OFF
#include "kernels.h"

static void init_array(int tmax, int nx, int ny, double ex[nx][ny], double ey[nx][ny], double hz[nx][ny],
                       double _fict_[tmax]) {
  int i, j;
  for (i = 0; i < tmax; i++)
    _fict_[i] = (double) i;
  for (i = 0; i < nx; i++)
    for (j = 0; j < ny; j++) {
      ex[i][j] = ((double) i*(j+1)) / nx;
      ey[i][j] = ((double) i*(j+2)) / ny;
      hz[i][j] = ((double) i*(j+3)) / nx;
    }
}

static void kernel_fdtd_2d(int tmax, int nx, int ny, double ex[nx][ny], double ey[nx][ny], double hz[nx][ny],
                           double _fict_[tmax]) {
  int t, i, j;
  for (t = 0; t < tmax; t++) {
    for (j = 0; j < ny; j++)
      ey[0][j] = _fict_[t];
    for (i = 1; i < nx; i++)
      for (j = 0; j < ny; j++)
        ey[i][j] = ey[i][j] - 0.5*(hz[i][j]-hz[i-1][j]);
    for (i = 0; i < nx; i++)
      for (j = 1; j < ny; j++)
        ex[i][j] = ex[i][j] - 0.5*(hz[i][j]-hz[i][j-1]);
    for (i = 0; i < nx - 1; i++)
      for (j = 0; j < ny - 1; j++)
        hz[i][j] = hz[i][j] - 0.7*  (ex[i][j+1] - ex[i][j] +
                                     ey[i+1][j] - ey[i][j]);
  }
}

int main(int argc, char** argv) {
  int nx, tmax;
  if (argc > 3 || !size_arg(argc, argv, 1, 1000, 2, 10000, &nx) ||
      !size_arg(argc, argv, 2, 280, 0, 1000000, &tmax))
    return usage("fdtd-2d [NX [TMAX]], 2 <= NX <= 10000, 0 <= TMAX <= 1000000");
  int ny = nx + nx / 5;
  double (*ex)[ny] = xmalloc(sizeof(double[nx][ny]));
  double (*ey)[ny] = xmalloc(sizeof(double[nx][ny]));
  double (*hz)[ny] = xmalloc(sizeof(double[nx][ny]));
  double* _fict_ = xmalloc(sizeof(double[tmax > 0 ? tmax : 1]));
  init_array(tmax, nx, ny, ex, ey, hz, _fict_);
  kernel_fdtd_2d(tmax, nx, ny, ex, ey, hz, _fict_);
  printf("fdtd-2d: NX=%d NY=%d TMAX=%d\n", nx, ny, tmax);
  print_double("ex[NX/2][NY/3]", ex[nx / 2][ny / 3], 0);
  print_double("ey[NX/2][NY/3]", ey[nx / 2][ny / 3], 0);
  print_double("hz[NX/2][NY/3]", hz[nx / 2][ny / 3], 1);
  uint64_t hash = checksum_doubles(0, &ex[0][0], (size_t)nx * ny);
  hash = checksum_doubles(hash, &ey[0][0], (size_t)nx * ny);
  print_checksum(checksum_doubles(hash, &hz[0][0], (size_t)nx * ny));
  free(ex);
  free(ey);
  free(hz);
  free(_fict_);
  return 0;
}
