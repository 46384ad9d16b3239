/* SPDX-License-Identifier: Apache-2.0 */
/* Lowering of WIT syntax trees into unresolved packages: the package-local
 * pass of wit-parser (its ast/resolve.rs). Items are numbered in the same
 * order wit-parser allocates them: foreign interfaces/worlds first, then
 * local ones in topological order, types as they are resolved, anonymous
 * types interned by structure. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "hash.h"
#include "strbuf.h"
#include "vec.h"
#include "wit_lower.h"

/* ---- small helpers ---- */

WgStr wl_dup(Lower *l, WgStr s) {
  return wg_arena_strdup(l->arena, s);
}

WgSpan wl_span_of(Lower *l, WitNode n) {
  return wit_node_span(l->lists[l->cur].f, n);
}

WgStr wl_ident(Lower *l, WitNode n) {
  return wl_dup(l, wit_ident(l->lists[l->cur].f, n));
}

WgWitDocs wl_docs_of(Lower *l, WitNode n) {
  return wit_docs_before(l->r, l->lists[l->cur].f, n);
}

bool wl_str_is(WgStr s, const char *c) {
  return s.len == strlen(c) && memcmp(s.ptr, c, s.len) == 0;
}

LookupEntry *wl_lookup_find(Lookup *lk, WgStr name) {
  for (size_t i = 0; i < lk->count; i++)
    if (wg_str_eq(lk->items[i].name, name)) return &lk->items[i];
  return NULL;
}

static AstItem *items_find(AstItems *it, WgStr name) {
  for (size_t i = 0; i < it->count; i++)
    if (wg_str_eq(it->items[i].name, name)) return &it->items[i];
  return NULL;
}


/* ---- attributes ---- */

bool wl_is_attr(WitNode c) {
  return wit_is(c, WIT_KIND_SINCE_GATE) || wit_is(c, WIT_KIND_UNSTABLE_GATE) ||
         wit_is(c, WIT_KIND_DEPRECATED_GATE) || wit_is(c, WIT_KIND_EXTERNAL_ID);
}

bool wl_has_attrs(WitNode item) {
  uint32_t n = wit_named_child_count(item);
  for (uint32_t i = 0; i < n; i++)
    if (wl_is_attr(wit_named_child(item, i))) return true;
  return false;
}

bool wl_stability_of(Lower *l, WitNode item, WgWitStability *out) {
  memset(out, 0, sizeof *out);
  WitNode since = { 0 }, dep = { 0 }, unst = { 0 };
  bool has_since = false, has_dep = false, has_unst = false;
  uint32_t n = wit_named_child_count(item);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(item, i);
    if (wit_is(c, WIT_KIND_SINCE_GATE)) {
      if (has_since) {
        ERR(l, c, "cannot specify @since twice");
        return false;
      }
      if (!wit_node_is_null(wit_field(c, WIT_FIELD_FEATURE))) {
        ERR(l, wit_field(c, WIT_FIELD_FEATURE),
            "expected `)`, found `,` (`@since` takes only a version)");
        return false;
      }
      has_since = true;
      since = c;
    } else if (wit_is(c, WIT_KIND_DEPRECATED_GATE)) {
      if (has_dep) {
        ERR(l, c, "cannot specify @deprecated twice");
        return false;
      }
      has_dep = true;
      dep = c;
    } else if (wit_is(c, WIT_KIND_UNSTABLE_GATE)) {
      if (has_unst) {
        ERR(l, c, "cannot specify @unstable twice");
        return false;
      }
      has_unst = true;
      unst = c;
    }
  }
  WitFile *f = l->lists[l->cur].f;
  if (has_dep)
    out->deprecated =
        wl_dup(l, wit_node_text(f, wit_field(dep, WIT_FIELD_VERSION)));
  if (has_since && has_unst) {
    ERR(l, since, "cannot specify both @since and @unstable");
    return false;
  }
  if (has_since) {
    out->kind = WG_WIT_STABILITY_STABLE;
    out->since =
        wl_dup(l, wit_node_text(f, wit_field(since, WIT_FIELD_VERSION)));
  } else if (has_unst) {
    out->kind = WG_WIT_STABILITY_UNSTABLE;
    out->feature = wl_ident(l, wit_field(unst, WIT_FIELD_FEATURE));
  } else if (has_dep) {
    ERR(l, dep, "cannot specify both @deprecated without @since or @unstable");
    return false;
  }
  return true;
}

bool wl_external_id_of(Lower *l, WitNode item, WgStr *out) {
  *out = (WgStr){ NULL, 0 };
  uint32_t n = wit_named_child_count(item);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(item, i);
    if (!wit_is(c, WIT_KIND_EXTERNAL_ID)) continue;
    if (out->ptr) {
      ERR(l, c, "cannot specify @external-id twice");
      return false;
    }
    WgStr s = wit_node_text(l->lists[l->cur].f, wit_field(c, WIT_FIELD_ID));
    WgBuf b = { 0 };
    for (size_t k = 1; k + 1 < s.len; k++) {
      char ch = s.ptr[k];
      if (ch == '\\' && k + 2 < s.len) {
        ch = s.ptr[++k];
        if (ch == 'n')
          ch = '\n';
        else if (ch == 't')
          ch = '\t';
        else if (ch == 'r')
          ch = '\r';
      }
      wg_buf_putc(&b, ch);
    }
    *out = wl_dup(l, (WgStr){ b.data ? b.data : "", b.len });
    wg_buf_free(&b);
  }
  return true;
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

/* ---- allocation ---- */

static WgWitId alloc_interface(Lower *l, WgSpan span) {
  WgWitInterface i;
  memset(&i, 0, sizeof i);
  i.package = WG_WIT_NONE;
  i.clone_of = WG_WIT_NONE;
  i.span = span;
  Lookup empty = { 0 };
  if (!WIT_PUSH(l->arena, &l->u->interfaces, i) ||
      !WIT_PUSH(l->arena, &l->iface_types, empty) ||
      !WIT_PUSH(l->arena, &l->foreign_iface, false))
    return WG_WIT_NONE;
  return (WgWitId)(l->u->interfaces.count - 1);
}

static WgWitId alloc_world(Lower *l, WgSpan span) {
  WgWitWorld w;
  memset(&w, 0, sizeof w);
  w.package = WG_WIT_NONE;
  w.span = span;
  if (!WIT_PUSH(l->arena, &l->u->worlds, w)) return WG_WIT_NONE;
  return (WgWitId)(l->u->worlds.count - 1);
}

WgWitId wl_alloc_type(Lower *l, const WgWitTypeDef *t) {
  if (!WIT_PUSH(l->arena, &l->u->types, *t)) return WG_WIT_NONE;
  return (WgWitId)(l->u->types.count - 1);
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
    ni.id = ni.is_world ? alloc_world(l, wl_span_of(l, p.name))
                        : alloc_interface(l, wl_span_of(l, p.name));
    if (!ni.is_world) l->foreign_iface.items[ni.id] = true;
    TRY(WIT_PUSH(l->arena, &dep->items, ni));
    fi = &wg_vec_last(&dep->items);
  }
  return WIT_PUSH(l->arena, &fi->stabilities, st);
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

/* wit-parser's toposort: ready nodes leave in source order (lowest index
 * first); reports missing names and cycles. `out` receives node indices. */
bool wl_toposort(Lower *l, DepNode *nodes, size_t n, const char *kind,
                 size_t *out) {
  size_t *remaining = calloc(n + 1, sizeof *remaining);
  bool *done = calloc(n + 1, 1);
  if (!remaining || !done) {
    free(remaining);
    free(done);
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < n && ok; i++) {
    remaining[i] = nodes[i].deps.count;
    for (size_t k = 0; k < nodes[i].deps.count; k++) {
      bool found = false;
      for (size_t j = 0; j < n; j++)
        if (wg_str_eq(nodes[j].name, nodes[i].deps.items[k])) found = true;
      if (!found) {
        WgStr nm = nodes[i].deps.items[k];
        wit_error(l->r, &nodes[i].dep_spans.items[k],
                  "%s `%.*s` does not exist", kind, (int)nm.len, nm.ptr);
        ok = false;
        break;
      }
    }
  }
  size_t count = 0;
  /* Ready set: repeatedly take the lowest-index node with no remaining
   * edges; edges are decremented when their target is emitted. */
  while (ok && count < n) {
    size_t pick = n;
    for (size_t i = 0; i < n; i++) {
      if (!done[i] && remaining[i] == 0) {
        pick = i;
        break;
      }
    }
    if (pick == n) break;
    /* wit-parser uses a heap of ready nodes; a node becomes ready only
     * once its last dependency leaves, and the heap yields the smallest
     * index among ready ones, which this scan reproduces. */
    done[pick] = true;
    out[count++] = pick;
    for (size_t i = 0; i < n; i++) {
      if (done[i]) continue;
      for (size_t k = 0; k < nodes[i].deps.count; k++)
        if (wg_str_eq(nodes[i].deps.items[k], nodes[pick].name)) remaining[i]--;
    }
  }
  if (ok && count < n) {
    ok = false;
    for (size_t i = 0; i < n; i++) {
      if (done[i]) continue;
      for (size_t k = 0; k < nodes[i].deps.count; k++) {
        WgStr nm = nodes[i].deps.items[k];
        for (size_t j = 0; j < n; j++) {
          if (!done[j] && wg_str_eq(nodes[j].name, nm)) {
            wit_error(l->r, &nodes[i].dep_spans.items[k],
                      "%s `%.*s` depends on itself", kind, (int)nm.len, nm.ptr);
            goto out;
          }
        }
      }
    }
  }
out:
  free(remaining);
  free(done);
  return ok;
}

typedef WG_WIT_ARRAY(WgWitId) IdList;
typedef WG_WIT_ARRAY(WitNode) NodeList;
typedef WG_WIT_ARRAY(size_t) SizeList;

static bool populate_ast_items(Lower *l, IdList *iface_order,
                               IdList *world_order, NodeList *order_nodes,
                               SizeList *order_lists) {
  OrderCtx o;
  memset(&o, 0, sizeof o);
  AstItems names = { 0 }; /* package-level names with spans in package_items */
  for (size_t li = 0; li < l->nlists; li++) {
    l->cur = li;
    uint32_t it = 0;
    WitNode item;
    while (each_item(&l->lists[li], &it, &item)) {
      if (wit_is(item, WIT_KIND_TOPLEVEL_USE)) continue;
      WitNode nn = wit_field(item, WIT_FIELD_NAME);
      WgStr name = wl_ident(l, nn);
      if (items_find(&names, name)) {
        ERR(l, nn, "duplicate item named `%.*s`", (int)name.len, name.ptr);
        return false;
      }
      AstItem ai = { name, wit_is(item, WIT_KIND_WORLD_ITEM), 0 };
      TRY(WIT_PUSH(l->arena, &names, ai));
      DepNode dn;
      memset(&dn, 0, sizeof dn);
      dn.name = name;
      dn.item = item;
      dn.list = li;
      TRY(WIT_PUSH(l->arena, &o.nodes, dn));
    }
  }
  l->package_items = names; /* temporarily: names only, for lookups */
  for (size_t li = 0; li < l->nlists; li++) {
    l->cur = li;
    o.ns.count = 0;
    o.ns_target.count = 0;
    o.ns_span.count = 0;
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
      for (size_t i = 0; i < o.ns.count; i++) {
        if (wg_str_eq(o.ns.items[i].name, name)) {
          ERR(l, nn, "duplicate name `%.*s` in this file", (int)name.len,
              name.ptr);
          return false;
        }
      }
      AstItem e = { name, foreign, 0 };
      TRY(WIT_PUSH(l->arena, &o.ns, e));
      TRY(WIT_PUSH(l->arena, &o.ns_target, target));
      TRY(WIT_PUSH(l->arena, &o.ns_span, target_span));
    }
    TRY(for_each_path(l, order_cb, &o));
  }
  size_t n = o.nodes.count;
  size_t *order = calloc(n + 1, sizeof *order);
  if (!order) return false;
  if (!wl_toposort(l, o.nodes.items, n, "interface or world", order)) {
    free(order);
    return false;
  }
  AstItems ids = { 0 };
  for (size_t k = 0; k < n; k++) {
    DepNode *dn = &o.nodes.items[order[k]];
    l->cur = dn->list;
    WgSpan sp = wl_span_of(l, wit_field(dn->item, WIT_FIELD_NAME));
    AstItem ai = { dn->name, wit_is(dn->item, WIT_KIND_WORLD_ITEM), 0 };
    if (ai.is_world) {
      ai.id = alloc_world(l, sp);
      l->u->worlds.items[ai.id].name = dn->name;
      TRY(WIT_PUSH(l->arena, world_order, ai.id));
    } else {
      ai.id = alloc_interface(l, sp);
      l->u->interfaces.items[ai.id].name = dn->name;
      TRY(WIT_PUSH(l->arena, iface_order, ai.id));
    }
    TRY(WIT_PUSH(l->arena, &ids, ai));
    TRY(WIT_PUSH(l->arena, order_nodes, dn->item));
    TRY(WIT_PUSH(l->arena, order_lists, dn->list));
  }
  free(order);
  l->package_items.count = 0;
  l->package_items.items = NULL;
  l->package_items.cap = 0;
  for (size_t li = 0; li < l->nlists; li++) {
    l->cur = li;
    AstItems items = { 0 };
    uint32_t it = 0;
    WitNode item;
    while (each_item(&l->lists[li], &it, &item)) {
      AstItem ai;
      if (wit_is(item, WIT_KIND_TOPLEVEL_USE)) {
        if (wl_has_attrs(item)) {
          ERR(l, item, "attributes not allowed on top-level use");
          return false;
        }
        UsePath p = use_path(l, wit_field(item, WIT_FIELD_PATH));
        WitNode alias = wit_field(item, WIT_FIELD_ALIAS);
        ai.name = wl_ident(l, wit_node_is_null(alias) ? p.name : alias);
        WgStr target = wl_ident(l, p.name);
        if (p.foreign) {
          WitForeignItem *fi = NULL;
          for (size_t i = 0; i < l->u->foreign_deps.count; i++) {
            WitForeignDep *d = &l->u->foreign_deps.items[i];
            if (!wit_pkgname_eq(&d->name, &p.pkg)) continue;
            for (size_t j = 0; j < d->items.count; j++)
              if (wg_str_eq(d->items.items[j].name, target))
                fi = &d->items.items[j];
          }
          if (!fi) return false;
          ai.is_world = fi->is_world;
          ai.id = fi->id;
        } else {
          AstItem *t = items_find(&ids, target);
          if (!t) {
            ERR(l, p.name, "interface or world `%.*s` does not exist",
                (int)target.len, target.ptr);
            return false;
          }
          ai.is_world = t->is_world;
          ai.id = t->id;
        }
        TRY(WIT_PUSH(l->arena, &items, ai));
      } else {
        ai = *items_find(&ids, wl_ident(l, wit_field(item, WIT_FIELD_NAME)));
        TRY(WIT_PUSH(l->arena, &items, ai));
        TRY(WIT_PUSH(l->arena, &l->package_items, ai));
      }
    }
    l->ast_items[li] = items;
  }
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

static bool path_world(Lower *l, WitNode path, WgWitId *out, WitNode *name) {
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

static bool resource_funcs(Lower *l, WitNode item, WgWitFunctionList *out,
                           bool world, WgWitId world_id);

static bool push_world_func(Lower *l, WgWitId world_id, WgWitFunction *f);

static bool resolve_interface(Lower *l, WgWitId id, WitNode body,
                              WitNode item) {
  WgWitInterface *ifc = &l->u->interfaces.items[id];
  ifc->docs = wl_docs_of(l, item);
  WgWitStability st;
  TRY(wl_stability_of(l, item, &st));
  l->u->interfaces.items[id].stability = st;
  TRY(wl_resolve_types(l, WG_WIT_OWNER_INTERFACE, id, body));
  for (size_t i = 0; i < l->lookup.count; i++) {
    WgWitNamedId ni = { l->lookup.items[i].name, l->lookup.items[i].id };
    TRY(WIT_PUSH(l->arena, &l->u->interfaces.items[id].types, ni));
  }
  WgWitFunctionList funcs = { 0 };
  uint32_t n = wit_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(body, i);
    if (wit_is(c, WIT_KIND_FUNC_ITEM)) {
      WitNode nn = wit_field(c, WIT_FIELD_NAME);
      TRY(wl_define_name(l, nn, false, 0));
      WitNode fn = wit_field(c, WIT_FIELD_TYPE);
      bool async = !wit_node_is_null(wit_field(fn, WIT_FIELD_ASYNC));
      WgWitFunction f;
      TRY(wl_resolve_function(l, c, fn, wl_ident(l, nn), nn,
                              async ? WG_WIT_FUNC_ASYNC_FREESTANDING
                                    : WG_WIT_FUNC_FREESTANDING,
                              WG_WIT_NONE, &f));
      TRY(WIT_PUSH(l->arena, &funcs, f));
    } else if (wit_is(c, WIT_KIND_RESOURCE_ITEM)) {
      TRY(resource_funcs(l, c, &funcs, false, 0));
    }
  }
  l->u->interfaces.items[id].functions = funcs;
  l->iface_types.items[id] = l->lookup;
  l->lookup = (Lookup){ 0 };
  return true;
}

/* a b c d joined in the arena, NUL-terminated (names of resource
 * functions; vsnprintf cost more than resolving the function). */
static WgStr join4(WgArena *arena, WgStr a, WgStr b, WgStr c, WgStr d) {
  size_t len = a.len + b.len + c.len + d.len;
  char *p = wg_arena_alloc(arena, len + 1);
  if (!p) return (WgStr){ NULL, 0 };
  char *o = p;
  const WgStr parts[4] = { a, b, c, d };
  for (int i = 0; i < 4; i++) {
    if (parts[i].len) memcpy(o, parts[i].ptr, parts[i].len);
    o += parts[i].len;
  }
  *o = '\0';
  return (WgStr){ p, len };
}

static bool resource_funcs(Lower *l, WitNode item, WgWitFunctionList *out,
                           bool world, WgWitId world_id) {
  WitNode body = wit_field(item, WIT_FIELD_BODY);
  if (wit_node_is_null(body)) return true;
  WgStr rname = wl_ident(l, wit_field(item, WIT_FIELD_NAME));
  LookupEntry *e = wl_lookup_find(&l->lookup, rname);
  if (!e) return false;
  WgWitId rid = e->id;
  uint32_t n = wit_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(body, i);
    WgWitFunction f;
    if (wit_is(c, WIT_KIND_CONSTRUCTOR)) {
      WgStr name = join4(l->arena, WG_STR("[constructor]"), rname, WG_STR(""),
                         WG_STR(""));
      TRY(name.ptr);
      TRY(wl_resolve_function(l, c, c, name, c, WG_WIT_FUNC_CONSTRUCTOR, rid,
                              &f));
    } else if (wit_is(c, WIT_KIND_FUNC_ITEM) ||
               wit_is(c, WIT_KIND_STATIC_FUNC)) {
      bool is_static = wit_is(c, WIT_KIND_STATIC_FUNC);
      WitNode nn = wit_field(c, WIT_FIELD_NAME);
      WitNode fn = wit_field(c, WIT_FIELD_TYPE);
      bool async = !wit_node_is_null(wit_field(fn, WIT_FIELD_ASYNC));
      WgStr fname = wit_ident(l->lists[l->cur].f, nn);
      WgStr name =
          join4(l->arena, is_static ? WG_STR("[static]") : WG_STR("[method]"),
                rname, WG_STR("."), fname);
      TRY(name.ptr);
      WgWitFuncKind k =
          is_static ? (async ? WG_WIT_FUNC_ASYNC_STATIC : WG_WIT_FUNC_STATIC)
                    : (async ? WG_WIT_FUNC_ASYNC_METHOD : WG_WIT_FUNC_METHOD);
      TRY(wl_resolve_function(l, c, fn, name, nn, k, rid, &f));
    } else {
      continue;
    }
    if (world)
      TRY(push_world_func(l, world_id, &f));
    else
      TRY(WIT_PUSH(l->arena, out, f));
  }
  return true;
}

/* ---- worlds ---- */

static WgWitWorldEntry *entry_find(WgWitWorldItems *items,
                                   const WgWitWorldEntry *key) {
  for (size_t i = 0; i < items->count; i++) {
    WgWitWorldEntry *e = &items->items[i];
    if (e->key_is_interface != key->key_is_interface) continue;
    if (e->key_is_interface ? e->key_iface == key->key_iface
                            : wg_str_eq(e->key_name, key->key_name))
      return e;
  }
  return NULL;
}

static bool push_world_func(Lower *l, WgWitId world_id, WgWitFunction *f) {
  WgWitWorldEntry e;
  memset(&e, 0, sizeof e);
  e.key_name = f->name;
  e.kind = WG_WIT_ITEM_FUNCTION;
  e.func = *f;
  e.span = f->span;
  e.id = WG_WIT_NONE;
  return WIT_PUSH(l->arena, &l->u->worlds.items[world_id].imports, e);
}

static bool resolve_world(Lower *l, WgWitId wid, WitNode item) {
  WitNode body = wit_field(item, WIT_FIELD_BODY);
  l->u->worlds.items[wid].docs = wl_docs_of(l, item);
  WgWitStability st;
  TRY(wl_stability_of(l, item, &st));
  l->u->worlds.items[wid].stability = st;
  TRY(wl_resolve_types(l, WG_WIT_OWNER_WORLD, wid, body));
  uint32_t n = wit_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(body, i);
    if (!wit_is(c, WIT_KIND_INCLUDE_ITEM)) continue;
    WgWitInclude inc;
    memset(&inc, 0, sizeof inc);
    TRY(wl_stability_of(l, c, &inc.stability));
    WitNode nn;
    TRY(path_world(l, wit_field(c, WIT_FIELD_PATH), &inc.world, &nn));
    inc.span = wl_span_of(l, nn);
    uint32_t m = wit_named_child_count(c);
    for (uint32_t j = 0; j < m; j++) {
      WitNode in = wit_named_child(c, j);
      if (!wit_is(in, WIT_KIND_INCLUDE_NAME)) continue;
      WgWitIncludeName x = { wl_ident(l, wit_field(in, WIT_FIELD_NAME)),
                             wl_ident(l, wit_field(in, WIT_FIELD_ALIAS)) };
      TRY(WIT_PUSH(l->arena, &inc.names, x));
    }
    TRY(WIT_PUSH(l->arena, &l->u->worlds.items[wid].includes, inc));
  }
  for (size_t i = 0; i < l->lookup.count; i++) {
    LookupEntry *le = &l->lookup.items[i];
    WgWitWorldEntry e;
    memset(&e, 0, sizeof e);
    e.key_name = le->name;
    e.kind = WG_WIT_ITEM_TYPE;
    e.id = le->id;
    e.span = le->span;
    if (entry_find(&l->u->worlds.items[wid].imports, &e)) {
      wit_error(l->r, &le->span,
                "import `%.*s` conflicts with prior import of same name",
                (int)le->name.len, le->name.ptr);
      return false;
    }
    TRY(WIT_PUSH(l->arena, &l->u->worlds.items[wid].imports, e));
  }
  IdList imported = { 0 }, exported = { 0 };
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(body, i);
    bool imp = wit_is(c, WIT_KIND_IMPORT_ITEM);
    if (wit_is(c, WIT_KIND_RESOURCE_ITEM)) {
      TRY(resource_funcs(l, c, NULL, true, wid));
      continue;
    }
    if (!imp && !wit_is(c, WIT_KIND_EXPORT_ITEM)) continue;
    const char *desc = imp ? "import" : "export";
    WgWitWorldEntry e;
    memset(&e, 0, sizeof e);
    e.id = WG_WIT_NONE;
    WitNode name = wit_field(c, WIT_FIELD_NAME);
    WitNode ibody = wit_field(c, WIT_FIELD_INTERFACE);
    WitNode fn = wit_field(c, WIT_FIELD_FUNC);
    WitNode path = wit_field(c, WIT_FIELD_PATH);
    if (!wit_node_is_null(ibody)) {
      Lookup saved = l->lookup;
      WgWitId id = alloc_interface(l, wl_span_of(l, name));
      TRY(id != WG_WIT_NONE);
      TRY(resolve_interface(l, id, ibody, c));
      l->lookup = saved;
      e.kind = WG_WIT_ITEM_INTERFACE;
      e.id = id;
      e.stability = l->u->interfaces.items[id].stability;
      TRY(wl_external_id_of(l, c, &e.external_id));
      e.span = wl_span_of(l, name);
      e.key_name = wl_ident(l, name);
    } else if (!wit_node_is_null(fn)) {
      bool async = !wit_node_is_null(wit_field(fn, WIT_FIELD_ASYNC));
      TRY(wl_resolve_function(l, c, fn, wl_ident(l, name), name,
                              async ? WG_WIT_FUNC_ASYNC_FREESTANDING
                                    : WG_WIT_FUNC_FREESTANDING,
                              WG_WIT_NONE, &e.func));
      e.kind = WG_WIT_ITEM_FUNCTION;
      e.key_name = e.func.name;
      e.span = e.func.span;
    } else {
      TRY(wl_stability_of(l, c, &e.stability));
      TRY(wl_external_id_of(l, c, &e.external_id));
      e.docs = wl_docs_of(l, c);
      WitNode nn;
      TRY(wl_path_iface(l, path, &e.id, &nn));
      e.kind = WG_WIT_ITEM_INTERFACE;
      if (wit_node_is_null(name)) {
        e.key_is_interface = true;
        e.key_iface = e.id;
        e.span = wl_span_of(l, nn);
      } else {
        e.key_name = wl_ident(l, name);
        e.span = wl_span_of(l, name);
      }
    }
    if (e.key_is_interface) {
      IdList *set = imp ? &imported : &exported;
      for (size_t k = 0; k < set->count; k++) {
        if (set->items[k] == e.key_iface) {
          WgSpan sp = wl_span_of(l, path);
          wit_error(l->r, &sp, "interface cannot be %sed more than once", desc);
          return false;
        }
      }
      TRY(WIT_PUSH(l->arena, set, e.key_iface));
    }
    WgWitWorldItems *dst = imp ? &l->u->worlds.items[wid].imports
                               : &l->u->worlds.items[wid].exports;
    WgWitWorldEntry *prev = entry_find(dst, &e);
    if (prev) {
      const char *pk = prev->kind == WG_WIT_ITEM_INTERFACE  ? "interface"
                       : prev->kind == WG_WIT_ITEM_FUNCTION ? "func"
                                                            : "type";
      WgSpan sp = wl_span_of(l, wit_node_is_null(name) ? path : name);
      wit_error(l->r, &sp, "%s `%.*s` conflicts with prior %s of same name",
                desc, (int)e.key_name.len, e.key_name.ptr, pk);
      return false;
    }
    TRY(WIT_PUSH(l->arena, dst, e));
  }
  l->lookup = (Lookup){ 0 };
  return true;
}

/* ---- the package ---- */

static bool lower_package(WgWitResolve *r, DeclList *lists, size_t nlists,
                          WitNode *pkg_decls, WitUPkg **out) {
  Lower l;
  memset(&l, 0, sizeof l);
  l.r = r;
  l.arena = &wit_internal(r)->arena;
  l.lists = lists;
  l.nlists = nlists;
  l.u = wg_arena_zalloc(l.arena, sizeof *l.u);
  l.ast_items = wg_arena_zalloc(l.arena, (nlists + 1) * sizeof(AstItems));
  if (!l.u || !l.ast_items) return false;
  bool ok = false;
  /* package name and docs */
  for (size_t i = 0; i < nlists; i++) {
    if (wit_node_is_null(pkg_decls[i])) continue;
    l.cur = i;
    WitNode pn = wit_named_child(pkg_decls[i], 0);
    for (uint32_t k = 0; k < wit_named_child_count(pkg_decls[i]); k++)
      if (wit_is(wit_named_child(pkg_decls[i], k), WIT_KIND_PACKAGE_NAME))
        pn = wit_named_child(pkg_decls[i], k);
    WgWitPackageName name;
    memset(&name, 0, sizeof name);
    name.ns = wl_ident(&l, wit_field(pn, WIT_FIELD_NAMESPACE));
    name.name = wl_ident(&l, wit_field(pn, WIT_FIELD_NAME));
    WitNode v = wit_field(pn, WIT_FIELD_VERSION);
    if (!wit_node_is_null(v))
      name.version = wl_dup(&l, wit_node_text(lists[i].f, v));
    WgSpan sp = wl_span_of(&l, pn);
    if (l.has_name && !wit_pkgname_eq(&name, &l.u->name)) {
      wit_error(r, &sp,
                "package identifier `%s` does not match previous package "
                "name of `%s`",
                wit_pkgname_str(l.arena, &name),
                wit_pkgname_str(l.arena, &l.u->name));
      goto out;
    }
    l.u->name = name;
    l.u->name_span = sp;
    l.u->name_path = lists[i].f->path;
    l.u->name_text = lists[i].f->text;
    l.has_name = true;
    WgWitDocs d = wl_docs_of(&l, pkg_decls[i]);
    if (d.ptr) {
      if (l.has_docs) {
        WgSpan dsp = wit_docs_span(lists[i].f, pkg_decls[i]);
        wit_error(r, &dsp, "found doc comments on multiple 'package' items");
        goto out;
      }
      l.has_docs = true;
      l.u->docs = d;
    }
  }
  if (!l.has_name) {
    /* no location, as wit-parser; a note names the file */
    wit_error(r, NULL,
              "no `package` header was found in any WIT file for this "
              "package");
    WgSpan sp = { lists[0].f->file, 0, 0 };
    WgDiagList *diags = wit_internal(r)->diags;
    if (diags)
      wg_diag_list_addf(diags, WG_SEVERITY_NOTE, WG_ERR_INVALID, &sp,
                        "in the package of this file");
    goto out;
  }
  for (size_t i = 0; i < nlists; i++) {
    l.cur = i;
    if (!for_each_path(&l, foreign_dep_cb, NULL)) goto out;
  }
  IdList iorder = { 0 }, worder = { 0 };
  NodeList onodes = { 0 };
  SizeList olists = { 0 };
  if (!populate_ast_items(&l, &iorder, &worder, &onodes, &olists)) goto out;
  for (size_t i = 0; i < nlists; i++) {
    l.cur = i;
    if (!for_each_path(&l, foreign_types_cb, NULL)) goto out;
  }
  size_t ii = 0, wi = 0;
  for (size_t k = 0; k < onodes.count; k++) {
    WitNode item = onodes.items[k];
    if (wit_is(item, WIT_KIND_WORLD_ITEM)) continue;
    l.cur = olists.items[k];
    if (!resolve_interface(&l, iorder.items[ii++],
                           wit_field(item, WIT_FIELD_BODY), item))
      goto out;
  }
  for (size_t k = 0; k < onodes.count; k++) {
    WitNode item = onodes.items[k];
    if (!wit_is(item, WIT_KIND_WORLD_ITEM)) continue;
    l.cur = olists.items[k];
    if (!resolve_world(&l, worder.items[wi++], item)) goto out;
  }
  ok = true;
  *out = l.u;
out:
  free(l.anon);
  return ok;
}

bool wit_lower_group(WgWitResolve *r, WitFile *files, size_t nfiles,
                     WitUPkgList *out) {
  WgArena *arena = &wit_internal(r)->arena;
  DeclList *main_lists =
      wg_arena_zalloc(arena, (nfiles + 1) * sizeof *main_lists);
  WitNode *main_decls = wg_arena_zalloc(arena, (nfiles + 1) * sizeof(WitNode));
  if (!main_lists || !main_decls) return false;
  for (size_t i = 0; i < nfiles; i++) {
    WitNode root = wit_root(&files[i]);
    main_lists[i] = (DeclList){ &files[i], root };
    main_decls[i] = wit_field(root, WIT_FIELD_PACKAGE);
    uint32_t n = wit_named_child_count(root);
    for (uint32_t k = 0; k < n; k++) {
      WitNode c = wit_named_child(root, k);
      if (!wit_is(c, WIT_KIND_NESTED_PACKAGE)) continue;
      DeclList dl = { &files[i], c };
      WitNode decl = wit_field(c, WIT_FIELD_PACKAGE);
      /* attributes before a nested package are a syntax error already */
      WitUPkg *u;
      if (!lower_package(r, &dl, 1, &decl, &u)) return false;
      if (!WIT_PUSH(arena, out, u)) return false;
    }
  }
  WitUPkg *u;
  if (!lower_package(r, main_lists, nfiles, main_decls, &u)) return false;
  return WIT_PUSH(arena, out, u);
}
