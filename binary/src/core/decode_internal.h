/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the decoder's files: the reader state and primitive readers.
 * Every reader returns false after recording the first error.
 *
 * Like the reference interpreter, the decoder reads the module as one
 * stream: a section or function body is not cut off at its declared size;
 * reading stops only at the end of the module ("unexpected end of section
 * or function"), and the declared size is compared with what was read
 * afterwards ("section size mismatch"). This gives the spec suite's
 * messages for every kind of truncated or overlong content. */
#ifndef WG_BINARY_CORE_DECODE_INTERNAL_H
#define WG_BINARY_CORE_DECODE_INTERNAL_H

#include "witgen/core_module.h"

typedef struct WgDec {
  const uint8_t *base; /* start of the binary (offsets in errors) */
  const uint8_t *p;
  const uint8_t *end; /* end of the module */
  WgModule *m;
  WgDiagList *diags; /* receives the first error */
  bool failed;       /* an error was recorded */
  bool nomem;
  bool needs_data_count; /* memory.init / data.drop seen */
  /* Kinds of the blocks open while scanning an expression (see
   * decode_body.c); grown as needed, freed at the end of decoding. */
  uint8_t *frames;
  size_t frames_cap;
} WgDec;

/* Records the error at the current position (the first one only: later
 * failures are consequences) and returns false. */
bool wg_dec_fail(WgDec *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool wg_dec_byte(WgDec *d, uint8_t *out);
bool wg_dec_u32(WgDec *d, uint32_t *out);
bool wg_dec_u64(WgDec *d, uint64_t *out);
bool wg_dec_s32(WgDec *d, int32_t *out);
bool wg_dec_s33(WgDec *d, int64_t *out);
bool wg_dec_s64(WgDec *d, int64_t *out);
/* A vector length or byte count: at most the number of bytes left in the
 * module (counted from the length itself), else "length out of bounds". */
bool wg_dec_len(WgDec *d, uint32_t *out);
bool wg_dec_valtype(WgDec *d, WgValType *out);
bool wg_dec_reftype(WgDec *d, WgValType *out);

/* LEB128 readers of at most `bits` bits with the reference's errors
 * (instr.c): `*p` advances past the integer, or stops where the error is
 * reported. */
WgInstrStatus wg_read_uleb(const uint8_t **p, const uint8_t *end, int bits,
                           uint64_t *out);
WgInstrStatus wg_read_sleb(const uint8_t **p, const uint8_t *end, int bits,
                           int64_t *out);

/* Scans one expression (instructions up to the `end` closing it), checking
 * opcodes, immediates and block structure; leaves d->p after that `end`. */
bool wg_dec_scan_expr(WgDec *d);

#endif
