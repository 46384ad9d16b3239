/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the Canonical ABI at the level of core values
 * (witgen/component_abi.h, runtime/src/component/cabi.c), the runtime half
 * of the typed host bindings, on the test components of
 * tests/unit/runtime/components, with lowering and lifting written here by
 * hand as generated code writes them: finding exports (exact and
 * semver-compatible names, type checks naming both types), calls with
 * strings in the three encodings, a bad value from the host (a misuse that
 * does not poison), hostile guests (realloc out of bounds or misaligned,
 * invalid UTF-16, return areas out of bounds, trapping post-return,
 * reentrance, fuel), host functions defined at the level of core values
 * (semver-compatible definitions, signatures checked at link time,
 * strings both ways, the call's name), and handle positions. */
#include "component_util.h"
#include "witgen/component_abi.h"

static WgEngine *engine;

static int setup(void **state) {
  (void)state;
  engine = wg_engine_new(NULL);
  return engine ? 0 : 1;
}

static int teardown(void **state) {
  (void)state;
  wg_engine_delete(engine);
  return 0;
}

/* A new instance of `name` linked by `l` (NULL: an empty linker that
 * stubs everything) in `store`. */
static WgComponentInstance *inst_of(WgWasmComponent *c, WgStore *store,
                                    WgComponentLinker *l) {
  WgComponentLinkerConfig cfg = { .stub_unknown_imports = true };
  WgComponentLinker *own = l ? NULL : wg_component_linker_new(engine, &cfg);
  WgComponentInstance *i = tc_inst(l ? l : own, store, c);
  wg_component_linker_delete(own);
  return i;
}

static WgComponentFunc *export_of(WgComponentInstance *i, const char *name,
                                  const char *type) {
  WgComponentFunc *f = NULL;
  WgDiagList *d = wg_diag_list_new();
  WgStatus st =
      wg_cabi_export(i, wg_str_from_cstr(name), wg_str_from_cstr(type), &f, d);
  if (st != WG_OK) wg_diag_list_print(d, stderr);
  assert_int_equal(st, WG_OK);
  wg_diag_list_delete(d);
  return f;
}

/* Section: finding exports */

static void export_names_versions_and_types(void **state) {
  (void)state;
  WgWasmComponent *c = tc_load(engine, "provider.wasm");
  WgStore *s = wg_store_new(engine);
  WgComponentInstance *i = inst_of(c, s, NULL);
  const char *add = "func(a: u32, b: u32) -> u32";
  WgComponentFunc *exact = export_of(i, "test:host/api@0.2.12#add", add);
  /* an older compatible version finds the one exported */
  assert_ptr_equal(export_of(i, "test:host/api@0.2.3#add", add), exact);
  WgDiagList *d = wg_diag_list_new();
  WgComponentFunc *f = (WgComponentFunc *)1;
  assert_int_equal(wg_cabi_export(i, WG_STR("test:host/api@0.3.0#add"),
                                  wg_str_from_cstr(add), &f, d),
                   WG_ERR_UNLINKABLE);
  assert_null(f);
  assert_non_null(strstr(wg_diag_list_first_error(d), "exports no function"));
  wg_diag_list_delete(d);
  d = wg_diag_list_new();
  assert_int_equal(wg_cabi_export(i, WG_STR("test:host/api@0.2.12#add"),
                                  WG_STR("func(a: u32, b: u32) -> string"), &f,
                                  d),
                   WG_ERR_UNLINKABLE);
  const char *msg = wg_diag_list_first_error(d);
  assert_non_null(strstr(msg, "func(a: u32, b: u32) -> u32"));
  assert_non_null(strstr(msg, "the bindings expect `func(a: u32, b: u32) -> "
                              "string`: result: string where"));
  wg_diag_list_delete(d);
  d = wg_diag_list_new();
  assert_int_equal(wg_cabi_export(i, WG_STR("test:host/api@0.2.12#add"),
                                  WG_STR("func(a: u32"), &f, d),
                   WG_ERR_INVALID);
  wg_diag_list_delete(d);
  wg_store_delete(s);
  wg_wasm_component_delete(c);
}

/* Section: calls */

/* A string in, a string out (echo.wat's string exports). */
typedef struct StrCall {
  const char *in;
  size_t in_len;
  uint8_t *out;
  size_t out_len;
  uint32_t units; /* the core value of the string's length */
} StrCall;

static bool lower_str(WgCAbiCx *cx, void *data, WgVal *flat, uint32_t *n) {
  StrCall *c = data;
  uint32_t p, units;
  if (!wg_cabi_lower_string(cx, (const uint8_t *)c->in, c->in_len, &p, &units))
    return false;
  c->units = units;
  flat[0] = wg_val_i32((int32_t)p);
  flat[1] = wg_val_i32((int32_t)units);
  *n = 2;
  return true;
}

static bool lift_str(WgCAbiCx *cx, void *data, const WgVal *flat) {
  StrCall *c = data;
  uint8_t *area;
  if (!wg_cabi_view(cx, (uint32_t)flat[0].of.i32, 8, 4, "return area", &area))
    return false;
  uint32_t p, n;
  memcpy(&p, area, 4);
  memcpy(&n, area + 4, 4);
  return wg_cabi_lift_string(cx, p, n, &c->out, &c->out_len);
}

static bool lift_u32(WgCAbiCx *cx, void *data, const WgVal *flat) {
  (void)cx;
  ((StrCall *)data)->units = (uint32_t)flat[0].of.i32;
  return true;
}

static void strings_in_three_encodings(void **state) {
  (void)state;
  WgWasmComponent *c = tc_load(engine, "echo.wasm");
  WgStore *s = wg_store_new(engine);
  WgComponentInstance *i = inst_of(c, s, NULL);
  const char *sig = "func(v: string) -> string";
  const char *names[] = { "string", "string16", "string-latin1" };
  const char *texts[] = {
    "", "naïve", "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9f\x98\x80"
  };
  for (size_t e = 0; e < 3; e++) {
    WgComponentFunc *f = export_of(i, names[e], sig);
    for (size_t k = 0; k < 3; k++) {
      StrCall call = { texts[k], strlen(texts[k]), NULL, 0, 0 };
      WgTrap *t = wg_cabi_call(f, lower_str, lift_str, &call);
      if (t) fail_msg("%s(%s): %s", names[e], texts[k], wg_trap_message(t));
      assert_int_equal(call.out_len, call.in_len);
      assert_memory_equal(call.out, call.in, call.in_len);
      free(call.out);
    }
  }
  /* the core lengths are code units: UTF-16 counts the emoji twice, and
   * latin1+utf16 tags a string it had to inflate */
  WgComponentFunc *u16 = export_of(i, "units16", "func(v: string) -> u32");
  StrCall call = { texts[2], strlen(texts[2]), NULL, 0, 0 };
  assert_null(wg_cabi_call(u16, lower_str, lift_u32, &call));
  assert_int_equal(call.units, 16);
  WgComponentFunc *l1 = export_of(i, "units-latin1", "func(v: string) -> u32");
  call = (StrCall){ texts[1], strlen(texts[1]), NULL, 0, 0 };
  assert_null(wg_cabi_call(l1, lower_str, lift_u32, &call));
  assert_int_equal(call.units, 5); /* latin1: one byte each */
  call = (StrCall){ texts[2], strlen(texts[2]), NULL, 0, 0 };
  assert_null(wg_cabi_call(l1, lower_str, lift_u32, &call));
  assert_int_equal(call.units, 0x80000000u | 16);
  wg_store_delete(s);
  wg_wasm_component_delete(c);
}

/* A string that is not UTF-8 from the host: WG_TRAP_MISUSE, and the
 * instance is still usable. */
static void host_misuse_does_not_poison(void **state) {
  (void)state;
  WgWasmComponent *c = tc_load(engine, "echo.wasm");
  WgStore *s = wg_store_new(engine);
  WgComponentInstance *i = inst_of(c, s, NULL);
  WgComponentFunc *f = export_of(i, "string", "func(v: string) -> string");
  StrCall bad = { "a\xff", 2, NULL, 0, 0 };
  WgTrap *t = wg_cabi_call(f, lower_str, lift_str, &bad);
  assert_non_null(t);
  assert_int_equal(wg_trap_kind(t), WG_TRAP_MISUSE);
  assert_non_null(strstr(wg_trap_message(t), "not UTF-8 (byte 1)"));
  wg_trap_delete(t);
  assert_false(wg_component_instance_poisoned(i));
  StrCall good = { "ok", 2, NULL, 0, 0 };
  assert_null(wg_cabi_call(f, lower_str, lift_str, &good));
  assert_memory_equal(good.out, "ok", 2);
  free(good.out);
  wg_store_delete(s);
  wg_wasm_component_delete(c);
}

/* Section: hostile guests (hostile.wat) */

static bool lower_u32(WgCAbiCx *cx, void *data, WgVal *flat, uint32_t *n) {
  (void)cx;
  uint32_t value = *(uint32_t *)data;
  flat[0] = wg_val_i32((int32_t)value);
  *n = 1;
  return true;
}

static bool lower_none(WgCAbiCx *cx, void *data, WgVal *flat, uint32_t *n) {
  (void)cx, (void)data, (void)flat;
  *n = 0;
  return true;
}

/* list<u32> [1, 2] */
static bool lower_list32(WgCAbiCx *cx, void *data, WgVal *flat, uint32_t *n) {
  (void)data;
  uint32_t p;
  uint8_t *m;
  const uint32_t items[2] = { 1, 2 };
  if (!wg_cabi_lower_list(cx, 2, 4, 4, &p) ||
      !wg_cabi_view(cx, p, 8, 4, "list", &m))
    return false;
  memcpy(m, items, 8);
  flat[0] = wg_val_i32((int32_t)p);
  flat[1] = wg_val_i32(2);
  *n = 2;
  return true;
}

static bool lift_area_str(WgCAbiCx *cx, void *data, const WgVal *flat) {
  return lift_str(cx, data, flat);
}

/* A list<u64> result: the list's view, then a copy. */
static bool lift_list64(WgCAbiCx *cx, void *data, const WgVal *flat) {
  (void)data;
  uint8_t *area;
  const uint8_t *items;
  if (!wg_cabi_view(cx, (uint32_t)flat[0].of.i32, 8, 4, "return area", &area))
    return false;
  uint32_t p, n;
  memcpy(&p, area, 4);
  memcpy(&n, area + 4, 4);
  return wg_cabi_lift_list(cx, p, n, 8, 8, &items);
}

static WgTrap *hostile_call(const char *name, const char *sig, uint32_t mode,
                            WgCAbiLowerFn lower, WgCAbiLiftFn lift,
                            bool *poisoned) {
  WgWasmComponent *c = tc_load(engine, "hostile.wasm");
  WgStore *s = wg_store_new(engine);
  WgComponentInstance *i = inst_of(c, s, NULL);
  WgComponentFunc *set = export_of(i, "set-mode", "func(m: u32)");
  assert_null(wg_cabi_call(set, lower_u32, NULL, &mode));
  WgComponentFunc *f = export_of(i, name, sig);
  StrCall call = { "hello", 5, NULL, 0, 0 };
  WgTrap *t = wg_cabi_call(f, lower, lift, &call);
  free(call.out);
  *poisoned = wg_component_instance_poisoned(i);
  wg_store_delete(s);
  wg_wasm_component_delete(c);
  return t;
}

static void expect_trap(WgTrap *t, const char *want) {
  if (!t) fail_msg("no trap where `%s` is expected", want);
  if (!strstr(wg_trap_message(t), want))
    fail_msg("trap `%s` does not say `%s`", wg_trap_message(t), want);
  wg_trap_delete(t);
}

static void hostile_guests_trap(void **state) {
  (void)state;
  bool poisoned;
  /* realloc out of bounds, then misaligned, while lowering a string */
  expect_trap(hostile_call("take-string", "func(s: string)", 1, lower_str, NULL,
                           &poisoned),
              "realloc return: beyond end of memory");
  assert_true(poisoned);
  expect_trap(hostile_call("take-list", "func(l: list<u32>)", 2, lower_list32,
                           NULL, &poisoned),
              "realloc return: result not aligned (0x402 for alignment 4)");
  const char *str = "func() -> string";
  expect_trap(
      hostile_call("bad-utf8", str, 0, lower_none, lift_area_str, &poisoned),
      "invalid utf-8 sequence at index 0");
  expect_trap(
      hostile_call("cut-utf8", str, 0, lower_none, lift_area_str, &poisoned),
      "incomplete utf-8 byte sequence from index 0");
  expect_trap(
      hostile_call("bad-utf16", str, 0, lower_none, lift_area_str, &poisoned),
      "invalid utf-16: unpaired surrogate 0xd800 at code unit 0");
  expect_trap(
      hostile_call("oob-string", str, 0, lower_none, lift_area_str, &poisoned),
      "string pointer/length out of bounds of memory (0xfffa");
  expect_trap(hostile_call("bad-ret-area", str, 0, lower_none, lift_area_str,
                           &poisoned),
              "return area out of bounds of memory (0xfffc + 8 bytes");
  expect_trap(hostile_call("huge-list", "func() -> list<u64>", 0, lower_none,
                           lift_list64, &poisoned),
              "list too long (536870912 elements of 8 bytes");
  expect_trap(hostile_call("post-boom", "func() -> u32", 0, lower_none,
                           lift_u32, &poisoned),
              "unreachable");
  assert_true(poisoned);
}

/* hostile.wat's `cb` import, at the level of core values: re-enters the
 * instance that called it (through the typed path), or does nothing. */
static int cb_mode;
static WgTrap *cb(void *env, WgCAbiCx *cx, const WgVal *args, WgVal *results) {
  (void)env, (void)args, (void)results;
  if (cb_mode != 1) return NULL;
  WgComponentInstance *i = wg_ccall_instance(wg_cabi_ccall(cx));
  WgComponentFunc *f = wg_component_instance_func(i, WG_STR("boom"));
  return wg_cabi_call(f, lower_none, NULL, NULL);
}

static void reentrance_and_fuel(void **state) {
  (void)state;
  WgWasmComponent *c = tc_load(engine, "hostile.wasm");
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  assert_int_equal(wg_component_linker_define_abi(
                       l, WG_STR("cb"), WG_STR("func()"), cb, NULL, NULL, NULL),
                   WG_OK);
  WgStore *s = wg_store_new(engine);
  WgComponentInstance *i = inst_of(c, s, l);
  cb_mode = 1;
  WgTrap *t =
      wg_cabi_call(export_of(i, "call-cb", "func()"), lower_none, NULL, NULL);
  expect_trap(t, "cannot enter component instance");
  cb_mode = 0;
  /* fuel runs out in a loop calling the host, across the boundary */
  i = inst_of(c, s, l);
  wg_store_set_fuel(s, 100000);
  t = wg_cabi_call(export_of(i, "spin-cb", "func()"), lower_none, NULL, NULL);
  assert_non_null(t);
  assert_int_equal(wg_trap_kind(t), WG_TRAP_FUEL);
  wg_trap_delete(t);
  wg_store_delete(s);
  wg_component_linker_delete(l);
  wg_wasm_component_delete(c);
}

/* Section: host functions at the level of core values (imports.wat) */

static char seen[8][64];
static int seen_count;

/* take-str(s: string): flat (ptr, len) */
static WgTrap *take_str(void *env, WgCAbiCx *cx, const WgVal *args,
                        WgVal *results) {
  (void)env, (void)results;
  uint8_t *s;
  size_t n;
  if (!wg_cabi_lift_string(cx, (uint32_t)args[0].of.i32,
                           (uint32_t)args[1].of.i32, &s, &n))
    return wg_cabi_take_trap(cx);
  WgStr name = wg_ccall_name(wg_cabi_ccall(cx));
  snprintf(seen[seen_count++ % 8], 64, "%.*s|%.*s", (int)n, (char *)s,
           (int)name.len, name.ptr);
  free(s);
  return NULL;
}

/* give-str() -> string: through the return pointer */
static WgTrap *give_str(void *env, WgCAbiCx *cx, const WgVal *args,
                        WgVal *results) {
  (void)env, (void)results;
  uint32_t p, n, rp = (uint32_t)args[0].of.i32;
  uint8_t *area;
  if (!wg_cabi_lower_string(cx, (const uint8_t *)"abc", 3, &p, &n) ||
      !wg_cabi_view(cx, rp, 8, 4, "return area", &area))
    return wg_cabi_take_trap(cx);
  memcpy(area, &p, 4);
  memcpy(area + 4, &n, 4);
  return NULL;
}

static WgTrap *add(void *env, WgCAbiCx *cx, const WgVal *args, WgVal *results) {
  (void)env, (void)cx;
  results[0] = wg_val_i32(args[0].of.i32 + args[1].of.i32);
  return NULL;
}

/* A handle position the function's type does not have. */
static WgTrap *bad_k(void *env, WgCAbiCx *cx, const WgVal *args,
                     WgVal *results) {
  (void)env, (void)args, (void)results;
  WgCAbiHandle h;
  if (!wg_cabi_lift_handle(cx, 0, 1, &h)) return wg_cabi_take_trap(cx);
  return NULL;
}

static WgStatus define(WgComponentLinker *l, const char *name, const char *type,
                       WgCAbiHostFn fn, WgDiagList *d) {
  return wg_component_linker_define_abi(
      l, wg_str_from_cstr(name), wg_str_from_cstr(type), fn, NULL, NULL, d);
}

static void host_functions(void **state) {
  (void)state;
  WgWasmComponent *c = tc_load(engine, "imports.wasm");
  WgComponentLinkerConfig cfg = { .stub_unknown_imports = true };
  WgComponentLinker *l = wg_component_linker_new(engine, &cfg);
  WgDiagList *d = wg_diag_list_new();
  /* defined at 0.2.9: serves the import of 0.2.3 */
  assert_int_equal(
      define(l, "test:host/api@0.2.9#take-str", "func(s: string)", take_str, d),
      WG_OK);
  assert_int_equal(define(l, "test:host/api@0.2.9#give-str", "func() -> string",
                          give_str, d),
                   WG_OK);
  assert_int_equal(define(l, "test:host/api@0.2.9#add",
                          "func(a: u32, b: u32) -> u32", add, d),
                   WG_OK);
  assert_int_equal(define(l, "tick", "func()", bad_k, d), WG_OK);
  WgStore *s = wg_store_new(engine);
  WgComponentInstance *i = tc_inst(l, s, c);
  WgCVal args[2] = { wg_cval_u32(40), wg_cval_u32(2) }, r;
  tc_ok(i, "sum", args, 2, &r);
  assert_int_equal(r.of.u, 42);
  seen_count = 0;
  tc_ok(i, "strs", NULL, 0, NULL);
  assert_int_equal(seen_count, 2);
  assert_string_equal(seen[0], "h\xc3\xa9llo|test:host/api@0.2.3#take-str");
  assert_string_equal(seen[1], "|test:host/api@0.2.3#take-str");
  tc_ok(i, "get-str", NULL, 0, &r);
  assert_int_equal(r.of.u, 3); /* the guest checked the bytes too */
  WgCVal n = wg_cval_u32(1);
  WgTrap *t = tc_call(i, "ticks", &n, 1, NULL);
  expect_trap(t, "the function's type has no handle type 0");
  wg_store_delete(s);
  /* a signature that differs is refused at link time, naming both */
  WgComponentLinker *l2 = wg_component_linker_new(engine, &cfg);
  assert_int_equal(define(l2, "test:host/api@0.2.3#add",
                          "func(a: u32, b: u32) -> string", add, d),
                   WG_OK);
  WgComponentPre *pre = NULL;
  wg_diag_list_delete(d);
  d = wg_diag_list_new();
  assert_int_equal(wg_component_linker_pre(l2, c, &pre, d), WG_ERR_UNLINKABLE);
  assert_non_null(strstr(wg_diag_list_first_error(d),
                         "import `test:host/api@0.2.3#add` expects `func(a: "
                         "u32, b: u32) -> u32`"));
  /* no type, a malformed type: refused at definition */
  assert_int_equal(define(l2, "x", "", add, d), WG_ERR_MISUSE);
  assert_int_equal(define(l2, "x", "func(", add, d), WG_ERR_INVALID);
  wg_component_linker_delete(l2);
  wg_component_linker_delete(l);
  wg_diag_list_delete(d);
  wg_wasm_component_delete(c);
}

/* env_free runs when a definition fails, and when the last user is
 * gone. */
static int freed;
static void count_free(void *p) {
  (void)p;
  freed++;
}

static void env_ownership(void **state) {
  (void)state;
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  freed = 0;
  assert_int_equal(wg_component_linker_define_abi(l, WG_STR("f"),
                                                  WG_STR("func("), add, &freed,
                                                  count_free, NULL),
                   WG_ERR_INVALID);
  assert_int_equal(freed, 1);
  assert_int_equal(wg_component_linker_define_abi(l, WG_STR("f"),
                                                  WG_STR("func()"), add, &freed,
                                                  count_free, NULL),
                   WG_OK);
  assert_int_equal(freed, 1);
  wg_component_linker_delete(l);
  assert_int_equal(freed, 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(export_names_versions_and_types),
    cmocka_unit_test(strings_in_three_encodings),
    cmocka_unit_test(host_misuse_does_not_poison),
    cmocka_unit_test(hostile_guests_trap),
    cmocka_unit_test(reentrance_and_fuel),
    cmocka_unit_test(host_functions),
    cmocka_unit_test(env_ownership),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
