/* SPDX-License-Identifier: Apache-2.0 */
/* Component text -> binary (the text format of the Component Model
 * explainer, as wasm-tools reads it). Fields are parsed into items of
 * scopes (see comp.h), laid out, resolved, and turned into the definition
 * tree of witgen/component_binary.h, which wg_cencode_component() encodes;
 * a `component-name` section carries the identifiers. */
#include <string.h>

#include "comp.h"
#include "core.h"
#include "utf8.h"
#include "wat_internal.h"

enum { MAX_COMPONENT_DEPTH = 100 };

/* ---- namespaces --------------------------------------------------------- */

void cp_ns_sort(uint8_t ns, uint8_t *sort, uint8_t *core_sort) {
  static const uint8_t core[] = { WG_CCORE_FUNC,   WG_CCORE_TABLE,
                                  WG_CCORE_MEMORY, WG_CCORE_GLOBAL,
                                  WG_CCORE_TAG,    WG_CCORE_TYPE,
                                  WG_CCORE_MODULE, WG_CCORE_INSTANCE };
  *core_sort = 0;
  if (ns <= NS_CINSTANCE) {
    *sort = WG_CSORT_CORE;
    *core_sort = core[ns];
    return;
  }
  static const uint8_t comp[] = { WG_CSORT_FUNC, WG_CSORT_VALUE, WG_CSORT_TYPE,
                                  WG_CSORT_COMPONENT, WG_CSORT_INSTANCE };
  *sort = comp[ns - NS_FUNC];
}

uint8_t cp_sort_ns(uint8_t sort, uint8_t core_sort) {
  if (sort == WG_CSORT_CORE) {
    switch (core_sort) {
      case WG_CCORE_FUNC:
        return NS_CFUNC;
      case WG_CCORE_TABLE:
        return NS_CTABLE;
      case WG_CCORE_MEMORY:
        return NS_CMEMORY;
      case WG_CCORE_GLOBAL:
        return NS_CGLOBAL;
      case WG_CCORE_TAG:
        return NS_CTAG;
      case WG_CCORE_TYPE:
        return NS_CTYPE;
      case WG_CCORE_MODULE:
        return NS_CMODULE;
      case WG_CCORE_INSTANCE:
        return NS_CINSTANCE;
      default:
        return NS_NONE;
    }
  }
  switch (sort) {
    case WG_CSORT_FUNC:
      return NS_FUNC;
    case WG_CSORT_VALUE:
      return NS_VALUE;
    case WG_CSORT_TYPE:
      return NS_TYPE;
    case WG_CSORT_COMPONENT:
      return NS_COMPONENT;
    case WG_CSORT_INSTANCE:
      return NS_INSTANCE;
    default:
      return NS_NONE;
  }
}

const char *cp_ns_name(uint8_t ns) {
  static const char *const names[] = {
    "core func", "core table",  "core memory",   "core global", "core tag",
    "core type", "core module", "core instance", "func",        "value",
    "type",      "component",   "instance"
  };
  return ns < NS_COUNT ? names[ns] : "item";
}

/* ---- items and references ---------------------------------------------- */

void *cp_alloc(CParser *c, size_t size) {
  void *p = wg_arena_zalloc(c->arena, size);
  if (!p) wat_nomem(c->p);
  return p;
}

CItem *cp_item(CParser *c, uint8_t ns, WgCDefKind kind) {
  CItem *it = cp_alloc(c, sizeof *it);
  WgCDef *def = it ? cp_alloc(c, sizeof *def) : NULL;
  if (!def) return NULL;
  it->ns = ns;
  it->def = def;
  it->tok = c->p->pos;
  def->kind = kind;
  return it;
}

bool cp_hoist(CParser *c, CItem *item) {
  if (!wg_vec_push(&c->scope->hoisted, item)) return wat_nomem(c->p);
  return true;
}

bool cp_push(CParser *c, CItem *item) {
  CScope *s = c->scope;
  bool ok = true;
  for (size_t i = 0; ok && i < s->hoisted.count; i++)
    ok = wg_vec_push(&s->items, s->hoisted.items[i]);
  for (size_t i = 0; ok && i < s->bags.count; i++)
    ok = wg_vec_push(&s->items, s->bags.items[i]);
  s->hoisted.count = s->bags.count = 0;
  if (ok && item) ok = wg_vec_push(&s->items, item);
  if (!ok) return wat_nomem(c->p);
  return true;
}

CRef *cp_ref(CParser *c, uint32_t *slot, uint8_t ns, WgStr id, uint32_t num,
             uint32_t tok) {
  CItem *it = c->current;
  CRef *r = cp_alloc(c, sizeof *r);
  if (!r) return NULL;
  r->slot = slot;
  r->ns = ns;
  r->has_id = id.ptr != NULL;
  r->id = id;
  r->num = num;
  r->tok = tok;
  *slot = num;
  if (it->refs_tail)
    it->refs_tail->next = r;
  else
    it->refs = r;
  it->refs_tail = r;
  return r;
}

bool cp_ref_item(CParser *c, uint32_t *slot, CItem *target) {
  CRef *r = cp_ref(c, slot, target->ns, (WgStr){ NULL, 0 }, 0, c->p->pos);
  if (!r) return false;
  r->target = target;
  return true;
}

bool cp_index(CParser *c, uint32_t *slot, uint8_t ns) {
  WatParser *p = c->p;
  const WatTok *t = wat_peek(p);
  uint32_t tok = p->pos;
  if (t->kind == WAT_NUM) {
    uint32_t n;
    if (!wat_tok_u32(p, t, &n)) return wat_error(p, "index out of range");
    p->pos++;
    return cp_ref(c, slot, ns, (WgStr){ NULL, 0 }, n, tok) != NULL;
  }
  if (t->kind == WAT_ID) {
    WgStr id = wat_id_name(p, t);
    if (!id.ptr) return false;
    p->pos++;
    return cp_ref(c, slot, ns, id, 0, tok) != NULL;
  }
  return wat_error(p, "unexpected token, expected an index");
}

bool cp_item_ref(CParser *c, uint32_t *slot, uint8_t ns, bool core) {
  WatParser *p = c->p;
  uint32_t tok = p->pos;
  if (!cp_index(c, slot, ns)) return false;
  CRef *r = c->current->refs_tail;
  WgStr names[16];
  uint32_t n = 0;
  while (wat_peek(p)->kind == WAT_STRING) {
    if (n == 16 || (core && n == 1))
      return wat_error(p, "unexpected token, too many export names");
    if (!cp_string(c, &names[n])) return false;
    n++;
  }
  if (n) {
    r->names = cp_alloc(c, n * sizeof *names);
    if (!r->names) return false;
    memcpy(r->names, names, n * sizeof *names);
    r->nnames = n;
    r->tok = tok;
  }
  return true;
}

bool cp_string(CParser *c, WgStr *out) {
  WatParser *p = c->p;
  if (wat_peek(p)->kind != WAT_STRING)
    return wat_error(p, "unexpected token, expected a string");
  *out = wat_string(p, wat_peek(p));
  if (!out->ptr) return false;
  if (!wg_utf8_valid((const uint8_t *)out->ptr, out->len, NULL))
    return wat_error(p, "malformed UTF-8 encoding");
  p->pos++;
  return true;
}

bool cp_id(CParser *c, WgStr *id, WgStr *name, bool *has_name) {
  WatParser *p = c->p;
  *id = (WgStr){ NULL, 0 };
  *has_name = false;
  if (wat_peek(p)->kind == WAT_ID) {
    *id = wat_id_name(p, wat_peek(p));
    if (!id->ptr) return false;
    *name = *id;
    *has_name = true;
    p->pos++;
  }
  bool annot;
  WgStr n;
  if (!wat_name_annot(p, &n, &annot)) return false;
  if (annot) {
    *name = n;
    *has_name = true;
  }
  return true;
}

/* `(kw "string")` when next; false on error, *out ptr NULL when absent. */
static bool opt_attr(CParser *c, const char *kw, WgStr *out) {
  WatParser *p = c->p;
  *out = (WgStr){ NULL, 0 };
  if (!wat_peek_form(p, kw)) return true;
  p->pos += 2;
  return cp_string(c, out) && wat_expect_rparen(p);
}

bool cp_extern_name(CParser *c, WgCName *out) {
  WatParser *p = c->p;
  memset(out, 0, sizeof *out);
  if (wat_peek_form(p, "interface")) {
    p->pos += 2;
    if (!cp_string(c, &out->name) || !wat_expect_rparen(p)) return false;
  } else if (!cp_string(c, &out->name)) {
    return false;
  }
  if (!opt_attr(c, "implements", &out->implements) ||
      !opt_attr(c, "versionsuffix", &out->version_suffix) ||
      !opt_attr(c, "external-id", &out->external_id))
    return false;
  out->form =
      out->implements.ptr || out->version_suffix.ptr || out->external_id.ptr
          ? WG_CNAME_ATTRIBUTES
          : WG_CNAME_PLAIN;
  return true;
}

/* ---- fields ------------------------------------------------------------- */

/* Inline `(export "name")*` of an item: export items appended to the
 * scope, naming the item by reference. */
static bool inline_exports(CParser *c, CItem *target, uint8_t ns) {
  WatParser *p = c->p;
  /* `(export "name")` (or `(export (interface "name"))`) and nothing
   * more: a longer form is a field of the item */
  for (;;) {
    if (!wat_peek_form(p, "export")) break;
    const WatTok *t = &p->toks[p->pos + 2];
    bool plain = t->kind == WAT_STRING && t[1].kind == WAT_RPAREN;
    bool iface = wat_peek_form_at(p, p->pos + 2, "interface") &&
                 p->toks[t->close + 1].kind == WAT_RPAREN;
    if (!plain && !iface) break;
    p->pos += 2;
    CItem *e = cp_item(c, ns, WG_CDEF_EXPORT);
    if (!e) return false;
    WgCDef *d = e->def;
    if (!cp_extern_name(c, &d->u.extern_.name) || !wat_expect_rparen(p))
      return false;
    cp_ns_sort(ns, &d->u.extern_.sort, &d->u.extern_.core_sort);
    CItem *saved = c->current;
    c->current = e;
    bool ok = cp_ref_item(c, &d->u.extern_.index, target);
    c->current = saved;
    if (!ok || !wg_vec_push(&c->scope->appended, e)) return wat_nomem(p);
  }
  return true;
}

/* `(import "name")` inline: the item becomes an import. */
static bool inline_import(CParser *c, WgCName *name) {
  WatParser *p = c->p;
  p->pos += 2;
  return cp_extern_name(c, name) && wat_expect_rparen(p);
}

/* `(import "name")` or `(import (interface "name"))`, as opposed to an
 * import field of a nested component. */
static bool is_inline_import(const WatParser *p) {
  if (!wat_peek_form(p, "import")) return false;
  const WatTok *t = &p->toks[p->pos + 2];
  if (t->kind == WAT_STRING) return t[1].kind == WAT_RPAREN;
  return wat_peek_form_at(p, p->pos + 2, "interface") &&
         p->toks[t->close + 1].kind == WAT_RPAREN;
}

static void set_names(CItem *it, WgStr id, WgStr name, bool has_name) {
  it->id = id;
  it->name = name;
  it->has_name = has_name;
}

static bool component_fields(CParser *c);

static CScope *new_scope(CParser *c, CScopeKind kind, WgStr id) {
  CScope *s = cp_alloc(c, sizeof *s);
  if (!s) return NULL;
  s->parent = c->scope;
  s->kind = kind;
  s->id = id;
  s->has_id = id.ptr != NULL;
  if (!wg_vec_push(&c->scopes, s)) {
    wat_nomem(c->p);
    return NULL;
  }
  return s;
}

/* (core module ...) */
static bool core_module(CParser *c) {
  WatParser *p = c->p;
  WgStr id, name;
  bool has_name;
  if (!cp_id(c, &id, &name, &has_name)) return false;
  CItem *it = cp_item(c, NS_CMODULE, WG_CDEF_CORE_MODULE);
  if (!it) return false;
  set_names(it, id, name, has_name);
  c->current = it;
  if (!inline_exports(c, it, NS_CMODULE)) return false;
  if (is_inline_import(p)) {
    WgCDef *d = it->def;
    d->kind = WG_CDEF_IMPORT;
    if (!inline_import(c, &d->u.extern_.name)) return false;
    return cp_externtype(c, "core", &d->u.extern_.type) && cp_push(c, it);
  }
  WgBuf bin = { 0 };
  bool ok = wat_core_module(p, name, has_name, &bin);
  if (ok) {
    uint8_t *b = cp_alloc(c, bin.len ? bin.len : 1);
    ok = b != NULL;
    if (ok) {
      if (bin.len) memcpy(b, bin.data, bin.len);
      it->def->u.module.bytes = b;
      it->def->u.module.len = bin.len;
    }
  }
  wg_buf_free(&bin);
  return ok && cp_push(c, it);
}

/* A core export kind keyword: func table memory global tag. */
static uint8_t core_kind_ns(WatParser *p) {
  static const struct {
    const char *kw;
    uint8_t ns;
  } kinds[] = { { "func", NS_CFUNC },
                { "table", NS_CTABLE },
                { "memory", NS_CMEMORY },
                { "global", NS_CGLOBAL },
                { "tag", NS_CTAG } };
  for (size_t i = 0; i < 5; i++)
    if (wat_accept_kw(p, kinds[i].kw)) return kinds[i].ns;
  return NS_NONE;
}

/* `(export "name" (kind ref))*` of a core instance (bag). */
static bool core_bag(CParser *c, WgCInstance *in) {
  WatParser *p = c->p;
  uint32_t n = 0;
  for (uint32_t k = p->pos; wat_peek_form_at(p, k, "export");
       k = p->toks[k].close + 1)
    n++;
  in->instantiate = false;
  in->is_core = true;
  in->arg_count = n;
  in->args = n ? cp_alloc(c, n * sizeof *in->args) : NULL;
  if (n && !in->args) return false;
  for (uint32_t i = 0; i < n; i++) {
    WgCInstantiateArg *a = &in->args[i];
    p->pos += 2;
    if (!cp_string(c, &a->name) || !wat_expect_lparen(p)) return false;
    uint8_t ns = core_kind_ns(p);
    if (ns == NS_NONE)
      return wat_error(p, "unexpected token, expected a core sort");
    a->sort = WG_CSORT_CORE;
    uint8_t sort;
    cp_ns_sort(ns, &sort, &a->core_sort);
    if (!cp_item_ref(c, &a->index, ns, true) || !wat_expect_rparen(p) ||
        !wat_expect_rparen(p))
      return false;
  }
  if (!wat_at_close(p)) return wat_error(p, "unexpected token");
  return true;
}

/* A bag of exports turned into an instance item before the current one;
 * `slot` refers to it. */
static bool core_bag_item(CParser *c, uint32_t *slot) {
  CItem *user = c->current;
  CItem *bag = cp_item(c, NS_CINSTANCE, WG_CDEF_CORE_INSTANCE);
  if (!bag) return false;
  c->current = bag;
  bool ok = core_bag(c, &bag->def->u.instance);
  c->current = user;
  if (!ok) return false;
  if (!wg_vec_push(&c->scope->bags, bag)) return wat_nomem(c->p);
  return cp_ref_item(c, slot, bag);
}

/* The head of `(instantiate TARGET (with ...)*)`, at `instantiate`: the
 * target (an index or `(KW ref)`) and room for the arguments the `with`
 * forms give, which the caller reads. */
static bool instantiate_head(CParser *c, WgCInstance *in, const char *kw,
                             uint8_t ns) {
  WatParser *p = c->p;
  p->pos += 2;
  in->instantiate = true;
  if (wat_peek(p)->kind == WAT_LPAREN) {
    p->pos++;
    if (!wat_expect_kw(p, kw) || !cp_item_ref(c, &in->target, ns, false) ||
        !wat_expect_rparen(p))
      return false;
  } else if (!cp_index(c, &in->target, ns)) {
    return false;
  }
  uint32_t n = 0;
  for (uint32_t k = p->pos; wat_peek_form_at(p, k, "with");
       k = p->toks[k].close + 1)
    n++;
  in->arg_count = n;
  in->args = n ? cp_alloc(c, n * sizeof *in->args) : NULL;
  return !n || in->args;
}

/* (core instance ...) */
static bool core_instance(CParser *c) {
  WatParser *p = c->p;
  WgStr id, name;
  bool has_name;
  if (!cp_id(c, &id, &name, &has_name)) return false;
  CItem *it = cp_item(c, NS_CINSTANCE, WG_CDEF_CORE_INSTANCE);
  if (!it) return false;
  set_names(it, id, name, has_name);
  c->current = it;
  WgCInstance *in = &it->def->u.instance;
  in->is_core = true;
  if (!wat_peek_form(p, "instantiate")) {
    return core_bag(c, in) && cp_push(c, it);
  }
  if (!instantiate_head(c, in, "module", NS_CMODULE)) return false;
  uint32_t n = in->arg_count;
  for (uint32_t i = 0; i < n; i++) {
    WgCInstantiateArg *a = &in->args[i];
    p->pos += 2;
    if (!cp_string(c, &a->name)) return false;
    a->sort = WG_CSORT_CORE;
    a->core_sort = WG_CCORE_INSTANCE;
    if (!wat_expect_lparen(p) || !wat_expect_kw(p, "instance")) return false;
    if (wat_peek_form(p, "export") || wat_at_close(p)) {
      if (!core_bag_item(c, &a->index)) return false;
    } else if (!cp_item_ref(c, &a->index, NS_CINSTANCE, true)) {
      return false;
    }
    if (!wat_expect_rparen(p) || !wat_expect_rparen(p)) return false;
  }
  if (!wat_expect_rparen(p)) return false;
  return wat_at_close(p) ? cp_push(c, it) : wat_error(p, "unexpected token");
}

/* Where a module type to encode again starts. */
typedef struct ModTypeAt {
  uint32_t pos;
  CScope *scope;
} ModTypeAt;

static bool reencode_module_type(CParser *c, CItem *it) {
  const ModTypeAt *at = it->extra;
  WatParser *p = c->p;
  uint32_t saved = p->pos;
  CScope *scope = c->scope;
  p->pos = at->pos;
  c->scope = at->scope;
  c->resolving = true;
  bool ok =
      cp_core_type(c, &it->def->u.core_type.bytes, &it->def->u.core_type.len);
  c->resolving = false;
  c->scope = scope;
  p->pos = saved;
  return ok;
}

/* (core type ...) */
static bool core_type(CParser *c) {
  WgStr id, name;
  bool has_name;
  if (!cp_id(c, &id, &name, &has_name)) return false;
  CItem *it = cp_item(c, NS_CTYPE, WG_CDEF_CORE_TYPE);
  if (!it) return false;
  set_names(it, id, name, has_name);
  c->current = it;
  uint32_t start = c->p->pos;
  c->pending = false;
  if (!cp_core_type(c, &it->def->u.core_type.bytes, &it->def->u.core_type.len))
    return false;
  if (c->pending) {
    /* encoded again once the enclosing scopes are laid out */
    ModTypeAt *at = cp_alloc(c, sizeof *at);
    if (!at) return false;
    at->pos = start;
    at->scope = c->scope;
    it->deferred = DEFER_MODULE_TYPE;
    it->extra = at;
  }
  return cp_push(c, it);
}

/* An alias item of `ns` for export `name` of (core) instance at `ref`. */
static CItem *export_alias(CParser *c, bool core, uint8_t ns) {
  CItem *it = cp_item(c, ns, WG_CDEF_ALIAS);
  if (!it) return NULL;
  WgCAlias *a = &it->def->u.alias;
  a->kind = core ? WG_CALIAS_CORE_EXPORT : WG_CALIAS_EXPORT;
  cp_ns_sort(ns, &a->sort, &a->core_sort);
  return it;
}

/* (core func ...) */
static bool core_func(CParser *c) {
  WatParser *p = c->p;
  WgStr id, name;
  bool has_name;
  if (!cp_id(c, &id, &name, &has_name)) return false;
  if (!wat_expect_lparen(p)) return false;
  CItem *it;
  if (wat_accept_kw(p, "alias")) {
    /* (alias core export $i "name") */
    if (!wat_expect_kw(p, "core") || !wat_expect_kw(p, "export")) return false;
    it = export_alias(c, true, NS_CFUNC);
    if (!it) return false;
    c->current = it;
    if (!cp_index(c, &it->def->u.alias.instance, NS_CINSTANCE) ||
        !cp_string(c, &it->def->u.alias.name))
      return false;
  } else if (wat_accept_kw(p, "canon")) {
    it = cp_item(c, NS_CFUNC, WG_CDEF_CANON);
    if (!it) return false;
    c->current = it;
    if (!cp_canon(c, it)) return false;
  } else {
    return wat_error(p, "unexpected token, expected `canon` or `alias`");
  }
  set_names(it, id, name, has_name);
  return wat_expect_rparen(p) && cp_push(c, it);
}

/* (component ...) nested */
static bool nested_component(CParser *c) {
  WatParser *p = c->p;
  WgStr id, name;
  bool has_name;
  if (!cp_id(c, &id, &name, &has_name)) return false;
  CItem *it = cp_item(c, NS_COMPONENT, WG_CDEF_COMPONENT);
  if (!it) return false;
  set_names(it, id, name, has_name);
  c->current = it;
  if (!inline_exports(c, it, NS_COMPONENT)) return false;
  if (is_inline_import(p)) {
    WgCDef *d = it->def;
    d->kind = WG_CDEF_IMPORT;
    if (!inline_import(c, &d->u.extern_.name)) return false;
    d->u.extern_.type.kind = WG_CSORT_COMPONENT;
    return cp_typeuse(c, WG_CT_COMPONENT, &d->u.extern_.type.index) &&
           cp_push(c, it);
  }
  if (++c->depth > MAX_COMPONENT_DEPTH)
    return wat_error(p, "components nested too deeply");
  CScope *s = new_scope(c, SCOPE_COMPONENT, id);
  if (!s) return false;
  s->name = name;
  s->has_name = has_name;
  it->inner = s;
  /* the item goes first: the nested scope's items are its own */
  if (!cp_push(c, it)) return false;
  CScope *outer = c->scope;
  c->scope = s;
  bool ok = component_fields(c);
  c->scope = outer;
  c->depth--;
  return ok;
}

/* `(with "name" (sort ref))` arguments / bag exports of an instance:
 * (sort ref) is (core module ..), (func ..), (value ..), (type ..),
 * (component ..), (instance ..). */
static bool sort_ref(CParser *c, uint8_t *sort, uint8_t *core_sort,
                     uint32_t *slot) {
  WatParser *p = c->p;
  if (!wat_expect_lparen(p)) return false;
  uint8_t ns = NS_NONE;
  if (wat_accept_kw(p, "core")) {
    if (!wat_expect_kw(p, "module")) return false;
    ns = NS_CMODULE;
  } else if (wat_accept_kw(p, "func")) {
    ns = NS_FUNC;
  } else if (wat_accept_kw(p, "value")) {
    ns = NS_VALUE;
  } else if (wat_accept_kw(p, "type")) {
    ns = NS_TYPE;
  } else if (wat_accept_kw(p, "component")) {
    ns = NS_COMPONENT;
  } else if (wat_accept_kw(p, "instance")) {
    ns = NS_INSTANCE;
  } else {
    return wat_error(p, "unexpected token, expected a sort");
  }
  cp_ns_sort(ns, sort, core_sort);
  return cp_item_ref(c, slot, ns, false) && wat_expect_rparen(p);
}

/* `(export $id? (@name)? "name" (sort ref) externtype?)` bag entries. */
static bool instance_bag(CParser *c, WgCInstance *in) {
  WatParser *p = c->p;
  uint32_t n = 0;
  for (uint32_t k = p->pos; wat_peek_form_at(p, k, "export");
       k = p->toks[k].close + 1)
    n++;
  in->instantiate = false;
  in->arg_count = n;
  in->args = n ? cp_alloc(c, n * sizeof *in->args) : NULL;
  in->export_names = n ? cp_alloc(c, n * sizeof *in->export_names) : NULL;
  if (n && (!in->args || !in->export_names)) return false;
  for (uint32_t i = 0; i < n; i++) {
    WgCInstantiateArg *a = &in->args[i];
    p->pos += 2;
    WgStr id, name;
    bool has_name;
    if (!cp_id(c, &id, &name, &has_name)) return false;
    if (!cp_extern_name(c, &in->export_names[i])) return false;
    a->name = in->export_names[i].name;
    if (!sort_ref(c, &a->sort, &a->core_sort, &a->index) ||
        !wat_expect_rparen(p))
      return false;
  }
  if (!wat_at_close(p)) return wat_error(p, "unexpected token");
  return true;
}

/* (instance ...) */
static bool instance(CParser *c) {
  WatParser *p = c->p;
  WgStr id, name;
  bool has_name;
  if (!cp_id(c, &id, &name, &has_name)) return false;
  CItem *it = cp_item(c, NS_INSTANCE, WG_CDEF_INSTANCE);
  if (!it) return false;
  set_names(it, id, name, has_name);
  c->current = it;
  if (!inline_exports(c, it, NS_INSTANCE)) return false;
  WgCDef *d = it->def;
  if (is_inline_import(p)) {
    d->kind = WG_CDEF_IMPORT;
    if (!inline_import(c, &d->u.extern_.name)) return false;
    d->u.extern_.type.kind = WG_CSORT_INSTANCE;
    return cp_typeuse(c, WG_CT_INSTANCE, &d->u.extern_.type.index) &&
           cp_push(c, it);
  }
  WgCInstance *in = &d->u.instance;
  if (!wat_peek_form(p, "instantiate"))
    return instance_bag(c, in) && cp_push(c, it);
  if (!instantiate_head(c, in, "component", NS_COMPONENT)) return false;
  uint32_t n = in->arg_count;
  for (uint32_t i = 0; i < n; i++) {
    WgCInstantiateArg *a = &in->args[i];
    p->pos += 2;
    if (!cp_string(c, &a->name)) return false;
    /* (instance (export ...)*) is a bag of exports made an instance */
    if (wat_peek_form(p, "instance") &&
        (wat_peek_form_at(p, p->pos + 2, "export") ||
         p->toks[p->pos + 2].kind == WAT_RPAREN)) {
      p->pos += 2;
      CItem *user = c->current;
      CItem *bag = cp_item(c, NS_INSTANCE, WG_CDEF_INSTANCE);
      if (!bag) return false;
      c->current = bag;
      bool ok = instance_bag(c, &bag->def->u.instance);
      c->current = user;
      if (!ok || !wat_expect_rparen(p)) return false;
      if (!wg_vec_push(&c->scope->bags, bag)) return wat_nomem(p);
      a->sort = WG_CSORT_INSTANCE;
      if (!cp_ref_item(c, &a->index, bag)) return false;
    } else if (!sort_ref(c, &a->sort, &a->core_sort, &a->index)) {
      return false;
    }
    if (!wat_expect_rparen(p)) return false;
  }
  if (!wat_expect_rparen(p)) return false;
  return wat_at_close(p) ? cp_push(c, it) : wat_error(p, "unexpected token");
}

/* The sort of an alias target `(sort $id? (@name)?)`: component sorts, or
 * `core X`. */
static bool alias_sort(CParser *c, bool core_only, uint8_t *ns) {
  WatParser *p = c->p;
  *ns = NS_NONE;
  if (wat_accept_kw(p, "core")) {
    if (wat_accept_kw(p, "module"))
      *ns = NS_CMODULE;
    else if (wat_accept_kw(p, "type"))
      *ns = NS_CTYPE;
    else if (wat_accept_kw(p, "instance"))
      *ns = NS_CINSTANCE;
    else
      *ns = core_kind_ns(p);
  } else if (!core_only) {
    if (wat_accept_kw(p, "func"))
      *ns = NS_FUNC;
    else if (wat_accept_kw(p, "value"))
      *ns = NS_VALUE;
    else if (wat_accept_kw(p, "type"))
      *ns = NS_TYPE;
    else if (wat_accept_kw(p, "component"))
      *ns = NS_COMPONENT;
    else if (wat_accept_kw(p, "instance"))
      *ns = NS_INSTANCE;
  }
  if (*ns == NS_NONE) return wat_error(p, "unexpected token, expected a sort");
  return true;
}

/* The scope that `(alias outer $c ...)` names, and its depth; numbers
 * count scopes outwards. */
static bool outer_scope(CParser *c, uint32_t *depth, CScope **scope) {
  WatParser *p = c->p;
  const WatTok *t = wat_peek(p);
  if (t->kind == WAT_NUM) {
    uint32_t n;
    if (!wat_tok_u32(p, t, &n)) return wat_error(p, "malformed index");
    /* a count past the enclosing scopes is left to validation */
    CScope *s = c->scope;
    for (uint32_t i = 0; s && i < n; i++)
      s = s->parent;
    *depth = n;
    *scope = s;
    p->pos++;
    return true;
  }
  if (t->kind != WAT_ID) return wat_error(p, "unexpected token");
  WgStr id = wat_id_name(p, t);
  uint32_t n = 0;
  for (CScope *s = c->scope; s; s = s->parent, n++) {
    if (s->has_id && s->id.len == id.len &&
        !memcmp(s->id.ptr, id.ptr, id.len)) {
      *depth = n;
      *scope = s;
      p->pos++;
      return true;
    }
  }
  return wat_error(p, "outer component `%.*s` not found", (int)id.len, id.ptr);
}

/* (alias ...) in a component or a type */
static bool alias(CParser *c) {
  WatParser *p = c->p;
  CItem *it;
  if (wat_accept_kw(p, "outer")) {
    it = cp_item(c, NS_NONE, WG_CDEF_ALIAS);
    if (!it) return false;
    c->current = it;
    WgCAlias *a = &it->def->u.alias;
    a->kind = WG_CALIAS_OUTER;
    CScope *target;
    uint32_t depth;
    if (!outer_scope(c, &depth, &target)) return false;
    a->instance = depth;
    uint32_t idx_tok = p->pos;
    const WatTok *t = wat_peek(p);
    if (t->kind != WAT_NUM && t->kind != WAT_ID)
      return wat_error(p, "unexpected token, expected an index");
    p->pos++;
    uint8_t ns;
    if (!wat_expect_lparen(p) || !alias_sort(c, false, &ns)) return false;
    if (ns != NS_TYPE && ns != NS_CTYPE && ns != NS_CMODULE &&
        ns != NS_COMPONENT)
      return wat_error(p, "outer aliases refer to types, modules and "
                          "components");
    it->ns = ns;
    cp_ns_sort(ns, &a->sort, &a->core_sort);
    /* the index is resolved in the target scope, which is laid out by
     * the time this scope is: record it as a reference there */
    const WatTok *it_tok = &p->toks[idx_tok];
    if (it_tok->kind == WAT_NUM) {
      if (!wat_tok_u32(p, it_tok, &a->index))
        return wat_error_at(p, idx_tok, "malformed index");
    } else {
      CRef *r = cp_ref(c, &a->index, ns, wat_id_name(p, it_tok), 0, idx_tok);
      if (!r) return false;
      r->num = depth + 1; /* marks an outer lookup `depth` scopes out */
      r->ns = ns | 0x80;
    }
  } else {
    bool core = wat_accept_kw(p, "core");
    if (!wat_expect_kw(p, "export")) return false;
    it = cp_item(c, NS_NONE, WG_CDEF_ALIAS);
    if (!it) return false;
    c->current = it;
    WgCAlias *a = &it->def->u.alias;
    a->kind = core ? WG_CALIAS_CORE_EXPORT : WG_CALIAS_EXPORT;
    if (!cp_index(c, &a->instance, core ? NS_CINSTANCE : NS_INSTANCE) ||
        !cp_string(c, &a->name) || !wat_expect_lparen(p))
      return false;
    uint8_t ns;
    if (core) {
      if (!wat_expect_kw(p, "core")) return false;
      p->pos--;
    }
    if (!alias_sort(c, core, &ns)) return false;
    it->ns = ns;
    cp_ns_sort(ns, &a->sort, &a->core_sort);
  }
  WgStr id, name;
  bool has_name;
  if (!cp_id(c, &id, &name, &has_name)) return false;
  set_names(it, id, name, has_name);
  return wat_expect_rparen(p) && cp_push(c, it);
}

/* (type ...) in a component or a type */
static bool type_field(CParser *c, bool allow_exports) {
  WgStr id, name;
  bool has_name;
  if (!cp_id(c, &id, &name, &has_name)) return false;
  CItem *it = cp_item(c, NS_TYPE, WG_CDEF_TYPE);
  if (!it) return false;
  set_names(it, id, name, has_name);
  c->current = it;
  if (allow_exports && !inline_exports(c, it, NS_TYPE)) return false;
  return cp_typedef(c, &it->def->u.type, id) && cp_push(c, it);
}

/* The namespace an extern type adds to. */
static uint8_t extern_ns(const WgCExternType *t) {
  switch (t->kind) {
    case WG_CSORT_CORE:
      return NS_CMODULE;
    case WG_CSORT_FUNC:
      return NS_FUNC;
    case WG_CSORT_VALUE:
      return NS_VALUE;
    case WG_CSORT_TYPE:
      return NS_TYPE;
    case WG_CSORT_COMPONENT:
      return NS_COMPONENT;
    default:
      return NS_INSTANCE;
  }
}

/* `(sort $id? (@name)? signature)` of an import or type declarator. */
static bool item_sig(CParser *c, CItem *it, WgCExternType *t, bool named) {
  WatParser *p = c->p;
  if (!wat_expect_lparen(p)) return false;
  const char *kw = NULL;
  static const char *const kws[] = { "core",     "func",  "component",
                                     "instance", "value", "type" };
  for (size_t i = 0; i < 6; i++)
    if (wat_accept_kw(p, kws[i])) kw = kws[i];
  if (!kw) return wat_error(p, "unexpected token, expected a sort");
  if (!strcmp(kw, "core") && !wat_expect_kw(p, "module")) return false;
  if (named) {
    WgStr id, name;
    bool has_name;
    if (!cp_id(c, &id, &name, &has_name)) return false;
    set_names(it, id, name, has_name);
  }
  if (!cp_externtype(c, kw, t)) return false;
  if (named) it->ns = extern_ns(t);
  return wat_expect_rparen(p);
}

/* (import "name" (sort $id? sig)) */
static bool import(CParser *c) {
  CItem *it = cp_item(c, NS_NONE, WG_CDEF_IMPORT);
  if (!it) return false;
  c->current = it;
  WgCDef *d = it->def;
  return cp_extern_name(c, &d->u.extern_.name) &&
         item_sig(c, it, &d->u.extern_.type, true) && cp_push(c, it);
}

/* (func ...) */
static bool func(CParser *c) {
  WatParser *p = c->p;
  WgStr id, name;
  bool has_name;
  if (!cp_id(c, &id, &name, &has_name)) return false;
  CItem *it = cp_item(c, NS_FUNC, WG_CDEF_CANON);
  if (!it) return false;
  set_names(it, id, name, has_name);
  c->current = it;
  if (!inline_exports(c, it, NS_FUNC)) return false;
  WgCDef *d = it->def;
  if (is_inline_import(p)) {
    d->kind = WG_CDEF_IMPORT;
    if (!inline_import(c, &d->u.extern_.name)) return false;
    d->u.extern_.type.kind = WG_CSORT_FUNC;
    return cp_typeuse(c, WG_CT_FUNC, &d->u.extern_.type.index) &&
           cp_push(c, it);
  }
  if (wat_peek_form(p, "alias")) {
    /* (alias export $i "name") */
    p->pos += 2;
    d->kind = WG_CDEF_ALIAS;
    WgCAlias *a = &d->u.alias;
    a->kind = WG_CALIAS_EXPORT;
    a->sort = WG_CSORT_FUNC;
    if (!wat_expect_kw(p, "export") ||
        !cp_index(c, &a->instance, NS_INSTANCE) || !cp_string(c, &a->name))
      return false;
    return wat_expect_rparen(p) && cp_push(c, it);
  }
  /* typeuse (canon lift ...): the type use gives the lifted type */
  if (!cp_typeuse(c, WG_CT_FUNC, &d->u.canon.type)) return false;
  if (!wat_peek_form(p, "canon"))
    return wat_error(p, "unexpected token, expected `(canon lift`");
  p->pos += 2;
  if (!wat_tok_is(p, wat_peek(p), "lift"))
    return wat_error(p, "unexpected token, expected `lift`");
  if (!cp_canon(c, it)) return false;
  return wat_expect_rparen(p) && cp_push(c, it);
}

/* (export $id? (@name)? "name" (sort ref) externtype?) */
static bool export_field(CParser *c) {
  WatParser *p = c->p;
  WgStr id, name;
  bool has_name;
  if (!cp_id(c, &id, &name, &has_name)) return false;
  CItem *it = cp_item(c, NS_NONE, WG_CDEF_EXPORT);
  if (!it) return false;
  set_names(it, id, name, has_name);
  c->current = it;
  WgCDef *d = it->def;
  if (!cp_extern_name(c, &d->u.extern_.name) ||
      !sort_ref(c, &d->u.extern_.sort, &d->u.extern_.core_sort,
                &d->u.extern_.index))
    return false;
  it->ns = cp_sort_ns(d->u.extern_.sort, d->u.extern_.core_sort);
  if (!wat_at_close(p)) {
    d->u.extern_.has_type = true;
    if (!item_sig(c, it, &d->u.extern_.type, false)) return false;
  }
  return cp_push(c, it);
}

/* (start $f (value $v)* (result (value $id?))*) */
static bool start(CParser *c) {
  WatParser *p = c->p;
  CItem *it = cp_item(c, NS_NONE, WG_CDEF_START);
  StartData *sd = it ? cp_alloc(c, sizeof *sd) : NULL;
  if (!sd) return false;
  c->current = it;
  it->deferred = DEFER_START;
  it->extra = sd;
  if (!cp_index(c, &sd->func, NS_FUNC)) return false;
  uint32_t n = 0;
  for (uint32_t k = p->pos; wat_peek_form_at(p, k, "value");
       k = p->toks[k].close + 1)
    n++;
  sd->nargs = n;
  sd->args = n ? cp_alloc(c, n * sizeof *sd->args) : NULL;
  if (n && !sd->args) return false;
  for (uint32_t i = 0; i < n; i++) {
    p->pos += 2;
    if (!cp_item_ref(c, &sd->args[i], NS_VALUE, false) || !wat_expect_rparen(p))
      return false;
  }
  if (!cp_push(c, it)) return false;
  while (wat_peek_form(p, "result")) {
    p->pos += 2;
    if (!wat_expect_lparen(p) || !wat_expect_kw(p, "value")) return false;
    /* each result is a new value: an index without a definition */
    CItem *v = cp_item(c, NS_VALUE, WG_CDEF_CUSTOM);
    if (!v) return false;
    WgStr id, name;
    bool has_name;
    if (!cp_id(c, &id, &name, &has_name)) return false;
    /* the id names the value here; wasm-tools gives it no name */
    set_names(v, id, name, false);
    v->phantom = true;
    if (!wat_expect_rparen(p) || !wat_expect_rparen(p)) return false;
    if (!cp_push(c, v)) return false;
    sd->nresults++;
  }
  return true;
}

/* `(@custom "name" (before|after X)? "bytes"*)` or `(@producers ...)`. */
static bool custom(CParser *c, bool producers) {
  WatParser *p = c->p;
  CItem *it = cp_item(c, NS_NONE, WG_CDEF_CUSTOM);
  if (!it) return false;
  c->current = it;
  WgBuf bytes = { 0 };
  bool ok = true;
  if (producers) {
    it->def->u.custom.name = WG_STR("producers");
    uint32_t nfields = 0;
    WgBuf fields = { 0 };
    while (ok && wat_peek(p)->kind == WAT_LPAREN) {
      const WatTok *k = &p->toks[p->pos + 1];
      if (k->kind != WAT_KEYWORD) {
        ok = wat_error(p, "unexpected token");
        break;
      }
      WgStr field = wat_tok_str(p, k);
      WgBuf values = { 0 };
      uint32_t nvalues = 0;
      while (ok && wat_peek(p)->kind == WAT_LPAREN) {
        const WatTok *k2 = &p->toks[p->pos + 1];
        if (k2->kind != WAT_KEYWORD || k2->len != field.len ||
            memcmp(p->text + k2->start, field.ptr, field.len) != 0)
          break;
        p->pos += 2;
        WgStr n, v;
        ok = cp_string(c, &n) && cp_string(c, &v) && wat_expect_rparen(p);
        if (ok) {
          wg_buf_uleb(&values, n.len);
          wg_buf_append_str(&values, n);
          wg_buf_uleb(&values, v.len);
          wg_buf_append_str(&values, v);
          nvalues++;
        }
      }
      wg_buf_uleb(&fields, field.len);
      wg_buf_append_str(&fields, field);
      wg_buf_uleb(&fields, nvalues);
      wg_buf_append(&fields, values.data, values.len);
      wg_buf_free(&values);
      nfields++;
    }
    wg_buf_uleb(&bytes, nfields);
    wg_buf_append(&bytes, fields.data, fields.len);
    wg_buf_free(&fields);
  } else {
    ok = cp_string(c, &it->def->u.custom.name);
    if (ok && wat_peek(p)->kind == WAT_LPAREN) wat_skip_form(p); /* place */
    while (ok && wat_peek(p)->kind == WAT_STRING) {
      wat_string_decode(p, wat_peek(p), &bytes);
      p->pos++;
    }
  }
  if (ok && bytes.failed) ok = wat_nomem(p);
  if (ok) {
    uint8_t *b = cp_alloc(c, bytes.len ? bytes.len : 1);
    ok = b != NULL;
    if (ok) {
      if (bytes.len) memcpy(b, bytes.data, bytes.len);
      it->def->u.custom.bytes = b;
      it->def->u.custom.len = bytes.len;
    }
  }
  wg_buf_free(&bytes);
  return ok && wat_expect_rparen(p) && cp_push(c, it);
}

/* One field of a component at `(`. */
static bool component_field(CParser *c) {
  WatParser *p = c->p;
  const WatTok *t = wat_peek(p);
  uint32_t close = t->close;
  c->current = NULL;
  if (t->kind == WAT_ANNOT) {
    WgStr a = wat_tok_str(p, t);
    p->pos++;
    if (a.len == 6 && !memcmp(a.ptr, "custom", 6)) return custom(c, false);
    if (a.len == 9 && !memcmp(a.ptr, "producers", 9)) return custom(c, true);
    p->pos = close + 1; /* (@name ...) among fields: ignored */
    return true;
  }
  if (t->kind != WAT_LPAREN)
    return wat_error(p, "unexpected token, expected a component field");
  p->pos++;
  bool ok;
  if (wat_accept_kw(p, "core")) {
    if (wat_accept_kw(p, "module")) {
      ok = core_module(c);
    } else if (wat_accept_kw(p, "instance")) {
      ok = core_instance(c);
    } else if (wat_accept_kw(p, "type")) {
      ok = core_type(c);
    } else if (wat_accept_kw(p, "func")) {
      ok = core_func(c);
    } else {
      return wat_error(p, "unexpected token, expected a core field");
    }
  } else if (wat_accept_kw(p, "component")) {
    ok = nested_component(c);
  } else if (wat_accept_kw(p, "instance")) {
    ok = instance(c);
  } else if (wat_accept_kw(p, "alias")) {
    ok = alias(c);
  } else if (wat_accept_kw(p, "type")) {
    ok = type_field(c, true);
  } else if (wat_accept_kw(p, "import")) {
    ok = import(c);
  } else if (wat_accept_kw(p, "func")) {
    ok = func(c);
  } else if (wat_accept_kw(p, "export")) {
    ok = export_field(c);
  } else if (wat_accept_kw(p, "start")) {
    ok = start(c);
  } else if (wat_accept_kw(p, "canon")) {
    CItem *it = cp_item(c, NS_CFUNC, WG_CDEF_CANON);
    if (!it) return false;
    c->current = it;
    ok = cp_canon(c, it) && cp_push(c, it);
  } else {
    return wat_error(p, "unexpected token, expected a component field");
  }
  if (!ok) return false;
  if (p->pos != close) return wat_error(p, "unexpected token");
  p->pos = close + 1;
  return true;
}

static bool component_fields(CParser *c) {
  WatParser *p = c->p;
  while (!wat_at_close(p))
    if (!component_field(c)) return false;
  CScope *s = c->scope;
  for (size_t i = 0; i < s->appended.count; i++)
    if (!wg_vec_push(&s->items, s->appended.items[i])) return wat_nomem(p);
  s->appended.count = 0;
  return true;
}

/* ---- layout and resolution --------------------------------------------- */

static bool local_has(const CScope *s, uint8_t ns, WgStr id,
                      const WatNames *pending) {
  uint32_t v;
  return wat_names_get(&s->ids[ns], id, &v) ||
         wat_names_get(&pending[ns], id, &v);
}

typedef WgVec(CItem *) CItemList;

/* An alias item for `ref` (export names, or an identifier of an enclosing
 * scope), placed before `user`. */
static bool make_aliases(CParser *c, CScope *s, CRef *r, WatNames *pending,
                         CItemList *out) {
  WatParser *p = c->p;
  uint8_t ns = r->ns & 0x7f;
  if (r->nnames) {
    /* core funcs, tables, memories, globals and tags come from core
     * instances; every other sort from component instances */
    bool core = ns <= NS_CTAG;
    /* the base instance, then one alias per name */
    CItem *prev = NULL;
    for (uint32_t i = 0; i < r->nnames; i++) {
      bool last = i + 1 == r->nnames;
      uint8_t ans = last ? ns : NS_INSTANCE;
      CItem *a = cp_item(c, ans, WG_CDEF_ALIAS);
      if (!a) return false;
      a->tok = r->tok;
      WgCAlias *al = &a->def->u.alias;
      al->kind = core ? WG_CALIAS_CORE_EXPORT : WG_CALIAS_EXPORT;
      cp_ns_sort(ans, &al->sort, &al->core_sort);
      al->name = r->names[i];
      CItem *saved = c->current;
      c->current = a;
      bool ok =
          prev ? cp_ref_item(c, &al->instance, prev) != false
               : cp_ref(c, &al->instance, core ? NS_CINSTANCE : NS_INSTANCE,
                        r->has_id ? r->id : (WgStr){ NULL, 0 }, r->num,
                        r->tok) != NULL;
      c->current = saved;
      if (!ok) return false;
      /* the base instance may itself come from an enclosing scope */
      if (!prev && !make_aliases(c, s, a->refs, pending, out)) return false;
      if (!wg_vec_push(out, a)) return wat_nomem(p);
      prev = a;
    }
    r->target = prev;
    return true;
  }
  if (!r->has_id || (r->ns & 0x80) || local_has(s, ns, r->id, pending))
    return true;
  /* an identifier of an enclosing scope: alias outer */
  uint32_t depth = 1;
  for (CScope *o = s->parent; o; o = o->parent, depth++) {
    uint32_t idx;
    if (!wat_names_get(&o->ids[ns], r->id, &idx)) continue;
    if (ns != NS_TYPE && ns != NS_CTYPE && ns != NS_CMODULE &&
        ns != NS_COMPONENT)
      return wat_error_at(p, r->tok,
                          "outer item `%.*s` is not a module, type, or "
                          "component",
                          (int)r->id.len, r->id.ptr);
    CItem *a = cp_item(c, ns, WG_CDEF_ALIAS);
    if (!a) return false;
    a->tok = r->tok;
    WgCAlias *al = &a->def->u.alias;
    al->kind = WG_CALIAS_OUTER;
    cp_ns_sort(ns, &al->sort, &al->core_sort);
    al->instance = depth;
    al->index = idx;
    /* one alias per use, without a name (as wasm-tools does) */
    r->target = a;
    return wg_vec_push(out, a) ? true : wat_nomem(p);
  }
  return true; /* unknown: reported when resolving */
}

/* Inserts implicit aliases, assigns indices and defines identifiers. */
static bool layout(CParser *c, CScope *s) {
  WatParser *p = c->p;
  /* identifiers defined in this scope, for telling outer ones apart */
  WatNames pending[NS_COUNT];
  memset(pending, 0, sizeof pending);
  for (size_t i = 0; i < s->items.count; i++) {
    CItem *it = s->items.items[i];
    uint32_t prev;
    if (it->id.ptr && it->ns != NS_NONE &&
        !wat_names_add(c->arena, &pending[it->ns], it->id, 0, &prev) &&
        prev == UINT32_MAX)
      return wat_nomem(p);
  }
  CItemList order = { 0 };
  bool ok = true;
  for (size_t i = 0; ok && i < s->items.count; i++) {
    CItem *it = s->items.items[i];
    for (CRef *r = it->refs; ok && r; r = r->next)
      ok = make_aliases(c, s, r, pending, (void *)&order);
    if (ok && !wg_vec_push(&order, it)) ok = wat_nomem(p);
  }
  if (ok) {
    wg_vec_free(&s->items);
    s->items.items = order.items;
    s->items.count = order.count;
    s->items.cap = order.cap;
  } else {
    wg_vec_free(&order);
    return false;
  }
  for (size_t i = 0; i < s->items.count; i++) {
    CItem *it = s->items.items[i];
    if (it->ns == NS_NONE) continue;
    it->index = s->counts[it->ns]++;
    if (!it->id.ptr) continue;
    uint32_t prev;
    if (!wat_names_add(c->arena, &s->ids[it->ns], it->id, it->index, &prev)) {
      if (prev == UINT32_MAX) return wat_nomem(p);
      return wat_error_at(p, it->tok, "duplicate %s identifier $%.*s",
                          cp_ns_name(it->ns), (int)it->id.len, it->id.ptr);
    }
  }
  return true;
}

static bool resolve_ref(CParser *c, CScope *s, CRef *r) {
  WatParser *p = c->p;
  if (r->target) {
    *r->slot = r->target->index;
    return true;
  }
  if (!r->has_id) {
    *r->slot = r->num;
    return true;
  }
  uint8_t ns = r->ns & 0x7f;
  CScope *where = s;
  if (r->ns & 0x80) {
    /* alias outer by id: looked up in the scope `num - 1` levels out */
    for (uint32_t i = 0; where && i + 1 < r->num; i++)
      where = where->parent;
  }
  uint32_t idx;
  if (where && wat_names_get(&where->ids[ns], r->id, &idx)) {
    *r->slot = idx;
    return true;
  }
  return wat_error_at(p, r->tok, "unknown %s: failed to find name `$%.*s`",
                      cp_ns_name(ns), (int)r->id.len, r->id.ptr);
}

static bool build(CParser *c, CScope *s);

/* Lays out, resolves and builds scope `s` and the scopes inside it. */
static bool finish_scope(CParser *c, CScope *s) {
  if (!layout(c, s)) return false;
  for (size_t i = 0; i < s->items.count; i++) {
    CItem *it = s->items.items[i];
    for (CRef *r = it->refs; r; r = r->next)
      if (!resolve_ref(c, s, r)) return false;
    if (it->deferred == DEFER_MODULE_TYPE) {
      if (!reencode_module_type(c, it)) return false;
    } else if (it->deferred && !cp_finish_deferred(c, it)) {
      return false;
    }
    if (it->inner && !finish_scope(c, it->inner)) return false;
  }
  return build(c, s);
}

/* ---- building the binary tree ------------------------------------------ */

static void put_namemap(WgBuf *b, const CScope *s, uint8_t ns) {
  WgBuf map = { 0 };
  uint32_t n = 0;
  for (size_t i = 0; i < s->items.count; i++) {
    const CItem *it = s->items.items[i];
    if (it->ns != ns || !it->has_name) continue;
    wg_buf_uleb(&map, it->index);
    wg_buf_uleb(&map, it->name.len);
    wg_buf_append_str(&map, it->name);
    n++;
  }
  if (n) {
    WgBuf sub = { 0 };
    uint8_t sort, core_sort;
    cp_ns_sort(ns, &sort, &core_sort);
    wg_buf_putc(&sub, (char)sort);
    if (sort == WG_CSORT_CORE) wg_buf_putc(&sub, (char)core_sort);
    wg_buf_uleb(&sub, n);
    wg_buf_append(&sub, map.data, map.len);
    wg_buf_putc(b, 1);
    wg_buf_uleb(b, sub.len);
    wg_buf_append(b, sub.data, sub.len);
    if (sub.failed || map.failed) b->failed = true;
    wg_buf_free(&sub);
  }
  wg_buf_free(&map);
}

/* The `component-name` custom section of a component scope, or NULL. */
static bool name_section(CParser *c, const CScope *s, WgCDef *out) {
  WgBuf b = { 0 };
  if (s->has_name) {
    WgBuf sub = { 0 };
    wg_buf_uleb(&sub, s->name.len);
    wg_buf_append_str(&sub, s->name);
    wg_buf_putc(&b, 0);
    wg_buf_uleb(&b, sub.len);
    wg_buf_append(&b, sub.data, sub.len);
    wg_buf_free(&sub);
  }
  for (uint8_t ns = 0; ns < NS_COUNT; ns++)
    put_namemap(&b, s, ns);
  bool ok = !b.failed;
  out->kind = WG_CDEF_CUSTOM;
  out->u.custom.name = WG_STR("component-name");
  out->u.custom.len = 0;
  if (ok && b.len) {
    uint8_t *bytes = cp_alloc(c, b.len);
    ok = bytes != NULL;
    if (ok) {
      if (b.len) memcpy(bytes, b.data, b.len);
      out->u.custom.bytes = bytes;
      out->u.custom.len = b.len;
    }
  } else if (!ok) {
    wat_nomem(c->p);
  }
  wg_buf_free(&b);
  return ok;
}

static bool build(CParser *c, CScope *s) {
  if (s->kind == SCOPE_COMPONENT) {
    WgComponent *comp = s->component;
    if (!comp) {
      comp = cp_alloc(c, sizeof *comp);
      if (!comp) return false;
      s->component = comp;
    }
    comp->arena = c->arena;
    size_t n = 0;
    WgCDef *defs = cp_alloc(c, (s->items.count + 1) * sizeof *defs);
    if (!defs) return false;
    for (size_t i = 0; i < s->items.count; i++) {
      CItem *it = s->items.items[i];
      if (it->phantom) continue; /* start results */
      if (it->def->kind == WG_CDEF_COMPONENT)
        it->def->u.component = it->inner->component;
      defs[n++] = *it->def;
    }
    if (!name_section(c, s, &defs[n])) return false;
    if (defs[n].u.custom.len) n++;
    comp->defs = defs;
    comp->def_count = (uint32_t)n;
    return true;
  }
  WgCType *t = s->type;
  t->u.decls.count = (uint32_t)s->items.count;
  t->u.decls.items =
      s->items.count ? cp_alloc(c, s->items.count * sizeof(WgCDecl)) : NULL;
  if (s->items.count && !t->u.decls.items) return false;
  for (size_t i = 0; i < s->items.count; i++) {
    const WgCDef *d = s->items.items[i]->def;
    WgCDecl *out = &t->u.decls.items[i];
    switch (d->kind) {
      case WG_CDEF_CORE_TYPE:
        out->kind = WG_CDECL_CORE_TYPE;
        out->u.core_type.bytes = d->u.core_type.bytes;
        out->u.core_type.len = d->u.core_type.len;
        break;
      case WG_CDEF_TYPE:
        out->kind = WG_CDECL_TYPE;
        out->u.type = d->u.type;
        break;
      case WG_CDEF_ALIAS:
        out->kind = WG_CDECL_ALIAS;
        out->u.alias = d->u.alias;
        break;
      case WG_CDEF_IMPORT:
      case WG_CDEF_EXPORT:
        out->kind =
            d->kind == WG_CDEF_IMPORT ? WG_CDECL_IMPORT : WG_CDECL_EXPORT;
        out->u.extern_.name = d->u.extern_.name;
        out->u.extern_.type = d->u.extern_.type;
        break;
      default:
        return wat_error_at(c->p, s->items.items[i]->tok,
                            "unexpected declarator");
    }
  }
  return true;
}

/* ---- type scopes (component and instance types) ------------------------ */

/* One declarator of a component or instance type at `(`. */
static bool type_decl(CParser *c, bool component_type) {
  WatParser *p = c->p;
  const WatTok *t = wat_peek(p);
  uint32_t close = t->close;
  c->current = NULL;
  if (t->kind != WAT_LPAREN) return wat_error(p, "unexpected token");
  p->pos++;
  bool ok;
  if (wat_accept_kw(p, "core")) {
    if (!wat_expect_kw(p, "type")) return false;
    ok = core_type(c);
  } else if (wat_accept_kw(p, "type")) {
    ok = type_field(c, false);
  } else if (wat_accept_kw(p, "alias")) {
    ok = alias(c);
  } else if (component_type && wat_accept_kw(p, "import")) {
    ok = import(c);
  } else if (wat_accept_kw(p, "export")) {
    CItem *it = cp_item(c, NS_NONE, WG_CDEF_EXPORT);
    if (!it) return false;
    c->current = it;
    WgCDef *d = it->def;
    ok = cp_extern_name(c, &d->u.extern_.name) &&
         item_sig(c, it, &d->u.extern_.type, true) && cp_push(c, it);
  } else {
    return wat_error(p, "unexpected token, expected a declarator");
  }
  if (!ok) return false;
  if (p->pos != close) return wat_error(p, "unexpected token");
  p->pos = close + 1;
  return true;
}

bool cp_type_scope(CParser *c, WgCType *t, WgStr id) {
  if (++c->depth > MAX_COMPONENT_DEPTH)
    return wat_error(c->p, "types nested too deeply");
  bool component_type = t->kind == WG_CT_COMPONENT;
  CScope *s = new_scope(
      c, component_type ? SCOPE_COMPONENT_TYPE : SCOPE_INSTANCE_TYPE, id);
  if (!s) return false;
  s->type = t;
  CItem *owner = c->current;
  if (!owner || owner->inner)
    return wat_error(c->p, "unexpected type definition here");
  owner->inner = s;
  CScope *outer = c->scope;
  c->scope = s;
  bool ok = true;
  while (ok && !wat_at_close(c->p))
    ok = type_decl(c, component_type);
  ok = ok && cp_push(c, NULL);
  c->scope = outer;
  c->current = owner;
  c->depth--;
  return ok;
}

/* ---- entry -------------------------------------------------------------- */

static void free_scopes(CParser *c) {
  for (size_t i = 0; i < c->scopes.count; i++) {
    CScope *s = c->scopes.items[i];
    wg_vec_free(&s->items);
    wg_vec_free(&s->hoisted);
    wg_vec_free(&s->bags);
    wg_vec_free(&s->appended);
  }
  wg_vec_free(&c->scopes);
}

bool wat_component(WatParser *p, WgStr id, WgStr name, bool has_name,
                   WgBuf *out) {
  wat_instr_init();
  CParser c;
  memset(&c, 0, sizeof c);
  c.p = p;
  c.arena = p->arena;
  CScope *root = new_scope(&c, SCOPE_COMPONENT, id);
  bool ok = root != NULL;
  if (ok) {
    root->name = name;
    root->has_name = has_name;
    c.scope = root;
    ok = component_fields(&c) && finish_scope(&c, root);
  }
  if (ok) {
    wg_cencode_component(out, root->component);
    if (out->failed) ok = wat_nomem(p);
  }
  free_scopes(&c);
  return ok;
}
