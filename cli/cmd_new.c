/* SPDX-License-Identifier: Apache-2.0 */
/* witgen new: makes a core module with an embedded component type into a
 * component (compose/, witgen/compose.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "witgen/compose.h"

static const char USAGE[] =
    "Usage: witgen new CORE.wasm -o COMPONENT.wasm [--adapt "
    "NAME=ADAPTER.wasm]\n"
    "Makes a core module built with WIT bindings (it carries its world in a\n"
    "`component-type` custom section) into a component: imports lowered,\n"
    "exports lifted, checked against the world.\n"
    "  --adapt NAME=ADAPTER.wasm  the module's NAME imports (e.g.\n"
    "      wasi_snapshot_preview1) come from ADAPTER.wasm, a preview1\n"
    "      adapter whose world (e.g. wasi:cli/command) the component gets:\n"
    "      wasi_snapshot_preview1.command.wasm for a program with main,\n"
    "      .reactor.wasm for a library (-mexec-model=reactor). wasmtime's\n"
    "      releases and the jco npm package ship them (docs/adapters.md).\n";

int cmd_new(int argc, char **argv) {
  const char *in = NULL, *out = NULL, *adapt = NULL;
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) {
      fputs(USAGE, stdout);
      return CLI_OK;
    }
    if (strcmp(argv[i], "-o") == 0) {
      if (++i >= argc) return cli_usage_error("new: -o needs a file name");
      out = argv[i];
    } else if (strcmp(argv[i], "--adapt") == 0) {
      if (++i >= argc) return cli_usage_error("new: --adapt needs NAME=FILE");
      if (adapt) return cli_usage_error("new: one --adapt only");
      adapt = argv[i];
      if (!strchr(adapt, '=') || adapt[0] == '=')
        return cli_usage_error("new: --adapt needs NAME=FILE, not '%s'", adapt);
    } else if (argv[i][0] == '-') {
      return cli_usage_error("new: unknown option '%s'", argv[i]);
    } else if (in) {
      return cli_usage_error("new: one input module only");
    } else {
      in = argv[i];
    }
  }
  if (!in || !out) return cli_usage_error("new: needs CORE.wasm and -o OUT");
  uint8_t *data = NULL;
  size_t len = 0;
  if (wg_file_read(in, &data, &len) != WG_OK)
    return cli_fail("cannot read %s", in);
  WgAdapter adapter = { 0 };
  uint8_t *adata = NULL;
  if (adapt) {
    const char *eq = strchr(adapt, '=');
    adapter.name = (WgStr){ adapt, (size_t)(eq - adapt) };
    if (wg_file_read(eq + 1, &adata, &adapter.len) != WG_OK) {
      free(data);
      return cli_fail("cannot read %s", eq + 1);
    }
    adapter.bytes = adata;
  }
  WgBuf buf = { 0 };
  WgDiagList *diags = wg_diag_list_new();
  WgStatus st =
      wg_component_new(data, len, adapt ? &adapter : NULL, &buf, diags);
  free(data);
  free(adata);
  if (st != WG_OK) {
    wg_buf_free(&buf);
    int rc = cli_fail_diags(in, diags);
    wg_diag_list_delete(diags);
    return rc;
  }
  wg_diag_list_delete(diags);
  st = wg_file_write(out, buf.data, buf.len);
  wg_buf_free(&buf);
  if (st != WG_OK) return cli_fail("cannot write %s", out);
  return CLI_OK;
}
