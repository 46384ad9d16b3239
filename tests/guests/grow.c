/* A WASI guest that grows memory until refused: memory.grow returns -1
 * beyond the configured limit, as the spec says (no trap). */
#include <stdio.h>
int main(void) {
  int grown = 0;
  for (;;) {
    long r = (long)__builtin_wasm_memory_grow(0, 1);
    if (r == -1) break;
    grown++;
    if (grown > 70000) return 1;
  }
  printf("memory.grow refused after %d pages, size %lu pages\n", grown,
         (unsigned long)__builtin_wasm_memory_size(0));
  return 0;
}
