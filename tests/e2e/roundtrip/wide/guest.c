/* SPDX-License-Identifier: Apache-2.0 */
/* Guest of wide.wit: flags of 33 and 65 members come back with the first
 * and the last flag flipped (checked by hostile.c at the core level). */
#include "wide.h"

exports_wide_wide_flags_f33_t
exports_wide_wide_flags_set33(exports_wide_wide_flags_f33_t v) {
  v.bits[0] ^= 1u << EXPORTS_WIDE_WIDE_FLAGS_F33_B0;
  if (EXPORTS_WIDE_WIDE_FLAGS_F33_HAS(v, EXPORTS_WIDE_WIDE_FLAGS_F33_B32))
    EXPORTS_WIDE_WIDE_FLAGS_F33_CLEAR(v, EXPORTS_WIDE_WIDE_FLAGS_F33_B32);
  else
    EXPORTS_WIDE_WIDE_FLAGS_F33_SET(v, EXPORTS_WIDE_WIDE_FLAGS_F33_B32);
  return v;
}

exports_wide_wide_flags_f65_t
exports_wide_wide_flags_set65(exports_wide_wide_flags_f65_t v) {
  v.bits[0] ^= 1u << EXPORTS_WIDE_WIDE_FLAGS_F65_C0;
  if (EXPORTS_WIDE_WIDE_FLAGS_F65_HAS(v, EXPORTS_WIDE_WIDE_FLAGS_F65_C64))
    EXPORTS_WIDE_WIDE_FLAGS_F65_CLEAR(v, EXPORTS_WIDE_WIDE_FLAGS_F65_C64);
  else
    EXPORTS_WIDE_WIDE_FLAGS_F65_SET(v, EXPORTS_WIDE_WIDE_FLAGS_F65_C64);
  return v;
}
