/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of codegen/src/c_world.c, the shared context of the bindings
 * generators: interface module names and prefixes (docs/bindings.md,
 * "Prefixes"), function names ("Names of items"), sides, and errors
 * reported once, with the WIT path of the item at fault. */
#include "cmocka_all.h"

#include <string.h>

#include "c_world.h"
#include "witgen/wit.h"

typedef struct Fixture {
  WgDiagList *diags;
  WgWitResolve *r;
  CWorld w;
} Fixture;

/* Loads `src` and sets up the context of its only world. */
static bool setup(Fixture *f, const char *src, const WgBindgenRename *renames,
                  size_t rename_count) {
  memset(f, 0, sizeof *f);
  f->diags = wg_diag_list_new();
  assert_non_null(f->diags);
  assert_int_equal(
      wg_wit_load_source("t.wit", wg_str_from_cstr(src), NULL, f->diags, &f->r),
      WG_OK);
  WgWitId world = f->r->packages.items[f->r->main_package].worlds.items[0].id;
  return cw_init(&f->w, f->r, world, renames, rename_count, f->diags);
}

static void teardown(Fixture *f) {
  cw_free(&f->w);
  wg_wit_resolve_free(f->r);
  wg_diag_list_delete(f->diags);
}

/* The function `name` of interface `iface` of the resolve. */
static const WgWitFunction *func(const WgWitResolve *r, const char *iface,
                                 const char *name) {
  for (size_t i = 0; i < r->interfaces.count; i++) {
    const WgWitInterface *in = &r->interfaces.items[i];
    if (!in->name.ptr || !wg_str_eq(in->name, wg_str_from_cstr(iface)))
      continue;
    for (size_t j = 0; j < in->functions.count; j++)
      if (wg_str_eq(in->functions.items[j].name, wg_str_from_cstr(name)))
        return &in->functions.items[j];
  }
  fail_msg("no function %s in %s", name, iface);
  return NULL;
}

static WgWitId iface_id(const WgWitResolve *r, const char *name) {
  for (size_t i = 0; i < r->interfaces.count; i++)
    if (r->interfaces.items[i].name.ptr &&
        wg_str_eq(r->interfaces.items[i].name, wg_str_from_cstr(name)))
      return (WgWitId)i;
  fail_msg("no interface %s", name);
  return WG_WIT_NONE;
}

static const char SRC[] =
    "package acme:http@1.0.0;\n"
    "interface types {\n"
    "  resource fields { constructor(); get: func(); set: static func(); }\n"
    "  record req { a: u32 }\n"
    "}\n"
    "interface handler { use types.{req}; handle: func(r: req); }\n"
    "world proxy-world { import types; export handler; }\n";

static void module_names_and_prefixes(void **state) {
  (void)state;
  Fixture f;
  assert_true(setup(&f, SRC, NULL, 0));
  WgWitId types = iface_id(f.r, "types"), handler = iface_id(f.r, "handler");
  assert_string_equal(f.w.stem, "proxy_world");
  assert_string_equal(f.w.world_prefix, "proxy_world");
  assert_string_equal(f.w.iface_wit[types], "acme:http/types@1.0.0");
  assert_string_equal(f.w.iface_prefix[types], "http_types");
  assert_string_equal(f.w.iface_prefix[handler], "http_handler");
  assert_int_equal(f.w.iface_flags[types], IFACE_IMPORTED);
  assert_int_equal(f.w.iface_flags[handler], IFACE_EXPORTED);
  assert_int_equal(f.w.slot_count, SIDE_FIRST_EXTRA);
  assert_int_equal(wg_diag_list_count(f.diags), 0);
  teardown(&f);
}

static void renamed_prefixes(void **state) {
  (void)state;
  Fixture f;
  WgBindgenRename rn[2] = { { "acme:http/types", "t" },
                            { "proxy_world", "app" } };
  assert_true(setup(&f, SRC, rn, 2));
  assert_string_equal(f.w.iface_prefix[iface_id(f.r, "types")], "t");
  assert_string_equal(f.w.world_prefix, "app");
  teardown(&f);
}

static void bad_rename_is_an_error_without_path(void **state) {
  (void)state;
  Fixture f;
  WgBindgenRename rn[1] = { { "http_types", "9lives" } };
  assert_false(setup(&f, SRC, rn, 1));
  assert_true(f.w.failed);
  assert_int_equal(f.w.status, WG_ERR_INVALID);
  assert_int_equal(wg_diag_list_error_count(f.diags), 1);
  const WgDiag *d = wg_diag_list_get(f.diags, 0);
  assert_int_equal(d->code, WG_ERR_INVALID);
  assert_string_equal(d->message, "--rename: `9lives` is not a C identifier");
  assert_null(d->wit_path);
  teardown(&f);
}

static void function_names(void **state) {
  (void)state;
  Fixture f;
  assert_true(setup(&f, SRC, NULL, 0));
  const WgWitResolve *r = f.r;
  f.w.side = SIDE_IMPORT;
  assert_string_equal(cw_func_cname(&f.w, "http_types",
                                    func(r, "types", "[constructor]fields")),
                      "http_types_fields_new");
  assert_string_equal(
      cw_func_cname(&f.w, "http_types", func(r, "types", "[method]fields.get")),
      "http_types_fields_get");
  assert_string_equal(
      cw_func_cname(&f.w, "http_types", func(r, "types", "[static]fields.set")),
      "http_types_fields_set");
  /* Taken already: the later one gets `_2`. */
  assert_string_equal(
      cw_func_cname(&f.w, "http_types", func(r, "types", "[static]fields.set")),
      "http_types_fields_set_2");
  f.w.side = SIDE_EXPORT;
  assert_string_equal(cw_func_cname(&f.w, "exports_http_types",
                                    func(r, "types", "[constructor]fields")),
                      "exports_http_types_fields_constructor");
  teardown(&f);
}

/* The type `name` owned by interface `iface`. */
static WgWitId type_id(const WgWitResolve *r, WgWitId iface, const char *name) {
  const WgWitInterface *in = &r->interfaces.items[iface];
  for (size_t i = 0; i < in->types.count; i++)
    if (wg_str_eq(in->types.items[i].name, wg_str_from_cstr(name)))
      return in->types.items[i].id;
  fail_msg("no type %s", name);
  return WG_WIT_NONE;
}

static void sides_of_types(void **state) {
  (void)state;
  Fixture f;
  assert_true(setup(&f,
                    "package a:b;\n"
                    "interface both { record r { x: u8 } }\n"
                    "interface out { resource res; }\n"
                    "world w { import both; export both; export out; }\n",
                    NULL, 0));
  WgWitId both = iface_id(f.r, "both"), out = iface_id(f.r, "out");
  WgWitId r = type_id(f.r, both, "r"), res = type_id(f.r, out, "res");
  /* Import context: everything is the imported copy. */
  f.w.side = SIDE_IMPORT;
  f.w.cur_iface = WG_WIT_NONE;
  assert_int_equal(cw_side_of(&f.w, r), SIDE_IMPORT);
  /* Inside the exported `both`, its own types are the exported copy. */
  f.w.side = SIDE_EXPORT;
  f.w.cur_iface = both;
  assert_int_equal(cw_side_of(&f.w, r), SIDE_EXPORT);
  /* Inside an export, a type of another interface that is also imported
   * is the imported copy; one only exported is the exported copy. */
  f.w.cur_iface = out;
  assert_int_equal(cw_side_of(&f.w, r), SIDE_IMPORT);
  assert_int_equal(cw_side_of(&f.w, res), SIDE_EXPORT);
  assert_true(cw_resource_is_exported(&f.w, res));
  assert_int_equal(cw_resource_of(&f.w, WG_WIT_TYPE_OF(res)), res);
  teardown(&f);
}

static void first_error_wins_with_its_path(void **state) {
  (void)state;
  Fixture f;
  assert_true(setup(&f, SRC, NULL, 0));
  f.w.item = "acme:http/types@1.0.0#req";
  assert_false(
      cw_fail(&f.w, WG_ERR_UNSUPPORTED, "not supported yet: %s", "stream"));
  f.w.item = NULL;
  assert_false(cw_nomem(&f.w)); /* a consequence: not reported */
  assert_int_equal(f.w.status, WG_ERR_UNSUPPORTED);
  assert_int_equal(wg_diag_list_count(f.diags), 1);
  const WgDiag *d = wg_diag_list_get(f.diags, 0);
  assert_int_equal(d->code, WG_ERR_UNSUPPORTED);
  assert_string_equal(d->message, "not supported yet: stream");
  assert_string_equal(d->wit_path, "acme:http/types@1.0.0#req");
  teardown(&f);
}

static void words_and_strings(void **state) {
  (void)state;
  Fixture f;
  assert_true(setup(&f, SRC, NULL, 0));
  assert_string_equal(cw_word(&f.w, WG_STR("default")), "default_");
  assert_string_equal(cw_word(&f.w, WG_STR("max-len")), "max_len");
  assert_string_equal(cw_snake(&f.w, WG_STR("wasi:io/streams@0.2.12")),
                      "wasi_io_streams_0_2_12");
  assert_string_equal(cw_upper(&f.w, "http_types_x"), "HTTP_TYPES_X");
  assert_string_equal(cw_strf(&f.w, "%s_%d", "a", 7), "a_7");
  teardown(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(module_names_and_prefixes),
    cmocka_unit_test(renamed_prefixes),
    cmocka_unit_test(bad_rename_is_an_error_without_path),
    cmocka_unit_test(function_names),
    cmocka_unit_test(sides_of_types),
    cmocka_unit_test(first_error_wins_with_its_path),
    cmocka_unit_test(words_and_strings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
