/* SPDX-License-Identifier: Apache-2.0 */
/* Text-format lexer and literals (binary/src/text/lex.c, num.c). Expected
 * values are the spec's: the token rules of the core text format (6.2) and
 * the literal values the spec suite's const.wast, float_literals.wast and
 * int_literals.wast check. */
#include "cmocka_all.h"

#include <string.h>

#include "text/text.h"

static WatLex lex_ok(const char *text) {
  WatLex lex;
  uint32_t es, ee;
  const char *msg = NULL;
  if (!wat_lex(text, strlen(text), &lex, &es, &ee, &msg))
    fail_msg("lexing `%s` failed at %u: %s", text, es, msg);
  return lex;
}

static const char *lex_error(const char *text, uint32_t *at) {
  WatLex lex;
  uint32_t es = 0, ee = 0;
  const char *msg = NULL;
  if (wat_lex(text, strlen(text), &lex, &es, &ee, &msg)) {
    wat_lex_free(&lex);
    fail_msg("lexing `%s` should fail", text);
  }
  *at = es;
  return msg;
}

static void test_tokens_and_parens(void **state) {
  (void)state;
  const char *text = "(module $m (func (i32.const -0x1_0) \"s\\n\")) ;; c";
  WatLex lex = lex_ok(text);
  static const uint8_t kinds[] = { WAT_LPAREN,  WAT_KEYWORD, WAT_ID,
                                   WAT_LPAREN,  WAT_KEYWORD, WAT_LPAREN,
                                   WAT_KEYWORD, WAT_NUM,     WAT_RPAREN,
                                   WAT_STRING,  WAT_RPAREN,  WAT_RPAREN,
                                   WAT_EOF };
  assert_int_equal(lex.count, sizeof kinds);
  for (uint32_t i = 0; i < lex.count; i++)
    assert_int_equal(lex.toks[i].kind, kinds[i]);
  /* every ( knows its ) */
  assert_int_equal(lex.toks[0].close, 11);
  assert_int_equal(lex.toks[3].close, 10);
  assert_int_equal(lex.toks[5].close, 8);
  assert_true(lex.toks[9].flags & WAT_TF_ESCAPES);
  wat_lex_free(&lex);
}

/* Tokens run together with strings or idchars are one reserved token
 * (token.wast); parens delimit. */
static void test_reserved_and_delimiters(void **state) {
  (void)state;
  WatLex lex = lex_ok("0drop $l\"a\" \"a\"\"b\" (nop)nop $\"q d\"");
  assert_int_equal(lex.toks[0].kind, WAT_RESERVED);
  assert_int_equal(lex.toks[1].kind, WAT_RESERVED);
  assert_int_equal(lex.toks[2].kind, WAT_RESERVED);
  assert_int_equal(lex.toks[3].kind, WAT_LPAREN);
  assert_int_equal(lex.toks[6].kind, WAT_KEYWORD);
  assert_int_equal(lex.toks[7].kind, WAT_ID);
  assert_true(lex.toks[7].flags & WAT_TF_QUOTED);
  wat_lex_free(&lex);
}

/* Block comments nest; ;; ends at LF or CR (comments.wast). */
static void test_comments(void **state) {
  (void)state;
  WatLex lex = lex_ok("(;a(;b;)c;) x ;; y\rz (;;) w");
  assert_int_equal(lex.count, 4);
  assert_int_equal(lex.toks[0].kind, WAT_KEYWORD); /* x */
  assert_int_equal(lex.toks[1].kind, WAT_KEYWORD); /* z */
  assert_int_equal(lex.toks[2].kind, WAT_KEYWORD); /* w */
  wat_lex_free(&lex);
}

/* Unknown annotations disappear; @name/@custom/@producers stay. */
static void test_annotations(void **state) {
  (void)state;
  WatLex lex = lex_ok("(@foo (bar \")\") x) (@name \"n\")");
  assert_int_equal(lex.count, 4);
  assert_int_equal(lex.toks[0].kind, WAT_ANNOT);
  assert_int_equal(lex.toks[0].close, 2);
  wat_lex_free(&lex);
}

static void test_lexical_errors(void **state) {
  (void)state;
  uint32_t at;
  assert_string_equal(lex_error("(module", &at), "unclosed `(`");
  assert_int_equal(at, 0);
  assert_string_equal(lex_error("(a))", &at), "unexpected `)`");
  assert_int_equal(at, 3);
  assert_string_equal(lex_error("\"abc", &at), "unterminated string");
  assert_string_equal(lex_error("\"\\q\"", &at), "unknown escape sequence");
  assert_int_equal(at, 1);
  assert_string_equal(lex_error("\"\\u{d800}\"", &at),
                      "malformed unicode escape");
  assert_string_equal(lex_error("\"\\u{110000}\"", &at),
                      "malformed unicode escape");
  assert_string_equal(lex_error("\"a\tb\"", &at),
                      "control character in string");
  assert_string_equal(lex_error("(; open", &at), "unterminated block comment");
  assert_string_equal(lex_error("\xff", &at), "malformed UTF-8 encoding");
  assert_string_equal(lex_error("a ; b", &at), "unexpected character `;`");
  assert_string_equal(lex_error("[", &at), "unexpected character");
  /* nesting deeper than the limit is an error, not a stack overflow */
  static char deep[WAT_MAX_DEPTH + 10];
  memset(deep, '(', sizeof deep - 1);
  deep[sizeof deep - 1] = '\0';
  assert_string_equal(lex_error(deep, &at), "nesting too deep");
}

static uint64_t int_ok(const char *s, unsigned bits) {
  uint64_t v;
  bool range;
  assert_true(wat_int_bits(wg_str_from_cstr(s), bits, &v, &range));
  assert_false(range);
  return v;
}

static void int_range(const char *s, unsigned bits) {
  uint64_t v;
  bool range;
  assert_true(wat_int_bits(wg_str_from_cstr(s), bits, &v, &range));
  assert_true(range);
}

static void int_bad(const char *s, unsigned bits) {
  uint64_t v;
  bool range;
  assert_false(wat_int_bits(wg_str_from_cstr(s), bits, &v, &range));
}

static void test_integers(void **state) {
  (void)state;
  assert_int_equal(int_ok("0xffffffff", 32), 0xffffffffu);
  assert_int_equal(int_ok("-0x80000000", 32), 0x80000000u);
  assert_int_equal(int_ok("+0x7fffffff", 32), 0x7fffffffu);
  assert_int_equal(int_ok("-1", 32), 0xffffffffu);
  assert_int_equal(int_ok("1_000_000", 32), 1000000u);
  assert_int_equal(int_ok("0x1_0000", 32), 0x10000u);
  assert_true(int_ok("-0x8000000000000000", 64) == 0x8000000000000000ull);
  assert_true(int_ok("18446744073709551615", 64) == UINT64_MAX);
  int_range("0x100000000", 32);
  int_range("-0x80000001", 32);
  int_range("+0x80000000", 32);
  int_range("18446744073709551616", 64);
  int_range("256", 8);
  int_bad("1__0", 32);
  int_bad("_1", 32);
  int_bad("1_", 32);
  int_bad("0x", 32);
  int_bad("0x_1", 32);
  int_bad("1.0", 32);
  int_bad("--1", 32);
}

static uint32_t f32_ok(const char *s) {
  uint32_t v;
  bool range;
  if (!wat_f32_bits(wg_str_from_cstr(s), &v, &range) || range)
    fail_msg("f32 %s", s);
  return v;
}

static uint64_t f64_ok(const char *s) {
  uint64_t v;
  bool range;
  if (!wat_f64_bits(wg_str_from_cstr(s), &v, &range) || range)
    fail_msg("f64 %s", s);
  return v;
}

static void test_floats(void **state) {
  (void)state;
  assert_int_equal(f32_ok("1"), 0x3f800000u);
  assert_int_equal(f32_ok("-0x1p-1"), 0xbf000000u);
  assert_int_equal(f32_ok("0x1p-149"), 0x00000001u);
  assert_int_equal(f32_ok("0x1.fffffep127"), 0x7f7fffffu);
  assert_int_equal(f32_ok("1e10"), 0x501502f9u);
  assert_int_equal(f32_ok("1_000.000_1"), f32_ok("1000.0001"));
  assert_int_equal(f32_ok("inf"), 0x7f800000u);
  assert_int_equal(f32_ok("-nan"), 0xffc00000u);
  assert_int_equal(f32_ok("nan:0x200000"), 0x7fa00000u);
  /* round to nearest even directly to f32 (const.wast) */
  assert_int_equal(f32_ok("+0x1.00000100000000001p-50"), 0x26800001u);
  assert_int_equal(f32_ok("0x1.000001p+0"), 0x3f800000u);
  assert_true(f64_ok("0x1p-1074") == 1);
  assert_true(f64_ok("0x1.fffffffffffffp1023") == 0x7fefffffffffffffull);
  assert_true(f64_ok("nan:0xfffffffffffff") == 0x7fffffffffffffffull);
  uint32_t v;
  uint64_t d;
  bool range;
  /* out of range: rounds to infinity, NaN payload 0 or too wide */
  assert_true(wat_f32_bits(WG_STR("1e39"), &v, &range) && range);
  assert_true(wat_f32_bits(WG_STR("0x1p128"), &v, &range) && range);
  assert_true(wat_f32_bits(WG_STR("nan:0x0"), &v, &range) && range);
  assert_true(wat_f32_bits(WG_STR("nan:0x800000"), &v, &range) && range);
  assert_true(wat_f64_bits(WG_STR("1e309"), &d, &range) && range);
  /* malformed */
  assert_false(wat_f32_bits(WG_STR(".5"), &v, &range));
  assert_false(wat_f32_bits(WG_STR("1.e"), &v, &range));
  assert_false(wat_f32_bits(WG_STR("0x.8"), &v, &range));
  assert_false(wat_f32_bits(WG_STR("1__0"), &v, &range));
  assert_false(wat_f32_bits(WG_STR("nan:1"), &v, &range));
  assert_false(wat_f32_bits(WG_STR("infinity"), &v, &range));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_tokens_and_parens),
    cmocka_unit_test(test_reserved_and_delimiters),
    cmocka_unit_test(test_comments),
    cmocka_unit_test(test_annotations),
    cmocka_unit_test(test_lexical_errors),
    cmocka_unit_test(test_integers),
    cmocka_unit_test(test_floats),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
