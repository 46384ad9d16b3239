/* SPDX-License-Identifier: Apache-2.0 */
/* interop_cm_runtime: runs the commands cm_run.mjs extracted from the
 * Component Model's reference scripts (values/, resources/, linking/) on
 * witgen's component runtime: components (encoded by the oracle) are
 * loaded and instantiated, exports invoked with component values built
 * from the scripts' JSON form, results compared with what the scripts
 * expect (wg_cval_equal), traps matched by message (the expected text must
 * appear in ours, as wasmtime's harness matches it).
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

/* Section: values from JSON, guided by the type */

static char pool[1 << 20];
static size_t pool_used;

static void *P(size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (pool_used + n > sizeof pool) return NULL;
  void *p = pool + pool_used;
  pool_used += n;
  memset(p, 0, n);
  return p;
}

static bool fail_why(char *why, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, 256, fmt, ap);
  va_end(ap);
  return false;
}

static int label_index(const WgCValTy *t, const char *name) {
  for (uint32_t i = 0; i < t->count; i++)
    if (t->labels[i].len == strlen(name) &&
        memcmp(t->labels[i].ptr, name, t->labels[i].len) == 0)
      return (int)i;
  return -1;
}

static bool to_val(const JsonValue *j, const WgCValTy *t, WgCVal *out,
                   char *why) {
  const char *k = json_get_str(j, "k");
  const JsonValue *v = json_get(j, "v");
  if (!k || !v) return fail_why(why, "bad value");
  if (t->kind == WG_CT_PRIM) {
    switch (t->prim) {
      case WG_CPRIM_BOOL:
        *out = wg_cval_bool(v->boolean);
        return true;
      case WG_CPRIM_S8:
      case WG_CPRIM_S16:
      case WG_CPRIM_S32:
      case WG_CPRIM_S64: {
        WgCValKind kk = t->prim == WG_CPRIM_S8    ? WG_CVAL_S8
                        : t->prim == WG_CPRIM_S16 ? WG_CVAL_S16
                        : t->prim == WG_CPRIM_S32 ? WG_CVAL_S32
                                                  : WG_CVAL_S64;
        *out = wg_cval_int(kk, strtoll(v->text, NULL, 10));
        return true;
      }
      case WG_CPRIM_U8:
      case WG_CPRIM_U16:
      case WG_CPRIM_U32:
      case WG_CPRIM_U64: {
        WgCValKind kk = t->prim == WG_CPRIM_U8    ? WG_CVAL_U8
                        : t->prim == WG_CPRIM_U16 ? WG_CVAL_U16
                        : t->prim == WG_CPRIM_U32 ? WG_CVAL_U32
                                                  : WG_CVAL_U64;
        *out = wg_cval_uint(kk, strtoull(v->text, NULL, 0));
        return true;
      }
      case WG_CPRIM_F32:
      case WG_CPRIM_F64: {
        double d = strncmp(v->text, "nan", 3) == 0    ? (double)NAN
                   : strncmp(v->text, "-nan", 4) == 0 ? -(double)NAN
                                                      : strtod(v->text, NULL);
        *out = t->prim == WG_CPRIM_F32 ? wg_cval_f32((float)d) : wg_cval_f64(d);
        return true;
      }
      case WG_CPRIM_CHAR:
        *out = wg_cval_char((uint32_t)strtoul(v->text, NULL, 10));
        return true;
      case WG_CPRIM_STRING:
        *out = wg_cval_string(v->text, v->len);
        return true;
      default:
        return fail_why(why, "unsupported primitive");
    }
  }
  switch (t->kind) {
    case WG_CT_LIST:
    case WG_CT_FIXED_LIST:
    case WG_CT_TUPLE:
    case WG_CT_MAP: {
      WgCVal *items = P((v->count ? v->count : 1) * sizeof *items);
      if (!items) return fail_why(why, "pool full");
      for (size_t i = 0; i < v->count; i++) {
        const WgCValTy *e = t->kind == WG_CT_TUPLE ? t->elems[i] : t->elems[0];
        if (t->kind == WG_CT_MAP) {
          /* a map entry: a tuple<K, V> */
          const JsonValue *kv = json_get(&v->items[i], "v");
          WgCVal *pair = P(2 * sizeof *pair);
          if (!kv || kv->count != 2 || !pair ||
              !to_val(&kv->items[0], t->elems[0], &pair[0], why) ||
              !to_val(&kv->items[1], t->elems[1], &pair[1], why))
            return false;
          items[i] = wg_cval_seq(WG_CVAL_TUPLE, pair, 2);
          continue;
        }
        if (!to_val(&v->items[i], e, &items[i], why)) return false;
      }
      *out = wg_cval_seq(t->kind == WG_CT_TUPLE ? WG_CVAL_TUPLE : WG_CVAL_LIST,
                         items, v->count);
      return true;
    }
    case WG_CT_RECORD: {
      WgCVal *items = P(t->count * sizeof *items);
      if (!items) return fail_why(why, "pool full");
      for (size_t i = 0; i < v->count; i++) {
        const JsonValue *f = &v->items[i];
        int at = label_index(t, f->items[0].text);
        if (at < 0) return fail_why(why, "no field %s", f->items[0].text);
        if (!to_val(&f->items[1], t->elems[at], &items[at], why)) return false;
      }
      *out = wg_cval_seq(WG_CVAL_RECORD, items, t->count);
      return true;
    }
    case WG_CT_VARIANT: {
      int at = label_index(t, v->items[0].text);
      if (at < 0) return fail_why(why, "no case %s", v->items[0].text);
      WgCVal *p = NULL;
      if (v->items[1].kind != JSON_NULL) {
        if (!(p = P(sizeof *p)) || !to_val(&v->items[1], t->elems[at], p, why))
          return false;
      }
      *out = wg_cval_case(WG_CVAL_VARIANT, (uint32_t)at, p);
      return true;
    }
    case WG_CT_ENUM: {
      int at = label_index(t, v->text);
      if (at < 0) return fail_why(why, "no case %s", v->text);
      *out = wg_cval_case(WG_CVAL_ENUM, (uint32_t)at, NULL);
      return true;
    }
    case WG_CT_OPTION: {
      if (v->kind == JSON_NULL) {
        *out = wg_cval_case(WG_CVAL_OPTION, 0, NULL);
        return true;
      }
      WgCVal *p = P(sizeof *p);
      if (!p || !to_val(v, t->elems[0], p, why)) return false;
      *out = wg_cval_case(WG_CVAL_OPTION, 1, p);
      return true;
    }
    case WG_CT_RESULT: {
      uint32_t c = strcmp(k, "err") == 0;
      WgCVal *p = NULL;
      if (v->kind != JSON_NULL) {
        if (!t->elems[c]) return fail_why(why, "result case without payload");
        if (!(p = P(sizeof *p)) || !to_val(v, t->elems[c], p, why))
          return false;
      }
      *out = wg_cval_case(WG_CVAL_RESULT, c, p);
      return true;
    }
    case WG_CT_FLAGS: {
      uint32_t bits = 0;
      for (size_t i = 0; i < v->count; i++) {
        int at = label_index(t, v->items[i].text);
        if (at < 0) return fail_why(why, "no flag %s", v->items[i].text);
        bits |= 1u << at;
      }
      *out = wg_cval_flags(bits);
      return true;
    }
    default:
      return fail_why(why, "unsupported type");
  }
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
    pool_used = 0;
    WgCVal *av = P((args->count ? args->count : 1) * sizeof *av);
    char why[256] = "";
    bool ok = args->count == ft->param_count;
    if (!ok) snprintf(why, sizeof why, "argument count");
    for (size_t a = 0; ok && a < args->count; a++)
      ok = to_val(&args->items[a], ft->params[a], &av[a], why);
    if (!ok) {
      report(at, false, "arguments: %s", why);
      continue;
    }
    WgCVal result;
    WgTrap *t =
        wg_component_func_call(f, av, args->count, &result, ft->result ? 1 : 0);
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
    WgBuf g = { 0 }, w = { 0 };
    if (!same) {
      wg_cval_print(&g, &result, ft->result);
      wg_cval_print(&w, &want, ft->result);
    }
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
