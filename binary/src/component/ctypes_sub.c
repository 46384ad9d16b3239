/* SPDX-License-Identifier: Apache-2.0 */
/* Subtyping of resolved component types (Explainer.md "Type checking";
 * Binary.md "Subtyping"): what an instantiation argument, an ascribed export
 * type or a core module argument must satisfy. Value and function types are
 * compared for equality (as the reference validator does today), resources
 * by identity, instance and component types export by export (and import by
 * import, contravariantly). The messages are the reference validator's,
 * context lines outermost first. */
#include <stdio.h>
#include <string.h>

#include "cvalidate.h"

const char *wg_csort_name(uint8_t sort) {
  switch (sort) {
    case WG_CSORT_CORE:
      return "module";
    case WG_CSORT_FUNC:
      return "func";
    case WG_CSORT_VALUE:
      return "value";
    case WG_CSORT_TYPE:
      return "type";
    case WG_CSORT_COMPONENT:
      return "component";
    case WG_CSORT_INSTANCE:
      return "instance";
    default:
      return "item";
  }
}

static bool is_var(const WgCMatch *m, const WgCResource *r) {
  for (uint32_t i = 0; i < m->var_count; i++)
    if (wg_cresource_same(m->var_set[i], r)) return true;
  return false;
}

/* Resources: identical, or an unbound variable of `m` which is bound here. */
static bool match_resource(WgCMatch *m, const WgCResource *expected,
                           const WgCResource *found, WgCvMsg *msg) {
  if (m->vars) {
    /* a found component's abstract resource bound by its imports
     * (match_component) */
    const WgCResource *found_bound = wg_csubst_find(m->vars, found);
    if (found_bound) found = found_bound;
    const WgCResource *bound = wg_csubst_find(m->vars, expected);
    if (bound)
      expected = bound;
    else if (is_var(m, expected))
      return wg_csubst_add(m->types, m->vars, expected, found) ||
             (wg_cv_msg_set(msg, "out of memory"), false);
  }
  if (wg_cresource_same(expected, found)) return true;
  wg_cv_msg_set(msg, "resource types are not the same");
  return false;
}

static bool prim_eq(uint8_t expected, uint8_t found, WgCvMsg *msg) {
  if (expected == found) return true;
  wg_cv_msg_set(msg, "expected primitive `%s` found primitive `%s`",
                wg_cprim_name((WgCPrim)expected),
                wg_cprim_name((WgCPrim)found));
  return false;
}

static bool labels_eq(const WgCValTy *a, const WgCValTy *b) {
  if (a->count != b->count) return false;
  for (uint32_t i = 0; i < a->count; i++)
    if (!wg_str_eq(a->labels[i], b->labels[i])) return false;
  return true;
}

/* An optional child (variant payload, result arm, stream payload). */
static bool match_opt(WgCMatch *m, const WgCValTy *a, const WgCValTy *b,
                      WgCvMsg *msg) {
  if (!a && !b) return true;
  if (!a || !b) {
    wg_cv_msg_set(msg, "type mismatch");
    return false;
  }
  return wg_cmatch_val(m, a, b, msg);
}

static bool match_result_arm(WgCMatch *m, const WgCValTy *a, const WgCValTy *b,
                             const char *arm, WgCvMsg *msg) {
  if (a && b) {
    if (wg_cmatch_val(m, a, b, msg)) return true;
    wg_cv_msg_context(msg, "type mismatch in %s variant", arm);
    return false;
  }
  if (a)
    wg_cv_msg_set(msg, "expected %s type, but found none", arm);
  else if (b)
    wg_cv_msg_set(msg, "expected %s type to not be present", arm);
  return !a && !b;
}

/* Two type definitions of the same kind. */
static bool match_defined(WgCMatch *m, const WgCValTy *a, const WgCValTy *b,
                          WgCvMsg *msg) {
  switch (a->kind) {
    case WG_CT_PRIM:
      return prim_eq(a->prim, b->prim, msg);
    case WG_CT_RECORD:
      if (a->count != b->count) {
        wg_cv_msg_set(msg, "expected %u fields, found %u", a->count, b->count);
        return false;
      }
      for (uint32_t i = 0; i < a->count; i++) {
        if (!wg_str_eq(a->labels[i], b->labels[i])) {
          wg_cv_msg_set(msg, "expected field name `%.*s`, found `%.*s`",
                        (int)a->labels[i].len, a->labels[i].ptr,
                        (int)b->labels[i].len, b->labels[i].ptr);
          return false;
        }
        if (!wg_cmatch_val(m, a->elems[i], b->elems[i], msg)) {
          wg_cv_msg_context(msg, "type mismatch in record field `%.*s`",
                            (int)a->labels[i].len, a->labels[i].ptr);
          return false;
        }
      }
      return true;
    case WG_CT_VARIANT:
      if (a->count != b->count) {
        wg_cv_msg_set(msg, "expected %u cases, found %u", a->count, b->count);
        return false;
      }
      for (uint32_t i = 0; i < a->count; i++) {
        WgStr an = a->labels[i], bn = b->labels[i];
        if (!wg_str_eq(an, bn)) {
          wg_cv_msg_set(msg, "expected case named `%.*s`, found `%.*s`",
                        (int)an.len, an.ptr, (int)bn.len, bn.ptr);
          return false;
        }
        if (a->elems[i] && !b->elems[i]) {
          wg_cv_msg_set(msg, "expected case `%.*s` to have a type, found none",
                        (int)an.len, an.ptr);
          return false;
        }
        if (!a->elems[i] && b->elems[i]) {
          wg_cv_msg_set(msg, "expected case `%.*s` to have no type",
                        (int)an.len, an.ptr);
          return false;
        }
        if (a->elems[i] && !wg_cmatch_val(m, a->elems[i], b->elems[i], msg)) {
          wg_cv_msg_context(msg, "type mismatch in variant case `%.*s`",
                            (int)an.len, an.ptr);
          return false;
        }
      }
      return true;
    case WG_CT_TUPLE:
      if (a->count != b->count) {
        wg_cv_msg_set(msg, "expected %u types, found %u", a->count, b->count);
        return false;
      }
      for (uint32_t i = 0; i < a->count; i++)
        if (!wg_cmatch_val(m, a->elems[i], b->elems[i], msg)) {
          wg_cv_msg_context(msg, "type mismatch in tuple field %u", i);
          return false;
        }
      return true;
    case WG_CT_FLAGS:
    case WG_CT_ENUM:
      if (labels_eq(a, b)) return true;
      wg_cv_msg_set(msg, "mismatch in %s elements",
                    a->kind == WG_CT_FLAGS ? "flags" : "enum");
      return false;
    case WG_CT_LIST:
    case WG_CT_OPTION:
      if (wg_cmatch_val(m, a->elems[0], b->elems[0], msg)) return true;
      wg_cv_msg_context(msg, "type mismatch in %s",
                        a->kind == WG_CT_LIST ? "list" : "option");
      return false;
    case WG_CT_FIXED_LIST:
      if (a->length != b->length) {
        wg_cv_msg_set(msg, "expected list of length %u, found %u", a->length,
                      b->length);
        return false;
      }
      if (wg_cmatch_val(m, a->elems[0], b->elems[0], msg)) return true;
      wg_cv_msg_context(msg, "type mismatch in list");
      return false;
    case WG_CT_RESULT:
      return match_result_arm(m, a->elems[0], b->elems[0], "ok", msg) &&
             match_result_arm(m, a->elems[1], b->elems[1], "err", msg);
    case WG_CT_OWN:
    case WG_CT_BORROW:
      return match_resource(m, a->resource, b->resource, msg);
    case WG_CT_STREAM:
    case WG_CT_FUTURE:
      if (match_opt(m, a->elems[0], b->elems[0], msg)) return true;
      wg_cv_msg_context(msg, "type mismatch in %s",
                        a->kind == WG_CT_STREAM ? "stream" : "future");
      return false;
    case WG_CT_MAP:
      if (wg_cmatch_val(m, a->elems[0], b->elems[0], msg) &&
          wg_cmatch_val(m, a->elems[1], b->elems[1], msg))
        return true;
      wg_cv_msg_context(msg, "type mismatch in map");
      return false;
    default:
      wg_cv_msg_set(msg, "type mismatch");
      return false;
  }
}

bool wg_cmatch_val(WgCMatch *m, const WgCValTy *a, const WgCValTy *b,
                   WgCvMsg *msg) {
  if (a == b) return true;
  bool ap = a->kind == WG_CT_PRIM, bp = b->kind == WG_CT_PRIM;
  /* a primitive written inline names itself; a definition its kind */
  if (ap && !a->defined) {
    if (bp) return prim_eq(a->prim, b->prim, msg);
    wg_cv_msg_set(msg, "expected %s, found %s", wg_cvalty_kind_name(a),
                  wg_cvalty_kind_name(b));
    return false;
  }
  if (bp && !b->defined) {
    if (ap) return prim_eq(a->prim, b->prim, msg);
    wg_cv_msg_set(msg, "expected %s, found %s", wg_cvalty_kind_name(a),
                  wg_cvalty_kind_name(b));
    return false;
  }
  if (ap && !bp) {
    wg_cv_msg_set(msg, "expected primitive, found %s", wg_cvalty_kind_name(b));
    return false;
  }
  bool same_kind = a->kind == b->kind ||
                   ((a->kind == WG_CT_OWN || a->kind == WG_CT_BORROW) &&
                    (b->kind == WG_CT_OWN || b->kind == WG_CT_BORROW));
  if (!same_kind) {
    wg_cv_msg_set(msg, "expected %s, found %s", wg_cvalty_kind_name(a),
                  wg_cvalty_kind_name(b));
    return false;
  }
  if (a->kind != b->kind) { /* own against borrow */
    wg_cv_msg_set(msg, "expected %s, found %s", wg_cvalty_kind_name(a),
                  wg_cvalty_kind_name(b));
    return false;
  }
  return match_defined(m, a, b, msg);
}

bool wg_cmatch_func(WgCMatch *m, const WgCFuncTy *a, const WgCFuncTy *b,
                    WgCvMsg *msg) {
  if (a == b) return true;
  if (a->is_async != b->is_async) {
    wg_cv_msg_set(msg, "expected %s function, found %s function",
                  a->is_async ? "async" : "sync",
                  b->is_async ? "async" : "sync");
    return false;
  }
  if (a->param_count != b->param_count) {
    wg_cv_msg_set(msg, "expected %u parameters, found %u", a->param_count,
                  b->param_count);
    return false;
  }
  for (uint32_t i = 0; i < a->param_count; i++) {
    WgStr an = a->param_names[i], bn = b->param_names[i];
    if (!wg_str_eq(an, bn)) {
      wg_cv_msg_set(msg, "expected parameter named `%.*s`, found `%.*s`",
                    (int)an.len, an.ptr, (int)bn.len, bn.ptr);
      return false;
    }
    if (!wg_cmatch_val(m, a->params[i], b->params[i], msg)) {
      wg_cv_msg_context(msg, "type mismatch in function parameter `%.*s`",
                        (int)an.len, an.ptr);
      return false;
    }
  }
  if (a->result && b->result) {
    if (wg_cmatch_val(m, a->result, b->result, msg)) return true;
    wg_cv_msg_context(msg, "type mismatch with result type");
    return false;
  }
  /* the reference validator's wording, which speaks of the found type */
  if (b->result)
    wg_cv_msg_set(msg, "expected a result, found none");
  else if (a->result)
    wg_cv_msg_set(msg, "expected no result, found one");
  return !a->result && !b->result;
}

static bool match_instance(WgCMatch *m, const WgCInstanceTy *a,
                           const WgCInstanceTy *b, WgCvMsg *msg) {
  if (a == b) return true;
  for (uint32_t i = 0; i < a->export_count; i++) {
    const WgCItem *want = &a->exports[i];
    const WgCItem *got = wg_cinstance_export(b, want->name.name);
    if (!got) {
      wg_cv_msg_set(msg, "missing expected export `%.*s`",
                    (int)want->name.name.len, want->name.name.ptr);
      return false;
    }
    if (!wg_cmatch_extern(m, &want->type, &got->type, msg)) {
      wg_cv_msg_context(msg, "type mismatch in instance export `%.*s`",
                        (int)want->name.name.len, want->name.name.ptr);
      return false;
    }
  }
  return true;
}

/* `found` can stand where `expected` is asked for when, for any resources
 * its user supplies, it works: the found component's abstract (imported)
 * resources are bound to the expected type's by the imports, checked
 * contravariantly, and its exports are then compared under that binding. */
static bool match_component(WgCMatch *outer, const WgCComponentTy *a,
                            const WgCComponentTy *b, WgCvMsg *msg) {
  if (a == b) return true;
  WgCSubst vars = { 0 };
  WgCMatch inner = { outer->types, &vars, b->abstracts, b->abstract_count };
  if (outer->vars) {
    /* the outer match's bindings and variables hold inside too */
    uint32_t n = outer->var_count + b->abstract_count;
    const WgCResource **set =
        n ? wg_cv_alloc(outer->types, n * sizeof *set) : NULL;
    if (n && !set) return wg_cv_msg_set(msg, "out of memory"), false;
    for (uint32_t i = 0; i < outer->var_count; i++)
      set[i] = outer->var_set[i];
    for (uint32_t i = 0; i < b->abstract_count; i++)
      set[outer->var_count + i] = b->abstracts[i];
    for (uint32_t i = 0; i < outer->vars->count; i++)
      if (!wg_csubst_add(outer->types, &vars, outer->vars->from[i],
                         outer->vars->to[i]))
        return wg_cv_msg_set(msg, "out of memory"), false;
    inner.var_set = set;
    inner.var_count = n;
  }
  WgCMatch *m = &inner;
  /* imports contravariantly: what the found component imports, the
   * expected type must import too */
  for (uint32_t i = 0; i < b->import_count; i++) {
    const WgCItem *got = &b->imports[i];
    const WgCItem *want = wg_ccomponent_item(a, got->name.name, true);
    if (!want) {
      wg_cv_msg_set(msg, "missing expected import `%.*s`",
                    (int)got->name.name.len, got->name.name.ptr);
      return false;
    }
    if (!wg_cmatch_extern(m, &got->type, &want->type, msg)) {
      wg_cv_msg_context(msg, "type mismatch in import `%.*s`",
                        (int)got->name.name.len, got->name.name.ptr);
      return false;
    }
  }
  for (uint32_t i = 0; i < a->export_count; i++) {
    const WgCItem *want = &a->exports[i];
    const WgCItem *got = wg_ccomponent_item(b, want->name.name, false);
    if (!got) {
      wg_cv_msg_set(msg, "missing expected export `%.*s`",
                    (int)want->name.name.len, want->name.name.ptr);
      return false;
    }
    if (!wg_cmatch_extern(m, &want->type, &got->type, msg)) {
      wg_cv_msg_context(msg, "type mismatch in export `%.*s`",
                        (int)want->name.name.len, want->name.name.ptr);
      return false;
    }
  }
  return true;
}

static const char *tyref_kind(const WgCTypeRef *r) {
  switch (r->kind) {
    case WG_CTY_RESOURCE:
      return "resource";
    case WG_CTY_FUNC:
      return "func type";
    case WG_CTY_COMPONENT:
      return "component type";
    case WG_CTY_INSTANCE:
      return "instance type";
    default:
      return "defined type";
  }
}

static bool match_typeref(WgCMatch *m, const WgCTypeRef *a, const WgCTypeRef *b,
                          WgCvMsg *msg) {
  if (a->kind != b->kind) {
    wg_cv_msg_set(msg, "expected %s, found %s", tyref_kind(a), tyref_kind(b));
    return false;
  }
  switch (a->kind) {
    case WG_CTY_RESOURCE:
      return match_resource(m, a->of.resource, b->of.resource, msg);
    case WG_CTY_VALUE:
      return wg_cmatch_val(m, a->of.value, b->of.value, msg);
    case WG_CTY_FUNC:
      return wg_cmatch_func(m, a->of.func, b->of.func, msg);
    case WG_CTY_INSTANCE:
      return match_instance(m, a->of.instance, b->of.instance, msg);
    case WG_CTY_COMPONENT:
      return match_component(m, a->of.component, b->of.component, msg);
  }
  return false;
}

bool wg_cmatch_extern(WgCMatch *m, const WgCExternTy *a, const WgCExternTy *b,
                      WgCvMsg *msg) {
  if (a->sort != b->sort) {
    wg_cv_msg_set(msg, "expected %s, found %s", wg_csort_name(a->sort),
                  wg_csort_name(b->sort));
    return false;
  }
  switch (a->sort) {
    case WG_CSORT_CORE:
      return wg_cmatch_core_module(a->of.module, b->of.module, msg);
    case WG_CSORT_FUNC:
      return wg_cmatch_func(m, a->of.func, b->of.func, msg);
    case WG_CSORT_VALUE:
      return wg_cmatch_val(m, a->of.value, b->of.value, msg);
    case WG_CSORT_TYPE:
      return match_typeref(m, &a->of.type, &b->of.type, msg);
    case WG_CSORT_INSTANCE:
      return match_instance(m, a->of.instance, b->of.instance, msg);
    case WG_CSORT_COMPONENT:
      return match_component(m, a->of.component, b->of.component, msg);
  }
  return false;
}

/* ---- core ---- */

static const char *core_kind(WgExternKind k) {
  switch (k) {
    case WG_EXTERN_FUNC:
      return "func";
    case WG_EXTERN_TABLE:
      return "table";
    case WG_EXTERN_MEMORY:
      return "memory";
    case WG_EXTERN_GLOBAL:
      return "global";
    default:
      return "tag";
  }
}

static const char *core_valtype(WgValType t) {
  switch (t) {
    case WG_VT_I32:
      return "i32";
    case WG_VT_I64:
      return "i64";
    case WG_VT_F32:
      return "f32";
    case WG_VT_F64:
      return "f64";
    case WG_VT_V128:
      return "v128";
    case WG_VT_FUNCREF:
      return "funcref";
    case WG_VT_EXTERNREF:
      return "externref";
  }
  return "?";
}

bool wg_cv_functype_eq(const WgFuncType *a, const WgFuncType *b) {
  if (a == b) return true;
  if (a->param_count != b->param_count || a->result_count != b->result_count)
    return false;
  uint32_t n = a->param_count + a->result_count;
  return n == 0 || memcmp(a->types, b->types, n * sizeof *a->types) == 0;
}

void wg_cv_functype_text(const WgFuncType *f, char *out, size_t cap) {
  size_t n = (size_t)snprintf(out, cap, "(func");
  for (int part = 0; part < 2 && n < cap; part++) {
    uint32_t count = part ? f->result_count : f->param_count;
    const WgValType *ts = part ? WG_FUNCTYPE_RESULTS(f) : WG_FUNCTYPE_PARAMS(f);
    if (!count) continue;
    n += (size_t)snprintf(out + n, cap - n, " (%s", part ? "result" : "param");
    for (uint32_t i = 0; i < count && n < cap; i++)
      n += (size_t)snprintf(out + n, cap - n, " %s", core_valtype(ts[i]));
    if (n < cap) n += (size_t)snprintf(out + n, cap - n, ")");
  }
  if (n < cap) snprintf(out + n, cap - n, ")");
}

/* Limits of a found item fit those expected: at least the minimum, and a
 * maximum no larger than the expected one when that has a maximum. */
static bool limits_fit(const WgLimits *want, const WgLimits *got) {
  if (got->min < want->min) return false;
  if (want->has_max && (!got->has_max || got->max > want->max)) return false;
  return true;
}

bool wg_cmatch_core_item(const WgCoreItem *a, const WgCoreItem *b,
                         WgCvMsg *msg) {
  if (a->kind != b->kind) {
    wg_cv_msg_set(msg, "expected %s, found %s", core_kind(a->kind),
                  core_kind(b->kind));
    return false;
  }
  switch (a->kind) {
    case WG_EXTERN_FUNC:
      if (wg_cv_functype_eq(a->of.func, b->of.func)) return true;
      char want[256], got[256];
      wg_cv_functype_text(a->of.func, want, sizeof want);
      wg_cv_functype_text(b->of.func, got, sizeof got);
      wg_cv_msg_set(msg, "type mismatch: expected: %s, found: %s", want, got);
      return false;
    case WG_EXTERN_GLOBAL:
      if (a->of.global.type != b->of.global.type) {
        wg_cv_msg_set(msg, "expected global type %s, found %s",
                      core_valtype(a->of.global.type),
                      core_valtype(b->of.global.type));
        return false;
      }
      if (a->of.global.mutable_ != b->of.global.mutable_) {
        wg_cv_msg_set(msg, "global types differ in mutability");
        return false;
      }
      return true;
    case WG_EXTERN_TABLE:
      if (a->of.table.elem != b->of.table.elem) {
        wg_cv_msg_set(msg, "expected table element type %s, found %s",
                      core_valtype(a->of.table.elem),
                      core_valtype(b->of.table.elem));
        return false;
      }
      if (!limits_fit(&a->of.table.limits, &b->of.table.limits)) {
        wg_cv_msg_set(msg, "mismatch in table limits");
        return false;
      }
      return true;
    case WG_EXTERN_MEMORY:
      if (a->of.memory.limits.shared != b->of.memory.limits.shared) {
        wg_cv_msg_set(msg, "mismatch in the shared flag for memories");
        return false;
      }
      if (a->of.memory.limits.is_64 != b->of.memory.limits.is_64) {
        wg_cv_msg_set(msg, "mismatch in index type used for memories");
        return false;
      }
      if (!limits_fit(&a->of.memory.limits, &b->of.memory.limits)) {
        wg_cv_msg_set(msg, "mismatch in memory limits");
        return false;
      }
      return true;
    default:
      wg_cv_msg_set(msg, "tags are not supported");
      return false;
  }
}

static const WgCoreItem *core_find(const WgCoreItem *items, uint32_t n,
                                   WgStr module, WgStr name) {
  for (uint32_t i = 0; i < n; i++)
    if (wg_str_eq(items[i].module, module) && wg_str_eq(items[i].name, name))
      return &items[i];
  return NULL;
}

bool wg_cmatch_core_module(const WgCoreModuleTy *a, const WgCoreModuleTy *b,
                           WgCvMsg *msg) {
  if (a == b) return true;
  /* the found module may import less (each of its imports is one the
   * expected type provides) and export more */
  for (uint32_t i = 0; i < b->import_count; i++) {
    const WgCoreItem *got = &b->imports[i];
    const WgCoreItem *want =
        core_find(a->imports, a->import_count, got->module, got->name);
    if (!want) {
      wg_cv_msg_set(msg, "missing expected import `%.*s::%.*s`",
                    (int)got->module.len, got->module.ptr, (int)got->name.len,
                    got->name.ptr);
      return false;
    }
    if (!wg_cmatch_core_item(got, want, msg)) {
      wg_cv_msg_context(msg, "type mismatch in import `%.*s::%.*s`",
                        (int)got->module.len, got->module.ptr,
                        (int)got->name.len, got->name.ptr);
      return false;
    }
  }
  for (uint32_t i = 0; i < a->export_count; i++) {
    const WgCoreItem *want = &a->exports[i];
    const WgCoreItem *got =
        core_find(b->exports, b->export_count, want->module, want->name);
    if (!got) {
      wg_cv_msg_set(msg, "missing expected export `%.*s`", (int)want->name.len,
                    want->name.ptr);
      return false;
    }
    if (!wg_cmatch_core_item(want, got, msg)) {
      wg_cv_msg_context(msg, "type mismatch in export `%.*s`",
                        (int)want->name.len, want->name.ptr);
      return false;
    }
  }
  return true;
}
