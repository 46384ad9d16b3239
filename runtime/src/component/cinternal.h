/* SPDX-License-Identifier: Apache-2.0 */
/* The component runtime's private structures: the ABI type descriptors
 * (ctype.c), the flat instantiation plan a WgWasmComponent holds (cplan.c
 * builds it), the run-time instance (cinstance.c), the Canonical ABI
 * (ccanon.c: lift/lower; ccall.c: calls, handles, built-ins) and the
 * scratch memory values are built in (cscratch.c).
 *
 * The plan, like wasmtime's inlining of nested components: every nested
 * component instantiation is flattened into its parent, so a component is
 *  - a list of core instantiations, in order, each with its imports given
 *    as references (an export of an earlier core instance, or a
 *    trampoline);
 *  - trampolines: core functions the runtime provides (canon lower of an
 *    import or of a lifted function, resource.new/drop/rep);
 *  - lifts: component functions made by canon lift, with their options;
 *  - resources: the resource types the component defines (fresh per
 *    instance) or imports (host slots);
 *  - component instances: one per (nested) instantiation, each with its
 *    own handle table and may_enter/may_leave flags, and its parent;
 *  - host slots: the functions and resource types the root imports, by
 *    full WIT name, resolved by a linker into a WgComponentPre.
 */
#ifndef WG_RUNTIME_COMPONENT_CINTERNAL_H
#define WG_RUNTIME_COMPONENT_CINTERNAL_H

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "arena.h"
#include "witgen/canon_abi.h"
#include "witgen/component.h"
#include "witgen/component_abi.h"

/* Section: ABI type descriptors (ctype.c)
 *
 * Each value type a lift or lowering handles, with its Canonical ABI
 * layout computed once at load time: no layout arithmetic at call time.
 * Resources are resolved to the plan's resource slots, so the same WIT
 * type in two instantiations of one nested component gives two
 * descriptors. */

enum { CTY_MAX_FLAT = 16 };

typedef struct CTy CTy;
struct CTy {
  uint8_t kind;     /* WgCValKind */
  uint8_t align;    /* alignment in memory: 1, 2, 4 or 8 */
  uint8_t disc;     /* variant, enum, option, result: discriminant bytes */
  bool has_alloc;   /* a string or list inside: lowering calls realloc */
  bool has_handles; /* an own or borrow inside */
  bool is_fixed;    /* list<T, N> */
  bool pod;         /* copied between memories byte for byte: integers and
                       records, tuples and fixed lists of them without
                       padding (fused calls) */
  uint32_t size;    /* bytes in memory */
  uint32_t count;   /* fields, elements (fixed list), cases, flag labels */
  uint32_t payload; /* variant-likes: payload offset */
  uint32_t flat_count;
  const uint8_t *flat;     /* WgCoreType per flat slot (min(count, 17)) */
  const CTy *const *elems; /* fields, tuple elements, list element (0),
                              case payloads (NULL: none) */
  const uint32_t *offsets; /* record, tuple: field offsets */
  uint32_t resource;       /* own, borrow: plan resource slot */
  const WgCValTy *src;     /* the validator's type (names, printing) */
};

/* A function signature for lifting or lowering. */
typedef struct CSig {
  const WgCFuncTy *src;
  uint32_t param_count;
  const CTy *const *params;
  const CTy *result;       /* NULL: none */
  const CTy *params_tuple; /* the parameters as a tuple (spilled form) */
  uint32_t flat_params;    /* flat slots of all parameters */
  bool params_indirect;    /* flat_params > MAX_FLAT_PARAMS */
  bool results_indirect;   /* result flat slots > MAX_FLAT_RESULTS */
  bool has_alloc;          /* a parameter or the result needs realloc */
  bool has_borrow_param;   /* a borrow among the parameters */
} CSig;

/* Section: The plan (cplan.c) */

/* A core item at run time: an export of a core instance of the plan, or a
 * trampoline. */
typedef enum CoreRefKind {
  CREF_NONE = 0,
  CREF_EXPORT,
  CREF_TRAMP,
} CoreRefKind;

typedef struct CoreRef {
  uint8_t kind;   /* CoreRefKind */
  uint8_t ekind;  /* WgWasmExternKind */
  uint32_t inst;  /* CREF_EXPORT: core instance */
  uint32_t index; /* export index, or trampoline index */
} CoreRef;

/* A component-level function: a lift of the plan or a host slot. */
typedef enum FuncRefKind {
  FREF_LIFT = 1,
  FREF_HOST,
} FuncRefKind;

typedef struct FuncRef {
  uint8_t kind;
  uint32_t index;
} FuncRef;

/* Canonical options. */
typedef struct COpts {
  uint8_t encoding; /* 0 utf8, 1 utf16, 2 latin1+utf16 */
  CoreRef memory;   /* CREF_NONE when absent */
  CoreRef realloc;
  CoreRef post_return;
} COpts;

typedef struct PLift {
  CoreRef func;
  COpts opts;
  const CSig *sig;
  uint32_t cinst;       /* component instance the lift belongs to */
  uint32_t enter_count; /* entered when called by the host */
  const uint32_t *enter;
} PLift;

/* A fused call (cfuse.c): a lowering of a function another component
 * instance lifts, compiled once per (lowering, lift) pair. The two
 * signatures have the same layout (checked when compiling); `sig` is the
 * caller's, whose resource slots type the handles it passes. */
typedef struct Fuse {
  const CSig *sig;
  uint32_t lift;     /* the callee's lift, in the callee's plan */
  bool params_as_is; /* every parameter a flat 32/64-bit integer */
  bool result_as_is;
} Fuse;

typedef enum TrampKind {
  TR_LOWER = 1,
  TR_RESOURCE_NEW,
  TR_RESOURCE_DROP,
  TR_RESOURCE_REP,
  TR_CONTEXT_GET, /* context.get i32|i64 index */
  TR_CONTEXT_SET,
  TR_ASYNC, /* an async or thread built-in: may_leave, then a trap */
} TrampKind;

typedef struct PTramp {
  uint8_t kind;
  uint32_t cinst; /* the component instance whose core code calls it */
  const WgFuncType *core_type;
  /* TR_LOWER */
  FuncRef callee;
  COpts opts;
  const CSig *sig;
  uint32_t enter_count; /* callee instances entered (lift callees) */
  const uint32_t *enter;
  const Fuse *fuse; /* lift callees with the caller's layout: fused */
  /* TR_RESOURCE_*: the resource; drop: the instances its destructor
   * enters */
  uint32_t resource;
  /* TR_CONTEXT_*: the slot; TR_ASYNC: the built-in's opcode */
  uint32_t index;
} PTramp;

typedef struct PResource {
  bool is_host;  /* imported: a host slot */
  uint32_t slot; /* is_host: host resource slot */
  bool has_dtor;
  CoreRef dtor;
  uint32_t impl; /* defining component instance */
  WgStr name;
} PResource;

typedef struct PCInst {
  uint32_t parent; /* UINT32_MAX for the root */
} PCInst;

typedef struct PCoreInst {
  uint32_t module;
  uint32_t import_count;
  const CoreRef *imports;
} PCoreInst;

/* What the root imports: functions and resource types by full name. */
typedef struct PHostFunc {
  WgStr name; /* "iface#func" or "func" */
  const WgCFuncTy *type;
  const CSig *sig; /* resources as the root's slots; NULL when the type
                      cannot be described (it is then never lowered) */
} PHostFunc;

typedef struct PHostResource {
  WgStr name; /* "iface#res" or "res" */
} PHostResource;

/* An exported function or resource type, by full name. */
typedef struct PExportFunc {
  WgStr name;
  const WgCFuncTy *type;
  FuncRef func;
} PExportFunc;

/* Export functions by name, for lookups (sorted). */
typedef struct PExportName {
  WgStr name;
  uint32_t index;
} PExportName;

typedef struct PExportResource {
  WgStr name;
  uint32_t resource;
} PExportResource;

/* An exported instance (for wg_component_linker_define_instance). */
typedef struct PExportInstance {
  WgStr name;
  uint32_t first_func, func_count; /* a run of PExportFunc */
  uint32_t first_res, res_count;   /* a run of PExportResource */
} PExportInstance;

typedef struct Plan {
  uint32_t module_count;
  WgWasmModule **modules;
  uint32_t core_inst_count;
  PCoreInst *core_insts;
  uint32_t tramp_count;
  PTramp *tramps;
  uint32_t lift_count;
  PLift *lifts;
  uint32_t resource_count;
  PResource *resources;
  uint32_t cinst_count;
  PCInst *cinsts;
  uint32_t host_func_count;
  PHostFunc *host_funcs;
  uint32_t host_res_count;
  PHostResource *host_res;
  uint32_t export_func_count;
  PExportFunc *export_funcs;
  PExportName *export_names; /* export_func_count, sorted by name */
  uint32_t export_res_count;
  PExportResource *export_res;
  uint32_t export_inst_count;
  PExportInstance *export_insts;
  /* root imports of core modules and components: valid, loadable, but no
   * linker can provide them (instantiating fails as unlinkable) */
  uint32_t unlinkable_count;
  WgStr *unlinkable;
} Plan;

struct WgWasmComponent {
  atomic_uint refcount;
  WgEngine *engine;
  WgAllocator alloc;
  uint8_t *bytes; /* our copy of the binary */
  size_t len;
  WgComponent *decoded;
  WgCTypes *types;
  const WgCScope *scope;
  WgArena arena; /* the plan and its descriptors */
  Plan plan;
};

/* Builds `c->plan` from the validated component (cplan.c). */
WgStatus wg_cplan_build(WgWasmComponent *c, WgDiagList *diags);
void wg_cplan_free(WgWasmComponent *c);

/* Section: Descriptors (ctype.c) */

/* Resolves a validator resource to a plan resource slot; UINT32_MAX when
 * unknown. */
typedef uint32_t (*CResolveFn)(void *ctx, const WgCResource *r);

typedef struct CTyBuilder {
  WgArena *arena;
  CResolveFn resolve;
  void *ctx;
  bool failed; /* out of memory or unknown resource */
  bool nomem;
  const char *why; /* a static reason when failed */
  void *cache;     /* descriptors of types without handles, shared */
  size_t cache_cap, cache_count;
} CTyBuilder;

bool wg_cty_builder_init(CTyBuilder *b, WgArena *arena);

const CTy *wg_cty_build(CTyBuilder *b, const WgCValTy *t);
const CSig *wg_csig_build(CTyBuilder *b, const WgCFuncTy *f);

/* Host signatures (csig.c): `func(v: string) -> u32` text checked for
 * syntax and against an imported function type. False with the reason in
 * `why`. (Two resolved function types: wg_cfunc_same.) */
bool wg_csig_valid(WgStr text, WgDiagList *diags);
bool wg_csig_check(const char *text, const WgCFuncTy *f, char *why,
                   size_t why_size);


/* Section: Scratch memory (cscratch.c) */

typedef struct ScratchChunk ScratchChunk;

typedef struct Scratch {
  WgAllocator alloc;
  ScratchChunk *head; /* newest first */
  char *ptr, *end;
} Scratch;

typedef struct ScratchMark {
  ScratchChunk *chunk;
  char *ptr;
} ScratchMark;

void wg_scratch_init(Scratch *s, WgAllocator alloc);
void wg_scratch_free(Scratch *s);
void *wg_scratch_alloc(Scratch *s, size_t size);
ScratchMark wg_scratch_mark(const Scratch *s);
void wg_scratch_release(Scratch *s, ScratchMark m);
/* Releases everything but keeps the first chunk. */
void wg_scratch_reset(Scratch *s);

/* Section: Host definitions (clinker.c) */

/* A host function definition, shared by linkers, pres and instances. */
typedef struct HostFunc {
  atomic_uint refcount;
  WgCHostFn fn;
  void *env;
  void (*env_free)(void *);
  char *sig_text; /* the declared type, or NULL */
  /* a function of another component instance (define_instance) */
  WgComponentFunc *forward;
  /* a host function at the level of core values (component_abi.h); `fn`
   * is NULL then */
  WgCAbiHostFn abi_fn;
} HostFunc;

void wg_hostfunc_release(HostFunc *f);

struct WgCResourceType {
  atomic_uint refcount; /* host types only */
  bool is_host;
  WgStr name;
  /* host */
  WgCResourceDtor dtor;
  void *env;
  void (*env_free)(void *);
  char *name_copy;
  /* guest: the instance and plan slot that define it */
  struct WgComponentInstance *inst;
  uint32_t slot;
};

/* A new host resource type (one reference), or NULL when out of memory. */
WgCResourceType *wg_cresource_new_host(WgStr name, WgCResourceDtor dtor,
                                       void *env, void (*env_free)(void *));
void wg_cresource_retain(WgCResourceType *t);
void wg_cresource_release(WgCResourceType *t);

/* A root import bound to an export of another component instance: a
 * fixed instance (wg_component_linker_define_instance) or the instance a
 * component graph makes of one of its nodes (cgraph.c). */
typedef enum PreLinkKind {
  PL_NONE = 0,
  PL_INSTANCE,
  PL_NODE,
} PreLinkKind;

typedef struct PreLink {
  uint8_t kind;
  struct WgComponentInstance *inst; /* PL_INSTANCE */
  uint32_t node;                    /* PL_NODE */
  uint32_t index; /* functions: the provider's lift; resources: its plan
                     resource slot */
} PreLink;

struct WgComponentPre {
  atomic_uint refcount;
  WgWasmComponent *component;
  HostFunc **funcs;            /* per host function slot (NULL: stub) */
  WgCResourceType **resources; /* per host resource slot */
  uint32_t max_handles;
  /* imports bound to other instances' exports (NULL when none): per host
   * function slot, per host resource slot, and the fused call of every
   * trampoline lowering a bound function */
  PreLink *func_links;
  PreLink *res_links;
  const Fuse **fuses;
  WgArena arena; /* the fuses */
  /* a node's pre that wg_component_graph_pre() gave out: instantiating it
   * (wg_component_pre_instantiate) instantiates the whole graph, this
   * component being node `graph_node`; `graph_gone` once the graph is
   * deleted (cgraph.c) */
  struct WgComponentGraph *graph;
  uint32_t graph_node;
  bool graph_gone;
};

/* wg_component_pre_instantiate() of a pre with `graph` or `graph_gone`
 * set: the graph's instances in `store`, `*out` node `graph_node`'s. */
WgStatus wg_cgraph_instantiate_pre(WgComponentPre *pre, WgStore *store,
                                   WgComponentInstance **out,
                                   WgDiagList *diags);

/* How a component graph binds a pre's imports (cgraph.c). `func` and
 * `res` are asked first for each host function or resource slot: true
 * when they bound it (a PreLink, or a definition they retained), false to
 * look the slot up in the linker. `stub` gives the shared stub of a
 * resource nobody defines; `plan` the plan of a node PL_NODE links name. */
typedef struct PreBinder {
  bool (*func)(void *ctx, WgComponentPre *pre, uint32_t slot);
  bool (*res)(void *ctx, WgComponentPre *pre, uint32_t slot);
  WgCResourceType *(*stub)(void *ctx, WgStr name);
  const Plan *(*plan)(void *ctx, uint32_t node);
  void *ctx;
} PreBinder;

/* wg_component_linker_pre() with a binder (NULL: none) (clinker.c). */
WgStatus wg_linker_pre_bind(WgComponentLinker *l, WgWasmComponent *c,
                            const PreBinder *binder, WgComponentPre **out,
                            WgDiagList *diags);
/* True when the linker has a definition an import named `name` finds. */
bool wg_linker_defines(WgComponentLinker *l, WgStr name);
/* True when the linker stubs what it lacks. */
bool wg_linker_stubs(const WgComponentLinker *l);

/* Section: Run-time instances (cinstance.c, ccall.c) */

/* One entry of a handle table (CanonicalABI.md "Table State", resource
 * handles): free entries have type NULL and `rep` links the free list. */
typedef struct Handle {
  WgCResourceType *type;
  uint32_t rep;
  bool own;
  uint32_t lends; /* borrows of an own handle lent out to a callee */
  void *scope;    /* borrow: the Task it was lent for */
  uint32_t gen;   /* bumped when the slot is freed (host handles) */
} Handle;

typedef struct HandleTable {
  Handle *items; /* items[0] is never used */
  uint32_t count, cap;
  uint32_t *free; /* LIFO free list */
  uint32_t free_count, free_cap;
  uint32_t max;
} HandleTable;

typedef struct CInst {
  bool may_enter;
  bool may_leave;
  uint32_t parent;
  HandleTable handles;
  /* context.get/set storage of the task running in the instance (the
   * spec's Thread.storage): zero when a call enters, restored when it
   * leaves */
  uint64_t context[2];
  uint32_t backpressure; /* backpressure.inc/dec (no effect in sync) */
} CInst;

/* Options resolved at run time (memory and functions as store objects),
 * filled on first use. */
typedef struct ROpts {
  WgMemInst *memory;
  WgFuncInst *realloc;
  WgFuncInst *post_return;
  bool resolved;
} ROpts;

typedef struct RTramp {
  struct WgComponentInstance *inst;
  const PTramp *plan;
  uint32_t index;
  ROpts opts;
  const Fuse *fuse; /* a lowered import bound to another instance's lift */
} RTramp;

/* A root import of an instance bound to another instance's lift. */
typedef struct CLink {
  struct WgComponentInstance *inst;
  uint32_t lift;
} CLink;

typedef struct RLift {
  WgFuncInst *func;
  ROpts opts;
} RLift;

struct WgComponentFunc {
  struct WgComponentInstance *inst;
  const PExportFunc *export;
};

struct WgComponentInstance {
  WgStore *store;
  WgAllocator alloc;
  WgWasmComponent *component;
  WgComponentPre *pre;
  const Plan *plan;
  bool poisoned;
  uint32_t depth; /* calls into the instance from the host in progress */
  void *block;    /* holds the arrays below */
  size_t block_size;
  CInst *cinsts;
  WgInstance **core;
  WgFuncInst **tramp_funcs;
  RTramp *tramps;
  RLift *lifts;
  WgCResourceType **resources; /* per plan resource */
  WgCResourceType *own_resources;
  WgComponentFunc *funcs; /* per export function */
  CLink *links;           /* per host function slot (inst NULL: unbound) */
  /* Guest-defined resources the host holds: a WgCVal's `rep` for them is
   * an index here, valid until the host moves or drops the value, so a
   * host cannot use a resource twice or after it was destroyed. */
  HandleTable host_handles;
  Scratch scratch;
  size_t scratch_used; /* bytes of lifted values in scratch */
};

/* Section: Handle tables (chandle.c) */

void wg_handles_init(HandleTable *t, uint32_t max);
void wg_handles_free(HandleTable *t, WgAllocator a);
/* Adds `h`; its index (>= 1), or 0 when the table is full (`*full` set)
 * or out of memory. */
uint32_t wg_handles_add(HandleTable *t, WgAllocator a, Handle h, bool *full);
/* The live entry at `i`, or NULL. */
static inline Handle *wg_handles_get(HandleTable *t, uint32_t i) {
  if (i == 0 || i >= t->count || !t->items[i].type) return NULL;
  return &t->items[i];
}
/* Frees entry `i` (which must be live). */
bool wg_handles_remove(HandleTable *t, WgAllocator a, uint32_t i);

/* Section: Lifting and lowering (ccanon.c) */

/* The borrow scope of a call into a component instance (the spec's Task):
 * borrows lowered into the callee count here and must be dropped by the
 * callee before it returns. */
typedef struct Task {
  uint32_t borrows;
} Task;

/* Handles of the caller lent to a callee for the duration of a call (the
 * spec's Subtask lenders). */
/* A host handle made for a borrow lent to the host, removed after. */
typedef struct HostLend {
  struct WgComponentInstance *inst;
  uint32_t index;
} HostLend;

typedef struct Lends {
  uint32_t *items;
  uint32_t count, cap;
  uint32_t small[8];
  HostLend *host, host_small[4]; /* host handles of borrows lent */
  uint32_t host_count, host_cap;
} Lends;

/* A lifting or lowering context (the spec's LiftLowerContext): the
 * component instance whose memory and handle table are used, its options,
 * and a view of its memory refreshed after every call into it. */
typedef struct Cx {
  WgComponentInstance *inst;
  WgStore *store;
  CInst *ci;
  uint32_t ci_index;
  const ROpts *opts;
  uint8_t encoding;
  bool fused; /* a component-to-component call: values pass with their
                 real representations, and messages are worded as
                 wasmtime's fused adapters word them. Otherwise the other
                 side is the host, which holds guest-defined resources
                 through the instance's host handle table. */
  uint8_t *base;
  uint64_t size;
  Task *task;   /* lowering borrows into ci */
  Lends *lends; /* lifting borrows from ci */
  WgTrap *trap; /* set when a function returns false */
} Cx;

void wg_cx_init(Cx *cx, WgComponentInstance *inst, uint32_t ci_index,
                const ROpts *opts, uint8_t encoding);

/* Helpers of the lifting and lowering code (ccanon.c, cfuse.c, cabi.c). */

/* [ptr, ptr + len) lies in the context's memory view. */
static inline bool wg_canon_in_bounds(const Cx *cx, uint64_t ptr,
                                      uint64_t len) {
  return ptr <= cx->size && len <= cx->size - ptr;
}

/* Reads or writes an `n`-byte little-endian integer (n <= 8) at `ptr`,
 * already checked to be in bounds (little-endian hosts). */
static inline uint64_t wg_canon_rd(const Cx *cx, uint32_t ptr, uint32_t n) {
  uint64_t v = 0;
  memcpy(&v, cx->base + ptr, n);
  return v;
}

static inline void wg_canon_wr(Cx *cx, uint32_t ptr, uint64_t v, uint32_t n) {
  memcpy(cx->base + ptr, &v, n);
}

/* Float bits with any NaN made the canonical one (spec:
 * canonicalize_nan32/64). */
static inline uint32_t wg_canon_nan32(uint32_t bits) {
  float f;
  memcpy(&f, &bits, 4);
  if (f != f) {
    f = NAN;
    memcpy(&bits, &f, 4);
  }
  return bits;
}

static inline uint64_t wg_canon_nan64(uint64_t bits) {
  double d;
  memcpy(&d, &bits, 8);
  if (d != d) {
    d = (double)NAN;
    memcpy(&bits, &d, 8);
  }
  return bits;
}

/* Flat core values read one at a time, as bits. */
typedef struct FlatIn {
  const WgVal *vals;
  uint32_t pos;
} FlatIn;

static inline uint64_t wg_flat_next(FlatIn *in) {
  const WgVal *v = &in->vals[in->pos++];
  return v->kind == WG_VAL_I64 || v->kind == WG_VAL_F64
             ? (uint64_t)v->of.i64
             : (uint64_t)(uint32_t)v->of.i32;
}

/* Appends a flat core value of `type` (WG_CORE_*) holding `bits`. */
static inline void wg_flat_put(WgVal *out, uint32_t *pos, uint8_t type,
                               uint64_t bits) {
  WgVal *v = &out[(*pos)++];
  v->of.i64 = 0;
  switch (type) {
    case WG_CORE_I64:
      v->kind = WG_VAL_I64;
      v->of.i64 = (int64_t)bits;
      break;
    case WG_CORE_F64:
      v->kind = WG_VAL_F64;
      v->of.f64_bits = bits;
      break;
    case WG_CORE_F32:
      v->kind = WG_VAL_F32;
      v->of.f32_bits = (uint32_t)bits;
      break;
    default:
      v->kind = WG_VAL_I32;
      v->of.i32 = (int32_t)(uint32_t)bits;
      break;
  }
}

/* The four directions of a call, per CanonicalABI.md lift_flat_values /
 * lower_flat_values with MAX_FLAT_PARAMS and MAX_FLAT_RESULTS. */
bool wg_canon_lower_params(Cx *cx, const CSig *sig, const WgCVal *args,
                           WgVal *flat, uint32_t *flat_count);
bool wg_canon_lift_params(Cx *cx, const CSig *sig, const WgVal *flat,
                          WgCVal *out);
bool wg_canon_lower_result(Cx *cx, const CSig *sig, const WgCVal *result,
                           WgVal *flat, uint32_t retptr);
bool wg_canon_lift_result(Cx *cx, const CSig *sig, const WgVal *flat,
                          WgCVal *out);
/* Checks a value the host gives against a descriptor: kinds, counts,
 * ranges, UTF-8, and resources against the instance's types. */
bool wg_canon_check(const WgCVal *v, const CTy *t,
                    WgCResourceType *const *resources, char *why,
                    size_t why_size);
/* Charges `units` of fuel for the ABI's copying; false (trap set) when the
 * store's fuel runs out or it was interrupted. */
bool wg_canon_charge(Cx *cx, uint64_t units);

/* The real representation behind a host-held value of a guest-defined
 * resource (`remove`: an own moved out of the host). False when the host
 * holds no such handle (or an own is asked of a borrow). */
bool wg_host_handle_take(WgCResourceType *t, uint32_t index, uint32_t gen,
                         bool own, bool remove, uint32_t *rep);

/* Section: Fused calls (cfuse.c) */

/* Compiles the fused call of a lowering with signature `caller` of lift
 * `lift` (signature `callee`) into `arena`; NULL when their layouts differ
 * or out of memory (the call then goes through host values). */
const Fuse *wg_fuse_compile(WgArena *arena, const CSig *caller,
                            const CSig *callee, uint32_t lift);
/* Copies the arguments of a fused call from the caller (`src`, its flat
 * `args`) to the callee (`dst`, `flat`), and its result from the callee
 * (`src`, flat `res`) to the caller (`dst`: `results`, or the caller's
 * return area `retptr`). False with the trap on `src` or `dst`. */
bool wg_fuse_params(Cx *src, Cx *dst, const Fuse *f, const WgVal *args,
                    WgVal *flat, uint32_t *count);
bool wg_fuse_result(Cx *src, Cx *dst, const Fuse *f, const WgVal *res,
                    WgVal *results, uint32_t retptr);

/* ccanon.c's helpers for fused calls (and wg_canon_refresh,
 * wg_canon_lift_handle and wg_canon_lower_handle below). */
bool wg_canon_trapf(Cx *cx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool wg_canon_need_memory(Cx *cx);
bool wg_canon_reallocate(Cx *cx, uint32_t old, uint32_t old_size,
                         uint32_t align, uint32_t new_size, uint32_t *out,
                         bool is_string);
bool wg_canon_bad_utf8(Cx *cx, const uint8_t *s, size_t len, size_t at);
bool wg_canon_check_area(Cx *cx, uint32_t ptr, const CTy *t, const char *what);

/* Section: Calls (ccall.c) */

/* Calls lift `index` of `inst` for the host (caller NULL) with checked
 * arguments; results lifted into the instance's scratch memory. */
WgTrap *wg_ccall_lift_from_host(WgComponentInstance *inst, uint32_t index,
                                const WgCVal *args, size_t arg_count,
                                WgCVal *results, size_t result_count);
/* The host function of every trampoline (env: an RTramp). */
WgTrap *wg_ccall_trampoline(void *env, WgCaller *caller, const WgVal *args,
                            WgVal *results);
/* Runs the destructor of resource `type` for `rep`, entering from
 * `caller` (NULL: the host). */
WgTrap *wg_ccall_run_dtor(WgCResourceType *type, uint32_t rep, CInst *caller,
                          uint32_t caller_index);

/* Instantiates `pre` in `store` (cinstance.c); `nodes` gives the
 * instances PL_NODE links name (NULL when there are none). */
WgStatus wg_cinstance_new(WgComponentPre *pre, WgStore *store,
                          struct WgComponentInstance *const *nodes,
                          struct WgComponentInstance **out, WgDiagList *diags);

/* Resolves a core reference of `inst` (NULL when not instantiated yet). */
bool wg_cinstance_extern(WgComponentInstance *inst, CoreRef ref, WgExtern *out);
bool wg_cinstance_resolve_opts(WgComponentInstance *inst, const COpts *o,
                               ROpts *out);

/* Values (cval.c): the WgCValKind a value of `t` has, or -1 for a type
 * values cannot have (stream, future, error-context); the name of a kind. */
int wg_cval_kind_for(const WgCValTy *t);
const char *wg_cval_kind_name(int kind);

/* A trap with a formatted message (kind WG_TRAP_WASM: the guest or the
 * Canonical ABI at fault). NULL only when out of memory. */
WgTrap *wg_ctrap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
WgTrap *wg_ctrap_kind(WgTrapKind kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Section: the typed ABI (cabi.c, component_abi.h) */

/* The context of a call host functions see (ccall.c). */
struct WgCCall {
  WgComponentInstance *inst;
  const PHostFunc *import;
};

struct WgCAbiCx {
  Cx cx;
  WgCCall call;
  const CSig *sig; /* the function's: handle types by position */
  size_t copied;   /* bytes of host memory lifted values took */
};

/* Calls lift `index` of `inst` for the host with typed lowering and
 * lifting (ccall.c). */
WgTrap *wg_ccall_lift_abi(WgComponentInstance *inst, uint32_t index,
                          WgCAbiLowerFn lower, WgCAbiLiftFn lift, void *data);
/* Calls a host function defined at the level of core values from
 * trampoline `rt` with the lowering context `cx` (cabi.c). */
WgTrap *wg_cabi_host_call(RTramp *rt, const Cx *cx, HostFunc *def,
                          const WgVal *args, WgVal *results);
/* Adds a linker definition of `f` under `name` (clinker.c). */
WgStatus wg_linker_add_func(WgComponentLinker *l, WgStr name, HostFunc *f,
                            WgDiagList *diags);
/* The export of `p` named `name`, else the one with the highest
 * semver-compatible version (clinker.c's rules); NULL when none. */
const PExportFunc *wg_linker_find_export(const Plan *p, WgStr name);
/* The export of `p` named exactly `name` (a binary search of its sorted
 * names; cinstance.c); NULL when none. */
const PExportFunc *wg_plan_find_export(const Plan *p, WgStr name);
/* ccanon.c's helpers for the typed ABI. */
bool wg_canon_realloc(Cx *cx, uint32_t size, uint32_t align, uint32_t *out);
bool wg_canon_lower_str(Cx *cx, const uint8_t *s, size_t len, uint32_t *ptr,
                        uint32_t *units);
bool wg_canon_lift_handle(Cx *cx, uint32_t i, const CTy *t, WgCVal *out);
bool wg_canon_lower_handle(Cx *cx, const WgCVal *v, const CTy *t,
                           uint32_t *out);
void wg_canon_refresh(Cx *cx);

#endif
