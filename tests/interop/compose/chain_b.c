/* SPDX-License-Identifier: Apache-2.0 */
/* World `b` of chain.wit: s twice, then `#` and c's ping of its length. */
#include "b.h"
#include "sb.h"

b_string_t exports_chain_bb_twice(b_string_t s) {
  Sb b = { 0 };
  sb_add(&b, s.ptr, s.len);
  sb_add(&b, s.ptr, s.len);
  sb_str(&b, "#");
  sb_u32(&b, chain_cc_ping((uint32_t)s.len));
  b_string_free(&s);
  return (b_string_t){ (uint8_t *)b.p, b.n };
}
