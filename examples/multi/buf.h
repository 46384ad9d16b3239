/* SPDX-License-Identifier: Apache-2.0 */
/* A growable byte buffer for the example's components: its bytes come from
 * malloc, so a string built here can be returned from an export (the
 * bindings free it after the caller copied it). */
#ifndef MULTI_BUF_H
#define MULTI_BUF_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct Buf {
  uint8_t *p;
  size_t n, cap;
} Buf;

static inline void buf_add(Buf *b, const void *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->n + n + 1)
      cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) abort();
    b->p = p;
    b->cap = cap;
  }
  if (n) memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

static inline void buf_str(Buf *b, const char *s) {
  buf_add(b, s, strlen(s));
}

static inline void buf_u32(Buf *b, uint32_t v) {
  char d[10];
  int n = 0;
  do {
    d[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n)
    buf_add(b, &d[--n], 1);
}

#endif
