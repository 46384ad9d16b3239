/* SPDX-License-Identifier: Apache-2.0 */
/* State shared by the lowering passes (wit_lower.c: package structure,
 * paths, worlds; wit_lower_types.c: types and functions). */
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
WgWitId wl_alloc_type(Lower *l, const WgWitTypeDef *t);
/* wit-parser's toposort; `out` receives node indices in order. */
bool wl_toposort(Lower *l, DepNode *nodes, size_t n, const char *kind,
                 size_t *out);
bool wl_path_iface(Lower *l, WitNode path, WgWitId *out, WitNode *name);

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

#endif
