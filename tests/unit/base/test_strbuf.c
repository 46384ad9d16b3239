/* SPDX-License-Identifier: Apache-2.0 */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static void buf_appends_and_formats(void **state) {
  (void)state;
  WgBuf b = { 0 };
  wg_buf_puts(&b, "abc");
  wg_buf_putc(&b, '-');
  wg_buf_printf(&b, "%d/%s", 7, "x");
  wg_buf_append_str(&b, WG_STR("!"));
  assert_false(b.failed);
  assert_string_equal(wg_buf_cstr(&b), "abc-7/x!");
  assert_int_equal(b.len, 8);
  wg_buf_free(&b);
}

static void buf_grows_past_many_doublings(void **state) {
  (void)state;
  WgBuf b = { 0 };
  for (int i = 0; i < 100000; i++)
    wg_buf_putc(&b, (char)('a' + i % 26));
  assert_int_equal(b.len, 100000);
  assert_int_equal(b.data[99999], 'a' + 99999 % 26);
  size_t len;
  char *taken = wg_buf_take(&b, &len);
  assert_int_equal(len, 100000);
  assert_int_equal(taken[len], '\0');
  assert_null(b.data);
  free(taken);
}

static void buf_cstr_of_empty_buffer_is_empty_string(void **state) {
  (void)state;
  WgBuf b = { 0 };
  assert_string_equal(wg_buf_cstr(&b), "");
  wg_buf_free(&b);
}

static void buf_uleb_matches_spec_example(void **state) {
  (void)state;
  WgBuf b = { 0 };
  wg_buf_uleb(&b, 624485);
  assert_int_equal(b.len, 3);
  assert_memory_equal(b.data, "\xe5\x8e\x26", 3);
  wg_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(buf_appends_and_formats),
    cmocka_unit_test(buf_grows_past_many_doublings),
    cmocka_unit_test(buf_cstr_of_empty_buffer_is_empty_string),
    cmocka_unit_test(buf_uleb_matches_spec_example),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
