/* SPDX-License-Identifier: Apache-2.0 */
/* The byte values of the component binary format (Binary.md), spelled once
 * for the decoder (cdecode.c), the encoder (cencode.c), the validator and
 * the text format (src/text/comp_*.c). Sorts, bounds, primitive value types
 * and canonical function opcodes are public (WgCSort, WgCBound, WgCPrim,
 * WgCCanonOp in witgen/component_binary.h, the last from
 * witgen/canon_ops.def); these are the rest. */
#ifndef WG_BINARY_COMPONENT_CFORMAT_H
#define WG_BINARY_COMPONENT_CFORMAT_H

#include "witgen/component_binary.h"

/* Section ids. */
enum {
  WG_CSEC_CUSTOM = 0,
  WG_CSEC_CORE_MODULE = 1,
  WG_CSEC_CORE_INSTANCE = 2,
  WG_CSEC_CORE_TYPE = 3,
  WG_CSEC_COMPONENT = 4,
  WG_CSEC_INSTANCE = 5,
  WG_CSEC_ALIAS = 6,
  WG_CSEC_TYPE = 7,
  WG_CSEC_CANON = 8,
  WG_CSEC_START = 9,
  WG_CSEC_IMPORT = 10,
  WG_CSEC_EXPORT = 11,
  WG_CSEC_VALUE = 12,
};

/* Type constructors (`defvaltype`, `functype`, `componenttype`, ...). */
enum {
  WG_COP_RECORD = 0x72,
  WG_COP_VARIANT = 0x71,
  WG_COP_LIST = 0x70,
  WG_COP_TUPLE = 0x6f,
  WG_COP_FLAGS = 0x6e,
  WG_COP_ENUM = 0x6d,
  WG_COP_OPTION = 0x6b,
  WG_COP_RESULT = 0x6a,
  WG_COP_OWN = 0x69,
  WG_COP_BORROW = 0x68,
  WG_COP_FIXED_LIST = 0x67,
  WG_COP_STREAM = 0x66,
  WG_COP_FUTURE = 0x65,
  WG_COP_MAP = 0x63,
  WG_COP_FUNC = 0x40,
  WG_COP_COMPONENT = 0x41,
  WG_COP_INSTANCE = 0x42,
  WG_COP_ASYNC_FUNC = 0x43,
  WG_COP_RESOURCE = 0x3f,
  WG_COP_CORE_FUNC = 0x60,   /* core:functype */
  WG_COP_CORE_MODULE = 0x50, /* core:moduletype */
  /* core:subtype, non-final: 0x00 0x50 supertypes* comptype (the prefix
   * keeps 0x50 alone for module types) */
  WG_COP_CORE_SUB_PREFIX = 0x00,
  WG_COP_CORE_SUB = 0x50,
};

/* Declarators of component and instance types. */
enum {
  WG_CDECL_TAG_CORE_TYPE = 0x00,
  WG_CDECL_TAG_TYPE = 0x01,
  WG_CDECL_TAG_ALIAS = 0x02,
  WG_CDECL_TAG_IMPORT = 0x03,
  WG_CDECL_TAG_EXPORT = 0x04,
};

/* Instance expressions (core and component alike). */
enum {
  WG_CINST_INSTANTIATE = 0x00, /* instantiate a module or component */
  WG_CINST_EXPORTS = 0x01,     /* a bundle of exports */
};

/* Canonical options. */
enum {
  WG_COPT_UTF8 = 0x00,
  WG_COPT_UTF16 = 0x01,
  WG_COPT_LATIN1_UTF16 = 0x02,
  WG_COPT_MEMORY = 0x03,
  WG_COPT_REALLOC = 0x04,
  WG_COPT_POST_RETURN = 0x05,
  WG_COPT_ASYNC = 0x06,
  WG_COPT_CALLBACK = 0x07,
};

/* True when canonical option `op` is followed by an index (memory,
 * realloc, post-return, callback). */
static inline bool wg_copt_has_index(uint8_t op) {
  return op == WG_COPT_MEMORY || op == WG_COPT_REALLOC ||
         op == WG_COPT_POST_RETURN || op == WG_COPT_CALLBACK;
}

/* Result lists (functype, task.return): one value type, or none (then a
 * 0x00, once the count of named results). */
enum {
  WG_CRESULTS_ONE = 0x00,
  WG_CRESULTS_NONE = 0x01,
};

/* Declarators of core module types (core:moduledecl). */
enum {
  WG_CMDECL_IMPORT = 0x00,
  WG_CMDECL_TYPE = 0x01,
  WG_CMDECL_ALIAS = 0x02,
  WG_CMDECL_EXPORT = 0x03,
};

/* The one target of core aliases (core:aliastarget): `outer ct idx`. */
enum { WG_CALIAS_CORE_OUTER = 0x01 };

/* Immediates after a canonical function opcode (the `imm` column of
 * witgen/canon_ops.def, which describes each). */
typedef enum WgCCanonImm {
  WG_CIMM_LIFT,
  WG_CIMM_LOWER,
  WG_CIMM_RESOURCE,
  WG_CIMM_NONE,
  WG_CIMM_TYPE,
  WG_CIMM_TYPE_OPTS,
  WG_CIMM_TYPE_ASYNC,
  WG_CIMM_OPTS,
  WG_CIMM_ASYNC,
  WG_CIMM_CANCEL,
  WG_CIMM_CANCEL_MEM,
  WG_CIMM_CONTEXT,
  WG_CIMM_RETURN,
  WG_CIMM_FT_TABLE,
  WG_CIMM_SHARED,
  WG_CIMM_SHARED_FT,
  WG_CIMM_SHARED_FT_TABLE,
} WgCCanonImm;

/* A row of witgen/canon_ops.def. */
typedef struct WgCCanonInfo {
  uint8_t op;       /* a WgCCanonOp */
  const char *text; /* the text-format name */
  WgCCanonImm imm;
  bool in_text; /* the text format spells it */
} WgCCanonInfo;

/* The row of canonical function opcode `op`, or NULL when `op` is not one.
 * Static storage. */
const WgCCanonInfo *wg_ccanon_info(uint8_t op);

/* The rows of witgen/canon_ops.def in table order, `*count` of them.
 * Static storage. */
const WgCCanonInfo *wg_ccanon_table(size_t *count);

#endif
