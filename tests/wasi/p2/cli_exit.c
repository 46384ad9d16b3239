/* SPDX-License-Identifier: Apache-2.0 */
/* Exit statuses: `cli_exit N` prints a line and exits with N through
 * wasi:cli/exit (exit, or exit-with-code for other codes); `cli_exit`
 * returns 0 from main. */
#include "p2.h"

int main(int argc, char **argv) {
  if (argc < 2) {
    say("returning 0 from main");
    return 0;
  }
  int code = atoi(argv[1]);
  say("exiting with %d", code);
  exit(code);
}
