/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target of `witgen wit`'s decoder: any bytes as a component, a
 * core module with a component-type section or a WIT package binary must
 * give WIT text or a message, never a crash or leak; text it gives is then
 * resolved by the front-end (which may refuse it, with a diagnostic). */
#include <stdlib.h>

#include "witgen/wit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  WgDiagList *diags = wg_diag_list_new();
  char *text = NULL;
  if (wg_wit_decode(&data, &size, 1, diags, &text) != WG_OK) {
    /* a failure must always say why */
    if (text || !wg_diag_list_first_error(diags)[0]) abort();
    wg_diag_list_delete(diags);
    return 0;
  }
  WgWitResolve *r = NULL;
  WgWitOptions opt = { NULL, 0, true, false };
  WgStatus st = wg_wit_load_source("decoded.wit", wg_str_from_cstr(text), &opt,
                                   diags, &r);
  if (st != WG_OK && wg_diag_list_error_count(diags) == 0) abort();
  wg_wit_resolve_free(r);
  wg_diag_list_delete(diags);
  free(text);
  return 0;
}
