/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/wit.h
 * The WIT front-end: loads a WIT package (a `.wit` file, or a folder of
 * `.wit` files with an optional `deps/` folder) and resolves it into an
 * interface model shaped like wit-parser's `Resolve`.
 *
 * Everything in a WgWitResolve (names, arrays, docs) lives in the resolve's
 * own arena: it stays valid until wg_wit_resolve_free() and is never freed
 * piecemeal. Items refer to each other by index (WgWitId) into the arrays
 * of the resolve, exactly like wit-parser's arena ids, so the JSON dump uses
 * the same numbers.
 */
#ifndef WITGEN_WIT_H
#define WITGEN_WIT_H

#include "witgen/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An index into one of the arrays of a WgWitResolve. */
typedef uint32_t WgWitId;
/** "No item" (an absent package, owner, ...). */
#define WG_WIT_NONE UINT32_MAX

/**
 * A WIT value type: a primitive, or a reference to a type definition.
 * Values below WG_WIT_TYPE_ID_BASE are WgWitPrim codes; a definition `id`
 * is encoded as WG_WIT_TYPE_ID_BASE + id.
 */
typedef uint32_t WgWitType;

/** Primitive types, in wit-parser's order. */
typedef enum WgWitPrim {
  WG_WIT_BOOL = 0,
  WG_WIT_U8,
  WG_WIT_U16,
  WG_WIT_U32,
  WG_WIT_U64,
  WG_WIT_S8,
  WG_WIT_S16,
  WG_WIT_S32,
  WG_WIT_S64,
  WG_WIT_F32,
  WG_WIT_F64,
  WG_WIT_CHAR,
  WG_WIT_STRING,
  WG_WIT_ERROR_CONTEXT,
  WG_WIT_PRIM_COUNT
} WgWitPrim;

#define WG_WIT_TYPE_ID_BASE 16u
/** True when `t` refers to a type definition. */
#define WG_WIT_TYPE_IS_ID(t) ((t) >= WG_WIT_TYPE_ID_BASE)
/** The type definition index of `t` (only when WG_WIT_TYPE_IS_ID). */
#define WG_WIT_TYPE_ID(t) ((WgWitId)((t) - (WG_WIT_TYPE_ID_BASE)))
/** The WgWitType referring to definition `id`. */
#define WG_WIT_TYPE_OF(id) ((WgWitType)((id) + WG_WIT_TYPE_ID_BASE))

/** Lower-case WIT name of primitive `p` ("u32", "error-context", ...).
 * Borrowed: static storage. */
WG_API const char *wg_wit_prim_name(WgWitPrim p);

/** `@since` / `@unstable` / `@deprecated` information of an item. */
typedef enum WgWitStabilityKind {
  WG_WIT_STABILITY_UNKNOWN = 0,
  WG_WIT_STABILITY_STABLE,  /**< `since` is set */
  WG_WIT_STABILITY_UNSTABLE /**< `feature` is set */
} WgWitStabilityKind;

typedef struct WgWitStability {
  WgWitStabilityKind kind;
  WgStr since;      /**< semver text, STABLE only */
  WgStr feature;    /**< feature name, UNSTABLE only */
  WgStr deprecated; /**< semver text; ptr NULL when absent */
} WgWitStability;

/** Documentation comments; `ptr` NULL when there are none. */
typedef WgStr WgWitDocs;

/** Growable arrays used throughout the model (items in the arena). */
#define WG_WIT_ARRAY(T) \
  struct {              \
    T *items;           \
    size_t count;       \
    size_t cap;         \
  }

/** A `name -> id` entry of an ordered map (interface types, package items). */
typedef struct WgWitNamedId {
  WgStr name;
  WgWitId id;
} WgWitNamedId;
typedef WG_WIT_ARRAY(WgWitNamedId) WgWitNameMap;
typedef WG_WIT_ARRAY(WgWitType) WgWitTypeList;

/** Kind of a type definition (wit-parser's TypeDefKind). */
typedef enum WgWitTypeKind {
  WG_WIT_KIND_RECORD,
  WG_WIT_KIND_RESOURCE,
  WG_WIT_KIND_HANDLE_OWN,
  WG_WIT_KIND_HANDLE_BORROW,
  WG_WIT_KIND_FLAGS,
  WG_WIT_KIND_TUPLE,
  WG_WIT_KIND_VARIANT,
  WG_WIT_KIND_ENUM,
  WG_WIT_KIND_OPTION,
  WG_WIT_KIND_RESULT,
  WG_WIT_KIND_LIST,
  WG_WIT_KIND_MAP,
  WG_WIT_KIND_FIXED_LIST,
  WG_WIT_KIND_FUTURE,
  WG_WIT_KIND_STREAM,
  WG_WIT_KIND_TYPE, /**< alias: `type a = b` */
  WG_WIT_KIND_UNKNOWN
} WgWitTypeKind;

/** A record field, flag, variant case or enum case. `has_type`/`type` are
 * used by fields (always) and variant cases (optional payload). */
typedef struct WgWitCase {
  WgStr name;
  bool has_type;
  WgWitType type;
  WgWitDocs docs;
  WgSpan span;
} WgWitCase;
typedef WG_WIT_ARRAY(WgWitCase) WgWitCaseList;

/** Who defines a type. */
typedef enum WgWitOwnerKind {
  WG_WIT_OWNER_NONE = 0,
  WG_WIT_OWNER_INTERFACE,
  WG_WIT_OWNER_WORLD
} WgWitOwnerKind;

/**
 * A type definition. Which members are meaningful depends on `kind`:
 * RECORD/FLAGS/VARIANT/ENUM use `cases`; TUPLE uses `types`; OPTION, LIST,
 * TYPE use `a`; MAP uses `a` (key) and `b` (value); FIXED_LIST uses `a` and
 * `size`; RESULT uses `a` (ok, if has_a) and `b` (err, if has_b);
 * FUTURE/STREAM use `a` if has_a; HANDLE_* use `resource`.
 */
typedef struct WgWitTypeDef {
  WgStr name; /**< ptr NULL for anonymous types */
  WgWitTypeKind kind;
  WgWitCaseList cases;
  WgWitTypeList types;
  WgWitType a, b;
  bool has_a, has_b;
  uint32_t size;
  WgWitId resource;
  WgWitOwnerKind owner_kind;
  WgWitId owner;
  WgWitDocs docs;
  WgWitStability stability;
  WgStr external_id; /**< ptr NULL when absent */
  WgSpan span;
} WgWitTypeDef;

typedef enum WgWitFuncKind {
  WG_WIT_FUNC_FREESTANDING,
  WG_WIT_FUNC_ASYNC_FREESTANDING,
  WG_WIT_FUNC_METHOD,
  WG_WIT_FUNC_ASYNC_METHOD,
  WG_WIT_FUNC_STATIC,
  WG_WIT_FUNC_ASYNC_STATIC,
  WG_WIT_FUNC_CONSTRUCTOR
} WgWitFuncKind;

typedef struct WgWitParam {
  WgStr name;
  WgWitType type;
  WgSpan span;
} WgWitParam;
typedef WG_WIT_ARRAY(WgWitParam) WgWitParamList;

/** A function; `name` is mangled for resource functions
 * (`[method]r.f`, `[static]r.f`, `[constructor]r`). */
typedef struct WgWitFunction {
  WgStr name;
  WgWitFuncKind kind;
  WgWitId resource; /**< type id for methods/statics/constructors */
  WgWitParamList params;
  bool has_result;
  WgWitType result;
  WgWitDocs docs;
  WgWitStability stability;
  WgStr external_id;
  WgSpan span;
} WgWitFunction;
typedef WG_WIT_ARRAY(WgWitFunction) WgWitFunctionList;

typedef struct WgWitInterface {
  WgStr name; /**< ptr NULL for interfaces declared inline in a world */
  WgWitNameMap types;
  WgWitFunctionList functions;
  WgWitDocs docs;
  WgWitStability stability;
  WgWitId package; /**< WG_WIT_NONE if none */
  WgWitId clone_of;
  WgSpan span;
} WgWitInterface;

typedef enum WgWitItemKind {
  WG_WIT_ITEM_INTERFACE,
  WG_WIT_ITEM_FUNCTION,
  WG_WIT_ITEM_TYPE
} WgWitItemKind;

/** An import or export of a world. The key is either a plain name
 * (`key_is_interface` false) or the interface `key_iface` itself. */
typedef struct WgWitWorldEntry {
  bool key_is_interface;
  WgStr key_name;
  WgWitId key_iface;
  WgWitItemKind kind;
  WgWitId id; /**< interface or type id */
  WgWitFunction func;
  WgWitStability stability; /**< interface items */
  WgWitDocs docs;           /**< interface items */
  WgStr external_id;        /**< interface items */
  WgSpan span;
} WgWitWorldEntry;
typedef WG_WIT_ARRAY(WgWitWorldEntry) WgWitWorldItems;

typedef struct WgWitIncludeName {
  WgStr name, as;
} WgWitIncludeName;

typedef struct WgWitInclude {
  WgWitStability stability;
  WgWitId world;
  WG_WIT_ARRAY(WgWitIncludeName) names;
  WgSpan span;
} WgWitInclude;

typedef struct WgWitWorld {
  WgStr name;
  WgWitWorldItems imports;
  WgWitWorldItems exports;
  WgWitId package;
  WgWitDocs docs;
  WgWitStability stability;
  WG_WIT_ARRAY(WgWitInclude) includes; /**< empty once resolved */
  WgSpan span;
} WgWitWorld;

typedef struct WgWitPackageName {
  WgStr ns, name;
  WgStr version; /**< semver text; ptr NULL when unversioned */
} WgWitPackageName;

typedef struct WgWitPackage {
  WgWitPackageName name;
  WgWitDocs docs;
  WgWitNameMap interfaces;
  WgWitNameMap worlds;
} WgWitPackage;

/** The resolved model. Owned by the caller of wg_wit_load(); release with
 * wg_wit_resolve_free(). All members are read-only for users. */
typedef struct WgWitResolve WgWitResolve;

struct WgWitResolve {
  WG_WIT_ARRAY(WgWitWorld) worlds;
  WG_WIT_ARRAY(WgWitInterface) interfaces;
  WG_WIT_ARRAY(WgWitTypeDef) types;
  WG_WIT_ARRAY(WgWitPackage) packages;
  WgWitId main_package; /**< the package named by the loaded path */
  void *internal;       /**< arena and options; private */
};

/** Options of wg_wit_load(). A zeroed struct enables no features. */
typedef struct WgWitOptions {
  const char *const *features; /**< NUL-terminated names; borrowed */
  size_t feature_count;
  bool all_features;
  /** Syntax errors: false reports the first of each file, as wit-parser
   * does; true reports every error the parser recovered from (editors). */
  bool all_errors;
} WgWitOptions;

/**
 * Loads and resolves the WIT package at `path` (NUL-terminated): a `.wit`
 * file, or a folder whose `*.wit` files form one package, with dependency
 * packages in `path/deps/` (each a folder or a single `.wit` file).
 * Every source file is registered with `diags`, and errors are added there
 * with their location: syntax errors worded as wit-parser words them
 * ("expected '>', found keyword `type`") at the offending token, one per
 * file unless `all_errors` is set. A single file that fails on names it does
 * not define gets a note (WG_SEVERITY_NOTE) when its folder looks like its
 * package's (a `deps/` folder, or sibling files for a file without a
 * `package` header): load the folder instead. On WG_OK `*out` receives a new
 * resolve the caller owns; on failure `*out` is NULL and `diags` holds at
 * least one error.
 */
WG_API WgStatus wg_wit_load(const char *path, const WgWitOptions *options,
                            WgDiagList *diags, WgWitResolve **out);

/** Resolves WIT source text as if read from a file named `path`; same
 * contract as wg_wit_load(). `text` is borrowed for the call only. */
WG_API WgStatus wg_wit_load_source(const char *path, WgStr text,
                                   const WgWitOptions *options,
                                   WgDiagList *diags, WgWitResolve **out);

/** Frees a resolve and everything in it. NULL does nothing. */
WG_API void wg_wit_resolve_free(WgWitResolve *resolve);

/**
 * Serializes `resolve` as JSON in the shape of wit-parser's serialized
 * `Resolve` (pretty-printed). Returns a malloc'ed NUL-terminated string the
 * caller frees with free(), or NULL on out-of-memory.
 */
WG_API char *wg_wit_to_json(const WgWitResolve *resolve);

/**
 * Prints the package `pkg` of `resolve` back as WIT source text. Returns a
 * malloc'ed NUL-terminated string the caller frees, or NULL on OOM.
 */
WG_API char *wg_wit_print_package(const WgWitResolve *resolve, WgWitId pkg);

/* Section: Binaries */

/**
 * The WIT of binaries, as source text that wg_wit_load_source() resolves:
 *  - a component: its own imports and exports as world `root` of package
 *    `root:component`, with the packages its interfaces come from;
 *  - a WIT package encoded as a component (wasm-tools' "wit package
 *    binary"): that package and the packages it refers to;
 *  - a core module: the world of its `component-type:*` custom sections.
 * With `count` > 1 (core modules only, e.g. a program and its adapter), the
 * worlds of every component-type section are merged into the first, as
 * wit-component merges them. `binaries[i]` has `lens[i]` bytes; borrowed
 * for the call. On WG_OK `*out_text` is NUL-terminated text the caller
 * owns (release with free()). Otherwise it is NULL and `diags` holds the
 * error (WG_ERR_MALFORMED for bytes that do not decode, WG_ERR_INVALID for
 * types that do not resolve, WG_ERR_UNSUPPORTED).
 */
WG_API WgStatus wg_wit_decode(const uint8_t *const *binaries,
                              const size_t *lens, size_t count,
                              WgDiagList *diags, char **out_text);

/**
 * Encodes world `world` of `resolve` as wit-component does (the same bytes
 * as wasm-tools for the same world): a component binary holding the world's
 * component type, the payload of a `component-type:<world>` custom section.
 * Appended to `out` (check out->failed for out-of-memory). On failure
 * (WG_ERR_UNSUPPORTED for constructs not supported yet, naming the item)
 * `diags` holds the error and `out` may hold part of the encoding.
 */
WG_API WgStatus wg_wit_encode_world(const WgWitResolve *resolve, WgWitId world,
                                    WgBuf *out, WgDiagList *diags);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_WIT_H */
