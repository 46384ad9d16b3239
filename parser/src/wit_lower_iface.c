/* SPDX-License-Identifier: Apache-2.0 */
/* Resolving an interface body (wit-parser's resolve_interface): its types
 * and `use`s through wit_lower_types.c, then its functions, with the
 * constructor, methods and static functions of its resources. */
#include <string.h>

#include "arena.h"
#include "wit_lower.h"

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

bool wl_resource_funcs(Lower *l, WitNode item, WgWitFunctionList *out) {
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
    TRY(WIT_PUSH(l->arena, out, f));
  }
  return true;
}

bool wl_resolve_interface(Lower *l, WgWitId id, WitNode body, WitNode item) {
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
      TRY(wl_resource_funcs(l, c, &funcs));
    }
  }
  l->u->interfaces.items[id].functions = funcs;
  l->iface_types.items[id] = l->lookup;
  l->lookup = (Lookup){ 0 };
  return true;
}
