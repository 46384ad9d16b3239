/* SPDX-License-Identifier: Apache-2.0 */
/* The C types of WIT types, shared by the bindings generators: the C name
 * of every type on each side, its typedef (laid out as the Canonical ABI
 * lays the type out on wasm32), WIT docs as comments, the public `*_free`
 * of owning types, and the Canonical ABI view of each type (canon_abi.h:
 * sizes, alignment, flattening). What a generator adds to a type (resource
 * glue, the body of a `*_free`) it supplies through CTypeHooks, so nothing
 * here knows about guest or host glue.
 *
 * The files of codegen/src call one way, each only the files before it:
 *
 *   c_names   C identifiers: snake case, reserved words, name sets, prefix
 *             escalation (no WIT model)
 *   c_world   the context of a run and the C names of a world's items
 *   c_types   C types of WIT types, typedefs, docs, ABI view
 *   ---- shared above, guest bindings below (guest.h) ----
 *   guest_stubs      trivial exports (`--stubs`)
 *   guest_resources  resource handle glue (CTypeHooks.define_resource)
 *   guest_walk       free/check/borrow helpers (CTypeHooks.free_fn)
 *   guest_flat       flat lowering and lifting
 *   guest_funcs      import wrappers, export trampolines, post-return
 *   guest_emit       wg_bindgen_generate(): the world walk, the two files,
 *                    cabi_realloc, the component-type custom section
 *   ---- host bindings (host.h): beside the guest files, on the shared ones
 *   host_types       handle types of resources, what types hold, *_free
 *   host_sig         WIT signatures as text, for link-time type checks
 *   host_abi         lifting and lowering made per type (flat, memory)
 *   host_funcs       export calls, import trampolines and tables
 *   host_emit        wg_hostgen_generate(): the world walk, the files */
#ifndef WG_CODEGEN_C_TYPES_H
#define WG_CODEGEN_C_TYPES_H

#include "c_world.h"
#include "strbuf.h"
#include "witgen/canon_abi.h"

/* The C identity of a type on one side. */
typedef struct TypeInfo {
  const char *cname; /* "http_types_fields_t" */
  const char *base;  /* "http_types_fields": `_free`, macros, helpers */
  bool defined;      /* typedef emitted */
} TypeInfo;

/* An anonymous type's C identity, keyed by its shape. */
typedef struct ShapeEntry {
  char *shape;
  TypeInfo info;
} ShapeEntry;

/* What the generator on top adds to types. `user` is passed back. */
typedef struct CTypeHooks {
  void *user;
  /* Emits resource `res` (in the context of its owner, cw_side_of()),
   * whose owned handle type is named `own` and borrowed handle type
   * `borrow`; sets both `defined`. False after an error (recorded). */
  bool (*define_resource)(void *user, WgWitId res, TypeInfo *own,
                          TypeInfo *borrow);
  /* The name of a static `void f(T *v)` that frees what a value of owning
   * type `t` (ct_owns()) holds, emitted once; NULL after an error. */
  const char *(*free_fn)(void *user, WgWitType t);
} CTypeHooks;

typedef struct CTypes {
  CWorld *w; /* borrowed */
  CTypeHooks hooks;
  TypeInfo **types;   /* per slot, per type id */
  TypeInfo **borrows; /* borrowed handle types of resources, ditto */
  TypeInfo prims[WG_WIT_PRIM_COUNT];
  TypeInfo string_info;
  ShapeEntry *shapes;
  size_t shape_count, shape_cap;
  WgAbiType **abi;  /* per type id, lazily built */
  void **abi_nodes; /* every node allocated, freed by ct_free() */
  size_t abi_node_count, abi_node_cap;
  /* Output. */
  WgBuf h_types; /* typedefs and `*_free` declarations, dependency order */
  WgBuf c_frees; /* the public `*_free` functions */
} CTypes;

/* Sets up `t` (zeroed by the caller) over `w` (after cw_init(); borrowed
 * until ct_free()) with `hooks` (copied): names the string type
 * `<world>_string_t` and keeps its helpers' names `_set`, `_dup`, `_free`.
 * False after an error (recorded in `w`); call ct_free() in every case. */
bool ct_init(CTypes *t, CWorld *w, const CTypeHooks *hooks);
/* Frees what `t` holds (not `w`). */
void ct_free(CTypes *t);

/* The C identity of `ty` in the current context (w->side, w->cur_iface);
 * names it and defines it in t->h_types first when needed, with the types
 * it uses before it. NULL after an error. */
const TypeInfo *ct_type(CTypes *t, WgWitType ty);
/* The C type name of `ty` ("uint32_t", "http_types_fields_t"), or NULL. */
const char *ct_cname(CTypes *t, WgWitType ty);
/* The Canonical ABI view of `ty` (owned by `t`). */
const WgAbiType *ct_abi(CTypes *t, WgWitType ty);
/* True when values of `ty` own heap memory or handles (have a `*_free`). */
bool ct_owns(const CTypes *t, WgWitType ty);
/* Checks `ty` (deeply) for what the generators refuse (async types);
 * false with the error recorded ("not supported yet: stream in <where>"). */
bool ct_supported(CTypes *t, WgWitType ty, const char *where);
/* The C type of a core value type. */
const char *ct_core_ctype(WgCoreType c);
/* Appends WIT docs as a C comment (nothing when there are none). */
void ct_put_docs(WgBuf *b, WgStr docs, const char *indent);

#endif
