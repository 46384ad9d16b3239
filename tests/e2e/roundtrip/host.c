/* SPDX-License-Identifier: Apache-2.0 */
/* The C host of the round-trip test (issue 14, must-show 2): the same
 * cases and checks as host.mjs, on witgen's own component runtime
 * (witgen/component.h) instead of jco in Node. It loads the component,
 * implements `host` and the `hres` resource of `types`, and for every
 * case:
 *   1. calls the guest export with a value;
 *   2. checks that the matching `host` import receives exactly that value;
 *   3. returns a value of its own (sometimes changed);
 *   4. checks that the guest returns exactly what guest.c's change of the
 *      host's value gives.
 * Resource drops are counted as host.mjs counts them. With `--log FILE`
 * every case is written as one line of JSON shaped as jco shows values to
 * JavaScript (host.mjs writes the same with `--log`), so the two logs can
 * be compared line by line.
 *
 *   host COMPONENT.wasm [--log FILE] [--link PEER.wasm]
 * With --link (issue 17, the split round trip) the component is linked at
 * run time to PEER (a WgComponentGraph): PEER's exports fill its imports,
 * the host's definitions what PEER imports.
 * Prints one line per failure and `N passed, M failed`; exit 1 on failure.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "witgen/component.h"

static int passed, failed;
static FILE *logf_;

static void fail(const char *what, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  failed++;
  printf("FAIL %s: ", what);
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
}

/* Section: building values (a bump arena, reset per case) */

static char arena[1 << 22];
static size_t arena_used;

static void *A(size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (arena_used + n > sizeof arena) {
    fprintf(stderr, "host: arena exhausted\n");
    exit(2);
  }
  void *p = arena + arena_used;
  arena_used += n;
  memset(p, 0, n);
  return p;
}

static WgCVal *box(WgCVal v) {
  WgCVal *p = A(sizeof *p);
  *p = v;
  return p;
}

static WgCVal U(WgCValKind k, uint64_t v) {
  return wg_cval_uint(k, v);
}
static WgCVal S(WgCValKind k, int64_t v) {
  return wg_cval_int(k, v);
}
static WgCVal STRN(const char *s, size_t n) {
  char *p = A(n + 1);
  memcpy(p, s, n);
  return wg_cval_string(p, n);
}
static WgCVal STR(const char *s) {
  return STRN(s, strlen(s));
}
static WgCVal SEQ(WgCValKind k, size_t n, const WgCVal *items) {
  WgCVal *p = A((n ? n : 1) * sizeof *p);
  if (n) memcpy(p, items, n * sizeof *p);
  return wg_cval_seq(k, p, n);
}
#define LIST(...)                                                       \
  SEQ(WG_CVAL_LIST, sizeof((WgCVal[]){ __VA_ARGS__ }) / sizeof(WgCVal), \
      (WgCVal[]){ __VA_ARGS__ })
#define TUP(...)                                                         \
  SEQ(WG_CVAL_TUPLE, sizeof((WgCVal[]){ __VA_ARGS__ }) / sizeof(WgCVal), \
      (WgCVal[]){ __VA_ARGS__ })
#define REC(...)                                                          \
  SEQ(WG_CVAL_RECORD, sizeof((WgCVal[]){ __VA_ARGS__ }) / sizeof(WgCVal), \
      (WgCVal[]){ __VA_ARGS__ })
static const WgCVal EMPTY_LIST = { WG_CVAL_LIST, { .u = 0 } };

static WgCVal NONE(void) {
  return wg_cval_case(WG_CVAL_OPTION, 0, NULL);
}
static WgCVal SOME(WgCVal v) {
  return wg_cval_case(WG_CVAL_OPTION, 1, box(v));
}
static WgCVal OK(WgCVal v) {
  return wg_cval_case(WG_CVAL_RESULT, 0, box(v));
}
static WgCVal OK0(void) {
  return wg_cval_case(WG_CVAL_RESULT, 0, NULL);
}
static WgCVal ERR(WgCVal v) {
  return wg_cval_case(WG_CVAL_RESULT, 1, box(v));
}
static WgCVal ERR0(void) {
  return wg_cval_case(WG_CVAL_RESULT, 1, NULL);
}
static WgCVal CASE(uint32_t i, WgCVal *payload) {
  return wg_cval_case(WG_CVAL_VARIANT, i, payload);
}
static WgCVal ENUM(uint32_t i) {
  return wg_cval_case(WG_CVAL_ENUM, i, NULL);
}

/* Strings: reversed by code point, and concatenated. */
static size_t utf8_len(unsigned char c) {
  return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}
static WgCVal REV(WgCVal s) {
  char *p = A(s.of.str.len + 1);
  size_t n = s.of.str.len;
  for (size_t i = 0; i < n;) {
    size_t k = utf8_len((unsigned char)s.of.str.ptr[i]);
    memcpy(p + n - i - k, s.of.str.ptr + i, k);
    i += k;
  }
  return wg_cval_string(p, n);
}
static WgCVal CAT(WgCVal a, const char *b, size_t bn) {
  char *p = A(a.of.str.len + bn + 1);
  memcpy(p, a.of.str.ptr, a.of.str.len);
  memcpy(p + a.of.str.len, b, bn);
  return wg_cval_string(p, a.of.str.len + bn);
}
#define MIDDOT "\xc2\xb7"

/* Section: the log, in jco's JavaScript shapes as JSON */

static void jstr(WgBuf *b, const char *s, size_t n) {
  wg_buf_append(b, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char e[8];
    const char *esc = NULL;
    switch (c) {
      case '"':
        esc = "\\\"";
        break;
      case '\\':
        esc = "\\\\";
        break;
      case '\n':
        esc = "\\n";
        break;
      case '\r':
        esc = "\\r";
        break;
      case '\t':
        esc = "\\t";
        break;
      case '\b':
        esc = "\\b";
        break;
      case '\f':
        esc = "\\f";
        break;
      default:
        if (c < 0x20) {
          snprintf(e, sizeof e, "\\u%04x", c);
          esc = e;
        }
    }
    if (esc)
      wg_buf_append(b, esc, strlen(esc));
    else
      wg_buf_append(b, &s[i], 1);
  }
  wg_buf_append(b, "\"", 1);
}

static void jprintf(WgBuf *b, const char *fmt, ...) {
  char t[64];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(t, sizeof t, fmt, ap);
  va_end(ap);
  wg_buf_append(b, t, (size_t)n);
}

/* A JavaScript number: safe integers as themselves, NaN as "NaN", others
 * as their IEEE-754 bits (host.mjs does the same), so -0 and fractions
 * compare exactly. */
static void jnum(WgBuf *b, double d) {
  if (d != d) { /* NaN payloads are not observable in JavaScript */
    jprintf(b, "\"NaN\"");
    return;
  }
  if (d == d && fabs(d) <= 9007199254740991.0 && d == trunc(d) &&
      !(d == 0 && signbit(d))) {
    jprintf(b, "%.0f", d);
    return;
  }
  uint64_t bits;
  memcpy(&bits, &d, 8);
  jprintf(b, "\"f64:%" PRIx64 "\"", bits);
}

static const char *hres_text(uint32_t rep);

/* True when jco shows `v` of type `t` as `undefined`: none of an option
 * whose payload is not itself an option. */
static bool undef(const WgCVal *v, const WgCValTy *t) {
  return t->kind == WG_CT_OPTION && t->elems[0]->kind != WG_CT_OPTION &&
         v->of.cases.index == 0;
}

static void jval(WgBuf *b, const WgCVal *v, const WgCValTy *t);

static void jlabel(WgBuf *b, WgStr l) { /* lowerCamelCase */
  char tmp[128];
  size_t n = 0;
  for (size_t i = 0; i < l.len && n < sizeof tmp - 1; i++) {
    if (l.ptr[i] == '-' && i + 1 < l.len) {
      char c = l.ptr[++i];
      tmp[n++] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
    } else {
      tmp[n++] = l.ptr[i];
    }
  }
  jstr(b, tmp, n);
}

static void jtagged(WgBuf *b, const char *tag, size_t n, const WgCVal *payload,
                    const WgCValTy *pt) {
  wg_buf_append(b, "{\"tag\":", 7);
  jstr(b, tag, n);
  if (payload && pt && !undef(payload, pt)) {
    wg_buf_append(b, ",\"val\":", 7);
    jval(b, payload, pt);
  }
  wg_buf_append(b, "}", 1);
}

static void jval(WgBuf *b, const WgCVal *v, const WgCValTy *t) {
  switch (v->kind) {
    case WG_CVAL_BOOL:
      jprintf(b, "%s", v->of.b ? "true" : "false");
      return;
    case WG_CVAL_S8:
    case WG_CVAL_S16:
    case WG_CVAL_S32:
      jprintf(b, "%" PRId64, v->of.s);
      return;
    case WG_CVAL_U8:
    case WG_CVAL_U16:
    case WG_CVAL_U32:
      jprintf(b, "%" PRIu64, v->of.u);
      return;
    case WG_CVAL_S64:
      jprintf(b, "\"%" PRId64 "n\"", v->of.s);
      return;
    case WG_CVAL_U64:
      jprintf(b, "\"%" PRIu64 "n\"", v->of.u);
      return;
    case WG_CVAL_F32:
      jnum(b, (double)v->of.f32);
      return;
    case WG_CVAL_F64:
      jnum(b, v->of.f64);
      return;
    case WG_CVAL_CHAR: {
      char u[4];
      uint32_t c = v->of.ch;
      size_t n = c < 0x80      ? (u[0] = (char)c, 1)
                 : c < 0x800   ? (u[0] = (char)(0xC0 | c >> 6),
                                u[1] = (char)(0x80 | (c & 0x3F)), 2)
                 : c < 0x10000 ? (u[0] = (char)(0xE0 | c >> 12),
                                  u[1] = (char)(0x80 | (c >> 6 & 0x3F)),
                                  u[2] = (char)(0x80 | (c & 0x3F)), 3)
                               : (u[0] = (char)(0xF0 | c >> 18),
                                  u[1] = (char)(0x80 | (c >> 12 & 0x3F)),
                                  u[2] = (char)(0x80 | (c >> 6 & 0x3F)),
                                  u[3] = (char)(0x80 | (c & 0x3F)), 4);
      jstr(b, u, n);
      return;
    }
    case WG_CVAL_STRING:
      jstr(b, v->of.str.ptr, v->of.str.len);
      return;
    case WG_CVAL_LIST:
    case WG_CVAL_TUPLE:
      wg_buf_append(b, "[", 1);
      for (size_t i = 0; i < v->of.seq.count; i++) {
        if (i) wg_buf_append(b, ",", 1);
        const WgCValTy *e = v->kind == WG_CVAL_LIST ? t->elems[0] : t->elems[i];
        if (undef(&v->of.seq.items[i], e))
          wg_buf_append(b, "null", 4);
        else
          jval(b, &v->of.seq.items[i], e);
      }
      wg_buf_append(b, "]", 1);
      return;
    case WG_CVAL_RECORD: {
      wg_buf_append(b, "{", 1);
      bool first = true;
      for (size_t i = 0; i < v->of.seq.count; i++) {
        if (undef(&v->of.seq.items[i], t->elems[i])) continue;
        if (!first) wg_buf_append(b, ",", 1);
        first = false;
        jlabel(b, t->labels[i]);
        wg_buf_append(b, ":", 1);
        jval(b, &v->of.seq.items[i], t->elems[i]);
      }
      wg_buf_append(b, "}", 1);
      return;
    }
    case WG_CVAL_VARIANT: {
      WgStr l = t->labels[v->of.cases.index];
      jtagged(b, l.ptr, l.len, v->of.cases.payload,
              t->elems[v->of.cases.index]);
      return;
    }
    case WG_CVAL_ENUM: {
      WgStr l = t->labels[v->of.cases.index];
      jstr(b, l.ptr, l.len);
      return;
    }
    case WG_CVAL_OPTION:
      if (t->elems[0]->kind == WG_CT_OPTION) {
        if (v->of.cases.index)
          jtagged(b, "some", 4, v->of.cases.payload, t->elems[0]);
        else
          jtagged(b, "none", 4, NULL, NULL);
      } else if (v->of.cases.index) {
        jval(b, v->of.cases.payload, t->elems[0]);
      } else {
        wg_buf_append(b, "null", 4);
      }
      return;
    case WG_CVAL_RESULT:
      jtagged(b, v->of.cases.index ? "err" : "ok", v->of.cases.index ? 3 : 2,
              v->of.cases.payload, t->elems[v->of.cases.index]);
      return;
    case WG_CVAL_FLAGS:
      wg_buf_append(b, "{", 1);
      for (uint32_t i = 0; i < t->count; i++) {
        if (i) wg_buf_append(b, ",", 1);
        jlabel(b, t->labels[i]);
        jprintf(b, ":%s", v->of.flags >> i & 1 ? "true" : "false");
      }
      wg_buf_append(b, "}", 1);
      return;
    case WG_CVAL_OWN:
    case WG_CVAL_BORROW:
      jstr(b, hres_text(v->of.res.rep), strlen(hres_text(v->of.res.rep)));
      return;
  }
}

/* The JSON of arguments: an array of the values. */
static void jargs(WgBuf *b, const WgCVal *args, size_t n, const WgCFuncTy *f) {
  wg_buf_append(b, "[", 1);
  for (size_t i = 0; i < n; i++) {
    if (i) wg_buf_append(b, ",", 1);
    if (undef(&args[i], f->params[i]))
      wg_buf_append(b, "null", 4);
    else
      jval(b, &args[i], f->params[i]);
  }
  wg_buf_append(b, "]", 1);
}

static void jresult(WgBuf *b, const WgCVal *v, const WgCValTy *t) {
  if (!t || undef(v, t))
    wg_buf_append(b, "undefined", 9);
  else
    jval(b, v, t);
}

/* Section: the host's `hres` objects */

typedef struct Hres {
  int32_t v;
  bool disposed;
} Hres;

static Hres hres[4096];
static uint32_t hres_count;
static int32_t disposed_order[4096]; /* values of disposed, in order */
static uint32_t disposed_count;
static uint32_t made[64], made_count; /* what host functions made */
static WgCResourceType *hres_type;

static uint32_t hres_new(int32_t v) {
  hres[hres_count] = (Hres){ v, false };
  return ++hres_count; /* rep: index + 1 */
}

static const char *hres_text(uint32_t rep) {
  static char buf[32];
  if (rep == 0 || rep > hres_count) return "hres(?)";
  snprintf(buf, sizeof buf, "hres(%d)", hres[rep - 1].v);
  return buf;
}

static uint32_t host_make(int32_t v) {
  uint32_t r = hres_new(v);
  made[made_count++ % 64] = r;
  return r;
}

static WgTrap *hres_dtor(void *env, uint32_t rep) {
  (void)env;
  if (rep == 0 || rep > hres_count) return wg_trap_new("unknown hres");
  Hres *h = &hres[rep - 1];
  if (h->disposed) fail("hres drop", "Hres#%u dropped twice", rep);
  h->disposed = true;
  disposed_order[disposed_count++] = h->v;
  return NULL;
}

static WgCVal OWN(uint32_t rep) {
  return wg_cval_resource(WG_CVAL_OWN, hres_type, rep);
}

/* Section: the `host` interface */

/* The call the current case expects. */
static struct {
  const char *name;
  const WgCVal *args;
  size_t count;
  bool called;
  WgBuf seen; /* log: what the host received and returned */
} pending;

static bool active;

static void show(char *out, size_t n, const WgCVal *v, const WgCValTy *t) {
  WgBuf b = { 0 };
  wg_cval_print(&b, v, t);
  snprintf(out, n, "%.*s", (int)b.len, b.data ? b.data : "");
  wg_buf_free(&b);
}

/* `name` of `witgen:roundtrip/host#name` */
static WgStr member(WgStr full) {
  const char *h = memchr(full.ptr, '#', full.len);
  return h ? (WgStr){ h + 1, full.len - (size_t)(h + 1 - full.ptr) } : full;
}

/* What the host returns: change(...args) of host.mjs. */
static bool change(WgStr fn, const WgCVal *a, size_t n, WgCVal *r) {
  (void)n;
#define IS(s) wg_str_eq(fn, WG_STR(s))
  if (IS("str")) {
    *r = CAT(a[0], MIDDOT, 2);
  } else if (IS("points")) {
    size_t count = a[0].of.seq.count;
    WgCVal *items = A((count ? count : 1) * sizeof *items);
    for (size_t i = 0; i < count; i++) {
      const WgCVal *p = &a[0].of.seq.items[i];
      WgCVal *f = A(4 * sizeof *f);
      memcpy(f, p->of.seq.items, 4 * sizeof *f);
      f[1] = wg_cval_f64(-f[1].of.f64);
      items[i] = wg_cval_seq(WG_CVAL_RECORD, f, 4);
    }
    *r = wg_cval_seq(WG_CVAL_LIST, items, count);
  } else if (IS("arr-str")) {
    *r = SEQ(WG_CVAL_LIST, 2,
             (WgCVal[]){ CAT(a[0].of.seq.items[0], "1", 1),
                         CAT(a[0].of.seq.items[1], "2", 1) });
  } else if (IS("many")) {
    WgCVal s = CAT(CAT(a[6], "|", 1), a[13].of.str.ptr, a[13].of.str.len);
    *r = TUP(a[9], s, a[5], a[0]);
  } else if (IS("multi")) {
    uint32_t v = (uint32_t)a[0].of.u;
    char m[32];
    int k = snprintf(m, sizeof m, "m%u\xc3\xa9", v);
    *r = TUP(U(WG_CVAL_U64, (uint64_t)v * 3), STRN(m, (size_t)k),
             wg_cval_f64(v / 2.0), U(WG_CVAL_U8, v & 255));
  } else if (IS("hres-make")) {
    *r = OWN(host_make((int32_t)a[0].of.s));
  } else if (IS("hres-take")) {
    *r = S(WG_CVAL_S32, hres[a[0].of.res.rep - 1].v);
  } else if (IS("hres-peek")) {
    *r = S(WG_CVAL_S32, hres[a[0].of.res.rep - 1].v * 10);
  } else if (IS("hres-pass")) {
    *r = OWN(host_make(hres[a[0].of.res.rep - 1].v + 1));
  } else if (IS("hres-list")) {
    size_t count = a[0].of.seq.count;
    WgCVal *items = A((count + 1) * sizeof *items);
    items[0] = OWN(host_make(99));
    for (size_t i = 0; i < count; i++) {
      uint32_t rep = a[0].of.seq.items[i].of.res.rep;
      hres[rep - 1].v += 10;
      items[i + 1] = a[0].of.seq.items[i];
    }
    *r = wg_cval_seq(WG_CVAL_LIST, items, count + 1);
  } else {
    *r = a[0]; /* identity */
  }
  return true;
#undef IS
}

static WgTrap *host_fn(void *env, WgCCall *call, const WgCVal *args,
                       size_t nargs, WgCVal *results, size_t nres) {
  (void)env;
  WgStr fn = member(wg_ccall_name(call));
  const WgCFuncTy *ft = wg_ccall_type(call);
  char what[64];
  snprintf(what, sizeof what, "host.%.*s", (int)fn.len, fn.ptr);
  if (!active || !pending.name ||
      !wg_str_eq(fn, wg_str_from_cstr(pending.name))) {
    fail(what, "called unexpectedly");
  } else {
    pending.called = true;
    bool same = pending.count == nargs;
    for (size_t i = 0; same && i < nargs; i++)
      same = wg_cval_equal(&args[i], &pending.args[i]);
    if (!same) {
      char g[512], w[512];
      show(g, sizeof g, &args[0], ft->params[0]);
      show(w, sizeof w, &pending.args[0], ft->params[0]);
      fail(what, "argument: got %s, want %s", g, w);
    }
    jargs(&pending.seen, args, nargs, ft);
  }
  WgCVal r;
  change(fn, args, nargs, &r);
  if (nres) {
    results[0] = r;
    wg_buf_append(&pending.seen, " -> ", 4);
    jresult(&pending.seen, &r, ft->result);
  }
  return NULL;
}

/* the `types` interface: hres's constructor, methods and static */
static WgTrap *types_fn(void *env, WgCCall *call, const WgCVal *args,
                        size_t nargs, WgCVal *results, size_t nres) {
  (void)env, (void)nargs, (void)nres;
  WgStr fn = member(wg_ccall_name(call));
  if (wg_str_eq(fn, WG_STR("[constructor]hres"))) {
    results[0] = OWN(hres_new((int32_t)args[0].of.s));
  } else if (wg_str_eq(fn, WG_STR("[method]hres.get"))) {
    results[0] = S(WG_CVAL_S32, hres[args[0].of.res.rep - 1].v);
  } else if (wg_str_eq(fn, WG_STR("[method]hres.set"))) {
    hres[args[0].of.res.rep - 1].v = (int32_t)args[1].of.s;
  } else if (wg_str_eq(fn, WG_STR("[static]hres.sum"))) {
    results[0] = S(WG_CVAL_S32, hres[args[0].of.res.rep - 1].v +
                                    hres[args[1].of.res.rep - 1].v);
  } else {
    return wg_trap_new("unknown types function");
  }
  return NULL;
}

/* Section: running cases */

static WgComponentInstance *inst;
static WgStore *store;

static WgComponentFunc *gfunc(const char *name) {
  char full[128];
  snprintf(full, sizeof full, "witgen:roundtrip/guest#%s", name);
  WgComponentFunc *f = wg_component_instance_func(inst, wg_str_from_cstr(full));
  if (!f) {
    fprintf(stderr, "host: no export %s\n", full);
    exit(2);
  }
  return f;
}

static const char *camel(const char *fn) {
  static char buf[64];
  size_t n = 0;
  for (size_t i = 0; fn[i] && n < sizeof buf - 1; i++)
    buf[n++] = fn[i] == '-' && fn[i + 1] ? (char)(fn[++i] - 32) : fn[i];
  buf[n] = 0;
  return buf;
}

/* Calls guest.fn(args), expecting host.fn to receive `host_args` (NULL:
 * args) and the guest to return `want`. */
static void run(const char *fn, const WgCVal *args, size_t n, WgCVal want,
                const WgCVal *host_args, const char *label) {
  char what[160];
  snprintf(what, sizeof what, "guest.%s(%s)", fn, label ? label : "...");
  WgComponentFunc *f = gfunc(fn);
  const WgCFuncTy *ft = wg_component_func_type(f);
  if (!label) {
    char a[120];
    show(a, sizeof a, &args[0], ft->params[0]);
    snprintf(what, sizeof what, "guest.%s(%s)", fn, a);
  }
  pending.name = fn;
  pending.args = host_args ? host_args : args;
  pending.count = n;
  pending.called = false;
  wg_buf_free(&pending.seen);
  active = true;
  int before = failed;
  WgCVal got;
  WgTrap *t = wg_component_func_call(f, args, n, &got, ft->result ? 1 : 0);
  active = false;
  if (t) {
    fail(what, "trapped: %s", wg_trap_message(t));
    wg_trap_delete(t);
    return;
  }
  if (!pending.called) fail(what, "host.%s was not called", fn);
  if (!wg_cval_equal(&got, &want)) {
    char g[512], w[512];
    show(g, sizeof g, &got, ft->result);
    show(w, sizeof w, &want, ft->result);
    fail(what, "got %s, want %s", g, w);
    if (got.kind == WG_CVAL_STRING)
      printf("  got %zu bytes, want %zu\n", got.of.str.len, want.of.str.len);
  }
  if (logf_) {
    WgBuf b = { 0 };
    jargs(&b, args, n, ft);
    fprintf(logf_, "%s %.*s | host %.*s | guest -> ", camel(fn), (int)b.len,
            b.data, (int)pending.seen.len,
            pending.seen.data ? pending.seen.data : "");
    wg_buf_free(&b);
    jresult(&b, &got, ft->result);
    fprintf(logf_, "%.*s\n", (int)b.len, b.data);
    wg_buf_free(&b);
  }
  if (failed == before) passed++;
}

static void run1(const char *fn, WgCVal arg, WgCVal want, const char *label) {
  run(fn, &arg, 1, want, NULL, label);
}

/* Section: the cases of host.mjs, in its order */

static void integers(void) {
  struct {
    const char *fn;
    WgCValKind k;
    int bits;
    bool sign;
    int64_t v[4];
    int n;
  } cases[] = {
    { "s8", WG_CVAL_S8, 8, true, { -128, 127, 0, -1 }, 4 },
    { "u8", WG_CVAL_U8, 8, false, { 0, 255, 1 }, 3 },
    { "s16", WG_CVAL_S16, 16, true, { -32768, 32767, 0 }, 3 },
    { "u16", WG_CVAL_U16, 16, false, { 0, 65535 }, 2 },
    { "s32", WG_CVAL_S32, 32, true, { INT32_MIN, INT32_MAX, 0, -1 }, 4 },
    { "u32", WG_CVAL_U32, 32, false, { 0, 4294967295, 123456789 }, 3 },
    { "s64", WG_CVAL_S64, 64, true, { INT64_MIN, INT64_MAX, 0, -1 }, 4 },
    { "u64",
      WG_CVAL_U64,
      64,
      false,
      { 0, -1 /* 2^64 - 1 */, (int64_t)((1ull << 53) + 1) },
      3 },
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    for (int i = 0; i < cases[c].n; i++) {
      arena_used = 0;
      uint64_t raw = (uint64_t)cases[c].v[i];
      uint64_t mask = cases[c].bits == 64 ? ~0ull : (1ull << cases[c].bits) - 1;
      uint64_t next = (raw + 1) & mask;
      WgCVal arg, want;
      if (cases[c].sign) {
        int64_t sv = cases[c].v[i];
        int64_t nv = cases[c].bits == 64 ? (int64_t)next
                     : (next >> (cases[c].bits - 1))
                         ? (int64_t)next - (int64_t)(mask + 1)
                         : (int64_t)next;
        arg = S(cases[c].k, sv);
        want = S(cases[c].k, nv);
      } else {
        arg = U(cases[c].k, raw & mask);
        want = U(cases[c].k, next);
      }
      run1(cases[c].fn, arg, want, NULL);
    }
  }
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
  for (size_t i = 0; i < sizeof f32s / sizeof f32s[0]; i++) {
    arena_used = 0;
    run1("f32", wg_cval_f32(f32s[i]), wg_cval_f32(-f32s[i]), NULL);
  }
  double f64s[] = { 0.0,       -0.0, 3.141592653589793,      INFINITY,
                    -INFINITY, NAN,  1.7976931348623157e308, 5e-324 };
  for (size_t i = 0; i < sizeof f64s / sizeof f64s[0]; i++) {
    arena_used = 0;
    run1("f64", wg_cval_f64(f64s[i]), wg_cval_f64(-f64s[i]), NULL);
  }
  for (int v = 1; v >= 0; v--) {
    arena_used = 0;
    run1("boolean", wg_cval_bool(v), wg_cval_bool(!v), NULL);
  }
}

static uint32_t next_char(uint32_t c) {
  return c == 0x10FFFF ? 0 : c == 0xD7FF ? 0xE000 : c + 1;
}

static void chars(void) {
  uint32_t cs[] = { 0,      'a',     0xE9,     0xD7FF, 0xE000,
                    0xFFFD, 0x10000, 0x10FFFF, 0x1F600 };
  for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
    arena_used = 0;
    char label[16];
    snprintf(label, sizeof label, "U+%x", cs[i]);
    run1("chr", wg_cval_char(cs[i]), wg_cval_char(next_char(cs[i])), label);
  }
}

static void strings(void) {
  static char long_str[3000 * 12];
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
    arena_used = 0;
    WgCVal s = STRN(ss[i].s, ss[i].n);
    char label[32];
    snprintf(label, sizeof label, "%zu bytes", ss[i].n);
    run1("str", s, REV(CAT(s, MIDDOT, 2)), ss[i].n > 40 ? label : NULL);
  }
}

static WgCVal bytes_of(const uint8_t *b, size_t n, bool reverse) {
  WgCVal *items = A((n ? n : 1) * sizeof *items);
  for (size_t i = 0; i < n; i++)
    items[i] = U(WG_CVAL_U8, b[reverse ? n - 1 - i : i]);
  return wg_cval_seq(WG_CVAL_LIST, items, n);
}

static void lists(void) {
  static uint8_t big[5000];
  for (int i = 0; i < 5000; i++)
    big[i] = (uint8_t)((i * 7) & 255);
  const uint8_t small[3] = { 0, 1, 255 };
  struct {
    const uint8_t *b;
    size_t n;
  } bs[] = { { small, 0 }, { small, 3 }, { big, 5000 } };
  for (size_t i = 0; i < 3; i++) {
    arena_used = 0;
    char label[32];
    snprintf(label, sizeof label, "%zu bytes", bs[i].n);
    run1("bytes", bytes_of(bs[i].b, bs[i].n, false),
         bytes_of(bs[i].b, bs[i].n, true), label);
  }
  /* points */
  arena_used = 0;
  run1("points", EMPTY_LIST, EMPTY_LIST, NULL);
  arena_used = 0;
  WgCVal pts = LIST(
      REC(S(WG_CVAL_S32, INT32_MAX), wg_cval_f64(-0.5), STR("p"), EMPTY_LIST),
      REC(S(WG_CVAL_S32, -5), wg_cval_f64(1e300), STR("\xc3\xbc"),
          LIST(STR("a"), STR("b\xc3\xa9"), STR(""))),
      REC(S(WG_CVAL_S32, 0), wg_cval_f64(-0.0), STR(""), LIST(STR("only"))));
  WgCVal want = LIST(
      REC(S(WG_CVAL_S32, 1), wg_cval_f64(0.0), STR(""), LIST(STR("only"))),
      REC(S(WG_CVAL_S32, -4), wg_cval_f64(-1e300), STR("\xc3\xbc"),
          LIST(STR(""), STR("b\xc3\xa9"), STR("a"))),
      REC(S(WG_CVAL_S32, INT32_MIN), wg_cval_f64(0.5), STR("p"), EMPTY_LIST));
  run1("points", pts, want, NULL);
}

static void options_results(void) {
  WgCVal u32_0 = U(WG_CVAL_U32, 0);
  arena_used = 0;
  run1("opt", NONE(), SOME(NONE()), NULL);
  arena_used = 0;
  run1("opt", SOME(NONE()), NONE(), NULL);
  arena_used = 0;
  run1("opt", SOME(SOME(u32_0)), SOME(SOME(U(WG_CVAL_U32, 1))), NULL);
  arena_used = 0;
  run1("opt", SOME(SOME(U(WG_CVAL_U32, 4294967295))), SOME(SOME(u32_0)), NULL);

  arena_used = 0;
  run1("res-both", OK(STR("abc\xc3\xa9")), OK(REV(STR("abc\xc3\xa9"))), NULL);
  arena_used = 0;
  run1("res-both", OK(STR("")), OK(STR("")), NULL);
  arena_used = 0;
  run1("res-both", ERR(U(WG_CVAL_U32, 0)), ERR(U(WG_CVAL_U32, 1)), NULL);
  arena_used = 0;
  run1("res-both", ERR(U(WG_CVAL_U32, 4294967295)), ERR(u32_0), NULL);
  arena_used = 0;
  run1("res-ok", OK(U(WG_CVAL_U32, 7)), OK(U(WG_CVAL_U32, 8)), NULL);
  arena_used = 0;
  run1("res-ok", ERR0(), ERR0(), NULL);
  arena_used = 0;
  run1("res-err", OK0(), ERR(STR("ok!")), NULL);
  arena_used = 0;
  run1("res-err", ERR(STR("")), OK0(), NULL);
  arena_used = 0;
  run1("res-err", ERR(STR("xy\xc3\xa9")), ERR(REV(STR("xy\xc3\xa9"))), NULL);
  arena_used = 0;
  run1("res-none", OK0(), ERR0(), NULL);
  arena_used = 0;
  run1("res-none", ERR0(), OK0(), NULL);
}

/* shapes: guest.c's change_shape, mirrored */
enum { SH_NONE, SH_CIRCLE, SH_RECT, SH_NAMED, SH_MAYBE, SH_OUTCOME, SH_INNER };

static WgCVal change_shape(WgCVal s) {
  uint32_t c = s.of.cases.index;
  const WgCVal *p = s.of.cases.payload;
  switch (c) {
    case SH_CIRCLE:
      return CASE(c, box(wg_cval_f32(p->of.f32 * 2)));
    case SH_RECT:
      return CASE(c, box(TUP(p->of.seq.items[1], p->of.seq.items[0])));
    case SH_NAMED:
      return CASE(c, box(REV(*p)));
    case SH_MAYBE:
      if (p->of.cases.index == 0) return CASE(c, box(SOME(NONE())));
      if (p->of.cases.payload->of.cases.index == 0) return CASE(c, box(NONE()));
      return CASE(c,
                  box(SOME(SOME(REV(*p->of.cases.payload->of.cases.payload)))));
    case SH_OUTCOME: {
      const WgCVal *o = p->of.cases.payload;
      if (p->of.cases.index == 0)
        return CASE(c,
                    box(OK(S(WG_CVAL_S64, (int64_t)((uint64_t)o->of.s + 1)))));
      return CASE(c, box(ERR(ENUM((o->of.cases.index + 1) % 5))));
    }
    case SH_INNER: {
      size_t n = p->of.seq.count;
      WgCVal *items = A((n ? n : 1) * sizeof *items);
      for (size_t i = 0; i < n; i++) {
        WgCVal l = p->of.seq.items[n - 1 - i];
        if (l.of.cases.index == 1)
          l = CASE(
              1, box(U(WG_CVAL_U16, (l.of.cases.payload->of.u + 1) & 0xFFFF)));
        else if (l.of.cases.index == 2)
          l = CASE(2, box(REV(*l.of.cases.payload)));
        items[i] = l;
      }
      return CASE(c, box(wg_cval_seq(WG_CVAL_LIST, items, n)));
    }
    default:
      return s;
  }
}

static void variants(void) {
  for (int i = 0; i < 13; i++) {
    arena_used = 0;
    WgCVal s;
    switch (i) {
      case 0:
        s = CASE(SH_NONE, NULL);
        break;
      case 1:
        s = CASE(SH_CIRCLE, box(wg_cval_f32(1.5f)));
        break;
      case 2:
        s = CASE(SH_CIRCLE, box(wg_cval_f32(-0.0f)));
        break;
      case 3:
        s = CASE(SH_RECT,
                 box(TUP(U(WG_CVAL_U32, 1), U(WG_CVAL_U32, 4294967295))));
        break;
      case 4:
        s = CASE(SH_NAMED, box(STR("na\xc3\xafve")));
        break;
      case 5:
        s = CASE(SH_MAYBE, box(NONE()));
        break;
      case 6:
        s = CASE(SH_MAYBE, box(SOME(NONE())));
        break;
      case 7:
        s = CASE(SH_MAYBE, box(SOME(SOME(STR("s\xc3\x9f")))));
        break;
      case 8:
        s = CASE(SH_OUTCOME, box(OK(S(WG_CVAL_S64, INT64_MIN))));
        break;
      case 9:
        s = CASE(SH_OUTCOME, box(OK(S(WG_CVAL_S64, INT64_MAX))));
        break;
      case 10:
        s = CASE(SH_OUTCOME, box(ERR(ENUM(4))));
        break;
      case 11:
        s = CASE(SH_INNER, box(EMPTY_LIST));
        break;
      default:
        s = CASE(SH_INNER,
                 box(LIST(CASE(0, NULL), CASE(1, box(U(WG_CVAL_U16, 65535))),
                          CASE(2, box(STR("ab\xc3\xa7"))))));
        break;
    }
    run1("var", s, change_shape(s), NULL);
  }
  /* deep lists */
  arena_used = 0;
  run1("deep", EMPTY_LIST, EMPTY_LIST, NULL);
  arena_used = 0;
  WgCVal d[6] = {
    NONE(),
    SOME(OK(TUP(U(WG_CVAL_U8, 255), STR("xy")))),
    SOME(OK(TUP(U(WG_CVAL_U8, 0), STR("")))),
    SOME(ERR(CASE(SH_NAMED, box(STR("q"))))),
    SOME(ERR(CASE(SH_INNER,
                  box(LIST(CASE(2, box(STR("k\xc3\xa9"))), CASE(0, NULL)))))),
    SOME(ERR(CASE(SH_OUTCOME, box(ERR(ENUM(0)))))),
  };
  WgCVal w[6];
  for (int i = 0; i < 6; i++) {
    WgCVal e = d[5 - i];
    if (e.of.cases.index) {
      WgCVal r = *e.of.cases.payload;
      if (r.of.cases.index == 0) {
        const WgCVal *t = r.of.cases.payload;
        e = SOME(OK(TUP(U(WG_CVAL_U8, (t->of.seq.items[0].of.u + 1) & 255),
                        REV(t->of.seq.items[1]))));
      } else {
        e = SOME(ERR(change_shape(*r.of.cases.payload)));
      }
    }
    w[i] = e;
  }
  run1("deep", SEQ(WG_CVAL_LIST, 6, d), SEQ(WG_CVAL_LIST, 6, w), NULL);

  for (uint32_t c = 0; c < 5; c++) {
    arena_used = 0;
    run1("enm", ENUM(c), ENUM((c + 1) % 5), NULL);
  }
  for (uint32_t bits = 0; bits < 2; bits++) {
    arena_used = 0;
    run1("set1", wg_cval_flags(bits), wg_cval_flags(bits ^ 1), NULL);
  }
  uint32_t f9[] = { 0, 0x101, 0x1ff, 0x0aa };
  for (int i = 0; i < 4; i++) {
    arena_used = 0;
    run1("set9", wg_cval_flags(f9[i]), wg_cval_flags(f9[i] ^ 0x1ff), NULL);
  }
  uint32_t f32[] = { 0, 1, 0x80000000u, 0x00020020, 0xffffffffu };
  for (int i = 0; i < 5; i++) {
    arena_used = 0;
    run1("set32", wg_cval_flags(f32[i]), wg_cval_flags(f32[i] ^ 0x80000001u),
         NULL);
  }
}

static void tuples(void) {
  struct {
    uint8_t a;
    int64_t b;
    const char *s;
    float f;
    bool t;
    uint32_t c;
  } ts[] = {
    { 0, INT64_MIN, "t\xc3\xbc", 1.5f, true, 0x10FFFF },
    { 255, INT64_MAX, "", -INFINITY, false, 'a' },
  };
  for (int i = 0; i < 2; i++) {
    arena_used = 0;
    WgCVal s = STR(ts[i].s);
    WgCVal arg =
        TUP(U(WG_CVAL_U8, ts[i].a), S(WG_CVAL_S64, ts[i].b), s,
            wg_cval_f32(ts[i].f), wg_cval_bool(ts[i].t), wg_cval_char(ts[i].c));
    WgCVal want = TUP(U(WG_CVAL_U8, (ts[i].a + 1) & 255),
                      S(WG_CVAL_S64, (int64_t)((uint64_t)ts[i].b + 1)), REV(s),
                      wg_cval_f32(-ts[i].f), wg_cval_bool(!ts[i].t),
                      wg_cval_char(next_char(ts[i].c)));
    run1("tup", arg, want, NULL);
  }
  int16_t arrs[2][4] = { { -32768, 32767, 0, -1 }, { 1, 2, 3, 4 } };
  for (int i = 0; i < 2; i++) {
    arena_used = 0;
    WgCVal a[4], w[4];
    for (int k = 0; k < 4; k++) {
      a[k] = S(WG_CVAL_S16, arrs[i][k]);
      w[k] = S(WG_CVAL_S16, (int16_t)(uint16_t)(arrs[i][k] + 1));
    }
    run1("arr", SEQ(WG_CVAL_LIST, 4, a), SEQ(WG_CVAL_LIST, 4, w), NULL);
  }
  const char *as[2][2] = { { "", "" },
                           { "\xc3\xa9t\xc3\xa9", "x\xf0\x9f\x98\x80" } };
  for (int i = 0; i < 2; i++) {
    arena_used = 0;
    WgCVal a0 = STR(as[i][0]), a1 = STR(as[i][1]);
    run1("arr-str", SEQ(WG_CVAL_LIST, 2, (WgCVal[]){ a0, a1 }),
         SEQ(WG_CVAL_LIST, 2,
             (WgCVal[]){ REV(CAT(a1, "2", 1)), REV(CAT(a0, "1", 1)) }),
         NULL);
  }
  arena_used = 0;
  WgCVal a[20], w[20];
  for (int i = 0; i < 20; i++)
    a[i] = U(WG_CVAL_U8, (uint64_t)((i * 13 + 250) & 255));
  for (int i = 0; i < 20; i++)
    w[i] = a[19 - i];
  run1("arr-big", SEQ(WG_CVAL_LIST, 20, a), SEQ(WG_CVAL_LIST, 20, w),
       "20 x u8");
}

static WgCVal change_many(WgCVal r) {
  const WgCVal *x = r.of.seq.items;
  return TUP(U(WG_CVAL_U64, x[0].of.u + 1), REV(x[1]),
             wg_cval_f64(-x[2].of.f64), U(WG_CVAL_U8, (x[3].of.u + 1) & 255));
}

static void many(void) {
  for (int i = 0; i < 2; i++) {
    arena_used = 0;
    WgCVal a[17];
    if (i == 0) {
      WgCVal v[17] = {
        U(WG_CVAL_U8, 255),
        S(WG_CVAL_S16, -32768),
        U(WG_CVAL_U32, 4294967295),
        S(WG_CVAL_S64, INT64_MIN),
        wg_cval_f32(-0.0f),
        wg_cval_f64(2.718281828459045),
        STR("g\xc3\xa9"),
        wg_cval_bool(true),
        wg_cval_char(0x10FFFF),
        U(WG_CVAL_U64, UINT64_MAX),
        S(WG_CVAL_S8, -128),
        U(WG_CVAL_U16, 65535),
        S(WG_CVAL_S32, INT32_MIN),
        STR("n\xf0\x9f\x98\x80"),
        wg_cval_f32(INFINITY),
        LIST(U(WG_CVAL_U8, 9), U(WG_CVAL_U8, 8), U(WG_CVAL_U8, 7)),
        U(WG_CVAL_U32, 4294967295),
      };
      memcpy(a, v, sizeof a);
    } else {
      WgCVal v[17] = {
        U(WG_CVAL_U8, 0),
        S(WG_CVAL_S16, 1),
        U(WG_CVAL_U32, 2),
        S(WG_CVAL_S64, 3),
        wg_cval_f32(4.5f),
        wg_cval_f64(5.25),
        STR(""),
        wg_cval_bool(false),
        wg_cval_char('z'),
        U(WG_CVAL_U64, 6),
        S(WG_CVAL_S8, 7),
        U(WG_CVAL_U16, 8),
        S(WG_CVAL_S32, 9),
        STR(""),
        wg_cval_f32(NAN),
        EMPTY_LIST,
        U(WG_CVAL_U32, 10),
      };
      memcpy(a, v, sizeof a);
    }
    WgCVal host_ret =
        TUP(a[9], CAT(CAT(a[6], "|", 1), a[13].of.str.ptr, a[13].of.str.len),
            a[5], a[0]);
    run("many", a, 17, change_many(host_ret), NULL, "17 args");
  }
  uint32_t vs[] = { 0, 4294967295u, 7 };
  for (int i = 0; i < 3; i++) {
    arena_used = 0;
    char m[32];
    int k = snprintf(m, sizeof m, "m%u\xc3\xa9", vs[i]);
    WgCVal host_ret =
        TUP(U(WG_CVAL_U64, (uint64_t)vs[i] * 3), STRN(m, (size_t)k),
            wg_cval_f64(vs[i] / 2.0), U(WG_CVAL_U8, vs[i] & 255));
    run1("multi", U(WG_CVAL_U32, vs[i]), change_many(host_ret), NULL);
  }
}

/* Section: resources */

typedef struct Check {
  const char *what;
  bool ok;
  char detail[96];
} Check;

static void res_case(const char *what, Check *checks, int n) {
  int before = failed;
  for (int i = 0; i < n; i++)
    if (!checks[i].ok)
      fail(what, "%s: %s", checks[i].what,
           checks[i].detail[0] ? checks[i].detail : "false");
  pending.name = NULL;
  if (failed == before) passed++;
}

static WgTrap *call(const char *fn, const WgCVal *args, size_t n, WgCVal *r) {
  WgComponentFunc *f = gfunc(fn);
  const WgCFuncTy *ft = wg_component_func_type(f);
  return wg_component_func_call(f, args, n, r, ft->result ? 1 : 0);
}

/* The host call a resource case expects. */
static void expect_call(const char *name, const WgCVal *args, size_t n) {
  pending.name = name;
  pending.args = args;
  pending.count = n;
  pending.called = false;
}

#define CHECK(i, label, cond) \
  do {                        \
    Check *c_ = &checks[i];   \
    c_->what = (label);       \
    c_->ok = (cond);          \
    c_->detail[0] = 0;        \
  } while (0)

static void expect_ok(WgTrap *t, Check *c) {
  if (t) {
    c->ok = false;
    snprintf(c->detail, sizeof c->detail, "trapped: %s", wg_trap_message(t));
    wg_trap_delete(t);
  }
}

static void resources(void) {
  Check checks[16];
  WgTrap *t;
  WgCVal r;
  /* hres-make: host handle, constructor, methods, drop */
  arena_used = 0;
  made_count = 0;
  WgCVal five = S(WG_CVAL_S32, 5);
  expect_call("hres-make", &five, 1);
  active = true;
  t = call("hres-make", pending.args, 1, &r);
  active = false;
  {
    uint32_t a = made[0];
    uint32_t rr = t ? 0 : r.of.res.rep;
    CHECK(0, "result made by the constructor import",
          !t && r.of.res.type == hres_type && rr != a);
    expect_ok(t, &checks[0]);
    CHECK(1, "value (2 * 5, then set(get() + 1))", rr && hres[rr - 1].v == 11);
    CHECK(2, "the host's handle was dropped", hres[a - 1].disposed);
    CHECK(3, "the result was not", rr && !hres[rr - 1].disposed);
    res_case("hres-make: host handle, constructor, methods, drop", checks, 4);
  }
  /* hres-take: own moves guest -> host */
  arena_used = 0;
  uint32_t a = hres_new(21);
  WgCVal arg = OWN(a);
  expect_call("hres-take", &arg, 1);
  active = true;
  t = call("hres-take", &arg, 1, &r);
  active = false;
  CHECK(0, "result", !t && r.of.s == 42);
  expect_ok(t, &checks[0]);
  CHECK(1, "host received it", pending.called);
  CHECK(2, "not dropped by the guest", !hres[a - 1].disposed);
  res_case("hres-take: own moves guest -> host", checks, 3);
  /* hres-peek: borrow to import, method, static */
  arena_used = 0;
  a = hres_new(7);
  arg = wg_cval_resource(WG_CVAL_BORROW, hres_type, a);
  expect_call("hres-peek", &arg, 1);
  active = true;
  t = call("hres-peek", &arg, 1, &r);
  active = false;
  CHECK(0, "result 70 + 7 + 14", !t && r.of.s == 91);
  expect_ok(t, &checks[0]);
  CHECK(1, "borrow not dropped as own", !hres[a - 1].disposed);
  CHECK(2, "still usable", hres[a - 1].v == 7);
  res_case("hres-peek: borrow to import, method, static", checks, 3);
  /* hres-pass: own in, own out */
  arena_used = 0;
  made_count = 0;
  a = hres_new(3);
  arg = OWN(a);
  expect_call("hres-pass", &arg, 1);
  active = true;
  t = call("hres-pass", &arg, 1, &r);
  active = false;
  {
    uint32_t rr = t ? 0 : r.of.res.rep;
    CHECK(0, "result is the host's new object", !t && rr == made[0]);
    expect_ok(t, &checks[0]);
    CHECK(1, "value", rr && hres[rr - 1].v == 104);
    CHECK(2, "argument not dropped by the guest", !hres[a - 1].disposed);
    CHECK(3, "result not dropped", rr && !hres[rr - 1].disposed);
    res_case("hres-pass: own in, own out", checks, 4);
  }
  /* hres-list */
  int sizes[3] = { 0, 1, 3 };
  for (int k = 0; k < 3; k++) {
    arena_used = 0;
    made_count = 0;
    int n = sizes[k];
    uint32_t reps[3];
    WgCVal items[3];
    for (int i = 0; i < n; i++) {
      reps[i] = hres_new(i + 1);
      items[i] = OWN(reps[i]);
    }
    arg = SEQ(WG_CVAL_LIST, (size_t)n, items);
    pending.name = "hres-list";
    pending.args = &arg;
    pending.called = false;
    active = true;
    t = call("hres-list", &arg, 1, &r);
    active = false;
    bool same = !t && r.of.seq.count == (size_t)n;
    for (int i = 0; same && i < n; i++)
      same = r.of.seq.items[i].of.res.rep == reps[n - 1 - i];
    bool values = true, returned_dropped = false;
    for (int i = 0; i < n; i++) {
      values &= hres[reps[i] - 1].v == i + 11;
      returned_dropped |= hres[reps[i] - 1].disposed;
    }
    char what[80];
    snprintf(what, sizeof what,
             "hres-list of %d: list<own> both ways, _free drops one", n);
    CHECK(0, "result: the same objects reversed", same);
    expect_ok(t, &checks[0]);
    CHECK(1, "values bumped by the host", values);
    CHECK(2, "the extra handle was dropped", hres[made[0] - 1].disposed);
    CHECK(3, "no returned handle dropped", !returned_dropped);
    res_case(what, checks, 4);
  }
  /* gacc */
  arena_used = 0;
  WgCResourceType *gacc = wg_component_instance_resource(
      inst, WG_STR("witgen:roundtrip/guest#gacc"));
  int c = 0;
  bool ok = gacc != NULL;
  WgCVal d0, v;
  ok &= !call("gacc-dropped", NULL, 0, &d0);
  ok &= !call("gacc-live", NULL, 0, &v) && v.of.u == 0;
  CHECK(c++, "live at start", ok);
  WgCVal ga, gb, gc, gw;
  t = call("[constructor]gacc", (WgCVal[]){ S(WG_CVAL_S64, 10) }, 1, &ga);
  CHECK(c, "constructor", !t);
  expect_ok(t, &checks[c++]);
  WgCVal ba = wg_cval_borrow_of(ga);
  t = call("[method]gacc.add", (WgCVal[]){ ba, S(WG_CVAL_S64, 5) }, 2, &v);
  CHECK(c, "add", !t && v.of.s == 15);
  expect_ok(t, &checks[c++]);
  t = call("[method]gacc.get", &ba, 1, &v);
  CHECK(c, "get", !t && v.of.s == 15);
  expect_ok(t, &checks[c++]);
  t = call("[constructor]gacc", (WgCVal[]){ S(WG_CVAL_S64, INT64_MIN) }, 1,
           &gb);
  expect_ok(t, &checks[c - 1]);
  WgCVal bb = wg_cval_borrow_of(gb);
  t = call("[static]gacc.merge", (WgCVal[]){ ga, bb }, 2, &gc);
  WgCVal bc = wg_cval_borrow_of(gc);
  CHECK(c, "merge", !t);
  expect_ok(t, &checks[c++]);
  t = call("[method]gacc.get", &bc, 1, &v);
  CHECK(c, "merge value", !t && v.of.s == (int64_t)(15ull + (1ull << 63)));
  expect_ok(t, &checks[c++]);
  WgCVal dn;
  ok = !call("gacc-dropped", NULL, 0, &dn) && dn.of.u - d0.of.u == 1;
  CHECK(c++, "merge dropped its own argument", ok);
  ok = !call("gacc-live", NULL, 0, &v) && v.of.u == 2;
  CHECK(c++, "live after merge", ok);
  t = call("[method]gacc.get", &ba, 1, &v); /* `a` moved into merge */
  CHECK(c++, "a moved into merge is no longer usable",
        t && wg_trap_kind(t) == WG_TRAP_MISUSE);
  wg_trap_delete(t);
  t = call("[constructor]gacc", (WgCVal[]){ S(WG_CVAL_S64, INT64_MAX) }, 1,
           &gw);
  expect_ok(t, &checks[c - 1]);
  WgCVal bw = wg_cval_borrow_of(gw);
  t = call("[method]gacc.add", (WgCVal[]){ bw, S(WG_CVAL_S64, 1) }, 2, &v);
  CHECK(c, "add wraps", !t && v.of.s == INT64_MIN);
  expect_ok(t, &checks[c++]);
  ok = true;
  WgCVal owns[3] = { gb, gc, gw };
  for (int i = 0; i < 3; i++) {
    t = wg_component_resource_drop(store, &owns[i]);
    ok &= !t;
    wg_trap_delete(t);
  }
  /* a second drop is refused (jco ignores it): no destructor runs */
  t = wg_component_resource_drop(store, &owns[0]);
  ok &= t && wg_trap_kind(t) == WG_TRAP_MISUSE;
  wg_trap_delete(t);
  ok &= !call("gacc-dropped", NULL, 0, &dn) && dn.of.u - d0.of.u == 4;
  CHECK(c++, "destructor ran for each", ok);
  ok = !call("gacc-live", NULL, 0, &v) && v.of.u == 0;
  CHECK(c++, "live at end", ok);
  res_case("gacc: constructor, methods, static, drops reach the destructor",
           checks, c);
  /* every host-made handle the guest dropped, exactly once */
  bool drops = disposed_count == 4 && disposed_order[0] == 5 &&
               disposed_order[1] == 99 && disposed_order[2] == 99 &&
               disposed_order[3] == 99;
  Check dc = { "dropped values (hres-make, hres-list extras)", drops, "" };
  if (!drops) {
    size_t k = 0;
    for (uint32_t i = 0; i < disposed_count && k < sizeof dc.detail - 12; i++)
      k += (size_t)snprintf(dc.detail + k, sizeof dc.detail - k, "%d ",
                            disposed_order[i]);
  }
  res_case("hres drops: only the handles the guest let go", &dc, 1);
}

/* Section: main */

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

static const char *const host_funcs[] = {
  "s8",        "u8",       "s16",       "u16",       "s32",       "u32",
  "s64",       "u64",      "f32",       "f64",       "boolean",   "chr",
  "str",       "bytes",    "points",    "opt",       "res-both",  "res-ok",
  "res-err",   "res-none", "var",       "deep",      "enm",       "set1",
  "set9",      "set32",    "tup",       "arr",       "arr-str",   "arr-big",
  "many",      "multi",    "hres-make", "hres-take", "hres-peek", "hres-pass",
  "hres-list",
};

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: host COMPONENT.wasm [--log FILE]\n");
    return 2;
  }
  const char *peer = NULL;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--log") == 0) {
      logf_ = fopen(argv[i + 1], "w");
      if (!logf_) return 2;
    } else if (strcmp(argv[i], "--link") == 0) {
      peer = argv[i + 1];
    }
  }
  size_t len;
  uint8_t *bytes = read_file(argv[1], &len);
  if (!bytes) {
    fprintf(stderr, "host: cannot read %s\n", argv[1]);
    return 2;
  }
  WgEngine *engine = wg_engine_new(NULL);
  WgDiagList *diags = wg_diag_list_new();
  WgWasmComponent *comp;
  if (wg_wasm_component_load(engine, bytes, len, &comp, diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  free(bytes);
  WgComponentLinker *linker = wg_component_linker_new(engine, NULL);
  char name[96];
  for (size_t i = 0; i < sizeof host_funcs / sizeof host_funcs[0]; i++) {
    snprintf(name, sizeof name, "witgen:roundtrip/host#%s", host_funcs[i]);
    if (wg_component_linker_define_func(linker, wg_str_from_cstr(name),
                                        (WgStr){ 0 }, host_fn, NULL, NULL,
                                        diags) != WG_OK)
      return 1;
  }
  /* the types interface, with declared signatures checked at link time */
  const char *types[][2] = {
    { "witgen:roundtrip/types#[constructor]hres", "func(v: s32) -> hres" },
    { "witgen:roundtrip/types#[method]hres.get",
      "func(self: borrow<hres>) -> s32" },
    { "witgen:roundtrip/types#[method]hres.set",
      "func(self: borrow<hres>, v: s32)" },
    { "witgen:roundtrip/types#[static]hres.sum",
      "func(a: borrow<hres>, b: borrow<hres>) -> s32" },
  };
  for (size_t i = 0; i < 4; i++)
    if (wg_component_linker_define_func(linker, wg_str_from_cstr(types[i][0]),
                                        wg_str_from_cstr(types[i][1]), types_fn,
                                        NULL, NULL, diags) != WG_OK) {
      wg_diag_list_print(diags, stderr);
      return 1;
    }
  if (wg_component_linker_define_resource(
          linker, WG_STR("witgen:roundtrip/types#hres"), hres_dtor, NULL, NULL,
          &hres_type, diags) != WG_OK)
    return 1;
  store = wg_store_new(engine);
  WgComponentGraph *graph = NULL;
  if (peer) { /* the guest linked at run time to the peer */
    size_t plen;
    uint8_t *pbytes = read_file(peer, &plen);
    WgWasmComponent *pc;
    if (!pbytes ||
        wg_wasm_component_load(engine, pbytes, plen, &pc, diags) != WG_OK) {
      fprintf(stderr, "host: cannot load %s\n", peer);
      wg_diag_list_print(diags, stderr);
      return 1;
    }
    free(pbytes);
    graph = wg_component_graph_new(linker);
    WgComponentInstance *insts[2];
    if (wg_component_graph_add(graph, WG_STR("guest"), comp, diags) != WG_OK ||
        wg_component_graph_add(graph, WG_STR("peer"), pc, diags) != WG_OK ||
        wg_component_graph_link(graph, diags) != WG_OK ||
        wg_component_graph_instantiate(graph, store, insts, diags) != WG_OK) {
      wg_diag_list_print(diags, stderr);
      return 1;
    }
    wg_wasm_component_delete(pc);
    inst = insts[0];
  } else if (wg_component_linker_instantiate(linker, store, comp, &inst,
                                             diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  integers();
  floats();
  chars();
  strings();
  lists();
  options_results();
  variants();
  tuples();
  many();
  resources();
  wg_buf_free(&pending.seen);
  printf("%d passed, %d failed\n", passed, failed);
  wg_store_delete(store);
  wg_component_graph_delete(graph);
  wg_component_linker_delete(linker);
  wg_wasm_component_delete(comp);
  wg_engine_delete(engine);
  wg_diag_list_delete(diags);
  if (logf_) fclose(logf_);
  return failed == 0 && passed > 0 ? 0 : 1;
}
