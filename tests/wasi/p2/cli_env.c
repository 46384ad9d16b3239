/* SPDX-License-Identifier: Apache-2.0 */
/* Environment variables the runner sets (wasi:cli/environment
 * get-environment), values with '=' and spaces included. */
#include "p2.h"

static void show(const char *name) {
  const char *v = getenv(name);
  say("%s: %s%s%s", name, v ? "[" : "", v ? v : "(unset)", v ? "]" : "");
}

int main(void) {
  show("frabjous");
  show("callooh");
  show("with_equals");
  show("WITGEN_P2_NOT_SET");
  return 0;
}
