/* SPDX-License-Identifier: Apache-2.0 */
/* Private to `witgen new` (compose/src/component_*.c, core_modules.c): the
 * component being built, and what each file offers the others.
 *
 *   component_new.c      the driver: reads the module, finds the world
 *   component_defs.c     definitions, index maps, types copied with remapping
 *   component_names.c    the core names of the two naming schemes
 *   component_imports.c  phase 1: the world's imports; what each core import is
 *   component_core.c     phase 2: core instances (shim, main module, fixup)
 *   component_exports.c  phase 3: the world's exports, lifted
 *   component_adapt.c    a preview1 adapter's instance
 *   component_shim.c     exported interfaces with resources (nested components)
 *   core_modules.c       the small core modules (shim, fixup, realloc, stack)
 */
#ifndef WG_COMPOSE_COMPONENT_NEW_IMPL_H
#define WG_COMPOSE_COMPONENT_NEW_IMPL_H

#include "strbuf.h"
#include "witgen/component_binary.h"
#include "witgen/component_types.h"
#include "witgen/compose.h"
#include "witgen/core_module.h"

enum { NONE = UINT32_MAX };

/* The first opcode byte of the `canon` definitions witgen new makes. */
typedef enum CanonOp {
  CANON_LIFT = 0x00,
  CANON_LOWER = 0x01,
  CANON_RESOURCE_NEW = 0x02,
  CANON_RESOURCE_DROP = 0x03,
  CANON_RESOURCE_REP = 0x04,
} CanonOp;

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
/* When the main module's `cabi_realloc` is a command-export wrapper, adds
 * an export of the wrapped function to `module` (the main module's bytes,
 * replaced) and sets n->inner_realloc. */
bool wg_cnew_unwrap_realloc(New *n, WgBuf *module);

/* Where the copy of the world has got to: the next declarator and the
 * sizes of the world's index spaces copied so far. */
typedef struct WorldPos {
  uint32_t decl, types, funcs, instances;
} WorldPos;

/* The main module's core instance and the items lifting and lowering use
 * (NONE when the module does not export them). */
typedef struct MainInst {
  uint32_t instance, memory, realloc_;
} MainInst;

/* ---- component_defs.c ---- */

/* Records the first error (WG_ERR_INVALID; "out of memory" gives
 * WG_ERR_NOMEM) in n->diags; returns false. */
bool wg_cnew_fail(New *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same with the status given. */
bool wg_cnew_fail_status(New *n, WgStatus status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A note after the error (the remedy); nothing when n->diags is NULL. */
void wg_cnew_note(New *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool wg_cnew_str_is(WgStr s, const char *c);
bool wg_cnew_starts(WgStr s, const char *prefix);
/* A new top-level definition of `kind` (zeroed); NULL when out of memory. */
WgCDef *wg_cnew_add_def(New *n, WgCDefKind kind);
/* `alias core export <instance> <name>`: the new core item's index. */
uint32_t wg_cnew_alias_core(New *n, uint32_t instance, WgStr name,
                            uint8_t core_sort);
/* A core instance exporting `count` items (taken); its index. */
uint32_t wg_cnew_core_bag(New *n, WgCInstantiateArg *items, uint32_t count);
/* One core instance per import module of `imports` (`count`, those
 * `skip` accepts left out), exporting the items `core_of` gives; appended
 * to `with` as instantiation arguments. */
bool wg_cnew_module_bags(New *n, const WgImport *imports, uint32_t count,
                         const uint32_t *core_of, bool (*skip)(WgStr module),
                         WgCInstantiateArg *with, uint32_t *nwith);
/* Instantiates core module `module` with `count` arguments (taken). */
uint32_t wg_cnew_instantiate_core(New *n, uint32_t module,
                                  WgCInstantiateArg *with, uint32_t count);
/* A canon definition of `op` (zeroed otherwise); NULL when out of memory. */
WgCCanon *wg_cnew_add_canon(New *n, CanonOp op);
/* A core module definition of `bytes` (taken); its index. */
uint32_t wg_cnew_add_module(New *n, WgBuf *bytes);
/* A type definition (NULL `t`: an earlier failure); its index or NONE. */
uint32_t wg_cnew_add_type(New *n, WgCType *t);
/* The name of shim slot `i` (arena). */
WgStr wg_cnew_slot_name(New *n, uint32_t i);
const WgExport *wg_cnew_module_export(const WgModule *m, WgStr name,
                                      WgExternKind kind);
/* An export of the main module. */
const WgExport *wg_cnew_core_export(New *n, WgStr name, WgExternKind kind);
/* The type index of imported function `fi` of `m`. */
uint32_t wg_cnew_func_import_type(const WgModule *m, uint32_t fi);
/* The type of function `fi` of `m`, or NULL. */
const WgFuncType *wg_cnew_func_type(const WgModule *m, uint32_t fi);
/* A core module without its `component-type*` custom sections. */
bool wg_cnew_strip_types(New *n, const uint8_t *bytes, size_t len, WgBuf *out);
/* `index` through `map` (`count` entries); fails when it has no entry. */
uint32_t wg_cnew_map_index(New *n, uint32_t index, const uint32_t *map,
                           uint32_t count);
/* A copy of type definition `t` whose indices into the enclosing space
 * go through `map` (`count` entries; wg_ctype_remap); NULL on failure. */
WgCType *wg_cnew_map_type(New *n, const WgCType *t, const uint32_t *map,
                          uint32_t count);
/* *map: `count` + 1 entries, all NONE. */
bool wg_cnew_grow_map(New *n, uint32_t **map, uint32_t count);

/* ---- component_names.c ---- */

/* True when world import or export `decl` is interface `core` as the core
 * module names it (cm32p2 names shorten versions). */
bool wg_cnew_iface_matches(WgStr decl, WgStr core);
/* The core export of function `func` of interface `iface` (empty for the
 * world's own functions): `iface#func`, or `cm32p2|iface|func`. */
WgStr wg_cnew_core_name(New *n, WgStr iface, WgStr func);
/* The core export of the destructor of exported resource `res`. */
WgStr wg_cnew_dtor_name(New *n, WgStr iface, WgStr res);
/* The post-return function of core export `core_name` (arena), or NULL. */
const char *wg_cnew_post_name(New *n, WgStr core_name);

/* ---- component_imports.c ---- */

/* The resources the world's exported interfaces export, into n->exres. */
bool wg_cnew_collect_exported_resources(New *n);
/* The exported resource `name` of world export `iface`, or NULL. */
const ExRes *wg_cnew_find_exres(New *n, WgStr iface, WgStr name);
/* Phase 1: the world's declarators up to its first export (or the run of
 * non-imports before it), copied to the top level. */
bool wg_cnew_import_decls(New *n, WorldPos *pos);
/* Copies import-side declarator `d` of the world to the top. */
bool wg_cnew_copy_import_decl(New *n, const WgCDecl *d, WorldPos *pos);
/* What the main module's import `mod`.`name` is: a function of the world's
 * imports to lower (*func) or a resource to drop (*drop_type). */
bool wg_cnew_classify_import(New *n, WgStr mod, WgStr name, uint32_t *func,
                             uint32_t *drop_type);
/* An import from `[export]iface` (`cm32p2|_ex_iface`): resource
 * new/rep/drop of an exported resource: *op and the index in n->exres. */
bool wg_cnew_classify_export_import(New *n, WgStr mod, WgStr name, CanonOp *op,
                                    uint32_t *res);

/* ---- component_core.c ---- */

/* Phase 2: the shim, the main module (`main_module`) instantiated, the
 * adapter, the fixup filling the shim's table. */
bool wg_cnew_instantiate_main(New *n, uint32_t main_module, MainInst *main);

/* ---- component_exports.c ---- */

/* Phase 3: the world's declarators from pos->decl on. */
bool wg_cnew_export_decls(New *n, WorldPos *pos, const MainInst *main);

/* ---- component_shim.c ---- */

/* The shim component of exported interface type `it` (world instance
 * `winst`), instantiated; `lmap` gives the top-level type of each of its
 * type indices, `fidx` the lifted function of each of its declarators.
 * Returns the instance index, or NONE. */
uint32_t wg_cnew_shim_component(New *n, const WgCType *it, uint32_t winst,
                                const uint32_t *lmap, const uint32_t *fidx,
                                uint32_t nl);

/* ---- component_adapt.c ---- */

/* Main module import `im` (of the adapter's module name) as a slot filled
 * with the adapter's function of the same name. */
bool wg_cnew_adapter_slot(New *n, const WgImport *im, Lowered *slot);
/* The adapter's instance (n->adapter_inst) once the main module is
 * instantiated; `core_of` gives the core function of each adapter import
 * (shim slot or resource drop); *adapter_realloc its cabi_import_realloc. */
bool wg_cnew_instantiate_adapter(New *n, uint32_t main_inst, uint32_t memory,
                                 const uint32_t *core_of,
                                 uint32_t *adapter_realloc);

/* ---- core_modules.c ---- */

/* The shim: function i calls table slot i with its own parameters. */
void wg_cnew_shim_module(const Lowered *l, uint32_t count, WgBuf *m);
/* The fixup: imports the table and the slots' functions, stores them with
 * an active element segment, and calls `init` (if any) on start. With no
 * slots, only the initializer's call. */
void wg_cnew_fixup_module(const Lowered *l, uint32_t count, bool init,
                          WgBuf *m);
/* `realloc` growing `env.memory` by whole pages (fresh blocks only). */
void wg_cnew_realloc_module(WgBuf *m);
/* Start module: one page of `env.memory` as the stack `$sp`, `$state` 2. */
void wg_cnew_stack_module(WgBuf *m);

#endif
