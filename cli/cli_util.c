/* SPDX-License-Identifier: Apache-2.0 */
/* Error reporting shared by the subcommands. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

int cli_usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("witgen: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\nTry 'witgen --help' for more information.\n", stderr);
  va_end(ap);
  return CLI_USAGE;
}

int cli_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("witgen: error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return CLI_FAILED;
}

bool cli_is_help(const char *arg) {
  return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}
