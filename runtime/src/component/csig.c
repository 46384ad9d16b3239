/* SPDX-License-Identifier: Apache-2.0 */
/* Host function signatures: the WIT type text an embedder gives
 * wg_component_linker_define_func() (`func(v: string) -> result<u32,
 * string>`, with anonymous `record { ... }`, `variant { ... }`, `enum
 * { ... }`, `flags { ... }`, `map<K, V>`, and resources by name), parsed
 * and compared with the type a component imports the function with; and
 * the structural
 * comparison of two resolved function types (linking instances). Types
 * match when they are the same structure: kinds, labels, counts, parameter
 * names, and resources of the same name. */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cinternal.h"
#include "strbuf.h"

typedef struct HTy HTy;
struct HTy {
  WgCTypeKind kind;
  uint8_t prim;
  uint32_t count; /* fields, cases, labels, tuple elements */
  uint32_t length;
  WgStr *labels;
  HTy **elems;
  WgStr resource;
};

typedef struct HFunc {
  uint32_t count;
  WgStr *names;
  HTy **params;
  HTy *result;
} HFunc;

typedef struct Parser {
  const char *p, *end;
  WgArena *arena;
  char err[160];
  bool failed;
  int depth;
} Parser;

static bool perr(Parser *ps, const char *what) {
  if (!ps->failed) {
    size_t at = (size_t)(ps->end - ps->p);
    snprintf(ps->err, sizeof ps->err, "%s (%zu characters before the end)",
             what, at);
  }
  ps->failed = true;
  return false;
}

static void skip_ws(Parser *ps) {
  while (ps->p < ps->end &&
         (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

static bool eat(Parser *ps, const char *tok) {
  skip_ws(ps);
  size_t n = strlen(tok);
  if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, tok, n) == 0) {
    ps->p += n;
    return true;
  }
  return false;
}

static bool expect(Parser *ps, const char *tok) {
  if (eat(ps, tok)) return true;
  char msg[64];
  snprintf(msg, sizeof msg, "expected `%s`", tok);
  return perr(ps, msg);
}

static bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '%' || c == '.' ||
         c == '[' || c == ']';
}

static bool ident(Parser *ps, WgStr *out) {
  skip_ws(ps);
  const char *s = ps->p;
  while (ps->p < ps->end && is_id_char(*ps->p))
    ps->p++;
  if (ps->p == s) return perr(ps, "expected a name");
  *out = (WgStr){ s, (size_t)(ps->p - s) };
  if (out->ptr[0] == '%') {
    out->ptr++;
    out->len--;
  }
  return true;
}

static HTy *new_ty(Parser *ps, WgCTypeKind kind) {
  HTy *t = wg_arena_zalloc(ps->arena, sizeof *t);
  if (!t)
    perr(ps, "out of memory");
  else
    t->kind = kind;
  return t;
}

static HTy *parse_type(Parser *ps);

/* Grows a list of n items by one (arena; fine for short lists). */
static bool push(Parser *ps, void **items, uint32_t n, size_t size,
                 const void *item) {
  void *m = wg_arena_alloc(ps->arena, (n + 1) * size);
  if (!m) return perr(ps, "out of memory");
  if (n) memcpy(m, *items, n * size);
  memcpy((char *)m + n * size, item, size);
  *items = m;
  return true;
}

/* `{ a: T, b: T }`, `{ a, b(T) }` or `{ a, b }` */
static HTy *labelled(Parser *ps, WgCTypeKind kind) {
  HTy *t = new_ty(ps, kind);
  if (!t || !expect(ps, "{")) return NULL;
  while (!eat(ps, "}")) {
    if (t->count && !expect(ps, ",")) return NULL;
    if (eat(ps, "}")) break; /* trailing comma */
    WgStr label;
    HTy *elem = NULL;
    if (!ident(ps, &label)) return NULL;
    if (kind == WG_CT_RECORD) {
      if (!expect(ps, ":") || !(elem = parse_type(ps))) return NULL;
    } else if (kind == WG_CT_VARIANT && eat(ps, "(")) {
      if (!(elem = parse_type(ps)) || !expect(ps, ")")) return NULL;
    }
    if (!push(ps, (void **)&t->labels, t->count, sizeof label, &label) ||
        !push(ps, (void **)&t->elems, t->count, sizeof elem, &elem))
      return NULL;
    t->count++;
  }
  if (!t->count) return perr(ps, "empty type body"), NULL;
  return t;
}

static const struct {
  const char *name;
  uint8_t prim;
} prims[] = {
  { "bool", WG_CPRIM_BOOL },     { "s8", WG_CPRIM_S8 },
  { "u8", WG_CPRIM_U8 },         { "s16", WG_CPRIM_S16 },
  { "u16", WG_CPRIM_U16 },       { "s32", WG_CPRIM_S32 },
  { "u32", WG_CPRIM_U32 },       { "s64", WG_CPRIM_S64 },
  { "u64", WG_CPRIM_U64 },       { "f32", WG_CPRIM_F32 },
  { "f64", WG_CPRIM_F64 },       { "float32", WG_CPRIM_F32 },
  { "float64", WG_CPRIM_F64 },   { "char", WG_CPRIM_CHAR },
  { "string", WG_CPRIM_STRING },
};

static HTy *parse_type(Parser *ps) {
  if (++ps->depth > 100) return perr(ps, "type nested too deeply"), NULL;
  WgStr id;
  HTy *t = NULL;
  if (!ident(ps, &id)) return NULL;
  for (size_t i = 0; i < sizeof prims / sizeof prims[0]; i++)
    if (wg_str_eq(id, wg_str_from_cstr(prims[i].name))) {
      if ((t = new_ty(ps, WG_CT_PRIM))) t->prim = prims[i].prim;
      goto done;
    }
  if (wg_str_eq(id, WG_STR("record"))) {
    t = labelled(ps, WG_CT_RECORD);
  } else if (wg_str_eq(id, WG_STR("variant"))) {
    t = labelled(ps, WG_CT_VARIANT);
  } else if (wg_str_eq(id, WG_STR("enum"))) {
    t = labelled(ps, WG_CT_ENUM);
  } else if (wg_str_eq(id, WG_STR("flags"))) {
    t = labelled(ps, WG_CT_FLAGS);
  } else if (wg_str_eq(id, WG_STR("list")) || wg_str_eq(id, WG_STR("option"))) {
    bool list = id.len == 4;
    if (!(t = new_ty(ps, list ? WG_CT_LIST : WG_CT_OPTION)) ||
        !expect(ps, "<") ||
        !push(ps, (void **)&t->elems, 0, sizeof(HTy *),
              &(HTy *){ parse_type(ps) }) ||
        !t->elems[0])
      return NULL;
    if (list && eat(ps, ",")) {
      skip_ws(ps);
      uint64_t n = 0;
      while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9' &&
             n < UINT32_MAX)
        n = n * 10 + (uint64_t)(*ps->p++ - '0');
      if (!n || n > UINT32_MAX) return perr(ps, "bad list length"), NULL;
      t->kind = WG_CT_FIXED_LIST;
      t->length = (uint32_t)n;
    }
    if (!expect(ps, ">")) return NULL;
  } else if (wg_str_eq(id, WG_STR("map"))) { /* map<K, V> */
    if (!(t = new_ty(ps, WG_CT_MAP)) || !expect(ps, "<")) return NULL;
    t->elems = wg_arena_zalloc(ps->arena, 2 * sizeof(HTy *));
    if (!t->elems) return perr(ps, "out of memory"), NULL;
    if (!(t->elems[0] = parse_type(ps)) || !expect(ps, ",") ||
        !(t->elems[1] = parse_type(ps)) || !expect(ps, ">"))
      return NULL;
  } else if (wg_str_eq(id, WG_STR("tuple"))) {
    if (!(t = new_ty(ps, WG_CT_TUPLE)) || !expect(ps, "<")) return NULL;
    do {
      HTy *e = parse_type(ps);
      if (!e || !push(ps, (void **)&t->elems, t->count, sizeof e, &e))
        return NULL;
      t->count++;
    } while (eat(ps, ","));
    if (!expect(ps, ">")) return NULL;
  } else if (wg_str_eq(id, WG_STR("result"))) {
    if (!(t = new_ty(ps, WG_CT_RESULT))) return NULL;
    t->elems = wg_arena_zalloc(ps->arena, 2 * sizeof(HTy *));
    if (!t->elems) return perr(ps, "out of memory"), NULL;
    if (eat(ps, "<")) {
      if (!eat(ps, "_") && !(t->elems[0] = parse_type(ps))) return NULL;
      if (eat(ps, ",") && !(t->elems[1] = parse_type(ps))) return NULL;
      if (!expect(ps, ">")) return NULL;
    }
  } else if (wg_str_eq(id, WG_STR("own")) || wg_str_eq(id, WG_STR("borrow"))) {
    if (!(t = new_ty(ps, id.len == 3 ? WG_CT_OWN : WG_CT_BORROW)) ||
        !expect(ps, "<") || !ident(ps, &t->resource) || !expect(ps, ">"))
      return NULL;
  } else { /* a resource by name: own<name> */
    if ((t = new_ty(ps, WG_CT_OWN))) t->resource = id;
  }
done:
  ps->depth--;
  return t;
}

static bool parse_func(Parser *ps, HFunc *f) {
  memset(f, 0, sizeof *f);
  if (!expect(ps, "func") || !expect(ps, "(")) return false;
  while (!eat(ps, ")")) {
    if (f->count && !expect(ps, ",")) return false;
    WgStr name;
    HTy *t;
    if (!ident(ps, &name) || !expect(ps, ":") || !(t = parse_type(ps)) ||
        !push(ps, (void **)&f->names, f->count, sizeof name, &name) ||
        !push(ps, (void **)&f->params, f->count, sizeof t, &t))
      return false;
    f->count++;
  }
  if (eat(ps, "->") && !(f->result = parse_type(ps))) return false;
  skip_ws(ps);
  if (ps->p != ps->end) return perr(ps, "unexpected text after the type");
  return true;
}

bool wg_csig_valid(WgStr text, WgDiagList *diags) {
  WgArena arena;
  wg_arena_init(&arena, wg_allocator_default());
  Parser ps = { text.ptr, text.ptr + text.len, &arena, { 0 }, false, 0 };
  HFunc f;
  bool ok = parse_func(&ps, &f);
  if (!ok)
    wg_diag_list_add_at(diags, WG_ERR_INVALID, 0,
                        "malformed function type `%.*s`: %s", (int)text.len,
                        text.ptr, ps.err);
  wg_arena_release(&arena);
  return ok;
}


/* Section: comparison */


static const char *hkind(const HTy *h) {
  static const char *const names[] = {
    "prim",  "record", "variant", "list",   "list",
    "tuple", "flags",  "enum",    "option", "result",
    "own",   "borrow", "stream",  "future", "map",
  };
  if (h->kind == WG_CT_PRIM) return wg_cprim_name((WgCPrim)h->prim);
  return h->kind <= WG_CT_MAP ? names[h->kind] : "type";
}

static bool same_ty(const HTy *h, const WgCValTy *t, char *why, size_t n,
                    int depth);

static bool same_labels(const HTy *h, const WgCValTy *t, bool payloads,
                        char *why, size_t n, int depth) {
  if (h->count != t->count)
    return wg_why(why, n, "%s of %u items, expected %u", hkind(h), h->count,
                  t->count);
  for (uint32_t i = 0; i < h->count; i++) {
    if (!wg_str_eq(h->labels[i], t->labels[i]))
      return wg_why(why, n, "label `%.*s` where `%.*s` is expected",
                    (int)h->labels[i].len, h->labels[i].ptr,
                    (int)t->labels[i].len, t->labels[i].ptr);
    if (!payloads) continue;
    const HTy *he = h->elems[i];
    const WgCValTy *te = t->elems ? t->elems[i] : NULL;
    if (!he != !te)
      return wg_why(why, n, "case `%.*s` %s a payload", (int)t->labels[i].len,
                    t->labels[i].ptr, te ? "needs" : "has no");
    if (he && !same_ty(he, te, why, n, depth + 1)) return false;
  }
  return true;
}

static bool same_ty(const HTy *h, const WgCValTy *t, char *why, size_t n,
                    int depth) {
  if (depth > 100) return wg_why(why, n, "types nested too deeply");
  if (h->kind != t->kind || (h->kind == WG_CT_PRIM && h->prim != t->prim)) {
    WgBuf b = { 0 };
    wg_cvalty_print(&b, t);
    wg_why(why, n, "%s where `%s` is expected", hkind(h),
           wg_buf_text_or(&b, ""));
    wg_buf_free(&b);
    return false;
  }
  switch (t->kind) {
    case WG_CT_RECORD:
    case WG_CT_VARIANT:
      return same_labels(h, t, true, why, n, depth);
    case WG_CT_ENUM:
    case WG_CT_FLAGS:
      return same_labels(h, t, false, why, n, depth);
    case WG_CT_TUPLE:
      if (h->count != t->count)
        return wg_why(why, n, "tuple of %u, expected %u", h->count, t->count);
      for (uint32_t i = 0; i < h->count; i++)
        if (!same_ty(h->elems[i], t->elems[i], why, n, depth + 1)) return false;
      return true;
    case WG_CT_FIXED_LIST:
      if (h->length != t->length)
        return wg_why(why, n, "list of length %u, expected %u", h->length,
                      t->length);
      return same_ty(h->elems[0], t->elems[0], why, n, depth + 1);
    case WG_CT_LIST:
    case WG_CT_OPTION:
      return same_ty(h->elems[0], t->elems[0], why, n, depth + 1);
    case WG_CT_MAP:
      return same_ty(h->elems[0], t->elems[0], why, n, depth + 1) &&
             same_ty(h->elems[1], t->elems[1], why, n, depth + 1);
    case WG_CT_RESULT:
      for (int i = 0; i < 2; i++) {
        if (!h->elems[i] != !t->elems[i])
          return wg_why(why, n, "result %s %s", i ? "error" : "ok",
                        t->elems[i] ? "missing" : "not expected");
        if (h->elems[i] &&
            !same_ty(h->elems[i], t->elems[i], why, n, depth + 1))
          return false;
      }
      return true;
    case WG_CT_OWN:
    case WG_CT_BORROW: {
      WgStr rn = wg_cresource_name(t->resource);
      if (rn.len && !wg_str_eq(h->resource, rn))
        return wg_why(why, n, "resource `%.*s` where `%.*s` is expected",
                      (int)h->resource.len, h->resource.ptr, (int)rn.len,
                      rn.ptr);
      return true;
    }
    default:
      return true;
  }
}

bool wg_csig_check(const char *text, const WgCFuncTy *f, char *why,
                   size_t why_size) {
  WgArena arena;
  wg_arena_init(&arena, wg_allocator_default());
  WgStr s = wg_str_from_cstr(text);
  Parser ps = { s.ptr, s.ptr + s.len, &arena, { 0 }, false, 0 };
  HFunc h;
  bool ok = parse_func(&ps, &h);
  if (!ok) {
    wg_why(why, why_size, "%s", ps.err);
  } else if (h.count != f->param_count) {
    ok = wg_why(why, why_size, "%u parameters, expected %u", h.count,
                f->param_count);
  } else {
    for (uint32_t i = 0; ok && i < h.count; i++) {
      if (!wg_str_eq(h.names[i], f->param_names[i])) {
        ok = wg_why(why, why_size, "parameter `%.*s` where `%.*s` is expected",
                    (int)h.names[i].len, h.names[i].ptr,
                    (int)f->param_names[i].len, f->param_names[i].ptr);
        break;
      }
      char inner[384];
      if (!same_ty(h.params[i], f->params[i], inner, sizeof inner, 0))
        ok = wg_why(why, why_size, "parameter `%.*s`: %s", (int)h.names[i].len,
                    h.names[i].ptr, inner);
    }
    if (ok && !h.result != !f->result)
      ok =
          wg_why(why, why_size, "%s",
                 f->result ? "the result is missing" : "no result is expected");
    char inner[384];
    if (ok && h.result && !same_ty(h.result, f->result, inner, sizeof inner, 0))
      ok = wg_why(why, why_size, "result: %s", inner);
  }
  wg_arena_release(&arena);
  return ok;
}
