/* SPDX-License-Identifier: Apache-2.0 */
/* Links against an installed witgen and exercises its public API. */
#include <stdio.h>
#include <string.h>

#include <witgen/common.h>

int main(void) {
  WgDiagList *list = wg_diag_list_new();
  if (!list) return 1;
  wg_diag_list_addf(list, WG_SEVERITY_ERROR, WG_ERR_INVALID, NULL, "probe");
  int ok = wg_diag_list_error_count(list) == 1 &&
           strcmp(wg_status_str(WG_ERR_TRAP), "trap") == 0;
  wg_diag_list_delete(list);
  printf("consumer linked witgen %s: %s\n", wg_version(), ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
