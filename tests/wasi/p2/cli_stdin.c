/* SPDX-License-Identifier: Apache-2.0 */
/* Reads stdin to its end (wasi:cli/stdin, blocking reads through the
 * adapter) and prints its length, its line count and its first line. */
#include "p2.h"

int main(void) {
  static char buf[1 << 20];
  size_t len = 0;
  for (;;) {
    ssize_t n = read(0, buf + len, sizeof buf - 1 - len);
    CHECK(n >= 0);
    if (n == 0) break;
    len += (size_t)n;
    CHECK(len < sizeof buf - 1);
  }
  buf[len] = '\0';
  size_t lines = 0;
  for (size_t i = 0; i < len; i++)
    lines += buf[i] == '\n';
  char *nl = strchr(buf, '\n');
  say("read %zu bytes, %zu lines", len, lines);
  say("first line: [%.*s]", (int)(nl ? (size_t)(nl - buf) : len), buf);
  return 0;
}
