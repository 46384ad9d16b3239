/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen new`: a core module with an embedded component type (the
 * `component-type:*` custom section) made into a component. */
#ifndef WG_CODEGEN_COMPONENT_NEW_H
#define WG_CODEGEN_COMPONENT_NEW_H

#include "strbuf.h"

/* Builds the component of core module `core` into `out`. False with a
 * message in `err` (512 bytes) naming the WIT item at fault when the module
 * does not match its world, or the module is malformed. */
bool wg_component_new(const uint8_t *core, size_t len, WgBuf *out,
                      char err[512]);

#endif
