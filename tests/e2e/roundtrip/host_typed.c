/* SPDX-License-Identifier: Apache-2.0 */
/* The round trip a third time (issue 15, must-show 2): the cases and
 * checks of host.c (and host.mjs), with a host written on the typed host
 * bindings `witgen --host` generates for wit/roundtrip.wit
 * (roundtrip_host.h): plain C values, no WgCVal. It implements `host` and
 * the `hres` resource of `types` as tables of typed functions, and for
 * every case:
 *   1. calls the guest export with a value;
 *   2. checks that the matching `host` import receives exactly that value;
 *   3. returns a value of its own (sometimes changed);
 *   4. checks that the guest returns exactly what guest.c's change of the
 *      host's value gives.
 * Resources are counted on both sides: the host's `hres` objects made and
 * dropped by the guest (the destructor of the table), the guest's `gacc`
 * objects made and destroyed (its gacc-live/gacc-dropped exports), and
 * the handles are checked as host.c checks them. It follows the ownership
 * rules of docs/host-bindings.md (arguments of imports freed or given
 * back, results of exports freed), so the asan preset finds any leak or
 * double free of the bindings or of this host.
 *
 *   host_typed COMPONENT.wasm
 * Prints one line per failure and `N passed, M failed`; exit 1 on failure.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roundtrip_host.h"

typedef roundtrip_string_t str_t;

static int passed, failed;

static void fail(const char *what, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  failed++;
  printf("FAIL %s: ", what);
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) abort();
  return p;
}

/* Section: values */

static str_t S(const char *s, size_t n) { /* a heap copy */
  str_t r = { xmalloc(n), n };
  if (n) memcpy(r.ptr, s, n);
  return r;
}
/* A borrowed view of a C string, for arguments. */
static str_t V(const char *s) {
  str_t r;
  roundtrip_string_set(&r, s);
  return r;
}
static str_t cat(str_t a, const char *b, size_t bn) {
  str_t r = { xmalloc(a.len + bn), a.len + bn };
  if (a.len) memcpy(r.ptr, a.ptr, a.len);
  memcpy(r.ptr + a.len, b, bn);
  return r;
}
/* Reversed by code point (a heap copy). */
static str_t rev(str_t s) {
  str_t r = { xmalloc(s.len), s.len };
  for (size_t i = 0; i < s.len;) {
    uint8_t c = s.ptr[i];
    size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    memcpy(r.ptr + s.len - i - k, s.ptr + i, k);
    i += k;
  }
  return r;
}
#define MIDDOT "\xc2\xb7"

static bool eq_str(const str_t *a, const str_t *b) {
  return a->len == b->len && (!a->len || memcmp(a->ptr, b->ptr, a->len) == 0);
}
/* floats as values, NaN equal to NaN, 0.0 different from -0.0 */
static bool eq_f64(double a, double b) {
  return (a != a && b != b) || (a == b && signbit(a) == signbit(b));
}
static bool eq_f32(float a, float b) {
  return eq_f64((double)a, (double)b);
}

static uint32_t next_char(uint32_t c) {
  return c == 0x10FFFF ? 0 : c == 0xD7FF ? 0xE000 : c + 1;
}

/* Section: the case being run */

/* The import the current case expects and the argument it must get. */
static struct {
  const char *fn;
  const void *arg;
  bool called;
} expect;
static bool active;
static int before;

static void begin(const char *fn, const void *arg) {
  expect.fn = fn;
  expect.arg = arg;
  expect.called = false;
  active = true;
  before = failed;
}

/* True when `fn` is the import the case expects (else a failure). */
static bool arrived(const char *fn) {
  if (!active || !expect.fn || strcmp(fn, expect.fn) != 0) {
    fail(fn, "host.%s called unexpectedly", fn);
    return false;
  }
  expect.called = true;
  return true;
}

/* Ends a case: its trap, whether the import was called, its result. */
static void finish(const char *what, WgTrap *t, bool result_ok) {
  active = false;
  if (t) {
    fail(what, "trapped: %s", wg_trap_message(t));
    wg_trap_delete(t);
    return;
  }
  if (!expect.called) fail(what, "host.%s was not called", expect.fn);
  if (!result_ok) fail(what, "the guest returned another value");
  if (failed == before) passed++;
}

static roundtrip_t rt;

/* Section: integers, floats, bool, char */

#define IMPL_SCALAR(name, T, eq)                                   \
  static WgTrap *h_##name(void *ctx, WgCCall *call, T v, T *ret) { \
    (void)ctx, (void)call;                                         \
    if (arrived(#name) && !eq(v, *(const T *)expect.arg))          \
      fail("host." #name, "argument differs");                     \
    *ret = v;                                                      \
    return NULL;                                                   \
  }
#define EQ(a, b) ((a) == (b))
IMPL_SCALAR(s8, int8_t, EQ)
IMPL_SCALAR(u8, uint8_t, EQ)
IMPL_SCALAR(s16, int16_t, EQ)
IMPL_SCALAR(u16, uint16_t, EQ)
IMPL_SCALAR(s32, int32_t, EQ)
IMPL_SCALAR(u32, uint32_t, EQ)
IMPL_SCALAR(s64, int64_t, EQ)
IMPL_SCALAR(u64, uint64_t, EQ)
IMPL_SCALAR(f32, float, eq_f32)
IMPL_SCALAR(f64, double, eq_f64)
IMPL_SCALAR(boolean, bool, EQ)
IMPL_SCALAR(chr, uint32_t, EQ)

/* Calls guest.NAME(v) expecting `want`. */
#define SCALAR_CASE(name, T, eq, v, want)                           \
  do {                                                              \
    T a_ = (v), r_ = 0;                                             \
    begin(#name, &a_);                                              \
    WgTrap *t_ = exports_roundtrip_guest_call_##name(&rt, a_, &r_); \
    finish("guest." #name, t_, !t_ && eq(r_, (T)(want)));           \
  } while (0)

static void integers(void) {
  int8_t s8[] = { -128, 127, 0, -1 };
  for (int i = 0; i < 4; i++)
    SCALAR_CASE(s8, int8_t, EQ, s8[i], (int8_t)(uint8_t)(s8[i] + 1));
  uint8_t u8[] = { 0, 255, 1 };
  for (int i = 0; i < 3; i++)
    SCALAR_CASE(u8, uint8_t, EQ, u8[i], (uint8_t)(u8[i] + 1));
  int16_t s16[] = { -32768, 32767, 0 };
  for (int i = 0; i < 3; i++)
    SCALAR_CASE(s16, int16_t, EQ, s16[i], (int16_t)(uint16_t)(s16[i] + 1));
  uint16_t u16[] = { 0, 65535 };
  for (int i = 0; i < 2; i++)
    SCALAR_CASE(u16, uint16_t, EQ, u16[i], (uint16_t)(u16[i] + 1));
  int32_t s32[] = { INT32_MIN, INT32_MAX, 0, -1 };
  for (int i = 0; i < 4; i++)
    SCALAR_CASE(s32, int32_t, EQ, s32[i], (int32_t)((uint32_t)s32[i] + 1u));
  uint32_t u32[] = { 0, 4294967295u, 123456789 };
  for (int i = 0; i < 3; i++)
    SCALAR_CASE(u32, uint32_t, EQ, u32[i], u32[i] + 1u);
  int64_t s64[] = { INT64_MIN, INT64_MAX, 0, -1 };
  for (int i = 0; i < 4; i++)
    SCALAR_CASE(s64, int64_t, EQ, s64[i], (int64_t)((uint64_t)s64[i] + 1u));
  uint64_t u64[] = { 0, UINT64_MAX, (1ull << 53) + 1 };
  for (int i = 0; i < 3; i++)
    SCALAR_CASE(u64, uint64_t, EQ, u64[i], u64[i] + 1u);
}

static void floats(void) {
  float f32s[] = { 0.0f,
                   -0.0f,
                   1.5f,
                   -2.5f,
                   INFINITY,
                   -INFINITY,
                   NAN,
                   3.4028234663852886e38f,
                   1.401298464324817e-45f };
  for (size_t i = 0; i < sizeof f32s / sizeof f32s[0]; i++)
    SCALAR_CASE(f32, float, eq_f32, f32s[i], -f32s[i]);
  double f64s[] = { 0.0,       -0.0, 3.141592653589793,      INFINITY,
                    -INFINITY, NAN,  1.7976931348623157e308, 5e-324 };
  for (size_t i = 0; i < sizeof f64s / sizeof f64s[0]; i++)
    SCALAR_CASE(f64, double, eq_f64, f64s[i], -f64s[i]);
  SCALAR_CASE(boolean, bool, EQ, true, false);
  SCALAR_CASE(boolean, bool, EQ, false, true);
  uint32_t cs[] = { 0,      'a',     0xE9,     0xD7FF, 0xE000,
                    0xFFFD, 0x10000, 0x10FFFF, 0x1F600 };
  for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
    SCALAR_CASE(chr, uint32_t, EQ, cs[i], next_char(cs[i]));
}

/* Section: strings and lists */

static WgTrap *h_str(void *ctx, WgCCall *call, str_t v, str_t *ret) {
  (void)ctx, (void)call;
  if (arrived("str") && !eq_str(&v, expect.arg))
    fail("host.str", "argument differs (%zu bytes)", v.len);
  *ret = cat(v, MIDDOT, 2);
  roundtrip_string_free(&v); /* the argument is ours */
  return NULL;
}

static void strings(void) {
  static char long_str[3000 * 11];
  size_t ln = 0;
  for (int i = 0; i < 3000; i++) {
    memcpy(long_str + ln, "a\xc3\xb1\xe2\x82\xac\xf0\x9f\x98\x80\0", 11);
    ln += 11;
  }
  struct {
    const char *s;
    size_t n;
  } ss[] = {
    { "", 0 },
    { "hello", 5 },
    { "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9f\x98\x80", 22 },
    { "a\0b\0", 4 },
    { "\xf4\x8f\xbf\xbf\xed\x9f\xbf\xee\x80\x80", 10 },
    { long_str, ln },
  };
  for (size_t i = 0; i < sizeof ss / sizeof ss[0]; i++) {
    str_t a = { (uint8_t *)(uintptr_t)ss[i].s, ss[i].n }, r;
    str_t host = cat(a, MIDDOT, 2), want = rev(host);
    begin("str", &a);
    WgTrap *t = exports_roundtrip_guest_call_str(&rt, a, &r);
    finish("guest.str", t, !t && eq_str(&r, &want));
    roundtrip_string_free(&r);
    roundtrip_string_free(&host);
    roundtrip_string_free(&want);
  }
}

static bool eq_bytes(const roundtrip_list_u8_t *a,
                     const roundtrip_list_u8_t *b) {
  return a->len == b->len && (!a->len || memcmp(a->ptr, b->ptr, a->len) == 0);
}

static WgTrap *h_bytes(void *ctx, WgCCall *call, roundtrip_list_u8_t v,
                       roundtrip_list_u8_t *ret) {
  (void)ctx, (void)call;
  if (arrived("bytes") && !eq_bytes(&v, expect.arg))
    fail("host.bytes", "argument differs (%zu bytes)", v.len);
  *ret = v; /* given back */
  return NULL;
}

typedef roundtrip_types_point_t point_t;

static bool eq_point(const point_t *a, const point_t *b) {
  if (a->x != b->x || !eq_f64(a->y, b->y) || !eq_str(&a->name, &b->name) ||
      a->tags.len != b->tags.len)
    return false;
  for (size_t i = 0; i < a->tags.len; i++)
    if (!eq_str(&a->tags.ptr[i], &b->tags.ptr[i])) return false;
  return true;
}
static bool eq_points(const point_t *a, size_t an, const point_t *b,
                      size_t bn) {
  if (an != bn) return false;
  for (size_t i = 0; i < an; i++)
    if (!eq_point(&a[i], &b[i])) return false;
  return true;
}

static WgTrap *h_points(void *ctx, WgCCall *call,
                        roundtrip_list_roundtrip_host_point_t v,
                        roundtrip_list_roundtrip_host_point_t *ret) {
  (void)ctx, (void)call;
  if (arrived("points")) {
    const roundtrip_list_exports_roundtrip_guest_point_t *w = expect.arg;
    if (!eq_points(v.ptr, v.len, w->ptr, w->len))
      fail("host.points", "argument differs");
  }
  for (size_t i = 0; i < v.len; i++)
    v.ptr[i].y = -v.ptr[i].y;
  *ret = v;
  return NULL;
}

static void lists(void) {
  static uint8_t big[5000], big_rev[5000];
  for (int i = 0; i < 5000; i++)
    big[i] = (uint8_t)((i * 7) & 255);
  for (int i = 0; i < 5000; i++)
    big_rev[i] = big[4999 - i];
  uint8_t small[3] = { 0, 1, 255 }, small_rev[3] = { 255, 1, 0 };
  struct {
    uint8_t *b, *want;
    size_t n;
  } bs[] = { { small, small, 0 },
             { small, small_rev, 3 },
             { big, big_rev, 5000 } };
  for (int i = 0; i < 3; i++) {
    roundtrip_list_u8_t a = { bs[i].b, bs[i].n },
                        want = { bs[i].want, bs[i].n }, r;
    begin("bytes", &a);
    WgTrap *t = exports_roundtrip_guest_call_bytes(&rt, a, &r);
    finish("guest.bytes", t, !t && eq_bytes(&r, &want));
    roundtrip_list_u8_free(&r);
  }
  /* points: host negates y; guest reverses the list, x + 1, tags reversed */
  roundtrip_list_exports_roundtrip_guest_point_t empty = { NULL, 0 }, r;
  begin("points", &empty);
  WgTrap *t = exports_roundtrip_guest_call_points(&rt, empty, &r);
  finish("guest.points([])", t, !t && r.len == 0);
  roundtrip_list_exports_roundtrip_guest_point_free(&r);
  str_t tags1[3] = { V("a"), V("b\xc3\xa9"), V("") }, tags2[1] = { V("only") };
  str_t tags1r[3] = { V(""), V("b\xc3\xa9"), V("a") };
  point_t pts[3] = {
    { INT32_MAX, -0.5, V("p"), { NULL, 0 } },
    { -5, 1e300, V("\xc3\xbc"), { tags1, 3 } },
    { 0, -0.0, V(""), { tags2, 1 } },
  };
  point_t want[3] = {
    { 1, 0.0, V(""), { tags2, 1 } },
    { -4, -1e300, V("\xc3\xbc"), { tags1r, 3 } },
    { INT32_MIN, 0.5, V("p"), { NULL, 0 } },
  };
  roundtrip_list_exports_roundtrip_guest_point_t a = { pts, 3 };
  begin("points", &a);
  t = exports_roundtrip_guest_call_points(&rt, a, &r);
  finish("guest.points(3 points)", t, !t && eq_points(r.ptr, r.len, want, 3));
  roundtrip_list_exports_roundtrip_guest_point_free(&r);
}

/* Section: options and results */

typedef roundtrip_option_option_u32_t oou32_t;

static bool eq_oou32(const oou32_t *a, const oou32_t *b) {
  return a->is_some == b->is_some &&
         (!a->is_some || (a->val.is_some == b->val.is_some &&
                          (!a->val.is_some || a->val.val == b->val.val)));
}

static WgTrap *h_opt(void *ctx, WgCCall *call, oou32_t v, oou32_t *ret) {
  (void)ctx, (void)call;
  if (arrived("opt") && !eq_oou32(&v, expect.arg))
    fail("host.opt", "argument differs");
  *ret = v;
  return NULL;
}

typedef roundtrip_result_string_u32_t rboth_t;
static bool eq_rboth(const rboth_t *a, const rboth_t *b) {
  return a->is_err == b->is_err && (a->is_err ? a->val.err == b->val.err
                                              : eq_str(&a->val.ok, &b->val.ok));
}
static WgTrap *h_res_both(void *ctx, WgCCall *call, rboth_t v, rboth_t *ret) {
  (void)ctx, (void)call;
  if (arrived("res-both") && !eq_rboth(&v, expect.arg))
    fail("host.res-both", "argument differs");
  *ret = v;
  return NULL;
}

typedef roundtrip_result_u32_void_t rok_t;
static bool eq_rok(const rok_t *a, const rok_t *b) {
  return a->is_err == b->is_err && (a->is_err || a->val.ok == b->val.ok);
}
static WgTrap *h_res_ok(void *ctx, WgCCall *call, rok_t v, rok_t *ret) {
  (void)ctx, (void)call;
  if (arrived("res-ok") && !eq_rok(&v, expect.arg))
    fail("host.res-ok", "argument differs");
  *ret = v;
  return NULL;
}

typedef roundtrip_result_void_string_t rerr_t;
static bool eq_rerr(const rerr_t *a, const rerr_t *b) {
  return a->is_err == b->is_err &&
         (!a->is_err || eq_str(&a->val.err, &b->val.err));
}
static WgTrap *h_res_err(void *ctx, WgCCall *call, rerr_t v, rerr_t *ret) {
  (void)ctx, (void)call;
  if (arrived("res-err") && !eq_rerr(&v, expect.arg))
    fail("host.res-err", "argument differs");
  *ret = v;
  return NULL;
}

typedef roundtrip_result_void_void_t rnone_t;
static WgTrap *h_res_none(void *ctx, WgCCall *call, rnone_t v, rnone_t *ret) {
  (void)ctx, (void)call;
  if (arrived("res-none") && v.is_err != ((const rnone_t *)expect.arg)->is_err)
    fail("host.res-none", "argument differs");
  *ret = v;
  return NULL;
}

static void options_results(void) {
  oou32_t opts[4][2] = {
    { { false, { false, 0 } }, { true, { false, 0 } } },
    { { true, { false, 0 } }, { false, { false, 0 } } },
    { { true, { true, 0 } }, { true, { true, 1 } } },
    { { true, { true, 4294967295u } }, { true, { true, 0 } } },
  };
  for (int i = 0; i < 4; i++) {
    oou32_t r;
    begin("opt", &opts[i][0]);
    WgTrap *t = exports_roundtrip_guest_call_opt(&rt, opts[i][0], &r);
    finish("guest.opt", t, !t && eq_oou32(&r, &opts[i][1]));
  }
  struct {
    rboth_t a, want;
  } both[4];
  memset(both, 0, sizeof both);
  both[0].a.val.ok = V("abc\xc3\xa9");
  both[0].want.val.ok = rev(both[0].a.val.ok);
  both[1].a.val.ok = V("");
  both[1].want.val.ok = V("");
  both[2].a.is_err = both[2].want.is_err = true;
  both[2].a.val.err = 0;
  both[2].want.val.err = 1;
  both[3].a.is_err = both[3].want.is_err = true;
  both[3].a.val.err = 4294967295u;
  both[3].want.val.err = 0;
  for (int i = 0; i < 4; i++) {
    rboth_t r;
    begin("res-both", &both[i].a);
    WgTrap *t = exports_roundtrip_guest_call_res_both(&rt, both[i].a, &r);
    finish("guest.res-both", t, !t && eq_rboth(&r, &both[i].want));
    roundtrip_result_string_u32_free(&r);
  }
  roundtrip_string_free(&both[0].want.val.ok);
  rok_t oks[2][2] = { { { false, { 7 } }, { false, { 8 } } },
                      { { true, { 0 } }, { true, { 0 } } } };
  for (int i = 0; i < 2; i++) {
    rok_t r;
    begin("res-ok", &oks[i][0]);
    WgTrap *t = exports_roundtrip_guest_call_res_ok(&rt, oks[i][0], &r);
    finish("guest.res-ok", t, !t && eq_rok(&r, &oks[i][1]));
  }
  rerr_t errs[3][2];
  memset(errs, 0, sizeof errs);
  errs[0][1].is_err = true;
  errs[0][1].val.err = V("ok!");
  errs[1][0].is_err = true;
  errs[1][0].val.err = V("");
  errs[2][0].is_err = errs[2][1].is_err = true;
  errs[2][0].val.err = V("xy\xc3\xa9");
  errs[2][1].val.err = rev(errs[2][0].val.err);
  for (int i = 0; i < 3; i++) {
    rerr_t r;
    begin("res-err", &errs[i][0]);
    WgTrap *t = exports_roundtrip_guest_call_res_err(&rt, errs[i][0], &r);
    finish("guest.res-err", t, !t && eq_rerr(&r, &errs[i][1]));
    roundtrip_result_void_string_free(&r);
  }
  roundtrip_string_free(&errs[2][1].val.err);
  for (int e = 0; e < 2; e++) {
    rnone_t a = { e == 1 }, r;
    begin("res-none", &a);
    WgTrap *t = exports_roundtrip_guest_call_res_none(&rt, a, &r);
    finish("guest.res-none", t, !t && r.is_err == !a.is_err);
  }
}

/* Section: variants, enums, flags */

typedef roundtrip_types_shape_t shape_t;
typedef roundtrip_types_shape_leaf_t leaf_t;

static bool eq_leaf(const leaf_t *a, const leaf_t *b) {
  if (a->tag != b->tag) return false;
  if (a->tag == ROUNDTRIP_TYPES_SHAPE_LEAF_TAG) return a->val.tag == b->val.tag;
  if (a->tag == ROUNDTRIP_TYPES_SHAPE_LEAF_LABEL)
    return eq_str(&a->val.label, &b->val.label);
  return true;
}

static bool eq_shape(const shape_t *a, const shape_t *b) {
  if (a->tag != b->tag) return false;
  switch (a->tag) {
    case ROUNDTRIP_TYPES_SHAPE_CIRCLE:
      return eq_f32(a->val.circle, b->val.circle);
    case ROUNDTRIP_TYPES_SHAPE_RECT:
      return a->val.rect.f0 == b->val.rect.f0 &&
             a->val.rect.f1 == b->val.rect.f1;
    case ROUNDTRIP_TYPES_SHAPE_NAMED:
      return eq_str(&a->val.named, &b->val.named);
    case ROUNDTRIP_TYPES_SHAPE_MAYBE: {
      const roundtrip_option_option_string_t *x = &a->val.maybe,
                                             *y = &b->val.maybe;
      return x->is_some == y->is_some &&
             (!x->is_some ||
              (x->val.is_some == y->val.is_some &&
               (!x->val.is_some || eq_str(&x->val.val, &y->val.val))));
    }
    case ROUNDTRIP_TYPES_SHAPE_OUTCOME: {
      const roundtrip_result_s64_roundtrip_types_color_t *x = &a->val.outcome,
                                                         *y = &b->val.outcome;
      return x->is_err == y->is_err &&
             (x->is_err ? x->val.err == y->val.err : x->val.ok == y->val.ok);
    }
    case ROUNDTRIP_TYPES_SHAPE_INNER:
      if (a->val.inner.len != b->val.inner.len) return false;
      for (size_t i = 0; i < a->val.inner.len; i++)
        if (!eq_leaf(&a->val.inner.ptr[i], &b->val.inner.ptr[i])) return false;
      return true;
    default:
      return true;
  }
}

/* guest.c's change_shape, into `out` (heap strings and lists), from `s`. */
static shape_t change_shape(const shape_t *s) {
  shape_t r = *s;
  switch (s->tag) {
    case ROUNDTRIP_TYPES_SHAPE_CIRCLE:
      r.val.circle = s->val.circle * 2;
      break;
    case ROUNDTRIP_TYPES_SHAPE_RECT:
      r.val.rect.f0 = s->val.rect.f1;
      r.val.rect.f1 = s->val.rect.f0;
      break;
    case ROUNDTRIP_TYPES_SHAPE_NAMED:
      r.val.named = rev(s->val.named);
      break;
    case ROUNDTRIP_TYPES_SHAPE_MAYBE: {
      const roundtrip_option_option_string_t *m = &s->val.maybe;
      if (!m->is_some) {
        r.val.maybe.is_some = true;
        r.val.maybe.val.is_some = false;
      } else if (!m->val.is_some) {
        r.val.maybe.is_some = false;
      } else {
        r.val.maybe.val.val = rev(m->val.val);
      }
      break;
    }
    case ROUNDTRIP_TYPES_SHAPE_OUTCOME:
      if (s->val.outcome.is_err)
        r.val.outcome.val.err = (s->val.outcome.val.err + 1) % 5;
      else
        r.val.outcome.val.ok = (int64_t)((uint64_t)s->val.outcome.val.ok + 1u);
      break;
    case ROUNDTRIP_TYPES_SHAPE_INNER: {
      size_t n = s->val.inner.len;
      r.val.inner.ptr = xmalloc(n * sizeof(leaf_t));
      for (size_t i = 0; i < n; i++) {
        leaf_t l = s->val.inner.ptr[n - 1 - i];
        if (l.tag == ROUNDTRIP_TYPES_SHAPE_LEAF_TAG)
          l.val.tag++;
        else if (l.tag == ROUNDTRIP_TYPES_SHAPE_LEAF_LABEL)
          l.val.label = rev(l.val.label);
        r.val.inner.ptr[i] = l;
      }
      break;
    }
    default:
      break;
  }
  return r;
}

static WgTrap *h_var(void *ctx, WgCCall *call, shape_t v, shape_t *ret) {
  (void)ctx, (void)call;
  if (arrived("var") && !eq_shape(&v, expect.arg))
    fail("host.var", "argument differs");
  *ret = v;
  return NULL;
}

typedef roundtrip_types_deep_list_t deep_t;
typedef roundtrip_option_result_tuple2_u8_string_roundtrip_types_shape_t
    deep_item_t;

static bool eq_deep(const deep_t *a, const deep_t *b) {
  if (a->len != b->len) return false;
  for (size_t i = 0; i < a->len; i++) {
    const deep_item_t *x = &a->ptr[i], *y = &b->ptr[i];
    if (x->is_some != y->is_some) return false;
    if (!x->is_some) continue;
    if (x->val.is_err != y->val.is_err) return false;
    if (x->val.is_err ? !eq_shape(&x->val.val.err, &y->val.val.err)
                      : x->val.val.ok.f0 != y->val.val.ok.f0 ||
                            !eq_str(&x->val.val.ok.f1, &y->val.val.ok.f1))
      return false;
  }
  return true;
}

static WgTrap *h_deep(void *ctx, WgCCall *call, deep_t v, deep_t *ret) {
  (void)ctx, (void)call;
  if (arrived("deep") && !eq_deep(&v, expect.arg))
    fail("host.deep", "argument differs");
  *ret = v;
  return NULL;
}

static WgTrap *h_enm(void *ctx, WgCCall *call, roundtrip_types_color_t v,
                     roundtrip_types_color_t *ret) {
  (void)ctx, (void)call;
  if (arrived("enm") && v != *(const roundtrip_types_color_t *)expect.arg)
    fail("host.enm", "argument differs");
  *ret = v;
  return NULL;
}
IMPL_SCALAR(set1, roundtrip_types_fl1_t, EQ)
IMPL_SCALAR(set9, roundtrip_types_fl9_t, EQ)
IMPL_SCALAR(set32, roundtrip_types_fl32_t, EQ)

/* Frees what change_shape() made. */
static void free_changed(shape_t *s) {
  switch (s->tag) {
    case ROUNDTRIP_TYPES_SHAPE_NAMED:
      roundtrip_string_free(&s->val.named);
      break;
    case ROUNDTRIP_TYPES_SHAPE_MAYBE:
      if (s->val.maybe.is_some && s->val.maybe.val.is_some)
        roundtrip_string_free(&s->val.maybe.val.val);
      break;
    case ROUNDTRIP_TYPES_SHAPE_INNER:
      for (size_t i = 0; i < s->val.inner.len; i++)
        if (s->val.inner.ptr[i].tag == ROUNDTRIP_TYPES_SHAPE_LEAF_LABEL)
          roundtrip_string_free(&s->val.inner.ptr[i].val.label);
      free(s->val.inner.ptr);
      break;
    default:
      break;
  }
}

static void variants(void) {
  leaf_t leaves[3];
  memset(leaves, 0, sizeof leaves);
  leaves[1].tag = ROUNDTRIP_TYPES_SHAPE_LEAF_TAG;
  leaves[1].val.tag = 65535;
  leaves[2].tag = ROUNDTRIP_TYPES_SHAPE_LEAF_LABEL;
  leaves[2].val.label = V("ab\xc3\xa7");
  shape_t shapes[13];
  memset(shapes, 0, sizeof shapes);
  shapes[1].tag = shapes[2].tag = ROUNDTRIP_TYPES_SHAPE_CIRCLE;
  shapes[1].val.circle = 1.5f;
  shapes[2].val.circle = -0.0f;
  shapes[3].tag = ROUNDTRIP_TYPES_SHAPE_RECT;
  shapes[3].val.rect.f0 = 1;
  shapes[3].val.rect.f1 = 4294967295u;
  shapes[4].tag = ROUNDTRIP_TYPES_SHAPE_NAMED;
  shapes[4].val.named = V("na\xc3\xafve");
  for (int i = 5; i <= 7; i++)
    shapes[i].tag = ROUNDTRIP_TYPES_SHAPE_MAYBE;
  shapes[6].val.maybe.is_some = true;
  shapes[7].val.maybe.is_some = shapes[7].val.maybe.val.is_some = true;
  shapes[7].val.maybe.val.val = V("s\xc3\x9f");
  for (int i = 8; i <= 10; i++)
    shapes[i].tag = ROUNDTRIP_TYPES_SHAPE_OUTCOME;
  shapes[8].val.outcome.val.ok = INT64_MIN;
  shapes[9].val.outcome.val.ok = INT64_MAX;
  shapes[10].val.outcome.is_err = true;
  shapes[10].val.outcome.val.err = ROUNDTRIP_TYPES_COLOR_MAGENTA;
  shapes[11].tag = shapes[12].tag = ROUNDTRIP_TYPES_SHAPE_INNER;
  shapes[12].val.inner.ptr = leaves;
  shapes[12].val.inner.len = 3;
  for (int i = 0; i < 13; i++) {
    shape_t r, want = change_shape(&shapes[i]);
    begin("var", &shapes[i]);
    WgTrap *t = exports_roundtrip_guest_call_var(&rt, shapes[i], &r);
    finish("guest.var", t, !t && eq_shape(&r, &want));
    roundtrip_types_shape_free(&r);
    free_changed(&want);
  }
  /* deep lists */
  deep_t empty = { NULL, 0 }, r;
  begin("deep", &empty);
  WgTrap *t = exports_roundtrip_guest_call_deep(&rt, empty, &r);
  finish("guest.deep([])", t, !t && r.len == 0);
  roundtrip_types_deep_list_free(&r);
  leaf_t inner2[2];
  memset(inner2, 0, sizeof inner2);
  inner2[0].tag = ROUNDTRIP_TYPES_SHAPE_LEAF_LABEL;
  inner2[0].val.label = V("k\xc3\xa9");
  deep_item_t d[6], w[6];
  memset(d, 0, sizeof d);
  for (int i = 1; i < 6; i++)
    d[i].is_some = true;
  d[1].val.val.ok.f0 = 255;
  d[1].val.val.ok.f1 = V("xy");
  d[2].val.val.ok.f1 = V("");
  for (int i = 3; i < 6; i++)
    d[i].val.is_err = true;
  d[3].val.val.err.tag = ROUNDTRIP_TYPES_SHAPE_NAMED;
  d[3].val.val.err.val.named = V("q");
  d[4].val.val.err.tag = ROUNDTRIP_TYPES_SHAPE_INNER;
  d[4].val.val.err.val.inner.ptr = inner2;
  d[4].val.val.err.val.inner.len = 2;
  d[5].val.val.err.tag = ROUNDTRIP_TYPES_SHAPE_OUTCOME;
  d[5].val.val.err.val.outcome.is_err = true;
  d[5].val.val.err.val.outcome.val.err = ROUNDTRIP_TYPES_COLOR_RED;
  for (int i = 0; i < 6; i++) { /* reversed and changed */
    w[i] = d[5 - i];
    if (!w[i].is_some) continue;
    if (w[i].val.is_err) {
      w[i].val.val.err = change_shape(&d[5 - i].val.val.err);
    } else {
      w[i].val.val.ok.f0++;
      w[i].val.val.ok.f1 = rev(d[5 - i].val.val.ok.f1);
    }
  }
  deep_t da = { d, 6 }, want = { w, 6 };
  begin("deep", &da);
  t = exports_roundtrip_guest_call_deep(&rt, da, &r);
  finish("guest.deep(6 items)", t, !t && eq_deep(&r, &want));
  roundtrip_types_deep_list_free(&r);
  for (int i = 0; i < 6; i++) {
    if (!w[i].is_some) continue;
    if (w[i].val.is_err)
      free_changed(&w[i].val.val.err);
    else
      roundtrip_string_free(&w[i].val.val.ok.f1);
  }
  for (uint32_t c = 0; c < 5; c++) {
    roundtrip_types_color_t a = (roundtrip_types_color_t)c, rc;
    begin("enm", &a);
    t = exports_roundtrip_guest_call_enm(&rt, a, &rc);
    finish("guest.enm", t, !t && rc == (c + 1) % 5);
  }
  for (uint32_t bits = 0; bits < 2; bits++)
    SCALAR_CASE(set1, roundtrip_types_fl1_t, EQ, bits, bits ^ 1);
  uint32_t f9[] = { 0, 0x101, 0x1ff, 0x0aa };
  for (int i = 0; i < 4; i++)
    SCALAR_CASE(set9, roundtrip_types_fl9_t, EQ, f9[i], f9[i] ^ 0x1ff);
  uint32_t f32[] = { 0, 1, 0x80000000u, 0x00020020, 0xffffffffu };
  for (int i = 0; i < 5; i++)
    SCALAR_CASE(set32, roundtrip_types_fl32_t, EQ, f32[i],
                f32[i] ^ 0x80000001u);
}

/* Section: tuples and fixed-length lists */

typedef roundtrip_types_big_tuple_t big_t;
static bool eq_big(const big_t *a, const big_t *b) {
  return a->f0 == b->f0 && a->f1 == b->f1 && eq_str(&a->f2, &b->f2) &&
         eq_f32(a->f3, b->f3) && a->f4 == b->f4 && a->f5 == b->f5;
}
static WgTrap *h_tup(void *ctx, WgCCall *call, big_t v, big_t *ret) {
  (void)ctx, (void)call;
  if (arrived("tup") && !eq_big(&v, expect.arg))
    fail("host.tup", "argument differs");
  *ret = v;
  return NULL;
}
static WgTrap *h_arr(void *ctx, WgCCall *call, roundtrip_array4_s16_t v,
                     roundtrip_array4_s16_t *ret) {
  (void)ctx, (void)call;
  if (arrived("arr") && memcmp(&v, expect.arg, sizeof v) != 0)
    fail("host.arr", "argument differs");
  *ret = v;
  return NULL;
}
static WgTrap *h_arr_str(void *ctx, WgCCall *call, roundtrip_array2_string_t v,
                         roundtrip_array2_string_t *ret) {
  (void)ctx, (void)call;
  const roundtrip_array2_string_t *w = expect.arg;
  if (arrived("arr-str") &&
      !(eq_str(&v.items[0], &w->items[0]) && eq_str(&v.items[1], &w->items[1])))
    fail("host.arr-str", "argument differs");
  ret->items[0] = cat(v.items[0], "1", 1);
  ret->items[1] = cat(v.items[1], "2", 1);
  roundtrip_array2_string_free(&v);
  return NULL;
}
static WgTrap *h_arr_big(void *ctx, WgCCall *call, roundtrip_array20_u8_t v,
                         roundtrip_array20_u8_t *ret) {
  (void)ctx, (void)call;
  if (arrived("arr-big") && memcmp(&v, expect.arg, sizeof v) != 0)
    fail("host.arr-big", "argument differs");
  *ret = v;
  return NULL;
}

static void tuples(void) {
  big_t ts[2] = {
    { 0, INT64_MIN, V("t\xc3\xbc"), 1.5f, true, 0x10FFFF },
    { 255, INT64_MAX, V(""), -INFINITY, false, 'a' },
  };
  for (int i = 0; i < 2; i++) {
    big_t r, want = { (uint8_t)(ts[i].f0 + 1),
                      (int64_t)((uint64_t)ts[i].f1 + 1u),
                      rev(ts[i].f2),
                      -ts[i].f3,
                      !ts[i].f4,
                      next_char(ts[i].f5) };
    begin("tup", &ts[i]);
    WgTrap *t = exports_roundtrip_guest_call_tup(&rt, ts[i], &r);
    finish("guest.tup", t, !t && eq_big(&r, &want));
    roundtrip_types_big_tuple_free(&r);
    roundtrip_string_free(&want.f2);
  }
  int16_t arrs[2][4] = { { -32768, 32767, 0, -1 }, { 1, 2, 3, 4 } };
  for (int i = 0; i < 2; i++) {
    roundtrip_array4_s16_t a, r, want;
    for (int k = 0; k < 4; k++) {
      a.items[k] = arrs[i][k];
      want.items[k] = (int16_t)(uint16_t)(arrs[i][k] + 1);
    }
    begin("arr", &a);
    WgTrap *t = exports_roundtrip_guest_call_arr(&rt, a, &r);
    finish("guest.arr", t, !t && memcmp(&r, &want, sizeof r) == 0);
  }
  const char *as[2][2] = { { "", "" },
                           { "\xc3\xa9t\xc3\xa9", "x\xf0\x9f\x98\x80" } };
  for (int i = 0; i < 2; i++) {
    roundtrip_array2_string_t a = { { V(as[i][0]), V(as[i][1]) } }, r;
    str_t h0 = cat(a.items[0], "1", 1), h1 = cat(a.items[1], "2", 1);
    roundtrip_array2_string_t want = { { rev(h1), rev(h0) } };
    begin("arr-str", &a);
    WgTrap *t = exports_roundtrip_guest_call_arr_str(&rt, a, &r);
    finish("guest.arr-str", t,
           !t && eq_str(&r.items[0], &want.items[0]) &&
               eq_str(&r.items[1], &want.items[1]));
    roundtrip_array2_string_free(&r);
    roundtrip_array2_string_free(&want);
    roundtrip_string_free(&h0);
    roundtrip_string_free(&h1);
  }
  roundtrip_array20_u8_t a, r, want;
  for (int i = 0; i < 20; i++)
    a.items[i] = (uint8_t)((i * 13 + 250) & 255);
  for (int i = 0; i < 20; i++)
    want.items[i] = a.items[19 - i];
  begin("arr-big", &a);
  WgTrap *t = exports_roundtrip_guest_call_arr_big(&rt, a, &r);
  finish("guest.arr-big", t, !t && memcmp(&r, &want, sizeof r) == 0);
}

/* Section: more than 16 flat parameters, results in memory */

typedef roundtrip_types_many_result_t many_t;

typedef struct ManyArgs {
  uint8_t a;
  int16_t b;
  uint32_t c;
  int64_t d;
  float e;
  double f;
  str_t g;
  bool h;
  uint32_t i;
  uint64_t j;
  int8_t k;
  uint16_t l;
  int32_t m;
  str_t n;
  float o;
  roundtrip_list_u8_t p;
  uint32_t q;
} ManyArgs;

static bool eq_many_args(const ManyArgs *x, const ManyArgs *y) {
  return x->a == y->a && x->b == y->b && x->c == y->c && x->d == y->d &&
         eq_f32(x->e, y->e) && eq_f64(x->f, y->f) && eq_str(&x->g, &y->g) &&
         x->h == y->h && x->i == y->i && x->j == y->j && x->k == y->k &&
         x->l == y->l && x->m == y->m && eq_str(&x->n, &y->n) &&
         eq_f32(x->o, y->o) && eq_bytes(&x->p, &y->p) && x->q == y->q;
}

static bool eq_many(const many_t *x, const many_t *y) {
  return x->f0 == y->f0 && eq_str(&x->f1, &y->f1) && eq_f64(x->f2, y->f2) &&
         x->f3 == y->f3;
}

static WgTrap *h_many(void *ctx, WgCCall *call, uint8_t a, int16_t b,
                      uint32_t c, int64_t d, float e, double f, str_t g, bool h,
                      uint32_t i, uint64_t j, int8_t k, uint16_t l, int32_t m,
                      str_t n, float o, roundtrip_list_u8_t p, uint32_t q,
                      many_t *ret) {
  (void)ctx, (void)call;
  ManyArgs got = { a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q };
  if (arrived("many") && !eq_many_args(&got, expect.arg))
    fail("host.many", "arguments differ");
  str_t gn = cat(g, "|", 1);
  ret->f0 = j;
  ret->f1 = cat(gn, (const char *)n.ptr, n.len);
  ret->f2 = f;
  ret->f3 = a;
  roundtrip_string_free(&gn);
  roundtrip_string_free(&g);
  roundtrip_string_free(&n);
  roundtrip_list_u8_free(&p);
  return NULL;
}

/* multi(v) = (v * 3, "m{v}é", v / 2, v & 255) */
static many_t multi_of(uint32_t v) {
  char m[32];
  int k = snprintf(m, sizeof m, "m%" PRIu32 "\xc3\xa9", v);
  many_t r = { (uint64_t)v * 3, S(m, (size_t)k), v / 2.0, (uint8_t)(v & 255) };
  return r;
}

static WgTrap *h_multi(void *ctx, WgCCall *call, uint32_t v, many_t *ret) {
  (void)ctx, (void)call;
  if (arrived("multi") && v != *(const uint32_t *)expect.arg)
    fail("host.multi", "argument differs");
  *ret = multi_of(v);
  return NULL;
}

/* guest.c's change_many, into a new value */
static many_t change_many(const many_t *x) {
  many_t r = { x->f0 + 1, rev(x->f1), -x->f2, (uint8_t)(x->f3 + 1) };
  return r;
}

static void many(void) {
  uint8_t bytes[3] = { 9, 8, 7 };
  ManyArgs cases[2] = {
    { 255,
      -32768,
      4294967295u,
      INT64_MIN,
      -0.0f,
      2.718281828459045,
      V("g\xc3\xa9"),
      true,
      0x10FFFF,
      UINT64_MAX,
      -128,
      65535,
      INT32_MIN,
      V("n\xf0\x9f\x98\x80"),
      INFINITY,
      { bytes, 3 },
      4294967295u },
    { 0,
      1,
      2,
      3,
      4.5f,
      5.25,
      V(""),
      false,
      'z',
      6,
      7,
      8,
      9,
      V(""),
      NAN,
      { NULL, 0 },
      10 },
  };
  for (int i = 0; i < 2; i++) {
    ManyArgs *a = &cases[i];
    str_t gn = cat(a->g, "|", 1);
    many_t host = { a->j, cat(gn, (const char *)a->n.ptr, a->n.len), a->f,
                    a->a };
    many_t want = change_many(&host), r;
    begin("many", a);
    WgTrap *t = exports_roundtrip_guest_call_many(
        &rt, a->a, a->b, a->c, a->d, a->e, a->f, a->g, a->h, a->i, a->j, a->k,
        a->l, a->m, a->n, a->o, a->p, a->q, &r);
    finish("guest.many(17 args)", t, !t && eq_many(&r, &want));
    roundtrip_types_many_result_free(&r);
    roundtrip_types_many_result_free(&want);
    roundtrip_types_many_result_free(&host);
    roundtrip_string_free(&gn);
  }
  uint32_t vs[] = { 0, 4294967295u, 7 };
  for (int i = 0; i < 3; i++) {
    many_t host = multi_of(vs[i]), want = change_many(&host), r;
    begin("multi", &vs[i]);
    WgTrap *t = exports_roundtrip_guest_call_multi(&rt, vs[i], &r);
    finish("guest.multi", t, !t && eq_many(&r, &want));
    roundtrip_types_many_result_free(&r);
    roundtrip_types_many_result_free(&want);
    roundtrip_types_many_result_free(&host);
  }
}

/* Section: the host's resource `hres` */

typedef roundtrip_types_hres_t hres_t;
typedef roundtrip_types_borrow_hres_t bhres_t;

typedef struct Hres {
  int32_t v;
  bool disposed;
} Hres;

static Hres hres[4096];
static uint32_t hres_count;          /* made (constructor, host) */
static int32_t disposed_order[4096]; /* values of those the guest dropped */
static uint32_t disposed_count;
static uint32_t made[64], made_count; /* what host functions made */

static hres_t hres_new(int32_t v) {
  hres[hres_count] = (Hres){ v, false };
  hres_t h = { ++hres_count }; /* rep: index + 1 */
  return h;
}

static Hres *H(uint32_t rep) {
  if (rep == 0 || rep > hres_count) {
    fail("hres", "unknown representation %" PRIu32, rep);
    static Hres none;
    return &none;
  }
  return &hres[rep - 1];
}

static hres_t host_make(int32_t v) {
  hres_t h = hres_new(v);
  made[made_count++ % 64] = h.rep;
  return h;
}

static WgTrap *hres_destructor(void *ctx, hres_t self) {
  (void)ctx;
  if (self.rep == 0 || self.rep > hres_count)
    return wg_trap_new("unknown hres");
  Hres *h = &hres[self.rep - 1];
  if (h->disposed)
    fail("hres drop", "Hres#%" PRIu32 " dropped twice", self.rep);
  h->disposed = true;
  disposed_order[disposed_count++] = h->v;
  return NULL;
}

static WgTrap *hres_new_(void *ctx, WgCCall *call, int32_t v, hres_t *ret) {
  (void)ctx, (void)call;
  *ret = hres_new(v);
  return NULL;
}
static WgTrap *hres_get(void *ctx, WgCCall *call, bhres_t self, int32_t *ret) {
  (void)ctx, (void)call;
  *ret = H(self.rep)->v;
  return NULL;
}
static WgTrap *hres_set(void *ctx, WgCCall *call, bhres_t self, int32_t v) {
  (void)ctx, (void)call;
  H(self.rep)->v = v;
  return NULL;
}
static WgTrap *hres_sum(void *ctx, WgCCall *call, bhres_t a, bhres_t b,
                        int32_t *ret) {
  (void)ctx, (void)call;
  *ret = H(a.rep)->v + H(b.rep)->v;
  return NULL;
}

static WgTrap *h_hres_make(void *ctx, WgCCall *call, int32_t v, hres_t *ret) {
  (void)ctx, (void)call;
  if (arrived("hres-make") && v != *(const int32_t *)expect.arg)
    fail("host.hres-make", "argument differs");
  *ret = host_make(v);
  return NULL;
}
static WgTrap *h_hres_take(void *ctx, WgCCall *call, hres_t r, int32_t *ret) {
  (void)ctx, (void)call;
  if (arrived("hres-take") && r.rep != ((const hres_t *)expect.arg)->rep)
    fail("host.hres-take", "argument differs");
  *ret = H(r.rep)->v; /* the handle is the host's again: not dropped */
  return NULL;
}
static WgTrap *h_hres_peek(void *ctx, WgCCall *call, bhres_t r, int32_t *ret) {
  (void)ctx, (void)call;
  if (arrived("hres-peek") && r.rep != ((const bhres_t *)expect.arg)->rep)
    fail("host.hres-peek", "argument differs");
  *ret = H(r.rep)->v * 10;
  return NULL;
}
static WgTrap *h_hres_pass(void *ctx, WgCCall *call, hres_t r, hres_t *ret) {
  (void)ctx, (void)call;
  if (arrived("hres-pass") && r.rep != ((const hres_t *)expect.arg)->rep)
    fail("host.hres-pass", "argument differs");
  *ret = host_make(H(r.rep)->v + 1);
  return NULL;
}
static WgTrap *h_hres_list(void *ctx, WgCCall *call,
                           roundtrip_list_roundtrip_types_hres_t l,
                           roundtrip_list_roundtrip_types_hres_t *ret) {
  (void)ctx, (void)call;
  const roundtrip_list_roundtrip_types_hres_t *w = expect.arg;
  bool same = l.len == w->len;
  for (size_t i = 0; same && i < l.len; i++)
    same = l.ptr[i].rep == w->ptr[i].rep;
  if (arrived("hres-list") && !same) fail("host.hres-list", "argument differs");
  ret->len = l.len + 1;
  ret->ptr = xmalloc(ret->len * sizeof *ret->ptr);
  ret->ptr[0] = host_make(99);
  for (size_t i = 0; i < l.len; i++) {
    H(l.ptr[i].rep)->v += 10;
    ret->ptr[i + 1] = l.ptr[i];
  }
  roundtrip_list_roundtrip_types_hres_free(&l); /* the list; handles moved */
  return NULL;
}

typedef struct Check {
  const char *what;
  bool ok;
  char detail[96];
} Check;

static void res_case(const char *what, Check *checks, int n) {
  int b = failed;
  for (int i = 0; i < n; i++)
    if (!checks[i].ok)
      fail(what, "%s: %s", checks[i].what,
           checks[i].detail[0] ? checks[i].detail : "false");
  if (failed == b) passed++;
}

#define CHECK(i, label, cond) \
  do {                        \
    Check *c_ = &checks[i];   \
    c_->what = (label);       \
    c_->ok = (cond);          \
    c_->detail[0] = 0;        \
  } while (0)

/* Deletes `t`; false (with the message in `c`) when there was one. */
static bool no_trap(WgTrap *t, Check *c) {
  if (!t) return true;
  c->ok = false;
  snprintf(c->detail, sizeof c->detail, "trapped: %s", wg_trap_message(t));
  wg_trap_delete(t);
  return false;
}

static void hres_cases(void) {
  Check checks[16];
  WgTrap *t;
  /* hres-make: host handle, constructor, methods, drop */
  made_count = 0;
  int32_t five = 5;
  hres_t r = { 0 };
  begin("hres-make", &five);
  t = exports_roundtrip_guest_call_hres_make(&rt, five, &r);
  active = false;
  uint32_t a = made[0];
  CHECK(0, "result made by the constructor import", !t && r.rep && r.rep != a);
  no_trap(t, &checks[0]);
  CHECK(1, "value (2 * 5, then set(get() + 1))", r.rep && H(r.rep)->v == 11);
  CHECK(2, "the host's handle was dropped", H(a)->disposed);
  CHECK(3, "the result was not", r.rep && !H(r.rep)->disposed);
  res_case("hres-make: host handle, constructor, methods, drop", checks, 4);
  /* hres-take: own moves guest -> host */
  hres_t own = hres_new(21);
  int32_t v = 0;
  begin("hres-take", &own);
  t = exports_roundtrip_guest_call_hres_take(&rt, own, &v);
  active = false;
  CHECK(0, "result", !t && v == 42);
  no_trap(t, &checks[0]);
  CHECK(1, "host received it", expect.called);
  CHECK(2, "not dropped by the guest", !H(own.rep)->disposed);
  res_case("hres-take: own moves guest -> host", checks, 3);
  /* hres-peek: borrow to import, method, static */
  own = hres_new(7);
  bhres_t b = roundtrip_types_borrow_hres(own);
  begin("hres-peek", &b);
  t = exports_roundtrip_guest_call_hres_peek(&rt, b, &v);
  active = false;
  CHECK(0, "result 70 + 7 + 14", !t && v == 91);
  no_trap(t, &checks[0]);
  CHECK(1, "borrow not dropped as own", !H(own.rep)->disposed);
  CHECK(2, "still usable", H(own.rep)->v == 7);
  res_case("hres-peek: borrow to import, method, static", checks, 3);
  /* hres-pass: own in, own out */
  made_count = 0;
  own = hres_new(3);
  begin("hres-pass", &own);
  t = exports_roundtrip_guest_call_hres_pass(&rt, own, &r);
  active = false;
  CHECK(0, "result is the host's new object", !t && r.rep == made[0]);
  no_trap(t, &checks[0]);
  CHECK(1, "value", !t && H(r.rep)->v == 104);
  CHECK(2, "argument not dropped by the guest", !H(own.rep)->disposed);
  CHECK(3, "result not dropped", !t && !H(r.rep)->disposed);
  res_case("hres-pass: own in, own out", checks, 4);
  /* hres-list */
  int sizes[3] = { 0, 1, 3 };
  for (int k = 0; k < 3; k++) {
    made_count = 0;
    int n = sizes[k];
    hres_t items[3];
    for (int i = 0; i < n; i++)
      items[i] = hres_new(i + 1);
    roundtrip_list_roundtrip_types_hres_t l = { items, (size_t)n }, got;
    begin("hres-list", &l);
    t = exports_roundtrip_guest_call_hres_list(&rt, l, &got);
    active = false;
    bool same = !t && got.len == (size_t)n;
    for (int i = 0; same && i < n; i++)
      same = got.ptr[i].rep == items[n - 1 - i].rep;
    bool values = true, returned_dropped = false;
    for (int i = 0; i < n; i++) {
      values &= H(items[i].rep)->v == i + 11;
      returned_dropped |= H(items[i].rep)->disposed;
    }
    char what[80];
    snprintf(what, sizeof what,
             "hres-list of %d: list<own> both ways, _free drops one", n);
    CHECK(0, "result: the same objects reversed", same);
    no_trap(t, &checks[0]);
    CHECK(1, "values bumped by the host", values);
    CHECK(2, "the extra handle was dropped", H(made[0])->disposed);
    CHECK(3, "no returned handle dropped", !returned_dropped);
    res_case(what, checks, 4);
    if (!t) roundtrip_list_roundtrip_types_hres_free(&got);
  }
}

/* Section: the guest's resource `gacc` */

typedef exports_roundtrip_guest_gacc_t gacc_t;

static void gacc_cases(void) {
  Check checks[16];
  int c = 0;
  WgTrap *t;
  uint32_t d0 = 0, dn = 0, live = 99;
  bool ok =
      no_trap(exports_roundtrip_guest_call_gacc_dropped(&rt, &d0),
              &checks[c]) &&
      no_trap(exports_roundtrip_guest_call_gacc_live(&rt, &live), &checks[c]);
  CHECK(c, "live at start", ok && live == 0);
  c++;
  gacc_t ga, gb, gc, gw;
  int64_t v = 0;
  t = exports_roundtrip_guest_call_gacc_new(&rt, 10, &ga);
  CHECK(c, "constructor", !t && ga.type != NULL);
  no_trap(t, &checks[c++]);
  exports_roundtrip_guest_borrow_gacc_t ba =
      exports_roundtrip_guest_borrow_gacc(ga);
  t = exports_roundtrip_guest_call_gacc_add(&rt, ba, 5, &v);
  CHECK(c, "add", !t && v == 15);
  no_trap(t, &checks[c++]);
  t = exports_roundtrip_guest_call_gacc_get(&rt, ba, &v);
  CHECK(c, "get", !t && v == 15);
  no_trap(t, &checks[c++]);
  t = exports_roundtrip_guest_call_gacc_new(&rt, INT64_MIN, &gb);
  no_trap(t, &checks[c - 1]);
  t = exports_roundtrip_guest_call_gacc_merge(
      &rt, ga, exports_roundtrip_guest_borrow_gacc(gb), &gc);
  CHECK(c, "merge", !t);
  no_trap(t, &checks[c++]);
  t = exports_roundtrip_guest_call_gacc_get(
      &rt, exports_roundtrip_guest_borrow_gacc(gc), &v);
  CHECK(c, "merge value", !t && v == (int64_t)(15ull + (1ull << 63)));
  no_trap(t, &checks[c++]);
  ok = !exports_roundtrip_guest_call_gacc_dropped(&rt, &dn) && dn - d0 == 1;
  CHECK(c++, "merge dropped its own argument", ok);
  ok = !exports_roundtrip_guest_call_gacc_live(&rt, &live) && live == 2;
  CHECK(c++, "live after merge", ok);
  t = exports_roundtrip_guest_call_gacc_get(&rt, ba, &v); /* `a` moved */
  CHECK(c++, "a moved into merge is no longer usable",
        t && wg_trap_kind(t) == WG_TRAP_MISUSE);
  wg_trap_delete(t);
  t = exports_roundtrip_guest_call_gacc_new(&rt, INT64_MAX, &gw);
  no_trap(t, &checks[c - 1]);
  t = exports_roundtrip_guest_call_gacc_add(
      &rt, exports_roundtrip_guest_borrow_gacc(gw), 1, &v);
  CHECK(c, "add wraps", !t && v == INT64_MIN);
  no_trap(t, &checks[c++]);
  ok = true;
  gacc_t owns[3] = { gb, gc, gw };
  for (int i = 0; i < 3; i++) {
    t = exports_roundtrip_guest_gacc_drop(owns[i]);
    ok &= !t;
    wg_trap_delete(t);
  }
  /* a second drop is refused: no destructor runs */
  t = exports_roundtrip_guest_gacc_drop(owns[0]);
  ok &= t && wg_trap_kind(t) == WG_TRAP_MISUSE;
  wg_trap_delete(t);
  ok &= !exports_roundtrip_guest_call_gacc_dropped(&rt, &dn) && dn - d0 == 4;
  CHECK(c++, "destructor ran for each", ok);
  ok = !exports_roundtrip_guest_call_gacc_live(&rt, &live) && live == 0;
  CHECK(c++, "live at end", ok);
  res_case("gacc: constructor, methods, static, drops reach the destructor",
           checks, c);
  printf("guest-defined gacc: %" PRIu32 " destroyed by the guest's "
         "destructor, %" PRIu32 " live at the end\n",
         dn - d0, live);
}

static void drops(void) {
  /* every host-made handle the guest dropped, exactly once */
  bool ok = disposed_count == 4 && disposed_order[0] == 5 &&
            disposed_order[1] == 99 && disposed_order[2] == 99 &&
            disposed_order[3] == 99;
  Check dc = { "dropped values (hres-make, hres-list extras)", ok, "" };
  if (!ok) {
    size_t k = 0;
    for (uint32_t i = 0; i < disposed_count && k < sizeof dc.detail - 12; i++)
      k += (size_t)snprintf(dc.detail + k, sizeof dc.detail - k, "%d ",
                            disposed_order[i]);
  }
  res_case("hres drops: only the handles the guest let go", &dc, 1);
  printf("host-defined hres: %" PRIu32 " made, %" PRIu32
         " dropped by the guest (the table's destructor)\n",
         hres_count, disposed_count);
}

/* Section: main */

static const roundtrip_host_impl_t host_impl = {
  .s8 = h_s8,
  .u8 = h_u8,
  .s16 = h_s16,
  .u16 = h_u16,
  .s32 = h_s32,
  .u32 = h_u32,
  .s64 = h_s64,
  .u64 = h_u64,
  .f32 = h_f32,
  .f64 = h_f64,
  .boolean = h_boolean,
  .chr = h_chr,
  .str = h_str,
  .bytes = h_bytes,
  .points = h_points,
  .opt = h_opt,
  .res_both = h_res_both,
  .res_ok = h_res_ok,
  .res_err = h_res_err,
  .res_none = h_res_none,
  .var = h_var,
  .deep = h_deep,
  .enm = h_enm,
  .set1 = h_set1,
  .set9 = h_set9,
  .set32 = h_set32,
  .tup = h_tup,
  .arr = h_arr,
  .arr_str = h_arr_str,
  .arr_big = h_arr_big,
  .many = h_many,
  .multi = h_multi,
  .hres_make = h_hres_make,
  .hres_take = h_hres_take,
  .hres_peek = h_hres_peek,
  .hres_pass = h_hres_pass,
  .hres_list = h_hres_list,
};

static const roundtrip_types_impl_t types_impl = {
  .hres_destructor = hres_destructor,
  .hres_new = hres_new_,
  .hres_get = hres_get,
  .hres_set = hres_set,
  .hres_sum = hres_sum,
};

static const roundtrip_imports_t imports = {
  .roundtrip_types = &types_impl,
  .roundtrip_host = &host_impl,
};

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
  if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
    fclose(f);
    free(b);
    return NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return b;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: host_typed COMPONENT.wasm\n");
    return 2;
  }
  size_t len;
  uint8_t *bytes = read_file(argv[1], &len);
  if (!bytes) {
    fprintf(stderr, "host_typed: cannot read %s\n", argv[1]);
    return 2;
  }
  WgEngine *engine = wg_engine_new(NULL);
  WgDiagList *diags = wg_diag_list_new();
  WgWasmComponent *comp;
  WgStatus st = wg_wasm_component_load(engine, bytes, len, &comp, diags);
  free(bytes);
  if (st != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  WgComponentLinker *linker = wg_component_linker_new(engine, NULL);
  WgStore *store = wg_store_new(engine);
  if (roundtrip_add_to_linker(linker, &imports, NULL, diags) != WG_OK ||
      roundtrip_instantiate(linker, store, comp, &rt, diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  integers();
  floats();
  strings();
  lists();
  options_results();
  variants();
  tuples();
  many();
  hres_cases();
  gacc_cases();
  drops();
  printf("%d passed, %d failed\n", passed, failed);
  wg_store_delete(store);
  wg_component_linker_delete(linker);
  wg_wasm_component_delete(comp);
  wg_engine_delete(engine);
  wg_diag_list_delete(diags);
  return failed == 0 && passed > 0 ? 0 : 1;
}
