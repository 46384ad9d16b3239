/* SPDX-License-Identifier: Apache-2.0 */
/* Loading a component: decode (witgen/component_binary.h), validate
 * (witgen/component_types.h), then compile and plan (cplan.c). The result
 * is immutable and reference counted. */
#include <string.h>

#include "alloc.h"
#include "cinternal.h"
#include "core/rt.h"

WgStatus wg_wasm_component_load(WgEngine *engine, const uint8_t *bytes,
                                size_t len, WgWasmComponent **out,
                                WgDiagList *diags) {
  *out = NULL;
  if (!engine || (!bytes && len)) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0, "no engine or bytes");
    return WG_ERR_MISUSE;
  }
  WgAllocator a = engine->alloc;
  WgWasmComponent *c = wg_alloc_zeroed(a, sizeof *c);
  if (!c) {
    wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
    return WG_ERR_NOMEM;
  }
  atomic_init(&c->refcount, 1);
  c->engine = engine;
  c->alloc = a;
  wg_arena_init(&c->arena, a);
  WgStatus st = WG_ERR_NOMEM;
  c->bytes = wg_alloc(a, len ? len : 1);
  if (!c->bytes) goto fail;
  if (len) memcpy(c->bytes, bytes, len);
  c->len = len;
  if (!wg_component_is_component(c->bytes, len)) {
    st = WG_ERR_MALFORMED;
    wg_diag_list_add_at(diags, st, 0,
                        "not a component (a core module or another format)");
    goto fail;
  }
  st = wg_component_decode(c->bytes, len, a, &c->decoded, diags);
  if (st != WG_OK) goto fail;
  c->types = wg_ctypes_new(a);
  if (!c->types) {
    st = WG_ERR_NOMEM;
    wg_diag_list_add_at(diags, st, 0, "out of memory");
    goto fail;
  }
  WgCValidateOptions vo = { .no_async = false };
  st = wg_component_validate(c->types, c->decoded, &vo, &c->scope, diags);
  if (st != WG_OK) goto fail;
  st = wg_cplan_build(c, diags);
  if (st != WG_OK) goto fail;
  *out = c;
  return WG_OK;
fail:
  wg_wasm_component_delete(c);
  return st;
}

void wg_wasm_component_delete(WgWasmComponent *c) {
  if (!c) return;
  if (atomic_fetch_sub(&c->refcount, 1) != 1) return;
  wg_cplan_free(c);
  wg_arena_release(&c->arena);
  wg_ctypes_delete(c->types);
  if (c->decoded) wg_component_free(c->decoded);
  if (c->bytes) wg_free(c->alloc, c->bytes, c->len ? c->len : 1);
  wg_free(c->alloc, c, sizeof *c);
}

const WgCComponentTy *wg_wasm_component_type(const WgWasmComponent *c) {
  return c && c->scope ? c->scope->type : NULL;
}

size_t wg_wasm_component_func_count(const WgWasmComponent *c) {
  return c ? c->plan.export_func_count : 0;
}

void wg_wasm_component_func(const WgWasmComponent *c, size_t i, WgStr *out_name,
                            const WgCFuncTy **out_type) {
  const PExportFunc *e = &c->plan.export_funcs[i];
  if (out_name) *out_name = e->name;
  if (out_type) *out_type = e->type;
}
