/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the WASI 0.2 acceptance programs: output written straight to
 * fd 1 (no stdio buffering, so lines keep their order with stderr and a
 * runner's buffering cannot reorder them), and checks that print what failed
 * and exit 1. */
#ifndef P2_H
#define P2_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Prints a formatted line (up to 4 KiB) on stdout with one write. */
static inline void say(const char *fmt, ...) {
  char buf[4096];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n > sizeof buf - 2) n = sizeof buf - 2;
  buf[n++] = '\n';
  for (int done = 0; done < n;) {
    ssize_t w = write(1, buf + done, (size_t)(n - done));
    if (w <= 0) return;
    done += (int)w;
  }
}

#define CHECK(cond)                                     \
  do {                                                  \
    if (!(cond)) {                                      \
      say("FAIL %s:%d: %s", __FILE__, __LINE__, #cond); \
      exit(1);                                          \
    }                                                   \
  } while (0)

#endif
