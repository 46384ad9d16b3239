/* SPDX-License-Identifier: Apache-2.0 */
/* The interpreter: threaded code over the register form produced by the
 * compiler, compile*.c (instruction set in iops.h), dispatched by tail
 * calls (interp_tail.inc, clang) or computed goto (interp_goto.inc).
 *
 * The handlers live in interp_ops.inc, included WG_INTERP_COPIES times so
 * that each copy has its own indirect jumps (better branch prediction).
 *
 * Wasm calls do not recurse on the C stack: frames are records in
 * store->frames and values live in store->stack. Memory base and size are
 * kept in registers and reloaded after calls and memory.grow. Every trap
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
#define NAMES3(name, a, b, c)        #name a, #name b, #name c,
#define NAMELDBR(name, T)            NAMES3(name, "_br_if", "_br_unless", "_br_if_back")
#define NAMELD(name, op, T, f, LT, load, expr) \
  NAMES3(name, "_ld", "_ld_st", "_ld_add") #name "_ld_addi",
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

/* Section: the handlers' interface
 *
 * interp_ops.inc and interp_simd.inc are written against these macros and
 * the ones each dispatch backend defines:
 *   OP(name) { ... }    a handler;  ENTRY(name) { ... }  a shared path
 *   NEXT()              continue with the instruction at `ip`
 *   GOTO_OP(name)       continue with handler `name` (same copy)
 *   CALL_GENERIC()      the call path of imports and call_indirect
 *   DONE(), TRAP(msg), TRAPK(kind, msg), HOST_TRAP(trap)   leave run()
 *   CHARGE(cost)        charge fuel (traps when exhausted or interrupted)
 *   ADDR(handler)       a handler's address for the handler table
 *   CALL_STACK_FULL(), PUSH_FRAME(ret, fp, inst), POP_FRAME(), DEPTH_NOW()
 *                       the call stack of frame records
 *   INST, STACK_END, CALLEE, NEW_FP, TRAP_INDEX,
 *   STORE, FUEL_REST    the run's state
 * and the hot state `ip`, `fp`, `mem`, `memsize`, `fuel` as plain names. */

#define CAT_(a, b) a##b
#define CAT(a, b)  CAT_(a, b)
#define LBL(name)  CAT(L_##name, WG_REP)

#define SL(k) fp[ip[k]]
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
#define TRAP(msg)        TRAPK(WG_TRAP_WASM, msg)
/* Charges `cost` units of fuel; traps when the fuel is exhausted or the
 * interrupt flag is set (checked only when the budget runs out). */
#define CHARGE(cost)                                                  \
  do {                                                                \
    fuel -= (int64_t)(cost);                                          \
    if (UNLIKELY(fuel < 0)) {                                         \
      fuel = refuel(fuel, &FUEL_REST, STORE);                         \
      if (fuel == INT64_MIN) TRAPK(WG_TRAP_INTERRUPT, "interrupted"); \
      if (fuel < 0) TRAPK(WG_TRAP_FUEL, "all fuel consumed");         \
    }                                                                 \
  } while (0)

#define RELOAD_MEM()              \
  do {                            \
    if (INST->mem0) {             \
      mem = INST->mem0->data;     \
      memsize = INST->mem0->size; \
    } else {                      \
      mem = NULL;                 \
      memsize = 0;                \
    }                             \
  } while (0)

#if WG_INTERP_PROFILE
#define PROFILE_HIT() profile_hit((const void *)(uintptr_t)*ip)
#else
#define PROFILE_HIT() ((void)0)
#endif

/* One row of the handler table: every handler of one copy, in iops.h
 * order. */
#define LABEL4(name, op, shape, type)   ADDR(LBL(name)),
#define LABEL1(name)                    ADDR(LBL(name)),
#define LABEL4_0(name, op, shape, type) ADDR(L_##name##_r0),
#define LABEL1_0(name)                  ADDR(L_##name##_r0),
#define LABELIMM(name, T, f, expr)      ADDR(LBL(name##_imm)),
#define LABELADD(name)                  ADDR(LBL(name##_add)), ADDR(LBL(name##_addi)),
#define LABELSTADD(name, T)             ADDR(LBL(name##_add)), ADDR(LBL(name##_addi)),
#define LABELSELCMP(c, op, T, f) \
  ADDR(LBL(select_i32_##c)), ADDR(LBL(select_i32_##c##_imm)),
#define LABELLDBR(name, T)                              \
  ADDR(LBL(name##_br_if)), ADDR(LBL(name##_br_unless)), \
      ADDR(LBL(name##_br_if_back)),
#define LABELLD(name, op, T, f, LT, load, expr)                            \
  ADDR(LBL(name##_ld)), ADDR(LBL(name##_ld_st)), ADDR(LBL(name##_ld_add)), \
      ADDR(LBL(name##_ld_addi)),
#define LABELSH(name, wop, sh, expr) ADDR(LBL(name)),
#define LABELMADD(name, T, f) \
  ADDR(LBL(name)), ADDR(LBL(name##_add)), ADDR(LBL(name##_addi)),
#define LABELPAIR(a, n, b) ADDR(LBL(a##__##b)),
#define LABELCMP(c, op, T, f)                                          \
  ADDR(LBL(i32_##c##_imm)), ADDR(LBL(br_if_i32_##c)),                  \
      ADDR(LBL(br_if_i32_##c##_imm)), ADDR(LBL(br_if_i32_##c##_back)), \
      ADDR(LBL(br_if_i32_##c##_imm_back)),                             \
      ADDR(LBL(incr_br_if_i32_##c##_back)),                            \
      ADDR(LBL(incr_br_if_i32_##c##_imm_back)),
/* SIMD handlers exist once (copy 0). */
/* clang-format off */
#define HANDLER_ROW                                                   \
  {                                                                   \
    WG_IOPS_NUMERIC(LABEL4) WG_IOPS_SAT(LABEL4) WG_IOPS_MEM(LABEL1)   \
    WG_IOPS_MISC(LABEL1) WG_I32_CMPS(LABELCMP)                        \
    WG_IOPS_BIN_IMM(LABELIMM) WG_IOPS_MEM_ADD(LABELADD)               \
    WG_IOPS_STORE_ADD(LABELSTADD) WG_IOPS_LOAD_BR(LABELLDBR) WG_I32_CMPS(LABELSELCMP) \
    WG_IOPS_BIN_LOAD(LABELLD)                                         \
    WG_IOPS_BIN_SHIFT(LABELSH) WG_IOPS_MADD(LABELMADD)                \
    WG_IOPS_PAIRS(LABELPAIR)                                          \
    WG_IOPS_SIMD(LABEL4_0) WG_IOPS_SIMD_EXTRA(LABEL1_0)               \
  }
/* clang-format on */

/* Builds the trap of a run that ended in one (a host trap as is, else the
 * message with the element index when >= 0). */
static WgTrap *make_trap(WgTrap *host_trap, WgTrapKind kind, const char *msg,
                         int64_t index) {
  if (host_trap) return host_trap;
  char buf[96];
  if (index >= 0) {
    snprintf(buf, sizeof buf, "%s %lld", msg, (long long)index);
    msg = buf;
  }
  return wg_trap_make(kind, msg);
}

/* The store's fuel after a run: what was left of the budget plus the rest
 * (the budget is INT64_MIN after an interrupt; a fuel trap leaves 0). */
static void save_fuel(WgStore *store, int64_t fuel, int64_t rest,
                      int fuel_trap) {
  if (!store->fuel_on) return;
  int64_t total = fuel == INT64_MIN ? rest : fuel + rest;
  store->fuel = fuel_trap || total < 0 ? 0 : total;
}

/* Section: the dispatch loop
 *
 * Two backends run the same handlers: with clang (musttail and
 * preserve_none), every handler is a function that tail-calls the next,
 * with the hot state in argument registers; elsewhere one function holds
 * every handler as a label and dispatches by computed goto. */
#ifndef WG_INTERP_TAILCALL
#if defined(__clang__) && defined(__x86_64__) && __has_attribute(musttail) && \
    __has_attribute(preserve_none)
#define WG_INTERP_TAILCALL 1
#else
#define WG_INTERP_TAILCALL 0
#endif
#endif
#if WG_INTERP_TAILCALL
#include "interp_tail.inc"
#else
#include "interp_goto.inc"
#endif

const char *wg_interp_dispatch(void) {
  return WG_INTERP_TAILCALL ? "tail-call" : "computed-goto";
}

const void *const *wg_interp_handlers(void) {
  static const void *const *table;
  if (!table) {
    const void *const *t = handler_table();
    /* A list left out of a row leaves its tail empty (zero-filled). */
    for (int k = 0; k < WG_IOP_COUNT * WG_INTERP_COPIES; k++)
      if (!t[k]) {
        fprintf(stderr, "witgen: internal error: handler %d missing\n", k);
        abort();
      }
#if WG_INTERP_PROFILE
    atexit(profile_dump);
#endif
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
  return run(store, f, args);
}

WgTrap *wg_interp_invoke(WgStore *store, WgFuncInst *f, WgSlot *args) {
  if (store->nesting >= WG_MAX_NESTING)
    return wg_trap_make(WG_TRAP_EXHAUSTED, "call stack exhausted");
  store->nesting++;
  WgTrap *t = invoke(store, f, args);
  store->nesting--;
  return t;
}
