/* SPDX-License-Identifier: Apache-2.0 */
/* Runs spec-test scripts (see wast_run.h). The verdicts follow the spec
 * interpreter: a module command passes when the module instantiates;
 * assert_return compares results (NaN patterns nan:canonical and
 * nan:arithmetic honoured, per lane for vectors); assert_trap and
 * assert_exhaustion need a trap whose message starts with the expected
 * text; assert_malformed / assert_invalid need loading to fail with that
 * status (a quoted module that does not parse is malformed);
 * assert_unlinkable needs linking to fail; assert_uninstantiable a trap
 * while instantiating. Component commands are run by wast_component.c. */
#include "wast_run.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "file.h"
#include "wast_internal.h"
#include "witgen/component_binary.h"
#include "witgen/component_types.h"
#include "witgen/wasm.h"
#include "witgen/wat.h"

void wast_fail(Run *r, const char *fmt, ...) {
  r->counts.failed++;
  r->counts.by_kind[r->cmd->kind].failed++;
  fprintf(r->opt->out, "  FAIL %s:%u %.*s: ", r->path, r->cmd->line,
          (int)r->cmd->name.len, r->cmd->name.ptr);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(r->opt->out, fmt, ap);
  va_end(ap);
  fputc('\n', r->opt->out);
}

void wast_pass(Run *r) {
  r->counts.passed++;
  r->counts.by_kind[r->cmd->kind].passed++;
}

void wast_skip(Run *r, const char *why, bool listed) {
  r->counts.skipped++;
  r->counts.by_kind[r->cmd->kind].skipped++;
  char what[64];
  snprintf(what, sizeof what, "%.*s (%s)", (int)r->cmd->name.len,
           r->cmd->name.ptr, why);
  if (listed || r->opt->verbose)
    fprintf(r->opt->out, "  skip %s:%u %s\n", r->path, r->cmd->line, what);
  for (size_t i = 0; i < r->skip_count; i++) {
    if (!strcmp(r->skips[i].what, what)) {
      r->skips[i].count++;
      return;
    }
  }
  if (r->skip_count < sizeof r->skips / sizeof *r->skips) {
    WastSkip *s = &r->skips[r->skip_count++];
    memcpy(s->what, what, sizeof s->what);
    s->count = 1;
  }
}

static bool name_eq(WgStr a, WgStr b) {
  return a.len == b.len && (a.len == 0 || !memcmp(a.ptr, b.ptr, a.len));
}

Named *wast_find(Run *r, WgStr name) {
  for (size_t i = r->named_count; i-- > 0;)
    if (name_eq(r->named[i].name, name)) return &r->named[i];
  return NULL;
}

Named *wast_remember(Run *r, WgStr name) {
  if (r->named_count == r->named_cap) {
    size_t cap = r->named_cap ? r->named_cap * 2 : 16;
    Named *n = realloc(r->named, cap * sizeof *n);
    if (!n) return NULL;
    r->named = n;
    r->named_cap = cap;
  }
  Named *n = &r->named[r->named_count++];
  memset(n, 0, sizeof *n);
  n->name = name;
  return n;
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

static bool has_component_values(const WgWastValue *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (v[i].kind == WG_WAST_COMPONENT) return true;
  return false;
}

static WgVal to_val(const WgWastValue *v) {
  WgVal out;
  memset(&out, 0, sizeof out);
  switch (v->kind) {
    case WG_WAST_I32:
      return wg_val_i32((int32_t)(uint32_t)v->bits);
    case WG_WAST_I64:
      return wg_val_i64((int64_t)v->bits);
    case WG_WAST_F32:
      out.kind = WG_VAL_F32;
      out.of.f32_bits = (uint32_t)v->bits;
      return out;
    case WG_WAST_F64:
      out.kind = WG_VAL_F64;
      out.of.f64_bits = v->bits;
      return out;
    case WG_WAST_V128:
      out.kind = WG_VAL_V128;
      memcpy(out.of.v128, v->v128, 16);
      return out;
    case WG_WAST_REF_NULL:
      out.kind = v->heap == 0x6f ? WG_VAL_EXTERNREF : WG_VAL_FUNCREF;
      return out;
    case WG_WAST_REF_EXTERN:
      /* externref N is the host word N + 1 (0 is null) */
      out.kind = WG_VAL_EXTERNREF;
      out.of.externref = (void *)(uintptr_t)(v->bits + 1);
      return out;
    default:
      out.kind = WG_VAL_FUNCREF;
      return out;
  }
}

static bool nan_ok(uint8_t pattern, uint64_t bits, unsigned width) {
  uint64_t exp = width == 32 ? 0x7f800000u : 0x7ff0000000000000ull;
  uint64_t quiet = width == 32 ? 0x00400000u : 0x0008000000000000ull;
  uint64_t payload = width == 32 ? 0x007fffffu : 0x000fffffffffffffull;
  if ((bits & exp) != exp || (bits & payload) == 0) return false;
  if (pattern == WG_WAST_NAN_CANONICAL) return (bits & payload) == quiet;
  return (bits & quiet) != 0;
}

/* Does `got` match the expected value? Describes the mismatch in `why`. */
static bool matches(const WgWastValue *want, const WgVal *got, char *why,
                    size_t size) {
  switch (want->kind) {
    case WG_WAST_I32:
      snprintf(why, size, "expected i32 %u, got %u", (uint32_t)want->bits,
               (uint32_t)got->of.i32);
      return got->kind == WG_VAL_I32 &&
             (uint32_t)got->of.i32 == (uint32_t)want->bits;
    case WG_WAST_I64:
      snprintf(why, size, "expected i64 %llu, got %llu",
               (unsigned long long)want->bits, (unsigned long long)got->of.i64);
      return got->kind == WG_VAL_I64 && (uint64_t)got->of.i64 == want->bits;
    case WG_WAST_F32:
      snprintf(why, size, "expected f32 bits 0x%08x, got 0x%08x",
               (uint32_t)want->bits, got->of.f32_bits);
      if (got->kind != WG_VAL_F32) return false;
      return want->nan ? nan_ok(want->nan, got->of.f32_bits, 32)
                       : got->of.f32_bits == (uint32_t)want->bits;
    case WG_WAST_F64:
      snprintf(why, size, "expected f64 bits 0x%016llx, got 0x%016llx",
               (unsigned long long)want->bits,
               (unsigned long long)got->of.f64_bits);
      if (got->kind != WG_VAL_F64) return false;
      return want->nan ? nan_ok(want->nan, got->of.f64_bits, 64)
                       : got->of.f64_bits == want->bits;
    case WG_WAST_V128: {
      snprintf(why, size, "v128 differs");
      if (got->kind != WG_VAL_V128) return false;
      unsigned bytes = want->lane_bits / 8, lanes = 16 / bytes;
      for (unsigned l = 0; l < lanes; l++) {
        uint64_t a = 0, b = 0;
        for (unsigned k = 0; k < bytes; k++) {
          a |= (uint64_t)got->of.v128[l * bytes + k] << (8 * k);
          b |= (uint64_t)want->v128[l * bytes + k] << (8 * k);
        }
        if (want->lane_float && want->lane_nan[l]) {
          if (!nan_ok(want->lane_nan[l], a, want->lane_bits)) return false;
        } else if (a != b) {
          return false;
        }
      }
      return true;
    }
    case WG_WAST_REF_NULL:
      snprintf(why, size, "expected a null reference");
      if (want->heap == 0x6f)
        return got->kind == WG_VAL_EXTERNREF && !got->of.externref;
      if (want->heap == 0x70)
        return got->kind == WG_VAL_FUNCREF && !got->of.funcref;
      return (got->kind == WG_VAL_FUNCREF && !got->of.funcref) ||
             (got->kind == WG_VAL_EXTERNREF && !got->of.externref);
    case WG_WAST_REF_EXTERN:
      snprintf(why, size, "expected externref %llu",
               (unsigned long long)want->bits);
      if (got->kind != WG_VAL_EXTERNREF || !got->of.externref) return false;
      return !want->has_bits ||
             got->of.externref == (void *)(uintptr_t)(want->bits + 1);
    case WG_WAST_REF_FUNC:
      snprintf(why, size, "expected a non-null funcref");
      return got->kind == WG_VAL_FUNCREF && got->of.funcref;
    case WG_WAST_COMPONENT:
      break;
  }
  snprintf(why, size, "cannot compare");
  return false;
}

/* ---- commands ----------------------------------------------------------- */

/* The message of a failed load or instantiation. */
typedef struct Err {
  char message[512];
} Err;

/* Copies the first error of `diags` into `err` and frees `diags`. */
static WgStatus take_error(WgStatus st, WgDiagList *diags, Err *err) {
  snprintf(err->message, sizeof err->message, "%s",
           diags ? wg_diag_list_first_error(diags) : "out of memory");
  wg_diag_list_delete(diags);
  return st;
}

static WgStatus load(Run *r, const WgWastModule *m, WgWasmModule **out,
                     Err *err) {
  *out = NULL;
  memset(err, 0, sizeof *err);
  if (m->status != WG_OK) {
    snprintf(err->message, sizeof err->message, "%s", m->error);
    return m->status;
  }
  WgDiagList *diags = wg_diag_list_new();
  return take_error(
      wg_wasm_module_load(r->engine, m->bytes, m->len, out, diags), diags, err);
}

static WgStatus instantiate(Run *r, WgWasmModule *mod, WgInstance **inst,
                            Err *err) {
  WgDiagList *diags = wg_diag_list_new();
  return take_error(wg_linker_instantiate(r->linker, mod, inst, diags), diags,
                    err);
}

/* The instance an action or register names (empty: the latest); false
 * when no module has that name. */
static bool target(Run *r, WgStr name, bool *is_component, WgInstance **inst,
                   WgComponentInstance **cinst, const char **skipped) {
  if (name.len) {
    Named *n = wast_find(r, name);
    if (!n) return false;
    *is_component = n->is_component;
    *inst = n->instance;
    *cinst = n->cinstance;
    *skipped = n->skipped;
    return true;
  }
  *is_component = r->current_component;
  *inst = r->current;
  *cinst = r->ccurrent;
  *skipped = r->current_skipped;
  return true;
}

static void cmd_module(Run *r, const WgWastCommand *c) {
  const WgWastModule *m = &c->module;
  if (m->is_component) {
    wast_component_module(r, c);
    return;
  }
  WgWasmModule *mod;
  Err err;
  WgStatus st = load(r, m, &mod, &err);
  if (st != WG_OK) {
    wast_fail(r, "%s: %s", wg_status_str(st), err.message);
    r->current = NULL;
    r->current_component = false;
    return;
  }
  if (c->kind == WG_WAST_MODULE_DEFINITION) {
    Named *n = m->id.len ? wast_remember(r, m->id) : NULL;
    if (n) {
      n->definition = mod;
    } else {
      wg_wasm_module_delete(mod);
    }
    wast_pass(r);
    return;
  }
  WgInstance *inst = NULL;
  st = instantiate(r, mod, &inst, &err);
  wg_wasm_module_delete(mod);
  r->current_component = false;
  if (st != WG_OK) {
    wast_fail(r, "%s: %s", wg_status_str(st), err.message);
    r->current = NULL;
    return;
  }
  r->current = inst;
  if (m->id.len) {
    Named *n = wast_remember(r, m->id);
    if (n) n->instance = inst;
  }
  wast_pass(r);
}

static void cmd_instance(Run *r, const WgWastCommand *c) {
  Named *def = c->module.id.len ? wast_find(r, c->module.id) : NULL;
  if (def && def->is_component) {
    wast_component_instance(r, c, def);
    return;
  }
  if (!def || !def->definition) {
    wast_fail(r, "no module definition named $%.*s", (int)c->module.id.len,
              c->module.id.ptr);
    return;
  }
  WgInstance *inst = NULL;
  Err err;
  WgStatus st = instantiate(r, def->definition, &inst, &err);
  r->current_component = false;
  if (st != WG_OK) {
    wast_fail(r, "%s: %s", wg_status_str(st), err.message);
    r->current = NULL;
    return;
  }
  r->current = inst;
  if (c->instance.len) {
    Named *n = wast_remember(r, c->instance);
    if (n) n->instance = inst;
  }
  wast_pass(r);
}

static void cmd_register(Run *r, const WgWastCommand *c) {
  bool comp = false;
  WgInstance *inst = NULL;
  WgComponentInstance *cinst = NULL;
  const char *skipped = NULL;
  if (!target(r, c->module.id, &comp, &inst, &cinst, &skipped)) {
    wast_fail(r, "no module named $%.*s", (int)c->module.id.len,
              c->module.id.ptr);
    return;
  }
  if (comp) {
    wast_component_register(r, c, cinst, skipped);
    return;
  }
  if (!inst ||
      wg_linker_define_instance(r->linker, c->register_as, inst) != WG_OK) {
    wast_fail(r, "no module to register");
    return;
  }
  wast_pass(r);
}

/* Runs the action of `c`; returns false (reported or skipped) when it
 * could not be run at all. */
static bool act(Run *r, const WgWastCommand *c, WgVal *results, size_t *count,
                WgTrap **trap) {
  const WgWastAction *a = &c->action;
  *trap = NULL;
  bool comp = false;
  WgInstance *inst = NULL;
  WgComponentInstance *cinst = NULL;
  const char *skipped = NULL;
  if (!target(r, a->module, &comp, &inst, &cinst, &skipped)) {
    wast_fail(r, "no module named $%.*s", (int)a->module.len, a->module.ptr);
    return false;
  }
  if (comp) {
    wast_component_action(r, c, cinst, skipped);
    return false;
  }
  if (has_component_values(a->args, a->arg_count) ||
      has_component_values(c->results, c->result_count)) {
    wast_fail(r, "component values given to a core module's export");
    return false;
  }
  WgExtern ext;
  if (!inst || !wg_instance_export(inst, a->name, &ext)) {
    wast_fail(r, "no export \"%.*s\"", (int)a->name.len, a->name.ptr);
    return false;
  }
  if (a->is_get) {
    if (ext.kind != WG_WASM_EXTERN_GLOBAL) {
      wast_fail(r, "\"%.*s\" is not a global", (int)a->name.len, a->name.ptr);
      return false;
    }
    results[0] = wg_global_get(ext.of.global);
    *count = 1;
    return true;
  }
  if (ext.kind != WG_WASM_EXTERN_FUNC) {
    wast_fail(r, "\"%.*s\" is not a function", (int)a->name.len, a->name.ptr);
    return false;
  }
  WgVal args[64];
  if (a->arg_count > 64) {
    wast_fail(r, "too many arguments");
    return false;
  }
  for (size_t i = 0; i < a->arg_count; i++)
    args[i] = to_val(&a->args[i]);
  *count = wg_func_result_count(ext.of.func);
  if (*count > 64) {
    wast_fail(r, "too many results");
    return false;
  }
  *trap =
      wg_func_call(r->store, ext.of.func, args, a->arg_count, results, *count);
  return true;
}

static void cmd_action(Run *r, const WgWastCommand *c) {
  WgVal results[64];
  size_t count = 0;
  WgTrap *trap;
  if (!act(r, c, results, &count, &trap)) return;
  if (c->kind == WG_WAST_ASSERT_TRAP || c->kind == WG_WAST_ASSERT_EXHAUSTION) {
    if (!trap) {
      wast_fail(r, "expected a trap \"%.*s\", returned normally",
                (int)c->text.len, c->text.ptr);
      return;
    }
    const char *msg = wg_trap_message(trap);
    if (strncmp(msg, c->text.ptr, c->text.len) != 0) {
      wast_fail(r, "expected trap \"%.*s\", got \"%s\"", (int)c->text.len,
                c->text.ptr, msg);
    } else {
      wast_pass(r);
    }
    wg_trap_delete(trap);
    return;
  }
  if (trap) {
    wast_fail(r, "trapped: %s", wg_trap_message(trap));
    wg_trap_delete(trap);
    return;
  }
  if (c->kind == WG_WAST_ACTION) {
    wast_pass(r);
    return;
  }
  if (count != c->result_count) {
    wast_fail(r, "expected %zu results, got %zu", c->result_count, count);
    return;
  }
  for (size_t i = 0; i < count; i++) {
    char why[160];
    if (!matches(&c->results[i], &results[i], why, sizeof why)) {
      wast_fail(r, "\"%.*s\" result %zu: %s", (int)c->action.name.len,
                c->action.name.ptr, i, why);
      return;
    }
  }
  wast_pass(r);
}

/* assert_invalid / assert_malformed. */
static void cmd_rejected(Run *r, const WgWastCommand *c) {
  const WgWastModule *m = &c->module;
  bool malformed = c->kind == WG_WAST_ASSERT_MALFORMED;
  if (m->status != WG_OK) {
    /* the text does not parse */
    if (malformed) {
      wast_pass(r);
    } else {
      wast_fail(r, "expected invalid (\"%.*s\"), the text does not parse: %s",
                (int)c->text.len, c->text.ptr, m->error);
    }
    return;
  }
  if (m->is_component) {
    char err[256];
    WgStatus st = wast_check_component(m, err, sizeof err);
    if (st == WG_OK) {
      wast_fail(r, "expected %s (\"%.*s\"), the component is valid",
                malformed ? "malformed" : "invalid", (int)c->text.len,
                c->text.ptr);
    } else if (malformed && st != WG_ERR_MALFORMED) {
      wast_fail(r, "expected malformed (\"%.*s\"), got %s: %s",
                (int)c->text.len, c->text.ptr, wg_status_str(st), err);
    } else {
      wast_pass(r);
    }
    return;
  }
  WgStatus want = malformed ? WG_ERR_MALFORMED : WG_ERR_INVALID;
  WgWasmModule *mod;
  Err err;
  WgStatus st = load(r, m, &mod, &err);
  wg_wasm_module_delete(mod);
  if (st != want) {
    wast_fail(r, "expected %s (\"%.*s\"), got %s%s%s", wg_status_str(want),
              (int)c->text.len, c->text.ptr, wg_status_str(st), st ? ": " : "",
              st ? err.message : "");
    return;
  }
  wast_pass(r);
}

/* assert_unlinkable / assert_uninstantiable / assert_trap of a module. */
static void cmd_instantiate_fails(Run *r, const WgWastCommand *c) {
  const WgWastModule *m = &c->module;
  if (m->is_component) {
    wast_component_fails(r, c);
    return;
  }
  WgStatus want =
      c->kind == WG_WAST_ASSERT_UNLINKABLE ? WG_ERR_UNLINKABLE : WG_ERR_TRAP;
  WgWasmModule *mod;
  Err err;
  WgStatus st = load(r, m, &mod, &err);
  WgInstance *inst = NULL;
  if (st == WG_OK) st = instantiate(r, mod, &inst, &err);
  wg_wasm_module_delete(mod);
  if (st != want) {
    wast_fail(r, "expected %s (\"%.*s\"), got %s %s", wg_status_str(want),
              (int)c->text.len, c->text.ptr, wg_status_str(st),
              st ? err.message : "");
    return;
  }
  wast_pass(r);
}

static void run_command(Run *r, const WgWastCommand *c) {
  r->cmd = c;
  switch (c->kind) {
    case WG_WAST_MODULE:
    case WG_WAST_MODULE_DEFINITION:
      cmd_module(r, c);
      break;
    case WG_WAST_MODULE_INSTANCE:
      cmd_instance(r, c);
      break;
    case WG_WAST_REGISTER:
      cmd_register(r, c);
      break;
    case WG_WAST_ACTION:
    case WG_WAST_ASSERT_RETURN:
    case WG_WAST_ASSERT_EXHAUSTION:
      cmd_action(r, c);
      break;
    case WG_WAST_ASSERT_TRAP:
      if (c->has_module)
        cmd_instantiate_fails(r, c);
      else
        cmd_action(r, c);
      break;
    case WG_WAST_ASSERT_INVALID:
    case WG_WAST_ASSERT_MALFORMED:
      cmd_rejected(r, c);
      break;
    case WG_WAST_ASSERT_UNLINKABLE:
    case WG_WAST_ASSERT_UNINSTANTIABLE:
      cmd_instantiate_fails(r, c);
      break;
    case WG_WAST_OTHER:
      wast_skip(r, "not supported", false);
      break;
  }
}

bool wast_run_file(const char *path, const WastOptions *opt,
                   WastCounts *total) {
  uint8_t *text = NULL;
  size_t len = 0;
  if (cli_read_input(path, &text, &len) != CLI_OK) {
    total->failed++;
    return false;
  }
  WgDiagList *diags = wg_diag_list_new();
  WgWast *w = NULL;
  WgStatus st =
      wg_wast_parse((WgStr){ (const char *)text, len }, path, diags, &w);
  free(text);
  if (st != WG_OK) {
    if (diags) wg_diag_list_print(diags, opt->out);
    fprintf(opt->out, "%s: cannot read the script (%s)\n", path,
            wg_status_str(st));
    wg_diag_list_delete(diags);
    total->failed++;
    return false;
  }
  wg_diag_list_delete(diags);
  Run r;
  memset(&r, 0, sizeof r);
  r.path = path;
  r.opt = opt;
  WgEngineConfig config = { .disabled_features = opt->disabled_features };
  r.engine = wg_engine_new(&config);
  r.store = wg_store_new(r.engine);
  r.linker = wg_linker_new(r.store);
  r.clinker = wg_component_linker_new(r.engine, NULL);
  define_spectest(&r);
  for (size_t i = 0; i < wg_wast_count(w); i++)
    run_command(&r, wg_wast_command(w, i));
  fprintf(opt->out, "%s: %d passed, %d failed, %d skipped\n", path,
          r.counts.passed, r.counts.failed, r.counts.skipped);
  for (size_t i = 0; i < r.skip_count; i++)
    fprintf(opt->out, "  skipped %d: %s\n", r.skips[i].count, r.skips[i].what);
  total->passed += r.counts.passed;
  total->failed += r.counts.failed;
  total->skipped += r.counts.skipped;
  for (int k = 0; k < 16; k++) {
    total->by_kind[k].passed += r.counts.by_kind[k].passed;
    total->by_kind[k].failed += r.counts.by_kind[k].failed;
    total->by_kind[k].skipped += r.counts.by_kind[k].skipped;
  }
  for (size_t i = 0; i < r.named_count; i++) {
    wg_wasm_module_delete(r.named[i].definition);
    wg_wasm_component_delete(r.named[i].cdefinition);
  }
  free(r.named);
  wg_linker_delete(r.linker);
  wg_component_linker_delete(r.clinker);
  wg_store_delete(r.store);
  wg_engine_delete(r.engine);
  wg_wast_delete(w);
  return true;
}

void wast_print_kinds(const WastCounts *c, FILE *out) {
  static const char *const names[] = {
    "module",
    "module definition",
    "module instance",
    "register",
    "action",
    "assert_return",
    "assert_trap",
    "assert_exhaustion",
    "assert_invalid",
    "assert_malformed",
    "assert_unlinkable",
    "assert_uninstantiable",
    "other",
  };
  for (int k = 0; k <= WG_WAST_OTHER; k++) {
    const WastKindCounts *n = &c->by_kind[k];
    if (!n->passed && !n->failed && !n->skipped) continue;
    fprintf(out, "  %-22s %6d passed, %4d failed, %5d skipped\n", names[k],
            n->passed, n->failed, n->skipped);
  }
}
