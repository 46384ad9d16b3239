/* SPDX-License-Identifier: Apache-2.0 */
/* Hostile components trap cleanly with a message naming what went wrong,
 * and the process goes on (issue 14, must-show 4): realloc results out of
 * bounds or misaligned, strings that are not UTF-8 or UTF-16, count x size
 * overflow, out-of-bounds return areas, bad chars and discriminants,
 * forged, dropped, double-dropped and mistyped handles, a borrow still
 * held at return, a full handle table, a trapping post-return, re-entering
 * an instance (while it runs, and after a trap poisoned it), fuel and
 * interrupts across the component boundary, and host functions that trap
 * or return bad values. Each case runs on a fresh instance. */
#include <pthread.h>
#include <time.h>

#include "component_util.h"

static WgEngine *engine;
static WgStore *store;
static WgWasmComponent *hostile, *resources, *imports;
static WgComponentLinker *linker;
static WgComponentInstance *current;
static int cb_calls, cb_mode;
static WgCResourceType *r_type;

/* the import of hostile.wat: mode 0 nothing, 1 re-enter the instance,
 * 2 interrupt the store after 100 calls, 3 trap */
static WgTrap *cb(void *env, WgCCall *call, const WgCVal *args, size_t n,
                  WgCVal *results, size_t nres) {
  (void)env, (void)args, (void)n, (void)results, (void)nres;
  cb_calls++;
  if (cb_mode == 1) {
    WgComponentFunc *f =
        wg_component_instance_func(wg_ccall_instance(call), WG_STR("boom"));
    return wg_component_func_call(f, NULL, 0, NULL, 0);
  }
  if (cb_mode == 2 && cb_calls == 100) wg_store_interrupt(wg_ccall_store(call));
  if (cb_mode == 3) return wg_trap_new("the host gives up");
  return NULL;
}

static WgTrap *peek(void *env, WgCCall *call, const WgCVal *args, size_t n,
                    WgCVal *results, size_t nres) {
  (void)env, (void)call, (void)args, (void)n, (void)nres;
  results[0] = wg_cval_u32(0);
  return NULL;
}

static WgTrap *bad_str(void *env, WgCCall *call, const WgCVal *args, size_t n,
                       WgCVal *results, size_t nres) {
  (void)env, (void)call, (void)args, (void)n, (void)nres;
  results[0] = wg_cval_string("\xc0\xaf", 2); /* an overlong '/' */
  return NULL;
}

static int setup(void **state) {
  (void)state;
  engine = wg_engine_new(NULL);
  store = wg_store_new(engine);
  hostile = tc_load(engine, "hostile.wasm");
  resources = tc_load(engine, "resources.wasm");
  imports = tc_load(engine, "imports.wasm");
  WgComponentLinkerConfig cfg = { .stub_unknown_imports = true,
                                  .max_handles = 1000 };
  linker = wg_component_linker_new(engine, &cfg);
  WgDiagList *d = wg_diag_list_new();
  assert_int_equal(wg_component_linker_define_func(linker, WG_STR("cb"),
                                                   WG_STR("func()"), cb, NULL,
                                                   NULL, d),
                   WG_OK);
  assert_int_equal(wg_component_linker_define_func(
                       linker, WG_STR("test:host/api@0.2.3#give-str"),
                       (WgStr){ 0 }, bad_str, NULL, NULL, d),
                   WG_OK);
  assert_int_equal(
      wg_component_linker_define_func(linker, WG_STR("test:res/host#peek"),
                                      (WgStr){ 0 }, peek, NULL, NULL, d),
      WG_OK);
  assert_int_equal(
      wg_component_linker_define_resource(linker, WG_STR("test:res/host#r"),
                                          NULL, NULL, NULL, &r_type, d),
      WG_OK);
  wg_diag_list_delete(d);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  wg_component_linker_delete(linker);
  wg_store_delete(store);
  wg_wasm_component_delete(hostile);
  wg_wasm_component_delete(resources);
  wg_wasm_component_delete(imports);
  wg_engine_delete(engine);
  return 0;
}

static WgComponentInstance *fresh(WgWasmComponent *c) {
  cb_calls = cb_mode = 0;
  return current = tc_inst(linker, store, c);
}

/* The export traps with `want`, and the instance is poisoned after. */
static void traps(WgWasmComponent *c, const char *fn, const WgCVal *args,
                  size_t n, const char *want) {
  WgComponentInstance *i = fresh(c);
  tc_trap(i, fn, args, n, want);
  assert_true(wg_component_instance_poisoned(i));
  tc_trap(i, fn, args, n, "cannot enter component instance");
}

static void realloc_results_are_checked(void **state) {
  (void)state;
  WgCVal s = wg_cval_string("abc", 3);
  WgCVal items[2] = { wg_cval_u32(1), wg_cval_u32(2) };
  WgCVal l = wg_cval_seq(WG_CVAL_LIST, items, 2);
  WgCVal mode = wg_cval_u32(1);
  WgComponentInstance *i = fresh(hostile);
  tc_ok(i, "set-mode", &mode, 1, NULL);
  tc_trap(i, "take-string", &s, 1,
          "realloc return: beyond end of memory (0xfffffff0 for 3 bytes");
  i = fresh(hostile);
  mode = wg_cval_u32(2);
  tc_ok(i, "set-mode", &mode, 1, NULL);
  tc_trap(i, "take-list", &l, 1,
          "realloc return: result not aligned (0x402 for alignment 4)");
}

static void strings_from_guests_are_validated(void **state) {
  (void)state;
  traps(hostile, "bad-utf8", NULL, 0, "invalid utf-8 sequence at index 0");
  traps(hostile, "cut-utf8", NULL, 0,
        "incomplete utf-8 byte sequence from index 0");
  traps(hostile, "bad-utf16", NULL, 0,
        "invalid utf-16: unpaired surrogate 0xd800 at code unit 0");
  traps(hostile, "oob-string", NULL, 0,
        "string pointer/length out of bounds of memory (0xfffa + 10 bytes, "
        "memory has 65536)");
}

static void counts_times_sizes_cannot_overflow(void **state) {
  (void)state;
  /* 2^29 u64s: 2^32 bytes, 0 in 32-bit arithmetic */
  traps(hostile, "huge-list", NULL, 0,
        "list too long (536870912 elements of 8 bytes");
  traps(hostile, "max-list", NULL, 0, "list too long (4294967295 elements");
  traps(hostile, "bad-ret-area", NULL, 0,
        "return area out of bounds of memory (0xfffc + 8 bytes");
}

static void scalars_from_guests_are_validated(void **state) {
  (void)state;
  traps(hostile, "bad-char", NULL, 0, "invalid `char` bit pattern 0xd800");
  traps(hostile, "bad-case", NULL, 0,
        "invalid variant discriminant 7 (3 cases)");
}

static void handles_are_checked(void **state) {
  (void)state;
  traps(resources, "drop-forged", NULL, 0, "unknown handle index 12345");
  traps(resources, "drop-zero", NULL, 0, "unknown handle index 0");
  WgCVal own = wg_cval_resource(WG_CVAL_OWN, r_type, 7);
  traps(resources, "drop-twice", &own, 1, "unknown handle index 1");
  traps(resources, "wrong-type", &own, 1,
        "handle index 1 used with the wrong type, expected guest-defined "
        "resource but found host-defined resource");
  WgCVal borrow = wg_cval_resource(WG_CVAL_BORROW, r_type, 7);
  traps(resources, "r-keep", &borrow, 1,
        "borrow handles still remain at the end of the call (1 not "
        "dropped)");
}

static void borrows_and_table_limits(void **state) {
  (void)state;
  WgCVal n = wg_cval_u32(1000), got;
  WgComponentInstance *i = fresh(resources);
  tc_ok(i, "fill", &n, 1, &got);
  assert_int_equal(got.of.u, 1000);
  n = wg_cval_u32(1001);
  traps(resources, "fill", &n, 1, "handle table full (1000 handles");
}

static void post_return_and_traps_poison(void **state) {
  (void)state;
  traps(hostile, "post-boom", NULL, 0, "unreachable");
  traps(hostile, "boom", NULL, 0, "unreachable");
  /* another instance of the same component is unaffected */
  WgComponentInstance *i = fresh(hostile);
  WgCVal mode = wg_cval_u32(0);
  tc_ok(i, "set-mode", &mode, 1, NULL);
}

static void reentrance_traps(void **state) {
  (void)state;
  WgComponentInstance *i = fresh(hostile);
  cb_mode = 1;
  tc_trap(i, "call-cb", NULL, 0,
          "cannot enter component instance: it is already running");
  assert_true(wg_component_instance_poisoned(i));
}

static void host_traps_and_bad_host_values_trap_the_call(void **state) {
  (void)state;
  WgComponentInstance *i = fresh(hostile);
  cb_mode = 3;
  tc_trap(i, "call-cb", NULL, 0, "the host gives up");
  i = fresh(imports);
  assert_int_equal(tc_trap(i, "get-str", NULL, 0,
                           "host function `test:host/api@0.2.3#give-str` "
                           "returned a bad value: string is not UTF-8"),
                   WG_TRAP_MISUSE);
}

static void fuel_runs_out_across_the_boundary(void **state) {
  (void)state;
  WgComponentInstance *i = fresh(hostile);
  wg_store_set_fuel(store, 100000);
  assert_int_equal(tc_trap(i, "spin", NULL, 0, "all fuel consumed"),
                   WG_TRAP_FUEL);
  /* guest -> host -> guest: the guest's loop still pays */
  i = fresh(hostile);
  wg_store_set_fuel(store, 100000);
  assert_int_equal(tc_trap(i, "spin-cb", NULL, 0, "all fuel consumed"),
                   WG_TRAP_FUEL);
  assert_true(cb_calls > 100);
  /* copying values costs fuel too: a 32 KB string with little fuel */
  static char big[32 << 10];
  memset(big, 'x', sizeof big);
  WgCVal s = wg_cval_string(big, sizeof big);
  i = fresh(hostile);
  wg_store_set_fuel(store, 100);
  assert_int_equal(tc_trap(i, "take-string", &s, 1, "all fuel consumed"),
                   WG_TRAP_FUEL);
  wg_store_set_fuel(store, 0); /* metering off again */
  i = fresh(hostile);
  tc_ok(i, "take-string", &s, 1, NULL);
}

static void *interrupt_later(void *arg) {
  struct timespec ts = { 0, 20 * 1000 * 1000 };
  nanosleep(&ts, NULL);
  wg_store_interrupt(arg);
  return NULL;
}

static void interrupts_stop_guests_across_the_boundary(void **state) {
  (void)state;
  WgComponentInstance *i = fresh(hostile);
  cb_mode = 2; /* the host interrupts from inside its function */
  assert_int_equal(tc_trap(i, "spin-cb", NULL, 0, "interrupted"),
                   WG_TRAP_INTERRUPT);
  wg_store_clear_interrupt(store);
  i = fresh(hostile); /* from another thread */
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, interrupt_later, store), 0);
  assert_int_equal(tc_trap(i, "spin", NULL, 0, "interrupted"),
                   WG_TRAP_INTERRUPT);
  pthread_join(th, NULL);
  wg_store_clear_interrupt(store);
  /* the store goes on */
  i = fresh(hostile);
  WgCVal mode = wg_cval_u32(0);
  tc_ok(i, "set-mode", &mode, 1, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(realloc_results_are_checked),
    cmocka_unit_test(strings_from_guests_are_validated),
    cmocka_unit_test(counts_times_sizes_cannot_overflow),
    cmocka_unit_test(scalars_from_guests_are_validated),
    cmocka_unit_test(handles_are_checked),
    cmocka_unit_test(borrows_and_table_limits),
    cmocka_unit_test(post_return_and_traps_poison),
    cmocka_unit_test(reentrance_traps),
    cmocka_unit_test(host_traps_and_bad_host_values_trap_the_call),
    cmocka_unit_test(fuel_runs_out_across_the_boundary),
    cmocka_unit_test(interrupts_stop_guests_across_the_boundary),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
