/* SPDX-License-Identifier: Apache-2.0 */
/* World `walker` of kv-alt.wit: walks cursors of demo:kv/cursors. */
#include "walker.h"

uint32_t exports_kv_walk_count(kv_cursors_borrow_cursor_t c) {
  uint32_t n = 0;
  for (;;) {
    walker_option_string_t s = kv_cursors_cursor_next(c);
    if (!s.is_some) break;
    n++;
    walker_option_string_free(&s);
  }
  return n;
}

walker_list_string_t exports_kv_walk_collect(kv_cursors_cursor_t c) {
  kv_cursors_cursor_drop(c);
  return (walker_list_string_t){ NULL, 0 };
}
