/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the component runtime's unit tests: loading the test
 * components of tests/unit/runtime/components (encoded from their .wat by
 * the oracle), instantiating them, calling exports by name. */
#ifndef WG_TEST_COMPONENT_UTIL_H
#define WG_TEST_COMPONENT_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmocka_all.h"
#include "witgen/component.h"

static inline uint8_t *tc_read(const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", WG_COMPONENTS_DIR, name);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return b;
}

/* Loads components/NAME (a .wasm); fails the test when it does not load. */
static inline WgWasmComponent *tc_load(WgEngine *e, const char *name) {
  size_t len;
  uint8_t *bytes = tc_read(name, &len);
  assert_non_null(bytes);
  WgDiagList *d = wg_diag_list_new();
  WgWasmComponent *c = NULL;
  WgStatus st = wg_wasm_component_load(e, bytes, len, &c, d);
  if (st != WG_OK) wg_diag_list_print(d, stderr);
  assert_int_equal(st, WG_OK);
  wg_diag_list_delete(d);
  free(bytes);
  return c;
}

/* Instantiates with `l` in `s`; fails the test on error. */
static inline WgComponentInstance *tc_inst(WgComponentLinker *l, WgStore *s,
                                           WgWasmComponent *c) {
  WgDiagList *d = wg_diag_list_new();
  WgComponentInstance *i = NULL;
  WgStatus st = wg_component_linker_instantiate(l, s, c, &i, d);
  if (st != WG_OK) wg_diag_list_print(d, stderr);
  assert_int_equal(st, WG_OK);
  wg_diag_list_delete(d);
  return i;
}

static inline WgComponentFunc *tc_func(WgComponentInstance *i,
                                       const char *name) {
  WgComponentFunc *f = wg_component_instance_func(i, wg_str_from_cstr(name));
  if (!f) fprintf(stderr, "no export %s\n", name);
  assert_non_null(f);
  return f;
}

/* Calls `name`; returns the trap (NULL on success). */
static inline WgTrap *tc_call(WgComponentInstance *i, const char *name,
                              const WgCVal *args, size_t n, WgCVal *result) {
  WgComponentFunc *f = tc_func(i, name);
  const WgCFuncTy *t = wg_component_func_type(f);
  WgCVal dummy;
  return wg_component_func_call(f, args, n, result ? result : &dummy,
                                t->result ? 1 : 0);
}

/* Calls `name`, which must succeed. */
static inline void tc_ok(WgComponentInstance *i, const char *name,
                         const WgCVal *args, size_t n, WgCVal *result) {
  WgTrap *t = tc_call(i, name, args, n, result);
  if (t) fprintf(stderr, "%s trapped: %s\n", name, wg_trap_message(t));
  assert_null(t);
}

/* Calls `name`, which must trap with a message containing `want`; returns
 * the trap kind. */
static inline WgTrapKind tc_trap(WgComponentInstance *i, const char *name,
                                 const WgCVal *args, size_t n,
                                 const char *want) {
  WgTrap *t = tc_call(i, name, args, n, NULL);
  assert_non_null(t);
  if (!strstr(wg_trap_message(t), want))
    fprintf(stderr, "%s: `%s` lacks `%s`\n", name, wg_trap_message(t), want);
  assert_non_null(strstr(wg_trap_message(t), want));
  WgTrapKind k = wg_trap_kind(t);
  wg_trap_delete(t);
  return k;
}

#endif
