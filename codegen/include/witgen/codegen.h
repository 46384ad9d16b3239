/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/codegen.h
 * The C bindings generator: from a resolved WIT world, a header and a C
 * source for a guest component built with `clang --target=wasm32-wasi`.
 * The generated API (names, types, ownership) is documented in
 * docs/bindings.md.
 *
 * Ownership: the generator reads the WIT model (witgen/wit.h) and the
 * options only during the call and keeps nothing; the files it returns are
 * the caller's. Errors are reported as a WgStatus plus diagnostics in a
 * caller-owned WgDiagList (witgen/common.h).
 */
#ifndef WITGEN_CODEGEN_H
#define WITGEN_CODEGEN_H

#include "witgen/common.h"
#include "witgen/wit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Section: Options */

/** A `--rename OLD=NEW` prefix override (docs/bindings.md, "Naming").
 * Both strings are NUL-terminated and borrowed: read during
 * wg_bindgen_generate() only. `from` is an interface's WIT name (with or
 * without `@version`), a default prefix, the world name or the plain name
 * of an import; `to` must be a C identifier (else WG_ERR_INVALID). */
typedef struct WgBindgenRename {
  const char *from;
  const char *to;
} WgBindgenRename;

/** Options of wg_bindgen_generate(). A zeroed struct picks defaults.
 * Borrowed: read during the call only. */
typedef struct WgBindgenOptions {
  const WgBindgenRename *renames; /**< `rename_count` entries, borrowed */
  size_t rename_count;
  bool stubs; /**< also produce trivial implementations of the exports */
} WgBindgenOptions;

/* Section: Generating */

/** The generated files. Caller owns the strings; release them with
 * wg_bindgen_files_free(). Each text is NUL-terminated. */
typedef struct WgBindgenFiles {
  char *stem;   /**< file name stem: the world name in snake case */
  char *header; /**< `<stem>.h` */
  char *source; /**< `<stem>.c` */
  char *stubs;  /**< stub exports (only with options.stubs), else NULL */
} WgBindgenFiles;

/**
 * Generates the guest bindings of world `world` of `resolve`. `resolve`
 * and `options` (NULL: defaults) are borrowed: read during the call only.
 * On WG_OK `*out` holds the files, which the caller owns (release with
 * wg_bindgen_files_free()), and nothing is added to `diags`.
 *
 * Errors: `*out` is zeroed and `diags` (may be NULL) receives the error,
 * with the WIT path of the item at fault when there is one
 * (`ns:pkg/iface@1.0.0#name` for an interface's function or type, the
 * plain name for a world's own):
 *  - WG_ERR_UNSUPPORTED: the world uses what the generator does not
 *    support yet, e.g. "not supported yet: async function `f`" or "not
 *    supported yet: stream in parameter of `f`";
 *  - WG_ERR_INVALID: a `--rename` target that is not a C identifier, or a
 *    world the component type encoder refuses (its diagnostics);
 *  - WG_ERR_NOMEM: out of memory.
 */
WG_API WgStatus wg_bindgen_generate(const WgWitResolve *resolve, WgWitId world,
                                    const WgBindgenOptions *options,
                                    WgBindgenFiles *out, WgDiagList *diags);

/**
 * Generates the host bindings of world `world` of `resolve`
 * (docs/host-bindings.md): C for an embedder running components of the
 * world on witgen/component.h, with typed calls of the world's exports,
 * tables of typed functions implementing its imports and lifting and
 * lowering code made for each type. The files are `<stem>.h` and
 * `<stem>.c` with `stem` `<world>_host`; with options.stubs, `stubs` holds
 * `<stem>_stubs.c`: trivial implementations of every import. Ownership,
 * options and errors as for wg_bindgen_generate() (async functions,
 * futures, streams and error-context are refused as "not supported yet").
 */
WG_API WgStatus wg_hostgen_generate(const WgWitResolve *resolve, WgWitId world,
                                    const WgBindgenOptions *options,
                                    WgBindgenFiles *out, WgDiagList *diags);

/** Frees the strings of `files` (not `files` itself) and zeroes it. NULL
 * does nothing; a zeroed struct may be passed too. */
WG_API void wg_bindgen_files_free(WgBindgenFiles *files);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_CODEGEN_H */
