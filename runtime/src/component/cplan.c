/* SPDX-License-Identifier: Apache-2.0 */
/* The instantiation plan: a validated component's definitions read in
 * order, with every nested component instantiation inlined into its
 * parent (the way wasmtime's inliner flattens nested components), into
 * the flat Plan of cinternal.h. Names and aliases are resolved here, once:
 * at instantiation and call time everything is an index.
 *
 * Each (nested) instantiation is read in a Frame holding a static item
 * for every entry of its index spaces: what the entry is at run time (a
 * lift, a host import, an export of a core instance, a trampoline, a
 * component definition with its lexical parent, ...). Resources are
 * mapped from the validator's identities (witgen/component_types.h) to
 * plan slots per frame, so one nested component instantiated twice gets
 * two sets of resource types, as the Component Model requires. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cinternal.h"
#include "core/rt.h"

/* Plans larger than this are refused (nesting can multiply
 * instantiations). */
enum {
  PLAN_MAX_ITEMS = 100000,
  PLAN_MAX_INSTANCES = 10000,
  PLAN_MAX_DEPTH = 100,
};

typedef enum SKind {
  SK_NONE = 0,
  SK_FUNC,      /* a component function: lift or host slot */
  SK_INSTANCE,  /* a component instance: its exports */
  SK_IMPORT,    /* something the root imports (or part of it), by path */
  SK_COMPONENT, /* a component definition and its lexical frame */
  SK_MODULE,    /* a core module definition */
  SK_TYPE,      /* a type (resources are resolved through the frame) */
  SK_CORE_INST, /* a core instance the plan instantiates */
  SK_CORE_BAG,  /* a core instance made of exports */
  SK_CORE,      /* a core function, table, memory or global */
} SKind;

typedef struct Frame Frame;
typedef struct SExport SExport;
typedef struct SCoreExport SCoreExport;

typedef struct SItem {
  uint8_t kind;
  union {
    FuncRef func;
    struct {
      const SExport *items;
      uint32_t count;
    } inst;
    struct {
      WgStr path;
      WgCExternTy type; /* as the root sees it */
    } import;
    struct {
      const WgComponent *def;
      const WgCScope *scope;
      Frame *closure;
    } comp;
    const WgCoreModuleEntry *module;
    struct {
      uint32_t index;
      uint32_t module;
    } core_inst;
    struct {
      const SCoreExport *items;
      uint32_t count;
    } core_bag;
    CoreRef core;
    struct {
      WgCTypeRef ref;
      Frame *frame;
    } type;
  } u;
} SItem;

struct SExport {
  WgStr name;
  SItem item;
};

struct SCoreExport {
  WgStr name;
  CoreRef ref;
};

/* A growable array in the builder's temporary arena. */
#define SVEC(T)     \
  struct {          \
    T *items;       \
    uint32_t count; \
    uint32_t cap;   \
  }

typedef SVEC(SItem) SSpace;

typedef struct RMap {
  const WgCResource *key;
  uint32_t slot;
} RMap;

struct Frame {
  Frame *closure; /* the frame the component was defined in */
  const WgComponent *comp;
  const WgCScope *scope;
  uint32_t cinst;
  const SExport *args; /* instantiation arguments (nested frames) */
  uint32_t arg_count;
  SSpace funcs, instances, components, types, modules, core_insts, core_funcs,
      core_mems, core_tables, core_globals;
  SVEC(RMap) rmap;
  SVEC(SExport) exports;
};

typedef struct PathSlot {
  WgStr path;
  uint32_t slot;
} PathSlot;

typedef struct ModCache {
  const uint8_t *bytes;
  uint32_t index;
} ModCache;

typedef struct Builder {
  WgWasmComponent *c;
  WgArena tmp;
  WgArena *out;
  WgDiagList *diags;
  bool failed;
  WgStatus status;
  size_t offset;
  CTyBuilder ty;
  Frame *cur;  /* the frame whose types are being described */
  Frame *root; /* the root's frame: the resources of its imports */
  uint32_t depth;
  uint32_t items; /* trampolines + lifts + core instances, for the limit */
  SVEC(WgWasmModule *) modules;
  SVEC(ModCache) mod_cache;
  SVEC(PCoreInst) core_insts;
  SVEC(PTramp) tramps;
  SVEC(PLift) lifts;
  SVEC(PResource) resources;
  SVEC(PCInst) cinsts;
  SVEC(PHostFunc) host_funcs;
  SVEC(PHostResource) host_res;
  SVEC(PathSlot) res_paths; /* root import paths of resource types */
  SVEC(PExportFunc) export_funcs;
  SVEC(PExportResource) export_res;
  SVEC(PExportInstance) export_insts;
  SVEC(WgStr) unlinkable;
} Builder;

/* Section: helpers */

static bool failf(Builder *b, WgStatus status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool failf(Builder *b, WgStatus status, const char *fmt, ...) {
  if (b->failed) return false;
  b->failed = true;
  b->status = status;
  char text[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  wg_diag_list_add_at(b->diags, status, b->offset, "%s", text);
  return false;
}

static bool nomem(Builder *b) {
  return failf(b, WG_ERR_NOMEM, "out of memory");
}

static bool grow_raw(Builder *b, void **items, uint32_t count, uint32_t *cap,
                     size_t size) {
  if (count < *cap) return true;
  uint32_t ncap = *cap ? *cap * 2 : 8;
  void *n = wg_arena_alloc(&b->tmp, (size_t)ncap * size);
  if (!n) return nomem(b);
  if (count) memcpy(n, *items, (size_t)count * size);
  *items = n;
  *cap = ncap;
  return true;
}

#define PUSH(b, v, value)                                     \
  (grow_raw((b), (void **)&(v)->items, (v)->count, &(v)->cap, \
            sizeof *(v)->items)                               \
       ? ((v)->items[(v)->count++] = (value), true)           \
       : false)

/* Copies a temporary array into the component's arena. */
static void *keep(Builder *b, const void *items, size_t count, size_t size) {
  if (!count) return NULL;
  void *p = wg_arena_alloc(b->out, count * size);
  if (!p) {
    nomem(b);
    return NULL;
  }
  memcpy(p, items, count * size);
  return p;
}

static WgStr join_path(Builder *b, WgStr a, WgStr name) {
  if (!a.len) return wg_arena_strdup(b->out, name);
  char *p = wg_arena_alloc(b->out, a.len + 1 + name.len + 1);
  if (!p) return (WgStr){ 0 };
  memcpy(p, a.ptr, a.len);
  p[a.len] = '#';
  memcpy(p + a.len + 1, name.ptr, name.len);
  p[a.len + 1 + name.len] = 0;
  return (WgStr){ p, a.len + 1 + name.len };
}

static bool count_item(Builder *b) {
  if (++b->items > PLAN_MAX_ITEMS)
    return failf(b, WG_ERR_LIMIT,
                 "component plan too large (more than %d items)",
                 PLAN_MAX_ITEMS);
  return true;
}

/* Section: resources */

static uint32_t rmap_find(const Frame *f, const WgCResource *r) {
  for (; f; f = f->closure)
    for (uint32_t i = 0; i < f->rmap.count; i++)
      if (f->rmap.items[i].key == r) return f->rmap.items[i].slot;
  return UINT32_MAX;
}

static bool rmap_add(Builder *b, Frame *f, const WgCResource *r,
                     uint32_t slot) {
  RMap m = { wg_cresource_canon(r), slot };
  return PUSH(b, &f->rmap, m);
}

static uint32_t resolve_cb(void *ctx, const WgCResource *r) {
  Builder *b = ctx;
  return rmap_find(b->cur, wg_cresource_canon(r));
}

static uint32_t new_resource(Builder *b, PResource r) {
  if (!count_item(b) || !PUSH(b, &b->resources, r)) return UINT32_MAX;
  return b->resources.count - 1;
}

/* The plan slot of the resource type item `it` stands for. */
static uint32_t item_resource(Builder *b, const SItem *it) {
  if (it->kind == SK_TYPE && it->u.type.ref.kind == WG_CTY_RESOURCE)
    return rmap_find(it->u.type.frame,
                     wg_cresource_canon(it->u.type.ref.of.resource));
  if (it->kind == SK_IMPORT) {
    for (uint32_t i = 0; i < b->res_paths.count; i++)
      if (wg_str_eq(b->res_paths.items[i].path, it->u.import.path))
        return b->res_paths.items[i].slot;
  }
  return UINT32_MAX;
}

/* The signature of a root import with its resources as the root's slots,
 * for linking checks and fused calls; NULL (and no failure) when it
 * cannot be described: it is then refused if lowered. */
static const CSig *import_sig(Builder *b, const WgCFuncTy *type) {
  if (!b->root) return NULL;
  bool failed = b->ty.failed, nomem_before = b->ty.nomem;
  const char *why = b->ty.why;
  b->cur = b->root;
  b->ty.resolve = resolve_cb;
  b->ty.ctx = b;
  const CSig *s = wg_csig_build(&b->ty, type);
  if (!s && b->ty.nomem && !nomem_before) {
    nomem(b);
    return NULL;
  }
  b->ty.failed = failed;
  b->ty.why = why;
  return s;
}

/* A host function slot for `path` (one per distinct path). */
static bool host_func(Builder *b, WgStr path, const WgCFuncTy *type,
                      FuncRef *out) {
  for (uint32_t i = 0; i < b->host_funcs.count; i++)
    if (wg_str_eq(b->host_funcs.items[i].name, path)) {
      *out = (FuncRef){ FREF_HOST, i };
      return true;
    }
  PHostFunc h = { path, type, import_sig(b, type) };
  if (b->failed) return false;
  if (!count_item(b) || !PUSH(b, &b->host_funcs, h)) return false;
  *out = (FuncRef){ FREF_HOST, b->host_funcs.count - 1 };
  return true;
}

/* The item `name` of instance item `it`; SK_NONE when absent. */
static SItem item_export(Builder *b, const SItem *it, WgStr name) {
  SItem r = { 0 };
  if (it->kind == SK_INSTANCE) {
    for (uint32_t i = 0; i < it->u.inst.count; i++)
      if (wg_str_eq(it->u.inst.items[i].name, name))
        return it->u.inst.items[i].item;
    return r;
  }
  if (it->kind != SK_IMPORT || it->u.import.type.sort != WG_CSORT_INSTANCE)
    return r;
  const WgCItem *e = wg_cinstance_export(it->u.import.type.of.instance, name);
  if (!e) return r;
  WgStr path = join_path(b, it->u.import.path, name);
  if (!path.ptr) {
    nomem(b);
    return r;
  }
  if (e->type.sort == WG_CSORT_FUNC) {
    r.kind = SK_FUNC;
    if (!host_func(b, path, e->type.of.func, &r.u.func)) r.kind = SK_NONE;
    return r;
  }
  r.kind = SK_IMPORT;
  r.u.import.path = path;
  r.u.import.type = e->type;
  return r;
}

/* Maps every resource the type `ty` (as frame `f` sees it) names to what
 * `it` provides: the resources an import introduces, bound to the
 * instantiation argument's; the fresh resources of an instance, bound to
 * the ones its inlined component defines. */
static bool bind(Builder *b, Frame *f, const WgCExternTy *ty, const SItem *it,
                 int depth) {
  if (depth > PLAN_MAX_DEPTH) return failf(b, WG_ERR_LIMIT, "nesting too deep");
  if (ty->sort == WG_CSORT_TYPE && ty->of.type.kind == WG_CTY_RESOURCE) {
    const WgCResource *r = wg_cresource_canon(ty->of.type.of.resource);
    if (rmap_find(f, r) != UINT32_MAX) return true;
    uint32_t slot = item_resource(b, it);
    if (slot == UINT32_MAX)
      return failf(b, WG_ERR_INVALID,
                   "internal: resource type without a definition");
    return rmap_add(b, f, r, slot);
  }
  if (ty->sort != WG_CSORT_INSTANCE) return true;
  const WgCInstanceTy *in = ty->of.instance;
  for (uint32_t i = 0; i < in->export_count && !b->failed; i++) {
    SItem child = item_export(b, it, in->exports[i].name.name);
    if (child.kind == SK_NONE) {
      if (b->failed) return false;
      continue; /* a type without resources, or not needed */
    }
    if (!bind(b, f, &in->exports[i].type, &child, depth + 1)) return false;
  }
  return !b->failed;
}

/* The root imports `ty` under `path`: a host slot for every function and
 * resource type it introduces (named by its path), and the paths of the
 * resource types. */
static bool bind_root(Builder *b, Frame *f, WgStr path, const WgCExternTy *ty,
                      int depth) {
  if (depth > PLAN_MAX_DEPTH) return failf(b, WG_ERR_LIMIT, "nesting too deep");
  if (ty->sort == WG_CSORT_TYPE && ty->of.type.kind == WG_CTY_RESOURCE) {
    const WgCResource *r = wg_cresource_canon(ty->of.type.of.resource);
    uint32_t slot = rmap_find(f, r);
    if (slot == UINT32_MAX) {
      PHostResource h = { path };
      if (!PUSH(b, &b->host_res, h)) return false;
      PResource pr = { .is_host = true,
                       .slot = b->host_res.count - 1,
                       .impl = UINT32_MAX,
                       .name = path };
      slot = new_resource(b, pr);
      if (slot == UINT32_MAX || !rmap_add(b, f, r, slot)) return false;
    }
    PathSlot ps = { path, slot };
    return PUSH(b, &b->res_paths, ps);
  }
  if (ty->sort == WG_CSORT_FUNC) {
    /* every imported function must be provided, used or not */
    FuncRef ref;
    return host_func(b, path, ty->of.func, &ref);
  }
  if (ty->sort != WG_CSORT_INSTANCE) return true;
  const WgCInstanceTy *in = ty->of.instance;
  for (uint32_t i = 0; i < in->export_count; i++) {
    WgStr sub = join_path(b, path, in->exports[i].name.name);
    if (!sub.ptr) return nomem(b);
    if (!bind_root(b, f, sub, &in->exports[i].type, depth + 1)) return false;
  }
  return true;
}

/* Section: spaces */

static SSpace *space_of(Frame *f, uint8_t sort, uint8_t core_sort) {
  switch (sort) {
    case WG_CSORT_FUNC:
      return &f->funcs;
    case WG_CSORT_INSTANCE:
      return &f->instances;
    case WG_CSORT_COMPONENT:
      return &f->components;
    case WG_CSORT_TYPE:
      return &f->types;
    case WG_CSORT_CORE:
      switch (core_sort) {
        case WG_CCORE_FUNC:
          return &f->core_funcs;
        case WG_CCORE_TABLE:
          return &f->core_tables;
        case WG_CCORE_MEMORY:
          return &f->core_mems;
        case WG_CCORE_GLOBAL:
          return &f->core_globals;
        case WG_CCORE_MODULE:
          return &f->modules;
        case WG_CCORE_INSTANCE:
          return &f->core_insts;
        default:
          return NULL;
      }
    default:
      return NULL; /* values */
  }
}

static bool item_at(Builder *b, Frame *f, uint8_t sort, uint8_t core_sort,
                    uint32_t index, SItem *out) {
  SSpace *s = space_of(f, sort, core_sort);
  if (!s)
    return failf(b, WG_ERR_UNSUPPORTED,
                 "component values are not supported by the runtime");
  if (index >= s->count)
    return failf(b, WG_ERR_INVALID, "internal: index %u out of bounds", index);
  *out = s->items[index];
  return true;
}

/* Section: core modules and instances */

static bool module_index(Builder *b, const WgCoreModuleEntry *e,
                         uint32_t *out) {
  for (uint32_t i = 0; i < b->mod_cache.count; i++)
    if (b->mod_cache.items[i].bytes == e->bytes) {
      *out = b->mod_cache.items[i].index;
      return true;
    }
  WgWasmModule *m = NULL;
  WgDiagList *err = wg_diag_list_new();
  /* the component validator has validated it: compile only */
  WgStatus st =
      wg_rt_module_load_validated(b->c->engine, e->bytes, e->len, &m, err);
  if (st != WG_OK) {
    failf(b, st, "core module: %s",
          err ? wg_diag_list_first_error(err) : "out of memory");
    wg_diag_list_delete(err);
    return false;
  }
  wg_diag_list_delete(err);
  if (!PUSH(b, &b->modules, m)) {
    wg_wasm_module_delete(m);
    return false;
  }
  ModCache mc = { e->bytes, b->modules.count - 1 };
  if (!PUSH(b, &b->mod_cache, mc)) return false;
  *out = mc.index;
  return true;
}

/* The export `name` of a core instance item. */
static bool core_export(Builder *b, const SItem *inst, WgStr name,
                        CoreRef *out) {
  if (inst->kind == SK_CORE_BAG) {
    for (uint32_t i = 0; i < inst->u.core_bag.count; i++)
      if (wg_str_eq(inst->u.core_bag.items[i].name, name)) {
        *out = inst->u.core_bag.items[i].ref;
        return true;
      }
  } else if (inst->kind == SK_CORE_INST) {
    WgWasmModule *m = b->modules.items[inst->u.core_inst.module];
    size_t n = wg_wasm_module_export_count(m);
    for (size_t i = 0; i < n; i++) {
      WgStr en;
      WgWasmExternKind k;
      wg_wasm_module_export(m, i, &en, &k);
      if (wg_str_eq(en, name)) {
        *out = (CoreRef){ CREF_EXPORT, (uint8_t)k, inst->u.core_inst.index,
                          (uint32_t)i };
        return true;
      }
    }
  }
  return failf(b, WG_ERR_INVALID, "internal: core export `%.*s` not found",
               (int)name.len, name.ptr);
}

static bool core_instance(Builder *b, Frame *f, const WgCInstance *in) {
  SItem it = { 0 };
  if (!in->instantiate) {
    SCoreExport *items =
        in->arg_count ? wg_arena_alloc(&b->tmp, in->arg_count * sizeof *items)
                      : NULL;
    if (in->arg_count && !items) return nomem(b);
    for (uint32_t i = 0; i < in->arg_count; i++) {
      SItem a;
      if (!item_at(b, f, WG_CSORT_CORE, in->args[i].core_sort,
                   in->args[i].index, &a))
        return false;
      items[i].name = in->args[i].name;
      items[i].ref = a.u.core;
    }
    it.kind = SK_CORE_BAG;
    it.u.core_bag.items = items;
    it.u.core_bag.count = in->arg_count;
    return PUSH(b, &f->core_insts, it);
  }
  SItem mod;
  if (!item_at(b, f, WG_CSORT_CORE, WG_CCORE_MODULE, in->target, &mod))
    return false;
  if (mod.kind != SK_MODULE || !mod.u.module->bytes)
    return failf(b, WG_ERR_UNSUPPORTED,
                 "instantiating an imported core module is not supported");
  uint32_t mi;
  if (!module_index(b, mod.u.module, &mi)) return false;
  WgWasmModule *m = b->modules.items[mi];
  size_t n = wg_wasm_module_import_count(m);
  CoreRef *imports = n ? wg_arena_alloc(b->out, n * sizeof *imports) : NULL;
  if (n && !imports) return nomem(b);
  for (size_t i = 0; i < n; i++) {
    WgStr mname, name;
    WgWasmExternKind k;
    wg_wasm_module_import(m, i, &mname, &name, &k);
    const WgCInstantiateArg *arg = NULL;
    for (uint32_t j = 0; j < in->arg_count && !arg; j++)
      if (wg_str_eq(in->args[j].name, mname)) arg = &in->args[j];
    if (!arg)
      return failf(b, WG_ERR_INVALID,
                   "internal: missing module argument `%.*s`", (int)mname.len,
                   mname.ptr);
    SItem src;
    if (!item_at(b, f, WG_CSORT_CORE, WG_CCORE_INSTANCE, arg->index, &src) ||
        !core_export(b, &src, name, &imports[i]))
      return false;
  }
  if (!count_item(b)) return false;
  if (b->core_insts.count >= PLAN_MAX_INSTANCES)
    return failf(b, WG_ERR_LIMIT,
                 "component plan too large (more than %d "
                 "core instances)",
                 PLAN_MAX_INSTANCES);
  PCoreInst pc = { mi, (uint32_t)n, imports };
  if (!PUSH(b, &b->core_insts, pc)) return false;
  it.kind = SK_CORE_INST;
  it.u.core_inst.index = b->core_insts.count - 1;
  it.u.core_inst.module = mi;
  return PUSH(b, &f->core_insts, it);
}

/* Section: canon definitions */

static bool core_ref(Builder *b, Frame *f, uint8_t core_sort, uint32_t index,
                     CoreRef *out) {
  SItem it;
  if (!item_at(b, f, WG_CSORT_CORE, core_sort, index, &it)) return false;
  if (it.kind != SK_CORE)
    return failf(b, WG_ERR_INVALID, "internal: not a core item");
  *out = it.u.core;
  return true;
}

static bool opts(Builder *b, Frame *f, const WgCCanonOpts *o, COpts *out) {
  memset(out, 0, sizeof *out);
  out->encoding = o->has_string_encoding ? o->string_encoding : 0;
  if (o->has_memory &&
      !core_ref(b, f, WG_CCORE_MEMORY, o->memory, &out->memory))
    return false;
  if (o->has_realloc &&
      !core_ref(b, f, WG_CCORE_FUNC, o->realloc, &out->realloc))
    return false;
  if (o->has_post_return &&
      !core_ref(b, f, WG_CCORE_FUNC, o->post_return, &out->post_return))
    return false;
  return true;
}

static const CSig *sig_of(Builder *b, Frame *f, const WgCFuncTy *ft) {
  b->cur = f;
  b->ty.resolve = resolve_cb;
  b->ty.ctx = b;
  const CSig *s = wg_csig_build(&b->ty, ft);
  if (!s) {
    if (b->ty.nomem) return nomem(b), NULL;
    return failf(b, WG_ERR_UNSUPPORTED, "function type: %s",
                 b->ty.why ? b->ty.why : "not supported"),
           NULL;
  }
  return s;
}

/* The component instances from `c` up to the root, minus those `from`
 * (UINT32_MAX: the host) is already in: what a call entering `c`
 * enters (CanonicalABI.md, ComponentInstance.entering_set). */
static bool entering_set(Builder *b, uint32_t c, uint32_t from,
                         const uint32_t **out, uint32_t *count) {
  uint32_t tmp[PLAN_MAX_DEPTH + 2];
  uint32_t n = 0;
  for (uint32_t x = c; x != UINT32_MAX && n < PLAN_MAX_DEPTH + 1;
       x = b->cinsts.items[x].parent) {
    bool shared = false;
    for (uint32_t y = from; y != UINT32_MAX; y = b->cinsts.items[y].parent)
      if (y == x) shared = true;
    if (!shared) tmp[n++] = x;
  }
  *count = n;
  *out = n ? keep(b, tmp, n, sizeof *tmp) : NULL;
  return !n || *out;
}

static bool canon(Builder *b, Frame *f, const WgCCanon *c) {
  switch (c->op) {
    case WG_CANON_LIFT: {
      uint32_t k = f->funcs.count;
      if (k >= f->scope->func_count)
        return failf(b, WG_ERR_INVALID, "internal: func space out of step");
      PLift l = { 0 };
      l.cinst = f->cinst;
      if (!core_ref(b, f, WG_CCORE_FUNC, c->func, &l.func) ||
          !opts(b, f, &c->opts, &l.opts))
        return false;
      if (!(l.sig = sig_of(b, f, f->scope->funcs[k]))) return false;
      if (!entering_set(b, f->cinst, UINT32_MAX, &l.enter, &l.enter_count) ||
          !count_item(b) || !PUSH(b, &b->lifts, l))
        return false;
      SItem it = { SK_FUNC, { .func = { FREF_LIFT, b->lifts.count - 1 } } };
      return PUSH(b, &f->funcs, it);
    }
    case WG_CANON_LOWER: {
      uint32_t k = f->core_funcs.count;
      SItem callee;
      if (!item_at(b, f, WG_CSORT_FUNC, 0, c->func, &callee)) return false;
      if (callee.kind != SK_FUNC)
        return failf(b, WG_ERR_INVALID, "internal: lowering a non-function");
      PTramp t = { 0 };
      t.kind = TR_LOWER;
      t.cinst = f->cinst;
      t.core_type = f->scope->core_funcs[k];
      t.callee = callee.u.func;
      if (!opts(b, f, &c->opts, &t.opts)) return false;
      if (!(t.sig = sig_of(b, f, f->scope->funcs[c->func]))) return false;
      if (t.callee.kind == FREF_LIFT) {
        const PLift *l = &b->lifts.items[t.callee.index];
        if (!entering_set(b, l->cinst, f->cinst, &t.enter, &t.enter_count))
          return false;
        /* a call between two instances the component nests: fused when
         * both sides agree on the layout (they do once validated) */
        t.fuse = wg_fuse_compile(b->out, t.sig, l->sig, t.callee.index);
      }
      if (!count_item(b) || !PUSH(b, &b->tramps, t)) return false;
      SItem it = { SK_CORE,
                   { .core = { CREF_TRAMP, WG_WASM_EXTERN_FUNC, 0,
                               b->tramps.count - 1 } } };
      return PUSH(b, &f->core_funcs, it);
    }
    case WG_CANON_RESOURCE_NEW:
    case WG_CANON_RESOURCE_DROP:
    case WG_CANON_RESOURCE_REP: {
      uint32_t k = f->core_funcs.count;
      SItem ty;
      if (!item_at(b, f, WG_CSORT_TYPE, 0, c->type, &ty)) return false;
      PTramp t = { 0 };
      t.kind = c->op == WG_CANON_RESOURCE_NEW    ? TR_RESOURCE_NEW
               : c->op == WG_CANON_RESOURCE_DROP ? TR_RESOURCE_DROP
                                                 : TR_RESOURCE_REP;
      t.cinst = f->cinst;
      t.core_type = f->scope->core_funcs[k];
      t.resource = item_resource(b, &ty);
      if (t.resource == UINT32_MAX)
        return failf(b, WG_ERR_INVALID, "internal: unknown resource type");
      if (!count_item(b) || !PUSH(b, &b->tramps, t)) return false;
      SItem it = { SK_CORE,
                   { .core = { CREF_TRAMP, WG_WASM_EXTERN_FUNC, 0,
                               b->tramps.count - 1 } } };
      return PUSH(b, &f->core_funcs, it);
    }
    default: { /* the async and thread built-ins */
      uint32_t k = f->core_funcs.count;
      if (k >= f->scope->core_func_count)
        return failf(b, WG_ERR_UNSUPPORTED,
                     "canonical built-in 0x%02x is not supported", c->op);
      PTramp t = { 0 };
      t.cinst = f->cinst;
      t.core_type = f->scope->core_funcs[k];
      t.kind = TR_ASYNC;
      t.index = c->op;
      if (c->op == WG_CANON_CONTEXT_GET || c->op == WG_CANON_CONTEXT_SET) {
        t.kind =
            c->op == WG_CANON_CONTEXT_GET ? TR_CONTEXT_GET : TR_CONTEXT_SET;
        uint32_t i = 0, shift = 0;
        for (size_t p = 1; p < c->raw_len && shift < 35; p++, shift += 7) {
          i |= (uint32_t)(c->raw[p] & 0x7f) << shift;
          if (!(c->raw[p] & 0x80)) break;
        }
        if (i >= 2)
          return failf(b, WG_ERR_INVALID, "context slot %u out of range", i);
        t.index = i;
      }
      if (!count_item(b) || !PUSH(b, &b->tramps, t)) return false;
      SItem it = { SK_CORE,
                   { .core = { CREF_TRAMP, WG_WASM_EXTERN_FUNC, 0,
                               b->tramps.count - 1 } } };
      return PUSH(b, &f->core_funcs, it);
    }
  }
}

/* Section: components */

static bool inline_frame(Builder *b, Frame *f);

static bool new_cinst(Builder *b, uint32_t parent, uint32_t *out) {
  if (b->cinsts.count >= PLAN_MAX_INSTANCES)
    return failf(b, WG_ERR_LIMIT,
                 "component plan too large (more than %d component "
                 "instances)",
                 PLAN_MAX_INSTANCES);
  PCInst c = { parent };
  if (!count_item(b) || !PUSH(b, &b->cinsts, c)) return false;
  *out = b->cinsts.count - 1;
  return true;
}

static bool instance(Builder *b, Frame *f, const WgCInstance *in) {
  SItem it = { 0 };
  uint32_t k = f->instances.count;
  SExport *args = in->arg_count
                      ? wg_arena_alloc(&b->tmp, in->arg_count * sizeof *args)
                      : NULL;
  if (in->arg_count && !args) return nomem(b);
  for (uint32_t i = 0; i < in->arg_count; i++) {
    const WgCInstantiateArg *a = &in->args[i];
    args[i].name = in->instantiate ? a->name : in->export_names[i].name;
    if (!item_at(b, f, a->sort, a->core_sort, a->index, &args[i].item))
      return false;
  }
  if (!in->instantiate) {
    it.kind = SK_INSTANCE;
    it.u.inst.items = args;
    it.u.inst.count = in->arg_count;
    return PUSH(b, &f->instances, it);
  }
  SItem comp;
  if (!item_at(b, f, WG_CSORT_COMPONENT, 0, in->target, &comp)) return false;
  if (comp.kind != SK_COMPONENT || !comp.u.comp.def)
    return failf(b, WG_ERR_UNSUPPORTED,
                 "instantiating an imported component is not supported");
  if (b->depth >= PLAN_MAX_DEPTH)
    return failf(b, WG_ERR_LIMIT, "component instantiations nested too deeply");
  Frame *g = wg_arena_zalloc(&b->tmp, sizeof *g);
  if (!g) return nomem(b);
  g->closure = comp.u.comp.closure;
  g->comp = comp.u.comp.def;
  g->scope = comp.u.comp.scope;
  g->args = args;
  g->arg_count = in->arg_count;
  if (!new_cinst(b, f->cinst, &g->cinst)) return false;
  b->depth++;
  size_t offset = b->offset;
  bool ok = inline_frame(b, g);
  b->offset = offset;
  b->depth--;
  if (!ok) return false;
  it.kind = SK_INSTANCE;
  it.u.inst.items = g->exports.items;
  it.u.inst.count = g->exports.count;
  /* the fresh resources of the instance type, as the parent sees them */
  WgCExternTy ty = { .sort = WG_CSORT_INSTANCE };
  ty.of.instance = f->scope->instances[k];
  return bind(b, f, &ty, &it, 0) && PUSH(b, &f->instances, it);
}

static bool alias(Builder *b, Frame *f, const WgCAlias *a) {
  SItem it = { 0 };
  /* core types are the validator's business: nothing to track */
  if (a->sort == WG_CSORT_CORE && a->core_sort == WG_CCORE_TYPE) return true;
  SSpace *dst = space_of(f, a->sort, a->core_sort);
  if (a->kind == WG_CALIAS_CORE_EXPORT) {
    if (!dst) return true; /* tags: unusable, nothing to track */
    SItem inst;
    if (!item_at(b, f, WG_CSORT_CORE, WG_CCORE_INSTANCE, a->instance, &inst))
      return false;
    it.kind = SK_CORE;
    return core_export(b, &inst, a->name, &it.u.core) && PUSH(b, dst, it);
  }
  if (!dst)
    return failf(b, WG_ERR_UNSUPPORTED,
                 "component values are not supported by the runtime");
  if (a->kind == WG_CALIAS_OUTER) {
    Frame *t = f;
    for (uint32_t i = 0; i < a->instance && t; i++)
      t = t->closure;
    if (!t) return failf(b, WG_ERR_INVALID, "internal: outer alias");
    if (a->sort == WG_CSORT_TYPE) {
      it.kind = SK_TYPE;
      it.u.type.ref = f->scope->types[f->types.count];
      it.u.type.frame = f;
      return PUSH(b, dst, it);
    }
    SSpace *src = space_of(t, a->sort, a->core_sort);
    if (!src || a->index >= src->count)
      return failf(b, WG_ERR_INVALID, "internal: outer alias index");
    return PUSH(b, dst, src->items[a->index]);
  }
  SItem inst;
  if (!item_at(b, f, WG_CSORT_INSTANCE, 0, a->instance, &inst)) return false;
  if (a->sort == WG_CSORT_TYPE) {
    /* types resolve through the validator's view and the frame */
    it.kind = SK_TYPE;
    it.u.type.ref = f->scope->types[f->types.count];
    it.u.type.frame = f;
    return PUSH(b, dst, it);
  }
  it = item_export(b, &inst, a->name);
  if (it.kind == SK_NONE) {
    if (b->failed) return false;
    return failf(b, WG_ERR_INVALID, "internal: export `%.*s` not found",
                 (int)a->name.len, a->name.ptr);
  }
  if (it.kind == SK_IMPORT && it.u.import.type.sort == WG_CSORT_COMPONENT)
    return failf(b, WG_ERR_UNSUPPORTED,
                 "importing components is not supported");
  return PUSH(b, dst, it);
}

static bool type_def(Builder *b, Frame *f, const WgCType *t) {
  SItem it = { SK_TYPE, { .type = { f->scope->types[f->types.count], f } } };
  if (t->kind == WG_CT_RESOURCE) {
    PResource r = { 0 };
    r.impl = f->cinst;
    r.name = (WgStr){ "resource", 8 };
    if (t->u.resource_def.has_dtor) {
      r.has_dtor = true;
      if (!core_ref(b, f, WG_CCORE_FUNC, t->u.resource_def.dtor, &r.dtor))
        return false;
    }
    uint32_t slot = new_resource(b, r);
    if (slot == UINT32_MAX || !rmap_add(b, f, it.u.type.ref.of.resource, slot))
      return false;
  }
  return PUSH(b, &f->types, it);
}

static bool import_def(Builder *b, Frame *f, const WgCDef *d) {
  const WgCName *name = &d->u.extern_.name;
  uint8_t kind = d->u.extern_.type.kind;
  SItem it = { 0 };
  SSpace *dst;
  switch (kind) {
    case WG_CSORT_FUNC:
      dst = &f->funcs;
      break;
    case WG_CSORT_TYPE:
      dst = &f->types;
      break;
    case WG_CSORT_COMPONENT:
    case WG_CSORT_CORE: {
      /* a nested component gets its argument; the root cannot: the
       * embedder provides functions, resources and instances only, so
       * such an import makes the component unlinkable (and using it in
       * the plan unsupported) */
      if (!f->args && !f->closure) {
        WgStr path = wg_arena_strdup(b->out, name->name);
        if (!path.ptr) return nomem(b);
        SItem none = { 0 };
        return PUSH(b, &b->unlinkable, path) &&
               PUSH(b,
                    kind == WG_CSORT_COMPONENT ? &f->components : &f->modules,
                    none);
      }
      const SItem *arg = NULL;
      for (uint32_t i = 0; i < f->arg_count && !arg; i++)
        if (wg_str_eq(f->args[i].name, name->name)) arg = &f->args[i].item;
      if (!arg)
        return failf(b, WG_ERR_INVALID, "internal: missing argument `%.*s`",
                     (int)name->name.len, name->name.ptr);
      return PUSH(b, kind == WG_CSORT_COMPONENT ? &f->components : &f->modules,
                  *arg);
    }
    case WG_CSORT_INSTANCE:
      dst = &f->instances;
      break;
    default:
      return failf(b, WG_ERR_UNSUPPORTED, "importing values is not supported");
  }
  WgCExternTy ty = { 0 };
  if (kind == WG_CSORT_FUNC) {
    ty.sort = WG_CSORT_FUNC;
    ty.of.func = f->scope->funcs[f->funcs.count];
  } else if (kind == WG_CSORT_TYPE) {
    ty.sort = WG_CSORT_TYPE;
    ty.of.type = f->scope->types[f->types.count];
  } else {
    ty.sort = WG_CSORT_INSTANCE;
    ty.of.instance = f->scope->instances[f->instances.count];
  }
  if (f->args || f->closure) { /* a nested component: its argument */
    const SItem *arg = NULL;
    for (uint32_t i = 0; i < f->arg_count && !arg; i++)
      if (wg_str_eq(f->args[i].name, name->name)) arg = &f->args[i].item;
    if (!arg)
      return failf(b, WG_ERR_INVALID, "internal: missing argument `%.*s`",
                   (int)name->name.len, name->name.ptr);
    it = *arg;
    if (kind == WG_CSORT_TYPE) { /* a type import is a type of this frame */
      it.kind = SK_TYPE;
      it.u.type.ref = ty.of.type;
      it.u.type.frame = f;
      if (!bind(b, f, &ty, arg, 0)) return false;
      return PUSH(b, dst, it);
    }
    return bind(b, f, &ty, &it, 0) && PUSH(b, dst, it);
  }
  /* the root: imports are the embedder's, by name */
  WgStr path = wg_arena_strdup(b->out, name->name);
  if (!path.ptr) return nomem(b);
  if (kind == WG_CSORT_FUNC) {
    it.kind = SK_FUNC;
    if (!host_func(b, path, ty.of.func, &it.u.func)) return false;
  } else if (kind == WG_CSORT_TYPE) {
    it.kind = SK_TYPE;
    it.u.type.ref = ty.of.type;
    it.u.type.frame = f;
  } else {
    it.kind = SK_IMPORT;
    it.u.import.path = path;
    it.u.import.type = ty;
  }
  return bind_root(b, f, path, &ty, 0) && PUSH(b, dst, it);
}

static bool export_def(Builder *b, Frame *f, const WgCDef *d) {
  SItem it;
  if (!item_at(b, f, d->u.extern_.sort, d->u.extern_.core_sort,
               d->u.extern_.index, &it))
    return false;
  SSpace *dst = space_of(f, d->u.extern_.sort, d->u.extern_.core_sort);
  if (d->u.extern_.sort == WG_CSORT_TYPE) {
    /* the export names the type anew: resolve through this frame */
    SItem t = { SK_TYPE, { .type = { f->scope->types[f->types.count], f } } };
    if (t.u.type.ref.kind == WG_CTY_RESOURCE) {
      const WgCResource *r = wg_cresource_canon(t.u.type.ref.of.resource);
      if (rmap_find(f, r) == UINT32_MAX) {
        uint32_t slot = item_resource(b, &it);
        if (slot == UINT32_MAX || !rmap_add(b, f, r, slot))
          return failf(b, WG_ERR_INVALID, "internal: exported resource");
      }
    }
    it = t;
  }
  SExport e = { d->u.extern_.name.name, it };
  return PUSH(b, dst, it) && PUSH(b, &f->exports, e);
}

static bool inline_frame(Builder *b, Frame *f) {
  const WgComponent *c = f->comp;
  for (uint32_t i = 0; i < c->def_count && !b->failed; i++) {
    const WgCDef *d = &c->defs[i];
    b->offset = d->offset;
    switch (d->kind) {
      case WG_CDEF_CUSTOM:
      case WG_CDEF_CORE_TYPE:
        break;
      case WG_CDEF_CORE_MODULE: {
        SItem it = { SK_MODULE,
                     { .module = &f->scope->core_modules[f->modules.count] } };
        PUSH(b, &f->modules, it);
        break;
      }
      case WG_CDEF_CORE_INSTANCE:
        core_instance(b, f, &d->u.instance);
        break;
      case WG_CDEF_COMPONENT: {
        const WgCComponentEntry *e = &f->scope->components[f->components.count];
        SItem it = { SK_COMPONENT, { .comp = { e->def, e->scope, f } } };
        PUSH(b, &f->components, it);
        break;
      }
      case WG_CDEF_INSTANCE:
        instance(b, f, &d->u.instance);
        break;
      case WG_CDEF_ALIAS:
        alias(b, f, &d->u.alias);
        break;
      case WG_CDEF_TYPE:
        type_def(b, f, d->u.type);
        break;
      case WG_CDEF_CANON:
        canon(b, f, &d->u.canon);
        break;
      case WG_CDEF_START:
        failf(b, WG_ERR_UNSUPPORTED, "start definitions are not supported");
        break;
      case WG_CDEF_IMPORT:
        import_def(b, f, d);
        break;
      case WG_CDEF_EXPORT:
        export_def(b, f, d);
        break;
    }
  }
  return !b->failed;
}

/* Section: exports of the root */

static bool add_exports(Builder *b, WgStr prefix, const SItem *it,
                        const WgCExternTy *ty, int depth) {
  if (depth > PLAN_MAX_DEPTH) return failf(b, WG_ERR_LIMIT, "nesting too deep");
  switch (ty->sort) {
    case WG_CSORT_FUNC: {
      if (it->kind != SK_FUNC) return true;
      PExportFunc e = { prefix, ty->of.func, it->u.func };
      return PUSH(b, &b->export_funcs, e);
    }
    case WG_CSORT_TYPE: {
      if (ty->of.type.kind != WG_CTY_RESOURCE) return true;
      uint32_t slot = item_resource(b, it);
      if (slot == UINT32_MAX) return true;
      PExportResource e = { prefix, slot };
      if (b->resources.items[slot].name.ptr &&
          !b->resources.items[slot].is_host &&
          wg_str_eq(b->resources.items[slot].name, WG_STR("resource")))
        b->resources.items[slot].name = prefix;
      return PUSH(b, &b->export_res, e);
    }
    case WG_CSORT_INSTANCE: {
      PExportInstance pi = { prefix, b->export_funcs.count, 0,
                             b->export_res.count, 0 };
      const WgCInstanceTy *in = ty->of.instance;
      for (uint32_t i = 0; i < in->export_count; i++) {
        SItem child = item_export(b, it, in->exports[i].name.name);
        if (child.kind == SK_NONE) {
          if (b->failed) return false;
          continue;
        }
        if (in->exports[i].type.sort == WG_CSORT_TYPE &&
            child.kind == SK_TYPE && child.u.type.ref.kind == WG_CTY_VALUE)
          continue;
        WgStr name = join_path(b, prefix, in->exports[i].name.name);
        if (!name.ptr) return nomem(b);
        if (!add_exports(b, name, &child, &in->exports[i].type, depth + 1))
          return false;
      }
      if (depth == 0) {
        pi.func_count = b->export_funcs.count - pi.first_func;
        pi.res_count = b->export_res.count - pi.first_res;
        return PUSH(b, &b->export_insts, pi);
      }
      return true;
    }
    default:
      return true;
  }
}

static int cmp_export(const void *a, const void *b) {
  const PExportName *x = a, *y = b;
  size_t n = x->name.len < y->name.len ? x->name.len : y->name.len;
  int c = memcmp(x->name.ptr, y->name.ptr, n);
  if (c) return c;
  return x->name.len < y->name.len ? -1 : x->name.len > y->name.len;
}

/* Section: entry */

WgStatus wg_cplan_build(WgWasmComponent *c, WgDiagList *diags) {
  Builder b = { 0 };
  b.c = c;
  b.out = &c->arena;
  b.diags = diags;
  wg_arena_init(&b.tmp, c->alloc);
  if (!wg_cty_builder_init(&b.ty, &c->arena)) {
    wg_arena_release(&b.tmp);
    wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
    return WG_ERR_NOMEM;
  }
  Frame *root = wg_arena_zalloc(&b.tmp, sizeof *root);
  if (!root) {
    nomem(&b);
  } else {
    root->comp = c->decoded;
    root->scope = c->scope;
    b.root = root;
    uint32_t ci;
    if (new_cinst(&b, UINT32_MAX, &ci)) {
      root->cinst = ci;
      inline_frame(&b, root);
    }
  }
  /* the root's exports, by full name */
  const WgCComponentTy *ct = c->scope->type;
  for (uint32_t i = 0; !b.failed && i < root->exports.count; i++) {
    const SExport *e = &root->exports.items[i];
    const WgCItem *item = wg_ccomponent_item(ct, e->name, false);
    if (!item) continue;
    WgStr name = wg_arena_strdup(b.out, e->name);
    if (!name.ptr) {
      nomem(&b);
      break;
    }
    add_exports(&b, name, &e->item, &item->type, 0);
  }
  Plan *p = &c->plan;
  if (!b.failed) {
    p->module_count = b.modules.count;
    p->modules = keep(&b, b.modules.items, b.modules.count, sizeof(void *));
    p->core_inst_count = b.core_insts.count;
    p->core_insts =
        keep(&b, b.core_insts.items, b.core_insts.count, sizeof(PCoreInst));
    p->tramp_count = b.tramps.count;
    p->tramps = keep(&b, b.tramps.items, b.tramps.count, sizeof(PTramp));
    p->lift_count = b.lifts.count;
    p->lifts = keep(&b, b.lifts.items, b.lifts.count, sizeof(PLift));
    p->resource_count = b.resources.count;
    p->resources =
        keep(&b, b.resources.items, b.resources.count, sizeof(PResource));
    p->cinst_count = b.cinsts.count;
    p->cinsts = keep(&b, b.cinsts.items, b.cinsts.count, sizeof(PCInst));
    p->host_func_count = b.host_funcs.count;
    p->host_funcs =
        keep(&b, b.host_funcs.items, b.host_funcs.count, sizeof(PHostFunc));
    p->host_res_count = b.host_res.count;
    p->host_res =
        keep(&b, b.host_res.items, b.host_res.count, sizeof(PHostResource));
    p->export_func_count = b.export_funcs.count;
    p->export_funcs = keep(&b, b.export_funcs.items, b.export_funcs.count,
                           sizeof(PExportFunc));
    if (p->export_func_count) {
      p->export_names =
          wg_arena_alloc(b.out, p->export_func_count * sizeof(PExportName));
      if (!p->export_names) {
        nomem(&b);
      } else {
        for (uint32_t i = 0; i < p->export_func_count; i++)
          p->export_names[i] = (PExportName){ p->export_funcs[i].name, i };
        qsort(p->export_names, p->export_func_count, sizeof(PExportName),
              cmp_export);
      }
    }
    p->export_res_count = b.export_res.count;
    p->export_res = keep(&b, b.export_res.items, b.export_res.count,
                         sizeof(PExportResource));
    p->export_inst_count = b.export_insts.count;
    p->export_insts = keep(&b, b.export_insts.items, b.export_insts.count,
                           sizeof(PExportInstance));
    p->unlinkable_count = b.unlinkable.count;
    p->unlinkable =
        keep(&b, b.unlinkable.items, b.unlinkable.count, sizeof(WgStr));
  }
  if (b.failed) {
    for (uint32_t i = 0; i < b.modules.count; i++)
      wg_wasm_module_delete(b.modules.items[i]);
    memset(p, 0, sizeof *p);
  }
  wg_arena_release(&b.tmp);
  return b.failed ? b.status : WG_OK;
}

void wg_cplan_free(WgWasmComponent *c) {
  for (uint32_t i = 0; i < c->plan.module_count; i++)
    wg_wasm_module_delete(c->plan.modules[i]);
  memset(&c->plan, 0, sizeof c->plan);
}
