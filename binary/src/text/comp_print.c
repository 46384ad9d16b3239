/* SPDX-License-Identifier: Apache-2.0 */
/* Component binary -> text (placeholder until the component printer). */
#include "print.h"

bool pr_component(WgBuf *out, const uint8_t *bytes, size_t len, int indent,
                  const char *head, WgDiagList *diags, size_t base) {
  (void)out;
  (void)bytes;
  (void)len;
  (void)indent;
  (void)head;
  wg_diag_list_add_at(diags, WG_ERR_UNSUPPORTED, base,
                      "printing components is not supported yet");
  return false;
}
