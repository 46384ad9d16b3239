/* SPDX-License-Identifier: Apache-2.0 */
/* The arguments (wasi:cli/environment get-arguments), argv[0] aside: it is
 * the program name, which runners choose. Empty and non-ASCII arguments
 * must pass unchanged. */
#include "p2.h"

int main(int argc, char **argv) {
  say("argc: %d", argc);
  for (int i = 1; i < argc; i++)
    say("arg %d: [%s]", i, argv[i]);
  return 0;
}
