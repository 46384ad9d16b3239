/* SPDX-License-Identifier: Apache-2.0 */
/* Interop check of the component binary codec: every component given on the
 * command line (made by wasm-tools through the oracle) must decode, and
 * encoding the result must reproduce it byte for byte. Prints
 * `N passed, M failed`; exit 1 when M > 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "witgen/component_binary.h"

static bool check_one(const char *path) {
  uint8_t *bytes = NULL;
  size_t len = 0;
  if (wg_file_read(path, &bytes, &len) != WG_OK) {
    printf("FAIL %s: cannot read\n", path);
    return false;
  }
  WgComponent *c = NULL;
  WgDiagList *diags = wg_diag_list_new();
  bool ok = false;
  if (wg_component_decode(bytes, len, (WgAllocator){ 0 }, &c, diags) != WG_OK) {
    const WgDiag *d = wg_diag_list_get(diags, 0);
    printf("FAIL %s: offset %llu: %s\n", path,
           d ? (unsigned long long)d->offset : 0ULL,
           wg_diag_list_first_error(diags));
  } else {
    WgBuf out = { 0 };
    wg_cencode_component(&out, c);
    ok = !out.failed && out.len == len && memcmp(out.data, bytes, len) == 0;
    if (!ok)
      printf("FAIL %s: re-encoding differs (%zu vs %zu bytes)\n", path, out.len,
             len);
    wg_buf_free(&out);
    wg_component_free(c);
  }
  wg_diag_list_delete(diags);
  free(bytes);
  return ok;
}

int main(int argc, char **argv) {
  int passed = 0, failed = 0;
  for (int i = 1; i < argc; i++) {
    if (check_one(argv[i])) {
      passed++;
    } else {
      failed++;
    }
  }
  printf("component round trip: %d passed, %d failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}
