/* SPDX-License-Identifier: Apache-2.0 */
/* The component linker: host functions, host resource types and instances
 * of other components by WIT name, matched to a component's imports with
 * semver-compatible versions and checked against their types; a
 * WgComponentPre holds the result so instantiation does no lookups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cinternal.h"
#include "core/rt.h"
#include "strbuf.h"

typedef enum DefKind { DEF_FUNC = 1, DEF_RESOURCE } DefKind;

typedef struct Semver {
  bool valid;
  uint64_t major, minor, patch;
  WgStr pre; /* pre-release: compatible only with itself */
} Semver;

typedef struct LDef {
  char *name; /* copy, NUL-terminated */
  size_t len;
  WgStr iface;  /* before the first '#', or "" */
  WgStr member; /* after it, or the whole name */
  WgStr base;   /* iface without "@version" */
  Semver version;
  uint8_t kind;
  HostFunc *func;
  WgCResourceType *res;
} LDef;

struct WgComponentLinker {
  WgEngine *engine;
  WgAllocator alloc;
  WgComponentLinkerConfig config;
  LDef *defs;
  size_t count, cap;
};

/* The text of `b`, or `dflt` when empty or failed. */
static const char *cstr(WgBuf *b, const char *dflt) {
  const char *s = b->len && !b->failed ? wg_buf_cstr(b) : NULL;
  return s ? s : dflt;
}

/* Section: names and versions */

static bool parse_u64(const char **p, const char *end, uint64_t *out) {
  const char *s = *p;
  if (s >= end || *s < '0' || *s > '9') return false;
  if (*s == '0' && s + 1 < end && s[1] >= '0' && s[1] <= '9') return false;
  uint64_t v = 0;
  while (s < end && *s >= '0' && *s <= '9') {
    if (v > (UINT64_MAX - 9) / 10) return false;
    v = v * 10 + (uint64_t)(*s++ - '0');
  }
  *p = s;
  *out = v;
  return true;
}

/* "MAJOR.MINOR.PATCH[-pre][+build]" */
static Semver parse_semver(WgStr s) {
  Semver v = { 0 };
  const char *p = s.ptr, *end = s.ptr + s.len;
  if (!parse_u64(&p, end, &v.major) || p >= end || *p++ != '.' ||
      !parse_u64(&p, end, &v.minor) || p >= end || *p++ != '.' ||
      !parse_u64(&p, end, &v.patch))
    return v;
  if (p < end && *p == '-') {
    const char *q = ++p;
    while (q < end && *q != '+')
      q++;
    v.pre = (WgStr){ p, (size_t)(q - p) };
    p = q;
  }
  if (p < end && *p != '+') return v;
  v.valid = true;
  return v;
}

/* Splits a full name into interface, member, base and version. */
static void split_name(WgStr name, WgStr *iface, WgStr *member, WgStr *base,
                       Semver *version) {
  const char *hash = memchr(name.ptr, '#', name.len);
  if (hash) {
    *iface = (WgStr){ name.ptr, (size_t)(hash - name.ptr) };
    *member = (WgStr){ hash + 1, name.len - iface->len - 1 };
  } else {
    *iface = (WgStr){ name.ptr, 0 };
    *member = name;
  }
  WgStr full = hash ? *iface : name;
  const char *at = memchr(full.ptr, '@', full.len);
  memset(version, 0, sizeof *version);
  if (at) {
    *base = (WgStr){ full.ptr, (size_t)(at - full.ptr) };
    *version = parse_semver((WgStr){ at + 1, full.len - base->len - 1 });
  } else {
    *base = full;
  }
}

/* True when a definition at version `have` may satisfy an import at
 * `want`: same major version, and for 0.x the same minor (0.0.x: the same
 * patch); pre-releases only match themselves. */
static bool compatible(const Semver *want, const Semver *have) {
  if (!want->valid || !have->valid) return false;
  if (want->pre.len || have->pre.len)
    return want->major == have->major && want->minor == have->minor &&
           want->patch == have->patch && wg_str_eq(want->pre, have->pre);
  if (want->major != have->major) return false;
  if (want->major > 0) return true;
  if (want->minor != have->minor) return false;
  return want->minor > 0 || want->patch == have->patch;
}

static bool newer(const Semver *a, const Semver *b) {
  if (a->major != b->major) return a->major > b->major;
  if (a->minor != b->minor) return a->minor > b->minor;
  return a->patch > b->patch;
}

/* The definition an import named `name` of `kind` resolves to: the exact
 * name, else the highest semver-compatible version. */
static LDef *lookup(WgComponentLinker *l, WgStr name) {
  for (size_t i = l->count; i-- > 0;)
    if (l->defs[i].len == name.len &&
        memcmp(l->defs[i].name, name.ptr, name.len) == 0)
      return &l->defs[i];
  WgStr iface, member, base;
  Semver want;
  split_name(name, &iface, &member, &base, &want);
  if (!want.valid) return NULL;
  LDef *best = NULL;
  for (size_t i = l->count; i-- > 0;) {
    LDef *d = &l->defs[i];
    if (!wg_str_eq(d->base, base) || !wg_str_eq(d->member, member) ||
        !compatible(&want, &d->version))
      continue;
    if (!best || newer(&d->version, &best->version)) best = d;
  }
  return best;
}

/* Section: definitions */

void wg_hostfunc_release(HostFunc *f) {
  if (!f || atomic_fetch_sub(&f->refcount, 1) != 1) return;
  if (f->env_free) f->env_free(f->env);
  free(f->sig_text);
  free(f);
}

void wg_cresource_retain(WgCResourceType *t) {
  if (t && t->is_host) atomic_fetch_add(&t->refcount, 1);
}

void wg_cresource_release(WgCResourceType *t) {
  if (!t || !t->is_host || atomic_fetch_sub(&t->refcount, 1) != 1) return;
  if (t->env_free) t->env_free(t->env);
  free(t->name_copy);
  free(t);
}

static void def_release(LDef *d) {
  wg_hostfunc_release(d->func);
  wg_cresource_release(d->res);
  free(d->name);
}

WgComponentLinker *
wg_component_linker_new(WgEngine *engine,
                        const WgComponentLinkerConfig *config) {
  if (!engine) return NULL;
  WgComponentLinker *l = wg_alloc_zeroed(engine->alloc, sizeof *l);
  if (!l) return NULL;
  l->engine = engine;
  l->alloc = engine->alloc;
  if (config) l->config = *config;
  if (!l->config.max_handles) l->config.max_handles = 1u << 20;
  if (l->config.max_handles > (1u << 28) - 1)
    l->config.max_handles = (1u << 28) - 1;
  return l;
}

void wg_component_linker_delete(WgComponentLinker *l) {
  if (!l) return;
  for (size_t i = 0; i < l->count; i++)
    def_release(&l->defs[i]);
  wg_free(l->alloc, l->defs, l->cap * sizeof *l->defs);
  wg_free(l->alloc, l, sizeof *l);
}

static bool valid_name(WgStr name) {
  if (!name.len || !name.ptr) return false;
  for (size_t i = 0; i < name.len; i++)
    if ((unsigned char)name.ptr[i] < 0x20) return false;
  return true;
}

/* Adds (or replaces) a definition; takes over `func` or `res`. */
static WgStatus add_def(WgComponentLinker *l, WgStr name, HostFunc *func,
                        WgCResourceType *res, WgDiagList *diags) {
  if (!valid_name(name)) {
    wg_hostfunc_release(func);
    wg_cresource_release(res);
    wg_diag_list_add_at(diags, WG_ERR_INVALID, 0, "invalid definition name");
    return WG_ERR_INVALID;
  }
  char *copy = malloc(name.len + 1);
  if (!copy) goto nomem;
  memcpy(copy, name.ptr, name.len);
  copy[name.len] = 0;
  LDef d = { 0 };
  d.name = copy;
  d.len = name.len;
  split_name((WgStr){ copy, name.len }, &d.iface, &d.member, &d.base,
             &d.version);
  d.kind = func ? DEF_FUNC : DEF_RESOURCE;
  d.func = func;
  d.res = res;
  for (size_t i = 0; i < l->count; i++)
    if (l->defs[i].len == name.len &&
        memcmp(l->defs[i].name, copy, name.len) == 0) {
      def_release(&l->defs[i]);
      l->defs[i] = d;
      return WG_OK;
    }
  if (l->count == l->cap) {
    size_t ncap = l->cap ? l->cap * 2 : 16;
    LDef *n =
        wg_realloc(l->alloc, l->defs, l->cap * sizeof *n, ncap * sizeof *n);
    if (!n) {
      free(copy);
      goto nomem;
    }
    l->defs = n;
    l->cap = ncap;
  }
  l->defs[l->count++] = d;
  return WG_OK;
nomem:
  wg_hostfunc_release(func);
  wg_cresource_release(res);
  wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
  return WG_ERR_NOMEM;
}

WgStatus wg_component_linker_define_func(WgComponentLinker *l, WgStr name,
                                         WgStr type, WgCHostFn fn, void *env,
                                         void (*env_free)(void *),
                                         WgDiagList *diags) {
  if (!l || !fn) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0, "no linker or function");
    return WG_ERR_MISUSE;
  }
  if (type.len && !wg_csig_valid(type, diags)) return WG_ERR_INVALID;
  HostFunc *f = calloc(1, sizeof *f);
  if (!f) {
    wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
    return WG_ERR_NOMEM;
  }
  atomic_init(&f->refcount, 1);
  f->fn = fn;
  f->env = env;
  f->env_free = env_free;
  if (type.len) {
    f->sig_text = malloc(type.len + 1);
    if (!f->sig_text) {
      free(f);
      wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
      return WG_ERR_NOMEM;
    }
    memcpy(f->sig_text, type.ptr, type.len);
    f->sig_text[type.len] = 0;
  }
  return add_def(l, name, f, NULL, diags);
}

bool wg_component_linker_has(const WgComponentLinker *l, WgStr name) {
  return l && lookup((WgComponentLinker *)l, name) != NULL;
}

WgCResourceType *wg_cresource_new_host(WgStr name, WgCResourceDtor dtor,
                                       void *env, void (*env_free)(void *)) {
  WgCResourceType *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->name_copy = malloc(name.len + 1);
  if (!t->name_copy) {
    free(t);
    return NULL;
  }
  memcpy(t->name_copy, name.ptr, name.len);
  t->name_copy[name.len] = 0;
  atomic_init(&t->refcount, 1);
  t->is_host = true;
  t->name = (WgStr){ t->name_copy, name.len };
  t->dtor = dtor;
  t->env = env;
  t->env_free = env_free;
  return t;
}

WgStatus wg_component_linker_define_resource(WgComponentLinker *l, WgStr name,
                                             WgCResourceDtor dtor, void *env,
                                             void (*env_free)(void *),
                                             WgCResourceType **out,
                                             WgDiagList *diags) {
  if (out) *out = NULL;
  if (!l) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0, "no linker");
    return WG_ERR_MISUSE;
  }
  WgCResourceType *t = wg_cresource_new_host(name, dtor, env, env_free);
  if (!t) {
    wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
    return WG_ERR_NOMEM;
  }
  WgStatus st = add_def(l, name, NULL, t, diags);
  if (st == WG_OK && out) *out = t;
  return st;
}

/* A function of another component instance, called through its export. */
static WgTrap *forward(void *env, WgCCall *call, const WgCVal *args,
                       size_t arg_count, WgCVal *results, size_t result_count) {
  (void)call;
  return wg_component_func_call(env, args, arg_count, results, result_count);
}

/* A forwarding definition `NAME#MEMBER` of export function `fi`. */
static WgStatus define_forward(WgComponentLinker *l, WgStr name, WgStr member,
                               WgComponentInstance *inst, uint32_t fi,
                               WgDiagList *diags) {
  char buf[1024];
  int n = snprintf(buf, sizeof buf, "%.*s#%.*s", (int)name.len, name.ptr,
                   (int)member.len, member.ptr);
  if (n < 0 || (size_t)n >= sizeof buf) return WG_ERR_INVALID;
  HostFunc *f = calloc(1, sizeof *f);
  if (!f) {
    wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
    return WG_ERR_NOMEM;
  }
  atomic_init(&f->refcount, 1);
  f->fn = forward;
  f->env = &inst->funcs[fi];
  f->forward = &inst->funcs[fi];
  return add_def(l, (WgStr){ buf, (size_t)n }, f, NULL, diags);
}

/* The instance's top-level function and resource exports (those outside
 * exported instances) as the members of interface `name`. */
static WgStatus define_root(WgComponentLinker *l, WgStr name,
                            WgComponentInstance *inst, WgDiagList *diags) {
  const Plan *p = inst->plan;
  for (uint32_t fi = 0; fi < p->export_func_count; fi++) {
    WgStr e = p->export_funcs[fi].name;
    if (memchr(e.ptr, '#', e.len)) continue;
    WgStatus st = define_forward(l, name, e, inst, fi, diags);
    if (st != WG_OK) return st;
  }
  for (uint32_t k = 0; k < p->export_res_count; k++) {
    const PExportResource *e = &p->export_res[k];
    if (memchr(e->name.ptr, '#', e->name.len)) continue;
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%.*s#%.*s", (int)name.len, name.ptr,
                     (int)e->name.len, e->name.ptr);
    if (n < 0 || (size_t)n >= sizeof buf) return WG_ERR_INVALID;
    WgStatus st = add_def(l, (WgStr){ buf, (size_t)n }, NULL,
                          inst->resources[e->resource], diags);
    if (st != WG_OK) return st;
  }
  return WG_OK;
}

WgStatus wg_component_linker_define_instance(WgComponentLinker *l, WgStr name,
                                             WgComponentInstance *inst,
                                             WgStr export_name,
                                             WgDiagList *diags) {
  if (!l || !inst) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0, "no linker or instance");
    return WG_ERR_MISUSE;
  }
  const Plan *p = inst->plan;
  if (!export_name.len) return define_root(l, name, inst, diags);
  const PExportInstance *ei = NULL;
  for (uint32_t i = 0; i < p->export_inst_count && !ei; i++)
    if (wg_str_eq(p->export_insts[i].name, export_name))
      ei = &p->export_insts[i];
  if (!ei) {
    wg_diag_list_add_wit(diags, WG_ERR_INVALID, export_name,
                         "the instance exports no instance named `%.*s`",
                         (int)export_name.len, export_name.ptr);
    return WG_ERR_INVALID;
  }
  for (uint32_t k = 0; k < ei->func_count; k++) {
    uint32_t fi = ei->first_func + k;
    const PExportFunc *e = &p->export_funcs[fi];
    WgStr member = { e->name.ptr + export_name.len + 1,
                     e->name.len - export_name.len - 1 };
    WgStatus st = define_forward(l, name, member, inst, fi, diags);
    if (st != WG_OK) return st;
  }
  for (uint32_t k = 0; k < ei->res_count; k++) {
    const PExportResource *e = &p->export_res[ei->first_res + k];
    WgStr member = { e->name.ptr + export_name.len + 1,
                     e->name.len - export_name.len - 1 };
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%.*s#%.*s", (int)name.len, name.ptr,
                     (int)member.len, member.ptr);
    if (n < 0 || (size_t)n >= sizeof buf) return WG_ERR_INVALID;
    WgStatus st = add_def(l, (WgStr){ buf, (size_t)n }, NULL,
                          inst->resources[e->resource], diags);
    if (st != WG_OK) return st;
  }
  return WG_OK;
}

/* Section: pre-instantiation */

void wg_component_pre_delete(WgComponentPre *pre) {
  if (!pre || atomic_fetch_sub(&pre->refcount, 1) != 1) return;
  const Plan *p = &pre->component->plan;
  for (uint32_t i = 0; pre->funcs && i < p->host_func_count; i++)
    wg_hostfunc_release(pre->funcs[i]);
  for (uint32_t i = 0; pre->resources && i < p->host_res_count; i++)
    wg_cresource_release(pre->resources[i]);
  free(pre->funcs);
  free(pre->resources);
  free(pre->func_links);
  free(pre->res_links);
  wg_arena_release(&pre->arena);
  wg_wasm_component_delete(pre->component);
  free(pre);
}

static void text_of_func(WgBuf *b, const WgCFuncTy *f) {
  wg_cfunc_print(b, f);
  if (b->failed || !b->len) {
    wg_buf_free(b);
    wg_buf_append(b, "func(...)", 9);
  }
}

bool wg_linker_defines(WgComponentLinker *l, WgStr name) {
  return lookup(l, name) != NULL;
}

bool wg_linker_stubs(const WgComponentLinker *l) {
  return l->config.stub_unknown_imports;
}

/* Host resource slot `i` from the linker's definitions. */
static bool pre_resource(WgComponentLinker *l, WgComponentPre *pre,
                         const PreBinder *binder, uint32_t i, WgDiagList *diags,
                         bool *nomem) {
  WgStr name = pre->component->plan.host_res[i].name;
  LDef *d = lookup(l, name);
  if (d && d->kind == DEF_RESOURCE) {
    wg_cresource_retain(d->res);
    pre->resources[i] = d->res;
    return true;
  }
  if (d || !l->config.stub_unknown_imports) {
    if (d)
      wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, name,
                           "import `%.*s` is a resource type, but `%s` is "
                           "defined as a function",
                           (int)name.len, name.ptr, d->name);
    else
      wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, name,
                           "import `%.*s` (a resource type) is not defined",
                           (int)name.len, name.ptr);
    return false;
  }
  /* a stub: one per name across a graph's components (they must agree) */
  WgCResourceType *t =
      binder && binder->stub ? binder->stub(binder->ctx, name) : NULL;
  if (t)
    wg_cresource_retain(t);
  else
    t = wg_cresource_new_host(name, NULL, NULL, NULL);
  if (!t) *nomem = true;
  pre->resources[i] = t;
  return t != NULL;
}

/* Host function slot `i` from the linker's definitions. */
static bool pre_func(WgComponentLinker *l, WgComponentPre *pre, uint32_t i,
                     WgDiagList *diags) {
  const PHostFunc *hf = &pre->component->plan.host_funcs[i];
  LDef *d = lookup(l, hf->name);
  if (!d) {
    if (l->config.stub_unknown_imports) return true;
    WgBuf t = { 0 };
    text_of_func(&t, hf->type);
    wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, hf->name,
                         "import `%.*s` (`%s`) is not defined",
                         (int)hf->name.len, hf->name.ptr, cstr(&t, "func"));
    wg_buf_free(&t);
    return false;
  }
  if (d->kind != DEF_FUNC) {
    wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, hf->name,
                         "import `%.*s` is a function, but `%s` is defined "
                         "as a resource type",
                         (int)hf->name.len, hf->name.ptr, d->name);
    return false;
  }
  char why[512];
  bool ok = true;
  if (d->func->sig_text)
    ok = wg_csig_check(d->func->sig_text, hf->type, why, sizeof why);
  else if (d->func->forward)
    ok = wg_cfunc_same(hf->type, wg_component_func_type(d->func->forward), why,
                       sizeof why);
  if (!ok) {
    WgBuf t = { 0 };
    text_of_func(&t, hf->type);
    WgBuf h = { 0 };
    if (d->func->sig_text)
      wg_buf_append(&h, d->func->sig_text, strlen(d->func->sig_text));
    else
      text_of_func(&h, wg_component_func_type(d->func->forward));
    wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, hf->name,
                         "import `%.*s` expects `%s`, but `%s` is `%s`: %s",
                         (int)hf->name.len, hf->name.ptr, cstr(&t, ""), d->name,
                         cstr(&h, ""), why);
    wg_buf_free(&t);
    wg_buf_free(&h);
    return false;
  }
  atomic_fetch_add(&d->func->refcount, 1);
  pre->funcs[i] = d->func;
  /* a function of another instance: called fused when the layouts agree */
  const WgComponentFunc *fw = d->func->forward;
  if (fw && fw->export->func.kind == FREF_LIFT)
    pre->func_links[i] =
        (PreLink){ PL_INSTANCE, fw->inst, 0, fw->export->func.index };
  return true;
}

/* The fused call of every trampoline lowering a bound function. */
static bool pre_fuses(WgComponentPre *pre, const PreBinder *binder,
                      WgDiagList *diags, bool *nomem) {
  const Plan *p = &pre->component->plan;
  bool any = false;
  for (uint32_t i = 0; i < p->host_func_count && !any; i++)
    any = pre->func_links[i].kind != PL_NONE;
  if (!any) return true;
  pre->fuses = wg_arena_zalloc(&pre->arena, p->tramp_count * sizeof(Fuse *));
  if (!pre->fuses) return !(*nomem = true);
  bool ok = true;
  for (uint32_t i = 0; i < p->tramp_count; i++) {
    const PTramp *t = &p->tramps[i];
    if (t->kind != TR_LOWER || t->callee.kind != FREF_HOST) continue;
    const PreLink *l = &pre->func_links[t->callee.index];
    const Plan *callee = l->kind == PL_INSTANCE ? l->inst->plan
                         : l->kind == PL_NODE && binder && binder->plan
                             ? binder->plan(binder->ctx, l->node)
                             : NULL;
    if (!callee) continue;
    pre->fuses[i] = wg_fuse_compile(&pre->arena, t->sig,
                                    callee->lifts[l->index].sig, l->index);
    if (pre->fuses[i] || l->kind != PL_NODE) continue;
    /* a graph binds only functions whose types it checked: the layouts
     * agree unless memory ran out */
    WgStr name = p->host_funcs[t->callee.index].name;
    wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, name,
                         "import `%.*s` cannot be called across components: "
                         "its layout differs from the export's",
                         (int)name.len, name.ptr);
    ok = false;
  }
  return ok;
}

WgStatus wg_linker_pre_bind(WgComponentLinker *l, WgWasmComponent *c,
                            const PreBinder *binder, WgComponentPre **out,
                            WgDiagList *diags) {
  *out = NULL;
  if (!l || !c || c->engine != l->engine) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0,
                        "the linker and the component belong to different "
                        "engines");
    return WG_ERR_MISUSE;
  }
  const Plan *p = &c->plan;
  WgComponentPre *pre = calloc(1, sizeof *pre);
  if (!pre) goto nomem;
  atomic_init(&pre->refcount, 1);
  atomic_fetch_add(&c->refcount, 1);
  pre->component = c;
  pre->max_handles = l->config.max_handles;
  wg_arena_init(&pre->arena, l->alloc);
  uint32_t nf = p->host_func_count ? p->host_func_count : 1;
  uint32_t nr = p->host_res_count ? p->host_res_count : 1;
  pre->funcs = calloc(nf, sizeof *pre->funcs);
  pre->resources = calloc(nr, sizeof *pre->resources);
  pre->func_links = calloc(nf, sizeof *pre->func_links);
  pre->res_links = calloc(nr, sizeof *pre->res_links);
  if (!pre->funcs || !pre->resources || !pre->func_links || !pre->res_links)
    goto nomem;
  bool failed = false, oom = false;
  for (uint32_t i = 0; i < p->unlinkable_count; i++) {
    WgStr name = p->unlinkable[i];
    wg_diag_list_add_wit(diags, WG_ERR_UNLINKABLE, name,
                         "import `%.*s` is a core module or a component: a "
                         "linker provides functions, resource types and "
                         "instances only",
                         (int)name.len, name.ptr);
    failed = true;
  }
  for (uint32_t i = 0; i < p->host_res_count && !oom; i++) {
    if (binder && binder->res && binder->res(binder->ctx, pre, i)) continue;
    if (!pre_resource(l, pre, binder, i, diags, &oom)) failed = true;
  }
  for (uint32_t i = 0; i < p->host_func_count && !oom; i++) {
    if (binder && binder->func && binder->func(binder->ctx, pre, i)) continue;
    if (!pre_func(l, pre, i, diags)) failed = true;
  }
  if (!oom && !failed && !pre_fuses(pre, binder, diags, &oom)) failed = true;
  if (oom) goto nomem;
  if (failed) {
    wg_component_pre_delete(pre);
    return WG_ERR_UNLINKABLE;
  }
  *out = pre;
  return WG_OK;
nomem:
  wg_component_pre_delete(pre);
  wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
  return WG_ERR_NOMEM;
}

WgStatus wg_component_linker_pre(WgComponentLinker *l, WgWasmComponent *c,
                                 WgComponentPre **out, WgDiagList *diags) {
  return wg_linker_pre_bind(l, c, NULL, out, diags);
}

WgStatus wg_component_linker_instantiate(WgComponentLinker *l, WgStore *store,
                                         WgWasmComponent *c,
                                         WgComponentInstance **out,
                                         WgDiagList *diags) {
  *out = NULL;
  WgComponentPre *pre;
  WgStatus st = wg_component_linker_pre(l, c, &pre, diags);
  if (st != WG_OK) return st;
  st = wg_component_pre_instantiate(pre, store, out, diags);
  wg_component_pre_delete(pre);
  return st;
}

/* Section: for the typed ABI (cabi.c) */

WgStatus wg_linker_add_func(WgComponentLinker *l, WgStr name, HostFunc *f,
                            WgDiagList *diags) {
  return add_def(l, name, f, NULL, diags);
}

const PExportFunc *wg_linker_find_export(const Plan *p, WgStr name) {
  const PExportFunc *best = NULL;
  Semver best_v = { 0 };
  WgStr iface, member, base;
  Semver want;
  split_name(name, &iface, &member, &base, &want);
  for (uint32_t i = 0; i < p->export_func_count; i++) {
    const PExportFunc *e = &p->export_funcs[i];
    if (wg_str_eq(e->name, name)) return e;
    if (!want.valid) continue;
    WgStr ei, em, eb;
    Semver have;
    split_name(e->name, &ei, &em, &eb, &have);
    if (!wg_str_eq(eb, base) || !wg_str_eq(em, member) ||
        !compatible(&want, &have))
      continue;
    if (!best || newer(&have, &best_v)) {
      best = e;
      best_v = have;
    }
  }
  return best;
}
