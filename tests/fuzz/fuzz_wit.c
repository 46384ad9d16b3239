/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target of the WIT front-end: any bytes as a .wit file must
 * give either a resolve (then JSON and printing must work, and the printed
 * text must resolve again) or errors, never a crash or leak. */
#include <stdlib.h>
#include <string.h>

#include "witgen/wit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  WgDiagList *diags = wg_diag_list_new();
  WgWitResolve *r = NULL;
  /* every syntax error described (--all-errors), the first included */
  WgWitOptions opt = { NULL, 0, true, true };
  WgStatus st = wg_wit_load_source(
      "fuzz.wit", (WgStr){ (const char *)data, size }, &opt, diags, &r);
  if (st != WG_OK && wg_diag_list_error_count(diags) == 0)
    abort(); /* a failure must always say why */
  wg_diag_list_delete(diags);
  if (st != WG_OK) return 0;
  free(wg_wit_to_json(r));
  char *text = wg_wit_print_package(r, r->main_package);
  wg_wit_resolve_free(r);
  if (text) {
    diags = wg_diag_list_new();
    WgWitResolve *again = NULL;
    if (wg_wit_load_source("printed.wit", wg_str_from_cstr(text), &opt, diags,
                           &again) != WG_OK)
      abort(); /* printed WIT must resolve again */
    wg_wit_resolve_free(again);
    wg_diag_list_delete(diags);
    free(text);
  }
  return 0;
}
