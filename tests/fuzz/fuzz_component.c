/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target of the component binary codec: decode; when that
 * succeeds, the encoding must decode again and re-encode to the same bytes
 * (the input itself may use non-minimal LEB128s, so the first encoding is
 * compared with the second, not with the input). */
#include <stdlib.h>
#include <string.h>

#include "witgen/component_binary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  WgComponent *c = NULL;
  /* NULL diagnostics: only the status matters here */
  if (wg_component_decode(data, size, (WgAllocator){ 0 }, &c, NULL) != WG_OK) {
    return 0;
  }
  WgBuf first = { 0 }, second = { 0 };
  wg_cencode_component(&first, c);
  wg_component_free(c);
  if (first.failed) {
    wg_buf_free(&first);
    return 0;
  }
  if (wg_component_decode((const uint8_t *)first.data, first.len,
                          (WgAllocator){ 0 }, &c, NULL) != WG_OK) {
    abort(); /* we wrote something we cannot read */
  }
  wg_cencode_component(&second, c);
  wg_component_free(c);
  if (!second.failed && (second.len != first.len ||
                         memcmp(second.data, first.data, first.len) != 0)) {
    abort(); /* the codec lost or changed information */
  }
  wg_buf_free(&first);
  wg_buf_free(&second);
  return 0;
}
