/* SPDX-License-Identifier: Apache-2.0 */
/* The VectorProcessor example's host on witgen/component.h, the runtime's
 * dynamic API (docs/runtime.md): values are WgCVal trees, functions are
 * found by name and called with their types checked at run time. It does
 * what calls.txt asks `witgen run --invoke` to do and prints the same
 * lines: each result in WAVE (wg_cval_print), one a line. The `log`
 * import goes to standard error. (host.c does the same work on the typed
 * host bindings of `witgen --host`.)
 *
 *   host_component VECTOR.wasm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "witgen/component.h"

#define PROCESSOR "example:vector/processor@0.1.0#"

/* The `log.info` import: its argument is borrowed for the call. */
static WgTrap *log_info(void *env, WgCCall *call, const WgCVal *args,
                        size_t nargs, WgCVal *results, size_t nresults) {
  (void)env, (void)call, (void)nargs, (void)results, (void)nresults;
  fprintf(stderr, "  [component] %.*s\n", (int)args[0].of.str.len,
          args[0].of.str.ptr);
  return NULL;
}

static WgComponentInstance *instance;

/* Calls PROCESSOR + `name`; prints the result when `print`. The result
 * is valid until the next call into the instance: handles (own values)
 * are plain data and may be kept. Exits on a trap. */
static WgCVal call(const char *name, const WgCVal *args, size_t nargs,
                   bool print) {
  char full[128];
  snprintf(full, sizeof full, PROCESSOR "%s", name);
  WgComponentFunc *f =
      wg_component_instance_func(instance, wg_str_from_cstr(full));
  if (!f) {
    fprintf(stderr, "no export %s\n", full);
    exit(1);
  }
  const WgCFuncTy *type = wg_component_func_type(f);
  WgCVal result = wg_cval_bool(false);
  WgTrap *trap =
      wg_component_func_call(f, args, nargs, &result, type->result ? 1 : 0);
  if (trap) {
    fprintf(stderr, "%s: trap: %s\n", name, wg_trap_message(trap));
    exit(1);
  }
  if (print && type->result) {
    WgBuf text = { 0 };
    wg_cval_print(&text, &result, type->result);
    printf("%.*s\n", (int)text.len, text.data);
    wg_buf_free(&text);
  }
  return result;
}

/* Drops a handle the host holds: the component's destructor runs. */
static void drop(WgStore *store, WgCVal own) {
  WgTrap *trap = wg_component_resource_drop(store, &own);
  if (trap) {
    fprintf(stderr, "drop: trap: %s\n", wg_trap_message(trap));
    exit(1);
  }
}

static void run(WgStore *store) {
  WgCVal values[4] = { wg_cval_f64(4.5), wg_cval_f64(-1), wg_cval_f64(10),
                       wg_cval_f64(2.25) };
  WgCVal list = wg_cval_seq(WG_CVAL_LIST, values, 4);
  /* $v = vector-processor.new([4.5, -1, 10, 2.25]) */
  WgCVal v = call("[constructor]vector-processor", &list, 1, false);
  /* $v.push(0.25): a method takes a borrow of the handle first */
  WgCVal push[2] = { wg_cval_borrow_of(v), wg_cval_f64(0.25) };
  call("[method]vector-processor.push", push, 2, false);
  WgCVal self = wg_cval_borrow_of(v);
  call("[method]vector-processor.len", &self, 1, true);
  call("[method]vector-processor.sum", &self, 1, true);
  call("[method]vector-processor.mean", &self, 1, true);
  call("[method]vector-processor.sorted", &self, 1, true);
  call("[method]vector-processor.stats", &self, 1, true);
  /* $e = vector-processor.new([]) */
  WgCVal none = wg_cval_seq(WG_CVAL_LIST, NULL, 0);
  WgCVal e = call("[constructor]vector-processor", &none, 1, false);
  WgCVal eself = wg_cval_borrow_of(e);
  call("[method]vector-processor.mean", &eself, 1, true);
  call("[method]vector-processor.stats", &eself, 1, true);
  /* $c = vector-processor.concat($v, $e) */
  WgCVal both[2] = { self, eself };
  WgCVal c = call("[static]vector-processor.concat", both, 2, false);
  WgCVal cself = wg_cval_borrow_of(c);
  call("[method]vector-processor.len", &cself, 1, true);
  call("[method]vector-processor.sorted", &cself, 1, true);
  drop(store, c);
  drop(store, e);
  drop(store, v);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: host_component VECTOR.wasm\n");
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
  if (wg_wasm_component_load(engine, bytes, (size_t)n, &component, diags) !=
          WG_OK ||
      wg_component_linker_define_func(linker,
                                      WG_STR("example:vector/log@0.1.0#info"),
                                      WG_STR("func(message: string)"), log_info,
                                      NULL, NULL, diags) != WG_OK ||
      wg_component_linker_instantiate(linker, store, component, &instance,
                                      diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  free(bytes);
  run(store);
  wg_store_delete(store); /* and the instance */
  wg_component_linker_delete(linker);
  wg_wasm_component_delete(component);
  wg_engine_delete(engine);
  wg_diag_list_delete(diags);
  return 0;
}
