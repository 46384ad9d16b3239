/* SPDX-License-Identifier: Apache-2.0 */
/* The store of resolved component types (witgen/component_types.h): the
 * context, value type nodes with their Canonical ABI shapes, resources,
 * and resource substitution (Explainer.md "Type checking": instantiation
 * replaces a component type's abstract resources by the arguments' and its
 * defined ones by fresh identities). */
#include <stdio.h>
#include <string.h>

#include "cvalidate.h"
#include "strbuf.h"

/* ---- context and errors ---- */

WgCTypes *wg_ctypes_new(WgAllocator allocator) {
  WgArena arena;
  wg_arena_init(&arena, allocator);
  WgCTypes *t = wg_arena_zalloc(&arena, sizeof *t);
  if (!t) {
    wg_arena_release(&arena);
    return NULL;
  }
  t->arena = arena; /* t lives in its own arena */
  static const uint8_t order[14] = {
    WG_CPRIM_BOOL,   WG_CPRIM_S8,
    WG_CPRIM_U8,     WG_CPRIM_S16,
    WG_CPRIM_U16,    WG_CPRIM_S32,
    WG_CPRIM_U32,    WG_CPRIM_S64,
    WG_CPRIM_U64,    WG_CPRIM_F32,
    WG_CPRIM_F64,    WG_CPRIM_CHAR,
    WG_CPRIM_STRING, WG_CPRIM_ERROR_CONTEXT,
  };
  for (int i = 0; i < 14; i++) {
    WgCValTy *p = &t->prims[i];
    p->kind = WG_CT_PRIM;
    p->prim = order[i];
    wg_ctypes_seal(p);
  }
  return t;
}

void wg_ctypes_delete(WgCTypes *t) {
  if (!t) return;
  WgArena arena = t->arena;
  wg_arena_release(&arena);
}

static bool vfail(WgCTypes *t, WgStatus status, const char *fmt, va_list ap) {
  if (!t->failed) {
    t->failed = true;
    t->status = status;
    va_list copy;
    va_copy(copy, ap);
    if (t->diags) {
      char text[1024];
      vsnprintf(text, sizeof text, fmt, copy);
      wg_diag_list_add_at(t->diags, status, t->offset, "%s", text);
    }
    va_end(copy);
  }
  return false;
}

bool wg_cv_fail(WgCTypes *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(t, WG_ERR_INVALID, fmt, ap);
  va_end(ap);
  return false;
}

bool wg_cv_fail_status(WgCTypes *t, WgStatus status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(t, status, fmt, ap);
  va_end(ap);
  return false;
}

bool wg_cv_nomem(WgCTypes *t) {
  t->nomem = true;
  return wg_cv_fail_status(t, WG_ERR_NOMEM, "out of memory");
}

void wg_cv_msg_set(WgCvMsg *m, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(m->text, sizeof m->text, fmt, ap);
  va_end(ap);
  m->len = n < 0                         ? 0
           : (size_t)n >= sizeof m->text ? sizeof m->text - 1
                                         : (size_t)n;
}

void wg_cv_msg_context(WgCvMsg *m, const char *fmt, ...) {
  char line[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  size_t add = (size_t)n >= sizeof line ? sizeof line - 1 : (size_t)n;
  if (add + 1 + m->len >= sizeof m->text) return; /* keep the inner reason */
  memmove(m->text + add + 1, m->text, m->len + 1);
  memcpy(m->text, line, add);
  m->text[add] = '\n';
  m->len += add + 1;
}

/* ---- arena helpers ---- */

void *wg_cv_alloc(WgCTypes *t, size_t size) {
  void *p = wg_arena_zalloc(&t->arena, size ? size : 1);
  if (!p) wg_cv_nomem(t);
  return p;
}

bool wg_cv_push(WgCTypes *t, void **items, uint32_t *count, uint32_t *cap,
                size_t size, const void *item) {
  if (*count == *cap) {
    if (*count >= WG_CV_MAX_TYPE)
      return wg_cv_fail_status(t, WG_ERR_LIMIT, "too many items (%u)", *count);
    uint32_t n = *cap ? *cap * 2 : 8;
    void *fresh = wg_cv_alloc(t, (size_t)n * size);
    if (!fresh) return false;
    if (*count) memcpy(fresh, *items, (size_t)*count * size);
    *items = fresh;
    *cap = n;
  }
  memcpy((char *)*items + (size_t)*count * size, item, size);
  (*count)++;
  return true;
}

bool wg_cv_space_add(WgCTypes *t, void **items, WgCOrigin **origin,
                     uint32_t *count, uint32_t *cap, uint32_t *ocap,
                     size_t size, const void *item, uint32_t def) {
  uint32_t n = *count;
  WgCOrigin o = { def };
  return wg_cv_push(t, (void **)origin, &n, ocap, sizeof o, &o) &&
         wg_cv_push(t, items, count, cap, size, item);
}

/* ---- nodes ---- */

static int prim_slot(uint8_t prim) {
  if (prim == WG_CPRIM_ERROR_CONTEXT) return 13;
  if (prim < WG_CPRIM_STRING || prim > WG_CPRIM_BOOL) return -1;
  return WG_CPRIM_BOOL - prim;
}

const WgCValTy *wg_ctypes_prim(WgCTypes *t, uint8_t prim) {
  int slot = prim_slot(prim);
  return slot < 0 ? NULL : &t->prims[slot];
}

WgCValTy *wg_ctypes_node(WgCTypes *t, WgCTypeKind kind, uint32_t count,
                         bool labels, uint32_t elems) {
  WgCValTy *n = wg_cv_alloc(t, sizeof *n);
  if (!n) return NULL;
  n->kind = kind;
  n->count = count;
  if (labels && count) {
    n->labels = wg_cv_alloc(t, count * sizeof(WgStr));
    if (!n->labels) return NULL;
  }
  if (elems) {
    /* one array for the children and their ABI shapes */
    n->elems = wg_cv_alloc(t, elems * sizeof(WgCValTy *));
    n->abi.children = wg_cv_alloc(t, elems * sizeof(WgAbiType *));
    if (!n->elems || !n->abi.children) return NULL;
  }
  return n;
}

static WgAbiKind abi_kind(const WgCValTy *v) {
  switch (v->kind) {
    case WG_CT_PRIM:
      switch (v->prim) {
        case WG_CPRIM_BOOL:
          return WG_ABI_BOOL;
        case WG_CPRIM_S8:
          return WG_ABI_S8;
        case WG_CPRIM_U8:
          return WG_ABI_U8;
        case WG_CPRIM_S16:
          return WG_ABI_S16;
        case WG_CPRIM_U16:
          return WG_ABI_U16;
        case WG_CPRIM_S32:
          return WG_ABI_S32;
        case WG_CPRIM_U32:
          return WG_ABI_U32;
        case WG_CPRIM_S64:
          return WG_ABI_S64;
        case WG_CPRIM_U64:
          return WG_ABI_U64;
        case WG_CPRIM_F32:
          return WG_ABI_F32;
        case WG_CPRIM_F64:
          return WG_ABI_F64;
        case WG_CPRIM_CHAR:
          return WG_ABI_CHAR;
        case WG_CPRIM_STRING:
          return WG_ABI_STRING;
        default:
          return WG_ABI_ERROR_CONTEXT;
      }
    case WG_CT_RECORD:
      return WG_ABI_RECORD;
    case WG_CT_VARIANT:
      return WG_ABI_VARIANT;
    case WG_CT_LIST:
      return WG_ABI_LIST;
    case WG_CT_FIXED_LIST:
      return WG_ABI_FIXED_LIST;
    case WG_CT_TUPLE:
      return WG_ABI_TUPLE;
    case WG_CT_FLAGS:
      return WG_ABI_FLAGS;
    case WG_CT_ENUM:
      return WG_ABI_ENUM;
    case WG_CT_OPTION:
      return WG_ABI_OPTION;
    case WG_CT_RESULT:
      return WG_ABI_RESULT;
    case WG_CT_OWN:
      return WG_ABI_OWN;
    case WG_CT_BORROW:
      return WG_ABI_BORROW;
    case WG_CT_STREAM:
      return WG_ABI_STREAM;
    case WG_CT_FUTURE:
      return WG_ABI_FUTURE;
    default:
      return WG_ABI_MAP;
  }
}

static uint32_t elem_count(const WgCValTy *v) {
  switch (v->kind) {
    case WG_CT_RECORD:
    case WG_CT_VARIANT:
    case WG_CT_TUPLE:
      return v->count;
    case WG_CT_LIST:
    case WG_CT_FIXED_LIST:
    case WG_CT_OPTION:
    case WG_CT_STREAM:
    case WG_CT_FUTURE:
      return 1;
    case WG_CT_RESULT:
    case WG_CT_MAP:
      return 2;
    default:
      return 0;
  }
}

void wg_ctypes_seal(WgCValTy *v) {
  v->abi.kind = abi_kind(v);
  switch (v->kind) {
    case WG_CT_FIXED_LIST:
      v->abi.count = v->length;
      break;
    case WG_CT_RECORD:
    case WG_CT_TUPLE:
    case WG_CT_VARIANT:
    case WG_CT_FLAGS:
    case WG_CT_ENUM:
      v->abi.count = v->count;
      break;
    default:
      v->abi.count = 0;
  }
  uint8_t c = 0;
  if (v->kind == WG_CT_OWN) c |= WG_CVALTY_HAS_OWN;
  if (v->kind == WG_CT_BORROW) c |= WG_CVALTY_HAS_BORROW;
  if (v->kind == WG_CT_LIST || v->kind == WG_CT_MAP ||
      (v->kind == WG_CT_PRIM && v->prim == WG_CPRIM_STRING))
    c |= WG_CVALTY_HAS_LIST;
  if (v->kind == WG_CT_STREAM || v->kind == WG_CT_FUTURE ||
      (v->kind == WG_CT_PRIM && v->prim == WG_CPRIM_ERROR_CONTEXT))
    c |= WG_CVALTY_HAS_ASYNC;
  uint32_t n = elem_count(v);
  const WgAbiType **kids = (const WgAbiType **)v->abi.children;
  for (uint32_t i = 0; i < n; i++) {
    const WgCValTy *e = v->elems[i];
    if (kids) kids[i] = e ? &e->abi : NULL;
    /* a stream or future is a handle: its payload does not cross with it */
    if (e)
      c |= v->kind == WG_CT_STREAM || v->kind == WG_CT_FUTURE
               ? (uint8_t)(e->contains & ~WG_CVALTY_HAS_LIST)
               : e->contains;
  }
  v->contains = c;
}

WgCResource *wg_ctypes_resource(WgCTypes *t, WgStr name, const WgCType *def,
                                const WgCScope *owner) {
  WgCResource *r = wg_cv_alloc(t, sizeof *r);
  if (!r) return NULL;
  r->id = t->next_resource++;
  r->name = name;
  r->def = def;
  r->owner = owner;
  return r;
}

const WgCResource *wg_cresource_canon(const WgCResource *r) {
  while (r && r->alias_of)
    r = r->alias_of;
  return r;
}

bool wg_cresource_same(const WgCResource *a, const WgCResource *b) {
  return wg_cresource_canon(a) == wg_cresource_canon(b);
}

WgStr wg_cresource_name(const WgCResource *r) {
  for (; r; r = r->alias_of)
    if (r->name.len) return r->name;
  return (WgStr){ "", 0 };
}

/* ---- WIT text of types, for messages ---- */

static void print_val(WgBuf *b, const WgCValTy *v, int depth) {
  if (depth > WG_CV_MAX_DEPTH) {
    wg_buf_puts(b, "...");
    return;
  }
  if (v->named && v->name.len) {
    wg_buf_append_str(b, v->name);
    return;
  }
  const char *open = NULL;
  switch (v->kind) {
    case WG_CT_PRIM:
      wg_buf_puts(b, wg_cprim_name((WgCPrim)v->prim));
      return;
    case WG_CT_OWN:
    case WG_CT_BORROW: {
      const WgCResource *r = v->resource;
      wg_buf_puts(b, v->kind == WG_CT_OWN ? "own<" : "borrow<");
      while (r && !r->name.len && r->alias_of)
        r = r->alias_of;
      if (r && r->name.len)
        wg_buf_append_str(b, r->name);
      else
        wg_buf_puts(b, "resource");
      wg_buf_putc(b, '>');
      return;
    }
    case WG_CT_RECORD:
    case WG_CT_VARIANT:
    case WG_CT_ENUM:
    case WG_CT_FLAGS:
      /* anonymous in the binary: say what it holds */
      wg_buf_puts(b, wg_cvalty_kind_name(v));
      wg_buf_puts(b, " { ");
      for (uint32_t i = 0; i < v->count; i++) {
        if (i) wg_buf_puts(b, ", ");
        wg_buf_append_str(b, v->labels[i]);
        if ((v->kind == WG_CT_RECORD || v->kind == WG_CT_VARIANT) &&
            v->elems[i]) {
          wg_buf_puts(b, v->kind == WG_CT_RECORD ? ": " : "(");
          print_val(b, v->elems[i], depth + 1);
          if (v->kind == WG_CT_VARIANT) wg_buf_putc(b, ')');
        }
      }
      wg_buf_puts(b, " }");
      return;
    case WG_CT_LIST:
    case WG_CT_FIXED_LIST:
      open = "list<";
      break;
    case WG_CT_OPTION:
      open = "option<";
      break;
    case WG_CT_TUPLE:
      open = "tuple<";
      break;
    case WG_CT_MAP:
      open = "map<";
      break;
    case WG_CT_RESULT:
      if (!v->elems[0] && !v->elems[1]) {
        wg_buf_puts(b, "result");
        return;
      }
      open = "result<";
      break;
    case WG_CT_STREAM:
    case WG_CT_FUTURE:
      wg_buf_puts(b, v->kind == WG_CT_STREAM ? "stream" : "future");
      if (!v->elems[0]) return;
      open = "<";
      break;
    default:
      wg_buf_puts(b, "?");
      return;
  }
  wg_buf_puts(b, open);
  uint32_t n = v->kind == WG_CT_TUPLE                            ? v->count
               : v->kind == WG_CT_RESULT || v->kind == WG_CT_MAP ? 2
                                                                 : 1;
  for (uint32_t i = 0; i < n; i++) {
    if (i) wg_buf_puts(b, ", ");
    if (v->elems[i])
      print_val(b, v->elems[i], depth + 1);
    else
      wg_buf_putc(b, '_');
  }
  if (v->kind == WG_CT_FIXED_LIST) wg_buf_printf(b, ", %u", v->length);
  wg_buf_putc(b, '>');
}

void wg_cvalty_print(WgBuf *out, const WgCValTy *type) {
  print_val(out, type, 0);
}

void wg_cfunc_print(WgBuf *out, const WgCFuncTy *f) {
  wg_buf_puts(out, f->is_async ? "async func(" : "func(");
  for (uint32_t i = 0; i < f->param_count; i++) {
    if (i) wg_buf_puts(out, ", ");
    wg_buf_append_str(out, f->param_names[i]);
    wg_buf_puts(out, ": ");
    print_val(out, f->params[i], 0);
  }
  wg_buf_putc(out, ')');
  if (f->result) {
    wg_buf_puts(out, " -> ");
    print_val(out, f->result, 0);
  }
}

const char *wg_cvalty_kind_name(const WgCValTy *v) {
  switch (v->kind) {
    case WG_CT_PRIM:
      return wg_cprim_name((WgCPrim)v->prim);
    case WG_CT_RECORD:
      return "record";
    case WG_CT_VARIANT:
      return "variant";
    case WG_CT_LIST:
      return "list";
    case WG_CT_FIXED_LIST:
      return "list";
    case WG_CT_TUPLE:
      return "tuple";
    case WG_CT_FLAGS:
      return "flags";
    case WG_CT_ENUM:
      return "enum";
    case WG_CT_OPTION:
      return "option";
    case WG_CT_RESULT:
      return "result";
    case WG_CT_OWN:
      return "own";
    case WG_CT_BORROW:
      return "borrow";
    case WG_CT_STREAM:
      return "stream";
    case WG_CT_FUTURE:
      return "future";
    case WG_CT_MAP:
      return "map";
    default:
      return "type";
  }
}

/* ---- lookups ---- */

const WgCItem *wg_cinstance_export(const WgCInstanceTy *i, WgStr name) {
  for (uint32_t k = 0; k < i->export_count; k++)
    if (wg_str_eq(i->exports[k].name.name, name)) return &i->exports[k];
  return NULL;
}

const WgCItem *wg_ccomponent_item(const WgCComponentTy *c, WgStr name,
                                  bool imports) {
  const WgCItem *items = imports ? c->imports : c->exports;
  uint32_t n = imports ? c->import_count : c->export_count;
  for (uint32_t k = 0; k < n; k++)
    if (wg_str_eq(items[k].name.name, name)) return &items[k];
  return NULL;
}

void wg_cfunc_flatten(const WgCFuncTy *f, WgAbiContext context,
                      WgAbiFuncSig *out) {
  /* the parameters as ABI shapes: at most 16 are looked at before the
   * tuple goes to memory, but all are needed to count them */
  enum { STACK = 64 };
  const WgAbiType *params[STACK];
  uint32_t n = f->param_count;
  /* every parameter flattens to at least one core value, so beyond 64 the
   * count is past MAX_FLAT_PARAMS either way */
  if (n > STACK) n = STACK;
  for (uint32_t i = 0; i < n; i++)
    params[i] = &f->params[i]->abi;
  wg_abi_flatten_func(params, n, f->result ? &f->result->abi : NULL, 4, context,
                      out);
}

/* ---- substitution ---- */

bool wg_csubst_add(WgCTypes *t, WgCSubst *s, const WgCResource *from,
                   const WgCResource *to) {
  from = wg_cresource_canon(from);
  uint32_t n = s->count, cap = s->cap;
  return wg_cv_push(t, (void **)&s->from, &n, &cap, sizeof from, &from) &&
         wg_cv_push(t, (void **)&s->to, &s->count, &s->cap, sizeof to, &to);
}

const WgCResource *wg_csubst_find(const WgCSubst *s, const WgCResource *r) {
  if (!s) return NULL;
  const WgCResource *c = wg_cresource_canon(r);
  for (uint32_t i = 0; i < s->count; i++)
    if (s->from[i] == c) return s->to[i];
  return NULL;
}

static bool touches(const WgCSubst *s, const WgCValTy *v) {
  return s && s->count &&
         (v->contains & (WG_CVALTY_HAS_OWN | WG_CVALTY_HAS_BORROW));
}

static const void *memo_find(const WgCSubst *s, const void *from) {
  for (uint32_t i = 0; i < s->memo_count; i++)
    if (s->memo_from[i] == from) return s->memo_to[i];
  return NULL;
}

static bool memo_add(WgCTypes *t, WgCSubst *s, const void *from,
                     const void *to) {
  uint32_t n = s->memo_count, cap = s->memo_cap;
  return wg_cv_push(t, (void **)&s->memo_from, &n, &cap, sizeof from, &from) &&
         wg_cv_push(t, (void **)&s->memo_to, &s->memo_count, &s->memo_cap,
                    sizeof to, &to);
}

/* A resource under the substitution: an alias of a replaced resource
 * becomes an alias (of the same name) of its replacement. */
static const WgCResource *subst_resource(WgCTypes *t, const WgCSubst *cs,
                                         const WgCResource *r) {
  WgCSubst *s = (WgCSubst *)cs; /* the memo changes, the mapping does not */
  if (!r->alias_of) {
    const WgCResource *to = wg_csubst_find(s, r);
    return to ? to : r;
  }
  const WgCResource *m = memo_find(s, r);
  if (m) return m;
  const WgCResource *target = subst_resource(t, s, r->alias_of);
  if (!target) return NULL;
  if (target == r->alias_of) return r;
  WgCResource *a = wg_ctypes_resource(t, r->name, target->def, target->owner);
  if (!a) return NULL;
  a->alias_of = target;
  return memo_add(t, s, r, a) ? a : NULL;
}

bool wg_csubst_add_val(WgCTypes *t, WgCSubst *s, const WgCValTy *from,
                       const WgCValTy *to) {
  s->has_values = true;
  return from == to || memo_add(t, s, from, to);
}

const WgCValTy *wg_csubst_val(WgCTypes *t, const WgCSubst *cs,
                              const WgCValTy *v) {
  if (!v || !cs) return v;
  if (!cs->has_values && !touches(cs, v)) return v;
  WgCSubst *s = (WgCSubst *)cs;
  const WgCValTy *m = memo_find(s, v);
  if (m) return m;
  if (!touches(s, v) && v->kind != WG_CT_RECORD && v->kind != WG_CT_VARIANT &&
      v->kind != WG_CT_TUPLE && v->kind != WG_CT_LIST &&
      v->kind != WG_CT_FIXED_LIST && v->kind != WG_CT_OPTION &&
      v->kind != WG_CT_RESULT && v->kind != WG_CT_STREAM &&
      v->kind != WG_CT_FUTURE && v->kind != WG_CT_MAP && !v->alias_of)
    return v; /* nothing inside can change */
  if (v->kind == WG_CT_OWN || v->kind == WG_CT_BORROW) {
    const WgCResource *r = subst_resource(t, s, v->resource);
    if (!r) return NULL;
    if (r == v->resource) return v;
    WgCValTy *n = wg_ctypes_node(t, v->kind, 0, false, 0);
    if (!n) return NULL;
    n->defined = v->defined;
    n->named = v->named;
    n->name = v->name;
    n->resource = r;
    wg_ctypes_seal(n);
    return memo_add(t, s, v, n) ? n : NULL;
  }
  uint32_t ne = elem_count(v);
  const WgCValTy *kids[64];
  const WgCValTy **nk = ne <= 64 ? kids : wg_cv_alloc(t, ne * sizeof *nk);
  if (!nk) return NULL;
  bool changed = false;
  for (uint32_t i = 0; i < ne; i++) {
    nk[i] = v->elems[i] ? wg_csubst_val(t, s, v->elems[i]) : NULL;
    if (v->elems[i] && !nk[i]) return NULL;
    changed |= nk[i] != v->elems[i];
  }
  const WgCValTy *alias = v->alias_of ? wg_csubst_val(t, s, v->alias_of) : NULL;
  if (v->alias_of && !alias) return NULL;
  changed |= alias != v->alias_of;
  if (!changed) return v;
  WgCValTy *n = wg_ctypes_node(t, v->kind, v->count, false, ne);
  if (!n) return NULL;
  n->prim = v->prim;
  n->defined = v->defined;
  n->named = v->named;
  n->length = v->length;
  n->labels = v->labels;
  n->alias_of = alias;
  n->name = v->name;
  if (ne) memcpy((void *)n->elems, nk, ne * sizeof *nk);
  wg_ctypes_seal(n);
  return memo_add(t, s, v, n) ? n : NULL;
}

const WgCFuncTy *wg_csubst_func(WgCTypes *t, const WgCSubst *s,
                                const WgCFuncTy *f) {
  if (!s || (!s->count && !s->has_values)) return f;
  bool changed = false;
  const WgCValTy *res = f->result ? wg_csubst_val(t, s, f->result) : NULL;
  if (f->result && !res) return NULL;
  changed |= res != f->result;
  const WgCValTy **params = NULL;
  if (f->param_count) {
    params = wg_cv_alloc(t, f->param_count * sizeof *params);
    if (!params) return NULL;
  }
  for (uint32_t i = 0; i < f->param_count; i++) {
    params[i] = wg_csubst_val(t, s, f->params[i]);
    if (!params[i]) return NULL;
    changed |= params[i] != f->params[i];
  }
  if (!changed) return f;
  WgCFuncTy *n = wg_cv_alloc(t, sizeof *n);
  if (!n) return NULL;
  *n = *f;
  n->params = params;
  n->result = res;
  return n;
}

/* Substitutes a list of items; *out is `items` when nothing changed. */
static bool subst_items(WgCTypes *t, const WgCSubst *s, const WgCItem *items,
                        uint32_t count, const WgCItem **out, bool *changed) {
  *out = items;
  WgCItem *copy = NULL;
  for (uint32_t i = 0; i < count; i++) {
    WgCExternTy ty;
    if (!wg_csubst_extern(t, s, &items[i].type, &ty)) return false;
    if (memcmp(&ty, &items[i].type, sizeof ty) == 0) continue;
    if (!copy) {
      copy = wg_cv_alloc(t, count * sizeof *copy);
      if (!copy) return false;
      memcpy(copy, items, count * sizeof *copy);
    }
    copy[i].type = ty;
  }
  if (copy) {
    *out = copy;
    *changed = true;
  }
  return true;
}

/* A resource list with the substitution applied. */
static const WgCResource *const *subst_resources(WgCTypes *t, const WgCSubst *s,
                                                 const WgCResource *const *rs,
                                                 uint32_t n, bool *changed) {
  const WgCResource **copy = NULL;
  for (uint32_t i = 0; i < n; i++) {
    const WgCResource *to = wg_csubst_find(s, rs[i]);
    if (!to) continue;
    if (!copy) {
      copy = wg_cv_alloc(t, n * sizeof *copy);
      if (!copy) return NULL;
      memcpy(copy, rs, n * sizeof *copy);
    }
    copy[i] = to;
  }
  if (!copy) return rs;
  *changed = true;
  return copy;
}

const WgCInstanceTy *wg_csubst_instance(WgCTypes *t, const WgCSubst *s,
                                        const WgCInstanceTy *i) {
  if (!s || (!s->count && !s->has_values)) return i;
  bool changed = false;
  const WgCItem *ex;
  if (!subst_items(t, s, i->exports, i->export_count, &ex, &changed))
    return NULL;
  const WgCResource *const *fresh =
      subst_resources(t, s, i->fresh, i->fresh_count, &changed);
  if (i->fresh_count && !fresh) return NULL;
  if (!changed) return i;
  WgCInstanceTy *n = wg_cv_alloc(t, sizeof *n);
  if (!n) return NULL;
  *n = *i;
  n->exports = ex;
  n->fresh = fresh;
  return n;
}

const WgCComponentTy *wg_csubst_component(WgCTypes *t, const WgCSubst *s,
                                          const WgCComponentTy *c) {
  if (!s || (!s->count && !s->has_values)) return c;
  bool changed = false;
  const WgCItem *im, *ex;
  if (!subst_items(t, s, c->imports, c->import_count, &im, &changed) ||
      !subst_items(t, s, c->exports, c->export_count, &ex, &changed))
    return NULL;
  if (!changed) return c;
  WgCComponentTy *n = wg_cv_alloc(t, sizeof *n);
  if (!n) return NULL;
  *n = *c;
  n->imports = im;
  n->exports = ex;
  return n;
}

bool wg_csubst_extern(WgCTypes *t, const WgCSubst *s, const WgCExternTy *in,
                      WgCExternTy *out) {
  *out = *in;
  if (!s || (!s->count && !s->has_values)) return true;
  switch (in->sort) {
    case WG_CSORT_FUNC:
      return (out->of.func = wg_csubst_func(t, s, in->of.func)) != NULL;
    case WG_CSORT_VALUE:
      return (out->of.value = wg_csubst_val(t, s, in->of.value)) != NULL;
    case WG_CSORT_INSTANCE:
      return (out->of.instance = wg_csubst_instance(t, s, in->of.instance)) !=
             NULL;
    case WG_CSORT_COMPONENT:
      return (out->of.component =
                  wg_csubst_component(t, s, in->of.component)) != NULL;
    case WG_CSORT_TYPE:
      switch (in->of.type.kind) {
        case WG_CTY_RESOURCE:
          return (out->of.type.of.resource =
                      subst_resource(t, s, in->of.type.of.resource)) != NULL;
        case WG_CTY_VALUE:
          return (out->of.type.of.value =
                      wg_csubst_val(t, s, in->of.type.of.value)) != NULL;
        case WG_CTY_FUNC:
          return (out->of.type.of.func =
                      wg_csubst_func(t, s, in->of.type.of.func)) != NULL;
        case WG_CTY_INSTANCE:
          return (out->of.type.of.instance = wg_csubst_instance(
                      t, s, in->of.type.of.instance)) != NULL;
        case WG_CTY_COMPONENT:
          return (out->of.type.of.component = wg_csubst_component(
                      t, s, in->of.type.of.component)) != NULL;
      }
      return true;
    default:
      return true; /* core modules hold no component resources */
  }
}
