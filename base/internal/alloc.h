/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation helpers over a WgAllocator (internal to witgen). */
#ifndef WG_BASE_ALLOC_H
#define WG_BASE_ALLOC_H

#include "witgen/common.h"

/* Resolves a zeroed allocator to the default one. */
WgAllocator wg_alloc_resolve(WgAllocator a);
void *wg_alloc(WgAllocator a, size_t size);
void *wg_alloc_zeroed(WgAllocator a, size_t size);
void *wg_realloc(WgAllocator a, void *ptr, size_t old_size, size_t new_size);
void wg_free(WgAllocator a, void *ptr, size_t size);

/* Overflow-checked multiply; returns false on overflow. */
static inline bool wg_mul_size(size_t a, size_t b, size_t *out) {
  return !__builtin_mul_overflow(a, b, out);
}

#endif
