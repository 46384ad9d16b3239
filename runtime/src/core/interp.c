/* SPDX-License-Identifier: Apache-2.0 */
/* The interpreter: threaded code with computed-goto dispatch over the
 * register form produced by compile.c (instruction set in iops.h).
 *
 * Wasm calls do not recurse on the C stack: frames are records in
 * store->frames and values live in store->stack. Memory base and size are
 * kept in locals and reloaded after calls and memory.grow. Every trap
 * carries the spec's message (spec: Execution, 4.4 Instructions).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "iops.h"
#include "rt.h"

#define LIKELY(x)   __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

#define MSG_OOB_MEM   "out of bounds memory access"
#define MSG_OOB_TABLE "out of bounds table access"
#define MSG_DIV0      "integer divide by zero"
#define MSG_OVF       "integer overflow"
#define MSG_INVCONV   "invalid conversion to integer"

/* Section: scalar helpers with the spec's semantics */

static inline float f32_min(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static inline float f32_max(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}
static inline double f64_min(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
static inline double f64_max(double a, double b) {
  if (a != a || b != b) return a + b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}

static inline uint32_t rotl32(uint32_t x, uint32_t n) {
  n &= 31;
  return (x << n) | (x >> ((32 - n) & 31));
}
static inline uint32_t rotr32(uint32_t x, uint32_t n) {
  n &= 31;
  return (x >> n) | (x << ((32 - n) & 31));
}
static inline uint64_t rotl64(uint64_t x, uint64_t n) {
  n &= 63;
  return (x << n) | (x >> ((64 - n) & 63));
}
static inline uint64_t rotr64(uint64_t x, uint64_t n) {
  n &= 63;
  return (x >> n) | (x << ((64 - n) & 63));
}

/* Rounding that quiets signalling NaNs as the spec requires. */
static inline float f32_ceil(float x) {
  return x != x ? x + x : ceilf(x);
}
static inline float f32_floor(float x) {
  return x != x ? x + x : floorf(x);
}
static inline float f32_trunc(float x) {
  return x != x ? x + x : truncf(x);
}
static inline float f32_nearest(float x) {
  return x != x ? x + x : rintf(x);
}
static inline double f64_ceil(double x) {
  return x != x ? x + x : ceil(x);
}
static inline double f64_floor(double x) {
  return x != x ? x + x : floor(x);
}
static inline double f64_trunc(double x) {
  return x != x ? x + x : trunc(x);
}
static inline double f64_nearest(double x) {
  return x != x ? x + x : rint(x);
}

/* Saturating float-to-int conversions (also used by SIMD). */
static inline int32_t sat_i32_f64(double x) {
  if (x != x) return 0;
  if (x <= -2147483648.0) return INT32_MIN;
  if (x >= 2147483647.0) return INT32_MAX;
  return (int32_t)x;
}
static inline uint32_t sat_u32_f64(double x) {
  if (x != x || x <= 0) return 0;
  if (x >= 4294967295.0) return UINT32_MAX;
  return (uint32_t)x;
}
static inline int64_t sat_i64_f64(double x) {
  if (x != x) return 0;
  if (x < -9223372036854775808.0) return INT64_MIN;
  if (x >= 9223372036854775808.0) return INT64_MAX;
  return (int64_t)x;
}
static inline uint64_t sat_u64_f64(double x) {
  if (x != x || x <= 0) return 0;
  if (x >= 18446744073709551616.0) return UINT64_MAX;
  return (uint64_t)x;
}

/* Section: host calls */

static void slots_to_val(const WgSlot *s, WgValType t, WgVal *v) {
  v->kind = (WgValKind)t;
  switch (t) {
    case WG_VT_I32:
      v->of.i64 = 0;
      v->of.i32 = s->i32;
      break;
    case WG_VT_F32:
      v->of.i64 = 0;
      v->of.f32_bits = s->u32;
      break;
    case WG_VT_I64:
    case WG_VT_F64:
      v->of.i64 = s->i64;
      break;
    case WG_VT_V128:
      memcpy(v->of.v128, s, 16);
      break;
    default:
      v->of.externref = s->ref;
      break;
  }
}

static void val_to_slots(const WgVal *v, WgValType t, WgSlot *s) {
  switch (t) {
    case WG_VT_I32:
    case WG_VT_F32:
      s->u64 = v->of.f32_bits;
      break;
    case WG_VT_I64:
    case WG_VT_F64:
      s->i64 = v->of.i64;
      break;
    case WG_VT_V128:
      memcpy(s, v->of.v128, 16);
      break;
    default:
      s->ref = v->of.externref;
      break;
  }
}

/* Calls host function `f` with its arguments in frame `fp`, writing the
 * results back to `fp`. */
static WgTrap *call_host(WgStore *store, WgInstance *inst, WgFuncInst *f,
                         WgSlot *fp) {
  const WgFuncType *ft = f->type;
  WgVal small_args[16], small_res[16];
  WgVal *args = small_args, *res = small_res;
  uint32_t np = ft->param_count, nr = ft->result_count;
  if (np > 16 || nr > 16) {
    args = wg_alloc(store->alloc, sizeof(WgVal) * (np + nr));
    if (!args) return wg_trap_make(WG_TRAP_HOST, "out of memory");
    res = args + np;
  }
  uint32_t slot = 0;
  for (uint32_t i = 0; i < np; i++) {
    WgValType t = WG_FUNCTYPE_PARAMS(ft)[i];
    slots_to_val(&fp[slot], t, &args[i]);
    slot += wg_slots_of(t);
  }
  uint32_t rslots = 0;
  for (uint32_t i = 0; i < nr; i++) {
    rslots += wg_slots_of(WG_FUNCTYPE_RESULTS(ft)[i]);
    res[i].kind = (WgValKind)WG_FUNCTYPE_RESULTS(ft)[i];
    res[i].of.i64 = 0;
  }
  WgSlot *saved_top = store->stack_top;
  store->stack_top = fp + (slot > rslots ? slot : rslots) + 2;
  WgCaller caller = { store, inst };
  WgTrap *trap = f->fn(f->env, &caller, args, res);
  store->stack_top = saved_top;
  if (!trap) {
    slot = 0;
    for (uint32_t i = 0; i < nr; i++) {
      WgValType t = WG_FUNCTYPE_RESULTS(ft)[i];
      val_to_slots(&res[i], t, &fp[slot]);
      slot += wg_slots_of(t);
    }
  }
  if (args != small_args)
    wg_free(store->alloc, args, sizeof(WgVal) * (np + nr));
  return trap;
}

/* Section: dispatch profile (developer switch) */

/* Build with -DWG_INTERP_PROFILE=1 to count executed instructions per
 * handler; the counts are printed to stderr at exit, most frequent first. */
#ifndef WG_INTERP_PROFILE
#define WG_INTERP_PROFILE 0
#endif
#if WG_INTERP_PROFILE
#include <stdlib.h>
enum { PROFILE_SLOTS = 4096 };
static const void *profile_addr[PROFILE_SLOTS];
static uint64_t profile_count[PROFILE_SLOTS];

/* Pairs of consecutive handlers (candidates for fusion). */
static const void *pair_addr[PROFILE_SLOTS][2];
static uint64_t pair_count[PROFILE_SLOTS];
static const void *profile_prev;

static void profile_hit(const void *h) {
  size_t i = ((uintptr_t)h >> 3) % PROFILE_SLOTS;
  while (profile_addr[i] && profile_addr[i] != h)
    i = (i + 1) % PROFILE_SLOTS;
  profile_addr[i] = h;
  profile_count[i]++;
  const void *p = profile_prev;
  profile_prev = h;
  size_t j = (((uintptr_t)h >> 3) * 31 + ((uintptr_t)p >> 3)) % PROFILE_SLOTS;
  while (pair_count[j] && (pair_addr[j][0] != p || pair_addr[j][1] != h))
    j = (j + 1) % PROFILE_SLOTS;
  pair_addr[j][0] = p;
  pair_addr[j][1] = h;
  pair_count[j]++;
}

static const char *profile_name(const void *addr);

#define NAME4(name, op, shape, type) #name,
#define NAME1(name)                  #name,
#define NAMEIMM(name, T, f, expr)    #name "_imm",
#define NAMEADD(name)                #name "_add", #name "_addi",
#define NAMELD(name, op, T, f, LT, load, expr) \
#name "_ld", #name "_ld_st", #name "_ld_add", #name "_ld_addi",
#define NAMESH(name, wop, sh, expr) #name,
#define NAMEMADD(name, T, f)        #name, #name "_add", #name "_addi",
#define NAMEPAIR(a, n, b)           #a "__" #b,
#define NAMECMP(c, op, T, f)                                 \
  "i32_" #c "_imm", "br_if_i32_" #c, "br_if_i32_" #c "_imm", \
      "br_if_i32_" #c "_back", "br_if_i32_" #c "_imm_back",  \
      "incr_br_if_i32_" #c "_back", "incr_br_if_i32_" #c "_imm_back",
static const char *const profile_names[WG_IOP_COUNT] = {
  WG_IOPS_NUMERIC(NAME4) WG_IOPS_SAT(NAME4) WG_IOPS_MEM(NAME1)
      WG_IOPS_MISC(NAME1) WG_I32_CMPS(NAMECMP) WG_IOPS_BIN_IMM(NAMEIMM)
          WG_IOPS_MEM_ADD(NAMEADD) WG_IOPS_BIN_LOAD(NAMELD)
              WG_IOPS_BIN_SHIFT(NAMESH) WG_IOPS_MADD(NAMEMADD)
                  WG_IOPS_PAIRS(NAMEPAIR) WG_IOPS_SIMD(NAME4)
                      WG_IOPS_SIMD_EXTRA(NAME1)
};

static const char *profile_name(const void *addr) {
  const void *const *h = wg_interp_handlers();
  for (int k = 0; k < WG_IOP_COUNT; k++)
    if (h[k] == addr) return profile_names[k];
  return "?";
}

static void profile_dump(void) {
  const void *const *h = wg_interp_handlers();
  uint64_t total = 0;
  for (size_t i = 0; i < PROFILE_SLOTS; i++)
    total += profile_count[i];
  fprintf(stderr, "dispatches: %llu\n", (unsigned long long)total);
  for (int shown = 0; shown < 30; shown++) {
    size_t best = 0;
    for (size_t i = 1; i < PROFILE_SLOTS; i++)
      if (profile_count[i] > profile_count[best]) best = i;
    if (!profile_count[best]) break;
    int op = -1;
    for (int k = 0; k < WG_IOP_COUNT; k++)
      if (h[k] == profile_addr[best]) op = k;
    fprintf(stderr, "  %-24s %6.2f%%\n", op >= 0 ? profile_names[op] : "?",
            100.0 * (double)profile_count[best] / (double)total);
    profile_count[best] = 0;
  }
  fprintf(stderr, "pairs:\n");
  for (int shown = 0; shown < 30; shown++) {
    size_t best = 0;
    for (size_t i = 1; i < PROFILE_SLOTS; i++)
      if (pair_count[i] > pair_count[best]) best = i;
    if (!pair_count[best]) break;
    fprintf(stderr, "  %-24s %-24s %6.2f%%\n", profile_name(pair_addr[best][0]),
            profile_name(pair_addr[best][1]),
            100.0 * (double)pair_count[best] / (double)total);
    pair_count[best] = 0;
  }
}
#endif

/* Section: the dispatch loop */


static WgTrap *run(WgStore *store, WgFuncInst *entry_fn, WgSlot *entry_fp,
                   const void *const **out_handlers) {
#define LABEL4(name, op, shape, type) &&L_##name,
#define LABEL1(name)                  &&L_##name,
#define LABELIMM(name, T, f, expr)    &&L_##name##_imm,
#define LABELADD(name)                &&L_##name##_add, &&L_##name##_addi,
#define LABELLD(name, op, T, f, LT, load, expr)             \
  &&L_##name##_ld, &&L_##name##_ld_st, &&L_##name##_ld_add, \
      &&L_##name##_ld_addi,
#define LABELSH(name, wop, sh, expr) &&L_##name,
#define LABELMADD(name, T, f)        &&L_##name, &&L_##name##_add, &&L_##name##_addi,
#define LABELPAIR(a, n, b)           &&L_##a##__##b,
#define LABELCMP(c, op, T, f)                                    \
  &&L_i32_##c##_imm, &&L_br_if_i32_##c, &&L_br_if_i32_##c##_imm, \
      &&L_br_if_i32_##c##_back, &&L_br_if_i32_##c##_imm_back,    \
      &&L_incr_br_if_i32_##c##_back, &&L_incr_br_if_i32_##c##_imm_back,
  static const void *const handlers[WG_IOP_COUNT] = {
    WG_IOPS_NUMERIC(LABEL4) WG_IOPS_SAT(LABEL4) WG_IOPS_MEM(LABEL1)
        WG_IOPS_MISC(LABEL1) WG_I32_CMPS(LABELCMP) WG_IOPS_BIN_IMM(LABELIMM)
            WG_IOPS_MEM_ADD(LABELADD) WG_IOPS_BIN_LOAD(LABELLD)
                WG_IOPS_BIN_SHIFT(LABELSH) WG_IOPS_MADD(LABELMADD)
                    WG_IOPS_PAIRS(LABELPAIR) WG_IOPS_SIMD(LABEL4)
                        WG_IOPS_SIMD_EXTRA(LABEL1)
  };
  if (out_handlers) {
    *out_handlers = handlers;
#if WG_INTERP_PROFILE
    atexit(profile_dump);
#endif
    return NULL;
  }

  const char *trap_msg = NULL;
  WgTrapKind trap_kind = WG_TRAP_WASM;
  WgTrap *host_trap = NULL;
  int64_t trap_index = -1; /* appended to the message when >= 0 */
  const uint32_t entry_depth = store->depth;
  const uint32_t max_depth = store->max_depth;
  WgFrame *const frames = store->frames;
  WgSlot *const stack_end = store->stack_end;
  int64_t fuel = store->fuel_on ? store->fuel : INT64_MAX;

  WgInstance *inst = entry_fn->inst;
  const WgCode *code = entry_fn->code;
  WgSlot *fp = entry_fp;
  const uint64_t *ip;
  uint8_t *mem = NULL;
  uint64_t memsize = 0;
  /* scratch for the generic call path */
  WgFuncInst *callee;
  WgSlot *new_fp;

#define RELOAD_MEM()              \
  do {                            \
    if (inst->mem0) {             \
      mem = inst->mem0->data;     \
      memsize = inst->mem0->size; \
    } else {                      \
      mem = NULL;                 \
      memsize = 0;                \
    }                             \
  } while (0)

#if WG_INTERP_PROFILE
#define NEXT()                                 \
  do {                                         \
    profile_hit((const void *)(uintptr_t)*ip); \
    goto *(const void *)(uintptr_t)(*ip);      \
  } while (0)
#else
#define NEXT() goto *(const void *)(uintptr_t)(*ip)
#endif
#define OP(name) L_##name:
#define SL(k)    fp[ip[k]]
/* Writes a result slot with one full 64-bit store: a 32-bit store followed
 * by a 64-bit read of the slot (copies, calls) would defeat store-to-load
 * forwarding. 32-bit values are zero-extended. */
#define PUT_u32(k, v) (SL(k).u64 = (uint32_t)(v))
#define PUT_i32(k, v) (SL(k).u64 = (uint32_t)(v))
#define PUT_u64(k, v) (SL(k).u64 = (v))
#define PUT_i64(k, v) (SL(k).i64 = (v))
#define PUT_f64(k, v) (SL(k).f64 = (v))
#define PUT_f32(k, v)            \
  do {                           \
    float f_ = (v);              \
    uint32_t b_;                 \
    memcpy(&b_, &f_, sizeof b_); \
    SL(k).u64 = b_;              \
  } while (0)
#define PUT(k, field, v) PUT_##field(k, v)
#define TRAP(msg)             \
  do {                        \
    trap_msg = (msg);         \
    trap_kind = WG_TRAP_WASM; \
    goto trap;                \
  } while (0)
#define TRAPK(kind, msg) \
  do {                   \
    trap_msg = (msg);    \
    trap_kind = (kind);  \
    goto trap;           \
  } while (0)

  /* Enter the first function (the sentinel frame has ret_ip NULL). */
  uint32_t depth = store->depth; /* synced to the store around host calls */
  if (depth >= max_depth || entry_fp + code->frame_slots > stack_end)
    TRAPK(WG_TRAP_EXHAUSTED, "call stack exhausted");
  frames[depth++] = (WgFrame){ NULL, NULL, NULL };
  memset(fp + code->param_slots, 0, sizeof(WgSlot) * code->local_slots);
  fuel -= code->fuel_cost;
  if (UNLIKELY(fuel < 0)) TRAPK(WG_TRAP_FUEL, "all fuel consumed");
  RELOAD_MEM();
  ip = code->entry;
  NEXT();

  /* Section: control */

  OP(trap) {
    TRAP((const char *)(uintptr_t)ip[1]);
  }
  OP(br) {
    ip = (const uint64_t *)(uintptr_t)ip[1];
    NEXT();
  }
  OP(br_if) {
    if (SL(1).i32)
      ip = (const uint64_t *)(uintptr_t)ip[2];
    else
      ip += 3;
    NEXT();
  }
  OP(br_unless) {
    if (!SL(1).i32)
      ip = (const uint64_t *)(uintptr_t)ip[2];
    else
      ip += 3;
    NEXT();
  }
#define JUMP(k) ip = (const uint64_t *)(uintptr_t)ip[k]
  /* A backward jump: charge the loop's fuel cost (operand `cost_k`) and
   * check the interrupt flag, then jump to the target (operand `k`). */
#define BACK_EDGE(k, cost_k)                                                \
  do {                                                                      \
    fuel -= (int64_t)ip[cost_k];                                            \
    if (UNLIKELY(fuel < 0)) TRAPK(WG_TRAP_FUEL, "all fuel consumed");       \
    if (UNLIKELY(                                                           \
            atomic_load_explicit(&store->interrupt, memory_order_relaxed))) \
      TRAPK(WG_TRAP_INTERRUPT, "interrupted");                              \
    JUMP(k);                                                                \
  } while (0)
#define CMP_HANDLERS(c, op, T, f)             \
  OP(i32_##c##_imm) {                         \
    SL(1).u64 = (T)SL(2).f op(T) ip[3];       \
    ip += 4;                                  \
    NEXT();                                   \
  }                                           \
  OP(br_if_i32_##c) {                         \
    if ((T)SL(1).f op(T) SL(2).f)             \
      JUMP(3);                                \
    else                                      \
      ip += 4;                                \
    NEXT();                                   \
  }                                           \
  OP(br_if_i32_##c##_imm) {                   \
    if ((T)SL(1).f op(T) ip[2])               \
      JUMP(3);                                \
    else                                      \
      ip += 4;                                \
    NEXT();                                   \
  }                                           \
  OP(br_if_i32_##c##_back) {                  \
    if ((T)SL(1).f op(T) SL(2).f)             \
      BACK_EDGE(3, 4);                        \
    else                                      \
      ip += 5;                                \
    NEXT();                                   \
  }                                           \
  OP(br_if_i32_##c##_imm_back) {              \
    if ((T)SL(1).f op(T) ip[2])               \
      BACK_EDGE(3, 4);                        \
    else                                      \
      ip += 5;                                \
    NEXT();                                   \
  }                                           \
  OP(incr_br_if_i32_##c##_back) {             \
    uint32_t v = SL(1).u32 + (uint32_t)ip[2]; \
    SL(1).u64 = v;                            \
    if ((T)v op(T) SL(3).f)                   \
      BACK_EDGE(4, 5);                        \
    else                                      \
      ip += 6;                                \
    NEXT();                                   \
  }                                           \
  OP(incr_br_if_i32_##c##_imm_back) {         \
    uint32_t v = SL(1).u32 + (uint32_t)ip[2]; \
    SL(1).u64 = v;                            \
    if ((T)v op(T) ip[3])                     \
      BACK_EDGE(4, 5);                        \
    else                                      \
      ip += 6;                                \
    NEXT();                                   \
  }
  WG_I32_CMPS(CMP_HANDLERS)
  OP(br_back) {
    BACK_EDGE(1, 2);
    NEXT();
  }
  OP(br_if_back) {
    if (SL(1).i32)
      BACK_EDGE(2, 3);
    else
      ip += 4;
    NEXT();
  }
  OP(br_if_i32_eqz_back) {
    if (!SL(1).i32)
      BACK_EDGE(2, 3);
    else
      ip += 4;
    NEXT();
  }
  OP(br_if_i32_eqz) {
    if (!SL(1).i32)
      ip = (const uint64_t *)(uintptr_t)ip[2];
    else
      ip += 3;
    NEXT();
  }
  OP(br_table) {
    uint64_t i = SL(1).u32;
    uint64_t n = ip[2];
    if (i > n) i = n;
    ip = (const uint64_t *)(uintptr_t)ip[3 + i];
    NEXT();
  }
  OP(loop_check) {
    fuel -= (int64_t)ip[1];
    if (UNLIKELY(fuel < 0)) TRAPK(WG_TRAP_FUEL, "all fuel consumed");
    if (UNLIKELY(atomic_load_explicit(&store->interrupt, memory_order_relaxed)))
      TRAPK(WG_TRAP_INTERRUPT, "interrupted");
    ip += 2;
    NEXT();
  }
  OP(ret) {
    /* mem/memsize stay valid across same-instance calls: a memory.grow in
     * the callee reloaded them, and host calls reload after returning. */
    WgFrame *fr = &frames[--depth];
    if (UNLIKELY(fr->ret_ip == NULL)) goto done;
    ip = fr->ret_ip;
    fp = fr->fp;
    if (UNLIKELY(fr->inst != inst)) {
      inst = fr->inst;
      RELOAD_MEM();
    }
    NEXT();
  }
  OP(call) {
    const WgCode *cc = (const WgCode *)(uintptr_t)ip[1];
    new_fp = fp + ip[2];
    if (UNLIKELY(depth >= max_depth || new_fp + cc->frame_slots > stack_end))
      TRAPK(WG_TRAP_EXHAUSTED, "call stack exhausted");
    fuel -= cc->fuel_cost;
    if (UNLIKELY(fuel < 0)) TRAPK(WG_TRAP_FUEL, "all fuel consumed");
    if (UNLIKELY(atomic_load_explicit(&store->interrupt, memory_order_relaxed)))
      TRAPK(WG_TRAP_INTERRUPT, "interrupted");
    frames[depth++] = (WgFrame){ ip + 3, fp, inst };
    fp = new_fp;
    for (uint32_t k = 0; k < cc->local_slots; k++)
      fp[cc->param_slots + k].u64 = 0;
    ip = cc->entry;
    NEXT();
  }
  OP(call_import) {
    callee = inst->funcs[ip[1]];
    new_fp = fp + ip[2];
    ip += 3;
    goto call_generic;
  }
  OP(call_indirect) {
    WgTableInst *t = inst->tables[ip[1]];
    uint32_t i = SL(3).u32;
    if (UNLIKELY(i >= t->size)) TRAP("undefined element");
    callee = (WgFuncInst *)t->elems[i];
    if (UNLIKELY(!callee)) {
      trap_index = (int64_t)i;
      TRAP("uninitialized element");
    }
    if (UNLIKELY(callee->type_id != inst->type_ids[ip[2]]))
      TRAP("indirect call type mismatch");
    new_fp = fp + ip[4];
    ip += 5;
    goto call_generic;
  }
call_generic:
  /* `ip` already points after the call instruction. */
  if (callee->is_host) {
    if (UNLIKELY(depth >= max_depth))
      TRAPK(WG_TRAP_EXHAUSTED, "call stack exhausted");
    if (store->fuel_on) store->fuel = fuel;
    frames[depth++] = (WgFrame){ ip, fp, inst };
    store->depth = depth; /* re-entrant calls push above */
    host_trap = call_host(store, inst, callee, new_fp);
    store->depth = --depth;
    if (store->fuel_on) fuel = store->fuel;
    if (host_trap) goto trap;
    RELOAD_MEM();
    NEXT();
  } else {
    const WgCode *cc = callee->code;
    if (UNLIKELY(depth >= max_depth || new_fp + cc->frame_slots > stack_end))
      TRAPK(WG_TRAP_EXHAUSTED, "call stack exhausted");
    fuel -= cc->fuel_cost;
    if (UNLIKELY(fuel < 0)) TRAPK(WG_TRAP_FUEL, "all fuel consumed");
    if (UNLIKELY(atomic_load_explicit(&store->interrupt, memory_order_relaxed)))
      TRAPK(WG_TRAP_INTERRUPT, "interrupted");
    frames[depth++] = (WgFrame){ ip, fp, inst };
    fp = new_fp;
    for (uint32_t k = 0; k < cc->local_slots; k++)
      fp[cc->param_slots + k].u64 = 0;
    if (callee->inst != inst) {
      inst = callee->inst;
      RELOAD_MEM();
    }
    ip = cc->entry;
    NEXT();
  }

  /* Section: data movement */

  OP(copy64) {
    SL(1) = SL(2);
    ip += 3;
    NEXT();
  }
  OP(copy_n) {
    uint64_t n = ip[1];
    const uint64_t *p = ip + 2;
    for (uint64_t k = 0; k < n; k++, p += 2)
      fp[p[0]] = fp[p[1]];
    ip = p;
    NEXT();
  }
  OP(copy128) {
    WgSlot a = fp[ip[2]], b = fp[ip[2] + 1];
    fp[ip[1]] = a;
    fp[ip[1] + 1] = b;
    ip += 3;
    NEXT();
  }
  OP(const64) {
    SL(1).u64 = ip[2];
    ip += 3;
    NEXT();
  }
  OP(const128) {
    fp[ip[1]].u64 = ip[2];
    fp[ip[1] + 1].u64 = ip[3];
    ip += 4;
    NEXT();
  }
  OP(select64) {
    SL(1) = SL(4).i32 ? SL(2) : SL(3);
    ip += 5;
    NEXT();
  }
  OP(select128) {
    uint64_t src = SL(4).i32 ? ip[2] : ip[3];
    WgSlot a = fp[src], b = fp[src + 1];
    fp[ip[1]] = a;
    fp[ip[1] + 1] = b;
    ip += 5;
    NEXT();
  }
  OP(global_get) {
    SL(1) = inst->globals[ip[2]]->val[0];
    ip += 3;
    NEXT();
  }
  OP(global_set) {
    inst->globals[ip[2]]->val[0] = SL(1);
    ip += 3;
    NEXT();
  }
  OP(global_get128) {
    WgGlobalInst *g = inst->globals[ip[2]];
    fp[ip[1]] = g->val[0];
    fp[ip[1] + 1] = g->val[1];
    ip += 3;
    NEXT();
  }
  OP(global_set128) {
    WgGlobalInst *g = inst->globals[ip[2]];
    g->val[0] = fp[ip[1]];
    g->val[1] = fp[ip[1] + 1];
    ip += 3;
    NEXT();
  }

  /* Section: references and tables */

  OP(ref_is_null) {
    SL(1).u64 = SL(2).ref == NULL;
    ip += 3;
    NEXT();
  }
  OP(ref_func) {
    SL(1).ref = inst->funcs[ip[2]];
    ip += 3;
    NEXT();
  }
  OP(table_get) {
    WgTableInst *t = inst->tables[ip[3]];
    uint32_t i = SL(2).u32;
    if (UNLIKELY(i >= t->size)) TRAP(MSG_OOB_TABLE);
    SL(1).ref = t->elems[i];
    ip += 4;
    NEXT();
  }
  OP(table_set) {
    WgTableInst *t = inst->tables[ip[3]];
    uint32_t i = SL(1).u32;
    if (UNLIKELY(i >= t->size)) TRAP(MSG_OOB_TABLE);
    t->elems[i] = SL(2).ref;
    ip += 4;
    NEXT();
  }
  OP(table_size) {
    SL(1).u64 = inst->tables[ip[2]]->size;
    ip += 3;
    NEXT();
  }
  OP(table_grow) {
    WgTableInst *t = inst->tables[ip[4]];
    void *init = SL(2).ref;
    int64_t r = wg_table_grow_raw(t, SL(3).u32, init);
    SL(1).u64 = (uint32_t)(int32_t)r;
    ip += 5;
    NEXT();
  }
  OP(table_fill) {
    WgTableInst *t = inst->tables[ip[4]];
    uint64_t i = SL(1).u32, n = SL(3).u32;
    void *v = SL(2).ref;
    if (UNLIKELY(i + n > t->size)) TRAP(MSG_OOB_TABLE);
    for (uint64_t k = 0; k < n; k++)
      t->elems[i + k] = v;
    ip += 5;
    NEXT();
  }
  OP(table_copy) {
    WgTableInst *dt = inst->tables[ip[4]], *st = inst->tables[ip[5]];
    uint64_t d = SL(1).u32, s = SL(2).u32, n = SL(3).u32;
    if (UNLIKELY(s + n > st->size || d + n > dt->size)) TRAP(MSG_OOB_TABLE);
    if (n) memmove(dt->elems + d, st->elems + s, n * sizeof(void *));
    ip += 6;
    NEXT();
  }
  OP(table_init) {
    WgTableInst *t = inst->tables[ip[4]];
    WgElemInst *e = &inst->elems[ip[5]];
    uint64_t d = SL(1).u32, s = SL(2).u32, n = SL(3).u32;
    if (UNLIKELY(s + n > e->count || d + n > t->size)) TRAP(MSG_OOB_TABLE);
    if (n) memcpy(t->elems + d, e->refs + s, n * sizeof(void *));
    ip += 6;
    NEXT();
  }
  OP(elem_drop) {
    inst->elems[ip[1]].count = 0;
    ip += 2;
    NEXT();
  }

  /* Section: memory */

#define EA(addr_k, n)                             \
  uint64_t ea = (uint64_t)SL(addr_k).u32 + ip[3]; \
  if (UNLIKELY(ea + (n) > memsize)) TRAP(MSG_OOB_MEM);
/* Effective addresses of the fused forms: slot + offset, and an address
 * that is itself a 32-bit sum (slot + slot, slot + constant), wrapping as
 * i32.add does before the offset is added. */
#define EA_AT(a, off)     ((uint64_t)SL(a).u32 + (off))
#define EA_ADD(a, b, off) ((uint64_t)(uint32_t)(SL(a).u32 + SL(b).u32) + (off))
#define EA_ADDI(a, k, off) \
  ((uint64_t)(uint32_t)(SL(a).u32 + (uint32_t)(k)) + (off))
/* Declares `T v`, read at effective address `ea` after the bounds check. */
#define READ_AT(T, v, ea)                                      \
  if (UNLIKELY((ea) + sizeof(T) > memsize)) TRAP(MSG_OOB_MEM); \
  T v;                                                         \
  memcpy(&v, mem + (ea), sizeof v)

#define LOAD(name, T, n, field, cast) \
  OP(name) {                          \
    EA(2, n);                         \
    T v;                              \
    memcpy(&v, mem + ea, n);          \
    SL(1).field = cast v;             \
    ip += 4;                          \
    NEXT();                           \
  }
#define LOAD_ADD(name, T, n, field, cast) \
  OP(name##_add) {                        \
    uint64_t ea = EA_ADD(2, 4, ip[3]);    \
    READ_AT(T, v, ea);                    \
    SL(1).field = cast v;                 \
    ip += 5;                              \
    NEXT();                               \
  }
#define LOAD_ADDI(name, T, n, field, cast)  \
  OP(name##_addi) {                         \
    uint64_t ea = EA_ADDI(2, ip[4], ip[3]); \
    READ_AT(T, v, ea);                      \
    SL(1).field = cast v;                   \
    ip += 5;                                \
    NEXT();                                 \
  }
#define LOAD2(name, T, n, field, cast) \
  LOAD(name, T, n, field, cast)        \
  LOAD_ADD(name, T, n, field, cast)    \
  LOAD_ADDI(name, T, n, field, cast)
  LOAD2(load32, uint32_t, 4, u64, (uint64_t))
  LOAD2(load64, uint64_t, 8, u64, (uint64_t))
  LOAD2(load8_s32, int8_t, 1, u64, (uint32_t)(int32_t))
  LOAD2(load8_u32, uint8_t, 1, u64, (uint64_t))
  LOAD2(load16_s32, int16_t, 2, u64, (uint32_t)(int32_t))
  LOAD2(load16_u32, uint16_t, 2, u64, (uint64_t))
  LOAD2(load8_s64, int8_t, 1, i64, (int64_t))
  LOAD2(load8_u64, uint8_t, 1, u64, (uint64_t))
  LOAD2(load16_s64, int16_t, 2, i64, (int64_t))
  LOAD2(load16_u64, uint16_t, 2, u64, (uint64_t))
  LOAD2(load32_s64, int32_t, 4, i64, (int64_t))
  LOAD2(load32_u64, uint32_t, 4, u64, (uint64_t))

#define STORE(name, T, n)    \
  OP(name) {                 \
    EA(1, n);                \
    T v = (T)SL(2).u64;      \
    memcpy(mem + ea, &v, n); \
    ip += 4;                 \
    NEXT();                  \
  }
  STORE(store8, uint8_t, 1)
  STORE(store16, uint16_t, 2)
  STORE(store32, uint32_t, 4)
  STORE(store64, uint64_t, 8)

#define BIN_LOAD(name, op, T, field, LT, load, expr) \
  OP(name##_ld) {                                    \
    uint64_t ea = EA_AT(3, ip[4]);                   \
    READ_AT(LT, lv, ea);                             \
    T a = (T)SL(2).field, b = (T)lv;                 \
    PUT(1, field, (expr));                           \
    ip += 5;                                         \
    NEXT();                                          \
  }
  WG_IOPS_BIN_LOAD(BIN_LOAD)
#define BIN_LOAD_ADD(name, op, T, field, LT, load, expr) \
  OP(name##_ld_add) {                                    \
    uint64_t ea = EA_ADD(3, 5, ip[4]);                   \
    READ_AT(LT, lv, ea);                                 \
    T a = (T)SL(2).field, b = (T)lv;                     \
    PUT(1, field, (expr));                               \
    ip += 6;                                             \
    NEXT();                                              \
  }                                                      \
  OP(name##_ld_addi) {                                   \
    uint64_t ea = EA_ADDI(3, ip[5], ip[4]);              \
    READ_AT(LT, lv, ea);                                 \
    T a = (T)SL(2).field, b = (T)lv;                     \
    PUT(1, field, (expr));                               \
    ip += 6;                                             \
    NEXT();                                              \
  }
  WG_IOPS_BIN_LOAD(BIN_LOAD_ADD)
#define BIN_LOAD_STORE(name, op, T, field, LT, load, expr) \
  OP(name##_ld_st) {                                       \
    uint64_t ea = EA_AT(1, ip[3]);                         \
    READ_AT(LT, lv, ea);                                   \
    T a = (T)SL(2).field, b = (T)lv;                       \
    LT r = (LT)(T)(expr);                                  \
    memcpy(mem + ea, &r, sizeof r);                        \
    ip += 4;                                               \
    NEXT();                                                \
  }
  WG_IOPS_BIN_LOAD(BIN_LOAD_STORE)
  /* mem[x + xoff] += m * mem[y_ea] (WG_IOPS_MADD), y_ea given by `yea`. */
#define MADD_CORE(T, field, yea)                                        \
  do {                                                                  \
    uint64_t xa = EA_AT(1, ip[2]), ya = (yea);                          \
    if (UNLIKELY(xa + sizeof(T) > memsize || ya + sizeof(T) > memsize)) \
      TRAP(MSG_OOB_MEM);                                                \
    T x, y;                                                             \
    memcpy(&y, mem + ya, sizeof y);                                     \
    memcpy(&x, mem + xa, sizeof x);                                     \
    T p = SL(3).field * y;                                              \
    x = x + p;                                                          \
    memcpy(mem + xa, &x, sizeof x);                                     \
  } while (0)
#define MADD(name, T, field)                       \
  OP(name) {                                       \
    MADD_CORE(T, field, EA_AT(4, ip[5]));          \
    ip += 6;                                       \
    NEXT();                                        \
  }                                                \
  OP(name##_add) {                                 \
    MADD_CORE(T, field, EA_ADD(4, 6, ip[5]));      \
    ip += 7;                                       \
    NEXT();                                        \
  }                                                \
  OP(name##_addi) {                                \
    MADD_CORE(T, field, EA_ADDI(4, ip[6], ip[5])); \
    ip += 7;                                       \
    NEXT();                                        \
  }
  WG_IOPS_MADD(MADD)

  OP(memory_size) {
    SL(1).u64 = inst->mem0->pages;
    ip += 2;
    NEXT();
  }
  OP(memory_grow) {
    int64_t r = wg_mem_grow(inst->mem0, SL(2).u32);
    SL(1).u64 = (uint32_t)(int32_t)r;
    RELOAD_MEM();
    ip += 3;
    NEXT();
  }
  OP(memory_init) {
    WgDataInst *dd = &inst->datas[ip[4]];
    uint64_t d = SL(1).u32, s = SL(2).u32, n = SL(3).u32;
    if (UNLIKELY(s + n > dd->len || d + n > memsize)) TRAP(MSG_OOB_MEM);
    if (n) memcpy(mem + d, dd->bytes + s, n);
    ip += 5;
    NEXT();
  }
  OP(data_drop) {
    inst->datas[ip[1]].len = 0;
    ip += 2;
    NEXT();
  }
  OP(memory_copy) {
    uint64_t d = SL(1).u32, s = SL(2).u32, n = SL(3).u32;
    if (UNLIKELY(s + n > memsize || d + n > memsize)) TRAP(MSG_OOB_MEM);
    if (n) memmove(mem + d, mem + s, n);
    ip += 4;
    NEXT();
  }
  OP(memory_fill) {
    uint64_t d = SL(1).u32, n = SL(3).u32;
    if (UNLIKELY(d + n > memsize)) TRAP(MSG_OOB_MEM);
    if (n) memset(mem + d, (int)(SL(2).u32 & 0xFF), n);
    ip += 4;
    NEXT();
  }

  /* Section: numeric */

#define BIN(name, T, field, expr)             \
  OP(name) {                                  \
    T a = (T)SL(2).field, b = (T)SL(3).field; \
    PUT(1, field, (expr));                    \
    ip += 4;                                  \
    NEXT();                                   \
  }
#define CMP(name, T, field, op)               \
  OP(name) {                                  \
    T a = (T)SL(2).field, b = (T)SL(3).field; \
    SL(1).u64 = a op b;                       \
    ip += 4;                                  \
    NEXT();                                   \
  }
#define UN(name, T, field, RT, rfield, expr) \
  OP(name) {                                 \
    T a = (T)SL(2).field;                    \
    RT r = (expr);                           \
    PUT(1, rfield, r);                       \
    ip += 3;                                 \
    NEXT();                                  \
  }

  OP(i32_eqz) {
    SL(1).u64 = SL(2).u32 == 0;
    ip += 3;
    NEXT();
  }
  CMP(i32_eq, uint32_t, u32, ==)
  CMP(i32_ne, uint32_t, u32, !=)
  CMP(i32_lt_s, int32_t, i32, <)
  CMP(i32_lt_u, uint32_t, u32, <)
  CMP(i32_gt_s, int32_t, i32, >)
  CMP(i32_gt_u, uint32_t, u32, >)
  CMP(i32_le_s, int32_t, i32, <=)
  CMP(i32_le_u, uint32_t, u32, <=)
  CMP(i32_ge_s, int32_t, i32, >=)
  CMP(i32_ge_u, uint32_t, u32, >=)
  OP(i64_eqz) {
    SL(1).u64 = SL(2).u64 == 0;
    ip += 3;
    NEXT();
  }
  CMP(i64_eq, uint64_t, u64, ==)
  CMP(i64_ne, uint64_t, u64, !=)
  CMP(i64_lt_s, int64_t, i64, <)
  CMP(i64_lt_u, uint64_t, u64, <)
  CMP(i64_gt_s, int64_t, i64, >)
  CMP(i64_gt_u, uint64_t, u64, >)
  CMP(i64_le_s, int64_t, i64, <=)
  CMP(i64_le_u, uint64_t, u64, <=)
  CMP(i64_ge_s, int64_t, i64, >=)
  CMP(i64_ge_u, uint64_t, u64, >=)
  CMP(f32_eq, float, f32, ==)
  CMP(f32_ne, float, f32, !=)
  CMP(f32_lt, float, f32, <)
  CMP(f32_gt, float, f32, >)
  CMP(f32_le, float, f32, <=)
  CMP(f32_ge, float, f32, >=)
  CMP(f64_eq, double, f64, ==)
  CMP(f64_ne, double, f64, !=)
  CMP(f64_lt, double, f64, <)
  CMP(f64_gt, double, f64, >)
  CMP(f64_le, double, f64, <=)
  CMP(f64_ge, double, f64, >=)

  UN(i32_clz, uint32_t, u32, uint64_t, u64, a ? __builtin_clz(a) : 32)
  UN(i32_ctz, uint32_t, u32, uint64_t, u64, a ? __builtin_ctz(a) : 32)
  UN(i32_popcnt, uint32_t, u32, uint64_t, u64, __builtin_popcount(a))
  BIN(i32_add, uint32_t, u32, a + b)
  BIN(i32_sub, uint32_t, u32, a - b)
  BIN(i32_mul, uint32_t, u32, a * b)
  OP(i32_add_imm) {
    SL(1).u64 = (uint32_t)(SL(2).u32 + (uint32_t)ip[3]);
    ip += 4;
    NEXT();
  }
#define BIN_IMM(name, T, field, expr)   \
  OP(name##_imm) {                      \
    T a = (T)SL(2).field, b = (T)ip[3]; \
    PUT(1, field, (expr));              \
    ip += 4;                            \
    NEXT();                             \
  }
  WG_IOPS_BIN_IMM(BIN_IMM)
#define BIN_SHIFT(name, wop, sh, expr)                          \
  OP(name) {                                                    \
    uint32_t a = SL(2).u32, x = SL(3).u32, k = (uint32_t)ip[4]; \
    SL(1).u64 = (uint32_t)(expr);                               \
    ip += 5;                                                    \
    NEXT();                                                     \
  }
  WG_IOPS_BIN_SHIFT(BIN_SHIFT)
  OP(i32_mul_add) {
    SL(1).u64 = (uint32_t)(SL(2).u32 + SL(3).u32 * SL(4).u32);
    ip += 5;
    NEXT();
  }
  OP(i32_div_s) {
    int32_t a = SL(2).i32, b = SL(3).i32;
    if (UNLIKELY(b == 0)) TRAP(MSG_DIV0);
    if (UNLIKELY(a == INT32_MIN && b == -1)) TRAP(MSG_OVF);
    SL(1).u64 = (uint32_t)(a / b);
    ip += 4;
    NEXT();
  }
  OP(i32_div_u) {
    uint32_t a = SL(2).u32, b = SL(3).u32;
    if (UNLIKELY(b == 0)) TRAP(MSG_DIV0);
    SL(1).u64 = a / b;
    ip += 4;
    NEXT();
  }
  OP(i32_rem_s) {
    int32_t a = SL(2).i32, b = SL(3).i32;
    if (UNLIKELY(b == 0)) TRAP(MSG_DIV0);
    SL(1).u64 = (b == -1) ? 0 : (uint32_t)(a % b);
    ip += 4;
    NEXT();
  }
  OP(i32_rem_u) {
    uint32_t a = SL(2).u32, b = SL(3).u32;
    if (UNLIKELY(b == 0)) TRAP(MSG_DIV0);
    SL(1).u64 = a % b;
    ip += 4;
    NEXT();
  }
  BIN(i32_and, uint32_t, u32, a & b)
  BIN(i32_or, uint32_t, u32, a | b)
  BIN(i32_xor, uint32_t, u32, a ^ b)
  BIN(i32_shl, uint32_t, u32, a << (b & 31))
  BIN(i32_shr_s, int32_t, i32, a >> (b & 31))
  BIN(i32_shr_u, uint32_t, u32, a >> (b & 31))
  BIN(i32_rotl, uint32_t, u32, rotl32(a, b))
  BIN(i32_rotr, uint32_t, u32, rotr32(a, b))

  UN(i64_clz, uint64_t, u64, uint64_t, u64, a ? __builtin_clzll(a) : 64)
  UN(i64_ctz, uint64_t, u64, uint64_t, u64, a ? __builtin_ctzll(a) : 64)
  UN(i64_popcnt, uint64_t, u64, uint64_t, u64, __builtin_popcountll(a))
  BIN(i64_add, uint64_t, u64, a + b)
  BIN(i64_sub, uint64_t, u64, a - b)
  BIN(i64_mul, uint64_t, u64, a * b)
  OP(i64_div_s) {
    int64_t a = SL(2).i64, b = SL(3).i64;
    if (UNLIKELY(b == 0)) TRAP(MSG_DIV0);
    if (UNLIKELY(a == INT64_MIN && b == -1)) TRAP(MSG_OVF);
    SL(1).i64 = a / b;
    ip += 4;
    NEXT();
  }
  OP(i64_div_u) {
    uint64_t a = SL(2).u64, b = SL(3).u64;
    if (UNLIKELY(b == 0)) TRAP(MSG_DIV0);
    SL(1).u64 = a / b;
    ip += 4;
    NEXT();
  }
  OP(i64_rem_s) {
    int64_t a = SL(2).i64, b = SL(3).i64;
    if (UNLIKELY(b == 0)) TRAP(MSG_DIV0);
    SL(1).i64 = (b == -1) ? 0 : a % b;
    ip += 4;
    NEXT();
  }
  OP(i64_rem_u) {
    uint64_t a = SL(2).u64, b = SL(3).u64;
    if (UNLIKELY(b == 0)) TRAP(MSG_DIV0);
    SL(1).u64 = a % b;
    ip += 4;
    NEXT();
  }
  BIN(i64_and, uint64_t, u64, a & b)
  BIN(i64_or, uint64_t, u64, a | b)
  BIN(i64_xor, uint64_t, u64, a ^ b)
  BIN(i64_shl, uint64_t, u64, a << (b & 63))
  BIN(i64_shr_s, int64_t, i64, a >> (b & 63))
  BIN(i64_shr_u, uint64_t, u64, a >> (b & 63))
  BIN(i64_rotl, uint64_t, u64, rotl64(a, b))
  BIN(i64_rotr, uint64_t, u64, rotr64(a, b))

  UN(f32_abs, uint32_t, u32, uint64_t, u64, a & 0x7FFFFFFFu)
  UN(f32_neg, uint32_t, u32, uint64_t, u64, a ^ 0x80000000u)
  UN(f32_ceil, float, f32, float, f32, f32_ceil(a))
  UN(f32_floor, float, f32, float, f32, f32_floor(a))
  UN(f32_trunc, float, f32, float, f32, f32_trunc(a))
  UN(f32_nearest, float, f32, float, f32, f32_nearest(a))
  UN(f32_sqrt, float, f32, float, f32, sqrtf(a))
  BIN(f32_add, float, f32, a + b)
  BIN(f32_sub, float, f32, a - b)
  BIN(f32_mul, float, f32, a *b)
  BIN(f32_div, float, f32, a / b)
  BIN(f32_min, float, f32, f32_min(a, b))
  BIN(f32_max, float, f32, f32_max(a, b))
  BIN(f32_copysign, uint32_t, u32, (a & 0x7FFFFFFFu) | (b & 0x80000000u))
  UN(f64_abs, uint64_t, u64, uint64_t, u64, a & 0x7FFFFFFFFFFFFFFFull)
  UN(f64_neg, uint64_t, u64, uint64_t, u64, a ^ 0x8000000000000000ull)
  UN(f64_ceil, double, f64, double, f64, f64_ceil(a))
  UN(f64_floor, double, f64, double, f64, f64_floor(a))
  UN(f64_trunc, double, f64, double, f64, f64_trunc(a))
  UN(f64_nearest, double, f64, double, f64, f64_nearest(a))
  UN(f64_sqrt, double, f64, double, f64, sqrt(a))
  BIN(f64_add, double, f64, a + b)
  BIN(f64_sub, double, f64, a - b)
  BIN(f64_mul, double, f64, a *b)
  BIN(f64_div, double, f64, a / b)
  BIN(f64_min, double, f64, f64_min(a, b))
  BIN(f64_max, double, f64, f64_max(a, b))
  BIN(f64_copysign, uint64_t, u64,
      (a & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull))

#define TRUNC(name, FT, field, RT, rfield, ok) \
  OP(name) {                                   \
    FT x = SL(2).field;                        \
    if (UNLIKELY(x != x)) TRAP(MSG_INVCONV);   \
    if (UNLIKELY(!(ok))) TRAP(MSG_OVF);        \
    PUT(1, rfield, (RT)x);                     \
    ip += 3;                                   \
    NEXT();                                    \
  }
  TRUNC(i32_trunc_f32_s, float, f32, int32_t, i32,
        x >= -2147483648.0f && x < 2147483648.0f)
  TRUNC(i32_trunc_f32_u, float, f32, uint32_t, u32,
        x > -1.0f && x < 4294967296.0f)
  TRUNC(i32_trunc_f64_s, double, f64, int32_t, i32,
        x > -2147483649.0 && x < 2147483648.0)
  TRUNC(i32_trunc_f64_u, double, f64, uint32_t, u32,
        x > -1.0 && x < 4294967296.0)
  TRUNC(i64_trunc_f32_s, float, f32, int64_t, i64,
        x >= -9223372036854775808.0f && x < 9223372036854775808.0f)
  TRUNC(i64_trunc_f32_u, float, f32, uint64_t, u64,
        x > -1.0f && x < 18446744073709551616.0f)
  TRUNC(i64_trunc_f64_s, double, f64, int64_t, i64,
        x >= -9223372036854775808.0 && x < 9223372036854775808.0)
  TRUNC(i64_trunc_f64_u, double, f64, uint64_t, u64,
        x > -1.0 && x < 18446744073709551616.0)
  UN(i32_trunc_sat_f32_s, float, f32, uint64_t, u64,
     (uint32_t)sat_i32_f64((double)a))
  UN(i32_trunc_sat_f32_u, float, f32, uint64_t, u64, sat_u32_f64((double)a))
  UN(i32_trunc_sat_f64_s, double, f64, uint64_t, u64, (uint32_t)sat_i32_f64(a))
  UN(i32_trunc_sat_f64_u, double, f64, uint64_t, u64, sat_u32_f64(a))
  UN(i64_trunc_sat_f32_s, float, f32, int64_t, i64, sat_i64_f64((double)a))
  UN(i64_trunc_sat_f32_u, float, f32, uint64_t, u64, sat_u64_f64((double)a))
  UN(i64_trunc_sat_f64_s, double, f64, int64_t, i64, sat_i64_f64(a))
  UN(i64_trunc_sat_f64_u, double, f64, uint64_t, u64, sat_u64_f64(a))

  UN(i64_extend_i32_s, int32_t, i32, int64_t, i64, (int64_t)a)
  UN(i64_extend_i32_u, uint32_t, u32, uint64_t, u64, (uint64_t)a)
  UN(f32_convert_i32_s, int32_t, i32, float, f32, (float)a)
  UN(f32_convert_i32_u, uint32_t, u32, float, f32, (float)a)
  UN(f32_convert_i64_s, int64_t, i64, float, f32, (float)a)
  UN(f32_convert_i64_u, uint64_t, u64, float, f32, (float)a)
  UN(f32_demote_f64, double, f64, float, f32, (float)a)
  UN(f64_convert_i32_s, int32_t, i32, double, f64, (double)a)
  UN(f64_convert_i32_u, uint32_t, u32, double, f64, (double)a)
  UN(f64_convert_i64_s, int64_t, i64, double, f64, (double)a)
  UN(f64_convert_i64_u, uint64_t, u64, double, f64, (double)a)
  UN(f64_promote_f32, float, f32, double, f64, (double)a)
  UN(i32_extend8_s, uint32_t, u32, uint64_t, u64, (uint32_t)(int32_t)(int8_t)a)
  UN(i32_extend16_s, uint32_t, u32, uint64_t, u64,
     (uint32_t)(int32_t)(int16_t)a)
  UN(i64_extend8_s, uint64_t, u64, int64_t, i64, (int64_t)(int8_t)a)
  UN(i64_extend16_s, uint64_t, u64, int64_t, i64, (int64_t)(int16_t)a)
  UN(i64_extend32_s, uint64_t, u64, int64_t, i64, (int64_t)(int32_t)a)

#include "interp_simd.inc"

  /* Section: instruction pairs (WG_IOPS_PAIRS): the first instruction's
   * body, then a direct jump to the second's handler. */

#define BODY_i32_add_imm SL(1).u64 = (uint32_t)(SL(2).u32 + (uint32_t)ip[3])
#define BODY_i32_add     SL(1).u64 = (uint32_t)(SL(2).u32 + SL(3).u32)
#define BODY_copy64      SL(1) = SL(2)
#define BODY_load32                \
  do {                             \
    uint64_t ea = EA_AT(2, ip[3]); \
    READ_AT(uint32_t, v, ea);      \
    SL(1).u64 = v;                 \
  } while (0)
#define BODY_i32_rotl_imm SL(1).u64 = rotl32(SL(2).u32, (uint32_t)ip[3])
#define BODY_i32_xor_rotl \
  SL(1).u64 = SL(2).u32 ^ rotl32(SL(3).u32, (uint32_t)ip[4])
#define BODY_i32_xor_shr_u SL(1).u64 = SL(2).u32 ^ (SL(3).u32 >> (ip[4] & 31))
#define BODY_i32_mul_add \
  SL(1).u64 = (uint32_t)(SL(2).u32 + SL(3).u32 * SL(4).u32)
#define BODY_i32_add16s_ld_addi                               \
  do {                                                        \
    uint64_t ea = EA_ADDI(3, ip[5], ip[4]);                   \
    READ_AT(int16_t, v, ea);                                  \
    SL(1).u64 = (uint32_t)(SL(2).u32 + (uint32_t)(int32_t)v); \
  } while (0)
#define BODY_f64_madd_st      MADD_CORE(double, f64, EA_AT(4, ip[5]))
#define BODY_f64_madd_st_addi MADD_CORE(double, f64, EA_ADDI(4, ip[6], ip[5]))
#define BODY_i32_xor          SL(1).u64 = SL(2).u32 ^ SL(3).u32
#define BODY_i32_xor_imm      SL(1).u64 = SL(2).u32 ^ (uint32_t)ip[3]
#define BODY_i32_ne_imm       SL(1).u64 = SL(2).u32 != (uint32_t)ip[3]
#define BODY_i32_add_shl \
  SL(1).u64 = (uint32_t)(SL(2).u32 + (SL(3).u32 << (ip[4] & 31)))
#define BODY_i32_xor8u_ld          \
  do {                             \
    uint64_t ea = EA_AT(3, ip[4]); \
    READ_AT(uint8_t, b, ea);       \
    SL(1).u64 = SL(2).u32 ^ b;     \
  } while (0)
#define BODY_load32_addi                    \
  do {                                      \
    uint64_t ea = EA_ADDI(2, ip[4], ip[3]); \
    READ_AT(uint32_t, v, ea);               \
    SL(1).u64 = v;                          \
  } while (0)
#define BODY_load8_u32_add             \
  do {                                 \
    uint64_t ea = EA_ADD(2, 4, ip[3]); \
    READ_AT(uint8_t, b, ea);           \
    SL(1).u64 = b;                     \
  } while (0)
#define BODY_load8_u32_addi                 \
  do {                                      \
    uint64_t ea = EA_ADDI(2, ip[4], ip[3]); \
    READ_AT(uint8_t, b, ea);                \
    SL(1).u64 = b;                          \
  } while (0)
  /* Conditional branches as the first of a pair: taken, they dispatch
   * normally; not taken, the second instruction follows. */
#define BODY_br_if_i32_lt_u_imm      \
  if (SL(1).u32 < (uint32_t)ip[2]) { \
    JUMP(3);                         \
    NEXT();                          \
  }
#define BODY_br_if_i32_eqz \
  if (!SL(1).u32) {        \
    JUMP(2);               \
    NEXT();                \
  }
#define BODY_br_if_i32_le_s     \
  if (SL(1).i32 <= SL(2).i32) { \
    JUMP(3);                    \
    NEXT();                     \
  }
#define PAIR(a, n, b) \
  OP(a##__##b) {      \
    BODY_##a;         \
    ip += (n);        \
    goto L_##b;       \
  }
  WG_IOPS_PAIRS(PAIR)

trap:
  if (host_trap == NULL) {
    char buf[96];
    if (trap_index >= 0) {
      snprintf(buf, sizeof buf, "%s %lld", trap_msg, (long long)trap_index);
      trap_msg = buf;
    }
    host_trap = wg_trap_make(trap_kind, trap_msg);
  }
  if (trap_kind == WG_TRAP_FUEL) fuel = 0;
  store->depth = entry_depth;
  if (store->fuel_on) store->fuel = fuel < 0 ? 0 : fuel;
  return host_trap;
done:
  store->depth = depth;
  if (store->fuel_on) store->fuel = fuel;
  return NULL;
}

const void *const *wg_interp_handlers(void) {
  static const void *const *table;
  if (!table) run(NULL, NULL, NULL, &table);
  return table;
}

static WgTrap *invoke(WgStore *store, WgFuncInst *f, WgSlot *args) {
  if (f->is_host) {
    if (store->depth >= store->max_depth)
      return wg_trap_make(WG_TRAP_EXHAUSTED, "call stack exhausted");
    store->frames[store->depth++] = (WgFrame){ NULL, NULL, NULL };
    WgTrap *t = call_host(store, NULL, f, args);
    store->depth--;
    return t;
  }
  return run(store, f, args, NULL);
}

WgTrap *wg_interp_invoke(WgStore *store, WgFuncInst *f, WgSlot *args) {
  if (store->nesting >= WG_MAX_NESTING)
    return wg_trap_make(WG_TRAP_EXHAUSTED, "call stack exhausted");
  store->nesting++;
  WgTrap *t = invoke(store, f, args);
  store->nesting--;
  return t;
}
