/* SPDX-License-Identifier: Apache-2.0 */
/* Locals (local.get pushes an alias of the local's slot; local.set
 * retargets the instruction that computed the value, or drops the store of
 * a zero to a local still zero since entry), globals, tables and
 * references. */
#include "compile.h"

/* Section: locals */

/* local.get pushes an alias of the local's slot: nothing is emitted. */
void wg_compile_local_get(Compiler *c, uint32_t i) {
  CHECK(i < c->local_type.count);
  /* The entry below may be the last instruction's result (a store's
   * address computed just before its value is read: see store_mem0). */
  bool below = top_is_lp(c);
  size_t below_end = c->lp_end;
  invalidate_lp(c);
  if (below) {
    c->lb_end = below_end;
    c->lb_start = c->lp_start;
    c->lb_dst = c->lp_dst;
    c->lb_op = c->lp_op;
  }
  Entry *e = push(c, c->local_type.items[i]);
  e->loc = c->local_slot.items[i];
}

/* local.set / local.tee. */
void wg_compile_local_set(Compiler *c, uint32_t idx, bool tee) {
  CHECK(idx < c->local_type.count && c->stack.count > 0);
  /* `i32.const 0; local.set x` while x is still zero (declared locals start
   * zeroed; flags are cleared by non-zero stores and at loop heads). */
  if (!tee && c->zero.items[idx] && top_is_lp(c) &&
      c->lp_op == WG_IOP_const64 && c->code.items[c->lp_start + 2] == 0) {
    c->code.count = c->lp_start;
    c->stack.count--;
    invalidate_lp(c);
    return;
  }
  c->zero.items[idx] = 0;
  uint32_t slot = c->local_slot.items[idx];
  WgValType t = c->local_type.items[idx];
  size_t below = c->stack.count - 1;
  bool aliased = false;
  for (size_t i = 0; i < below; i++)
    if (c->stack.items[i].loc == slot) aliased = true;
  if (aliased) wg_compile_materialize_slot(c, slot, below);
  Entry *v = top(c);
  bool retargeted = false;
  if (v->loc == slot) {
    /* local.get x; local.set x */
  } else if (top_is_lp(c)) {
    c->code.items[c->lp_dst] = slot;
    retargeted = true;
    if (c->lp_op == WG_IOP_i32_add_imm &&
        c->code.items[c->lp_start + 2] == slot) {
      c->incr_start = c->lp_start;
      c->incr_end = c->lp_end;
    }
  } else {
    wg_compile_emit_copy(c, t, slot, v->loc);
  }
  /* After a tee into the last instruction's result, that instruction
   * still wrote the top entry (now at the local: top_is_lp no longer
   * holds, but emit_cond_branch can fuse a load with its test). */
  if (!(tee && retargeted)) invalidate_lp(c);
  if (tee)
    v->loc = slot;
  else
    c->stack.count--;
}

/* Section: globals */

void wg_compile_global_get(Compiler *c, uint32_t g) {
  CHECK(g < wg_module_total_globals(c->m));
  WgValType t = wg_module_global_type(c->m, g)->type;
  Entry *r = push(c, t);
  size_t s = here(c);
  emit_op(c, t == WG_VT_V128 ? WG_IOP_global_get128 : WG_IOP_global_get);
  emit(c, r->home);
  emit(c, g);
  set_lp(c, s, s + 1, WG_IOP_global_get);
}

void wg_compile_global_set(Compiler *c, uint32_t g) {
  CHECK(g < wg_module_total_globals(c->m));
  Entry v = pop(c);
  emit_op(c, v.type == WG_VT_V128 ? WG_IOP_global_set128 : WG_IOP_global_set);
  emit(c, v.loc);
  emit(c, g);
  invalidate_lp(c);
}

/* Section: references */

void wg_compile_ref_is_null(Compiler *c) {
  Entry a = pop(c);
  Entry *r = push(c, WG_VT_I32);
  emit_op(c, WG_IOP_ref_is_null);
  emit(c, r->home);
  emit(c, a.loc);
  invalidate_lp(c);
}

void wg_compile_ref_func(Compiler *c, uint32_t f) {
  CHECK(f < wg_module_total_funcs(c->m));
  Entry *r = push(c, WG_VT_FUNCREF);
  emit_op(c, WG_IOP_ref_func);
  emit(c, r->home);
  emit(c, f);
  invalidate_lp(c);
}

/* Section: tables */

void wg_compile_table_get(Compiler *c, uint32_t t) {
  CHECK(t < wg_module_total_tables(c->m));
  Entry i = pop(c);
  Entry *r = push(c, wg_module_table_type(c->m, t)->elem);
  emit3(c, WG_IOP_table_get, r->home, i.loc, t);
}

void wg_compile_table_set(Compiler *c, uint32_t t) {
  CHECK(t < wg_module_total_tables(c->m));
  Entry v = pop(c), i = pop(c);
  emit3(c, WG_IOP_table_set, i.loc, v.loc, t);
}

void wg_compile_table(Compiler *c, const WgInstr *in) {
  const WgModule *m = c->m;
  uint32_t i0 = in->x, i1 = in->y;
  switch (in->sub) {
    case 12:
      CHECK(i0 < m->elem_count && i1 < wg_module_total_tables(m));
      break;
    case 13:
      CHECK(i0 < m->elem_count);
      break;
    case 14:
      CHECK(i0 < wg_module_total_tables(m) && i1 < wg_module_total_tables(m));
      break;
    default:
      CHECK(i0 < wg_module_total_tables(m));
      break;
  }
  switch (in->sub) {
    case 12: { /* table.init elem table */
      uint32_t seg = i0, tab = i1;
      Entry n = pop(c), s = pop(c), d = pop(c);
      emit_op(c, WG_IOP_table_init);
      emit(c, d.loc);
      emit(c, s.loc);
      emit(c, n.loc);
      emit(c, tab);
      emit(c, seg);
      break;
    }
    case 13:
      emit_op(c, WG_IOP_elem_drop);
      emit(c, i0);
      break;
    case 14: { /* table.copy dst src */
      uint32_t dt = i0, st = i1;
      Entry n = pop(c), s = pop(c), d = pop(c);
      emit_op(c, WG_IOP_table_copy);
      emit(c, d.loc);
      emit(c, s.loc);
      emit(c, n.loc);
      emit(c, dt);
      emit(c, st);
      break;
    }
    case 15: { /* table.grow */
      uint32_t tab = i0;
      Entry n = pop(c), v = pop(c);
      Entry *r = push(c, WG_VT_I32);
      emit_op(c, WG_IOP_table_grow);
      emit(c, r->home);
      emit(c, v.loc);
      emit(c, n.loc);
      emit(c, tab);
      break;
    }
    case 16: { /* table.size */
      uint32_t tab = i0;
      Entry *r = push(c, WG_VT_I32);
      emit_op(c, WG_IOP_table_size);
      emit(c, r->home);
      emit(c, tab);
      break;
    }
    case 17: { /* table.fill */
      uint32_t tab = i0;
      Entry n = pop(c), v = pop(c), d = pop(c);
      emit_op(c, WG_IOP_table_fill);
      emit(c, d.loc);
      emit(c, v.loc);
      emit(c, n.loc);
      emit(c, tab);
      break;
    }
    default:
      fail(c);
      break;
  }
  invalidate_lp(c);
}
