/* SPDX-License-Identifier: Apache-2.0 */
/* Constants, numeric instructions and select. A binary operation fuses
 * with the instruction that computed one of its operands just before: a
 * constant (the _imm handlers; on the left too, for commutative operations
 * and compares), a load (the _ld handlers, also with a summed address), a
 * shift (a + (x << k), a ^ rotl(x, k)), a product (a + x * y); select fuses
 * with the compare computing its condition. */
#include "compile.h"

static const NumInfo num_table[256] = { WG_IOPS_NUMERIC(NUM_ENTRY) };
static const NumInfo sat_table[8] = { WG_IOPS_SAT(NUM_ENTRY) };

void wg_compile_const(Compiler *c, WgValType t, uint64_t bits) {
  Entry *r = push(c, t);
  size_t s = here(c);
  emit_op(c, WG_IOP_const64);
  emit(c, r->home);
  emit(c, bits);
  set_lp(c, s, s + 1, WG_IOP_const64);
}

/* Pushes a result of type `t` and emits `op` with it as dst (the first
 * operand word) followed by the `n` operand words `ops`. */
static void emit_result_op(Compiler *c, WgIop op, WgValType t,
                           const uint64_t *ops, size_t n) {
  Entry *r = push(c, t);
  size_t s = here(c);
  emit_op(c, op);
  emit(c, r->home);
  for (size_t i = 0; i < n; i++)
    emit(c, ops[i]);
  set_lp(c, s, s + 1, (uint16_t)op);
}

/* emit_result_op for the (dst, src, imm) shape. */
static void emit_imm_op(Compiler *c, WgIop op, WgValType t, uint64_t src,
                        uint64_t imm) {
  emit_result_op(c, op, t, (const uint64_t[]){ src, imm }, 2);
}

/* Section: fusions of a binary operation with the instruction just
 * emitted; each returns true when it emitted the fused form */

/* i32.add / i32.sub with a constant just emitted: one instruction. */
static bool fuse_add_sub_const(Compiler *c, const NumInfo *ni) {
  if ((ni->op == WG_IOP_i32_add || ni->op == WG_IOP_i32_sub) && top_is_lp(c) &&
      c->lp_op == WG_IOP_const64) {
    int32_t imm = (int32_t)(uint32_t)c->code.items[c->lp_start + 2];
    c->code.count = c->lp_start;
    pop(c);
    Entry a = pop(c);
    uint32_t v = ni->op == WG_IOP_i32_sub ? 0u - (uint32_t)imm : (uint32_t)imm;
    emit_imm_op(c, WG_IOP_i32_add_imm, WG_VT_I32, a.loc, v);
    return true;
  }
  return false;
}

/* Other binary operations with a constant just emitted. */
static bool fuse_const_operand(Compiler *c, const NumInfo *ni) {
  if (top_is_lp(c) && c->lp_op == WG_IOP_const64) {
    int iop = -1;
#define IMM_CASE(name, T, f, expr) \
  if (ni->op == WG_IOP_##name) iop = WG_IOP_##name##_imm;
    WG_IOPS_BIN_IMM(IMM_CASE)
#undef IMM_CASE
    if (iop >= 0) {
      uint64_t imm = c->code.items[c->lp_start + 2];
      c->code.count = c->lp_start;
      pop(c);
      Entry a = pop(c);
      emit_imm_op(c, (WgIop)iop, ni->type, a.loc, imm);
      return true;
    }
  }
  return false;
}

/* A constant on the left, emitted just before a local.get of the right
 * operand: K op x as op_imm (x, K) for commutative operations, K - x as
 * i32_rsub_imm, K < x as x > K. */
static bool fuse_const_left(Compiler *c, const NumInfo *ni) {
  if (c->lb_end == here(c) && c->lb_op == WG_IOP_const64) {
    const Entry *k = &c->stack.items[c->stack.count - 2];
    int iop = -1;
    bool imm = false;
    int cmp = cmp_index(ni->op, &imm);
    switch (ni->op) {
      case WG_IOP_i32_add:
        iop = WG_IOP_i32_add_imm;
        break;
      case WG_IOP_i32_sub:
        iop = WG_IOP_i32_rsub_imm;
        break;
#define COMM_CASE(name)        \
  case WG_IOP_##name:          \
    iop = WG_IOP_##name##_imm; \
    break;
        COMM_CASE(i32_mul)
        COMM_CASE(i32_and)
        COMM_CASE(i32_or)
        COMM_CASE(i32_xor)
        COMM_CASE(i64_add)
        COMM_CASE(i64_mul)
        COMM_CASE(i64_and)
        COMM_CASE(i64_or)
        COMM_CASE(i64_xor)
#undef COMM_CASE
      default:
        if (cmp >= 0 && !imm) iop = WG_CMP_IOP(k_cmp_swap[cmp], 0);
        break;
    }
    if (iop >= 0 && k->loc == k->home && c->code.items[c->lb_dst] == k->home) {
      uint64_t kv = c->code.items[c->lb_start + 2];
      Entry x = pop(c);
      pop(c);
      c->code.count = c->lb_start;
      emit_imm_op(c, (WgIop)iop, ni->type, x.loc, kv);
      return true;
    }
  }
  return false;
}

/* a + x * y with the product just computed (dot products, indexing). */
static bool fuse_mul_add(Compiler *c, const NumInfo *ni) {
  if (ni->op == WG_IOP_i32_add && top_is_lp(c) && c->lp_op == WG_IOP_i32_mul) {
    uint64_t x = c->code.items[c->lp_start + 2];
    uint64_t y = c->code.items[c->lp_start + 3];
    c->code.count = c->lp_start;
    pop(c);
    Entry a = pop(c);
    emit_result_op(c, WG_IOP_i32_mul_add, WG_VT_I32,
                   (const uint64_t[]){ a.loc, x, y }, 3);
    return true;
  }
  return false;
}

/* An operand loaded from memory by the instruction just emitted. */
static bool fuse_loaded_operand(Compiler *c, const NumInfo *ni) {
  if (top_is_lp(c)) {
    int lop = -1;
    /* lop: the fused handler (-1: the load feeds no fused form); ladd: 0/1
     * when the load's address is itself a fused i32 sum (WG_IOPS_MEM_ADD:
     * slot + slot / slot + imm), -1 for a plain load. */
    int ladd = -1;
#define LOAD_ADD_IOP(load) \
  (WG_IOP_load32_add + 2 * (WG_IOP_##load - WG_IOP_load32))
#define LD_CASE(name, wop, T, f, LT, load, expr)     \
  if (lop < 0 && ni->op == WG_IOP_##wop) {           \
    if (c->lp_op == WG_IOP_##load) {                 \
      lop = WG_IOP_##name##_ld;                      \
    } else if (c->lp_op == LOAD_ADD_IOP(load) ||     \
               c->lp_op == LOAD_ADD_IOP(load) + 1) { \
      lop = WG_IOP_##name##_ld;                      \
      ladd = c->lp_op - LOAD_ADD_IOP(load);          \
    }                                                \
  }
    WG_IOPS_BIN_LOAD(LD_CASE)
#undef LD_CASE
#undef LOAD_ADD_IOP
    if (lop >= 0) {
      uint64_t addr = c->code.items[c->lp_start + 2];
      uint64_t off = c->code.items[c->lp_start + 3];
      uint64_t sum = ladd >= 0 ? c->code.items[c->lp_start + 4] : 0;
      c->code.count = c->lp_start;
      pop(c);
      Entry a = pop(c);
      Entry *r = push(c, ni->type);
      size_t s = here(c);
      /* the _ld_add / _ld_addi forms follow each _ld handler */
      WgIop fop = (WgIop)(ladd >= 0 ? lop + 2 + ladd : lop);
      emit_op(c, fop);
      emit(c, r->home);
      emit(c, a.loc);
      emit(c, addr);
      emit(c, off);
      if (ladd >= 0) emit(c, sum);
      set_lp(c, s, s + 1, (uint16_t)fop);
      note_mul(c, ni->op, s);
      return true;
    }
  }
  return false;
}

/* A shifted operand computed by the instruction just emitted. */
static bool fuse_shifted_operand(Compiler *c, const NumInfo *ni) {
  if (top_is_lp(c)) {
    int fop = -1;
#define SH_CASE(name, wop, sh, expr) \
  if (ni->op == WG_IOP_##wop && c->lp_op == WG_IOP_##sh) fop = WG_IOP_##name;
    WG_IOPS_BIN_SHIFT(SH_CASE)
#undef SH_CASE
    if (fop >= 0) {
      uint64_t x = c->code.items[c->lp_start + 2];
      uint64_t k = c->code.items[c->lp_start + 3];
      c->code.count = c->lp_start;
      pop(c);
      Entry a = pop(c);
      emit_result_op(c, (WgIop)fop, WG_VT_I32,
                     (const uint64_t[]){ a.loc, x, k }, 3);
      return true;
    }
  }
  return false;
}

/* i32 comparison with a constant just emitted. */
static bool fuse_compare_const(Compiler *c, const NumInfo *ni) {
  if (ni->op >= WG_IOP_i32_eq && ni->op <= WG_IOP_i32_ge_u && top_is_lp(c) &&
      c->lp_op == WG_IOP_const64) {
    uint64_t imm = (uint32_t)c->code.items[c->lp_start + 2];
    c->code.count = c->lp_start;
    pop(c);
    Entry a = pop(c);
    emit_imm_op(c, WG_CMP_IOP(ni->op - WG_IOP_i32_eq, 0), WG_VT_I32, a.loc,
                imm);
    return true;
  }
  return false;
}

/* Section: instructions */

static void do_numeric(Compiler *c, const NumInfo *ni) {
  if (ni->shape == SH_UN) {
    Entry a = pop(c);
    Entry *r = push(c, ni->type);
    size_t s = here(c);
    emit_op(c, (WgIop)ni->op);
    emit(c, r->home);
    emit(c, a.loc);
    set_lp(c, s, s + 1, ni->op);
    return;
  }
  if (fuse_add_sub_const(c, ni) || fuse_const_operand(c, ni) ||
      fuse_const_left(c, ni) || fuse_mul_add(c, ni) ||
      fuse_loaded_operand(c, ni) || fuse_shifted_operand(c, ni) ||
      fuse_compare_const(c, ni))
    return;
  Entry b = pop(c);
  Entry a = pop(c);
  Entry *r = push(c, ni->type);
  size_t s = here(c);
  emit_op(c, (WgIop)ni->op);
  emit(c, r->home);
  emit(c, a.loc);
  emit(c, b.loc);
  set_lp(c, s, s + 1, ni->op);
}

/* i32.wrap_i64 (the low half of the slot) and the reinterpretations move
 * no bits: only the type of the top entry changes. */
static void retype(Compiler *c, uint8_t op) {
  static const WgValType to[] = {
    WG_VT_I32, 0, 0, 0,         0,         0,         0,        0, 0,
    0,         0, 0, 0,         0,         0,         0,        0, 0,
    0,         0, 0, WG_VT_I32, WG_VT_I64, WG_VT_F32, WG_VT_F64
  };
  top(c)->type = to[op - 0xA7];
}

void wg_compile_numeric(Compiler *c, const WgInstr *in) {
  uint8_t op = in->op;
  if (op == 0xFC) { /* saturating truncations */
    do_numeric(c, &sat_table[in->sub]);
  } else if (num_table[op].present) {
    do_numeric(c, &num_table[op]);
  } else if (op == 0xA7 || (op >= 0xBC && op <= 0xBF)) {
    retype(c, op);
  } else {
    fail(c); /* unknown: rejected by the validator */
  }
}

/* select (typed or not: the types were checked), fused with the i32
 * compare that computed its condition. */
void wg_compile_select(Compiler *c) {
  bool imm = false;
  int k = top_is_lp(c) ? cmp_index(c->lp_op, &imm) : -1;
  Entry cond = pop(c), b = pop(c), a = pop(c);
  if (k >= 0 && a.type != WG_VT_V128) {
    /* The condition is a comparison just computed: one instruction. */
    uint64_t x = c->code.items[c->lp_start + 2];
    uint64_t y = c->code.items[c->lp_start + 3];
    c->code.count = c->lp_start;
    emit_result_op(c, WG_SELECT_CMP_IOP(k, imm), a.type,
                   (const uint64_t[]){ a.loc, b.loc, x, y }, 4);
    return;
  }
  Entry *r = push(c, a.type);
  size_t s = here(c);
  emit_op(c, a.type == WG_VT_V128 ? WG_IOP_select128 : WG_IOP_select64);
  emit(c, r->home);
  emit(c, a.loc);
  emit(c, b.loc);
  emit(c, cond.loc);
  set_lp(c, s, s + 1, WG_IOP_select64);
}
