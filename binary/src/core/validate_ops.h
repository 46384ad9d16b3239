/* SPDX-License-Identifier: Apache-2.0 */
/* Operand signatures of the WebAssembly 2.0 instructions with fixed types
 * (loads, stores, numeric and vector instructions), for the validator. */
#ifndef WG_RUNTIME_CORE_VALIDATE_OPS_H
#define WG_RUNTIME_CORE_VALIDATE_OPS_H

#include <stdint.h>

typedef struct WgOpSig {
  uint8_t nparams;
  uint8_t params[3]; /* WgValType values */
  uint8_t result;    /* 0: none */
  uint8_t mem_align; /* log2 of the natural alignment; 0xff: no memarg */
  uint8_t lanes;     /* vector lane-index immediate bound; 0: none */
} WgOpSig;
typedef WgOpSig WgSimdSig;

/* The signature of one-byte opcode `op`, or NULL when it has none here. */
const WgOpSig *wg_op_sig(uint8_t op);
/* The signature of vector instruction 0xFD `op`, or NULL if unassigned. */
const WgSimdSig *wg_simd_sig(uint32_t op);

#endif
