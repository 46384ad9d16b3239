/* SPDX-License-Identifier: Apache-2.0 */
/* Handle tables, one per component instance (CanonicalABI.md "Table
 * State"): index 0 is never used, entries are added at the end or in the
 * most recently freed slot (the free list is LIFO, which the reference
 * tests observe), and a configurable cap stands in for the spec's
 * MAX_LENGTH (2^28 - 1). */
#include <string.h>

#include "alloc.h"
#include "cinternal.h"

void wg_handles_init(HandleTable *t, uint32_t max) {
  memset(t, 0, sizeof *t);
  t->max = max;
}

void wg_handles_free(HandleTable *t, WgAllocator a) {
  if (t->items) wg_free(a, t->items, t->cap * sizeof *t->items);
  if (t->free) wg_free(a, t->free, t->free_cap * sizeof *t->free);
  memset(t, 0, sizeof *t);
}

uint32_t wg_handles_add(HandleTable *t, WgAllocator a, Handle h, bool *full) {
  *full = false;
  if (t->free_count) {
    uint32_t i = t->free[--t->free_count];
    h.gen = t->items[i].gen;
    t->items[i] = h;
    return i;
  }
  if (t->count == 0) t->count = 1; /* index 0 stays unused */
  if (t->count > t->max) {
    *full = true;
    return 0;
  }
  if (t->count >= t->cap) {
    uint32_t ncap = t->cap ? t->cap * 2 : 16;
    Handle *n = wg_realloc(a, t->items, t->cap * sizeof *n, ncap * sizeof *n);
    if (!n) return 0;
    t->items = n;
    t->cap = ncap;
  }
  h.gen = 0;
  t->items[t->count] = h;
  return t->count++;
}

bool wg_handles_remove(HandleTable *t, WgAllocator a, uint32_t i) {
  if (t->free_count == t->free_cap) {
    uint32_t ncap = t->free_cap ? t->free_cap * 2 : 16;
    uint32_t *n =
        wg_realloc(a, t->free, t->free_cap * sizeof *n, ncap * sizeof *n);
    if (!n) return false;
    t->free = n;
    t->free_cap = ncap;
  }
  uint32_t gen = t->items[i].gen + 1;
  memset(&t->items[i], 0, sizeof t->items[i]);
  t->items[i].gen = gen;
  t->free[t->free_count++] = i;
  return true;
}
