/* SPDX-License-Identifier: Apache-2.0 */
/* The guest side of the hostile-input test: trivial implementations of the
 * exports of hostile.wit that summarise what they received (so the host can
 * see good arguments arrive intact) and free their arguments. */
#include "hostile.h"

uint32_t exports_hostile_take_string(hostile_string_t s) {
  uint32_t n = (uint32_t)s.len;
  hostile_string_free(&s);
  return n;
}

uint32_t exports_hostile_take_list(hostile_list_u32_t l) {
  uint32_t sum = 0;
  for (size_t i = 0; i < l.len; i++)
    sum += l.ptr[i];
  hostile_list_u32_free(&l);
  return sum;
}

uint32_t exports_hostile_take_strings(hostile_list_string_t l) {
  uint32_t n = 0;
  for (size_t i = 0; i < l.len; i++)
    n += (uint32_t)l.ptr[i].len;
  hostile_list_string_free(&l);
  return n;
}

uint32_t exports_hostile_take_enum(hostile_color_t c) {
  return c;
}

uint32_t exports_hostile_take_variant(hostile_shape_t v) {
  if (v.tag == HOSTILE_SHAPE_SQUARE) return 100 + v.val.square;
  return v.tag;
}

uint32_t exports_hostile_take_option(hostile_option_u32_t o) {
  return o.is_some ? o.val : 0xFFFFFFFFu;
}

uint32_t exports_hostile_take_result(hostile_result_u8_string_t r) {
  uint32_t v = r.is_err ? 1000 + (uint32_t)r.val.err.len : r.val.ok;
  hostile_result_u8_string_free(&r);
  return v;
}

uint32_t exports_hostile_take_char(uint32_t c) {
  return c;
}

uint32_t exports_hostile_take_flags(hostile_perms_t f) {
  return f;
}

uint32_t exports_hostile_take_bool(bool b) {
  return b ? 1 : 0;
}

uint32_t exports_hostile_take_pairs(hostile_list_hostile_pair_t p) {
  uint32_t n = 0;
  for (size_t i = 0; i < p.len; i++)
    n += (uint32_t)p.ptr[i].a.len + (uint32_t)p.ptr[i].b.len;
  hostile_list_hostile_pair_free(&p);
  return n;
}

uint32_t
exports_hostile_take_borrows(hostile_handles_borrow_res_t one,
                             hostile_list_hostile_handles_borrow_res_t more) {
  uint32_t n = (uint32_t)one.handle;
  for (size_t i = 0; i < more.len; i++)
    n += (uint32_t)more.ptr[i].handle;
  hostile_list_hostile_handles_borrow_res_free(
      &more); /* before the borrows end */
  return n;
}

uint32_t exports_hostile_take_many(uint32_t a1, uint32_t a2, uint32_t a3,
                                   uint32_t a4, uint32_t a5, uint32_t a6,
                                   uint32_t a7, uint32_t a8, uint32_t a9,
                                   uint32_t a10, uint32_t a11, uint32_t a12,
                                   uint32_t a13, uint32_t a14, uint32_t a15,
                                   uint32_t a16, hostile_string_t a17) {
  uint32_t n = a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 +
               a13 + a14 + a15 + a16 + (uint32_t)a17.len;
  hostile_string_free(&a17);
  return n;
}
