/* SPDX-License-Identifier: Apache-2.0 */
/* The core interpreter through the public API (witgen/wasm.h), on small
 * hand-assembled modules: arithmetic, control flow, calls, traps with the
 * spec's messages, linking, and the sandbox limits (fuel, interrupt, call
 * depth, memory growth, memory bounds for every access width). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmocka_all.h"
#include "witgen/core_module.h" /* WgFeature */
#include "witgen/wasm.h"

/* Section: a tiny module assembler */

typedef struct Buf {
  uint8_t b[8192];
  size_t n;
} Buf;

static void put(Buf *b, uint8_t v) {
  assert_true(b->n < sizeof b->b);
  b->b[b->n++] = v;
}

static void puts_(Buf *b, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    put(b, p[i]);
}

static void uleb(Buf *b, uint64_t v) {
  do {
    uint8_t byte = v & 0x7F;
    v >>= 7;
    put(b, byte | (v ? 0x80 : 0));
  } while (v);
}

static void name(Buf *b, const char *s) {
  uleb(b, strlen(s));
  puts_(b, (const uint8_t *)s, strlen(s));
}

static void section(Buf *m, uint8_t id, const Buf *content) {
  put(m, id);
  uleb(m, content->n);
  puts_(m, content->b, content->n);
}

/* One exported function per entry. Types are given as strings of value
 * type letters: "ii:i" = (i32, i32) -> i32; i=i32 I=i64 f=f32 F=f64. */
typedef struct FuncDef {
  const char *name;
  const char *sig;
  const char *locals; /* value type letters of extra locals */
  const uint8_t *body;
  size_t body_len; /* without the final end */
} FuncDef;

static uint8_t vt(char c) {
  switch (c) {
    case 'i':
      return 0x7F;
    case 'I':
      return 0x7E;
    case 'f':
      return 0x7D;
    default:
      return 0x7C;
  }
}

typedef struct ModuleOpts {
  int memory_pages; /* -1: no memory */
  int memory_max;   /* -1: none */
  bool import_host; /* import "env" "host" : (i32) -> i32 as function 0 */
  int table_size;   /* funcref table with all functions, -1: none */
  const uint8_t *data;
  size_t data_len;
  uint32_t data_offset;
  uint32_t data_memory; /* memory of the data segment */
  int memory1_pages;    /* a second memory, exported "memory1"; -1: none */
} ModuleOpts;

static size_t assemble(Buf *m, const FuncDef *fs, size_t n,
                       const ModuleOpts *o) {
  m->n = 0;
  puts_(m, (const uint8_t *)"\0asm\1\0\0\0", 8);
  Buf s = { .n = 0 };
  uleb(&s, n + 1);
  for (size_t i = 0; i < n; i++) {
    const char *colon = strchr(fs[i].sig, ':');
    put(&s, 0x60);
    uleb(&s, (size_t)(colon - fs[i].sig));
    for (const char *p = fs[i].sig; p < colon; p++)
      put(&s, vt(*p));
    uleb(&s, strlen(colon + 1));
    for (const char *p = colon + 1; *p; p++)
      put(&s, vt(*p));
  }
  puts_(&s, (const uint8_t[]){ 0x60, 1, 0x7F, 1, 0x7F }, 5); /* host type */
  section(m, 1, &s);
  uint32_t nimports = o->import_host ? 1 : 0;
  if (o->import_host) {
    s.n = 0;
    uleb(&s, 1);
    name(&s, "env");
    name(&s, "host");
    put(&s, 0);
    uleb(&s, n);
    section(m, 2, &s);
  }
  s.n = 0;
  uleb(&s, n);
  for (size_t i = 0; i < n; i++)
    uleb(&s, i);
  section(m, 3, &s);
  if (o->table_size >= 0) {
    s.n = 0;
    puts_(&s, (const uint8_t[]){ 1, 0x70, 0 }, 3);
    uleb(&s, (uint64_t)o->table_size);
    section(m, 4, &s);
  }
  if (o->memory_pages >= 0) {
    s.n = 0;
    put(&s, o->memory1_pages >= 0 ? 2 : 1);
    put(&s, o->memory_max >= 0 ? 1 : 0);
    uleb(&s, (uint64_t)o->memory_pages);
    if (o->memory_max >= 0) uleb(&s, (uint64_t)o->memory_max);
    if (o->memory1_pages >= 0) {
      put(&s, 0);
      uleb(&s, (uint64_t)o->memory1_pages);
    }
    section(m, 5, &s);
  }
  s.n = 0;
  uleb(&s, n + (o->memory_pages >= 0 ? 1 : 0) + (o->memory1_pages >= 0));
  for (size_t i = 0; i < n; i++) {
    name(&s, fs[i].name);
    put(&s, 0);
    uleb(&s, i + nimports);
  }
  if (o->memory_pages >= 0) {
    name(&s, "memory");
    put(&s, 2);
    put(&s, 0);
  }
  if (o->memory1_pages >= 0) {
    name(&s, "memory1");
    put(&s, 2);
    put(&s, 1);
  }
  section(m, 7, &s);
  if (o->table_size >= 0) { /* elem: table[0..n) = defined functions */
    s.n = 0;
    puts_(&s, (const uint8_t[]){ 1, 0, 0x41, 0, 0x0B }, 5);
    uleb(&s, n);
    for (size_t i = 0; i < n; i++)
      uleb(&s, i + nimports);
    section(m, 9, &s);
  }
  s.n = 0;
  uleb(&s, n);
  for (size_t i = 0; i < n; i++) {
    Buf body = { .n = 0 };
    size_t nl = fs[i].locals ? strlen(fs[i].locals) : 0;
    uleb(&body, nl);
    for (size_t k = 0; k < nl; k++) {
      put(&body, 1);
      put(&body, vt(fs[i].locals[k]));
    }
    puts_(&body, fs[i].body, fs[i].body_len);
    put(&body, 0x0B);
    uleb(&s, body.n);
    puts_(&s, body.b, body.n);
  }
  section(m, 10, &s);
  if (o->data) {
    s.n = 0;
    put(&s, 1);
    if (o->data_memory) { /* active, explicit memory index */
      put(&s, 2);
      uleb(&s, o->data_memory);
    } else {
      put(&s, 0);
    }
    put(&s, 0x41);
    /* i32.const offset (signed LEB) */
    uint32_t off = o->data_offset;
    int64_t v = (int32_t)off;
    for (;;) {
      uint8_t byte = v & 0x7F;
      v >>= 7;
      bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
      put(&s, byte | (done ? 0 : 0x80));
      if (done) break;
    }
    put(&s, 0x0B);
    uleb(&s, o->data_len);
    puts_(&s, o->data, o->data_len);
    section(m, 11, &s);
  }
  return m->n;
}

#define BODY(...) \
  (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

/* Section: fixture */

typedef struct Fx {
  WgEngine *engine;
  WgStore *store;
  WgInstance *inst;
} Fx;

static const ModuleOpts no_opts = {
  .memory_pages = -1, .memory_max = -1, .table_size = -1, .memory1_pages = -1
};

/* One page of memory with `n` bytes of `data` at `offset`. */
static ModuleOpts memory_with(const uint8_t *data, size_t n, uint32_t offset) {
  ModuleOpts o = no_opts;
  o.memory_pages = 1;
  o.data = data;
  o.data_len = n;
  o.data_offset = offset;
  return o;
}

static WgTrap *host_add1(void *env, WgCaller *caller, const WgVal *args,
                         WgVal *results) {
  (void)env;
  (void)caller;
  results[0] = wg_val_i32(args[0].of.i32 + 1);
  return NULL;
}

/* The message of the last diagnostic of `d` ("" when none). */
static const char *last_error(const WgDiagList *d) {
  size_t n = wg_diag_list_count(d);
  return n ? wg_diag_list_get(d, n - 1)->message : "";
}

static WgStatus fx_load(Fx *fx, const WgEngineConfig *cfg, const FuncDef *fs,
                        size_t n, const ModuleOpts *o, WgDiagList *diags) {
  memset(fx, 0, sizeof *fx);
  Buf m;
  assemble(&m, fs, n, o);
  fx->engine = wg_engine_new(cfg);
  assert_non_null(fx->engine);
  fx->store = wg_store_new(fx->engine);
  assert_non_null(fx->store);
  WgWasmModule *mod = NULL;
  WgDiagList *load_diags = wg_diag_list_new();
  WgStatus st = wg_wasm_module_load(fx->engine, m.b, m.n, &mod, load_diags);
  if (st != WG_OK) fail_msg("load: %s", wg_diag_list_first_error(load_diags));
  wg_diag_list_delete(load_diags);
  WgExtern imp;
  imp.kind = WG_WASM_EXTERN_FUNC;
  WgValKind i32 = WG_VAL_I32;
  imp.of.func =
      wg_func_new_host(fx->store, &i32, 1, &i32, 1, host_add1, NULL, NULL);
  st = wg_instance_new(fx->store, mod, &imp, o->import_host ? 1 : 0, &fx->inst,
                       diags);
  wg_wasm_module_delete(mod);
  return st;
}

static void fx_free(Fx *fx) {
  wg_store_delete(fx->store);
  wg_engine_delete(fx->engine);
}

/* Calls `name` with i32/i64 arguments (as given), returns the trap. */
static WgTrap *call(Fx *fx, const char *fn, const WgVal *args, size_t nargs,
                    WgVal *res, size_t nres) {
  return wg_instance_call(fx->store, fx->inst, wg_str_from_cstr(fn), args,
                          nargs, res, nres);
}

static int32_t call_i32(Fx *fx, const char *fn, int32_t a, int32_t b) {
  WgVal args[2] = { wg_val_i32(a), wg_val_i32(b) };
  WgExtern e;
  assert_true(wg_instance_export(fx->inst, wg_str_from_cstr(fn), &e));
  WgVal r;
  WgTrap *t = call(fx, fn, args, wg_func_param_count(e.of.func), &r, 1);
  if (t) fail_msg("unexpected trap: %s", wg_trap_message(t));
  assert_int_equal(r.kind, WG_VAL_I32);
  return r.of.i32;
}

static void expect_trap(Fx *fx, const char *fn, const WgVal *args, size_t nargs,
                        size_t nres, const char *msg) {
  WgVal r[4];
  WgTrap *t = call(fx, fn, args, nargs, r, nres);
  assert_non_null(t);
  assert_string_equal(wg_trap_message(t), msg);
  wg_trap_delete(t);
}

/* Section: arithmetic */

static void interp_computes_integer_arithmetic(void **state) {
  (void)state;
  const FuncDef fs[] = {
    { "add", "ii:i", NULL, BODY(0x20, 0, 0x20, 1, 0x6A) },
    { "sub", "ii:i", NULL, BODY(0x20, 0, 0x20, 1, 0x6B) },
    { "div_s", "ii:i", NULL, BODY(0x20, 0, 0x20, 1, 0x6D) },
    { "rem_s", "ii:i", NULL, BODY(0x20, 0, 0x20, 1, 0x6F) },
    { "rotl", "ii:i", NULL, BODY(0x20, 0, 0x20, 1, 0x77) },
    { "clz", "i:i", NULL, BODY(0x20, 0, 0x67) },
    { "shr_s", "ii:i", NULL, BODY(0x20, 0, 0x20, 1, 0x75) },
    { "add_k", "i:i", NULL, BODY(0x20, 0, 0x41, 0x7F, 0x6A) }, /* + -1 */
    { "lt_k", "i:i", NULL, BODY(0x20, 0, 0x41, 10, 0x48) },    /* < 10 */
  };
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, fs, 9, &no_opts, NULL), WG_OK);
  assert_int_equal(call_i32(&fx, "add", 2, 40), 42);
  assert_int_equal(call_i32(&fx, "add", INT32_MAX, 1), INT32_MIN);
  assert_int_equal(call_i32(&fx, "sub", 0, 1), -1);
  assert_int_equal(call_i32(&fx, "div_s", -7, 2), -3);
  assert_int_equal(call_i32(&fx, "rem_s", -7, 2), -1);
  assert_int_equal(call_i32(&fx, "rem_s", INT32_MIN, -1), 0);
  assert_int_equal(call_i32(&fx, "rotl", (int32_t)0x80000001, 1), 3);
  assert_int_equal(call_i32(&fx, "clz", 0, 0), 32);
  assert_int_equal(call_i32(&fx, "clz", 1, 0), 31);
  assert_int_equal(call_i32(&fx, "shr_s", -8, 33), -4); /* count mod 32 */
  assert_int_equal(call_i32(&fx, "add_k", 5, 0), 4);
  assert_int_equal(call_i32(&fx, "lt_k", -5, 0), 1);
  assert_int_equal(call_i32(&fx, "lt_k", 10, 0), 0);
  WgVal a[2] = { wg_val_i32(1), wg_val_i32(0) };
  expect_trap(&fx, "div_s", a, 2, 1, "integer divide by zero");
  expect_trap(&fx, "rem_s", a, 2, 1, "integer divide by zero");
  a[0] = wg_val_i32(INT32_MIN);
  a[1] = wg_val_i32(-1);
  expect_trap(&fx, "div_s", a, 2, 1, "integer overflow");
  fx_free(&fx);
}

static void interp_follows_float_semantics(void **state) {
  (void)state;
  const FuncDef fs[] = {
    { "min", "FF:F", NULL, BODY(0x20, 0, 0x20, 1, 0xA4) },
    { "nearest", "F:F", NULL, BODY(0x20, 0, 0x9E) },
    { "trunc_s", "F:i", NULL, BODY(0x20, 0, 0xAA) },
    { "trunc_sat_u", "F:i", NULL, BODY(0x20, 0, 0xFC, 0x03) },
    { "neg", "f:f", NULL, BODY(0x20, 0, 0x8C) },
  };
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, fs, 5, &no_opts, NULL), WG_OK);
  WgVal a[2] = { wg_val_f64(-0.0), wg_val_f64(0.0) }, r;
  assert_null(call(&fx, "min", a, 2, &r, 1));
  assert_int_equal(r.of.f64_bits, 0x8000000000000000ull); /* -0 */
  a[0].of.f64_bits = 0x7FF8000000000001ull;               /* NaN */
  assert_null(call(&fx, "min", a, 2, &r, 1));
  assert_true(r.of.f64_bits & 0x0008000000000000ull); /* quiet NaN */
  assert_int_equal((r.of.f64_bits >> 52) & 0x7FF, 0x7FF);
  a[0] = wg_val_f64(2.5);
  assert_null(call(&fx, "nearest", a, 1, &r, 1));
  assert_true(wg_val_get_f64(r) == 2.0); /* ties to even */
  a[0] = wg_val_f64(-2147483648.9);
  assert_null(call(&fx, "trunc_s", a, 1, &r, 1));
  assert_int_equal(r.of.i32, INT32_MIN);
  a[0] = wg_val_f64(2147483648.0);
  expect_trap(&fx, "trunc_s", a, 1, 1, "integer overflow");
  a[0].of.f64_bits = 0x7FF8000000000000ull;
  expect_trap(&fx, "trunc_s", a, 1, 1, "invalid conversion to integer");
  assert_null(call(&fx, "trunc_sat_u", a, 1, &r, 1));
  assert_int_equal(r.of.i32, 0);
  a[0] = wg_val_f64(1e300);
  assert_null(call(&fx, "trunc_sat_u", a, 1, &r, 1));
  assert_int_equal((uint32_t)r.of.i32, UINT32_MAX);
  /* neg flips the sign bit of a NaN and keeps its payload. */
  WgVal f;
  f.kind = WG_VAL_F32;
  f.of.f32_bits = 0x7FA00001u;
  assert_null(call(&fx, "neg", &f, 1, &r, 1));
  assert_int_equal(r.of.f32_bits, 0xFFA00001u);
  fx_free(&fx);
}

/* Section: control flow and calls */

static void interp_runs_loops_branches_and_calls(void **state) {
  (void)state;
  const FuncDef fs[] = {
    /* sum(n) = n + (n-1) + ... + 1 with a loop */
    { "sum", "i:i", "i",
      BODY(0x02, 0x40, 0x03, 0x40, 0x20, 0, 0x45, 0x0D, 1, 0x20, 1, 0x20, 0,
           0x6A, 0x21, 1, 0x20, 0, 0x41, 1, 0x6B, 0x21, 0, 0x0C, 0, 0x0B, 0x0B,
           0x20, 1) },
    /* fib(n) = n < 2 ? n : fib(n-1) + fib(n-2) */
    { "fib", "i:i", NULL,
      BODY(0x20, 0, 0x41, 2, 0x49, 0x04, 0x7F, 0x20, 0, 0x05, 0x20, 0, 0x41, 1,
           0x6B, 0x10, 1, 0x20, 0, 0x41, 2, 0x6B, 0x10, 1, 0x6A, 0x0B) },
    /* br_table: 0 -> 10, 1 -> 20, default -> 30 */
    { "table", "i:i", NULL,
      BODY(0x02, 0x40, 0x02, 0x40, 0x02, 0x40, 0x20, 0, 0x0E, 2, 0, 1, 2, 0x0B,
           0x41, 10, 0x0F, 0x0B, 0x41, 20, 0x0F, 0x0B, 0x41, 30) },
    /* calls the imported host function (index 0 in the import space) */
    { "host", "i:i", NULL, BODY(0x20, 0, 0x10, 0) },
    /* swap via multi-value block: (a, b) -> b - a */
    { "swap", "ii:i", NULL, BODY(0x20, 1, 0x20, 0, 0x6B) },
  };
  ModuleOpts o = no_opts;
  o.import_host = true;
  Fx fx;
  /* Function indices shift by one with the import: fix fib's self call. */
  uint8_t fib[sizeof(uint8_t[26])];
  memcpy(fib, fs[1].body, fs[1].body_len);
  fib[16] = 2;
  fib[23] = 2;
  FuncDef fs2[5];
  memcpy(fs2, fs, sizeof fs2);
  fs2[1].body = fib;
  assert_int_equal(fx_load(&fx, NULL, fs2, 5, &o, NULL), WG_OK);
  assert_int_equal(call_i32(&fx, "sum", 100, 0), 5050);
  assert_int_equal(call_i32(&fx, "fib", 20, 0), 6765);
  assert_int_equal(call_i32(&fx, "table", 0, 0), 10);
  assert_int_equal(call_i32(&fx, "table", 1, 0), 20);
  assert_int_equal(call_i32(&fx, "table", 7, 0), 30);
  assert_int_equal(call_i32(&fx, "host", 41, 0), 42);
  assert_int_equal(call_i32(&fx, "swap", 1, 10), 9);
  fx_free(&fx);
}

static void interp_traps_with_spec_messages(void **state) {
  (void)state;
  const FuncDef fs[] = {
    { "unreachable", ":", NULL, BODY(0x00) },
    /* call_indirect (type 1 = i:i) of table[idx] with arg 0 */
    { "indirect", "i:i", NULL, BODY(0x41, 0, 0x20, 0, 0x11, 1, 0) },
  };
  ModuleOpts o = no_opts;
  o.table_size = 4;
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, fs, 2, &o, NULL), WG_OK);
  expect_trap(&fx, "unreachable", NULL, 0, 0, "unreachable");
  WgVal a = wg_val_i32(0);
  expect_trap(&fx, "indirect", &a, 1, 1, "indirect call type mismatch");
  a = wg_val_i32(4);
  expect_trap(&fx, "indirect", &a, 1, 1, "undefined element");
  a = wg_val_i32(3);
  expect_trap(&fx, "indirect", &a, 1, 1, "uninitialized element 3");
  fx_free(&fx);
}

/* Section: limits */

static const uint8_t infinite_loop[] = { 0x03, 0x40, 0x0C, 0, 0x0B };

static void fuel_stops_an_infinite_loop(void **state) {
  (void)state;
  const FuncDef fs[] = {
    { "spin", ":", NULL, infinite_loop, sizeof infinite_loop },
  };
  WgEngineConfig cfg = { 0 };
  cfg.fuel = 100000;
  Fx fx;
  assert_int_equal(fx_load(&fx, &cfg, fs, 1, &no_opts, NULL), WG_OK);
  WgTrap *t = call(&fx, "spin", NULL, 0, NULL, 0);
  assert_non_null(t);
  assert_int_equal(wg_trap_kind(t), WG_TRAP_FUEL);
  wg_trap_delete(t);
  uint64_t left = 1;
  assert_true(wg_store_get_fuel(fx.store, &left));
  assert_int_equal(left, 0);
  wg_store_set_fuel(fx.store, 50);
  t = call(&fx, "spin", NULL, 0, NULL, 0);
  assert_non_null(t);
  assert_int_equal(wg_trap_kind(t), WG_TRAP_FUEL);
  wg_trap_delete(t);
  fx_free(&fx);
}

/* Fuel is charged in chunks internally (the interrupt flag is read when a
 * chunk runs out); the total must stay exact: a loop of n iterations
 * costs the same fuel whatever the starting amount, fuel of exactly that
 * cost suffices, and one unit less traps. */
static uint64_t fuel_used(Fx *fx, uint64_t fuel, int32_t n, WgTrapKind *kind) {
  wg_store_set_fuel(fx->store, fuel);
  WgVal arg = wg_val_i32(n), r;
  WgTrap *t = call(fx, "count", &arg, 1, &r, 1);
  *kind = t ? wg_trap_kind(t) : (WgTrapKind)-1;
  if (t) wg_trap_delete(t);
  uint64_t left = 0;
  assert_true(wg_store_get_fuel(fx->store, &left));
  return fuel - left;
}

static void fuel_is_exact_across_large_budgets(void **state) {
  (void)state;
  /* loop { n -= 1; br_if n != 0 }; n */
  const FuncDef fs[] = {
    { "count", "i:i", NULL,
      BODY(0x03, 0x40, 0x20, 0, 0x41, 1, 0x6B, 0x22, 0, 0x0D, 0, 0x0B, 0x20,
           0) },
  };
  WgEngineConfig cfg = { 0 };
  cfg.fuel = 1;
  Fx fx;
  assert_int_equal(fx_load(&fx, &cfg, fs, 1, &no_opts, NULL), WG_OK);
  WgTrapKind k;
  uint64_t c1 = fuel_used(&fx, 1u << 30, 100000, &k);
  assert_int_equal(k, (WgTrapKind)-1);
  uint64_t c2 = fuel_used(&fx, (1u << 30) + 12345, 200000, &k);
  uint64_t c3 = fuel_used(&fx, 3u << 29, 300000, &k);
  assert_true(c1 > 100000);
  assert_int_equal(c3 - c2, c2 - c1);
  assert_int_equal(fuel_used(&fx, c3, 300000, &k), c3);
  assert_int_equal(k, (WgTrapKind)-1);
  fuel_used(&fx, c3 - 1, 300000, &k);
  assert_int_equal(k, WG_TRAP_FUEL);
  fx_free(&fx);
}

static void *interrupt_later(void *arg) {
  struct timespec ts = { 0, 50 * 1000 * 1000 };
  nanosleep(&ts, NULL);
  wg_store_interrupt((WgStore *)arg);
  return NULL;
}

static void interrupt_flag_stops_a_loop_from_another_thread(void **state) {
  (void)state;
  const FuncDef fs[] = {
    { "spin", ":", NULL, infinite_loop, sizeof infinite_loop },
  };
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, fs, 1, &no_opts, NULL), WG_OK);
  pthread_t th;
  assert_int_equal(pthread_create(&th, NULL, interrupt_later, fx.store), 0);
  WgTrap *t = call(&fx, "spin", NULL, 0, NULL, 0);
  pthread_join(th, NULL);
  assert_non_null(t);
  assert_int_equal(wg_trap_kind(t), WG_TRAP_INTERRUPT);
  wg_trap_delete(t);
  wg_store_clear_interrupt(fx.store);
  fx_free(&fx);
}

static void runaway_recursion_traps_call_stack_exhausted(void **state) {
  (void)state;
  const FuncDef fs[] = {
    { "rec", "i:i", NULL, BODY(0x20, 0, 0x10, 0, 0x41, 1, 0x6A) },
  };
  WgEngineConfig cfg = { 0 };
  cfg.max_call_depth = 500;
  Fx fx;
  assert_int_equal(fx_load(&fx, &cfg, fs, 1, &no_opts, NULL), WG_OK);
  WgVal a = wg_val_i32(0);
  expect_trap(&fx, "rec", &a, 1, 1, "call stack exhausted");
  /* The store stays usable after the trap. */
  WgTrap *t = call(&fx, "rec", &a, 1, (WgVal[1]){ { 0 } }, 1);
  assert_non_null(t);
  assert_int_equal(wg_trap_kind(t), WG_TRAP_EXHAUSTED);
  wg_trap_delete(t);
  fx_free(&fx);
}

static void memory_grow_fails_beyond_the_limits(void **state) {
  (void)state;
  const FuncDef fs[] = {
    { "grow", "i:i", NULL, BODY(0x20, 0, 0x40, 0) },
    { "size", ":i", NULL, BODY(0x3F, 0) },
  };
  WgEngineConfig cfg = { 0 };
  cfg.max_memory_pages = 4;
  ModuleOpts o = no_opts;
  o.memory_pages = 1;
  Fx fx;
  assert_int_equal(fx_load(&fx, &cfg, fs, 2, &o, NULL), WG_OK);
  assert_int_equal(call_i32(&fx, "grow", 2, 0), 1);
  assert_int_equal(call_i32(&fx, "size", 0, 0), 3);
  assert_int_equal(call_i32(&fx, "grow", 2, 0), -1); /* engine cap: 4 */
  assert_int_equal(call_i32(&fx, "grow", 1, 0), 3);
  assert_int_equal(call_i32(&fx, "grow", 0, 0), 4);
  fx_free(&fx);
  /* The module's declared maximum applies too. */
  o.memory_max = 2;
  assert_int_equal(fx_load(&fx, NULL, fs, 2, &o, NULL), WG_OK);
  assert_int_equal(call_i32(&fx, "grow", 2, 0), -1);
  assert_int_equal(call_i32(&fx, "grow", 1, 0), 1);
  fx_free(&fx);
}

/* Every load and store width, at the last valid address and one byte
 * further, with and without a static offset. */
/* Section: fused instructions (compile.c fuses common sequences into one
 * handler; each must behave exactly like the sequence it replaces) */

static void
fused_counters_and_shifts_compute_like_the_plain_sequence(void **state) {
  (void)state;
  const FuncDef fs[] = {
    /* loop { s += i; i += 3 (tee); br_if i <u 30 }: s */
    { "up", "i:i", "ii",
      BODY(0x03, 0x40, 0x20, 2, 0x20, 1, 0x6A, 0x21, 2, 0x20, 1, 0x41, 3, 0x6A,
           0x22, 1, 0x41, 30, 0x49, 0x0D, 0, 0x0B, 0x20, 2) },
    /* loop { s += i; i += 1 (set); br_if n >s i }: the counter on the
     * right of a signed compare */
    { "upto", "i:i", "ii",
      BODY(0x03, 0x40, 0x20, 2, 0x20, 1, 0x6A, 0x21, 2, 0x20, 1, 0x41, 1, 0x6A,
           0x21, 1, 0x20, 0, 0x20, 1, 0x4A, 0x0D, 0, 0x0B, 0x20, 2) },
    /* loop { s += n; n += -1 (tee); br_if n != 0 }: s */
    { "down", "i:i", "i",
      BODY(0x03, 0x40, 0x20, 1, 0x20, 0, 0x6A, 0x21, 1, 0x20, 0, 0x41, 0x7F,
           0x6A, 0x22, 0, 0x41, 0, 0x47, 0x0D, 0, 0x0B, 0x20, 1) },
    /* a ^ rotl(x, 8), a + (x << 33): shifted operands */
    { "xrot", "ii:i", NULL, BODY(0x20, 0, 0x20, 1, 0x41, 8, 0x77, 0x73) },
    { "addshl", "ii:i", NULL, BODY(0x20, 0, 0x20, 1, 0x41, 33, 0x74, 0x6A) },
  };
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, fs, 5, &no_opts, NULL), WG_OK);
  assert_int_equal(call_i32(&fx, "up", 0, 0), 135);
  assert_int_equal(call_i32(&fx, "xrot", 1, (int32_t)0x80000001), 0x181);
  assert_int_equal(call_i32(&fx, "addshl", 5, 3), 11); /* count mod 32 */
  assert_int_equal(call_i32(&fx, "upto", 10, 0), 45);
  assert_int_equal(call_i32(&fx, "upto", -5, 0), 0); /* signed: one pass */
  assert_int_equal(call_i32(&fx, "down", 4, 0), 10);
  fx_free(&fx);
}

static void fused_loads_and_pairs_keep_wasm_semantics(void **state) {
  (void)state;
  const FuncDef fs[] = {
    /* a + i32.load offset=4 (x + 12) */
    { "addi", "ii:i", NULL,
      BODY(0x20, 1, 0x20, 0, 0x41, 12, 0x6A, 0x28, 2, 4, 0x6A) },
    /* a + i32.load offset=4 (x + y) */
    { "add", "iii:i", NULL,
      BODY(0x20, 1, 0x20, 0, 0x20, 2, 0x6A, 0x28, 2, 4, 0x6A) },
    /* a + i32.load16_s x */
    { "add16s", "ii:i", NULL, BODY(0x20, 1, 0x20, 0, 0x2E, 1, 0, 0x6A) },
    /* i32.store16 x (a + i32.load16_u x); i32.load x */
    { "rmw16", "ii:i", NULL,
      BODY(0x20, 0, 0x20, 1, 0x20, 0, 0x2F, 1, 0, 0x6A, 0x3B, 1, 0, 0x20, 0,
           0x28, 2, 0) },
    /* block { br_if flag; x += 4 } i32.load x: the branch lands on the
     * second instruction of the pair (add_imm, load32) */
    { "skip", "ii:i", NULL,
      BODY(0x02, 0x40, 0x20, 1, 0x0D, 0, 0x20, 0, 0x41, 4, 0x6A, 0x21, 0, 0x0B,
           0x20, 0, 0x28, 2, 0) },
    /* block { br_if !x; a = i32.load x; b = i32.load offset=4 x } a + b:
     * a chain of pairs led by a conditional branch */
    { "chain", "i:i", "ii",
      BODY(0x02, 0x40, 0x20, 0, 0x45, 0x0D, 0, 0x20, 0, 0x28, 2, 0, 0x21, 1,
           0x20, 0, 0x28, 2, 4, 0x21, 2, 0x0B, 0x20, 1, 0x20, 2, 0x6A) },
    /* mem[x] += 2.0 * mem[y] (f64), then mem[x] */
    { "madd", "ii:F", NULL,
      BODY(0x20, 0, 0x44, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x20, 1, 0x2B, 3, 0, 0xA2,
           0x20, 0, 0x2B, 3, 0, 0xA0, 0x39, 3, 0, 0x20, 0, 0x2B, 3, 0) },
    /* the same with mem[y + 8] */
    { "maddi", "ii:F", NULL,
      BODY(0x20, 0, 0x44, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x20, 1, 0x41, 8, 0x6A,
           0x2B, 3, 0, 0xA2, 0x20, 0, 0x2B, 3, 0, 0xA0, 0x39, 3, 0, 0x20, 0,
           0x2B, 3, 0) },
    /* f32: mem[x] += 2.0 * mem[y], then mem[x] */
    { "madd32", "ii:f", NULL,
      BODY(0x20, 0, 0x43, 0, 0, 0, 0x40, 0x20, 1, 0x2A, 2, 0, 0x94, 0x20, 0,
           0x2A, 2, 0, 0x92, 0x38, 2, 0, 0x20, 0, 0x2A, 2, 0) },
    /* 2.0 * f64.load (x + 8) */
    { "fmul", "i:F", NULL,
      BODY(0x44, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x20, 0, 0x41, 8, 0x6A, 0x2B, 3, 0,
           0xA2) },
  };
  static const uint8_t data[] = {
    7,    0,    0,    0,   0, 0, 0, 0,    /* i32 7 at 8 */
    0,    0,    0,    0,   0, 0, 4, 0x40, /* f64 2.5 at 16 */
    0xFE, 0xFF, 0,    0,                  /* i16 -2 at 24 */
    0,    0,    0x20, 0x40                /* f32 2.5 at 28 */
  };
  ModuleOpts o = memory_with(data, sizeof data, 8);
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, fs, 10, &o, NULL), WG_OK);
  assert_int_equal(call_i32(&fx, "chain", 0, 0), 0);
  assert_int_equal(call_i32(&fx, "chain", 4, 0), 7);
  WgVal far = wg_val_i32(65534);
  expect_trap(&fx, "chain", &far, 1, 1, "out of bounds memory access");
  assert_int_equal(call_i32(&fx, "skip", 4, 0), 7);
  assert_int_equal(call_i32(&fx, "skip", 8, 1), 7);
  assert_int_equal(call_i32(&fx, "skip", 8, 0), 0);
  assert_int_equal(call_i32(&fx, "skip", 4, 1), 0);
  assert_int_equal(call_i32(&fx, "add16s", 24, 100), 98);
  /* 0xFFFE + 3 stored in 16 bits: 1, the next bytes untouched */
  assert_int_equal(call_i32(&fx, "rmw16", 24, 3), 1);
  assert_int_equal(call_i32(&fx, "addi", -8, 100), 107); /* wraps to 4, +4 */
  assert_int_equal(call_i32(&fx, "addi", -4, 100), 100);
  WgVal a[3] = { wg_val_i32(-16), wg_val_i32(0), wg_val_i32(0) };
  /* 0xFFFFFFF0 + 12 does not wrap: 0xFFFFFFFC + 4 is out of bounds */
  expect_trap(&fx, "addi", a, 2, 1, "out of bounds memory access");
  a[0] = wg_val_i32(65521); /* 65521 + 12 + 4 = 65537: last byte outside */
  expect_trap(&fx, "addi", a, 2, 1, "out of bounds memory access");
  WgVal args[3] = { wg_val_i32(12), wg_val_i32(1), wg_val_i32(-8) };
  WgVal r;
  assert_null(call(&fx, "add", args, 3, &r, 1));
  assert_int_equal(r.of.i32, 8);
  args[0] = wg_val_i32(-8);
  args[2] = wg_val_i32(4);
  expect_trap(&fx, "add", args, 3, 1, "out of bounds memory access");
  args[0] = wg_val_i32(8);
  assert_null(call(&fx, "fmul", args, 1, &r, 1));
  assert_true(wg_val_get_f64(r) == 5.0);
  args[0] = wg_val_i32(-8 - 8); /* wraps to 0xFFFFFFF8: out of bounds */
  expect_trap(&fx, "fmul", args, 1, 1, "out of bounds memory access");
  /* multiply-add into memory at 40 (zero) from the f64 2.5 at 16 */
  args[0] = wg_val_i32(40);
  args[1] = wg_val_i32(16);
  assert_null(call(&fx, "madd", args, 2, &r, 1));
  assert_true(wg_val_get_f64(r) == 5.0);
  args[1] = wg_val_i32(8);
  assert_null(call(&fx, "maddi", args, 2, &r, 1));
  assert_true(wg_val_get_f64(r) == 10.0);
  args[1] = wg_val_i32(65536 - 4); /* y out of bounds: x is not written */
  expect_trap(&fx, "madd", args, 2, 1, "out of bounds memory access");
  args[1] = wg_val_i32(-8); /* y + 8 wraps to 0: reads zero */
  assert_null(call(&fx, "maddi", args, 2, &r, 1));
  assert_true(wg_val_get_f64(r) == 10.0);
  args[0] = wg_val_i32(48);
  args[1] = wg_val_i32(28);
  assert_null(call(&fx, "madd32", args, 2, &r, 1));
  assert_true(wg_val_get_f32(r) == 5.0f);
  fx_free(&fx);
}

/* A body that sets locals 1..k to 1..k, rotates them (l1 <- l2 <- ... <-
 * lk <- l1, through local k+1) as often as param 0 says, and returns
 * sum l_i * 10^(i-1). The k+1 moves are consecutive copies, which the
 * compiler merges into one instruction: copy_2 .. copy_6, then copy_n. */
static void sleb32(Buf *b, int32_t v) {
  for (;;) {
    uint8_t byte = v & 0x7F;
    v >>= 7;
    bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
    put(b, byte | (done ? 0 : 0x80));
    if (done) return;
  }
}

static void rotation_body(Buf *b, int k) {
  b->n = 0;
  for (int i = 1; i <= k; i++) {
    put(b, 0x41);
    sleb32(b, i);
    puts_(b, (const uint8_t[]){ 0x21, (uint8_t)i }, 2);
  }
  /* block loop (br_if 1 (i32.eqz n)) rotate; n -= 1; br 0 end end */
  puts_(b, (const uint8_t[]){ 0x02, 0x40, 0x03, 0x40, 0x20, 0, 0x45, 0x0D, 1 },
        9);
  puts_(b, (const uint8_t[]){ 0x20, 1, 0x21, (uint8_t)(k + 1) }, 4);
  for (int i = 1; i < k; i++)
    puts_(b, (const uint8_t[]){ 0x20, (uint8_t)(i + 1), 0x21, (uint8_t)i }, 4);
  puts_(b, (const uint8_t[]){ 0x20, (uint8_t)(k + 1), 0x21, (uint8_t)k }, 4);
  puts_(
      b,
      (const uint8_t[]){ 0x20, 0, 0x41, 1, 0x6B, 0x21, 0, 0x0C, 0, 0x0B, 0x0B },
      11);
  put(b, 0x41);
  sleb32(b, 0);
  int32_t scale = 1;
  for (int i = 1; i <= k; i++, scale *= 10) {
    puts_(b, (const uint8_t[]){ 0x20, (uint8_t)i, 0x41 }, 3);
    sleb32(b, scale);
    puts_(b, (const uint8_t[]){ 0x6C, 0x6A }, 2);
  }
}

static void rotating_locals_through_copies(void **state) {
  (void)state;
  static const char *const locals[] = { "ii",     "iii",     "iiii",    "iiiii",
                                        "iiiiii", "iiiiiii", "iiiiiiii" };
  for (int k = 1; k <= 7; k++) {
    Buf body;
    rotation_body(&body, k);
    FuncDef f = { "rot", "i:i", locals[k - 1], body.b, body.n };
    Fx fx;
    assert_int_equal(fx_load(&fx, NULL, &f, 1, &no_opts, NULL), WG_OK);
    for (int r = 0; r <= 9; r++) {
      int32_t want = 0, scale = 1;
      for (int i = 1; i <= k; i++, scale *= 10)
        want += ((i - 1 + r) % k + 1) * scale;
      assert_int_equal(call_i32(&fx, "rot", r, 0), want);
    }
    fx_free(&fx);
  }
  /* k = 1 rotates one value onto itself, which cannot show a lost second
   * copy: a shift (x <- y; y <- z) is two copies whose effects both show. */
  const FuncDef shift = { "shift", "iii:i", NULL,
                          BODY(0x20, 1, 0x21, 0, 0x20, 2, 0x21, 1, 0x20, 0,
                               0x41, 0xE4, 0x00, 0x6C, 0x20, 1, 0x41, 10, 0x6C,
                               0x6A, 0x20, 2, 0x6A) };
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, &shift, 1, &no_opts, NULL), WG_OK);
  WgVal a[3] = { wg_val_i32(1), wg_val_i32(2), wg_val_i32(3) }, r;
  assert_null(call(&fx, "shift", a, 3, &r, 1));
  assert_int_equal(r.of.i32, 233);
  fx_free(&fx);
}

/* Stores whose address is an i32.add computed just before the value is
 * read from a local (store<N>_add / _addi): the sum wraps at 32 bits
 * before the offset is added, and bounds are checked on the sum. */
static void fused_store_addresses_keep_wasm_semantics(void **state) {
  (void)state;
  const FuncDef fs[] = {
    /* i32.store offset=4 (x + y) v; i32.load offset=4 (x + y) */
    { "st", "iii:i", NULL,
      BODY(0x20, 0, 0x20, 1, 0x6A, 0x20, 2, 0x36, 2, 4, 0x20, 0, 0x20, 1, 0x6A,
           0x28, 2, 4) },
    /* i32.store8 offset=1 (x + 100) v; i32.load (x + 100) */
    { "st8i", "ii:i", NULL,
      BODY(0x20, 0, 0x41, 0xE4, 0x00, 0x6A, 0x20, 1, 0x3A, 0, 1, 0x20, 0, 0x41,
           0xE4, 0x00, 0x6A, 0x28, 2, 0) },
    /* i32.store16 (x + y) v; i32.load (x + y) */
    { "st16", "iii:i", NULL,
      BODY(0x20, 0, 0x20, 1, 0x6A, 0x20, 2, 0x3B, 1, 0, 0x20, 0, 0x20, 1, 0x6A,
           0x28, 2, 0) },
    /* i64.store offset=8 (x + y) v; i64.load offset=8 (x + y) */
    { "st64", "iiI:I", NULL,
      BODY(0x20, 0, 0x20, 1, 0x6A, 0x20, 2, 0x37, 3, 8, 0x20, 0, 0x20, 1, 0x6A,
           0x29, 3, 8) },
  };
  ModuleOpts o = no_opts;
  o.memory_pages = 1;
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, fs, 4, &o, NULL), WG_OK);
  WgVal r, a[3] = { wg_val_i32(100), wg_val_i32(20), wg_val_i32(0x12345678) };
  assert_null(call(&fx, "st", a, 3, &r, 1));
  assert_int_equal(r.of.i32, 0x12345678);
  a[0] = wg_val_i32(-8); /* -8 + 16 wraps to 8: stored at 12 */
  a[1] = wg_val_i32(16);
  a[2] = wg_val_i32(77);
  assert_null(call(&fx, "st", a, 3, &r, 1));
  assert_int_equal(r.of.i32, 77);
  a[0] = wg_val_i32(65528); /* 65528 + 4 + 4 bytes = 65536: the last word */
  a[1] = wg_val_i32(0);
  assert_null(call(&fx, "st", a, 3, &r, 1));
  assert_int_equal(r.of.i32, 77);
  a[0] = wg_val_i32(65529); /* one byte past the end */
  expect_trap(&fx, "st", a, 3, 1, "out of bounds memory access");
  a[0] = wg_val_i32(-16); /* 0xFFFFFFF0 + 0 + 4 does not wrap: out of bounds */
  expect_trap(&fx, "st", a, 3, 1, "out of bounds memory access");
  /* store8 writes one byte over a zeroed word at 200 + 1 */
  a[0] = wg_val_i32(100);
  a[1] = wg_val_i32(0x1FF);
  assert_null(call(&fx, "st8i", a, 2, &r, 1));
  assert_int_equal(r.of.i32, 0xFF00);
  a[0] = wg_val_i32(65536 - 101); /* 65435 + 100 + 1 = 65536: out */
  expect_trap(&fx, "st8i", a, 2, 1, "out of bounds memory access");
  a[0] = wg_val_i32(300);
  a[1] = wg_val_i32(4);
  a[2] = wg_val_i32(0x7FFFABCD); /* store16 keeps the low half */
  assert_null(call(&fx, "st16", a, 3, &r, 1));
  assert_int_equal(r.of.i32, 0xABCD);
  a[0] = wg_val_i32(400);
  a[1] = wg_val_i32(8);
  a[2] = wg_val_i64(INT64_C(0x0123456789ABCDEF));
  assert_null(call(&fx, "st64", a, 3, &r, 1));
  assert_true(r.of.i64 == INT64_C(0x0123456789ABCDEF));
  a[0] = wg_val_i32(65536 - 16); /* + 8 + 8 bytes = 65536: fits */
  a[1] = wg_val_i32(0);
  assert_null(call(&fx, "st64", a, 3, &r, 1));
  a[0] = wg_val_i32(65536 - 15);
  expect_trap(&fx, "st64", a, 3, 1, "out of bounds memory access");
  fx_free(&fx);
}

/* A load whose value a conditional branch tests (load8_u32 / load32 with
 * br_if, br_unless and the loop latch): the value still reaches its local
 * or temporary, and the load still traps out of bounds. */
static void loads_tested_by_branches_keep_wasm_semantics(void **state) {
  (void)state;
  const FuncDef fs[] = {
    /* loop { p += 1; br_if (local.tee v (i32.load8_u p)) } p + 1000 * v:
     * the first zero byte after x (v, the last byte loaded, is 0) */
    { "scan", "i:i", "i",
      BODY(0x03, 0x40, 0x20, 0, 0x41, 1, 0x6A, 0x22, 0, 0x2D, 0, 0, 0x22, 1,
           0x0D, 0, 0x0B, 0x20, 0, 0x20, 1, 0x41, 0xE8, 0x07, 0x6C, 0x6A) },
    /* block { v = i32.load x (tee); br_if 0; v = 100 } v */
    { "nz", "i:i", "i",
      BODY(0x02, 0x40, 0x20, 0, 0x28, 2, 0, 0x22, 1, 0x0D, 0, 0x41, 0xE4, 0x00,
           0x21, 1, 0x0B, 0x20, 1) },
    /* if (i32.load8_u x) { 1 } else { 2 } */
    { "ifz", "i:i", NULL,
      BODY(0x20, 0, 0x2D, 0, 0, 0x04, 0x7F, 0x41, 1, 0x05, 0x41, 2, 0x0B) },
  };
  static const uint8_t data[] = { 'a', 'b', 'c', 0, 5, 0, 0, 0 };
  ModuleOpts o = memory_with(data, sizeof data, 16);
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, fs, 3, &o, NULL), WG_OK);
  assert_int_equal(call_i32(&fx, "scan", 15, 0), 19);
  assert_int_equal(call_i32(&fx, "scan", 18, 0), 19);
  assert_int_equal(call_i32(&fx, "nz", 20, 0), 5);
  assert_int_equal(call_i32(&fx, "nz", 19, 0), 0x500); /* 0, 5, 0, 0 */
  assert_int_equal(call_i32(&fx, "nz", 24, 0), 100);
  assert_int_equal(call_i32(&fx, "ifz", 16, 0), 1);
  assert_int_equal(call_i32(&fx, "ifz", 19, 0), 2);
  WgVal far = wg_val_i32(65533);
  expect_trap(&fx, "nz", &far, 1, 1, "out of bounds memory access");
  far = wg_val_i32(65536);
  expect_trap(&fx, "ifz", &far, 1, 1, "out of bounds memory access");
  far = wg_val_i32(65535); /* the scan runs off the end of memory */
  expect_trap(&fx, "scan", &far, 1, 1, "out of bounds memory access");
  fx_free(&fx);
}

/* select on an i32 comparison computed just before (select_i32_<c>,
 * _imm): signedness, constants and 64-bit candidates. */
static void selects_on_comparisons_keep_wasm_semantics(void **state) {
  (void)state;
  const FuncDef fs[] = {
    /* select(a, b, x <s y) */
    { "lts", "iiii:i", NULL,
      BODY(0x20, 2, 0x20, 3, 0x20, 0, 0x20, 1, 0x48, 0x1B) },
    /* select(a, b, x >u 10) */
    { "gtu10", "iii:i", NULL,
      BODY(0x20, 1, 0x20, 2, 0x20, 0, 0x41, 10, 0x4B, 0x1B) },
    /* select(a, b, x == y) with i64 candidates */
    { "eq64", "iiII:I", NULL,
      BODY(0x20, 2, 0x20, 3, 0x20, 0, 0x20, 1, 0x46, 0x1B) },
  };
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, fs, 3, &no_opts, NULL), WG_OK);
  WgVal r, a[4] = { wg_val_i32(-5), wg_val_i32(3), wg_val_i32(111),
                    wg_val_i32(222) };
  assert_null(call(&fx, "lts", a, 4, &r, 1));
  assert_int_equal(r.of.i32, 111); /* -5 < 3 signed */
  a[0] = wg_val_i32(3);
  assert_null(call(&fx, "lts", a, 4, &r, 1));
  assert_int_equal(r.of.i32, 222); /* 3 < 3 is false */
  a[0] = wg_val_i32(-1);           /* 0xFFFFFFFF > 10 unsigned */
  a[1] = wg_val_i32(7);
  a[2] = wg_val_i32(8);
  assert_null(call(&fx, "gtu10", a, 3, &r, 1));
  assert_int_equal(r.of.i32, 7);
  a[0] = wg_val_i32(10);
  assert_null(call(&fx, "gtu10", a, 3, &r, 1));
  assert_int_equal(r.of.i32, 8);
  a[0] = wg_val_i32(4);
  a[1] = wg_val_i32(4);
  a[2] = wg_val_i64(INT64_C(-2));
  a[3] = wg_val_i64(INT64_C(0x100000000));
  assert_null(call(&fx, "eq64", a, 4, &r, 1));
  assert_true(r.of.i64 == -2);
  a[1] = wg_val_i32(5);
  assert_null(call(&fx, "eq64", a, 4, &r, 1));
  assert_true(r.of.i64 == INT64_C(0x100000000));
  fx_free(&fx);
}

/* A constant as the left operand (K op x, the constant emitted just before
 * a local.get): commutative operations, K - x and swapped comparisons. */
static void constants_on_the_left_keep_wasm_semantics(void **state) {
  (void)state;
  const FuncDef fs[] = {
    { "rsub", "i:i", NULL, BODY(0x41, 10, 0x20, 0, 0x6B) },   /* 10 - x */
    { "kmul", "i:i", NULL, BODY(0x41, 3, 0x20, 0, 0x6C) },    /* 3 * x */
    { "kxor", "i:i", NULL, BODY(0x41, 0x7F, 0x20, 0, 0x73) }, /* -1 ^ x */
    { "klts", "i:i", NULL, BODY(0x41, 5, 0x20, 0, 0x48) },    /* 5 <s x */
    { "kltu", "i:i", NULL, BODY(0x41, 5, 0x20, 0, 0x49) },    /* 5 <u x */
    { "kges", "i:i", NULL, BODY(0x41, 5, 0x20, 0, 0x4E) },    /* 5 >=s x */
    /* i64: 0x100000000 + x */
    { "kadd64", "I:I", NULL,
      BODY(0x42, 0x80, 0x80, 0x80, 0x80, 0x10, 0x20, 0, 0x7C) },
  };
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, fs, 7, &no_opts, NULL), WG_OK);
  assert_int_equal(call_i32(&fx, "rsub", 3, 0), 7);
  assert_int_equal(call_i32(&fx, "rsub", 13, 0), -3);
  assert_int_equal(call_i32(&fx, "kmul", -7, 0), -21);
  assert_int_equal(call_i32(&fx, "kxor", 5, 0), ~5);
  assert_int_equal(call_i32(&fx, "klts", 6, 0), 1);
  assert_int_equal(call_i32(&fx, "klts", 5, 0), 0);
  assert_int_equal(call_i32(&fx, "klts", -6, 0), 0);
  assert_int_equal(call_i32(&fx, "kltu", -6, 0), 1); /* 0xFFFFFFFA */
  assert_int_equal(call_i32(&fx, "kges", 5, 0), 1);
  assert_int_equal(call_i32(&fx, "kges", 6, 0), 0);
  WgVal a = wg_val_i64(-1), r;
  assert_null(call(&fx, "kadd64", &a, 1, &r, 1));
  assert_true(r.of.i64 == INT64_C(0xFFFFFFFF));
  fx_free(&fx);
}

static void every_access_width_traps_at_the_memory_boundary(void **state) {
  (void)state;
  static const struct {
    uint8_t op;
    uint32_t size;
    char sig[6];
  } ops[] = {
    { 0x28, 4, "i:i" }, { 0x29, 8, "i:I" }, { 0x2A, 4, "i:f" },
    { 0x2B, 8, "i:F" }, { 0x2C, 1, "i:i" }, { 0x2D, 1, "i:i" },
    { 0x2E, 2, "i:i" }, { 0x2F, 2, "i:i" }, { 0x30, 1, "i:I" },
    { 0x31, 1, "i:I" }, { 0x32, 2, "i:I" }, { 0x33, 2, "i:I" },
    { 0x34, 4, "i:I" }, { 0x35, 4, "i:I" }, { 0x36, 4, "ii:" },
    { 0x37, 8, "iI:" }, { 0x38, 4, "if:" }, { 0x39, 8, "iF:" },
    { 0x3A, 1, "ii:" }, { 0x3B, 2, "ii:" }, { 0x3C, 1, "iI:" },
    { 0x3D, 2, "iI:" }, { 0x3E, 4, "iI:" },
  };
  enum { N = sizeof ops / sizeof ops[0] };
  static uint8_t bodies[N][2][16];
  static char names[N][2][16];
  FuncDef fs[2 * N];
  for (size_t i = 0; i < N; i++) {
    bool store = ops[i].sig[2] == ':';
    for (int off = 0; off < 2; off++) {
      uint8_t *b = bodies[i][off];
      size_t n = 0;
      b[n++] = 0x20;
      b[n++] = 0;
      if (store) {
        b[n++] = 0x20;
        b[n++] = 1;
      }
      b[n++] = ops[i].op;
      b[n++] = 0;            /* align */
      b[n++] = off ? 16 : 0; /* offset */
      snprintf(names[i][off], sizeof names[i][off], "m%02u_%u", (unsigned)i,
               (unsigned)off);
      fs[2 * i + off] = (FuncDef){ names[i][off], ops[i].sig, NULL, b, n };
    }
  }
  ModuleOpts o = no_opts;
  o.memory_pages = 1;
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, fs, 2 * N, &o, NULL), WG_OK);
  for (size_t i = 0; i < N; i++) {
    bool store = ops[i].sig[2] == ':';
    for (int off = 0; off < 2; off++) {
      uint32_t last = 65536 - ops[i].size - (off ? 16 : 0);
      WgVal args[2], r[1];
      args[1].kind = (WgValKind)vt(ops[i].sig[1]);
      args[1].of.i64 = 0;
      size_t nargs = store ? 2 : 1, nres = store ? 0 : 1;
      args[0] = wg_val_i32((int32_t)last);
      WgTrap *t = call(&fx, names[i][off], args, nargs, r, nres);
      if (t) fail_msg("%s at %u: %s", names[i][off], last, wg_trap_message(t));
      const uint32_t bad_addrs[] = { last + 1, 65536, 0xFFFFFFFFu,
                                     0xFFFFFFF0u };
      for (size_t k = 0; k < 4; k++) {
        args[0] = wg_val_i32((int32_t)bad_addrs[k]);
        t = call(&fx, names[i][off], args, nargs, r, nres);
        assert_non_null(t);
        assert_string_equal(wg_trap_message(t), "out of bounds memory access");
        wg_trap_delete(t);
      }
    }
  }
  fx_free(&fx);
}

/* Section: instantiation and linking */

static void instantiation_reports_link_errors_and_segment_traps(void **state) {
  (void)state;
  const FuncDef fs[] = { { "host", "i:i", NULL, BODY(0x20, 0, 0x10, 0) } };
  ModuleOpts o = no_opts;
  o.import_host = true;
  Buf m;
  assemble(&m, fs, 1, &o);
  WgEngine *engine = wg_engine_new(NULL);
  WgStore *store = wg_store_new(engine);
  WgWasmModule *mod = NULL;
  WgDiagList *diags = wg_diag_list_new();
  assert_int_equal(wg_wasm_module_load(engine, m.b, m.n, &mod, diags), WG_OK);
  assert_int_equal(wg_diag_list_count(diags), 0);
  assert_int_equal(wg_wasm_module_import_count(mod), 1);
  WgLinker *linker = wg_linker_new(store);
  WgInstance *inst = NULL;
  assert_int_equal(wg_linker_instantiate(linker, mod, &inst, diags),
                   WG_ERR_UNLINKABLE);
  assert_null(inst);
  assert_int_equal(wg_diag_list_count(diags), 1);
  assert_int_equal(wg_diag_list_get(diags, 0)->code, WG_ERR_UNLINKABLE);
  assert_false(wg_diag_list_get(diags, 0)->has_offset);
  assert_string_equal(last_error(diags), "unknown import");
  WgValKind i64 = WG_VAL_I64;
  WgExtern wrong = { WG_WASM_EXTERN_FUNC, { 0 } };
  wrong.of.func =
      wg_func_new_host(store, &i64, 1, &i64, 1, host_add1, NULL, NULL);
  wg_linker_define(linker, WG_STR("env"), WG_STR("host"), wrong);
  assert_int_equal(wg_linker_instantiate(linker, mod, &inst, diags),
                   WG_ERR_UNLINKABLE);
  assert_string_equal(last_error(diags), "incompatible import type");
  WgValKind i32 = WG_VAL_I32;
  WgExtern right = { WG_WASM_EXTERN_FUNC, { 0 } };
  right.of.func =
      wg_func_new_host(store, &i32, 1, &i32, 1, host_add1, NULL, NULL);
  wg_linker_define(linker, WG_STR("env"), WG_STR("host"), right);
  assert_int_equal(wg_linker_instantiate(linker, mod, &inst, diags), WG_OK);
  assert_int_equal(wg_diag_list_count(diags), 2); /* nothing added */
  WgVal a = wg_val_i32(1), r;
  assert_null(wg_instance_call(store, inst, WG_STR("host"), &a, 1, &r, 1));
  assert_int_equal(r.of.i32, 2);
  wg_linker_delete(linker);
  wg_wasm_module_delete(mod);
  wg_store_delete(store);
  wg_engine_delete(engine);

  /* A data segment past the end of memory: "out of bounds memory access". */
  const FuncDef none[] = { { "f", ":", NULL, BODY(0x01) } };
  o = no_opts;
  o.memory_pages = 1;
  o.data = (const uint8_t *)"abcd";
  o.data_len = 4;
  o.data_offset = 65533;
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, none, 1, &o, diags), WG_ERR_TRAP);
  assert_string_equal(last_error(diags), "out of bounds memory access");
  assert_int_equal(wg_diag_list_get(diags, 2)->code, WG_ERR_TRAP);
  fx_free(&fx);
  o.data_offset = 65532;
  assert_int_equal(fx_load(&fx, NULL, none, 1, &o, NULL), WG_OK);
  WgExtern mem;
  assert_true(wg_instance_export(fx.inst, WG_STR("memory"), &mem));
  assert_non_null(wg_memory_slice(mem.of.memory, 65532, 4));
  assert_null(wg_memory_slice(mem.of.memory, 65533, 4));
  assert_memory_equal(wg_memory_slice(mem.of.memory, 65532, 4), "abcd", 4);
  fx_free(&fx);
  wg_diag_list_delete(diags);
}

/* Two memories (multi-memory): every memory instruction reaches the memory
 * its index names with that memory's bounds, memory 0 is left alone, and
 * the fused forms of memory-0 accesses are not used for memory 1. Memory 0
 * has 2 pages, memory 1 one page holding "mem1" at 100. */
static void two_memories(void **state) {
  (void)state;
  const FuncDef fs[] = {
    /* (addr, v): i32.store 1 */
    { "st1", "ii:", NULL, BODY(0x20, 0, 0x20, 1, 0x36, 0x42, 1, 0) },
    /* (addr): i32.load 1, i32.load 0 */
    { "ld1", "i:i", NULL, BODY(0x20, 0, 0x28, 0x42, 1, 0) },
    { "ld0", "i:i", NULL, BODY(0x20, 0, 0x28, 0x02, 0) },
    /* (a, b): i32.load 1 offset=4 (a + b): the address sum is not fused */
    { "ld1_add", "ii:i", NULL, BODY(0x20, 0, 0x20, 1, 0x6A, 0x28, 0x42, 1, 4) },
    /* (addr): mem1[addr] == 0 ? 7 : 9 (a load tested by br_if) */
    { "ld1_brif", "i:i", NULL,
      BODY(0x02, 0x40, 0x20, 0, 0x2D, 0x40, 1, 0, 0x0D, 0, 0x41, 7, 0x0F, 0x0B,
           0x41, 9) },
    /* mem1[x] = mem1[x] + v (read-modify-write on memory 1) */
    { "rmw1", "ii:i", NULL,
      BODY(0x20, 0, 0x20, 0, 0x28, 0x42, 1, 0, 0x20, 1, 0x6A, 0x36, 0x42, 1, 0,
           0x20, 0, 0x28, 0x42, 1, 0) },
    { "size0", ":i", NULL, BODY(0x3F, 0) },
    { "size1", ":i", NULL, BODY(0x3F, 1) },
    { "grow1", "i:i", NULL, BODY(0x20, 0, 0x40, 1) },
    /* (d, v, n): memory.fill 1 */
    { "fill1", "iii:", NULL, BODY(0x20, 0, 0x20, 1, 0x20, 2, 0xFC, 11, 1) },
    /* (d, s, n): memory.copy 1 0, 0 1, 1 1 */
    { "copy10", "iii:", NULL, BODY(0x20, 0, 0x20, 1, 0x20, 2, 0xFC, 10, 1, 0) },
    { "copy01", "iii:", NULL, BODY(0x20, 0, 0x20, 1, 0x20, 2, 0xFC, 10, 0, 1) },
    { "copy11", "iii:", NULL, BODY(0x20, 0, 0x20, 1, 0x20, 2, 0xFC, 10, 1, 1) },
    /* (addr): lane 0 of v128.load 1 */
    { "vld1", "i:i", NULL,
      BODY(0x20, 0, 0xFD, 0x00, 0x44, 1, 0, 0xFD, 0x1B, 0) },
  };
  enum { NFS = sizeof fs / sizeof *fs };
  ModuleOpts o = memory_with((const uint8_t *)"mem1", 4, 100);
  o.memory_pages = 2;
  o.memory1_pages = 1;
  o.data_memory = 1;
  Fx fx;
  assert_int_equal(fx_load(&fx, NULL, fs, NFS, &o, NULL), WG_OK);
  WgExtern m0, m1;
  assert_true(wg_instance_export(fx.inst, WG_STR("memory"), &m0));
  assert_true(wg_instance_export(fx.inst, WG_STR("memory1"), &m1));
  assert_ptr_not_equal(m0.of.memory, m1.of.memory);
  assert_memory_equal(wg_memory_slice(m1.of.memory, 100, 4), "mem1", 4);
  assert_memory_equal(wg_memory_slice(m0.of.memory, 100, 4), "\0\0\0\0", 4);
  assert_int_equal(call_i32(&fx, "ld1", 100, 0), 0x316d656d); /* "mem1" */
  assert_int_equal(call_i32(&fx, "ld0", 100, 0), 0);
  WgVal args[3] = { wg_val_i32(8), wg_val_i32(0x01020304), wg_val_i32(0) };
  assert_null(call(&fx, "st1", args, 2, NULL, 0));
  assert_int_equal(call_i32(&fx, "ld1", 8, 0), 0x01020304);
  assert_int_equal(call_i32(&fx, "ld0", 8, 0), 0);
  assert_int_equal(call_i32(&fx, "ld1_add", 2, 2), 0x01020304);
  assert_int_equal(call_i32(&fx, "ld1_brif", 8, 0), 9);
  assert_int_equal(call_i32(&fx, "ld1_brif", 0, 0), 7);
  assert_int_equal(call_i32(&fx, "rmw1", 8, 1), 0x01020305);
  assert_int_equal(call_i32(&fx, "ld0", 8, 0), 0);
  assert_int_equal(call_i32(&fx, "vld1", 8, 0), 0x01020305);
  /* memory 1's bounds (one page), not memory 0's (two) */
  WgVal far = wg_val_i32(65534);
  expect_trap(&fx, "ld1", &far, 1, 1, "out of bounds memory access");
  expect_trap(&fx, "ld1_add", (WgVal[]){ far, wg_val_i32(0) }, 2, 1,
              "out of bounds memory access");
  expect_trap(&fx, "vld1", &far, 1, 1, "out of bounds memory access");
  assert_int_equal(call_i32(&fx, "ld0", 65534, 0) & 0, 0); /* in bounds */
  expect_trap(&fx, "st1", (WgVal[]){ far, far }, 2, 0,
              "out of bounds memory access");
  /* sizes and growth, per memory */
  assert_int_equal(call_i32(&fx, "size0", 0, 0), 2);
  assert_int_equal(call_i32(&fx, "size1", 0, 0), 1);
  assert_int_equal(call_i32(&fx, "grow1", 2, 0), 1);
  assert_int_equal(call_i32(&fx, "size1", 0, 0), 3);
  assert_int_equal(call_i32(&fx, "size0", 0, 0), 2);
  assert_int_equal(call_i32(&fx, "ld1", 65534 * 2, 0), 0); /* now inside */
  /* bulk operations */
  WgVal fill[3] = { wg_val_i32(200), wg_val_i32(0xAB), wg_val_i32(4) };
  assert_null(call(&fx, "fill1", fill, 3, NULL, 0));
  assert_int_equal((uint32_t)call_i32(&fx, "ld1", 200, 0), 0xABABABABu);
  assert_int_equal(call_i32(&fx, "ld0", 200, 0), 0);
  WgVal cp[3] = { wg_val_i32(300), wg_val_i32(200), wg_val_i32(4) };
  assert_null(call(&fx, "copy01", cp, 3, NULL, 0)); /* mem0[300] = mem1[200] */
  assert_int_equal((uint32_t)call_i32(&fx, "ld0", 300, 0), 0xABABABABu);
  assert_int_equal(call_i32(&fx, "ld1", 300, 0), 0);
  cp[0] = wg_val_i32(400);
  cp[1] = wg_val_i32(96); /* mem1[400] = mem0[96..100): zeros */
  assert_null(call(&fx, "copy10", cp, 3, NULL, 0));
  assert_int_equal(call_i32(&fx, "ld1", 400, 0), 0);
  cp[0] = wg_val_i32(500);
  cp[1] = wg_val_i32(100); /* mem1[500] = mem1[100]: "mem1" */
  assert_null(call(&fx, "copy11", cp, 3, NULL, 0));
  assert_int_equal(call_i32(&fx, "ld1", 500, 0), 0x316d656d);
  cp[1] = wg_val_i32(3 * 65536 - 2); /* the source runs past memory 1 */
  expect_trap(&fx, "copy01", cp, 3, 0, "out of bounds memory access");
  cp[0] = wg_val_i32(3 * 65536 - 2); /* the destination runs past it */
  cp[1] = wg_val_i32(0);
  expect_trap(&fx, "copy10", cp, 3, 0, "out of bounds memory access");
  fill[0] = wg_val_i32(3 * 65536 - 2);
  expect_trap(&fx, "fill1", fill, 3, 0, "out of bounds memory access");
  fx_free(&fx);

  /* An engine keeping to WebAssembly 2.0 refuses the module. */
  WgEngineConfig strict = { .disabled_features = WG_FEATURES_ALL };
  Buf m;
  assemble(&m, fs, NFS, &o);
  WgEngine *engine = wg_engine_new(&strict);
  WgWasmModule *mod = NULL;
  WgDiagList *diags = wg_diag_list_new();
  assert_int_equal(wg_wasm_module_load(engine, m.b, m.n, &mod, diags),
                   WG_ERR_MALFORMED); /* memory indices: not zero bytes */
  assert_null(mod);
  assert_string_equal(wg_diag_list_first_error(diags), "malformed memop flags");
  wg_diag_list_delete(diags);
  wg_engine_delete(engine);
}

/* clang on x86-64 builds the tail-call backend (the fast one: a build
 * that silently fell back to computed goto would only show in benchmarks);
 * other compilers build computed goto; -DWG_INTERP_TAILCALL=0|1 in the
 * build's C flags chooses. */
static void dispatch_backend_follows_the_compiler(void **state) {
  (void)state;
#if defined(WG_INTERP_TAILCALL)
  assert_string_equal(wg_interp_dispatch(),
                      WG_INTERP_TAILCALL ? "tail-call" : "computed-goto");
#elif defined(__clang__) && defined(__x86_64__)
  assert_string_equal(wg_interp_dispatch(), "tail-call");
#else
  assert_string_equal(wg_interp_dispatch(), "computed-goto");
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(interp_computes_integer_arithmetic),
    cmocka_unit_test(interp_follows_float_semantics),
    cmocka_unit_test(interp_runs_loops_branches_and_calls),
    cmocka_unit_test(interp_traps_with_spec_messages),
    cmocka_unit_test(fuel_stops_an_infinite_loop),
    cmocka_unit_test(fuel_is_exact_across_large_budgets),
    cmocka_unit_test(interrupt_flag_stops_a_loop_from_another_thread),
    cmocka_unit_test(runaway_recursion_traps_call_stack_exhausted),
    cmocka_unit_test(memory_grow_fails_beyond_the_limits),
    cmocka_unit_test(every_access_width_traps_at_the_memory_boundary),
    cmocka_unit_test(fused_counters_and_shifts_compute_like_the_plain_sequence),
    cmocka_unit_test(fused_loads_and_pairs_keep_wasm_semantics),
    cmocka_unit_test(fused_store_addresses_keep_wasm_semantics),
    cmocka_unit_test(loads_tested_by_branches_keep_wasm_semantics),
    cmocka_unit_test(selects_on_comparisons_keep_wasm_semantics),
    cmocka_unit_test(constants_on_the_left_keep_wasm_semantics),
    cmocka_unit_test(rotating_locals_through_copies),
    cmocka_unit_test(instantiation_reports_link_errors_and_segment_traps),
    cmocka_unit_test(two_memories),
    cmocka_unit_test(dispatch_backend_follows_the_compiler),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
