/* SPDX-License-Identifier: Apache-2.0 */
/* C types of the bindings: the name of every WIT type on each side (import
 * or export) and its typedef in the header, laid out exactly as the
 * Canonical ABI lays the type out in memory on wasm32 (docs/bindings.md,
 * "Types"); plus the WgAbiType view of WIT types for canon_abi.c. */
#include "c_types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const PRIM_C[] = {
  [WG_WIT_BOOL] = "bool",    [WG_WIT_U8] = "uint8_t",
  [WG_WIT_U16] = "uint16_t", [WG_WIT_U32] = "uint32_t",
  [WG_WIT_U64] = "uint64_t", [WG_WIT_S8] = "int8_t",
  [WG_WIT_S16] = "int16_t",  [WG_WIT_S32] = "int32_t",
  [WG_WIT_S64] = "int64_t",  [WG_WIT_F32] = "float",
  [WG_WIT_F64] = "double",   [WG_WIT_CHAR] = "uint32_t",
};

const char *ct_core_ctype(WgCoreType c) {
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

bool ct_supported(CTypes *t, WgWitType ty, const char *where) {
  CWorld *w = t->w;
  if (!WG_WIT_TYPE_IS_ID(ty)) {
    if (ty == WG_WIT_ERROR_CONTEXT)
      return cw_fail(w, WG_ERR_UNSUPPORTED,
                     "not supported yet: error-context in %s", where);
    return true;
  }
  const WgWitTypeDef *d = cw_def(w, ty);
  switch (d->kind) {
    case WG_WIT_KIND_FUTURE:
      return cw_fail(w, WG_ERR_UNSUPPORTED, "not supported yet: future in %s",
                     where);
    case WG_WIT_KIND_STREAM:
      return cw_fail(w, WG_ERR_UNSUPPORTED, "not supported yet: stream in %s",
                     where);
    case WG_WIT_KIND_UNKNOWN:
      return cw_fail(w, WG_ERR_INVALID, "unresolved type in %s", where);
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
      for (size_t i = 0; i < d->cases.count; i++)
        if (d->cases.items[i].has_type &&
            !ct_supported(t, d->cases.items[i].type, where))
          return false;
      return true;
    case WG_WIT_KIND_TUPLE:
      for (size_t i = 0; i < d->types.count; i++)
        if (!ct_supported(t, d->types.items[i], where)) return false;
      return true;
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_FIXED_LIST:
    case WG_WIT_KIND_TYPE:
      return ct_supported(t, d->a, where);
    case WG_WIT_KIND_RESULT:
      return (!d->has_a || ct_supported(t, d->a, where)) &&
             (!d->has_b || ct_supported(t, d->b, where));
    case WG_WIT_KIND_MAP:
      return ct_supported(t, d->a, where) && ct_supported(t, d->b, where);
    default:
      return true;
  }
}

bool ct_owns(const CTypes *t, WgWitType ty) {
  const CWorld *w = t->w;
  ty = cw_dealias(w, ty);
  if (!WG_WIT_TYPE_IS_ID(ty)) return ty == WG_WIT_STRING;
  const WgWitTypeDef *d = cw_def(w, ty);
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
    case WG_WIT_KIND_TUPLE:
      for (size_t i = 0; i < d->cases.count; i++)
        if (d->cases.items[i].has_type && ct_owns(t, d->cases.items[i].type))
          return true;
      for (size_t i = 0; i < d->types.count; i++)
        if (ct_owns(t, d->types.items[i])) return true;
      return false;
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_FIXED_LIST:
      return ct_owns(t, d->a);
    case WG_WIT_KIND_RESULT:
      return (d->has_a && ct_owns(t, d->a)) || (d->has_b && ct_owns(t, d->b));
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_MAP:
    case WG_WIT_KIND_RESOURCE:
    case WG_WIT_KIND_HANDLE_OWN:
      return true;
    default:
      return false;
  }
}

/* ---- shapes and names ------------------------------------------------ */

static TypeInfo *find_shape(CTypes *t, const char *shape) {
  for (size_t i = 0; i < t->shape_count; i++)
    if (strcmp(t->shapes[i].shape, shape) == 0) return &t->shapes[i].info;
  return NULL;
}

static TypeInfo *add_shape(CTypes *t, const char *shape) {
  if (t->shape_count == t->shape_cap) {
    size_t cap = t->shape_cap ? t->shape_cap * 2 : 64;
    ShapeEntry *n = realloc(t->shapes, cap * sizeof *n);
    if (!n) return cw_nomem(t->w), NULL;
    t->shapes = n;
    t->shape_cap = cap;
  }
  ShapeEntry *e = &t->shapes[t->shape_count++];
  e->shape = strdup(shape);
  e->info = (TypeInfo){ 0 };
  if (!e->shape) return cw_nomem(t->w), NULL;
  return &e->info;
}

static const char *anon_shape(CTypes *t, const WgWitTypeDef *d);

/* The word a type contributes to an anonymous type's shape. */
static const char *shape_word(CTypes *t, WgWitType ty, bool has) {
  if (!has) return "void";
  if (!WG_WIT_TYPE_IS_ID(ty)) return wg_wit_prim_name((WgWitPrim)ty);
  const WgWitTypeDef *d = cw_def(t->w, ty);
  if (!d->name.ptr && d->kind != WG_WIT_KIND_HANDLE_OWN &&
      d->kind != WG_WIT_KIND_HANDLE_BORROW)
    return anon_shape(t, d); /* nested shapes carry no world prefix */
  const TypeInfo *ti = ct_type(t, ty);
  return ti ? ti->base : NULL;
}

/* The shape word of an anonymous type, or NULL (error recorded). */
static const char *anon_shape(CTypes *t, const WgWitTypeDef *d) {
  WgBuf b = { 0 };
  switch (d->kind) {
    case WG_WIT_KIND_LIST:
      wg_buf_printf(&b, "list_%s", shape_word(t, d->a, true));
      break;
    case WG_WIT_KIND_FIXED_LIST:
      wg_buf_printf(&b, "array%u_%s", d->size, shape_word(t, d->a, true));
      break;
    case WG_WIT_KIND_OPTION:
      wg_buf_printf(&b, "option_%s", shape_word(t, d->a, true));
      break;
    case WG_WIT_KIND_RESULT: {
      const char *ok = shape_word(t, d->a, d->has_a);
      wg_buf_printf(&b, "result_%s_%s", ok, shape_word(t, d->b, d->has_b));
      break;
    }
    case WG_WIT_KIND_MAP: {
      const char *k = shape_word(t, d->a, true);
      wg_buf_printf(&b, "map_%s_%s", k, shape_word(t, d->b, true));
      break;
    }
    case WG_WIT_KIND_TUPLE:
      wg_buf_printf(&b, "tuple%zu", d->types.count);
      for (size_t i = 0; i < d->types.count; i++)
        wg_buf_printf(&b, "_%s", shape_word(t, d->types.items[i], true));
      break;
    default:
      cw_fail(t->w, WG_ERR_INVALID, "internal: anonymous type of kind %d",
              (int)d->kind);
      wg_buf_free(&b);
      return NULL;
  }
  const char *s = t->w->failed ? NULL : cw_strf(t->w, "%s", wg_buf_cstr(&b));
  wg_buf_free(&b);
  return s;
}

/* Claims `candidate` (or candidate_2, ...) and its `_t` name. */
static bool claim_names(CTypes *t, const char *candidate, TypeInfo *out) {
  CWorld *w = t->w;
  const char *base = wg_names_claim(&w->names, candidate);
  if (!base) return cw_nomem(w);
  const char *cname = wg_names_claim(&w->names, cw_strf(w, "%s_t", base));
  if (!cname) return cw_nomem(w);
  out->base = base;
  out->cname = cname;
  return true;
}

/* ---- typedef emission -------------------------------------------------- */

/* WIT docs as a C comment; `*` + `/` and `/` + `*` in the text are broken
 * up so the comment cannot end early or nest. */
void ct_put_docs(WgBuf *b, WgStr docs, const char *indent) {
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

static const char *upper_word(CWorld *w, WgStr name) {
  char buf[256];
  wg_names_snake(buf, sizeof buf, 0, name);
  return cw_upper(w, buf);
}

/* One `#define <UP>_<CASE> <index>` per case of a variant or enum. */
static void put_case_defines(CWorld *w, WgBuf *b, const char *up,
                             const WgWitTypeDef *d) {
  for (size_t i = 0; i < d->cases.count; i++) {
    ct_put_docs(b, d->cases.items[i].docs, "");
    wg_buf_printf(b, "#define %s_%s %zu\n", up,
                  upper_word(w, d->cases.items[i].name), i);
  }
}

/* Each define_<kind> below appends the typedef of `d`, named `ti`, to `b`;
 * false after an error. The C types of members are named (and defined)
 * first, in member order. */

static bool define_record(CTypes *t, WgBuf *b, const WgWitTypeDef *d,
                          const TypeInfo *ti) {
  wg_buf_printf(b, "typedef struct %s {\n", ti->cname);
  for (size_t i = 0; i < d->cases.count; i++) {
    const WgWitCase *c = &d->cases.items[i];
    const char *ct = ct_cname(t, c->type);
    if (!ct) return false;
    ct_put_docs(b, c->docs, "  ");
    wg_buf_printf(b, "  %s %s;\n", ct, cw_word(t->w, c->name));
  }
  wg_buf_printf(b, "} %s;\n\n", ti->cname);
  return true;
}

static bool define_tuple(CTypes *t, WgBuf *b, const WgWitTypeDef *d,
                         const TypeInfo *ti) {
  wg_buf_printf(b, "typedef struct %s {\n", ti->cname);
  for (size_t i = 0; i < d->types.count; i++) {
    const char *ct = ct_cname(t, d->types.items[i]);
    if (!ct) return false;
    wg_buf_printf(b, "  %s f%zu;\n", ct, i);
  }
  wg_buf_printf(b, "} %s;\n\n", ti->cname);
  return true;
}

/* A tag, a union of the payloads (when any case has one), a macro per
 * case. */
static bool define_variant(CTypes *t, WgBuf *b, const WgWitTypeDef *d,
                           const TypeInfo *ti) {
  bool any = false;
  for (size_t i = 0; i < d->cases.count; i++)
    any |= d->cases.items[i].has_type;
  wg_buf_printf(b, "typedef struct %s {\n  %s tag;\n", ti->cname,
                disc_ctype(d->cases.count));
  if (any) wg_buf_puts(b, "  union {\n");
  for (size_t i = 0; i < d->cases.count && any; i++) {
    const WgWitCase *c = &d->cases.items[i];
    if (!c->has_type) continue;
    const char *ct = ct_cname(t, c->type);
    if (!ct) return false;
    wg_buf_printf(b, "    %s %s;\n", ct, cw_word(t->w, c->name));
  }
  if (any) wg_buf_puts(b, "  } val;\n");
  wg_buf_printf(b, "} %s;\n", ti->cname);
  put_case_defines(t->w, b, cw_upper(t->w, ti->base), d);
  wg_buf_puts(b, "\n");
  return true;
}

static void define_enum(CTypes *t, WgBuf *b, const WgWitTypeDef *d,
                        const TypeInfo *ti) {
  wg_buf_printf(b, "typedef %s %s;\n", disc_ctype(d->cases.count), ti->cname);
  put_case_defines(t->w, b, cw_upper(t->w, ti->base), d);
  wg_buf_puts(b, "\n");
}

/* Up to 32 flags: an integer and a mask macro per flag. More: a bit set of
 * 32-bit words, a bit index per flag and SET/CLEAR/HAS macros. */
static void define_flags(CTypes *t, WgBuf *b, const WgWitTypeDef *d,
                         const TypeInfo *ti) {
  const char *up = cw_upper(t->w, ti->base);
  size_t n = d->cases.count;
  if (n <= 32) {
    wg_buf_printf(b, "typedef %s %s;\n",
                  n <= 8    ? "uint8_t"
                  : n <= 16 ? "uint16_t"
                            : "uint32_t",
                  ti->cname);
    for (size_t i = 0; i < n; i++)
      wg_buf_printf(b, "#define %s_%s ((%s)1 << %zu)\n", up,
                    upper_word(t->w, d->cases.items[i].name), ti->cname, i);
  } else {
    wg_buf_printf(b,
                  "/* %zu flags: a bit set of %zu words; the flag macros "
                  "are bit indices. */\n"
                  "typedef struct %s {\n  uint32_t bits[%zu];\n} %s;\n",
                  n, (n + 31) / 32, ti->cname, (n + 31) / 32, ti->cname);
    for (size_t i = 0; i < n; i++)
      wg_buf_printf(b, "#define %s_%s %zu\n", up,
                    upper_word(t->w, d->cases.items[i].name), i);
    wg_buf_printf(b,
                  "#define %s_SET(v, f) ((v).bits[(f) / 32] |= "
                  "(uint32_t)1 << ((f) %% 32))\n"
                  "#define %s_CLEAR(v, f) ((v).bits[(f) / 32] &= "
                  "~((uint32_t)1 << ((f) %% 32)))\n"
                  "#define %s_HAS(v, f) (((v).bits[(f) / 32] >> ((f) %% "
                  "32)) & 1u)\n",
                  up, up, up);
  }
  wg_buf_puts(b, "\n");
}

/* option<T>, list<T>, list<T, N>: one element type. */
static bool define_container(CTypes *t, WgBuf *b, const WgWitTypeDef *d,
                             const TypeInfo *ti) {
  const char *ct = ct_cname(t, d->a);
  if (!ct) return false;
  if (d->kind == WG_WIT_KIND_OPTION)
    wg_buf_printf(b,
                  "typedef struct %s {\n  bool is_some;\n  %s val;\n} %s;\n\n",
                  ti->cname, ct, ti->cname);
  else if (d->kind == WG_WIT_KIND_LIST)
    wg_buf_printf(b,
                  "typedef struct %s {\n  %s *ptr;\n  size_t len;\n} %s;\n\n",
                  ti->cname, ct, ti->cname);
  else
    wg_buf_printf(b, "typedef struct %s {\n  %s items[%u];\n} %s;\n\n",
                  ti->cname, ct, d->size, ti->cname);
  return true;
}

static bool define_result(CTypes *t, WgBuf *b, const WgWitTypeDef *d,
                          const TypeInfo *ti) {
  const char *ok = d->has_a ? ct_cname(t, d->a) : "";
  const char *err = d->has_b ? ct_cname(t, d->b) : "";
  if (!ok || !err) return false;
  wg_buf_printf(b, "typedef struct %s {\n  bool is_err;\n", ti->cname);
  if (d->has_a || d->has_b) {
    wg_buf_puts(b, "  union {\n");
    if (d->has_a) wg_buf_printf(b, "    %s ok;\n", ok);
    if (d->has_b) wg_buf_printf(b, "    %s err;\n", err);
    wg_buf_puts(b, "  } val;\n");
  }
  wg_buf_printf(b, "} %s;\n\n", ti->cname);
  return true;
}

static bool define_map(CTypes *t, WgBuf *b, const WgWitTypeDef *d,
                       const TypeInfo *ti) {
  const char *k = ct_cname(t, d->a), *v = ct_cname(t, d->b);
  if (!k || !v) return false;
  wg_buf_printf(b,
                "typedef struct %s {\n  struct %s_entry {\n    %s key;\n"
                "    %s value;\n  } *ptr;\n  size_t len;\n} %s;\n\n",
                ti->cname, ti->base, k, v, ti->cname);
  return true;
}

/* `type a = b`: a typedef, and `a_free` as a macro for the target's
 * `_free` (the string's helper for a string). */
static bool define_alias(CTypes *t, WgBuf *b, const WgWitTypeDef *d,
                         const TypeInfo *ti) {
  const char *ct = ct_cname(t, d->a);
  if (!ct) return false;
  wg_buf_printf(b, "typedef %s %s;\n", ct, ti->cname);
  WgWitType target = cw_dealias(t->w, d->a);
  if (ct_owns(t, target) && WG_WIT_TYPE_IS_ID(target)) {
    const TypeInfo *tt = ct_type(t, target);
    WgWitTypeKind kind = cw_def(t->w, target)->kind;
    if (tt && kind != WG_WIT_KIND_RESOURCE && kind != WG_WIT_KIND_HANDLE_OWN)
      wg_buf_printf(b, "#define %s_free %s_free\n", ti->base, tt->base);
  } else if (target == WG_WIT_STRING) {
    wg_buf_printf(b, "#define %s_free %s_string_free\n", ti->base,
                  t->w->world_prefix);
  }
  wg_buf_puts(b, "\n");
  return true;
}

/* The public `_free` of an owning type `d` (not an alias): declared in the
 * header, defined in the source over the generator's hooks.free_fn. */
static bool declare_free(CTypes *t, const WgWitTypeDef *d, const TypeInfo *ti) {
  if (d->kind == WG_WIT_KIND_TYPE || !ti->cname) return true;
  WgWitType ty = WG_WIT_TYPE_OF((WgWitId)(d - t->w->r->types.items));
  if (!ct_owns(t, ty)) return true;
  const char *fn = t->hooks.free_fn(t->hooks.user, ty);
  if (!fn) return false;
  wg_buf_printf(&t->h_types,
                "/* Frees the heap memory `v` points to and drops the "
                "owned handles in it\n * (not `v` itself). */\n"
                "void %s_free(%s *v);\n\n",
                ti->base, ti->cname);
  wg_buf_printf(&t->c_frees, "void %s_free(%s *v) { %s(v); }\n\n", ti->base,
                ti->cname, fn);
  return true;
}

/* Writes the typedef of `d` named `ti` to the header, then its `_free`. */
static bool define(CTypes *t, const WgWitTypeDef *d, TypeInfo *ti) {
  WgBuf b = { 0 };
  ct_put_docs(&b, d->docs, "");
  bool ok = true;
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
      ok = define_record(t, &b, d, ti);
      break;
    case WG_WIT_KIND_TUPLE:
      ok = define_tuple(t, &b, d, ti);
      break;
    case WG_WIT_KIND_VARIANT:
      ok = define_variant(t, &b, d, ti);
      break;
    case WG_WIT_KIND_ENUM:
      define_enum(t, &b, d, ti);
      break;
    case WG_WIT_KIND_FLAGS:
      define_flags(t, &b, d, ti);
      break;
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_FIXED_LIST:
      ok = define_container(t, &b, d, ti);
      break;
    case WG_WIT_KIND_RESULT:
      ok = define_result(t, &b, d, ti);
      break;
    case WG_WIT_KIND_MAP:
      ok = define_map(t, &b, d, ti);
      break;
    case WG_WIT_KIND_TYPE:
      ok = define_alias(t, &b, d, ti);
      break;
    default:
      ok = cw_fail(t->w, WG_ERR_INVALID,
                   "internal: cannot define a type of kind %d", (int)d->kind);
      break;
  }
  if (ok) {
    ti->defined = true;
    wg_buf_append(&t->h_types, b.data, b.len);
  }
  wg_buf_free(&b);
  return ok && declare_free(t, d, ti);
}

/* Resource `res` of an interface with prefix `prefix`: names its borrowed
 * handle type `<prefix>_borrow_<r>_t`, then lets the generator emit it. */
static bool define_resource(CTypes *t, WgWitId res, TypeInfo *own,
                            const char *prefix) {
  CWorld *w = t->w;
  const WgWitTypeDef *d = &w->r->types.items[res];
  TypeInfo *borrow = &t->borrows[w->side][res];
  char word[256];
  wg_names_snake(word, sizeof word, 0, d->name);
  borrow->base =
      wg_names_claim(&w->names, cw_strf(w, "%s_borrow_%s", prefix, word));
  if (!borrow->base) return cw_nomem(w);
  borrow->cname = wg_names_claim(&w->names, cw_strf(w, "%s_t", borrow->base));
  if (!borrow->cname) return cw_nomem(w);
  return t->hooks.define_resource(t->hooks.user, res, own, borrow);
}

/* Names named type `id` on `side` and defines it in the context of its
 * owner. */
static const TypeInfo *define_named(CTypes *t, WgWitId id, Side side) {
  CWorld *w = t->w;
  const WgWitTypeDef *d = &w->r->types.items[id];
  TypeInfo *ti = &t->types[side][id];
  const char *prefix = w->world_prefix;
  if (d->owner_kind == WG_WIT_OWNER_INTERFACE) {
    prefix = side >= SIDE_FIRST_EXTRA ? w->slots[side].prefix
                                      : w->iface_prefix[d->owner];
    if (!prefix)
      return cw_fail(w, WG_ERR_INVALID, "internal: interface not in world"),
             NULL;
    if (side == SIDE_EXPORT) prefix = cw_strf(w, "exports_%s", prefix);
  }
  char buf[512];
  size_t n = (size_t)snprintf(buf, sizeof buf, "%s_", prefix);
  wg_names_snake(buf, sizeof buf, n, d->name);
  if (!claim_names(t, buf, ti)) return NULL;
  Side saved_side = w->side;
  WgWitId saved_iface = w->cur_iface;
  w->side = side;
  if (side != SIDE_IMPORT) w->cur_iface = d->owner;
  bool ok = d->kind == WG_WIT_KIND_RESOURCE ? define_resource(t, id, ti, prefix)
                                            : define(t, d, ti);
  w->side = saved_side;
  w->cur_iface = saved_iface;
  return ok ? ti : NULL;
}

/* An anonymous type, named by its shape with the world prefix. */
static const TypeInfo *define_anonymous(CTypes *t, const WgWitTypeDef *d) {
  const char *shape = anon_shape(t, d);
  if (!shape) return NULL;
  TypeInfo *ti = find_shape(t, shape);
  if (ti) return ti;
  ti = add_shape(t, shape);
  if (!ti ||
      !claim_names(t, cw_strf(t->w, "%s_%s", t->w->world_prefix, shape), ti))
    return NULL;
  return define(t, d, ti) ? ti : NULL;
}

const TypeInfo *ct_type(CTypes *t, WgWitType ty) {
  CWorld *w = t->w;
  if (w->failed) return NULL;
  if (!WG_WIT_TYPE_IS_ID(ty)) {
    if (ty == WG_WIT_STRING) return &t->string_info;
    if (ty == WG_WIT_ERROR_CONTEXT || ty >= WG_WIT_PRIM_COUNT)
      return cw_fail(w, WG_ERR_UNSUPPORTED, "not supported yet: error-context"),
             NULL;
    t->prims[ty].cname = PRIM_C[ty];
    t->prims[ty].base = wg_wit_prim_name((WgWitPrim)ty);
    return &t->prims[ty];
  }
  WgWitId id = WG_WIT_TYPE_ID(ty);
  const WgWitTypeDef *d = &w->r->types.items[id];
  switch (d->kind) {
    case WG_WIT_KIND_FUTURE:
      return cw_fail(w, WG_ERR_UNSUPPORTED, "not supported yet: future"), NULL;
    case WG_WIT_KIND_STREAM:
      return cw_fail(w, WG_ERR_UNSUPPORTED, "not supported yet: stream"), NULL;
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW: {
      WgWitId res = cw_resource_of(w, ty);
      const TypeInfo *own = ct_type(t, WG_WIT_TYPE_OF(res));
      if (!own || d->kind == WG_WIT_KIND_HANDLE_OWN) return own;
      return &t->borrows[cw_side_of(w, res)][res];
    }
    default:
      break;
  }
  if (!d->name.ptr) return define_anonymous(t, d);
  Side side = cw_side_of(w, id);
  const TypeInfo *ti = &t->types[side][id];
  return ti->cname ? ti : define_named(t, id, side);
}

const char *ct_cname(CTypes *t, WgWitType ty) {
  const TypeInfo *ti = ct_type(t, ty);
  return ti ? ti->cname : NULL;
}

/* ---- Canonical ABI view ---------------------------------------------- */

static void *abi_alloc(CTypes *t, size_t size) {
  if (t->abi_node_count == t->abi_node_cap) {
    size_t cap = t->abi_node_cap ? t->abi_node_cap * 2 : 256;
    void **n = realloc(t->abi_nodes, cap * sizeof *n);
    if (!n) return NULL;
    t->abi_nodes = n;
    t->abi_node_cap = cap;
  }
  void *p = calloc(1, size);
  if (p) t->abi_nodes[t->abi_node_count++] = p;
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

/* `n` child views of `d`'s members (a record's or variant's cases, a
 * tuple's types; NULL for a case without payload). */
static const WgAbiType **abi_members(CTypes *t, const WgWitTypeDef *d,
                                     size_t n) {
  const WgAbiType **kids = abi_alloc(t, (n ? n : 1) * sizeof *kids);
  for (size_t i = 0; kids && i < n; i++)
    kids[i] = d->kind == WG_WIT_KIND_TUPLE ? ct_abi(t, d->types.items[i])
              : d->cases.items[i].has_type ? ct_abi(t, d->cases.items[i].type)
                                           : NULL;
  return kids;
}

const WgAbiType *ct_abi(CTypes *t, WgWitType ty) {
  if (!WG_WIT_TYPE_IS_ID(ty)) return &PRIM_ABI[ty < WG_WIT_PRIM_COUNT ? ty : 0];
  WgWitId id = WG_WIT_TYPE_ID(ty);
  if (t->abi[id]) return t->abi[id];
  const WgWitTypeDef *d = &t->w->r->types.items[id];
  if (d->kind == WG_WIT_KIND_TYPE)
    return t->abi[id] = (WgAbiType *)ct_abi(t, d->a);
  WgAbiType *a = abi_alloc(t, sizeof *a);
  if (!a) return cw_nomem(t->w), &PRIM_ABI[0];
  size_t n = 0;
  const WgAbiType **kids = NULL;
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
      a->kind = d->kind == WG_WIT_KIND_RECORD ? WG_ABI_RECORD : WG_ABI_VARIANT;
      n = d->cases.count;
      kids = abi_members(t, d, n);
      break;
    case WG_WIT_KIND_TUPLE:
      a->kind = WG_ABI_TUPLE;
      n = d->types.count;
      kids = abi_members(t, d, n);
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
      kids = abi_alloc(t, sizeof *kids);
      if (kids) kids[0] = ct_abi(t, d->a);
      break;
    case WG_WIT_KIND_RESULT:
    case WG_WIT_KIND_MAP:
      a->kind = d->kind == WG_WIT_KIND_RESULT ? WG_ABI_RESULT : WG_ABI_MAP;
      n = 2;
      kids = abi_alloc(t, 2 * sizeof *kids);
      if (kids) {
        kids[0] =
            d->has_a || d->kind == WG_WIT_KIND_MAP ? ct_abi(t, d->a) : NULL;
        kids[1] =
            d->has_b || d->kind == WG_WIT_KIND_MAP ? ct_abi(t, d->b) : NULL;
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
    cw_nomem(t->w);
  a->count = (uint32_t)n;
  if (a->kind == WG_ABI_LIST || a->kind == WG_ABI_OPTION) a->count = 0;
  a->children = kids;
  return t->abi[id] = a;
}

/* ---- lifecycle ---------------------------------------------------------- */

bool ct_init(CTypes *t, CWorld *w, const CTypeHooks *hooks) {
  t->w = w;
  t->hooks = *hooks;
  size_t nt = w->r->types.count ? w->r->types.count : 1;
  t->abi = calloc(nt, sizeof *t->abi);
  t->types = calloc(w->slot_count, sizeof *t->types);
  t->borrows = calloc(w->slot_count, sizeof *t->borrows);
  if (!t->abi || !t->types || !t->borrows) return cw_nomem(w);
  for (size_t s = 0; s < w->slot_count; s++) {
    t->types[s] = calloc(nt, sizeof(TypeInfo));
    t->borrows[s] = calloc(nt, sizeof(TypeInfo));
    if (!t->types[s] || !t->borrows[s]) return cw_nomem(w);
  }
  const char *wp = w->world_prefix;
  t->string_info.cname = cw_strf(w, "%s_string_t", wp);
  t->string_info.base = cw_strf(w, "%s_string", wp);
  const char *fixed[] = { "_string", "_string_t", "_string_set", "_string_dup",
                          "_string_free" };
  for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
    wg_names_reserve(&w->names, cw_strf(w, "%s%s", wp, fixed[i]));
  return !w->failed;
}

void ct_free(CTypes *t) {
  size_t slots = t->w ? t->w->slot_count : 0;
  for (size_t s = 0; s < slots; s++) {
    if (t->types) free(t->types[s]);
    if (t->borrows) free(t->borrows[s]);
  }
  free(t->types);
  free(t->borrows);
  for (size_t i = 0; i < t->shape_count; i++)
    free(t->shapes[i].shape);
  free(t->shapes);
  free(t->abi);
  for (size_t i = 0; i < t->abi_node_count; i++)
    free(t->abi_nodes[i]);
  free(t->abi_nodes);
  wg_buf_free(&t->h_types);
  wg_buf_free(&t->c_frees);
}
