/* SPDX-License-Identifier: Apache-2.0 */
/* A guest cabi_realloc for the benchmarks (bench/host's guest, and the
 * `ring` variant of bench/link's two guests): the memory the other side's
 * values are copied into (arguments passed in, a caller's results) comes
 * from a static ring of 256 KiB below
 * __heap_base, which the bindings never pass to free() (docs/bindings.md,
 * "Ownership"), instead of malloc: such a value lives during one call (the
 * caller's loops copy their own argument out first), so the ring is reused
 * from its start when full; larger requests go to malloc. With it an
 * echo's figure is the crossing without the guests' allocator. */
#include <stdlib.h>

static unsigned char ring[256 * 1024];
static size_t ring_used;

__attribute__((__export_name__("cabi_realloc"))) void *
cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size);
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  if (old_size == 0 && new_size <= sizeof ring / 4) {
    size_t at = (ring_used + align - 1) & ~(align - 1);
    if (at + new_size > sizeof ring) at = 0;
    ring_used = at + new_size;
    return ring + at;
  }
  if (old_size == 0) ptr = NULL;
  if (new_size == 0) return (void *)align;
  void *p = realloc(ptr, new_size);
  if (!p) abort();
  return p;
}
