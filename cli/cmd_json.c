/* SPDX-License-Identifier: Apache-2.0 */
/* witgen json: dumps the resolved WIT model as JSON, in the shape of
 * wit-parser's serialized Resolve. */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "witgen/wit.h"

int cmd_json(int argc, char **argv) {
  WgWitResolve *r;
  int rc = cli_wit_load(
      argc, argv,
      "Usage: witgen json [--features a,b] [--all-features] [--all-errors] "
      "PATH\n"
      "Prints the resolved WIT package at PATH (and its dependencies) as\n"
      "JSON shaped like wit-parser's serialized Resolve.\n",
      &r);
  if (rc < 0) return CLI_OK;
  if (rc != CLI_OK) return rc;
  char *json = wg_wit_to_json(r);
  wg_wit_resolve_free(r);
  if (!json) return cli_fail("out of memory");
  fputs(json, stdout);
  free(json);
  return CLI_OK;
}
