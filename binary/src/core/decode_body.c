/* SPDX-License-Identifier: Apache-2.0 */
/* Instruction scanner of the decoder: walks an expression checking that
 * every opcode exists in WebAssembly 2.0, its immediates are well formed
 * and blocks nest properly: `else` only once inside an `if`, every block
 * closed by `end` (spec: 5.4 Instructions). Types and indices are the
 * validator's job. Messages are the reference interpreter's. */
#include <stdlib.h>

#include "core/decode_internal.h"

/* Kinds of open blocks. */
enum { FRAME_BLOCK, FRAME_IF, FRAME_ELSE };

static bool memarg(WgDec *d) {
  uint32_t align, offset;
  const uint8_t *at = d->p;
  if (!wg_dec_u32(d, &align)) return false;
  /* an alignment exponent of 32 or more cannot be meant (and bit 6 would
   * select a memory index, a wasm 3.0 feature) */
  if (align >= 32) {
    d->p = at;
    return wg_dec_fail(d, "malformed memop flags");
  }
  return wg_dec_u32(d, &offset);
}

static bool zero_byte(WgDec *d) {
  uint8_t b;
  if (!wg_dec_byte(d, &b)) return false;
  if (b != 0) {
    d->p--;
    return wg_dec_fail(d, "zero byte expected");
  }
  return true;
}

static bool block_type(WgDec *d) {
  if (d->p < d->end && *d->p == 0x40) {
    d->p++;
    return true;
  }
  /* one-byte negative values are value types; others type indices */
  if (d->p < d->end && (*d->p & 0xc0) == 0x40) {
    WgValType t;
    return wg_dec_valtype(d, &t);
  }
  const uint8_t *at = d->p;
  int64_t index;
  if (!wg_dec_s33(d, &index)) return false;
  if (index < 0) {
    d->p = at;
    return wg_dec_fail(d, "malformed value type");
  }
  return true;
}

static bool illegal(WgDec *d, const uint8_t *at, const char *prefix,
                    uint32_t op) {
  d->p = at;
  return wg_dec_fail(d, "illegal opcode %s%02x", prefix, op);
}

/* SIMD opcodes (after 0xFD) that WebAssembly 2.0 leaves unassigned. */
static bool simd_reserved(uint32_t op) {
  switch (op) {
    case 0x9a:
    case 0xa2:
    case 0xa5:
    case 0xa6:
    case 0xaf:
    case 0xb0:
    case 0xb2:
    case 0xb3:
    case 0xb4:
    case 0xbb:
    case 0xc2:
    case 0xc5:
    case 0xc6:
    case 0xcf:
    case 0xd0:
    case 0xd2:
    case 0xd3:
    case 0xd4:
    case 0xe2:
    case 0xee:
      return true;
    default:
      return op > 0xff;
  }
}

static bool simd(WgDec *d, const uint8_t *at) {
  uint32_t op;
  if (!wg_dec_u32(d, &op)) return false;
  uint8_t lane;
  if (simd_reserved(op)) return illegal(d, at, "fd ", op);
  if (op <= 0x0b || op == 0x5c || op == 0x5d) return memarg(d);
  if (op == 0x0c || op == 0x0d) { /* v128.const, i8x16.shuffle */
    for (int i = 0; i < 16; i++) {
      if (!wg_dec_byte(d, &lane)) return false;
    }
    return true;
  }
  if (op >= 0x15 && op <= 0x22) return wg_dec_byte(d, &lane);
  if (op >= 0x54 && op <= 0x5b) return memarg(d) && wg_dec_byte(d, &lane);
  return true;
}

static bool misc(WgDec *d, const uint8_t *at) {
  uint32_t op, a;
  if (!wg_dec_u32(d, &op)) return false;
  switch (op) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
      return true; /* saturating truncations */
    case 8:        /* memory.init */
      d->needs_data_count = true;
      return wg_dec_u32(d, &a) && zero_byte(d);
    case 9: /* data.drop */
      d->needs_data_count = true;
      return wg_dec_u32(d, &a);
    case 10: /* memory.copy */
      return zero_byte(d) && zero_byte(d);
    case 11: /* memory.fill */
      return zero_byte(d);
    case 12:
    case 14: /* table.init, table.copy */
      return wg_dec_u32(d, &a) && wg_dec_u32(d, &a);
    case 13:
    case 15:
    case 16:
    case 17: /* elem.drop, table.grow/size/fill */
      return wg_dec_u32(d, &a);
    default:
      return illegal(d, at, "fc ", op);
  }
}

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

/* Immediates of the one-byte opcodes without a case of their own. */
static bool plain(WgDec *d, uint8_t op, const uint8_t *at) {
  if (op >= 0x28 && op <= 0x3e) return memarg(d);
  if (op >= 0x45 && op <= 0xc4) return true; /* numeric, no immediates */
  return illegal(d, at, "", op);
}

bool wg_dec_scan_expr(WgDec *d) {
  size_t depth = 0; /* open blocks */
  for (;;) {
    const uint8_t *at = d->p;
    uint8_t op;
    if (!wg_dec_byte(d, &op)) return false;
    uint32_t a, n;
    int32_t i32;
    int64_t i64;
    bool ok = true;
    switch (op) {
      case 0x00:
      case 0x01:
      case 0x0f:
      case 0x1a:
      case 0x1b:
      case 0xd1:
        break;
      case 0x02:
      case 0x03:
      case 0x04:
        ok = push_frame(d, depth, op == 0x04 ? FRAME_IF : FRAME_BLOCK) &&
             block_type(d);
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
      case 0x0c:
      case 0x0d:
      case 0x10:
      case 0xd2:
      case 0x20:
      case 0x21:
      case 0x22:
      case 0x23:
      case 0x24:
      case 0x25:
      case 0x26:
        ok = wg_dec_u32(d, &a);
        break;
      case 0x0e:
        ok = wg_dec_len(d, &n);
        for (uint32_t i = 0; ok && i <= n; i++)
          ok = wg_dec_u32(d, &a);
        break;
      case 0x11:
        ok = wg_dec_u32(d, &a) && wg_dec_u32(d, &a);
        break;
      case 0x1c:
        ok = wg_dec_len(d, &n);
        for (uint32_t i = 0; ok && i < n; i++) {
          WgValType t;
          ok = wg_dec_valtype(d, &t);
        }
        break;
      case 0x3f:
      case 0x40:
        ok = zero_byte(d);
        break;
      case 0x41:
        ok = wg_dec_s32(d, &i32);
        break;
      case 0x42:
        ok = wg_dec_s64(d, &i64);
        break;
      case 0x43:
      case 0x44: {
        size_t len = op == 0x43 ? 4 : 8;
        if ((size_t)(d->end - d->p) < len) {
          d->p = d->end;
          return wg_dec_fail(d, "unexpected end of section or function");
        }
        d->p += len;
        break;
      }
      case 0xd0: {
        WgValType t;
        ok = wg_dec_reftype(d, &t);
        break;
      }
      case 0xfc:
        ok = misc(d, at);
        break;
      case 0xfd:
        ok = simd(d, at);
        break;
      default:
        ok = plain(d, op, at);
    }
    if (!ok) return false;
  }
}
