/* SPDX-License-Identifier: Apache-2.0 */
/* A typed growable array over the default allocator:
 *
 *     WgVec(int) v = {0};
 *     if (!wg_vec_push(&v, 42)) return WG_ERR_NOMEM;
 *     wg_vec_free(&v);
 */
#ifndef WG_BASE_VEC_H
#define WG_BASE_VEC_H

#include <stdbool.h>
#include <stddef.h>

#define WgVec(T)  \
  struct {        \
    T *items;     \
    size_t count; \
    size_t cap;   \
  }

/* Ensures room for `extra` more items of `item_size`; false on OOM. */
bool wg_vec_reserve_raw(void **items, size_t *cap, size_t count, size_t extra,
                        size_t item_size);

#define wg_vec_reserve(v, extra)                                           \
  wg_vec_reserve_raw((void **)&(v)->items, &(v)->cap, (v)->count, (extra), \
                     sizeof *(v)->items)

/* The capacity check is inline: pushes are hot in the compilers. */
#define wg_vec_push(v, value)                        \
  (((v)->count < (v)->cap || wg_vec_reserve((v), 1)) \
       ? ((v)->items[(v)->count++] = (value), true)  \
       : false)

#define wg_vec_last(v) ((v)->items[(v)->count - 1])

void wg_vec_free_raw(void **items, size_t *count, size_t *cap);
#define wg_vec_free(v) \
  wg_vec_free_raw((void **)&(v)->items, &(v)->count, &(v)->cap)

#endif
