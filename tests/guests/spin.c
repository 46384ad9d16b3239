/* A WASI guest that never ends on its own: stopped by fuel. */
#include <stdio.h>
int main(void) {
  volatile unsigned n = 0;
  printf("spinning\n");
  fflush(stdout);
  for (;;)
    n++;
}
