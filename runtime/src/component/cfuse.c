/* SPDX-License-Identifier: Apache-2.0 */
/* Fused calls: a function one component instance lowers (`canon lower`)
 * and another lifts (`canon lift`) called with the arguments and results
 * copied memory to memory between the two instances, without building
 * host values (WgCVal) in between: wasmtime's fused adapters, in an
 * interpreter. spec: CanonicalABI.md, a lowering of a lifted function is
 * lift_flat_values in the caller then lower_flat_values in the callee
 * (and back for the result); here each value is read from one side and
 * written to the other as it goes, with every check of both steps.
 *
 * A Fuse is compiled once per (lowering, lift) pair: at load time for the
 * instances a component nests (cplan.c), at pre-instantiation for
 * instances linked at run time (clinker.c, cgraph.c). It keeps the
 * caller's signature (whose layout both sides share: compiling fails when
 * they differ) and what can be copied as is. ccall.c runs the call;
 * this file copies values:
 *  - scalars normalised as lifting and lowering would (bool to 0/1, small
 *    integers wrapped and sign-extended, NaNs canonical, chars and flags
 *    checked or masked);
 *  - strings validated in the caller's encoding and transcoded into the
 *    callee's with the spec's realloc sequences (store_string_copy,
 *    store_string_to_utf8, store_utf8_to_utf16,
 *    store_string_to_latin1_or_utf16), reading the source directly;
 *  - lists bounds-checked, then allocated in the destination and copied
 *    element by element, or in one memcpy for plain integer data;
 *  - handles moved (own) or lent (borrow) between the two handle tables.
 * The source is checked at the moment it is read, as wasmtime's adapters
 * do; the spec lifts every argument before lowering the first. */
#include <string.h>

#include "cinternal.h"
#include "core/rt.h"
#include "utf8.h"

/* spec: MAX_STRING_BYTE_LENGTH, MAX_LIST_BYTE_LENGTH, UTF16_TAG */
#define MAX_BYTE_LENGTH ((1u << 28) - 1)
#define UTF16_TAG       0x80000000u

/* Section: compiling a pair */

/* True when `a` and `b` have the same Canonical ABI layout (in memory and
 * flattened): the lowering and the lift agree on every byte and slot. */
static bool same_layout(const CTy *a, const CTy *b, int depth) {
  if (a == b) return true;
  if (!a || !b || depth > 200) return false;
  if (a->kind != b->kind || a->size != b->size || a->align != b->align ||
      a->disc != b->disc || a->count != b->count || a->payload != b->payload ||
      a->flat_count != b->flat_count || a->is_fixed != b->is_fixed)
    return false;
  uint32_t n = a->flat_count < CTY_MAX_FLAT + 1 ? a->flat_count : CTY_MAX_FLAT;
  if (n && memcmp(a->flat, b->flat, n) != 0) return false;
  switch (a->kind) {
    case WG_CVAL_RECORD:
    case WG_CVAL_TUPLE:
      for (uint32_t i = 0; i < a->count; i++)
        if (a->offsets[i] != b->offsets[i] ||
            !same_layout(a->elems[i], b->elems[i], depth + 1))
          return false;
      return true;
    case WG_CVAL_VARIANT:
    case WG_CVAL_OPTION:
    case WG_CVAL_RESULT:
      for (uint32_t i = 0; i < a->count; i++)
        if (!same_layout(a->elems[i], b->elems[i], depth + 1)) return false;
      return true;
    case WG_CVAL_LIST:
      return same_layout(a->elems[0], b->elems[0], depth + 1);
    default:
      return true;
  }
}

/* A type whose flat slot passes unchanged: 32- and 64-bit integers. */
static bool flat_as_is(const CTy *t) {
  return t->kind == WG_CVAL_U32 || t->kind == WG_CVAL_S32 ||
         t->kind == WG_CVAL_U64 || t->kind == WG_CVAL_S64;
}

const Fuse *wg_fuse_compile(WgArena *arena, const CSig *caller,
                            const CSig *callee, uint32_t lift) {
  if (!caller || !callee || caller->param_count != callee->param_count ||
      !caller->result != !callee->result ||
      caller->params_indirect != callee->params_indirect ||
      caller->results_indirect != callee->results_indirect ||
      caller->flat_params != callee->flat_params)
    return NULL;
  for (uint32_t i = 0; i < caller->param_count; i++)
    if (!same_layout(caller->params[i], callee->params[i], 0)) return NULL;
  if (caller->result && !same_layout(caller->result, callee->result, 0))
    return NULL;
  Fuse *f = wg_arena_zalloc(arena, sizeof *f);
  if (!f) return NULL;
  f->sig = caller;
  f->lift = lift;
  f->params_as_is = !caller->params_indirect;
  for (uint32_t i = 0; i < caller->param_count && f->params_as_is; i++)
    f->params_as_is = flat_as_is(caller->params[i]);
  f->result_as_is =
      caller->result && !caller->results_indirect && flat_as_is(caller->result);
  return f;
}

/* Section: scalars */

/* A scalar's bits as the other side gets them; false (trap set on `src`)
 * for a char that is not a Unicode scalar value. */
static inline bool scalar(Cx *src, const CTy *t, uint64_t in, uint64_t *out) {
  switch (t->kind) {
    case WG_CVAL_BOOL:
      *out = (uint32_t)in != 0;
      return true;
    case WG_CVAL_U8:
      *out = (uint8_t)in;
      return true;
    case WG_CVAL_S8:
      *out = (uint32_t)(int32_t)(int8_t)in;
      return true;
    case WG_CVAL_U16:
      *out = (uint16_t)in;
      return true;
    case WG_CVAL_S16:
      *out = (uint32_t)(int32_t)(int16_t)in;
      return true;
    case WG_CVAL_U32:
    case WG_CVAL_S32:
      *out = (uint32_t)in;
      return true;
    case WG_CVAL_F32:
      *out = wg_canon_nan32((uint32_t)in);
      return true;
    case WG_CVAL_F64:
      *out = wg_canon_nan64(in);
      return true;
    case WG_CVAL_CHAR: {
      uint32_t c = (uint32_t)in;
      if (c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF))
        return wg_canon_trapf(src, "invalid `char` bit pattern %#x", c);
      *out = c;
      return true;
    }
    case WG_CVAL_FLAGS: {
      uint32_t bits = (uint32_t)in;
      if (t->count < 32) bits &= (1u << t->count) - 1;
      *out = bits;
      return true;
    }
    default: /* 64-bit integers */
      *out = in;
      return true;
  }
}

static inline bool is_scalar(uint8_t kind) {
  return kind <= WG_CVAL_CHAR || kind == WG_CVAL_FLAGS;
}

/* Section: memory */

/* realloc in the destination; both views refreshed (its code may grow
 * memory). */
static bool dst_realloc(Cx *src, Cx *dst, uint32_t old, uint32_t old_size,
                        uint32_t align, uint32_t size, uint32_t *out,
                        bool is_string) {
  bool ok =
      wg_canon_reallocate(dst, old, old_size, align, size, out, is_string);
  wg_canon_refresh(src);
  return ok;
}

/* Section: strings */

/* A string of the source: where, its encoding (0 utf8, 1 utf16, 3
 * latin1) and its code units. */
typedef struct SrcStr {
  uint32_t ptr, units;
  uint64_t bytes;
  int enc;
} SrcStr;

static bool utf16_bad(Cx *cx, uint32_t u, uint32_t i) {
  return wg_canon_trapf(cx,
                        "invalid utf-16: unpaired surrogate %#x at code "
                        "unit %u",
                        u, i);
}

/* spec: load_string_from_range's checks, without copying. */
static bool src_string(Cx *src, uint32_t ptr, uint32_t tagged, SrcStr *s) {
  if (!wg_canon_need_memory(src)) return false;
  uint32_t align = 1;
  s->ptr = ptr;
  s->units = tagged;
  s->enc = src->encoding;
  if (s->enc == 1) {
    align = 2;
    s->bytes = 2ull * tagged;
  } else if (s->enc == 2) {
    align = 2;
    if (tagged & UTF16_TAG) {
      s->units = tagged ^ UTF16_TAG;
      s->bytes = 2ull * s->units;
      s->enc = 1;
    } else {
      s->bytes = tagged;
      s->enc = 3;
    }
  } else {
    s->bytes = tagged;
  }
  if (s->bytes > MAX_BYTE_LENGTH)
    return wg_canon_trapf(src, "string too long (%llu bytes, the limit is %u)",
                          (unsigned long long)s->bytes, MAX_BYTE_LENGTH);
  if (ptr % align)
    return wg_canon_trapf(src,
                          "unaligned pointer: string at %#x must be "
                          "%u-aligned",
                          ptr, align);
  if (!wg_canon_in_bounds(src, ptr, s->bytes))
    return wg_canon_trapf(src,
                          "string content out-of-bounds (%#x + %llu bytes, "
                          "memory has %llu)",
                          ptr, (unsigned long long)s->bytes,
                          (unsigned long long)src->size);
  if (!wg_canon_charge(src, 1 + s->bytes / 8)) return false;
  const uint8_t *p = src->base + ptr;
  if (s->enc == 0) {
    size_t bad;
    if (!wg_utf8_valid(p, (size_t)s->bytes, &bad))
      return wg_canon_bad_utf8(src, p, (size_t)s->bytes, bad);
  } else if (s->enc == 1) {
    for (uint32_t i = 0; i < s->units; i++) {
      uint32_t u = (uint32_t)p[2 * i] | (uint32_t)p[2 * i + 1] << 8;
      if (u >= 0xD800 && u <= 0xDBFF) {
        uint32_t lo = 0;
        if (i + 1 < s->units)
          lo = (uint32_t)p[2 * i + 2] | (uint32_t)p[2 * i + 3] << 8;
        if (lo < 0xDC00 || lo > 0xDFFF) return utf16_bad(src, u, i);
        i++;
      } else if (u >= 0xDC00 && u <= 0xDFFF) {
        return utf16_bad(src, u, i);
      }
    }
  }
  return true;
}

/* The code point at unit `*i` of a valid source string (advancing). */
static inline uint32_t next_cp(const uint8_t *p, const SrcStr *s, uint32_t *i) {
  if (s->enc == 3) return p[(*i)++];
  if (s->enc == 1) {
    uint32_t u = (uint32_t)p[2 * *i] | (uint32_t)p[2 * *i + 1] << 8;
    (*i)++;
    if (u >= 0xD800 && u <= 0xDBFF) {
      uint32_t lo = (uint32_t)p[2 * *i] | (uint32_t)p[2 * *i + 1] << 8;
      (*i)++;
      return 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
    }
    return u;
  }
  uint32_t cp = 0;
  size_t k = wg_utf8_decode(p + *i, s->units - *i, &cp);
  *i += k ? (uint32_t)k : 1;
  return k ? cp : 0xFFFD;
}

static inline uint32_t put_utf16(uint8_t *d, uint32_t cp) {
  if (cp >= 0x10000) {
    cp -= 0x10000;
    uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
    d[0] = (uint8_t)hi;
    d[1] = (uint8_t)(hi >> 8);
    d[2] = (uint8_t)lo;
    d[3] = (uint8_t)(lo >> 8);
    return 4;
  }
  d[0] = (uint8_t)cp;
  d[1] = (uint8_t)(cp >> 8);
  return 2;
}

static bool too_long(Cx *dst, uint64_t bytes) {
  return wg_canon_trapf(dst, "string too long (%llu bytes, the limit is %u)",
                        (unsigned long long)bytes, MAX_BYTE_LENGTH);
}

/* spec: store_string_copy */
static bool copy_string(Cx *src, Cx *dst, const SrcStr *s, uint32_t unit,
                        uint32_t align, uint32_t *optr, uint32_t *olen) {
  uint64_t bytes = (uint64_t)unit * s->units;
  if (bytes > MAX_BYTE_LENGTH) return too_long(dst, bytes);
  uint32_t p;
  if (!dst_realloc(src, dst, 0, 0, align, (uint32_t)bytes, &p, true))
    return false;
  const uint8_t *from = src->base + s->ptr;
  uint8_t *to = dst->base + p;
  if (unit == 2 && s->enc == 3) { /* latin1 -> utf16 */
    for (uint32_t i = 0; i < s->units; i++) {
      to[2 * i] = from[i];
      to[2 * i + 1] = 0;
    }
  } else if (bytes) {
    memcpy(to, from, (size_t)bytes);
  }
  *optr = p;
  *olen = s->units;
  return true;
}

/* spec: store_string_to_utf8 (from utf16 or latin1) */
static bool to_utf8(Cx *src, Cx *dst, const SrcStr *s, uint32_t *optr,
                    uint32_t *olen) {
  uint64_t worst = (uint64_t)s->units * (s->enc == 1 ? 3 : 2);
  uint32_t p, n = s->units;
  if (!dst_realloc(src, dst, 0, 0, 1, n, &p, true)) return false;
  for (uint32_t i = 0, k = 0; i < s->units; k++) {
    uint32_t at = i;
    uint32_t cp = next_cp(src->base + s->ptr, s, &i);
    if (cp < 0x80) {
      dst->base[p + k] = (uint8_t)cp;
      continue;
    }
    if (worst > MAX_BYTE_LENGTH) return too_long(dst, worst);
    if (!dst_realloc(src, dst, p, n, 1, (uint32_t)worst, &p, true))
      return false;
    uint32_t m = k;
    for (i = at; i < s->units;)
      m += (uint32_t)wg_utf8_encode(next_cp(src->base + s->ptr, s, &i),
                                    dst->base + p + m);
    if (worst > m && !dst_realloc(src, dst, p, (uint32_t)worst, 1, m, &p, true))
      return false;
    *optr = p;
    *olen = m;
    return true;
  }
  *optr = p;
  *olen = n;
  return true;
}

/* spec: store_utf8_to_utf16 */
static bool utf8_to_utf16(Cx *src, Cx *dst, const SrcStr *s, uint32_t *optr,
                          uint32_t *olen) {
  uint64_t worst = 2ull * s->units;
  if (worst > MAX_BYTE_LENGTH) return too_long(dst, worst);
  uint32_t p;
  if (!dst_realloc(src, dst, 0, 0, 2, (uint32_t)worst, &p, true)) return false;
  uint32_t n = 0;
  for (uint32_t i = 0; i < s->units;)
    n += put_utf16(dst->base + p + n, next_cp(src->base + s->ptr, s, &i));
  if (n < worst && !dst_realloc(src, dst, p, (uint32_t)worst, 2, n, &p, true))
    return false;
  *optr = p;
  *olen = n / 2;
  return true;
}

/* spec: store_string_to_latin1_or_utf16 (from utf8 or utf16) */
static bool to_latin1_or_utf16(Cx *src, Cx *dst, const SrcStr *s,
                               uint32_t *optr, uint32_t *olen) {
  uint32_t units = s->units, p, n = 0;
  if (!dst_realloc(src, dst, 0, 0, 2, units, &p, true)) return false;
  for (uint32_t i = 0; i < units;) {
    uint32_t at = i;
    uint32_t cp = next_cp(src->base + s->ptr, s, &i);
    if (cp < 0x100) {
      dst->base[p + n++] = (uint8_t)cp;
      continue;
    }
    uint64_t worst = 2ull * units;
    if (worst > MAX_BYTE_LENGTH) return too_long(dst, worst);
    if (!dst_realloc(src, dst, p, units, 2, (uint32_t)worst, &p, true))
      return false;
    for (uint32_t j = n; j-- > 0;) {
      dst->base[p + 2 * j] = dst->base[p + j];
      dst->base[p + 2 * j + 1] = 0;
    }
    uint32_t m = 2 * n;
    for (i = at; i < units;)
      m += put_utf16(dst->base + p + m, next_cp(src->base + s->ptr, s, &i));
    if (worst > m && !dst_realloc(src, dst, p, (uint32_t)worst, 2, m, &p, true))
      return false;
    *optr = p;
    *olen = (m / 2) | UTF16_TAG;
    return true;
  }
  if (n < units && !dst_realloc(src, dst, p, units, 2, n, &p, true))
    return false;
  *optr = p;
  *olen = n;
  return true;
}

/* spec: load_string_from_range in the source, then
 * store_string_into_range in the destination. */
static bool xf_string(Cx *src, Cx *dst, uint32_t ptr, uint32_t tagged,
                      uint32_t *optr, uint32_t *olen) {
  SrcStr s;
  if (!src_string(src, ptr, tagged, &s) || !wg_canon_need_memory(dst))
    return false;
  switch (dst->encoding) {
    case 0: /* utf8 */
      return s.enc == 0 ? copy_string(src, dst, &s, 1, 1, optr, olen)
                        : to_utf8(src, dst, &s, optr, olen);
    case 1: /* utf16 */
      return s.enc == 0 ? utf8_to_utf16(src, dst, &s, optr, olen)
                        : copy_string(src, dst, &s, 2, 2, optr, olen);
    default: /* latin1+utf16 */
      return s.enc == 3 ? copy_string(src, dst, &s, 1, 2, optr, olen)
                        : to_latin1_or_utf16(src, dst, &s, optr, olen);
  }
}

/* Section: values in memory */

static bool xf_mem(Cx *src, Cx *dst, uint32_t sp, const CTy *t, uint32_t dp,
                   int depth);

/* spec: load_list_from_range in the source, store_list_into_range in the
 * destination. */
static bool xf_list(Cx *src, Cx *dst, uint32_t ptr, uint32_t count,
                    const CTy *t, uint32_t *out, int depth) {
  const CTy *e = t->elems[0];
  uint64_t bytes = (uint64_t)count * e->size;
  if (bytes > MAX_BYTE_LENGTH)
    return wg_canon_trapf(src,
                          "list too long (%u elements of %u bytes, the limit "
                          "is %u bytes)",
                          count, e->size, MAX_BYTE_LENGTH);
  if (ptr % e->align)
    return wg_canon_trapf(src,
                          "unaligned pointer: list at %#x must be %u-aligned",
                          ptr, e->align);
  if (!wg_canon_need_memory(src)) return false;
  if (!wg_canon_in_bounds(src, ptr, bytes))
    return wg_canon_trapf(src,
                          "list content out-of-bounds (%#x + %llu bytes, "
                          "memory has %llu)",
                          ptr, (unsigned long long)bytes,
                          (unsigned long long)src->size);
  if (!wg_canon_charge(src, 1 + (e->pod ? 0 : count) + bytes / 8) ||
      !wg_canon_need_memory(dst) ||
      !dst_realloc(src, dst, 0, 0, e->align, (uint32_t)bytes, out, false))
    return false;
  if (e->pod) {
    if (bytes) memcpy(dst->base + *out, src->base + ptr, (size_t)bytes);
    return true;
  }
  for (uint32_t i = 0; i < count; i++)
    if (!xf_mem(src, dst, ptr + i * e->size, e, *out + i * e->size, depth + 1))
      return false;
  return true;
}

/* A handle moved (own) or lent (borrow) from the source's table to the
 * destination's. */
static bool xf_handle(Cx *src, Cx *dst, uint32_t i, const CTy *t,
                      uint32_t *out) {
  WgCVal v;
  return wg_canon_lift_handle(src, i, t, &v) &&
         wg_canon_lower_handle(dst, &v, t, out);
}

/* `sp` and `dp` are aligned and [sp, sp + t->size) and [dp, dp + t->size)
 * inside the two memories. */
static bool xf_mem(Cx *src, Cx *dst, uint32_t sp, const CTy *t, uint32_t dp,
                   int depth) {
  if (t->pod) {
    memcpy(dst->base + dp, src->base + sp, t->size);
    return true;
  }
  if (depth > 200) return wg_canon_trapf(src, "value nested too deeply");
  if (is_scalar(t->kind)) {
    uint64_t v;
    if (!scalar(src, t, wg_canon_rd(src, sp, t->size), &v)) return false;
    wg_canon_wr(dst, dp, v, t->size);
    return true;
  }
  switch (t->kind) {
    case WG_CVAL_STRING: {
      uint32_t p, n;
      if (!xf_string(src, dst, (uint32_t)wg_canon_rd(src, sp, 4),
                     (uint32_t)wg_canon_rd(src, sp + 4, 4), &p, &n))
        return false;
      wg_canon_wr(dst, dp, p, 4);
      wg_canon_wr(dst, dp + 4, n, 4);
      return true;
    }
    case WG_CVAL_LIST: {
      const CTy *e = t->elems[0];
      if (t->is_fixed) {
        if (!wg_canon_charge(src, t->count)) return false;
        for (uint32_t i = 0; i < t->count; i++)
          if (!xf_mem(src, dst, sp + i * e->size, e, dp + i * e->size,
                      depth + 1))
            return false;
        return true;
      }
      uint32_t p;
      uint32_t n = (uint32_t)wg_canon_rd(src, sp + 4, 4);
      if (!xf_list(src, dst, (uint32_t)wg_canon_rd(src, sp, 4), n, t, &p,
                   depth))
        return false;
      wg_canon_wr(dst, dp, p, 4);
      wg_canon_wr(dst, dp + 4, n, 4);
      return true;
    }
    case WG_CVAL_RECORD:
    case WG_CVAL_TUPLE:
      for (uint32_t i = 0; i < t->count; i++)
        if (!xf_mem(src, dst, sp + t->offsets[i], t->elems[i],
                    dp + t->offsets[i], depth + 1))
          return false;
      return true;
    case WG_CVAL_VARIANT:
    case WG_CVAL_ENUM:
    case WG_CVAL_OPTION:
    case WG_CVAL_RESULT: {
      uint32_t c = (uint32_t)wg_canon_rd(src, sp, t->disc);
      if (c >= t->count)
        return wg_canon_trapf(src, "invalid variant discriminant %u (%u cases)",
                              c, t->count);
      wg_canon_wr(dst, dp, c, t->disc);
      const CTy *p = t->elems[c];
      return !p ||
             xf_mem(src, dst, sp + t->payload, p, dp + t->payload, depth + 1);
    }
    case WG_CVAL_OWN:
    case WG_CVAL_BORROW: {
      uint32_t h;
      if (!xf_handle(src, dst, (uint32_t)wg_canon_rd(src, sp, 4), t, &h))
        return false;
      wg_canon_wr(dst, dp, h, 4);
      return true;
    }
    default:
      return wg_canon_trapf(src, "internal: unknown type");
  }
}

/* Section: flat values */

static bool xf_flat(Cx *src, Cx *dst, FlatIn *in, const CTy *t, WgVal *out,
                    uint32_t *pos, int depth);

/* A variant's payload arrives in the joined flat types of all cases: read
 * it in the case's own types, copy it, widen it back (spec:
 * lift_flat_variant's CoerceValueIter and lower_flat_variant). */
static bool xf_flat_cases(Cx *src, Cx *dst, FlatIn *in, const CTy *t,
                          WgVal *out, uint32_t *pos, int depth) {
  uint32_t c = (uint32_t)wg_flat_next(in);
  if (c >= t->count)
    return wg_canon_trapf(src, "invalid variant discriminant %u (%u cases)", c,
                          t->count);
  wg_flat_put(out, pos, WG_CORE_I32, c);
  uint32_t start_in = in->pos, start = *pos;
  const CTy *p = t->elems[c];
  if (p) {
    WgVal tmp[CTY_MAX_FLAT];
    uint32_t k = 0;
    for (; k < p->flat_count; k++) {
      uint64_t bits = wg_flat_next(in);
      uint32_t at = k;
      wg_flat_put(tmp, &at, p->flat[k],
                  p->flat[k] == WG_CORE_I64 || p->flat[k] == WG_CORE_F64
                      ? bits
                      : (uint32_t)bits);
    }
    FlatIn sub = { tmp, 0 };
    if (!xf_flat(src, dst, &sub, p, out, pos, depth + 1)) return false;
    for (k = 0; k < p->flat_count; k++) {
      WgVal *v = &out[start + k];
      uint64_t bits = v->kind == WG_VAL_I64 || v->kind == WG_VAL_F64
                          ? (uint64_t)v->of.i64
                          : (uint32_t)v->of.i32;
      uint32_t at = start + k;
      wg_flat_put(out, &at, t->flat[1 + k], bits);
    }
  }
  while (*pos < start + t->flat_count - 1)
    wg_flat_put(out, pos, t->flat[1 + (*pos - start)], 0);
  in->pos = start_in + (t->flat_count - 1);
  return true;
}

static bool xf_flat(Cx *src, Cx *dst, FlatIn *in, const CTy *t, WgVal *out,
                    uint32_t *pos, int depth) {
  if (depth > 200) return wg_canon_trapf(src, "value nested too deeply");
  if (is_scalar(t->kind)) {
    uint64_t v;
    if (!scalar(src, t, wg_flat_next(in), &v)) return false;
    wg_flat_put(out, pos, t->flat[0], v);
    return true;
  }
  switch (t->kind) {
    case WG_CVAL_STRING: {
      uint32_t p = (uint32_t)wg_flat_next(in), n = (uint32_t)wg_flat_next(in);
      uint32_t dp, dn;
      if (!xf_string(src, dst, p, n, &dp, &dn)) return false;
      wg_flat_put(out, pos, WG_CORE_I32, dp);
      wg_flat_put(out, pos, WG_CORE_I32, dn);
      return true;
    }
    case WG_CVAL_LIST: {
      if (t->is_fixed) {
        for (uint32_t i = 0; i < t->count; i++)
          if (!xf_flat(src, dst, in, t->elems[0], out, pos, depth + 1))
            return false;
        return true;
      }
      uint32_t p = (uint32_t)wg_flat_next(in), n = (uint32_t)wg_flat_next(in);
      uint32_t dp;
      if (!xf_list(src, dst, p, n, t, &dp, depth)) return false;
      wg_flat_put(out, pos, WG_CORE_I32, dp);
      wg_flat_put(out, pos, WG_CORE_I32, n);
      return true;
    }
    case WG_CVAL_RECORD:
    case WG_CVAL_TUPLE:
      for (uint32_t i = 0; i < t->count; i++)
        if (!xf_flat(src, dst, in, t->elems[i], out, pos, depth + 1))
          return false;
      return true;
    case WG_CVAL_VARIANT:
    case WG_CVAL_ENUM:
    case WG_CVAL_OPTION:
    case WG_CVAL_RESULT:
      return xf_flat_cases(src, dst, in, t, out, pos, depth);
    case WG_CVAL_OWN:
    case WG_CVAL_BORROW: {
      uint32_t h;
      if (!xf_handle(src, dst, (uint32_t)wg_flat_next(in), t, &h)) return false;
      wg_flat_put(out, pos, WG_CORE_I32, h);
      return true;
    }
    default:
      return wg_canon_trapf(src, "internal: unknown type");
  }
}

/* Section: the two directions */

bool wg_fuse_params(Cx *src, Cx *dst, const Fuse *f, const WgVal *args,
                    WgVal *flat, uint32_t *count) {
  const CSig *sig = f->sig;
  if (f->params_as_is) {
    memcpy(flat, args, sig->flat_params * sizeof *flat);
    *count = sig->flat_params;
    return true;
  }
  wg_canon_refresh(src);
  wg_canon_refresh(dst);
  uint32_t pos = 0;
  if (!sig->params_indirect) {
    FlatIn in = { args, 0 };
    for (uint32_t i = 0; i < sig->param_count; i++)
      if (!xf_flat(src, dst, &in, sig->params[i], flat, &pos, 0)) return false;
    *count = pos;
    return true;
  }
  /* spilled: a tuple in the caller's memory, one realloc'd in the
   * callee's */
  const CTy *tup = sig->params_tuple;
  uint32_t sp = (uint32_t)args[0].of.i32, dp;
  if (!wg_canon_check_area(src, sp, tup, "parameter area") ||
      !wg_canon_need_memory(dst) ||
      !dst_realloc(src, dst, 0, 0, tup->align, tup->size, &dp, false) ||
      !xf_mem(src, dst, sp, tup, dp, 0))
    return false;
  wg_flat_put(flat, &pos, WG_CORE_I32, dp);
  *count = pos;
  return true;
}

bool wg_fuse_result(Cx *src, Cx *dst, const Fuse *f, const WgVal *res,
                    WgVal *results, uint32_t retptr) {
  const CSig *sig = f->sig;
  if (!sig->result) return true;
  if (f->result_as_is) {
    results[0] = res[0];
    return true;
  }
  wg_canon_refresh(src);
  wg_canon_refresh(dst);
  if (!sig->results_indirect) {
    FlatIn in = { res, 0 };
    uint32_t pos = 0;
    return xf_flat(src, dst, &in, sig->result, results, &pos, 0);
  }
  uint32_t sp = (uint32_t)res[0].of.i32;
  return wg_canon_check_area(src, sp, sig->result, "return area") &&
         wg_canon_check_area(dst, retptr, sig->result, "return area") &&
         xf_mem(src, dst, sp, sig->result, retptr, 0);
}
