/* SPDX-License-Identifier: Apache-2.0 */
/* The translator's code buffer and the operand stack's frame slots:
 * growing the buffer, code-index operands, copies between slots (merged
 * into copy_n), and moving stack entries to their homes or to a label's
 * slots (compile.h has the inline primitives). */
#include "alloc.h"
#include "compile.h"

/* Section: emission */

/* The code buffer uses the engine's allocator: the module takes it over
 * at the end without a copy. */
bool wg_compile_code_grow(Compiler *c, size_t need) {
  size_t cap = c->code.cap ? c->code.cap : 64;
  while (cap < need)
    cap *= 2;
  uint64_t *p =
      wg_realloc(c->alloc, c->code.items, sizeof(uint64_t) * c->code.cap,
                 sizeof(uint64_t) * cap);
  if (!p) return false;
  c->code.items = p;
  c->code.cap = cap;
  return true;
}

void wg_compile_add_reloc(Compiler *c, size_t word) {
  if (!wg_vec_push(&c->relocs, word)) c->oom = true;
}

/* A code-index operand converted to an address at the end. */
void wg_compile_emit_target(Compiler *c, size_t target) {
  wg_compile_add_reloc(c, here(c));
  emit(c, target);
}

/* Section: operand stack */

/* Consecutive 64-bit copies (e.g. a rotation of locals) merge into one
 * copy_n instruction; `copy_start` is the last copy's start while it is
 * the last instruction and no branch target lies after it. */
void wg_compile_emit_copy(Compiler *c, WgValType t, uint32_t dst,
                          uint32_t src) {
  if (dst == src) return;
  invalidate_lp(c);
  if (t != WG_VT_V128 && c->copy_end == here(c) && !c->oom) {
    size_t s = c->copy_start;
    if (c->code.items[s] == (uint64_t)(uintptr_t)c->handlers[WG_IOP_copy64]) {
      uint64_t d1 = c->code.items[s + 1], s1 = c->code.items[s + 2];
      c->code.count = s;
      emit_op(c, WG_IOP_copy_n);
      emit(c, 2);
      emit(c, d1);
      emit(c, s1);
    } else {
      c->code.items[s + 1]++;
    }
    emit(c, dst);
    emit(c, src);
    c->copy_end = here(c);
    return;
  }
  size_t s = here(c);
  emit_op(c, t == WG_VT_V128 ? WG_IOP_copy128 : WG_IOP_copy64);
  emit(c, dst);
  emit(c, src);
  if (t != WG_VT_V128) {
    c->copy_start = s;
    c->copy_end = here(c);
  }
}

void wg_compile_materialize_all(Compiler *c) {
  for (size_t i = 0; i < c->stack.count; i++)
    materialize(c, &c->stack.items[i]);
}

void wg_compile_materialize_slot(Compiler *c, uint32_t slot, size_t upto) {
  for (size_t i = 0; i < upto; i++)
    if (c->stack.items[i].loc == slot &&
        c->stack.items[i].home != c->stack.items[i].loc)
      materialize(c, &c->stack.items[i]);
}

/* Copies the top `n` entries into consecutive slots from `base` (branch
 * values into a label's slots, or results into slots 0 for a return). */
void wg_compile_copy_top_to(Compiler *c, uint32_t n, uint32_t base) {
  CHECK(n <= c->stack.count);
  size_t first = c->stack.count - n;
  if (n == 1 && top_is_lp(c)) {
    /* The value was just computed: compute it into the target instead. */
    c->code.items[c->lp_dst] = base;
    top(c)->loc = base;
    invalidate_lp(c);
    return;
  }
  uint32_t total = 0;
  for (size_t i = first; i < c->stack.count; i++)
    total += wg_slots_of(c->stack.items[i].type);
  /* Aliases of slots inside the target range would be overwritten before
   * being read: move them to their homes first. */
  for (size_t i = first; i < c->stack.count; i++) {
    Entry *e = &c->stack.items[i];
    if (e->loc != e->home && e->loc >= base && e->loc < base + total)
      materialize(c, e);
  }
  uint32_t dst = base;
  for (size_t i = first; i < c->stack.count; i++) {
    Entry *e = &c->stack.items[i];
    wg_compile_emit_copy(c, e->type, dst, e->loc);
    dst += wg_slots_of(e->type);
  }
}

bool wg_compile_needs_copy(Compiler *c, uint32_t n, uint32_t base) {
  uint32_t dst = base;
  if (n > c->stack.count) {
    fail(c);
    return false;
  }
  for (size_t i = c->stack.count - n; i < c->stack.count; i++) {
    if (c->stack.items[i].loc != dst) return true;
    dst += wg_slots_of(c->stack.items[i].type);
  }
  return false;
}
