/* SPDX-License-Identifier: Apache-2.0 */
/* 256x256 double-precision matrix multiplication (i-k-j loop order),
 * repeated 8 times. */
#include "bench.h"

enum { N = 256, REPEAT = 8 };
static double a[N][N], b[N][N], c[N][N];

BENCH_EXPORT uint32_t run(void) {
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < N; j++) {
      a[i][j] = (double)((i * 7 + j * 3) % 17) / 8.0 - 1.0;
      b[i][j] = (double)((i * 5 + j * 11) % 13) / 4.0 - 1.5;
    }
  }
  double total = 0;
  for (int r = 0; r < REPEAT; r++) {
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++)
        c[i][j] = 0;
      for (int k = 0; k < N; k++) {
        double aik = a[i][k] + r;
        for (int j = 0; j < N; j++)
          c[i][j] += aik * b[k][j];
      }
    }
    for (int i = 0; i < N; i++)
      total += c[i][(i * 31) % N];
  }
  /* every value is a multiple of 1/32 and small: exact in doubles */
  return (uint32_t)(int64_t)(total * 32.0);
}
