/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen new`, phase 1: the world's import declarators copied to the top
 * of the component (type definitions, aliases and imports number alike in
 * a component type and in a component, so indices stay as they are), and
 * what each import of the core module is: a function of the world's
 * imports to lower, a resource to drop, or resource.new/rep/drop of a
 * resource the world exports. */
#include <string.h>

#include "arena.h"
#include "component_new_impl.h"

/* ---- the resources of exported interfaces ---- */

bool wg_cnew_collect_exported_resources(New *n) {
  const WgCType *w = n->world;
  uint32_t count = 0;
  for (int pass = 0; pass < 2; pass++) {
    count = 0;
    for (uint32_t k = 0; k < w->u.decls.count; k++) {
      const WgCDecl *d = &w->u.decls.items[k];
      if (d->kind != WG_CDECL_EXPORT ||
          d->u.extern_.type.kind != WG_CSORT_INSTANCE)
        continue;
      uint32_t ti = d->u.extern_.type.index;
      const WgCType *it = ti < n->wtypes ? n->wdefs[ti] : NULL;
      for (uint32_t j = 0;
           it && it->kind == WG_CT_INSTANCE && j < it->u.decls.count; j++) {
        const WgCDecl *x = &it->u.decls.items[j];
        if (x->kind != WG_CDECL_EXPORT ||
            x->u.extern_.type.kind != WG_CSORT_TYPE ||
            x->u.extern_.type.bound != WG_CBOUND_SUB_RESOURCE)
          continue;
        if (pass)
          n->exres[count] = (ExRes){ .iface = d->u.extern_.name.name,
                                     .name = x->u.extern_.name.name,
                                     .type = NONE,
                                     .slot = NONE };
        count++;
      }
    }
    if (!pass) {
      n->exres = wg_arena_zalloc(n->arena, (count + 1) * sizeof *n->exres);
      if (!n->exres) return wg_cnew_fail(n, "out of memory");
    }
  }
  n->nexres = count;
  return true;
}

const ExRes *wg_cnew_find_exres(New *n, WgStr iface, WgStr name) {
  for (uint32_t k = 0; k < n->nexres; k++)
    if (wg_str_eq(n->exres[k].iface, iface) &&
        wg_str_eq(n->exres[k].name, name))
      return &n->exres[k];
  return NULL;
}

/* ---- the world's imports ---- */

/* Records the new top-level item of extern kind `sort` in the map of its
 * world index space. */
static void map_next(New *n, uint8_t sort, WorldPos *pos) {
  if (sort == WG_CSORT_TYPE) n->tmap[pos->types++] = n->ntypes++;
  if (sort == WG_CSORT_FUNC) n->fmap[pos->funcs++] = n->nfuncs++;
  if (sort == WG_CSORT_INSTANCE) n->imap[pos->instances++] = n->ninstances++;
}

static bool copy_alias(New *n, WgCAlias a, WorldPos *pos) {
  if (a.kind != WG_CALIAS_EXPORT)
    return wg_cnew_fail(n, "outer aliases at the top of a world are not "
                           "supported");
  if (a.instance >= pos->instances || n->imap[a.instance] == NONE)
    return wg_cnew_fail(n, "alias of an unknown instance");
  a.instance = n->imap[a.instance];
  WgCDef *def = wg_cnew_add_def(n, WG_CDEF_ALIAS);
  if (!def) return false;
  def->u.alias = a;
  map_next(n, a.sort, pos);
  return true;
}

static bool copy_import(New *n, const WgCDecl *d, WorldPos *pos) {
  WgCExternType et = d->u.extern_.type;
  if (et.kind != WG_CSORT_TYPE || et.bound == WG_CBOUND_EQ)
    et.index = wg_cnew_map_index(n, et.index, n->tmap, n->wtypes);
  WgCDef *def = wg_cnew_add_def(n, WG_CDEF_IMPORT);
  if (!def) return false;
  def->u.extern_.name = d->u.extern_.name;
  def->u.extern_.type = et;
  if (et.kind == WG_CSORT_INSTANCE) {
    n->inst_names[pos->instances] = d->u.extern_.name.name;
    uint32_t ti = d->u.extern_.type.index;
    n->inst_types[pos->instances] = ti < n->wtypes ? n->wdefs[ti] : NULL;
  }
  map_next(n, et.kind, pos);
  return !n->failed;
}

bool wg_cnew_copy_import_decl(New *n, const WgCDecl *d, WorldPos *pos) {
  switch (d->kind) {
    case WG_CDECL_CORE_TYPE:
      return wg_cnew_fail(n, "core types in a world are not supported");
    case WG_CDECL_TYPE: {
      WgCType *t = wg_cnew_map_type(n, d->u.type, n->tmap, n->wtypes);
      n->tmap[pos->types++] = wg_cnew_add_type(n, t);
      return !n->failed;
    }
    case WG_CDECL_ALIAS:
      return copy_alias(n, d->u.alias, pos);
    case WG_CDECL_IMPORT:
      return copy_import(n, d, pos);
    case WG_CDECL_EXPORT:
      return false;
  }
  return false;
}

/* True when declarator `k` of the world starts the run of non-import
 * declarators (types, aliases) that the first export follows: those are
 * copied in phase 3, after the core instances. */
static bool before_exports(const WgCType *w, uint32_t k) {
  for (uint32_t j = k; j < w->u.decls.count; j++) {
    if (w->u.decls.items[j].kind == WG_CDECL_IMPORT) return false;
    if (w->u.decls.items[j].kind == WG_CDECL_EXPORT) return true;
  }
  return false;
}

bool wg_cnew_import_decls(New *n, WorldPos *pos) {
  const WgCType *w = n->world;
  for (; pos->decl < w->u.decls.count && !n->failed; pos->decl++) {
    if (before_exports(w, pos->decl)) break;
    wg_cnew_copy_import_decl(n, &w->u.decls.items[pos->decl], pos);
  }
  return !n->failed;
}

/* ---- what each core import is ---- */

/* The index in a world space whose entry declarator `decl` introduced. */
static uint32_t index_of(const WgCOrigin *origin, uint32_t count,
                         uint32_t decl) {
  for (uint32_t i = 0; i < count; i++)
    if (origin[i].def == decl) return i;
  return NONE;
}

/* `s` without suffix `suf` into *out. */
static bool ends_cut(WgStr s, const char *suf, WgStr *out) {
  size_t l = strlen(suf);
  if (s.len <= l || memcmp(s.ptr + s.len - l, suf, l) != 0) return false;
  *out = (WgStr){ s.ptr, s.len - l };
  return true;
}

/* `s` without prefix `pre` into *out. */
static bool starts_cut(WgStr s, const char *pre, WgStr *out) {
  if (!wg_cnew_starts(s, pre)) return false;
  size_t l = strlen(pre);
  *out = (WgStr){ s.ptr + l, s.len - l };
  return true;
}

bool wg_cnew_classify_export_import(New *n, WgStr mod, WgStr name, CanonOp *op,
                                    uint32_t *res) {
  WgStr iface = wg_cnew_starts(mod, "[export]")
                    ? (WgStr){ mod.ptr + 8, mod.len - 8 }
                    : (WgStr){ mod.ptr + 11, mod.len - 11 };
  WgStr r = { 0 };
  bool known = true;
  if (starts_cut(name, "[resource-new]", &r))
    *op = CANON_RESOURCE_NEW;
  else if (starts_cut(name, "[resource-rep]", &r))
    *op = CANON_RESOURCE_REP;
  else if (starts_cut(name, "[resource-drop]", &r))
    *op = CANON_RESOURCE_DROP;
  else if (n->cm32 && ends_cut(name, "_new", &r))
    *op = CANON_RESOURCE_NEW;
  else if (n->cm32 && ends_cut(name, "_rep", &r))
    *op = CANON_RESOURCE_REP;
  else if (n->cm32 && ends_cut(name, "_drop", &r))
    *op = CANON_RESOURCE_DROP;
  else
    known = false;
  for (uint32_t k = 0; known && k < n->nexres; k++)
    if (wg_str_eq(n->exres[k].name, r) &&
        wg_cnew_iface_matches(n->exres[k].iface, iface)) {
      *res = k;
      return true;
    }
  return wg_cnew_fail(
      n,
      "import `%.*s`.`%.*s` of the core module matches no resource "
      "exported by the world",
      (int)mod.len, mod.ptr, (int)name.len, name.ptr);
}

/* Import `name` of interface `iface`: the export of that name in the
 * interface's (resolved) instance type `wi`, aliased to the top: a
 * function, or the resource `res` its drop names. */
static bool classify_in_interface(New *n, uint32_t wi, WgStr name, WgStr res,
                                  uint32_t *func, uint32_t *drop_type) {
  const WgCScope *ws = n->ws;
  const WgCItem *x =
      wi == NONE ? NULL : wg_cinstance_export(ws->instances[wi], name);
  bool is_type = false;
  if (res.ptr && (!x || x->type.sort != WG_CSORT_FUNC)) {
    x = wi == NONE ? NULL : wg_cinstance_export(ws->instances[wi], res);
    is_type = x && x->type.sort == WG_CSORT_TYPE;
  }
  if (!x || (!is_type && x->type.sort != WG_CSORT_FUNC)) return false;
  WgCDef *a = wg_cnew_add_def(n, WG_CDEF_ALIAS);
  if (!a) return false;
  a->u.alias = (WgCAlias){ .sort = is_type ? WG_CSORT_TYPE : WG_CSORT_FUNC,
                           .kind = WG_CALIAS_EXPORT,
                           .instance = n->imap[wi],
                           .name = is_type ? res : name };
  if (is_type)
    *drop_type = n->ntypes++;
  else
    *func = n->nfuncs++;
  return true;
}

bool wg_cnew_classify_import(New *n, WgStr mod, WgStr name, uint32_t *func,
                             uint32_t *drop_type) {
  *func = *drop_type = NONE;
  WgStr iface = { 0 };
  bool root = false;
  if (wg_cnew_str_is(mod, "$root") || wg_cnew_str_is(mod, "cm32p2") ||
      wg_cnew_str_is(mod, "cm32p2|")) {
    root = true;
  } else if (!starts_cut(mod, "cm32p2|", &iface)) {
    iface = mod;
  }
  /* resource drops: `[resource-drop]r` or `r_drop` */
  WgStr res = { 0 };
  if (!starts_cut(name, "[resource-drop]", &res) && n->cm32)
    ends_cut(name, "_drop", &res);
  /* find the world import */
  const WgCType *w = n->world;
  const WgCScope *ws = n->ws;
  for (uint32_t k = 0; k < w->u.decls.count; k++) {
    const WgCDecl *d = &w->u.decls.items[k];
    if (d->kind == WG_CDECL_EXPORT) break;
    if (d->kind != WG_CDECL_IMPORT) continue;
    WgStr dn = d->u.extern_.name.name;
    uint8_t kind = d->u.extern_.type.kind;
    if (root && kind == WG_CSORT_FUNC && wg_str_eq(dn, name)) {
      *func = n->fmap[index_of(ws->func_origin, ws->func_count, k)];
      return true;
    }
    if (root && kind == WG_CSORT_TYPE && res.ptr && wg_str_eq(dn, res)) {
      *drop_type = n->tmap[index_of(ws->type_origin, ws->type_count, k)];
      return true;
    }
    if (!root && kind == WG_CSORT_INSTANCE &&
        wg_cnew_iface_matches(dn, iface)) {
      uint32_t wi = index_of(ws->instance_origin, ws->instance_count, k);
      if (classify_in_interface(n, wi, name, res, func, drop_type)) return true;
      if (n->failed) return false;
      break;
    }
  }
  return wg_cnew_fail(
      n,
      "import `%.*s`.`%.*s` of the core module matches no import of "
      "the world",
      (int)mod.len, mod.ptr, (int)name.len, name.ptr);
}
