/* SPDX-License-Identifier: Apache-2.0 */
#include "cmocka_all.h"

#include "leb128.h"
#include "strbuf.h"

#define BYTES(...) ((const uint8_t[]){ __VA_ARGS__ })

static bool u32_of(const uint8_t *b, size_t n, uint32_t *out, size_t *used) {
  const uint8_t *p = b;
  bool ok = wg_leb_u32(&p, b + n, out);
  *used = (size_t)(p - b);
  return ok;
}

static void leb_u32_decodes_spec_examples(void **state) {
  (void)state;
  uint32_t v;
  size_t used;
  assert_true(u32_of(BYTES(0x00), 1, &v, &used));
  assert_int_equal(v, 0);
  assert_true(u32_of(BYTES(0xe5, 0x8e, 0x26), 3, &v, &used));
  assert_int_equal(v, 624485);
  assert_int_equal(used, 3);
  assert_true(u32_of(BYTES(0xff, 0xff, 0xff, 0xff, 0x0f), 5, &v, &used));
  assert_int_equal(v, UINT32_MAX);
  /* Non-minimal but within 5 bytes is allowed. */
  assert_true(u32_of(BYTES(0x80, 0x80, 0x80, 0x80, 0x00), 5, &v, &used));
  assert_int_equal(v, 0);
}

static void leb_u32_rejects_too_long_unused_bits_and_truncation(void **state) {
  (void)state;
  uint32_t v;
  size_t used;
  assert_false(u32_of(BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 6, &v, &used));
  assert_false(u32_of(BYTES(0xff, 0xff, 0xff, 0xff, 0x1f), 5, &v, &used));
  assert_false(u32_of(BYTES(0x80, 0x80), 2, &v, &used));
  assert_int_equal(used, 0);
}

static void leb_s32_checks_sign_bits_of_last_byte(void **state) {
  (void)state;
  const uint8_t *p;
  int32_t v;
  const uint8_t minus_one[] = { 0x7f };
  p = minus_one;
  assert_true(wg_leb_s32(&p, minus_one + 1, &v));
  assert_int_equal(v, -1);
  const uint8_t int_min[] = { 0x80, 0x80, 0x80, 0x80, 0x78 };
  p = int_min;
  assert_true(wg_leb_s32(&p, int_min + 5, &v));
  assert_int_equal(v, INT32_MIN);
  const uint8_t bad_sign[] = { 0x80, 0x80, 0x80, 0x80, 0x70 };
  p = bad_sign;
  assert_false(wg_leb_s32(&p, bad_sign + 5, &v));
  const uint8_t bad_pos[] = { 0xff, 0xff, 0xff, 0xff, 0x0f };
  p = bad_pos;
  assert_false(wg_leb_s32(&p, bad_pos + 5, &v));
}

static void leb_round_trips_through_the_encoder(void **state) {
  (void)state;
  const int64_t values[] = { 0,         1,         -1,        63,
                             64,        -64,       -65,       INT32_MAX,
                             INT32_MIN, INT64_MAX, INT64_MIN, 1234567890123LL };
  for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
    WgBuf b = { 0 };
    wg_buf_sleb(&b, values[i]);
    const uint8_t *p = (const uint8_t *)b.data;
    int64_t out;
    assert_true(wg_leb_s64(&p, p + b.len, &out));
    assert_true(out == values[i]);
    wg_buf_free(&b);
    wg_buf_uleb(&b, (uint64_t)values[i]);
    p = (const uint8_t *)b.data;
    uint64_t uout;
    assert_true(wg_leb_u64(&p, p + b.len, &uout));
    assert_true(uout == (uint64_t)values[i]);
    wg_buf_free(&b);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(leb_u32_decodes_spec_examples),
    cmocka_unit_test(leb_u32_rejects_too_long_unused_bits_and_truncation),
    cmocka_unit_test(leb_s32_checks_sign_bits_of_last_byte),
    cmocka_unit_test(leb_round_trips_through_the_encoder),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
