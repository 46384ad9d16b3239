/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target over the text format: every input is parsed as a
 * WebAssembly text (module or component) and as a spec-test script. A text
 * that encodes is printed, and the printed text must encode to the same
 * binary (any difference aborts: the printer and the parser disagree).
 * Malformed input must give an error, never a crash, hang, leak or a
 * sanitizer report. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "witgen/wat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  WgStr text = { (const char *)data, size };
  WgDiagList *diags = wg_diag_list_new();
  WgBuf bin = { 0 };
  if (wg_wat_parse(text, "fuzz.wat", diags, &bin) == WG_OK) {
    WgBuf printed = { 0 };
    if (wg_wat_print((const uint8_t *)bin.data, bin.len, NULL, &printed) ==
        WG_OK) {
      WgBuf again = { 0 };
      WgStatus st = wg_wat_parse((WgStr){ printed.data, printed.len },
                                 "printed.wat", NULL, &again);
      if (st != WG_OK || again.len != bin.len ||
          memcmp(again.data, bin.data, bin.len) != 0)
        abort();
      wg_buf_free(&again);
    }
    wg_buf_free(&printed);
  }
  wg_buf_free(&bin);
  wg_diag_list_delete(diags);
  WgWast *w = NULL;
  if (wg_wast_parse(text, "fuzz.wast", NULL, &w) == WG_OK) {
    for (size_t i = 0; i < wg_wast_count(w); i++)
      (void)wg_wast_command(w, i);
  }
  wg_wast_delete(w);
  return 0;
}
