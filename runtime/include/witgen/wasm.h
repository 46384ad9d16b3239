/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/wasm.h
 * The core WebAssembly 2.0 engine (with multi-memory): load (decode +
 * validate + compile), link, instantiate and run modules in a sandbox with
 * resource limits.
 *
 * Object model and ownership:
 *
 *  - WgEngine: configuration (limits, allocator). Outlives every module and
 *    store made from it. Created with wg_engine_new(), freed with
 *    wg_engine_delete().
 *  - WgWasmModule: a loaded, validated and compiled module. Immutable; may be
 *    instantiated any number of times in any store of the same engine.
 *    Reference counted: instances keep their module alive, so the caller may
 *    delete its handle right after instantiating.
 *  - WgStore: owns every runtime object (instances, functions, tables,
 *    memories, globals) created in it; they all live until the store is
 *    deleted. A store (and everything in it) is used by one thread at a time,
 *    except wg_store_interrupt(), which any thread may call.
 *  - WgLinker: a name table (module, name) -> extern used to resolve imports.
 *    Owned by the caller; it borrows the externs it holds (they stay owned by
 *    their store).
 *  - WgTrap: an execution failure, returned as a value. Caller owns every
 *    trap returned to it; release with wg_trap_delete().
 *
 * Values cross the API as WgVal (kind + payload). Floats are carried as raw
 * bit patterns so NaN payloads survive exactly.
 */
#ifndef WITGEN_WASM_H
#define WITGEN_WASM_H

#include "witgen/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Section: Values */

/** Value types, numbered as in the binary format. */
typedef enum WgValKind {
  WG_VAL_I32 = 0x7F,
  WG_VAL_I64 = 0x7E,
  WG_VAL_F32 = 0x7D,
  WG_VAL_F64 = 0x7C,
  WG_VAL_V128 = 0x7B,
  WG_VAL_FUNCREF = 0x70,
  WG_VAL_EXTERNREF = 0x6F,
} WgValKind;

/** A function instance (wasm-defined or host). Owned by its store. */
typedef struct WgFuncInst WgFuncInst;
/** A table instance. Owned by its store. */
typedef struct WgTableInst WgTableInst;
/** A linear memory instance. Owned by its store. */
typedef struct WgMemInst WgMemInst;
/** A global instance. Owned by its store. */
typedef struct WgGlobalInst WgGlobalInst;

/**
 * A typed value. `f32_bits`/`f64_bits` are IEEE-754 bit patterns (use
 * wg_val_f32()/wg_val_get_f32() to convert). `v128` is little-endian lane
 * order, as in linear memory. `funcref` NULL is ref.null func. `externref` is
 * an opaque host word; NULL is ref.null extern (so a host wanting to pass the
 * number 0 as a non-null reference must encode it, e.g. as 1).
 */
typedef struct WgVal {
  WgValKind kind;
  union {
    int32_t i32;
    int64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
    uint8_t v128[16];
    WgFuncInst *funcref;
    void *externref;
  } of;
} WgVal;

/* Value constructors and float accessors (pure: no errors, nothing to
 * release). */
static inline WgVal wg_val_i32(int32_t v) {
  WgVal r = { WG_VAL_I32, { .i64 = 0 } };
  r.of.i32 = v;
  return r;
}
static inline WgVal wg_val_i64(int64_t v) {
  WgVal r = { WG_VAL_I64, { .i64 = v } };
  return r;
}
static inline WgVal wg_val_f32(float v) {
  WgVal r = { WG_VAL_F32, { .i64 = 0 } };
  __builtin_memcpy(&r.of.f32_bits, &v, 4);
  return r;
}
static inline WgVal wg_val_f64(double v) {
  WgVal r = { WG_VAL_F64, { .i64 = 0 } };
  __builtin_memcpy(&r.of.f64_bits, &v, 8);
  return r;
}
static inline float wg_val_get_f32(WgVal v) {
  float f;
  __builtin_memcpy(&f, &v.of.f32_bits, 4);
  return f;
}
static inline double wg_val_get_f64(WgVal v) {
  double d;
  __builtin_memcpy(&d, &v.of.f64_bits, 8);
  return d;
}

/** Kinds of importable/exportable entities (binary-format numbering). */
typedef enum WgWasmExternKind {
  WG_WASM_EXTERN_FUNC = 0,
  WG_WASM_EXTERN_TABLE = 1,
  WG_WASM_EXTERN_MEMORY = 2,
  WG_WASM_EXTERN_GLOBAL = 3,
} WgWasmExternKind;

/** A borrowed reference to an extern of any kind; `of` matches `kind`. */
typedef struct WgExtern {
  WgWasmExternKind kind;
  union {
    WgFuncInst *func;
    WgTableInst *table;
    WgMemInst *memory;
    WgGlobalInst *global;
  } of;
} WgExtern;

/* Section: Errors and traps */

/*
 * Errors of loading and instantiating: the functions return a WgStatus and
 * add one error diagnostic to the caller's WgDiagList (NULL is accepted
 * where one is asked: then only the status tells). The diagnostic's code is
 * the returned status: WG_ERR_MALFORMED or WG_ERR_INVALID (load; with the
 * byte offset in the binary: `has_offset`, `offset`), WG_ERR_UNLINKABLE
 * (import resolution), WG_ERR_TRAP (a trap while initialising or in the
 * start function), WG_ERR_NOMEM, WG_ERR_LIMIT or WG_ERR_MISUSE. Messages
 * use the spec test suite's wording where it has one ("unknown import",
 * "incompatible import type", "out of bounds memory access", "type
 * mismatch", ...).
 */

/** Categories of traps (the message is the authoritative description). */
typedef enum WgTrapKind {
  WG_TRAP_WASM = 0,  /**< a wasm instruction trapped (message = spec text) */
  WG_TRAP_EXHAUSTED, /**< "call stack exhausted" (depth or stack limit) */
  WG_TRAP_FUEL,      /**< "all fuel consumed" */
  WG_TRAP_INTERRUPT, /**< "interrupted" (wg_store_interrupt) */
  WG_TRAP_HOST,      /**< raised by a host function with wg_trap_new() */
  WG_TRAP_EXIT,      /**< a host function asked to exit (wg_trap_new_exit) */
  WG_TRAP_MISUSE,    /**< bad API use: wrong argument count or kinds */
} WgTrapKind;

/** A trap: kind plus message (and exit code for WG_TRAP_EXIT). */
typedef struct WgTrap WgTrap;

/** A host trap with a copy of NUL-terminated `message`. Caller owns the
 * result (or returns it from a host function, which transfers it). NULL on
 * out-of-memory. */
WG_API WgTrap *wg_trap_new(const char *message);
/** A trap that unwinds all wasm frames carrying exit code `code` (used by
 * WASI proc_exit). Ownership as wg_trap_new(). */
WG_API WgTrap *wg_trap_new_exit(int32_t code);
/** The message, NUL-terminated. Borrowed: valid until the trap is deleted. */
WG_API const char *wg_trap_message(const WgTrap *trap);
/** The category of a trap. */
WG_API WgTrapKind wg_trap_kind(const WgTrap *trap);
/** The exit code of a WG_TRAP_EXIT trap (0 for other kinds). */
WG_API int32_t wg_trap_exit_code(const WgTrap *trap);
/** Frees a trap. NULL does nothing. */
WG_API void wg_trap_delete(WgTrap *trap);

/* Section: Engine */

/** Engine configuration. A zeroed struct gives the defaults noted below. */
typedef struct WgEngineConfig {
  WgAllocator allocator;      /**< zeroed: malloc */
  uint32_t max_memory_pages;  /**< cap on any memory's size in 64 KiB pages;
                                   0: 65536 (4 GiB) */
  uint32_t max_table_elems;   /**< cap on any table's size; 0: 10,000,000 */
  uint32_t max_call_depth;    /**< nested wasm calls; 0: 20,000 */
  uint32_t max_stack_slots;   /**< value stack size in 8-byte slots per store;
                                   0: 1,048,576 (8 MiB) */
  uint64_t fuel;              /**< initial fuel of each new store; 0: fuel
                                   metering off (unlimited) */
  uint32_t disabled_features; /**< WgFeature bits (witgen/core_module.h)
                                   modules may not use; 0: every feature
                                   witgen implements (WG_FEATURES_ALL
                                   here: strict WebAssembly 2.0) */
} WgEngineConfig;

/** An engine (opaque). */
typedef struct WgEngine WgEngine;

/** A new engine; `config` is copied (NULL: defaults). Caller owns the
 * result; release with wg_engine_delete() after its modules and stores.
 * NULL on out-of-memory. */
WG_API WgEngine *wg_engine_new(const WgEngineConfig *config);
/** Frees the engine. NULL does nothing. */
WG_API void wg_engine_delete(WgEngine *engine);
/** How this build's interpreter dispatches: "tail-call" (built with clang:
 * one function per instruction handler, musttail + preserve_none) or
 * "computed-goto" (other compilers). Both run the same handlers; the
 * first is the faster. A static string. */
WG_API const char *wg_interp_dispatch(void);

/* Section: Modules */

/** A loaded module (opaque). */
typedef struct WgWasmModule WgWasmModule;

/**
 * Decodes, validates and compiles a binary module. `bytes` is copied. On
 * WG_OK, *out is a module: caller owns the result; release with
 * wg_wasm_module_delete(). Otherwise *out is NULL and `diags` holds the
 * error (see "Errors" above): WG_ERR_MALFORMED, WG_ERR_INVALID,
 * WG_ERR_NOMEM, or WG_ERR_MISUSE without an engine.
 */
WG_API WgStatus wg_wasm_module_load(WgEngine *engine, const uint8_t *bytes,
                                    size_t len, WgWasmModule **out,
                                    WgDiagList *diags);
/** Drops the caller's reference; instances keep the module alive. NULL does
 * nothing. */
WG_API void wg_wasm_module_delete(WgWasmModule *module);

/** Number of imports (no errors). */
WG_API size_t wg_wasm_module_import_count(const WgWasmModule *module);
/** Import `i` (precondition: i < the import count): names (borrowed: valid
 * while the module lives) and kind; each out-param may be NULL. */
WG_API void wg_wasm_module_import(const WgWasmModule *module, size_t i,
                                  WgStr *out_module, WgStr *out_name,
                                  WgWasmExternKind *out_kind);
/** Number of exports (no errors). */
WG_API size_t wg_wasm_module_export_count(const WgWasmModule *module);
/** Export `i` (precondition: i < the export count): name (borrowed: valid
 * while the module lives) and kind; each out-param may be NULL. */
WG_API void wg_wasm_module_export(const WgWasmModule *module, size_t i,
                                  WgStr *out_name, WgWasmExternKind *out_kind);

/* Section: Store */

/** A store (opaque). */
typedef struct WgStore WgStore;

/** A new store using `engine`'s limits. Caller owns the result; release with
 * wg_store_delete(). NULL on out-of-memory. */
WG_API WgStore *wg_store_new(WgEngine *engine);
/** Frees the store and every object in it. NULL does nothing. */
WG_API void wg_store_delete(WgStore *store);

/** Sets the remaining fuel and turns metering on (`fuel` > 0) or off
 * (`fuel` == 0). One unit is roughly one wasm instruction; it is charged at
 * function entry and at each loop iteration, so a run stops within one
 * straight-line block of the budget with the trap "all fuel consumed". */
WG_API void wg_store_set_fuel(WgStore *store, uint64_t fuel);
/** Remaining fuel in *out_fuel; false (and *out_fuel untouched) when
 * metering is off. */
WG_API bool wg_store_get_fuel(const WgStore *store, uint64_t *out_fuel);

/** Asks running wasm code in `store` to stop with the trap "interrupted".
 * Safe to call from any thread (and from signal handlers) while the store is
 * alive. Checked at a loop back-edge or call at least every 65,536 fuel
 * units of work (about as many wasm instructions; whether or not metering is
 * on), so running code stops within microseconds. The flag stays set until
 * wg_store_clear_interrupt(). */
WG_API void wg_store_interrupt(WgStore *store);
/** Clears the interrupt flag (call from the store's thread). */
WG_API void wg_store_clear_interrupt(WgStore *store);

/** Attaches the embedder's pointer `data` to the store (NULL at first), for
 * host functions to find their context from the store of a call (e.g. the
 * WASI 0.2 host's per-instance state). Not owned: the store never frees
 * it. */
WG_API void wg_store_set_data(WgStore *store, void *data);
/** The pointer given to wg_store_set_data(), or NULL. */
WG_API void *wg_store_data(const WgStore *store);

/* Section: Host functions */

/** The context of a host call: the calling instance. Borrowed: valid during
 * the call only. */
typedef struct WgCaller WgCaller;

/**
 * A host function. `args` holds the parameters (kinds as declared);
 * `results` has room for the declared results, which the function must set
 * (kind fields included). Return NULL on success, or a trap (ownership
 * passes to the engine) to abort the wasm execution.
 */
typedef WgTrap *(*WgHostFn)(void *env, WgCaller *caller, const WgVal *args,
                            WgVal *results);

/**
 * Creates a host function with the given signature (arrays copied). `env`
 * is passed to every call; `env_free` (may be NULL) is called with `env`
 * when the store is deleted. The store owns the result.
 */
WG_API WgFuncInst *wg_func_new_host(WgStore *store, const WgValKind *params,
                                    uint32_t param_count,
                                    const WgValKind *results,
                                    uint32_t result_count, WgHostFn fn,
                                    void *env, void (*env_free)(void *));

/** The store of the call. Borrowed: valid during the call. */
WG_API WgStore *wg_caller_store(WgCaller *caller);
/** Memory 0 of the calling wasm instance, or NULL (no memory, or the call
 * came from the embedder). Borrowed: owned by the store. */
WG_API WgMemInst *wg_caller_memory(WgCaller *caller);
/** Looks up an export of the calling instance into *out (borrowed: owned by
 * the store); false if absent or the call came from the embedder. */
WG_API bool wg_caller_export(WgCaller *caller, WgStr name, WgExtern *out);

/* Section: Functions */

/** The signature of a function: counts, and the kind of parameter / result
 * `i` (precondition: i below the count). No errors. */
WG_API uint32_t wg_func_param_count(const WgFuncInst *func);
WG_API uint32_t wg_func_result_count(const WgFuncInst *func);
WG_API WgValKind wg_func_param(const WgFuncInst *func, uint32_t i);
WG_API WgValKind wg_func_result(const WgFuncInst *func, uint32_t i);

/**
 * Calls `func` with `arg_count` arguments, writing `result_count` results.
 * Counts and kinds must match the signature (else a WG_TRAP_MISUSE trap).
 * Returns NULL on success, or a trap the caller owns (release with
 * wg_trap_delete()). May be called from inside a host function (re-entry);
 * the call depth limit covers the whole chain.
 */
WG_API WgTrap *wg_func_call(WgStore *store, WgFuncInst *func, const WgVal *args,
                            size_t arg_count, WgVal *results,
                            size_t result_count);

/* Section: Globals */

/** A new global (the store owns it). `init.kind` gives its type. NULL on
 * out-of-memory. */
WG_API WgGlobalInst *wg_global_new(WgStore *store, WgVal init, bool is_mutable);
/** The type and the current value of a global (no errors). A funcref
 * value is borrowed: owned by the store. */
WG_API WgValKind wg_global_kind(const WgGlobalInst *global);
WG_API bool wg_global_is_mutable(const WgGlobalInst *global);
WG_API WgVal wg_global_get(const WgGlobalInst *global);
/** Sets a mutable global; WG_ERR_MISUSE if immutable or the kind differs. */
WG_API WgStatus wg_global_set(WgGlobalInst *global, WgVal value);

/* Section: Tables */

/** A new table of `elem` (funcref or externref) with `min` elements set to
 * `init`, growable to `max` (`has_max`). NULL on failure. Store owns it. */
WG_API WgTableInst *wg_table_new(WgStore *store, WgValKind elem, uint32_t min,
                                 uint32_t max, bool has_max, WgVal init);
/** The element kind and the current size of a table (no errors). */
WG_API WgValKind wg_table_elem_kind(const WgTableInst *table);
WG_API uint32_t wg_table_size(const WgTableInst *table);
/** Reads element `i` into *out (a funcref is borrowed: owned by the store);
 * false when out of bounds. */
WG_API bool wg_table_get(const WgTableInst *table, uint32_t i, WgVal *out);
/** Writes element `i`; false when out of bounds or the kind differs. */
WG_API bool wg_table_set(WgTableInst *table, uint32_t i, WgVal value);
/** Grows by `delta` elements set to `init`; returns the old size, or -1
 * when the maximum or the engine limit would be exceeded. */
WG_API int64_t wg_table_grow(WgTableInst *table, uint32_t delta, WgVal init);

/* Section: Memories */

/** The size of a wasm page in bytes. */
#define WG_WASM_PAGE_SIZE 65536u

/** A new memory of `min` pages, growable to `max` (`has_max`). NULL on
 * failure. Store owns it. */
WG_API WgMemInst *wg_memory_new(WgStore *store, uint32_t min, uint32_t max,
                                bool has_max);
/** Current size in pages. */
WG_API uint32_t wg_memory_pages(const WgMemInst *memory);
/** Current size in bytes. */
WG_API size_t wg_memory_size(const WgMemInst *memory);
/** Base of the memory bytes. Borrowed: valid until the memory grows (any
 * wasm call may grow it). */
WG_API uint8_t *wg_memory_data(WgMemInst *memory);
/**
 * Bounds-checked access: a pointer to bytes [offset, offset + len) of the
 * memory, or NULL when that range is not entirely inside. Borrowed, as
 * wg_memory_data().
 */
WG_API uint8_t *wg_memory_slice(WgMemInst *memory, uint64_t offset,
                                uint64_t len);
/** Copies `len` bytes at `offset` into `dst`; false when out of bounds. */
WG_API bool wg_memory_read(const WgMemInst *memory, uint64_t offset, void *dst,
                           size_t len);
/** Copies `len` bytes from `src` to `offset`; false when out of bounds. */
WG_API bool wg_memory_write(WgMemInst *memory, uint64_t offset, const void *src,
                            size_t len);
/** Grows by `delta` pages (zero-filled); returns the old size in pages, or
 * -1 when the maximum or the engine limit would be exceeded. */
WG_API int64_t wg_memory_grow(WgMemInst *memory, uint32_t delta);

/* Section: Instances */

/** An instance (opaque): owned by its store. */
typedef struct WgInstance WgInstance;

/**
 * Instantiates `module` in `store` with `imports` given positionally (one
 * per module import, in order). Types are checked ("incompatible import
 * type"). Applies active element and data segments in order and runs the
 * start function. On WG_OK *out is an instance owned by the store. On
 * WG_ERR_TRAP the store keeps whatever the failed initialisation already
 * wrote to imported tables and memories, as the spec requires. Otherwise
 * *out is NULL and `diags` holds the error (see "Errors" above).
 */
WG_API WgStatus wg_instance_new(WgStore *store, WgWasmModule *module,
                                const WgExtern *imports, size_t import_count,
                                WgInstance **out, WgDiagList *diags);

/** Looks up an export by name into *out (may be NULL; the extern is
 * borrowed: owned by the store); false if absent. */
WG_API bool wg_instance_export(WgInstance *instance, WgStr name, WgExtern *out);
/** Number of exports (no errors). */
WG_API size_t wg_instance_export_count(const WgInstance *instance);
/** Export `i` (precondition: i < the export count): name and extern, both
 * borrowed (valid while the store lives); each out-param may be NULL. */
WG_API void wg_instance_export_at(WgInstance *instance, size_t i,
                                  WgStr *out_name, WgExtern *out);

/** Convenience: calls the exported function `name`. A missing export or a
 * non-function gives a WG_TRAP_MISUSE trap. Ownership as wg_func_call(). */
WG_API WgTrap *wg_instance_call(WgStore *store, WgInstance *instance,
                                WgStr name, const WgVal *args, size_t arg_count,
                                WgVal *results, size_t result_count);

/* Section: Linker */

/** A linker (opaque). */
typedef struct WgLinker WgLinker;

/** A new empty linker for `store`'s objects. Caller owns the result; release
 * with wg_linker_delete() (before or after the store). */
WG_API WgLinker *wg_linker_new(WgStore *store);
/** Frees the linker (not the externs it names). NULL does nothing. */
WG_API void wg_linker_delete(WgLinker *linker);

/** Defines (module, name) -> `ext`; names copied, `ext` borrowed. A later
 * definition of the same pair replaces the earlier one. WG_OK or
 * WG_ERR_NOMEM. */
WG_API WgStatus wg_linker_define(WgLinker *linker, WgStr module, WgStr name,
                                 WgExtern ext);
/** Defines every export of `instance` under module name `module` (the spec
 * test `register` command). WG_OK or WG_ERR_NOMEM (then some are
 * defined). */
WG_API WgStatus wg_linker_define_instance(WgLinker *linker, WgStr module,
                                          WgInstance *instance);
/** Looks a definition up into *out (may be NULL; borrowed, as defined);
 * false if absent. */
WG_API bool wg_linker_get(const WgLinker *linker, WgStr module, WgStr name,
                          WgExtern *out);
/**
 * Resolves every import of `module` by (module, name) and instantiates it.
 * A missing name fails with WG_ERR_UNLINKABLE "unknown import"; a kind or
 * type mismatch with WG_ERR_UNLINKABLE "incompatible import type". Other
 * results as wg_instance_new(); errors are added to `diags`.
 */
WG_API WgStatus wg_linker_instantiate(WgLinker *linker, WgWasmModule *module,
                                      WgInstance **out, WgDiagList *diags);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_WASM_H */
