/* A WASI guest with runaway recursion: must trap ("call stack exhausted"),
 * not crash the host. The call goes through a volatile function pointer and
 * its result is used afterwards, so the compiler cannot turn it into a loop;
 * no locals are address-taken, so the C shadow stack in linear memory stays
 * small and the engine's call-depth limit is what stops it. */
#include <stdio.h>

static int (*volatile next)(int);

static int down(int n) {
  int r = next(n + 1);
  return r ^ n;
}

int main(void) {
  next = down;
  printf("recursing\n");
  fflush(stdout);
  return down(0);
}
