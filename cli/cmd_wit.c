/* SPDX-License-Identifier: Apache-2.0 */
/* witgen wit: prints the WIT of a component, of a core module's embedded
 * component type, or of a WIT package binary (the type is decoded back into
 * the WIT model, then printed). */
#include "commands.h"

int cmd_wit(int argc, char **argv) {
  return cli_print_wit(
      argc, argv,
      "Usage: witgen wit FILE.wasm\n"
      "Prints the WIT of a component, of the component type embedded in a\n"
      "core module (its `component-type` custom section), or of a WIT\n"
      "package binary. A component's world is printed as `root` in package\n"
      "`root:component`, as wasm-tools does.\n",
      NULL);
}
