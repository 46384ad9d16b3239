/* SPDX-License-Identifier: Apache-2.0 */
/* The WIT grammar (wit/grammar.js): every construct of WIT.md parses into the
 * tree NODES.md describes. Expected S-expressions are written by hand from
 * the grammar's intent (node and field names of NODES.md); error cases must
 * produce ERROR or MISSING nodes; hostile input must always yield a tree. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "witgen/wit_grammar.h"

static TSTree *parse_len(const char *src, size_t len) {
  TSParser *parser = ts_parser_new();
  assert_true(ts_parser_set_language(parser, tree_sitter_wit()));
  TSTree *tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)len);
  ts_parser_delete(parser);
  assert_non_null(tree);
  return tree;
}

static TSTree *parse(const char *src) {
  return parse_len(src, strlen(src));
}

/* Parses `src` and compares the root's S-expression with `expected`. */
static void check(const char *src, const char *expected) {
  TSTree *tree = parse(src);
  char *sexp = ts_node_string(ts_tree_root_node(tree));
  if (strcmp(sexp, expected) != 0) {
    print_error("source:   %s\nexpected: %s\nactual:   %s\n", src, expected,
                sexp);
  }
  assert_string_equal(sexp, expected);
  free(sexp);
  ts_tree_delete(tree);
}

/* Checks one type expression through `type t = <ty>;` in an interface. */
static void check_type(const char *ty, const char *expected) {
  char src[512], want[1024];
  snprintf(src, sizeof src, "interface i { type t = %s; }", ty);
  snprintf(want, sizeof want,
           "(source_file (interface_item name: (identifier) body: "
           "(interface_body (type_item name: (identifier) type: %s))))",
           expected);
  check(src, want);
}

/* Parses `src`, which must be wrong, and requires an ERROR or MISSING node
 * (`what` is "ERROR" or "MISSING") in the tree. */
static void check_error(const char *src, const char *what) {
  TSTree *tree = parse(src);
  TSNode root = ts_tree_root_node(tree);
  char *sexp = ts_node_string(root);
  if (!ts_node_has_error(root) || !strstr(sexp, what)) {
    print_error("source: %s\ntree:   %s\n(expected %s)\n", src, sexp, what);
  }
  assert_true(ts_node_has_error(root));
  assert_non_null(strstr(sexp, what));
  free(sexp);
  ts_tree_delete(tree);
}

/* ---- packages and top-level use ----------------------------------------- */

static void package_declarations(void **state) {
  (void)state;
  check("package foo:bar;",
        "(source_file package: (package_decl (package_name namespace: "
        "(identifier) name: (identifier))))");
  check("package foo:bar@1.2.3;",
        "(source_file package: (package_decl (package_name namespace: "
        "(identifier) name: (identifier) version: (version))))");
  /* semver pre-release and build metadata are one version token */
  check("package foo:bar@1.2.3-rc.1+build-5.x;",
        "(source_file package: (package_decl (package_name namespace: "
        "(identifier) name: (identifier) version: (version))))");
}

static void nested_packages(void **state) {
  (void)state;
  check("package a:b;\n"
        "package c:d@1.0.0 { interface i {} world w {} }\n"
        "package e:f { use c:d/i@1.0.0; }\n"
        "interface j {}",
        "(source_file package: (package_decl (package_name namespace: "
        "(identifier) name: (identifier))) "
        "(nested_package package: (package_decl (package_name namespace: "
        "(identifier) name: (identifier) version: (version))) "
        "(interface_item name: (identifier) body: (interface_body)) "
        "(world_item name: (identifier) body: (world_body))) "
        "(nested_package package: (package_decl (package_name namespace: "
        "(identifier) name: (identifier))) "
        "(toplevel_use path: (use_path namespace: (identifier) package: "
        "(identifier) name: (identifier) version: (version)))) "
        "(interface_item name: (identifier) body: (interface_body)))");
  /* no package declaration at all: only nested packages */
  check("package a:b {}",
        "(source_file (nested_package package: (package_decl (package_name "
        "namespace: (identifier) name: (identifier)))))");
}

static void toplevel_use(void **state) {
  (void)state;
  check("use a:b/c@1.0.0 as d;\nuse e;\n@since(version = 1.0.0)\nuse f as g;",
        "(source_file (toplevel_use path: (use_path namespace: (identifier) "
        "package: (identifier) name: (identifier) version: (version)) alias: "
        "(identifier)) (toplevel_use path: (use_path name: (identifier))) "
        "(toplevel_use (since_gate version: (version)) path: (use_path name: "
        "(identifier)) alias: (identifier)))");
}

/* ---- interfaces -----------------------------------------------------------
 */

static void interface_uses_and_funcs(void **state) {
  (void)state;
  check("interface i {\n"
        "  use types.{a, b as c};\n"
        "  use w:x/y@1.0.0.{z,};\n"
        "  use empty.{};\n"
        "  f: func();\n"
        "  g: async func(a: u32, b: string,) -> result<u8, string>;\n"
        "}",
        "(source_file (interface_item name: (identifier) body: "
        "(interface_body "
        "(use_item path: (use_path name: (identifier)) (use_name name: "
        "(identifier)) (use_name name: (identifier) alias: (identifier))) "
        "(use_item path: (use_path namespace: (identifier) package: "
        "(identifier) name: (identifier) version: (version)) (use_name name: "
        "(identifier))) "
        "(use_item path: (use_path name: (identifier))) "
        "(func_item name: (identifier) type: (func_type params: "
        "(param_list))) "
        "(func_item name: (identifier) type: (func_type params: (param_list "
        "(named_type name: (identifier) type: (primitive_type)) (named_type "
        "name: (identifier) type: (primitive_type))) result: (result_type ok: "
        "(primitive_type) err: (primitive_type)))))))");
  /* a pre-release version directly followed by `.{` */
  check("interface i { use a:b/c@1.0.0-pre.{d}; }",
        "(source_file (interface_item name: (identifier) body: "
        "(interface_body (use_item path: (use_path namespace: (identifier) "
        "package: (identifier) name: (identifier) version: (version)) "
        "(use_name name: (identifier))))))");
}

static void interface_typedefs(void **state) {
  (void)state;
  check("interface t {\n"
        "  type a = u32;\n"
        "  record r { x: u32, y: list<u8>, }\n"
        "  record empty {}\n"
        "  flags f { a, b }\n"
        "  variant v { none, some(string) }\n"
        "  enum e { red, green, }\n"
        "}",
        "(source_file (interface_item name: (identifier) body: "
        "(interface_body "
        "(type_item name: (identifier) type: (primitive_type)) "
        "(record_item name: (identifier) (record_field name: (identifier) "
        "type: (primitive_type)) (record_field name: (identifier) type: "
        "(list_type element: (primitive_type)))) "
        "(record_item name: (identifier)) "
        "(flags_item name: (identifier) (flag name: (identifier)) (flag name: "
        "(identifier))) "
        "(variant_item name: (identifier) (variant_case name: (identifier)) "
        "(variant_case name: (identifier) type: (primitive_type))) "
        "(enum_item name: (identifier) (enum_case name: (identifier)) "
        "(enum_case name: (identifier))))))");
}

static void resources(void **state) {
  (void)state;
  check("interface t {\n"
        "  resource r1;\n"
        "  resource r2 {\n"
        "    constructor(x: u32);\n"
        "    m: func(other: borrow<r2>) -> own<r2>;\n"
        "    s: static func() -> r2;\n"
        "    t: static async func();\n"
        "    u: async func();\n"
        "  }\n"
        "  resource r3 { constructor() -> result<r3>; }\n"
        "  resource r4 {}\n"
        "}",
        "(source_file (interface_item name: (identifier) body: "
        "(interface_body "
        "(resource_item name: (identifier)) "
        "(resource_item name: (identifier) body: (resource_body "
        "(constructor params: (param_list (named_type name: (identifier) "
        "type: (primitive_type)))) "
        "(func_item name: (identifier) type: (func_type params: (param_list "
        "(named_type name: (identifier) type: (handle_type resource: "
        "(identifier)))) result: (handle_type resource: (identifier)))) "
        "(static_func name: (identifier) type: (func_type params: "
        "(param_list) result: (named_type_ref name: (identifier)))) "
        "(static_func name: (identifier) type: (func_type params: "
        "(param_list))) "
        "(func_item name: (identifier) type: (func_type params: "
        "(param_list))))) "
        "(resource_item name: (identifier) body: (resource_body (constructor "
        "params: (param_list) result: (result_type ok: (named_type_ref name: "
        "(identifier)))))) "
        "(resource_item name: (identifier) body: (resource_body)))))");
}

/* The `async` keyword is an anonymous child in field `async`. */
static void async_field(void **state) {
  (void)state;
  TSTree *tree = parse("interface i { f: async func(); g: func(); }");
  TSNode body = ts_node_child_by_field_name(
      ts_node_named_child(ts_tree_root_node(tree), 0), "body", 4);
  TSNode f = ts_node_named_child(body, 0), g = ts_node_named_child(body, 1);
  TSNode ft = ts_node_child_by_field_name(f, "type", 4);
  TSNode gt = ts_node_child_by_field_name(g, "type", 4);
  TSNode a = ts_node_child_by_field_name(ft, "async", 5);
  assert_false(ts_node_is_null(a));
  assert_string_equal(ts_node_type(a), "async");
  assert_true(ts_node_is_null(ts_node_child_by_field_name(gt, "async", 5)));
  ts_tree_delete(tree);
}

/* ---- worlds ---------------------------------------------------------------
 */

static void worlds(void **state) {
  (void)state;
  check("world w {\n"
        "  import f: func(x: u32);\n"
        "  import g: async func();\n"
        "  export i: interface { h: func(); }\n"
        "  import wasi:io/streams@0.2.0;\n"
        "  export local-iface;\n"
        "  import primary: wasi:keyvalue/store;\n"
        "  import secondary: store;\n"
        "  use a.{b};\n"
        "  type t = u8;\n"
        "  record r {}\n"
        "  flags fl {}\n"
        "  variant v { a }\n"
        "  enum e { a }\n"
        "  resource res;\n"
        "  include other;\n"
        "  include wasi:cli/imports@0.2.0 with { a as b, c as d }\n"
        "  include x with {}\n"
        "}",
        "(source_file (world_item name: (identifier) body: (world_body "
        "(import_item name: (identifier) func: (func_type params: (param_list "
        "(named_type name: (identifier) type: (primitive_type))))) "
        "(import_item name: (identifier) func: (func_type params: "
        "(param_list))) "
        "(export_item name: (identifier) interface: (interface_body "
        "(func_item name: (identifier) type: (func_type params: "
        "(param_list))))) "
        "(import_item path: (use_path namespace: (identifier) package: "
        "(identifier) name: (identifier) version: (version))) "
        "(export_item path: (use_path name: (identifier))) "
        "(import_item name: (identifier) path: (use_path namespace: "
        "(identifier) package: (identifier) name: (identifier))) "
        "(import_item name: (identifier) path: (use_path name: "
        "(identifier))) "
        "(use_item path: (use_path name: (identifier)) (use_name name: "
        "(identifier))) "
        "(type_item name: (identifier) type: (primitive_type)) "
        "(record_item name: (identifier)) "
        "(flags_item name: (identifier)) "
        "(variant_item name: (identifier) (variant_case name: (identifier))) "
        "(enum_item name: (identifier) (enum_case name: (identifier))) "
        "(resource_item name: (identifier)) "
        "(include_item path: (use_path name: (identifier))) "
        "(include_item path: (use_path namespace: (identifier) package: "
        "(identifier) name: (identifier) version: (version)) (include_name "
        "name: (identifier) alias: (identifier)) (include_name name: "
        "(identifier) alias: (identifier))) "
        "(include_item path: (use_path name: (identifier))))))");
}

/* ---- types ----------------------------------------------------------------
 */

static void primitive_types(void **state) {
  (void)state;
  static const char *const prims[] = {
    "u8",  "u16", "u32", "u64",  "s8",     "s16",           "s32",
    "s64", "f32", "f64", "char", "string", "error-context", "bool",
  };
  for (size_t i = 0; i < sizeof prims / sizeof *prims; i++) {
    check_type(prims[i], "(primitive_type)");
  }
  /* float32/float64 are not WIT keywords (any more): plain type names */
  check_type("float32", "(named_type_ref name: (identifier))");
  check_type("float64", "(named_type_ref name: (identifier))");
}

static void compound_types(void **state) {
  (void)state;
  check_type("tuple<u8, s16, f32>",
             "(tuple_type (primitive_type) (primitive_type) (primitive_type))");
  check_type("tuple<u8,>", "(tuple_type (primitive_type))");
  check_type("tuple<>", "(tuple_type)");
  check_type("list<u8>", "(list_type element: (primitive_type))");
  check_type("list<u8, 4>",
             "(list_type element: (primitive_type) length: (integer))");
  check_type("map<string, list<u32>>",
             "(map_type key: (primitive_type) value: (list_type element: "
             "(primitive_type)))");
  check_type("option<bool>", "(option_type payload: (primitive_type))");
  check_type("result", "(result_type)");
  check_type("result<u8>", "(result_type ok: (primitive_type))");
  check_type("result<_, string>", "(result_type err: (primitive_type))");
  check_type("result<u8, my-error>",
             "(result_type ok: (primitive_type) err: (named_type_ref name: "
             "(identifier)))");
  check_type("borrow<r>", "(handle_type resource: (identifier))");
  check_type("own<r>", "(handle_type resource: (identifier))");
  check_type("future", "(future_type)");
  check_type("future<u8>", "(future_type payload: (primitive_type))");
  check_type("stream", "(stream_type)");
  check_type("stream<option<r>>",
             "(stream_type payload: (option_type payload: (named_type_ref "
             "name: (identifier))))");
  check_type("my-type", "(named_type_ref name: (identifier))");
  check_type("list<list<list<u8>>>",
             "(list_type element: (list_type element: (list_type element: "
             "(primitive_type))))");
}

/* ---- gates, external ids, comments, escaped identifiers -------------------
 */

static void gates(void **state) {
  (void)state;
  check("@since(version = 0.2.0)\n"
        "@deprecated(version = 0.2.2)\n"
        "interface i {\n"
        "  @unstable(feature = fancier-foo)\n"
        "  d: func();\n"
        "  @since(version = 1.0.0)\n"
        "  type t = u8;\n"
        "  @external-id(\"DB.Bar\")\n"
        "  resource bar {\n"
        "    @external-id(\"baz/1\") baz: func();\n"
        "    @since(version = 1.0.0) constructor();\n"
        "    @unstable(feature = f) s: static func();\n"
        "  }\n"
        "  @since(version = 1.0.0) use a.{b};\n"
        "  @since(version = 1.0.0) record r { a: u8 }\n"
        "  @since(version = 1.0.0) variant v { a }\n"
        "  @since(version = 1.0.0) enum e { a }\n"
        "  @since(version = 1.0.0) flags f { a }\n"
        "}",
        "(source_file (interface_item (since_gate version: (version)) "
        "(deprecated_gate version: (version)) name: (identifier) body: "
        "(interface_body "
        "(func_item (unstable_gate feature: (identifier)) name: (identifier) "
        "type: (func_type params: (param_list))) "
        "(type_item (since_gate version: (version)) "
        "name: (identifier) type: (primitive_type)) "
        "(resource_item (external_id id: (string)) name: (identifier) body: "
        "(resource_body "
        "(func_item (external_id id: (string)) name: (identifier) type: "
        "(func_type params: (param_list))) "
        "(constructor (since_gate version: (version)) params: (param_list)) "
        "(static_func (unstable_gate feature: (identifier)) name: "
        "(identifier) type: (func_type params: (param_list))))) "
        "(use_item (since_gate version: (version)) path: (use_path name: "
        "(identifier)) (use_name name: (identifier))) "
        "(record_item (since_gate version: (version)) name: (identifier) "
        "(record_field name: (identifier) type: (primitive_type))) "
        "(variant_item (since_gate version: (version)) name: (identifier) "
        "(variant_case name: (identifier))) "
        "(enum_item (since_gate version: (version)) name: (identifier) "
        "(enum_case name: (identifier))) "
        "(flags_item (since_gate version: (version)) name: (identifier) "
        "(flag name: (identifier))))))");
  check("@unstable(feature = f)\n"
        "world w {\n"
        "  @since(version = 1.0.0) import x: func();\n"
        "  @external-id(\"https://esm.unpkg.com/slugify@1.6.6\")\n"
        "  export y: func();\n"
        "  @unstable(feature = g) include z;\n"
        "  @since(version = 1.0.0) import a:b/c;\n"
        "}",
        "(source_file (world_item (unstable_gate feature: (identifier)) "
        "name: (identifier) body: (world_body "
        "(import_item (since_gate version: (version)) name: (identifier) "
        "func: (func_type params: (param_list))) "
        "(export_item (external_id id: (string)) name: (identifier) func: "
        "(func_type params: (param_list))) "
        "(include_item (unstable_gate feature: (identifier)) path: "
        "(use_path name: (identifier))) "
        "(import_item (since_gate version: (version)) path: (use_path "
        "namespace: (identifier) package: (identifier) name: "
        "(identifier))))))");
  /* string escapes of the core `name` syntax */
  check("world w { @external-id(\"a\\\"b\\7f\\u{7fff}\\n\") import x: func(); "
        "}",
        "(source_file (world_item name: (identifier) body: (world_body "
        "(import_item (external_id id: (string)) name: (identifier) func: "
        "(func_type params: (param_list))))))");
}

static void comments(void **state) {
  (void)state;
  check("// line\n"
        "/// doc for i\n"
        "/* block /* nested */ still inside */\n"
        "/** block doc */\n"
        "//// four slashes: plain\n"
        "interface i {} /**/\n",
        "(source_file (comment) (doc_comment) (comment) (doc_comment) "
        "(comment) (interface_item name: (identifier) body: "
        "(interface_body)) (comment))");
  /* comments anywhere, and a doc comment precedes its item in the parent */
  check("interface /* a */ i { /// doc\n f: func(/* p */); // end\n }",
        "(source_file (interface_item (comment) name: (identifier) body: "
        "(interface_body (doc_comment) (func_item name: (identifier) type: "
        "(func_type params: (param_list (comment)))) (comment))))");
  /* a block opener inside a line comment, and `//` inside a block: text */
  check("// /* not open\n/* // */ interface i {}",
        "(source_file (comment) (comment) (interface_item name: (identifier) "
        "body: (interface_body)))");
  check("/* a\n * b /* c /* d */ e */\n */ world w {}",
        "(source_file (comment) (world_item name: (identifier) body: "
        "(world_body)))");
}

/* Keywords are contextual: where the grammar cannot expect a keyword, a
 * bare one is lexed as an identifier, and the resolver rejects it (NODES.md).
 * wit-parser reserves them everywhere; `from` is reserved but unused. */
static void keywords_where_only_names_fit(void **state) {
  (void)state;
  check("interface type { record r { list: u8 } }",
        "(source_file (interface_item name: (identifier) body: "
        "(interface_body (record_item name: (identifier) (record_field name: "
        "(identifier) type: (primitive_type))))))");
  check("interface from {}", "(source_file (interface_item name: "
                             "(identifier) body: (interface_body)))");
}

static void keyword_list(void **state) {
  (void)state;
  static const char *const words[] = {
    "as",        "async",       "bool",          "borrow",
    "char",      "constructor", "enum",          "export",
    "f32",       "f64",         "flags",         "from",
    "func",      "future",      "import",        "include",
    "interface", "list",        "map",           "option",
    "own",       "package",     "record",        "resource",
    "result",    "s16",         "s32",           "s64",
    "s8",        "static",      "stream",        "string",
    "tuple",     "type",        "u16",           "u32",
    "u64",       "u8",          "use",           "variant",
    "with",      "world",       "error-context",
  };
  for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
    assert_true(wg_wit_is_keyword(words[i], strlen(words[i])));
  }
  static const char *const names[] = {
    "version", "feature", "since", "float32", "types",  "u",
    "u80",     "%type",   "a",     "zzz",     "with-x", "Type",
  };
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    assert_false(wg_wit_is_keyword(names[i], strlen(names[i])));
  }
  assert_false(wg_wit_is_keyword(NULL, 0));
  assert_false(wg_wit_is_keyword("", 0));
  assert_true(wg_wit_is_keyword("u32;", 3)); /* not NUL-terminated */
  /* what a front end does: wit-parser's parse-fail case bad-resource1 */
  const char *src = "interface foo { type t = borrow<u32>; }";
  TSTree *tree = parse(src);
  assert_false(ts_node_has_error(ts_tree_root_node(tree)));
  TSNode body = ts_node_child_by_field_name(
      ts_node_named_child(ts_tree_root_node(tree), 0), "body", 4);
  TSNode ty =
      ts_node_child_by_field_name(ts_node_named_child(body, 0), "type", 4);
  TSNode res = ts_node_child_by_field_name(ty, "resource", 8);
  uint32_t start = ts_node_start_byte(res), end = ts_node_end_byte(res);
  assert_true(wg_wit_is_keyword(src + start, end - start));
  ts_tree_delete(tree);
}

/* The editor query compiles against the language (names and fields exist). */
static void highlights_query_compiles(void **state) {
  (void)state;
  uint8_t *text = NULL;
  size_t len = 0;
  assert_int_equal(
      wg_file_read(WITGEN_WIT_DIR "/queries/highlights.scm", &text, &len),
      WG_OK);
  uint32_t error_offset = 0;
  TSQueryError error = TSQueryErrorNone;
  TSQuery *query = ts_query_new(tree_sitter_wit(), (const char *)text,
                                (uint32_t)len, &error_offset, &error);
  if (!query) print_error("query error %d at byte %u\n", error, error_offset);
  assert_non_null(query);
  assert_true(ts_query_pattern_count(query) > 10);
  ts_query_delete(query);
  free(text);
}

/* Where comments land in the tree decides which ones are an item's docs:
 * wit-parser takes every comment (not only `///`) between the previous token
 * and the item's first attribute or keyword; comments after the attributes
 * are not docs, and land inside the item node. */
static void comment_placement(void **state) {
  (void)state;
  check("// before package\npackage a:b;\n// c\n/// d\ninterface i {\n"
        "  /// a\n  // b\n  @since(version = 1.0.0)\n  /// not docs\n"
        "  f: func();\n  // trailing\n}",
        "(source_file (comment) package: (package_decl (package_name "
        "namespace: (identifier) name: (identifier))) (comment) (doc_comment) "
        "(interface_item name: (identifier) body: (interface_body "
        "(doc_comment) (comment) (func_item (since_gate version: (version)) "
        "(doc_comment) name: (identifier) type: (func_type params: "
        "(param_list))) (comment))))");
  check("interface i { record r { a: u8, // t\n b: u8 }\n"
        "enum e { /** x */ a, /* y */ b }\n}",
        "(source_file (interface_item name: (identifier) body: "
        "(interface_body (record_item name: (identifier) (record_field name: "
        "(identifier) type: (primitive_type)) (comment) (record_field name: "
        "(identifier) type: (primitive_type))) (enum_item name: (identifier) "
        "(doc_comment) (enum_case name: (identifier)) (comment) (enum_case "
        "name: (identifier))))))");
}

static void escaped_identifiers(void **state) {
  (void)state;
  check("interface %interface { %type: func(%func: %u8) -> %result; "
        "record %record { %list: %string } }",
        "(source_file (interface_item name: (identifier) body: "
        "(interface_body (func_item name: (identifier) type: (func_type "
        "params: (param_list (named_type name: (identifier) type: "
        "(named_type_ref name: (identifier)))) result: (named_type_ref name: "
        "(identifier)))) (record_item name: (identifier) (record_field name: "
        "(identifier) type: (named_type_ref name: (identifier)))))))");
  TSTree *tree = parse("interface %world {}");
  TSNode name = ts_node_child_by_field_name(
      ts_node_named_child(ts_tree_root_node(tree), 0), "name", 4);
  assert_int_equal(ts_node_start_byte(name), 10);
  assert_int_equal(ts_node_end_byte(name), 16); /* the `%` is part of it */
  ts_tree_delete(tree);
}

/* ---- errors ---------------------------------------------------------------
 */

static void syntax_errors(void **state) {
  (void)state;
  check_error("interface i { f: func() }", "MISSING");
  check_error("package a:b", "MISSING");
  check_error("interface i { type t = list<u8; }", "MISSING");
  /* a keyword where the grammar also expects it */
  check_error("interface i { type: func(); }", "ERROR");
  check_error("world w { export: func(); }", "ERROR");
  check_error("interface i { f: fn(); }", "ERROR");
  check_error("world w { import; }", "MISSING");
  check_error("interface i { type t = result<_>; }", "ERROR");
  check_error("interface i { type t = borrow<list<u8>>; }", "ERROR");
  check_error("interface i { type t = list<u8, x>; }", "ERROR");
  check_error("package a:b@1.0;", "ERROR"); /* version needs 3 parts */
  /* nested namespaces and packages (future WIT; wit-parser rejects them) */
  check_error("package a:b:c;", "ERROR");
  check_error("package a:b/c@1.0.0;", "ERROR");
  check_error("package a:b:c/d/e@0.1.0 {}", "ERROR");
  check_error("@since(version = 1.0.0) package a:b { }", "ERROR");
  check_error("@since(feature = x) interface i {}", "ERROR");
  check_error("@unknown(x) interface i {}", "ERROR");
  /* gate forms WIT.md and wit-parser do not accept */
  check_error("@since(version = 1.0.0, feature = x) interface i {}", "ERROR");
  check_error("@unstable(feature = x,) interface i {}", "ERROR");
  check_error("@deprecated(version = 1.0.0,) interface i {}", "ERROR");
  check_error("interface i { record r { @since(version = 1.0.0) a: u8 } }",
              "ERROR");
  check_error("interface i { flags f { @unstable(feature = x) a } }", "ERROR");
  check_error("interface i { enum e { @since(version = 1.0.0) a } }", "ERROR");
  check_error("interface i { variant v { @since(version = 1.0.0) a } }",
              "ERROR");
  check_error("interface i {} }", "ERROR");
  check_error("world w { include x with { a }; }", "ERROR");
  check_error("interface i { resource r { constructor: func(); } }", "ERROR");
  check_error("interface i { type t = u8 }", "MISSING");
  check_error("interface i { x: func() -> }", "ERROR");
  check_error("interface a_b {}", "ERROR");
  check_error("world w { @external-id(\"abc) import x: func(); }", "ERROR");
}

/* ---- robustness: every input yields a tree, and the parser never crashes - */

static void empty_and_blank_inputs(void **state) {
  (void)state;
  check("", "(source_file)");
  check(" \t\r\n", "(source_file)");
  check("// only a comment", "(source_file (comment))");
  TSTree *tree = parse_len(NULL, 0);
  assert_false(ts_node_has_error(ts_tree_root_node(tree)));
  ts_tree_delete(tree);
}

static void hostile_bytes(void **state) {
  (void)state;
  static const char nul[] = "interface i {\0 f: func(); }";
  TSTree *tree = parse_len(nul, sizeof nul - 1);
  assert_true(ts_node_has_error(ts_tree_root_node(tree)));
  ts_tree_delete(tree);
  static const char only_nul[4] = { 0, 0, 0, 0 };
  tree = parse_len(only_nul, sizeof only_nul);
  assert_true(ts_node_has_error(ts_tree_root_node(tree)));
  ts_tree_delete(tree);
  check_error("interface \xff\xfe {}", "ERROR");
  check_error("interface i { f\xc3: func(); }", "ERROR");
  check_error("\xf0\x9f\x98\x80", "ERROR");
  check_error("interface i {} \x80\x80\x80", "ERROR");
}

static void unterminated_comments(void **state) {
  (void)state;
  /* the rest of the input is one token that no rule accepts */
  check("interface i {} /* /* x */\ninterface j {}",
        "(source_file (interface_item name: (identifier) body: "
        "(interface_body)) (ERROR (unterminated_comment)))");
  check_error("interface i {} /* never closed", "unterminated_comment");
  check_error("interface i {} /* /* one closer */", "ERROR");
  check_error("/*", "ERROR");
  check_error("interface i { /** doc never closed }", "ERROR");
}

/* tree_sitter_wit_without_comments() gives the trees tree_sitter_wit()
 * gives on text without comments, and rejects a comment. */
static void language_without_comments(void **state) {
  (void)state;
  static const char *const sources[] = {
    "package a:b@1.0.0;\ninterface i {\n  type t = list<u8, 4>;\n"
    "  f: async func(a: borrow<r>) -> result<t, string>;\n"
    "  resource r { constructor(); m: func(); }\n}\n"
    "world w { import i; export g: func(); include x with { a as b } }\n",
    "interface i { f: func(; }",
    "@since(version = 1.0.0) interface i { type t = u32 u32; }",
    "interface i { \"unterminated }",
  };
  TSParser *parser = ts_parser_new();
  for (size_t i = 0; i < sizeof sources / sizeof *sources; i++) {
    uint32_t len = (uint32_t)strlen(sources[i]);
    assert_true(ts_parser_set_language(parser, tree_sitter_wit()));
    TSTree *a = ts_parser_parse_string(parser, NULL, sources[i], len);
    assert_true(
        ts_parser_set_language(parser, tree_sitter_wit_without_comments()));
    TSTree *b = ts_parser_parse_string(parser, NULL, sources[i], len);
    char *sa = ts_node_string(ts_tree_root_node(a));
    char *sb = ts_node_string(ts_tree_root_node(b));
    assert_string_equal(sa, sb);
    free(sa);
    free(sb);
    ts_tree_delete(a);
    ts_tree_delete(b);
  }
  static const char with_comment[] = "interface i { /// doc\n type t = u8; }";
  TSTree *t = ts_parser_parse_string(parser, NULL, with_comment,
                                     (uint32_t)strlen(with_comment));
  assert_true(ts_node_has_error(ts_tree_root_node(t)));
  ts_tree_delete(t);
  ts_parser_delete(parser);
}

/* The front-end's kind and field tables (parser/src/wit_nodes.h) cover
 * symbol ids below 1024 and field ids below 256. */
static void language_fits_the_front_end_tables(void **state) {
  (void)state;
  assert_true(ts_language_symbol_count(tree_sitter_wit()) <= 1024);
  assert_true(ts_language_field_count(tree_sitter_wit()) < 256);
}

static char *repeat_string(const char *head, const char *unit, size_t count,
                           const char *middle, const char *unit2,
                           const char *tail) {
  size_t n = strlen(head) + count * (strlen(unit) + strlen(unit2)) +
             strlen(middle) + strlen(tail) + 1;
  char *s = malloc(n), *p = s;
  assert_non_null(s);
  p += sprintf(p, "%s", head);
  for (size_t i = 0; i < count; i++)
    p += sprintf(p, "%s", unit);
  p += sprintf(p, "%s", middle);
  for (size_t i = 0; i < count; i++)
    p += sprintf(p, "%s", unit2);
  sprintf(p, "%s", tail);
  return s;
}

static size_t max_depth(TSTree *tree) {
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  size_t depth = 0, deepest = 0;
  for (;;) {
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      if (++depth > deepest) deepest = depth;
      continue;
    }
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        ts_tree_cursor_delete(&cursor);
        return deepest;
      }
      depth--;
    }
  }
}

static void deep_nesting(void **state) {
  (void)state;
  enum { DEPTH = 10000 };
  char *src = repeat_string("interface i { type t = ", "list<", DEPTH, "u8",
                            ">", "; }");
  TSTree *tree = parse(src);
  assert_false(ts_node_has_error(ts_tree_root_node(tree)));
  assert_true(max_depth(tree) > DEPTH);
  ts_tree_delete(tree);
  free(src);
  /* unbalanced: deep and never closed */
  src = repeat_string("interface i { type t = ", "list<", DEPTH, "u8", "", "");
  tree = parse(src);
  assert_true(ts_node_has_error(ts_tree_root_node(tree)));
  ts_tree_delete(tree);
  free(src);
  /* deeply nested block comments, balanced and not */
  src = repeat_string("", "/*", DEPTH, " x ", "*/", "interface i {}");
  check(src, "(source_file (comment) (interface_item name: (identifier) "
             "body: (interface_body)))");
  free(src);
  src = repeat_string("", "/*", DEPTH, "", "", "");
  check(src, "(source_file (ERROR (unterminated_comment)))");
  free(src);
  /* braces the grammar does not expect */
  src = repeat_string("interface i ", "{", DEPTH, "", "}", "");
  tree = parse(src);
  assert_true(ts_node_has_error(ts_tree_root_node(tree)));
  ts_tree_delete(tree);
  free(src);
}

/* Deterministic mini-fuzz: random WIT-like token soup must always give a
 * tree (the long runs are the libFuzzer target fuzz_wit_grammar). */
static void random_token_soup(void **state) {
  (void)state;
  static const char *const toks[] = {
    "package",    "interface", "world",
    "use",        "as",        "import",
    "export",     "include",   "with",
    "type",       "record",    "variant",
    "enum",       "flags",     "resource",
    "func",       "static",    "constructor",
    "async",      "list",      "map",
    "option",     "result",    "tuple",
    "borrow",     "own",       "future",
    "stream",     "u8",        "x",
    "%y",         "a:b",       "/",
    "@",          "1.2.3",     "4",
    "{",          "}",         "(",
    ")",          "<",         ">",
    ",",          ";",         ":",
    ".",          "=",         "->",
    "_",          "//c\n",     "/*",
    "*/",         "///d\n",    "@since(version = 1.0.0)",
    "@unstable(", "\"s\"",     "\xff",
    "\n",
  };
  uint32_t seed = 12345;
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_wit());
  char buf[2048];
  for (int round = 0; round < 2000; round++) {
    size_t len = 0;
    seed = seed * 1103515245u + 12345u;
    int count = (int)(seed >> 16) % 80;
    for (int i = 0; i < count; i++) {
      seed = seed * 1103515245u + 12345u;
      const char *t = toks[(seed >> 16) % (sizeof toks / sizeof *toks)];
      size_t n = strlen(t);
      if (len + n + 2 > sizeof buf) break;
      memcpy(buf + len, t, n);
      len += n;
      buf[len++] = ' ';
    }
    TSTree *tree = ts_parser_parse_string(parser, NULL, buf, (uint32_t)len);
    assert_non_null(tree);
    char *sexp = ts_node_string(ts_tree_root_node(tree));
    assert_non_null(sexp);
    free(sexp);
    ts_tree_delete(tree);
  }
  ts_parser_delete(parser);
}

/* ---- the parse table ------------------------------------------------------
 * wg_wit_grammar_action/_goto must drive the table as tree-sitter does:
 * token sequences it parses are accepted, and a token it rejects has no
 * action. */

static TSSymbol terminal(const char *name, bool named) {
  return ts_language_symbol_for_name(tree_sitter_wit(), name,
                                     (uint32_t)strlen(name), named);
}

/* Feeds terminals through the table: 1 accepted, 0 rejected at the last. */
static int drive(const TSSymbol *tokens, size_t n) {
  uint16_t stack[64] = { WG_WIT_START_STATE };
  size_t depth = 1;
  for (size_t i = 0; i < n; i++) {
    for (int guard = 0; guard < 100; guard++) {
      WgWitAction a = wg_wit_grammar_action(stack[depth - 1], tokens[i]);
      if (a.kind == WG_WIT_ACTION_NONE) return 0;
      if (a.kind == WG_WIT_ACTION_ACCEPT) return 1;
      if (a.kind == WG_WIT_ACTION_SHIFT) {
        assert_true(depth < 64);
        stack[depth++] = a.state;
        break;
      }
      assert_true(a.child_count < depth);
      depth -= a.child_count;
      uint16_t g = wg_wit_grammar_goto(stack[depth - 1], a.symbol);
      assert_int_not_equal(g, 0);
      stack[depth++] = g;
    }
  }
  return -1; /* not finished */
}

static void parse_table(void **state) {
  (void)state;
  TSSymbol id = terminal("identifier", true), semi = terminal(";", false),
           colon = terminal(":", false), pkg = terminal("package", false),
           iface = terminal("interface", false), lb = terminal("{", false),
           rb = terminal("}", false), type = terminal("type", false),
           eq = terminal("=", false), u32 = terminal("u32", false),
           lt = terminal("<", false), list = terminal("list", false), end = 0;
  assert_true(wg_wit_grammar_token_count() > rb);
  assert_true(wg_wit_grammar_token_count() <=
              ts_language_symbol_count(tree_sitter_wit()));
  /* package a:b; interface i { type t = list<u32>; } */
  TSSymbol ok[] = { pkg,   id,   colon, id,   semi,
                    iface, id,   lb,    type, id,
                    eq,    list, lt,    u32,  terminal(">", false),
                    semi,  rb,   end };
  assert_int_equal(drive(ok, sizeof ok / sizeof *ok), 1);
  TSSymbol empty[] = { end };
  assert_int_equal(drive(empty, 1), 1);
  /* type t = u32 } : the `}` needs a `;` first */
  TSSymbol bad[] = { iface, id, lb, type, id, eq, u32, rb };
  assert_int_equal(drive(bad, sizeof bad / sizeof *bad), 0);
  TSSymbol keyword_name[] = { iface, u32 };
  assert_int_equal(drive(keyword_name, 2), 0);
  /* out of range: no action, no state */
  assert_int_equal(wg_wit_grammar_action(WG_WIT_START_STATE, 60000).kind,
                   WG_WIT_ACTION_NONE);
  assert_int_equal(wg_wit_grammar_action(60000, pkg).kind, WG_WIT_ACTION_NONE);
  assert_int_equal(wg_wit_grammar_goto(WG_WIT_START_STATE, pkg), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(package_declarations),
    cmocka_unit_test(nested_packages),
    cmocka_unit_test(toplevel_use),
    cmocka_unit_test(interface_uses_and_funcs),
    cmocka_unit_test(interface_typedefs),
    cmocka_unit_test(resources),
    cmocka_unit_test(async_field),
    cmocka_unit_test(worlds),
    cmocka_unit_test(primitive_types),
    cmocka_unit_test(compound_types),
    cmocka_unit_test(gates),
    cmocka_unit_test(comments),
    cmocka_unit_test(keywords_where_only_names_fit),
    cmocka_unit_test(keyword_list),
    cmocka_unit_test(highlights_query_compiles),
    cmocka_unit_test(comment_placement),
    cmocka_unit_test(escaped_identifiers),
    cmocka_unit_test(syntax_errors),
    cmocka_unit_test(empty_and_blank_inputs),
    cmocka_unit_test(hostile_bytes),
    cmocka_unit_test(unterminated_comments),
    cmocka_unit_test(language_without_comments),
    cmocka_unit_test(language_fits_the_front_end_tables),
    cmocka_unit_test(deep_nesting),
    cmocka_unit_test(random_token_soup),
    cmocka_unit_test(parse_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
