/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target over the whole core engine: decode + validate + compile
 * every input; instantiate it through a linker holding the spec suite's
 * `spectest` module (print functions, globals, a table and a memory: what
 * the spec-suite seeds import), and call every exported function with
 * zero-valued arguments under a fuel budget and small limits. Any crash,
 * hang, leak or sanitizer report is a bug; load errors, link errors and
 * traps are the expected outcomes for random input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "witgen/wasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static WgTrap *print_any(void *env, WgCaller *caller, const WgVal *args,
                         WgVal *results) {
  (void)env;
  (void)caller;
  (void)args;
  (void)results;
  return NULL;
}

static void define(WgLinker *linker, const char *name, WgExtern ext) {
  wg_linker_define(linker, WG_STR("spectest"), wg_str_from_cstr(name), ext);
}

/* The spec interpreter's host module (see the spec's interpreter/host). */
static void define_spectest(WgStore *store, WgLinker *linker) {
  static const struct {
    const char *name;
    WgValKind params[2];
    uint32_t count;
  } prints[] = {
    { "print", { WG_VAL_I32 }, 0 },
    { "print_i32", { WG_VAL_I32 }, 1 },
    { "print_i64", { WG_VAL_I64 }, 1 },
    { "print_f32", { WG_VAL_F32 }, 1 },
    { "print_f64", { WG_VAL_F64 }, 1 },
    { "print_i32_f32", { WG_VAL_I32, WG_VAL_F32 }, 2 },
    { "print_f64_f64", { WG_VAL_F64, WG_VAL_F64 }, 2 },
  };
  for (size_t i = 0; i < sizeof prints / sizeof *prints; i++) {
    WgFuncInst *f = wg_func_new_host(store, prints[i].params, prints[i].count,
                                     NULL, 0, print_any, NULL, NULL);
    if (f) {
      define(linker, prints[i].name,
             (WgExtern){ .kind = WG_WASM_EXTERN_FUNC, .of.func = f });
    }
  }
  const struct {
    const char *name;
    WgVal value;
  } globals[] = {
    { "global_i32", wg_val_i32(666) },
    { "global_i64", wg_val_i64(666) },
    { "global_f32", wg_val_f32(666.6f) },
    { "global_f64", wg_val_f64(666.6) },
  };
  for (size_t i = 0; i < sizeof globals / sizeof *globals; i++) {
    WgGlobalInst *g = wg_global_new(store, globals[i].value, false);
    if (g) {
      define(linker, globals[i].name,
             (WgExtern){ .kind = WG_WASM_EXTERN_GLOBAL, .of.global = g });
    }
  }
  WgVal null_ref = { .kind = WG_VAL_FUNCREF, .of.funcref = NULL };
  WgTableInst *table =
      wg_table_new(store, WG_VAL_FUNCREF, 10, 20, true, null_ref);
  if (table) {
    define(linker, "table",
           (WgExtern){ .kind = WG_WASM_EXTERN_TABLE, .of.table = table });
  }
  WgMemInst *memory = wg_memory_new(store, 1, 2, true);
  if (memory) {
    define(linker, "memory",
           (WgExtern){ .kind = WG_WASM_EXTERN_MEMORY, .of.memory = memory });
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  WgEngineConfig config = { 0 };
  config.max_memory_pages = 256; /* 16 MiB */
  config.max_table_elems = 10000;
  config.max_call_depth = 1000;
  config.fuel = 100000;
  config.max_stack_slots = 1u << 16; /* 512 KiB: cheap to allocate per input */
  WgEngine *engine = wg_engine_new(&config);
  if (!engine) return 0;
  WgWasmModule *module = NULL;
  if (wg_wasm_module_load(engine, data, size, &module, NULL) != WG_OK) {
    wg_engine_delete(engine);
    return 0;
  }
  WgStore *store = wg_store_new(engine);
  WgLinker *linker = store ? wg_linker_new(store) : NULL;
  WgInstance *instance = NULL;
  if (linker) define_spectest(store, linker);
  if (linker &&
      wg_linker_instantiate(linker, module, &instance, NULL) == WG_OK) {
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
  wg_linker_delete(linker);
  wg_store_delete(store);
  wg_wasm_module_delete(module);
  wg_engine_delete(engine);
  return 0;
}
