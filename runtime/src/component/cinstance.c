/* SPDX-License-Identifier: Apache-2.0 */
/* Instantiation: runs a component's plan in a store. Per instance: the
 * component instances (handle tables, may_enter/may_leave), resource
 * types, one host function per trampoline, the core instances in plan
 * order (with their start functions), and the export handles. The store
 * owns the result: a host function with no caller carries the instance
 * as its environment and frees it when the store is deleted. */
#include <string.h>

#include "alloc.h"
#include "cinternal.h"
#include "core/rt.h"

bool wg_cinstance_extern(WgComponentInstance *inst, CoreRef ref,
                         WgExtern *out) {
  switch (ref.kind) {
    case CREF_EXPORT: {
      WgInstance *ci = inst->core[ref.inst];
      if (!ci) return false;
      WgStr name;
      wg_instance_export_at(ci, ref.index, &name, out);
      return true;
    }
    case CREF_TRAMP:
      if (!inst->tramp_funcs[ref.index]) return false;
      out->kind = WG_WASM_EXTERN_FUNC;
      out->of.func = inst->tramp_funcs[ref.index];
      return true;
    default:
      return false;
  }
}

static bool resolve_func(WgComponentInstance *inst, CoreRef ref,
                         WgFuncInst **out) {
  *out = NULL;
  if (ref.kind == CREF_NONE) return true;
  WgExtern e;
  if (!wg_cinstance_extern(inst, ref, &e) || e.kind != WG_WASM_EXTERN_FUNC)
    return false;
  *out = e.of.func;
  return true;
}

bool wg_cinstance_resolve_opts(WgComponentInstance *inst, const COpts *o,
                               ROpts *r) {
  if (o->memory.kind != CREF_NONE) {
    WgExtern e;
    if (!wg_cinstance_extern(inst, o->memory, &e) ||
        e.kind != WG_WASM_EXTERN_MEMORY)
      return false;
    r->memory = e.of.memory;
  }
  if (!resolve_func(inst, o->realloc, &r->realloc) ||
      !resolve_func(inst, o->post_return, &r->post_return))
    return false;
  r->resolved = true;
  return true;
}

static void instance_free(void *p) {
  WgComponentInstance *inst = p;
  WgAllocator a = inst->alloc;
  const Plan *plan = inst->plan;
  if (inst->block)
    for (uint32_t i = 0; i < plan->cinst_count; i++)
      wg_handles_free(&inst->cinsts[i].handles, a);
  wg_handles_free(&inst->host_handles, a);
  wg_scratch_free(&inst->scratch);
  if (inst->block) wg_free(a, inst->block, inst->block_size);
  wg_component_pre_delete(inst->pre);
  wg_free(a, inst, sizeof *inst);
}

static WgTrap *never_called(void *env, WgCaller *caller, const WgVal *args,
                            WgVal *results) {
  (void)env, (void)caller, (void)args, (void)results;
  return wg_trap_new("internal: not callable");
}

/* The instance a link names: fixed, or a node of the graph being
 * instantiated. */
static WgComponentInstance *link_target(const PreLink *l,
                                        WgComponentInstance *const *nodes) {
  if (l->kind == PL_INSTANCE) return l->inst;
  if (l->kind == PL_NODE && nodes) return nodes[l->node];
  return NULL;
}

WgStatus wg_component_pre_instantiate(WgComponentPre *pre, WgStore *store,
                                      WgComponentInstance **out,
                                      WgDiagList *diags) {
  if (pre && (pre->graph || pre->graph_gone))
    return wg_cgraph_instantiate_pre(pre, store, out, diags);
  return wg_cinstance_new(pre, store, NULL, out, diags);
}

WgStatus wg_cinstance_new(WgComponentPre *pre, WgStore *store,
                          WgComponentInstance *const *nodes,
                          WgComponentInstance **out, WgDiagList *diags) {
  *out = NULL;
  if (!pre || !store || store->engine != pre->component->engine) {
    wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0,
                        "the store belongs to another engine");
    return WG_ERR_MISUSE;
  }
  const Plan *plan = &pre->component->plan;
  WgAllocator a = store->alloc;
  WgDiagList *core_err = NULL; /* messages of the core engine */
  WgComponentInstance *inst = wg_alloc_zeroed(a, sizeof *inst);
  if (!inst) goto nomem;
  inst->store = store;
  inst->alloc = a;
  inst->component = pre->component;
  inst->plan = plan;
  inst->pre = pre;
  atomic_fetch_add(&pre->refcount, 1);
  wg_scratch_init(&inst->scratch, a);
  /* the store frees the instance with itself */
  if (!wg_func_new_host(store, NULL, 0, NULL, 0, never_called, inst,
                        instance_free)) {
    instance_free(inst);
    goto nomem;
  }
  /* every per-instance array in one block */
  size_t size = 0;
#define CARVE(field, count)                        \
  do {                                             \
    size = (size + 15) & ~(size_t)15;              \
    inst->field = (void *)(uintptr_t)size;         \
    size += (size_t)(count) * sizeof *inst->field; \
  } while (0)
  CARVE(cinsts, plan->cinst_count);
  CARVE(core, plan->core_inst_count);
  CARVE(tramp_funcs, plan->tramp_count);
  CARVE(tramps, plan->tramp_count);
  CARVE(lifts, plan->lift_count);
  CARVE(resources, plan->resource_count);
  CARVE(own_resources, plan->resource_count);
  CARVE(funcs, plan->export_func_count);
  CARVE(links, plan->host_func_count);
#undef CARVE
  inst->block = wg_alloc_zeroed(a, size);
  inst->block_size = size;
  if (!inst->block) goto nomem;
  char *base = inst->block;
  inst->cinsts = (void *)(base + (uintptr_t)inst->cinsts);
  inst->core = (void *)(base + (uintptr_t)inst->core);
  inst->tramp_funcs = (void *)(base + (uintptr_t)inst->tramp_funcs);
  inst->tramps = (void *)(base + (uintptr_t)inst->tramps);
  inst->lifts = (void *)(base + (uintptr_t)inst->lifts);
  inst->resources = (void *)(base + (uintptr_t)inst->resources);
  inst->own_resources = (void *)(base + (uintptr_t)inst->own_resources);
  inst->funcs = (void *)(base + (uintptr_t)inst->funcs);
  inst->links = (void *)(base + (uintptr_t)inst->links);
  for (uint32_t i = 0; pre->func_links && i < plan->host_func_count; i++) {
    const PreLink *l = &pre->func_links[i];
    inst->links[i].inst = link_target(l, nodes);
    inst->links[i].lift = l->index;
    if (l->kind && !inst->links[i].inst) {
      wg_diag_list_add_at(diags, WG_ERR_MISUSE, 0,
                          "import `%.*s` is bound to an instance that does "
                          "not exist yet",
                          (int)plan->host_funcs[i].name.len,
                          plan->host_funcs[i].name.ptr);
      inst->poisoned = true;
      return WG_ERR_MISUSE;
    }
  }
  for (uint32_t i = 0; i < plan->cinst_count; i++) {
    CInst *c = &inst->cinsts[i];
    c->may_enter = c->may_leave = true;
    c->parent = plan->cinsts[i].parent;
    wg_handles_init(&c->handles, pre->max_handles);
  }
  wg_handles_init(&inst->host_handles, pre->max_handles);
  for (uint32_t i = 0; i < plan->resource_count; i++) {
    const PResource *r = &plan->resources[i];
    if (r->is_host) {
      const PreLink *l = pre->res_links ? &pre->res_links[r->slot] : NULL;
      WgComponentInstance *from = l ? link_target(l, nodes) : NULL;
      inst->resources[i] =
          from ? from->resources[l->index] : pre->resources[r->slot];
      continue;
    }
    WgCResourceType *t = &inst->own_resources[i];
    t->is_host = false;
    t->name = r->name;
    t->inst = inst;
    t->slot = i;
    inst->resources[i] = t;
  }
  for (uint32_t i = 0; i < plan->tramp_count; i++) {
    const PTramp *p = &plan->tramps[i];
    RTramp *rt = &inst->tramps[i];
    rt->inst = inst;
    rt->plan = p;
    rt->index = i;
    if (pre->fuses && pre->fuses[i] && inst->links[p->callee.index].inst)
      rt->fuse = pre->fuses[i];
    const WgFuncType *ft = p->core_type;
    WgValKind kinds[WG_ABI_MAX_FLAT_PARAMS + 4];
    uint32_t np = ft->param_count, nr = ft->result_count;
    if (np + nr > sizeof kinds / sizeof kinds[0]) goto nomem;
    for (uint32_t k = 0; k < np + nr; k++)
      kinds[k] = (WgValKind)ft->types[k];
    inst->tramp_funcs[i] = wg_func_new_host(store, kinds, np, kinds + np, nr,
                                            wg_ccall_trampoline, rt, NULL);
    if (!inst->tramp_funcs[i]) goto nomem;
  }
  for (uint32_t i = 0; i < plan->core_inst_count; i++) {
    const PCoreInst *pc = &plan->core_insts[i];
    WgExtern small[32];
    WgExtern *imports = small;
    if (pc->import_count > 32) {
      imports = wg_alloc(a, pc->import_count * sizeof *imports);
      if (!imports) goto nomem;
    }
    bool ok = true;
    for (uint32_t k = 0; k < pc->import_count && ok; k++)
      ok = wg_cinstance_extern(inst, pc->imports[k], &imports[k]);
    /* the core engine's message, prefixed with where it happened */
    if (diags && !core_err) core_err = wg_diag_list_new();
    WgStatus st =
        ok ? wg_instance_new(store, plan->modules[pc->module], imports,
                             pc->import_count, &inst->core[i], core_err)
           : WG_ERR_INVALID;
    if (imports != small)
      wg_free(a, imports, pc->import_count * sizeof *imports);
    if (st != WG_OK) {
      if (!ok)
        wg_diag_list_add_at(diags, st, 0, "internal: unresolved import");
      else
        wg_diag_list_add_at(diags, st, 0, "core instance %u: %s", i,
                            core_err ? wg_diag_list_first_error(core_err)
                                     : "out of memory");
      wg_diag_list_delete(core_err);
      inst->poisoned = true;
      return st;
    }
  }
  wg_diag_list_delete(core_err);
  core_err = NULL;
  /* lifted functions and canonical options are resolved on first use */
  for (uint32_t i = 0; i < plan->export_func_count; i++) {
    inst->funcs[i].inst = inst;
    inst->funcs[i].export = &plan->export_funcs[i];
  }
  /* a first scratch chunk, so marks never free it */
  if (!wg_scratch_alloc(&inst->scratch, 16)) goto nomem;
  wg_scratch_reset(&inst->scratch);
  *out = inst;
  return WG_OK;
nomem:
  wg_diag_list_delete(core_err);
  wg_diag_list_add_at(diags, WG_ERR_NOMEM, 0, "out of memory");
  return WG_ERR_NOMEM;
}

WgStore *wg_component_instance_store(WgComponentInstance *inst) {
  return inst->store;
}

bool wg_component_instance_poisoned(const WgComponentInstance *inst) {
  return inst->poisoned;
}

static int cmp_name(WgStr a, WgStr b) {
  size_t n = a.len < b.len ? a.len : b.len;
  int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
  if (c) return c;
  return a.len < b.len ? -1 : a.len > b.len;
}

const PExportFunc *wg_plan_find_export(const Plan *p, WgStr name) {
  size_t lo = 0, hi = p->export_func_count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = cmp_name(p->export_names[mid].name, name);
    if (c == 0) return &p->export_funcs[p->export_names[mid].index];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

WgComponentFunc *wg_component_instance_func(WgComponentInstance *inst,
                                            WgStr name) {
  const PExportFunc *e = wg_plan_find_export(inst->plan, name);
  return e ? &inst->funcs[e - inst->plan->export_funcs] : NULL;
}

const WgCFuncTy *wg_component_func_type(const WgComponentFunc *func) {
  return func ? func->export->type : NULL;
}

WgCResourceType *wg_component_instance_resource(WgComponentInstance *inst,
                                                WgStr name) {
  const Plan *p = inst->plan;
  for (uint32_t i = 0; i < p->export_res_count; i++)
    if (wg_str_eq(p->export_res[i].name, name))
      return inst->resources[p->export_res[i].resource];
  return NULL;
}

WgStr wg_cresource_type_name(const WgCResourceType *type) {
  return type ? type->name : (WgStr){ "", 0 };
}
