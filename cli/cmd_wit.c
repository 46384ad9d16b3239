/* SPDX-License-Identifier: Apache-2.0 */
/* witgen wit: prints the WIT of a component, of a core module's embedded
 * component type, or of a WIT package binary (the type is decoded back into
 * the WIT model, then printed). */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "witgen/wit.h"

int cmd_wit(int argc, char **argv) {
  WgWitResolve *r;
  int rc = cli_wit_load(
      argc, argv,
      "Usage: witgen wit FILE.wasm\n"
      "Prints the WIT of a component, of the component type embedded in a\n"
      "core module (its `component-type` custom section), or of a WIT\n"
      "package binary. A component's world is printed as `root` in package\n"
      "`root:component`, as wasm-tools does.\n",
      &r);
  if (rc < 0) return CLI_OK;
  if (rc != CLI_OK) return rc;
  char *text = wg_wit_print_package(r, r->main_package);
  wg_wit_resolve_free(r);
  if (!text) return cli_fail("out of memory");
  fputs(text, stdout);
  free(text);
  return CLI_OK;
}
