/* SPDX-License-Identifier: Apache-2.0 */
/* The component runtime's costs (issue 14, must-show 6), on the dynamic
 * API of witgen/component.h; bench/component_run prints them beside jco's
 * in Node (component_node.mjs):
 *  - load: decode, validate, compile and plan each component given, in ms
 *    and ms per MB;
 *  - instantiate: the round-trip component (tests/e2e/roundtrip, imports
 *    stubbed) from a pre-resolved component, in a fresh store each time;
 *  - calls of bench/host's guest: a nop, a string echo of 16 B and of 4 KB
 *    (ASCII), the sum of a 1M-element list<f64>.
 * Each figure is the best of 7 runs (the machine may be shared). Prints
 * one line per figure: `key value unit what`.
 *
 *   component_bench --roundtrip RT.wasm --calls HOSTBENCH.wasm
 *                   [--load FILE.wasm]... [--quick] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

#include "witgen/component.h"

static WgEngine *engine;
static int runs = 7;

static WgWasmComponent *load(const char *path, double *seconds) {
  size_t len;
  uint8_t *bytes = bench_read_file(path, &len);
  if (!bytes) {
    fprintf(stderr, "component_bench: cannot read %s\n", path);
    exit(1);
  }
  WgWasmComponent *c = NULL;
  double best = 1e9;
  for (int r = 0; r < (len > (1u << 20) ? 3 : runs); r++) {
    wg_wasm_component_delete(c);
    WgDiagList *d = wg_diag_list_new();
    double t0 = bench_now();
    WgStatus st = wg_wasm_component_load(engine, bytes, len, &c, d);
    double t = bench_now() - t0;
    if (st != WG_OK) {
      fprintf(stderr, "component_bench: %s: %s\n", path,
              wg_diag_list_first_error(d));
      exit(1);
    }
    wg_diag_list_delete(d);
    if (t < best) best = t;
  }
  free(bytes);
  if (seconds) *seconds = best;
  return c;
}

static void report_load(const char *path) {
  double t;
  size_t len;
  free(bench_read_file(path, &len));
  WgWasmComponent *c = load(path, &t);
  const char *base = strrchr(path, '/');
  printf("load:%s %.3f ms %zu bytes\n", base ? base + 1 : path, t * 1e3, len);
  printf("load-per-mb:%s %.2f ms/MB\n", base ? base + 1 : path,
         t * 1e3 / ((double)len / (1 << 20)));
  wg_wasm_component_delete(c);
}

/* Instantiations of the round-trip component from a pre, each in a fresh
 * store: the instantiation alone, and with the store made and freed. */
static void instantiate(const char *path) {
  WgWasmComponent *c = load(path, NULL);
  WgComponentLinkerConfig lc = { .stub_unknown_imports = true };
  WgComponentLinker *l = wg_component_linker_new(engine, &lc);
  WgComponentPre *pre = NULL;
  if (wg_component_linker_pre(l, c, &pre, NULL) != WG_OK) {
    fprintf(stderr, "component_bench: cannot link %s\n", path);
    exit(1);
  }
  int n = runs == 7 ? 300 : 50;
  double best = 1e9, best_all = 1e9;
  for (int r = 0; r < runs; r++) {
    double inst = 0, t0 = bench_now();
    for (int i = 0; i < n; i++) {
      WgStore *s = wg_store_new(engine);
      WgComponentInstance *ci;
      double a = bench_now();
      if (wg_component_pre_instantiate(pre, s, &ci, NULL) != WG_OK) exit(1);
      inst += bench_now() - a;
      wg_store_delete(s);
    }
    double all = bench_now() - t0;
    if (inst / n < best) best = inst / n;
    if (all / n < best_all) best_all = all / n;
  }
  printf("instantiate %.2f us the round-trip component, after compile\n",
         best * 1e6);
  printf("instantiate-store %.2f us with a new store made and freed\n",
         best_all * 1e6);
  wg_component_pre_delete(pre);
  wg_component_linker_delete(l);
  wg_wasm_component_delete(c);
}

static WgComponentFunc *func(WgComponentInstance *i, const char *name) {
  WgComponentFunc *f = wg_component_instance_func(i, wg_str_from_cstr(name));
  if (!f) {
    fprintf(stderr, "component_bench: no export %s\n", name);
    exit(1);
  }
  return f;
}

/* Best of `runs` runs of `n` calls of `f`, in seconds per call. */
static double time_calls(WgComponentFunc *f, const WgCVal *args, size_t nargs,
                         int n, WgCVal *result) {
  const WgCFuncTy *t = wg_component_func_type(f);
  double best = 1e9;
  for (int r = 0; r < runs; r++) {
    double t0 = bench_now();
    for (int i = 0; i < n; i++) {
      WgTrap *trap =
          wg_component_func_call(f, args, nargs, result, t->result ? 1 : 0);
      if (trap) {
        fprintf(stderr, "component_bench: trap: %s\n", wg_trap_message(trap));
        exit(1);
      }
    }
    double per = (bench_now() - t0) / n;
    if (per < best) best = per;
  }
  return best;
}

static void calls(const char *path) {
  WgWasmComponent *c = load(path, NULL);
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  WgStore *s = wg_store_new(engine);
  WgComponentInstance *inst;
  if (wg_component_linker_instantiate(l, s, c, &inst, NULL) != WG_OK) exit(1);
  int scale = runs == 7 ? 1 : 10;
  WgCVal result;
  double t = time_calls(func(inst, "witgen:bench/api#nop"), NULL, 0,
                        1000000 / scale, &result);
  printf("nop %.1f ns host -> guest call of a nop\n", t * 1e9);
  static char text[4096];
  for (size_t i = 0; i < sizeof text; i++)
    text[i] = (char)('a' + i % 26);
  WgComponentFunc *echo = func(inst, "witgen:bench/api#echo");
  WgCVal s16 = wg_cval_string(text, 16);
  t = time_calls(echo, &s16, 1, 500000 / scale, &result);
  if (result.of.str.len != 16 || memcmp(result.of.str.ptr, text, 16)) exit(1);
  printf("echo-16 %.1f ns string echo, 16 B\n", t * 1e9);
  WgCVal s4k = wg_cval_string(text, 4096);
  t = time_calls(echo, &s4k, 1, 20000 / scale, &result);
  if (result.of.str.len != 4096) exit(1);
  printf("echo-4k %.1f ns string echo, 4 KB\n", t * 1e9);
  enum { N = 1000000 };
  WgCVal *items = malloc(N * sizeof *items);
  double want = 0;
  for (int i = 0; i < N; i++) {
    items[i] = wg_cval_f64(i * 0.5);
    want += i * 0.5;
  }
  WgCVal list = wg_cval_seq(WG_CVAL_LIST, items, N);
  t = time_calls(func(inst, "witgen:bench/api#sum"), &list, 1, 3, &result);
  if (result.of.f64 != want) exit(1);
  printf("sum-1m %.2f ms sum of a 1M-element list<f64>\n", t * 1e3);
  free(items);
  wg_store_delete(s);
  wg_component_linker_delete(l);
  wg_wasm_component_delete(c);
}

int main(int argc, char **argv) {
  const char *roundtrip = NULL, *hostbench = NULL;
  const char *loads[16];
  int nloads = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--quick"))
      runs = 3;
    else if (!strcmp(argv[i], "--roundtrip") && i + 1 < argc)
      roundtrip = argv[++i];
    else if (!strcmp(argv[i], "--calls") && i + 1 < argc)
      hostbench = argv[++i];
    else if (!strcmp(argv[i], "--load") && i + 1 < argc && nloads < 16)
      loads[nloads++] = argv[++i];
    else {
      fprintf(stderr, "usage: component_bench --roundtrip RT.wasm --calls "
                      "HOSTBENCH.wasm [--load FILE.wasm]... [--quick]\n");
      return 2;
    }
  }
  engine = wg_engine_new(NULL);
  for (int i = 0; i < nloads; i++)
    report_load(loads[i]);
  if (roundtrip) instantiate(roundtrip);
  if (hostbench) calls(hostbench);
  wg_engine_delete(engine);
  return 0;
}
