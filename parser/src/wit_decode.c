/* SPDX-License-Identifier: Apache-2.0 */
/* Component types back to WIT text (wg_wit_decode in witgen/wit.h).
 *
 * The binary is validated by the component validator, which resolves every
 * type (witgen/component_types.h). What it resolves keeps identities: an
 * interface's type export is a named copy of the type it names, and every
 * reference to that export is the same pointer. So a WIT name is found for
 * a type by its pointer: the interfaces and worlds are read into items, the
 * name of every type export recorded, and a named copy whose original is
 * itself a named type of another interface becomes a `use` (spec: Binary.md,
 * WIT.md; the layout is wit-component's, as wit_encode.c writes it). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "strbuf.h"
#include "wit_internal.h"
#include "witgen/component_binary.h"
#include "witgen/component_types.h"

typedef struct Iface Iface;

typedef enum ItemKind { ITEM_TYPE, ITEM_FUNC, ITEM_IFACE } ItemKind;

/* An item of an interface or a world, in declaration order. */
typedef struct Item {
  ItemKind kind;
  bool is_export; /* worlds */
  WgStr name;
  const WgCValTy *val;    /* ITEM_TYPE: a value type */
  const WgCResource *res; /* ITEM_TYPE: a resource */
  const WgCFuncTy *fn;    /* ITEM_FUNC */
  Iface *iface;           /* ITEM_IFACE (worlds) */
} Item;

typedef struct ItemList {
  Item *items;
  size_t count, cap;
} ItemList;

struct Iface {
  WgStr key;  /* "ns:pkg/name@ver", or a plain name for inline ones */
  WgStr pkg;  /* "ns:pkg@ver"; empty for inline interfaces */
  WgStr name; /* the interface's own name */
  bool is_world;
  bool is_inline;
  bool defined;
  bool merged; /* a world merged into another: not printed */
  ItemList items;
  Iface *next;
};

/* The WIT name of a type or resource: its owner and name there. */
typedef struct Name {
  const void *type;
  Iface *owner;
  WgStr name;
} Name;

typedef struct Dec {
  WgArena *arena;
  WgCTypes *types;
  Iface *ifaces, *last;
  Name *names;
  size_t name_count, name_cap;
  char *err;
  bool failed;
} Dec;

static bool failf(Dec *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static bool failf(Dec *d, const char *fmt, ...) {
  if (!d->failed) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err, 256, fmt, ap);
    va_end(ap);
  }
  d->failed = true;
  return false;
}

static bool grow(Dec *d, void **items, size_t *cap, size_t count, size_t size) {
  if (count < *cap) return true;
  size_t ncap = *cap ? *cap * 2 : 8;
  void *n = wg_arena_alloc(d->arena, ncap * size);
  if (!n) return failf(d, "out of memory");
  if (count) memcpy(n, *items, count * size);
  *items = n;
  *cap = ncap;
  return true;
}

static bool push_item(Dec *d, ItemList *l, Item it) {
  if (!grow(d, (void **)&l->items, &l->cap, l->count, sizeof it)) return false;
  l->items[l->count++] = it;
  return true;
}

/* ---- names ---- */

static const Name *name_of(const Dec *d, const void *type) {
  for (size_t i = 0; i < d->name_count; i++)
    if (d->names[i].type == type) return &d->names[i];
  return NULL;
}

/* Records that `type` is called `name` in `owner` (the first name wins). */
static bool name_add(Dec *d, const void *type, Iface *owner, WgStr name) {
  if (name_of(d, type)) return true;
  if (!grow(d, (void **)&d->names, &d->name_cap, d->name_count,
            sizeof *d->names))
    return false;
  d->names[d->name_count++] = (Name){ type, owner, name };
  return true;
}

/* ---- interfaces ---- */

/* Names interface `i` `key` (its package and short name from it). */
static void iface_name(Dec *d, Iface *i, WgStr key) {
  i->key = wg_arena_strdup(d->arena, key);
  /* "ns:pkg/name@ver" -> pkg "ns:pkg@ver", name "name" */
  const char *slash = memchr(key.ptr, '/', key.len);
  if (slash && memchr(key.ptr, ':', key.len)) {
    const char *at = memchr(slash, '@', key.len - (size_t)(slash - key.ptr));
    size_t end = at ? (size_t)(at - key.ptr) : key.len;
    i->name = (WgStr){ i->key.ptr + (slash - key.ptr) + 1,
                       end - (size_t)(slash - key.ptr) - 1 };
    i->pkg = at ? (WgStr){ wg_arena_printf(d->arena, "%.*s%.*s",
                                           (int)(slash - key.ptr), key.ptr,
                                           (int)(key.len - end), at),
                           0 }
                : (WgStr){ i->key.ptr, (size_t)(slash - key.ptr) };
    if (at) i->pkg.len = strlen(i->pkg.ptr);
  } else {
    i->is_inline = true;
    i->name = i->key;
  }
}

/* The interface (or world) with key `key`, created when new, in order. */
static Iface *iface_get(Dec *d, WgStr key, bool is_world) {
  for (Iface *i = d->ifaces; i; i = i->next)
    if (i->is_world == is_world && wg_str_eq(i->key, key)) return i;
  Iface *i = wg_arena_zalloc(d->arena, sizeof *i);
  if (!i) {
    failf(d, "out of memory");
    return NULL;
  }
  i->is_world = is_world;
  iface_name(d, i, key);
  if (d->last)
    d->last->next = i;
  else
    d->ifaces = i;
  d->last = i;
  return i;
}

/* A type item of an interface or world: named there. */
static bool type_item(Dec *d, Iface *owner, ItemList *items, const WgCItem *e,
                      bool is_export, bool add) {
  const WgCTypeRef *r = &e->type.of.type;
  Item it = { .kind = ITEM_TYPE, .name = e->name.name, .is_export = is_export };
  if (r->kind == WG_CTY_RESOURCE)
    it.res = r->of.resource;
  else if (r->kind == WG_CTY_VALUE)
    it.val = r->of.value;
  else
    return failf(d, "`%.*s`: only value types and resources are WIT types",
                 (int)e->name.name.len, e->name.name.ptr);
  if (!name_add(d, it.res ? (const void *)it.res : (const void *)it.val, owner,
                e->name.name))
    return false;
  return !add || push_item(d, items, it);
}

/* Interface `i` from instance type `it`. Every occurrence names its types
 * (the same interface imported by several worlds has copies of them); the
 * first one gives the items. */
static bool read_interface(Dec *d, const WgCInstanceTy *it, Iface *i) {
  bool add = !i->defined;
  i->defined = true;
  for (uint32_t k = 0; k < it->export_count && !d->failed; k++) {
    const WgCItem *e = &it->exports[k];
    if (e->type.sort == WG_CSORT_TYPE) {
      type_item(d, i, &i->items, e, true, add);
    } else if (e->type.sort == WG_CSORT_FUNC) {
      Item f = { .kind = ITEM_FUNC,
                 .name = e->name.name,
                 .fn = e->type.of.func };
      if (add) push_item(d, &i->items, f);
    } else {
      return failf(d,
                   "interface `%.*s`: export `%.*s` is not a type or a "
                   "function",
                   (int)i->key.len, i->key.ptr, (int)e->name.name.len,
                   e->name.name.ptr);
    }
  }
  return !d->failed;
}

/* An import or export of a world (or a component): an interface, a
 * function or a type. */
static bool world_item(Dec *d, Iface *w, const WgCItem *e, bool is_export) {
  WgStr name = e->name.name;
  switch (e->type.sort) {
    case WG_CSORT_INSTANCE: {
      /* `import name: ns:pkg/iface` carries the interface as `implements` */
      Iface *i = iface_get(
          d, e->name.implements.len ? e->name.implements : name, false);
      if (!i || !read_interface(d, e->type.of.instance, i)) return false;
      Item it = {
        .kind = ITEM_IFACE, .name = name, .iface = i, .is_export = is_export
      };
      return push_item(d, &w->items, it);
    }
    case WG_CSORT_FUNC: {
      Item it = { .kind = ITEM_FUNC,
                  .name = name,
                  .fn = e->type.of.func,
                  .is_export = is_export };
      return push_item(d, &w->items, it);
    }
    case WG_CSORT_TYPE:
      return type_item(d, w, &w->items, e, is_export, true);
    default:
      return failf(d,
                   "`%.*s`: only interfaces, functions and types can be "
                   "imported or exported by a world",
                   (int)name.len, name.ptr);
  }
}

static bool read_world(Dec *d, const WgCComponentTy *ct, Iface *w) {
  w->defined = true;
  for (uint32_t k = 0; k < ct->import_count && !d->failed; k++)
    world_item(d, w, &ct->imports[k], false);
  for (uint32_t k = 0; k < ct->export_count && !d->failed; k++)
    world_item(d, w, &ct->exports[k], true);
  return !d->failed;
}

/* A WIT package as a component type: imports are foreign interfaces, exports
 * are the package's interfaces (instance types) and worlds (component
 * types). Also the shape of a `component-type:*` section (one world). */
static bool read_package(Dec *d, const WgCComponentTy *pkg) {
  for (uint32_t k = 0; k < pkg->import_count && !d->failed; k++) {
    const WgCItem *e = &pkg->imports[k];
    if (e->type.sort != WG_CSORT_INSTANCE)
      return failf(d, "unexpected import `%.*s` in a WIT package type",
                   (int)e->name.name.len, e->name.name.ptr);
    Iface *i = iface_get(d, e->name.name, false);
    if (i) read_interface(d, e->type.of.instance, i);
  }
  for (uint32_t k = 0; k < pkg->export_count && !d->failed; k++) {
    const WgCItem *e = &pkg->exports[k];
    if (e->type.sort == WG_CSORT_INSTANCE) {
      Iface *i = iface_get(d, e->name.name, false);
      if (i) read_interface(d, e->type.of.instance, i);
    } else if (e->type.sort == WG_CSORT_COMPONENT) {
      Iface *w = iface_get(d, e->name.name, true);
      if (w) read_world(d, e->type.of.component, w);
    } else {
      return failf(d, "unexpected `%.*s` in a WIT package type",
                   (int)e->name.name.len, e->name.name.ptr);
    }
  }
  return !d->failed;
}

/* ---- printing ---- */

typedef struct Out {
  Dec *d;
  WgBuf buf;
} Out;

/* Names are escaped as the printer escapes them (the text is resolved by
 * the front-end next). */
static void put_id(Out *o, WgStr name) {
  wit_put_name(&o->buf, name);
}

/* "ns:pkg[/name][@ver]" with each name escaped. */
static void put_qualified(Out *o, WgStr key) {
  size_t i = 0, start = 0;
  for (; i <= key.len; i++) {
    char c = i < key.len ? key.ptr[i] : '\0';
    if (i < key.len && c != ':' && c != '/' && c != '@') continue;
    put_id(o, (WgStr){ key.ptr + start, i - start });
    if (i == key.len) return;
    wg_buf_putc(&o->buf, c);
    start = i + 1;
    if (c == '@') break;
  }
  wg_buf_append_str(&o->buf, (WgStr){ key.ptr + start, key.len - start });
}

/* How interface `i` is referred to from package `from`. */
static void put_iface_path(Out *o, const Iface *i, WgStr from) {
  if (wg_str_eq(i->pkg, from))
    put_id(o, i->name);
  else
    put_qualified(o, i->key);
}

static void put_resource(Out *o, const WgCResource *r) {
  const Name *n = name_of(o->d, r);
  if (!n) n = name_of(o->d, wg_cresource_canon(r));
  if (n)
    put_id(o, n->name);
  else
    failf(o->d, "a resource has no name in WIT");
}

/* A type where it is used: its name, or its structure when anonymous. */
static void put_val(Out *o, const WgCValTy *v, int depth) {
  if (depth > 100) {
    failf(o->d, "types nested too deeply");
    return;
  }
  const Name *n = v->kind == WG_CT_PRIM && !v->named ? NULL : name_of(o->d, v);
  if (n) {
    put_id(o, n->name);
    return;
  }
  switch (v->kind) {
    case WG_CT_PRIM:
      wg_buf_puts(&o->buf, wg_cprim_name((WgCPrim)v->prim));
      return;
    case WG_CT_LIST:
    case WG_CT_FIXED_LIST:
      wg_buf_puts(&o->buf, "list<");
      put_val(o, v->elems[0], depth + 1);
      if (v->kind == WG_CT_FIXED_LIST)
        wg_buf_printf(&o->buf, ", %u", v->length);
      wg_buf_putc(&o->buf, '>');
      return;
    case WG_CT_OPTION:
      wg_buf_puts(&o->buf, "option<");
      put_val(o, v->elems[0], depth + 1);
      wg_buf_putc(&o->buf, '>');
      return;
    case WG_CT_RESULT:
      wg_buf_puts(&o->buf, "result");
      if (!v->elems[0] && !v->elems[1]) return;
      wg_buf_putc(&o->buf, '<');
      if (v->elems[0])
        put_val(o, v->elems[0], depth + 1);
      else
        wg_buf_putc(&o->buf, '_');
      if (v->elems[1]) {
        wg_buf_puts(&o->buf, ", ");
        put_val(o, v->elems[1], depth + 1);
      }
      wg_buf_putc(&o->buf, '>');
      return;
    case WG_CT_TUPLE:
      wg_buf_puts(&o->buf, "tuple<");
      for (uint32_t k = 0; k < v->count; k++) {
        if (k) wg_buf_puts(&o->buf, ", ");
        put_val(o, v->elems[k], depth + 1);
      }
      wg_buf_putc(&o->buf, '>');
      return;
    case WG_CT_OWN:
    case WG_CT_BORROW:
      wg_buf_puts(&o->buf, v->kind == WG_CT_OWN ? "own<" : "borrow<");
      put_resource(o, v->resource);
      wg_buf_putc(&o->buf, '>');
      return;
    case WG_CT_FUTURE:
    case WG_CT_STREAM:
      wg_buf_puts(&o->buf, v->kind == WG_CT_FUTURE ? "future" : "stream");
      if (v->elems[0]) {
        wg_buf_putc(&o->buf, '<');
        put_val(o, v->elems[0], depth + 1);
        wg_buf_putc(&o->buf, '>');
      }
      return;
    case WG_CT_MAP:
      wg_buf_puts(&o->buf, "map<");
      put_val(o, v->elems[0], depth + 1);
      wg_buf_puts(&o->buf, ", ");
      put_val(o, v->elems[1], depth + 1);
      wg_buf_putc(&o->buf, '>');
      return;
    default:
      failf(o->d, "an anonymous record, variant, enum, flags or resource "
                  "type has no WIT spelling");
  }
}

/* Fields of a record or cases of a variant/enum/flags, one per line. */
static void put_cases(Out *o, const WgCValTy *v, const char *ind, bool record) {
  bool typed = v->kind == WG_CT_RECORD || v->kind == WG_CT_VARIANT;
  for (uint32_t k = 0; k < v->count; k++) {
    wg_buf_printf(&o->buf, "%s  ", ind);
    put_id(o, v->labels[k]);
    if (typed && v->elems[k]) {
      wg_buf_puts(&o->buf, record ? ": " : "(");
      put_val(o, v->elems[k], 0);
      if (!record) wg_buf_putc(&o->buf, ')');
    }
    wg_buf_puts(&o->buf, ",\n");
  }
}

/* `func(a: T, …) -> R` without the `self` parameter when `skip_self`. */
static void put_func_sig(Out *o, const WgCFuncTy *fn, bool skip_self,
                         bool is_ctor) {
  wg_buf_puts(&o->buf, is_ctor ? "" : fn->is_async ? "async func" : "func");
  wg_buf_putc(&o->buf, '(');
  for (uint32_t k = skip_self ? 1 : 0; k < fn->param_count; k++) {
    if (k > (skip_self ? 1u : 0u)) wg_buf_puts(&o->buf, ", ");
    put_id(o, fn->param_names[k]);
    wg_buf_puts(&o->buf, ": ");
    put_val(o, fn->params[k], 0);
  }
  wg_buf_putc(&o->buf, ')');
  if (!fn->result) return;
  /* `constructor() -> result<r, e>` only for fallible constructors */
  if (is_ctor && fn->result->kind != WG_CT_RESULT) return;
  wg_buf_puts(&o->buf, " -> ");
  put_val(o, fn->result, 0);
}

/* True when function `name` belongs to resource `res`: `[constructor]res`,
 * `[method]res.f`, `[static]res.f`; *kind 0/1/2, *fname the plain name. */
static bool resource_func(WgStr name, WgStr res, int *kind, WgStr *fname) {
  static const char *const prefixes[] = { "[constructor]", "[method]",
                                          "[static]" };
  for (int k = 0; k < 3; k++) {
    size_t pl = strlen(prefixes[k]);
    if (name.len < pl + res.len || memcmp(name.ptr, prefixes[k], pl) != 0)
      continue;
    if (memcmp(name.ptr + pl, res.ptr, res.len) != 0) continue;
    const char *rest = name.ptr + pl + res.len;
    size_t rl = name.len - pl - res.len;
    if (k == 0 && rl == 0) {
      *kind = 0;
      *fname = res;
      return true;
    }
    if (k > 0 && rl > 1 && rest[0] == '.') {
      *kind = k;
      *fname = (WgStr){ rest + 1, rl - 1 };
      return true;
    }
  }
  return false;
}

static bool is_resource_func(WgStr name) {
  return name.len && name.ptr[0] == '[';
}

/* `use iface.{name as alias};` for a type `owner` takes from elsewhere. */
static void put_use(Out *o, const Name *from, WgStr name, WgStr pkg,
                    const char *ind) {
  if (!from->owner || from->owner->is_world) {
    failf(o->d, "type `%.*s` refers to a world's type", (int)name.len,
          name.ptr);
    return;
  }
  wg_buf_printf(&o->buf, "%suse ", ind);
  put_iface_path(o, from->owner, pkg);
  wg_buf_puts(&o->buf, ".{");
  put_id(o, from->name);
  if (!wg_str_eq(from->name, name)) {
    wg_buf_puts(&o->buf, " as ");
    put_id(o, name);
  }
  wg_buf_puts(&o->buf, "};\n");
}

/* A resource of `owner` with its constructor, methods and statics. */
static void put_resource_item(Out *o, const Item *r, const ItemList *items,
                              const char *ind) {
  wg_buf_printf(&o->buf, "%sresource ", ind);
  put_id(o, r->name);
  bool any = false;
  for (size_t k = 0; k < items->count; k++) {
    const Item *it = &items->items[k];
    int kind;
    WgStr fname;
    if (it->kind != ITEM_FUNC ||
        !resource_func(it->name, r->name, &kind, &fname))
      continue;
    if (!any) wg_buf_puts(&o->buf, " {\n");
    any = true;
    wg_buf_printf(&o->buf, "%s  ", ind);
    if (kind == 0) {
      wg_buf_puts(&o->buf, "constructor");
    } else {
      put_id(o, fname);
      wg_buf_puts(&o->buf, kind == 2 ? ": static " : ": ");
    }
    put_func_sig(o, it->fn, kind == 1, kind == 0);
    wg_buf_puts(&o->buf, ";\n");
  }
  wg_buf_puts(&o->buf, any ? "" : ";\n");
  if (any) wg_buf_printf(&o->buf, "%s}\n", ind);
}

/* One type item of interface or world `owner`, `ind` the indentation. */
static void put_type_item(Out *o, const Iface *owner, const Item *it,
                          const ItemList *items, WgStr pkg, const char *ind) {
  if (it->res) {
    const WgCResource *of = it->res->alias_of;
    const Name *from = of ? name_of(o->d, of) : NULL;
    if (from && from->owner != owner) {
      put_use(o, from, it->name, pkg, ind);
    } else if (from) {
      wg_buf_printf(&o->buf, "%stype ", ind);
      put_id(o, it->name);
      wg_buf_puts(&o->buf, " = ");
      put_id(o, from->name);
      wg_buf_puts(&o->buf, ";\n");
    } else {
      put_resource_item(o, it, items, ind);
    }
    return;
  }
  /* a named copy: of another interface's type (a `use`), of one of this
   * interface's (an alias), or of a definition */
  const WgCValTy *def = it->val->alias_of ? it->val->alias_of : it->val;
  const Name *from = it->val->alias_of ? name_of(o->d, def) : NULL;
  if (from && from->owner != owner) {
    put_use(o, from, it->name, pkg, ind);
    return;
  }
  const char *kw = def->kind == WG_CT_RECORD    ? "record"
                   : def->kind == WG_CT_VARIANT ? "variant"
                   : def->kind == WG_CT_ENUM    ? "enum"
                   : def->kind == WG_CT_FLAGS   ? "flags"
                                                : NULL;
  if (kw && !from) {
    wg_buf_printf(&o->buf, "%s%s ", ind, kw);
    put_id(o, it->name);
    wg_buf_puts(&o->buf, " {\n");
    put_cases(o, def, ind, def->kind == WG_CT_RECORD);
    wg_buf_printf(&o->buf, "%s}\n", ind);
    return;
  }
  wg_buf_printf(&o->buf, "%stype ", ind);
  put_id(o, it->name);
  wg_buf_puts(&o->buf, " = ");
  if (from)
    put_id(o, from->name);
  else
    put_val(o, def, 0);
  wg_buf_puts(&o->buf, ";\n");
}

/* The items of interface `i` (types and functions). */
static void put_iface_body(Out *o, const Iface *i, const char *ind) {
  for (size_t k = 0; k < i->items.count; k++) {
    const Item *it = &i->items.items[k];
    if (it->kind == ITEM_TYPE) {
      put_type_item(o, i, it, &i->items, i->pkg, ind);
    } else if (it->kind == ITEM_FUNC && !is_resource_func(it->name)) {
      wg_buf_printf(&o->buf, "%s", ind);
      put_id(o, it->name);
      wg_buf_puts(&o->buf, ": ");
      put_func_sig(o, it->fn, false, false);
      wg_buf_puts(&o->buf, ";\n");
    }
  }
}

static void put_interface(Out *o, const Iface *i, const char *ind) {
  wg_buf_printf(&o->buf, "%sinterface ", ind);
  put_id(o, i->name);
  wg_buf_puts(&o->buf, " {\n");
  char inner[64];
  snprintf(inner, sizeof inner, "%s  ", ind);
  put_iface_body(o, i, inner);
  wg_buf_printf(&o->buf, "%s}\n", ind);
}

static void put_world(Out *o, const Iface *w, const char *ind) {
  wg_buf_printf(&o->buf, "%sworld ", ind);
  put_id(o, w->name);
  wg_buf_puts(&o->buf, " {\n");
  char inner[64], inner2[64];
  snprintf(inner, sizeof inner, "%s  ", ind);
  snprintf(inner2, sizeof inner2, "%s    ", ind);
  for (size_t k = 0; k < w->items.count; k++) {
    const Item *it = &w->items.items[k];
    const char *dir = it->is_export ? "export" : "import";
    if (it->kind == ITEM_TYPE) {
      put_type_item(o, w, it, &w->items, w->pkg, inner);
    } else if (it->kind == ITEM_FUNC && !is_resource_func(it->name)) {
      wg_buf_printf(&o->buf, "%s%s ", inner, dir);
      put_id(o, it->name);
      wg_buf_puts(&o->buf, ": ");
      put_func_sig(o, it->fn, false, false);
      wg_buf_puts(&o->buf, ";\n");
    } else if (it->kind == ITEM_IFACE) {
      wg_buf_printf(&o->buf, "%s%s ", inner, dir);
      if (it->iface->is_inline) {
        put_id(o, it->iface->name);
        wg_buf_puts(&o->buf, ": interface {\n");
        put_iface_body(o, it->iface, inner2);
        wg_buf_printf(&o->buf, "%s}\n", inner);
      } else {
        if (!wg_str_eq(it->name, it->iface->key)) {
          put_id(o, it->name);
          wg_buf_puts(&o->buf, ": ");
        }
        put_iface_path(o, it->iface, w->pkg);
        wg_buf_puts(&o->buf, ";\n");
      }
    }
  }
  wg_buf_printf(&o->buf, "%s}\n", ind);
}

/* Inline interfaces print inside their world; merged worlds not at all. */
static bool hidden(const Iface *i) {
  return i->is_inline || i->merged;
}

/* The whole text: main package items, then foreign packages nested. */
static void put_all(Out *o) {
  WgStr main = { 0 };
  for (Iface *i = o->d->ifaces; i; i = i->next)
    if (i->is_world && !i->merged) {
      main = i->pkg;
      break;
    }
  if (!main.ptr)
    for (Iface *i = o->d->ifaces; i; i = i->next)
      if (!hidden(i)) {
        main = i->pkg;
        break;
      }
  if (!main.ptr) {
    failf(o->d, "the binary declares no interface or world");
    return;
  }
  wg_buf_puts(&o->buf, "package ");
  put_qualified(o, main);
  wg_buf_puts(&o->buf, ";\n\n");
  for (Iface *i = o->d->ifaces; i; i = i->next) {
    if (hidden(i) || !wg_str_eq(i->pkg, main)) continue;
    if (i->is_world)
      put_world(o, i, "");
    else
      put_interface(o, i, "");
    wg_buf_putc(&o->buf, '\n');
  }
  /* foreign packages, each once, in order of first appearance */
  for (Iface *p = o->d->ifaces; p; p = p->next) {
    if (hidden(p) || wg_str_eq(p->pkg, main)) continue;
    bool seen = false;
    for (Iface *q = o->d->ifaces; q != p; q = q->next)
      if (!hidden(q) && wg_str_eq(q->pkg, p->pkg)) seen = true;
    if (seen) continue;
    wg_buf_puts(&o->buf, "package ");
    put_qualified(o, p->pkg);
    wg_buf_puts(&o->buf, " {\n");
    for (Iface *i = p; i; i = i->next) {
      if (hidden(i) || !wg_str_eq(i->pkg, p->pkg)) continue;
      if (i->is_world)
        put_world(o, i, "  ");
      else
        put_interface(o, i, "  ");
    }
    wg_buf_puts(&o->buf, "}\n\n");
  }
}

/* ---- entry points ---- */

/* Several component-type sections (objects linked together, each with its
 * bindings): their worlds merged into the first, as wit-component does;
 * items named alike in the same direction appear once. */
static void merge_worlds(Dec *d) {
  Iface *first = NULL;
  for (Iface *w = d->ifaces; w; w = w->next) {
    if (!w->is_world) continue;
    if (!first) {
      first = w;
      continue;
    }
    w->merged = true;
    for (size_t k = 0; k < w->items.count && !d->failed; k++) {
      Item *it = &w->items.items[k];
      bool dup = false;
      for (size_t j = 0; j < first->items.count; j++) {
        Item *f = &first->items.items[j];
        if (f->kind == it->kind && f->is_export == it->is_export &&
            wg_str_eq(f->name, it->name))
          dup = true;
      }
      if (!dup) push_item(d, &first->items, *it);
    }
  }
}

/* A WIT package binary holds only type definitions, custom sections and
 * type exports. */
static bool is_package(const WgComponent *c) {
  uint32_t ntypes = 0;
  for (uint32_t k = 0; k < c->def_count; k++) {
    const WgCDef *def = &c->defs[k];
    if (def->kind == WG_CDEF_TYPE)
      ntypes++;
    else if (def->kind == WG_CDEF_EXPORT) {
      if (def->u.extern_.sort != WG_CSORT_TYPE) return false;
    } else if (def->kind != WG_CDEF_CUSTOM) {
      return false;
    }
  }
  return ntypes > 0;
}

/* Decodes and validates a component binary and reads it as a WIT package
 * (a type exported as the package) or as a component with its own world.
 * `keep` receives the decoded component, which the types point into. */
static bool decode_component(Dec *d, const uint8_t *bytes, size_t len,
                             bool from_core, WgComponent **keep) {
  WgDiagList *diags = wg_diag_list_new();
  if (!diags) return failf(d, "out of memory");
  WgStatus st =
      wg_component_decode(bytes, len, wg_allocator_default(), keep, diags);
  const WgCScope *scope = NULL;
  if (st == WG_OK)
    st = wg_component_validate(d->types, *keep, NULL, &scope, diags);
  if (st != WG_OK) {
    const WgDiag *e = wg_diag_list_get(diags, 0);
    failf(d, "%s at offset %llu%s", wg_diag_list_first_error(diags),
          e ? (unsigned long long)e->offset : 0ULL,
          from_core ? " of the component-type section" : "");
  }
  wg_diag_list_delete(diags);
  if (st != WG_OK) return false;
  if (!is_package(*keep)) {
    if (from_core) return failf(d, "the component-type section is malformed");
    Iface *w = iface_get(d, WG_STR("root:component/root"), true);
    return w && read_world(d, scope->type, w);
  }
  /* every export names type 0 in the encodings we know */
  if (scope->type_count == 0 || scope->types[0].kind != WG_CTY_COMPONENT)
    return failf(d, "the exported type is not a component type");
  return read_package(d, scope->types[0].of.component);
}

bool wit_decode_to_text(const uint8_t *const *modules, const size_t *lens,
                        size_t count, char err[256], char **out_text) {
  err[0] = '\0';
  WgArena arena;
  wg_arena_init(&arena, wg_allocator_default());
  Dec d = { .arena = &arena, .err = err };
  d.types = wg_ctypes_new(wg_allocator_default());
  if (!d.types) failf(&d, "out of memory");
  enum { MAX_SECTIONS = 64 };
  WgComponent *comps[MAX_SECTIONS] = { 0 };
  size_t ncomp = 0, nworlds = 0;
  char *text = NULL;
  for (size_t m = 0; m < count && !d.failed; m++) {
    const uint8_t *bytes = modules[m];
    size_t len = lens[m];
    if (len < 8 || memcmp(bytes, "\0asm", 4) != 0) {
      failf(&d, "not a WebAssembly binary (no \\0asm header)");
    } else if (wg_component_is_component(bytes, len)) {
      if (count > 1) {
        failf(&d, "components cannot be merged with modules");
        break;
      }
      decode_component(&d, bytes, len, false, &comps[ncomp++]);
    } else if (bytes[4] == 1 && bytes[5] == 0 && bytes[6] == 0 &&
               bytes[7] == 0) {
      /* every component-type section; their worlds merged */
      size_t pos = 0, before = nworlds;
      for (;;) {
        WgStr name;
        const uint8_t *payload;
        size_t plen;
        WgDiagList *diags = wg_diag_list_new();
        WgStatus st = wg_component_type_section_next(bytes, len, &pos, &name,
                                                     &payload, &plen, diags);
        if (st != WG_OK) failf(&d, "%s", wg_diag_list_first_error(diags));
        wg_diag_list_delete(diags);
        if (st != WG_OK || !payload) break;
        if (ncomp >= MAX_SECTIONS) {
          failf(&d, "more than %d component-type sections", MAX_SECTIONS);
          break;
        }
        if (!decode_component(&d, payload, plen, true, &comps[ncomp++])) break;
        nworlds++;
      }
      if (!d.failed && nworlds == before)
        failf(&d, "the core module has no `component-type` custom section "
                  "(was it built with WIT bindings?)");
    } else {
      failf(&d, "unknown WebAssembly binary version");
    }
  }
  if (!d.failed && nworlds > 1) merge_worlds(&d);
  if (!d.failed) {
    Out o = { .d = &d };
    put_all(&o);
    if (o.buf.failed) failf(&d, "out of memory");
    if (!d.failed) text = wg_buf_take(&o.buf, NULL);
    wg_buf_free(&o.buf);
  }
  /* the types point into the components: free them after */
  wg_ctypes_delete(d.types);
  for (size_t k = 0; k < ncomp; k++)
    wg_component_free(comps[k]);
  wg_arena_release(&arena);
  *out_text = text;
  return text != NULL;
}

WgStatus wg_wit_decode(const uint8_t *const *binaries, const size_t *lens,
                       size_t count, WgDiagList *diags, char **out_text) {
  char err[256];
  *out_text = NULL;
  if (count == 0) {
    wg_diag_list_addf(diags, WG_SEVERITY_ERROR, WG_ERR_MISUSE, NULL,
                      "no binary given");
    return WG_ERR_MISUSE;
  }
  if (wit_decode_to_text(binaries, lens, count, err, out_text)) return WG_OK;
  WgStatus st =
      strcmp(err, "out of memory") == 0 ? WG_ERR_NOMEM : WG_ERR_MALFORMED;
  wg_diag_list_addf(diags, WG_SEVERITY_ERROR, st, NULL, "%s", err);
  return st;
}
