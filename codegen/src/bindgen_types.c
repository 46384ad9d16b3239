/* SPDX-License-Identifier: Apache-2.0 */
/* C types of the bindings: the name of every WIT type on each side (import
 * or export) and its typedef in the header, laid out exactly as the
 * Canonical ABI lays the type out in memory on wasm32 (docs/bindings.md,
 * "Types"); plus the WgAbiType view of WIT types for canon_abi.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"
#include "strbuf.h"

const WgWitTypeDef *gen_def(const Gen *g, WgWitType t) {
  return WG_WIT_TYPE_IS_ID(t) ? &g->r->types.items[WG_WIT_TYPE_ID(t)] : NULL;
}

WgWitType gen_dealias(const Gen *g, WgWitType t) {
  for (int guard = 0; guard < 1000; guard++) {
    const WgWitTypeDef *d = gen_def(g, t);
    if (!d || d->kind != WG_WIT_KIND_TYPE) return t;
    t = d->a;
  }
  return t;
}

Side gen_side_of(const Gen *g, WgWitId type_id) {
  const WgWitTypeDef *d = &g->r->types.items[type_id];
  if (g->side == SIDE_IMPORT || d->owner_kind != WG_WIT_OWNER_INTERFACE)
    return SIDE_IMPORT;
  if (d->owner == g->cur_iface) return g->side;
  if (g->side >= SIDE_FIRST_EXTRA) return SIDE_IMPORT;
  return (g->iface_flags[d->owner] & IFACE_IMPORTED) ? SIDE_IMPORT
                                                     : SIDE_EXPORT;
}

static const char *const PRIM_C[] = {
  [WG_WIT_BOOL] = "bool",    [WG_WIT_U8] = "uint8_t",
  [WG_WIT_U16] = "uint16_t", [WG_WIT_U32] = "uint32_t",
  [WG_WIT_U64] = "uint64_t", [WG_WIT_S8] = "int8_t",
  [WG_WIT_S16] = "int16_t",  [WG_WIT_S32] = "int32_t",
  [WG_WIT_S64] = "int64_t",  [WG_WIT_F32] = "float",
  [WG_WIT_F64] = "double",   [WG_WIT_CHAR] = "uint32_t",
};

const char *gen_core_ctype(WgCoreType c) {
  switch (c) {
    case WG_CORE_I32:
      return "int32_t";
    case WG_CORE_I64:
      return "int64_t";
    case WG_CORE_F32:
      return "float";
    case WG_CORE_F64:
      return "double";
  }
  return "int32_t";
}

bool gen_supported(Gen *g, WgWitType t, const char *where) {
  if (!WG_WIT_TYPE_IS_ID(t)) {
    if (t == WG_WIT_ERROR_CONTEXT)
      return gen_fail(g, "not supported yet: error-context in %s", where);
    return true;
  }
  const WgWitTypeDef *d = gen_def(g, t);
  switch (d->kind) {
    case WG_WIT_KIND_FUTURE:
      return gen_fail(g, "not supported yet: future in %s", where);
    case WG_WIT_KIND_STREAM:
      return gen_fail(g, "not supported yet: stream in %s", where);
    case WG_WIT_KIND_UNKNOWN:
      return gen_fail(g, "unresolved type in %s", where);
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
      for (size_t i = 0; i < d->cases.count; i++)
        if (d->cases.items[i].has_type &&
            !gen_supported(g, d->cases.items[i].type, where))
          return false;
      return true;
    case WG_WIT_KIND_TUPLE:
      for (size_t i = 0; i < d->types.count; i++)
        if (!gen_supported(g, d->types.items[i], where)) return false;
      return true;
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_FIXED_LIST:
    case WG_WIT_KIND_TYPE:
      return gen_supported(g, d->a, where);
    case WG_WIT_KIND_RESULT:
    case WG_WIT_KIND_MAP:
      return (!d->has_a && d->kind == WG_WIT_KIND_RESULT) ||
                     gen_supported(g, d->a, where)
                 ? ((!d->has_b && d->kind == WG_WIT_KIND_RESULT) ||
                    gen_supported(g, d->b, where))
                 : false;
    default:
      return true;
  }
}

/* ---- shapes and names ------------------------------------------------ */

static TypeInfo *find_shape(Gen *g, const char *shape) {
  for (size_t i = 0; i < g->shape_count; i++)
    if (strcmp(g->shapes[i].shape, shape) == 0) return &g->shapes[i].info;
  return NULL;
}

static TypeInfo *add_shape(Gen *g, const char *shape) {
  if (g->shape_count == g->shape_cap) {
    size_t cap = g->shape_cap ? g->shape_cap * 2 : 64;
    ShapeEntry *n = realloc(g->shapes, cap * sizeof *n);
    if (!n) return gen_fail(g, "out of memory"), NULL;
    g->shapes = n;
    g->shape_cap = cap;
  }
  ShapeEntry *e = &g->shapes[g->shape_count++];
  e->shape = strdup(shape);
  e->info = (TypeInfo){ 0 };
  if (!e->shape) return gen_fail(g, "out of memory"), NULL;
  return &e->info;
}

static const char *anon_shape(Gen *g, const WgWitTypeDef *d);

/* The word a type contributes to an anonymous type's shape. */
static const char *shape_word(Gen *g, WgWitType t, bool has) {
  if (!has) return "void";
  if (!WG_WIT_TYPE_IS_ID(t)) return wg_wit_prim_name((WgWitPrim)t);
  const WgWitTypeDef *d = gen_def(g, t);
  if (!d->name.ptr && d->kind != WG_WIT_KIND_HANDLE_OWN &&
      d->kind != WG_WIT_KIND_HANDLE_BORROW)
    return anon_shape(g, d); /* nested shapes carry no world prefix */
  const TypeInfo *ti = gen_type(g, t);
  return ti ? ti->base : NULL;
}

/* Claims `base` (or base_2, ...) and its `_t` name. */
static bool claim_names(Gen *g, const char *candidate, TypeInfo *out) {
  const char *base = wg_names_claim(&g->names, candidate);
  if (!base) return gen_fail(g, "out of memory");
  const char *cname = wg_names_claim(&g->names, gen_strf(g, "%s_t", base));
  if (!cname) return gen_fail(g, "out of memory");
  out->base = base;
  out->cname = cname;
  return true;
}

/* ---- typedef emission -------------------------------------------------- */

/* WIT docs as a C comment; `*` + `/` and `/` + `*` in the text are broken
 * up so the comment cannot end early or nest. */
void gen_put_docs(WgBuf *b, WgStr docs, const char *indent) {
  if (!docs.ptr || !docs.len) return;
  wg_buf_printf(b, "%s/* ", indent);
  for (size_t i = 0; i < docs.len; i++) {
    char c = docs.ptr[i];
    char next = i + 1 < docs.len ? docs.ptr[i + 1] : '\0';
    if (c == '\n') {
      wg_buf_printf(b, "\n%s * ", indent);
    } else if ((c == '*' && next == '/') || (c == '/' && next == '*')) {
      wg_buf_putc(b, c);
      wg_buf_putc(b, ' ');
    } else {
      wg_buf_putc(b, c);
    }
  }
  wg_buf_puts(b, " */\n");
}

static const char *disc_ctype(size_t n) {
  return n <= 256 ? "uint8_t" : n <= 65536 ? "uint16_t" : "uint32_t";
}

static const char *word(Gen *g, WgStr name) {
  char buf[256];
  wg_names_word(buf, sizeof buf, name);
  return gen_strf(g, "%s", buf);
}

static const char *upper_word(Gen *g, WgStr name) {
  char buf[256];
  wg_names_snake(buf, sizeof buf, 0, name);
  return gen_upper(g, buf);
}

/* One `#define <UP>_<CASE> <index>` per case of a variant or enum. */
static void put_case_defines(Gen *g, WgBuf *b, const char *up,
                             const WgWitTypeDef *d) {
  for (size_t i = 0; i < d->cases.count; i++) {
    gen_put_docs(b, d->cases.items[i].docs, "");
    wg_buf_printf(b, "#define %s_%s %zu\n", up,
                  upper_word(g, d->cases.items[i].name), i);
  }
}

/* Writes the typedef of `d` named `ti` to the header. */
static bool define(Gen *g, const WgWitTypeDef *d, TypeInfo *ti) {
  WgBuf b = { 0 };
  const char *up = gen_upper(g, ti->base);
  gen_put_docs(&b, d->docs, "");
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
      wg_buf_printf(&b, "typedef struct %s {\n", ti->cname);
      for (size_t i = 0; i < d->cases.count; i++) {
        const WgWitCase *c = &d->cases.items[i];
        const char *ct = gen_cname(g, c->type);
        if (!ct) goto fail;
        gen_put_docs(&b, c->docs, "  ");
        wg_buf_printf(&b, "  %s %s;\n", ct, word(g, c->name));
      }
      wg_buf_printf(&b, "} %s;\n\n", ti->cname);
      break;
    case WG_WIT_KIND_TUPLE:
      wg_buf_printf(&b, "typedef struct %s {\n", ti->cname);
      for (size_t i = 0; i < d->types.count; i++) {
        const char *ct = gen_cname(g, d->types.items[i]);
        if (!ct) goto fail;
        wg_buf_printf(&b, "  %s f%zu;\n", ct, i);
      }
      wg_buf_printf(&b, "} %s;\n\n", ti->cname);
      break;
    case WG_WIT_KIND_VARIANT: {
      bool any = false;
      for (size_t i = 0; i < d->cases.count; i++)
        any |= d->cases.items[i].has_type;
      wg_buf_printf(&b, "typedef struct %s {\n  %s tag;\n", ti->cname,
                    disc_ctype(d->cases.count));
      if (any) wg_buf_puts(&b, "  union {\n");
      for (size_t i = 0; i < d->cases.count && any; i++) {
        const WgWitCase *c = &d->cases.items[i];
        if (!c->has_type) continue;
        const char *ct = gen_cname(g, c->type);
        if (!ct) goto fail;
        wg_buf_printf(&b, "    %s %s;\n", ct, word(g, c->name));
      }
      if (any) wg_buf_puts(&b, "  } val;\n");
      wg_buf_printf(&b, "} %s;\n", ti->cname);
      put_case_defines(g, &b, up, d);
      wg_buf_puts(&b, "\n");
      break;
    }
    case WG_WIT_KIND_ENUM:
      wg_buf_printf(&b, "typedef %s %s;\n", disc_ctype(d->cases.count),
                    ti->cname);
      put_case_defines(g, &b, up, d);
      wg_buf_puts(&b, "\n");
      break;
    case WG_WIT_KIND_FLAGS: {
      size_t n = d->cases.count;
      if (n <= 32) {
        wg_buf_printf(&b, "typedef %s %s;\n",
                      n <= 8    ? "uint8_t"
                      : n <= 16 ? "uint16_t"
                                : "uint32_t",
                      ti->cname);
        for (size_t i = 0; i < n; i++)
          wg_buf_printf(&b, "#define %s_%s ((%s)1 << %zu)\n", up,
                        upper_word(g, d->cases.items[i].name), ti->cname, i);
      } else {
        wg_buf_printf(&b,
                      "/* %zu flags: a bit set of %zu words; the flag macros "
                      "are bit indices. */\n"
                      "typedef struct %s {\n  uint32_t bits[%zu];\n} %s;\n",
                      n, (n + 31) / 32, ti->cname, (n + 31) / 32, ti->cname);
        for (size_t i = 0; i < n; i++)
          wg_buf_printf(&b, "#define %s_%s %zu\n", up,
                        upper_word(g, d->cases.items[i].name), i);
        wg_buf_printf(&b,
                      "#define %s_SET(v, f) ((v).bits[(f) / 32] |= "
                      "(uint32_t)1 << ((f) %% 32))\n"
                      "#define %s_CLEAR(v, f) ((v).bits[(f) / 32] &= "
                      "~((uint32_t)1 << ((f) %% 32)))\n"
                      "#define %s_HAS(v, f) (((v).bits[(f) / 32] >> ((f) %% "
                      "32)) & 1u)\n",
                      up, up, up);
      }
      wg_buf_puts(&b, "\n");
      break;
    }
    case WG_WIT_KIND_OPTION: {
      const char *ct = gen_cname(g, d->a);
      if (!ct) goto fail;
      wg_buf_printf(
          &b, "typedef struct %s {\n  bool is_some;\n  %s val;\n} %s;\n\n",
          ti->cname, ct, ti->cname);
      break;
    }
    case WG_WIT_KIND_RESULT: {
      const char *ok = d->has_a ? gen_cname(g, d->a) : "";
      const char *err = d->has_b ? gen_cname(g, d->b) : "";
      if (!ok || !err) goto fail;
      wg_buf_printf(&b, "typedef struct %s {\n  bool is_err;\n", ti->cname);
      if (d->has_a || d->has_b) {
        wg_buf_puts(&b, "  union {\n");
        if (d->has_a) wg_buf_printf(&b, "    %s ok;\n", ok);
        if (d->has_b) wg_buf_printf(&b, "    %s err;\n", err);
        wg_buf_puts(&b, "  } val;\n");
      }
      wg_buf_printf(&b, "} %s;\n\n", ti->cname);
      break;
    }
    case WG_WIT_KIND_LIST: {
      const char *ct = gen_cname(g, d->a);
      if (!ct) goto fail;
      wg_buf_printf(&b,
                    "typedef struct %s {\n  %s *ptr;\n  size_t len;\n} %s;\n\n",
                    ti->cname, ct, ti->cname);
      break;
    }
    case WG_WIT_KIND_FIXED_LIST: {
      const char *ct = gen_cname(g, d->a);
      if (!ct) goto fail;
      wg_buf_printf(&b, "typedef struct %s {\n  %s items[%u];\n} %s;\n\n",
                    ti->cname, ct, d->size, ti->cname);
      break;
    }
    case WG_WIT_KIND_MAP: {
      const char *k = gen_cname(g, d->a), *v = gen_cname(g, d->b);
      if (!k || !v) goto fail;
      wg_buf_printf(&b,
                    "typedef struct %s {\n  struct %s_entry {\n    %s key;\n"
                    "    %s value;\n  } *ptr;\n  size_t len;\n} %s;\n\n",
                    ti->cname, ti->base, k, v, ti->cname);
      break;
    }
    case WG_WIT_KIND_TYPE: {
      const char *ct = gen_cname(g, d->a);
      if (!ct) goto fail;
      wg_buf_printf(&b, "typedef %s %s;\n", ct, ti->cname);
      WgWitType target = gen_dealias(g, d->a);
      if (gen_walk_needed(g, target, WALK_FREE) && WG_WIT_TYPE_IS_ID(target)) {
        const TypeInfo *tt = gen_type(g, target);
        if (tt && gen_def(g, target)->kind != WG_WIT_KIND_RESOURCE &&
            gen_def(g, target)->kind != WG_WIT_KIND_HANDLE_OWN)
          wg_buf_printf(&b, "#define %s_free %s_free\n", ti->base, tt->base);
      } else if (target == WG_WIT_STRING) {
        wg_buf_printf(&b, "#define %s_free %s_string_free\n", ti->base,
                      g->world_prefix);
      }
      wg_buf_puts(&b, "\n");
      break;
    }
    default:
      wg_buf_free(&b);
      return gen_fail(g, "internal: cannot define a type of kind %d",
                      (int)d->kind);
  }
  ti->defined = true;
  wg_buf_append(&g->h_types, b.data, b.len);
  wg_buf_free(&b);
  /* The public `_free` of an owning type, defined in the .c file. */
  if (d->kind != WG_WIT_KIND_TYPE && ti->cname) {
    WgWitId id = (WgWitId)(d - g->r->types.items);
    if (gen_walk_needed(g, WG_WIT_TYPE_OF(id), WALK_FREE)) {
      const char *fn = gen_walk_fn(g, WG_WIT_TYPE_OF(id), WALK_FREE);
      if (!fn) return false;
      wg_buf_printf(&g->h_types,
                    "/* Frees the heap memory `v` points to and drops the "
                    "owned handles in it\n * (not `v` itself). */\n"
                    "void %s_free(%s *v);\n\n",
                    ti->base, ti->cname);
      wg_buf_printf(&g->c_frees, "void %s_free(%s *v) { %s(v); }\n\n", ti->base,
                    ti->cname, fn);
    }
  }
  return true;
fail:
  wg_buf_free(&b);
  return false;
}

/* The shape word of an anonymous type, or NULL (error set). */
static const char *anon_shape(Gen *g, const WgWitTypeDef *d) {
  WgBuf b = { 0 };
  switch (d->kind) {
    case WG_WIT_KIND_LIST:
      wg_buf_printf(&b, "list_%s", shape_word(g, d->a, true));
      break;
    case WG_WIT_KIND_FIXED_LIST:
      wg_buf_printf(&b, "array%u_%s", d->size, shape_word(g, d->a, true));
      break;
    case WG_WIT_KIND_OPTION:
      wg_buf_printf(&b, "option_%s", shape_word(g, d->a, true));
      break;
    case WG_WIT_KIND_RESULT: {
      const char *ok = shape_word(g, d->a, d->has_a);
      wg_buf_printf(&b, "result_%s_%s", ok, shape_word(g, d->b, d->has_b));
      break;
    }
    case WG_WIT_KIND_MAP: {
      const char *k = shape_word(g, d->a, true);
      wg_buf_printf(&b, "map_%s_%s", k, shape_word(g, d->b, true));
      break;
    }
    case WG_WIT_KIND_TUPLE:
      wg_buf_printf(&b, "tuple%zu", d->types.count);
      for (size_t i = 0; i < d->types.count; i++)
        wg_buf_printf(&b, "_%s", shape_word(g, d->types.items[i], true));
      break;
    default:
      gen_fail(g, "internal: anonymous type of kind %d", (int)d->kind);
      wg_buf_free(&b);
      return NULL;
  }
  const char *s = g->failed ? NULL : gen_strf(g, "%s", wg_buf_cstr(&b));
  wg_buf_free(&b);
  return s;
}

const TypeInfo *gen_type(Gen *g, WgWitType t) {
  if (g->failed) return NULL;
  if (!WG_WIT_TYPE_IS_ID(t)) {
    if (t == WG_WIT_STRING) {
      return &g->string_info;
    }
    if (t == WG_WIT_ERROR_CONTEXT || t >= WG_WIT_PRIM_COUNT)
      return gen_fail(g, "not supported yet: error-context"), NULL;
    g->prims[t].cname = PRIM_C[t];
    g->prims[t].base = wg_wit_prim_name((WgWitPrim)t);
    return &g->prims[t];
  }
  WgWitId id = WG_WIT_TYPE_ID(t);
  const WgWitTypeDef *d = &g->r->types.items[id];
  switch (d->kind) {
    case WG_WIT_KIND_FUTURE:
      return gen_fail(g, "not supported yet: future"), NULL;
    case WG_WIT_KIND_STREAM:
      return gen_fail(g, "not supported yet: stream"), NULL;
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW: {
      WgWitId res = gen_resource_of(g, t);
      const TypeInfo *own = gen_type(g, WG_WIT_TYPE_OF(res));
      if (!own || d->kind == WG_WIT_KIND_HANDLE_OWN) return own;
      Side s = gen_side_of(g, res);
      return &g->borrows[s][res];
    }
    default:
      break;
  }
  if (!d->name.ptr) {
    const char *shape = anon_shape(g, d);
    if (!shape) return NULL;
    TypeInfo *ti = find_shape(g, shape);
    if (ti) return ti;
    ti = add_shape(g, shape);
    if (!ti ||
        !claim_names(g, gen_strf(g, "%s_%s", g->world_prefix, shape), ti))
      return NULL;
    return define(g, d, ti) ? ti : NULL;
  }
  Side side = gen_side_of(g, id);
  TypeInfo *ti = &g->types[side][id];
  if (ti->cname) return ti;
  /* Name it, then define it in the context of its owner. */
  const char *prefix = g->world_prefix;
  if (d->owner_kind == WG_WIT_OWNER_INTERFACE) {
    prefix = side >= SIDE_FIRST_EXTRA ? g->slots[side].prefix
                                      : g->iface_prefix[d->owner];
    if (!prefix) return gen_fail(g, "internal: interface not in world"), NULL;
    if (side == SIDE_EXPORT) prefix = gen_strf(g, "exports_%s", prefix);
  }
  char buf[512];
  size_t n = (size_t)snprintf(buf, sizeof buf, "%s_", prefix);
  wg_names_snake(buf, sizeof buf, n, d->name);
  if (!claim_names(g, buf, ti)) return NULL;
  Side saved_side = g->side;
  WgWitId saved_iface = g->cur_iface;
  g->side = side;
  if (side != SIDE_IMPORT) g->cur_iface = d->owner;
  g->def_prefix = prefix;
  bool ok = d->kind == WG_WIT_KIND_RESOURCE ? gen_resource_define(g, id, ti)
                                            : define(g, d, ti);
  g->side = saved_side;
  g->cur_iface = saved_iface;
  return ok ? ti : NULL;
}

const char *gen_cname(Gen *g, WgWitType t) {
  const TypeInfo *ti = gen_type(g, t);
  return ti ? ti->cname : NULL;
}

/* ---- Canonical ABI view ---------------------------------------------- */

static void *abi_alloc(Gen *g, size_t size) {
  if (g->abi_node_count == g->abi_node_cap) {
    size_t cap = g->abi_node_cap ? g->abi_node_cap * 2 : 256;
    void **n = realloc(g->abi_nodes, cap * sizeof *n);
    if (!n) return NULL;
    g->abi_nodes = n;
    g->abi_node_cap = cap;
  }
  void *p = calloc(1, size);
  if (p) g->abi_nodes[g->abi_node_count++] = p;
  return p;
}

static const WgAbiType PRIM_ABI[] = {
  [WG_WIT_BOOL] = { WG_ABI_BOOL, 0, NULL },
  [WG_WIT_U8] = { WG_ABI_U8, 0, NULL },
  [WG_WIT_U16] = { WG_ABI_U16, 0, NULL },
  [WG_WIT_U32] = { WG_ABI_U32, 0, NULL },
  [WG_WIT_U64] = { WG_ABI_U64, 0, NULL },
  [WG_WIT_S8] = { WG_ABI_S8, 0, NULL },
  [WG_WIT_S16] = { WG_ABI_S16, 0, NULL },
  [WG_WIT_S32] = { WG_ABI_S32, 0, NULL },
  [WG_WIT_S64] = { WG_ABI_S64, 0, NULL },
  [WG_WIT_F32] = { WG_ABI_F32, 0, NULL },
  [WG_WIT_F64] = { WG_ABI_F64, 0, NULL },
  [WG_WIT_CHAR] = { WG_ABI_CHAR, 0, NULL },
  [WG_WIT_STRING] = { WG_ABI_STRING, 0, NULL },
  [WG_WIT_ERROR_CONTEXT] = { WG_ABI_ERROR_CONTEXT, 0, NULL },
};

const WgAbiType *gen_abi(Gen *g, WgWitType t) {
  if (!WG_WIT_TYPE_IS_ID(t)) return &PRIM_ABI[t < WG_WIT_PRIM_COUNT ? t : 0];
  WgWitId id = WG_WIT_TYPE_ID(t);
  if (g->abi[id]) return g->abi[id];
  const WgWitTypeDef *d = &g->r->types.items[id];
  if (d->kind == WG_WIT_KIND_TYPE)
    return g->abi[id] = (WgAbiType *)gen_abi(g, d->a);
  WgAbiType *a = abi_alloc(g, sizeof *a);
  if (!a) return gen_fail(g, "out of memory"), &PRIM_ABI[0];
  size_t n = 0;
  const WgAbiType **kids = NULL;
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
      a->kind = d->kind == WG_WIT_KIND_RECORD ? WG_ABI_RECORD : WG_ABI_VARIANT;
      n = d->cases.count;
      kids = abi_alloc(g, (n ? n : 1) * sizeof *kids);
      for (size_t i = 0; kids && i < n; i++)
        kids[i] = d->cases.items[i].has_type
                      ? gen_abi(g, d->cases.items[i].type)
                      : NULL;
      break;
    case WG_WIT_KIND_TUPLE:
      a->kind = WG_ABI_TUPLE;
      n = d->types.count;
      kids = abi_alloc(g, (n ? n : 1) * sizeof *kids);
      for (size_t i = 0; kids && i < n; i++)
        kids[i] = gen_abi(g, d->types.items[i]);
      break;
    case WG_WIT_KIND_ENUM:
      a->kind = WG_ABI_ENUM;
      n = d->cases.count;
      break;
    case WG_WIT_KIND_FLAGS:
      a->kind = WG_ABI_FLAGS;
      n = d->cases.count;
      break;
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_FIXED_LIST:
      a->kind = d->kind == WG_WIT_KIND_OPTION ? WG_ABI_OPTION
                : d->kind == WG_WIT_KIND_LIST ? WG_ABI_LIST
                                              : WG_ABI_FIXED_LIST;
      n = d->kind == WG_WIT_KIND_FIXED_LIST ? d->size : 0;
      kids = abi_alloc(g, sizeof *kids);
      if (kids) kids[0] = gen_abi(g, d->a);
      break;
    case WG_WIT_KIND_RESULT:
    case WG_WIT_KIND_MAP:
      a->kind = d->kind == WG_WIT_KIND_RESULT ? WG_ABI_RESULT : WG_ABI_MAP;
      n = 2;
      kids = abi_alloc(g, 2 * sizeof *kids);
      if (kids) {
        kids[0] =
            d->has_a || d->kind == WG_WIT_KIND_MAP ? gen_abi(g, d->a) : NULL;
        kids[1] =
            d->has_b || d->kind == WG_WIT_KIND_MAP ? gen_abi(g, d->b) : NULL;
      }
      break;
    case WG_WIT_KIND_RESOURCE:
    case WG_WIT_KIND_HANDLE_OWN:
      a->kind = WG_ABI_OWN;
      break;
    case WG_WIT_KIND_HANDLE_BORROW:
      a->kind = WG_ABI_BORROW;
      break;
    default:
      a->kind = WG_ABI_U32; /* refused earlier (future/stream) */
      break;
  }
  if ((n || a->kind == WG_ABI_LIST || a->kind == WG_ABI_OPTION) && !kids &&
      a->kind != WG_ABI_ENUM && a->kind != WG_ABI_FLAGS)
    gen_fail(g, "out of memory");
  a->count = (uint32_t)n;
  if (a->kind == WG_ABI_LIST || a->kind == WG_ABI_OPTION) a->count = 0;
  a->children = kids;
  return g->abi[id] = a;
}
