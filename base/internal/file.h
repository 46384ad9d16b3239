/* SPDX-License-Identifier: Apache-2.0 */
/* Whole-file reading and writing. */
#ifndef WG_BASE_FILE_H
#define WG_BASE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "witgen/common.h"

/* Largest file witgen reads into memory (WIT sources, wasm binaries). */
#define WG_MAX_FILE_SIZE ((size_t)1 << 30)

/* Reads `path` (NUL-terminated) whole. On WG_OK, *out_data is malloc'ed
 * (NUL-terminated for convenience; the NUL is not counted) and the caller
 * frees it with free(). WG_ERR_IO if it cannot be read, WG_ERR_LIMIT past
 * WG_MAX_FILE_SIZE. */
WgStatus wg_file_read(const char *path, uint8_t **out_data, size_t *out_len);

/* Writes `len` bytes to `path`, replacing it. */
WgStatus wg_file_write(const char *path, const void *data, size_t len);

#endif
