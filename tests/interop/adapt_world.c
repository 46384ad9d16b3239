/* A preview1 command that also has a world of its own (adapt_world.wit):
 * `witgen new --adapt` merges it with the adapter's. */
#include <stdio.h>

__attribute__((export_name("twice"))) int twice(int x) {
  return 2 * x;
}

int main(void) {
  printf("twice 21 = %d\n", twice(21));
  return 0;
}
