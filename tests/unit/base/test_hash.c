/* SPDX-License-Identifier: Apache-2.0 */
#include "cmocka_all.h"

#include <stdio.h>

#include "arena.h"
#include "hash.h"

static void intern_returns_same_pointer_for_equal_strings(void **state) {
  (void)state;
  WgArena arena;
  wg_arena_init(&arena, (WgAllocator){ 0 });
  WgInterner in;
  wg_interner_init(&in, &arena);
  char buf[] = "wasi:http";
  WgStr a = wg_intern(&in, WG_STR("wasi:http"));
  WgStr b = wg_intern(&in, (WgStr){ buf, 9 });
  WgStr c = wg_intern(&in, WG_STR("wasi:io"));
  assert_ptr_equal(a.ptr, b.ptr);
  assert_ptr_not_equal(a.ptr, buf);
  assert_ptr_not_equal(a.ptr, c.ptr);
  wg_interner_release(&in);
  wg_arena_release(&arena);
}

static void intern_survives_growth(void **state) {
  (void)state;
  WgArena arena;
  wg_arena_init(&arena, (WgAllocator){ 0 });
  WgInterner in;
  wg_interner_init(&in, &arena);
  const char *first[5000];
  char name[32];
  for (int i = 0; i < 5000; i++) {
    int n = snprintf(name, sizeof name, "name-%d", i);
    first[i] = wg_intern(&in, (WgStr){ name, (size_t)n }).ptr;
  }
  assert_int_equal(in.count, 5000);
  for (int i = 0; i < 5000; i++) {
    int n = snprintf(name, sizeof name, "name-%d", i);
    assert_ptr_equal(wg_intern(&in, (WgStr){ name, (size_t)n }).ptr, first[i]);
  }
  wg_interner_release(&in);
  wg_arena_release(&arena);
}

static void hash_is_stable_across_calls(void **state) {
  (void)state;
  assert_true(wg_hash_str(WG_STR("abc")) == wg_hash_bytes("abc", 3));
  assert_true(wg_hash_str(WG_STR("abc")) != wg_hash_str(WG_STR("abd")));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(intern_returns_same_pointer_for_equal_strings),
    cmocka_unit_test(intern_survives_growth),
    cmocka_unit_test(hash_is_stable_across_calls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
