/* SPDX-License-Identifier: Apache-2.0 */
/* World `a` of chain.wit: go() asks b twice. */
#include "a.h"
#include "sb.h"

a_string_t exports_a_go(void) {
  Sb b = { 0 };
  const char *words[] = { "ab", "\xc3\xa9t\xc3\xa9" };
  for (int i = 0; i < 2; i++) {
    a_string_t w;
    a_string_set(&w, words[i]);
    a_string_t r = chain_bb_twice(w);
    if (i) sb_str(&b, " / ");
    sb_add(&b, r.ptr, r.len);
    a_string_free(&r);
  }
  return (a_string_t){ (uint8_t *)b.p, b.n };
}
