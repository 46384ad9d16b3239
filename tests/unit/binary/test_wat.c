/* SPDX-License-Identifier: Apache-2.0 */
/* The text format end to end (witgen/wat.h): encodings and printed text
 * compared with what wasm-tools 1.259 (the oracle, jco 1.35.0) gives for
 * the same inputs, located errors, and the round trip. */
#include "cmocka_all.h"

#include <string.h>

#include "witgen/wat.h"

static const char CORE_TEXT[] =
    "(module $m\n"
    "  (type $t (func (param i32) (result i32)))\n"
    "  (func $f (export \"f\") (param $x i32) (result i32)\n"
    "    (call_indirect (param i64) (i64.const 1) (i32.const 0))\n"
    "    (block $b (result i32) local.get $x))\n"
    "  (table 1 funcref)\n"
    "  (memory 1)\n"
    "  (data (i32.const 0) \"hi\"))\n";

/* wasm-tools parse of CORE_TEXT: the inline (param i64) type after the
 * explicit one, a name section with module, function, local, label and
 * type names. */
static const uint8_t CORE_BINARY[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60, 0x01,
  0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7e, 0x00, 0x03, 0x02, 0x01, 0x00, 0x04, 0x04,
  0x01, 0x70, 0x00, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x05, 0x01, 0x01,
  0x66, 0x00, 0x00, 0x0a, 0x10, 0x01, 0x0e, 0x00, 0x42, 0x01, 0x41, 0x00, 0x11,
  0x01, 0x00, 0x02, 0x7f, 0x20, 0x00, 0x0b, 0x0b, 0x0b, 0x08, 0x01, 0x00, 0x41,
  0x00, 0x0b, 0x02, 0x68, 0x69, 0x00, 0x25, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x00,
  0x02, 0x01, 0x6d, 0x01, 0x04, 0x01, 0x00, 0x01, 0x66, 0x02, 0x06, 0x01, 0x00,
  0x01, 0x00, 0x01, 0x78, 0x03, 0x06, 0x01, 0x00, 0x01, 0x00, 0x01, 0x62, 0x04,
  0x04, 0x01, 0x00, 0x01, 0x74,
};

/* wasm-tools print of CORE_BINARY. */
static const char CORE_PRINTED[] =
    "(module $m\n"
    "  (type $t (;0;) (func (param i32) (result i32)))\n"
    "  (type (;1;) (func (param i64)))\n"
    "  (table (;0;) 1 funcref)\n"
    "  (memory (;0;) 1)\n"
    "  (export \"f\" (func $f))\n"
    "  (func $f (;0;) (type $t) (param $x i32) (result i32)\n"
    "    i64.const 1\n"
    "    i32.const 0\n"
    "    call_indirect (type 1)\n"
    "    block $b (result i32)\n"
    "      local.get $x\n"
    "    end\n"
    "  )\n"
    "  (data (;0;) (i32.const 0) \"hi\")\n"
    ")\n";

static const char COMPONENT_TEXT[] =
    "(component $c\n"
    "  (type $r (record (field \"a\" (list (option u8))) (field \"b\" u32)))\n"
    "  (import \"f\" (func $f (param \"x\" (list string)) (result (tuple u8 "
    "u8))))\n"
    "  (import \"g\" (func $g (type $ft)))\n"
    "  (type $ft (func))\n"
    "  (core module $m (func (export \"x\")))\n"
    "  (core instance $i (instantiate $m))\n"
    "  (func $h (type $ft) (canon lift (core func $i \"x\")))\n"
    "  (export \"h\" (func $h))\n"
    "  (component $inner\n"
    "     (import \"t\" (type $t2 (eq $r)))\n"
    "  )\n"
    ")\n";

/* wasm-tools parse of COMPONENT_TEXT: inline types hoisted before their
 * user, an alias for `$i "x"`, an outer alias in $inner, name sections. */
static const uint8_t COMPONENT_BINARY[] = {
  0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, 0x1a, 0x06, 0x6b, 0x7d,
  0x70, 0x00, 0x72, 0x02, 0x01, 0x61, 0x01, 0x01, 0x62, 0x79, 0x70, 0x73, 0x6f,
  0x02, 0x7d, 0x7d, 0x40, 0x01, 0x01, 0x78, 0x03, 0x00, 0x04, 0x0a, 0x0b, 0x02,
  0x00, 0x01, 0x66, 0x01, 0x05, 0x00, 0x01, 0x67, 0x01, 0x06, 0x07, 0x05, 0x01,
  0x40, 0x00, 0x01, 0x00, 0x01, 0x2a, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00,
  0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05,
  0x01, 0x01, 0x78, 0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, 0x00, 0x09,
  0x04, 0x6e, 0x61, 0x6d, 0x65, 0x00, 0x02, 0x01, 0x6d, 0x02, 0x04, 0x01, 0x00,
  0x00, 0x00, 0x06, 0x07, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x78, 0x08, 0x06,
  0x01, 0x00, 0x00, 0x00, 0x00, 0x06, 0x0b, 0x07, 0x01, 0x00, 0x01, 0x68, 0x01,
  0x02, 0x00, 0x04, 0x39, 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x06,
  0x05, 0x01, 0x03, 0x02, 0x01, 0x02, 0x0a, 0x07, 0x01, 0x00, 0x01, 0x74, 0x03,
  0x00, 0x00, 0x00, 0x1f, 0x0e, 0x63, 0x6f, 0x6d, 0x70, 0x6f, 0x6e, 0x65, 0x6e,
  0x74, 0x2d, 0x6e, 0x61, 0x6d, 0x65, 0x00, 0x06, 0x05, 0x69, 0x6e, 0x6e, 0x65,
  0x72, 0x01, 0x06, 0x03, 0x01, 0x01, 0x02, 0x74, 0x32, 0x00, 0x46, 0x0e, 0x63,
  0x6f, 0x6d, 0x70, 0x6f, 0x6e, 0x65, 0x6e, 0x74, 0x2d, 0x6e, 0x61, 0x6d, 0x65,
  0x00, 0x02, 0x01, 0x63, 0x01, 0x06, 0x00, 0x11, 0x01, 0x00, 0x01, 0x6d, 0x01,
  0x06, 0x00, 0x12, 0x01, 0x00, 0x01, 0x69, 0x01, 0x0b, 0x01, 0x03, 0x00, 0x01,
  0x66, 0x01, 0x01, 0x67, 0x02, 0x01, 0x68, 0x01, 0x09, 0x03, 0x02, 0x02, 0x01,
  0x72, 0x06, 0x02, 0x66, 0x74, 0x01, 0x09, 0x04, 0x01, 0x00, 0x05, 0x69, 0x6e,
  0x6e, 0x65, 0x72,
};

/* wasm-tools print of COMPONENT_BINARY. */
static const char COMPONENT_PRINTED[] =
    "(component $c\n"
    "  (type (;0;) (option u8))\n"
    "  (type (;1;) (list 0))\n"
    "  (type $r (;2;) (record (field \"a\" 1) (field \"b\" u32)))\n"
    "  (type (;3;) (list string))\n"
    "  (type (;4;) (tuple u8 u8))\n"
    "  (type (;5;) (func (param \"x\" 3) (result 4)))\n"
    "  (import \"f\" (func $f (;0;) (type 5)))\n"
    "  (import \"g\" (func $g (;1;) (type $ft)))\n"
    "  (type $ft (;6;) (func))\n"
    "  (core module $m (;0;)\n"
    "    (type (;0;) (func))\n"
    "    (export \"x\" (func 0))\n"
    "    (func (;0;) (type 0))\n"
    "  )\n"
    "  (core instance $i (;0;) (instantiate $m))\n"
    "  (alias core export $i \"x\" (core func (;0;)))\n"
    "  (func $h (;2;) (type $ft) (canon lift (core func 0)))\n"
    "  (export (;3;) \"h\" (func $h))\n"
    "  (component $inner (;0;)\n"
    "    (alias outer $c $r (type (;0;)))\n"
    "    (import \"t\" (type $t2 (;1;) (eq 0)))\n"
    "  )\n"
    ")\n";

static void expect_bytes(const WgBuf *b, const uint8_t *want, size_t n) {
  assert_int_equal(b->len, n);
  assert_memory_equal(b->data, want, n);
}

static void test_core_module_encodes_as_wasm_tools(void **state) {
  (void)state;
  WgBuf out = { 0 };
  assert_int_equal(
      wg_wat_parse(wg_str_from_cstr(CORE_TEXT), "m.wat", NULL, &out), WG_OK);
  expect_bytes(&out, CORE_BINARY, sizeof CORE_BINARY);
  wg_buf_free(&out);
}

static void test_core_module_prints_as_wasm_tools(void **state) {
  (void)state;
  WgBuf out = { 0 };
  assert_int_equal(wg_wat_print(CORE_BINARY, sizeof CORE_BINARY, NULL, &out),
                   WG_OK);
  assert_string_equal(out.data, CORE_PRINTED);
  /* and the printed text encodes back to the same binary */
  WgBuf again = { 0 };
  assert_int_equal(
      wg_wat_parse((WgStr){ out.data, out.len }, NULL, NULL, &again), WG_OK);
  expect_bytes(&again, CORE_BINARY, sizeof CORE_BINARY);
  wg_buf_free(&out);
  wg_buf_free(&again);
}

static void test_component_encodes_as_wasm_tools(void **state) {
  (void)state;
  WgBuf out = { 0 };
  assert_int_equal(
      wg_wat_parse(wg_str_from_cstr(COMPONENT_TEXT), "c.wat", NULL, &out),
      WG_OK);
  expect_bytes(&out, COMPONENT_BINARY, sizeof COMPONENT_BINARY);
  wg_buf_free(&out);
}

static void test_component_prints_as_wasm_tools(void **state) {
  (void)state;
  WgBuf out = { 0 };
  assert_int_equal(
      wg_wat_print(COMPONENT_BINARY, sizeof COMPONENT_BINARY, NULL, &out),
      WG_OK);
  assert_string_equal(out.data, COMPONENT_PRINTED);
  WgBuf again = { 0 };
  assert_int_equal(
      wg_wat_parse((WgStr){ out.data, out.len }, NULL, NULL, &again), WG_OK);
  expect_bytes(&again, COMPONENT_BINARY, sizeof COMPONENT_BINARY);
  wg_buf_free(&out);
  wg_buf_free(&again);
}

/* Module fields without the (module ...) wrapper, and binary modules. */
static void test_bare_fields_and_binary_form(void **state) {
  (void)state;
  WgBuf a = { 0 }, b = { 0 };
  assert_int_equal(wg_wat_parse(WG_STR("(func) (memory 1)"), NULL, NULL, &a),
                   WG_OK);
  assert_int_equal(
      wg_wat_parse(WG_STR("(module (func) (memory 1))"), NULL, NULL, &b),
      WG_OK);
  expect_bytes(&a, (const uint8_t *)b.data, b.len);
  WgBuf c = { 0 };
  assert_int_equal(wg_wat_parse(WG_STR("(module binary \"\\00asm\" "
                                       "\"\\01\\00\\00\\00\")"),
                                NULL, NULL, &c),
                   WG_OK);
  expect_bytes(&c, (const uint8_t *)"\0asm\1\0\0\0", 8);
  wg_buf_free(&a);
  wg_buf_free(&b);
  wg_buf_free(&c);
}

/* Errors carry the span of the offending token in the registered text. */
static void test_errors_are_located(void **state) {
  (void)state;
  static const struct {
    const char *text;
    uint32_t at; /* byte offset of the error */
    const char *message;
  } cases[] = {
    { "(module (func i32.bogus))", 14, "unknown operator `i32.bogus`" },
    { "(module (func (i32.const 0x100000000)))", 25, "constant out of range" },
    { "(module (func br $x))", 17, "unknown label $x" },
    { "(module", 0, "unclosed `(`" },
    { "(component (import \"a\" (func (result nope))))", 37,
      "unexpected token, expected a value type" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    WgDiagList *d = wg_diag_list_new();
    WgBuf out = { 0 };
    assert_int_equal(
        wg_wat_parse(wg_str_from_cstr(cases[i].text), "x.wat", d, &out),
        WG_ERR_MALFORMED);
    assert_int_equal(out.len, 0);
    assert_int_equal(wg_diag_list_count(d), 1);
    const WgDiag *e = wg_diag_list_get(d, 0);
    assert_true(e->has_span);
    assert_int_equal(e->span.start, cases[i].at);
    assert_string_equal(e->message, cases[i].message);
    wg_diag_list_delete(d);
  }
}

/* A binary that does not decode is refused with its offset. */
static void test_print_refuses_malformed(void **state) {
  (void)state;
  static const uint8_t truncated[] = { 0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5 };
  WgDiagList *d = wg_diag_list_new();
  WgBuf out = { 0 };
  assert_int_equal(wg_wat_print(truncated, sizeof truncated, d, &out),
                   WG_ERR_MALFORMED);
  assert_int_equal(wg_diag_list_count(d), 1);
  assert_true(wg_diag_list_get(d, 0)->has_offset);
  wg_diag_list_delete(d);
  wg_buf_free(&out);
}

/* Floats print as wasm-tools prints them (hex, with a decimal comment). */
static void test_float_constants_print_as_wasm_tools(void **state) {
  (void)state;
  static const char text[] =
      "(module (func f32.const 0x1p-149 f32.const 0.1 f32.const -0 "
      "f32.const nan:0x1 f64.const 0x1p-1074 f64.const 1e21 "
      "f64.const -nan:0x1 drop drop drop drop drop drop drop))";
  WgBuf bin = { 0 }, out = { 0 };
  assert_int_equal(wg_wat_parse(WG_STR(text), NULL, NULL, &bin), WG_OK);
  assert_int_equal(wg_wat_print((const uint8_t *)bin.data, bin.len, NULL, &out),
                   WG_OK);
  static const char *const want[] = {
    "f32.const 0x1.p-149 (;=0.000000000000000000000000000000000000000000001;)",
    "f32.const 0x1.99999ap-4 (;=0.1;)",
    "f32.const -0x0p+0 (;=-0;)",
    "f32.const nan:0x1 (;=NaN;)",
    "f64.const 0x1.b1ae4d6e2ef5p+69 (;=1000000000000000000000;)",
    "f64.const -nan:0x1 (;=NaN;)",
  };
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    assert_non_null(strstr(out.data, want[i]));
  wg_buf_free(&bin);
  wg_buf_free(&out);
}

/* `alias outer N $id` inside a core module type: N counts from the
 * component around the module type (bytes from wasm-tools). */
static void test_module_type_outer_alias_by_id(void **state) {
  (void)state;
  static const char text[] =
      "(component\n"
      "  (core type $f (func (param i32)))\n"
      "  (component\n"
      "    (core type $g (func))\n"
      "    (core type (module (alias outer 1 $g (type))\n"
      "      (import \"a\" \"b\" (func (type 0)))))\n"
      "    (core type (module (alias outer 2 $f (type))\n"
      "      (import \"a\" \"b\" (func (type 0)))))))\n";
  static const uint8_t want[] = {
    0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x03, 0x05, 0x01,
    0x60, 0x01, 0x7f, 0x00, 0x04, 0x43, 0x00, 0x61, 0x73, 0x6d, 0x0d,
    0x00, 0x01, 0x00, 0x03, 0x20, 0x03, 0x60, 0x00, 0x00, 0x50, 0x02,
    0x02, 0x10, 0x01, 0x01, 0x00, 0x00, 0x01, 0x61, 0x01, 0x62, 0x00,
    0x00, 0x50, 0x02, 0x02, 0x10, 0x01, 0x02, 0x00, 0x00, 0x01, 0x61,
    0x01, 0x62, 0x00, 0x00, 0x00, 0x17, 0x0e, 0x63, 0x6f, 0x6d, 0x70,
    0x6f, 0x6e, 0x65, 0x6e, 0x74, 0x2d, 0x6e, 0x61, 0x6d, 0x65, 0x01,
    0x06, 0x00, 0x10, 0x01, 0x00, 0x01, 0x67, 0x00, 0x17, 0x0e, 0x63,
    0x6f, 0x6d, 0x70, 0x6f, 0x6e, 0x65, 0x6e, 0x74, 0x2d, 0x6e, 0x61,
    0x6d, 0x65, 0x01, 0x06, 0x00, 0x10, 0x01, 0x00, 0x01, 0x66,
  };
  WgBuf out = { 0 };
  assert_int_equal(wg_wat_parse(wg_str_from_cstr(text), "t.wat", NULL, &out),
                   WG_OK);
  expect_bytes(&out, want, sizeof want);
  wg_buf_free(&out);
  /* an unterminated declarator list is an error, not a leak */
  WgDiagList *d = wg_diag_list_new();
  assert_int_equal(
      wg_wat_parse(WG_STR("(component (core type (module (type (func)) x)))"),
                   "t.wat", d, &out),
      WG_ERR_MALFORMED);
  assert_true(wg_diag_list_get(d, 0)->has_span);
  wg_diag_list_delete(d);
  wg_buf_free(&out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_core_module_encodes_as_wasm_tools),
    cmocka_unit_test(test_core_module_prints_as_wasm_tools),
    cmocka_unit_test(test_component_encodes_as_wasm_tools),
    cmocka_unit_test(test_component_prints_as_wasm_tools),
    cmocka_unit_test(test_bare_fields_and_binary_form),
    cmocka_unit_test(test_errors_are_located),
    cmocka_unit_test(test_print_refuses_malformed),
    cmocka_unit_test(test_float_constants_print_as_wasm_tools),
    cmocka_unit_test(test_module_type_outer_alias_by_id),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
