/* SPDX-License-Identifier: Apache-2.0 */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "witgen/common.h"

static char *render(const WgDiagList *list) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  wg_diag_list_print(list, f);
  fclose(f);
  return text;
}

static void diag_prints_path_line_col_and_caret(void **state) {
  (void)state;
  WgDiagList *list = wg_diag_list_new();
  const char *src = "package a:b;\n\ninterface i {\n  type x = u33;\n}\n";
  uint32_t file =
      wg_diag_list_add_file(list, "dir/x.wit", wg_str_from_cstr(src));
  const char *at = strstr(src, "u33");
  WgSpan span = { file, (uint32_t)(at - src), (uint32_t)(at - src + 3) };
  wg_diag_list_addf(list, WG_SEVERITY_ERROR, WG_ERR_INVALID, &span,
                    "type `%s` does not exist", "u33");
  assert_int_equal(wg_diag_list_error_count(list), 1);
  char *text = render(list);
  assert_non_null(
      strstr(text, "dir/x.wit:4:12: error: type `u33` does not exist\n"));
  assert_non_null(strstr(text, "    4 |   type x = u33;\n"));
  assert_non_null(strstr(text, "      |            ^~~\n"));
  free(text);
  wg_diag_list_delete(list);
}

static void diag_without_span_prints_message_only(void **state) {
  (void)state;
  WgDiagList *list = wg_diag_list_new();
  wg_diag_list_addf(list, WG_SEVERITY_WARNING, WG_OK, NULL, "just %s", "this");
  assert_int_equal(wg_diag_list_count(list), 1);
  assert_int_equal(wg_diag_list_error_count(list), 0);
  char *text = render(list);
  assert_string_equal(text, "warning: just this\n");
  free(text);
  wg_diag_list_delete(list);
}

static void diag_span_at_end_of_file_is_clamped(void **state) {
  (void)state;
  WgDiagList *list = wg_diag_list_new();
  uint32_t file = wg_diag_list_add_file(list, "e.wit", WG_STR("abc"));
  WgSpan span = { file, 100, 200 };
  wg_diag_list_addf(list, WG_SEVERITY_ERROR, WG_ERR_MALFORMED, &span, "eof");
  char *text = render(list);
  assert_non_null(strstr(text, "e.wit:1:4: error: eof"));
  free(text);
  wg_diag_list_delete(list);
}

static void status_names_are_distinct(void **state) {
  (void)state;
  for (int a = WG_OK; a <= WG_ERR_UNSUPPORTED; a++)
    for (int b = a + 1; b <= WG_ERR_UNSUPPORTED; b++)
      assert_string_not_equal(wg_status_str(a), wg_status_str(b));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(diag_prints_path_line_col_and_caret),
    cmocka_unit_test(diag_without_span_prints_message_only),
    cmocka_unit_test(diag_span_at_end_of_file_is_clamped),
    cmocka_unit_test(status_names_are_distinct),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
