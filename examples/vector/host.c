/* SPDX-License-Identifier: Apache-2.0 */
/* The C host of the VectorProcessor example, on the typed host bindings
 * `witgen --host` writes for wit/vector.wit (vector_host.h; see
 * docs/host-bindings.md): it implements the `log` import, makes vectors
 * in the component, calls their methods and drops them. Checks what it
 * gets and exits 1 when a value is wrong.
 *
 *   host VECTOR.wasm */
#include <stdio.h>
#include <stdlib.h>

#include "vector_host.h"

static int logged;

/* The `log` import: arguments are ours to free. */
static WgTrap *log_info(void *ctx, WgCCall *call, vector_string_t message) {
  (void)ctx, (void)call;
  printf("  [component] %.*s\n", (int)message.len, (char *)message.ptr);
  vector_string_free(&message);
  logged++;
  return NULL;
}

static const vector_log_impl_t log_impl = { .info = log_info };
static const vector_imports_t imports = { .vector_log = &log_impl };

static int failures;

static void check(int ok, const char *what) {
  printf("%s %s\n", ok ? "ok  " : "FAIL", what);
  failures += !ok;
}

/* Stops on a trap: a call returns NULL or a trap the caller owns. */
static void must(WgTrap *trap) {
  if (!trap) return;
  fprintf(stderr, "trap: %s\n", wg_trap_message(trap));
  exit(1);
}

static int run(vector_t *vec) {
  double values[] = { 4.5, -1, 10, 2.25 };
  vector_list_f64_t list = { values, 4 }; /* borrowed for the call */
  exports_vp_vector_processor_t v;
  must(exports_vp_call_vector_processor_new(vec, list, &v));
  exports_vp_borrow_vector_processor_t b =
      exports_vp_borrow_vector_processor(v);
  must(exports_vp_call_vector_processor_push(vec, b, 0.25));

  double sum;
  uint32_t len;
  vector_option_f64_t mean;
  must(exports_vp_call_vector_processor_sum(vec, b, &sum));
  must(exports_vp_call_vector_processor_len(vec, b, &len));
  must(exports_vp_call_vector_processor_mean(vec, b, &mean));
  check(sum == 16 && len == 5, "sum 16 of 5 values");
  check(mean.is_some && mean.val == 3.2, "mean 3.2");

  vector_list_f64_t sorted; /* the result is ours: freed below */
  must(exports_vp_call_vector_processor_sorted(vec, b, &sorted));
  check(sorted.len == 5 && sorted.ptr[0] == -1 && sorted.ptr[4] == 10,
        "sorted: -1 ... 10");
  vector_list_f64_free(&sorted);

  vector_result_exports_vp_stats_string_t stats;
  must(exports_vp_call_vector_processor_stats(vec, b, &stats));
  check(!stats.is_err && stats.val.ok.min == -1 && stats.val.ok.max == 10,
        "stats: min -1, max 10");
  vector_result_exports_vp_stats_string_free(&stats);

  exports_vp_vector_processor_t empty, both;
  vector_list_f64_t none = { NULL, 0 };
  must(exports_vp_call_vector_processor_new(vec, none, &empty));
  must(exports_vp_call_vector_processor_stats(
      vec, exports_vp_borrow_vector_processor(empty), &stats));
  check(stats.is_err && stats.val.err.len == 9, "stats of nothing: an error");
  vector_result_exports_vp_stats_string_free(&stats);
  must(exports_vp_call_vector_processor_concat(
      vec, b, exports_vp_borrow_vector_processor(empty), &both));
  must(exports_vp_call_vector_processor_len(
      vec, exports_vp_borrow_vector_processor(both), &len));
  check(len == 5, "concat: 5 values");

  /* owned handles: dropped once each (the component's destructor runs) */
  must(exports_vp_vector_processor_drop(v));
  must(exports_vp_vector_processor_drop(empty));
  must(exports_vp_vector_processor_drop(both));
  WgTrap *again = exports_vp_vector_processor_drop(v);
  check(again && wg_trap_kind(again) == WG_TRAP_MISUSE,
        "a second drop is refused");
  wg_trap_delete(again);
  check(logged == 6, "the component logged 3 vectors made, 3 freed");
  return failures ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: host VECTOR.wasm\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 2;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *bytes = malloc(n > 0 ? (size_t)n : 1);
  if (!bytes || fread(bytes, 1, (size_t)n, f) != (size_t)n) return 2;
  fclose(f);

  WgEngine *engine = wg_engine_new(NULL);
  WgDiagList *diags = wg_diag_list_new();
  WgWasmComponent *component = NULL;
  WgComponentLinker *linker = wg_component_linker_new(engine, NULL);
  WgStore *store = wg_store_new(engine);
  vector_t vec;
  if (wg_wasm_component_load(engine, bytes, (size_t)n, &component, diags) !=
          WG_OK ||
      vector_add_to_linker(linker, &imports, NULL, diags) != WG_OK ||
      vector_instantiate(linker, store, component, &vec, diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  free(bytes);
  int rc = run(&vec);

  wg_store_delete(store); /* and the instance */
  wg_component_linker_delete(linker);
  wg_wasm_component_delete(component);
  wg_engine_delete(engine);
  wg_diag_list_delete(diags);
  return rc;
}
