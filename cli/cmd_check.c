/* SPDX-License-Identifier: Apache-2.0 */
/* witgen check: loads and resolves a WIT package, reporting every error
 * with its location. Also holds the argument handling shared by the WIT
 * commands (check, json, print). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "witgen/wit.h"

/* Splits "a,b" into `out` (pointers into `list`, which is modified). */
static size_t split_features(char *list, const char **out, size_t max,
                             size_t n) {
  for (char *p = strtok(list, ","); p && n < max; p = strtok(NULL, ","))
    if (*p) out[n++] = p;
  return n;
}

int cli_wit_load(int argc, char **argv, const char *usage, WgWitResolve **out) {
  *out = NULL;
  const char *path = NULL;
  static const char *features[64];
  WgWitOptions opt = { features, 0, false, false };
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (cli_is_help(a)) {
      printf("%s", usage);
      return -1;
    }
    if (strcmp(a, "--all-features") == 0) {
      opt.all_features = true;
    } else if (strcmp(a, "--all-errors") == 0) {
      opt.all_errors = true;
    } else if (strcmp(a, "--features") == 0) {
      if (i + 1 >= argc)
        return cli_usage_error("%s: --features needs a value", argv[0]);
      opt.feature_count =
          split_features(argv[++i], features, 64, opt.feature_count);
    } else if (strncmp(a, "--features=", 11) == 0) {
      opt.feature_count =
          split_features(argv[i] + 11, features, 64, opt.feature_count);
    } else if (a[0] == '-' && a[1]) {
      return cli_usage_error("%s: unknown option '%s'", argv[0], a);
    } else if (path) {
      return cli_usage_error("%s: more than one PATH given", argv[0]);
    } else {
      path = a;
    }
  }
  if (!path) return cli_usage_error("%s: missing PATH", argv[0]);
  WgDiagList *diags = wg_diag_list_new();
  if (!diags) return cli_fail("out of memory");
  WgStatus st = wg_wit_load(path, &opt, diags, out);
  wg_diag_list_print(diags, stderr);
  wg_diag_list_delete(diags);
  if (st != WG_OK) return CLI_FAILED;
  return CLI_OK;
}

int cmd_check(int argc, char **argv) {
  WgWitResolve *r;
  int rc = cli_wit_load(
      argc, argv,
      "Usage: witgen check [--features a,b] [--all-features] [--all-errors] "
      "PATH\n"
      "Resolves the WIT package at PATH (a .wit file, or a folder with an\n"
      "optional deps/ folder) and reports errors as path:line:col: the first\n"
      "syntax error of each file, or every one with --all-errors.\n",
      &r);
  if (rc < 0) return CLI_OK;
  if (rc != CLI_OK) return rc;
  wg_wit_resolve_free(r);
  return CLI_OK;
}
