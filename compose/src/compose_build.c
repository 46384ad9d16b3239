/* SPDX-License-Identifier: Apache-2.0 */
/* Builds a planned composition into one component (see compose_build.h):
 * nests the inputs, copies the definitions their remaining imports need
 * (newest version first), instantiates them with their arguments, exports
 * what the plan says, and checks the result with the component validator.
 * The plans come from `witgen plug` (plug.c) and WAC files (wac.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose_build.h"
#include "strbuf.h"

/* ---- errors and memory ---- */

bool cb_fail(CbBuilder *b, WgStatus status, const char *fmt, ...) {
  if (!b->failed) {
    b->status = status;
    va_list ap;
    va_start(ap, fmt);
    wg_diag_list_vaddf(b->diags, WG_SEVERITY_ERROR, status, NULL, fmt, ap);
    va_end(ap);
  }
  b->failed = true;
  return false;
}

void *cb_alloc(CbBuilder *b, size_t size) {
  void *m = wg_arena_zalloc(b->arena, size ? size : 1);
  if (!m) cb_fail(b, WG_ERR_NOMEM, "out of memory");
  return m;
}

/* Appends `item` to a growable arena array. */
static bool push(CbBuilder *b, void **items, uint32_t *count, uint32_t *cap,
                 size_t size, const void *item) {
  if (*count == *cap) {
    uint32_t n = *cap ? *cap * 2 : 8;
    void *fresh = cb_alloc(b, (size_t)n * size);
    if (!fresh) return false;
    if (*count) memcpy(fresh, *items, (size_t)*count * size);
    *items = fresh;
    *cap = n;
  }
  memcpy((char *)*items + (size_t)*count * size, item, size);
  (*count)++;
  return true;
}
#define PUSH(b, arr, count, cap, item) \
  push((b), (void **)&(arr), &(count), &(cap), sizeof *(arr), &(item))

bool cb_init(CbBuilder *b, WgArena *arena, WgDiagList *diags) {
  memset(b, 0, sizeof *b);
  b->arena = arena;
  b->diags = diags;
  b->types = wg_ctypes_new(wg_allocator_default());
  return b->types || cb_fail(b, WG_ERR_NOMEM, "out of memory");
}

void cb_free(CbBuilder *b) {
  wg_ctypes_delete(b->types); /* before the components its types point into */
  for (uint32_t i = 0; i < b->ninputs; i++)
    wg_component_free(b->inputs[i]->c);
}

static WgCDef *add_def(CbBuilder *b, WgCDefKind kind) {
  WgCDef d = { .kind = kind };
  return PUSH(b, b->defs, b->ndefs, b->capdefs, d) ? &b->defs[b->ndefs - 1]
                                                   : NULL;
}

static int space_of(uint8_t sort) {
  switch (sort) {
    case WG_CSORT_TYPE:
      return CB_TYPE;
    case WG_CSORT_FUNC:
      return CB_FUNC;
    case WG_CSORT_INSTANCE:
      return CB_INSTANCE;
    case WG_CSORT_COMPONENT:
      return CB_COMPONENT;
    default:
      return -1;
  }
}

static const WgCOrigin *origins(const WgCScope *s, int space, uint32_t *n) {
  switch (space) {
    case CB_TYPE:
      *n = s->type_count;
      return s->type_origin;
    case CB_FUNC:
      *n = s->func_count;
      return s->func_origin;
    case CB_INSTANCE:
      *n = s->instance_count;
      return s->instance_origin;
    default:
      *n = s->component_count;
      return s->component_origin;
  }
}

/* The index in `in`'s space `space` that definition `def` introduced. */
static uint32_t index_of_def(const CbInput *in, int space, uint32_t def) {
  uint32_t n;
  const WgCOrigin *o = origins(in->s, space, &n);
  for (uint32_t i = 0; i < n; i++)
    if (o[i].def == def) return i;
  return CB_NONE;
}

/* ---- the plan ---- */

CbInput *cb_input(CbBuilder *b, const WgComposeInput *src) {
  CbInput *in = cb_alloc(b, sizeof *in);
  if (!in) return NULL;
  in->src = src;
  WgDiagList *d = wg_diag_list_new();
  if (!d) {
    cb_fail(b, WG_ERR_NOMEM, "out of memory");
    return NULL;
  }
  WgStatus st = wg_component_decode(src->bytes, src->len,
                                    wg_allocator_default(), &in->c, d);
  if (st == WG_OK) st = wg_component_validate(b->types, in->c, NULL, &in->s, d);
  if (st != WG_OK)
    cb_fail(b, st, "%.*s: %s", (int)src->name.len, src->name.ptr,
            wg_diag_list_first_error(d));
  wg_diag_list_delete(d);
  if (in->c && !PUSH(b, b->inputs, b->ninputs, b->capinputs, in)) {
    wg_component_free(in->c);
    return NULL;
  }
  if (st != WG_OK) return NULL;
  for (int k = 0; k < CB_SPACES; k++) {
    uint32_t n;
    origins(in->s, k, &n);
    in->map[k] = cb_alloc(b, (n + 1) * sizeof(uint32_t));
    if (!in->map[k]) return NULL;
    for (uint32_t i = 0; i <= n; i++)
      in->map[k][i] = CB_NONE;
  }
  return in;
}

uint32_t cb_instance(CbBuilder *b, CbInput *of, WgStr label, bool spread) {
  CbInstance i = { .of = of, .label = label, .spread = spread };
  if (!PUSH(b, b->instances, b->ninstances, b->capinstances, i)) return CB_NONE;
  return b->ninstances - 1;
}

bool cb_arg(CbBuilder *b, uint32_t instance, WgStr name, uint32_t from,
            WgStr export_name) {
  CbInstance *i = &b->instances[instance];
  for (uint32_t k = 0; k < i->nargs; k++)
    if (wg_str_eq(i->args[k].name, name))
      return cb_fail(b, WG_ERR_INVALID, "%.*s: argument `%.*s` given twice",
                     (int)i->label.len, i->label.ptr, (int)name.len, name.ptr);
  CbArg a = { name, from, export_name };
  return PUSH(b, i->args, i->nargs, i->capargs, a);
}

bool cb_export(CbBuilder *b, uint32_t from, WgStr export_name, WgStr as) {
  CbExport e = { .from = from, .export_name = export_name };
  e.as.name = as.len ? as : export_name;
  return PUSH(b, b->exports, b->nexports, b->capexports, e);
}

const WgCItem *cb_instance_export(const CbBuilder *b, uint32_t instance,
                                  WgStr name) {
  return wg_ccomponent_item(b->instances[instance].of->s->type, name, false);
}

/* ---- copying the definitions the result's imports need ---- */

static uint32_t copy_item(CbBuilder *b, CbInput *in, int space, uint32_t index);

typedef struct MapCtx {
  CbBuilder *b;
  CbInput *in;
} MapCtx;

static uint32_t map_type(void *ctx, uint32_t index) {
  MapCtx *m = ctx;
  return copy_item(m->b, m->in, CB_TYPE, index);
}

/* The import of the result giving `name`: the same name, or a
 * semver-compatible version (imports are copied newest first). */
static const OuterImport *outer_import(const CbBuilder *b, WgStr name) {
  for (uint32_t i = 0; i < b->nimports; i++)
    if (wg_cname_compatible(name, b->imports[i].name)) return &b->imports[i];
  return NULL;
}

/* Import `d` of `in` made an import of the result (or found there). */
static uint32_t copy_import(CbBuilder *b, CbInput *in, const WgCDef *d,
                            int space) {
  WgStr name = d->u.extern_.name.name;
  const OuterImport *have = outer_import(b, name);
  if (have) {
    if (space_of(have->sort) == space) return have->index;
    cb_fail(b, WG_ERR_UNLINKABLE,
            "%.*s imports `%.*s` as a %s where another input imports it as a "
            "%s: name clash",
            (int)in->src->name.len, in->src->name.ptr, (int)name.len, name.ptr,
            wg_csort_word(d->u.extern_.type.kind), wg_csort_word(have->sort));
    return CB_NONE;
  }
  WgCExternType et = d->u.extern_.type;
  if (et.kind == WG_CSORT_CORE || et.kind == WG_CSORT_VALUE) {
    cb_fail(b, WG_ERR_UNSUPPORTED,
            "%.*s imports `%.*s`, a %s: not composable yet",
            (int)in->src->name.len, in->src->name.ptr, (int)name.len, name.ptr,
            wg_csort_word(et.kind));
    return CB_NONE;
  }
  bool indexed = et.kind != WG_CSORT_TYPE || et.bound == WG_CBOUND_EQ;
  if (indexed && (et.index = copy_item(b, in, CB_TYPE, et.index)) == CB_NONE)
    return CB_NONE;
  WgCDef *o = add_def(b, WG_CDEF_IMPORT);
  if (!o) return CB_NONE;
  o->u.extern_.name = d->u.extern_.name;
  o->u.extern_.type = et;
  OuterImport imp = { name, et.kind, b->count[space]++ };
  if (!PUSH(b, b->imports, b->nimports, b->capimports, imp)) return CB_NONE;
  return imp.index;
}

/* The result's index for item `index` of space `space` of input `in`,
 * copying the definition behind it (and what that needs) on first use.
 * Only what imports are built from can be copied: type definitions,
 * imports, and aliases of imported instances' exports. */
static uint32_t copy_item(CbBuilder *b, CbInput *in, int space,
                          uint32_t index) {
  if (b->failed) return CB_NONE;
  uint32_t n;
  const WgCOrigin *o = origins(in->s, space, &n);
  if (index >= n) {
    cb_fail(b, WG_ERR_INVALID, "%.*s: index %u out of bounds",
            (int)in->src->name.len, in->src->name.ptr, index);
    return CB_NONE;
  }
  if (in->map[space][index] != CB_NONE) return in->map[space][index];
  const WgCDef *d = &in->c->defs[o[index].def];
  uint32_t out = CB_NONE;
  if (d->kind == WG_CDEF_TYPE) {
    MapCtx ctx = { b, in };
    WgCType *t = wg_ctype_remap(b->arena, d->u.type, map_type, &ctx);
    WgCDef *def = t ? add_def(b, WG_CDEF_TYPE) : NULL;
    if (!def) {
      if (!b->failed) cb_fail(b, WG_ERR_NOMEM, "out of memory");
      return CB_NONE;
    }
    def->u.type = t;
    out = b->count[CB_TYPE]++;
  } else if (d->kind == WG_CDEF_ALIAS && d->u.alias.kind == WG_CALIAS_EXPORT &&
             space_of(d->u.alias.sort) >= 0) {
    WgCAlias a = d->u.alias;
    a.instance = copy_item(b, in, CB_INSTANCE, a.instance);
    WgCDef *def = a.instance == CB_NONE ? NULL : add_def(b, WG_CDEF_ALIAS);
    if (!def) return CB_NONE;
    def->u.alias = a;
    out = b->count[space_of(a.sort)]++;
  } else if (d->kind == WG_CDEF_IMPORT) {
    out = copy_import(b, in, d, space);
  } else {
    cb_fail(b, WG_ERR_UNSUPPORTED,
            "%.*s: an import's type depends on a definition composition does "
            "not copy",
            (int)in->src->name.len, in->src->name.ptr);
    return CB_NONE;
  }
  if (out != CB_NONE) in->map[space][index] = out;
  return out;
}

/* ---- checking what fills an import ---- */

/* How messages name instance `i`: its file, or `label (file)`. */
static const char *who(CbBuilder *b, const CbInstance *i) {
  WgStr file = i->of->src->name;
  if (!i->label.len || wg_str_eq(i->label, file))
    return wg_arena_printf(b->arena, "%.*s", (int)file.len, file.ptr);
  return wg_arena_printf(b->arena, "%.*s (%.*s)", (int)i->label.len,
                         i->label.ptr, (int)file.len, file.ptr);
}

bool cb_check_fill(CbBuilder *b, const CbInstance *of, const WgCItem *want,
                   const CbInstance *from, const WgCItem *got) {
  if (b->failed) return false;
  /* the check and its words are the component runtime's too */
  if (wg_cfill_check(want, who(b, of), got, who(b, from), b->diags))
    return true;
  b->failed = true;
  b->status = WG_ERR_UNLINKABLE;
  return false;
}

/* ---- building ---- */

/* The argument filling import `name` of planned instance `i`, or NULL. */
static const CbArg *arg_for(const CbInstance *i, WgStr name) {
  for (uint32_t k = 0; k < i->nargs; k++)
    if (wg_str_eq(i->args[k].name, name)) return &i->args[k];
  return NULL;
}

/* Every argument names an import of the component it instantiates, comes
 * from an instance planned before, and fits the import. */
static bool check_plan(CbBuilder *b) {
  for (uint32_t n = 0; n < b->ninstances && !b->failed; n++) {
    const CbInstance *i = &b->instances[n];
    for (uint32_t k = 0; k < i->nargs && !b->failed; k++) {
      const CbArg *arg = &i->args[k];
      const WgCItem *want = wg_ccomponent_item(i->of->s->type, arg->name, true);
      if (!want)
        return cb_fail(b, WG_ERR_UNLINKABLE, "%s has no import named `%.*s`",
                       who(b, i), (int)arg->name.len, arg->name.ptr);
      if (arg->from >= n)
        return cb_fail(b, WG_ERR_UNLINKABLE,
                       "%s: argument `%.*s` comes from an instance made "
                       "after it (a cycle?)",
                       who(b, i), (int)arg->name.len, arg->name.ptr);
      const CbInstance *from = &b->instances[arg->from];
      if (!arg->export_name.len) {
        if (want->type.sort != WG_CSORT_INSTANCE)
          return cb_fail(b, WG_ERR_UNLINKABLE,
                         "%s imports `%.*s` as a %s, given a whole instance",
                         who(b, i), (int)arg->name.len, arg->name.ptr,
                         wg_csort_word(want->type.sort));
        continue; /* the validator checks a whole instance against it */
      }
      const WgCItem *got = cb_instance_export(b, arg->from, arg->export_name);
      if (!got)
        return cb_fail(b, WG_ERR_UNLINKABLE,
                       "%s exports no `%.*s` (for `%.*s` of %s)", who(b, from),
                       (int)arg->export_name.len, arg->export_name.ptr,
                       (int)arg->name.len, arg->name.ptr, who(b, i));
      cb_check_fill(b, i, want, from, got);
    }
    /* imports left: to the result's imports, or an error */
    const WgCComponentTy *t = i->of->s->type;
    for (uint32_t k = 0; k < t->import_count && !i->spread; k++)
      if (!arg_for(i, t->imports[k].name.name))
        return cb_fail(b, WG_ERR_UNLINKABLE,
                       "%s: no argument for import `%.*s` (add it, or `...` "
                       "to import what is left)",
                       who(b, i), (int)t->imports[k].name.name.len,
                       t->imports[k].name.name.ptr);
  }
  return !b->failed;
}

/* A version's parts for ordering; 0.0.0 when there is none. */
static void version_of(WgStr name, uint64_t v[3]) {
  v[0] = v[1] = v[2] = 0;
  const char *at = name.len ? memchr(name.ptr, '@', name.len) : NULL;
  if (!at) return;
  const char *c = at + 1, *end = name.ptr + name.len;
  for (int k = 0; k < 3 && c < end; k++) {
    while (c < end && *c >= '0' && *c <= '9')
      v[k] = v[k] * 10 + (uint64_t)(*c++ - '0');
    if (c < end && *c == '.')
      c++;
    else
      break;
  }
}

typedef struct Pending {
  CbInput *in;
  uint32_t def;
  uint64_t version[3];
} Pending;

static int by_version_desc(const void *a, const void *b) {
  const Pending *x = a, *y = b;
  for (int k = 0; k < 3; k++)
    if (x->version[k] != y->version[k])
      return x->version[k] < y->version[k] ? 1 : -1;
  return 0;
}

/* Copies the imports the instances leave to the result, newest version
 * first, so inputs importing semver-compatible versions of an interface
 * share the newest (which has what the older ones ask for). */
static bool copy_imports(CbBuilder *b) {
  Pending *all = NULL;
  uint32_t count = 0, cap = 0;
  for (uint32_t n = 0; n < b->ninstances; n++) {
    const CbInstance *i = &b->instances[n];
    for (uint32_t d = 0; d < i->of->c->def_count; d++) {
      const WgCDef *def = &i->of->c->defs[d];
      if (def->kind != WG_CDEF_IMPORT || arg_for(i, def->u.extern_.name.name) ||
          space_of(def->u.extern_.type.kind) < 0)
        continue;
      Pending q = { .in = i->of, .def = d };
      version_of(def->u.extern_.name.name, q.version);
      if (!PUSH(b, all, count, cap, q)) return false;
    }
  }
  if (count) qsort(all, count, sizeof *all, by_version_desc);
  for (uint32_t k = 0; k < count && !b->failed; k++) {
    const WgCDef *def = &all[k].in->c->defs[all[k].def];
    int space = space_of(def->u.extern_.type.kind);
    copy_item(b, all[k].in, space, index_of_def(all[k].in, space, all[k].def));
  }
  return !b->failed;
}

/* `(instance (instantiate $c (with ...)))` for planned instance `i`. */
static bool instantiate(CbBuilder *b, CbInstance *i) {
  uint32_t nimp = i->of->s->type->import_count, k = 0;
  WgCInstantiateArg *args = cb_alloc(b, (nimp + 1) * sizeof *args);
  if (!args) return false;
  for (uint32_t d = 0; d < i->of->c->def_count && !b->failed; d++) {
    const WgCDef *def = &i->of->c->defs[d];
    if (def->kind != WG_CDEF_IMPORT) continue;
    uint8_t sort = def->u.extern_.type.kind;
    int space = space_of(sort);
    const CbArg *arg = arg_for(i, def->u.extern_.name.name);
    uint32_t index;
    if (arg && !arg->export_name.len) {
      index = b->instances[arg->from].inst;
    } else if (arg) {
      WgCDef *a = add_def(b, WG_CDEF_ALIAS);
      if (!a) return false;
      a->u.alias = (WgCAlias){ .sort = sort,
                               .kind = WG_CALIAS_EXPORT,
                               .instance = b->instances[arg->from].inst,
                               .name = arg->export_name };
      index = b->count[space]++;
    } else if (space >= 0) {
      index = copy_item(b, i->of, space, index_of_def(i->of, space, d));
    } else {
      return cb_fail(b, WG_ERR_UNSUPPORTED,
                     "%s imports `%.*s`, a %s: not composable yet", who(b, i),
                     (int)def->u.extern_.name.name.len,
                     def->u.extern_.name.name.ptr, wg_csort_word(sort));
    }
    args[k++] = (WgCInstantiateArg){ .name = def->u.extern_.name.name,
                                     .sort = sort,
                                     .index = index };
  }
  if (b->failed) return false;
  WgCDef *def = add_def(b, WG_CDEF_INSTANCE);
  if (!def) return false;
  def->u.instance = (WgCInstance){
    .instantiate = true, .target = i->of->comp, .arg_count = k, .args = args
  };
  i->inst = b->count[CB_INSTANCE]++;
  return true;
}

/* `(export "as" <export `name` of instance `i`>)` */
static bool export_one(CbBuilder *b, const CbInstance *i, WgStr name,
                       const WgCName *as) {
  const WgCItem *item = wg_ccomponent_item(i->of->s->type, name, false);
  if (!item)
    return cb_fail(b, WG_ERR_UNLINKABLE, "%s exports no `%.*s`", who(b, i),
                   (int)name.len, name.ptr);
  uint8_t sort = item->type.sort;
  int space = space_of(sort);
  if (space < 0)
    return cb_fail(b, WG_ERR_UNSUPPORTED,
                   "%s exports `%.*s`, a %s: not composable yet", who(b, i),
                   (int)name.len, name.ptr, wg_csort_word(sort));
  for (uint32_t d = 0; d < b->ndefs; d++) /* exported once */
    if (b->defs[d].kind == WG_CDEF_EXPORT &&
        wg_str_eq(b->defs[d].u.extern_.name.name, as->name))
      return cb_fail(b, WG_ERR_UNLINKABLE,
                     "two exports named `%.*s`: name clash", (int)as->name.len,
                     as->name.ptr);
  WgCDef *a = add_def(b, WG_CDEF_ALIAS);
  if (!a) return false;
  a->u.alias = (WgCAlias){
    .sort = sort, .kind = WG_CALIAS_EXPORT, .instance = i->inst, .name = name
  };
  uint32_t index = b->count[space]++;
  WgCDef *e = add_def(b, WG_CDEF_EXPORT);
  if (!e) return false;
  /* keep the attributes (implements, version suffix) of the original */
  e->u.extern_.name =
      wg_str_eq(as->name, name) ? item->name : (WgCName){ .name = as->name };
  e->u.extern_.sort = sort;
  e->u.extern_.index = index;
  b->count[space]++; /* an export adds to its sort's space too */
  return true;
}

static bool export_planned(CbBuilder *b, const CbExport *x) {
  const CbInstance *i = &b->instances[x->from];
  if (x->export_name.len) return export_one(b, i, x->export_name, &x->as);
  const WgCComponentTy *t = i->of->s->type;
  for (uint32_t k = 0; k < t->export_count && !b->failed; k++)
    export_one(b, i, t->exports[k].name.name, &t->exports[k].name);
  return !b->failed;
}

/* The encoded result, checked by the validator, appended to `out`. */
static bool encode_checked(CbBuilder *b, WgBuf *out) {
  WgComponent c = { .arena = b->arena, .def_count = b->ndefs, .defs = b->defs };
  WgBuf bytes = { 0 };
  wg_cencode_component(&bytes, &c);
  if (bytes.failed) {
    wg_buf_free(&bytes);
    return cb_fail(b, WG_ERR_NOMEM, "out of memory");
  }
  WgDiagList *d = wg_diag_list_new();
  WgComponent *check = NULL;
  WgCTypes *types = wg_ctypes_new(wg_allocator_default());
  const WgCScope *scope;
  WgStatus st =
      !d || !types ? WG_ERR_NOMEM
                   : wg_component_decode((const uint8_t *)bytes.data, bytes.len,
                                         wg_allocator_default(), &check, d);
  if (st == WG_OK) st = wg_component_validate(types, check, NULL, &scope, d);
  if (st != WG_OK)
    cb_fail(b, st == WG_ERR_NOMEM ? st : WG_ERR_UNLINKABLE,
            "the composition does not validate: %s",
            d ? wg_diag_list_first_error(d) : "out of memory");
  wg_ctypes_delete(types);
  wg_component_free(check);
  wg_diag_list_delete(d);
  if (st == WG_OK) wg_buf_append(out, bytes.data, bytes.len);
  wg_buf_free(&bytes);
  return st == WG_OK && !out->failed;
}

bool cb_build(CbBuilder *b, WgBuf *out) {
  if (b->failed || !check_plan(b)) return false;
  /* every input instantiated, nested once */
  for (uint32_t n = 0; n < b->ninputs; n++) {
    CbInput *in = b->inputs[n];
    in->comp = CB_NONE;
    for (uint32_t k = 0; k < b->ninstances; k++)
      if (b->instances[k].of == in && in->comp == CB_NONE) {
        WgCDef *c = add_def(b, WG_CDEF_COMPONENT);
        if (!c) return false;
        c->u.component = in->c;
        in->comp = b->count[CB_COMPONENT]++;
      }
  }
  if (!copy_imports(b)) return false;
  for (uint32_t n = 0; n < b->ninstances && !b->failed; n++)
    instantiate(b, &b->instances[n]);
  for (uint32_t n = 0; n < b->nexports && !b->failed; n++)
    export_planned(b, &b->exports[n]);
  return !b->failed && encode_checked(b, out);
}
