/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/component.h
 * The component runtime: load (decode + validate + compile + plan),
 * link, instantiate and call WebAssembly components on witgen's core
 * engine (witgen/wasm.h), with the Canonical ABI (CanonicalABI.md, the
 * synchronous subset) done by the host.
 *
 * Object model and ownership:
 *
 *  - WgEngine and WgStore come from witgen/wasm.h; a store's limits (fuel,
 *    memory pages, call depth, the interrupt flag) cover everything a
 *    component does, every core instance of it and the Canonical ABI's
 *    copying (charged as fuel: one unit per value or per 8 bytes).
 *  - WgWasmComponent: a loaded component: every core module compiled once
 *    and nested components, instances, aliases and canon definitions
 *    resolved into a flat plan, so that instantiation performs no name
 *    lookups. Immutable and reference counted; may be shared by threads and
 *    instantiated any number of times in any store of its engine.
 *  - WgComponentLinker: host definitions by WIT name (functions, resource
 *    types, instances of other components). Owned by the caller.
 *  - WgComponentPre: a component with every import resolved against a
 *    linker and type-checked; instantiating it does no lookups at all.
 *    Immutable and reference counted; instances keep it (and the host
 *    definitions it uses) alive.
 *  - WgComponentInstance: owned by the store it was created in (freed with
 *    it), like the core instances it is made of. Used by one thread at a
 *    time, as its store.
 *  - WgCVal: a component-level value of any WIT type (a small tree).
 *    Arguments passed to calls are borrowed. Results and host-function
 *    arguments are built by the runtime in the instance's scratch memory:
 *    borrowed, valid until the next call from the host into the same
 *    component instance (wg_cval_clone() keeps one).
 *
 * Errors: loading, linking and instantiation return a WgStatus and append
 * messages to a caller-owned WgDiagList (may be NULL); calls return NULL
 * or a WgTrap the caller owns (release with wg_trap_delete()). A trap in a
 * component instance poisons it, as the Component Model requires: any
 * later call into it traps with "cannot enter component instance".
 * Misuse (arguments that do not match the function's type) returns a
 * WG_TRAP_MISUSE trap and does not poison.
 */
#ifndef WITGEN_COMPONENT_H
#define WITGEN_COMPONENT_H

#include "witgen/common.h"
#include "witgen/component_types.h"
#include "witgen/wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Section: Values */

/** Kinds of component values, one per WIT type kind. */
typedef enum WgCValKind {
  WG_CVAL_BOOL = 0,
  WG_CVAL_S8,
  WG_CVAL_U8,
  WG_CVAL_S16,
  WG_CVAL_U16,
  WG_CVAL_S32,
  WG_CVAL_U32,
  WG_CVAL_S64,
  WG_CVAL_U64,
  WG_CVAL_F32,
  WG_CVAL_F64,
  WG_CVAL_CHAR,
  WG_CVAL_STRING,
  WG_CVAL_LIST,   /**< list<T> and list<T, N> */
  WG_CVAL_RECORD, /**< fields in the order of the type */
  WG_CVAL_TUPLE,
  WG_CVAL_VARIANT, /**< case index, payload or NULL */
  WG_CVAL_ENUM,    /**< case index */
  WG_CVAL_OPTION,  /**< case 0 none, 1 some (payload) */
  WG_CVAL_RESULT,  /**< case 0 ok, 1 error; payload or NULL */
  WG_CVAL_FLAGS,   /**< bit i set: label i present */
  WG_CVAL_OWN,
  WG_CVAL_BORROW,
} WgCValKind;

/**
 * A resource type at run time: one a component instance defines (a fresh
 * one per instance) or one the host defines in a linker. Owned by the
 * instance's store or by the linker (kept alive by the instances using it).
 */
typedef struct WgCResourceType WgCResourceType;

/**
 * A component value. Which member of `of` is meaningful follows `kind`:
 *  - bool: `b`; s8..s64: `s` (sign-extended); u8..u64: `u`; f32: `f32`;
 *    f64: `f64`; char: `ch` (a Unicode scalar value);
 *  - string: `str`, UTF-8, not NUL-terminated;
 *  - list, record, tuple: `seq`, the elements or fields in order;
 *  - variant, enum, option, result: `cases.index` and `cases.payload`
 *    (NULL when the case has none);
 *  - flags: `flags`;
 *  - own, borrow: `res`: the resource type and, for a type the host
 *    defines, the representation the host chose; for a type a component
 *    defines, a host handle (`rep` and `gen`) the runtime made when the
 *    value left the component, valid until the host moves it back in (as
 *    an own) or drops it with wg_component_resource_drop(): using it after
 *    that is a WG_TRAP_MISUSE trap, never a use-after-free in the guest.
 * A map<K, V> is a list of 2-tuples. A WgCVal does not own what it points
 * to: see the file comment for who does.
 */
typedef struct WgCVal {
  WgCValKind kind;
  union {
    bool b;
    int64_t s;
    uint64_t u;
    float f32;
    double f64;
    uint32_t ch;
    WgStr str;
    struct {
      struct WgCVal *items;
      size_t count;
    } seq;
    struct {
      uint32_t index;
      struct WgCVal *payload;
    } cases;
    uint32_t flags;
    struct {
      WgCResourceType *type;
      uint32_t rep;
      uint32_t gen; /**< guest-defined resources held by the host */
    } res;
  } of;
} WgCVal;

/* Constructors. Pointers are stored, not copied. */
static inline WgCVal wg_cval_bool(bool v) {
  WgCVal r = { WG_CVAL_BOOL, { .u = 0 } };
  r.of.b = v;
  return r;
}
static inline WgCVal wg_cval_int(WgCValKind kind, int64_t v) {
  WgCVal r = { kind, { .s = v } };
  return r;
}
static inline WgCVal wg_cval_uint(WgCValKind kind, uint64_t v) {
  WgCVal r = { kind, { .u = v } };
  return r;
}
static inline WgCVal wg_cval_s32(int32_t v) {
  return wg_cval_int(WG_CVAL_S32, v);
}
static inline WgCVal wg_cval_u32(uint32_t v) {
  return wg_cval_uint(WG_CVAL_U32, v);
}
static inline WgCVal wg_cval_s64(int64_t v) {
  return wg_cval_int(WG_CVAL_S64, v);
}
static inline WgCVal wg_cval_u64(uint64_t v) {
  return wg_cval_uint(WG_CVAL_U64, v);
}
static inline WgCVal wg_cval_f32(float v) {
  WgCVal r = { WG_CVAL_F32, { .u = 0 } };
  r.of.f32 = v;
  return r;
}
static inline WgCVal wg_cval_f64(double v) {
  WgCVal r = { WG_CVAL_F64, { .u = 0 } };
  r.of.f64 = v;
  return r;
}
static inline WgCVal wg_cval_char(uint32_t v) {
  WgCVal r = { WG_CVAL_CHAR, { .u = 0 } };
  r.of.ch = v;
  return r;
}
static inline WgCVal wg_cval_string(const char *ptr, size_t len) {
  WgCVal r = { WG_CVAL_STRING, { .u = 0 } };
  r.of.str.ptr = ptr;
  r.of.str.len = len;
  return r;
}
/** list, record or tuple (`kind`) of `count` items. */
static inline WgCVal wg_cval_seq(WgCValKind kind, WgCVal *items, size_t count) {
  WgCVal r = { kind, { .u = 0 } };
  r.of.seq.items = items;
  r.of.seq.count = count;
  return r;
}
/** variant, enum, option or result (`kind`): case `index`, payload or
 * NULL. */
static inline WgCVal wg_cval_case(WgCValKind kind, uint32_t index,
                                  WgCVal *payload) {
  WgCVal r = { kind, { .u = 0 } };
  r.of.cases.index = index;
  r.of.cases.payload = payload;
  return r;
}
static inline WgCVal wg_cval_flags(uint32_t bits) {
  WgCVal r = { WG_CVAL_FLAGS, { .u = 0 } };
  r.of.flags = bits;
  return r;
}
/** own (`kind` WG_CVAL_OWN) or borrow of a resource. */
static inline WgCVal wg_cval_resource(WgCValKind kind, WgCResourceType *type,
                                      uint32_t rep) {
  WgCVal r = { kind, { .u = 0 } };
  r.of.res.type = type;
  r.of.res.rep = rep;
  return r;
}

/** A borrow of the resource an own value holds (same type, rep and gen). */
static inline WgCVal wg_cval_borrow_of(WgCVal own) {
  own.kind = WG_CVAL_BORROW;
  return own;
}

/**
 * True when `a` and `b` are the same value: same kinds and shapes, equal
 * scalars (floats compared as values, except that NaN equals NaN and 0.0
 * differs from -0.0), equal strings, same resource and representation.
 */
WG_API bool wg_cval_equal(const WgCVal *a, const WgCVal *b);

/**
 * Checks that `v` is a value of `type` (kinds, counts, case indices, flag
 * bits, char ranges, integer ranges, UTF-8). False when it is not, with the
 * reason appended to `why` (may be NULL; caller owns it), e.g. "field `y`:
 * expected f64, found u32".
 */
WG_API bool wg_cval_check(const WgCVal *v, const WgCValTy *type, WgBuf *why);

/**
 * Appends `v` as text to `out`, in the WAVE syntax wasm-tools and wasmtime
 * use (`{x: 1, name: "a"}`, `circle(1.5)`, `some(none)`, `ok`, `[1, 2]`,
 * `{a0, d3}`...). With `type` (may be NULL) labels and case names are
 * printed; without, positions (`#0`) are.
 */
WG_API void wg_cval_print(WgBuf *out, const WgCVal *v, const WgCValTy *type);

/**
 * Deep copy of `v` into memory from malloc. On WG_OK the caller owns
 * `*out`'s contents; release with wg_cval_free(). WG_ERR_NOMEM otherwise.
 */
WG_API WgStatus wg_cval_clone(const WgCVal *v, WgCVal *out);

/** Frees what a wg_cval_clone() made inside `v` (not `v` itself). */
WG_API void wg_cval_free(WgCVal *v);

/* Section: Reading values */

/** Options of the value readers below; a zeroed struct (or NULL) gives
 * the defaults. */
typedef struct WgCValReadOptions {
  /** Names the text in diagnostics (NUL-terminated; NULL: "<value>"). When
   * an error is reported the text is registered in `diags` under this
   * name, so the diagnostic prints as `name:1:7: error: ...` with the line
   * and a caret under the place at fault. */
  const char *path;
  /** The byte of the text where reading starts (default 0). */
  size_t start;
  /** NULL: the value must be the rest of the text (whitespace and comments
   * may follow it). Otherwise reading stops after the value and the
   * whitespace after it, and `*end` receives that position. */
  size_t *end;
  /** WAVE only: resolves `$name` written where a value is expected. Returns
   * the value bound to `name` (borrowed; the reader copies it) or NULL when
   * there is none. The value must be of the expected type; an `own` given
   * where a `borrow` is expected is passed as a borrow of it. This is how a
   * resource handle, which WAVE has no syntax for, is written. NULL:
   * `$name` is an error. */
  const WgCVal *(*lookup)(void *env, WgStr name);
  void *env;
} WgCValReadOptions;

/**
 * Reads a value of `type` written in WAVE, the value syntax of wasm-tools
 * and wasmtime (`wasm-wave`): `true`, `-7`, `1.5`, `nan`, `-inf`, `'x'`,
 * `"a\tb\u{1F600}"` (and `"""` multiline strings), `[1, 2]`, `(1, "a")`,
 * `{name: "a", size: 2}` (fields in any order; `option` fields may be left
 * out: none; `{:}` is an empty record), `circle(1.5)` and `none-case`
 * (variant and enum cases by name, `%` before a case named like a keyword:
 * `%ok`), `some(x)`, `none` or just `x` for an option (when x is not itself
 * an option or result), `ok(x)`, `ok`, `err(e)` or just `x` for a result,
 * `{read, write}` for flags, `{"k": v}` for a map; `//` comments.
 *
 * On WG_OK `*out` is the value; the caller owns what it points to and
 * releases it with wg_cval_free(). Otherwise nothing is left to free and
 * `diags` says what is wrong and where (a span of the text, see
 * `options.path`): WG_ERR_MALFORMED for text that is not WAVE (an
 * unterminated string, a missing `)`), WG_ERR_INVALID for WAVE that is not
 * a value of `type` (an unknown case or field, a number out of range, a
 * list where a record is expected: the message names the expected type in
 * WIT syntax), WG_ERR_LIMIT for values nested deeper than 500 levels,
 * WG_ERR_NOMEM.
 */
WG_API WgStatus wg_cval_parse_wave(WgStr text, const WgCValTy *type,
                                   const WgCValReadOptions *options,
                                   WgCVal *out, WgDiagList *diags);

/**
 * Reads the arguments of a call of a function of type `type` in WAVE:
 * `(v1, v2, ...)`, parenthesized and comma-separated, each read as by
 * wg_cval_parse_wave(); trailing `option` arguments may be left out (none).
 * On WG_OK `args` (`type->param_count` entries, caller-provided) holds the
 * values; release each with wg_cval_free(). Errors as for
 * wg_cval_parse_wave(), WG_ERR_INVALID also for too many or too few
 * arguments (the message gives the function's WIT signature); on error
 * nothing is left to free.
 */
WG_API WgStatus wg_cval_parse_wave_args(WgStr text, const WgCFuncTy *type,
                                        const WgCValReadOptions *options,
                                        WgCVal *args, WgDiagList *diags);

/**
 * Reads a value of `type` written as in the Component Model's `.wast`
 * scripts: `(bool.const true)`, `(u32.const 0xff)`, `(f64.const -0x1p3)`,
 * `(char.const "x")`, `(str.const "a\n")`, `(list.const v*)`,
 * `(tuple.const v*)`, `(record.const (field "a" v)*)` (the field's value
 * may be written without its parentheses: `(field "a" u32.const 1)`),
 * `(variant.const "case" v?)`, `(enum.const "case")`, `(option.none)`,
 * `(option.some v)`, `(result.ok v?)`, `(result.err v?)`,
 * `(flags.const "a"*)`; `;;` and `(; ;)` comments. Ownership, errors and
 * options (but `lookup`) as for wg_cval_parse_wave().
 */
WG_API WgStatus wg_cval_parse_wast(WgStr text, const WgCValTy *type,
                                   const WgCValReadOptions *options,
                                   WgCVal *out, WgDiagList *diags);

/* Section: Components */

typedef struct WgWasmComponent WgWasmComponent;

/**
 * Decodes and validates a component binary (the Component Model's
 * validation rules, witgen/component_types.h), compiles every core module
 * it contains and builds its instantiation plan. `bytes` is copied. On
 * WG_OK `*out` is a component the caller owns; release with
 * wg_wasm_component_delete(). Otherwise `diags` says why, at a byte offset:
 * WG_ERR_MALFORMED, WG_ERR_INVALID, WG_ERR_UNSUPPORTED (valid but using
 * what this runtime does not run: the async ABI, component or module
 * imports at the root, value imports), WG_ERR_LIMIT or WG_ERR_NOMEM.
 */
WG_API WgStatus wg_wasm_component_load(WgEngine *engine, const uint8_t *bytes,
                                       size_t len, WgWasmComponent **out,
                                       WgDiagList *diags);

/** Drops the caller's reference; instances and pres keep the component
 * alive. NULL does nothing. */
WG_API void wg_wasm_component_delete(WgWasmComponent *component);

/** The component's type: its imports and exports with resolved types.
 * Borrowed: valid while the component lives. */
WG_API const WgCComponentTy *
wg_wasm_component_type(const WgWasmComponent *component);

/** Number of functions the component exports, at the top level or inside
 * exported instances. */
WG_API size_t wg_wasm_component_func_count(const WgWasmComponent *component);

/**
 * Exported function `i`: its full name (`greet`, or
 * `witgen:roundtrip/guest#s8` for a function of an exported instance) and
 * type. Both borrowed: valid while the component lives. Either out
 * pointer may be NULL.
 */
WG_API void wg_wasm_component_func(const WgWasmComponent *component, size_t i,
                                   WgStr *out_name, const WgCFuncTy **out_type);

/* Section: Host functions */

/** The context of a host function call. Borrowed: valid during the call
 * only. */
typedef struct WgCCall WgCCall;

/**
 * A host function. `args` hold the parameters, lifted by the runtime
 * (borrowed: valid during the call). The function sets the `result_count`
 * (0 or 1) results; what they point to must stay valid until the function
 * returns and the runtime has read them: use static data, memory the host
 * keeps, or wg_ccall_alloc(). Return NULL on success or a trap (ownership
 * passes to the runtime), which poisons the calling instance.
 */
typedef WgTrap *(*WgCHostFn)(void *env, WgCCall *call, const WgCVal *args,
                             size_t arg_count, WgCVal *results,
                             size_t result_count);

/** The store of the call. Borrowed. */
WG_API WgStore *wg_ccall_store(WgCCall *call);
/** The component instance that called. Borrowed: owned by the store. */
WG_API struct WgComponentInstance *wg_ccall_instance(WgCCall *call);
/** The full name of the import called (`wasi:cli/stdout@0.2.12#get-stdout`)
 * and its type, as the component imports it. Borrowed. */
WG_API WgStr wg_ccall_name(WgCCall *call);
WG_API const WgCFuncTy *wg_ccall_type(WgCCall *call);
/** `size` bytes (16-byte aligned) of scratch memory for building results,
 * freed by the runtime after it has read them. NULL on out-of-memory. */
WG_API void *wg_ccall_alloc(WgCCall *call, size_t size);

/**
 * A destructor of a host resource type: called with the representation
 * when the guest drops its last `own` handle (resource.drop) or the host
 * calls wg_component_resource_drop(). NULL on success or a trap.
 */
typedef WgTrap *(*WgCResourceDtor)(void *env, uint32_t rep);

/* Section: Linker */

typedef struct WgComponentLinker WgComponentLinker;

/** Limits and options of a linker; a zeroed struct gives the defaults. */
typedef struct WgComponentLinkerConfig {
  /** Define every import the linker lacks as a stub: a function that traps
   * with "unimplemented import `NAME`" when called, a resource type that
   * exists but was never given a destructor. Default: missing imports fail
   * with WG_ERR_UNLINKABLE. */
  bool stub_unknown_imports;
  /** Most handles one component instance's handle table may hold;
   * 0: 1,048,576 (the Canonical ABI's maximum is 2^28 - 1). */
  uint32_t max_handles;
} WgComponentLinkerConfig;

/** A new linker for components of `engine`; `config` is copied (NULL:
 * defaults). Caller owns the result; release with
 * wg_component_linker_delete(). NULL on out-of-memory. */
WG_API WgComponentLinker *
wg_component_linker_new(WgEngine *engine,
                        const WgComponentLinkerConfig *config);

/** Frees the linker. Host definitions stay alive while a pre or an
 * instance uses them; `env_free` runs when the last user is gone. NULL
 * does nothing. */
WG_API void wg_component_linker_delete(WgComponentLinker *linker);

/**
 * Defines a host function under its WIT name: `NAME` for a function the
 * component imports directly, `INTERFACE#NAME` for one of an imported
 * instance (`wasi:cli/stdout@0.2.12#get-stdout`,
 * `witgen:roundtrip/types#[method]hres.get`). A versioned interface
 * satisfies imports of semver-compatible versions (same major version; for
 * 0.x the same minor: an import of @0.2.3 is met by @0.2.12); the exact
 * version is preferred, then the highest compatible one.
 *
 * `type` (empty: none) is the function's WIT signature, e.g.
 * `func(v: string) -> result<u32, string>` (WIT type syntax with
 * anonymous `record { ... }`, `variant { ... }`, `enum { ... }`,
 * `flags { ... }` and `own<NAME>`/`borrow<NAME>`, NAME a resource name);
 * when given, it is checked against the import at link time and a
 * mismatch names both sides. Without one the function takes the type the
 * component imports it with (wg_ccall_type()). `env` is passed to every
 * call; `env_free` (may be NULL) runs once no linker, pre or instance uses
 * the definition. Names and `type` are copied. A later definition of the
 * same name replaces the earlier one. WG_ERR_INVALID for a malformed name
 * or type (with a message in `diags`), WG_ERR_NOMEM.
 */
WG_API WgStatus wg_component_linker_define_func(WgComponentLinker *linker,
                                                WgStr name, WgStr type,
                                                WgCHostFn fn, void *env,
                                                void (*env_free)(void *),
                                                WgDiagList *diags);

/**
 * Defines a host resource type under its WIT name (`INTERFACE#NAME` or
 * `NAME`, versions matched as for functions). `dtor` (may be NULL) runs
 * when a guest drops an `own` handle of it. On WG_OK `*out` (may be NULL)
 * is the type, to build `own`/`borrow` values with; borrowed: valid while
 * the linker lives, or longer while instances use it.
 */
WG_API WgStatus wg_component_linker_define_resource(
    WgComponentLinker *linker, WgStr name, WgCResourceDtor dtor, void *env,
    void (*env_free)(void *), WgCResourceType **out, WgDiagList *diags);

/**
 * Defines every function and resource type `instance` exports under
 * `export_name` (an exported instance such as `demo:kv/store@0.1.0`; empty:
 * the functions and resource types it exports at the top level) as the
 * interface `name` (often the same string): calls to them are calls
 * into `instance`, with their values lifted and lowered by the Canonical
 * ABI; its resource types are the instance's own. The linker keeps a
 * pointer to `instance`, which must outlive the instances linked to it
 * (same store). WG_ERR_INVALID when there is no such exported instance.
 */
WG_API WgStatus wg_component_linker_define_instance(
    WgComponentLinker *linker, WgStr name, struct WgComponentInstance *instance,
    WgStr export_name, WgDiagList *diags);

/**
 * True when an import named `name` (written as for
 * wg_component_linker_define_func(): `INTERFACE#NAME`, `NAME`, or a
 * resource's `INTERFACE#RESOURCE`) would be met by a definition of
 * `linker`: the same name, or a semver-compatible version of its
 * interface. Types are not compared (wg_component_linker_pre() does that).
 * A NULL linker has nothing.
 */
WG_API bool wg_component_linker_has(const WgComponentLinker *linker,
                                    WgStr name);

/* Section: Linking components to each other */

/**
 * A component graph: components linked to each other at run time (what
 * `witgen run APP.wasm --link LIB.wasm...` does). Each component's
 * imports are satisfied by the exports of the others: an import is bound
 * to the one other component exporting the same name (an interface such
 * as `demo:kv/store@0.1.0`, or a plain name), at a semver-compatible
 * version (wg_cname_compatible()), after a check that the export fits:
 * every function the import lists, of the same type, naming the same
 * resource types. Imports no component exports go to the host linker
 * (host functions, WASI, stubs). Instantiating the graph makes one
 * instance of each component, shared by all its importers, providers
 * first; calls between them are fused (arguments and results copied
 * memory to memory, with the Canonical ABI's checks and transcoding), as
 * calls between the components a composed component nests are.
 *
 * Owned by the caller; release with wg_component_graph_delete(). A graph
 * is built (add), linked once (link), then instantiated any number of
 * times, in any store of its engine. Used by one thread at a time.
 */
typedef struct WgComponentGraph WgComponentGraph;

/** A new, empty graph whose components' unbound imports are resolved in
 * `host` (borrowed: it must outlive the graph; its later definitions are
 * not seen once the graph is linked). NULL for a NULL `host` or on
 * out-of-memory. */
WG_API WgComponentGraph *wg_component_graph_new(WgComponentLinker *host);

/** Frees the graph and its references to components. Instances already
 * made stay alive with their store. NULL does nothing. */
WG_API void wg_component_graph_delete(WgComponentGraph *graph);

/**
 * Adds `component` (the graph keeps a reference) named `name` (copied;
 * messages use it: the file name, say). Components are numbered in the
 * order added, from 0. WG_ERR_MISUSE after wg_component_graph_link() or
 * for a component of another engine; WG_ERR_NOMEM.
 */
WG_API WgStatus wg_component_graph_add(WgComponentGraph *graph, WgStr name,
                                       WgWasmComponent *component,
                                       WgDiagList *diags);

/** Number of components added. */
WG_API size_t wg_component_graph_count(const WgComponentGraph *graph);

/**
 * Binds every import of every component, checks the bindings, orders the
 * components and prepares each for instantiation (as
 * wg_component_linker_pre() does, the host linker's definitions checked
 * as it checks them). WG_ERR_UNLINKABLE with one error per problem, each
 * naming the WIT paths and signatures on both sides:
 *  - a missing export or a function of another type, in the words of
 *    `witgen plug` (wg_cfill_check()): ``app.wasm imports
 *    `demo:kv/store@0.1.0#get: func(key: string) -> option<list<u8>>`;
 *    kv.wasm exports it as `func(key: string) -> option<string>` ``;
 *  - another resource type behind the same signature: ``app.wasm imports
 *    `demo:kv/store@0.1.0#scan: func(c: borrow<cursor>) -> u32`; kv.wasm
 *    exports it as `func(c: borrow<cursor>) -> u32`, with another
 *    `cursor`: app.wasm's `cursor` is `demo:kv/types@0.1.0#cursor` of the
 *    host; kv.wasm's is `demo:kv/types@0.1.0#cursor` of types.wasm``;
 *  - an incompatible version: ``app.wasm imports `demo:kv/store@0.1.0`;
 *    kv.wasm exports `demo:kv/store@0.2.0`, which is not
 *    semver-compatible with it (versions 0.1.0 and 0.2.0)``;
 *  - a name clash: two components export what one imports;
 *  - a cycle: ``components import from each other in a cycle: a.wasm
 *    imports `demo:x/b` from b.wasm, which imports `demo:x/a` from
 *    a.wasm ...``;
 *  - an import neither a component nor the host defines, as
 *    wg_component_linker_pre() says it, after the component's name.
 * WG_ERR_MISUSE for an empty graph or a second link; WG_ERR_NOMEM.
 */
WG_API WgStatus wg_component_graph_link(WgComponentGraph *graph,
                                        WgDiagList *diags);

/**
 * Instantiates a linked graph in `store`: one instance per component, in
 * dependency order (start functions run then), written to `instances`
 * (wg_component_graph_count() entries, in the order added; owned by the
 * store). On failure every entry is NULL (instances made before the
 * failure stay in the store, unused) and `diags` names the component
 * (WG_ERR_TRAP, WG_ERR_LIMIT, WG_ERR_NOMEM as
 * wg_component_pre_instantiate(); WG_ERR_MISUSE before linking).
 */
WG_API WgStatus wg_component_graph_instantiate(
    WgComponentGraph *graph, WgStore *store,
    struct WgComponentInstance **instances, WgDiagList *diags);

/**
 * A pre-instantiated form of component `index` of a linked graph, for
 * what takes a WgComponentPre (a WASI host's run or serve, say):
 * wg_component_pre_instantiate() on it instantiates the whole graph in
 * the store given, as wg_component_graph_instantiate() does, and gives
 * component `index`'s instance. On WG_OK the caller owns a reference to
 * `*out`; release with wg_component_pre_delete(). The graph must outlive
 * its use: once the graph is deleted, instantiating the pre fails with
 * WG_ERR_MISUSE. Instantiations may run on several threads at once, each
 * in its own store. WG_ERR_MISUSE for a graph not linked or an index out
 * of range.
 */
struct WgComponentPre; /* Section: Pre-instantiation */
WG_API WgStatus wg_component_graph_pre(WgComponentGraph *graph, size_t index,
                                       struct WgComponentPre **out,
                                       WgDiagList *diags);

/** Appends one line per import of every component of a linked graph:
 * `app.wasm: demo:kv/store@0.1.0 <- kv.wasm (demo:kv/store@0.1.0)`, or
 * `<- host` for an import left to the host linker. */
WG_API void wg_component_graph_print(const WgComponentGraph *graph, WgBuf *out);

/* Section: Pre-instantiation */

typedef struct WgComponentPre WgComponentPre;

/**
 * Resolves every import of `component` against `linker` and checks its
 * type. On WG_OK `*out` is owned by the caller; release with
 * wg_component_pre_delete(). Otherwise WG_ERR_UNLINKABLE with one
 * diagnostic per import at fault, each naming the import's WIT path, what
 * the component expects and what the linker has (e.g. "import
 * `a:b/c@0.2.3#f` expects `func(x: u32)`, but `a:b/c@0.2.12#f` is
 * `func(x: string)`"), or WG_ERR_NOMEM.
 */
WG_API WgStatus wg_component_linker_pre(WgComponentLinker *linker,
                                        WgWasmComponent *component,
                                        WgComponentPre **out,
                                        WgDiagList *diags);

/** Drops the caller's reference. NULL does nothing. */
WG_API void wg_component_pre_delete(WgComponentPre *pre);

/* Section: Instances */

typedef struct WgComponentInstance WgComponentInstance;

/**
 * Instantiates a pre-resolved component in `store`: runs its plan (core
 * instantiations with their start functions, trampolines for imports,
 * resource types). On WG_OK `*out` is owned by the store. WG_ERR_TRAP when
 * a start function traps, WG_ERR_LIMIT when a store limit is hit,
 * WG_ERR_MISUSE for a store of another engine, WG_ERR_NOMEM; `diags` says
 * why.
 */
WG_API WgStatus wg_component_pre_instantiate(WgComponentPre *pre,
                                             WgStore *store,
                                             WgComponentInstance **out,
                                             WgDiagList *diags);

/** wg_component_linker_pre() and wg_component_pre_instantiate() in one
 * call. */
WG_API WgStatus wg_component_linker_instantiate(WgComponentLinker *linker,
                                                WgStore *store,
                                                WgWasmComponent *component,
                                                WgComponentInstance **out,
                                                WgDiagList *diags);

/** The store of an instance. Borrowed. */
WG_API WgStore *wg_component_instance_store(WgComponentInstance *instance);

/** True once a trap has poisoned the instance. */
WG_API bool wg_component_instance_poisoned(const WgComponentInstance *instance);

/** A function the instance exports. Borrowed: owned by the store. */
typedef struct WgComponentFunc WgComponentFunc;

/** The exported function named `name` (a full name as
 * wg_wasm_component_func() gives), or NULL. */
WG_API WgComponentFunc *
wg_component_instance_func(WgComponentInstance *instance, WgStr name);

/** The function's type. Borrowed: valid while the component lives. */
WG_API const WgCFuncTy *wg_component_func_type(const WgComponentFunc *func);

/**
 * Calls `func` with `arg_count` arguments (borrowed), writing
 * `result_count` (0 or 1, as the type says) results, which are borrowed
 * as the file comment says. Arguments are checked against the type first
 * (a WG_TRAP_MISUSE trap, no poisoning). Runs the post-return function
 * automatically. Returns NULL on success or a trap the caller owns.
 */
WG_API WgTrap *wg_component_func_call(WgComponentFunc *func, const WgCVal *args,
                                      size_t arg_count, WgCVal *results,
                                      size_t result_count);

/** The resource type the instance exports as `name` (`INTERFACE#NAME` or
 * `NAME`), or NULL. Borrowed: owned by the store. */
WG_API WgCResourceType *
wg_component_instance_resource(WgComponentInstance *instance, WgStr name);

/**
 * Drops an `own` value the host holds: runs the resource's destructor (in
 * the component that defines it, or the host's). NULL or a trap the caller
 * owns.
 */
WG_API WgTrap *wg_component_resource_drop(WgStore *store, const WgCVal *own);

/** The name a resource type was defined or exported under. Borrowed. */
WG_API WgStr wg_cresource_type_name(const WgCResourceType *type);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_COMPONENT_H */
