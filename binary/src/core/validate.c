/* SPDX-License-Identifier: Apache-2.0 */
/* Validation of decoded modules (spec: 3 Validation), with the operand and
 * control stack algorithm of the spec's appendix for function bodies.
 * Messages follow the reference interpreter ("type mismatch", "unknown
 * local 3", ...) and the instruction at fault as the error's offset.
 * Instructions are read with wg_instr_read(). Linear in the size of the
 * code; the two stacks are reused across functions. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "core/validate_ops.h"
#include "hash.h"
#include "witgen/core_module.h"

/* The "bottom" type of unreachable code. */
#define VT_UNKNOWN ((WgValType)0)

typedef struct Ctrl {
  uint8_t opcode; /* 0x02 block, 0x03 loop, 0x04 if, 0x05 else, 0 func */
  uint32_t start_count, end_count;
  const WgValType *start_types, *end_types; /* static or module storage */
  size_t height;
  bool unreachable;
} Ctrl;

/* Storage for one-value block types, so frames never point into
 * themselves (the control stack may move when it grows). */
static const WgValType k_single[] = { WG_VT_I32,      WG_VT_I64,  WG_VT_F32,
                                      WG_VT_F64,      WG_VT_V128, WG_VT_FUNCREF,
                                      WG_VT_EXTERNREF };

static const WgValType *single_type(uint8_t b) {
  for (size_t i = 0; i < sizeof k_single / sizeof *k_single; i++) {
    if (k_single[i] == b) return &k_single[i];
  }
  return NULL;
}

typedef struct V {
  WgModule *m;
  WgDiagList *diags;      /* receives the first error */
  WgStatus status;        /* of the first error; WG_OK until then */
  const uint8_t *p, *end; /* the code being validated */
  const uint8_t *at;      /* where errors are: the instruction at fault */
  uint8_t *vals;          /* operand stack of WgValType (VT_UNKNOWN allowed) */
  size_t nvals, cap_vals;
  Ctrl *ctrls;
  size_t nctrls, cap_ctrls;
  /* locals of the current function: its parameters, then its runs of
   * declared locals, found by binary search in their cumulative ends (so
   * a few bytes declaring many locals cost no time here) */
  const WgValType *params;
  uint32_t nparams, nlocals;
  const WgLocalRun *runs;
  uint32_t nruns;
  uint32_t *run_ends; /* reused across functions */
  size_t cap_run_ends;
  uint32_t total_funcs, total_tables, total_mems, total_globals;
} V;

/* Records the first error (later ones are consequences) at the current
 * position and returns false. */
__attribute__((format(printf, 2, 3))) static bool fail(V *v, const char *fmt,
                                                       ...) {
  if (v->status != WG_OK) return false;
  v->status = WG_ERR_INVALID;
  if (v->diags) {
    char message[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    wg_diag_list_add_at(v->diags, WG_ERR_INVALID,
                        (uint64_t)(v->at - v->m->binary), "%s", message);
  }
  return false;
}

static bool nomem(V *v) {
  if (v->status != WG_OK) return false;
  v->status = WG_ERR_NOMEM;
  wg_diag_list_add_at(v->diags, WG_ERR_NOMEM, (uint64_t)(v->at - v->m->binary),
                      "out of memory");
  return false;
}

/* ---- operand stack ----------------------------------------------------- */

static bool push(V *v, WgValType t) {
  if (v->nvals == v->cap_vals) {
    size_t cap = v->cap_vals ? v->cap_vals * 2 : 64;
    uint8_t *n = realloc(v->vals, cap);
    if (!n) return nomem(v);
    v->vals = n;
    v->cap_vals = cap;
  }
  v->vals[v->nvals++] = (uint8_t)t;
  return true;
}

/* Pops one value; *out is VT_UNKNOWN in unreachable code. */
static bool pop_any(V *v, WgValType *out) {
  Ctrl *c = &v->ctrls[v->nctrls - 1];
  *out = VT_UNKNOWN;
  if (v->nvals == c->height) {
    if (c->unreachable) {
      *out = (WgValType)VT_UNKNOWN;
      return true;
    }
    return fail(v, "type mismatch");
  }
  *out = (WgValType)v->vals[--v->nvals];
  return true;
}

static bool pop(V *v, WgValType expect) {
  WgValType got;
  if (!pop_any(v, &got)) return false;
  if (got != expect && got != VT_UNKNOWN && expect != VT_UNKNOWN) {
    return fail(v, "type mismatch");
  }
  return true;
}

static bool pop_n(V *v, const WgValType *types, uint32_t n) {
  for (uint32_t i = n; i-- > 0;) {
    if (!pop(v, types[i])) return false;
  }
  return true;
}

static bool push_n(V *v, const WgValType *types, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    if (!push(v, types[i])) return false;
  }
  return true;
}

static bool push_ctrl(V *v, uint8_t opcode, const WgValType *in, uint32_t nin,
                      const WgValType *out, uint32_t nout) {
  if (v->nctrls == v->cap_ctrls) {
    size_t cap = v->cap_ctrls ? v->cap_ctrls * 2 : 16;
    Ctrl *n = realloc(v->ctrls, cap * sizeof *n);
    if (!n) return nomem(v);
    v->ctrls = n;
    v->cap_ctrls = cap;
  }
  Ctrl *c = &v->ctrls[v->nctrls++];
  *c = (Ctrl){ opcode, nin, nout, in, out, v->nvals, false };
  return push_n(v, in, nin);
}

/* Labels branch to the start types of a loop, the end types otherwise. */
static void label_types(const Ctrl *c, const WgValType **types, uint32_t *n) {
  if (c->opcode == 0x03) {
    *types = c->start_types;
    *n = c->start_count;
  } else {
    *types = c->end_types;
    *n = c->end_count;
  }
}

static bool pop_ctrl(V *v, Ctrl *out) {
  Ctrl *c = &v->ctrls[v->nctrls - 1];
  if (!pop_n(v, c->end_types, c->end_count)) return false;
  if (v->nvals != c->height) return fail(v, "type mismatch");
  *out = *c;
  v->nctrls--;
  return true;
}

static void set_unreachable(V *v) {
  Ctrl *c = &v->ctrls[v->nctrls - 1];
  v->nvals = c->height;
  c->unreachable = true;
}

/* ---- immediates -------------------------------------------------------- */

static bool local_type(V *v, uint32_t index, WgValType *out) {
  if (index >= v->nlocals) return fail(v, "unknown local %u", index);
  if (index < v->nparams) {
    *out = v->params[index];
    return true;
  }
  uint32_t k = index - v->nparams;
  size_t lo = 0, hi = v->nruns;
  while (lo < hi) { /* first run ending after k */
    size_t mid = lo + (hi - lo) / 2;
    if (v->run_ends[mid] <= k) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  *out = v->runs[lo].type;
  return true;
}

static bool check_func(V *v, uint32_t index) {
  return index < v->total_funcs || fail(v, "unknown function %u", index);
}

static bool check_table(V *v, uint32_t index) {
  return index < v->total_tables || fail(v, "unknown table %u", index);
}

static bool check_memory(V *v, uint32_t index) {
  return index < v->total_mems || fail(v, "unknown memory %u", index);
}

static bool check_type(V *v, uint32_t index) {
  return index < v->m->type_count || fail(v, "unknown type %u", index);
}

static bool memarg(V *v, const WgInstr *in, uint32_t natural_log2) {
  if (!check_memory(v, in->x)) return false;
  if (in->align > natural_log2) {
    return fail(v, "alignment must not be larger than natural");
  }
  return true;
}

/* The types of block type `bt` (WgInstr's s33 form). */
static bool block_type(V *v, int64_t bt, const WgValType **in, uint32_t *nin,
                       const WgValType **out, uint32_t *nout) {
  *in = *out = NULL;
  *nin = *nout = 0;
  if (bt == -64) return true; /* empty */
  if (bt < 0) {
    *out = single_type((uint8_t)(bt & 0x7f));
    *nout = 1;
    return *out != NULL || fail(v, "malformed value type");
  }
  int64_t index = bt;
  if (index >= v->m->type_count) {
    return fail(v, "unknown type %lld", (long long)index);
  }
  const WgFuncType *ft = &v->m->types[index];
  *in = WG_FUNCTYPE_PARAMS(ft);
  *nin = ft->param_count;
  *out = WG_FUNCTYPE_RESULTS(ft);
  *nout = ft->result_count;
  return true;
}

/* ---- instructions ------------------------------------------------------ */

static bool branch_to(V *v, uint32_t label, bool conditional) {
  if (label >= v->nctrls) return fail(v, "unknown label %u", label);
  const Ctrl *target = &v->ctrls[v->nctrls - 1 - label];
  const WgValType *types;
  uint32_t n;
  label_types(target, &types, &n);
  if (!pop_n(v, types, n)) return false;
  if (conditional) return push_n(v, types, n);
  set_unreachable(v);
  return true;
}

static bool br_table(V *v, const WgInstr *in) {
  uint32_t count = in->count;
  if (!pop(v, WG_VT_I32)) return false;
  /* all targets need the same arity; each target's types are checked
   * against the stack without consuming it (spec appendix) */
  const uint8_t *q = in->bytes;
  for (uint32_t i = 0; i < count; i++)
    (void)wg_instr_next_label(&q);
  uint32_t default_label = wg_instr_next_label(&q);
  if (default_label >= v->nctrls) {
    return fail(v, "unknown label %u", default_label);
  }
  const WgValType *dtypes;
  uint32_t arity;
  label_types(&v->ctrls[v->nctrls - 1 - default_label], &dtypes, &arity);
  q = in->bytes;
  for (uint32_t i = 0; i < count; i++) {
    uint32_t l = wg_instr_next_label(&q);
    if (l >= v->nctrls) return fail(v, "unknown label %u", l);
    const WgValType *types;
    uint32_t n;
    label_types(&v->ctrls[v->nctrls - 1 - l], &types, &n);
    if (n != arity) return fail(v, "type mismatch");
    /* pop and re-push the label's types, keeping unknowns as found */
    size_t save = v->nvals;
    for (uint32_t k = n; k-- > 0;) {
      if (!pop(v, types[k])) return false;
    }
    v->nvals = save;
    /* in unreachable code the pops may have reached below the frame:
     * restore the count; the values themselves were untouched */
  }
  if (!pop_n(v, dtypes, arity)) return false;
  set_unreachable(v);
  return true;
}

static bool call_type(V *v, const WgFuncType *ft) {
  return pop_n(v, WG_FUNCTYPE_PARAMS(ft), ft->param_count) &&
         push_n(v, WG_FUNCTYPE_RESULTS(ft), ft->result_count);
}

/* select (typed: with its types `in`, else NULL). */
static bool select_op(V *v, const WgInstr *typed) {
  WgValType t = (WgValType)VT_UNKNOWN;
  if (typed) {
    if (typed->count != 1) return fail(v, "invalid result arity");
    t = (WgValType)typed->bytes[0];
    if (!pop(v, WG_VT_I32) || !pop(v, t) || !pop(v, t)) return false;
    return push(v, t);
  }
  WgValType a, b;
  if (!pop(v, WG_VT_I32) || !pop_any(v, &a) || !pop_any(v, &b)) return false;
  /* untyped select: numeric or vector operands only */
  if (wg_valtype_is_ref(a) || wg_valtype_is_ref(b)) {
    return fail(v, "type mismatch");
  }
  if (a != VT_UNKNOWN && b != VT_UNKNOWN && a != b) {
    return fail(v, "type mismatch");
  }
  return push(v, a == VT_UNKNOWN ? b : a);
}

static bool misc_op(V *v, const WgInstr *in) {
  uint32_t a = in->x, b = in->y;
  WgModule *m = v->m;
  switch (in->sub) {
    case 0:
    case 1:
      return pop(v, WG_VT_F32) && push(v, WG_VT_I32);
    case 2:
    case 3:
      return pop(v, WG_VT_F64) && push(v, WG_VT_I32);
    case 4:
    case 5:
      return pop(v, WG_VT_F32) && push(v, WG_VT_I64);
    case 6:
    case 7:
      return pop(v, WG_VT_F64) && push(v, WG_VT_I64);
    case 8: /* memory.init data memory */
      if (!check_memory(v, b)) return false;
      if (!m->has_data_count || a >= m->data_count) {
        return fail(v, "unknown data segment %u", a);
      }
      return pop(v, WG_VT_I32) && pop(v, WG_VT_I32) && pop(v, WG_VT_I32);
    case 9: /* data.drop */
      if (!m->has_data_count || a >= m->data_count) {
        return fail(v, "unknown data segment %u", a);
      }
      return true;
    case 10: /* memory.copy dst src */
      if (!check_memory(v, a) || !check_memory(v, b)) return false;
      return pop(v, WG_VT_I32) && pop(v, WG_VT_I32) && pop(v, WG_VT_I32);
    case 11: /* memory.fill */
      if (!check_memory(v, a)) return false;
      return pop(v, WG_VT_I32) && pop(v, WG_VT_I32) && pop(v, WG_VT_I32);
    case 12: { /* table.init elem table */
      if (!check_table(v, b)) return false;
      if (a >= m->elem_count) return fail(v, "unknown elem segment %u", a);
      if (m->elems[a].type != wg_module_table_type(m, b)->elem) {
        return fail(v, "type mismatch");
      }
      return pop(v, WG_VT_I32) && pop(v, WG_VT_I32) && pop(v, WG_VT_I32);
    }
    case 13: /* elem.drop */
      return a < m->elem_count || fail(v, "unknown elem segment %u", a);
    case 14: { /* table.copy dst src */
      if (!check_table(v, a) || !check_table(v, b)) return false;
      if (wg_module_table_type(m, a)->elem !=
          wg_module_table_type(m, b)->elem) {
        return fail(v, "type mismatch");
      }
      return pop(v, WG_VT_I32) && pop(v, WG_VT_I32) && pop(v, WG_VT_I32);
    }
    case 15: { /* table.grow */
      if (!check_table(v, a)) return false;
      WgValType t = wg_module_table_type(m, a)->elem;
      return pop(v, WG_VT_I32) && pop(v, t) && push(v, WG_VT_I32);
    }
    case 16: /* table.size */
      if (!check_table(v, a)) return false;
      return push(v, WG_VT_I32);
    case 17: { /* table.fill */
      if (!check_table(v, a)) return false;
      WgValType t = wg_module_table_type(m, a)->elem;
      return pop(v, WG_VT_I32) && pop(v, t) && pop(v, WG_VT_I32);
    }
    default:
      return fail(v, "illegal opcode");
  }
}

static bool simd_op(V *v, const WgInstr *in) {
  const WgSimdSig *s = wg_simd_sig(in->sub);
  if (!s) return fail(v, "illegal opcode");
  if (s->mem_align != 0xff && !memarg(v, in, s->mem_align)) return false;
  if (in->imm == WG_IMM_SHUFFLE) { /* 16 lane indices below 32 */
    for (int i = 0; i < 16; i++) {
      if (in->bytes[i] >= 32) return fail(v, "invalid lane index");
    }
  }
  if (s->lanes && in->lane >= s->lanes) return fail(v, "invalid lane index");
  for (int i = s->nparams; i-- > 0;) {
    if (!pop(v, (WgValType)s->params[i])) return false;
  }
  return !s->result || push(v, (WgValType)s->result);
}

static bool global_type(V *v, uint32_t index, const WgGlobalType **out) {
  if (index >= v->total_globals) return fail(v, "unknown global %u", index);
  *out = wg_module_global_type(v->m, index);
  return true;
}

/* block, loop, if: the block type's params are popped into the frame. */
static bool block_op(V *v, const WgInstr *in) {
  const WgValType *params, *results;
  uint32_t nparams, nresults;
  if (!block_type(v, (int64_t)in->value, &params, &nparams, &results,
                  &nresults))
    return false;
  if (in->op == 0x04 && !pop(v, WG_VT_I32)) return false;
  return pop_n(v, params, nparams) &&
         push_ctrl(v, in->op, params, nparams, results, nresults);
}

static bool else_op(V *v) {
  Ctrl c;
  if (v->ctrls[v->nctrls - 1].opcode != 0x04) return fail(v, "type mismatch");
  return pop_ctrl(v, &c) && push_ctrl(v, 0x05, c.start_types, c.start_count,
                                      c.end_types, c.end_count);
}

static bool end_op(V *v) {
  Ctrl c;
  if (!pop_ctrl(v, &c)) return false;
  /* an `if` without `else` must have matching input and output */
  if (c.opcode == 0x04) {
    if (c.start_count != c.end_count) return fail(v, "type mismatch");
    for (uint32_t i = 0; i < c.start_count; i++) {
      if (c.start_types[i] != c.end_types[i]) return fail(v, "type mismatch");
    }
  }
  return v->nctrls == 0 || push_n(v, c.end_types, c.end_count);
}

static bool call_op(V *v, const WgInstr *in) {
  WgModule *m = v->m;
  if (in->op == 0x10) { /* call */
    if (!check_func(v, in->x)) return false;
    uint32_t ti = wg_module_func_type_index(m, in->x);
    return check_type(v, ti) && call_type(v, &m->types[ti]);
  }
  /* call_indirect type table */
  if (!check_table(v, in->y) || !check_type(v, in->x)) return false;
  if (wg_module_table_type(m, in->y)->elem != WG_VT_FUNCREF)
    return fail(v, "type mismatch");
  return pop(v, WG_VT_I32) && call_type(v, &m->types[in->x]);
}

/* local.*, global.*, table.get / set. */
static bool variable_op(V *v, const WgInstr *in) {
  uint32_t a = in->x;
  WgValType t = VT_UNKNOWN;
  const WgGlobalType *g = NULL;
  switch (in->op) {
    case 0x20:
      return local_type(v, a, &t) && push(v, t);
    case 0x21:
      return local_type(v, a, &t) && pop(v, t);
    case 0x22:
      return local_type(v, a, &t) && pop(v, t) && push(v, t);
    case 0x23:
      return global_type(v, a, &g) && push(v, g->type);
    case 0x24:
      if (!global_type(v, a, &g)) return false;
      if (!g->mutable_) return fail(v, "global is immutable");
      return pop(v, g->type);
    case 0x25:
      return check_table(v, a) && pop(v, WG_VT_I32) &&
             push(v, wg_module_table_type(v->m, a)->elem);
    default: /* 0x26 */
      return check_table(v, a) && pop(v, wg_module_table_type(v->m, a)->elem) &&
             pop(v, WG_VT_I32);
  }
}

/* ref.null, ref.is_null, ref.func. */
static bool reference_op(V *v, const WgInstr *in) {
  WgValType t;
  switch (in->op) {
    case 0xd0:
      return push(v, (WgValType)in->x);
    case 0xd1:
      if (!pop_any(v, &t)) return false;
      if (t != VT_UNKNOWN && !wg_valtype_is_ref(t))
        return fail(v, "type mismatch");
      return push(v, WG_VT_I32);
    default: /* 0xd2 */
      if (!check_func(v, in->x)) return false;
      if (!v->m->func_declared[in->x])
        return fail(v, "undeclared function reference");
      return push(v, WG_VT_FUNCREF);
  }
}

/* An instruction whose operand types are fixed (validate_ops.h): loads,
 * stores, numeric instructions. */
static bool fixed_op(V *v, const WgInstr *in) {
  const WgOpSig *s = wg_op_sig(in->op);
  if (!s) return fail(v, "illegal opcode");
  if (s->mem_align != 0xff && !memarg(v, in, s->mem_align)) return false;
  for (int i = s->nparams; i-- > 0;) {
    if (!pop(v, (WgValType)s->params[i])) return false;
  }
  return !s->result || push(v, (WgValType)s->result);
}

/* One instruction. */
static bool validate_instr(V *v, const WgInstr *in) {
  WgValType t;
  switch (in->op) {
    case 0x00: /* unreachable */
      set_unreachable(v);
      return true;
    case 0x01: /* nop */
      return true;
    case 0x02:
    case 0x03:
    case 0x04:
      return block_op(v, in);
    case 0x05:
      return else_op(v);
    case 0x0b:
      return end_op(v);
    case 0x0c:
      return branch_to(v, in->x, false);
    case 0x0d:
      return pop(v, WG_VT_I32) && branch_to(v, in->x, true);
    case 0x0e:
      return br_table(v, in);
    case 0x0f: /* return */
      if (!pop_n(v, v->ctrls[0].end_types, v->ctrls[0].end_count)) return false;
      set_unreachable(v);
      return true;
    case 0x10:
    case 0x11:
      return call_op(v, in);
    case 0x1a: /* drop */
      return pop_any(v, &t);
    case 0x1b:
      return select_op(v, NULL);
    case 0x1c:
      return select_op(v, in);
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
      return variable_op(v, in);
    case 0x3f: /* memory.size */
      return check_memory(v, in->x) && push(v, WG_VT_I32);
    case 0x40: /* memory.grow */
      return check_memory(v, in->x) && pop(v, WG_VT_I32) && push(v, WG_VT_I32);
    case 0x41:
      return push(v, WG_VT_I32);
    case 0x42:
      return push(v, WG_VT_I64);
    case 0x43:
      return push(v, WG_VT_F32);
    case 0x44:
      return push(v, WG_VT_F64);
    case 0xd0:
    case 0xd1:
    case 0xd2:
      return reference_op(v, in);
    case 0xfc:
      return misc_op(v, in);
    case 0xfd:
      return simd_op(v, in);
    default:
      return fixed_op(v, in);
  }
}

/* Prepares the locals of function `f` (its parameters, then its runs of
 * declared locals) and the stacks, with the function's frame open. */
static bool enter_function(V *v, const WgFunc *f) {
  WgModule *m = v->m;
  v->at = f->code;
  if (f->type_index >= m->type_count) {
    return fail(v, "unknown type %u", f->type_index);
  }
  const WgFuncType *ft = &m->types[f->type_index];
  if (f->local_run_count > v->cap_run_ends) {
    size_t cap = f->local_run_count * 2u;
    uint32_t *n = realloc(v->run_ends, cap * sizeof *n);
    if (!n) return nomem(v);
    v->run_ends = n;
    v->cap_run_ends = cap;
  }
  uint64_t total = ft->param_count;
  for (uint32_t r = 0, end = 0; r < f->local_run_count; r++) {
    end += f->local_runs[r].count;
    v->run_ends[r] = end;
    total += f->local_runs[r].count;
  }
  if (total > UINT32_MAX) return fail(v, "too many locals");
  v->params = ft->types;
  v->nparams = ft->param_count;
  v->nlocals = (uint32_t)total;
  v->runs = f->local_runs;
  v->nruns = f->local_run_count;
  v->p = v->at = f->code;
  v->end = f->code + f->code_len;
  v->nvals = v->nctrls = 0;
  return push_ctrl(v, 0, NULL, 0, WG_FUNCTYPE_RESULTS(ft), ft->result_count);
}

/* Validates the body of defined function `fi`. */
static bool validate_function(V *v, uint32_t fi) {
  bool ok = enter_function(v, &v->m->funcs[fi]);
  while (ok && v->nctrls > 0) {
    WgInstr in;
    v->at = v->p;
    /* well formed: the decoder read it */
    (void)wg_instr_read(&v->p, v->end, v->m->features, &in);
    ok = validate_instr(v, &in);
  }
  return ok;
}

/* ---- constant expressions ---------------------------------------------- */

/* Validates a constant expression producing `expect`. `globals_limit`:
 * how many globals it may read: in wasm 2.0 constant expressions see only
 * imported globals. */
static bool const_expr(V *v, const WgConstExpr *e, WgValType expect,
                       uint32_t globals_limit) {
  v->p = v->at = e->code;
  v->end = e->code + e->len;
  WgValType got = (WgValType)VT_UNKNOWN;
  uint32_t count = 0;
  for (;;) {
    WgInstr in;
    v->at = v->p;
    (void)wg_instr_read(&v->p, v->end, v->m->features,
                        &in); /* well formed: decoded */
    if (in.op == 0x0b) break;
    count++;
    switch (in.op) {
      case 0x41:
        got = WG_VT_I32;
        break;
      case 0x42:
        got = WG_VT_I64;
        break;
      case 0x43:
        got = WG_VT_F32;
        break;
      case 0x44:
        got = WG_VT_F64;
        break;
      case 0xd0:
        got = (WgValType)in.x;
        break;
      case 0xd2:
        if (!check_func(v, in.x)) return false;
        got = WG_VT_FUNCREF;
        break;
      case 0x23: {
        if (in.x >= globals_limit) return fail(v, "unknown global %u", in.x);
        const WgGlobalType *g = wg_module_global_type(v->m, in.x);
        if (g->mutable_) return fail(v, "constant expression required");
        got = g->type;
        break;
      }
      case 0xfd:
        if (in.sub != 0x0c) return fail(v, "constant expression required");
        got = WG_VT_V128;
        break;
      default:
        return fail(v, "constant expression required");
    }
  }
  if (count != 1 || got != expect) return fail(v, "type mismatch");
  return true;
}

/* ---- module ------------------------------------------------------------ */

static bool limits_ok(V *v, const WgLimits *l, uint64_t bound,
                      const char *too_big) {
  if (l->min > bound || (l->has_max && l->max > bound)) {
    return fail(v, "%s", too_big);
  }
  if (l->has_max && l->min > l->max) {
    return fail(v, "size minimum must not be greater than maximum");
  }
  return true;
}

static void declare(V *v, uint32_t f) {
  if (f < v->total_funcs) v->m->func_declared[f] = true;
}

/* Functions referenced outside function bodies may be used by ref.func. */
static void scan_refs(V *v, const WgConstExpr *e) {
  const uint8_t *p = e->code, *end = e->code + e->len;
  WgInstr in;
  while (wg_instr_read(&p, end, v->m->features, &in) == WG_INSTR_OK &&
         in.op == 0xd2)
    declare(v, in.x); /* other constant forms reference no function */
}

/* Export names are unique: one hash set over the names, linear time. */
static bool unique_export_names(V *v) {
  const WgModule *m = v->m;
  if (m->export_count < 2) return true;
  size_t cap = 4;
  while (cap < (size_t)m->export_count * 2)
    cap *= 2;
  uint32_t *slots = malloc(cap * sizeof *slots); /* export index + 1 */
  if (!slots) return nomem(v);
  memset(slots, 0, cap * sizeof *slots);
  bool ok = true;
  for (uint32_t i = 0; ok && i < m->export_count; i++) {
    WgStr name = m->exports[i].name;
    size_t at = (size_t)wg_hash_str(name) & (cap - 1);
    while (slots[at] && !wg_str_eq(m->exports[slots[at] - 1].name, name)) {
      at = (at + 1) & (cap - 1);
    }
    if (slots[at]) {
      ok = fail(v, "duplicate export name");
    } else {
      slots[at] = i + 1;
    }
  }
  free(slots);
  return ok;
}

WgStatus wg_module_validate(WgModule *m, WgDiagList *diags) {
  V v = { 0 };
  v.m = m;
  v.diags = diags;
  v.p = v.at = m->binary; /* module-level errors: offset 0 */
  v.total_funcs = wg_module_total_funcs(m);
  v.total_tables = wg_module_total_tables(m);
  v.total_mems = wg_module_total_memories(m);
  v.total_globals = wg_module_total_globals(m);
  bool ok = true;
  m->func_declared = wg_arena_zalloc(m->arena, v.total_funcs + 1);
  if (!m->func_declared) ok = nomem(&v);

  for (uint32_t i = 0; ok && i < m->import_count; i++) {
    const WgImport *im = &m->imports[i];
    if (im->kind == WG_EXTERN_FUNC) ok = check_type(&v, im->desc.func_type);
    if (im->kind == WG_EXTERN_TABLE) {
      ok = limits_ok(&v, &im->desc.table.limits, UINT32_MAX,
                     "table size must be at most 2^32-1");
    }
    if (im->kind == WG_EXTERN_MEMORY) {
      ok = limits_ok(&v, &im->desc.memory.limits, 65536,
                     "memory size must be at most 65536 pages (4GiB)");
    }
  }
  for (uint32_t i = 0; ok && i < m->func_count; i++) {
    ok = check_type(&v, m->funcs[i].type_index);
  }
  for (uint32_t i = 0; ok && i < m->table_count; i++) {
    ok = limits_ok(&v, &m->tables[i].limits, UINT32_MAX,
                   "table size must be at most 2^32-1");
  }
  if (ok && v.total_mems > 1 && !(m->features & WG_FEATURE_MULTI_MEMORY))
    ok = fail(&v, "multiple memories");
  for (uint32_t i = 0; ok && i < m->memory_count; i++) {
    ok = limits_ok(&v, &m->memories[i].limits, 65536,
                   "memory size must be at most 65536 pages (4GiB)");
  }
  /* C.refs: functions named in globals, elements and exports */
  for (uint32_t i = 0; ok && i < m->global_count; i++) {
    scan_refs(&v, &m->globals[i].init);
  }
  for (uint32_t i = 0; ok && i < m->elem_count; i++) {
    const WgElemSegment *s = &m->elems[i];
    for (uint32_t k = 0; k < s->count; k++) {
      if (s->func_indices) declare(&v, s->func_indices[k]);
      if (s->exprs) scan_refs(&v, &s->exprs[k]);
    }
  }
  for (uint32_t i = 0; ok && i < m->export_count; i++) {
    if (m->exports[i].kind == WG_EXTERN_FUNC) declare(&v, m->exports[i].index);
  }
  for (uint32_t i = 0; ok && i < m->global_count; i++) {
    ok = const_expr(&v, &m->globals[i].init, m->globals[i].type.type,
                    m->global_import_count);
  }
  for (uint32_t i = 0; ok && i < m->elem_count; i++) {
    const WgElemSegment *s = &m->elems[i];
    if (s->mode == WG_SEGMENT_ACTIVE) {
      ok = check_table(&v, s->table) &&
           const_expr(&v, &s->offset, WG_VT_I32, m->global_import_count);
      if (ok && wg_module_table_type(m, s->table)->elem != s->type) {
        ok = fail(&v, "type mismatch");
      }
    }
    for (uint32_t k = 0; ok && k < s->count; k++) {
      if (s->func_indices) ok = check_func(&v, s->func_indices[k]);
      if (s->exprs) {
        ok = const_expr(&v, &s->exprs[k], s->type, m->global_import_count);
      }
    }
  }
  for (uint32_t i = 0; ok && i < m->data_segment_count; i++) {
    const WgDataSegment *s = &m->datas[i];
    if (s->mode == WG_SEGMENT_ACTIVE) {
      ok = check_memory(&v, s->memory) &&
           const_expr(&v, &s->offset, WG_VT_I32, m->global_import_count);
    }
  }
  if (ok && m->has_start) {
    ok = check_func(&v, m->start);
    if (ok) {
      const WgFuncType *ft = &m->types[wg_module_func_type_index(m, m->start)];
      if (ft->param_count || ft->result_count) ok = fail(&v, "start function");
    }
  }
  for (uint32_t i = 0; ok && i < m->export_count; i++) {
    const WgExport *e = &m->exports[i];
    switch (e->kind) {
      case WG_EXTERN_FUNC:
        ok = check_func(&v, e->index);
        break;
      case WG_EXTERN_TABLE:
        ok = check_table(&v, e->index);
        break;
      case WG_EXTERN_MEMORY:
        ok = check_memory(&v, e->index);
        break;
      case WG_EXTERN_GLOBAL:
        ok = e->index < v.total_globals ||
             fail(&v, "unknown global %u", e->index);
        break;
      default:
        ok = fail(&v, "malformed export kind");
    }
  }
  if (ok) ok = unique_export_names(&v);
  for (uint32_t i = 0; ok && i < m->func_count; i++) {
    ok = validate_function(&v, i);
  }
  free(v.vals);
  free(v.ctrls);
  free(v.run_ends);
  if (ok) return WG_OK;
  return v.status != WG_OK ? v.status : WG_ERR_INVALID;
}
