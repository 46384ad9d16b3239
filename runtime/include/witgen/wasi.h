/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/wasi.h
 * A WASI preview1 (`wasi_snapshot_preview1`) host for core modules built
 * with `clang --target=wasm32-wasi` (wasi-libc): arguments, environment,
 * clocks, randomness, stdio, exit, and files ONLY inside the directories the
 * embedder grants. Paths are resolved one component at a time with
 * O_NOFOLLOW, so `..`, absolute paths and symbolic links can never lead a
 * guest outside a granted directory (such attempts fail with
 * ERRNO_NOTCAPABLE). Sockets are not provided (ERRNO_NOSYS).
 *
 * Ownership: the caller owns a WgWasi (wg_wasi_delete()); it must outlive
 * every store it was defined into. Strings in the config are copied.
 */
#ifndef WITGEN_WASI_H
#define WITGEN_WASI_H

#include "witgen/common.h"
#include "witgen/wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A host directory made visible to the guest under `guest_path`. */
typedef struct WgWasiDir {
  const char *host_path;  /**< NUL-terminated host folder */
  const char *guest_path; /**< NUL-terminated name the guest sees */
} WgWasiDir;

/** What the guest may see. Zeroed fields mean "nothing" (no args, no
 * environment, no directories); stdio fds default to the host's 0, 1, 2.
 * Borrowed by wg_wasi_new() for the call only (it copies what it keeps). */
typedef struct WgWasiConfig {
  const char *const *args; /**< argv[0] is the program name */
  size_t arg_count;
  const char *const *env; /**< "KEY=VALUE" strings */
  size_t env_count;
  const WgWasiDir *dirs;
  size_t dir_count;
  bool custom_stdio; /**< use the three fds below instead of 0, 1, 2 */
  int stdin_fd, stdout_fd, stderr_fd; /**< duplicated, not taken over */
} WgWasiConfig;

/** A WASI preview1 host context (opaque). */
typedef struct WgWasi WgWasi;

/**
 * Creates a host context from `config` (NULL: the zeroed config): copies
 * the arguments and environment, duplicates the stdio descriptors and
 * opens every granted directory. On WG_OK `*out` is the context: caller
 * owns the result; release with wg_wasi_delete() after the stores it was
 * defined into. Otherwise `*out` is NULL and one error is added to `diags`
 * (may be NULL): WG_ERR_IO naming the directory or descriptor that could
 * not be opened, or WG_ERR_NOMEM.
 */
WG_API WgStatus wg_wasi_new(const WgWasiConfig *config, WgWasi **out,
                            WgDiagList *diags);

/** Closes every file the guest left open and frees the context. NULL does
 * nothing. */
WG_API void wg_wasi_delete(WgWasi *wasi);

/**
 * Defines every `wasi_snapshot_preview1` function in `linker` (whose store
 * is `store`); the functions are owned by the store and borrow `wasi`,
 * which must outlive it. Functions read and write the calling instance's
 * memory 0 (its exported "memory"). `proc_exit(n)` ends the run with a
 * trap of kind WG_TRAP_EXIT and exit code n. Returns WG_OK or WG_ERR_NOMEM
 * (then some functions may be defined already).
 */
WG_API WgStatus wg_wasi_define(WgWasi *wasi, WgStore *store, WgLinker *linker);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_WASI_H */
