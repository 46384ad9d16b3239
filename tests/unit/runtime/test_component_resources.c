/* SPDX-License-Identifier: Apache-2.0 */
/* Resources (chandle.c, ccanon.c, ccall.c) with resources.wat: a host
 * resource type defined in the linker (destructor counts), a guest
 * resource with its own destructor, own and borrow both ways, handles
 * the host holds for guest resources (moved, dropped, reused slots), and
 * the handle-table cap. */
#include "component_util.h"

static WgEngine *engine;
static WgStore *store;
static WgWasmComponent *comp;

/* the host resource `r`: representations are indices into `values` */
static uint32_t values[64];
static uint32_t dropped[64], drop_count;
static WgCResourceType *r_type;

static WgTrap *r_dtor(void *env, uint32_t rep) {
  (void)env;
  dropped[drop_count++ % 64] = rep;
  return NULL;
}

static uint32_t next_rep = 1;

static WgTrap *make(void *env, WgCCall *call, const WgCVal *args, size_t n,
                    WgCVal *results, size_t nres) {
  (void)env, (void)call, (void)n, (void)nres;
  uint32_t rep = next_rep++;
  values[rep] = (uint32_t)args[0].of.u;
  results[0] = wg_cval_resource(WG_CVAL_OWN, r_type, rep);
  return NULL;
}

static WgTrap *peek(void *env, WgCCall *call, const WgCVal *args, size_t n,
                    WgCVal *results, size_t nres) {
  (void)env, (void)call, (void)n, (void)nres;
  assert_int_equal(args[0].kind, WG_CVAL_BORROW);
  assert_ptr_equal(args[0].of.res.type, r_type);
  results[0] = wg_cval_u32(values[args[0].of.res.rep]);
  return NULL;
}

static WgComponentInstance *instantiate(uint32_t max_handles) {
  WgComponentLinkerConfig cfg = { .max_handles = max_handles };
  WgComponentLinker *l = wg_component_linker_new(engine, &cfg);
  WgDiagList *d = wg_diag_list_new();
  assert_int_equal(
      wg_component_linker_define_resource(l, WG_STR("test:res/host#r"), r_dtor,
                                          NULL, NULL, &r_type, d),
      WG_OK);
  assert_int_equal(wg_component_linker_define_func(
                       l, WG_STR("test:res/host#make"),
                       WG_STR("func(v: u32) -> own<r>"), make, NULL, NULL, d),
                   WG_OK);
  assert_int_equal(
      wg_component_linker_define_func(l, WG_STR("test:res/host#peek"),
                                      WG_STR("func(x: borrow<r>) -> u32"), peek,
                                      NULL, NULL, d),
      WG_OK);
  WgComponentInstance *i = tc_inst(l, store, comp);
  /* the instance keeps the linker's definitions alive */
  wg_component_linker_delete(l);
  wg_diag_list_delete(d);
  return i;
}

static int setup(void **state) {
  (void)state;
  engine = wg_engine_new(NULL);
  store = wg_store_new(engine);
  comp = tc_load(engine, "resources.wasm");
  return 0;
}

static int teardown(void **state) {
  (void)state;
  wg_store_delete(store);
  wg_wasm_component_delete(comp);
  wg_engine_delete(engine);
  return 0;
}

static WgCVal own_r(uint32_t v) {
  uint32_t rep = next_rep++;
  values[rep] = v;
  return wg_cval_resource(WG_CVAL_OWN, r_type, rep);
}

static void host_resources_move_in_and_reach_the_destructor(void **state) {
  (void)state;
  WgComponentInstance *i = instantiate(0);
  drop_count = 0;
  WgCVal h = own_r(77), r;
  tc_ok(i, "r-use", &h, 1, &r); /* lends it to peek, then drops it */
  assert_int_equal(r.of.u, 77);
  assert_int_equal(drop_count, 1);
  assert_int_equal(dropped[0], h.of.res.rep);
  /* made by the host inside the call, passed back out */
  WgCVal v = wg_cval_u32(5);
  tc_ok(i, "r-make", &v, 1, &r);
  assert_int_equal(r.kind, WG_CVAL_OWN);
  assert_ptr_equal(r.of.res.type, r_type);
  assert_int_equal(values[r.of.res.rep], 5);
  assert_int_equal(drop_count, 1); /* moved out, not dropped */
  /* a borrow: the guest drops its borrow handle, the host's own stays */
  WgCVal b = wg_cval_resource(WG_CVAL_BORROW, r_type, h.of.res.rep);
  values[h.of.res.rep] = 9;
  tc_ok(i, "r-peek", &b, 1, &r);
  assert_int_equal(r.of.u, 9);
  assert_int_equal(drop_count, 1);
}

static void guest_resources_are_held_through_host_handles(void **state) {
  (void)state;
  WgComponentInstance *i = instantiate(0);
  WgCResourceType *g = wg_component_instance_resource(i, WG_STR("g"));
  assert_non_null(g);
  assert_null(wg_component_instance_resource(i, WG_STR("nope")));
  WgCVal v = wg_cval_u32(41), a, b, r;
  tc_ok(i, "g-new", &v, 1, &a);
  assert_int_equal(a.kind, WG_CVAL_OWN);
  assert_ptr_equal(a.of.res.type, g);
  v = wg_cval_u32(42);
  tc_ok(i, "g-new", &v, 1, &b);
  /* borrow: the implementing instance gets the representation */
  WgCVal ba = wg_cval_borrow_of(a);
  tc_ok(i, "g-get", &ba, 1, &r);
  assert_int_equal(r.of.u, 41);
  /* own moved in: the guest drops it, its destructor runs */
  tc_ok(i, "g-take", &a, 1, &r);
  assert_int_equal(r.of.u, 41);
  tc_ok(i, "g-drops", NULL, 0, &r);
  assert_int_equal(r.of.u, 1);
  /* `a` is gone: using it is misuse, and does not poison */
  assert_int_equal(tc_trap(i, "g-get", &ba, 1, "no longer holds"),
                   WG_TRAP_MISUSE);
  /* a new handle may reuse a's slot: a's value still does not reach it */
  WgCVal c;
  v = wg_cval_u32(43);
  tc_ok(i, "g-new", &v, 1, &c);
  assert_int_equal(tc_trap(i, "g-get", &ba, 1, "no longer holds"),
                   WG_TRAP_MISUSE);
  WgCVal bc = wg_cval_borrow_of(c);
  tc_ok(i, "g-get", &bc, 1, &r);
  assert_int_equal(r.of.u, 43);
  /* the host drops what it holds: the guest's destructor runs, once */
  WgTrap *t = wg_component_resource_drop(store, &b);
  assert_null(t);
  t = wg_component_resource_drop(store, &b);
  assert_non_null(t);
  assert_int_equal(wg_trap_kind(t), WG_TRAP_MISUSE);
  wg_trap_delete(t);
  assert_null(wg_component_resource_drop(store, &c));
  tc_ok(i, "g-drops", NULL, 0, &r);
  assert_int_equal(r.of.u, 3);
  assert_false(wg_component_instance_poisoned(i));
}

static void resources_of_two_instances_differ(void **state) {
  (void)state;
  WgComponentInstance *i1 = instantiate(0), *i2 = instantiate(0);
  WgCResourceType *g1 = wg_component_instance_resource(i1, WG_STR("g"));
  WgCResourceType *g2 = wg_component_instance_resource(i2, WG_STR("g"));
  assert_ptr_not_equal(g1, g2);
  WgCVal v = wg_cval_u32(1), a;
  tc_ok(i1, "g-new", &v, 1, &a);
  /* an own of instance 1's type is not an own of instance 2's */
  assert_int_equal(tc_trap(i2, "g-take", &a, 1, "where `g` is expected"),
                   WG_TRAP_MISUSE);
  WgCVal r;
  tc_ok(i1, "g-take", &a, 1, &r);
  assert_int_equal(r.of.u, 1);
}

static void handle_table_cap_traps_when_full(void **state) {
  (void)state;
  /* three own handles of `r` moved in and dropped by the guest; `fill`
   * makes g handles: with a cap of 4 the fifth traps */
  WgComponentInstance *i = instantiate(4);
  WgCVal n = wg_cval_u32(4), r;
  tc_ok(i, "fill", &n, 1, &r);
  assert_int_equal(r.of.u, 4);
  WgComponentInstance *j = instantiate(4);
  n = wg_cval_u32(5);
  tc_trap(j, "fill", &n, 1, "handle table full (4 handles");
  assert_true(wg_component_instance_poisoned(j));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(host_resources_move_in_and_reach_the_destructor),
    cmocka_unit_test(guest_resources_are_held_through_host_handles),
    cmocka_unit_test(resources_of_two_instances_differ),
    cmocka_unit_test(handle_table_cap_traps_when_full),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
