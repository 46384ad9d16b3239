/* SPDX-License-Identifier: Apache-2.0 */
/* The guest bindings generator (wg_bindgen_generate()): the glue of a
 * component built with clang --target=wasm32-wasi, on top of the shared
 * C names and types (c_types.h, which gives the order of the files: each
 * guest_*.c calls only the shared files and the guest files before it).
 * One Gen per run: the shared context, the guest's options, helpers and
 * output buffers. */
#ifndef WG_CODEGEN_GUEST_H
#define WG_CODEGEN_GUEST_H

#include "c_types.h"
#include "strbuf.h"
#include "witgen/canon_abi.h"
#include "witgen/codegen.h"
#include "witgen/wit.h"

/* Names of a resource's helpers (see docs/bindings.md). Import side:
 * drop, borrow; export side: all. `drop_import` is the core import. */
typedef struct ResInfo {
  const char *module;      /* import module of the drop ("[export]i" too) */
  const char *drop;        /* P_r_drop */
  const char *drop_import; /* witgen_imp_P_r_drop */
  const char *rep_t;       /* exports_P_r_rep_t */
  const char *rep_struct;  /* exports_P_r (struct tag) */
  const char *new_fn, *rep_fn, *dtor;
} ResInfo;

typedef struct Gen {
  CWorld w;  /* names, context, error */
  CTypes ct; /* C types; its h_types and c_frees are part of the output */
  const WgBindgenOptions *opt;
  WgNames helpers; /* generated static helpers already emitted */
  ResInfo ***res;  /* resource helpers, per slot, per type id */
  /* Output. */
  WgBuf h_funcs;        /* function declarations */
  WgBuf c_imports;      /* core import declarations, in wit-component's
                           order: each interface's functions, then its
                           resource drops (so linked modules list them as
                           `component embed --dummy` does) */
  WgBuf c_imports_late; /* resource drops of the interface in progress */
  WgBuf c_code_late;    /* their wrappers */
  WgBuf c_helpers;
  WgBuf c_code;
  WgBuf stubs;
  WgBuf stub_keep; /* import wrappers the stubs keep alive */
  const char *fv;  /* name stem of the flat values: "_f" or "_r" */
} Gen;

/* guest_stubs.c: trivial exports (`--stubs`), appended to g->stubs. */
void guest_stub_func(Gen *g, const WgWitFunction *f, const char *cname);
void guest_stub_resource(Gen *g, const ResInfo *ri);

/* guest_resources.c */
/* CTypeHooks.define_resource (`user` is the Gen): emits the handle types
 * and helpers of resource `res`. */
bool guest_resource_define(void *user, WgWitId res, TypeInfo *own,
                           TypeInfo *borrow);
/* Drop function name of an owned handle to `res` in the current context. */
const char *guest_resource_drop_fn(Gen *g, WgWitId res);

/* guest_walk.c: per-type static helpers in the .c file. */
typedef enum WalkMode {
  WALK_FREE,        /* free memory, drop owned handles (public *_free) */
  WALK_FREE_MEMORY, /* free memory only (post-return) */
  WALK_CHECK,       /* validate lifted values; trap on bad input */
  WALK_BORROWS      /* collect the borrowed imported handles an export
                       received, to drop them when it returns */
} WalkMode;
/* True when values of `t` need work in `mode`. */
bool guest_walk_needed(Gen *g, WgWitType t, WalkMode mode);
/* Name of the function `void f(T *)` doing `mode` on `t` (emitted once). */
const char *guest_walk_fn(Gen *g, WgWitType t, WalkMode mode);
/* CTypeHooks.free_fn (`user` is the Gen): guest_walk_fn(WALK_FREE). */
const char *guest_free_fn(void *user, WgWitType t);

/* guest_flat.c: flat (core value) lowering and lifting.
 * Lowering writes `_fK` locals (declared by the caller with the joined
 * types of `flat`) from a C lvalue `expr`; lifting assigns `dst` from them.
 * `first` is the index of the first flat value of `t`. */
void guest_lower_flat(Gen *g, WgBuf *out, WgWitType t, const char *expr,
                      uint32_t first, const WgCoreType *flat, int indent);
void guest_lift_flat(Gen *g, WgBuf *out, WgWitType t, const char *dst,
                     uint32_t first, const WgCoreType *flat, int indent);

/* guest_funcs.c */
/* Emits an import wrapper for `f` of interface module `module` (C name
 * `cname`). */
bool guest_import_func(Gen *g, const WgWitFunction *f, const char *module,
                       const char *cname);
/* Emits a user declaration and a trampoline for exported `f`; `export_name`
 * is the core export name ("iface#f"). */
bool guest_export_func(Gen *g, const WgWitFunction *f, const char *export_name,
                       const char *cname);

#endif
