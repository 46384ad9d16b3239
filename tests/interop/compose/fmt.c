/* SPDX-License-Identifier: Apache-2.0 */
/* World `fmt` of kv.wit: bytes shown as hex, each call logged. */
#include "fmt.h"
#include "sb.h"

fmt_string_t exports_kv_format_show(fmt_list_u8_t e) {
  Sb b = { 0 };
  sb_str(&b, "fmt: show ");
  sb_u32(&b, (uint32_t)e.len);
  fmt_string_t line = { (uint8_t *)b.p, b.n };
  kv_log_write(line);
  b.n = 0;
  sb_str(&b, "<");
  sb_hex(&b, e.ptr, e.len);
  sb_str(&b, ">");
  fmt_list_u8_free(&e);
  return (fmt_string_t){ (uint8_t *)b.p, b.n };
}
