/* SPDX-License-Identifier: Apache-2.0 */
/* The one reader of instructions and their immediates (spec: 5.4
 * Instructions), driven by the `imm` column of opcodes.def. The decoder
 * uses it to check function bodies and constant expressions (reporting its
 * statuses with the reference interpreter's messages and positions), the
 * validator and the runtime's compiler to walk code the decoder accepted.
 *
 * LEB128 integers are read as the reference reads them, byte by byte: a
 * byte whose unused bits are not zero (unsigned) or not a sign extension
 * (signed) is "integer too large" at that byte; a continuation past the last
 * allowed byte is "integer representation too long" after it. */
#include <string.h>

#include "core/decode_internal.h"

/* Section: immediate kinds by opcode (0: unassigned, else WgImm + 1) */

#define ENTRY(code, id, text, imm, ...) [code] = WG_IMM_##imm + 1,
static const uint8_t k_plain[256] = {
#define WG_OP ENTRY
#include "core/opcodes.def"
};
static const uint8_t k_fc[32] = {
#define WG_OP_FC ENTRY
#include "core/opcodes.def"
};
static const uint8_t k_fd[256] = {
#define WG_OP_FD ENTRY
#include "core/opcodes.def"
};
#undef ENTRY

/* The kinds wg_instr_read() may read inline (in one-byte forms): none,
 * an i32 constant, a block type, one index. */
#define SHORT_NONE(code)                [code] = WG_IMM_NONE + 1,
#define SHORT_INDEX(code, kind)         [code] = WG_IMM_##kind + 1,
#define SHORT(code, id, text, imm, ...) SHORT_##imm(code)
#define SHORT_BLOCKTYPE(code)           SHORT_INDEX(code, BLOCKTYPE)
#define SHORT_LABEL(code)               SHORT_INDEX(code, LABEL)
#define SHORT_BR_TABLE(code)
#define SHORT_FUNC(code) SHORT_INDEX(code, FUNC)
#define SHORT_CALL_INDIRECT(code)
#define SHORT_LOCAL(code)  SHORT_INDEX(code, LOCAL)
#define SHORT_GLOBAL(code) SHORT_INDEX(code, GLOBAL)
#define SHORT_TABLE(code)  SHORT_INDEX(code, TABLE)
#define SHORT_MEMARG(code)
#define SHORT_MEMORY0(code)
#define SHORT_I32(code) SHORT_INDEX(code, I32)
#define SHORT_I64(code)
#define SHORT_F32(code)
#define SHORT_F64(code)
#define SHORT_REFTYPE(code)
#define SHORT_SELECT_T(code)
const uint8_t wg_instr_short_form[256] = {
#define WG_OP SHORT
#include "core/opcodes.def"
};

/* Section: integers */

WgInstrStatus wg_read_uleb(const uint8_t **p, const uint8_t *end, int bits,
                           uint64_t *out) {
  const uint8_t *q = *p;
  uint64_t v = 0;
  unsigned shift = 0;
  for (int n = bits;; n -= 7, shift += 7) {
    if (n <= 0) {
      *p = q;
      return WG_INSTR_TOO_LONG;
    }
    if (q >= end) {
      *p = q;
      return WG_INSTR_END;
    }
    uint8_t b = *q;
    if (n < 7 && (b & 0x7f) >= (1u << n)) {
      *p = q;
      return WG_INSTR_TOO_LARGE;
    }
    q++;
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  *p = q;
  *out = v;
  return WG_INSTR_OK;
}

WgInstrStatus wg_read_sleb(const uint8_t **p, const uint8_t *end, int bits,
                           int64_t *out) {
  const uint8_t *q = *p;
  uint64_t v = 0;
  unsigned shift = 0;
  uint8_t b = 0;
  for (int n = bits;; n -= 7) {
    if (n <= 0) {
      *p = q;
      return WG_INSTR_TOO_LONG;
    }
    if (q >= end) {
      *p = q;
      return WG_INSTR_END;
    }
    b = *q;
    if (n < 7) {
      uint8_t mask = (uint8_t)((0xffu << (n - 1)) & 0x7f);
      if ((b & mask) != 0 && (b & mask) != mask) {
        *p = q;
        return WG_INSTR_TOO_LARGE;
      }
    }
    q++;
    v |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;
  *p = q;
  *out = (int64_t)v;
  return WG_INSTR_OK;
}

/* A u32: one or two bytes inline (most indices and offsets), else the
 * full reader. */
static inline WgInstrStatus u32(const uint8_t **p, const uint8_t *end,
                                uint32_t *out) {
  const uint8_t *q = *p;
  if (end - q >= 2 && q[0] < 0x80) {
    *out = q[0];
    *p = q + 1;
    return WG_INSTR_OK;
  }
  if (end - q >= 2 && q[1] < 0x80) {
    *out = (uint32_t)(q[0] & 0x7f) | (uint32_t)q[1] << 7;
    *p = q + 2;
    return WG_INSTR_OK;
  }
  uint64_t v = 0;
  WgInstrStatus st = wg_read_uleb(p, end, 32, &v);
  *out = (uint32_t)v;
  return st;
}

/* A vector length: at most the bytes left from where it starts. */
static WgInstrStatus length(const uint8_t **p, const uint8_t *end,
                            uint32_t *out) {
  const uint8_t *at = *p;
  WgInstrStatus st = u32(p, end, out);
  if (st == WG_INSTR_OK && *out > (size_t)(end - at)) {
    *p = at;
    return WG_INSTR_LENGTH;
  }
  return st;
}

/* Section: immediates */

#define TRY(expr)                       \
  do {                                  \
    WgInstrStatus st_ = (expr);         \
    if (st_ != WG_INSTR_OK) return st_; \
  } while (0)

static WgInstrStatus byte(const uint8_t **p, const uint8_t *end, uint8_t *out) {
  if (*p >= end) return WG_INSTR_END;
  *out = *(*p)++;
  return WG_INSTR_OK;
}

static WgInstrStatus fixed(const uint8_t **p, const uint8_t *end, size_t n) {
  if ((size_t)(end - *p) < n) {
    *p = end;
    return WG_INSTR_END;
  }
  *p += n;
  return WG_INSTR_OK;
}

static bool is_valtype(uint8_t b) {
  return (b >= WG_VT_V128 && b <= WG_VT_I32) || b == WG_VT_FUNCREF ||
         b == WG_VT_EXTERNREF;
}

/* A memory index: a u32 with multi-memory, else one zero byte. */
static WgInstrStatus memory_index(const uint8_t **p, const uint8_t *end,
                                  uint32_t features, uint32_t *out) {
  if (features & WG_FEATURE_MULTI_MEMORY) return u32(p, end, out);
  uint8_t b;
  TRY(byte(p, end, &b));
  if (b != 0) {
    --*p;
    return WG_INSTR_ZERO_BYTE;
  }
  *out = 0;
  return WG_INSTR_OK;
}

/* A memarg: alignment field, [memory index], offset. */
static WgInstrStatus memarg(const uint8_t **p, const uint8_t *end,
                            uint32_t features, WgInstr *in) {
  const uint8_t *at = *p;
  TRY(u32(p, end, &in->align));
  in->x = 0;
  if (features & WG_FEATURE_MULTI_MEMORY) {
    /* bit 6 announces a memory index; the alignment exponent is below it
     * (one above the natural alignment is invalid, not malformed) */
    if (in->align >= 128) {
      *p = at;
      return WG_INSTR_MEMOP_FLAGS;
    }
    if (in->align & 64) {
      in->align -= 64;
      TRY(u32(p, end, &in->x));
    }
  } else if (in->align >= 32) {
    /* an alignment exponent of 32 or more cannot be meant (wasm 2.0) */
    *p = at;
    return WG_INSTR_MEMOP_FLAGS;
  }
  uint32_t offset;
  TRY(u32(p, end, &offset));
  in->value = offset;
  return WG_INSTR_OK;
}

static WgInstrStatus block_type(const uint8_t **p, const uint8_t *end,
                                WgInstr *in) {
  /* one-byte negative values are 0x40 (empty) or value types; others are
   * type indices (s33) */
  if (*p < end && (**p & 0xc0) == 0x40) {
    uint8_t b = **p;
    if (b != 0x40 && !is_valtype(b)) return WG_INSTR_VALTYPE;
    ++*p;
    in->value = (uint64_t)((int64_t)b - 0x80);
    return WG_INSTR_OK;
  }
  const uint8_t *at = *p;
  int64_t index;
  TRY(wg_read_sleb(p, end, 33, &index));
  if (index < 0) {
    *p = at;
    return WG_INSTR_VALTYPE;
  }
  in->value = (uint64_t)index;
  return WG_INSTR_OK;
}

static WgInstrStatus br_table(const uint8_t **p, const uint8_t *end,
                              WgInstr *in) {
  TRY(length(p, end, &in->count));
  in->bytes = *p;
  for (uint32_t i = 0; i <= in->count; i++) {
    uint32_t label;
    TRY(u32(p, end, &label));
  }
  return WG_INSTR_OK;
}

static WgInstrStatus select_types(const uint8_t **p, const uint8_t *end,
                                  WgInstr *in) {
  TRY(length(p, end, &in->count));
  in->bytes = *p;
  for (uint32_t i = 0; i < in->count; i++) {
    uint8_t t;
    TRY(byte(p, end, &t));
    if (!is_valtype(t)) {
      --*p;
      return WG_INSTR_VALTYPE;
    }
  }
  return WG_INSTR_OK;
}

/* The immediates of kind `imm`. */
static WgInstrStatus immediates(const uint8_t **p, const uint8_t *end,
                                uint32_t features, WgImm imm, WgInstr *in) {
  switch (imm) {
    case WG_IMM_NONE:
      return WG_INSTR_OK;
    case WG_IMM_BLOCKTYPE:
      return block_type(p, end, in);
    case WG_IMM_LABEL:
    case WG_IMM_FUNC:
    case WG_IMM_LOCAL:
    case WG_IMM_GLOBAL:
    case WG_IMM_TABLE:
    case WG_IMM_DATA:
    case WG_IMM_ELEM:
      return u32(p, end, &in->x);
    case WG_IMM_CALL_INDIRECT:
    case WG_IMM_ELEM_TABLE:
    case WG_IMM_TABLE_TABLE:
      TRY(u32(p, end, &in->x));
      return u32(p, end, &in->y);
    case WG_IMM_BR_TABLE:
      return br_table(p, end, in);
    case WG_IMM_MEMARG:
      return memarg(p, end, features, in);
    case WG_IMM_MEMARG_LANE:
      TRY(memarg(p, end, features, in));
      return byte(p, end, &in->lane);
    case WG_IMM_MEMORY0:
      return memory_index(p, end, features, &in->x);
    case WG_IMM_DATA_MEMORY:
      TRY(u32(p, end, &in->x));
      return memory_index(p, end, features, &in->y);
    case WG_IMM_MEMORY_MEMORY:
      TRY(memory_index(p, end, features, &in->x));
      return memory_index(p, end, features, &in->y);
    case WG_IMM_I32: {
      int64_t v;
      TRY(wg_read_sleb(p, end, 32, &v));
      in->value = (uint64_t)v;
      return WG_INSTR_OK;
    }
    case WG_IMM_I64: {
      int64_t v;
      TRY(wg_read_sleb(p, end, 64, &v));
      in->value = (uint64_t)v;
      return WG_INSTR_OK;
    }
    case WG_IMM_F32:
    case WG_IMM_F64: {
      size_t n = imm == WG_IMM_F32 ? 4 : 8;
      const uint8_t *at = *p;
      TRY(fixed(p, end, n));
      in->value = 0;
      memcpy(&in->value, at, n);
      return WG_INSTR_OK;
    }
    case WG_IMM_REFTYPE: {
      uint8_t t;
      TRY(byte(p, end, &t));
      if (t != WG_VT_FUNCREF && t != WG_VT_EXTERNREF) {
        --*p;
        return WG_INSTR_REFTYPE;
      }
      in->x = t;
      return WG_INSTR_OK;
    }
    case WG_IMM_SELECT_T:
      return select_types(p, end, in);
    case WG_IMM_V128:
    case WG_IMM_SHUFFLE:
      in->bytes = *p;
      return fixed(p, end, 16);
    case WG_IMM_LANE:
      return byte(p, end, &in->lane);
  }
  return WG_INSTR_OK;
}

/* Section: the reader */

WgInstrStatus wg_instr_read_full(const uint8_t **p, const uint8_t *end,
                                 uint32_t features, WgInstr *in) {
  const uint8_t *at = *p;
  uint8_t op;
  TRY(byte(p, end, &op));
  in->op = op;
  in->sub = 0;
  uint8_t kind = k_plain[op];
  if (op == 0xfc || op == 0xfd) {
    TRY(u32(p, end, &in->sub));
    const uint8_t *table = op == 0xfc ? k_fc : k_fd;
    size_t size = op == 0xfc ? sizeof k_fc : sizeof k_fd;
    kind = in->sub < size ? table[in->sub] : 0;
  }
  if (kind == 0) {
    *p = at;
    return WG_INSTR_ILLEGAL;
  }
  in->imm = (uint8_t)(kind - 1);
  return immediates(p, end, features, (WgImm)in->imm, in);
}

uint32_t wg_instr_next_label(const uint8_t **q) {
  uint32_t label = 0;
  (void)u32(q, *q + 5, &label); /* read before: at most 5 bytes */
  return label;
}

const char *wg_instr_status_message(WgInstrStatus status) {
  switch (status) {
    case WG_INSTR_OK:
      return "ok";
    case WG_INSTR_END:
      return "unexpected end of section or function";
    case WG_INSTR_TOO_LONG:
      return "integer representation too long";
    case WG_INSTR_TOO_LARGE:
      return "integer too large";
    case WG_INSTR_ILLEGAL:
      return "illegal opcode";
    case WG_INSTR_ZERO_BYTE:
      return "zero byte expected";
    case WG_INSTR_MEMOP_FLAGS:
      return "malformed memop flags";
    case WG_INSTR_VALTYPE:
      return "malformed value type";
    case WG_INSTR_REFTYPE:
      return "malformed reference type";
    case WG_INSTR_LENGTH:
      return "length out of bounds";
  }
  return "malformed instruction";
}
