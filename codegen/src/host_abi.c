/* SPDX-License-Identifier: Apache-2.0 */
/* Lifting and lowering in the host bindings, made per type: C statements
 * moving a host value (a C struct in host memory) to and from its flat
 * core values (WgVal) or its Canonical ABI layout in guest memory. Scalars,
 * strings, enums, flags, handles and lists are written inline; records,
 * tuples, variants, options, results and fixed-length lists get a static
 * helper each (`HgLower_<type>`, `HgLift_`, `HgStore_`, `HgLoad_`), and
 * lists `HgPut_`/`HgGet_`. Guest memory is read only through views the
 * runtime has checked (witgen/component_abi.h): a load reads inside the
 * view of its parent, strings and lists are checked by the runtime's
 * helpers, every store takes a fresh view (realloc may move memory).
 * spec: CanonicalABI.md, lift_flat/lower_flat (with the joins of variant
 * payloads), load/store, lift_flat_values/lower_flat_values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

#define MAX_FLAT 64

typedef enum Op { OP_LOWER, OP_LIFT, OP_STORE, OP_LOAD } Op;
static const char *const OP_NAME[] = { "Lower", "Lift", "Store", "Load" };

static void emit(HGen *g, WgBuf *b, Op op, WgWitType t, const char *p,
                 const char *pos, const char *k, const char *ind);

/* Section: expressions */

uint32_t host_flat(HGen *g, WgWitType t, WgCoreType *out, uint32_t cap) {
  return wg_abi_flatten(ct_abi(&g->ct, t), 4, out, cap);
}

static uint32_t flat_count(HGen *g, WgWitType t) {
  WgCoreType tmp[MAX_FLAT];
  return host_flat(g, t, tmp, MAX_FLAT);
}

static const char *val_kind(WgCoreType c) {
  switch (c) {
    case WG_CORE_I64:
      return "WG_VAL_I64";
    case WG_CORE_F32:
      return "WG_VAL_F32";
    case WG_CORE_F64:
      return "WG_VAL_F64";
    default:
      return "WG_VAL_I32";
  }
}

/* `base + n` for a position or handle index. */
static const char *plus(HGen *g, const char *base, uint64_t n) {
  return n ? cw_strf(&g->w, "%s + %llu", base, (unsigned long long)n) : base;
}

static uint32_t size_of(HGen *g, WgWitType t) {
  return wg_abi_size(ct_abi(&g->ct, t), 4);
}

static uint32_t align_of(HGen *g, WgWitType t) {
  return wg_abi_alignment(ct_abi(&g->ct, t), 4);
}

/* Section: scalars */

/* The C type of prim `p` and its size in memory. */
static const char *prim_ctype(WgWitPrim p) {
  switch (p) {
    case WG_WIT_U8:
      return "uint8_t";
    case WG_WIT_U16:
      return "uint16_t";
    case WG_WIT_U32:
    case WG_WIT_CHAR:
      return "uint32_t";
    case WG_WIT_U64:
      return "uint64_t";
    case WG_WIT_S8:
      return "int8_t";
    case WG_WIT_S16:
      return "int16_t";
    case WG_WIT_S32:
      return "int32_t";
    case WG_WIT_S64:
      return "int64_t";
    default:
      return "bool";
  }
}

static uint32_t prim_size(WgWitPrim p) {
  switch (p) {
    case WG_WIT_U16:
    case WG_WIT_S16:
      return 2;
    case WG_WIT_U32:
    case WG_WIT_S32:
    case WG_WIT_F32:
    case WG_WIT_CHAR:
      return 4;
    case WG_WIT_U64:
    case WG_WIT_S64:
    case WG_WIT_F64:
      return 8;
    default:
      return 1;
  }
}

/* Reads an unsigned value of `n` bytes at `m`. */
static const char *rd(HGen *g, uint32_t n, const char *m) {
  return n == 1 ? cw_strf(&g->w, "(%s)[0]", m)
                : cw_strf(&g->w, "HgRd%u(%s)", n * 8, m);
}

static void emit_prim(HGen *g, WgBuf *b, Op op, WgWitPrim t, const char *p,
                      const char *pos, const char *ind) {
  CWorld *w = &g->w;
  uint32_t sz = prim_size(t);
  const char *ct = prim_ctype(t);
  bool wide = sz == 8;
  switch (op) {
    case OP_LOWER: {
      const char *v;
      if (t == WG_WIT_BOOL)
        v = cw_strf(w, "wg_val_i32(*(%s) ? 1 : 0)", p);
      else if (t == WG_WIT_F32)
        v = cw_strf(w, "HgF32Val(*(%s))", p);
      else if (t == WG_WIT_F64)
        v = cw_strf(w, "HgF64Val(*(%s))", p);
      else if (wide)
        v = cw_strf(w, "wg_val_i64((int64_t)*(%s))", p);
      else
        v = cw_strf(w, "wg_val_i32((int32_t)*(%s))", p);
      if (t == WG_WIT_CHAR)
        wg_buf_printf(b, "%sif (!HgCheckChar(cx, *(%s))) return false;\n", ind,
                      p);
      wg_buf_printf(b, "%s(%s)[0] = %s;\n", ind, pos, v);
      return;
    }
    case OP_LIFT: {
      const char *in = cw_strf(w, "(%s)[0]", pos);
      if (t == WG_WIT_CHAR) {
        wg_buf_printf(b,
                      "%sif (!HgLiftChar(cx, (uint32_t)%s.of.i32, %s)) return "
                      "false;\n",
                      ind, in, p);
        return;
      }
      const char *v =
          t == WG_WIT_BOOL  ? cw_strf(w, "%s.of.i32 != 0", in)
          : t == WG_WIT_F32 ? cw_strf(w, "HgF32(%s.of.f32_bits)", in)
          : t == WG_WIT_F64 ? cw_strf(w, "HgF64(%s.of.f64_bits)", in)
          : wide            ? cw_strf(w, "(%s)%s.of.i64", ct, in)
                            : cw_strf(w, "(%s)%s.of.i32", ct, in);
      wg_buf_printf(b, "%s*(%s) = %s;\n", ind, p, v);
      return;
    }
    case OP_STORE: {
      const char *v = t == WG_WIT_BOOL  ? cw_strf(w, "*(%s) ? 1 : 0", p)
                      : t == WG_WIT_F32 ? cw_strf(w, "HgF32Bits(*(%s))", p)
                      : t == WG_WIT_F64
                          ? cw_strf(w, "HgF64Bits(*(%s))", p)
                          : cw_strf(w, "(uint%u_t)*(%s)", sz * 8, p);
      if (t == WG_WIT_CHAR)
        wg_buf_printf(b, "%sif (!HgCheckChar(cx, *(%s))) return false;\n", ind,
                      p);
      wg_buf_printf(b,
                    "%s{\n%s  uint8_t *_m;\n"
                    "%s  if (!wg_cabi_view(cx, %s, %u, %u, \"value\", &_m)) "
                    "return false;\n"
                    "%s  HgWr%u(_m, %s);\n%s}\n",
                    ind, ind, ind, pos, sz, sz, ind, sz * 8, v, ind);
      return;
    }
    case OP_LOAD: {
      const char *raw = rd(g, sz, pos);
      if (t == WG_WIT_CHAR) {
        wg_buf_printf(b, "%sif (!HgLiftChar(cx, %s, %s)) return false;\n", ind,
                      raw, p);
        return;
      }
      const char *v = t == WG_WIT_BOOL  ? cw_strf(w, "%s != 0", raw)
                      : t == WG_WIT_F32 ? cw_strf(w, "HgF32(%s)", raw)
                      : t == WG_WIT_F64 ? cw_strf(w, "HgF64(%s)", raw)
                                        : cw_strf(w, "(%s)%s", ct, raw);
      wg_buf_printf(b, "%s*(%s) = %s;\n", ind, p, v);
      return;
    }
  }
}

static void emit_string(HGen *g, WgBuf *b, Op op, const char *p,
                        const char *pos, const char *ind) {
  (void)g;
  switch (op) {
    case OP_LOWER:
      wg_buf_printf(b,
                    "%s{\n%s  uint32_t _p, _n;\n"
                    "%s  if (!wg_cabi_lower_string(cx, (%s)->ptr, (%s)->len, "
                    "&_p, &_n)) return false;\n"
                    "%s  (%s)[0] = wg_val_i32((int32_t)_p);\n"
                    "%s  (%s)[1] = wg_val_i32((int32_t)_n);\n%s}\n",
                    ind, ind, ind, p, p, ind, pos, ind, pos, ind);
      return;
    case OP_LIFT:
      wg_buf_printf(b,
                    "%sif (!wg_cabi_lift_string(cx, (uint32_t)(%s)[0].of.i32, "
                    "(uint32_t)(%s)[1].of.i32, &(%s)->ptr, &(%s)->len)) return "
                    "false;\n",
                    ind, pos, pos, p, p);
      return;
    case OP_STORE:
      wg_buf_printf(b,
                    "%s{\n%s  uint32_t _p, _n;\n%s  uint8_t *_m;\n"
                    "%s  if (!wg_cabi_lower_string(cx, (%s)->ptr, (%s)->len, "
                    "&_p, &_n)) return false;\n"
                    "%s  if (!wg_cabi_view(cx, %s, 8, 4, \"value\", &_m)) "
                    "return false;\n"
                    "%s  HgWr32(_m, _p);\n%s  HgWr32(_m + 4, _n);\n%s}\n",
                    ind, ind, ind, ind, p, p, ind, pos, ind, ind, ind);
      return;
    case OP_LOAD:
      wg_buf_printf(b,
                    "%sif (!wg_cabi_lift_string(cx, HgRd32(%s), HgRd32((%s) + "
                    "4), &(%s)->ptr, &(%s)->len)) return false;\n",
                    ind, pos, pos, p, p);
      return;
  }
}

/* An enum: its value is its case index. */
static void emit_enum(HGen *g, WgBuf *b, Op op, const WgWitTypeDef *d,
                      const char *ctype, const char *p, const char *pos,
                      const char *ind) {
  size_t n = d->cases.count;
  uint32_t ds = wg_abi_discriminant_size((uint32_t)n);
  const char *misuse = cw_strf(
      &g->w,
      "%sif ((uint32_t)*(%s) >= %zu) return wg_cabi_fail(cx, WG_TRAP_MISUSE, "
      "\"enum case %%u out of range (%zu cases)\", (unsigned)*(%s));\n",
      ind, p, n, n, p);
  const char *bad = cw_strf(&g->w,
                            "%s  if (_e >= %zu) return wg_cabi_fail(cx, "
                            "WG_TRAP_WASM, \"invalid variant discriminant %%u "
                            "(%zu cases)\", _e);\n",
                            ind, n, n);
  switch (op) {
    case OP_LOWER:
      wg_buf_puts(b, misuse);
      wg_buf_printf(b, "%s(%s)[0] = wg_val_i32((int32_t)*(%s));\n", ind, pos,
                    p);
      return;
    case OP_STORE:
      wg_buf_puts(b, misuse);
      wg_buf_printf(b,
                    "%s{\n%s  uint8_t *_m;\n"
                    "%s  if (!wg_cabi_view(cx, %s, %u, %u, \"value\", &_m)) "
                    "return false;\n"
                    "%s  HgWr%u(_m, (uint%u_t)*(%s));\n%s}\n",
                    ind, ind, ind, pos, ds, ds, ind, ds * 8, ds * 8, p, ind);
      return;
    case OP_LIFT:
      wg_buf_printf(b, "%s{\n%s  uint32_t _e = (uint32_t)(%s)[0].of.i32;\n%s",
                    ind, ind, pos, bad);
      wg_buf_printf(b, "%s  *(%s) = (%s)_e;\n%s}\n", ind, p, ctype, ind);
      return;
    case OP_LOAD:
      wg_buf_printf(b, "%s{\n%s  uint32_t _e = %s;\n%s", ind, ind,
                    rd(g, ds, pos), bad);
      wg_buf_printf(b, "%s  *(%s) = (%s)_e;\n%s}\n", ind, p, ctype, ind);
      return;
  }
}

/* Flags: up to 32 an integer, more a bit set of 32-bit words. Bits beyond
 * the labels are refused from the host and dropped from a guest (as the
 * Canonical ABI lifts them). */
static void emit_flags(HGen *g, WgBuf *b, Op op, const WgWitTypeDef *d,
                       const char *ctype, const char *p, const char *pos,
                       const char *ind) {
  size_t n = d->cases.count;
  if (n > 32) {
    uint32_t words = (uint32_t)((n + 31) / 32);
    uint32_t last = (uint32_t)(n % 32);
    const char *mask =
        last ? cw_strf(&g->w, "0x%xu", (1u << last) - 1) : "0xffffffffu";
    switch (op) {
      case OP_LOWER:
      case OP_STORE:
        if (last)
          wg_buf_printf(b,
                        "%sif ((%s)->bits[%u] >> %u) return wg_cabi_fail(cx, "
                        "WG_TRAP_MISUSE, \"flags beyond the %zu labels\");\n",
                        ind, p, words - 1, last, n);
        if (op == OP_LOWER) {
          for (uint32_t i = 0; i < words; i++)
            wg_buf_printf(b,
                          "%s(%s)[%u] = wg_val_i32((int32_t)(%s)->bits[%u]);\n",
                          ind, pos, i, p, i);
        } else {
          wg_buf_printf(b,
                        "%s{\n%s  uint8_t *_m;\n"
                        "%s  if (!wg_cabi_view(cx, %s, %u, 4, \"value\", &_m)) "
                        "return false;\n",
                        ind, ind, ind, pos, 4 * words);
          for (uint32_t i = 0; i < words; i++)
            wg_buf_printf(b, "%s  HgWr32(_m + %u, (%s)->bits[%u]);\n", ind,
                          4 * i, p, i);
          wg_buf_printf(b, "%s}\n", ind);
        }
        return;
      case OP_LIFT:
      case OP_LOAD:
        for (uint32_t i = 0; i < words; i++) {
          const char *v =
              op == OP_LIFT
                  ? cw_strf(&g->w, "(uint32_t)(%s)[%u].of.i32", pos, i)
                  : cw_strf(&g->w, "HgRd32((%s) + %u)", pos, 4 * i);
          wg_buf_printf(b, "%s(%s)->bits[%u] = %s%s%s;\n", ind, p, i, v,
                        i + 1 == words ? " & " : "",
                        i + 1 == words ? mask : "");
        }
        return;
    }
  }
  uint32_t sz = n <= 8 ? 1 : n <= 16 ? 2 : 4;
  const char *mask =
      n == 32 ? "0xffffffffu" : cw_strf(&g->w, "0x%xu", (1u << n) - 1);
  const char *misuse =
      n < sz * 8 ? cw_strf(&g->w,
                           "%sif ((uint32_t)*(%s) >> %zu) return "
                           "wg_cabi_fail(cx, WG_TRAP_MISUSE, \"flags %%#x "
                           "beyond the %zu labels\", (unsigned)*(%s));\n",
                           ind, p, n, n, p)
                 : "";
  switch (op) {
    case OP_LOWER:
      wg_buf_printf(b, "%s%s(%s)[0] = wg_val_i32((int32_t)*(%s));\n", misuse,
                    ind, pos, p);
      return;
    case OP_STORE:
      wg_buf_printf(b,
                    "%s%s{\n%s  uint8_t *_m;\n"
                    "%s  if (!wg_cabi_view(cx, %s, %u, %u, \"value\", &_m)) "
                    "return false;\n"
                    "%s  HgWr%u(_m, (uint%u_t)*(%s));\n%s}\n",
                    misuse, ind, ind, ind, pos, sz, sz, ind, sz * 8, sz * 8, p,
                    ind);
      return;
    case OP_LIFT:
      wg_buf_printf(b, "%s*(%s) = (%s)((uint32_t)(%s)[0].of.i32 & %s);\n", ind,
                    p, ctype, pos, mask);
      return;
    case OP_LOAD:
      wg_buf_printf(b, "%s*(%s) = (%s)(%s & %s);\n", ind, p, ctype,
                    rd(g, sz, pos), mask);
      return;
  }
}

/* An own or borrow handle. */
static void emit_handle(HGen *g, WgBuf *b, Op op, WgWitType t, const char *p,
                        const char *pos, const char *k, const char *ind) {
  CWorld *w = &g->w;
  bool guest = host_is_guest_resource(g, t);
  const char *to =
      guest ? cw_strf(w, "{ (%s)->type, (%s)->handle, (%s)->gen }", p, p, p)
            : cw_strf(w, "{ NULL, (%s)->rep, 0 }", p);
  const char *from =
      guest ? cw_strf(w,
                      "(%s)->type = _h.type;\n%s  (%s)->handle = _h.rep;\n%s  "
                      "(%s)->gen = _h.gen;",
                      p, ind, p, ind, p)
            : cw_strf(w, "(%s)->rep = _h.rep;", p);
  switch (op) {
    case OP_LOWER:
    case OP_STORE:
      wg_buf_printf(b,
                    "%s{\n%s  WgCAbiHandle _h = %s;\n%s  uint32_t _x;\n"
                    "%s  if (!wg_cabi_lower_handle(cx, %s, _h, &_x)) return "
                    "false;\n",
                    ind, ind, to, ind, ind, k);
      if (op == OP_LOWER)
        wg_buf_printf(b, "%s  (%s)[0] = wg_val_i32((int32_t)_x);\n", ind, pos);
      else
        wg_buf_printf(b,
                      "%s  uint8_t *_m;\n"
                      "%s  if (!wg_cabi_view(cx, %s, 4, 4, \"value\", &_m)) "
                      "return false;\n%s  HgWr32(_m, _x);\n",
                      ind, ind, pos, ind);
      wg_buf_printf(b, "%s}\n", ind);
      return;
    case OP_LIFT:
    case OP_LOAD: {
      const char *raw = op == OP_LIFT
                            ? cw_strf(w, "(uint32_t)(%s)[0].of.i32", pos)
                            : cw_strf(w, "HgRd32(%s)", pos);
      wg_buf_printf(b,
                    "%s{\n%s  WgCAbiHandle _h;\n"
                    "%s  if (!wg_cabi_lift_handle(cx, %s, %s, &_h)) return "
                    "false;\n%s  %s\n%s}\n",
                    ind, ind, ind, k, raw, ind, from, ind);
      return;
    }
  }
}

/* Section: lists */

/* True when the host's array of `t` has the bytes of the Canonical ABI's
 * (integers and floats): copied as a whole. */
static bool plain(HGen *g, WgWitType t) {
  t = cw_dealias(&g->w, t);
  if (WG_WIT_TYPE_IS_ID(t)) return false;
  return t != WG_WIT_BOOL && t != WG_WIT_CHAR && t != WG_WIT_STRING &&
         t != WG_WIT_ERROR_CONTEXT;
}

/* Element layout of a list or map: size, alignment, and for a map the
 * offsets of key and value. */
typedef struct Elem {
  uint32_t size, align, key_off, val_off;
} Elem;

static Elem elem_of(HGen *g, const WgWitTypeDef *d, WgWitType t) {
  Elem e = { 0 };
  if (d->kind == WG_WIT_KIND_MAP) {
    const WgAbiType *abi = ct_abi(&g->ct, t);
    WgAbiType entry = { WG_ABI_TUPLE, 2, abi->children };
    e.size = wg_abi_size(&entry, 4);
    e.align = wg_abi_alignment(&entry, 4);
    e.key_off = wg_abi_field_offset(&entry, 0, 4);
    e.val_off = wg_abi_field_offset(&entry, 1, 4);
  } else {
    e.size = size_of(g, d->a);
    e.align = align_of(g, d->a);
  }
  return e;
}

/* HgPut_<list>: allocates the list in guest memory and stores the
 * elements; HgGet_<list>: lifts a list into host memory. */
static const char *list_helper(HGen *g, WgWitType t, bool put) {
  CWorld *w = &g->w;
  const TypeInfo *ti = ct_type(&g->ct, t);
  if (!ti) return NULL;
  const char *name = cw_strf(w, "Hg%s_%s", put ? "Put" : "Get", ti->base);
  if (wg_names_taken(&g->done, name)) return name;
  if (!wg_names_reserve(&g->done, name)) return cw_nomem(w), NULL;
  HCtx c = host_enter_type(g, t);
  const WgWitTypeDef *d = cw_def(w, t);
  bool map = d->kind == WG_WIT_KIND_MAP;
  Elem e = elem_of(g, d, t);
  bool flat = !map && plain(g, d->a);
  uint32_t hk = map ? host_handle_count(g, d->a) : 0;
  WgBuf b = { 0 };
  if (put) {
    wg_buf_printf(&b,
                  "static bool %s(WgCAbiCx *cx, uint32_t k, const %s *v, "
                  "uint32_t *ptr) {\n  (void)k;\n"
                  "  if (v->len && !v->ptr) return wg_cabi_fail(cx, "
                  "WG_TRAP_MISUSE, \"list with NULL items\");\n"
                  "  if (!wg_cabi_lower_list(cx, v->len, %u, %u, ptr)) return "
                  "false;\n",
                  name, ti->cname, e.size, e.align);
    if (flat) {
      wg_buf_printf(&b,
                    "  if (v->len) {\n    uint8_t *_m;\n"
                    "    if (!wg_cabi_view(cx, *ptr, (uint32_t)(v->len * %u), "
                    "%u, \"list\", &_m)) return false;\n"
                    "    memcpy(_m, v->ptr, v->len * %u);\n  }\n",
                    e.size, e.align, e.size);
    } else {
      wg_buf_puts(&b, "  for (size_t _i = 0; _i < v->len; _i++) {\n");
      const char *at = cw_strf(w, "*ptr + (uint32_t)_i * %u", e.size);
      if (map) {
        emit(g, &b, OP_STORE, d->a, "&v->ptr[_i].key", plus(g, at, e.key_off),
             "k", "    ");
        emit(g, &b, OP_STORE, d->b, "&v->ptr[_i].value", plus(g, at, e.val_off),
             plus(g, "k", hk), "    ");
      } else {
        emit(g, &b, OP_STORE, d->a, "&v->ptr[_i]", at, "k", "    ");
      }
      wg_buf_puts(&b, "  }\n");
    }
  } else {
    wg_buf_printf(&b,
                  "static bool %s(WgCAbiCx *cx, uint32_t k, uint32_t ptr, "
                  "uint32_t n, %s *v) {\n  (void)k;\n  const uint8_t *_m;\n"
                  "  if (!wg_cabi_lift_list(cx, ptr, n, %u, %u, &_m)) return "
                  "false;\n"
                  "  v->ptr = wg_cabi_malloc(cx, (size_t)n * sizeof *v->ptr);\n"
                  "  if (!v->ptr) return false;\n",
                  name, ti->cname, e.size, e.align);
    if (flat) {
      wg_buf_printf(&b,
                    "  if (n) memcpy(v->ptr, _m, (size_t)n * %u);\n"
                    "  v->len = n;\n",
                    e.size);
      WgWitType et = cw_dealias(w, d->a);
      if (et == WG_WIT_F32 || et == WG_WIT_F64)
        wg_buf_printf(&b,
                      "  for (uint32_t _i = 0; _i < n; _i++)\n"
                      "    if (v->ptr[_i] != v->ptr[_i]) v->ptr[_i] = %s;\n",
                      et == WG_WIT_F32 ? "NAN" : "(double)NAN");
    } else {
      wg_buf_puts(&b, "  memset(v->ptr, 0, (size_t)n * sizeof *v->ptr);\n"
                      "  v->len = n;\n"
                      "  for (uint32_t _i = 0; _i < n; _i++) {\n");
      const char *at = cw_strf(w, "_m + (size_t)_i * %u", e.size);
      if (map) {
        emit(g, &b, OP_LOAD, d->a, "&v->ptr[_i].key", plus(g, at, e.key_off),
             "k", "    ");
        emit(g, &b, OP_LOAD, d->b, "&v->ptr[_i].value", plus(g, at, e.val_off),
             plus(g, "k", hk), "    ");
      } else {
        emit(g, &b, OP_LOAD, d->a, "&v->ptr[_i]", at, "k", "    ");
      }
      wg_buf_puts(&b, "  }\n");
    }
  }
  wg_buf_puts(&b, "  return true;\n}\n\n");
  host_leave_type(g, c);
  if (!w->failed) wg_buf_append(&g->c_helpers, b.data, b.len);
  wg_buf_free(&b);
  return w->failed ? NULL : name;
}

static void emit_list(HGen *g, WgBuf *b, Op op, WgWitType t, const char *p,
                      const char *pos, const char *k, const char *ind) {
  const char *fn = list_helper(g, t, op == OP_LOWER || op == OP_STORE);
  if (!fn) return;
  switch (op) {
    case OP_LOWER:
      wg_buf_printf(b,
                    "%s{\n%s  uint32_t _p;\n"
                    "%s  if (!%s(cx, %s, %s, &_p)) return false;\n"
                    "%s  (%s)[0] = wg_val_i32((int32_t)_p);\n"
                    "%s  (%s)[1] = wg_val_i32((int32_t)(%s)->len);\n%s}\n",
                    ind, ind, ind, fn, k, p, ind, pos, ind, pos, p, ind);
      return;
    case OP_STORE:
      wg_buf_printf(b,
                    "%s{\n%s  uint32_t _p;\n%s  uint8_t *_m;\n"
                    "%s  if (!%s(cx, %s, %s, &_p)) return false;\n"
                    "%s  if (!wg_cabi_view(cx, %s, 8, 4, \"value\", &_m)) "
                    "return false;\n"
                    "%s  HgWr32(_m, _p);\n"
                    "%s  HgWr32(_m + 4, (uint32_t)(%s)->len);\n%s}\n",
                    ind, ind, ind, ind, fn, k, p, ind, pos, ind, ind, p, ind);
      return;
    case OP_LIFT:
      wg_buf_printf(b,
                    "%sif (!%s(cx, %s, (uint32_t)(%s)[0].of.i32, "
                    "(uint32_t)(%s)[1].of.i32, %s)) return false;\n",
                    ind, fn, k, pos, pos, p);
      return;
    case OP_LOAD:
      wg_buf_printf(b,
                    "%sif (!%s(cx, %s, HgRd32(%s), HgRd32((%s) + 4), %s)) "
                    "return false;\n",
                    ind, fn, k, pos, pos, p);
      return;
  }
}

/* Section: records, tuples, fixed-length lists */

/* Member `i` of a record or tuple: its type and C access after `v->`. */
static WgWitType member(HGen *g, const WgWitTypeDef *d, size_t i,
                        const char **access) {
  if (d->kind == WG_WIT_KIND_RECORD) {
    *access = cw_word(&g->w, d->cases.items[i].name);
    return d->cases.items[i].type;
  }
  *access = cw_strf(&g->w, "f%zu", i);
  return d->types.items[i];
}

static void body_struct(HGen *g, WgBuf *b, Op op, WgWitType t,
                        const WgWitTypeDef *d) {
  CWorld *w = &g->w;
  const WgAbiType *abi = ct_abi(&g->ct, t);
  size_t n = d->kind == WG_WIT_KIND_RECORD ? d->cases.count : d->types.count;
  uint32_t f = 0, k = 0;
  for (size_t i = 0; i < n; i++) {
    const char *acc;
    WgWitType mt = member(g, d, i, &acc);
    const char *p = cw_strf(w, "&v->%s", acc);
    const char *kk = plus(g, "k", k);
    uint32_t off = wg_abi_field_offset(abi, (uint32_t)i, 4);
    switch (op) {
      case OP_LOWER:
        emit(g, b, op, mt, p, plus(g, "out", f), kk, "  ");
        break;
      case OP_LIFT:
        emit(g, b, op, mt, p, plus(g, "in", f), kk, "  ");
        break;
      case OP_STORE:
        emit(g, b, op, mt, p, plus(g, "addr", off), kk, "  ");
        break;
      case OP_LOAD:
        emit(g, b, op, mt, p, plus(g, "m", off), kk, "  ");
        break;
    }
    f += flat_count(g, mt);
    k += host_handle_count(g, mt);
  }
}

static void body_fixed(HGen *g, WgBuf *b, Op op, const WgWitTypeDef *d) {
  CWorld *w = &g->w;
  uint32_t fe = flat_count(g, d->a), es = size_of(g, d->a);
  if (op == OP_STORE || op == OP_LOAD)
    wg_buf_printf(b, "  if (!wg_cabi_charge(cx, %u)) return false;\n", d->size);
  wg_buf_printf(b, "  for (uint32_t _i = 0; _i < %u; _i++) {\n", d->size);
  const char *pos = op == OP_LOWER   ? cw_strf(w, "out + _i * %u", fe)
                    : op == OP_LIFT  ? cw_strf(w, "in + _i * %u", fe)
                    : op == OP_STORE ? cw_strf(w, "addr + _i * %u", es)
                                     : cw_strf(w, "m + (size_t)_i * %u", es);
  emit(g, b, op, d->a, "&v->items[_i]", pos, "k", "    ");
  wg_buf_puts(b, "  }\n");
}

/* Section: variants, options, results */

typedef struct Cases {
  size_t count;
  const char *disc; /* the case index of `*v`, as uint32_t */
  const char *what; /* "variant", "option", "result" */
  WgWitType *types; /* payload types */
  const char **access;
  bool *has;
  uint32_t *k; /* first handle position of each payload */
} Cases;

static void cases_free(Cases *c) {
  free(c->types);
  free(c->access);
  free(c->has);
  free(c->k);
}

static bool cases_of(HGen *g, const WgWitTypeDef *d, Cases *c) {
  CWorld *w = &g->w;
  memset(c, 0, sizeof *c);
  size_t n = d->kind == WG_WIT_KIND_VARIANT ? d->cases.count : 2;
  c->types = calloc(n, sizeof *c->types);
  c->access = calloc(n, sizeof *c->access);
  c->has = calloc(n, sizeof *c->has);
  c->k = calloc(n, sizeof *c->k);
  if (!c->types || !c->access || !c->has || !c->k) return cw_nomem(w);
  c->count = n;
  if (d->kind == WG_WIT_KIND_OPTION) {
    c->disc = "(v->is_some ? 1u : 0u)";
    c->what = "option";
    c->has[1] = true;
    c->types[1] = d->a;
    c->access[1] = "val";
    return true;
  }
  if (d->kind == WG_WIT_KIND_RESULT) {
    c->disc = "(v->is_err ? 1u : 0u)";
    c->what = "result";
    c->has[0] = d->has_a;
    c->types[0] = d->a;
    c->access[0] = "val.ok";
    c->has[1] = d->has_b;
    c->types[1] = d->b;
    c->access[1] = "val.err";
    c->k[1] = d->has_a ? host_handle_count(g, d->a) : 0;
    return true;
  }
  c->disc = "(uint32_t)v->tag";
  c->what = "variant";
  uint32_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const WgWitCase *cs = &d->cases.items[i];
    c->has[i] = cs->has_type;
    c->types[i] = cs->type;
    c->access[i] =
        cs->has_type ? cw_strf(w, "val.%s", cw_word(w, cs->name)) : NULL;
    c->k[i] = k;
    if (cs->has_type) k += host_handle_count(g, cs->type);
  }
  return true;
}

static const char *set_disc(HGen *g, const WgWitTypeDef *d, size_t i) {
  if (d->kind == WG_WIT_KIND_OPTION)
    return i ? "v->is_some = true;" : "v->is_some = false;";
  if (d->kind == WG_WIT_KIND_RESULT)
    return i ? "v->is_err = true;" : "v->is_err = false;";
  return cw_strf(&g->w, "v->tag = %zu;", i);
}

static void body_cases(HGen *g, WgBuf *b, Op op, WgWitType t,
                       const WgWitTypeDef *d) {
  CWorld *w = &g->w;
  Cases c;
  if (!cases_of(g, d, &c)) {
    cases_free(&c);
    return;
  }
  WgCoreType flat[MAX_FLAT];
  uint32_t nf = host_flat(g, t, flat, MAX_FLAT);
  const WgAbiType *abi = ct_abi(&g->ct, t);
  uint32_t ds = wg_abi_discriminant_size((uint32_t)c.count);
  uint32_t po = wg_abi_payload_offset(abi, 4);
  switch (op) {
    case OP_LOWER:
      wg_buf_printf(b,
                    "  uint32_t _c = %s;\n"
                    "  out[0] = wg_val_i32((int32_t)_c);\n",
                    c.disc);
      for (uint32_t j = 1; j < nf; j++)
        wg_buf_printf(b, "  out[%u] = HgZero(%s);\n", j, val_kind(flat[j]));
      break;
    case OP_STORE:
      wg_buf_printf(b,
                    "  uint32_t _c = %s;\n"
                    "  if (_c >= %zu) return wg_cabi_fail(cx, WG_TRAP_MISUSE, "
                    "\"%s case %%u out of range (%zu cases)\", _c);\n"
                    "  {\n    uint8_t *_m;\n"
                    "    if (!wg_cabi_view(cx, addr, %u, %u, \"value\", &_m)) "
                    "return false;\n"
                    "    HgWr%u(_m, (uint%u_t)_c);\n  }\n",
                    c.disc, c.count, c.what, c.count, ds, ds, ds * 8, ds * 8);
      break;
    case OP_LIFT:
      wg_buf_puts(b, "  uint32_t _c = (uint32_t)in[0].of.i32;\n");
      break;
    case OP_LOAD:
      wg_buf_printf(b, "  uint32_t _c = %s;\n", rd(g, ds, "m"));
      break;
  }
  wg_buf_puts(b, "  switch (_c) {\n");
  for (size_t i = 0; i < c.count; i++) {
    wg_buf_printf(b, "    case %zu: {\n", i);
    if (op == OP_LIFT || op == OP_LOAD)
      wg_buf_printf(b, "      %s\n", set_disc(g, d, i));
    if (c.has[i]) {
      const char *p = cw_strf(w, "&v->%s", c.access[i]);
      const char *kk = plus(g, "k", c.k[i]);
      WgCoreType nat[MAX_FLAT];
      uint32_t np = host_flat(g, c.types[i], nat, MAX_FLAT);
      switch (op) {
        case OP_LOWER:
          wg_buf_printf(b, "      WgVal _t[%u];\n", np);
          emit(g, b, op, c.types[i], p, "_t", kk, "      ");
          for (uint32_t j = 0; j < np; j++)
            wg_buf_printf(b, "      out[%u] = HgCoerce(_t[%u], %s);\n", 1 + j,
                          j, val_kind(flat[1 + j]));
          break;
        case OP_LIFT:
          wg_buf_printf(b, "      WgVal _t[%u];\n", np);
          for (uint32_t j = 0; j < np; j++)
            wg_buf_printf(b, "      _t[%u] = HgCoerce(in[%u], %s);\n", j, 1 + j,
                          val_kind(nat[j]));
          emit(g, b, op, c.types[i], p, "_t", kk, "      ");
          break;
        case OP_STORE:
          emit(g, b, op, c.types[i], p, plus(g, "addr", po), kk, "      ");
          break;
        case OP_LOAD:
          emit(g, b, op, c.types[i], p, plus(g, "m", po), kk, "      ");
          break;
      }
    }
    wg_buf_puts(b, "      break;\n    }\n");
  }
  if (op == OP_LIFT || op == OP_LOAD)
    wg_buf_printf(b,
                  "    default:\n      return wg_cabi_fail(cx, WG_TRAP_WASM, "
                  "\"invalid variant discriminant %%u (%zu cases)\", _c);\n",
                  c.count);
  else if (op == OP_LOWER)
    wg_buf_printf(b,
                  "    default:\n      return wg_cabi_fail(cx, WG_TRAP_MISUSE, "
                  "\"%s case %%u out of range (%zu cases)\", _c);\n",
                  c.what, c.count);
  else
    wg_buf_puts(b, "    default:\n      break;\n");
  wg_buf_puts(b, "  }\n");
  cases_free(&c);
}

/* Section: helpers */

static const char *helper(HGen *g, Op op, WgWitType t) {
  CWorld *w = &g->w;
  const TypeInfo *ti = ct_type(&g->ct, t);
  if (!ti) return NULL;
  const char *name = cw_strf(w, "Hg%s_%s", OP_NAME[op], ti->base);
  if (wg_names_taken(&g->done, name)) return name;
  if (!wg_names_reserve(&g->done, name)) return cw_nomem(w), NULL;
  HCtx c = host_enter_type(g, t);
  const WgWitTypeDef *d = cw_def(w, t);
  WgBuf b = { 0 };
  switch (op) {
    case OP_LOWER:
      wg_buf_printf(&b,
                    "static bool %s(WgCAbiCx *cx, uint32_t k, const %s *v, "
                    "WgVal *out) {\n",
                    name, ti->cname);
      break;
    case OP_LIFT:
      wg_buf_printf(&b,
                    "static bool %s(WgCAbiCx *cx, uint32_t k, const WgVal *in, "
                    "%s *v) {\n",
                    name, ti->cname);
      break;
    case OP_STORE:
      wg_buf_printf(&b,
                    "static bool %s(WgCAbiCx *cx, uint32_t k, const %s *v, "
                    "uint32_t addr) {\n",
                    name, ti->cname);
      break;
    case OP_LOAD:
      wg_buf_printf(&b,
                    "static bool %s(WgCAbiCx *cx, uint32_t k, const uint8_t "
                    "*m, %s *v) {\n",
                    name, ti->cname);
      break;
  }
  wg_buf_puts(&b, "  (void)cx;\n  (void)k;\n");
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_TUPLE:
      body_struct(g, &b, op, t, d);
      break;
    case WG_WIT_KIND_FIXED_LIST:
      body_fixed(g, &b, op, d);
      break;
    default:
      body_cases(g, &b, op, t, d);
      break;
  }
  wg_buf_puts(&b, "  return true;\n}\n\n");
  host_leave_type(g, c);
  if (!w->failed) wg_buf_append(&g->c_helpers, b.data, b.len);
  wg_buf_free(&b);
  return w->failed ? NULL : name;
}

static void emit(HGen *g, WgBuf *b, Op op, WgWitType t, const char *p,
                 const char *pos, const char *k, const char *ind) {
  CWorld *w = &g->w;
  if (w->failed) return;
  t = cw_dealias(w, t);
  if (!WG_WIT_TYPE_IS_ID(t)) {
    if (t == WG_WIT_STRING)
      emit_string(g, b, op, p, pos, ind);
    else if (t == WG_WIT_ERROR_CONTEXT)
      cw_fail(w, WG_ERR_UNSUPPORTED, "not supported yet: error-context");
    else
      emit_prim(g, b, op, (WgWitPrim)t, p, pos, ind);
    return;
  }
  const WgWitTypeDef *d = cw_def(w, t);
  switch (d->kind) {
    case WG_WIT_KIND_ENUM:
    case WG_WIT_KIND_FLAGS: {
      const char *ct = ct_cname(&g->ct, t);
      if (!ct) return;
      if (d->kind == WG_WIT_KIND_ENUM)
        emit_enum(g, b, op, d, ct, p, pos, ind);
      else
        emit_flags(g, b, op, d, ct, p, pos, ind);
      return;
    }
    case WG_WIT_KIND_RESOURCE:
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW:
      emit_handle(g, b, op, t, p, pos, k, ind);
      return;
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_MAP:
      emit_list(g, b, op, t, p, pos, k, ind);
      return;
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_TUPLE:
    case WG_WIT_KIND_VARIANT:
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_RESULT:
    case WG_WIT_KIND_FIXED_LIST: {
      const char *fn = helper(g, op, t);
      if (!fn) return;
      const char *args = op == OP_LOWER || op == OP_STORE
                             ? cw_strf(w, "%s, %s", p, pos)
                             : cw_strf(w, "%s, %s", pos, p);
      wg_buf_printf(b, "%sif (!%s(cx, %s, %s)) return false;\n", ind, fn, k,
                    args);
      return;
    }
    case WG_WIT_KIND_FUTURE:
      cw_fail(w, WG_ERR_UNSUPPORTED, "not supported yet: future");
      return;
    case WG_WIT_KIND_STREAM:
      cw_fail(w, WG_ERR_UNSUPPORTED, "not supported yet: stream");
      return;
    default:
      cw_fail(w, WG_ERR_INVALID, "internal: cannot lift or lower kind %d",
              (int)d->kind);
      return;
  }
}

void host_lower(HGen *g, WgBuf *b, WgWitType t, const char *p, const char *out,
                const char *k, const char *ind) {
  emit(g, b, OP_LOWER, t, p, out, k, ind);
}

void host_lift(HGen *g, WgBuf *b, WgWitType t, const char *in, const char *p,
               const char *k, const char *ind) {
  emit(g, b, OP_LIFT, t, p, in, k, ind);
}

void host_store(HGen *g, WgBuf *b, WgWitType t, const char *p, const char *addr,
                const char *k, const char *ind) {
  emit(g, b, OP_STORE, t, p, addr, k, ind);
}

void host_load(HGen *g, WgBuf *b, WgWitType t, const char *m, const char *p,
               const char *k, const char *ind) {
  emit(g, b, OP_LOAD, t, p, m, k, ind);
}
