/* SPDX-License-Identifier: Apache-2.0 */
/* Instruction scanner of the decoder: walks an expression with the
 * instruction reader (instr.c), which checks that every opcode exists in
 * WebAssembly 2.0 and its immediates are well formed, and checks here that
 * blocks nest properly: `else` only once inside an `if`, every block closed
 * by `end` (spec: 5.4 Instructions). Types and indices are the validator's
 * job. Messages are the reference interpreter's. */
#include <stdlib.h>

#include "core/decode_internal.h"

/* Kinds of open blocks. */
enum { FRAME_BLOCK, FRAME_IF, FRAME_ELSE };

static bool push_frame(WgDec *d, size_t depth, uint8_t kind) {
  if (depth == d->frames_cap) {
    size_t cap = d->frames_cap ? d->frames_cap * 2 : 64;
    uint8_t *n = realloc(d->frames, cap);
    if (!n) {
      d->nomem = true;
      return wg_dec_fail(d, "out of memory");
    }
    d->frames = n;
    d->frames_cap = cap;
  }
  d->frames[depth] = kind;
  return true;
}

/* Reports a status of the instruction reader. */
static bool read_error(WgDec *d, WgInstrStatus st, const WgInstr *in) {
  if (st != WG_INSTR_ILLEGAL)
    return wg_dec_fail(d, "%s", wg_instr_status_message(st));
  if (in->op == 0xfc || in->op == 0xfd)
    return wg_dec_fail(d, "illegal opcode %02x %02x", in->op, in->sub);
  return wg_dec_fail(d, "illegal opcode %02x", in->op);
}

bool wg_dec_scan_expr(WgDec *d) {
  size_t depth = 0; /* open blocks */
  for (;;) {
    const uint8_t *at = d->p;
    WgInstr in;
    WgInstrStatus st = wg_instr_read(&d->p, d->end, d->m->features, &in);
    if (st != WG_INSTR_OK) return read_error(d, st, &in);
    switch (in.op) {
      case 0x02:
      case 0x03:
      case 0x04:
        if (!push_frame(d, depth, in.op == 0x04 ? FRAME_IF : FRAME_BLOCK))
          return false;
        depth++;
        break;
      case 0x05:
        if (depth == 0 || d->frames[depth - 1] != FRAME_IF) {
          d->p = at;
          return wg_dec_fail(d, "END opcode expected");
        }
        d->frames[depth - 1] = FRAME_ELSE;
        break;
      case 0x0b:
        if (depth == 0) return true;
        depth--;
        break;
      case 0xfc: /* memory.init, data.drop */
        if (in.sub == 8 || in.sub == 9) d->needs_data_count = true;
        break;
      default:
        break;
    }
  }
}
