/* SPDX-License-Identifier: Apache-2.0 */
/* Hostile inputs to the export trampolines (issue 5, must-show 4). Loads
 * the core module of the round-trip test (guest.c + the bindings of
 * wit/roundtrip.wit) into our interpreter and calls the exports with raw
 * core arguments a buggy or malicious host could pass: out-of-bounds and
 * overflowing pointers and lengths, misaligned lists, invalid UTF-8, bad
 * discriminants, bad chars, unknown flag bits, bad handles. Each must trap
 * in the trampoline's check (`unreachable`, from __builtin_trap) before
 * the user code runs; a valid call of the same export (a "control") must
 * still work.
 *
 * Per the component model a component instance that trapped must not be
 * entered again (jco: "cannot enter component instance"), so every case
 * runs on a fresh instance.
 *
 * The host side plays the component runtime: `host` imports echo what they
 * get (scalars, strings, bytes) or trap with "reached host.NAME" (proof
 * that the user code ran); resource built-ins keep handle tables and trap
 * on unknown handles, as canon resource.rep/drop do. Two more cases call
 * `str` and `bytes` 200 times each and check that memory stops growing
 * (arguments, results and post-return all freed).
 *
 * Flags of 33 and 65 members cannot be in a component any more (the
 * component model caps flags at 32), so they are checked here only, in the
 * core module of wide/wide.wit.
 *
 * Usage: hostile CORE.wasm WIDE.wasm. Prints one line per case and
 * `N passed, M failed`; exit 0 when all pass. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rt.h" /* import function types (test-only internals) */
#include "file.h"
#include "witgen/wasm.h"

#define GUEST       "witgen:roundtrip/guest#"
#define MAX_HANDLES 64

/* One fresh instance and the state of its host side. */
typedef struct Rt {
  WgStore *store;
  WgInstance *inst;
  WgMemInst *mem;
  char reached[64]; /* the `host` import the user code called, if any */
  int32_t gacc_rep[MAX_HANDLES]; /* handle -> rep; 0: free */
  struct {
    int32_t value;
    bool is_live, is_borrow;
  } hres[MAX_HANDLES];
  uint32_t dtor_calls;
} Rt;

typedef struct HostImport {
  Rt *rt;
  WgStr module, name; /* borrowed from the module */
} HostImport;

static WgEngine *engine;
static WgWasmModule *modules[2]; /* the round-trip guest, wide/ */
static char why[512];            /* the failure message of the current case */

static const char *failf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  return why;
}

static bool str_is(WgStr s, const char *c) {
  return s.len == strlen(c) && memcmp(s.ptr, c, s.len) == 0;
}

/* ---- calling into the guest ---------------------------------------- */

/* Calls export `name` with raw argument bits (converted to the declared
 * kinds); results go to `out` (may be NULL). Caller owns the trap. */
static WgTrap *call(Rt *rt, const char *name, const uint64_t *raw, size_t n,
                    WgVal *out) {
  WgExtern ext;
  if (!wg_instance_export(rt->inst, wg_str_from_cstr(name), &ext) ||
      ext.kind != WG_WASM_EXTERN_FUNC) {
    fprintf(stderr, "hostile: no export %s\n", name);
    exit(2);
  }
  WgFuncInst *f = ext.of.func;
  WgVal args[32], res[4];
  if (n != wg_func_param_count(f) || n > 32) {
    fprintf(stderr, "hostile: %s takes %u arguments, not %zu\n", name,
            wg_func_param_count(f), n);
    exit(2);
  }
  for (size_t i = 0; i < n; i++) {
    args[i].kind = wg_func_param(f, (uint32_t)i);
    args[i].of.i64 = (int64_t)raw[i];
    if (args[i].kind == WG_VAL_I32 || args[i].kind == WG_VAL_F32)
      args[i].of.i32 = (int32_t)(uint32_t)raw[i];
  }
  WgTrap *t = wg_func_call(rt->store, f, args, n, res, wg_func_result_count(f));
  if (!t && out && wg_func_result_count(f) > 0) *out = res[0];
  return t;
}

/* cabi_realloc(0, 0, align, size): guest memory for an argument. */
static uint32_t galloc(Rt *rt, uint32_t size, uint32_t align) {
  uint64_t a[4] = { 0, 0, align, size };
  WgVal r;
  WgTrap *t = call(rt, "cabi_realloc", a, 4, &r);
  if (t) {
    fprintf(stderr, "hostile: cabi_realloc trapped: %s\n", wg_trap_message(t));
    exit(2);
  }
  return (uint32_t)r.of.i32;
}

static void put(Rt *rt, uint32_t at, const void *p, size_t n) {
  if (!wg_memory_write(rt->mem, at, p, n)) {
    fprintf(stderr, "hostile: write out of bounds at %u\n", at);
    exit(2);
  }
}
static void put32(Rt *rt, uint32_t at, uint32_t v) {
  put(rt, at, &v, 4);
}
static uint32_t get32(Rt *rt, uint32_t at) {
  uint32_t v = 0;
  wg_memory_read(rt->mem, at, &v, 4);
  return v;
}

/* A copy of n bytes in guest memory (align 1). */
static uint32_t gbytes(Rt *rt, const void *p, uint32_t n) {
  uint32_t at = galloc(rt, n ? n : 1, 1);
  put(rt, at, p, n);
  return at;
}

static uint64_t mem_size(Rt *rt) {
  return wg_memory_size(rt->mem);
}

/* ---- the host side --------------------------------------------------- */

static WgTrap *trapf(const char *fmt, const char *s) {
  char m[160];
  snprintf(m, sizeof m, fmt, s);
  return wg_trap_new(m);
}

static int32_t new_handle_slot(Rt *rt, bool is_gacc) {
  for (int32_t h = 1; h < MAX_HANDLES; h++) {
    if (is_gacc ? rt->gacc_rep[h] == 0 : !rt->hres[h].is_live) return h;
  }
  return -1;
}

static bool hres_ok(Rt *rt, int32_t h) {
  return h > 0 && h < MAX_HANDLES && rt->hres[h].is_live;
}

/* An `hres` handle for the guest: owned, or lent for one call. */
static int32_t hres_give(Rt *rt, int32_t value, bool is_borrow) {
  int32_t h = new_handle_slot(rt, false);
  rt->hres[h].value = value;
  rt->hres[h].is_live = true;
  rt->hres[h].is_borrow = is_borrow;
  return h;
}

/* Copies the string or list<u8> (ptr, len) the guest passed and stores the
 * copy's (ptr, len) at `ret`, as a runtime lowering a returned value. */
static WgTrap *echo_bytes(Rt *rt, const WgVal *args) {
  uint32_t ptr = (uint32_t)args[0].of.i32, len = (uint32_t)args[1].of.i32;
  uint32_t ret = (uint32_t)args[2].of.i32;
  uint8_t *tmp = malloc(len ? len : 1);
  if (!wg_memory_read(rt->mem, ptr, tmp, len)) {
    free(tmp);
    return wg_trap_new("host: string out of bounds");
  }
  uint32_t copy = gbytes(rt, tmp, len);
  free(tmp);
  put32(rt, ret, copy);
  put32(rt, ret + 4, len);
  return NULL;
}

static WgTrap *host_call(void *env, WgCaller *caller, const WgVal *args,
                         WgVal *results) {
  (void)caller;
  HostImport *hi = env;
  Rt *rt = hi->rt;
  WgStr n = hi->name;
  if (str_is(hi->module, "[export]witgen:roundtrip/guest")) {
    if (str_is(n, "[resource-new]gacc")) {
      int32_t h = new_handle_slot(rt, true);
      if (h < 0) return wg_trap_new("host: handle table full");
      rt->gacc_rep[h] = args[0].of.i32;
      results[0] = wg_val_i32(h);
      return NULL;
    }
    int32_t h = args[0].of.i32;
    if (h <= 0 || h >= MAX_HANDLES || rt->gacc_rep[h] == 0)
      return wg_trap_new("unknown handle");
    if (str_is(n, "[resource-rep]gacc")) {
      results[0] = wg_val_i32(rt->gacc_rep[h]);
      return NULL;
    }
    /* [resource-drop]gacc: the last handle is gone, run the destructor. */
    uint64_t rep = (uint32_t)rt->gacc_rep[h];
    rt->gacc_rep[h] = 0;
    rt->dtor_calls++;
    return call(rt, GUEST "[dtor]gacc", &rep, 1, NULL);
  }
  if (str_is(hi->module, "witgen:roundtrip/types")) {
    if (str_is(n, "[constructor]hres")) {
      results[0] = wg_val_i32(hres_give(rt, args[0].of.i32, false));
      return NULL;
    }
    int32_t h = args[0].of.i32;
    if (!hres_ok(rt, h)) return wg_trap_new("unknown handle");
    if (str_is(n, "[resource-drop]hres")) {
      rt->hres[h].is_live = false;
    } else if (str_is(n, "[method]hres.get")) {
      results[0] = wg_val_i32(rt->hres[h].value);
    } else if (str_is(n, "[method]hres.set")) {
      rt->hres[h].value = args[1].of.i32;
    } else if (str_is(n, "[static]hres.sum")) {
      if (!hres_ok(rt, args[1].of.i32)) return wg_trap_new("unknown handle");
      results[0] =
          wg_val_i32(rt->hres[h].value + rt->hres[args[1].of.i32].value);
    }
    return NULL;
  }
  /* witgen:roundtrip/host */
  snprintf(rt->reached, sizeof rt->reached, "host.%.*s", (int)n.len, n.ptr);
  static const char *const echo[] = { "s8",  "u8",   "s16",     "u16",
                                      "s32", "u32",  "s64",     "u64",
                                      "f32", "f64",  "boolean", "chr",
                                      "enm", "set1", "set9",    "set32" };
  for (size_t i = 0; i < sizeof echo / sizeof *echo; i++) {
    if (str_is(n, echo[i])) {
      results[0] = args[0];
      return NULL;
    }
  }
  if (str_is(n, "str") || str_is(n, "bytes")) return echo_bytes(rt, args);
  /* Every test passes these bools as 1 or 2, both true: 1 must arrive. */
  if (str_is(n, "tup") && args[5].of.i32 != 1)
    return trapf("host.tup: bool arrived as %s", args[5].of.i32 ? ">1" : "0");
  if (str_is(n, "many")) {
    uint8_t h = 0xEE;
    wg_memory_read(rt->mem, (uint32_t)args[0].of.i32 + 40, &h, 1);
    if (h != 1) return trapf("host.many: bool arrived as %s", h ? ">1" : "0");
  }
  if (str_is(n, "hres-peek")) {
    if (!hres_ok(rt, args[0].of.i32)) return wg_trap_new("unknown handle");
    results[0] = wg_val_i32(rt->hres[args[0].of.i32].value * 10);
    return NULL;
  }
  return trapf("reached %s", rt->reached);
}

/* A fresh store and instance with every import defined by host_call. */
static Rt *rt_new(WgWasmModule *module) {
  Rt *rt = calloc(1, sizeof *rt);
  rt->store = wg_store_new(engine);
  const WgModule *m = module->m;
  WgExtern imports[128];
  if (m->import_count > 128) exit(2);
  for (uint32_t i = 0; i < m->import_count; i++) {
    const WgImport *im = &m->imports[i];
    if (im->kind != WG_EXTERN_FUNC) {
      fprintf(stderr, "hostile: unexpected non-function import\n");
      exit(2);
    }
    const WgFuncType *ft = &m->types[im->desc.func_type];
    WgValKind kinds[32];
    for (uint32_t k = 0; k < ft->param_count + ft->result_count; k++)
      kinds[k] = (WgValKind)ft->types[k];
    HostImport *hi = malloc(sizeof *hi);
    *hi = (HostImport){ rt, im->module, im->name };
    imports[i].kind = WG_WASM_EXTERN_FUNC;
    imports[i].of.func = wg_func_new_host(
        rt->store, kinds, ft->param_count, kinds + ft->param_count,
        ft->result_count, host_call, hi, free);
  }
  WgDiagList *diags = wg_diag_list_new();
  if (wg_instance_new(rt->store, module, imports, m->import_count, &rt->inst,
                      diags) != WG_OK) {
    fprintf(stderr, "hostile: instantiate: %s\n",
            wg_diag_list_first_error(diags));
    exit(2);
  }
  wg_diag_list_delete(diags);
  WgExtern ext;
  if (!wg_instance_export(rt->inst, WG_STR("memory"), &ext)) exit(2);
  rt->mem = ext.of.memory;
  if (wg_instance_export(rt->inst, WG_STR("_initialize"), &ext)) {
    WgTrap *t = call(rt, "_initialize", NULL, 0, NULL);
    if (t) {
      fprintf(stderr, "hostile: _initialize: %s\n", wg_trap_message(t));
      exit(2);
    }
  }
  return rt;
}

static void rt_delete(Rt *rt) {
  wg_store_delete(rt->store);
  free(rt);
}

/* ---- expectations ---------------------------------------------------- */

/* The call must have trapped in a trampoline check, before user code. */
static const char *trapped_in_check(Rt *rt, WgTrap *t) {
  const char *r = NULL;
  if (!t)
    r = failf("no trap: the bad input was accepted%s%s",
              rt->reached[0] ? " and reached " : "", rt->reached);
  else if (wg_trap_kind(t) != WG_TRAP_WASM ||
           strcmp(wg_trap_message(t), "unreachable") != 0)
    r = failf("trapped with \"%s\", not in the trampoline's check",
              wg_trap_message(t));
  else if (rt->reached[0])
    r = failf("the user code ran (called %s) before the trap", rt->reached);
  wg_trap_delete(t);
  return r;
}

/* The call must have trapped with `message` (a resource built-in). */
static const char *trapped_with(WgTrap *t, const char *message) {
  const char *r = NULL;
  if (!t)
    r = failf("no trap");
  else if (strcmp(wg_trap_message(t), message) != 0)
    r = failf("trapped with \"%s\", want \"%s\"", wg_trap_message(t), message);
  wg_trap_delete(t);
  return r;
}

/* The call must have passed the checks and reached host.NAME. */
static const char *reached(Rt *rt, WgTrap *t, const char *name) {
  char want[80];
  snprintf(want, sizeof want, "reached %s", name);
  const char *r = NULL;
  if (!t)
    r = failf("returned; expected it to call %s", name);
  else if (wg_trap_kind(t) != WG_TRAP_HOST ||
           strcmp(wg_trap_message(t), want) != 0)
    r = failf("trapped with \"%s\" before reaching %s", wg_trap_message(t),
              name);
  (void)rt;
  wg_trap_delete(t);
  return r;
}

static const char *returned(WgTrap *t) {
  if (!t) return NULL;
  const char *r = failf("trapped: %s", wg_trap_message(t));
  wg_trap_delete(t);
  return r;
}

/* ---- cases: strings ---------------------------------------------------- */

#define ARGS(...)  ((const uint64_t[]){ __VA_ARGS__ })
#define NARGS(...) (sizeof((const uint64_t[]){ __VA_ARGS__ }) / 8)
#define CALL(rt, fn, out, ...) \
  call(rt, GUEST fn, ARGS(__VA_ARGS__), NARGS(__VA_ARGS__), out)

static const char *str_call(Rt *rt, uint64_t ptr, uint64_t len) {
  return trapped_in_check(rt, CALL(rt, "str", NULL, ptr, len));
}
static const char *str_bytes(Rt *rt, const char *s) {
  uint32_t n = (uint32_t)strlen(s);
  return str_call(rt, gbytes(rt, s, n), n);
}

static const char *str_ptr_past_end(Rt *rt) {
  return str_call(rt, mem_size(rt) + 16, 1);
}
static const char *str_range_past_end(Rt *rt) {
  return str_call(rt, mem_size(rt) - 4, 8);
}
static const char *str_ptr_len_wraps(Rt *rt) {
  return str_call(rt, 0xFFFFFFF0u, 0x20); /* ptr + len = 0x10 in 32 bits */
}
static const char *str_len_huge(Rt *rt) {
  return str_call(rt, gbytes(rt, "abc", 3), 0x7FFFFFFFu);
}
static const char *str_utf8_bad_continuation(Rt *rt) {
  return str_bytes(rt, "a\xC3\x28");
}
static const char *str_utf8_lone_continuation(Rt *rt) {
  return str_bytes(rt, "\x80z");
}
static const char *str_utf8_overlong_2(Rt *rt) {
  return str_bytes(rt, "\xC0\xAF"); /* '/' in two bytes */
}
static const char *str_utf8_overlong_3(Rt *rt) {
  return str_bytes(rt, "\xE0\x80\xAF");
}
static const char *str_utf8_surrogate(Rt *rt) {
  return str_bytes(rt, "ok\xED\xA0\x80"); /* U+D800 */
}
static const char *str_utf8_above_max(Rt *rt) {
  return str_bytes(rt, "\xF4\x90\x80\x80"); /* U+110000 */
}
static const char *str_utf8_truncated(Rt *rt) {
  return str_bytes(rt, "ab\xE2\x82"); /* € cut short at the end */
}
static const char *str_utf8_f5(Rt *rt) {
  return str_bytes(rt, "\xF5\x80\x80\x80");
}
/* after ASCII runs the check reads 8 bytes at a time */
static const char *str_utf8_after_ascii_run(Rt *rt) {
  return str_bytes(rt, "0123456789abcdef\xC3\x28");
}
static const char *str_utf8_in_last_word(Rt *rt) {
  return str_bytes(rt, "0123456\xFF");
}

/* Control: a valid non-ASCII string comes back reversed (guest.c). */
static const char *str_valid(Rt *rt) {
  const char *s = "h\xC3\xA9llo \xF0\x9F\x98\x80"; /* "héllo 😀" */
  const char *want = "\xF0\x9F\x98\x80 oll\xC3\xA9h";
  uint32_t n = (uint32_t)strlen(s);
  WgVal r;
  const char *e = returned(CALL(rt, "str", &r, gbytes(rt, s, n), n));
  if (e) return e;
  uint32_t at = (uint32_t)r.of.i32;
  char got[64] = { 0 };
  uint32_t len = get32(rt, at + 4);
  if (len != n || !wg_memory_read(rt->mem, get32(rt, at), got, len) ||
      memcmp(got, want, n) != 0)
    return failf("got %u bytes \"%.*s\"", len, (int)(len < 64 ? len : 0), got);
  return returned(CALL(rt, "str", NULL, 0, 0)) /* empty, ptr 0 */;
}

/* ---- cases: lists ------------------------------------------------------ */

static const char *bytes_range_past_end(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "bytes", NULL, mem_size(rt) - 10, 11));
}
static const char *bytes_valid(Rt *rt) {
  WgVal r;
  const char *e =
      returned(CALL(rt, "bytes", &r, gbytes(rt, "\x01\x02\xFF", 3), 3));
  if (e) return e;
  uint8_t got[3];
  uint32_t at = (uint32_t)r.of.i32;
  if (get32(rt, at + 4) != 3 || !wg_memory_read(rt->mem, get32(rt, at), got, 3))
    return failf("bad result list");
  if (got[0] != 0xFF || got[1] != 2 || got[2] != 1)
    return failf("got %u %u %u, want 255 2 1", got[0], got[1], got[2]);
  /* the empty list at the very end of memory is in bounds */
  return returned(CALL(rt, "bytes", NULL, mem_size(rt), 0));
}

/* A point (32 bytes, align 8): x, y, name, tags. */
static uint32_t point(Rt *rt, uint32_t name_ptr, uint32_t name_len,
                      uint32_t tags_ptr, uint32_t tags_len) {
  uint32_t at = galloc(rt, 32, 8);
  uint8_t p[32] = { 0 };
  memcpy(p + 16, &name_ptr, 4);
  memcpy(p + 20, &name_len, 4);
  memcpy(p + 24, &tags_ptr, 4);
  memcpy(p + 28, &tags_len, 4);
  put(rt, at, p, 32);
  return at;
}

static const char *points_misaligned(Rt *rt) {
  uint32_t at = galloc(rt, 64, 8);
  return trapped_in_check(rt, CALL(rt, "points", NULL, at + 4, 1));
}
static const char *points_count_times_size_wraps(Rt *rt) {
  /* 0x08000001 * 32 = 0x1_0000_0020: 32 bytes if computed in 32 bits */
  uint32_t at = point(rt, 0, 0, 0, 0);
  return trapped_in_check(rt, CALL(rt, "points", NULL, at, 0x08000001u));
}
static const char *points_nested_name_past_end(Rt *rt) {
  uint32_t at = point(rt, (uint32_t)mem_size(rt) - 2, 5, 0, 0);
  return trapped_in_check(rt, CALL(rt, "points", NULL, at, 1));
}
static const char *points_nested_tag_bad_utf8(Rt *rt) {
  uint32_t tags = galloc(rt, 16, 4);
  put32(rt, tags, gbytes(rt, "ok", 2));
  put32(rt, tags + 4, 2);
  put32(rt, tags + 8, gbytes(rt, "\xFF", 1));
  put32(rt, tags + 12, 1);
  uint32_t at = point(rt, gbytes(rt, "p", 1), 1, tags, 2);
  return trapped_in_check(rt, CALL(rt, "points", NULL, at, 1));
}
static const char *points_valid(Rt *rt) {
  uint32_t tags = galloc(rt, 8, 4);
  put32(rt, tags, gbytes(rt, "t\xC3\xA9", 3));
  put32(rt, tags + 4, 3);
  uint32_t at = point(rt, gbytes(rt, "p", 1), 1, tags, 1);
  return reached(rt, CALL(rt, "points", NULL, at, 1), "host.points");
}

static const char *hres_list_range_past_end(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "hres-list", NULL, mem_size(rt) - 4, 2));
}
static const char *hres_list_misaligned(Rt *rt) {
  uint32_t at = galloc(rt, 16, 4);
  return trapped_in_check(rt, CALL(rt, "hres-list", NULL, at + 2, 1));
}
static const char *hres_list_valid(Rt *rt) {
  uint32_t at = galloc(rt, 8, 4);
  put32(rt, at, (uint32_t)hres_give(rt, 1, false));
  put32(rt, at + 4, (uint32_t)hres_give(rt, 2, false));
  return reached(rt, CALL(rt, "hres-list", NULL, at, 2), "host.hres-list");
}

/* ---- cases: options, results, variants, enums ---------------------------- */

static const char *opt_outer_disc(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "opt", NULL, 2, 1, 5));
}
static const char *opt_inner_disc(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "opt", NULL, 1, 7, 5));
}
static const char *opt_valid(Rt *rt) {
  /* host.opt is not echoed: reaching it proves the checks passed */
  return reached(rt, CALL(rt, "opt", NULL, 1, 1, 5), "host.opt");
}
static const char *res_both_disc(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "res-both", NULL, 2, 0, 0));
}
static const char *res_both_ok_bad_utf8(Rt *rt) {
  return trapped_in_check(
      rt, CALL(rt, "res-both", NULL, 0, gbytes(rt, "\xC3", 1), 1));
}
static const char *res_both_valid(Rt *rt) {
  /* err(7): the payload is not a string, so no pointer check applies */
  return reached(rt, CALL(rt, "res-both", NULL, 1, 7, 0xFFFFFFFFu),
                 "host.res-both");
}
static const char *res_none_disc(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "res-none", NULL, 0x80000000u));
}

/* var: (case, slot1 i32, slot2 i64, slot3 i32, slot4 i32) */
static const char *var_disc_7(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "var", NULL, 7, 0, 0, 0, 0));
}
static const char *var_disc_huge(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "var", NULL, 0xFFFFFFFFu, 0, 0, 0, 0));
}
static const char *var_maybe_inner_disc(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "var", NULL, 4, 1, 2, 0, 0));
}
static const char *var_maybe_string_past_end(Rt *rt) {
  return trapped_in_check(rt,
                          CALL(rt, "var", NULL, 4, 1, 1, mem_size(rt) + 1, 0));
}
static const char *var_outcome_bad_enum(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "var", NULL, 5, 1, 5, 0, 0));
}
static const char *var_outcome_disc(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "var", NULL, 5, 2, 0, 0, 0));
}
/* inner(list<shape-leaf>): leaves of 12 bytes, tag at 0, payload at 4 */
static uint32_t leaves(Rt *rt, uint8_t tag2, uint32_t label_ptr,
                       uint32_t label_len) {
  uint32_t at = galloc(rt, 24, 4);
  uint8_t l[24] = { 0 };
  l[0] = 1; /* tag(7) */
  l[4] = 7;
  l[12] = tag2;
  memcpy(l + 16, &label_ptr, 4);
  memcpy(l + 20, &label_len, 4);
  put(rt, at, l, 24);
  return at;
}
static const char *var_inner_leaf_disc(Rt *rt) {
  uint32_t at = leaves(rt, 3, 0, 0);
  return trapped_in_check(rt, CALL(rt, "var", NULL, 6, at, 2, 0, 0));
}
static const char *var_inner_label_bad_utf8(Rt *rt) {
  uint32_t at = leaves(rt, 2, gbytes(rt, "\xE2\x82\x28", 3), 3);
  return trapped_in_check(rt, CALL(rt, "var", NULL, 6, at, 2, 0, 0));
}
static const char *var_valid(Rt *rt) {
  uint32_t at = leaves(rt, 2, gbytes(rt, "\xE2\x82\xAC", 3), 3);
  return reached(rt, CALL(rt, "var", NULL, 6, at, 2, 0, 0), "host.var");
}

/* deep: list of option<result<tuple<u8, string>, shape>>, 40 bytes each:
 * option tag at 0, result tag at 8, payload at 16 (tuple: u8 at 16,
 * string at 20; shape: case at 16, payload at 24). */
static uint32_t deep_elem(Rt *rt, uint8_t opt, uint8_t res, uint8_t b16,
                          uint32_t w20, uint32_t w24, uint32_t w28) {
  uint32_t at = galloc(rt, 40, 8);
  uint8_t e[40] = { 0 };
  e[0] = opt;
  e[8] = res;
  e[16] = b16;
  memcpy(e + 20, &w20, 4);
  memcpy(e + 24, &w24, 4);
  memcpy(e + 28, &w28, 4);
  put(rt, at, e, 40);
  return at;
}
static const char *deep_option_disc(Rt *rt) {
  uint32_t at = deep_elem(rt, 2, 0, 0, 0, 0, 0);
  return trapped_in_check(rt, CALL(rt, "deep", NULL, at, 1));
}
static const char *deep_result_disc(Rt *rt) {
  uint32_t at = deep_elem(rt, 1, 2, 0, 0, 0, 0);
  return trapped_in_check(rt, CALL(rt, "deep", NULL, at, 1));
}
static const char *deep_shape_disc(Rt *rt) {
  uint32_t at = deep_elem(rt, 1, 1, 9, 0, 0, 0);
  return trapped_in_check(rt, CALL(rt, "deep", NULL, at, 1));
}
static const char *deep_tuple_string_past_end(Rt *rt) {
  uint32_t at = deep_elem(rt, 1, 0, 0, (uint32_t)mem_size(rt), 1, 0);
  return trapped_in_check(rt, CALL(rt, "deep", NULL, at, 1));
}
static const char *deep_shape_named_surrogate(Rt *rt) {
  uint32_t s = gbytes(rt, "\xED\xBF\xBF", 3); /* U+DFFF */
  uint32_t at = deep_elem(rt, 1, 1, 3, 0, s, 3);
  return trapped_in_check(rt, CALL(rt, "deep", NULL, at, 1));
}
static const char *deep_valid(Rt *rt) {
  uint32_t at = deep_elem(rt, 1, 0, 255, gbytes(rt, "xy", 2), 2, 0);
  return reached(rt, CALL(rt, "deep", NULL, at, 1), "host.deep");
}

static const char *enm_5(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "enm", NULL, 5));
}
static const char *enm_huge(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "enm", NULL, 0xFFFFFF00u));
}
static const char *enm_valid(Rt *rt) {
  WgVal r;
  const char *e = returned(CALL(rt, "enm", &r, 4));
  if (e) return e;
  return r.of.i32 == 0 ? NULL : failf("enm(4) = %d, want 0", r.of.i32);
}

/* ---- cases: scalars ---------------------------------------------------- */

static const char *chr_call(Rt *rt, uint32_t c) {
  return trapped_in_check(rt, CALL(rt, "chr", NULL, c));
}
static const char *chr_d800(Rt *rt) {
  return chr_call(rt, 0xD800);
}
static const char *chr_dfff(Rt *rt) {
  return chr_call(rt, 0xDFFF);
}
static const char *chr_110000(Rt *rt) {
  return chr_call(rt, 0x110000);
}
static const char *chr_ffffffff(Rt *rt) {
  return chr_call(rt, 0xFFFFFFFFu);
}
static const char *chr_valid(Rt *rt) {
  WgVal r;
  const char *e = returned(CALL(rt, "chr", &r, 0x10FFFF));
  if (e) return e;
  if (r.of.i32 != 0) return failf("chr(U+10FFFF) = %d, want 0", r.of.i32);
  e = returned(CALL(rt, "chr", &r, 0xD7FF));
  if (e) return e;
  return r.of.i32 == 0xE000 ? NULL : failf("chr(U+D7FF) = %#x", r.of.i32);
}

/* Unknown flag bits: the Canonical ABI ignores them (unpack_flags_from_int
 * reads only the declared labels); the bindings trap instead, which no
 * conforming caller can observe (lowering never sets them). */
static const char *set1_unknown_bit(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "set1", NULL, 0x2));
}
static const char *set9_unknown_bit(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "set9", NULL, 0x200));
}
static const char *set9_high_bit(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "set9", NULL, 0x80000001u));
}
static const char *flags_valid(Rt *rt) {
  WgVal r;
  const char *e = returned(CALL(rt, "set9", &r, 0x1FF));
  if (e) return e;
  if (r.of.i32 != 0) return failf("set9(0x1ff) = %#x, want 0", r.of.i32);
  e = returned(CALL(rt, "set32", &r, 0xFFFFFFFFu));
  if (e) return e;
  return r.of.i32 == 0x7FFFFFFE ? NULL : failf("set32 = %#x", r.of.i32);
}

/* A bool is any i32; the Canonical ABI reads non-zero as true
 * (convert_int_to_bool), so 2 is not an error: the guest must see true. */
static const char *bool_2_is_true(Rt *rt) {
  WgVal r;
  const char *e = returned(CALL(rt, "boolean", &r, 2));
  if (e) return e;
  return r.of.i32 == 0 ? NULL
                       : failf("boolean(2) = %d, want 0 (= !true)", r.of.i32);
}

/* tup: (u8, s64, string ptr, len, f32, bool, char) */
static const char *tup_bad_char(Rt *rt) {
  return trapped_in_check(
      rt, CALL(rt, "tup", NULL, 1, 2, gbytes(rt, "a", 1), 1, 0, 1, 0xD800));
}
static const char *tup_string_past_end(Rt *rt) {
  return trapped_in_check(
      rt, CALL(rt, "tup", NULL, 1, 2, mem_size(rt) - 1, 2, 0, 1, 'a'));
}
/* A bool of 2 in a flat argument is true: host.tup must get 1. */
static const char *tup_valid_bool_2(Rt *rt) {
  return reached(
      rt, CALL(rt, "tup", NULL, 255, 0, gbytes(rt, "t", 1), 1, 0, 2, 'z'),
      "host.tup");
}

/* ---- cases: parameters in memory (> 16 flat) ----------------------------- */

/* many's 17 parameters as one record (88 bytes, align 8): string g at 32,
 * bool h at 40, char i at 44, string n at 64, list p at 76. */
static uint32_t many_args(Rt *rt, uint8_t h, uint32_t i, uint32_t g_ptr,
                          uint32_t g_len) {
  uint32_t at = galloc(rt, 88, 8);
  uint8_t a[88] = { 0 };
  memcpy(a + 32, &g_ptr, 4);
  memcpy(a + 36, &g_len, 4);
  a[40] = h;
  memcpy(a + 44, &i, 4);
  put(rt, at, a, 88);
  return at;
}
/* A bool of 2 in memory is true: host.many must get 1. */
static const char *many_bool_2_is_true(Rt *rt) {
  uint32_t g = gbytes(rt, "g", 1);
  return reached(rt, CALL(rt, "many", NULL, many_args(rt, 2, 'c', g, 1)),
                 "host.many");
}
static const char *many_ptr_past_end(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "many", NULL, mem_size(rt) - 8));
}
static const char *many_ptr_misaligned(Rt *rt) {
  uint32_t at = galloc(rt, 96, 8);
  return trapped_in_check(rt, CALL(rt, "many", NULL, at + 4));
}
static const char *many_bad_char(Rt *rt) {
  return trapped_in_check(
      rt, CALL(rt, "many", NULL, many_args(rt, 1, 0x110000, 0, 0)));
}
static const char *many_bad_utf8(Rt *rt) {
  uint32_t g = gbytes(rt, "\xF0\x9F\x98", 3);
  return trapped_in_check(rt,
                          CALL(rt, "many", NULL, many_args(rt, 1, 'c', g, 3)));
}
static const char *many_valid(Rt *rt) {
  uint32_t g = gbytes(rt, "\xF0\x9F\x98\x80", 4);
  return reached(rt, CALL(rt, "many", NULL, many_args(rt, 1, 'c', g, 4)),
                 "host.many");
}
static const char *arr_big_ptr_past_end(Rt *rt) {
  return trapped_in_check(rt, CALL(rt, "arr-big", NULL, mem_size(rt) - 19));
}
static const char *arr_big_valid(Rt *rt) {
  uint32_t at = gbytes(rt, "0123456789abcdefghij", 20);
  return reached(rt, CALL(rt, "arr-big", NULL, at), "host.arr-big");
}
static const char *arr_str_bad_utf8(Rt *rt) {
  uint32_t ok = gbytes(rt, "ok", 2), bad = gbytes(rt, "\xC1\xBF", 2);
  return trapped_in_check(rt, CALL(rt, "arr-str", NULL, ok, 2, bad, 2));
}

/* ---- cases: handles ------------------------------------------------------ */

/* An own<gacc> the runtime never issued: the trampoline hands it to
 * canon resource.rep (never uses it as a pointer), which traps. */
static const char *gacc_merge_bad_own_handle(Rt *rt) {
  WgVal h;
  const char *e = returned(CALL(rt, "[constructor]gacc", &h, 5));
  if (e) return e;
  return trapped_with(CALL(rt, "[static]gacc.merge", NULL, 42,
                           (uint32_t)rt->gacc_rep[h.of.i32]),
                      "unknown handle");
}
static const char *gacc_valid(Rt *rt) {
  WgVal a, b, c, v;
  const char *e = returned(CALL(rt, "[constructor]gacc", &a, 5));
  if (!e) e = returned(CALL(rt, "[constructor]gacc", &b, 7));
  if (e) return e;
  e = returned(CALL(rt, "[static]gacc.merge", &c, (uint32_t)a.of.i32,
                    (uint32_t)rt->gacc_rep[b.of.i32]));
  if (e) return e;
  if (rt->dtor_calls != 1)
    return failf("merge ran %u destructors, want 1", rt->dtor_calls);
  e = returned(
      CALL(rt, "[method]gacc.get", &v, (uint32_t)rt->gacc_rep[c.of.i32]));
  if (e) return e;
  return v.of.i64 == 12
             ? NULL
             : failf("merged value %lld, want 12", (long long)v.of.i64);
}
/* A borrow<hres> that is not in the table: the guest passes it to an
 * import, where the runtime's handle check traps. */
static const char *hres_peek_bad_borrow(Rt *rt) {
  return trapped_with(CALL(rt, "hres-peek", NULL, 33), "unknown handle");
}
/* A lent handle: used, then released by the trampoline before it returns
 * (the component model traps a task that returns with borrows alive). */
static const char *hres_peek_valid(Rt *rt) {
  int32_t h = hres_give(rt, 7, true);
  WgVal r;
  const char *e = returned(CALL(rt, "hres-peek", &r, (uint32_t)h));
  if (e) return e;
  if (r.of.i32 != 91) return failf("hres-peek = %d, want 91", r.of.i32);
  return rt->hres[h].is_live ? failf("the borrow was not released") : NULL;
}

/* ---- cases: flags of 33 and 65 members (wide/) ------------------------ */

#define WIDE "witgen:wide/wide-flags#"

static const char *set33_unknown_bit(Rt *rt) {
  return trapped_in_check(rt, call(rt, WIDE "set33", ARGS(0, 2), 2, NULL));
}
static const char *set65_unknown_bit(Rt *rt) {
  return trapped_in_check(
      rt, call(rt, WIDE "set65", ARGS(0, 0, 0x80000000u), 3, NULL));
}
/* Every word lifted and lowered in place: first and last flag flipped. */
static const char *wide_valid(Rt *rt) {
  WgVal r;
  const char *e = returned(call(rt, WIDE "set33", ARGS(0x80000000u, 1), 2, &r));
  if (e) return e;
  uint32_t a = get32(rt, (uint32_t)r.of.i32), b = get32(rt, r.of.i32 + 4);
  if (a != 0x80000001u || b != 0)
    return failf("set33 = %#x %#x, want 0x80000001 0", a, b);
  e = returned(call(rt, WIDE "set65", ARGS(0, 0xFFFFFFFFu, 0), 3, &r));
  if (e) return e;
  uint32_t w[3] = { get32(rt, r.of.i32), get32(rt, r.of.i32 + 4),
                    get32(rt, r.of.i32 + 8) };
  if (w[0] != 1 || w[1] != 0xFFFFFFFFu || w[2] != 1)
    return failf("set65 = %#x %#x %#x, want 0x1 0xffffffff 0x1", w[0], w[1],
                 w[2]);
  return NULL;
}

/* ---- no leaks: lift, lower, post-return ---------------------------------- */

/* Calls `fn` (string or list<u8> in and out) `rounds` times with `len`
 * bytes, as a runtime does: argument through cabi_realloc, result read,
 * then cabi_post_. Memory must not grow once warmed up: every argument,
 * host result and export result is freed. */
static const char *no_growth(Rt *rt, const char *fn, uint32_t len) {
  char name[96], post[112];
  snprintf(name, sizeof name, GUEST "%s", fn);
  snprintf(post, sizeof post, "cabi_post_%s", name);
  uint8_t *data = malloc(len);
  for (uint32_t i = 0; i < len; i++)
    data[i] = (uint8_t)('a' + i % 26);
  uint32_t pages = 0;
  const char *e = NULL;
  for (int round = 0; round < 200 && !e; round++) {
    if (round == 5) pages = wg_memory_pages(rt->mem);
    uint64_t a[2] = { gbytes(rt, data, len), len };
    WgVal r;
    e = returned(call(rt, name, a, 2, &r));
    if (e) break;
    uint32_t at = (uint32_t)r.of.i32;
    if (get32(rt, at + 4) != len)
      e = failf("result length %u", get32(rt, at + 4));
    uint64_t p = at;
    if (!e) e = returned(call(rt, post, &p, 1, NULL));
  }
  free(data);
  if (e) return e;
  uint32_t now = wg_memory_pages(rt->mem);
  return now == pages ? NULL
                      : failf("memory grew from %u to %u pages in 195 calls",
                              pages, now);
}
static const char *str_no_leak(Rt *rt) {
  return no_growth(rt, "str", 40000);
}
static const char *bytes_no_leak(Rt *rt) {
  return no_growth(rt, "bytes", 40000);
}

/* ---- runner ------------------------------------------------------------ */

typedef struct Case {
  const char *name;
  const char *(*run)(Rt *rt);
  int module; /* index in modules[] */
} Case;

/* (clang-format 14 and 19 disagree on braces in a macro) */
/* clang-format off */
#define C(fn) { #fn, fn, 0 }
#define W(fn) { #fn, fn, 1 }
/* clang-format on */
static const Case cases[] = {
  C(str_ptr_past_end),
  C(str_range_past_end),
  C(str_ptr_len_wraps),
  C(str_len_huge),
  C(str_utf8_bad_continuation),
  C(str_utf8_lone_continuation),
  C(str_utf8_overlong_2),
  C(str_utf8_overlong_3),
  C(str_utf8_surrogate),
  C(str_utf8_above_max),
  C(str_utf8_after_ascii_run),
  C(str_utf8_in_last_word),
  C(str_utf8_truncated),
  C(str_utf8_f5),
  C(str_valid),
  C(bytes_range_past_end),
  C(bytes_valid),
  C(points_misaligned),
  C(points_count_times_size_wraps),
  C(points_nested_name_past_end),
  C(points_nested_tag_bad_utf8),
  C(points_valid),
  C(hres_list_range_past_end),
  C(hres_list_misaligned),
  C(hres_list_valid),
  C(opt_outer_disc),
  C(opt_inner_disc),
  C(opt_valid),
  C(res_both_disc),
  C(res_both_ok_bad_utf8),
  C(res_both_valid),
  C(res_none_disc),
  C(var_disc_7),
  C(var_disc_huge),
  C(var_maybe_inner_disc),
  C(var_maybe_string_past_end),
  C(var_outcome_bad_enum),
  C(var_outcome_disc),
  C(var_inner_leaf_disc),
  C(var_inner_label_bad_utf8),
  C(var_valid),
  C(deep_option_disc),
  C(deep_result_disc),
  C(deep_shape_disc),
  C(deep_tuple_string_past_end),
  C(deep_shape_named_surrogate),
  C(deep_valid),
  C(enm_5),
  C(enm_huge),
  C(enm_valid),
  C(chr_d800),
  C(chr_dfff),
  C(chr_110000),
  C(chr_ffffffff),
  C(chr_valid),
  C(set1_unknown_bit),
  C(set9_unknown_bit),
  C(set9_high_bit),
  C(flags_valid),
  C(bool_2_is_true),
  C(tup_bad_char),
  C(tup_string_past_end),
  C(tup_valid_bool_2),
  C(many_ptr_past_end),
  C(many_ptr_misaligned),
  C(many_bad_char),
  C(many_bad_utf8),
  C(many_valid),
  C(many_bool_2_is_true),
  C(arr_big_ptr_past_end),
  C(arr_big_valid),
  C(arr_str_bad_utf8),
  C(gacc_merge_bad_own_handle),
  C(gacc_valid),
  C(hres_peek_bad_borrow),
  C(hres_peek_valid),
  W(set33_unknown_bit),
  W(set65_unknown_bit),
  W(wide_valid),
  C(str_no_leak),
  C(bytes_no_leak),
};

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: hostile CORE.wasm WIDE.wasm\n");
    return 2;
  }
  engine = wg_engine_new(NULL);
  for (int i = 0; i < 2; i++) {
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (wg_file_read(argv[1 + i], &bytes, &len) != WG_OK) {
      fprintf(stderr, "hostile: cannot read %s\n", argv[1 + i]);
      return 2;
    }
    WgDiagList *diags = wg_diag_list_new();
    if (wg_wasm_module_load(engine, bytes, len, &modules[i], diags) != WG_OK) {
      fprintf(stderr, "hostile: %s: %s\n", argv[1 + i],
              wg_diag_list_first_error(diags));
      return 2;
    }
    wg_diag_list_delete(diags);
    free(bytes);
  }
  int passed = 0, failed = 0;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    Rt *rt = rt_new(modules[cases[i].module]);
    const char *e = cases[i].run(rt);
    rt_delete(rt);
    if (e) {
      printf("FAIL %s: %s\n", cases[i].name, e);
      failed++;
    } else {
      printf("ok   %s\n", cases[i].name);
      passed++;
    }
  }
  printf("%d passed, %d failed\n", passed, failed);
  wg_wasm_module_delete(modules[0]);
  wg_wasm_module_delete(modules[1]);
  wg_engine_delete(engine);
  return failed == 0 ? 0 : 1;
}
