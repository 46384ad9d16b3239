/* SPDX-License-Identifier: Apache-2.0 */
/* Component types in text (explainer: Type Definitions): value types,
 * function, component, instance and resource types, extern types of
 * imports and exports, and core types (function and module types).
 * Inline value types and type uses become type definitions hoisted just
 * before the item that uses them, as wasm-tools lays them out. */
#include <string.h>

#include "comp.h"
#include "component/cformat.h"
#include "witgen/core_module.h"

static const struct {
  const char *kw;
  uint8_t prim;
} PRIMS[] = {
  { "bool", WG_CPRIM_BOOL },     { "s8", WG_CPRIM_S8 },
  { "u8", WG_CPRIM_U8 },         { "s16", WG_CPRIM_S16 },
  { "u16", WG_CPRIM_U16 },       { "s32", WG_CPRIM_S32 },
  { "u32", WG_CPRIM_U32 },       { "s64", WG_CPRIM_S64 },
  { "u64", WG_CPRIM_U64 },       { "f32", WG_CPRIM_F32 },
  { "f64", WG_CPRIM_F64 },       { "float32", WG_CPRIM_F32 },
  { "float64", WG_CPRIM_F64 },   { "char", WG_CPRIM_CHAR },
  { "string", WG_CPRIM_STRING }, { "error-context", WG_CPRIM_ERROR_CONTEXT },
};

static uint8_t prim_at(const WatParser *p, const WatTok *t) {
  for (size_t i = 0; i < sizeof PRIMS / sizeof *PRIMS; i++)
    if (wat_tok_is(p, t, PRIMS[i].kw)) return PRIMS[i].prim;
  return 0;
}

static const char *const DEFINED[] = { "record", "variant", "list",   "map",
                                       "tuple",  "flags",   "enum",   "option",
                                       "result", "own",     "borrow", "stream",
                                       "future" };

/* Does a value type start at `pos`? */
static bool valtype_at(const WatParser *p, uint32_t pos) {
  const WatTok *t = &p->toks[pos];
  if (t->kind == WAT_NUM || t->kind == WAT_ID) return true;
  if (t->kind == WAT_KEYWORD) return prim_at(p, t) != 0;
  if (t->kind != WAT_LPAREN) return false;
  for (size_t i = 0; i < sizeof DEFINED / sizeof *DEFINED; i++)
    if (wat_peek_form_at(p, pos, DEFINED[i])) return true;
  return false;
}

static bool defined_type(CParser *c, WgCType *t);

/* A new type item hoisted before the current one; parsing its definition
 * records references from it. */
static CItem *hoisted_type(CParser *c) {
  CItem *it = cp_item(c, NS_TYPE, WG_CDEF_TYPE);
  WgCType *t = it ? cp_alloc(c, sizeof *t) : NULL;
  if (!t) return NULL;
  it->def->u.type = t;
  return it;
}

bool cp_valtype(CParser *c, WgCValType *out) {
  WatParser *p = c->p;
  const WatTok *t = wat_peek(p);
  memset(out, 0, sizeof *out);
  if (t->kind == WAT_KEYWORD) {
    uint8_t prim = prim_at(p, t);
    if (!prim) return wat_error(p, "unexpected token, expected a value type");
    out->prim = prim;
    p->pos++;
    return true;
  }
  if (t->kind == WAT_NUM || t->kind == WAT_ID)
    return cp_index(c, &out->index, NS_TYPE);
  if (!valtype_at(p, p->pos))
    return wat_error(p, "unexpected token, expected a value type");
  /* an inline defined type: a type definition of its own before the user */
  CItem *user = c->current;
  CItem *it = hoisted_type(c);
  if (!it) return false;
  c->current = it;
  p->pos++;
  bool ok = defined_type(c, it->def->u.type) && wat_expect_rparen(p);
  c->current = user;
  return ok && cp_hoist(c, it) && cp_ref_item(c, &out->index, it);
}

/* Labelled items `(kw "label" valtype?)` of records and variants. */
static bool labelled(CParser *c, WgCType *t, const char *kw, bool variant) {
  WatParser *p = c->p;
  uint32_t n = 0;
  for (uint32_t k = p->pos; wat_peek_form_at(p, k, kw);
       k = p->toks[k].close + 1)
    n++;
  t->u.fields.count = n;
  t->u.fields.items = n ? cp_alloc(c, n * sizeof(WgCField)) : NULL;
  if (n && !t->u.fields.items) return false;
  for (uint32_t i = 0; i < n; i++) {
    WgCField *f = &t->u.fields.items[i];
    p->pos += 2;
    if (variant && wat_peek(p)->kind == WAT_ID) p->pos++; /* case id */
    if (!cp_string(c, &f->label)) return false;
    if (!variant || valtype_at(p, p->pos)) {
      f->has_type = true;
      if (!cp_valtype(c, &f->type)) return false;
    }
    if (variant && wat_peek_form(p, "refines")) wat_skip_form(p);
    if (!wat_expect_rparen(p)) return false;
  }
  if (!wat_at_close(p)) return wat_error(p, "unexpected token");
  return true;
}

static bool names_list(CParser *c, WgCType *t) {
  WatParser *p = c->p;
  uint32_t n = 0;
  while (p->toks[p->pos + n].kind == WAT_STRING)
    n++;
  t->u.fields.count = n;
  t->u.fields.items = n ? cp_alloc(c, n * sizeof(WgCField)) : NULL;
  if (n && !t->u.fields.items) return false;
  for (uint32_t i = 0; i < n; i++)
    if (!cp_string(c, &t->u.fields.items[i].label)) return false;
  if (!wat_at_close(p)) return wat_error(p, "unexpected token");
  return true;
}

/* A defined value type after its `(`: record ... future. */
static bool defined_type(CParser *c, WgCType *t) {
  WatParser *p = c->p;
  if (++c->depth > 1000) return wat_error(p, "types nested too deeply");
  bool ok = true;
  if (wat_accept_kw(p, "record")) {
    t->kind = WG_CT_RECORD;
    ok = labelled(c, t, "field", false);
  } else if (wat_accept_kw(p, "variant")) {
    t->kind = WG_CT_VARIANT;
    ok = labelled(c, t, "case", true);
  } else if (wat_accept_kw(p, "list")) {
    t->kind = WG_CT_LIST;
    ok = cp_valtype(c, &t->u.list.elem);
    if (ok && wat_peek(p)->kind == WAT_NUM) {
      t->kind = WG_CT_FIXED_LIST;
      if (!wat_tok_u32(p, wat_peek(p), &t->u.list.len))
        ok = wat_error(p, "malformed list length");
      p->pos++;
    }
  } else if (wat_accept_kw(p, "map")) {
    t->kind = WG_CT_MAP;
    ok = cp_valtype(c, &t->u.map.key) && cp_valtype(c, &t->u.map.value);
  } else if (wat_accept_kw(p, "tuple")) {
    t->kind = WG_CT_TUPLE;
    uint32_t n = 0;
    for (uint32_t k = p->pos; valtype_at(p, k);
         k = p->toks[k].kind == WAT_LPAREN ? p->toks[k].close + 1 : k + 1)
      n++;
    t->u.fields.count = n;
    t->u.fields.items = n ? cp_alloc(c, n * sizeof(WgCField)) : NULL;
    if (n && !t->u.fields.items) return false;
    for (uint32_t i = 0; ok && i < n; i++) {
      t->u.fields.items[i].has_type = true;
      ok = cp_valtype(c, &t->u.fields.items[i].type);
    }
  } else if (wat_accept_kw(p, "flags")) {
    t->kind = WG_CT_FLAGS;
    ok = names_list(c, t);
  } else if (wat_accept_kw(p, "enum")) {
    t->kind = WG_CT_ENUM;
    ok = names_list(c, t);
  } else if (wat_accept_kw(p, "option")) {
    t->kind = WG_CT_OPTION;
    ok = cp_valtype(c, &t->u.list.elem);
  } else if (wat_accept_kw(p, "result")) {
    t->kind = WG_CT_RESULT;
    if (valtype_at(p, p->pos)) {
      t->u.result.has_ok = true;
      ok = cp_valtype(c, &t->u.result.ok);
    }
    if (ok && wat_peek_form(p, "error")) {
      p->pos += 2;
      t->u.result.has_err = true;
      ok = cp_valtype(c, &t->u.result.err) && wat_expect_rparen(p);
    }
  } else if (wat_accept_kw(p, "own") || wat_accept_kw(p, "borrow")) {
    t->kind =
        p->text[p->toks[p->pos - 1].start] == 'o' ? WG_CT_OWN : WG_CT_BORROW;
    ok = cp_index(c, &t->u.resource, NS_TYPE);
  } else if (wat_accept_kw(p, "stream") || wat_accept_kw(p, "future")) {
    t->kind =
        p->text[p->toks[p->pos - 1].start] == 's' ? WG_CT_STREAM : WG_CT_FUTURE;
    if (valtype_at(p, p->pos)) {
      t->u.async.has_elem = true;
      ok = cp_valtype(c, &t->u.async.elem);
    }
  } else {
    ok = wat_error(p, "unexpected token, expected a type definition");
  }
  c->depth--;
  return ok;
}

/* `async? (param "name" vt)* (result vt)?`; `whole`: nothing may follow
 * (a type definition; a type use is followed by more). */
static bool func_type(CParser *c, WgCType *t, bool whole) {
  WatParser *p = c->p;
  t->kind = WG_CT_FUNC;
  t->u.func.is_async = wat_accept_kw(p, "async");
  uint32_t n = 0;
  for (uint32_t k = p->pos; wat_peek_form_at(p, k, "param");
       k = p->toks[k].close + 1)
    n++;
  t->u.func.param_count = n;
  t->u.func.params = n ? cp_alloc(c, n * sizeof(WgCField)) : NULL;
  if (n && !t->u.func.params) return false;
  for (uint32_t i = 0; i < n; i++) {
    WgCField *f = &t->u.func.params[i];
    p->pos += 2;
    f->has_type = true;
    if (!cp_string(c, &f->label) || !cp_valtype(c, &f->type) ||
        !wat_expect_rparen(p))
      return false;
  }
  if (wat_peek_form(p, "result")) {
    p->pos += 2;
    t->u.func.has_result = true;
    if (!cp_valtype(c, &t->u.func.result) || !wat_expect_rparen(p))
      return false;
  }
  if (whole && !wat_at_close(p)) return wat_error(p, "unexpected token");
  return true;
}

/* A core function reference: bare index, `(core func idx "name"?)`, or the
 * legacy `(func idx "name"?)`. */
static bool core_func_ref(CParser *c, uint32_t *slot) {
  WatParser *p = c->p;
  if (wat_peek(p)->kind != WAT_LPAREN) return cp_index(c, slot, NS_CFUNC);
  p->pos++;
  wat_accept_kw(p, "core");
  if (!wat_expect_kw(p, "func")) return false;
  return cp_item_ref(c, slot, NS_CFUNC, true) && wat_expect_rparen(p);
}

static bool resource_type(CParser *c, WgCType *t) {
  WatParser *p = c->p;
  t->kind = WG_CT_RESOURCE;
  if (!wat_expect_lparen(p) || !wat_expect_kw(p, "rep")) return false;
  if (!wat_accept_kw(p, "i32"))
    return wat_error(p, "unexpected token, a resource is represented by i32");
  t->u.resource_def.rep = WG_VT_I32;
  if (!wat_expect_rparen(p)) return false;
  if (wat_peek_form(p, "dtor")) {
    p->pos += 2;
    t->u.resource_def.has_dtor = true;
    if (!core_func_ref(c, &t->u.resource_def.dtor) || !wat_expect_rparen(p))
      return false;
  }
  if (!wat_at_close(p)) return wat_error(p, "unexpected token");
  return true;
}

bool cp_typedef(CParser *c, WgCType **out, WgStr scope_id) {
  WatParser *p = c->p;
  WgCType *t = cp_alloc(c, sizeof *t);
  if (!t) return false;
  *out = t;
  const WatTok *tok = wat_peek(p);
  if (tok->kind == WAT_KEYWORD) {
    uint8_t prim = prim_at(p, tok);
    if (!prim) return wat_error(p, "unexpected token, expected a type");
    t->kind = WG_CT_PRIM;
    t->u.prim = prim;
    p->pos++;
    return wat_at_close(p) ? true : wat_error(p, "unexpected token");
  }
  if (!wat_expect_lparen(p)) return false;
  bool ok;
  if (wat_accept_kw(p, "func")) {
    ok = func_type(c, t, true);
  } else if (wat_accept_kw(p, "component")) {
    t->kind = WG_CT_COMPONENT;
    ok = cp_type_scope(c, t, scope_id);
  } else if (wat_accept_kw(p, "instance")) {
    t->kind = WG_CT_INSTANCE;
    ok = cp_type_scope(c, t, scope_id);
  } else if (wat_accept_kw(p, "resource")) {
    ok = resource_type(c, t);
  } else {
    ok = defined_type(c, t);
  }
  return ok && wat_expect_rparen(p) &&
         (wat_at_close(p) ? true : wat_error(p, "unexpected token"));
}

/* `(type ref)` at the current token, as wasm-tools tells a reference from
 * a type definition: `(type idx)` or `(type idx "name"...)`. */
static bool type_ref_at(const WatParser *p) {
  if (!wat_peek_form(p, "type")) return false;
  const WatTok *t = &p->toks[p->pos + 2];
  if (t->kind != WAT_NUM && t->kind != WAT_ID) return false;
  uint8_t k = p->toks[p->pos + 3].kind;
  return k == WAT_RPAREN || k == WAT_STRING;
}

bool cp_typeuse(CParser *c, WgCTypeKind kind, uint32_t *slot) {
  WatParser *p = c->p;
  if (type_ref_at(p)) {
    p->pos += 2;
    return cp_item_ref(c, slot, NS_TYPE, false) && wat_expect_rparen(p);
  }
  /* an inline type: a type definition hoisted before the user */
  CItem *user = c->current;
  CItem *it = hoisted_type(c);
  if (!it) return false;
  WgCType *t = it->def->u.type;
  c->current = it;
  bool ok;
  if (kind == WG_CT_FUNC) {
    ok = func_type(c, t, false);
  } else {
    t->kind = kind;
    ok = cp_type_scope(c, t, (WgStr){ NULL, 0 });
  }
  c->current = user;
  return ok && cp_hoist(c, it) && cp_ref_item(c, slot, it);
}

bool cp_externtype(CParser *c, const char *sort_kw, WgCExternType *out) {
  WatParser *p = c->p;
  memset(out, 0, sizeof *out);
  if (!strcmp(sort_kw, "core")) {
    out->kind = WG_CSORT_CORE;
    if (type_ref_at(p)) {
      p->pos += 2;
      return cp_item_ref(c, &out->index, NS_CTYPE, false) &&
             wat_expect_rparen(p);
    }
    /* an inline module type: a core type hoisted before the user */
    CItem *user = c->current;
    CItem *it = cp_item(c, NS_CTYPE, WG_CDEF_CORE_TYPE);
    if (!it) return false;
    c->current = it;
    WgBuf b = { 0 };
    bool ok = true;
    ok = cp_module_type(c, &b);
    c->current = user;
    if (ok) {
      uint8_t *bytes = cp_alloc(c, b.len ? b.len : 1);
      ok = bytes != NULL;
      if (ok) {
        if (b.len) memcpy(bytes, b.data, b.len);
        it->def->u.core_type.bytes = bytes;
        it->def->u.core_type.len = b.len;
      }
    }
    wg_buf_free(&b);
    return ok && cp_hoist(c, it) && cp_ref_item(c, &out->index, it);
  }
  if (!strcmp(sort_kw, "func")) {
    out->kind = WG_CSORT_FUNC;
    return cp_typeuse(c, WG_CT_FUNC, &out->index);
  }
  if (!strcmp(sort_kw, "component")) {
    out->kind = WG_CSORT_COMPONENT;
    return cp_typeuse(c, WG_CT_COMPONENT, &out->index);
  }
  if (!strcmp(sort_kw, "instance")) {
    out->kind = WG_CSORT_INSTANCE;
    return cp_typeuse(c, WG_CT_INSTANCE, &out->index);
  }
  if (!strcmp(sort_kw, "value")) {
    out->kind = WG_CSORT_VALUE;
    out->bound = WG_CBOUND_SUB_RESOURCE; /* a value type */
    if (type_ref_at(p)) {
      p->pos += 2;
      return cp_index(c, &out->value_type.index, NS_TYPE) &&
             wat_expect_rparen(p);
    }
    return cp_valtype(c, &out->value_type);
  }
  /* type: (eq idx) | (sub resource) */
  out->kind = WG_CSORT_TYPE;
  if (!wat_expect_lparen(p)) return false;
  if (wat_accept_kw(p, "eq")) {
    out->bound = WG_CBOUND_EQ;
    if (!cp_index(c, &out->index, NS_TYPE)) return false;
  } else if (wat_accept_kw(p, "sub")) {
    out->bound = WG_CBOUND_SUB_RESOURCE;
    if (!wat_expect_kw(p, "resource")) return false;
  } else {
    return wat_error(p, "unexpected token, expected `eq` or `sub`");
  }
  return wat_expect_rparen(p);
}

/* ---- core types -----------------------------------------------------------
 */

static uint8_t core_valtype(WatParser *p) {
  static const struct {
    const char *kw;
    uint8_t b;
  } vts[] = { { "i32", WG_VT_I32 },
              { "i64", WG_VT_I64 },
              { "f32", WG_VT_F32 },
              { "f64", WG_VT_F64 },
              { "v128", WG_VT_V128 },
              { "funcref", WG_VT_FUNCREF },
              { "externref", WG_VT_EXTERNREF } };
  for (size_t i = 0; i < sizeof vts / sizeof *vts; i++)
    if (wat_accept_kw(p, vts[i].kw)) return vts[i].b;
  if (wat_peek_form(p, "ref")) {
    uint32_t save = p->pos;
    p->pos += 2;
    if (wat_accept_kw(p, "null")) {
      uint8_t b = wat_accept_kw(p, "func")     ? WG_VT_FUNCREF
                  : wat_accept_kw(p, "extern") ? WG_VT_EXTERNREF
                                               : 0;
      if (b && wat_expect_rparen(p)) return b;
    }
    p->pos = save;
  }
  wat_error(p, "unexpected token, expected a value type");
  return 0;
}

/* `(param id? t*)* (result t*)*` of a core function type into `params`
 * and `results` (value-type bytes). */
static bool core_sig(WatParser *p, WgBuf *params, WgBuf *results) {
  while (wat_peek_form(p, "param")) {
    p->pos += 2;
    if (wat_peek(p)->kind == WAT_ID) p->pos++;
    while (!wat_at_close(p)) {
      uint8_t t = core_valtype(p);
      if (!t) return false;
      wg_buf_putc(params, (char)t);
    }
    p->pos++;
  }
  while (wat_peek_form(p, "result")) {
    p->pos += 2;
    while (!wat_at_close(p)) {
      uint8_t t = core_valtype(p);
      if (!t) return false;
      wg_buf_putc(results, (char)t);
    }
    p->pos++;
  }
  return true;
}

static void put_functype(WgBuf *out, const WgBuf *params,
                         const WgBuf *results) {
  wg_buf_putc(out, WG_COP_CORE_FUNC);
  wg_buf_uleb(out, params->len);
  wg_buf_append(out, params->data, params->len);
  wg_buf_uleb(out, results->len);
  wg_buf_append(out, results->data, results->len);
}

/* A module type's own type index space. */
typedef struct ModType {
  WatNames ids;
  uint32_t count;
  WatNames sigs; /* function signature -> first type index */
  WgBuf decls;
  uint32_t ndecls;
} ModType;

static bool limits(WatParser *p, WgBuf *out) {
  uint32_t min, max = 0;
  const WatTok *t = wat_peek(p);
  if (t->kind != WAT_NUM || !wat_tok_u32(p, t, &min))
    return wat_error(p, "unexpected token, expected a limit");
  p->pos++;
  bool has_max = wat_peek(p)->kind == WAT_NUM;
  if (has_max && !wat_tok_u32(p, wat_peek(p), &max))
    return wat_error(p, "malformed limit");
  if (has_max) p->pos++;
  bool shared = wat_accept_kw(p, "shared");
  wg_buf_putc(out, (char)((has_max ? 1 : 0) | (shared ? 2 : 0)));
  wg_buf_uleb(out, min);
  if (has_max) wg_buf_uleb(out, max);
  return true;
}

/* A function signature's type index in the module type: the first
 * explicit type declarator with it, else a new declarator (each inline
 * signature gets its own, as wasm-tools does). */
static bool mod_func_type(CParser *c, ModType *m, const WgBuf *params,
                          const WgBuf *results, uint32_t *out) {
  WgBuf key = { 0 };
  wg_buf_append(&key, params->data, params->len);
  wg_buf_putc(&key, 0);
  wg_buf_append(&key, results->data, results->len);
  WgStr k = wg_arena_strdup(c->arena, (WgStr){ key.data, key.len });
  wg_buf_free(&key);
  if (!k.ptr) return wat_nomem(c->p);
  if (wat_names_get(&m->sigs, k, out)) return true;
  *out = m->count++;
  wg_buf_putc(&m->decls, WG_CMDECL_TYPE);
  put_functype(&m->decls, params, results);
  m->ndecls++;
  return true;
}

/* An import/export description of a module type. */
static bool mod_desc(CParser *c, ModType *m, WgBuf *out) {
  WatParser *p = c->p;
  if (!wat_expect_lparen(p)) return false;
  if (wat_accept_kw(p, "func")) {
    if (wat_peek(p)->kind == WAT_ID) p->pos++;
    uint32_t ti;
    if (wat_peek_form(p, "type")) {
      p->pos += 2;
      const WatTok *t = wat_peek(p);
      if (t->kind == WAT_NUM) {
        if (!wat_tok_u32(p, t, &ti)) return wat_error(p, "malformed index");
      } else if (t->kind == WAT_ID) {
        WgStr id = wat_id_name(p, t);
        if (!wat_names_get(&m->ids, id, &ti))
          return wat_error(p, "unknown type $%.*s", (int)id.len, id.ptr);
      } else {
        return wat_error(p, "unexpected token, expected a type index");
      }
      p->pos++;
      if (!wat_expect_rparen(p)) return false;
      /* inline params/results after (type x) are only checked by the
       * reference tools; skip them */
      while (wat_peek_form(p, "param") || wat_peek_form(p, "result"))
        wat_skip_form(p);
    } else {
      WgBuf params = { 0 }, results = { 0 };
      bool ok = core_sig(p, &params, &results) &&
                mod_func_type(c, m, &params, &results, &ti);
      wg_buf_free(&params);
      wg_buf_free(&results);
      if (!ok) return false;
    }
    wg_buf_putc(out, WG_EXTERN_FUNC);
    wg_buf_uleb(out, ti);
  } else if (wat_accept_kw(p, "table")) {
    if (wat_peek(p)->kind == WAT_ID) p->pos++;
    WgBuf lim = { 0 };
    bool ok = limits(p, &lim);
    uint8_t rt = ok ? core_valtype(p) : 0;
    if (ok && rt) {
      wg_buf_putc(out, WG_EXTERN_TABLE);
      wg_buf_putc(out, (char)rt);
      wg_buf_append(out, lim.data, lim.len);
    }
    wg_buf_free(&lim);
    if (!ok || !rt) return false;
  } else if (wat_accept_kw(p, "memory")) {
    if (wat_peek(p)->kind == WAT_ID) p->pos++;
    wg_buf_putc(out, WG_EXTERN_MEMORY);
    if (!limits(p, out)) return false;
  } else if (wat_accept_kw(p, "global")) {
    if (wat_peek(p)->kind == WAT_ID) p->pos++;
    bool mut = wat_peek_form(p, "mut");
    if (mut) p->pos += 2;
    uint8_t t = core_valtype(p);
    if (!t || (mut && !wat_expect_rparen(p))) return false;
    wg_buf_putc(out, WG_EXTERN_GLOBAL);
    wg_buf_putc(out, (char)t);
    wg_buf_putc(out, mut ? 1 : 0);
  } else {
    return wat_error(p, "unexpected token, expected an import description");
  }
  return wat_expect_rparen(p);
}

static bool name_bytes(CParser *c, WgBuf *out) {
  WgStr s;
  if (!cp_string(c, &s)) return false;
  wg_buf_uleb(out, s.len);
  wg_buf_append_str(out, s);
  return true;
}

bool cp_module_type(CParser *c, WgBuf *out) {
  WatParser *p = c->p;
  ModType m;
  memset(&m, 0, sizeof m);
  bool ok = true;
  while (ok && !wat_at_close(p)) {
    if (!wat_expect_lparen(p)) {
      ok = false;
      break;
    }
    WgBuf decl = { 0 };
    if (wat_accept_kw(p, "type")) {
      if (wat_peek(p)->kind == WAT_ID) {
        uint32_t prev;
        WgStr id = wat_id_name(p, wat_peek(p));
        if (!wat_names_add(c->arena, &m.ids, id, m.count, &prev))
          ok = prev == UINT32_MAX
                   ? wat_nomem(p)
                   : wat_error(p, "duplicate type $%.*s", (int)id.len, id.ptr);
        p->pos++;
      }
      WgBuf params = { 0 }, results = { 0 };
      ok = ok && wat_expect_lparen(p) && wat_expect_kw(p, "func") &&
           core_sig(p, &params, &results) && wat_expect_rparen(p);
      if (ok) {
        WgBuf key = { 0 };
        wg_buf_append(&key, params.data, params.len);
        wg_buf_putc(&key, 0);
        wg_buf_append(&key, results.data, results.len);
        WgStr k = wg_arena_strdup(c->arena, (WgStr){ key.data, key.len });
        wg_buf_free(&key);
        uint32_t prev;
        if (!k.ptr)
          ok = wat_nomem(p);
        else
          wat_names_add(c->arena, &m.sigs, k, m.count, &prev);
        wg_buf_putc(&decl, WG_CMDECL_TYPE);
        put_functype(&decl, &params, &results);
        m.count++;
      }
      wg_buf_free(&params);
      wg_buf_free(&results);
    } else if (wat_accept_kw(p, "alias")) {
      /* (alias outer N M (type $id?)): N and M numbers or ids; an id of
       * an enclosing scope's type is known once that scope is laid out */
      uint32_t ct = 0, idx = 0;
      ok = wat_expect_kw(p, "outer");
      CScope *target = c->scope;
      const WatTok *a = wat_peek(p);
      if (ok && a->kind == WAT_NUM) {
        if (!wat_tok_u32(p, a, &ct)) ok = wat_error(p, "malformed index");
        /* 1 is the component around the module type */
        target = ct ? c->scope : NULL;
        for (uint32_t k = 1; k < ct && target; k++)
          target = target->parent;
      } else if (ok && a->kind == WAT_ID) {
        WgStr id = wat_id_name(p, a);
        uint32_t d = 0;
        for (; target; target = target->parent, d++)
          if (target->has_id && target->id.len == id.len &&
              !memcmp(target->id.ptr, id.ptr, id.len))
            break;
        if (!target)
          ok = wat_error(p, "outer component `%.*s` not found", (int)id.len,
                         id.ptr);
        ct = d + 1; /* the module type is a scope of its own */
      } else if (ok) {
        ok = wat_error(p, "unexpected token, expected an index");
      }
      if (ok) p->pos++;
      const WatTok *b = wat_peek(p);
      if (ok && b->kind == WAT_NUM) {
        if (!wat_tok_u32(p, b, &idx)) ok = wat_error(p, "malformed index");
      } else if (ok && b->kind == WAT_ID) {
        WgStr id = wat_id_name(p, b);
        if (!c->resolving) {
          c->pending = true;
        } else if (!target ||
                   !wat_names_get(&target->ids[NS_CTYPE], id, &idx)) {
          ok = wat_error(p, "unknown core type $%.*s", (int)id.len, id.ptr);
        }
      } else if (ok) {
        ok = wat_error(p, "unexpected token, expected an index");
      }
      if (ok) {
        p->pos++;
        ok = wat_expect_lparen(p) && wat_expect_kw(p, "type");
        if (ok && wat_peek(p)->kind == WAT_ID) {
          uint32_t prev;
          wat_names_add(c->arena, &m.ids, wat_id_name(p, wat_peek(p)), m.count,
                        &prev);
          p->pos++;
        }
        ok = ok && wat_expect_rparen(p);
        wg_buf_putc(&decl, WG_CMDECL_ALIAS);
        wg_buf_putc(&decl, WG_CCORE_TYPE);
        wg_buf_putc(&decl, WG_CALIAS_CORE_OUTER);
        wg_buf_uleb(&decl, ct);
        wg_buf_uleb(&decl, idx);
        m.count++;
      }
    } else if (wat_accept_kw(p, "import")) {
      wg_buf_putc(&decl, WG_CMDECL_IMPORT);
      ok = name_bytes(c, &decl) && name_bytes(c, &decl);
      WgBuf desc = { 0 };
      ok = ok && mod_desc(c, &m, &desc);
      wg_buf_append(&decl, desc.data, desc.len);
      wg_buf_free(&desc);
    } else if (wat_accept_kw(p, "export")) {
      wg_buf_putc(&decl, WG_CMDECL_EXPORT);
      ok = name_bytes(c, &decl);
      WgBuf desc = { 0 };
      ok = ok && mod_desc(c, &m, &desc);
      wg_buf_append(&decl, desc.data, desc.len);
      wg_buf_free(&desc);
    } else {
      ok = wat_error(p, "unexpected token, expected a module type declarator");
    }
    ok = ok && wat_expect_rparen(p);
    if (ok) {
      /* function types the declarator needed come first */
      wg_buf_append(&m.decls, decl.data, decl.len);
      m.ndecls++;
    }
    wg_buf_free(&decl);
  }
  if (ok) {
    wg_buf_putc(out, WG_COP_CORE_MODULE);
    wg_buf_uleb(out, m.ndecls);
    wg_buf_append(out, m.decls.data, m.decls.len);
    if (m.decls.failed) ok = wat_nomem(p);
  }
  wg_buf_free(&m.decls);
  return ok;
}

bool cp_core_type(CParser *c, const uint8_t **bytes, size_t *len) {
  WatParser *p = c->p;
  if (!wat_expect_lparen(p)) return false;
  WgBuf b = { 0 };
  bool ok;
  if (wat_accept_kw(p, "func")) {
    WgBuf params = { 0 }, results = { 0 };
    ok = core_sig(p, &params, &results);
    if (ok) put_functype(&b, &params, &results);
    wg_buf_free(&params);
    wg_buf_free(&results);
  } else if (wat_accept_kw(p, "module")) {
    ok = cp_module_type(c, &b);
  } else {
    ok = wat_error(p, "unsupported core type (function and module types "
                      "only)");
  }
  ok = ok && wat_expect_rparen(p);
  if (ok) {
    uint8_t *copy = cp_alloc(c, b.len ? b.len : 1);
    ok = copy != NULL;
    if (ok) {
      if (b.len) memcpy(copy, b.data, b.len);
      *bytes = copy;
      *len = b.len;
    }
  }
  wg_buf_free(&b);
  return ok;
}
