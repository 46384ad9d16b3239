/* SPDX-License-Identifier: Apache-2.0 */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* Counts live allocations through a WgAllocator and can fail the Nth. */
typedef struct Counter {
  int live;
  int calls;
  int fail_at; /* 0: never */
} Counter;

static void *counting_alloc(void *user, void *ptr, size_t old_size,
                            size_t new_size) {
  Counter *c = user;
  (void)old_size;
  if (new_size == 0) {
    if (ptr) c->live--;
    free(ptr);
    return NULL;
  }
  if (++c->calls == c->fail_at) return NULL;
  if (!ptr) c->live++;
  return realloc(ptr, new_size);
}

static void arena_returns_aligned_distinct_blocks(void **state) {
  (void)state;
  WgArena a;
  wg_arena_init(&a, (WgAllocator){ 0 });
  char *p = wg_arena_alloc(&a, 3);
  char *q = wg_arena_alloc(&a, 5);
  assert_non_null(p);
  assert_non_null(q);
  assert_true(((uintptr_t)p & 15) == 0);
  assert_true(((uintptr_t)q & 15) == 0);
  assert_true(q >= p + 3 || p >= q + 5);
  wg_arena_release(&a);
}

static void arena_serves_blocks_larger_than_a_chunk(void **state) {
  (void)state;
  WgArena a;
  wg_arena_init(&a, (WgAllocator){ 0 });
  char *small = wg_arena_alloc(&a, 10);
  char *big = wg_arena_alloc(&a, 200000);
  char *after = wg_arena_alloc(&a, 10);
  assert_non_null(big);
  memset(big, 0xab, 200000);
  /* The big block does not waste the current chunk. */
  assert_ptr_equal(after, small + 16);
  wg_arena_release(&a);
}

static void arena_extends_only_its_newest_block(void **state) {
  (void)state;
  WgArena a;
  wg_arena_init(&a, (WgAllocator){ 0 });
  char *p = wg_arena_alloc(&a, 20);
  assert_non_null(p);
  /* the newest block grows in place; the next block starts after it */
  assert_true(wg_arena_extend(&a, p, 20, 100));
  memset(p, 1, 100);
  char *q = wg_arena_alloc(&a, 8);
  assert_ptr_equal(q, p + 112);
  /* an older block, or more than the chunk holds, does not */
  assert_false(wg_arena_extend(&a, p, 100, 200));
  assert_true(wg_arena_extend(&a, q, 8, 32));
  assert_false(wg_arena_extend(&a, q, 32, 1u << 20));
  assert_false(wg_arena_extend(&a, q, 32, 16)); /* never shrinks */
  wg_arena_release(&a);
}

static void arena_frees_every_chunk_through_its_allocator(void **state) {
  (void)state;
  Counter c = { 0 };
  WgArena a;
  wg_arena_init(&a, (WgAllocator){ counting_alloc, &c });
  for (int i = 0; i < 1000; i++)
    assert_non_null(wg_arena_alloc(&a, 1000));
  assert_true(c.live > 1);
  wg_arena_release(&a);
  assert_int_equal(c.live, 0);
}

static void arena_reports_oom_as_null(void **state) {
  (void)state;
  Counter c = { .fail_at = 1 };
  WgArena a;
  wg_arena_init(&a, (WgAllocator){ counting_alloc, &c });
  assert_null(wg_arena_alloc(&a, 8));
  assert_non_null(wg_arena_alloc(&a, 8));
  wg_arena_release(&a);
  assert_int_equal(c.live, 0);
}

static void arena_strdup_and_printf_are_nul_terminated(void **state) {
  (void)state;
  WgArena a;
  wg_arena_init(&a, (WgAllocator){ 0 });
  WgStr s = wg_arena_strdup(&a, (WgStr){ "hello world", 5 });
  assert_int_equal(s.len, 5);
  assert_string_equal(s.ptr, "hello");
  assert_string_equal(wg_arena_printf(&a, "%s-%d", "x", 42), "x-42");
  wg_arena_release(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(arena_returns_aligned_distinct_blocks),
    cmocka_unit_test(arena_serves_blocks_larger_than_a_chunk),
    cmocka_unit_test(arena_extends_only_its_newest_block),
    cmocka_unit_test(arena_frees_every_chunk_through_its_allocator),
    cmocka_unit_test(arena_reports_oom_as_null),
    cmocka_unit_test(arena_strdup_and_printf_are_nul_terminated),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
