/* SPDX-License-Identifier: Apache-2.0 */
/* Links against an installed witgen and exercises its public API: the
 * diagnostics of common.h, the core engine of wasm.h (load and call a tiny
 * module), the WIT front-end of wit.h (resolve a small package) and the
 * binary formats (decode and validate a small component, a Canonical ABI
 * size) and the component runtime of component.h (run that component).
 * Every installed header is included, so each must stand alone. */
#include <stdio.h>
#include <string.h>

#include <witgen/canon_abi.h>
#include <witgen/common.h>
#include <witgen/component.h>
#include <witgen/component_abi.h>
#include <witgen/component_binary.h>
#include <witgen/component_types.h>
#include <witgen/compose.h>
#include <witgen/core_module.h>
#include <witgen/wasi.h>
#include <witgen/wasm.h>
#include <witgen/wit.h>

/* (module (func (export "add") (param i32 i32) (result i32)
 *   local.get 0 local.get 1 i32.add)) */
static const uint8_t add_module[] = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00,
                                      0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f,
                                      0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00,
                                      0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64,
                                      0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00,
                                      0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b };

static int check_wasm(void) {
  WgEngine *engine = wg_engine_new(NULL);
  WgWasmModule *module = NULL;
  WgDiagList *diags = wg_diag_list_new();
  if (wg_wasm_module_load(engine, add_module, sizeof add_module, &module,
                          diags) != WG_OK) {
    printf("load failed: %s\n", wg_diag_list_first_error(diags));
    return 0;
  }
  wg_diag_list_delete(diags);
  WgStore *store = wg_store_new(engine);
  WgInstance *instance = NULL;
  int ok = wg_instance_new(store, module, NULL, 0, &instance, NULL) == WG_OK;
  WgVal args[2] = { wg_val_i32(40), wg_val_i32(2) }, result;
  WgTrap *trap =
      ok ? wg_instance_call(store, instance, WG_STR("add"), args, 2, &result, 1)
         : NULL;
  ok = ok && !trap && result.of.i32 == 42;
  wg_trap_delete(trap);
  wg_store_delete(store);
  wg_wasm_module_delete(module);
  wg_engine_delete(engine);
  /* the binary layer's view: decode, validate, read the first instruction */
  WgModule *m = NULL;
  ok = ok && wg_module_decode(add_module, sizeof add_module, (WgAllocator){ 0 },
                              WG_FEATURES_ALL, &m, NULL) == WG_OK;
  ok = ok && wg_module_validate(m, NULL) == WG_OK;
  WgInstr in;
  const uint8_t *p = ok ? m->funcs[0].code : NULL;
  ok = ok &&
       wg_instr_read(&p, p + m->funcs[0].code_len, m->features, &in) ==
           WG_INSTR_OK &&
       in.op == 0x20 && in.x == 0;
  wg_module_free(m);
  return ok;
}

static int check_wit(void) {
  static const char text[] = "package demo:probe;\n"
                             "interface i { f: func(x: u32) -> string; }\n"
                             "world w { export i; }\n";
  WgDiagList *diags = wg_diag_list_new();
  WgWitResolve *resolve = NULL;
  WgStatus st =
      wg_wit_load_source("probe.wit", WG_STR(text), NULL, diags, &resolve);
  int ok = st == WG_OK && resolve->worlds.count == 1 &&
           resolve->interfaces.count == 1;
  wg_wit_resolve_free(resolve);
  wg_diag_list_delete(diags);
  return ok;
}

/* (component (import "f" (func (param "x" string)))) */
static const uint8_t component[] = { 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01,
                                     0x00, 0x07, 0x08, 0x01, 0x40, 0x01, 0x01,
                                     0x78, 0x73, 0x01, 0x00, 0x0a, 0x06, 0x01,
                                     0x00, 0x01, 0x66, 0x01, 0x00 };

static int check_component(void) {
  WgComponent *c = NULL;
  if (wg_component_decode(component, sizeof component, (WgAllocator){ 0 }, &c,
                          NULL) != WG_OK)
    return 0;
  WgCTypes *types = wg_ctypes_new((WgAllocator){ 0 });
  const WgCScope *scope = NULL;
  int ok = wg_component_validate(types, c, NULL, &scope, NULL) == WG_OK &&
           scope->type->import_count == 1 &&
           scope->funcs[0]->params[0]->kind == WG_CT_PRIM &&
           wg_abi_size(&scope->funcs[0]->params[0]->abi, 4) == 8;
  wg_ctypes_delete(types);
  wg_component_free(c);
  return ok;
}

/* (component (core module $m (func (export "f") (result i32) i32.const
 * 42)) (core instance $i (instantiate $m)) (func (export "f") (result u32)
 * (canon lift (core func $i "f")))), encoded by wasm-tools */
static const uint8_t f42_component[] = {
  0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x01, 0x2d, 0x00, 0x61, 0x73,
  0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03,
  0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06, 0x01,
  0x04, 0x00, 0x41, 0x2a, 0x0b, 0x00, 0x09, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x00,
  0x02, 0x01, 0x6d, 0x02, 0x04, 0x01, 0x00, 0x00, 0x00, 0x07, 0x05, 0x01, 0x40,
  0x00, 0x00, 0x79, 0x06, 0x07, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x66, 0x08,
  0x06, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x07, 0x01, 0x00, 0x01, 0x66,
  0x01, 0x00, 0x00, 0x00, 0x1f, 0x0e, 0x63, 0x6f, 0x6d, 0x70, 0x6f, 0x6e, 0x65,
  0x6e, 0x74, 0x2d, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x06, 0x00, 0x11, 0x01, 0x00,
  0x01, 0x6d, 0x01, 0x06, 0x00, 0x12, 0x01, 0x00, 0x01, 0x69
};

static int check_runtime(void) {
  WgEngine *engine = wg_engine_new(NULL);
  WgWasmComponent *c = NULL;
  int ok = wg_wasm_component_load(engine, f42_component, sizeof f42_component,
                                  &c, NULL) == WG_OK;
  WgComponentLinker *linker = wg_component_linker_new(engine, NULL);
  WgStore *store = wg_store_new(engine);
  WgComponentInstance *inst = NULL;
  ok = ok &&
       wg_component_linker_instantiate(linker, store, c, &inst, NULL) == WG_OK;
  WgComponentFunc *f =
      ok ? wg_component_instance_func(inst, WG_STR("f")) : NULL;
  WgCVal r;
  WgTrap *trap = f ? wg_component_func_call(f, NULL, 0, &r, 1) : NULL;
  ok = ok && f && !trap && r.kind == WG_CVAL_U32 && r.of.u == 42;
  wg_trap_delete(trap);
  wg_store_delete(store);
  wg_component_linker_delete(linker);
  wg_wasm_component_delete(c);
  wg_engine_delete(engine);
  return ok;
}

int main(void) {
  WgDiagList *list = wg_diag_list_new();
  if (!list) return 1;
  wg_diag_list_addf(list, WG_SEVERITY_ERROR, WG_ERR_INVALID, NULL, "probe");
  int ok = wg_diag_list_error_count(list) == 1 &&
           strcmp(wg_status_str(WG_ERR_TRAP), "trap") == 0;
  wg_diag_list_delete(list);
  int wasm_ok = check_wasm(), wit_ok = check_wit();
  int component_ok = check_component(), runtime_ok = check_runtime();
  printf("consumer linked witgen %s: diagnostics %s, wasm %s, wit %s, "
         "component %s, runtime %s\n",
         wg_version(), ok ? "ok" : "FAILED", wasm_ok ? "ok" : "FAILED",
         wit_ok ? "ok" : "FAILED", component_ok ? "ok" : "FAILED",
         runtime_ok ? "ok" : "FAILED");
  return ok && wasm_ok && wit_ok && component_ok && runtime_ok ? 0 : 1;
}
