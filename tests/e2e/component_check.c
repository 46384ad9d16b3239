/* SPDX-License-Identifier: Apache-2.0 */
/* component_check COMPONENT.wasm: witgen's own runtime on a component
 * (issue 14, must-show 5: components checked without the npm oracle).
 * Loads it (decode, the component validator, compile, plan), instantiates
 * it with every import a trapping stub, and calls every exported function
 * once with default arguments (zeros, empty lists, first cases: see
 * cval_default.h) in a fresh instance. A call passes when it returns a
 * value of its result type (wg_cval_check), traps in an import stub
 * ("unimplemented import"), or, returning a resource, gives the zeroed
 * handle of a `witgen --stubs` export, which the runtime must refuse
 * ("unknown handle index 0"); functions taking resource handles are not
 * called (no handle to give). Prints one summary line; exit 1 when
 * loading, instantiating or a call fails otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cval_default.h"
#include "file.h"
#include "witgen/component.h"

static WgComponentInstance *instantiate(WgComponentLinker *l, WgStore *s,
                                        WgWasmComponent *c, const char *path) {
  WgDiagList *d = wg_diag_list_new();
  WgComponentInstance *inst = NULL;
  if (wg_component_linker_instantiate(l, s, c, &inst, d) != WG_OK) {
    printf("FAIL %s: instantiate: %s\n", path, wg_diag_list_first_error(d));
    inst = NULL;
  }
  wg_diag_list_delete(d);
  return inst;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: component_check COMPONENT.wasm\n");
    return 2;
  }
  const char *path = argv[1];
  uint8_t *bytes = NULL;
  size_t len = 0;
  if (wg_file_read(path, &bytes, &len) != WG_OK) {
    printf("FAIL %s: cannot read\n", path);
    return 1;
  }
  WgEngine *engine = wg_engine_new(NULL);
  WgDiagList *d = wg_diag_list_new();
  WgWasmComponent *c = NULL;
  WgStatus st = wg_wasm_component_load(engine, bytes, len, &c, d);
  free(bytes);
  if (st != WG_OK) {
    printf("FAIL %s: load: %s: %s\n", path, wg_status_str(st),
           wg_diag_list_first_error(d));
    return 1;
  }
  wg_diag_list_delete(d);
  WgComponentLinkerConfig lc = { .stub_unknown_imports = true };
  WgComponentLinker *l = wg_component_linker_new(engine, &lc);
  WgStore *store = wg_store_new(engine);
  static WgCVal storage[4096];
  pool = storage;
  pool_cap = sizeof storage / sizeof *storage;
  size_t n = wg_wasm_component_func_count(c);
  int returned = 0, stubbed = 0, no_handle = 0, skipped = 0, failed = 0;
  WgComponentInstance *inst = instantiate(l, store, c, path);
  if (!inst) failed++;
  for (size_t i = 0; inst && i < n; i++) {
    WgStr name;
    const WgCFuncTy *ft;
    wg_wasm_component_func(c, i, &name, &ft);
    WgComponentFunc *f = wg_component_instance_func(inst, name);
    pool_used = 0;
    WgCVal *args = take(ft->param_count ? ft->param_count : 1);
    bool ok = args != NULL && f != NULL;
    for (uint32_t p = 0; ok && p < ft->param_count; p++)
      ok = make(ft->params[p], &args[p], 0);
    if (!ok) {
      skipped++;
      continue;
    }
    WgCVal result;
    WgTrap *t = wg_component_func_call(f, args, ft->param_count, &result,
                                       ft->result ? 1 : 0);
    if (!t) {
      WgBuf why = { 0 };
      if (ft->result && !wg_cval_check(&result, ft->result, &why)) {
        printf("FAIL %s: `%.*s` returned a value not of its type: %s\n", path,
               (int)name.len, name.ptr, why.data ? why.data : "");
        failed++;
      } else {
        returned++;
      }
      wg_buf_free(&why);
      continue;
    }
    if (strstr(wg_trap_message(t), "unimplemented import")) {
      stubbed++;
    } else if (ft->result && (ft->result->contains & WG_CVALTY_HAS_OWN) &&
               strstr(wg_trap_message(t), "unknown handle index 0")) {
      /* a stub export (witgen --stubs) returns a zeroed handle, which the
       * Canonical ABI must refuse */
      no_handle++;
    } else {
      printf("FAIL %s: `%.*s` trapped: %s\n", path, (int)name.len, name.ptr,
             wg_trap_message(t));
      failed++;
    }
    wg_trap_delete(t);
    /* a trap poisons the instance: go on in a fresh one */
    inst = instantiate(l, store, c, path);
    if (!inst) failed++;
  }
  printf("%s: %zu functions: %d returned, %d reached an import stub, %d "
         "returned no handle (refused), %d not called (resource arguments), "
         "%d failed\n",
         path, n, returned, stubbed, no_handle, skipped, failed);
  wg_store_delete(store);
  wg_component_linker_delete(l);
  wg_wasm_component_delete(c);
  wg_engine_delete(engine);
  return failed ? 1 : 0;
}
