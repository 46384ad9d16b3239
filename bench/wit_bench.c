/* SPDX-License-Identifier: Apache-2.0 */
/* WIT front-end benchmark driver: parses and resolves a WIT package folder
 * (with deps/) N times. Prints "<first ms> <min ms> <median ms> <CPU ms per
 * load> <peak RSS MB>" like bench/wit_node.mjs does for wasm-tools. The
 * machine is shared, so the minimum and the median of many loads are
 * reported, not the mean, and the CPU time (user + system) per load, which
 * waiting for a core does not count. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "witgen/wit.h"

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static bool load_once(const char *path) {
  WgDiagList *diags = wg_diag_list_new();
  WgWitResolve *resolve = NULL;
  WgStatus st = wg_wit_load(path, NULL, diags, &resolve);
  if (st != WG_OK) {
    fprintf(stderr, "wit_bench: %s: %s\n", path, wg_status_str(st));
  }
  wg_wit_resolve_free(resolve);
  wg_diag_list_delete(diags);
  return st == WG_OK;
}

static double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: wit_bench WIT_DIR [N]\n");
    return 2;
  }
  int n = argc > 2 ? atoi(argv[2]) : 50;
  if (n < 1) n = 1;
  double *times = malloc((size_t)n * sizeof *times);
  if (!times) return 1;
  double t = now_ms();
  if (!load_once(argv[1])) return 1;
  double first = now_ms() - t;
  double cpu = cpu_ms();
  for (int i = 0; i < n; i++) {
    t = now_ms();
    if (!load_once(argv[1])) return 1;
    times[i] = now_ms() - t;
  }
  cpu = (cpu_ms() - cpu) / n;
  qsort(times, (size_t)n, sizeof *times, cmp_double);
  double median = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("%.3f %.3f %.3f %.3f %.1f\n", first, times[0], median, cpu,
         ru.ru_maxrss / 1024.0);
  free(times);
  return 0;
}
