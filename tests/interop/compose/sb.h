/* SPDX-License-Identifier: Apache-2.0 */
/* A growable string for the composition test guests (the C files here): bytes
 * from malloc, so a result built here can be returned from an export. */
#ifndef COMPOSE_SB_H
#define COMPOSE_SB_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct Sb {
  char *p;
  size_t n, cap;
} Sb;

static inline void sb_add(Sb *b, const void *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->n + n + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) abort();
    b->p = p;
    b->cap = cap;
  }
  if (n) memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

static inline void sb_str(Sb *b, const char *s) {
  sb_add(b, s, strlen(s));
}

static inline void sb_u32(Sb *b, uint32_t v) {
  char t[12];
  int i = 11;
  t[i] = 0;
  do {
    t[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  sb_str(b, t + i);
}

static inline void sb_hex(Sb *b, const uint8_t *p, size_t n) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    char two[2] = { digits[p[i] >> 4], digits[p[i] & 15] };
    sb_add(b, two, 2);
  }
}

/* A heap copy of `n` bytes (an empty result: NULL, length 0). */
static inline uint8_t *dup_bytes(const void *p, size_t n) {
  if (!n) return NULL;
  uint8_t *d = malloc(n);
  if (!d) abort();
  memcpy(d, p, n);
  return d;
}

#endif
