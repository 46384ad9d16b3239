/* SPDX-License-Identifier: Apache-2.0 */
/* Bump arena with 64 KiB chunks (see arena.h). */
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

#define ARENA_CHUNK_SIZE (64u * 1024u)
#define ARENA_ALIGN      16u

struct WgArenaChunk {
  WgArenaChunk *next;
  size_t size; /* usable bytes after the header */
  size_t used;
  _Alignas(16) unsigned char data[];
};

void wg_arena_init(WgArena *self, WgAllocator allocator) {
  self->allocator = wg_alloc_resolve(allocator);
  self->head = NULL;
  self->used_total = 0;
}

WgArena *wg_arena_new(WgAllocator allocator) {
  WgAllocator a = wg_alloc_resolve(allocator);
  WgArena *self = wg_alloc(a, sizeof *self);
  if (self) wg_arena_init(self, a);
  return self;
}

void wg_arena_delete(WgArena *self) {
  if (!self) return;
  WgAllocator a = self->allocator;
  wg_arena_release(self);
  wg_free(a, self, sizeof *self);
}

void wg_arena_release(WgArena *self) {
  WgArenaChunk *c = self->head;
  while (c) {
    WgArenaChunk *next = c->next;
    wg_free(self->allocator, c, sizeof *c + c->size);
    c = next;
  }
  self->head = NULL;
  self->used_total = 0;
}

void *wg_arena_alloc(WgArena *self, size_t size) {
  size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  if (rounded < size) return NULL;
  WgArenaChunk *c = self->head;
  if (!c || c->size - c->used < rounded) {
    size_t cap = rounded > ARENA_CHUNK_SIZE ? rounded : ARENA_CHUNK_SIZE;
    WgArenaChunk *n = wg_alloc(self->allocator, sizeof *n + cap);
    if (!n) return NULL;
    n->size = cap;
    n->used = 0;
    /* A big one-off block goes behind the current chunk so the current
     * chunk's free space stays usable. */
    if (c && cap > ARENA_CHUNK_SIZE) {
      n->next = c->next;
      c->next = n;
    } else {
      n->next = c;
      self->head = n;
    }
    c = n;
  }
  void *p = c->data + c->used;
  c->used += rounded;
  self->used_total += rounded;
  return p;
}

bool wg_arena_extend(WgArena *self, void *p, size_t old_size, size_t new_size) {
  WgArenaChunk *c = self->head;
  size_t mask = ARENA_ALIGN - 1;
  size_t old_r = (old_size + mask) & ~mask, new_r = (new_size + mask) & ~mask;
  if (!c || !p || new_r < old_r || new_r < new_size) return false;
  if ((unsigned char *)p + old_r != c->data + c->used) return false;
  if (new_r - old_r > c->size - c->used) return false;
  c->used += new_r - old_r;
  self->used_total += new_r - old_r;
  return true;
}

void *wg_arena_zalloc(WgArena *self, size_t size) {
  void *p = wg_arena_alloc(self, size);
  if (p) memset(p, 0, size);
  return p;
}

WgStr wg_arena_strdup(WgArena *self, WgStr s) {
  char *p = wg_arena_alloc(self, s.len + 1);
  if (!p) return (WgStr){ NULL, 0 };
  if (s.len) memcpy(p, s.ptr, s.len);
  p[s.len] = '\0';
  return (WgStr){ p, s.len };
}

char *wg_arena_printf(WgArena *self, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *p = wg_arena_alloc(self, (size_t)n + 1);
  if (!p) return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}
