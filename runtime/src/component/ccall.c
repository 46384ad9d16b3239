/* SPDX-License-Identifier: Apache-2.0 */
/* Calls across the component boundary (CanonicalABI.md "canon lift",
 * "canon lower", "canon resource.new/drop/rep", the Store's lift and lower
 * and ComponentInstance's may_enter/may_leave): host -> component export,
 * core code -> lowered import (host function or another component's lift
 * inside the same root instance), and the resource built-ins. A trap that
 * leaves a component instance it entered poisons it for good. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "cinternal.h"
#include "core/rt.h"

/* Section: traps */

static WgTrap *vtrap(WgTrapKind kind, const char *fmt, va_list ap) {
  char msg[384];
  vsnprintf(msg, sizeof msg, fmt, ap);
  return wg_trap_make(kind, msg);
}

WgTrap *wg_ctrap(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  WgTrap *t = vtrap(WG_TRAP_WASM, fmt, ap);
  va_end(ap);
  return t;
}

WgTrap *wg_ctrap_kind(WgTrapKind kind, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  WgTrap *t = vtrap(kind, fmt, ap);
  va_end(ap);
  return t;
}

/* Section: entering and leaving */

static WgTrap *enter(WgComponentInstance *inst, const uint32_t *set,
                     uint32_t count) {
  for (uint32_t i = 0; i < count; i++)
    if (!inst->cinsts[set[i]].may_enter)
      return wg_ctrap(inst->poisoned ? "cannot enter component instance: a "
                                       "trap poisoned it"
                                     : "cannot enter component instance: it "
                                       "is already running (reentrance)");
  for (uint32_t i = 0; i < count; i++)
    inst->cinsts[set[i]].may_enter = false;
  return NULL;
}

static void leave(WgComponentInstance *inst, const uint32_t *set,
                  uint32_t count) {
  for (uint32_t i = 0; i < count; i++)
    inst->cinsts[set[i]].may_enter = true;
}

/* The instances from `c` up to the root minus those `from` is in. */
static uint32_t entering_set(const WgComponentInstance *inst, uint32_t c,
                             uint32_t from, uint32_t *out, uint32_t cap) {
  uint32_t n = 0;
  for (uint32_t x = c; x != UINT32_MAX && n < cap;
       x = inst->plan->cinsts[x].parent) {
    bool shared = false;
    for (uint32_t y = from; y != UINT32_MAX; y = inst->plan->cinsts[y].parent)
      if (y == x) shared = true;
    if (!shared) out[n++] = x;
  }
  return n;
}

/* Removes the borrow handles a call's scope still holds (after a trap; on
 * success there are none). */
static void drop_scope(WgComponentInstance *inst, CInst *ci, Task *task) {
  HandleTable *ht = &ci->handles;
  for (uint32_t i = 1; i < ht->count && task->borrows; i++)
    if (ht->items[i].type && ht->items[i].scope == task) {
      wg_handles_remove(ht, inst->alloc, i);
      task->borrows--;
    }
}

static void end_lends(CInst *ci, const Lends *l) {
  for (uint32_t i = 0; i < l->count; i++) {
    Handle *h = wg_handles_get(&ci->handles, l->items[i]);
    if (h && h->lends) h->lends--;
  }
  for (uint32_t i = l->host_count; i-- > 0;) {
    WgComponentInstance *d = l->host[i].inst;
    if (wg_handles_get(&d->host_handles, l->host[i].index))
      wg_handles_remove(&d->host_handles, d->alloc, l->host[i].index);
  }
}

static bool resolve_opts(WgComponentInstance *inst, const COpts *o, ROpts *r) {
  if (r->resolved) return true;
  return wg_cinstance_resolve_opts(inst, o, r);
}

/* Section: canon lift */

/* Where a component-to-component call delivers its result: lowered into
 * the caller before the callee's post-return runs (spec: on_resolve). */
typedef struct Deliver {
  Cx *cx;
  WgVal *flat;
  uint32_t retptr;
  const CSig *sig;
} Deliver;

/* spec: Store.lift + canon_lift (synchronous) */
static WgTrap *call_lift(WgComponentInstance *inst, uint32_t li,
                         const uint32_t *set, uint32_t set_count,
                         const WgCVal *args, WgCVal *result, Deliver *deliver) {
  const PLift *pl = &inst->plan->lifts[li];
  RLift *rl = &inst->lifts[li];
  const CSig *sig = pl->sig;
  if (!rl->func) { /* called during instantiation (a start function) */
    WgExtern e;
    if (!wg_cinstance_extern(inst, pl->func, &e) ||
        e.kind != WG_WASM_EXTERN_FUNC)
      return wg_ctrap("lifted function called before its core instance "
                      "exists");
    rl->func = e.of.func;
  }
  WgTrap *t = enter(inst, set, set_count);
  if (t) return t;
  Task task = { 0 };
  /* a new task: its context storage starts at zero */
  CInst *callee_ci = &inst->cinsts[pl->cinst];
  uint64_t saved_context[2] = { callee_ci->context[0], callee_ci->context[1] };
  callee_ci->context[0] = callee_ci->context[1] = 0;
  Cx cx;
  WgVal flat[WG_ABI_MAX_FLAT_PARAMS + 1], res[1];
  uint32_t nflat = 0;
  uint32_t nres = sig->result ? 1 : 0;
  if (!resolve_opts(inst, &pl->opts, &rl->opts)) {
    t = wg_ctrap("internal: canonical options unresolved");
    goto trap;
  }
  wg_cx_init(&cx, inst, pl->cinst, &rl->opts, pl->opts.encoding);
  cx.task = &task;
  cx.fused = deliver != NULL;
  if (!wg_canon_lower_params(&cx, sig, args, flat, &nflat)) {
    t = cx.trap;
    goto trap;
  }
  t = wg_func_call(inst->store, rl->func, flat, nflat, res, nres);
  if (t) goto trap;
  if (sig->result && !wg_canon_lift_result(&cx, sig, res, result)) {
    t = cx.trap;
    goto trap;
  }
  /* spec: Task.return_ traps while borrows lent to the callee remain */
  if (task.borrows) {
    t = wg_ctrap("borrow handles still remain at the end of the call (%u "
                 "not dropped)",
                 task.borrows);
    goto trap;
  }
  if (deliver && sig->result &&
      !wg_canon_lower_result(deliver->cx, deliver->sig, result, deliver->flat,
                             deliver->retptr)) {
    t = deliver->cx->trap;
    deliver->cx->trap = NULL;
    goto trap;
  }
  if (rl->opts.post_return) {
    CInst *ci = &inst->cinsts[pl->cinst];
    ci->may_leave = false;
    t = wg_func_call(inst->store, rl->opts.post_return, res, nres, NULL, 0);
    ci->may_leave = true;
    if (t) goto trap;
  }
  callee_ci->context[0] = saved_context[0];
  callee_ci->context[1] = saved_context[1];
  leave(inst, set, set_count);
  return NULL;
trap:
  if (task.borrows) drop_scope(inst, &inst->cinsts[pl->cinst], &task);
  inst->poisoned = true;
  return t ? t : wg_trap_make(WG_TRAP_HOST, "out of memory");
}

WgTrap *wg_ccall_lift_from_host(WgComponentInstance *inst, uint32_t index,
                                const WgCVal *args, size_t arg_count,
                                WgCVal *results, size_t result_count) {
  const PLift *pl = &inst->plan->lifts[index];
  const CSig *sig = pl->sig;
  if ((arg_count && !args) || (result_count && !results))
    return wg_ctrap_kind(WG_TRAP_MISUSE, "NULL arguments or results");
  if (arg_count != sig->param_count || result_count != (sig->result ? 1u : 0u))
    return wg_ctrap_kind(WG_TRAP_MISUSE,
                         "wrong number of arguments or results: the "
                         "function takes %u and returns %u",
                         sig->param_count, sig->result ? 1 : 0);
  for (uint32_t i = 0; i < sig->param_count; i++) {
    char why[256];
    if (!wg_canon_check(&args[i], sig->params[i], inst->resources, why,
                        sizeof why))
      return wg_ctrap_kind(WG_TRAP_MISUSE, "argument %u (`%.*s`): %s", i + 1,
                           (int)sig->src->param_names[i].len,
                           sig->src->param_names[i].ptr, why);
  }
  if (inst->depth == 0) {
    wg_scratch_reset(&inst->scratch);
    inst->scratch_used = 0;
  }
  inst->depth++;
  WgTrap *t =
      call_lift(inst, index, pl->enter, pl->enter_count, args, results, NULL);
  inst->depth--;
  return t;
}

/* Section: canon lower */

WgStore *wg_ccall_store(WgCCall *call) {
  return call->inst->store;
}

WgComponentInstance *wg_ccall_instance(WgCCall *call) {
  return call->inst;
}

WgStr wg_ccall_name(WgCCall *call) {
  return call->import ? call->import->name : (WgStr){ "", 0 };
}

const WgCFuncTy *wg_ccall_type(WgCCall *call) {
  return call->import ? call->import->type : NULL;
}

void *wg_ccall_alloc(WgCCall *call, size_t size) {
  return wg_scratch_alloc(&call->inst->scratch, size);
}

/* Calls host function slot `slot` with lifted `params`. */
static WgTrap *call_host(WgComponentInstance *inst, uint32_t slot,
                         const CSig *sig, const WgCVal *params,
                         WgCVal *result) {
  const PHostFunc *hf = &inst->plan->host_funcs[slot];
  HostFunc *def = inst->pre->funcs[slot];
  if (!def)
    return wg_ctrap("unimplemented import `%.*s` called", (int)hf->name.len,
                    hf->name.ptr);
  WgCCall call = { inst, hf };
  uint32_t nres = sig->result ? 1 : 0;
  if (nres) memset(result, 0, sizeof *result);
  WgTrap *t = def->fn(def->env, &call, params, sig->param_count, result, nres);
  if (t) return t;
  if (nres) {
    char why[256];
    if (!wg_canon_check(result, sig->result, inst->resources, why, sizeof why))
      return wg_ctrap_kind(WG_TRAP_MISUSE,
                           "host function `%.*s` returned a bad value: %s",
                           (int)hf->name.len, hf->name.ptr, why);
  }
  return NULL;
}

static void lends_init(Lends *l) {
  memset(l, 0, sizeof *l);
  l->items = l->small;
  l->cap = sizeof l->small / sizeof l->small[0];
  l->host = l->host_small;
  l->host_cap = sizeof l->host_small / sizeof l->host_small[0];
}

/* The trap one of the two sides of a copy holds (the other's freed). */
static WgTrap *take_trap(Cx *a, Cx *b) {
  WgTrap *t = a->trap ? a->trap : b->trap;
  if (a->trap && b->trap) wg_trap_delete(b->trap);
  a->trap = b->trap = NULL;
  return t ? t : wg_trap_make(WG_TRAP_HOST, "out of memory");
}

/* spec: canon_lower of a function canon_lift made, as a fused adapter: the
 * arguments are copied from the caller's memory into the callee's and the
 * result back (cfuse.c), with the callee entered as call_lift enters it.
 * `callee` is the instance of the lift (the caller's own for instances a
 * component nests) and `set` what the call enters. Sets `*fallback` (and
 * does nothing) when both sides use one memory: the copy would read what
 * the callee's realloc may overwrite, so such calls lift and lower host
 * values instead. */
static WgTrap *call_fused(RTramp *rt, const Fuse *f,
                          WgComponentInstance *callee, const uint32_t *set,
                          uint32_t set_count, const WgVal *args, WgVal *results,
                          bool *fallback) {
  WgComponentInstance *inst = rt->inst;
  const PTramp *p = rt->plan;
  const CSig *sig = f->sig;
  const PLift *pl = &callee->plan->lifts[f->lift];
  RLift *rl = &callee->lifts[f->lift];
  if (!rl->func) { /* called during instantiation (a start function) */
    WgExtern e;
    if (!wg_cinstance_extern(callee, pl->func, &e) ||
        e.kind != WG_WASM_EXTERN_FUNC)
      return wg_ctrap("lifted function called before its core instance "
                      "exists");
    rl->func = e.of.func;
  }
  if (!resolve_opts(callee, &pl->opts, &rl->opts))
    return wg_ctrap("internal: canonical options unresolved");
  if (rt->opts.memory && rt->opts.memory == rl->opts.memory) {
    *fallback = true;
    return NULL;
  }
  WgTrap *t = enter(callee, set, set_count);
  if (t) return t;
  Task task = { 0 };
  CInst *cci = &callee->cinsts[pl->cinst];
  uint64_t saved_context[2] = { cci->context[0], cci->context[1] };
  cci->context[0] = cci->context[1] = 0;
  Lends lends;
  lends_init(&lends);
  Cx caller, cx;
  wg_cx_init(&caller, inst, p->cinst, &rt->opts, p->opts.encoding);
  caller.fused = true;
  caller.lends = &lends;
  wg_cx_init(&cx, callee, pl->cinst, &rl->opts, pl->opts.encoding);
  cx.fused = true;
  cx.task = &task;
  WgVal flat[WG_ABI_MAX_FLAT_PARAMS + 1], res[1];
  uint32_t nflat = 0, nres = sig->result ? 1 : 0, retptr = 0;
  if (sig->results_indirect)
    retptr = (uint32_t)args[sig->params_indirect ? 1 : sig->flat_params].of.i32;
  if (!wg_fuse_params(&caller, &cx, f, args, flat, &nflat)) {
    t = take_trap(&caller, &cx);
    goto trap;
  }
  t = wg_func_call(callee->store, rl->func, flat, nflat, res, nres);
  if (t) goto trap;
  /* spec: Task.return_ traps while borrows lent to the callee remain */
  if (task.borrows) {
    t = wg_ctrap("borrow handles still remain at the end of the call (%u "
                 "not dropped)",
                 task.borrows);
    goto trap;
  }
  if (nres) {
    cx.task = NULL;
    if (!wg_fuse_result(&cx, &caller, f, res, results, retptr)) {
      t = take_trap(&cx, &caller);
      goto trap;
    }
  }
  if (rl->opts.post_return) {
    cci->may_leave = false;
    t = wg_func_call(callee->store, rl->opts.post_return, res, nres, NULL, 0);
    cci->may_leave = true;
    if (t) goto trap;
  }
  cci->context[0] = saved_context[0];
  cci->context[1] = saved_context[1];
  leave(callee, set, set_count);
  end_lends(caller.ci, &lends);
  return NULL;
trap:
  if (task.borrows) drop_scope(callee, cci, &task);
  callee->poisoned = true;
  end_lends(caller.ci, &lends);
  return t;
}

/* spec: canon_lower (synchronous): lift the arguments from the caller's
 * memory, call, lower the result back, end the borrows lent. A call of a
 * lift of another instance (nested in the same component, or linked at
 * run time) is fused when it can be. */
static WgTrap *lower_call(RTramp *rt, const WgVal *args, WgVal *results) {
  WgComponentInstance *inst = rt->inst;
  const PTramp *p = rt->plan;
  const CSig *sig = p->sig;
  if (!resolve_opts(inst, &p->opts, &rt->opts))
    return wg_ctrap("internal: canonical options unresolved");
  bool fallback = false;
  if (p->callee.kind == FREF_LIFT && p->fuse) {
    WgTrap *t = call_fused(rt, p->fuse, inst, p->enter, p->enter_count, args,
                           results, &fallback);
    if (!fallback) return t;
  } else if (rt->fuse) {
    const CLink *l = &inst->links[p->callee.index];
    const PLift *pl = &l->inst->plan->lifts[l->lift];
    WgTrap *t = call_fused(rt, rt->fuse, l->inst, pl->enter, pl->enter_count,
                           args, results, &fallback);
    if (!fallback) return t;
  }
  Lends lends = { 0 };
  lends.items = lends.small;
  lends.cap = sizeof lends.small / sizeof lends.small[0];
  lends.host = lends.host_small;
  lends.host_cap = sizeof lends.host_small / sizeof lends.host_small[0];
  Cx cx;
  wg_cx_init(&cx, inst, p->cinst, &rt->opts, p->opts.encoding);
  cx.lends = &lends;
  cx.fused = p->callee.kind == FREF_LIFT;
  ScratchMark mark = wg_scratch_mark(&inst->scratch);
  size_t used = inst->scratch_used;
  WgCVal small[8], result;
  WgCVal *params = small;
  WgTrap *t = NULL;
  HostFunc *abi =
      p->callee.kind == FREF_HOST ? inst->pre->funcs[p->callee.index] : NULL;
  if (abi && abi->abi_fn) { /* typed host bindings (component_abi.h) */
    t = wg_cabi_host_call(rt, &cx, abi, args, results);
    goto done;
  }
  if (sig->param_count > 8) {
    params =
        wg_scratch_alloc(&inst->scratch, sig->param_count * sizeof(WgCVal));
    if (!params) {
      t = wg_trap_make(WG_TRAP_HOST, "out of memory");
      goto done;
    }
  }
  if (!wg_canon_lift_params(&cx, sig, args, params)) {
    t = cx.trap;
    goto done;
  }
  uint32_t retptr = 0;
  if (sig->results_indirect)
    retptr = (uint32_t)args[sig->params_indirect ? 1 : sig->flat_params].of.i32;
  if (p->callee.kind == FREF_HOST) {
    t = call_host(inst, p->callee.index, sig, params, &result);
    if (!t && sig->result &&
        !wg_canon_lower_result(&cx, sig, &result, results, retptr))
      t = cx.trap;
  } else {
    Deliver d = { &cx, results, retptr, sig };
    t = call_lift(inst, p->callee.index, p->enter, p->enter_count, params,
                  &result, &d);
  }
done:
  end_lends(cx.ci, &lends);
  wg_scratch_release(&inst->scratch, mark);
  inst->scratch_used = used;
  return t;
}

/* Section: resource built-ins */

static WgTrap *handle_trap(uint32_t i) {
  return wg_ctrap("unknown handle index %u", i);
}

/* As wasmtime words it: "expected guest-defined resource but found a
 * different guest-defined resource". */
static WgTrap *wrong_type(uint32_t i, const WgCResourceType *want,
                          const WgCResourceType *got) {
  const char *a =
      want->is_host ? "host-defined resource" : "guest-defined resource";
  const char *b =
      got->is_host ? "host-defined resource" : "guest-defined resource";
  return wg_ctrap("handle index %u used with the wrong type, expected %s but "
                  "found %s%s",
                  i, a, want->is_host == got->is_host ? "a different " : "", b);
}

WgTrap *wg_ccall_run_dtor(WgCResourceType *type, uint32_t rep, CInst *caller,
                          uint32_t caller_index) {
  (void)caller;
  if (type->is_host) return type->dtor ? type->dtor(type->env, rep) : NULL;
  WgComponentInstance *inst = type->inst;
  const PResource *pr = &inst->plan->resources[type->slot];
  if (!pr->has_dtor) return NULL;
  WgExtern ext;
  if (!wg_cinstance_extern(inst, pr->dtor, &ext))
    return wg_ctrap("internal: destructor unresolved");
  uint32_t set[128];
  uint32_t n = entering_set(inst, pr->impl, caller_index, set, 128);
  WgTrap *t = enter(inst, set, n);
  if (t) return t;
  WgVal arg = wg_val_i32((int32_t)rep);
  t = wg_func_call(inst->store, ext.of.func, &arg, 1, NULL, 0);
  if (t) {
    inst->poisoned = true;
    return t;
  }
  leave(inst, set, n);
  return NULL;
}

/* spec: canon_resource_drop */
static WgTrap *resource_drop(RTramp *rt, uint32_t i) {
  WgComponentInstance *inst = rt->inst;
  const PTramp *p = rt->plan;
  CInst *ci = &inst->cinsts[p->cinst];
  Handle *h = wg_handles_get(&ci->handles, i);
  if (!h) return handle_trap(i);
  Handle copy = *h;
  WgCResourceType *want = inst->resources[p->resource];
  if (copy.type != want) return wrong_type(i, want, copy.type);
  if (copy.lends)
    return wg_ctrap("cannot remove owned resource while borrowed (handle "
                    "index %u is lent %u time%s)",
                    i, copy.lends, copy.lends == 1 ? "" : "s");
  if (!wg_handles_remove(&ci->handles, inst->alloc, i))
    return wg_trap_make(WG_TRAP_HOST, "out of memory");
  if (!copy.own) {
    Task *task = copy.scope;
    if (task && task->borrows) task->borrows--;
    return NULL;
  }
  return wg_ccall_run_dtor(copy.type, copy.rep, ci, p->cinst);
}

/* The names of the built-ins the runtime does not run, for messages. */
static const char *builtin_name(uint32_t op) {
  switch (op) {
    case WG_CANON_TASK_CANCEL:
      return "task.cancel";
    case WG_CANON_SUBTASK_CANCEL:
      return "subtask.cancel";
    case WG_CANON_RESOURCE_DROP_ASYNC:
      return "resource.drop async";
    case WG_CANON_TASK_RETURN:
      return "task.return";
    case WG_CANON_THREAD_YIELD:
      return "thread.yield";
    case WG_CANON_SUBTASK_DROP:
      return "subtask.drop";
    case WG_CANON_ERROR_CONTEXT_NEW:
      return "error-context.new";
    case WG_CANON_ERROR_CONTEXT_DEBUG_MESSAGE:
      return "error-context.debug-message";
    case WG_CANON_ERROR_CONTEXT_DROP:
      return "error-context.drop";
    case WG_CANON_WAITABLE_SET_NEW:
      return "waitable-set.new";
    case WG_CANON_WAITABLE_SET_WAIT:
      return "waitable-set.wait";
    case WG_CANON_WAITABLE_SET_POLL:
      return "waitable-set.poll";
    case WG_CANON_WAITABLE_SET_DROP:
      return "waitable-set.drop";
    case WG_CANON_WAITABLE_JOIN:
      return "waitable.join";
    case WG_CANON_BACKPRESSURE_INC:
      return "backpressure.inc";
    case WG_CANON_BACKPRESSURE_DEC:
      return "backpressure.dec";
    case WG_CANON_THREAD_INDEX:
      return "thread.index";
    default:
      if (op >= WG_CANON_STREAM_NEW && op <= WG_CANON_STREAM_DROP_WRITABLE)
        return "a stream built-in";
      if (op >= WG_CANON_FUTURE_NEW && op <= WG_CANON_FUTURE_DROP_WRITABLE)
        return "a future built-in";
      return "a thread built-in";
  }
}

WgTrap *wg_ccall_trampoline(void *env, WgCaller *caller, const WgVal *args,
                            WgVal *results) {
  (void)caller;
  RTramp *rt = env;
  WgComponentInstance *inst = rt->inst;
  const PTramp *p = rt->plan;
  CInst *ci = &inst->cinsts[p->cinst];
  if (p->kind == TR_ASYNC && (p->index == WG_CANON_BACKPRESSURE_INC ||
                              p->index == WG_CANON_BACKPRESSURE_DEC)) {
    /* spec: canon_backpressure_inc/dec: a counter, no may_leave check */
    if (p->index == WG_CANON_BACKPRESSURE_INC && ++ci->backpressure == 1u << 16)
      return wg_ctrap("backpressure.inc: counter overflow");
    if (p->index == WG_CANON_BACKPRESSURE_DEC && ci->backpressure-- == 0) {
      ci->backpressure = 0;
      return wg_ctrap("backpressure.dec: counter below zero");
    }
    return NULL;
  }
  bool checks_leave = p->kind == TR_LOWER || p->kind == TR_RESOURCE_NEW ||
                      p->kind == TR_RESOURCE_DROP || p->kind == TR_ASYNC;
  if (checks_leave && !ci->may_leave)
    return wg_ctrap("cannot leave component instance: %s is not allowed "
                    "during realloc or post-return",
                    p->kind == TR_LOWER           ? "calling an import"
                    : p->kind == TR_RESOURCE_NEW  ? "resource.new"
                    : p->kind == TR_RESOURCE_DROP ? "resource.drop"
                                                  : builtin_name(p->index));
  switch (p->kind) {
    case TR_LOWER:
      return lower_call(rt, args, results);
    case TR_RESOURCE_NEW: {
      Handle h = {
        inst->resources[p->resource], (uint32_t)args[0].of.i32, true, 0, NULL, 0
      };
      bool full;
      uint32_t i = wg_handles_add(&ci->handles, inst->alloc, h, &full);
      if (!i)
        return full ? wg_ctrap("handle table full (%u handles, the "
                               "instance's limit)",
                               ci->handles.max)
                    : wg_trap_make(WG_TRAP_HOST, "out of memory");
      results[0] = wg_val_i32((int32_t)i);
      return NULL;
    }
    case TR_RESOURCE_REP: {
      uint32_t i = (uint32_t)args[0].of.i32;
      Handle *h = wg_handles_get(&ci->handles, i);
      if (!h) return handle_trap(i);
      if (h->type != inst->resources[p->resource])
        return wrong_type(i, inst->resources[p->resource], h->type);
      results[0] = wg_val_i32((int32_t)h->rep);
      return NULL;
    }
    case TR_RESOURCE_DROP:
      return resource_drop(rt, (uint32_t)args[0].of.i32);
    case TR_CONTEXT_GET: { /* spec: canon_context_get */
      uint64_t v = ci->context[p->index];
      results[0] = p->core_type->types[0] == WG_VT_I64
                       ? wg_val_i64((int64_t)v)
                       : wg_val_i32((int32_t)(uint32_t)v);
      return NULL;
    }
    case TR_CONTEXT_SET:
      ci->context[p->index] = p->core_type->types[0] == WG_VT_I64
                                  ? (uint64_t)args[0].of.i64
                                  : (uint32_t)args[0].of.i32;
      return NULL;
    case TR_ASYNC:
      return wg_ctrap("%s needs the async ABI, which this runtime does not "
                      "run yet",
                      builtin_name(p->index));
    default:
      return wg_ctrap("internal: unknown trampoline");
  }
}

/* Section: public entry points */

WgTrap *wg_component_func_call(WgComponentFunc *func, const WgCVal *args,
                               size_t arg_count, WgCVal *results,
                               size_t result_count) {
  if (!func) return wg_ctrap_kind(WG_TRAP_MISUSE, "no function");
  WgComponentInstance *inst = func->inst;
  FuncRef r = func->export->func;
  if (r.kind == FREF_LIFT)
    return wg_ccall_lift_from_host(inst, r.index, args, arg_count, results,
                                   result_count);
  /* a re-exported import: to the instance it is bound to, or straight to
   * the host function */
  if (inst->links && inst->links[r.index].inst) {
    const CLink *l = &inst->links[r.index];
    return wg_ccall_lift_from_host(l->inst, l->lift, args, arg_count, results,
                                   result_count);
  }
  const PHostFunc *hf = &inst->plan->host_funcs[r.index];
  HostFunc *def = inst->pre->funcs[r.index];
  if (!def)
    return wg_ctrap("unimplemented import `%.*s` called", (int)hf->name.len,
                    hf->name.ptr);
  if (!def->fn)
    return wg_ctrap_kind(WG_TRAP_MISUSE,
                         "import `%.*s` is defined at the level of core "
                         "values: it cannot be called with WgCVal values",
                         (int)hf->name.len, hf->name.ptr);
  if (arg_count != hf->type->param_count ||
      result_count != (hf->type->result ? 1u : 0u))
    return wg_ctrap_kind(WG_TRAP_MISUSE, "wrong number of arguments or "
                                         "results");
  WgCCall call = { inst, hf };
  return def->fn(def->env, &call, args, arg_count, results, result_count);
}

WgTrap *wg_component_resource_drop(WgStore *store, const WgCVal *own) {
  (void)store;
  if (!own || own->kind != WG_CVAL_OWN || !own->of.res.type)
    return wg_ctrap_kind(WG_TRAP_MISUSE, "not an own value");
  WgCResourceType *t = own->of.res.type;
  if (t->is_host) return t->dtor ? t->dtor(t->env, own->of.res.rep) : NULL;
  WgComponentInstance *inst = t->inst;
  uint32_t rep;
  if (!wg_host_handle_take(t, own->of.res.rep, own->of.res.gen, true, true,
                           &rep))
    return wg_ctrap_kind(WG_TRAP_MISUSE, "resource value already moved or "
                                         "dropped by the host");
  inst->depth++;
  WgTrap *r = wg_ccall_run_dtor(t, rep, NULL, UINT32_MAX);
  inst->depth--;
  return r;
}

/* Section: typed calls (component_abi.h) */

/* spec: canon_lift (synchronous), as call_lift, with the arguments lowered
 * and the result lifted by the generated code of typed host bindings. */
WgTrap *wg_ccall_lift_abi(WgComponentInstance *inst, uint32_t li,
                          WgCAbiLowerFn lower, WgCAbiLiftFn lift, void *data) {
  const PLift *pl = &inst->plan->lifts[li];
  RLift *rl = &inst->lifts[li];
  const CSig *sig = pl->sig;
  if (!rl->func) { /* called during instantiation (a start function) */
    WgExtern e;
    if (!wg_cinstance_extern(inst, pl->func, &e) ||
        e.kind != WG_WASM_EXTERN_FUNC)
      return wg_ctrap("lifted function called before its core instance "
                      "exists");
    rl->func = e.of.func;
  }
  if (!resolve_opts(inst, &pl->opts, &rl->opts))
    return wg_ctrap("internal: canonical options unresolved");
  if (inst->depth == 0) {
    wg_scratch_reset(&inst->scratch);
    inst->scratch_used = 0;
  }
  WgTrap *t = enter(inst, pl->enter, pl->enter_count);
  if (t) return t;
  inst->depth++;
  Task task = { 0 };
  CInst *callee_ci = &inst->cinsts[pl->cinst];
  uint64_t saved_context[2] = { callee_ci->context[0], callee_ci->context[1] };
  callee_ci->context[0] = callee_ci->context[1] = 0;
  WgCAbiCx ax;
  wg_cx_init(&ax.cx, inst, pl->cinst, &rl->opts, pl->opts.encoding);
  ax.cx.task = &task;
  ax.call.inst = inst;
  ax.call.import = NULL;
  ax.sig = sig;
  ax.copied = 0;
  WgVal flat[WG_ABI_MAX_FLAT_PARAMS + 1], res[1];
  uint32_t nflat = 0, nres = sig->result ? 1 : 0;
  bool poison = true;
  if (!lower(&ax, data, flat, &nflat)) {
    t = wg_cabi_take_trap(&ax);
    /* a bad value from the host: the guest has not run (but realloc) */
    poison = wg_trap_kind(t) != WG_TRAP_MISUSE;
    goto trap;
  }
  t = wg_func_call(inst->store, rl->func, flat, nflat, res, nres);
  if (t) goto trap;
  wg_canon_refresh(&ax.cx); /* memory may have grown */
  if (nres && !lift(&ax, data, res)) {
    t = wg_cabi_take_trap(&ax);
    goto trap;
  }
  if (task.borrows) {
    t = wg_ctrap("borrow handles still remain at the end of the call (%u "
                 "not dropped)",
                 task.borrows);
    goto trap;
  }
  if (rl->opts.post_return) {
    callee_ci->may_leave = false;
    t = wg_func_call(inst->store, rl->opts.post_return, res, nres, NULL, 0);
    callee_ci->may_leave = true;
    if (t) goto trap;
  }
  callee_ci->context[0] = saved_context[0];
  callee_ci->context[1] = saved_context[1];
  leave(inst, pl->enter, pl->enter_count);
  inst->depth--;
  return NULL;
trap:
  if (task.borrows) drop_scope(inst, callee_ci, &task);
  if (poison) {
    inst->poisoned = true;
  } else {
    callee_ci->context[0] = saved_context[0];
    callee_ci->context[1] = saved_context[1];
    leave(inst, pl->enter, pl->enter_count);
  }
  inst->depth--;
  return t ? t : wg_trap_make(WG_TRAP_HOST, "out of memory");
}
