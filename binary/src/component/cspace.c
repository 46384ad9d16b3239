/* SPDX-License-Identifier: Apache-2.0 */
/* Resolution of component/instance type index spaces (see cspace.h). */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "witgen/component_types.h"

enum { MAX_ABI_DEPTH = 100 };

typedef struct Builder {
  WgArena *arena;
  uint32_t *next_resource;
  char *err;
} Builder;

/* Growable arrays in the arena (old storage is simply abandoned). */
static bool grow(Builder *b, void **items, uint32_t count, uint32_t *cap,
                 size_t size) {
  if (count < *cap) return true;
  uint32_t n = *cap ? *cap * 2 : 8;
  void *fresh = wg_arena_alloc(b->arena, n * size);
  if (!fresh) {
    snprintf(b->err, 160, "out of memory");
    return false;
  }
  if (count) memcpy(fresh, *items, count * size);
  *items = fresh;
  *cap = n;
  return true;
}

typedef struct Lists {
  uint32_t type_cap, instance_cap, func_cap, import_cap, export_cap;
} Lists;

static bool push_ref(Builder *b, WgCRef **items, uint32_t *count, uint32_t *cap,
                     WgCRef ref) {
  if (!grow(b, (void **)items, *count, cap, sizeof ref)) return false;
  (*items)[(*count)++] = ref;
  return true;
}

static bool push_extern(Builder *b, WgCExtern **items, uint32_t *count,
                        uint32_t *cap, WgCExtern ext) {
  if (!grow(b, (void **)items, *count, cap, sizeof ext)) return false;
  (*items)[(*count)++] = ext;
  return true;
}

static bool bad(Builder *b, const char *what, uint32_t index) {
  snprintf(b->err, 160, "%s %u out of range", what, index);
  return false;
}

static bool alias(Builder *b, WgCSpace *s, Lists *l, const WgCAlias *a) {
  if (a->kind == WG_CALIAS_OUTER) {
    const WgCSpace *target = s;
    for (uint32_t i = 0; i < a->instance; i++) {
      target = target ? target->parent : NULL;
    }
    if (!target) return bad(b, "outer alias count", a->instance);
    if (a->sort == WG_CSORT_CORE) return true; /* core types: not tracked */
    if (a->sort != WG_CSORT_TYPE) {
      snprintf(b->err, 160, "outer alias of a non-type sort");
      return false;
    }
    if (a->index >= target->type_count) return bad(b, "outer type", a->index);
    return push_ref(b, &s->types, &s->type_count, &l->type_cap,
                    target->types[a->index]);
  }
  if (a->kind == WG_CALIAS_CORE_EXPORT) return true;
  if (a->instance >= s->instance_count) return bad(b, "instance", a->instance);
  const WgCSpace *inst = s->instances[a->instance].inner;
  const WgCExtern *e = inst ? wg_cspace_export(inst, a->name) : NULL;
  if (!e) {
    snprintf(b->err, 160, "instance %u has no export \"%.*s\"", a->instance,
             (int)a->name.len, a->name.ptr);
    return false;
  }
  switch (a->sort) {
    case WG_CSORT_TYPE:
      return push_ref(b, &s->types, &s->type_count, &l->type_cap, e->type);
    case WG_CSORT_FUNC:
      return push_ref(b, &s->funcs, &s->func_count, &l->func_cap, e->type);
    case WG_CSORT_INSTANCE:
      return push_ref(b, &s->instances, &s->instance_count, &l->instance_cap,
                      e->type);
    default:
      return true;
  }
}

/* An import or export declarator: adds to the index space of its sort and
 * records the extern. */
static bool extern_decl(Builder *b, WgCSpace *s, Lists *l, WgStr name,
                        const WgCExternType *t, bool is_import) {
  WgCExtern ext = { name, t->kind, { 0 } };
  switch (t->kind) {
    case 0x03: /* type */
      if (t->bound == 0x01) {
        ext.type.resource = (*b->next_resource)++;
      } else {
        if (t->index >= s->type_count) return bad(b, "type", t->index);
        ext.type = s->types[t->index];
      }
      ext.type.name = name;
      if (!push_ref(b, &s->types, &s->type_count, &l->type_cap, ext.type)) {
        return false;
      }
      break;
    case 0x01: /* func */
    case 0x04: /* component */
    case 0x05: /* instance */
      if (t->index >= s->type_count) return bad(b, "type", t->index);
      ext.type = s->types[t->index];
      if (t->kind == 0x01 &&
          !push_ref(b, &s->funcs, &s->func_count, &l->func_cap, ext.type)) {
        return false;
      }
      if (t->kind == 0x05 && !push_ref(b, &s->instances, &s->instance_count,
                                       &l->instance_cap, ext.type)) {
        return false;
      }
      break;
    default: /* core modules and values: recorded only */
      break;
  }
  return is_import ? push_extern(b, &s->imports, &s->import_count,
                                 &l->import_cap, ext)
                   : push_extern(b, &s->exports, &s->export_count,
                                 &l->export_cap, ext);
}

WgCSpace *wg_cspace_build(WgArena *arena, const WgCType *type,
                          const WgCSpace *parent, uint32_t *next_resource,
                          char err[160]) {
  Builder b = { arena, next_resource, err };
  err[0] = '\0';
  if (type->kind != WG_CT_COMPONENT && type->kind != WG_CT_INSTANCE) {
    snprintf(err, 160, "not a component or instance type");
    return NULL;
  }
  WgCSpace *s = wg_arena_zalloc(arena, sizeof *s);
  if (!s) {
    snprintf(err, 160, "out of memory");
    return NULL;
  }
  s->parent = parent;
  s->is_component = type->kind == WG_CT_COMPONENT;
  Lists l = { 0 };
  for (uint32_t i = 0; i < type->u.decls.count; i++) {
    const WgCDecl *d = &type->u.decls.items[i];
    bool ok = true;
    switch (d->kind) {
      case WG_CDECL_CORE_TYPE:
        break;
      case WG_CDECL_TYPE: {
        WgCRef ref = { d->u.type, s, NULL, 0, { 0 } };
        if (d->u.type->kind == WG_CT_INSTANCE ||
            d->u.type->kind == WG_CT_COMPONENT) {
          /* resolve nested types eagerly; their outer aliases see `s` as it
           * is now, which is exactly what the binary format means */
          ref.inner = wg_cspace_build(arena, d->u.type, s, next_resource, err);
          if (!ref.inner) return NULL;
        }
        ok = push_ref(&b, &s->types, &s->type_count, &l.type_cap, ref);
        break;
      }
      case WG_CDECL_ALIAS:
        ok = alias(&b, s, &l, &d->u.alias);
        break;
      case WG_CDECL_IMPORT:
      case WG_CDECL_EXPORT:
        ok = extern_decl(&b, s, &l, d->u.extern_.name.name, &d->u.extern_.type,
                         d->kind == WG_CDECL_IMPORT);
        break;
    }
    if (!ok) return NULL;
  }
  return s;
}

const WgCExtern *wg_cspace_export(const WgCSpace *space, WgStr name) {
  for (uint32_t i = 0; i < space->export_count; i++) {
    if (wg_str_eq(space->exports[i].name, name)) return &space->exports[i];
  }
  return NULL;
}

const WgCRef *wg_cspace_type(const WgCSpace *space, WgCValType vt) {
  if (vt.prim || vt.index >= space->type_count) return NULL;
  return &space->types[vt.index];
}

static const WgAbiType *abi(WgArena *arena, const WgCSpace *space,
                            WgCValType vt, int depth);

static WgAbiType *abi_node(WgArena *arena, WgAbiKind kind, uint32_t count,
                           uint32_t children) {
  WgAbiType *t = wg_arena_zalloc(arena, sizeof *t);
  if (!t) return NULL;
  t->kind = kind;
  t->count = count;
  if (children) {
    const WgAbiType **kids = wg_arena_zalloc(arena, children * sizeof *kids);
    if (!kids) return NULL;
    t->children = kids;
  }
  return t;
}

static const WgAbiType *prim_abi(uint8_t prim) {
  static const WgAbiType prims[] = {
    { WG_ABI_BOOL, 0, NULL },   { WG_ABI_S8, 0, NULL },
    { WG_ABI_U8, 0, NULL },     { WG_ABI_S16, 0, NULL },
    { WG_ABI_U16, 0, NULL },    { WG_ABI_S32, 0, NULL },
    { WG_ABI_U32, 0, NULL },    { WG_ABI_S64, 0, NULL },
    { WG_ABI_U64, 0, NULL },    { WG_ABI_F32, 0, NULL },
    { WG_ABI_F64, 0, NULL },    { WG_ABI_CHAR, 0, NULL },
    { WG_ABI_STRING, 0, NULL }, { WG_ABI_ERROR_CONTEXT, 0, NULL },
  };
  if (prim == WG_CPRIM_ERROR_CONTEXT) return &prims[13];
  if (prim < WG_CPRIM_STRING || prim > WG_CPRIM_BOOL) return NULL;
  return &prims[WG_CPRIM_BOOL - prim];
}

/* Children of `t` from a list of (optional) value types. */
static bool abi_children(WgArena *arena, const WgCSpace *space, WgAbiType *t,
                         const WgCField *items, uint32_t count, int depth) {
  const WgAbiType **kids = (const WgAbiType **)t->children;
  for (uint32_t i = 0; i < count; i++) {
    if (!items[i].has_type) continue; /* variant case without payload */
    kids[i] = abi(arena, space, items[i].type, depth + 1);
    if (!kids[i]) return false;
  }
  return true;
}

static const WgAbiType *abi(WgArena *arena, const WgCSpace *space,
                            WgCValType vt, int depth) {
  if (depth > MAX_ABI_DEPTH) return NULL;
  if (vt.prim) return prim_abi(vt.prim);
  const WgCRef *ref = wg_cspace_type(space, vt);
  if (!ref || !ref->def) return NULL; /* resources are not value types */
  const WgCType *d = ref->def;
  const WgCSpace *s = ref->space;
  WgAbiType *t = NULL;
  switch (d->kind) {
    case WG_CT_PRIM:
      return prim_abi(d->u.prim);
    case WG_CT_RECORD:
    case WG_CT_TUPLE:
    case WG_CT_VARIANT: {
      WgAbiKind k = d->kind == WG_CT_RECORD  ? WG_ABI_RECORD
                    : d->kind == WG_CT_TUPLE ? WG_ABI_TUPLE
                                             : WG_ABI_VARIANT;
      uint32_t n = d->u.fields.count;
      if (n == 0) return NULL;
      t = abi_node(arena, k, n, n);
      if (!t || !abi_children(arena, s, t, d->u.fields.items, n, depth)) {
        return NULL;
      }
      return t;
    }
    case WG_CT_FLAGS:
    case WG_CT_ENUM:
      return abi_node(arena,
                      d->kind == WG_CT_FLAGS ? WG_ABI_FLAGS : WG_ABI_ENUM,
                      d->u.fields.count, 0);
    case WG_CT_LIST:
    case WG_CT_FIXED_LIST:
    case WG_CT_OPTION: {
      WgAbiKind k = d->kind == WG_CT_LIST         ? WG_ABI_LIST
                    : d->kind == WG_CT_FIXED_LIST ? WG_ABI_FIXED_LIST
                                                  : WG_ABI_OPTION;
      t = abi_node(arena, k, d->kind == WG_CT_FIXED_LIST ? d->u.list.len : 0,
                   1);
      if (!t) return NULL;
      const WgAbiType *elem = abi(arena, s, d->u.list.elem, depth + 1);
      if (!elem) return NULL;
      ((const WgAbiType **)t->children)[0] = elem;
      return t;
    }
    case WG_CT_RESULT: {
      t = abi_node(arena, WG_ABI_RESULT, 0, 2);
      if (!t) return NULL;
      const WgAbiType **kids = (const WgAbiType **)t->children;
      if (d->u.result.has_ok &&
          !(kids[0] = abi(arena, s, d->u.result.ok, depth + 1))) {
        return NULL;
      }
      if (d->u.result.has_err &&
          !(kids[1] = abi(arena, s, d->u.result.err, depth + 1))) {
        return NULL;
      }
      return t;
    }
    case WG_CT_OWN:
    case WG_CT_BORROW:
      return abi_node(arena, d->kind == WG_CT_OWN ? WG_ABI_OWN : WG_ABI_BORROW,
                      0, 0);
    case WG_CT_STREAM:
    case WG_CT_FUTURE: {
      t = abi_node(
          arena, d->kind == WG_CT_STREAM ? WG_ABI_STREAM : WG_ABI_FUTURE, 0, 1);
      if (!t) return NULL;
      if (d->u.async.has_elem) {
        const WgAbiType *elem = abi(arena, s, d->u.async.elem, depth + 1);
        if (!elem) return NULL;
        ((const WgAbiType **)t->children)[0] = elem;
      }
      return t;
    }
    case WG_CT_MAP: {
      t = abi_node(arena, WG_ABI_MAP, 0, 2);
      if (!t) return NULL;
      const WgAbiType **kids = (const WgAbiType **)t->children;
      if (!(kids[0] = abi(arena, s, d->u.map.key, depth + 1)) ||
          !(kids[1] = abi(arena, s, d->u.map.value, depth + 1))) {
        return NULL;
      }
      return t;
    }
    default:
      return NULL; /* functions, instances, components, resources */
  }
}

const WgAbiType *wg_cspace_abi(WgArena *arena, const WgCSpace *space,
                               WgCValType vt) {
  return abi(arena, space, vt, 0);
}

bool wg_cspace_flatten_func(WgArena *arena, const WgCSpace *space,
                            const WgCType *fn, WgAbiContext context,
                            WgAbiFuncSig *out) {
  if (fn->kind != WG_CT_FUNC) return false;
  uint32_t n = fn->u.func.param_count;
  const WgAbiType **params =
      n ? wg_arena_zalloc(arena, n * sizeof *params) : NULL;
  if (n && !params) return false;
  for (uint32_t i = 0; i < n; i++) {
    params[i] = wg_cspace_abi(arena, space, fn->u.func.params[i].type);
    if (!params[i]) return false;
  }
  const WgAbiType *result = NULL;
  if (fn->u.func.has_result) {
    result = wg_cspace_abi(arena, space, fn->u.func.result);
    if (!result) return false;
  }
  wg_abi_flatten_func(params, n, result, 4, context, out);
  return true;
}
