/* SPDX-License-Identifier: Apache-2.0 */
/* Spec-test scripts (.wast): the script format of the WebAssembly spec
 * interpreter and of wasm-tools' `wast` crate, read into commands whose
 * modules are encoded here (quoted modules parsed on their own, binary
 * modules taken as given). Running them is the caller's job. */
#include <stdlib.h>
#include <string.h>

#include "vec.h"
#include "wat_internal.h"
#include "witgen/wat.h"

struct WgWast {
  WgArena arena;
  char *text; /* the script's own copy */
  WgVec(WgWastCommand) cmds;
};

typedef struct Reader {
  WatParser *p;
  WgWast *w;
  uint32_t line;
  uint32_t line_pos; /* offset where `line` was counted up to */
} Reader;

static uint32_t line_of(Reader *r, uint32_t offset) {
  const char *t = r->p->text;
  for (uint32_t i = r->line_pos; i < offset; i++)
    if (t[i] == '\n') r->line++;
  r->line_pos = offset;
  return r->line;
}

static WgStr arena_copy(Reader *r, WgStr s) {
  WgStr c = wg_arena_strdup(&r->w->arena, s);
  if (!c.ptr) wat_nomem(r->p);
  return c;
}

/* A string token decoded into the script's arena. */
static bool string_arg(Reader *r, WgStr *out) {
  WatParser *p = r->p;
  if (wat_peek(p)->kind != WAT_STRING)
    return wat_error(p, "unexpected token, expected a string");
  WgStr s = wat_string(p, wat_peek(p));
  if (!s.ptr) return false;
  *out = arena_copy(r, s);
  p->pos++;
  return out->ptr != NULL;
}

static bool opt_id(Reader *r, WgStr *out) {
  WatParser *p = r->p;
  *out = (WgStr){ "", 0 };
  if (wat_peek(p)->kind != WAT_ID) return true;
  WgStr s = wat_id_name(p, wat_peek(p));
  if (!s.ptr) return false;
  *out = arena_copy(r, s);
  p->pos++;
  return out->ptr != NULL;
}

/* Stores an encoded module or its error in `m`. */
static void set_result(Reader *r, WgWastModule *m, bool ok, WgBuf *bin,
                       WgDiagList *diags, WgStatus status) {
  if (ok && !bin->failed) {
    m->status = WG_OK;
    uint8_t *b = wg_arena_alloc(&r->w->arena, bin->len ? bin->len : 1);
    if (b && bin->len) memcpy(b, bin->data, bin->len);
    m->bytes = b;
    m->len = bin->len;
    m->error = "";
    if (!b) m->status = WG_ERR_NOMEM;
    return;
  }
  m->status = bin->failed ? WG_ERR_NOMEM : status;
  const char *msg = diags ? wg_diag_list_first_error(diags) : "";
  WgStr c = wg_arena_strdup(&r->w->arena, wg_str_from_cstr(msg));
  m->error = c.ptr ? c.ptr : "out of memory";
}

/* `(module quote "..."*)` / `(component quote ...)`: the strings joined
 * (each followed by a space) are parsed as a text of their own. */
static bool quote_module(Reader *r, WgWastModule *m) {
  WatParser *p = r->p;
  WgBuf text = { 0 };
  if (m->is_component) wg_buf_puts(&text, "(component ");
  while (wat_peek(p)->kind == WAT_STRING) {
    wat_string_decode(p, wat_peek(p), &text);
    wg_buf_putc(&text, ' ');
    p->pos++;
  }
  if (m->is_component) wg_buf_putc(&text, ')');
  if (!text.failed)
    m->source = arena_copy(r, (WgStr){ text.data ? text.data : "", text.len });
  if (!wat_at_close(p)) {
    wg_buf_free(&text);
    return wat_error(p, "unexpected token, expected a string");
  }
  if (text.failed) {
    wg_buf_free(&text);
    return wat_nomem(p);
  }
  WgDiagList *diags = wg_diag_list_new();
  WgArena arena;
  wg_arena_init(&arena, (WgAllocator){ 0 });
  WatParser sub;
  WatLex lex;
  WgBuf bin = { 0 };
  bool is_component;
  bool ok = wat_parser_init(&sub, &lex,
                            (WgStr){ text.data ? text.data : "", text.len },
                            NULL, diags, &arena);
  if (ok) ok = wat_parse_text(&sub, &bin, &is_component);
  set_result(r, m, ok, &bin, diags, sub.failed ? sub.status : WG_ERR_MALFORMED);
  wat_lex_free(&lex);
  wg_arena_release(&arena);
  wg_diag_list_delete(diags);
  wg_buf_free(&bin);
  wg_buf_free(&text);
  return true;
}

/* Encodes the module whose fields start at the current token, with a
 * parser of its own so that an error stays with the module; then moves
 * past `close`. */
static bool inline_module(Reader *r, WgWastModule *m, uint32_t open,
                          uint32_t close) {
  WatParser *p = r->p;
  uint32_t from = p->toks[open].start, to = p->toks[close].start + 1;
  m->source = (WgStr){ r->w->text + from, to - from };
  WgDiagList *diags = wg_diag_list_new();
  WgArena scratch;
  wg_arena_init(&scratch, (WgAllocator){ 0 });
  WatParser sub = *p;
  sub.diags = diags;
  sub.path = NULL;
  sub.failed = false;
  sub.arena = &scratch;
  WgBuf bin = { 0 };
  WgStr id = { NULL, 0 };
  bool ok = wat_module_form(&sub, m->is_component, &id, &m->is_binary, &bin);
  if (ok && !wat_at_close(&sub)) ok = wat_error(&sub, "unexpected token");
  if (id.ptr) m->id = arena_copy(r, id);
  set_result(r, m, ok, &bin, diags, sub.failed ? sub.status : WG_ERR_MALFORMED);
  bool nomem = !ok && sub.status == WG_ERR_NOMEM;
  wg_diag_list_delete(diags);
  wg_buf_free(&bin);
  wg_arena_release(&scratch);
  if (nomem) return wat_nomem(p);
  p->pos = close + 1;
  return true;
}

/* At `(module` or `(component` (the paren): reads the form into `m`.
 * A module that does not parse is kept with its error. */
static bool module_form(Reader *r, WgWastModule *m) {
  WatParser *p = r->p;
  uint32_t open = p->pos;
  uint32_t close = wat_peek(p)->close;
  m->is_component = wat_tok_is(p, wat_peek2(p), "component");
  p->pos += 2;
  if (wat_accept_kw(p, "quote")) {
    m->is_quote = true;
    if (!quote_module(r, m)) return false;
    return wat_expect_rparen(p);
  }
  return inline_module(r, m, open, close);
}

/* ---- values ------------------------------------------------------------- */

static int nan_pattern(const WatParser *p, const WatTok *t) {
  if (wat_tok_is(p, t, "nan:canonical")) return WG_WAST_NAN_CANONICAL;
  if (wat_tok_is(p, t, "nan:arithmetic")) return WG_WAST_NAN_ARITHMETIC;
  return WG_WAST_NAN_NONE;
}

static bool int_lit(WatParser *p, unsigned bits, uint64_t *out) {
  const WatTok *t = wat_peek(p);
  bool range;
  if (t->kind != WAT_NUM || !wat_int_bits(wat_tok_str(p, t), bits, out, &range))
    return wat_error(p, "unexpected token, expected an integer");
  if (range) return wat_error(p, "constant out of range");
  p->pos++;
  return true;
}

static bool float_lit(WatParser *p, bool single, bool result, uint64_t *out,
                      uint8_t *nan) {
  const WatTok *t = wat_peek(p);
  *nan = WG_WAST_NAN_NONE;
  if (result && (*nan = (uint8_t)nan_pattern(p, t))) {
    *out = 0;
    p->pos++;
    return true;
  }
  bool range, ok;
  if (single) {
    uint32_t v = 0;
    ok = t->kind == WAT_NUM && wat_f32_bits(wat_tok_str(p, t), &v, &range);
    *out = v;
  } else {
    ok = t->kind == WAT_NUM && wat_f64_bits(wat_tok_str(p, t), out, &range);
  }
  if (!ok) return wat_error(p, "unexpected token, expected a float");
  if (range) return wat_error(p, "constant out of range");
  p->pos++;
  return true;
}

static bool v128_lit(WatParser *p, bool result, WgWastValue *v) {
  static const struct {
    const char *shape;
    unsigned lanes, bits;
    bool is_float;
  } shapes[] = { { "i8x16", 16, 8, false }, { "i16x8", 8, 16, false },
                 { "i32x4", 4, 32, false }, { "i64x2", 2, 64, false },
                 { "f32x4", 4, 32, true },  { "f64x2", 2, 64, true } };
  for (size_t i = 0; i < 6; i++) {
    if (!wat_accept_kw(p, shapes[i].shape)) continue;
    v->lane_bits = (uint8_t)shapes[i].bits;
    v->lane_float = shapes[i].is_float;
    for (unsigned l = 0; l < shapes[i].lanes; l++) {
      uint64_t bits;
      uint8_t nan = 0;
      bool ok = shapes[i].is_float
                    ? float_lit(p, shapes[i].bits == 32, result, &bits, &nan)
                    : int_lit(p, shapes[i].bits, &bits);
      if (!ok) return false;
      if (shapes[i].is_float) v->lane_nan[l] = nan;
      for (unsigned k = 0; k < shapes[i].bits / 8; k++)
        v->v128[l * (shapes[i].bits / 8) + k] = (uint8_t)(bits >> (8 * k));
    }
    return true;
  }
  return wat_error(p, "unexpected token, expected a vector shape");
}

/* One `(type.const ...)` value at `(`. */
static bool value(Reader *r, bool result, WgWastValue *v) {
  WatParser *p = r->p;
  memset(v, 0, sizeof *v);
  const WatTok *open = wat_peek(p);
  if (open->kind != WAT_LPAREN) return wat_error(p, "expected a value");
  uint32_t close = open->close;
  const WatTok *k = wat_peek2(p);
  p->pos += 2;
  /* every value keeps its text: a component runner reads `(f32.const 5)`
   * as a component value too */
  uint32_t start = open->start, end = p->toks[close].start + 1;
  v->text = arena_copy(r, (WgStr){ p->text + start, end - start });
  bool ok = v->text.ptr != NULL;
  if (!ok) {
    return wat_nomem(p);
  } else if (wat_tok_is(p, k, "i32.const")) {
    v->kind = WG_WAST_I32;
    ok = int_lit(p, 32, &v->bits);
  } else if (wat_tok_is(p, k, "i64.const")) {
    v->kind = WG_WAST_I64;
    ok = int_lit(p, 64, &v->bits);
  } else if (wat_tok_is(p, k, "f32.const")) {
    v->kind = WG_WAST_F32;
    ok = float_lit(p, true, result, &v->bits, &v->nan);
  } else if (wat_tok_is(p, k, "f64.const")) {
    v->kind = WG_WAST_F64;
    ok = float_lit(p, false, result, &v->bits, &v->nan);
  } else if (wat_tok_is(p, k, "v128.const")) {
    v->kind = WG_WAST_V128;
    ok = v128_lit(p, result, v);
  } else if (wat_tok_is(p, k, "ref.null")) {
    v->kind = WG_WAST_REF_NULL;
    if (wat_accept_kw(p, "func") || wat_accept_kw(p, "nofunc")) {
      v->heap = 0x70;
    } else if (wat_accept_kw(p, "extern") || wat_accept_kw(p, "noextern")) {
      v->heap = 0x6f;
    } else if (!result || !wat_at_close(p)) {
      ok = wat_error(p, "unexpected token, expected a heap type");
    }
  } else if (wat_tok_is(p, k, "ref.extern") || wat_tok_is(p, k, "ref.host")) {
    v->kind = WG_WAST_REF_EXTERN;
    if (wat_peek(p)->kind == WAT_NUM) {
      v->has_bits = true;
      ok = int_lit(p, 32, &v->bits);
    } else if (!result) {
      ok = wat_error(p, "unexpected token, expected a number");
    }
  } else if (wat_tok_is(p, k, "ref.func") && result) {
    v->kind = WG_WAST_REF_FUNC;
    if (wat_peek(p)->kind == WAT_NUM || wat_peek(p)->kind == WAT_ID) p->pos++;
  } else {
    /* a component value: kept as written */
    v->kind = WG_WAST_COMPONENT;
    p->pos = close;
  }
  return ok && wat_expect_rparen(p);
}

static bool values(Reader *r, bool result, const WgWastValue **out,
                   size_t *count) {
  WatParser *p = r->p;
  WgVec(WgWastValue) vals = { 0 };
  bool ok = true;
  while (ok && wat_peek(p)->kind == WAT_LPAREN) {
    WgWastValue v;
    ok = value(r, result, &v);
    if (ok && !wg_vec_push(&vals, v)) ok = wat_nomem(p);
  }
  *count = vals.count;
  *out = NULL;
  if (ok && vals.count) {
    WgWastValue *a = wg_arena_alloc(&r->w->arena, vals.count * sizeof *a);
    if (!a) {
      ok = wat_nomem(p);
    } else {
      memcpy(a, vals.items, vals.count * sizeof *a);
      *out = a;
    }
  }
  wg_vec_free(&vals);
  return ok;
}

/* `(invoke $m? "name" args*)` or `(get $m? "name")` at `(`. */
static bool action(Reader *r, WgWastAction *a) {
  WatParser *p = r->p;
  if (!wat_expect_lparen(p)) return false;
  memset(a, 0, sizeof *a);
  if (wat_accept_kw(p, "get")) {
    a->is_get = true;
  } else if (!wat_expect_kw(p, "invoke")) {
    return false;
  }
  if (!opt_id(r, &a->module) || !string_arg(r, &a->name)) return false;
  if (!a->is_get && !values(r, false, &a->args, &a->arg_count)) return false;
  return wat_expect_rparen(p);
}

/* ---- commands ----------------------------------------------------------- */

static bool is_module_form(const WatParser *p) {
  return wat_peek_form(p, "module") || wat_peek_form(p, "component");
}

static bool command(Reader *r, WgWastCommand *c) {
  WatParser *p = r->p;
  const WatTok *open = wat_peek(p);
  if (open->kind != WAT_LPAREN)
    return wat_error(p, "unexpected token, expected a command");
  uint32_t close = open->close;
  c->line = line_of(r, open->start);
  const WatTok *k = wat_peek2(p);
  if (k->kind != WAT_KEYWORD)
    return wat_error_at(p, p->pos + 1, "unknown command");
  c->name = (WgStr){ r->w->text + k->start, k->len };
  bool ok = true;
  if (is_module_form(p)) {
    const WatTok *third = &p->toks[p->pos + 2];
    c->has_module = true;
    c->module.is_component = wat_tok_is(p, k, "component");
    if (wat_tok_is(p, third, "definition")) {
      c->kind = WG_WAST_MODULE_DEFINITION;
      /* read as a module without `definition` */
      uint32_t at = p->pos;
      p->pos += 3;
      return inline_module(r, &c->module, at, close);
    }
    if (wat_tok_is(p, third, "instance")) {
      c->kind = WG_WAST_MODULE_INSTANCE;
      c->has_module = false;
      p->pos += 3;
      ok = opt_id(r, &c->instance) && opt_id(r, &c->module.id);
      return ok && wat_expect_rparen(p);
    }
    c->kind = WG_WAST_MODULE;
    return module_form(r, &c->module);
  }
  p->pos += 2;
  if (wat_tok_is(p, k, "register")) {
    c->kind = WG_WAST_REGISTER;
    ok = string_arg(r, &c->register_as) && opt_id(r, &c->module.id);
  } else if (wat_tok_is(p, k, "invoke") || wat_tok_is(p, k, "get")) {
    c->kind = WG_WAST_ACTION;
    c->has_action = true;
    p->pos -= 2;
    return action(r, &c->action);
  } else if (wat_tok_is(p, k, "assert_return")) {
    c->kind = WG_WAST_ASSERT_RETURN;
    c->has_action = true;
    ok =
        action(r, &c->action) && values(r, true, &c->results, &c->result_count);
  } else if (wat_tok_is(p, k, "assert_trap")) {
    c->kind = WG_WAST_ASSERT_TRAP;
    if (is_module_form(p)) {
      c->has_module = true;
      ok = module_form(r, &c->module);
    } else {
      c->has_action = true;
      ok = action(r, &c->action);
    }
    ok = ok && string_arg(r, &c->text);
  } else if (wat_tok_is(p, k, "assert_exhaustion")) {
    c->kind = WG_WAST_ASSERT_EXHAUSTION;
    c->has_action = true;
    ok = action(r, &c->action) && string_arg(r, &c->text);
  } else if (wat_tok_is(p, k, "assert_invalid") ||
             wat_tok_is(p, k, "assert_malformed") ||
             wat_tok_is(p, k, "assert_unlinkable") ||
             wat_tok_is(p, k, "assert_uninstantiable")) {
    c->kind = wat_tok_is(p, k, "assert_invalid")     ? WG_WAST_ASSERT_INVALID
              : wat_tok_is(p, k, "assert_malformed") ? WG_WAST_ASSERT_MALFORMED
              : wat_tok_is(p, k, "assert_unlinkable")
                  ? WG_WAST_ASSERT_UNLINKABLE
                  : WG_WAST_ASSERT_UNINSTANTIABLE;
    if (!is_module_form(p)) return wat_error(p, "expected a module");
    c->has_module = true;
    ok = module_form(r, &c->module) && string_arg(r, &c->text);
  } else {
    c->kind = WG_WAST_OTHER;
    p->pos = close;
  }
  return ok && wat_expect_rparen(p);
}

static bool starts_with_field(const WatParser *p) {
  static const char *const fields[] = { "type",   "import", "func",   "table",
                                        "memory", "global", "export", "start",
                                        "elem",   "data" };
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    if (wat_peek_form(p, fields[i])) return true;
  return false;
}

/* The whole script as the fields of one module. */
static bool whole_module(Reader *r, WgWastModule *m) {
  WatParser *p = r->p;
  WgDiagList *diags = wg_diag_list_new();
  WatParser sub = *p;
  sub.diags = diags;
  sub.path = NULL;
  WgBuf bin = { 0 };
  bool is_component;
  bool ok = wat_parse_text(&sub, &bin, &is_component);
  set_result(r, m, ok, &bin, diags, sub.failed ? sub.status : WG_ERR_MALFORMED);
  wg_diag_list_delete(diags);
  wg_buf_free(&bin);
  p->pos = p->count - 1;
  return true;
}

WgStatus wg_wast_parse(WgStr text, const char *path, WgDiagList *diags,
                       WgWast **out) {
  *out = NULL;
  WgWast *w = calloc(1, sizeof *w);
  if (!w) return WG_ERR_NOMEM;
  wg_arena_init(&w->arena, (WgAllocator){ 0 });
  w->text = malloc(text.len + 1);
  if (!w->text) {
    free(w);
    return WG_ERR_NOMEM;
  }
  if (text.len) memcpy(w->text, text.ptr, text.len);
  w->text[text.len] = '\0';
  WatParser p;
  WatLex lex;
  bool ok = wat_parser_init(&p, &lex, (WgStr){ w->text, text.len },
                            path ? path : "<input>", diags, &w->arena);
  Reader r = { &p, w, 1, 0 };
  if (ok && starts_with_field(&p)) {
    /* a script may be just the fields of one module */
    WgWastCommand c;
    memset(&c, 0, sizeof c);
    c.kind = WG_WAST_MODULE;
    c.line = 1;
    c.name = WG_STR("module");
    c.has_module = true;
    ok = whole_module(&r, &c.module);
    if (ok && !wg_vec_push(&w->cmds, c)) ok = wat_nomem(&p);
  }
  while (ok && wat_peek(&p)->kind != WAT_EOF) {
    WgWastCommand c;
    memset(&c, 0, sizeof c);
    ok = command(&r, &c);
    if (ok && !wg_vec_push(&w->cmds, c)) ok = wat_nomem(&p);
  }
  WgStatus st = ok ? WG_OK : (p.failed ? p.status : WG_ERR_MALFORMED);
  wat_lex_free(&lex);
  if (st != WG_OK) {
    wg_wast_delete(w);
    return st;
  }
  *out = w;
  return WG_OK;
}

size_t wg_wast_count(const WgWast *wast) {
  return wast->cmds.count;
}

const WgWastCommand *wg_wast_command(const WgWast *wast, size_t i) {
  return i < wast->cmds.count ? &wast->cmds.items[i] : NULL;
}

void wg_wast_delete(WgWast *wast) {
  if (!wast) return;
  wg_vec_free(&wast->cmds);
  wg_arena_release(&wast->arena);
  free(wast->text);
  free(wast);
}
