/* SPDX-License-Identifier: Apache-2.0 */
/* The small core modules `witgen new` writes (compose/src/core_modules.c,
 * with core_writer.c), run in witgen's interpreter: the shim calls through
 * its table, the fixup fills that table and calls the initializer, the
 * page realloc hands out fresh pages and traps otherwise, the stack module
 * gives the adapter one page as its stack. Each must also validate. */
#include <stdio.h>
#include <string.h>

#include "cmocka_all.h"
#include "component_new_impl.h"
#include "core_writer.h"
#include "witgen/wasm.h"

typedef struct Rig {
  WgEngine *engine;
  WgStore *store;
  WgLinker *linker;
} Rig;

static void rig_open(Rig *r) {
  r->engine = wg_engine_new(NULL);
  r->store = wg_store_new(r->engine);
  r->linker = wg_linker_new(r->store);
  assert_non_null(r->linker);
}

static void rig_close(Rig *r) {
  wg_linker_delete(r->linker);
  wg_store_delete(r->store);
  wg_engine_delete(r->engine);
}

/* Loads `m` (freed), instantiates it against the rig's linker; an error
 * is printed. */
static WgStatus instantiate(Rig *r, WgBuf *m, WgInstance **out) {
  assert_false(m->failed);
  WgDiagList *diags = wg_diag_list_new();
  WgWasmModule *mod = NULL;
  WgStatus st = wg_wasm_module_load(r->engine, (const uint8_t *)m->data, m->len,
                                    &mod, diags);
  wg_buf_free(m);
  if (st == WG_OK) st = wg_linker_instantiate(r->linker, mod, out, diags);
  wg_wasm_module_delete(mod);
  wg_diag_list_print(diags, stderr);
  wg_diag_list_delete(diags);
  return st;
}

static void define(Rig *r, const char *module, const char *name, WgExtern e) {
  assert_int_equal(wg_linker_define(r->linker, wg_str_from_cstr(module),
                                    wg_str_from_cstr(name), e),
                   WG_OK);
}

static WgMemInst *env_memory(Rig *r, uint32_t pages) {
  WgMemInst *mem = wg_memory_new(r->store, pages, 0, false);
  assert_non_null(mem);
  define(r, "env", "memory",
         (WgExtern){ .kind = WG_WASM_EXTERN_MEMORY, .of.memory = mem });
  return mem;
}

static WgTrap *call_i32(Rig *r, WgInstance *in, const char *name,
                        const int32_t *args, size_t n, int32_t *result) {
  WgVal a[4], res = { 0 };
  for (size_t i = 0; i < n; i++)
    a[i] = wg_val_i32(args[i]);
  WgTrap *t = wg_instance_call(r->store, in, wg_str_from_cstr(name), a, n, &res,
                               result ? 1 : 0);
  if (!t && result) *result = res.of.i32;
  return t;
}

/* ---- the page realloc ---- */

static void realloc_hands_out_fresh_pages(void **state) {
  (void)state;
  Rig r;
  rig_open(&r);
  WgMemInst *mem = env_memory(&r, 1);
  WgBuf m = { 0 };
  wg_cnew_realloc_module(&m);
  WgInstance *in = NULL;
  assert_int_equal(instantiate(&r, &m, &in), WG_OK);
  int32_t p = 0;
  /* 100 bytes: one page, starting where the memory ended */
  assert_null(call_i32(&r, in, "realloc", (int32_t[]){ 0, 0, 1, 100 }, 4, &p));
  assert_int_equal(p, 65536);
  assert_int_equal(wg_memory_pages(mem), 2);
  /* 65537 bytes: two more pages */
  assert_null(
      call_i32(&r, in, "realloc", (int32_t[]){ 0, 0, 1, 65537 }, 4, &p));
  assert_int_equal(p, 2 * 65536);
  assert_int_equal(wg_memory_pages(mem), 4);
  /* growing an old block is not its job: a trap */
  WgTrap *t = call_i32(&r, in, "realloc", (int32_t[]){ 16, 8, 1, 32 }, 4, &p);
  assert_non_null(t);
  assert_string_equal(wg_trap_message(t), "unreachable");
  wg_trap_delete(t);
  assert_int_equal(wg_memory_pages(mem), 4);
  rig_close(&r);
}

/* ---- the adapter's stack ---- */

static WgGlobalInst *env_global(Rig *r, const char *name) {
  WgGlobalInst *g = wg_global_new(r->store, wg_val_i32(0), true);
  assert_non_null(g);
  define(r, "env", name,
         (WgExtern){ .kind = WG_WASM_EXTERN_GLOBAL, .of.global = g });
  return g;
}

static void stack_module_allocates_one_page(void **state) {
  (void)state;
  Rig r;
  rig_open(&r);
  WgMemInst *mem = env_memory(&r, 3);
  WgGlobalInst *sp = env_global(&r, "$sp");
  WgGlobalInst *st = env_global(&r, "$state");
  WgBuf m = { 0 };
  wg_cnew_stack_module(&m);
  WgInstance *in = NULL;
  assert_int_equal(instantiate(&r, &m, &in), WG_OK);
  /* the start function ran: page 3 grown, the stack grows down from its
   * end, the state says "stack allocated" */
  assert_int_equal(wg_memory_pages(mem), 4);
  assert_int_equal(wg_global_get(sp).of.i32, 4 * 65536);
  assert_int_equal(wg_global_get(st).of.i32, 2);
  rig_close(&r);
}

/* ---- shim and fixup ---- */

static WgTrap *add_one(void *env, WgCaller *caller, const WgVal *args,
                       WgVal *results) {
  (void)env, (void)caller;
  results[0] = wg_val_i32(args[0].of.i32 + 1);
  return NULL;
}

static WgTrap *sum3(void *env, WgCaller *caller, const WgVal *args,
                    WgVal *results) {
  (void)env, (void)caller;
  results[0] =
      wg_val_i64(args[0].of.i32 + args[1].of.i64 + (int64_t)args[2].of.i32);
  return NULL;
}

static WgTrap *count_calls(void *env, WgCaller *caller, const WgVal *args,
                           WgVal *results) {
  (void)caller, (void)args, (void)results;
  ++*(int *)env;
  return NULL;
}

static const WgValType I32_I32[] = { WG_VT_I32, WG_VT_I32 };
static const WgValType SUM3[] = { WG_VT_I32, WG_VT_I64, WG_VT_I32, WG_VT_I64 };
static const WgFuncType FT_ADD = { 1, 1, I32_I32 };
static const WgFuncType FT_SUM = { 3, 1, SUM3 };

static void shim_calls_what_fixup_stores(void **state) {
  (void)state;
  Rig r;
  rig_open(&r);
  Lowered low[2] = { { .ft = &FT_ADD }, { .ft = &FT_SUM } };
  WgBuf m = { 0 };
  wg_cnew_shim_module(low, 2, &m);
  WgInstance *shim = NULL;
  assert_int_equal(instantiate(&r, &m, &shim), WG_OK);
  /* before the fixup the slots are empty */
  int32_t v = 0;
  WgTrap *t = call_i32(&r, shim, "0", (int32_t[]){ 41 }, 1, &v);
  assert_non_null(t);
  assert_true(strncmp(wg_trap_message(t), "uninitialized element", 21) == 0);
  wg_trap_delete(t);
  /* the fixup: the real functions, the table, an initializer */
  WgValKind i32 = WG_VAL_I32, i64 = WG_VAL_I64;
  WgValKind sum_params[3] = { WG_VAL_I32, WG_VAL_I64, WG_VAL_I32 };
  int inits = 0;
  define(&r, "", "0",
         (WgExtern){ .kind = WG_WASM_EXTERN_FUNC,
                     .of.func = wg_func_new_host(r.store, &i32, 1, &i32, 1,
                                                 add_one, NULL, NULL) });
  define(&r, "", "1",
         (WgExtern){ .kind = WG_WASM_EXTERN_FUNC,
                     .of.func = wg_func_new_host(r.store, sum_params, 3, &i64,
                                                 1, sum3, NULL, NULL) });
  define(&r, "", "init",
         (WgExtern){ .kind = WG_WASM_EXTERN_FUNC,
                     .of.func = wg_func_new_host(r.store, NULL, 0, NULL, 0,
                                                 count_calls, &inits, NULL) });
  WgExtern table;
  assert_true(wg_instance_export(shim, WG_STR("$imports"), &table));
  define(&r, "", "$imports", table);
  wg_cnew_fixup_module(low, 2, true, &m);
  WgInstance *fixup = NULL;
  assert_int_equal(instantiate(&r, &m, &fixup), WG_OK);
  assert_int_equal(inits, 1);
  assert_null(call_i32(&r, shim, "0", (int32_t[]){ 41 }, 1, &v));
  assert_int_equal(v, 42);
  WgVal args[3] = { wg_val_i32(1), wg_val_i64(1LL << 40), wg_val_i32(2) };
  WgVal res = { 0 };
  assert_null(wg_instance_call(r.store, shim, WG_STR("1"), args, 3, &res, 1));
  assert_int_equal(res.of.i64, (1LL << 40) + 3);
  rig_close(&r);
}

static void fixup_without_slots_only_initializes(void **state) {
  (void)state;
  Rig r;
  rig_open(&r);
  int inits = 0;
  define(&r, "", "init",
         (WgExtern){ .kind = WG_WASM_EXTERN_FUNC,
                     .of.func = wg_func_new_host(r.store, NULL, 0, NULL, 0,
                                                 count_calls, &inits, NULL) });
  WgBuf m = { 0 };
  wg_cnew_fixup_module(NULL, 0, true, &m);
  /* exactly: type () -> (), import "" "init", start 0 */
  static const uint8_t expect[] = { 0,   'a',  's', 'm', 1, 0, 0, 0, 1, 4,
                                    1,   0x60, 0,   0,   2, 9, 1, 0, 4, 'i',
                                    'n', 'i',  't', 0,   0, 8, 1, 0 };
  assert_int_equal(m.len, sizeof expect);
  assert_memory_equal(m.data, expect, sizeof expect);
  WgInstance *in = NULL;
  assert_int_equal(instantiate(&r, &m, &in), WG_OK);
  assert_int_equal(inits, 1);
  rig_close(&r);
}

/* ---- the writer ---- */

static void writer_encodes_sections_and_names(void **state) {
  (void)state;
  WgBuf m = { 0 }, s = { 0 };
  wg_cw_header(&m);
  wg_buf_uleb(&s, 1);
  wg_cw_export(&s, WG_STR("f"), WG_EXTERN_FUNC, 300);
  wg_cw_section(&m, CW_SEC_EXPORT, &s);
  static const uint8_t expect[] = { 0, 'a', 's', 'm', 1,   0, 0,    0,
                                    7, 6,   1,   1,   'f', 0, 0xac, 0x02 };
  assert_int_equal(m.len, sizeof expect);
  assert_memory_equal(m.data, expect, sizeof expect);
  assert_int_equal(s.len, 0); /* the body was taken */
  wg_buf_free(&m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(realloc_hands_out_fresh_pages),
    cmocka_unit_test(stack_module_allocates_one_page),
    cmocka_unit_test(shim_calls_what_fixup_stores),
    cmocka_unit_test(fixup_without_slots_only_initializes),
    cmocka_unit_test(writer_encodes_sections_and_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
