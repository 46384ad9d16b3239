/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen new`: the component's definitions as they are added, with the
 * index each gets in its space (component_new_impl.h, New), errors, the
 * core modules' exports, and types copied from the world with their
 * indices remapped through the maps from world index to top-level index. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "component_new_impl.h"

/* ---- errors ---- */

static void vfail(New *n, WgStatus status, const char *fmt, va_list ap) {
  if (!n->failed) {
    n->status = status;
    wg_diag_list_vaddf(n->diags, WG_SEVERITY_ERROR, status, NULL, fmt, ap);
  }
  n->failed = true;
}

bool wg_cnew_fail(New *n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(n, strcmp(fmt, "out of memory") ? WG_ERR_INVALID : WG_ERR_NOMEM, fmt,
        ap);
  va_end(ap);
  return false;
}

bool wg_cnew_fail_status(New *n, WgStatus status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(n, status, fmt, ap);
  va_end(ap);
  return false;
}

void wg_cnew_note(New *n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wg_diag_list_vaddf(n->diags, WG_SEVERITY_NOTE, WG_OK, NULL, fmt, ap);
  va_end(ap);
}

/* ---- names ---- */

bool wg_cnew_str_is(WgStr s, const char *c) {
  return wg_str_eq(s, wg_str_from_cstr(c));
}

bool wg_cnew_starts(WgStr s, const char *prefix) {
  size_t l = strlen(prefix);
  return s.len >= l && memcmp(s.ptr, prefix, l) == 0;
}

WgStr wg_cnew_slot_name(New *n, uint32_t i) {
  return wg_str_from_cstr(wg_arena_printf(n->arena, "%u", i));
}

/* ---- definitions ---- */

WgCDef *wg_cnew_add_def(New *n, WgCDefKind kind) {
  if (n->ndefs == n->capdefs) {
    uint32_t cap = n->capdefs ? n->capdefs * 2 : 64;
    WgCDef *d = wg_arena_zalloc(n->arena, cap * sizeof *d);
    if (!d) {
      wg_cnew_fail(n, "out of memory");
      return NULL;
    }
    if (n->ndefs) memcpy(d, n->defs, n->ndefs * sizeof *d);
    n->defs = d;
    n->capdefs = cap;
  }
  WgCDef *d = &n->defs[n->ndefs++];
  memset(d, 0, sizeof *d);
  d->kind = kind;
  return d;
}

uint32_t wg_cnew_alias_core(New *n, uint32_t instance, WgStr name,
                            uint8_t core_sort) {
  WgCDef *d = wg_cnew_add_def(n, WG_CDEF_ALIAS);
  if (!d) return NONE;
  d->u.alias = (WgCAlias){ .sort = WG_CSORT_CORE,
                           .core_sort = core_sort,
                           .kind = WG_CALIAS_CORE_EXPORT,
                           .instance = instance,
                           .name = name };
  switch (core_sort) {
    case WG_CCORE_FUNC:
      return n->ncore_funcs++;
    case WG_CCORE_TABLE:
      return n->ncore_tables++;
    case WG_CCORE_MEMORY:
      return n->ncore_memories++;
    case WG_CCORE_GLOBAL:
      return n->ncore_globals++;
    default:
      return NONE;
  }
}

uint32_t wg_cnew_core_bag(New *n, WgCInstantiateArg *items, uint32_t count) {
  WgCDef *d = wg_cnew_add_def(n, WG_CDEF_CORE_INSTANCE);
  if (!d) return NONE;
  d->u.instance =
      (WgCInstance){ .is_core = true, .arg_count = count, .args = items };
  return n->ncore_instances++;
}

uint32_t wg_cnew_instantiate_core(New *n, uint32_t module,
                                  WgCInstantiateArg *with, uint32_t count) {
  WgCDef *d = wg_cnew_add_def(n, WG_CDEF_CORE_INSTANCE);
  if (!d) return NONE;
  d->u.instance = (WgCInstance){ .is_core = true,
                                 .instantiate = true,
                                 .target = module,
                                 .arg_count = count,
                                 .args = with };
  return n->ncore_instances++;
}

bool wg_cnew_module_bags(New *n, const WgImport *imports, uint32_t count,
                         const uint32_t *core_of, bool (*skip)(WgStr module),
                         WgCInstantiateArg *with, uint32_t *nwith) {
  for (uint32_t i = 0; i < count; i++) {
    WgStr mod = imports[i].module;
    if (skip && skip(mod)) continue;
    bool seen = false;
    for (uint32_t a = 0; a < *nwith; a++)
      if (wg_str_eq(with[a].name, mod)) seen = true;
    if (seen) continue;
    uint32_t nex = 0;
    for (uint32_t j = i; j < count; j++)
      if (wg_str_eq(imports[j].module, mod)) nex++;
    WgCInstantiateArg *ex = wg_arena_zalloc(n->arena, nex * sizeof *ex);
    if (!ex) return wg_cnew_fail(n, "out of memory");
    nex = 0;
    for (uint32_t j = i; j < count; j++)
      if (wg_str_eq(imports[j].module, mod))
        ex[nex++] = (WgCInstantiateArg){ .name = imports[j].name,
                                         .core_sort = WG_CCORE_FUNC,
                                         .index = core_of[j] };
    with[(*nwith)++] =
        (WgCInstantiateArg){ .name = mod,
                             .core_sort = WG_CCORE_INSTANCE,
                             .index = wg_cnew_core_bag(n, ex, nex) };
  }
  return !n->failed;
}

WgCCanon *wg_cnew_add_canon(New *n, CanonOp op) {
  WgCDef *d = wg_cnew_add_def(n, WG_CDEF_CANON);
  if (!d) return NULL;
  d->u.canon.op = (uint8_t)op;
  return &d->u.canon;
}

uint32_t wg_cnew_add_module(New *n, WgBuf *bytes) {
  if (bytes->failed) {
    wg_cnew_fail(n, "out of memory");
    return NONE;
  }
  WgCDef *d = wg_cnew_add_def(n, WG_CDEF_CORE_MODULE);
  if (!d) return NONE;
  size_t len;
  char *p = wg_buf_take(bytes, &len);
  uint8_t *copy = wg_arena_alloc(n->arena, len ? len : 1);
  if (!copy) {
    free(p);
    wg_cnew_fail(n, "out of memory");
    return NONE;
  }
  memcpy(copy, p, len);
  free(p);
  d->u.module.bytes = copy;
  d->u.module.len = len;
  return n->ncore_modules++;
}

uint32_t wg_cnew_add_type(New *n, WgCType *t) {
  WgCDef *d = t ? wg_cnew_add_def(n, WG_CDEF_TYPE) : NULL;
  if (!d) return NONE;
  d->u.type = t;
  return n->ntypes++;
}

/* ---- core modules ---- */

const WgExport *wg_cnew_module_export(const WgModule *m, WgStr name,
                                      WgExternKind kind) {
  for (uint32_t i = 0; i < m->export_count; i++) {
    const WgExport *e = &m->exports[i];
    if (e->kind == kind && wg_str_eq(e->name, name)) return e;
  }
  return NULL;
}

const WgExport *wg_cnew_core_export(New *n, WgStr name, WgExternKind kind) {
  return wg_cnew_module_export(n->core, name, kind);
}

uint32_t wg_cnew_func_import_type(const WgModule *m, uint32_t fi) {
  for (uint32_t i = 0, k = 0; i < m->import_count; i++)
    if (m->imports[i].kind == WG_EXTERN_FUNC && k++ == fi)
      return m->imports[i].desc.func_type;
  return UINT32_MAX;
}

const WgFuncType *wg_cnew_func_type(const WgModule *m, uint32_t fi) {
  uint32_t ty = fi < m->func_import_count
                    ? wg_cnew_func_import_type(m, fi)
                    : m->funcs[fi - m->func_import_count].type_index;
  return ty < m->type_count ? &m->types[ty] : NULL;
}

bool wg_cnew_strip_types(New *n, const uint8_t *bytes, size_t len, WgBuf *out) {
  WgDiagList *diags = wg_diag_list_new();
  if (!diags) return wg_cnew_fail(n, "out of memory");
  WgStatus st = wg_component_type_sections_strip(bytes, len, out, diags);
  if (st != WG_OK)
    wg_cnew_fail_status(n, st, "%s", wg_diag_list_first_error(diags));
  wg_diag_list_delete(diags);
  return st == WG_OK;
}

/* ---- types copied from the world with their indices remapped ---- */

bool wg_cnew_grow_map(New *n, uint32_t **map, uint32_t count) {
  uint32_t *m = wg_arena_alloc(n->arena, (count + 1) * sizeof *m);
  if (!m) return wg_cnew_fail(n, "out of memory");
  for (uint32_t i = 0; i <= count; i++)
    m[i] = NONE;
  *map = m;
  return true;
}

uint32_t wg_cnew_map_index(New *n, uint32_t index, const uint32_t *map,
                           uint32_t count) {
  if (index >= count || map[index] == NONE) {
    wg_cnew_fail(n, "type index %u cannot be mapped", index);
    return index;
  }
  return map[index];
}

/* The map of wg_cnew_map_type: `map` of `count` entries; an index without
 * an entry fails `n`. */
typedef struct IndexMap {
  New *n;
  const uint32_t *map;
  uint32_t count;
} IndexMap;

static uint32_t map_through(void *ctx, uint32_t index) {
  IndexMap *m = ctx;
  if (index >= m->count || m->map[index] == NONE) {
    wg_cnew_fail(m->n, "type index %u cannot be mapped", index);
    return UINT32_MAX;
  }
  return m->map[index];
}

WgCType *wg_cnew_map_type(New *n, const WgCType *t, const uint32_t *map,
                          uint32_t count) {
  IndexMap m = { n, map, count };
  WgCType *c = wg_ctype_remap(n->arena, t, map_through, &m);
  if (!c) wg_cnew_fail(n, "out of memory"); /* unless the map failed */
  return c;
}
