/* SPDX-License-Identifier: Apache-2.0 */
/* The host bindings generator (wg_hostgen_generate(), docs/host-bindings.md):
 * the embedder's side of a world, in C on witgen/component_abi.h: typed
 * calls of the world's exports, tables of typed functions implementing
 * its imports, resources on both sides, and lifting and lowering code
 * made per type. It sits beside the guest generator on the shared C names
 * and types (c_types.h); the files call one way:
 *
 *   host_types   handle types of resources (CTypeHooks.define_resource),
 *                what a type holds (handles, plain bytes), the `*_free`
 *                helpers (CTypeHooks.free_fn)
 *   host_sig     WIT signatures as text, for the link-time type checks
 *   host_abi     per-type lifting and lowering: flat values and memory
 *   host_funcs   export calls, import trampolines and tables
 *   host_emit    the world walk and the two files
 */
#ifndef WG_CODEGEN_HOST_H
#define WG_CODEGEN_HOST_H

#include "c_types.h"
#include "strbuf.h"
#include "witgen/canon_abi.h"
#include "witgen/codegen.h"
#include "witgen/wit.h"

/* An export the bindings call: its full name and WIT signature. */
typedef struct HExport {
  const char *name;
  const char *sig;
} HExport;

/* An imported interface (or the world itself, `iface` WG_WIT_NONE): its
 * table type and add_to_linker function, for the world's aggregate. */
typedef struct HImport {
  const char *wit;    /* WIT name, for comments */
  const char *member; /* member of <world>_imports_t */
  const char *impl_t; /* table type */
  const char *add_fn; /* <prefix>_add_to_linker */
} HImport;

typedef struct HGen {
  CWorld w;  /* names, context, error */
  CTypes ct; /* C types; its h_types and c_frees are part of the output */
  const WgBindgenOptions *opt;
  /* Output. */
  WgBuf h_funcs;   /* header: tables, add_to_linker, export calls */
  WgBuf c_helpers; /* per-type static helpers, callees first */
  WgBuf c_code;    /* trampolines, tables, export calls */
  WgBuf stubs;     /* --stubs: trivial implementations of the imports */
  WgBuf stub_tables;
  /* The exports bound by <world>_bind, in world order. */
  HExport *exports;
  size_t export_count, export_cap;
  HImport *imports;
  size_t import_count, import_cap;
  /* World-level imports: members of <world>_imports_t, their
   * definitions in <world>_add_to_linker. */
  WgBuf world_members, world_defs, world_stub_members;
  const char *bound_t; /* <world>_t */
  /* Per-type helpers already emitted (the names set of w). */
  WgNames done;
} HGen;

/* host_types.c */
/* CTypeHooks.define_resource (`user` is the HGen). */
bool host_resource_define(void *user, WgWitId res, TypeInfo *own,
                          TypeInfo *borrow);
/* CTypeHooks.free_fn: the helper freeing memory and dropping owned handles
 * of resources a component defines. */
const char *host_free_fn(void *user, WgWitType t);
/* The helper freeing memory only (values whose handles moved); NULL when
 * `t` owns no memory. */
const char *host_freemem_fn(HGen *g, WgWitType t);
/* True when `t` owns memory (strings, lists) deep inside. */
bool host_has_memory(HGen *g, WgWitType t);
/* Handle types (own/borrow) met walking `t` (component_abi.h's order). */
uint32_t host_handle_count(HGen *g, WgWitType t);
/* True for a handle type of a resource this component defines (the world
 * exports it): the host holds host handles of it. */
bool host_is_guest_resource(HGen *g, WgWitType t);
/* Enters the naming context of type `t` (as c_types.c defines it), so the
 * C names of its members come out as in its typedef; host_leave_type()
 * restores the one before. */
typedef struct HCtx {
  Side side;
  WgWitId iface;
} HCtx;
HCtx host_enter_type(HGen *g, WgWitType t);
void host_leave_type(HGen *g, HCtx c);

/* host_sig.c: `func(a: T, ...) -> R` with structural types. */
const char *host_sig(HGen *g, const WgWitFunction *f);

/* host_abi.c: per-type helpers. Each emits statements into `b`, indented
 * by `ind`, returning false from the enclosing function on a trap:
 *  - lower: C value at `*p` -> flat values at `out` (WgVal *);
 *  - lift: flat values at `in` (const WgVal *) -> C value at `*p`;
 *  - store: C value at `*p` -> guest memory at address `addr`;
 *  - load: guest memory at view `m` (const uint8_t *, checked) -> `*p`.
 * `k` is a C expression giving the position of the type's first handle
 * type. */
void host_lower(HGen *g, WgBuf *b, WgWitType t, const char *p, const char *out,
                const char *k, const char *ind);
void host_lift(HGen *g, WgBuf *b, WgWitType t, const char *in, const char *p,
               const char *k, const char *ind);
void host_store(HGen *g, WgBuf *b, WgWitType t, const char *p, const char *addr,
                const char *k, const char *ind);
void host_load(HGen *g, WgBuf *b, WgWitType t, const char *m, const char *p,
               const char *k, const char *ind);
/* Flat core types of `t` (natural, not joined); their count. */
uint32_t host_flat(HGen *g, WgWitType t, WgCoreType *out, uint32_t cap);

/* host_funcs.c */
/* An exported function `f` (C name of the call `cname`, full export name
 * `export_name`): the call wrapper and its entry in the bind table. */
bool host_export_func(HGen *g, const WgWitFunction *f, const char *export_name,
                      const char *cname);
/* An imported function `f` of interface module `module` (`$root` at world
 * level), member `member` of table type `impl_t`: the member's declaration
 * appended to `decl`, the trampoline, and its definition appended to
 * `defs` (statements of an add_to_linker function). */
bool host_import_func(HGen *g, const WgWitFunction *f, const char *module,
                      const char *impl_t, const char *member, WgBuf *decl,
                      WgBuf *defs, WgBuf *stub_members);
/* An imported resource type `res` of module `module`: its destructor
 * member and definition. */
bool host_import_resource(HGen *g, WgWitId res, const char *module,
                          const char *impl_t, const char *member, WgBuf *decl,
                          WgBuf *defs, WgBuf *stub_members);

#endif
