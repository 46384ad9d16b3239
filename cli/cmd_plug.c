/* SPDX-License-Identifier: Apache-2.0 */
/* witgen plug: fills the imports of a socket component with the exports of
 * plug components and writes the composition (compose/src/plug.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "witgen/compose.h"

static const char USAGE[] =
    "Usage: witgen plug SOCKET.wasm --plug PLUG.wasm... -o OUT.wasm\n"
    "Composes components: each import of SOCKET that an export of a PLUG\n"
    "matches (by name, or a semver-compatible version of it) is filled by\n"
    "the first such plug. Unfilled imports of the socket and the imports of\n"
    "the plugs stay imports of OUT; OUT exports what SOCKET exports.\n"
    "  --plug PLUG.wasm  a component whose exports fill socket imports\n"
    "                    (repeatable; each must fill at least one)\n"
    "  -o OUT.wasm       the composed component\n";

enum { MAX_PLUGS = 64 };

int cmd_plug(int argc, char **argv) {
  const char *socket = NULL, *out = NULL;
  const char *plugs[MAX_PLUGS];
  size_t nplugs = 0;
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) {
      fputs(USAGE, stdout);
      return CLI_OK;
    }
    if (strcmp(argv[i], "-o") == 0) {
      if (++i >= argc) return cli_usage_error("plug: -o needs a file name");
      out = argv[i];
    } else if (strcmp(argv[i], "--plug") == 0) {
      if (++i >= argc) return cli_usage_error("plug: --plug needs a file");
      if (nplugs == MAX_PLUGS)
        return cli_usage_error("plug: at most %d plugs", MAX_PLUGS);
      plugs[nplugs++] = argv[i];
    } else if (argv[i][0] == '-') {
      return cli_usage_error("plug: unknown option '%s'", argv[i]);
    } else if (socket) {
      return cli_usage_error("plug: one socket component only ('%s', '%s')",
                             socket, argv[i]);
    } else {
      socket = argv[i];
    }
  }
  if (!socket) return cli_usage_error("plug: needs a SOCKET.wasm");
  if (!nplugs) return cli_usage_error("plug: needs at least one --plug");
  if (!out) return cli_usage_error("plug: needs -o OUT.wasm");
  WgComposeInput in[MAX_PLUGS + 1];
  uint8_t *data[MAX_PLUGS + 1] = { 0 };
  int rc = CLI_OK;
  for (size_t i = 0; i <= nplugs && rc == CLI_OK; i++) {
    const char *path = i < nplugs ? plugs[i] : socket;
    in[i].name = wg_str_from_cstr(path);
    if (wg_file_read(path, &data[i], &in[i].len) != WG_OK)
      rc = cli_fail("cannot read %s: %s", path, strerror(errno));
    in[i].bytes = data[i];
  }
  if (rc == CLI_OK) {
    WgBuf buf = { 0 };
    WgDiagList *diags = wg_diag_list_new();
    WgStatus st = wg_compose_plug(&in[nplugs], in, nplugs, &buf, diags);
    if (st != WG_OK)
      rc = cli_fail("%s",
                    diags ? wg_diag_list_first_error(diags) : "out of memory");
    else if (wg_file_write(out, buf.data, buf.len) != WG_OK)
      rc = cli_fail("cannot write %s: %s", out, strerror(errno));
    wg_diag_list_delete(diags);
    wg_buf_free(&buf);
  }
  for (size_t i = 0; i <= nplugs; i++)
    free(data[i]);
  return rc;
}
