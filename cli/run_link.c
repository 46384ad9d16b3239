/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen run APP.wasm --link LIB.wasm...`: the app and the libraries
 * linked at run time by the runtime's component graph (witgen/component.h,
 * WgComponentGraph): each import of each component bound to the one other
 * component exporting it (semver-compatible), checked, the providers
 * instantiated first, one instance each, calls between them fused. What no
 * component exports goes to `host`, run's linker (stubs, traced imports).
 * The CLI only loads the files and reports. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "run_component.h"

WgStatus run_link_instantiate(WgEngine *engine, WgComponentLinker *host,
                              WgStore *store, WgWasmComponent *app,
                              const RunComponentOptions *opt,
                              WgComponentInstance **out) {
  *out = NULL;
  WgDiagList *diags = wg_diag_list_new();
  WgComponentGraph *graph = wg_component_graph_new(host);
  if (!diags || !graph) {
    wg_diag_list_delete(diags);
    wg_component_graph_delete(graph);
    cli_fail("out of memory");
    return WG_ERR_NOMEM;
  }
  WgStatus st =
      wg_component_graph_add(graph, wg_str_from_cstr(opt->path), app, diags);
  for (size_t i = 0; i < opt->link_count && st == WG_OK; i++) {
    const char *path = opt->links[i];
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (wg_file_read(path, &bytes, &len) != WG_OK) {
      cli_fail("--link %s: %s", path, strerror(errno));
      st = WG_ERR_IO;
      break;
    }
    WgWasmComponent *lib = NULL;
    st = wg_wasm_component_load(engine, bytes, len, &lib, diags);
    free(bytes);
    if (st != WG_OK) {
      const WgDiag *d = wg_diag_list_get(diags, 0);
      cli_fail("--link %s: offset 0x%llx: %s: %s", path,
               d && d->has_offset ? (unsigned long long)d->offset : 0ULL,
               wg_status_str(st), wg_diag_list_first_error(diags));
      break;
    }
    st = wg_component_graph_add(graph, wg_str_from_cstr(path), lib, diags);
    wg_wasm_component_delete(lib); /* the graph keeps it */
  }
  if (st == WG_OK) {
    st = wg_component_graph_link(graph, diags);
    if (st != WG_OK) { /* every problem, each naming both sides */
      for (size_t i = 0; i < wg_diag_list_count(diags); i++) {
        const WgDiag *d = wg_diag_list_get(diags, i);
        if (d->severity == WG_SEVERITY_ERROR) cli_fail("%s", d->message);
      }
      cli_note("the exports of the --link components fill the imports of "
               "every component by interface name (semver-compatible); "
               "what none exports is left to witgen run");
    }
  }
  if (st == WG_OK) {
    WgComponentInstance **insts =
        calloc(wg_component_graph_count(graph), sizeof *insts);
    st = insts ? wg_component_graph_instantiate(graph, store, insts, diags)
               : WG_ERR_NOMEM;
    if (st == WG_OK) {
      *out = insts[0];
    } else {
      fflush(stdout);
      cli_fail("%s: %s", wg_status_str(st),
               insts ? wg_diag_list_first_error(diags) : "out of memory");
    }
    free(insts);
  }
  wg_component_graph_delete(graph); /* the instances keep what they use */
  wg_diag_list_delete(diags);
  return st;
}
