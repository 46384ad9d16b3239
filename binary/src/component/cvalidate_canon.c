/* SPDX-License-Identifier: Apache-2.0 */
/* Canon definitions (Explainer.md "Canonical definitions", the checks of
 * CanonicalABI.md): `canon lift` and `canon lower` with their options, and
 * the resource built-ins. Each gives a function of the other level: lift a
 * component function, the others a core function of the signature the
 * Canonical ABI assigns. */
#include <stdio.h>
#include <string.h>

#include "cformat.h"
#include "cvalidate.h"

static const WgValType I32[5] = { WG_VT_I32, WG_VT_I32, WG_VT_I32, WG_VT_I32,
                                  WG_VT_I32 };

static WgValType core_of(WgCoreType c) {
  switch (c) {
    case WG_CORE_I64:
      return WG_VT_I64;
    case WG_CORE_F32:
      return WG_VT_F32;
    case WG_CORE_F64:
      return WG_VT_F64;
    default:
      return WG_VT_I32;
  }
}

/* "[I32, I64]", as the reference validator prints core type lists. */
static void list_text(const WgValType *ts, uint32_t n, char *out, size_t cap) {
  size_t len = (size_t)snprintf(out, cap, "[");
  for (uint32_t i = 0; i < n && len < cap; i++) {
    const char *name = ts[i] == WG_VT_I32   ? "I32"
                       : ts[i] == WG_VT_I64 ? "I64"
                       : ts[i] == WG_VT_F32 ? "F32"
                       : ts[i] == WG_VT_F64 ? "F64"
                                            : "V128";
    len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", name);
  }
  if (len < cap) snprintf(out + len, cap - len, "]");
}

static bool core_func_at(WgCTypes *t, const Scope *s, uint32_t index,
                         const WgFuncType **out) {
  if (index >= s->core_funcs.count)
    return wg_cv_fail(t, "function index out of bounds");
  *out = s->core_funcs.items[index];
  return true;
}

static bool has_list(const WgCValTy *v) {
  return v && (v->contains & WG_CVALTY_HAS_LIST);
}

/* Each option at most once, one string encoding (the decoder leaves these
 * to validation for lift and lower). */
static bool distinct_options(WgCTypes *t, const WgCCanonOpts *o) {
  static const char *const enc[] = { "utf8", "utf16", "latin1-utf16" };
  if (!o->raw) return true;
  const uint8_t *p = o->raw, *end = o->raw + o->raw_len;
  uint32_t n = 0, shift = 0;
  while (p < end) { /* the count (LEB128) */
    n |= (uint32_t)(*p & 0x7f) << shift;
    shift += 7;
    if (!(*p++ & 0x80)) break;
  }
  int encoding = -1;
  bool seen[8] = { false };
  for (uint32_t i = 0; i < n && p < end; i++) {
    uint8_t op = *p++;
    if (op <= WG_COPT_LATIN1_UTF16) {
      if (encoding >= 0)
        return wg_cv_fail(t,
                          "canonical encoding option `%s` conflicts with "
                          "option `%s`",
                          enc[encoding], enc[op]);
      encoding = op;
      continue;
    }
    if (op >= WG_COPT_MEMORY && op <= WG_COPT_POST_RETURN && seen[op]) {
      static const char *const names[] = { "",       "",        "",
                                           "memory", "realloc", "post-return" };
      return wg_cv_fail(t, "canonical option `%s` is specified more than once",
                        names[op]);
    }
    if (op < 8) seen[op] = true;
    if (wg_copt_has_index(op))
      while (p < end && (*p++ & 0x80)) {
      }
  }
  return true;
}

/* What the options must provide, from the function type and direction. */
static bool check_options(WgCTypes *t, const Scope *s, const WgCCanonOpts *o,
                          const WgCFuncTy *ft, bool lift,
                          const WgAbiFuncSig *sig) {
  bool params_list = false;
  for (uint32_t i = 0; i < ft->param_count; i++)
    params_list |= has_list(ft->params[i]);
  bool result_list = has_list(ft->result);
  if (o->has_memory) {
    if (o->memory >= s->core_memories.count)
      return wg_cv_fail(t, "memory index out of bounds");
    if (s->core_memories.items[o->memory].limits.is_64)
      return wg_cv_fail(t, "canonical option `memory` must refer to a 32-bit "
                           "memory");
  }
  if (o->has_realloc) {
    if (!o->has_memory)
      return wg_cv_fail(t, "canonical option `realloc` requires `memory` to "
                           "also be specified");
    const WgFuncType *rt;
    if (!core_func_at(t, s, o->realloc, &rt)) return false;
    const WgFuncType want = { 4, 1, I32 };
    if (!wg_cv_functype_eq(rt, &want))
      return wg_cv_fail(t, "canonical option `realloc` uses a core function "
                           "with an incorrect signature");
  }
  bool needs_memory = params_list || result_list || sig->params_indirect ||
                      sig->results_indirect;
  if (o->is_async) /* results go through task.return (lift) or a pointer */
    needs_memory = params_list || sig->params_indirect ||
                   (!lift && (result_list || ft->result));
  if (needs_memory && !o->has_memory)
    return wg_cv_fail(t, "canonical option `memory` is required");
  /* the side that receives lists allocates them */
  bool needs_realloc = lift ? params_list || sig->params_indirect : result_list;
  if (needs_realloc && !o->has_realloc)
    return wg_cv_fail(t, "canonical option `realloc` is required");
  if (o->has_post_return) {
    if (!lift)
      return wg_cv_fail(t, "canonical option `post-return` cannot be "
                           "specified for lowerings");
    const WgFuncType *pt;
    if (!core_func_at(t, s, o->post_return, &pt)) return false;
    WgValType want[WG_ABI_MAX_FLAT_RESULTS + 1];
    for (uint32_t i = 0; i < sig->result_count; i++)
      want[i] = core_of(sig->results[i]);
    WgFuncType wt = { sig->result_count, 0, want };
    if (!wg_cv_functype_eq(pt, &wt))
      return wg_cv_fail(t, "canonical option `post-return` uses a core "
                           "function with an incorrect signature");
  }
  if (o->is_async && !ft->is_async)
    return wg_cv_fail(t, "the `async` canonical option requires an async "
                         "function type");
  if ((o->is_async || o->has_callback) && t->options.no_async)
    return wg_cv_fail_status(t, WG_ERR_UNSUPPORTED,
                             "the async canonical ABI is not supported yet");
  return true;
}

static bool lift(WgCTypes *t, Scope *s, const WgCCanon *c) {
  if (!distinct_options(t, &c->opts)) return false;
  const WgFuncType *core;
  if (!core_func_at(t, s, c->func, &core)) return false;
  WgCTypeRef r;
  if (!wg_cv_type_at(t, s, c->type, &r)) return false;
  if (r.kind != WG_CTY_FUNC)
    return wg_cv_fail(t, "type index %u is not a function type", c->type);
  const WgCFuncTy *ft = r.of.func;
  WgAbiFuncSig sig;
  wg_cfunc_flatten(ft, WG_ABI_LIFT, &sig);
  if (!check_options(t, s, &c->opts, ft, true, &sig)) return false;
  /* async lifts return to a callback or through task.return: their core
   * signatures are the async ABI's, checked when it is supported */
  if (c->opts.is_async) return WG_CV_ADD(t, s->funcs, ft, s->def);
  WgValType want[WG_ABI_MAX_FLAT_PARAMS + 1];
  for (uint32_t i = 0; i < sig.param_count; i++)
    want[i] = core_of(sig.params[i]);
  char a[256], b[256];
  if (sig.param_count != core->param_count ||
      (sig.param_count &&
       memcmp(want, core->types, sig.param_count * sizeof *want) != 0)) {
    list_text(want, sig.param_count, a, sizeof a);
    list_text(core->types, core->param_count, b, sizeof b);
    return wg_cv_fail(t,
                      "lowered parameter types `%s` do not match parameter "
                      "types `%s` of core function %u",
                      a, b, c->func);
  }
  for (uint32_t i = 0; i < sig.result_count; i++)
    want[i] = core_of(sig.results[i]);
  if (sig.result_count != core->result_count ||
      (sig.result_count && memcmp(want, WG_FUNCTYPE_RESULTS(core),
                                  sig.result_count * sizeof *want) != 0)) {
    list_text(want, sig.result_count, a, sizeof a);
    list_text(WG_FUNCTYPE_RESULTS(core), core->result_count, b, sizeof b);
    return wg_cv_fail(t,
                      "lowered result types `%s` do not match result types "
                      "`%s` of core function %u",
                      a, b, c->func);
  }
  return WG_CV_ADD(t, s->funcs, ft, s->def);
}

static bool lower(WgCTypes *t, Scope *s, const WgCCanon *c) {
  if (!distinct_options(t, &c->opts)) return false;
  if (c->func >= s->funcs.count)
    return wg_cv_fail(t, "function index out of bounds");
  const WgCFuncTy *ft = s->funcs.items[c->func];
  WgAbiFuncSig sig;
  wg_cfunc_flatten(ft, WG_ABI_LOWER, &sig);
  if (!check_options(t, s, &c->opts, ft, false, &sig)) return false;
  if (c->opts.is_async) {
    /* async lowering: at most 4 flat params (else a pointer), a return
     * pointer when there is a result, and the subtask state back */
    WgAbiFuncSig async_sig;
    wg_cfunc_flatten(ft, WG_ABI_LIFT, &async_sig);
    WgValType p[WG_ABI_MAX_FLAT_PARAMS + 2];
    uint32_t np = 0;
    if (async_sig.params_indirect || async_sig.param_count > 4) {
      p[np++] = WG_VT_I32;
    } else {
      for (uint32_t i = 0; i < async_sig.param_count; i++)
        p[np++] = core_of(async_sig.params[i]);
    }
    if (ft->result) p[np++] = WG_VT_I32;
    const WgFuncType *core = wg_cv_core_functype(t, p, np, I32, 1);
    return core && WG_CV_ADD(t, s->core_funcs, core, s->def);
  }
  WgValType p[WG_ABI_MAX_FLAT_PARAMS + 2], r[WG_ABI_MAX_FLAT_RESULTS + 1];
  for (uint32_t i = 0; i < sig.param_count; i++)
    p[i] = core_of(sig.params[i]);
  for (uint32_t i = 0; i < sig.result_count; i++)
    r[i] = core_of(sig.results[i]);
  const WgFuncType *core =
      wg_cv_core_functype(t, p, sig.param_count, r, sig.result_count);
  return core && WG_CV_ADD(t, s->core_funcs, core, s->def);
}

/* resource.new / resource.drop / resource.rep of type `index`. */
static bool resource_builtin(WgCTypes *t, Scope *s, uint8_t op,
                             uint32_t index) {
  WgCTypeRef r;
  if (!wg_cv_type_at(t, s, index, &r)) return false;
  if (r.kind != WG_CTY_RESOURCE)
    return wg_cv_fail(t, "type index %u is not a resource type", index);
  const WgCResource *res = wg_cresource_canon(r.of.resource);
  if (op != WG_CANON_RESOURCE_DROP && (!res->def || res->owner != &s->pub))
    return wg_cv_fail(t, "type index %u is not a local resource", index);
  const WgFuncType *core =
      wg_cv_core_functype(t, I32, 1, I32, op == WG_CANON_RESOURCE_DROP ? 0 : 1);
  return core && WG_CV_ADD(t, s->core_funcs, core, s->def);
}

/* The async and thread built-ins (CanonicalABI.md "Canonical built-ins"):
 * core functions whose signatures the specification fixes. They validate
 * (so `witgen wit` reads components that use them); the runtime refuses to
 * instantiate them until it supports the async ABI. */
static bool async_builtin(WgCTypes *t, Scope *s, const WgCCanon *c) {
  if (t->options.no_async)
    return wg_cv_fail_status(t, WG_ERR_UNSUPPORTED,
                             "canonical built-in 0x%02x needs the async ABI, "
                             "not supported yet",
                             c->op);
  /* (params, results) as counts of i32, by opcode */
  uint32_t np = 0, nr = 0;
  WgValType vt = WG_VT_I32;
  switch (c->op) {
    case WG_CANON_BACKPRESSURE_INC:
    case WG_CANON_BACKPRESSURE_DEC:
    case WG_CANON_TASK_CANCEL:
      break;
    case WG_CANON_CONTEXT_GET: /* t i: (result t) */
    case WG_CANON_CONTEXT_SET: /* t i: (param t) */
      if (c->raw_len >= 1 && c->raw[0] == WG_VT_I64) vt = WG_VT_I64;
      if (c->op == WG_CANON_CONTEXT_GET) {
        const WgFuncType *f = wg_cv_core_functype(t, NULL, 0, &vt, 1);
        return f && WG_CV_ADD(t, s->core_funcs, f, s->def);
      } else {
        const WgFuncType *f = wg_cv_core_functype(t, &vt, 1, NULL, 0);
        return f && WG_CV_ADD(t, s->core_funcs, f, s->def);
      }
    case WG_CANON_TASK_RETURN: { /* the result flattened as parameters */
      WgAbiFuncSig sig = { 0 };
      uint32_t n = 0;
      if (c->raw_len >= 1 && c->raw[0] == WG_CRESULTS_ONE) {
        /* the result type is an index or primitive right after the tag;
         * count its flat values through a one-parameter function type */
        const uint8_t *p = c->raw + 1;
        WgCValType v = { 0 };
        if (*p >= 0x40 && *p < 0x80)
          v.prim = *p;
        else
          v.index = *p; /* small indices: one byte */
        const WgCValTy *vty;
        if (!wg_cv_valtype(t, s, v, &vty)) return false;
        WgCFuncTy f = { false, 1, (const WgStr[]){ { "r", 1 } }, &vty, NULL };
        wg_cfunc_flatten(&f, WG_ABI_LOWER, &sig);
        n = sig.param_count;
      }
      WgValType p[WG_ABI_MAX_FLAT_PARAMS + 1];
      for (uint32_t i = 0; i < n; i++)
        p[i] = core_of(sig.params[i]);
      const WgFuncType *f = wg_cv_core_functype(t, p, n, NULL, 0);
      return f && WG_CV_ADD(t, s->core_funcs, f, s->def);
    }
    case WG_CANON_WAITABLE_SET_NEW:
    case WG_CANON_THREAD_INDEX:
    case WG_CANON_THREAD_SUSPEND:
    case WG_CANON_THREAD_YIELD: /* (result i32) */
      nr = 1;
      break;
    case WG_CANON_WAITABLE_SET_WAIT:
    case WG_CANON_WAITABLE_SET_POLL: /* (param i32 i32) (result i32) */
      np = 2;
      nr = 1;
      break;
    case WG_CANON_WAITABLE_SET_DROP:
    case WG_CANON_SUBTASK_DROP:
    case WG_CANON_STREAM_DROP_READABLE:
    case WG_CANON_STREAM_DROP_WRITABLE:
    case WG_CANON_FUTURE_DROP_READABLE:
    case WG_CANON_FUTURE_DROP_WRITABLE:
    case WG_CANON_ERROR_CONTEXT_DROP:
    case WG_CANON_THREAD_RESUME_LATER: /* (param i32) */
      np = 1;
      break;
    case WG_CANON_WAITABLE_JOIN:
    case WG_CANON_ERROR_CONTEXT_DEBUG_MESSAGE: /* (param i32 i32) */
      np = 2;
      break;
    case WG_CANON_SUBTASK_CANCEL:
    case WG_CANON_STREAM_CANCEL_READ:
    case WG_CANON_STREAM_CANCEL_WRITE:
    case WG_CANON_FUTURE_CANCEL_READ:
    case WG_CANON_FUTURE_CANCEL_WRITE:
    case WG_CANON_THREAD_SUSPEND_THEN_RESUME:
    case WG_CANON_THREAD_YIELD_THEN_RESUME:
    case WG_CANON_THREAD_SUSPEND_THEN_PROMOTE:
    case WG_CANON_THREAD_YIELD_THEN_PROMOTE: /* (param i32) (result i32) */
      np = 1;
      nr = 1;
      break;
    case WG_CANON_STREAM_NEW:
    case WG_CANON_FUTURE_NEW: { /* (result i64) */
      WgValType r64 = WG_VT_I64;
      const WgFuncType *f = wg_cv_core_functype(t, NULL, 0, &r64, 1);
      return f && WG_CV_ADD(t, s->core_funcs, f, s->def);
    }
    case WG_CANON_STREAM_READ:
    case WG_CANON_STREAM_WRITE: /* (param i32 i32 i32) (result i32) */
      np = 3;
      nr = 1;
      break;
    case WG_CANON_FUTURE_READ:
    case WG_CANON_FUTURE_WRITE:
    case WG_CANON_ERROR_CONTEXT_NEW: /* (param i32 i32) (result i32) */
      np = 2;
      nr = 1;
      break;
    case WG_CANON_THREAD_NEW_INDIRECT:
    case WG_CANON_THREAD_SPAWN_INDIRECT: /* (param i32 i32) (result i32) */
      np = 2;
      nr = 1;
      break;
    case WG_CANON_THREAD_SPAWN_REF: /* (param i32 i32) (result i32) */
      np = 2;
      nr = 1;
      break;
    case WG_CANON_THREAD_AVAILABLE_PARALLELISM: /* (result i32) */
      nr = 1;
      break;
    default:
      return wg_cv_fail(t, "unknown canonical built-in 0x%02x", c->op);
  }
  const WgFuncType *f = wg_cv_core_functype(t, I32, np, I32, nr);
  return f && WG_CV_ADD(t, s->core_funcs, f, s->def);
}

bool wg_cv_canon(WgCTypes *t, Scope *s, const WgCCanon *c) {
  switch (c->op) {
    case WG_CANON_LIFT:
      return lift(t, s, c);
    case WG_CANON_LOWER:
      return lower(t, s, c);
    case WG_CANON_RESOURCE_NEW:
    case WG_CANON_RESOURCE_DROP:
    case WG_CANON_RESOURCE_REP:
      return resource_builtin(t, s, c->op, c->type);
    default:
      return async_builtin(t, s, c);
  }
}
