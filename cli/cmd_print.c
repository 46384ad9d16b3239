/* SPDX-License-Identifier: Apache-2.0 */
/* witgen print: a binary (core module or component) as WebAssembly text,
 * or a WIT package (source, or a component that encodes one) as WIT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "witgen/component_binary.h"
#include "witgen/wat.h"
#include "witgen/wit.h"

static const char USAGE[] =
    "Usage: witgen print [-o OUT] [--features a,b] [--all-features] "
    "[--all-errors]\n"
    "                    PATH\n"
    "Prints a WebAssembly binary (core module or component; PATH may be -\n"
    "for standard input) as WebAssembly text, or the WIT package at PATH\n"
    "(a .wit file, a folder with deps/, or a component encoding a WIT\n"
    "package) as WIT. The text goes to OUT (default: standard output).\n";

int cli_print_wit(int argc, char **argv, const char *usage, const char *out) {
  WgWitResolve *r;
  int rc = cli_wit_load(argc, argv, usage, &r);
  if (rc < 0) return CLI_OK;
  if (rc != CLI_OK) return rc;
  char *text = wg_wit_print_package(r, r->main_package);
  wg_wit_resolve_free(r);
  if (!text) return cli_fail("out of memory");
  rc = cli_write_output(out, text, strlen(text));
  free(text);
  return rc;
}

/* A component holding only types, custom sections and type exports: how
 * wasm-tools encodes a WIT package. */
static bool is_wit_package(const uint8_t *bytes, size_t len) {
  WgComponent *c = NULL;
  if (wg_component_decode(bytes, len, (WgAllocator){ 0 }, &c, NULL) != WG_OK)
    return false;
  bool package = true;
  uint32_t types = 0;
  for (uint32_t i = 0; i < c->def_count; i++) {
    const WgCDef *d = &c->defs[i];
    if (d->kind == WG_CDEF_TYPE) {
      types++;
    } else if (d->kind == WG_CDEF_EXPORT) {
      if (d->u.extern_.sort != WG_CSORT_TYPE) package = false;
    } else if (d->kind != WG_CDEF_CUSTOM) {
      package = false;
    }
  }
  wg_component_free(c);
  if (!package || types == 0) return false;
  /* a component of that shape that does not read as WIT is printed as
   * text (the reference tests have many) */
  char *text = NULL;
  const uint8_t *bins[1] = { bytes };
  size_t lens[1] = { len };
  WgStatus st = wg_wit_decode(bins, lens, 1, NULL, &text);
  free(text);
  return st == WG_OK;
}

/* The one PATH argument (options are cli_wit_load's). */
static const char *path_arg(int argc, char **argv) {
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--features") == 0) {
      i++;
    } else if (strcmp(argv[i], "-") == 0 || argv[i][0] != '-') {
      path = argv[i];
    }
  }
  return path;
}

int cmd_print(int argc, char **argv) {
  /* -o OUT is taken out here; the rest are cli_wit_load's */
  const char *out = NULL;
  int kept = 1;
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) {
      fputs(USAGE, stdout);
      return CLI_OK;
    }
    if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
      if (i + 1 >= argc)
        return cli_usage_error("%s: %s needs a value", argv[0], argv[i]);
      out = argv[++i];
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  const char *path = path_arg(argc, argv);
  size_t n = path ? strlen(path) : 0;
  bool binary = path && (strcmp(path, "-") == 0 ||
                         (n > 5 && strcmp(path + n - 5, ".wasm") == 0));
  if (!binary) return cli_print_wit(argc, argv, USAGE, out);
  uint8_t *bytes = NULL;
  size_t len = 0;
  int rc = cli_read_input(path, &bytes, &len);
  if (rc != CLI_OK) return rc;
  if (len >= 8 && memcmp(bytes, "\0asm", 4) == 0 && bytes[6] == 1 &&
      is_wit_package(bytes, len) && strcmp(path, "-") != 0) {
    free(bytes);
    return cli_print_wit(argc, argv, USAGE, out);
  }
  WgDiagList *diags = wg_diag_list_new();
  WgBuf text = { 0 };
  WgStatus st = wg_wat_print(bytes, len, diags, &text);
  free(bytes);
  if (st != WG_OK) {
    fprintf(stderr, "%s: ", path);
    if (diags && wg_diag_list_count(diags))
      wg_diag_list_print(diags, stderr);
    else
      fprintf(stderr, "error: %s\n", wg_status_str(st));
    wg_diag_list_delete(diags);
    wg_buf_free(&text);
    return CLI_FAILED;
  }
  wg_diag_list_delete(diags);
  rc = cli_write_output(out, text.data, text.len);
  wg_buf_free(&text);
  return rc;
}
