/* SPDX-License-Identifier: Apache-2.0 */
/* Bounds-checked LEB128 readers (spec: core binary format, 5.2.2 Integers).
 * Each returns false when the encoding is too long, has non-zero unused bits,
 * or runs past `end`; `*pos` advances only on success. */
#ifndef WG_BASE_LEB128_H
#define WG_BASE_LEB128_H

#include <stdbool.h>
#include <stdint.h>

bool wg_leb_u32(const uint8_t **pos, const uint8_t *end, uint32_t *out);
bool wg_leb_u64(const uint8_t **pos, const uint8_t *end, uint64_t *out);
bool wg_leb_s32(const uint8_t **pos, const uint8_t *end, int32_t *out);
bool wg_leb_s33(const uint8_t **pos, const uint8_t *end, int64_t *out);
bool wg_leb_s64(const uint8_t **pos, const uint8_t *end, int64_t *out);

#endif
