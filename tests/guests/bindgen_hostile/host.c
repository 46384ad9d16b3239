/* SPDX-License-Identifier: Apache-2.0 */
/* Hostile inputs to generated export trampolines (issue 5, must-show 4):
 * the guest built from hostile.wit's bindings runs in witgen's interpreter,
 * and every export is called with good arguments (which must arrive
 * intact) and with bad ones: out-of-bounds and overflowing pointer+length,
 * misaligned lists, invalid UTF-8, bad discriminants, enum values, flag
 * bits and chars, nested in lists and records and in the parameter area of
 * a function with more than 16 flat parameters. Each bad call must trap
 * with `unreachable` (the bindings' __builtin_trap), never run the user's
 * function on corrupt data. Usage: bindgen_hostile GUEST.wasm */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "witgen/wasm.h"

static const char *g_path;

typedef struct Fixture {
  uint32_t drops;    /* [resource-drop]res calls */
  uint32_t drop_sum; /* sum of the handles dropped */
  WgEngine *engine;
  WgWasmModule *module;
  WgStore *store;
  WgInstance *inst;
  WgMemInst *mem;
} Fixture;

/* The guest's only import: `[resource-drop]res` of test:hostile/handles. */
static WgTrap *drop_res(void *env, WgCaller *caller, const WgVal *args,
                        WgVal *results) {
  (void)caller;
  (void)results;
  Fixture *f = env;
  f->drops++;
  f->drop_sum += (uint32_t)args[0].of.i32;
  return NULL;
}

static int setup(void **state) {
  Fixture *f = calloc(1, sizeof *f);
  FILE *in = fopen(g_path, "rb");
  assert_non_null(in);
  static uint8_t bytes[1 << 20];
  size_t len = fread(bytes, 1, sizeof bytes, in);
  fclose(in);
  f->engine = wg_engine_new(NULL);
  assert_int_equal(wg_wasm_module_load(f->engine, bytes, len, &f->module, NULL),
                   WG_OK);
  f->store = wg_store_new(f->engine);
  assert_int_equal(wg_wasm_module_import_count(f->module), 1);
  WgStr mod, name;
  WgWasmExternKind kind;
  wg_wasm_module_import(f->module, 0, &mod, &name, &kind);
  assert_true(wg_str_eq(mod, WG_STR("test:hostile/handles")));
  assert_true(wg_str_eq(name, WG_STR("[resource-drop]res")));
  WgValKind i32k = WG_VAL_I32;
  WgExtern imp = { .kind = kind };
  imp.of.func =
      wg_func_new_host(f->store, &i32k, 1, NULL, 0, drop_res, f, NULL);
  assert_int_equal(
      wg_instance_new(f->store, f->module, &imp, 1, &f->inst, NULL), WG_OK);
  WgExtern mem;
  assert_true(wg_instance_export(f->inst, WG_STR("memory"), &mem));
  f->mem = mem.of.memory;
  assert_null(wg_instance_call(f->store, f->inst, WG_STR("_initialize"), NULL,
                               0, NULL, 0));
  *state = f;
  return 0;
}

static int teardown(void **state) {
  Fixture *f = *state;
  wg_store_delete(f->store);
  wg_wasm_module_delete(f->module);
  wg_engine_delete(f->engine);
  free(f);
  return 0;
}

static WgVal i32(uint32_t v) {
  WgVal x = { .kind = WG_VAL_I32 };
  x.of.i32 = (int32_t)v;
  return x;
}

/* Copies `len` bytes into guest memory allocated with cabi_realloc. */
static uint32_t put(Fixture *f, const void *data, size_t len, uint32_t align) {
  WgVal args[4] = { i32(0), i32(0), i32(align), i32((uint32_t)len) }, r;
  assert_null(wg_instance_call(f->store, f->inst, WG_STR("cabi_realloc"), args,
                               4, &r, 1));
  assert_true(wg_memory_write(f->mem, (uint32_t)r.of.i32, data, len));
  return (uint32_t)r.of.i32;
}

static uint32_t mem_size(Fixture *f) {
  return (uint32_t)wg_memory_size(f->mem);
}

/* Calls export `name` with i32 arguments; returns its i32 result. */
static uint32_t ok(Fixture *f, const char *name, const uint32_t *a, size_t n) {
  WgVal args[24], r;
  for (size_t i = 0; i < n; i++)
    args[i] = i32(a[i]);
  WgTrap *t = wg_instance_call(f->store, f->inst, wg_str_from_cstr(name), args,
                               n, &r, 1);
  if (t) fail_msg("%s trapped: %s", name, wg_trap_message(t));
  return (uint32_t)r.of.i32;
}

/* Calls export `name`, which must trap in the bindings' checks. */
static void traps(Fixture *f, const char *name, const uint32_t *a, size_t n) {
  WgVal args[24], r;
  for (size_t i = 0; i < n; i++)
    args[i] = i32(a[i]);
  WgTrap *t = wg_instance_call(f->store, f->inst, wg_str_from_cstr(name), args,
                               n, &r, 1);
  if (!t) fail_msg("%s did not trap (returned %u)", name, (unsigned)r.of.i32);
  assert_int_equal(wg_trap_kind(t), WG_TRAP_WASM);
  assert_non_null(strstr(wg_trap_message(t), "unreachable"));
  wg_trap_delete(t);
}

#define ARGS(...)                      \
  ((const uint32_t[]){ __VA_ARGS__ }), \
      (sizeof((const uint32_t[]){ __VA_ARGS__ }) / 4)

static void strings(void **state) {
  Fixture *f = *state;
  uint32_t p = put(f, "h\xc3\xa9llo", 6, 1);
  assert_int_equal(ok(f, "take-string", ARGS(p, 6)), 6);
  assert_int_equal(ok(f, "take-string", ARGS(0, 0)), 0);
  p = put(f, "\xf0\x9f\x98\x80", 4, 1); /* U+1F600 */
  assert_int_equal(ok(f, "take-string", ARGS(p, 4)), 4);
  uint32_t end = mem_size(f);
  traps(f, "take-string", ARGS(end - 2, 10));       /* past the end */
  traps(f, "take-string", ARGS(0xFFFFFFF0u, 0x20)); /* wraps around */
  traps(f, "take-string", ARGS(0xFFFFFFFFu, 0));    /* beyond memory */
  traps(f, "take-string", ARGS(put(f, "\xc0\x80", 2, 1), 2)); /* overlong */
  traps(f, "take-string",
        ARGS(put(f, "\xed\xa0\x80", 3, 1), 3));                /* surrogate */
  traps(f, "take-string", ARGS(put(f, "a\xe2\x82", 3, 1), 3)); /* cut short */
  traps(f, "take-string",
        ARGS(put(f, "\xf4\x90\x80\x80", 4, 1), 4)); /* > 10FFFF */
  traps(f, "take-string",
        ARGS(put(f, "\x80", 1, 1), 1)); /* stray continuation */
}

static void lists(void **state) {
  Fixture *f = *state;
  uint32_t v[3] = { 1, 2, 3 };
  uint32_t p = put(f, v, sizeof v, 4);
  assert_int_equal(ok(f, "take-list", ARGS(p, 3)), 6);
  traps(f, "take-list", ARGS(p + 1, 2));           /* misaligned */
  traps(f, "take-list", ARGS(p, 0x40000000u));     /* 4 GiB of u32 */
  traps(f, "take-list", ARGS(mem_size(f) - 8, 3)); /* runs off the end */
  /* list<string>: the elements are checked too. */
  uint32_t s1 = put(f, "ab", 2, 1), s2 = put(f, "\xff", 1, 1);
  uint32_t good[4] = { s1, 2, s1, 1 }, bad[4] = { s1, 2, s2, 1 };
  assert_int_equal(ok(f, "take-strings", ARGS(put(f, good, 16, 4), 2)), 3);
  traps(f, "take-strings", ARGS(put(f, bad, 16, 4), 2));
  uint32_t far[2] = { mem_size(f) - 1, 2 };
  traps(f, "take-strings", ARGS(put(f, far, 8, 4), 1));
}

static void records_in_lists(void **state) {
  Fixture *f = *state;
  uint16_t nums[2] = { 7, 8 };
  uint32_t s = put(f, "xyz", 3, 1), n = put(f, nums, 4, 2);
  uint32_t good[4] = { s, 3, n, 2 };
  assert_int_equal(ok(f, "take-pairs", ARGS(put(f, good, 16, 4), 1)), 5);
  uint32_t odd[4] = { s, 3, n + 1, 1 }; /* list<u16> at an odd address */
  traps(f, "take-pairs", ARGS(put(f, odd, 16, 4), 1));
  uint32_t badstr[4] = { put(f, "\xc3", 1, 1), 1, n, 2 };
  traps(f, "take-pairs", ARGS(put(f, badstr, 16, 4), 1));
}

static void discriminants(void **state) {
  Fixture *f = *state;
  assert_int_equal(ok(f, "take-enum", ARGS(2)), 2);
  traps(f, "take-enum", ARGS(3));
  traps(f, "take-enum", ARGS(0x100)); /* not truncated to a valid u8 */
  assert_int_equal(ok(f, "take-variant", ARGS(1, 7)), 107);
  assert_int_equal(ok(f, "take-variant", ARGS(0, 0x3f800000u)), 0);
  assert_int_equal(ok(f, "take-variant", ARGS(2, 0)), 2);
  traps(f, "take-variant", ARGS(3, 0));
  assert_int_equal(ok(f, "take-option", ARGS(1, 5)), 5);
  assert_int_equal(ok(f, "take-option", ARGS(0, 5)), 0xFFFFFFFFu);
  traps(f, "take-option", ARGS(2, 5));
  assert_int_equal(ok(f, "take-result", ARGS(0, 7, 0)), 7);
  uint32_t e = put(f, "oops", 4, 1);
  assert_int_equal(ok(f, "take-result", ARGS(1, e, 4)), 1004);
  traps(f, "take-result", ARGS(1, mem_size(f), 4)); /* err payload checked */
  traps(f, "take-result", ARGS(2, 0, 0));
}

static void scalars(void **state) {
  Fixture *f = *state;
  assert_int_equal(ok(f, "take-char", ARGS('A')), 'A');
  assert_int_equal(ok(f, "take-char", ARGS(0x10FFFF)), 0x10FFFF);
  traps(f, "take-char", ARGS(0xD800));
  traps(f, "take-char", ARGS(0xDFFF));
  traps(f, "take-char", ARGS(0x110000));
  assert_int_equal(ok(f, "take-flags", ARGS(5)), 5);
  traps(f, "take-flags", ARGS(8));
  traps(f, "take-flags", ARGS(0x100)); /* not truncated to a valid u8 */
  /* Any non-zero i32 is `true` (CanonicalABI.md, lift_flat bool). */
  assert_int_equal(ok(f, "take-bool", ARGS(2)), 1);
  assert_int_equal(ok(f, "take-bool", ARGS(0)), 0);
}

/* Borrowed handles of an imported resource, also inside a list the user
 * frees during the call, are dropped once the export returns (the
 * Canonical ABI traps a call that returns with borrows outstanding). */
static void borrows_dropped(void **state) {
  Fixture *f = *state;
  uint32_t handles[3] = { 10, 20, 30 };
  uint32_t p = put(f, handles, sizeof handles, 4);
  assert_int_equal(ok(f, "take-borrows", ARGS(5, p, 3)), 65);
  assert_int_equal(f->drops, 4);
  assert_int_equal(f->drop_sum, 65);
  traps(f, "take-borrows", ARGS(5, p + 1, 3)); /* misaligned list */
  assert_int_equal(f->drops, 4);               /* nothing dropped */
}

static void params_in_memory(void **state) {
  Fixture *f = *state;
  /* 16 u32 and a string: 18 flat values, so one pointer to a tuple. */
  uint32_t area[18];
  for (int i = 0; i < 16; i++)
    area[i] = 1;
  area[16] = put(f, "four", 4, 1);
  area[17] = 4;
  uint32_t p = put(f, area, sizeof area, 4);
  assert_int_equal(ok(f, "take-many", ARGS(p)), 20);
  traps(f, "take-many", ARGS(p + 2));           /* misaligned area */
  traps(f, "take-many", ARGS(mem_size(f) - 8)); /* area off the end */
  area[16] = put(f, "\xe0\x80\x80", 3, 1);      /* overlong in the area */
  area[17] = 3;
  traps(f, "take-many", ARGS(put(f, area, sizeof area, 4)));
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: bindgen_hostile GUEST.wasm\n");
    return 2;
  }
  g_path = argv[1];
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(strings, setup, teardown),
    cmocka_unit_test_setup_teardown(lists, setup, teardown),
    cmocka_unit_test_setup_teardown(records_in_lists, setup, teardown),
    cmocka_unit_test_setup_teardown(discriminants, setup, teardown),
    cmocka_unit_test_setup_teardown(scalars, setup, teardown),
    cmocka_unit_test_setup_teardown(borrows_dropped, setup, teardown),
    cmocka_unit_test_setup_teardown(params_in_memory, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
