/* SPDX-License-Identifier: Apache-2.0 */
/* Lowering of WIT syntax trees into unresolved packages: the package-local
 * pass of wit-parser (its ast/resolve.rs). Items are numbered in the same
 * order wit-parser allocates them: foreign interfaces/worlds first, then
 * local ones in topological order, types as they are resolved, anonymous
 * types interned by structure. */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "strbuf.h"
#include "vec.h"
#include "wit_internal.h"

#define TRY(x)              \
  do {                      \
    if (!(x)) return false; \
  } while (0)

/* A syntax container of items: a file's top level or a nested package. */
typedef struct DeclList {
  WitFile *f;
  TSNode node;
} DeclList;

typedef struct AstItem {
  WgStr name;
  bool is_world;
  WgWitId id;
} AstItem;
typedef WG_WIT_ARRAY(AstItem) AstItems;

/* Names visible in an interface/world body: types and functions. */
typedef struct LookupEntry {
  WgStr name;
  bool is_type;
  WgWitId id;
  WgSpan span;
} LookupEntry;
typedef WG_WIT_ARRAY(LookupEntry) Lookup;

typedef struct AnonSlot {
  uint64_t hash;
  char *key; /* NULL: empty */
  size_t key_len;
  WgWitId id;
} AnonSlot;

typedef struct Lower {
  WgWitResolve *r;
  WgArena *arena;
  WitUPkg *u;
  DeclList *lists;
  size_t nlists;
  size_t cur; /* index of the current decl list */
  AstItems *ast_items;
  AstItems package_items;
  WG_WIT_ARRAY(Lookup) iface_types;
  WG_WIT_ARRAY(bool) foreign_iface;
  Lookup lookup; /* type_lookup of the body being resolved */
  AnonSlot *anon;
  size_t anon_cap, anon_count;
  bool has_name;
  bool has_docs;
} Lower;

/* ---- small helpers ---- */

static WgStr dup(Lower *l, WgStr s) {
  return wg_arena_strdup(l->arena, s);
}

static WgSpan span_of(Lower *l, TSNode n) {
  return wit_node_span(l->lists[l->cur].f, n);
}

static WgStr ident(Lower *l, TSNode n) {
  return dup(l, wit_ident(l->lists[l->cur].f, n));
}

static WgWitDocs docs_of(Lower *l, TSNode n) {
  return wit_docs_before(l->r, l->lists[l->cur].f, n);
}

static bool str_is(WgStr s, const char *c) {
  return s.len == strlen(c) && memcmp(s.ptr, c, s.len) == 0;
}

static LookupEntry *lookup_find(Lookup *lk, WgStr name) {
  for (size_t i = 0; i < lk->count; i++)
    if (wg_str_eq(lk->items[i].name, name)) return &lk->items[i];
  return NULL;
}

static AstItem *items_find(AstItems *it, WgStr name) {
  for (size_t i = 0; i < it->count; i++)
    if (wg_str_eq(it->items[i].name, name)) return &it->items[i];
  return NULL;
}

#define ERR(l, node, ...)                 \
  do {                                    \
    WgSpan sp_ = span_of((l), (node));    \
    wit_error((l)->r, &sp_, __VA_ARGS__); \
  } while (0)

/* ---- attributes ---- */

static bool is_attr(TSNode c) {
  return wit_is(c, "since_gate") || wit_is(c, "unstable_gate") ||
         wit_is(c, "deprecated_gate") || wit_is(c, "external_id");
}

static bool has_attrs(TSNode item) {
  uint32_t n = ts_node_named_child_count(item);
  for (uint32_t i = 0; i < n; i++)
    if (is_attr(ts_node_named_child(item, i))) return true;
  return false;
}

static bool stability_of(Lower *l, TSNode item, WgWitStability *out) {
  memset(out, 0, sizeof *out);
  TSNode since = { 0 }, dep = { 0 }, unst = { 0 };
  bool has_since = false, has_dep = false, has_unst = false;
  uint32_t n = ts_node_named_child_count(item);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(item, i);
    if (wit_is(c, "since_gate")) {
      if (has_since) {
        ERR(l, c, "cannot specify @since twice");
        return false;
      }
      if (!ts_node_is_null(wit_field(c, "feature"))) {
        ERR(l, wit_field(c, "feature"),
            "expected `)`, found `,` (`@since` takes only a version)");
        return false;
      }
      has_since = true;
      since = c;
    } else if (wit_is(c, "deprecated_gate")) {
      if (has_dep) {
        ERR(l, c, "cannot specify @deprecated twice");
        return false;
      }
      has_dep = true;
      dep = c;
    } else if (wit_is(c, "unstable_gate")) {
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
    out->deprecated = dup(l, wit_node_text(f, wit_field(dep, "version")));
  if (has_since && has_unst) {
    ERR(l, since, "cannot specify both @since and @unstable");
    return false;
  }
  if (has_since) {
    out->kind = WG_WIT_STABILITY_STABLE;
    out->since = dup(l, wit_node_text(f, wit_field(since, "version")));
  } else if (has_unst) {
    out->kind = WG_WIT_STABILITY_UNSTABLE;
    out->feature = ident(l, wit_field(unst, "feature"));
  } else if (has_dep) {
    ERR(l, dep, "cannot specify both @deprecated without @since or @unstable");
    return false;
  }
  return true;
}

static bool external_id_of(Lower *l, TSNode item, WgStr *out) {
  *out = (WgStr){ NULL, 0 };
  uint32_t n = ts_node_named_child_count(item);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(item, i);
    if (!wit_is(c, "external_id")) continue;
    if (out->ptr) {
      ERR(l, c, "cannot specify @external-id twice");
      return false;
    }
    WgStr s = wit_node_text(l->lists[l->cur].f, wit_field(c, "id"));
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
    *out = dup(l, (WgStr){ b.data ? b.data : "", b.len });
    wg_buf_free(&b);
  }
  return true;
}

/* ---- use paths ---- */

typedef struct UsePath {
  bool foreign;
  TSNode name;
  WgWitPackageName pkg;
  WgSpan pkg_span;
} UsePath;

static UsePath use_path(Lower *l, TSNode p) {
  UsePath u;
  memset(&u, 0, sizeof u);
  u.name = wit_field(p, "name");
  TSNode ns = wit_field(p, "namespace");
  if (!ts_node_is_null(ns)) {
    u.foreign = true;
    TSNode pk = wit_field(p, "package");
    u.pkg.ns = ident(l, ns);
    u.pkg.name = ident(l, pk);
    TSNode v = wit_field(p, "version");
    if (!ts_node_is_null(v))
      u.pkg.version = dup(l, wit_node_text(l->lists[l->cur].f, v));
    u.pkg_span = span_of(l, ns);
    u.pkg_span.end = ts_node_end_byte(pk);
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

static WgWitId alloc_type(Lower *l, const WgWitTypeDef *t) {
  if (!WIT_PUSH(l->arena, &l->u->types, *t)) return WG_WIT_NONE;
  return (WgWitId)(l->u->types.count - 1);
}

/* ---- for_each_path ---- */

typedef enum PathKind { PATH_INTERFACE, PATH_WORLD, PATH_UNKNOWN } PathKind;

/* iface: the interface/world name node whose body holds the path (for
 * ordering), null otherwise; names: the use_item node or null. */
typedef bool (*PathFn)(Lower *l, TSNode iface, TSNode attrs, TSNode path,
                       TSNode names, PathKind kind, void *ud);

static bool each_item(DeclList *d, uint32_t *i, TSNode *out) {
  uint32_t n = ts_node_named_child_count(d->node);
  while (*i < n) {
    TSNode c = ts_node_named_child(d->node, (*i)++);
    if (wit_is(c, "toplevel_use") || wit_is(c, "interface_item") ||
        wit_is(c, "world_item")) {
      *out = c;
      return true;
    }
  }
  return false;
}

static bool visit_extern(Lower *l, TSNode item, PathFn fn, void *ud) {
  TSNode null = { 0 };
  TSNode body = wit_field(item, "interface");
  if (!ts_node_is_null(body)) {
    uint32_t n = ts_node_named_child_count(body);
    for (uint32_t i = 0; i < n; i++) {
      TSNode c = ts_node_named_child(body, i);
      if (wit_is(c, "use_item"))
        TRY(fn(l, null, c, wit_field(c, "path"), c, PATH_INTERFACE, ud));
    }
    return true;
  }
  if (!ts_node_is_null(wit_field(item, "func"))) return true;
  TSNode path = wit_field(item, "path");
  if (!ts_node_is_null(path))
    TRY(fn(l, null, item, path, null, PATH_INTERFACE, ud));
  return true;
}

static bool for_each_path(Lower *l, PathFn fn, void *ud) {
  TSNode null = { 0 };
  DeclList *d = &l->lists[l->cur];
  uint32_t it = 0;
  TSNode item;
  while (each_item(d, &it, &item)) {
    if (wit_is(item, "world_item")) {
      TSNode body = wit_field(item, "body");
      TSNode name = wit_field(item, "name");
      uint32_t n = ts_node_named_child_count(body);
      for (uint32_t i = 0; i < n; i++) {
        TSNode c = ts_node_named_child(body, i);
        if (wit_is(c, "use_item"))
          TRY(fn(l, null, c, wit_field(c, "path"), c, PATH_INTERFACE, ud));
        else if (wit_is(c, "include_item"))
          TRY(fn(l, name, c, wit_field(c, "path"), null, PATH_WORLD, ud));
      }
      for (uint32_t i = 0; i < n; i++) {
        TSNode c = ts_node_named_child(body, i);
        if (wit_is(c, "import_item")) TRY(visit_extern(l, c, fn, ud));
      }
      for (uint32_t i = 0; i < n; i++) {
        TSNode c = ts_node_named_child(body, i);
        if (wit_is(c, "export_item")) TRY(visit_extern(l, c, fn, ud));
      }
    } else if (wit_is(item, "interface_item")) {
      TSNode body = wit_field(item, "body");
      TSNode name = wit_field(item, "name");
      uint32_t n = ts_node_named_child_count(body);
      for (uint32_t i = 0; i < n; i++) {
        TSNode c = ts_node_named_child(body, i);
        if (wit_is(c, "use_item"))
          TRY(fn(l, name, c, wit_field(c, "path"), c, PATH_INTERFACE, ud));
      }
    } else {
      TRY(fn(l, null, item, wit_field(item, "path"), null, PATH_UNKNOWN, ud));
    }
  }
  return true;
}

/* ---- populate_foreign_deps ---- */

static bool foreign_dep_cb(Lower *l, TSNode iface, TSNode attrs, TSNode path,
                           TSNode names, PathKind kind, void *ud) {
  (void)iface;
  (void)names;
  (void)ud;
  UsePath p = use_path(l, path);
  if (!p.foreign) return true;
  WgWitStability st;
  if (!stability_of(l, attrs, &st)) return false;
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
  WgStr name = ident(l, p.name);
  WitForeignItem *fi = NULL;
  for (size_t i = 0; i < dep->items.count; i++)
    if (wg_str_eq(dep->items.items[i].name, name)) fi = &dep->items.items[i];
  if (!fi) {
    WitForeignItem ni;
    memset(&ni, 0, sizeof ni);
    ni.name = name;
    ni.is_world = kind == PATH_WORLD;
    ni.id = ni.is_world ? alloc_world(l, span_of(l, p.name))
                        : alloc_interface(l, span_of(l, p.name));
    if (!ni.is_world) l->foreign_iface.items[ni.id] = true;
    TRY(WIT_PUSH(l->arena, &dep->items, ni));
    fi = &wg_vec_last(&dep->items);
  }
  return WIT_PUSH(l->arena, &fi->stabilities, st);
}

/* ---- populate_ast_items: names, topological order ---- */

typedef struct DepNode {
  WgStr name;
  TSNode item;
  size_t list;
  WG_WIT_ARRAY(WgStr) deps;
  WG_WIT_ARRAY(WgSpan) dep_spans;
} DepNode;

typedef struct OrderCtx {
  WG_WIT_ARRAY(DepNode) nodes;
  /* per-file namespace: name -> (foreign?, local target name) */
  WG_WIT_ARRAY(AstItem) ns;
  WG_WIT_ARRAY(WgStr) ns_target;
} OrderCtx;

static DepNode *dep_node(OrderCtx *o, WgStr name) {
  for (size_t i = 0; i < o->nodes.count; i++)
    if (wg_str_eq(o->nodes.items[i].name, name)) return &o->nodes.items[i];
  return NULL;
}

static bool order_cb(Lower *l, TSNode iface, TSNode attrs, TSNode path,
                     TSNode names, PathKind kind, void *ud) {
  (void)attrs;
  (void)names;
  (void)kind;
  OrderCtx *o = ud;
  if (ts_node_is_null(iface)) return true;
  UsePath p = use_path(l, path);
  if (p.foreign) return true;
  WgStr used = wit_ident(l->lists[l->cur].f, p.name);
  WgStr target = used;
  bool found = false;
  for (size_t i = 0; i < o->ns.count; i++) {
    if (wg_str_eq(o->ns.items[i].name, used)) {
      if (o->ns.items[i].is_world) return true; /* foreign (reused flag) */
      target = o->ns_target.items[i];
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
  WgSpan sp = span_of(l, p.name);
  return WIT_PUSH(l->arena, &dn->deps, target) &&
         WIT_PUSH(l->arena, &dn->dep_spans, sp);
}

/* wit-parser's toposort: ready nodes leave in source order (lowest index
 * first); reports missing names and cycles. `out` receives node indices. */
static bool toposort(Lower *l, DepNode *nodes, size_t n, const char *kind,
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
typedef WG_WIT_ARRAY(TSNode) NodeList;
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
    TSNode item;
    while (each_item(&l->lists[li], &it, &item)) {
      if (wit_is(item, "toplevel_use")) continue;
      TSNode nn = wit_field(item, "name");
      WgStr name = ident(l, nn);
      if (items_find(&names, name)) {
        ERR(l, nn, "duplicate item named `%.*s`", (int)name.len, name.ptr);
        return false;
      }
      AstItem ai = { name, wit_is(item, "world_item"), 0 };
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
    uint32_t it = 0;
    TSNode item;
    while (each_item(&l->lists[li], &it, &item)) {
      TSNode nn;
      WgStr target;
      bool foreign = false;
      if (wit_is(item, "toplevel_use")) {
        TSNode path = wit_field(item, "path");
        UsePath p = use_path(l, path);
        TSNode alias = wit_field(item, "alias");
        nn = ts_node_is_null(alias) ? p.name : alias;
        foreign = p.foreign;
        target = ident(l, p.name);
      } else {
        nn = wit_field(item, "name");
        target = ident(l, nn);
      }
      WgStr name = ident(l, nn);
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
    }
    TRY(for_each_path(l, order_cb, &o));
  }
  size_t n = o.nodes.count;
  size_t *order = calloc(n + 1, sizeof *order);
  if (!order) return false;
  if (!toposort(l, o.nodes.items, n, "interface or world", order)) {
    free(order);
    return false;
  }
  AstItems ids = { 0 };
  for (size_t k = 0; k < n; k++) {
    DepNode *dn = &o.nodes.items[order[k]];
    l->cur = dn->list;
    WgSpan sp = span_of(l, wit_field(dn->item, "name"));
    AstItem ai = { dn->name, wit_is(dn->item, "world_item"), 0 };
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
    TSNode item;
    while (each_item(&l->lists[li], &it, &item)) {
      AstItem ai;
      if (wit_is(item, "toplevel_use")) {
        if (has_attrs(item)) {
          ERR(l, item, "attributes not allowed on top-level use");
          return false;
        }
        UsePath p = use_path(l, wit_field(item, "path"));
        TSNode alias = wit_field(item, "alias");
        ai.name = ident(l, ts_node_is_null(alias) ? p.name : alias);
        WgStr target = ident(l, p.name);
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
        ai = *items_find(&ids, ident(l, wit_field(item, "name")));
        TRY(WIT_PUSH(l->arena, &items, ai));
        TRY(WIT_PUSH(l->arena, &l->package_items, ai));
      }
    }
    l->ast_items[li] = items;
  }
  return true;
}

/* ---- resolving use paths to items ---- */

static bool resolve_path(Lower *l, TSNode path, AstItem *out, TSNode *name) {
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

static bool path_iface(Lower *l, TSNode path, WgWitId *out, TSNode *name) {
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

static bool path_world(Lower *l, TSNode path, WgWitId *out, TSNode *name) {
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

static bool foreign_types_cb(Lower *l, TSNode iface, TSNode attrs, TSNode path,
                             TSNode names, PathKind kind, void *ud) {
  (void)iface;
  (void)kind;
  (void)ud;
  if (ts_node_is_null(names)) return true;
  WgWitStability st;
  WgStr ext;
  TRY(stability_of(l, attrs, &st));
  TRY(external_id_of(l, attrs, &ext));
  WgWitId id;
  TSNode nn;
  TRY(path_iface(l, path, &id, &nn));
  if (!l->foreign_iface.items[id]) return true;
  uint32_t n = ts_node_named_child_count(names);
  for (uint32_t i = 0; i < n; i++) {
    TSNode un = ts_node_named_child(names, i);
    if (!wit_is(un, "use_name")) continue;
    TSNode nm = wit_field(un, "name");
    WgStr name = ident(l, nm);
    Lookup *lk = &l->iface_types.items[id];
    if (lookup_find(lk, name)) continue;
    WgWitTypeDef t;
    memset(&t, 0, sizeof t);
    t.name = name;
    t.kind = WG_WIT_KIND_UNKNOWN;
    t.owner_kind = WG_WIT_OWNER_INTERFACE;
    t.owner = id;
    t.stability = st;
    t.external_id = ext;
    t.span = span_of(l, nm);
    WgWitId tid = alloc_type(l, &t);
    LookupEntry e = { name, true, tid, t.span };
    TRY(WIT_PUSH(l->arena, lk, e));
    WgWitNamedId ni = { name, tid };
    TRY(WIT_PUSH(l->arena, &l->u->interfaces.items[id].types, ni));
  }
  return true;
}

/* ---- types ---- */

static bool define_name(Lower *l, TSNode nn, bool is_type, WgWitId id) {
  WgStr name = ident(l, nn);
  if (lookup_find(&l->lookup, name)) {
    ERR(l, nn, "name `%.*s` is defined more than once", (int)name.len,
        name.ptr);
    return false;
  }
  LookupEntry e = { name, is_type, id, span_of(l, nn) };
  return WIT_PUSH(l->arena, &l->lookup, e);
}

static bool resolve_type(Lower *l, TSNode ty, const WgWitStability *st,
                         WgWitType *out);

static bool resolve_type_name(Lower *l, TSNode nn, WgWitId *out) {
  WgStr name = wit_ident(l->lists[l->cur].f, nn);
  LookupEntry *e = lookup_find(&l->lookup, name);
  if (!e) {
    ERR(l, nn, "name `%.*s` does not exist", (int)name.len, name.ptr);
    return false;
  }
  if (!e->is_type) {
    ERR(l, nn, "cannot use function `%.*s` as a type", (int)name.len, name.ptr);
    return false;
  }
  *out = e->id;
  return true;
}

static bool validate_resource(Lower *l, TSNode nn, WgWitId *out) {
  WgWitId id;
  TRY(resolve_type_name(l, nn, &id));
  WgWitId cur = id;
  for (;;) {
    WgWitTypeDef *t = &l->u->types.items[cur];
    if (t->kind == WG_WIT_KIND_RESOURCE) break;
    if (t->kind == WG_WIT_KIND_TYPE && WG_WIT_TYPE_IS_ID(t->a)) {
      cur = WG_WIT_TYPE_ID(t->a);
      continue;
    }
    if (t->kind == WG_WIT_KIND_UNKNOWN) {
      WitRequiredResource rr = { cur, span_of(l, nn) };
      TRY(WIT_PUSH(l->arena, &l->u->required_resources, rr));
      break;
    }
    WgStr name = wit_ident(l->lists[l->cur].f, nn);
    ERR(l, nn, "type `%.*s` used in a handle must be a resource", (int)name.len,
        name.ptr);
    return false;
  }
  *out = id;
  return true;
}

static WgWitPrim prim_of(WgStr s, bool *ok) {
  *ok = true;
  for (int p = 0; p < WG_WIT_PRIM_COUNT; p++)
    if (str_is(s, wg_wit_prim_name((WgWitPrim)p))) return (WgWitPrim)p;
  *ok = false;
  return WG_WIT_BOOL;
}

static bool check_attrs_absent(Lower *l, TSNode n) {
  if (!has_attrs(n)) return true;
  ERR(l, n, "attributes are not allowed here");
  return false;
}

static bool opt_type(Lower *l, TSNode n, const WgWitStability *st, bool *has,
                     WgWitType *out) {
  *has = !ts_node_is_null(n);
  if (!*has) return true;
  return resolve_type(l, n, st, out);
}

/* Fills `t->kind` and payload from a type node (wit-parser's
 * resolve_type_def). */
static bool resolve_type_def(Lower *l, TSNode ty, const WgWitStability *st,
                             WgWitTypeDef *t) {
  WitFile *f = l->lists[l->cur].f;
  const char *k = ts_node_type(ty);
  if (strcmp(k, "primitive_type") == 0) {
    WgStr s = wit_node_text(f, ty);
    bool ok;
    WgWitPrim p = prim_of(s, &ok);
    if (!ok) {
      const char *nw = str_is(s, "float32") ? "f32" : "f64";
      ERR(l, ty,
          "name `%.*s` is not defined (the `%.*s` type has been renamed to "
          "`%s`)",
          (int)s.len, s.ptr, (int)s.len, s.ptr, nw);
      return false;
    }
    t->kind = WG_WIT_KIND_TYPE;
    t->a = (WgWitType)p;
    return true;
  }
  if (strcmp(k, "named_type_ref") == 0) {
    WgWitId id;
    TRY(resolve_type_name(l, wit_field(ty, "name"), &id));
    t->kind = WG_WIT_KIND_TYPE;
    t->a = WG_WIT_TYPE_OF(id);
    return true;
  }
  if (strcmp(k, "list_type") == 0) {
    TRY(resolve_type(l, wit_field(ty, "element"), st, &t->a));
    TSNode len = wit_field(ty, "length");
    if (ts_node_is_null(len)) {
      t->kind = WG_WIT_KIND_LIST;
      return true;
    }
    WgStr s = wit_node_text(f, len);
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
      v = v * 10 + (uint64_t)(s.ptr[i] - '0');
      if (v > UINT32_MAX) break;
    }
    if (v > UINT32_MAX) {
      ERR(l, len, "fixed-length list size is too large");
      return false;
    }
    t->kind = WG_WIT_KIND_FIXED_LIST;
    t->size = (uint32_t)v;
    return true;
  }
  if (strcmp(k, "map_type") == 0) {
    TRY(resolve_type(l, wit_field(ty, "key"), st, &t->a));
    TRY(resolve_type(l, wit_field(ty, "value"), st, &t->b));
    if (WG_WIT_TYPE_IS_ID(t->a) || t->a == WG_WIT_F32 || t->a == WG_WIT_F64 ||
        t->a == WG_WIT_ERROR_CONTEXT) {
      ERR(l, ty,
          "invalid map key type: map keys must be bool, u8, u16, u32, u64, "
          "s8, s16, s32, s64, char, or string");
      return false;
    }
    t->kind = WG_WIT_KIND_MAP;
    return true;
  }
  if (strcmp(k, "handle_type") == 0) {
    TSNode kind = wit_field(ty, "kind");
    TRY(validate_resource(l, wit_field(ty, "resource"), &t->resource));
    t->kind = str_is(wit_node_text(f, kind), "own") ? WG_WIT_KIND_HANDLE_OWN
                                                    : WG_WIT_KIND_HANDLE_BORROW;
    return true;
  }
  if (strcmp(k, "tuple_type") == 0) {
    t->kind = WG_WIT_KIND_TUPLE;
    uint32_t n = ts_node_named_child_count(ty);
    for (uint32_t i = 0; i < n; i++) {
      TSNode c = ts_node_named_child(ty, i);
      if (wit_is(c, "comment") || wit_is(c, "doc_comment")) continue;
      WgWitType e;
      TRY(resolve_type(l, c, st, &e));
      TRY(WIT_PUSH(l->arena, &t->types, e));
    }
    return true;
  }
  if (strcmp(k, "option_type") == 0) {
    t->kind = WG_WIT_KIND_OPTION;
    return resolve_type(l, wit_field(ty, "payload"), st, &t->a);
  }
  if (strcmp(k, "result_type") == 0) {
    t->kind = WG_WIT_KIND_RESULT;
    TRY(opt_type(l, wit_field(ty, "ok"), st, &t->has_a, &t->a));
    return opt_type(l, wit_field(ty, "err"), st, &t->has_b, &t->b);
  }
  if (strcmp(k, "future_type") == 0 || strcmp(k, "stream_type") == 0) {
    t->kind = k[0] == 'f' ? WG_WIT_KIND_FUTURE : WG_WIT_KIND_STREAM;
    return opt_type(l, wit_field(ty, "payload"), st, &t->has_a, &t->a);
  }
  ERR(l, ty, "unexpected type syntax `%s`", k);
  return false;
}

/* wit-parser's find_stability: an anonymous type without its own gate
 * takes the first gate found on the types it directly refers to. */
static WgWitStability find_stability(Lower *l, const WgWitTypeDef *t,
                                     const WgWitStability *st) {
  if (st->kind != WG_WIT_STABILITY_UNKNOWN) return *st;
  WgWitStability none;
  memset(&none, 0, sizeof none);
  WgWitType cand[2];
  size_t nc = 0;
  switch (t->kind) {
    case WG_WIT_KIND_TYPE:
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_FIXED_LIST:
    case WG_WIT_KIND_OPTION:
      cand[nc++] = t->a;
      break;
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW:
      cand[nc++] = WG_WIT_TYPE_OF(t->resource);
      break;
    case WG_WIT_KIND_MAP:
      cand[nc++] = t->a;
      cand[nc++] = t->b;
      break;
    case WG_WIT_KIND_FUTURE:
    case WG_WIT_KIND_STREAM:
      if (t->has_a) cand[nc++] = t->a;
      break;
    case WG_WIT_KIND_RESULT:
      if (t->has_a) cand[nc++] = t->a;
      if (t->has_b) cand[nc++] = t->b;
      break;
    case WG_WIT_KIND_TUPLE:
      for (size_t i = 0; i < t->types.count; i++) {
        WgWitType e = t->types.items[i];
        if (WG_WIT_TYPE_IS_ID(e) &&
            l->u->types.items[WG_WIT_TYPE_ID(e)].stability.kind !=
                WG_WIT_STABILITY_UNKNOWN)
          return l->u->types.items[WG_WIT_TYPE_ID(e)].stability;
      }
      return none;
    default:
      return none;
  }
  for (size_t i = 0; i < nc; i++) {
    if (WG_WIT_TYPE_IS_ID(cand[i]) &&
        l->u->types.items[WG_WIT_TYPE_ID(cand[i])].stability.kind !=
            WG_WIT_STABILITY_UNKNOWN)
      return l->u->types.items[WG_WIT_TYPE_ID(cand[i])].stability;
  }
  return none;
}

/* Interning key of an anonymous type: its kind and referenced types. */
static void anon_key(const WgWitTypeDef *t, WgBuf *b) {
  uint32_t hdr[6] = { (uint32_t)t->kind,
                      t->a,
                      t->b,
                      (uint32_t)t->has_a | ((uint32_t)t->has_b << 1),
                      t->size,
                      t->resource };
  wg_buf_append(b, hdr, sizeof hdr);
  for (size_t i = 0; i < t->types.count; i++)
    wg_buf_append(b, &t->types.items[i], sizeof(WgWitType));
}

static bool anon_type(Lower *l, WgWitTypeDef *t, WgWitType *out) {
  if (t->kind == WG_WIT_KIND_TYPE) {
    *out = t->a;
    return true;
  }
  if (t->kind == WG_WIT_KIND_HANDLE_OWN) {
    *out = WG_WIT_TYPE_OF(t->resource);
    return true;
  }
  WgBuf b = { 0 };
  anon_key(t, &b);
  if (b.failed) return false;
  uint64_t h = wg_hash_bytes(b.data, b.len);
  if (l->anon_count * 2 >= l->anon_cap) {
    size_t ncap = l->anon_cap ? l->anon_cap * 2 : 64;
    AnonSlot *ns = calloc(ncap, sizeof *ns);
    if (!ns) {
      wg_buf_free(&b);
      return false;
    }
    for (size_t i = 0; i < l->anon_cap; i++) {
      if (!l->anon[i].key) continue;
      size_t j = l->anon[i].hash & (ncap - 1);
      while (ns[j].key)
        j = (j + 1) & (ncap - 1);
      ns[j] = l->anon[i];
    }
    free(l->anon);
    l->anon = ns;
    l->anon_cap = ncap;
  }
  size_t j = h & (l->anon_cap - 1);
  while (l->anon[j].key) {
    if (l->anon[j].hash == h && l->anon[j].key_len == b.len &&
        memcmp(l->anon[j].key, b.data, b.len) == 0) {
      *out = WG_WIT_TYPE_OF(l->anon[j].id);
      wg_buf_free(&b);
      return true;
    }
    j = (j + 1) & (l->anon_cap - 1);
  }
  WgWitId id = alloc_type(l, t);
  char *key = wg_arena_alloc(l->arena, b.len);
  if (id == WG_WIT_NONE || !key) {
    wg_buf_free(&b);
    return false;
  }
  memcpy(key, b.data, b.len);
  l->anon[j] = (AnonSlot){ h, key, b.len, id };
  l->anon_count++;
  wg_buf_free(&b);
  *out = WG_WIT_TYPE_OF(id);
  return true;
}

static bool resolve_type(Lower *l, TSNode ty, const WgWitStability *st,
                         WgWitType *out) {
  WgWitTypeDef t;
  memset(&t, 0, sizeof t);
  t.resource = WG_WIT_NONE;
  t.owner = WG_WIT_NONE;
  TRY(resolve_type_def(l, ty, st, &t));
  t.stability = find_stability(l, &t, st);
  t.span = span_of(l, ty);
  return anon_type(l, &t, out);
}

/* Resolves a named type definition item into `t` (kind, cases, ...). */
static bool resolve_typedef_item(Lower *l, TSNode item,
                                 const WgWitStability *st, WgWitTypeDef *t) {
  const char *k = ts_node_type(item);
  if (strcmp(k, "type_item") == 0)
    return resolve_type_def(l, wit_field(item, "type"), st, t);
  if (strcmp(k, "resource_item") == 0) {
    t->kind = WG_WIT_KIND_RESOURCE;
    TSNode body = wit_field(item, "body");
    if (ts_node_is_null(body)) return true;
    uint32_t n = ts_node_named_child_count(body);
    int ctors = 0;
    for (uint32_t i = 0; i < n; i++) {
      TSNode c = ts_node_named_child(body, i);
      if (wit_is(c, "constructor")) {
        if (++ctors > 1) {
          ERR(l, c, "duplicate constructors");
          return false;
        }
        continue;
      }
      if (!wit_is(c, "func_item") && !wit_is(c, "static_func")) continue;
      WgStr nm = wit_ident(l->lists[l->cur].f, wit_field(c, "name"));
      for (uint32_t j = 0; j < i; j++) {
        TSNode p = ts_node_named_child(body, j);
        if (!wit_is(p, "func_item") && !wit_is(p, "static_func")) continue;
        if (wg_str_eq(wit_ident(l->lists[l->cur].f, wit_field(p, "name")),
                      nm)) {
          ERR(l, wit_field(c, "name"), "duplicate function name `%.*s`",
              (int)nm.len, nm.ptr);
          return false;
        }
      }
    }
    return true;
  }
  bool record = strcmp(k, "record_item") == 0;
  bool flags = strcmp(k, "flags_item") == 0;
  bool variant = strcmp(k, "variant_item") == 0;
  bool is_enum = strcmp(k, "enum_item") == 0;
  t->kind = record    ? WG_WIT_KIND_RECORD
            : flags   ? WG_WIT_KIND_FLAGS
            : variant ? WG_WIT_KIND_VARIANT
                      : WG_WIT_KIND_ENUM;
  uint32_t n = ts_node_named_child_count(item);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(item, i);
    if (!wit_is(c, "record_field") && !wit_is(c, "flag") &&
        !wit_is(c, "variant_case") && !wit_is(c, "enum_case"))
      continue;
    TRY(check_attrs_absent(l, c));
    WgWitCase cs;
    memset(&cs, 0, sizeof cs);
    TSNode nn = wit_field(c, "name");
    cs.name = ident(l, nn);
    cs.span = span_of(l, nn);
    cs.docs = docs_of(l, c);
    TSNode ty = wit_field(c, "type");
    if (!ts_node_is_null(ty)) {
      cs.has_type = true;
      TRY(resolve_type(l, ty, st, &cs.type));
    }
    TRY(WIT_PUSH(l->arena, &t->cases, cs));
  }
  if ((variant || is_enum) && t->cases.count == 0) {
    ERR(l, item, variant ? "empty variant" : "empty enum");
    return false;
  }
  return true;
}

static bool is_typedef_item(TSNode c) {
  return wit_is(c, "type_item") || wit_is(c, "record_item") ||
         wit_is(c, "flags_item") || wit_is(c, "variant_item") ||
         wit_is(c, "enum_item") || wit_is(c, "resource_item");
}

static void collect_deps(Lower *l, TSNode ty, DepNode *dn) {
  if (ts_node_is_null(ty)) return;
  if (wit_is(ty, "named_type_ref") || wit_is(ty, "handle_type")) {
    TSNode nn = wit_field(ty, wit_is(ty, "handle_type") ? "resource" : "name");
    WgStr nm = ident(l, nn);
    WgSpan sp = span_of(l, nn);
    WIT_PUSH(l->arena, &dn->deps, nm);
    WIT_PUSH(l->arena, &dn->dep_spans, sp);
    return;
  }
  if (wit_is(ty, "resource_item")) return;
  uint32_t n = ts_node_named_child_count(ty);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(ty, i);
    if (wit_is(c, "identifier") || is_attr(c) || wit_is(c, "comment") ||
        wit_is(c, "doc_comment") || wit_is(c, "integer") ||
        wit_is(c, "primitive_type"))
      continue;
    if (wit_is(c, "record_field") || wit_is(c, "variant_case")) {
      collect_deps(l, wit_field(c, "type"), dn);
      continue;
    }
    if (wit_is(c, "flag") || wit_is(c, "enum_case")) continue;
    collect_deps(l, c, dn);
  }
}

static bool resolve_use(Lower *l, WgWitOwnerKind ok, WgWitId owner, TSNode u) {
  WgWitId from;
  TSNode nn;
  TRY(path_iface(l, wit_field(u, "path"), &from, &nn));
  WgWitStability st;
  WgStr ext;
  TRY(stability_of(l, u, &st));
  TRY(external_id_of(l, u, &ext));
  uint32_t n = ts_node_named_child_count(u);
  for (uint32_t i = 0; i < n; i++) {
    TSNode un = ts_node_named_child(u, i);
    if (!wit_is(un, "use_name")) continue;
    TSNode name = wit_field(un, "name");
    WgStr nm = wit_ident(l->lists[l->cur].f, name);
    LookupEntry *e = lookup_find(&l->iface_types.items[from], nm);
    if (!e) {
      ERR(l, name, "name `%.*s` does not exist", (int)nm.len, nm.ptr);
      return false;
    }
    if (!e->is_type) {
      ERR(l, name, "cannot import function `%.*s`", (int)nm.len, nm.ptr);
      return false;
    }
    TSNode alias = wit_field(un, "alias");
    TSNode def = ts_node_is_null(alias) ? name : alias;
    WgWitTypeDef t;
    memset(&t, 0, sizeof t);
    t.kind = WG_WIT_KIND_TYPE;
    t.a = WG_WIT_TYPE_OF(e->id);
    t.name = ident(l, def);
    t.owner_kind = ok;
    t.owner = owner;
    t.stability = st;
    t.external_id = ext;
    t.span = span_of(l, name);
    t.resource = WG_WIT_NONE;
    WgWitId id = alloc_type(l, &t);
    TRY(id != WG_WIT_NONE);
    TRY(define_name(l, def, true, id));
  }
  return true;
}

static bool resolve_types(Lower *l, WgWitOwnerKind ok, WgWitId owner,
                          TSNode body) {
  l->lookup = (Lookup){ 0 };
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(body, i);
    if (wit_is(c, "use_item")) TRY(resolve_use(l, ok, owner, c));
  }
  WG_WIT_ARRAY(DepNode) nodes = { 0 };
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(body, i);
    if (is_typedef_item(c)) {
      TSNode nn = wit_field(c, "name");
      WgStr nm = ident(l, nn);
      for (size_t k = 0; k < nodes.count; k++) {
        if (wg_str_eq(nodes.items[k].name, nm)) {
          ERR(l, nn, "name `%.*s` is defined more than once", (int)nm.len,
              nm.ptr);
          return false;
        }
      }
      DepNode dn;
      memset(&dn, 0, sizeof dn);
      dn.name = nm;
      dn.item = c;
      dn.list = 1;
      if (wit_is(c, "type_item"))
        collect_deps(l, wit_field(c, "type"), &dn);
      else
        collect_deps(l, c, &dn);
      TRY(WIT_PUSH(l->arena, &nodes, dn));
    } else if (wit_is(c, "use_item")) {
      uint32_t m = ts_node_named_child_count(c);
      for (uint32_t j = 0; j < m; j++) {
        TSNode un = ts_node_named_child(c, j);
        if (!wit_is(un, "use_name")) continue;
        TSNode alias = wit_field(un, "alias");
        WgStr nm =
            ident(l, ts_node_is_null(alias) ? wit_field(un, "name") : alias);
        DepNode *prev = NULL;
        for (size_t k = 0; k < nodes.count; k++)
          if (wg_str_eq(nodes.items[k].name, nm)) prev = &nodes.items[k];
        if (prev) {
          /* IndexMap insert keeps the first position. */
          prev->deps.count = 0;
          prev->list = 0;
          continue;
        }
        DepNode dn;
        memset(&dn, 0, sizeof dn);
        dn.name = nm;
        dn.list = 0;
        TRY(WIT_PUSH(l->arena, &nodes, dn));
      }
    }
  }
  size_t *order = calloc(nodes.count + 1, sizeof *order);
  if (!order) return false;
  if (!toposort(l, nodes.items, nodes.count, "type", order)) {
    free(order);
    return false;
  }
  bool okk = true;
  for (size_t k = 0; k < nodes.count && okk; k++) {
    DepNode *dn = &nodes.items[order[k]];
    if (dn->list == 0) continue;
    TSNode item = dn->item;
    WgWitTypeDef t;
    memset(&t, 0, sizeof t);
    t.resource = WG_WIT_NONE;
    t.docs = docs_of(l, item);
    okk = stability_of(l, item, &t.stability) &&
          external_id_of(l, item, &t.external_id) &&
          resolve_typedef_item(l, item, &t.stability, &t);
    if (!okk) break;
    TSNode nn = wit_field(item, "name");
    t.name = ident(l, nn);
    t.owner_kind = ok;
    t.owner = owner;
    t.span = span_of(l, nn);
    WgWitId id = alloc_type(l, &t);
    okk = id != WG_WIT_NONE && define_name(l, nn, true, id);
  }
  free(order);
  return okk;
}

/* ---- functions ---- */

static bool resolve_function(Lower *l, TSNode item, TSNode fn, WgStr name,
                             TSNode name_node, WgWitFuncKind kind,
                             WgWitId resource, WgWitFunction *out) {
  memset(out, 0, sizeof *out);
  out->docs = docs_of(l, item);
  TRY(stability_of(l, item, &out->stability));
  TRY(external_id_of(l, item, &out->external_id));
  out->name = name;
  out->kind = kind;
  out->resource = resource;
  out->span = span_of(l, name_node);
  WgWitStability none;
  memset(&none, 0, sizeof none);
  if (kind == WG_WIT_FUNC_METHOD || kind == WG_WIT_FUNC_ASYNC_METHOD) {
    WgWitTypeDef t;
    memset(&t, 0, sizeof t);
    t.kind = WG_WIT_KIND_HANDLE_BORROW;
    t.resource = resource;
    t.owner = WG_WIT_NONE;
    t.stability = find_stability(l, &t, &none);
    t.span = span_of(l, fn);
    WgWitParam p = { WG_STR("self"), 0, out->span };
    TRY(anon_type(l, &t, &p.type));
    TRY(WIT_PUSH(l->arena, &out->params, p));
  }
  TSNode params = wit_field(fn, "params");
  uint32_t n = ts_node_named_child_count(params);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(params, i);
    if (!wit_is(c, "named_type")) continue;
    TSNode pn = wit_field(c, "name");
    WgWitParam p;
    p.name = ident(l, pn);
    p.span = span_of(l, pn);
    for (size_t k = 0; k < out->params.count; k++) {
      if (wg_str_eq(out->params.items[k].name, p.name)) {
        ERR(l, pn, "param `%.*s` is defined more than once", (int)p.name.len,
            p.name.ptr);
        return false;
      }
    }
    TRY(resolve_type(l, wit_field(c, "type"), &none, &p.type));
    TRY(WIT_PUSH(l->arena, &out->params, p));
  }
  TSNode res = wit_field(fn, "result");
  if (kind == WG_WIT_FUNC_CONSTRUCTOR) {
    out->has_result = true;
    if (ts_node_is_null(res)) {
      out->result = WG_WIT_TYPE_OF(resource);
      return true;
    }
    TRY(resolve_type(l, res, &none, &out->result));
    WgWitTypeDef *rt = WG_WIT_TYPE_IS_ID(out->result)
                           ? &l->u->types.items[WG_WIT_TYPE_ID(out->result)]
                           : NULL;
    if (!rt || rt->kind != WG_WIT_KIND_RESULT) {
      ERR(l, res,
          "if a constructor return type is declared it must be a `result`");
      return false;
    }
    if (!rt->has_a || rt->a != WG_WIT_TYPE_OF(resource)) {
      TSNode okn = wit_field(res, "ok");
      ERR(l, ts_node_is_null(okn) ? res : okn,
          "the `ok` type must be the resource being constructed");
      return false;
    }
    return true;
  }
  if (!ts_node_is_null(res)) {
    out->has_result = true;
    TRY(resolve_type(l, res, &none, &out->result));
  }
  return true;
}

static bool resource_funcs(Lower *l, TSNode item, WgWitFunctionList *out,
                           bool world, WgWitId world_id);

static bool push_world_func(Lower *l, WgWitId world_id, WgWitFunction *f);

static bool resolve_interface(Lower *l, WgWitId id, TSNode body, TSNode item) {
  WgWitInterface *ifc = &l->u->interfaces.items[id];
  ifc->docs = docs_of(l, item);
  WgWitStability st;
  TRY(stability_of(l, item, &st));
  l->u->interfaces.items[id].stability = st;
  TRY(resolve_types(l, WG_WIT_OWNER_INTERFACE, id, body));
  for (size_t i = 0; i < l->lookup.count; i++) {
    WgWitNamedId ni = { l->lookup.items[i].name, l->lookup.items[i].id };
    TRY(WIT_PUSH(l->arena, &l->u->interfaces.items[id].types, ni));
  }
  WgWitFunctionList funcs = { 0 };
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(body, i);
    if (wit_is(c, "func_item")) {
      TSNode nn = wit_field(c, "name");
      TRY(define_name(l, nn, false, 0));
      TSNode fn = wit_field(c, "type");
      bool async = !ts_node_is_null(wit_field(fn, "async"));
      WgWitFunction f;
      TRY(resolve_function(l, c, fn, ident(l, nn), nn,
                           async ? WG_WIT_FUNC_ASYNC_FREESTANDING
                                 : WG_WIT_FUNC_FREESTANDING,
                           WG_WIT_NONE, &f));
      TRY(WIT_PUSH(l->arena, &funcs, f));
    } else if (wit_is(c, "resource_item")) {
      TRY(resource_funcs(l, c, &funcs, false, 0));
    }
  }
  l->u->interfaces.items[id].functions = funcs;
  l->iface_types.items[id] = l->lookup;
  l->lookup = (Lookup){ 0 };
  return true;
}

static bool resource_funcs(Lower *l, TSNode item, WgWitFunctionList *out,
                           bool world, WgWitId world_id) {
  TSNode body = wit_field(item, "body");
  if (ts_node_is_null(body)) return true;
  WgStr rname = ident(l, wit_field(item, "name"));
  LookupEntry *e = lookup_find(&l->lookup, rname);
  if (!e) return false;
  WgWitId rid = e->id;
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(body, i);
    WgWitFunction f;
    if (wit_is(c, "constructor")) {
      char *cs = wg_arena_printf(l->arena, "[constructor]%.*s", (int)rname.len,
                                 rname.ptr);
      TRY(cs);
      WgStr name = { cs, strlen(cs) };
      TRY(resolve_function(l, c, c, name, c, WG_WIT_FUNC_CONSTRUCTOR, rid, &f));
    } else if (wit_is(c, "func_item") || wit_is(c, "static_func")) {
      bool is_static = wit_is(c, "static_func");
      TSNode nn = wit_field(c, "name");
      TSNode fn = wit_field(c, "type");
      bool async = !ts_node_is_null(wit_field(fn, "async"));
      WgStr fname = wit_ident(l->lists[l->cur].f, nn);
      char *s = wg_arena_printf(l->arena, "[%s]%.*s.%.*s",
                                is_static ? "static" : "method", (int)rname.len,
                                rname.ptr, (int)fname.len, fname.ptr);
      TRY(s);
      WgWitFuncKind k =
          is_static ? (async ? WG_WIT_FUNC_ASYNC_STATIC : WG_WIT_FUNC_STATIC)
                    : (async ? WG_WIT_FUNC_ASYNC_METHOD : WG_WIT_FUNC_METHOD);
      TRY(resolve_function(l, c, fn, (WgStr){ s, strlen(s) }, nn, k, rid, &f));
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

static bool resolve_world(Lower *l, WgWitId wid, TSNode item) {
  TSNode body = wit_field(item, "body");
  l->u->worlds.items[wid].docs = docs_of(l, item);
  WgWitStability st;
  TRY(stability_of(l, item, &st));
  l->u->worlds.items[wid].stability = st;
  TRY(resolve_types(l, WG_WIT_OWNER_WORLD, wid, body));
  uint32_t n = ts_node_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    TSNode c = ts_node_named_child(body, i);
    if (!wit_is(c, "include_item")) continue;
    WgWitInclude inc;
    memset(&inc, 0, sizeof inc);
    TRY(stability_of(l, c, &inc.stability));
    TSNode nn;
    TRY(path_world(l, wit_field(c, "path"), &inc.world, &nn));
    inc.span = span_of(l, nn);
    uint32_t m = ts_node_named_child_count(c);
    for (uint32_t j = 0; j < m; j++) {
      TSNode in = ts_node_named_child(c, j);
      if (!wit_is(in, "include_name")) continue;
      WgWitIncludeName x = { ident(l, wit_field(in, "name")),
                             ident(l, wit_field(in, "alias")) };
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
    TSNode c = ts_node_named_child(body, i);
    bool imp = wit_is(c, "import_item");
    if (wit_is(c, "resource_item")) {
      TRY(resource_funcs(l, c, NULL, true, wid));
      continue;
    }
    if (!imp && !wit_is(c, "export_item")) continue;
    const char *desc = imp ? "import" : "export";
    WgWitWorldEntry e;
    memset(&e, 0, sizeof e);
    e.id = WG_WIT_NONE;
    TSNode name = wit_field(c, "name");
    TSNode ibody = wit_field(c, "interface");
    TSNode fn = wit_field(c, "func");
    TSNode path = wit_field(c, "path");
    if (!ts_node_is_null(ibody)) {
      Lookup saved = l->lookup;
      WgWitId id = alloc_interface(l, span_of(l, name));
      TRY(id != WG_WIT_NONE);
      TRY(resolve_interface(l, id, ibody, c));
      l->lookup = saved;
      e.kind = WG_WIT_ITEM_INTERFACE;
      e.id = id;
      e.stability = l->u->interfaces.items[id].stability;
      TRY(external_id_of(l, c, &e.external_id));
      e.span = span_of(l, name);
      e.key_name = ident(l, name);
    } else if (!ts_node_is_null(fn)) {
      bool async = !ts_node_is_null(wit_field(fn, "async"));
      TRY(resolve_function(l, c, fn, ident(l, name), name,
                           async ? WG_WIT_FUNC_ASYNC_FREESTANDING
                                 : WG_WIT_FUNC_FREESTANDING,
                           WG_WIT_NONE, &e.func));
      e.kind = WG_WIT_ITEM_FUNCTION;
      e.key_name = e.func.name;
      e.span = e.func.span;
    } else {
      TRY(stability_of(l, c, &e.stability));
      TRY(external_id_of(l, c, &e.external_id));
      e.docs = docs_of(l, c);
      TSNode nn;
      TRY(path_iface(l, path, &e.id, &nn));
      e.kind = WG_WIT_ITEM_INTERFACE;
      if (ts_node_is_null(name)) {
        e.key_is_interface = true;
        e.key_iface = e.id;
        e.span = span_of(l, nn);
      } else {
        e.key_name = ident(l, name);
        e.span = span_of(l, name);
      }
    }
    if (e.key_is_interface) {
      IdList *set = imp ? &imported : &exported;
      for (size_t k = 0; k < set->count; k++) {
        if (set->items[k] == e.key_iface) {
          WgSpan sp = span_of(l, path);
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
      WgSpan sp = span_of(l, ts_node_is_null(name) ? path : name);
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
                          TSNode *pkg_decls, WitUPkg **out) {
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
    if (ts_node_is_null(pkg_decls[i])) continue;
    l.cur = i;
    TSNode pn = ts_node_named_child(pkg_decls[i], 0);
    for (uint32_t k = 0; k < ts_node_named_child_count(pkg_decls[i]); k++)
      if (wit_is(ts_node_named_child(pkg_decls[i], k), "package_name"))
        pn = ts_node_named_child(pkg_decls[i], k);
    WgWitPackageName name;
    memset(&name, 0, sizeof name);
    name.ns = ident(&l, wit_field(pn, "namespace"));
    name.name = ident(&l, wit_field(pn, "name"));
    TSNode v = wit_field(pn, "version");
    if (!ts_node_is_null(v))
      name.version = dup(&l, wit_node_text(lists[i].f, v));
    WgSpan sp = span_of(&l, pn);
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
    l.has_name = true;
    WgWitDocs d = docs_of(&l, pkg_decls[i]);
    if (d.ptr) {
      if (l.has_docs) {
        wit_error(r, &sp, "found doc comments on multiple 'package' items");
        goto out;
      }
      l.has_docs = true;
      l.u->docs = d;
    }
  }
  if (!l.has_name) {
    WgSpan sp = { lists[0].f->file, 0, 0 };
    wit_error(r, &sp,
              "no `package` header was found in any WIT file for this "
              "package");
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
    TSNode item = onodes.items[k];
    if (wit_is(item, "world_item")) continue;
    l.cur = olists.items[k];
    if (!resolve_interface(&l, iorder.items[ii++], wit_field(item, "body"),
                           item))
      goto out;
  }
  for (size_t k = 0; k < onodes.count; k++) {
    TSNode item = onodes.items[k];
    if (!wit_is(item, "world_item")) continue;
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
  TSNode *main_decls = wg_arena_zalloc(arena, (nfiles + 1) * sizeof(TSNode));
  if (!main_lists || !main_decls) return false;
  for (size_t i = 0; i < nfiles; i++) {
    TSNode root = ts_tree_root_node(files[i].tree);
    main_lists[i] = (DeclList){ &files[i], root };
    main_decls[i] = wit_field(root, "package");
    uint32_t n = ts_node_named_child_count(root);
    for (uint32_t k = 0; k < n; k++) {
      TSNode c = ts_node_named_child(root, k);
      if (!wit_is(c, "nested_package")) continue;
      DeclList dl = { &files[i], c };
      TSNode decl = wit_field(c, "package");
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
