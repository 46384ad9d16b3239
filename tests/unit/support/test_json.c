/* SPDX-License-Identifier: Apache-2.0 */
/* The strict JSON reader of the test drivers (tests/support/json.h):
 * values, key order, escapes and surrogates, UTF-8, the number grammar,
 * error positions, the depth bound and json_equal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmocka_all.h"
#include "json.h"

static JsonValue *parse_ok(const char *text) {
  char err[128];
  JsonValue *v = json_parse(text, strlen(text), err, sizeof err);
  if (!v) fail_msg("'%s' should parse: %s", text, err);
  return v;
}

/* Parses `len` bytes expecting an error; returns it in `err`. */
static void parse_bad_n(const char *text, size_t len, char *err,
                        size_t err_size) {
  JsonValue *v = json_parse(text, len, err, err_size);
  if (v) {
    json_free(v);
    fail_msg("'%.*s' should be refused", (int)len, text);
  }
  assert_true(err_size == 0 || err[0] != '\0');
}

static void parse_bad(const char *text) {
  char err[128];
  parse_bad_n(text, strlen(text), err, sizeof err);
}

/* The decoded string of a JSON string literal `text`. */
static void check_string(const char *text, const char *want, size_t want_len) {
  JsonValue *v = parse_ok(text);
  assert_int_equal(v->kind, JSON_STRING);
  assert_int_equal(v->len, want_len);
  assert_memory_equal(v->text, want, want_len);
  assert_int_equal(v->text[want_len], '\0');
  json_free(v);
}

static void test_scalars(void **state) {
  (void)state;
  JsonValue *v = parse_ok(" null ");
  assert_int_equal(v->kind, JSON_NULL);
  json_free(v);
  v = parse_ok("true");
  assert_int_equal(v->kind, JSON_BOOL);
  assert_true(v->boolean);
  json_free(v);
  v = parse_ok("\tfalse\r\n");
  assert_int_equal(v->kind, JSON_BOOL);
  assert_false(v->boolean);
  json_free(v);
  v = parse_ok("\"\"");
  assert_int_equal(v->kind, JSON_STRING);
  assert_int_equal(v->len, 0);
  assert_string_equal(v->text, "");
  json_free(v);
}

static void test_numbers_keep_text(void **state) {
  (void)state;
  static const char *const ok[] = {
    "0",
    "-0",
    "7",
    "-12.5e+3",
    "1E9",
    "2.5E-10",
    "0.0",
    "1e0001",
    "-0.5",
    "18446744073709551615",
    "-9223372036854775808",
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    JsonValue *v = parse_ok(ok[i]);
    assert_int_equal(v->kind, JSON_NUMBER);
    assert_string_equal(v->text, ok[i]);
    assert_int_equal(v->len, strlen(ok[i]));
    json_free(v);
  }
  /* inside containers the number ends at the delimiter */
  JsonValue *v = parse_ok("[18446744073709551615,-1.5e3]");
  assert_int_equal(v->count, 2);
  assert_string_equal(v->items[0].text, "18446744073709551615");
  assert_string_equal(v->items[1].text, "-1.5e3");
  json_free(v);
}

static void test_number_grammar(void **state) {
  (void)state;
  static const char *const bad[] = {
    "01",  "-",   "-a",    "1.",   ".5",    "1e",       "1e+",
    "+1",  "--1", "1.2.3", "0x10", "NaN",   "Infinity", "-Infinity",
    "1 2", "00",  "-01",   "1.e5", "1e5.0", "[1.]",     "[-]",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    parse_bad(bad[i]);
}

static void test_object_key_order(void **state) {
  (void)state;
  JsonValue *v = parse_ok("{\"z\": 1, \"a\": \"x\", \"m\": [true], \"a\": 2}");
  assert_int_equal(v->kind, JSON_OBJECT);
  assert_int_equal(v->count, 4);
  assert_string_equal(v->keys[0], "z");
  assert_string_equal(v->keys[1], "a");
  assert_string_equal(v->keys[2], "m");
  assert_string_equal(v->keys[3], "a");
  /* json_get finds the first of duplicate keys */
  assert_ptr_equal(json_get(v, "a"), &v->items[1]);
  assert_string_equal(json_get_str(v, "a"), "x");
  assert_null(json_get_str(v, "z")); /* not a string */
  assert_null(json_get(v, "missing"));
  assert_null(json_get_str(v, "missing"));
  const JsonValue *m = json_get(v, "m");
  assert_int_equal(m->kind, JSON_ARRAY);
  assert_null(m->keys);
  assert_null(json_get(m, "a")); /* not an object */
  assert_null(json_get(NULL, "a"));
  json_free(v);

  v = parse_ok("{}");
  assert_int_equal(v->kind, JSON_OBJECT);
  assert_int_equal(v->count, 0);
  json_free(v);
  v = parse_ok("[ ]");
  assert_int_equal(v->kind, JSON_ARRAY);
  assert_int_equal(v->count, 0);
  json_free(v);
}

static void test_nested(void **state) {
  (void)state;
  JsonValue *v = parse_ok("{\"commands\": [{\"type\": \"module\", \"line\": 3, "
                          "\"args\": [{\"type\": \"i64\", \"value\": "
                          "\"18446744073709551615\"}]}, {}]}");
  const JsonValue *cmds = json_get(v, "commands");
  assert_non_null(cmds);
  assert_int_equal(cmds->count, 2);
  assert_string_equal(json_get_str(&cmds->items[0], "type"), "module");
  assert_string_equal(json_get(&cmds->items[0], "line")->text, "3");
  const JsonValue *arg = &json_get(&cmds->items[0], "args")->items[0];
  assert_string_equal(json_get_str(arg, "value"), "18446744073709551615");
  assert_int_equal(cmds->items[1].kind, JSON_OBJECT);
  json_free(v);
}

static void test_escapes(void **state) {
  (void)state;
  check_string("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"",
               "a\"b\\c/d\be\ff\ng\rh\ti", 17);
  check_string("\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac", 6);
  /* a surrogate pair is one scalar value: U+1F600 */
  check_string("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4);
  check_string("\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4);
  /* an escaped NUL stays inside the string, counted by len */
  check_string("\"a\\u0000b\"", "a\0b", 3);
  /* raw UTF-8 passes through unchanged */
  check_string("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
               "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9);

  static const char *const bad[] = {
    "\"\\x\"",
    "\"\\u12\"",
    "\"\\u12g4\"",
    "\"\\U0041\"",
    "\"\\\"",
    "\"abc",
    "\"\\",
    "\"\\'\"",
    "\"\\ud800\"",
    "\"\\udc00\"",
    "\"\\ud800\\u0041\"",
    "\"\\ud800x\"",
    "\"\\ud800\\ud800\"",
    "\"\\ude00\\ud83d\"",
    "\"\\ud83d\\n\"",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    parse_bad(bad[i]);
}

static void test_strings_strict(void **state) {
  (void)state;
  /* raw control characters */
  parse_bad("\"a\tb\"");
  parse_bad("\"a\nb\"");
  char nul[] = { '"', 'a', '\0', 'b', '"' };
  char err[128];
  parse_bad_n(nul, sizeof nul, err, sizeof err);
  /* malformed UTF-8: overlong, lone continuation, encoded surrogate,
   * truncated sequence, beyond U+10FFFF, invalid lead byte */
  parse_bad("\"\xc0\x80\"");
  parse_bad("\"\x80\"");
  parse_bad("\"\xed\xa0\x80\"");
  parse_bad("\"\xe2\x82\"");
  parse_bad("\"\xf4\x90\x80\x80\"");
  parse_bad("\"\xff\"");
  /* single quotes are not JSON */
  parse_bad("'a'");
}

static void test_syntax_errors(void **state) {
  (void)state;
  static const char *const bad[] = {
    "",           "   ",
    "[",          "]",
    "[1,]",       "[,1]",
    "[1 2]",      "{",
    "{\"a\":1,}", "{a:1}",
    "{\"a\" 1}",  "{\"a\":}",
    "{1:2}",      "{\"a\":1 \"b\":2}",
    "tru",        "nul",
    "falsey",     "True",
    "[1]x",       "{} {}",
    "[1]]",       "/* c */ 1",
    "[1,2",       "{\"a\"",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    parse_bad(bad[i]);
}

static void test_error_position(void **state) {
  (void)state;
  char err[128];
  const char *text = "[\n  1,\n  x]";
  parse_bad_n(text, strlen(text), err, sizeof err);
  assert_non_null(strstr(err, "line 3, column 3"));
  text = "{\"a\": 01}";
  parse_bad_n(text, strlen(text), err, sizeof err);
  assert_non_null(strstr(err, "line 1"));
  assert_non_null(strstr(err, "leading zero"));
  /* err_size 0: nothing written, still refused */
  assert_null(json_parse("[", 1, NULL, 0));
  /* a tiny buffer is truncated, not overrun */
  char small[8];
  memset(small, 'z', sizeof small);
  assert_null(json_parse("[", 1, small, 4));
  assert_int_equal(small[3], '\0');
  assert_int_equal(small[4], 'z');
}

static void test_length_bounds_input(void **state) {
  (void)state;
  /* only `len` bytes are read: no NUL needed, what follows is ignored */
  const char *text = "[1,2]garbage";
  char err[128];
  JsonValue *v = json_parse(text, 5, err, sizeof err);
  assert_non_null(v);
  assert_int_equal(v->count, 2);
  json_free(v);
  /* cut inside a literal, a number and a string */
  assert_null(json_parse("true", 3, err, sizeof err));
  assert_null(json_parse("\"abc\"", 4, err, sizeof err));
  v = json_parse("12345", 2, err, sizeof err);
  assert_non_null(v);
  assert_string_equal(v->text, "12");
  json_free(v);
  json_free(NULL);
}

/* `depth` arrays nested: "[[[...]]]" */
static char *nested(size_t depth) {
  char *s = malloc(2 * depth + 1);
  assert_non_null(s);
  memset(s, '[', depth);
  memset(s + depth, ']', depth);
  s[2 * depth] = '\0';
  return s;
}

static void test_depth_limit(void **state) {
  (void)state;
  char err[128];
  char *s = nested(JSON_MAX_DEPTH);
  JsonValue *v = json_parse(s, strlen(s), err, sizeof err);
  assert_non_null(v);
  json_free(v);
  free(s);
  s = nested(JSON_MAX_DEPTH + 1);
  assert_null(json_parse(s, strlen(s), err, sizeof err));
  assert_non_null(strstr(err, "too deep"));
  free(s);
  /* far deeper input (a stack overflow for an unbounded reader) */
  s = nested(1000000);
  assert_null(json_parse(s, strlen(s), err, sizeof err));
  free(s);
  /* objects count too */
  size_t depth = JSON_MAX_DEPTH + 1;
  s = malloc(7 * depth + 2);
  assert_non_null(s);
  size_t n = 0;
  for (size_t i = 0; i < depth; i++) {
    memcpy(s + n, "{\"k\":", 5);
    n += 5;
  }
  s[n++] = '1';
  memset(s + n, '}', depth);
  n += depth;
  assert_null(json_parse(s, n, err, sizeof err));
  free(s);
}

static bool equal(const char *a, const char *b) {
  JsonValue *x = parse_ok(a), *y = parse_ok(b);
  bool r = json_equal(x, y);
  assert_true(json_equal(y, x) == r); /* symmetric */
  json_free(x);
  json_free(y);
  return r;
}

static void test_equal(void **state) {
  (void)state;
  assert_true(equal("{\"a\":1,\"b\":[1,2]}", "{\"b\":[1,2],\"a\":1}"));
  assert_false(equal("[1,2]", "[2,1]"));
  assert_false(equal("[1,2]", "[1,2,3]"));
  assert_false(equal("{\"a\":1}", "{\"a\":1,\"b\":2}"));
  assert_false(equal("{\"a\":1}", "{\"b\":1}"));
  assert_false(equal("{\"a\":1}", "{\"a\":2}"));
  assert_true(equal("null", "null"));
  assert_false(equal("null", "false"));
  assert_false(equal("true", "false"));
  assert_false(equal("0", "false"));
  assert_false(equal("\"1\"", "1"));
  assert_false(equal("[]", "{}"));
  /* numbers: integers exactly, others by value */
  assert_true(equal("1", "1.0"));
  assert_true(equal("100", "1e2"));
  assert_true(equal("0", "-0"));
  assert_true(equal("0.5", "5e-1"));
  assert_false(equal("9007199254740993", "9007199254740992"));
  assert_false(equal("18446744073709551615", "18446744073709551614"));
  assert_true(equal("18446744073709551615", "18446744073709551615"));
  assert_false(equal("1", "2"));
  /* strings compare every byte, also past an embedded NUL */
  assert_true(equal("\"a\\u0000b\"", "\"a\\u0000b\""));
  assert_false(equal("\"a\\u0000b\"", "\"a\\u0000c\""));
  assert_false(equal("\"a\"", "\"a\\u0000\""));
  assert_true(equal("\"\\u00e9\"", "\"\xc3\xa9\""));
  /* nested */
  assert_true(equal("{\"x\":{\"p\":[{\"q\":null}],\"r\":true}}",
                    "{\"x\":{\"r\":true,\"p\":[{\"q\":null}]}}"));
  assert_false(
      equal("{\"x\":{\"p\":[{\"q\":null}]}}", "{\"x\":{\"p\":[{\"q\":0}]}}"));
}

static void test_large_array(void **state) {
  (void)state;
  /* many items: the array grows past every reallocation step */
  size_t count = 10000;
  char *s = malloc(count * 8 + 2);
  assert_non_null(s);
  size_t n = 0;
  s[n++] = '[';
  for (size_t i = 0; i < count; i++)
    n += (size_t)sprintf(s + n, "%s%zu", i ? "," : "", i);
  s[n++] = ']';
  char err[128];
  JsonValue *v = json_parse(s, n, err, sizeof err);
  assert_non_null(v);
  assert_int_equal(v->count, count);
  assert_string_equal(v->items[count - 1].text, "9999");
  json_free(v);
  free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_scalars),
    cmocka_unit_test(test_numbers_keep_text),
    cmocka_unit_test(test_number_grammar),
    cmocka_unit_test(test_object_key_order),
    cmocka_unit_test(test_nested),
    cmocka_unit_test(test_escapes),
    cmocka_unit_test(test_strings_strict),
    cmocka_unit_test(test_syntax_errors),
    cmocka_unit_test(test_error_position),
    cmocka_unit_test(test_length_bounds_input),
    cmocka_unit_test(test_depth_limit),
    cmocka_unit_test(test_equal),
    cmocka_unit_test(test_large_array),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
