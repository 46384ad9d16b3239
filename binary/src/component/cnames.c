/* SPDX-License-Identifier: Apache-2.0 */
/* Import and export names (Explainer.md "Import and Export Definitions",
 * "Name Uniqueness"): plain names in kebab case with the `[constructor]`,
 * `[method]` and `[static]` annotations and the typing rules they bring,
 * interface names `ns:pkg/iface@version`, the `implements` attribute, and
 * strong uniqueness among the names of one scope. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cvalidate.h"

/* ---- lexical rules ---- */

static bool lower(char c) {
  return c >= 'a' && c <= 'z';
}
static bool upper(char c) {
  return c >= 'A' && c <= 'Z';
}
static bool digit(char c) {
  return c >= '0' && c <= '9';
}

/* label ::= first-fragment ('-' fragment)*: each fragment all lower case
 * (a word) or all upper case (an acronym), the first starting with a
 * letter. `words` asks for lower-case words only. */
static bool label_like(WgStr s, bool words) {
  if (s.len == 0) return false;
  size_t i = 0;
  bool first = true;
  while (i <= s.len) {
    size_t start = i;
    while (i < s.len && s.ptr[i] != '-')
      i++;
    if (i == start) return false; /* empty fragment */
    bool is_upper = false, is_lower = false;
    for (size_t k = start; k < i; k++) {
      char c = s.ptr[k];
      if (upper(c))
        is_upper = true;
      else if (lower(c))
        is_lower = true;
      else if (!digit(c))
        return false;
    }
    if (is_upper && is_lower) return false;
    if (words && is_upper) return false;
    if (first && digit(s.ptr[start])) return false;
    first = false;
    i++; /* past '-' (or the end) */
  }
  return true;
}

bool wg_cv_kebab(WgStr s) {
  return label_like(s, false);
}

/* Semantic Versioning 2.0, with messages in the wording tools use. */
static bool numeric(WgStr s, size_t *i, const char *part, char *why,
                    size_t cap) {
  if (*i >= s.len) {
    snprintf(why, cap,
             "unexpected end of input while parsing %s version "
             "number",
             part);
    return false;
  }
  if (!digit(s.ptr[*i])) {
    snprintf(why, cap,
             "unexpected character '%c' while parsing %s version "
             "number",
             s.ptr[*i], part);
    return false;
  }
  size_t start = *i;
  while (*i < s.len && digit(s.ptr[*i]))
    (*i)++;
  if (*i - start > 1 && s.ptr[start] == '0') {
    snprintf(why, cap, "invalid leading zero in %s version number", part);
    return false;
  }
  return true;
}

static bool identifiers(WgStr s, size_t *i, const char *part, char *why,
                        size_t cap) {
  for (;;) {
    size_t start = *i;
    while (*i < s.len && (digit(s.ptr[*i]) || lower(s.ptr[*i]) ||
                          upper(s.ptr[*i]) || s.ptr[*i] == '-'))
      (*i)++;
    if (*i == start) {
      snprintf(why, cap, "empty identifier segment in %s", part);
      return false;
    }
    if (*i < s.len && s.ptr[*i] == '.') {
      (*i)++;
      continue;
    }
    return true;
  }
}

static bool semver(WgStr s, char *why, size_t cap) {
  if (s.len == 0) {
    snprintf(why, cap, "empty string, expected a semver version");
    return false;
  }
  size_t i = 0;
  static const char *const parts[3] = { "major", "minor", "patch" };
  for (int k = 0; k < 3; k++) {
    if (!numeric(s, &i, parts[k], why, cap)) return false;
    if (k < 2) {
      if (i >= s.len) {
        snprintf(why, cap,
                 "unexpected end of input while parsing %s version "
                 "number",
                 parts[k + 1]);
        return false;
      }
      if (s.ptr[i] != '.') {
        snprintf(why, cap,
                 "unexpected character '%c' after %s version "
                 "number",
                 s.ptr[i], parts[k]);
        return false;
      }
      i++;
    }
  }
  if (i < s.len && s.ptr[i] == '-') {
    i++;
    if (!identifiers(s, &i, "pre-release identifier", why, cap)) return false;
  }
  if (i < s.len && s.ptr[i] == '+') {
    i++;
    if (!identifiers(s, &i, "build metadata", why, cap)) return false;
  }
  if (i < s.len) {
    snprintf(why, cap, "unexpected character '%c' after patch version number",
             s.ptr[i]);
    return false;
  }
  return true;
}

/* The kinds of names. */
typedef enum NameKind {
  NAME_LABEL,
  NAME_CONSTRUCTOR,
  NAME_METHOD,
  NAME_STATIC,
  NAME_INTERFACE,
} NameKind;

typedef struct Parsed {
  NameKind kind;
  WgStr resource; /* annotated names: the resource label */
  WgStr item;     /* methods and statics: the function label */
} Parsed;

static bool has_prefix(WgStr s, const char *p, WgStr *rest) {
  size_t n = strlen(p);
  if (s.len < n || memcmp(s.ptr, p, n) != 0) return false;
  *rest = (WgStr){ s.ptr + n, s.len - n };
  return true;
}

/* A plain name's part `s` not in kebab case: the reference validator says
 * the whole name is not a valid extern name, then why. */
static bool not_kebab(WgCTypes *t, WgStr name, WgStr s) {
  return wg_cv_fail(t,
                    "`%.*s` is not a valid extern name\n`%.*s` is not in "
                    "kebab case",
                    (int)name.len, name.ptr, (int)s.len, s.ptr);
}

/* An interface name; a failure says the name is not a valid extern name
 * and then why. */
static bool interface_name(WgCTypes *t, WgStr full, const char *colon) {
  char why[200] = "";
  WgStr ns = { full.ptr, (size_t)(colon - full.ptr) };
  WgStr rest = { colon + 1, full.len - ns.len - 1 };
  const char *slash = memchr(rest.ptr, '/', rest.len);
  const char *colon2 = memchr(rest.ptr, ':', rest.len);
  WgStr pkg = { rest.ptr, slash ? (size_t)(slash - rest.ptr) : rest.len };
  if (!label_like(ns, false)) {
    snprintf(why, sizeof why, "`%.*s` is not in kebab case", (int)ns.len,
             ns.ptr);
  } else if (!label_like(ns, true)) {
    snprintf(why, sizeof why, "`%.*s` is not a valid namespace", (int)ns.len,
             ns.ptr);
  } else if (colon2 && (!slash || colon2 < slash)) {
    snprintf(why, sizeof why, "expected `/` after package name");
  } else if (!label_like(pkg, false)) {
    snprintf(why, sizeof why, "`%.*s` is not in kebab case", (int)pkg.len,
             pkg.ptr);
  } else if (!label_like(pkg, true)) {
    snprintf(why, sizeof why, "`%.*s` is not a valid package name",
             (int)pkg.len, pkg.ptr);
  } else if (!slash) {
    snprintf(why, sizeof why, "expected `/` after package name");
  } else {
    WgStr tail = { slash + 1, rest.len - pkg.len - 1 };
    const char *at = memchr(tail.ptr, '@', tail.len);
    WgStr iface = { tail.ptr, at ? (size_t)(at - tail.ptr) : tail.len };
    const char *slash2 = memchr(iface.ptr, '/', iface.len);
    if (slash2) {
      WgStr extra = { slash2, iface.len - (size_t)(slash2 - iface.ptr) };
      iface.len = (size_t)(slash2 - iface.ptr);
      if (label_like(iface, false))
        snprintf(why, sizeof why, "trailing characters found: `%.*s`",
                 (int)extra.len, extra.ptr);
    }
    if (!why[0] && !label_like(iface, false))
      snprintf(why, sizeof why, "`%.*s` is not in kebab case", (int)iface.len,
               iface.ptr);
    if (!why[0] && at) {
      WgStr ver = { at + 1, tail.len - iface.len - 1 };
      semver(ver, why, sizeof why);
    }
  }
  if (!why[0]) return true;
  return wg_cv_fail(t, "`%.*s` is not a valid extern name\n%s", (int)full.len,
                    full.ptr, why);
}

static bool parse_name(WgCTypes *t, WgStr name, Parsed *p) {
  memset(p, 0, sizeof *p);
  WgStr rest;
  const char *colon = memchr(name.ptr, ':', name.len);
  if (colon && name.len && name.ptr[0] != '[') {
    p->kind = NAME_INTERFACE;
    return interface_name(t, name, colon);
  }
  if (has_prefix(name, "[constructor]", &rest)) {
    p->kind = NAME_CONSTRUCTOR;
    p->resource = rest;
    return wg_cv_kebab(rest) || not_kebab(t, name, rest);
  }
  bool method = has_prefix(name, "[method]", &rest);
  if (method || has_prefix(name, "[static]", &rest)) {
    p->kind = method ? NAME_METHOD : NAME_STATIC;
    const char *dot = memchr(rest.ptr, '.', rest.len);
    if (!dot)
      return wg_cv_fail(t, "failed to find `.` character in `%.*s`",
                        (int)name.len, name.ptr);
    p->resource = (WgStr){ rest.ptr, (size_t)(dot - rest.ptr) };
    p->item = (WgStr){ dot + 1, rest.len - p->resource.len - 1 };
    if (!wg_cv_kebab(p->resource)) return not_kebab(t, name, p->resource);
    if (!wg_cv_kebab(p->item)) return not_kebab(t, name, p->item);
    return true;
  }
  p->kind = NAME_LABEL;
  return wg_cv_kebab(name) || not_kebab(t, name, name);
}

/* ---- uniqueness ---- */

/* The canonical form names are compared in: lower case; `[method]l.l` and
 * `[static]l.l` are `l`; other annotations but `[constructor]` dropped. */
static size_t canonical(const WgCName *n, char *out, size_t cap) {
  WgStr s = n->name, rest;
  if (has_prefix(s, "[method]", &rest) || has_prefix(s, "[static]", &rest)) {
    const char *dot = memchr(rest.ptr, '.', rest.len);
    if (dot) {
      WgStr a = { rest.ptr, (size_t)(dot - rest.ptr) };
      WgStr b = { dot + 1, rest.len - a.len - 1 };
      s = a.len == b.len && strncasecmp(a.ptr, b.ptr, a.len) == 0 ? a : rest;
    } else {
      s = rest;
    }
  }
  size_t len = s.len < cap ? s.len : cap;
  for (size_t i = 0; i < len; i++) {
    char c = s.ptr[i];
    out[i] = upper(c) ? (char)(c - 'A' + 'a') : c;
  }
  return len;
}

/* ---- annotated functions ---- */

/* Where the resources an annotated function mentions get their names:
 * the items before it in its own scope, or (for a bag of exports) the
 * imports and exports of the component around it. */
typedef struct Names {
  const WgCItem *lists[2];
  uint32_t counts[2];
} Names;

static bool is_resource_item(const WgCItem *it) {
  return it->type.sort == WG_CSORT_TYPE &&
         it->type.of.type.kind == WG_CTY_RESOURCE;
}

/* The item naming a resource type that is `r`. */
static const WgCItem *resource_item(const Names *nm, const WgCResource *r) {
  for (int l = 0; l < 2; l++)
    for (uint32_t i = 0; i < nm->counts[l]; i++) {
      const WgCItem *it = &nm->lists[l][i];
      if (is_resource_item(it) &&
          wg_cresource_same(it->type.of.type.of.resource, r))
        return it;
    }
  return NULL;
}

static bool named_resource(const Names *nm, WgStr label) {
  for (int l = 0; l < 2; l++)
    for (uint32_t i = 0; i < nm->counts[l]; i++)
      if (wg_str_eq(nm->lists[l][i].name.name, label) &&
          is_resource_item(&nm->lists[l][i]))
        return true;
  return false;
}

/* The resource `r` a function refers to is named `label` in the scope. */
static bool resource_named(WgCTypes *t, const Names *nm, const WgCResource *r,
                           WgStr label) {
  const WgCItem *it = resource_item(nm, r);
  if (!it)
    return wg_cv_fail(t, "resource used in function does not have a name in "
                         "this context");
  if (!wg_str_eq(it->name.name, label))
    return wg_cv_fail(t,
                      "function does not match expected resource name `%.*s`",
                      (int)it->name.name.len, it->name.name.ptr);
  return true;
}

static bool annotated(WgCTypes *t, const Parsed *p, const WgCName *name,
                      const WgCExternTy *ty, const Names *nm) {
  if (ty->sort != WG_CSORT_FUNC)
    return wg_cv_fail(t, "item `%.*s` is not a func", (int)name->name.len,
                      name->name.ptr);
  const WgCFuncTy *f = ty->of.func;
  switch (p->kind) {
    case NAME_CONSTRUCTOR: {
      if (!f->result) return wg_cv_fail(t, "function should return one value");
      const WgCValTy *r = f->result;
      if (r->kind == WG_CT_RESULT && r->elems[0]) r = r->elems[0];
      if (r->kind != WG_CT_OWN)
        return wg_cv_fail(t, "function should return `(own $T)` or "
                             "`(result (own $T))`");
      return resource_named(t, nm, r->resource, p->resource);
    }
    case NAME_METHOD: {
      if (f->param_count == 0)
        return wg_cv_fail(t, "function should have at least one argument");
      if (!wg_str_eq(f->param_names[0], WG_STR("self")))
        return wg_cv_fail(t, "function should have a first argument called "
                             "`self`");
      if (f->params[0]->kind != WG_CT_BORROW)
        return wg_cv_fail(t, "function should take a first argument of "
                             "`(borrow $T)`");
      return resource_named(t, nm, f->params[0]->resource, p->resource);
    }
    case NAME_STATIC:
      if (!named_resource(nm, p->resource))
        return wg_cv_fail(t, "static resource name is not known in this "
                             "context");
      return true;
    default:
      return true;
  }
}

/* ---- attributes ---- */

static bool attributes(WgCTypes *t, const WgCName *name, const WgCExternTy *ty,
                       const Parsed *p) {
  if (!name->implements.ptr) return true;
  if (ty->sort != WG_CSORT_INSTANCE)
    return wg_cv_fail(t, "only instances can have an `implements`");
  if (p->kind == NAME_INTERFACE)
    return wg_cv_fail(t, "name `%.*s` is not valid with `implements`",
                      (int)name->name.len, name->name.ptr);
  WgStr impl = name->implements;
  if (impl.len == 0) return wg_cv_fail(t, "`` is not a valid name");
  const char *colon = memchr(impl.ptr, ':', impl.len);
  if (!colon)
    return wg_cv_fail(t, "`implements` name `%.*s` must be an interface",
                      (int)impl.len, impl.ptr);
  return interface_name(t, impl, colon);
}

bool wg_cv_check_name(WgCTypes *t, Scope *s, const WgCName *name,
                      const WgCExternTy *ty, bool is_import,
                      const Scope *names_from) {
  const WgCItem *items = is_import ? s->imports : s->exports;
  uint32_t n = is_import ? s->import_count : s->export_count;
  Parsed p;
  if (!parse_name(t, name->name, &p)) return false;
  if (!attributes(t, name, ty, &p)) return false;
  char mine[256], theirs[256];
  size_t ml = canonical(name, mine, sizeof mine);
  for (uint32_t i = 0; i < n; i++) {
    size_t tl = canonical(&items[i].name, theirs, sizeof theirs);
    if (ml == tl && memcmp(mine, theirs, ml) == 0)
      return wg_cv_fail(t, "%s name `%.*s` conflicts with previous name `%.*s`",
                        is_import ? "import" : "export", (int)name->name.len,
                        name->name.ptr, (int)items[i].name.name.len,
                        items[i].name.name.ptr);
  }
  if (p.kind == NAME_LABEL || p.kind == NAME_INTERFACE) return true;
  Names nm = { { items, NULL }, { n, 0 } };
  if (names_from)
    nm = (Names){ { names_from->imports, names_from->exports },
                  { names_from->import_count, names_from->export_count } };
  return annotated(t, &p, name, ty, &nm);
  return true;
}

/* ---- semver-compatible names ---- */

/* "ns:pkg/iface@1.2.3" -> the part before '@' and the version. */
static void split_version(WgStr name, WgStr *base, WgStr *version) {
  const char *at = name.len ? memchr(name.ptr, '@', name.len) : NULL;
  *base = at ? (WgStr){ name.ptr, (size_t)(at - name.ptr) } : name;
  *version = at ? (WgStr){ at + 1, name.len - base->len - 1 } : (WgStr){ 0 };
}

/* major.minor.patch of `v`; false when it is not a version. */
static bool triple(WgStr v, uint64_t out[3]) {
  size_t i = 0;
  for (int k = 0; k < 3; k++) {
    if (i >= v.len || v.ptr[i] < '0' || v.ptr[i] > '9') return false;
    uint64_t n = 0;
    while (i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9')
      n = n * 10 + (uint64_t)(v.ptr[i++] - '0');
    out[k] = n;
    if (k < 2) {
      if (i >= v.len || v.ptr[i] != '.') return false;
      i++;
    }
  }
  return true;
}

bool wg_cname_compatible(WgStr import_name, WgStr export_name) {
  if (wg_str_eq(import_name, export_name)) return true;
  WgStr ib, iv, eb, ev;
  split_version(import_name, &ib, &iv);
  split_version(export_name, &eb, &ev);
  uint64_t a[3], b[3];
  if (!wg_str_eq(ib, eb) || !triple(iv, a) || !triple(ev, b)) return false;
  /* the semver track: the major version, or for 0.x the minor, or for
   * 0.0.x the whole version */
  if (a[0] != b[0]) return false;
  if (a[0] == 0 && a[1] != b[1]) return false;
  if (a[0] == 0 && a[1] == 0 && a[2] != b[2]) return false;
  return true;
}
