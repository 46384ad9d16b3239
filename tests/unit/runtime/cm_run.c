/* SPDX-License-Identifier: Apache-2.0 */
/* interop_cm_runtime: runs the commands cm_run.mjs extracted from the
 * Component Model's reference scripts (values/, resources/, linking/) on
 * witgen's component runtime: components (encoded by the oracle) are
 * loaded and instantiated, exports invoked with component values read
 * from the scripts' text by the runtime's reader of the script forms
 * (wg_cval_parse_wast, which `witgen wast` uses too), results compared
 * with what the scripts expect (wg_cval_equal), traps matched by message
 * (the expected text must appear in ours, as wasmtime's harness matches
 * it). `witgen wast` runs the same scripts on components witgen's own text
 * parser encodes (spec_wast_cm); this check runs them on the oracle's.
 *
 *   cm_run DIR KNOWN    (DIR holds script.json and the .wasm files)
 * Prints per file `N passed, M failed, K skipped` and every failure; a
 * failure listed in KNOWN (`file:line # reason`) is reported as known.
 * Exit 1 when an unknown failure remains or a known one now passes. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "witgen/component.h"

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc(n > 0 ? (size_t)n + 1 : 1);
  if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
    fclose(f);
    free(b);
    return NULL;
  }
  fclose(f);
  b[n] = 0;
  *len = (size_t)n;
  return b;
}

/* Section: values, read from the script's text */

/* Reads the value text `j` (a JSON string) as a value of `t`; the caller
 * frees it with wg_cval_free(). False with the reason in `why`. */
static bool to_val(const JsonValue *j, const WgCValTy *t, WgCVal *out,
                   char *why) {
  WgDiagList *d = wg_diag_list_new();
  WgStatus st =
      j && j->kind == JSON_STRING
          ? wg_cval_parse_wast((WgStr){ j->text, j->len }, t, NULL, out, d)
          : WG_ERR_MALFORMED;
  if (st != WG_OK)
    snprintf(why, 256, "%s",
             d && wg_diag_list_count(d) ? wg_diag_list_first_error(d)
                                        : "not a value");
  wg_diag_list_delete(d);
  return st == WG_OK;
}

/* Section: known failures */

static char *known;

static bool is_known(const char *at) {
  if (!known) return false;
  size_t n = strlen(at);
  for (const char *p = known; (p = strstr(p, at)); p += n)
    if ((p == known || p[-1] == '\n') &&
        (p[n] == ' ' || p[n] == '\n' || p[n] == '\t' || p[n] == 0))
      return true;
  return false;
}

/* Section: running */

typedef struct Stats {
  char file[128];
  int passed, failed, known, skipped;
} Stats;

static Stats stats[64];
static int nstats;
static int unknown_failures, stale_known;

static Stats *stats_for(const char *at) {
  char file[128];
  snprintf(file, sizeof file, "%s", at);
  char *colon = strrchr(file, ':');
  if (colon) *colon = 0;
  for (int i = 0; i < nstats; i++)
    if (strcmp(stats[i].file, file) == 0) return &stats[i];
  Stats *s = &stats[nstats < 63 ? nstats++ : 63];
  snprintf(s->file, sizeof s->file, "%s", file);
  return s;
}

static void report(const char *at, bool ok, const char *fmt, ...) {
  Stats *s = stats_for(at);
  bool k = is_known(at);
  if (ok) {
    if (k) {
      printf("FAIL %s: listed as known but now passes\n", at);
      stale_known++;
    }
    s->passed++;
    return;
  }
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (k) {
    s->known++;
    return;
  }
  s->failed++;
  unknown_failures++;
  printf("FAIL %s: %s\n", at, msg);
}

typedef struct Def {
  char name[64];
  WgWasmComponent *comp;
  char why[256]; /* why it did not load */
} Def;

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: cm_run DIR KNOWN\n");
    return 2;
  }
  char path[4096];
  size_t len;
  snprintf(path, sizeof path, "%s/script.json", argv[1]);
  char *text = read_file(path, &len);
  if (!text) {
    fprintf(stderr, "cm_run: cannot read %s\n", path);
    return 2;
  }
  known = read_file(argv[2], &len);
  char err[256];
  JsonValue *script = json_parse(text, strlen(text), err, sizeof err);
  if (!script) {
    fprintf(stderr, "cm_run: %s\n", err);
    return 2;
  }
  WgEngine *engine = wg_engine_new(NULL);
  WgComponentLinkerConfig cfg = { .stub_unknown_imports = true };
  WgComponentLinker *linker = wg_component_linker_new(engine, &cfg);
  WgStore *store = wg_store_new(engine);
  static Def defs[256];
  int ndefs = 0;
  WgComponentInstance *cur = NULL;
  char cur_why[256] = "no component yet";
  for (size_t i = 0; i < script->count; i++) {
    const JsonValue *c = &script->items[i];
    const char *at = json_get_str(c, "at");
    const char *cmd = json_get_str(c, "cmd");
    if (strcmp(cmd, "skip") == 0) {
      stats_for(at)->skipped++;
      continue;
    }
    if (strcmp(cmd, "component") == 0 || strcmp(cmd, "definition") == 0) {
      snprintf(path, sizeof path, "%s/%s", argv[1], json_get_str(c, "wasm"));
      size_t n;
      char *bytes = read_file(path, &n);
      WgDiagList *d = wg_diag_list_new();
      WgWasmComponent *comp = NULL;
      WgStatus st =
          bytes ? wg_wasm_component_load(engine, (uint8_t *)bytes, n, &comp, d)
                : WG_ERR_IO;
      free(bytes);
      char why[256] = "";
      if (st != WG_OK) {
        snprintf(why, sizeof why, "load: %s: %s", wg_status_str(st),
                 wg_diag_list_first_error(d));
        if (st == WG_ERR_UNSUPPORTED) {
          stats_for(at)->skipped++;
          if (getenv("CM_RUN_VERBOSE")) printf("SKIP %s: %s\n", at, why);
        } else
          report(at, false, "%s", why);
      }
      wg_diag_list_delete(d);
      if (strcmp(cmd, "definition") == 0) {
        if (ndefs < 256) {
          Def *df = &defs[ndefs++];
          snprintf(df->name, sizeof df->name, "%s", json_get_str(c, "name"));
          df->comp = comp;
          snprintf(df->why, sizeof df->why, "%s", why);
        }
        continue;
      }
      cur = NULL;
      snprintf(cur_why, sizeof cur_why, "%s", why);
      if (!comp) continue;
      d = wg_diag_list_new();
      st = wg_component_linker_instantiate(linker, store, comp, &cur, d);
      if (st != WG_OK) {
        snprintf(cur_why, sizeof cur_why, "instantiate: %s",
                 wg_diag_list_first_error(d));
        report(at, false, "%s", cur_why);
        cur = NULL;
      } else {
        report(at, true, "");
      }
      wg_diag_list_delete(d);
      wg_wasm_component_delete(comp);
      continue;
    }
    if (strcmp(cmd, "instance") == 0) {
      const char *name = json_get_str(c, "def");
      Def *df = NULL;
      for (int k = ndefs; k-- > 0 && !df;)
        if (strcmp(defs[k].name, name) == 0) df = &defs[k];
      cur = NULL;
      if (!df || !df->comp) {
        snprintf(cur_why, sizeof cur_why, "%s",
                 df ? df->why : "unknown definition");
        continue;
      }
      WgDiagList *d = wg_diag_list_new();
      WgStatus st =
          wg_component_linker_instantiate(linker, store, df->comp, &cur, d);
      if (st != WG_OK) {
        snprintf(cur_why, sizeof cur_why, "instantiate: %s",
                 wg_diag_list_first_error(d));
        report(at, false, "%s", cur_why);
        cur = NULL;
      }
      wg_diag_list_delete(d);
      continue;
    }
    /* return / trap */
    if (!cur) {
      if (strstr(cur_why, "not supported") || strstr(cur_why, "UNSUPPORTED") ||
          strstr(cur_why, "unsupported"))
        stats_for(at)->skipped++;
      else
        report(at, false, "no instance (%s)", cur_why);
      continue;
    }
    const char *fname = json_get_str(c, "func");
    WgComponentFunc *f =
        wg_component_instance_func(cur, wg_str_from_cstr(fname));
    if (!f) {
      report(at, false, "no export `%s`", fname);
      continue;
    }
    const WgCFuncTy *ft = wg_component_func_type(f);
    const JsonValue *args = json_get(c, "args");
    WgCVal av[64];
    char why[256] = "";
    size_t made = 0;
    bool ok = args->count == ft->param_count && args->count <= 64;
    if (!ok) snprintf(why, sizeof why, "argument count");
    for (; ok && made < args->count; made++)
      ok = to_val(&args->items[made], ft->params[made], &av[made], why);
    if (!ok) {
      for (size_t a = 0; a + 1 < made; a++)
        wg_cval_free(&av[a]);
      report(at, false, "arguments: %s", why);
      continue;
    }
    WgCVal result;
    WgTrap *t =
        wg_component_func_call(f, av, args->count, &result, ft->result ? 1 : 0);
    for (size_t a = 0; a < made; a++)
      wg_cval_free(&av[a]);
    if (strcmp(cmd, "trap") == 0) {
      const char *want = json_get_str(c, "message");
      if (!t) {
        report(at, false, "expected a trap `%s`, got none", want);
      } else {
        report(at, strstr(wg_trap_message(t), want) != NULL,
               "expected trap `%s`, got `%s`", want, wg_trap_message(t));
        wg_trap_delete(t);
      }
      continue;
    }
    if (t) {
      report(at, false, "trapped: %s", wg_trap_message(t));
      wg_trap_delete(t);
      continue;
    }
    const JsonValue *results = json_get(c, "results");
    if (!results || results->kind == JSON_NULL) {
      report(at, true, "");
      continue;
    }
    if (results->count != (ft->result ? 1u : 0u)) {
      report(at, false, "result count");
      continue;
    }
    if (!ft->result) {
      report(at, true, "");
      continue;
    }
    WgCVal want;
    if (!to_val(&results->items[0], ft->result, &want, why)) {
      report(at, false, "expected result: %s", why);
      continue;
    }
    bool same = wg_cval_equal(&result, &want);
    if (same) wg_cval_free(&want);
    WgBuf g = { 0 }, w = { 0 };
    if (!same) {
      wg_cval_print(&g, &result, ft->result);
      wg_cval_print(&w, &want, ft->result);
    }
    if (!same) wg_cval_free(&want);
    report(at, same, "got %.*s, want %.*s", (int)g.len, g.data ? g.data : "",
           (int)w.len, w.data ? w.data : "");
    wg_buf_free(&g);
    wg_buf_free(&w);
  }
  int tp = 0, tf = 0, tk = 0, ts = 0;
  for (int i = 0; i < nstats; i++) {
    Stats *s = &stats[i];
    printf("%-44s %3d passed, %2d failed, %2d known, %2d skipped\n", s->file,
           s->passed, s->failed, s->known, s->skipped);
    tp += s->passed, tf += s->failed, tk += s->known, ts += s->skipped;
  }
  printf("component runtime: %d passed, %d failed, %d known, %d skipped\n", tp,
         tf, tk, ts);
  for (int i = 0; i < ndefs; i++)
    wg_wasm_component_delete(defs[i].comp);
  wg_store_delete(store);
  wg_component_linker_delete(linker);
  wg_engine_delete(engine);
  json_free(script);
  free(text);
  free(known);
  return unknown_failures || stale_known ? 1 : 0;
}
