/* SPDX-License-Identifier: Apache-2.0 */
/* Text-format benchmark driver: prints a module (binary to text) and parses
 * the text back (text to binary) N times each, in process, and checks that
 * the text parses back to the same bytes. Prints three lines:
 *   sizes <wasm bytes> <text bytes>
 *   parse <first ms> <min ms> <median ms> <CPU ms per run>
 *   print <first ms> <min ms> <median ms> <CPU ms per run>
 * like bench/wat_node.mjs does for wasm-tools. The machine is shared, so the
 * minimum and the median are reported, not the mean, and the CPU time (user
 * + system), which waiting for a core does not count.
 * Usage: wat_bench FILE.wasm [N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "witgen/wat.h"

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + t.tv_nsec / 1e6;
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

typedef struct {
  const uint8_t *wasm;
  size_t wasm_len;
  WgStr text;
} Input;

/* One run of `op` (0: parse, 1: print); false on an error. */
static bool run_once(const Input *in, int op) {
  WgDiagList *diags = wg_diag_list_new();
  WgBuf out = { 0 };
  WgStatus st = op == 0 ? wg_wat_parse(in->text, "big.wat", diags, &out)
                        : wg_wat_print(in->wasm, in->wasm_len, diags, &out);
  if (st != WG_OK) {
    fprintf(stderr, "wat_bench: %s: %s\n", op == 0 ? "parse" : "print",
            wg_diag_list_first_error(diags));
  } else if (op == 0 && (out.len != in->wasm_len ||
                         memcmp(out.data, in->wasm, out.len) != 0)) {
    fprintf(stderr, "wat_bench: the text does not parse back to the input\n");
    st = WG_ERR_MALFORMED;
  }
  wg_buf_free(&out);
  wg_diag_list_delete(diags);
  return st == WG_OK;
}

static bool measure(const Input *in, int op, int n, double *times) {
  double t = now_ms();
  if (!run_once(in, op)) return false;
  double first = now_ms() - t;
  double cpu = cpu_ms();
  for (int i = 0; i < n; i++) {
    t = now_ms();
    if (!run_once(in, op)) return false;
    times[i] = now_ms() - t;
  }
  cpu = (cpu_ms() - cpu) / n;
  qsort(times, (size_t)n, sizeof *times, cmp_double);
  double median = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  printf("%s %.3f %.3f %.3f %.3f\n", op == 0 ? "parse" : "print", first,
         times[0], median, cpu);
  return true;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: wat_bench FILE.wasm [N]\n");
    return 2;
  }
  int n = argc > 2 ? atoi(argv[2]) : 20;
  if (n < 1) n = 1;
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 1;
  }
  WgBuf wasm = { 0 };
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
    wg_buf_append(&wasm, chunk, got);
  fclose(f);
  if (wasm.failed) return 1;
  WgBuf text = { 0 };
  WgDiagList *diags = wg_diag_list_new();
  if (wg_wat_print((const uint8_t *)wasm.data, wasm.len, diags, &text) !=
      WG_OK) {
    fprintf(stderr, "wat_bench: %s: %s\n", argv[1],
            wg_diag_list_first_error(diags));
    return 1;
  }
  wg_diag_list_delete(diags);
  Input in = { (const uint8_t *)wasm.data, wasm.len,
               (WgStr){ text.data, text.len } };
  printf("sizes %zu %zu\n", wasm.len, text.len);
  double *times = malloc((size_t)n * sizeof *times);
  int rc =
      times && measure(&in, 0, n, times) && measure(&in, 1, n, times) ? 0 : 1;
  free(times);
  wg_buf_free(&text);
  wg_buf_free(&wasm);
  return rc;
}
