/* SPDX-License-Identifier: Apache-2.0 */
/* Encodes a world as a component type, the payload of the
 * `component-type:<world>` custom section that `component new` reads (the
 * layout wit-component uses, so wasm-tools and witgen agree byte for byte):
 *
 *   (component
 *     (@custom "wit-component-encoding" "\04\00")       ;; version, utf8
 *     (type (component
 *       (type (component <the world>))
 *       (export "ns:pkg/world@v" (component (type 0)))))
 *     (export "world" (type 0)))
 *
 * Inside the world, each imported or exported interface is an instance type
 * defined just before its import/export; types an interface `use`s from
 * another interface are aliased into the world from the instance that
 * provides them (`alias export`) when first needed, and into the instance
 * with `alias outer`. Anonymous types are defined on first use and reused
 * within their scope; function types likewise.
 *
 * This file builds that component as a tree of the binary layer's
 * definitions (witgen/component_binary.h); the binary layer's encoder,
 * wg_cencode_component(), writes the bytes: one encoder for every component
 * type witgen writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "witgen/component_binary.h"
#include "witgen/wit.h"

enum { NONE = UINT32_MAX };

typedef struct Scope Scope;
struct Scope {
  Scope *outer;
  bool is_instance;
  WgWitId iface; /* instance scopes: the interface being encoded */
  WgCDecl *decls;
  uint32_t ndecls, capdecls;
  uint32_t ntypes;
  uint32_t *type_map; /* type id -> index in this scope, or NONE */
  /* world scope: interface id -> instance index (imports and exports) */
  uint32_t *instance_of;
  uint32_t ninstances;
  /* function types defined here (deduplicated, as wit-component does) */
  const WgCType **funcs;
  uint32_t *func_index;
  uint32_t nfuncs, capfuncs;
};

typedef struct Enc {
  const WgWitResolve *r;
  WgArena *arena;
  WgDiagList *diags;
  WgStatus status; /* of the first error */
  bool failed;
} Enc;

/* Records the first error: `msg` about the item `name`. The status says
 * whether the input is beyond what is supported or not a resolved model. */
static bool fail_with(Enc *e, WgStatus status, const char *msg, WgStr name) {
  if (!e->failed) {
    e->status = status;
    wg_diag_list_addf(e->diags, WG_SEVERITY_ERROR, status, NULL, "%s: %.*s",
                      msg, (int)name.len, name.ptr ? name.ptr : "");
  }
  e->failed = true;
  return false;
}

static bool failf(Enc *e, const char *msg, WgStr name) {
  return fail_with(e, WG_ERR_INVALID, msg, name);
}

static bool nomem(Enc *e) {
  return fail_with(e, WG_ERR_NOMEM, "out of memory", (WgStr){ 0 });
}

static void *alloc(Enc *e, size_t size) {
  void *p = wg_arena_zalloc(e->arena, size ? size : 1);
  if (!p) nomem(e);
  return p;
}

static uint32_t *index_map(Enc *e, size_t n) {
  uint32_t *m = alloc(e, (n + 1) * sizeof *m);
  if (m)
    for (size_t i = 0; i <= n; i++)
      m[i] = NONE;
  return m;
}

static bool scope_init(Enc *e, Scope *s, Scope *outer, bool instance,
                       WgWitId iface) {
  memset(s, 0, sizeof *s);
  s->outer = outer;
  s->is_instance = instance;
  s->iface = iface;
  s->type_map = index_map(e, e->r->types.count);
  if (!instance) s->instance_of = index_map(e, e->r->interfaces.count);
  return s->type_map && (instance || s->instance_of);
}

/* Appends declarator `d`; false when out of memory. */
static bool add_decl(Enc *e, Scope *s, WgCDecl d) {
  if (s->ndecls == s->capdecls) {
    uint32_t cap = s->capdecls ? s->capdecls * 2 : 16;
    WgCDecl *n = alloc(e, cap * sizeof *n);
    if (!n) return false;
    if (s->ndecls) memcpy(n, s->decls, s->ndecls * sizeof *n);
    s->decls = n;
    s->capdecls = cap;
  }
  s->decls[s->ndecls++] = d;
  return true;
}

/* Appends a `type` declarator defining `t`; its index (NONE on failure). */
static uint32_t define(Enc *e, Scope *s, WgCType *t) {
  if (!t || !add_decl(e, s, (WgCDecl){ .kind = WG_CDECL_TYPE, .u.type = t }))
    return NONE;
  return s->ntypes++;
}

static WgCType *type_node(Enc *e, WgCTypeKind kind) {
  WgCType *t = alloc(e, sizeof *t);
  if (t) t->kind = kind;
  return t;
}

/* `(export "name" (type (eq idx)))` or `(type (sub resource))`. A named
 * type of the world itself is an import of the world, as in wit-component:
 * `(import "name" (type (eq idx)))`. */
static uint32_t export_type(Enc *e, Scope *s, WgStr name, uint32_t eq,
                            bool resource) {
  WgCDecl d = { .kind = s->is_instance ? WG_CDECL_EXPORT : WG_CDECL_IMPORT };
  d.u.extern_.name.name = name;
  d.u.extern_.type = (WgCExternType){ .kind = WG_CSORT_TYPE,
                                      .bound = resource ? WG_CBOUND_SUB_RESOURCE
                                                        : WG_CBOUND_EQ,
                                      .index = resource ? 0 : eq };
  return add_decl(e, s, d) ? s->ntypes++ : NONE;
}

/* "ns:pkg/iface@version" (copied into the arena), or the plain name. */
static WgStr interface_name(Enc *e, WgWitId iface) {
  const WgWitInterface *i = &e->r->interfaces.items[iface];
  if (i->package == WG_WIT_NONE || !i->name.ptr) return i->name;
  const WgWitPackage *p = &e->r->packages.items[i->package];
  const char *s =
      p->name.version.ptr
          ? wg_arena_printf(e->arena, "%.*s:%.*s/%.*s@%.*s",
                            (int)p->name.ns.len, p->name.ns.ptr,
                            (int)p->name.name.len, p->name.name.ptr,
                            (int)i->name.len, i->name.ptr,
                            (int)p->name.version.len, p->name.version.ptr)
          : wg_arena_printf(e->arena, "%.*s:%.*s/%.*s", (int)p->name.ns.len,
                            p->name.ns.ptr, (int)p->name.name.len,
                            p->name.name.ptr, (int)i->name.len, i->name.ptr);
  if (!s) {
    nomem(e);
    return (WgStr){ 0 };
  }
  return wg_str_from_cstr(s);
}

static bool valtype(Enc *e, Scope *s, WgWitType t, WgCValType *out);

/* The index in world scope `w` of named type `id` owned by an interface:
 * aliased out of the instance that provides the interface. */
static bool world_alias(Enc *e, Scope *w, WgWitId id, uint32_t *out) {
  if (w->type_map[id] != NONE) {
    *out = w->type_map[id];
    return true;
  }
  const WgWitTypeDef *t = &e->r->types.items[id];
  uint32_t inst =
      t->owner_kind == WG_WIT_OWNER_INTERFACE ? w->instance_of[t->owner] : NONE;
  if (inst == NONE) return failf(e, "type used before its interface", t->name);
  WgCDecl d = { .kind = WG_CDECL_ALIAS };
  d.u.alias = (WgCAlias){ .sort = WG_CSORT_TYPE,
                          .kind = WG_CALIAS_EXPORT,
                          .instance = inst,
                          .name = t->name };
  if (!add_decl(e, w, d)) return false;
  *out = w->type_map[id] = w->ntypes++;
  return true;
}

/* Resolves a type owned by another interface into scope `s`. */
static bool foreign(Enc *e, Scope *s, WgWitId id, uint32_t *out) {
  if (!s->is_instance) return world_alias(e, s, id, out);
  uint32_t outer_index;
  if (!world_alias(e, s->outer, id, &outer_index)) return false;
  WgCDecl d = { .kind = WG_CDECL_ALIAS };
  d.u.alias = (WgCAlias){ .sort = WG_CSORT_TYPE,
                          .kind = WG_CALIAS_OUTER,
                          .instance = 1,
                          .index = outer_index };
  if (!add_decl(e, s, d)) return false;
  *out = s->type_map[id] = s->ntypes++;
  return true;
}

/* The labelled members of a record, variant, flags or enum. */
static bool members(Enc *e, Scope *s, const WgWitTypeDef *t, WgCType *out) {
  uint32_t n = (uint32_t)t->cases.count;
  WgCField *f = n ? alloc(e, n * sizeof *f) : NULL;
  if (n && !f) return false;
  for (uint32_t i = 0; i < n; i++) {
    const WgWitCase *c = &t->cases.items[i];
    f[i].label = c->name;
    bool typed = t->kind == WG_WIT_KIND_RECORD ||
                 (t->kind == WG_WIT_KIND_VARIANT && c->has_type);
    f[i].has_type = typed;
    if (typed && !valtype(e, s, c->type, &f[i].type)) return false;
  }
  out->u.fields.count = n;
  out->u.fields.items = f;
  return true;
}

/* The type definition of WIT type `t` (not a resource nor a named alias of
 * an indexed type), or NULL after recording why. */
static WgCType *definition(Enc *e, Scope *s, const WgWitTypeDef *t,
                           const WgCValType *alias_of) {
  static const WgCTypeKind kinds[] = {
    [WG_WIT_KIND_RECORD] = WG_CT_RECORD,
    [WG_WIT_KIND_VARIANT] = WG_CT_VARIANT,
    [WG_WIT_KIND_FLAGS] = WG_CT_FLAGS,
    [WG_WIT_KIND_ENUM] = WG_CT_ENUM,
    [WG_WIT_KIND_TUPLE] = WG_CT_TUPLE,
    [WG_WIT_KIND_LIST] = WG_CT_LIST,
    [WG_WIT_KIND_OPTION] = WG_CT_OPTION,
    [WG_WIT_KIND_FIXED_LIST] = WG_CT_FIXED_LIST,
    [WG_WIT_KIND_MAP] = WG_CT_MAP,
    [WG_WIT_KIND_RESULT] = WG_CT_RESULT,
    [WG_WIT_KIND_FUTURE] = WG_CT_FUTURE,
    [WG_WIT_KIND_STREAM] = WG_CT_STREAM,
    [WG_WIT_KIND_HANDLE_OWN] = WG_CT_OWN,
    [WG_WIT_KIND_HANDLE_BORROW] = WG_CT_BORROW,
  };
  if (t->kind == WG_WIT_KIND_TYPE) { /* `type x = u32` */
    WgCType *d = type_node(e, WG_CT_PRIM);
    if (d) d->u.prim = alias_of->prim;
    return d;
  }
  if ((size_t)t->kind >= sizeof kinds / sizeof *kinds ||
      kinds[t->kind] == WG_CT_PRIM) { /* no component type of that kind */
    fail_with(e, WG_ERR_UNSUPPORTED, "type kind not supported", t->name);
    return NULL;
  }
  WgCType *d = type_node(e, kinds[t->kind]);
  if (!d) return NULL;
  WgCValType a = { 0 };
  switch (t->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
    case WG_WIT_KIND_FLAGS:
    case WG_WIT_KIND_ENUM:
      return members(e, s, t, d) ? d : NULL;
    case WG_WIT_KIND_TUPLE: {
      uint32_t n = (uint32_t)t->types.count;
      WgCField *f = n ? alloc(e, n * sizeof *f) : NULL;
      if (n && !f) return NULL;
      for (uint32_t i = 0; i < n; i++) {
        f[i].has_type = true;
        if (!valtype(e, s, t->types.items[i], &f[i].type)) return NULL;
      }
      d->u.fields.count = n;
      d->u.fields.items = f;
      return d;
    }
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_FIXED_LIST:
      if (!valtype(e, s, t->a, &d->u.list.elem)) return NULL;
      if (t->kind == WG_WIT_KIND_FIXED_LIST) d->u.list.len = (uint32_t)t->size;
      return d;
    case WG_WIT_KIND_MAP:
      if (!valtype(e, s, t->a, &d->u.map.key) ||
          !valtype(e, s, t->b, &d->u.map.value))
        return NULL;
      return d;
    case WG_WIT_KIND_RESULT:
      d->u.result.has_ok = t->has_a;
      d->u.result.has_err = t->has_b;
      if ((t->has_a && !valtype(e, s, t->a, &d->u.result.ok)) ||
          (t->has_b && !valtype(e, s, t->b, &d->u.result.err)))
        return NULL;
      return d;
    case WG_WIT_KIND_FUTURE:
    case WG_WIT_KIND_STREAM:
      d->u.async.has_elem = t->has_a;
      if (t->has_a && !valtype(e, s, t->a, &d->u.async.elem)) return NULL;
      return d;
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW:
      if (!valtype(e, s, WG_WIT_TYPE_OF(t->resource), &a)) return NULL;
      d->u.resource = a.index;
      return d;
    default:
      fail_with(e, WG_ERR_UNSUPPORTED, "type kind not supported", t->name);
      return NULL;
  }
}

/* Defines type `id` (of this interface or anonymous) in scope `s`. */
static bool define_type(Enc *e, Scope *s, WgWitId id, uint32_t *out) {
  const WgWitTypeDef *t = &e->r->types.items[id];
  WgCValType a = { 0 };
  if (t->kind == WG_WIT_KIND_RESOURCE) {
    if (!s->is_instance && t->owner_kind != WG_WIT_OWNER_WORLD)
      return failf(e, "resource outside its interface", t->name);
    *out = s->type_map[id] = export_type(e, s, t->name, 0, true);
    return *out != NONE;
  }
  if (t->kind == WG_WIT_KIND_TYPE) {
    if (!valtype(e, s, t->a, &a)) return false;
    if (!t->name.ptr && !a.prim) { /* anonymous alias: same type */
      *out = s->type_map[id] = a.index;
      return true;
    }
    if (t->name.ptr && !a.prim) { /* named alias of an indexed type */
      *out = s->type_map[id] = export_type(e, s, t->name, a.index, false);
      return *out != NONE;
    }
  }
  uint32_t index = define(e, s, definition(e, s, t, &a));
  if (index == NONE) return false;
  if (t->name.ptr) index = export_type(e, s, t->name, index, false);
  *out = s->type_map[id] = index;
  return index != NONE;
}

static uint8_t prim_code(WgWitPrim p) {
  static const uint8_t codes[] = {
    [WG_WIT_BOOL] = WG_CPRIM_BOOL,
    [WG_WIT_U8] = WG_CPRIM_U8,
    [WG_WIT_U16] = WG_CPRIM_U16,
    [WG_WIT_U32] = WG_CPRIM_U32,
    [WG_WIT_U64] = WG_CPRIM_U64,
    [WG_WIT_S8] = WG_CPRIM_S8,
    [WG_WIT_S16] = WG_CPRIM_S16,
    [WG_WIT_S32] = WG_CPRIM_S32,
    [WG_WIT_S64] = WG_CPRIM_S64,
    [WG_WIT_F32] = WG_CPRIM_F32,
    [WG_WIT_F64] = WG_CPRIM_F64,
    [WG_WIT_CHAR] = WG_CPRIM_CHAR,
    [WG_WIT_STRING] = WG_CPRIM_STRING,
    [WG_WIT_ERROR_CONTEXT] = WG_CPRIM_ERROR_CONTEXT,
  };
  return p < sizeof codes ? codes[p] : 0;
}

static bool valtype(Enc *e, Scope *s, WgWitType t, WgCValType *out) {
  memset(out, 0, sizeof *out);
  if (!WG_WIT_TYPE_IS_ID(t)) {
    out->prim = prim_code((WgWitPrim)t);
    return out->prim != 0 || failf(e, "unknown primitive", (WgStr){ 0 });
  }
  WgWitId id = WG_WIT_TYPE_ID(t);
  if (id >= e->r->types.count) return failf(e, "bad type index", (WgStr){ 0 });
  if (s->type_map[id] != NONE) {
    out->index = s->type_map[id];
    return true;
  }
  const WgWitTypeDef *d = &e->r->types.items[id];
  bool local = !d->name.ptr ||
               (s->is_instance && d->owner_kind == WG_WIT_OWNER_INTERFACE &&
                d->owner == s->iface) ||
               (!s->is_instance && d->owner_kind == WG_WIT_OWNER_WORLD);
  return local ? define_type(e, s, id, &out->index)
               : foreign(e, s, id, &out->index);
}

static bool valtype_eq(WgCValType a, WgCValType b) {
  return a.prim == b.prim && (a.prim || a.index == b.index);
}

/* Two function types alike (labels and indices in the same scope). */
static bool func_eq(const WgCType *a, const WgCType *b) {
  if (a->u.func.is_async != b->u.func.is_async ||
      a->u.func.param_count != b->u.func.param_count ||
      a->u.func.has_result != b->u.func.has_result)
    return false;
  if (a->u.func.has_result && !valtype_eq(a->u.func.result, b->u.func.result))
    return false;
  for (uint32_t i = 0; i < a->u.func.param_count; i++)
    if (!wg_str_eq(a->u.func.params[i].label, b->u.func.params[i].label) ||
        !valtype_eq(a->u.func.params[i].type, b->u.func.params[i].type))
      return false;
  return true;
}

/* Defines (or reuses) the function type of `f` in `s`; its index. */
static bool func_type(Enc *e, Scope *s, const WgWitFunction *f, uint32_t *out) {
  WgCType *t = type_node(e, WG_CT_FUNC);
  uint32_t n = (uint32_t)f->params.count;
  WgCField *params = n ? alloc(e, n * sizeof *params) : NULL;
  if (!t || (n && !params)) return false;
  for (uint32_t i = 0; i < n; i++) {
    params[i].label = f->params.items[i].name;
    params[i].has_type = true;
    if (!valtype(e, s, f->params.items[i].type, &params[i].type)) return false;
  }
  t->u.func.is_async = f->kind == WG_WIT_FUNC_ASYNC_FREESTANDING ||
                       f->kind == WG_WIT_FUNC_ASYNC_METHOD ||
                       f->kind == WG_WIT_FUNC_ASYNC_STATIC;
  t->u.func.param_count = n;
  t->u.func.params = params;
  t->u.func.has_result = f->has_result;
  if (f->has_result && !valtype(e, s, f->result, &t->u.func.result))
    return false;
  for (uint32_t i = 0; i < s->nfuncs; i++) /* the same type again? */
    if (func_eq(s->funcs[i], t)) {
      *out = s->func_index[i];
      return true;
    }
  if ((*out = define(e, s, t)) == NONE) return false;
  if (s->nfuncs == s->capfuncs) {
    uint32_t cap = s->capfuncs ? s->capfuncs * 2 : 16;
    const WgCType **fs = alloc(e, cap * sizeof *fs);
    uint32_t *ix = alloc(e, cap * sizeof *ix);
    if (!fs || !ix) return false;
    if (s->nfuncs) {
      memcpy(fs, s->funcs, s->nfuncs * sizeof *fs);
      memcpy(ix, s->func_index, s->nfuncs * sizeof *ix);
    }
    s->funcs = fs;
    s->func_index = ix;
    s->capfuncs = cap;
  }
  s->funcs[s->nfuncs] = t;
  s->func_index[s->nfuncs++] = *out;
  return true;
}

static bool export_func(Enc *e, Scope *s, WgStr name, uint32_t type) {
  WgCDecl d = { .kind = WG_CDECL_EXPORT };
  d.u.extern_.name.name = name;
  d.u.extern_.type = (WgCExternType){ .kind = WG_CSORT_FUNC, .index = type };
  return add_decl(e, s, d);
}

/* The declarators of scope `s` as a component or instance type. */
static WgCType *decls_type(Enc *e, Scope *s, WgCTypeKind kind) {
  WgCType *t = type_node(e, kind);
  if (t) {
    t->u.decls.count = s->ndecls;
    t->u.decls.items = s->decls;
  }
  return t;
}

/* Encodes interface `iface` as an instance type in world scope `w`. */
static bool instance_type(Enc *e, Scope *w, WgWitId iface, uint32_t *out) {
  const WgWitInterface *i = &e->r->interfaces.items[iface];
  Scope s;
  if (!scope_init(e, &s, w, true, iface)) return false;
  for (size_t k = 0; k < i->types.count; k++) {
    WgCValType vt;
    if (!valtype(e, &s, WG_WIT_TYPE_OF(i->types.items[k].id), &vt))
      return false;
  }
  for (size_t k = 0; k < i->functions.count; k++) {
    const WgWitFunction *f = &i->functions.items[k];
    uint32_t type;
    if (!func_type(e, &s, f, &type) || !export_func(e, &s, f->name, type))
      return false;
  }
  *out = define(e, w, decls_type(e, &s, WG_CT_INSTANCE));
  return *out != NONE;
}

static bool world_items(Enc *e, Scope *w, const WgWitWorldItems *items,
                        bool imports) {
  for (size_t k = 0; k < items->count; k++) {
    const WgWitWorldEntry *it = &items->items[k];
    WgStr name =
        it->key_is_interface ? interface_name(e, it->key_iface) : it->key_name;
    WgCDecl d = { .kind = imports ? WG_CDECL_IMPORT : WG_CDECL_EXPORT };
    switch (it->kind) {
      case WG_WIT_ITEM_INTERFACE:
        if (!instance_type(e, w, it->id, &d.u.extern_.type.index)) return false;
        d.u.extern_.type.kind = WG_CSORT_INSTANCE;
        break;
      case WG_WIT_ITEM_FUNCTION:
        if (!func_type(e, w, &it->func, &d.u.extern_.type.index)) return false;
        d.u.extern_.type.kind = WG_CSORT_FUNC;
        break;
      case WG_WIT_ITEM_TYPE: {
        WgCValType vt;
        if (!valtype(e, w, WG_WIT_TYPE_OF(it->id), &vt)) return false;
        continue; /* a world-level type: defined (and exported) by valtype */
      }
      default:
        return fail_with(e, WG_ERR_UNSUPPORTED, "world item kind not supported",
                         name);
    }
    d.u.extern_.name.name = name;
    const WgWitInterface *in = it->kind == WG_WIT_ITEM_INTERFACE
                                   ? &e->r->interfaces.items[it->id]
                                   : NULL;
    if (in && !it->key_is_interface && in->name.ptr &&
        in->package != WG_WIT_NONE) {
      /* A named interface under a plain name (`import primary: store;`):
       * the name carries an `implements` annotation naming the interface. */
      d.u.extern_.name.form = WG_CNAME_ATTRIBUTES;
      d.u.extern_.name.implements = interface_name(e, it->id);
    }
    if (!add_decl(e, w, d)) return false;
    if (it->kind == WG_WIT_ITEM_INTERFACE)
      w->instance_of[it->id] = w->ninstances++;
  }
  return true;
}

/* The whole component: the encoding's custom section, the outer type
 * (the world, exported under its qualified name) and its export. */
static bool encode_component(Enc *e, const WgWitWorld *wd, WgCType *world,
                             WgBuf *out) {
  const WgWitPackage *p = &e->r->packages.items[wd->package];
  const char *qname =
      p->name.version.ptr
          ? wg_arena_printf(e->arena, "%.*s:%.*s/%.*s@%.*s",
                            (int)p->name.ns.len, p->name.ns.ptr,
                            (int)p->name.name.len, p->name.name.ptr,
                            (int)wd->name.len, wd->name.ptr,
                            (int)p->name.version.len, p->name.version.ptr)
          : wg_arena_printf(e->arena, "%.*s:%.*s/%.*s", (int)p->name.ns.len,
                            p->name.ns.ptr, (int)p->name.name.len,
                            p->name.name.ptr, (int)wd->name.len, wd->name.ptr);
  WgCDecl *outer_decls = alloc(e, 2 * sizeof *outer_decls);
  WgCType *outer = type_node(e, WG_CT_COMPONENT);
  WgCDef *defs = alloc(e, 3 * sizeof *defs);
  if (!qname || !outer_decls || !outer || !defs) return nomem(e);
  outer_decls[0] = (WgCDecl){ .kind = WG_CDECL_TYPE, .u.type = world };
  outer_decls[1].kind = WG_CDECL_EXPORT;
  outer_decls[1].u.extern_.name.name = wg_str_from_cstr(qname);
  outer_decls[1].u.extern_.type =
      (WgCExternType){ .kind = WG_CSORT_COMPONENT, .index = 0 };
  outer->u.decls.count = 2;
  outer->u.decls.items = outer_decls;
  static const uint8_t encoding[2] = { 0x04, 0x00 }; /* version 4, utf8 */
  defs[0].kind = WG_CDEF_CUSTOM;
  defs[0].u.custom.name = WG_STR("wit-component-encoding");
  defs[0].u.custom.bytes = encoding;
  defs[0].u.custom.len = sizeof encoding;
  defs[1].kind = WG_CDEF_TYPE;
  defs[1].u.type = outer;
  defs[2].kind = WG_CDEF_EXPORT;
  defs[2].u.extern_.name.name = wd->name;
  defs[2].u.extern_.sort = WG_CSORT_TYPE;
  defs[2].u.extern_.index = 0;
  WgComponent c = { .arena = e->arena, .def_count = 3, .defs = defs };
  wg_cencode_component(out, &c);
  return !out->failed || nomem(e);
}

WgStatus wg_wit_encode_world(const WgWitResolve *r, WgWitId world, WgBuf *out,
                             WgDiagList *diags) {
  WgArena arena;
  wg_arena_init(&arena, wg_allocator_default());
  Enc e = { .r = r, .arena = &arena, .diags = diags };
  if (world >= r->worlds.count) {
    failf(&e, "no such world", (WgStr){ 0 });
  } else {
    const WgWitWorld *wd = &r->worlds.items[world];
    Scope w;
    if (scope_init(&e, &w, NULL, false, WG_WIT_NONE) &&
        world_items(&e, &w, &wd->imports, true) &&
        world_items(&e, &w, &wd->exports, false))
      encode_component(&e, wd, decls_type(&e, &w, WG_CT_COMPONENT), out);
  }
  wg_arena_release(&arena);
  return e.failed ? e.status : WG_OK;
}
