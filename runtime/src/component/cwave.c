/* SPDX-License-Identifier: Apache-2.0 */
/* WAVE, the value syntax of wasm-tools and wasmtime, read into component
 * values typed by a WgCValTy (wg_cval_parse_wave) and call arguments
 * typed by a WgCFuncTy (wg_cval_parse_wave_args). The type decides what
 * a token means: `none` is an option's case or a variant's, `{}` empty
 * flags or an empty map, `7` an option's or result's flat payload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cinternal.h"
#include "cread.h"
#include "utf8.h"

static bool value(CRead *r, const WgCValTy *t, WgCVal *out);

static bool is_digit(int c) {
  return c >= '0' && c <= '9';
}

/* What the next token is, for "found ..." in messages. */
static void found(CRead *r, char *buf, size_t n) {
  int c = cr_peek(r);
  size_t save = r->pos;
  switch (c) {
    case -1:
      snprintf(buf, n, "the end of the text");
      return;
    case '"':
      snprintf(buf, n, "a string");
      return;
    case '\'':
      snprintf(buf, n, "a char");
      return;
    case '[':
      snprintf(buf, n, "a list");
      return;
    case '(':
      snprintf(buf, n, "a tuple");
      return;
    case '{':
      snprintf(buf, n, "a record or flags");
      return;
    case '$':
      snprintf(buf, n, "a variable");
      return;
    default:
      break;
  }
  WgStr w = cr_word(r, NULL);
  r->pos = save;
  if (w.len > 40) w.len = 40;
  if (w.len && (is_digit(c) || c == '-'))
    snprintf(buf, n, "the number `%.*s`", (int)w.len, w.ptr);
  else if (w.len)
    snprintf(buf, n, "`%.*s`", (int)w.len, w.ptr);
  else
    snprintf(buf, n, "`%c`", c);
}

static bool type_error(CRead *r, const WgCValTy *t) {
  char what[64];
  size_t start = r->pos;
  found(r, what, sizeof what);
  return cr_fail_type(r, t, start, start + 1, what);
}

/* The next word without consuming it (unescaped keywords only). */
static bool next_keyword(CRead *r, const char *kw) {
  size_t save = r->pos;
  bool esc;
  WgStr w = cr_word(r, &esc);
  r->pos = save;
  return !esc && wg_str_eq(w, wg_str_from_cstr(kw));
}

static bool number(CRead *r, const WgCValTy *t, WgCValKind kind, WgCVal *out) {
  int c = cr_peek(r);
  size_t start = r->pos;
  bool is_float = kind == WG_CVAL_F32 || kind == WG_CVAL_F64;
  if (!is_digit(c) && c != '-' && c != '+' &&
      !(is_float && (next_keyword(r, "nan") || next_keyword(r, "inf"))))
    return type_error(r, t);
  WgStr tok = cr_word(r, NULL);
  return cr_number(r, kind, t, tok, start, out);
}

static bool char_value(CRead *r, const WgCValTy *t, WgCVal *out) {
  if (cr_peek(r) != '\'') return type_error(r, t);
  size_t start = r->pos;
  char *s;
  size_t len;
  if (!cr_string(r, &s, &len)) return false;
  uint32_t cp = 0;
  size_t k = len ? wg_utf8_decode((const uint8_t *)s, len, &cp) : 0;
  free(s);
  if (!k || k != len)
    return cr_fail(r, WG_ERR_INVALID, start, r->pos,
                   "a char holds exactly one Unicode scalar value");
  *out = wg_cval_char(cp);
  return true;
}

/* `[v, ...]` for list<T> and list<T, N>. */
static bool list(CRead *r, const WgCValTy *t, WgCVal *out) {
  if (cr_peek(r) != '[') return type_error(r, t);
  size_t start = r->pos++;
  CItems l = { 0 };
  while (!cr_accept(r, ']')) {
    WgCVal v;
    if (!value(r, t->elems[0], &v) || !cr_push(r, &l, &v)) goto fail;
    if (!cr_accept(r, ',') && !cr_expect(r, ']', "or `,` after a list item"))
      goto fail;
    if (r->pos && r->s[r->pos - 1] == ']') break;
  }
  if (t->kind == WG_CT_FIXED_LIST && l.count != t->length) {
    cr_fail(r, WG_ERR_INVALID, start, r->pos,
            "a list of %zu items where `list<_, %u>` needs %u", l.count,
            t->length, t->length);
    goto fail;
  }
  *out = cr_seq(WG_CVAL_LIST, &l);
  return true;
fail:
  cr_items_free(&l);
  return false;
}

/* `(v, ...)` for tuple<...>. */
static bool tuple(CRead *r, const WgCValTy *t, WgCVal *out) {
  if (cr_peek(r) != '(') return type_error(r, t);
  size_t start = r->pos++;
  CItems l = { 0 };
  while (!cr_accept(r, ')')) {
    if (l.count == t->count) {
      cr_skip(r);
      cr_fail(r, WG_ERR_INVALID, r->pos, r->pos + 1,
              "too many items for a tuple of %u", t->count);
      goto fail;
    }
    WgCVal v;
    if (!value(r, t->elems[l.count], &v) || !cr_push(r, &l, &v)) goto fail;
    if (!cr_accept(r, ',') && !cr_expect(r, ')', "or `,` after a tuple item"))
      goto fail;
    if (r->s[r->pos - 1] == ')') break;
  }
  if (l.count != t->count) {
    cr_fail(r, WG_ERR_INVALID, start, r->pos,
            "a tuple of %zu items where %u are expected", l.count, t->count);
    goto fail;
  }
  *out = cr_seq(WG_CVAL_TUPLE, &l);
  return true;
fail:
  cr_items_free(&l);
  return false;
}

/* `{label: v, ...}` or `{:}`. */
static bool record(CRead *r, const WgCValTy *t, WgCVal *out) {
  if (cr_peek(r) != '{') return type_error(r, t);
  size_t start = r->pos++;
  WgCVal *fields = calloc(t->count ? t->count : 1, sizeof *fields);
  bool *present = calloc(t->count ? t->count : 1, sizeof *present);
  if (!fields || !present) {
    free(fields);
    free(present);
    return cr_nomem(r);
  }
  WgCVal rec = wg_cval_seq(WG_CVAL_RECORD, fields, t->count);
  bool ok = true;
  if (cr_accept(r, ':')) {
    ok = cr_expect(r, '}', "after `{:}`'s colon");
  } else {
    while (ok && !cr_accept(r, '}')) {
      size_t at = r->pos;
      cr_skip(r);
      at = r->pos;
      WgStr name = cr_word(r, NULL);
      if (!name.len) {
        char what[64];
        found(r, what, sizeof what);
        ok = cr_fail(r, WG_ERR_MALFORMED, r->pos, r->pos + 1,
                     "expected a field name, found %s", what);
        break;
      }
      int i = cr_label(t, name);
      if (i < 0) {
        ok = cr_fail_label(r, t, "field", name, at);
        break;
      }
      if (present[i]) {
        ok = cr_fail(r, WG_ERR_INVALID, at, r->pos, "field `%.*s` given twice",
                     (int)name.len, name.ptr);
        break;
      }
      if (!cr_expect(r, ':', "after a field name") ||
          !value(r, t->elems[i], &fields[i])) {
        ok = false;
        break;
      }
      present[i] = true;
      if (!cr_accept(r, ',') &&
          !cr_expect(r, '}', "or `,` after a record field")) {
        ok = false;
        break;
      }
      if (r->s[r->pos - 1] == '}') break;
    }
  }
  ok = ok && cr_complete_record(r, t, fields, present, start);
  free(present);
  if (!ok) {
    wg_cval_free(&rec);
    return false;
  }
  *out = rec;
  return true;
}

/* `{a, b}` or `{}`. */
static bool flags(CRead *r, const WgCValTy *t, WgCVal *out) {
  if (cr_peek(r) != '{') return type_error(r, t);
  r->pos++;
  uint32_t bits = 0;
  while (!cr_accept(r, '}')) {
    cr_skip(r);
    size_t at = r->pos;
    WgStr name = cr_word(r, NULL);
    if (!name.len) {
      char what[64];
      found(r, what, sizeof what);
      return cr_fail(r, WG_ERR_MALFORMED, r->pos, r->pos + 1,
                     "expected a flag name, found %s", what);
    }
    int i = cr_label(t, name);
    if (i < 0) return cr_fail_label(r, t, "flag", name, at);
    if (i >= 32)
      return cr_fail(r, WG_ERR_INVALID, at, r->pos,
                     "flag `%.*s`: more than 32 flags are not supported",
                     (int)name.len, name.ptr);
    bits |= 1u << i;
    if (!cr_accept(r, ',') && !cr_expect(r, '}', "or `,` after a flag"))
      return false;
    if (r->s[r->pos - 1] == '}') break;
  }
  *out = wg_cval_flags(bits);
  return true;
}

/* `{k: v, ...}`, `{}` or `{:}` for map<K, V>: a list of 2-tuples. */
static bool map(CRead *r, const WgCValTy *t, WgCVal *out) {
  if (cr_peek(r) != '{') return type_error(r, t);
  r->pos++;
  CItems l = { 0 };
  if (cr_accept(r, ':')) {
    if (!cr_expect(r, '}', "after `{:}`'s colon")) return false;
    *out = cr_seq(WG_CVAL_LIST, &l);
    return true;
  }
  while (!cr_accept(r, '}')) {
    WgCVal kv[2] = { cr_nothing(), cr_nothing() };
    bool ok = value(r, t->elems[0], &kv[0]) &&
              cr_expect(r, ':', "after a map key") &&
              value(r, t->elems[1], &kv[1]);
    WgCVal *pair = ok ? malloc(2 * sizeof *pair) : NULL;
    if (!pair) {
      if (ok) cr_nomem(r);
      wg_cval_free(&kv[0]);
      wg_cval_free(&kv[1]);
      goto fail;
    }
    memcpy(pair, kv, sizeof kv);
    WgCVal entry = wg_cval_seq(WG_CVAL_TUPLE, pair, 2);
    if (!cr_push(r, &l, &entry)) {
      wg_cval_free(&entry);
      goto fail;
    }
    if (!cr_accept(r, ',') && !cr_expect(r, '}', "or `,` after a map entry"))
      goto fail;
    if (r->s[r->pos - 1] == '}') break;
  }
  *out = cr_seq(WG_CVAL_LIST, &l);
  return true;
fail:
  cr_items_free(&l);
  return false;
}

/* A case's payload: `(v)` when the case has a type, nothing otherwise. */
static bool payload(CRead *r, const WgCValTy *pt, WgStr name, size_t at,
                    WgCVal **out) {
  *out = NULL;
  bool paren = cr_peek(r) == '(';
  if (!pt) {
    if (paren)
      return cr_fail(r, WG_ERR_INVALID, at, r->pos + 1,
                     "case `%.*s` has no payload", (int)name.len, name.ptr);
    return true;
  }
  if (!paren) {
    WgBuf ty = { 0 };
    wg_cvalty_print(&ty, pt);
    cr_fail(r, WG_ERR_INVALID, at, r->pos,
            "case `%.*s` has a payload of type `%s`: write `%.*s(...)`",
            (int)name.len, name.ptr, ty.data ? ty.data : "?", (int)name.len,
            name.ptr);
    wg_buf_free(&ty);
    return false;
  }
  r->pos++;
  WgCVal v;
  if (!value(r, pt, &v)) return false;
  if (!cr_expect(r, ')', "after a case's payload")) {
    wg_cval_free(&v);
    return false;
  }
  return (*out = cr_box(r, &v)) != NULL;
}

/* A variant or enum case by name (`%` allowed before it). */
static bool cases(CRead *r, const WgCValTy *t, WgCValKind kind, WgCVal *out) {
  cr_skip(r);
  size_t at = r->pos;
  WgStr name = cr_word(r, NULL);
  if (!name.len || is_digit((unsigned char)name.ptr[0]) || name.ptr[0] == '-') {
    r->pos = at;
    return type_error(r, t);
  }
  int i = cr_label(t, name);
  if (i < 0) return cr_fail_label(r, t, "case", name, at);
  WgCVal *p = NULL;
  if (!payload(r, kind == WG_CVAL_VARIANT ? t->elems[i] : NULL, name, at, &p))
    return false;
  *out = wg_cval_case(kind, (uint32_t)i, p);
  return true;
}

static bool nests_cases(const WgCValTy *t) {
  return t && (t->kind == WG_CT_OPTION || t->kind == WG_CT_RESULT);
}

static bool option(CRead *r, const WgCValTy *t, WgCVal *out) {
  cr_skip(r);
  size_t at = r->pos;
  if (next_keyword(r, "none")) {
    cr_word(r, NULL);
    if (cr_peek(r) == '(')
      return cr_fail(r, WG_ERR_INVALID, at, r->pos + 1,
                     "`none` has no payload");
    *out = wg_cval_case(WG_CVAL_OPTION, 0, NULL);
    return true;
  }
  WgCVal *p = NULL;
  if (next_keyword(r, "some")) {
    WgStr name = cr_word(r, NULL);
    if (!payload(r, t->elems[0], name, at, &p)) return false;
  } else {
    /* the flat form: the payload itself */
    if (nests_cases(t->elems[0])) return type_error(r, t);
    WgCVal v;
    if (!value(r, t->elems[0], &v) || !(p = cr_box(r, &v))) return false;
  }
  *out = wg_cval_case(WG_CVAL_OPTION, 1, p);
  return true;
}

static bool result(CRead *r, const WgCValTy *t, WgCVal *out) {
  cr_skip(r);
  size_t at = r->pos;
  bool ok = next_keyword(r, "ok");
  WgCVal *p = NULL;
  if (ok || next_keyword(r, "err")) {
    WgStr name = cr_word(r, NULL);
    if (!payload(r, t->elems[ok ? 0 : 1], name, at, &p)) return false;
    *out = wg_cval_case(WG_CVAL_RESULT, ok ? 0 : 1, p);
    return true;
  }
  if (!t->elems[0] || nests_cases(t->elems[0])) return type_error(r, t);
  WgCVal v;
  if (!value(r, t->elems[0], &v) || !(p = cr_box(r, &v))) return false;
  *out = wg_cval_case(WG_CVAL_RESULT, 0, p);
  return true;
}

static bool typed(CRead *r, const WgCValTy *t, WgCVal *out) {
  int kind = wg_cval_kind_for(t);
  size_t at = r->pos;
  switch (kind) {
    case WG_CVAL_BOOL: {
      if (next_keyword(r, "true") || next_keyword(r, "false")) {
        WgStr w = cr_word(r, NULL);
        *out = wg_cval_bool(w.ptr[0] == 't');
        return true;
      }
      return type_error(r, t);
    }
    case WG_CVAL_S8:
    case WG_CVAL_U8:
    case WG_CVAL_S16:
    case WG_CVAL_U16:
    case WG_CVAL_S32:
    case WG_CVAL_U32:
    case WG_CVAL_S64:
    case WG_CVAL_U64:
    case WG_CVAL_F32:
    case WG_CVAL_F64:
      return number(r, t, (WgCValKind)kind, out);
    case WG_CVAL_CHAR:
      return char_value(r, t, out);
    case WG_CVAL_STRING: {
      if (cr_peek(r) != '"') return type_error(r, t);
      char *s;
      size_t len;
      if (!cr_string(r, &s, &len)) return false;
      *out = wg_cval_string(s, len);
      return true;
    }
    case WG_CVAL_LIST:
      return t->kind == WG_CT_MAP ? map(r, t, out) : list(r, t, out);
    case WG_CVAL_TUPLE:
      return tuple(r, t, out);
    case WG_CVAL_RECORD:
      return record(r, t, out);
    case WG_CVAL_FLAGS:
      return flags(r, t, out);
    case WG_CVAL_VARIANT:
    case WG_CVAL_ENUM:
      return cases(r, t, (WgCValKind)kind, out);
    case WG_CVAL_OPTION:
      return option(r, t, out);
    case WG_CVAL_RESULT:
      return result(r, t, out);
    case WG_CVAL_OWN:
    case WG_CVAL_BORROW: {
      char what[64];
      found(r, what, sizeof what);
      WgBuf ty = { 0 };
      wg_cvalty_print(&ty, t);
      cr_fail(r, WG_ERR_INVALID, at, at + 1,
              "expected `%s`, found %s: a resource handle has no WAVE "
              "syntax; pass a variable (`$name`) bound to one",
              ty.data ? ty.data : "?", what);
      wg_buf_free(&ty);
      return false;
    }
    default: {
      WgBuf ty = { 0 };
      wg_cvalty_print(&ty, t);
      cr_fail(r, WG_ERR_INVALID, at, at + 1,
              "values of `%s` cannot be written (the async ABI's types are "
              "not supported)",
              ty.data ? ty.data : "?");
      wg_buf_free(&ty);
      return false;
    }
  }
}

static bool value(CRead *r, const WgCValTy *t, WgCVal *out) {
  *out = cr_nothing();
  int c = cr_peek(r);
  if (r->status != WG_OK) return false;
  if (c == '$') return cr_variable(r, t, out);
  if (!cr_enter(r)) return false;
  bool ok = typed(r, t, out);
  cr_leave(r);
  if (!ok) {
    wg_cval_free(out);
    *out = cr_nothing();
  }
  return ok;
}

WgStatus wg_cval_parse_wave(WgStr text, const WgCValTy *type,
                            const WgCValReadOptions *options, WgCVal *out,
                            WgDiagList *diags) {
  if (!out) return WG_ERR_MISUSE;
  *out = cr_nothing();
  if (!type) return WG_ERR_MISUSE;
  CRead r;
  cr_init(&r, text, options, diags, CREAD_WAVE);
  if (value(&r, type, out) && cr_finish(&r, options ? options->end : NULL))
    return WG_OK;
  wg_cval_free(out);
  *out = cr_nothing();
  return r.status != WG_OK ? r.status : WG_ERR_MALFORMED;
}

static bool too_few(CRead *r, const WgCFuncTy *f, uint32_t given,
                    size_t start) {
  WgBuf sig = { 0 };
  wg_cfunc_print(&sig, f);
  cr_fail(r, WG_ERR_INVALID, start, r->pos,
          "%u argument%s given, `%s` takes %u", given, given == 1 ? "" : "s",
          sig.data ? sig.data : "?", f->param_count);
  wg_buf_free(&sig);
  return false;
}

WgStatus wg_cval_parse_wave_args(WgStr text, const WgCFuncTy *type,
                                 const WgCValReadOptions *options, WgCVal *args,
                                 WgDiagList *diags) {
  if (!type || (!args && type->param_count)) return WG_ERR_MISUSE;
  for (uint32_t i = 0; i < type->param_count; i++)
    args[i] = cr_nothing();
  CRead r;
  cr_init(&r, text, options, diags, CREAD_WAVE);
  size_t start = r.pos;
  uint32_t n = 0;
  bool ok = cr_expect(&r, '(', "before the arguments");
  start = r.pos ? r.pos - 1 : 0;
  while (ok && !cr_accept(&r, ')')) {
    if (n == type->param_count) {
      WgBuf sig = { 0 };
      wg_cfunc_print(&sig, type);
      ok = cr_fail(&r, WG_ERR_INVALID, r.pos, r.pos + 1,
                   "too many arguments: `%s` takes %u",
                   sig.data ? sig.data : "?", type->param_count);
      wg_buf_free(&sig);
      break;
    }
    ok = value(&r, type->params[n], &args[n]);
    if (!ok) break;
    n++;
    if (!cr_accept(&r, ','))
      ok = cr_expect(&r, ')', "or `,` after an argument");
    if (ok && r.s[r.pos - 1] == ')') break;
  }
  for (; ok && n < type->param_count; n++) {
    if (type->params[n]->kind != WG_CT_OPTION) {
      ok = too_few(&r, type, n, start);
      break;
    }
    args[n] = wg_cval_case(WG_CVAL_OPTION, 0, NULL);
  }
  ok = ok && cr_finish(&r, options ? options->end : NULL);
  if (ok) return WG_OK;
  for (uint32_t i = 0; i < type->param_count; i++) {
    wg_cval_free(&args[i]);
    args[i] = cr_nothing();
  }
  return r.status != WG_OK ? r.status : WG_ERR_MALFORMED;
}
