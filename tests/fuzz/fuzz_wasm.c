/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target over the whole core engine: decode + validate + compile
 * every input; instantiate those without imports (the public API does not
 * describe import types, and import-free modules are easy for the fuzzer to
 * find) and call every exported function with zero-valued arguments under a
 * fuel budget and small limits. Any
 * crash, hang, leak or sanitizer report is a bug; traps and load errors are
 * the expected outcomes for random input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "witgen/wasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  WgEngineConfig config = {0};
  config.max_memory_pages = 256; /* 16 MiB */
  config.max_table_elems = 10000;
  config.max_call_depth = 1000;
  config.fuel = 100000;
  config.max_stack_slots = 1u << 16; /* 512 KiB: cheap to allocate per input */
  WgEngine *engine = wg_engine_new(&config);
  WgWasmModule *module = NULL;
  WgWasmError err;
  if (wg_wasm_module_load(engine, data, size, &module, &err) != WG_OK) {
    wg_engine_delete(engine);
    return 0;
  }
  WgStore *store = wg_store_new(engine);
  WgInstance *instance = NULL;
  if (wg_wasm_module_import_count(module) == 0 &&
      wg_instance_new(store, module, NULL, 0, &instance, &err) == WG_OK) {
    size_t n = wg_instance_export_count(instance);
    for (size_t i = 0; i < n; i++) {
      WgStr name;
      WgExtern ext;
      wg_instance_export_at(instance, i, &name, &ext);
      if (ext.kind != WG_WASM_EXTERN_FUNC) continue;
      WgFuncInst *f = ext.of.func;
      WgVal args[16], results[16];
      uint32_t np = wg_func_param_count(f), nr = wg_func_result_count(f);
      if (np > 16 || nr > 16) continue;
      for (uint32_t p = 0; p < np; p++) {
        memset(&args[p], 0, sizeof args[p]);
        args[p].kind = wg_func_param(f, p);
      }
      wg_store_set_fuel(store, 100000);
      WgTrap *trap = wg_func_call(store, f, args, np, results, nr);
      wg_trap_delete(trap);
    }
  }
  wg_store_delete(store);
  wg_wasm_module_delete(module);
  wg_engine_delete(engine);
  return 0;
}
