/* SPDX-License-Identifier: Apache-2.0 */
/* Prints a line through wasi-libc's stdio (stdout buffered, flushed at
 * exit by the adapter's wasi:cli/stdout stream). */
#include <stdio.h>

int main(void) {
  printf("hello, world\n");
  return 0;
}
