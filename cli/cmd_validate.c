/* SPDX-License-Identifier: Apache-2.0 */
/* witgen validate: decodes and validates core modules (WebAssembly 2.0)
 * and components (the Component Model's validation rules,
 * witgen/component_types.h) and reports the first error of each with its
 * byte offset. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "witgen/component_binary.h"
#include "witgen/component_types.h"
#include "witgen/core_module.h"

static const char *verdict(WgStatus st) {
  switch (st) {
    case WG_ERR_MALFORMED:
      return "malformed";
    case WG_ERR_INVALID:
      return "invalid";
    case WG_ERR_UNSUPPORTED:
      return "unsupported";
    default:
      return wg_status_str(st);
  }
}

/* Decode + validate a component: `FILE: valid` or its first error. */
static int validate_component(const char *path, const uint8_t *bytes,
                              size_t len) {
  WgDiagList *diags = wg_diag_list_new();
  WgComponent *c = NULL;
  WgCTypes *types = NULL;
  WgStatus st = wg_component_decode(bytes, len, (WgAllocator){ 0 }, &c, diags);
  if (st == WG_OK) {
    types = wg_ctypes_new((WgAllocator){ 0 });
    const WgCScope *scope;
    st = types ? wg_component_validate(types, c, NULL, &scope, diags)
               : WG_ERR_NOMEM;
  }
  if (st == WG_OK) {
    printf("%s: valid\n", path);
  } else {
    const WgDiag *d =
        wg_diag_list_count(diags) ? wg_diag_list_get(diags, 0) : NULL;
    fprintf(stderr, "%s:0x%llx: %s: %s\n", path,
            d && d->has_offset ? (unsigned long long)d->offset : 0ull,
            verdict(st), d ? d->message : "out of memory");
  }
  wg_ctypes_delete(types);
  if (c) wg_component_free(c);
  wg_diag_list_delete(diags);
  return st == WG_OK ? CLI_OK : CLI_FAILED;
}

int cmd_validate(int argc, char **argv) {
  if (argc < 2) return cli_usage_error("validate: missing FILE.wasm");
  if (cli_is_help(argv[1])) {
    printf("Usage: witgen validate FILE.wasm...\n"
           "Decodes and validates core WebAssembly 2.0 modules and\n"
           "components. Prints 'FILE: valid', or\n"
           "'FILE:0xOFFSET: malformed|invalid|unsupported: REASON'.\n");
    return CLI_OK;
  }
  int status = CLI_OK;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-')
      return cli_usage_error("validate: unknown option '%s'", argv[i]);
  }
  for (int i = 1; i < argc; i++) {
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (wg_file_read(argv[i], &bytes, &len) != WG_OK) {
      status = cli_fail("%s: %s", argv[i], strerror(errno));
      continue;
    }
    if (wg_component_is_component(bytes, len)) {
      if (validate_component(argv[i], bytes, len) != CLI_OK)
        status = CLI_FAILED;
      free(bytes);
      continue;
    }
    WgModule *m = NULL;
    WgModuleError err;
    WgStatus st = wg_module_decode(bytes, len, (WgAllocator){ 0 }, &m, &err);
    if (st == WG_OK) st = wg_module_validate(m, &err);
    if (st == WG_OK) {
      printf("%s: valid\n", argv[i]);
    } else {
      fprintf(stderr, "%s:0x%zx: %s: %s\n", argv[i], err.offset,
              st == WG_ERR_MALFORMED ? "malformed" : wg_status_str(st),
              err.message);
      status = CLI_FAILED;
    }
    wg_module_free(m);
    free(bytes);
  }
  return status;
}
