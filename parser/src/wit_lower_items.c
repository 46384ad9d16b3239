/* SPDX-License-Identifier: Apache-2.0 */
/* The package-wide passes of wit-parser's ast/resolve.rs before any body
 * is resolved: populate_foreign_deps, populate_ast_items (the names a file
 * sees, interfaces and worlds numbered in dependency order) and
 * populate_foreign_types; and `use` paths resolved to those items. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "vec.h"
#include "wit_lower.h"

static AstItem *items_find(AstItems *it, WgStr name) {
  for (size_t i = 0; i < it->count; i++)
    if (wg_str_eq(it->items[i].name, name)) return &it->items[i];
  return NULL;
}

/* ---- use paths ---- */

typedef struct UsePath {
  bool foreign;
  WitNode name;
  WgWitPackageName pkg;
  WgSpan pkg_span;
} UsePath;

static UsePath use_path(Lower *l, WitNode p) {
  UsePath u;
  memset(&u, 0, sizeof u);
  u.name = wit_field(p, WIT_FIELD_NAME);
  WitNode ns = wit_field(p, WIT_FIELD_NAMESPACE);
  if (!wit_node_is_null(ns)) {
    u.foreign = true;
    WitNode pk = wit_field(p, WIT_FIELD_PACKAGE);
    u.pkg.ns = wl_ident(l, ns);
    u.pkg.name = wl_ident(l, pk);
    WitNode v = wit_field(p, WIT_FIELD_VERSION);
    if (!wit_node_is_null(v))
      u.pkg.version = wl_dup(l, wit_node_text(l->lists[l->cur].f, v));
    u.pkg_span = wl_span_of(l, ns);
    u.pkg_span.end = wit_node_end(pk);
  }
  return u;
}

/* ---- for_each_path ---- */

typedef enum PathKind { PATH_INTERFACE, PATH_WORLD, PATH_UNKNOWN } PathKind;

/* iface: the interface/world name node whose body holds the path (for
 * ordering), null otherwise; names: the use_item node or null. */
typedef bool (*PathFn)(Lower *l, WitNode iface, WitNode attrs, WitNode path,
                       WitNode names, PathKind kind, void *ud);

static bool each_item(DeclList *d, uint32_t *i, WitNode *out) {
  uint32_t n = wit_named_child_count(d->node);
  while (*i < n) {
    WitNode c = wit_named_child(d->node, (*i)++);
    if (wit_is(c, WIT_KIND_TOPLEVEL_USE) ||
        wit_is(c, WIT_KIND_INTERFACE_ITEM) || wit_is(c, WIT_KIND_WORLD_ITEM)) {
      *out = c;
      return true;
    }
  }
  return false;
}

static bool visit_extern(Lower *l, WitNode item, PathFn fn, void *ud) {
  WitNode null = { 0 };
  WitNode body = wit_field(item, WIT_FIELD_INTERFACE);
  if (!wit_node_is_null(body)) {
    uint32_t n = wit_named_child_count(body);
    for (uint32_t i = 0; i < n; i++) {
      WitNode c = wit_named_child(body, i);
      if (wit_is(c, WIT_KIND_USE_ITEM))
        TRY(fn(l, null, c, wit_field(c, WIT_FIELD_PATH), c, PATH_INTERFACE,
               ud));
    }
    return true;
  }
  if (!wit_node_is_null(wit_field(item, WIT_FIELD_FUNC))) return true;
  WitNode path = wit_field(item, WIT_FIELD_PATH);
  if (!wit_node_is_null(path))
    TRY(fn(l, null, item, path, null, PATH_INTERFACE, ud));
  return true;
}

static bool for_each_path(Lower *l, PathFn fn, void *ud) {
  WitNode null = { 0 };
  DeclList *d = &l->lists[l->cur];
  uint32_t it = 0;
  WitNode item;
  while (each_item(d, &it, &item)) {
    if (wit_is(item, WIT_KIND_WORLD_ITEM)) {
      WitNode body = wit_field(item, WIT_FIELD_BODY);
      WitNode name = wit_field(item, WIT_FIELD_NAME);
      uint32_t n = wit_named_child_count(body);
      for (uint32_t i = 0; i < n; i++) {
        WitNode c = wit_named_child(body, i);
        if (wit_is(c, WIT_KIND_USE_ITEM))
          TRY(fn(l, null, c, wit_field(c, WIT_FIELD_PATH), c, PATH_INTERFACE,
                 ud));
        else if (wit_is(c, WIT_KIND_INCLUDE_ITEM))
          TRY(fn(l, name, c, wit_field(c, WIT_FIELD_PATH), null, PATH_WORLD,
                 ud));
      }
      for (uint32_t i = 0; i < n; i++) {
        WitNode c = wit_named_child(body, i);
        if (wit_is(c, WIT_KIND_IMPORT_ITEM)) TRY(visit_extern(l, c, fn, ud));
      }
      for (uint32_t i = 0; i < n; i++) {
        WitNode c = wit_named_child(body, i);
        if (wit_is(c, WIT_KIND_EXPORT_ITEM)) TRY(visit_extern(l, c, fn, ud));
      }
    } else if (wit_is(item, WIT_KIND_INTERFACE_ITEM)) {
      WitNode body = wit_field(item, WIT_FIELD_BODY);
      WitNode name = wit_field(item, WIT_FIELD_NAME);
      uint32_t n = wit_named_child_count(body);
      for (uint32_t i = 0; i < n; i++) {
        WitNode c = wit_named_child(body, i);
        if (wit_is(c, WIT_KIND_USE_ITEM))
          TRY(fn(l, name, c, wit_field(c, WIT_FIELD_PATH), c, PATH_INTERFACE,
                 ud));
      }
    } else {
      TRY(fn(l, null, item, wit_field(item, WIT_FIELD_PATH), null, PATH_UNKNOWN,
             ud));
    }
  }
  return true;
}

/* ---- populate_foreign_deps ---- */

static bool foreign_dep_cb(Lower *l, WitNode iface, WitNode attrs, WitNode path,
                           WitNode names, PathKind kind, void *ud) {
  (void)iface;
  (void)names;
  (void)ud;
  UsePath p = use_path(l, path);
  if (!p.foreign) return true;
  WgWitStability st;
  if (!wl_stability_of(l, attrs, &st)) return false;
  WitForeignDep *dep = NULL;
  for (size_t i = 0; i < l->u->foreign_deps.count; i++)
    if (wit_pkgname_eq(&l->u->foreign_deps.items[i].name, &p.pkg))
      dep = &l->u->foreign_deps.items[i];
  if (!dep) {
    WitForeignDep nd;
    memset(&nd, 0, sizeof nd);
    nd.name = p.pkg;
    nd.span = p.pkg_span;
    TRY(WIT_PUSH(l->arena, &l->u->foreign_deps, nd));
    dep = &wg_vec_last(&l->u->foreign_deps);
  }
  WgStr name = wl_ident(l, p.name);
  WitForeignItem *fi = NULL;
  for (size_t i = 0; i < dep->items.count; i++)
    if (wg_str_eq(dep->items.items[i].name, name)) fi = &dep->items.items[i];
  if (!fi) {
    WitForeignItem ni;
    memset(&ni, 0, sizeof ni);
    ni.name = name;
    ni.is_world = kind == PATH_WORLD;
    ni.id = ni.is_world ? wl_alloc_world(l, wl_span_of(l, p.name))
                        : wl_alloc_interface(l, wl_span_of(l, p.name));
    if (!ni.is_world) l->foreign_iface.items[ni.id] = true;
    TRY(WIT_PUSH(l->arena, &dep->items, ni));
    fi = &wg_vec_last(&dep->items);
  }
  return WIT_PUSH(l->arena, &fi->stabilities, st);
}


bool wl_populate_foreign_deps(Lower *l) {
  for (size_t i = 0; i < l->nlists; i++) {
    l->cur = i;
    TRY(for_each_path(l, foreign_dep_cb, NULL));
  }
  return true;
}

/* ---- populate_ast_items: names, topological order ---- */

typedef struct OrderCtx {
  WG_WIT_ARRAY(DepNode) nodes;
  /* per-file namespace: name -> (foreign?, local target name) */
  WG_WIT_ARRAY(AstItem) ns;
  WG_WIT_ARRAY(WgStr) ns_target;
  /* where the target is named in this file: a cycle is reported there */
  WG_WIT_ARRAY(WgSpan) ns_span;
} OrderCtx;

static DepNode *dep_node(OrderCtx *o, WgStr name) {
  for (size_t i = 0; i < o->nodes.count; i++)
    if (wg_str_eq(o->nodes.items[i].name, name)) return &o->nodes.items[i];
  return NULL;
}

/* Records that the interface or world whose body holds `path` depends on
 * the local item it names (through the file's namespace; paths into other
 * packages add no dependency). */
static bool order_cb(Lower *l, WitNode iface, WitNode attrs, WitNode path,
                     WitNode names, PathKind kind, void *ud) {
  (void)attrs;
  (void)names;
  (void)kind;
  OrderCtx *o = ud;
  if (wit_node_is_null(iface)) return true;
  UsePath p = use_path(l, path);
  if (p.foreign) return true;
  WgStr used = wit_ident(l->lists[l->cur].f, p.name);
  WgStr target = used;
  WgSpan sp = wl_span_of(l, p.name);
  bool found = false;
  for (size_t i = 0; i < o->ns.count; i++) {
    if (wg_str_eq(o->ns.items[i].name, used)) {
      if (o->ns.items[i].is_world) return true; /* foreign (reused flag) */
      target = o->ns_target.items[i];
      sp = o->ns_span.items[i];
      found = true;
      break;
    }
  }
  if (!found && !items_find(&l->package_items, used)) {
    ERR(l, p.name, "interface or world `%.*s` does not exist", (int)used.len,
        used.ptr);
    return false;
  }
  DepNode *dn = dep_node(o, wit_ident(l->lists[l->cur].f, iface));
  return WIT_PUSH(l->arena, &dn->deps, target) &&
         WIT_PUSH(l->arena, &dn->dep_spans, sp);
}

/* Names each interface and world of the package once (a second one of the
 * same name is an error) and makes its dependency node, in source order.
 * `names` receives them without ids. */
static bool collect_items(Lower *l, OrderCtx *o, AstItems *names) {
  for (size_t li = 0; li < l->nlists; li++) {
    l->cur = li;
    uint32_t it = 0;
    WitNode item;
    while (each_item(&l->lists[li], &it, &item)) {
      if (wit_is(item, WIT_KIND_TOPLEVEL_USE)) continue;
      WitNode nn = wit_field(item, WIT_FIELD_NAME);
      WgStr name = wl_ident(l, nn);
      if (items_find(names, name)) {
        ERR(l, nn, "duplicate item named `%.*s`", (int)name.len, name.ptr);
        return false;
      }
      AstItem ai = { name, wit_is(item, WIT_KIND_WORLD_ITEM), 0 };
      TRY(WIT_PUSH(l->arena, names, ai));
      DepNode dn;
      memset(&dn, 0, sizeof dn);
      dn.name = name;
      dn.item = item;
      dn.list = li;
      TRY(WIT_PUSH(l->arena, &o->nodes, dn));
    }
  }
  return true;
}

/* Builds each file's namespace (its items and top-level `use`s; a name
 * twice in one file is an error), then records on the dependency nodes
 * which local interface or world each body's `use` names (order_cb). */
static bool collect_deps(Lower *l, OrderCtx *o) {
  for (size_t li = 0; li < l->nlists; li++) {
    l->cur = li;
    o->ns.count = 0;
    o->ns_target.count = 0;
    o->ns_span.count = 0;
    uint32_t it = 0;
    WitNode item;
    while (each_item(&l->lists[li], &it, &item)) {
      WitNode nn;
      WgStr target;
      WgSpan target_span;
      bool foreign = false;
      if (wit_is(item, WIT_KIND_TOPLEVEL_USE)) {
        WitNode path = wit_field(item, WIT_FIELD_PATH);
        UsePath p = use_path(l, path);
        WitNode alias = wit_field(item, WIT_FIELD_ALIAS);
        nn = wit_node_is_null(alias) ? p.name : alias;
        foreign = p.foreign;
        target = wl_ident(l, p.name);
        target_span = wl_span_of(l, p.name);
      } else {
        nn = wit_field(item, WIT_FIELD_NAME);
        target = wl_ident(l, nn);
        target_span = wl_span_of(l, nn);
      }
      WgStr name = wl_ident(l, nn);
      for (size_t i = 0; i < o->ns.count; i++) {
        if (wg_str_eq(o->ns.items[i].name, name)) {
          ERR(l, nn, "duplicate name `%.*s` in this file", (int)name.len,
              name.ptr);
          return false;
        }
      }
      AstItem e = { name, foreign, 0 };
      TRY(WIT_PUSH(l->arena, &o->ns, e));
      TRY(WIT_PUSH(l->arena, &o->ns_target, target));
      TRY(WIT_PUSH(l->arena, &o->ns_span, target_span));
    }
    TRY(for_each_path(l, order_cb, o));
  }
  return true;
}

/* Allocates the interface or world of node `dn` (the next in dependency
 * order, so ids follow wit-parser's numbering) and records it in `order`
 * and, named, in `ids`. */
static bool allocate_item(Lower *l, const DepNode *dn, ItemOrder *order,
                          AstItems *ids) {
  l->cur = dn->list;
  WgSpan sp = wl_span_of(l, wit_field(dn->item, WIT_FIELD_NAME));
  AstItem ai = { dn->name, wit_is(dn->item, WIT_KIND_WORLD_ITEM), 0 };
  if (ai.is_world) {
    ai.id = wl_alloc_world(l, sp);
    if (ai.id == WG_WIT_NONE) return false;
    l->u->worlds.items[ai.id].name = dn->name;
    TRY(WIT_PUSH(l->arena, &order->worlds, ai.id));
  } else {
    ai.id = wl_alloc_interface(l, sp);
    if (ai.id == WG_WIT_NONE) return false;
    l->u->interfaces.items[ai.id].name = dn->name;
    TRY(WIT_PUSH(l->arena, &order->ifaces, ai.id));
  }
  TRY(WIT_PUSH(l->arena, ids, ai));
  TRY(WIT_PUSH(l->arena, &order->nodes, dn->item));
  return WIT_PUSH(l->arena, &order->lists, dn->list);
}

/* Sorts the dependency nodes (a missing name or a cycle is an error) and
 * allocates their items in that order. */
static bool allocate_in_order(Lower *l, OrderCtx *o, ItemOrder *order,
                              AstItems *ids) {
  size_t n = o->nodes.count;
  size_t *sorted = calloc(n + 1, sizeof *sorted);
  if (!sorted) return false;
  bool ok = wl_toposort(l, o->nodes.items, n, "interface or world", sorted);
  for (size_t k = 0; ok && k < n; k++)
    ok = allocate_item(l, &o->nodes.items[sorted[k]], order, ids);
  free(sorted);
  return ok;
}

/* The item a top-level `use` names: a foreign one (registered by
 * populate_foreign_deps) or one of this package's, from `ids`. */
static bool toplevel_use_item(Lower *l, WitNode item, AstItems *ids,
                              AstItem *out) {
  if (wl_has_attrs(item)) {
    ERR(l, item, "attributes not allowed on top-level use");
    return false;
  }
  UsePath p = use_path(l, wit_field(item, WIT_FIELD_PATH));
  WitNode alias = wit_field(item, WIT_FIELD_ALIAS);
  out->name = wl_ident(l, wit_node_is_null(alias) ? p.name : alias);
  WgStr target = wl_ident(l, p.name);
  if (p.foreign) {
    WitForeignItem *fi = NULL;
    for (size_t i = 0; i < l->u->foreign_deps.count; i++) {
      WitForeignDep *d = &l->u->foreign_deps.items[i];
      if (!wit_pkgname_eq(&d->name, &p.pkg)) continue;
      for (size_t j = 0; j < d->items.count; j++)
        if (wg_str_eq(d->items.items[j].name, target)) fi = &d->items.items[j];
    }
    if (!fi) return false;
    out->is_world = fi->is_world;
    out->id = fi->id;
  } else {
    AstItem *t = items_find(ids, target);
    if (!t) {
      ERR(l, p.name, "interface or world `%.*s` does not exist",
          (int)target.len, target.ptr);
      return false;
    }
    out->is_world = t->is_world;
    out->id = t->id;
  }
  return true;
}

/* The names file `li` sees (l->ast_items[li]): its interfaces and worlds
 * and its top-level `use`s; the package's own items also go to
 * l->package_items. */
static bool file_items(Lower *l, size_t li, AstItems *ids) {
  l->cur = li;
  AstItems items = { 0 };
  uint32_t it = 0;
  WitNode item;
  while (each_item(&l->lists[li], &it, &item)) {
    AstItem ai;
    if (wit_is(item, WIT_KIND_TOPLEVEL_USE)) {
      TRY(toplevel_use_item(l, item, ids, &ai));
      TRY(WIT_PUSH(l->arena, &items, ai));
    } else {
      ai = *items_find(ids, wl_ident(l, wit_field(item, WIT_FIELD_NAME)));
      TRY(WIT_PUSH(l->arena, &items, ai));
      TRY(WIT_PUSH(l->arena, &l->package_items, ai));
    }
  }
  l->ast_items[li] = items;
  return true;
}

bool wl_populate_ast_items(Lower *l, ItemOrder *order) {
  OrderCtx o;
  memset(&o, 0, sizeof o);
  AstItems names = { 0 };
  TRY(collect_items(l, &o, &names));
  l->package_items = names; /* temporarily: names only, for order_cb */
  TRY(collect_deps(l, &o));
  AstItems ids = { 0 };
  TRY(allocate_in_order(l, &o, order, &ids));
  l->package_items = (AstItems){ 0 };
  for (size_t li = 0; li < l->nlists; li++)
    TRY(file_items(l, li, &ids));
  return true;
}

/* ---- resolving use paths to items ---- */

static bool resolve_path(Lower *l, WitNode path, AstItem *out, WitNode *name) {
  UsePath p = use_path(l, path);
  *name = p.name;
  WgStr nm = wit_ident(l->lists[l->cur].f, p.name);
  if (!p.foreign) {
    AstItem *it = items_find(&l->ast_items[l->cur], nm);
    if (!it) it = items_find(&l->package_items, nm);
    if (!it) {
      ERR(l, p.name, "interface or world `%.*s` does not exist", (int)nm.len,
          nm.ptr);
      return false;
    }
    *out = *it;
    return true;
  }
  for (size_t i = 0; i < l->u->foreign_deps.count; i++) {
    WitForeignDep *d = &l->u->foreign_deps.items[i];
    if (!wit_pkgname_eq(&d->name, &p.pkg)) continue;
    for (size_t j = 0; j < d->items.count; j++) {
      if (wg_str_eq(d->items.items[j].name, nm)) {
        out->name = d->items.items[j].name;
        out->is_world = d->items.items[j].is_world;
        out->id = d->items.items[j].id;
        return true;
      }
    }
  }
  ERR(l, p.name, "internal error: foreign item not registered");
  return false;
}

bool wl_path_iface(Lower *l, WitNode path, WgWitId *out, WitNode *name) {
  AstItem it;
  TRY(resolve_path(l, path, &it, name));
  if (it.is_world) {
    WgStr nm = wit_ident(l->lists[l->cur].f, *name);
    ERR(l, *name, "name `%.*s` is defined as a world, not an interface",
        (int)nm.len, nm.ptr);
    return false;
  }
  *out = it.id;
  return true;
}

bool wl_path_world(Lower *l, WitNode path, WgWitId *out, WitNode *name) {
  AstItem it;
  TRY(resolve_path(l, path, &it, name));
  if (!it.is_world) {
    WgStr nm = wit_ident(l->lists[l->cur].f, *name);
    ERR(l, *name, "name `%.*s` is defined as an interface, not a world",
        (int)nm.len, nm.ptr);
    return false;
  }
  *out = it.id;
  return true;
}

/* ---- populate_foreign_types ---- */

static bool foreign_types_cb(Lower *l, WitNode iface, WitNode attrs,
                             WitNode path, WitNode names, PathKind kind,
                             void *ud) {
  (void)iface;
  (void)kind;
  (void)ud;
  if (wit_node_is_null(names)) return true;
  WgWitStability st;
  WgStr ext;
  TRY(wl_stability_of(l, attrs, &st));
  TRY(wl_external_id_of(l, attrs, &ext));
  WgWitId id;
  WitNode nn;
  TRY(wl_path_iface(l, path, &id, &nn));
  if (!l->foreign_iface.items[id]) return true;
  uint32_t n = wit_named_child_count(names);
  for (uint32_t i = 0; i < n; i++) {
    WitNode un = wit_named_child(names, i);
    if (!wit_is(un, WIT_KIND_USE_NAME)) continue;
    WitNode nm = wit_field(un, WIT_FIELD_NAME);
    WgStr name = wl_ident(l, nm);
    Lookup *lk = &l->iface_types.items[id];
    if (wl_lookup_find(lk, name)) continue;
    WgWitTypeDef t;
    memset(&t, 0, sizeof t);
    t.name = name;
    t.kind = WG_WIT_KIND_UNKNOWN;
    t.owner_kind = WG_WIT_OWNER_INTERFACE;
    t.owner = id;
    t.stability = st;
    t.external_id = ext;
    t.span = wl_span_of(l, nm);
    WgWitId tid = wl_alloc_type(l, &t);
    LookupEntry e = { name, true, tid, t.span };
    TRY(WIT_PUSH(l->arena, lk, e));
    WgWitNamedId ni = { name, tid };
    TRY(WIT_PUSH(l->arena, &l->u->interfaces.items[id].types, ni));
  }
  return true;
}

bool wl_populate_foreign_types(Lower *l) {
  for (size_t i = 0; i < l->nlists; i++) {
    l->cur = i;
    TRY(for_each_path(l, foreign_types_cb, NULL));
  }
  return true;
}
