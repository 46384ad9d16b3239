/* SPDX-License-Identifier: Apache-2.0 */
/* The decoded form of a core WebAssembly module: what the binary decoder
 * (decode.c) produces, the validator (validate.c) checks, and the compiler
 * (compile.c) translates into the interpreter's internal form.
 *
 * Everything lives in the module's arena and is freed with it. Function
 * bodies and constant expressions are kept as byte spans into the module's
 * own copy of the binary: the validator and the compiler each walk them once.
 */
#ifndef WG_RUNTIME_CORE_MODULE_H
#define WG_RUNTIME_CORE_MODULE_H

#include "witgen/common.h"

/* Value types, with their binary encodings as values. */
typedef enum WgValType {
  WG_VT_I32 = 0x7F,
  WG_VT_I64 = 0x7E,
  WG_VT_F32 = 0x7D,
  WG_VT_F64 = 0x7C,
  WG_VT_V128 = 0x7B,
  WG_VT_FUNCREF = 0x70,
  WG_VT_EXTERNREF = 0x6F,
} WgValType;

static inline bool wg_valtype_is_ref(WgValType t) {
  return t == WG_VT_FUNCREF || t == WG_VT_EXTERNREF;
}

/* A function type. `types` holds params then results. */
typedef struct WgFuncType {
  uint32_t param_count;
  uint32_t result_count;
  const WgValType *types; /* param_count + result_count entries */
} WgFuncType;

#define WG_FUNCTYPE_PARAMS(ft)  ((ft)->types)
#define WG_FUNCTYPE_RESULTS(ft) ((ft)->types + (ft)->param_count)

typedef struct WgLimits {
  uint64_t min;
  uint64_t max;
  bool has_max;
  bool is_64; /* memory64 / table64 (wasm 3.0); false for wasm 2.0 */
  bool shared;
} WgLimits;

typedef struct WgTableType {
  WgValType elem; /* WG_VT_FUNCREF or WG_VT_EXTERNREF */
  WgLimits limits;
} WgTableType;

typedef struct WgMemType {
  WgLimits limits; /* in 64 KiB pages */
} WgMemType;

typedef struct WgGlobalType {
  WgValType type;
  bool mutable_;
} WgGlobalType;

typedef enum WgExternKind {
  WG_EXTERN_FUNC = 0,
  WG_EXTERN_TABLE = 1,
  WG_EXTERN_MEMORY = 2,
  WG_EXTERN_GLOBAL = 3,
  WG_EXTERN_TAG = 4, /* exception handling (wasm 3.0); rejected for now */
} WgExternKind;

/* A constant expression: the bytes from its first instruction up to and
 * including the terminating `end` (0x0B). `offset` is the position in the
 * module binary, for error messages. */
typedef struct WgConstExpr {
  const uint8_t *code;
  size_t len;
  size_t offset;
} WgConstExpr;

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

typedef struct WgExport {
  WgStr name;
  WgExternKind kind;
  uint32_t index; /* in the kind's index space (imports first) */
} WgExport;

typedef struct WgGlobal {
  WgGlobalType type;
  WgConstExpr init;
} WgGlobal;

/* A run of `count` locals of one type, as in the binary. */
typedef struct WgLocalRun {
  uint32_t count;
  WgValType type;
} WgLocalRun;

/* A function defined in the module (not imported). */
typedef struct WgFunc {
  uint32_t type_index;
  uint32_t local_run_count;
  const WgLocalRun *local_runs;
  uint32_t local_count; /* sum of the runs (excluding params) */
  const uint8_t *code;  /* first instruction .. final `end` included */
  size_t code_len;
  size_t code_offset; /* position of `code` in the binary */
} WgFunc;

typedef enum WgSegmentMode {
  WG_SEGMENT_PASSIVE = 0,
  WG_SEGMENT_ACTIVE,
  WG_SEGMENT_DECLARATIVE, /* element segments only */
} WgSegmentMode;

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

typedef struct WgDataSegment {
  WgSegmentMode mode;
  uint32_t memory; /* active only */
  WgConstExpr offset;
  const uint8_t *bytes;
  size_t len;
} WgDataSegment;

typedef struct WgCustomSection {
  WgStr name;
  const uint8_t *bytes;
  size_t len;
} WgCustomSection;

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

/* Whole index-space counts. */
static inline uint32_t wg_module_total_funcs(const WgModule *m) {
  return m->func_import_count + m->func_count;
}
static inline uint32_t wg_module_total_tables(const WgModule *m) {
  return m->table_import_count + m->table_count;
}
static inline uint32_t wg_module_total_memories(const WgModule *m) {
  return m->memory_import_count + m->memory_count;
}
static inline uint32_t wg_module_total_globals(const WgModule *m) {
  return m->global_import_count + m->global_count;
}

/* Type index of function `index` in the whole function index space.
 * Precondition: index < wg_module_total_funcs(m). */
uint32_t wg_module_func_type_index(const WgModule *m, uint32_t index);
/* Type of table / memory / global `index` in the whole index space. */
const WgTableType *wg_module_table_type(const WgModule *m, uint32_t index);
const WgMemType *wg_module_memory_type(const WgModule *m, uint32_t index);
const WgGlobalType *wg_module_global_type(const WgModule *m, uint32_t index);

/* An error found while decoding or validating: status (WG_ERR_MALFORMED or
 * WG_ERR_INVALID), byte offset in the binary, and a message. The message
 * texts follow the spec test suite's wording where it has one (e.g. "type
 * mismatch", "unknown function", "unexpected end") so the spec runner can
 * compare them. */
typedef struct WgModuleError {
  WgStatus status;
  size_t offset;
  char message[160];
} WgModuleError;

/* Decodes `bytes` (copied). On success *out is a new module the caller frees
 * with wg_module_free(); on failure *out is NULL and *err says why. */
WgStatus wg_module_decode(const uint8_t *bytes, size_t len, WgAllocator alloc,
                          WgModule **out, WgModuleError *err);

/* Validates a decoded module (wasm 2.0 rules). */
WgStatus wg_module_validate(WgModule *m, WgModuleError *err);

void wg_module_free(WgModule *m);

#endif
