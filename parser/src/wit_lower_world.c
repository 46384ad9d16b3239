/* SPDX-License-Identifier: Apache-2.0 */
/* Resolving a world body (wit-parser's resolve_world): its types and
 * `use`s, its `include`s, and its imports and exports (inline interfaces,
 * functions, resources, interface paths), rejecting names given twice. */
#include <string.h>

#include "arena.h"
#include "wit_lower.h"

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

/* The `include`s of a world body, with their worlds resolved; their items
 * are copied in when the package is added (wit_world.c). */
static bool world_includes(Lower *l, WgWitId wid, WitNode body) {
  uint32_t n = wit_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(body, i);
    if (!wit_is(c, WIT_KIND_INCLUDE_ITEM)) continue;
    WgWitInclude inc;
    memset(&inc, 0, sizeof inc);
    TRY(wl_stability_of(l, c, &inc.stability));
    WitNode nn;
    TRY(wl_path_world(l, wit_field(c, WIT_FIELD_PATH), &inc.world, &nn));
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
  return true;
}

/* The types defined or `use`d in the world body (l->lookup) become its
 * first imports. */
static bool world_type_imports(Lower *l, WgWitId wid) {
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
  return true;
}

/* The functions of a resource defined in the world body, imported under
 * their own names ([constructor]r, [method]r.f, [static]r.f). */
static bool world_resource_funcs(Lower *l, WgWitId wid, WitNode item) {
  WgWitFunctionList funcs = { 0 };
  TRY(wl_resource_funcs(l, item, &funcs));
  for (size_t i = 0; i < funcs.count; i++) {
    const WgWitFunction *f = &funcs.items[i];
    WgWitWorldEntry e;
    memset(&e, 0, sizeof e);
    e.key_name = f->name;
    e.kind = WG_WIT_ITEM_FUNCTION;
    e.func = *f;
    e.span = f->span;
    e.id = WG_WIT_NONE;
    TRY(WIT_PUSH(l->arena, &l->u->worlds.items[wid].imports, e));
  }
  return true;
}

/* The entry of an `import`/`export` item: an inline interface (resolved
 * here as an anonymous interface), a function, or a path to an interface
 * (keyed by the interface when the item gives no name). */
static bool extern_entry(Lower *l, WitNode c, WgWitWorldEntry *e) {
  memset(e, 0, sizeof *e);
  e->id = WG_WIT_NONE;
  WitNode name = wit_field(c, WIT_FIELD_NAME);
  WitNode ibody = wit_field(c, WIT_FIELD_INTERFACE);
  WitNode fn = wit_field(c, WIT_FIELD_FUNC);
  WitNode path = wit_field(c, WIT_FIELD_PATH);
  if (!wit_node_is_null(ibody)) {
    Lookup saved = l->lookup;
    WgWitId id = wl_alloc_interface(l, wl_span_of(l, name));
    TRY(id != WG_WIT_NONE);
    TRY(wl_resolve_interface(l, id, ibody, c));
    l->lookup = saved;
    e->kind = WG_WIT_ITEM_INTERFACE;
    e->id = id;
    e->stability = l->u->interfaces.items[id].stability;
    TRY(wl_external_id_of(l, c, &e->external_id));
    e->span = wl_span_of(l, name);
    e->key_name = wl_ident(l, name);
  } else if (!wit_node_is_null(fn)) {
    bool async = !wit_node_is_null(wit_field(fn, WIT_FIELD_ASYNC));
    TRY(wl_resolve_function(l, c, fn, wl_ident(l, name), name,
                            async ? WG_WIT_FUNC_ASYNC_FREESTANDING
                                  : WG_WIT_FUNC_FREESTANDING,
                            WG_WIT_NONE, &e->func));
    e->kind = WG_WIT_ITEM_FUNCTION;
    e->key_name = e->func.name;
    e->span = e->func.span;
  } else {
    TRY(wl_stability_of(l, c, &e->stability));
    TRY(wl_external_id_of(l, c, &e->external_id));
    e->docs = wl_docs_of(l, c);
    WitNode nn;
    TRY(wl_path_iface(l, path, &e->id, &nn));
    e->kind = WG_WIT_ITEM_INTERFACE;
    if (wit_node_is_null(name)) {
      e->key_is_interface = true;
      e->key_iface = e->id;
      e->span = wl_span_of(l, nn);
    } else {
      e->key_name = wl_ident(l, name);
      e->span = wl_span_of(l, name);
    }
  }
  return true;
}

/* Adds import (`is_import`) or export item `c` to world `wid`. An
 * interface imported (or exported) twice, or a name an earlier entry of
 * that side has, is an error; `seen` holds that side's interfaces. */
static bool add_extern(Lower *l, WgWitId wid, WitNode c, bool is_import,
                       IdList *seen) {
  const char *desc = is_import ? "import" : "export";
  WgWitWorldEntry e;
  TRY(extern_entry(l, c, &e));
  WitNode name = wit_field(c, WIT_FIELD_NAME);
  WitNode path = wit_field(c, WIT_FIELD_PATH);
  if (e.key_is_interface) {
    for (size_t k = 0; k < seen->count; k++) {
      if (seen->items[k] == e.key_iface) {
        WgSpan sp = wl_span_of(l, path);
        wit_error(l->r, &sp, "interface cannot be %sed more than once", desc);
        return false;
      }
    }
    TRY(WIT_PUSH(l->arena, seen, e.key_iface));
  }
  WgWitWorldItems *dst = is_import ? &l->u->worlds.items[wid].imports
                                   : &l->u->worlds.items[wid].exports;
  WgWitWorldEntry *prev = entry_find(dst, &e);
  if (prev) {
    const char *pk = prev->kind == WG_WIT_ITEM_INTERFACE  ? "interface"
                     : prev->kind == WG_WIT_ITEM_FUNCTION ? "func"
                                                          : "type";
    WgSpan sp = wl_span_of(l, wit_node_is_null(name) ? path : name);
    wit_error(l->r, &sp, "%s `%.*s` conflicts with prior %s of same name", desc,
              (int)e.key_name.len, e.key_name.ptr, pk);
    return false;
  }
  return WIT_PUSH(l->arena, dst, e);
}

bool wl_resolve_world(Lower *l, WgWitId wid, WitNode item) {
  WitNode body = wit_field(item, WIT_FIELD_BODY);
  l->u->worlds.items[wid].docs = wl_docs_of(l, item);
  WgWitStability st;
  TRY(wl_stability_of(l, item, &st));
  l->u->worlds.items[wid].stability = st;
  TRY(wl_resolve_types(l, WG_WIT_OWNER_WORLD, wid, body));
  TRY(world_includes(l, wid, body));
  TRY(world_type_imports(l, wid));
  IdList imported = { 0 }, exported = { 0 };
  uint32_t n = wit_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(body, i);
    bool is_import = wit_is(c, WIT_KIND_IMPORT_ITEM);
    if (wit_is(c, WIT_KIND_RESOURCE_ITEM))
      TRY(world_resource_funcs(l, wid, c));
    else if (is_import || wit_is(c, WIT_KIND_EXPORT_ITEM))
      TRY(add_extern(l, wid, c, is_import, is_import ? &imported : &exported));
  }
  l->lookup = (Lookup){ 0 };
  return true;
}
