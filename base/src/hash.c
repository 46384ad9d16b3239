/* SPDX-License-Identifier: Apache-2.0 */
/* XXH3 hashing and the string interner (see hash.h). */
#include "hash.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

uint64_t wg_hash_bytes(const void *data, size_t len) {
  return XXH3_64bits(data, len);
}

void wg_interner_init(WgInterner *self, WgArena *arena) {
  *self = (WgInterner){ .arena = arena };
}

void wg_interner_release(WgInterner *self) {
  free(self->slots);
  self->slots = NULL;
  self->cap = self->count = 0;
}

static bool grow(WgInterner *self) {
  size_t cap = self->cap ? self->cap * 2 : 256;
  WgInternSlot *slots = calloc(cap, sizeof *slots);
  if (!slots) return false;
  for (size_t i = 0; i < self->cap; i++) {
    WgInternSlot s = self->slots[i];
    if (!s.str.ptr) continue;
    size_t j = s.hash & (cap - 1);
    while (slots[j].str.ptr)
      j = (j + 1) & (cap - 1);
    slots[j] = s;
  }
  free(self->slots);
  self->slots = slots;
  self->cap = cap;
  return true;
}

WgStr wg_intern(WgInterner *self, WgStr s) {
  if (self->count * 2 >= self->cap && !grow(self)) return (WgStr){ NULL, 0 };
  uint64_t h = wg_hash_str(s);
  size_t j = h & (self->cap - 1);
  while (self->slots[j].str.ptr) {
    WgInternSlot *slot = &self->slots[j];
    if (slot->hash == h && wg_str_eq(slot->str, s)) return slot->str;
    j = (j + 1) & (self->cap - 1);
  }
  WgStr copy = wg_arena_strdup(self->arena, s);
  if (!copy.ptr) return copy;
  self->slots[j] = (WgInternSlot){ h, copy };
  self->count++;
  return copy;
}
