/* SPDX-License-Identifier: Apache-2.0 */
/* Component text -> binary (placeholder until the component parser). */
#include "wat_internal.h"

bool wat_component(WatParser *p, WgStr name, bool has_name, WgBuf *out) {
  (void)name;
  (void)has_name;
  (void)out;
  return wat_error(p, "components are not supported yet");
}
