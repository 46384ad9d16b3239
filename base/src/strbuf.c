/* SPDX-License-Identifier: Apache-2.0 */
/* WgBuf: growable byte buffer with sticky failure (see strbuf.h). */
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wg_buf_free(WgBuf *self) {
  free(self->data);
  *self = (WgBuf){ 0 };
}

bool wg_buf_reserve(WgBuf *self, size_t extra) {
  if (self->failed) return false;
  if (extra <= self->cap - self->len) return true;
  size_t need = self->len + extra + 1; /* room for a NUL */
  if (need < self->len) goto oom;
  size_t cap = self->cap ? self->cap : 64;
  while (cap < need) {
    if (cap > SIZE_MAX / 2) goto oom;
    cap *= 2;
  }
  char *p = realloc(self->data, cap);
  if (!p) goto oom;
  self->data = p;
  self->cap = cap - 1;
  return true;
oom:
  self->failed = true;
  return false;
}

void wg_buf_append(WgBuf *self, const void *data, size_t len) {
  if (!len || !wg_buf_reserve(self, len)) return;
  memcpy(self->data + self->len, data, len);
  self->len += len;
  self->data[self->len] = '\0'; /* reserve left room: NUL-terminated */
}

void wg_buf_append_str(WgBuf *self, WgStr s) {
  wg_buf_append(self, s.ptr, s.len);
}

void wg_buf_puts(WgBuf *self, const char *cstr) {
  wg_buf_append(self, cstr, strlen(cstr));
}

void wg_buf_putc(WgBuf *self, char c) {
  wg_buf_append(self, &c, 1);
}

void wg_buf_vprintf(WgBuf *self, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0) {
    self->failed = true;
    return;
  }
  if (!wg_buf_reserve(self, (size_t)n)) return;
  vsnprintf(self->data + self->len, (size_t)n + 1, fmt, ap);
  self->len += (size_t)n;
}

void wg_buf_printf(WgBuf *self, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wg_buf_vprintf(self, fmt, ap);
  va_end(ap);
}

void wg_buf_uleb(WgBuf *self, uint64_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value) byte |= 0x80;
    wg_buf_putc(self, (char)byte);
  } while (value);
}

void wg_buf_sleb(WgBuf *self, int64_t value) {
  for (;;) {
    uint8_t byte = value & 0x7f;
    value >>= 7; /* arithmetic shift: gcc and clang define it */
    bool done =
        (value == 0 && !(byte & 0x40)) || (value == -1 && (byte & 0x40));
    if (!done) byte |= 0x80;
    wg_buf_putc(self, (char)byte);
    if (done) break;
  }
}

const char *wg_buf_cstr(WgBuf *self) {
  if (self->failed) return NULL;
  if (!self->data && !wg_buf_reserve(self, 1)) return NULL;
  self->data[self->len] = '\0'; /* reserve() always keeps room for it */
  return self->data;
}

char *wg_buf_take(WgBuf *self, size_t *out_len) {
  wg_buf_cstr(self);
  if (self->failed) {
    wg_buf_free(self);
    if (out_len) *out_len = 0;
    return NULL;
  }
  char *p = self->data;
  if (out_len) *out_len = self->len;
  *self = (WgBuf){ 0 };
  return p;
}

const char *wg_buf_text_or(WgBuf *self, const char *dflt) {
  const char *s = self->len && !self->failed ? wg_buf_cstr(self) : NULL;
  return s ? s : dflt;
}

bool wg_why(char *why, size_t n, const char *fmt, ...) {
  if (n) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
  }
  return false;
}
