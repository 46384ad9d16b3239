/* SPDX-License-Identifier: Apache-2.0 */
/* The second component of the split round trip (issue 17, must-show 2):
 * world `peer` (roundtrip.wit plus split.sh's world) exports `host`, every
 * function the guest imports, and passes each call on to the `host` it
 * imports, so that a value the guest sends crosses two component
 * boundaries (guest -> peer: copied memory to memory by a fused call,
 * peer -> host) and so does the answer; host.c checks both unchanged. It
 * keeps the ownership rules of docs/bindings.md: it frees the arguments
 * it owns once the call has copied them, moves owned handles on, and
 * gives away the results it got. */
#include <stdlib.h>

#include "peer.h"

/* Values without memory: passed on as they are. */
#define PLAIN(T, NAME)                   \
  T exports_roundtrip_host_##NAME(T v) { \
    return roundtrip_host_##NAME(v);     \
  }

/* Values with memory: passed on, then freed (the callee copied them). */
#define OWNED(T, NAME, FREE)             \
  T exports_roundtrip_host_##NAME(T v) { \
    T r = roundtrip_host_##NAME(v);      \
    FREE(&v);                            \
    return r;                            \
  }

PLAIN(int8_t, s8)
PLAIN(uint8_t, u8)
PLAIN(int16_t, s16)
PLAIN(uint16_t, u16)
PLAIN(int32_t, s32)
PLAIN(uint32_t, u32)
PLAIN(int64_t, s64)
PLAIN(uint64_t, u64)
PLAIN(float, f32)
PLAIN(double, f64)
PLAIN(bool, boolean)
PLAIN(uint32_t, chr)
PLAIN(peer_option_option_u32_t, opt)
PLAIN(peer_result_u32_void_t, res_ok)
PLAIN(peer_result_void_void_t, res_none)
PLAIN(exports_roundtrip_host_color_t, enm)
PLAIN(exports_roundtrip_host_fl1_t, set1)
PLAIN(exports_roundtrip_host_fl9_t, set9)
PLAIN(exports_roundtrip_host_fl32_t, set32)
PLAIN(peer_array4_s16_t, arr)
PLAIN(peer_array20_u8_t, arr_big)
OWNED(peer_string_t, str, peer_string_free)
OWNED(peer_list_u8_t, bytes, peer_list_u8_free)
OWNED(peer_result_string_u32_t, res_both, peer_result_string_u32_free)
OWNED(peer_result_void_string_t, res_err, peer_result_void_string_free)
OWNED(exports_roundtrip_host_shape_t, var, roundtrip_types_shape_free)
OWNED(exports_roundtrip_host_deep_list_t, deep, roundtrip_types_deep_list_free)
OWNED(exports_roundtrip_host_big_tuple_t, tup, roundtrip_types_big_tuple_free)
OWNED(peer_array2_string_t, arr_str, peer_array2_string_free)

/* The export's list type and the import's name one C layout. */
peer_list_exports_roundtrip_host_point_t
exports_roundtrip_host_points(peer_list_exports_roundtrip_host_point_t v) {
  peer_list_roundtrip_host_point_t r =
      roundtrip_host_points((peer_list_roundtrip_host_point_t){ v.ptr, v.len });
  peer_list_exports_roundtrip_host_point_free(&v);
  return (peer_list_exports_roundtrip_host_point_t){ r.ptr, r.len };
}

exports_roundtrip_host_many_result_t exports_roundtrip_host_many(
    uint8_t a, int16_t b, uint32_t c, int64_t d, float e, double f,
    peer_string_t g, bool h, uint32_t i, uint64_t j, int8_t k, uint16_t l,
    int32_t m, peer_string_t n, float o, peer_list_u8_t p, uint32_t q) {
  exports_roundtrip_host_many_result_t r =
      roundtrip_host_many(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q);
  peer_string_free(&g);
  peer_string_free(&n);
  peer_list_u8_free(&p);
  return r;
}

exports_roundtrip_host_many_result_t exports_roundtrip_host_multi(uint32_t v) {
  return roundtrip_host_multi(v);
}

/* Resources: owned handles move on (not dropped here), borrows are lent
 * on for the call. */
roundtrip_types_hres_t exports_roundtrip_host_hres_make(int32_t v) {
  return roundtrip_host_hres_make(v);
}

int32_t exports_roundtrip_host_hres_take(roundtrip_types_hres_t r) {
  return roundtrip_host_hres_take(r);
}

int32_t exports_roundtrip_host_hres_peek(roundtrip_types_borrow_hres_t r) {
  return roundtrip_host_hres_peek(r);
}

roundtrip_types_hres_t
exports_roundtrip_host_hres_pass(roundtrip_types_hres_t r) {
  return roundtrip_host_hres_pass(r);
}

peer_list_roundtrip_types_hres_t
exports_roundtrip_host_hres_list(peer_list_roundtrip_types_hres_t l) {
  peer_list_roundtrip_types_hres_t r = roundtrip_host_hres_list(l);
  if (l.len) free(l.ptr); /* the handles moved on: only the list's memory */
  return r;
}
