/* SPDX-License-Identifier: Apache-2.0 */
/* What the value readers share (see cread.h): the cursor, located errors,
 * comments, strings, numbers, labels and the building of values. */
#include "cread.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cinternal.h"
#include "utf8.h"

void cr_init(CRead *r, WgStr text, const WgCValReadOptions *opt,
             WgDiagList *diags, CReadSyntax syntax) {
  memset(r, 0, sizeof *r);
  r->s = text.ptr ? text.ptr : "";
  r->len = text.ptr ? text.len : 0;
  r->syntax = syntax;
  r->path = opt && opt->path ? opt->path : "<value>";
  r->pos = opt && opt->start < r->len ? opt->start : opt ? r->len : 0;
  if (opt && syntax == CREAD_WAVE) {
    r->lookup = opt->lookup;
    r->env = opt->env;
  }
  r->diags = diags;
}

/* Section: errors */

bool cr_fail(CRead *r, WgStatus code, size_t start, size_t end, const char *fmt,
             ...) {
  if (r->status != WG_OK) return false;
  r->status = code;
  if (!r->diags) return false;
  if (start > r->len) start = r->len;
  if (end < start) end = start;
  if (end > r->len) end = r->len;
  uint32_t file =
      wg_diag_list_add_file(r->diags, r->path, (WgStr){ r->s, r->len });
  WgSpan span = { file, (uint32_t)start, (uint32_t)end };
  va_list ap;
  va_start(ap, fmt);
  wg_diag_list_vaddf(r->diags, WG_SEVERITY_ERROR, code, &span, fmt, ap);
  va_end(ap);
  return false;
}

bool cr_nomem(CRead *r) {
  return cr_fail(r, WG_ERR_NOMEM, r->pos, r->pos, "out of memory");
}

bool cr_fail_type(CRead *r, const WgCValTy *t, size_t start, size_t end,
                  const char *found) {
  WgBuf b = { 0 };
  wg_cvalty_print(&b, t);
  const char *ty = b.data && !b.failed ? b.data : "?";
  const char *kind = wg_cvalty_kind_name(t);
  if (t->kind != WG_CT_PRIM && strcmp(ty, kind) != 0 && !strchr(ty, '<'))
    cr_fail(r, WG_ERR_INVALID, start, end, "expected `%s` (%s), found %s", ty,
            kind, found);
  else
    cr_fail(r, WG_ERR_INVALID, start, end, "expected `%s`, found %s", ty,
            found);
  wg_buf_free(&b);
  return false;
}

/* Section: the cursor */

static bool at(const CRead *r, size_t i, char c) {
  return i < r->len && r->s[i] == c;
}

void cr_skip(CRead *r) {
  for (;;) {
    while (r->pos < r->len && (r->s[r->pos] == ' ' || r->s[r->pos] == '\t' ||
                               r->s[r->pos] == '\n' || r->s[r->pos] == '\r'))
      r->pos++;
    if (r->syntax == CREAD_WAVE && at(r, r->pos, '/') &&
        at(r, r->pos + 1, '/')) {
      while (r->pos < r->len && r->s[r->pos] != '\n')
        r->pos++;
      continue;
    }
    if (r->syntax == CREAD_WAST && at(r, r->pos, ';') &&
        at(r, r->pos + 1, ';')) {
      while (r->pos < r->len && r->s[r->pos] != '\n')
        r->pos++;
      continue;
    }
    if (r->syntax == CREAD_WAST && at(r, r->pos, '(') &&
        at(r, r->pos + 1, ';')) {
      size_t start = r->pos, depth = 0;
      while (r->pos < r->len) {
        if (at(r, r->pos, '(') && at(r, r->pos + 1, ';')) {
          depth++;
          r->pos += 2;
        } else if (at(r, r->pos, ';') && at(r, r->pos + 1, ')')) {
          r->pos += 2;
          if (--depth == 0) break;
        } else {
          r->pos++;
        }
      }
      if (depth) {
        cr_fail(r, WG_ERR_MALFORMED, start, start + 2,
                "unterminated block comment");
        return;
      }
      continue;
    }
    return;
  }
}

int cr_peek(CRead *r) {
  cr_skip(r);
  return r->pos < r->len ? (unsigned char)r->s[r->pos] : -1;
}

bool cr_accept(CRead *r, char c) {
  if (cr_peek(r) != (unsigned char)c) return false;
  r->pos++;
  return true;
}

/* What is at the cursor, for messages: "`x`" or "the end". */
static void describe_next(CRead *r, char *out, size_t n) {
  if (r->pos >= r->len) {
    snprintf(out, n, "the end of the text");
    return;
  }
  uint32_t c;
  size_t k =
      wg_utf8_decode((const uint8_t *)r->s + r->pos, r->len - r->pos, &c);
  snprintf(out, n, "`%.*s`", (int)(k ? k : 1), r->s + r->pos);
}

bool cr_expect(CRead *r, char c, const char *where) {
  if (cr_accept(r, c)) return true;
  if (r->status != WG_OK) return false;
  char next[32];
  describe_next(r, next, sizeof next);
  return cr_fail(r, WG_ERR_MALFORMED, r->pos, r->pos + 1,
                 "expected `%c` %s, found %s", c, where, next);
}

bool cr_finish(CRead *r, size_t *end) {
  cr_skip(r);
  if (r->status != WG_OK) return false;
  if (end) {
    *end = r->pos;
    return true;
  }
  if (r->pos < r->len) {
    char next[32];
    describe_next(r, next, sizeof next);
    return cr_fail(r, WG_ERR_MALFORMED, r->pos, r->len,
                   "unexpected %s after the value", next);
  }
  return true;
}

/* Characters of words: labels, keywords (`u32.const`), numbers (`1e+5`,
 * `0x1p-3`; in wast also `1_000` and `nan:0x1`). */
static bool word_char(const CRead *r, char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
         c == '+' || (c == ':' && r->syntax == CREAD_WAST);
}

WgStr cr_word(CRead *r, bool *escaped) {
  cr_skip(r);
  bool esc = at(r, r->pos, '%');
  size_t start = r->pos + (esc ? 1 : 0), i = start;
  while (i < r->len && word_char(r, r->s[i]))
    i++;
  if (escaped) *escaped = esc;
  if (i == start) return (WgStr){ r->s + r->pos, 0 };
  r->pos = i;
  return (WgStr){ r->s + start, i - start };
}

bool cr_enter(CRead *r) {
  if (++r->depth > CREAD_MAX_DEPTH) {
    r->depth--;
    return cr_fail(r, WG_ERR_LIMIT, r->pos, r->pos + 1,
                   "value nested deeper than %d levels", CREAD_MAX_DEPTH);
  }
  return true;
}

/* Section: strings */

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* One escape after `\` at r->pos (which is past the backslash); appends
 * its bytes to `b`. */
static bool escape(CRead *r, WgBuf *b, size_t bs) {
  if (r->pos >= r->len)
    return cr_fail(r, WG_ERR_MALFORMED, bs, bs + 1, "unterminated string");
  char c = r->s[r->pos++];
  switch (c) {
    case 't':
      wg_buf_append(b, "\t", 1);
      return true;
    case 'n':
      wg_buf_append(b, "\n", 1);
      return true;
    case 'r':
      wg_buf_append(b, "\r", 1);
      return true;
    case '\'':
    case '"':
    case '\\':
      wg_buf_append(b, &c, 1);
      return true;
    case 'u': {
      if (!at(r, r->pos, '{'))
        return cr_fail(r, WG_ERR_MALFORMED, bs, r->pos,
                       "malformed escape: `\\u` needs `{HEX}`");
      size_t i = r->pos + 1;
      uint32_t cp = 0;
      size_t digits = 0;
      for (; i < r->len && hex_digit(r->s[i]) >= 0; i++, digits++) {
        cp = cp * 16 + (uint32_t)hex_digit(r->s[i]);
        if (cp > 0x10FFFF) break;
      }
      if (!at(r, i, '}') || digits == 0)
        return cr_fail(r, WG_ERR_MALFORMED, bs, i + 1,
                       "malformed escape: `\\u{HEX}` with 1 to 6 hex digits");
      uint8_t u[4];
      size_t n = cp <= 0x10FFFF ? wg_utf8_encode(cp, u) : 0;
      if (!n)
        return cr_fail(r, WG_ERR_MALFORMED, bs, i + 1,
                       "escape `\\u{%x}` is not a Unicode scalar value", cp);
      wg_buf_append(b, u, n);
      r->pos = i + 1;
      return true;
    }
    default:
      if (r->syntax == CREAD_WAST && hex_digit(c) >= 0 && r->pos < r->len &&
          hex_digit(r->s[r->pos]) >= 0) {
        uint8_t byte = (uint8_t)(hex_digit(c) * 16 + hex_digit(r->s[r->pos]));
        r->pos++;
        wg_buf_append(b, &byte, 1);
        return true;
      }
      return cr_fail(r, WG_ERR_MALFORMED, bs, r->pos, "unknown escape `\\%c`%s",
                     c,
                     r->syntax == CREAD_WAVE
                         ? " (WAVE has \\t \\n \\r \\' \\\" \\\\ \\u{HEX})"
                         : "");
  }
}

/* A `"""` string (WAVE): a line break after the opening quotes; the
 * indentation of the closing line is removed from every line. */
static bool multiline(CRead *r, WgBuf *b) {
  size_t open = r->pos;
  r->pos += 3;
  if (at(r, r->pos, '\r')) r->pos++;
  if (!at(r, r->pos, '\n'))
    return cr_fail(r, WG_ERR_MALFORMED, open, r->pos,
                   "a multiline string starts with `\"\"\"` and a line break");
  r->pos++;
  /* find the closing line: spaces then `"""` */
  size_t close = r->pos, indent = 0;
  bool found = false;
  for (size_t line = r->pos; line <= r->len && !found;) {
    size_t i = line;
    while (at(r, i, ' '))
      i++;
    if (at(r, i, '"') && at(r, i + 1, '"') && at(r, i + 2, '"')) {
      found = true;
      close = line;
      indent = i - line;
      break;
    }
    while (i < r->len && r->s[i] != '\n')
      i++;
    if (i >= r->len) break;
    line = i + 1;
  }
  if (!found)
    return cr_fail(r, WG_ERR_MALFORMED, open, open + 3,
                   "unterminated multiline string");
  bool first = true;
  while (r->pos < close) {
    size_t line_start = r->pos;
    for (size_t k = 0; k < indent; k++) {
      if (!at(r, r->pos, ' '))
        return cr_fail(r, WG_ERR_MALFORMED, line_start, r->pos + 1,
                       "a line of a multiline string is indented less "
                       "than its closing `\"\"\"`");
      r->pos++;
    }
    if (!first) wg_buf_append(b, "\n", 1);
    first = false;
    while (r->pos < close && r->s[r->pos] != '\n' &&
           !(r->s[r->pos] == '\r' && at(r, r->pos + 1, '\n'))) {
      size_t here = r->pos;
      char c = r->s[r->pos++];
      if (c == '\\') {
        if (!escape(r, b, here)) return false;
      } else {
        wg_buf_append(b, &c, 1);
      }
    }
    if (at(r, r->pos, '\r')) r->pos++;
    if (at(r, r->pos, '\n')) r->pos++;
  }
  r->pos = close + indent + 3;
  return true;
}

bool cr_string(CRead *r, char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  cr_skip(r);
  size_t open = r->pos;
  char quote = at(r, open, '\'') ? '\'' : '"';
  WgBuf b = { 0 };
  bool ok = true;
  if (quote == '"' && r->syntax == CREAD_WAVE && at(r, open + 1, '"') &&
      at(r, open + 2, '"')) {
    ok = multiline(r, &b);
  } else {
    r->pos++;
    for (;;) {
      if (r->pos >= r->len || r->s[r->pos] == '\n') {
        ok =
            cr_fail(r, WG_ERR_MALFORMED, open, r->pos,
                    quote == '"' ? "unterminated string" : "unterminated char");
        break;
      }
      size_t here = r->pos;
      char c = r->s[r->pos++];
      if (c == quote) break;
      if (c == '\\') {
        if (!(ok = escape(r, &b, here))) break;
      } else {
        wg_buf_append(&b, &c, 1);
      }
    }
  }
  size_t bad;
  if (ok && b.failed) ok = cr_nomem(r);
  if (ok && !wg_utf8_valid((const uint8_t *)b.data, b.len, &bad))
    ok = cr_fail(r, WG_ERR_MALFORMED, open, r->pos,
                 "malformed UTF-8 encoding (byte %zu of the value)", bad);
  if (!ok) {
    wg_buf_free(&b);
    return false;
  }
  if (!b.data) wg_buf_append(&b, "", 1), b.len = 0; /* an allocation */
  if (b.failed) {
    wg_buf_free(&b);
    return cr_nomem(r);
  }
  *len = b.len;
  *out = wg_buf_take(&b, NULL);
  return *out != NULL || cr_nomem(r);
}

/* Section: numbers */

static bool is_signed(WgCValKind k) {
  return k == WG_CVAL_S8 || k == WG_CVAL_S16 || k == WG_CVAL_S32 ||
         k == WG_CVAL_S64;
}

/* The largest magnitude of an integer kind (negative: the minimum's). */
static uint64_t max_of(WgCValKind k, bool neg) {
  switch (k) {
    case WG_CVAL_S8:
      return neg ? 128 : 127;
    case WG_CVAL_U8:
      return 255;
    case WG_CVAL_S16:
      return neg ? 32768 : 32767;
    case WG_CVAL_U16:
      return 65535;
    case WG_CVAL_S32:
      return neg ? 2147483648u : 2147483647u;
    case WG_CVAL_U32:
      return 4294967295u;
    case WG_CVAL_S64:
      return neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    default:
      return UINT64_MAX;
  }
}

static bool integer(CRead *r, WgCValKind kind, WgStr tok, size_t start,
                    WgCVal *out) {
  size_t i = 0, end = start + tok.len;
  bool neg = false;
  if (i < tok.len && (tok.ptr[i] == '-' || tok.ptr[i] == '+')) {
    if (tok.ptr[i] == '+' && r->syntax == CREAD_WAVE)
      return cr_fail(r, WG_ERR_MALFORMED, start, end,
                     "malformed number `%.*s` (no `+` in WAVE)", (int)tok.len,
                     tok.ptr);
    neg = tok.ptr[i++] == '-';
  }
  unsigned base = 10;
  if (r->syntax == CREAD_WAST && i + 1 < tok.len && tok.ptr[i] == '0' &&
      (tok.ptr[i + 1] == 'x' || tok.ptr[i + 1] == 'X')) {
    base = 16;
    i += 2;
  }
  uint64_t v = 0;
  bool over = false, any = false;
  for (; i < tok.len; i++) {
    char c = tok.ptr[i];
    if (c == '_' && r->syntax == CREAD_WAST && any) continue;
    int d = hex_digit(c);
    if (d < 0 || (unsigned)d >= base) {
      bool floaty = c == '.' || c == 'e' || c == 'E';
      return cr_fail(r, floaty ? WG_ERR_INVALID : WG_ERR_MALFORMED, start, end,
                     "%s `%.*s`: %s expects an integer",
                     floaty ? "not an integer:" : "malformed number",
                     (int)tok.len, tok.ptr, wg_cval_kind_name(kind));
    }
    any = true;
    if (v > (UINT64_MAX - (uint64_t)d) / base) over = true;
    v = v * base + (uint64_t)d;
  }
  if (!any)
    return cr_fail(r, WG_ERR_MALFORMED, start, end, "malformed number `%.*s`",
                   (int)tok.len, tok.ptr);
  /* wast writes unsigned patterns for signed kinds too: (s8.const 0xff) */
  bool pattern = r->syntax == CREAD_WAST && is_signed(kind) && !neg && !over &&
                 v > max_of(kind, false) &&
                 v <= (kind == WG_CVAL_S64   ? UINT64_MAX
                       : kind == WG_CVAL_S32 ? 0xffffffffu
                       : kind == WG_CVAL_S16 ? 0xffffu
                                             : 0xffu);
  if (pattern) {
    unsigned bits = kind == WG_CVAL_S64   ? 64
                    : kind == WG_CVAL_S32 ? 32
                    : kind == WG_CVAL_S16 ? 16
                                          : 8;
    *out = wg_cval_int(kind, bits == 64 ? (int64_t)v
                                        : (int64_t)v - (int64_t)(1ull << bits));
    return true;
  }
  if (over || v > max_of(kind, neg) || (neg && !is_signed(kind) && v != 0))
    return cr_fail(r, WG_ERR_INVALID, start, end, "%.*s is out of range for %s",
                   (int)tok.len, tok.ptr, wg_cval_kind_name(kind));
  if (is_signed(kind))
    *out = wg_cval_int(kind, neg ? (int64_t)(0 - v) : (int64_t)v);
  else
    *out = wg_cval_uint(kind, v);
  return true;
}

/* WAVE floats: JSON numbers. */
static bool json_number(WgStr t) {
  size_t i = 0;
  if (i < t.len && t.ptr[i] == '-') i++;
  size_t d = i;
  while (i < t.len && t.ptr[i] >= '0' && t.ptr[i] <= '9')
    i++;
  if (i == d) return false;
  if (i < t.len && t.ptr[i] == '.') {
    size_t f = ++i;
    while (i < t.len && t.ptr[i] >= '0' && t.ptr[i] <= '9')
      i++;
    if (i == f) return false;
  }
  if (i < t.len && (t.ptr[i] == 'e' || t.ptr[i] == 'E')) {
    i++;
    if (i < t.len && (t.ptr[i] == '+' || t.ptr[i] == '-')) i++;
    size_t e = i;
    while (i < t.len && t.ptr[i] >= '0' && t.ptr[i] <= '9')
      i++;
    if (i == e) return false;
  }
  return i == t.len;
}

static bool float_value(CRead *r, WgCValKind kind, WgStr tok, size_t start,
                        WgCVal *out) {
  char buf[128];
  size_t n = 0, end = start + tok.len;
  bool is32 = kind == WG_CVAL_F32;
  for (size_t i = 0; i < tok.len; i++) {
    if (tok.ptr[i] == '_' && r->syntax == CREAD_WAST) continue;
    if (n + 1 >= sizeof buf)
      return cr_fail(r, WG_ERR_MALFORMED, start, end, "number too long");
    buf[n++] = tok.ptr[i];
  }
  buf[n] = 0;
  const char *p = buf;
  bool neg = *p == '-';
  if (*p == '-' || (*p == '+' && r->syntax == CREAD_WAST)) p++;
  if (strcmp(p, "inf") == 0) {
    if (r->syntax == CREAD_WAVE && buf[0] == '+') goto bad;
    *out = is32 ? wg_cval_f32(neg ? -INFINITY : INFINITY)
                : wg_cval_f64(neg ? -(double)INFINITY : (double)INFINITY);
    return true;
  }
  if (strncmp(p, "nan", 3) == 0) {
    uint64_t payload = 0;
    if (p[3] == ':' && r->syntax == CREAD_WAST) {
      char *e;
      errno = 0;
      payload = strtoull(p + 4, &e, 16);
      if (errno || *e || strncmp(p + 4, "0x", 2) != 0 || !payload ||
          payload > (is32 ? 0x7fffffull : 0xfffffffffffffull))
        goto bad;
    } else if (p[3] || (neg && r->syntax == CREAD_WAVE)) {
      goto bad;
    }
    if (is32) {
      uint32_t bits = 0x7f800000u | (payload ? (uint32_t)payload : 0x400000u);
      if (neg) bits |= 0x80000000u;
      float f;
      memcpy(&f, &bits, 4);
      *out = wg_cval_f32(f);
    } else {
      uint64_t bits = 0x7ff0000000000000ull | (payload ? payload : 1ull << 51);
      if (neg) bits |= 1ull << 63;
      double d;
      memcpy(&d, &bits, 8);
      *out = wg_cval_f64(d);
    }
    return true;
  }
  if (r->syntax == CREAD_WAVE && !json_number(tok)) goto bad;
  if (r->syntax == CREAD_WAST) {
    /* digits, hex digits, one point, an exponent: what strtod reads */
    for (const char *q = p; *q; q++)
      if (!word_char(r, *q) || *q == ':' || *q == '-' || *q == '+') {
        if ((*q == '-' || *q == '+') &&
            (q[-1] == 'e' || q[-1] == 'E' || q[-1] == 'p' || q[-1] == 'P'))
          continue;
        goto bad;
      }
  }
  char *e;
  errno = 0;
  if (is32) {
    float f = strtof(buf, &e);
    if (*e || e == buf) goto bad;
    if (isinf(f))
      return cr_fail(r, WG_ERR_INVALID, start, end,
                     "%s is out of range for f32", buf);
    *out = wg_cval_f32(f);
  } else {
    double d = strtod(buf, &e);
    if (*e || e == buf) goto bad;
    if (isinf(d))
      return cr_fail(r, WG_ERR_INVALID, start, end,
                     "%s is out of range for f64", buf);
    *out = wg_cval_f64(d);
  }
  return true;
bad:
  return cr_fail(r, WG_ERR_MALFORMED, start, end, "malformed number `%.*s`",
                 (int)tok.len, tok.ptr);
}

bool cr_number(CRead *r, WgCValKind kind, const WgCValTy *t, WgStr tok,
               size_t start, WgCVal *out) {
  (void)t;
  if (!tok.len) {
    char next[32];
    describe_next(r, next, sizeof next);
    return cr_fail(r, WG_ERR_MALFORMED, start, start + 1,
                   "expected a number (%s), found %s", wg_cval_kind_name(kind),
                   next);
  }
  if (kind == WG_CVAL_F32 || kind == WG_CVAL_F64)
    return float_value(r, kind, tok, start, out);
  return integer(r, kind, tok, start, out);
}

/* Section: labels */

int cr_label(const WgCValTy *t, WgStr name) {
  if (!t->labels) return -1;
  for (uint32_t i = 0; i < t->count; i++)
    if (wg_str_eq(t->labels[i], name)) return (int)i;
  return -1;
}

bool cr_fail_label(CRead *r, const WgCValTy *t, const char *what, WgStr name,
                   size_t start) {
  WgBuf b = { 0 };
  for (uint32_t i = 0; i < t->count && i < 32; i++) {
    if (i) wg_buf_append(&b, ", ", 2);
    wg_buf_append(&b, t->labels[i].ptr, t->labels[i].len);
  }
  if (t->count > 32) wg_buf_append(&b, ", ...", 5);
  WgBuf ty = { 0 };
  wg_cvalty_print(&ty, t);
  cr_fail(r, WG_ERR_INVALID, start, start + name.len + 1,
          "unknown %s `%.*s`: `%s` has %s", what, (int)name.len, name.ptr,
          ty.data ? ty.data : "?", b.len ? b.data : "none");
  wg_buf_free(&b);
  wg_buf_free(&ty);
  return false;
}

/* Section: building values */

bool cr_push(CRead *r, CItems *l, const WgCVal *v) {
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    WgCVal *n = realloc(l->items, cap * sizeof *n);
    if (!n) return cr_nomem(r);
    l->items = n;
    l->cap = cap;
  }
  l->items[l->count++] = *v;
  return true;
}

void cr_items_free(CItems *l) {
  for (size_t i = 0; i < l->count; i++)
    wg_cval_free(&l->items[i]);
  free(l->items);
  memset(l, 0, sizeof *l);
}

WgCVal cr_seq(WgCValKind kind, CItems *l) {
  WgCVal v = wg_cval_seq(kind, l->count ? l->items : NULL, l->count);
  if (!l->count) free(l->items);
  memset(l, 0, sizeof *l);
  return v;
}

WgCVal *cr_box(CRead *r, WgCVal *v) {
  WgCVal *p = malloc(sizeof *p);
  if (!p) {
    wg_cval_free(v);
    cr_nomem(r);
    return NULL;
  }
  *p = *v;
  return p;
}

bool cr_complete_record(CRead *r, const WgCValTy *t, WgCVal *fields,
                        const bool *present, size_t start) {
  for (uint32_t i = 0; i < t->count; i++) {
    if (present[i]) continue;
    if (t->elems[i]->kind == WG_CT_OPTION) {
      fields[i] = wg_cval_case(WG_CVAL_OPTION, 0, NULL);
      continue;
    }
    WgBuf ty = { 0 };
    wg_cvalty_print(&ty, t->elems[i]);
    cr_fail(r, WG_ERR_INVALID, start, r->pos, "missing field `%.*s` (%s)",
            (int)t->labels[i].len, t->labels[i].ptr, ty.data ? ty.data : "?");
    wg_buf_free(&ty);
    return false;
  }
  return true;
}

bool cr_variable(CRead *r, const WgCValTy *t, WgCVal *out) {
  size_t start = r->pos;
  r->pos++; /* `$` */
  WgStr name = cr_word(r, NULL);
  if (!name.len)
    return cr_fail(r, WG_ERR_MALFORMED, start, start + 1,
                   "expected a name after `$`");
  const WgCVal *v = r->lookup ? r->lookup(r->env, name) : NULL;
  if (!r->lookup)
    return cr_fail(r, WG_ERR_INVALID, start, r->pos,
                   "`$%.*s`: no variables here", (int)name.len, name.ptr);
  if (!v)
    return cr_fail(r, WG_ERR_INVALID, start, r->pos, "unknown variable `$%.*s`",
                   (int)name.len, name.ptr);
  WgCVal copy = *v;
  if (t->kind == WG_CT_BORROW && copy.kind == WG_CVAL_OWN)
    copy.kind = WG_CVAL_BORROW;
  WgBuf why = { 0 };
  if (!wg_cval_check(&copy, t, &why)) {
    WgBuf ty = { 0 };
    wg_cvalty_print(&ty, t);
    cr_fail(r, WG_ERR_INVALID, start, r->pos,
            "`$%.*s` is not a value of `%s`: %s", (int)name.len, name.ptr,
            ty.data ? ty.data : "?", why.data ? why.data : "");
    wg_buf_free(&ty);
    wg_buf_free(&why);
    return false;
  }
  wg_buf_free(&why);
  if (wg_cval_clone(&copy, out) != WG_OK) return cr_nomem(r);
  return true;
}
