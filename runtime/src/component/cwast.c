/* SPDX-License-Identifier: Apache-2.0 */
/* Component values as the Component Model's `.wast` scripts write them
 * (wg_cval_parse_wast): `(u32.const 7)`, `(record.const (field "a" v))`,
 * `(variant.const "c" v)`, ... typed by a WgCValTy. The form must fit the
 * type: `(s32.const 1)` is not a u32. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cinternal.h"
#include "cread.h"
#include "utf8.h"

static bool value(CRead *r, const WgCValTy *t, WgCVal *out);
static bool form(CRead *r, const WgCValTy *t, WgCVal *out);

static bool head_is(WgStr head, const char *s) {
  return wg_str_eq(head, wg_str_from_cstr(s));
}

static bool mismatch(CRead *r, const WgCValTy *t, WgStr head, size_t at) {
  char what[80];
  snprintf(what, sizeof what, "`%.*s`", (int)(head.len > 40 ? 40 : head.len),
           head.ptr);
  return cr_fail_type(r, t, at, at + head.len, what);
}

/* A quoted name (a field, case or flag label), decoded. */
static bool name(CRead *r, char **s, size_t *len, const char *what) {
  if (cr_peek(r) != '"')
    return cr_fail(r, WG_ERR_MALFORMED, r->pos, r->pos + 1,
                   "expected a quoted %s", what);
  return cr_string(r, s, len);
}

/* Values up to the closing `)` (not consumed). */
static bool items(CRead *r, const WgCValTy *t, WgCVal *out, WgCValKind kind) {
  CItems l = { 0 };
  while (cr_peek(r) == '(') {
    const WgCValTy *e = t->kind == WG_CT_TUPLE ? NULL : t->elems[0];
    if (t->kind == WG_CT_TUPLE) {
      if (l.count == t->count) {
        cr_fail(r, WG_ERR_INVALID, r->pos, r->pos + 1,
                "too many items for a tuple of %u", t->count);
        goto fail;
      }
      e = t->elems[l.count];
    }
    WgCVal v;
    if (t->kind == WG_CT_MAP) {
      /* an entry: (tuple.const k v) */
      const WgCValTy *kv[2] = { t->elems[0], t->elems[1] };
      WgCValTy pair = { 0 };
      pair.kind = WG_CT_TUPLE;
      pair.count = 2;
      pair.elems = kv;
      if (!value(r, &pair, &v)) goto fail;
    } else if (!value(r, e, &v)) {
      goto fail;
    }
    if (!cr_push(r, &l, &v)) {
      wg_cval_free(&v);
      goto fail;
    }
  }
  if (t->kind == WG_CT_TUPLE && l.count != t->count) {
    cr_fail(r, WG_ERR_INVALID, r->pos, r->pos + 1,
            "a tuple of %zu items where %u are expected", l.count, t->count);
    goto fail;
  }
  if (t->kind == WG_CT_FIXED_LIST && l.count != t->length) {
    cr_fail(r, WG_ERR_INVALID, r->pos, r->pos + 1,
            "a list of %zu items where `list<_, %u>` needs %u", l.count,
            t->length, t->length);
    goto fail;
  }
  *out = cr_seq(kind, &l);
  return true;
fail:
  cr_items_free(&l);
  return false;
}

/* `(field "name" v)*` up to the closing `)`. */
static bool record(CRead *r, const WgCValTy *t, size_t start, WgCVal *out) {
  WgCVal *fields = calloc(t->count ? t->count : 1, sizeof *fields);
  bool *present = calloc(t->count ? t->count : 1, sizeof *present);
  if (!fields || !present) {
    free(fields);
    free(present);
    return cr_nomem(r);
  }
  WgCVal rec = wg_cval_seq(WG_CVAL_RECORD, fields, t->count);
  bool ok = true;
  while (ok && cr_accept(r, '(')) {
    size_t at = r->pos;
    if (!head_is(cr_word(r, NULL), "field")) {
      ok = cr_fail(r, WG_ERR_MALFORMED, at, r->pos, "expected `(field ...)`");
      break;
    }
    cr_skip(r);
    at = r->pos;
    char *s;
    size_t len;
    if (!(ok = name(r, &s, &len, "field name"))) break;
    WgStr label = { s, len };
    int i = cr_label(t, label);
    if (i < 0 || present[i]) {
      if (i < 0)
        cr_fail_label(r, t, "field", label, at);
      else
        cr_fail(r, WG_ERR_INVALID, at, r->pos, "field \"%s\" given twice", s);
      free(s);
      ok = false;
      break;
    }
    free(s);
    /* `(field "a" (u32.const 1))` or `(field "a" u32.const 1)` */
    ok = cr_peek(r) == '(' ? value(r, t->elems[i], &fields[i])
                           : form(r, t->elems[i], &fields[i]);
    present[i] = ok;
    ok = ok && cr_expect(r, ')', "after a field");
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

/* An optional payload `v` before the closing `)`. */
static bool payload(CRead *r, const WgCValTy *pt, const char *what, size_t at,
                    WgCVal **out) {
  *out = NULL;
  bool given = cr_peek(r) == '(';
  if (!pt) {
    if (given)
      return cr_fail(r, WG_ERR_INVALID, at, r->pos + 1, "%s has no payload",
                     what);
    return true;
  }
  if (!given)
    return cr_fail(r, WG_ERR_INVALID, at, r->pos, "%s needs a payload", what);
  WgCVal v;
  if (!value(r, pt, &v)) return false;
  return (*out = cr_box(r, &v)) != NULL;
}

static bool cases(CRead *r, const WgCValTy *t, WgCValKind kind, WgCVal *out) {
  cr_skip(r);
  size_t at = r->pos;
  char *s;
  size_t len;
  if (!name(r, &s, &len, "case name")) return false;
  int i = cr_label(t, (WgStr){ s, len });
  if (i < 0) {
    cr_fail_label(r, t, "case", (WgStr){ s, len }, at);
    free(s);
    return false;
  }
  char what[96];
  snprintf(what, sizeof what, "case \"%.60s\"", s);
  free(s);
  WgCVal *p = NULL;
  if (!payload(r, kind == WG_CVAL_VARIANT ? t->elems[i] : NULL, what, at, &p))
    return false;
  *out = wg_cval_case(kind, (uint32_t)i, p);
  return true;
}

static bool flags(CRead *r, const WgCValTy *t, WgCVal *out) {
  uint32_t bits = 0;
  while (cr_peek(r) == '"') {
    size_t at = r->pos;
    char *s;
    size_t len;
    if (!cr_string(r, &s, &len)) return false;
    int i = cr_label(t, (WgStr){ s, len });
    if (i < 0 || i >= 32) {
      if (i < 0) cr_fail_label(r, t, "flag", (WgStr){ s, len }, at);
      free(s);
      return i < 0 ? false
                   : cr_fail(r, WG_ERR_INVALID, at, r->pos,
                             "more than 32 flags are not supported");
    }
    free(s);
    bits |= 1u << i;
  }
  *out = wg_cval_flags(bits);
  return true;
}

/* The `xx.const ...` inside a value's parentheses, up to its `)`. */
static bool form(CRead *r, const WgCValTy *t, WgCVal *out) {
  *out = cr_nothing();
  cr_skip(r);
  size_t at = r->pos;
  WgStr head = cr_word(r, NULL);
  if (!head.len)
    return cr_fail(r, WG_ERR_MALFORMED, at, at + 1,
                   "expected a value such as `(u32.const 1)`");
  int kind = wg_cval_kind_for(t);
  switch (kind) {
    case WG_CVAL_BOOL: {
      if (!head_is(head, "bool.const")) return mismatch(r, t, head, at);
      size_t vat = r->pos;
      WgStr w = cr_word(r, NULL);
      if (!head_is(w, "true") && !head_is(w, "false"))
        return cr_fail(r, WG_ERR_MALFORMED, vat, r->pos + 1,
                       "expected `true` or `false`");
      *out = wg_cval_bool(w.ptr[0] == 't');
      return true;
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
    case WG_CVAL_F64: {
      char want[16];
      snprintf(want, sizeof want, "%s.const", wg_cval_kind_name(kind));
      if (!head_is(head, want)) return mismatch(r, t, head, at);
      cr_skip(r);
      size_t vat = r->pos;
      return cr_number(r, (WgCValKind)kind, t, cr_word(r, NULL), vat, out);
    }
    case WG_CVAL_CHAR:
    case WG_CVAL_STRING: {
      bool ch = kind == WG_CVAL_CHAR;
      if (!head_is(head, ch ? "char.const" : "str.const"))
        return mismatch(r, t, head, at);
      cr_skip(r);
      size_t vat = r->pos;
      char *s;
      size_t len;
      if (!name(r, &s, &len, "string")) return false;
      if (!ch) {
        *out = wg_cval_string(s, len);
        return true;
      }
      uint32_t cp = 0;
      size_t k = len ? wg_utf8_decode((const uint8_t *)s, len, &cp) : 0;
      free(s);
      if (!k || k != len)
        return cr_fail(r, WG_ERR_INVALID, vat, r->pos,
                       "a char holds exactly one Unicode scalar value");
      *out = wg_cval_char(cp);
      return true;
    }
    case WG_CVAL_LIST:
      if (!head_is(head, "list.const")) return mismatch(r, t, head, at);
      return items(r, t, out, WG_CVAL_LIST);
    case WG_CVAL_TUPLE:
      if (!head_is(head, "tuple.const")) return mismatch(r, t, head, at);
      return items(r, t, out, WG_CVAL_TUPLE);
    case WG_CVAL_RECORD:
      if (!head_is(head, "record.const")) return mismatch(r, t, head, at);
      return record(r, t, at, out);
    case WG_CVAL_VARIANT:
    case WG_CVAL_ENUM: {
      bool var = kind == WG_CVAL_VARIANT;
      if (!head_is(head, var ? "variant.const" : "enum.const"))
        return mismatch(r, t, head, at);
      return cases(r, t, (WgCValKind)kind, out);
    }
    case WG_CVAL_OPTION: {
      bool some = head_is(head, "option.some");
      if (!some && !head_is(head, "option.none"))
        return mismatch(r, t, head, at);
      WgCVal *p = NULL;
      if (!payload(r, some ? t->elems[0] : NULL,
                   some ? "option.some" : "option.none", at, &p))
        return false;
      *out = wg_cval_case(WG_CVAL_OPTION, some, p);
      return true;
    }
    case WG_CVAL_RESULT: {
      bool ok = head_is(head, "result.ok");
      if (!ok && !head_is(head, "result.err")) return mismatch(r, t, head, at);
      WgCVal *p = NULL;
      if (!payload(r, t->elems[ok ? 0 : 1], ok ? "result.ok" : "result.err", at,
                   &p))
        return false;
      *out = wg_cval_case(WG_CVAL_RESULT, ok ? 0 : 1, p);
      return true;
    }
    case WG_CVAL_FLAGS:
      if (!head_is(head, "flags.const")) return mismatch(r, t, head, at);
      return flags(r, t, out);
    default:
      return mismatch(r, t, head, at);
  }
}

/* `( form )`. */
static bool value(CRead *r, const WgCValTy *t, WgCVal *out) {
  *out = cr_nothing();
  if (!cr_expect(r, '(', "before a value")) return false;
  if (!cr_enter(r)) return false;
  bool ok = form(r, t, out) && cr_expect(r, ')', "after a value");
  cr_leave(r);
  if (!ok) {
    wg_cval_free(out);
    *out = cr_nothing();
  }
  return ok;
}

WgStatus wg_cval_parse_wast(WgStr text, const WgCValTy *type,
                            const WgCValReadOptions *options, WgCVal *out,
                            WgDiagList *diags) {
  if (!out) return WG_ERR_MISUSE;
  *out = cr_nothing();
  if (!type) return WG_ERR_MISUSE;
  CRead r;
  cr_init(&r, text, options, diags, CREAD_WAST);
  if (value(&r, type, out) && cr_finish(&r, options ? options->end : NULL))
    return WG_OK;
  wg_cval_free(out);
  *out = cr_nothing();
  return r.status != WG_OK ? r.status : WG_ERR_MALFORMED;
}
