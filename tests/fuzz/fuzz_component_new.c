/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target of `witgen new`: any bytes as a core module with an
 * embedded component type must give a component our own decoder reads
 * back, or a message; never a crash, leak or hang. */
#include <stdlib.h>

#include "witgen/component_binary.h"
#include "witgen/compose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  WgBuf out = { 0 };
  WgDiagList *diags = wg_diag_list_new();
  if (wg_component_new(data, size, NULL, &out, diags) != WG_OK) {
    wg_buf_free(&out);
    /* a failure must always say why */
    if (!wg_diag_list_first_error(diags)[0]) abort();
    wg_diag_list_delete(diags);
    return 0;
  }
  wg_diag_list_delete(diags);
  WgComponent *c = NULL;
  if (wg_component_decode((const uint8_t *)out.data, out.len,
                          (WgAllocator){ 0 }, &c, NULL) != WG_OK)
    abort(); /* we wrote a component we cannot read */
  wg_component_free(c);
  wg_buf_free(&out);
  return 0;
}
