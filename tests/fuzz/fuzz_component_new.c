/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target of `witgen new`: any bytes as a core module with an
 * embedded component type must give a component our own decoder reads
 * back, or a message; never a crash, leak or hang. */
#include <stdlib.h>

#include "component/ctype.h"
#include "component_new.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[512] = "";
  WgBuf out = { 0 };
  if (!wg_component_new(data, size, NULL, &out, err)) {
    wg_buf_free(&out);
    if (!err[0]) abort(); /* a failure must always say why */
    return 0;
  }
  WgComponent *c = NULL;
  WgCError derr;
  if (wg_component_decode((const uint8_t *)out.data, out.len,
                          (WgAllocator){ 0 }, &c, &derr) != WG_OK)
    abort(); /* we wrote a component we cannot read */
  wg_component_free(c);
  wg_buf_free(&out);
  return 0;
}
