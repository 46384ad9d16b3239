/* SPDX-License-Identifier: Apache-2.0 */
/* Flat lowering and lifting: C statements moving a C value to or from its
 * flattened core values (`_f0`, `_f1`, ... or `_r0`), including the joins of
 * variant payloads. spec: CanonicalABI.md, lower_flat / lift_flat,
 * lower_flat_variant / lift_flat_variant (join and the conversions). */
#include <stdio.h>
#include <string.h>

#include "bindgen.h"
#include "strbuf.h"

#define MAX_FLAT 64

static void ind(WgBuf *b, int n) {
  for (int i = 0; i < n; i++)
    wg_buf_putc(b, ' ');
}

/* `value` (of natural core type `have`) converted to the joined `want`. */
static const char *widen(Gen *g, const char *value, WgCoreType have,
                         WgCoreType want) {
  if (have == want) return value;
  if (have == WG_CORE_I32 && want == WG_CORE_I64)
    return gen_strf(g, "(int64_t)(uint32_t)(%s)", value);
  if (have == WG_CORE_F32 && want == WG_CORE_I32)
    return gen_strf(g, "witgen_f32_bits(%s)", value);
  if (have == WG_CORE_F32 && want == WG_CORE_I64)
    return gen_strf(g, "(int64_t)(uint32_t)witgen_f32_bits(%s)", value);
  return gen_strf(g, "witgen_f64_bits(%s)", value); /* f64 → i64 */
}

/* The joined flat value `v` (of type `have`) back at natural type `want`. */
static const char *narrow(Gen *g, const char *v, WgCoreType have,
                          WgCoreType want) {
  if (have == want) return v;
  if (have == WG_CORE_I64 && want == WG_CORE_I32)
    return gen_strf(g, "(int32_t)(uint32_t)(uint64_t)(%s)", v);
  if (have == WG_CORE_I32 && want == WG_CORE_F32)
    return gen_strf(g, "witgen_f32_from_bits(%s)", v);
  if (have == WG_CORE_I64 && want == WG_CORE_F32)
    return gen_strf(
        g, "witgen_f32_from_bits((int32_t)(uint32_t)(uint64_t)(%s))", v);
  return gen_strf(g, "witgen_f64_from_bits(%s)", v); /* i64 → f64 */
}

static uint32_t flatten(Gen *g, WgWitType t, WgCoreType *out) {
  return wg_abi_flatten(gen_abi(g, t), 4, out, MAX_FLAT);
}

/* How many core values `t` flattens to. */
static uint32_t flat_count(Gen *g, WgWitType t) {
  WgCoreType tmp[MAX_FLAT];
  return flatten(g, t, tmp);
}

static const char *field(Gen *g, WgStr name) {
  char buf[256];
  wg_names_word(buf, sizeof buf, name);
  return gen_strf(g, "%s", buf);
}

/* True when an exported resource's borrow (a rep pointer in C). */
static bool is_rep_borrow(Gen *g, const WgWitTypeDef *d, WgWitType t) {
  return d->kind == WG_WIT_KIND_HANDLE_BORROW &&
         gen_resource_is_exported(g, gen_resource_of(g, t));
}

void gen_lower_flat(Gen *g, WgBuf *o, WgWitType t, const char *e,
                    uint32_t first, const WgCoreType *flat, int n) {
  t = gen_dealias(g, t);
  WgCoreType nat[MAX_FLAT];
  flatten(g, t, nat);
  const char *fv = g->fv;
#define PUT(k, val)                                            \
  do {                                                         \
    ind(o, n);                                                 \
    wg_buf_printf(o, "%s%u = %s;\n", fv, first + (k),          \
                  widen(g, (val), nat[k], flat[first + (k)])); \
  } while (0)
  if (!WG_WIT_TYPE_IS_ID(t)) {
    switch ((WgWitPrim)t) {
      case WG_WIT_U64:
      case WG_WIT_S64:
        PUT(0, gen_strf(g, "(int64_t)(%s)", e));
        break;
      case WG_WIT_F32:
      case WG_WIT_F64:
        PUT(0, e);
        break;
      case WG_WIT_STRING:
        PUT(0, gen_strf(g, "(int32_t)(uintptr_t)(%s).ptr", e));
        PUT(1, gen_strf(g, "(int32_t)(%s).len", e));
        break;
      default:
        PUT(0, gen_strf(g, "(int32_t)(%s)", e));
        break;
    }
    return;
  }
  const WgWitTypeDef *d = gen_def(g, t);
  switch (d->kind) {
    case WG_WIT_KIND_RECORD: {
      uint32_t k = first;
      for (size_t i = 0; i < d->cases.count; i++) {
        const WgWitCase *c = &d->cases.items[i];
        gen_lower_flat(g, o, c->type,
                       gen_strf(g, "(%s).%s", e, field(g, c->name)), k, flat,
                       n);
        k += flat_count(g, c->type);
      }
      break;
    }
    case WG_WIT_KIND_TUPLE: {
      uint32_t k = first;
      for (size_t i = 0; i < d->types.count; i++) {
        gen_lower_flat(g, o, d->types.items[i], gen_strf(g, "(%s).f%zu", e, i),
                       k, flat, n);
        k += flat_count(g, d->types.items[i]);
      }
      break;
    }
    case WG_WIT_KIND_FIXED_LIST: {
      uint32_t each = flat_count(g, d->a);
      for (uint32_t i = 0; i < d->size; i++)
        gen_lower_flat(g, o, d->a, gen_strf(g, "(%s).items[%u]", e, i),
                       first + i * each, flat, n);
      break;
    }
    case WG_WIT_KIND_FLAGS:
      if (d->cases.count <= 32)
        PUT(0, gen_strf(g, "(int32_t)(%s)", e));
      else
        for (uint32_t i = 0; i < (d->cases.count + 31) / 32; i++)
          PUT(i, gen_strf(g, "(int32_t)(%s).bits[%u]", e, i));
      break;
    case WG_WIT_KIND_ENUM:
      PUT(0, gen_strf(g, "(int32_t)(%s)", e));
      break;
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_MAP:
      PUT(0, gen_strf(g, "(int32_t)(uintptr_t)(%s).ptr", e));
      PUT(1, gen_strf(g, "(int32_t)(%s).len", e));
      break;
    case WG_WIT_KIND_RESOURCE:
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW:
      if (is_rep_borrow(g, d, t))
        PUT(0, gen_strf(g, "(int32_t)(uintptr_t)(%s)", e));
      else
        PUT(0, gen_strf(g, "(%s).handle", e));
      break;
    case WG_WIT_KIND_OPTION:
      PUT(0, gen_strf(g, "(int32_t)(%s).is_some", e));
      ind(o, n);
      wg_buf_printf(o, "if ((%s).is_some) {\n", e);
      gen_lower_flat(g, o, d->a, gen_strf(g, "(%s).val", e), first + 1, flat,
                     n + 2);
      ind(o, n);
      wg_buf_puts(o, "}\n");
      break;
    case WG_WIT_KIND_RESULT:
      PUT(0, gen_strf(g, "(int32_t)(%s).is_err", e));
      if (d->has_a) {
        ind(o, n);
        wg_buf_printf(o, "if (!(%s).is_err) {\n", e);
        gen_lower_flat(g, o, d->a, gen_strf(g, "(%s).val.ok", e), first + 1,
                       flat, n + 2);
        ind(o, n);
        wg_buf_puts(o, "}\n");
      }
      if (d->has_b) {
        ind(o, n);
        wg_buf_printf(o, "if ((%s).is_err) {\n", e);
        gen_lower_flat(g, o, d->b, gen_strf(g, "(%s).val.err", e), first + 1,
                       flat, n + 2);
        ind(o, n);
        wg_buf_puts(o, "}\n");
      }
      break;
    case WG_WIT_KIND_VARIANT:
      PUT(0, gen_strf(g, "(int32_t)(%s).tag", e));
      ind(o, n);
      wg_buf_printf(o, "switch ((%s).tag) {\n", e);
      for (size_t i = 0; i < d->cases.count; i++) {
        const WgWitCase *c = &d->cases.items[i];
        if (!c->has_type) continue;
        ind(o, n + 2);
        wg_buf_printf(o, "case %zu:\n", i);
        gen_lower_flat(g, o, c->type,
                       gen_strf(g, "(%s).val.%s", e, field(g, c->name)),
                       first + 1, flat, n + 4);
        ind(o, n + 4);
        wg_buf_puts(o, "break;\n");
      }
      ind(o, n + 2);
      wg_buf_puts(o, "default:\n");
      ind(o, n + 4);
      wg_buf_puts(o, "break;\n");
      ind(o, n);
      wg_buf_puts(o, "}\n");
      break;
    default:
      gen_fail(g, "internal: cannot lower kind %d", (int)d->kind);
  }
#undef PUT
}

void gen_lift_flat(Gen *g, WgBuf *o, WgWitType t, const char *dst,
                   uint32_t first, const WgCoreType *flat, int n) {
  t = gen_dealias(g, t);
  WgCoreType nat[MAX_FLAT];
  flatten(g, t, nat);
  const char *fv = g->fv;
  /* The k-th flat value of `t` at its natural core type. */
#define GET(k) \
  narrow(g, gen_strf(g, "%s%u", fv, first + (k)), flat[first + (k)], nat[k])
#define SET(fmt, ...)                                      \
  do {                                                     \
    ind(o, n);                                             \
    wg_buf_printf(o, "%s = " fmt ";\n", dst, __VA_ARGS__); \
  } while (0)
  const char *cname = gen_cname(g, t);
  if (!cname) return;
  if (!WG_WIT_TYPE_IS_ID(t)) {
    switch ((WgWitPrim)t) {
      case WG_WIT_BOOL:
        SET("(%s) != 0", GET(0));
        break;
      case WG_WIT_STRING:
        ind(o, n);
        wg_buf_printf(o, "%s.ptr = (uint8_t *)(uintptr_t)(%s);\n", dst, GET(0));
        ind(o, n);
        wg_buf_printf(o, "%s.len = (size_t)(uint32_t)(%s);\n", dst, GET(1));
        break;
      default:
        SET("(%s)(%s)", cname, GET(0));
        break;
    }
    return;
  }
  const WgWitTypeDef *d = gen_def(g, t);
  switch (d->kind) {
    case WG_WIT_KIND_RECORD: {
      uint32_t k = first;
      for (size_t i = 0; i < d->cases.count; i++) {
        const WgWitCase *c = &d->cases.items[i];
        gen_lift_flat(g, o, c->type,
                      gen_strf(g, "%s.%s", dst, field(g, c->name)), k, flat, n);
        k += flat_count(g, c->type);
      }
      break;
    }
    case WG_WIT_KIND_TUPLE: {
      uint32_t k = first;
      for (size_t i = 0; i < d->types.count; i++) {
        gen_lift_flat(g, o, d->types.items[i], gen_strf(g, "%s.f%zu", dst, i),
                      k, flat, n);
        k += flat_count(g, d->types.items[i]);
      }
      break;
    }
    case WG_WIT_KIND_FIXED_LIST: {
      uint32_t each = flat_count(g, d->a);
      for (uint32_t i = 0; i < d->size; i++)
        gen_lift_flat(g, o, d->a, gen_strf(g, "%s.items[%u]", dst, i),
                      first + i * each, flat, n);
      break;
    }
    case WG_WIT_KIND_FLAGS:
      if (d->cases.count <= 32) {
        if (d->cases.count < 32) {
          ind(o, n);
          wg_buf_printf(o, "if ((uint32_t)(%s) >> %zu) __builtin_trap();\n",
                        GET(0), d->cases.count);
        }
        SET("(%s)(uint32_t)(%s)", cname, GET(0));
      } else {
        for (uint32_t i = 0; i < (d->cases.count + 31) / 32; i++) {
          ind(o, n);
          wg_buf_printf(o, "%s.bits[%u] = (uint32_t)(%s);\n", dst, i, GET(i));
        }
      }
      break;
    case WG_WIT_KIND_ENUM:
      ind(o, n);
      wg_buf_printf(o, "if ((uint32_t)(%s) >= %zu) __builtin_trap();\n", GET(0),
                    d->cases.count);
      SET("(%s)(%s)", cname, GET(0));
      break;
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_MAP:
      ind(o, n);
      wg_buf_printf(o, "%s.ptr = (void *)(uintptr_t)(%s);\n", dst, GET(0));
      ind(o, n);
      wg_buf_printf(o, "%s.len = (size_t)(uint32_t)(%s);\n", dst, GET(1));
      break;
    case WG_WIT_KIND_RESOURCE:
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW:
      if (is_rep_borrow(g, d, t))
        SET("(%s)(uintptr_t)(%s)", cname, GET(0));
      else {
        ind(o, n);
        wg_buf_printf(o, "%s.handle = %s;\n", dst, GET(0));
      }
      break;
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_RESULT:
    case WG_WIT_KIND_VARIANT: {
      bool is_opt = d->kind == WG_WIT_KIND_OPTION;
      bool is_res = d->kind == WG_WIT_KIND_RESULT;
      size_t count = is_opt || is_res ? 2 : d->cases.count;
      ind(o, n);
      wg_buf_printf(o, "switch ((uint32_t)(%s)) {\n", GET(0));
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
        bool has = is_opt   ? i == 1
                   : is_res ? (i ? d->has_b : d->has_a)
                            : d->cases.items[i].has_type;
        WgWitType pt = is_opt   ? d->a
                       : is_res ? (i ? d->b : d->a)
                                : d->cases.items[i].type;
        const char *member =
            is_opt   ? "val"
            : is_res ? (i ? "val.err" : "val.ok")
                     : gen_strf(g, "val.%s", field(g, d->cases.items[i].name));
        if (has)
          gen_lift_flat(g, o, pt, gen_strf(g, "%s.%s", dst, member), first + 1,
                        flat, n + 4);
        ind(o, n + 4);
        wg_buf_puts(o, "break;\n");
      }
      ind(o, n + 2);
      wg_buf_puts(o, "default:\n");
      ind(o, n + 4);
      wg_buf_puts(o, "__builtin_trap();\n");
      ind(o, n);
      wg_buf_puts(o, "}\n");
      break;
    }
    default:
      gen_fail(g, "internal: cannot lift kind %d", (int)d->kind);
  }
#undef GET
#undef SET
}
