/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/component_types.h
 * The component type model and the validator that builds it: a decoded
 * component (witgen/component_binary.h) checked against the Component
 * Model's validation rules (Explainer.md "Type checking", Binary.md) and
 * resolved into index spaces whose every entry has a resolved type.
 *
 * This is the one resolver of component index spaces: `witgen wit` reads a
 * component's WIT from it, `witgen new` the world of a core module, and the
 * component runtime its instantiation plan.
 *
 * Resolved types:
 *  - Every index is followed: a WgCValTy points straight at its element
 *    types, an `own`/`borrow` at its WgCResource.
 *  - Identity is kept: a type definition gives one node, and every alias,
 *    `eq` bound or export of it gives that same pointer, so a consumer can
 *    tell which name a type was exported under (WIT printing does).
 *  - Resources are identities (WgCResource): an imported `(sub resource)` is
 *    abstract; instantiating a component substitutes its abstract resources
 *    with the arguments' and gives each resource it defines a fresh
 *    identity.
 *
 * Ownership: everything lives in a WgCTypes context, which the caller owns
 * and releases with wg_ctypes_delete(); results stay valid until then. The
 * validated component must outlive the results too (names and definitions
 * point into it). A context is used by one thread at a time.
 */
#ifndef WITGEN_COMPONENT_TYPES_H
#define WITGEN_COMPONENT_TYPES_H

#include "witgen/canon_abi.h"
#include "witgen/common.h"
#include "witgen/component_binary.h"
#include "witgen/core_module.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Section: Resolved types */

/**
 * A resource type. Exporting (or importing with an `eq` bound) a resource
 * gives a new WgCResource, the name it is visible under, whose `alias_of`
 * is the resource itself: compare identities with wg_cresource_same().
 */
typedef struct WgCResource {
  uint32_t id;                        /**< unique within its WgCTypes */
  const struct WgCResource *alias_of; /**< the resource this names, or NULL */
  WgStr name;         /**< the import/export name that introduced it, or "" */
  const WgCType *def; /**< `(resource (rep i32) (dtor f))` of a component that
                           defines it; NULL for an abstract (imported) one */
  const struct WgCScope *owner; /**< the component that defines it (NULL
                                     for abstract resources) */
} WgCResource;

typedef struct WgCValTy WgCValTy;

/** Bits of WgCValTy.contains. */
enum {
  WG_CVALTY_HAS_OWN = 1,    /**< an `own` somewhere inside */
  WG_CVALTY_HAS_BORROW = 2, /**< a `borrow` somewhere inside */
  WG_CVALTY_HAS_ASYNC = 4,  /**< a stream, future or error-context inside */
  WG_CVALTY_HAS_LIST = 8,   /**< a string, list or map inside (needs memory) */
};

/**
 * A resolved value type. `kind` is a value kind of WgCTypeKind (WG_CT_PRIM
 * to WG_CT_MAP). Children by kind:
 *  - record: `count` fields, `labels[i]` and `elems[i]`;
 *  - variant: `count` cases, `labels[i]` and payload `elems[i]` (NULL: none);
 *  - tuple: `count` elements `elems[i]`;
 *  - flags, enum: `count` labels;
 *  - list, option: `elems[0]`; fixed list: `elems[0]` and `length`;
 *  - result: `elems[0]` ok and `elems[1]` err, each NULL when absent;
 *  - own, borrow: `resource`;
 *  - stream, future: `elems[0]`, NULL when without payload;
 *  - map: `elems[0]` key, `elems[1]` value.
 * `abi` is its Canonical ABI shape (for witgen/canon_abi.h).
 */
struct WgCValTy {
  WgCTypeKind kind;
  uint8_t prim; /**< WG_CT_PRIM: a WgCPrim */
  bool defined; /**< a type definition (not a primitive written inline) */
  bool named;   /**< the copy an import or export made: a name for it */
  const WgCValTy *alias_of; /**< named copies: the type they name */
  WgStr name;               /**< named copies: the name they give */
  uint8_t contains;
  uint32_t count;
  uint32_t length;
  const WgStr *labels;
  const WgCValTy *const *elems;
  const WgCResource *resource;
  WgAbiType abi;
};

/** A resolved function type. `result` is NULL when there is none. */
typedef struct WgCFuncTy {
  bool is_async;
  uint32_t param_count;
  const WgStr *param_names;
  const WgCValTy *const *params;
  const WgCValTy *result;
} WgCFuncTy;

typedef struct WgCInstanceTy WgCInstanceTy;
typedef struct WgCComponentTy WgCComponentTy;
typedef struct WgCoreModuleTy WgCoreModuleTy;
typedef struct WgCoreInstanceTy WgCoreInstanceTy;

/** What a component-level type index denotes. */
typedef enum WgCTyKind {
  WG_CTY_VALUE,
  WG_CTY_FUNC,
  WG_CTY_COMPONENT,
  WG_CTY_INSTANCE,
  WG_CTY_RESOURCE,
} WgCTyKind;

typedef struct WgCTypeRef {
  WgCTyKind kind;
  union {
    const WgCValTy *value;
    const WgCFuncTy *func;
    const WgCComponentTy *component;
    const WgCInstanceTy *instance;
    const WgCResource *resource;
  } of;
} WgCTypeRef;

/** The type of an import or export. `sort` is a WgCSort: WG_CSORT_CORE
 * (always a core module), FUNC, VALUE, TYPE, COMPONENT or INSTANCE. */
typedef struct WgCExternTy {
  uint8_t sort;
  union {
    const WgCoreModuleTy *module;
    const WgCFuncTy *func;
    const WgCValTy *value;
    WgCTypeRef type;
    const WgCComponentTy *component;
    const WgCInstanceTy *instance;
  } of;
} WgCExternTy;

/** A named import or export: the name as written (with its attributes). */
typedef struct WgCItem {
  WgCName name;
  WgCExternTy type;
} WgCItem;

/** An instance type. Its fresh resources are the ones it exports as
 * `(sub resource)`: each import of the type gives them new identities. */
struct WgCInstanceTy {
  uint32_t export_count;
  const WgCItem *exports;
  uint32_t fresh_count;
  const WgCResource *const *fresh;
  const struct WgCScope *decls; /**< the index spaces of its declarators
                                     (origins index them), or NULL */
};

/**
 * A component type. Its abstract resources are the ones its imports
 * introduce (substituted by the arguments' when it is instantiated); its
 * fresh resources are the ones it defines or exports as `(sub resource)`
 * (new identities at every instantiation).
 */
struct WgCComponentTy {
  uint32_t import_count;
  const WgCItem *imports;
  uint32_t export_count;
  const WgCItem *exports;
  uint32_t abstract_count;
  const WgCResource *const *abstracts;
  uint32_t fresh_count;
  const WgCResource *const *fresh;
  const struct WgCScope *decls; /**< the index spaces of its declarators
                                     (or of a component's definitions) */
};

/** A core import or export: `module` is empty for exports. */
typedef struct WgCoreItem {
  WgStr module;
  WgStr name;
  WgExternKind kind;
  union {
    const WgFuncType *func;
    WgTableType table;
    WgMemType memory;
    WgGlobalType global;
  } of;
} WgCoreItem;

struct WgCoreModuleTy {
  uint32_t import_count;
  const WgCoreItem *imports;
  uint32_t export_count;
  const WgCoreItem *exports;
};

struct WgCoreInstanceTy {
  uint32_t export_count;
  const WgCoreItem *exports;
};

/** A core-level type index: a function type or a module type. */
typedef struct WgCoreTypeRef {
  bool is_module;
  union {
    const WgFuncType *func;
    const WgCoreModuleTy *module;
  } of;
} WgCoreTypeRef;

/* Section: Index spaces */

/** Where an index space entry came from: the definition (or declarator)
 * that introduced it, by its position in its component's (or type's)
 * list. */
typedef struct WgCOrigin {
  uint32_t def;
} WgCOrigin;

/** A nested component: its type and, when it is defined in the binary
 * rather than imported or aliased, its definition and index spaces. */
typedef struct WgCComponentEntry {
  const WgCComponentTy *type;
  const WgComponent *def;       /**< NULL when imported or aliased */
  const struct WgCScope *scope; /**< the spaces of `def`, or NULL */
} WgCComponentEntry;

/** A core module: its type, and its bytes when defined in the binary. */
typedef struct WgCoreModuleEntry {
  const WgCoreModuleTy *type;
  const uint8_t *bytes; /**< NULL when imported or aliased */
  size_t len;
} WgCoreModuleEntry;

/**
 * The index spaces of a component (or of a component or instance type),
 * resolved: every entry's type, and the definition that introduced it
 * (`*_origin[i].def` indexes the component's defs or the type's decls).
 * The `type` of a component is its own component type.
 */
typedef struct WgCScope {
  const struct WgCScope *parent;
  const WgComponent *component; /**< NULL for component and instance types */
  const WgCComponentTy *type;   /**< component scopes: the type it has */

  uint32_t type_count;
  const WgCTypeRef *types;
  uint32_t func_count;
  const WgCFuncTy *const *funcs;
  uint32_t value_count;
  const WgCValTy *const *values;
  uint32_t instance_count;
  const WgCInstanceTy *const *instances;
  uint32_t component_count;
  const WgCComponentEntry *components;

  uint32_t core_type_count;
  const WgCoreTypeRef *core_types;
  uint32_t core_func_count;
  const WgFuncType *const *core_funcs;
  uint32_t core_table_count;
  const WgTableType *core_tables;
  uint32_t core_memory_count;
  const WgMemType *core_memories;
  uint32_t core_global_count;
  const WgGlobalType *core_globals;
  uint32_t core_module_count;
  const WgCoreModuleEntry *core_modules;
  uint32_t core_instance_count;
  const WgCoreInstanceTy *const *core_instances;

  const WgCOrigin *type_origin, *func_origin, *instance_origin,
      *component_origin, *core_func_origin, *core_memory_origin,
      *core_table_origin, *core_global_origin, *core_module_origin,
      *core_instance_origin;
} WgCScope;

/* Section: Validation */

/** A context holding resolved types. Opaque. */
typedef struct WgCTypes WgCTypes;

/** A new empty context drawing from `allocator` (zeroed: malloc). Caller
 * owns the result; release with wg_ctypes_delete(). NULL on out-of-memory. */
WG_API WgCTypes *wg_ctypes_new(WgAllocator allocator);

/** Frees the context and every type, scope and resource made in it. NULL
 * does nothing. */
WG_API void wg_ctypes_delete(WgCTypes *types);

/** Options of wg_component_validate(). A zeroed struct gives the defaults. */
typedef struct WgCValidateOptions {
  bool no_async; /**< refuse the async ABI, streams, futures, error-context */
} WgCValidateOptions;

/**
 * Validates `component` and resolves its index spaces. Nested components
 * and core modules are validated too. On WG_OK `*out` is the component's
 * scope (borrowed: valid until `types` is deleted; `component` must stay
 * alive as long). Otherwise `diags` holds the first error at the byte
 * offset of the definition at fault, worded as the reference validator
 * words it where the Component Model's tests check it ("type index out of
 * bounds", "resource types are not the same", ...): WG_ERR_INVALID, or
 * WG_ERR_MALFORMED for an embedded core module that does not decode,
 * WG_ERR_LIMIT beyond nesting or size limits, WG_ERR_NOMEM.
 */
WG_API WgStatus wg_component_validate(WgCTypes *types,
                                      const WgComponent *component,
                                      const WgCValidateOptions *options,
                                      const WgCScope **out, WgDiagList *diags);

/** The export of `instance` named `name`, or NULL. */
WG_API const WgCItem *wg_cinstance_export(const WgCInstanceTy *instance,
                                          WgStr name);

/** The export (or with `imports`, the import) of `component` named `name`,
 * or NULL. */
WG_API const WgCItem *wg_ccomponent_item(const WgCComponentTy *component,
                                         WgStr name, bool imports);

/**
 * The flat core signature of `func` lifted or lowered with 32-bit memory
 * (CanonicalABI.md flatten_functype, sync functions).
 */
WG_API void wg_cfunc_flatten(const WgCFuncTy *func, WgAbiContext context,
                             WgAbiFuncSig *out);

/**
 * True when an export named `export_name` may fill an import named
 * `import_name`: the same name, or the same interface at a semver-compatible
 * version (`wasi:cli/stdout@0.2.3` and `@0.2.12`: the same 0.2 track; for
 * 1.x and later the same major version; 0.0.x only exactly).
 */
WG_API bool wg_cname_compatible(WgStr import_name, WgStr export_name);

/** True when `a` and `b` are the same resource (through aliases). */
WG_API bool wg_cresource_same(const WgCResource *a, const WgCResource *b);

/** The resource an alias names (itself when it is not an alias). */
WG_API const WgCResource *wg_cresource_canon(const WgCResource *r);

/** A sort in the words of messages: "function", "instance", "type",
 * "component", "value", "core module" (static text). */
WG_API const char *wg_csort_word(uint8_t sort);

/** The name a resource is known by: its own or, through its aliases, the
 * first one named; "" when none (borrowed from the type model). */
WG_API WgStr wg_cresource_name(const WgCResource *r);

/**
 * Appends `type` in WIT syntax to `out`: a named type by its name
 * (`my-record`), an anonymous one by its structure (`list<tuple<u32,
 * string>>`, `own<file>`). For messages. Out-of-memory sets `out->failed`.
 */
WG_API void wg_cvalty_print(WgBuf *out, const WgCValTy *type);

/** Appends `func` in WIT syntax: `func(key: string) -> option<list<u8>>`. */
WG_API void wg_cfunc_print(WgBuf *out, const WgCFuncTy *func);

/**
 * Compares two function types structurally: parameter names and types,
 * the result; for every type its kind, labels (fields, cases, flags),
 * element types and lengths; resources by name only. True when they are
 * the same; otherwise false with the first difference in `why`
 * (`why_size` bytes, may be 0), e.g. "parameter `e`: field `value`:
 * `string` where `list<u8>` is expected".
 */
WG_API bool wg_cfunc_same(const WgCFuncTy *want, const WgCFuncTy *have,
                          char *why, size_t why_size);

/**
 * Checks that `have`, an export of the component `exporter`, can fill the
 * import `want` of the component `importer` (both names NUL-terminated,
 * for messages: a file name, or `label (file)`): the same sort; for an
 * instance (an interface), every function and type `want` lists, each
 * function of the same type, compared as WIT text and then with
 * wg_cfunc_same(). Resources are compared by name: which resource an
 * import is bound to is the linker's to check. `witgen plug`, `witgen
 * compose` and run-time linking share this check and its words.
 *
 * True when `have` fits. Otherwise false, with one WG_ERR_UNLINKABLE
 * error appended to `diags` (may be NULL) that names the WIT paths and
 * signatures on both sides, e.g.
 *   app.wasm imports `demo:kv/store@0.1.0#get: func(key: string) ->
 *   option<list<u8>>`; kv.wasm exports it as `func(key: string) ->
 *   option<string>`
 *   app.wasm imports `demo:kv/store@0.1.0#size: func() -> u64`; kv.wasm
 *   exports `demo:kv/store@0.1.0` without it
 * (the export's path is written out when it differs from the import's,
 * as with another version).
 */
WG_API bool wg_cfill_check(const WgCItem *want, const char *importer,
                           const WgCItem *have, const char *exporter,
                           WgDiagList *diags);

/** The name a value type kind has in messages ("record", "u32", ...).
 * Static storage. */
WG_API const char *wg_cvalty_kind_name(const WgCValTy *type);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_COMPONENT_TYPES_H */
