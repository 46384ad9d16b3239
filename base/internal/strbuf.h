/* SPDX-License-Identifier: Apache-2.0 */
/* A growable byte buffer for building text and binary output. Once an
 * allocation fails the buffer is marked failed and further appends are
 * ignored, so callers check `failed` once at the end. */
#ifndef WG_BASE_STRBUF_H
#define WG_BASE_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "witgen/common.h"

/* WgBuf itself, wg_buf_free, wg_buf_append and wg_buf_take are public
 * (witgen/common.h); these are the helpers the layers build output with. */

bool wg_buf_reserve(WgBuf *self, size_t extra);
void wg_buf_append_str(WgBuf *self, WgStr s);
void wg_buf_puts(WgBuf *self, const char *cstr);
void wg_buf_putc(WgBuf *self, char c);
void wg_buf_printf(WgBuf *self, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void wg_buf_vprintf(WgBuf *self, const char *fmt, va_list ap);
/* Unsigned / signed LEB128 encodings (WebAssembly binary format). */
void wg_buf_uleb(WgBuf *self, uint64_t value);
void wg_buf_sleb(WgBuf *self, int64_t value);
/* NUL-terminates without counting the NUL; returns data (may be NULL on OOM).
 */
const char *wg_buf_cstr(WgBuf *self);
/* The text of `self`, or `dflt` when it is empty or failed. */
const char *wg_buf_text_or(WgBuf *self, const char *dflt);

/* Writes a reason for a failed check into `why` (`n` bytes, none when 0)
 * and returns false, so that checks can say `return ok || wg_why(...)`. */
bool wg_why(char *why, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
