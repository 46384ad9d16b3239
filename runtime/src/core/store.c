/* SPDX-License-Identifier: Apache-2.0 */
/* The store and the extern instances it owns: functions, tables, memories
 * and globals (spec: Execution, 4.5.3 Allocation), plus limits, fuel and the
 * interrupt flag. */
#include <string.h>

#include "alloc.h"
#include "arena.h"
#include "rt.h"
#include "vec.h"

void wg_store_set_data(WgStore *store, void *data) {
  store->data = data;
}

void *wg_store_data(const WgStore *store) {
  return store->data;
}

WgStore *wg_store_new(WgEngine *engine) {
  if (!engine) return NULL;
  WgAllocator a = engine->alloc;
  WgStore *s = wg_alloc_zeroed(a, sizeof *s);
  if (!s) return NULL;
  s->engine = engine;
  s->alloc = a;
  wg_arena_init(&s->arena, a);
  size_t nslots = engine->config.max_stack_slots;
  s->stack = wg_alloc(a, sizeof(WgSlot) * nslots); /* never read unwritten */
  s->frames =
      wg_alloc(a, sizeof(WgFrame) * (engine->config.max_call_depth + 1));
  if (!s->stack || !s->frames) {
    wg_store_delete(s);
    return NULL;
  }
  s->stack_end = s->stack + nslots;
  s->stack_top = s->stack;
  s->max_depth = engine->config.max_call_depth;
  s->fuel_on = engine->config.fuel > 0;
  s->fuel = (int64_t)(engine->config.fuel > INT64_MAX ? INT64_MAX
                                                      : engine->config.fuel);
  atomic_init(&s->interrupt, 0);
  return s;
}

void wg_store_delete(WgStore *s) {
  if (!s) return;
  WgAllocator a = s->alloc;
  for (size_t i = 0; i < s->tables.count; i++) {
    WgTableInst *t = s->tables.items[i];
    if (t->elems) wg_free(a, t->elems, sizeof(void *) * t->size);
  }
  for (size_t i = 0; i < s->mems.count; i++) {
    WgMemInst *m = s->mems.items[i];
    if (m->data) wg_free(a, m->data, (size_t)m->size);
  }
  for (size_t i = 0; i < s->hosts.count; i++) {
    WgFuncInst *f = s->hosts.items[i];
    if (f->env_free) f->env_free(f->env);
  }
  for (size_t i = 0; i < s->instances.count; i++)
    wg_wasm_module_delete(s->instances.items[i]->mod);
  wg_vec_free(&s->tables);
  wg_vec_free(&s->mems);
  wg_vec_free(&s->hosts);
  wg_vec_free(&s->types);
  wg_vec_free(&s->instances);
  if (s->stack)
    wg_free(a, s->stack, sizeof(WgSlot) * s->engine->config.max_stack_slots);
  if (s->frames)
    wg_free(a, s->frames,
            sizeof(WgFrame) * (s->engine->config.max_call_depth + 1));
  wg_arena_release(&s->arena);
  wg_free(a, s, sizeof *s);
}

void wg_store_set_fuel(WgStore *s, uint64_t fuel) {
  s->fuel_on = fuel > 0;
  s->fuel = (int64_t)(fuel > INT64_MAX ? INT64_MAX : fuel);
}

bool wg_store_get_fuel(const WgStore *s, uint64_t *out) {
  if (out) *out = s->fuel_on ? (uint64_t)s->fuel : 0;
  return s->fuel_on;
}

void wg_store_interrupt(WgStore *s) {
  atomic_store_explicit(&s->interrupt, 1, memory_order_relaxed);
}

void wg_store_clear_interrupt(WgStore *s) {
  atomic_store_explicit(&s->interrupt, 0, memory_order_relaxed);
}

/* Section: types */

bool wg_valtype_eq_kind(WgValType t, WgValKind k) {
  return (int)t == (int)k;
}

static bool functype_eq(const WgFuncType *a, const WgFuncType *b) {
  if (a->param_count != b->param_count || a->result_count != b->result_count)
    return false;
  uint32_t n = a->param_count + a->result_count;
  return n == 0 || memcmp(a->types, b->types, sizeof(WgValType) * n) == 0;
}

uint32_t wg_store_intern_type(WgStore *s, const WgFuncType *type) {
  for (size_t i = 0; i < s->types.count; i++)
    if (functype_eq(&s->types.items[i], type)) return (uint32_t)i;
  WgFuncType copy = *type;
  uint32_t n = type->param_count + type->result_count;
  if (n) {
    WgValType *ts = wg_arena_alloc(&s->arena, sizeof(WgValType) * n);
    if (!ts) return UINT32_MAX;
    memcpy(ts, type->types, sizeof(WgValType) * n);
    copy.types = ts;
  }
  if (!wg_vec_push(&s->types, copy)) return UINT32_MAX;
  return (uint32_t)(s->types.count - 1);
}

/* Section: functions */

WgFuncInst *wg_store_new_func(WgStore *s) {
  return wg_arena_zalloc(&s->arena, sizeof(WgFuncInst));
}

WgFuncInst *wg_func_new_host(WgStore *s, const WgValKind *params,
                             uint32_t param_count, const WgValKind *results,
                             uint32_t result_count, WgHostFn fn, void *env,
                             void (*env_free)(void *)) {
  if (!s || !fn) return NULL;
  uint32_t n = param_count + result_count;
  WgValType *ts = wg_arena_alloc(&s->arena, sizeof(WgValType) * (n + 1));
  WgFuncType *ft = wg_arena_zalloc(&s->arena, sizeof *ft);
  WgFuncInst *f = wg_store_new_func(s);
  if (!ts || !ft || !f) return NULL;
  for (uint32_t i = 0; i < param_count; i++)
    ts[i] = (WgValType)params[i];
  for (uint32_t i = 0; i < result_count; i++)
    ts[param_count + i] = (WgValType)results[i];
  ft->param_count = param_count;
  ft->result_count = result_count;
  ft->types = ts;
  f->type_id = wg_store_intern_type(s, ft);
  if (f->type_id == UINT32_MAX) return NULL;
  f->is_host = true;
  f->type = ft;
  f->fn = fn;
  f->env = env;
  f->env_free = env_free;
  if (!wg_vec_push(&s->hosts, f)) return NULL;
  return f;
}

uint32_t wg_func_param_count(const WgFuncInst *f) {
  return f->type->param_count;
}
uint32_t wg_func_result_count(const WgFuncInst *f) {
  return f->type->result_count;
}
WgValKind wg_func_param(const WgFuncInst *f, uint32_t i) {
  return (WgValKind)WG_FUNCTYPE_PARAMS(f->type)[i];
}
WgValKind wg_func_result(const WgFuncInst *f, uint32_t i) {
  return (WgValKind)WG_FUNCTYPE_RESULTS(f->type)[i];
}

WgStore *wg_caller_store(WgCaller *caller) {
  return caller->store;
}

WgMemInst *wg_caller_memory(WgCaller *caller) {
  return caller->inst ? caller->inst->mem0 : NULL;
}

bool wg_caller_export(WgCaller *caller, WgStr name, WgExtern *out) {
  return caller->inst ? wg_instance_export(caller->inst, name, out) : false;
}

/* Section: globals */

WgGlobalInst *wg_global_new(WgStore *s, WgVal init, bool is_mutable) {
  WgGlobalInst *g = wg_arena_zalloc(&s->arena, sizeof *g);
  if (!g) return NULL;
  g->kind = init.kind;
  g->is_mutable = is_mutable;
  if (wg_global_set(g, init) != WG_OK) {
    g->is_mutable = true;
    wg_global_set(g, init);
  }
  g->is_mutable = is_mutable;
  return g;
}

WgValKind wg_global_kind(const WgGlobalInst *g) {
  return g->kind;
}

bool wg_global_is_mutable(const WgGlobalInst *g) {
  return g->is_mutable;
}

WgVal wg_global_get(const WgGlobalInst *g) {
  WgVal v;
  memset(&v, 0, sizeof v);
  v.kind = g->kind;
  switch (g->kind) {
    case WG_VAL_I32:
    case WG_VAL_F32:
      v.of.f32_bits = g->val[0].u32;
      break;
    case WG_VAL_V128:
      memcpy(v.of.v128, g->val, 16);
      break;
    default:
      v.of.i64 = g->val[0].i64;
      break;
  }
  return v;
}

WgStatus wg_global_set(WgGlobalInst *g, WgVal value) {
  if (value.kind != g->kind) return WG_ERR_MISUSE;
  switch (g->kind) {
    case WG_VAL_I32:
    case WG_VAL_F32:
      g->val[0].u64 = value.of.f32_bits;
      break;
    case WG_VAL_V128:
      memcpy(g->val, value.of.v128, 16);
      break;
    default:
      g->val[0].i64 = value.of.i64;
      break;
  }
  return WG_OK;
}

/* Section: tables */

WgTableInst *wg_store_table_new(WgStore *s, WgValKind elem,
                                const WgLimits *limits, void *init) {
  uint32_t cap = s->engine->config.max_table_elems;
  if (limits->min > cap) return NULL;
  WgTableInst *t = wg_arena_zalloc(&s->arena, sizeof *t);
  if (!t) return NULL;
  t->elem = elem;
  t->store = s;
  t->has_max = limits->has_max;
  t->declared_max = limits->has_max ? (uint32_t)limits->max : UINT32_MAX;
  t->max = t->declared_max < cap ? t->declared_max : cap;
  if (!wg_vec_push(&s->tables, t)) return NULL;
  if (limits->min) {
    t->elems = wg_alloc(s->alloc, sizeof(void *) * limits->min);
    if (!t->elems) return NULL;
    t->size = (uint32_t)limits->min;
    for (uint32_t i = 0; i < t->size; i++)
      t->elems[i] = init;
  }
  return t;
}

int64_t wg_table_grow_raw(WgTableInst *t, uint64_t delta, void *init) {
  uint64_t old = t->size;
  if (old + delta > t->max) return -1;
  if (delta == 0) return (int64_t)old;
  void **e = wg_realloc(t->store->alloc, t->elems, sizeof(void *) * old,
                        sizeof(void *) * (old + delta));
  if (!e) return -1;
  for (uint64_t i = old; i < old + delta; i++)
    e[i] = init;
  t->elems = e;
  t->size = (uint32_t)(old + delta);
  return (int64_t)old;
}

WgTableInst *wg_table_new(WgStore *s, WgValKind elem, uint32_t min,
                          uint32_t max, bool has_max, WgVal init) {
  if (elem != WG_VAL_FUNCREF && elem != WG_VAL_EXTERNREF) return NULL;
  if (has_max && max < min) return NULL;
  WgLimits l = { min, max, has_max, false, false };
  return wg_store_table_new(s, elem, &l, init.of.externref);
}

WgValKind wg_table_elem_kind(const WgTableInst *t) {
  return t->elem;
}

uint32_t wg_table_size(const WgTableInst *t) {
  return t->size;
}

bool wg_table_get(const WgTableInst *t, uint32_t i, WgVal *out) {
  if (i >= t->size) return false;
  memset(out, 0, sizeof *out);
  out->kind = t->elem;
  out->of.externref = t->elems[i];
  return true;
}

bool wg_table_set(WgTableInst *t, uint32_t i, WgVal v) {
  if (i >= t->size || v.kind != t->elem) return false;
  t->elems[i] = v.of.externref;
  return true;
}

int64_t wg_table_grow(WgTableInst *t, uint32_t delta, WgVal init) {
  return wg_table_grow_raw(t, delta, init.of.externref);
}

/* Section: memories */

WgMemInst *wg_store_memory_new(WgStore *s, const WgLimits *limits) {
  uint32_t cap = s->engine->config.max_memory_pages;
  if (limits->min > cap) return NULL;
  WgMemInst *m = wg_arena_zalloc(&s->arena, sizeof *m);
  if (!m) return NULL;
  m->store = s;
  m->has_max = limits->has_max;
  m->declared_max = limits->has_max ? (uint32_t)limits->max : 65536;
  m->max = m->declared_max < cap ? m->declared_max : cap;
  if (!wg_vec_push(&s->mems, m)) return NULL;
  if (limits->min) {
    size_t bytes = (size_t)limits->min * WG_WASM_PAGE_SIZE;
    m->data = wg_alloc_zeroed(s->alloc, bytes);
    if (!m->data) return NULL;
    m->size = bytes;
    m->pages = (uint32_t)limits->min;
  }
  return m;
}

int64_t wg_mem_grow(WgMemInst *m, uint64_t delta) {
  uint64_t old = m->pages;
  if (old + delta > m->max) return -1;
  if (delta == 0) return (int64_t)old;
  size_t old_bytes = (size_t)m->size;
  size_t new_bytes = (size_t)(old + delta) * WG_WASM_PAGE_SIZE;
  uint8_t *d = wg_realloc(m->store->alloc, m->data, old_bytes, new_bytes);
  if (!d) return -1;
  memset(d + old_bytes, 0, new_bytes - old_bytes);
  m->data = d;
  m->size = new_bytes;
  m->pages = (uint32_t)(old + delta);
  return (int64_t)old;
}

WgMemInst *wg_memory_new(WgStore *s, uint32_t min, uint32_t max, bool has_max) {
  if (has_max && max < min) return NULL;
  WgLimits l = { min, max, has_max, false, false };
  return wg_store_memory_new(s, &l);
}

uint32_t wg_memory_pages(const WgMemInst *m) {
  return m->pages;
}

size_t wg_memory_size(const WgMemInst *m) {
  return (size_t)m->size;
}

uint8_t *wg_memory_data(WgMemInst *m) {
  return m->data;
}

uint8_t *wg_memory_slice(WgMemInst *m, uint64_t offset, uint64_t len) {
  if (offset > m->size || len > m->size - offset) return NULL;
  return m->data ? m->data + offset : (uint8_t *)"";
}

bool wg_memory_read(const WgMemInst *m, uint64_t offset, void *dst,
                    size_t len) {
  if (offset > m->size || len > m->size - offset) return false;
  if (len) memcpy(dst, m->data + offset, len);
  return true;
}

bool wg_memory_write(WgMemInst *m, uint64_t offset, const void *src,
                     size_t len) {
  if (offset > m->size || len > m->size - offset) return false;
  if (len) memcpy(m->data + offset, src, len);
  return true;
}

int64_t wg_memory_grow(WgMemInst *m, uint32_t delta) {
  return wg_mem_grow(m, delta);
}
