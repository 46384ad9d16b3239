/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the WIT front-end (parser/): resolution rules of the WIT
 * spec and wit-parser, checked on small sources. */
#define _POSIX_C_SOURCE 200809L
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "witgen/wit.h"

static WgWitResolve *load(const char *src, WgDiagList **diags_out,
                          const char *feature) {
  const char *features[1] = { feature };
  WgWitOptions opt = { features, feature ? 1 : 0, false, false };
  WgDiagList *diags = wg_diag_list_new();
  WgWitResolve *r = NULL;
  wg_wit_load_source("t.wit", wg_str_from_cstr(src), &opt, diags, &r);
  if (diags_out)
    *diags_out = diags;
  else
    wg_diag_list_delete(diags);
  return r;
}

static char *render(const WgDiagList *list) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  wg_diag_list_print(list, f);
  fclose(f);
  return text;
}

static const WgWitTypeDef *type_named(const WgWitResolve *r, const char *n) {
  for (size_t i = 0; i < r->types.count; i++)
    if (r->types.items[i].name.ptr && strlen(n) == r->types.items[i].name.len &&
        memcmp(n, r->types.items[i].name.ptr, strlen(n)) == 0)
      return &r->types.items[i];
  return NULL;
}

static void record_fields_and_docs(void **state) {
  (void)state;
  WgWitResolve *r = load("package a:b@1.0.0;\n"
                         "interface i {\n"
                         "  /// A point.\n"
                         "  record point { x: s32, y: s32 }\n"
                         "}\n",
                         NULL, NULL);
  assert_non_null(r);
  assert_int_equal(r->packages.count, 1);
  assert_int_equal(r->interfaces.count, 1);
  const WgWitTypeDef *t = type_named(r, "point");
  assert_non_null(t);
  assert_int_equal(t->kind, WG_WIT_KIND_RECORD);
  assert_int_equal(t->cases.count, 2);
  assert_int_equal(t->cases.items[1].type, WG_WIT_S32);
  assert_int_equal(t->owner_kind, WG_WIT_OWNER_INTERFACE);
  /* wit-parser strips the common leading whitespace of doc lines */
  assert_string_equal(t->docs.ptr, "A point.");
  wg_wit_resolve_free(r);
}

static void anonymous_types_are_shared(void **state) {
  (void)state;
  WgWitResolve *r = load("package a:b;\n"
                         "interface i {\n"
                         "  f: func(a: list<u8>) -> list<u8>;\n"
                         "  g: func(b: list<u8>);\n"
                         "}\n",
                         NULL, NULL);
  assert_non_null(r);
  /* one anonymous list<u8> for all three uses */
  assert_int_equal(r->types.count, 1);
  assert_int_equal(r->types.items[0].kind, WG_WIT_KIND_LIST);
  const WgWitFunction *f = &r->interfaces.items[0].functions.items[0];
  assert_int_equal(f->params.items[0].type, f->result);
  wg_wit_resolve_free(r);
}

static void resource_methods_get_self_and_own_handles(void **state) {
  (void)state;
  WgWitResolve *r = load("package a:b;\n"
                         "interface i {\n"
                         "  resource r { constructor(); m: func() -> r; }\n"
                         "}\n",
                         NULL, NULL);
  assert_non_null(r);
  const WgWitInterface *ifc = &r->interfaces.items[0];
  assert_int_equal(ifc->functions.count, 2);
  assert_memory_equal(ifc->functions.items[0].name.ptr, "[constructor]r", 14);
  assert_int_equal(ifc->functions.items[1].kind, WG_WIT_FUNC_METHOD);
  WgWitType self = ifc->functions.items[1].params.items[0].type;
  assert_true(WG_WIT_TYPE_IS_ID(self));
  assert_int_equal(r->types.items[WG_WIT_TYPE_ID(self)].kind,
                   WG_WIT_KIND_HANDLE_BORROW);
  WgWitType res = ifc->functions.items[1].result;
  assert_int_equal(r->types.items[WG_WIT_TYPE_ID(res)].kind,
                   WG_WIT_KIND_HANDLE_OWN);
  wg_wit_resolve_free(r);
}

static void feature_gates_filter_items(void **state) {
  (void)state;
  const char *src = "package a:b;\n"
                    "interface i {\n"
                    "  @unstable(feature = fancy)\n"
                    "  f: func();\n"
                    "  g: func();\n"
                    "}\n";
  WgWitResolve *off = load(src, NULL, NULL);
  WgWitResolve *on = load(src, NULL, "fancy");
  assert_non_null(off);
  assert_non_null(on);
  assert_int_equal(off->interfaces.items[0].functions.count, 1);
  assert_int_equal(on->interfaces.items[0].functions.count, 2);
  assert_int_equal(on->interfaces.items[0].functions.items[0].stability.kind,
                   WG_WIT_STABILITY_UNSTABLE);
  wg_wit_resolve_free(off);
  wg_wit_resolve_free(on);
}

static void world_elaborates_used_interfaces(void **state) {
  (void)state;
  WgWitResolve *r = load("package a:b;\n"
                         "interface types { type t = u32; }\n"
                         "interface api { use types.{t}; f: func() -> t; }\n"
                         "world w { export api; }\n",
                         NULL, NULL);
  assert_non_null(r);
  const WgWitWorld *w = &r->worlds.items[0];
  /* `types` becomes an implicit import of the world */
  assert_int_equal(w->imports.count, 1);
  assert_true(w->imports.items[0].key_is_interface);
  assert_int_equal(w->imports.items[0].id, 0);
  assert_int_equal(w->exports.count, 1);
  assert_int_equal(w->exports.items[0].id, 1);
  wg_wit_resolve_free(r);
}

static void bad_identifier_is_located(void **state) {
  (void)state;
  WgDiagList *diags;
  WgWitResolve *r = load(
      "package a:b;\ninterface i {\n  type Foo-bar = u32;\n}\n", &diags, NULL);
  assert_null(r);
  char *text = render(diags);
  assert_non_null(
      strstr(text, "t.wit:3:8: error: invalid character in identifier 'o'"));
  free(text);
  wg_diag_list_delete(diags);
}

static void borrow_in_result_is_rejected(void **state) {
  (void)state;
  WgDiagList *diags;
  WgWitResolve *r = load("package a:b;\ninterface i {\n  resource r;\n"
                         "  f: func() -> borrow<r>;\n}\n",
                         &diags, NULL);
  assert_null(r);
  assert_int_equal(wg_diag_list_error_count(diags), 1);
  char *text = render(diags);
  assert_non_null(strstr(text, "t.wit:4:3: error:"));
  assert_non_null(strstr(text, "borrow"));
  free(text);
  wg_diag_list_delete(diags);
}

/* One syntax error per file, as wit-parser (its message and place); every
 * error tree-sitter recovered from with `all_errors`. */
static void several_syntax_errors_are_reported(void **state) {
  (void)state;
  static const char src[] = "package a:b;\ninterface i {\n  f: func(;\n}\n"
                            "interface j {\n  g: func(;\n}\n";
  WgDiagList *diags;
  WgWitResolve *r = load(src, &diags, NULL);
  assert_null(r);
  assert_int_equal(wg_diag_list_error_count(diags), 1);
  char *text = render(diags);
  assert_non_null(strstr(
      text, "t.wit:3:11: error: expected an identifier or string, found ';'"));
  free(text);
  wg_diag_list_delete(diags);

  WgWitOptions opt = { NULL, 0, false, true };
  diags = wg_diag_list_new();
  assert_int_not_equal(
      wg_wit_load_source("t.wit", wg_str_from_cstr(src), &opt, diags, &r),
      WG_OK);
  assert_int_equal(wg_diag_list_error_count(diags), 2);
  text = render(diags);
  assert_non_null(strstr(
      text, "t.wit:3:11: error: expected an identifier or string, found ';'"));
  assert_non_null(strstr(
      text, "t.wit:6:11: error: expected an identifier or string, found ';'"));
  free(text);
  wg_diag_list_delete(diags);
}

static void hostile_input_gives_errors(void **state) {
  (void)state;
  static const char *const inputs[] = {
    "", "\xff\xfe", "package a:b;\n/* unterminated", "package a:b;\0x",
    "package a:b; interface i { type t = list<list<list<list<u8"
  };
  for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
    WgDiagList *diags = wg_diag_list_new();
    WgWitResolve *r = NULL;
    WgStr s = { inputs[i], i == 3 ? 14 : strlen(inputs[i]) };
    WgStatus st = wg_wit_load_source("h.wit", s, NULL, diags, &r);
    assert_int_not_equal(st, WG_OK);
    assert_null(r);
    assert_true(wg_diag_list_error_count(diags) >= 1);
    wg_diag_list_delete(diags);
  }
}

static void deep_nesting_is_an_error(void **state) {
  (void)state;
  size_t depth = 10000;
  char *src = malloc(depth * 6 + 100);
  strcpy(src, "package a:b; interface i { type t = ");
  for (size_t i = 0; i < depth; i++)
    strcat(src, "list<");
  strcat(src, "u8");
  for (size_t i = 0; i < depth; i++)
    strcat(src, ">");
  strcat(src, "; }");
  WgDiagList *diags = wg_diag_list_new();
  WgWitResolve *r = NULL;
  assert_int_not_equal(
      wg_wit_load_source("d.wit", wg_str_from_cstr(src), NULL, diags, &r),
      WG_OK);
  wg_diag_list_delete(diags);
  free(src);
}

/* Line comments are cut out of what tree-sitter reads (wit_comments.c): the
 * tokens around them must stay apart, `//` inside a string is no comment,
 * and doc comments still attach to the next item. */
static void comments_cut_from_the_parse(void **state) {
  (void)state;
  WgWitResolve *r = load("package a:b@1.0.0//c\n;\n"
                         "interface i {\n"
                         "  @external-id(\"x//y\") // after\n"
                         "  type v = u32;\n"
                         "  type u = list<u8, 4//four\n>;\n"
                         "  /// first\n"
                         "  // plain\n"
                         "  ///   second\n"
                         "  type t//c\n=u32;\n"
                         "}\n",
                         NULL, NULL);
  assert_non_null(r);
  assert_string_equal(r->packages.items[0].name.version.ptr, "1.0.0");
  assert_string_equal(type_named(r, "v")->external_id.ptr, "x//y");
  const WgWitTypeDef *u = type_named(r, "u");
  assert_non_null(u);
  assert_int_equal(u->kind, WG_WIT_KIND_FIXED_LIST);
  assert_int_equal(u->size, 4);
  const WgWitTypeDef *t = type_named(r, "t");
  assert_non_null(t);
  assert_string_equal(t->docs.ptr, "first\nplain\n  second");
  wg_wit_resolve_free(r);

  /* a comment does not join the tokens around it */
  WgDiagList *diags = NULL;
  r = load("package a:b;\ninterface i {\n  type t/**/u = u32;\n}\n", &diags,
           NULL);
  assert_null(r);
  char *text = render(diags);
  assert_non_null(
      strstr(text, "t.wit:3:13: error: expected '=', found an identifier"));
  free(text);
  wg_diag_list_delete(diags);

  /* non-ASCII outside comments: the whole text is parsed */
  r = load("package a:b;\ninterface i {\n  type t = u32;\xc2\xa0// c\n}\n",
           &diags, NULL);
  assert_null(r);
  text = render(diags);
  assert_non_null(
      strstr(text, "t.wit:3:16: error: unexpected character '\\u{a0}'"));
  free(text);
  wg_diag_list_delete(diags);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(record_fields_and_docs),
    cmocka_unit_test(anonymous_types_are_shared),
    cmocka_unit_test(resource_methods_get_self_and_own_handles),
    cmocka_unit_test(feature_gates_filter_items),
    cmocka_unit_test(world_elaborates_used_interfaces),
    cmocka_unit_test(bad_identifier_is_located),
    cmocka_unit_test(borrow_in_result_is_rejected),
    cmocka_unit_test(several_syntax_errors_are_reported),
    cmocka_unit_test(hostile_input_gives_errors),
    cmocka_unit_test(deep_nesting_is_an_error),
    cmocka_unit_test(comments_cut_from_the_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
