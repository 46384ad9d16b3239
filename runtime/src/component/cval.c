/* SPDX-License-Identifier: Apache-2.0 */
/* Component values (WgCVal): equality, checking against a resolved type,
 * printing in the WAVE syntax, and deep copies. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cinternal.h"
#include "utf8.h"

/* Section: equality */

static bool seq_kind(WgCValKind k) {
  return k == WG_CVAL_LIST || k == WG_CVAL_RECORD || k == WG_CVAL_TUPLE;
}

static bool case_kind(WgCValKind k) {
  return k == WG_CVAL_VARIANT || k == WG_CVAL_ENUM || k == WG_CVAL_OPTION ||
         k == WG_CVAL_RESULT;
}

static bool equal(const WgCVal *a, const WgCVal *b, int depth) {
  if (a == b) return true;
  if (!a || !b || a->kind != b->kind || depth > 1000) return false;
  switch (a->kind) {
    case WG_CVAL_BOOL:
      return a->of.b == b->of.b;
    case WG_CVAL_S8:
    case WG_CVAL_S16:
    case WG_CVAL_S32:
    case WG_CVAL_S64:
    case WG_CVAL_U8:
    case WG_CVAL_U16:
    case WG_CVAL_U32:
    case WG_CVAL_U64:
      return a->of.u == b->of.u;
    case WG_CVAL_F32:
      if (isnan(a->of.f32) || isnan(b->of.f32))
        return isnan(a->of.f32) && isnan(b->of.f32);
      return memcmp(&a->of.f32, &b->of.f32, sizeof(float)) == 0;
    case WG_CVAL_F64:
      if (isnan(a->of.f64) || isnan(b->of.f64))
        return isnan(a->of.f64) && isnan(b->of.f64);
      return memcmp(&a->of.f64, &b->of.f64, sizeof(double)) == 0;
    case WG_CVAL_CHAR:
      return a->of.ch == b->of.ch;
    case WG_CVAL_STRING:
      return a->of.str.len == b->of.str.len &&
             (!a->of.str.len ||
              memcmp(a->of.str.ptr, b->of.str.ptr, a->of.str.len) == 0);
    case WG_CVAL_FLAGS:
      return a->of.flags == b->of.flags;
    case WG_CVAL_OWN:
    case WG_CVAL_BORROW:
      return a->of.res.type == b->of.res.type && a->of.res.rep == b->of.res.rep;
    default:
      break;
  }
  if (seq_kind(a->kind)) {
    if (a->of.seq.count != b->of.seq.count) return false;
    for (size_t i = 0; i < a->of.seq.count; i++)
      if (!equal(&a->of.seq.items[i], &b->of.seq.items[i], depth + 1))
        return false;
    return true;
  }
  if (a->of.cases.index != b->of.cases.index) return false;
  if (!a->of.cases.payload || !b->of.cases.payload)
    return !a->of.cases.payload && !b->of.cases.payload;
  return equal(a->of.cases.payload, b->of.cases.payload, depth + 1);
}

bool wg_cval_equal(const WgCVal *a, const WgCVal *b) {
  return equal(a, b, 0);
}

/* Section: checking against a resolved type */

/* Appends the reason to `why` (may be NULL); returns false. */
static bool whyf(WgBuf *why, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool whyf(WgBuf *why, const char *fmt, ...) {
  if (why) {
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
      wg_buf_append(why, tmp, (size_t)n < sizeof tmp ? (size_t)n : 255);
  }
  return false;
}

int wg_cval_kind_for(const WgCValTy *t) {
  switch (t->kind) {
    case WG_CT_PRIM:
      switch (t->prim) {
        case WG_CPRIM_BOOL:
          return WG_CVAL_BOOL;
        case WG_CPRIM_S8:
          return WG_CVAL_S8;
        case WG_CPRIM_U8:
          return WG_CVAL_U8;
        case WG_CPRIM_S16:
          return WG_CVAL_S16;
        case WG_CPRIM_U16:
          return WG_CVAL_U16;
        case WG_CPRIM_S32:
          return WG_CVAL_S32;
        case WG_CPRIM_U32:
          return WG_CVAL_U32;
        case WG_CPRIM_S64:
          return WG_CVAL_S64;
        case WG_CPRIM_U64:
          return WG_CVAL_U64;
        case WG_CPRIM_F32:
          return WG_CVAL_F32;
        case WG_CPRIM_F64:
          return WG_CVAL_F64;
        case WG_CPRIM_CHAR:
          return WG_CVAL_CHAR;
        case WG_CPRIM_STRING:
          return WG_CVAL_STRING;
        default:
          return -1;
      }
    case WG_CT_RECORD:
      return WG_CVAL_RECORD;
    case WG_CT_VARIANT:
      return WG_CVAL_VARIANT;
    case WG_CT_LIST:
    case WG_CT_FIXED_LIST:
    case WG_CT_MAP:
      return WG_CVAL_LIST;
    case WG_CT_TUPLE:
      return WG_CVAL_TUPLE;
    case WG_CT_FLAGS:
      return WG_CVAL_FLAGS;
    case WG_CT_ENUM:
      return WG_CVAL_ENUM;
    case WG_CT_OPTION:
      return WG_CVAL_OPTION;
    case WG_CT_RESULT:
      return WG_CVAL_RESULT;
    case WG_CT_OWN:
      return WG_CVAL_OWN;
    case WG_CT_BORROW:
      return WG_CVAL_BORROW;
    default:
      return -1;
  }
}

const char *wg_cval_kind_name(int k) {
  static const char *const names[] = {
    "bool",    "s8",   "u8",     "s16",    "u16",    "s32",  "u32",    "s64",
    "u64",     "f32",  "f64",    "char",   "string", "list", "record", "tuple",
    "variant", "enum", "option", "result", "flags",  "own",  "borrow",
  };
  return k >= 0 && k <= WG_CVAL_BORROW ? names[k] : "?";
}

static bool check(const WgCVal *v, const WgCValTy *t, WgBuf *why, int depth);

/* Checks item `i` of a record, tuple or list and names it in the reason. */
static bool check_item(const WgCVal *v, const WgCValTy *t, const WgCValTy *e,
                       size_t i, WgBuf *why, int depth) {
  size_t mark = why ? why->len : 0;
  if (check(v, e, why, depth + 1)) return true;
  if (!why || why->failed) return false;
  /* put "field `x`: " or "item 3: " before what the item said */
  char pre[160];
  int n =
      t->kind == WG_CT_RECORD && t->labels
          ? snprintf(pre, sizeof pre, "field `%.*s`: ", (int)t->labels[i].len,
                     t->labels[i].ptr)
          : snprintf(pre, sizeof pre, "item %zu: ", i);
  if (n <= 0 || (size_t)n >= sizeof pre) return false;
  size_t inner = why->len - mark;
  wg_buf_append(why, pre, (size_t)n); /* grows the buffer */
  if (why->failed) return false;
  memmove(why->data + mark + (size_t)n, why->data + mark, inner);
  memcpy(why->data + mark, pre, (size_t)n);
  return false;
}

static bool check(const WgCVal *v, const WgCValTy *t, WgBuf *why, int depth) {
  int want = wg_cval_kind_for(t);
  if (!v) return whyf(why, "missing value for %s", wg_cval_kind_name(want));
  if (depth > 200) return whyf(why, "value nested too deeply");
  if (want < 0) return whyf(why, "type not supported");
  if ((int)v->kind != want)
    return whyf(why, "expected %s, found %s", wg_cval_kind_name(want),
                wg_cval_kind_name(v->kind));
  switch (v->kind) {
    case WG_CVAL_S8:
      return (v->of.s >= INT8_MIN && v->of.s <= INT8_MAX) ||
             whyf(why, "s8 out of range");
    case WG_CVAL_S16:
      return (v->of.s >= INT16_MIN && v->of.s <= INT16_MAX) ||
             whyf(why, "s16 out of range");
    case WG_CVAL_S32:
      return (v->of.s >= INT32_MIN && v->of.s <= INT32_MAX) ||
             whyf(why, "s32 out of range");
    case WG_CVAL_U8:
      return v->of.u <= UINT8_MAX || whyf(why, "u8 out of range");
    case WG_CVAL_U16:
      return v->of.u <= UINT16_MAX || whyf(why, "u16 out of range");
    case WG_CVAL_U32:
      return v->of.u <= UINT32_MAX || whyf(why, "u32 out of range");
    case WG_CVAL_CHAR:
      return (v->of.ch < 0xD800 ||
              (v->of.ch > 0xDFFF && v->of.ch < 0x110000)) ||
             whyf(why, "not a Unicode scalar value: %#x", v->of.ch);
    case WG_CVAL_STRING: {
      size_t bad;
      if (v->of.str.len && !v->of.str.ptr) return whyf(why, "NULL string");
      return wg_utf8_valid((const uint8_t *)v->of.str.ptr, v->of.str.len,
                           &bad) ||
             whyf(why, "string is not UTF-8 (byte %zu)", bad);
    }
    case WG_CVAL_FLAGS:
      return t->count >= 32 || v->of.flags < (1u << t->count) ||
             whyf(why, "flags beyond the %u labels", t->count);
    case WG_CVAL_OWN:
    case WG_CVAL_BORROW:
      return v->of.res.type || whyf(why, "resource without a type");
    case WG_CVAL_BOOL:
    case WG_CVAL_S64:
    case WG_CVAL_U64:
    case WG_CVAL_F32:
    case WG_CVAL_F64:
      return true;
    default:
      break;
  }
  if (seq_kind(v->kind)) {
    size_t count = v->of.seq.count;
    bool fixed = t->kind != WG_CT_LIST && t->kind != WG_CT_MAP;
    uint32_t want_n = t->kind == WG_CT_FIXED_LIST ? t->length : t->count;
    if (fixed && count != want_n)
      return whyf(why, "%s of %zu items where %u are expected",
                  wg_cval_kind_name(v->kind), count, want_n);
    if (count && !v->of.seq.items) return whyf(why, "NULL items");
    for (size_t i = 0; i < count; i++) {
      const WgCValTy *e = t->kind == WG_CT_RECORD || t->kind == WG_CT_TUPLE
                              ? t->elems[i]
                              : t->elems[0];
      if (t->kind == WG_CT_MAP) {
        const WgCVal *kv = &v->of.seq.items[i];
        if (kv->kind != WG_CVAL_TUPLE || kv->of.seq.count != 2)
          return whyf(why, "map entry %zu is not a 2-tuple", i);
        if (!check(&kv->of.seq.items[0], t->elems[0], why, depth + 1) ||
            !check(&kv->of.seq.items[1], t->elems[1], why, depth + 1))
          return false;
        continue;
      }
      if (!check_item(&v->of.seq.items[i], t, e, i, why, depth)) return false;
    }
    return true;
  }
  /* variant-likes */
  uint32_t cases =
      t->kind == WG_CT_OPTION || t->kind == WG_CT_RESULT ? 2 : t->count;
  uint32_t c = v->of.cases.index;
  if (c >= cases)
    return whyf(why, "%s case %u out of range", wg_cval_kind_name(v->kind), c);
  const WgCValTy *p = NULL;
  if (t->kind == WG_CT_VARIANT)
    p = t->elems[c];
  else if (t->kind == WG_CT_OPTION)
    p = c ? t->elems[0] : NULL;
  else if (t->kind == WG_CT_RESULT)
    p = t->elems[c];
  if (!p) return true;
  return check(v->of.cases.payload, p, why, depth + 1);
}

bool wg_cval_check(const WgCVal *v, const WgCValTy *type, WgBuf *why) {
  if (!type) return whyf(why, "no type");
  return check(v, type, why, 0);
}

/* Section: printing (WAVE) */

static void puts_(WgBuf *b, const char *s) {
  wg_buf_append(b, s, strlen(s));
}

static void printf_(WgBuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void printf_(WgBuf *b, const char *fmt, ...) {
  char tmp[64];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0) wg_buf_append(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : 63);
}

static void put_char(WgBuf *b, uint32_t c, char quote) {
  switch (c) {
    case '\n':
      puts_(b, "\\n");
      return;
    case '\t':
      puts_(b, "\\t");
      return;
    case '\r':
      puts_(b, "\\r");
      return;
    case '\\':
      puts_(b, "\\\\");
      return;
    default:
      break;
  }
  if (c == (uint32_t)quote) {
    char e[3] = { '\\', quote, 0 };
    puts_(b, e);
  } else if (c < 0x20 || c == 0x7F) {
    printf_(b, "\\u{%x}", c);
  } else {
    uint8_t u[4];
    size_t n = wg_utf8_encode(c, u);
    wg_buf_append(b, u, n);
  }
}

/* The shortest decimal digits that read back as `d` (as f32 when `is32`),
 * laid out as JavaScript's Number#toString lays them out: plain notation
 * for exponents -7 < e < 21 (`10`, `0.001`, `123456789`), else `1.5e-7`,
 * `1e+21`. */
static void put_float(WgBuf *b, double d, bool is32) {
  if (isnan(d)) {
    puts_(b, "nan");
    return;
  }
  if (isinf(d)) {
    puts_(b, d < 0 ? "-inf" : "inf");
    return;
  }
  if (d == 0) {
    puts_(b, signbit(d) ? "-0" : "0");
    return;
  }
  char e[48];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(e, sizeof e, "%.*e", prec - 1, d);
    if (is32 ? strtof(e, NULL) == (float)d : strtod(e, NULL) == d) break;
  }
  /* e: [-]D[.DDD]e(+|-)XX */
  const char *p = e;
  char digits[24];
  size_t n = 0;
  if (*p == '-') {
    puts_(b, "-");
    p++;
  }
  for (; *p && *p != 'e'; p++)
    if (*p != '.' && n < sizeof digits - 1) digits[n++] = *p;
  while (n > 1 && digits[n - 1] == '0')
    n--;
  int x = *p == 'e' ? atoi(p + 1) : 0;
  if (x >= 0 && x < 21) {
    for (int i = 0; i <= x || (size_t)i < n; i++) {
      if (i == x + 1) puts_(b, ".");
      char c = (size_t)i < n ? digits[i] : '0';
      wg_buf_append(b, &c, 1);
    }
  } else if (x < 0 && x > -7) {
    puts_(b, "0.");
    for (int i = -1; i > x; i--)
      puts_(b, "0");
    wg_buf_append(b, digits, n);
  } else {
    wg_buf_append(b, digits, 1);
    if (n > 1) {
      puts_(b, ".");
      wg_buf_append(b, digits + 1, n - 1);
    }
    printf_(b, "e%c%d", x < 0 ? '-' : '+', x < 0 ? -x : x);
  }
}

static WgStr label_of(const WgCValTy *t, uint32_t i) {
  if (t && t->labels && i < t->count) return t->labels[i];
  return (WgStr){ NULL, 0 };
}

static void print(WgBuf *b, const WgCVal *v, const WgCValTy *t, int depth) {
  if (!v) {
    puts_(b, "<null>");
    return;
  }
  if (depth > 100) {
    puts_(b, "...");
    return;
  }
  switch (v->kind) {
    case WG_CVAL_BOOL:
      puts_(b, v->of.b ? "true" : "false");
      return;
    case WG_CVAL_S8:
    case WG_CVAL_S16:
    case WG_CVAL_S32:
    case WG_CVAL_S64:
      printf_(b, "%lld", (long long)v->of.s);
      return;
    case WG_CVAL_U8:
    case WG_CVAL_U16:
    case WG_CVAL_U32:
    case WG_CVAL_U64:
      printf_(b, "%llu", (unsigned long long)v->of.u);
      return;
    case WG_CVAL_F32:
      put_float(b, v->of.f32, true);
      return;
    case WG_CVAL_F64:
      put_float(b, v->of.f64, false);
      return;
    case WG_CVAL_CHAR:
      puts_(b, "'");
      put_char(b, v->of.ch, '\'');
      puts_(b, "'");
      return;
    case WG_CVAL_STRING: {
      puts_(b, "\"");
      const uint8_t *s = (const uint8_t *)v->of.str.ptr;
      for (size_t i = 0; i < v->of.str.len;) {
        uint32_t c;
        size_t k = wg_utf8_decode(s + i, v->of.str.len - i, &c);
        if (!k) {
          printf_(b, "\\u{fffd}");
          i++;
          continue;
        }
        put_char(b, c, '"');
        i += k;
      }
      puts_(b, "\"");
      return;
    }
    case WG_CVAL_LIST:
    case WG_CVAL_TUPLE:
    case WG_CVAL_RECORD: {
      if (t && t->kind == WG_CT_MAP && v->kind == WG_CVAL_LIST) {
        /* a map: {k: v, ...} */
        puts_(b, "{");
        for (size_t i = 0; i < v->of.seq.count; i++) {
          const WgCVal *kv = &v->of.seq.items[i];
          if (i) puts_(b, ", ");
          bool pair = kv->kind == WG_CVAL_TUPLE && kv->of.seq.count == 2;
          print(b, pair ? &kv->of.seq.items[0] : kv, pair ? t->elems[0] : NULL,
                depth + 1);
          puts_(b, ": ");
          if (pair) print(b, &kv->of.seq.items[1], t->elems[1], depth + 1);
        }
        puts_(b, "}");
        return;
      }
      bool rec = v->kind == WG_CVAL_RECORD;
      puts_(b, v->kind == WG_CVAL_LIST ? "[" : rec ? "{" : "(");
      for (size_t i = 0; i < v->of.seq.count; i++) {
        if (i) puts_(b, ", ");
        const WgCValTy *e = NULL;
        if (t && t->elems)
          e = v->kind == WG_CVAL_LIST ? t->elems[0] : t->elems[i];
        if (rec) {
          WgStr l = label_of(t, (uint32_t)i);
          if (l.len)
            wg_buf_append(b, l.ptr, l.len);
          else
            printf_(b, "#%zu", i);
          puts_(b, ": ");
        }
        print(b, &v->of.seq.items[i], e, depth + 1);
      }
      puts_(b, v->kind == WG_CVAL_LIST ? "]" : rec ? "}" : ")");
      return;
    }
    case WG_CVAL_OPTION:
      if (!v->of.cases.index) {
        puts_(b, "none");
        return;
      }
      puts_(b, "some(");
      print(b, v->of.cases.payload, t && t->elems ? t->elems[0] : NULL,
            depth + 1);
      puts_(b, ")");
      return;
    case WG_CVAL_RESULT:
      puts_(b, v->of.cases.index ? "err" : "ok");
      if (v->of.cases.payload) {
        puts_(b, "(");
        print(b, v->of.cases.payload,
              t && t->elems ? t->elems[v->of.cases.index ? 1 : 0] : NULL,
              depth + 1);
        puts_(b, ")");
      }
      return;
    case WG_CVAL_VARIANT:
    case WG_CVAL_ENUM: {
      WgStr l = label_of(t, v->of.cases.index);
      if (l.len)
        wg_buf_append(b, l.ptr, l.len);
      else
        printf_(b, "#%u", v->of.cases.index);
      if (v->of.cases.payload) {
        puts_(b, "(");
        print(b, v->of.cases.payload,
              t && t->elems ? t->elems[v->of.cases.index] : NULL, depth + 1);
        puts_(b, ")");
      }
      return;
    }
    case WG_CVAL_FLAGS: {
      puts_(b, "{");
      bool first = true;
      for (uint32_t i = 0; i < 32; i++) {
        if (!(v->of.flags >> i & 1)) continue;
        if (!first) puts_(b, ", ");
        first = false;
        WgStr l = label_of(t, i);
        if (l.len)
          wg_buf_append(b, l.ptr, l.len);
        else
          printf_(b, "#%u", i);
      }
      puts_(b, "}");
      return;
    }
    case WG_CVAL_OWN:
    case WG_CVAL_BORROW: {
      WgStr n = wg_cresource_type_name(v->of.res.type);
      puts_(b, v->kind == WG_CVAL_OWN ? "own<" : "borrow<");
      wg_buf_append(b, n.ptr, n.len);
      printf_(b, ">(%u)", v->of.res.rep);
      return;
    }
  }
}

void wg_cval_print(WgBuf *out, const WgCVal *v, const WgCValTy *type) {
  print(out, v, type, 0);
}

/* Section: deep copies */

static bool clone(const WgCVal *v, WgCVal *out, int depth) {
  *out = *v;
  if (depth > 1000) return false;
  if (v->kind == WG_CVAL_STRING) {
    char *p = malloc(v->of.str.len ? v->of.str.len : 1);
    if (!p) return false;
    if (v->of.str.len) memcpy(p, v->of.str.ptr, v->of.str.len);
    out->of.str.ptr = p;
    return true;
  }
  if (seq_kind(v->kind)) {
    out->of.seq.items = NULL;
    if (!v->of.seq.count) return true;
    WgCVal *items = calloc(v->of.seq.count, sizeof *items);
    if (!items) return false;
    out->of.seq.items = items;
    for (size_t i = 0; i < v->of.seq.count; i++)
      if (!clone(&v->of.seq.items[i], &items[i], depth + 1)) {
        out->of.seq.count = i; /* what was made is freed */
        return false;
      }
    return true;
  }
  if (case_kind(v->kind) && v->of.cases.payload) {
    out->of.cases.payload = NULL;
    WgCVal *p = calloc(1, sizeof *p);
    if (!p) return false;
    out->of.cases.payload = p;
    if (!clone(v->of.cases.payload, p, depth + 1)) {
      wg_cval_free(p);
      free(p);
      out->of.cases.payload = NULL;
      return false;
    }
  }
  return true;
}

WgStatus wg_cval_clone(const WgCVal *v, WgCVal *out) {
  if (!v || !out) return WG_ERR_MISUSE;
  if (!clone(v, out, 0)) {
    wg_cval_free(out);
    memset(out, 0, sizeof *out);
    return WG_ERR_NOMEM;
  }
  return WG_OK;
}

void wg_cval_free(WgCVal *v) {
  if (!v) return;
  if (v->kind == WG_CVAL_STRING) {
    free((void *)v->of.str.ptr);
    v->of.str.ptr = NULL;
    v->of.str.len = 0;
  } else if (seq_kind(v->kind)) {
    for (size_t i = 0; i < v->of.seq.count; i++)
      wg_cval_free(&v->of.seq.items[i]);
    free(v->of.seq.items);
    v->of.seq.items = NULL;
    v->of.seq.count = 0;
  } else if (case_kind(v->kind) && v->of.cases.payload) {
    wg_cval_free(v->of.cases.payload);
    free(v->of.cases.payload);
    v->of.cases.payload = NULL;
  }
}
