/* SPDX-License-Identifier: Apache-2.0 */
/* Scratch memory: a bump allocator for the values the runtime lifts (call
 * results, host-function arguments) with marks, so an import call gives
 * back what it used and a long-running guest does not grow it. */
#include <string.h>

#include "alloc.h"
#include "cinternal.h"

struct ScratchChunk {
  ScratchChunk *next; /* older */
  size_t size;        /* bytes after the header */
};

enum { SCRATCH_CHUNK = 16 * 1024 };

static char *chunk_data(ScratchChunk *c) {
  return (char *)(c + 1);
}

void wg_scratch_init(Scratch *s, WgAllocator alloc) {
  memset(s, 0, sizeof *s);
  s->alloc = alloc;
}

static void free_chunk(Scratch *s, ScratchChunk *c) {
  wg_free(s->alloc, c, sizeof *c + c->size);
}

void wg_scratch_free(Scratch *s) {
  while (s->head) {
    ScratchChunk *c = s->head;
    s->head = c->next;
    free_chunk(s, c);
  }
  s->ptr = s->end = NULL;
}

void *wg_scratch_alloc(Scratch *s, size_t size) {
  size = (size + 15) & ~(size_t)15;
  if (size == 0) size = 16;
  if ((size_t)(s->end - s->ptr) < size || !s->ptr) {
    size_t n = size > SCRATCH_CHUNK ? size : SCRATCH_CHUNK;
    ScratchChunk *c = wg_alloc(s->alloc, sizeof *c + n);
    if (!c) return NULL;
    c->size = n;
    c->next = s->head;
    s->head = c;
    s->ptr = chunk_data(c);
    s->end = s->ptr + n;
  }
  void *p = s->ptr;
  s->ptr += size;
  return p;
}

ScratchMark wg_scratch_mark(const Scratch *s) {
  ScratchMark m = { s->head, s->ptr };
  return m;
}

void wg_scratch_release(Scratch *s, ScratchMark m) {
  while (s->head && s->head != m.chunk) {
    ScratchChunk *c = s->head;
    s->head = c->next;
    free_chunk(s, c);
  }
  if (s->head) {
    s->ptr = m.ptr;
    s->end = chunk_data(s->head) + s->head->size;
  } else {
    s->ptr = s->end = NULL;
  }
}

void wg_scratch_reset(Scratch *s) {
  if (!s->head) return;
  while (s->head->next) {
    ScratchChunk *c = s->head->next;
    s->head->next = c->next;
    free_chunk(s, c);
  }
  s->ptr = chunk_data(s->head);
  s->end = s->ptr + s->head->size;
}
