/* SPDX-License-Identifier: Apache-2.0 */
/* World `app-res` of kv.wit: the store's cursor crosses two boundaries.
 * run() lends a cursor to the walker, which calls the store's `next` with
 * it (app -> walker -> store), then gives another to the walker, which
 * drops it (the store's destructor runs), and returns what it saw with
 * the log's lines. */
#include "app_res.h"
#include "sb.h"

static app_res_string_t S(const char *s) {
  app_res_string_t r;
  app_res_string_set(&r, s);
  return r;
}

app_res_string_t exports_app_res_run(void) {
  static const uint8_t v[] = { 7 };
  const char *keys[] = { "k1", "x1", "k2", "k3" };
  for (int i = 0; i < 4; i++)
    kv_store_put((kv_store_entry_t){ S(keys[i]), { (uint8_t *)v, 1 } });
  Sb b = { 0 };
  kv_store_cursor_t c1 = kv_store_scan(S("k"));
  sb_str(&b, "count k: ");
  sb_u32(&b, kv_walk_count(kv_store_borrow_cursor(c1)));
  kv_store_cursor_drop(c1);
  kv_store_cursor_t c2 = kv_store_scan(S("k"));
  app_res_list_string_t got = kv_walk_collect(c2); /* moved */
  sb_str(&b, "; collect k:");
  for (size_t i = 0; i < got.len; i++) {
    sb_str(&b, " ");
    sb_add(&b, got.ptr[i].ptr, got.ptr[i].len);
  }
  app_res_list_string_free(&got);
  app_res_option_list_u8_t end = kv_store_get(S("end")); /* logs the drop */
  app_res_option_list_u8_free(&end);
  app_res_list_string_t lines = kv_log_lines();
  sb_str(&b, "; log:");
  for (size_t i = 0; i < lines.len; i++) {
    sb_str(&b, i ? " | " : " ");
    sb_add(&b, lines.ptr[i].ptr, lines.ptr[i].len);
  }
  app_res_list_string_free(&lines);
  return (app_res_string_t){ (uint8_t *)b.p, b.n };
}
