/* SPDX-License-Identifier: Apache-2.0 */
/* A guest that lies to its typed host on purpose (issue 15, must-show 4),
 * on witgen's guest bindings of hostile.wit: in mode 0 every export returns
 * a good value; in the other modes it returns (or passes to an import,
 * call-host) a bad one, built by hand so that the bindings lower it as it
 * is: pointers out of bounds, invalid UTF-8, lengths whose byte size
 * overflows, misaligned lists, bad variant and enum discriminants, chars
 * that are not Unicode scalar values, unknown and mistyped handles, and
 * bad values nested in records and lists after good ones. The strings it
 * allocates for bad values are never freed: the host traps before the
 * post-return function runs. */
#include <stdlib.h>
#include <string.h>

#include "hostile.h"

typedef hostile_string_t str_t;

static uint32_t mode;

void exports_hostile_api_set_mode(uint32_t m) {
  mode = m;
}

static str_t good(const char *s) {
  str_t r;
  hostile_string_dup(&r, s);
  return r;
}

/* A string: good in mode 0, else bad in one of three ways. */
static str_t str_of(uint32_t m) {
  str_t r;
  switch (m) {
    case 1: /* out of bounds of memory */
      r.ptr = (uint8_t *)(uintptr_t)0xFFFFFF00u;
      r.len = 16;
      return r;
    case 2: /* not UTF-8 */
      r.ptr = malloc(3);
      memcpy(r.ptr, "a\xff\xfe", 3);
      r.len = 3;
      return r;
    case 3: /* longer than the Canonical ABI allows */
      r.ptr = (uint8_t *)(uintptr_t)16;
      r.len = 0xFFFFFFF0u;
      return r;
    default:
      return good("fine");
  }
}

static hostile_list_u64_t list_of(uint32_t m) {
  hostile_list_u64_t l;
  switch (m) {
    case 1: /* out of bounds */
      l.ptr = (uint64_t *)(uintptr_t)0xFFFF0000u;
      l.len = 4096;
      return l;
    case 2: /* 2^29 elements of 8 bytes: the byte length overflows */
      l.ptr = (uint64_t *)(uintptr_t)8;
      l.len = 0x20000000u;
      return l;
    case 3: /* misaligned */
      l.ptr = (uint64_t *)(uintptr_t)1028;
      l.len = 2;
      return l;
    default:
      l.ptr = malloc(3 * sizeof *l.ptr);
      l.ptr[0] = 1;
      l.ptr[1] = 2;
      l.ptr[2] = 3;
      l.len = 3;
      return l;
  }
}

static exports_hostile_api_shape_t shape_of(uint32_t m) {
  exports_hostile_api_shape_t s;
  memset(&s, 0, sizeof s);
  switch (m) {
    case 1: /* a case that does not exist */
      s.tag = 9;
      return s;
    case 2:
      s.tag = HOSTILE_TYPES_SHAPE_NAMED;
      s.val.named = str_of(2);
      return s;
    default:
      s.tag = HOSTILE_TYPES_SHAPE_CIRCLE;
      s.val.circle = 1.5f;
      return s;
  }
}

/* An item: modes 1-5 each break one field, after good ones. */
static exports_hostile_api_item_t item_of(uint32_t m) {
  exports_hostile_api_item_t it;
  memset(&it, 0, sizeof it);
  it.name = good("an item");
  it.tags.ptr = malloc(2 * sizeof(str_t));
  it.tags.ptr[0] = good("first");
  it.tags.ptr[1] = good("second");
  it.tags.len = 2;
  it.mark = 'm';
  it.color = HOSTILE_TYPES_COLOR_BLUE;
  it.inner.ptr = malloc(2 * sizeof(exports_hostile_api_shape_t));
  it.inner.ptr[0] = shape_of(0);
  it.inner.ptr[1] = shape_of(0);
  it.inner.len = 2;
  switch (m) {
    case 1:
      it.name = str_of(1);
      break;
    case 2: /* the second tag is not UTF-8 */
      it.tags.ptr[1] = str_of(2);
      break;
    case 3:
      it.mark = 0xD800;
      break;
    case 4:
      it.color = 7;
      break;
    case 5: /* the second shape has no such case */
      it.inner.ptr[1] = shape_of(1);
      break;
    default:
      break;
  }
  return it;
}

str_t exports_hostile_api_get_string(void) {
  return str_of(mode);
}

hostile_list_u64_t exports_hostile_api_get_list(void) {
  return list_of(mode);
}

exports_hostile_api_item_t exports_hostile_api_get_item(void) {
  return item_of(mode);
}

/* Two items, the second broken as get-item breaks it. */
hostile_list_exports_hostile_api_item_t exports_hostile_api_get_items(void) {
  hostile_list_exports_hostile_api_item_t l;
  if (mode == 6) { /* the list itself out of bounds */
    l.ptr = (exports_hostile_api_item_t *)(uintptr_t)0xFFFFFFF0u;
    l.len = 2;
    return l;
  }
  l.ptr = malloc(2 * sizeof *l.ptr);
  l.ptr[0] = item_of(0);
  l.ptr[1] = item_of(mode);
  l.len = 2;
  return l;
}

exports_hostile_api_shape_t exports_hostile_api_get_shape(void) {
  return shape_of(mode);
}

exports_hostile_api_color_t exports_hostile_api_get_color(void) {
  return mode ? 3 : HOSTILE_TYPES_COLOR_GREEN;
}

uint32_t exports_hostile_api_get_char(void) {
  return mode == 1 ? 0xD800 : mode == 2 ? 0x110000 : 'x';
}

hostile_result_string_u32_t exports_hostile_api_get_result(void) {
  hostile_result_string_u32_t r;
  r.is_err = false;
  r.val.ok = str_of(mode);
  return r;
}

struct exports_hostile_api_gres {
  int unused;
};

exports_hostile_api_gres_t exports_hostile_api_gres_constructor(void) {
  return exports_hostile_api_gres_new(
      calloc(1, sizeof(exports_hostile_api_gres_rep_t)));
}

void exports_hostile_api_gres_destructor(exports_hostile_api_gres_rep_t *rep) {
  free(rep);
}

exports_hostile_api_gres_t exports_hostile_api_get_gres(void) {
  if (mode == 1) { /* no such handle */
    exports_hostile_api_gres_t h = { 12345 };
    return h;
  }
  return exports_hostile_api_gres_constructor();
}

hostile_types_hres_t exports_hostile_api_get_hres(void) {
  if (mode == 1) {
    hostile_types_hres_t h = { 9999 };
    return h;
  }
  if (mode == 2) { /* a handle of another resource type */
    exports_hostile_api_gres_t g = exports_hostile_api_gres_constructor();
    hostile_types_hres_t h = { g.handle };
    return h;
  }
  return hostile_host_make(5);
}

uint32_t exports_hostile_api_call_host(uint32_t which) {
  switch (which) {
    case 0:
      return hostile_host_take_string(str_of(mode));
    case 1:
      return hostile_host_take_list(list_of(mode));
    case 2:
      return hostile_host_take_item(item_of(mode));
    case 3:
      return hostile_host_take_shape(shape_of(mode));
    case 4: {
      hostile_types_borrow_hres_t b = { mode ? 4242 : 0 };
      hostile_types_hres_t own = { 0 };
      if (!mode) {
        own = hostile_host_make(7);
        b = hostile_types_borrow_hres(own);
      }
      uint32_t r = hostile_host_take_borrow(b);
      if (!mode) hostile_types_hres_drop(own);
      return r;
    }
    default: {
      hostile_types_hres_t h = hostile_host_make(8);
      if (mode == 1) h.handle = 4242;
      if (mode == 2) hostile_types_hres_drop(h); /* then passed: dropped */
      return hostile_host_take_own(h);
    }
  }
}
