/* SPDX-License-Identifier: Apache-2.0 */
/* The core parts of a component: core types (function and module types,
 * Binary.md `core:type`), core modules (decoded and validated by the core
 * validator; their import and export types kept) and core instances
 * (instantiations checked import by import, and bags of exports). */
#include <stdio.h>
#include <string.h>

#include "cformat.h"
#include "cvalidate.h"
#include "leb128.h"

const WgFuncType *wg_cv_core_functype(WgCTypes *t, const WgValType *params,
                                      uint32_t np, const WgValType *results,
                                      uint32_t nr) {
  WgFuncType *f = wg_cv_alloc(t, sizeof *f);
  WgValType *ts = wg_cv_alloc(t, (np + nr) * sizeof *ts);
  if (!f || !ts) return NULL;
  if (np) memcpy(ts, params, np * sizeof *ts);
  if (nr) memcpy(ts + np, results, nr * sizeof *ts);
  f->param_count = np;
  f->result_count = nr;
  f->types = ts;
  return f;
}

/* ---- core types from bytes ---- */

typedef struct Bytes {
  const uint8_t *p, *end;
} Bytes;

static bool byte(WgCTypes *t, Bytes *b, uint8_t *out) {
  if (b->p >= b->end) return wg_cv_fail(t, "unexpected end of core type");
  *out = *b->p++;
  return true;
}

static bool u32(WgCTypes *t, Bytes *b, uint32_t *out) {
  if (!wg_leb_u32(&b->p, b->end, out))
    return wg_cv_fail(t, "malformed core type");
  return true;
}

static bool name(WgCTypes *t, Bytes *b, WgStr *out) {
  uint32_t n;
  if (!u32(t, b, &n)) return false;
  if (n > (size_t)(b->end - b->p)) return wg_cv_fail(t, "malformed name");
  *out = (WgStr){ (const char *)b->p, n };
  b->p += n;
  return true;
}

static bool valtype(WgCTypes *t, Bytes *b, WgValType *out) {
  uint8_t v;
  if (!byte(t, b, &v)) return false;
  switch (v) {
    case WG_VT_I32:
    case WG_VT_I64:
    case WG_VT_F32:
    case WG_VT_F64:
    case WG_VT_V128:
    case WG_VT_FUNCREF:
    case WG_VT_EXTERNREF:
      *out = (WgValType)v;
      return true;
    default:
      return wg_cv_fail(t, "invalid core value type 0x%02x", v);
  }
}

static const WgFuncType *functype(WgCTypes *t, Bytes *b) {
  WgValType types[2][64];
  uint32_t counts[2];
  WgValType *heap[2] = { types[0], types[1] };
  for (int part = 0; part < 2; part++) {
    if (!u32(t, b, &counts[part])) return NULL;
    if (counts[part] > (size_t)(b->end - b->p)) {
      wg_cv_fail(t, "malformed core function type");
      return NULL;
    }
    if (counts[part] > 64) {
      heap[part] = wg_cv_alloc(t, counts[part] * sizeof(WgValType));
      if (!heap[part]) return NULL;
    }
    for (uint32_t i = 0; i < counts[part]; i++)
      if (!valtype(t, b, &heap[part][i])) return NULL;
  }
  return wg_cv_core_functype(t, heap[0], counts[0], heap[1], counts[1]);
}

static bool limits(WgCTypes *t, Bytes *b, WgLimits *out) {
  uint8_t flags;
  uint32_t v;
  memset(out, 0, sizeof *out);
  if (!byte(t, b, &flags)) return false;
  if (flags > 3) return wg_cv_fail(t, "invalid limits flags");
  out->shared = flags & 2;
  if (!u32(t, b, &v)) return false;
  out->min = v;
  if (flags & 1) {
    if (!u32(t, b, &v)) return false;
    out->max = v;
    out->has_max = true;
  }
  return true;
}

/* An import or export description of a module type. */
static bool import_desc(WgCTypes *t, const WgCoreTypeRef *types,
                        uint32_t ntypes, Bytes *b, WgCoreItem *out) {
  uint8_t kind, v;
  uint32_t idx;
  if (!byte(t, b, &kind)) return false;
  out->kind = (WgExternKind)kind;
  switch (kind) {
    case WG_EXTERN_FUNC:
      if (!u32(t, b, &idx)) return false;
      if (idx >= ntypes) return wg_cv_fail(t, "type index out of bounds");
      if (types[idx].is_module)
        return wg_cv_fail(t, "type index %u is not a function type", idx);
      out->of.func = types[idx].of.func;
      return true;
    case WG_EXTERN_TABLE:
      if (!byte(t, b, &v)) return false;
      if (v != WG_VT_FUNCREF && v != WG_VT_EXTERNREF)
        return wg_cv_fail(t, "invalid table element type");
      out->of.table.elem = (WgValType)v;
      return limits(t, b, &out->of.table.limits);
    case WG_EXTERN_MEMORY:
      if (!limits(t, b, &out->of.memory.limits)) return false;
      if (out->of.memory.limits.min > 65536 ||
          (out->of.memory.limits.has_max && out->of.memory.limits.max > 65536))
        return wg_cv_fail(t, "memory size must be at most 65536 pages (4GiB)");
      return true;
    case WG_EXTERN_GLOBAL: {
      uint8_t mut;
      if (!valtype(t, b, &out->of.global.type) || !byte(t, b, &mut))
        return false;
      if (mut > 1) return wg_cv_fail(t, "malformed mutability");
      out->of.global.mutable_ = mut == 1;
      return true;
    }
    default:
      return wg_cv_fail(t, "unsupported core extern kind 0x%02x", kind);
  }
}

/* Core imports are unique by (module, name): a component mangles them to
 * one level. */
static bool unique_import(WgCTypes *t, const WgCoreItem *items, uint32_t n,
                          const WgCoreItem *item) {
  for (uint32_t k = 0; k < n; k++)
    if (wg_str_eq(items[k].module, item->module) &&
        wg_str_eq(items[k].name, item->name))
      return wg_cv_fail(t, "duplicate import name `%.*s:%.*s`",
                        (int)item->module.len, item->module.ptr,
                        (int)item->name.len, item->name.ptr);
  return true;
}

static const WgCoreModuleTy *moduletype(WgCTypes *t, Scope *s, Bytes *b) {
  uint32_t n;
  if (!u32(t, b, &n)) return NULL;
  WgCoreTypeRef *types = NULL;
  WgCoreItem *imports = NULL, *exports = NULL;
  uint32_t ntypes = 0, ctypes = 0, nim = 0, cim = 0, nex = 0, cex = 0;
  for (uint32_t i = 0; i < n && !t->failed; i++) {
    uint8_t tag;
    if (!byte(t, b, &tag)) return NULL;
    WgCoreItem item = { 0 };
    switch (tag) {
      case WG_CMDECL_IMPORT:
        if (!name(t, b, &item.module) || !name(t, b, &item.name) ||
            !import_desc(t, types, ntypes, b, &item) ||
            !unique_import(t, imports, nim, &item) ||
            !WG_CV_PUSH(t, imports, nim, cim, item))
          return NULL;
        break;
      case WG_CMDECL_TYPE: {
        uint8_t form;
        if (!byte(t, b, &form)) return NULL;
        if (form != WG_COP_CORE_FUNC) {
          wg_cv_fail(t, "module types may only define function types");
          return NULL;
        }
        WgCoreTypeRef r = { false, { .func = functype(t, b) } };
        if (!r.of.func || !WG_CV_PUSH(t, types, ntypes, ctypes, r)) return NULL;
        break;
      }
      case WG_CMDECL_ALIAS: { /* outer, of a core type */
        uint8_t sort, kind;
        uint32_t count, idx;
        if (!byte(t, b, &sort) || !byte(t, b, &kind) || !u32(t, b, &count) ||
            !u32(t, b, &idx))
          return NULL;
        if (sort != WG_CCORE_TYPE) {
          wg_cv_fail(t, "invalid leading byte (0x%x) for core alias sort",
                     sort);
          return NULL;
        }
        if (kind != WG_CALIAS_CORE_OUTER) {
          wg_cv_fail(t, "invalid leading byte (0x%x) for outer alias target",
                     kind);
          return NULL;
        }
        /* count 1 is the enclosing component scope */
        Scope *target = s;
        for (uint32_t k = 1; k < count && target; k++)
          target = target->parent;
        if (count == 0 || !target) {
          wg_cv_fail(t, "invalid outer alias count of %u", count);
          return NULL;
        }
        if (idx >= target->core_types.count) {
          wg_cv_fail(t, "type index out of bounds");
          return NULL;
        }
        if (!WG_CV_PUSH(t, types, ntypes, ctypes,
                        target->core_types.items[idx]))
          return NULL;
        break;
      }
      case WG_CMDECL_EXPORT:
        if (!name(t, b, &item.name) || !import_desc(t, types, ntypes, b, &item))
          return NULL;
        for (uint32_t k = 0; k < nex; k++)
          if (wg_str_eq(exports[k].name, item.name)) {
            wg_cv_fail(t, "export name `%.*s` already defined",
                       (int)item.name.len, item.name.ptr);
            return NULL;
          }
        if (!WG_CV_PUSH(t, exports, nex, cex, item)) return NULL;
        break;
      default:
        wg_cv_fail(t, "malformed module type declaration 0x%02x", tag);
        return NULL;
    }
  }
  WgCoreModuleTy *m = wg_cv_alloc(t, sizeof *m);
  if (!m) return NULL;
  m->import_count = nim;
  m->imports = imports;
  m->export_count = nex;
  m->exports = exports;
  return m;
}

bool wg_cv_core_type(WgCTypes *t, Scope *s, const uint8_t *bytes, size_t len) {
  Bytes b = { bytes, bytes + len };
  uint8_t form;
  if (!byte(t, &b, &form)) return false;
  WgCoreTypeRef r = { 0 };
  if (form == WG_COP_CORE_SUB_PREFIX) {
    /* a non-final subtype; without supertypes a function type is just
     * that type */
    uint8_t sub;
    uint32_t n;
    if (!byte(t, &b, &sub) || sub != WG_COP_CORE_SUB || !u32(t, &b, &n))
      return wg_cv_fail(t, "malformed core subtype");
    if (n)
      return wg_cv_fail(t, "core subtypes with supertypes need the GC "
                           "proposal, which is not supported");
    if (!byte(t, &b, &form) || form != WG_COP_CORE_FUNC)
      return wg_cv_fail(t, "only function types are supported as core "
                           "subtypes");
  }
  if (form == WG_COP_CORE_FUNC) {
    r.of.func = functype(t, &b);
    if (!r.of.func) return false;
  } else if (form == WG_COP_CORE_MODULE) {
    r.is_module = true;
    r.of.module = moduletype(t, s, &b);
    if (!r.of.module) return false;
  } else {
    return wg_cv_fail(t, "unsupported core type form 0x%02x", form);
  }
  return WG_CV_ADD(t, s->core_types, r, s->def);
}

/* ---- core modules ---- */

/* The type of a core module item, copied out of the decoded module. */
static bool module_item(WgCTypes *t, const WgModule *m, WgExternKind kind,
                        uint32_t index, const WgImport *im, WgCoreItem *out) {
  out->kind = kind;
  switch (kind) {
    case WG_EXTERN_FUNC: {
      uint32_t ti =
          im ? im->desc.func_type : wg_module_func_type_index(m, index);
      const WgFuncType *f = &m->types[ti];
      out->of.func =
          wg_cv_core_functype(t, WG_FUNCTYPE_PARAMS(f), f->param_count,
                              WG_FUNCTYPE_RESULTS(f), f->result_count);
      return out->of.func != NULL;
    }
    case WG_EXTERN_TABLE:
      out->of.table = im ? im->desc.table : *wg_module_table_type(m, index);
      return true;
    case WG_EXTERN_MEMORY:
      out->of.memory = im ? im->desc.memory : *wg_module_memory_type(m, index);
      return true;
    case WG_EXTERN_GLOBAL:
      out->of.global = im ? im->desc.global : *wg_module_global_type(m, index);
      return true;
    default:
      return wg_cv_fail(t, "core tags are not supported");
  }
}

/* Decodes and validates a core module; NULL after recording the error. */
static WgModule *load_module(WgCTypes *t, const uint8_t *bytes, size_t len) {
  WgModule *m = NULL;
  WgDiagList *diags = wg_diag_list_new();
  if (!diags) {
    wg_cv_nomem(t);
    return NULL;
  }
  WgStatus st = wg_module_decode(bytes, len, wg_allocator_default(),
                                 WG_FEATURES_ALL, &m, diags);
  if (st == WG_OK) st = wg_module_validate(m, diags);
  if (st == WG_OK) {
    wg_diag_list_delete(diags);
    return m;
  }
  wg_module_free(m);
  const WgDiag *d = wg_diag_list_get(diags, 0);
  if (d && d->has_offset) t->offset += d->offset;
  if (st == WG_ERR_NOMEM)
    wg_cv_nomem(t);
  else
    wg_cv_fail_status(t, st, "%s", wg_diag_list_first_error(diags));
  wg_diag_list_delete(diags);
  return NULL;
}

static WgStr keep_name(WgCTypes *t, WgStr s, bool *ok) {
  WgStr copy = wg_arena_strdup(&t->arena, s);
  if (s.len && !copy.ptr) *ok = wg_cv_nomem(t);
  return copy;
}

bool wg_cv_core_module(WgCTypes *t, Scope *s, const uint8_t *bytes,
                       size_t len) {
  WgModule *m = load_module(t, bytes, len);
  if (!m) return false;
  WgCoreModuleTy *mt = wg_cv_alloc(t, sizeof *mt);
  WgCoreItem *im =
      m->import_count ? wg_cv_alloc(t, m->import_count * sizeof *im) : NULL;
  WgCoreItem *ex =
      m->export_count ? wg_cv_alloc(t, m->export_count * sizeof *ex) : NULL;
  bool ok = mt && (!m->import_count || im) && (!m->export_count || ex);
  for (uint32_t i = 0; ok && i < m->import_count; i++) {
    const WgImport *in = &m->imports[i];
    for (uint32_t k = 0; ok && k < i; k++)
      if (wg_str_eq(m->imports[k].module, in->module) &&
          wg_str_eq(m->imports[k].name, in->name))
        ok = wg_cv_fail(t, "duplicate import name `%.*s:%.*s`",
                        (int)in->module.len, in->module.ptr, (int)in->name.len,
                        in->name.ptr);
    /* the module's names live in its own copy of the bytes: keep copies */
    im[i].module = keep_name(t, in->module, &ok);
    im[i].name = keep_name(t, in->name, &ok);
    ok = ok && module_item(t, m, in->kind, 0, in, &im[i]);
  }
  for (uint32_t i = 0; ok && i < m->export_count; i++) {
    ex[i].name = keep_name(t, m->exports[i].name, &ok);
    ok = ok && module_item(t, m, m->exports[i].kind, m->exports[i].index, NULL,
                           &ex[i]);
  }
  if (ok) {
    mt->import_count = m->import_count;
    mt->imports = im;
    mt->export_count = m->export_count;
    mt->exports = ex;
  }
  wg_module_free(m);
  if (!ok) return false;
  WgCoreModuleEntry e = { mt, bytes, len };
  return WG_CV_ADD(t, s->core_modules, e, s->def);
}

/* ---- core instances ---- */

static const WgCoreItem *instance_export(const WgCoreInstanceTy *in,
                                         WgStr name) {
  for (uint32_t i = 0; i < in->export_count; i++)
    if (wg_str_eq(in->exports[i].name, name)) return &in->exports[i];
  return NULL;
}

/* `(instance (instantiate M (with "name" (instance I))...))` */
static bool instantiate(WgCTypes *t, Scope *s, const WgCInstance *in) {
  if (in->target >= s->core_modules.count)
    return wg_cv_fail(t, "unknown module %u: module index out of bounds",
                      in->target);
  const WgCoreModuleTy *mt = s->core_modules.items[in->target].type;
  for (uint32_t i = 0; i < in->arg_count; i++) {
    const WgCInstantiateArg *a = &in->args[i];
    if (a->index >= s->core_instances.count)
      return wg_cv_fail(t, "core instance index out of bounds");
    for (uint32_t j = 0; j < i; j++)
      if (wg_str_eq(in->args[j].name, a->name))
        return wg_cv_fail(t,
                          "duplicate module instantiation argument named "
                          "`%.*s`",
                          (int)a->name.len, a->name.ptr);
  }
  for (uint32_t i = 0; i < mt->import_count; i++) {
    const WgCoreItem *want = &mt->imports[i];
    const WgCInstantiateArg *arg = NULL;
    for (uint32_t k = 0; k < in->arg_count && !arg; k++)
      if (wg_str_eq(in->args[k].name, want->module)) arg = &in->args[k];
    if (!arg)
      return wg_cv_fail(t, "missing module instantiation argument named `%.*s`",
                        (int)want->module.len, want->module.ptr);
    const WgCoreItem *got =
        instance_export(s->core_instances.items[arg->index], want->name);
    if (!got)
      return wg_cv_fail(t,
                        "module instantiation argument `%.*s` does not export "
                        "an item named `%.*s`",
                        (int)want->module.len, want->module.ptr,
                        (int)want->name.len, want->name.ptr);
    WgCvMsg msg;
    if (!wg_cmatch_core_item(want, got, &msg)) {
      wg_cv_msg_context(&msg,
                        "type mismatch for export `%.*s` of module "
                        "instantiation argument `%.*s`",
                        (int)want->name.len, want->name.ptr,
                        (int)want->module.len, want->module.ptr);
      return wg_cv_fail(t, "%s", msg.text);
    }
  }
  WgCoreInstanceTy *it = wg_cv_alloc(t, sizeof *it);
  if (!it) return false;
  it->export_count = mt->export_count;
  it->exports = mt->exports;
  const WgCoreInstanceTy *cit = it;
  return WG_CV_ADD(t, s->core_instances, cit, s->def);
}

/* `(instance (export "name" (func 3)) ...)` */
static bool bag(WgCTypes *t, Scope *s, const WgCInstance *in) {
  WgCoreItem *items =
      in->arg_count ? wg_cv_alloc(t, in->arg_count * sizeof *items) : NULL;
  if (in->arg_count && !items) return false;
  for (uint32_t i = 0; i < in->arg_count; i++) {
    const WgCInstantiateArg *a = &in->args[i];
    for (uint32_t j = 0; j < i; j++)
      if (wg_str_eq(in->args[j].name, a->name))
        return wg_cv_fail(t, "export name `%.*s` already defined",
                          (int)a->name.len, a->name.ptr);
    WgCoreItem *it = &items[i];
    it->name = a->name;
    switch (a->core_sort) {
      case WG_CCORE_FUNC:
        if (a->index >= s->core_funcs.count)
          return wg_cv_fail(t, "function index out of bounds");
        it->kind = WG_EXTERN_FUNC;
        it->of.func = s->core_funcs.items[a->index];
        break;
      case WG_CCORE_TABLE:
        if (a->index >= s->core_tables.count)
          return wg_cv_fail(t, "table index out of bounds");
        it->kind = WG_EXTERN_TABLE;
        it->of.table = s->core_tables.items[a->index];
        break;
      case WG_CCORE_MEMORY:
        if (a->index >= s->core_memories.count)
          return wg_cv_fail(t, "memory index out of bounds");
        it->kind = WG_EXTERN_MEMORY;
        it->of.memory = s->core_memories.items[a->index];
        break;
      case WG_CCORE_GLOBAL:
        if (a->index >= s->core_globals.count)
          return wg_cv_fail(t, "global index out of bounds");
        it->kind = WG_EXTERN_GLOBAL;
        it->of.global = s->core_globals.items[a->index];
        break;
      case WG_CCORE_TAG:
        if (a->index >= s->core_tag_count)
          return wg_cv_fail(t, "unknown tag %u: tag index out of bounds",
                            a->index);
        return wg_cv_fail(t, "core tags are not supported");
      default:
        return wg_cv_fail(t, "invalid core export sort");
    }
  }
  WgCoreInstanceTy *cit = wg_cv_alloc(t, sizeof *cit);
  if (!cit) return false;
  cit->export_count = in->arg_count;
  cit->exports = items;
  const WgCoreInstanceTy *c = cit;
  return WG_CV_ADD(t, s->core_instances, c, s->def);
}

bool wg_cv_core_instance(WgCTypes *t, Scope *s, const WgCInstance *in) {
  return in->instantiate ? instantiate(t, s, in) : bag(t, s, in);
}
