/* A preview1 reactor for `witgen new --adapt` (reactor adapter). */
#include <stdio.h>
__attribute__((export_name("greet"))) int greet(int x) {
  printf("greet %d\n", x);
  return x + 1;
}
