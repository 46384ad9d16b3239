/* SPDX-License-Identifier: Apache-2.0 */
/* LEB128 decoding with the spec's length and unused-bit rules. */
#include "leb128.h"

/* Reads an unsigned LEB of at most `bits` bits. */
static bool read_unsigned(const uint8_t **pos, const uint8_t *end,
                          unsigned bits, uint64_t *out) {
  const uint8_t *p = *pos;
  uint64_t result = 0;
  unsigned shift = 0;
  unsigned max_bytes = (bits + 6) / 7;
  for (unsigned i = 0; i < max_bytes; i++) {
    if (p >= end) return false;
    uint8_t byte = *p++;
    if (i == max_bytes - 1) {
      /* Last permitted byte: no continuation, unused high bits zero. */
      unsigned used = bits - shift;
      if (byte & 0x80) return false;
      if (used < 7 && (byte >> used) != 0) return false;
    }
    result |= (uint64_t)(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) {
      *pos = p;
      *out = result;
      return true;
    }
  }
  return false;
}

/* Reads a signed LEB of at most `bits` bits. */
static bool read_signed(const uint8_t **pos, const uint8_t *end, unsigned bits,
                        int64_t *out) {
  const uint8_t *p = *pos;
  uint64_t result = 0;
  unsigned shift = 0;
  unsigned max_bytes = (bits + 6) / 7;
  for (unsigned i = 0; i < max_bytes; i++) {
    if (p >= end) return false;
    uint8_t byte = *p++;
    if (i == max_bytes - 1) {
      if (byte & 0x80) return false;
      /* The unused bits must all equal the sign bit. */
      unsigned used = bits - shift; /* bits carried by this byte, 1..7 */
      if (used < 7) {
        int8_t sext = (int8_t)(byte << 1) >> 1; /* 7-bit value sign-extended */
        int8_t top = sext >> (used - 1);
        if (top != 0 && top != -1) return false;
      }
    }
    result |= (uint64_t)(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) {
      if (shift < 64 && (byte & 0x40)) result |= ~(uint64_t)0 << shift;
      *pos = p;
      *out = (int64_t)result;
      return true;
    }
  }
  return false;
}

bool wg_leb_u32(const uint8_t **pos, const uint8_t *end, uint32_t *out) {
  uint64_t v;
  if (!read_unsigned(pos, end, 32, &v)) return false;
  *out = (uint32_t)v;
  return true;
}

bool wg_leb_u64(const uint8_t **pos, const uint8_t *end, uint64_t *out) {
  return read_unsigned(pos, end, 64, out);
}

bool wg_leb_s32(const uint8_t **pos, const uint8_t *end, int32_t *out) {
  int64_t v;
  if (!read_signed(pos, end, 32, &v)) return false;
  *out = (int32_t)v;
  return true;
}

bool wg_leb_s33(const uint8_t **pos, const uint8_t *end, int64_t *out) {
  return read_signed(pos, end, 33, out);
}

bool wg_leb_s64(const uint8_t **pos, const uint8_t *end, int64_t *out) {
  return read_signed(pos, end, 64, out);
}
