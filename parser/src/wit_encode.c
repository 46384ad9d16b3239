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
 * within their scope; function types likewise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "witgen/component_binary.h"
#include "witgen/wit.h"

enum { NONE = UINT32_MAX };

typedef struct Scope Scope;
struct Scope {
  Scope *outer;
  bool is_instance;
  WgWitId iface; /* instance scopes: the interface being encoded */
  WgBuf decls;   /* encoded declarators */
  uint32_t ndecls;
  uint32_t ntypes;
  uint32_t *type_map; /* type id -> index in this scope, or NONE */
  /* world scope: interface id -> instance index (imports and exports) */
  uint32_t *instance_of;
  uint32_t ninstances;
  /* function types defined here (deduplicated, as wit-component does) */
  WgBuf *func_defs;
  uint32_t *func_index;
  uint32_t nfuncs;
};

typedef struct Enc {
  const WgWitResolve *r;
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

static bool scope_init(Enc *e, Scope *s, Scope *outer, bool instance,
                       WgWitId iface) {
  memset(s, 0, sizeof *s);
  s->outer = outer;
  s->is_instance = instance;
  s->iface = iface;
  size_t n = e->r->types.count + 1;
  s->type_map = malloc(n * sizeof *s->type_map);
  if (!s->type_map)
    return fail_with(e, WG_ERR_NOMEM, "out of memory", (WgStr){ 0 });
  for (size_t i = 0; i < n; i++)
    s->type_map[i] = NONE;
  if (!instance) {
    size_t ni = e->r->interfaces.count + 1;
    s->instance_of = malloc(ni * sizeof *s->instance_of);
    if (!s->instance_of)
      return fail_with(e, WG_ERR_NOMEM, "out of memory", (WgStr){ 0 });
    for (size_t i = 0; i < ni; i++)
      s->instance_of[i] = NONE;
  }
  return true;
}

static void scope_free(Scope *s) {
  wg_buf_free(&s->decls);
  free(s->type_map);
  free(s->instance_of);
  for (uint32_t i = 0; i < s->nfuncs; i++)
    wg_buf_free(&s->func_defs[i]);
  free(s->func_defs);
  free(s->func_index);
}

static void put_name(WgBuf *b, WgStr s) {
  wg_buf_uleb(b, s.len);
  wg_buf_append_str(b, s);
}

static void put_valtype(WgBuf *b, WgCValType t) {
  if (t.prim) {
    wg_buf_putc(b, (char)t.prim);
  } else {
    wg_buf_sleb(b, t.index);
  }
}

static uint8_t prim_code(WgWitPrim p) {
  static const uint8_t codes[] = {
    [WG_WIT_BOOL] = 0x7f,   [WG_WIT_U8] = 0x7d,
    [WG_WIT_U16] = 0x7b,    [WG_WIT_U32] = 0x79,
    [WG_WIT_U64] = 0x77,    [WG_WIT_S8] = 0x7e,
    [WG_WIT_S16] = 0x7c,    [WG_WIT_S32] = 0x7a,
    [WG_WIT_S64] = 0x78,    [WG_WIT_F32] = 0x76,
    [WG_WIT_F64] = 0x75,    [WG_WIT_CHAR] = 0x74,
    [WG_WIT_STRING] = 0x73, [WG_WIT_ERROR_CONTEXT] = 0x64,
  };
  return p < sizeof codes ? codes[p] : 0;
}

/* Appends a `type` declarator holding `def` (bytes of a deftype). */
static uint32_t define(Scope *s, const WgBuf *def) {
  wg_buf_putc(&s->decls, 0x01);
  wg_buf_append(&s->decls, def->data, def->len);
  s->ndecls++;
  return s->ntypes++;
}

/* `(export "name" (type (eq idx)))` or `(type (sub resource))`. A named
 * type of the world itself is an import of the world, as in wit-component:
 * `(import "name" (type (eq idx)))`. */
static uint32_t export_type(Scope *s, WgStr name, uint32_t eq, bool resource) {
  wg_buf_putc(&s->decls, s->is_instance ? 0x04 : 0x03);
  wg_buf_putc(&s->decls, 0x00);
  put_name(&s->decls, name);
  wg_buf_putc(&s->decls, 0x03);
  if (resource) {
    wg_buf_putc(&s->decls, 0x01);
  } else {
    wg_buf_putc(&s->decls, 0x00);
    wg_buf_uleb(&s->decls, eq);
  }
  s->ndecls++;
  return s->ntypes++;
}

static WgStr interface_name(const WgWitResolve *r, WgWitId iface, char *buf,
                            size_t size) {
  const WgWitInterface *i = &r->interfaces.items[iface];
  if (i->package == WG_WIT_NONE || !i->name.ptr) return i->name;
  const WgWitPackage *p = &r->packages.items[i->package];
  int n;
  if (p->name.version.ptr) {
    n = snprintf(buf, size, "%.*s:%.*s/%.*s@%.*s", (int)p->name.ns.len,
                 p->name.ns.ptr, (int)p->name.name.len, p->name.name.ptr,
                 (int)i->name.len, i->name.ptr, (int)p->name.version.len,
                 p->name.version.ptr);
  } else {
    n = snprintf(buf, size, "%.*s:%.*s/%.*s", (int)p->name.ns.len,
                 p->name.ns.ptr, (int)p->name.name.len, p->name.name.ptr,
                 (int)i->name.len, i->name.ptr);
  }
  return (WgStr){ buf, n > 0 ? (size_t)n : 0 };
}

static bool valtype(Enc *e, Scope *s, WgWitType t, WgCValType *out);

/* The index in world scope `w` of named type `id` owned by interface
 * `owner`: aliased out of the instance that provides the interface. */
static bool world_alias(Enc *e, Scope *w, WgWitId id, uint32_t *out) {
  if (w->type_map[id] != NONE) {
    *out = w->type_map[id];
    return true;
  }
  const WgWitTypeDef *t = &e->r->types.items[id];
  uint32_t inst =
      t->owner_kind == WG_WIT_OWNER_INTERFACE ? w->instance_of[t->owner] : NONE;
  if (inst == NONE) return failf(e, "type used before its interface", t->name);
  wg_buf_putc(&w->decls, 0x02);
  wg_buf_putc(&w->decls, 0x03); /* sort: type */
  wg_buf_putc(&w->decls, 0x00); /* export alias */
  wg_buf_uleb(&w->decls, inst);
  put_name(&w->decls, t->name);
  w->ndecls++;
  *out = w->type_map[id] = w->ntypes++;
  return true;
}

/* Resolves a type owned by another interface into scope `s`. */
static bool foreign(Enc *e, Scope *s, WgWitId id, uint32_t *out) {
  if (!s->is_instance) return world_alias(e, s, id, out);
  uint32_t outer_index;
  if (!world_alias(e, s->outer, id, &outer_index)) return false;
  wg_buf_putc(&s->decls, 0x02);
  wg_buf_putc(&s->decls, 0x03); /* sort: type */
  wg_buf_putc(&s->decls, 0x02); /* outer alias */
  wg_buf_uleb(&s->decls, 1);
  wg_buf_uleb(&s->decls, outer_index);
  s->ndecls++;
  *out = s->type_map[id] = s->ntypes++;
  return true;
}

static void opt_valtype(WgBuf *b, bool has, WgCValType t) {
  wg_buf_putc(b, has ? 1 : 0);
  if (has) put_valtype(b, t);
}

/* Defines type `id` (of this interface or anonymous) in scope `s`. */
static bool define_type(Enc *e, Scope *s, WgWitId id, uint32_t *out) {
  const WgWitTypeDef *t = &e->r->types.items[id];
  WgBuf def = { 0 };
  WgCValType a = { 0 }, b = { 0 };
  switch (t->kind) {
    case WG_WIT_KIND_RESOURCE:
      if (!s->is_instance && t->owner_kind != WG_WIT_OWNER_WORLD) {
        return failf(e, "resource outside its interface", t->name);
      }
      *out = s->type_map[id] = export_type(s, t->name, 0, true);
      return true;
    case WG_WIT_KIND_TYPE:
      if (!valtype(e, s, t->a, &a)) return false;
      if (!t->name.ptr) { /* anonymous alias: same type */
        if (a.prim) break;
        *out = s->type_map[id] = a.index;
        return true;
      }
      if (a.prim) { /* `type x = u32`: defined below, then exported */
        wg_buf_putc(&def, (char)a.prim);
        break;
      }
      /* a named alias of an indexed type: export it under its name */
      *out = s->type_map[id] = export_type(s, t->name, a.index, false);
      return true;
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
    case WG_WIT_KIND_FLAGS:
    case WG_WIT_KIND_ENUM: {
      WgCValType *field_types = calloc(t->cases.count + 1, sizeof *field_types);
      for (size_t i = 0; i < t->cases.count; i++) {
        const WgWitCase *c = &t->cases.items[i];
        if ((t->kind == WG_WIT_KIND_RECORD || c->has_type) &&
            !valtype(e, s, c->type, &field_types[i])) {
          free(field_types);
          return false;
        }
      }
      static const uint8_t ops[] = { [WG_WIT_KIND_RECORD] = 0x72,
                                     [WG_WIT_KIND_VARIANT] = 0x71,
                                     [WG_WIT_KIND_FLAGS] = 0x6e,
                                     [WG_WIT_KIND_ENUM] = 0x6d };
      wg_buf_putc(&def, (char)ops[t->kind]);
      wg_buf_uleb(&def, t->cases.count);
      for (size_t i = 0; i < t->cases.count; i++) {
        const WgWitCase *c = &t->cases.items[i];
        put_name(&def, c->name);
        if (t->kind == WG_WIT_KIND_RECORD) put_valtype(&def, field_types[i]);
        if (t->kind == WG_WIT_KIND_VARIANT) {
          opt_valtype(&def, c->has_type, field_types[i]);
          wg_buf_putc(&def, 0x00);
        }
      }
      free(field_types);
      break;
    }
    case WG_WIT_KIND_TUPLE: {
      WgCValType *types = calloc(t->types.count + 1, sizeof *types);
      for (size_t i = 0; i < t->types.count; i++) {
        if (!valtype(e, s, t->types.items[i], &types[i])) {
          free(types);
          return false;
        }
      }
      wg_buf_putc(&def, 0x6f);
      wg_buf_uleb(&def, t->types.count);
      for (size_t i = 0; i < t->types.count; i++)
        put_valtype(&def, types[i]);
      free(types);
      break;
    }
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_FIXED_LIST:
      if (!valtype(e, s, t->a, &a)) return false;
      wg_buf_putc(&def, t->kind == WG_WIT_KIND_LIST     ? 0x70
                        : t->kind == WG_WIT_KIND_OPTION ? 0x6b
                                                        : 0x67);
      put_valtype(&def, a);
      if (t->kind == WG_WIT_KIND_FIXED_LIST) wg_buf_uleb(&def, t->size);
      break;
    case WG_WIT_KIND_MAP:
      if (!valtype(e, s, t->a, &a) || !valtype(e, s, t->b, &b)) return false;
      wg_buf_putc(&def, 0x63);
      put_valtype(&def, a);
      put_valtype(&def, b);
      break;
    case WG_WIT_KIND_RESULT:
      if ((t->has_a && !valtype(e, s, t->a, &a)) ||
          (t->has_b && !valtype(e, s, t->b, &b))) {
        return false;
      }
      wg_buf_putc(&def, 0x6a);
      opt_valtype(&def, t->has_a, a);
      opt_valtype(&def, t->has_b, b);
      break;
    case WG_WIT_KIND_FUTURE:
    case WG_WIT_KIND_STREAM:
      if (t->has_a && !valtype(e, s, t->a, &a)) return false;
      wg_buf_putc(&def, t->kind == WG_WIT_KIND_FUTURE ? 0x65 : 0x66);
      opt_valtype(&def, t->has_a, a);
      break;
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW:
      if (!valtype(e, s, WG_WIT_TYPE_OF(t->resource), &a)) return false;
      wg_buf_putc(&def, t->kind == WG_WIT_KIND_HANDLE_OWN ? 0x69 : 0x68);
      wg_buf_uleb(&def, a.index);
      break;
    default:
      return fail_with(e, WG_ERR_UNSUPPORTED, "type kind not supported",
                       t->name);
  }
  uint32_t index = define(s, &def);
  wg_buf_free(&def);
  if (t->name.ptr && t->kind != WG_WIT_KIND_RESOURCE) {
    index = export_type(s, t->name, index, false);
  }
  *out = s->type_map[id] = index;
  return true;
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

/* Defines (or reuses) the function type of `f` in `s`; its index. */
static bool func_type(Enc *e, Scope *s, const WgWitFunction *f, uint32_t *out) {
  WgCValType *params = calloc(f->params.count + 1, sizeof *params);
  WgCValType result = { 0 };
  for (size_t i = 0; i < f->params.count; i++) {
    if (!valtype(e, s, f->params.items[i].type, &params[i])) {
      free(params);
      return false;
    }
  }
  if (f->has_result && !valtype(e, s, f->result, &result)) {
    free(params);
    return false;
  }
  bool is_async = f->kind == WG_WIT_FUNC_ASYNC_FREESTANDING ||
                  f->kind == WG_WIT_FUNC_ASYNC_METHOD ||
                  f->kind == WG_WIT_FUNC_ASYNC_STATIC;
  WgBuf def = { 0 };
  wg_buf_putc(&def, is_async ? 0x43 : 0x40);
  wg_buf_uleb(&def, f->params.count);
  for (size_t i = 0; i < f->params.count; i++) {
    put_name(&def, f->params.items[i].name);
    put_valtype(&def, params[i]);
  }
  free(params);
  if (f->has_result) {
    wg_buf_putc(&def, 0x00);
    put_valtype(&def, result);
  } else {
    wg_buf_putc(&def, 0x01);
    wg_buf_putc(&def, 0x00);
  }
  for (uint32_t i = 0; i < s->nfuncs; i++) { /* the same type again? */
    if (s->func_defs[i].len == def.len &&
        memcmp(s->func_defs[i].data, def.data, def.len) == 0) {
      *out = s->func_index[i];
      wg_buf_free(&def);
      return true;
    }
  }
  *out = define(s, &def);
  WgBuf *defs = realloc(s->func_defs, (s->nfuncs + 1) * sizeof *defs);
  uint32_t *index =
      defs ? realloc(s->func_index, (s->nfuncs + 1) * sizeof *index) : NULL;
  if (defs) s->func_defs = defs;
  if (!defs || !index) {
    wg_buf_free(&def);
    return fail_with(e, WG_ERR_NOMEM, "out of memory", (WgStr){ 0 });
  }
  s->func_index = index;
  s->func_defs[s->nfuncs] = def; /* keeps the bytes */
  s->func_index[s->nfuncs++] = *out;
  return true;
}

static void export_func(Scope *s, WgStr name, uint32_t type) {
  wg_buf_putc(&s->decls, 0x04);
  wg_buf_putc(&s->decls, 0x00);
  put_name(&s->decls, name);
  wg_buf_putc(&s->decls, 0x01);
  wg_buf_uleb(&s->decls, type);
  s->ndecls++;
}

/* Encodes interface `iface` as an instance type in world scope `w`. */
static bool instance_type(Enc *e, Scope *w, WgWitId iface, uint32_t *out) {
  const WgWitInterface *i = &e->r->interfaces.items[iface];
  Scope s;
  if (!scope_init(e, &s, w, true, iface)) return false;
  bool ok = true;
  for (size_t k = 0; ok && k < i->types.count; k++) {
    WgCValType vt;
    ok = valtype(e, &s, WG_WIT_TYPE_OF(i->types.items[k].id), &vt);
  }
  for (size_t k = 0; ok && k < i->functions.count; k++) {
    const WgWitFunction *f = &i->functions.items[k];
    uint32_t type;
    ok = func_type(e, &s, f, &type);
    if (ok) export_func(&s, f->name, type);
  }
  if (ok) {
    WgBuf def = { 0 };
    wg_buf_putc(&def, 0x42);
    wg_buf_uleb(&def, s.ndecls);
    wg_buf_append(&def, s.decls.data, s.decls.len);
    *out = define(w, &def);
    wg_buf_free(&def);
  }
  scope_free(&s);
  return ok;
}

static bool world_items(Enc *e, Scope *w, const WgWitWorldItems *items,
                        bool imports) {
  for (size_t k = 0; k < items->count; k++) {
    const WgWitWorldEntry *it = &items->items[k];
    char buf[512];
    WgStr name = it->key_is_interface
                     ? interface_name(e->r, it->key_iface, buf, sizeof buf)
                     : it->key_name;
    uint8_t kind;
    uint32_t type;
    switch (it->kind) {
      case WG_WIT_ITEM_INTERFACE:
        if (!instance_type(e, w, it->id, &type)) return false;
        kind = 0x05;
        break;
      case WG_WIT_ITEM_FUNCTION:
        if (!func_type(e, w, &it->func, &type)) return false;
        kind = 0x01;
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
    wg_buf_putc(&w->decls, imports ? 0x03 : 0x04);
    const WgWitInterface *in = it->kind == WG_WIT_ITEM_INTERFACE
                                   ? &e->r->interfaces.items[it->id]
                                   : NULL;
    if (in && !it->key_is_interface && in->name.ptr &&
        in->package != WG_WIT_NONE) {
      /* A named interface under a plain name (`import primary: store;`):
       * the name carries an `implements` annotation naming the interface. */
      char ibuf[512];
      wg_buf_putc(&w->decls, 0x02);
      put_name(&w->decls, name);
      wg_buf_putc(&w->decls, 0x01); /* one annotation */
      wg_buf_putc(&w->decls, 0x00); /* implements */
      put_name(&w->decls, interface_name(e->r, it->id, ibuf, sizeof ibuf));
    } else {
      wg_buf_putc(&w->decls, 0x00);
      put_name(&w->decls, name);
    }
    wg_buf_putc(&w->decls, (char)kind);
    wg_buf_uleb(&w->decls, type);
    w->ndecls++;
    if (kind == 0x05) w->instance_of[it->id] = w->ninstances++;
  }
  return true;
}

WgStatus wg_wit_encode_world(const WgWitResolve *r, WgWitId world, WgBuf *out,
                             WgDiagList *diags) {
  Enc e = { .r = r, .diags = diags };
  if (world >= r->worlds.count) {
    failf(&e, "no such world", (WgStr){ 0 });
    return e.status;
  }
  const WgWitWorld *wd = &r->worlds.items[world];
  Scope w;
  if (!scope_init(&e, &w, NULL, false, WG_WIT_NONE)) {
    scope_free(&w);
    return e.status;
  }
  bool ok = world_items(&e, &w, &wd->imports, true) &&
            world_items(&e, &w, &wd->exports, false);
  if (ok) {
    /* the world: (component <decls>) */
    WgBuf world_def = { 0 };
    wg_buf_putc(&world_def, 0x41);
    wg_buf_uleb(&world_def, w.ndecls);
    wg_buf_append(&world_def, w.decls.data, w.decls.len);
    /* the outer component type: (type <world>) (export "pkg/world" ...) */
    const WgWitPackage *p = &r->packages.items[wd->package];
    char qname[512];
    int qn = p->name.version.ptr
                 ? snprintf(qname, sizeof qname, "%.*s:%.*s/%.*s@%.*s",
                            (int)p->name.ns.len, p->name.ns.ptr,
                            (int)p->name.name.len, p->name.name.ptr,
                            (int)wd->name.len, wd->name.ptr,
                            (int)p->name.version.len, p->name.version.ptr)
                 : snprintf(qname, sizeof qname, "%.*s:%.*s/%.*s",
                            (int)p->name.ns.len, p->name.ns.ptr,
                            (int)p->name.name.len, p->name.name.ptr,
                            (int)wd->name.len, wd->name.ptr);
    WgBuf outer = { 0 };
    wg_buf_putc(&outer, 0x41);
    wg_buf_uleb(&outer, 2);
    wg_buf_putc(&outer, 0x01);
    wg_buf_append(&outer, world_def.data, world_def.len);
    wg_buf_putc(&outer, 0x04);
    wg_buf_putc(&outer, 0x00);
    put_name(&outer, (WgStr){ qname, (size_t)qn });
    wg_buf_putc(&outer, 0x04); /* component */
    wg_buf_uleb(&outer, 0);
    /* the component: preamble, encoding custom section, type, export */
    static const uint8_t preamble[8] = { 0x00, 0x61, 0x73, 0x6d,
                                         0x0d, 0x00, 0x01, 0x00 };
    wg_buf_append(out, preamble, sizeof preamble);
    WgBuf sec = { 0 };
    put_name(&sec, WG_STR("wit-component-encoding"));
    wg_buf_putc(&sec, 0x04); /* encoding version */
    wg_buf_putc(&sec, 0x00); /* utf8 */
    wg_buf_putc(out, 0x00);
    wg_buf_uleb(out, sec.len);
    wg_buf_append(out, sec.data, sec.len);
    sec.len = 0;
    wg_buf_uleb(&sec, 1);
    wg_buf_append(&sec, outer.data, outer.len);
    wg_buf_putc(out, 0x07);
    wg_buf_uleb(out, sec.len);
    wg_buf_append(out, sec.data, sec.len);
    sec.len = 0;
    wg_buf_uleb(&sec, 1);
    wg_buf_putc(&sec, 0x00);
    put_name(&sec, wd->name);
    wg_buf_putc(&sec, 0x03); /* sort: type */
    wg_buf_uleb(&sec, 0);
    wg_buf_putc(&sec, 0x00); /* no ascribed type */
    wg_buf_putc(out, 0x0b);
    wg_buf_uleb(out, sec.len);
    wg_buf_append(out, sec.data, sec.len);
    wg_buf_free(&sec);
    wg_buf_free(&outer);
    wg_buf_free(&world_def);
    ok = !out->failed;
    if (!ok) fail_with(&e, WG_ERR_NOMEM, "out of memory", (WgStr){ 0 });
  }
  scope_free(&w);
  return ok ? WG_OK : e.status;
}
