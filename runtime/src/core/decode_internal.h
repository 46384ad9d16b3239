/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the decoder's files: the reader state and primitive readers.
 * Every reader returns false after recording the first error. */
#ifndef WG_RUNTIME_CORE_DECODE_INTERNAL_H
#define WG_RUNTIME_CORE_DECODE_INTERNAL_H

#include "core/module.h"

typedef struct WgDec {
  const uint8_t *base; /* start of the binary (offsets in errors) */
  const uint8_t *p;
  const uint8_t *end; /* end of the current section / function */
  WgModule *m;
  WgModuleError *err;
  bool nomem;
  bool in_function;      /* scanning a function body (not a const expr) */
  bool needs_data_count; /* memory.init / data.drop seen */
} WgDec;

bool wg_dec_fail(WgDec *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool wg_dec_byte(WgDec *d, uint8_t *out);
bool wg_dec_u32(WgDec *d, uint32_t *out);
bool wg_dec_u64(WgDec *d, uint64_t *out);
bool wg_dec_s32(WgDec *d, int32_t *out);
bool wg_dec_s33(WgDec *d, int64_t *out);
bool wg_dec_s64(WgDec *d, int64_t *out);
bool wg_dec_valtype(WgDec *d, WgValType *out);
bool wg_dec_reftype(WgDec *d, WgValType *out);

/* Scans one expression (instructions up to the `end` closing it), checking
 * opcodes and immediates; leaves d->p after that `end`. */
bool wg_dec_scan_expr(WgDec *d);

#endif
