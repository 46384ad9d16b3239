/* SPDX-License-Identifier: Apache-2.0 */
/* ABI type descriptors: each value type of a lift or lowering with its
 * Canonical ABI layout computed once, bottom-up from its children.
 * spec: CanonicalABI.md, Despecialization, Alignment, Element Size and
 * Flattening (definitions.py: alignment, elem_size, discriminant_type,
 * flatten_type, join, flatten_functype). */
#include <stdio.h>
#include <string.h>

#include "cinternal.h"

/* Types whose memory size would pass this are refused at load. */
#define CTY_MAX_SIZE (1u << 30)
/* Flat counts saturate here (anything above 16 is spilled anyway). */
#define CTY_FLAT_SAT (1u << 20)

/* The children of a node under construction. */
#define ELEMS(t) ((const CTy **)(t)->elems)

static uint32_t align_up(uint32_t n, uint32_t a) {
  return (n + a - 1) / a * a;
}

static uint8_t join(uint8_t a, uint8_t b) {
  if (a == b) return a;
  if ((a == WG_CORE_I32 && b == WG_CORE_F32) ||
      (a == WG_CORE_F32 && b == WG_CORE_I32))
    return WG_CORE_I32;
  return WG_CORE_I64;
}

static bool fail(CTyBuilder *b, const char *why) {
  if (!b->failed) b->why = why;
  b->failed = true;
  return false;
}

static void *zalloc(CTyBuilder *b, size_t n) {
  void *p = wg_arena_zalloc(b->arena, n ? n : 1);
  if (!p) {
    b->nomem = true;
    fail(b, "out of memory");
  }
  return p;
}

static CTy *node(CTyBuilder *b, const WgCValTy *src, uint8_t kind,
                 uint32_t elems) {
  CTy *t = zalloc(b, sizeof *t);
  if (!t) return NULL;
  t->src = src;
  t->kind = kind;
  if (elems) {
    t->elems = zalloc(b, elems * sizeof(CTy *));
    if (!t->elems) return NULL;
  }
  return t;
}

/* Sets the flat types: `n` slots of `types` (only the first
 * CTY_MAX_FLAT + 1 are kept). */
static bool set_flat(CTyBuilder *b, CTy *t, const uint8_t *types, uint32_t n) {
  t->flat_count = n > CTY_FLAT_SAT ? CTY_FLAT_SAT : n;
  uint32_t keep = n < CTY_MAX_FLAT + 1 ? n : CTY_MAX_FLAT + 1;
  uint8_t *f = zalloc(b, keep);
  if (!f) return false;
  memcpy(f, types, keep);
  t->flat = f;
  return true;
}

static const CTy *scalar(CTyBuilder *b, const WgCValTy *src, uint8_t kind,
                         uint32_t size, uint8_t flat) {
  CTy *t = node(b, src, kind, 0);
  if (!t) return NULL;
  t->size = size;
  t->align = (uint8_t)size;
  if (!set_flat(b, t, &flat, 1)) return NULL;
  return t;
}

static const CTy *integer(CTyBuilder *b, const WgCValTy *src, uint8_t kind,
                          uint32_t size, uint8_t flat) {
  const CTy *t = scalar(b, src, kind, size, flat);
  if (t) ((CTy *)t)->pod = true;
  return t;
}

static const CTy *prim(CTyBuilder *b, const WgCValTy *src) {
  switch (src->prim) {
    case WG_CPRIM_BOOL:
      return scalar(b, src, WG_CVAL_BOOL, 1, WG_CORE_I32);
    case WG_CPRIM_S8:
      return integer(b, src, WG_CVAL_S8, 1, WG_CORE_I32);
    case WG_CPRIM_U8:
      return integer(b, src, WG_CVAL_U8, 1, WG_CORE_I32);
    case WG_CPRIM_S16:
      return integer(b, src, WG_CVAL_S16, 2, WG_CORE_I32);
    case WG_CPRIM_U16:
      return integer(b, src, WG_CVAL_U16, 2, WG_CORE_I32);
    case WG_CPRIM_S32:
      return integer(b, src, WG_CVAL_S32, 4, WG_CORE_I32);
    case WG_CPRIM_U32:
      return integer(b, src, WG_CVAL_U32, 4, WG_CORE_I32);
    case WG_CPRIM_S64:
      return integer(b, src, WG_CVAL_S64, 8, WG_CORE_I64);
    case WG_CPRIM_U64:
      return integer(b, src, WG_CVAL_U64, 8, WG_CORE_I64);
    case WG_CPRIM_F32:
      return scalar(b, src, WG_CVAL_F32, 4, WG_CORE_F32);
    case WG_CPRIM_F64:
      return scalar(b, src, WG_CVAL_F64, 8, WG_CORE_F64);
    case WG_CPRIM_CHAR:
      return scalar(b, src, WG_CVAL_CHAR, 4, WG_CORE_I32);
    case WG_CPRIM_STRING: {
      static const uint8_t pair[2] = { WG_CORE_I32, WG_CORE_I32 };
      CTy *t = node(b, src, WG_CVAL_STRING, 0);
      if (!t) return NULL;
      t->size = 8;
      t->align = 4;
      t->has_alloc = true;
      if (!set_flat(b, t, pair, 2)) return NULL;
      return t;
    }
    default:
      fail(b, "error-context values are not supported");
      return NULL;
  }
}

/* A record or tuple of `n` children already built in t->elems. */
static bool layout_struct(CTyBuilder *b, CTy *t, uint32_t n) {
  uint8_t flat[CTY_MAX_FLAT + 1];
  uint64_t size = 0, nflat = 0;
  uint32_t align = 1;
  uint32_t *offsets = zalloc(b, (n ? n : 1) * sizeof(uint32_t));
  if (!offsets) return false;
  bool pod = true;
  for (uint32_t i = 0; i < n; i++) {
    const CTy *e = t->elems[i];
    if (!e->pod || size != align_up((uint32_t)size, e->align)) pod = false;
    size = align_up((uint32_t)size, e->align);
    offsets[i] = (uint32_t)size;
    size += e->size;
    if (size > CTY_MAX_SIZE) return fail(b, "type too large");
    if (e->align > align) align = e->align;
    for (uint32_t k = 0; k < e->flat_count && nflat + k < CTY_MAX_FLAT + 1; k++)
      flat[nflat + k] = e->flat[k];
    nflat += e->flat_count;
    if (nflat > CTY_FLAT_SAT) nflat = CTY_FLAT_SAT;
    t->has_alloc |= e->has_alloc;
    t->has_handles |= e->has_handles;
  }
  t->offsets = offsets;
  t->align = (uint8_t)align;
  t->size = align_up((uint32_t)size, align);
  t->count = n;
  t->pod = pod && n && t->size == size; /* no padding anywhere */
  return set_flat(b, t, flat, (uint32_t)nflat);
}

/* A variant-like type: cases in t->elems (NULL: no payload). */
static bool layout_variant(CTyBuilder *b, CTy *t, uint32_t n) {
  if (n == 0) return fail(b, "variant without cases");
  t->count = n;
  t->disc = n <= 256 ? 1 : n <= 65536 ? 2 : 4;
  uint32_t case_align = 1, case_size = 0, widest = 0;
  uint8_t flat[CTY_MAX_FLAT + 1];
  flat[0] = WG_CORE_I32;
  for (uint32_t i = 0; i < n; i++) {
    const CTy *e = t->elems[i];
    if (!e) continue;
    if (e->align > case_align) case_align = e->align;
    if (e->size > case_size) case_size = e->size;
    for (uint32_t k = 0; k < e->flat_count && 1 + k < CTY_MAX_FLAT + 1; k++)
      flat[1 + k] = k < widest ? join(flat[1 + k], e->flat[k]) : e->flat[k];
    if (e->flat_count > widest) widest = e->flat_count;
    t->has_alloc |= e->has_alloc;
    t->has_handles |= e->has_handles;
  }
  uint32_t align = t->disc > case_align ? t->disc : case_align;
  t->payload = align_up(t->disc, case_align);
  uint64_t size = (uint64_t)t->payload + case_size;
  if (size > CTY_MAX_SIZE) return fail(b, "type too large");
  t->align = (uint8_t)align;
  t->size = align_up((uint32_t)size, align);
  return set_flat(b, t, flat, 1 + widest);
}

/* Cache of descriptors of types without handles (shared by every
 * resolution context): open addressing on the WgCValTy pointer. */
typedef struct CacheSlot {
  const WgCValTy *key;
  const CTy *val;
} CacheSlot;

static const CTy *build(CTyBuilder *b, const WgCValTy *t, int depth);

static const CTy *build_uncached(CTyBuilder *b, const WgCValTy *s, int depth) {
  CTy *t;
  switch (s->kind) {
    case WG_CT_PRIM:
      return prim(b, s);
    case WG_CT_RECORD:
    case WG_CT_TUPLE:
      t = node(b, s, s->kind == WG_CT_RECORD ? WG_CVAL_RECORD : WG_CVAL_TUPLE,
               s->count);
      if (!t) return NULL;
      for (uint32_t i = 0; i < s->count; i++)
        if (!(ELEMS(t)[i] = build(b, s->elems[i], depth + 1))) return NULL;
      return layout_struct(b, t, s->count) ? t : NULL;
    case WG_CT_VARIANT:
      t = node(b, s, WG_CVAL_VARIANT, s->count);
      if (!t) return NULL;
      for (uint32_t i = 0; i < s->count; i++)
        if (s->elems[i] && !(ELEMS(t)[i] = build(b, s->elems[i], depth + 1)))
          return NULL;
      return layout_variant(b, t, s->count) ? t : NULL;
    case WG_CT_ENUM:
      t = node(b, s, WG_CVAL_ENUM, s->count);
      return t && layout_variant(b, t, s->count) ? t : NULL;
    case WG_CT_OPTION:
      t = node(b, s, WG_CVAL_OPTION, 2);
      if (!t || !(ELEMS(t)[1] = build(b, s->elems[0], depth + 1))) return NULL;
      return layout_variant(b, t, 2) ? t : NULL;
    case WG_CT_RESULT:
      t = node(b, s, WG_CVAL_RESULT, 2);
      if (!t) return NULL;
      for (uint32_t i = 0; i < 2; i++)
        if (s->elems[i] && !(ELEMS(t)[i] = build(b, s->elems[i], depth + 1)))
          return NULL;
      return layout_variant(b, t, 2) ? t : NULL;
    case WG_CT_FLAGS: {
      if (s->count == 0 || s->count > 32)
        return fail(b, "flags need 1 to 32 labels"), NULL;
      uint32_t size = s->count <= 8 ? 1 : s->count <= 16 ? 2 : 4;
      const CTy *c = scalar(b, s, WG_CVAL_FLAGS, size, WG_CORE_I32);
      if (c) ((CTy *)c)->count = s->count;
      return c;
    }
    case WG_CT_LIST:
    case WG_CT_MAP: {
      static const uint8_t pair[2] = { WG_CORE_I32, WG_CORE_I32 };
      t = node(b, s, WG_CVAL_LIST, 1);
      if (!t) return NULL;
      if (s->kind == WG_CT_MAP) { /* list<tuple<K, V>> */
        CTy *tup = node(b, NULL, WG_CVAL_TUPLE, 2);
        if (!tup || !(ELEMS(tup)[0] = build(b, s->elems[0], depth + 1)) ||
            !(ELEMS(tup)[1] = build(b, s->elems[1], depth + 1)) ||
            !layout_struct(b, tup, 2))
          return NULL;
        ELEMS(t)[0] = tup;
      } else if (!(ELEMS(t)[0] = build(b, s->elems[0], depth + 1))) {
        return NULL;
      }
      t->size = 8;
      t->align = 4;
      t->has_alloc = true;
      t->has_handles = t->elems[0]->has_handles;
      return set_flat(b, t, pair, 2) ? t : NULL;
    }
    case WG_CT_FIXED_LIST: {
      t = node(b, s, WG_CVAL_LIST, 1);
      if (!t || !(ELEMS(t)[0] = build(b, s->elems[0], depth + 1))) return NULL;
      const CTy *e = t->elems[0];
      uint64_t size = (uint64_t)e->size * s->length;
      if (s->length == 0 || size > CTY_MAX_SIZE)
        return fail(b, "fixed-length list too large"), NULL;
      t->is_fixed = true;
      t->count = s->length;
      t->size = (uint32_t)size;
      t->align = e->align;
      t->has_alloc = e->has_alloc;
      t->has_handles = e->has_handles;
      t->pod = e->pod && e->size % e->align == 0;
      uint8_t flat[CTY_MAX_FLAT + 1];
      uint64_t n = (uint64_t)e->flat_count * s->length;
      for (uint32_t k = 0; k < n && k < CTY_MAX_FLAT + 1; k++)
        flat[k] = e->flat[k % e->flat_count];
      return set_flat(b, t, flat, n > CTY_FLAT_SAT ? CTY_FLAT_SAT : (uint32_t)n)
                 ? t
                 : NULL;
    }
    case WG_CT_OWN:
    case WG_CT_BORROW: {
      const CTy *c =
          scalar(b, s, s->kind == WG_CT_OWN ? WG_CVAL_OWN : WG_CVAL_BORROW, 4,
                 WG_CORE_I32);
      if (!c) return NULL;
      t = (CTy *)c;
      t->has_handles = true;
      t->resource = b->resolve(b->ctx, wg_cresource_canon(s->resource));
      if (t->resource == UINT32_MAX)
        return fail(b, "a resource type the plan does not know"), NULL;
      return t;
    }
    default:
      fail(b, "streams, futures and error-context are not supported");
      return NULL;
  }
}

static const CTy *build(CTyBuilder *b, const WgCValTy *t, int depth) {
  if (b->failed) return NULL;
  if (depth > 200) return fail(b, "type nested too deeply"), NULL;
  bool cacheable =
      !(t->contains & (WG_CVALTY_HAS_OWN | WG_CVALTY_HAS_BORROW)) && b->cache;
  if (cacheable) {
    size_t mask = b->cache_cap - 1;
    size_t h = ((uintptr_t)t >> 4) * 0x9E3779B97F4A7C15ull;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      CacheSlot *s = &((CacheSlot *)b->cache)[i];
      if (s->key == t) return s->val;
      if (!s->key) break;
    }
  }
  const CTy *r = build_uncached(b, t, depth);
  if (!r || !cacheable) return r;
  if ((b->cache_count + 1) * 2 > b->cache_cap) {
    size_t ncap = b->cache_cap * 2;
    CacheSlot *n = zalloc(b, ncap * sizeof *n);
    if (!n) return NULL;
    CacheSlot *old = b->cache;
    for (size_t i = 0; i < b->cache_cap; i++) {
      if (!old[i].key) continue;
      size_t h = ((uintptr_t)old[i].key >> 4) * 0x9E3779B97F4A7C15ull;
      size_t k = h & (ncap - 1);
      while (n[k].key)
        k = (k + 1) & (ncap - 1);
      n[k] = old[i];
    }
    b->cache = n;
    b->cache_cap = ncap;
  }
  size_t mask = b->cache_cap - 1;
  size_t h = ((uintptr_t)t >> 4) * 0x9E3779B97F4A7C15ull;
  size_t i = h & mask;
  CacheSlot *slots = b->cache;
  while (slots[i].key)
    i = (i + 1) & mask;
  slots[i].key = t;
  slots[i].val = r;
  b->cache_count++;
  return r;
}

bool wg_cty_builder_init(CTyBuilder *b, WgArena *arena) {
  memset(b, 0, sizeof *b);
  b->arena = arena;
  b->cache_cap = 64;
  b->cache = zalloc(b, b->cache_cap * sizeof(CacheSlot));
  return b->cache != NULL;
}

const CTy *wg_cty_build(CTyBuilder *b, const WgCValTy *t) {
  return build(b, t, 0);
}

const CSig *wg_csig_build(CTyBuilder *b, const WgCFuncTy *f) {
  if (f->is_async) return fail(b, "async functions are not supported"), NULL;
  CSig *s = zalloc(b, sizeof *s);
  if (!s) return NULL;
  s->src = f;
  s->param_count = f->param_count;
  CTy *tup = node(b, NULL, WG_CVAL_TUPLE, f->param_count);
  if (!tup) return NULL;
  for (uint32_t i = 0; i < f->param_count; i++) {
    const CTy *p = wg_cty_build(b, f->params[i]);
    if (!p) return NULL;
    ELEMS(tup)[i] = p;
    s->has_alloc |= p->has_alloc;
    if (f->params[i]->contains & WG_CVALTY_HAS_BORROW)
      s->has_borrow_param = true;
  }
  if (!layout_struct(b, tup, f->param_count)) return NULL;
  s->params = tup->elems;
  s->params_tuple = tup;
  s->flat_params = tup->flat_count;
  s->params_indirect = tup->flat_count > WG_ABI_MAX_FLAT_PARAMS;
  if (f->result) {
    if (!(s->result = wg_cty_build(b, f->result))) return NULL;
    s->has_alloc |= s->result->has_alloc;
    s->results_indirect = s->result->flat_count > WG_ABI_MAX_FLAT_RESULTS;
  }
  return s;
}
