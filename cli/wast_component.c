/* SPDX-License-Identifier: Apache-2.0 */
/* The component commands of spec-test scripts, run on witgen's component
 * runtime (witgen/component.h): `(component ...)` and `(component
 * definition ...)` load and instantiate, `(component instance $i $d)`
 * instantiates a definition, `register` makes an instance's exports
 * importable by later components (wg_component_linker_define_instance),
 * `invoke` / assert_return / assert_trap call exports with values read
 * from the script's forms (wg_cval_parse_wast) and compare results
 * (wg_cval_equal), assert_unlinkable / assert_uninstantiable / assert_trap
 * of a component check instantiation. A trap passes when its message
 * contains the expected text (as wasmtime's harness checks it). What needs
 * the async ABI, which the runtime does not run, is skipped and listed
 * with its line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wast_internal.h"

static const char ASYNC[] = "needs the async ABI";

WgStatus wast_check_component(const WgWastModule *m, char *err, size_t size) {
  if (m->status != WG_OK) {
    snprintf(err, size, "%s", m->error);
    return m->status;
  }
  WgDiagList *diags = wg_diag_list_new();
  WgComponent *c = NULL;
  WgStatus st =
      wg_component_decode(m->bytes, m->len, (WgAllocator){ 0 }, &c, diags);
  if (st == WG_OK) {
    WgCTypes *types = wg_ctypes_new((WgAllocator){ 0 });
    const WgCScope *scope = NULL;
    st = types ? wg_component_validate(types, c, NULL, &scope, diags)
               : WG_ERR_NOMEM;
    wg_ctypes_delete(types);
    wg_component_free(c);
  }
  if (st != WG_OK) {
    const WgDiag *d =
        diags && wg_diag_list_count(diags) ? wg_diag_list_get(diags, 0) : NULL;
    if (d && d->has_offset)
      snprintf(err, size, "offset %llu: %s", (unsigned long long)d->offset,
               d->message);
    else
      snprintf(err, size, "%s", d ? d->message : wg_status_str(st));
  }
  wg_diag_list_delete(diags);
  return st;
}

/* Does a message say the async ABI is what is missing? */
static bool about_async(const char *msg) {
  return strstr(msg, "async") || strstr(msg, "stream") ||
         strstr(msg, "future") || strstr(msg, "error-context");
}

/* Instances an async trap poisoned: what follows in them is skipped too. */
static bool async_poisoned(Run *r, const WgComponentInstance *inst) {
  for (size_t i = 0; i < r->async_poisoned_count; i++)
    if (r->async_poisoned[i] == inst) return true;
  return false;
}

static void mark_async_poisoned(Run *r, WgComponentInstance *inst) {
  if (r->async_poisoned_count <
      sizeof r->async_poisoned / sizeof *r->async_poisoned)
    r->async_poisoned[r->async_poisoned_count++] = inst;
}

/* Loads the component of `m`. WG_OK, or the status with the message. */
static WgStatus load(Run *r, const WgWastModule *m, WgWasmComponent **out,
                     char *err, size_t size) {
  *out = NULL;
  if (m->status != WG_OK) {
    snprintf(err, size, "%s", m->error);
    return m->status;
  }
  WgDiagList *d = wg_diag_list_new();
  WgStatus st = wg_wasm_component_load(r->engine, m->bytes, m->len, out, d);
  if (st != WG_OK)
    snprintf(err, size, "%s", d ? wg_diag_list_first_error(d) : "no memory");
  wg_diag_list_delete(d);
  return st;
}

static WgStatus instantiate(Run *r, WgWasmComponent *comp,
                            WgComponentInstance **out, char *err, size_t size) {
  *out = NULL;
  WgDiagList *d = wg_diag_list_new();
  WgStatus st =
      wg_component_linker_instantiate(r->clinker, r->store, comp, out, d);
  if (st != WG_OK)
    snprintf(err, size, "%s", d ? wg_diag_list_first_error(d) : "no memory");
  wg_diag_list_delete(d);
  return st;
}

/* A component that did not load: skipped when it needs the async ABI
 * (returns that reason), a failure otherwise (returns NULL). */
static const char *not_loaded(Run *r, WgStatus st, const char *err) {
  if (st == WG_ERR_UNSUPPORTED && about_async(err)) {
    wast_skip(r, ASYNC, true);
    return ASYNC;
  }
  wast_fail(r, "%s: %s", wg_status_str(st), err);
  return NULL;
}

/* Instantiates `comp` as the script's current component (and as `n`). */
static void make_current(Run *r, WgWasmComponent *comp, Named *n) {
  char err[512];
  WgComponentInstance *inst = NULL;
  WgStatus st = instantiate(r, comp, &inst, err, sizeof err);
  if (st != WG_OK) {
    if (strstr(err, ASYNC)) {
      /* a start function reached an async built-in */
      wast_skip(r, ASYNC, true);
      r->current_skipped = ASYNC;
      if (n) n->skipped = ASYNC;
      return;
    }
    wast_fail(r, "%s: %s", wg_status_str(st), err);
    return;
  }
  r->ccurrent = inst;
  if (n) n->cinstance = inst;
  wast_pass(r);
}

void wast_component_module(Run *r, const WgWastCommand *c) {
  const WgWastModule *m = &c->module;
  r->current_component = true;
  r->current = NULL;
  r->ccurrent = NULL;
  r->current_skipped = NULL;
  Named *n = m->id.len ? wast_remember(r, m->id) : NULL;
  if (n) n->is_component = true;
  char err[512];
  WgWasmComponent *comp = NULL;
  WgStatus st = load(r, m, &comp, err, sizeof err);
  if (st != WG_OK) {
    r->current_skipped = not_loaded(r, st, err);
    if (n) n->skipped = r->current_skipped;
    return;
  }
  if (c->kind == WG_WAST_MODULE_DEFINITION) {
    if (n)
      n->cdefinition = comp;
    else
      wg_wasm_component_delete(comp);
    wast_pass(r);
    return;
  }
  make_current(r, comp, n);
  wg_wasm_component_delete(comp); /* its instance keeps it */
}

void wast_component_instance(Run *r, const WgWastCommand *c, Named *def) {
  /* read `def` before remembering: the table may move */
  WgWasmComponent *comp = def->cdefinition;
  const char *skipped = def->skipped;
  r->current_component = true;
  r->current = NULL;
  r->ccurrent = NULL;
  r->current_skipped = skipped;
  Named *n = c->instance.len ? wast_remember(r, c->instance) : NULL;
  if (n) {
    n->is_component = true;
    n->skipped = skipped;
  }
  if (!comp) {
    if (skipped)
      wast_skip(r, skipped, true);
    else
      wast_fail(r, "no component definition named $%.*s", (int)c->module.id.len,
                c->module.id.ptr);
    return;
  }
  make_current(r, comp, n);
}

void wast_component_register(Run *r, const WgWastCommand *c,
                             WgComponentInstance *inst, const char *skipped) {
  if (!inst) {
    if (skipped)
      wast_skip(r, skipped, true);
    else
      wast_fail(r, "no component instance to register");
    return;
  }
  WgDiagList *d = wg_diag_list_new();
  WgStatus st = wg_component_linker_define_instance(r->clinker, c->register_as,
                                                    inst, WG_STR(""), d);
  if (st != WG_OK)
    wast_fail(r, "cannot register: %s", d ? wg_diag_list_first_error(d) : "");
  else
    wast_pass(r);
  wg_diag_list_delete(d);
}

/* Does the trap message contain the script's expected text? */
static bool message_has(const char *msg, WgStr want) {
  for (const char *p = msg; *p; p++)
    if (strncmp(p, want.ptr, want.len) == 0) return true;
  return want.len == 0;
}

/* Reads value `v` of the script as a value of `t`. */
static bool read_value(Run *r, const WgWastValue *v, const WgCValTy *t,
                       WgCVal *out, const char *what, size_t i) {
  WgDiagList *d = wg_diag_list_new();
  WgStatus st = wg_cval_parse_wast(v->text, t, NULL, out, d);
  if (st != WG_OK) {
    WgBuf ty = { 0 };
    wg_cvalty_print(&ty, t);
    wast_fail(r, "%s %zu (%s): %s", what, i, ty.data ? ty.data : "?",
              d ? wg_diag_list_first_error(d) : wg_status_str(st));
    wg_buf_free(&ty);
  }
  wg_diag_list_delete(d);
  return st == WG_OK;
}

/* The verdict of an assert_return once the call returned `result`. */
static void check_result(Run *r, const WgWastCommand *c, const WgCFuncTy *ft,
                         const WgCVal *result) {
  size_t have = ft->result ? 1 : 0;
  if (c->result_count != have) {
    wast_fail(r, "expected %zu results, the function returns %zu",
              c->result_count, have);
    return;
  }
  if (!have) {
    wast_pass(r);
    return;
  }
  WgCVal want;
  if (!read_value(r, &c->results[0], ft->result, &want, "result", 0)) return;
  if (wg_cval_equal(result, &want)) {
    wast_pass(r);
  } else {
    WgBuf g = { 0 }, w = { 0 };
    wg_cval_print(&g, result, ft->result);
    wg_cval_print(&w, &want, ft->result);
    wast_fail(r, "\"%.*s\" returned %s, expected %s", (int)c->action.name.len,
              c->action.name.ptr, g.data ? g.data : "", w.data ? w.data : "");
    wg_buf_free(&g);
    wg_buf_free(&w);
  }
  wg_cval_free(&want);
}

void wast_component_action(Run *r, const WgWastCommand *c,
                           WgComponentInstance *inst, const char *skipped) {
  const WgWastAction *a = &c->action;
  if (!inst) {
    if (skipped)
      wast_skip(r, skipped, true);
    else
      wast_fail(r, "no component instance (it failed to load or instantiate)");
    return;
  }
  if (async_poisoned(r, inst)) {
    wast_skip(r, ASYNC, true);
    return;
  }
  if (a->is_get) {
    wast_fail(r, "`get` of a component");
    return;
  }
  WgComponentFunc *f = wg_component_instance_func(inst, a->name);
  if (!f) {
    wast_fail(r, "no export \"%.*s\"", (int)a->name.len, a->name.ptr);
    return;
  }
  const WgCFuncTy *ft = wg_component_func_type(f);
  if (a->arg_count != ft->param_count) {
    wast_fail(r, "%zu arguments given, \"%.*s\" takes %u", a->arg_count,
              (int)a->name.len, a->name.ptr, ft->param_count);
    return;
  }
  WgCVal *args = calloc(a->arg_count + 1, sizeof *args);
  if (!args) {
    wast_fail(r, "out of memory");
    return;
  }
  size_t ok = 0;
  while (ok < a->arg_count &&
         read_value(r, &a->args[ok], ft->params[ok], &args[ok], "argument", ok))
    ok++;
  if (ok < a->arg_count) {
    for (size_t i = 0; i < ok; i++)
      wg_cval_free(&args[i]);
    free(args);
    return;
  }
  WgCVal result;
  WgTrap *t = wg_component_func_call(f, args, a->arg_count, &result,
                                     ft->result ? 1 : 0);
  for (size_t i = 0; i < a->arg_count; i++)
    wg_cval_free(&args[i]);
  free(args);
  const char *msg = t ? wg_trap_message(t) : NULL;
  bool expects_trap =
      c->kind == WG_WAST_ASSERT_TRAP || c->kind == WG_WAST_ASSERT_EXHAUSTION;
  if (msg && strstr(msg, ASYNC) &&
      !(expects_trap && message_has(msg, c->text))) {
    wast_skip(r, ASYNC, true); /* an async built-in was reached */
    mark_async_poisoned(r, inst);
  } else if (expects_trap) {
    if (!t)
      wast_fail(r, "expected a trap \"%.*s\", returned normally",
                (int)c->text.len, c->text.ptr);
    else if (message_has(msg, c->text))
      wast_pass(r);
    else
      wast_fail(r, "expected trap \"%.*s\", got \"%s\"", (int)c->text.len,
                c->text.ptr, msg);
  } else if (t) {
    wast_fail(r, "trapped: %s", msg);
  } else if (c->kind == WG_WAST_ACTION) {
    wast_pass(r);
  } else {
    check_result(r, c, ft, &result);
  }
  wg_trap_delete(t);
}

void wast_component_fails(Run *r, const WgWastCommand *c) {
  const WgWastModule *m = &c->module;
  bool unlinkable = c->kind == WG_WAST_ASSERT_UNLINKABLE;
  char err[512];
  WgWasmComponent *comp = NULL;
  WgStatus st = load(r, m, &comp, err, sizeof err);
  if (st != WG_OK) {
    not_loaded(r, st, err);
    return;
  }
  WgComponentInstance *inst = NULL;
  st = instantiate(r, comp, &inst, err, sizeof err);
  wg_wasm_component_delete(comp);
  WgStatus want = unlinkable ? WG_ERR_UNLINKABLE : WG_ERR_TRAP;
  if (st == WG_ERR_TRAP && strstr(err, ASYNC) && !message_has(err, c->text)) {
    wast_skip(r, ASYNC, true);
  } else if (st != want) {
    wast_fail(r, "expected %s (\"%.*s\"), got %s%s%s", wg_status_str(want),
              (int)c->text.len, c->text.ptr, wg_status_str(st), st ? ": " : "",
              st ? err : "");
  } else if (!unlinkable && !message_has(err, c->text)) {
    wast_fail(r, "expected trap \"%.*s\", got \"%s\"", (int)c->text.len,
              c->text.ptr, err);
  } else {
    wast_pass(r);
  }
}
