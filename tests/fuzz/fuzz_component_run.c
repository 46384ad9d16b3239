/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target of the component runtime: decode + validate + plan;
 * when that succeeds, instantiate (every import a trapping stub, small
 * limits) and call every export once with default arguments built from
 * its type (zeros, empty strings and lists, first cases), lifting whatever
 * comes back. Anything may trap; nothing may crash, leak or hang. */
#include <stdlib.h>
#include <string.h>

#include "cval_default.h"
#include "witgen/component.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  WgEngineConfig ec = { .max_memory_pages = 64,
                        .max_table_elems = 10000,
                        .max_call_depth = 500,
                        .max_stack_slots = 1 << 16 };
  WgEngine *engine = wg_engine_new(&ec);
  WgWasmComponent *c = NULL;
  if (wg_wasm_component_load(engine, data, size, &c, NULL) != WG_OK) {
    wg_engine_delete(engine);
    return 0;
  }
  WgComponentLinkerConfig lc = { .stub_unknown_imports = true,
                                 .max_handles = 1000 };
  WgComponentLinker *l = wg_component_linker_new(engine, &lc);
  WgStore *s = wg_store_new(engine);
  wg_store_set_fuel(s, 200000);
  WgComponentInstance *inst = NULL;
  static WgCVal storage[4096];
  pool = storage;
  pool_cap = sizeof storage / sizeof storage[0];
  if (wg_component_linker_instantiate(l, s, c, &inst, NULL) == WG_OK) {
    size_t n = wg_wasm_component_func_count(c);
    for (size_t i = 0; i < n && i < 64; i++) {
      WgStr name;
      const WgCFuncTy *ft;
      wg_wasm_component_func(c, i, &name, &ft);
      WgComponentFunc *f = wg_component_instance_func(inst, name);
      if (!f) abort(); /* every listed function must be found by name */
      pool_used = 0;
      WgCVal *args = take(ft->param_count ? ft->param_count : 1);
      bool ok = args != NULL;
      for (uint32_t p = 0; ok && p < ft->param_count; p++)
        ok = make(ft->params[p], &args[p], 0);
      if (!ok) continue;
      WgCVal result;
      WgTrap *t = wg_component_func_call(f, args, ft->param_count, &result,
                                         ft->result ? 1 : 0);
      if (!t && ft->result) {
        if (!wg_cval_check(&result, ft->result, NULL))
          abort(); /* a lifted value must be of its type */
      }
      wg_trap_delete(t);
      wg_store_set_fuel(s, 200000);
    }
  }
  wg_store_delete(s);
  wg_component_linker_delete(l);
  wg_wasm_component_delete(c);
  wg_engine_delete(engine);
  return 0;
}
