/* SPDX-License-Identifier: Apache-2.0 */
/* witgen parse: WebAssembly text (a core module or a component) to binary,
 * as `wasm-tools parse` does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "witgen/wat.h"

static const char USAGE[] =
    "Usage: witgen parse IN.wat [-o OUT.wasm]\n"
    "Encodes WebAssembly text (a core module, or a component) as a binary.\n"
    "IN may be - for standard input; without -o (or with -o -) the binary\n"
    "goes to standard output.\n";

int cmd_parse(int argc, char **argv) {
  const char *in = NULL, *out = NULL;
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) {
      fputs(USAGE, stdout);
      return CLI_OK;
    }
    if (strcmp(argv[i], "-o") == 0) {
      if (++i >= argc) return cli_usage_error("parse: -o needs a file name");
      out = argv[i];
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      return cli_usage_error("parse: unknown option '%s'", argv[i]);
    } else if (in) {
      return cli_usage_error("parse: one input file only");
    } else {
      in = argv[i];
    }
  }
  if (!in) return cli_usage_error("parse: missing IN.wat");
  uint8_t *text = NULL;
  size_t len = 0;
  int rc = cli_read_input(in, &text, &len);
  if (rc != CLI_OK) return rc;
  WgDiagList *diags = wg_diag_list_new();
  WgBuf buf = { 0 };
  WgStatus st =
      wg_wat_parse((WgStr){ (const char *)text, len },
                   strcmp(in, "-") == 0 ? "<stdin>" : in, diags, &buf);
  free(text);
  if (st != WG_OK) {
    if (diags && wg_diag_list_count(diags)) {
      wg_diag_list_print(diags, stderr);
    } else {
      cli_fail("%s: %s", in, wg_status_str(st));
    }
    wg_diag_list_delete(diags);
    wg_buf_free(&buf);
    return CLI_FAILED;
  }
  wg_diag_list_delete(diags);
  rc = cli_write_output(out, buf.data, buf.len);
  wg_buf_free(&buf);
  return rc;
}
