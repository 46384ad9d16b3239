/* SPDX-License-Identifier: Apache-2.0 */
/* Runtime objects behind the opaque handles of witgen/wasm.h: engine,
 * compiled module, store, instances and the extern instances (spec:
 * Execution, 4.2 Runtime Structure). Internal to the runtime layer. */
#ifndef WG_RUNTIME_CORE_RT_H
#define WG_RUNTIME_CORE_RT_H

#include <stdatomic.h>

#include "arena.h"
#include "witgen/core_module.h"
#include "witgen/wasm.h"

/* One frame slot: every scalar value takes one; v128 takes two adjacent. */
typedef union WgSlot {
  int32_t i32;
  uint32_t u32;
  int64_t i64;
  uint64_t u64;
  float f32;
  double f64;
  void *ref;
} WgSlot;

/* A compiled function. Frame layout (slot indices): params, then declared
 * locals, then the operand-stack temporaries. Results are returned in
 * slots 0.. of the frame. */
typedef struct WgCode {
  const uint64_t *entry; /* threaded code */
  uint32_t param_slots;
  uint32_t local_slots; /* declared locals (zeroed on entry) */
  uint32_t frame_slots; /* whole frame including temporaries */
  uint32_t result_slots;
  uint32_t fuel_cost; /* charged at entry */
  uint32_t type_index;
} WgCode;

struct WgEngine {
  WgEngineConfig config; /* limits resolved to their defaults */
  WgAllocator alloc;
  uint32_t features; /* WgFeature bits modules may use */
};

struct WgWasmModule {
  WgEngine *engine;
  WgModule *m;
  atomic_uint refcount; /* instances of any store, on any thread */
  WgCode *codes;        /* one per defined function */
  uint64_t *code;
  size_t code_words;
};

struct WgFuncInst {
  uint32_t type_id; /* canonical in the store: equal ids = equal types */
  bool is_host;
  const WgFuncType *type; /* borrowed from the module or the store arena */
  WgInstance *inst;       /* wasm: defining instance */
  const WgCode *code;     /* wasm */
  WgHostFn fn;            /* host */
  void *env;
  void (*env_free)(void *);
};

struct WgTableInst {
  WgValKind elem;
  uint32_t size;
  uint32_t max; /* effective maximum (declared max capped by the engine) */
  bool has_max;
  uint32_t declared_max;
  void **elems; /* WgFuncInst * or externref words; NULL = null */
  WgStore *store;
};

struct WgMemInst {
  uint8_t *data;
  uint64_t size; /* bytes */
  uint32_t pages;
  uint32_t max; /* effective maximum pages */
  bool has_max;
  uint32_t declared_max;
  WgStore *store;
};

struct WgGlobalInst {
  WgSlot val[2]; /* v128 uses both */
  WgValKind kind;
  bool is_mutable;
};

/* Evaluated element segment (references) and data segment (bytes). */
typedef struct WgElemInst {
  void **refs;
  uint32_t count; /* 0 once dropped */
} WgElemInst;

typedef struct WgDataInst {
  const uint8_t *bytes;
  uint32_t len; /* 0 once dropped */
} WgDataInst;

struct WgInstance {
  WgStore *store;
  WgWasmModule *mod;
  WgFuncInst **funcs;
  WgTableInst **tables;
  WgMemInst **mems;
  WgGlobalInst **globals;
  uint32_t *type_ids; /* module type index -> canonical id */
  WgElemInst *elems;
  WgDataInst *datas;
  WgExtern *exports; /* parallel to mod->m->exports */
  WgMemInst *mem0;   /* memory 0 or NULL */
};

/* A call frame record, kept apart from the value slots. */
typedef struct WgFrame {
  const uint64_t *ret_ip;
  WgSlot *fp;
  WgInstance *inst;
} WgFrame;

typedef struct WgCanonType {
  WgFuncType type;
} WgCanonType;

struct WgStore {
  WgEngine *engine;
  WgAllocator alloc;
  WgArena arena; /* fixed-size objects: instances, funcs, globals, types */
  struct {
    WgTableInst **items;
    size_t count, cap;
  } tables;
  struct {
    WgMemInst **items;
    size_t count, cap;
  } mems;
  struct {
    WgFuncInst **items;
    size_t count, cap;
  } hosts;
  struct {
    WgFuncType *items;
    size_t count, cap;
  } types;
  struct {
    WgInstance **items;
    size_t count, cap;
  } instances;
  WgSlot *stack;
  WgSlot *stack_end;
  WgSlot *stack_top; /* first free slot for a new entry into wasm */
  WgFrame *frames;
  uint32_t depth;
  uint32_t max_depth;
  uint32_t nesting; /* embedder/host re-entries into the interpreter */
  bool fuel_on;
  int64_t fuel;
  atomic_uint interrupt;
  void *data; /* the embedder's (wg_store_set_data) */
};

struct WgCaller {
  WgStore *store;
  WgInstance *inst;
};

struct WgTrap {
  WgTrapKind kind;
  int32_t exit_code;
  char message[];
};

/* Internal helpers shared by the runtime files. */
WgTrap *wg_trap_make(WgTrapKind kind, const char *message);
uint32_t wg_store_intern_type(WgStore *store, const WgFuncType *type);
WgFuncInst *wg_store_new_func(WgStore *store);
bool wg_valtype_eq_kind(WgValType t, WgValKind k);
WgMemInst *wg_store_memory_new(WgStore *store, const WgLimits *limits);
WgTableInst *wg_store_table_new(WgStore *store, WgValKind elem,
                                const WgLimits *limits, void *init);
/* Grows a memory by `delta` pages; old size or -1. */
int64_t wg_mem_grow(WgMemInst *mem, uint64_t delta);
int64_t wg_table_grow_raw(WgTableInst *t, uint64_t delta, void *init);
/* Adds an error (no byte offset) with code `status` to `diags` (NULL
 * accepted) and returns `status`. */
WgStatus wg_rt_fail(WgDiagList *diags, WgStatus status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* wg_wasm_module_load() of a module another part of witgen has already
 * validated (the core modules inside a component the component validator
 * checked): decoding and compiling only, when the engine has every
 * feature enabled (else it validates too, to refuse disabled features). */
WgStatus wg_rt_module_load_validated(WgEngine *engine, const uint8_t *bytes,
                                     size_t len, WgWasmModule **out,
                                     WgDiagList *diags);

/* Compiles every defined function of `mod` (compile.c). */
WgStatus wg_compile_module(WgWasmModule *mod, WgDiagList *diags);

/* The interpreter (interp.c). */
const void *const *wg_interp_handlers(void);
/* Runs `f` with arguments in `args` (slots, params packed as in a frame);
 * results are written back to `args`. Returns NULL or a trap. */
WgTrap *wg_interp_invoke(WgStore *store, WgFuncInst *f, WgSlot *args);

/* Host -> wasm -> host re-entry is the only C recursion; bound it. */
#define WG_MAX_NESTING 256

/* Number of slots a value of type `t` occupies. */
static inline uint32_t wg_slots_of(WgValType t) {
  return t == WG_VT_V128 ? 2u : 1u;
}

#endif
