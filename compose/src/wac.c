/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen compose`: the WAC composition language (the subset wac's
 * documentation teaches) read into a composition plan:
 *
 *   package ns:name[@version];
 *   let x = new ns:pkg { name: y.export, other: y["export"], z, ... };
 *   let e = y.export;                 (a name for an instance's export)
 *   export x.name [as other];  export x...;  export e [as other];
 *
 * `new ns:pkg` instantiates the component given for package `ns:pkg`
 * (--dep ns:pkg=FILE.wasm); an argument fills the import of that name with
 * an export of an earlier instance (or a whole instance); `...` leaves the
 * imports no argument fills to the composition's imports. Errors point at
 * the place in the file. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compose_build.h"

typedef enum TokKind {
  T_EOF,
  T_NAME,    /* kebab name, or %escaped */
  T_PACKAGE, /* ns:name[@version] */
  T_STRING,
  T_PUNCT, /* one of ; = { } , : . [ ] and "..." */
} TokKind;

typedef struct Tok {
  TokKind kind;
  WgStr text; /* for T_NAME without the `%`; T_STRING without quotes */
  uint32_t at;
} Tok;

/* A `let` binding: an instance, or one export of an instance. */
typedef struct Var {
  WgStr name;
  uint32_t instance;
  WgStr export_name; /* empty: the instance itself */
} Var;

typedef struct Wac {
  CbBuilder *b;
  WgStr src;
  uint32_t file;
  size_t pos;
  Tok tok;
  const WgComposeDep *deps;
  size_t ndeps;
  CbInput **loaded; /* per dep, on first use */
  Var *vars;
  uint32_t nvars, capvars;
} Wac;

/* ---- errors ---- */

static bool errorf(Wac *w, uint32_t at, uint32_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool errorf(Wac *w, uint32_t at, uint32_t len, const char *fmt, ...) {
  if (w->b->failed) return false;
  WgSpan span = { w->file, at, at + (len ? len : 1) };
  va_list ap;
  va_start(ap, fmt);
  wg_diag_list_vaddf(w->b->diags, WG_SEVERITY_ERROR, WG_ERR_INVALID, &span, fmt,
                     ap);
  va_end(ap);
  w->b->failed = true;
  w->b->status = WG_ERR_INVALID;
  return false;
}

/* ---- lexer ---- */

static bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-';
}

static void skip_space(Wac *w) {
  const char *s = w->src.ptr;
  size_t n = w->src.len;
  for (;;) {
    while (w->pos < n && (s[w->pos] == ' ' || s[w->pos] == '\t' ||
                          s[w->pos] == '\n' || s[w->pos] == '\r'))
      w->pos++;
    if (w->pos + 1 < n && s[w->pos] == '/' && s[w->pos + 1] == '/') {
      while (w->pos < n && s[w->pos] != '\n')
        w->pos++;
    } else if (w->pos + 1 < n && s[w->pos] == '/' && s[w->pos + 1] == '*') {
      size_t start = w->pos;
      w->pos += 2;
      while (w->pos + 1 < n && !(s[w->pos] == '*' && s[w->pos + 1] == '/'))
        w->pos++;
      if (w->pos + 1 >= n) {
        errorf(w, (uint32_t)start, 2, "unterminated comment");
        w->pos = n;
        return;
      }
      w->pos += 2;
    } else {
      return;
    }
  }
}

static bool next(Wac *w) {
  skip_space(w);
  const char *s = w->src.ptr;
  size_t n = w->src.len, start = w->pos;
  w->tok = (Tok){ T_EOF, { s + start, 0 }, (uint32_t)start };
  if (w->b->failed) return false;
  if (start >= n) return true;
  char c = s[start];
  if (c == '"') {
    size_t i = start + 1;
    while (i < n && s[i] != '"' && s[i] != '\n')
      i++;
    if (i >= n || s[i] != '"')
      return errorf(w, (uint32_t)start, 1, "unterminated string");
    w->tok =
        (Tok){ T_STRING, { s + start + 1, i - start - 1 }, (uint32_t)start };
    w->pos = i + 1;
    return true;
  }
  if (c == '.' && start + 2 < n && s[start + 1] == '.' && s[start + 2] == '.') {
    w->tok = (Tok){ T_PUNCT, { s + start, 3 }, (uint32_t)start };
    w->pos = start + 3;
    return true;
  }
  if (strchr(";={},:.[]", c)) {
    w->tok = (Tok){ T_PUNCT, { s + start, 1 }, (uint32_t)start };
    w->pos = start + 1;
    return true;
  }
  bool escaped = c == '%';
  size_t i = start + escaped;
  while (i < n && name_char(s[i]))
    i++;
  if (i == start + escaped)
    return errorf(w, (uint32_t)start, 1, "unexpected character `%c`", c);
  /* ns:name[@version]: a package name */
  if (!escaped && i < n && s[i] == ':' && i + 1 < n && name_char(s[i + 1])) {
    i++;
    while (i < n && name_char(s[i]))
      i++;
    if (i < n && s[i] == '@') {
      i++;
      while (i < n && (name_char(s[i]) || s[i] == '.' || s[i] == '+'))
        i++;
    }
    w->tok = (Tok){ T_PACKAGE, { s + start, i - start }, (uint32_t)start };
  } else {
    w->tok = (Tok){ T_NAME,
                    { s + start + escaped, i - start - escaped },
                    (uint32_t)start };
  }
  w->pos = i;
  return true;
}

static bool is(const Wac *w, const char *punct) {
  return w->tok.kind == T_PUNCT && w->tok.text.len == strlen(punct) &&
         memcmp(w->tok.text.ptr, punct, w->tok.text.len) == 0;
}

static bool is_word(const Wac *w, const char *word) {
  return w->tok.kind == T_NAME && w->tok.text.len == strlen(word) &&
         memcmp(w->tok.text.ptr, word, w->tok.text.len) == 0 &&
         w->src.ptr[w->tok.at] != '%';
}

static const char *tok_desc(const Wac *w) {
  switch (w->tok.kind) {
    case T_EOF:
      return "end of file";
    case T_STRING:
      return "a string";
    case T_PACKAGE:
      return "a package name";
    case T_NAME:
      return "a name";
    default:
      return "punctuation";
  }
}

static bool expect(Wac *w, const char *punct) {
  if (!is(w, punct))
    return errorf(w, w->tok.at, (uint32_t)w->tok.text.len,
                  "expected `%s`, found %s `%.*s`", punct, tok_desc(w),
                  (int)w->tok.text.len, w->tok.text.ptr);
  return next(w);
}

/* A name, or a string in brackets after an instance: `.name`/`["name"]`. */
static bool export_name(Wac *w, WgStr *out) {
  if (is(w, ".")) {
    if (!next(w)) return false;
    if (w->tok.kind != T_NAME)
      return errorf(w, w->tok.at, (uint32_t)w->tok.text.len,
                    "expected an export name after `.`");
    *out = w->tok.text;
    return next(w);
  }
  if (!next(w)) return false; /* `[` */
  if (w->tok.kind != T_STRING)
    return errorf(w, w->tok.at, (uint32_t)w->tok.text.len,
                  "expected an export name in quotes after `[`");
  *out = w->tok.text;
  return next(w) && expect(w, "]");
}

/* ---- variables ---- */

static const Var *var(const Wac *w, WgStr name) {
  for (uint32_t i = 0; i < w->nvars; i++)
    if (wg_str_eq(w->vars[i].name, name)) return &w->vars[i];
  return NULL;
}

static bool define_var(Wac *w, Var v, uint32_t at) {
  if (var(w, v.name))
    return errorf(w, at, (uint32_t)v.name.len, "`%.*s` is already defined",
                  (int)v.name.len, v.name.ptr);
  if (w->nvars == w->capvars) {
    uint32_t cap = w->capvars ? w->capvars * 2 : 8;
    Var *n = cb_alloc(w->b, cap * sizeof *n);
    if (!n) return false;
    if (w->nvars) memcpy(n, w->vars, w->nvars * sizeof *n);
    w->vars = n;
    w->capvars = cap;
  }
  w->vars[w->nvars++] = v;
  return true;
}

/* `x`, `x.e` or `x["e"]`: an instance or one of its exports. */
static bool item_expr(Wac *w, Var *out) {
  if (w->tok.kind != T_NAME)
    return errorf(w, w->tok.at, (uint32_t)w->tok.text.len,
                  "expected an instance or export, found %s", tok_desc(w));
  const Var *v = var(w, w->tok.text);
  if (!v)
    return errorf(w, w->tok.at, (uint32_t)w->tok.text.len,
                  "`%.*s` is not defined", (int)w->tok.text.len,
                  w->tok.text.ptr);
  uint32_t at = w->tok.at;
  *out = *v;
  if (!next(w)) return false;
  if (!is(w, ".") && !is(w, "[")) return true;
  if (out->export_name.len)
    return errorf(w, at, 1, "`%.*s` is an export, not an instance",
                  (int)v->name.len, v->name.ptr);
  if (!export_name(w, &out->export_name)) return false;
  if (!cb_instance_export(w->b, out->instance, out->export_name)) {
    WgStr file = w->b->instances[out->instance].of->src->name;
    return errorf(w, at, (uint32_t)(w->pos - at),
                  "`%.*s` (%.*s) exports no "
                  "`%.*s`",
                  (int)v->name.len, v->name.ptr, (int)file.len, file.ptr,
                  (int)out->export_name.len, out->export_name.ptr);
  }
  return true;
}

/* ---- statements ---- */

/* The input of package `pkg` (`ns:name[@version]`), loaded once. */
static CbInput *dep(Wac *w, WgStr pkg, uint32_t at) {
  for (size_t i = 0; i < w->ndeps; i++) {
    if (!wg_str_eq(w->deps[i].package, pkg)) continue;
    if (!w->loaded[i]) w->loaded[i] = cb_input(w->b, &w->deps[i].input);
    return w->loaded[i];
  }
  errorf(w, at, (uint32_t)pkg.len,
         "no component given for package `%.*s` (add --dep %.*s=FILE.wasm)",
         (int)pkg.len, pkg.ptr, (int)pkg.len, pkg.ptr);
  return NULL;
}

/* `new ns:pkg { args }` */
static bool new_expr(Wac *w, WgStr name, uint32_t at) {
  if (!next(w)) return false;
  if (w->tok.kind != T_PACKAGE)
    return errorf(w, w->tok.at, (uint32_t)w->tok.text.len,
                  "expected a package name after `new`");
  CbInput *in = dep(w, w->tok.text, w->tok.at);
  if (!in || !next(w) || !expect(w, "{")) return false;
  uint32_t inst = cb_instance(w->b, in, name, false);
  if (inst == CB_NONE) return false;
  while (!is(w, "}") && !w->b->failed) {
    if (is(w, "...")) {
      w->b->instances[inst].spread = true;
      if (!next(w)) return false;
    } else {
      if (w->tok.kind != T_NAME && w->tok.kind != T_STRING)
        return errorf(w, w->tok.at, (uint32_t)w->tok.text.len,
                      "expected an import name, `...` or `}`, found %s",
                      tok_desc(w));
      WgStr import = w->tok.text;
      uint32_t iat = w->tok.at;
      Var v;
      if (!next(w)) return false;
      if (is(w, ":")) {
        if (!next(w) || !item_expr(w, &v)) return false;
      } else { /* `name` alone: the variable of that name */
        const Var *same = var(w, import);
        if (!same)
          return errorf(w, iat, (uint32_t)import.len,
                        "`%.*s` is not defined (write `%.*s: x.export`)",
                        (int)import.len, import.ptr, (int)import.len,
                        import.ptr);
        v = *same;
      }
      if (!wg_ccomponent_item(in->s->type, import, true))
        return errorf(w, iat, (uint32_t)import.len,
                      "%.*s has no import named `%.*s`", (int)in->src->name.len,
                      in->src->name.ptr, (int)import.len, import.ptr);
      if (!cb_arg(w->b, inst, import, v.instance, v.export_name)) return false;
    }
    if (!is(w, "}") && !expect(w, ",")) return false;
  }
  (void)at;
  Var v = { name, inst, { 0 } };
  return next(w) && define_var(w, v, at);
}

/* `let name = new ... ;` or `let name = x.e;` */
static bool let_stmt(Wac *w) {
  if (!next(w)) return false;
  if (w->tok.kind != T_NAME)
    return errorf(w, w->tok.at, (uint32_t)w->tok.text.len,
                  "expected a name after `let`");
  WgStr name = w->tok.text;
  uint32_t at = w->tok.at;
  if (!next(w) || !expect(w, "=")) return false;
  if (is_word(w, "new")) {
    if (!new_expr(w, name, at)) return false;
  } else {
    Var v;
    if (!item_expr(w, &v)) return false;
    v.name = name;
    if (!define_var(w, v, at)) return false;
  }
  return expect(w, ";");
}

/* `export x.e [as name];`, `export e [as name];`, `export x...;` */
static bool export_stmt(Wac *w) {
  if (!next(w)) return false;
  uint32_t at = w->tok.at;
  Var v;
  if (!item_expr(w, &v)) return false;
  if (is(w, "...")) {
    if (v.export_name.len)
      return errorf(w, at, 1, "`...` exports every export of an instance");
    return cb_export(w->b, v.instance, (WgStr){ 0 }, (WgStr){ 0 }) && next(w) &&
           expect(w, ";");
  }
  if (!v.export_name.len)
    return errorf(w, at, (uint32_t)(w->pos - at),
                  "export an instance's export (`x.name`) or all of them "
                  "(`x...`)");
  WgStr as = { 0 };
  if (is_word(w, "as")) {
    if (!next(w)) return false;
    if (w->tok.kind != T_NAME && w->tok.kind != T_STRING &&
        w->tok.kind != T_PACKAGE)
      return errorf(w, w->tok.at, (uint32_t)w->tok.text.len,
                    "expected a name after `as`");
    as = w->tok.text;
    if (!next(w)) return false;
  }
  return cb_export(w->b, v.instance, v.export_name, as) && expect(w, ";");
}

static bool parse(Wac *w) {
  if (!next(w)) return false;
  if (is_word(w, "package")) {
    if (!next(w)) return false;
    if (w->tok.kind != T_PACKAGE)
      return errorf(w, w->tok.at, (uint32_t)w->tok.text.len,
                    "expected a package name after `package`");
    if (!next(w) || !expect(w, ";")) return false;
  }
  bool any_export = false;
  while (w->tok.kind != T_EOF && !w->b->failed) {
    if (is_word(w, "let")) {
      let_stmt(w);
    } else if (is_word(w, "export")) {
      any_export = true;
      export_stmt(w);
    } else {
      return errorf(w, w->tok.at, (uint32_t)w->tok.text.len,
                    "expected `let` or `export`, found %s `%.*s`", tok_desc(w),
                    (int)w->tok.text.len, w->tok.text.ptr);
    }
  }
  if (!w->b->failed && !any_export)
    return errorf(w, w->tok.at, 0, "the composition exports nothing");
  return !w->b->failed;
}

WgStatus wg_compose_wac(const char *path, WgStr source,
                        const WgComposeDep *deps, size_t dep_count, WgBuf *out,
                        WgDiagList *diags) {
  WgArena arena;
  wg_arena_init(&arena, wg_allocator_default());
  CbBuilder b;
  cb_init(&b, &arena, diags);
  Wac w = { .b = &b, .src = source, .deps = deps, .ndeps = dep_count };
  w.file = wg_diag_list_add_file(diags, path, source);
  w.loaded = cb_alloc(&b, (dep_count + 1) * sizeof *w.loaded);
  if (w.loaded && parse(&w)) cb_build(&b, out);
  WgStatus st = b.failed ? b.status : WG_OK;
  cb_free(&b);
  wg_arena_release(&arena);
  return st;
}
