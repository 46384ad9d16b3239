/* SPDX-License-Identifier: Apache-2.0 */
/* The translator of validated function bodies into the interpreter's
 * threaded register code (iops.h), one linear pass per function. Its files:
 *
 *   compile.c          the driver: functions, instruction dispatch, module
 *   compile_emit.c     the code buffer and the operand stack's frame slots
 *   compile_control.c  blocks, branches (fused with compares), calls
 *   compile_memory.c   loads, stores and memory instructions, with their
 *                      fusions (address sums, read-modify-write, madd)
 *   compile_numeric.c  constants, numeric instructions and select, with
 *                      their fusions (constant, loaded, shifted operands)
 *   compile_simd.c     vector instructions
 *   compile_vars.c     locals, globals, tables and references
 *   compile_pairs.c    the instruction-pair pass over a finished function
 *
 * The wasm operand stack is mapped onto fixed frame slots: stack entry i
 * lives in its "home" slot (locals first, then temporaries by position).
 * local.get does not copy: it pushes an alias naming the local's slot, which
 * is materialised only when the local is overwritten or at a control-flow
 * merge. An instruction whose result is immediately stored with local.set
 * gets the local as its destination. Branches copy their values into the
 * target label's slots at compile-time-known positions, so the interpreter
 * never searches a control stack. Fusions look back at the instruction just
 * emitted (the "last producer", lp) and replace it by a combined one.
 *
 * The input is trusted (validated); only allocation can fail.
 */
#ifndef WG_RUNTIME_CORE_COMPILE_H
#define WG_RUNTIME_CORE_COMPILE_H

#include <string.h>

#include "iops.h"
#include "rt.h"
#include "vec.h"

/* Section: the translator's state */

/* Kinds of control frames (the function's own is K_FUNC). */
enum { K_BLOCK, K_LOOP, K_IF, K_FUNC };

/* An operand stack entry: its type, its home slot (by stack position) and
 * where the value is now (the home, or a local's slot it aliases). */
typedef struct Entry {
  WgValType type;
  uint32_t home;
  uint32_t loc;
} Entry;

/* A control frame: a block, loop, if or the function. */
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

/* Per first instruction, a chain through the pair list (compile_pairs.c;
 * 1-based, 0 = end). */
#define WG_COMPILE_PAIR_ONE(a, n, b) +1
enum { PAIR_COUNT = 0 WG_IOPS_PAIRS(WG_COMPILE_PAIR_ONE) };
typedef struct PairIndex {
  uint16_t head[WG_IOP_COUNT];
  uint16_t next[PAIR_COUNT];
} PairIndex;

/* The translator's state: the module, the code buffer of the whole module,
 * and the current function's operand and control stacks. */
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
  /* per local: still zero since entry (see do_local_set) */
  WgVec(uint8_t) zero;
  uint32_t temp_base;
  uint32_t max_slot;
  /* The last instruction if it produced the top stack entry into its home
   * slot: its start, its dst word, and the code length right after it. */
  size_t lp_start, lp_dst, lp_end;
  /* The same for the entry just below a local.get pushed since. */
  size_t lb_start, lb_dst, lb_end;
  uint16_t lb_op;
  size_t copy_start, copy_end; /* see wg_compile_emit_copy */
  /* The last `x = x + imm` (i32_add_imm into a local from itself) while no
   * branch target lies after it: its start and the code length after it. */
  size_t incr_start, incr_end;
  /* The last f64/f32 multiply with a loaded operand (mul_ld*), while no
   * branch target lies after it: its start and end (see fuse_madd). */
  size_t mul_start, mul_end;
  uint16_t lp_op;
  uint32_t func_fuel;
  bool oom;
  bool invalid; /* the body broke an assumption the validator guarantees */
  WgAllocator alloc;
  const uint8_t *p, *end;
} Compiler;

/* Section: numeric tables (generated from iops.h; compile_numeric.c and
 * compile_simd.c) */

/* The shapes of handlers (iops.h): scalar unary and binary, vector ones. */
enum { SH_UN, SH_BIN };

/* A handler of a wasm numeric or vector opcode: shape and result type. */
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

/* The small helpers below are forced inline: every instruction calls
 * several of them (the translator's speed depends on it). */
#define HOT static inline __attribute__((always_inline))

/* Section: failures */

/* The validator guarantees well-formed bodies; these checks only keep a
 * validator bug from turning into a crash here. */
HOT void fail(Compiler *c) {
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

/* Section: emission (inline: every instruction uses them) */

/* Grows the code buffer to hold `need` words; false on out-of-memory. */
bool wg_compile_code_grow(Compiler *c, size_t need);

/* Appends one code word. */
HOT void emit(Compiler *c, uint64_t w) {
  if (c->code.count == c->code.cap &&
      !wg_compile_code_grow(c, c->code.count + 1)) {
    c->oom = true;
    return;
  }
  c->code.items[c->code.count++] = w;
}

/* The code index of the next word. */
HOT size_t here(const Compiler *c) {
  return c->code.count;
}

/* Starts an instruction: its handler word (set for good by the pair pass)
 * and its place in the function's instruction list. */
HOT void emit_op(Compiler *c, WgIop op) {
  /* Instructions at or after this position were taken back by a fusion. */
  size_t pos = here(c);
  while (c->starts.count && wg_vec_last(&c->starts).pos >= pos)
    c->starts.count--;
  Start st = { pos, (uint16_t)op };
  if (!wg_vec_push(&c->starts, st)) c->oom = true;
  emit(c, (uint64_t)(uintptr_t)c->handlers[op]);
}

/* Forgets the last producers: nothing may fuse with what came before. */
HOT void invalidate_lp(Compiler *c) {
  c->lp_end = (size_t)-1;
  c->lb_end = (size_t)-1;
}

/* Records that the instruction just emitted (starting at `start`, dst word
 * at `dst_word`) produced the top entry. */
HOT void set_lp(Compiler *c, size_t start, size_t dst_word, uint16_t op) {
  c->lp_start = start;
  c->lp_dst = dst_word;
  c->lp_end = here(c);
  c->lp_op = op;
}

/* An instruction with three operand words, fusing with nothing. */
static inline void emit3(Compiler *c, WgIop op, uint64_t a, uint64_t b,
                         uint64_t d) {
  emit_op(c, op);
  emit(c, a);
  emit(c, b);
  emit(c, d);
  invalidate_lp(c);
}

/* Section: operand stack (inline: every instruction uses them) */

/* The home slot of the next entry pushed. */
HOT uint32_t next_home(const Compiler *c) {
  if (c->stack.count == 0) return c->temp_base;
  const Entry *e = &c->stack.items[c->stack.count - 1];
  return e->home + wg_slots_of(e->type);
}

/* Pushes an entry of type `t` in its home slot. */
HOT Entry *push(Compiler *c, WgValType t) {
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

/* Pops the top entry (a harmless one on an empty stack: validated code
 * never pops one). */
HOT Entry pop(Compiler *c) {
  if (c->stack.count == 0) {
    Entry e = { WG_VT_I32, c->temp_base, c->temp_base };
    return e;
  }
  return c->stack.items[--c->stack.count];
}

/* The top entry. */
HOT Entry *top(Compiler *c) {
  static Entry dummy;
  if (c->stack.count == 0) {
    fail(c);
    return &dummy;
  }
  return &c->stack.items[c->stack.count - 1];
}

/* True when the instruction just emitted computed the top entry into its
 * home slot (so a fusion may take it back). */
HOT bool top_is_lp(Compiler *c) {
  return c->lp_end == here(c) && c->stack.count > 0 &&
         top(c)->loc == top(c)->home &&
         c->code.items[c->lp_dst] == top(c)->home;
}

/* The innermost control frame. */
HOT Ctrl *ctrl_top(Compiler *c) {
  return &wg_vec_last(&c->ctrls);
}

/* Opens a control frame. */
HOT void push_ctrl(Compiler *c, Ctrl k) {
  if (!wg_vec_push(&c->ctrls, k)) c->oom = true;
}

/* Emits the copy of `src` to `dst` (nothing when equal); consecutive
 * 64-bit copies merge into one copy_n (compile_emit.c). */
void wg_compile_emit_copy(Compiler *c, WgValType t, uint32_t dst, uint32_t src);

/* Moves an entry that aliases another slot into its home. */
static inline void materialize(Compiler *c, Entry *e) {
  if (e->loc != e->home) {
    wg_compile_emit_copy(c, e->type, e->home, e->loc);
    e->loc = e->home;
  }
}

/* Materializes every stack entry. */
void wg_compile_materialize_all(Compiler *c);
/* Materializes the entries below `upto` that alias `slot`. */
void wg_compile_materialize_slot(Compiler *c, uint32_t slot, size_t upto);
/* Copies the top `n` entries into consecutive slots from `base`. */
void wg_compile_copy_top_to(Compiler *c, uint32_t n, uint32_t base);
/* True when the top `n` entries are not already in the slots from `base`. */
bool wg_compile_needs_copy(Compiler *c, uint32_t n, uint32_t base);
/* Records that code word `word` holds a code index, turned into an address
 * when the module's code is in place. */
void wg_compile_add_reloc(Compiler *c, size_t word);
/* Emits a code-index operand (converted to an address at the end). */
void wg_compile_emit_target(Compiler *c, size_t target);

/* Section: i32 comparisons (handler families of WG_I32_CMPS) */

/* Index 0..9 (eq .. ge_u) of an i32 comparison handler, plain or with an
 * immediate (*imm set), or -1. */
static inline int cmp_index(uint16_t op, bool *imm) {
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
static const uint8_t k_cmp_negation[10] = { 1, 0, 8, 9, 6, 7, 4, 5, 2, 3 };
/* a <op> b == b <swapped op> a: lt<->gt, le<->ge */
static const uint8_t k_cmp_swap[10] = { 0, 1, 4, 5, 2, 3, 8, 9, 6, 7 };

/* Section: the instructions, by file (compile.c dispatches to them) */

/* compile_control.c */
void wg_compile_unreachable(Compiler *c);
void wg_compile_block(Compiler *c, const WgInstr *in); /* block, loop */
void wg_compile_if(Compiler *c, const WgInstr *in);
void wg_compile_else(Compiler *c);
void wg_compile_end(Compiler *c);
void wg_compile_br(Compiler *c, uint32_t depth);
void wg_compile_br_if(Compiler *c, uint32_t depth);
void wg_compile_br_table(Compiler *c, const WgInstr *in);
void wg_compile_return(Compiler *c);
void wg_compile_call(Compiler *c, uint32_t func);
void wg_compile_call_indirect(Compiler *c, uint32_t type, uint32_t table);
/* A block, loop or if in unreachable code: only its nesting is kept. */
void wg_compile_enter_dead_block(Compiler *c, const WgInstr *in);

/* compile_vars.c */
void wg_compile_local_get(Compiler *c, uint32_t local);
void wg_compile_local_set(Compiler *c, uint32_t local, bool tee);
void wg_compile_global_get(Compiler *c, uint32_t global);
void wg_compile_global_set(Compiler *c, uint32_t global);
void wg_compile_table_get(Compiler *c, uint32_t table);
void wg_compile_table_set(Compiler *c, uint32_t table);
void wg_compile_ref_is_null(Compiler *c);
void wg_compile_ref_func(Compiler *c, uint32_t func);
/* table.init, elem.drop, table.copy / grow / size / fill (0xFC 12-17). */
void wg_compile_table(Compiler *c, const WgInstr *in);

/* compile_memory.c */
void wg_compile_load(Compiler *c, const WgInstr *in);
void wg_compile_store(Compiler *c, const WgInstr *in);
void wg_compile_memory_size(Compiler *c, uint32_t mem);
void wg_compile_memory_grow(Compiler *c, uint32_t mem);
/* memory.init, data.drop, memory.copy, memory.fill (0xFC 8-11). */
void wg_compile_bulk_memory(Compiler *c, const WgInstr *in);
/* Emits select_mem `mem`: the accesses that follow address memory `mem`
 * until select_mem 0 (iops.h). No fusion reaches across it. */
void wg_compile_select_memory(Compiler *c, uint32_t mem);
/* Emits `emit_access` for the memory access `in`; one to a memory other
 * than 0 between select_mem instructions. */
#define ON_MEMORY(c, in, emit_access)                  \
  do {                                                 \
    CHECK((in)->x < wg_module_total_memories((c)->m)); \
    if ((in)->x) wg_compile_select_memory(c, (in)->x); \
    emit_access;                                       \
    if ((in)->x) wg_compile_select_memory(c, 0);       \
  } while (0)
/* Remembers a float multiply with a loaded operand just emitted at
 * `start` (for the multiply-add fusion of stores). */
static inline void note_mul(Compiler *c, uint16_t op, size_t start) {
  if (op == WG_IOP_f64_mul || op == WG_IOP_f32_mul) {
    c->mul_start = start;
    c->mul_end = here(c);
  }
}

/* compile_numeric.c */
/* Pushes a constant of type `t` with bits `bits` (also ref.null). */
void wg_compile_const(Compiler *c, WgValType t, uint64_t bits);
/* Numeric instructions (0x45-0xC4), the saturating truncations (0xFC
 * 0-7). */
void wg_compile_numeric(Compiler *c, const WgInstr *in);
void wg_compile_select(Compiler *c);

/* compile_simd.c: 0xFD. */
void wg_compile_simd(Compiler *c, const WgInstr *in);

/* Section: instruction pairs (compile_pairs.c) */

void wg_compile_pair_index_init(PairIndex *ix);
/* Rewrites the first of each frequent pair of the finished function into
 * its pair handler, and sets every handler word. */
void wg_compile_fuse_pairs(Compiler *c);

#endif
