/* SPDX-License-Identifier: Apache-2.0 */
/* Engine configuration and loaded modules (decode + validate + compile). */
#include <string.h>

#include "alloc.h"
#include "rt.h"

WgEngine *wg_engine_new(const WgEngineConfig *config) {
  WgEngineConfig cfg = { 0 };
  if (config) cfg = *config;
  WgAllocator a = wg_alloc_resolve(cfg.allocator);
  WgEngine *e = wg_alloc_zeroed(a, sizeof *e);
  if (!e) return NULL;
  if (cfg.max_memory_pages == 0 || cfg.max_memory_pages > 65536)
    cfg.max_memory_pages = 65536;
  if (cfg.max_table_elems == 0) cfg.max_table_elems = 10000000;
  if (cfg.max_call_depth == 0) cfg.max_call_depth = 20000;
  if (cfg.max_stack_slots == 0) cfg.max_stack_slots = 1u << 20;
  cfg.allocator = a;
  e->config = cfg;
  e->alloc = a;
  e->features = WG_FEATURES_ALL & ~cfg.disabled_features;
  return e;
}

void wg_engine_delete(WgEngine *engine) {
  if (engine) wg_free(engine->alloc, engine, sizeof *engine);
}

static WgStatus load(WgEngine *engine, const uint8_t *bytes, size_t len,
                     bool validate, WgWasmModule **out, WgDiagList *diags) {
  *out = NULL;
  if (!engine || (!bytes && len))
    return wg_rt_fail(diags, WG_ERR_MISUSE, "no engine or bytes");
  WgModule *m = NULL;
  WgStatus st =
      wg_module_decode(bytes, len, engine->alloc, engine->features, &m, diags);
  if (st == WG_OK && validate) st = wg_module_validate(m, diags);
  if (st != WG_OK) {
    wg_module_free(m);
    return st;
  }
  WgWasmModule *mod = wg_alloc_zeroed(engine->alloc, sizeof *mod);
  if (!mod) {
    wg_module_free(m);
    return wg_rt_fail(diags, WG_ERR_NOMEM, "out of memory");
  }
  mod->engine = engine;
  mod->m = m;
  atomic_init(&mod->refcount, 1);
  st = wg_compile_module(mod, diags);
  if (st != WG_OK) {
    wg_wasm_module_delete(mod);
    return st;
  }
  *out = mod;
  return WG_OK;
}

WgStatus wg_wasm_module_load(WgEngine *engine, const uint8_t *bytes, size_t len,
                             WgWasmModule **out, WgDiagList *diags) {
  return load(engine, bytes, len, true, out, diags);
}

WgStatus wg_rt_module_load_validated(WgEngine *engine, const uint8_t *bytes,
                                     size_t len, WgWasmModule **out,
                                     WgDiagList *diags) {
  bool all = engine && engine->features == WG_FEATURES_ALL;
  return load(engine, bytes, len, !all, out, diags);
}

void wg_wasm_module_delete(WgWasmModule *mod) {
  if (!mod || atomic_fetch_sub(&mod->refcount, 1) != 1) return;
  WgAllocator a = mod->engine->alloc;
  if (mod->code)
    wg_free(a, mod->code, sizeof(uint64_t) * (mod->code_words + 1));
  if (mod->codes) wg_free(a, mod->codes, sizeof(WgCode) * mod->m->func_count);
  wg_module_free(mod->m);
  wg_free(a, mod, sizeof *mod);
}

size_t wg_wasm_module_import_count(const WgWasmModule *mod) {
  return mod->m->import_count;
}

void wg_wasm_module_import(const WgWasmModule *mod, size_t i, WgStr *out_module,
                           WgStr *out_name, WgWasmExternKind *out_kind) {
  const WgImport *im = &mod->m->imports[i];
  if (out_module) *out_module = im->module;
  if (out_name) *out_name = im->name;
  if (out_kind) *out_kind = (WgWasmExternKind)im->kind;
}

size_t wg_wasm_module_export_count(const WgWasmModule *mod) {
  return mod->m->export_count;
}

void wg_wasm_module_export(const WgWasmModule *mod, size_t i, WgStr *out_name,
                           WgWasmExternKind *out_kind) {
  const WgExport *ex = &mod->m->exports[i];
  if (out_name) *out_name = ex->name;
  if (out_kind) *out_kind = (WgWasmExternKind)ex->kind;
}
