/* SPDX-License-Identifier: Apache-2.0 */
/* Writes to a stdout whose reader is gone: the writes must fail with an
 * error the program sees (not kill the runner), and the program goes on to
 * report on stderr and exit 0. */
#include <errno.h>

#include "p2.h"

int main(void) {
  static char line[4096];
  memset(line, 'x', sizeof line - 1);
  line[sizeof line - 1] = '\n';
  int failed_at = -1;
  for (int i = 0; i < 4096; i++) { /* 16 MiB at most */
    if (write(1, line, sizeof line) < 0) {
      failed_at = i;
      break;
    }
  }
  const char *msg = failed_at >= 0 ? "stdout: write failed as expected\n"
                                   : "stdout: every write succeeded\n";
  (void)!write(2, msg, strlen(msg));
  return failed_at >= 0 ? 0 : 1;
}
