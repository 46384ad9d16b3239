/* SPDX-License-Identifier: Apache-2.0 */
/* wasi:cli/exit exit-with-code: `cli_exit_with_code N` ends the program
 * with status N (the preview1 adapter maps exit(N) for N > 1 to a plain
 * failure; this calls the 0.2 function directly). */
#include "imports.h"
#include "p2_io.h"

int main(int argc, char **argv) {
  CHECK(argc == 2);
  int code = atoi(argv[1]);
  say("exit-with-code %d", code);
  cli_exit_exit_with_code((uint8_t)code);
  say("FAIL: still running");
  return 3;
}
