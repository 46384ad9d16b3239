/* SPDX-License-Identifier: Apache-2.0 */
/* Vector instructions (0xFD): constants, shuffles, lanes, loads and stores
 * (on any memory, see ON_MEMORY), and the handlers of simd_table. */
#include "compile.h"

static const NumInfo simd_table[256] = { WG_IOPS_SIMD(NUM_ENTRY) };

static void simd_op(Compiler *c, const WgInstr *in, const NumInfo *ni);

/* The two little-endian halves of the 16 bytes of a v128 immediate. */
static void v128_halves(const WgInstr *in, uint64_t *lo, uint64_t *hi) {
  memcpy(lo, in->bytes, 8);
  memcpy(hi, in->bytes + 8, 8);
}

void wg_compile_simd(Compiler *c, const WgInstr *in) {
  uint32_t sub = in->sub;
  uint64_t lo, hi;
  if (sub == 12) { /* v128.const */
    v128_halves(in, &lo, &hi);
    Entry *r = push(c, WG_VT_V128);
    emit_op(c, WG_IOP_const128);
    emit(c, r->home);
    emit(c, lo);
    emit(c, hi);
    invalidate_lp(c);
    return;
  }
  if (sub == 13) { /* i8x16.shuffle */
    v128_halves(in, &lo, &hi);
    Entry b = pop(c), a = pop(c);
    Entry *r = push(c, WG_VT_V128);
    emit_op(c, WG_IOP_i8x16_shuffle);
    emit(c, r->home);
    emit(c, a.loc);
    emit(c, b.loc);
    emit(c, lo);
    emit(c, hi);
    invalidate_lp(c);
    return;
  }
  const NumInfo *ni = sub < 256 ? &simd_table[sub] : NULL;
  CHECK(ni && ni->present); /* others are rejected by the validator */
  if (ni->shape == SH_VLOAD || ni->shape == SH_VSTORE ||
      ni->shape == SH_LLANE || ni->shape == SH_SLANE)
    ON_MEMORY(c, in, simd_op(c, in, ni));
  else
    simd_op(c, in, ni);
}

/* A vector instruction of simd_table (memory accesses: to memory 0). */
static void simd_op(Compiler *c, const WgInstr *in, const NumInfo *ni) {
  WgIop op = (WgIop)ni->op;
  switch (ni->shape) {
    case SH_VLOAD: {
      uint32_t off = (uint32_t)in->value;
      Entry a = pop(c);
      Entry *r = push(c, WG_VT_V128);
      emit3(c, op, r->home, a.loc, off);
      return;
    }
    case SH_VSTORE: {
      uint32_t off = (uint32_t)in->value;
      Entry v = pop(c), a = pop(c);
      emit3(c, op, a.loc, v.loc, off);
      return;
    }
    case SH_VUN:
    case SH_VTEST:
    case SH_SPLAT: {
      Entry a = pop(c);
      Entry *r = push(c, ni->shape == SH_SPLAT ? WG_VT_V128 : ni->type);
      emit_op(c, op);
      emit(c, r->home);
      emit(c, a.loc);
      invalidate_lp(c);
      return;
    }
    case SH_VBIN:
    case SH_VSHIFT: {
      Entry b = pop(c), a = pop(c);
      Entry *r = push(c, WG_VT_V128);
      emit3(c, op, r->home, a.loc, b.loc);
      return;
    }
    case SH_VTERN: {
      Entry d = pop(c), b = pop(c), a = pop(c);
      Entry *r = push(c, WG_VT_V128);
      emit_op(c, op);
      emit(c, r->home);
      emit(c, a.loc);
      emit(c, b.loc);
      emit(c, d.loc);
      invalidate_lp(c);
      return;
    }
    case SH_EXTRACT: {
      uint8_t lane = in->lane;
      Entry a = pop(c);
      Entry *r = push(c, ni->type);
      emit3(c, op, r->home, a.loc, lane);
      return;
    }
    case SH_REPLACE: {
      uint8_t lane = in->lane;
      Entry s = pop(c), a = pop(c);
      Entry *r = push(c, WG_VT_V128);
      emit_op(c, op);
      emit(c, r->home);
      emit(c, a.loc);
      emit(c, s.loc);
      emit(c, lane);
      invalidate_lp(c);
      return;
    }
    case SH_LLANE: {
      uint32_t off = (uint32_t)in->value;
      uint8_t lane = in->lane;
      Entry v = pop(c), a = pop(c);
      Entry *r = push(c, WG_VT_V128);
      emit_op(c, op);
      emit(c, r->home);
      emit(c, a.loc);
      emit(c, v.loc);
      emit(c, off);
      emit(c, lane);
      invalidate_lp(c);
      return;
    }
    case SH_SLANE: {
      uint32_t off = (uint32_t)in->value;
      uint8_t lane = in->lane;
      Entry v = pop(c), a = pop(c);
      emit_op(c, op);
      emit(c, a.loc);
      emit(c, v.loc);
      emit(c, off);
      emit(c, lane);
      invalidate_lp(c);
      return;
    }
    default:
      return;
  }
}
