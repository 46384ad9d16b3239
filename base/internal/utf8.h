/* SPDX-License-Identifier: Apache-2.0 */
/* UTF-8 validation and decoding (RFC 3629: no overlongs, no surrogates). */
#ifndef WG_BASE_UTF8_H
#define WG_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when all `len` bytes are well-formed UTF-8. On false, *bad_offset
 * (if non-NULL) receives the offset of the first bad byte. */
bool wg_utf8_valid(const uint8_t *s, size_t len, size_t *bad_offset);

/* Decodes one scalar value at s[0..len); returns its byte length (1..4),
 * or 0 when malformed. */
size_t wg_utf8_decode(const uint8_t *s, size_t len, uint32_t *out_cp);

/* Encodes a scalar value into out[0..4); returns the length, 0 if invalid. */
size_t wg_utf8_encode(uint32_t cp, uint8_t out[4]);

#endif
