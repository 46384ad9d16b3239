/* A WASI guest with runaway recursion: must trap, not crash the host. */
#include <stdio.h>
static volatile int sink;
static int down(int n) {
  volatile char frame[64];
  frame[0] = (char)n;
  sink = frame[0];
  return down(n + 1) + 1;
}
int main(void) { return down(0); }
