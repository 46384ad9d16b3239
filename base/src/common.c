/* SPDX-License-Identifier: Apache-2.0 */
/* Version, status names and WgStr helpers (witgen/common.h). */
#include <string.h>

#include "witgen/common.h"

#ifndef WITGEN_VERSION_STRING
#define WITGEN_VERSION_STRING "0.0.0"
#endif

const char *wg_version(void) {
  return WITGEN_VERSION_STRING;
}

const char *wg_status_str(WgStatus status) {
  switch (status) {
    case WG_OK:
      return "ok";
    case WG_ERR_NOMEM:
      return "out of memory";
    case WG_ERR_IO:
      return "i/o error";
    case WG_ERR_MALFORMED:
      return "malformed";
    case WG_ERR_INVALID:
      return "invalid";
    case WG_ERR_UNLINKABLE:
      return "unlinkable";
    case WG_ERR_TRAP:
      return "trap";
    case WG_ERR_LIMIT:
      return "limit exceeded";
    case WG_ERR_MISUSE:
      return "api misuse";
    case WG_ERR_UNSUPPORTED:
      return "not supported yet";
  }
  return "unknown status";
}

WgStr wg_str_from_cstr(const char *cstr) {
  return cstr ? (WgStr){ cstr, strlen(cstr) } : (WgStr){ "", 0 };
}

bool wg_str_eq(WgStr a, WgStr b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}
