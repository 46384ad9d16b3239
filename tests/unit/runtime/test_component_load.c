/* SPDX-License-Identifier: Apache-2.0 */
/* Loading (ccomponent.c) and the plan (cplan.c): refused input with its
 * status and a located message, nested components inlined (a child
 * instantiated twice keeps two states and two resource types; outer
 * aliases; instances exported whole and from inside others), load once and
 * instantiate many, reference counting, and engine checks. */
#include "component_util.h"

static WgEngine *engine;

static int setup(void **state) {
  (void)state;
  engine = wg_engine_new(NULL);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  wg_engine_delete(engine);
  return 0;
}

static WgStatus load_bytes(const uint8_t *b, size_t n, WgDiagList *d) {
  WgWasmComponent *c = NULL;
  WgStatus st = wg_wasm_component_load(engine, b, n, &c, d);
  assert_true(st == WG_OK ? c != NULL : c == NULL);
  wg_wasm_component_delete(c);
  return st;
}

static WgStatus load_file(const char *name, WgDiagList *d) {
  size_t n;
  uint8_t *b = tc_read(name, &n);
  assert_non_null(b);
  WgStatus st = load_bytes(b, n, d);
  free(b);
  return st;
}

static void refused_input_says_why_and_where(void **state) {
  (void)state;
  WgDiagList *d = wg_diag_list_new();
  static const uint8_t module[] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
  assert_int_equal(load_bytes(module, sizeof module, d), WG_ERR_MALFORMED);
  assert_string_equal(wg_diag_list_first_error(d),
                      "not a component (a core module or another format)");
  wg_diag_list_delete(d);
  d = wg_diag_list_new();
  size_t n;
  uint8_t *b = tc_read("echo.wasm", &n);
  assert_int_equal(load_bytes(b, n / 2, d), WG_ERR_MALFORMED);
  assert_true(wg_diag_list_get(d, 0)->has_offset);
  free(b);
  wg_diag_list_delete(d);
  d = wg_diag_list_new();
  assert_int_equal(load_file("invalid.wasm", d), WG_ERR_INVALID);
  assert_string_equal(wg_diag_list_first_error(d),
                      "unknown module 5: module index out of bounds");
  wg_diag_list_delete(d);
  /* a component importing a component loads, but no linker can provide
   * the import */
  d = wg_diag_list_new();
  WgWasmComponent *c = tc_load(engine, "root-import.wasm");
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  WgComponentPre *pre = NULL;
  assert_int_equal(wg_component_linker_pre(l, c, &pre, d), WG_ERR_UNLINKABLE);
  assert_string_equal(wg_diag_list_first_error(d),
                      "import `c` is a core module or a component: a linker "
                      "provides functions, resource types and instances only");
  wg_component_linker_delete(l);
  wg_wasm_component_delete(c);
  wg_diag_list_delete(d);
  assert_int_equal(
      wg_wasm_component_load(NULL, module, 8, &(WgWasmComponent *){ 0 }, NULL),
      WG_ERR_MISUSE);
}

static void nested_components_are_inlined(void **state) {
  (void)state;
  WgWasmComponent *c = tc_load(engine, "nested.wasm");
  /* every function of every exported instance, by full name */
  assert_int_equal(wg_wasm_component_func_count(c), 7);
  WgStr name;
  wg_wasm_component_func(c, 4, &name, NULL);
  assert_true(wg_str_eq(name, WG_STR("o#c#next")));
  WgStore *s = wg_store_new(engine);
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  WgComponentInstance *i = tc_inst(l, s, c);
  WgCVal r;
  tc_ok(i, "a#next", NULL, 0, &r);
  assert_int_equal(r.of.u, 1);
  tc_ok(i, "a-next", NULL, 0, &r); /* the same instance's function */
  assert_int_equal(r.of.u, 2);
  tc_ok(i, "b#next", NULL, 0, &r); /* a second instance, its own state */
  assert_int_equal(r.of.u, 1);
  tc_ok(i, "o#c#next", NULL, 0, &r); /* through an outer alias */
  assert_int_equal(r.of.u, 1);
  WgCResourceType *ta = wg_component_instance_resource(i, WG_STR("a#t"));
  WgCResourceType *tb = wg_component_instance_resource(i, WG_STR("b#t"));
  assert_non_null(ta);
  assert_non_null(tb);
  assert_ptr_not_equal(ta, tb);
  WgCVal v = wg_cval_u32(5);
  tc_ok(i, "b#make", &v, 1, &r);
  assert_ptr_equal(r.of.res.type, tb);
  assert_null(wg_component_instance_func(i, WG_STR("a#nope")));
  assert_null(wg_component_instance_func(i, WG_STR("")));
  /* instantiate many: a second instance starts afresh */
  WgComponentInstance *j = tc_inst(l, s, c);
  tc_ok(j, "a#next", NULL, 0, &r);
  assert_int_equal(r.of.u, 1);
  wg_wasm_component_delete(c); /* instances keep it */
  tc_ok(i, "a#next", NULL, 0, &r);
  assert_int_equal(r.of.u, 3);
  wg_component_linker_delete(l);
  wg_store_delete(s);
}

static void stores_of_another_engine_are_refused(void **state) {
  (void)state;
  WgWasmComponent *c = tc_load(engine, "nested.wasm");
  WgEngine *other = wg_engine_new(NULL);
  WgStore *s = wg_store_new(other);
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  WgDiagList *d = wg_diag_list_new();
  WgComponentInstance *i;
  assert_int_equal(wg_component_linker_instantiate(l, s, c, &i, d),
                   WG_ERR_MISUSE);
  assert_null(i);
  WgComponentLinker *lo = wg_component_linker_new(other, NULL);
  WgComponentPre *pre;
  assert_int_equal(wg_component_linker_pre(lo, c, &pre, d), WG_ERR_MISUSE);
  wg_component_linker_delete(lo);
  wg_component_linker_delete(l);
  wg_diag_list_delete(d);
  wg_store_delete(s);
  wg_engine_delete(other);
  wg_wasm_component_delete(c);
}

static void missing_imports_fail_to_link(void **state) {
  (void)state;
  /* hostile.wat with its import undefined and no stubs: unlinkable */
  WgWasmComponent *c = tc_load(engine, "hostile.wasm");
  WgStore *s = wg_store_new(engine);
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  WgDiagList *d = wg_diag_list_new();
  WgComponentInstance *i;
  assert_int_equal(wg_component_linker_instantiate(l, s, c, &i, d),
                   WG_ERR_UNLINKABLE);
  assert_string_equal(wg_diag_list_first_error(d),
                      "import `cb` (`func()`) is not defined");
  assert_string_equal(wg_diag_list_get(d, 0)->wit_path, "cb");
  wg_diag_list_delete(d);
  wg_component_linker_delete(l);
  wg_store_delete(s);
  wg_wasm_component_delete(c);
}

static void a_start_function_trap_fails_instantiation(void **state) {
  (void)state;
  WgWasmComponent *c = tc_load(engine, "start-trap.wasm");
  WgStore *s = wg_store_new(engine);
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  WgDiagList *d = wg_diag_list_new();
  WgComponentInstance *i;
  assert_int_equal(wg_component_linker_instantiate(l, s, c, &i, d),
                   WG_ERR_TRAP);
  assert_null(i);
  assert_string_equal(wg_diag_list_first_error(d),
                      "core instance 0: unreachable");
  wg_diag_list_delete(d);
  wg_component_linker_delete(l);
  wg_store_delete(s); /* frees the half-made instance */
  wg_wasm_component_delete(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(refused_input_says_why_and_where),
    cmocka_unit_test(nested_components_are_inlined),
    cmocka_unit_test(stores_of_another_engine_are_refused),
    cmocka_unit_test(missing_imports_fail_to_link),
    cmocka_unit_test(a_start_function_trap_fails_instantiation),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
