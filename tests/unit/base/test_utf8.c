/* SPDX-License-Identifier: Apache-2.0 */
#include "cmocka_all.h"

#include <string.h>

#include "utf8.h"

static bool valid(const char *s) {
  return wg_utf8_valid((const uint8_t *)s, strlen(s), NULL);
}

static void utf8_accepts_ascii_and_multibyte(void **state) {
  (void)state;
  assert_true(valid(""));
  assert_true(valid("hello"));
  assert_true(valid("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
}

static void utf8_rejects_overlong_surrogates_and_truncation(void **state) {
  (void)state;
  size_t bad = 99;
  assert_false(wg_utf8_valid((const uint8_t *)"ab\xc0\xaf", 4, &bad));
  assert_int_equal(bad, 2);
  assert_false(valid("\xed\xa0\x80"));     /* U+D800 */
  assert_false(valid("\xf4\x90\x80\x80")); /* > U+10FFFF */
  assert_false(valid("\xe2\x82"));         /* truncated */
  assert_false(valid("\x80"));             /* lone continuation */
  assert_false(valid("\xff"));
}

/* Long ASCII runs are checked 8 bytes at a time: what follows them, and a
 * bad byte inside the last word of a run, are still found at their
 * offset. */
static void utf8_ascii_runs(void **state) {
  (void)state;
  size_t bad = 99;
  assert_true(valid("0123456789abcdef\xc3\xa9 and 0123456789"));
  assert_false(wg_utf8_valid((const uint8_t *)"0123456789abc\xff", 14, &bad));
  assert_int_equal(bad, 13);
  assert_false(wg_utf8_valid(
      (const uint8_t *)"01234567\xe2\x82\xac\xed\xa0\x80", 14, &bad));
  assert_int_equal(bad, 11);
  assert_false(valid("0123456701234567\xe2\x82")); /* truncated at the end */
}

static void utf8_encode_decode_round_trip(void **state) {
  (void)state;
  const uint32_t cps[] = { 0,     0x7f,   0x80,    0x7ff,
                           0x800, 0xfffd, 0x10000, 0x10ffff };
  for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
    uint8_t buf[4];
    size_t n = wg_utf8_encode(cps[i], buf);
    assert_true(n > 0);
    uint32_t back;
    assert_int_equal(wg_utf8_decode(buf, n, &back), n);
    assert_int_equal(back, cps[i]);
  }
  uint8_t buf[4];
  assert_int_equal(wg_utf8_encode(0xd800, buf), 0);
  assert_int_equal(wg_utf8_encode(0x110000, buf), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(utf8_accepts_ascii_and_multibyte),
    cmocka_unit_test(utf8_rejects_overlong_surrogates_and_truncation),
    cmocka_unit_test(utf8_ascii_runs),
    cmocka_unit_test(utf8_encode_decode_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
