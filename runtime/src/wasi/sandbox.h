/* SPDX-License-Identifier: Apache-2.0 */
/* The sandboxed path resolver shared by the WASI hosts (preview1 in p1/,
 * 0.2 in p2/): a guest path is resolved inside a granted directory one
 * component at a time, so that `..`, absolute paths and symbolic links can
 * never lead outside it. */
#ifndef WG_RUNTIME_WASI_SANDBOX_H
#define WG_RUNTIME_WASI_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

/* The result for a path that would leave the sandbox (absolute, `..` above
 * the start, a link pointing outside): not a host errno. */
enum { WG_SANDBOX_ESCAPE = -1 };

/* Resolves `path` (`len` bytes, not NUL-terminated) relative to the host
 * directory descriptor `dirfd`. On success (0) *parent is a new host
 * descriptor of the directory holding the last component (the caller
 * closes it) and `leaf` (NUL-terminated, at most NAME_MAX, never containing
 * '/') names it ("." for the directory itself). Symbolic links in
 * intermediate components are followed inside the sandbox; the last one too
 * when `follow` or when the path ends in '/' (which also requires an
 * existing leaf to be a directory: ENOTDIR). Errors: WG_SANDBOX_ESCAPE, or
 * a host errno (ENOENT for an empty path, ENAMETOOLONG, ELOOP, EILSEQ for a
 * NUL byte, ENOTDIR, or what openat/readlinkat gave). Callers must act on
 * the leaf without following links (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW). */
int wg_sandbox_resolve(int dirfd, const char *path, size_t len, bool follow,
                       int *parent, char leaf[256]);

#endif
