/* SPDX-License-Identifier: Apache-2.0 */
/* Our engine's benchmark driver: loads (decodes, validates, translates) a
 * benchmark module, instantiates it and times its `run` export. Prints
 * "<run seconds> <checksum> <load seconds> <module bytes>".
 * With --load-only: loads only (best of 5) and prints
 * "<load seconds> <module bytes>" (translation speed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

#include "witgen/wasm.h"

static int load_only(const char *path) {
  size_t len = 0;
  uint8_t *bytes = bench_read_file(path, &len);
  if (!bytes) return 1;
  WgEngine *engine = wg_engine_new(NULL);
  double best = 1e9;
  for (int i = 0; i < 5; i++) {
    WgWasmModule *module = NULL;
    WgDiagList *diags = wg_diag_list_new();
    double t0 = bench_now();
    if (wg_wasm_module_load(engine, bytes, len, &module, diags) != WG_OK) {
      fprintf(stderr, "witgen_bench: %s: %s\n", path,
              wg_diag_list_first_error(diags));
      return 1;
    }
    wg_diag_list_delete(diags);
    double t = bench_now() - t0;
    if (t < best) best = t;
    wg_wasm_module_delete(module);
  }
  printf("%.6f %zu\n", best, len);
  wg_engine_delete(engine);
  free(bytes);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "--load-only")) return load_only(argv[2]);
  if (argc != 2) {
    fprintf(stderr, "usage: witgen_bench [--load-only] MODULE.wasm\n");
    return 2;
  }
  size_t len = 0;
  uint8_t *bytes = bench_read_file(argv[1], &len);
  if (!bytes) {
    fprintf(stderr, "witgen_bench: cannot read %s\n", argv[1]);
    return 1;
  }
  WgEngine *engine = wg_engine_new(NULL);
  WgWasmModule *module = NULL;
  WgDiagList *diags = wg_diag_list_new();
  double t0 = bench_now();
  if (wg_wasm_module_load(engine, bytes, len, &module, diags) != WG_OK) {
    fprintf(stderr, "witgen_bench: %s: %s\n", argv[1],
            wg_diag_list_first_error(diags));
    return 1;
  }
  double load = bench_now() - t0;
  WgStore *store = wg_store_new(engine);
  WgInstance *instance = NULL;
  if (wg_instance_new(store, module, NULL, 0, &instance, diags) != WG_OK) {
    fprintf(stderr, "witgen_bench: instantiate: %s\n",
            wg_diag_list_first_error(diags));
    return 1;
  }
  wg_diag_list_delete(diags);
  WgVal result;
  t0 = bench_now();
  WgTrap *trap =
      wg_instance_call(store, instance, WG_STR("run"), NULL, 0, &result, 1);
  double run = bench_now() - t0;
  if (trap) {
    fprintf(stderr, "witgen_bench: trap: %s\n", wg_trap_message(trap));
    wg_trap_delete(trap);
    return 1;
  }
  printf("%.6f %u %.6f %zu\n", run, (uint32_t)result.of.i32, load, len);
  wg_store_delete(store);
  wg_wasm_module_delete(module);
  wg_engine_delete(engine);
  free(bytes);
  return 0;
}
