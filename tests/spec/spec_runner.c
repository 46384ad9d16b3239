/* SPDX-License-Identifier: Apache-2.0 */
/* WebAssembly spec-test runner over wast2json output.
 *
 * Usage: spec_runner [--verbose] [--wasm-2.0] FILE.json...
 * Each JSON file is one .wast script converted by wabt's wast2json; its
 * commands run in order against one store, with the `spectest` host module
 * as the reference interpreter defines it. Commands with modules in text
 * form (assert_malformed on .wat, which wast2json leaves to the text parser)
 * are skipped and counted as such. With --wasm-2.0 the engine refuses the
 * features beyond WebAssembly 2.0 (as the 2.0 suite expects), else it
 * accepts all that witgen implements. Prints one line per file and a total
 * `N passed, M failed, S skipped`; exit status 1 when M > 0.
 *
 * What passes: module/register/action succeed; assert_return results equal
 * the expected ones (NaN patterns nan:canonical / nan:arithmetic honoured);
 * assert_trap / assert_exhaustion trap with a message starting with the
 * expected text; assert_malformed / assert_invalid fail to load with the
 * matching status; assert_unlinkable fails to link; assert_uninstantiable
 * traps while instantiating. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "json.h"
#include "witgen/core_module.h"
#include "witgen/wasm.h"

/* WgFeature bits the engines refuse (--wasm-2.0: all of them). */
static uint32_t g_disabled_features;

typedef struct Named {
  char *name;
  WgInstance *instance;
} Named;

typedef struct Run {
  const char *dir; /* folder of the JSON file (module files are there) */
  const char *file;
  WgEngine *engine;
  WgStore *store;
  WgLinker *linker;
  WgInstance *current;
  Named *named;
  size_t named_count;
  int passed, failed, skipped;
  bool verbose;
} Run;

static void report(Run *r, int line, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(Run *r, int line, const char *what, const char *fmt, ...) {
  r->failed++;
  printf("  FAIL %s:%d %s: ", r->file, line, what);
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

/* ---- the spectest module ------------------------------------------------ */

static WgTrap *print_any(void *env, WgCaller *caller, const WgVal *args,
                         WgVal *results) {
  (void)env;
  (void)caller;
  (void)args;
  (void)results;
  return NULL;
}

static void define_spectest(Run *r) {
  static const struct {
    const char *name;
    WgValKind params[2];
    uint32_t count;
  } prints[] = {
    { "print", { WG_VAL_I32 }, 0 },
    { "print_i32", { WG_VAL_I32 }, 1 },
    { "print_i64", { WG_VAL_I64 }, 1 },
    { "print_f32", { WG_VAL_F32 }, 1 },
    { "print_f64", { WG_VAL_F64 }, 1 },
    { "print_i32_f32", { WG_VAL_I32, WG_VAL_F32 }, 2 },
    { "print_f64_f64", { WG_VAL_F64, WG_VAL_F64 }, 2 },
  };
  WgStr spectest = WG_STR("spectest");
  for (size_t i = 0; i < sizeof prints / sizeof *prints; i++) {
    WgFuncInst *f =
        wg_func_new_host(r->store, prints[i].params, prints[i].count, NULL, 0,
                         print_any, NULL, NULL);
    wg_linker_define(r->linker, spectest, wg_str_from_cstr(prints[i].name),
                     (WgExtern){ .kind = WG_WASM_EXTERN_FUNC, .of.func = f });
  }
  struct {
    const char *name;
    WgVal value;
  } globals[] = {
    { "global_i32", wg_val_i32(666) },
    { "global_i64", wg_val_i64(666) },
    { "global_f32", wg_val_f32(666.6f) },
    { "global_f64", wg_val_f64(666.6) },
  };
  for (size_t i = 0; i < 4; i++) {
    WgGlobalInst *g = wg_global_new(r->store, globals[i].value, false);
    wg_linker_define(
        r->linker, spectest, wg_str_from_cstr(globals[i].name),
        (WgExtern){ .kind = WG_WASM_EXTERN_GLOBAL, .of.global = g });
  }
  WgVal null_ref = { .kind = WG_VAL_FUNCREF, .of.funcref = NULL };
  WgTableInst *table =
      wg_table_new(r->store, WG_VAL_FUNCREF, 10, 20, true, null_ref);
  wg_linker_define(
      r->linker, spectest, WG_STR("table"),
      (WgExtern){ .kind = WG_WASM_EXTERN_TABLE, .of.table = table });
  WgMemInst *memory = wg_memory_new(r->store, 1, 2, true);
  wg_linker_define(
      r->linker, spectest, WG_STR("memory"),
      (WgExtern){ .kind = WG_WASM_EXTERN_MEMORY, .of.memory = memory });
}

/* ---- values ------------------------------------------------------------- */

static uint64_t parse_u64(const char *s) {
  return strtoull(s, NULL, 10);
}

/* externref N is passed as the host word N + 1 (0 means null). */
static void *extern_word(const char *s) {
  return (void *)(uintptr_t)(parse_u64(s) + 1);
}

static bool lane_bytes(const char *lane_type, unsigned *lane_size) {
  if (!strcmp(lane_type, "i8"))
    *lane_size = 1;
  else if (!strcmp(lane_type, "i16"))
    *lane_size = 2;
  else if (!strcmp(lane_type, "i32") || !strcmp(lane_type, "f32"))
    *lane_size = 4;
  else if (!strcmp(lane_type, "i64") || !strcmp(lane_type, "f64"))
    *lane_size = 8;
  else
    return false;
  return true;
}

static bool parse_value(const JsonValue *j, WgVal *out) {
  const char *type = json_get_str(j, "type");
  const JsonValue *value = json_get(j, "value");
  if (!type) return false;
  memset(out, 0, sizeof *out);
  if (!strcmp(type, "v128")) {
    const char *lt = json_get_str(j, "lane_type");
    unsigned size;
    if (!lt || !value || value->kind != JSON_ARRAY || !lane_bytes(lt, &size)) {
      return false;
    }
    out->kind = WG_VAL_V128;
    for (size_t i = 0; i < value->count && i * size < 16; i++) {
      uint64_t v = parse_u64(value->items[i].text);
      for (unsigned b = 0; b < size; b++) {
        out->of.v128[i * size + b] = (uint8_t)(v >> (8 * b));
      }
    }
    return true;
  }
  const char *text = value && value->kind == JSON_STRING ? value->text : NULL;
  if (!strcmp(type, "i32")) {
    *out = wg_val_i32((int32_t)(uint32_t)parse_u64(text ? text : "0"));
  } else if (!strcmp(type, "i64")) {
    *out = wg_val_i64((int64_t)parse_u64(text ? text : "0"));
  } else if (!strcmp(type, "f32")) {
    out->kind = WG_VAL_F32;
    out->of.f32_bits = (uint32_t)parse_u64(text ? text : "0");
  } else if (!strcmp(type, "f64")) {
    out->kind = WG_VAL_F64;
    out->of.f64_bits = parse_u64(text ? text : "0");
  } else if (!strcmp(type, "funcref")) {
    out->kind = WG_VAL_FUNCREF;
    out->of.funcref = NULL;
  } else if (!strcmp(type, "externref")) {
    out->kind = WG_VAL_EXTERNREF;
    out->of.externref =
        !text || !strcmp(text, "null") ? NULL : extern_word(text);
  } else {
    return false;
  }
  return true;
}

static bool nan_matches(const char *pattern, uint64_t bits, unsigned width) {
  uint64_t exp_mask = width == 32 ? 0x7f800000u : 0x7ff0000000000000u;
  uint64_t quiet = width == 32 ? 0x00400000u : 0x0008000000000000u;
  uint64_t payload = width == 32 ? 0x007fffffu : 0x000fffffffffffffu;
  if ((bits & exp_mask) != exp_mask || (bits & payload) == 0) return false;
  if (!strcmp(pattern, "nan:canonical")) return (bits & payload) == quiet;
  if (!strcmp(pattern, "nan:arithmetic")) return (bits & quiet) != 0;
  return false;
}

static bool float_matches(const char *expect, uint64_t bits, unsigned width) {
  if (!strncmp(expect, "nan:", 4)) return nan_matches(expect, bits, width);
  return parse_u64(expect) == bits;
}

/* Does `got` equal the expected JSON value? Writes a description of both
 * into `why` when not. */
static bool value_matches(const JsonValue *j, const WgVal *got, char *why,
                          size_t why_size) {
  const char *type = json_get_str(j, "type");
  const JsonValue *value = json_get(j, "value");
  const char *text = value && value->kind == JSON_STRING ? value->text : NULL;
  bool ok = false;
  if (!type) return false;
  if (!strcmp(type, "i32")) {
    ok = got->kind == WG_VAL_I32 &&
         (uint32_t)got->of.i32 == (uint32_t)parse_u64(text);
    snprintf(why, why_size, "expected i32 %s, got %u", text,
             (uint32_t)got->of.i32);
  } else if (!strcmp(type, "i64")) {
    ok = got->kind == WG_VAL_I64 && (uint64_t)got->of.i64 == parse_u64(text);
    snprintf(why, why_size, "expected i64 %s, got %llu", text,
             (unsigned long long)got->of.i64);
  } else if (!strcmp(type, "f32")) {
    ok = got->kind == WG_VAL_F32 && float_matches(text, got->of.f32_bits, 32);
    snprintf(why, why_size, "expected f32 %s, got bits %u", text,
             got->of.f32_bits);
  } else if (!strcmp(type, "f64")) {
    ok = got->kind == WG_VAL_F64 && float_matches(text, got->of.f64_bits, 64);
    snprintf(why, why_size, "expected f64 %s, got bits %llu", text,
             (unsigned long long)got->of.f64_bits);
  } else if (!strcmp(type, "v128")) {
    const char *lt = json_get_str(j, "lane_type");
    unsigned size;
    ok = got->kind == WG_VAL_V128 && lt && value && value->kind == JSON_ARRAY &&
         lane_bytes(lt, &size);
    for (size_t i = 0; ok && i < value->count && i * size < 16; i++) {
      uint64_t bits = 0;
      for (unsigned b = 0; b < size; b++) {
        bits |= (uint64_t)got->of.v128[i * size + b] << (8 * b);
      }
      const char *lane = value->items[i].text;
      if (lt[0] == 'f') {
        ok = float_matches(lane, bits, size * 8);
      } else {
        uint64_t want = parse_u64(lane);
        if (size < 8) want &= (1ull << (size * 8)) - 1;
        ok = bits == want;
      }
    }
    snprintf(why, why_size, "v128 (%s lanes) differs", lt ? lt : "?");
  } else if (!strcmp(type, "funcref")) {
    ok = got->kind == WG_VAL_FUNCREF &&
         ((text && !strcmp(text, "null")) == (got->of.funcref == NULL));
    snprintf(why, why_size, "expected funcref %s", text ? text : "(non-null)");
  } else if (!strcmp(type, "externref")) {
    void *want = !text || !strcmp(text, "null") ? NULL : extern_word(text);
    ok = got->kind == WG_VAL_EXTERNREF &&
         (text ? got->of.externref == want : got->of.externref != NULL);
    snprintf(why, why_size, "expected externref %s",
             text ? text : "(non-null)");
  } else {
    snprintf(why, why_size, "unknown expected type %s", type);
  }
  return ok;
}

/* ---- commands ----------------------------------------------------------- */

static WgInstance *instance_named(Run *r, const char *name) {
  if (!name) return r->current;
  for (size_t i = r->named_count; i-- > 0;) {
    if (!strcmp(r->named[i].name, name)) return r->named[i].instance;
  }
  return NULL;
}

static void remember(Run *r, const char *name, WgInstance *inst) {
  r->named = realloc(r->named, (r->named_count + 1) * sizeof *r->named);
  r->named[r->named_count].name = strdup(name);
  r->named[r->named_count++].instance = inst;
}

/* Loads the module file of a command; errors go to `diags`. */
static WgStatus load(Run *r, const JsonValue *cmd, WgWasmModule **out,
                     WgDiagList *diags) {
  *out = NULL;
  const char *filename = json_get_str(cmd, "filename");
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", r->dir, filename ? filename : "");
  uint8_t *bytes;
  size_t len;
  if (!filename || wg_file_read(path, &bytes, &len) != WG_OK) {
    wg_diag_list_addf(diags, WG_SEVERITY_ERROR, WG_ERR_IO, NULL,
                      "cannot read %s", filename ? filename : "(no file)");
    return WG_ERR_IO;
  }
  WgStatus st = wg_wasm_module_load(r->engine, bytes, len, out, diags);
  free(bytes);
  return st;
}

/* Runs an action; *trap is NULL on success. */
static bool act(Run *r, const JsonValue *action, WgVal *results,
                size_t *result_count, WgTrap **trap, char *why,
                size_t why_size) {
  *trap = NULL;
  const char *type = json_get_str(action, "type");
  const char *field = json_get_str(action, "field");
  const JsonValue *field_v = json_get(action, "field");
  WgInstance *inst = instance_named(r, json_get_str(action, "module"));
  WgExtern ext;
  /* names may hold NUL bytes: use the decoded length */
  if (!inst || !field ||
      !wg_instance_export(inst, (WgStr){ field_v->text, field_v->len }, &ext)) {
    snprintf(why, why_size, "no export \"%s\"", field ? field : "?");
    return false;
  }
  if (!strcmp(type, "get")) {
    if (ext.kind != WG_WASM_EXTERN_GLOBAL) {
      snprintf(why, why_size, "\"%s\" is not a global", field);
      return false;
    }
    results[0] = wg_global_get(ext.of.global);
    *result_count = 1;
    return true;
  }
  if (ext.kind != WG_WASM_EXTERN_FUNC) {
    snprintf(why, why_size, "\"%s\" is not a function", field);
    return false;
  }
  const JsonValue *args = json_get(action, "args");
  WgVal argv[64];
  size_t argc = args ? args->count : 0;
  if (argc > 64) return false;
  for (size_t i = 0; i < argc; i++) {
    if (!parse_value(&args->items[i], &argv[i])) {
      snprintf(why, why_size, "cannot parse argument %zu", i);
      return false;
    }
  }
  *result_count = wg_func_result_count(ext.of.func);
  if (*result_count > 64) return false;
  *trap =
      wg_func_call(r->store, ext.of.func, argv, argc, results, *result_count);
  return true;
}

/* Runs one command; its load and link errors go to `diags`. */
static void run_command(Run *r, const JsonValue *cmd, WgDiagList *diags) {
  const char *type = json_get_str(cmd, "type");
  const JsonValue *line_v = json_get(cmd, "line");
  int line = line_v && line_v->text ? atoi(line_v->text) : 0;
  WgWasmModule *mod = NULL;
  char why[512] = "";
  if (!type) return;

  if (!strcmp(type, "module")) {
    WgStatus st = load(r, cmd, &mod, diags);
    WgInstance *inst = NULL;
    if (st == WG_OK) st = wg_linker_instantiate(r->linker, mod, &inst, diags);
    wg_wasm_module_delete(mod);
    if (st != WG_OK) {
      report(r, line, "module", "%s: %s", wg_status_str(st),
             wg_diag_list_first_error(diags));
      r->current = NULL;
      return;
    }
    r->current = inst;
    const char *name = json_get_str(cmd, "name");
    if (name) remember(r, name, inst);
    r->passed++;
    return;
  }
  if (!strcmp(type, "register")) {
    WgInstance *inst = instance_named(r, json_get_str(cmd, "name"));
    const char *as = json_get_str(cmd, "as");
    if (!inst || !as ||
        wg_linker_define_instance(r->linker, wg_str_from_cstr(as), inst) !=
            WG_OK) {
      report(r, line, "register", "no such module");
      return;
    }
    r->passed++;
    return;
  }
  if (!strcmp(type, "assert_malformed") || !strcmp(type, "assert_invalid")) {
    const char *mt = json_get_str(cmd, "module_type");
    if (mt && strcmp(mt, "binary") != 0) {
      r->skipped++;
      return;
    }
    WgStatus want = type[7] == 'm' ? WG_ERR_MALFORMED : WG_ERR_INVALID;
    WgStatus st = load(r, cmd, &mod, diags);
    wg_wasm_module_delete(mod);
    if (st != want) {
      report(r, line, type, "expected %s (\"%s\"), got %s%s%s",
             wg_status_str(want), json_get_str(cmd, "text"), wg_status_str(st),
             st ? ": " : "", wg_diag_list_first_error(diags));
      return;
    }
    r->passed++;
    return;
  }
  if (!strcmp(type, "assert_unlinkable") ||
      !strcmp(type, "assert_uninstantiable")) {
    WgStatus want =
        type[7] == 'u' && type[9] == 'l' ? WG_ERR_UNLINKABLE : WG_ERR_TRAP;
    WgStatus st = load(r, cmd, &mod, diags);
    WgInstance *inst = NULL;
    if (st == WG_OK) st = wg_linker_instantiate(r->linker, mod, &inst, diags);
    wg_wasm_module_delete(mod);
    if (st != want) {
      report(r, line, type, "expected %s (\"%s\"), got %s %s",
             wg_status_str(want), json_get_str(cmd, "text"), wg_status_str(st),
             wg_diag_list_first_error(diags));
      return;
    }
    r->passed++;
    return;
  }
  const JsonValue *action = json_get(cmd, "action");
  if (!action) {
    report(r, line, type, "unknown command");
    return;
  }
  WgVal results[64];
  size_t count = 0;
  WgTrap *trap = NULL;
  if (!act(r, action, results, &count, &trap, why, sizeof why)) {
    report(r, line, type, "%s", why);
    return;
  }
  if (!strcmp(type, "action") || !strcmp(type, "assert_return")) {
    if (trap) {
      report(r, line, type, "trapped: %s", wg_trap_message(trap));
      wg_trap_delete(trap);
      return;
    }
    if (type[0] == 'a' && type[1] == 'c') {
      r->passed++;
      return;
    }
    const JsonValue *expected = json_get(cmd, "expected");
    size_t n = expected ? expected->count : 0;
    if (n != count) {
      report(r, line, type, "expected %zu results, got %zu", n, count);
      return;
    }
    for (size_t i = 0; i < n; i++) {
      if (!value_matches(&expected->items[i], &results[i], why, sizeof why)) {
        report(r, line, type, "%s \"%s\" result %zu: %s",
               json_get_str(action, "type"), json_get_str(action, "field"), i,
               why);
        return;
      }
    }
    r->passed++;
    return;
  }
  if (!strcmp(type, "assert_trap") || !strcmp(type, "assert_exhaustion")) {
    const char *text = json_get_str(cmd, "text");
    if (!trap) {
      report(r, line, type, "expected a trap \"%s\", returned normally", text);
      return;
    }
    const char *msg = wg_trap_message(trap);
    bool ok = !text || strncmp(msg, text, strlen(text)) == 0;
    if (!ok) {
      report(r, line, type, "expected trap \"%s\", got \"%s\"", text, msg);
    } else {
      r->passed++;
    }
    wg_trap_delete(trap);
    return;
  }
  wg_trap_delete(trap);
  report(r, line, type, "unknown command");
}

static bool run_file(Run *total, const char *path, bool verbose) {
  uint8_t *text;
  size_t len;
  if (wg_file_read(path, &text, &len) != WG_OK) {
    printf("%s: cannot read: %s\n", path, strerror(errno));
    total->failed++;
    return false;
  }
  char err[256];
  JsonValue *doc = json_parse((const char *)text, len, err, sizeof err);
  free(text);
  if (!doc) {
    printf("%s: %s\n", path, err);
    total->failed++;
    return false;
  }
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = '\0';
  else
    strcpy(dir, ".");
  const char *base = slash ? path + (slash - dir) + 1 : path;
  Run r = { 0 };
  r.dir = dir;
  r.file = base;
  r.verbose = verbose;
  WgEngineConfig config = { .disabled_features = g_disabled_features };
  r.engine = wg_engine_new(&config);
  r.store = wg_store_new(r.engine);
  r.linker = wg_linker_new(r.store);
  define_spectest(&r);
  const JsonValue *commands = json_get(doc, "commands");
  if (!commands || commands->count == 0) {
    report(&r, 0, "file", "no commands (did wast2json fail on it?)");
  }
  for (size_t i = 0; commands && i < commands->count; i++) {
    WgDiagList *diags = wg_diag_list_new();
    run_command(&r, &commands->items[i], diags);
    wg_diag_list_delete(diags);
  }
  printf("%s: %d passed, %d failed, %d skipped\n", base, r.passed, r.failed,
         r.skipped);
  total->passed += r.passed;
  total->failed += r.failed;
  total->skipped += r.skipped;
  for (size_t i = 0; i < r.named_count; i++)
    free(r.named[i].name);
  free(r.named);
  wg_linker_delete(r.linker);
  wg_store_delete(r.store);
  wg_engine_delete(r.engine);
  json_free(doc);
  return r.failed == 0;
}

int main(int argc, char **argv) {
  Run total = { 0 };
  bool verbose = false;
  int files = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--verbose")) {
      verbose = true;
      continue;
    }
    if (!strcmp(argv[i], "--wasm-2.0")) {
      g_disabled_features = WG_FEATURES_ALL;
      continue;
    }
    run_file(&total, argv[i], verbose);
    files++;
  }
  printf("spec: %d files: %d passed, %d failed, %d skipped (text-format "
         "modules)\n",
         files, total.passed, total.failed, total.skipped);
  return total.failed == 0 && total.passed > 0 ? 0 : 1;
}
