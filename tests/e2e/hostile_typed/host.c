/* SPDX-License-Identifier: Apache-2.0 */
/* Hostile guest results to a typed host (issue 15, must-show 4): the
 * guest of guest.c returns (or passes to an import) bad values on purpose,
 * and this host, written on the typed host bindings of hostile.wit
 * (hostile_host.h), must get a trap status naming what went wrong each
 * time: never a crash, never a value built from bad memory, never an
 * import called with one. Each case runs on a fresh instance (a trap
 * poisons the one it happens in), and each export also runs once in mode
 * 0, where its value must come through intact (so a check that refused
 * everything would fail). Under the asan preset the values the bindings
 * had started to build when the trap came must all be freed (a leak
 * fails the test).
 *
 *   hostile_typed COMPONENT.wasm
 * Prints one line per case and `N passed, M failed`. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile_host.h"

static int passed, failed;
static WgEngine *engine;
static WgWasmComponent *comp;
static WgComponentLinker *linker;

/* Section: the host's side */

static int imports_called; /* functions reached with a value (not make) */
static uint32_t hres_made;

static WgTrap *take_string(void *ctx, WgCCall *call, hostile_string_t s,
                           uint32_t *ret) {
  (void)ctx, (void)call;
  imports_called++;
  *ret = (uint32_t)s.len;
  hostile_string_free(&s);
  return NULL;
}
static WgTrap *take_list(void *ctx, WgCCall *call, hostile_list_u64_t l,
                         uint32_t *ret) {
  (void)ctx, (void)call;
  imports_called++;
  *ret = (uint32_t)l.len;
  hostile_list_u64_free(&l);
  return NULL;
}
static WgTrap *take_item(void *ctx, WgCCall *call, hostile_host_item_t i,
                         uint32_t *ret) {
  (void)ctx, (void)call;
  imports_called++;
  *ret = (uint32_t)i.tags.len;
  hostile_types_item_free(&i);
  return NULL;
}
static WgTrap *take_shape(void *ctx, WgCCall *call, hostile_host_shape_t s,
                          uint32_t *ret) {
  (void)ctx, (void)call;
  imports_called++;
  *ret = s.tag;
  hostile_types_shape_free(&s);
  return NULL;
}
static WgTrap *take_borrow(void *ctx, WgCCall *call,
                           hostile_types_borrow_hres_t h, uint32_t *ret) {
  (void)ctx, (void)call;
  imports_called++;
  *ret = h.rep;
  return NULL;
}
static WgTrap *take_own(void *ctx, WgCCall *call, hostile_types_hres_t h,
                        uint32_t *ret) {
  (void)ctx, (void)call;
  imports_called++;
  *ret = h.rep;
  return NULL;
}
static WgTrap *make(void *ctx, WgCCall *call, uint32_t v,
                    hostile_types_hres_t *ret) {
  (void)ctx, (void)call;
  ret->rep = 100 + v;
  hres_made++;
  return NULL;
}
static WgTrap *hres_get(void *ctx, WgCCall *call,
                        hostile_types_borrow_hres_t self, uint32_t *ret) {
  (void)ctx, (void)call;
  *ret = self.rep;
  return NULL;
}

static const hostile_host_impl_t host_impl = {
  .take_string = take_string,
  .take_list = take_list,
  .take_item = take_item,
  .take_shape = take_shape,
  .take_borrow = take_borrow,
  .take_own = take_own,
  .make = make,
};
static const hostile_types_impl_t types_impl = { .hres_get = hres_get };
static const hostile_imports_t imports = {
  .hostile_types = &types_impl,
  .hostile_host = &host_impl,
};

/* Section: cases */

typedef struct Run {
  WgStore *store;
  hostile_t b;
} Run;

static bool start(Run *r, uint32_t mode) {
  WgDiagList *d = wg_diag_list_new();
  r->store = wg_store_new(engine);
  bool ok = hostile_instantiate(linker, r->store, comp, &r->b, d) == WG_OK;
  if (!ok) wg_diag_list_print(d, stderr);
  wg_diag_list_delete(d);
  WgTrap *t = ok ? exports_hostile_api_call_set_mode(&r->b, mode) : NULL;
  if (t) {
    fprintf(stderr, "set-mode: %s\n", wg_trap_message(t));
    wg_trap_delete(t);
    ok = false;
  }
  imports_called = 0;
  return ok;
}

static void stop(Run *r) {
  wg_store_delete(r->store);
}

/* Checks that `t` is a guest trap whose message contains `want`; takes
 * `t`. */
static void expect_trap(const char *name, WgTrap *t, const char *want,
                        bool import_reached) {
  char why[512] = "";
  if (!t)
    snprintf(why, sizeof why, "no trap: the bad value was accepted");
  else if (wg_trap_kind(t) != WG_TRAP_WASM)
    snprintf(why, sizeof why, "trap of kind %d: %s", (int)wg_trap_kind(t),
             wg_trap_message(t));
  else if (!strstr(wg_trap_message(t), want))
    snprintf(why, sizeof why, "trap `%s` does not say `%s`", wg_trap_message(t),
             want);
  else if (import_reached)
    snprintf(why, sizeof why, "the import was called with the bad value");
  if (why[0]) {
    failed++;
    printf("FAIL %s: %s\n", name, why);
  } else {
    passed++;
    printf("ok   %s: %s\n", name, wg_trap_message(t));
  }
  wg_trap_delete(t);
}

static void expect_ok(const char *name, WgTrap *t, bool value_ok) {
  if (t || !value_ok) {
    failed++;
    printf("FAIL %s (control): %s\n", name,
           t ? wg_trap_message(t) : "wrong value");
  } else {
    passed++;
    printf("ok   %s (control)\n", name);
  }
  wg_trap_delete(t);
}

#define BAD(name, mode, T, call, free_fn, want) \
  do {                                          \
    Run r_;                                     \
    if (!start(&r_, mode)) return;              \
    T v_;                                       \
    WgTrap *t_ = call(&r_.b, &v_);              \
    if (!t_) free_fn(&v_);                      \
    expect_trap(name, t_, want, false);         \
    stop(&r_);                                  \
  } while (0)

static void nothing(void *v) {
  (void)v;
}

static void drop_gres(exports_hostile_api_gres_t *g) {
  wg_trap_delete(exports_hostile_api_gres_drop(*g));
}

static void results(void) {
  /* strings */
  BAD("get-string: pointer out of bounds", 1, hostile_string_t,
      exports_hostile_api_call_get_string, hostile_string_free,
      "string pointer/length out of bounds of memory");
  BAD("get-string: invalid UTF-8", 2, hostile_string_t,
      exports_hostile_api_call_get_string, hostile_string_free,
      "invalid utf-8 sequence at index 1");
  BAD("get-string: length over the limit", 3, hostile_string_t,
      exports_hostile_api_call_get_string, hostile_string_free,
      "string too long");
  BAD("get-result: ok(string) not UTF-8", 2, hostile_result_string_u32_t,
      exports_hostile_api_call_get_result, hostile_result_string_u32_free,
      "invalid utf-8");
  /* lists */
  BAD("get-list: out of bounds", 1, hostile_list_u64_t,
      exports_hostile_api_call_get_list, hostile_list_u64_free,
      "list pointer/length out of bounds of memory");
  BAD("get-list: count x size overflows", 2, hostile_list_u64_t,
      exports_hostile_api_call_get_list, hostile_list_u64_free,
      "list too long (536870912 elements of 8 bytes");
  BAD("get-list: misaligned", 3, hostile_list_u64_t,
      exports_hostile_api_call_get_list, hostile_list_u64_free,
      "unaligned pointer: list at 0x404 must be 8-aligned");
  /* records: each field broken after good ones (partial values freed) */
  BAD("get-item: name out of bounds", 1, exports_hostile_api_item_t,
      exports_hostile_api_call_get_item, hostile_types_item_free,
      "string pointer/length out of bounds");
  BAD("get-item: second tag not UTF-8", 2, exports_hostile_api_item_t,
      exports_hostile_api_call_get_item, hostile_types_item_free,
      "invalid utf-8");
  BAD("get-item: mark a surrogate", 3, exports_hostile_api_item_t,
      exports_hostile_api_call_get_item, hostile_types_item_free,
      "invalid `char` bit pattern 0xd800");
  BAD("get-item: enum out of range", 4, exports_hostile_api_item_t,
      exports_hostile_api_call_get_item, hostile_types_item_free,
      "invalid variant discriminant 7 (3 cases)");
  BAD("get-item: second shape of no case", 5, exports_hostile_api_item_t,
      exports_hostile_api_call_get_item, hostile_types_item_free,
      "invalid variant discriminant 9 (3 cases)");
  BAD("get-items: second item's tag not UTF-8", 2,
      hostile_list_exports_hostile_api_item_t,
      exports_hostile_api_call_get_items,
      hostile_list_exports_hostile_api_item_free, "invalid utf-8");
  BAD("get-items: second item's shape of no case", 5,
      hostile_list_exports_hostile_api_item_t,
      exports_hostile_api_call_get_items,
      hostile_list_exports_hostile_api_item_free,
      "invalid variant discriminant 9");
  BAD("get-items: list out of bounds", 6,
      hostile_list_exports_hostile_api_item_t,
      exports_hostile_api_call_get_items,
      hostile_list_exports_hostile_api_item_free,
      "list pointer/length out of bounds");
  /* variants, enums, chars */
  BAD("get-shape: discriminant of no case", 1, exports_hostile_api_shape_t,
      exports_hostile_api_call_get_shape, hostile_types_shape_free,
      "invalid variant discriminant 9 (3 cases)");
  BAD("get-shape: named(string) not UTF-8", 2, exports_hostile_api_shape_t,
      exports_hostile_api_call_get_shape, hostile_types_shape_free,
      "invalid utf-8");
  BAD("get-color: enum out of range", 1, exports_hostile_api_color_t,
      exports_hostile_api_call_get_color, nothing,
      "invalid variant discriminant 3 (3 cases)");
  BAD("get-char: surrogate", 1, uint32_t, exports_hostile_api_call_get_char,
      nothing, "invalid `char` bit pattern 0xd800");
  BAD("get-char: beyond U+10FFFF", 2, uint32_t,
      exports_hostile_api_call_get_char, nothing,
      "invalid `char` bit pattern 0x110000");
  /* handles */
  BAD("get-gres: unknown handle", 1, exports_hostile_api_gres_t,
      exports_hostile_api_call_get_gres, drop_gres,
      "unknown handle index 12345");
  BAD("get-hres: unknown handle", 1, hostile_types_hres_t,
      exports_hostile_api_call_get_hres, nothing, "unknown handle index 9999");
  BAD("get-hres: a handle of another resource", 2, hostile_types_hres_t,
      exports_hostile_api_call_get_hres, nothing, "used with the wrong type");
}

/* The guest calls import `which` with a bad value: the trampoline's
 * lifting traps before the host's function is reached. */
static void bad_import(const char *name, uint32_t which, uint32_t mode,
                       const char *want) {
  Run r;
  if (!start(&r, mode)) return;
  uint32_t v;
  WgTrap *t = exports_hostile_api_call_call_host(&r.b, which, &v);
  expect_trap(name, t, want, imports_called != 0);
  stop(&r);
}

static void arguments(void) {
  bad_import("take-string: pointer out of bounds", 0, 1,
             "string pointer/length out of bounds of memory");
  bad_import("take-string: invalid UTF-8", 0, 2, "invalid utf-8");
  bad_import("take-string: length over the limit", 0, 3, "string too long");
  bad_import("take-list: out of bounds", 1, 1,
             "list pointer/length out of bounds");
  bad_import("take-list: count x size overflows", 1, 2, "list too long");
  bad_import("take-list: misaligned", 1, 3, "unaligned pointer: list");
  bad_import("take-item: name out of bounds", 2, 1,
             "string pointer/length out of bounds");
  bad_import("take-item: second tag not UTF-8", 2, 2, "invalid utf-8");
  bad_import("take-item: mark a surrogate", 2, 3, "invalid `char` bit pattern");
  bad_import("take-item: enum out of range", 2, 4,
             "invalid variant discriminant 7");
  bad_import("take-item: second shape of no case", 2, 5,
             "invalid variant discriminant 9");
  bad_import("take-shape: discriminant of no case", 3, 1,
             "invalid variant discriminant 9");
  bad_import("take-borrow: unknown handle", 4, 1, "unknown handle index 4242");
  bad_import("take-own: unknown handle", 5, 1, "unknown handle index 4242");
  bad_import("take-own: a handle already dropped", 5, 2,
             "unknown handle index");
}

/* Mode 0: every value comes through intact. */
static void controls(void) {
  Run r;
  if (!start(&r, 0)) return;
  hostile_string_t s;
  WgTrap *t = exports_hostile_api_call_get_string(&r.b, &s);
  expect_ok("get-string", t, !t && s.len == 4 && !memcmp(s.ptr, "fine", 4));
  if (!t) hostile_string_free(&s);
  hostile_list_u64_t l;
  t = exports_hostile_api_call_get_list(&r.b, &l);
  expect_ok("get-list", t, !t && l.len == 3 && l.ptr[2] == 3);
  if (!t) hostile_list_u64_free(&l);
  hostile_list_exports_hostile_api_item_t items;
  t = exports_hostile_api_call_get_items(&r.b, &items);
  expect_ok("get-items", t,
            !t && items.len == 2 && items.ptr[1].tags.len == 2 &&
                items.ptr[1].mark == 'm' &&
                items.ptr[1].inner.ptr[1].tag == HOSTILE_TYPES_SHAPE_CIRCLE);
  if (!t) hostile_list_exports_hostile_api_item_free(&items);
  uint32_t c;
  t = exports_hostile_api_call_get_char(&r.b, &c);
  expect_ok("get-char", t, !t && c == 'x');
  exports_hostile_api_gres_t g;
  t = exports_hostile_api_call_get_gres(&r.b, &g);
  expect_ok("get-gres", t, !t && g.type != NULL);
  if (!t) drop_gres(&g); /* the guest's destructor runs */
  hostile_types_hres_t h;
  t = exports_hostile_api_call_get_hres(&r.b, &h);
  expect_ok("get-hres", t, !t && h.rep == 105);
  for (uint32_t which = 0; which < 6; which++) {
    uint32_t v = 0;
    int before = imports_called;
    t = exports_hostile_api_call_call_host(&r.b, which, &v);
    char name[32];
    snprintf(name, sizeof name, "call-host %u", which);
    expect_ok(name, t, !t && imports_called == before + 1);
  }
  stop(&r);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: hostile_typed COMPONENT.wasm\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 2;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *bytes = malloc(n > 0 ? (size_t)n : 1);
  if (!bytes || fread(bytes, 1, (size_t)n, f) != (size_t)n) return 2;
  fclose(f);
  engine = wg_engine_new(NULL);
  WgDiagList *diags = wg_diag_list_new();
  if (wg_wasm_component_load(engine, bytes, (size_t)n, &comp, diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  free(bytes);
  linker = wg_component_linker_new(engine, NULL);
  if (hostile_add_to_linker(linker, &imports, NULL, diags) != WG_OK) {
    wg_diag_list_print(diags, stderr);
    return 1;
  }
  controls();
  results();
  arguments();
  printf("%d passed, %d failed\n", passed, failed);
  wg_component_linker_delete(linker);
  wg_wasm_component_delete(comp);
  wg_engine_delete(engine);
  wg_diag_list_delete(diags);
  return failed == 0 && passed > 0 ? 0 : 1;
}
