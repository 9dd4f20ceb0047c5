/* floyd-warshall: all-pairs shortest paths, after PolyBench/C 4.2.1 medley/floyd-warshall
 * (Kiln benchmark corpus, a WASI command).
 *
 *   floyd-warshall [N]      number of vertices (default 1150)
 *
 * For every intermediate vertex k, every path[i][j] becomes the smaller of itself and
 * path[i][k] + path[k][j]: N^3 integer adds and compare-selects streaming over an N x N int matrix
 * (vectorizes natively). DATA_TYPE is int, as in PolyBench's floyd-warshall.h; edge weights 1..7, with
 * 999 for the missing edges. Loop nest and initialisation as published.
 *
 * Prints two distances and a 64-bit checksum over the bits of every element of path.
 */
#include "kernels.h"

static void init_array(int n, int path[n][n]) {
  int i, j;
  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++) {
      path[i][j] = i*j%7+1;
      if ((i+j)%13 == 0 || (i+j)%7==0 || (i+j)%11 == 0)
        path[i][j] = 999;
    }
}

static void kernel_floyd_warshall(int n, int path[n][n]) {
  int i, j, k;
  for (k = 0; k < n; k++) {
    for (i = 0; i < n; i++)
      for (j = 0; j < n; j++)
        path[i][j] = path[i][j] < path[i][k] + path[k][j] ?
          path[i][j] : path[i][k] + path[k][j];
  }
}

int main(int argc, char** argv) {
  int n;
  if (argc > 2 || !size_arg(argc, argv, 1, 1150, 1, 16384, &n)) return usage("floyd-warshall [N], 1 <= N <= 16384");
  int (*path)[n] = xmalloc(sizeof(int[n][n]));
  init_array(n, path);
  kernel_floyd_warshall(n, path);
  printf("floyd-warshall: N=%d\n", n);
  printf("path[N/2][N/3]=%d path[N-1][0]=%d\n", path[n / 2][n / 3], path[n - 1][0]);
  print_checksum(checksum_ints(0, &path[0][0], (size_t)n * n));
  free(path);
  return 0;
}
