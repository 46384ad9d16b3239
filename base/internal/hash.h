/* SPDX-License-Identifier: Apache-2.0 */
/* Content hashing (XXH3 from libxxhash) and a string interner: equal strings
 * intern to the same pointer, so interned names compare by pointer. */
#ifndef WG_BASE_HASH_H
#define WG_BASE_HASH_H

#include <stdint.h>

#include "arena.h"
#include "witgen/common.h"

uint64_t wg_hash_bytes(const void *data, size_t len);
static inline uint64_t wg_hash_str(WgStr s) {
  return wg_hash_bytes(s.ptr, s.len);
}

typedef struct WgInternSlot {
  uint64_t hash;
  WgStr str; /* ptr == NULL: empty slot */
} WgInternSlot;

/* An open-addressing set of strings whose bytes live in an arena. */
typedef struct WgInterner {
  WgArena *arena; /* borrowed: holds the interned bytes */
  WgInternSlot *slots;
  size_t cap; /* power of two */
  size_t count;
} WgInterner;

void wg_interner_init(WgInterner *self, WgArena *arena);
void wg_interner_release(WgInterner *self);
/* The canonical copy of `s` (NUL-terminated in the arena); ptr NULL on OOM. */
WgStr wg_intern(WgInterner *self, WgStr s);

#endif
