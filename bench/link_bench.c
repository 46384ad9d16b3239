/* SPDX-License-Identifier: Apache-2.0 */
/* The cross-component call benchmark on witgen's runtime (issue 17,
 * must-show 4): bench/link/caller.c calls bench/link/callee.c across a
 * component boundary, in loops exported by the caller (so one host call
 * times N cross-component calls). Two forms of the same pair: composed
 * into one component by `witgen plug` (calls between the instances it
 * nests), and the two components linked at run time (a
 * WgComponentGraph). For each loop: the best of 7 runs, in ns per
 * cross-component call; the `-local` loops give the copying the guests
 * do themselves (malloc, memcpy, free), the floor under an echo.
 *
 *   link_bench COMPOSED.wasm CALLER.wasm CALLEE.wasm [--quick] [--only ROW]
 *              [--form composed|linked] [--ring]
 * --ring: the pair built with ring.c (cabi_realloc from a static
 * ring, no malloc), rows echo-16B, echo-4KB, list-u32-1000 named ring-*.
 * Prints `FORM ROW NS` lines (bench/link_run puts them beside jco's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

#include "witgen/component.h"

static WgWasmComponent *load(WgEngine *e, const char *path) {
  size_t len;
  uint8_t *bytes = bench_read_file(path, &len);
  WgDiagList *d = wg_diag_list_new();
  WgWasmComponent *c = NULL;
  if (!bytes || wg_wasm_component_load(e, bytes, len, &c, d) != WG_OK) {
    fprintf(stderr, "link_bench: cannot load %s\n", path);
    wg_diag_list_print(d, stderr);
    exit(1);
  }
  free(bytes);
  wg_diag_list_delete(d);
  return c;
}

static WgComponentFunc *func(WgComponentInstance *i, const char *name) {
  char full[128];
  snprintf(full, sizeof full, "witgen:linkbench/loops#%s", name);
  WgComponentFunc *f = wg_component_instance_func(i, wg_str_from_cstr(full));
  if (!f) {
    fprintf(stderr, "link_bench: no export %s\n", full);
    exit(1);
  }
  return f;
}

/* Calls `name` with `arg` and n: the best time of 7 runs per inner call,
 * in ns; checks the result (the elements that came back) is `want`. */
static double measure(WgComponentInstance *inst, const char *name,
                      const WgCVal *arg, uint32_t n, uint64_t want) {
  WgComponentFunc *f = func(inst, name);
  WgCVal args[2];
  size_t nargs = 0;
  if (arg) args[nargs++] = *arg;
  args[nargs++] = wg_cval_u32(n);
  bool has_result = wg_component_func_type(f)->result != NULL;
  double best = 1e30;
  for (int run = 0; run < 7; run++) {
    WgCVal r;
    double t0 = bench_now();
    WgTrap *t = wg_component_func_call(f, args, nargs, &r, has_result);
    double t1 = bench_now();
    if (t) {
      fprintf(stderr, "link_bench: %s trapped: %s\n", name, wg_trap_message(t));
      exit(1);
    }
    if (has_result && r.of.u != want) {
      fprintf(stderr, "link_bench: %s returned %llu, expected %llu\n", name,
              (unsigned long long)r.of.u, (unsigned long long)want);
      exit(1);
    }
    if (t1 - t0 < best) best = t1 - t0;
  }
  return best * 1e9 / n;
}

static const char *only;      /* --only ROW: that row alone (profiling) */
static const char *form_only; /* --form FORM: composed or linked alone */
static bool ring; /* --ring: the guests of ring.c, the copying rows only */

static void row(const char *form, const char *name, WgComponentInstance *inst,
                const char *fn, const WgCVal *arg, uint32_t n, uint64_t want) {
  if (only && strcmp(only, name) != 0) return;
  if (form_only && strcmp(form_only, form) != 0) return;
  if (ring && strncmp(name, "echo", 4) != 0 && strncmp(name, "list", 4) != 0)
    return;
  printf("%s %s%s %.1f\n", form, ring ? "ring-" : "", name,
         measure(inst, fn, arg, n, want));
}

static void rows(const char *form, WgComponentInstance *inst, uint32_t scale) {
  static char s16[16], s4k[4096];
  memset(s16, 'a', sizeof s16);
  memset(s4k, 'b', sizeof s4k);
  static WgCVal items[1000];
  for (uint32_t i = 0; i < 1000; i++)
    items[i] = wg_cval_u32(i * 7);
  WgCVal str16 = wg_cval_string(s16, sizeof s16);
  WgCVal str4k = wg_cval_string(s4k, sizeof s4k);
  WgCVal list = wg_cval_seq(WG_CVAL_LIST, items, 1000);
  uint32_t n = 100000 / scale, m = 10000 / scale;
  row(form, "nop", inst, "nop", NULL, 2 * n, 0);
  row(form, "echo-16B", inst, "echo", &str16, n, 16ull * n);
  row(form, "echo-4KB", inst, "echo", &str4k, m, 4096ull * m);
  row(form, "list-u32-1000", inst, "echo-list", &list, m, 1000ull * m);
  row(form, "resource-method", inst, "bump", NULL, n, n);
  row(form, "floor-echo-16B", inst, "echo-local", &str16, n, 16ull * n);
  row(form, "floor-echo-4KB", inst, "echo-local", &str4k, m, 4096ull * m);
  row(form, "floor-list-u32-1000", inst, "echo-list-local", &list, m,
      1000ull * m);
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: link_bench COMPOSED.wasm CALLER.wasm CALLEE.wasm "
                    "[--quick]\n");
    return 2;
  }
  uint32_t scale = 1;
  for (int i = 4; i < argc; i++) {
    if (strcmp(argv[i], "--quick") == 0) scale = 10;
    if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
    if (strcmp(argv[i], "--form") == 0 && i + 1 < argc) form_only = argv[++i];
    if (strcmp(argv[i], "--ring") == 0) ring = true;
  }
  WgEngine *engine = wg_engine_new(NULL);
  WgDiagList *d = wg_diag_list_new();
  WgComponentLinker *host = wg_component_linker_new(engine, NULL);
  /* composed: one component, the calls between the instances it nests */
  WgWasmComponent *composed = load(engine, argv[1]);
  WgStore *store = wg_store_new(engine);
  WgComponentInstance *inst;
  if (wg_component_linker_instantiate(host, store, composed, &inst, d) !=
      WG_OK) {
    wg_diag_list_print(d, stderr);
    return 1;
  }
  rows("composed", inst, scale);
  wg_store_delete(store);
  /* linked at run time: two components, a graph */
  WgComponentGraph *g = wg_component_graph_new(host);
  WgWasmComponent *caller = load(engine, argv[2]);
  WgWasmComponent *callee = load(engine, argv[3]);
  WgComponentInstance *insts[2];
  store = wg_store_new(engine);
  if (wg_component_graph_add(g, WG_STR("caller"), caller, d) != WG_OK ||
      wg_component_graph_add(g, WG_STR("callee"), callee, d) != WG_OK ||
      wg_component_graph_link(g, d) != WG_OK ||
      wg_component_graph_instantiate(g, store, insts, d) != WG_OK) {
    wg_diag_list_print(d, stderr);
    return 1;
  }
  rows("linked", insts[0], scale);
  wg_store_delete(store);
  wg_component_graph_delete(g);
  wg_wasm_component_delete(caller);
  wg_wasm_component_delete(callee);
  wg_wasm_component_delete(composed);
  wg_component_linker_delete(host);
  wg_diag_list_delete(d);
  wg_engine_delete(engine);
  return 0;
}
