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

/* Section: Features */

/**
 * Features beyond WebAssembly 2.0 that the decoder and validator accept
 * when asked to (a `features` bit set). Without them the WebAssembly 2.0
 * rules hold exactly (as the 2.0 spec tests expect: "multiple memories",
 * "zero byte expected").
 */
typedef enum WgFeature {
  /** Several memories (WebAssembly 3.0): memory index immediates on loads,
   * stores and memory instructions; more than one memory defined or
   * imported. */
  WG_FEATURE_MULTI_MEMORY = 1u << 0,
} WgFeature;

/** Every feature implemented: what witgen accepts by default. */
#define WG_FEATURES_ALL ((uint32_t)WG_FEATURE_MULTI_MEMORY)
/** None: WebAssembly 2.0 exactly. */
#define WG_FEATURES_WASM2 ((uint32_t)0)

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
  uint32_t features;     /* WgFeature bits it was decoded with */
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

/* Section: Instructions
 *
 * One reader of instructions serves the decoder (which checks function
 * bodies and constant expressions with it), the validator and the
 * runtime's compiler (which walk code the decoder accepted): the immediate
 * kinds come from one table of every opcode (opcodes.def). */

/** Immediate kinds of instructions (opcodes.def's `imm` column). */
typedef enum WgImm {
  WG_IMM_NONE,
  WG_IMM_BLOCKTYPE,     /**< value: block type as s33 (below) */
  WG_IMM_LABEL,         /**< x: label depth */
  WG_IMM_BR_TABLE,      /**< count labels, then the default: `bytes` */
  WG_IMM_FUNC,          /**< x: function index */
  WG_IMM_CALL_INDIRECT, /**< x: type index, y: table index */
  WG_IMM_LOCAL,         /**< x: local index */
  WG_IMM_GLOBAL,        /**< x: global index */
  WG_IMM_TABLE,         /**< x: table index */
  WG_IMM_MEMARG,        /**< align, x: memory index, value: offset */
  WG_IMM_MEMORY0,       /**< x: memory index (see below) */
  WG_IMM_I32,           /**< value: the constant, sign-extended */
  WG_IMM_I64,           /**< value: the constant */
  WG_IMM_F32,           /**< value: the bits */
  WG_IMM_F64,           /**< value: the bits */
  WG_IMM_REFTYPE,       /**< x: the reference type (a WgValType) */
  WG_IMM_SELECT_T,      /**< count value types at `bytes` */
  WG_IMM_DATA_MEMORY,   /**< x: data index, y: memory index */
  WG_IMM_DATA,          /**< x: data index */
  WG_IMM_MEMORY_MEMORY, /**< x: destination, y: source memory index */
  WG_IMM_ELEM_TABLE,    /**< x: element index, y: table index */
  WG_IMM_ELEM,          /**< x: element index */
  WG_IMM_TABLE_TABLE,   /**< x: destination, y: source table index */
  WG_IMM_V128,          /**< 16 bytes at `bytes` */
  WG_IMM_SHUFFLE,       /**< 16 lane indices at `bytes` */
  WG_IMM_LANE,          /**< lane */
  WG_IMM_MEMARG_LANE,   /**< as WG_IMM_MEMARG, and lane */
} WgImm;

/**
 * One instruction with its immediates decoded. Only the fields that its
 * `imm` names (see WgImm) are set. A memory index is one zero byte in
 * WebAssembly 2.0; with WG_FEATURE_MULTI_MEMORY it is a u32, and a memarg
 * whose alignment field has bit 6 set carries one after that field. A block
 * type (`value` as int64_t) is -64 for none, another negative value for one
 * result of value type `value & 0x7F`, else a type index. `bytes` points into
 * the code read (borrowed): a br_table's count + 1 labels as LEB128 u32s, a
 * typed select's value types, or 16 bytes.
 */
typedef struct WgInstr {
  uint8_t op;    /**< the first byte (0xFC, 0xFD: a prefix) */
  uint8_t imm;   /**< a WgImm */
  uint8_t lane;  /**< lane index */
  uint32_t sub;  /**< after a prefix: the sub-opcode; else 0 */
  uint32_t x, y; /**< index immediates, in binary order */
  uint32_t align;
  uint32_t count;
  uint64_t value;
  const uint8_t *bytes;
} WgInstr;

/** What wg_instr_read() found (messages: wg_instr_status_message()). */
typedef enum WgInstrStatus {
  WG_INSTR_OK = 0,
  WG_INSTR_END,         /**< the code ends inside the instruction */
  WG_INSTR_TOO_LONG,    /**< a LEB128 integer has too many bytes */
  WG_INSTR_TOO_LARGE,   /**< a LEB128 integer has bits beyond its size */
  WG_INSTR_ILLEGAL,     /**< an opcode WebAssembly 2.0 does not assign */
  WG_INSTR_ZERO_BYTE,   /**< a reserved byte is not zero */
  WG_INSTR_MEMOP_FLAGS, /**< an alignment field out of range */
  WG_INSTR_VALTYPE,     /**< a malformed value or block type */
  WG_INSTR_REFTYPE,     /**< a malformed reference type */
  WG_INSTR_LENGTH,      /**< a vector longer than the bytes left */
} WgInstrStatus;

/**
 * Reads the instruction at `*p` (the code ends at `end`) into `*out` and
 * moves `*p` past it, with the encodings of the WgFeature bits `features`
 * (read code with the features it was decoded with: WgModule.features).
 * Checks only the encoding: that the opcode exists and
 * the immediates are well formed, not what they refer to. On failure `*p`
 * is left where the reference interpreter reports the error (e.g. at the
 * opcode of an illegal instruction, on the byte of a malformed type) and
 * `out` holds what was read before. No allocation; `out->bytes` borrows
 * the code.
 *
 * The common forms (no immediate; one index or i32 constant in one byte;
 * an empty block type) are read inline, everything else by
 * wg_instr_read_full(), with the same results.
 */
static inline WgInstrStatus wg_instr_read(const uint8_t **p, const uint8_t *end,
                                          uint32_t features, WgInstr *out);

/** wg_instr_read() without its inline shortcut. */
WG_API WgInstrStatus wg_instr_read_full(const uint8_t **p, const uint8_t *end,
                                        uint32_t features, WgInstr *out);

/** For wg_instr_read()'s inline shortcut only: per first byte, 1 + its
 * WgImm when that is WG_IMM_NONE, WG_IMM_I32, WG_IMM_BLOCKTYPE or a single
 * index, else 0. Static. */
WG_API extern const uint8_t wg_instr_short_form[256];

static inline WgInstrStatus wg_instr_read(const uint8_t **p, const uint8_t *end,
                                          uint32_t features, WgInstr *out) {
  const uint8_t *q = *p;
  uint8_t kind = end - q >= 2 ? wg_instr_short_form[q[0]] : 0;
  if (kind) {
    uint8_t b = q[1];
    out->op = q[0];
    out->imm = (uint8_t)(kind - 1);
    out->sub = 0;
    if (kind == 1 + WG_IMM_NONE) {
      *p = q + 1;
      return WG_INSTR_OK;
    }
    if (kind == 1 + WG_IMM_I32 && b < 0x80) { /* sign-extend 7 bits */
      out->value = (uint64_t)(int64_t)((int8_t)(uint8_t)(b << 1) >> 1);
      *p = q + 2;
      return WG_INSTR_OK;
    }
    if (kind == 1 + WG_IMM_BLOCKTYPE && b == 0x40) { /* no types */
      out->value = (uint64_t)(int64_t)-64;
      *p = q + 2;
      return WG_INSTR_OK;
    }
    if (kind != 1 + WG_IMM_I32 && kind != 1 + WG_IMM_BLOCKTYPE && b < 0x80) {
      out->x = b; /* a one-byte index */
      *p = q + 2;
      return WG_INSTR_OK;
    }
  }
  return wg_instr_read_full(p, end, features, out);
}

/** The labels of a br_table, one per call: start with `*q` at the
 * instruction's `bytes` and call `count` + 1 times (the default label comes
 * last). Only for an instruction wg_instr_read() accepted. */
WG_API uint32_t wg_instr_next_label(const uint8_t **q);

/** The message of `status` in the spec test suite's wording ("illegal
 * opcode", "unexpected end of section or function", ...). Static. */
WG_API const char *wg_instr_status_message(WgInstrStatus status);

/* Section: Decoding and validation */

/**
 * Decodes the binary module `bytes` (`len` bytes, copied: the caller may
 * free them on return) with arenas drawing from `alloc` (zeroed: malloc),
 * accepting the encodings of the WgFeature bits `features` (usually
 * WG_FEATURES_ALL; they are kept in the module for the validator).
 * Checks everything the binary format requires (WG_ERR_MALFORMED
 * otherwise), nothing of validity. On WG_OK `*out` is a new module: caller
 * owns the result; release with wg_module_free(). On failure `*out` is
 * NULL, the status is WG_ERR_MALFORMED (or WG_ERR_NOMEM) and one error is
 * added to `diags` (see the file comment).
 */
WG_API WgStatus wg_module_decode(const uint8_t *bytes, size_t len,
                                 WgAllocator alloc, uint32_t features,
                                 WgModule **out, WgDiagList *diags);

/**
 * Validates a decoded module by the WebAssembly 2.0 rules with the
 * features it was decoded with, and fills its `func_declared`. Returns WG_OK,
 * or WG_ERR_INVALID (or WG_ERR_NOMEM) with one error added to `diags`. The
 * module stays owned by the caller and may be validated once only.
 */
WG_API WgStatus wg_module_validate(WgModule *m, WgDiagList *diags);

/** Frees the module and everything in it. NULL does nothing. */
WG_API void wg_module_free(WgModule *m);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_CORE_MODULE_H */
