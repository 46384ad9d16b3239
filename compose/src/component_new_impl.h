/* SPDX-License-Identifier: Apache-2.0 */
/* Private to `witgen new` (component_new.c and component_adapt.c): the
 * component being built and the helpers both files use. */
#ifndef WG_CODEGEN_COMPONENT_NEW_IMPL_H
#define WG_CODEGEN_COMPONENT_NEW_IMPL_H

#include "strbuf.h"
#include "witgen/component_binary.h"
#include "witgen/component_types.h"
#include "witgen/compose.h"
#include "witgen/core_module.h"

enum { NONE = UINT32_MAX };

/* A slot of the shim table: a lowered import, the destructor of an
 * exported resource (`dtor`: the main module's export filling it), or a
 * preview1 function of the adapter. */
typedef struct Lowered {
  const WgFuncType *ft; /* its core type */
  uint32_t func;        /* component function to lower (top-level index) */
  WgStr dtor;
  WgStr adapter;   /* an export of the adapter (main module imports) */
  bool of_adapter; /* an import of the adapter: its realloc */
} Lowered;

/* A resource exported by one of the world's exported interfaces: defined
 * by the component itself, before the main module is instantiated. */
typedef struct ExRes {
  WgStr iface; /* the world's export name */
  WgStr name;
  uint32_t type; /* top-level resource type */
  uint32_t slot; /* shim slot of the destructor, or NONE */
} ExRes;

typedef struct New {
  WgArena *arena;
  WgDiagList *diags;
  WgStatus status; /* of the first error */
  bool failed;
  const WgModule *core;
  bool cm32; /* the cm32p2 naming scheme */
  /* the component being built */
  WgCDef *defs;
  uint32_t ndefs, capdefs;
  uint32_t ntypes, nfuncs, ninstances, ncore_funcs, ncore_instances,
      ncore_modules, ncore_tables, ncore_memories, ncore_globals, ncomponents;
  /* the world's index spaces, resolved by the component validator */
  WgCTypes *types;
  const WgCScope *ws;
  /* world index -> top-level index */
  uint32_t *tmap, *fmap, *imap;
  uint32_t wtypes, wfuncs, winst; /* counts in the world's spaces */
  WgStr *inst_names;              /* world instance index -> import name */
  const WgCType **inst_types;     /* world instance index -> instance type */
  const WgCType **wdefs;          /* world type index -> definition */
  /* world-level named types and funcs (import names) */
  const WgCType *world;
  ExRes *exres;
  uint32_t nexres;
  /* a preview1 adapter (--adapt), NULL without */
  const WgModule *adapter;
  WgStr aname;
  const uint8_t *abytes;
  size_t alen;
  uint32_t adapter_inst;
  /* the main module's realloc when its `cabi_realloc` export is a
   * command-export wrapper (wasm-ld's, running the C destructors after the
   * allocation): the wrapped function, exported as WG_CNEW_INNER_REALLOC */
  bool inner_realloc;
} New;

#define WG_CNEW_INNER_REALLOC "witgen:cabi_realloc"


/* The name to take the main module's realloc by (see inner_realloc). */
WgStr wg_cnew_realloc_name(const New *n);

/* Records the first error (WG_ERR_INVALID; "out of memory" gives
 * WG_ERR_NOMEM) in n->diags; returns false. */
bool wg_cnew_fail(New *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same with the status given. */
bool wg_cnew_fail_status(New *n, WgStatus status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A new top-level definition of `kind` (zeroed); NULL when out of memory. */
WgCDef *wg_cnew_add_def(New *n, WgCDefKind kind);
bool wg_cnew_str_is(WgStr s, const char *c);
/* `alias core export <instance> <name>`: the new core item's index. */
uint32_t wg_cnew_alias_core(New *n, uint32_t instance, WgStr name,
                            uint8_t core_sort);
/* A core module definition of `bytes` (taken); its index. */
uint32_t wg_cnew_add_module(New *n, WgBuf *bytes);
const WgExport *wg_cnew_module_export(const WgModule *m, WgStr name,
                                      WgExternKind kind);
/* An export of the main module. */
const WgExport *wg_cnew_core_export(New *n, WgStr name, WgExternKind kind);
/* The type index of imported function `fi` of `m`. */
uint32_t wg_cnew_func_import_type(const WgModule *m, uint32_t fi);
/* Module binary pieces: a name, a section (body taken). */
void wg_cnew_put_name(WgBuf *b, WgStr s);
void wg_cnew_put_section(WgBuf *out, uint8_t id, WgBuf *body);
/* A core module without its `component-type*` custom sections. */
bool wg_cnew_strip_types(New *n, const uint8_t *bytes, size_t len, WgBuf *out);

/* A copy of value or function type `t` whose indices go through `map`
 * (`count` entries); instance types remap only `alias outer 1`. */
WgCType *wg_cnew_map_type(New *n, const WgCType *t, const uint32_t *map,
                          uint32_t count);
/* *map: `count` + 1 entries, all NONE. */
bool wg_cnew_grow_map(New *n, uint32_t **map, uint32_t count);

/* component_shim.c: the shim component of exported interface type `it`
 * (world instance `winst`), instantiated; `lmap` gives the top-level type
 * of each of its type indices, `fidx` the lifted function of each of its
 * declarators. Returns the instance index, or NONE. */
uint32_t wg_cnew_shim_component(New *n, const WgCType *it, uint32_t winst,
                                const uint32_t *lmap, const uint32_t *fidx,
                                uint32_t nl);

/* component_adapt.c: main module import `im` (of the adapter's module
 * name) as a slot filled with the adapter's function of the same name. */
bool wg_cnew_adapter_slot(New *n, const WgImport *im, Lowered *slot);
/* component_adapt.c: the adapter's instance (n->adapter_inst) once the main
 * module is instantiated; *adapter_realloc its cabi_import_realloc. */
bool wg_cnew_instantiate_adapter(New *n, uint32_t main_inst, uint32_t memory,
                                 const uint32_t *core_of,
                                 uint32_t *adapter_realloc);

#endif
