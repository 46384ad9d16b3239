/* SPDX-License-Identifier: Apache-2.0 */
/* witgen_hostgen: the host bindings generator as a build tool. The runtime
 * layer's WASI 0.2 host is written on host bindings of a world
 * (runtime/src/wasi/p2/wit/wasip2.wit) generated at build time; the witgen
 * CLI cannot generate them, since it links the runtime that needs them, so
 * this small program (the WIT front-end and the generator only) does.
 * Usage: witgen_hostgen WIT_PATH WORLD OUT_DIR [OLD=NEW]...
 * writes OUT_DIR/<world>_host.h and .c (docs/host-bindings.md), OLD=NEW
 * renaming prefixes as `witgen --host --rename` does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "witgen/codegen.h"
#include "witgen/wit.h"

enum { MAX_RENAMES = 64 };

static int write_out(const char *dir, const char *stem, const char *suffix,
                     const char *text) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s%s", dir, stem, suffix);
  if (wg_file_write(path, text, strlen(text)) != WG_OK) {
    fprintf(stderr, "witgen_hostgen: cannot write %s\n", path);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr,
            "usage: witgen_hostgen WIT_PATH WORLD OUT_DIR [OLD=NEW]...\n");
    return 2;
  }
  WgBindgenRename renames[MAX_RENAMES];
  WgBindgenOptions opt = { renames, 0, false };
  for (int i = 4; i < argc && opt.rename_count < MAX_RENAMES; i++) {
    char *eq = strchr(argv[i], '=');
    if (!eq) {
      fprintf(stderr, "witgen_hostgen: bad rename '%s'\n", argv[i]);
      return 2;
    }
    *eq = '\0';
    renames[opt.rename_count++] = (WgBindgenRename){ argv[i], eq + 1 };
  }
  WgDiagList *diags = wg_diag_list_new();
  WgWitOptions wopt = { NULL, 0, false, false };
  WgWitResolve *r = NULL;
  if (!diags || wg_wit_load(argv[1], &wopt, diags, &r) != WG_OK) {
    if (diags) wg_diag_list_print(diags, stderr);
    wg_diag_list_delete(diags);
    return 1;
  }
  const WgWitPackage *p = &r->packages.items[r->main_package];
  WgWitId world = WG_WIT_NONE;
  for (size_t i = 0; i < p->worlds.count; i++)
    if (wg_str_eq(p->worlds.items[i].name, wg_str_from_cstr(argv[2])))
      world = p->worlds.items[i].id;
  int rc = 1;
  WgBindgenFiles files;
  if (world == WG_WIT_NONE) {
    fprintf(stderr, "witgen_hostgen: no world `%s` in %s\n", argv[2], argv[1]);
  } else if (wg_hostgen_generate(r, world, &opt, &files, diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
  } else {
    rc = write_out(argv[3], files.stem, ".h", files.header) ||
         write_out(argv[3], files.stem, ".c", files.source);
    wg_bindgen_files_free(&files);
  }
  wg_wit_resolve_free(r);
  wg_diag_list_delete(diags);
  return rc;
}
