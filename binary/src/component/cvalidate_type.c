/* SPDX-License-Identifier: Apache-2.0 */
/* Type definitions (Binary.md `deftype`: defined value types, function,
 * component, instance and resource types), the declarators of component
 * and instance types, extern types of imports and exports, and aliases:
 * each resolved into the scope being read (cvalidate.h). */
#include <stdio.h>
#include <string.h>

#include "cvalidate.h"

/* ---- index lookups ---- */

bool wg_cv_type_at(WgCTypes *t, const Scope *s, uint32_t index,
                   WgCTypeRef *out) {
  if (index >= s->types.count) return wg_cv_fail(t, "type index out of bounds");
  *out = s->types.items[index];
  return true;
}

bool wg_cv_valtype(WgCTypes *t, const Scope *s, WgCValType vt,
                   const WgCValTy **out) {
  if (vt.prim) {
    *out = wg_ctypes_prim(t, vt.prim);
    if (*out) return true;
    return wg_cv_fail(t, "invalid primitive value type 0x%02x", vt.prim);
  }
  WgCTypeRef r;
  if (!wg_cv_type_at(t, s, vt.index, &r)) return false;
  if (r.kind != WG_CTY_VALUE)
    return wg_cv_fail(t, "type index %u is not a defined type", vt.index);
  *out = r.of.value;
  return true;
}

static bool resource_at(WgCTypes *t, const Scope *s, uint32_t index,
                        const WgCResource **out) {
  WgCTypeRef r;
  if (!wg_cv_type_at(t, s, index, &r)) return false;
  if (r.kind != WG_CTY_RESOURCE)
    return wg_cv_fail(t, "type index %u is not a resource type", index);
  *out = r.of.resource;
  return true;
}

/* ---- labels ---- */

/* Labels are compared without regard to case for conflicts (a-B and A-b
 * would give the same identifier in some languages). */
static bool same_ignoring_case(WgStr a, WgStr b) {
  if (a.len != b.len) return false;
  for (size_t i = 0; i < a.len; i++) {
    char x = a.ptr[i], y = b.ptr[i];
    if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

/* A list of labels: not empty, kebab case, no two alike. `what` names one
 * ("record field"), `others` the earlier one in a conflict ("field"). */
static bool check_labels(WgCTypes *t, const WgStr *labels, uint32_t n,
                         const char *what, const char *others) {
  for (uint32_t i = 0; i < n; i++) {
    WgStr l = labels[i];
    if (l.len == 0) return wg_cv_fail(t, "%s name cannot be empty", what);
    if (!wg_cv_kebab(l))
      return wg_cv_fail(t, "%s name `%.*s` is not in kebab case", what,
                        (int)l.len, l.ptr);
    for (uint32_t j = 0; j < i; j++)
      if (same_ignoring_case(l, labels[j]))
        return wg_cv_fail(t,
                          "%s name `%.*s` conflicts with previous %s name "
                          "`%.*s`",
                          what, (int)l.len, l.ptr, others, (int)labels[j].len,
                          labels[j].ptr);
  }
  return true;
}

/* ---- defined value types ---- */

static bool async_allowed(WgCTypes *t, const char *what) {
  if (!t->options.no_async) return true;
  return wg_cv_fail(t, "%s requires the component model async feature", what);
}

static bool value_type(WgCTypes *t, Scope *s, const WgCType *d,
                       WgCTypeRef *out) {
  uint32_t n = d->u.fields.count;
  WgCValTy *v = NULL;
  switch (d->kind) {
    case WG_CT_PRIM:
      if (d->u.prim == WG_CPRIM_ERROR_CONTEXT &&
          !async_allowed(t, "`error-context`"))
        return false;
      v = wg_ctypes_node(t, WG_CT_PRIM, 0, false, 0);
      if (!v) return false;
      v->prim = d->u.prim;
      break;
    case WG_CT_RECORD:
    case WG_CT_VARIANT:
    case WG_CT_TUPLE:
    case WG_CT_FLAGS:
    case WG_CT_ENUM: {
      bool labels = d->kind != WG_CT_TUPLE;
      bool elems = d->kind != WG_CT_FLAGS && d->kind != WG_CT_ENUM;
      if (n == 0) {
        static const char *const empty[] = {
          [WG_CT_RECORD] = "record type must have at least one field",
          [WG_CT_VARIANT] = "variant type must have at least one case",
          [WG_CT_TUPLE] = "tuple type must have at least one type",
          [WG_CT_FLAGS] = "flags must have at least one entry",
          [WG_CT_ENUM] = "enum type must have at least one variant",
        };
        return wg_cv_fail(t, "%s", empty[d->kind]);
      }
      if (d->kind == WG_CT_FLAGS && n > 32)
        return wg_cv_fail(t, "cannot have more than 32 flags");
      v = wg_ctypes_node(t, d->kind, n, labels, elems ? n : 0);
      if (!v) return false;
      for (uint32_t i = 0; i < n; i++) {
        const WgCField *f = &d->u.fields.items[i];
        if (labels) ((WgStr *)v->labels)[i] = f->label;
        if (elems && f->has_type &&
            !wg_cv_valtype(t, s, f->type, (const WgCValTy **)&v->elems[i]))
          return false;
      }
      if (d->kind == WG_CT_RECORD &&
          !check_labels(t, v->labels, n, "record field", "field"))
        return false;
      if (d->kind == WG_CT_VARIANT &&
          !check_labels(t, v->labels, n, "variant case", "case"))
        return false;
      if (d->kind == WG_CT_FLAGS &&
          !check_labels(t, v->labels, n, "flag", "flag"))
        return false;
      if (d->kind == WG_CT_ENUM &&
          !check_labels(t, v->labels, n, "enum tag", "tag"))
        return false;
      break;
    }
    case WG_CT_LIST:
    case WG_CT_OPTION:
    case WG_CT_FIXED_LIST:
      if (d->kind == WG_CT_FIXED_LIST && d->u.list.len == 0)
        return wg_cv_fail(t, "Fixed size lists must have more than zero "
                             "elements");
      v = wg_ctypes_node(t, d->kind, 0, false, 1);
      if (!v ||
          !wg_cv_valtype(t, s, d->u.list.elem, (const WgCValTy **)&v->elems[0]))
        return false;
      v->length = d->kind == WG_CT_FIXED_LIST ? d->u.list.len : 0;
      break;
    case WG_CT_RESULT:
      v = wg_ctypes_node(t, WG_CT_RESULT, 0, false, 2);
      if (!v) return false;
      if (d->u.result.has_ok &&
          !wg_cv_valtype(t, s, d->u.result.ok, (const WgCValTy **)&v->elems[0]))
        return false;
      if (d->u.result.has_err &&
          !wg_cv_valtype(t, s, d->u.result.err,
                         (const WgCValTy **)&v->elems[1]))
        return false;
      break;
    case WG_CT_OWN:
    case WG_CT_BORROW:
      v = wg_ctypes_node(t, d->kind, 0, false, 0);
      if (!v || !resource_at(t, s, d->u.resource, &v->resource)) return false;
      break;
    case WG_CT_STREAM:
    case WG_CT_FUTURE:
      if (!async_allowed(t, d->kind == WG_CT_STREAM ? "`stream`" : "`future`"))
        return false;
      v = wg_ctypes_node(t, d->kind, 0, false, 1);
      if (!v) return false;
      if (d->u.async.has_elem &&
          !wg_cv_valtype(t, s, d->u.async.elem,
                         (const WgCValTy **)&v->elems[0]))
        return false;
      if (d->kind == WG_CT_STREAM && v->elems[0] &&
          v->elems[0]->kind == WG_CT_PRIM && v->elems[0]->prim == WG_CPRIM_CHAR)
        return wg_cv_fail(t, "`stream<char>` is not valid; use `stream<u8>` "
                             "or `stream<string>`");
      break;
    case WG_CT_MAP:
      v = wg_ctypes_node(t, WG_CT_MAP, 0, false, 2);
      if (!v ||
          !wg_cv_valtype(t, s, d->u.map.key, (const WgCValTy **)&v->elems[0]) ||
          !wg_cv_valtype(t, s, d->u.map.value, (const WgCValTy **)&v->elems[1]))
        return false;
      break;
    default:
      return wg_cv_fail(t, "not a value type");
  }
  v->defined = true;
  wg_ctypes_seal(v);
  out->kind = WG_CTY_VALUE;
  out->of.value = v;
  return true;
}

static bool func_type(WgCTypes *t, Scope *s, const WgCType *d,
                      WgCTypeRef *out) {
  uint32_t n = d->u.func.param_count;
  WgCFuncTy *f = wg_cv_alloc(t, sizeof *f);
  WgStr *names = n ? wg_cv_alloc(t, n * sizeof *names) : NULL;
  const WgCValTy **params = n ? wg_cv_alloc(t, n * sizeof *params) : NULL;
  if (!f || (n && (!names || !params))) return false;
  f->is_async = d->u.func.is_async;
  if (f->is_async && !async_allowed(t, "an async function type")) return false;
  f->param_count = n;
  f->param_names = names;
  f->params = params;
  for (uint32_t i = 0; i < n; i++) {
    names[i] = d->u.func.params[i].label;
    if (!wg_cv_valtype(t, s, d->u.func.params[i].type, &params[i]))
      return false;
  }
  if (!check_labels(t, names, n, "function parameter", "parameter"))
    return false;
  if (d->u.func.has_result) {
    if (!wg_cv_valtype(t, s, d->u.func.result, &f->result)) return false;
    if (f->result->contains & WG_CVALTY_HAS_BORROW)
      return wg_cv_fail(t, "function result cannot contain a `borrow` type");
  }
  out->kind = WG_CTY_FUNC;
  out->of.func = f;
  return true;
}

/* ---- scopes ---- */

Scope *wg_cv_scope_new(WgCTypes *t, Scope *parent, ScopeKind kind) {
  Scope *s = wg_cv_alloc(t, sizeof *s);
  if (!s) return NULL;
  s->parent = parent;
  s->kind = kind;
  s->depth = parent ? parent->depth + 1 : 0;
  s->pub.parent = parent ? &parent->pub : NULL;
  if (s->depth > WG_CV_MAX_DEPTH) {
    wg_cv_fail_status(t, WG_ERR_LIMIT, "nesting deeper than %d levels",
                      WG_CV_MAX_DEPTH);
    return NULL;
  }
  return s;
}

void wg_cv_scope_finish(WgCTypes *t, Scope *s) {
  (void)t;
  WgCScope *p = &s->pub;
#define PUBLISH(field, space)        \
  p->field##_count = s->space.count; \
  p->field##s = s->space.items;
  PUBLISH(type, types)
  PUBLISH(func, funcs)
  PUBLISH(value, values)
  PUBLISH(instance, instances)
  PUBLISH(component, components)
  PUBLISH(core_type, core_types)
  PUBLISH(core_func, core_funcs)
  PUBLISH(core_table, core_tables)
  PUBLISH(core_global, core_globals)
  PUBLISH(core_module, core_modules)
  PUBLISH(core_instance, core_instances)
#undef PUBLISH
  p->core_memory_count = s->core_memories.count;
  p->core_memories = s->core_memories.items;
  p->type_origin = s->types.origin;
  p->func_origin = s->funcs.origin;
  p->instance_origin = s->instances.origin;
  p->component_origin = s->components.origin;
  p->core_func_origin = s->core_funcs.origin;
  p->core_memory_origin = s->core_memories.origin;
  p->core_table_origin = s->core_tables.origin;
  p->core_global_origin = s->core_globals.origin;
  p->core_module_origin = s->core_modules.origin;
  p->core_instance_origin = s->core_instances.origin;
}

const WgCComponentTy *wg_cv_component_type(WgCTypes *t, Scope *s) {
  WgCComponentTy *c = wg_cv_alloc(t, sizeof *c);
  if (!c) return NULL;
  c->import_count = s->import_count;
  c->imports = s->imports;
  c->export_count = s->export_count;
  c->exports = s->exports;
  c->abstract_count = s->abstract_count;
  c->abstracts = s->abstracts;
  c->fresh_count = s->fresh_count;
  c->fresh = s->fresh;
  c->decls = &s->pub;
  return c;
}

const WgCInstanceTy *wg_cv_instance_type(WgCTypes *t, Scope *s) {
  WgCInstanceTy *i = wg_cv_alloc(t, sizeof *i);
  if (!i) return NULL;
  i->export_count = s->export_count;
  i->exports = s->exports;
  i->fresh_count = s->fresh_count;
  i->fresh = s->fresh;
  i->decls = &s->pub;
  return i;
}

/* The declarators of a component or instance type, in a scope of their own
 * whose outer aliases see `s`. */
static bool decl_type(WgCTypes *t, Scope *s, const WgCType *d,
                      WgCTypeRef *out) {
  bool component = d->kind == WG_CT_COMPONENT;
  Scope *ts = wg_cv_scope_new(
      t, s, component ? SCOPE_COMPONENT_TYPE : SCOPE_INSTANCE_TYPE);
  if (!ts) return false;
  for (uint32_t i = 0; i < d->u.decls.count && !t->failed; i++) {
    const WgCDecl *decl = &d->u.decls.items[i];
    ts->def = i;
    switch (decl->kind) {
      case WG_CDECL_CORE_TYPE:
        wg_cv_core_type(t, ts, decl->u.core_type.bytes, decl->u.core_type.len);
        break;
      case WG_CDECL_TYPE: {
        WgCTypeRef r;
        if (wg_cv_deftype(t, ts, decl->u.type, &r))
          WG_CV_ADD(t, ts->types, r, i);
        break;
      }
      case WG_CDECL_ALIAS:
        wg_cv_alias(t, ts, &decl->u.alias);
        break;
      case WG_CDECL_IMPORT:
      case WG_CDECL_EXPORT: {
        bool is_import = decl->kind == WG_CDECL_IMPORT;
        const WgCName *name = &decl->u.extern_.name;
        WgCExternTy ty;
        if (wg_cv_extern_type(t, ts, &decl->u.extern_.type, name->name,
                              is_import, &ty) &&
            /* component types check visibility at once; instance types
             * when an import or export uses them */
            (!component || wg_cv_check_visible(t, ts, &ty, is_import)) &&
            wg_cv_check_name(t, ts, name, &ty, is_import, NULL))
          wg_cv_add_extern(t, ts, name, &ty, is_import);
        break;
      }
    }
  }
  if (t->failed) return false;
  wg_cv_scope_finish(t, ts);
  if (component) {
    out->kind = WG_CTY_COMPONENT;
    out->of.component = wg_cv_component_type(t, ts);
    return out->of.component != NULL;
  }
  out->kind = WG_CTY_INSTANCE;
  out->of.instance = wg_cv_instance_type(t, ts);
  return out->of.instance != NULL;
}

bool wg_cv_deftype(WgCTypes *t, Scope *s, const WgCType *d, WgCTypeRef *out) {
  switch (d->kind) {
    case WG_CT_FUNC:
      return func_type(t, s, d, out);
    case WG_CT_COMPONENT:
    case WG_CT_INSTANCE:
      return decl_type(t, s, d, out);
    case WG_CT_RESOURCE: {
      if (s->kind != SCOPE_COMPONENT)
        return wg_cv_fail(t, "resources can only be defined within a "
                             "concrete component");
      if (d->u.resource_def.has_dtor) {
        uint32_t f = d->u.resource_def.dtor;
        if (f >= s->core_funcs.count)
          return wg_cv_fail(t, "function index out of bounds");
        const WgFuncType *ft = s->core_funcs.items[f];
        if (ft->param_count != 1 || ft->result_count != 0 ||
            ft->types[0] != WG_VT_I32)
          return wg_cv_fail(t, "wrong signature for a destructor");
      }
      WgCResource *r = wg_ctypes_resource(t, (WgStr){ 0 }, d, &s->pub);
      if (!r) return false;
      const WgCResource *cr = r;
      if (!WG_CV_PUSH(t, s->fresh, s->fresh_count, s->fresh_cap, cr))
        return false;
      out->kind = WG_CTY_RESOURCE;
      out->of.resource = r;
      return true;
    }
    default:
      return value_type(t, s, d, out);
  }
}

/* ---- imports and exports ---- */

/* The type an import or export gets: a named copy of a value type, an
 * alias of a resource; other kinds as they are. */
bool wg_cv_named_typeref(WgCTypes *t, WgStr name, WgCTypeRef *r) {
  if (r->kind == WG_CTY_VALUE) {
    const WgCValTy *v = r->of.value;
    uint32_t ne = 0;
    switch (v->kind) {
      case WG_CT_RECORD:
      case WG_CT_VARIANT:
      case WG_CT_TUPLE:
        ne = v->count;
        break;
      case WG_CT_LIST:
      case WG_CT_FIXED_LIST:
      case WG_CT_OPTION:
      case WG_CT_STREAM:
      case WG_CT_FUTURE:
        ne = 1;
        break;
      case WG_CT_RESULT:
      case WG_CT_MAP:
        ne = 2;
        break;
      default:
        break;
    }
    WgCValTy *c = wg_ctypes_node(t, v->kind, v->count, false, ne);
    if (!c) return false;
    c->prim = v->prim;
    c->length = v->length;
    c->labels = v->labels;
    c->resource = v->resource;
    if (ne) memcpy((void *)c->elems, v->elems, ne * sizeof *v->elems);
    c->defined = true;
    c->named = true;
    c->alias_of = v;
    c->name = name;
    wg_ctypes_seal(c);
    r->of.value = c;
  } else if (r->kind == WG_CTY_RESOURCE) {
    WgCResource *a = wg_ctypes_resource(t, name, NULL, NULL);
    if (!a) return false;
    a->alias_of = r->of.resource;
    a->def = wg_cresource_canon(r->of.resource)->def;
    a->owner = wg_cresource_canon(r->of.resource)->owner;
    r->of.resource = a;
  }
  return true;
}

/* Gives the `(sub resource)` exports of an instance type new identities
 * wherever an import or export is of that type: abstract in the importing
 * scope, fresh (quantified) in the exporting one. */
static const WgCInstanceTy *
own_instance(WgCTypes *t, Scope *s, const WgCInstanceTy *it, bool is_import) {
  if (!it->fresh_count) return it;
  WgCSubst sub = { 0 };
  for (uint32_t i = 0; i < it->fresh_count; i++) {
    const WgCResource *old = it->fresh[i];
    WgCResource *r = wg_ctypes_resource(t, old->name, NULL, NULL);
    if (!r || !wg_csubst_add(t, &sub, old, r)) return NULL;
    const WgCResource *cr = r;
    if (is_import ? !WG_CV_PUSH(t, s->abstracts, s->abstract_count,
                                s->abstract_cap, cr)
                  : !WG_CV_PUSH(t, s->fresh, s->fresh_count, s->fresh_cap, cr))
      return NULL;
  }
  const WgCInstanceTy *n = wg_csubst_instance(t, &sub, it);
  if (!n) return NULL;
  WgCInstanceTy *copy = wg_cv_alloc(t, sizeof *copy);
  if (!copy) return NULL;
  *copy = *n;
  copy->fresh_count = 0;
  copy->fresh = NULL;
  return copy;
}

bool wg_cv_extern_type(WgCTypes *t, Scope *s, const WgCExternType *et,
                       WgStr name, bool is_import, WgCExternTy *out) {
  memset(out, 0, sizeof *out);
  WgCTypeRef r;
  switch (et->kind) {
    case WG_CSORT_CORE: /* core module */
      out->sort = WG_CSORT_CORE;
      if (et->index >= s->core_types.count)
        return wg_cv_fail(t, "core type index out of bounds");
      if (!s->core_types.items[et->index].is_module)
        return wg_cv_fail(t, "core type index %u is not a module type",
                          et->index);
      out->of.module = s->core_types.items[et->index].of.module;
      return true;
    case WG_CSORT_FUNC:
      out->sort = WG_CSORT_FUNC;
      if (!wg_cv_type_at(t, s, et->index, &r)) return false;
      if (r.kind != WG_CTY_FUNC)
        return wg_cv_fail(t, "type index %u is not a function type", et->index);
      out->of.func = r.of.func;
      return true;
    case WG_CSORT_VALUE:
      out->sort = WG_CSORT_VALUE;
      if (et->bound == WG_CBOUND_EQ) {
        if (et->index >= s->values.count)
          return wg_cv_fail(t, "value index out of bounds");
        out->of.value = s->values.items[et->index];
        return true;
      }
      return wg_cv_valtype(t, s, et->value_type, &out->of.value);
    case WG_CSORT_TYPE:
      out->sort = WG_CSORT_TYPE;
      if (et->bound == WG_CBOUND_SUB_RESOURCE) { /* a new abstract resource */
        WgCResource *res = wg_ctypes_resource(t, name, NULL, NULL);
        if (!res) return false;
        const WgCResource *cr = res;
        if (is_import) {
          if (!WG_CV_PUSH(t, s->abstracts, s->abstract_count, s->abstract_cap,
                          cr))
            return false;
        } else if (!WG_CV_PUSH(t, s->fresh, s->fresh_count, s->fresh_cap, cr)) {
          return false;
        }
        out->of.type.kind = WG_CTY_RESOURCE;
        out->of.type.of.resource = res;
        return true;
      }
      if (!wg_cv_type_at(t, s, et->index, &out->of.type)) return false;
      return wg_cv_named_typeref(t, name, &out->of.type);
    case WG_CSORT_COMPONENT:
      out->sort = WG_CSORT_COMPONENT;
      if (!wg_cv_type_at(t, s, et->index, &r)) return false;
      if (r.kind != WG_CTY_COMPONENT)
        return wg_cv_fail(t, "type index %u is not a component type",
                          et->index);
      out->of.component = r.of.component;
      return true;
    case WG_CSORT_INSTANCE:
      out->sort = WG_CSORT_INSTANCE;
      if (!wg_cv_type_at(t, s, et->index, &r)) return false;
      if (r.kind != WG_CTY_INSTANCE)
        return wg_cv_fail(t, "type index %u is not an instance type",
                          et->index);
      out->of.instance = own_instance(t, s, r.of.instance, is_import);
      return out->of.instance != NULL;
    default:
      return wg_cv_fail(t, "invalid extern type 0x%02x", et->kind);
  }
}

bool wg_cv_add_extern(WgCTypes *t, Scope *s, const WgCName *name,
                      const WgCExternTy *ty, bool is_import) {
  WgCItem item = { *name, *ty };
  bool ok =
      is_import
          ? WG_CV_PUSH(t, s->imports, s->import_count, s->import_cap, item)
          : WG_CV_PUSH(t, s->exports, s->export_count, s->export_cap, item);
  if (!ok) return false;
  switch (ty->sort) {
    case WG_CSORT_CORE: {
      WgCoreModuleEntry e = { ty->of.module, NULL, 0 };
      return WG_CV_ADD(t, s->core_modules, e, s->def);
    }
    case WG_CSORT_FUNC:
      return WG_CV_ADD(t, s->funcs, ty->of.func, s->def);
    case WG_CSORT_VALUE:
      return WG_CV_ADD(t, s->values, ty->of.value, s->def);
    case WG_CSORT_TYPE:
      return WG_CV_ADD(t, s->types, ty->of.type, s->def);
    case WG_CSORT_COMPONENT: {
      WgCComponentEntry e = { ty->of.component, NULL, NULL };
      return WG_CV_ADD(t, s->components, e, s->def);
    }
    case WG_CSORT_INSTANCE:
      return WG_CV_ADD(t, s->instances, ty->of.instance, s->def);
  }
  return true;
}

/* ---- aliases ---- */

/* True when `r` mentions a resource anywhere (own, borrow, resource types,
 * inside function, instance and component types too). */
static bool refers_to_resources(const WgCTypeRef *r, int depth);

static bool items_refer(const WgCItem *items, uint32_t n, int depth) {
  for (uint32_t i = 0; i < n; i++) {
    const WgCExternTy *e = &items[i].type;
    WgCTypeRef r = { 0 };
    switch (e->sort) {
      case WG_CSORT_FUNC:
        r.kind = WG_CTY_FUNC;
        r.of.func = e->of.func;
        break;
      case WG_CSORT_VALUE:
        r.kind = WG_CTY_VALUE;
        r.of.value = e->of.value;
        break;
      case WG_CSORT_TYPE:
        r = e->of.type;
        break;
      case WG_CSORT_INSTANCE:
        r.kind = WG_CTY_INSTANCE;
        r.of.instance = e->of.instance;
        break;
      case WG_CSORT_COMPONENT:
        r.kind = WG_CTY_COMPONENT;
        r.of.component = e->of.component;
        break;
      default:
        continue;
    }
    if (refers_to_resources(&r, depth + 1)) return true;
  }
  return false;
}

static bool refers_to_resources(const WgCTypeRef *r, int depth) {
  if (depth > WG_CV_MAX_DEPTH) return true;
  const uint8_t res = WG_CVALTY_HAS_OWN | WG_CVALTY_HAS_BORROW;
  switch (r->kind) {
    case WG_CTY_RESOURCE:
      return true;
    case WG_CTY_VALUE:
      return (r->of.value->contains & res) != 0;
    case WG_CTY_FUNC: {
      const WgCFuncTy *f = r->of.func;
      for (uint32_t i = 0; i < f->param_count; i++)
        if (f->params[i]->contains & res) return true;
      return f->result && (f->result->contains & res);
    }
    case WG_CTY_INSTANCE:
      return items_refer(r->of.instance->exports, r->of.instance->export_count,
                         depth);
    case WG_CTY_COMPONENT:
      return items_refer(r->of.component->imports,
                         r->of.component->import_count, depth) ||
             items_refer(r->of.component->exports,
                         r->of.component->export_count, depth);
  }
  return false;
}

static bool outer_alias(WgCTypes *t, Scope *s, const WgCAlias *a) {
  if (s->kind != SCOPE_COMPONENT &&
      !(a->sort == WG_CSORT_TYPE ||
        (a->sort == WG_CSORT_CORE && a->core_sort == WG_CCORE_TYPE)))
    return wg_cv_fail(t, "outer aliases in types may only refer to types or "
                         "instances");
  Scope *target = s;
  bool crosses_component = false;
  for (uint32_t i = 0; i < a->instance; i++) {
    if (target->kind == SCOPE_COMPONENT) crosses_component = true;
    target = target->parent;
    if (!target)
      return wg_cv_fail(t, "invalid outer alias count of %u", a->instance);
  }
  if (a->sort == WG_CSORT_CORE) {
    if (a->core_sort == WG_CCORE_TYPE) {
      if (a->index >= target->core_types.count)
        return wg_cv_fail(t, "core type index out of bounds");
      return WG_CV_ADD(t, s->core_types, target->core_types.items[a->index],
                       s->def);
    }
    if (a->core_sort == WG_CCORE_MODULE) {
      if (a->index >= target->core_modules.count)
        return wg_cv_fail(t, "module index out of bounds");
      WgCoreModuleEntry e = target->core_modules.items[a->index];
      return WG_CV_ADD(t, s->core_modules, e, s->def);
    }
    return wg_cv_fail(t, "outer item is not a module, type, or component");
  }
  if (a->sort == WG_CSORT_COMPONENT) {
    if (a->index >= target->components.count)
      return wg_cv_fail(t, "component index out of bounds");
    WgCComponentEntry e = target->components.items[a->index];
    return WG_CV_ADD(t, s->components, e, s->def);
  }
  if (a->sort != WG_CSORT_TYPE)
    return wg_cv_fail(t, "outer item is not a module, type, or component");
  WgCTypeRef r;
  if (!wg_cv_type_at(t, target, a->index, &r)) return false;
  if (crosses_component && refers_to_resources(&r, 0))
    return wg_cv_fail(t, "canonical type references an outer type that "
                         "transitively refers to resources");
  return WG_CV_ADD(t, s->types, r, s->def);
}

static bool core_export_alias(WgCTypes *t, Scope *s, const WgCAlias *a) {
  if (a->instance >= s->core_instances.count)
    return wg_cv_fail(t, "core instance index out of bounds");
  const WgCoreInstanceTy *in = s->core_instances.items[a->instance];
  const WgCoreItem *e = NULL;
  for (uint32_t i = 0; i < in->export_count && !e; i++)
    if (wg_str_eq(in->exports[i].name, a->name)) e = &in->exports[i];
  if (!e)
    return wg_cv_fail(t, "core instance %u has no export named `%.*s`",
                      a->instance, (int)a->name.len, a->name.ptr);
  static const char *const kinds[] = { "func", "table", "memory", "global",
                                       "tag" };
  if ((unsigned)e->kind != a->core_sort)
    return wg_cv_fail(t, "export `%.*s` for core instance %u is not a %s",
                      (int)a->name.len, a->name.ptr, a->instance,
                      a->core_sort <= 4 ? kinds[a->core_sort] : "core item");
  switch (e->kind) {
    case WG_EXTERN_FUNC:
      return WG_CV_ADD(t, s->core_funcs, e->of.func, s->def);
    case WG_EXTERN_TABLE:
      return WG_CV_ADD(t, s->core_tables, e->of.table, s->def);
    case WG_EXTERN_MEMORY:
      return WG_CV_ADD(t, s->core_memories, e->of.memory, s->def);
    case WG_EXTERN_GLOBAL:
      return WG_CV_ADD(t, s->core_globals, e->of.global, s->def);
    default:
      s->core_tag_count++;
      return true;
  }
}

static bool export_alias(WgCTypes *t, Scope *s, const WgCAlias *a) {
  if (s->kind != SCOPE_COMPONENT && a->sort != WG_CSORT_TYPE &&
      a->sort != WG_CSORT_INSTANCE)
    return wg_cv_fail(t, "aliases in types may only refer to types or "
                         "instances");
  if (a->instance >= s->instances.count)
    return wg_cv_fail(t, "instance index out of bounds");
  const WgCItem *e =
      wg_cinstance_export(s->instances.items[a->instance], a->name);
  if (!e)
    return wg_cv_fail(t, "instance %u has no export named `%.*s`", a->instance,
                      (int)a->name.len, a->name.ptr);
  uint8_t sort = a->sort == WG_CSORT_CORE ? WG_CSORT_CORE : a->sort;
  if (e->type.sort != sort)
    return wg_cv_fail(t, "export `%.*s` for instance %u is not a %s",
                      (int)a->name.len, a->name.ptr, a->instance,
                      wg_csort_name(sort));
  /* the alias adds to the space only: no import or export */
  switch (sort) {
    case WG_CSORT_CORE: {
      WgCoreModuleEntry m = { e->type.of.module, NULL, 0 };
      return WG_CV_ADD(t, s->core_modules, m, s->def);
    }
    case WG_CSORT_FUNC:
      return WG_CV_ADD(t, s->funcs, e->type.of.func, s->def);
    case WG_CSORT_VALUE:
      return WG_CV_ADD(t, s->values, e->type.of.value, s->def);
    case WG_CSORT_TYPE:
      return WG_CV_ADD(t, s->types, e->type.of.type, s->def);
    case WG_CSORT_INSTANCE:
      return WG_CV_ADD(t, s->instances, e->type.of.instance, s->def);
    case WG_CSORT_COMPONENT: {
      WgCComponentEntry c = { e->type.of.component, NULL, NULL };
      return WG_CV_ADD(t, s->components, c, s->def);
    }
  }
  return wg_cv_fail(t, "invalid alias sort");
}

bool wg_cv_alias(WgCTypes *t, Scope *s, const WgCAlias *a) {
  switch (a->kind) {
    case WG_CALIAS_OUTER:
      return outer_alias(t, s, a);
    case WG_CALIAS_CORE_EXPORT:
      return core_export_alias(t, s, a);
    default:
      return export_alias(t, s, a);
  }
}
