/* SPDX-License-Identifier: Apache-2.0 */
/* The C bindings generator's shared state. One Gen per run: names, the C
 * name of every type on each side (import/export), output buffers. The
 * files: bindgen_types.c (C types), bindgen_walk.c (free/check/drop
 * helpers), bindgen_flat.c (flat lowering/lifting), bindgen_funcs.c
 * (import wrappers, export trampolines), bindgen_resources.c (handles),
 * bindgen_emit.c (the run, the files), bindgen_stubs.c (test stubs). */
#ifndef WG_CODEGEN_BINDGEN_H
#define WG_CODEGEN_BINDGEN_H

#include "bindgen_names.h"
#include "strbuf.h"
#include "witgen/canon_abi.h"
#include "witgen/codegen.h"
#include "witgen/wit.h"

/* Which copy of an interface's items ("slot"): 0 the imported one, 1 the
 * exported one (an interface may be both, with distinct C names), 2 and up
 * a named interface imported under a plain name (`import primary: store;`),
 * each its own instance with its own C names. */
typedef int Side;
enum { SIDE_IMPORT = 0, SIDE_EXPORT = 1, SIDE_FIRST_EXTRA = 2 };

/* An extra import slot: interface `iface` imported as `key`. */
typedef struct Slot {
  WgWitId iface;
  WgStr key;
  const char *prefix;
} Slot;

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

enum { IFACE_IMPORTED = 1, IFACE_EXPORTED = 2 };

typedef struct Gen {
  const WgWitResolve *r;
  WgWitId world_id;
  const WgWitWorld *world;
  const WgBindgenOptions *opt;
  const char *stem;          /* world name in snake case: file names */
  const char *world_prefix;  /* prefix of world-level items */
  WgNames names;             /* every public C name */
  WgNames helpers;           /* generated static helpers already emitted */
  const char **iface_prefix; /* per interface id; NULL when not in world */
  const char **iface_wit;    /* per interface id: import module name */
  uint8_t *iface_flags;      /* IFACE_IMPORTED | IFACE_EXPORTED */
  TypeInfo **types;          /* per slot, per type id */
  TypeInfo **borrows;        /* borrowed handle types of resources */
  struct ResInfo ***res;     /* resource helpers, per slot, per type id */
  Slot *slots;               /* slots[SIDE_FIRST_EXTRA..slot_count) */
  size_t slot_count;
  TypeInfo prims[WG_WIT_PRIM_COUNT];
  TypeInfo string_info;
  ShapeEntry *shapes;
  size_t shape_count, shape_cap;
  WgAbiType **abi;  /* per type id, lazily built */
  void **abi_nodes; /* every node allocated, freed at the end */
  size_t abi_node_count, abi_node_cap;
  /* Output. */
  WgBuf h_types;        /* typedefs, in dependency order */
  WgBuf h_funcs;        /* function declarations */
  WgBuf c_imports;      /* core import declarations, in wit-component's
                           order: each interface's functions, then its
                           resource drops (so linked modules list them as
                           `component embed --dummy` does) */
  WgBuf c_imports_late; /* resource drops of the interface in progress */
  WgBuf c_code_late;    /* their wrappers */
  WgBuf c_frees;        /* the public *_free functions, at the end: they
                           come after every import wrapper, which keeps the
                           linker's import order as above */
  WgBuf c_helpers;
  WgBuf c_code;
  WgBuf stubs;
  WgBuf stub_keep; /* import wrappers the stubs keep alive */
  /* Context of the item being generated. */
  Side side;
  WgWitId cur_iface;      /* interface being generated, or WG_WIT_NONE */
  const char *def_prefix; /* prefix of the named type being defined */
  const char *fv;         /* name stem of the flat values: "_f" or "_r" */
  char **strs;            /* every string gen_strf made, freed at the end */
  size_t str_count, str_cap;
  bool failed;
  char err[256];
} Gen;

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

/* Records an error (first one wins); always returns false. */
bool gen_fail(Gen *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* malloc'ed copy of a formatted string owned by the gen (freed at end). */
const char *gen_strf(Gen *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Upper case copy (owned by the gen). */
const char *gen_upper(Gen *g, const char *s);

/* bindgen_types.c */
/* Appends WIT docs as a C comment (nothing when there are none). */
void gen_put_docs(WgBuf *b, WgStr docs, const char *indent);
const WgWitTypeDef *gen_def(const Gen *g, WgWitType t);
/* Follows `type a = b` aliases to the defining type. */
WgWitType gen_dealias(const Gen *g, WgWitType t);
/* Which side a type owned by `owner_iface` is named on in the current
 * context (g->side, g->cur_iface). */
Side gen_side_of(const Gen *g, WgWitId type_id);
/* The C identity of `t` in the current context; defines it in the header
 * first if needed. NULL after an error. */
const TypeInfo *gen_type(Gen *g, WgWitType t);
/* The C type name of `t` ("uint32_t", "http_types_fields_t"). */
const char *gen_cname(Gen *g, WgWitType t);
/* The Canonical ABI view of `t`. */
const WgAbiType *gen_abi(Gen *g, WgWitType t);
/* The C type of a core value type. */
const char *gen_core_ctype(WgCoreType c);
/* Checks `t` (deeply) for what the generator refuses (async types);
 * false with the error set. */
bool gen_supported(Gen *g, WgWitType t, const char *where);

/* bindgen_resources.c */
/* The resource a handle type or alias refers to. */
WgWitId gen_resource_of(const Gen *g, WgWitType t);
/* True when resource `res` is defined by this component (exported side). */
bool gen_resource_is_exported(const Gen *g, WgWitId res);
/* Emits handle types and helpers of resource `res` named `info`. */
bool gen_resource_define(Gen *g, WgWitId res, TypeInfo *info);
/* Drop function name of an owned handle to `res` in the current context. */
const char *gen_resource_drop_fn(Gen *g, WgWitId res);

/* bindgen_walk.c: per-type static helpers in the .c file. */
typedef enum WalkMode {
  WALK_FREE,        /* free memory, drop owned handles (public *_free) */
  WALK_FREE_MEMORY, /* free memory only (post-return) */
  WALK_CHECK,       /* validate lifted values; trap on bad input */
  WALK_BORROWS      /* collect the borrowed imported handles an export
                       received, to drop them when it returns */
} WalkMode;
/* True when values of `t` need work in `mode`. */
bool gen_walk_needed(Gen *g, WgWitType t, WalkMode mode);
/* Name of the function `void f(T *)` doing `mode` on `t` (emitted once). */
const char *gen_walk_fn(Gen *g, WgWitType t, WalkMode mode);

/* bindgen_flat.c: flat (core value) lowering and lifting.
 * Lowering writes `_fK` locals (declared by the caller with the joined
 * types of `flat`) from a C lvalue `expr`; lifting assigns `dst` from them.
 * `first` is the index of the first flat value of `t`. */
void gen_lower_flat(Gen *g, WgBuf *out, WgWitType t, const char *expr,
                    uint32_t first, const WgCoreType *flat, int indent);
void gen_lift_flat(Gen *g, WgBuf *out, WgWitType t, const char *dst,
                   uint32_t first, const WgCoreType *flat, int indent);

/* bindgen_funcs.c */
/* Emits an import wrapper for `f` of interface module `module` (prefix
 * `prefix`, C name `cname`). */
bool gen_import_func(Gen *g, const WgWitFunction *f, const char *module,
                     const char *cname);
/* Emits a user declaration and a trampoline for exported `f`; `export_name`
 * is the core export name ("iface#f"). */
bool gen_export_func(Gen *g, const WgWitFunction *f, const char *export_name,
                     const char *cname);
/* C name of a function: `prefix_f`, `prefix_r_m`, `prefix_r_new`/
 * `..._constructor`. */
const char *gen_func_cname(Gen *g, const char *prefix, const WgWitFunction *f);

/* bindgen_stubs.c */
/* Appends to g->stubs a trivial implementation of exported `f`. */
void gen_stub_func(Gen *g, const WgWitFunction *f, const char *cname);
void gen_stub_resource(Gen *g, const struct ResInfo *ri);

#endif
