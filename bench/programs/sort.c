/* SPDX-License-Identifier: Apache-2.0 */
/* Sorts 1M pseudo-random 32-bit integers with an in-place quicksort
 * (median of three, insertion sort below 16 elements). */
#include "bench.h"

enum { N = 1 << 20 };
static int32_t data[N];

static void insertion_sort(int32_t *a, long n) {
  for (long i = 1; i < n; i++) {
    int32_t v = a[i];
    long j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static void quicksort(int32_t *a, long n) {
  while (n > 16) {
    int32_t x = a[0], y = a[n / 2], z = a[n - 1];
    int32_t pivot =
        x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    long i = 0, j = n - 1;
    for (;;) {
      while (a[i] < pivot)
        i++;
      while (a[j] > pivot)
        j--;
      if (i >= j) break;
      int32_t t = a[i];
      a[i] = a[j];
      a[j] = t;
      i++;
      j--;
    }
    /* recurse into the smaller half, loop on the larger */
    if (j + 1 < n - j - 1) {
      quicksort(a, j + 1);
      a += j + 1;
      n -= j + 1;
    } else {
      quicksort(a + j + 1, n - j - 1);
      n = j + 1;
    }
  }
  insertion_sort(a, n);
}

BENCH_EXPORT uint32_t run(void) {
  uint32_t seed = 2463534242u;
  for (long i = 0; i < N; i++)
    data[i] = (int32_t)bench_rand(&seed);
  quicksort(data, N);
  uint32_t h = 2166136261u;
  for (long i = 0; i < N; i++) {
    if (i > 0 && data[i - 1] > data[i]) return 0; /* not sorted */
    if ((i & 1023) == 0) h = bench_mix(h, (uint32_t)data[i]);
  }
  return h;
}
