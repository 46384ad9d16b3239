/* SPDX-License-Identifier: Apache-2.0 */
/* Control instructions: blocks, loops and ifs (with their label slots and
 * forward-branch chains), branches (fused with the i32 compare or load that
 * computes their condition, and with a loop counter's increment), br_table,
 * return and calls. */
#include "compile.h"

/* Storage for the result type of one-value block types. */
static const WgValType vt_one[] = { WG_VT_I32,      WG_VT_I64,  WG_VT_F32,
                                    WG_VT_F64,      WG_VT_V128, WG_VT_FUNCREF,
                                    WG_VT_EXTERNREF };

static const WgValType *vt_ptr(WgValType t) {
  for (size_t i = 0; i < sizeof vt_one / sizeof vt_one[0]; i++)
    if (vt_one[i] == t) return &vt_one[i];
  return &vt_one[0];
}

/* Section: labels and branch targets */

/* Binds a forward-branch chain to the current position. */
static void bind_chain(Compiler *c, size_t chain) {
  size_t pos = here(c);
  while (chain && !c->oom) {
    size_t w = chain - 1;
    chain = (size_t)c->code.items[w];
    c->code.items[w] = pos;
  }
  invalidate_lp(c);
  c->copy_end = (size_t)-1;
  c->incr_end = c->mul_end = (size_t)-1;
}

/* The target word of a branch to `target`. Branches to a loop use the
 * "_back" handlers, whose last operand is the loop's fuel cost. */
static void emit_branch(Compiler *c, Ctrl *target) {
  if (target->kind == K_LOOP) {
    wg_compile_emit_target(c, target->loop_ip);
    emit(c, target->fuel_chain); /* fuel cost, patched at the loop's end */
    target->fuel_chain = here(c);
  } else {
    wg_compile_add_reloc(c, here(c));
    emit(c, target->patch);
    target->patch = here(c); /* index + 1 of the word just emitted */
  }
}

/* Sets the params and results of `k` from block type `bt` (WgInstr's s33
 * form). */
static void set_block_type(Compiler *c, Ctrl *k, int64_t bt) {
  k->nparams = k->nresults = 0;
  k->params = k->results = NULL;
  if (bt == -64) return; /* 0x40: empty */
  if (bt < 0) {
    k->nresults = 1;
    k->results = vt_ptr((WgValType)(bt & 0x7F));
    return;
  }
  if ((uint64_t)bt >= c->m->type_count) {
    fail(c);
    return;
  }
  const WgFuncType *ft = &c->m->types[bt];
  k->nparams = ft->param_count;
  k->nresults = ft->result_count;
  k->params = WG_FUNCTYPE_PARAMS(ft);
  k->results = WG_FUNCTYPE_RESULTS(ft);
}

static void enter_block(Compiler *c, Ctrl k) {
  CHECK(k.nparams <= c->stack.count);
  k.height = (uint32_t)(c->stack.count - k.nparams);
  k.base =
      k.height < c->stack.count ? c->stack.items[k.height].home : next_home(c);
  k.fuel_owner =
      k.kind == K_LOOP ? (uint32_t)c->ctrls.count : ctrl_top(c)->fuel_owner;
  push_ctrl(c, k);
}

/* Makes the rest of the current block unreachable (after br, return...). */
static void set_unreachable(Compiler *c) {
  Ctrl *k = ctrl_top(c);
  k->unreachable = true;
  c->stack.count = k->height;
  invalidate_lp(c);
}

static void emit_return(Compiler *c) {
  Ctrl *f = &c->ctrls.items[0];
  wg_compile_copy_top_to(c, f->nresults, 0);
  emit_op(c, WG_IOP_ret);
}

static uint32_t label_arity(const Ctrl *k) {
  return k->kind == K_LOOP ? k->nparams : k->nresults;
}

/* Section: branches */

static void do_br(Compiler *c, uint32_t depth) {
  CHECK(depth < c->ctrls.count);
  Ctrl *t = &c->ctrls.items[c->ctrls.count - 1 - depth];
  if (t->kind == K_FUNC) {
    emit_return(c);
  } else {
    wg_compile_copy_top_to(c, label_arity(t), t->base);
    emit_op(c, t->kind == K_LOOP ? WG_IOP_br_back : WG_IOP_br);
    emit_branch(c, t);
  }
}

/* Emits "branch to `t` when the condition on top holds" (or when it does
 * not hold, for `negate`), fusing with a preceding i32 compare. The
 * condition entry is popped. Without `t` the branch joins `*chain`. */
static void emit_cond_branch(Compiler *c, bool negate, Ctrl *t, size_t *chain) {
  bool fuse = top_is_lp(c);
  bool back = t && t->kind == K_LOOP;
  Entry cond = pop(c);
  if (fuse) {
    size_t s = c->lp_start;
    uint16_t op = c->lp_op;
    bool imm = false;
    int k = cmp_index(op, &imm);
    if (op == WG_IOP_i32_eqz) {
      uint64_t a = c->code.items[s + 2];
      c->code.count = s;
      if (negate)
        emit_op(c, back ? WG_IOP_br_if_back : WG_IOP_br_if);
      else
        emit_op(c, back ? WG_IOP_br_if_i32_eqz_back : WG_IOP_br_if_i32_eqz);
      emit(c, a);
      goto target;
    }
    if (k >= 0 && back && !negate && c->incr_end == s) {
      /* `x += inc` just before: one instruction for the loop's latch. */
      size_t is = c->incr_start;
      uint64_t x = c->code.items[is + 1], inc = c->code.items[is + 3];
      uint64_t a = c->code.items[s + 2], b = c->code.items[s + 3];
      if (!imm && b == x && a != x) {
        b = a;
        a = x;
        k = k_cmp_swap[k];
      }
      if (a == x) {
        c->code.count = is;
        emit_op(c, WG_CMP_IOP(k, imm ? 6 : 5));
        emit(c, x);
        emit(c, inc);
        emit(c, b);
        goto target;
      }
    }
    if (k >= 0) {
      uint64_t a = c->code.items[s + 2], b = c->code.items[s + 3];
      c->code.count = s;
      if (negate) k = k_cmp_negation[k];
      emit_op(c, WG_CMP_IOP(k, back ? (imm ? 4 : 3) : (imm ? 2 : 1)));
      emit(c, a);
      emit(c, b);
      goto target;
    }
  }
  if (c->lp_end == here(c) && c->code.items[c->lp_dst] == cond.loc &&
      (c->lp_op == WG_IOP_load8_u32 || c->lp_op == WG_IOP_load32)) {
    /* The condition was just loaded (into a temporary or, by a local.tee,
     * a local): one instruction loads, writes and branches. */
    size_t s = c->lp_start;
    uint64_t dst = c->code.items[s + 1], addr = c->code.items[s + 2];
    uint64_t off = c->code.items[s + 3];
    WgIop base = c->lp_op == WG_IOP_load32 ? WG_IOP_load32_br_if
                                           : WG_IOP_load8_u32_br_if;
    c->code.count = s;
    emit_op(c, (WgIop)(base + (negate ? 1 : back ? 2 : 0)));
    emit(c, dst);
    emit(c, addr);
    emit(c, off);
    goto target;
  }
  if (negate)
    emit_op(c, WG_IOP_br_unless);
  else
    emit_op(c, back ? WG_IOP_br_if_back : WG_IOP_br_if);
  emit(c, cond.loc);
target:
  invalidate_lp(c);
  if (t) {
    emit_branch(c, t);
  } else {
    wg_compile_add_reloc(c, here(c));
    emit(c, *chain);
    *chain = here(c);
  }
}

void wg_compile_br_if(Compiler *c, uint32_t depth) {
  CHECK(depth < c->ctrls.count && c->stack.count > 0);
  Ctrl *t = &c->ctrls.items[c->ctrls.count - 1 - depth];
  uint32_t n = label_arity(t);
  /* The condition is on top; the branch values below it. */
  Entry cond = c->stack.items[c->stack.count - 1];
  c->stack.count--;
  bool simple = t->kind != K_FUNC && !wg_compile_needs_copy(c, n, t->base);
  c->stack.count++;
  c->stack.items[c->stack.count - 1] = cond;
  if (simple) {
    emit_cond_branch(c, false, t, NULL);
    return;
  }
  size_t skip = 0;
  emit_cond_branch(c, true, NULL, &skip);
  do_br(c, depth);
  bind_chain(c, skip);
}

void wg_compile_br_table(Compiler *c, const WgInstr *in) {
  uint32_t n = in->count;
  Entry idx = pop(c);
  emit_op(c, WG_IOP_br_table);
  emit(c, idx.loc);
  emit(c, n);
  size_t table = here(c);
  for (uint32_t i = 0; i <= n; i++)
    emit(c, 0);
  const uint8_t *q = in->bytes;
  for (uint32_t i = 0; i <= n && !c->oom; i++) {
    uint32_t depth = wg_instr_next_label(&q);
    CHECK(depth < c->ctrls.count);
    Ctrl *t = &c->ctrls.items[c->ctrls.count - 1 - depth];
    uint32_t arity = label_arity(t);
    if (t->kind == K_BLOCK || t->kind == K_IF) {
      if (!wg_compile_needs_copy(c, arity, t->base)) {
        /* Direct: the word joins the target's chain. */
        wg_compile_add_reloc(c, table + i);
        c->code.items[table + i] = t->patch;
        t->patch = table + i + 1;
        continue;
      }
    }
    /* A stub that copies the values, then branches (charging fuel for a
     * loop) or returns. */
    wg_compile_add_reloc(c, table + i);
    c->code.items[table + i] = here(c);
    c->copy_end = (size_t)-1;
    c->incr_end = c->mul_end = (size_t)-1;
    do_br(c, depth);
  }
  set_unreachable(c);
}

/* Section: calls */

static void do_call(Compiler *c, uint32_t fidx, uint32_t type_index,
                    bool indirect, uint32_t table) {
  CHECK(type_index < c->m->type_count);
  CHECK(!indirect || table < wg_module_total_tables(c->m));
  const WgFuncType *ft = &c->m->types[type_index];
  CHECK(c->stack.count >= ft->param_count + (indirect ? 1u : 0u));
  Entry idx = { WG_VT_I32, 0, 0 };
  if (indirect) idx = pop(c);
  size_t first = c->stack.count - ft->param_count;
  for (size_t i = first; i < c->stack.count; i++)
    materialize(c, &c->stack.items[i]);
  uint32_t arg_base =
      ft->param_count ? c->stack.items[first].home : next_home(c);
  c->stack.count = first;
  if (indirect) {
    emit_op(c, WG_IOP_call_indirect);
    emit(c, table);
    emit(c, type_index);
    emit(c, idx.loc);
    emit(c, arg_base);
  } else if (fidx < c->m->func_import_count) {
    emit_op(c, WG_IOP_call_import);
    emit(c, fidx);
    emit(c, arg_base);
  } else {
    emit_op(c, WG_IOP_call);
    emit(c,
         (uint64_t)(uintptr_t)&c->mod->codes[fidx - c->m->func_import_count]);
    emit(c, arg_base);
  }
  for (uint32_t i = 0; i < ft->result_count; i++)
    push(c, WG_FUNCTYPE_RESULTS(ft)[i]);
  invalidate_lp(c);
}

/* Section: blocks */

void wg_compile_end(Compiler *c) {
  Ctrl k = *ctrl_top(c);
  if (!k.unreachable) wg_compile_copy_top_to(c, k.nresults, k.base);
  if (k.kind == K_FUNC) {
    if (!k.unreachable) emit_op(c, WG_IOP_ret);
    c->func_fuel = k.fuel_count;
    c->ctrls.count--;
    return;
  }
  if (k.kind == K_LOOP) {
    for (size_t w = k.fuel_chain; w && !c->oom;) {
      size_t next = (size_t)c->code.items[w - 1];
      c->code.items[w - 1] = k.fuel_count ? k.fuel_count : 1;
      w = next;
    }
  }
  bind_chain(c, k.patch);
  if (k.kind == K_IF && !k.has_else) bind_chain(c, k.else_patch);
  c->ctrls.count--;
  c->stack.count = k.height;
  for (uint32_t i = 0; i < k.nresults; i++)
    push(c, k.results[i]);
}

void wg_compile_else(Compiler *c) {
  Ctrl *k = ctrl_top(c);
  CHECK(k->kind == K_IF && !k->has_else);
  if (!k->unreachable) {
    wg_compile_copy_top_to(c, k->nresults, k->base);
    emit_op(c, WG_IOP_br);
    emit_branch(c, k);
  }
  bind_chain(c, k->else_patch);
  k->else_patch = 0;
  k->has_else = true;
  k->unreachable = false;
  c->stack.count = k->height;
  for (uint32_t i = 0; i < k->nparams; i++)
    push(c, k->params[i]);
}

static void do_if(Compiler *c, Ctrl k) {
  CHECK(c->stack.count >= k.nparams + 1);
  /* Condition first: it may fuse with the compare that produced it. */
  Entry cond = *top(c);
  c->stack.count--;
  wg_compile_materialize_all(c);
  c->stack.count++;
  c->stack.items[c->stack.count - 1] = cond;
  size_t chain = 0;
  emit_cond_branch(c, true, NULL, &chain);
  k.else_patch = chain;
  enter_block(c, k);
  if (k.nparams) {
    /* The then-branch works on copies so the else-branch still finds the
     * params in place. */
    Ctrl *kk = ctrl_top(c);
    for (uint32_t i = 0; i < kk->nparams; i++) {
      Entry src = c->stack.items[kk->height + i];
      Entry *e = push(c, src.type);
      wg_compile_emit_copy(c, src.type, e->home, src.loc);
    }
  }
}

/* block and loop: a loop's head is where its back-edges jump. */
void wg_compile_block(Compiler *c, const WgInstr *in) {
  Ctrl k = { 0 };
  set_block_type(c, &k, (int64_t)in->value);
  k.kind = in->op == 0x02 ? K_BLOCK : K_LOOP;
  wg_compile_materialize_all(c);
  if (k.kind == K_LOOP) {
    /* No instruction: back-edges charge the loop's fuel. Known-zero
     * locals may be changed by a later iteration. */
    invalidate_lp(c);
    c->copy_end = (size_t)-1;
    c->incr_end = c->mul_end = (size_t)-1;
    k.loop_ip = here(c);
    if (c->zero.count) memset(c->zero.items, 0, c->zero.count);
  }
  enter_block(c, k);
  invalidate_lp(c);
}

/* A block opened in unreachable code: nothing in it is compiled, only its
 * nesting is kept (to find its `end`). */
void wg_compile_enter_dead_block(Compiler *c, const WgInstr *in) {
  Ctrl k = { 0 };
  set_block_type(c, &k, (int64_t)in->value);
  k.kind = in->op == 0x03 ? K_LOOP : in->op == 0x04 ? K_IF : K_BLOCK;
  k.unreachable = true;
  k.dead = true;
  k.height = (uint32_t)c->stack.count;
  k.base = next_home(c);
  k.fuel_owner = ctrl_top(c)->fuel_owner;
  /* A dead loop keeps a harmless fuel word target. */
  push_ctrl(c, k);
}

/* Section: the instructions */

void wg_compile_unreachable(Compiler *c) {
  emit_op(c, WG_IOP_trap);
  static const char message[] = "unreachable";
  emit(c, (uint64_t)(uintptr_t)message);
  set_unreachable(c);
}

void wg_compile_if(Compiler *c, const WgInstr *in) {
  Ctrl k = { 0 };
  set_block_type(c, &k, (int64_t)in->value);
  k.kind = K_IF;
  do_if(c, k);
}

void wg_compile_br(Compiler *c, uint32_t depth) {
  do_br(c, depth);
  set_unreachable(c);
}

void wg_compile_return(Compiler *c) {
  emit_return(c);
  set_unreachable(c);
}

void wg_compile_call(Compiler *c, uint32_t f) {
  CHECK(f < wg_module_total_funcs(c->m));
  do_call(c, f, wg_module_func_type_index(c->m, f), false, 0);
}

void wg_compile_call_indirect(Compiler *c, uint32_t type, uint32_t table) {
  do_call(c, 0, type, true, table);
}
