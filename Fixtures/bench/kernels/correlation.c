/* correlation: Pearson correlation matrix, after PolyBench/C 4.2.1 datamining/correlation
 * (Kiln benchmark corpus, a WASI command).
 *
 *   correlation [M [N]]      M variables (default 900) and N observations (default M + M/6, the shape of
 *                            PolyBench's LARGE dataset, 1200 x 1400)
 *
 * Column means and standard deviations of the N x M data (one sqrt per column, and sqrt(float_n) per
 * element), the data centred and reduced in place, then the M x M correlation matrix: a dot product of two
 * columns per element of the upper triangle, striding down the N x M array (a cache miss per step at these
 * sizes), mirrored into the lower one. sqrt is the only libm function (correctly rounded everywhere). Loop
 * nests, data type (double), eps = 0.1 and initialisation as published (float_n is N).
 *
 * Prints two correlations and a 64-bit checksum over the bits of every element of corr.
 */
#pragma STDC FP_CONTRACT OFF
#include <math.h>
#include "kernels.h"

static void init_array(int m, int n, double* float_n, double data[n][m]) {
  int i, j;
  *float_n = (double)n;
  for (i = 0; i < n; i++)
    for (j = 0; j < m; j++)
      data[i][j] = (double)(i*j)/m + i;
}

static void kernel_correlation(int m, int n, double float_n, double data[n][m], double corr[m][m],
                               double mean[m], double stddev[m]) {
  int i, j, k;
  double eps = 0.1;

  for (j = 0; j < m; j++) {
    mean[j] = 0.0;
    for (i = 0; i < n; i++)
      mean[j] += data[i][j];
    mean[j] /= float_n;
  }

  for (j = 0; j < m; j++) {
    stddev[j] = 0.0;
    for (i = 0; i < n; i++)
      stddev[j] += (data[i][j] - mean[j]) * (data[i][j] - mean[j]);
    stddev[j] /= float_n;
    stddev[j] = sqrt(stddev[j]);
    /* The following in an inelegant but usual way to handle near-zero std. dev. values, which below would
       cause a zero-divide. */
    stddev[j] = stddev[j] <= eps ? 1.0 : stddev[j];
  }

  /* Center and reduce the column vectors. */
  for (i = 0; i < n; i++)
    for (j = 0; j < m; j++) {
      data[i][j] -= mean[j];
      data[i][j] /= sqrt(float_n) * stddev[j];
    }

  /* Calculate the m * m correlation matrix. */
  for (i = 0; i < m-1; i++) {
    corr[i][i] = 1.0;
    for (j = i+1; j < m; j++) {
      corr[i][j] = 0.0;
      for (k = 0; k < n; k++)
        corr[i][j] += (data[k][i] * data[k][j]);
      corr[j][i] = corr[i][j];
    }
  }
  corr[m-1][m-1] = 1.0;
}

int main(int argc, char** argv) {
  int m, n;
  if (argc > 3 || !size_arg(argc, argv, 1, 900, 1, 8000, &m) || !size_arg(argc, argv, 2, m + m / 6, 1, 8000, &n))
    return usage("correlation [M [N]], 1 <= M <= 8000, 1 <= N <= 8000");
  double float_n;
  double (*data)[m] = xmalloc(sizeof(double[n][m]));
  double (*corr)[m] = xmalloc(sizeof(double[m][m]));
  double* mean = xmalloc(sizeof(double[m]));
  double* stddev = xmalloc(sizeof(double[m]));
  init_array(m, n, &float_n, data);
  kernel_correlation(m, n, float_n, data, corr, mean, stddev);
  printf("correlation: M=%d N=%d\n", m, n);
  print_double("corr[M/2][M/3]", corr[m / 2][m / 3], 0);
  print_double("corr[0][M-1]", corr[0][m - 1], 1);
  print_checksum(checksum_doubles(0, &corr[0][0], (size_t)m * m));
  free(data);
  free(corr);
  free(mean);
  free(stddev);
  return 0;
}
