/* SPDX-License-Identifier: Apache-2.0 */
/* The Canonical ABI (ccanon.c, ccall.c) through the public API: every
 * value kind lowered from the host into a guest and lifted back (echo.wat:
 * the guest returns what it received), strings in the three encodings
 * with their code-unit counts, spilled parameters, and guest -> host calls
 * (imports.wat) where the host sees what lifting makes of fixed flat values
 * (variant payloads in joined slots) and lowering writes host results into
 * guest memory through realloc. */
#include <math.h>

#include "component_util.h"

static WgEngine *engine;
static WgStore *store;
static WgComponentLinker *linker;
static WgComponentInstance *echo;

static int setup(void **state) {
  (void)state;
  engine = wg_engine_new(NULL);
  store = wg_store_new(engine);
  linker = wg_component_linker_new(engine, NULL);
  WgWasmComponent *c = tc_load(engine, "echo.wasm");
  echo = tc_inst(linker, store, c);
  wg_wasm_component_delete(c); /* the instance keeps it */
  return 0;
}

static int teardown(void **state) {
  (void)state;
  wg_store_delete(store);
  wg_component_linker_delete(linker);
  wg_engine_delete(engine);
  return 0;
}

/* `name` gives `v` back. */
static void round_trip(const char *name, WgCVal v) {
  WgCVal r;
  tc_ok(echo, name, &v, 1, &r);
  if (!wg_cval_equal(&r, &v)) {
    WgBuf a = { 0 }, b = { 0 };
    wg_cval_print(&a, &v, NULL);
    wg_cval_print(&b, &r, NULL);
    fail_msg("%s: sent %.*s, got %.*s", name, (int)a.len, a.data, (int)b.len,
             b.data);
  }
}

static void scalars_round_trip_at_their_limits(void **state) {
  (void)state;
  round_trip("bool", wg_cval_bool(true));
  round_trip("bool", wg_cval_bool(false));
  round_trip("s8", wg_cval_int(WG_CVAL_S8, -128));
  round_trip("u8", wg_cval_uint(WG_CVAL_U8, 255));
  round_trip("s16", wg_cval_int(WG_CVAL_S16, -32768));
  round_trip("u16", wg_cval_uint(WG_CVAL_U16, 65535));
  round_trip("s32", wg_cval_s32(INT32_MIN));
  round_trip("u32", wg_cval_u32(UINT32_MAX));
  round_trip("s64", wg_cval_s64(INT64_MIN));
  round_trip("u64", wg_cval_u64(UINT64_MAX));
  round_trip("f32", wg_cval_f32(-0.0f));
  round_trip("f32", wg_cval_f32(INFINITY));
  round_trip("f32", wg_cval_f32(NAN));
  round_trip("f64", wg_cval_f64(-1e-300));
  round_trip("char", wg_cval_char(0x10FFFF));
  round_trip("char", wg_cval_char(0));
  round_trip("enum", wg_cval_case(WG_CVAL_ENUM, 2, NULL));
  round_trip("flags", wg_cval_flags(5));
}

static void nan_payloads_are_canonicalized(void **state) {
  (void)state;
  uint32_t bits = 0xFFC00123; /* a negative NaN with a payload */
  float f;
  memcpy(&f, &bits, 4);
  WgCVal v = wg_cval_f32(f), r;
  tc_ok(echo, "f32", &v, 1, &r);
  memcpy(&bits, &r.of.f32, 4);
  assert_int_equal(bits, 0x7FC00000); /* CANONICAL_FLOAT32_NAN */
}

static void strings_round_trip_in_every_encoding(void **state) {
  (void)state;
  const char *texts[] = {
    "", "hello", "h\xc3\xa9llo", "\xe2\x82\xac", "\xf0\x9f\x98\x80 x", "a\0b"
  };
  size_t lens[] = { 0, 5, 6, 3, 6, 3 };
  const char *fns[] = { "string", "string16", "string-latin1" };
  for (size_t f = 0; f < 3; f++)
    for (size_t i = 0; i < 6; i++)
      round_trip(fns[f], wg_cval_string(texts[i], lens[i]));
}

static uint32_t units(const char *fn, const char *s) {
  WgCVal v = wg_cval_string(s, strlen(s)), r;
  tc_ok(echo, fn, &v, 1, &r);
  return (uint32_t)r.of.u;
}

static void transcoding_gives_the_spec_lengths(void **state) {
  (void)state;
  /* utf16: code units, a surrogate pair for U+1F600 */
  assert_int_equal(units("units16", "h\xc3\xa9llo"), 5);
  assert_int_equal(units("units16", "\xf0\x9f\x98\x80"), 2);
  /* latin1+utf16: latin1 bytes when every code point fits, else utf16 code
   * units tagged with the high bit */
  assert_int_equal(units("units-latin1", "h\xc3\xa9llo"), 5);
  assert_int_equal(units("units-latin1", "h\xe2\x82\xac"), 2u | 0x80000000u);
  assert_int_equal(units("units-latin1", "\xf0\x9f\x98\x80"), 2u | 0x80000000u);
}

static void lists_records_and_variants_round_trip(void **state) {
  (void)state;
  uint8_t raw[300];
  WgCVal bytes[300];
  for (int i = 0; i < 300; i++) {
    raw[i] = (uint8_t)(i * 7);
    bytes[i] = wg_cval_uint(WG_CVAL_U8, raw[i]);
  }
  round_trip("bytes", wg_cval_seq(WG_CVAL_LIST, bytes, 300));
  round_trip("bytes", wg_cval_seq(WG_CVAL_LIST, NULL, 0));
  WgCVal strs[3] = { wg_cval_string("a", 1), wg_cval_string("", 0),
                     wg_cval_string("\xc3\xa9t\xc3\xa9", 5) };
  round_trip("strings", wg_cval_seq(WG_CVAL_LIST, strs, 3));
  WgCVal f1[3] = { wg_cval_uint(WG_CVAL_U8, 1), wg_cval_u64(UINT64_MAX),
                   wg_cval_string("one", 3) };
  WgCVal f2[3] = { wg_cval_uint(WG_CVAL_U8, 2), wg_cval_u64(0),
                   wg_cval_string("", 0) };
  WgCVal recs[2] = { wg_cval_seq(WG_CVAL_RECORD, f1, 3),
                     wg_cval_seq(WG_CVAL_RECORD, f2, 3) };
  round_trip("records", wg_cval_seq(WG_CVAL_LIST, recs, 2));
  round_trip("record", recs[0]);
  WgCVal p[4] = { wg_cval_u32(UINT32_MAX), wg_cval_f32(-2.5f),
                  wg_cval_u64(1ull << 63), wg_cval_f64(3.141592653589793) };
  WgCVal vars[5];
  for (uint32_t i = 0; i < 4; i++)
    vars[i] = wg_cval_case(WG_CVAL_VARIANT, i, &p[i]);
  vars[4] = wg_cval_case(WG_CVAL_VARIANT, 4, NULL);
  round_trip("variants", wg_cval_seq(WG_CVAL_LIST, vars, 5));
  for (int i = 0; i < 5; i++) /* flat: payloads in the joined i64 slot */
    round_trip("variant", vars[i]);
  WgCVal five = wg_cval_u32(5);
  round_trip("option", wg_cval_case(WG_CVAL_OPTION, 1, &five));
  round_trip("option", wg_cval_case(WG_CVAL_OPTION, 0, NULL));
  WgCVal t[3] = { wg_cval_uint(WG_CVAL_U8, 200), wg_cval_int(WG_CVAL_S16, -7),
                  wg_cval_char(0x1F600) };
  round_trip("tuple", wg_cval_seq(WG_CVAL_TUPLE, t, 3));
  WgCVal a[3] = { wg_cval_uint(WG_CVAL_U16, 1), wg_cval_uint(WG_CVAL_U16, 0),
                  wg_cval_uint(WG_CVAL_U16, 65535) };
  round_trip("fixed", wg_cval_seq(WG_CVAL_LIST, a, 3));
}

static void seventeen_parameters_are_spilled(void **state) {
  (void)state;
  WgCVal args[17];
  uint32_t sum = 0;
  for (uint32_t i = 0; i < 17; i++) {
    args[i] = wg_cval_u32(i * 1000 + 1);
    sum += i * 1000 + 1;
  }
  WgCVal r;
  tc_ok(echo, "sum17", args, 17, &r);
  assert_int_equal(r.of.u, sum);
}

static void arguments_are_checked_before_entering(void **state) {
  (void)state;
  WgCVal wrong = wg_cval_u32(1);
  assert_int_equal(tc_trap(echo, "string", &wrong, 1, "expected string"),
                   WG_TRAP_MISUSE);
  WgCVal bad = wg_cval_string("\xc3", 1);
  assert_int_equal(tc_trap(echo, "string", &bad, 1, "not UTF-8"),
                   WG_TRAP_MISUSE);
  assert_int_equal(tc_trap(echo, "u32", NULL, 0, "wrong number of arguments"),
                   WG_TRAP_MISUSE);
  /* misuse does not poison */
  assert_false(wg_component_instance_poisoned(echo));
  round_trip("u32", wg_cval_u32(3));
}

static void results_stay_valid_until_the_next_call(void **state) {
  (void)state;
  WgCVal v = wg_cval_string("kept", 4), r;
  tc_ok(echo, "string", &v, 1, &r);
  WgCVal copy;
  assert_int_equal(wg_cval_clone(&r, &copy), WG_OK);
  WgCVal w = wg_cval_string("next", 4), r2;
  tc_ok(echo, "string", &w, 1, &r2);
  assert_true(wg_cval_equal(&copy, &v));
  wg_cval_free(&copy);
}

/* Section: guest -> host (imports.wat) */

static WgCVal seen[16];
static WgCVal seen_items[16][8];
static int seen_count;

static WgTrap *record(void *env, WgCCall *call, const WgCVal *args, size_t n,
                      WgCVal *results, size_t nres) {
  (void)env, (void)call, (void)results, (void)nres;
  assert_int_equal(n, 1);
  WgCVal *copy = &seen[seen_count % 16];
  assert_int_equal(wg_cval_clone(&args[0], copy), WG_OK);
  (void)seen_items;
  seen_count++;
  return NULL;
}

static const char *give_text = "abc";

static WgTrap *give_str(void *env, WgCCall *call, const WgCVal *args, size_t n,
                        WgCVal *results, size_t nres) {
  (void)env, (void)call, (void)args, (void)n;
  assert_int_equal(nres, 1);
  results[0] = wg_cval_string(give_text, strlen(give_text));
  return NULL;
}

static WgTrap *give_list(void *env, WgCCall *call, const WgCVal *args, size_t n,
                         WgCVal *results, size_t nres) {
  (void)env, (void)args, (void)n, (void)nres;
  /* results built in the call's scratch memory */
  WgCVal *items = wg_ccall_alloc(call, 3 * sizeof *items);
  assert_non_null(items);
  items[0] = wg_cval_string("x", 1);
  items[1] = wg_cval_string("", 0);
  items[2] = wg_cval_string("12345678", 8);
  results[0] = wg_cval_seq(WG_CVAL_LIST, items, 3);
  return NULL;
}

static WgTrap *add(void *env, WgCCall *call, const WgCVal *args, size_t n,
                   WgCVal *results, size_t nres) {
  (void)env, (void)nres;
  assert_int_equal(n, 2);
  assert_string_equal(wg_ccall_name(call).ptr, "test:host/api@0.2.3#add");
  results[0] = wg_cval_u32((uint32_t)(args[0].of.u + args[1].of.u));
  return NULL;
}

static WgTrap *tick(void *env, WgCCall *call, const WgCVal *args, size_t n,
                    WgCVal *results, size_t nres) {
  (void)env, (void)call, (void)args, (void)n, (void)results, (void)nres;
  return NULL;
}

static WgComponentInstance *imports_instance(WgComponentLinker *l) {
  WgDiagList *d = wg_diag_list_new();
  const char *rec[] = { "take-var", "take-str", "take-list" };
  char name[64];
  for (int i = 0; i < 3; i++) {
    snprintf(name, sizeof name, "test:host/api@0.2.3#%s", rec[i]);
    assert_int_equal(wg_component_linker_define_func(l, wg_str_from_cstr(name),
                                                     (WgStr){ 0 }, record, NULL,
                                                     NULL, d),
                     WG_OK);
  }
  assert_int_equal(wg_component_linker_define_func(
                       l, WG_STR("test:host/api@0.2.3#give-str"),
                       WG_STR("func() -> string"), give_str, NULL, NULL, d),
                   WG_OK);
  assert_int_equal(wg_component_linker_define_func(
                       l, WG_STR("test:host/api@0.2.3#give-list"),
                       WG_STR("func() -> list<string>"), give_list, NULL, NULL,
                       d),
                   WG_OK);
  assert_int_equal(
      wg_component_linker_define_func(l, WG_STR("test:host/api@0.2.3#add"),
                                      WG_STR("func(a: u32, b: u32) -> u32"),
                                      add, NULL, NULL, d),
      WG_OK);
  assert_int_equal(wg_component_linker_define_func(l, WG_STR("tick"),
                                                   WG_STR("func()"), tick, NULL,
                                                   NULL, d),
                   WG_OK);
  wg_diag_list_delete(d);
  WgWasmComponent *c = tc_load(engine, "imports.wasm");
  WgComponentInstance *i = tc_inst(l, store, c);
  wg_wasm_component_delete(c);
  return i;
}

static void host_functions_see_lifted_values(void **state) {
  (void)state;
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  WgComponentInstance *inst = imports_instance(l);
  seen_count = 0;
  tc_ok(inst, "vars", NULL, 0, NULL);
  assert_int_equal(seen_count, 5);
  assert_int_equal(seen[0].of.cases.index, 0);
  assert_int_equal(seen[0].of.cases.payload->of.u, UINT32_MAX);
  assert_int_equal(seen[1].of.cases.index, 1);
  assert_true(seen[1].of.cases.payload->of.f32 == 1.5f);
  assert_true(seen[2].of.cases.payload->of.u == UINT64_MAX);
  assert_true(seen[3].of.cases.payload->of.f64 == 3.141592653589793);
  assert_int_equal(seen[4].of.cases.index, 4);
  assert_null(seen[4].of.cases.payload);
  for (int i = 0; i < 5; i++)
    wg_cval_free(&seen[i]);
  seen_count = 0;
  tc_ok(inst, "strs", NULL, 0, NULL);
  assert_int_equal(seen_count, 2);
  assert_int_equal(seen[0].of.str.len, 6);
  assert_memory_equal(seen[0].of.str.ptr, "h\xc3\xa9llo", 6);
  assert_int_equal(seen[1].of.str.len, 0);
  wg_cval_free(&seen[0]);
  wg_cval_free(&seen[1]);
  seen_count = 0;
  tc_ok(inst, "lists", NULL, 0, NULL);
  assert_int_equal(seen[0].of.seq.count, 3);
  assert_int_equal(seen[0].of.seq.items[2].of.u, UINT32_MAX);
  wg_cval_free(&seen[0]);
  wg_component_linker_delete(l);
}

static void host_results_are_lowered_into_the_guest(void **state) {
  (void)state;
  WgComponentLinker *l = wg_component_linker_new(engine, NULL);
  WgComponentInstance *inst = imports_instance(l);
  WgCVal r;
  tc_ok(inst, "get-str", NULL, 0, &r); /* the guest checks the bytes */
  assert_int_equal(r.of.u, 3);
  tc_ok(inst, "get-list", NULL, 0, &r);
  assert_int_equal(r.of.u, 3);
  WgCVal args[2] = { wg_cval_u32(40), wg_cval_u32(2) };
  tc_ok(inst, "sum", args, 2, &r);
  assert_int_equal(r.of.u, 42);
  /* many import calls: scratch memory is given back after each */
  WgCVal n = wg_cval_u32(100000);
  tc_ok(inst, "ticks", &n, 1, NULL);
  wg_component_linker_delete(l);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(scalars_round_trip_at_their_limits),
    cmocka_unit_test(nan_payloads_are_canonicalized),
    cmocka_unit_test(strings_round_trip_in_every_encoding),
    cmocka_unit_test(transcoding_gives_the_spec_lengths),
    cmocka_unit_test(lists_records_and_variants_round_trip),
    cmocka_unit_test(seventeen_parameters_are_spilled),
    cmocka_unit_test(arguments_are_checked_before_entering),
    cmocka_unit_test(results_stay_valid_until_the_next_call),
    cmocka_unit_test(host_functions_see_lifted_values),
    cmocka_unit_test(host_results_are_lowered_into_the_guest),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
