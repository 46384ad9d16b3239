/* SPDX-License-Identifier: Apache-2.0 */
/* Canonical ABI layout and flattening.
 * spec: CanonicalABI.md, sections Despecialization, Alignment, Element Size,
 * Flattening (canonical-abi/definitions.py: alignment, elem_size,
 * discriminant_type, flatten_type, join, flatten_functype). */
#include "witgen/canon_abi.h"

#include <stddef.h>

/* Variant-like types seen uniformly: the case payloads (NULL = none). */
typedef struct Cases {
  uint32_t count;
  const WgAbiType *payload[2]; /* option/result only */
  const WgAbiType *const *list;
} Cases;

static const WgAbiType *case_at(const Cases *c, uint32_t i) {
  if (c->list) return c->list[i];
  return i < 2 ? c->payload[i] : NULL;
}

/* despecialize(): enum, option and result are variants. */
static bool as_variant(const WgAbiType *t, Cases *out) {
  *out = (Cases){ 0 };
  switch (t->kind) {
    case WG_ABI_VARIANT:
      out->count = t->count;
      out->list = t->children;
      return true;
    case WG_ABI_ENUM:
      out->count = t->count;
      return true;
    case WG_ABI_OPTION:
      out->count = 2;
      out->payload[1] = t->children[0];
      return true;
    case WG_ABI_RESULT:
      out->count = 2;
      out->payload[0] = t->children[0];
      out->payload[1] = t->children[1];
      return true;
    default:
      return false;
  }
}

static uint32_t align_to(uint32_t n, uint32_t align) {
  return (n + align - 1) / align * align;
}

uint32_t wg_abi_discriminant_size(uint32_t case_count) {
  if (case_count <= 256) return 1;
  if (case_count <= 65536) return 2;
  return 4;
}

uint32_t wg_abi_flags_words(uint32_t label_count) {
  return (label_count + 31) / 32;
}

static uint32_t flags_size(uint32_t n) {
  if (n <= 8) return 1;
  if (n <= 16) return 2;
  return 4 * wg_abi_flags_words(n);
}

static uint32_t max_case_alignment(const Cases *c, uint32_t ptr_size) {
  uint32_t a = 1;
  for (uint32_t i = 0; i < c->count; i++) {
    const WgAbiType *p = case_at(c, i);
    if (p) {
      uint32_t pa = wg_abi_alignment(p, ptr_size);
      if (pa > a) a = pa;
    }
  }
  return a;
}

/* map<K, V> is list<tuple<K, V>>: a (ptr, len) pair. */
uint32_t wg_abi_alignment(const WgAbiType *t, uint32_t ptr_size) {
  Cases cases;
  switch (t->kind) {
    case WG_ABI_BOOL:
    case WG_ABI_S8:
    case WG_ABI_U8:
      return 1;
    case WG_ABI_S16:
    case WG_ABI_U16:
      return 2;
    case WG_ABI_S32:
    case WG_ABI_U32:
    case WG_ABI_F32:
    case WG_ABI_CHAR:
    case WG_ABI_ERROR_CONTEXT:
    case WG_ABI_OWN:
    case WG_ABI_BORROW:
    case WG_ABI_STREAM:
    case WG_ABI_FUTURE:
      return 4;
    case WG_ABI_S64:
    case WG_ABI_U64:
    case WG_ABI_F64:
      return 8;
    case WG_ABI_STRING:
    case WG_ABI_LIST:
    case WG_ABI_MAP:
      return ptr_size;
    case WG_ABI_FIXED_LIST:
      return wg_abi_alignment(t->children[0], ptr_size);
    case WG_ABI_RECORD:
    case WG_ABI_TUPLE: {
      uint32_t a = 1;
      for (uint32_t i = 0; i < t->count; i++) {
        uint32_t fa = wg_abi_alignment(t->children[i], ptr_size);
        if (fa > a) a = fa;
      }
      return a;
    }
    case WG_ABI_FLAGS:
      return t->count <= 8 ? 1 : t->count <= 16 ? 2 : 4;
    case WG_ABI_VARIANT:
    case WG_ABI_ENUM:
    case WG_ABI_OPTION:
    case WG_ABI_RESULT: {
      as_variant(t, &cases);
      uint32_t d = wg_abi_discriminant_size(cases.count);
      uint32_t c = max_case_alignment(&cases, ptr_size);
      return d > c ? d : c;
    }
  }
  return 1;
}

uint32_t wg_abi_size(const WgAbiType *t, uint32_t ptr_size) {
  Cases cases;
  switch (t->kind) {
    case WG_ABI_STRING:
    case WG_ABI_LIST:
    case WG_ABI_MAP:
      return 2 * ptr_size;
    case WG_ABI_FIXED_LIST:
      return t->count * wg_abi_size(t->children[0], ptr_size);
    case WG_ABI_RECORD:
    case WG_ABI_TUPLE: {
      uint32_t s = 0;
      for (uint32_t i = 0; i < t->count; i++) {
        const WgAbiType *f = t->children[i];
        s = align_to(s, wg_abi_alignment(f, ptr_size)) +
            wg_abi_size(f, ptr_size);
      }
      return align_to(s, wg_abi_alignment(t, ptr_size));
    }
    case WG_ABI_FLAGS:
      return flags_size(t->count);
    case WG_ABI_VARIANT:
    case WG_ABI_ENUM:
    case WG_ABI_OPTION:
    case WG_ABI_RESULT: {
      as_variant(t, &cases);
      uint32_t s = wg_abi_discriminant_size(cases.count);
      s = align_to(s, max_case_alignment(&cases, ptr_size));
      uint32_t cs = 0;
      for (uint32_t i = 0; i < cases.count; i++) {
        const WgAbiType *p = case_at(&cases, i);
        if (p) {
          uint32_t ps = wg_abi_size(p, ptr_size);
          if (ps > cs) cs = ps;
        }
      }
      return align_to(s + cs, wg_abi_alignment(t, ptr_size));
    }
    default:
      return wg_abi_alignment(t, ptr_size); /* scalars: size == align */
  }
}

uint32_t wg_abi_field_offset(const WgAbiType *t, uint32_t index,
                             uint32_t ptr_size) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < t->count; i++) {
    const WgAbiType *f = t->children[i];
    s = align_to(s, wg_abi_alignment(f, ptr_size));
    if (i == index) break;
    s += wg_abi_size(f, ptr_size);
  }
  return s;
}

uint32_t wg_abi_payload_offset(const WgAbiType *t, uint32_t ptr_size) {
  Cases cases;
  if (!as_variant(t, &cases)) return 0;
  return align_to(wg_abi_discriminant_size(cases.count),
                  max_case_alignment(&cases, ptr_size));
}

/* spec: join */
static WgCoreType join(WgCoreType a, WgCoreType b) {
  if (a == b) return a;
  if ((a == WG_CORE_I32 && b == WG_CORE_F32) ||
      (a == WG_CORE_F32 && b == WG_CORE_I32))
    return WG_CORE_I32;
  return WG_CORE_I64;
}

/* Flat values are written at increasing positions. A position below the
 * high-water mark `*hw` already holds a value from an earlier variant case,
 * so the new type is joined into it (join is a semilattice, so order does
 * not matter). Positions at or past `cap` are counted but not stored. */
typedef struct FlatOut {
  WgCoreType *out;
  uint32_t cap;
  uint32_t hw;
} FlatOut;

static void put(FlatOut *f, uint32_t pos, WgCoreType t) {
  if (pos < f->cap) f->out[pos] = pos < f->hw ? join(f->out[pos], t) : t;
  if (pos >= f->hw) f->hw = pos + 1;
}

/* Writes flatten_type(t) from `pos`; returns its flat length. */
static uint32_t flatten_at(const WgAbiType *t, uint32_t ptr_size, FlatOut *f,
                           uint32_t pos) {
  WgCoreType ptr = ptr_size == 8 ? WG_CORE_I64 : WG_CORE_I32;
  uint32_t n = 0;
  Cases cases;
  switch (t->kind) {
    case WG_ABI_S64:
    case WG_ABI_U64:
      put(f, pos, WG_CORE_I64);
      return 1;
    case WG_ABI_F32:
      put(f, pos, WG_CORE_F32);
      return 1;
    case WG_ABI_F64:
      put(f, pos, WG_CORE_F64);
      return 1;
    case WG_ABI_STRING:
    case WG_ABI_LIST:
    case WG_ABI_MAP:
      put(f, pos, ptr);
      put(f, pos + 1, ptr);
      return 2;
    case WG_ABI_FIXED_LIST:
      for (uint32_t i = 0; i < t->count; i++)
        n += flatten_at(t->children[0], ptr_size, f, pos + n);
      return n;
    case WG_ABI_RECORD:
    case WG_ABI_TUPLE:
      for (uint32_t i = 0; i < t->count; i++)
        n += flatten_at(t->children[i], ptr_size, f, pos + n);
      return n;
    case WG_ABI_FLAGS:
      for (uint32_t i = 0; i < wg_abi_flags_words(t->count); i++)
        put(f, pos + n++, WG_CORE_I32);
      return n;
    case WG_ABI_VARIANT:
    case WG_ABI_ENUM:
    case WG_ABI_OPTION:
    case WG_ABI_RESULT: {
      as_variant(t, &cases);
      put(f, pos, WG_CORE_I32); /* the discriminant */
      uint32_t widest = 0;
      for (uint32_t i = 0; i < cases.count; i++) {
        const WgAbiType *p = case_at(&cases, i);
        if (!p) continue;
        uint32_t m = flatten_at(p, ptr_size, f, pos + 1);
        if (m > widest) widest = m;
      }
      return 1 + widest;
    }
    default:
      put(f, pos, WG_CORE_I32);
      return 1;
  }
}

uint32_t wg_abi_flatten(const WgAbiType *t, uint32_t ptr_size, WgCoreType *out,
                        uint32_t cap) {
  FlatOut f = { out, cap, 0 };
  return flatten_at(t, ptr_size, &f, 0);
}

void wg_abi_flatten_func(const WgAbiType *const *params, uint32_t param_count,
                         const WgAbiType *result, uint32_t ptr_size,
                         WgAbiContext context, WgAbiFuncSig *out) {
  WgCoreType ptr = ptr_size == 8 ? WG_CORE_I64 : WG_CORE_I32;
  *out = (WgAbiFuncSig){ 0 };
  FlatOut fp = { out->params, WG_ABI_MAX_FLAT_PARAMS, 0 };
  uint32_t n = 0;
  for (uint32_t i = 0; i < param_count; i++)
    n += flatten_at(params[i], ptr_size, &fp, n);
  if (n > WG_ABI_MAX_FLAT_PARAMS) {
    out->params_indirect = true;
    out->params[0] = ptr;
    n = 1;
  }
  out->param_count = n;

  WgCoreType flat_results[WG_ABI_MAX_FLAT_RESULTS];
  FlatOut fr = { flat_results, WG_ABI_MAX_FLAT_RESULTS, 0 };
  uint32_t r = result ? flatten_at(result, ptr_size, &fr, 0) : 0;
  if (r > WG_ABI_MAX_FLAT_RESULTS) {
    out->results_indirect = true;
    if (context == WG_ABI_LIFT) {
      out->results[0] = ptr;
      out->result_count = 1;
    } else {
      out->params[out->param_count++] = ptr;
      out->result_count = 0;
    }
  } else {
    for (uint32_t i = 0; i < r; i++)
      out->results[i] = flat_results[i];
    out->result_count = r;
  }
}
