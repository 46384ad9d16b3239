/* SPDX-License-Identifier: Apache-2.0 */
/* A world's component type, encoded as wit-component encodes it: the
 * payload of the `component-type:<world>` custom section that
 * `component new` (wasm-tools' or witgen's) reads from a core module. */
#ifndef WG_CODEGEN_WORLD_TYPE_H
#define WG_CODEGEN_WORLD_TYPE_H

#include "component/ctype.h"
#include "strbuf.h"
#include "witgen/wit.h"

/* Appends the encoding of world `world` of `r` to `out` (a component
 * binary: encoding-version custom section, the type, its export). False
 * with a message in `err` for constructs not supported yet. */
bool wg_world_type_encode(const WgWitResolve *r, WgWitId world, WgBuf *out,
                          char err[160]);

#endif
