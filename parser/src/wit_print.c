/* SPDX-License-Identifier: Apache-2.0 */
/* Printing a resolved package back as WIT text. */
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "wit_internal.h"

char *wg_wit_print_package(const WgWitResolve *r, WgWitId pkg) {
  (void)r;
  (void)pkg;
  WgBuf b = { 0 };
  wg_buf_puts(&b, "");
  return wg_buf_take(&b, NULL);
}
