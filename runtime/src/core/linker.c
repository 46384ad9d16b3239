/* SPDX-License-Identifier: Apache-2.0 */
/* The linker: a (module, name) -> extern table resolving imports. */
#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "rt.h"
#include "vec.h"

typedef struct LinkDef {
  WgStr module;
  WgStr name;
  WgExtern ext;
} LinkDef;

struct WgLinker {
  WgStore *store;
  WgArena arena;
  WgVec(LinkDef) defs;
};

WgLinker *wg_linker_new(WgStore *store) {
  WgAllocator a = store ? store->alloc : wg_allocator_default();
  WgLinker *l = wg_alloc_zeroed(a, sizeof *l);
  if (!l) return NULL;
  l->store = store;
  wg_arena_init(&l->arena, a);
  return l;
}

void wg_linker_delete(WgLinker *l) {
  if (!l) return;
  WgAllocator a = l->arena.allocator;
  wg_vec_free(&l->defs);
  wg_arena_release(&l->arena);
  wg_free(a, l, sizeof *l);
}

static LinkDef *find(const WgLinker *l, WgStr module, WgStr name) {
  for (size_t i = l->defs.count; i-- > 0;) {
    LinkDef *d = &l->defs.items[i];
    if (wg_str_eq(d->module, module) && wg_str_eq(d->name, name)) return d;
  }
  return NULL;
}

WgStatus wg_linker_define(WgLinker *l, WgStr module, WgStr name, WgExtern ext) {
  LinkDef *d = find(l, module, name);
  if (d) {
    d->ext = ext;
    return WG_OK;
  }
  LinkDef nd = { wg_arena_strdup(&l->arena, module),
                 wg_arena_strdup(&l->arena, name), ext };
  if ((!nd.module.ptr && module.len) || (!nd.name.ptr && name.len))
    return WG_ERR_NOMEM;
  return wg_vec_push(&l->defs, nd) ? WG_OK : WG_ERR_NOMEM;
}

WgStatus wg_linker_define_instance(WgLinker *l, WgStr module,
                                   WgInstance *inst) {
  size_t n = wg_instance_export_count(inst);
  for (size_t i = 0; i < n; i++) {
    WgStr name;
    WgExtern e;
    wg_instance_export_at(inst, i, &name, &e);
    WgStatus st = wg_linker_define(l, module, name, e);
    if (st != WG_OK) return st;
  }
  return WG_OK;
}

bool wg_linker_get(const WgLinker *l, WgStr module, WgStr name, WgExtern *out) {
  LinkDef *d = find(l, module, name);
  if (!d) return false;
  if (out) *out = d->ext;
  return true;
}

WgStatus wg_linker_instantiate(WgLinker *l, WgWasmModule *mod, WgInstance **out,
                               WgDiagList *diags) {
  *out = NULL;
  size_t n = wg_wasm_module_import_count(mod);
  WgExtern small[32];
  WgExtern *ext = small;
  WgAllocator a = l->store->alloc;
  if (n > 32) {
    ext = wg_alloc(a, sizeof(WgExtern) * n);
    if (!ext) return wg_rt_fail(diags, WG_ERR_NOMEM, "out of memory");
  }
  WgStatus st = WG_OK;
  for (size_t i = 0; i < n; i++) {
    WgStr module, name;
    wg_wasm_module_import(mod, i, &module, &name, NULL);
    if (!wg_linker_get(l, module, name, &ext[i])) {
      st = wg_rt_fail(diags, WG_ERR_UNLINKABLE, "unknown import");
      break;
    }
  }
  if (st == WG_OK) st = wg_instance_new(l->store, mod, ext, n, out, diags);
  if (ext != small) wg_free(a, ext, sizeof(WgExtern) * n);
  return st;
}
