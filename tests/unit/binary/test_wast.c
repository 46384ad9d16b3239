/* SPDX-License-Identifier: Apache-2.0 */
/* Spec-test scripts read into commands (binary/src/text/wast.c): command
 * kinds, lines, module forms (text, binary, quote, definition), values with
 * NaN patterns and vector lanes, component values kept as text, and a
 * script that is the fields of one module. The script syntax is the spec
 * interpreter's (and wasm-tools' `wast` crate's). */
#include "cmocka_all.h"

#include <string.h>

#include "witgen/wat.h"

static WgWast *parse_ok(const char *text) {
  WgWast *w = NULL;
  WgDiagList *d = wg_diag_list_new();
  WgStatus st = wg_wast_parse(wg_str_from_cstr(text), "t.wast", d, &w);
  if (st != WG_OK) fail_msg("%s", wg_diag_list_first_error(d));
  wg_diag_list_delete(d);
  return w;
}

static bool str_is(WgStr s, const char *lit) {
  return s.len == strlen(lit) && memcmp(s.ptr, lit, s.len) == 0;
}

static void test_commands_and_lines(void **state) {
  (void)state;
  WgWast *w = parse_ok(
      "(module $a (func (export \"f\") (result i32) (i32.const 7)))\n"
      "(register \"m\" $a)\n"
      "(assert_return (invoke $a \"f\") (i32.const 7))\n"
      "(assert_trap (invoke \"f\" (i64.const -1)) \"unreachable\")\n"
      "(assert_malformed (module quote \"(func i32.nope)\") \"unknown\")\n"
      "(assert_invalid (module binary \"\\00asm\\01\\00\\00\\00\") \"x\")\n"
      "(module definition $d (memory 1))\n"
      "(module instance $i $d)\n"
      "(get \"g\")\n"
      "(assert_exception (invoke \"f\"))\n");
  assert_int_equal(wg_wast_count(w), 10);
  static const WgWastKind kinds[] = {
    WG_WAST_MODULE,
    WG_WAST_REGISTER,
    WG_WAST_ASSERT_RETURN,
    WG_WAST_ASSERT_TRAP,
    WG_WAST_ASSERT_MALFORMED,
    WG_WAST_ASSERT_INVALID,
    WG_WAST_MODULE_DEFINITION,
    WG_WAST_MODULE_INSTANCE,
    WG_WAST_ACTION,
    WG_WAST_OTHER,
  };
  for (size_t i = 0; i < 10; i++) {
    const WgWastCommand *c = wg_wast_command(w, i);
    assert_int_equal(c->kind, kinds[i]);
    assert_int_equal(c->line, i + 1);
  }
  const WgWastCommand *m = wg_wast_command(w, 0);
  assert_true(str_is(m->module.id, "a"));
  assert_int_equal(m->module.status, WG_OK);
  assert_true(m->module.len > 8);
  const WgWastCommand *reg = wg_wast_command(w, 1);
  assert_true(str_is(reg->register_as, "m"));
  assert_true(str_is(reg->module.id, "a"));
  const WgWastCommand *ret = wg_wast_command(w, 2);
  assert_true(str_is(ret->action.module, "a"));
  assert_true(str_is(ret->action.name, "f"));
  assert_int_equal(ret->result_count, 1);
  assert_int_equal(ret->results[0].kind, WG_WAST_I32);
  assert_int_equal(ret->results[0].bits, 7);
  const WgWastCommand *trap = wg_wast_command(w, 3);
  assert_true(trap->has_action);
  assert_int_equal(trap->action.arg_count, 1);
  assert_int_equal(trap->action.args[0].bits, UINT64_MAX);
  assert_true(str_is(trap->text, "unreachable"));
  /* the quoted text does not parse: kept with its error */
  const WgWastCommand *bad = wg_wast_command(w, 4);
  assert_true(bad->module.is_quote);
  assert_int_equal(bad->module.status, WG_ERR_MALFORMED);
  assert_non_null(strstr(bad->module.error, "unknown operator"));
  const WgWastCommand *bin = wg_wast_command(w, 5);
  assert_true(bin->module.is_binary);
  assert_int_equal(bin->module.len, 8);
  const WgWastCommand *inst = wg_wast_command(w, 7);
  assert_true(str_is(inst->instance, "i"));
  assert_true(str_is(inst->module.id, "d"));
  assert_true(wg_wast_command(w, 8)->action.is_get);
  assert_true(str_is(wg_wast_command(w, 9)->name, "assert_exception"));
  wg_wast_delete(w);
}

static void test_values(void **state) {
  (void)state;
  WgWast *w = parse_ok(
      "(assert_return (invoke \"f\" (f32.const -0x1p-1) (ref.null extern)\n"
      "  (ref.extern 3) (v128.const i16x8 -1 0 1 2 3 4 5 65535))\n"
      "  (f32.const nan:canonical) (f64.const nan:arithmetic)\n"
      "  (v128.const f32x4 nan:canonical 1 -inf nan:arithmetic)\n"
      "  (ref.extern) (ref.func) (ref.null func)\n"
      "  (str.const \"hi\") (record.const (field \"a\" (u8.const 1))))\n");
  const WgWastCommand *c = wg_wast_command(w, 0);
  const WgWastValue *a = c->action.args;
  assert_int_equal(c->action.arg_count, 4);
  assert_int_equal(a[0].kind, WG_WAST_F32);
  assert_int_equal(a[0].bits, 0xbf000000u);
  assert_int_equal(a[1].kind, WG_WAST_REF_NULL);
  assert_int_equal(a[1].heap, 0x6f);
  assert_int_equal(a[2].kind, WG_WAST_REF_EXTERN);
  assert_int_equal(a[2].bits, 3);
  assert_int_equal(a[3].kind, WG_WAST_V128);
  assert_int_equal(a[3].lane_bits, 16);
  static const uint8_t lanes[16] = { 0xff, 0xff, 0, 0, 1, 0, 2,    0,
                                     3,    0,    4, 0, 5, 0, 0xff, 0xff };
  assert_memory_equal(a[3].v128, lanes, 16);
  const WgWastValue *r = c->results;
  assert_int_equal(c->result_count, 8);
  assert_int_equal(r[0].nan, WG_WAST_NAN_CANONICAL);
  assert_int_equal(r[1].nan, WG_WAST_NAN_ARITHMETIC);
  assert_true(r[2].lane_float);
  assert_int_equal(r[2].lane_nan[0], WG_WAST_NAN_CANONICAL);
  assert_int_equal(r[2].lane_nan[1], WG_WAST_NAN_NONE);
  assert_int_equal(r[2].lane_nan[3], WG_WAST_NAN_ARITHMETIC);
  assert_int_equal(r[3].kind, WG_WAST_REF_EXTERN);
  assert_false(r[3].has_bits);
  assert_int_equal(r[4].kind, WG_WAST_REF_FUNC);
  assert_int_equal(r[5].heap, 0x70);
  assert_int_equal(r[6].kind, WG_WAST_COMPONENT);
  assert_true(str_is(r[6].text, "(str.const \"hi\")"));
  assert_int_equal(r[7].kind, WG_WAST_COMPONENT);
  wg_wast_delete(w);
}

/* A script of just module fields is one module (inline-module.wast). */
static void test_fields_only_script(void **state) {
  (void)state;
  WgWast *w = parse_ok("(func) (memory 0) (func (export \"f\"))\n");
  assert_int_equal(wg_wast_count(w), 1);
  assert_int_equal(wg_wast_command(w, 0)->kind, WG_WAST_MODULE);
  assert_int_equal(wg_wast_command(w, 0)->module.status, WG_OK);
  wg_wast_delete(w);
}

static void test_components(void **state) {
  (void)state;
  WgWast *w = parse_ok(
      "(component definition $C (import \"x\" (func)))\n"
      "(component instance $c $C)\n"
      "(assert_invalid (component (export \"a\" (func 9))) \"out of bounds\")\n"
      "(assert_malformed (component quote \"(export)\") \"expected\")\n");
  assert_int_equal(wg_wast_count(w), 4);
  const WgWastCommand *def = wg_wast_command(w, 0);
  assert_true(def->module.is_component);
  assert_int_equal(def->module.status, WG_OK);
  assert_int_equal(def->module.bytes[6], 1); /* component layer */
  assert_int_equal(wg_wast_command(w, 2)->module.status, WG_OK);
  assert_int_equal(wg_wast_command(w, 3)->module.status, WG_ERR_MALFORMED);
  wg_wast_delete(w);
}

static void test_malformed_script(void **state) {
  (void)state;
  WgWast *w = NULL;
  WgDiagList *d = wg_diag_list_new();
  assert_int_equal(wg_wast_parse(WG_STR("(register 5)"), "s.wast", d, &w),
                   WG_ERR_MALFORMED);
  assert_null(w);
  assert_true(wg_diag_list_get(d, 0)->has_span);
  assert_int_equal(wg_diag_list_get(d, 0)->span.start, 10);
  wg_diag_list_delete(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_commands_and_lines),
    cmocka_unit_test(test_values),
    cmocka_unit_test(test_fields_only_script),
    cmocka_unit_test(test_components),
    cmocka_unit_test(test_malformed_script),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
