/* SPDX-License-Identifier: Apache-2.0 */
/* Types in the host bindings: the handle types of resources (the hook
 * c_types.c calls to define them), what a type holds (memory, handles),
 * and the helpers freeing values: `HgFree_*` behind the public `*_free`
 * (memory, and owned handles of resources a component defines: their
 * destructors run in the guest) and `HgFreeMem_*` (memory only: for
 * values whose handles have moved on). Static helpers are named in mixed
 * case (`HgLift_...`), which no name made from WIT (snake case, or upper
 * case for macros) can be. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

/* Section: type facts */

bool host_is_guest_resource(HGen *g, WgWitType t) {
  return cw_resource_is_exported(&g->w, cw_resource_of(&g->w, t));
}

uint32_t host_handle_count(HGen *g, WgWitType t) {
  CWorld *w = &g->w;
  t = cw_dealias(w, t);
  if (!WG_WIT_TYPE_IS_ID(t)) return 0;
  const WgWitTypeDef *d = cw_def(w, t);
  uint32_t n = 0;
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
      for (size_t i = 0; i < d->cases.count; i++)
        if (d->cases.items[i].has_type)
          n += host_handle_count(g, d->cases.items[i].type);
      return n;
    case WG_WIT_KIND_TUPLE:
      for (size_t i = 0; i < d->types.count; i++)
        n += host_handle_count(g, d->types.items[i]);
      return n;
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_FIXED_LIST:
      return host_handle_count(g, d->a);
    case WG_WIT_KIND_RESULT:
      return (d->has_a ? host_handle_count(g, d->a) : 0) +
             (d->has_b ? host_handle_count(g, d->b) : 0);
    case WG_WIT_KIND_MAP:
      return host_handle_count(g, d->a) + host_handle_count(g, d->b);
    case WG_WIT_KIND_RESOURCE:
    case WG_WIT_KIND_HANDLE_OWN:
    case WG_WIT_KIND_HANDLE_BORROW:
      return 1;
    default:
      return 0;
  }
}

bool host_has_memory(HGen *g, WgWitType t) {
  CWorld *w = &g->w;
  t = cw_dealias(w, t);
  if (!WG_WIT_TYPE_IS_ID(t)) return t == WG_WIT_STRING;
  const WgWitTypeDef *d = cw_def(w, t);
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
      for (size_t i = 0; i < d->cases.count; i++)
        if (d->cases.items[i].has_type &&
            host_has_memory(g, d->cases.items[i].type))
          return true;
      return false;
    case WG_WIT_KIND_TUPLE:
      for (size_t i = 0; i < d->types.count; i++)
        if (host_has_memory(g, d->types.items[i])) return true;
      return false;
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_FIXED_LIST:
      return host_has_memory(g, d->a);
    case WG_WIT_KIND_RESULT:
      return (d->has_a && host_has_memory(g, d->a)) ||
             (d->has_b && host_has_memory(g, d->b));
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_MAP:
      return true;
    default:
      return false;
  }
}

/* True when freeing `t` drops something: an own handle of a resource a
 * component defines, deep inside. */
static bool has_guest_owns(HGen *g, WgWitType t) {
  CWorld *w = &g->w;
  t = cw_dealias(w, t);
  if (!WG_WIT_TYPE_IS_ID(t)) return false;
  const WgWitTypeDef *d = cw_def(w, t);
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
    case WG_WIT_KIND_VARIANT:
      for (size_t i = 0; i < d->cases.count; i++)
        if (d->cases.items[i].has_type &&
            has_guest_owns(g, d->cases.items[i].type))
          return true;
      return false;
    case WG_WIT_KIND_TUPLE:
      for (size_t i = 0; i < d->types.count; i++)
        if (has_guest_owns(g, d->types.items[i])) return true;
      return false;
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_FIXED_LIST:
    case WG_WIT_KIND_LIST:
      return has_guest_owns(g, d->a);
    case WG_WIT_KIND_RESULT:
      return (d->has_a && has_guest_owns(g, d->a)) ||
             (d->has_b && has_guest_owns(g, d->b));
    case WG_WIT_KIND_MAP:
      return has_guest_owns(g, d->a) || has_guest_owns(g, d->b);
    case WG_WIT_KIND_RESOURCE:
    case WG_WIT_KIND_HANDLE_OWN:
      return host_is_guest_resource(g, t);
    default:
      return false;
  }
}

/* Section: resources */

/* The drop function of an owned handle of a resource a component defines:
 * `<own base>_drop`, claimed when the resource is defined. */
static const char *drop_name(HGen *g, WgWitType t) {
  WgWitId res = cw_resource_of(&g->w, t);
  const TypeInfo *ti = ct_type(&g->ct, WG_WIT_TYPE_OF(res));
  return ti ? cw_strf(&g->w, "%s_drop", ti->base) : NULL;
}

bool host_resource_define(void *user, WgWitId res, TypeInfo *own,
                          TypeInfo *borrow) {
  HGen *g = user;
  CWorld *w = &g->w;
  const WgWitTypeDef *d = &w->r->types.items[res];
  WgBuf *h = &g->ct.h_types;
  int nl = (int)d->name.len;
  const char *nm = d->name.ptr;
  if (w->side == SIDE_EXPORT) {
    const char *drop =
        wg_names_claim(&w->names, cw_strf(w, "%s_drop", own->base));
    if (!drop) return cw_nomem(w);
    wg_buf_printf(
        h,
        "/* An owned handle to resource `%.*s`, which the component defines: "
        "a host handle\n * the runtime made when it left the component "
        "(`type` is the instance's\n * resource type). Drop it exactly once "
        "with %s(), or move it into a call\n * that takes ownership. */\n"
        "typedef struct %s {\n  WgCResourceType *type;\n  uint32_t handle;\n"
        "  uint32_t gen;\n} %s;\n"
        "/* A borrowed handle to `%.*s`: valid while its owner keeps it. */\n"
        "typedef struct %s {\n  WgCResourceType *type;\n  uint32_t handle;\n"
        "  uint32_t gen;\n} %s;\n"
        "/* Drops an owned handle: the component's destructor runs. NULL, or "
        "a trap the\n * caller owns (a handle already moved or dropped is "
        "refused, WG_TRAP_MISUSE). */\n"
        "WgTrap *%s(%s handle);\n"
        "/* Borrows an owned handle (the owner stays responsible for it). */\n"
        "static inline %s %s(%s handle) {\n"
        "  %s b = { handle.type, handle.handle, handle.gen };\n"
        "  return b;\n}\n\n",
        nl, nm, drop, own->cname, own->cname, nl, nm, borrow->cname,
        borrow->cname, drop, own->cname, borrow->cname, borrow->base,
        own->cname, borrow->cname);
    wg_buf_printf(&g->c_code,
                  "WgTrap *%s(%s handle) {\n"
                  "  if (!handle.type) return NULL;\n"
                  "  WgCVal v = wg_cval_resource(WG_CVAL_OWN, handle.type, "
                  "handle.handle);\n"
                  "  v.of.res.gen = handle.gen;\n"
                  "  return wg_component_resource_drop(NULL, &v);\n}\n\n",
                  drop, own->cname);
  } else {
    wg_buf_printf(
        h,
        "/* An owned handle to resource `%.*s`, which the host defines (you "
        "implement it):\n * `rep` is the representation you chose. Handles "
        "the component drops reach the\n * table's destructor. */\n"
        "typedef struct %s {\n  uint32_t rep;\n} %s;\n"
        "/* A borrowed handle to `%.*s`: its representation, valid until "
        "you return. */\n"
        "typedef struct %s {\n  uint32_t rep;\n} %s;\n"
        "/* Borrows an owned handle (the owner stays responsible for it). */\n"
        "static inline %s %s(%s handle) {\n"
        "  %s b = { handle.rep };\n  return b;\n}\n\n",
        nl, nm, own->cname, own->cname, nl, nm, borrow->cname, borrow->cname,
        borrow->cname, borrow->base, own->cname, borrow->cname);
  }
  own->defined = borrow->defined = true;
  return !w->failed;
}

/* Section: freeing */

HCtx host_enter_type(HGen *g, WgWitType t) {
  CWorld *w = &g->w;
  HCtx saved = { w->side, w->cur_iface };
  const WgWitTypeDef *d = cw_def(w, t);
  if (d && d->name.ptr && d->owner_kind == WG_WIT_OWNER_INTERFACE) {
    WgWitId id = WG_WIT_TYPE_ID(t);
    Side s = cw_side_of(w, id);
    w->side = s;
    if (s != SIDE_IMPORT) w->cur_iface = d->owner;
  }
  return saved;
}

void host_leave_type(HGen *g, HCtx c) {
  g->w.side = c.side;
  g->w.cur_iface = c.iface;
}

static const char *free_helper(HGen *g, WgWitType t, bool drop);

static bool needs(HGen *g, WgWitType t, bool drop) {
  return host_has_memory(g, t) || (drop && has_guest_owns(g, t));
}

/* Appends the statement freeing `*(p)` of type `t`, if any. */
static bool free_stmt(HGen *g, WgBuf *b, WgWitType t, const char *p, bool drop,
                      const char *ind) {
  t = cw_dealias(&g->w, t);
  if (!needs(g, t, drop)) return true;
  if (t == WG_WIT_STRING) {
    wg_buf_printf(b, "%sfree((%s)->ptr);\n", ind, p);
    return true;
  }
  const WgWitTypeDef *d = cw_def(&g->w, t);
  if (d->kind == WG_WIT_KIND_RESOURCE || d->kind == WG_WIT_KIND_HANDLE_OWN) {
    const char *fn = drop_name(g, t);
    if (!fn) return false;
    wg_buf_printf(b, "%swg_trap_delete(%s(*(%s)));\n", ind, fn, p);
    return true;
  }
  const char *fn = free_helper(g, t, drop);
  if (!fn) return false;
  wg_buf_printf(b, "%s%s(%s);\n", ind, fn, p);
  return true;
}

/* Case `i` of an option, result or variant: its payload type and the
 * member holding it. */
static bool case_payload(HGen *g, const WgWitTypeDef *d, size_t i,
                         WgWitType *type, const char **member) {
  switch (d->kind) {
    case WG_WIT_KIND_OPTION:
      *type = d->a;
      *member = "val";
      return i == 1;
    case WG_WIT_KIND_RESULT:
      *type = i ? d->b : d->a;
      *member = i ? "val.err" : "val.ok";
      return i ? d->has_b : d->has_a;
    default:
      *type = d->cases.items[i].type;
      *member =
          cw_strf(&g->w, "val.%s", cw_word(&g->w, d->cases.items[i].name));
      return d->cases.items[i].has_type;
  }
}

static bool free_body(HGen *g, WgBuf *b, WgWitType t, bool drop) {
  CWorld *w = &g->w;
  const WgWitTypeDef *d = cw_def(w, t);
  switch (d->kind) {
    case WG_WIT_KIND_RECORD:
      for (size_t i = 0; i < d->cases.count; i++)
        if (!free_stmt(g, b, d->cases.items[i].type,
                       cw_strf(w, "&v->%s", cw_word(w, d->cases.items[i].name)),
                       drop, "  "))
          return false;
      return true;
    case WG_WIT_KIND_TUPLE:
      for (size_t i = 0; i < d->types.count; i++)
        if (!free_stmt(g, b, d->types.items[i], cw_strf(w, "&v->f%zu", i), drop,
                       "  "))
          return false;
      return true;
    case WG_WIT_KIND_VARIANT:
    case WG_WIT_KIND_OPTION:
    case WG_WIT_KIND_RESULT: {
      size_t n = d->kind == WG_WIT_KIND_VARIANT ? d->cases.count : 2;
      const char *disc = d->kind == WG_WIT_KIND_VARIANT  ? "v->tag"
                         : d->kind == WG_WIT_KIND_OPTION ? "v->is_some"
                                                         : "v->is_err";
      wg_buf_printf(b, "  switch ((uint32_t)%s) {\n", disc);
      for (size_t i = 0; i < n; i++) {
        WgWitType pt;
        const char *m;
        if (!case_payload(g, d, i, &pt, &m) || !needs(g, pt, drop)) continue;
        wg_buf_printf(b, "    case %zu:\n", i);
        if (!free_stmt(g, b, pt, cw_strf(w, "&v->%s", m), drop, "      "))
          return false;
        wg_buf_puts(b, "      break;\n");
      }
      wg_buf_puts(b, "    default:\n      break;\n  }\n");
      return true;
    }
    case WG_WIT_KIND_LIST:
    case WG_WIT_KIND_MAP: {
      bool key = d->kind == WG_WIT_KIND_MAP;
      bool any = key ? needs(g, d->a, drop) || needs(g, d->b, drop)
                     : needs(g, d->a, drop);
      if (any) {
        wg_buf_puts(b, "  for (size_t i = 0; i < v->len; i++) {\n");
        if (key) {
          if (!free_stmt(g, b, d->a, "&v->ptr[i].key", drop, "    ") ||
              !free_stmt(g, b, d->b, "&v->ptr[i].value", drop, "    "))
            return false;
        } else if (!free_stmt(g, b, d->a, "&v->ptr[i]", drop, "    ")) {
          return false;
        }
        wg_buf_puts(b, "  }\n");
      }
      wg_buf_puts(b, "  free(v->ptr);\n");
      return true;
    }
    case WG_WIT_KIND_FIXED_LIST:
      wg_buf_printf(b, "  for (size_t i = 0; i < %u; i++) {\n", d->size);
      if (!free_stmt(g, b, d->a, "&v->items[i]", drop, "    ")) return false;
      wg_buf_puts(b, "  }\n");
      return true;
    default:
      return cw_fail(w, WG_ERR_INVALID, "internal: no free helper for kind %d",
                     (int)d->kind);
  }
}

static const char *free_helper(HGen *g, WgWitType t, bool drop) {
  CWorld *w = &g->w;
  t = cw_dealias(w, t);
  const TypeInfo *ti = ct_type(&g->ct, t);
  if (!ti) return NULL;
  const char *name = cw_strf(w, "Hg%s_%s", drop ? "Free" : "FreeMem", ti->base);
  if (wg_names_taken(&g->done, name)) return name;
  if (!wg_names_reserve(&g->done, name)) return cw_nomem(w), NULL;
  HCtx c = host_enter_type(g, t);
  WgBuf b = { 0 };
  wg_buf_printf(&b, "static void %s(%s *v) {\n", name, ti->cname);
  bool ok = free_body(g, &b, t, drop);
  wg_buf_puts(&b, "}\n\n");
  host_leave_type(g, c);
  if (ok) wg_buf_append(&g->c_helpers, b.data, b.len);
  wg_buf_free(&b);
  return ok ? name : NULL;
}

const char *host_free_fn(void *user, WgWitType t) {
  HGen *g = user;
  t = cw_dealias(&g->w, t);
  if (t == WG_WIT_STRING)
    return cw_strf(&g->w, "%s_string_free", g->w.world_prefix);
  const WgWitTypeDef *d = cw_def(&g->w, t);
  /* an owned handle: drop it (a resource the host defines: nothing) */
  if (d &&
      (d->kind == WG_WIT_KIND_RESOURCE || d->kind == WG_WIT_KIND_HANDLE_OWN)) {
    const TypeInfo *ti = ct_type(&g->ct, t);
    if (!ti) return NULL;
    const char *name = cw_strf(&g->w, "HgFree_%s", ti->base);
    if (wg_names_taken(&g->done, name)) return name;
    if (!wg_names_reserve(&g->done, name)) return cw_nomem(&g->w), NULL;
    WgBuf b = { 0 };
    wg_buf_printf(&b, "static void %s(%s *v) {\n", name, ti->cname);
    if (host_is_guest_resource(g, t))
      wg_buf_printf(&b, "  wg_trap_delete(%s(*v));\n", drop_name(g, t));
    else
      wg_buf_puts(&b, "  (void)v; /* the host's own representation */\n");
    wg_buf_puts(&b, "}\n\n");
    wg_buf_append(&g->c_helpers, b.data, b.len);
    wg_buf_free(&b);
    return name;
  }
  if (!needs(g, t, true)) {
    /* owns only handles of resources the host defines: nothing to do */
    const TypeInfo *ti = ct_type(&g->ct, t);
    if (!ti) return NULL;
    const char *name = cw_strf(&g->w, "HgFree_%s", ti->base);
    if (wg_names_taken(&g->done, name)) return name;
    if (!wg_names_reserve(&g->done, name)) return cw_nomem(&g->w), NULL;
    wg_buf_printf(&g->c_helpers, "static void %s(%s *v) {\n  (void)v;\n}\n\n",
                  name, ti->cname);
    return name;
  }
  return free_helper(g, t, true);
}

const char *host_freemem_fn(HGen *g, WgWitType t) {
  t = cw_dealias(&g->w, t);
  if (!host_has_memory(g, t)) return NULL;
  if (t == WG_WIT_STRING) {
    const char *name = "HgFreeMem_string";
    if (!wg_names_taken(&g->done, name)) {
      if (!wg_names_reserve(&g->done, name)) return cw_nomem(&g->w), NULL;
      wg_buf_printf(&g->c_helpers,
                    "static void %s(%s *v) {\n  free(v->ptr);\n}\n\n", name,
                    g->ct.string_info.cname);
    }
    return name;
  }
  return free_helper(g, t, false);
}
