/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target of the component runtime: decode + validate + plan;
 * when that succeeds, instantiate (every import a trapping stub, small
 * limits) and call every export once with default arguments built from
 * its type (zeros, empty strings and lists, first cases), lifting whatever
 * comes back. Anything may trap; nothing may crash, leak or hang. */
#include <stdlib.h>
#include <string.h>

#include "witgen/component.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A default value of `t` in `pool` (NULL when it cannot be made). */
static WgCVal *pool;
static size_t pool_used, pool_cap;

static WgCVal *take(size_t n) {
  if (pool_used + n > pool_cap) return NULL;
  WgCVal *p = pool + pool_used;
  pool_used += n;
  memset(p, 0, n * sizeof *p);
  return p;
}

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  WgEngineConfig ec = { .max_memory_pages = 64,
                        .max_table_elems = 10000,
                        .max_call_depth = 500,
                        .max_stack_slots = 1 << 16 };
  WgEngine *engine = wg_engine_new(&ec);
  WgWasmComponent *c = NULL;
  if (wg_wasm_component_load(engine, data, size, &c, NULL) != WG_OK) {
    wg_engine_delete(engine);
    return 0;
  }
  WgComponentLinkerConfig lc = { .stub_unknown_imports = true,
                                 .max_handles = 1000 };
  WgComponentLinker *l = wg_component_linker_new(engine, &lc);
  WgStore *s = wg_store_new(engine);
  wg_store_set_fuel(s, 200000);
  WgComponentInstance *inst = NULL;
  static WgCVal storage[4096];
  pool = storage;
  pool_cap = sizeof storage / sizeof storage[0];
  if (wg_component_linker_instantiate(l, s, c, &inst, NULL) == WG_OK) {
    size_t n = wg_wasm_component_func_count(c);
    for (size_t i = 0; i < n && i < 64; i++) {
      WgStr name;
      const WgCFuncTy *ft;
      wg_wasm_component_func(c, i, &name, &ft);
      WgComponentFunc *f = wg_component_instance_func(inst, name);
      if (!f) abort(); /* every listed function must be found by name */
      pool_used = 0;
      WgCVal *args = take(ft->param_count ? ft->param_count : 1);
      bool ok = args != NULL;
      for (uint32_t p = 0; ok && p < ft->param_count; p++)
        ok = make(ft->params[p], &args[p], 0);
      if (!ok) continue;
      WgCVal result;
      WgTrap *t = wg_component_func_call(f, args, ft->param_count, &result,
                                         ft->result ? 1 : 0);
      if (!t && ft->result) {
        if (!wg_cval_check(&result, ft->result, NULL))
          abort(); /* a lifted value must be of its type */
      }
      wg_trap_delete(t);
      wg_store_set_fuel(s, 200000);
    }
  }
  wg_store_delete(s);
  wg_component_linker_delete(l);
  wg_wasm_component_delete(c);
  wg_engine_delete(engine);
  return 0;
}
