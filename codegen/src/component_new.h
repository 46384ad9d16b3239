/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen new`: a core module with an embedded component type (the
 * `component-type:*` custom section) made into a component. */
#ifndef WG_CODEGEN_COMPONENT_NEW_H
#define WG_CODEGEN_COMPONENT_NEW_H

#include "strbuf.h"

/* A preview1 adapter: the core module implementing import module `name`
 * (e.g. wasi_snapshot_preview1) and carrying its own world. Borrowed. */
typedef struct WgAdapter {
  WgStr name;
  const uint8_t *bytes;
  size_t len;
} WgAdapter;

/* Builds the component of core module `core` into `out`; with `adapter`
 * (NULL for none) the module's `adapter->name` imports are provided by the
 * adapter, whose world becomes the component's. False with a message in
 * `err` (512 bytes) naming the WIT item at fault when the module does not
 * match its world, or a module is malformed. */
bool wg_component_new(const uint8_t *core, size_t len, const WgAdapter *adapter,
                      WgBuf *out, char err[512]);

#endif
