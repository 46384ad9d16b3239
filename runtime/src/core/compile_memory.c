/* SPDX-License-Identifier: Apache-2.0 */
/* Memory instructions: loads and stores (fused with the i32 sum that
 * computes their address, a store with the operation on a value loaded
 * from the same address, and `mem[x] += m * mem[y]`), memory.size / grow
 * and the bulk memory instructions. Accesses to a memory other than 0 run
 * between select_mem instructions (iops.h) and are not fused. */
#include "compile.h"

/* Emits select_mem `mem`: the accesses that follow address memory `mem`
 * until select_mem 0 (iops.h). No fusion reaches across it. */
void wg_compile_select_memory(Compiler *c, uint32_t mem) {
  invalidate_lp(c);
  c->copy_end = c->incr_end = c->mul_end = (size_t)-1;
  emit_op(c, WG_IOP_select_mem);
  emit(c, mem);
}

/* Section: loads */

/* An access to memory 0 (plain or fused with what computed its address). */
static void load_mem0(Compiler *c, uint32_t off, WgIop op, WgValType t) {
  if (top_is_lp(c) &&
      (c->lp_op == WG_IOP_i32_add || c->lp_op == WG_IOP_i32_add_imm)) {
    /* Address computed by the i32.add just emitted: one instruction. */
    bool imm = c->lp_op == WG_IOP_i32_add_imm;
    uint64_t a = c->code.items[c->lp_start + 2];
    uint64_t b = c->code.items[c->lp_start + 3];
    c->code.count = c->lp_start;
    pop(c);
    Entry *r = push(c, t);
    size_t s = here(c);
    WgIop fop = (WgIop)(WG_IOP_load32_add + 2 * (op - WG_IOP_load32) + imm);
    emit_op(c, fop);
    emit(c, r->home);
    emit(c, a);
    emit(c, off);
    emit(c, b);
    set_lp(c, s, s + 1, (uint16_t)fop);
    return;
  }
  Entry a = pop(c);
  Entry *r = push(c, t);
  size_t s = here(c);
  emit_op(c, op);
  emit(c, r->home);
  emit(c, a.loc);
  emit(c, off);
  set_lp(c, s, s + 1, (uint16_t)op);
}

static void do_load(Compiler *c, const WgInstr *in, WgIop op, WgValType t) {
  ON_MEMORY(c, in, load_mem0(c, (uint32_t)in->value, op, t));
}

/* Section: stores */

/* `mem[x] = mem[x] + m * mem[y]`: the read-modify-write add (handler
 * `rmw`, operands at `s`) of a product computed just before by a mul_ld*.
 * Emits one WG_IOPS_MADD instruction instead; false if the pattern does not
 * hold. */
static bool fuse_madd(Compiler *c, WgIop rmw, size_t s, uint64_t x, uint64_t a,
                      uint64_t off) {
  bool f64 = rmw == WG_IOP_f64_add_ld_st;
  if (!f64 && rmw != WG_IOP_f32_add_ld_st) return false;
  size_t m = c->mul_start;
  if (c->mul_end != s) return false;
  const uint64_t *w = c->code.items;
  WgIop plain = f64 ? WG_IOP_f64_mul_ld : WG_IOP_f32_mul_ld;
  int variant = -1; /* 0 plain, 1 _add, 2 _addi */
  for (int v = 0; v < 3; v++)
    if (w[m] == (uint64_t)(uintptr_t)c->handlers[v ? plain + 1 + v : plain])
      variant = v;
  /* The product must be a temporary read only by the add. */
  if (variant < 0 || w[m + 1] != a || a < c->temp_base) return false;
  if (s != m + (variant ? 6 : 5)) return false;
  uint64_t ma = w[m + 2], y = w[m + 3], yoff = w[m + 4];
  uint64_t yb = variant ? w[m + 5] : 0;
  c->code.count = m;
  WgIop base = f64 ? WG_IOP_f64_madd_st : WG_IOP_f32_madd_st;
  emit_op(c, (WgIop)(base + variant));
  emit(c, x);
  emit(c, off);
  emit(c, ma);
  emit(c, y);
  emit(c, yoff);
  if (variant) emit(c, yb);
  c->mul_end = (size_t)-1;
  return true;
}

/* The plain store handler writing `n` bytes. */
static WgIop store_of_width(size_t n) {
  return n == 1   ? WG_IOP_store8
         : n == 2 ? WG_IOP_store16
         : n == 4 ? WG_IOP_store32
                  : WG_IOP_store64;
}

/* A store to memory 0 (plain or fused with what computed the value or the
 * address). */
static void store_mem0(Compiler *c, uint32_t off, WgIop op) {
  CHECK(c->stack.count >= 2);
  if (top_is_lp(c)) {
    /* mem[x] = a op mem[x]: the value was computed from a load of the same
     * address and width just before. */
    int fop = -1;
    WgIop sop = WG_IOP_COUNT;
#define RMW_CASE(name, wop, T, f, LT, load, expr) \
  if (c->lp_op == WG_IOP_##name##_ld) {           \
    fop = WG_IOP_##name##_ld_st;                  \
    sop = store_of_width(sizeof(LT));             \
  }
    WG_IOPS_BIN_LOAD(RMW_CASE)
#undef RMW_CASE
    const Entry *addr = &c->stack.items[c->stack.count - 2];
    size_t s = c->lp_start;
    if (fop >= 0 && sop == op && c->code.items[s + 3] == addr->loc &&
        c->code.items[s + 4] == off) {
      uint64_t a = c->code.items[s + 2];
      c->stack.count -= 2;
      if (fuse_madd(c, (WgIop)fop, s, addr->loc, a, off)) {
        invalidate_lp(c);
        return;
      }
      c->code.count = s;
      emit_op(c, (WgIop)fop);
      emit(c, addr->loc);
      emit(c, a);
      emit(c, off);
      invalidate_lp(c);
      return;
    }
  }
  const Entry *addr = &c->stack.items[c->stack.count - 2];
  if (c->lb_end == here(c) &&
      (c->lb_op == WG_IOP_i32_add || c->lb_op == WG_IOP_i32_add_imm) &&
      addr->loc == addr->home && c->code.items[c->lb_dst] == addr->home &&
      top(c)->loc != addr->home) {
    /* Address computed by the i32.add just emitted, then the value read
     * from a local: one instruction. */
    bool imm = c->lb_op == WG_IOP_i32_add_imm;
    uint64_t a = c->code.items[c->lb_start + 2];
    uint64_t b = c->code.items[c->lb_start + 3];
    Entry v = pop(c);
    pop(c);
    c->code.count = c->lb_start;
    emit_op(c, (WgIop)(WG_IOP_store8_add + 2 * (op - WG_IOP_store8) + imm));
    emit(c, a);
    emit(c, v.loc);
    emit(c, off);
    emit(c, b);
    invalidate_lp(c);
    return;
  }
  Entry v = pop(c);
  Entry a = pop(c);
  emit_op(c, op);
  emit(c, a.loc);
  emit(c, v.loc);
  emit(c, off);
  invalidate_lp(c);
}

static void do_store(Compiler *c, const WgInstr *in, WgIop op) {
  ON_MEMORY(c, in, store_mem0(c, (uint32_t)in->value, op));
}

/* Section: the handlers of the wasm loads and stores */

static WgIop load_op(uint8_t op) {
  switch (op) {
    case 0x28:
    case 0x2A:
      return WG_IOP_load32;
    case 0x29:
    case 0x2B:
      return WG_IOP_load64;
    case 0x2C:
      return WG_IOP_load8_s32;
    case 0x2D:
      return WG_IOP_load8_u32;
    case 0x2E:
      return WG_IOP_load16_s32;
    case 0x2F:
      return WG_IOP_load16_u32;
    case 0x30:
      return WG_IOP_load8_s64;
    case 0x31:
      return WG_IOP_load8_u64;
    case 0x32:
      return WG_IOP_load16_s64;
    case 0x33:
      return WG_IOP_load16_u64;
    case 0x34:
      return WG_IOP_load32_s64;
    default:
      return WG_IOP_load32_u64;
  }
}

static WgValType load_type(uint8_t op) {
  switch (op) {
    case 0x28:
    case 0x2C:
    case 0x2D:
    case 0x2E:
    case 0x2F:
      return WG_VT_I32;
    case 0x2A:
      return WG_VT_F32;
    case 0x2B:
      return WG_VT_F64;
    default:
      return WG_VT_I64;
  }
}

static WgIop store_op(uint8_t op) {
  switch (op) {
    case 0x36:
    case 0x38:
    case 0x3E:
      return WG_IOP_store32;
    case 0x37:
    case 0x39:
      return WG_IOP_store64;
    case 0x3A:
    case 0x3C:
      return WG_IOP_store8;
    default:
      return WG_IOP_store16;
  }
}

void wg_compile_load(Compiler *c, const WgInstr *in) {
  do_load(c, in, load_op(in->op), load_type(in->op));
}

void wg_compile_store(Compiler *c, const WgInstr *in) {
  do_store(c, in, store_op(in->op));
}

/* Section: memory.size and memory.grow */

void wg_compile_memory_size(Compiler *c, uint32_t mem) {
  CHECK(mem < wg_module_total_memories(c->m));
  Entry *r = push(c, WG_VT_I32);
  emit_op(c, WG_IOP_memory_size);
  emit(c, r->home);
  emit(c, mem);
  invalidate_lp(c);
}

void wg_compile_memory_grow(Compiler *c, uint32_t mem) {
  CHECK(mem < wg_module_total_memories(c->m));
  Entry d = pop(c);
  Entry *r = push(c, WG_VT_I32);
  emit_op(c, WG_IOP_memory_grow);
  emit(c, r->home);
  emit(c, d.loc);
  emit(c, mem);
  invalidate_lp(c);
}

/* Section: bulk memory */

void wg_compile_bulk_memory(Compiler *c, const WgInstr *in) {
  const WgModule *m = c->m;
  uint32_t i0 = in->x, i1 = in->y, mems = wg_module_total_memories(m);
  switch (in->sub) {
    case 8:
      CHECK(i1 < mems && i0 < m->data_segment_count);
      break;
    case 9:
      CHECK(i0 < m->data_segment_count);
      break;
    case 10:
      CHECK(i0 < mems && i1 < mems);
      break;
    default:
      CHECK(i0 < mems);
      break;
  }
  switch (in->sub) {
    case 8: { /* memory.init data mem */
      Entry n = pop(c), s = pop(c), d = pop(c);
      if (i1) wg_compile_select_memory(c, i1);
      emit_op(c, WG_IOP_memory_init);
      emit(c, d.loc);
      emit(c, s.loc);
      emit(c, n.loc);
      emit(c, i0);
      if (i1) wg_compile_select_memory(c, 0);
      break;
    }
    case 9:
      emit_op(c, WG_IOP_data_drop);
      emit(c, i0);
      break;
    case 10: { /* memory.copy dst src */
      Entry n = pop(c), s = pop(c), d = pop(c);
      if (i0 != i1) { /* between two memories */
        emit_op(c, WG_IOP_memory_copy_mems);
        emit(c, d.loc);
        emit(c, s.loc);
        emit(c, n.loc);
        emit(c, i0);
        emit(c, i1);
        break;
      }
      if (i0) wg_compile_select_memory(c, i0);
      emit3(c, WG_IOP_memory_copy, d.loc, s.loc, n.loc);
      if (i0) wg_compile_select_memory(c, 0);
      break;
    }
    case 11: { /* memory.fill mem */
      Entry n = pop(c), v = pop(c), d = pop(c);
      if (i0) wg_compile_select_memory(c, i0);
      emit3(c, WG_IOP_memory_fill, d.loc, v.loc, n.loc);
      if (i0) wg_compile_select_memory(c, 0);
      break;
    }
    default:
      fail(c);
      break;
  }
  invalidate_lp(c);
}
