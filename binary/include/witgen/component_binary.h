/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/component_binary.h
 * The component binary format (Binary.md of the component model): decoding
 * a component into its definitions, in binary order, with type definitions
 * decoded into trees; encoding them back; and the `component-type` custom
 * sections that carry a world inside a core module.
 *
 * The decoded form is a read-only tree of plain structs. Index spaces are
 * not resolved here: a WgCValType or an alias refers to indices exactly as
 * the binary does; witgen/component_types.h validates a decoded component
 * and resolves its index spaces.
 *
 * Ownership: a decoded component and everything in it live in one arena,
 * freed by wg_component_free(); the component borrows the bytes it was
 * decoded from (names and core module bytes point into them), which must
 * outlive it. Trees built by hand (definitions with `section` 0) are the
 * builder's to own; the encoder only reads them.
 */
#ifndef WITGEN_COMPONENT_BINARY_H
#define WITGEN_COMPONENT_BINARY_H

#include "witgen/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Primitive value types, valued as their binary opcodes. */
typedef enum WgCPrim {
  WG_CPRIM_BOOL = 0x7f,
  WG_CPRIM_S8 = 0x7e,
  WG_CPRIM_U8 = 0x7d,
  WG_CPRIM_S16 = 0x7c,
  WG_CPRIM_U16 = 0x7b,
  WG_CPRIM_S32 = 0x7a,
  WG_CPRIM_U32 = 0x79,
  WG_CPRIM_S64 = 0x78,
  WG_CPRIM_U64 = 0x77,
  WG_CPRIM_F32 = 0x76,
  WG_CPRIM_F64 = 0x75,
  WG_CPRIM_CHAR = 0x74,
  WG_CPRIM_STRING = 0x73,
  WG_CPRIM_ERROR_CONTEXT = 0x64,
} WgCPrim;

/** True when `byte` is a primitive value type opcode. */
WG_API bool wg_cprim_valid(uint8_t byte);
/** WIT spelling of a primitive ("u32", "string", ...). Static storage. */
WG_API const char *wg_cprim_name(WgCPrim prim);

/* A value type: a primitive (prim != 0) or a type index (prim == 0). */
typedef struct WgCValType {
  uint8_t prim;
  uint32_t index;
} WgCValType;

/* Sorts of the component index spaces (the `sort` byte; core sorts apart). */
typedef enum WgCSort {
  WG_CSORT_CORE = 0x00, /* with a WgCCoreSort */
  WG_CSORT_FUNC = 0x01,
  WG_CSORT_VALUE = 0x02,
  WG_CSORT_TYPE = 0x03,
  WG_CSORT_COMPONENT = 0x04,
  WG_CSORT_INSTANCE = 0x05,
} WgCSort;

typedef enum WgCCoreSort {
  WG_CCORE_FUNC = 0x00,
  WG_CCORE_TABLE = 0x01,
  WG_CCORE_MEMORY = 0x02,
  WG_CCORE_GLOBAL = 0x03,
  WG_CCORE_TAG = 0x04,
  WG_CCORE_TYPE = 0x10,
  WG_CCORE_MODULE = 0x11,
  WG_CCORE_INSTANCE = 0x12,
} WgCCoreSort;

typedef enum WgCTypeKind {
  WG_CT_PRIM,
  WG_CT_RECORD,
  WG_CT_VARIANT,
  WG_CT_LIST,
  WG_CT_FIXED_LIST,
  WG_CT_TUPLE,
  WG_CT_FLAGS,
  WG_CT_ENUM,
  WG_CT_OPTION,
  WG_CT_RESULT,
  WG_CT_OWN,
  WG_CT_BORROW,
  WG_CT_STREAM,
  WG_CT_FUTURE,
  WG_CT_MAP,
  WG_CT_FUNC,
  WG_CT_COMPONENT,
  WG_CT_INSTANCE,
  WG_CT_RESOURCE,
} WgCTypeKind;

/* A labelled (optional) type: record field, variant case, func param; for
 * flags/enum only the label; for tuples only the type. */
typedef struct WgCField {
  WgStr label;
  bool has_type;
  WgCValType type;
} WgCField;

/* Forms of an import or export name. */
enum {
  WG_CNAME_PLAIN = 0x00,
  WG_CNAME_PLAIN_ALT = 0x01,  /* the same as 0x00 (a redundant form) */
  WG_CNAME_ATTRIBUTES = 0x02, /* followed by (kind, value) attributes */
};

/* Name of an import or export with its attributes. */
typedef struct WgCName {
  WgStr name;
  uint8_t form;     /* WG_CNAME_PLAIN, _PLAIN_ALT or _ATTRIBUTES */
  WgStr implements; /* empty when absent */
  WgStr version_suffix;
  WgStr external_id;
} WgCName;

/* Bounds of a type (or value) import or export. */
typedef enum WgCBound {
  WG_CBOUND_EQ = 0x00,           /* (eq index) */
  WG_CBOUND_SUB_RESOURCE = 0x01, /* types: (sub resource); values: valtype */
} WgCBound;

/* What an import or export is typed as. */
typedef struct WgCExternType {
  uint8_t kind;  /* a WgCSort: WG_CSORT_CORE (a core module), FUNC, VALUE,
                    TYPE, COMPONENT or INSTANCE */
  uint8_t bound; /* a WgCBound, for types and values */
  uint32_t index;
  WgCValType value_type; /* values with bound 0x01 */
} WgCExternType;

typedef enum WgCAliasKind {
  WG_CALIAS_EXPORT = 0x00,
  WG_CALIAS_CORE_EXPORT = 0x01,
  WG_CALIAS_OUTER = 0x02,
} WgCAliasKind;

typedef struct WgCAlias {
  uint8_t sort;      /* WgCSort */
  uint8_t core_sort; /* WgCCoreSort when sort == WG_CSORT_CORE */
  uint8_t kind;      /* WgCAliasKind */
  uint32_t instance; /* export kinds; outer: the count of scopes out */
  uint32_t index;    /* outer: the index in that scope */
  WgStr name;        /* export kinds */
} WgCAlias;

typedef struct WgCType WgCType;

typedef enum WgCDeclKind {
  WG_CDECL_CORE_TYPE, /* kept raw: core module types */
  WG_CDECL_TYPE,
  WG_CDECL_ALIAS,
  WG_CDECL_IMPORT,
  WG_CDECL_EXPORT,
} WgCDeclKind;

/* One declarator of a component or instance type. */
typedef struct WgCDecl {
  WgCDeclKind kind;
  union {
    WgCType *type;
    WgCAlias alias;
    struct {
      WgCName name;
      WgCExternType type;
    } extern_;
    struct {
      const uint8_t *bytes;
      size_t len;
    } core_type;
  } u;
} WgCDecl;

struct WgCType {
  WgCTypeKind kind;
  union {
    uint8_t prim;
    /* record, variant, tuple, flags, enum */
    struct {
      uint32_t count;
      WgCField *items;
    } fields;
    /* list, fixed list (len > 0), option */
    struct {
      WgCValType elem;
      uint32_t len;
    } list;
    struct {
      bool has_ok, has_err;
      WgCValType ok, err;
    } result;
    uint32_t resource; /* own, borrow: a type index */
    /* stream, future */
    struct {
      bool has_elem;
      WgCValType elem;
    } async;
    struct {
      WgCValType key, value;
    } map;
    struct {
      bool is_async;
      uint32_t param_count;
      WgCField *params;
      bool has_result;
      WgCValType result;
    } func;
    /* component and instance types */
    struct {
      uint32_t count;
      WgCDecl *items;
    } decls;
    struct {
      uint8_t rep; /* core value type, 0x7f (i32) */
      bool has_dtor;
      uint32_t dtor;
    } resource_def;
  } u;
};

/* Canonical options. */
typedef struct WgCCanonOpts {
  bool has_string_encoding; /* false: the default, utf8 */
  uint8_t string_encoding;  /* 0 utf8, 1 utf16, 2 latin1+utf16 */
  bool has_memory, has_realloc, has_post_return, is_async, has_callback;
  uint32_t memory, realloc, post_return, callback;
  /* As decoded (count included), so re-encoding keeps the original order;
   * NULL for options built in memory. */
  const uint8_t *raw;
  size_t raw_len;
} WgCCanonOpts;

/* Canonical function opcodes, from witgen/canon_ops.def: WG_CANON_LIFT,
 * WG_CANON_LOWER, WG_CANON_RESOURCE_DROP, WG_CANON_TASK_RETURN, ... */
typedef enum WgCCanonOp {
#define WG_CANON_OP(id, code, text, imm, in_text) WG_CANON_##id = code,
#include "witgen/canon_ops.def"
  /* `resource.drop async` of an earlier draft: named for messages only,
   * the decoder rejects it. */
  WG_CANON_RESOURCE_DROP_ASYNC = 0x07,
} WgCCanonOp;

typedef struct WgCCanon {
  uint8_t op;    /* the first opcode byte, a WgCCanonOp */
  uint32_t func; /* lift: core func; lower: func */
  uint32_t type; /* lift: type index; resource.*: resource type index;
                    stream/future ops: their type */
  WgCCanonOpts opts;
  /* Every other canon opcode is kept as raw bytes after the opcode. */
  const uint8_t *raw;
  size_t raw_len;
} WgCCanon;

typedef struct WgCInstantiateArg {
  WgStr name;
  uint8_t sort, core_sort;
  uint32_t index;
} WgCInstantiateArg;

/* A core or component instance definition. */
typedef struct WgCInstance {
  bool is_core;
  bool instantiate; /* false: a bag of inline exports */
  uint32_t target;  /* module or component index */
  uint32_t arg_count;
  WgCInstantiateArg *args; /* with-args, or the inline exports */
  WgCName *export_names;   /* component inline exports: full names */
} WgCInstance;

typedef struct WgComponent WgComponent;

typedef enum WgCDefKind {
  WG_CDEF_CUSTOM,
  WG_CDEF_CORE_MODULE,
  WG_CDEF_CORE_INSTANCE,
  WG_CDEF_CORE_TYPE,
  WG_CDEF_COMPONENT,
  WG_CDEF_INSTANCE,
  WG_CDEF_ALIAS,
  WG_CDEF_TYPE,
  WG_CDEF_CANON,
  WG_CDEF_START,
  WG_CDEF_IMPORT,
  WG_CDEF_EXPORT,
} WgCDefKind;

/* One definition of a component, in binary order. */
typedef struct WgCDef {
  WgCDefKind kind;
  size_t offset;    /* where it starts in the binary */
  uint32_t section; /* ordinal of the section it came from (1-based);
                       0 for definitions built in memory */
  union {
    struct {
      WgStr name;
      const uint8_t *bytes;
      size_t len;
    } custom;
    struct {
      const uint8_t *bytes; /* a whole core module binary */
      size_t len;
    } module;
    WgCInstance instance;
    struct {
      const uint8_t *bytes;
      size_t len;
    } core_type;
    WgComponent *component;
    WgCAlias alias;
    WgCType *type;
    WgCCanon canon;
    struct {
      WgCName name;
      WgCExternType type;
      uint32_t index; /* exports: the sort index */
      uint8_t sort, core_sort;
      bool has_type; /* exports: the optional ascribed type */
    } extern_;
    struct {
      const uint8_t *bytes;
      size_t len;
    } start;
  } u;
} WgCDef;

struct WgComponent {
  WgArena *arena; /* shared by nested components; owned by the root */
  bool owns_arena;
  uint32_t def_count;
  WgCDef *defs;
};

/* Section: Decoding */

/** True when `bytes` starts with the component preamble (layer 1). */
WG_API bool wg_component_is_component(const uint8_t *bytes, size_t len);

/**
 * Decodes a component binary, structurally (validation is
 * wg_component_validate()). The result borrows `bytes`, which must outlive
 * it. On WG_OK `*out` is a component the caller owns; release with
 * wg_component_free(). Otherwise `*out` is NULL and `diags` holds the error
 * at its byte offset: WG_ERR_MALFORMED, or WG_ERR_NOMEM. Nesting deeper
 * than 100 levels is refused (stack safety); allocation goes through
 * `alloc` (zeroed: malloc).
 */
WG_API WgStatus wg_component_decode(const uint8_t *bytes, size_t len,
                                    WgAllocator alloc, WgComponent **out,
                                    WgDiagList *diags);

/** Frees a decoded component and everything in it. NULL, and components
 * that do not own their arena (nested ones, or built by hand), do nothing. */
WG_API void wg_component_free(WgComponent *component);

/* Section: Encoding (the inverse of wg_component_decode) */

/**
 * Appends the binary of `c` (preamble and sections) to `out`. Definitions
 * decoded from one section are written back into one section, so decoding
 * then encoding gives the same bytes; definitions built in memory (section
 * 0) are grouped with their neighbours of the same kind, as wasm-tools
 * groups them. Out-of-memory sets `out->failed`.
 */
WG_API void wg_cencode_component(WgBuf *out, const WgComponent *c);

/** Appends the encoding of one type definition (`deftype`) to `out`. */
WG_API void wg_cencode_type(WgBuf *out, const WgCType *t);

/**
 * A copy of type definition `t` for another place: every type index it
 * takes from its enclosing index space (a value type's children, a
 * function's parameters, the resource of a handle, and the `alias outer`
 * declarators of component and instance types that reach out of `t`) goes
 * through `map(ctx, index)`, which returns the index in the new place, or
 * UINT32_MAX for one it cannot map (then the copy is NULL). Allocated from
 * `arena` (see witgen/common.h); NULL also on out-of-memory.
 */
WG_API WgCType *wg_ctype_remap(WgArena *arena, const WgCType *t,
                               uint32_t (*map)(void *ctx, uint32_t index),
                               void *ctx);

/* Section: component-type custom sections
 *
 * A core module built with WIT bindings carries its world as the payload of
 * custom sections named `component-type` or `component-type:<name>`: a
 * component binary holding the world's type (see wg_wit_encode_world()).
 */

/** Finds the next component-type section of core module `module` (`len`
 * bytes, borrowed) from byte `*pos` on (start with 0), without decoding the
 * rest. On WG_OK with a section, `*out_name` is the section name,
 * `*out_payload` / `*out_len` its payload (borrowed from `module`) and
 * `*pos` moves past it; at the end `*out_payload` is NULL. WG_ERR_MALFORMED
 * (in `diags`) for bytes that are not a core module or whose sections run
 * past the end. */
WG_API WgStatus wg_component_type_section_next(
    const uint8_t *module, size_t len, size_t *pos, WgStr *out_name,
    const uint8_t **out_payload, size_t *out_len, WgDiagList *diags);

/** Appends core module `module` to `out` without its component-type
 * sections (what a component embeds). Errors as
 * wg_component_type_section_next(); WG_ERR_NOMEM when `out` failed. */
WG_API WgStatus wg_component_type_sections_strip(const uint8_t *module,
                                                 size_t len, WgBuf *out,
                                                 WgDiagList *diags);

/** Appends a custom section `component-type:<world>` holding `payload` to
 * `out` (a core module under construction). Out-of-memory sets
 * `out->failed`. */
WG_API void wg_component_type_section_write(WgBuf *out, WgStr world,
                                            const uint8_t *payload, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_COMPONENT_BINARY_H */
