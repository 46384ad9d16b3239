/* SPDX-License-Identifier: Apache-2.0 */
/* Signature tables of validate_ops.h, built from opcodes.def: params,
 * result, natural alignment (log2) of memory instructions, lane-index
 * bound, for every instruction whose operand types are fixed. Value types
 * are their binary codes. Entries left zero are unassigned. */
#include "core/validate_ops.h"

#include <stdbool.h>
#include <stddef.h>

#define T_NONE   0x00
#define T_I32    0x7f
#define T_I64    0x7e
#define T_F32    0x7d
#define T_F64    0x7c
#define T_V128   0x7b
#define ALIGN(a) ((a) < 0 ? 0xff : (a))

#define ENTRY_SPECIAL(code, np, p0, p1, p2, r, align, lanes)
#define ENTRY_FIXED(code, np, p0, p1, p2, r, align, lanes) \
  [code] = { np, { T_##p0, T_##p1, T_##p2 }, T_##r, ALIGN(align), lanes },
#define ENTRY(code, id, text, imm, kind, np, p0, p1, p2, r, align, lanes) \
  ENTRY_##kind(code, np, p0, p1, p2, r, align, lanes)

static const WgOpSig k_ops[256] = {
#define WG_OP ENTRY
#include "core/opcodes.def"
};

static const WgSimdSig k_simd[256] = {
#define WG_OP_FD ENTRY
#include "core/opcodes.def"
};

/* Which entries exist (v128.const has no operands but a result). */
static bool assigned(const WgOpSig *s) {
  return s->nparams || s->result || s->mem_align != 0;
}

const WgOpSig *wg_op_sig(uint8_t op) {
  return assigned(&k_ops[op]) ? &k_ops[op] : NULL;
}

const WgSimdSig *wg_simd_sig(uint32_t op) {
  if (op > 0xff) return NULL;
  return assigned(&k_simd[op]) ? &k_simd[op] : NULL;
}
