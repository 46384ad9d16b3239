/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/core_module.h
 * The decoded form of a core WebAssembly module: what the binary decoder
 * (wg_module_decode()) produces, the validator (wg_module_validate())
 * checks, and the runtime's compiler translates into the interpreter's form.
 *
 * Ownership: a WgModule and everything it points to live in the module's
 * own arena, freed at once by wg_module_free(). Function bodies and
 * constant expressions are byte spans into the module's own copy of the
 * binary (`binary`), so every pointer in the structure is borrowed from the
 * module: valid until wg_module_free().
 *
 * Errors: decoding and validation return a WgStatus and add one error
 * diagnostic to the caller's WgDiagList (any function taking one accepts
 * NULL): code = the returned status, `has_offset` set and `offset` the byte
 * offset in the binary, and a message in the wording of the WebAssembly
 * spec test suite where it has one ("unexpected end", "type mismatch",
 * "unknown local 3", ...), so test runners can compare them.
 */
#ifndef WITGEN_CORE_MODULE_H
#define WITGEN_CORE_MODULE_H

#include "witgen/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Section: Types */

/** Value types, with their binary encodings as values. */
typedef enum WgValType {
  WG_VT_I32 = 0x7F,
  WG_VT_I64 = 0x7E,
  WG_VT_F32 = 0x7D,
  WG_VT_F64 = 0x7C,
  WG_VT_V128 = 0x7B,
  WG_VT_FUNCREF = 0x70,
  WG_VT_EXTERNREF = 0x6F,
} WgValType;

/** True for the reference types (funcref, externref). */
static inline bool wg_valtype_is_ref(WgValType t) {
  return t == WG_VT_FUNCREF || t == WG_VT_EXTERNREF;
}

/** A function type. `types` holds params then results. */
typedef struct WgFuncType {
  uint32_t param_count;
  uint32_t result_count;
  const WgValType *types; /* param_count + result_count entries */
} WgFuncType;

/** The parameter and result types of a WgFuncType *. */
#define WG_FUNCTYPE_PARAMS(ft)  ((ft)->types)
#define WG_FUNCTYPE_RESULTS(ft) ((ft)->types + (ft)->param_count)

/** Limits of a table (elements) or memory (64 KiB pages). */
typedef struct WgLimits {
  uint64_t min;
  uint64_t max;
  bool has_max;
  bool is_64; /* memory64 / table64 (wasm 3.0); false for wasm 2.0 */
  bool shared;
} WgLimits;

/** A table type. */
typedef struct WgTableType {
  WgValType elem; /* WG_VT_FUNCREF or WG_VT_EXTERNREF */
  WgLimits limits;
} WgTableType;

/** A memory type. */
typedef struct WgMemType {
  WgLimits limits; /* in 64 KiB pages */
} WgMemType;

/** A global type. */
typedef struct WgGlobalType {
  WgValType type;
  bool mutable_;
} WgGlobalType;

/** Kinds of imports and exports (binary-format numbering). */
typedef enum WgExternKind {
  WG_EXTERN_FUNC = 0,
  WG_EXTERN_TABLE = 1,
  WG_EXTERN_MEMORY = 2,
  WG_EXTERN_GLOBAL = 3,
  WG_EXTERN_TAG = 4, /* exception handling (wasm 3.0); rejected for now */
} WgExternKind;

/* Section: The module */

/** A constant expression: the bytes from its first instruction up to and
 * including the terminating `end` (0x0B). `offset` is the position in the
 * module binary, for error messages. */
typedef struct WgConstExpr {
  const uint8_t *code;
  size_t len;
  size_t offset;
} WgConstExpr;

/** An import. Names borrowed from the module. */
typedef struct WgImport {
  WgStr module;
  WgStr name;
  WgExternKind kind;
  union {
    uint32_t func_type; /* WG_EXTERN_FUNC: type index */
    WgTableType table;
    WgMemType memory;
    WgGlobalType global;
  } desc;
} WgImport;

/** An export. The name is borrowed from the module. */
typedef struct WgExport {
  WgStr name;
  WgExternKind kind;
  uint32_t index; /* in the kind's index space (imports first) */
} WgExport;

/** A global defined by the module. */
typedef struct WgGlobal {
  WgGlobalType type;
  WgConstExpr init;
} WgGlobal;

/** A run of `count` locals of one type, as in the binary. */
typedef struct WgLocalRun {
  uint32_t count;
  WgValType type;
} WgLocalRun;

/** A function defined in the module (not imported). */
typedef struct WgFunc {
  uint32_t type_index;
  uint32_t local_run_count;
  const WgLocalRun *local_runs;
  uint32_t local_count; /* sum of the runs (excluding params) */
  const uint8_t *code;  /* first instruction .. final `end` included */
  size_t code_len;
  size_t code_offset; /* position of `code` in the binary */
} WgFunc;

/** Modes of element and data segments. */
typedef enum WgSegmentMode {
  WG_SEGMENT_PASSIVE = 0,
  WG_SEGMENT_ACTIVE,
  WG_SEGMENT_DECLARATIVE, /* element segments only */
} WgSegmentMode;

/** An element segment. */
typedef struct WgElemSegment {
  WgSegmentMode mode;
  WgValType type; /* funcref or externref */
  uint32_t table; /* active only */
  WgConstExpr offset;
  uint32_t count;
  /* Either function indices (legacy encodings 0-3), or one constant
   * expression per element (encodings 4-7). Exactly one is non-NULL when
   * count > 0. */
  const uint32_t *func_indices;
  const WgConstExpr *exprs;
} WgElemSegment;

/** A data segment; `bytes` borrowed from the module. */
typedef struct WgDataSegment {
  WgSegmentMode mode;
  uint32_t memory; /* active only */
  WgConstExpr offset;
  const uint8_t *bytes;
  size_t len;
} WgDataSegment;

/** A custom section: its name and contents, borrowed from the module. */
typedef struct WgCustomSection {
  WgStr name;
  const uint8_t *bytes;
  size_t len;
} WgCustomSection;

/** A decoded module. Every array holds its `*_count` entries. */
typedef struct WgModule {
  WgArena *arena;        /* holds everything, the module included */
  const uint8_t *binary; /* the module's own copy */
  size_t binary_len;

  uint32_t type_count;
  WgFuncType *types;

  uint32_t import_count;
  WgImport *imports;

  /* Index spaces: imports come first. The *_import_count fields say how many
   * entries of each space are imports. */
  uint32_t func_import_count, table_import_count, memory_import_count,
      global_import_count;

  uint32_t func_count; /* defined functions */
  WgFunc *funcs;
  uint32_t table_count; /* defined tables */
  WgTableType *tables;
  uint32_t memory_count; /* defined memories */
  WgMemType *memories;
  uint32_t global_count; /* defined globals */
  WgGlobal *globals;

  uint32_t export_count;
  WgExport *exports;

  bool has_start;
  uint32_t start;

  uint32_t elem_count;
  WgElemSegment *elems;

  bool has_data_count;
  uint32_t data_count; /* from the DataCount section when present */
  uint32_t data_segment_count;
  WgDataSegment *datas;

  uint32_t custom_count;
  WgCustomSection *customs;

  /* Filled by the validator: which functions are "declared" for ref.func
   * (in an elem segment, export or global init). One flag per function in
   * the whole function index space. */
  bool *func_declared;

  /* Filled by the decoder: each whole index space (imports first), behind
   * the O(1) accessors below. */
  uint32_t *func_space; /* type index of every function */
  const WgTableType **table_space;
  const WgMemType **memory_space;
  const WgGlobalType **global_space;
} WgModule;

/* Section: Index spaces
 *
 * Each index space holds the imports of its kind first, then the
 * definitions. The accessors are O(1). */

/** Number of functions in the whole function index space. */
static inline uint32_t wg_module_total_funcs(const WgModule *m) {
  return m->func_import_count + m->func_count;
}
/** Number of tables in the whole table index space. */
static inline uint32_t wg_module_total_tables(const WgModule *m) {
  return m->table_import_count + m->table_count;
}
/** Number of memories in the whole memory index space. */
static inline uint32_t wg_module_total_memories(const WgModule *m) {
  return m->memory_import_count + m->memory_count;
}
/** Number of globals in the whole global index space. */
static inline uint32_t wg_module_total_globals(const WgModule *m) {
  return m->global_import_count + m->global_count;
}

/** Type index of function `index` of the whole function index space.
 * Precondition: index < wg_module_total_funcs(m) (no error is possible). */
WG_API uint32_t wg_module_func_type_index(const WgModule *m, uint32_t index);
/** Type of table `index` of the whole index space (precondition: index <
 * wg_module_total_tables(m)). Borrowed: valid until wg_module_free(). */
WG_API const WgTableType *wg_module_table_type(const WgModule *m,
                                               uint32_t index);
/** Type of memory `index` (precondition: index <
 * wg_module_total_memories(m)). Borrowed: valid until wg_module_free(). */
WG_API const WgMemType *wg_module_memory_type(const WgModule *m,
                                              uint32_t index);
/** Type of global `index` (precondition: index <
 * wg_module_total_globals(m)). Borrowed: valid until wg_module_free(). */
WG_API const WgGlobalType *wg_module_global_type(const WgModule *m,
                                                 uint32_t index);

/* Section: Decoding and validation */

/**
 * Decodes the binary module `bytes` (`len` bytes, copied: the caller may
 * free them on return) with arenas drawing from `alloc` (zeroed: malloc).
 * Checks everything the binary format requires (WG_ERR_MALFORMED
 * otherwise), nothing of validity. On WG_OK `*out` is a new module: caller
 * owns the result; release with wg_module_free(). On failure `*out` is
 * NULL, the status is WG_ERR_MALFORMED (or WG_ERR_NOMEM) and one error is
 * added to `diags` (see the file comment).
 */
WG_API WgStatus wg_module_decode(const uint8_t *bytes, size_t len,
                                 WgAllocator alloc, WgModule **out,
                                 WgDiagList *diags);

/**
 * Validates a decoded module by the WebAssembly 2.0 rules and fills its
 * `func_declared`. Returns WG_OK, or WG_ERR_INVALID (or WG_ERR_NOMEM) with
 * one error added to `diags`. The module stays owned by the caller and may
 * be validated once only.
 */
WG_API WgStatus wg_module_validate(WgModule *m, WgDiagList *diags);

/** Frees the module and everything in it. NULL does nothing. */
WG_API void wg_module_free(WgModule *m);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_CORE_MODULE_H */
