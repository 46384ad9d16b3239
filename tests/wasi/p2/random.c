/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:random: secure and insecure bytes have the lengths asked for and
 * are not constant; u64 values differ; insecure-seed gives a pair; libc's
 * getentropy works through the adapter. */
#include <sys/random.h>

#include "imports.h"
#include "p2_io.h"

static bool varied(const uint8_t *p, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (p[i] != p[0]) return true;
  return false;
}

int main(void) {
  imports_list_u8_t a = random_random_get_random_bytes(256);
  say("random bytes: %zu, varied: %s", a.len,
      varied(a.ptr, a.len) ? "yes" : "no");
  imports_list_u8_t b = random_random_get_random_bytes(256);
  say("two draws differ: %s", memcmp(a.ptr, b.ptr, 256) ? "yes" : "no");
  imports_list_u8_free(&a);
  imports_list_u8_free(&b);
  imports_list_u8_t z = random_random_get_random_bytes(0);
  say("zero bytes: %zu", z.len);
  imports_list_u8_free(&z);
  uint64_t u1 = random_random_get_random_u64(),
           u2 = random_random_get_random_u64();
  say("u64 draws differ: %s", u1 != u2 ? "yes" : "no");
  imports_list_u8_t c = random_insecure_get_insecure_random_bytes(100);
  say("insecure bytes: %zu, varied: %s", c.len,
      varied(c.ptr, c.len) ? "yes" : "no");
  imports_list_u8_free(&c);
  uint64_t i1 = random_insecure_get_insecure_random_u64();
  uint64_t i2 = random_insecure_get_insecure_random_u64();
  say("insecure u64 draws differ: %s", i1 != i2 ? "yes" : "no");
  imports_tuple2_u64_u64_t seed = random_insecure_seed_insecure_seed();
  (void)seed;
  say("insecure seed: given");
  uint8_t e[64];
  CHECK(getentropy(e, sizeof e) == 0);
  say("getentropy: varied: %s", varied(e, sizeof e) ? "yes" : "no");
  return 0;
}
