/* SPDX-License-Identifier: Apache-2.0 */
/* Links the host bindings of one world against a component of the same
 * world (issue 15, must-show 1): every import defined by the bindings'
 * stub tables (`<world>_stub_imports`, witgen --host --stubs) through
 * `<world>_add_to_linker`, so the runtime checks each WIT signature the
 * bindings declare against what the component imports; then
 * `<world>_instantiate` binds every export, checking its signature too.
 * Built per world by hostgen.sh with -DWP=<world prefix> and
 * -DHEADER="<world>_host.h".
 *   link_check COMPONENT.wasm   (exit 0 when linked and bound) */
#include <stdio.h>
#include <stdlib.h>

#include HEADER

#define CAT_(a, b) a##b
#define CAT(a, b)  CAT_(a, b)

extern const CAT(WP, _imports_t) CAT(WP, _stub_imports);

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 2;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *bytes = malloc(n > 0 ? (size_t)n : 1);
  if (!bytes || fread(bytes, 1, (size_t)n, f) != (size_t)n) return 2;
  fclose(f);
  WgEngine *engine = wg_engine_new(NULL);
  WgDiagList *diags = wg_diag_list_new();
  WgWasmComponent *comp = NULL;
  WgComponentLinker *linker = wg_component_linker_new(engine, NULL);
  WgStore *store = wg_store_new(engine);
  CAT(WP, _t) bound;
  int rc = 1;
  if (wg_wasm_component_load(engine, bytes, (size_t)n, &comp, diags) != WG_OK)
    fprintf(stderr, "load: ");
  else if (CAT(WP, _add_to_linker)(linker, &CAT(WP, _stub_imports), NULL,
                                   diags) != WG_OK)
    fprintf(stderr, "add_to_linker: ");
  else if (CAT(WP, _instantiate)(linker, store, comp, &bound, diags) != WG_OK)
    fprintf(stderr, "instantiate and bind: ");
  else
    rc = 0;
  if (rc) {
    const char *msg = wg_diag_list_first_error(diags);
    fprintf(stderr, "%s\n", msg && *msg ? msg : "failed");
  }
  free(bytes);
  wg_store_delete(store);
  wg_component_linker_delete(linker);
  wg_wasm_component_delete(comp);
  wg_engine_delete(engine);
  wg_diag_list_delete(diags);
  return rc;
}
