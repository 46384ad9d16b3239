/* SPDX-License-Identifier: Apache-2.0 */
/* The linker (clinker.c, csig.c): definitions by WIT name, semver-
 * compatible matching, declared signatures checked against imports with
 * messages naming both sides, kind mismatches, missing imports, trapping
 * stubs, and instances of other components linked in at run time. */
#include "component_util.h"

static WgEngine *engine;
static WgStore *store;

static int setup(void **state) {
  (void)state;
  engine = wg_engine_new(NULL);
  store = wg_store_new(engine);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  wg_store_delete(store);
  wg_engine_delete(engine);
  return 0;
}

/* A host function returning the number in its environment. */
static WgTrap *constant(void *env, WgCCall *call, const WgCVal *args, size_t n,
                        WgCVal *results, size_t nres) {
  (void)call, (void)args, (void)n, (void)nres;
  results[0] = wg_cval_u32((uint32_t)(uintptr_t)env);
  return NULL;
}

static void define(WgComponentLinker *l, const char *name, const char *type,
                   uintptr_t value) {
  WgDiagList *d = wg_diag_list_new();
  WgStatus st = wg_component_linker_define_func(
      l, wg_str_from_cstr(name), wg_str_from_cstr(type), constant,
      (void *)value, NULL, d);
  if (st != WG_OK) wg_diag_list_print(d, stderr);
  assert_int_equal(st, WG_OK);
  wg_diag_list_delete(d);
}

/* `all` of versions.wat with the linker: f1 * 1000 + f2 * 100 + f3 * 10 +
 * f4, or -1 when it does not link. */
static int64_t versions(WgComponentLinker *l, WgDiagList *d) {
  WgWasmComponent *c = tc_load(engine, "versions.wasm");
  WgComponentInstance *i;
  WgStatus st = wg_component_linker_instantiate(l, store, c, &i, d);
  wg_wasm_component_delete(c);
  if (st != WG_OK) return -1;
  WgCVal r;
  tc_ok(i, "all", NULL, 0, &r);
  return (int64_t)r.of.u;
}

static void versions_match_as_semver_says(void **state) {
  (void)state;
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  define(l, "a:b/one@1.4.2#f", "func() -> u32", 1);   /* 1.x: same major */
  define(l, "a:b/one@2.0.0#f", "func() -> u32", 9);   /* another major */
  define(l, "a:b/zero@0.2.1#f", "func() -> u32", 2);  /* 0.2.x */
  define(l, "a:b/zero@0.2.12#f", "func() -> u32", 3); /* the highest wins */
  define(l, "a:b/zero@0.3.0#f", "func() -> u32", 9);  /* another minor */
  define(l, "a:b/tiny@0.0.1#f", "func() -> u32", 4);  /* 0.0.x: exact */
  define(l, "a:b/tiny@0.0.2#f", "func() -> u32", 9);
  define(l, "a:b/pre@2.0.0-rc1#f", "func() -> u32", 5); /* exact only */
  WgDiagList *d = wg_diag_list_new();
  assert_int_equal(versions(l, d), 1345);
  /* the exact version is preferred over a higher compatible one */
  define(l, "a:b/zero@0.2.3#f", "func() -> u32", 6);
  assert_int_equal(versions(l, d), 1645);
  wg_component_linker_delete(l);
  /* no compatible version: each import at fault is named */
  l = wg_component_linker_new(engine, NULL);
  define(l, "a:b/one@2.0.0#f", "func() -> u32", 1);
  define(l, "a:b/zero@0.3.0#f", "func() -> u32", 1);
  define(l, "a:b/tiny@0.0.2#f", "func() -> u32", 1);
  define(l, "a:b/pre@2.0.0#f", "func() -> u32", 1);
  assert_int_equal(versions(l, d), -1);
  assert_int_equal(wg_diag_list_error_count(d), 4);
  const WgDiag *first = wg_diag_list_get(d, 0);
  assert_string_equal(first->wit_path, "a:b/one@1.0.0#f");
  assert_non_null(strstr(first->message, "is not defined"));
  wg_component_linker_delete(l);
  wg_diag_list_delete(d);
}

/* wg_component_linker_has answers as resolution does (witgen run traces
 * only the imports its linker lacks). */
static void has_answers_as_resolution_does(void **state) {
  (void)state;
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  assert_false(wg_component_linker_has(l, WG_STR("a:b/zero@0.2.3#f")));
  define(l, "a:b/zero@0.2.12#f", "func() -> u32", 1);
  define(l, "top", "", 1);
  assert_true(wg_component_linker_has(l, WG_STR("a:b/zero@0.2.12#f")));
  assert_true(wg_component_linker_has(l, WG_STR("a:b/zero@0.2.0#f")));
  assert_true(wg_component_linker_has(l, WG_STR("top")));
  assert_false(wg_component_linker_has(l, WG_STR("a:b/zero@0.3.0#f")));
  assert_false(wg_component_linker_has(l, WG_STR("a:b/zero@0.2.3#g")));
  assert_false(wg_component_linker_has(l, WG_STR("a:b/zero#f")));
  assert_false(wg_component_linker_has(l, WG_STR("a:b/one@0.2.12#f")));
  assert_false(wg_component_linker_has(NULL, WG_STR("top")));
  wg_component_linker_delete(l);
}

static void
signatures_are_checked_and_mismatches_name_both_sides(void **state) {
  (void)state;
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  define(l, "a:b/one@1.0.0#f", "func() -> u32", 1);
  define(l, "a:b/zero@0.2.12#f", "func() -> string", 1);
  define(l, "a:b/tiny@0.0.1#f", "func(x: u32) -> u32", 1);
  define(l, "a:b/pre@2.0.0-rc1#f", "func()", 1);
  WgDiagList *d = wg_diag_list_new();
  assert_int_equal(versions(l, d), -1);
  assert_int_equal(wg_diag_list_error_count(d), 3);
  const char *m = wg_diag_list_get(d, 0)->message;
  assert_non_null(
      strstr(m, "import `a:b/zero@0.2.3#f` expects `func() -> u32`, but "
                "`a:b/zero@0.2.12#f` is `func() -> string`"));
  assert_non_null(strstr(m, "result: string where `u32` is expected"));
  assert_non_null(
      strstr(wg_diag_list_get(d, 1)->message, "1 parameters, expected 0"));
  assert_non_null(
      strstr(wg_diag_list_get(d, 2)->message, "the result is missing"));
  assert_int_equal(wg_diag_list_get(d, 0)->code, WG_ERR_UNLINKABLE);
  wg_component_linker_delete(l);
  wg_diag_list_delete(d);
}

static void malformed_definitions_are_refused(void **state) {
  (void)state;
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  WgDiagList *d = wg_diag_list_new();
  assert_int_equal(wg_component_linker_define_func(l, WG_STR("f"),
                                                   WG_STR("func(x u32)"),
                                                   constant, NULL, NULL, d),
                   WG_ERR_INVALID);
  assert_non_null(strstr(wg_diag_list_first_error(d), "malformed function "
                                                      "type"));
  assert_int_equal(wg_component_linker_define_func(l, WG_STR("g"),
                                                   WG_STR("func() -> list<u32"),
                                                   constant, NULL, NULL, d),
                   WG_ERR_INVALID);
  assert_int_equal(wg_component_linker_define_func(l, (WgStr){ "", 0 },
                                                   (WgStr){ 0 }, constant, NULL,
                                                   NULL, d),
                   WG_ERR_INVALID);
  /* every WIT type form parses */
  define(l, "h",
         "func(a: record { x: s8, y: list<tuple<u8, string>> }, "
         "b: variant { none, some(f64) }, c: enum { a, b }, d: flags { p }, "
         "e: option<result<_, char>>, f: list<u16, 4>, g: borrow<r>) -> "
         "result<own<r>>",
         0);
  wg_component_linker_delete(l);
  wg_diag_list_delete(d);
}

static void kinds_must_match(void **state) {
  (void)state;
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  WgDiagList *d = wg_diag_list_new();
  assert_int_equal(wg_component_linker_define_resource(
                       l, WG_STR("a:b/one@1.0.0#f"), NULL, NULL, NULL, NULL, d),
                   WG_OK);
  assert_int_equal(versions(l, d), -1);
  assert_non_null(strstr(wg_diag_list_first_error(d),
                         "import `a:b/one@1.0.0#f` is a function, but "
                         "`a:b/one@1.0.0#f` is defined as a resource type"));
  wg_component_linker_delete(l);
  wg_diag_list_delete(d);
}

static void unknown_imports_may_be_trapping_stubs(void **state) {
  (void)state;
  WgComponentLinkerConfig cfg = { .stub_unknown_imports = true };
  WgComponentLinker *l = wg_component_linker_new(engine, &cfg);
  define(l, "a:b/one@1.0.0#f", "func() -> u32", 1);
  WgWasmComponent *c = tc_load(engine, "versions.wasm");
  WgComponentInstance *i = tc_inst(l, store, c);
  tc_trap(i, "all", NULL, 0, "unimplemented import `a:b/zero@0.2.3#f` called");
  assert_true(wg_component_instance_poisoned(i));
  wg_wasm_component_delete(c);
  wg_component_linker_delete(l);
}

static WgTrap *noop(void *env, WgCCall *call, const WgCVal *args, size_t n,
                    WgCVal *results, size_t nres) {
  (void)env, (void)call, (void)args, (void)n, (void)results, (void)nres;
  return NULL;
}

static void instances_of_components_link_at_run_time(void **state) {
  (void)state;
  /* provider.wat exports test:host/api@0.2.12; imports.wat imports it at
   * 0.2.3: calls go through the linker into the provider's instance */
  WgComponentLinker *pl = wg_component_linker_new(engine, NULL);
  WgWasmComponent *pc = tc_load(engine, "provider.wasm");
  WgComponentInstance *provider = tc_inst(pl, store, pc);
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  WgDiagList *d = wg_diag_list_new();
  assert_int_equal(wg_component_linker_define_instance(
                       l, WG_STR("test:host/api@0.2.12"), provider,
                       WG_STR("test:host/api@0.2.12"), d),
                   WG_OK);
  assert_int_equal(wg_component_linker_define_instance(l, WG_STR("x"), provider,
                                                       WG_STR("nope"), d),
                   WG_ERR_INVALID);
  assert_int_equal(wg_component_linker_define_func(
                       l, WG_STR("tick"), (WgStr){ 0 }, noop, NULL, NULL, d),
                   WG_OK);
  WgWasmComponent *ic = tc_load(engine, "imports.wasm");
  WgComponentInstance *i = tc_inst(l, store, ic);
  WgCVal args[2] = { wg_cval_u32(40), wg_cval_u32(2) }, r;
  tc_ok(i, "sum", args, 2, &r);
  assert_int_equal(r.of.u, 42);
  tc_ok(i, "get-str", NULL, 0, &r); /* "abc" from the provider's memory */
  assert_int_equal(r.of.u, 3);
  tc_ok(i, "get-list", NULL, 0, &r);
  assert_int_equal(r.of.u, 3);
  tc_ok(i, "vars", NULL, 0, NULL);
  tc_ok(i, "strs", NULL, 0, NULL);
  wg_wasm_component_delete(pc);
  wg_wasm_component_delete(ic);
  wg_component_linker_delete(pl);
  wg_component_linker_delete(l);
  wg_diag_list_delete(d);
}

static int freed;
static void count_free(void *env) {
  (void)env;
  freed++;
}

static void definitions_live_as_long_as_their_users(void **state) {
  (void)state;
  freed = 0;
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  WgDiagList *d = wg_diag_list_new();
  const char *names[] = { "a:b/one@1.0.0#f", "a:b/zero@0.2.3#f",
                          "a:b/tiny@0.0.1#f", "a:b/pre@2.0.0-rc1#f" };
  for (int k = 0; k < 4; k++)
    assert_int_equal(wg_component_linker_define_func(
                         l, wg_str_from_cstr(names[k]), (WgStr){ 0 }, constant,
                         (void *)(uintptr_t)k, count_free, d),
                     WG_OK);
  /* a replaced definition is released at once */
  assert_int_equal(wg_component_linker_define_func(
                       l, WG_STR("a:b/one@1.0.0#f"), (WgStr){ 0 }, constant,
                       (void *)(uintptr_t)7, count_free, d),
                   WG_OK);
  assert_int_equal(freed, 1);
  WgWasmComponent *c = tc_load(engine, "versions.wasm");
  WgComponentPre *pre;
  assert_int_equal(wg_component_linker_pre(l, c, &pre, d), WG_OK);
  wg_wasm_component_delete(c);
  wg_component_linker_delete(l);
  assert_int_equal(freed, 1); /* the pre holds them */
  WgStore *s = wg_store_new(engine);
  WgComponentInstance *i;
  assert_int_equal(wg_component_pre_instantiate(pre, s, &i, d), WG_OK);
  wg_component_pre_delete(pre);
  assert_int_equal(freed, 1); /* the instance holds them */
  WgCVal r;
  tc_ok(i, "all", NULL, 0, &r);
  assert_int_equal(r.of.u, 7123);
  wg_store_delete(s);
  assert_int_equal(freed, 5);
  wg_diag_list_delete(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(versions_match_as_semver_says),
    cmocka_unit_test(has_answers_as_resolution_does),
    cmocka_unit_test(signatures_are_checked_and_mismatches_name_both_sides),
    cmocka_unit_test(malformed_definitions_are_refused),
    cmocka_unit_test(kinds_must_match),
    cmocka_unit_test(unknown_imports_may_be_trapping_stubs),
    cmocka_unit_test(instances_of_components_link_at_run_time),
    cmocka_unit_test(definitions_live_as_long_as_their_users),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
