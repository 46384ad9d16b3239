/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen new`: wraps a core module into a component (Explainer.md,
 * Binary.md, CanonicalABI.md of the component model).
 *
 * The world's component type comes from the module's `component-type:*`
 * section. The component is laid out as:
 *
 *   1. the world's import declarators, copied as definitions (type
 *      definitions, aliases and imports number alike in a component type
 *      and in a component, so indices stay as they are);
 *   2. a shim module whose functions call through a table: the main module
 *      imports them in place of the lowered imports, because `canon lower`
 *      needs the main module's memory and realloc, which exist only once
 *      the main module is instantiated; then the main module, instantiated
 *      with one core instance per import module; then the real lowered
 *      functions, stored into the shim's table by a fixup module (whose
 *      start function also calls `_initialize`);
 *   3. the world's export declarators: types copied with their indices
 *      remapped, functions lifted from the module's exports (with memory,
 *      realloc and `cabi_post_*`), exported interfaces built as instances of
 *      lifted functions and types, exported with the world's instance type
 *      as their type.
 *
 * Core names: both wit-component's legacy scheme (`$root`, `iface#f`,
 * `cabi_post_…`, `memory`, `cabi_realloc`, `[resource-drop]r`) and the
 * `cm32p2` scheme (`cm32p2|iface`, `cm32p2|iface|f`, `…_post`,
 * `cm32p2_memory`, `r_drop`). Exported resources are defined by the
 * component before the main module is instantiated (destructors reach the
 * main module through the shim table), and interfaces exporting them are
 * instances of nested shim components (see wg_cnew_shim_component). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "component_new_impl.h"
#include "leb128.h"
#include "strbuf.h"
#include "witgen/component_binary.h"
#include "witgen/compose.h"
#include "witgen/core_module.h"
#include "witgen/wit.h"


static void vfail(New *n, WgStatus status, const char *fmt, va_list ap) {
  if (!n->failed) {
    n->status = status;
    wg_diag_list_vaddf(n->diags, WG_SEVERITY_ERROR, status, NULL, fmt, ap);
  }
  n->failed = true;
}

bool wg_cnew_fail(New *n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(n, strcmp(fmt, "out of memory") ? WG_ERR_INVALID : WG_ERR_NOMEM, fmt,
        ap);
  va_end(ap);
  return false;
}

bool wg_cnew_fail_status(New *n, WgStatus status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(n, status, fmt, ap);
  va_end(ap);
  return false;
}

WgCDef *wg_cnew_add_def(New *n, WgCDefKind kind) {
  if (n->ndefs == n->capdefs) {
    uint32_t cap = n->capdefs ? n->capdefs * 2 : 64;
    WgCDef *d = wg_arena_zalloc(n->arena, cap * sizeof *d);
    if (!d) {
      wg_cnew_fail(n, "out of memory");
      return NULL;
    }
    if (n->ndefs) memcpy(d, n->defs, n->ndefs * sizeof *d);
    n->defs = d;
    n->capdefs = cap;
  }
  WgCDef *d = &n->defs[n->ndefs++];
  memset(d, 0, sizeof *d);
  d->kind = kind;
  return d;
}

bool wg_cnew_str_is(WgStr s, const char *c) {
  return wg_str_eq(s, wg_str_from_cstr(c));
}

static bool starts(WgStr s, const char *p) {
  size_t l = strlen(p);
  return s.len >= l && memcmp(s.ptr, p, l) == 0;
}

/* ---- core exports of the main module ---- */

const WgExport *wg_cnew_module_export(const WgModule *m, WgStr name,
                                      WgExternKind kind) {
  for (uint32_t i = 0; i < m->export_count; i++) {
    const WgExport *e = &m->exports[i];
    if (e->kind == kind && wg_str_eq(e->name, name)) return e;
  }
  return NULL;
}

const WgExport *wg_cnew_core_export(New *n, WgStr name, WgExternKind kind) {
  return wg_cnew_module_export(n->core, name, kind);
}

/* `alias core export <instance> <name>`: a new core item of `sort`. */
uint32_t wg_cnew_alias_core(New *n, uint32_t instance, WgStr name,
                            uint8_t core_sort) {
  WgCDef *d = wg_cnew_add_def(n, WG_CDEF_ALIAS);
  if (!d) return NONE;
  d->u.alias = (WgCAlias){ .sort = WG_CSORT_CORE,
                           .core_sort = core_sort,
                           .kind = WG_CALIAS_CORE_EXPORT,
                           .instance = instance,
                           .name = name };
  switch (core_sort) {
    case WG_CCORE_FUNC:
      return n->ncore_funcs++;
    case WG_CCORE_TABLE:
      return n->ncore_tables++;
    case WG_CCORE_MEMORY:
      return n->ncore_memories++;
    case WG_CCORE_GLOBAL:
      return n->ncore_globals++;
    default:
      return NONE;
  }
}

/* ---- small core modules (shim and fixup) ---- */

void wg_cnew_put_name(WgBuf *b, WgStr s) {
  wg_buf_uleb(b, s.len);
  wg_buf_append_str(b, s);
}

void wg_cnew_put_section(WgBuf *out, uint8_t id, WgBuf *body) {
  wg_buf_putc(out, (char)id);
  wg_buf_uleb(out, body->len);
  wg_buf_append(out, body->data, body->len);
  if (body->failed) out->failed = true;
  wg_buf_free(body);
}

static void put_functype(WgBuf *b, const WgFuncType *ft) {
  wg_buf_putc(b, 0x60);
  wg_buf_uleb(b, ft->param_count);
  for (uint32_t i = 0; i < ft->param_count; i++)
    wg_buf_putc(b, (char)ft->types[i]);
  wg_buf_uleb(b, ft->result_count);
  for (uint32_t i = 0; i < ft->result_count; i++)
    wg_buf_putc(b, (char)ft->types[ft->param_count + i]);
}

static const char *idx_name(New *n, uint32_t i) {
  return wg_arena_printf(n->arena, "%u", i);
}

/* The shim: function i calls table slot i with its own parameters. */
static void shim_module(New *n, const Lowered *l, uint32_t count, WgBuf *m) {
  static const uint8_t head[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
  wg_buf_append(m, head, 8);
  WgBuf s = { 0 };
  wg_buf_uleb(&s, count);
  for (uint32_t i = 0; i < count; i++)
    put_functype(&s, l[i].ft);
  wg_cnew_put_section(m, 1, &s);
  wg_buf_uleb(&s, count);
  for (uint32_t i = 0; i < count; i++)
    wg_buf_uleb(&s, i);
  wg_cnew_put_section(m, 3, &s);
  wg_buf_uleb(&s, 1); /* table: funcref, min = max = count */
  wg_buf_putc(&s, 0x70);
  wg_buf_putc(&s, 0x01);
  wg_buf_uleb(&s, count);
  wg_buf_uleb(&s, count);
  wg_cnew_put_section(m, 4, &s);
  wg_buf_uleb(&s, count + 1);
  for (uint32_t i = 0; i < count; i++) {
    wg_cnew_put_name(&s, wg_str_from_cstr(idx_name(n, i)));
    wg_buf_putc(&s, 0x00);
    wg_buf_uleb(&s, i);
  }
  wg_cnew_put_name(&s, WG_STR("$imports"));
  wg_buf_putc(&s, 0x01);
  wg_buf_uleb(&s, 0);
  wg_cnew_put_section(m, 7, &s);
  wg_buf_uleb(&s, count);
  for (uint32_t i = 0; i < count; i++) {
    const WgFuncType *ft = l[i].ft;
    WgBuf body = { 0 };
    wg_buf_uleb(&body, 0); /* no locals */
    for (uint32_t p = 0; p < ft->param_count; p++) {
      wg_buf_putc(&body, 0x20); /* local.get */
      wg_buf_uleb(&body, p);
    }
    wg_buf_putc(&body, 0x41); /* i32.const i */
    wg_buf_sleb(&body, i);
    wg_buf_putc(&body, 0x11); /* call_indirect type i, table 0 */
    wg_buf_uleb(&body, i);
    wg_buf_uleb(&body, 0);
    wg_buf_putc(&body, 0x0b);
    wg_buf_uleb(&s, body.len);
    wg_buf_append(&s, body.data, body.len);
    if (body.failed) s.failed = true;
    wg_buf_free(&body);
  }
  wg_cnew_put_section(m, 10, &s);
}

/* The fixup: imports the table and the real functions, stores them with an
 * active element segment, and calls the initializer (if any) on start. */
static void fixup_module(New *n, const Lowered *l, uint32_t count, bool init,
                         WgBuf *m) {
  static const uint8_t head[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
  wg_buf_append(m, head, 8);
  WgBuf s = { 0 };
  wg_buf_uleb(&s, count + (init ? 1 : 0));
  for (uint32_t i = 0; i < count; i++)
    put_functype(&s, l[i].ft);
  if (init) {
    wg_buf_putc(&s, 0x60);
    wg_buf_putc(&s, 0);
    wg_buf_putc(&s, 0);
  }
  wg_cnew_put_section(m, 1, &s);
  wg_buf_uleb(&s, count + 1 + (init ? 1 : 0));
  for (uint32_t i = 0; i < count; i++) {
    wg_cnew_put_name(&s, WG_STR(""));
    wg_cnew_put_name(&s, wg_str_from_cstr(idx_name(n, i)));
    wg_buf_putc(&s, 0x00);
    wg_buf_uleb(&s, i);
  }
  if (init) {
    wg_cnew_put_name(&s, WG_STR(""));
    wg_cnew_put_name(&s, WG_STR("init"));
    wg_buf_putc(&s, 0x00);
    wg_buf_uleb(&s, count);
  }
  wg_cnew_put_name(&s, WG_STR(""));
  wg_cnew_put_name(&s, WG_STR("$imports"));
  wg_buf_putc(&s, 0x01);
  wg_buf_putc(&s, 0x70);
  wg_buf_putc(&s, 0x01);
  wg_buf_uleb(&s, count);
  wg_buf_uleb(&s, count);
  wg_cnew_put_section(m, 2, &s);
  if (init) {
    wg_buf_uleb(&s, count);
    wg_cnew_put_section(m, 8, &s);
  }
  wg_buf_uleb(&s, 1); /* elem: active, table 0, offset 0, funcs 0..count */
  wg_buf_putc(&s, 0x00);
  wg_buf_putc(&s, 0x41);
  wg_buf_sleb(&s, 0);
  wg_buf_putc(&s, 0x0b);
  wg_buf_uleb(&s, count);
  for (uint32_t i = 0; i < count; i++)
    wg_buf_uleb(&s, i);
  wg_cnew_put_section(m, 9, &s);
}

uint32_t wg_cnew_add_module(New *n, WgBuf *bytes) {
  if (bytes->failed) {
    wg_cnew_fail(n, "out of memory");
    return NONE;
  }
  WgCDef *d = wg_cnew_add_def(n, WG_CDEF_CORE_MODULE);
  if (!d) return NONE;
  size_t len;
  char *p = wg_buf_take(bytes, &len);
  uint8_t *copy = wg_arena_alloc(n->arena, len ? len : 1);
  if (!copy) {
    free(p);
    wg_cnew_fail(n, "out of memory");
    return NONE;
  }
  memcpy(copy, p, len);
  free(p);
  d->u.module.bytes = copy;
  d->u.module.len = len;
  return n->ncore_modules++;
}

/* ---- types copied from the world with their indices remapped ---- */

static WgCValType map_vt(New *n, WgCValType v, const uint32_t *map,
                         uint32_t count) {
  if (v.prim) return v;
  if (v.index >= count || map[v.index] == NONE) {
    wg_cnew_fail(n, "type index %u cannot be mapped", v.index);
    return v;
  }
  return (WgCValType){ 0, map[v.index] };
}

/* A copy of value or function type `t` whose indices go through `map`;
 * instance types keep their own indices but remap `alias outer 1`. */
WgCType *wg_cnew_map_type(New *n, const WgCType *t, const uint32_t *map,
                          uint32_t count) {
  WgCType *c = wg_arena_alloc(n->arena, sizeof *c);
  if (!c) {
    wg_cnew_fail(n, "out of memory");
    return NULL;
  }
  *c = *t;
  switch (t->kind) {
    case WG_CT_RECORD:
    case WG_CT_VARIANT:
    case WG_CT_TUPLE:
    case WG_CT_FLAGS:
    case WG_CT_ENUM: {
      WgCField *f =
          wg_arena_alloc(n->arena, (t->u.fields.count + 1) * sizeof *f);
      if (!f) return NULL;
      for (uint32_t i = 0; i < t->u.fields.count; i++) {
        f[i] = t->u.fields.items[i];
        if (f[i].has_type) f[i].type = map_vt(n, f[i].type, map, count);
      }
      c->u.fields.items = f;
      break;
    }
    case WG_CT_LIST:
    case WG_CT_FIXED_LIST:
    case WG_CT_OPTION:
      c->u.list.elem = map_vt(n, t->u.list.elem, map, count);
      break;
    case WG_CT_RESULT:
      if (t->u.result.has_ok)
        c->u.result.ok = map_vt(n, t->u.result.ok, map, count);
      if (t->u.result.has_err)
        c->u.result.err = map_vt(n, t->u.result.err, map, count);
      break;
    case WG_CT_OWN:
    case WG_CT_BORROW:
      c->u.resource =
          map_vt(n, (WgCValType){ 0, t->u.resource }, map, count).index;
      break;
    case WG_CT_STREAM:
    case WG_CT_FUTURE:
      if (t->u.async.has_elem)
        c->u.async.elem = map_vt(n, t->u.async.elem, map, count);
      break;
    case WG_CT_MAP:
      c->u.map.key = map_vt(n, t->u.map.key, map, count);
      c->u.map.value = map_vt(n, t->u.map.value, map, count);
      break;
    case WG_CT_FUNC: {
      WgCField *p =
          wg_arena_alloc(n->arena, (t->u.func.param_count + 1) * sizeof *p);
      if (!p) return NULL;
      for (uint32_t i = 0; i < t->u.func.param_count; i++) {
        p[i] = t->u.func.params[i];
        p[i].type = map_vt(n, p[i].type, map, count);
      }
      c->u.func.params = p;
      if (t->u.func.has_result)
        c->u.func.result = map_vt(n, t->u.func.result, map, count);
      break;
    }
    case WG_CT_INSTANCE:
    case WG_CT_COMPONENT: {
      WgCDecl *ds =
          wg_arena_alloc(n->arena, (t->u.decls.count + 1) * sizeof *ds);
      if (!ds) return NULL;
      for (uint32_t i = 0; i < t->u.decls.count; i++) {
        ds[i] = t->u.decls.items[i];
        WgCAlias *a = &ds[i].u.alias;
        if (ds[i].kind == WG_CDECL_ALIAS && a->kind == WG_CALIAS_OUTER &&
            a->instance == 1 && a->sort == WG_CSORT_TYPE)
          a->index = map_vt(n, (WgCValType){ 0, a->index }, map, count).index;
      }
      c->u.decls.items = ds;
      break;
    }
    default:
      break;
  }
  return c;
}

static uint32_t add_type(New *n, WgCType *t) {
  WgCDef *d = t ? wg_cnew_add_def(n, WG_CDEF_TYPE) : NULL;
  if (!d) return NONE;
  d->u.type = t;
  return n->ntypes++;
}

/* ---- phase 1: the world's imports ---- */

bool wg_cnew_grow_map(New *n, uint32_t **map, uint32_t count) {
  uint32_t *m = wg_arena_alloc(n->arena, (count + 1) * sizeof *m);
  if (!m) return wg_cnew_fail(n, "out of memory");
  for (uint32_t i = 0; i <= count; i++)
    m[i] = NONE;
  *map = m;
  return true;
}

/* The world's index spaces come from the validator (n->ws): their sizes,
 * and the declarator behind each type index. */
static bool world_spaces(New *n) {
  const WgCScope *ws = n->ws;
  n->wtypes = ws->type_count;
  n->wfuncs = ws->func_count;
  n->winst = ws->instance_count;
  n->wdefs = wg_arena_zalloc(n->arena, (n->wtypes + 1) * sizeof(void *));
  if (!n->wdefs) return wg_cnew_fail(n, "out of memory");
  for (uint32_t i = 0; i < n->wtypes; i++) {
    const WgCDecl *d = &n->world->u.decls.items[ws->type_origin[i].def];
    if (d->kind == WG_CDECL_TYPE) n->wdefs[i] = d->u.type;
  }
  return true;
}

/* The index in a world space whose entry declarator `decl` introduced. */
static uint32_t index_of(const WgCOrigin *origin, uint32_t count,
                         uint32_t decl) {
  for (uint32_t i = 0; i < count; i++)
    if (origin[i].def == decl) return i;
  return NONE;
}

/* Copies declarator `d` of the world (an import-side one) to the top. */
static bool copy_import_decl(New *n, const WgCDecl *d, uint32_t *wt,
                             uint32_t *wf, uint32_t *wi) {
  switch (d->kind) {
    case WG_CDECL_CORE_TYPE:
      return wg_cnew_fail(n, "core types in a world are not supported");
    case WG_CDECL_TYPE: {
      WgCType *t = wg_cnew_map_type(n, d->u.type, n->tmap, n->wtypes);
      n->tmap[(*wt)++] = add_type(n, t);
      return !n->failed;
    }
    case WG_CDECL_ALIAS: {
      WgCAlias a = d->u.alias;
      if (a.kind != WG_CALIAS_EXPORT)
        return wg_cnew_fail(n, "outer aliases at the top of a world are not "
                               "supported");
      if (a.instance >= *wi || n->imap[a.instance] == NONE)
        return wg_cnew_fail(n, "alias of an unknown instance");
      a.instance = n->imap[a.instance];
      WgCDef *def = wg_cnew_add_def(n, WG_CDEF_ALIAS);
      if (!def) return false;
      def->u.alias = a;
      if (a.sort == WG_CSORT_TYPE) n->tmap[(*wt)++] = n->ntypes++;
      if (a.sort == WG_CSORT_FUNC) n->fmap[(*wf)++] = n->nfuncs++;
      if (a.sort == WG_CSORT_INSTANCE) n->imap[(*wi)++] = n->ninstances++;
      return true;
    }
    case WG_CDECL_IMPORT: {
      WgCExternType et = d->u.extern_.type;
      if (et.kind == WG_CSORT_TYPE && et.bound == WG_CBOUND_EQ)
        et.index =
            map_vt(n, (WgCValType){ 0, et.index }, n->tmap, n->wtypes).index;
      else if (et.kind != WG_CSORT_TYPE)
        et.index =
            map_vt(n, (WgCValType){ 0, et.index }, n->tmap, n->wtypes).index;
      WgCDef *def = wg_cnew_add_def(n, WG_CDEF_IMPORT);
      if (!def) return false;
      def->u.extern_.name = d->u.extern_.name;
      def->u.extern_.type = et;
      if (et.kind == WG_CSORT_TYPE) n->tmap[(*wt)++] = n->ntypes++;
      if (et.kind == WG_CSORT_FUNC) n->fmap[(*wf)++] = n->nfuncs++;
      if (et.kind == WG_CSORT_INSTANCE) {
        n->inst_names[*wi] = d->u.extern_.name.name;
        uint32_t ti = d->u.extern_.type.index;
        n->inst_types[*wi] = ti < n->wtypes ? n->wdefs[ti] : NULL;
        n->imap[(*wi)++] = n->ninstances++;
      }
      return !n->failed;
    }
    case WG_CDECL_EXPORT:
      return false;
  }
  return false;
}

/* ---- phase 2: core instances ---- */

/* `iface` with its version cut to the semver-compatible prefix, as cm32p2
 * names carry it: 0.2.12 -> 0.2, 1.4.0 -> 1, 0.0.3 stays. */
static WgStr short_iface_name(WgStr iface) {
  const char *at = iface.len ? memchr(iface.ptr, '@', iface.len) : NULL;
  if (!at) return iface;
  const char *v = at + 1, *end = iface.ptr + iface.len;
  const char *dot1 = memchr(v, '.', (size_t)(end - v));
  if (!dot1) return iface;
  const char *dot2 = memchr(dot1 + 1, '.', (size_t)(end - dot1 - 1));
  size_t keep;
  if (!(dot1 - v == 1 && v[0] == '0'))
    keep = (size_t)(dot1 - iface.ptr); /* major */
  else if (dot2 && !(dot2 - dot1 == 2 && dot1[1] == '0'))
    keep = (size_t)(dot2 - iface.ptr); /* 0.minor */
  else
    return iface;
  return (WgStr){ iface.ptr, keep };
}

/* True when world import `decl` is interface `core` as the core module
 * names it: cm32p2 names shorten the version to its compatible prefix
 * (`@0.2` for 0.2.12, `@1` for 1.4.0). */
static bool iface_matches(WgStr decl, WgStr core) {
  if (wg_str_eq(decl, core)) return true;
  const char *at = memchr(core.ptr, '@', core.len);
  if (!at) return false;
  size_t pre = (size_t)(at - core.ptr) + 1;
  if (decl.len > core.len && memcmp(decl.ptr, core.ptr, core.len) == 0 &&
      decl.ptr[core.len] == '.' && pre <= core.len)
    return true;
  /* 0.2.6 and 0.2.12: the same 0.2 series (as preview1 adapters name
   * some interfaces with older patch versions than their world) */
  return decl.len >= pre && memcmp(decl.ptr, core.ptr, pre) == 0 &&
         wg_str_eq(short_iface_name(decl), short_iface_name(core));
}

/* `s` without suffix `suf` into *out. */
static bool ends_cut(WgStr s, const char *suf, WgStr *out) {
  size_t l = strlen(suf);
  if (s.len <= l || memcmp(s.ptr + s.len - l, suf, l) != 0) return false;
  *out = (WgStr){ s.ptr, s.len - l };
  return true;
}

/* An import of the main module from `[export]iface` (`cm32p2|_ex_iface`):
 * resource.new/rep/drop of an exported resource. *op is the canon opcode,
 * *res the index in n->exres. */
static bool classify_export_import(New *n, WgStr mod, WgStr name, uint8_t *op,
                                   uint32_t *res) {
  WgStr iface = starts(mod, "[export]") ? (WgStr){ mod.ptr + 8, mod.len - 8 }
                                        : (WgStr){ mod.ptr + 11, mod.len - 11 };
  WgStr r = { 0 };
  *op = 0;
  if (starts(name, "[resource-new]")) {
    *op = 0x02;
    r = (WgStr){ name.ptr + 14, name.len - 14 };
  } else if (starts(name, "[resource-rep]")) {
    *op = 0x04;
    r = (WgStr){ name.ptr + 14, name.len - 14 };
  } else if (starts(name, "[resource-drop]")) {
    *op = 0x03;
    r = (WgStr){ name.ptr + 15, name.len - 15 };
  } else if (n->cm32 && ends_cut(name, "_new", &r)) {
    *op = 0x02;
  } else if (n->cm32 && ends_cut(name, "_rep", &r)) {
    *op = 0x04;
  } else if (n->cm32 && ends_cut(name, "_drop", &r)) {
    *op = 0x03;
  }
  for (uint32_t k = 0; *op && k < n->nexres; k++)
    if (wg_str_eq(n->exres[k].name, r) &&
        iface_matches(n->exres[k].iface, iface)) {
      *res = k;
      return true;
    }
  return wg_cnew_fail(
      n,
      "import `%.*s`.`%.*s` of the core module matches no resource "
      "exported by the world",
      (int)mod.len, mod.ptr, (int)name.len, name.ptr);
}

/* What the main module's import `mod`.`name` is: a function of the world's
 * imports to lower (*func) or a resource to drop (*drop_type). */
static bool classify_import(New *n, WgStr mod, WgStr name, uint32_t *func,
                            uint32_t *drop_type) {
  *func = *drop_type = NONE;
  WgStr iface = { 0 };
  bool root = false;
  if (wg_cnew_str_is(mod, "$root") || wg_cnew_str_is(mod, "cm32p2") ||
      wg_cnew_str_is(mod, "cm32p2|")) {
    root = true;
  } else if (starts(mod, "cm32p2|")) {
    iface = (WgStr){ mod.ptr + 7, mod.len - 7 };
  } else {
    iface = mod;
  }
  /* resource drops: `[resource-drop]r` or `r_drop` */
  WgStr res = { 0 };
  if (starts(name, "[resource-drop]"))
    res = (WgStr){ name.ptr + 15, name.len - 15 };
  else if (n->cm32 && name.len > 5 &&
           memcmp(name.ptr + name.len - 5, "_drop", 5) == 0)
    res = (WgStr){ name.ptr, name.len - 5 };
  /* find the world import */
  const WgCType *w = n->world;
  const WgCScope *ws = n->ws;
  for (uint32_t k = 0; k < w->u.decls.count; k++) {
    const WgCDecl *d = &w->u.decls.items[k];
    if (d->kind == WG_CDECL_EXPORT) break;
    if (d->kind != WG_CDECL_IMPORT) continue;
    WgStr dn = d->u.extern_.name.name;
    uint8_t kind = d->u.extern_.type.kind;
    if (root && kind == 0x01 && wg_str_eq(dn, name)) {
      *func = n->fmap[index_of(ws->func_origin, ws->func_count, k)];
      return true;
    }
    if (root && kind == 0x03 && res.ptr && wg_str_eq(dn, res)) {
      *drop_type = n->tmap[index_of(ws->type_origin, ws->type_count, k)];
      return true;
    }
    if (!root && kind == 0x05 && iface_matches(dn, iface)) {
      /* an interface: the export in its (resolved) instance type */
      uint32_t wi = index_of(ws->instance_origin, ws->instance_count, k);
      const WgCItem *x =
          wi == NONE ? NULL : wg_cinstance_export(ws->instances[wi], name);
      bool is_type = false;
      if (res.ptr && (!x || x->type.sort != WG_CSORT_FUNC)) {
        x = wi == NONE ? NULL : wg_cinstance_export(ws->instances[wi], res);
        is_type = x && x->type.sort == WG_CSORT_TYPE;
      }
      if (!x || (!is_type && x->type.sort != WG_CSORT_FUNC)) break;
      WgCDef *a = wg_cnew_add_def(n, WG_CDEF_ALIAS);
      if (!a) return false;
      a->u.alias = (WgCAlias){ .sort = is_type ? WG_CSORT_TYPE : WG_CSORT_FUNC,
                               .kind = WG_CALIAS_EXPORT,
                               .instance = n->imap[wi],
                               .name = is_type ? res : name };
      if (is_type)
        *drop_type = n->ntypes++;
      else
        *func = n->nfuncs++;
      return true;
    }
  }
  return wg_cnew_fail(
      n,
      "import `%.*s`.`%.*s` of the core module matches no import of "
      "the world",
      (int)mod.len, mod.ptr, (int)name.len, name.ptr);
}

static WgStr short_iface(New *n, WgStr iface);

/* The core export holding the destructor of exported resource `res`:
 * `iface#[dtor]res`, or `cm32p2|iface|res_dtor`. */
static WgStr dtor_name(New *n, WgStr iface, WgStr res) {
  const char *s =
      n->cm32 ? wg_arena_printf(n->arena, "cm32p2|%.*s|%.*s_dtor",
                                (int)short_iface(n, iface).len, iface.ptr,
                                (int)res.len, res.ptr)
              : wg_arena_printf(n->arena, "%.*s#[dtor]%.*s", (int)iface.len,
                                iface.ptr, (int)res.len, res.ptr);
  return s ? wg_str_from_cstr(s) : (WgStr){ 0 };
}

/* The type index of imported function `fi` of module `m`. */
uint32_t wg_cnew_func_import_type(const WgModule *m, uint32_t fi) {
  for (uint32_t i = 0, k = 0; i < m->import_count; i++)
    if (m->imports[i].kind == WG_EXTERN_FUNC && k++ == fi)
      return m->imports[i].desc.func_type;
  return UINT32_MAX;
}

/* The resources exported by the world's exported interfaces. */
static bool collect_exported_resources(New *n) {
  const WgCType *w = n->world;
  uint32_t count = 0;
  for (int pass = 0; pass < 2; pass++) {
    count = 0;
    for (uint32_t k = 0; k < w->u.decls.count; k++) {
      const WgCDecl *d = &w->u.decls.items[k];
      if (d->kind != WG_CDECL_EXPORT ||
          d->u.extern_.type.kind != WG_CSORT_INSTANCE)
        continue;
      uint32_t ti = d->u.extern_.type.index;
      const WgCType *it = ti < n->wtypes ? n->wdefs[ti] : NULL;
      for (uint32_t j = 0;
           it && it->kind == WG_CT_INSTANCE && j < it->u.decls.count; j++) {
        const WgCDecl *x = &it->u.decls.items[j];
        if (x->kind != WG_CDECL_EXPORT ||
            x->u.extern_.type.kind != WG_CSORT_TYPE ||
            x->u.extern_.type.bound != WG_CBOUND_SUB_RESOURCE)
          continue;
        if (pass)
          n->exres[count] = (ExRes){ .iface = d->u.extern_.name.name,
                                     .name = x->u.extern_.name.name,
                                     .type = NONE,
                                     .slot = NONE };
        count++;
      }
    }
    if (!pass) {
      n->exres = wg_arena_zalloc(n->arena, (count + 1) * sizeof *n->exres);
      if (!n->exres) return wg_cnew_fail(n, "out of memory");
    }
  }
  n->nexres = count;
  return true;
}

/* The exported resource `name` of world export `iface`, or NULL. */
static const ExRes *find_exres(New *n, WgStr iface, WgStr name) {
  for (uint32_t k = 0; k < n->nexres; k++)
    if (wg_str_eq(n->exres[k].iface, iface) &&
        wg_str_eq(n->exres[k].name, name))
      return &n->exres[k];
  return NULL;
}

typedef struct Arg {
  WgStr module;
  uint32_t instance;
} Arg;

static bool fill_slots(New *n, const Lowered *low, uint32_t nlow,
                       uint32_t shim_inst, uint32_t main_inst,
                       uint32_t adapter_inst, uint32_t memory,
                       uint32_t realloc_, uint32_t adapter_realloc,
                       WgStr init_name);


static bool instantiate_main(New *n, uint32_t main_module, uint32_t *main_inst,
                             uint32_t *memory, uint32_t *realloc_) {
  const WgModule *m = n->core;
  uint32_t nimp = m->import_count;
  /* slots: the main module's imports, then the adapter's */
  uint32_t total = nimp + (n->adapter ? n->adapter->import_count : 0);
  Lowered *low =
      wg_arena_zalloc(n->arena, (total + n->nexres + 1) * sizeof *low);
  uint32_t *core_of = wg_arena_zalloc(n->arena, (total + 1) * sizeof *core_of);
  uint32_t *shim_slot =
      wg_arena_zalloc(n->arena, (total + 1) * sizeof *shim_slot);
  Arg *args = wg_arena_zalloc(n->arena, (nimp + 1) * sizeof *args);
  if (!low || !core_of || !shim_slot || !args)
    return wg_cnew_fail(n, "out of memory");
  uint32_t nlow = 0, nargs = 0;
  uint8_t *exop = wg_arena_zalloc(n->arena, nimp + 1);
  uint32_t *exidx = wg_arena_zalloc(n->arena, (nimp + 1) * sizeof *exidx);
  if (!exop || !exidx) return wg_cnew_fail(n, "out of memory");
  for (uint32_t i = 0; i < nimp; i++) {
    const WgImport *im = &m->imports[i];
    shim_slot[i] = NONE;
    if (im->kind != WG_EXTERN_FUNC)
      return wg_cnew_fail(
          n,
          "import `%.*s`.`%.*s`: only functions can be imported "
          "by the core module",
          (int)im->module.len, im->module.ptr, (int)im->name.len, im->name.ptr);
    if (n->adapter && wg_str_eq(im->module, n->aname)) {
      if (!wg_cnew_adapter_slot(n, im, &low[nlow])) return false;
      shim_slot[i] = nlow++;
      continue;
    }
    if (starts(im->module, "cm32p2|_ex_") || starts(im->module, "[export]")) {
      /* resource.new/rep/drop of an exported resource: after the shim */
      if (!classify_export_import(n, im->module, im->name, &exop[i], &exidx[i]))
        return false;
      continue;
    }
    uint32_t func, drop;
    if (!classify_import(n, im->module, im->name, &func, &drop)) return false;
    if (drop != NONE) {
      WgCDef *d = wg_cnew_add_def(n, WG_CDEF_CANON);
      if (!d) return false;
      d->u.canon.op = 0x03; /* resource.drop */
      d->u.canon.type = drop;
      core_of[i] = n->ncore_funcs++;
    } else {
      shim_slot[i] = nlow;
      low[nlow++] =
          (Lowered){ .ft = &m->types[im->desc.func_type], .func = func };
    }
  }
  /* destructors of exported resources: more shim slots */
  for (uint32_t r = 0; r < n->nexres; r++) {
    ExRes *x = &n->exres[r];
    x->slot = NONE;
    WgStr dn = dtor_name(n, x->iface, x->name);
    const WgExport *e = wg_cnew_core_export(n, dn, WG_EXTERN_FUNC);
    if (!e) continue;
    uint32_t fi = e->index;
    uint32_t ty = fi < m->func_import_count
                      ? wg_cnew_func_import_type(m, fi)
                      : m->funcs[fi - m->func_import_count].type_index;
    const WgFuncType *ft = ty < m->type_count ? &m->types[ty] : NULL;
    if (!ft || ft->param_count != 1 || ft->result_count != 0 ||
        ft->types[0] != 0x7f)
      return wg_cnew_fail(n,
                          "`%.*s` of the core module is not a destructor (its "
                          "type must be (i32) -> ())",
                          (int)dn.len, dn.ptr);
    x->slot = nlow;
    low[nlow++] = (Lowered){ .ft = ft, .func = NONE, .dtor = dn };
  }
  /* the adapter's imports: WASI 0.2 functions lowered or dropped */
  for (uint32_t j = 0; n->adapter && j < n->adapter->import_count; j++) {
    const WgImport *im = &n->adapter->imports[j];
    uint32_t k = nimp + j;
    shim_slot[k] = core_of[k] = NONE;
    if (wg_cnew_str_is(im->module, "env") ||
        wg_cnew_str_is(im->module, "__main_module__"))
      continue;
    if (im->kind != WG_EXTERN_FUNC)
      return wg_cnew_fail(n, "adapter import `%.*s`.`%.*s` is not a function",
                          (int)im->module.len, im->module.ptr,
                          (int)im->name.len, im->name.ptr);
    uint32_t func, drop;
    if (!classify_import(n, im->module, im->name, &func, &drop)) return false;
    if (drop != NONE) {
      WgCDef *d = wg_cnew_add_def(n, WG_CDEF_CANON);
      if (!d) return false;
      d->u.canon.op = 0x03;
      d->u.canon.type = drop;
      core_of[k] = n->ncore_funcs++;
    } else {
      shim_slot[k] = nlow;
      low[nlow++] = (Lowered){ .ft = &n->adapter->types[im->desc.func_type],
                               .func = func,
                               .of_adapter = true };
    }
  }
  uint32_t shim_inst = NONE;
  if (nlow) {
    WgBuf b = { 0 };
    shim_module(n, low, nlow, &b);
    uint32_t shim = wg_cnew_add_module(n, &b);
    WgCDef *d = wg_cnew_add_def(n, WG_CDEF_CORE_INSTANCE);
    if (!d) return false;
    d->u.instance =
        (WgCInstance){ .is_core = true, .instantiate = true, .target = shim };
    shim_inst = n->ncore_instances++;
    for (uint32_t i = 0; i < total; i++)
      if (shim_slot[i] != NONE)
        core_of[i] = wg_cnew_alias_core(
            n, shim_inst, wg_str_from_cstr(idx_name(n, shim_slot[i])),
            WG_CCORE_FUNC);
  }
  /* the exported resources, then their new/rep/drop */
  for (uint32_t r = 0; r < n->nexres && !n->failed; r++) {
    ExRes *x = &n->exres[r];
    WgCType *t = wg_arena_zalloc(n->arena, sizeof *t);
    if (!t) return wg_cnew_fail(n, "out of memory");
    t->kind = WG_CT_RESOURCE;
    t->u.resource_def.rep = 0x7f;
    if (x->slot != NONE) {
      t->u.resource_def.has_dtor = true;
      t->u.resource_def.dtor = wg_cnew_alias_core(
          n, shim_inst, wg_str_from_cstr(idx_name(n, x->slot)), WG_CCORE_FUNC);
    }
    x->type = add_type(n, t);
  }
  for (uint32_t i = 0; i < nimp && !n->failed; i++) {
    if (!exop[i]) continue;
    WgCDef *d = wg_cnew_add_def(n, WG_CDEF_CANON);
    if (!d) return false;
    d->u.canon.op = exop[i];
    d->u.canon.type = n->exres[exidx[i]].type;
    core_of[i] = n->ncore_funcs++;
  }
  /* one core instance per import module, exporting what it provides */
  for (uint32_t i = 0; i < nimp; i++) {
    WgStr mod = m->imports[i].module;
    bool seen = false;
    for (uint32_t a = 0; a < nargs; a++)
      if (wg_str_eq(args[a].module, mod)) seen = true;
    if (seen) continue;
    uint32_t count = 0;
    for (uint32_t j = i; j < nimp; j++)
      if (wg_str_eq(m->imports[j].module, mod)) count++;
    WgCInstantiateArg *ex = wg_arena_zalloc(n->arena, count * sizeof *ex);
    WgCDef *d = ex ? wg_cnew_add_def(n, WG_CDEF_CORE_INSTANCE) : NULL;
    if (!d) return wg_cnew_fail(n, "out of memory");
    count = 0;
    for (uint32_t j = i; j < nimp; j++)
      if (wg_str_eq(m->imports[j].module, mod))
        ex[count++] = (WgCInstantiateArg){ .name = m->imports[j].name,
                                           .core_sort = WG_CCORE_FUNC,
                                           .index = core_of[j] };
    d->u.instance = (WgCInstance){
      .is_core = true, .instantiate = false, .arg_count = count, .args = ex
    };
    args[nargs++] = (Arg){ mod, n->ncore_instances++ };
  }
  WgCInstantiateArg *with =
      wg_arena_zalloc(n->arena, (nargs + 1) * sizeof *with);
  WgCDef *d = with ? wg_cnew_add_def(n, WG_CDEF_CORE_INSTANCE) : NULL;
  if (!d) return wg_cnew_fail(n, "out of memory");
  for (uint32_t a = 0; a < nargs; a++)
    with[a] = (WgCInstantiateArg){ .name = args[a].module,
                                   .core_sort = WG_CCORE_INSTANCE,
                                   .index = args[a].instance };
  d->u.instance = (WgCInstance){ .is_core = true,
                                 .instantiate = true,
                                 .target = main_module,
                                 .arg_count = nargs,
                                 .args = with };
  *main_inst = n->ncore_instances++;
  /* memory and realloc of the main module */
  WgStr mem_name = n->cm32 ? WG_STR("cm32p2_memory") : WG_STR("memory");
  WgStr realloc_name =
      n->cm32 ? WG_STR("cm32p2_realloc") : WG_STR("cabi_realloc");
  WgStr use_realloc = wg_cnew_realloc_name(n);
  WgStr init_name =
      n->cm32 ? WG_STR("cm32p2_initialize") : WG_STR("_initialize");
  *memory = *realloc_ = NONE;
  if (wg_cnew_core_export(n, mem_name, WG_EXTERN_MEMORY))
    *memory = wg_cnew_alias_core(n, *main_inst, mem_name, WG_CCORE_MEMORY);
  if (wg_cnew_core_export(n, realloc_name, WG_EXTERN_FUNC))
    *realloc_ = wg_cnew_alias_core(n, *main_inst, use_realloc, WG_CCORE_FUNC);
  bool has_init = wg_cnew_core_export(n, init_name, WG_EXTERN_FUNC) != NULL;
  uint32_t adapter_realloc = NONE;
  if (n->adapter) {
    if (*memory == NONE)
      return wg_cnew_fail(
          n, "the core module exports no `memory` for the adapter");
    if (!wg_cnew_instantiate_adapter(n, *main_inst, *memory, core_of + nimp,
                                     &adapter_realloc))
      return false;
  }
  return fill_slots(n, low, nlow, shim_inst, *main_inst, n->adapter_inst,
                    *memory, *realloc_, adapter_realloc,
                    has_init ? init_name : (WgStr){ 0 });
}

/* Fills the shim's table through a fixup module: lowered imports (with
 * `memory` and `realloc_`), destructors from `main_inst`, preview1
 * functions from `adapter_inst`; the fixup's start calls `init_name` of
 * `main_inst` when given. */
static bool fill_slots(New *n, const Lowered *low, uint32_t nlow,
                       uint32_t shim_inst, uint32_t main_inst,
                       uint32_t adapter_inst, uint32_t memory,
                       uint32_t realloc_, uint32_t adapter_realloc,
                       WgStr init_name) {
  bool has_init = init_name.ptr != NULL;
  if (!nlow && !has_init) return !n->failed;
  /* the real lowered functions, into the shim's table */
  uint32_t nbag = nlow + 1 + (has_init ? 1 : 0);
  WgCInstantiateArg *bag = wg_arena_zalloc(n->arena, nbag * sizeof *bag);
  if (!bag) return wg_cnew_fail(n, "out of memory");
  for (uint32_t s = 0; s < nlow; s++) {
    if (low[s].adapter.ptr) {
      bag[s] = (WgCInstantiateArg){ .name = wg_str_from_cstr(idx_name(n, s)),
                                    .core_sort = WG_CCORE_FUNC,
                                    .index = wg_cnew_alias_core(
                                        n, adapter_inst, low[s].adapter,
                                        WG_CCORE_FUNC) };
      continue;
    }
    if (low[s].dtor.ptr) {
      bag[s] = (WgCInstantiateArg){
        .name = wg_str_from_cstr(idx_name(n, s)),
        .core_sort = WG_CCORE_FUNC,
        .index = wg_cnew_alias_core(n, main_inst, low[s].dtor, WG_CCORE_FUNC)
      };
      continue;
    }
    WgCDef *c = wg_cnew_add_def(n, WG_CDEF_CANON);
    if (!c) return false;
    c->u.canon.op = 0x01;
    c->u.canon.func = low[s].func;
    if (memory != NONE) {
      c->u.canon.opts.has_memory = true;
      c->u.canon.opts.memory = memory;
    }
    uint32_t ra = low[s].of_adapter ? adapter_realloc : realloc_;
    if (ra != NONE) {
      c->u.canon.opts.has_realloc = true;
      c->u.canon.opts.realloc = ra;
    }
    bag[s] = (WgCInstantiateArg){ .name = wg_str_from_cstr(idx_name(n, s)),
                                  .core_sort = WG_CCORE_FUNC,
                                  .index = n->ncore_funcs++ };
  }
  uint32_t nb = nlow;
  if (nlow) {
    uint32_t table =
        wg_cnew_alias_core(n, shim_inst, WG_STR("$imports"), WG_CCORE_TABLE);
    bag[nb++] = (WgCInstantiateArg){ .name = WG_STR("$imports"),
                                     .core_sort = WG_CCORE_TABLE,
                                     .index = table };
  }
  if (has_init) {
    uint32_t f = wg_cnew_alias_core(n, main_inst, init_name, WG_CCORE_FUNC);
    bag[nb++] = (WgCInstantiateArg){ .name = WG_STR("init"),
                                     .core_sort = WG_CCORE_FUNC,
                                     .index = f };
  }
  WgCDef *bd = wg_cnew_add_def(n, WG_CDEF_CORE_INSTANCE);
  if (!bd) return false;
  bd->u.instance =
      (WgCInstance){ .is_core = true, .arg_count = nb, .args = bag };
  uint32_t bag_inst = n->ncore_instances++;
  WgBuf fb = { 0 };
  if (nlow) {
    fixup_module(n, low, nlow, has_init, &fb);
  } else {
    /* only the initializer to call */
    static const uint8_t init_only[] = { 0,   'a', 's', 'm', 1,    0,   0,
                                         0,   1,   4,   1,   0x60, 0,   0,
                                         2,   9,   1,   0,   4,    'i', 'n',
                                         'i', 't', 0,   0,   8,    1,   0 };
    wg_buf_append(&fb, init_only, sizeof init_only);
  }
  uint32_t fixup = wg_cnew_add_module(n, &fb);
  WgCInstantiateArg *fw = wg_arena_zalloc(n->arena, sizeof *fw);
  WgCDef *fd = fw ? wg_cnew_add_def(n, WG_CDEF_CORE_INSTANCE) : NULL;
  if (!fd) return wg_cnew_fail(n, "out of memory");
  *fw = (WgCInstantiateArg){ .name = WG_STR(""),
                             .core_sort = WG_CCORE_INSTANCE,
                             .index = bag_inst };
  fd->u.instance = (WgCInstance){ .is_core = true,
                                  .instantiate = true,
                                  .target = fixup,
                                  .arg_count = 1,
                                  .args = fw };
  n->ncore_instances++;
  return !n->failed;
}

/* ---- phase 3: the world's exports ---- */

/* Lifts core export `core_name` as a function of type `type`. */
static uint32_t lift(New *n, uint32_t main_inst, WgStr core_name,
                     WgStr wit_path, uint32_t type, uint32_t memory,
                     uint32_t realloc_) {
  const WgModule *from = n->core;
  if (!wg_cnew_module_export(from, core_name, WG_EXTERN_FUNC) && n->adapter &&
      wg_cnew_module_export(n->adapter, core_name, WG_EXTERN_FUNC)) {
    from = n->adapter; /* e.g. wasi:cli/run of a command adapter */
    main_inst = n->adapter_inst;
    realloc_ = NONE;
  }
  if (!wg_cnew_module_export(from, core_name, WG_EXTERN_FUNC)) {
    wg_cnew_fail(n,
                 "export `%.*s` missing from core module (expected a function "
                 "named `%.*s`)",
                 (int)wit_path.len, wit_path.ptr, (int)core_name.len,
                 core_name.ptr);
    return NONE;
  }
  uint32_t f = wg_cnew_alias_core(n, main_inst, core_name, WG_CCORE_FUNC);
  const char *post = n->cm32
                         ? wg_arena_printf(n->arena, "%.*s_post",
                                           (int)core_name.len, core_name.ptr)
                         : wg_arena_printf(n->arena, "cabi_post_%.*s",
                                           (int)core_name.len, core_name.ptr);
  uint32_t pr = NONE;
  if (post &&
      wg_cnew_module_export(from, wg_str_from_cstr(post), WG_EXTERN_FUNC))
    pr =
        wg_cnew_alias_core(n, main_inst, wg_str_from_cstr(post), WG_CCORE_FUNC);
  WgCDef *d = wg_cnew_add_def(n, WG_CDEF_CANON);
  if (!d) return NONE;
  d->u.canon.op = 0x00;
  d->u.canon.func = f;
  d->u.canon.type = type;
  if (memory != NONE) {
    d->u.canon.opts.has_memory = true;
    d->u.canon.opts.memory = memory;
  }
  if (realloc_ != NONE) {
    d->u.canon.opts.has_realloc = true;
    d->u.canon.opts.realloc = realloc_;
  }
  if (pr != NONE) {
    d->u.canon.opts.has_post_return = true;
    d->u.canon.opts.post_return = pr;
  }
  return n->nfuncs++;
}

static WgStr short_iface(New *n, WgStr iface) {
  (void)n;
  return short_iface_name(iface);
}

static WgStr core_name(New *n, WgStr iface, WgStr func) {
  const char *s;
  if (n->cm32) iface = short_iface(n, iface);
  if (n->cm32)
    s = wg_arena_printf(n->arena, "cm32p2|%.*s|%.*s", (int)iface.len,
                        iface.ptr ? iface.ptr : "", (int)func.len, func.ptr);
  else if (iface.len)
    s = wg_arena_printf(n->arena, "%.*s#%.*s", (int)iface.len, iface.ptr,
                        (int)func.len, func.ptr);
  else
    s = wg_arena_printf(n->arena, "%.*s", (int)func.len, func.ptr);
  return wg_str_from_cstr(s);
}

/* An exported interface: its types and lifted functions as an instance,
 * exported with the world's instance type. */
static bool export_interface(New *n, const WgCDecl *d, uint32_t main_inst,
                             uint32_t memory, uint32_t realloc_, uint32_t *wi) {
  WgStr name = d->u.extern_.name.name;
  uint32_t ti = d->u.extern_.type.index;
  /* the instance type as declared in the world */
  const WgCType *it = ti < n->wtypes ? n->wdefs[ti] : NULL;
  if (!it || it->kind != WG_CT_INSTANCE)
    return wg_cnew_fail(n, "export `%.*s`: not an instance type", (int)name.len,
                        name.ptr);
  uint32_t nl = 0;
  for (uint32_t k = 0; k < it->u.decls.count; k++)
    nl++;
  uint32_t *lmap = NULL, *fidx = NULL;
  if (!wg_cnew_grow_map(n, &lmap, nl) || !wg_cnew_grow_map(n, &fidx, nl))
    return false;
  bool has_resources = false;
  WgCInstantiateArg *ex = wg_arena_zalloc(n->arena, (nl + 1) * sizeof *ex);
  WgCName *exn = wg_arena_zalloc(n->arena, (nl + 1) * sizeof *exn);
  if (!ex || !exn) return wg_cnew_fail(n, "out of memory");
  uint32_t lt = 0, nex = 0;
  for (uint32_t k = 0; k < it->u.decls.count && !n->failed; k++) {
    const WgCDecl *x = &it->u.decls.items[k];
    switch (x->kind) {
      case WG_CDECL_TYPE:
        lmap[lt] = add_type(n, wg_cnew_map_type(n, x->u.type, lmap, lt));
        lt++;
        break;
      case WG_CDECL_ALIAS:
        if (x->u.alias.kind == WG_CALIAS_OUTER && x->u.alias.instance == 1 &&
            x->u.alias.sort == WG_CSORT_TYPE) {
          lmap[lt++] =
              map_vt(n, (WgCValType){ 0, x->u.alias.index }, n->tmap, n->wtypes)
                  .index;
        } else {
          return wg_cnew_fail(n, "export `%.*s`: unsupported alias in its type",
                              (int)name.len, name.ptr);
        }
        break;
      case WG_CDECL_EXPORT: {
        WgStr xn = x->u.extern_.name.name;
        const WgCExternType *et = &x->u.extern_.type;
        if (et->kind == WG_CSORT_TYPE && et->bound == WG_CBOUND_SUB_RESOURCE) {
          const ExRes *r = find_exres(n, name, xn);
          if (!r || r->type == NONE)
            return wg_cnew_fail(n, "export `%.*s`: resource `%.*s` undefined",
                                (int)name.len, name.ptr, (int)xn.len, xn.ptr);
          has_resources = true;
          lmap[lt++] = r->type;
        } else if (et->kind == WG_CSORT_TYPE) {
          uint32_t t = map_vt(n, (WgCValType){ 0, et->index }, lmap, lt).index;
          lmap[lt++] = t;
          exn[nex].name = xn;
          ex[nex++] = (WgCInstantiateArg){ .name = xn,
                                           .sort = WG_CSORT_TYPE,
                                           .index = t };
        } else if (et->kind == WG_CSORT_FUNC) {
          uint32_t t = map_vt(n, (WgCValType){ 0, et->index }, lmap, lt).index;
          char path[300];
          snprintf(path, sizeof path, "%.*s#%.*s", (int)name.len, name.ptr,
                   (int)xn.len, xn.ptr);
          uint32_t f =
              lift(n, main_inst, core_name(n, name, xn),
                   wg_str_from_cstr(wg_arena_printf(n->arena, "%s", path)), t,
                   memory, realloc_);
          fidx[k] = f;
          exn[nex].name = xn;
          ex[nex++] = (WgCInstantiateArg){ .name = xn,
                                           .sort = WG_CSORT_FUNC,
                                           .index = f };
        } else {
          return wg_cnew_fail(n, "export `%.*s`: unsupported item `%.*s`",
                              (int)name.len, name.ptr, (int)xn.len, xn.ptr);
        }
        break;
      }
      default:
        return wg_cnew_fail(n, "export `%.*s`: unsupported declarator",
                            (int)name.len, name.ptr);
    }
  }
  if (n->failed) return false;
  n->inst_names[*wi] = name;
  n->inst_types[*wi] = it;
  if (has_resources) {
    uint32_t inst = wg_cnew_shim_component(n, it, *wi, lmap, fidx, nl);
    WgCDef *e = inst != NONE ? wg_cnew_add_def(n, WG_CDEF_EXPORT) : NULL;
    if (!e) return false;
    e->u.extern_.name = d->u.extern_.name;
    e->u.extern_.sort = WG_CSORT_INSTANCE;
    e->u.extern_.index = inst;
    n->imap[(*wi)++] = n->ninstances++;
    return true;
  }
  WgCDef *id = wg_cnew_add_def(n, WG_CDEF_INSTANCE);
  if (!id) return false;
  id->u.instance = (WgCInstance){ .is_core = false,
                                  .instantiate = false,
                                  .arg_count = nex,
                                  .args = ex,
                                  .export_names = exn };
  uint32_t inst = n->ninstances++;
  WgCDef *e = wg_cnew_add_def(n, WG_CDEF_EXPORT);
  if (!e) return false;
  e->u.extern_.name = d->u.extern_.name;
  e->u.extern_.sort = WG_CSORT_INSTANCE;
  e->u.extern_.index = inst;
  e->u.extern_.has_type = true;
  e->u.extern_.type =
      (WgCExternType){ .kind = WG_CSORT_INSTANCE, .index = n->tmap[ti] };
  n->imap[(*wi)++] = n->ninstances++;
  return true;
}

static bool export_decls(New *n, uint32_t first, uint32_t wt, uint32_t wf,
                         uint32_t wi, uint32_t main_inst, uint32_t memory,
                         uint32_t realloc_) {
  const WgCType *w = n->world;
  for (uint32_t k = first; k < w->u.decls.count && !n->failed; k++) {
    const WgCDecl *d = &w->u.decls.items[k];
    if (d->kind != WG_CDECL_EXPORT) {
      if (d->kind == WG_CDECL_IMPORT)
        return wg_cnew_fail(
            n, "imports after exports in a world are not supported");
      copy_import_decl(n, d, &wt, &wf, &wi);
      continue;
    }
    const WgCExternType *et = &d->u.extern_.type;
    WgStr name = d->u.extern_.name.name;
    if (et->kind == WG_CSORT_INSTANCE) {
      export_interface(n, d, main_inst, memory, realloc_, &wi);
    } else if (et->kind == WG_CSORT_FUNC) {
      uint32_t t =
          map_vt(n, (WgCValType){ 0, et->index }, n->tmap, n->wtypes).index;
      uint32_t f = lift(n, main_inst, core_name(n, (WgStr){ 0 }, name), name, t,
                        memory, realloc_);
      WgCDef *e = wg_cnew_add_def(n, WG_CDEF_EXPORT);
      if (!e) return false;
      e->u.extern_.name = d->u.extern_.name;
      e->u.extern_.sort = WG_CSORT_FUNC;
      e->u.extern_.index = f;
      n->fmap[wf++] = n->nfuncs++;
    } else if (et->kind == WG_CSORT_TYPE) {
      if (et->bound == WG_CBOUND_SUB_RESOURCE)
        return wg_cnew_fail(n, "exported resource `%.*s` is not supported yet",
                            (int)name.len, name.ptr);
      WgCDef *e = wg_cnew_add_def(n, WG_CDEF_EXPORT);
      if (!e) return false;
      e->u.extern_.name = d->u.extern_.name;
      e->u.extern_.sort = WG_CSORT_TYPE;
      e->u.extern_.index =
          map_vt(n, (WgCValType){ 0, et->index }, n->tmap, n->wtypes).index;
      n->tmap[wt++] = n->ntypes++;
    } else {
      return wg_cnew_fail(n, "export `%.*s`: unsupported kind", (int)name.len,
                          name.ptr);
    }
  }
  return !n->failed;
}

/* ---- the realloc of a C command ----
 * wasm-ld wraps every export of a command module (one with `_start`) but
 * `_start` itself in a function that runs the C destructors after the call
 * (`cabi_realloc.command_export`: flushing and closing stdio). Run as the
 * component's realloc, that makes imports during realloc (a trap in a
 * conforming runtime) and resets stdio buffers in the middle of a write.
 * When `cabi_realloc` is such a wrapper (at most one call, its four
 * parameters forwarded to one call, then at most one more call: the
 * constructors, the allocator, the destructors), the wrapped function is
 * exported
 * too, under WG_CNEW_INNER_REALLOC, and used instead. */

WgStr wg_cnew_realloc_name(const New *n) {
  if (n->inner_realloc) return WG_STR(WG_CNEW_INNER_REALLOC);
  return n->cm32 ? WG_STR("cm32p2_realloc") : WG_STR("cabi_realloc");
}

/* The function `cabi_realloc` forwards to, or NONE when it is not a
 * command-export wrapper. */
static uint32_t wrapped_realloc(const WgModule *m) {
  const WgExport *e = NULL;
  for (uint32_t i = 0; i < m->export_count; i++)
    if (m->exports[i].kind == WG_EXTERN_FUNC &&
        wg_cnew_str_is(m->exports[i].name, "cabi_realloc"))
      e = &m->exports[i];
  if (!e || e->index < m->func_import_count) return NONE;
  const WgFunc *f = &m->funcs[e->index - m->func_import_count];
  if (f->local_count != 0) return NONE;
  const uint8_t *p = f->code, *end = f->code + f->code_len;
  uint32_t target, other;
  if (p < end && *p == 0x10) { /* the constructors first */
    p++;
    if (!wg_leb_u32(&p, end, &other)) return NONE;
  }
  for (uint8_t k = 0; k < 4; k++) {
    if (end - p < 2 || p[0] != 0x20 || p[1] != k) return NONE;
    p += 2;
  }
  if (p >= end || *p++ != 0x10 || !wg_leb_u32(&p, end, &target)) return NONE;
  if (p < end && *p == 0x10) {
    p++;
    if (!wg_leb_u32(&p, end, &other)) return NONE;
  }
  if (p + 1 != end || *p != 0x0b) return NONE;
  uint32_t nfuncs = m->func_import_count + m->func_count;
  if (target >= nfuncs || target == e->index) return NONE;
  return target;
}

/* `module` (bytes) with one more export: function `func` as
 * WG_CNEW_INNER_REALLOC. */
static bool add_inner_export(New *n, const WgBuf *module, uint32_t func,
                             WgBuf *out) {
  const uint8_t *p = (const uint8_t *)module->data + 8,
                *end = (const uint8_t *)module->data + module->len;
  wg_buf_append(out, module->data, 8);
  bool done = false;
  while (p < end) {
    const uint8_t *start = p;
    uint8_t id = *p++;
    uint32_t size, count;
    if (!wg_leb_u32(&p, end, &size) || size > (size_t)(end - p))
      return wg_cnew_fail(n, "the core module is malformed");
    const uint8_t *body = p;
    p += size;
    if (id != 7) {
      wg_buf_append(out, start, (size_t)(p - start));
      continue;
    }
    const uint8_t *q = body;
    if (!wg_leb_u32(&q, p, &count))
      return wg_cnew_fail(n, "the core module is malformed");
    WgBuf sec = { 0 };
    wg_buf_uleb(&sec, count + 1);
    wg_buf_append(&sec, q, (size_t)(p - q));
    wg_cnew_put_name(&sec, WG_STR(WG_CNEW_INNER_REALLOC));
    wg_buf_putc(&sec, 0x00);
    wg_buf_uleb(&sec, func);
    wg_cnew_put_section(out, 7, &sec);
    done = true;
  }
  return done || wg_cnew_fail(n, "the core module has no export section");
}

/* ---- driver ---- */

/* The core module without its `component-type*` custom sections. */
bool wg_cnew_strip_types(New *n, const uint8_t *bytes, size_t len, WgBuf *out) {
  WgDiagList *diags = wg_diag_list_new();
  if (!diags) return wg_cnew_fail(n, "out of memory");
  WgStatus st = wg_component_type_sections_strip(bytes, len, out, diags);
  if (st != WG_OK)
    wg_cnew_fail_status(n, st, "%s", wg_diag_list_first_error(diags));
  wg_diag_list_delete(diags);
  return st == WG_OK;
}

/* Several component-type sections: their worlds merged (wit_decode reads
 * them all into one world, as WIT text), resolved and encoded again into
 * one component type in *merged (kept until the component is built). */
static bool merge_sections(New *n, const uint8_t *const *bytes,
                           const size_t *lens, size_t count, WgBuf *merged) {
  WgDiagList *diags = wg_diag_list_new();
  if (!diags) return wg_cnew_fail(n, "out of memory");
  char *text = NULL;
  WgStatus st = wg_wit_decode(bytes, lens, count, diags, &text);
  if (st != WG_OK) {
    wg_cnew_fail_status(n, st, "merging the component-type sections: %s",
                        wg_diag_list_first_error(diags));
    wg_diag_list_delete(diags);
    return false;
  }
  WgWitResolve *r = NULL;
  bool ok = wg_wit_load_source("component-type.wit", wg_str_from_cstr(text),
                               NULL, diags, &r) == WG_OK;
  free(text);
  if (!ok) {
    wg_diag_list_delete(diags);
    return wg_cnew_fail(n, "the merged worlds do not resolve");
  }
  WgWitId world = WG_WIT_NONE;
  for (size_t w = 0; w < r->worlds.count; w++)
    if (r->worlds.items[w].package == r->main_package) world = (WgWitId)w;
  if (world == WG_WIT_NONE)
    wg_cnew_fail(n, "the merged worlds do not resolve");
  else if ((st = wg_wit_encode_world(r, world, merged, diags)) != WG_OK)
    wg_cnew_fail_status(n, st, "merging the component-type sections: %s",
                        wg_diag_list_first_error(diags));
  wg_wit_resolve_free(r);
  wg_diag_list_delete(diags);
  return !n->failed;
}

/* The world of module `m` (`bytes`); with `count` > 1, the merged world of
 * the modules `bytes` (the main module's and the adapter's). */
static const WgCType *find_world(New *n, const WgModule *m,
                                 const uint8_t *const *bytes,
                                 const size_t *lens, size_t count,
                                 WgBuf *merged, WgStr *wname,
                                 WgComponent **keep) {
  const WgCustomSection *sec = NULL;
  WgCustomSection one = { 0 };
  size_t pos = 0;
  while (!n->failed) {
    WgDiagList *diags = wg_diag_list_new();
    if (!diags) {
      wg_cnew_fail(n, "out of memory");
      return NULL;
    }
    WgCustomSection next = { 0 };
    WgStatus st = wg_component_type_section_next(
        bytes[0], lens[0], &pos, &next.name, &next.bytes, &next.len, diags);
    if (st != WG_OK)
      wg_cnew_fail_status(n, st, "%s", wg_diag_list_first_error(diags));
    wg_diag_list_delete(diags);
    if (st != WG_OK) return NULL;
    if (!next.bytes) break;
    if (sec || count > 1) {
      if (!merge_sections(n, bytes, lens, count, merged)) return NULL;
      if (merged->failed) {
        wg_cnew_fail(n, "out of memory");
        return NULL;
      }
      one = (WgCustomSection){ .name = WG_STR("component-type (merged)"),
                               .bytes = (const uint8_t *)merged->data,
                               .len = merged->len };
      sec = &one;
      break;
    }
    one = next;
    sec = &one;
  }
  if (!sec && m != n->core) {
    wg_cnew_fail(n, "the adapter has no component-type custom section (it must "
                    "carry its world)");
    return NULL;
  }
  if (!sec) {
    wg_cnew_fail(n,
                 "the core module has no component-type custom section (was it "
                 "built with WIT bindings?)");
    return NULL;
  }
  WgDiagList *diags = wg_diag_list_new();
  if (!diags) {
    wg_cnew_fail(n, "out of memory");
    return NULL;
  }
  if (wg_component_decode(sec->bytes, sec->len, wg_allocator_default(), keep,
                          diags) != WG_OK) {
    const WgDiag *e = wg_diag_list_get(diags, 0);
    wg_cnew_fail(n, "section %.*s: %s at offset %llu", (int)sec->name.len,
                 sec->name.ptr, wg_diag_list_first_error(diags),
                 e ? (unsigned long long)e->offset : 0ULL);
    wg_diag_list_delete(diags);
    return NULL;
  }
  wg_diag_list_delete(diags);
  /* the section is (type (component ... (export "ns:pkg/w" (component
   * (type K))))): the world is that export */
  const WgCScope *scope = NULL;
  diags = wg_diag_list_new();
  if (!diags) {
    wg_cnew_fail(n, "out of memory");
    return NULL;
  }
  WgStatus st = wg_component_validate(n->types, *keep, NULL, &scope, diags);
  if (st != WG_OK)
    wg_cnew_fail_status(n, st, "section %.*s: %s", (int)sec->name.len,
                        sec->name.ptr, wg_diag_list_first_error(diags));
  wg_diag_list_delete(diags);
  if (st != WG_OK) return NULL;
  for (uint32_t t = 0; t < scope->type_count; t++) {
    if (scope->types[t].kind != WG_CTY_COMPONENT) continue;
    const WgCComponentTy *outer = scope->types[t].of.component;
    const WgCScope *os = outer->decls;
    for (uint32_t e = 0; e < outer->export_count; e++) {
      const WgCItem *x = &outer->exports[e];
      if (x->type.sort != WG_CSORT_COMPONENT) continue;
      for (uint32_t k = 0; k < os->type_count; k++) {
        if (os->types[k].kind != WG_CTY_COMPONENT ||
            os->types[k].of.component != x->type.of.component)
          continue;
        const WgCType *wrap = (*keep)->defs[scope->type_origin[t].def].u.type;
        const WgCDecl *wd = &wrap->u.decls.items[os->type_origin[k].def];
        if (wd->kind != WG_CDECL_TYPE) continue;
        *wname = x->name.name;
        n->ws = x->type.of.component->decls;
        return wd->u.type;
      }
    }
  }
  wg_cnew_fail(n, "the component-type section holds no world");
  return NULL;
}

/* Decodes and validates core module `bytes` (`what` prefixes errors). */
static WgModule *read_module(New *n, const char *what, const uint8_t *bytes,
                             size_t len) {
  WgModule *m = NULL;
  WgModuleError merr = { 0 };
  if (len < 8 || memcmp(bytes, "\0asm\1\0\0\0", 8) != 0) {
    wg_cnew_fail_status(n, WG_ERR_MALFORMED, "%snot a core WebAssembly module",
                        what);
  } else if (wg_module_decode(bytes, len, wg_allocator_default(), &m, &merr) !=
                 WG_OK ||
             wg_module_validate(m, &merr) != WG_OK) {
    wg_cnew_fail_status(n, merr.status,
                        "%sinvalid core module: %s at offset %zu", what,
                        merr.message, merr.offset);
    if (m) wg_module_free(m);
    m = NULL;
  }
  return m;
}

static bool has_component_type(const WgModule *m) {
  for (uint32_t i = 0; i < m->custom_count; i++)
    if (starts(m->customs[i].name, "component-type")) return true;
  return false;
}

WgStatus wg_component_new(const uint8_t *core, size_t len,
                          const WgAdapter *adapter, WgBuf *out,
                          WgDiagList *diags) {
  WgArena arena;
  wg_arena_init(&arena, wg_allocator_default());
  New n = { .arena = &arena, .diags = diags };
  n.types = wg_ctypes_new(wg_allocator_default());
  if (!n.types) wg_cnew_fail(&n, "out of memory");
  WgModule *m = NULL, *am = NULL;
  WgComponent *types = NULL;
  WgBuf merged = { 0 }; /* several component-type sections, merged */
  WgStr wname = { 0 };
  m = read_module(&n, "", core, len);
  if (!n.failed && adapter)
    am = read_module(&n, "the adapter: ", adapter->bytes, adapter->len);
  if (!n.failed) {
    n.core = m;
    n.adapter = am;
    if (am) {
      n.aname = adapter->name;
      n.abytes = adapter->bytes;
      n.alen = adapter->len;
    }
    /* the world: the module's, the adapter's, or both merged */
    const uint8_t *mods[2] = { core, am ? adapter->bytes : NULL };
    size_t lens[2] = { len, am ? adapter->len : 0 };
    if (am && has_component_type(m))
      n.world = find_world(&n, m, mods, lens, 2, &merged, &wname, &types);
    else if (am)
      n.world =
          find_world(&n, am, mods + 1, lens + 1, 1, &merged, &wname, &types);
    else
      n.world = find_world(&n, m, mods, lens, 1, &merged, &wname, &types);
  }
  if (!n.failed) {
    for (uint32_t i = 0; i < m->import_count; i++)
      if (starts(m->imports[i].module, "cm32p2")) n.cm32 = true;
    for (uint32_t i = 0; i < m->export_count; i++)
      if (starts(m->exports[i].name, "cm32p2")) n.cm32 = true;
    world_spaces(&n);
    n.inst_names = wg_arena_zalloc(&arena, (n.winst + 1) * sizeof(WgStr));
    n.inst_types = wg_arena_zalloc(&arena, (n.winst + 1) * sizeof(void *));
    if (wg_cnew_grow_map(&n, &n.tmap, n.wtypes) &&
        wg_cnew_grow_map(&n, &n.fmap, n.wfuncs) &&
        wg_cnew_grow_map(&n, &n.imap, n.winst) && n.inst_names &&
        n.inst_types && n.wdefs && collect_exported_resources(&n)) {
      /* phase 1 */
      uint32_t wt = 0, wf = 0, wi = 0, k = 0;
      for (; k < n.world->u.decls.count && !n.failed; k++) {
        const WgCDecl *d = &n.world->u.decls.items[k];
        bool later_export = false;
        for (uint32_t j = k; j < n.world->u.decls.count; j++)
          if (n.world->u.decls.items[j].kind == WG_CDECL_IMPORT)
            break;
          else if (n.world->u.decls.items[j].kind == WG_CDECL_EXPORT) {
            later_export = true;
            break;
          }
        if (d->kind == WG_CDECL_EXPORT || later_export) break;
        copy_import_decl(&n, d, &wt, &wf, &wi);
      }
      /* phase 2 */
      WgBuf stripped = { 0 };
      uint32_t main_inst = 0, memory = NONE, realloc_ = NONE;
      if (!n.failed && wg_cnew_strip_types(&n, core, len, &stripped)) {
        uint32_t inner = n.cm32 ? NONE : wrapped_realloc(n.core);
        if (inner != NONE) {
          WgBuf with = { 0 };
          if (add_inner_export(&n, &stripped, inner, &with)) {
            wg_buf_free(&stripped);
            stripped = with;
            n.inner_realloc = true;
          } else {
            wg_buf_free(&with);
          }
        }
        uint32_t main_module = wg_cnew_add_module(&n, &stripped);
        if (!n.failed)
          instantiate_main(&n, main_module, &main_inst, &memory, &realloc_);
      }
      wg_buf_free(&stripped);
      /* phase 3 */
      if (!n.failed)
        export_decls(&n, k, wt, wf, wi, main_inst, memory, realloc_);
    } else {
      wg_cnew_fail(&n, "out of memory");
    }
  }
  if (!n.failed) {
    WgComponent c = { .arena = &arena, .def_count = n.ndefs, .defs = n.defs };
    wg_cencode_component(out, &c);
    if (out->failed) wg_cnew_fail(&n, "out of memory");
  }
  (void)wname;
  wg_ctypes_delete(n.types); /* before the component its types point into */
  wg_component_free(types);
  wg_buf_free(&merged);
  if (m) wg_module_free(m);
  if (am) wg_module_free(am);
  wg_arena_release(&arena);
  return n.failed ? n.status : WG_OK;
}
