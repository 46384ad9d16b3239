/* SPDX-License-Identifier: Apache-2.0 */
/* Runs a test component of tests/interop/compose on witgen's runtime
 * (witgen/component.h), alone or linked at run time to others (a
 * WgComponentGraph), and prints what its export returns; link_run.mjs
 * prints the same for jco, so the composition suite compares the two.
 *
 *   link_run APP.wasm [--link LIB.wasm]... [--invoke NAME] [--links]
 *
 * The host provides what the test worlds may leave to it: demo:kv/log
 * (`write` keeps lines, `lines` gives them back) and demo:kv/format
 * (`show` as `h<hex>`, told apart from the fmt component's `<hex>`);
 * other imports are stubs that trap. NAME defaults to `run`, else `go`.
 * `--links` prints where each import was bound first. Output: `result:
 * TEXT` (a string result as it is, others in WAVE); a trap prints `trap:
 * MESSAGE`. Exit 0, 1 when linking fails (the messages on stderr), 2 for
 * usage, 3 on a trap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "witgen/component.h"

static char log_lines[256][256];
static size_t log_count, log_len[256];

static WgTrap *log_write(void *env, WgCCall *call, const WgCVal *args, size_t n,
                         WgCVal *results, size_t nres) {
  (void)env, (void)call, (void)n, (void)results, (void)nres;
  if (log_count < 256) {
    size_t len = args[0].of.str.len < 255 ? args[0].of.str.len : 255;
    memcpy(log_lines[log_count], args[0].of.str.ptr, len);
    log_len[log_count++] = len;
  }
  return NULL;
}

static WgTrap *log_get(void *env, WgCCall *call, const WgCVal *args, size_t n,
                       WgCVal *results, size_t nres) {
  (void)env, (void)args, (void)n, (void)nres;
  WgCVal *items = wg_ccall_alloc(call, (log_count + 1) * sizeof *items);
  if (!items) return wg_trap_new("out of memory");
  for (size_t i = 0; i < log_count; i++)
    items[i] = wg_cval_string(log_lines[i], log_len[i]);
  results[0] = wg_cval_seq(WG_CVAL_LIST, items, log_count);
  return NULL;
}

static WgTrap *show(void *env, WgCCall *call, const WgCVal *args, size_t n,
                    WgCVal *results, size_t nres) {
  (void)env, (void)n, (void)nres;
  size_t count = args[0].of.seq.count;
  char *out = wg_ccall_alloc(call, 2 * count + 1);
  if (!out) return wg_trap_new("out of memory");
  out[0] = 'h';
  for (size_t i = 0; i < count; i++)
    snprintf(out + 1 + 2 * i, 3, "%02x",
             (unsigned)args[0].of.seq.items[i].of.u);
  results[0] = wg_cval_string(out, 1 + 2 * count);
  return NULL;
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
  if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
    fclose(f);
    free(b);
    return NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return b;
}

static const char *base(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

int main(int argc, char **argv) {
  const char *paths[16]; /* the app, then the libraries */
  size_t count = 1;
  paths[0] = NULL;
  const char *invoke = NULL;
  bool links = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--link") == 0 && i + 1 < argc && count < 16) {
      paths[count++] = argv[++i];
    } else if (strcmp(argv[i], "--invoke") == 0 && i + 1 < argc) {
      invoke = argv[++i];
    } else if (strcmp(argv[i], "--links") == 0) {
      links = true;
    } else if (argv[i][0] != '-' && !paths[0]) {
      paths[0] = argv[i];
    } else {
      fprintf(stderr, "usage: link_run APP.wasm [--link LIB.wasm]... "
                      "[--invoke NAME] [--links]\n");
      return 2;
    }
  }
  if (!paths[0]) return 2;
  WgEngine *engine = wg_engine_new(NULL);
  WgDiagList *diags = wg_diag_list_new();
  WgComponentLinkerConfig cfg = { .stub_unknown_imports = true };
  WgComponentLinker *host = wg_component_linker_new(engine, &cfg);
  wg_component_linker_define_func(host, WG_STR("demo:kv/log@0.1.0#write"),
                                  WG_STR("func(line: string)"), log_write, NULL,
                                  NULL, diags);
  wg_component_linker_define_func(host, WG_STR("demo:kv/log@0.1.0#lines"),
                                  WG_STR("func() -> list<string>"), log_get,
                                  NULL, NULL, diags);
  wg_component_linker_define_func(host, WG_STR("demo:kv/format@0.1.0#show"),
                                  WG_STR("func(e: list<u8>) -> string"), show,
                                  NULL, NULL, diags);
  WgComponentGraph *graph = wg_component_graph_new(host);
  for (size_t i = 0; i < count; i++) {
    size_t len;
    uint8_t *bytes = read_file(paths[i], &len);
    if (!bytes) {
      fprintf(stderr, "link_run: cannot read %s\n", paths[i]);
      return 1;
    }
    WgWasmComponent *c;
    if (wg_wasm_component_load(engine, bytes, len, &c, diags) != WG_OK) {
      fprintf(stderr, "%s: ", paths[i]);
      wg_diag_list_print(diags, stderr);
      return 1;
    }
    free(bytes);
    wg_component_graph_add(graph, wg_str_from_cstr(base(paths[i])), c, diags);
    wg_wasm_component_delete(c);
  }
  if (wg_component_graph_link(graph, diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  if (links) {
    WgBuf b = { 0 };
    wg_component_graph_print(graph, &b);
    fwrite(b.data, 1, b.len, stdout);
    wg_buf_free(&b);
  }
  WgStore *store = wg_store_new(engine);
  WgComponentInstance *insts[16];
  if (wg_component_graph_instantiate(graph, store, insts, diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  WgComponentFunc *f = wg_component_instance_func(
      insts[0], wg_str_from_cstr(invoke ? invoke : "run"));
  if (!f && !invoke) f = wg_component_instance_func(insts[0], WG_STR("go"));
  if (!f) {
    fprintf(stderr, "link_run: %s exports no `%s`\n", paths[0],
            invoke ? invoke : "run");
    return 1;
  }
  const WgCFuncTy *ft = wg_component_func_type(f);
  WgCVal r;
  WgTrap *t = wg_component_func_call(f, NULL, 0, &r, ft->result ? 1 : 0);
  int status = 0;
  if (t) {
    printf("trap: %s\n", wg_trap_message(t));
    wg_trap_delete(t);
    status = 3;
  } else if (!ft->result) {
    printf("result: ()\n");
  } else if (r.kind == WG_CVAL_STRING) {
    printf("result: %.*s\n", (int)r.of.str.len, r.of.str.ptr);
  } else {
    WgBuf b = { 0 };
    wg_cval_print(&b, &r, ft->result);
    printf("result: %.*s\n", (int)b.len, (const char *)b.data);
    wg_buf_free(&b);
  }
  wg_store_delete(store);
  wg_component_graph_delete(graph);
  wg_component_linker_delete(host);
  wg_diag_list_delete(diags);
  wg_engine_delete(engine);
  return status;
}
