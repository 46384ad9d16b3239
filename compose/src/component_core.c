/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen new`, phase 2: the core instances.
 *
 * `canon lower` needs the main module's memory and realloc, which exist
 * only once the main module is instantiated. So the main module imports
 * the functions of a shim module instead, which call through a table
 * (core_modules.c); the lowered functions are made after the main module
 * and stored into that table by a fixup module, whose start function also
 * calls the main module's initializer. In order:
 *
 *   1. each core import classified (component_imports.c): a shim slot to
 *      fill with a lowered function (or an adapter's function), a
 *      resource.drop, or resource.new/rep/drop of an exported resource;
 *      the destructors of exported resources get slots too, and so do the
 *      WASI 0.2 imports of a preview1 adapter;
 *   2. the shim, instantiated; the exported resources defined (their
 *      destructors are shim slots) and their new/rep/drop;
 *   3. one core instance per import module, then the main module;
 *   4. the adapter (component_adapt.c), then the fixup filling the slots.
 */
#include <string.h>

#include "arena.h"
#include "component_new_impl.h"

/* What each import of the main module (indices 0..nimp) and of the adapter
 * (nimp..total) becomes, and the shim's slots. */
typedef struct Imports {
  uint32_t nimp, total;
  Lowered *low; /* the shim's slots: nlow used */
  uint32_t nlow;
  uint32_t *slot_of; /* per import: its shim slot, or NONE */
  uint32_t *core_of; /* per import: its core function once known */
  CanonOp *exop;     /* per main import: resource op of an exported */
  uint32_t *exres;   /* resource (index in n->exres), or NONE */
} Imports;

static bool plan_alloc(New *n, Imports *p) {
  const WgModule *m = n->core;
  p->nimp = m->import_count;
  p->total = p->nimp + (n->adapter ? n->adapter->import_count : 0);
  uint32_t t = p->total + 1;
  p->low = wg_arena_zalloc(n->arena, (t + n->nexres) * sizeof *p->low);
  p->slot_of = wg_arena_zalloc(n->arena, t * sizeof *p->slot_of);
  p->core_of = wg_arena_zalloc(n->arena, t * sizeof *p->core_of);
  p->exop = wg_arena_zalloc(n->arena, (p->nimp + 1) * sizeof *p->exop);
  p->exres = wg_arena_zalloc(n->arena, (p->nimp + 1) * sizeof *p->exres);
  if (!p->low || !p->slot_of || !p->core_of || !p->exop || !p->exres)
    return wg_cnew_fail(n, "out of memory");
  for (uint32_t i = 0; i < t; i++)
    p->slot_of[i] = NONE;
  for (uint32_t i = 0; i <= p->nimp; i++)
    p->exres[i] = NONE;
  return true;
}

/* Import `k` (`mod`.`name` of core type `ft`) of the world's imports: a
 * resource.drop now, or a slot for the function lowered later. */
static bool lower_or_drop(New *n, Imports *p, uint32_t k, WgStr mod, WgStr name,
                          const WgFuncType *ft, bool of_adapter) {
  uint32_t func, drop;
  if (!wg_cnew_classify_import(n, mod, name, &func, &drop)) return false;
  if (drop != NONE) {
    WgCCanon *c = wg_cnew_add_canon(n, CANON_RESOURCE_DROP);
    if (!c) return false;
    c->type = drop;
    p->core_of[k] = n->ncore_funcs++;
  } else {
    p->slot_of[k] = p->nlow;
    p->low[p->nlow++] =
        (Lowered){ .ft = ft, .func = func, .of_adapter = of_adapter };
  }
  return true;
}

static bool plan_main_imports(New *n, Imports *p) {
  const WgModule *m = n->core;
  for (uint32_t i = 0; i < p->nimp; i++) {
    const WgImport *im = &m->imports[i];
    if (im->kind != WG_EXTERN_FUNC)
      return wg_cnew_fail(
          n,
          "import `%.*s`.`%.*s`: only functions can be imported "
          "by the core module",
          (int)im->module.len, im->module.ptr, (int)im->name.len, im->name.ptr);
    if (n->adapter && wg_str_eq(im->module, n->aname)) {
      if (!wg_cnew_adapter_slot(n, im, &p->low[p->nlow])) return false;
      p->slot_of[i] = p->nlow++;
    } else if (wg_cnew_starts(im->module, "cm32p2|_ex_") ||
               wg_cnew_starts(im->module, "[export]")) {
      /* resource.new/rep/drop of an exported resource: after the shim */
      if (!wg_cnew_classify_export_import(n, im->module, im->name, &p->exop[i],
                                          &p->exres[i]))
        return false;
    } else if (!lower_or_drop(n, p, i, im->module, im->name,
                              &m->types[im->desc.func_type], false)) {
      return false;
    }
  }
  return true;
}

/* The destructors of exported resources: more shim slots. */
static bool plan_destructors(New *n, Imports *p) {
  for (uint32_t r = 0; r < n->nexres; r++) {
    ExRes *x = &n->exres[r];
    x->slot = NONE;
    WgStr dn = wg_cnew_dtor_name(n, x->iface, x->name);
    const WgExport *e = wg_cnew_core_export(n, dn, WG_EXTERN_FUNC);
    if (!e) continue;
    const WgFuncType *ft = wg_cnew_func_type(n->core, e->index);
    if (!ft || ft->param_count != 1 || ft->result_count != 0 ||
        ft->types[0] != WG_VT_I32)
      return wg_cnew_fail(n,
                          "`%.*s` of the core module is not a destructor (its "
                          "type must be (i32) -> ())",
                          (int)dn.len, dn.ptr);
    x->slot = p->nlow;
    p->low[p->nlow++] = (Lowered){ .ft = ft, .func = NONE, .dtor = dn };
  }
  return true;
}

/* The adapter's imports: WASI 0.2 functions lowered or dropped (its `env`
 * and `__main_module__` come from the main module). */
static bool plan_adapter_imports(New *n, Imports *p) {
  const WgModule *am = n->adapter;
  for (uint32_t j = 0; am && j < am->import_count; j++) {
    const WgImport *im = &am->imports[j];
    uint32_t k = p->nimp + j;
    p->core_of[k] = NONE;
    if (wg_cnew_str_is(im->module, "env") ||
        wg_cnew_str_is(im->module, "__main_module__"))
      continue;
    if (im->kind != WG_EXTERN_FUNC)
      return wg_cnew_fail(n, "adapter import `%.*s`.`%.*s` is not a function",
                          (int)im->module.len, im->module.ptr,
                          (int)im->name.len, im->name.ptr);
    if (!lower_or_drop(n, p, k, im->module, im->name,
                       &am->types[im->desc.func_type], true))
      return false;
  }
  return true;
}

/* The shim, instantiated, and each slot's function aliased as the core
 * function of its import; NONE without slots. */
static uint32_t instantiate_shim(New *n, Imports *p) {
  if (!p->nlow) return NONE;
  WgBuf b = { 0 };
  wg_cnew_shim_module(p->low, p->nlow, &b);
  uint32_t shim = wg_cnew_add_module(n, &b);
  if (n->failed) return NONE;
  uint32_t inst = wg_cnew_instantiate_core(n, shim, NULL, 0);
  if (inst == NONE) return NONE;
  for (uint32_t i = 0; i < p->total; i++)
    if (p->slot_of[i] != NONE)
      p->core_of[i] = wg_cnew_alias_core(
          n, inst, wg_cnew_slot_name(n, p->slot_of[i]), WG_CCORE_FUNC);
  return inst;
}

/* The exported resources (destructors from the shim's slots), then the
 * resource.new/rep/drop the main module imports for them. */
static bool define_exported_resources(New *n, Imports *p, uint32_t shim_inst) {
  for (uint32_t r = 0; r < n->nexres && !n->failed; r++) {
    ExRes *x = &n->exres[r];
    WgCType *t = wg_arena_zalloc(n->arena, sizeof *t);
    if (!t) return wg_cnew_fail(n, "out of memory");
    t->kind = WG_CT_RESOURCE;
    t->u.resource_def.rep = WG_VT_I32;
    if (x->slot != NONE) {
      t->u.resource_def.has_dtor = true;
      t->u.resource_def.dtor = wg_cnew_alias_core(
          n, shim_inst, wg_cnew_slot_name(n, x->slot), WG_CCORE_FUNC);
    }
    x->type = wg_cnew_add_type(n, t);
  }
  for (uint32_t i = 0; i < p->nimp && !n->failed; i++) {
    if (p->exres[i] == NONE) continue;
    WgCCanon *c = wg_cnew_add_canon(n, p->exop[i]);
    if (!c) return false;
    c->type = n->exres[p->exres[i]].type;
    p->core_of[i] = n->ncore_funcs++;
  }
  return !n->failed;
}

/* The main module, instantiated with one core instance per import module;
 * its memory and realloc aliased. */
static bool instantiate_main_module(New *n, const Imports *p,
                                    uint32_t main_module, MainInst *main) {
  const WgModule *m = n->core;
  WgCInstantiateArg *with =
      wg_arena_zalloc(n->arena, (p->nimp + 1) * sizeof *with);
  if (!with) return wg_cnew_fail(n, "out of memory");
  uint32_t nwith = 0;
  if (!wg_cnew_module_bags(n, m->imports, p->nimp, p->core_of, NULL, with,
                           &nwith))
    return false;
  main->instance = wg_cnew_instantiate_core(n, main_module, with, nwith);
  if (main->instance == NONE) return false;
  WgStr mem_name = n->cm32 ? WG_STR("cm32p2_memory") : WG_STR("memory");
  WgStr realloc_name =
      n->cm32 ? WG_STR("cm32p2_realloc") : WG_STR("cabi_realloc");
  main->memory = main->realloc_ = NONE;
  if (wg_cnew_core_export(n, mem_name, WG_EXTERN_MEMORY))
    main->memory =
        wg_cnew_alias_core(n, main->instance, mem_name, WG_CCORE_MEMORY);
  if (wg_cnew_core_export(n, realloc_name, WG_EXTERN_FUNC))
    main->realloc_ = wg_cnew_alias_core(n, main->instance,
                                        wg_cnew_realloc_name(n), WG_CCORE_FUNC);
  return !n->failed;
}

/* ---- the fixup ---- */

/* The core function filling slot `s`: the adapter's preview1 function, a
 * destructor of the main module, or the slot's import lowered (with the
 * main module's memory and the realloc of its side). */
static uint32_t slot_func(New *n, const Lowered *l, const MainInst *main,
                          uint32_t adapter_realloc) {
  if (l->adapter.ptr)
    return wg_cnew_alias_core(n, n->adapter_inst, l->adapter, WG_CCORE_FUNC);
  if (l->dtor.ptr)
    return wg_cnew_alias_core(n, main->instance, l->dtor, WG_CCORE_FUNC);
  WgCCanon *c = wg_cnew_add_canon(n, CANON_LOWER);
  if (!c) return NONE;
  c->func = l->func;
  if (main->memory != NONE) {
    c->opts.has_memory = true;
    c->opts.memory = main->memory;
  }
  uint32_t ra = l->of_adapter ? adapter_realloc : main->realloc_;
  if (ra != NONE) {
    c->opts.has_realloc = true;
    c->opts.realloc = ra;
  }
  return n->ncore_funcs++;
}

/* Fills the shim's table (`shim_inst`) through a fixup module whose start
 * calls `init_name` of the main module when given. */
static bool fill_slots(New *n, const Imports *p, uint32_t shim_inst,
                       const MainInst *main, uint32_t adapter_realloc,
                       WgStr init_name) {
  bool has_init = init_name.ptr != NULL;
  if (!p->nlow && !has_init) return !n->failed;
  uint32_t nlow = p->nlow;
  WgCInstantiateArg *args =
      wg_arena_zalloc(n->arena, (nlow + 1 + has_init) * sizeof *args);
  if (!args) return wg_cnew_fail(n, "out of memory");
  for (uint32_t s = 0; s < nlow && !n->failed; s++)
    args[s] = (WgCInstantiateArg){ .name = wg_cnew_slot_name(n, s),
                                   .core_sort = WG_CCORE_FUNC,
                                   .index = slot_func(n, &p->low[s], main,
                                                      adapter_realloc) };
  uint32_t nargs = nlow;
  if (nlow)
    args[nargs++] = (WgCInstantiateArg){ .name = WG_STR("$imports"),
                                         .core_sort = WG_CCORE_TABLE,
                                         .index = wg_cnew_alias_core(
                                             n, shim_inst, WG_STR("$imports"),
                                             WG_CCORE_TABLE) };
  if (has_init)
    args[nargs++] = (WgCInstantiateArg){
      .name = WG_STR("init"),
      .core_sort = WG_CCORE_FUNC,
      .index = wg_cnew_alias_core(n, main->instance, init_name, WG_CCORE_FUNC)
    };
  uint32_t bag = wg_cnew_core_bag(n, args, nargs);
  if (n->failed) return false;
  WgBuf fb = { 0 };
  wg_cnew_fixup_module(p->low, nlow, has_init, &fb);
  uint32_t fixup = wg_cnew_add_module(n, &fb);
  WgCInstantiateArg *with = wg_arena_zalloc(n->arena, sizeof *with);
  if (!with) return wg_cnew_fail(n, "out of memory");
  *with = (WgCInstantiateArg){ .name = WG_STR(""),
                               .core_sort = WG_CCORE_INSTANCE,
                               .index = bag };
  if (!n->failed) wg_cnew_instantiate_core(n, fixup, with, 1);
  return !n->failed;
}

bool wg_cnew_instantiate_main(New *n, uint32_t main_module, MainInst *main) {
  Imports p = { 0 };
  if (!plan_alloc(n, &p) || !plan_main_imports(n, &p) ||
      !plan_destructors(n, &p) || !plan_adapter_imports(n, &p))
    return false;
  uint32_t shim_inst = instantiate_shim(n, &p);
  if (n->failed || !define_exported_resources(n, &p, shim_inst) ||
      !instantiate_main_module(n, &p, main_module, main))
    return false;
  WgStr init_name =
      n->cm32 ? WG_STR("cm32p2_initialize") : WG_STR("_initialize");
  bool has_init = wg_cnew_core_export(n, init_name, WG_EXTERN_FUNC) != NULL;
  uint32_t adapter_realloc = NONE;
  if (n->adapter) {
    if (main->memory == NONE)
      return wg_cnew_fail(
          n, "the core module exports no `memory` for the adapter");
    if (!wg_cnew_instantiate_adapter(n, main->instance, main->memory,
                                     p.core_of + p.nimp, &adapter_realloc))
      return false;
  }
  return fill_slots(n, &p, shim_inst, main, adapter_realloc,
                    has_init ? init_name : (WgStr){ 0 });
}
