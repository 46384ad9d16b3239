/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/codegen.h
 * The C bindings generator: from a resolved WIT world, a header and a C
 * source for a guest component built with `clang --target=wasm32-wasi`.
 * The generated API (names, types, ownership) is documented in
 * docs/bindings.md.
 */
#ifndef WITGEN_CODEGEN_H
#define WITGEN_CODEGEN_H

#include "witgen/common.h"
#include "witgen/wit.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A `--rename OLD=NEW` prefix override (NUL-terminated, borrowed). */
typedef struct WgBindgenRename {
  const char *from;
  const char *to;
} WgBindgenRename;

/** Options of wg_bindgen_generate(). A zeroed struct picks defaults. */
typedef struct WgBindgenOptions {
  const WgBindgenRename *renames; /**< borrowed */
  size_t rename_count;
  bool stubs; /**< also produce trivial implementations of the exports */
} WgBindgenOptions;

/** Generated files. Caller owns the strings; release with
 * wg_bindgen_files_free(). Each text is NUL-terminated. */
typedef struct WgBindgenFiles {
  char *stem;   /**< file name stem: the world name in snake case */
  char *header; /**< `<stem>.h` */
  char *source; /**< `<stem>.c` */
  char *stubs;  /**< stub exports (only with options.stubs), else NULL */
} WgBindgenFiles;

/**
 * Generates the bindings of world `world` of `resolve`. On WG_OK `out`
 * holds the files. On failure (WG_ERR_INVALID for a world using items
 * not supported yet, e.g. async functions, or a bad rename) `err`
 * receives a NUL-terminated message such as "not supported yet: async
 * function `f`" and `out` is zeroed.
 */
WG_API WgStatus wg_bindgen_generate(const WgWitResolve *resolve, WgWitId world,
                                    const WgBindgenOptions *options,
                                    WgBindgenFiles *out, char *err,
                                    size_t err_cap);

/** Frees the strings of `files` (not `files` itself). */
WG_API void wg_bindgen_files_free(WgBindgenFiles *files);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_CODEGEN_H */
