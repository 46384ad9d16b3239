/* SPDX-License-Identifier: Apache-2.0 */
/* World `walker` of kv.wit: walks the store's cursors the app lends
 * (`count`) or gives (`collect`, which drops it), calling the store. */
#include "walker.h"
#include "sb.h"

uint32_t exports_kv_walk_count(kv_store_borrow_cursor_t c) {
  uint32_t n = 0;
  for (;;) {
    walker_option_kv_store_entry_t e = kv_store_cursor_next(c);
    if (!e.is_some) break;
    n++;
    walker_option_kv_store_entry_free(&e);
  }
  return n;
}

walker_list_string_t exports_kv_walk_collect(kv_store_cursor_t c) {
  walker_list_string_t r = { NULL, 0 };
  size_t cap = 0;
  for (;;) {
    walker_option_kv_store_entry_t e =
        kv_store_cursor_next(kv_store_borrow_cursor(c));
    if (!e.is_some) break;
    if (r.len == cap) {
      cap = cap ? cap * 2 : 4;
      r.ptr = realloc(r.ptr, cap * sizeof *r.ptr);
      if (!r.ptr) abort();
    }
    r.ptr[r.len++] = e.val.key; /* moved into the result */
    walker_list_u8_free(&e.val.value);
  }
  kv_store_cursor_drop(c); /* ours: the store's destructor runs */
  return r;
}
