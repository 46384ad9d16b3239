/* A preview1 command for `witgen new --adapt`: prints its argument and
 * an environment variable, reads stdin, exits with a code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
  const char *who = argc > 1 ? argv[1] : "nobody";
  const char *env = getenv("WG_GREETING");
  char line[128] = "";
  if (!fgets(line, sizeof line, stdin)) strcpy(line, "(no input)\n");
  printf("%s, %s: %s", env ? env : "(no env)", who, line);
  fprintf(stderr, "to stderr\n");
  return argc > 2 ? atoi(argv[2]) : 0;
}
