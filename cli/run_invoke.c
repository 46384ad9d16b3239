/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen run COMPONENT.wasm --invoke EXPR...`: the expressions run in
 * one instance that run_component.c made (see run_component.h).
 *
 * An expression is a call in WAVE, `NAME(ARGS)`, optionally bound to a
 * variable, `$v = NAME(ARGS)`, whose value later expressions pass as
 * `$v`: that is how resource handles, which WAVE cannot write, travel
 * from one call to the next. NAME is an export's full name
 * (`greet`, `ns:pkg/iface#greet`, `ns:pkg/iface#[method]r.get`), or its
 * name inside its interface when that is unique (`greet`,
 * `[constructor]r`), with three shorthands for resources: `r.new(...)`
 * for `[constructor]r`, `r.f(...)` for `[static]r.f`, and `$v.m(...)` for
 * `[method]R.m($v, ...)` where R is the resource `$v` holds. `drop($v)`
 * drops a handle (its destructor runs); handles still held at the end are
 * dropped then. Results are printed one a line in WAVE (a bound result and
 * a function without results print nothing). A call that ends the program
 * through wasi:cli/exit ends the session with its exit status. */
#include "run_component.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "witgen/component.h"

typedef struct Var {
  char *name;
  WgCVal val;
  const WgCValTy *type;
} Var;

typedef struct Session {
  const char *path; /* the component file, for messages */
  WgWasmComponent *comp;
  WgComponentInstance *inst;
  WgStore *store;
  Var *vars;
  size_t var_count, var_cap;
  WgCVal *held; /* handles of results not bound: dropped at the end */
  size_t held_count, held_cap;
  char source[32]; /* the name expressions are reported under */
  bool exited;     /* wasi:cli/exit was called: the status is final */
} Session;

/* Section: variables */

static Var *find_var(Session *s, WgStr name) {
  for (size_t i = s->var_count; i-- > 0;)
    if (strlen(s->vars[i].name) == name.len &&
        memcmp(s->vars[i].name, name.ptr, name.len) == 0)
      return &s->vars[i];
  return NULL;
}

static const WgCVal *lookup(void *env, WgStr name) {
  Var *v = find_var(env, name);
  return v ? &v->val : NULL;
}

/* Binds a copy of `val` to `name` (a later binding of a name hides the
 * earlier one, whose handles are still dropped at the end). */
static bool bind(Session *s, WgStr name, const WgCVal *val,
                 const WgCValTy *type) {
  if (s->var_count == s->var_cap) {
    size_t cap = s->var_cap ? s->var_cap * 2 : 8;
    Var *n = realloc(s->vars, cap * sizeof *n);
    if (!n) return false;
    s->vars = n;
    s->var_cap = cap;
  }
  Var *v = &s->vars[s->var_count];
  v->name = malloc(name.len + 1);
  if (!v->name || wg_cval_clone(val, &v->val) != WG_OK) {
    free(v->name);
    return false;
  }
  memcpy(v->name, name.ptr, name.len);
  v->name[name.len] = 0;
  v->type = type;
  s->var_count++;
  return true;
}

/* Keeps the `own` handles inside `v` to drop them at the end. */
static void hold(Session *s, const WgCVal *v, int depth) {
  if (depth > 100) return;
  switch (v->kind) {
    case WG_CVAL_OWN:
      if (s->held_count == s->held_cap) {
        size_t cap = s->held_cap ? s->held_cap * 2 : 8;
        WgCVal *n = realloc(s->held, cap * sizeof *n);
        if (!n) return;
        s->held = n;
        s->held_cap = cap;
      }
      s->held[s->held_count++] = *v;
      return;
    case WG_CVAL_LIST:
    case WG_CVAL_RECORD:
    case WG_CVAL_TUPLE:
      for (size_t i = 0; i < v->of.seq.count; i++)
        hold(s, &v->of.seq.items[i], depth + 1);
      return;
    case WG_CVAL_VARIANT:
    case WG_CVAL_OPTION:
    case WG_CVAL_RESULT:
      if (v->of.cases.payload) hold(s, v->of.cases.payload, depth + 1);
      return;
    default:
      return;
  }
}

/* Drops every handle still held (the ones moved into the guest or dropped
 * already are refused as misuse: skipped). Returns the exit status. */
static int drop_all(Session *s) {
  int status = 0;
  for (size_t i = 0; i < s->var_count; i++)
    hold(s, &s->vars[i].val, 0);
  for (size_t i = s->held_count; i-- > 0;) {
    WgTrap *t = wg_component_resource_drop(s->store, &s->held[i]);
    if (t && wg_trap_kind(t) != WG_TRAP_MISUSE) {
      fflush(stdout);
      cli_fail("%s: trap while dropping a handle at exit: %s", s->path,
               wg_trap_message(t));
      status = RUN_EXIT_TRAP;
    }
    wg_trap_delete(t);
  }
  return status;
}

/* Section: finding the function */

static WgStr after_hash(WgStr name) {
  for (size_t i = name.len; i-- > 0;)
    if (name.ptr[i] == '#')
      return (WgStr){ name.ptr + i + 1, name.len - i - 1 };
  return name;
}

void run_list_exports(const char *path, const WgWasmComponent *comp,
                      bool say_none) {
  size_t n = wg_wasm_component_func_count(comp);
  if (!n) {
    if (say_none) cli_note("%s exports no functions", path);
    return;
  }
  fprintf(stderr, "witgen: note: %s exports:\n", path);
  for (size_t i = 0; i < n; i++) {
    WgStr name;
    const WgCFuncTy *ft;
    wg_wasm_component_func(comp, i, &name, &ft);
    WgBuf b = { 0 };
    wg_cfunc_print(&b, ft);
    fprintf(stderr, "  %.*s: %s\n", (int)name.len, name.ptr,
            b.data ? b.data : "func(...)");
    wg_buf_free(&b);
  }
}

/* The export named `want` exactly, else the one whose name inside its
 * interface is `want`. SIZE_MAX when none; `*ambiguous` counts the
 * candidates when several fit. */
static size_t find_func(Session *s, WgStr want, size_t *ambiguous) {
  size_t n = wg_wasm_component_func_count(s->comp), hit = SIZE_MAX, hits = 0;
  *ambiguous = 0;
  for (size_t i = 0; i < n; i++) {
    WgStr name;
    wg_wasm_component_func(s->comp, i, &name, NULL);
    if (wg_str_eq(name, want)) return i;
  }
  for (size_t i = 0; i < n; i++) {
    WgStr name;
    wg_wasm_component_func(s->comp, i, &name, NULL);
    if (wg_str_eq(after_hash(name), want)) {
      hit = i;
      hits++;
    }
  }
  if (hits > 1) {
    *ambiguous = hits;
    return SIZE_MAX;
  }
  return hit;
}

/* `prefix` + `[kind]` + `a` + `.` + `b` (b empty: no dot) into `buf`. */
static WgStr compose(char *buf, size_t size, WgStr prefix, const char *kind,
                     WgStr a, WgStr b) {
  int n =
      snprintf(buf, size, "%.*s[%s]%.*s%s%.*s", (int)prefix.len, prefix.ptr,
               kind, (int)a.len, a.ptr, b.len ? "." : "", (int)b.len, b.ptr);
  return (WgStr){ buf, n > 0 && (size_t)n < size ? (size_t)n : 0 };
}

/* Resolves a call target written by the user (no `$`): the name, or the
 * `r.new` / `r.f` shorthands. */
static size_t resolve(Session *s, WgStr target, size_t *ambiguous) {
  size_t i = find_func(s, target, ambiguous);
  if (i != SIZE_MAX || *ambiguous) return i;
  WgStr local = after_hash(target);
  WgStr prefix = { target.ptr, target.len - local.len };
  const char *dot = local.len && local.ptr[0] != '['
                        ? memchr(local.ptr, '.', local.len)
                        : NULL;
  if (!dot) return SIZE_MAX;
  WgStr r = { local.ptr, (size_t)(dot - local.ptr) };
  WgStr m = { dot + 1, local.len - r.len - 1 };
  char buf[512];
  i = find_func(s, compose(buf, sizeof buf, prefix, "static", r, m), ambiguous);
  if (i != SIZE_MAX || *ambiguous) return i;
  if (wg_str_eq(m, WG_STR("new")))
    i = find_func(
        s, compose(buf, sizeof buf, prefix, "constructor", r, (WgStr){ "", 0 }),
        ambiguous);
  return i;
}

/* Section: one expression */

static bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static size_t skip_ws(const char *t, size_t i) {
  while (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')
    i++;
  return i;
}

/* Reports a located error in expression `text` (like the value readers:
 * registered under the session's source name). */
static int expr_error(Session *s, const char *text, size_t start, size_t end,
                      const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int expr_error(Session *s, const char *text, size_t start, size_t end,
                      const char *fmt, ...) {
  WgDiagList *d = wg_diag_list_new();
  if (!d) return cli_fail("out of memory");
  uint32_t f = wg_diag_list_add_file(d, s->source, wg_str_from_cstr(text));
  WgSpan span = { f, (uint32_t)start, (uint32_t)(end > start ? end : start) };
  va_list ap;
  va_start(ap, fmt);
  wg_diag_list_vaddf(d, WG_SEVERITY_ERROR, WG_ERR_INVALID, &span, fmt, ap);
  va_end(ap);
  wg_diag_list_print(d, stderr);
  wg_diag_list_delete(d);
  return CLI_FAILED;
}

/* `drop($v)`. */
static int run_drop(Session *s, const char *text, size_t open) {
  size_t i = skip_ws(text, open + 1), start = i;
  if (text[i] != '$')
    return expr_error(s, text, i, i + 1, "drop takes a variable: `drop($v)`");
  size_t j = i + 1;
  while (is_name_char(text[j]))
    j++;
  Var *v = find_var(s, (WgStr){ text + i + 1, j - i - 1 });
  if (!v)
    return expr_error(s, text, start, j, "unknown variable `%.*s`",
                      (int)(j - start), text + start);
  j = skip_ws(text, j);
  if (text[j] != ')' || text[skip_ws(text, j + 1)])
    return expr_error(s, text, j, j + 1, "expected `)` after `drop($v`");
  if (v->val.kind != WG_CVAL_OWN)
    return expr_error(s, text, start, j, "`%s` does not hold an own handle",
                      v->name);
  WgTrap *t = wg_component_resource_drop(s->store, &v->val);
  if (t) {
    fflush(stdout);
    cli_fail("%s: trap: %s", text, wg_trap_message(t));
    int kind = wg_trap_kind(t);
    wg_trap_delete(t);
    return kind == WG_TRAP_MISUSE ? CLI_FAILED : RUN_EXIT_TRAP;
  }
  v->val = wg_cval_bool(false); /* dropped: nothing left to drop */
  return CLI_OK;
}

static int run_expr(Session *s, const char *text) {
  size_t len = strlen(text), i = skip_ws(text, 0);
  WgStr bind_name = { NULL, 0 };
  /* `$v = ...` */
  if (text[i] == '$') {
    size_t j = i + 1;
    while (is_name_char(text[j]))
      j++;
    size_t k = skip_ws(text, j);
    if (text[k] == '=') {
      if (j == i + 1)
        return expr_error(s, text, i, i + 1, "expected a name after `$`");
      bind_name = (WgStr){ text + i + 1, j - i - 1 };
      i = skip_ws(text, k + 1);
    }
  }
  const char *open = strchr(text + i, '(');
  size_t end = open ? (size_t)(open - text) : len;
  while (end > i && (text[end - 1] == ' ' || text[end - 1] == '\t'))
    end--;
  if (!open || end == i)
    return expr_error(s, text, i, len,
                      "expected a call such as `greet(\"world\")`: a function "
                      "name and its arguments in parentheses");
  WgStr target = { text + i, end - i };
  size_t args_at = (size_t)(open - text);
  /* `$v.m(...)`: a method of the resource $v holds */
  const Var *self = NULL;
  size_t index = SIZE_MAX, ambiguous = 0;
  char buf[512];
  if (target.ptr[0] == '$') {
    const char *dot = memchr(target.ptr, '.', target.len);
    WgStr vname = { target.ptr + 1,
                    (dot ? (size_t)(dot - target.ptr) : target.len) - 1 };
    self = find_var(s, vname);
    if (!self)
      return expr_error(s, text, i, i + vname.len + 1,
                        "unknown variable `$%.*s`", (int)vname.len, vname.ptr);
    if (!dot)
      return expr_error(
          s, text, i, end,
          "a variable is not a function: write `$%.*s.METHOD(...)`",
          (int)vname.len, vname.ptr);
    if (self->val.kind != WG_CVAL_OWN && self->val.kind != WG_CVAL_BORROW)
      return expr_error(s, text, i, i + vname.len + 1,
                        "`$%.*s` holds no resource handle to call a method on",
                        (int)vname.len, vname.ptr);
    WgStr rname = wg_cresource_type_name(self->val.of.res.type);
    WgStr local = after_hash(rname);
    WgStr method = { dot + 1, target.len - (size_t)(dot + 1 - target.ptr) };
    WgStr full =
        compose(buf, sizeof buf, (WgStr){ rname.ptr, rname.len - local.len },
                "method", local, method);
    index = find_func(s, full, &ambiguous);
    if (index == SIZE_MAX) {
      expr_error(s, text, (size_t)(dot + 1 - text), end,
                 "`%.*s` has no method `%.*s` (no export `%.*s`)",
                 (int)rname.len, rname.ptr, (int)method.len, method.ptr,
                 (int)full.len, full.ptr);
      run_list_exports(s->path, s->comp, true);
      return CLI_FAILED;
    }
  } else {
    index = resolve(s, target, &ambiguous);
    if (index == SIZE_MAX && !ambiguous && wg_str_eq(target, WG_STR("drop")))
      return run_drop(s, text, args_at);
  }
  if (index == SIZE_MAX) {
    if (ambiguous)
      expr_error(s, text, i, end,
                 "`%.*s` names %zu exported functions: write the full name",
                 (int)target.len, target.ptr, ambiguous);
    else
      expr_error(s, text, i, end, "no exported function `%.*s`",
                 (int)target.len, target.ptr);
    run_list_exports(s->path, s->comp, true);
    return CLI_FAILED;
  }
  WgStr fname;
  const WgCFuncTy *ft;
  wg_wasm_component_func(s->comp, index, &fname, &ft);
  WgComponentFunc *f = wg_component_instance_func(s->inst, fname);
  if (!f)
    return cli_fail("%.*s: not found in the instance", (int)fname.len,
                    fname.ptr);
  /* the arguments; a method's first is $v */
  WgCFuncTy rest = *ft;
  WgCVal *args = calloc(ft->param_count + 1, sizeof *args);
  if (!args) return cli_fail("out of memory");
  size_t first = 0;
  if (self) {
    if (!ft->param_count) {
      free(args);
      return expr_error(s, text, i, end, "`%.*s` takes no `self`",
                        (int)fname.len, fname.ptr);
    }
    args[0] = self->val;
    if (ft->params[0]->kind == WG_CT_BORROW && args[0].kind == WG_CVAL_OWN)
      args[0].kind = WG_CVAL_BORROW;
    first = 1;
    rest.param_count--;
    rest.params++;
    if (rest.param_names) rest.param_names++;
  }
  WgDiagList *d = wg_diag_list_new();
  WgCValReadOptions ro = {
    .path = s->source, .start = args_at, .lookup = lookup, .env = s
  };
  WgStatus st = d ? wg_cval_parse_wave_args(wg_str_from_cstr(text), &rest, &ro,
                                            args + first, d)
                  : WG_ERR_NOMEM;
  if (st != WG_OK) {
    if (d) wg_diag_list_print(d, stderr);
    if (st == WG_ERR_INVALID) {
      WgBuf sig = { 0 };
      wg_cfunc_print(&sig, ft);
      cli_note("`%.*s` is `%s`", (int)fname.len, fname.ptr,
               sig.data ? sig.data : "func(...)");
      wg_buf_free(&sig);
    }
    wg_diag_list_delete(d);
    free(args);
    return CLI_FAILED;
  }
  wg_diag_list_delete(d);
  WgCVal result;
  WgTrap *t = wg_component_func_call(f, args, ft->param_count, &result,
                                     ft->result ? 1 : 0);
  for (size_t k = first; k < ft->param_count; k++)
    wg_cval_free(&args[k]);
  free(args);
  if (t) {
    fflush(stdout);
    if (wg_trap_kind(t) == WG_TRAP_EXIT) {
      int code = wg_trap_exit_code(t);
      wg_trap_delete(t);
      s->exited = true;
      return code;
    }
    const char *msg = wg_trap_message(t);
    cli_fail("%s: trap in `%.*s`: %s", s->path, (int)fname.len, fname.ptr, msg);
    run_trap_note(msg);
    int status = wg_trap_kind(t) == WG_TRAP_MISUSE ? CLI_FAILED : RUN_EXIT_TRAP;
    wg_trap_delete(t);
    return status;
  }
  if (bind_name.len) {
    if (!ft->result)
      return expr_error(s, text, 0, i, "`%.*s` returns nothing to bind",
                        (int)fname.len, fname.ptr);
    if (!bind(s, bind_name, &result, ft->result))
      return cli_fail("out of memory");
    return CLI_OK;
  }
  if (ft->result) {
    WgBuf out = { 0 };
    wg_cval_print(&out, &result, ft->result);
    wg_buf_append(&out, "\n", 1);
    if (out.failed) return cli_fail("out of memory");
    fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    wg_buf_free(&out);
    hold(s, &result, 0);
  }
  return CLI_OK;
}

/* Section: the session */

int run_invokes(const char *path, WgWasmComponent *comp,
                WgComponentInstance *inst, WgStore *store,
                const char *const *invokes, size_t count) {
  Session s;
  memset(&s, 0, sizeof s);
  s.path = path;
  s.comp = comp;
  s.inst = inst;
  s.store = store;
  int status = CLI_OK;
  for (size_t i = 0; i < count && status == CLI_OK && !s.exited; i++) {
    if (count > 1)
      snprintf(s.source, sizeof s.source, "--invoke #%zu", i + 1);
    else
      snprintf(s.source, sizeof s.source, "--invoke");
    status = run_expr(&s, invokes[i]);
  }
  if (!s.exited && !wg_component_instance_poisoned(inst)) {
    int dropped = drop_all(&s);
    if (status == CLI_OK) status = dropped;
  }
  for (size_t i = 0; i < s.var_count; i++) {
    free(s.vars[i].name);
    wg_cval_free(&s.vars[i].val);
  }
  free(s.vars);
  free(s.held);
  return status;
}
