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

/* Section: Composition */

/** A component given to composition: its bytes and a name for messages
 * (usually the file name). Borrowed for the call. */
typedef struct WgComposeInput {
  WgStr name;
  const uint8_t *bytes;
  size_t len;
} WgComposeInput;

/**
 * Plugs components into a socket component (wac plug's semantics): each
 * import of `socket` that an export of a plug matches by name (or by a
 * semver-compatible version of it, wg_cname_compatible()) is filled by the
 * first such plug; the other imports of the socket and every import of the
 * plugs stay imports of the result, an import two inputs share once. The
 * result nests every input unchanged, instantiates them and exports what
 * the socket exports; it is checked by the component validator.
 *
 * On WG_OK the component is appended to `out` (caller owns it; release
 * with wg_buf_free()). Otherwise `diags` holds the error: WG_ERR_UNLINKABLE
 * naming the WIT path and the signature on both sides (``app.wasm imports
 * `demo:kv/store@0.1.0#get: func(key: string) -> option<list<u8>>`;
 * kv.wasm exports it as `func(key: string) -> option<string>` ``), for a
 * plug that fills nothing, or a name clash; WG_ERR_MALFORMED /
 * WG_ERR_INVALID for an input that does not decode or validate (naming
 * it); WG_ERR_UNSUPPORTED for core modules or values as imports.
 */
WG_API WgStatus wg_compose_plug(const WgComposeInput *socket,
                                const WgComposeInput *plugs, size_t plug_count,
                                WgBuf *out, WgDiagList *diags);

/** A component given for a WAC package name (`--dep ns:pkg=FILE.wasm`).
 * Borrowed for the call. */
typedef struct WgComposeDep {
  WgStr package; /**< `ns:name`, with `@version` when the file writes one */
  WgComposeInput input;
} WgComposeDep;

/**
 * Composes components as the WAC file `source` says (the subset of the WAC
 * language wac documents: `package`, `let x = new ns:pkg { name: y.export,
 * z, ... };`, `let e = y.export;`, `export x.name [as other];`,
 * `export x...;`). `new ns:pkg` instantiates the component `deps` gives for
 * that package; `...` leaves the imports no argument fills to the result's
 * imports (shared by semver-compatible name, as wg_compose_plug()).
 * `path` (NUL-terminated) names the file in messages; the text is
 * registered with `diags` so errors point into it (`file:line:col` and a
 * caret). Results and errors otherwise as wg_compose_plug(); a syntax
 * error or an unknown name is WG_ERR_INVALID.
 */
WG_API WgStatus wg_compose_wac(const char *path, WgStr source,
                               const WgComposeDep *deps, size_t dep_count,
                               WgBuf *out, WgDiagList *diags);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_COMPOSE_H */
