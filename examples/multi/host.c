/* SPDX-License-Identifier: Apache-2.0 */
/* The notes service linked at run time by a C host on witgen/component.h
 * (docs/linking.md): the three components go into a WgComponentGraph,
 * which binds app's imports to kv's and fmt's exports and instantiates
 * each once; then the requests of CALLS (one `handle(...)` a line, in
 * WAVE, as `witgen run --invoke` takes them) are made on app's instance
 * and each response is printed in WAVE. The graph's bindings go to
 * standard error.
 *
 *   multi_host APP.wasm KV.wasm FMT.wasm CALLS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "witgen/component.h"

/* The bytes of `path` (malloc'ed) and their count, or NULL. */
static uint8_t *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *bytes = NULL;
  long n = -1;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (bytes = malloc((size_t)n + 1)) &&
      fread(bytes, 1, (size_t)n, f) != (size_t)n) {
    free(bytes);
    bytes = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return bytes;
}

static WgWasmComponent *load(WgEngine *engine, const char *path,
                             WgDiagList *diags) {
  size_t len;
  uint8_t *bytes = slurp(path, &len);
  WgWasmComponent *component = NULL;
  if (!bytes) {
    fprintf(stderr, "%s: cannot read it\n", path);
    return NULL;
  }
  if (wg_wasm_component_load(engine, bytes, len, &component, diags) != WG_OK)
    component = NULL;
  free(bytes);
  return component;
}

/* Makes each request of `calls` on `handle` and prints the response. */
static int requests(WgComponentFunc *handle, char *calls) {
  const WgCFuncTy *type = wg_component_func_type(handle);
  WgDiagList *diags = wg_diag_list_new();
  for (char *line = strtok(calls, "\n"); line; line = strtok(NULL, "\n")) {
    const char *open = strchr(line, '(');
    WgCVal args[3], response;
    if (strncmp(line, "handle(", 7) != 0 ||
        wg_cval_parse_wave_args(wg_str_from_cstr(open), type, NULL, args,
                                diags) != WG_OK) {
      fprintf(stderr, "not a call of handle: %s\n", line);
      wg_diag_list_print(diags, stderr);
      wg_diag_list_delete(diags);
      return 1;
    }
    WgTrap *trap = wg_component_func_call(handle, args, 3, &response, 1);
    for (int i = 0; i < 3; i++)
      wg_cval_free(&args[i]);
    if (trap) {
      fprintf(stderr, "%s: trap: %s\n", line, wg_trap_message(trap));
      wg_trap_delete(trap);
      wg_diag_list_delete(diags);
      return 1;
    }
    /* the response is borrowed until the next call into the instance */
    WgBuf text = { 0 };
    wg_cval_print(&text, &response, type->result);
    printf("%.*s\n", (int)text.len, text.data);
    wg_buf_free(&text);
  }
  wg_diag_list_delete(diags);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: multi_host APP.wasm KV.wasm FMT.wasm CALLS\n");
    return 2;
  }
  size_t len;
  char *calls = (char *)slurp(argv[4], &len);
  if (!calls) {
    fprintf(stderr, "%s: cannot read it\n", argv[4]);
    return 2;
  }
  calls[len] = 0;
  WgEngine *engine = wg_engine_new(NULL);
  WgDiagList *diags = wg_diag_list_new();
  WgComponentLinker *host = wg_component_linker_new(engine, NULL);
  WgComponentGraph *graph = wg_component_graph_new(host);
  WgStore *store = wg_store_new(engine);
  WgWasmComponent *parts[3] = { NULL, NULL, NULL };
  WgComponentInstance *instances[3];
  int status = 1;
  /* app first: instances[0] is its instance */
  for (int i = 0; i < 3; i++) {
    parts[i] = load(engine, argv[1 + i], diags);
    if (!parts[i] ||
        wg_component_graph_add(graph, wg_str_from_cstr(argv[1 + i]), parts[i],
                               diags) != WG_OK)
      goto out;
  }
  /* bind every import to an export, check the types, order the parts */
  if (wg_component_graph_link(graph, diags) != WG_OK) goto out;
  WgBuf bindings = { 0 };
  wg_component_graph_print(graph, &bindings);
  fprintf(stderr, "%.*s", (int)bindings.len, bindings.data);
  wg_buf_free(&bindings);
  /* one instance of each, providers first */
  if (wg_component_graph_instantiate(graph, store, instances, diags) != WG_OK)
    goto out;
  WgComponentFunc *handle = wg_component_instance_func(
      instances[0], WG_STR("example:multi/api@0.1.0#handle"));
  if (!handle) {
    fprintf(stderr, "%s exports no handle\n", argv[1]);
    goto out;
  }
  status = requests(handle, calls);
out:
  wg_diag_list_print(diags, stderr);
  wg_store_delete(store); /* and the instances */
  wg_component_graph_delete(graph);
  for (int i = 0; i < 3; i++)
    wg_wasm_component_delete(parts[i]);
  wg_component_linker_delete(host);
  wg_diag_list_delete(diags);
  wg_engine_delete(engine);
  free(calls);
  return status;
}
