/* SPDX-License-Identifier: Apache-2.0 */
/* Whether an export of one component can fill an import of another, with
 * the message when it cannot: the check `witgen plug`, `witgen compose`
 * (compose/) and the run-time linking of the component runtime (runtime/)
 * share, so a mismatch reads the same whichever way components are
 * linked. Types are compared as WIT text first (what the message shows)
 * and then structurally, so two types that print alike (a record named
 * the same with other fields) are still told apart. Resources are
 * compared by name only: which resource an import is bound to is the
 * linker's business. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "strbuf.h"
#include "witgen/component_types.h"


/* Section: structure */

static bool same_val(const WgCValTy *a, const WgCValTy *b, char *why, size_t n,
                     int depth) {
  if (!a || !b) return (!a && !b) || wg_why(why, n, "a payload is missing");
  if (depth > 100) return wg_why(why, n, "types nested too deeply");
  if (a->kind != b->kind || (a->kind == WG_CT_PRIM && a->prim != b->prim) ||
      a->count != b->count || a->length != b->length) {
    WgBuf x = { 0 }, y = { 0 };
    wg_cvalty_print(&x, a);
    wg_cvalty_print(&y, b);
    wg_why(why, n, "`%s` where `%s` is expected", wg_buf_text_or(&y, "?"),
           wg_buf_text_or(&x, "?"));
    wg_buf_free(&x);
    wg_buf_free(&y);
    return false;
  }
  if (a->labels)
    for (uint32_t i = 0; i < a->count; i++)
      if (!wg_str_eq(a->labels[i], b->labels[i]))
        return wg_why(why, n, "label `%.*s` where `%.*s` is expected",
                      (int)b->labels[i].len, b->labels[i].ptr,
                      (int)a->labels[i].len, a->labels[i].ptr);
  if (a->kind == WG_CT_OWN || a->kind == WG_CT_BORROW) {
    WgStr x = wg_cresource_name(a->resource),
          y = wg_cresource_name(b->resource);
    if (x.len && y.len && !wg_str_eq(x, y))
      return wg_why(why, n, "resource `%.*s` where `%.*s` is expected",
                    (int)y.len, y.ptr, (int)x.len, x.ptr);
    return true;
  }
  uint32_t k = a->kind == WG_CT_RECORD || a->kind == WG_CT_VARIANT ||
                       a->kind == WG_CT_TUPLE
                   ? a->count
               : a->kind == WG_CT_RESULT || a->kind == WG_CT_MAP ? 2
               : a->elems                                        ? 1
                                                                 : 0;
  for (uint32_t i = 0; i < k; i++) {
    if (!same_val(a->elems[i], b->elems[i], why, n, depth + 1)) {
      if (n && a->labels && a->kind == WG_CT_RECORD) {
        char inner[256];
        snprintf(inner, sizeof inner, "%s", why);
        wg_why(why, n, "field `%.*s`: %s", (int)a->labels[i].len,
               a->labels[i].ptr, inner);
      }
      return false;
    }
  }
  return true;
}

bool wg_cfunc_same(const WgCFuncTy *want, const WgCFuncTy *have, char *why,
                   size_t why_size) {
  if (!want || !have) return wg_why(why, why_size, "no type");
  if (want->param_count != have->param_count)
    return wg_why(why, why_size, "%u parameters where %u are expected",
                  have->param_count, want->param_count);
  for (uint32_t i = 0; i < want->param_count; i++) {
    if (!wg_str_eq(want->param_names[i], have->param_names[i]))
      return wg_why(why, why_size, "parameter `%.*s` where `%.*s` is expected",
                    (int)have->param_names[i].len, have->param_names[i].ptr,
                    (int)want->param_names[i].len, want->param_names[i].ptr);
    char inner[320];
    if (!same_val(want->params[i], have->params[i], inner, sizeof inner, 0))
      return wg_why(why, why_size, "parameter `%.*s`: %s",
                    (int)want->param_names[i].len, want->param_names[i].ptr,
                    inner);
  }
  if (!want->result != !have->result)
    return wg_why(why, why_size, "%s",
                  want->result ? "the result is missing" : "a result is extra");
  char inner[320];
  if (want->result &&
      !same_val(want->result, have->result, inner, sizeof inner, 0))
    return wg_why(why, why_size, "result: %s", inner);
  return true;
}

/* Section: messages */

const char *wg_csort_word(uint8_t sort) {
  switch (sort) {
    case WG_CSORT_TYPE:
      return "type";
    case WG_CSORT_FUNC:
      return "function";
    case WG_CSORT_INSTANCE:
      return "instance";
    case WG_CSORT_COMPONENT:
      return "component";
    case WG_CSORT_VALUE:
      return "value";
    default:
      return "core module";
  }
}

static const char *sort_word(const WgCExternTy *t) {
  if (t->sort == WG_CSORT_TYPE && t->of.type.kind == WG_CTY_RESOURCE)
    return "resource";
  return wg_csort_word(t->sort);
}

static void fail(WgDiagList *diags, WgStr path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(WgDiagList *diags, WgStr path, const char *fmt, ...) {
  char msg[1536];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, path, "%s", msg);
}

/* Compares two functions; `wpath`/`hpath` are the two WIT paths. */
static bool fill_func(const WgCFuncTy *want, const char *importer,
                      const char *wpath, const WgCFuncTy *have,
                      const char *exporter, const char *hpath,
                      WgDiagList *diags) {
  WgBuf w = { 0 }, h = { 0 };
  wg_cfunc_print(&w, want);
  wg_cfunc_print(&h, have);
  const char *ws = wg_buf_text_or(&w, "func(...)"),
             *hs = wg_buf_text_or(&h, "func(...)");
  /* the structure decides (type names do not matter to the Component
   * Model, and a resource may be printed by another name); the text is
   * what the message shows */
  char why[512] = "";
  bool ok = wg_cfunc_same(want, have, why, sizeof why);
  if (!ok && strcmp(ws, hs) != 0) why[0] = 0;
  if (!ok) {
    bool same = strcmp(wpath, hpath) == 0;
    fail(diags, wg_str_from_cstr(wpath),
         "%s imports `%s: %s`; %s exports %s%s%s`%s`%s%s", importer, wpath, ws,
         exporter, same ? "it as " : "`", same ? "" : hpath, same ? "" : ": ",
         hs, why[0] ? ": " : "", why);
  }
  wg_buf_free(&w);
  wg_buf_free(&h);
  return ok;
}

bool wg_cfill_check(const WgCItem *want, const char *importer,
                    const WgCItem *have, const char *exporter,
                    WgDiagList *diags) {
  WgStr wn = want->name.name, hn = have->name.name;
  char wpath[512], hpath[512];
  snprintf(wpath, sizeof wpath, "%.*s", (int)wn.len, wn.ptr);
  snprintf(hpath, sizeof hpath, "%.*s", (int)hn.len, hn.ptr);
  if (want->type.sort != have->type.sort) {
    fail(diags, wn, "%s imports `%s` as a %s; %s exports `%s` as a %s",
         importer, wpath, sort_word(&want->type), exporter, hpath,
         sort_word(&have->type));
    return false;
  }
  if (want->type.sort == WG_CSORT_FUNC)
    return fill_func(want->type.of.func, importer, wpath, have->type.of.func,
                     exporter, hpath, diags);
  if (want->type.sort != WG_CSORT_INSTANCE) return true;
  /* an interface: member by member, to name the one at fault */
  const WgCInstanceTy *wi = want->type.of.instance;
  const WgCInstanceTy *hi = have->type.of.instance;
  bool ok = true;
  for (uint32_t k = 0; k < wi->export_count && ok; k++) {
    const WgCItem *we = &wi->exports[k];
    const WgCItem *he = wg_cinstance_export(hi, we->name.name);
    WgStr en = we->name.name;
    char wm[640], hm[640];
    snprintf(wm, sizeof wm, "%s#%.*s", wpath, (int)en.len, en.ptr);
    snprintf(hm, sizeof hm, "%s#%.*s", hpath, (int)en.len, en.ptr);
    if (!he) {
      WgBuf w = { 0 };
      if (we->type.sort == WG_CSORT_FUNC) {
        wg_buf_append(&w, ": ", 2);
        wg_cfunc_print(&w, we->type.of.func);
      }
      fail(diags, wg_str_from_cstr(wm),
           "%s imports `%s%s`; %s exports `%s` without it", importer, wm,
           wg_buf_text_or(&w, ""), exporter, hpath);
      wg_buf_free(&w);
      ok = false;
    } else if (we->type.sort == WG_CSORT_FUNC &&
               he->type.sort == WG_CSORT_FUNC) {
      ok = fill_func(we->type.of.func, importer, wm, he->type.of.func, exporter,
                     hm, diags);
    } else if (we->type.sort != he->type.sort ||
               (we->type.sort == WG_CSORT_TYPE &&
                (we->type.of.type.kind == WG_CTY_RESOURCE) !=
                    (he->type.of.type.kind == WG_CTY_RESOURCE))) {
      fail(diags, wg_str_from_cstr(wm),
           "%s imports `%s` as a %s; %s exports it as a %s", importer, wm,
           sort_word(&we->type), exporter, sort_word(&he->type));
      ok = false;
    } else if (we->type.sort == WG_CSORT_TYPE &&
               we->type.of.type.kind == WG_CTY_VALUE &&
               he->type.of.type.kind == WG_CTY_VALUE) {
      char why[512];
      if (!same_val(we->type.of.type.of.value, he->type.of.type.of.value, why,
                    sizeof why, 0)) {
        fail(diags, wg_str_from_cstr(wm),
             "%s imports type `%s`; %s exports another: %s", importer, wm,
             exporter, why);
        ok = false;
      }
    }
  }
  return ok;
}
