/* SPDX-License-Identifier: Apache-2.0 */
/* Lowering of type definitions, `use` items and functions: wit-parser's
 * resolve_types / resolve_type_def / anon_type_def / resolve_function. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "hash.h"
#include "strbuf.h"
#include "wit_lower.h"

/* ---- types ---- */

bool wl_define_name(Lower *l, WitNode nn, bool is_type, WgWitId id) {
  WgStr name = wl_ident(l, nn);
  if (wl_lookup_find(&l->lookup, name)) {
    ERR(l, nn, "name `%.*s` is defined more than once", (int)name.len,
        name.ptr);
    return false;
  }
  LookupEntry e = { name, is_type, id, wl_span_of(l, nn) };
  return WIT_PUSH(l->arena, &l->lookup, e);
}


static bool resolve_type_name(Lower *l, WitNode nn, WgWitId *out) {
  WgStr name = wit_ident(l->lists[l->cur].f, nn);
  LookupEntry *e = wl_lookup_find(&l->lookup, name);
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

static bool validate_resource(Lower *l, WitNode nn, WgWitId *out) {
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
      WitRequiredResource rr = { cur, wl_span_of(l, nn) };
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
    if (wl_str_is(s, wg_wit_prim_name((WgWitPrim)p))) return (WgWitPrim)p;
  *ok = false;
  return WG_WIT_BOOL;
}

static bool check_attrs_absent(Lower *l, WitNode n) {
  if (!wl_has_attrs(n)) return true;
  ERR(l, n, "attributes are not allowed here");
  return false;
}

static bool opt_type(Lower *l, WitNode n, const WgWitStability *st, bool *has,
                     WgWitType *out) {
  *has = !wit_node_is_null(n);
  if (!*has) return true;
  return wl_resolve_type(l, n, st, out);
}

/* Fills `t->kind` and payload from a type node (wit-parser's
 * resolve_type_def). */
static bool resolve_type_def(Lower *l, WitNode ty, const WgWitStability *st,
                             WgWitTypeDef *t) {
  WitFile *f = l->lists[l->cur].f;
  WitKind k = wit_kind(ty);
  if (k == WIT_KIND_PRIMITIVE_TYPE) {
    WgStr s = wit_node_text(f, ty);
    bool ok;
    WgWitPrim p = prim_of(s, &ok);
    if (!ok) {
      const char *nw = wl_str_is(s, "float32") ? "f32" : "f64";
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
  if (k == WIT_KIND_NAMED_TYPE_REF) {
    WgWitId id;
    TRY(resolve_type_name(l, wit_field(ty, WIT_FIELD_NAME), &id));
    t->kind = WG_WIT_KIND_TYPE;
    t->a = WG_WIT_TYPE_OF(id);
    return true;
  }
  if (k == WIT_KIND_LIST_TYPE) {
    TRY(wl_resolve_type(l, wit_field(ty, WIT_FIELD_ELEMENT), st, &t->a));
    WitNode len = wit_field(ty, WIT_FIELD_LENGTH);
    if (wit_node_is_null(len)) {
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
      ERR(l, len, "invalid list size: number too large to fit in target type");
      return false;
    }
    t->kind = WG_WIT_KIND_FIXED_LIST;
    t->size = (uint32_t)v;
    return true;
  }
  if (k == WIT_KIND_MAP_TYPE) {
    TRY(wl_resolve_type(l, wit_field(ty, WIT_FIELD_KEY), st, &t->a));
    TRY(wl_resolve_type(l, wit_field(ty, WIT_FIELD_VALUE), st, &t->b));
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
  if (k == WIT_KIND_HANDLE_TYPE) {
    WitNode kind = wit_field(ty, WIT_FIELD_KIND);
    TRY(validate_resource(l, wit_field(ty, WIT_FIELD_RESOURCE), &t->resource));
    t->kind = wl_str_is(wit_node_text(f, kind), "own")
                  ? WG_WIT_KIND_HANDLE_OWN
                  : WG_WIT_KIND_HANDLE_BORROW;
    return true;
  }
  if (k == WIT_KIND_TUPLE_TYPE) {
    t->kind = WG_WIT_KIND_TUPLE;
    uint32_t n = wit_named_child_count(ty);
    for (uint32_t i = 0; i < n; i++) {
      WitNode c = wit_named_child(ty, i);
      if (wit_is(c, WIT_KIND_COMMENT) || wit_is(c, WIT_KIND_DOC_COMMENT))
        continue;
      WgWitType e;
      TRY(wl_resolve_type(l, c, st, &e));
      TRY(WIT_PUSH(l->arena, &t->types, e));
    }
    return true;
  }
  if (k == WIT_KIND_OPTION_TYPE) {
    t->kind = WG_WIT_KIND_OPTION;
    return wl_resolve_type(l, wit_field(ty, WIT_FIELD_PAYLOAD), st, &t->a);
  }
  if (k == WIT_KIND_RESULT_TYPE) {
    t->kind = WG_WIT_KIND_RESULT;
    TRY(opt_type(l, wit_field(ty, WIT_FIELD_OK), st, &t->has_a, &t->a));
    return opt_type(l, wit_field(ty, WIT_FIELD_ERR), st, &t->has_b, &t->b);
  }
  if (k == WIT_KIND_FUTURE_TYPE || k == WIT_KIND_STREAM_TYPE) {
    t->kind =
        k == WIT_KIND_FUTURE_TYPE ? WG_WIT_KIND_FUTURE : WG_WIT_KIND_STREAM;
    return opt_type(l, wit_field(ty, WIT_FIELD_PAYLOAD), st, &t->has_a, &t->a);
  }
  ERR(l, ty, "unexpected type syntax `%s`", wit_kind_name(wit_kind(ty)));
  return false;
}

/* wit-parser's find_stability: an anonymous type without its own gate
 * takes the first gate found on the types it directly refers to. */
WgWitStability wl_find_stability(Lower *l, const WgWitTypeDef *t,
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

bool wl_anon_type(Lower *l, WgWitTypeDef *t, WgWitType *out) {
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
  WgWitId id = wl_alloc_type(l, t);
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

bool wl_resolve_type(Lower *l, WitNode ty, const WgWitStability *st,
                     WgWitType *out) {
  WgWitTypeDef t;
  memset(&t, 0, sizeof t);
  t.resource = WG_WIT_NONE;
  t.owner = WG_WIT_NONE;
  TRY(resolve_type_def(l, ty, st, &t));
  t.stability = wl_find_stability(l, &t, st);
  t.span = wl_span_of(l, ty);
  return wl_anon_type(l, &t, out);
}

/* Resolves a named type definition item into `t` (kind, cases, ...). */
static bool resolve_typedef_item(Lower *l, WitNode item,
                                 const WgWitStability *st, WgWitTypeDef *t) {
  WitKind k = wit_kind(item);
  if (k == WIT_KIND_TYPE_ITEM)
    return resolve_type_def(l, wit_field(item, WIT_FIELD_TYPE), st, t);
  if (k == WIT_KIND_RESOURCE_ITEM) {
    t->kind = WG_WIT_KIND_RESOURCE;
    WitNode body = wit_field(item, WIT_FIELD_BODY);
    if (wit_node_is_null(body)) return true;
    uint32_t n = wit_named_child_count(body);
    int ctors = 0;
    for (uint32_t i = 0; i < n; i++) {
      WitNode c = wit_named_child(body, i);
      if (wit_is(c, WIT_KIND_CONSTRUCTOR)) {
        if (++ctors > 1) {
          ERR(l, c, "duplicate constructors");
          return false;
        }
        continue;
      }
      if (!wit_is(c, WIT_KIND_FUNC_ITEM) && !wit_is(c, WIT_KIND_STATIC_FUNC))
        continue;
      WgStr nm = wit_ident(l->lists[l->cur].f, wit_field(c, WIT_FIELD_NAME));
      for (uint32_t j = 0; j < i; j++) {
        WitNode p = wit_named_child(body, j);
        if (!wit_is(p, WIT_KIND_FUNC_ITEM) && !wit_is(p, WIT_KIND_STATIC_FUNC))
          continue;
        if (wg_str_eq(
                wit_ident(l->lists[l->cur].f, wit_field(p, WIT_FIELD_NAME)),
                nm)) {
          ERR(l, wit_field(c, WIT_FIELD_NAME), "duplicate function name `%.*s`",
              (int)nm.len, nm.ptr);
          return false;
        }
      }
    }
    return true;
  }
  bool record = k == WIT_KIND_RECORD_ITEM;
  bool flags = k == WIT_KIND_FLAGS_ITEM;
  bool variant = k == WIT_KIND_VARIANT_ITEM;
  bool is_enum = k == WIT_KIND_ENUM_ITEM;
  t->kind = record    ? WG_WIT_KIND_RECORD
            : flags   ? WG_WIT_KIND_FLAGS
            : variant ? WG_WIT_KIND_VARIANT
                      : WG_WIT_KIND_ENUM;
  uint32_t n = wit_named_child_count(item);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(item, i);
    if (!wit_is(c, WIT_KIND_RECORD_FIELD) && !wit_is(c, WIT_KIND_FLAG) &&
        !wit_is(c, WIT_KIND_VARIANT_CASE) && !wit_is(c, WIT_KIND_ENUM_CASE))
      continue;
    TRY(check_attrs_absent(l, c));
    WgWitCase cs;
    memset(&cs, 0, sizeof cs);
    WitNode nn = wit_field(c, WIT_FIELD_NAME);
    cs.name = wl_ident(l, nn);
    cs.span = wl_span_of(l, nn);
    cs.docs = wl_docs_of(l, c);
    WitNode ty = wit_field(c, WIT_FIELD_TYPE);
    if (!wit_node_is_null(ty)) {
      cs.has_type = true;
      TRY(wl_resolve_type(l, ty, st, &cs.type));
    }
    TRY(WIT_PUSH(l->arena, &t->cases, cs));
  }
  if ((variant || is_enum) && t->cases.count == 0) {
    /* at the name, as wit-parser */
    ERR(l, wit_field(item, WIT_FIELD_NAME),
        variant ? "empty variant" : "empty enum");
    return false;
  }
  return true;
}

static bool is_typedef_item(WitNode c) {
  return wit_is(c, WIT_KIND_TYPE_ITEM) || wit_is(c, WIT_KIND_RECORD_ITEM) ||
         wit_is(c, WIT_KIND_FLAGS_ITEM) || wit_is(c, WIT_KIND_VARIANT_ITEM) ||
         wit_is(c, WIT_KIND_ENUM_ITEM) || wit_is(c, WIT_KIND_RESOURCE_ITEM);
}

static void collect_deps(Lower *l, WitNode ty, DepNode *dn) {
  if (wit_node_is_null(ty)) return;
  if (wit_is(ty, WIT_KIND_NAMED_TYPE_REF) || wit_is(ty, WIT_KIND_HANDLE_TYPE)) {
    WitNode nn =
        wit_field(ty, wit_is(ty, WIT_KIND_HANDLE_TYPE) ? WIT_FIELD_RESOURCE
                                                       : WIT_FIELD_NAME);
    WgStr nm = wl_ident(l, nn);
    WgSpan sp = wl_span_of(l, nn);
    WIT_PUSH(l->arena, &dn->deps, nm);
    WIT_PUSH(l->arena, &dn->dep_spans, sp);
    return;
  }
  if (wit_is(ty, WIT_KIND_RESOURCE_ITEM)) return;
  uint32_t n = wit_named_child_count(ty);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(ty, i);
    if (wit_is(c, WIT_KIND_IDENTIFIER) || wl_is_attr(c) ||
        wit_is(c, WIT_KIND_COMMENT) || wit_is(c, WIT_KIND_DOC_COMMENT) ||
        wit_is(c, WIT_KIND_INTEGER) || wit_is(c, WIT_KIND_PRIMITIVE_TYPE))
      continue;
    if (wit_is(c, WIT_KIND_RECORD_FIELD) || wit_is(c, WIT_KIND_VARIANT_CASE)) {
      collect_deps(l, wit_field(c, WIT_FIELD_TYPE), dn);
      continue;
    }
    if (wit_is(c, WIT_KIND_FLAG) || wit_is(c, WIT_KIND_ENUM_CASE)) continue;
    collect_deps(l, c, dn);
  }
}

static bool resolve_use(Lower *l, WgWitOwnerKind ok, WgWitId owner, WitNode u) {
  WgWitId from;
  WitNode nn;
  TRY(wl_path_iface(l, wit_field(u, WIT_FIELD_PATH), &from, &nn));
  WgWitStability st;
  WgStr ext;
  TRY(wl_stability_of(l, u, &st));
  TRY(wl_external_id_of(l, u, &ext));
  uint32_t n = wit_named_child_count(u);
  for (uint32_t i = 0; i < n; i++) {
    WitNode un = wit_named_child(u, i);
    if (!wit_is(un, WIT_KIND_USE_NAME)) continue;
    WitNode name = wit_field(un, WIT_FIELD_NAME);
    WgStr nm = wit_ident(l->lists[l->cur].f, name);
    LookupEntry *e = wl_lookup_find(&l->iface_types.items[from], nm);
    if (!e) {
      ERR(l, name, "name `%.*s` does not exist", (int)nm.len, nm.ptr);
      return false;
    }
    if (!e->is_type) {
      ERR(l, name, "cannot import function `%.*s`", (int)nm.len, nm.ptr);
      return false;
    }
    WitNode alias = wit_field(un, WIT_FIELD_ALIAS);
    WitNode def = wit_node_is_null(alias) ? name : alias;
    WgWitTypeDef t;
    memset(&t, 0, sizeof t);
    t.kind = WG_WIT_KIND_TYPE;
    t.a = WG_WIT_TYPE_OF(e->id);
    t.name = wl_ident(l, def);
    t.owner_kind = ok;
    t.owner = owner;
    t.stability = st;
    t.external_id = ext;
    t.span = wl_span_of(l, name);
    t.resource = WG_WIT_NONE;
    WgWitId id = wl_alloc_type(l, &t);
    TRY(id != WG_WIT_NONE);
    TRY(wl_define_name(l, def, true, id));
  }
  return true;
}

bool wl_resolve_types(Lower *l, WgWitOwnerKind ok, WgWitId owner,
                      WitNode body) {
  l->lookup = (Lookup){ 0 };
  uint32_t n = wit_named_child_count(body);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(body, i);
    if (wit_is(c, WIT_KIND_USE_ITEM)) TRY(resolve_use(l, ok, owner, c));
  }
  WG_WIT_ARRAY(DepNode) nodes = { 0 };
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(body, i);
    if (is_typedef_item(c)) {
      WitNode nn = wit_field(c, WIT_FIELD_NAME);
      WgStr nm = wl_ident(l, nn);
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
      if (wit_is(c, WIT_KIND_TYPE_ITEM))
        collect_deps(l, wit_field(c, WIT_FIELD_TYPE), &dn);
      else
        collect_deps(l, c, &dn);
      TRY(WIT_PUSH(l->arena, &nodes, dn));
    } else if (wit_is(c, WIT_KIND_USE_ITEM)) {
      uint32_t m = wit_named_child_count(c);
      for (uint32_t j = 0; j < m; j++) {
        WitNode un = wit_named_child(c, j);
        if (!wit_is(un, WIT_KIND_USE_NAME)) continue;
        WitNode alias = wit_field(un, WIT_FIELD_ALIAS);
        WgStr nm = wl_ident(
            l, wit_node_is_null(alias) ? wit_field(un, WIT_FIELD_NAME) : alias);
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
  if (!wl_toposort(l, nodes.items, nodes.count, "type", order)) {
    free(order);
    return false;
  }
  bool okk = true;
  for (size_t k = 0; k < nodes.count && okk; k++) {
    DepNode *dn = &nodes.items[order[k]];
    if (dn->list == 0) continue;
    WitNode item = dn->item;
    WgWitTypeDef t;
    memset(&t, 0, sizeof t);
    t.resource = WG_WIT_NONE;
    t.docs = wl_docs_of(l, item);
    okk = wl_stability_of(l, item, &t.stability) &&
          wl_external_id_of(l, item, &t.external_id) &&
          resolve_typedef_item(l, item, &t.stability, &t);
    if (!okk) break;
    WitNode nn = wit_field(item, WIT_FIELD_NAME);
    t.name = wl_ident(l, nn);
    t.owner_kind = ok;
    t.owner = owner;
    t.span = wl_span_of(l, nn);
    WgWitId id = wl_alloc_type(l, &t);
    okk = id != WG_WIT_NONE && wl_define_name(l, nn, true, id);
  }
  free(order);
  return okk;
}

/* ---- functions ---- */

bool wl_resolve_function(Lower *l, WitNode item, WitNode fn, WgStr name,
                         WitNode name_node, WgWitFuncKind kind,
                         WgWitId resource, WgWitFunction *out) {
  memset(out, 0, sizeof *out);
  out->docs = wl_docs_of(l, item);
  TRY(wl_stability_of(l, item, &out->stability));
  TRY(wl_external_id_of(l, item, &out->external_id));
  out->name = name;
  out->kind = kind;
  out->resource = resource;
  out->span = wl_span_of(l, name_node);
  WgWitStability none;
  memset(&none, 0, sizeof none);
  if (kind == WG_WIT_FUNC_METHOD || kind == WG_WIT_FUNC_ASYNC_METHOD) {
    WgWitTypeDef t;
    memset(&t, 0, sizeof t);
    t.kind = WG_WIT_KIND_HANDLE_BORROW;
    t.resource = resource;
    t.owner = WG_WIT_NONE;
    t.stability = wl_find_stability(l, &t, &none);
    t.span = wl_span_of(l, fn);
    WgWitParam p = { WG_STR("self"), 0, out->span };
    TRY(wl_anon_type(l, &t, &p.type));
    TRY(WIT_PUSH(l->arena, &out->params, p));
  }
  WitNode params = wit_field(fn, WIT_FIELD_PARAMS);
  uint32_t n = wit_named_child_count(params);
  for (uint32_t i = 0; i < n; i++) {
    WitNode c = wit_named_child(params, i);
    if (!wit_is(c, WIT_KIND_NAMED_TYPE)) continue;
    WitNode pn = wit_field(c, WIT_FIELD_NAME);
    WgWitParam p;
    p.name = wl_ident(l, pn);
    p.span = wl_span_of(l, pn);
    for (size_t k = 0; k < out->params.count; k++) {
      if (wg_str_eq(out->params.items[k].name, p.name)) {
        ERR(l, pn, "param `%.*s` is defined more than once", (int)p.name.len,
            p.name.ptr);
        return false;
      }
    }
    TRY(wl_resolve_type(l, wit_field(c, WIT_FIELD_TYPE), &none, &p.type));
    TRY(WIT_PUSH(l->arena, &out->params, p));
  }
  WitNode res = wit_field(fn, WIT_FIELD_RESULT);
  if (kind == WG_WIT_FUNC_CONSTRUCTOR) {
    out->has_result = true;
    if (wit_node_is_null(res)) {
      out->result = WG_WIT_TYPE_OF(resource);
      return true;
    }
    TRY(wl_resolve_type(l, res, &none, &out->result));
    WgWitTypeDef *rt = WG_WIT_TYPE_IS_ID(out->result)
                           ? &l->u->types.items[WG_WIT_TYPE_ID(out->result)]
                           : NULL;
    if (!rt || rt->kind != WG_WIT_KIND_RESULT) {
      ERR(l, res,
          "if a constructor return type is declared it must be a `result`");
      return false;
    }
    if (!rt->has_a || rt->a != WG_WIT_TYPE_OF(resource)) {
      WitNode okn = wit_field(res, WIT_FIELD_OK);
      ERR(l, wit_node_is_null(okn) ? res : okn,
          "the `ok` type must be the resource being constructed");
      return false;
    }
    return true;
  }
  if (!wit_node_is_null(res)) {
    out->has_result = true;
    TRY(wl_resolve_type(l, res, &none, &out->result));
  }
  return true;
}
