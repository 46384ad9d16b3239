/* SPDX-License-Identifier: Apache-2.0 */
/* Core module text -> binary (spec: core text format, 6.6 Modules). Two
 * passes over the fields: the first defines every identifier (so uses may
 * come before definitions) and the explicit types; the second encodes each
 * field into its section. The binary is laid out as wasm-tools lays it out
 * for the same text: type uses without `(type x)` reuse the first equal
 * type or append one after the explicit types; inline exports and imports
 * take the place of their item; a name section carries the identifiers;
 * the data count section appears when code uses memory.init or data.drop. */
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "utf8.h"

/* ---- helpers ------------------------------------------------------------ */

static void put_name(WgBuf *b, WgStr s) {
  wg_buf_uleb(b, s.len);
  wg_buf_append_str(b, s);
}

/* A string token that must be a valid UTF-8 name. */
static bool parse_name(WatCore *m, WgStr *out) {
  WatParser *p = m->p;
  const WatTok *t = wat_peek(p);
  if (t->kind != WAT_STRING)
    return wat_error(p, "unexpected token, expected a string");
  *out = wat_string(p, t);
  if (!out->ptr) return false;
  if (!wg_utf8_valid((const uint8_t *)out->ptr, out->len, NULL))
    return wat_error(p, "malformed UTF-8 encoding");
  p->pos++;
  return true;
}

static bool is_annot(const WatParser *p, const WatTok *t, const char *what) {
  size_t n = strlen(what);
  return t->kind == WAT_ANNOT && t->len == n &&
         memcmp(p->text + t->start, what, n) == 0;
}

/* An optional identifier followed by an optional `(@name "...")`. The name
 * recorded for the name section is the annotation's, else the id's. */
static bool parse_id(WatCore *m, WgStr *id, WgStr *name, bool *has_name) {
  WatParser *p = m->p;
  *has_name = false;
  id->ptr = NULL;
  id->len = 0;
  if (wat_peek(p)->kind == WAT_ID) {
    *id = wat_id_name(p, wat_peek(p));
    if (!id->ptr) return false;
    *name = *id;
    *has_name = true;
    p->pos++;
  }
  if (is_annot(p, wat_peek(p), "name")) {
    p->pos++;
    if (wat_peek(p)->kind != WAT_STRING) return wat_error(p, "expected a name");
    if (!parse_name(m, name)) return false;
    *has_name = true;
    if (!wat_expect_rparen(p)) return false;
  }
  return true;
}


/* Defines `id` as entry `index` of `space`. */
static bool define(WatCore *m, WatSpace *space, WgStr id, uint32_t tok,
                   const char *what) {
  uint32_t prev;
  if (!id.ptr) return true;
  if (wat_names_add(m->p->arena, &space->ids, id, space->count, &prev))
    return true;
  if (prev == UINT32_MAX) return wat_nomem(m->p);
  /* point at the identifier (the token after the field's keyword) */
  if (m->p->toks[tok + 1].kind == WAT_ID) tok++;
  return wat_error_at(m->p, tok, "duplicate %s $%.*s", what, (int)id.len,
                      id.ptr);
}

static bool add_name(WatCore *m, WatNameVec *v, uint32_t index, WgStr name) {
  if (!wg_vec_push(v, ((WatName){ index, name }))) return wat_nomem(m->p);
  return true;
}

/* Skips `(export "...")*` and an `(import "m" "n")` after an item's id,
 * telling whether an import is there (position left after the exports). */
static bool peek_import(WatParser *p) {
  uint32_t save = p->pos;
  while (wat_peek_form(p, "export"))
    wat_skip_form(p);
  bool imp = wat_peek_form(p, "import");
  p->pos = save;
  return imp;
}

/* ---- limits and types --------------------------------------------------- */

static bool parse_u32(WatParser *p, uint32_t *out, const char *what) {
  const WatTok *t = wat_peek(p);
  if (t->kind != WAT_NUM)
    return wat_error(p, "unexpected token, expected %s", what);
  uint64_t v;
  if (!wat_tok_u64(p, t, &v)) {
    bool range;
    if (wat_int_bits(wat_tok_str(p, t), 64, &v, &range))
      return wat_error(p, "constant out of range");
    return wat_error(p, "unexpected token, expected %s", what);
  }
  if (v > UINT32_MAX) return wat_error(p, "constant out of range");
  *out = (uint32_t)v;
  p->pos++;
  return true;
}

/* limits: min max? (u32). */
static bool parse_limits(WatCore *m, WgBuf *b) {
  WatParser *p = m->p;
  uint32_t min, max = 0;
  if (!parse_u32(p, &min, "a limit")) return false;
  bool has_max = wat_peek(p)->kind == WAT_NUM;
  if (has_max && !parse_u32(p, &max, "a limit")) return false;
  bool shared = wat_accept_kw(p, "shared"); /* threads */
  wg_buf_putc(b, (char)((has_max ? 1 : 0) | (shared ? 2 : 0)));
  wg_buf_uleb(b, min);
  if (has_max) wg_buf_uleb(b, max);
  return true;
}

static bool is_reftype_kw(const WatParser *p, const WatTok *t) {
  return wat_tok_is(p, t, "funcref") || wat_tok_is(p, t, "externref") ||
         (t->kind == WAT_LPAREN && wat_tok_is(p, t + 1, "ref"));
}

/* tabletype: limits reftype. */
static bool parse_tabletype(WatCore *m, WgBuf *b) {
  WgBuf lim = { 0 };
  bool ok = parse_limits(m, &lim);
  uint8_t rt = ok ? wat_valtype(m) : 0;
  if (ok && rt && rt != 0x70 && rt != 0x6f) {
    ok = wat_error_at(m->p, m->p->pos - 1,
                      "unexpected token, expected a reference type");
  }
  if (ok && rt) {
    wg_buf_putc(b, (char)rt);
    wg_buf_append(b, lim.data, lim.len);
  }
  wg_buf_free(&lim);
  return ok && rt;
}

/* globaltype: valtype | (mut valtype). */
static bool parse_globaltype(WatCore *m, WgBuf *b) {
  WatParser *p = m->p;
  bool mut = wat_peek_form(p, "mut");
  if (mut) p->pos += 2;
  uint8_t t = wat_valtype(m);
  if (!t) return false;
  if (mut && !wat_expect_rparen(p)) return false;
  wg_buf_putc(b, (char)t);
  wg_buf_putc(b, mut ? 1 : 0);
  return true;
}

/* `(func (param ...)* (result ...)*)` of a type definition, at `(func`. */
static bool parse_functype(WatCore *m, WgBuf *enc, WatFuncType *out) {
  WatParser *p = m->p;
  WgBuf params = { 0 }, results = { 0 };
  bool ok = wat_expect_lparen(p) && wat_expect_kw(p, "func");
  while (ok && wat_peek_form(p, "param")) {
    p->pos += 2;
    if (wat_peek(p)->kind == WAT_ID) {
      p->pos++;
      uint8_t t = wat_valtype(m);
      ok = t != 0;
      wg_buf_putc(&params, (char)t);
    } else {
      while (ok && !wat_at_close(p)) {
        uint8_t t = wat_valtype(m);
        ok = t != 0;
        wg_buf_putc(&params, (char)t);
      }
    }
    ok = ok && wat_expect_rparen(p);
  }
  while (ok && wat_peek_form(p, "result")) {
    p->pos += 2;
    while (ok && !wat_at_close(p)) {
      uint8_t t = wat_valtype(m);
      ok = t != 0;
      wg_buf_putc(&results, (char)t);
    }
    ok = ok && wat_expect_rparen(p);
  }
  ok = ok && wat_expect_rparen(p);
  uint8_t *types = NULL;
  if (ok && params.len + results.len) {
    types = wg_arena_alloc(p->arena, params.len + results.len);
    if (!types) ok = wat_nomem(p);
  }
  if (ok) {
    if (params.len) memcpy(types, params.data, params.len);
    if (results.len) memcpy(types + params.len, results.data, results.len);
    *out = (WatFuncType){ (uint32_t)params.len, (uint32_t)results.len, types };
    wg_buf_putc(enc, 0x60);
    wg_buf_uleb(enc, params.len);
    wg_buf_append(enc, params.data, params.len);
    wg_buf_uleb(enc, results.len);
    wg_buf_append(enc, results.data, results.len);
  }
  wg_buf_free(&params);
  wg_buf_free(&results);
  return ok;
}

/* ---- pass 1: identifiers and explicit types ---------------------------- */

static bool note_import(WatCore *m, uint32_t tok) {
  if (m->last_def)
    return wat_error_at(m->p, tok, "import after %s", m->last_def);
  return true;
}

static bool note_def(WatCore *m, const char *what) {
  m->last_def = what;
  return true;
}

/* Registers the item of an import or an inline definition. */
static bool scan_item(WatCore *m, WatSpace *space, const char *what,
                      uint32_t tok) {
  WgStr id, name;
  bool has_name;
  if (!parse_id(m, &id, &name, &has_name)) return false;
  if (!define(m, space, id, tok, what)) return false;
  space->count++;
  return true;
}

static bool scan_type(WatCore *m, uint32_t tok) {
  WatParser *p = m->p;
  WgStr id, name;
  bool has_name;
  if (!parse_id(m, &id, &name, &has_name)) return false;
  if (!define(m, &m->types, id, tok, "type")) return false;
  if (has_name && !add_name(m, &m->names_type, m->types.count, name))
    return false;
  WatFuncType ft;
  if (!wat_peek_form(p, "func"))
    return wat_error(p, "unexpected token, expected a function type");
  if (!parse_functype(m, &m->sec_type, &ft)) return false;
  if (!wg_vec_push(&m->ftypes, ft)) return wat_nomem(p);
  /* the first type with a signature is the one type uses pick */
  WgBuf key = { 0 };
  if (ft.types) {
    wg_buf_append(&key, ft.types, ft.nparams);
    wg_buf_putc(&key, 0);
    wg_buf_append(&key, ft.types + ft.nparams, ft.nresults);
  } else {
    wg_buf_putc(&key, 0);
  }
  WgStr k =
      wg_arena_strdup(p->arena, (WgStr){ key.data ? key.data : "", key.len });
  wg_buf_free(&key);
  uint32_t prev;
  if (!k.ptr) return wat_nomem(p);
  if (!wat_names_add(p->arena, &m->sigs, k, m->types.count, &prev) &&
      prev == UINT32_MAX)
    return wat_nomem(p);
  m->types.count++;
  m->explicit_types++;
  return wat_expect_rparen(p);
}

static bool scan_field(WatCore *m) {
  WatParser *p = m->p;
  uint32_t open = p->pos;
  const WatTok *t = wat_peek(p);
  if (t->kind == WAT_ANNOT) {
    wat_skip_form(p);
    return true;
  }
  if (t->kind != WAT_LPAREN)
    return wat_error(p, "unexpected token, expected a module field");
  uint32_t kwtok = ++p->pos;
  const WatTok *kw = wat_peek(p);
  p->pos++;
  bool ok = true;
  if (wat_tok_is(p, kw, "type")) {
    ok = scan_type(m, kwtok);
    p->pos = t->close + 1;
    return ok;
  }
  if (wat_tok_is(p, kw, "import")) {
    ok = note_import(m, open);
    for (int i = 0; ok && i < 2; i++) {
      if (wat_peek(p)->kind != WAT_STRING)
        ok = wat_error(p, "unexpected token, expected a string");
      p->pos++;
    }
    if (ok && wat_peek(p)->kind != WAT_LPAREN)
      ok = wat_error(p, "unexpected token, expected an import description");
    if (ok) {
      p->pos++;
      const WatTok *k = wat_peek(p);
      uint32_t ktok = p->pos++;
      if (wat_tok_is(p, k, "func"))
        ok = scan_item(m, &m->funcs, "func", ktok);
      else if (wat_tok_is(p, k, "table"))
        ok = scan_item(m, &m->tables, "table", ktok);
      else if (wat_tok_is(p, k, "memory"))
        ok = scan_item(m, &m->mems, "memory", ktok);
      else if (wat_tok_is(p, k, "global"))
        ok = scan_item(m, &m->globals, "global", ktok);
      else
        ok = wat_error_at(p, ktok, "unexpected token, expected an import kind");
    }
    p->pos = t->close + 1;
    return ok;
  }
  struct {
    const char *kw;
    WatSpace *space;
  } items[] = { { "func", &m->funcs },
                { "table", &m->tables },
                { "memory", &m->mems },
                { "global", &m->globals } };
  for (size_t i = 0; i < 4; i++) {
    if (!wat_tok_is(p, kw, items[i].kw)) continue;
    uint32_t save = p->pos;
    WgStr id, name;
    bool has_name;
    ok = parse_id(m, &id, &name, &has_name);
    bool imp = ok && peek_import(p);
    if (ok && imp) ok = note_import(m, open);
    if (ok && !imp) note_def(m, i == 0 ? "function" : items[i].kw);
    p->pos = save;
    ok = ok && scan_item(m, items[i].space, items[i].kw, kwtok);
    /* an inline (elem ...) or (data ...) defines a segment too */
    if (ok && !imp && i == 1) {
      while (wat_peek_form(p, "export"))
        wat_skip_form(p);
      while (!wat_at_close(p) && !wat_peek_form(p, "elem"))
        wat_skip_form(p);
      if (wat_peek_form(p, "elem")) m->elems.count++;
    }
    if (ok && !imp && i == 2) {
      while (wat_peek_form(p, "export"))
        wat_skip_form(p);
      if (wat_peek_form(p, "data")) m->datas.count++;
    }
    p->pos = t->close + 1;
    return ok;
  }
  if (wat_tok_is(p, kw, "elem") || wat_tok_is(p, kw, "data")) {
    bool elem = kw->len == 4 && p->text[kw->start] == 'e';
    WatSpace *s = elem ? &m->elems : &m->datas;
    ok = scan_item(m, s, elem ? "elem" : "data", kwtok);
    p->pos = t->close + 1;
    return ok;
  }
  if (wat_tok_is(p, kw, "start")) {
    if (m->has_start) return wat_error_at(p, kwtok, "multiple start sections");
    m->has_start = true;
    p->pos = t->close + 1;
    return true;
  }
  if (wat_tok_is(p, kw, "export")) {
    p->pos = t->close + 1;
    return true;
  }
  return wat_error_at(p, kwtok, "unknown module field");
}

/* ---- pass 2: encoding --------------------------------------------------- */

/* Inline exports of item `index` of `kind` (0 func .. 3 global). */
static bool inline_exports(WatCore *m, uint8_t kind, uint32_t index) {
  WatParser *p = m->p;
  while (wat_peek_form(p, "export")) {
    p->pos += 2;
    WgStr name;
    if (!parse_name(m, &name)) return false;
    put_name(&m->sec_export, name);
    wg_buf_putc(&m->sec_export, (char)kind);
    wg_buf_uleb(&m->sec_export, index);
    m->n_export++;
    if (!wat_expect_rparen(p)) return false;
  }
  return true;
}

/* `(import "m" "n")` inline: appends module and name to the import
 * section. */
static bool inline_import(WatCore *m) {
  WatParser *p = m->p;
  p->pos += 2;
  WgStr mod, name;
  if (!parse_name(m, &mod) || !parse_name(m, &name)) return false;
  put_name(&m->sec_import, mod);
  put_name(&m->sec_import, name);
  m->n_import++;
  return wat_expect_rparen(p);
}

static WatNameVec *names_of(WatCore *m, int kind) {
  switch (kind) {
    case 0:
      return &m->names_func;
    case 1:
      return &m->names_table;
    case 2:
      return &m->names_mem;
    default:
      return &m->names_global;
  }
}

static WatSpace *space_of(WatCore *m, int kind) {
  switch (kind) {
    case 0:
      return &m->funcs;
    case 1:
      return &m->tables;
    case 2:
      return &m->mems;
    default:
      return &m->globals;
  }
}

/* The description of an imported item (after its id), for `kind`. */
static bool import_desc(WatCore *m, int kind, WgStr name, bool has_name,
                        uint32_t index) {
  WgBuf *b = &m->sec_import;
  wg_buf_putc(b, (char)kind);
  if (has_name && !add_name(m, names_of(m, kind), index, name)) return false;
  switch (kind) {
    case 0: {
      uint32_t ti;
      if (!wat_typeuse(m, NULL, NULL, &ti, NULL)) return false;
      wg_buf_uleb(b, ti);
      return true;
    }
    case 1:
      return parse_tabletype(m, b);
    case 2:
      return parse_limits(m, b);
    default:
      return parse_globaltype(m, b);
  }
}

static bool encode_import(WatCore *m) {
  WatParser *p = m->p;
  WgStr mod, name;
  if (!parse_name(m, &mod) || !parse_name(m, &name)) return false;
  put_name(&m->sec_import, mod);
  put_name(&m->sec_import, name);
  m->n_import++;
  if (!wat_expect_lparen(p)) return false;
  static const char *const kinds[] = { "func", "table", "memory", "global" };
  int kind = -1;
  for (int i = 0; i < 4; i++)
    if (wat_accept_kw(p, kinds[i])) kind = i;
  if (kind < 0) return wat_error(p, "unexpected token");
  WgStr id, nm;
  bool has_name;
  if (!parse_id(m, &id, &nm, &has_name)) return false;
  uint32_t index = space_of(m, kind)->count++;
  if (!import_desc(m, kind, nm, has_name, index)) return false;
  return wat_expect_rparen(p) && wat_expect_rparen(p);
}

static bool encode_func(WatCore *m) {
  WatParser *p = m->p;
  WgStr id, name;
  bool has_name;
  if (!parse_id(m, &id, &name, &has_name)) return false;
  uint32_t index = m->funcs.count++;
  if (!inline_exports(m, 0, index)) return false;
  if (wat_peek_form(p, "import")) {
    if (!inline_import(m)) return false;
    return import_desc(m, 0, name, has_name, index);
  }
  if (has_name && !add_name(m, &m->names_func, index, name)) return false;
  m->local_ids = (WatNames){ 0 };
  size_t first_local = m->names_local.count;
  uint32_t nparams = 0, ti;
  if (!wat_typeuse(m, &m->local_ids, &m->names_local, &ti, &nparams))
    return false;
  wg_buf_uleb(&m->sec_func, ti);
  m->n_func++;
  m->func_index = index;
  if (!wat_func_body(m, nparams, &m->sec_code)) return false;
  size_t nl = m->names_local.count - first_local;
  if (nparams == UINT32_MAX) {
    m->names_local.count = first_local; /* unknown type: no local names */
  } else if (nl && !wg_vec_push(&m->locals,
                                ((WatIndirect){ index, (uint32_t)first_local,
                                                (uint32_t)nl }))) {
    return wat_nomem(p);
  }
  return true;
}

static bool encode_table(WatCore *m) {
  WatParser *p = m->p;
  WgStr id, name;
  bool has_name;
  if (!parse_id(m, &id, &name, &has_name)) return false;
  uint32_t index = m->tables.count++;
  if (!inline_exports(m, 1, index)) return false;
  if (wat_peek_form(p, "import")) {
    if (!inline_import(m)) return false;
    return import_desc(m, 1, name, has_name, index);
  }
  if (has_name && !add_name(m, &m->names_table, index, name)) return false;
  m->n_table++;
  if (wat_peek(p)->kind == WAT_NUM) return parse_tabletype(m, &m->sec_table);
  /* reftype (elem ...): a table sized for the elements, and a segment */
  uint8_t rt = wat_valtype(m);
  if (!rt) return false;
  if (rt != 0x70 && rt != 0x6f)
    return wat_error_at(p, p->pos - 1, "unexpected token");
  if (!wat_peek_form(p, "elem")) return wat_error(p, "unexpected token");
  p->pos += 2;
  WgBuf items = { 0 };
  uint32_t n = 0;
  bool exprs = wat_peek(p)->kind == WAT_LPAREN;
  bool ok = true;
  while (ok && !wat_at_close(p)) {
    if (exprs) {
      if (wat_peek_form(p, "item")) {
        p->pos += 2;
        ok = wat_const_expr(m, &items) && wat_expect_rparen(p);
      } else {
        ok = wat_folded_expr(m, &items);
        wg_buf_putc(&items, 0x0b);
      }
    } else {
      uint32_t f;
      ok = wat_index(m, &m->funcs, "function", &f);
      if (ok && rt != 0x70) {
        wg_buf_putc(&items, (char)0xd2);
        wg_buf_uleb(&items, f);
        wg_buf_putc(&items, 0x0b);
      } else {
        wg_buf_uleb(&items, f);
      }
    }
    n++;
  }
  ok = ok && wat_expect_rparen(p);
  if (ok) {
    wg_buf_putc(&m->sec_table, (char)rt);
    wg_buf_putc(&m->sec_table, 1);
    wg_buf_uleb(&m->sec_table, n);
    wg_buf_uleb(&m->sec_table, n);
    bool as_exprs = exprs || rt != 0x70;
    WgBuf *e = &m->sec_elem;
    wg_buf_putc(e, as_exprs ? 6 : 2);
    wg_buf_uleb(e, index);
    wg_buf_append(e, "\x41\x00\x0b", 3);
    wg_buf_putc(e, as_exprs ? (char)rt : 0);
    wg_buf_uleb(e, n);
    wg_buf_append(e, items.data, items.len);
    m->n_elem++;
    m->elems.count++;
  }
  wg_buf_free(&items);
  return ok;
}

static bool encode_memory(WatCore *m) {
  WatParser *p = m->p;
  WgStr id, name;
  bool has_name;
  if (!parse_id(m, &id, &name, &has_name)) return false;
  uint32_t index = m->mems.count++;
  if (!inline_exports(m, 2, index)) return false;
  if (wat_peek_form(p, "import")) {
    if (!inline_import(m)) return false;
    return import_desc(m, 2, name, has_name, index);
  }
  if (has_name && !add_name(m, &m->names_mem, index, name)) return false;
  m->n_mem++;
  if (!wat_peek_form(p, "data")) return parse_limits(m, &m->sec_mem);
  p->pos += 2;
  WgBuf bytes = { 0 };
  while (wat_peek(p)->kind == WAT_STRING) {
    wat_string_decode(p, wat_peek(p), &bytes);
    p->pos++;
  }
  bool ok = wat_expect_rparen(p);
  if (ok) {
    uint64_t pages = (bytes.len + 65535) / 65536;
    wg_buf_putc(&m->sec_mem, 1);
    wg_buf_uleb(&m->sec_mem, pages);
    wg_buf_uleb(&m->sec_mem, pages);
    WgBuf *d = &m->sec_data;
    if (index == 0) {
      wg_buf_putc(d, 0);
    } else {
      wg_buf_putc(d, 2);
      wg_buf_uleb(d, index);
    }
    wg_buf_append(d, "\x41\x00\x0b", 3);
    wg_buf_uleb(d, bytes.len);
    wg_buf_append(d, bytes.data, bytes.len);
    m->n_data++;
    m->datas.count++;
  }
  wg_buf_free(&bytes);
  return ok;
}

static bool encode_global(WatCore *m) {
  WatParser *p = m->p;
  WgStr id, name;
  bool has_name;
  if (!parse_id(m, &id, &name, &has_name)) return false;
  uint32_t index = m->globals.count++;
  if (!inline_exports(m, 3, index)) return false;
  if (wat_peek_form(p, "import")) {
    if (!inline_import(m)) return false;
    return import_desc(m, 3, name, has_name, index);
  }
  if (has_name && !add_name(m, &m->names_global, index, name)) return false;
  m->n_global++;
  return parse_globaltype(m, &m->sec_global) &&
         wat_const_expr(m, &m->sec_global);
}

static bool encode_export(WatCore *m) {
  WatParser *p = m->p;
  WgStr name;
  if (!parse_name(m, &name) || !wat_expect_lparen(p)) return false;
  static const char *const kinds[] = { "func", "table", "memory", "global" };
  static const char *const what[] = { "function", "table", "memory", "global" };
  for (int i = 0; i < 4; i++) {
    if (!wat_accept_kw(p, kinds[i])) continue;
    uint32_t index;
    if (!wat_index(m, space_of(m, i), what[i], &index)) return false;
    put_name(&m->sec_export, name);
    wg_buf_putc(&m->sec_export, (char)i);
    wg_buf_uleb(&m->sec_export, index);
    m->n_export++;
    return wat_expect_rparen(p);
  }
  return wat_error(p, "unexpected token");
}

/* An offset: `(offset expr)` or one folded instruction. */
static bool parse_offset(WatCore *m, WgBuf *b) {
  WatParser *p = m->p;
  if (wat_peek_form(p, "offset")) {
    p->pos += 2;
    return wat_const_expr(m, b) && wat_expect_rparen(p);
  }
  if (!wat_folded_expr(m, b)) return false;
  wg_buf_putc(b, 0x0b);
  return true;
}

static bool encode_elem(WatCore *m) {
  WatParser *p = m->p;
  WgStr id, name;
  bool has_name;
  if (!parse_id(m, &id, &name, &has_name)) return false;
  uint32_t index = m->elems.count++;
  if (has_name && !add_name(m, &m->names_elem, index, name)) return false;
  enum { PASSIVE, DECLARED, ACTIVE } mode = PASSIVE;
  bool has_table = false, table_omitted = false;
  uint32_t table = 0;
  WgBuf offset = { 0 }, items = { 0 };
  bool ok = true;
  if (wat_accept_kw(p, "declare")) {
    mode = DECLARED;
  } else if (wat_peek(p)->kind == WAT_NUM || (wat_peek(p)->kind == WAT_LPAREN &&
                                              !is_reftype_kw(p, wat_peek(p)))) {
    mode = ACTIVE;
    if (wat_peek(p)->kind == WAT_NUM) {
      table_omitted = has_table = true;
      ok = parse_u32(p, &table, "a table index");
    } else if (wat_peek_form(p, "table")) {
      has_table = true;
      p->pos += 2;
      ok = wat_index(m, &m->tables, "table", &table) && wat_expect_rparen(p);
    } else {
      table_omitted = true;
    }
    ok = ok && parse_offset(m, &offset);
  }
  bool indices;
  uint8_t rt = 0x70;
  if (ok && wat_accept_kw(p, "func")) {
    indices = true;
  } else if (ok && is_reftype_kw(p, wat_peek(p))) {
    indices = false;
    rt = wat_valtype(m);
    ok = rt != 0;
    if (ok && rt != 0x70 && rt != 0x6f)
      ok = wat_error_at(p, p->pos - 1, "unexpected token");
  } else {
    indices = table_omitted;
    if (ok && !indices) ok = wat_error(p, "unexpected token");
  }
  uint32_t n = 0;
  while (ok && !wat_at_close(p)) {
    if (indices) {
      uint32_t f;
      ok = wat_index(m, &m->funcs, "function", &f);
      wg_buf_uleb(&items, f);
    } else if (wat_peek_form(p, "item")) {
      p->pos += 2;
      ok = wat_const_expr(m, &items) && wat_expect_rparen(p);
    } else if (wat_peek(p)->kind == WAT_LPAREN) {
      ok = wat_folded_expr(m, &items);
      wg_buf_putc(&items, 0x0b);
    } else {
      ok = wat_error(p, "unexpected token");
    }
    n++;
  }
  if (ok) {
    WgBuf *e = &m->sec_elem;
    uint8_t expr_bit = indices ? 0 : 4;
    bool put_type = true;
    if (mode == PASSIVE) {
      wg_buf_putc(e, (char)(1 | expr_bit));
    } else if (mode == DECLARED) {
      wg_buf_putc(e, (char)(3 | expr_bit));
    } else if (!has_table && (indices || rt == 0x70)) {
      wg_buf_putc(e, (char)expr_bit);
      put_type = false;
      wg_buf_append(e, offset.data, offset.len);
    } else {
      wg_buf_putc(e, (char)(2 | expr_bit));
      wg_buf_uleb(e, table);
      wg_buf_append(e, offset.data, offset.len);
    }
    if (put_type) wg_buf_putc(e, indices ? 0 : (char)rt);
    wg_buf_uleb(e, n);
    wg_buf_append(e, items.data, items.len);
    m->n_elem++;
  }
  wg_buf_free(&offset);
  wg_buf_free(&items);
  return ok;
}

static bool encode_data(WatCore *m) {
  WatParser *p = m->p;
  WgStr id, name;
  bool has_name;
  if (!parse_id(m, &id, &name, &has_name)) return false;
  uint32_t index = m->datas.count++;
  if (has_name && !add_name(m, &m->names_data, index, name)) return false;
  WgBuf *d = &m->sec_data;
  bool ok = true;
  if (wat_peek(p)->kind != WAT_STRING && !wat_at_close(p)) {
    uint32_t mem = 0;
    if (wat_peek(p)->kind == WAT_NUM) {
      ok = parse_u32(p, &mem, "a memory index");
    } else if (wat_peek(p)->kind == WAT_ID) {
      ok = wat_index(m, &m->mems, "memory", &mem);
    } else if (wat_peek_form(p, "memory")) {
      p->pos += 2;
      ok = wat_index(m, &m->mems, "memory", &mem) && wat_expect_rparen(p);
    }
    if (!ok) return false;
    if (mem == 0) {
      wg_buf_putc(d, 0);
    } else {
      wg_buf_putc(d, 2);
      wg_buf_uleb(d, mem);
    }
    if (wat_peek(p)->kind != WAT_LPAREN)
      return wat_error(p, "unexpected token");
    if (!parse_offset(m, d)) return false;
  } else {
    wg_buf_putc(d, 1);
  }
  WgBuf bytes = { 0 };
  while (wat_peek(p)->kind == WAT_STRING) {
    wat_string_decode(p, wat_peek(p), &bytes);
    p->pos++;
  }
  wg_buf_uleb(d, bytes.len);
  wg_buf_append(d, bytes.data, bytes.len);
  wg_buf_free(&bytes);
  m->n_data++;
  return true;
}

/* `(@custom "name" (before|after anchor)? "bytes"*)` */
static bool encode_custom(WatCore *m) {
  WatParser *p = m->p;
  WatCustom c = { { NULL, 0 }, { 0 }, -1 };
  if (!parse_name(m, &c.name)) return false;
  if (wat_peek(p)->kind == WAT_LPAREN) {
    p->pos++;
    bool after = wat_accept_kw(p, "after");
    if (!after && !wat_expect_kw(p, "before")) return false;
    static const char *const anchors[] = { "first",     "type",   "import",
                                           "func",      "table",  "memory",
                                           "global",    "export", "start",
                                           "elem",      "code",   "data",
                                           "datacount", "last",   "tag" };
    static const int ids[] = {
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 99, 13
    };
    int found = -1;
    for (int i = 0; i < 15; i++)
      if (wat_accept_kw(p, anchors[i])) found = ids[i];
    if (found < 0) return wat_error(p, "unknown custom section placement");
    if (found == 0 && after) return wat_error(p, "unexpected token");
    if (found == 99 && !after) return wat_error(p, "unexpected token");
    c.place = found == 99 ? -1 : found * 2 + (after ? 1 : 0);
    if (!wat_expect_rparen(p)) return false;
  }
  while (wat_peek(p)->kind == WAT_STRING) {
    wat_string_decode(p, wat_peek(p), &c.bytes);
    p->pos++;
  }
  if (!wg_vec_push(&m->customs, c)) {
    wg_buf_free(&c.bytes);
    return wat_nomem(p);
  }
  return wat_expect_rparen(p);
}

/* `(@producers (field "name" "version")*)*` as a producers section. */
static bool encode_producers(WatCore *m) {
  WatParser *p = m->p;
  WatCustom c = { WG_STR("producers"), { 0 }, -1 };
  WgBuf fields = { 0 };
  uint32_t nfields = 0;
  bool ok = true;
  /* consecutive forms with the same field name form one field */
  while (ok && wat_peek(p)->kind == WAT_LPAREN) {
    const WatTok *k = &p->toks[p->pos + 1];
    if (k->kind != WAT_KEYWORD) {
      ok = wat_error(p, "unexpected token");
      break;
    }
    WgStr field = wat_tok_str(p, k);
    WgBuf values = { 0 };
    uint32_t nvalues = 0;
    while (ok && wat_peek(p)->kind == WAT_LPAREN) {
      const WatTok *k2 = &p->toks[p->pos + 1];
      if (k2->kind != WAT_KEYWORD || k2->len != field.len ||
          memcmp(p->text + k2->start, field.ptr, field.len) != 0)
        break;
      p->pos += 2;
      WgStr name, version;
      ok = parse_name(m, &name) && parse_name(m, &version) &&
           wat_expect_rparen(p);
      if (ok) {
        put_name(&values, name);
        put_name(&values, version);
        nvalues++;
      }
    }
    put_name(&fields, field);
    wg_buf_uleb(&fields, nvalues);
    wg_buf_append(&fields, values.data, values.len);
    wg_buf_free(&values);
    nfields++;
  }
  wg_buf_uleb(&c.bytes, nfields);
  wg_buf_append(&c.bytes, fields.data, fields.len);
  wg_buf_free(&fields);
  if (ok && !wg_vec_push(&m->customs, c)) ok = wat_nomem(p);
  if (!ok) wg_buf_free(&c.bytes);
  return ok && wat_expect_rparen(p);
}

static bool encode_field(WatCore *m) {
  WatParser *p = m->p;
  const WatTok *t = wat_peek(p);
  uint32_t close = t->close;
  if (t->kind == WAT_ANNOT) {
    p->pos++;
    bool ok = true;
    if (is_annot(p, t, "custom")) {
      ok = encode_custom(m);
    } else if (is_annot(p, t, "producers")) {
      ok = encode_producers(m);
    } else {
      p->pos = close + 1; /* @name at module level: ignored */
    }
    return ok;
  }
  p->pos++;
  const WatTok *kw = wat_peek(p);
  p->pos++;
  bool ok;
  if (wat_tok_is(p, kw, "type")) {
    p->pos = close + 1; /* encoded in pass 1 */
    return true;
  } else if (wat_tok_is(p, kw, "import")) {
    ok = encode_import(m);
    return ok;
  } else if (wat_tok_is(p, kw, "func")) {
    ok = encode_func(m);
  } else if (wat_tok_is(p, kw, "table")) {
    ok = encode_table(m);
  } else if (wat_tok_is(p, kw, "memory")) {
    ok = encode_memory(m);
  } else if (wat_tok_is(p, kw, "global")) {
    ok = encode_global(m);
  } else if (wat_tok_is(p, kw, "export")) {
    ok = encode_export(m);
  } else if (wat_tok_is(p, kw, "start")) {
    ok = wat_index(m, &m->funcs, "function", &m->start_func);
  } else if (wat_tok_is(p, kw, "elem")) {
    ok = encode_elem(m);
  } else if (wat_tok_is(p, kw, "data")) {
    ok = encode_data(m);
  } else {
    ok = wat_error(p, "unknown module field");
  }
  return ok && wat_expect_rparen(p);
}

/* ---- assembling the binary ---------------------------------------------- */

static void put_customs(WatCore *m, WgBuf *out, int place) {
  for (size_t i = 0; i < m->customs.count; i++) {
    WatCustom *c = &m->customs.items[i];
    if (c->place != place) continue;
    WgBuf body = { 0 };
    put_name(&body, c->name);
    wg_buf_append(&body, c->bytes.data, c->bytes.len);
    wg_buf_putc(out, 0);
    wg_buf_uleb(out, body.len);
    wg_buf_append(out, body.data, body.len);
    if (body.failed) out->failed = true;
    wg_buf_free(&body);
  }
}

/* A section with a vector count, framed by its custom anchors. */
static void put_section(WatCore *m, WgBuf *out, uint8_t id, uint32_t count,
                        const WgBuf *body, bool present) {
  put_customs(m, out, id * 2);
  if (present) {
    WgBuf head = { 0 };
    wg_buf_uleb(&head, count);
    wg_buf_putc(out, (char)id);
    wg_buf_uleb(out, head.len + body->len);
    wg_buf_append(out, head.data, head.len);
    wg_buf_append(out, body->data, body->len);
    wg_buf_free(&head);
  }
  put_customs(m, out, id * 2 + 1);
}

static void put_namemap(WgBuf *b, const WatName *items, size_t count) {
  wg_buf_uleb(b, count);
  for (size_t i = 0; i < count; i++) {
    wg_buf_uleb(b, items[i].index);
    put_name(b, items[i].name);
  }
}

static void put_subsection(WgBuf *out, uint8_t id, const WgBuf *body) {
  wg_buf_putc(out, (char)id);
  wg_buf_uleb(out, body->len);
  wg_buf_append(out, body->data, body->len);
}

static void put_names_sub(WgBuf *out, uint8_t id, const WatNameVec *v) {
  if (!v->count) return;
  WgBuf b = { 0 };
  put_namemap(&b, v->items, v->count);
  put_subsection(out, id, &b);
  wg_buf_free(&b);
}

static void put_indirect_sub(WgBuf *out, uint8_t id, const WatNameVec *all,
                             const WatIndirect *items, size_t count) {
  if (!count) return;
  WgBuf b = { 0 };
  wg_buf_uleb(&b, count);
  for (size_t i = 0; i < count; i++) {
    wg_buf_uleb(&b, items[i].func);
    put_namemap(&b, all->items + items[i].first, items[i].count);
  }
  put_subsection(out, id, &b);
  wg_buf_free(&b);
}

static void put_name_section(WatCore *m, WgBuf *out) {
  WgBuf b = { 0 };
  put_name(&b, WG_STR("name"));
  size_t empty = b.len;
  if (m->has_module_name) {
    WgBuf s = { 0 };
    put_name(&s, m->module_name);
    put_subsection(&b, 0, &s);
    wg_buf_free(&s);
  }
  put_names_sub(&b, 1, &m->names_func);
  put_indirect_sub(&b, 2, &m->names_local, m->locals.items, m->locals.count);
  put_indirect_sub(&b, 3, &m->names_label, m->labels.items, m->labels.count);
  put_names_sub(&b, 4, &m->names_type);
  put_names_sub(&b, 5, &m->names_table);
  put_names_sub(&b, 6, &m->names_mem);
  put_names_sub(&b, 7, &m->names_global);
  put_names_sub(&b, 8, &m->names_elem);
  put_names_sub(&b, 9, &m->names_data);
  if (b.len > empty) {
    wg_buf_putc(out, 0);
    wg_buf_uleb(out, b.len);
    wg_buf_append(out, b.data, b.len);
  }
  if (b.failed) out->failed = true;
  wg_buf_free(&b);
}

static void assemble(WatCore *m, WgBuf *out) {
  wg_buf_append(out, "\0asm\1\0\0\0", 8);
  put_customs(m, out, 0);
  uint32_t ntypes = (uint32_t)m->ftypes.count;
  put_section(m, out, 1, ntypes, &m->sec_type, ntypes > 0);
  put_section(m, out, 2, m->n_import, &m->sec_import, m->n_import > 0);
  put_section(m, out, 3, m->n_func, &m->sec_func, m->n_func > 0);
  put_section(m, out, 4, m->n_table, &m->sec_table, m->n_table > 0);
  put_section(m, out, 5, m->n_mem, &m->sec_mem, m->n_mem > 0);
  put_customs(m, out, 13 * 2); /* tag anchors */
  put_customs(m, out, 13 * 2 + 1);
  put_section(m, out, 6, m->n_global, &m->sec_global, m->n_global > 0);
  put_section(m, out, 7, m->n_export, &m->sec_export, m->n_export > 0);
  put_customs(m, out, 8 * 2);
  if (m->has_start) {
    WgBuf s = { 0 };
    wg_buf_uleb(&s, m->start_func);
    wg_buf_putc(out, 8);
    wg_buf_uleb(out, s.len);
    wg_buf_append(out, s.data, s.len);
    wg_buf_free(&s);
  }
  put_customs(m, out, 8 * 2 + 1);
  put_section(m, out, 9, m->n_elem, &m->sec_elem, m->n_elem > 0);
  if (m->needs_data_count) {
    WgBuf s = { 0 };
    wg_buf_uleb(&s, m->n_data);
    wg_buf_putc(out, 12);
    wg_buf_uleb(out, s.len);
    wg_buf_append(out, s.data, s.len);
    wg_buf_free(&s);
  }
  put_section(m, out, 10, m->n_func, &m->sec_code, m->n_func > 0);
  put_section(m, out, 11, m->n_data, &m->sec_data, m->n_data > 0);
  put_customs(m, out, -1); /* after last */
  put_name_section(m, out);
}

static void core_free(WatCore *m) {
  WgBuf *bufs[] = { &m->sec_type, &m->sec_import, &m->sec_func,   &m->sec_table,
                    &m->sec_mem,  &m->sec_global, &m->sec_export, &m->sec_elem,
                    &m->sec_code, &m->sec_data };
  for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
    wg_buf_free(bufs[i]);
  wg_vec_free(&m->ftypes);
  WatNameVec *nv[] = { &m->names_func, &m->names_type,   &m->names_table,
                       &m->names_mem,  &m->names_global, &m->names_elem,
                       &m->names_data, &m->names_local,  &m->names_label };
  for (size_t i = 0; i < sizeof nv / sizeof *nv; i++)
    wg_vec_free(nv[i]);
  wg_vec_free(&m->locals);
  wg_vec_free(&m->labels);
  for (size_t i = 0; i < m->customs.count; i++)
    wg_buf_free(&m->customs.items[i].bytes);
  wg_vec_free(&m->customs);
  wg_vec_free(&m->label_stack);
}

bool wat_core_module(WatParser *p, WgStr module_name, bool has_name,
                     WgBuf *out) {
  wat_instr_init();
  WatCore m = { 0 };
  m.p = p;
  m.module_name = module_name;
  m.has_module_name = has_name;
  uint32_t first = p->pos;
  bool ok = true;
  while (ok && !wat_at_close(p))
    ok = scan_field(&m);
  /* pass 2 counts every space afresh */
  m.funcs.count = m.tables.count = m.mems.count = m.globals.count = 0;
  m.elems.count = m.datas.count = 0;
  p->pos = first;
  m.last_def = NULL;
  while (ok && !wat_at_close(p))
    ok = encode_field(&m);
  bool failed_buf = false;
  WgBuf *bufs[] = { &m.sec_type, &m.sec_import, &m.sec_func,   &m.sec_table,
                    &m.sec_mem,  &m.sec_global, &m.sec_export, &m.sec_elem,
                    &m.sec_code, &m.sec_data };
  for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
    failed_buf |= bufs[i]->failed;
  if (ok && failed_buf) ok = wat_nomem(p);
  if (ok) {
    assemble(&m, out);
    if (out->failed) ok = wat_nomem(p);
  }
  core_free(&m);
  return ok;
}
