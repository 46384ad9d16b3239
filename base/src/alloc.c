/* SPDX-License-Identifier: Apache-2.0 */
/* The default allocator and thin wrappers that route through WgAllocator. */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *user, void *ptr, size_t old_size,
                           size_t new_size) {
  (void)user;
  (void)old_size;
  if (new_size == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, new_size);
}

WgAllocator wg_allocator_default(void) {
  return (WgAllocator){ default_alloc, NULL };
}

WgAllocator wg_alloc_resolve(WgAllocator a) {
  return a.fn ? a : wg_allocator_default();
}

void *wg_alloc(WgAllocator a, size_t size) {
  a = wg_alloc_resolve(a);
  return a.fn(a.user, NULL, 0, size ? size : 1);
}

void *wg_alloc_zeroed(WgAllocator a, size_t size) {
  /* calloc for the default allocator: large blocks (linear memories) come
   * from the kernel already zeroed, so they are not written twice */
  if (!a.fn || a.fn == default_alloc) return calloc(1, size ? size : 1);
  void *p = wg_alloc(a, size);
  if (p) memset(p, 0, size ? size : 1);
  return p;
}

void *wg_realloc(WgAllocator a, void *ptr, size_t old_size, size_t new_size) {
  a = wg_alloc_resolve(a);
  return a.fn(a.user, ptr, old_size, new_size ? new_size : 1);
}

void wg_free(WgAllocator a, void *ptr, size_t size) {
  if (!ptr) return;
  a = wg_alloc_resolve(a);
  a.fn(a.user, ptr, size, 0);
}
