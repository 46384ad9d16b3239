/* SPDX-License-Identifier: Apache-2.0 */
/* The translator's driver (compile.h describes the translation): per
 * function, the frame layout of params and locals, the instruction loop
 * (dead code after a branch is skipped, keeping only block nesting), and
 * the dispatch of each instruction to its family; per module, one code
 * buffer whose code-index operands become addresses at the end. */
#include "compile.h"
#include "alloc.h"

/* 0xFC: saturating truncations, bulk memory, table instructions. */
static void compile_prefix_fc(Compiler *c, const WgInstr *in) {
  if (in->sub < 8)
    wg_compile_numeric(c, in);
  else if (in->sub <= 11)
    wg_compile_bulk_memory(c, in);
  else if (in->sub <= 17)
    wg_compile_table(c, in);
  else
    fail(c); /* unknown: rejected by the validator */
}

/* One instruction of reachable code, to the function of its file. */
static void compile_instr(Compiler *c, const WgInstr *in) {
  Ctrl *cur = ctrl_top(c);
  c->ctrls.items[cur->fuel_owner].fuel_count++;
  if (in->op >= 0x45 && in->op <= 0xC4) {
    /* numeric instructions, tested first: the jump table below predicts
     * worse (measured: 10% more mispredicted indirect branches) */
    wg_compile_numeric(c, in);
    return;
  }
  switch (in->op) {
    case 0x00:
      wg_compile_unreachable(c);
      return;
    case 0x01: /* nop */
      return;
    case 0x02: /* block */
    case 0x03: /* loop */
      wg_compile_block(c, in);
      return;
    case 0x04:
      wg_compile_if(c, in);
      return;
    case 0x05:
      wg_compile_else(c);
      return;
    case 0x0B:
      wg_compile_end(c);
      return;
    case 0x0C:
      wg_compile_br(c, in->x);
      return;
    case 0x0D:
      wg_compile_br_if(c, in->x);
      return;
    case 0x0E:
      wg_compile_br_table(c, in);
      return;
    case 0x0F:
      wg_compile_return(c);
      return;
    case 0x10:
      wg_compile_call(c, in->x);
      return;
    case 0x11:
      wg_compile_call_indirect(c, in->x, in->y);
      return;
    case 0x1A: /* drop */
      pop(c);
      invalidate_lp(c);
      return;
    case 0x1B: /* select */
    case 0x1C: /* select t* */
      wg_compile_select(c);
      return;
    case 0x20:
      wg_compile_local_get(c, in->x);
      return;
    case 0x21:
      wg_compile_local_set(c, in->x, false);
      return;
    case 0x22:
      wg_compile_local_set(c, in->x, true);
      return;
    case 0x23:
      wg_compile_global_get(c, in->x);
      return;
    case 0x24:
      wg_compile_global_set(c, in->x);
      return;
    case 0x25:
      wg_compile_table_get(c, in->x);
      return;
    case 0x26:
      wg_compile_table_set(c, in->x);
      return;
    case 0x28 ... 0x35:
      wg_compile_load(c, in);
      return;
    case 0x36 ... 0x3E:
      wg_compile_store(c, in);
      return;
    case 0x3F:
      wg_compile_memory_size(c, in->x);
      return;
    case 0x40:
      wg_compile_memory_grow(c, in->x);
      return;
    case 0x41:
      wg_compile_const(c, WG_VT_I32, (uint32_t)in->value);
      return;
    case 0x42:
      wg_compile_const(c, WG_VT_I64, in->value);
      return;
    case 0x43:
      wg_compile_const(c, WG_VT_F32, in->value);
      return;
    case 0x44:
      wg_compile_const(c, WG_VT_F64, in->value);
      return;
    case 0xD0: /* ref.null */
      wg_compile_const(c, (WgValType)in->x, 0);
      return;
    case 0xD1:
      wg_compile_ref_is_null(c);
      return;
    case 0xD2:
      wg_compile_ref_func(c, in->x);
      return;
    case 0xFC:
      compile_prefix_fc(c, in);
      return;
    case 0xFD:
      wg_compile_simd(c, in);
      return;
    default:
      fail(c); /* unknown: rejected by the validator */
      return;
  }
}

static WgStatus compile_func(Compiler *c, uint32_t index) {
  const WgFunc *fn = &c->m->funcs[index];
  const WgFuncType *ft = &c->m->types[fn->type_index];
  WgCode *code = &c->mod->codes[index];

  c->local_slot.count = c->local_type.count = 0;
  c->stack.count = c->ctrls.count = 0;
  c->starts.count = 0;
  uint32_t slot = 0;
  for (uint32_t i = 0; i < ft->param_count; i++) {
    WgValType t = WG_FUNCTYPE_PARAMS(ft)[i];
    if (!wg_vec_push(&c->local_slot, slot) || !wg_vec_push(&c->local_type, t))
      return WG_ERR_NOMEM;
    slot += wg_slots_of(t);
  }
  code->param_slots = slot;
  for (uint32_t r = 0; r < fn->local_run_count; r++) {
    const WgLocalRun *run = &fn->local_runs[r];
    for (uint32_t i = 0; i < run->count; i++) {
      if (!wg_vec_push(&c->local_slot, slot) ||
          !wg_vec_push(&c->local_type, run->type))
        return WG_ERR_NOMEM;
      slot += wg_slots_of(run->type);
    }
  }
  code->local_slots = slot - code->param_slots;
  c->zero.count = 0;
  for (size_t i = 0; i < c->local_type.count; i++)
    if (!wg_vec_push(&c->zero, i >= ft->param_count)) return WG_ERR_NOMEM;
  uint32_t result_slots = 0;
  for (uint32_t i = 0; i < ft->result_count; i++)
    result_slots += wg_slots_of(WG_FUNCTYPE_RESULTS(ft)[i]);
  code->result_slots = result_slots;
  code->type_index = fn->type_index;
  c->temp_base = slot;
  c->copy_end = (size_t)-1;
  c->incr_end = c->mul_end = (size_t)-1;
  c->max_slot = slot > result_slots ? slot : result_slots;
  invalidate_lp(c);

  Ctrl f = { 0 };
  f.kind = K_FUNC;
  f.nresults = ft->result_count;
  f.results = WG_FUNCTYPE_RESULTS(ft);
  f.base = 0;
  f.fuel_owner = 0;
  push_ctrl(c, f);

  size_t entry = here(c);
  c->p = fn->code;
  c->end = fn->code + fn->code_len;
  while (c->p < c->end && c->ctrls.count > 0 && !c->oom) {
    WgInstr in;
    if (wg_instr_read(&c->p, c->end, c->m->features, &in) != WG_INSTR_OK) {
      fail(c); /* rejected by the decoder */
      break;
    }
    Ctrl *k = ctrl_top(c);
    if (k->unreachable && in.op != 0x05 && in.op != 0x0B) {
      /* nothing after a br, return or unreachable runs: only the nesting
       * of blocks is followed */
      if (in.op >= 0x02 && in.op <= 0x04) wg_compile_enter_dead_block(c, &in);
      continue;
    }
    if (k->dead) {
      /* else/end of a block that lies entirely in dead code */
      if (in.op == 0x0B) c->ctrls.count--;
      continue;
    }
    compile_instr(c, &in);
  }
  if (c->oom) return WG_ERR_NOMEM;
  if (c->invalid || c->ctrls.count != 0) return WG_ERR_INVALID;
  wg_compile_fuse_pairs(c);
  code->fuel_cost = c->func_fuel ? c->func_fuel : 1;
  code->frame_slots = c->max_slot + 2;
  code->entry = (const uint64_t *)(uintptr_t)entry; /* index until reloc */
  return WG_OK;
}

WgStatus wg_compile_module(WgWasmModule *mod, WgDiagList *diags) {
  const WgModule *m = mod->m;
  WgAllocator a = mod->engine->alloc;
  Compiler c = { 0 };
  c.mod = mod;
  c.m = m;
  c.handlers = wg_interp_handlers();
  PairIndex pairs;
  wg_compile_pair_index_init(&pairs);
  c.pairs = &pairs;
  WgStatus st = WG_OK;
  if (m->func_count) {
    mod->codes = wg_alloc_zeroed(a, sizeof(WgCode) * m->func_count);
    if (!mod->codes) {
      st = WG_ERR_NOMEM;
      goto done;
    }
  }
  size_t total = 0;
  for (uint32_t i = 0; i < m->func_count; i++)
    total += m->funcs[i].code_len;
  c.alloc = a;
  /* About 6 output bytes per input byte: one word per input byte is a
   * little more than enough and avoids regrowing. */
  if (!wg_compile_code_grow(&c, total + 64)) {
    st = WG_ERR_NOMEM;
    goto done;
  }
  for (uint32_t i = 0; i < m->func_count && st == WG_OK; i++) {
    st = compile_func(&c, i);
  }
  if (st != WG_OK) goto done;
  /* Move the code to its final place and resolve code-index operands. */
  mod->code_words = c.code.count;
  mod->code = wg_realloc(a, c.code.items, sizeof(uint64_t) * c.code.cap,
                         sizeof(uint64_t) * (c.code.count + 1));
  if (!mod->code) {
    st = WG_ERR_NOMEM;
    goto done;
  }
  c.code.items = NULL;
  c.code.cap = 0;
  for (size_t i = 0; i < c.relocs.count; i++) {
    size_t w = c.relocs.items[i];
    mod->code[w] = (uint64_t)(uintptr_t)(mod->code + mod->code[w]);
  }
  for (uint32_t i = 0; i < m->func_count; i++)
    mod->codes[i].entry = mod->code + (uintptr_t)mod->codes[i].entry;
done:
  if (st == WG_ERR_INVALID)
    wg_rt_fail(diags, st, "invalid function body (rejected by the compiler)");
  else if (st != WG_OK)
    wg_rt_fail(diags, st, "out of memory while compiling");
  if (c.code.items) wg_free(a, c.code.items, sizeof(uint64_t) * c.code.cap);
  wg_vec_free(&c.relocs);
  wg_vec_free(&c.starts);
  wg_vec_free(&c.stack);
  wg_vec_free(&c.ctrls);
  wg_vec_free(&c.local_slot);
  wg_vec_free(&c.local_type);
  wg_vec_free(&c.zero);
  return st;
}
