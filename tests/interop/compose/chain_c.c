/* SPDX-License-Identifier: Apache-2.0 */
/* World `c` of chain.wit. */
#include "c.h"

uint32_t exports_chain_cc_ping(uint32_t n) {
  return n * 2 + 1;
}
