/* SPDX-License-Identifier: Apache-2.0 */
/* Growth policy for WgVec: doubling, overflow-checked. */
#include "vec.h"

#include <stdint.h>
#include <stdlib.h>

bool wg_vec_reserve_raw(void **items, size_t *cap, size_t count, size_t extra,
                        size_t item_size) {
  if (extra > SIZE_MAX - count) return false;
  size_t need = count + extra;
  if (need <= *cap) return true;
  size_t next = *cap ? *cap : 8;
  while (next < need) {
    if (next > SIZE_MAX / 2) return false;
    next *= 2;
  }
  size_t bytes;
  if (__builtin_mul_overflow(next, item_size, &bytes)) return false;
  void *p = realloc(*items, bytes);
  if (!p) return false;
  *items = p;
  *cap = next;
  return true;
}

void wg_vec_free_raw(void **items, size_t *count, size_t *cap) {
  free(*items);
  *items = NULL;
  *count = 0;
  *cap = 0;
}
