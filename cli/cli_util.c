/* SPDX-License-Identifier: Apache-2.0 */
/* Error reporting shared by the subcommands. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "witgen/common.h"

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

int cli_fail_diags(const char *what, const WgDiagList *diags) {
  if (!diags) return cli_fail("%s: out of memory", what);
  const char *first = wg_diag_list_first_error(diags);
  cli_fail("%s: %s", what, *first ? first : "failed");
  for (size_t i = 0; i < wg_diag_list_count(diags); i++) {
    const WgDiag *d = wg_diag_list_get(diags, i);
    if (d->severity == WG_SEVERITY_NOTE)
      fprintf(stderr, "witgen: note: %s\n", d->message);
  }
  return CLI_FAILED;
}

void cli_note(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("witgen: note: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}
