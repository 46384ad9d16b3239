/* SPDX-License-Identifier: Apache-2.0 */
/* World `app` of kv.wit: run() puts three entries into the store, gets
 * one back and shows it with the formatter, walks a cursor over a prefix
 * and drops it, gets a key that is not there, and returns what it saw
 * with the log's lines. */
#include "app.h"
#include "sb.h"

static app_string_t S(const char *s) {
  app_string_t r;
  app_string_set(&r, s);
  return r;
}

static void put(const char *key, const uint8_t *v, size_t n) {
  kv_store_entry_t e = { S(key), { (uint8_t *)v, n } };
  kv_store_put(e);
}

app_string_t exports_app_run(void) {
  static const uint8_t a1[] = { 1, 2, 250 }, a2[] = { 255 };
  put("a1", a1, 3);
  put("a2", a2, 1);
  put("b\xc3\xa9", NULL, 0);
  Sb b = { 0 };
  sb_str(&b, "get a1=");
  app_option_list_u8_t got = kv_store_get(S("a1"));
  if (got.is_some) {
    app_string_t shown = kv_format_show(got.val);
    sb_add(&b, shown.ptr, shown.len);
    app_string_free(&shown);
  } else {
    sb_str(&b, "none");
  }
  app_option_list_u8_free(&got);
  sb_str(&b, "; scan a:");
  kv_store_cursor_t c = kv_store_scan(S("a"));
  for (;;) {
    app_option_kv_store_entry_t e =
        kv_store_cursor_next(kv_store_borrow_cursor(c));
    if (!e.is_some) break;
    sb_str(&b, " ");
    sb_add(&b, e.val.key.ptr, e.val.key.len);
    sb_str(&b, "=");
    sb_u32(&b, (uint32_t)e.val.value.len);
    app_option_kv_store_entry_free(&e);
  }
  kv_store_cursor_drop(c);
  got = kv_store_get(S("zz")); /* the store logs the drop first */
  sb_str(&b, got.is_some ? "; zz=some" : "; zz=none");
  app_option_list_u8_free(&got);
  app_list_string_t lines = kv_log_lines();
  sb_str(&b, "; log:");
  for (size_t i = 0; i < lines.len; i++) {
    sb_str(&b, i ? " | " : " ");
    sb_add(&b, lines.ptr[i].ptr, lines.ptr[i].len);
  }
  app_list_string_free(&lines);
  return (app_string_t){ (uint8_t *)b.p, b.n };
}
