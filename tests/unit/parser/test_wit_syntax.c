/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of wit_syntax.c: syntax errors worded and placed as
 * wit-parser reports them. Every expected message and offset below is
 * wit-parser's (0.259, in the wasm-tools build of the jco oracle), except where
 * a comment says it follows from wit-parser's code (errors found after parsing,
 * which the oracle cannot place). */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wit_lex.h"
#include "wit_syntax.h"
#include "witgen/wit_grammar.h"

typedef struct Case {
  const char *src;
  uint32_t offset;
  const char *message;
} Case;

static void check_first(const Case *c) {
  WitSyntaxError e;
  bool found = wit_syntax_first_error(wg_str_from_cstr(c->src), &e);
  if (!found || e.start != c->offset || strcmp(e.message, c->message) != 0)
    print_error("source:   %s\nexpected: %u %s\nactual:   %u %s\n", c->src,
                c->offset, c->message, found ? e.start : 0,
                found ? e.message : "(no error)");
  assert_true(found);
  assert_int_equal(e.start, c->offset);
  assert_string_equal(e.message, c->message);
}

static void first_error_as_wit_parser(void **state) {
  (void)state;
  static const Case cases[] = {
    { "package a:b;\ninterface i {\n  @1 f: func();\n}\n", 30,
      "expected an identifier or string, found an integer" },
    { "package a:b;\ninterface i {\n  resource r {\n    constructor() -> ;\n"
      "  }\n}\n",
      63, "expected a type, found ';'" },
    { "package a:b;\ninterface i {\n  f: func() -> %", 42,
      "identifiers must have characters between '-'s" },
    { "package a:b;\ninterface i {\n  type %Foo = u32;\n}\n", 34,
      "invalid character in identifier 'o'" },
    { "package a:b;\ninterface i {\n  type from = u32;\n}\n", 34,
      "expected an identifier or string, found keyword `from`" },
    { "package a:b;\nworld w {\n  import x:\n}\n", 35,
      "expected an identifier or string, found '}'" },
    { "package a:b;\nworld w {\n  include x with { a }\n}\n", 44,
      "expected keyword `as`, found '}'" },
    { "package a:b;\ninterface i {\n  type m = map<u32 u32>;\n}\n", 46,
      "expected ',', found keyword `u32`" },
    { "package a:b;\ninterface i {\n  type r = result<_>;\n}\n", 46,
      "expected ',', found '>'" },
    { "package a:b;\ninterface i {\n  type l = list<u8, 99999999999>;\n}\n", 47,
      "invalid list size: number too large to fit in target type" },
    { "package a:b;\nworld w {\n  func();\n}\n", 25,
      "expected `import`, `export`, `include`, `use`, or type definition, "
      "found keyword `func`" },
    { "package a:b;\ninterface i {\n  type t = u32 * 2;\n}\n", 42,
      "expected ';', found `*`" },
    { "package a:b;\ninterface i {\n  f: static func();\n}\n", 32,
      "expected keyword `func`, found keyword `static`" },
    { "package a:b;\ninterface i {\n  use j.{a b};\n}\n", 38,
      "expected '}', found an identifier" },
    { "package a:b;\n@since(version = 1.0.0)\npackage a:c {\n}\n", 37,
      "cannot place attributes on nested packages" },
    /* lexical errors and versions: placed at the character, the version,
     * as wit-parser's lexer and parse_version place them (the oracle shows
     * the messages) */
    { "package a:b;\ninterface i {\n  type t = u32;\r}\n", 42,
      "unexpected character '\\r'" },
    { "package a:b;\ninterface i {\n  @external-id(\"a\\qb\")\n  type t = "
      "u32;\n}\n",
      45, "invalid string escape 'q'" },
    { "package a:b;\ninterface i {\n  @external-id(\"\\u{d800}\")\n  type t "
      "= u32;\n}\n",
      44, "invalid unicode value 0xd800" },
    { "package a:b;\ninterface i {\n  type t =\xe2\x80\x83u32;\n}\n", 37,
      "unexpected character '\\u{2003}'" },
    { "package wasi:clocks@0.2 .0;\n", 20,
      "unexpected character ' ' after minor version number" },
    { "package a:b@1.0.0-a.;\n", 19, "expected '{', found '.'" },
    /* found after parsing: at the inner package's name (wit-parser's
     * resolver) */
    { "package a:b;\npackage a:c {\n  package a:d {\n  }\n}\n", 37,
      "nested packages must be placed at the top-level" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    check_first(&cases[i]);
}

/* wit-parser counts nesting from the first nested package: the 100th
 * inside it is too deep, at its `package` keyword. */
static void package_nesting_limit(void **state) {
  (void)state;
  char *src = malloc(120 * 20 + 64);
  strcpy(src, "package root:r;\n");
  size_t at = 0;
  for (int i = 0; i <= 100; i++) {
    if (i == 100) at = strlen(src);
    sprintf(src + strlen(src), "package a:b%d {\n", i);
  }
  WitSyntaxError e;
  assert_true(wit_syntax_first_error(wg_str_from_cstr(src), &e));
  assert_string_equal(e.message, "package nesting too deep");
  assert_int_equal(e.start, at);
  free(src);
}

static void type_nesting_limit(void **state) {
  (void)state;
  char *src = malloc(64 + 200 * 5);
  strcpy(src, "package a:b;\ninterface i {\n  type t = ");
  size_t at = 0;
  for (int i = 0; i <= 150; i++) {
    if (i == 100) at = strlen(src);
    strcat(src, "list<");
  }
  WitSyntaxError e;
  assert_true(wit_syntax_first_error(wg_str_from_cstr(src), &e));
  assert_string_equal(e.message, "type nesting too deep");
  assert_int_equal(e.start, at);
  free(src);
}

static void valid_text_has_no_error(void **state) {
  (void)state;
  static const char *const ok[] = {
    "",
    "package a:b;\n",
    "\xef\xbb\xbfpackage a:b@1.0.0-rc.1+build.5;\n",
    ("package a:b;\ninterface i {\n  use j.{a as b, c,};\n"
     "  resource r { constructor(x: u32); m: async func() -> result<_, u8>;"
     " s: static func(); }\n  type l = list<u8, 4>;\n  type m = map<string, "
     "own<r>>;\n  f: func(%type: borrow<r>) -> tuple<future, stream<u8>>;\n}\n"
     "world w {\n  @unstable(feature = x)\n  import x: interface { }\n"
     "  export y: func();\n  include v with { a as b }\n}\n"),
    ("package a:b;\n/* a /* nested */ comment */\n"
     "package c:d { interface i {} }\n"),
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    WitSyntaxError e;
    bool found = wit_syntax_first_error(wg_str_from_cstr(ok[i]), &e);
    if (found) print_error("%s\n-> %u %s\n", ok[i], e.start, e.message);
    assert_false(found);
  }
}

static bool check_id(const char *id, uint32_t start, WitSyntaxError *e) {
  return wit_lex_id_error(id, (uint32_t)strlen(id), start, e);
}

static void identifiers_and_keywords(void **state) {
  (void)state;
  wit_syntax_init();
  WitSyntaxError e;
  assert_false(check_id("get-HTTP-url", 0, &e));
  assert_false(check_id("%type", 0, &e));
  assert_false(check_id("a0-1b", 0, &e));
  assert_true(check_id("a--b", 7, &e));
  assert_int_equal(e.start, 7);
  assert_string_equal(e.message,
                      "identifiers must have characters between '-'s");
  assert_true(check_id("0a", 0, &e));
  assert_string_equal(e.message, "invalid character in identifier '0'");
  assert_true(check_id("caf\xc3\xa9", 0, &e));
  assert_string_equal(e.message, "invalid character in identifier '\xc3\xa9'");
  assert_true(wit_lex_is_keyword("u32", 3));
  assert_true(wit_lex_is_keyword("from", 4));
  assert_true(wit_lex_is_keyword("error-context", 13));
  assert_true(wit_lex_is_keyword("u32;", 3)); /* not NUL-terminated */
  assert_false(wit_lex_is_keyword("version", 7));
  assert_false(wit_lex_is_keyword("feature", 7));
  assert_false(wit_lex_is_keyword("u", 1));
  assert_false(wit_lex_is_keyword("", 0));
  wit_lex_keyword_error(WG_STR("list"), 5, &e);
  assert_int_equal(e.start, 5);
  assert_int_equal(e.end, 9);
  assert_string_equal(e.message,
                      "expected an identifier or string, found keyword `list`");
}

/* Versions the grammar takes whole and wit-parser does not. */
static void versions_wit_parser_reads_otherwise(void **state) {
  (void)state;
  static const char text[] = "1.0.1-a+type 1.2.3-rc.1+b 0.2.0 01.0.0";
  WgStr t = { text, sizeof text - 1 };
  assert_true(wit_syntax_version_differs(t, 0, 12));   /* stops at `type` */
  assert_false(wit_syntax_version_differs(t, 13, 25)); /* one version */
  assert_false(wit_syntax_version_differs(t, 26, 31));
  assert_true(wit_syntax_version_differs(t, 32, 38)); /* leading zero */
}

typedef struct Collected {
  WitSyntaxError items[8];
  int count;
} Collected;

static void collect(void *ud, const WitSyntaxError *e) {
  Collected *c = ud;
  if (c->count < 8) c->items[c->count] = *e;
  c->count++;
}

/* --all-errors: every error tree-sitter recovered from, described by the
 * parse state at it (the first is wit-parser's; the others are where its
 * parser would stop had the earlier ones been fixed). */
static void every_tree_error_described(void **state) {
  (void)state;
  static const char src[] = "package a:b;\n"
                            "interface i {\n"
                            "  type t = u32\n"
                            "  f: func(a: u32 -> u32;\n"
                            "  record r { a: u32 b: u32 }\n"
                            "}\n"
                            "world w {\n"
                            "  import i\n"
                            "  export x: func();\n"
                            "}\n";
  static const Case want[] = {
    { NULL, 44, "expected ';', found an identifier" },
    { NULL, 59, "expected ')', found `->`" },
    { NULL, 87, "expected '}', found an identifier" },
    { NULL, 121, "expected ';', found keyword `export`" },
  };
  WgStr text = { src, sizeof src - 1 };
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_wit());
  TSTree *tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)text.len);
  Collected got = { 0 };
  wit_syntax_tree_errors(text, ts_tree_root_node(tree), collect, &got);
  ts_tree_delete(tree);
  ts_parser_delete(parser);
  assert_int_equal(got.count, 4);
  for (int i = 0; i < 4; i++) {
    assert_int_equal(got.items[i].start, want[i].offset);
    assert_string_equal(got.items[i].message, want[i].message);
  }
}

/* Garbage and truncated text: an error, never a crash. */
static void hostile_text(void **state) {
  (void)state;
  static const char *const bad[] = {
    "}}}}",
    "package",
    "package a",
    "package a:",
    "package a:b@",
    "@",
    "@@@",
    "%",
    "\"",
    "\"\\u{",
    "/*/*",
    "interface i { f: func(",
    "world w { import",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    WitSyntaxError e;
    assert_true(wit_syntax_first_error(wg_str_from_cstr(bad[i]), &e));
    assert_true(e.start <= strlen(bad[i]));
    assert_true(strlen(e.message) > 0);
  }
  size_t n = 1 << 16;
  char *junk = malloc(n + 1);
  for (size_t i = 0; i < n; i++)
    junk[i] = "{<(@%:;>)}a1 ,."[i * 7 % 15];
  junk[n] = '\0';
  WitSyntaxError e;
  assert_true(wit_syntax_first_error(wg_str_from_cstr(junk), &e));
  free(junk);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(first_error_as_wit_parser),
    cmocka_unit_test(package_nesting_limit),
    cmocka_unit_test(type_nesting_limit),
    cmocka_unit_test(valid_text_has_no_error),
    cmocka_unit_test(identifiers_and_keywords),
    cmocka_unit_test(versions_wit_parser_reads_otherwise),
    cmocka_unit_test(every_tree_error_described),
    cmocka_unit_test(hostile_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
