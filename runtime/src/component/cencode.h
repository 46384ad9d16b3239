/* SPDX-License-Identifier: Apache-2.0 */
/* Component binary encoder (the inverse of wg_component_decode). */
#ifndef WG_RUNTIME_COMPONENT_CENCODE_H
#define WG_RUNTIME_COMPONENT_CENCODE_H

#include "component/ctype.h"
#include "strbuf.h"

/* Appends the binary of `c` (preamble and sections) to `out`. Definitions
 * decoded from one section are written back into one section; definitions
 * built in memory (section == 0) are grouped with their neighbours of the
 * same kind. Out-of-memory sets out->failed. */
void wg_cencode_component(WgBuf *out, const WgComponent *c);

/* Appends the encoding of one type definition (`deftype`). */
void wg_cencode_type(WgBuf *out, const WgCType *t);

#endif
