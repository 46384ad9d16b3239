/* SPDX-License-Identifier: Apache-2.0 */
/* witgen compose: composes components as a WAC file says
 * (compose/src/wac.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "witgen/compose.h"

static const char USAGE[] =
    "Usage: witgen compose APP.wac --dep NS:PKG=FILE.wasm... -o OUT.wasm\n"
    "Composes components as APP.wac (the WAC language) says:\n"
    "  let kv = new demo:kv { ... };\n"
    "  let app = new demo:app { \"demo:kv/store\": kv[\"demo:kv/store\"], ... "
    "};\n"
    "  export app...;\n"
    "  --dep NS:PKG=FILE.wasm  the component for package NS:PKG (repeatable)\n"
    "  -o OUT.wasm             the composed component\n";

enum { MAX_DEPS = 64 };

int cmd_compose(int argc, char **argv) {
  const char *wac = NULL, *out = NULL;
  const char *specs[MAX_DEPS];
  size_t ndeps = 0;
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) {
      fputs(USAGE, stdout);
      return CLI_OK;
    }
    if (strcmp(argv[i], "-o") == 0) {
      if (++i >= argc) return cli_usage_error("compose: -o needs a file name");
      out = argv[i];
    } else if (strcmp(argv[i], "--dep") == 0) {
      if (++i >= argc) return cli_usage_error("compose: --dep needs PKG=FILE");
      const char *eq = strchr(argv[i], '=');
      if (!eq || eq == argv[i] || !eq[1])
        return cli_usage_error("compose: --dep needs NS:PKG=FILE.wasm, not "
                               "'%s'",
                               argv[i]);
      if (ndeps == MAX_DEPS)
        return cli_usage_error("compose: at most %d --dep", MAX_DEPS);
      specs[ndeps++] = argv[i];
    } else if (argv[i][0] == '-') {
      return cli_usage_error("compose: unknown option '%s'", argv[i]);
    } else if (wac) {
      return cli_usage_error("compose: one WAC file only");
    } else {
      wac = argv[i];
    }
  }
  if (!wac) return cli_usage_error("compose: needs APP.wac");
  if (!out) return cli_usage_error("compose: needs -o OUT.wasm");
  WgComposeDep deps[MAX_DEPS];
  uint8_t *data[MAX_DEPS + 1] = { 0 };
  size_t wac_len = 0;
  int rc = CLI_OK;
  if (wg_file_read(wac, &data[MAX_DEPS], &wac_len) != WG_OK)
    rc = cli_fail("cannot read %s: %s", wac, strerror(errno));
  for (size_t i = 0; i < ndeps && rc == CLI_OK; i++) {
    const char *eq = strchr(specs[i], '=');
    deps[i].package = (WgStr){ specs[i], (size_t)(eq - specs[i]) };
    deps[i].input.name = wg_str_from_cstr(eq + 1);
    if (wg_file_read(eq + 1, &data[i], &deps[i].input.len) != WG_OK)
      rc = cli_fail("cannot read %s: %s", eq + 1, strerror(errno));
    deps[i].input.bytes = data[i];
  }
  if (rc == CLI_OK) {
    WgBuf buf = { 0 };
    WgDiagList *diags = wg_diag_list_new();
    WgStatus st =
        wg_compose_wac(wac, (WgStr){ (const char *)data[MAX_DEPS], wac_len },
                       deps, ndeps, &buf, diags);
    if (st != WG_OK) {
      bool located = false;
      for (size_t i = 0; diags && i < wg_diag_list_count(diags); i++)
        located |= wg_diag_list_get(diags, i)->has_span;
      if (located) {
        wg_diag_list_print(diags, stderr);
        rc = CLI_FAILED;
      } else {
        rc = cli_fail("%s", diags ? wg_diag_list_first_error(diags)
                                  : "out of memory");
      }
    } else if (wg_file_write(out, buf.data, buf.len) != WG_OK) {
      rc = cli_fail("cannot write %s: %s", out, strerror(errno));
    }
    wg_diag_list_delete(diags);
    wg_buf_free(&buf);
  }
  for (size_t i = 0; i <= MAX_DEPS; i++)
    free(data[i]);
  return rc;
}
