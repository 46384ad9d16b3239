/* SPDX-License-Identifier: Apache-2.0 */
/* Component binary encoder: writes the definitions of ctype.h back into
 * Binary.md's format. Consecutive definitions of the same section kind share
 * one section, as wasm-tools does, so decode -> encode reproduces the input
 * byte for byte. */
#include <string.h>

#include "arena.h"
#include "cformat.h"
#include "strbuf.h"
#include "witgen/component_binary.h"

static void put_name(WgBuf *b, WgStr s) {
  wg_buf_uleb(b, s.len);
  wg_buf_append_str(b, s);
}

static void put_byte(WgBuf *b, uint8_t v) {
  wg_buf_putc(b, (char)v);
}

static void put_valtype(WgBuf *b, WgCValType t) {
  if (t.prim) {
    put_byte(b, t.prim);
  } else {
    wg_buf_sleb(b, t.index); /* an s33: 64..127 need two bytes */
  }
}

static void put_opt_valtype(WgBuf *b, bool has, WgCValType t) {
  put_byte(b, has ? 1 : 0);
  if (has) put_valtype(b, t);
}

static void put_name_attrs(WgBuf *b, const WgCName *n) {
  put_byte(b, n->form);
  put_name(b, n->name);
  if (n->form != WG_CNAME_ATTRIBUTES) return;
  uint32_t count = (n->implements.ptr != NULL) +
                   (n->version_suffix.ptr != NULL) +
                   (n->external_id.ptr != NULL);
  wg_buf_uleb(b, count);
  const WgStr *attrs[3] = { &n->implements, &n->version_suffix,
                            &n->external_id };
  for (uint8_t i = 0; i < 3; i++) {
    if (!attrs[i]->ptr) continue;
    put_byte(b, i);
    put_name(b, *attrs[i]);
  }
}

static void put_externtype(WgBuf *b, const WgCExternType *t) {
  put_byte(b, t->kind);
  switch (t->kind) {
    case WG_CSORT_CORE:
      put_byte(b, WG_CCORE_MODULE);
      wg_buf_uleb(b, t->index);
      break;
    case WG_CSORT_VALUE:
      put_byte(b, t->bound);
      if (t->bound == WG_CBOUND_EQ) {
        wg_buf_uleb(b, t->index);
      } else {
        put_valtype(b, t->value_type);
      }
      break;
    case WG_CSORT_TYPE:
      put_byte(b, t->bound);
      if (t->bound == WG_CBOUND_EQ) wg_buf_uleb(b, t->index);
      break;
    default:
      wg_buf_uleb(b, t->index);
  }
}

static void put_sort(WgBuf *b, uint8_t sort, uint8_t core_sort) {
  put_byte(b, sort);
  if (sort == WG_CSORT_CORE) put_byte(b, core_sort);
}

static void put_alias(WgBuf *b, const WgCAlias *a) {
  put_sort(b, a->sort, a->core_sort);
  put_byte(b, a->kind);
  wg_buf_uleb(b, a->instance);
  if (a->kind == WG_CALIAS_OUTER) {
    wg_buf_uleb(b, a->index);
  } else {
    put_name(b, a->name);
  }
}

static void put_fields(WgBuf *b, const WgCType *t, bool labels, bool types) {
  wg_buf_uleb(b, t->u.fields.count);
  for (uint32_t i = 0; i < t->u.fields.count; i++) {
    if (labels) put_name(b, t->u.fields.items[i].label);
    if (types) put_valtype(b, t->u.fields.items[i].type);
  }
}

void wg_cencode_type(WgBuf *b, const WgCType *t) {
  switch (t->kind) {
    case WG_CT_PRIM:
      put_byte(b, t->u.prim);
      break;
    case WG_CT_RECORD:
      put_byte(b, WG_COP_RECORD);
      put_fields(b, t, true, true);
      break;
    case WG_CT_VARIANT:
      put_byte(b, WG_COP_VARIANT);
      wg_buf_uleb(b, t->u.fields.count);
      for (uint32_t i = 0; i < t->u.fields.count; i++) {
        const WgCField *c = &t->u.fields.items[i];
        put_name(b, c->label);
        put_opt_valtype(b, c->has_type, c->type);
        put_byte(b, 0x00); /* no `refines` */
      }
      break;
    case WG_CT_LIST:
      put_byte(b, WG_COP_LIST);
      put_valtype(b, t->u.list.elem);
      break;
    case WG_CT_FIXED_LIST:
      put_byte(b, WG_COP_FIXED_LIST);
      put_valtype(b, t->u.list.elem);
      wg_buf_uleb(b, t->u.list.len);
      break;
    case WG_CT_TUPLE:
      put_byte(b, WG_COP_TUPLE);
      put_fields(b, t, false, true);
      break;
    case WG_CT_FLAGS:
      put_byte(b, WG_COP_FLAGS);
      put_fields(b, t, true, false);
      break;
    case WG_CT_ENUM:
      put_byte(b, WG_COP_ENUM);
      put_fields(b, t, true, false);
      break;
    case WG_CT_OPTION:
      put_byte(b, WG_COP_OPTION);
      put_valtype(b, t->u.list.elem);
      break;
    case WG_CT_RESULT:
      put_byte(b, WG_COP_RESULT);
      put_opt_valtype(b, t->u.result.has_ok, t->u.result.ok);
      put_opt_valtype(b, t->u.result.has_err, t->u.result.err);
      break;
    case WG_CT_OWN:
    case WG_CT_BORROW:
      put_byte(b, t->kind == WG_CT_OWN ? WG_COP_OWN : WG_COP_BORROW);
      wg_buf_uleb(b, t->u.resource);
      break;
    case WG_CT_STREAM:
    case WG_CT_FUTURE:
      put_byte(b, t->kind == WG_CT_STREAM ? WG_COP_STREAM : WG_COP_FUTURE);
      put_opt_valtype(b, t->u.async.has_elem, t->u.async.elem);
      break;
    case WG_CT_MAP:
      put_byte(b, WG_COP_MAP);
      put_valtype(b, t->u.map.key);
      put_valtype(b, t->u.map.value);
      break;
    case WG_CT_FUNC:
      put_byte(b, t->u.func.is_async ? WG_COP_ASYNC_FUNC : WG_COP_FUNC);
      wg_buf_uleb(b, t->u.func.param_count);
      for (uint32_t i = 0; i < t->u.func.param_count; i++) {
        put_name(b, t->u.func.params[i].label);
        put_valtype(b, t->u.func.params[i].type);
      }
      if (t->u.func.has_result) {
        put_byte(b, WG_CRESULTS_ONE);
        put_valtype(b, t->u.func.result);
      } else {
        put_byte(b, WG_CRESULTS_NONE);
        put_byte(b, 0x00);
      }
      break;
    case WG_CT_COMPONENT:
    case WG_CT_INSTANCE:
      put_byte(b,
               t->kind == WG_CT_COMPONENT ? WG_COP_COMPONENT : WG_COP_INSTANCE);
      wg_buf_uleb(b, t->u.decls.count);
      for (uint32_t i = 0; i < t->u.decls.count; i++) {
        const WgCDecl *d = &t->u.decls.items[i];
        switch (d->kind) {
          case WG_CDECL_CORE_TYPE:
            put_byte(b, WG_CDECL_TAG_CORE_TYPE);
            wg_buf_append(b, d->u.core_type.bytes, d->u.core_type.len);
            break;
          case WG_CDECL_TYPE:
            put_byte(b, WG_CDECL_TAG_TYPE);
            wg_cencode_type(b, d->u.type);
            break;
          case WG_CDECL_ALIAS:
            put_byte(b, WG_CDECL_TAG_ALIAS);
            put_alias(b, &d->u.alias);
            break;
          case WG_CDECL_IMPORT:
          case WG_CDECL_EXPORT:
            put_byte(b, d->kind == WG_CDECL_IMPORT ? WG_CDECL_TAG_IMPORT
                                                   : WG_CDECL_TAG_EXPORT);
            put_name_attrs(b, &d->u.extern_.name);
            put_externtype(b, &d->u.extern_.type);
            break;
        }
      }
      break;
    case WG_CT_RESOURCE:
      put_byte(b, WG_COP_RESOURCE);
      put_byte(b, t->u.resource_def.rep);
      put_byte(b, t->u.resource_def.has_dtor ? 1 : 0);
      if (t->u.resource_def.has_dtor) wg_buf_uleb(b, t->u.resource_def.dtor);
      break;
  }
}

static void put_canon_opts(WgBuf *b, const WgCCanonOpts *o) {
  if (o->raw) {
    wg_buf_append(b, o->raw, o->raw_len);
    return;
  }
  uint32_t n = o->has_string_encoding + o->has_memory + o->has_realloc +
               o->has_post_return + o->is_async + o->has_callback;
  wg_buf_uleb(b, n);
  if (o->has_string_encoding) put_byte(b, o->string_encoding);
  if (o->has_memory) {
    put_byte(b, WG_COPT_MEMORY);
    wg_buf_uleb(b, o->memory);
  }
  if (o->has_realloc) {
    put_byte(b, WG_COPT_REALLOC);
    wg_buf_uleb(b, o->realloc);
  }
  if (o->has_post_return) {
    put_byte(b, WG_COPT_POST_RETURN);
    wg_buf_uleb(b, o->post_return);
  }
  if (o->is_async) put_byte(b, WG_COPT_ASYNC);
  if (o->has_callback) {
    put_byte(b, WG_COPT_CALLBACK);
    wg_buf_uleb(b, o->callback);
  }
}

static void put_canon(WgBuf *b, const WgCCanon *c) {
  put_byte(b, c->op);
  switch (c->op) {
    case WG_CANON_LIFT:
      put_byte(b, 0x00);
      wg_buf_uleb(b, c->func);
      put_canon_opts(b, &c->opts);
      wg_buf_uleb(b, c->type);
      break;
    case WG_CANON_LOWER:
      put_byte(b, 0x00);
      wg_buf_uleb(b, c->func);
      put_canon_opts(b, &c->opts);
      break;
    case WG_CANON_RESOURCE_NEW:
    case WG_CANON_RESOURCE_DROP:
    case WG_CANON_RESOURCE_REP:
      wg_buf_uleb(b, c->type);
      break;
    default:
      wg_buf_append(b, c->raw, c->raw_len);
  }
}

static void put_instance(WgBuf *b, const WgCInstance *in) {
  put_byte(b, in->instantiate ? WG_CINST_INSTANTIATE : WG_CINST_EXPORTS);
  if (in->instantiate) wg_buf_uleb(b, in->target);
  wg_buf_uleb(b, in->arg_count);
  for (uint32_t i = 0; i < in->arg_count; i++) {
    const WgCInstantiateArg *a = &in->args[i];
    if (in->is_core) {
      put_name(b, a->name);
      put_byte(b, a->core_sort);
    } else {
      if (in->instantiate) {
        put_name(b, a->name);
      } else {
        put_name_attrs(b, &in->export_names[i]);
      }
      put_sort(b, a->sort, a->core_sort);
    }
    wg_buf_uleb(b, a->index);
  }
}

static uint8_t section_id(WgCDefKind kind) {
  static const uint8_t ids[] = {
    [WG_CDEF_CUSTOM] = WG_CSEC_CUSTOM,
    [WG_CDEF_CORE_MODULE] = WG_CSEC_CORE_MODULE,
    [WG_CDEF_CORE_INSTANCE] = WG_CSEC_CORE_INSTANCE,
    [WG_CDEF_CORE_TYPE] = WG_CSEC_CORE_TYPE,
    [WG_CDEF_COMPONENT] = WG_CSEC_COMPONENT,
    [WG_CDEF_INSTANCE] = WG_CSEC_INSTANCE,
    [WG_CDEF_ALIAS] = WG_CSEC_ALIAS,
    [WG_CDEF_TYPE] = WG_CSEC_TYPE,
    [WG_CDEF_CANON] = WG_CSEC_CANON,
    [WG_CDEF_START] = WG_CSEC_START,
    [WG_CDEF_IMPORT] = WG_CSEC_IMPORT,
    [WG_CDEF_EXPORT] = WG_CSEC_EXPORT,
  };
  return ids[kind];
}

/* Sections holding one item (not a vector). */
static bool is_single(WgCDefKind kind) {
  return kind == WG_CDEF_CUSTOM || kind == WG_CDEF_CORE_MODULE ||
         kind == WG_CDEF_COMPONENT || kind == WG_CDEF_START;
}

static void put_def(WgBuf *b, const WgCDef *d) {
  switch (d->kind) {
    case WG_CDEF_CUSTOM:
      put_name(b, d->u.custom.name);
      wg_buf_append(b, d->u.custom.bytes, d->u.custom.len);
      break;
    case WG_CDEF_CORE_MODULE:
      wg_buf_append(b, d->u.module.bytes, d->u.module.len);
      break;
    case WG_CDEF_COMPONENT:
      wg_cencode_component(b, d->u.component);
      break;
    case WG_CDEF_START:
      wg_buf_append(b, d->u.start.bytes, d->u.start.len);
      break;
    case WG_CDEF_CORE_INSTANCE:
    case WG_CDEF_INSTANCE:
      put_instance(b, &d->u.instance);
      break;
    case WG_CDEF_CORE_TYPE:
      wg_buf_append(b, d->u.core_type.bytes, d->u.core_type.len);
      break;
    case WG_CDEF_ALIAS:
      put_alias(b, &d->u.alias);
      break;
    case WG_CDEF_TYPE:
      wg_cencode_type(b, d->u.type);
      break;
    case WG_CDEF_CANON:
      put_canon(b, &d->u.canon);
      break;
    case WG_CDEF_IMPORT:
      put_name_attrs(b, &d->u.extern_.name);
      put_externtype(b, &d->u.extern_.type);
      break;
    case WG_CDEF_EXPORT:
      put_name_attrs(b, &d->u.extern_.name);
      put_sort(b, d->u.extern_.sort, d->u.extern_.core_sort);
      wg_buf_uleb(b, d->u.extern_.index);
      put_byte(b, d->u.extern_.has_type ? 1 : 0);
      if (d->u.extern_.has_type) put_externtype(b, &d->u.extern_.type);
      break;
  }
}

static void put_section(WgBuf *out, uint8_t id, const WgBuf *body) {
  put_byte(out, id);
  wg_buf_uleb(out, body->len);
  wg_buf_append(out, body->data, body->len);
}

void wg_cencode_component(WgBuf *out, const WgComponent *c) {
  static const uint8_t preamble[8] = { 0x00, 0x61, 0x73, 0x6d,
                                       0x0d, 0x00, 0x01, 0x00 };
  wg_buf_append(out, preamble, sizeof preamble);
  for (uint32_t i = 0; i < c->def_count;) {
    WgCDefKind kind = c->defs[i].kind;
    WgBuf body = { 0 };
    if (is_single(kind)) {
      put_def(&body, &c->defs[i++]);
    } else {
      uint32_t j = i;
      while (j < c->def_count && c->defs[j].kind == kind &&
             c->defs[j].section == c->defs[i].section) {
        j++;
      }
      wg_buf_uleb(&body, j - i);
      for (; i < j; i++)
        put_def(&body, &c->defs[i]);
    }
    if (body.failed) out->failed = true;
    put_section(out, section_id(kind), &body);
    wg_buf_free(&body);
  }
}

/* ---- copies of type definitions with their indices remapped ---- */

typedef struct Remap {
  WgArena *arena;
  uint32_t (*map)(void *ctx, uint32_t index);
  void *ctx;
  bool failed;
} Remap;

static WgCValType remap_vt(Remap *r, WgCValType v) {
  if (v.prim) return v;
  uint32_t to = r->map(r->ctx, v.index);
  if (to == UINT32_MAX) r->failed = true;
  return (WgCValType){ 0, to };
}

static WgCType *remap(Remap *r, const WgCType *t, uint32_t depth);

/* The declarators of a component or instance type: `alias outer` reaching
 * out of the copied type (count beyond `depth`) goes through the map. */
static bool remap_decls(Remap *r, WgCType *c, const WgCType *t,
                        uint32_t depth) {
  uint32_t n = t->u.decls.count;
  WgCDecl *ds = wg_arena_zalloc(r->arena, (n + 1) * sizeof *ds);
  if (!ds) return false;
  for (uint32_t i = 0; i < n; i++) {
    ds[i] = t->u.decls.items[i];
    WgCAlias *a = &ds[i].u.alias;
    if (ds[i].kind == WG_CDECL_ALIAS && a->kind == WG_CALIAS_OUTER &&
        a->instance == depth && a->sort == WG_CSORT_TYPE) {
      a->index = r->map(r->ctx, a->index);
      if (a->index == UINT32_MAX) r->failed = true;
    } else if (ds[i].kind == WG_CDECL_TYPE) {
      ds[i].u.type = remap(r, ds[i].u.type, depth + 1);
      if (!ds[i].u.type) return false;
    }
  }
  c->u.decls.items = ds;
  return true;
}

static WgCType *remap(Remap *r, const WgCType *t, uint32_t depth) {
  WgCType *c = wg_arena_alloc(r->arena, sizeof *c);
  if (!c) return NULL;
  *c = *t;
  /* only the outermost type's own indices refer to the enclosing space */
  bool top = depth == 1;
  switch (t->kind) {
    case WG_CT_RECORD:
    case WG_CT_VARIANT:
    case WG_CT_TUPLE:
    case WG_CT_FLAGS:
    case WG_CT_ENUM: {
      WgCField *f =
          wg_arena_alloc(r->arena, (t->u.fields.count + 1) * sizeof *f);
      if (!f) return NULL;
      for (uint32_t i = 0; i < t->u.fields.count; i++) {
        f[i] = t->u.fields.items[i];
        if (top && f[i].has_type) f[i].type = remap_vt(r, f[i].type);
      }
      c->u.fields.items = f;
      break;
    }
    case WG_CT_LIST:
    case WG_CT_FIXED_LIST:
    case WG_CT_OPTION:
      if (top) c->u.list.elem = remap_vt(r, t->u.list.elem);
      break;
    case WG_CT_RESULT:
      if (top && t->u.result.has_ok)
        c->u.result.ok = remap_vt(r, t->u.result.ok);
      if (top && t->u.result.has_err)
        c->u.result.err = remap_vt(r, t->u.result.err);
      break;
    case WG_CT_OWN:
    case WG_CT_BORROW:
      if (top)
        c->u.resource = remap_vt(r, (WgCValType){ 0, t->u.resource }).index;
      break;
    case WG_CT_STREAM:
    case WG_CT_FUTURE:
      if (top && t->u.async.has_elem)
        c->u.async.elem = remap_vt(r, t->u.async.elem);
      break;
    case WG_CT_MAP:
      if (top) {
        c->u.map.key = remap_vt(r, t->u.map.key);
        c->u.map.value = remap_vt(r, t->u.map.value);
      }
      break;
    case WG_CT_FUNC: {
      WgCField *p =
          wg_arena_alloc(r->arena, (t->u.func.param_count + 1) * sizeof *p);
      if (!p) return NULL;
      for (uint32_t i = 0; i < t->u.func.param_count; i++) {
        p[i] = t->u.func.params[i];
        if (top) p[i].type = remap_vt(r, p[i].type);
      }
      c->u.func.params = p;
      if (top && t->u.func.has_result)
        c->u.func.result = remap_vt(r, t->u.func.result);
      break;
    }
    case WG_CT_INSTANCE:
    case WG_CT_COMPONENT:
      if (!remap_decls(r, c, t, depth)) return NULL;
      break;
    default:
      break;
  }
  return c;
}

WgCType *wg_ctype_remap(WgArena *arena, const WgCType *t,
                        uint32_t (*map)(void *ctx, uint32_t index), void *ctx) {
  Remap r = { arena, map, ctx, false };
  WgCType *c = remap(&r, t, 1);
  return c && !r.failed ? c : NULL;
}
