/* SPDX-License-Identifier: Apache-2.0 */
/* Component validation (Explainer.md, Binary.md): a component's definitions
 * read in order into its index spaces; component instantiation checked
 * import by import with resource substitution; imports and exports checked
 * for names and for the external visibility of the types they mention. */
#include <stdio.h>
#include <string.h>

#include "cvalidate.h"

/* ---- external visibility (Explainer.md "External visibility") ----
 * An import or export may mention only types that have a name outside the
 * component: every record, variant, enum and flags type and every resource
 * it refers to must be one that an import (for imports), or an import or
 * export (for exports), of this component names, directly or as an export
 * of an instance it imports or exports. Inside an instance or component
 * type, that type's own exports name types too. */

typedef struct Named {
  const void **items;
  uint32_t count, cap;
  WgCTypes *t;
} Named;

static bool named_has(const Named *n, const void *p) {
  for (uint32_t i = 0; i < n->count; i++)
    if (n->items[i] == p) return true;
  return false;
}

static bool named_add(Named *n, const void *p) {
  if (!p || named_has(n, p)) return true;
  return WG_CV_PUSH(n->t, n->items, n->count, n->cap, p);
}

/* Adds the names `items` give: their types, and the exports of instances
 * among them. */
static bool name_items(Named *n, const WgCItem *items, uint32_t count,
                       int depth) {
  if (depth > WG_CV_MAX_DEPTH) return true;
  for (uint32_t i = 0; i < count; i++) {
    const WgCExternTy *e = &items[i].type;
    if (e->sort == WG_CSORT_TYPE) {
      const WgCTypeRef *r = &e->of.type;
      if (r->kind == WG_CTY_VALUE && !named_add(n, r->of.value)) return false;
      if (r->kind == WG_CTY_RESOURCE && !named_add(n, r->of.resource))
        return false;
    } else if (e->sort == WG_CSORT_INSTANCE &&
               !name_items(n, e->of.instance->exports,
                           e->of.instance->export_count, depth + 1)) {
      return false;
    }
  }
  return true;
}

static bool visible_val(Named *n, const WgCValTy *v, bool top, int depth) {
  if (!v || depth > WG_CV_MAX_DEPTH) return true;
  switch (v->kind) {
    case WG_CT_RECORD:
    case WG_CT_VARIANT:
    case WG_CT_ENUM:
    case WG_CT_FLAGS:
      if (!top && !named_has(n, v)) return false;
      break;
    case WG_CT_OWN:
    case WG_CT_BORROW:
      return named_has(n, v->resource);
    default:
      break;
  }
  uint32_t k = v->kind == WG_CT_RECORD || v->kind == WG_CT_VARIANT ||
                       v->kind == WG_CT_TUPLE
                   ? v->count
               : v->kind == WG_CT_RESULT || v->kind == WG_CT_MAP ? 2
               : v->elems                                        ? 1
                                                                 : 0;
  for (uint32_t i = 0; i < k; i++)
    if (!visible_val(n, v->elems[i], false, depth + 1)) return false;
  return true;
}

static bool visible_func(Named *n, const WgCFuncTy *f) {
  for (uint32_t i = 0; i < f->param_count; i++)
    if (!visible_val(n, f->params[i], false, 0)) return false;
  return visible_val(n, f->result, false, 0);
}

static bool visible_extern(Named *n, const WgCExternTy *e, int depth);

/* Items of an instance or component type: their own names count. */
static bool visible_items(Named *n, const WgCItem *items, uint32_t count,
                          int depth) {
  uint32_t mark = n->count;
  bool ok = name_items(n, items, count, depth);
  for (uint32_t i = 0; ok && i < count; i++)
    ok = visible_extern(n, &items[i].type, depth + 1);
  n->count = mark;
  return ok;
}

static bool visible_extern(Named *n, const WgCExternTy *e, int depth) {
  if (depth > WG_CV_MAX_DEPTH) return true;
  WgCTypeRef r = { 0 };
  switch (e->sort) {
    case WG_CSORT_FUNC:
      return visible_func(n, e->of.func);
    case WG_CSORT_VALUE:
      return visible_val(n, e->of.value, false, 0);
    case WG_CSORT_INSTANCE:
      return visible_items(n, e->of.instance->exports,
                           e->of.instance->export_count, depth);
    case WG_CSORT_COMPONENT:
      r.kind = WG_CTY_COMPONENT;
      r.of.component = e->of.component;
      break;
    case WG_CSORT_TYPE:
      r = e->of.type;
      break;
    default:
      return true;
  }
  switch (r.kind) {
    case WG_CTY_VALUE:
      return visible_val(n, r.of.value, true, 0);
    case WG_CTY_FUNC:
      return visible_func(n, r.of.func);
    case WG_CTY_INSTANCE:
      return visible_items(n, r.of.instance->exports,
                           r.of.instance->export_count, depth);
    case WG_CTY_COMPONENT: {
      uint32_t mark = n->count;
      const WgCComponentTy *c = r.of.component;
      bool ok = name_items(n, c->imports, c->import_count, depth) &&
                visible_items(n, c->imports, c->import_count, depth) &&
                visible_items(n, c->exports, c->export_count, depth);
      n->count = mark;
      return ok;
    }
    default:
      return true;
  }
}

bool wg_cv_check_visible(WgCTypes *t, const Scope *s, const WgCExternTy *e,
                         bool is_import) {
  Named n = { .t = t };
  if (!name_items(&n, s->imports, s->import_count, 0) ||
      (!is_import && !name_items(&n, s->exports, s->export_count, 0)))
    return false;
  /* an import of a type names it; an export of a type too */
  if (e->sort == WG_CSORT_TYPE) {
    if (e->of.type.kind == WG_CTY_VALUE && !named_add(&n, e->of.type.of.value))
      return false;
    if (e->of.type.kind == WG_CTY_RESOURCE &&
        !named_add(&n, e->of.type.of.resource))
      return false;
  }
  if (visible_extern(&n, e, 0)) return true;
  return wg_cv_fail(t, "%s not valid to be used as %s", wg_csort_name(e->sort),
                    is_import ? "import" : "export");
}

/* ---- items by sort and index ---- */

static bool item_at(WgCTypes *t, const Scope *s, uint8_t sort,
                    uint8_t core_sort, uint32_t index, WgCExternTy *out) {
  memset(out, 0, sizeof *out);
  out->sort = sort;
  switch (sort) {
    case WG_CSORT_CORE:
      if (core_sort != WG_CCORE_MODULE)
        return wg_cv_fail(t, "only core modules may be exported or passed to "
                             "components");
      if (index >= s->core_modules.count)
        return wg_cv_fail(t, "module index out of bounds");
      out->of.module = s->core_modules.items[index].type;
      return true;
    case WG_CSORT_FUNC:
      if (index >= s->funcs.count)
        return wg_cv_fail(t, "function index out of bounds");
      out->of.func = s->funcs.items[index];
      return true;
    case WG_CSORT_VALUE:
      if (index >= s->values.count)
        return wg_cv_fail(t, "value index out of bounds");
      out->of.value = s->values.items[index];
      return true;
    case WG_CSORT_TYPE:
      return wg_cv_type_at(t, s, index, &out->of.type);
    case WG_CSORT_COMPONENT:
      if (index >= s->components.count)
        return wg_cv_fail(t, "component index out of bounds");
      out->of.component = s->components.items[index].type;
      return true;
    case WG_CSORT_INSTANCE:
      if (index >= s->instances.count)
        return wg_cv_fail(t, "instance index out of bounds");
      out->of.instance = s->instances.items[index];
      return true;
  }
  return wg_cv_fail(t, "invalid sort 0x%02x", sort);
}

/* ---- component instances ---- */

/* The imported value types of a component being instantiated become the
 * arguments' (so what the instance exports refers to the types it was
 * given): a type import directly, or the types an imported instance
 * exports. */
static bool bind_values(WgCTypes *t, WgCSubst *s, const WgCExternTy *want,
                        const WgCExternTy *got, int depth) {
  if (depth > WG_CV_MAX_DEPTH) return true;
  if (want->sort == WG_CSORT_TYPE && want->of.type.kind == WG_CTY_VALUE &&
      got->of.type.kind == WG_CTY_VALUE)
    return wg_csubst_add_val(t, s, want->of.type.of.value,
                             got->of.type.of.value);
  if (want->sort == WG_CSORT_INSTANCE) {
    const WgCInstanceTy *wi = want->of.instance, *gi = got->of.instance;
    for (uint32_t i = 0; i < wi->export_count; i++) {
      const WgCItem *g = wg_cinstance_export(gi, wi->exports[i].name.name);
      if (g && !bind_values(t, s, &wi->exports[i].type, &g->type, depth + 1))
        return false;
    }
  }
  return true;
}

static bool instantiate(WgCTypes *t, Scope *s, const WgCInstance *in) {
  if (in->target >= s->components.count)
    return wg_cv_fail(t, "unknown component %u: component index out of bounds",
                      in->target);
  const WgCComponentTy *ct = s->components.items[in->target].type;
  WgCExternTy *args =
      in->arg_count ? wg_cv_alloc(t, in->arg_count * sizeof *args) : NULL;
  if (in->arg_count && !args) return false;
  for (uint32_t i = 0; i < in->arg_count; i++) {
    const WgCInstantiateArg *a = &in->args[i];
    for (uint32_t j = 0; j < i; j++)
      if (wg_str_eq(in->args[j].name, a->name))
        return wg_cv_fail(t,
                          "instantiation argument `%.*s` conflicts with "
                          "previous argument `%.*s`",
                          (int)a->name.len, a->name.ptr,
                          (int)in->args[j].name.len, in->args[j].name.ptr);
    if (!item_at(t, s, a->sort, a->core_sort, a->index, &args[i])) return false;
  }
  /* each import in order, binding the component's abstract resources to
   * what the arguments provide */
  WgCSubst vars = { 0 };
  WgCMatch m = { t, &vars, ct->abstracts, ct->abstract_count };
  for (uint32_t i = 0; i < ct->import_count; i++) {
    const WgCItem *im = &ct->imports[i];
    const WgCExternTy *arg = NULL;
    for (uint32_t k = 0; k < in->arg_count && !arg; k++)
      if (wg_str_eq(in->args[k].name, im->name.name)) arg = &args[k];
    if (!arg)
      return wg_cv_fail(t, "missing import named `%.*s`",
                        (int)im->name.name.len, im->name.name.ptr);
    WgCvMsg msg;
    if (!wg_cmatch_extern(&m, &im->type, arg, &msg)) {
      if (t->failed) return false;
      wg_cv_msg_context(&msg,
                        "type mismatch for component instantiation argument "
                        "`%.*s`",
                        (int)im->name.name.len, im->name.name.ptr);
      return wg_cv_fail(t, "%s", msg.text);
    }
    if (!bind_values(t, &vars, &im->type, arg, 0)) return false;
  }
  /* the resources the component defines are new with every instance */
  for (uint32_t i = 0; i < ct->fresh_count; i++) {
    const WgCResource *old = ct->fresh[i];
    WgCResource *r = wg_ctypes_resource(t, old->name, old->def, old->owner);
    if (!r || !wg_csubst_add(t, &vars, old, r)) return false;
  }
  WgCInstanceTy exports = { ct->export_count, ct->exports, 0, NULL, NULL };
  const WgCInstanceTy *it = wg_csubst_instance(t, &vars, &exports);
  if (!it) return false;
  if (it == &exports) { /* nothing substituted: keep a copy of the struct */
    WgCInstanceTy *copy = wg_cv_alloc(t, sizeof *copy);
    if (!copy) return false;
    *copy = exports;
    it = copy;
  }
  return WG_CV_ADD(t, s->instances, it, s->def);
}

/* `(instance (export "a" (func $f)) ...)`: a bag of exports. */
static bool bag(WgCTypes *t, Scope *s, const WgCInstance *in) {
  Scope *tmp = wg_cv_scope_new(t, s, SCOPE_INSTANCE_TYPE);
  if (!tmp) return false;
  for (uint32_t i = 0; i < in->arg_count; i++) {
    const WgCInstantiateArg *a = &in->args[i];
    WgCExternTy ty;
    if (!item_at(t, s, a->sort, a->core_sort, a->index, &ty)) return false;
    if (!wg_cv_check_name(t, tmp, &in->export_names[i], &ty, false, s))
      return false;
    WgCItem item = { in->export_names[i], ty };
    if (!WG_CV_PUSH(t, tmp->exports, tmp->export_count, tmp->export_cap, item))
      return false;
  }
  WgCInstanceTy *it = wg_cv_alloc(t, sizeof *it);
  if (!it) return false;
  it->export_count = tmp->export_count;
  it->exports = tmp->exports;
  const WgCInstanceTy *cit = it;
  return WG_CV_ADD(t, s->instances, cit, s->def);
}

bool wg_cv_instance(WgCTypes *t, Scope *s, const WgCInstance *in) {
  return in->instantiate ? instantiate(t, s, in) : bag(t, s, in);
}

/* ---- imports and exports ---- */

static bool import_def(WgCTypes *t, Scope *s, const WgCDef *d) {
  const WgCName *name = &d->u.extern_.name;
  WgCExternTy ty;
  return wg_cv_extern_type(t, s, &d->u.extern_.type, name->name, true, &ty) &&
         wg_cv_check_visible(t, s, &ty, true) &&
         wg_cv_check_name(t, s, name, &ty, true, NULL) &&
         wg_cv_add_extern(t, s, name, &ty, true);
}

static bool export_def(WgCTypes *t, Scope *s, const WgCDef *d) {
  const WgCName *name = &d->u.extern_.name;
  WgCExternTy ty;
  if (!item_at(t, s, d->u.extern_.sort, d->u.extern_.core_sort,
               d->u.extern_.index, &ty))
    return false;
  if (ty.sort == WG_CSORT_TYPE &&
      !wg_cv_named_typeref(t, name->name, &ty.of.type))
    return false;
  if (d->u.extern_.has_type) {
    WgCExternTy asc;
    if (!wg_cv_extern_type(t, s, &d->u.extern_.type, name->name, false, &asc))
      return false;
    WgCMatch m = { t, NULL, NULL, 0 };
    WgCvMsg msg;
    if (!wg_cmatch_extern(&m, &asc, &ty, &msg)) {
      wg_cv_msg_context(&msg, "ascribed type of export is not compatible with "
                              "item's type");
      return wg_cv_fail(t, "%s", msg.text);
    }
    ty = asc;
  }
  return wg_cv_check_visible(t, s, &ty, false) &&
         wg_cv_check_name(t, s, name, &ty, false, NULL) &&
         wg_cv_add_extern(t, s, name, &ty, false);
}

/* ---- components ---- */

bool wg_cv_component(WgCTypes *t, Scope *parent, const WgComponent *c,
                     uint32_t depth, const WgCScope **out) {
  Scope *s = wg_cv_scope_new(t, parent, SCOPE_COMPONENT);
  if (!s) return false;
  s->pub.component = c;
  (void)depth;
  for (uint32_t i = 0; i < c->def_count && !t->failed; i++) {
    const WgCDef *d = &c->defs[i];
    s->def = i;
    t->offset = d->offset;
    switch (d->kind) {
      case WG_CDEF_CUSTOM:
        break;
      case WG_CDEF_CORE_MODULE:
        wg_cv_core_module(t, s, d->u.module.bytes, d->u.module.len);
        break;
      case WG_CDEF_CORE_INSTANCE:
        wg_cv_core_instance(t, s, &d->u.instance);
        break;
      case WG_CDEF_CORE_TYPE:
        wg_cv_core_type(t, s, d->u.core_type.bytes, d->u.core_type.len);
        break;
      case WG_CDEF_COMPONENT: {
        const WgCScope *inner;
        if (wg_cv_component(t, s, d->u.component, depth + 1, &inner)) {
          WgCComponentEntry e = { inner->type, d->u.component, inner };
          WG_CV_ADD(t, s->components, e, i);
        }
        break;
      }
      case WG_CDEF_INSTANCE:
        wg_cv_instance(t, s, &d->u.instance);
        break;
      case WG_CDEF_ALIAS:
        wg_cv_alias(t, s, &d->u.alias);
        break;
      case WG_CDEF_TYPE: {
        WgCTypeRef r;
        if (wg_cv_deftype(t, s, d->u.type, &r)) WG_CV_ADD(t, s->types, r, i);
        break;
      }
      case WG_CDEF_CANON:
        wg_cv_canon(t, s, &d->u.canon);
        break;
      case WG_CDEF_START:
        wg_cv_fail_status(t, WG_ERR_UNSUPPORTED,
                          "start definitions are not supported yet");
        break;
      case WG_CDEF_IMPORT:
        import_def(t, s, d);
        break;
      case WG_CDEF_EXPORT:
        export_def(t, s, d);
        break;
    }
  }
  if (t->failed) return false;
  wg_cv_scope_finish(t, s);
  s->pub.type = wg_cv_component_type(t, s);
  if (!s->pub.type) return false;
  *out = &s->pub;
  return true;
}

WgStatus wg_component_validate(WgCTypes *t, const WgComponent *c,
                               const WgCValidateOptions *options,
                               const WgCScope **out, WgDiagList *diags) {
  *out = NULL;
  t->diags = diags;
  t->failed = false;
  t->status = WG_OK;
  t->offset = 0;
  t->options = options ? *options : (WgCValidateOptions){ 0 };
  bool ok = wg_cv_component(t, NULL, c, 0, out);
  t->diags = NULL;
  if (!ok) {
    *out = NULL;
    return t->failed ? t->status : WG_ERR_INVALID;
  }
  return WG_OK;
}
