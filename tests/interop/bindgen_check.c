/* SPDX-License-Identifier: Apache-2.0 */
/* Interop check of the C bindings: the component wasm-tools makes from our
 * compiled bindings (OURS) must have the same component-level types,
 * imports and exports as the component wasm-tools makes from the WIT world
 * alone (REF: `component embed --dummy` then `component new`). Core
 * modules, core instances, canonical functions and custom sections are
 * left out: they depend on the core code, not on the world.
 * Usage: bindgen_check OURS.wasm REF.wasm. Exit 0 equal, 1 different. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "witgen/component_binary.h"

static bool world_level(const WgCDef *d) {
  switch (d->kind) {
    case WG_CDEF_TYPE:
    case WG_CDEF_IMPORT:
    case WG_CDEF_EXPORT:
      return true;
    case WG_CDEF_INSTANCE:
      return !d->u.instance.is_core;
    case WG_CDEF_ALIAS:
      return d->u.alias.sort != WG_CSORT_CORE;
    default:
      return false;
  }
}

/* The world-level definitions of component file `path`, re-encoded. */
static bool load(const char *path, WgBuf *out) {
  uint8_t *bytes = NULL;
  size_t len = 0;
  WgComponent *c = NULL;
  if (wg_file_read(path, &bytes, &len) != WG_OK) {
    printf("cannot read %s\n", path);
    return false;
  }
  WgDiagList *diags = wg_diag_list_new();
  if (wg_component_decode(bytes, len, (WgAllocator){ 0 }, &c, diags) != WG_OK) {
    printf("cannot decode %s: %s\n", path, wg_diag_list_first_error(diags));
    wg_diag_list_delete(diags);
    free(bytes);
    return false;
  }
  wg_diag_list_delete(diags);
  uint32_t kept = 0;
  for (uint32_t i = 0; i < c->def_count; i++)
    if (world_level(&c->defs[i])) c->defs[kept++] = c->defs[i];
  c->def_count = kept;
  wg_cencode_component(out, c);
  wg_component_free(c);
  free(bytes);
  return !out->failed;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: bindgen_check OURS.wasm REF.wasm\n");
    return 2;
  }
  WgBuf ours = { 0 }, ref = { 0 };
  int rc = 1;
  if (load(argv[1], &ours) && load(argv[2], &ref)) {
    if (ours.len == ref.len && memcmp(ours.data, ref.data, ours.len) == 0) {
      rc = 0;
    } else {
      size_t at = 0;
      while (at < ours.len && at < ref.len && ours.data[at] == ref.data[at])
        at++;
      printf("world-level definitions differ at byte %zu (%zu vs %zu bytes)\n",
             at, ours.len, ref.len);
    }
  }
  wg_buf_free(&ours);
  wg_buf_free(&ref);
  return rc;
}
