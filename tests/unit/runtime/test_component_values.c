/* SPDX-License-Identifier: Apache-2.0 */
/* Component values (cval.c): equality, checking against resolved types,
 * WAVE printing, deep copies; and the ABI descriptors (ctype.c) checked
 * against the Canonical ABI layout functions of the binary layer
 * (canon_abi.c) for every type of the test components. */
#include <math.h>

#include "component/cinternal.h"
#include "component_util.h"
#include "witgen/canon_abi.h"

static WgEngine *engine;
static WgWasmComponent *echo;

static int setup(void **state) {
  (void)state;
  engine = wg_engine_new(NULL);
  echo = tc_load(engine, "echo.wasm");
  return 0;
}

static int teardown(void **state) {
  (void)state;
  wg_wasm_component_delete(echo);
  wg_engine_delete(engine);
  return 0;
}

/* The type of parameter 0 of export `name`. */
static const WgCValTy *param_type(const char *name) {
  size_t n = wg_wasm_component_func_count(echo);
  for (size_t i = 0; i < n; i++) {
    WgStr s;
    const WgCFuncTy *t;
    wg_wasm_component_func(echo, i, &s, &t);
    if (wg_str_eq(s, wg_str_from_cstr(name))) return t->params[0];
  }
  fail_msg("no export %s", name);
  return NULL;
}

static char printed[512];

static const char *print(const WgCVal *v, const WgCValTy *t) {
  WgBuf b = { 0 };
  wg_cval_print(&b, v, t);
  snprintf(printed, sizeof printed, "%.*s", (int)b.len, b.data ? b.data : "");
  wg_buf_free(&b);
  return printed;
}

static void equality_compares_values_not_bits(void **state) {
  (void)state;
  WgCVal a = wg_cval_f64(NAN), b = wg_cval_f64(-NAN);
  assert_true(wg_cval_equal(&a, &b)); /* any NaN equals any NaN */
  a = wg_cval_f32(0.0f), b = wg_cval_f32(-0.0f);
  assert_false(wg_cval_equal(&a, &b)); /* but zeros keep their sign */
  a = wg_cval_u32(7), b = wg_cval_int(WG_CVAL_S32, 7);
  assert_false(wg_cval_equal(&a, &b)); /* kinds differ */
  WgCVal s1 = wg_cval_string("a\0b", 3), s2 = wg_cval_string("a\0c", 3);
  assert_false(wg_cval_equal(&s1, &s2));
  WgCVal items[2] = { wg_cval_u32(1), wg_cval_u32(2) };
  WgCVal items2[2] = { wg_cval_u32(1), wg_cval_u32(2) };
  WgCVal l1 = wg_cval_seq(WG_CVAL_LIST, items, 2);
  WgCVal l2 = wg_cval_seq(WG_CVAL_LIST, items2, 2);
  assert_true(wg_cval_equal(&l1, &l2));
  items2[1] = wg_cval_u32(3);
  assert_false(wg_cval_equal(&l1, &l2));
  WgCVal p1 = wg_cval_u32(5), p2 = wg_cval_u32(5);
  WgCVal o1 = wg_cval_case(WG_CVAL_OPTION, 1, &p1);
  WgCVal o2 = wg_cval_case(WG_CVAL_OPTION, 1, &p2);
  WgCVal none = wg_cval_case(WG_CVAL_OPTION, 0, NULL);
  assert_true(wg_cval_equal(&o1, &o2));
  assert_false(wg_cval_equal(&o1, &none));
}

/* wg_cval_check's verdict and its reason, appended to a WgBuf. */
static bool checked(const WgCVal *v, const WgCValTy *t, char *why, size_t n) {
  WgBuf b = { 0 };
  bool ok = wg_cval_check(v, t, &b);
  snprintf(why, n, "%.*s", (int)b.len, b.data ? b.data : "");
  wg_buf_free(&b);
  return ok;
}

static void check_names_what_is_wrong(void **state) {
  (void)state;
  const WgCValTy *rec = param_type("record"); /* {a: u8, b: u64, c: string} */
  WgCVal f[3] = { wg_cval_uint(WG_CVAL_U8, 1), wg_cval_u64(2),
                  wg_cval_string("x", 1) };
  WgCVal r = wg_cval_seq(WG_CVAL_RECORD, f, 3);
  char why[128] = "";
  bool ok = checked(&r, rec, why, sizeof why);
  if (!ok) fprintf(stderr, "why: %s\n", why);
  assert_true(ok);
  assert_string_equal(why, "");
  assert_true(wg_cval_check(&r, rec, NULL)); /* no reason wanted */
  f[1] = wg_cval_u32(2);
  assert_false(checked(&r, rec, why, sizeof why));
  assert_string_equal(why, "field `b`: expected u64, found u32");
  assert_false(wg_cval_check(&r, rec, NULL));
  f[1] = wg_cval_u64(2);
  f[0] = wg_cval_uint(WG_CVAL_U8, 256);
  assert_false(checked(&r, rec, why, sizeof why));
  assert_string_equal(why, "field `a`: u8 out of range");
  f[0] = wg_cval_uint(WG_CVAL_U8, 1);
  f[2] = wg_cval_string("\xff", 1);
  assert_false(checked(&r, rec, why, sizeof why));
  assert_string_equal(why, "field `c`: string is not UTF-8 (byte 0)");
  WgCVal two = wg_cval_seq(WG_CVAL_RECORD, f, 2);
  assert_false(checked(&two, rec, why, sizeof why));
  assert_string_equal(why, "record of 2 items where 3 are expected");
  WgCVal flags = wg_cval_flags(8); /* 3 labels */
  assert_false(checked(&flags, param_type("flags"), why, sizeof why));
  WgCVal c = wg_cval_char(0xD800);
  assert_false(checked(&c, param_type("char"), why, sizeof why));
  assert_string_equal(why, "not a Unicode scalar value: 0xd800");
  WgCVal e = wg_cval_case(WG_CVAL_ENUM, 3, NULL);
  assert_false(checked(&e, param_type("enum"), why, sizeof why));
  /* reasons nest: list item, then record field */
  f[2] = wg_cval_u32(1);
  WgCVal recs = wg_cval_seq(WG_CVAL_LIST, &r, 1);
  assert_false(checked(&recs, param_type("records"), why, sizeof why));
  assert_string_equal(why, "item 0: field `c`: expected string, found u32");
}

static void print_uses_wave_syntax(void **state) {
  (void)state;
  WgCVal f[3] = { wg_cval_uint(WG_CVAL_U8, 1), wg_cval_u64(2),
                  wg_cval_string("a\n\"b", 4) };
  WgCVal r = wg_cval_seq(WG_CVAL_RECORD, f, 3);
  assert_string_equal(print(&r, param_type("record")),
                      "{a: 1, b: 2, c: \"a\\n\\\"b\"}");
  WgCVal pay = wg_cval_f32(1.5f);
  WgCVal v = wg_cval_case(WG_CVAL_VARIANT, 1, &pay);
  assert_string_equal(print(&v, param_type("variant")), "b(1.5)");
  WgCVal e = wg_cval_case(WG_CVAL_VARIANT, 4, NULL);
  assert_string_equal(print(&e, param_type("variant")), "e");
  WgCVal fl = wg_cval_flags(5);
  assert_string_equal(print(&fl, param_type("flags")), "{x, z}");
  WgCVal en = wg_cval_case(WG_CVAL_ENUM, 1, NULL);
  assert_string_equal(print(&en, param_type("enum")), "green");
  WgCVal t[3] = { wg_cval_uint(WG_CVAL_U8, 1), wg_cval_int(WG_CVAL_S16, -2),
                  wg_cval_char('\'') };
  WgCVal tup = wg_cval_seq(WG_CVAL_TUPLE, t, 3);
  assert_string_equal(print(&tup, param_type("tuple")), "(1, -2, '\\'')");
  WgCVal five = wg_cval_u32(5);
  WgCVal some = wg_cval_case(WG_CVAL_OPTION, 1, &five);
  WgCVal none = wg_cval_case(WG_CVAL_OPTION, 0, NULL);
  assert_string_equal(print(&some, param_type("option")), "some(5)");
  assert_string_equal(print(&none, param_type("option")), "none");
  WgCVal fs[3] = { wg_cval_f64(NAN), wg_cval_f64(-INFINITY),
                   wg_cval_f64(-0.0) };
  WgCVal fl3 = wg_cval_seq(WG_CVAL_LIST, fs, 3);
  assert_string_equal(print(&fl3, NULL), "[nan, -inf, -0]");
  /* without a type, positions stand for names */
  assert_string_equal(print(&v, NULL), "#1(1.5)");
}

static void clone_is_deep_and_free_releases_it(void **state) {
  (void)state;
  char text[] = "mutable";
  WgCVal s = wg_cval_string(text, 7);
  WgCVal inner[2] = { s, wg_cval_u32(9) };
  WgCVal tup = wg_cval_seq(WG_CVAL_TUPLE, inner, 2);
  WgCVal some = wg_cval_case(WG_CVAL_OPTION, 1, &tup);
  WgCVal copy;
  assert_int_equal(wg_cval_clone(&some, &copy), WG_OK);
  assert_true(wg_cval_equal(&some, &copy));
  text[0] = 'M'; /* the copy does not share the bytes */
  assert_false(wg_cval_equal(&some, &copy));
  wg_cval_free(&copy); /* ASan: nothing leaks */
}

/* Section: descriptors against canon_abi.c */

static uint32_t resolve_any(void *ctx, const WgCResource *r) {
  (void)ctx, (void)r;
  return 0;
}

static void check_layout(const CTy *t, const WgCValTy *v) {
  assert_int_equal(t->size, wg_abi_size(&v->abi, 4));
  assert_int_equal(t->align, wg_abi_alignment(&v->abi, 4));
  WgCoreType flat[CTY_MAX_FLAT + 1];
  uint32_t n = wg_abi_flatten(&v->abi, 4, flat, CTY_MAX_FLAT + 1);
  assert_int_equal(t->flat_count, n);
  for (uint32_t i = 0; i < n && i < CTY_MAX_FLAT + 1; i++)
    assert_int_equal(t->flat[i], flat[i]);
  if (t->kind == WG_CVAL_RECORD || t->kind == WG_CVAL_TUPLE)
    for (uint32_t i = 0; i < t->count; i++)
      assert_int_equal(t->offsets[i], wg_abi_field_offset(&v->abi, i, 4));
  if (t->kind == WG_CVAL_VARIANT || t->kind == WG_CVAL_OPTION ||
      t->kind == WG_CVAL_RESULT || t->kind == WG_CVAL_ENUM)
    assert_int_equal(t->payload, wg_abi_payload_offset(&v->abi, 4));
}

static void descriptors_match_the_abi_layout(void **state) {
  (void)state;
  const char *files[] = { "echo.wasm", "imports.wasm", "resources.wasm",
                          "hostile.wasm" };
  uint32_t checked = 0;
  for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
    WgWasmComponent *c = tc_load(engine, files[k]);
    WgArena *arena = wg_arena_new(wg_allocator_default());
    CTyBuilder b;
    assert_true(wg_cty_builder_init(&b, arena));
    b.resolve = resolve_any;
    for (size_t i = 0; i < wg_wasm_component_func_count(c); i++) {
      const WgCFuncTy *f;
      wg_wasm_component_func(c, i, NULL, &f);
      const CSig *sig = wg_csig_build(&b, f);
      assert_non_null(sig);
      for (uint32_t p = 0; p < f->param_count; p++, checked++)
        check_layout(sig->params[p], f->params[p]);
      if (f->result) {
        check_layout(sig->result, f->result);
        checked++;
      }
      WgAbiFuncSig want;
      wg_cfunc_flatten(f, WG_ABI_LIFT, &want);
      assert_int_equal(sig->params_indirect, want.params_indirect);
      assert_int_equal(sig->results_indirect, want.results_indirect);
    }
    wg_arena_delete(arena);
    wg_wasm_component_delete(c);
  }
  assert_true(checked > 60);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(equality_compares_values_not_bits),
    cmocka_unit_test(check_names_what_is_wrong),
    cmocka_unit_test(print_uses_wave_syntax),
    cmocka_unit_test(clone_is_deep_and_free_releases_it),
    cmocka_unit_test(descriptors_match_the_abi_layout),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
