/* SPDX-License-Identifier: Apache-2.0 */
/* witgen print: prints the resolved main package back as WIT. */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "witgen/wit.h"

int cli_print_wit(int argc, char **argv, const char *usage) {
  WgWitResolve *r;
  int rc = cli_wit_load(argc, argv, usage, &r);
  if (rc < 0) return CLI_OK;
  if (rc != CLI_OK) return rc;
  char *text = wg_wit_print_package(r, r->main_package);
  wg_wit_resolve_free(r);
  if (!text) return cli_fail("out of memory");
  fputs(text, stdout);
  free(text);
  return CLI_OK;
}

int cmd_print(int argc, char **argv) {
  return cli_print_wit(
      argc, argv,
      "Usage: witgen print [--features a,b] [--all-features] [--all-errors] "
      "PATH\n"
      "Prints the resolved WIT package at PATH back as WIT text.\n");
}
