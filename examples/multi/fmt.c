/* SPDX-License-Identifier: Apache-2.0 */
/* World `fmt` of wit/multi.wit: fields as a JSON object (values escaped
 * as RFC 8259 asks: quote, backslash and control characters, \n and \t by name;
 * the rest of UTF-8 as it is) and as a text table with the names padded. */
#include "fmt.h"
#include "buf.h"

static void json_string(Buf *b, fmt_string_t s) {
  static const char hex[] = "0123456789abcdef";
  buf_str(b, "\"");
  for (size_t i = 0; i < s.len; i++) {
    uint8_t c = s.ptr[i];
    if (c == '"' || c == '\\') {
      char e[2] = { '\\', (char)c };
      buf_add(b, e, 2);
    } else if (c == '\n') {
      buf_str(b, "\\n");
    } else if (c == '\t') {
      buf_str(b, "\\t");
    } else if (c < 0x20) {
      char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
      buf_add(b, e, 6);
    } else {
      buf_add(b, &c, 1);
    }
  }
  buf_str(b, "\"");
}

static fmt_string_t done(Buf *b, fmt_list_exports_multi_format_field_t *f) {
  fmt_list_exports_multi_format_field_free(f);
  if (!b->p) buf_add(b, "", 0);
  return (fmt_string_t){ b->p, b->n };
}

fmt_string_t
exports_multi_format_json_object(fmt_list_exports_multi_format_field_t fields) {
  Buf b = { 0 };
  buf_str(&b, "{");
  for (size_t i = 0; i < fields.len; i++) {
    if (i) buf_str(&b, ", ");
    json_string(&b, fields.ptr[i].name);
    buf_str(&b, ": ");
    json_string(&b, fields.ptr[i].value);
  }
  buf_str(&b, "}");
  return done(&b, &fields);
}

/* Characters, not bytes: UTF-8 continuation bytes do not count. */
static size_t width(fmt_string_t s) {
  size_t w = 0;
  for (size_t i = 0; i < s.len; i++)
    w += (s.ptr[i] & 0xC0) != 0x80;
  return w;
}

fmt_string_t
exports_multi_format_table(fmt_list_exports_multi_format_field_t fields) {
  size_t w = 0;
  for (size_t i = 0; i < fields.len; i++)
    if (width(fields.ptr[i].name) > w) w = width(fields.ptr[i].name);
  Buf b = { 0 };
  for (size_t i = 0; i < fields.len; i++) {
    buf_add(&b, fields.ptr[i].name.ptr, fields.ptr[i].name.len);
    for (size_t k = width(fields.ptr[i].name); k < w + 2; k++)
      buf_str(&b, " ");
    buf_add(&b, fields.ptr[i].value.ptr, fields.ptr[i].value.len);
    buf_str(&b, "\n");
  }
  return done(&b, &fields);
}
