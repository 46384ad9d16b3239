/* SPDX-License-Identifier: Apache-2.0 */
/* witgen [bindgen] [--world W] [--out-dir D] [--features a,b|--all-features]
 * [--all-errors] [--rename OLD=NEW]... [--host] PATH: writes the C bindings
 * of a world (<world>.h, <world>.c; see docs/bindings.md), or with --host
 * its host bindings (<world>_host.h, <world>_host.c; docs/host-bindings.md).
 * The bare form (no subcommand) is dispatched here by main.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "file.h"
#include "witgen/codegen.h"
#include "witgen/wit.h"

#define MAX_LIST 64

static const char USAGE[] =
    "Usage: witgen [bindgen] [options] PATH\n"
    "Writes C bindings for a guest component of a WIT world: <world>.h and\n"
    "<world>.c (build with clang --target=wasm32-wasi). PATH is a .wit file\n"
    "or a package folder (with an optional deps/ folder).\n"
    "Options:\n"
    "  --host             the host side instead: <world>_host.h and\n"
    "                     <world>_host.c, typed calls of the world's exports\n"
    "                     and tables implementing its imports, for an\n"
    "                     embedder on witgen/component.h\n"
    "  --world W          the world: a name in the package, or ns:pkg/world\n"
    "                     (default: the package's only world)\n"
    "  --out-dir D        where to write the files (default: .)\n"
    "  --features a,b     enable @unstable features; --all-features: all\n"
    "  --all-errors       report every syntax error of a file, not only the\n"
    "                     first\n"
    "  --rename OLD=NEW   use prefix NEW for interface OLD (WIT name or\n"
    "                     default prefix; repeatable)\n"
    "The generated API, naming and ownership rules: docs/bindings.md.\n";

bool cli_names_bindgen_option(const char *arg) {
  static const char *const OPTS[] = {
    "--world",  "--out-dir", "--host",       "--features", "--all-features",
    "--rename", "--stubs",   "--all-errors", NULL
  };
  for (const char *const *o = OPTS; *o; o++) {
    size_t n = strlen(*o);
    if (strncmp(arg, *o, n) == 0 && (arg[n] == '\0' || arg[n] == '='))
      return true;
  }
  return false;
}

/* The value of option argv[*i] (`--opt V` or `--opt=V`), or NULL. */
static const char *value(int argc, char **argv, int *i, const char *opt) {
  size_t n = strlen(opt);
  if (strncmp(argv[*i], opt, n) != 0) return NULL;
  if (argv[*i][n] == '=') return argv[*i] + n + 1;
  if (argv[*i][n] != '\0') return NULL;
  if (*i + 1 >= argc) return "";
  return argv[++*i];
}

static int write_file(const char *dir, const char *stem, const char *suffix,
                      const char *text) {
  size_t n = strlen(dir) + strlen(stem) + strlen(suffix) + 2;
  char *path = malloc(n);
  if (!path) return cli_fail("out of memory");
  snprintf(path, n, "%s/%s%s", dir, stem, suffix);
  WgStatus st = wg_file_write(path, text, strlen(text));
  int rc = st == WG_OK ? CLI_OK : cli_fail("cannot write %s", path);
  free(path);
  return rc;
}

int cmd_bindgen(int argc, char **argv) {
  const char *path = NULL, *world = NULL, *out_dir = ".";
  bool host = false;
  const char *features[MAX_LIST];
  WgBindgenRename renames[MAX_LIST];
  WgWitOptions wopt = { features, 0, false, false };
  WgBindgenOptions bopt = { renames, 0, false };
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    if (cli_is_help(a)) {
      fputs(USAGE, stdout);
      return CLI_OK;
    } else if (strcmp(a, "--all-features") == 0) {
      wopt.all_features = true;
    } else if (strcmp(a, "--all-errors") == 0) {
      wopt.all_errors = true;
    } else if (strcmp(a, "--host") == 0) {
      host = true;
    } else if (strcmp(a, "--stubs") == 0) {
      bopt.stubs = true; /* hidden: trivial exports, for tests */
    } else if ((v = value(argc, argv, &i, "--world"))) {
      if (!*v) return cli_usage_error("--world needs a value");
      world = v;
    } else if ((v = value(argc, argv, &i, "--out-dir"))) {
      if (!*v) return cli_usage_error("--out-dir needs a value");
      out_dir = v;
    } else if ((v = value(argc, argv, &i, "--features"))) {
      char *list = (char *)v;
      for (char *p = strtok(list, ","); p; p = strtok(NULL, ","))
        if (*p && wopt.feature_count < MAX_LIST)
          features[wopt.feature_count++] = p;
    } else if ((v = value(argc, argv, &i, "--rename"))) {
      char *eq = strchr(v, '=');
      if (!eq || eq == v || !eq[1])
        return cli_usage_error("--rename needs OLD=NEW, got '%s'", v);
      if (bopt.rename_count == MAX_LIST)
        return cli_usage_error("too many --rename options");
      *eq = '\0';
      renames[bopt.rename_count++] = (WgBindgenRename){ v, eq + 1 };
    } else if (a[0] == '-' && a[1]) {
      return cli_usage_error("unknown option '%s'", a);
    } else if (path) {
      return cli_usage_error("more than one PATH given");
    } else {
      path = a;
    }
  }
  if (!path) return cli_usage_error("missing PATH");
  WgDiagList *diags = wg_diag_list_new();
  if (!diags) return cli_fail("out of memory");
  WgWitResolve *r = NULL;
  WgStatus st = wg_wit_load(path, &wopt, diags, &r);
  wg_diag_list_print(diags, stderr);
  wg_diag_list_delete(diags);
  if (st != WG_OK) return CLI_FAILED;
  int rc = CLI_OK;
  WgWitId w = cli_bindgen_world(r, world);
  if (w == WG_WIT_NONE) {
    wg_wit_resolve_free(r);
    return CLI_FAILED;
  }
  WgBindgenFiles files;
  diags = wg_diag_list_new();
  if (!diags) {
    wg_wit_resolve_free(r);
    return cli_fail("out of memory");
  }
  st = host ? wg_hostgen_generate(r, w, &bopt, &files, diags)
            : wg_bindgen_generate(r, w, &bopt, &files, diags);
  wg_wit_resolve_free(r);
  if (st != WG_OK) {
    rc = cli_fail_diags(NULL, diags);
    wg_diag_list_delete(diags);
    return rc;
  }
  wg_diag_list_delete(diags);
  struct stat sb;
  if (stat(out_dir, &sb) != 0 && mkdir(out_dir, 0777) != 0)
    rc = cli_fail("cannot create %s", out_dir);
  if (rc == CLI_OK) rc = write_file(out_dir, files.stem, ".h", files.header);
  if (rc == CLI_OK) rc = write_file(out_dir, files.stem, ".c", files.source);
  if (rc == CLI_OK && files.stubs)
    rc = write_file(out_dir, files.stem, "_stubs.c", files.stubs);
  wg_bindgen_files_free(&files);
  return rc;
}
