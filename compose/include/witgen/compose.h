/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/compose.h
 * Component assembly: a core module built with WIT bindings made into a
 * component (`witgen new`), optionally with a WASI preview1 adapter.
 * Composition of components (plug, compose) comes here too.
 */
#ifndef WITGEN_COMPOSE_H
#define WITGEN_COMPOSE_H

#include "witgen/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Section: Components from core modules */

/**
 * A preview1 adapter: the core module implementing the imports of module
 * `name` (e.g. `wasi_snapshot_preview1`) and carrying its own world in a
 * `component-type` custom section. All fields borrowed for the call.
 */
typedef struct WgAdapter {
  WgStr name;
  const uint8_t *bytes;
  size_t len;
} WgAdapter;

/**
 * Builds the component of core module `core` (`len` bytes, borrowed for
 * the call), whose world comes from its `component-type:*` custom sections
 * (several are merged). Imports are lowered and exports lifted with the
 * module's memory, `cabi_realloc` and `cabi_post_*` functions; exported
 * resources are defined by the component. With `adapter` (NULL for none)
 * the module's `adapter->name` imports come from the adapter, whose world
 * is merged into the component's.
 *
 * On WG_OK the component binary is appended to `out` (caller owns it;
 * release with wg_buf_free()). Otherwise `diags` holds the error:
 * WG_ERR_MALFORMED or WG_ERR_INVALID for a module or adapter that does not
 * decode or validate, WG_ERR_INVALID for a module that does not match its
 * world (the message names the WIT item, e.g. ``export
 * `wasi:http/incoming-handler@0.2.12#handle` missing from core module``),
 * for a module importing WASI preview1 (`wasi_snapshot_preview1`) without
 * an adapter, and for an adapter whose `name` the module imports nothing
 * from; WG_ERR_NOMEM. Where the remedy is known, a WG_SEVERITY_NOTE
 * follows the error and names it in the terms of `witgen new` (e.g. which
 * adapter to pass with `--adapt`).
 */
WG_API WgStatus wg_component_new(const uint8_t *core, size_t len,
                                 const WgAdapter *adapter, WgBuf *out,
                                 WgDiagList *diags);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_COMPOSE_H */
