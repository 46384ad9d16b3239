/* SPDX-License-Identifier: Apache-2.0 */
/* Flat lowering and lifting: C statements moving a C value to or from its
 * flattened core values (`_f0`, `_f1`, ... or `_r0`), including the joins of
 * variant payloads. spec: CanonicalABI.md, lower_flat / lift_flat,
 * lower_flat_variant / lift_flat_variant (join and the conversions). */
#include <stdio.h>
#include <string.h>

#include "guest.h"
#include "strbuf.h"

#define MAX_FLAT 64

/* Where the flat values of one value are: `<g->fv><first + k>`, of joined
 * core type flat[first + k] and natural core type nat[k]; statements are
 * indented by `n` spaces. */
typedef struct At {
  const WgCoreType *flat;
  WgCoreType nat[MAX_FLAT];
  uint32_t first;
  int n;
} At;

static void ind(WgBuf *b, int n) {
  for (int i = 0; i < n; i++)
    wg_buf_putc(b, ' ');
}

/* `value` (of natural core type `have`) converted to the joined `want`. */
static const char *widen(CWorld *w, const char *value, WgCoreType have,
                         WgCoreType want) {
  if (have == want) return value;
  if (have == WG_CORE_I32 && want == WG_CORE_I64)
    return cw_strf(w, "(int64_t)(uint32_t)(%s)", value);
  if (have == WG_CORE_F32 && want == WG_CORE_I32)
    return cw_strf(w, "witgen_f32_bits(%s)", value);
  if (have == WG_CORE_F32 && want == WG_CORE_I64)
    return cw_strf(w, "(int64_t)(uint32_t)witgen_f32_bits(%s)", value);
  return cw_strf(w, "witgen_f64_bits(%s)", value); /* f64 → i64 */
}

/* The joined flat value `v` (of type `have`) back at natural type `want`. */
static const char *narrow(CWorld *w, const char *v, WgCoreType have,
                          WgCoreType want) {
  if (have == want) return v;
  if (have == WG_CORE_I64 && want == WG_CORE_I32)
    return cw_strf(w, "(int32_t)(uint32_t)(uint64_t)(%s)", v);
  if (have == WG_CORE_I32 && want == WG_CORE_F32)
    return cw_strf(w, "witgen_f32_from_bits(%s)", v);
  if (have == WG_CORE_I64 && want == WG_CORE_F32)
    return cw_strf(w, "witgen_f32_from_bits((int32_t)(uint32_t)(uint64_t)(%s))",
                   v);
  return cw_strf(w, "witgen_f64_from_bits(%s)", v); /* i64 → f64 */
}

static uint32_t flatten(Gen *g, WgWitType t, WgCoreType *out) {
  return wg_abi_flatten(ct_abi(&g->ct, t), 4, out, MAX_FLAT);
}

/* How many core values `t` flattens to. */
static uint32_t flat_count(Gen *g, WgWitType t) {
  WgCoreType tmp[MAX_FLAT];
  return flatten(g, t, tmp);
}

/* The flat values of `t` (dealiased) starting at `first`. */
static At at_of(Gen *g, WgWitType t, uint32_t first, const WgCoreType *flat,
                int n) {
  At at = { flat, { 0 }, first, n };
  flatten(g, t, at.nat);
  return at;
}

/* True when an exported resource's borrow (a rep pointer in C). */
static bool is_rep_borrow(Gen *g, const WgWitTypeDef *d, WgWitType t) {
  return d->kind == WG_WIT_KIND_HANDLE_BORROW &&
         cw_resource_is_exported(&g->w, cw_resource_of(&g->w, t));
}

/* Number of members of a record, tuple or fixed-size list. */
static size_t member_count(const WgWitTypeDef *d) {
  return d->kind == WG_WIT_KIND_RECORD  ? d->cases.count
         : d->kind == WG_WIT_KIND_TUPLE ? d->types.count
                                        : d->size;
}

/* Member `i` of a record, tuple or fixed-size list: its type, and in
 * `path` its C access after the value (".name", ".f1", ".items[2]"). */
static WgWitType member(Gen *g, const WgWitTypeDef *d, size_t i,
                        const char **path) {
  if (d->kind == WG_WIT_KIND_RECORD) {
    *path = cw_strf(&g->w, ".%s", cw_word(&g->w, d->cases.items[i].name));
    return d->cases.items[i].type;
  }
  if (d->kind == WG_WIT_KIND_TUPLE) {
    *path = cw_strf(&g->w, ".f%zu", i);
    return d->types.items[i];
  }
  *path = cw_strf(&g->w, ".items[%zu]", i);
  return d->a;
}

/* ---- lowering: C value → flat values ----------------------------------- */

/* `<fv><first + k> = val;`, widened to the joined type. */
static void put(Gen *g, WgBuf *o, const At *at, uint32_t k, const char *val) {
  ind(o, at->n);
  wg_buf_printf(o, "%s%u = %s;\n", g->fv, at->first + k,
                widen(&g->w, val, at->nat[k], at->flat[at->first + k]));
}

static void lower_prim(Gen *g, WgBuf *o, const At *at, WgWitPrim p,
                       const char *e) {
  CWorld *w = &g->w;
  switch (p) {
    case WG_WIT_U64:
    case WG_WIT_S64:
      put(g, o, at, 0, cw_strf(w, "(int64_t)(%s)", e));
      break;
    case WG_WIT_F32:
    case WG_WIT_F64:
      put(g, o, at, 0, e);
      break;
    case WG_WIT_STRING:
      put(g, o, at, 0, cw_strf(w, "(int32_t)(uintptr_t)(%s).ptr", e));
      put(g, o, at, 1, cw_strf(w, "(int32_t)(%s).len", e));
      break;
    default:
      put(g, o, at, 0, cw_strf(w, "(int32_t)(%s)", e));
      break;
  }
}

/* A record's, tuple's or fixed-size list's members, one after another. */
static void lower_members(Gen *g, WgBuf *o, const At *at, const WgWitTypeDef *d,
                          const char *e) {
  uint32_t k = at->first;
  for (size_t i = 0; i < member_count(d); i++) {
    const char *path;
    WgWitType mt = member(g, d, i, &path);
    guest_lower_flat(g, o, mt, cw_strf(&g->w, "(%s)%s", e, path), k, at->flat,
                     at->n);
    k += flat_count(g, mt);
  }
}

/* `if (cond) { <lower payload `e` of type `t`> }`: an option's or a
 * result's payload after the discriminant. */
static void lower_if(Gen *g, WgBuf *o, const At *at, const char *cond,
                     WgWitType t, const char *e) {
  ind(o, at->n);
  wg_buf_printf(o, "if (%s) {\n", cond);
  guest_lower_flat(g, o, t, e, at->first + 1, at->flat, at->n + 2);
  ind(o, at->n);
  wg_buf_puts(o, "}\n");
}

/* The tag, then the payload of the case in use. */
static void lower_variant(Gen *g, WgBuf *o, const At *at, const WgWitTypeDef *d,
                          const char *e) {
  CWorld *w = &g->w;
  int n = at->n;
  put(g, o, at, 0, cw_strf(w, "(int32_t)(%s).tag", e));
  ind(o, n);
  wg_buf_printf(o, "switch ((%s).tag) {\n", e);
  for (size_t i = 0; i < d->cases.count; i++) {
    const WgWitCase *c = &d->cases.items[i];
    if (!c->has_type) continue;
    ind(o, n + 2);
    wg_buf_printf(o, "case %zu:\n", i);
    guest_lower_flat(g, o, c->type,
                     cw_strf(w, "(%s).val.%s", e, cw_word(w, c->name)),
                     at->first + 1, at->flat, n + 4);
    ind(o, n + 4);
    wg_buf_puts(o, "break;\n");
  }
  ind(o, n + 2);
  wg_buf_puts(o, "default:\n");
  ind(o, n + 4);
  wg_buf_puts(o, "break;\n");
  ind(o, n);
  wg_buf_puts(o, "}\n");
}

void guest_lower_flat(Gen *g, WgBuf *o, WgWitType t, const char *e,
                      uint32_t first, const WgCoreType *flat, int n) {
  CWorld *w = &g->w;
  t = cw_dealias(w, t);
  At at = at_of(g, t, first, flat, n);
  if (!WG_WIT_TYPE_IS_ID(t)) {
    lower_prim(g, o, &at, (WgWitPrim)t, e);
    return;
  }
  const WgWitTypeDef *d = cw_def(w, t);
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_TUPLE:
    case WG_WIT_KIND_FIXED_LIST:
      lower_members(g, o, &at, d, e);
      break;
    case WG_WIT_KIND_FLAGS:
      if (d->cases.count <= 32)
        put(g, o, &at, 0, cw_strf(w, "(int32_t)(%s)", e));
      else
        for (uint32_t i = 0; i < (d->cases.count + 31) / 32; i++)
          put(g, o, &at, i, cw_strf(w, "(int32_t)(%s).bits[%u]", e, i));
      break;
    case WG_WIT_KIND_ENUM:
      put(g, o, &at, 0, cw_strf(w, "(int32_t)(%s)", e));
      break;
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_MAP:
      put(g, o, &at, 0, cw_strf(w, "(int32_t)(uintptr_t)(%s).ptr", e));
      put(g, o, &at, 1, cw_strf(w, "(int32_t)(%s).len", e));
      break;
    case WG_WIT_KIND_RESOURCE:
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW:
      put(g, o, &at, 0,
          is_rep_borrow(g, d, t) ? cw_strf(w, "(int32_t)(uintptr_t)(%s)", e)
                                 : cw_strf(w, "(%s).handle", e));
      break;
    case WG_WIT_KIND_OPTION:
      put(g, o, &at, 0, cw_strf(w, "(int32_t)(%s).is_some", e));
      lower_if(g, o, &at, cw_strf(w, "(%s).is_some", e), d->a,
               cw_strf(w, "(%s).val", e));
      break;
    case WG_WIT_KIND_RESULT:
      put(g, o, &at, 0, cw_strf(w, "(int32_t)(%s).is_err", e));
      if (d->has_a)
        lower_if(g, o, &at, cw_strf(w, "!(%s).is_err", e), d->a,
                 cw_strf(w, "(%s).val.ok", e));
      if (d->has_b)
        lower_if(g, o, &at, cw_strf(w, "(%s).is_err", e), d->b,
                 cw_strf(w, "(%s).val.err", e));
      break;
    case WG_WIT_KIND_VARIANT:
      lower_variant(g, o, &at, d, e);
      break;
    default:
      cw_fail(w, WG_ERR_INVALID, "internal: cannot lower kind %d",
              (int)d->kind);
  }
}

/* ---- lifting: flat values → C value ------------------------------------ */

/* The k-th flat value at its natural core type. */
static const char *get(Gen *g, const At *at, uint32_t k) {
  return narrow(&g->w, cw_strf(&g->w, "%s%u", g->fv, at->first + k),
                at->flat[at->first + k], at->nat[k]);
}

/* `<dst><member> = value;` */
static void set(WgBuf *o, const At *at, const char *dst, const char *member,
                const char *value) {
  ind(o, at->n);
  wg_buf_printf(o, "%s%s = %s;\n", dst, member, value);
}

/* `if (cond) __builtin_trap();` */
static void trap_if(WgBuf *o, const At *at, const char *cond) {
  ind(o, at->n);
  wg_buf_printf(o, "if (%s) __builtin_trap();\n", cond);
}

static void lift_prim(Gen *g, WgBuf *o, const At *at, WgWitPrim p,
                      const char *dst, const char *cname) {
  CWorld *w = &g->w;
  switch (p) {
    case WG_WIT_BOOL:
      set(o, at, dst, "", cw_strf(w, "(%s) != 0", get(g, at, 0)));
      break;
    case WG_WIT_STRING:
      set(o, at, dst, ".ptr",
          cw_strf(w, "(uint8_t *)(uintptr_t)(%s)", get(g, at, 0)));
      set(o, at, dst, ".len",
          cw_strf(w, "(size_t)(uint32_t)(%s)", get(g, at, 1)));
      break;
    default:
      set(o, at, dst, "", cw_strf(w, "(%s)(%s)", cname, get(g, at, 0)));
      break;
  }
}

/* A record's, tuple's or fixed-size list's members, one after another. */
static void lift_members(Gen *g, WgBuf *o, const At *at, const WgWitTypeDef *d,
                         const char *dst) {
  uint32_t k = at->first;
  for (size_t i = 0; i < member_count(d); i++) {
    const char *path;
    WgWitType mt = member(g, d, i, &path);
    guest_lift_flat(g, o, mt, cw_strf(&g->w, "%s%s", dst, path), k, at->flat,
                    at->n);
    k += flat_count(g, mt);
  }
}

/* Flags: unknown bits trap (up to 32 flags), the words are copied. */
static void lift_flags(Gen *g, WgBuf *o, const At *at, const WgWitTypeDef *d,
                       const char *dst, const char *cname) {
  CWorld *w = &g->w;
  size_t count = d->cases.count;
  if (count > 32) {
    for (uint32_t i = 0; i < (count + 31) / 32; i++)
      set(o, at, dst, cw_strf(w, ".bits[%u]", i),
          cw_strf(w, "(uint32_t)(%s)", get(g, at, i)));
    return;
  }
  if (count < 32)
    trap_if(o, at, cw_strf(w, "(uint32_t)(%s) >> %zu", get(g, at, 0), count));
  set(o, at, dst, "", cw_strf(w, "(%s)(uint32_t)(%s)", cname, get(g, at, 0)));
}

/* Case `i` of an option, result or variant: whether it has a payload, its
 * type and its member (`val`, `val.ok`, `val.<case>`). */
static bool payload(Gen *g, const WgWitTypeDef *d, size_t i, WgWitType *type,
                    const char **member) {
  switch (d->kind) {
    case WG_WIT_KIND_OPTION:
      *type = d->a;
      *member = "val";
      return i == 1;
    case WG_WIT_KIND_RESULT:
      *type = i ? d->b : d->a;
      *member = i ? "val.err" : "val.ok";
      return i ? d->has_b : d->has_a;
    default:
      *type = d->cases.items[i].type;
      *member =
          cw_strf(&g->w, "val.%s", cw_word(&g->w, d->cases.items[i].name));
      return d->cases.items[i].has_type;
  }
}

/* Option, result, variant: a switch on the discriminant (out of range
 * traps) setting it and lifting the payload of its case. */
static void lift_cases(Gen *g, WgBuf *o, const At *at, const WgWitTypeDef *d,
                       const char *dst) {
  CWorld *w = &g->w;
  int n = at->n;
  bool is_opt = d->kind == WG_WIT_KIND_OPTION;
  bool is_res = d->kind == WG_WIT_KIND_RESULT;
  size_t count = is_opt || is_res ? 2 : d->cases.count;
  ind(o, n);
  wg_buf_printf(o, "switch ((uint32_t)(%s)) {\n", get(g, at, 0));
  for (size_t i = 0; i < count; i++) {
    ind(o, n + 2);
    wg_buf_printf(o, "case %zu:\n", i);
    ind(o, n + 4);
    if (is_opt)
      wg_buf_printf(o, "%s.is_some = %s;\n", dst, i ? "true" : "false");
    else if (is_res)
      wg_buf_printf(o, "%s.is_err = %s;\n", dst, i ? "true" : "false");
    else
      wg_buf_printf(o, "%s.tag = %zu;\n", dst, i);
    WgWitType pt;
    const char *m;
    if (payload(g, d, i, &pt, &m))
      guest_lift_flat(g, o, pt, cw_strf(w, "%s.%s", dst, m), at->first + 1,
                      at->flat, n + 4);
    ind(o, n + 4);
    wg_buf_puts(o, "break;\n");
  }
  ind(o, n + 2);
  wg_buf_puts(o, "default:\n");
  ind(o, n + 4);
  wg_buf_puts(o, "__builtin_trap();\n");
  ind(o, n);
  wg_buf_puts(o, "}\n");
}

void guest_lift_flat(Gen *g, WgBuf *o, WgWitType t, const char *dst,
                     uint32_t first, const WgCoreType *flat, int n) {
  CWorld *w = &g->w;
  t = cw_dealias(w, t);
  At at = at_of(g, t, first, flat, n);
  const char *cname = ct_cname(&g->ct, t);
  if (!cname) return;
  if (!WG_WIT_TYPE_IS_ID(t)) {
    lift_prim(g, o, &at, (WgWitPrim)t, dst, cname);
    return;
  }
  const WgWitTypeDef *d = cw_def(w, t);
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_TUPLE:
    case WG_WIT_KIND_FIXED_LIST:
      lift_members(g, o, &at, d, dst);
      break;
    case WG_WIT_KIND_FLAGS:
      lift_flags(g, o, &at, d, dst, cname);
      break;
    case WG_WIT_KIND_ENUM:
      trap_if(
          o, &at,
          cw_strf(w, "(uint32_t)(%s) >= %zu", get(g, &at, 0), d->cases.count));
      set(o, &at, dst, "", cw_strf(w, "(%s)(%s)", cname, get(g, &at, 0)));
      break;
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_MAP:
      set(o, &at, dst, ".ptr",
          cw_strf(w, "(void *)(uintptr_t)(%s)", get(g, &at, 0)));
      set(o, &at, dst, ".len",
          cw_strf(w, "(size_t)(uint32_t)(%s)", get(g, &at, 1)));
      break;
    case WG_WIT_KIND_RESOURCE:
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW:
      if (is_rep_borrow(g, d, t))
        set(o, &at, dst, "",
            cw_strf(w, "(%s)(uintptr_t)(%s)", cname, get(g, &at, 0)));
      else
        set(o, &at, dst, ".handle", get(g, &at, 0));
      break;
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_RESULT:
    case WG_WIT_KIND_VARIANT:
      lift_cases(g, o, &at, d, dst);
      break;
    default:
      cw_fail(w, WG_ERR_INVALID, "internal: cannot lift kind %d", (int)d->kind);
  }
}
