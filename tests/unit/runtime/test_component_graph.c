/* SPDX-License-Identifier: Apache-2.0 */
/* Component graphs (cgraph.c): components linked to each other at run
 * time. Imports bound to another component's export (semver-compatible)
 * and called fused; unbound imports from the host linker; a resource made
 * in one instance, passed to and dropped by another; and the refusals
 * (a name clash, a cycle, another resource behind the same signature, an
 * import nobody defines), each message naming both sides. */
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

static WgTrap *noop(void *env, WgCCall *call, const WgCVal *args, size_t n,
                    WgCVal *results, size_t nres) {
  (void)env, (void)call, (void)args, (void)n, (void)results, (void)nres;
  return NULL;
}

/* A graph of the named components (added in that order). */
static WgComponentGraph *graph_of(WgComponentLinker *host,
                                  const char *const *names, size_t n) {
  WgComponentGraph *g = wg_component_graph_new(host);
  assert_non_null(g);
  for (size_t i = 0; i < n; i++) {
    WgWasmComponent *c = tc_load(engine, names[i]);
    assert_int_equal(
        wg_component_graph_add(g, wg_str_from_cstr(names[i]), c, NULL), WG_OK);
    wg_wasm_component_delete(c); /* the graph keeps it */
  }
  return g;
}

/* Links; returns the status and the messages joined. */
static WgStatus link(WgComponentGraph *g, char *msg, size_t cap) {
  WgDiagList *d = wg_diag_list_new();
  WgStatus st = wg_component_graph_link(g, d);
  msg[0] = 0;
  size_t used = 0;
  for (size_t i = 0; i < wg_diag_list_count(d) && used + 1 < cap; i++) {
    int n = snprintf(msg + used, cap - used, "%s\n",
                     wg_diag_list_get(d, i)->message);
    if (n > 0) used += (size_t)n;
  }
  wg_diag_list_delete(d);
  return st;
}

static void contains(const char *msg, const char *want) {
  if (!strstr(msg, want)) fail_msg("`%s` lacks `%s`", msg, want);
}

static void imports_link_to_exports(void **state) {
  (void)state;
  WgComponentLinker *host = wg_component_linker_new(engine, NULL);
  assert_int_equal(wg_component_linker_define_func(host, WG_STR("tick"),
                                                   (WgStr){ 0 }, noop, NULL,
                                                   NULL, NULL),
                   WG_OK);
  const char *names[] = { "imports.wasm", "provider.wasm" };
  WgComponentGraph *g = graph_of(host, names, 2);
  char msg[2048];
  assert_int_equal(link(g, msg, sizeof msg), WG_OK);
  WgBuf b = { 0 };
  wg_component_graph_print(g, &b);
  wg_buf_append(&b, "", 1); /* NUL-terminated */
  contains((const char *)b.data, "imports.wasm: test:host/api@0.2.3 <- "
                                 "provider.wasm (test:host/api@0.2.12)");
  contains((const char *)b.data, "imports.wasm: tick <- host");
  wg_buf_free(&b);
  assert_int_equal(wg_component_graph_count(g), 2);
  /* twice: one graph, instantiated any number of times */
  for (int k = 0; k < 2; k++) {
    WgComponentInstance *insts[2];
    assert_int_equal(wg_component_graph_instantiate(g, store, insts, NULL),
                     WG_OK);
    WgCVal args[2] = { wg_cval_u32(40), wg_cval_u32(2) }, r;
    tc_ok(insts[0], "sum", args, 2, &r);
    assert_int_equal(r.of.u, 42);
    tc_ok(insts[0], "get-str", NULL, 0, &r); /* from the provider's memory */
    assert_int_equal(r.of.u, 3);
    tc_ok(insts[0], "get-list", NULL, 0, &r);
    assert_int_equal(r.of.u, 3);
    tc_ok(insts[0], "vars", NULL, 0, NULL);
    tc_ok(insts[0], "strs", NULL, 0, NULL);
  }
  /* a graph is linked once, and takes no components after */
  assert_int_equal(link(g, msg, sizeof msg), WG_ERR_MISUSE);
  WgWasmComponent *c = tc_load(engine, "provider.wasm");
  assert_int_equal(wg_component_graph_add(g, WG_STR("x"), c, NULL),
                   WG_ERR_MISUSE);
  wg_wasm_component_delete(c);
  wg_component_graph_delete(g);
  wg_component_linker_delete(host);
}

/* wg_component_graph_pre(): a pre whose instantiation makes the whole
 * graph (what a WASI host's run or serve takes); refused before linking
 * and out of range, and failing cleanly once the graph is gone. */
static void a_pre_instantiates_the_graph(void **state) {
  (void)state;
  WgComponentLinker *host = wg_component_linker_new(engine, NULL);
  assert_int_equal(wg_component_linker_define_func(host, WG_STR("tick"),
                                                   (WgStr){ 0 }, noop, NULL,
                                                   NULL, NULL),
                   WG_OK);
  const char *names[] = { "imports.wasm", "provider.wasm" };
  WgComponentGraph *g = graph_of(host, names, 2);
  WgComponentPre *pre = (WgComponentPre *)1;
  assert_int_equal(wg_component_graph_pre(g, 0, &pre, NULL), WG_ERR_MISUSE);
  assert_null(pre);
  char msg[2048];
  assert_int_equal(link(g, msg, sizeof msg), WG_OK);
  assert_int_equal(wg_component_graph_pre(g, 2, &pre, NULL), WG_ERR_MISUSE);
  assert_int_equal(wg_component_graph_pre(g, 0, &pre, NULL), WG_OK);
  for (int k = 0; k < 2; k++) { /* two stores, two sets of instances */
    WgStore *s = wg_store_new(engine);
    WgComponentInstance *inst;
    assert_int_equal(wg_component_pre_instantiate(pre, s, &inst, NULL), WG_OK);
    WgCVal args[2] = { wg_cval_u32(40), wg_cval_u32(2) }, r;
    tc_ok(inst, "sum", args, 2, &r); /* into the provider's instance */
    assert_int_equal(r.of.u, 42);
    tc_ok(inst, "get-str", NULL, 0, &r);
    assert_int_equal(r.of.u, 3);
    wg_store_delete(s);
  }
  wg_component_graph_delete(g);
  WgDiagList *d = wg_diag_list_new();
  WgComponentInstance *inst = (WgComponentInstance *)1;
  assert_int_equal(wg_component_pre_instantiate(pre, store, &inst, d),
                   WG_ERR_MISUSE);
  assert_null(inst);
  contains(wg_diag_list_get(d, 0)->message, "graph of this pre was deleted");
  wg_diag_list_delete(d);
  wg_component_pre_delete(pre);
  wg_component_linker_delete(host);
}

static void resources_cross_between_instances(void **state) {
  (void)state;
  WgComponentLinker *host = wg_component_linker_new(engine, NULL);
  const char *names[] = { "res-user.wasm", "res-store.wasm" };
  WgComponentGraph *g = graph_of(host, names, 2);
  char msg[2048];
  WgStatus st = link(g, msg, sizeof msg);
  if (st != WG_OK) fprintf(stderr, "%s", msg);
  assert_int_equal(st, WG_OK);
  WgComponentInstance *insts[2];
  assert_int_equal(wg_component_graph_instantiate(g, store, insts, NULL),
                   WG_OK);
  WgCVal r;
  /* make(41) -> own in the user; peek (borrow: the store sees 41) -> 42;
   * drop -> the store's destructor: 42 * 100 + 41 */
  tc_ok(insts[0], "run", NULL, 0, &r);
  assert_int_equal(r.of.u, 4241);
  tc_ok(insts[0], "run", NULL, 0, &r);
  assert_int_equal(r.of.u, 4282);
  wg_component_graph_delete(g);
  wg_component_linker_delete(host);
}

static void another_resource_is_refused(void **state) {
  (void)state;
  WgComponentLinkerConfig cfg = { .stub_unknown_imports = true };
  WgComponentLinker *host = wg_component_linker_new(engine, &cfg);
  const char *names[] = { "res-user-bad.wasm", "res-store.wasm" };
  WgComponentGraph *g = graph_of(host, names, 2);
  char msg[2048];
  assert_int_equal(link(g, msg, sizeof msg), WG_ERR_UNLINKABLE);
  contains(msg, "res-user-bad.wasm imports `test:res/store#make: func(v: "
                "u32) -> own<r>`; res-store.wasm exports it as `func(v: u32) "
                "-> own<resource>`, with another `r`: ");
  contains(msg, "res-user-bad.wasm's `r` is `test:res/types#r` of the host; "
                "res-store.wasm's is `test:res/store#r` of res-store.wasm");
  wg_component_graph_delete(g);
  wg_component_linker_delete(host);
}

static void name_clashes_are_refused(void **state) {
  (void)state;
  WgComponentLinker *host = wg_component_linker_new(engine, NULL);
  const char *names[] = { "imports.wasm", "provider.wasm", "provider.wasm" };
  WgComponentGraph *g = graph_of(host, names, 3);
  char msg[2048];
  assert_int_equal(link(g, msg, sizeof msg), WG_ERR_UNLINKABLE);
  contains(msg, "imports.wasm imports `test:host/api@0.2.3`, which two "
                "linked components export: provider.wasm as "
                "`test:host/api@0.2.12` and provider.wasm as "
                "`test:host/api@0.2.12` (a name clash: link one of them)");
  wg_component_graph_delete(g);
  wg_component_linker_delete(host);
}

static void cycles_are_refused(void **state) {
  (void)state;
  WgComponentLinker *host = wg_component_linker_new(engine, NULL);
  const char *names[] = { "cyc-a.wasm", "cyc-b.wasm" };
  WgComponentGraph *g = graph_of(host, names, 2);
  char msg[2048];
  assert_int_equal(link(g, msg, sizeof msg), WG_ERR_UNLINKABLE);
  contains(msg, "components import from each other in a cycle: cyc-a.wasm "
                "imports `test:cyc/b` from cyc-b.wasm, which imports "
                "`test:cyc/a` from cyc-a.wasm");
  wg_component_graph_delete(g);
  wg_component_linker_delete(host);
}

static void host_gaps_name_the_component(void **state) {
  (void)state;
  WgComponentLinker *host = wg_component_linker_new(engine, NULL);
  const char *names[] = { "imports.wasm", "provider.wasm" };
  WgComponentGraph *g = graph_of(host, names, 2);
  char msg[2048];
  assert_int_equal(link(g, msg, sizeof msg), WG_ERR_UNLINKABLE);
  contains(msg, "imports.wasm: import `tick` (`func()`) is not defined");
  WgComponentInstance *insts[2];
  assert_int_equal(wg_component_graph_instantiate(g, store, insts, NULL),
                   WG_ERR_MISUSE);
  wg_component_graph_delete(g);
  wg_component_linker_delete(host);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(imports_link_to_exports),
    cmocka_unit_test(a_pre_instantiates_the_graph),
    cmocka_unit_test(resources_cross_between_instances),
    cmocka_unit_test(another_resource_is_refused),
    cmocka_unit_test(name_clashes_are_refused),
    cmocka_unit_test(cycles_are_refused),
    cmocka_unit_test(host_gaps_name_the_component),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
