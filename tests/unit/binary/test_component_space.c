/* SPDX-License-Identifier: Apache-2.0 */
/* Component type index spaces and Canonical ABI signatures. The expected
 * core signatures are those of the core module wasm-tools generated for
 * the same world (`component embed --dummy`, printed by the oracle):
 *   [static]bucket.open (i32 i32 i32)      [method]bucket.get (i32 x4)
 *   [method]bucket.set  (i32 x6)            [method]bucket.delete (i32 x4)
 *   [method]bucket.keys (i32 i32)           [method]bucket.stats (i32 i32)
 *   export run (i32 i32) -> i32 */
#include "cmocka_all.h"
#include <stdio.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "kv_app_type.h"
#include "witgen/component_binary.h"
#include "witgen/component_types.h"

typedef struct Fixture {
  WgComponent *component;
  WgArena arena;
  const WgCSpace *world;
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
  if (decode(kv_app, sizeof kv_app, &f->component, &err) != WG_OK) {
    return -1;
  }
  wg_arena_init(&f->arena, (WgAllocator){ 0 });
  /* defs[1] is (type (component (type (component WORLD)) (export ...))) */
  const WgCType *outer = f->component->defs[1].u.type;
  uint32_t next = 0;
  char msg[160];
  const WgCSpace *top = wg_cspace_build(&f->arena, outer, NULL, &next, msg);
  if (!top) fail_msg("%s", msg);
  f->world = top->types[0].inner;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  Fixture *f = *state;
  wg_arena_release(&f->arena);
  wg_component_free(f->component);
  free(f);
  return 0;
}

static void test_world_externs(void **state) {
  Fixture *f = *state;
  assert_non_null(f->world);
  assert_int_equal(f->world->import_count, 2);
  assert_true(
      wg_str_eq(f->world->imports[0].name, WG_STR("demo:kv/types@0.1.0")));
  assert_true(
      wg_str_eq(f->world->imports[1].name, WG_STR("demo:kv/store@0.1.0")));
  assert_int_equal(f->world->export_count, 1);
  assert_true(wg_str_eq(f->world->exports[0].name, WG_STR("run")));
  /* the store instance exports the resource and its functions */
  const WgCSpace *store = f->world->imports[1].type.inner;
  assert_non_null(store);
  const WgCExtern *bucket = wg_cspace_export(store, WG_STR("bucket"));
  assert_non_null(bucket);
  assert_null(bucket->type.def); /* an abstract resource */
  const WgCExtern *error = wg_cspace_export(store, WG_STR("error"));
  assert_non_null(error);
  assert_int_equal(error->type.def->kind, WG_CT_VARIANT); /* from types */
}

static void expect_lowered(const Fixture *f, const char *name,
                           uint32_t params) {
  const WgCSpace *store = f->world->imports[1].type.inner;
  const WgCExtern *fn = wg_cspace_export(store, wg_str_from_cstr(name));
  assert_non_null(fn);
  WgAbiFuncSig sig;
  WgArena arena;
  wg_arena_init(&arena, (WgAllocator){ 0 });
  assert_true(wg_cspace_flatten_func(&arena, fn->type.space, fn->type.def,
                                     WG_ABI_LOWER, &sig));
  /* lowering passes the return pointer as the last parameter */
  assert_int_equal(sig.param_count, params);
  assert_int_equal(sig.result_count, 0);
  for (uint32_t i = 0; i < sig.param_count; i++) {
    assert_int_equal(sig.params[i], WG_CORE_I32);
  }
  wg_arena_release(&arena);
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

static void test_lifted_export(void **state) {
  Fixture *f = *state;
  const WgCExtern *run = &f->world->exports[0];
  WgAbiFuncSig sig;
  WgArena arena;
  wg_arena_init(&arena, (WgAllocator){ 0 });
  assert_true(wg_cspace_flatten_func(&arena, run->type.space, run->type.def,
                                     WG_ABI_LIFT, &sig));
  assert_int_equal(sig.param_count, 2);
  assert_int_equal(sig.result_count, 1);
  assert_true(sig.results_indirect);
  wg_arena_release(&arena);
}

static void test_bad_references(void **state) {
  (void)state;
  /* an instance type whose export refers to type 5 of an empty space */
  WgCDecl decl = { .kind = WG_CDECL_EXPORT };
  decl.u.extern_.name.name = WG_STR("f");
  decl.u.extern_.type.kind = 0x01;
  decl.u.extern_.type.index = 5;
  WgCType inst = { .kind = WG_CT_INSTANCE };
  inst.u.decls.count = 1;
  inst.u.decls.items = &decl;
  WgArena arena;
  wg_arena_init(&arena, (WgAllocator){ 0 });
  uint32_t next = 0;
  char msg[160];
  assert_null(wg_cspace_build(&arena, &inst, NULL, &next, msg));
  assert_non_null(strstr(msg, "out of range"));
  /* an outer alias reaching past the top */
  WgCDecl outer = { .kind = WG_CDECL_ALIAS };
  outer.u.alias = (WgCAlias){ WG_CSORT_TYPE, 0, WG_CALIAS_OUTER, 3, 0, { 0 } };
  inst.u.decls.items = &outer;
  assert_null(wg_cspace_build(&arena, &inst, NULL, &next, msg));
  wg_arena_release(&arena);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_world_externs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_lowered_signatures, setup, teardown),
    cmocka_unit_test_setup_teardown(test_lifted_export, setup, teardown),
    cmocka_unit_test(test_bad_references),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
