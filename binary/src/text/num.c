/* SPDX-License-Identifier: Apache-2.0 */
/* Number and string literals of the text format (spec: core text format,
 * 6.3.1 Integers, 6.3.2 Floating-point, 6.3.3 Strings). Floats are rounded
 * by the C library (strtof / strtod round correctly, hex floats included);
 * this file checks the grammar (digits separated by single underscores)
 * and the ranges. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "utf8.h"

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Reads `digit ('_'? digit)*` at s[*i..n) in base 10 or 16; false when not
 * at least one digit or an underscore is misplaced. Saturates *value and
 * sets *overflow past 2^64. */
static bool digits(const char *s, size_t n, size_t *i, bool hex,
                   uint64_t *value, bool *overflow) {
  size_t start = *i;
  uint64_t v = 0;
  unsigned base = hex ? 16 : 10;
  while (*i < n) {
    char c = s[*i];
    int d = hex ? hexval(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
    if (d < 0) {
      if (c != '_' || *i == start || *i + 1 >= n) break;
      char e = s[*i + 1];
      bool next = hex ? hexval(e) >= 0 : (e >= '0' && e <= '9');
      if (!next) return false;
      (*i)++;
      continue;
    }
    if (v > (UINT64_MAX - (uint64_t)d) / base) *overflow = true;
    v = v * base + (uint64_t)d;
    (*i)++;
  }
  if (*i == start || s[*i - 1] == '_') return false;
  *value = v;
  return true;
}

/* An unsigned literal: num | 0x hexnum. */
static bool parse_unsigned(const char *s, size_t n, uint64_t *out,
                           bool *overflow) {
  size_t i = 0;
  bool hex = n > 2 && s[0] == '0' && s[1] == 'x';
  if (hex) i = 2;
  *overflow = false;
  if (!digits(s, n, &i, hex, out, overflow)) return false;
  return i == n;
}

bool wat_tok_u64(const WatParser *p, const WatTok *t, uint64_t *out) {
  if (t->kind != WAT_NUM) return false;
  bool overflow;
  if (!parse_unsigned(p->text + t->start, t->len, out, &overflow)) return false;
  return !overflow;
}

bool wat_tok_u32(const WatParser *p, const WatTok *t, uint32_t *out) {
  uint64_t v;
  if (!wat_tok_u64(p, t, &v) || v > UINT32_MAX) return false;
  *out = (uint32_t)v;
  return true;
}

bool wat_int_bits(WgStr str, unsigned bits, uint64_t *out, bool *out_range) {
  const char *s = str.ptr;
  size_t n = str.len;
  *out_range = false;
  int sign = 0;
  if (n && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? -1 : 1;
    s++;
    n--;
  }
  uint64_t v;
  bool overflow;
  if (!parse_unsigned(s, n, &v, &overflow)) return false;
  uint64_t mask = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
  uint64_t half = (uint64_t)1 << (bits - 1);
  if (overflow) {
    *out_range = true;
  } else if (sign == 0) {
    *out_range = v > mask;
  } else if (sign > 0) {
    *out_range = v >= half;
  } else {
    *out_range = v > half;
    v = (uint64_t)0 - v;
  }
  *out = v & mask;
  return true;
}

/* Copies the float literal without underscores into buf (NUL-terminated),
 * checking the grammar: num ('.' num?)? ([eE] sign? num)? or the hex
 * variant with [pP]. `hex` tells which. */
static bool float_grammar(const char *s, size_t n, bool hex, char *buf) {
  size_t i = hex ? 2 : 0, o = 0;
  uint64_t ignored;
  bool ov = false;
  if (hex) {
    buf[o++] = '0';
    buf[o++] = 'x';
  }
  size_t from = i;
  if (!digits(s, n, &i, hex, &ignored, &ov)) return false;
  for (size_t k = from; k < i; k++)
    if (s[k] != '_') buf[o++] = s[k];
  if (i < n && s[i] == '.') {
    buf[o++] = s[i++];
    if (i < n && (hex ? hexval(s[i]) >= 0 : (s[i] >= '0' && s[i] <= '9'))) {
      from = i;
      if (!digits(s, n, &i, hex, &ignored, &ov)) return false;
      for (size_t k = from; k < i; k++)
        if (s[k] != '_') buf[o++] = s[k];
    }
  }
  if (i < n &&
      (hex ? (s[i] == 'p' || s[i] == 'P') : (s[i] == 'e' || s[i] == 'E'))) {
    buf[o++] = s[i++];
    if (i < n && (s[i] == '+' || s[i] == '-')) buf[o++] = s[i++];
    from = i;
    if (!digits(s, n, &i, false, &ignored, &ov)) return false;
    for (size_t k = from; k < i; k++)
      if (s[k] != '_') buf[o++] = s[k];
  }
  buf[o] = '\0';
  return i == n;
}

/* Common part of f32/f64: sign, inf, nan[:0xN], or a finite literal parsed
 * to double or float by `strto`. */
typedef enum FloatForm { FLOAT_FINITE, FLOAT_INF, FLOAT_NAN } FloatForm;

static bool float_parse(WgStr str, bool single, FloatForm *form, bool *neg,
                        uint64_t *payload, bool *has_payload, double *d,
                        float *f, bool *out_range) {
  const char *s = str.ptr;
  size_t n = str.len;
  *neg = false;
  *has_payload = false;
  *out_range = false;
  if (n && (s[0] == '+' || s[0] == '-')) {
    *neg = s[0] == '-';
    s++;
    n--;
  }
  if (n == 3 && memcmp(s, "inf", 3) == 0) {
    *form = FLOAT_INF;
    return true;
  }
  if (n >= 3 && memcmp(s, "nan", 3) == 0) {
    *form = FLOAT_NAN;
    if (n == 3) return true;
    if (n < 7 || memcmp(s + 3, ":0x", 3) != 0) return false;
    size_t i = 6;
    bool ov = false;
    if (!digits(s, n, &i, true, payload, &ov) || i != n) return false;
    *has_payload = true;
    uint64_t max = single ? 0x7fffff : 0xfffffffffffffull;
    if (ov || *payload == 0 || *payload > max) *out_range = true;
    return true;
  }
  *form = FLOAT_FINITE;
  if (n == 0 || !(s[0] >= '0' && s[0] <= '9')) return false;
  bool hex = n > 2 && s[0] == '0' && s[1] == 'x';
  char small[128];
  char *buf = n + 4 <= sizeof small ? small : malloc(n + 4);
  if (!buf) return false;
  bool ok = float_grammar(s, n, hex, buf);
  if (ok) {
    errno = 0;
    if (single) {
      *f = strtof(buf, NULL);
      if (isinf(*f)) *out_range = true;
    } else {
      *d = strtod(buf, NULL);
      if (isinf(*d)) *out_range = true;
    }
  }
  if (buf != small) free(buf);
  return ok;
}

bool wat_f32_bits(WgStr s, uint32_t *out, bool *out_range) {
  FloatForm form;
  bool neg, has_payload;
  uint64_t payload = 0;
  double d = 0;
  float f = 0;
  if (!float_parse(s, true, &form, &neg, &payload, &has_payload, &d, &f,
                   out_range))
    return false;
  uint32_t bits;
  switch (form) {
    case FLOAT_INF:
      bits = 0x7f800000u;
      break;
    case FLOAT_NAN:
      bits = 0x7f800000u | (has_payload ? (uint32_t)payload : 0x400000u);
      break;
    default:
      memcpy(&bits, &f, 4);
  }
  if (neg) bits |= 0x80000000u;
  *out = bits;
  return true;
}

bool wat_f64_bits(WgStr s, uint64_t *out, bool *out_range) {
  FloatForm form;
  bool neg, has_payload;
  uint64_t payload = 0;
  double d = 0;
  float f = 0;
  if (!float_parse(s, false, &form, &neg, &payload, &has_payload, &d, &f,
                   out_range))
    return false;
  uint64_t bits;
  switch (form) {
    case FLOAT_INF:
      bits = 0x7ff0000000000000ull;
      break;
    case FLOAT_NAN:
      bits =
          0x7ff0000000000000ull | (has_payload ? payload : 0x8000000000000ull);
      break;
    default:
      memcpy(&bits, &d, 8);
  }
  if (neg) bits |= 0x8000000000000000ull;
  *out = bits;
  return true;
}

/* ---- strings ------------------------------------------------------------ */

void wat_string_decode(const WatParser *p, const WatTok *t, WgBuf *out) {
  const char *s = p->text + t->start;
  size_t n = t->len;
  /* quoted ids: skip the `$`; both: skip the quotes */
  if (s[0] == '$') {
    s++;
    n--;
  }
  s++;
  n -= 2;
  if (!(t->flags & WAT_TF_ESCAPES)) {
    wg_buf_append(out, s, n);
    return;
  }
  for (size_t i = 0; i < n;) {
    if (s[i] != '\\') {
      size_t j = i;
      while (j < n && s[j] != '\\')
        j++;
      wg_buf_append(out, s + i, j - i);
      i = j;
      continue;
    }
    char c = s[i + 1];
    i += 2;
    switch (c) {
      case 't':
        wg_buf_putc(out, '\t');
        break;
      case 'n':
        wg_buf_putc(out, '\n');
        break;
      case 'r':
        wg_buf_putc(out, '\r');
        break;
      case '"':
      case '\'':
      case '\\':
        wg_buf_putc(out, c);
        break;
      case 'u': {
        uint32_t v = 0;
        i++; /* { */
        while (s[i] != '}') {
          if (s[i] != '_') v = v * 16 + (uint32_t)hexval(s[i]);
          i++;
        }
        i++;
        uint8_t enc[4];
        size_t k = wg_utf8_encode(v, enc);
        wg_buf_append(out, enc, k);
        break;
      }
      default:
        wg_buf_putc(out, (char)(hexval(c) * 16 + hexval(s[i])));
        i++;
    }
  }
}

WgStr wat_string(WatParser *p, const WatTok *t) {
  const char *s = p->text + t->start;
  if (!(t->flags & WAT_TF_ESCAPES)) {
    size_t skip = s[0] == '$' ? 2 : 1;
    return (WgStr){ s + skip, t->len - skip - 1 };
  }
  WgBuf b = { 0 };
  wat_string_decode(p, t, &b);
  if (b.failed) {
    wg_buf_free(&b);
    wat_nomem(p);
    return (WgStr){ NULL, 0 };
  }
  WgStr r = wg_arena_strdup(p->arena, (WgStr){ b.data ? b.data : "", b.len });
  wg_buf_free(&b);
  if (!r.ptr) wat_nomem(p);
  return r;
}

WgStr wat_id_name(WatParser *p, const WatTok *t) {
  if (t->flags & WAT_TF_QUOTED) return wat_string(p, t);
  return (WgStr){ p->text + t->start + 1, t->len - 1 };
}
