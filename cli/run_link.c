/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen run APP.wasm --link LIB.wasm...`: the app and the libraries
 * linked at run time by the runtime's component graph (witgen/component.h,
 * WgComponentGraph): each import of each component bound to the one other
 * component exporting it (semver-compatible), checked, the providers
 * instantiated first, one instance each, calls between them fused. What no
 * component exports goes to `host`, run's linker (the WASI 0.2 host, stubs,
 * traced imports). `witgen serve APP.wasm --link LIB.wasm...` uses it too.
 * The CLI only loads the files and reports. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "run_component.h"

WgStatus run_link_pre(WgEngine *engine, WgComponentLinker *host,
                      const char *path, WgWasmComponent *app,
                      const char *const *links, size_t link_count,
                      WgComponentGraph **out_graph, WgComponentPre **out_pre) {
  *out_graph = NULL;
  *out_pre = NULL;
  WgDiagList *diags = wg_diag_list_new();
  WgComponentGraph *graph = wg_component_graph_new(host);
  if (!diags || !graph) {
    wg_diag_list_delete(diags);
    wg_component_graph_delete(graph);
    cli_fail("out of memory");
    return WG_ERR_NOMEM;
  }
  WgStatus st =
      wg_component_graph_add(graph, wg_str_from_cstr(path), app, diags);
  for (size_t i = 0; i < link_count && st == WG_OK; i++) {
    const char *lpath = links[i];
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (wg_file_read(lpath, &bytes, &len) != WG_OK) {
      cli_fail("--link %s: %s", lpath, strerror(errno));
      st = WG_ERR_IO;
      break;
    }
    WgWasmComponent *lib = NULL;
    st = wg_wasm_component_load(engine, bytes, len, &lib, diags);
    free(bytes);
    if (st != WG_OK) {
      const WgDiag *d = wg_diag_list_get(diags, 0);
      cli_fail("--link %s: offset 0x%llx: %s: %s", lpath,
               d && d->has_offset ? (unsigned long long)d->offset : 0ULL,
               wg_status_str(st), wg_diag_list_first_error(diags));
      break;
    }
    /* the same file linked again is named by its place, so that a clash
     * between the two copies does not read `fmt.wasm and fmt.wasm` */
    bool again = strcmp(lpath, path) == 0;
    for (size_t k = 0; k < i && !again; k++)
      again = strcmp(lpath, links[k]) == 0;
    char named[4096];
    if (again)
      snprintf(named, sizeof named, "%s (--link #%zu)", lpath, i + 1);
    else
      snprintf(named, sizeof named, "%s", lpath);
    st = wg_component_graph_add(graph, wg_str_from_cstr(named), lib, diags);
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
               "what none exports is served by the WASI 0.2 host, or is a "
               "stub that traps when called");
    }
  }
  if (st == WG_OK) {
    st = wg_component_graph_pre(graph, 0, out_pre, diags);
    if (st != WG_OK) cli_fail("%s", wg_diag_list_first_error(diags));
  }
  if (st == WG_OK) {
    *out_graph = graph;
  } else {
    wg_component_graph_delete(graph);
  }
  wg_diag_list_delete(diags);
  return st;
}
