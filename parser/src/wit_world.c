/* SPDX-License-Identifier: Apache-2.0 */
/* Worlds while a package is added: `include` (wit-parser's resolve_include
 * and Cloner) and elaboration (elaborate_world: implicit imports of the
 * interfaces that imported/exported ones use, import/export clashes). */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "vec.h"
#include "wit_append.h"

/* ---- cloning for `include` (wit-parser's Cloner) ---- */

typedef struct IdPair {
  WgWitId from, to;
} IdPair;

typedef struct Cloner {
  Remap *m;
  WG_WIT_ARRAY(IdPair) types;
  WG_WIT_ARRAY(IdPair) ifaces;
  WgWitOwnerKind prev_kind, new_kind;
  WgWitId prev_owner, new_owner;
} Cloner;

static WgWitId pair_get(const IdPair *items, size_t n, WgWitId from) {
  for (size_t i = 0; i < n; i++)
    if (items[i].from == from) return items[i].to;
  return WG_WIT_NONE;
}

static bool clone_type_id(Cloner *c, WgWitId *id);

static bool clone_ty(Cloner *c, WgWitType *t) {
  if (!WG_WIT_TYPE_IS_ID(*t)) return true;
  WgWitId id = WG_WIT_TYPE_ID(*t);
  TRY(clone_type_id(c, &id));
  *t = WG_WIT_TYPE_OF(id);
  return true;
}

static bool clone_type_def(Cloner *c, WgWitTypeDef *d) {
  WgArena *arena = c->m->arena;
  if (d->owner_kind != WG_WIT_OWNER_NONE) {
    d->owner_kind = c->new_kind;
    d->owner = c->new_owner;
  }
  switch (d->kind) {
    case WG_WIT_KIND_TYPE:
      if (WG_WIT_TYPE_IS_ID(d->a)) {
        WgWitId id = WG_WIT_TYPE_ID(d->a);
        WgWitTypeDef *t = &c->m->r->types.items[id];
        if (t->owner_kind == c->prev_kind && t->owner == c->prev_owner) {
          TRY(clone_type_id(c, &id));
        } else {
          WgWitId n = pair_get(c->types.items, c->types.count, id);
          if (n != WG_WIT_NONE) id = n;
        }
        d->a = WG_WIT_TYPE_OF(id);
      }
      return true;
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW:
      return clone_type_id(c, &d->resource);
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_FIXED_LIST:
      return clone_ty(c, &d->a);
    case WG_WIT_KIND_MAP:
      TRY(clone_ty(c, &d->a));
      return clone_ty(c, &d->b);
    case WG_WIT_KIND_TUPLE: {
      WgWitType *nt = wg_arena_alloc(arena, (d->types.count + 1) * sizeof *nt);
      TRY(nt);
      if (d->types.count)
        memcpy(nt, d->types.items, d->types.count * sizeof *nt);
      d->types.items = nt;
      d->types.cap = d->types.count;
      for (size_t i = 0; i < d->types.count; i++)
        TRY(clone_ty(c, &d->types.items[i]));
      return true;
    }
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT: {
      WgWitCase *nc = wg_arena_alloc(arena, (d->cases.count + 1) * sizeof *nc);
      TRY(nc);
      if (d->cases.count)
        memcpy(nc, d->cases.items, d->cases.count * sizeof *nc);
      d->cases.items = nc;
      d->cases.cap = d->cases.count;
      for (size_t i = 0; i < d->cases.count; i++)
        if (d->cases.items[i].has_type)
          TRY(clone_ty(c, &d->cases.items[i].type));
      return true;
    }
    case WG_WIT_KIND_RESULT:
    case WG_WIT_KIND_FUTURE:
    case WG_WIT_KIND_STREAM:
      if (d->has_a) TRY(clone_ty(c, &d->a));
      if (d->has_b) TRY(clone_ty(c, &d->b));
      return true;
    default:
      return true;
  }
}

static bool clone_type_id(Cloner *c, WgWitId *id) {
  WgWitId n = pair_get(c->types.items, c->types.count, *id);
  if (n == WG_WIT_NONE) {
    WgWitTypeDef d = c->m->r->types.items[*id];
    TRY(clone_type_def(c, &d));
    TRY(WIT_PUSH(c->m->arena, &c->m->r->types, d));
    n = (WgWitId)(c->m->r->types.count - 1);
    IdPair p = { *id, n };
    TRY(WIT_PUSH(c->m->arena, &c->types, p));
  }
  *id = n;
  return true;
}

static bool clone_function(Cloner *c, WgWitFunction *f) {
  if (f->kind != WG_WIT_FUNC_FREESTANDING &&
      f->kind != WG_WIT_FUNC_ASYNC_FREESTANDING)
    TRY(clone_type_id(c, &f->resource));
  WgWitParam *np =
      wg_arena_alloc(c->m->arena, (f->params.count + 1) * sizeof *np);
  TRY(np);
  if (f->params.count)
    memcpy(np, f->params.items, f->params.count * sizeof *np);
  f->params.items = np;
  f->params.cap = f->params.count;
  for (size_t i = 0; i < f->params.count; i++)
    TRY(clone_ty(c, &f->params.items[i].type));
  if (f->has_result) TRY(clone_ty(c, &f->result));
  return true;
}

static bool clone_interface(Cloner *c, WgWitId *id) {
  WgWitResolve *r = c->m->r;
  WgWitId old = *id;
  WgWitInterface ni = r->interfaces.items[old];
  WgWitId next = (WgWitId)r->interfaces.count;
  Cloner sub = *c;
  sub.prev_kind = WG_WIT_OWNER_INTERFACE;
  sub.prev_owner = old;
  sub.new_kind = WG_WIT_OWNER_INTERFACE;
  sub.new_owner = next;
  WgWitNamedId *nt =
      wg_arena_alloc(c->m->arena, (ni.types.count + 1) * sizeof *nt);
  WgWitFunction *nf =
      wg_arena_alloc(c->m->arena, (ni.functions.count + 1) * sizeof *nf);
  TRY(nt && nf);
  if (ni.types.count) memcpy(nt, ni.types.items, ni.types.count * sizeof *nt);
  if (ni.functions.count)
    memcpy(nf, ni.functions.items, ni.functions.count * sizeof *nf);
  ni.types.items = nt;
  ni.types.cap = ni.types.count;
  ni.functions.items = nf;
  ni.functions.cap = ni.functions.count;
  for (size_t i = 0; i < ni.types.count; i++)
    TRY(clone_type_id(&sub, &ni.types.items[i].id));
  for (size_t i = 0; i < ni.functions.count; i++)
    TRY(clone_function(&sub, &ni.functions.items[i]));
  c->types = sub.types;
  c->ifaces = sub.ifaces;
  ni.package = c->m->pkg;
  ni.clone_of = old;
  TRY(WIT_PUSH(c->m->arena, &r->interfaces, ni));
  *id = (WgWitId)(r->interfaces.count - 1);
  IdPair p = { old, *id };
  return WIT_PUSH(c->m->arena, &c->ifaces, p);
}

static bool clone_world_item(Cloner *c, WgWitWorldEntry *e) {
  if (e->key_is_interface) return true;
  switch (e->kind) {
    case WG_WIT_ITEM_TYPE:
      return clone_type_id(c, &e->id);
    case WG_WIT_ITEM_FUNCTION:
      return clone_function(c, &e->func);
    case WG_WIT_ITEM_INTERFACE:
      if (c->m->r->interfaces.items[e->id].name.ptr) return true;
      return clone_interface(c, &e->id);
  }
  return true;
}

/* ---- worlds ---- */

static WgWitWorldEntry *entry_find(WgWitWorldItems *items, bool is_iface,
                                   WgStr name, WgWitId iface) {
  for (size_t i = 0; i < items->count; i++) {
    WgWitWorldEntry *e = &items->items[i];
    if (e->key_is_interface != is_iface) continue;
    if (is_iface ? e->key_iface == iface : wg_str_eq(e->key_name, name))
      return e;
  }
  return NULL;
}

/* wit-parser's include rename: exact name, or `[kind]name...` forms. */
static bool rename_item(WgArena *arena, WgStr orig, const WgWitIncludeName *in,
                        WgStr *out) {
  if (wg_str_eq(orig, in->name)) {
    *out = in->as;
    return true;
  }
  const char *rb = memchr(orig.ptr, ']', orig.len);
  if (!rb) return false;
  size_t klen = (size_t)(rb - orig.ptr);
  WgStr rest = { rb + 1, orig.len - klen - 1 };
  const char *dot = memchr(rest.ptr, '.', rest.len);
  if (dot) {
    WgStr nm = { rest.ptr, (size_t)(dot - rest.ptr) };
    if (wg_str_eq(nm, in->name)) {
      char *s = wg_arena_printf(arena, "%.*s]%.*s.%.*s", (int)klen, orig.ptr,
                                (int)in->as.len, in->as.ptr,
                                (int)(rest.len - nm.len - 1), dot + 1);
      *out = (WgStr){ s, s ? strlen(s) : 0 };
      return s != NULL;
    }
  }
  if (wg_str_eq(rest, in->name)) {
    char *s = wg_arena_printf(arena, "%.*s]%.*s", (int)klen, orig.ptr,
                              (int)in->as.len, in->as.ptr);
    *out = (WgStr){ s, s ? strlen(s) : 0 };
    return s != NULL;
  }
  return false;
}

static bool update_stability(Remap *m, const WgWitStability *from,
                             WgWitStability *into, WgSpan span) {
  if (wit_stability_eq(from, into) || from->kind == WG_WIT_STABILITY_UNKNOWN)
    return true;
  if (into->kind == WG_WIT_STABILITY_UNKNOWN) {
    *into = *from;
    return true;
  }
  wit_error(m->r, &span, "mismatch in stability from '%s' to '%s'",
            from->kind == WG_WIT_STABILITY_STABLE ? "stable" : "unstable",
            into->kind == WG_WIT_STABILITY_STABLE ? "stable" : "unstable");
  return false;
}

bool wa_resolve_include(Remap *m, WgWitId wid, const WgWitInclude *inc) {
  WgWitResolve *r = m->r;
  WgWitId inc_id;
  TRY(wa_map_world(m, inc->world, inc->span, &inc_id));
  WgWitWorld incw = r->worlds.items[inc_id];
  bool external = r->worlds.items[wid].package != incw.package;
  /* every `with` name must match an item */
  for (size_t k = 0; k < inc->names.count; k++) {
    bool found = false;
    for (int side = 0; side < 2 && !found; side++) {
      WgWitWorldItems *items = side ? &incw.exports : &incw.imports;
      for (size_t i = 0; i < items->count && !found; i++) {
        WgStr tmp;
        if (!items->items[i].key_is_interface &&
            rename_item(m->arena, items->items[i].key_name,
                        &inc->names.items[k], &tmp))
          found = true;
      }
    }
    if (!found) {
      wit_error(r, &inc->span,
                "no import or export kebab-name `%.*s`. Note that an ID "
                "does not support renaming",
                (int)inc->names.items[k].name.len,
                inc->names.items[k].name.ptr);
      return false;
    }
  }
  Cloner c;
  memset(&c, 0, sizeof c);
  c.m = m;
  c.prev_kind = WG_WIT_OWNER_WORLD;
  c.prev_owner = inc_id;
  c.new_kind = WG_WIT_OWNER_WORLD;
  c.new_owner = wid;
  for (int side = 0; side < 2; side++) {
    WgWitWorldItems *src = side ? &incw.exports : &incw.imports;
    const char *desc = side ? "export" : "import";
    for (size_t i = 0; i < src->count; i++) {
      WgWitWorldEntry e = src->items[i];
      WgWitWorldItems *dst =
          side ? &r->worlds.items[wid].exports : &r->worlds.items[wid].imports;
      if (!e.key_is_interface) {
        WgStr n = e.key_name;
        for (size_t k = 0; k < inc->names.count; k++)
          if (rename_item(m->arena, e.key_name, &inc->names.items[k], &n))
            break;
        TRY(clone_world_item(&c, &e));
        e.key_name = n;
        if (e.kind == WG_WIT_ITEM_FUNCTION) e.func.name = n;
        if (e.kind == WG_WIT_ITEM_TYPE) r->types.items[e.id].name = n;
        dst = side ? &r->worlds.items[wid].exports
                   : &r->worlds.items[wid].imports;
        if (entry_find(dst, false, n, 0)) {
          wit_error(r, &inc->span, "%s of `%.*s` shadows previously %sed items",
                    desc, (int)n.len, n.ptr, desc);
          return false;
        }
        TRY(WIT_PUSH(m->arena, dst, e));
      } else {
        WgWitWorldEntry *prev =
            entry_find(dst, true, (WgStr){ 0 }, e.key_iface);
        if (!prev) {
          TRY(WIT_PUSH(m->arena, dst, e));
          prev = &wg_vec_last(dst);
          /* merge against the freshly inserted copy, as wit-parser does */
        }
        if (external && e.stability.kind == WG_WIT_STABILITY_STABLE) {
          memset(&prev->stability, 0, sizeof prev->stability);
        } else {
          TRY(update_stability(m, &e.stability, &prev->stability, e.span));
        }
      }
    }
  }
  return true;
}

static int sort_key(WgWitResolve *r, const WgWitWorldEntry *e) {
  switch (e->kind) {
    case WG_WIT_ITEM_INTERFACE:
      return 0;
    case WG_WIT_ITEM_TYPE: {
      const WgWitTypeDef *t = &r->types.items[e->id];
      if (t->kind == WG_WIT_KIND_TYPE && WG_WIT_TYPE_IS_ID(t->a)) {
        const WgWitTypeDef *o = &r->types.items[WG_WIT_TYPE_ID(t->a)];
        if (o->owner_kind != t->owner_kind || o->owner != t->owner) return 1;
      }
      return 2;
    }
    case WG_WIT_ITEM_FUNCTION:
      return (e->func.kind == WG_WIT_FUNC_FREESTANDING ||
              e->func.kind == WG_WIT_FUNC_ASYNC_FREESTANDING)
                 ? 3
                 : 4;
  }
  return 0;
}

static bool stable_sort(WgWitResolve *r, WgWitWorldItems *items) {
  size_t n = items->count;
  if (n < 2) return true;
  WgWitWorldEntry *tmp = malloc(n * sizeof *tmp);
  if (!tmp) return false;
  size_t k = 0;
  for (int key = 0; key <= 4; key++)
    for (size_t i = 0; i < n; i++)
      if (sort_key(r, &items->items[i]) == key) tmp[k++] = items->items[i];
  memcpy(items->items, tmp, n * sizeof *tmp);
  free(tmp);
  return true;
}

/* The interface a `use`-alias type reaches in another owner, if any. */
static WgWitId type_iface_dep(WgWitResolve *r, WgWitId id) {
  const WgWitTypeDef *t = &r->types.items[id];
  if (t->kind != WG_WIT_KIND_TYPE || !WG_WIT_TYPE_IS_ID(t->a))
    return WG_WIT_NONE;
  const WgWitTypeDef *o = &r->types.items[WG_WIT_TYPE_ID(t->a)];
  if (o->owner_kind == t->owner_kind && o->owner == t->owner)
    return WG_WIT_NONE;
  return o->owner_kind == WG_WIT_OWNER_INTERFACE ? o->owner : WG_WIT_NONE;
}

static bool elaborate_import(Remap *m, WgWitWorldItems *imports, bool key_iface,
                             WgStr name, WgWitId id, const WgWitStability *st,
                             WgWitDocs docs, WgStr ext, int depth) {
  WgWitResolve *r = m->r;
  if (entry_find(imports, key_iface, name, id)) return true;
  if (depth > 1000) return false;
  const WgWitInterface *ifc = &r->interfaces.items[id];
  for (size_t i = 0; i < ifc->types.count; i++) {
    WgWitId dep = type_iface_dep(r, ifc->types.items[i].id);
    if (dep == WG_WIT_NONE) continue;
    TRY(elaborate_import(m, imports, true, (WgStr){ 0 }, dep, st,
                         (WgWitDocs){ 0 }, (WgStr){ 0 }, depth + 1));
    ifc = &r->interfaces.items[id];
  }
  WgWitWorldEntry e;
  memset(&e, 0, sizeof e);
  e.key_is_interface = key_iface;
  e.key_name = name;
  e.key_iface = key_iface ? id : 0;
  e.kind = WG_WIT_ITEM_INTERFACE;
  e.id = id;
  e.stability = *st;
  e.docs = docs;
  e.external_id = ext;
  return WIT_PUSH(m->arena, imports, e);
}

typedef struct ExportCtx {
  Remap *m;
  WgWitWorldItems *imports, *exports, *export_ifaces;
  WG_WIT_ARRAY(WgWitId) required;
} ExportCtx;

static bool required_has(ExportCtx *x, WgWitId id) {
  for (size_t i = 0; i < x->required.count; i++)
    if (x->required.items[i] == id) return true;
  return false;
}

static bool add_world_export(ExportCtx *x, const WgWitWorldEntry *item,
                             bool add_export, bool *ok, int depth) {
  WgWitResolve *r = x->m->r;
  if (entry_find(x->exports, item->key_is_interface, item->key_name,
                 item->key_iface)) {
    *ok = add_export;
    return true;
  }
  WgWitId id = item->id;
  if (!add_export && required_has(x, id)) {
    *ok = true;
    return true;
  }
  if (depth > 1000) return false;
  const WgWitInterface *ifc = &r->interfaces.items[id];
  for (size_t i = 0; i < ifc->types.count; i++) {
    WgWitId dep = type_iface_dep(r, r->interfaces.items[id].types.items[i].id);
    if (dep == WG_WIT_NONE) continue;
    WgWitWorldEntry de;
    memset(&de, 0, sizeof de);
    de.key_is_interface = true;
    de.key_iface = dep;
    de.kind = WG_WIT_ITEM_INTERFACE;
    de.id = dep;
    de.stability = item->stability;
    de.external_id = item->external_id;
    bool sub_export =
        add_export && entry_find(x->export_ifaces, true, (WgStr){ 0 }, dep);
    bool sub_ok;
    TRY(add_world_export(x, &de, sub_export, &sub_ok, depth + 1));
    if (!sub_ok) {
      *ok = false;
      return true;
    }
  }
  if (add_export) {
    if (required_has(x, id)) {
      *ok = false;
      return true;
    }
    TRY(WIT_PUSH(x->m->arena, x->exports, *item));
  } else {
    TRY(WIT_PUSH(x->m->arena, &x->required, id));
    if (!entry_find(x->imports, item->key_is_interface, item->key_name,
                    item->key_iface))
      TRY(WIT_PUSH(x->m->arena, x->imports, *item));
  }
  *ok = true;
  return true;
}

static const char *world_key_name(WgWitResolve *r, const WgWitWorldEntry *e) {
  if (!e->key_is_interface)
    return wg_arena_printf(&wit_internal(r)->arena, "%.*s",
                           (int)e->key_name.len, e->key_name.ptr);
  return wit_iface_id_str(r, e->key_iface);
}

bool wa_elaborate_world(Remap *m, WgWitId wid) {
  WgWitResolve *r = m->r;
  WgWitWorld w = r->worlds.items[wid];
  WgWitWorldItems sorted = { 0 };
  for (size_t i = 0; i < w.imports.count; i++)
    TRY(WIT_PUSH(m->arena, &sorted, w.imports.items[i]));
  TRY(stable_sort(r, &sorted));
  WgWitWorldItems imports = { 0 }, exports = { 0 }, export_ifaces = { 0 };
  for (size_t i = 0; i < sorted.count; i++) {
    WgWitWorldEntry *e = &sorted.items[i];
    if (e->kind == WG_WIT_ITEM_INTERFACE) {
      TRY(elaborate_import(m, &imports, e->key_is_interface, e->key_name, e->id,
                           &e->stability, e->docs, e->external_id, 0));
    } else if (e->kind == WG_WIT_ITEM_FUNCTION) {
      TRY(WIT_PUSH(m->arena, &imports, *e));
    } else {
      WgWitId dep = type_iface_dep(r, e->id);
      if (dep != WG_WIT_NONE)
        TRY(elaborate_import(m, &imports, true, (WgStr){ 0 }, dep,
                             &r->types.items[e->id].stability, (WgWitDocs){ 0 },
                             (WgStr){ 0 }, 0));
      TRY(WIT_PUSH(m->arena, &imports, *e));
    }
  }
  for (size_t i = 0; i < w.exports.count; i++) {
    WgWitWorldEntry *e = &w.exports.items[i];
    if (e->kind == WG_WIT_ITEM_INTERFACE)
      TRY(WIT_PUSH(m->arena, &export_ifaces, *e));
    else
      TRY(WIT_PUSH(m->arena, &exports, *e));
  }
  ExportCtx x = { m, &imports, &exports, &export_ifaces, { 0 } };
  for (size_t i = 0; i < export_ifaces.count; i++) {
    bool ok;
    TRY(add_world_export(&x, &export_ifaces.items[i], true, &ok, 0));
    if (!ok) {
      const char *name = world_key_name(r, &export_ifaces.items[i]);
      wit_error(r, &w.span,
                "interface `%s` transitively depends on an interface in "
                "incompatible ways",
                name);
      return false;
    }
  }
  TRY(stable_sort(r, &imports));
  r->worlds.items[wid].imports = imports;
  r->worlds.items[wid].exports = exports;
  return true;
}

static char lower_c(char c) {
  return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool ci_eq(WgStr a, WgStr b) {
  if (a.len != b.len) return false;
  for (size_t i = 0; i < a.len; i++)
    if (lower_c(a.ptr[i]) != lower_c(b.ptr[i])) return false;
  return true;
}

bool wa_check_case_names(Remap *m, WgWitId wid) {
  WgWitWorld *w = &m->r->worlds.items[wid];
  for (int side = 0; side < 2; side++) {
    WgWitWorldItems *items = side ? &w->exports : &w->imports;
    for (size_t i = 0; i < items->count; i++) {
      if (items->items[i].key_is_interface) continue;
      for (size_t j = 0; j < i; j++) {
        if (items->items[j].key_is_interface) continue;
        WgStr a = items->items[i].key_name, b = items->items[j].key_name;
        if (ci_eq(a, b) && !wg_str_eq(a, b)) {
          const char *d = side ? "export" : "import";
          wit_error(m->r, &w->span,
                    "%s `%.*s` in world `%.*s` conflicts with %s `%.*s` "
                    "(kebab-case identifiers are case-insensitive)",
                    d, (int)a.len, a.ptr, (int)w->name.len, w->name.ptr, d,
                    (int)b.len, b.ptr);
          return false;
        }
      }
    }
  }
  return true;
}
