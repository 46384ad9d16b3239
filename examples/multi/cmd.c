/* SPDX-License-Identifier: Apache-2.0 */
/* World `cmd` of http/cmd.wit: a WASI program (main, printf) that asks the
 * formatter component for a table and prints it. Run linked to fmt.wasm
 * by `witgen run cmd.wasm --link fmt.wasm` (wasi:cli/run; stdout from the
 * WASI 0.2 host), or plugged into one component. */
#include <stdio.h>

#include "cmd.h"

int main(void) {
  multi_format_field_t f[2];
  cmd_string_set(&f[0].name, "linked");
  cmd_string_set(&f[0].value, "at run time");
  cmd_string_set(&f[1].name, "stdout");
  cmd_string_set(&f[1].value, "the WASI 0.2 host's");
  cmd_list_multi_format_field_t fields = { f, 2 };
  cmd_string_t table = multi_format_table(fields);
  printf("%.*s", (int)table.len, (const char *)table.ptr);
  cmd_string_free(&table);
  return 0;
}
