/* SPDX-License-Identifier: Apache-2.0 */
/* witgen validate: decodes and validates core modules (WebAssembly 2.0)
 * and components (the component model's binary format), and reports the
 * first error of each with its byte offset. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "witgen/component_binary.h"
#include "witgen/component_types.h"
#include "witgen/core_module.h"

/* Decodes and validates component `bytes`; prints the verdict. */
static int validate_component(const char *path, const uint8_t *bytes,
                              size_t len) {
  WgDiagList *diags = wg_diag_list_new();
  WgCTypes *types = wg_ctypes_new(wg_allocator_default());
  WgComponent *c = NULL;
  const WgCScope *scope = NULL;
  WgStatus st = diags && types ? WG_OK : WG_ERR_NOMEM;
  if (st == WG_OK)
    st = wg_component_decode(bytes, len, wg_allocator_default(), &c, diags);
  if (st == WG_OK) st = wg_component_validate(types, c, NULL, &scope, diags);
  int rc = CLI_OK;
  if (st == WG_OK) {
    printf("%s: valid component\n", path);
  } else {
    const WgDiag *d = diags ? wg_diag_list_get(diags, 0) : NULL;
    fprintf(stderr, "%s:0x%llx: %s: %s (a component)\n", path,
            d && d->has_offset ? (unsigned long long)d->offset : 0ULL,
            st == WG_ERR_MALFORMED ? "malformed" : wg_status_str(st),
            d ? d->message : "out of memory");
    rc = CLI_FAILED;
  }
  wg_ctypes_delete(types); /* before the component its types point into */
  wg_component_free(c);
  wg_diag_list_delete(diags);
  return rc;
}

int cmd_validate(int argc, char **argv) {
  if (argc < 2) return cli_usage_error("validate: missing FILE.wasm");
  if (cli_is_help(argv[1])) {
    printf(
        "Usage: witgen validate FILE.wasm...\n"
        "Decodes and validates core WebAssembly 2.0 modules (with\n"
        "multi-memory) and components. Prints 'FILE: valid' ('FILE:\n"
        "valid component'), or 'FILE:0xOFFSET: malformed|invalid: REASON'.\n");
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
    WgDiagList *diags = wg_diag_list_new();
    WgStatus st = wg_module_decode(bytes, len, (WgAllocator){ 0 },
                                   WG_FEATURES_ALL, &m, diags);
    if (st == WG_OK) st = wg_module_validate(m, diags);
    if (st == WG_OK) {
      printf("%s: valid\n", argv[i]);
    } else {
      const WgDiag *d = diags ? wg_diag_list_get(diags, 0) : NULL;
      fprintf(stderr, "%s:0x%llx: %s: %s\n", argv[i],
              d ? (unsigned long long)d->offset : 0ULL,
              st == WG_ERR_MALFORMED ? "malformed" : wg_status_str(st),
              d ? d->message : "out of memory");
      status = CLI_FAILED;
    }
    wg_diag_list_delete(diags);
    wg_module_free(m);
    free(bytes);
  }
  return status;
}
