/* SPDX-License-Identifier: Apache-2.0 */
/* A tiny assembler of core module binaries for the decoder and validator
 * tests: sections from byte lists, sizes computed (each below 128). */
#ifndef WG_TEST_CORE_ASM_H
#define WG_TEST_CORE_ASM_H

#include <string.h>

#include "cmocka_all.h"
#include "witgen/core_module.h"

#define BYTES(...)  ((const uint8_t[]){ __VA_ARGS__ })
#define NBYTES(...) sizeof((const uint8_t[]){ __VA_ARGS__ })

typedef struct Asm {
  uint8_t b[4096];
  size_t n;
  uint32_t features; /* to decode with: WebAssembly 2.0 unless set */
} Asm;

static inline void asm_put(Asm *a, const uint8_t *p, size_t n) {
  assert_true(a->n + n <= sizeof a->b);
  memcpy(a->b + a->n, p, n);
  a->n += n;
}

/* The 8-byte preamble. */
static inline void asm_header(Asm *a) {
  a->n = 0;
  a->features = WG_FEATURES_WASM2;
  asm_put(a, BYTES(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00), 8);
}

static inline void asm_section(Asm *a, uint8_t id, const uint8_t *p, size_t n) {
  assert_true(n < 128);
  uint8_t h[2] = { id, (uint8_t)n };
  asm_put(a, h, 2);
  asm_put(a, p, n);
}

/* SEC(a, id, contents...) */
#define SEC(a, id, ...) \
  asm_section(a, id, BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__))
/* RAW(a, bytes...) */
#define RAW(a, ...) asm_put(a, BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__))

/* A code section with one body: `body` is locals vector, code, end. */
static inline void asm_code1(Asm *a, const uint8_t *body, size_t n) {
  assert_true(n + 2 < 128);
  uint8_t h[4] = { 10, (uint8_t)(n + 2), 1, (uint8_t)n };
  asm_put(a, h, 4);
  asm_put(a, body, n);
}
#define CODE1(a, ...) asm_code1(a, BYTES(__VA_ARGS__), NBYTES(__VA_ARGS__))

/* A module of one function of type `functype` (bytes after 0x60) whose
 * body is the given bytes (locals vector, code, end). */
static inline void asm_func_module(Asm *a, const uint8_t *ft, size_t ftn,
                                   const uint8_t *body, size_t n) {
  asm_header(a);
  uint8_t t[64] = { 1, 0x60 };
  assert_true(ftn + 2 <= sizeof t);
  memcpy(t + 2, ft, ftn);
  asm_section(a, 1, t, ftn + 2);
  SEC(a, 3, 1, 0);
  asm_code1(a, body, n);
}

/* Decodes; on failure `diags` holds the error. */
static inline WgStatus asm_decode(const Asm *a, WgModule **m,
                                  WgDiagList *diags) {
  return wg_module_decode(a->b, a->n, (WgAllocator){ 0 }, a->features, m,
                          diags);
}

/* `diags` holds exactly one error, of code `status`, at a byte offset
 * inside the module, whose message starts with `want`. */
static inline void check_error(const Asm *a, const WgDiagList *diags,
                               WgStatus status, const char *want) {
  assert_int_equal(wg_diag_list_count(diags), 1);
  const WgDiag *d = wg_diag_list_get(diags, 0);
  assert_int_equal(d->severity, WG_SEVERITY_ERROR);
  assert_int_equal(d->code, status);
  assert_true(d->has_offset);
  assert_true(d->offset <= a->n);
  if (strncmp(d->message, want, strlen(want)) != 0) {
    fail_msg("expected \"%s\", got \"%s\"", want, d->message);
  }
}

static inline void expect_malformed(const Asm *a, const char *want) {
  WgModule *m = (WgModule *)1;
  WgDiagList *diags = wg_diag_list_new();
  WgStatus st = asm_decode(a, &m, diags);
  if (st != WG_ERR_MALFORMED) {
    fail_msg("expected malformed \"%s\", got status %d", want, (int)st);
  }
  assert_null(m);
  check_error(a, diags, WG_ERR_MALFORMED, want);
  wg_diag_list_delete(diags);
}

/* Decodes (must succeed) and validates. */
static inline WgStatus asm_validate(const Asm *a, WgDiagList *diags) {
  WgModule *m = NULL;
  WgStatus st = asm_decode(a, &m, diags);
  if (st != WG_OK)
    fail_msg("decoding failed: %s", wg_diag_list_first_error(diags));
  st = wg_module_validate(m, diags);
  wg_module_free(m);
  return st;
}

static inline void expect_invalid(const Asm *a, const char *want) {
  WgDiagList *diags = wg_diag_list_new();
  WgStatus st = asm_validate(a, diags);
  if (st != WG_ERR_INVALID) {
    fail_msg("expected invalid \"%s\", got status %d", want, (int)st);
  }
  check_error(a, diags, WG_ERR_INVALID, want);
  wg_diag_list_delete(diags);
}

static inline void expect_valid(const Asm *a) {
  WgDiagList *diags = wg_diag_list_new();
  WgStatus st = asm_validate(a, diags);
  if (st != WG_OK) {
    fail_msg("expected valid, got \"%s\"", wg_diag_list_first_error(diags));
  }
  assert_int_equal(wg_diag_list_count(diags), 0);
  wg_diag_list_delete(diags);
}

#endif
