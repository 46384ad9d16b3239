/* SPDX-License-Identifier: Apache-2.0 */
/* World `c2` of chain.wit: ping asks b, which asks c2 (a cycle). */
#include "c2.h"

uint32_t exports_chain_cc_ping(uint32_t n) {
  c2_string_t s;
  c2_string_set(&s, "x");
  c2_string_t r = chain_bb_twice(s);
  uint32_t len = (uint32_t)r.len;
  c2_string_free(&r);
  return n + len;
}
