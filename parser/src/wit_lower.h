/* SPDX-License-Identifier: Apache-2.0 */
/* State shared by the lowering passes, which turn the syntax trees of one
 * package into an unresolved package (wit-parser's ast/resolve.rs).
 * Files, each calling only those below it:
 *   wit_lower.c        the driver: package header, passes in order
 *   wit_lower_world.c  world bodies: includes, imports, exports
 *   wit_lower_iface.c  interface bodies: functions, resource functions
 *   wit_lower_types.c  types, `use`s and function signatures of a body
 *   wit_lower_items.c  package-wide passes: foreign deps, the items and
 *                      their order, foreign types; `use` paths to items
 *   wit_lower_common.c node text, attributes, allocation, toposort */
#ifndef WG_PARSER_WIT_LOWER_H
#define WG_PARSER_WIT_LOWER_H

#include "wit_internal.h"

#define TRY(x)              \
  do {                      \
    if (!(x)) return false; \
  } while (0)

/* A syntax container of items: a file's top level or a nested package. */
typedef struct DeclList {
  WitFile *f;
  WitNode node;
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

typedef WG_WIT_ARRAY(WgWitId) IdList;

/* The package's interfaces and worlds in dependency order: `nodes` and
 * `lists` give each one's item and declaration list; `ifaces` and
 * `worlds` the ids of each kind, in that order. */
typedef struct ItemOrder {
  IdList ifaces, worlds;
  WG_WIT_ARRAY(WitNode) nodes;
  WG_WIT_ARRAY(size_t) lists;
} ItemOrder;

typedef struct DepNode {
  WgStr name;
  WitNode item;
  size_t list;
  WG_WIT_ARRAY(WgStr) deps;
  WG_WIT_ARRAY(WgSpan) dep_spans;
} DepNode;

#define ERR(l, node, ...)                 \
  do {                                    \
    WgSpan sp_ = wl_span_of((l), (node)); \
    wit_error((l)->r, &sp_, __VA_ARGS__); \
  } while (0)

/* wit_lower_common.c */
WgStr wl_dup(Lower *l, WgStr s);
WgSpan wl_span_of(Lower *l, WitNode n);
WgStr wl_ident(Lower *l, WitNode n);
WgWitDocs wl_docs_of(Lower *l, WitNode n);
bool wl_str_is(WgStr s, const char *c);
LookupEntry *wl_lookup_find(Lookup *lk, WgStr name);
bool wl_is_attr(WitNode c);
bool wl_has_attrs(WitNode item);
bool wl_stability_of(Lower *l, WitNode item, WgWitStability *out);
bool wl_external_id_of(Lower *l, WitNode item, WgStr *out);
/* Allocation in the unresolved package; WG_WIT_NONE when out of memory. */
WgWitId wl_alloc_interface(Lower *l, WgSpan span);
WgWitId wl_alloc_world(Lower *l, WgSpan span);
WgWitId wl_alloc_type(Lower *l, const WgWitTypeDef *t);
/* wit-parser's toposort; `out` receives node indices in order. */
bool wl_toposort(Lower *l, DepNode *nodes, size_t n, const char *kind,
                 size_t *out);

/* wit_lower_items.c: the passes before the bodies, in this order. */
/* Registers the foreign packages and items named by `use` paths. */
bool wl_populate_foreign_deps(Lower *l);
/* Names the package's interfaces and worlds, allocates them in dependency
 * order (recorded in `order`) and fills each file's l->ast_items. */
bool wl_populate_ast_items(Lower *l, ItemOrder *order);
/* Allocates the types that `use`s take from foreign interfaces. */
bool wl_populate_foreign_types(Lower *l);
/* The interface (or world) a `use` path names; `name` gets its name node. */
bool wl_path_iface(Lower *l, WitNode path, WgWitId *out, WitNode *name);
bool wl_path_world(Lower *l, WitNode path, WgWitId *out, WitNode *name);

/* wit_lower_types.c */
bool wl_define_name(Lower *l, WitNode nn, bool is_type, WgWitId id);
/* Resolves the `use` items and type definitions of an interface or world
 * body into l->lookup, in wit-parser's order. */
bool wl_resolve_types(Lower *l, WgWitOwnerKind ok, WgWitId owner, WitNode body);
bool wl_resolve_function(Lower *l, WitNode item, WitNode fn, WgStr name,
                         WitNode name_node, WgWitFuncKind kind,
                         WgWitId resource, WgWitFunction *out);
bool wl_anon_type(Lower *l, WgWitTypeDef *t, WgWitType *out);
WgWitStability wl_find_stability(Lower *l, const WgWitTypeDef *t,
                                 const WgWitStability *st);
bool wl_resolve_type(Lower *l, WitNode ty, const WgWitStability *st,
                     WgWitType *out);


/* wit_lower_iface.c */
/* Appends the functions of resource `item` to `out`. */
bool wl_resource_funcs(Lower *l, WitNode item, WgWitFunctionList *out);
/* Resolves interface `id` from its `body` (and `item`'s docs/gates). */
bool wl_resolve_interface(Lower *l, WgWitId id, WitNode body, WitNode item);

/* wit_lower_world.c */
/* Resolves world `wid` from its item. */
bool wl_resolve_world(Lower *l, WgWitId wid, WitNode item);

#endif
