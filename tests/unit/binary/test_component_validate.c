/* SPDX-License-Identifier: Apache-2.0 */
/* The component validator and its resolved types, on the world type
 * wasm-tools encodes for demo:kv/app, and Canonical ABI signatures. The
 * expected core signatures are those of the core module wasm-tools generated
 * for the same world (`component embed --dummy`, printed by the oracle):
 *   [static]bucket.open (i32 i32 i32)      [method]bucket.get (i32 x4)
 *   [method]bucket.set  (i32 x6)            [method]bucket.delete (i32 x4)
 *   [method]bucket.keys (i32 i32)           [method]bucket.stats (i32 i32)
 *   export run (i32 i32) -> i32 */
#include "cmocka_all.h"
#include <stdio.h>

#include <stdlib.h>
#include <string.h>

#include "kv_app_type.h"
#include "witgen/component_binary.h"
#include "witgen/component_types.h"
#include "witgen/wat.h"

typedef struct Fixture {
  WgComponent *component;
  WgCTypes *types;
  const WgCComponentTy *world;
} Fixture;

/* wg_component_decode() with its first error's message and byte offset. */
typedef struct DecodeErr {
  char message[200];
  uint64_t offset;
} DecodeErr;

static WgStatus decode(const uint8_t *bytes, size_t len, WgComponent **out,
                       DecodeErr *err) {
  WgDiagList *diags = wg_diag_list_new();
  WgStatus st = wg_component_decode(bytes, len, (WgAllocator){ 0 }, out, diags);
  const WgDiag *d = wg_diag_list_get(diags, 0);
  snprintf(err->message, sizeof err->message, "%s",
           wg_diag_list_first_error(diags));
  err->offset = d ? d->offset : 0;
  if (st != WG_OK) assert_true(d && d->has_offset);
  wg_diag_list_delete(diags);
  return st;
}

static int setup(void **state) {
  Fixture *f = calloc(1, sizeof *f);
  DecodeErr err;
  if (decode(kv_app, sizeof kv_app, &f->component, &err) != WG_OK) return -1;
  f->types = wg_ctypes_new((WgAllocator){ 0 });
  const WgCScope *scope = NULL;
  WgDiagList *diags = wg_diag_list_new();
  if (wg_component_validate(f->types, f->component, NULL, &scope, diags) !=
      WG_OK)
    fail_msg("%s", wg_diag_list_first_error(diags));
  wg_diag_list_delete(diags);
  /* type 0 is (component (type (component WORLD)) (export "ns:pkg/w" ...)) */
  assert_true(scope->type_count >= 1);
  assert_int_equal(scope->types[0].kind, WG_CTY_COMPONENT);
  const WgCComponentTy *outer = scope->types[0].of.component;
  assert_int_equal(outer->export_count, 1);
  assert_int_equal(outer->exports[0].type.sort, WG_CSORT_COMPONENT);
  f->world = outer->exports[0].type.of.component;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  Fixture *f = *state;
  wg_ctypes_delete(f->types);
  wg_component_free(f->component);
  free(f);
  return 0;
}

static const WgCInstanceTy *store_of(const Fixture *f) {
  assert_int_equal(f->world->imports[1].type.sort, WG_CSORT_INSTANCE);
  return f->world->imports[1].type.of.instance;
}

static void test_world_externs(void **state) {
  Fixture *f = *state;
  assert_int_equal(f->world->import_count, 2);
  assert_true(
      wg_str_eq(f->world->imports[0].name.name, WG_STR("demo:kv/types@0.1.0")));
  assert_true(
      wg_str_eq(f->world->imports[1].name.name, WG_STR("demo:kv/store@0.1.0")));
  assert_int_equal(f->world->export_count, 1);
  assert_true(wg_str_eq(f->world->exports[0].name.name, WG_STR("run")));
  /* the store instance exports the resource and its functions */
  const WgCItem *bucket = wg_cinstance_export(store_of(f), WG_STR("bucket"));
  assert_non_null(bucket);
  assert_int_equal(bucket->type.of.type.kind, WG_CTY_RESOURCE);
  assert_null(wg_cresource_canon(bucket->type.of.type.of.resource)->def);
  const WgCItem *error = wg_cinstance_export(store_of(f), WG_STR("error"));
  assert_non_null(error);
  assert_int_equal(error->type.of.type.kind, WG_CTY_VALUE);
  assert_int_equal(error->type.of.type.of.value->kind, WG_CT_VARIANT);
  /* `error` is the types interface's type, used through the store */
  const WgCInstanceTy *types = f->world->imports[0].type.of.instance;
  const WgCItem *terror = wg_cinstance_export(types, WG_STR("error"));
  assert_non_null(terror);
  assert_true(error->type.of.type.of.value->labels ==
              terror->type.of.type.of.value->labels);
}

/* `[method]bucket.get` takes (borrow bucket) and the resource is the one
 * the instance exports, not a copy. */
static void test_methods_use_the_exported_resource(void **state) {
  Fixture *f = *state;
  const WgCItem *bucket = wg_cinstance_export(store_of(f), WG_STR("bucket"));
  const WgCItem *get =
      wg_cinstance_export(store_of(f), WG_STR("[method]bucket.get"));
  assert_non_null(get);
  assert_int_equal(get->type.sort, WG_CSORT_FUNC);
  const WgCValTy *self = get->type.of.func->params[0];
  assert_int_equal(self->kind, WG_CT_BORROW);
  assert_true(
      wg_cresource_same(self->resource, bucket->type.of.type.of.resource));
}

static void expect_lowered(const Fixture *f, const char *name,
                           uint32_t params) {
  const WgCItem *fn = wg_cinstance_export(store_of(f), wg_str_from_cstr(name));
  assert_non_null(fn);
  WgAbiFuncSig sig;
  wg_cfunc_flatten(fn->type.of.func, WG_ABI_LOWER, &sig);
  /* lowering passes the return pointer as the last parameter */
  assert_int_equal(sig.param_count, params);
  assert_int_equal(sig.result_count, 0);
  for (uint32_t i = 0; i < sig.param_count; i++)
    assert_int_equal(sig.params[i], WG_CORE_I32);
}

static void test_lowered_signatures(void **state) {
  Fixture *f = *state;
  expect_lowered(f, "[static]bucket.open", 3);
  expect_lowered(f, "[method]bucket.get", 4);
  expect_lowered(f, "[method]bucket.set", 6);
  expect_lowered(f, "[method]bucket.delete", 4);
  expect_lowered(f, "[method]bucket.keys", 2);
  expect_lowered(f, "[method]bucket.stats", 2);
}

/* Signatures print as the WIT they came from (examples/demo/wit/kv.wit):
 * named types by name, the rest by structure. */
static void test_signatures_print_as_wit(void **state) {
  Fixture *f = *state;
  const char *want[][2] = {
    { "[method]bucket.get",
      "func(self: borrow<bucket>, key: string) -> option<list<u8>>" },
    { "[method]bucket.set",
      "func(self: borrow<bucket>, key: string, value: list<u8>) -> "
      "result<_, error>" },
    { "[static]bucket.open",
      "func(name: string) -> result<own<bucket>, error>" },
    { "[method]bucket.stats", "func(self: borrow<bucket>) -> stats" },
  };
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    const WgCItem *fn =
        wg_cinstance_export(store_of(f), wg_str_from_cstr(want[i][0]));
    assert_non_null(fn);
    WgBuf b = { 0 };
    wg_cfunc_print(&b, fn->type.of.func);
    char *text = wg_buf_take(&b, NULL);
    assert_string_equal(text, want[i][1]);
    free(text);
  }
}

static void test_lifted_export(void **state) {
  Fixture *f = *state;
  WgAbiFuncSig sig;
  wg_cfunc_flatten(f->world->exports[0].type.of.func, WG_ABI_LIFT, &sig);
  assert_int_equal(sig.param_count, 2);
  assert_int_equal(sig.result_count, 1);
  assert_true(sig.results_indirect);
}

/* Validates `bytes`; returns the status, the first message in `msg`. */
static WgStatus validate(const uint8_t *bytes, size_t len, char *msg,
                         size_t cap) {
  WgComponent *c = NULL;
  DecodeErr err;
  if (decode(bytes, len, &c, &err) != WG_OK) fail_msg("%s", err.message);
  WgCTypes *types = wg_ctypes_new((WgAllocator){ 0 });
  WgDiagList *diags = wg_diag_list_new();
  const WgCScope *scope;
  WgStatus st = wg_component_validate(types, c, NULL, &scope, diags);
  snprintf(msg, cap, "%s", wg_diag_list_first_error(diags));
  wg_diag_list_delete(diags);
  wg_ctypes_delete(types);
  wg_component_free(c);
  return st;
}

/* Semver-compatible names: the same track (1.x by major, 0.x by minor,
 * 0.0.x exactly), nothing across interfaces or without versions. */
static void test_names_match_by_semver_track(void **state) {
  (void)state;
  struct {
    const char *import, *export;
    bool ok;
  } cases[] = {
    { "wasi:cli/stdout@0.2.3", "wasi:cli/stdout@0.2.12", true },
    { "wasi:cli/stdout@0.2.12", "wasi:cli/stdout@0.2.3", true },
    { "wasi:cli/stdout@0.2.3", "wasi:cli/stdout@0.3.0", false },
    { "a:b/c@1.2.0", "a:b/c@1.9.1", true },
    { "a:b/c@1.2.0", "a:b/c@2.0.0", false },
    { "a:b/c@0.0.1", "a:b/c@0.0.2", false },
    { "a:b/c@0.0.1", "a:b/c@0.0.1", true },
    { "a:b/c@1.0.0", "a:b/d@1.0.0", false },
    { "a:b/c", "a:b/c", true },
    { "a:b/c", "a:b/c@1.0.0", false },
    { "run", "run", true },
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    assert_int_equal(wg_cname_compatible(wg_str_from_cstr(cases[i].import),
                                         wg_str_from_cstr(cases[i].export)),
                     cases[i].ok);
}

#define PREAMBLE 0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00

static void test_bad_references(void **state) {
  (void)state;
  char msg[256];
  /* (type (instance (export "f" (func (type 5))))) */
  static const uint8_t bad_type[] = { PREAMBLE, 0x07, 0x09, 0x01, 0x42, 0x01,
                                      0x04,     0x00, 0x01, 'f',  0x01, 0x05 };
  assert_int_equal(validate(bad_type, sizeof bad_type, msg, sizeof msg),
                   WG_ERR_INVALID);
  assert_string_equal(msg, "type index out of bounds");
  /* (type (instance (alias outer 3 0 (type)))) */
  static const uint8_t bad_outer[] = { PREAMBLE, 0x07, 0x08, 0x01, 0x42, 0x01,
                                       0x02,     0x03, 0x02, 0x03, 0x00 };
  assert_int_equal(validate(bad_outer, sizeof bad_outer, msg, sizeof msg),
                   WG_ERR_INVALID);
  assert_non_null(strstr(msg, "invalid outer alias count"));
  /* (import "aBc" (func (type 0))) after (type (func)) */
  static const uint8_t bad_name[] = { PREAMBLE, 0x07, 0x05, 0x01, 0x40, 0x00,
                                      0x01,     0x00, 0x0a, 0x08, 0x01, 0x00,
                                      0x03,     'a',  'B',  'c',  0x01, 0x00 };
  assert_int_equal(validate(bad_name, sizeof bad_name, msg, sizeof msg),
                   WG_ERR_INVALID);
  assert_non_null(strstr(msg, "`aBc` is not a valid extern name"));
  assert_non_null(strstr(msg, "`aBc` is not in kebab case"));
}

/* Validates a component written as text. */
static WgStatus validate_text(const char *wat, char *msg, size_t cap) {
  WgBuf bin = { 0 };
  WgDiagList *diags = wg_diag_list_new();
  if (wg_wat_parse(wg_str_from_cstr(wat), "t.wat", diags, &bin) != WG_OK)
    fail_msg("%s", wg_diag_list_first_error(diags));
  wg_diag_list_delete(diags);
  WgStatus st = validate((const uint8_t *)bin.data, bin.len, msg, cap);
  wg_buf_free(&bin);
  return st;
}

/* A component type with abstract resources accepts a component whose own
 * abstract resources play the same parts (bound by its imports), and
 * refuses one whose export does not follow the binding. */
static void test_component_subtyping_binds_abstract_resources(void **state) {
  (void)state;
  char msg[256];
  static const char *const ok =
      "(component\n"
      "  (component $C1\n"
      "    (import \"X\" (type $X (sub resource)))\n"
      "    (import \"f\" (func $f (result (own $X))))\n"
      "    (export \"g\" (func $f)))\n"
      "  (component $C2\n"
      "    (import \"C1\" (component\n"
      "      (import \"X\" (type $X (sub resource)))\n"
      "      (import \"f\" (func (result (own $X))))\n"
      "      (export \"g\" (func (result (own $X)))))))\n"
      "  (instance (instantiate $C2 (with \"C1\" (component $C1)))))";
  assert_int_equal(validate_text(ok, msg, sizeof msg), WG_OK);
  /* C1 exports a resource of its own where the type wants the import */
  static const char *const bad =
      "(component\n"
      "  (component $C1\n"
      "    (import \"X\" (type $X (sub resource)))\n"
      "    (type $Y (resource (rep i32)))\n"
      "    (core module $m (func (export \"a\") (result i32) unreachable))\n"
      "    (core instance $i (instantiate $m))\n"
      "    (func $f (result (own $Y)) (canon lift (core func $i \"a\")))\n"
      "    (export $Ye \"Y\" (type $Y))\n"
      "    (export \"g\" (func $f) (func (result (own $Ye)))))\n"
      "  (component $C2\n"
      "    (import \"C1\" (component\n"
      "      (import \"X\" (type $X (sub resource)))\n"
      "      (export \"g\" (func (result (own $X)))))))\n"
      "  (instance (instantiate $C2 (with \"C1\" (component $C1)))))";
  assert_int_equal(validate_text(bad, msg, sizeof msg), WG_ERR_INVALID);
  assert_non_null(strstr(msg, "resource types are not the same"));
}

/* In a bag of exports, the resources of annotated functions are named by
 * the component around it, not by the bag's own type exports. */
static void test_bag_names_resources_from_the_component(void **state) {
  (void)state;
  char msg[256];
  static const char *const unnamed =
      "(component\n"
      "  (type $T (resource (rep i32)))\n"
      "  (core module $m (func (export \"a\") (result i32) unreachable))\n"
      "  (core instance $i (instantiate $m))\n"
      "  (func $f (result (own $T)) (canon lift (core func $i \"a\")))\n"
      "  (instance (export \"a\" (type $T)) (export \"[constructor]a\" "
      "(func $f))))";
  assert_int_equal(validate_text(unnamed, msg, sizeof msg), WG_ERR_INVALID);
  assert_non_null(strstr(msg, "does not have a name in this context"));
  static const char *const named =
      "(component\n"
      "  (type $T (resource (rep i32)))\n"
      "  (export $Te \"a\" (type $T))\n"
      "  (core module $m (func (export \"a\") (result i32) unreachable))\n"
      "  (core instance $i (instantiate $m))\n"
      "  (func $f (result (own $Te)) (canon lift (core func $i \"a\")))\n"
      "  (instance (export \"a\" (type $Te)) (export \"[constructor]a\" "
      "(func $f))))";
  assert_int_equal(validate_text(named, msg, sizeof msg), WG_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_world_externs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_methods_use_the_exported_resource,
                                    setup, teardown),
    cmocka_unit_test_setup_teardown(test_lowered_signatures, setup, teardown),
    cmocka_unit_test_setup_teardown(test_lifted_export, setup, teardown),
    cmocka_unit_test_setup_teardown(test_signatures_print_as_wit, setup,
                                    teardown),
    cmocka_unit_test(test_bad_references),
    cmocka_unit_test(test_names_match_by_semver_track),
    cmocka_unit_test(test_component_subtyping_binds_abstract_resources),
    cmocka_unit_test(test_bag_names_resources_from_the_component),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
