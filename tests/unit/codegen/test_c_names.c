/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the bindings' naming rule (codegen/src/c_names.c, and its
 * use by c_world.c and the generator): snake case, C keyword escaping,
 * collision suffixes, prefix escalation and --rename (docs/bindings.md,
 * "Naming"). */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_names.h"
#include "witgen/codegen.h"
#include "witgen/wit.h"

static void snake_case(void **state) {
  (void)state;
  char buf[64];
  wg_names_snake(buf, sizeof buf, 0, WG_STR("get-HTTP-url"));
  assert_string_equal(buf, "get_http_url");
  wg_names_snake(buf, sizeof buf, 0, WG_STR("%type"));
  assert_string_equal(buf, "type");
  size_t n = wg_names_snake(buf, sizeof buf, 0, WG_STR("a"));
  wg_names_snake(buf, sizeof buf, n, WG_STR("-b"));
  assert_string_equal(buf, "a_b");
  /* Truncated, still terminated. */
  wg_names_snake(buf, 4, 0, WG_STR("abcdef"));
  assert_string_equal(buf, "abc");
}

static void keywords_are_escaped(void **state) {
  (void)state;
  char buf[64];
  wg_names_word(buf, sizeof buf, WG_STR("int"));
  assert_string_equal(buf, "int_");
  wg_names_word(buf, sizeof buf, WG_STR("errno"));
  assert_string_equal(buf, "errno_");
  wg_names_word(buf, sizeof buf, WG_STR("bool"));
  assert_string_equal(buf, "bool_");
  wg_names_word(buf, sizeof buf, WG_STR("%default"));
  assert_string_equal(buf, "default_");
  wg_names_word(buf, sizeof buf, WG_STR("type"));
  assert_string_equal(buf, "type");
  wg_names_word(buf, sizeof buf, WG_STR("integer"));
  assert_string_equal(buf, "integer");
  assert_true(wg_names_is_reserved("typeof"));
  wg_names_word(buf, sizeof buf, WG_STR("this"));
  assert_string_equal(buf, "this_"); /* C++ */
  wg_names_word(buf, sizeof buf, WG_STR("class"));
  assert_string_equal(buf, "class_");
  assert_false(wg_names_is_reserved("self"));
}

static void collisions_get_suffixes(void **state) {
  (void)state;
  WgNames n = { 0 };
  assert_string_equal(wg_names_claim(&n, "a_b"), "a_b");
  assert_string_equal(wg_names_claim(&n, "a_b"), "a_b_2");
  assert_string_equal(wg_names_claim(&n, "a_b"), "a_b_3");
  assert_string_equal(wg_names_claim(&n, "a_b_2"), "a_b_2_2");
  assert_true(wg_names_taken(&n, "a_b_3"));
  assert_false(wg_names_taken(&n, "a_b_4"));
  assert_false(wg_names_reserve(&n, "a_b"));
  assert_true(wg_names_reserve(&n, "c"));
  /* Many names: the set grows and keeps them all. */
  char buf[32];
  for (int i = 0; i < 1000; i++) {
    snprintf(buf, sizeof buf, "n%d", i);
    assert_string_equal(wg_names_claim(&n, buf), buf);
  }
  assert_true(wg_names_taken(&n, "n999"));
  assert_false(n.failed);
  wg_names_free(&n);
}

static void prefixes_escalate_together(void **state) {
  (void)state;
  WgNames n = { 0 };
  WgPrefixRequest r[4] = {
    { { "types", NULL, NULL }, 1, NULL }, /* the world */
    { { "http_types", "wasi_http_types", "wasi_http_types_0_2_0" }, 3, NULL },
    { { "http_types", "acme_http_types", NULL }, 2, NULL },
    { { "io_streams", "wasi_io_streams", NULL }, 2, NULL },
  };
  const char *out[4];
  assert_true(wg_names_assign_prefixes(&n, r, 4, out));
  assert_string_equal(out[0], "types");
  assert_string_equal(out[1], "wasi_http_types"); /* both moved up */
  assert_string_equal(out[2], "acme_http_types");
  assert_string_equal(out[3], "io_streams"); /* no collision: short */
  wg_names_free(&n);
}

static void prefixes_versions_and_leftover_ties(void **state) {
  (void)state;
  WgNames n = { 0 };
  WgPrefixRequest r[3] = {
    { { "a_x", "n_a_x", "n_a_x_1_0_0" }, 3, NULL },
    { { "a_x", "n_a_x", "n_a_x_2_0_0" }, 3, NULL },
    { { "a_x", "n_a_x", NULL }, 2, NULL },
  };
  const char *out[3];
  assert_true(wg_names_assign_prefixes(&n, r, 3, out));
  assert_string_equal(out[0], "n_a_x_1_0_0");
  assert_string_equal(out[1], "n_a_x_2_0_0");
  assert_string_equal(out[2], "n_a_x");
  wg_names_free(&n);
  /* Identical longest forms: the later one gets a suffix. */
  WgPrefixRequest same[2] = {
    { { "a_x", NULL, NULL }, 1, NULL },
    { { "a_x", NULL, NULL }, 1, NULL },
  };
  assert_true(wg_names_assign_prefixes(&n, same, 2, out));
  assert_string_equal(out[0], "a_x");
  assert_string_equal(out[1], "a_x_2");
  wg_names_free(&n);
}

static void renamed_prefix_is_fixed(void **state) {
  (void)state;
  WgNames n = { 0 };
  WgPrefixRequest r[2] = {
    { { "a_x", "n_a_x", NULL }, 2, "http" },
    { { "http", "m_http", NULL }, 2, NULL },
  };
  const char *out[2];
  assert_true(wg_names_assign_prefixes(&n, r, 2, out));
  assert_string_equal(out[0], "http");   /* the rename wins */
  assert_string_equal(out[1], "m_http"); /* the other one moves */
  wg_names_free(&n);
}

/* Generates the bindings of the only world of `src`; returns the header
 * (caller frees) or NULL, with the error in `err`. */
static char *header_of(const char *src, const WgBindgenRename *renames,
                       size_t rename_count, char err[256]) {
  WgDiagList *diags = wg_diag_list_new();
  WgWitResolve *r = NULL;
  char *h = NULL;
  err[0] = '\0';
  if (wg_wit_load_source("t.wit", wg_str_from_cstr(src), NULL, diags, &r) ==
      WG_OK) {
    WgBindgenOptions opt = { renames, rename_count, false };
    WgBindgenFiles files;
    WgWitId world = r->packages.items[r->main_package].worlds.items[0].id;
    WgDiagList *gen = wg_diag_list_new();
    if (wg_bindgen_generate(r, world, &opt, &files, gen) == WG_OK) {
      h = files.header;
      files.header = NULL;
      wg_bindgen_files_free(&files);
    }
    snprintf(err, 256, "%s", wg_diag_list_first_error(gen));
    wg_diag_list_delete(gen);
  } else {
    snprintf(err, 256, "WIT does not load");
  }
  wg_wit_resolve_free(r);
  wg_diag_list_delete(diags);
  return h;
}

static const char SRC[] =
    "package acme:http@1.0.0;\n"
    "interface types {\n"
    "  record req { int: u32, %type: string, errno: s8 }\n"
    "  resource fields { drop: func(); constructor(); }\n"
    "  enum method { get, %default }\n"
    "  get: func(r: req) -> list<req>;\n"
    "}\n"
    "world w { import types; export types; }\n";

static void generated_names(void **state) {
  (void)state;
  char err[256];
  char *h = header_of(SRC, NULL, 0, err);
  assert_non_null(h);
  /* Prefix <pkg>_<iface>; keyword fields escaped, others kept. */
  assert_non_null(strstr(h, "typedef struct http_types_req_t {"));
  assert_non_null(strstr(h, "  uint32_t int_;\n"));
  assert_non_null(strstr(h, "  w_string_t type;\n"));
  assert_non_null(strstr(h, "  int8_t errno_;\n"));
  assert_non_null(strstr(h, "#define HTTP_TYPES_METHOD_DEFAULT 1\n"));
  /* Handles, the handle drop and the method `drop` that collides with it. */
  assert_non_null(strstr(h, "} http_types_fields_t;"));
  assert_non_null(strstr(h, "} http_types_borrow_fields_t;"));
  assert_non_null(strstr(h, "void http_types_fields_drop(http_types_fields_t"));
  assert_non_null(strstr(h, "void http_types_fields_drop_2("));
  assert_non_null(
      strstr(h, "http_types_fields_t http_types_fields_new(void);"));
  /* Anonymous types by shape, world prefix; exports prefixed. */
  assert_non_null(strstr(h, "} w_list_http_types_req_t;"));
  assert_non_null(strstr(h, "w_list_http_types_req_t http_types_get("));
  assert_non_null(strstr(h, "} exports_http_types_req_t;"));
  assert_non_null(strstr(h, "exports_http_types_fields_t "
                            "exports_http_types_fields_constructor(void);"));
  assert_non_null(strstr(h, "void http_types_req_free(http_types_req_t *v);"));
  free(h);
}

static void generated_names_renamed(void **state) {
  (void)state;
  char err[256];
  WgBindgenRename rn[2] = { { "acme:http/types", "web" }, { "w", "app" } };
  char *h = header_of(SRC, rn, 2, err);
  assert_non_null(h);
  assert_non_null(strstr(h, "typedef struct web_req_t {"));
  assert_non_null(strstr(h, "} exports_web_req_t;"));
  assert_non_null(strstr(h, "} app_string_t;"));
  assert_null(strstr(h, "http_types"));
  free(h);
  /* By default prefix and with the version too. */
  WgBindgenRename rv[1] = { { "acme:http/types@1.0.0", "v1" } };
  h = header_of(SRC, rv, 1, err);
  assert_non_null(h);
  assert_non_null(strstr(h, "typedef struct v1_req_t {"));
  free(h);
  WgBindgenRename bad[1] = { { "http_types", "not-an-identifier" } };
  assert_null(header_of(SRC, bad, 1, err));
  assert_non_null(strstr(err, "not a C identifier"));
}

static void colliding_interfaces(void **state) {
  (void)state;
  char err[256];
  char *h = header_of("package a:top;\n"
                      "package one:x { interface api { type t = u8; } }\n"
                      "package two:x { interface api { type t = u16; } }\n"
                      "world w { import one:x/api; import two:x/api; }\n",
                      NULL, 0, err);
  assert_non_null(h);
  assert_non_null(strstr(h, "typedef uint8_t one_x_api_t_t;"));
  assert_non_null(strstr(h, "typedef uint16_t two_x_api_t_t;"));
  free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(snake_case),
    cmocka_unit_test(keywords_are_escaped),
    cmocka_unit_test(collisions_get_suffixes),
    cmocka_unit_test(prefixes_escalate_together),
    cmocka_unit_test(prefixes_versions_and_leftover_ties),
    cmocka_unit_test(renamed_prefix_is_fixed),
    cmocka_unit_test(generated_names),
    cmocka_unit_test(generated_names_renamed),
    cmocka_unit_test(colliding_interfaces),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
