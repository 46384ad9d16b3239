/* SPDX-License-Identifier: Apache-2.0 */
/* Translates validated function bodies into threaded register code (see
 * iops.h), in one linear pass per function.
 *
 * The wasm operand stack is mapped onto fixed frame slots: stack entry i
 * lives in its "home" slot (locals first, then temporaries by position).
 * local.get does not copy: it pushes an alias naming the local's slot, which
 * is materialised only when the local is overwritten or at a control-flow
 * merge. An instruction whose result is immediately stored with local.set
 * gets the local as its destination. Branches copy their values into the
 * target label's slots at compile-time-known positions, so the interpreter
 * never searches a control stack. Small fusions: i32.add/sub with a
 * constant, and i32 compare + br_if / if.
 *
 * The input is trusted (validated); only allocation can fail.
 */
#include <string.h>

#include "alloc.h"
#include "iops.h"
#include "rt.h"
#include "vec.h"

enum { SH_UN, SH_BIN };
enum { K_BLOCK, K_LOOP, K_IF, K_FUNC };

typedef struct Entry {
  WgValType type;
  uint32_t home;
  uint32_t loc;
} Entry;

typedef struct Ctrl {
  uint8_t kind;
  bool unreachable;
  bool has_else;
  bool dead;       /* opened inside unreachable code: nothing is emitted */
  uint32_t height; /* stack entries below the block's params */
  uint32_t base;   /* home slot of the first param / result */
  uint32_t nparams, nresults;
  const WgValType *params, *results;
  size_t loop_ip;    /* K_LOOP: code index of the loop head */
  size_t patch;      /* forward branch chain: word index + 1, 0 = none */
  size_t else_patch; /* K_IF: word index + 1 of the br_unless target */
  size_t fuel_chain; /* K_LOOP: back-edge cost words to patch, index + 1 */
  uint32_t fuel_owner;
  uint32_t fuel_count;
} Ctrl;

/* Where an instruction starts and which it is (for the pair pass). */
typedef struct Start {
  size_t pos;
  uint16_t op;
} Start;

typedef struct Compiler {
  WgWasmModule *mod;
  const WgModule *m;
  const void *const *handlers;
  WgVec(uint64_t) code;
  WgVec(size_t) relocs;
  WgVec(Start) starts; /* instructions of the current function, in order */
  const struct PairIndex *pairs;
  WgVec(Entry) stack;
  WgVec(Ctrl) ctrls;
  WgVec(uint32_t) local_slot;
  WgVec(WgValType) local_type;
  WgVec(
      uint8_t) zero; /* per local: still zero since entry (see do_local_set) */
  uint32_t temp_base;
  uint32_t max_slot;
  /* The last instruction if it produced the top stack entry into its home
   * slot: its start, its dst word, and the code length right after it. */
  size_t lp_start, lp_dst, lp_end;
  /* The same for the entry just below a local.get pushed since. */
  size_t lb_start, lb_dst, lb_end;
  uint16_t lb_op;
  size_t copy_start, copy_end; /* see emit_copy */
  /* The last `x = x + imm` (i32_add_imm into a local from itself) while no
   * branch target lies after it: its start and the code length after it. */
  size_t incr_start, incr_end;
  /* The last f64/f32 multiply with a loaded operand (mul_ld*), while no
   * branch target lies after it: its start and end (see do_store). */
  size_t mul_start, mul_end;
  uint16_t lp_op;
  uint32_t func_fuel;
  bool oom;
  bool invalid; /* the body broke an assumption the validator guarantees */
  WgAllocator alloc;
  const uint8_t *p, *end;
} Compiler;

static const WgValType vt_one[] = { WG_VT_I32,      WG_VT_I64,  WG_VT_F32,
                                    WG_VT_F64,      WG_VT_V128, WG_VT_FUNCREF,
                                    WG_VT_EXTERNREF };

static const WgValType *vt_ptr(WgValType t) {
  for (size_t i = 0; i < sizeof vt_one / sizeof vt_one[0]; i++)
    if (vt_one[i] == t) return &vt_one[i];
  return &vt_one[0];
}

/* Section: tables generated from iops.h */

typedef struct NumInfo {
  uint16_t op;
  uint8_t shape;
  uint8_t present;
  WgValType type;
} NumInfo;

#define T_I32      WG_VT_I32
#define T_I64      WG_VT_I64
#define T_F32      WG_VT_F32
#define T_F64      WG_VT_F64
#define T_V128     WG_VT_V128
#define SH_VLOAD   10
#define SH_VSTORE  11
#define SH_VUN     12
#define SH_VBIN    13
#define SH_VTERN   14
#define SH_VSHIFT  15
#define SH_VTEST   16
#define SH_SPLAT   17
#define SH_EXTRACT 18
#define SH_REPLACE 19
#define SH_LLANE   20
#define SH_SLANE   21
#define SH_VLOADX  22

#define NUM_ENTRY(name, byte, shape, ty) \
  [byte] = { WG_IOP_##name, SH_##shape, 1, T_##ty },
static const NumInfo num_table[256] = { WG_IOPS_NUMERIC(NUM_ENTRY) };
static const NumInfo sat_table[8] = { WG_IOPS_SAT(NUM_ENTRY) };
static const NumInfo simd_table[256] = { WG_IOPS_SIMD(NUM_ENTRY) };

/* The validator guarantees well-formed bodies; these checks only keep a
 * validator bug from turning into a crash here. */
static void fail(Compiler *c) {
  c->invalid = true;
  c->p = c->end;
}
#define CHECK(cond) \
  do {              \
    if (!(cond)) {  \
      fail(c);      \
      return;       \
    }               \
  } while (0)

/* Section: emission */

/* The code buffer uses the engine's allocator: the module takes it over
 * at the end without a copy. */
static bool code_grow(Compiler *c, size_t need) {
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

static void emit(Compiler *c, uint64_t w) {
  if (c->code.count == c->code.cap && !code_grow(c, c->code.count + 1)) {
    c->oom = true;
    return;
  }
  c->code.items[c->code.count++] = w;
}

static size_t here(const Compiler *c) {
  return c->code.count;
}

static void emit_op(Compiler *c, WgIop op) {
  /* Instructions at or after this position were taken back by a fusion. */
  size_t pos = here(c);
  while (c->starts.count && wg_vec_last(&c->starts).pos >= pos)
    c->starts.count--;
  Start st = { pos, (uint16_t)op };
  if (!wg_vec_push(&c->starts, st)) c->oom = true;
  emit(c, (uint64_t)(uintptr_t)c->handlers[op]);
}

static void add_reloc(Compiler *c, size_t word) {
  if (!wg_vec_push(&c->relocs, word)) c->oom = true;
}

/* A code-index operand converted to an address at the end. */
static void emit_target(Compiler *c, size_t target) {
  add_reloc(c, here(c));
  emit(c, target);
}

static void invalidate_lp(Compiler *c) {
  c->lp_end = (size_t)-1;
  c->lb_end = (size_t)-1;
}

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
    emit_target(c, target->loop_ip);
    emit(c, target->fuel_chain); /* fuel cost, patched at the loop's end */
    target->fuel_chain = here(c);
  } else {
    add_reloc(c, here(c));
    emit(c, target->patch);
    target->patch = here(c); /* index + 1 of the word just emitted */
  }
}

/* Section: operand stack */

static uint32_t next_home(const Compiler *c) {
  if (c->stack.count == 0) return c->temp_base;
  const Entry *e = &c->stack.items[c->stack.count - 1];
  return e->home + wg_slots_of(e->type);
}

static Entry *push(Compiler *c, WgValType t) {
  Entry e = { t, next_home(c), 0 };
  e.loc = e.home;
  if (e.home + wg_slots_of(t) > c->max_slot)
    c->max_slot = e.home + wg_slots_of(t);
  if (!wg_vec_push(&c->stack, e)) {
    c->oom = true;
    static Entry dummy;
    return &dummy;
  }
  return &wg_vec_last(&c->stack);
}

static Entry pop(Compiler *c) {
  if (c->stack.count == 0) {
    Entry e = { WG_VT_I32, c->temp_base, c->temp_base };
    return e;
  }
  return c->stack.items[--c->stack.count];
}

static Entry *top(Compiler *c) {
  static Entry dummy;
  if (c->stack.count == 0) {
    fail(c);
    return &dummy;
  }
  return &c->stack.items[c->stack.count - 1];
}

/* Consecutive 64-bit copies (e.g. a rotation of locals) merge into one
 * copy_n instruction; `copy_start` is the last copy's start while it is
 * the last instruction and no branch target lies after it. */
static void emit_copy(Compiler *c, WgValType t, uint32_t dst, uint32_t src) {
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

static void materialize(Compiler *c, Entry *e) {
  if (e->loc != e->home) {
    emit_copy(c, e->type, e->home, e->loc);
    e->loc = e->home;
  }
}

static void materialize_all(Compiler *c) {
  for (size_t i = 0; i < c->stack.count; i++)
    materialize(c, &c->stack.items[i]);
}

static void materialize_slot(Compiler *c, uint32_t slot, size_t upto) {
  for (size_t i = 0; i < upto; i++)
    if (c->stack.items[i].loc == slot &&
        c->stack.items[i].home != c->stack.items[i].loc)
      materialize(c, &c->stack.items[i]);
}

/* Records that the instruction just emitted (starting at `start`, dst word
 * at `dst_word`) produced the top entry. */
static void set_lp(Compiler *c, size_t start, size_t dst_word, uint16_t op) {
  c->lp_start = start;
  c->lp_dst = dst_word;
  c->lp_end = here(c);
  c->lp_op = op;
}

static bool top_is_lp(Compiler *c) {
  return c->lp_end == here(c) && c->stack.count > 0 &&
         top(c)->loc == top(c)->home &&
         c->code.items[c->lp_dst] == top(c)->home;
}

/* Copies the top `n` entries into consecutive slots from `base` (branch
 * values into a label's slots, or results into slots 0 for a return). */
static void copy_top_to(Compiler *c, uint32_t n, uint32_t base) {
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
    emit_copy(c, e->type, dst, e->loc);
    dst += wg_slots_of(e->type);
  }
}

static bool needs_copy(Compiler *c, uint32_t n, uint32_t base) {
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

/* Section: block types */

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

/* Section: instructions */

static Ctrl *ctrl_top(Compiler *c) {
  return &wg_vec_last(&c->ctrls);
}

static void push_ctrl(Compiler *c, Ctrl k) {
  if (!wg_vec_push(&c->ctrls, k)) c->oom = true;
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
  copy_top_to(c, f->nresults, 0);
  emit_op(c, WG_IOP_ret);
}

static uint32_t label_arity(const Ctrl *k) {
  return k->kind == K_LOOP ? k->nparams : k->nresults;
}

static void do_br(Compiler *c, uint32_t depth) {
  CHECK(depth < c->ctrls.count);
  Ctrl *t = &c->ctrls.items[c->ctrls.count - 1 - depth];
  if (t->kind == K_FUNC) {
    emit_return(c);
  } else {
    copy_top_to(c, label_arity(t), t->base);
    emit_op(c, t->kind == K_LOOP ? WG_IOP_br_back : WG_IOP_br);
    emit_branch(c, t);
  }
}

/* Index 0..9 (eq .. ge_u) of an i32 comparison handler, plain or with an
 * immediate (*imm set), or -1. */
static int cmp_index(uint16_t op, bool *imm) {
  if (op >= WG_IOP_i32_eq && op <= WG_IOP_i32_ge_u) {
    *imm = false;
    return op - WG_IOP_i32_eq;
  }
  for (int k = 0; k < 10; k++) {
    if (op == WG_CMP_IOP(k, 0)) {
      *imm = true;
      return k;
    }
  }
  return -1;
}

/* eq<->ne, lt_s<->ge_s, lt_u<->ge_u, gt_s<->le_s, gt_u<->le_u */
static const uint8_t cmp_negation[10] = { 1, 0, 8, 9, 6, 7, 4, 5, 2, 3 };
/* a <op> b == b <swapped op> a: lt<->gt, le<->ge */
static const uint8_t cmp_swap[10] = { 0, 1, 4, 5, 2, 3, 8, 9, 6, 7 };

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
        k = cmp_swap[k];
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
      if (negate) k = cmp_negation[k];
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
    add_reloc(c, here(c));
    emit(c, *chain);
    *chain = here(c);
  }
}

static void do_br_if(Compiler *c, uint32_t depth) {
  CHECK(depth < c->ctrls.count && c->stack.count > 0);
  Ctrl *t = &c->ctrls.items[c->ctrls.count - 1 - depth];
  uint32_t n = label_arity(t);
  /* The condition is on top; the branch values below it. */
  Entry cond = c->stack.items[c->stack.count - 1];
  c->stack.count--;
  bool simple = t->kind != K_FUNC && !needs_copy(c, n, t->base);
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

static void do_br_table(Compiler *c, const WgInstr *in) {
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
      if (!needs_copy(c, arity, t->base)) {
        /* Direct: the word joins the target's chain. */
        add_reloc(c, table + i);
        c->code.items[table + i] = t->patch;
        t->patch = table + i + 1;
        continue;
      }
    }
    /* A stub that copies the values, then branches (charging fuel for a
     * loop) or returns. */
    add_reloc(c, table + i);
    c->code.items[table + i] = here(c);
    c->copy_end = (size_t)-1;
    c->incr_end = c->mul_end = (size_t)-1;
    do_br(c, depth);
  }
  set_unreachable(c);
}

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

static void do_end(Compiler *c) {
  Ctrl k = *ctrl_top(c);
  if (!k.unreachable) copy_top_to(c, k.nresults, k.base);
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

static void do_else(Compiler *c) {
  Ctrl *k = ctrl_top(c);
  CHECK(k->kind == K_IF && !k->has_else);
  if (!k->unreachable) {
    copy_top_to(c, k->nresults, k->base);
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
  materialize_all(c);
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
      emit_copy(c, src.type, e->home, src.loc);
    }
  }
}

/* Emits select_mem `mem`: the accesses that follow address memory `mem`
 * until select_mem 0 (iops.h). No fusion reaches across it. */
static void select_memory(Compiler *c, uint32_t mem) {
  invalidate_lp(c);
  c->copy_end = c->incr_end = c->mul_end = (size_t)-1;
  emit_op(c, WG_IOP_select_mem);
  emit(c, mem);
}

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

/* Emits `emit_access` for the memory access `in`; one to a memory other
 * than 0 between select_mem instructions. */
#define ON_MEMORY(c, in, emit_access)                  \
  do {                                                 \
    CHECK((in)->x < wg_module_total_memories((c)->m)); \
    if ((in)->x) select_memory(c, (in)->x);            \
    emit_access;                                       \
    if ((in)->x) select_memory(c, 0);                  \
  } while (0)

static void do_load(Compiler *c, const WgInstr *in, WgIop op, WgValType t) {
  ON_MEMORY(c, in, load_mem0(c, (uint32_t)in->value, op, t));
}

/* Remembers a float multiply with a loaded operand just emitted at
 * `start` (for the multiply-add fusion in do_store). */
static void note_mul(Compiler *c, uint16_t op, size_t start) {
  if (op == WG_IOP_f64_mul || op == WG_IOP_f32_mul) {
    c->mul_start = start;
    c->mul_end = here(c);
  }
}

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

static void do_const(Compiler *c, WgValType t, uint64_t bits) {
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
  /* i32.add / i32.sub with a constant just emitted: one instruction. */
  if ((ni->op == WG_IOP_i32_add || ni->op == WG_IOP_i32_sub) && top_is_lp(c) &&
      c->lp_op == WG_IOP_const64) {
    int32_t imm = (int32_t)(uint32_t)c->code.items[c->lp_start + 2];
    c->code.count = c->lp_start;
    pop(c);
    Entry a = pop(c);
    uint32_t v = ni->op == WG_IOP_i32_sub ? 0u - (uint32_t)imm : (uint32_t)imm;
    emit_imm_op(c, WG_IOP_i32_add_imm, WG_VT_I32, a.loc, v);
    return;
  }
  /* Other binary operations with a constant just emitted. */
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
      return;
    }
  }
  /* A constant on the left, emitted just before a local.get of the right
   * operand: K op x as op_imm (x, K) for commutative operations, K - x as
   * i32_rsub_imm, K < x as x > K. */
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
        if (cmp >= 0 && !imm) iop = WG_CMP_IOP(cmp_swap[cmp], 0);
        break;
    }
    if (iop >= 0 && k->loc == k->home && c->code.items[c->lb_dst] == k->home) {
      uint64_t kv = c->code.items[c->lb_start + 2];
      Entry x = pop(c);
      pop(c);
      c->code.count = c->lb_start;
      emit_imm_op(c, (WgIop)iop, ni->type, x.loc, kv);
      return;
    }
  }
  /* a + x * y with the product just computed (dot products, indexing). */
  if (ni->op == WG_IOP_i32_add && top_is_lp(c) && c->lp_op == WG_IOP_i32_mul) {
    uint64_t x = c->code.items[c->lp_start + 2];
    uint64_t y = c->code.items[c->lp_start + 3];
    c->code.count = c->lp_start;
    pop(c);
    Entry a = pop(c);
    emit_result_op(c, WG_IOP_i32_mul_add, WG_VT_I32,
                   (const uint64_t[]){ a.loc, x, y }, 3);
    return;
  }
  /* An operand loaded from memory by the instruction just emitted. */
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
      return;
    }
  }
  /* A shifted operand computed by the instruction just emitted. */
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
      return;
    }
  }
  /* i32 comparison with a constant just emitted. */
  if (ni->op >= WG_IOP_i32_eq && ni->op <= WG_IOP_i32_ge_u && top_is_lp(c) &&
      c->lp_op == WG_IOP_const64) {
    uint64_t imm = (uint32_t)c->code.items[c->lp_start + 2];
    c->code.count = c->lp_start;
    pop(c);
    Entry a = pop(c);
    emit_imm_op(c, WG_CMP_IOP(ni->op - WG_IOP_i32_eq, 0), WG_VT_I32, a.loc,
                imm);
    return;
  }
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

static void do_local_set(Compiler *c, uint32_t idx, bool tee) {
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
  if (aliased) materialize_slot(c, slot, below);
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
    emit_copy(c, t, slot, v->loc);
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

static void emit3(Compiler *c, WgIop op, uint64_t a, uint64_t b, uint64_t d) {
  emit_op(c, op);
  emit(c, a);
  emit(c, b);
  emit(c, d);
  invalidate_lp(c);
}

static void simd_op(Compiler *c, const WgInstr *in, const NumInfo *ni);

/* The two little-endian halves of the 16 bytes of a v128 immediate. */
static void v128_halves(const WgInstr *in, uint64_t *lo, uint64_t *hi) {
  memcpy(lo, in->bytes, 8);
  memcpy(hi, in->bytes + 8, 8);
}

static void do_simd(Compiler *c, const WgInstr *in) {
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

static void do_prefix_fc(Compiler *c, const WgInstr *in) {
  uint32_t sub = in->sub;
  if (sub < 8) {
    do_numeric(c, &sat_table[sub]);
    return;
  }
  const WgModule *m = c->m;
  uint32_t i0 = in->x, i1 = in->y, mems = wg_module_total_memories(m);
  switch (sub) {
    case 8:
      CHECK(i1 < mems && i0 < m->data_segment_count);
      break;
    case 9:
      CHECK(i0 < m->data_segment_count);
      break;
    case 10:
      CHECK(i0 < mems && i1 < mems);
      break;
    case 11:
      CHECK(i0 < mems);
      break;
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
  switch (sub) {
    case 8: { /* memory.init data mem */
      Entry n = pop(c), s = pop(c), d = pop(c);
      if (i1) select_memory(c, i1);
      emit_op(c, WG_IOP_memory_init);
      emit(c, d.loc);
      emit(c, s.loc);
      emit(c, n.loc);
      emit(c, i0);
      if (i1) select_memory(c, 0);
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
      if (i0) select_memory(c, i0);
      emit3(c, WG_IOP_memory_copy, d.loc, s.loc, n.loc);
      if (i0) select_memory(c, 0);
      break;
    }
    case 11: { /* memory.fill mem */
      Entry n = pop(c), v = pop(c), d = pop(c);
      if (i0) select_memory(c, i0);
      emit3(c, WG_IOP_memory_fill, d.loc, v.loc, n.loc);
      if (i0) select_memory(c, 0);
      break;
    }
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

/* A block opened in unreachable code: nothing in it is compiled, only its
 * nesting is kept (to find its `end`). */
static void enter_dead_block(Compiler *c, const WgInstr *in) {
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

static void compile_instr(Compiler *c, const WgInstr *in) {
  uint8_t op = in->op;
  Ctrl *cur = ctrl_top(c);
  c->ctrls.items[cur->fuel_owner].fuel_count++;
  if (op >= 0x45 && op <= 0xC4 && num_table[op].present) {
    do_numeric(c, &num_table[op]);
    return;
  }
  switch (op) {
    case 0x00: /* unreachable */
      emit_op(c, WG_IOP_trap);
      emit(c, (uint64_t)(uintptr_t)"unreachable");
      set_unreachable(c);
      return;
    case 0x01: /* nop */
      return;
    case 0x02:
    case 0x03: {
      Ctrl k = { 0 };
      set_block_type(c, &k, (int64_t)in->value);
      k.kind = op == 0x02 ? K_BLOCK : K_LOOP;
      materialize_all(c);
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
      return;
    }
    case 0x04: {
      Ctrl k = { 0 };
      set_block_type(c, &k, (int64_t)in->value);
      k.kind = K_IF;
      do_if(c, k);
      return;
    }
    case 0x05:
      do_else(c);
      return;
    case 0x0B:
      do_end(c);
      return;
    case 0x0C:
      do_br(c, in->x);
      set_unreachable(c);
      return;
    case 0x0D:
      do_br_if(c, in->x);
      return;
    case 0x0E:
      do_br_table(c, in);
      return;
    case 0x0F:
      emit_return(c);
      set_unreachable(c);
      return;
    case 0x10: {
      uint32_t f = in->x;
      CHECK(f < wg_module_total_funcs(c->m));
      do_call(c, f, wg_module_func_type_index(c->m, f), false, 0);
      return;
    }
    case 0x11: {
      do_call(c, 0, in->x, true, in->y);
      return;
    }
    case 0x1A: /* drop */
      pop(c);
      invalidate_lp(c);
      return;
    case 0x1B:   /* select */
    case 0x1C: { /* select t* */
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
      return;
    }
    case 0x20: {
      uint32_t i = in->x;
      CHECK(i < c->local_type.count);
      /* The entry below may be the last instruction's result (a store's
       * address computed just before its value is read: see do_store). */
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
      return;
    }
    case 0x21:
      do_local_set(c, in->x, false);
      return;
    case 0x22:
      do_local_set(c, in->x, true);
      return;
    case 0x23: {
      uint32_t g = in->x;
      CHECK(g < wg_module_total_globals(c->m));
      WgValType t = wg_module_global_type(c->m, g)->type;
      Entry *r = push(c, t);
      size_t s = here(c);
      emit_op(c, t == WG_VT_V128 ? WG_IOP_global_get128 : WG_IOP_global_get);
      emit(c, r->home);
      emit(c, g);
      set_lp(c, s, s + 1, WG_IOP_global_get);
      return;
    }
    case 0x24: {
      uint32_t g = in->x;
      CHECK(g < wg_module_total_globals(c->m));
      Entry v = pop(c);
      emit_op(c,
              v.type == WG_VT_V128 ? WG_IOP_global_set128 : WG_IOP_global_set);
      emit(c, v.loc);
      emit(c, g);
      invalidate_lp(c);
      return;
    }
    case 0x25: {
      uint32_t t = in->x;
      CHECK(t < wg_module_total_tables(c->m));
      Entry i = pop(c);
      Entry *r = push(c, wg_module_table_type(c->m, t)->elem);
      emit3(c, WG_IOP_table_get, r->home, i.loc, t);
      return;
    }
    case 0x26: {
      uint32_t t = in->x;
      CHECK(t < wg_module_total_tables(c->m));
      Entry v = pop(c), i = pop(c);
      emit3(c, WG_IOP_table_set, i.loc, v.loc, t);
      return;
    }
    case 0x3F: {
      CHECK(in->x < wg_module_total_memories(c->m));
      Entry *r = push(c, WG_VT_I32);
      emit_op(c, WG_IOP_memory_size);
      emit(c, r->home);
      emit(c, in->x);
      invalidate_lp(c);
      return;
    }
    case 0x40: {
      CHECK(in->x < wg_module_total_memories(c->m));
      Entry d = pop(c);
      Entry *r = push(c, WG_VT_I32);
      emit_op(c, WG_IOP_memory_grow);
      emit(c, r->home);
      emit(c, d.loc);
      emit(c, in->x);
      invalidate_lp(c);
      return;
    }
    case 0x41:
      do_const(c, WG_VT_I32, (uint32_t)in->value);
      return;
    case 0x42:
      do_const(c, WG_VT_I64, in->value);
      return;
    case 0x43:
      do_const(c, WG_VT_F32, in->value);
      return;
    case 0x44:
      do_const(c, WG_VT_F64, in->value);
      return;
    case 0xA7: /* i32.wrap_i64: the low half of the slot */
    case 0xBC: /* reinterpretations move no bits */
    case 0xBD:
    case 0xBE:
    case 0xBF: {
      static const WgValType to[] = {
        WG_VT_I32, 0, 0, 0,         0,         0,         0,        0, 0,
        0,         0, 0, 0,         0,         0,         0,        0, 0,
        0,         0, 0, WG_VT_I32, WG_VT_I64, WG_VT_F32, WG_VT_F64
      };
      top(c)->type = to[op - 0xA7];
      return;
    }
    case 0xD0: { /* ref.null t */
      do_const(c, (WgValType)in->x, 0);
      return;
    }
    case 0xD1: { /* ref.is_null */
      Entry a = pop(c);
      Entry *r = push(c, WG_VT_I32);
      emit_op(c, WG_IOP_ref_is_null);
      emit(c, r->home);
      emit(c, a.loc);
      invalidate_lp(c);
      return;
    }
    case 0xD2: {
      uint32_t f = in->x;
      CHECK(f < wg_module_total_funcs(c->m));
      Entry *r = push(c, WG_VT_FUNCREF);
      emit_op(c, WG_IOP_ref_func);
      emit(c, r->home);
      emit(c, f);
      invalidate_lp(c);
      return;
    }
    case 0xFC:
      do_prefix_fc(c, in);
      return;
    case 0xFD:
      do_simd(c, in);
      return;
    default:
      break;
  }
  if (op >= 0x28 && op <= 0x35) {
    do_load(c, in, load_op(op), load_type(op));
    return;
  }
  if (op >= 0x36 && op <= 0x3E) {
    do_store(c, in, store_op(op));
    return;
  }
  fail(c); /* unknown: rejected by the validator */
}

/* WG_IOPS_PAIRS as data: first instruction, its length, second, pair. */
typedef struct PairDef {
  uint16_t a, len, b, pair;
} PairDef;
#define PAIR_DEF(x, n, y) { WG_IOP_##x, n, WG_IOP_##y, WG_IOP_##x##__##y },
static const PairDef pair_defs[] = { WG_IOPS_PAIRS(PAIR_DEF) };
#undef PAIR_DEF
enum { PAIR_COUNT = sizeof pair_defs / sizeof pair_defs[0] };

/* Per first instruction, a chain through pair_defs (1-based, 0 = end). */
typedef struct PairIndex {
  uint16_t head[WG_IOP_COUNT];
  uint16_t next[PAIR_COUNT];
} PairIndex;

static void pair_index_init(PairIndex *ix) {
  memset(ix->head, 0, sizeof ix->head);
  for (uint16_t k = PAIR_COUNT; k-- > 0;) {
    ix->next[k] = ix->head[pair_defs[k].a];
    ix->head[pair_defs[k].a] = (uint16_t)(k + 1);
  }
}

/* The pair handler for instruction `a` of `len` words followed by `b`, or
 * -1. */
static int pair_of(const PairIndex *ix, uint16_t a, size_t len, uint16_t b) {
  for (uint16_t k = ix->head[a]; k; k = ix->next[k - 1]) {
    const PairDef *d = &pair_defs[k - 1];
    if (d->b == b && d->len == len) return d->pair;
  }
  return -1;
}

/* The handler word of the instruction at `pos`, now `op`: copy_n of a
 * small count gets its unrolled form, and successive occurrences of an
 * instruction take successive handler copies (WG_INTERP_COPIES). */
static void set_handler(Compiler *c, size_t pos, uint16_t op, uint8_t *seen) {
  if (op == WG_IOP_copy_n) {
    uint64_t k = c->code.items[pos + 1];
    if (k >= 2 && k <= 6) op = (uint16_t)(WG_IOP_copy_2 + (k - 2));
  }
  unsigned r = seen[op]++ % WG_INTERP_COPIES;
  c->code.items[pos] = (uint64_t)(uintptr_t)c->handlers[r * WG_IOP_COUNT + op];
}

/* Rewrites the first of each frequent pair of the finished function into
 * its pair handler. Only handler words change: every instruction keeps its
 * place, so branch targets stay valid. Going backwards, a pair's second
 * instruction may itself be a pair already (chains of three or more, when
 * WG_IOPS_PAIRS lists them); otherwise the first pairs with the second's
 * plain form. Then every handler word is set (set_handler). */
static void fuse_pairs(Compiler *c) {
  Start *st = c->starts.items;
  size_t n = c->starts.count, end = here(c);
  uint16_t next_cur = WG_IOP_COUNT; /* current handler of st[i + 1] */
  uint8_t seen[WG_IOP_COUNT] = { 0 };
  for (size_t i = n; i-- > 0;) {
    uint16_t cur = st[i].op;
    if (i + 1 < n && st[i + 1].pos < end && c->pairs->head[st[i].op]) {
      size_t len = st[i + 1].pos - st[i].pos;
      int p = pair_of(c->pairs, st[i].op, len, next_cur);
      if (p < 0 && next_cur != st[i + 1].op)
        p = pair_of(c->pairs, st[i].op, len, st[i + 1].op);
      if (p >= 0) cur = (uint16_t)p;
    }
    if (st[i].pos < end) set_handler(c, st[i].pos, cur, seen);
    next_cur = cur;
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
      if (in.op >= 0x02 && in.op <= 0x04) enter_dead_block(c, &in);
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
  fuse_pairs(c);
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
  pair_index_init(&pairs);
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
  if (!code_grow(&c, total + 64)) {
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
