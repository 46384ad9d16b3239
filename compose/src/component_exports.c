/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen new`, phase 3: the world's export declarators. Types are copied
 * with their indices remapped; functions are lifted from the core module's
 * exports (with its memory, realloc and `cabi_post_*`); an exported
 * interface becomes an instance of its types and lifted functions,
 * exported with the world's instance type as its type, or, when it
 * exports resources, an instance of a nested shim component
 * (component_shim.c). */
#include "arena.h"
#include "component_new_impl.h"

/* Lifts core export `core_name` as a function of type `type`; `wit_path`
 * names it in errors. An export the main module lacks may come from the
 * adapter (e.g. wasi:cli/run of a command adapter). */
static uint32_t lift(New *n, const MainInst *main, WgStr core_name,
                     WgStr wit_path, uint32_t type) {
  const WgModule *from = n->core;
  uint32_t inst = main->instance, realloc_ = main->realloc_;
  if (!wg_cnew_module_export(from, core_name, WG_EXTERN_FUNC) && n->adapter &&
      wg_cnew_module_export(n->adapter, core_name, WG_EXTERN_FUNC)) {
    from = n->adapter;
    inst = n->adapter_inst;
    realloc_ = NONE;
  }
  if (!wg_cnew_module_export(from, core_name, WG_EXTERN_FUNC)) {
    wg_cnew_fail(n,
                 "export `%.*s` missing from core module (expected a function "
                 "named `%.*s`)",
                 (int)wit_path.len, wit_path.ptr, (int)core_name.len,
                 core_name.ptr);
    return NONE;
  }
  uint32_t f = wg_cnew_alias_core(n, inst, core_name, WG_CCORE_FUNC);
  const char *post = wg_cnew_post_name(n, core_name);
  uint32_t pr = NONE;
  if (post &&
      wg_cnew_module_export(from, wg_str_from_cstr(post), WG_EXTERN_FUNC))
    pr = wg_cnew_alias_core(n, inst, wg_str_from_cstr(post), WG_CCORE_FUNC);
  WgCCanon *c = wg_cnew_add_canon(n, CANON_LIFT);
  if (!c) return NONE;
  c->func = f;
  c->type = type;
  if (main->memory != NONE) {
    c->opts.has_memory = true;
    c->opts.memory = main->memory;
  }
  if (realloc_ != NONE) {
    c->opts.has_realloc = true;
    c->opts.realloc = realloc_;
  }
  if (pr != NONE) {
    c->opts.has_post_return = true;
    c->opts.post_return = pr;
  }
  return n->nfuncs++;
}

/* ---- exported interfaces ---- */

/* An exported interface being built: its instance type's declarators
 * walked in order, with the top-level index of each of its types (lmap),
 * the lifted function of each declarator (fidx), and the instance's
 * exports (ex, exn). */
typedef struct Iface {
  WgStr name;
  const WgCType *it;
  uint32_t *lmap, *fidx;
  uint32_t lt; /* types of the instance type mapped so far */
  WgCInstantiateArg *ex;
  WgCName *exn;
  uint32_t nex;
  bool has_resources;
} Iface;

static void add_export(Iface *f, WgStr name, uint8_t sort, uint32_t index) {
  f->exn[f->nex].name = name;
  f->ex[f->nex++] =
      (WgCInstantiateArg){ .name = name, .sort = sort, .index = index };
}

/* Export declarator `k` of the interface: a resource (defined by the
 * component), a type, or a function to lift. */
static bool iface_export(New *n, Iface *f, uint32_t k, const MainInst *main) {
  const WgCDecl *x = &f->it->u.decls.items[k];
  WgStr xn = x->u.extern_.name.name;
  const WgCExternType *et = &x->u.extern_.type;
  if (et->kind == WG_CSORT_TYPE && et->bound == WG_CBOUND_SUB_RESOURCE) {
    const ExRes *r = wg_cnew_find_exres(n, f->name, xn);
    if (!r || r->type == NONE)
      return wg_cnew_fail(n, "export `%.*s`: resource `%.*s` undefined",
                          (int)f->name.len, f->name.ptr, (int)xn.len, xn.ptr);
    f->has_resources = true;
    f->lmap[f->lt++] = r->type;
  } else if (et->kind == WG_CSORT_TYPE) {
    uint32_t t = wg_cnew_map_index(n, et->index, f->lmap, f->lt);
    f->lmap[f->lt++] = t;
    add_export(f, xn, WG_CSORT_TYPE, t);
  } else if (et->kind == WG_CSORT_FUNC) {
    uint32_t t = wg_cnew_map_index(n, et->index, f->lmap, f->lt);
    const char *path = wg_arena_printf(n->arena, "%.*s#%.*s", (int)f->name.len,
                                       f->name.ptr, (int)xn.len, xn.ptr);
    if (!path) return wg_cnew_fail(n, "out of memory");
    uint32_t fn = lift(n, main, wg_cnew_core_name(n, f->name, xn),
                       wg_str_from_cstr(path), t);
    f->fidx[k] = fn;
    add_export(f, xn, WG_CSORT_FUNC, fn);
  } else {
    return wg_cnew_fail(n, "export `%.*s`: unsupported item `%.*s`",
                        (int)f->name.len, f->name.ptr, (int)xn.len, xn.ptr);
  }
  return true;
}

/* Declarator `k` of the interface's instance type. */
static bool iface_decl(New *n, Iface *f, uint32_t k, const MainInst *main) {
  const WgCDecl *x = &f->it->u.decls.items[k];
  switch (x->kind) {
    case WG_CDECL_TYPE:
      f->lmap[f->lt] =
          wg_cnew_add_type(n, wg_cnew_map_type(n, x->u.type, f->lmap, f->lt));
      f->lt++;
      return true;
    case WG_CDECL_ALIAS:
      if (x->u.alias.kind != WG_CALIAS_OUTER || x->u.alias.instance != 1 ||
          x->u.alias.sort != WG_CSORT_TYPE)
        return wg_cnew_fail(n, "export `%.*s`: unsupported alias in its type",
                            (int)f->name.len, f->name.ptr);
      f->lmap[f->lt++] =
          wg_cnew_map_index(n, x->u.alias.index, n->tmap, n->wtypes);
      return true;
    case WG_CDECL_EXPORT:
      return iface_export(n, f, k, main);
    default:
      return wg_cnew_fail(n, "export `%.*s`: unsupported declarator",
                          (int)f->name.len, f->name.ptr);
  }
}

/* The export of instance `inst` under the world's name of `d`, typed by
 * the world's instance type `type` when `typed`. */
static bool export_instance(New *n, const WgCDecl *d, uint32_t inst, bool typed,
                            uint32_t type) {
  WgCDef *e = wg_cnew_add_def(n, WG_CDEF_EXPORT);
  if (!e) return false;
  e->u.extern_.name = d->u.extern_.name;
  e->u.extern_.sort = WG_CSORT_INSTANCE;
  e->u.extern_.index = inst;
  if (typed) {
    e->u.extern_.has_type = true;
    e->u.extern_.type =
        (WgCExternType){ .kind = WG_CSORT_INSTANCE, .index = type };
  }
  return true;
}

/* Exported interface `d`: its types and lifted functions as an instance,
 * exported with the world's instance type. */
static bool export_interface(New *n, const WgCDecl *d, const MainInst *main,
                             WorldPos *pos) {
  Iface f = { .name = d->u.extern_.name.name };
  uint32_t ti = d->u.extern_.type.index;
  f.it = ti < n->wtypes ? n->wdefs[ti] : NULL;
  if (!f.it || f.it->kind != WG_CT_INSTANCE)
    return wg_cnew_fail(n, "export `%.*s`: not an instance type",
                        (int)f.name.len, f.name.ptr);
  uint32_t nl = f.it->u.decls.count;
  if (!wg_cnew_grow_map(n, &f.lmap, nl) || !wg_cnew_grow_map(n, &f.fidx, nl))
    return false;
  f.ex = wg_arena_zalloc(n->arena, (nl + 1) * sizeof *f.ex);
  f.exn = wg_arena_zalloc(n->arena, (nl + 1) * sizeof *f.exn);
  if (!f.ex || !f.exn) return wg_cnew_fail(n, "out of memory");
  for (uint32_t k = 0; k < nl && !n->failed; k++)
    iface_decl(n, &f, k, main);
  if (n->failed) return false;
  n->inst_names[pos->instances] = f.name;
  n->inst_types[pos->instances] = f.it;
  if (f.has_resources) {
    uint32_t inst =
        wg_cnew_shim_component(n, f.it, pos->instances, f.lmap, f.fidx, nl);
    if (inst == NONE || !export_instance(n, d, inst, false, 0)) return false;
  } else {
    WgCDef *id = wg_cnew_add_def(n, WG_CDEF_INSTANCE);
    if (!id) return false;
    id->u.instance = (WgCInstance){ .is_core = false,
                                    .instantiate = false,
                                    .arg_count = f.nex,
                                    .args = f.ex,
                                    .export_names = f.exn };
    if (!export_instance(n, d, n->ninstances++, true, n->tmap[ti]))
      return false;
  }
  n->imap[pos->instances++] = n->ninstances++;
  return true;
}

/* ---- the world's exports ---- */

static bool export_func(New *n, const WgCDecl *d, const MainInst *main,
                        WorldPos *pos) {
  WgStr name = d->u.extern_.name.name;
  uint32_t t =
      wg_cnew_map_index(n, d->u.extern_.type.index, n->tmap, n->wtypes);
  uint32_t f = lift(n, main, wg_cnew_core_name(n, (WgStr){ 0 }, name), name, t);
  WgCDef *e = wg_cnew_add_def(n, WG_CDEF_EXPORT);
  if (!e) return false;
  e->u.extern_.name = d->u.extern_.name;
  e->u.extern_.sort = WG_CSORT_FUNC;
  e->u.extern_.index = f;
  n->fmap[pos->funcs++] = n->nfuncs++;
  return true;
}

static bool export_type(New *n, const WgCDecl *d, WorldPos *pos) {
  WgStr name = d->u.extern_.name.name;
  if (d->u.extern_.type.bound == WG_CBOUND_SUB_RESOURCE)
    return wg_cnew_fail(n, "exported resource `%.*s` is not supported yet",
                        (int)name.len, name.ptr);
  WgCDef *e = wg_cnew_add_def(n, WG_CDEF_EXPORT);
  if (!e) return false;
  e->u.extern_.name = d->u.extern_.name;
  e->u.extern_.sort = WG_CSORT_TYPE;
  e->u.extern_.index =
      wg_cnew_map_index(n, d->u.extern_.type.index, n->tmap, n->wtypes);
  n->tmap[pos->types++] = n->ntypes++;
  return true;
}

bool wg_cnew_export_decls(New *n, WorldPos *pos, const MainInst *main) {
  const WgCType *w = n->world;
  for (; pos->decl < w->u.decls.count && !n->failed; pos->decl++) {
    const WgCDecl *d = &w->u.decls.items[pos->decl];
    if (d->kind == WG_CDECL_IMPORT)
      return wg_cnew_fail(n,
                          "imports after exports in a world are not supported");
    if (d->kind != WG_CDECL_EXPORT) {
      wg_cnew_copy_import_decl(n, d, pos);
      continue;
    }
    WgStr name = d->u.extern_.name.name;
    switch (d->u.extern_.type.kind) {
      case WG_CSORT_INSTANCE:
        export_interface(n, d, main, pos);
        break;
      case WG_CSORT_FUNC:
        export_func(n, d, main, pos);
        break;
      case WG_CSORT_TYPE:
        export_type(n, d, pos);
        break;
      default:
        return wg_cnew_fail(n, "export `%.*s`: unsupported kind", (int)name.len,
                            name.ptr);
    }
  }
  return !n->failed;
}
