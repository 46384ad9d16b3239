/* SPDX-License-Identifier: Apache-2.0 */
/* `witgen new`: exported interfaces with resources as nested shim
 * components (component_new.c builds the rest).
 *
 * An inline instance cannot export functions over resources the component
 * defines ("resource used in function does not have a name in this
 * context"), and an instance type ascription turns the resources into
 * fresh abstract ones. So, as wit-component does, such an interface is an
 * instance of a small nested component that imports the resources and the
 * lifted functions and re-exports them under the interface's names. A
 * nested component cannot close over resources (outer aliases must not
 * reach types holding resources): resources are imported with a
 * `(sub resource)` bound, and the other named types are copied inside and
 * imported with an `eq` bound to keep their identity. */
#include <string.h>

#include "arena.h"
#include "component_new_impl.h"

typedef struct Shim {
  WgCDef *defs;
  uint32_t ndefs, cap, ntypes, nfuncs;
  WgCInstantiateArg *args; /* the with-arguments of its instantiation */
  uint32_t nargs, capargs;
} Shim;

static WgCDef *sh_def(New *n, Shim *sh, WgCDefKind kind) {
  if (sh->ndefs == sh->cap) {
    uint32_t cap = sh->cap ? sh->cap * 2 : 32;
    WgCDef *d = wg_arena_zalloc(n->arena, cap * sizeof *d);
    if (!d) {
      wg_cnew_fail(n, "out of memory");
      return NULL;
    }
    if (sh->ndefs) memcpy(d, sh->defs, sh->ndefs * sizeof *d);
    sh->defs = d;
    sh->cap = cap;
  }
  WgCDef *d = &sh->defs[sh->ndefs++];
  memset(d, 0, sizeof *d);
  d->kind = kind;
  return d;
}

static uint32_t sh_type(New *n, Shim *sh, WgCType *t) {
  WgCDef *d = t ? sh_def(n, sh, WG_CDEF_TYPE) : NULL;
  if (!d) return NONE;
  d->u.type = t;
  return sh->ntypes++;
}

/* An import of the shim (type or function), bound to top-level `arg`. */
static uint32_t sh_import(New *n, Shim *sh, WgCExternType et, uint32_t arg) {
  WgCDef *d = sh_def(n, sh, WG_CDEF_IMPORT);
  if (!d) return NONE;
  const char *name = wg_arena_printf(
      n->arena, "%s%u", et.kind == WG_CSORT_FUNC ? "f" : "t", sh->nargs);
  if (!name) {
    wg_cnew_fail(n, "out of memory");
    return NONE;
  }
  d->u.extern_.name.name = wg_str_from_cstr(name);
  d->u.extern_.type = et;
  if (sh->nargs == sh->capargs) {
    uint32_t cap = sh->capargs ? sh->capargs * 2 : 16;
    WgCInstantiateArg *a = wg_arena_zalloc(n->arena, cap * sizeof *a);
    if (!a) {
      wg_cnew_fail(n, "out of memory");
      return NONE;
    }
    if (sh->nargs) memcpy(a, sh->args, sh->nargs * sizeof *a);
    sh->args = a;
    sh->capargs = cap;
  }
  sh->args[sh->nargs++] =
      (WgCInstantiateArg){ .name = d->u.extern_.name.name,
                           .sort = et.kind == WG_CSORT_FUNC ? WG_CSORT_FUNC
                                                            : WG_CSORT_TYPE,
                           .index = arg };
  return et.kind == WG_CSORT_FUNC ? sh->nfuncs++ : sh->ntypes++;
}

/* A type index in a scope of the world's component type: the world itself
 * (inst == NONE) or the instance type of world instance `inst`. */
typedef struct WRef {
  const WgCType *scope;
  uint32_t inst;
  uint32_t index;
} WRef;

/* The declarator introducing type `index` of `scope`. */
static const WgCDecl *type_decl(const WgCType *scope, uint32_t index) {
  uint32_t t = 0;
  for (uint32_t k = 0; k < scope->u.decls.count; k++) {
    const WgCDecl *d = &scope->u.decls.items[k];
    bool is_type =
        d->kind == WG_CDECL_TYPE ||
        (d->kind == WG_CDECL_ALIAS && d->u.alias.sort == WG_CSORT_TYPE) ||
        ((d->kind == WG_CDECL_IMPORT || d->kind == WG_CDECL_EXPORT) &&
         d->u.extern_.type.kind == WG_CSORT_TYPE);
    if (is_type && t++ == index) return d;
  }
  return NULL;
}

/* One step along `eq`/alias chains. 1: *r moved on; 0: *r is a definition
 * (*def); 2: *r is a resource; -1: cannot tell. */
static int wref_step(New *n, WRef *r, const WgCType **def) {
  const WgCDecl *d = type_decl(r->scope, r->index);
  if (!d) return -1;
  switch (d->kind) {
    case WG_CDECL_TYPE:
      *def = d->u.type;
      return 0;
    case WG_CDECL_ALIAS:
      if (d->u.alias.kind == WG_CALIAS_OUTER && d->u.alias.instance == 1 &&
          r->inst != NONE) {
        *r = (WRef){ n->world, NONE, d->u.alias.index };
        return 1;
      }
      if (d->u.alias.kind == WG_CALIAS_EXPORT && r->inst == NONE) {
        uint32_t i = d->u.alias.instance;
        const WgCType *it = i < n->winst ? n->inst_types[i] : NULL;
        if (!it) return -1;
        for (uint32_t k = 0, t = 0; k < it->u.decls.count; k++) {
          const WgCDecl *x = &it->u.decls.items[k];
          bool is_type =
              x->kind == WG_CDECL_TYPE ||
              (x->kind == WG_CDECL_ALIAS && x->u.alias.sort == WG_CSORT_TYPE) ||
              ((x->kind == WG_CDECL_IMPORT || x->kind == WG_CDECL_EXPORT) &&
               x->u.extern_.type.kind == WG_CSORT_TYPE);
          if (is_type && x->kind == WG_CDECL_EXPORT &&
              wg_str_eq(x->u.extern_.name.name, d->u.alias.name)) {
            *r = (WRef){ it, i, t };
            return 1;
          }
          if (is_type) t++;
        }
      }
      return -1;
    case WG_CDECL_IMPORT:
    case WG_CDECL_EXPORT:
      if (d->u.extern_.type.bound == WG_CBOUND_SUB_RESOURCE) return 2;
      r->index = d->u.extern_.type.index;
      return 1;
    default:
      return -1;
  }
}

/* Follows `r` to a definition or a resource (see wref_step). */
static int wref_resolve(New *n, WRef *r, const WgCType **def) {
  for (int k = 0; k < 64; k++) {
    int s = wref_step(n, r, def);
    if (s != 1) return s;
  }
  return -1;
}

/* The value type indices `t` refers to, into refs (at most 2 + fields). */
static uint32_t type_refs(const WgCType *t, uint32_t *refs, uint32_t max) {
  uint32_t c = 0;
#define REF(vt)                                        \
  do {                                                 \
    if (!(vt).prim && c < max) refs[c++] = (vt).index; \
  } while (0)
  switch (t->kind) {
    case WG_CT_RECORD:
    case WG_CT_VARIANT:
    case WG_CT_TUPLE:
      for (uint32_t i = 0; i < t->u.fields.count; i++)
        if (t->u.fields.items[i].has_type) REF(t->u.fields.items[i].type);
      break;
    case WG_CT_LIST:
    case WG_CT_FIXED_LIST:
    case WG_CT_OPTION:
      REF(t->u.list.elem);
      break;
    case WG_CT_RESULT:
      if (t->u.result.has_ok) REF(t->u.result.ok);
      if (t->u.result.has_err) REF(t->u.result.err);
      break;
    case WG_CT_OWN:
    case WG_CT_BORROW:
      if (c < max) refs[c++] = t->u.resource;
      break;
    case WG_CT_STREAM:
    case WG_CT_FUTURE:
      if (t->u.async.has_elem) REF(t->u.async.elem);
      break;
    case WG_CT_MAP:
      REF(t->u.map.key);
      REF(t->u.map.value);
      break;
    default:
      break;
  }
#undef REF
  return c;
}

/* The top-level index naming the type behind `r` itself (not following
 * chains), or NONE for anonymous definitions inside instance types. */
static uint32_t wref_top(New *n, WRef r) {
  if (r.inst == NONE) return r.index < n->wtypes ? n->tmap[r.index] : NONE;
  const WgCDecl *d = type_decl(r.scope, r.index);
  if (!d) return NONE;
  if (d->kind == WG_CDECL_ALIAS && d->u.alias.kind == WG_CALIAS_OUTER &&
      d->u.alias.instance == 1)
    return d->u.alias.index < n->wtypes ? n->tmap[d->u.alias.index] : NONE;
  if (d->kind == WG_CDECL_EXPORT && n->imap[r.inst] != NONE) {
    WgCDef *a = wg_cnew_add_def(n, WG_CDEF_ALIAS);
    if (!a) return NONE;
    a->u.alias = (WgCAlias){ .sort = WG_CSORT_TYPE,
                             .kind = WG_CALIAS_EXPORT,
                             .instance = n->imap[r.inst],
                             .name = d->u.extern_.name.name };
    return n->ntypes++;
  }
  return NONE;
}

/* The shim's index for the world type behind `r`. */
static uint32_t sh_ref(New *n, Shim *sh, WRef r, int depth) {
  if (depth > 64) {
    wg_cnew_fail(n, "types nested too deeply");
    return NONE;
  }
  uint32_t top = wref_top(n, r);
  WRef e = r;
  const WgCType *def = NULL;
  int s = wref_resolve(n, &e, &def);
  if (s == 2) {
    if (top == NONE) {
      wg_cnew_fail(n,
                   "a resource of an exported interface has no name to import");
      return NONE;
    }
    return sh_import(n, sh,
                     (WgCExternType){ .kind = WG_CSORT_TYPE,
                                      .bound = WG_CBOUND_SUB_RESOURCE },
                     top);
  }
  if (s != 0) {
    wg_cnew_fail(n, "a type of an exported interface cannot be resolved");
    return NONE;
  }
  /* A copy, its references mapped one by one, imported with an `eq`
   * bound when named (as wit-component does). An outer alias of the
   * top-level type is not enough: wasm-tools' decoder rejects importing an
   * aliased variant whose cases name other variants ("type not valid to be
   * used as import"), even when those are imported first. */
  uint32_t refs[256];
  uint32_t c = type_refs(def, refs, 256), max = 0;
  for (uint32_t i = 0; i < c; i++)
    if (refs[i] + 1 > max) max = refs[i] + 1;
  uint32_t *map = NULL;
  if (!wg_cnew_grow_map(n, &map, max)) return NONE;
  for (uint32_t i = 0; i < c && !n->failed; i++)
    if (map[refs[i]] == NONE)
      map[refs[i]] =
          sh_ref(n, sh, (WRef){ e.scope, e.inst, refs[i] }, depth + 1);
  uint32_t copy = sh_type(n, sh, wg_cnew_map_type(n, def, map, max));
  if (top == NONE || copy == NONE) return copy;
  return sh_import(n, sh,
                   (WgCExternType){ .kind = WG_CSORT_TYPE,
                                    .bound = WG_CBOUND_EQ,
                                    .index = copy },
                   top);
}

/* Builds the shim component of exported interface type `it` (world
 * instance `winst`): `lmap` gives the top-level type of each of its type
 * indices, `fidx` the lifted function of each of its declarators. Adds the
 * component and its instance; returns the instance index. */
uint32_t wg_cnew_shim_component(New *n, const WgCType *it, uint32_t winst,
                                const uint32_t *lmap, const uint32_t *fidx,
                                uint32_t nl) {
  Shim sh = { 0 };
  uint32_t *ilmap = NULL, *elmap = NULL, *sfunc = NULL;
  if (!wg_cnew_grow_map(n, &ilmap, nl) || !wg_cnew_grow_map(n, &elmap, nl) ||
      !wg_cnew_grow_map(n, &sfunc, it->u.decls.count))
    return NONE;
  /* imports: the interface seen from inside, over imported resources */
  uint32_t lt = 0;
  for (uint32_t k = 0; k < it->u.decls.count && !n->failed; k++) {
    const WgCDecl *x = &it->u.decls.items[k];
    const WgCExternType *et = &x->u.extern_.type;
    if (x->kind == WG_CDECL_TYPE) {
      ilmap[lt] = sh_type(n, &sh, wg_cnew_map_type(n, x->u.type, ilmap, lt));
      lt++;
    } else if (x->kind == WG_CDECL_ALIAS) {
      ilmap[lt] = sh_ref(n, &sh, (WRef){ it, winst, lt }, 0);
      lt++;
    } else if (x->kind == WG_CDECL_EXPORT && et->kind == WG_CSORT_TYPE) {
      if (et->bound == WG_CBOUND_SUB_RESOURCE)
        ilmap[lt] = sh_import(n, &sh, *et, lmap[lt]);
      else
        ilmap[lt] =
            sh_import(n, &sh,
                      (WgCExternType){
                          .kind = WG_CSORT_TYPE,
                          .index = et->index < lt ? ilmap[et->index] : NONE },
                      lmap[lt]);
      lt++;
    } else if (x->kind == WG_CDECL_EXPORT && et->kind == WG_CSORT_FUNC) {
      WgCExternType ft = { .kind = WG_CSORT_FUNC,
                           .index = et->index < lt ? ilmap[et->index] : NONE };
      sfunc[k] = sh_import(n, &sh, ft, fidx[k]);
    }
  }
  /* exports: the interface's names, types over the exported resources */
  lt = 0;
  for (uint32_t k = 0; k < it->u.decls.count && !n->failed; k++) {
    const WgCDecl *x = &it->u.decls.items[k];
    const WgCExternType *et = &x->u.extern_.type;
    if (x->kind == WG_CDECL_TYPE) {
      elmap[lt] = sh_type(n, &sh, wg_cnew_map_type(n, x->u.type, elmap, lt));
      lt++;
    } else if (x->kind == WG_CDECL_ALIAS) {
      elmap[lt] = ilmap[lt];
      lt++;
    } else if (x->kind == WG_CDECL_EXPORT) {
      WgCDef *d = sh_def(n, &sh, WG_CDEF_EXPORT);
      if (!d) return NONE;
      d->u.extern_.name = x->u.extern_.name;
      if (et->kind == WG_CSORT_TYPE) {
        d->u.extern_.sort = WG_CSORT_TYPE;
        d->u.extern_.index =
            et->bound == WG_CBOUND_SUB_RESOURCE ? ilmap[lt] : elmap[et->index];
        elmap[lt++] = sh.ntypes++;
      } else {
        d->u.extern_.sort = WG_CSORT_FUNC;
        d->u.extern_.index = sfunc[k];
        d->u.extern_.has_type = true;
        d->u.extern_.type =
            (WgCExternType){ .kind = WG_CSORT_FUNC, .index = elmap[et->index] };
        sh.nfuncs++;
      }
    }
  }
  if (n->failed) return NONE;
  WgComponent *c = wg_arena_zalloc(n->arena, sizeof *c);
  WgCDef *cd = c ? wg_cnew_add_def(n, WG_CDEF_COMPONENT) : NULL;
  if (!cd) {
    wg_cnew_fail(n, "out of memory");
    return NONE;
  }
  *c = (WgComponent){ .arena = n->arena,
                      .def_count = sh.ndefs,
                      .defs = sh.defs };
  cd->u.component = c;
  WgCDef *id = wg_cnew_add_def(n, WG_CDEF_INSTANCE);
  if (!id) return NONE;
  id->u.instance = (WgCInstance){ .instantiate = true,
                                  .target = n->ncomponents++,
                                  .arg_count = sh.nargs,
                                  .args = sh.args };
  return n->ninstances++;
}
