/* SPDX-License-Identifier: Apache-2.0 */
/* The `component-type:*` custom sections of core modules: the world a core
 * module built with WIT bindings carries (the encoding wit-component and
 * `witgen new` read). One reader and one writer for every user. */
#include <string.h>

#include "leb128.h"
#include "strbuf.h"
#include "witgen/component_binary.h"

enum { PREFIX_LEN = 14 }; /* "component-type" */

/* Reads the section at *p (id, size, body); false at a malformed one. */
static bool section(const uint8_t **p, const uint8_t *end, uint8_t *id,
                    const uint8_t **body, size_t *size) {
  *id = *(*p)++;
  uint32_t n;
  if (!wg_leb_u32(p, end, &n) || n > (size_t)(end - *p)) return false;
  *body = *p;
  *size = n;
  *p += n;
  return true;
}

/* True when custom section body [body, body + size) is a component-type
 * section: *name and the payload after the name set. */
static bool is_type_section(const uint8_t *body, size_t size, WgStr *name,
                            const uint8_t **payload, size_t *payload_len) {
  const uint8_t *q = body, *end = body + size;
  uint32_t nl;
  if (!wg_leb_u32(&q, end, &nl) || nl > (size_t)(end - q)) return false;
  if (nl < PREFIX_LEN || memcmp(q, "component-type", PREFIX_LEN) != 0)
    return false;
  *name = (WgStr){ (const char *)q, nl };
  *payload = q + nl;
  *payload_len = (size_t)(end - q - nl);
  return true;
}

static bool header_ok(const uint8_t *module, size_t len, WgDiagList *diags) {
  static const uint8_t head[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
  if (len >= 8 && memcmp(module, head, 8) == 0) return true;
  wg_diag_list_add_at(diags, WG_ERR_MALFORMED, 0,
                      "not a core WebAssembly module");
  return false;
}

WgStatus wg_component_type_section_next(const uint8_t *module, size_t len,
                                        size_t *pos, WgStr *out_name,
                                        const uint8_t **out_payload,
                                        size_t *out_len, WgDiagList *diags) {
  *out_payload = NULL;
  *out_len = 0;
  if (!header_ok(module, len, diags)) return WG_ERR_MALFORMED;
  const uint8_t *p = module + (*pos < 8 ? 8 : *pos), *end = module + len;
  while (p < end) {
    const uint8_t *start = p, *body;
    uint8_t id;
    size_t size;
    if (!section(&p, end, &id, &body, &size)) {
      wg_diag_list_add_at(diags, WG_ERR_MALFORMED, (uint64_t)(start - module),
                          "malformed module: a section runs past the end");
      return WG_ERR_MALFORMED;
    }
    if (id == 0 &&
        is_type_section(body, size, out_name, out_payload, out_len)) {
      *pos = (size_t)(p - module);
      return WG_OK;
    }
  }
  *pos = len;
  return WG_OK;
}

WgStatus wg_component_type_sections_strip(const uint8_t *module, size_t len,
                                          WgBuf *out, WgDiagList *diags) {
  if (!header_ok(module, len, diags)) return WG_ERR_MALFORMED;
  wg_buf_append(out, module, 8);
  const uint8_t *p = module + 8, *end = module + len;
  while (p < end) {
    const uint8_t *start = p, *body, *payload;
    uint8_t id;
    size_t size, plen;
    WgStr name;
    if (!section(&p, end, &id, &body, &size)) {
      wg_diag_list_add_at(diags, WG_ERR_MALFORMED, (uint64_t)(start - module),
                          "malformed core module: a section runs past the "
                          "end");
      return WG_ERR_MALFORMED;
    }
    if (id == 0 && is_type_section(body, size, &name, &payload, &plen))
      continue;
    wg_buf_append(out, start, (size_t)(p - start));
  }
  if (out->failed) {
    wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
    return WG_ERR_NOMEM;
  }
  return WG_OK;
}

void wg_component_type_section_write(WgBuf *out, WgStr world,
                                     const uint8_t *payload, size_t len) {
  WgBuf name = { 0 };
  wg_buf_puts(&name, "component-type:");
  wg_buf_append_str(&name, world);
  WgBuf body = { 0 };
  wg_buf_uleb(&body, name.len);
  wg_buf_append(&body, name.data, name.len);
  wg_buf_append(&body, payload, len);
  wg_buf_putc(out, 0);
  wg_buf_uleb(out, body.len);
  wg_buf_append(out, body.data, body.len);
  if (name.failed || body.failed) out->failed = true;
  wg_buf_free(&name);
  wg_buf_free(&body);
}
