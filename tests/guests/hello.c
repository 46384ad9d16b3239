/* A WASI guest: prints a greeting and its arguments and one variable. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  printf("hello from wasm\n");
  for (int i = 1; i < argc; i++)
    printf("arg %d: %s\n", i, argv[i]);
  const char *who = getenv("WHO");
  printf("WHO=%s\n", who ? who : "(unset)");
  return argc > 1 && argv[1][0] == 'x' ? 7 : 0;
}
