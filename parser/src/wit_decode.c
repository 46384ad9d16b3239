/* SPDX-License-Identifier: Apache-2.0 */
/* Component types back to WIT text (see wit_decode.h).
 *
 * The component's declarators are walked in order, keeping for every index
 * of the type space what it denotes: a primitive, an anonymous definition,
 * or a named type (an `(export "t" (type (eq …)))` of an interface, a type
 * import of a world, a resource). Named types are objects shared by every
 * alias of them, so identity survives `alias outer` / `alias export`: that
 * is how a `use` between interfaces is recognised. Interfaces are gathered
 * by name across the whole input, then printed as WIT (spec: Binary.md,
 * WIT.md; the layout is wit-component's, as world_type.c writes it). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "component/ctype.h"
#include "leb128.h"
#include "strbuf.h"
#include "wit_decode.h"
#include "wit_internal.h"

typedef struct Named Named;
typedef struct Iface Iface;
typedef struct Scope Scope;

/* What one type index denotes. */
typedef struct TDesc {
  uint8_t prim;       /* a primitive (prim != 0) */
  const WgCType *def; /* an anonymous definition, indices in `scope` */
  Scope *scope;
  Named *named; /* a named type */
} TDesc;

/* A named type: owned by an interface (or the world when owner is NULL). */
struct Named {
  Iface *owner;
  WgStr name;
  bool is_resource;
  TDesc target; /* what `eq` points at (not for resources) */
};

typedef enum ItemKind { ITEM_TYPE, ITEM_FUNC, ITEM_IFACE } ItemKind;

/* An item of an interface or a world, in declaration order. */
typedef struct Item {
  ItemKind kind;
  bool is_export; /* worlds */
  WgStr name;
  Named *named;      /* ITEM_TYPE */
  const WgCType *fn; /* ITEM_FUNC, indices in fn_scope */
  Scope *fn_scope;
  Iface *iface; /* ITEM_IFACE (worlds) */
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

struct Scope {
  Scope *parent;
  TDesc *types;
  size_t ntypes, captypes;
  Iface **instances; /* instance index -> the interface it is */
  size_t ninst, capinst;
  const WgCType **funcs; /* func index -> its function type */
  Scope **func_scopes;
  size_t nfuncs, capfuncs;
  const WgComponent **comps; /* nested component definitions */
  size_t ncomps, capcomps;
};

typedef struct Dec {
  WgArena *arena;
  Iface *ifaces, *last;
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

static bool push_type(Dec *d, Scope *s, TDesc t) {
  if (!grow(d, (void **)&s->types, &s->captypes, s->ntypes, sizeof t))
    return false;
  s->types[s->ntypes++] = t;
  return true;
}

static bool push_instance(Dec *d, Scope *s, Iface *i) {
  if (!grow(d, (void **)&s->instances, &s->capinst, s->ninst, sizeof i))
    return false;
  s->instances[s->ninst++] = i;
  return true;
}

static bool push_func(Dec *d, Scope *s, const WgCType *fn, Scope *fs) {
  size_t cap = s->capfuncs;
  if (!grow(d, (void **)&s->funcs, &cap, s->nfuncs, sizeof fn)) return false;
  cap = s->capfuncs;
  if (!grow(d, (void **)&s->func_scopes, &cap, s->nfuncs, sizeof fs))
    return false;
  s->capfuncs = cap;
  s->funcs[s->nfuncs] = fn;
  s->func_scopes[s->nfuncs++] = fs;
  return true;
}

static bool push_item(Dec *d, ItemList *l, Item it) {
  if (!grow(d, (void **)&l->items, &l->cap, l->count, sizeof it)) return false;
  l->items[l->count++] = it;
  return true;
}

static Scope *scope_new(Dec *d, Scope *parent) {
  Scope *s = wg_arena_zalloc(d->arena, sizeof *s);
  if (!s) {
    failf(d, "out of memory");
    return NULL;
  }
  s->parent = parent;
  return s;
}

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

/* The interface with key `key`, created (undefined) when new. */
/* Names `i` by `key` and appends it to the decoded interfaces, in order. */
static void iface_append(Dec *d, Iface *i, WgStr key) {
  iface_name(d, i, key);
  if (d->last)
    d->last->next = i;
  else
    d->ifaces = i;
  d->last = i;
}

static Iface *iface_get(Dec *d, WgStr key, bool is_world) {
  for (Iface *i = d->ifaces; i; i = i->next)
    if (i->is_world == is_world && wg_str_eq(i->key, key)) return i;
  Iface *i = wg_arena_zalloc(d->arena, sizeof *i);
  if (!i) {
    failf(d, "out of memory");
    return NULL;
  }
  i->is_world = is_world;
  iface_append(d, i, key);
  return i;
}

static Named *named_new(Dec *d, Iface *owner, WgStr name) {
  Named *n = wg_arena_zalloc(d->arena, sizeof *n);
  if (!n) {
    failf(d, "out of memory");
    return NULL;
  }
  n->owner = owner;
  n->name = name;
  return n;
}

/* What value type `vt` of scope `s` denotes. */
static bool lookup(Dec *d, Scope *s, WgCValType vt, TDesc *out) {
  if (vt.prim) {
    *out = (TDesc){ .prim = vt.prim };
    return true;
  }
  if (vt.index >= s->ntypes)
    return failf(d, "type index %u out of range", vt.index);
  *out = s->types[vt.index];
  return true;
}

/* The named type `name` exported by interface `i` (an `alias export`). */
static Named *iface_type(Iface *i, WgStr name) {
  for (size_t k = 0; k < i->items.count; k++) {
    Item *it = &i->items.items[k];
    if (it->kind == ITEM_TYPE && wg_str_eq(it->name, name)) return it->named;
  }
  return NULL;
}

static const WgCType *iface_func(Iface *i, WgStr name, Scope **fs) {
  for (size_t k = 0; k < i->items.count; k++) {
    Item *it = &i->items.items[k];
    if (it->kind == ITEM_FUNC && wg_str_eq(it->name, name)) {
      *fs = it->fn_scope;
      return it->fn;
    }
  }
  return NULL;
}

static bool do_alias(Dec *d, Scope *s, const WgCAlias *a) {
  if (a->sort == WG_CSORT_CORE) return true; /* core spaces: not WIT */
  if (a->kind == WG_CALIAS_OUTER) {
    Scope *o = s;
    for (uint32_t k = 0; k < a->instance && o; k++)
      o = o->parent;
    if (!o) return failf(d, "outer alias beyond the outermost scope");
    if (a->sort != WG_CSORT_TYPE) return true; /* components: not WIT */
    if (a->index >= o->ntypes)
      return failf(d, "outer alias of type %u out of range", a->index);
    return push_type(d, s, o->types[a->index]);
  }
  if (a->kind != WG_CALIAS_EXPORT) return true;
  if (a->instance >= s->ninst)
    return failf(d, "alias of instance %u out of range", a->instance);
  Iface *i = s->instances[a->instance];
  if (a->sort == WG_CSORT_TYPE) {
    Named *n = i ? iface_type(i, a->name) : NULL;
    if (!n)
      return failf(d, "instance %u has no type export `%.*s`", a->instance,
                   (int)a->name.len, a->name.ptr);
    return push_type(d, s, (TDesc){ .named = n });
  }
  if (a->sort == WG_CSORT_FUNC) {
    Scope *fs = NULL;
    const WgCType *fn = i ? iface_func(i, a->name, &fs) : NULL;
    return push_func(d, s, fn, fs);
  }
  if (a->sort == WG_CSORT_INSTANCE) return push_instance(d, s, NULL);
  return true;
}

/* A type export of an interface, or a type import/export of a world. */
static bool add_type_item(Dec *d, Scope *s, Iface *owner, ItemList *items,
                          WgStr name, const WgCExternType *et, bool is_export) {
  Named *n = named_new(d, owner, name);
  if (!n) return false;
  if (et->bound == 0x01) {
    n->is_resource = true;
  } else if (!lookup(d, s, (WgCValType){ 0, et->index }, &n->target)) {
    return false;
  }
  Item it = {
    .kind = ITEM_TYPE, .name = name, .named = n, .is_export = is_export
  };
  return push_item(d, items, it) && push_type(d, s, (TDesc){ .named = n });
}

static bool func_type(Dec *d, Scope *s, uint32_t index, const WgCType **out,
                      Scope **fs) {
  if (index >= s->ntypes || !s->types[index].def ||
      s->types[index].def->kind != WG_CT_FUNC)
    return failf(d, "type %u is not a function type", index);
  *out = s->types[index].def;
  *fs = s->types[index].scope;
  return true;
}

/* Declarators interfaces and worlds share: types and aliases (core types
 * carry nothing WIT shows). False for imports and exports. */
static bool read_type_decl(Dec *d, Scope *s, const WgCDecl *decl) {
  switch (decl->kind) {
    case WG_CDECL_CORE_TYPE:
      return true;
    case WG_CDECL_TYPE:
      push_type(d, s, (TDesc){ .def = decl->u.type, .scope = s });
      return true;
    case WG_CDECL_ALIAS:
      do_alias(d, s, &decl->u.alias);
      return true;
    default:
      return false;
  }
}

/* Reads an instance type (the body of interface `i`) whose outer aliases
 * refer to `parent`. */
static bool read_interface(Dec *d, Scope *parent, const WgCType *t, Iface *i) {
  if (!t || t->kind != WG_CT_INSTANCE)
    return failf(d, "`%.*s` is not typed as an instance", (int)i->key.len,
                 i->key.ptr);
  if (i->defined) return true; /* imported and used again: same content */
  Scope *s = scope_new(d, parent);
  if (!s) return false;
  i->defined = true;
  for (uint32_t k = 0; k < t->u.decls.count && !d->failed; k++) {
    const WgCDecl *decl = &t->u.decls.items[k];
    if (read_type_decl(d, s, decl)) continue;
    switch (decl->kind) {
      default: /* types and aliases: read_type_decl() */
        break;
      case WG_CDECL_IMPORT:
        return failf(d, "an instance type cannot import");
      case WG_CDECL_EXPORT: {
        const WgCExternType *et = &decl->u.extern_.type;
        WgStr name = decl->u.extern_.name.name;
        if (et->kind == 0x03) {
          add_type_item(d, s, i, &i->items, name, et, true);
        } else if (et->kind == 0x01) {
          const WgCType *fn = NULL;
          Scope *fs = NULL;
          if (func_type(d, s, et->index, &fn, &fs)) {
            Item it = {
              .kind = ITEM_FUNC, .name = name, .fn = fn, .fn_scope = fs
            };
            if (push_item(d, &i->items, it)) push_func(d, s, fn, fs);
          }
        } else {
          return failf(d,
                       "interface `%.*s`: export `%.*s` is not a type "
                       "or a function",
                       (int)i->key.len, i->key.ptr, (int)name.len, name.ptr);
        }
        break;
      }
    }
  }
  return !d->failed;
}

/* An import or export of a world (or a component): an interface, a
 * function or a type. */
static bool world_extern(Dec *d, Scope *s, Iface *w, const WgCName *cname,
                         const WgCExternType *et, bool is_export) {
  WgStr name = cname->name;
  switch (et->kind) {
    case 0x05: { /* instance: an interface */
      if (et->index >= s->ntypes)
        return failf(d, "instance type %u out of range", et->index);
      TDesc td = s->types[et->index];
      /* `import name: ns:pkg/iface` carries the interface as `implements` */
      Iface *i =
          iface_get(d, cname->implements.len ? cname->implements : name, false);
      if (!i || !read_interface(d, td.scope, td.def, i)) return false;
      Item it = {
        .kind = ITEM_IFACE, .name = name, .iface = i, .is_export = is_export
      };
      return push_item(d, &w->items, it) && push_instance(d, s, i);
    }
    case 0x01: {
      const WgCType *fn = NULL;
      Scope *fs = NULL;
      if (!func_type(d, s, et->index, &fn, &fs)) return false;
      Item it = { .kind = ITEM_FUNC,
                  .name = name,
                  .fn = fn,
                  .fn_scope = fs,
                  .is_export = is_export };
      return push_item(d, &w->items, it) && push_func(d, s, fn, fs);
    }
    case 0x03:
      return add_type_item(d, s, w, &w->items, name, et, is_export);
    default:
      return failf(d,
                   "`%.*s`: only interfaces, functions and types can be "
                   "imported or exported by a world",
                   (int)name.len, name.ptr);
  }
}

/* Reads a component type describing world `w`. */
static bool read_world(Dec *d, Scope *parent, const WgCType *t, Iface *w) {
  if (!t || t->kind != WG_CT_COMPONENT)
    return failf(d, "world `%.*s` is not a component type", (int)w->key.len,
                 w->key.ptr);
  Scope *s = scope_new(d, parent);
  if (!s) return false;
  w->defined = true;
  for (uint32_t k = 0; k < t->u.decls.count && !d->failed; k++) {
    const WgCDecl *decl = &t->u.decls.items[k];
    if (read_type_decl(d, s, decl)) continue;
    switch (decl->kind) {
      default: /* types and aliases: read_type_decl() */
        break;
      case WG_CDECL_IMPORT:
      case WG_CDECL_EXPORT:
        world_extern(d, s, w, &decl->u.extern_.name, &decl->u.extern_.type,
                     decl->kind == WG_CDECL_EXPORT);
        break;
    }
  }
  return !d->failed;
}

/* A WIT package as a component type: imports are foreign interfaces, exports
 * are the package's interfaces (instance types) and worlds (component
 * types). Also the shape of a `component-type:*` section (one world). */
static bool read_package(Dec *d, const WgCType *t) {
  if (!t || t->kind != WG_CT_COMPONENT)
    return failf(d, "the exported type is not a component type");
  Scope *s = scope_new(d, NULL);
  if (!s) return false;
  for (uint32_t k = 0; k < t->u.decls.count && !d->failed; k++) {
    const WgCDecl *decl = &t->u.decls.items[k];
    if (read_type_decl(d, s, decl)) continue;
    switch (decl->kind) {
      default: /* types and aliases: read_type_decl() */
        break;
      case WG_CDECL_IMPORT:
      case WG_CDECL_EXPORT: {
        WgStr name = decl->u.extern_.name.name;
        const WgCExternType *et = &decl->u.extern_.type;
        if (et->kind == 0x05) {
          TDesc td = et->index < s->ntypes ? s->types[et->index] : (TDesc){ 0 };
          Iface *i = iface_get(d, name, false);
          if (i && read_interface(d, td.scope, td.def, i))
            push_instance(d, s, i);
        } else if (et->kind == 0x04 && decl->kind == WG_CDECL_EXPORT) {
          TDesc td = et->index < s->ntypes ? s->types[et->index] : (TDesc){ 0 };
          Iface *w = iface_get(d, name, true);
          if (w) read_world(d, td.scope, td.def, w);
        } else {
          return failf(d, "unexpected `%.*s` in a WIT package type",
                       (int)name.len, name.ptr);
        }
        break;
      }
    }
  }
  return !d->failed;
}

/* ---- whole components: their own imports and exports form a world ---- */

/* A type definition of a component: resources are named types with no
 * owner until an instance exports them. */
static bool define_type(Dec *d, Scope *s, const WgCType *t) {
  if (t->kind == WG_CT_RESOURCE) {
    Named *n = named_new(d, NULL, WG_STR(""));
    if (!n) return false;
    n->is_resource = true;
    return push_type(d, s, (TDesc){ .named = n });
  }
  return push_type(d, s, (TDesc){ .def = t, .scope = s });
}

/* Type export `name` of an instance being built (interface `i`): a
 * resource without owner becomes `i`'s own, anything else a named type of
 * `i` (a `use` when it names another interface's type). */
static bool export_type(Dec *d, Scope *s, Iface *i, WgStr name, TDesc t) {
  if (t.named && t.named->is_resource && !t.named->owner) {
    t.named->owner = i;
    t.named->name = name;
    Item it = { .kind = ITEM_TYPE, .name = name, .named = t.named };
    return push_item(d, &i->items, it) && push_type(d, s, t);
  }
  Named *n = named_new(d, i, name);
  if (!n) return false;
  n->target = t;
  Item it = { .kind = ITEM_TYPE, .name = name, .named = n };
  return push_item(d, &i->items, it) && push_type(d, s, (TDesc){ .named = n });
}

static bool component_def(Dec *d, Scope *s, const WgCDef *def, int depth);

/* `instance (instantiate C (with …))`: C's definitions read with its
 * imports bound to the arguments (from `s`); its exports become the
 * items of a new, still unnamed interface. */
static bool instantiate(Dec *d, Scope *s, const WgCInstance *in, int depth) {
  if (depth > 20) return failf(d, "components nested too deeply");
  if (in->target >= s->ncomps)
    return failf(d, "instance of unknown component %u", in->target);
  const WgComponent *c = s->comps[in->target];
  Scope *cs = scope_new(d, s);
  Iface *i = wg_arena_zalloc(d->arena, sizeof *i);
  if (!cs || !i) return failf(d, "out of memory");
  i->defined = true;
  for (uint32_t k = 0; k < c->def_count && !d->failed; k++) {
    const WgCDef *def = &c->defs[k];
    if (def->kind == WG_CDEF_IMPORT) {
      WgStr name = def->u.extern_.name.name;
      const WgCExternType *et = &def->u.extern_.type;
      const WgCInstantiateArg *arg = NULL;
      for (uint32_t a = 0; a < in->arg_count; a++)
        if (wg_str_eq(in->args[a].name, name)) arg = &in->args[a];
      if (!arg)
        return failf(d, "instantiation without argument `%.*s`", (int)name.len,
                     name.ptr);
      if (et->kind == 0x03) {
        if (arg->index >= s->ntypes)
          return failf(d, "argument `%.*s`: type %u out of range",
                       (int)name.len, name.ptr, arg->index);
        push_type(d, cs, s->types[arg->index]);
      } else if (et->kind == 0x01) {
        const WgCType *fn = NULL;
        Scope *fs = NULL;
        if (func_type(d, cs, et->index, &fn, &fs)) push_func(d, cs, fn, fs);
      } else if (et->kind == 0x05) {
        push_instance(d, cs,
                      arg->index < s->ninst ? s->instances[arg->index] : NULL);
      } else if (et->kind == 0x04) {
        return failf(d, "component imports of nested components are not "
                        "supported");
      }
    } else if (def->kind == WG_CDEF_EXPORT) {
      WgStr name = def->u.extern_.name.name;
      uint32_t x = def->u.extern_.index;
      if (def->u.extern_.sort == WG_CSORT_TYPE) {
        if (x >= cs->ntypes) return failf(d, "type %u out of range", x);
        export_type(d, cs, i, name, cs->types[x]);
      } else if (def->u.extern_.sort == WG_CSORT_FUNC) {
        const WgCType *fn = NULL;
        Scope *fs = NULL;
        if (def->u.extern_.has_type) {
          if (!func_type(d, cs, def->u.extern_.type.index, &fn, &fs))
            return false;
        } else if (x < cs->nfuncs) {
          fn = cs->funcs[x];
          fs = cs->func_scopes[x];
        }
        if (!fn)
          return failf(d, "export `%.*s`: function %u unknown", (int)name.len,
                       name.ptr, x);
        Item it = { .kind = ITEM_FUNC, .name = name, .fn = fn, .fn_scope = fs };
        if (push_item(d, &i->items, it)) push_func(d, cs, fn, fs);
      } else if (def->u.extern_.sort == WG_CSORT_INSTANCE) {
        push_instance(d, cs, x < cs->ninst ? cs->instances[x] : NULL);
      }
    } else {
      component_def(d, cs, def, depth + 1);
    }
  }
  return !d->failed && push_instance(d, s, i);
}

/* The definitions every component scope reads alike. */
static bool component_def(Dec *d, Scope *s, const WgCDef *def, int depth) {
  switch (def->kind) {
    case WG_CDEF_TYPE:
      return define_type(d, s, def->u.type);
    case WG_CDEF_ALIAS:
      return do_alias(d, s, &def->u.alias);
    case WG_CDEF_CANON:
      if (def->u.canon.op == 0x00) { /* lift: a component function */
        const WgCType *fn = NULL;
        Scope *fs = NULL;
        if (!func_type(d, s, def->u.canon.type, &fn, &fs)) return false;
        return push_func(d, s, fn, fs);
      }
      return true;
    case WG_CDEF_COMPONENT:
      if (!grow(d, (void **)&s->comps, &s->capcomps, s->ncomps,
                sizeof *s->comps))
        return false;
      s->comps[s->ncomps++] = def->u.component;
      return true;
    case WG_CDEF_INSTANCE:
      if (def->u.instance.is_core) return true;
      if (def->u.instance.instantiate)
        return instantiate(d, s, &def->u.instance, depth);
      return push_instance(d, s, NULL);
    default:
      return true;
  }
}

/* Interface `i`, built by an instantiation, exported as `key`: an
 * interface already read under that key (imported too) stands for it. */
static Iface *name_instance(Dec *d, Iface *i, WgStr key) {
  if (i->key.ptr) return i;
  for (Iface *j = d->ifaces; j; j = j->next)
    if (!j->is_world && wg_str_eq(j->key, key)) {
      iface_name(d, i, key); /* its own types still print as `key` */
      return j;
    }
  iface_append(d, i, key);
  return i;
}

static bool read_component(Dec *d, const WgComponent *c) {
  Scope *s = scope_new(d, NULL);
  Iface *w = iface_get(d, WG_STR("root:component/root"), true);
  if (!s || !w) return false;
  w->defined = true;
  for (uint32_t k = 0; k < c->def_count && !d->failed; k++) {
    const WgCDef *def = &c->defs[k];
    switch (def->kind) {
      case WG_CDEF_IMPORT:
        world_extern(d, s, w, &def->u.extern_.name, &def->u.extern_.type,
                     false);
        break;
      case WG_CDEF_EXPORT: {
        WgStr name = def->u.extern_.name.name;
        if (def->u.extern_.has_type) {
          world_extern(d, s, w, &def->u.extern_.name, &def->u.extern_.type,
                       true);
        } else if (def->u.extern_.sort == WG_CSORT_FUNC) {
          uint32_t f = def->u.extern_.index;
          if (f >= s->nfuncs || !s->funcs[f])
            return failf(d, "export `%.*s`: function %u unknown", (int)name.len,
                         name.ptr, f);
          Item it = { .kind = ITEM_FUNC,
                      .name = name,
                      .fn = s->funcs[f],
                      .fn_scope = s->func_scopes[f],
                      .is_export = true };
          if (push_item(d, &w->items, it))
            push_func(d, s, s->funcs[f], s->func_scopes[f]);
        } else if (def->u.extern_.sort == WG_CSORT_TYPE) {
          WgCExternType et = { .kind = 0x03,
                               .bound = 0,
                               .index = def->u.extern_.index };
          add_type_item(d, s, w, &w->items, name, &et, true);
        } else if (def->u.extern_.sort == WG_CSORT_INSTANCE) {
          uint32_t i = def->u.extern_.index;
          Iface *iface = i < s->ninst ? s->instances[i] : NULL;
          if (!iface)
            return failf(d,
                         "export `%.*s`: an instance neither typed nor "
                         "instantiated from a component",
                         (int)name.len, name.ptr);
          iface = name_instance(d, iface, name);
          if (!iface) return false;
          Item it = {
            .kind = ITEM_IFACE, .name = name, .iface = iface, .is_export = true
          };
          if (push_item(d, &w->items, it)) push_instance(d, s, iface);
        }
        break;
      }
      default:
        component_def(d, s, def, 0);
        break;
    }
  }
  return !d->failed;
}

/* ---- printing ---- */

typedef struct Out {
  Dec *d;
  WgBuf buf;
  WgStr main_pkg;
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

static void put_type(Out *o, Scope *s, WgCValType vt, int depth);

static void put_tdesc(Out *o, TDesc td, int depth) {
  if (depth > 100) {
    failf(o->d, "types nested too deeply");
    return;
  }
  if (td.prim) {
    wg_buf_puts(&o->buf, wg_cprim_name(td.prim));
    return;
  }
  if (td.named) {
    put_id(o, td.named->name);
    return;
  }
  const WgCType *t = td.def;
  Scope *s = td.scope;
  switch (t->kind) {
    case WG_CT_PRIM:
      wg_buf_puts(&o->buf, wg_cprim_name(t->u.prim));
      return;
    case WG_CT_LIST:
    case WG_CT_FIXED_LIST:
      wg_buf_puts(&o->buf, "list<");
      put_type(o, s, t->u.list.elem, depth + 1);
      if (t->kind == WG_CT_FIXED_LIST)
        wg_buf_printf(&o->buf, ", %u", t->u.list.len);
      wg_buf_putc(&o->buf, '>');
      return;
    case WG_CT_OPTION:
      wg_buf_puts(&o->buf, "option<");
      put_type(o, s, t->u.list.elem, depth + 1);
      wg_buf_putc(&o->buf, '>');
      return;
    case WG_CT_RESULT:
      wg_buf_puts(&o->buf, "result");
      if (!t->u.result.has_ok && !t->u.result.has_err) return;
      wg_buf_putc(&o->buf, '<');
      if (t->u.result.has_ok)
        put_type(o, s, t->u.result.ok, depth + 1);
      else
        wg_buf_putc(&o->buf, '_');
      if (t->u.result.has_err) {
        wg_buf_puts(&o->buf, ", ");
        put_type(o, s, t->u.result.err, depth + 1);
      }
      wg_buf_putc(&o->buf, '>');
      return;
    case WG_CT_TUPLE:
      wg_buf_puts(&o->buf, "tuple<");
      for (uint32_t k = 0; k < t->u.fields.count; k++) {
        if (k) wg_buf_puts(&o->buf, ", ");
        put_type(o, s, t->u.fields.items[k].type, depth + 1);
      }
      wg_buf_putc(&o->buf, '>');
      return;
    case WG_CT_OWN:
    case WG_CT_BORROW:
      wg_buf_puts(&o->buf, t->kind == WG_CT_OWN ? "own<" : "borrow<");
      put_type(o, s, (WgCValType){ 0, t->u.resource }, depth + 1);
      wg_buf_putc(&o->buf, '>');
      return;
    case WG_CT_FUTURE:
    case WG_CT_STREAM:
      wg_buf_puts(&o->buf, t->kind == WG_CT_FUTURE ? "future" : "stream");
      if (t->u.async.has_elem) {
        wg_buf_putc(&o->buf, '<');
        put_type(o, s, t->u.async.elem, depth + 1);
        wg_buf_putc(&o->buf, '>');
      }
      return;
    case WG_CT_MAP:
      wg_buf_puts(&o->buf, "map<");
      put_type(o, s, t->u.map.key, depth + 1);
      wg_buf_puts(&o->buf, ", ");
      put_type(o, s, t->u.map.value, depth + 1);
      wg_buf_putc(&o->buf, '>');
      return;
    default:
      failf(o->d, "an anonymous record, variant, enum, flags or resource "
                  "type has no WIT spelling");
  }
}

static void put_type(Out *o, Scope *s, WgCValType vt, int depth) {
  TDesc td = { 0 };
  if (lookup(o->d, s, vt, &td)) put_tdesc(o, td, depth);
}

/* Fields of a record or cases of a variant/enum/flags, one per line. */
static void put_cases(Out *o, const WgCType *t, Scope *s, const char *ind,
                      bool record) {
  for (uint32_t k = 0; k < t->u.fields.count; k++) {
    const WgCField *f = &t->u.fields.items[k];
    wg_buf_printf(&o->buf, "%s  ", ind);
    put_id(o, f->label);
    if (f->has_type) {
      wg_buf_puts(&o->buf, record ? ": " : "(");
      put_type(o, s, f->type, 0);
      if (!record) wg_buf_putc(&o->buf, ')');
    }
    wg_buf_puts(&o->buf, ",\n");
  }
}

/* `func(a: T, …) -> R` without the `self` parameter when `skip_self`. */
static void put_func_sig(Out *o, const WgCType *fn, Scope *s, bool skip_self,
                         bool is_ctor) {
  wg_buf_puts(&o->buf, is_ctor               ? ""
                       : fn->u.func.is_async ? "async func"
                                             : "func");
  wg_buf_putc(&o->buf, '(');
  for (uint32_t k = skip_self ? 1 : 0; k < fn->u.func.param_count; k++) {
    if (k > (skip_self ? 1u : 0u)) wg_buf_puts(&o->buf, ", ");
    put_id(o, fn->u.func.params[k].label);
    wg_buf_puts(&o->buf, ": ");
    put_type(o, s, fn->u.func.params[k].type, 0);
  }
  wg_buf_putc(&o->buf, ')');
  if (fn->u.func.has_result) {
    if (is_ctor) {
      /* `constructor() -> result<r, e>` only for fallible constructors */
      TDesc td = { 0 };
      if (!lookup(o->d, s, fn->u.func.result, &td) || !td.def ||
          td.def->kind != WG_CT_RESULT)
        return;
    }
    wg_buf_puts(&o->buf, " -> ");
    put_type(o, s, fn->u.func.result, 0);
  }
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

/* One type item of an interface or world, `ind` the indentation. */
static void put_type_item(Out *o, const Named *n, const ItemList *items,
                          WgStr pkg, const char *ind) {
  if (n->is_resource) {
    wg_buf_printf(&o->buf, "%sresource ", ind);
    put_id(o, n->name);
    bool any = false;
    for (size_t k = 0; k < items->count; k++) {
      const Item *it = &items->items[k];
      int kind;
      WgStr fname;
      if (it->kind != ITEM_FUNC ||
          !resource_func(it->name, n->name, &kind, &fname))
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
      put_func_sig(o, it->fn, it->fn_scope, kind == 1, kind == 0);
      wg_buf_puts(&o->buf, ";\n");
    }
    wg_buf_puts(&o->buf, any ? "" : ";\n");
    if (any) wg_buf_printf(&o->buf, "%s}\n", ind);
    return;
  }
  TDesc t = n->target;
  if (t.named && t.named->owner != n->owner) {
    /* a type of another interface: `use` */
    if (!t.named->owner || t.named->owner->is_world) {
      failf(o->d, "type `%.*s` refers to a world's type", (int)n->name.len,
            n->name.ptr);
      return;
    }
    wg_buf_printf(&o->buf, "%suse ", ind);
    put_iface_path(o, t.named->owner, pkg);
    wg_buf_puts(&o->buf, ".{");
    put_id(o, t.named->name);
    if (!wg_str_eq(t.named->name, n->name)) {
      wg_buf_puts(&o->buf, " as ");
      put_id(o, n->name);
    }
    wg_buf_puts(&o->buf, "};\n");
    return;
  }
  const WgCType *def = t.def;
  const char *kw = !def                         ? NULL
                   : def->kind == WG_CT_RECORD  ? "record"
                   : def->kind == WG_CT_VARIANT ? "variant"
                   : def->kind == WG_CT_ENUM    ? "enum"
                   : def->kind == WG_CT_FLAGS   ? "flags"
                                                : NULL;
  if (kw) {
    wg_buf_printf(&o->buf, "%s%s ", ind, kw);
    put_id(o, n->name);
    wg_buf_puts(&o->buf, " {\n");
    put_cases(o, def, t.scope, ind, def->kind == WG_CT_RECORD);
    wg_buf_printf(&o->buf, "%s}\n", ind);
    return;
  }
  wg_buf_printf(&o->buf, "%stype ", ind);
  put_id(o, n->name);
  wg_buf_puts(&o->buf, " = ");
  put_tdesc(o, t, 0);
  wg_buf_puts(&o->buf, ";\n");
}

/* The items of interface `i` (types and functions). */
static void put_iface_body(Out *o, const Iface *i, const char *ind) {
  for (size_t k = 0; k < i->items.count; k++) {
    const Item *it = &i->items.items[k];
    if (it->kind == ITEM_TYPE) {
      put_type_item(o, it->named, &i->items, i->pkg, ind);
    } else if (it->kind == ITEM_FUNC && !is_resource_func(it->name)) {
      wg_buf_printf(&o->buf, "%s", ind);
      put_id(o, it->name);
      wg_buf_puts(&o->buf, ": ");
      put_func_sig(o, it->fn, it->fn_scope, false, false);
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
      put_type_item(o, it->named, &w->items, w->pkg, inner);
    } else if (it->kind == ITEM_FUNC && !is_resource_func(it->name)) {
      wg_buf_printf(&o->buf, "%s%s ", inner, dir);
      put_id(o, it->name);
      wg_buf_puts(&o->buf, ": ");
      put_func_sig(o, it->fn, it->fn_scope, false, false);
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

bool wit_decode_is_wasm(const uint8_t *bytes, size_t len) {
  return len >= 4 && memcmp(bytes, "\0asm", 4) == 0;
}

/* The payload of the next `component-type*` custom section of a core
 * module from *pos on (*pos moves past it), or NULL at the end (an error in
 * err when the module is malformed). */
static const uint8_t *next_component_type(Dec *d, const uint8_t *bytes,
                                          size_t len, size_t *pos,
                                          size_t *out_len) {
  const uint8_t *p = bytes + *pos, *end = bytes + len;
  while (p < end) {
    uint8_t id = *p++;
    uint32_t size;
    if (!wg_leb_u32(&p, end, &size) || size > (size_t)(end - p)) {
      failf(d, "malformed module: section at offset %zu runs past the end",
            (size_t)(p - bytes));
      return NULL;
    }
    const uint8_t *sec = p, *sec_end = p + size;
    p = sec_end;
    if (id != 0) continue;
    uint32_t nlen;
    if (!wg_leb_u32(&sec, sec_end, &nlen) || nlen > (size_t)(sec_end - sec)) {
      failf(d, "malformed custom section name");
      return NULL;
    }
    if (nlen >= 14 && memcmp(sec, "component-type", 14) == 0) {
      *out_len = (size_t)(sec_end - sec - nlen);
      *pos = (size_t)(p - bytes);
      return sec + nlen;
    }
  }
  *pos = len;
  return NULL;
}

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

/* Decodes a component binary and reads it as a WIT package (a type
 * exported as the package) or as a component with its own world. */
static bool decode_component(Dec *d, const uint8_t *bytes, size_t len,
                             bool from_core, WgComponent **keep) {
  WgCError cerr = { 0 };
  WgStatus st =
      wg_component_decode(bytes, len, wg_allocator_default(), keep, &cerr);
  if (st != WG_OK)
    return failf(d, "%s at offset %zu%s", cerr.message, cerr.offset,
                 from_core ? " of the component-type section" : "");
  const WgComponent *c = *keep;
  /* A WIT package: only type definitions, custom sections and type exports. */
  bool is_package = true;
  uint32_t ntypes = 0;
  for (uint32_t k = 0; k < c->def_count; k++) {
    const WgCDef *def = &c->defs[k];
    if (def->kind == WG_CDEF_TYPE) {
      ntypes++;
    } else if (def->kind == WG_CDEF_EXPORT) {
      if (def->u.extern_.sort != WG_CSORT_TYPE) is_package = false;
    } else if (def->kind != WG_CDEF_CUSTOM) {
      is_package = false;
    }
  }
  if (!is_package || ntypes == 0) {
    if (from_core) return failf(d, "the component-type section is malformed");
    return read_component(d, c);
  }
  for (uint32_t k = 0, t = 0; k < c->def_count && !d->failed; k++) {
    const WgCDef *def = &c->defs[k];
    if (def->kind == WG_CDEF_TYPE && t++ == 0) {
      /* every export names type 0 in the encodings we know */
      read_package(d, def->u.type);
    }
  }
  return !d->failed;
}

char *wit_decode_modules_to_text(const uint8_t *const *modules,
                                 const size_t *lens, size_t count,
                                 char err[256]) {
  err[0] = '\0';
  WgArena arena;
  wg_arena_init(&arena, wg_allocator_default());
  Dec d = { .arena = &arena, .err = err };
  WgComponent *comp = NULL, *more[64] = { 0 };
  size_t nsec = 0;
  char *text = NULL;
  for (size_t m = 0; m < count && !d.failed; m++) {
    const uint8_t *bytes = modules[m];
    size_t len = lens[m];
    if (!wit_decode_is_wasm(bytes, len) || len < 8) {
      failf(&d, "not a WebAssembly binary (no \\0asm header)");
    } else if (wg_component_is_component(bytes, len)) {
      if (count > 1) {
        failf(&d, "components cannot be merged with modules");
        break;
      }
      decode_component(&d, bytes, len, false, &comp);
    } else if (bytes[4] == 1 && bytes[5] == 0 && bytes[6] == 0 &&
               bytes[7] == 0) {
      /* every component-type section; their worlds merged */
      size_t pos = 8, plen = 0, before = nsec;
      const uint8_t *payload;
      while (!d.failed &&
             (payload = next_component_type(&d, bytes, len, &pos, &plen))) {
        if (nsec >= 64) {
          failf(&d, "more than 64 component-type sections");
          break;
        }
        decode_component(&d, payload, plen, true, &more[nsec]);
        if (more[nsec]) nsec++;
      }
      if (!d.failed && nsec == before)
        failf(&d, "the core module has no `component-type` custom section "
                  "(was it built with WIT bindings?)");
    } else {
      failf(&d, "unknown WebAssembly binary version");
    }
  }
  if (!d.failed && nsec > 1) merge_worlds(&d);
  if (!d.failed) {
    Out o = { .d = &d };
    put_all(&o);
    if (o.buf.failed) failf(&d, "out of memory");
    if (!d.failed) text = wg_buf_take(&o.buf, NULL);
    wg_buf_free(&o.buf);
  }
  wg_component_free(comp);
  for (size_t k = 0; k < nsec; k++) /* the decoded text refers to them */
    wg_component_free(more[k]);
  wg_arena_release(&arena);
  return text;
}

char *wit_decode_to_text(const uint8_t *bytes, size_t len, char err[256]) {
  return wit_decode_modules_to_text(&bytes, &len, 1, err);
}
