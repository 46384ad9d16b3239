/* SPDX-License-Identifier: Apache-2.0 */
/* The C guest of the round-trip test (issue 5, must-show 3), written
 * against the header witgen generates for wit/roundtrip.wit. Each export of
 * `guest` passes the value it received to the matching `host` import and
 * returns what the host gave back, changed in a way host.mjs predicts
 * (integers + 1, floats negated, strings reversed by code point, lists
 * reversed, flags flipped, ...), so no check passes by identity. It follows
 * the ownership rules of docs/bindings.md: it frees every argument it does
 * not give back and every import result it does not return. */
#include <stdlib.h>
#include <string.h>

#include "roundtrip.h"

typedef roundtrip_string_t str_t;

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) abort();
  return p;
}

/* A heap copy of `s` with its code points in reverse order. */
static str_t rev(str_t s) {
  str_t r = { xmalloc(s.len), s.len };
  size_t i = 0;
  while (i < s.len) {
    uint8_t c = s.ptr[i];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    memcpy(r.ptr + s.len - i - n, s.ptr + i, n);
    i += n;
  }
  return r;
}

/* Reverses `s` in the heap and frees the original. */
static str_t rev_free(str_t s) {
  str_t r = rev(s);
  roundtrip_string_free(&s);
  return r;
}

/* The next Unicode scalar value, wrapping at U+10FFFF, skipping
 * surrogates. */
static uint32_t next_char(uint32_t c) {
  if (c == 0x10FFFF) return 0;
  if (c == 0xD7FF) return 0xE000;
  return c + 1;
}

/* ---- integers, floats, bool, char ---- */

int8_t exports_roundtrip_guest_s8(int8_t v) {
  return (int8_t)(uint8_t)(roundtrip_host_s8(v) + 1u);
}
uint8_t exports_roundtrip_guest_u8(uint8_t v) {
  return (uint8_t)(roundtrip_host_u8(v) + 1u);
}
int16_t exports_roundtrip_guest_s16(int16_t v) {
  return (int16_t)(uint16_t)(roundtrip_host_s16(v) + 1u);
}
uint16_t exports_roundtrip_guest_u16(uint16_t v) {
  return (uint16_t)(roundtrip_host_u16(v) + 1u);
}
int32_t exports_roundtrip_guest_s32(int32_t v) {
  return (int32_t)((uint32_t)roundtrip_host_s32(v) + 1u);
}
uint32_t exports_roundtrip_guest_u32(uint32_t v) {
  return roundtrip_host_u32(v) + 1u;
}
int64_t exports_roundtrip_guest_s64(int64_t v) {
  return (int64_t)((uint64_t)roundtrip_host_s64(v) + 1u);
}
uint64_t exports_roundtrip_guest_u64(uint64_t v) {
  return roundtrip_host_u64(v) + 1u;
}
float exports_roundtrip_guest_f32(float v) {
  return -roundtrip_host_f32(v);
}
double exports_roundtrip_guest_f64(double v) {
  return -roundtrip_host_f64(v);
}
bool exports_roundtrip_guest_boolean(bool v) {
  return !roundtrip_host_boolean(v);
}
uint32_t exports_roundtrip_guest_chr(uint32_t v) {
  return next_char(roundtrip_host_chr(v));
}

/* ---- strings and lists ---- */

str_t exports_roundtrip_guest_str(str_t v) {
  str_t r = roundtrip_host_str(v);
  roundtrip_string_free(&v);
  return rev_free(r);
}

roundtrip_list_u8_t exports_roundtrip_guest_bytes(roundtrip_list_u8_t v) {
  roundtrip_list_u8_t r = roundtrip_host_bytes(v);
  roundtrip_list_u8_free(&v);
  for (size_t i = 0; i < r.len / 2; i++) {
    uint8_t t = r.ptr[i];
    r.ptr[i] = r.ptr[r.len - 1 - i];
    r.ptr[r.len - 1 - i] = t;
  }
  return r;
}

/* Points come back in reverse order, each x + 1 and its tags reversed. */
roundtrip_list_exports_roundtrip_guest_point_t exports_roundtrip_guest_points(
    roundtrip_list_exports_roundtrip_guest_point_t v) {
  roundtrip_list_roundtrip_host_point_t in = { v.ptr, v.len };
  roundtrip_list_roundtrip_host_point_t got = roundtrip_host_points(in);
  roundtrip_list_exports_roundtrip_guest_point_free(&v);
  roundtrip_list_exports_roundtrip_guest_point_t out = {
    xmalloc(got.len * sizeof *got.ptr), got.len
  };
  for (size_t i = 0; i < got.len; i++) {
    roundtrip_types_point_t p = got.ptr[got.len - 1 - i];
    p.x = (int32_t)((uint32_t)p.x + 1u);
    for (size_t t = 0; t < p.tags.len / 2; t++) {
      str_t s = p.tags.ptr[t];
      p.tags.ptr[t] = p.tags.ptr[p.tags.len - 1 - t];
      p.tags.ptr[p.tags.len - 1 - t] = s;
    }
    out.ptr[i] = p;
  }
  free(got.ptr); /* the elements moved to `out` */
  return out;
}

/* ---- options, results ---- */

/* none -> some(none), some(none) -> none, some(some(n)) -> some(some(n+1)) */
roundtrip_option_option_u32_t
exports_roundtrip_guest_opt(roundtrip_option_option_u32_t v) {
  roundtrip_option_option_u32_t r = roundtrip_host_opt(v);
  if (!r.is_some) {
    r.is_some = true;
    r.val.is_some = false;
  } else if (!r.val.is_some) {
    r.is_some = false;
  } else {
    r.val.val++;
  }
  return r;
}

roundtrip_result_string_u32_t
exports_roundtrip_guest_res_both(roundtrip_result_string_u32_t v) {
  roundtrip_result_string_u32_t r = roundtrip_host_res_both(v);
  roundtrip_result_string_u32_free(&v);
  if (r.is_err)
    r.val.err++;
  else
    r.val.ok = rev_free(r.val.ok);
  return r;
}

roundtrip_result_u32_void_t
exports_roundtrip_guest_res_ok(roundtrip_result_u32_void_t v) {
  roundtrip_result_u32_void_t r = roundtrip_host_res_ok(v);
  if (!r.is_err) r.val.ok++;
  return r;
}

/* ok -> err("ok!"), err("") -> ok, err(s) -> err(reverse(s)) */
roundtrip_result_void_string_t
exports_roundtrip_guest_res_err(roundtrip_result_void_string_t v) {
  roundtrip_result_void_string_t r = roundtrip_host_res_err(v);
  roundtrip_result_void_string_free(&v);
  if (!r.is_err) {
    r.is_err = true;
    roundtrip_string_set(&r.val.err, "ok!"); /* static: never freed */
  } else if (r.val.err.len == 0) {
    roundtrip_result_void_string_free(&r);
    r.is_err = false;
  } else {
    r.val.err = rev_free(r.val.err);
  }
  return r;
}

roundtrip_result_void_void_t
exports_roundtrip_guest_res_none(roundtrip_result_void_void_t v) {
  roundtrip_result_void_void_t r = roundtrip_host_res_none(v);
  r.is_err = !r.is_err;
  return r;
}

/* ---- variants, enums, flags, tuples ---- */

static roundtrip_types_color_t next_color(roundtrip_types_color_t c) {
  return (roundtrip_types_color_t)((c + 1) % 5);
}

/* The change applied to every shape; host.mjs has the same function. */
static void change_shape(roundtrip_types_shape_t *s) {
  switch (s->tag) {
    case ROUNDTRIP_TYPES_SHAPE_NONE:
      break;
    case ROUNDTRIP_TYPES_SHAPE_CIRCLE:
      s->val.circle *= 2;
      break;
    case ROUNDTRIP_TYPES_SHAPE_RECT: {
      uint32_t t = s->val.rect.f0;
      s->val.rect.f0 = s->val.rect.f1;
      s->val.rect.f1 = t;
      break;
    }
    case ROUNDTRIP_TYPES_SHAPE_NAMED:
      s->val.named = rev_free(s->val.named);
      break;
    case ROUNDTRIP_TYPES_SHAPE_MAYBE: {
      roundtrip_option_option_string_t *m = &s->val.maybe;
      if (!m->is_some) {
        m->is_some = true;
        m->val.is_some = false;
      } else if (!m->val.is_some) {
        m->is_some = false;
      } else {
        m->val.val = rev_free(m->val.val);
      }
      break;
    }
    case ROUNDTRIP_TYPES_SHAPE_OUTCOME:
      if (s->val.outcome.is_err)
        s->val.outcome.val.err = next_color(s->val.outcome.val.err);
      else
        s->val.outcome.val.ok = (int64_t)((uint64_t)s->val.outcome.val.ok + 1u);
      break;
    case ROUNDTRIP_TYPES_SHAPE_INNER: {
      roundtrip_list_roundtrip_types_shape_leaf_t *l = &s->val.inner;
      for (size_t i = 0; i < l->len / 2; i++) {
        roundtrip_types_shape_leaf_t t = l->ptr[i];
        l->ptr[i] = l->ptr[l->len - 1 - i];
        l->ptr[l->len - 1 - i] = t;
      }
      for (size_t i = 0; i < l->len; i++) {
        roundtrip_types_shape_leaf_t *leaf = &l->ptr[i];
        if (leaf->tag == ROUNDTRIP_TYPES_SHAPE_LEAF_TAG)
          leaf->val.tag++;
        else if (leaf->tag == ROUNDTRIP_TYPES_SHAPE_LEAF_LABEL)
          leaf->val.label = rev_free(leaf->val.label);
      }
      break;
    }
  }
}

roundtrip_types_shape_t exports_roundtrip_guest_var(roundtrip_types_shape_t v) {
  roundtrip_types_shape_t r = roundtrip_host_var(v);
  roundtrip_types_shape_free(&v);
  change_shape(&r);
  return r;
}

/* Reversed; some(ok((n, s))) -> some(ok((n + 1, reverse(s)))), errors
 * changed as `var` does. */
roundtrip_types_deep_list_t
exports_roundtrip_guest_deep(roundtrip_types_deep_list_t v) {
  roundtrip_types_deep_list_t r = roundtrip_host_deep(v);
  roundtrip_types_deep_list_free(&v);
  for (size_t i = 0; i < r.len / 2; i++) {
    roundtrip_option_result_tuple2_u8_string_roundtrip_types_shape_t t =
        r.ptr[i];
    r.ptr[i] = r.ptr[r.len - 1 - i];
    r.ptr[r.len - 1 - i] = t;
  }
  for (size_t i = 0; i < r.len; i++) {
    if (!r.ptr[i].is_some) continue;
    roundtrip_result_tuple2_u8_string_roundtrip_types_shape_t *e =
        &r.ptr[i].val;
    if (e->is_err) {
      change_shape(&e->val.err);
    } else {
      e->val.ok.f0++;
      e->val.ok.f1 = rev_free(e->val.ok.f1);
    }
  }
  return r;
}

roundtrip_types_color_t exports_roundtrip_guest_enm(roundtrip_types_color_t v) {
  return next_color(roundtrip_host_enm(v));
}
roundtrip_types_fl1_t exports_roundtrip_guest_set1(roundtrip_types_fl1_t v) {
  return roundtrip_host_set1(v) ^ ROUNDTRIP_TYPES_FL1_A0;
}
roundtrip_types_fl9_t exports_roundtrip_guest_set9(roundtrip_types_fl9_t v) {
  return roundtrip_host_set9(v) ^ 0x1FFu;
}
roundtrip_types_fl32_t exports_roundtrip_guest_set32(roundtrip_types_fl32_t v) {
  return roundtrip_host_set32(v) ^
         (ROUNDTRIP_TYPES_FL32_B0 | ROUNDTRIP_TYPES_FL32_B31);
}

roundtrip_types_big_tuple_t
exports_roundtrip_guest_tup(roundtrip_types_big_tuple_t v) {
  roundtrip_types_big_tuple_t r = roundtrip_host_tup(v);
  roundtrip_types_big_tuple_free(&v);
  r.f0++;
  r.f1 = (int64_t)((uint64_t)r.f1 + 1u);
  r.f2 = rev_free(r.f2);
  r.f3 = -r.f3;
  r.f4 = !r.f4;
  r.f5 = next_char(r.f5);
  return r;
}

/* ---- fixed-length lists ---- */

/* Each element + 1. */
roundtrip_array4_s16_t exports_roundtrip_guest_arr(roundtrip_array4_s16_t v) {
  roundtrip_array4_s16_t r = roundtrip_host_arr(v);
  for (int i = 0; i < 4; i++)
    r.items[i] = (int16_t)(uint16_t)(r.items[i] + 1u);
  return r;
}

/* Swapped, each reversed. */
roundtrip_array2_string_t
exports_roundtrip_guest_arr_str(roundtrip_array2_string_t v) {
  roundtrip_array2_string_t r = roundtrip_host_arr_str(v);
  roundtrip_array2_string_free(&v);
  str_t first = rev_free(r.items[0]);
  r.items[0] = rev_free(r.items[1]);
  r.items[1] = first;
  return r;
}

/* 20 flat parameters (passed in memory), reversed. */
roundtrip_array20_u8_t
exports_roundtrip_guest_arr_big(roundtrip_array20_u8_t v) {
  roundtrip_array20_u8_t r = roundtrip_host_arr_big(v);
  for (int i = 0; i < 10; i++) {
    uint8_t t = r.items[i];
    r.items[i] = r.items[19 - i];
    r.items[19 - i] = t;
  }
  return r;
}

/* ---- more than 16 flat parameters, results through a return area ---- */

static roundtrip_types_many_result_t
change_many(roundtrip_types_many_result_t r) {
  r.f0++;
  r.f1 = rev_free(r.f1);
  r.f2 = -r.f2;
  r.f3++;
  return r;
}

roundtrip_types_many_result_t exports_roundtrip_guest_many(
    uint8_t a, int16_t b, uint32_t c, int64_t d, float e, double f, str_t g,
    bool h, uint32_t i, uint64_t j, int8_t k, uint16_t l, int32_t m, str_t n,
    float o, roundtrip_list_u8_t p, uint32_t q) {
  roundtrip_types_many_result_t r =
      roundtrip_host_many(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q);
  roundtrip_string_free(&g);
  roundtrip_string_free(&n);
  roundtrip_list_u8_free(&p);
  return change_many(r);
}

roundtrip_types_many_result_t exports_roundtrip_guest_multi(uint32_t v) {
  return change_many(roundtrip_host_multi(v));
}

/* ---- the imported resource `hres` ---- */

typedef roundtrip_types_hres_t hres_t;
#define BORROW(h) roundtrip_types_borrow_hres(h)

/* A host-made handle read through a method, a new one made with the
 * constructor import and bumped with `set`; the host's is dropped. */
hres_t exports_roundtrip_guest_hres_make(int32_t v) {
  hres_t a = roundtrip_host_hres_make(v);
  hres_t h = roundtrip_types_hres_new(roundtrip_types_hres_get(BORROW(a)) * 2);
  roundtrip_types_hres_set(BORROW(h), roundtrip_types_hres_get(BORROW(h)) + 1);
  roundtrip_types_hres_drop(a);
  return h;
}

/* The handle moves into the host. */
int32_t exports_roundtrip_guest_hres_take(hres_t r) {
  return 2 * roundtrip_host_hres_take(r);
}

/* A borrow passed on to an import, a method and a static function. */
int32_t exports_roundtrip_guest_hres_peek(roundtrip_types_borrow_hres_t r) {
  return roundtrip_host_hres_peek(r) + roundtrip_types_hres_get(r) +
         roundtrip_types_hres_sum(r, r);
}

/* Own in, own out: the host returns another handle, which we bump. */
hres_t exports_roundtrip_guest_hres_pass(hres_t r) {
  hres_t h = roundtrip_host_hres_pass(r);
  roundtrip_types_hres_set(BORROW(h),
                           roundtrip_types_hres_get(BORROW(h)) + 100);
  return h;
}

/* The host returns one more handle than it got, first; that one is dropped
 * by the list's _free function, the others come back reversed. */
roundtrip_list_roundtrip_types_hres_t
exports_roundtrip_guest_hres_list(roundtrip_list_roundtrip_types_hres_t l) {
  roundtrip_list_roundtrip_types_hres_t got = roundtrip_host_hres_list(l);
  free(l.ptr); /* its handles moved into the host */
  if (got.len == 0) abort();
  roundtrip_list_roundtrip_types_hres_t out = {
    xmalloc((got.len - 1) * sizeof *got.ptr), got.len - 1
  };
  for (size_t i = 0; i < out.len; i++)
    out.ptr[i] = got.ptr[got.len - 1 - i];
  got.len = 1;
  roundtrip_list_roundtrip_types_hres_free(&got);
  return out;
}

/* ---- the exported resource `gacc` ---- */

struct exports_roundtrip_guest_gacc {
  int64_t value;
};

static uint32_t gacc_live, gacc_dropped;

exports_roundtrip_guest_gacc_t
exports_roundtrip_guest_gacc_constructor(int64_t start) {
  struct exports_roundtrip_guest_gacc *rep = xmalloc(sizeof *rep);
  rep->value = start;
  gacc_live++;
  return exports_roundtrip_guest_gacc_new(rep);
}

int64_t
exports_roundtrip_guest_gacc_add(exports_roundtrip_guest_borrow_gacc_t self,
                                 int64_t d) {
  self->value = (int64_t)((uint64_t)self->value + (uint64_t)d);
  return self->value;
}

int64_t
exports_roundtrip_guest_gacc_get(exports_roundtrip_guest_borrow_gacc_t self) {
  return self->value;
}

/* A new accumulator holding a + b; `a` is dropped here (its destructor
 * runs before we return). */
exports_roundtrip_guest_gacc_t
exports_roundtrip_guest_gacc_merge(exports_roundtrip_guest_gacc_t a,
                                   exports_roundtrip_guest_borrow_gacc_t b) {
  int64_t sum = (int64_t)((uint64_t)exports_roundtrip_guest_gacc_rep(a)->value +
                          (uint64_t)b->value);
  exports_roundtrip_guest_gacc_drop(a);
  return exports_roundtrip_guest_gacc_constructor(sum);
}

void exports_roundtrip_guest_gacc_destructor(
    exports_roundtrip_guest_gacc_rep_t *rep) {
  free(rep);
  gacc_live--;
  gacc_dropped++;
}

uint32_t exports_roundtrip_guest_gacc_dropped(void) {
  return gacc_dropped;
}
uint32_t exports_roundtrip_guest_gacc_live(void) {
  return gacc_live;
}
