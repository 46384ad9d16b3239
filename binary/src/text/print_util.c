/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the printers (print.h): reading the binary, strings, floats
 * and identifiers in the forms wasm-tools prints them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leb128.h"
#include "print.h"
#include "utf8.h"

/* ---- reading ------------------------------------------------------------ */

bool pr_fail(PrReader *r, const char *msg) {
  if (!r->failed) {
    r->failed = true;
    r->error = msg;
    r->error_offset = (size_t)(r->pos - r->base);
  }
  r->pos = r->end;
  return false;
}

uint8_t pr_u8(PrReader *r) {
  if (r->pos >= r->end) return pr_fail(r, "unexpected end"), 0;
  return *r->pos++;
}

uint32_t pr_u32(PrReader *r) {
  uint32_t v = 0;
  if (!wg_leb_u32(&r->pos, r->end, &v))
    return pr_fail(r, r->pos >= r->end ? "unexpected end"
                                       : "malformed LEB128 integer"),
           0;
  return v;
}

uint64_t pr_u64(PrReader *r) {
  uint64_t v = 0;
  if (!wg_leb_u64(&r->pos, r->end, &v))
    return pr_fail(r, "malformed LEB128 integer"), 0;
  return v;
}

int32_t pr_s32(PrReader *r) {
  int32_t v = 0;
  if (!wg_leb_s32(&r->pos, r->end, &v))
    return pr_fail(r, "malformed LEB128 integer"), 0;
  return v;
}

int64_t pr_s64(PrReader *r) {
  int64_t v = 0;
  if (!wg_leb_s64(&r->pos, r->end, &v))
    return pr_fail(r, "malformed LEB128 integer"), 0;
  return v;
}

int64_t pr_s33(PrReader *r) {
  int64_t v = 0;
  if (!wg_leb_s33(&r->pos, r->end, &v))
    return pr_fail(r, "malformed LEB128 integer"), 0;
  return v;
}

const uint8_t *pr_bytes(PrReader *r, size_t n) {
  if ((size_t)(r->end - r->pos) < n) return pr_fail(r, "unexpected end"), NULL;
  const uint8_t *p = r->pos;
  r->pos += n;
  return p;
}

WgStr pr_name(PrReader *r) {
  uint32_t n = pr_u32(r);
  const uint8_t *p = pr_bytes(r, n);
  return p ? (WgStr){ (const char *)p, n } : (WgStr){ "", 0 };
}

/* ---- output ------------------------------------------------------------- */

void pr_indent(WgBuf *out, int level) {
  static const char spaces[] = "                                ";
  int n = level * 2;
  while (n > 0) {
    int k = n > 32 ? 32 : n;
    wg_buf_append(out, spaces, (size_t)k);
    n -= k;
  }
}

void pr_udec(WgBuf *out, uint64_t v) {
  char digits[20];
  size_t n = sizeof digits;
  do {
    digits[--n] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  wg_buf_append(out, digits + n, sizeof digits - n);
}

void pr_sdec(WgBuf *out, int64_t v) {
  if (v < 0) {
    wg_buf_putc(out, '-');
    pr_udec(out, 0 - (uint64_t)v);
  } else {
    pr_udec(out, (uint64_t)v);
  }
}

static bool plain_char(uint8_t c) {
  return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void pr_name_str(WgBuf *out, WgStr s) {
  wg_buf_putc(out, '"');
  const uint8_t *p = (const uint8_t *)s.ptr;
  for (size_t i = 0; i < s.len;) {
    size_t j = i;
    while (j < s.len && plain_char(p[j]))
      j++;
    wg_buf_append(out, p + i, j - i);
    if (j >= s.len) break;
    /* one UTF-8 character (names are valid UTF-8; a stray byte is
     * printed as its value) */
    uint32_t cp = p[j];
    size_t n = wg_utf8_decode(p + j, s.len - j, &cp);
    if (!n) {
      cp = p[j];
      n = 1;
    }
    wg_buf_printf(out, "\\u{%x}", cp);
    i = j + n;
  }
  wg_buf_putc(out, '"');
}

void pr_data_str(WgBuf *out, const uint8_t *p, size_t len) {
  static const char hex[] = "0123456789abcdef";
  wg_buf_putc(out, '"');
  for (size_t i = 0; i < len;) {
    size_t j = i;
    while (j < len && plain_char(p[j]))
      j++;
    wg_buf_append(out, p + i, j - i);
    if (j >= len) break;
    char esc[3] = { '\\', hex[p[j] >> 4], hex[p[j] & 15] };
    wg_buf_append(out, esc, 3);
    i = j + 1;
  }
  wg_buf_putc(out, '"');
}

const char *pr_valtype_name(uint8_t b) {
  switch (b) {
    case 0x7f:
      return "i32";
    case 0x7e:
      return "i64";
    case 0x7d:
      return "f32";
    case 0x7c:
      return "f64";
    case 0x7b:
      return "v128";
    case 0x70:
      return "funcref";
    case 0x6f:
      return "externref";
    default:
      return NULL;
  }
}

/* The shortest decimal digits that read back as the same float, written
 * out without an exponent (as Rust's Display for floats does). */
static void decimal(WgBuf *out, double v, bool single) {
  if (v == 0) {
    wg_buf_puts(out, signbit(v) ? "-0" : "0");
    return;
  }
  char buf[64];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
    if (single ? (strtof(buf, NULL) == (float)v) : (strtod(buf, NULL) == v))
      break;
  }
  /* buf: -?d(.ddd)?e[+-]XX */
  const char *s = buf;
  if (*s == '-') {
    wg_buf_putc(out, '-');
    s++;
  }
  char digits[32];
  int nd = 0;
  for (; *s && *s != 'e'; s++)
    if (*s != '.') digits[nd++] = *s;
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  int exp = atoi(s + 1);
  if (exp >= nd - 1) {
    wg_buf_append(out, digits, (size_t)nd);
    for (int i = 0; i < exp - (nd - 1); i++)
      wg_buf_putc(out, '0');
  } else if (exp >= 0) {
    wg_buf_append(out, digits, (size_t)exp + 1);
    wg_buf_putc(out, '.');
    wg_buf_append(out, digits + exp + 1, (size_t)(nd - exp - 1));
  } else {
    wg_buf_puts(out, "0.");
    for (int i = 0; i < -exp - 1; i++)
      wg_buf_putc(out, '0');
    wg_buf_append(out, digits, (size_t)nd);
  }
}

/* Hex digits of `mant` (`ndig` digits), trailing zeros dropped. */
static void hex_mantissa(WgBuf *out, uint64_t mant, int ndig) {
  char d[20];
  for (int i = ndig - 1; i >= 0; i--) {
    d[i] = "0123456789abcdef"[mant & 15];
    mant >>= 4;
  }
  while (ndig > 0 && d[ndig - 1] == '0')
    ndig--;
  wg_buf_append(out, d, (size_t)ndig);
}

/* The shared part of f32/f64: `mbits` mantissa bits, exponent bias. */
static void hex_float(WgBuf *out, bool neg, int exp_field, uint64_t mant,
                      int mbits, int bias, int max_exp_field) {
  if (neg) wg_buf_putc(out, '-');
  if (exp_field == max_exp_field) {
    if (mant == 0) {
      wg_buf_puts(out, "inf");
    } else if (mant == (uint64_t)1 << (mbits - 1)) {
      wg_buf_puts(out, "nan");
    } else {
      wg_buf_printf(out, "nan:0x%llx", (unsigned long long)mant);
    }
    return;
  }
  int ndig = (mbits + 3) / 4;
  int shift = ndig * 4 - mbits;
  if (exp_field == 0 && mant == 0) {
    wg_buf_puts(out, "0x0p+0");
    return;
  }
  int e;
  bool subnormal = exp_field == 0;
  if (subnormal) {
    e = 1 - bias;
    uint64_t top = (uint64_t)1 << mbits;
    while (!(mant & top)) {
      mant <<= 1;
      e--;
    }
    mant &= top - 1;
  } else {
    e = exp_field - bias;
  }
  wg_buf_puts(out, "0x1");
  if (mant || subnormal) {
    wg_buf_putc(out, '.');
    hex_mantissa(out, mant << shift, ndig);
  }
  wg_buf_printf(out, "p%+d", e);
}

void pr_f32(WgBuf *out, uint32_t bits) {
  hex_float(out, bits >> 31, (int)((bits >> 23) & 0xff), bits & 0x7fffff, 23,
            127, 0xff);
  wg_buf_puts(out, " (;=");
  float f;
  memcpy(&f, &bits, 4);
  if (isnan(f)) {
    wg_buf_puts(out, "NaN");
  } else if (isinf(f)) {
    wg_buf_puts(out, f < 0 ? "-inf" : "inf");
  } else {
    decimal(out, f, true);
  }
  wg_buf_puts(out, ";)");
}

void pr_f64(WgBuf *out, uint64_t bits) {
  hex_float(out, bits >> 63, (int)((bits >> 52) & 0x7ff),
            bits & 0xfffffffffffffull, 52, 1023, 0x7ff);
  wg_buf_puts(out, " (;=");
  double d;
  memcpy(&d, &bits, 8);
  if (isnan(d)) {
    wg_buf_puts(out, "NaN");
  } else if (isinf(d)) {
    wg_buf_puts(out, d < 0 ? "-inf" : "inf");
  } else {
    decimal(out, d, false);
  }
  wg_buf_puts(out, ";)");
}

/* ---- identifiers -------------------------------------------------------- */

static bool is_idchar(uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || strchr("!#$%&'*+-./:<=>?@\\^_`|~", c);
}

static bool plain_id(WgStr s) {
  if (!s.len) return false;
  for (size_t i = 0; i < s.len; i++)
    if (!is_idchar((uint8_t)s.ptr[i]) || s.ptr[i] == 0) return false;
  return true;
}

typedef struct Seen {
  WgStr *keys;
  uint32_t cap;
} Seen;

static uint32_t str_hash(WgStr s) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < s.len; i++)
    h = (h ^ (uint8_t)s.ptr[i]) * 16777619u;
  return h;
}

/* Inserts `s`; false when it was there already. */
static bool seen_add(Seen *t, WgStr s) {
  uint32_t mask = t->cap - 1;
  for (uint32_t i = str_hash(s) & mask;; i = (i + 1) & mask) {
    if (!t->keys[i].ptr) {
      t->keys[i] = s;
      return true;
    }
    if (t->keys[i].len == s.len && !memcmp(t->keys[i].ptr, s.ptr, s.len))
      return false;
  }
}

bool pr_ids_init(PrIds *ids, WgArena *arena, const char *kind, uint32_t count,
                 const uint32_t *indices, const WgStr *names, size_t n) {
  memset(ids, 0, sizeof *ids);
  ids->kind = kind;
  ids->count = count;
  if (!count || !n) return true;
  ids->names = wg_arena_zalloc(arena, count * sizeof *ids->names);
  ids->forms = wg_arena_zalloc(arena, count);
  uint32_t cap = 16;
  while (cap < n * 2)
    cap *= 2;
  Seen seen = { wg_arena_zalloc(arena, cap * sizeof(WgStr)), cap };
  if (!ids->names || !ids->forms || !seen.keys) return false;
  for (size_t i = 0; i < n; i++) {
    uint32_t idx = indices[i];
    if (idx >= count || ids->forms[idx]) continue; /* first wins */
    WgStr s = names[i];
    ids->names[idx] = s;
    /* empty names keep the `$"..."` form out of the id namespace; labels
     * may repeat (inner ones shadow outer ones) */
    bool fresh = s.len && (!strcmp(kind, "label") || seen_add(&seen, s));
    ids->forms[idx] = !fresh ? 3 : plain_id(s) ? 1 : 2;
  }
  return true;
}

static void print_id(WgBuf *out, const PrIds *ids, uint32_t index) {
  WgStr s = ids->names[index];
  switch (ids->forms[index]) {
    case 1:
      wg_buf_putc(out, '$');
      wg_buf_append_str(out, s);
      break;
    case 2:
      wg_buf_putc(out, '$');
      pr_name_str(out, s);
      break;
    default: {
      WgBuf tmp = { 0 };
      wg_buf_printf(&tmp, "#%s%u ", ids->kind, index);
      wg_buf_append_str(&tmp, s);
      wg_buf_putc(out, '$');
      pr_name_str(out, (WgStr){ tmp.data ? tmp.data : "", tmp.len });
      wg_buf_free(&tmp);
    }
  }
}

bool pr_ids_ref(WgBuf *out, const PrIds *ids, uint32_t index) {
  if (index >= ids->count || !ids->forms || !ids->forms[index]) return false;
  wg_buf_putc(out, ' ');
  print_id(out, ids, index);
  return true;
}

void pr_ids_use(WgBuf *out, const PrIds *ids, uint32_t index) {
  if (!pr_ids_ref(out, ids, index)) pr_sp_udec(out, index);
}

void pr_ids_def(WgBuf *out, const PrIds *ids, uint32_t index) {
  if (!pr_ids_ref(out, ids, index)) return;
  if (ids->forms[index] == 3) {
    wg_buf_puts(out, " (@name ");
    pr_name_str(out, ids->names[index]);
    wg_buf_putc(out, ')');
  }
}
