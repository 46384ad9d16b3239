/* SPDX-License-Identifier: Apache-2.0 */
/* Test support: a default value of any component value type (zeros,
 * "fuzz" for strings, empty lists, first cases), built in a caller-given
 * pool of WgCVal; used to call every export of a component once
 * (fuzz_component_run, component_check). Resources have no default. */
#ifndef WG_TEST_CVAL_DEFAULT_H
#define WG_TEST_CVAL_DEFAULT_H

#include <string.h>

#include "witgen/component.h"

/* The pool values are made in: set `pool` and `pool_cap`, reset
 * `pool_used` to 0 before each set of arguments. */
static WgCVal *pool;
static size_t pool_used, pool_cap;

static WgCVal *take(size_t n) {
  if (pool_used + n > pool_cap) return NULL;
  WgCVal *p = pool + pool_used;
  pool_used += n;
  memset(p, 0, n * sizeof *p);
  return p;
}

/* A default value of `t` into `out`; false when none can be made (a
 * resource, a type nested deeper than 50, the pool full). */
static bool make(const WgCValTy *t, WgCVal *out, int depth) {
  if (depth > 50) return false;
  memset(out, 0, sizeof *out);
  switch (t->kind) {
    case WG_CT_PRIM:
      switch (t->prim) {
        case WG_CPRIM_BOOL:
          *out = wg_cval_bool(false);
          return true;
        case WG_CPRIM_S8:
        case WG_CPRIM_S16:
        case WG_CPRIM_S32:
        case WG_CPRIM_S64:
          *out = wg_cval_int(t->prim == WG_CPRIM_S8    ? WG_CVAL_S8
                             : t->prim == WG_CPRIM_S16 ? WG_CVAL_S16
                             : t->prim == WG_CPRIM_S32 ? WG_CVAL_S32
                                                       : WG_CVAL_S64,
                             0);
          return true;
        case WG_CPRIM_U8:
        case WG_CPRIM_U16:
        case WG_CPRIM_U32:
        case WG_CPRIM_U64:
          *out = wg_cval_uint(t->prim == WG_CPRIM_U8    ? WG_CVAL_U8
                              : t->prim == WG_CPRIM_U16 ? WG_CVAL_U16
                              : t->prim == WG_CPRIM_U32 ? WG_CVAL_U32
                                                        : WG_CVAL_U64,
                              0);
          return true;
        case WG_CPRIM_F32:
          *out = wg_cval_f32(0);
          return true;
        case WG_CPRIM_F64:
          *out = wg_cval_f64(0);
          return true;
        case WG_CPRIM_CHAR:
          *out = wg_cval_char('a');
          return true;
        case WG_CPRIM_STRING:
          *out = wg_cval_string("fuzz", 4);
          return true;
        default:
          return false;
      }
    case WG_CT_LIST:
    case WG_CT_MAP:
      *out = wg_cval_seq(WG_CVAL_LIST, NULL, 0);
      return true;
    case WG_CT_FIXED_LIST: {
      if (t->length > 64) return false;
      WgCVal *items = take(t->length);
      if (!items) return false;
      for (uint32_t i = 0; i < t->length; i++)
        if (!make(t->elems[0], &items[i], depth + 1)) return false;
      *out = wg_cval_seq(WG_CVAL_LIST, items, t->length);
      return true;
    }
    case WG_CT_RECORD:
    case WG_CT_TUPLE: {
      WgCVal *items = take(t->count);
      if (!items) return false;
      for (uint32_t i = 0; i < t->count; i++)
        if (!make(t->elems[i], &items[i], depth + 1)) return false;
      *out =
          wg_cval_seq(t->kind == WG_CT_RECORD ? WG_CVAL_RECORD : WG_CVAL_TUPLE,
                      items, t->count);
      return true;
    }
    case WG_CT_VARIANT: {
      WgCVal *p = NULL;
      if (t->elems[0]) {
        if (!(p = take(1)) || !make(t->elems[0], p, depth + 1)) return false;
      }
      *out = wg_cval_case(WG_CVAL_VARIANT, 0, p);
      return true;
    }
    case WG_CT_ENUM:
      *out = wg_cval_case(WG_CVAL_ENUM, 0, NULL);
      return true;
    case WG_CT_OPTION:
      *out = wg_cval_case(WG_CVAL_OPTION, 0, NULL);
      return true;
    case WG_CT_RESULT: {
      WgCVal *p = NULL;
      if (t->elems[0]) {
        if (!(p = take(1)) || !make(t->elems[0], p, depth + 1)) return false;
      }
      *out = wg_cval_case(WG_CVAL_RESULT, 0, p);
      return true;
    }
    case WG_CT_FLAGS:
      *out = wg_cval_flags(0);
      return true;
    default:
      return false; /* resources: nothing to pass */
  }
}

#endif
