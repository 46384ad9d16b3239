/* SPDX-License-Identifier: Apache-2.0 */
/* Error reporting shared by the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "file.h"
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

int cli_read_input(const char *path, uint8_t **data, size_t *len) {
  const char *real = strcmp(path, "-") == 0 ? "/dev/stdin" : path;
  WgStatus st = wg_file_read(real, data, len);
  if (st == WG_OK) return CLI_OK;
  if (st == WG_ERR_LIMIT) return cli_fail("%s: file too large", path);
  return cli_fail("cannot read %s: %s", path,
                  st == WG_ERR_NOMEM ? "out of memory" : strerror(errno));
}

int cli_write_output(const char *path, const void *data, size_t len) {
  if (!path || strcmp(path, "-") == 0) {
    if ((len && fwrite(data, 1, len, stdout) != len) || fflush(stdout) != 0)
      return cli_fail("cannot write to standard output");
    return CLI_OK;
  }
  if (wg_file_write(path, data, len) != WG_OK)
    return cli_fail("cannot write %s: %s", path, strerror(errno));
  return CLI_OK;
}

int cli_fail_diags(const char *what, const WgDiagList *diags) {
  if (!diags) return cli_fail("%s: out of memory", what);
  const char *first = wg_diag_list_first_error(diags);
  if (what)
    cli_fail("%s: %s", what, *first ? first : "failed");
  else
    cli_fail("%s", *first ? first : "failed");
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
