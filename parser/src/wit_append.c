/* SPDX-License-Identifier: Apache-2.0 */
/* Adding an unresolved package to the resolve (wit-parser's Remap::append):
 * mapping foreign items to packages already added, copying types,
 * interfaces and worlds with feature gates applied, implicit `own<T>`
 * handles, world includes and world elaboration. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "vec.h"
#include "wit_append.h"

static bool map_id(Remap *m, WgWitId *map, WgWitId id, const char *desc,
                   WgSpan span, WgWitId *out, const char *suffix) {
  if (map[id] == WG_WIT_NONE) {
    wit_error(m->r, &span,
              "found a reference to a %s which is excluded due to its "
              "feature not being activated%s",
              desc, suffix ? suffix : "");
    return false;
  }
  *out = map[id];
  return true;
}

static bool map_type(Remap *m, WgWitId id, WgSpan span, WgWitId *out) {
  return map_id(m, m->types, id, "type", span, out, NULL);
}

static bool map_iface(Remap *m, WgWitId id, WgSpan span, WgWitId *out) {
  return map_id(m, m->ifaces, id, "interface", span, out, NULL);
}

bool wa_map_world(Remap *m, WgWitId id, WgSpan span, WgWitId *out) {
  return map_id(m, m->worlds, id, "world", span, out, NULL);
}

static bool include(Remap *m, const WgWitStability *s, WgSpan span, bool *on) {
  bool ok;
  *on = wit_include_stability(m->r, s, m->pkg, span, &ok);
  return ok;
}

static WgWitTypeDef *gtype(Remap *m, WgWitId id) {
  return &m->r->types.items[id];
}

static bool update_type_id(Remap *m, WgWitId *id, WgSpan span) {
  return map_type(m, *id, span, id);
}

static bool update_ty(Remap *m, WgWitType *ty, WgSpan span) {
  if (!WG_WIT_TYPE_IS_ID(*ty)) return true;
  WgWitId id = WG_WIT_TYPE_ID(*ty);
  TRY(update_type_id(m, &id, span));
  WgWitId cur = id;
  bool res = false;
  for (;;) {
    WgWitTypeDef *t = gtype(m, cur);
    if (t->kind == WG_WIT_KIND_TYPE && WG_WIT_TYPE_IS_ID(t->a)) {
      cur = WG_WIT_TYPE_ID(t->a);
      continue;
    }
    res = t->kind == WG_WIT_KIND_RESOURCE;
    break;
  }
  if (res) {
    WgWitId h = WG_WIT_NONE;
    for (size_t i = 0; i < m->own.count; i++)
      if (m->own.items[i].resource == id) h = m->own.items[i].handle;
    if (h == WG_WIT_NONE) {
      WgWitTypeDef t;
      memset(&t, 0, sizeof t);
      t.kind = WG_WIT_KIND_HANDLE_OWN;
      t.resource = id;
      t.owner = WG_WIT_NONE;
      t.span = span;
      TRY(WIT_PUSH(m->arena, &m->r->types, t));
      h = (WgWitId)(m->r->types.count - 1);
      OwnHandle oh = { id, h };
      TRY(WIT_PUSH(m->arena, &m->own, oh));
    }
    id = h;
  }
  *ty = WG_WIT_TYPE_OF(id);
  return true;
}

static bool update_typedef(Remap *m, WgWitTypeDef *t, WgSpan span) {
  switch (t->kind) {
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW:
      return update_type_id(m, &t->resource, span);
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
      for (size_t i = 0; i < t->cases.count; i++) {
        WgWitCase *c = &t->cases.items[i];
        if (c->has_type)
          TRY(update_ty(m, &c->type,
                        t->kind == WG_WIT_KIND_RECORD ? c->span : span));
      }
      return true;
    case WG_WIT_KIND_TUPLE:
      for (size_t i = 0; i < t->types.count; i++)
        TRY(update_ty(m, &t->types.items[i], span));
      return true;
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_FIXED_LIST:
      return update_ty(m, &t->a, span);
    case WG_WIT_KIND_FUTURE:
    case WG_WIT_KIND_STREAM:
      return t->has_a ? update_ty(m, &t->a, span) : true;
    case WG_WIT_KIND_MAP:
      TRY(update_ty(m, &t->a, span));
      return update_ty(m, &t->b, span);
    case WG_WIT_KIND_RESULT:
      if (t->has_a) TRY(update_ty(m, &t->a, span));
      if (t->has_b) TRY(update_ty(m, &t->b, span));
      return true;
    case WG_WIT_KIND_TYPE:
      if (WG_WIT_TYPE_IS_ID(t->a)) {
        WgWitId id = WG_WIT_TYPE_ID(t->a);
        TRY(update_type_id(m, &id, span));
        t->a = WG_WIT_TYPE_OF(id);
      }
      return true;
    default:
      return true;
  }
}

static bool type_has_borrow(Remap *m, WgWitType ty);

static bool typedef_has_borrow(Remap *m, const WgWitTypeDef *t) {
  switch (t->kind) {
    case WG_WIT_KIND_TYPE:
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_FIXED_LIST:
    case WG_WIT_KIND_OPTION:
      return type_has_borrow(m, t->a);
    case WG_WIT_KIND_FUTURE:
    case WG_WIT_KIND_STREAM:
      return t->has_a && type_has_borrow(m, t->a);
    case WG_WIT_KIND_MAP:
      return type_has_borrow(m, t->a) || type_has_borrow(m, t->b);
    case WG_WIT_KIND_RESULT:
      return (t->has_a && type_has_borrow(m, t->a)) ||
             (t->has_b && type_has_borrow(m, t->b));
    case WG_WIT_KIND_HANDLE_BORROW:
      return true;
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
      for (size_t i = 0; i < t->cases.count; i++)
        if (t->cases.items[i].has_type &&
            type_has_borrow(m, t->cases.items[i].type))
          return true;
      return false;
    case WG_WIT_KIND_TUPLE:
      for (size_t i = 0; i < t->types.count; i++)
        if (type_has_borrow(m, t->types.items[i])) return true;
      return false;
    default:
      return false;
  }
}

static bool type_has_borrow(Remap *m, WgWitType ty) {
  if (!WG_WIT_TYPE_IS_ID(ty)) return false;
  WgWitId id = WG_WIT_TYPE_ID(ty);
  if (id >= m->has_borrow_len) {
    size_t n = m->r->types.count + 16;
    int8_t *nb = realloc(m->has_borrow, n);
    if (!nb) return false;
    memset(nb + m->has_borrow_len, -1, n - m->has_borrow_len);
    m->has_borrow = nb;
    m->has_borrow_len = n;
  }
  if (m->has_borrow[id] >= 0) return m->has_borrow[id];
  m->has_borrow[id] = 0; /* types are acyclic; guards malformed input */
  bool b = typedef_has_borrow(m, gtype(m, id));
  m->has_borrow[id] = b;
  return b;
}

static bool update_function(Remap *m, WgWitFunction *f, WgSpan span) {
  if (f->kind != WG_WIT_FUNC_FREESTANDING &&
      f->kind != WG_WIT_FUNC_ASYNC_FREESTANDING)
    TRY(update_type_id(m, &f->resource, span));
  WgWitParam *np = wg_arena_alloc(m->arena, (f->params.count + 1) * sizeof *np);
  TRY(np);
  if (f->params.count)
    memcpy(np, f->params.items, f->params.count * sizeof *np);
  f->params.items = np;
  f->params.cap = f->params.count;
  for (size_t i = 0; i < f->params.count; i++)
    TRY(update_ty(m, &f->params.items[i].type, span));
  if (f->has_result) TRY(update_ty(m, &f->result, span));
  if (f->has_result && type_has_borrow(m, f->result)) {
    wit_error(m->r, &span,
              "function `%.*s` returns a type which contains a `borrow<T>` "
              "which is not supported",
              (int)f->name.len, f->name.ptr);
    return false;
  }
  return true;
}

/* ---- foreign items ---- */

static WgWitId find_package(WgWitResolve *r, const WgWitPackageName *n) {
  for (size_t i = 0; i < r->packages.count; i++)
    if (wit_pkgname_eq(&r->packages.items[i].name, n)) return (WgWitId)i;
  return WG_WIT_NONE;
}

static WgWitId name_map_get(const WgWitNameMap *m, WgStr name) {
  for (size_t i = 0; i < m->count; i++)
    if (wg_str_eq(m->items[i].name, name)) return m->items[i].id;
  return WG_WIT_NONE;
}

static bool package_not_found(Remap *m, const WitForeignDep *d) {
  const char *name = wit_pkgname_str(m->arena, &d->name);
  /* list known packages as a hint */
  size_t known = m->r->packages.count;
  if (known == 0) {
    wit_error(m->r, &d->span, "package '%s' not found. no known packages.",
              name);
  } else {
    char buf[512] = "";
    size_t len = 0;
    for (size_t i = 0; i < known && len < sizeof buf - 80; i++) {
      const char *k = wit_pkgname_str(m->arena, &m->r->packages.items[i].name);
      len += (size_t)snprintf(buf + len, sizeof buf - len, "\n    %s", k);
    }
    wit_error(m->r, &d->span, "package '%s' not found. known packages:%s", name,
              buf);
  }
  return false;
}

/* The foreign item whose local id among the interfaces (or worlds) is
 * `id`, and in `*dep` the package it is from. */
static const WitForeignItem *foreign_item(const WitUPkg *u, bool is_world,
                                          size_t id,
                                          const WitForeignDep **dep) {
  const WitForeignItem *it = NULL;
  for (size_t i = 0; i < u->foreign_deps.count && !it; i++)
    for (size_t j = 0; j < u->foreign_deps.items[i].items.count; j++) {
      const WitForeignItem *x = &u->foreign_deps.items[i].items.items[j];
      if (x->is_world == is_world && x->id == id) {
        *dep = &u->foreign_deps.items[i];
        it = x;
      }
    }
  return it;
}

/* Maps the `count` foreign interfaces (or worlds), the first ones of
 * their kind, to those of the packages added before, in id order; one
 * gated off by all its uses maps to WG_WIT_NONE. */
static bool map_foreign_items(Remap *m, bool is_world, size_t count) {
  WitUPkg *u = m->u;
  WgWitId *map = is_world ? m->worlds : m->ifaces;
  for (size_t id = 0; id < count; id++) {
    const WitForeignDep *d = NULL;
    const WitForeignItem *it = foreign_item(u, is_world, id, &d);
    if (!it) return false;
    WgWitId pid = find_package(m->r, &d->name);
    if (pid == WG_WIT_NONE) return package_not_found(m, d);
    WgSpan span =
        is_world ? u->worlds.items[id].span : u->interfaces.items[id].span;
    bool enabled = false;
    for (size_t k = 0; k < it->stabilities.count && !enabled; k++)
      TRY(include(m, &it->stabilities.items[k], span, &enabled));
    if (!enabled) {
      map[id] = WG_WIT_NONE;
      continue;
    }
    const WgWitPackage *pkg = &m->r->packages.items[pid];
    WgWitId gid =
        name_map_get(is_world ? &pkg->worlds : &pkg->interfaces, it->name);
    if (gid == WG_WIT_NONE) {
      wit_error(m->r, &span, "%s '%.*s' not found in package '%s'",
                is_world ? "world" : "interface", (int)it->name.len,
                it->name.ptr, wit_pkgname_str(m->arena, &d->name));
      return false;
    }
    map[id] = gid;
  }
  return true;
}

/* Maps the foreign types (the leading ones of kind UNKNOWN, named by
 * `use`) to the types of their interfaces; `*n_types` gets their count. */
static bool map_foreign_types(Remap *m, size_t *n_types) {
  WitUPkg *u = m->u;
  size_t nt = 0;
  for (; nt < u->types.count; nt++) {
    WgWitTypeDef *t = &u->types.items[nt];
    if (t->kind != WG_WIT_KIND_UNKNOWN) break;
    bool on;
    TRY(include(m, &t->stability, t->span, &on));
    if (!on) {
      m->types[nt] = WG_WIT_NONE;
      continue;
    }
    WgWitId gi;
    TRY(map_iface(m, t->owner, t->span, &gi));
    WgWitId gt = name_map_get(&m->r->interfaces.items[gi].types, t->name);
    if (gt == WG_WIT_NONE) {
      wit_error(m->r, &t->span, "type `%.*s` not defined in interface",
                (int)t->name.len, t->name.ptr);
      return false;
    }
    m->types[nt] = gt;
  }
  *n_types = nt;
  return true;
}

/* Foreign types used in handles (`own<t>`, `borrow<t>`) must be
 * resources once their aliases are followed. */
static bool check_required_resources(Remap *m) {
  WitUPkg *u = m->u;
  for (size_t i = 0; i < u->required_resources.count; i++) {
    WitRequiredResource *rr = &u->required_resources.items[i];
    WgWitId id = m->types[rr->id];
    if (id == WG_WIT_NONE) continue;
    for (;;) {
      WgWitTypeDef *t = gtype(m, id);
      if (t->kind == WG_WIT_KIND_TYPE && WG_WIT_TYPE_IS_ID(t->a)) {
        id = WG_WIT_TYPE_ID(t->a);
        continue;
      }
      if (t->kind == WG_WIT_KIND_RESOURCE) break;
      wit_error(m->r, &rr->span, "type used in a handle must be a resource");
      return false;
    }
  }
  return true;
}

/* Maps the foreign interfaces, worlds and types of the package (allocated
 * first, so they are the first `*n_ifaces`, `*n_worlds` and `*n_types`
 * ids) to items of packages added before. */
static bool process_foreign(Remap *m, size_t *n_ifaces, size_t *n_worlds,
                            size_t *n_types) {
  WitUPkg *u = m->u;
  size_t fi = 0, fw = 0;
  for (size_t i = 0; i < u->foreign_deps.count; i++) {
    WitForeignDep *d = &u->foreign_deps.items[i];
    for (size_t j = 0; j < d->items.count; j++) {
      if (d->items.items[j].is_world)
        fw++;
      else
        fi++;
    }
  }
  TRY(map_foreign_items(m, false, fi));
  TRY(map_foreign_items(m, true, fw));
  TRY(map_foreign_types(m, n_types));
  TRY(check_required_resources(m));
  *n_ifaces = fi;
  *n_worlds = fw;
  return true;
}

static bool update_world(Remap *m, WgWitWorld *w) {
  WgWitWorldItems src[2] = { w->imports, w->exports };
  w->imports = (WgWitWorldItems){ 0 };
  w->exports = (WgWitWorldItems){ 0 };
  for (int side = 0; side < 2; side++) {
    for (size_t i = 0; i < src[side].count; i++) {
      WgWitWorldEntry e = src[side].items[i];
      WgSpan span = e.span;
      if (e.kind == WG_WIT_ITEM_TYPE) TRY(map_type(m, e.id, span, &e.id));
      const WgWitStability *st =
          e.kind == WG_WIT_ITEM_TYPE       ? &m->r->types.items[e.id].stability
          : e.kind == WG_WIT_ITEM_FUNCTION ? &e.func.stability
                                           : &e.stability;
      bool on;
      TRY(include(m, st, span, &on));
      if (!on) continue;
      if (e.key_is_interface)
        TRY(map_iface(m, e.key_iface, span, &e.key_iface));
      if (e.kind == WG_WIT_ITEM_INTERFACE) TRY(map_iface(m, e.id, span, &e.id));
      if (e.kind == WG_WIT_ITEM_FUNCTION)
        TRY(update_function(m, &e.func, span));
      TRY(WIT_PUSH(m->arena, side ? &w->exports : &w->imports, e));
    }
  }
  return true;
}

/* Copies the package's own types (after the `ft` foreign ones) with
 * their references mapped; gated-off ones map to WG_WIT_NONE. */
static bool append_types(Remap *m, size_t ft) {
  WitUPkg *u = m->u;
  for (size_t i = ft; i < u->types.count; i++) {
    WgWitTypeDef t = u->types.items[i];
    bool on;
    TRY(include(m, &t.stability, t.span, &on));
    if (!on) {
      m->types[i] = WG_WIT_NONE;
      continue;
    }
    TRY(update_typedef(m, &t, t.span));
    TRY(WIT_PUSH(m->arena, &m->r->types, t));
    m->types[i] = (WgWitId)(m->r->types.count - 1);
  }
  return true;
}

/* Copies the package's own interfaces (after the `fi` foreign ones),
 * keeping only their enabled types and functions, mapped. */
static bool append_interfaces(Remap *m, size_t fi) {
  WitUPkg *u = m->u;
  for (size_t i = fi; i < u->interfaces.count; i++) {
    WgWitInterface ifc = u->interfaces.items[i];
    bool on;
    TRY(include(m, &ifc.stability, ifc.span, &on));
    if (!on) {
      m->ifaces[i] = WG_WIT_NONE;
      continue;
    }
    ifc.package = m->pkg;
    WgWitNameMap types = { 0 };
    TRY(WIT_RESERVE(m->arena, &types, ifc.types.count));
    for (size_t k = 0; k < ifc.types.count; k++) {
      WgWitNamedId ni = ifc.types.items[k];
      if (m->types[ni.id] == WG_WIT_NONE) continue;
      ni.id = m->types[ni.id];
      TRY(WIT_PUSH(m->arena, &types, ni));
    }
    ifc.types = types;
    WgWitFunctionList funcs = { 0 };
    TRY(WIT_RESERVE(m->arena, &funcs, ifc.functions.count));
    for (size_t k = 0; k < ifc.functions.count; k++) {
      WgWitFunction f = ifc.functions.items[k];
      TRY(include(m, &f.stability, f.span, &on));
      if (!on) continue;
      TRY(update_function(m, &f, f.span));
      TRY(WIT_PUSH(m->arena, &funcs, f));
    }
    ifc.functions = funcs;
    TRY(WIT_PUSH(m->arena, &m->r->interfaces, ifc));
    m->ifaces[i] = (WgWitId)(m->r->interfaces.count - 1);
  }
  return true;
}

/* Maps the owner of each copied type owned by an interface (or a world,
 * `of_world`); an owner gated off while the type is not is an error. */
static bool map_type_owners(Remap *m, size_t ft, bool of_world) {
  WgWitOwnerKind kind = of_world ? WG_WIT_OWNER_WORLD : WG_WIT_OWNER_INTERFACE;
  for (size_t i = ft; i < m->u->types.count; i++) {
    if (m->types[i] == WG_WIT_NONE) continue;
    WgWitTypeDef *t = &m->r->types.items[m->types[i]];
    if (t->owner_kind != kind) continue;
    if (of_world)
      TRY(map_id(m, m->worlds, t->owner, "world", t->span, &t->owner,
                 "; this type is not gated by a feature but its world is"));
    else
      TRY(map_id(m, m->ifaces, t->owner, "interface", t->span, &t->owner,
                 "; this type is not gated by a feature but its interface is"));
  }
  return true;
}

/* Copies the package's own worlds (after the `fw` foreign ones) with their
 * enabled items mapped. */
static bool append_worlds(Remap *m, size_t fw) {
  WitUPkg *u = m->u;
  for (size_t i = fw; i < u->worlds.count; i++) {
    WgWitWorld w = u->worlds.items[i];
    bool on;
    TRY(include(m, &w.stability, w.span, &on));
    if (!on) {
      m->worlds[i] = WG_WIT_NONE;
      continue;
    }
    TRY(update_world(m, &w));
    TRY(WIT_PUSH(m->arena, &m->r->worlds, w));
    m->worlds[i] = (WgWitId)(m->r->worlds.count - 1);
  }
  return true;
}

/* Completes each copied world (wit_world.c): its enabled includes, the
 * case-insensitive name check, then elaboration. */
static bool complete_worlds(Remap *m, size_t fw) {
  WgWitResolve *r = m->r;
  for (size_t i = fw; i < m->u->worlds.count; i++) {
    WgWitId wid = m->worlds[i];
    if (wid == WG_WIT_NONE) continue;
    r->worlds.items[wid].package = m->pkg; /* needed by include checks */
    WgWitWorld *w = &r->worlds.items[wid];
    size_t ninc = w->includes.count;
    WgWitInclude *incs = w->includes.items;
    memset(&w->includes, 0, sizeof w->includes);
    for (size_t k = 0; k < ninc; k++) {
      bool on;
      TRY(include(m, &incs[k].stability, incs[k].span, &on));
      if (!on) continue;
      TRY(wa_resolve_include(m, wid, &incs[k]));
    }
    TRY(wa_check_case_names(m, wid));
    TRY(wa_elaborate_world(m, wid));
  }
  return true;
}

/* Sets the package of the copied interfaces and worlds and lists the named
 * ones in it. */
static bool register_items(Remap *m, size_t fi, size_t fw) {
  WgWitResolve *r = m->r;
  WgWitPackage *pkg = &r->packages.items[m->pkg];
  for (size_t i = fi; i < m->u->interfaces.count; i++) {
    WgWitId id = m->ifaces[i];
    if (id == WG_WIT_NONE) continue;
    r->interfaces.items[id].package = m->pkg;
    if (r->interfaces.items[id].name.ptr) {
      WgWitNamedId ni = { r->interfaces.items[id].name, id };
      TRY(WIT_PUSH(m->arena, &pkg->interfaces, ni));
    }
  }
  for (size_t i = fw; i < m->u->worlds.count; i++) {
    WgWitId id = m->worlds[i];
    if (id == WG_WIT_NONE) continue;
    r->worlds.items[id].package = m->pkg;
    WgWitNamedId ni = { r->worlds.items[id].name, id };
    TRY(WIT_PUSH(m->arena, &pkg->worlds, ni));
  }
  return true;
}

/* Adds `u` as a new package: foreign items mapped to earlier packages,
 * then its own types, interfaces and worlds copied with feature gates
 * applied, in wit-parser's order (which decides the ids and which error
 * is found first). */
bool wit_append(WgWitResolve *r, WitUPkg *u, WgWitId *out_pkg) {
  Remap m;
  memset(&m, 0, sizeof m);
  m.r = r;
  m.arena = &wit_internal(r)->arena;
  m.u = u;
  WgWitPackage p;
  memset(&p, 0, sizeof p);
  p.name = u->name;
  p.docs = u->docs;
  TRY(WIT_PUSH(m.arena, &r->packages, p));
  m.pkg = (WgWitId)(r->packages.count - 1);
  m.types = wg_arena_alloc(m.arena, (u->types.count + 1) * sizeof(WgWitId));
  m.ifaces =
      wg_arena_alloc(m.arena, (u->interfaces.count + 1) * sizeof(WgWitId));
  m.worlds = wg_arena_alloc(m.arena, (u->worlds.count + 1) * sizeof(WgWitId));
  TRY(m.types && m.ifaces && m.worlds);
  size_t fi = 0, fw = 0, ft = 0;
  bool ok = process_foreign(&m, &fi, &fw, &ft) &&
            WIT_RESERVE(m.arena, &r->types, u->types.count - ft) &&
            WIT_RESERVE(m.arena, &r->interfaces, u->interfaces.count - fi) &&
            WIT_RESERVE(m.arena, &r->worlds, u->worlds.count - fw) &&
            append_types(&m, ft) && append_interfaces(&m, fi) &&
            map_type_owners(&m, ft, false) && append_worlds(&m, fw) &&
            map_type_owners(&m, ft, true) && complete_worlds(&m, fw) &&
            register_items(&m, fi, fw);
  if (ok) *out_pkg = m.pkg;
  free(m.has_borrow);
  return ok;
}
