/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file witgen/canon_abi.h
 * The Canonical ABI layout: alignment, size, field offsets, discriminants
 * and flattening of component-level value types, exactly as the component
 * model's CanonicalABI.md / canonical-abi/definitions.py define them.
 * Shared by the bindings generator, the component validator and runtime,
 * which describe their types with the small WgAbiType tree below (resolved
 * component types carry one: WgCValTy.abi in witgen/component_types.h).
 *
 * Every function is pure: it reads the tree it is given and allocates
 * nothing. Trees are built by callers, who bound their depth.
 */
#ifndef WITGEN_CANON_ABI_H
#define WITGEN_CANON_ABI_H

#include "witgen/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* spec: CanonicalABI.md, flatten_functype */
#define WG_ABI_MAX_FLAT_PARAMS       16
#define WG_ABI_MAX_FLAT_ASYNC_PARAMS 4
#define WG_ABI_MAX_FLAT_RESULTS      1

typedef enum WgAbiKind {
  WG_ABI_BOOL,
  WG_ABI_S8,
  WG_ABI_U8,
  WG_ABI_S16,
  WG_ABI_U16,
  WG_ABI_S32,
  WG_ABI_U32,
  WG_ABI_S64,
  WG_ABI_U64,
  WG_ABI_F32,
  WG_ABI_F64,
  WG_ABI_CHAR,
  WG_ABI_STRING,
  WG_ABI_ERROR_CONTEXT,
  WG_ABI_LIST,       /* children[0] = element; count = 0 */
  WG_ABI_FIXED_LIST, /* children[0] = element; count = length (> 0) */
  WG_ABI_RECORD,     /* children = fields (count > 0) */
  WG_ABI_TUPLE,      /* children = elements (count > 0) */
  WG_ABI_VARIANT,    /* children = case payloads, NULL for none */
  WG_ABI_ENUM,       /* count = number of cases; no children */
  WG_ABI_OPTION,     /* children[0] = payload */
  WG_ABI_RESULT, /* children[0] = ok, children[1] = error; each may be NULL */
  WG_ABI_FLAGS,  /* count = number of labels */
  WG_ABI_MAP,    /* children[0] = key, children[1] = value */
  WG_ABI_OWN,
  WG_ABI_BORROW,
  WG_ABI_STREAM, /* children[0] = payload or NULL */
  WG_ABI_FUTURE  /* children[0] = payload or NULL */
} WgAbiKind;

/** A component value type as the Canonical ABI sees it (names don't matter
 * to layout). Trees are built by callers; depth is bounded by them. */
typedef struct WgAbiType WgAbiType;
struct WgAbiType {
  WgAbiKind kind;
  uint32_t count;
  const WgAbiType *const *children;
};

/** Core Wasm value types produced by flattening. */
typedef enum WgCoreType {
  WG_CORE_I32,
  WG_CORE_I64,
  WG_CORE_F32,
  WG_CORE_F64
} WgCoreType;

/** `ptr_size` is 4 for 32-bit memories and 8 for 64-bit ones (ptr_type). */
WG_API uint32_t wg_abi_alignment(const WgAbiType *t, uint32_t ptr_size);
WG_API uint32_t wg_abi_size(const WgAbiType *t, uint32_t ptr_size);

/** Bytes of a variant's discriminant for `case_count` cases: 1, 2 or 4. */
WG_API uint32_t wg_abi_discriminant_size(uint32_t case_count);

/** Byte offset of field `index` of a record or tuple. */
WG_API uint32_t wg_abi_field_offset(const WgAbiType *t, uint32_t index,
                                    uint32_t ptr_size);

/** Byte offset of the payload of a variant-like type (variant, option,
 * result, enum): the discriminant size aligned up to the case alignment. */
WG_API uint32_t wg_abi_payload_offset(const WgAbiType *t, uint32_t ptr_size);

/** Number of i32 words a flags value with `label_count` labels occupies in
 * flat form. The spec caps flags at 32 labels (one i32); for more labels we
 * keep the earlier rule of the spec (one i32 per 32 labels, 4-byte words in
 * memory) so bindings can still describe such types. */
WG_API uint32_t wg_abi_flags_words(uint32_t label_count);

/** Flattens `t` into core types, writing at most `cap` of them to `out`.
 * Returns the full count, which may exceed `cap` (then callers use memory:
 * a count > MAX_FLAT_* means "passed indirectly"). */
WG_API uint32_t wg_abi_flatten(const WgAbiType *t, uint32_t ptr_size,
                               WgCoreType *out, uint32_t cap);

/** The flat core signature of a function, per flatten_functype. */
typedef enum WgAbiContext { WG_ABI_LIFT, WG_ABI_LOWER } WgAbiContext;

typedef struct WgAbiFuncSig {
  WgCoreType params[WG_ABI_MAX_FLAT_PARAMS + 1];
  uint32_t param_count;
  WgCoreType results[WG_ABI_MAX_FLAT_RESULTS];
  uint32_t result_count;
  bool params_indirect;  /* params passed as one pointer to a tuple in memory */
  bool results_indirect; /* results through a return pointer (lift: returned,
                            lower: an extra trailing parameter) */
} WgAbiFuncSig;

/** Synchronous functions only; async lifting/lowering differs (see spec). */
WG_API void wg_abi_flatten_func(const WgAbiType *const *params,
                                uint32_t param_count, const WgAbiType *result,
                                uint32_t ptr_size, WgAbiContext context,
                                WgAbiFuncSig *out);

#ifdef __cplusplus
}
#endif
#endif /* WITGEN_CANON_ABI_H */
