/* SPDX-License-Identifier: Apache-2.0 */
/* A bump arena: many small allocations, freed all at once. Chunks are 64 KiB
 * unless a request is larger. Allocation returns NULL on out-of-memory. */
#ifndef WG_BASE_ARENA_H
#define WG_BASE_ARENA_H

#include "witgen/common.h"

typedef struct WgArenaChunk WgArenaChunk;

typedef struct WgArena {
  WgAllocator allocator;
  WgArenaChunk *head;
  size_t used_total; /* bytes handed out, for statistics */
} WgArena;

void wg_arena_init(WgArena *self, WgAllocator allocator);
void wg_arena_release(WgArena *self);
/* Memory aligned to 16 bytes; NULL on OOM. */
void *wg_arena_alloc(WgArena *self, size_t size);
void *wg_arena_zalloc(WgArena *self, size_t size);
/* Grows block `p` of `old_size` bytes to `new_size` where it is, which works
 * when it is the newest block of the current chunk and the chunk has room.
 * False otherwise (then allocate anew and copy). */
bool wg_arena_extend(WgArena *self, void *p, size_t old_size, size_t new_size);
/* Copies `s` into the arena with a trailing NUL (not counted in len). */
WgStr wg_arena_strdup(WgArena *self, WgStr s);
char *wg_arena_printf(WgArena *self, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
