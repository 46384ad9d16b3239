/* SPDX-License-Identifier: Apache-2.0 */
/* The interpreter: threaded code with computed-goto dispatch over the
 * register form produced by compile.c (instruction set in iops.h).
 *
 * The handlers live in interp_ops.inc, included WG_INTERP_COPIES times so
 * that each copy has its own indirect jumps (better branch prediction).
 *
 * Wasm calls do not recurse on the C stack: frames are records in
 * store->frames and values live in store->stack. Memory base and size are
 * kept in locals and reloaded after calls and memory.grow. Every trap
 * carries the spec's message (spec: Execution, 4.4 Instructions).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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
#define NAMESTADD(name, T)           #name "_add", #name "_addi",
#define NAMESELCMP(c, op, T, f)      "select_i32_" #c, "select_i32_" #c "_imm",
#define NAMELDBR(name, T) \
#name "_br_if", #name "_br_unless", #name "_br_if_back",
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
          WG_IOPS_MEM_ADD(NAMEADD) WG_IOPS_STORE_ADD(NAMESTADD)
              WG_IOPS_LOAD_BR(NAMELDBR) WG_I32_CMPS(NAMESELCMP)
                  WG_IOPS_BIN_LOAD(NAMELD) WG_IOPS_BIN_SHIFT(NAMESH)
                      WG_IOPS_MADD(NAMEMADD) WG_IOPS_PAIRS(NAMEPAIR)
                          WG_IOPS_SIMD(NAME4) WG_IOPS_SIMD_EXTRA(NAME1)
};

static const char *profile_name(const void *addr) {
  const void *const *h = wg_interp_handlers();
  for (int k = 0; k < WG_IOP_COUNT * WG_INTERP_COPIES; k++)
    if (h[k] == addr) return profile_names[k % WG_IOP_COUNT];
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
    for (int k = 0; k < WG_IOP_COUNT * WG_INTERP_COPIES; k++)
      if (h[k] == profile_addr[best]) op = k % WG_IOP_COUNT;
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

/* Section: fuel and interrupts */

/* Fuel is charged against a budget of at most FUEL_CHUNK units kept in a
 * register; the rest of the store's fuel waits in `*rest`. Only when the
 * budget runs out does this slow path run: it checks the interrupt flag
 * (so an interrupt is seen within FUEL_CHUNK units of work) and moves more
 * fuel into the budget. The hot check is one subtraction and one branch,
 * and fuel runs out at exactly the same instruction as with one counter.
 * Returns the new budget: negative when the fuel is exhausted, INT64_MIN
 * when interrupted. */
enum { FUEL_CHUNK = 1 << 16 };

static int64_t refuel(int64_t budget, int64_t *rest, WgStore *store) {
  if (atomic_load_explicit(&store->interrupt, memory_order_relaxed)) {
    *rest += budget;
    return INT64_MIN;
  }
  int64_t want = FUEL_CHUNK - budget; /* > FUEL_CHUNK: budget < 0 */
  int64_t take = *rest < want ? *rest : want;
  *rest -= take;
  return budget + take;
}

/* Splits a store's fuel total into a budget and the rest. */
static inline int64_t fuel_budget(int64_t total, int64_t *rest) {
  int64_t b = total < FUEL_CHUNK ? total : FUEL_CHUNK;
  *rest = total - b;
  return b;
}

/* Section: the dispatch loop */


static WgTrap *run(WgStore *store, WgFuncInst *entry_fn, WgSlot *entry_fp,
                   const void *const **out_handlers) {
#define CAT_(a, b)                      a##b
#define CAT(a, b)                       CAT_(a, b)
#define LBL(name)                       CAT(L_##name, WG_REP)
#define LABEL4(name, op, shape, type)   &&LBL(name),
#define LABEL1(name)                    &&LBL(name),
#define LABEL4_0(name, op, shape, type) &&L_##name##_r0,
#define LABEL1_0(name)                  &&L_##name##_r0,
#define LABELIMM(name, T, f, expr)      &&LBL(name##_imm),
#define LABELADD(name)                  &&LBL(name##_add), &&LBL(name##_addi),
#define LABELSTADD(name, T)             &&LBL(name##_add), &&LBL(name##_addi),
#define LABELSELCMP(c, op, T, f) \
  &&LBL(select_i32_##c), &&LBL(select_i32_##c##_imm),
#define LABELLDBR(name, T) \
  &&LBL(name##_br_if), &&LBL(name##_br_unless), &&LBL(name##_br_if_back),
#define LABELLD(name, op, T, f, LT, load, expr)                \
  &&LBL(name##_ld), &&LBL(name##_ld_st), &&LBL(name##_ld_add), \
      &&LBL(name##_ld_addi),
#define LABELSH(name, wop, sh, expr) &&LBL(name),
#define LABELMADD(name, T, f) \
  &&LBL(name), &&LBL(name##_add), &&LBL(name##_addi),
#define LABELPAIR(a, n, b) &&LBL(a##__##b),
#define LABELCMP(c, op, T, f)                                             \
  &&LBL(i32_##c##_imm), &&LBL(br_if_i32_##c), &&LBL(br_if_i32_##c##_imm), \
      &&LBL(br_if_i32_##c##_back), &&LBL(br_if_i32_##c##_imm_back),       \
      &&LBL(incr_br_if_i32_##c##_back), &&LBL(incr_br_if_i32_##c##_imm_back),
  /* SIMD handlers exist once (copy 0). */
  /* clang-format off */
#define HANDLER_ROW                                                   \
  {                                                                   \
    WG_IOPS_NUMERIC(LABEL4) WG_IOPS_SAT(LABEL4) WG_IOPS_MEM(LABEL1)   \
    WG_IOPS_MISC(LABEL1) WG_I32_CMPS(LABELCMP)                        \
    WG_IOPS_BIN_IMM(LABELIMM) WG_IOPS_MEM_ADD(LABELADD)               \
    WG_IOPS_STORE_ADD(LABELSTADD) WG_IOPS_LOAD_BR(LABELLDBR) WG_I32_CMPS(LABELSELCMP)          \
    WG_IOPS_BIN_LOAD(LABELLD)                                         \
    WG_IOPS_BIN_SHIFT(LABELSH) WG_IOPS_MADD(LABELMADD)                \
    WG_IOPS_PAIRS(LABELPAIR)                                          \
    WG_IOPS_SIMD(LABEL4_0) WG_IOPS_SIMD_EXTRA(LABEL1_0)               \
  }
  /* clang-format on */
  /* One row per handler copy (WG_INTERP_COPIES), each with the labels of
   * its own inclusion of interp_ops.inc below. */
  static const void *const handlers[][WG_IOP_COUNT] = {
#define WG_REP _r0
    HANDLER_ROW,
#undef WG_REP
#define WG_REP _r1
    HANDLER_ROW,
#undef WG_REP
  };
  _Static_assert(sizeof handlers / sizeof handlers[0] == WG_INTERP_COPIES,
                 "one handler row per copy");
  if (out_handlers) {
    *out_handlers = &handlers[0][0];
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
  int64_t fuel_rest; /* fuel beyond the budget `fuel` (see refuel) */
  int64_t fuel =
      fuel_budget(store->fuel_on ? store->fuel : INT64_MAX, &fuel_rest);

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
#define OP(name) LBL(name) :
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

/* Charges `cost` units of fuel; traps when the fuel is exhausted or the
 * interrupt flag is set (checked only when the budget runs out). */
#define CHARGE(cost)                                                  \
  do {                                                                \
    fuel -= (int64_t)(cost);                                          \
    if (UNLIKELY(fuel < 0)) {                                         \
      fuel = refuel(fuel, &fuel_rest, store);                         \
      if (fuel == INT64_MIN) TRAPK(WG_TRAP_INTERRUPT, "interrupted"); \
      if (fuel < 0) TRAPK(WG_TRAP_FUEL, "all fuel consumed");         \
    }                                                                 \
  } while (0)

  /* Enter the first function (the sentinel frame has ret_ip NULL). */
  uint32_t depth = store->depth; /* synced to the store around host calls */
  if (depth >= max_depth || entry_fp + code->frame_slots > stack_end)
    TRAPK(WG_TRAP_EXHAUSTED, "call stack exhausted");
  frames[depth++] = (WgFrame){ NULL, NULL, NULL };
  memset(fp + code->param_slots, 0, sizeof(WgSlot) * code->local_slots);
  CHARGE(code->fuel_cost);
  RELOAD_MEM();
  ip = code->entry;
  NEXT();

#define WG_REP       _r0
#define WG_REP_INDEX 0
#include "interp_ops.inc"
#undef WG_REP
#undef WG_REP_INDEX
#define WG_REP       _r1
#define WG_REP_INDEX 1
#include "interp_ops.inc"
#undef WG_REP
#undef WG_REP_INDEX

call_generic:
  /* `ip` already points after the call instruction. */
  if (callee->is_host) {
    if (UNLIKELY(depth >= max_depth))
      TRAPK(WG_TRAP_EXHAUSTED, "call stack exhausted");
    if (store->fuel_on) store->fuel = fuel + fuel_rest;
    frames[depth++] = (WgFrame){ ip, fp, inst };
    store->depth = depth; /* re-entrant calls push above */
    host_trap = call_host(store, inst, callee, new_fp);
    store->depth = --depth;
    if (store->fuel_on) fuel = fuel_budget(store->fuel, &fuel_rest);
    if (host_trap) goto trap;
    RELOAD_MEM();
    NEXT();
  } else {
    const WgCode *cc = callee->code;
    if (UNLIKELY(depth >= max_depth || new_fp + cc->frame_slots > stack_end))
      TRAPK(WG_TRAP_EXHAUSTED, "call stack exhausted");
    CHARGE(cc->fuel_cost);
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


trap:
  if (host_trap == NULL) {
    char buf[96];
    if (trap_index >= 0) {
      snprintf(buf, sizeof buf, "%s %lld", trap_msg, (long long)trap_index);
      trap_msg = buf;
    }
    host_trap = wg_trap_make(trap_kind, trap_msg);
  }
  store->depth = entry_depth;
  if (store->fuel_on) {
    int64_t total = fuel == INT64_MIN ? fuel_rest : fuel + fuel_rest;
    store->fuel = trap_kind == WG_TRAP_FUEL || total < 0 ? 0 : total;
  }
  return host_trap;
done:
  store->depth = depth;
  if (store->fuel_on) store->fuel = fuel + fuel_rest;
  return NULL;
}

const void *const *wg_interp_handlers(void) {
  static const void *const *table;
  if (!table) {
    const void *const *t;
    run(NULL, NULL, NULL, &t);
    /* A list left out of a row leaves its tail empty (zero-filled). */
    for (int k = 0; k < WG_IOP_COUNT * WG_INTERP_COPIES; k++)
      if (!t[k]) {
        fprintf(stderr, "witgen: internal error: handler %d missing\n", k);
        abort();
      }
    table = t;
  }
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
